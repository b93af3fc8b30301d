//! Every call into the s3err crate, behind safe functions over plain
//! types (ids, `&str`, `&[u8]`, numbers). `abi.rs` turns C arguments into
//! these and these results into C values; nothing else names s3err.

use s3err_rs::response::{self, Header};
use s3err_rs::{ErrorCode, Group, Retry, xml};

use crate::abi::*;

/// The version of the s3err crate linked in (this crate's own version is
/// kept equal to it; see `tests`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

fn code(id: u8) -> Option<ErrorCode> {
    ErrorCode::from_id(id)
}

/// How many codes this build has.
pub fn count() -> usize {
    ErrorCode::ALL.len()
}

/// Whether `id` names a code of this build.
pub fn is_known(id: u8) -> bool {
    code(id).is_some()
}

/// Length of the longest name of this build.
pub fn max_name_len() -> usize {
    ErrorCode::MAX_NAME_LEN
}

/// The code named `name`, exactly.
pub fn from_name(name: &[u8]) -> Option<u8> {
    ErrorCode::from_bytes(name).map(ErrorCode::id)
}

/// The wire name, `""` for an id that names no code.
pub fn name(id: u8) -> &'static str {
    code(id).map_or("", ErrorCode::as_str)
}

/// The status, 0 for an id that names no code.
pub fn status(id: u8) -> u16 {
    code(id).map_or(0, ErrorCode::status)
}

/// The description, `""` without descriptions or for an unknown id.
pub fn description(id: u8) -> &'static str {
    code(id).map_or("", ErrorCode::description)
}

fn group_id(g: Group) -> u8 {
    match g {
        Group::S3 => S3ERR_GROUP_S3,
        Group::Iam => S3ERR_GROUP_IAM,
        Group::Zenko => S3ERR_GROUP_ZENKO,
        Group::Aws => S3ERR_GROUP_AWS,
        #[allow(unreachable_patterns)]
        _ => S3ERR_GROUP_NONE,
    }
}

/// The group's C constant, `S3ERR_GROUP_NONE` for an unknown id.
pub fn group(id: u8) -> u8 {
    code(id).map_or(S3ERR_GROUP_NONE, |c| group_id(c.group()))
}

/// The group's name (its feature's), `""` for an unknown group.
pub fn group_name(group: u8) -> &'static str {
    Group::ALL
        .iter()
        .copied()
        .find(|&g| group_id(g) == group)
        .map_or("", Group::as_str)
}

/// Whether this build has codes of `group`.
pub fn group_enabled(group: u8) -> bool {
    ErrorCode::ALL.iter().any(|c| group_id(c.group()) == group)
}

/// Whether this build holds the descriptions.
pub fn has_descriptions() -> bool {
    ErrorCode::ALL.iter().any(|c| !c.description().is_empty())
}

fn retry_id(r: Retry) -> u8 {
    match r {
        Retry::Never => S3ERR_RETRY_NEVER,
        Retry::Throttle => S3ERR_RETRY_THROTTLE,
        Retry::Transient => S3ERR_RETRY_TRANSIENT,
        // Advice a later s3err adds has no C value yet.
        _ => S3ERR_RETRY_INVALID,
    }
}

/// The retry advice for a code of the table, `None` for an unknown id.
pub fn retry(id: u8) -> Option<u8> {
    code(id).map(|c| retry_id(c.retry()))
}

/// The retry advice for any code name and status (a name that is not
/// UTF-8 matches no code, as it matches no name).
pub fn classify(name: &[u8], status: u16) -> u8 {
    retry_id(Retry::classify(
        core::str::from_utf8(name).unwrap_or(""),
        status,
    ))
}

/// The retry advice for a status alone.
pub fn retry_from_status(status: u16) -> u8 {
    retry_id(Retry::from_status(status))
}

/// The reason phrase, `""` for a status without one.
pub fn reason(status: u16) -> &'static str {
    response::reason_phrase(status).unwrap_or("")
}

/// The code of a document: one of the table, or any name with a status.
#[derive(Clone, Copy)]
pub enum Code<'a> {
    /// A code of this build, by id.
    Id(u8),
    /// A code outside the table.
    Custom(&'a str, u16),
}

/// An error document, as `abi.rs` read it from C.
pub struct Doc<'a> {
    pub code: Code<'a>,
    /// `None`: the form AWS uses for the code; `Some(true)`: the AWS
    /// query form.
    pub query_form: Option<bool>,
    pub reject_invalid_chars: bool,
    pub message: Option<&'a str>,
    pub resource: Option<&'a str>,
    pub request_id: Option<&'a str>,
    pub host_id: Option<&'a str>,
    pub bucket_region: Option<&'a str>,
    pub namespace: Option<&'a str>,
    pub arguments: &'a [(&'a str, &'a str)],
}

/// Why a render failed: kind, field, 1-based argument number, offset.
pub type RenderFailure = (u8, u8, usize, usize);

fn document<'a>(d: &Doc<'a>) -> Result<xml::ErrorDocument<'a>, RenderFailure> {
    let mut doc = match d.code {
        Code::Id(id) => xml::ErrorDocument::new(code(id).ok_or((
            S3ERR_RENDER_UNKNOWN_CODE,
            S3ERR_FIELD_NONE,
            0,
            0,
        ))?),
        Code::Custom(name, status) => xml::ErrorDocument::custom(name, status).map_err(failure)?,
    };
    doc = doc.with_arguments(d.arguments);
    if let Some(m) = d.message {
        doc = doc.with_message(m);
    }
    if let Some(r) = d.resource {
        doc = doc.with_resource(r);
    }
    if let Some(r) = d.request_id {
        doc = doc.with_request_id(r);
    }
    if let Some(h) = d.host_id {
        doc = doc.with_host_id(h);
    }
    if let Some(b) = d.bucket_region {
        doc = doc.with_bucket_region(b);
    }
    if let Some(n) = d.namespace {
        doc = doc.with_namespace(n);
    }
    match d.query_form {
        Some(true) => doc = doc.with_form(xml::Form::AwsQuery),
        Some(false) => doc = doc.with_form(xml::Form::S3),
        None => {}
    }
    if d.reject_invalid_chars {
        doc = doc.with_invalid_chars(xml::InvalidChars::Reject);
    }
    Ok(doc)
}

fn field_id(f: xml::Field) -> (u8, usize) {
    match f {
        xml::Field::Message => (S3ERR_FIELD_MESSAGE, 0),
        xml::Field::Resource => (S3ERR_FIELD_RESOURCE, 0),
        xml::Field::RequestId => (S3ERR_FIELD_REQUEST_ID, 0),
        xml::Field::HostId => (S3ERR_FIELD_HOST_ID, 0),
        xml::Field::ArgumentName(n) => (S3ERR_FIELD_ARGUMENT_NAME, n),
        xml::Field::ArgumentValue(n) => (S3ERR_FIELD_ARGUMENT_VALUE, n),
        xml::Field::BucketRegion => (S3ERR_FIELD_BUCKET_REGION, 0),
        xml::Field::Namespace => (S3ERR_FIELD_NAMESPACE, 0),
        _ => (S3ERR_FIELD_NONE, 0),
    }
}

fn failure(e: xml::RenderError) -> RenderFailure {
    match e {
        xml::RenderError::InvalidChar { field, offset } => {
            let (f, n) = field_id(field);
            (S3ERR_RENDER_INVALID_CHAR, f, n, offset)
        }
        xml::RenderError::InvalidHeaderValue { field, offset } => {
            let (f, n) = field_id(field);
            (S3ERR_RENDER_INVALID_HEADER_VALUE, f, n, offset)
        }
        xml::RenderError::InvalidCode { offset } => {
            (S3ERR_RENDER_INVALID_CODE, S3ERR_FIELD_CODE, 0, offset)
        }
        xml::RenderError::InvalidCodeLength { len } => {
            (S3ERR_RENDER_INVALID_CODE_LENGTH, S3ERR_FIELD_CODE, 0, len)
        }
        xml::RenderError::InvalidStatus { .. } => {
            (S3ERR_RENDER_INVALID_STATUS, S3ERR_FIELD_NONE, 0, 0)
        }
        _ => (S3ERR_RENDER_OTHER, S3ERR_FIELD_NONE, 0, 0),
    }
}

/// Renders into `buf` if it fits: `Ok(length)` either way (the caller
/// compares it with the buffer's size).
pub fn render(d: &Doc<'_>, buf: &mut [u8]) -> Result<usize, RenderFailure> {
    match document(d)?.write_to_slice(buf) {
        Ok(n) => Ok(n),
        Err(xml::RenderError::BufferTooSmall { needed }) => Ok(needed),
        Err(e) => Err(failure(e)),
    }
}

/// A header value: text, or a number (`Content-Length`).
#[derive(Clone, Copy)]
pub enum Value<'a> {
    Text(&'a str),
    Number(usize),
}

/// The response head: status, reason, the body's length (`None`: no
/// body), and the headers as (C id, name, value).
pub struct Head<'a> {
    pub status: u16,
    pub reason: &'static str,
    pub content_length: Option<usize>,
    pub headers: [(u8, &'static str, Value<'a>); S3ERR_MAX_HEADERS],
    pub header_count: usize,
}

/// The value `Header::ContentType` writes (a unit test checks it).
const CONTENT_TYPE: &str = "application/xml";

/// The response head for a `GET`-like request, or for `HEAD` if `head`.
pub fn response<'a>(d: &Doc<'a>, head: bool) -> Result<Head<'a>, RenderFailure> {
    let doc = document(d)?;
    let r = if head {
        doc.head_response()
    } else {
        doc.response()
    }
    .map_err(failure)?;
    let mut out = Head {
        status: r.status(),
        reason: r.reason(),
        content_length: r.content_length(),
        headers: [(0, "", Value::Number(0)); S3ERR_MAX_HEADERS],
        header_count: 0,
    };
    for (h, slot) in r.headers().zip(out.headers.iter_mut()) {
        let (id, value) = match h {
            Header::ContentType => (S3ERR_HEADER_CONTENT_TYPE, Value::Text(CONTENT_TYPE)),
            Header::ContentLength(n) => (S3ERR_HEADER_CONTENT_LENGTH, Value::Number(n)),
            Header::RequestId(v) => (S3ERR_HEADER_REQUEST_ID, Value::Text(v)),
            Header::HostId(v) => (S3ERR_HEADER_HOST_ID, Value::Text(v)),
            Header::BucketRegion(v) => (S3ERR_HEADER_BUCKET_REGION, Value::Text(v)),
            _ => continue,
        };
        *slot = (id, h.name(), value);
        out.header_count += 1;
    }
    Ok(out)
}

/// A parsed body's well-known fields as raw bytes of the body, and the
/// code of the table its `<Code>` names.
pub struct Parsed<'a> {
    pub code: &'a [u8],
    pub message: Option<&'a [u8]>,
    pub resource: Option<&'a [u8]>,
    pub request_id: Option<&'a [u8]>,
    pub host_id: Option<&'a [u8]>,
    pub error_type: Option<&'a [u8]>,
    pub known: Option<u8>,
}

/// Why a body was refused: kind, byte offset, and what was expected
/// (for `S3ERR_PARSE_EXPECTED`).
pub type ParseFailure = (u8, usize, &'static str);

fn parse_failure(e: xml::ParseError) -> ParseFailure {
    use xml::ParseErrorKind as K;
    let kind = match e.kind() {
        K::Empty => S3ERR_PARSE_EMPTY,
        K::NotXml => S3ERR_PARSE_NOT_XML,
        K::Html => S3ERR_PARSE_HTML,
        K::InvalidUtf8 => S3ERR_PARSE_INVALID_UTF8,
        K::InvalidChar => S3ERR_PARSE_INVALID_CHAR,
        K::UnsupportedEncoding => S3ERR_PARSE_UNSUPPORTED_ENCODING,
        K::EncodingMismatch => S3ERR_PARSE_ENCODING_MISMATCH,
        K::MalformedDeclaration => S3ERR_PARSE_MALFORMED_DECLARATION,
        K::MisplacedDeclaration => S3ERR_PARSE_MISPLACED_DECLARATION,
        K::Doctype => S3ERR_PARSE_DOCTYPE,
        K::UnexpectedEof => S3ERR_PARSE_UNEXPECTED_EOF,
        K::Syntax => return (S3ERR_PARSE_SYNTAX, e.offset(), e.detail()),
        K::MismatchedTag => S3ERR_PARSE_MISMATCHED_TAG,
        K::DuplicateAttribute => S3ERR_PARSE_DUPLICATE_ATTRIBUTE,
        K::TooManyAttributes => S3ERR_PARSE_TOO_MANY_ATTRIBUTES,
        K::MalformedComment => S3ERR_PARSE_MALFORMED_COMMENT,
        K::CdataEndInText => S3ERR_PARSE_CDATA_END_IN_TEXT,
        K::UndefinedEntity => S3ERR_PARSE_UNDEFINED_ENTITY,
        K::InvalidCharRef => S3ERR_PARSE_INVALID_CHAR_REF,
        K::TooDeep => S3ERR_PARSE_TOO_DEEP,
        K::TrailingContent => S3ERR_PARSE_TRAILING_CONTENT,
        K::NotAnErrorDocument => S3ERR_PARSE_NOT_AN_ERROR_DOCUMENT,
        K::MissingCode => S3ERR_PARSE_MISSING_CODE,
        _ => S3ERR_PARSE_OTHER,
    };
    (kind, e.offset(), "")
}

/// Parses `body`.
pub fn parse(body: &[u8]) -> Result<Parsed<'_>, ParseFailure> {
    fn raw(t: Option<xml::Text<'_>>) -> Option<&[u8]> {
        t.map(|t| t.raw().as_bytes())
    }
    let e = xml::parse(body).map_err(parse_failure)?;
    Ok(Parsed {
        code: e.code().raw().as_bytes(),
        message: raw(e.message()),
        resource: raw(e.resource()),
        request_id: raw(e.request_id()),
        host_id: raw(e.host_id()),
        error_type: raw(e.error_type()),
        known: e.known().map(ErrorCode::id),
    })
}

/// The text of the element `name` of a body that parses: the well-known
/// names as `parse` finds them (`RequestId` also as EC2's `RequestID`,
/// in the error element or its wrapper), any other child by name.
fn text<'a>(body: &'a [u8], name: &[u8]) -> Option<xml::Text<'a>> {
    let e = xml::parse(body).ok()?;
    match name {
        b"Code" => Some(e.code()),
        b"Message" => e.message(),
        b"Resource" => e.resource(),
        b"RequestId" => e.request_id(),
        b"HostId" => e.host_id(),
        b"Type" => e.error_type(),
        _ => e.field(core::str::from_utf8(name).ok()?),
    }
}

/// The raw bytes of element `name` (see [`text`]).
pub fn field<'a>(body: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    text(body, name).map(|t| t.raw().as_bytes())
}

/// Decodes element `name` (trimmed first if `trim`) into `buf` when it
/// fits; `Some(decoded length)` either way, `None` if there is no such
/// element.
pub fn decode(body: &[u8], name: &[u8], trim: bool, buf: &mut [u8]) -> Option<usize> {
    let t = text(body, name)?;
    let t = if trim { t.trim() } else { t };
    let len = t.decoded_len();
    if let Some(dst) = buf.get_mut(..len) {
        // The slice is exactly the decoded length, so this cannot fail.
        let _ = t.decode_into(dst);
    }
    Some(len)
}

/// The retry advice for a body that parses, given its status.
pub fn body_retry(body: &[u8], status: u16) -> Option<u8> {
    xml::parse(body).ok().map(|e| retry_id(e.retry(status)))
}

/// The most `(name, value)` pairs a document takes from C (copied into a
/// fixed array on the stack).
pub const MAX_ARGUMENTS: usize = S3ERR_MAX_ARGUMENTS;

#[cfg(test)]
mod tests {
    /// The constants the C API repeats are the library's.
    #[test]
    fn constants_are_s3errs() {
        use crate::abi::S3ERR_MAX_CUSTOM_CODE_LEN;
        use std::string::ToString;
        assert_eq!(
            S3ERR_MAX_CUSTOM_CODE_LEN,
            s3err_rs::xml::MAX_CUSTOM_CODE_LEN
        );
        assert_eq!(
            s3err_rs::response::Header::ContentType.value().to_string(),
            super::CONTENT_TYPE
        );
    }

    /// `s3err_version()` returns this crate's version as s3err's: they
    /// must be equal.
    #[test]
    fn version_is_s3errs() {
        let manifest = include_str!("../../Cargo.toml");
        let package = manifest.split("[package]").nth(1).unwrap_or("");
        let line = package
            .lines()
            .find(|l| l.starts_with("version = "))
            .unwrap_or("");
        assert_eq!(line, std::format!("version = \"{}\"", super::VERSION));
    }
}
