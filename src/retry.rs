//! Retry classification of S3 / AWS errors.
//!
//! # The rule
//!
//! It follows the AWS SDKs' *standard* retry mode, in this order:
//!
//! 1. **Throttle** if the error code is a throttling code: `Throttling`,
//!    `ThrottlingException`, `ThrottledException`,
//!    `RequestThrottledException`, `TooManyRequestsException`,
//!    `ProvisionedThroughputExceededException`,
//!    `TransactionInProgressException`, `RequestLimitExceeded`,
//!    `BandwidthLimitExceeded`, `LimitExceededException`,
//!    `RequestThrottled`, `SlowDown`, `PriorRequestNotComplete`,
//!    `EC2ThrottledException`.
//! 2. **Transient** if the code is a transient code: `RequestTimeout`,
//!    `RequestTimeoutException`, and — an s3err addition — `InternalError`,
//!    whose S3 description says "Please try again" and which S3 may send
//!    inside a `200 OK` (the SDKs then treat the response as a 500).
//! 3. **Throttle** if the HTTP status is 429 (Too Many Requests).
//! 4. **Transient** if the HTTP status is 500, 502, 503 or 504.
//! 5. **Never** otherwise.
//!
//! **An error body in a `200 OK`.** S3 can answer `CompleteMultipartUpload`,
//! `CopyObject` and `UploadPartCopy` with `200 OK` and an `<Error>` body
//! when the operation fails after the status was sent. The AWS SDKs turn
//! such a response into an error with status 500 and so retry it whatever
//! its code. [`Retry::classify`] and
//! [`ErrorBody::retry`](crate::xml::ErrorBody::retry) do the same: with
//! status 200 the error is classified as if the status were 500, which
//! gives **Throttle** for a throttling code and **Transient** for every
//! other code. ([`Retry::from_status`], for a body that could not be
//! parsed, keeps `200` as `Never`: a `200` without an error body is a
//! success.) Sources (facts, not code): the S3 API reference for these
//! operations ("a request could fail after the initial 200 OK response has
//! been sent … check the response body"), and boto3/botocore's S3 handling,
//! which marks such a response as status 500 so that its retry handler
//! retries it like any 500.
//!
//! **429.** Status 429 is a throttling status in the SDKs' classification
//! of errors, but the SDKs apply status-based rules only to errors the
//! operation does not model: an error whose code the operation declares
//! (and which is not marked retryable) is not retried whatever its status.
//! s3err does not know which codes an operation models, so it applies
//! 429 to every code that is neither a throttling nor a transient code.
//!
//! Sources (facts, not code): the boto3 guide "Retries", section "Standard
//! retry mode" (<https://boto3.amazonaws.com/v1/documentation/api/latest/guide/retries.html>),
//! which lists the throttling codes, the transient codes and the transient
//! statuses 500/502/503/504; the Smithy TypeScript package
//! `@smithy/service-error-classification` (`THROTTLING_ERROR_CODES`,
//! `TRANSIENT_ERROR_CODES`, `TRANSIENT_ERROR_STATUS_CODES`, and status 429
//! as throttling in `isThrottlingError`), used by the AWS SDK for
//! JavaScript v3.

use core::fmt;

use crate::ErrorCode;

/// How a client should react to an error.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Retry {
    /// Do not retry: the request itself is wrong or forbidden.
    Never,
    /// The server asks the client to slow down: retry with back-off (and,
    /// in the SDKs, a larger retry-quota cost).
    Throttle,
    /// A transient server or network problem: retry with back-off.
    Transient,
}

/// Whether `a` and `b` are the same bytes, in a `const fn`.
const fn same(a: &[u8], b: &[u8]) -> bool {
    let (mut a, mut b) = (a, b);
    loop {
        match (a, b) {
            ([], []) => return true,
            ([x, ra @ ..], [y, rb @ ..]) if *x == *y => (a, b) = (ra, rb),
            _ => return false,
        }
    }
}

/// Whether `list` holds `code`, in a `const fn`.
const fn holds(list: &[&str], code: &str) -> bool {
    let mut rest = list;
    while let [first, tail @ ..] = rest {
        if same(first.as_bytes(), code.as_bytes()) {
            return true;
        }
        rest = tail;
    }
    false
}

/// The length of the longest name in `list`.
const fn longest(list: &[&str]) -> usize {
    let (mut rest, mut max) = (list, 0);
    while let [first, tail @ ..] = rest {
        if first.len() > max {
            max = first.len();
        }
        rest = tail;
    }
    max
}

impl Retry {
    /// Throttling error codes of the AWS SDKs' standard retry mode.
    pub const THROTTLING_CODES: &'static [&'static str] = &[
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "RequestThrottled",
        "SlowDown",
        "PriorRequestNotComplete",
        "EC2ThrottledException",
    ];

    /// Transient error codes: the standard retry mode's `RequestTimeout` and
    /// `RequestTimeoutException`, plus S3's `InternalError` (see the module
    /// docs).
    pub const TRANSIENT_CODES: &'static [&'static str] =
        &["RequestTimeout", "RequestTimeoutException", "InternalError"];

    /// HTTP statuses that make an error transient whatever its code.
    pub const TRANSIENT_STATUSES: &'static [u16] = &[500, 502, 503, 504];

    /// The longest name in [`THROTTLING_CODES`](Self::THROTTLING_CODES)
    /// and [`TRANSIENT_CODES`](Self::TRANSIENT_CODES).
    pub(crate) const MAX_CODE_LEN: usize = {
        let (a, b) = (
            longest(Self::THROTTLING_CODES),
            longest(Self::TRANSIENT_CODES),
        );
        if a > b { a } else { b }
    };

    /// Classifies an error by its code name (which need not be in the
    /// table, e.g. `ThrottlingException`) and HTTP status; see the module
    /// docs for the rule. An error that came in a `200 OK` is classified
    /// as if the status were 500.
    ///
    /// ```
    /// use s3err::Retry;
    /// assert_eq!(Retry::classify("ThrottlingException", 400), Retry::Throttle);
    /// assert_eq!(Retry::classify("NoSuchKey", 404), Retry::Never);
    /// assert_eq!(Retry::classify("Whatever", 503), Retry::Transient);
    /// // An error body inside a 200 OK is retried, as the AWS SDKs do.
    /// assert_eq!(Retry::classify("AccessDenied", 200), Retry::Transient);
    /// assert_eq!(Retry::classify("SlowDown", 200), Retry::Throttle);
    /// ```
    #[must_use]
    pub const fn classify(code: &str, status: u16) -> Retry {
        let status = if status == 200 { 500 } else { status };
        if holds(Self::THROTTLING_CODES, code) {
            Retry::Throttle
        } else if holds(Self::TRANSIENT_CODES, code) {
            Retry::Transient
        } else {
            Retry::from_status(status)
        }
    }

    /// Classifies by HTTP status alone, for a body that could not be
    /// parsed: 429 throttles; 500, 502, 503, 504 are transient; everything
    /// else, 200 included (a 200 without an error body is a success), is
    /// `Never`.
    ///
    /// ```
    /// use s3err::Retry;
    /// assert_eq!(Retry::from_status(502), Retry::Transient);
    /// assert_eq!(Retry::from_status(429), Retry::Throttle);
    /// assert_eq!(Retry::from_status(403), Retry::Never);
    /// ```
    #[must_use]
    pub const fn from_status(status: u16) -> Retry {
        match status {
            429 => Retry::Throttle,
            500 | 502 | 503 | 504 => Retry::Transient,
            _ => Retry::Never,
        }
    }

    /// Whether a retry is worth it at all.
    #[must_use]
    pub const fn is_retryable(self) -> bool {
        !matches!(self, Retry::Never)
    }
}

impl fmt::Display for Retry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Retry::Never => "never",
            Retry::Throttle => "throttle",
            Retry::Transient => "transient",
        })
    }
}

impl ErrorCode {
    /// How a client should react to this error, by its name and the status
    /// the table gives it ([`Retry::classify`]).
    ///
    /// ```
    /// use s3err::{ErrorCode, Retry};
    /// # #[cfg(feature = "s3")] {
    /// const SLOW_DOWN: Retry = ErrorCode::SlowDown.retry();
    /// assert_eq!(SLOW_DOWN, Retry::Throttle);
    /// assert_eq!(ErrorCode::InternalError.retry(), Retry::Transient);
    /// assert_eq!(ErrorCode::RequestTimeout.retry(), Retry::Transient);
    /// assert_eq!(ErrorCode::NoSuchKey.retry(), Retry::Never);
    /// # }
    /// ```
    #[must_use]
    pub const fn retry(self) -> Retry {
        Retry::classify(self.as_str(), self.status())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn const_helpers() {
        assert!(same(b"", b""));
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"ab", b"abc"));
        assert!(holds(Retry::TRANSIENT_CODES, "InternalError"));
        assert!(!holds(Retry::TRANSIENT_CODES, "InternalErro"));
        assert_eq!(
            Retry::MAX_CODE_LEN,
            "ProvisionedThroughputExceededException".len()
        );
    }
}
