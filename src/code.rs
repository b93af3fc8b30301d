//! [`ErrorCode`], its `const fn` accessors and its trait impls.

use core::fmt;

use crate::{Group, Record};

/// The generated table: `ErrorCode`, `ALL`, `MAX_NAME_LEN`, the name and
/// description strings with their offset tables (indexed by id), the
/// statuses, the groups, `from_id` and the perfect hash. Written by
/// `build.rs` from `data/errors.tsv`.
#[rustfmt::skip]
#[allow(clippy::all)]
pub(crate) mod table {
    include!(concat!(env!("OUT_DIR"), "/table.rs"));
}

pub use table::ErrorCode;

/// Entries `i` and `i + 1` of `bounds` (where record `i` starts and ends);
/// `(0, 0)` past the end, which no `ErrorCode` reaches.
#[inline]
const fn span(bounds: &[u16], i: usize) -> (usize, usize) {
    match bounds.split_at_checked(i) {
        Some((_, [start, end, ..])) => (*start as usize, *end as usize),
        _ => (0, 0),
    }
}

/// Length of code `i`'s name: the whole record without descriptions.
#[inline]
const fn name_len(i: usize) -> usize {
    #[cfg(feature = "descriptions")]
    {
        let lens = &table::TABLES.name_lens;
        // Cannot fire: the index is checked against the length first.
        #[allow(clippy::indexing_slicing)]
        if i < lens.len() { lens[i] as usize } else { 0 }
    }
    #[cfg(not(feature = "descriptions"))]
    {
        let (start, end) = span(&table::TABLES.bounds, i);
        end.saturating_sub(start)
    }
}

/// Where code `c`'s name starts in `RECORDS`, and its length.
#[inline(always)]
const fn name_at(c: ErrorCode) -> (usize, usize) {
    let (start, _) = span(&table::TABLES.bounds, c as usize);
    (start, name_len(c as usize))
}

/// Where code `c`'s name sits in `RECORDS`.
#[inline]
const fn name_span(c: ErrorCode) -> (usize, usize) {
    let (start, len) = name_at(c);
    (start, start.saturating_add(len))
}

/// `text[start..end]`, or `""` if that is not a valid range (it always is
/// for the generated tables; the checked form keeps panics out).
#[inline]
const fn cut(text: &'static str, (start, end): (usize, usize)) -> &'static str {
    match text.split_at_checked(end) {
        Some((head, _)) => match head.split_at_checked(start) {
            Some((_, piece)) => piece,
            None => "",
        },
        None => "",
    }
}

impl ErrorCode {
    /// Every enabled code once, in id order (the seed table's order).
    ///
    /// `ServiceUnavailable` sits where the seed's *second* (winning) row is.
    ///
    /// ```
    /// # #[cfg(feature = "s3")] {
    /// assert!(s3err::ErrorCode::ALL.contains(&s3err::ErrorCode::NoSuchKey));
    /// # }
    /// ```
    pub const ALL: &'static [ErrorCode] = table::ALL;

    /// Length in bytes of the longest enabled name; longer input is
    /// refused by every lookup before it is hashed.
    ///
    /// ```
    /// use s3err::ErrorCode;
    /// assert!(ErrorCode::ALL.iter().all(|c| c.as_str().len() <= ErrorCode::MAX_NAME_LEN));
    /// ```
    pub const MAX_NAME_LEN: usize = table::MAX_NAME_LEN;

    /// The code's permanent id: the same byte as `self as u8`.
    ///
    /// Ids are the row numbers of `data/errors.tsv` (the seed's order
    /// after its duplicate rule: `AccessDenied` = 0 … `MPUinProgress` =
    /// 116). They are the same under every feature set and in every
    /// version, and a retired code's id is never given to another, so the
    /// byte can be stored, logged or sent over a link.
    ///
    /// ```
    /// # #[cfg(feature = "s3")] {
    /// use s3err::ErrorCode;
    /// assert_eq!(ErrorCode::AccessDenied.id(), 0);
    /// assert_eq!(ErrorCode::NoSuchKey.id(), ErrorCode::NoSuchKey as u8);
    /// # }
    /// ```
    #[inline]
    #[must_use]
    pub const fn id(self) -> u8 {
        self as u8
    }

    /// The code whose id is `id`, or `None` if no enabled code has it (an
    /// id not assigned yet, a retired one, or one of a group whose feature
    /// is off).
    ///
    /// ```
    /// # #[cfg(feature = "s3")] {
    /// use s3err::ErrorCode;
    /// assert_eq!(ErrorCode::from_id(ErrorCode::SlowDown.id()), Some(ErrorCode::SlowDown));
    /// # }
    /// assert_eq!(s3err::ErrorCode::from_id(255), None);
    /// ```
    #[inline]
    #[must_use]
    pub const fn from_id(id: u8) -> Option<ErrorCode> {
        table::from_id(id)
    }

    /// The wire name, exactly as S3 puts it in `<Code>`.
    ///
    /// ```
    /// # #[cfg(feature = "s3")]
    /// assert_eq!(s3err::ErrorCode::SlowDown.as_str(), "SlowDown");
    /// ```
    #[inline]
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        cut(table::RECORDS, name_span(self))
    }

    /// The HTTP status code the table gives this error.
    ///
    /// ```
    /// # #[cfg(feature = "s3")]
    /// assert_eq!(s3err::ErrorCode::NoSuchKey.status(), 404);
    /// ```
    #[inline]
    #[must_use]
    // Cannot fire: both indexings are checked against the length first.
    #[allow(clippy::indexing_slicing)]
    pub const fn status(self) -> u16 {
        let i = self as usize;
        let per_byte = 8 / table::STATUS_BITS;
        let byte = if i / per_byte < table::STATUS_PACKED.len() {
            table::STATUS_PACKED[i / per_byte]
        } else {
            0
        };
        let index =
            (byte >> ((i % per_byte) * table::STATUS_BITS)) & (u8::MAX >> (8 - table::STATUS_BITS));
        if (index as usize) < table::STATUSES.len() {
            table::STATUS_BASE + table::STATUSES[index as usize] as u16
        } else {
            0
        }
    }

    /// The table's description of this error.
    ///
    /// Without the `descriptions` feature this is `""` and no description
    /// text is compiled in.
    ///
    /// ```
    /// # #[cfg(all(feature = "s3", feature = "descriptions"))]
    /// assert_eq!(
    ///     s3err::ErrorCode::NoSuchKey.description(),
    ///     "The specified key does not exist."
    /// );
    /// ```
    #[inline]
    #[must_use]
    pub const fn description(self) -> &'static str {
        #[cfg(feature = "descriptions")]
        {
            let (start, end) = span(&table::TABLES.bounds, self as usize);
            let name_len = name_len(self as usize);
            cut(table::RECORDS, (start.saturating_add(name_len), end))
        }
        #[cfg(not(feature = "descriptions"))]
        {
            let _ = self;
            ""
        }
    }

    /// The group of the table this code belongs to (and the feature that
    /// enables it).
    ///
    /// ```
    /// # #[cfg(feature = "iam")]
    /// assert_eq!(s3err::ErrorCode::Throttling.group(), s3err::Group::Iam);
    /// ```
    #[inline]
    #[must_use]
    pub const fn group(self) -> Group {
        table::group_of(self)
    }

    /// Status and description together.
    ///
    /// ```
    /// # #[cfg(feature = "s3")]
    /// assert_eq!(s3err::ErrorCode::SlowDown.record().status(), 503);
    /// ```
    #[inline]
    #[must_use]
    pub const fn record(self) -> Record {
        Record::new(self.status(), self.description())
    }
}

impl ErrorCode {
    /// Where the name starts in the records: what lookup compares
    /// against, once the slot's stored length has matched.
    #[inline(always)]
    pub(crate) fn name_start(self) -> usize {
        name_at(self).0
    }
}

impl fmt::Display for ErrorCode {
    /// Writes the wire name; honours width and alignment (`{:<30}`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl core::error::Error for ErrorCode {}

/// The error returned when a name or an id is not an enabled S3 error code.
///
/// Zero-sized and opaque: the input is not kept.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub struct UnknownErrorCode;

impl fmt::Display for UnknownErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown S3 error code")
    }
}

impl core::error::Error for UnknownErrorCode {}

impl core::str::FromStr for ErrorCode {
    type Err = UnknownErrorCode;

    /// Same as [`ErrorCode::from_name`], with an error value.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ErrorCode::from_name(s).ok_or(UnknownErrorCode)
    }
}

impl TryFrom<&str> for ErrorCode {
    type Error = UnknownErrorCode;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        ErrorCode::from_name(s).ok_or(UnknownErrorCode)
    }
}

impl TryFrom<&[u8]> for ErrorCode {
    type Error = UnknownErrorCode;

    fn try_from(b: &[u8]) -> Result<Self, Self::Error> {
        ErrorCode::from_bytes(b).ok_or(UnknownErrorCode)
    }
}

impl TryFrom<u8> for ErrorCode {
    type Error = UnknownErrorCode;

    /// Same as [`ErrorCode::from_id`], with an error value.
    fn try_from(id: u8) -> Result<Self, Self::Error> {
        ErrorCode::from_id(id).ok_or(UnknownErrorCode)
    }
}

impl From<ErrorCode> for u8 {
    /// The code's permanent id ([`ErrorCode::id`]).
    fn from(code: ErrorCode) -> u8 {
        code.id()
    }
}

impl From<ErrorCode> for Record {
    fn from(code: ErrorCode) -> Record {
        code.record()
    }
}
