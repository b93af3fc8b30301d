//! The public result: [`parse`] and the [`ErrorBody`] it returns.

use super::error::{ParseError, ParseErrorKind};
use super::reader::{Level, walk};
use super::text::Text;
use crate::{ErrorCode, Retry};

/// An S3 (or IAM, or EC2-style) error document, parsed without copying:
/// every text borrows from the body.
///
/// The error element is the root `<Error>`, the `<Error>` child of a root
/// `<ErrorResponse>` (AWS query APIs, S3 Control), or the
/// `<Errors><Error>` of a root `<Response>` (EC2). Fields are looked up
/// among its children first, then among the wrapper's (where `RequestId`
/// sits in the query form). When an element occurs twice, the first wins.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ErrorBody<'a> {
    body: &'a str,
    code: Text<'a>,
    fields: Fields<'a>,
}

impl<'a> ErrorBody<'a> {
    /// The `<Code>` text, known to this crate or not.
    #[must_use]
    pub const fn code(&self) -> Text<'a> {
        self.code
    }

    /// The code as an [`ErrorCode`], if it names one of the enabled codes.
    /// XML whitespace around the decoded name is ignored, by the rule of
    /// [`Text::trim`] (literal, `&#32;`-style or in CDATA alike).
    ///
    /// ```
    /// # #[cfg(feature = "s3")] {
    /// let e = s3err::xml::parse(b"<Error><Code>SlowDown</Code></Error>").unwrap();
    /// assert_eq!(e.known(), Some(s3err::ErrorCode::SlowDown));
    /// # }
    /// let e = s3err::xml::parse(b"<Error><Code>NotARealError</Code></Error>").unwrap();
    /// assert_eq!(e.known(), None);
    /// ```
    #[must_use]
    pub fn known(&self) -> Option<ErrorCode> {
        let mut buf = [0u8; ErrorCode::MAX_NAME_LEN];
        ErrorCode::from_name(self.code.trim().decode_into(&mut buf)?)
    }

    /// `<Message>`.
    #[must_use]
    pub const fn message(&self) -> Option<Text<'a>> {
        self.fields.message
    }

    /// `<Resource>`.
    #[must_use]
    pub const fn resource(&self) -> Option<Text<'a>> {
        self.fields.resource
    }

    /// `<RequestId>` (or EC2's `<RequestID>`), in the error element or
    /// the wrapper.
    #[must_use]
    pub const fn request_id(&self) -> Option<Text<'a>> {
        self.fields.request_id
    }

    /// `<HostId>`, in the error element or the wrapper.
    #[must_use]
    pub const fn host_id(&self) -> Option<Text<'a>> {
        self.fields.host_id
    }

    /// `<Type>` of the query (IAM) form: `Sender` or `Receiver`.
    #[must_use]
    pub const fn error_type(&self) -> Option<Text<'a>> {
        self.fields.error_type
    }

    /// Any child element by name (exact, case-sensitive), first in the
    /// error element, then in the wrapper: `field("Key")`,
    /// `field("BucketName")`, `field("ArgumentName1")`…
    ///
    /// This reads the body again: time linear in its length.
    ///
    /// ```
    /// let e = s3err::xml::parse(b"<Error><Code>NoSuchKey</Code><Key>a/b</Key></Error>").unwrap();
    /// assert!(e.field("Key").is_some_and(|k| k == "a/b"));
    /// assert!(e.field("Bucket").is_none());
    /// ```
    #[must_use]
    pub fn field(&self, name: &str) -> Option<Text<'a>> {
        let mut in_error = None;
        let mut in_wrapper = None;
        walk(self.body, &mut |level, n, t| {
            if n == name {
                let slot = match level {
                    Level::Error => &mut in_error,
                    Level::Wrapper => &mut in_wrapper,
                };
                if slot.is_none() {
                    *slot = Some(t);
                }
            }
        })
        .ok()?;
        in_error.or(in_wrapper)
    }

    /// How a client should treat this error, given the HTTP status it came
    /// with: see [`Retry`] for the rule. The code is read through
    /// [`Text::trim`], as in [`known`](Self::known).
    ///
    /// ```
    /// use s3err::{Retry, xml::parse};
    /// let e = parse(b"<Error><Code>SlowDown</Code></Error>").unwrap();
    /// assert_eq!(e.retry(200), Retry::Throttle);
    /// let e = parse(b"<Error><Code>SomethingNew</Code></Error>").unwrap();
    /// assert_eq!(e.retry(502), Retry::Transient);
    /// assert_eq!(e.retry(400), Retry::Never);
    /// ```
    #[must_use]
    pub fn retry(&self, status: u16) -> Retry {
        // No code of the rule is longer than the buffer: a longer one (or
        // one that does not fit) matches none, as "" does.
        let mut buf = [0u8; Retry::MAX_CODE_LEN];
        let code = self.code.trim().decode_into(&mut buf).unwrap_or("");
        Retry::classify(code, status)
    }

    /// The whole body, as parsed.
    #[must_use]
    pub const fn body(&self) -> &'a str {
        self.body
    }
}

/// Parses an S3 error response body, without allocating or copying.
///
/// Accepts what real servers send: with or without an XML declaration
/// (even after leading whitespace), a UTF-8 byte-order mark, any
/// whitespace, comments and processing instructions, a default namespace
/// on the root, `<Error>` or `<ErrorResponse><Error>…</Error>…</ErrorResponse>`
/// (and EC2's `<Response><Errors><Error>`), unknown codes and extra
/// elements in any order.
///
/// Refuses everything else with a [`ParseError`] saying what and at which
/// byte: see [`ParseErrorKind`]. The whole body is checked to be well-formed
/// XML 1.0 in UTF-8 (no DTD; element names matched as written, prefixes
/// included). Time is linear in the length of the body; memory is a fixed
/// stack of [`MAX_DEPTH`](super::MAX_DEPTH) entries; there is no recursion.
///
/// ```
/// let body = br#"<?xml version="1.0" encoding="UTF-8"?>
/// <Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>
/// <Key>a&amp;b</Key><RequestId>4442587FB7D0A2F9</RequestId></Error>"#;
/// let e = s3err::xml::parse(body).unwrap();
/// assert_eq!(e.code(), "NoSuchKey");
/// assert!(e.field("Key").is_some_and(|k| k == "a&b"));
/// assert_eq!(e.request_id().unwrap().to_string(), "4442587FB7D0A2F9");
///
/// let err = s3err::xml::parse(b"<html><body>502 Bad Gateway</body></html>").unwrap_err();
/// assert_eq!(err.kind(), s3err::xml::ParseErrorKind::Html);
/// ```
///
/// # Errors
/// A [`ParseError`] for any body that is not a well-formed error document.
pub fn parse(body: &[u8]) -> Result<ErrorBody<'_>, ParseError> {
    if body.is_empty() {
        return Err(ParseError::new(ParseErrorKind::Empty, 0));
    }
    if body.starts_with(b"\xFF\xFE") || body.starts_with(b"\xFE\xFF") {
        return Err(ParseError::new(ParseErrorKind::UnsupportedEncoding, 0));
    }
    let s = core::str::from_utf8(body)
        .map_err(|e| ParseError::new(ParseErrorKind::InvalidUtf8, e.valid_up_to()))?;
    let mut code = None;
    let mut f = Fields::default();
    let mut w = Fields::default();
    let walked = walk(s, &mut |level, name, t| {
        let fields = match level {
            Level::Error => {
                if name == "Code" && code.is_none() {
                    code = Some(t);
                }
                &mut f
            }
            Level::Wrapper => &mut w,
        };
        fields.offer(level, name, t);
    })?;
    let Some(error_at) = walked.error_at else {
        return Err(ParseError::new(
            ParseErrorKind::NotAnErrorDocument,
            walked.root_at,
        ));
    };
    let Some(code) = code else {
        return Err(ParseError::new(ParseErrorKind::MissingCode, error_at));
    };
    Ok(ErrorBody {
        body: s,
        code,
        fields: Fields {
            request_id: f.request_id.or(w.request_id),
            host_id: f.host_id.or(w.host_id),
            ..f
        },
    })
}

/// The well-known fields found at one level.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
struct Fields<'a> {
    message: Option<Text<'a>>,
    resource: Option<Text<'a>>,
    request_id: Option<Text<'a>>,
    host_id: Option<Text<'a>>,
    error_type: Option<Text<'a>>,
}

impl<'a> Fields<'a> {
    fn offer(&mut self, level: Level, name: &str, t: Text<'a>) {
        let slot = match (level, name) {
            (Level::Error, "Message") => &mut self.message,
            (Level::Error, "Resource") => &mut self.resource,
            (Level::Error, "Type") => &mut self.error_type,
            (_, "RequestId" | "RequestID") => &mut self.request_id,
            (_, "HostId") => &mut self.host_id,
            _ => return,
        };
        if slot.is_none() {
            *slot = Some(t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(b: &[u8]) -> ParseErrorKind {
        parse(b).err().map_or(ParseErrorKind::Empty, |e| e.kind())
    }

    #[test]
    fn kinds() {
        assert_eq!(
            kind(b"<Error><Code>&#0;</Code></Error>"),
            ParseErrorKind::InvalidCharRef
        );
        assert_eq!(kind(b"<Error><Code>&#x12"), ParseErrorKind::UnexpectedEof);
        assert_eq!(
            kind(b"<Error><Code>a</Cod></Error>"),
            ParseErrorKind::MismatchedTag
        );
        assert_eq!(
            kind(b"<Error a='1' a='2'/>"),
            ParseErrorKind::DuplicateAttribute
        );
        assert_eq!(kind(b"<Error/>"), ParseErrorKind::MissingCode);
        let e = parse(b"<Error><Code>a</Code b></Error>").unwrap_err();
        assert_eq!(e.kind(), ParseErrorKind::Syntax);
        assert_eq!(e.detail(), "'>' ending the end tag");
    }
}
