//! The HTTP response head of an error: status, reason phrase, whether a
//! body follows, and the headers, typed.
//!
//! [`ErrorDocument::response`](crate::xml::ErrorDocument::response) and
//! [`head_response`](crate::xml::ErrorDocument::head_response) build a
//! checked [`ResponseHead`]; a gateway writes it as it is:
//!
//! ```
//! use core::fmt::Write;
//! use s3err::response::ResponseHead;
//!
//! /// The status line and the headers, as a gateway writes them.
//! fn write_head(w: &mut impl Write, head: &ResponseHead<'_>) -> core::fmt::Result {
//!     write!(w, "HTTP/1.1 {} {}\r\n", head.status(), head.reason())?;
//!     for h in head.headers() { write!(w, "{}: {}\r\n", h.name(), h.value())?; }
//!     w.write_str("\r\n")
//! }
//!
//! # #[cfg(all(feature = "s3", feature = "descriptions"))] {
//! use s3err::{ErrorCode, xml::ErrorDocument};
//! let doc = ErrorDocument::new(ErrorCode::NoSuchKey).with_request_id("4442587FB7D0A2F9");
//! let mut w = String::new();
//! write_head(&mut w, &doc.response().unwrap()).unwrap();
//! assert_eq!(
//!     w,
//!     "HTTP/1.1 404 Not Found\r\nContent-Type: application/xml\r\n\
//!      Content-Length: 167\r\nx-amz-request-id: 4442587FB7D0A2F9\r\n\r\n"
//! );
//! # }
//! ```
//!
//! No allocation; every text is borrowed from the document.

use core::fmt;

use crate::digits::Digits;

/// The status line and headers of an error response, checked: every
/// header value is visible ASCII (0x21–0x7E) with interior spaces only.
/// Built by [`ErrorDocument::response`](crate::xml::ErrorDocument::response)
/// and [`head_response`](crate::xml::ErrorDocument::head_response).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ResponseHead<'a> {
    status: u16,
    body_len: Option<usize>,
    request_id: Option<&'a str>,
    host_id: Option<&'a str>,
    bucket_region: Option<&'a str>,
}

impl<'a> ResponseHead<'a> {
    /// A head whose header values the caller has checked.
    pub(crate) const fn new(
        status: u16,
        body_len: Option<usize>,
        request_id: Option<&'a str>,
        host_id: Option<&'a str>,
        bucket_region: Option<&'a str>,
    ) -> Self {
        ResponseHead {
            status,
            body_len,
            request_id,
            host_id,
            bucket_region,
        }
    }

    /// The HTTP status code.
    #[must_use]
    pub const fn status(&self) -> u16 {
        self.status
    }

    /// The status's reason phrase (`"Not Found"`), `""` for a status
    /// [`reason_phrase`] does not know.
    #[must_use]
    pub const fn reason(&self) -> &'static str {
        match reason_phrase(self.status) {
            Some(r) => r,
            None => "",
        }
    }

    /// Whether a body follows the headers.
    #[must_use]
    pub const fn has_body(&self) -> bool {
        self.body_len.is_some()
    }

    /// The exact `Content-Length` of the body, `None` when no body is sent.
    #[must_use]
    pub const fn content_length(&self) -> Option<usize> {
        self.body_len
    }

    /// The headers, in a fixed order: `Content-Type` and `Content-Length`
    /// (with a body), `x-amz-request-id`, `x-amz-id-2`,
    /// `x-amz-bucket-region` (each when set). Names are written as S3
    /// writes them; HTTP header names are case-insensitive.
    pub const fn headers(&self) -> Headers<'a> {
        Headers {
            head: *self,
            next: 0,
        }
    }
}

/// One header of a [`ResponseHead`]: its name ([`name`](Self::name)) and
/// value ([`value`](Self::value)) are ready to be written as
/// `name: value`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Header<'a> {
    /// `Content-Type: application/xml`.
    ContentType,
    /// `Content-Length`, the exact length of the body in bytes.
    ContentLength(usize),
    /// `x-amz-request-id`.
    RequestId(&'a str),
    /// `x-amz-id-2`, the host id.
    HostId(&'a str),
    /// `x-amz-bucket-region`, the bucket's region.
    BucketRegion(&'a str),
}

impl<'a> Header<'a> {
    /// The header's name, as S3 writes it.
    ///
    /// ```
    /// assert_eq!(s3err::response::Header::HostId("x").name(), "x-amz-id-2");
    /// ```
    #[must_use]
    pub const fn name(&self) -> &'static str {
        match self {
            Header::ContentType => "Content-Type",
            Header::ContentLength(_) => "Content-Length",
            Header::RequestId(_) => "x-amz-request-id",
            Header::HostId(_) => "x-amz-id-2",
            Header::BucketRegion(_) => "x-amz-bucket-region",
        }
    }

    /// The header's value; [`Display`](fmt::Display) writes it.
    ///
    /// ```
    /// use s3err::response::Header;
    /// assert_eq!(Header::ContentLength(167).value().to_string(), "167");
    /// assert_eq!(Header::ContentType.value().to_string(), "application/xml");
    /// ```
    #[must_use]
    pub const fn value(&self) -> Value<'a> {
        match *self {
            Header::ContentType => Value(Inner::Text("application/xml")),
            Header::ContentLength(n) => Value(Inner::Number(n)),
            Header::RequestId(t) | Header::HostId(t) | Header::BucketRegion(t) => {
                Value(Inner::Text(t))
            }
        }
    }
}

/// The value of a [`Header`]: visible ASCII (0x21–0x7E) with interior
/// spaces only, so it can be written into a header block as it is.
/// [`Display`](fmt::Display) writes it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Value<'a>(Inner<'a>);

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
enum Inner<'a> {
    Text(&'a str),
    Number(usize),
}

impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Inner::Text(t) => f.write_str(t),
            Inner::Number(n) => f.write_str(Digits::new(n).as_str()),
        }
    }
}

/// The headers of a [`ResponseHead`], in order; see
/// [`ResponseHead::headers`].
#[derive(Clone, Debug)]
#[must_use = "iterators do nothing unless consumed"]
pub struct Headers<'a> {
    head: ResponseHead<'a>,
    next: u8,
}

#[cfg(feature = "defmt")]
impl defmt::Format for Headers<'_> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "Headers({})", self.head);
    }
}

impl<'a> Iterator for Headers<'a> {
    type Item = Header<'a>;

    fn next(&mut self) -> Option<Header<'a>> {
        let h = &self.head;
        while self.next < 5 {
            let i = self.next;
            self.next = self.next.saturating_add(1);
            let item = match i {
                0 => h.body_len.map(|_| Header::ContentType),
                1 => h.body_len.map(Header::ContentLength),
                2 => h.request_id.map(Header::RequestId),
                3 => h.host_id.map(Header::HostId),
                _ => h.bucket_region.map(Header::BucketRegion),
            };
            if item.is_some() {
                return item;
            }
        }
        None
    }
}

impl core::iter::FusedIterator for Headers<'_> {}

/// Whether a response with `status` carries a body: not for 1xx, 204
/// and 304 responses (RFC 9110 §15.2, §15.3.5, §15.4.5). A response to
/// a `HEAD` request never has one, whatever its status: that is
/// [`head_response`](crate::xml::ErrorDocument::head_response).
///
/// ```
/// use s3err::response::status_has_body;
/// assert!(status_has_body(404));
/// assert!(!status_has_body(304));
/// assert!(!status_has_body(204));
/// ```
#[must_use]
pub const fn status_has_body(status: u16) -> bool {
    !(status < 200 || status == 204 || status == 304)
}

/// The standard reason phrase of an HTTP status (RFC 9110 §15, RFC 6585
/// for 428/429/431, RFC 7725 for 451), `None` for one it does not define.
/// Covers every status in the table.
///
/// ```
/// assert_eq!(s3err::response::reason_phrase(404), Some("Not Found"));
/// assert_eq!(s3err::response::reason_phrase(599), None);
/// ```
#[must_use]
pub const fn reason_phrase(status: u16) -> Option<&'static str> {
    Some(match status {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        305 => "Use Proxy",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        417 => "Expectation Failed",
        421 => "Misdirected Request",
        422 => "Unprocessable Content",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn every_table_status_has_a_reason() {
        for c in ErrorCode::ALL {
            assert!(reason_phrase(c.status()).is_some(), "{c}");
        }
    }
}
