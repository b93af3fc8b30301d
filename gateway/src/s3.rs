//! One function per S3 operation, and the routing in front of them.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::atomic::Ordering;

use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use md5::{Digest, Md5};
use s3err::ErrorCode;

use crate::State;
use crate::body::Body;
use crate::checksum::{Checksums, decode_digest};
use crate::chunked::{AwsChunked, ChunkError};
use crate::error::{self, S3Error};
use crate::fs::{self, Found};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-amz-request-id");
const HOST_ID: HeaderName = HeaderName::from_static("x-amz-id-2");
const BUCKET_REGION: HeaderName = HeaderName::from_static("x-amz-bucket-region");
const HOST_ID_VALUE: &str = "s3err-gateway";

type Result<T> = std::result::Result<T, S3Error>;

/// Answers one request; never fails (errors become S3 error responses).
pub async fn handle(state: &State, req: Request<Incoming>) -> Response<Body> {
    let head = req.method() == Method::HEAD;
    if state.test_routes && req.uri().path() == "/_s3err/requests" {
        let n = state.requests.load(Ordering::Relaxed);
        let m = state.chunked_puts.load(Ordering::Relaxed);
        return Response::new(Body::bytes(format!("{n} {m}")));
    }
    state.requests.fetch_add(1, Ordering::Relaxed);
    let request_id = state.next_request_id();
    let resource = req.uri().path().to_owned();
    let mut resp = match route(state, req).await {
        Ok(r) => r,
        Err(e) => error::render(&e, &resource, &request_id, HOST_ID_VALUE, head),
    };
    let h = resp.headers_mut();
    if !h.contains_key(&REQUEST_ID) {
        if let Ok(v) = HeaderValue::from_str(&request_id) {
            h.insert(REQUEST_ID, v);
        }
        h.insert(HOST_ID, HeaderValue::from_static(HOST_ID_VALUE));
    }
    resp
}

fn not_implemented(what: &str) -> S3Error {
    S3Error::with_message(
        ErrorCode::NotImplemented,
        format!("s3err-gateway does not implement {what}."),
    )
}

async fn route(state: &State, req: Request<Incoming>) -> Result<Response<Body>> {
    if !state.allow() {
        return Err(S3Error::with_message(
            ErrorCode::SlowDown,
            "Please reduce your request rate.".into(),
        ));
    }
    if state.test_routes
        && let Some(name) = req.headers().get("x-s3err-test-error")
    {
        let name = name.to_str().unwrap_or("");
        return Err(match ErrorCode::from_name(name) {
            Some(code) => S3Error::new(code),
            None => {
                S3Error::with_message(ErrorCode::InvalidArgument, "unknown test error code".into())
            }
        });
    }
    let path = req.uri().path();
    let rest = path.strip_prefix('/').unwrap_or(path);
    let (bucket_raw, key_raw) = match rest.split_once('/') {
        Some((b, k)) => (b, k),
        None => (rest, ""),
    };
    if bucket_raw.is_empty() {
        return Err(not_implemented(
            "ListBuckets or any service-level operation",
        ));
    }
    let bucket = decode(bucket_raw)?;
    if !fs::valid_bucket_name(&bucket) {
        return Err(S3Error::new(ErrorCode::InvalidBucketName));
    }
    if let Some(q) = req.uri().query() {
        // The Rust SDK adds `x-id=GetObject` and the like; any other
        // parameter names a sub-resource or option this gateway lacks.
        if let Some(p) = q
            .split('&')
            .find(|p| !p.is_empty() && !p.starts_with("x-id="))
        {
            let name = p.split('=').next().unwrap_or(p);
            return Err(not_implemented(&format!("the query parameter {name:?}")));
        }
    }
    let method = req.method().clone();
    if key_raw.is_empty() {
        return match method {
            Method::HEAD => head_bucket(state, &bucket),
            _ => Err(not_implemented(&format!("{method} on a bucket"))),
        };
    }
    let key = decode(key_raw)?;
    fs::check_key(&key)?;
    let bucket_dir = fs::bucket_dir(&state.root, &bucket)?;
    match method {
        Method::GET | Method::HEAD => {
            get_object(&bucket_dir, &key, req.headers(), method == Method::HEAD).await
        }
        Method::PUT => put_object(state, &bucket_dir, &key, req).await,
        Method::DELETE => delete_object(&bucket_dir, &key),
        _ => Err(not_implemented(&format!("{method} on an object"))),
    }
}

fn decode(s: &str) -> Result<String> {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| {
            S3Error::with_message(
                ErrorCode::InvalidArgument,
                "The path is not UTF-8 once decoded.".into(),
            )
        })
}

fn ok(status: StatusCode, body: Body) -> Response<Body> {
    let mut r = Response::new(body);
    *r.status_mut() = status;
    r
}

fn head_bucket(state: &State, bucket: &str) -> Result<Response<Body>> {
    fs::bucket_dir(&state.root, bucket)?;
    let mut r = ok(StatusCode::OK, Body::empty());
    if let Ok(v) = HeaderValue::from_str(&state.region) {
        r.headers_mut().insert(BUCKET_REGION, v);
    }
    Ok(r)
}

/// The quoted hex MD5 of `file`'s content; leaves the file at its start.
fn etag_of(file: &mut std::fs::File) -> std::io::Result<(String, u64)> {
    let mut md5 = Md5::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut len = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        md5.update(&buf[..n]);
        len += n as u64;
    }
    file.seek(SeekFrom::Start(0))?;
    Ok((format!("\"{}\"", hex(&md5.finalize())), len))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Does an `If-Match` / `If-None-Match` list match `etag`?
fn etag_matches(list: &str, etag: &str) -> bool {
    let bare = etag.trim_matches('"');
    list.split(',')
        .map(str::trim)
        .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t).trim_matches('"') == bare)
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

async fn get_object(
    bucket: &Path,
    key: &str,
    headers: &HeaderMap,
    head: bool,
) -> Result<Response<Body>> {
    let Found::File(path) = fs::resolve(bucket, key)? else {
        return Err(S3Error::new(ErrorCode::NoSuchKey));
    };
    let (file, etag, len) = tokio::task::spawn_blocking(move || {
        let mut f = std::fs::File::open(&path)?;
        let (etag, len) = etag_of(&mut f)?;
        Ok::<_, std::io::Error>((f, etag, len))
    })
    .await
    .map_err(|_| S3Error::new(ErrorCode::InternalError))?
    .map_err(S3Error::io)?;
    let etag_value =
        HeaderValue::from_str(&etag).map_err(|_| S3Error::new(ErrorCode::InternalError))?;

    let text = |n: &HeaderName| headers.get(n).and_then(|v| v.to_str().ok());
    if let Some(list) = text(&header::IF_MATCH)
        && !etag_matches(list, &etag)
    {
        return Err(S3Error::new(ErrorCode::PreconditionFailed));
    }
    if let Some(list) = text(&header::IF_NONE_MATCH)
        && etag_matches(list, &etag)
    {
        return Err(S3Error::new(ErrorCode::NotModified).header(header::ETAG, etag_value));
    }
    let range = text(&header::RANGE).map_or(Range::Whole, |h| parse_range(h, len));
    let (status, first, count) = match range {
        Range::Whole => (StatusCode::OK, 0, len),
        Range::Part(a, b) => (StatusCode::PARTIAL_CONTENT, a, b - a + 1),
        Range::Unsatisfiable => {
            let cr = HeaderValue::from_str(&format!("bytes */{len}"))
                .map_err(|_| S3Error::new(ErrorCode::InternalError))?;
            return Err(S3Error::new(ErrorCode::InvalidRange).header(header::CONTENT_RANGE, cr));
        }
    };
    let mut file = tokio::fs::File::from_std(file);
    if first > 0 {
        use tokio::io::AsyncSeekExt;
        file.seek(SeekFrom::Start(first))
            .await
            .map_err(S3Error::io)?;
    }
    let body = if head {
        Body::empty()
    } else {
        Body::File {
            file,
            remaining: count,
        }
    };
    let mut r = ok(status, body);
    let h = r.headers_mut();
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(count));
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(header::ETAG, etag_value);
    if status == StatusCode::PARTIAL_CONTENT {
        let cr = format!("bytes {first}-{}/{len}", first + count - 1);
        h.insert(
            header::CONTENT_RANGE,
            HeaderValue::from_str(&cr).map_err(|_| S3Error::new(ErrorCode::InternalError))?,
        );
    }
    Ok(r)
}

fn delete_object(bucket: &Path, key: &str) -> Result<Response<Body>> {
    // S3 answers 204 whether or not the key existed.
    if let Found::File(path) = fs::resolve(bucket, key)? {
        match std::fs::remove_file(&path) {
            Ok(()) => fs::remove_empty_parents(bucket, &path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(S3Error::io(e)),
        }
    }
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

async fn put_object(
    state: &State,
    bucket: &Path,
    key: &str,
    req: Request<Incoming>,
) -> Result<Response<Body>> {
    let headers = req.headers();
    if headers.contains_key("x-amz-copy-source") {
        return Err(not_implemented("CopyObject"));
    }
    let Some(wire_len) = content_length(headers, "content-length")? else {
        return Err(S3Error::new(ErrorCode::MissingContentLength));
    };
    let aws_chunked = headers
        .get_all(header::CONTENT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|e| e.trim().eq_ignore_ascii_case("aws-chunked"));
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
    let checksums = Checksums::from_headers(headers)?;
    let if_none_match = headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == b"*");
    let target = match fs::resolve(bucket, key)? {
        Found::Blocked => return Err(fs::blocked()),
        Found::File(p) if if_none_match => {
            let _ = p;
            return Err(S3Error::new(ErrorCode::PreconditionFailed));
        }
        Found::File(p) | Found::Missing(p) => p,
    };

    let (tmp, file) = fs::TempFile::create(&state.root).map_err(S3Error::io)?;
    let mut writer = Writer {
        file,
        md5: Md5::new(),
        checksums,
        len: 0,
    };
    if aws_chunked {
        state.chunked_puts.fetch_add(1, Ordering::Relaxed);
    }
    let mut decoder = aws_chunked.then(AwsChunked::new);
    let mut decoded = Vec::new();
    let mut body = req.into_body();
    loop {
        // A client that stops sending mid-body gets RequestTimeout, and the
        // temp file is removed.
        let next = tokio::time::timeout(std::time::Duration::from_secs(60), body.frame())
            .await
            .map_err(|_| S3Error::new(ErrorCode::RequestTimeout))?;
        let Some(frame) = next else { break };
        let frame = frame.map_err(|_| S3Error::new(ErrorCode::IncompleteBody))?;
        let Ok(data) = frame.into_data() else {
            continue; // HTTP trailers: not used by S3 clients.
        };
        let data: &[u8] = match decoder.as_mut() {
            Some(d) => {
                decoded.clear();
                d.feed(&data, &mut decoded).map_err(chunk_error)?;
                &decoded
            }
            None => &data,
        };
        writer.len += data.len() as u64;
        if writer.len > size {
            return Err(S3Error::with_message(
                ErrorCode::InvalidArgument,
                "The body is longer than its declared length.".into(),
            ));
        }
        // Small synchronous writes into the page cache; the fsync below
        // runs on the blocking pool.
        writer.write(data)?;
    }
    if let Some(d) = decoder {
        let trailers = d.finish().map_err(chunk_error)?;
        writer.checksums.trailers(&trailers)?;
    }
    if writer.len != size {
        return Err(S3Error::new(ErrorCode::IncompleteBody));
    }
    let Writer {
        file,
        md5,
        checksums,
        ..
    } = writer;
    let md5 = md5.finalize();
    if md5_want.is_some_and(|w| w[..] != md5[..]) {
        return Err(S3Error::new(ErrorCode::BadDigest));
    }
    let echo = checksums.verify()?;
    let bucket = bucket.to_path_buf();
    tokio::task::spawn_blocking(move || -> Result<()> {
        file.sync_all().map_err(S3Error::io)?;
        drop(file);
        fs::create_parents(&bucket, &target)?;
        tmp.commit(&target).map_err(|e| {
            if target.is_dir() {
                fs::blocked()
            } else {
                S3Error::io(e)
            }
        })
    })
    .await
    .map_err(|_| S3Error::new(ErrorCode::InternalError))??;
    let mut r = ok(StatusCode::OK, Body::empty());
    let etag = format!("\"{}\"", hex(&md5));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        r.headers_mut().insert(header::ETAG, v);
    }
    for (name, value) in echo {
        if let Ok(v) = HeaderValue::from_str(&value) {
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

struct Writer {
    file: std::fs::File,
    md5: Md5,
    checksums: Checksums,
    len: u64,
}

impl Writer {
    fn write(&mut self, data: &[u8]) -> Result<()> {
        self.md5.update(data);
        self.checksums.update(data);
        self.file.write_all(data).map_err(S3Error::io)
    }
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

    #[test]
    fn etags() {
        let e = "\"0cc175b9c0f1b6a831c399e269772661\"";
        assert!(etag_matches(e, e));
        assert!(etag_matches("0cc175b9c0f1b6a831c399e269772661", e));
        assert!(etag_matches(
            "\"x\", W/\"0cc175b9c0f1b6a831c399e269772661\"",
            e
        ));
        assert!(etag_matches("*", e));
        assert!(!etag_matches("\"0cc175b9c0f1b6a831c399e269772662\"", e));
    }
}
