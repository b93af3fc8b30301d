//! The Zenko / CloudServer S3 error table for `no_std` firmware and gateways.
//!
//! Every row of the Zenko S3 error table (118 rows, 117 distinct names) as
//! a one-byte [`ErrorCode`] with `const fn` accessors, and a perfect-hash
//! lookup (phf's ptrhash) from the wire name back to the code. No
//! allocation, no `unsafe`, no panics.
//!
//! ```
//! use s3err::ErrorCode;
//! # #[cfg(all(feature = "s3", feature = "descriptions"))] {
//! // Producing an error: a one-byte code with const accessors.
//! let code = ErrorCode::NoSuchKey;
//! assert_eq!(code.status(), 404);
//! assert_eq!(code.description(), "The specified key does not exist.");
//!
//! // Receiving one: a bounded-time lookup by name.
//! assert_eq!(ErrorCode::from_name("SlowDown"), Some(ErrorCode::SlowDown));
//! assert_eq!(ErrorCode::from_name("SlowDown").map(|c| c.status()), Some(503));
//! assert!("nosuchkey".parse::<ErrorCode>().is_err());
//! # }
//! ```
//!
//! [`xml`] renders and parses the XML error body of S3 responses (no
//! allocation), [`response`] gives the HTTP status line and headers that go
//! with it, and [`Retry`] tells a client whether to retry an error.
//!
//! # The table
//!
//! `data/errors.tsv` holds the table, read by `build.rs`. Names, statuses
//! and descriptions are the seed's, with the whitespace of wrapped cells
//! folded to single spaces and names split over two lines joined.
//!
//! **Duplicate rule.** `ServiceUnavailable` appears twice in the seed, first
//! as `503 "Reduce your request rate."` and later as `503 "The request has
//! failed due to a temporary failure of the server."`. The later row wins,
//! as in Zenko's own error library (which comments out the first);
//! [`ErrorCode::ALL`] lists it at the later row's position.
//!
//! **The `aws` group** (feature `aws`, off by default) adds the codes Amazon
//! S3 sends that Zenko's table lacks, with ids after Zenko's: every code AWS lists in
//! the S3 sections of its error reference (the general, tagging and
//! replication lists) or declares as an error shape in the S3 service
//! model, plus codes S3 is shown to send (`NoSuchPublicAccessBlockConfiguration`).
//! The S3 Select list and the page's `503 SlowDown` artifact stay out.
//! Statuses are AWS's documented ones; descriptions are s3err's own words.
//! A wire name may hold dots (`KMS.DisabledException`): the variant is the
//! name without them (`ErrorCode::KMSDisabledException`), while
//! [`ErrorCode::as_str`], `Display` and the lookup use the wire name. The
//! build refuses a table where a variant equals another variant or wire
//! name.
//!
//! # Stable ids
//!
//! Every code has a permanent one-byte id, and `ErrorCode as u8` **is**
//! that id ([`ErrorCode::id`], [`ErrorCode::from_id`], `TryFrom<u8>`,
//! `From<ErrorCode> for u8`). The id is the code's row in the seed's order
//! after the duplicate rule (`AccessDenied` = 0 … `MPUinProgress` = 116),
//! recorded in the id column of `data/errors.tsv`. It does not depend on
//! the features enabled (a build with only `s3` has the same byte for
//! `NoSuchKey` as a full one, whatever other crates in the build enable),
//! nor on the perfect hash or any dependency's version. A code added later
//! takes the next free id; a removed code keeps its row, marked retired, so
//! an id is never reused. [`ErrorCode::ALL`], `Ord` and the variants'
//! declaration order follow the id. Firmware can therefore store, log and
//! send the byte, and a gateway built with other features reads it back.
//!
//! # A table that cannot break silently
//!
//! The perfect hash is built at compile time by `phf_generator` (its
//! ptrhash); the probe that reads it at run time is s3err's own few lines,
//! so the library has no run-time dependency. `build.rs` probes every
//! enabled name with that very probe code and stops the build, naming the
//! row and the fix, if one is not found in its own slot: a generator
//! release that placed keys differently cannot ship an unreadable table.
//!
//! Where other S3 servers differ (MinIO answers `RequestTimeout` with 503,
//! AWS gives no HTTP status for the SOAP-only `InvalidAddressingHeader` and
//! `MissingAttachment`), s3err follows the seed. For the `aws` group it
//! follows AWS's page where peers differ: `InvalidRegion` 403 (MinIO 400),
//! `NoSuchObjectLockConfiguration` 404 (MinIO 400),
//! `ServerSideEncryptionConfigurationNotFoundError` 400 (MinIO and Zenko's
//! Arsenal 404).
//!
//! # Features
//!
//! | feature | default | what it does |
//! |---|---|---|
//! | `s3` | yes | the S3 REST API errors |
//! | `iam` | yes | IAM and AWS query-API errors, the Vault side of Zenko |
//! | `zenko` | yes | errors only Zenko/Vault returns |
//! | `aws` | no | Amazon S3's own codes that Zenko's table lacks |
//! | `descriptions` | yes | description strings; off, [`ErrorCode::description`] returns `""` |
//! | `defmt` | no | `defmt::Format` for every public type |
//! | `heapless-v0.9` | no | fixed-capacity output into heapless 0.9's `String` and `Vec` |
//! | `http` | no | `http` crate types for std gateways (brings `std` and `alloc`) |
//!
//! Variants exist only for enabled groups, which is why [`ErrorCode`] is
//! `#[non_exhaustive]`: match with a `_` arm.
//!
//! A pre-1.0 dependency whose types appear in the API carries its version
//! in the feature's name (`heapless-v0.9`), as heapless names its own
//! `embedded-io-v0.7`: support for a later heapless comes as a new
//! feature, beside this one, not as a breaking change.
//!
//! # MSRV
//!
//! The minimum supported Rust version is the `rust-version` in
//! `Cargo.toml`:
//! MSRV 1.88 (the parser's `if let … &&` chains need it; CI checks it
//! against the newest dependencies a downstream crate can resolve).
//!
//! Every optional feature builds with it too: `heapless-v0.9` resolves
//! to heapless 0.9.4, whose own MSRV is 1.88; `defmt` (defmt 1, 1.81)
//! and `http` (http 1, 1.57) need less. CI checks each feature alone.
//!
//! **Policy.** Raising the MSRV is not a breaking change: it bumps the
//! minor version (the middle part while the version is 0.x; after 1.0 as
//! well, never the patch), is named in the changelog, and happens only
//! when the library's code or a dependency's needed release requires it.
//! The MSRV is never newer than the stable Rust of six months before the
//! release.
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]
// No panicking construct in the library: each remaining site says why it
// cannot fire. The crate's own unit tests are exempt.
#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::panic,
        clippy::unwrap_used,
        clippy::expect_used
    )
)]

// Only the `http` feature links alloc (and, through `http`, std); without
// it the crate stays no_std and allocates nothing.
#[cfg(feature = "http")]
extern crate alloc;
#[cfg(feature = "http")]
mod to_http;

mod code;
mod digits;
mod lookup;
pub mod response;
mod retry;
#[cfg(test)]
mod static_size;
pub mod xml;

pub use code::{ErrorCode, UnknownErrorCode};
pub use lookup::WithStatus;
pub use retry::Retry;

/// What the table says about one error: its HTTP status and description.
/// Read through its accessors, so that it can grow.
///
/// ```
/// # #[cfg(feature = "s3")] {
/// let r = s3err::ErrorCode::NoSuchBucket.record();
/// assert_eq!(r.status(), 404);
/// # }
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Record {
    status: u16,
    description: &'static str,
}

impl Record {
    pub(crate) const fn new(status: u16, description: &'static str) -> Self {
        Record {
            status,
            description,
        }
    }

    /// The HTTP status code, 100..=599.
    #[must_use]
    pub const fn status(&self) -> u16 {
        self.status
    }

    /// The description; `""` without the `descriptions` feature.
    #[must_use]
    pub const fn description(&self) -> &'static str {
        self.description
    }
}

/// The groups of the table; each is a cargo feature of the same name.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Group {
    /// `s3`: the S3 REST API errors.
    S3,
    /// `iam`: IAM and common AWS query-API errors (the Vault side of Zenko).
    Iam,
    /// `zenko`: errors that exist only in Zenko/Vault, not in AWS.
    Zenko,
    /// `aws`: Amazon S3's own error codes that Zenko's table lacks (off by
    /// default).
    Aws,
}

impl Group {
    /// Every group, in this order, whether its feature is on or not.
    pub const ALL: &'static [Group] = &[Group::S3, Group::Iam, Group::Zenko, Group::Aws];

    /// The group's name, which is also its feature's name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Group::S3 => "s3",
            Group::Iam => "iam",
            Group::Zenko => "zenko",
            Group::Aws => "aws",
        }
    }

    /// The group named `name` (`"s3"`, `"iam"`, `"zenko"` or `"aws"`).
    ///
    /// ```
    /// use s3err::Group;
    /// assert_eq!(Group::from_name("iam"), Some(Group::Iam));
    /// assert_eq!("zenko".parse::<Group>(), Ok(Group::Zenko));
    /// assert_eq!("aws".parse::<Group>(), Ok(Group::Aws));
    /// assert!("S3".parse::<Group>().is_err());
    /// ```
    #[must_use]
    pub fn from_name(name: &str) -> Option<Group> {
        Group::ALL.iter().copied().find(|g| g.as_str() == name)
    }
}

impl core::str::FromStr for Group {
    type Err = UnknownGroup;

    /// Same as [`Group::from_name`], with an error value.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Group::from_name(s).ok_or(UnknownGroup)
    }
}

/// The error returned when a name is not a group's.
///
/// Zero-sized and opaque: the input is not kept.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub struct UnknownGroup;

impl core::fmt::Display for UnknownGroup {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("unknown group (expected s3, iam, zenko or aws)")
    }
}

impl core::error::Error for UnknownGroup {}

impl core::fmt::Display for Group {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.pad(self.as_str())
    }
}

#[doc = include_str!("../README.md")]
#[cfg(all(doctest, feature = "s3", feature = "descriptions"))]
pub struct ReadmeDoctests;
