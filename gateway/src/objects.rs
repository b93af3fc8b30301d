//! The object operations: GetObject, HeadObject, PutObject, CopyObject,
//! DeleteObject.
//! They speak S3; the disk is the storage layer's.

use std::io::SeekFrom;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant, UNIX_EPOCH};

use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::{Request, Response, StatusCode};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use md5::{Digest, Md5};
use s3err::ErrorCode;

use crate::State;
use crate::body::Body;
use crate::checksum::{Algorithm, Checksums, Hasher, decode_digest};
use crate::chunked::{AwsChunked, ChunkError};
use crate::error::S3Error;
use crate::meta::{Meta, etag_matches};
use crate::s3::{Result, ok};
use crate::storage::{Condition, NewMeta, Upload, hex};

/// The headers S3 stores with an object and gives back on GET and HEAD
/// (besides `x-amz-meta-*`).
const STORED: [&str; 6] = [
    "content-type",
    "content-encoding",
    "content-disposition",
    "content-language",
    "cache-control",
    "expires",
];

/// The query parameters of GetObject and HeadObject that set a response
/// header, whatever the object stores.
pub const RESPONSE_PARAMS: [&str; 6] = [
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "response-content-language",
    "response-content-type",
    "response-expires",
];

/// The query parameters GetObject and HeadObject take.
pub const GET_PARAMS: [&str; 7] = [
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "response-content-language",
    "response-content-type",
    "response-expires",
    "partNumber",
];

/// The header each of [`RESPONSE_PARAMS`] sets, in the same order.
const RESPONSE_HEADERS: [HeaderName; 6] = [
    header::CACHE_CONTROL,
    header::CONTENT_DISPOSITION,
    header::CONTENT_ENCODING,
    header::CONTENT_LANGUAGE,
    header::CONTENT_TYPE,
    header::EXPIRES,
];

/// S3's limit on user metadata: keys (after `x-amz-meta-`) and values.
const MAX_USER_METADATA: usize = 2 * 1024;

/// The `x-amz-content-sha256` values of a body in `aws-chunked` framing.
const STREAMING: [&str; 6] = [
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
    "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
    "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
    "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER",
    "STREAMING-AWS4-HMAC-SHA256-EVENTS",
];

fn text<'a>(headers: &'a HeaderMap, name: &HeaderName) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// An HTTP date (IMF-fixdate) for seconds since the epoch.
fn http_date(secs: i64) -> String {
    let t = UNIX_EPOCH + Duration::from_secs(u64::try_from(secs).unwrap_or(0));
    httpdate::fmt_http_date(t)
}

/// A date header as seconds since the epoch; `None` if malformed.
fn parse_date(v: &str) -> Option<i64> {
    let t = httpdate::parse_http_date(v.trim()).ok()?;
    t.duration_since(UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs() as i64)
}

fn value(s: &str) -> Result<HeaderValue> {
    HeaderValue::from_str(s).map_err(|_| S3Error::new(ErrorCode::InternalError))
}

/// The four conditional headers of GET and HEAD, in RFC 9110's order (as
/// S3 evaluates them): `If-Match`, else `If-Unmodified-Since`, fail with
/// 412; then `If-None-Match`, else `If-Modified-Since`, give 304. Dates
/// compare at one-second precision; a malformed date is ignored.
fn preconditions(meta: &Meta, headers: &HeaderMap) -> Result<()> {
    let lm = meta.last_modified;
    if let Some(list) = text(headers, &header::IF_MATCH) {
        if !etag_matches(list, &meta.etag) {
            return Err(S3Error::new(ErrorCode::PreconditionFailed));
        }
    } else if let Some(since) = text(headers, &header::IF_UNMODIFIED_SINCE).and_then(parse_date)
        && lm > since
    {
        return Err(S3Error::new(ErrorCode::PreconditionFailed));
    }
    let not_modified = if let Some(list) = text(headers, &header::IF_NONE_MATCH) {
        etag_matches(list, &meta.etag)
    } else {
        text(headers, &header::IF_MODIFIED_SINCE)
            .and_then(parse_date)
            .is_some_and(|since| lm <= since)
    };
    if not_modified {
        return Err(S3Error::new(ErrorCode::NotModified)
            .header(header::ETAG, value(&meta.etag)?)
            .header(header::LAST_MODIFIED, value(&http_date(lm))?));
    }
    Ok(())
}

/// A satisfiable byte range, inclusive.
#[derive(Debug, PartialEq, Eq)]
enum Range {
    /// No (usable) Range header: the whole object.
    Whole,
    /// Bytes `first..=last`.
    Part(u64, u64),
    /// Syntactically valid but outside the object.
    Unsatisfiable,
}

/// Parses one `bytes=` range (RFC 9110 §14.1.2). A malformed header, or a
/// list of several ranges (which S3 does not serve), is ignored.
fn parse_range(h: &str, len: u64) -> Range {
    let Some(spec) = h.trim().strip_prefix("bytes=") else {
        return Range::Whole;
    };
    let spec = spec.trim();
    let Some((a, b)) = spec.split_once('-') else {
        return Range::Whole;
    };
    let num = |s: &str| -> Option<u64> {
        if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        // Saturate: a huge number is still a number (and out of range).
        Some(s.bytes().fold(0u64, |n, c| {
            n.saturating_mul(10).saturating_add(u64::from(c - b'0'))
        }))
    };
    match (a.is_empty(), num(a), num(b)) {
        (true, _, Some(n)) => {
            if n == 0 || len == 0 {
                Range::Unsatisfiable
            } else {
                Range::Part(len.saturating_sub(n), len - 1)
            }
        }
        (false, Some(first), None) if b.is_empty() => {
            if first >= len {
                Range::Unsatisfiable
            } else {
                Range::Part(first, len - 1)
            }
        }
        (false, Some(first), Some(last)) if first <= last => {
            if first >= len {
                Range::Unsatisfiable
            } else {
                Range::Part(first, last.min(len - 1))
            }
        }
        _ => Range::Whole,
    }
}

/// GetObject and HeadObject: answered from the stored metadata; only the
/// bytes sent are read.
pub async fn get(
    state: &State,
    bucket: &str,
    key: &str,
    headers: &HeaderMap,
    params: &[(String, String)],
    head: bool,
) -> Result<Response<Body>> {
    let mut overrides = Vec::new();
    for (name, v) in params {
        if let Some(i) = RESPONSE_PARAMS.iter().position(|p| p == name) {
            let h = &RESPONSE_HEADERS[i];
            let v = HeaderValue::from_str(v).map_err(|_| {
                S3Error::with_message(
                    ErrorCode::InvalidArgument,
                    format!("The {name} value is not a valid header value."),
                )
            })?;
            overrides.push((h.clone(), v));
        }
    }
    let part = match params.iter().any(|(n, _)| n == "partNumber") {
        true => Some(crate::multipart::part_number(params)?),
        false => None,
    };
    if part.is_some() && headers.contains_key(header::RANGE) {
        return Err(S3Error::with_message(
            ErrorCode::InvalidRequest,
            "Cannot specify both Range header and partNumber query parameter.".into(),
        ));
    }
    let Some(object) = state.store.open(bucket, key).await? else {
        return Err(S3Error::new(ErrorCode::NoSuchKey));
    };
    let meta = object.meta;
    preconditions(&meta, headers)?;
    let len = meta.identity.size;
    let mut parts_count = None;
    let (status, first, count) = if let Some(n) = part {
        let (first, count, parts) = part_of(&meta, n)?;
        parts_count = parts;
        // An empty part has no byte range to name.
        let status = match count {
            0 => StatusCode::OK,
            _ => StatusCode::PARTIAL_CONTENT,
        };
        (status, first, count)
    } else {
        let range = text(headers, &header::RANGE).map_or(Range::Whole, |h| parse_range(h, len));
        match range {
            Range::Whole => (StatusCode::OK, 0, len),
            Range::Part(a, b) => (StatusCode::PARTIAL_CONTENT, a, b - a + 1),
            Range::Unsatisfiable => {
                let cr = value(&format!("bytes */{len}"))?;
                return Err(S3Error::new(ErrorCode::InvalidRange).header(header::CONTENT_RANGE, cr));
            }
        }
    };
    let body = if head {
        Body::empty()
    } else {
        let mut file = tokio::fs::File::from_std(object.file);
        if first > 0 {
            use tokio::io::AsyncSeekExt;
            file.seek(SeekFrom::Start(first))
                .await
                .map_err(S3Error::io)?;
        }
        Body::File {
            file,
            remaining: count,
        }
    };
    let mut r = ok(status, body);
    let h = r.headers_mut();
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(count));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(header::ETAG, value(&meta.etag)?);
    h.insert(
        header::LAST_MODIFIED,
        value(&http_date(meta.last_modified))?,
    );
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_bytes(meta.content_type())
            .map_err(|_| S3Error::new(ErrorCode::InternalError))?,
    );
    for (name, v) in meta.headers.iter().filter(|(n, _)| n != "content-type") {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_bytes(v),
        ) {
            h.append(n, v);
        }
    }
    let checksum_mode = text(headers, &HeaderName::from_static("x-amz-checksum-mode"))
        .is_some_and(|m| m.eq_ignore_ascii_case("ENABLED"));
    if checksum_mode
        && status == StatusCode::OK
        && let Some((name, v)) = &meta.checksum
        && let Ok(n) = HeaderName::from_bytes(name.as_bytes())
    {
        h.insert(n, value(v)?);
        let kind = match meta.checksum_composite {
            true => "COMPOSITE",
            false => "FULL_OBJECT",
        };
        h.insert("x-amz-checksum-type", HeaderValue::from_static(kind));
    }
    for (name, v) in overrides {
        h.insert(name, v);
    }
    if status == StatusCode::PARTIAL_CONTENT {
        let cr = format!("bytes {first}-{}/{len}", first + count - 1);
        h.insert(header::CONTENT_RANGE, value(&cr)?);
    }
    if let Some(n) = parts_count {
        h.insert("x-amz-mp-parts-count", HeaderValue::from(n));
    }
    Ok(r)
}

/// Part `n` of an object, as GetObject's `partNumber` reads it: its first
/// byte, its length, and the object's part count if it was completed by
/// a multipart upload (parts numbered 1 to the count, in order). An
/// object stored by a single PUT is its own part 1, as in S3. A part past
/// the last is `416 InvalidPartNumber`.
fn part_of(meta: &Meta, n: u32) -> Result<(u64, u64, Option<u32>)> {
    let unsatisfiable = || S3Error::new(ErrorCode::InvalidPartNumber);
    let unrecorded = || {
        S3Error::with_message(
            ErrorCode::NotImplemented,
            "GetObject with partNumber of a multipart object whose part sizes are not recorded (stored by an older s3err-gateway, or too many parts of different sizes for the file system's attributes) is not implemented by s3err-gateway.".into(),
        )
    };
    match &meta.parts {
        Some(p) if n > p.count => Err(unsatisfiable()),
        Some(p) => {
            let (first, count) = p.range(n).ok_or_else(unrecorded)?;
            Ok((first, count, Some(p.count)))
        }
        // A multipart ETag (`…-N`) without a part table.
        None if meta.etag.contains('-') => Err(unrecorded()),
        None if n == 1 => Ok((0, meta.identity.size, None)),
        None => Err(unsatisfiable()),
    }
}

/// DeleteObject: 204 whether or not the key existed, as S3.
pub async fn delete(state: &State, bucket: &str, key: &str) -> Result<Response<Body>> {
    state.store.delete(bucket, key).await?;
    Ok(ok(StatusCode::NO_CONTENT, Body::empty()))
}

fn content_length(headers: &HeaderMap, name: &str) -> Result<Option<u64>> {
    match headers.get(name) {
        None => Ok(None),
        Some(v) => v
            .to_str()
            .ok()
            .filter(|s| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|s| s.parse::<u64>().ok())
            .map(Some)
            .ok_or_else(|| {
                S3Error::with_message(
                    ErrorCode::InvalidArgument,
                    format!("The {name} header is not a number."),
                )
            }),
    }
}

/// Whether the body is `aws-chunked`: announced by `Content-Encoding`, or
/// by a `STREAMING-…` `x-amz-content-sha256` whatever the encoding says
/// (AWS SDK for Java 1.x sends no `Content-Encoding`). Any other value of
/// `x-amz-content-sha256` than S3 accepts is refused as S3 refuses it.
fn is_aws_chunked(headers: &HeaderMap) -> Result<bool> {
    let by_encoding = headers
        .get_all(header::CONTENT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|e| e.trim().eq_ignore_ascii_case("aws-chunked"));
    let Some(sha) = headers.get("x-amz-content-sha256") else {
        return Ok(by_encoding);
    };
    let sha = sha.as_bytes();
    if STREAMING.iter().any(|s| s.as_bytes() == sha) {
        return Ok(true);
    }
    let hex64 = sha.len() == 64 && sha.iter().all(u8::is_ascii_hexdigit);
    if hex64 || sha == b"UNSIGNED-PAYLOAD" {
        return Ok(by_encoding);
    }
    Err(S3Error::with_message(
        ErrorCode::InvalidArgument,
        format!(
            "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, {} or a valid sha256 value.",
            STREAMING.join(", ")
        ),
    ))
}

/// The headers stored with the object: S3's content headers
/// (`Content-Encoding` without `aws-chunked`) and `x-amz-meta-*`, whose
/// keys and values may hold 2 KB in all.
pub fn stored_headers(headers: &HeaderMap) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    for name in STORED {
        let values: Vec<&[u8]> = headers.get_all(name).iter().map(|v| v.as_bytes()).collect();
        if values.is_empty() {
            continue;
        }
        let joined = values.join(&b","[..]);
        let v = if name == "content-encoding" {
            let kept: Vec<&str> = std::str::from_utf8(&joined)
                .unwrap_or("")
                .split(',')
                .map(str::trim)
                .filter(|e| !e.is_empty() && !e.eq_ignore_ascii_case("aws-chunked"))
                .collect();
            if kept.is_empty() {
                continue;
            }
            kept.join(",").into_bytes()
        } else {
            joined
        };
        out.push((name.to_owned(), v));
    }
    let mut user = 0usize;
    let mut names: Vec<&str> = headers
        .keys()
        .map(HeaderName::as_str)
        .filter(|n| n.starts_with("x-amz-meta-"))
        .collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        let values: Vec<&[u8]> = headers.get_all(name).iter().map(|v| v.as_bytes()).collect();
        let v = values.join(&b","[..]);
        user += name.len() - "x-amz-meta-".len() + v.len();
        out.push((name.to_owned(), v));
    }
    if user > MAX_USER_METADATA {
        return Err(S3Error::with_message(
            ErrorCode::MetadataTooLarge,
            format!(
                "Your metadata headers exceed the maximum allowed metadata size: {user} bytes of x-amz-meta- keys and values, at most {MAX_USER_METADATA}."
            ),
        ));
    }
    Ok(out)
}

/// The write condition of a PutObject.
pub fn condition(headers: &HeaderMap) -> Result<Condition> {
    let if_match = text(headers, &header::IF_MATCH);
    let if_none_match = headers.get(header::IF_NONE_MATCH);
    match (if_match, if_none_match) {
        (None, None) => Ok(Condition::Always),
        (Some(list), None) => Ok(Condition::IfMatch(list.to_owned())),
        (None, Some(v)) if v.as_bytes().trim_ascii() == b"*" => Ok(Condition::IfNoneMatchAny),
        (None, Some(_)) => Err(S3Error::with_message(
            ErrorCode::NotImplemented,
            "A header you provided implies functionality that is not implemented: If-None-Match on PutObject takes only *.".into(),
        )),
        (Some(_), Some(_)) => Err(S3Error::with_message(
            ErrorCode::NotImplemented,
            "A header you provided implies functionality that is not implemented: If-Match and If-None-Match together.".into(),
        )),
    }
}

/// What a request says of its body, checked before it is read.
pub struct BodySpec {
    size: u64,
    aws_chunked: bool,
    md5_want: Option<Vec<u8>>,
    checksums: Checksums,
}

impl BodySpec {
    /// Computes `a` over the body too, whether or not the request gives
    /// its digest.
    pub fn compute(&mut self, a: Algorithm) {
        self.checksums.compute(a);
    }
}

/// A body received into a temp file and checked.
pub struct Received {
    /// The temp file.
    pub upload: Upload,
    /// Its MD5.
    pub md5: [u8; 16],
    /// The flexible checksums checked, to echo and store.
    pub echo: Vec<(&'static str, String)>,
    /// Every flexible checksum computed (base64), checked or not.
    pub computed: Vec<(Algorithm, String)>,
}

/// Reads the body headers of a PUT (PutObject, UploadPart): framing,
/// size, digests.
pub fn body_spec(state: &State, headers: &HeaderMap) -> Result<BodySpec> {
    if headers.contains_key(header::TRANSFER_ENCODING) {
        return Err(S3Error::new(ErrorCode::NotImplemented));
    }
    let Some(wire_len) = content_length(headers, "content-length")? else {
        return Err(S3Error::new(ErrorCode::MissingContentLength));
    };
    let aws_chunked = is_aws_chunked(headers)?;
    let size = if aws_chunked {
        content_length(headers, "x-amz-decoded-content-length")?.ok_or_else(|| {
            S3Error::with_message(
                ErrorCode::MissingContentLength,
                "An aws-chunked body needs x-amz-decoded-content-length.".into(),
            )
        })?
    } else {
        wire_len
    };
    if size > state.max_object_size {
        return Err(S3Error::with_message(
            ErrorCode::EntityTooLarge,
            format!(
                "Your proposed upload of {size} bytes exceeds the maximum allowed object size of {} bytes.",
                state.max_object_size
            ),
        ));
    }
    let md5_want = headers
        .get("content-md5")
        .map(|v| {
            decode_digest(
                v.as_bytes(),
                16,
                "content-md5 header",
                ErrorCode::InvalidDigest,
            )
        })
        .transpose()?;
    Ok(BodySpec {
        size,
        aws_chunked,
        md5_want: md5_want.map(|d| d.to_vec()),
        checksums: Checksums::from_headers(headers)?,
    })
}

/// Receives the body of `req` into a temp file of `bucket`, checking its
/// length and digests.
pub async fn receive(
    state: &State,
    bucket: &str,
    req: Request<Incoming>,
    spec: BodySpec,
) -> Result<Received> {
    let BodySpec {
        size,
        aws_chunked,
        md5_want,
        checksums,
    } = spec;
    let mut upload = state.store.create_upload(bucket).await?;
    if aws_chunked {
        state.chunked_puts.fetch_add(1, Ordering::Relaxed);
    }
    let mut md5 = Md5::new();
    let mut checksums = checksums;
    let mut len = 0u64;
    let mut received = 0u64;
    let mut decoder = aws_chunked.then(AwsChunked::new);
    let mut decoded = Vec::new();
    let mut body = req.into_body();
    let started = Instant::now();
    loop {
        // A body that stalls for the request timeout, or that arrives
        // slower than the minimum rate once it has lasted that long, gets
        // RequestTimeout (and its temp file is removed).
        let next = tokio::time::timeout(state.request_timeout, body.frame())
            .await
            .map_err(|_| S3Error::new(ErrorCode::RequestTimeout))?;
        let Some(frame) = next else { break };
        let frame = frame.map_err(|_| S3Error::new(ErrorCode::IncompleteBody))?;
        let Ok(data) = frame.into_data() else {
            continue; // HTTP trailers: not used by S3 clients.
        };
        received += data.len() as u64;
        let elapsed = started.elapsed();
        if elapsed > state.request_timeout
            && (received as f64) < state.min_body_rate as f64 * elapsed.as_secs_f64()
        {
            return Err(S3Error::new(ErrorCode::RequestTimeout));
        }
        let data: &[u8] = match decoder.as_mut() {
            Some(d) => {
                decoded.clear();
                d.feed(&data, &mut decoded).map_err(chunk_error)?;
                &decoded
            }
            None => &data,
        };
        len += data.len() as u64;
        if len > size {
            return Err(S3Error::with_message(
                ErrorCode::InvalidArgument,
                "The body is longer than its declared length.".into(),
            ));
        }
        md5.update(data);
        checksums.update(data);
        upload.write(data).await?;
    }
    if let Some(d) = decoder {
        let trailers = d.finish().map_err(chunk_error)?;
        checksums.trailers(&trailers)?;
    }
    if len != size {
        return Err(S3Error::new(ErrorCode::IncompleteBody));
    }
    let md5 = md5.finalize();
    if md5_want.is_some_and(|w| w[..] != md5[..]) {
        return Err(S3Error::new(ErrorCode::BadDigest));
    }
    let (echo, computed) = checksums.verify_all()?;
    Ok(Received {
        upload,
        md5: md5.into(),
        echo,
        computed,
    })
}

/// PutObject: the body to a temp file, checked, then committed under its
/// condition by the storage layer.
pub async fn put(
    state: &State,
    bucket: &str,
    key: &str,
    req: Request<Incoming>,
) -> Result<Response<Body>> {
    let headers = req.headers();
    let spec = body_spec(state, headers)?;
    let stored = stored_headers(headers)?;
    let condition = condition(headers)?;
    // A condition that already fails fails before the body is read; it is
    // checked again, atomically, at the commit.
    match &condition {
        Condition::Always => state.store.head_bucket(bucket).await?,
        Condition::IfMatch(list) => match state.store.open(bucket, key).await? {
            None => return Err(S3Error::new(ErrorCode::NoSuchKey)),
            Some(o) if !etag_matches(list, &o.meta.etag) => {
                return Err(S3Error::new(ErrorCode::PreconditionFailed));
            }
            Some(_) => {}
        },
        Condition::IfNoneMatchAny => {
            if state.store.open(bucket, key).await?.is_some() {
                return Err(S3Error::new(ErrorCode::PreconditionFailed));
            }
        }
    }

    let Received {
        upload, md5, echo, ..
    } = receive(state, bucket, req, spec).await?;
    let etag = format!("\"{}\"", hex(&md5));
    let new = NewMeta {
        etag: etag.clone(),
        checksum: echo.first().map(|(n, v)| ((*n).to_owned(), v.clone())),
        checksum_composite: false,
        headers: stored,
        parts: None,
    };
    state
        .store
        .commit(upload, bucket, key, new, condition)
        .await?;
    let mut r = ok(StatusCode::OK, Body::empty());
    r.headers_mut().insert(header::ETAG, value(&etag)?);
    for (name, v) in echo {
        if let Ok(v) = HeaderValue::from_str(&v) {
            r.headers_mut().insert(name, v);
        }
    }
    Ok(r)
}

fn chunk_error(e: ChunkError) -> S3Error {
    match e {
        ChunkError::Incomplete => S3Error::new(ErrorCode::IncompleteBody),
        ChunkError::Malformed(what, at) => S3Error::with_message(
            ErrorCode::InvalidArgument,
            format!("Malformed aws-chunked body: {what} at byte {at}."),
        ),
    }
}

/// Copies bytes `first..first + count` of `source` into a new upload of
/// `bucket`; their MD5, and their digest of `algorithm` (base64) if one
/// is asked for. A source rewritten in place meanwhile (by another
/// program: the gateway replaces files by rename, which an open file does
/// not see) is refused rather than committed as a mix.
pub async fn copy_range(
    state: &State,
    bucket: &str,
    source: crate::storage::Object,
    first: u64,
    count: u64,
    algorithm: Option<Algorithm>,
) -> Result<(Upload, [u8; 16], Option<String>)> {
    use tokio::io::{AsyncReadExt, AsyncSeekExt};
    let identity = source.meta.identity;
    let mut upload = state.store.create_upload(bucket).await?;
    let mut file = tokio::fs::File::from_std(source.file);
    file.seek(SeekFrom::Start(first))
        .await
        .map_err(S3Error::io)?;
    let mut buf = vec![0u8; 256 * 1024];
    let mut md5 = Md5::new();
    let mut digest = algorithm.map(Hasher::new);
    let mut copied = 0u64;
    while copied < count {
        let want = buf.len().min((count - copied) as usize);
        let n = file.read(&mut buf[..want]).await.map_err(S3Error::io)?;
        if n == 0 {
            break;
        }
        md5.update(&buf[..n]);
        if let Some(d) = digest.as_mut() {
            d.update(&buf[..n]);
        }
        upload.write(&buf[..n]).await?;
        copied += n as u64;
    }
    let now = file.metadata().await.map_err(S3Error::io)?;
    if copied != count || crate::meta::Identity::of(&now) != identity {
        return Err(S3Error::with_message(
            ErrorCode::InternalError,
            "The copy source changed while it was copied; retry.".into(),
        ));
    }
    use base64::Engine;
    let digest = digest.map(|d| base64::engine::general_purpose::STANDARD.encode(d.finish()));
    Ok((upload, md5.finalize().into(), digest))
}

/// The bucket and key of `x-amz-copy-source` (`bucket/key` or
/// `/bucket/key`, URL-encoded).
pub fn copy_source(headers: &HeaderMap) -> Result<(String, String)> {
    let bad = || {
        S3Error::with_message(
            ErrorCode::InvalidArgument,
            "Copy Source must mention the source bucket and key: sourcebucket/sourcekey".into(),
        )
    };
    let raw = headers
        .get("x-amz-copy-source")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(bad)?;
    if raw.contains("?versionId=") {
        return Err(S3Error::with_message(
            ErrorCode::NotImplemented,
            "CopyObject of a version (?versionId) is not implemented by s3err-gateway.".into(),
        ));
    }
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map_err(|_| bad())?;
    let s = decoded.strip_prefix('/').unwrap_or(&decoded);
    let (b, k) = s.split_once('/').ok_or_else(bad)?;
    if b.is_empty() || k.is_empty() {
        return Err(bad());
    }
    if !crate::layout::valid_bucket_name(b) {
        return Err(S3Error::new(ErrorCode::InvalidBucketName));
    }
    if k.len() > 1024 {
        return Err(S3Error::new(ErrorCode::KeyTooLong));
    }
    Ok((b.to_owned(), k.to_owned()))
}

/// The `x-amz-copy-source-if-*` conditions on the source, as S3 reads
/// them: `if-match` true wins over `if-unmodified-since`, `if-none-match`
/// over `if-modified-since`; any failure is `412`.
pub fn copy_conditions(meta: &Meta, headers: &HeaderMap) -> Result<()> {
    let h = |n: &'static str| text(headers, &HeaderName::from_static(n));
    let lm = meta.last_modified;
    let failed = if let Some(list) = h("x-amz-copy-source-if-match") {
        !etag_matches(list, &meta.etag)
    } else {
        h("x-amz-copy-source-if-unmodified-since")
            .and_then(parse_date)
            .is_some_and(|since| lm > since)
    } || if let Some(list) = h("x-amz-copy-source-if-none-match") {
        etag_matches(list, &meta.etag)
    } else {
        h("x-amz-copy-source-if-modified-since")
            .and_then(parse_date)
            .is_some_and(|since| lm <= since)
    };
    if failed {
        return Err(S3Error::new(ErrorCode::PreconditionFailed));
    }
    Ok(())
}

/// CopyObject: the source's bytes into a new upload, committed as the
/// destination like a PUT; metadata copied (`COPY`, the default) or taken
/// from the request (`REPLACE`).
pub async fn copy(
    state: &State,
    bucket: &str,
    key: &str,
    headers: &HeaderMap,
) -> Result<Response<Body>> {
    let (src_bucket, src_key) = copy_source(headers)?;
    let replace = match text(
        headers,
        &HeaderName::from_static("x-amz-metadata-directive"),
    ) {
        None => false,
        Some(d) if d.eq_ignore_ascii_case("COPY") => false,
        Some(d) if d.eq_ignore_ascii_case("REPLACE") => true,
        Some(_) => {
            return Err(S3Error::with_message(
                ErrorCode::InvalidArgument,
                "Unknown metadata directive.".into(),
            ));
        }
    };
    if src_bucket == bucket && src_key == key && !replace {
        return Err(S3Error::with_message(
            ErrorCode::InvalidRequest,
            "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.".into(),
        ));
    }
    let condition = condition(headers)?;
    let stored = if replace {
        Some(stored_headers(headers)?)
    } else {
        None
    };
    state.store.head_bucket(bucket).await?;
    let Some(source) = state.store.open(&src_bucket, &src_key).await? else {
        return Err(S3Error::new(ErrorCode::NoSuchKey));
    };
    copy_conditions(&source.meta, headers)?;
    let size = source.meta.identity.size;
    if size > state.max_object_size {
        return Err(S3Error::with_message(
            ErrorCode::InvalidRequest,
            format!(
                "The specified copy source is larger than the maximum allowable size for a copy source: {}",
                state.max_object_size
            ),
        ));
    }
    let source_meta = source.meta.clone();
    let (upload, md5, _) = copy_range(state, bucket, source, 0, size, None).await?;
    let etag = format!("\"{}\"", hex(&md5));
    // A composite checksum (of a multipart source's parts) does not
    // describe the copy, an object of one part: it is not kept.
    let checksum = match source_meta.checksum_composite {
        true => None,
        false => source_meta.checksum,
    };
    let new = NewMeta {
        etag: etag.clone(),
        checksum,
        checksum_composite: false,
        headers: stored.unwrap_or(source_meta.headers),
        parts: None,
    };
    let meta = state
        .store
        .commit(upload, bucket, key, new, condition)
        .await?;
    Ok(crate::buckets::xml_response(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CopyObjectResult xmlns=\"{}\"><LastModified>{}</LastModified><ETag>{}</ETag></CopyObjectResult>",
        crate::xml::NS,
        crate::xml::timestamp(meta.last_modified),
        crate::xml::escape(&etag)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        use Range::*;
        let cases: &[(&str, u64, Range)] = &[
            ("bytes=0-0", 10, Part(0, 0)),
            ("bytes=2-5", 10, Part(2, 5)),
            ("bytes=2-50", 10, Part(2, 9)),
            ("bytes=7-", 10, Part(7, 9)),
            ("bytes=-3", 10, Part(7, 9)),
            ("bytes=-30", 10, Part(0, 9)),
            ("bytes=10-", 10, Unsatisfiable),
            ("bytes=10-20", 10, Unsatisfiable),
            ("bytes=-0", 10, Unsatisfiable),
            ("bytes=0-", 0, Unsatisfiable),
            ("bytes=99999999999999999999999-", 10, Unsatisfiable),
            // Malformed or several: ignored.
            ("bytes=5-2", 10, Whole),
            ("bytes=a-b", 10, Whole),
            ("bytes=1-2,4-5", 10, Whole),
            ("items=1-2", 10, Whole),
            ("bytes=-", 10, Whole),
            ("bytes=+1-2", 10, Whole),
        ];
        for (h, len, want) in cases {
            assert_eq!(parse_range(h, *len), *want, "{h} of {len}");
        }
    }

    fn meta(etag: &str, lm: i64) -> Meta {
        Meta {
            identity: crate::meta::Identity {
                ino: 1,
                size: 1,
                mtime: (lm, 0),
            },
            etag: etag.into(),
            last_modified: lm,
            checksum: None,
            checksum_composite: false,
            headers: Vec::new(),
            parts: None,
        }
    }

    /// RFC 9110 §13.2.2's order, with dates written by hand.
    #[test]
    fn precondition_precedence() {
        // 2026-12-03 09:00:00 UTC.
        let m = meta("\"abc\"", 1_796_288_400);
        let at = "Thu, 03 Dec 2026 09:00:00 GMT";
        let before = "Thu, 03 Dec 2026 08:59:59 GMT";
        let after = "Thu, 03 Dec 2026 09:00:01 GMT";
        let code = |pairs: &[(&'static str, &str)]| {
            let mut h = HeaderMap::new();
            for (n, v) in pairs {
                h.insert(*n, v.parse().unwrap());
            }
            preconditions(&m, &h).err().map(|e| e.code)
        };
        use ErrorCode::{NotModified as N, PreconditionFailed as P};
        assert_eq!(code(&[]), None);
        assert_eq!(code(&[("if-match", "\"abc\"")]), None);
        assert_eq!(code(&[("if-match", "\"x\"")]), Some(P));
        // If-Match true wins over a failing If-Unmodified-Since.
        assert_eq!(
            code(&[("if-match", "\"abc\""), ("if-unmodified-since", before)]),
            None
        );
        assert_eq!(code(&[("if-unmodified-since", before)]), Some(P));
        assert_eq!(code(&[("if-unmodified-since", at)]), None);
        assert_eq!(code(&[("if-none-match", "\"abc\"")]), Some(N));
        assert_eq!(code(&[("if-none-match", "\"x\"")]), None);
        // If-None-Match not matching wins over If-Modified-Since.
        assert_eq!(
            code(&[("if-none-match", "\"x\""), ("if-modified-since", after)]),
            None
        );
        assert_eq!(code(&[("if-modified-since", at)]), Some(N));
        assert_eq!(code(&[("if-modified-since", before)]), None);
        assert_eq!(code(&[("if-modified-since", "yesterday")]), None);
        // 412 before 304.
        assert_eq!(
            code(&[("if-match", "\"x\""), ("if-none-match", "\"abc\"")]),
            Some(P)
        );
        assert_eq!(http_date(1_796_288_400), at);
    }

    #[test]
    fn streaming_bodies_are_recognised() {
        let h = |pairs: &[(&'static str, &str)]| {
            let mut h = HeaderMap::new();
            for (n, v) in pairs {
                h.insert(*n, v.parse().unwrap());
            }
            is_aws_chunked(&h).map_err(|e| e.code)
        };
        let streaming = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
        assert_eq!(h(&[("x-amz-content-sha256", streaming)]), Ok(true));
        assert_eq!(h(&[("content-encoding", "aws-chunked")]), Ok(true));
        assert_eq!(
            h(&[("x-amz-content-sha256", "UNSIGNED-PAYLOAD")]),
            Ok(false)
        );
        assert_eq!(h(&[("x-amz-content-sha256", &"a".repeat(64))]), Ok(false));
        assert_eq!(
            h(&[("x-amz-content-sha256", "STREAMING-SOMETHING-NEW")]),
            Err(ErrorCode::InvalidArgument)
        );
    }

    #[test]
    fn metadata_limit_counts_keys_and_values() {
        let mut h = HeaderMap::new();
        // 1 + 2047 = 2048 bytes: at the limit.
        h.insert("x-amz-meta-a", "v".repeat(2047).parse().unwrap());
        h.insert("content-encoding", "aws-chunked,gzip".parse().unwrap());
        let s = stored_headers(&h).unwrap();
        assert_eq!(s[0], ("content-encoding".into(), b"gzip".to_vec()));
        h.insert("x-amz-meta-b", "".parse().unwrap());
        assert_eq!(
            stored_headers(&h).unwrap_err().code,
            ErrorCode::MetadataTooLarge
        );
    }
}
