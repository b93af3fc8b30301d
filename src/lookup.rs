//! Lookup by name through the `phf` map, and lookup by status.

use core::iter::FusedIterator;

use crate::code::table::{MAP, MAX_NAME_LEN};
use crate::{ErrorCode, Record};

impl ErrorCode {
    /// The code whose wire name is exactly `name` (case-sensitive).
    ///
    /// One perfect-hash probe and one comparison. Empty input and input
    /// longer than [`MAX_NAME_LEN`](crate::MAX_NAME_LEN) are refused
    /// before hashing, so the time taken is bounded whatever arrives.
    ///
    /// ```
    /// use s3err::ErrorCode;
    /// # #[cfg(feature = "s3")] {
    /// assert_eq!(ErrorCode::from_name("NoSuchKey"), Some(ErrorCode::NoSuchKey));
    /// assert_eq!(ErrorCode::from_name("nosuchkey"), None);
    /// # }
    /// ```
    #[inline]
    #[must_use]
    pub fn from_name(name: &str) -> Option<ErrorCode> {
        if name.is_empty() || name.len() > MAX_NAME_LEN {
            return None;
        }
        MAP.get(name).copied()
    }

    /// [`from_name`](Self::from_name) for raw bytes, e.g. a `<Code>` taken
    /// straight from a response body. Non-UTF-8 input is refused.
    ///
    /// ```
    /// # #[cfg(feature = "s3")]
    /// assert_eq!(s3err::ErrorCode::from_bytes(b"SlowDown"), Some(s3err::ErrorCode::SlowDown));
    /// assert_eq!(s3err::ErrorCode::from_bytes(b"\xff\xfe"), None);
    /// ```
    #[inline]
    #[must_use]
    pub fn from_bytes(name: &[u8]) -> Option<ErrorCode> {
        if name.is_empty() || name.len() > MAX_NAME_LEN {
            return None;
        }
        ErrorCode::from_name(core::str::from_utf8(name).ok()?)
    }

    /// Every enabled code whose status is `status`, in table order.
    ///
    /// ```
    /// use s3err::ErrorCode;
    /// # #[cfg(feature = "s3")]
    /// assert!(ErrorCode::with_status(416).eq([ErrorCode::InvalidPartNumber, ErrorCode::InvalidRange]));
    /// ```
    #[inline]
    pub fn with_status(status: u16) -> WithStatus {
        WithStatus {
            status,
            rest: ErrorCode::ALL.iter(),
        }
    }
}

/// Iterator returned by [`ErrorCode::with_status`].
#[derive(Clone, Debug)]
#[must_use = "iterators do nothing unless consumed"]
pub struct WithStatus {
    status: u16,
    rest: core::slice::Iter<'static, ErrorCode>,
}

impl Iterator for WithStatus {
    type Item = ErrorCode;

    #[inline]
    fn next(&mut self) -> Option<ErrorCode> {
        let status = self.status;
        self.rest.by_ref().copied().find(|c| c.status() == status)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.rest.len()))
    }
}

impl FusedIterator for WithStatus {}

/// The record (status, description) of the code named `name`.
///
/// Same rules as [`ErrorCode::from_name`].
///
/// ```
/// # #[cfg(feature = "s3")] {
/// let r = s3err::lookup("NoSuchBucket").unwrap();
/// assert_eq!(r.status, 404);
/// # }
/// assert!(s3err::lookup("NoSuchThing").is_none());
/// ```
#[inline]
#[must_use]
pub fn lookup(name: &str) -> Option<Record> {
    ErrorCode::from_name(name).map(ErrorCode::record)
}
