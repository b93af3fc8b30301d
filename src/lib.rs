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
//! assert_eq!(s3err::lookup("SlowDown").map(|r| r.status), Some(503));
//! assert!("nosuchkey".parse::<ErrorCode>().is_err());
//! # }
//! ```
//!
//! [`xml`] renders and parses the XML error body of S3 responses (no
//! allocation), and [`Retry`] tells a client whether to retry an error.
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
//! `MissingAttachment`), s3err follows the seed.
//!
//! # Features
//!
//! | feature | default | what it does |
//! |---|---|---|
//! | `s3` | yes | the S3 REST API errors (88 codes) |
//! | `iam` | yes | IAM and AWS query-API errors, the Vault side of Zenko (23 codes) |
//! | `zenko` | yes | errors only Zenko/Vault returns (6 codes) |
//! | `descriptions` | yes | description strings; off, [`ErrorCode::description`] returns `""` |
//! | `defmt` | no | `defmt::Format` for [`ErrorCode`], [`Record`] and [`UnknownErrorCode`] |
//! | `heapless` | no | fixed-capacity output into `heapless` containers |
//! | `http` | no | `http` crate types for std gateways (brings `std` and `alloc`) |
//!
//! Variants exist only for enabled groups, which is why [`ErrorCode`] is
//! `#[non_exhaustive]`: match with a `_` arm.
//!
//! # MSRV
//!
//! The minimum supported Rust version is the `rust-version` in
//! `Cargo.toml`:
//! MSRV 1.88 (set by `heapless` 0.9.4; CI checks it against the newest
//! dependencies a downstream crate can resolve).
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

// Only the `http` feature links std and alloc; without it the crate stays
// no_std and allocates nothing.
#[cfg(feature = "http")]
extern crate alloc;
#[cfg(feature = "http")]
extern crate std;
#[cfg(feature = "http")]
mod to_http;

mod code;
mod compare;
#[cfg(test)]
mod doc_counts;
mod fingerprint;
mod lookup;
mod probe;
mod retry;
#[cfg(test)]
mod static_size;
pub mod xml;

pub use code::{ErrorCode, UnknownErrorCode};
pub use lookup::{WithStatus, lookup};
pub use retry::Retry;

/// Length in bytes of the longest enabled error name; longer input is
/// refused by every lookup before it is hashed.
pub const MAX_NAME_LEN: usize = code::table::MAX_NAME_LEN;

/// What the table says about one error: its HTTP status and description.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Record {
    /// The HTTP status code, 100..=599.
    pub status: u16,
    /// The description; `""` without the `descriptions` feature.
    pub description: &'static str,
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
}

impl Group {
    /// The group's name, which is also its feature's name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Group::S3 => "s3",
            Group::Iam => "iam",
            Group::Zenko => "zenko",
        }
    }

    /// The group named `name` (`"s3"`, `"iam"` or `"zenko"`).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Group> {
        [Group::S3, Group::Iam, Group::Zenko]
            .into_iter()
            .find(|g| g.as_str() == name)
    }
}

impl core::fmt::Display for Group {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.pad(self.as_str())
    }
}

#[doc = include_str!("../README.md")]
#[cfg(all(doctest, feature = "s3", feature = "descriptions"))]
pub struct ReadmeDoctests;
