//! Reading S3's error answers: the only module that calls s3err.
//!
//! With the `s3err` feature (the default), an error body is parsed with
//! `s3err::xml::parse`, its code is logged as its one-byte id (decoded on
//! the host) and the error is classified with s3err's `Retry` rule, which
//! is the AWS SDKs' standard one. Without it, the same program decides by
//! the HTTP status alone: that build is the size baseline of
//! docs/edge-device-figures.md.

/// How the device reacts to an error: s3err's classification (or, without
/// s3err, an enum of the same shape).
#[cfg(feature = "s3err")]
pub use s3err::Retry;

/// What an error answer says.
#[derive(Clone, Copy, Debug)]
pub struct Verdict {
    /// The code's name, when it is one of s3err's.
    pub code: Option<&'static str>,
    /// What to do about it.
    pub retry: Retry,
}

#[cfg(feature = "s3err")]
mod imp {
    use s3err::{Retry, xml};

    use super::Verdict;

    /// An answer with a non-2xx status (or a 2xx that carried an error
    /// document: `status` 200): the code from its body, logged, and how to
    /// react. A body that is not an error document (empty, HTML, cut short,
    /// malformed) is logged with s3err's reason and classified by status.
    pub fn error_answer(status: u16, body: &[u8]) -> Verdict {
        if body.is_empty() {
            let retry = Retry::from_status(status);
            defmt::warn!(
                "HTTP {=u16} without a body: retry {} (by status)",
                status,
                retry
            );
            return Verdict { code: None, retry };
        }
        match xml::parse(body) {
            Ok(e) => {
                let retry = e.retry(status);
                match e.known() {
                    Some(code) => {
                        defmt::warn!(
                            "S3 error {} (id {=u8}) in HTTP {=u16}: retry {}",
                            code,
                            code.id(),
                            status,
                            retry
                        );
                        Verdict {
                            code: Some(code.as_str()),
                            retry,
                        }
                    }
                    None => {
                        defmt::warn!(
                            "S3 error {=str} (not in the table) in HTTP {=u16}: retry {}",
                            e.code().raw(),
                            status,
                            retry
                        );
                        Verdict { code: None, retry }
                    }
                }
            }
            Err(err) => {
                let retry = Retry::from_status(status);
                defmt::warn!(
                    "HTTP {=u16}, body unreadable: {}: retry {} (by status)",
                    status,
                    err,
                    retry
                );
                Verdict { code: None, retry }
            }
        }
    }

    /// A `200 OK` of an operation S3 may fail after sending the status
    /// (CopyObject, UploadPartCopy, CompleteMultipartUpload): an error
    /// document in the body makes it an error.
    pub fn error_in_ok(body: &[u8]) -> Option<Verdict> {
        xml::parse(body).ok()?;
        Some(error_answer(200, body))
    }

    /// An answer whose body could not be read: by status alone.
    pub fn by_status(status: u16) -> Retry {
        Retry::from_status(status)
    }
}

#[cfg(not(feature = "s3err"))]
mod imp {
    use super::{Retry, Verdict};

    /// An error answer, by its status alone.
    pub fn error_answer(status: u16, _body: &[u8]) -> Verdict {
        let retry = by_status(status);
        defmt::warn!("HTTP {=u16}: retry {} (by status)", status, retry);
        Verdict { code: None, retry }
    }

    /// Never an error: the body is not read.
    pub fn error_in_ok(_body: &[u8]) -> Option<Verdict> {
        None
    }

    /// 429 throttles; 500, 502, 503, 504 are transient; the rest never.
    pub fn by_status(status: u16) -> Retry {
        match status {
            429 => Retry::Throttle,
            500 | 502 | 503 | 504 => Retry::Transient,
            _ => Retry::Never,
        }
    }
}

/// Without s3err: the same three reactions.
#[cfg(not(feature = "s3err"))]
#[derive(Clone, Copy, PartialEq, Eq, Debug, defmt::Format)]
pub enum Retry {
    /// Report at once.
    Never,
    /// Slow down: back off and retry.
    Throttle,
    /// Back off and retry.
    Transient,
}

pub use imp::{by_status, error_answer, error_in_ok};
