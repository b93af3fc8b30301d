//! Rendering an S3 (or IAM) error document.

use core::fmt;

use super::escape::{InvalidChars, Piece, Pieces};
use crate::{ErrorCode, Group};

/// The XML declaration S3 puts first, followed by a line feed as AWS sends it.
const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/// The namespace of the IAM query-API error document.
pub const IAM_NAMESPACE: &str = "https://iam.amazonaws.com/doc/2010-05-08/";

/// The `Content-Type` of every error body this module renders.
pub const CONTENT_TYPE: &str = "application/xml";

/// The shape of the rendered document.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Form {
    /// The S3 REST form:
    /// `<?xml …?>\n<Error><Code>…</Code><Message>…</Message>…<RequestId>…</RequestId></Error>`.
    S3,
    /// The AWS query-API (IAM) form:
    /// `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender|Receiver</Type><Code>…</Code><Message>…</Message></Error><RequestId>…</RequestId></ErrorResponse>`.
    Iam,
}

impl Form {
    /// The form AWS uses for `code`: [`Form::Iam`] for the `iam` group
    /// (IAM and AWS query-API errors), [`Form::S3`] for every other code.
    ///
    /// ```
    /// use s3err::{ErrorCode, xml::Form};
    /// # #[cfg(feature = "s3")]
    /// assert_eq!(Form::for_code(ErrorCode::NoSuchKey), Form::S3);
    /// # #[cfg(feature = "iam")]
    /// assert_eq!(Form::for_code(ErrorCode::NoSuchEntity), Form::Iam);
    /// ```
    #[must_use]
    pub fn for_code(code: ErrorCode) -> Form {
        match code.group() {
            Group::Iam => Form::Iam,
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
/// `core::fmt::Write`, `&mut [u8]` and (feature `heapless`) heapless types.
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
/// rule). The message defaults to the code's description, or — without the
/// `descriptions` feature, where there is none — to the code's name.
///
/// ```
/// # #[cfg(all(feature = "s3", feature = "descriptions"))] {
/// use s3err::{ErrorCode, xml::ErrorDocument};
///
/// let doc = ErrorDocument::new(ErrorCode::NoSuchKey)
///     .resource("/bucket/a&b.txt")
///     .request_id("4442587FB7D0A2F9");
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
    code: ErrorCode,
    message: Option<&'a str>,
    resource: Option<&'a str>,
    request_id: &'a str,
    host_id: Option<&'a str>,
    bucket_region: Option<&'a str>,
    arguments: &'a [(&'a str, &'a str)],
    form: Form,
    invalid_chars: InvalidChars,
}

impl<'a> ErrorDocument<'a> {
    /// A document for `code`, in the form AWS uses for it
    /// ([`Form::for_code`]), with the default message and an empty request id.
    pub fn new(code: ErrorCode) -> Self {
        ErrorDocument {
            code,
            message: None,
            resource: None,
            request_id: "",
            host_id: None,
            bucket_region: None,
            arguments: &[],
            form: Form::for_code(code),
            invalid_chars: InvalidChars::Replace,
        }
    }

    /// Replaces the default message (the code's description).
    pub fn message(mut self, message: &'a str) -> Self {
        self.message = Some(message);
        self
    }

    /// Sets `<Resource>`, e.g. `/bucket/key`.
    pub fn resource(mut self, resource: &'a str) -> Self {
        self.resource = Some(resource);
        self
    }

    /// Sets `<RequestId>`. Without it the element is written empty.
    pub fn request_id(mut self, request_id: &'a str) -> Self {
        self.request_id = request_id;
        self
    }

    /// Sets `<HostId>`.
    pub fn host_id(mut self, host_id: &'a str) -> Self {
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
    pub fn bucket_region(mut self, region: &'a str) -> Self {
        self.bucket_region = Some(region);
        self
    }

    /// Sets the numbered `<ArgumentNameN>`/`<ArgumentValueN>` pairs
    /// (`N` from 1), written after the message.
    pub fn arguments(mut self, arguments: &'a [(&'a str, &'a str)]) -> Self {
        self.arguments = arguments;
        self
    }

    /// Chooses the form instead of the code's own ([`Form::for_code`]).
    pub fn form(mut self, form: Form) -> Self {
        self.form = form;
        self
    }

    /// Chooses what happens to characters XML cannot carry (default
    /// [`InvalidChars::Replace`]).
    pub fn invalid_chars(mut self, rule: InvalidChars) -> Self {
        self.invalid_chars = rule;
        self
    }

    /// The code.
    #[must_use]
    pub const fn code(&self) -> ErrorCode {
        self.code
    }

    /// The HTTP status to answer with: the code's status.
    #[must_use]
    pub const fn status(&self) -> u16 {
        self.code.status()
    }

    /// The message that will be written: the caller's, or the code's
    /// description, or (without the `descriptions` feature) its name.
    #[must_use]
    pub fn message_text(&self) -> &'a str {
        match self.message {
            Some(m) => m,
            None => {
                let d = self.code.description();
                if d.is_empty() { self.code.as_str() } else { d }
            }
        }
    }

    /// The form that will be written.
    #[must_use]
    pub const fn rendered_form(&self) -> Form {
        self.form
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
    pub fn write<W: fmt::Write + ?Sized>(&self, out: &mut W) -> Result<(), RenderError> {
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

    /// Renders into a fixed-capacity `heapless::String<N>`.
    ///
    /// # Errors
    /// [`RenderError::BufferTooSmall`] if the document is longer than `N`,
    /// [`RenderError::InvalidChar`] under [`InvalidChars::Reject`].
    #[cfg(feature = "heapless")]
    #[cfg_attr(docsrs, doc(cfg(feature = "heapless")))]
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

    /// Renders into a fixed-capacity `heapless::Vec<u8, N>`.
    ///
    /// # Errors
    /// As [`to_heapless`](Self::to_heapless).
    #[cfg(feature = "heapless")]
    #[cfg_attr(docsrs, doc(cfg(feature = "heapless")))]
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

    /// The status line and headers a gateway sends with this document.
    /// `head` is whether the request method was `HEAD`.
    ///
    /// The headers, in this order (see [`Response::headers`]):
    ///
    /// | header | when |
    /// |---|---|
    /// | `Content-Type: application/xml` and the exact `Content-Length` | when a body is sent (not for `HEAD`, nor for 304 `NotModified`) |
    /// | `x-amz-request-id` | when a [request id](Self::request_id) is set (not empty) |
    /// | `x-amz-id-2` | when a [host id](Self::host_id) is set (not empty) |
    /// | `x-amz-bucket-region` | when a [bucket region](Self::bucket_region) is set (not empty) |
    ///
    /// The AWS SDKs read the request id and host id of an error from the
    /// `x-amz-request-id` and `x-amz-id-2` headers, not from the body, so
    /// set a request id on every error. The 301 `PermanentRedirect` and
    /// 307 `TemporaryRedirect` answers need the bucket region. s3err writes
    /// no `Location` header: a gateway that redirects (`TemporaryRedirect`,
    /// `Redirect`) adds its own.
    ///
    /// The same checks run for `head` true or false, so a `GET` and a
    /// `HEAD` of one document succeed or fail together.
    ///
    /// ```
    /// # #[cfg(all(feature = "s3", feature = "descriptions"))] {
    /// use s3err::{ErrorCode, xml::ErrorDocument};
    /// let doc = ErrorDocument::new(ErrorCode::NoSuchKey).request_id("4442587FB7D0A2F9");
    /// let get = doc.response(false).unwrap();
    /// assert_eq!((get.status, get.reason), (404, "Not Found"));
    /// let mut head_block = String::new();
    /// for (name, value) in get.headers() {
    ///     head_block += &format!("{name}: {value}\r\n");
    /// }
    /// assert_eq!(
    ///     head_block,
    ///     "Content-Type: application/xml\r\nContent-Length: 167\r\nx-amz-request-id: 4442587FB7D0A2F9\r\n"
    /// );
    /// let head = doc.response(true).unwrap();
    /// assert!(!head.has_body());
    /// assert_eq!(head.headers().count(), 1); // x-amz-request-id only
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
    pub fn response(&self, head: bool) -> Result<Response<'a>, RenderError> {
        let request_id = header_value(self.request_id, Field::RequestId)?;
        let host_id = header_value(self.host_id.unwrap_or(""), Field::HostId)?;
        let bucket_region = header_value(self.bucket_region.unwrap_or(""), Field::BucketRegion)?;
        self.check()?;
        let status = self.status();
        let body_len = if status_has_body(status, head) {
            Some(self.rendered_len())
        } else {
            None
        };
        Ok(Response {
            status,
            reason: reason_phrase(status).unwrap_or(""),
            body_len,
            request_id,
            host_id,
            bucket_region,
        })
    }

    /// Under [`InvalidChars::Reject`], the first invalid character, if any.
    fn check(&self) -> Result<(), RenderError> {
        if self.invalid_chars == InvalidChars::Reject {
            self.render(&mut Counter(0), InvalidChars::Reject)?;
        }
        Ok(())
    }

    /// What both forms share, from the `<Code>` text to `<Resource>`.
    fn code_to_resource<S: Sink>(&self, s: &mut S, rule: InvalidChars) -> Result<(), RenderError> {
        text(s, self.code.as_str(), rule, Field::Message)?;
        s.put("</Code><Message>")?;
        text(s, self.message_text(), rule, Field::Message)?;
        s.put("</Message>")?;
        self.arguments_into(s, rule)?;
        if let Some(r) = self.resource {
            element(s, "Resource", r, rule, Field::Resource)?;
        }
        Ok(())
    }

    fn render<S: Sink>(&self, s: &mut S, rule: InvalidChars) -> Result<(), RenderError> {
        let code = self.code;
        match self.form {
            Form::S3 => {
                s.put(DECLARATION)?;
                s.put("<Error><Code>")?;
                self.code_to_resource(s, rule)?;
                element(s, "RequestId", self.request_id, rule, Field::RequestId)?;
                if let Some(h) = self.host_id {
                    element(s, "HostId", h, rule, Field::HostId)?;
                }
                s.put("</Error>")
            }
            Form::Iam => {
                s.put("<ErrorResponse xmlns=\"")?;
                s.put(IAM_NAMESPACE)?;
                s.put("\"><Error><Type>")?;
                s.put(if code.status() >= 500 {
                    "Receiver"
                } else {
                    "Sender"
                })?;
                s.put("</Type><Code>")?;
                self.code_to_resource(s, rule)?;
                s.put("</Error>")?;
                element(s, "RequestId", self.request_id, rule, Field::RequestId)?;
                if let Some(h) = self.host_id {
                    element(s, "HostId", h, rule, Field::HostId)?;
                }
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
/// ([`ErrorDocument::write`], [`write_to_slice`](ErrorDocument::write_to_slice),
/// the `heapless` ones and [`response`](ErrorDocument::response)) only.
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
                if invalid && rule == InvalidChars::Reject {
                    return Err(RenderError::InvalidChar { field, offset });
                }
                s.put(text)?;
            }
        }
    }
    Ok(())
}

/// A `usize` in decimal, without allocating.
struct Digits {
    buf: [u8; 20],
    start: usize,
}

impl Digits {
    fn new(mut n: usize) -> Self {
        let mut buf = [b'0'; 20];
        let mut start = buf.len();
        while let Some(i) = start.checked_sub(1) {
            if let Some(b) = buf.get_mut(i) {
                // `n % 10` is below 10, so the cast and the add cannot overflow.
                *b = b'0' + (n % 10) as u8;
            }
            start = i;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        Digits { buf, start }
    }

    fn as_str(&self) -> &str {
        core::str::from_utf8(self.buf.get(self.start..).unwrap_or(&[])).unwrap_or("0")
    }
}

/// The status line and headers of an error response, checked; see
/// [`ErrorDocument::response`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub struct Response<'a> {
    /// The HTTP status code.
    pub status: u16,
    /// Its reason phrase (`"Not Found"`), `""` for a status with none.
    pub reason: &'static str,
    body_len: Option<usize>,
    request_id: Option<&'a str>,
    host_id: Option<&'a str>,
    bucket_region: Option<&'a str>,
}

impl<'a> Response<'a> {
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
    pub fn headers(&self) -> Headers<'a> {
        Headers {
            response: *self,
            next: 0,
        }
    }
}

/// The headers of a [`Response`], in order; see [`Response::headers`].
#[derive(Clone, Debug)]
pub struct Headers<'a> {
    response: Response<'a>,
    next: u8,
}

impl<'a> Iterator for Headers<'a> {
    type Item = (&'static str, HeaderValue<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let r = &self.response;
        while self.next < 5 {
            let i = self.next;
            self.next = self.next.saturating_add(1);
            let item = match i {
                0 => r
                    .body_len
                    .map(|_| ("Content-Type", HeaderValue(Value::Text(CONTENT_TYPE)))),
                1 => r
                    .body_len
                    .map(|n| ("Content-Length", HeaderValue(Value::Number(n)))),
                2 => r
                    .request_id
                    .map(|v| ("x-amz-request-id", HeaderValue(Value::Text(v)))),
                3 => r
                    .host_id
                    .map(|v| ("x-amz-id-2", HeaderValue(Value::Text(v)))),
                _ => r
                    .bucket_region
                    .map(|v| ("x-amz-bucket-region", HeaderValue(Value::Text(v)))),
            };
            if item.is_some() {
                return item;
            }
        }
        None
    }
}

/// A checked header value: visible ASCII (0x21–0x7E) with interior spaces
/// only, so it can be written into a header block as it is. `Display`
/// writes it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct HeaderValue<'a>(Value<'a>);

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Value<'a> {
    Text(&'a str),
    Number(usize),
}

impl<'a> HeaderValue<'a> {
    /// The value as text, or `None` for a number (`Content-Length`), which
    /// [`Display`](fmt::Display) writes in decimal.
    #[must_use]
    pub const fn as_str(&self) -> Option<&'a str> {
        match self.0 {
            Value::Text(t) => Some(t),
            Value::Number(_) => None,
        }
    }

    /// The value as a number, for `Content-Length`; `None` for text.
    #[must_use]
    pub const fn as_number(&self) -> Option<usize> {
        match self.0 {
            Value::Number(n) => Some(n),
            Value::Text(_) => None,
        }
    }
}

impl fmt::Display for HeaderValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Value::Text(t) => f.write_str(t),
            Value::Number(n) => f.write_str(Digits::new(n).as_str()),
        }
    }
}

/// Whether a response with `status` to a request carries a body: never for
/// `HEAD` requests, nor for 1xx, 204 and 304 responses (RFC 9110 §6.4.1,
/// §15.3.5, §15.4.5).
///
/// ```
/// use s3err::xml::status_has_body;
/// assert!(status_has_body(404, false));
/// assert!(!status_has_body(404, true));
/// assert!(!status_has_body(304, false));
/// ```
#[must_use]
pub const fn status_has_body(status: u16, head_request: bool) -> bool {
    !(head_request || status < 200 || status == 204 || status == 304)
}

/// The standard reason phrase of an HTTP status (RFC 9110 §15, RFC 6585
/// for 428/429/431, RFC 7725 for 451), `None` for one it does not define.
/// Covers every status in the table.
///
/// ```
/// assert_eq!(s3err::xml::reason_phrase(404), Some("Not Found"));
/// assert_eq!(s3err::xml::reason_phrase(599), None);
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

    #[test]
    fn digits() {
        assert_eq!(Digits::new(0).as_str(), "0");
        assert_eq!(Digits::new(7).as_str(), "7");
        assert_eq!(Digits::new(1234).as_str(), "1234");
        assert_eq!(
            Digits::new(usize::MAX).as_str().len() as u32,
            usize::MAX.ilog10() + 1
        );
    }

    #[test]
    fn every_table_status_has_a_reason() {
        for c in ErrorCode::ALL {
            assert!(reason_phrase(c.status()).is_some(), "{c}");
        }
    }
}
