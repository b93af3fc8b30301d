//! Rendering an S3 (or AWS Query) error document.

use core::fmt;

use super::escape::{InvalidChars, Piece, Pieces};
use crate::digits::Digits;
use crate::response::{ResponseHead, status_has_body};
use crate::{ErrorCode, Group};

/// The XML declaration S3 puts first, followed by a line feed as AWS sends it.
const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/// The namespace IAM's AWS Query error documents carry, the default of
/// [`ErrorDocument::namespace`].
pub const IAM_NAMESPACE: &str = "https://iam.amazonaws.com/doc/2010-05-08/";

/// The longest code text [`ErrorDocument::custom`] accepts, in bytes.
pub const MAX_CUSTOM_CODE_LEN: usize = 64;

/// The shape of the rendered document.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Form {
    /// The S3 REST form:
    /// `<?xml …?>\n<Error><Code>…</Code><Message>…</Message>…<RequestId>…</RequestId></Error>`.
    S3,
    /// The AWS Query protocol form (IAM, STS and the other query APIs):
    /// `<ErrorResponse xmlns="…"><Error><Type>Sender|Receiver</Type><Code>…</Code><Message>…</Message></Error><RequestId>…</RequestId></ErrorResponse>`,
    /// with the namespace of [`ErrorDocument::namespace`] (IAM's by
    /// default).
    AwsQuery,
}

impl Form {
    /// The form AWS uses for `code`: [`Form::AwsQuery`] for the `iam`
    /// group (IAM and AWS Query API errors), [`Form::S3`] for every other
    /// code.
    ///
    /// ```
    /// use s3err::{ErrorCode, xml::Form};
    /// # #[cfg(feature = "s3")]
    /// assert_eq!(Form::for_code(ErrorCode::NoSuchKey), Form::S3);
    /// # #[cfg(feature = "iam")]
    /// assert_eq!(Form::for_code(ErrorCode::NoSuchEntity), Form::AwsQuery);
    /// ```
    #[must_use]
    pub const fn for_code(code: ErrorCode) -> Form {
        match code.group() {
            Group::Iam => Form::AwsQuery,
            _ => Form::S3,
        }
    }
}

/// Which caller-supplied text a [`RenderError::InvalidChar`] or
/// [`RenderError::InvalidHeaderValue`] was found in.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Field {
    /// The message.
    Message,
    /// The resource.
    Resource,
    /// The request id.
    RequestId,
    /// The host id.
    HostId,
    /// The name of the argument pair with this 1-based number.
    ArgumentName(usize),
    /// The value of the argument pair with this 1-based number.
    ArgumentValue(usize),
    /// The bucket region (`x-amz-bucket-region`).
    BucketRegion,
    /// The namespace of the AWS Query form.
    Namespace,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Message => f.write_str("Message"),
            Field::Resource => f.write_str("Resource"),
            Field::RequestId => f.write_str("RequestId"),
            Field::HostId => f.write_str("HostId"),
            Field::ArgumentName(n) => write!(f, "ArgumentName{n}"),
            Field::ArgumentValue(n) => write!(f, "ArgumentValue{n}"),
            Field::BucketRegion => f.write_str("BucketRegion"),
            Field::Namespace => f.write_str("Namespace"),
        }
    }
}

/// Why rendering failed. Nothing is ever cut short silently: every failure
/// is one of these.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum RenderError {
    /// The output buffer is too small; the whole document needs exactly
    /// `needed` bytes. What was written to the buffer is unspecified.
    BufferTooSmall {
        /// The exact length of the rendered document in bytes.
        needed: usize,
    },
    /// Under [`InvalidChars::Reject`], a caller-supplied text holds a
    /// character XML 1.0 cannot carry.
    InvalidChar {
        /// Which text.
        field: Field,
        /// Byte offset of the character in that text.
        offset: usize,
    },
    /// A text sent as a header value ([`ErrorDocument::response`]) is not
    /// visible ASCII (0x21–0x7E) with interior spaces: a CR, LF, other
    /// control, DEL, non-ASCII byte, or a leading or trailing space. Refused
    /// under either [`InvalidChars`] rule, so nothing can be injected into
    /// the header block.
    InvalidHeaderValue {
        /// Which text.
        field: Field,
        /// Byte offset of the offending byte in that text.
        offset: usize,
    },
    /// A code given to [`ErrorDocument::custom`] holds a byte other than
    /// an ASCII letter, digit or `.`.
    InvalidCode {
        /// Byte offset of the first such byte in the code.
        offset: usize,
    },
    /// A code given to [`ErrorDocument::custom`] is empty or longer than
    /// [`MAX_CUSTOM_CODE_LEN`] bytes.
    InvalidCodeLength {
        /// The code's length in bytes.
        len: usize,
    },
    /// A status given to [`ErrorDocument::custom`] is outside 100..=599.
    InvalidStatus {
        /// The status given.
        status: u16,
    },
    /// The [`core::fmt::Write`] sink returned an error.
    Fmt,
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::BufferTooSmall { needed } => {
                write!(
                    f,
                    "buffer too small: the error document needs {needed} bytes"
                )
            }
            RenderError::InvalidChar { field, offset } => write!(
                f,
                "{field} holds a character XML 1.0 cannot carry at byte {offset}"
            ),
            RenderError::InvalidHeaderValue { field, offset } => write!(
                f,
                "{field} cannot be sent as a header value: byte {offset} is not visible ASCII or an interior space"
            ),
            RenderError::InvalidCode { offset } => write!(
                f,
                "the error code holds a byte other than an ASCII letter, digit or '.' at byte {offset}"
            ),
            RenderError::InvalidCodeLength { len } => write!(
                f,
                "the error code is {len} bytes long; 1 to {MAX_CUSTOM_CODE_LEN} are allowed"
            ),
            RenderError::InvalidStatus { status } => {
                write!(f, "status {status} is outside 100..=599")
            }
            RenderError::Fmt => f.write_str("the output sink failed"),
        }
    }
}

impl core::error::Error for RenderError {}

impl From<fmt::Error> for RenderError {
    fn from(_: fmt::Error) -> Self {
        RenderError::Fmt
    }
}

/// Where rendered text goes. Private: the public sinks are
/// `core::fmt::Write`, `&mut [u8]` and (feature `heapless-v0.9`) heapless types.
trait Sink {
    fn put(&mut self, s: &str) -> Result<(), RenderError>;
}

/// Counts bytes; never fails.
struct Counter(usize);

impl Sink for Counter {
    #[inline]
    fn put(&mut self, s: &str) -> Result<(), RenderError> {
        self.0 = self.0.saturating_add(s.len());
        Ok(())
    }
}

/// Adapts a `core::fmt::Write`.
struct FmtSink<'w, W: fmt::Write + ?Sized>(&'w mut W);

impl<W: fmt::Write + ?Sized> Sink for FmtSink<'_, W> {
    #[inline]
    fn put(&mut self, s: &str) -> Result<(), RenderError> {
        self.0.write_str(s).map_err(|_| RenderError::Fmt)
    }
}

/// Writes into a byte slice while it fits, then only counts, so that the
/// exact size needed is known after one pass.
struct SliceSink<'b> {
    buf: &'b mut [u8],
    len: usize,
}

impl Sink for SliceSink<'_> {
    #[inline]
    fn put(&mut self, s: &str) -> Result<(), RenderError> {
        // Cut to exactly `s.len()` bytes, so the compiler sees the lengths
        // match and `copy_from_slice` keeps no panicking branch.
        let dst = self
            .buf
            .get_mut(self.len..)
            .and_then(|b| b.get_mut(..s.len()));
        if let Some(dst) = dst {
            dst.copy_from_slice(s.as_bytes());
        }
        self.len = self.len.saturating_add(s.len());
        Ok(())
    }
}

/// An S3 error document, ready to render: the builder at the heart of the
/// gateway side.
///
/// All text is borrowed; nothing is copied until it is written, and every
/// caller-supplied text is escaped (see [`escape`](super::escape) for the
/// rule). The setters are `with_*`; each field has a getter of its own
/// name. The message defaults to the code's description, or — without the
/// `descriptions` feature, where there is none, and for a code outside the
/// table — to the code's name.
///
/// ```
/// # #[cfg(all(feature = "s3", feature = "descriptions"))] {
/// use s3err::{ErrorCode, xml::ErrorDocument};
///
/// let doc = ErrorDocument::new(ErrorCode::NoSuchKey)
///     .with_resource("/bucket/a&b.txt")
///     .with_request_id("4442587FB7D0A2F9");
/// let mut buf = [0u8; 256];
/// let n = doc.write_to_slice(&mut buf).unwrap();
/// assert_eq!(n, doc.rendered_len());
/// assert_eq!(
///     core::str::from_utf8(&buf[..n]).unwrap(),
///     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>\
///      <Message>The specified key does not exist.</Message>\
///      <Resource>/bucket/a&amp;b.txt</Resource>\
///      <RequestId>4442587FB7D0A2F9</RequestId></Error>"
/// );
/// # }
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[must_use]
pub struct ErrorDocument<'a> {
    code: Code<'a>,
    status: u16,
    message: Option<&'a str>,
    resource: Option<&'a str>,
    request_id: &'a str,
    host_id: Option<&'a str>,
    bucket_region: Option<&'a str>,
    arguments: &'a [(&'a str, &'a str)],
    form: Form,
    namespace: &'a str,
    invalid_chars: InvalidChars,
}

/// The code of a document: one of the table, or a checked text outside it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
enum Code<'a> {
    Table(ErrorCode),
    Other(&'a str),
}

impl<'a> ErrorDocument<'a> {
    /// A document for `code`, with its status, in the form AWS uses for it
    /// ([`Form::for_code`]), with the default message and an empty request id.
    pub const fn new(code: ErrorCode) -> Self {
        ErrorDocument {
            code: Code::Table(code),
            status: code.status(),
            message: None,
            resource: None,
            request_id: "",
            host_id: None,
            bucket_region: None,
            arguments: &[],
            form: Form::for_code(code),
            namespace: IAM_NAMESPACE,
            invalid_chars: InvalidChars::Replace,
        }
    }

    /// A document for a code given as text, with its HTTP status: for an
    /// error relayed from upstream, or an S3 code the table does not hold
    /// yet. Nothing is allocated; the code is borrowed.
    ///
    /// The code must be 1 to [`MAX_CUSTOM_CODE_LEN`] bytes of ASCII
    /// letters, digits and `.`, and the status in 100..=599. A code the
    /// table holds gives the document [`new`](Self::new) gives for it, with
    /// `status` instead of the table's (so the same bytes when the status
    /// is the table's); any other code is written in the [`Form::S3`] form,
    /// with the code itself as the default message.
    ///
    /// ```
    /// use s3err::xml::{self, ErrorDocument, RenderError};
    /// let doc = ErrorDocument::custom("BucketAlreadyOwnedByOther", 409)?
    ///     .with_message("Upstream says no.");
    /// let mut buf = [0u8; 256];
    /// let n = doc.write_to_slice(&mut buf)?;
    /// let back = xml::parse(&buf[..n]).unwrap();
    /// assert_eq!(back.code(), "BucketAlreadyOwnedByOther");
    /// assert_eq!(back.known(), None);
    ///
    /// assert_eq!(
    ///     ErrorDocument::custom("No Such", 404),
    ///     Err(RenderError::InvalidCode { offset: 2 })
    /// );
    /// # Ok::<(), RenderError>(())
    /// ```
    ///
    /// # Errors
    /// [`RenderError::InvalidCodeLength`] for an empty code or one longer
    /// than [`MAX_CUSTOM_CODE_LEN`], [`RenderError::InvalidCode`] with the
    /// offset of the first byte that is not an ASCII letter, digit or `.`,
    /// [`RenderError::InvalidStatus`] for a status outside 100..=599.
    pub fn custom(code: &'a str, status: u16) -> Result<Self, RenderError> {
        if code.is_empty() || code.len() > MAX_CUSTOM_CODE_LEN {
            return Err(RenderError::InvalidCodeLength { len: code.len() });
        }
        if let Some(offset) = code
            .bytes()
            .position(|b| !(b.is_ascii_alphanumeric() || b == b'.'))
        {
            return Err(RenderError::InvalidCode { offset });
        }
        if !(100..=599).contains(&status) {
            return Err(RenderError::InvalidStatus { status });
        }
        let mut doc = match ErrorCode::from_name(code) {
            Some(c) => ErrorDocument::new(c),
            None => ErrorDocument {
                code: Code::Other(code),
                form: Form::S3,
                ..ErrorDocument::new_other()
            },
        };
        doc.status = status;
        Ok(doc)
    }

    /// The fields every document starts with, for a code outside the table.
    const fn new_other() -> Self {
        ErrorDocument {
            code: Code::Other(""),
            status: 500,
            message: None,
            resource: None,
            request_id: "",
            host_id: None,
            bucket_region: None,
            arguments: &[],
            form: Form::S3,
            namespace: IAM_NAMESPACE,
            invalid_chars: InvalidChars::Replace,
        }
    }

    /// Replaces the default message (the code's description).
    pub const fn with_message(mut self, message: &'a str) -> Self {
        self.message = Some(message);
        self
    }

    /// Sets `<Resource>`, e.g. `/bucket/key`.
    pub const fn with_resource(mut self, resource: &'a str) -> Self {
        self.resource = Some(resource);
        self
    }

    /// Sets `<RequestId>`. Without it the element is written empty.
    pub const fn with_request_id(mut self, request_id: &'a str) -> Self {
        self.request_id = request_id;
        self
    }

    /// Sets `<HostId>`.
    pub const fn with_host_id(mut self, host_id: &'a str) -> Self {
        self.host_id = Some(host_id);
        self
    }

    /// Sets the bucket's region, sent as the `x-amz-bucket-region` header
    /// by [`response`](Self::response) (not written in the body).
    ///
    /// The redirects need it: `PermanentRedirect` (301) and
    /// `TemporaryRedirect` (307) tell the client to go to the bucket's
    /// region, and the AWS SDKs read that region from this header. Without
    /// it, a client may re-send the request again and again. It is also
    /// what S3 sends with `HeadBucket` answers, so it is harmless on any code.
    pub const fn with_bucket_region(mut self, region: &'a str) -> Self {
        self.bucket_region = Some(region);
        self
    }

    /// Sets the numbered `<ArgumentNameN>`/`<ArgumentValueN>` pairs
    /// (`N` from 1), written after the message.
    pub const fn with_arguments(mut self, arguments: &'a [(&'a str, &'a str)]) -> Self {
        self.arguments = arguments;
        self
    }

    /// Chooses the form instead of the code's own ([`Form::for_code`]).
    pub const fn with_form(mut self, form: Form) -> Self {
        self.form = form;
        self
    }

    /// Sets the `xmlns` of the [`Form::AwsQuery`] form's `<ErrorResponse>`
    /// (default [`IAM_NAMESPACE`]), e.g. STS's
    /// `https://sts.amazonaws.com/doc/2011-06-15/`. Not written in the S3
    /// form.
    pub const fn with_namespace(mut self, namespace: &'a str) -> Self {
        self.namespace = namespace;
        self
    }

    /// Chooses what happens to characters XML cannot carry (default
    /// [`InvalidChars::Replace`]).
    pub const fn with_invalid_chars(mut self, rule: InvalidChars) -> Self {
        self.invalid_chars = rule;
        self
    }

    /// The code, as it is written in `<Code>`.
    #[must_use]
    pub const fn code(&self) -> &'a str {
        match self.code {
            Code::Table(c) => c.as_str(),
            Code::Other(t) => t,
        }
    }

    /// The code as an [`ErrorCode`], if the table holds it.
    #[must_use]
    pub const fn known(&self) -> Option<ErrorCode> {
        match self.code {
            Code::Table(c) => Some(c),
            Code::Other(_) => None,
        }
    }

    /// The HTTP status to answer with: the code's status, or the one given
    /// to [`custom`](Self::custom).
    #[must_use]
    pub const fn status(&self) -> u16 {
        self.status
    }

    /// The message that will be written: the caller's, or the code's
    /// description, or (without the `descriptions` feature, or for a code
    /// outside the table) its name.
    #[must_use]
    pub const fn message(&self) -> &'a str {
        match (self.message, self.code) {
            (Some(m), _) => m,
            (None, Code::Table(c)) => {
                let d = c.description();
                if d.is_empty() { c.as_str() } else { d }
            }
            (None, Code::Other(t)) => t,
        }
    }

    /// The resource, if set.
    #[must_use]
    pub const fn resource(&self) -> Option<&'a str> {
        self.resource
    }

    /// The request id (`""` when not set).
    #[must_use]
    pub const fn request_id(&self) -> &'a str {
        self.request_id
    }

    /// The host id, if set.
    #[must_use]
    pub const fn host_id(&self) -> Option<&'a str> {
        self.host_id
    }

    /// The bucket region, if set.
    #[must_use]
    pub const fn bucket_region(&self) -> Option<&'a str> {
        self.bucket_region
    }

    /// The argument pairs.
    #[must_use]
    pub const fn arguments(&self) -> &'a [(&'a str, &'a str)] {
        self.arguments
    }

    /// The form that will be written.
    #[must_use]
    pub const fn form(&self) -> Form {
        self.form
    }

    /// The namespace of the [`Form::AwsQuery`] form.
    #[must_use]
    pub const fn namespace(&self) -> &'a str {
        self.namespace
    }

    /// The rule for characters XML cannot carry.
    #[must_use]
    pub const fn invalid_chars(&self) -> InvalidChars {
        self.invalid_chars
    }

    /// The exact length in bytes of the document as [`Display`](fmt::Display)
    /// writes it, so buffers can be sized up front. Characters XML cannot
    /// carry count as U+FFFD (3 bytes), whatever the [`InvalidChars`] rule.
    ///
    /// This is the length of the [`InvalidChars::Replace`] rendering. Under
    /// [`InvalidChars::Reject`] a document holding such a character has no
    /// body at all (every fallible writer fails), so do not send this
    /// number as a `Content-Length`: take the length from
    /// [`response`](Self::response), which fails for such a document, or
    /// from the `Ok` of [`write_to_slice`](Self::write_to_slice).
    #[must_use]
    pub fn rendered_len(&self) -> usize {
        let mut c = Counter(0);
        // Counting with `Replace` cannot fail.
        let _ = self.render(&mut c, InvalidChars::Replace);
        c.0
    }

    /// Writes the document into any [`core::fmt::Write`].
    ///
    /// # Errors
    /// [`RenderError::Fmt`] if the sink fails (what it received is then a
    /// prefix of the document), [`RenderError::InvalidChar`] under
    /// [`InvalidChars::Reject`] (checked before anything is written).
    pub fn write_to<W: fmt::Write + ?Sized>(&self, out: &mut W) -> Result<(), RenderError> {
        self.check()?;
        self.render(&mut FmtSink(out), InvalidChars::Replace)
    }

    /// Writes the document into `buf` and returns its length.
    ///
    /// Never writes past `buf`.
    ///
    /// # Errors
    /// [`RenderError::BufferTooSmall`] with the exact size needed, or
    /// [`RenderError::InvalidChar`] under [`InvalidChars::Reject`].
    pub fn write_to_slice(&self, buf: &mut [u8]) -> Result<usize, RenderError> {
        self.check()?;
        let mut s = SliceSink { buf, len: 0 };
        self.render(&mut s, InvalidChars::Replace)?;
        if s.len > s.buf.len() {
            Err(RenderError::BufferTooSmall { needed: s.len })
        } else {
            Ok(s.len)
        }
    }

    /// Renders into a fixed-capacity `heapless::String<N>` (heapless 0.9).
    ///
    /// # Errors
    /// [`RenderError::BufferTooSmall`] if the document is longer than `N`,
    /// [`RenderError::InvalidChar`] under [`InvalidChars::Reject`].
    #[cfg(feature = "heapless-v0.9")]
    #[cfg_attr(docsrs, doc(cfg(feature = "heapless-v0.9")))]
    pub fn to_heapless<const N: usize>(&self) -> Result<heapless::String<N>, RenderError> {
        self.check()?;
        let needed = self.rendered_len();
        if needed > N {
            return Err(RenderError::BufferTooSmall { needed });
        }
        let mut s = heapless::String::<N>::new();
        self.render(&mut FmtSink(&mut s), InvalidChars::Replace)?;
        Ok(s)
    }

    /// Renders into a fixed-capacity `heapless::Vec<u8, N>` (heapless 0.9).
    ///
    /// # Errors
    /// As [`to_heapless`](Self::to_heapless).
    #[cfg(feature = "heapless-v0.9")]
    #[cfg_attr(docsrs, doc(cfg(feature = "heapless-v0.9")))]
    pub fn to_heapless_vec<const N: usize>(&self) -> Result<heapless::Vec<u8, N>, RenderError> {
        self.check()?;
        let needed = self.rendered_len();
        if needed > N {
            return Err(RenderError::BufferTooSmall { needed });
        }
        let mut v = heapless::Vec::<u8, N>::new();
        self.render(&mut FmtSink(&mut v), InvalidChars::Replace)?;
        Ok(v)
    }

    /// The status line and headers a gateway sends with this document in
    /// answer to any request but `HEAD` (for which see
    /// [`head_response`](Self::head_response)).
    ///
    /// The headers, in this order (see [`ResponseHead::headers`]):
    ///
    /// | header | when |
    /// |---|---|
    /// | `Content-Type: application/xml` and the exact `Content-Length` | when a body is sent (not for `HEAD`, nor for 304 `NotModified`) |
    /// | `x-amz-request-id` | when a [request id](Self::with_request_id) is set (not empty) |
    /// | `x-amz-id-2` | when a [host id](Self::with_host_id) is set (not empty) |
    /// | `x-amz-bucket-region` | when a [bucket region](Self::with_bucket_region) is set (not empty) |
    ///
    /// The AWS SDKs read the request id and host id of an error from the
    /// `x-amz-request-id` and `x-amz-id-2` headers, not from the body, so
    /// set a request id on every error. The 301 `PermanentRedirect` and
    /// 307 `TemporaryRedirect` answers need the bucket region. s3err writes
    /// no `Location` header: a gateway that redirects (`TemporaryRedirect`,
    /// `Redirect`) adds its own.
    ///
    /// ```
    /// # #[cfg(all(feature = "s3", feature = "descriptions"))] {
    /// use s3err::response::Header;
    /// use s3err::{ErrorCode, xml::ErrorDocument};
    /// let doc = ErrorDocument::new(ErrorCode::NoSuchKey).with_request_id("4442587FB7D0A2F9");
    /// let get = doc.response().unwrap();
    /// assert_eq!((get.status(), get.reason()), (404, "Not Found"));
    /// assert!(get.headers().eq([
    ///     Header::ContentType,
    ///     Header::ContentLength(167),
    ///     Header::RequestId("4442587FB7D0A2F9"),
    /// ]));
    /// # }
    /// ```
    ///
    /// # Errors
    /// - [`RenderError::InvalidHeaderValue`] if the request id, host id or
    ///   bucket region is not a valid header value (visible ASCII 0x21–0x7E
    ///   with interior spaces), under either [`InvalidChars`] rule;
    /// - [`RenderError::InvalidChar`] under [`InvalidChars::Reject`] if a
    ///   text holds a character XML cannot carry: such a document has no
    ///   body, so no `Content-Length` is promised for it.
    pub fn response(&self) -> Result<ResponseHead<'a>, RenderError> {
        self.head(status_has_body(self.status))
    }

    /// The status line and headers for an answer to a `HEAD` request: as
    /// [`response`](Self::response), without a body (so without
    /// `Content-Type` and `Content-Length`). The same checks run, so a
    /// `GET` and a `HEAD` of one document succeed or fail together.
    ///
    /// ```
    /// # #[cfg(feature = "s3")] {
    /// use s3err::response::Header;
    /// use s3err::{ErrorCode, xml::ErrorDocument};
    /// let doc = ErrorDocument::new(ErrorCode::NoSuchKey).with_request_id("4442587FB7D0A2F9");
    /// let head = doc.head_response().unwrap();
    /// assert!(!head.has_body());
    /// assert!(head.headers().eq([Header::RequestId("4442587FB7D0A2F9")]));
    /// # }
    /// ```
    ///
    /// # Errors
    /// As [`response`](Self::response).
    pub fn head_response(&self) -> Result<ResponseHead<'a>, RenderError> {
        self.head(false)
    }

    /// The checked head, with a body when `body` holds.
    fn head(&self, body: bool) -> Result<ResponseHead<'a>, RenderError> {
        let request_id = header_value(self.request_id, Field::RequestId)?;
        let host_id = header_value(self.host_id.unwrap_or(""), Field::HostId)?;
        let bucket_region = header_value(self.bucket_region.unwrap_or(""), Field::BucketRegion)?;
        self.check()?;
        let body_len = if body {
            Some(self.rendered_len())
        } else {
            None
        };
        Ok(ResponseHead::new(
            self.status,
            body_len,
            request_id,
            host_id,
            bucket_region,
        ))
    }

    /// Under [`InvalidChars::Reject`], the first invalid character, if any.
    fn check(&self) -> Result<(), RenderError> {
        if matches!(self.invalid_chars, InvalidChars::Reject) {
            self.render(&mut Counter(0), InvalidChars::Reject)?;
        }
        Ok(())
    }

    /// What both forms share, from the `<Code>` text to `<Resource>`.
    fn code_to_resource<S: Sink>(&self, s: &mut S, rule: InvalidChars) -> Result<(), RenderError> {
        text(s, self.code(), rule, Field::Message)?;
        s.put("</Code><Message>")?;
        text(s, self.message(), rule, Field::Message)?;
        s.put("</Message>")?;
        self.arguments_into(s, rule)?;
        if let Some(r) = self.resource {
            element(s, "Resource", r, rule, Field::Resource)?;
        }
        Ok(())
    }

    /// `<RequestId>` and, when set, `<HostId>`.
    fn ids<S: Sink>(&self, s: &mut S, rule: InvalidChars) -> Result<(), RenderError> {
        element(s, "RequestId", self.request_id, rule, Field::RequestId)?;
        if let Some(h) = self.host_id {
            element(s, "HostId", h, rule, Field::HostId)?;
        }
        Ok(())
    }

    fn render<S: Sink>(&self, s: &mut S, rule: InvalidChars) -> Result<(), RenderError> {
        match self.form {
            Form::S3 => {
                s.put(DECLARATION)?;
                s.put("<Error><Code>")?;
                self.code_to_resource(s, rule)?;
                self.ids(s, rule)?;
                s.put("</Error>")
            }
            Form::AwsQuery => {
                s.put("<ErrorResponse xmlns=\"")?;
                text(s, self.namespace, rule, Field::Namespace)?;
                s.put("\"><Error><Type>")?;
                s.put(if self.status >= 500 {
                    "Receiver"
                } else {
                    "Sender"
                })?;
                s.put("</Type><Code>")?;
                self.code_to_resource(s, rule)?;
                s.put("</Error>")?;
                self.ids(s, rule)?;
                s.put("</ErrorResponse>")
            }
        }
    }

    fn arguments_into<S: Sink>(&self, s: &mut S, rule: InvalidChars) -> Result<(), RenderError> {
        for (i, (name, value)) in self.arguments.iter().enumerate() {
            let n = i.saturating_add(1);
            let digits = Digits::new(n);
            let num = digits.as_str();
            s.put("<ArgumentName")?;
            s.put(num)?;
            s.put(">")?;
            text(s, name, rule, Field::ArgumentName(n))?;
            s.put("</ArgumentName")?;
            s.put(num)?;
            s.put("><ArgumentValue")?;
            s.put(num)?;
            s.put(">")?;
            text(s, value, rule, Field::ArgumentValue(n))?;
            s.put("</ArgumentValue")?;
            s.put(num)?;
            s.put(">")?;
        }
        Ok(())
    }
}

/// Writes the document, always with the [`InvalidChars::Replace`] rule:
/// [`InvalidChars::Reject`] is a property of the fallible writers
/// ([`ErrorDocument::write_to`], [`write_to_slice`](ErrorDocument::write_to_slice),
/// the heapless ones and [`response`](ErrorDocument::response)) only.
/// So `Display` fails only when the formatter's sink fails, as its
/// contract requires, and `to_string()` never panics; what it writes is
/// exactly [`rendered_len`](ErrorDocument::rendered_len) bytes.
impl fmt::Display for ErrorDocument<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.render(&mut FmtSink(f), InvalidChars::Replace)
            .map_err(|_| fmt::Error)
    }
}

/// `Some(value)` if `value` is a valid header value, `None` if it is empty
/// (no header is sent).
fn header_value(value: &str, field: Field) -> Result<Option<&str>, RenderError> {
    if value.is_empty() {
        return Ok(None);
    }
    let last = value.len().saturating_sub(1);
    for (offset, &b) in value.as_bytes().iter().enumerate() {
        let ok = matches!(b, 0x21..=0x7E) || (b == b' ' && offset != 0 && offset != last);
        if !ok {
            return Err(RenderError::InvalidHeaderValue { field, offset });
        }
    }
    Ok(Some(value))
}

/// `<name>escaped text</name>`.
fn element<S: Sink>(
    s: &mut S,
    name: &str,
    t: &str,
    rule: InvalidChars,
    field: Field,
) -> Result<(), RenderError> {
    s.put("<")?;
    s.put(name)?;
    s.put(">")?;
    text(s, t, rule, field)?;
    s.put("</")?;
    s.put(name)?;
    s.put(">")
}

/// Escaped text.
fn text<S: Sink>(s: &mut S, t: &str, rule: InvalidChars, field: Field) -> Result<(), RenderError> {
    for p in Pieces::new(t) {
        match p {
            Piece::Plain(p) => s.put(p)?,
            Piece::Escaped {
                text,
                offset,
                invalid,
            } => {
                if invalid && matches!(rule, InvalidChars::Reject) {
                    return Err(RenderError::InvalidChar { field, offset });
                }
                s.put(text)?;
            }
        }
    }
    Ok(())
}
