//! [`ErrorCode`], its `const fn` accessors and its trait impls.

use core::fmt;

use crate::{Group, Record};

/// The generated table: `ErrorCode`, `ALL`, `MAX_NAME_LEN`, the name and
/// description strings with their offset tables, the statuses, the groups
/// and the `phf` set. Written by `build.rs` from `data/errors.tsv`.
#[rustfmt::skip]
#[allow(clippy::all)]
pub(crate) mod table {
    include!(concat!(env!("OUT_DIR"), "/table.rs"));
}

pub use table::ErrorCode;

/// Entry `i` of `ends` and the one before it (0 for the first); `(0, 0)`
/// past the end, which no `ErrorCode` reaches.
#[inline]
const fn span(ends: &[u16], i: usize) -> (usize, usize) {
    if i >= ends.len() {
        return (0, 0);
    }
    let start = if i == 0 { 0 } else { ends[i - 1] };
    (start as usize, ends[i] as usize)
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
    /// Every enabled code once, in the seed table's order.
    ///
    /// `ServiceUnavailable` sits where the seed's *second* (winning) row is.
    ///
    /// ```
    /// # #[cfg(feature = "s3")] {
    /// assert!(s3err::ErrorCode::ALL.contains(&s3err::ErrorCode::NoSuchKey));
    /// # }
    /// ```
    pub const ALL: &'static [ErrorCode] = table::ALL;

    /// The wire name, exactly as S3 puts it in `<Code>`.
    ///
    /// ```
    /// # #[cfg(feature = "s3")]
    /// assert_eq!(s3err::ErrorCode::SlowDown.as_str(), "SlowDown");
    /// ```
    #[inline]
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        cut(table::NAMES, span(&table::NAMES_ENDS, self as usize))
    }

    /// The HTTP status code the table gives this error.
    ///
    /// ```
    /// # #[cfg(feature = "s3")]
    /// assert_eq!(s3err::ErrorCode::NoSuchKey.status(), 404);
    /// ```
    #[inline]
    #[must_use]
    pub const fn status(self) -> u16 {
        let i = self as usize;
        if i < table::STATUS_OFFSETS.len() {
            table::STATUS_BASE + table::STATUS_OFFSETS[i] as u16
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
            cut(
                table::DESCRIPTIONS,
                span(&table::DESCRIPTIONS_ENDS, self as usize),
            )
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
    /// assert_eq!(s3err::ErrorCode::SlowDown.record().status, 503);
    /// ```
    #[inline]
    #[must_use]
    pub const fn record(self) -> Record {
        Record {
            status: self.status(),
            description: self.description(),
        }
    }
}

impl ErrorCode {
    /// The name's bytes, cut without the `str` char-boundary checks (the
    /// names are ASCII): what lookup compares against.
    #[inline]
    pub(crate) fn name_bytes(self) -> &'static [u8] {
        let (start, end) = span(&table::NAMES_ENDS, self as usize);
        table::NAMES.as_bytes().get(start..end).unwrap_or(&[])
    }
}

impl fmt::Display for ErrorCode {
    /// Writes the wire name; honours width and alignment (`{:<30}`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl core::error::Error for ErrorCode {}

/// The error returned when a name is not an enabled S3 error code.
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

impl From<ErrorCode> for Record {
    fn from(code: ErrorCode) -> Record {
        code.record()
    }
}
