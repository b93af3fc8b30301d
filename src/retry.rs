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
//! its code. [`Retry::from_code_name`] and
//! [`ParsedError::retry`](crate::xml::ParsedError::retry) do the same: with
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
pub enum Retry {
    /// Do not retry: the request itself is wrong or forbidden.
    Never,
    /// The server asks the client to slow down: retry with back-off (and,
    /// in the SDKs, a larger retry-quota cost).
    Throttle,
    /// A transient server or network problem: retry with back-off.
    Transient,
}

impl Retry {
    /// Throttling error codes of the AWS SDKs' standard retry mode.
    pub const THROTTLING_CODES: [&'static str; 14] = [
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
    pub const TRANSIENT_CODES: [&'static str; 3] =
        ["RequestTimeout", "RequestTimeoutException", "InternalError"];

    /// HTTP statuses that make an error transient whatever its code.
    pub const TRANSIENT_STATUSES: [u16; 4] = [500, 502, 503, 504];

    /// Classifies by code name and HTTP status (see the module docs for
    /// the rule, including `200` read as `500`). `is_code` says whether
    /// the error's code equals a name.
    pub(crate) fn classify(is_code: impl Fn(&str) -> bool, status: u16) -> Retry {
        let status = if status == 200 { 500 } else { status };
        if Self::THROTTLING_CODES.iter().any(|c| is_code(c)) {
            Retry::Throttle
        } else if Self::TRANSIENT_CODES.iter().any(|c| is_code(c)) {
            Retry::Transient
        } else {
            Retry::from_status(status)
        }
    }

    /// Classifies an error known only by its code name (which need not be
    /// in the table, e.g. `ThrottlingException`) and HTTP status. An
    /// error that came in a `200 OK` is classified as if the status were
    /// 500 (see the module docs).
    ///
    /// ```
    /// use s3err::Retry;
    /// assert_eq!(Retry::from_code_name("ThrottlingException", 400), Retry::Throttle);
    /// assert_eq!(Retry::from_code_name("NoSuchKey", 404), Retry::Never);
    /// assert_eq!(Retry::from_code_name("Whatever", 503), Retry::Transient);
    /// // An error body inside a 200 OK is retried, as the AWS SDKs do.
    /// assert_eq!(Retry::from_code_name("AccessDenied", 200), Retry::Transient);
    /// assert_eq!(Retry::from_code_name("SlowDown", 200), Retry::Throttle);
    /// ```
    #[must_use]
    pub fn from_code_name(code: &str, status: u16) -> Retry {
        Retry::classify(|c| c == code, status)
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
    /// the table gives it (see [`Retry`] and the rule in `src/retry.rs`).
    ///
    /// ```
    /// use s3err::{ErrorCode, Retry};
    /// # #[cfg(feature = "s3")] {
    /// assert_eq!(ErrorCode::SlowDown.retry(), Retry::Throttle);
    /// assert_eq!(ErrorCode::InternalError.retry(), Retry::Transient);
    /// assert_eq!(ErrorCode::RequestTimeout.retry(), Retry::Transient);
    /// assert_eq!(ErrorCode::NoSuchKey.retry(), Retry::Never);
    /// # }
    /// ```
    #[must_use]
    pub fn retry(self) -> Retry {
        let name = self.as_str();
        Retry::classify(|c| c == name, self.status())
    }
}
