//! Multipart upload: CreateMultipartUpload, UploadPart,
//! CompleteMultipartUpload, AbortMultipartUpload, ListParts,
//! ListMultipartUploads. Parts are kept in the upload's directory (the
//! storage layer's); completing concatenates them into one temp file
//! committed as a PUT is.

use http::header::{self, HeaderValue};
use http::{Request, Response, StatusCode};
use hyper::body::Incoming;
use md5::{Digest, Md5};
use s3err::ErrorCode;

use crate::State;
use crate::body::Body;
use crate::buckets::{read_body, xml_response};
use crate::error::S3Error;
use crate::meta::Parts;
use crate::objects::{
    Received, body_spec, condition, copy_conditions, copy_range, copy_source, receive,
    stored_headers,
};
use crate::s3::{Result, ok};
use crate::storage::{NewMeta, hex};
use crate::xml::{self, NS, escape};

/// S3's smallest part but the last.
const MIN_PART: u64 = 5 * 1024 * 1024;

/// S3's part numbers.
const PARTS: std::ops::RangeInclusive<u32> = 1..=10_000;

/// The largest CompleteMultipartUpload body read.
const MAX_COMPLETE: usize = 4 * 1024 * 1024;

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn upload_id(params: &[(String, String)]) -> &str {
    param(params, "uploadId").unwrap_or("")
}

/// CreateMultipartUpload: the object's headers are kept for the
/// completion.
pub async fn create(
    state: &State,
    bucket: &str,
    key: &str,
    req: &Request<Incoming>,
) -> Result<Response<Body>> {
    let headers = stored_headers(req.headers())?;
    let id = state.store.create_multipart(bucket, key, headers).await?;
    Ok(xml_response(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult xmlns=\"{NS}\"><Bucket>{}</Bucket><Key>{}</Key><UploadId>{id}</UploadId></InitiateMultipartUploadResult>",
        escape(bucket),
        escape(key)
    )))
}

/// The upload `id` of `key` (`NoSuchUpload` if it is another key's).
async fn check_upload(state: &State, bucket: &str, key: &str, id: &str) -> Result<()> {
    let info = state.store.upload_info(bucket, id).await?;
    if info.key != key {
        return Err(S3Error::new(ErrorCode::NoSuchUpload));
    }
    Ok(())
}

/// The `partNumber` parameter: an integer from 1 to 10,000
/// (`InvalidArgument` otherwise).
pub fn part_number(params: &[(String, String)]) -> Result<u32> {
    param(params, "partNumber")
        .and_then(|n| n.parse::<u32>().ok())
        .filter(|n| PARTS.contains(n))
        .ok_or_else(|| {
            S3Error::with_message(
                ErrorCode::InvalidArgument,
                "Part number must be an integer between 1 and 10000, inclusive".into(),
            )
        })
}

/// `x-amz-copy-source-range: bytes=first-last` of an object of `size`
/// bytes: the first byte and the count; the whole object without one.
fn copy_range_header(v: Option<&str>, size: u64) -> Result<(u64, u64)> {
    let Some(v) = v else { return Ok((0, size)) };
    let form = || {
        S3Error::with_message(
            ErrorCode::InvalidArgument,
            "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy".into(),
        )
    };
    let (a, b) = v
        .trim()
        .strip_prefix("bytes=")
        .and_then(|r| r.split_once('-'))
        .ok_or_else(form)?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    if !digits(a) || !digits(b) {
        return Err(form());
    }
    let (first, last) = match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(f), Ok(l)) if f <= l => (f, l),
        _ => return Err(form()),
    };
    if last >= size {
        return Err(S3Error::with_message(
            ErrorCode::InvalidArgument,
            format!("Range specified is not valid for source object of size: {size}"),
        ));
    }
    Ok((first, last - first + 1))
}

/// UploadPartCopy: a part copied from an object (or a byte range of it,
/// `x-amz-copy-source-range`), under the `x-amz-copy-source-if-*`
/// conditions.
pub async fn upload_part_copy(
    state: &State,
    bucket: &str,
    key: &str,
    params: &[(String, String)],
    headers: &http::HeaderMap,
) -> Result<Response<Body>> {
    let part = part_number(params)?;
    let id = upload_id(params).to_owned();
    let (src_bucket, src_key) = copy_source(headers)?;
    check_upload(state, bucket, key, &id).await?;
    let Some(source) = state.store.open(&src_bucket, &src_key).await? else {
        return Err(S3Error::new(ErrorCode::NoSuchKey));
    };
    copy_conditions(&source.meta, headers)?;
    let range = headers
        .get("x-amz-copy-source-range")
        .map(|v| v.to_str().unwrap_or(""));
    let (first, count) = copy_range_header(range, source.meta.identity.size)?;
    let (upload, md5) = copy_range(state, bucket, source, first, count).await?;
    let etag = format!("\"{}\"", hex(&md5));
    let meta = state
        .store
        .commit_part(upload, bucket, &id, part, etag.clone())
        .await?;
    Ok(xml_response(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CopyPartResult xmlns=\"{NS}\"><LastModified>{}</LastModified><ETag>{}</ETag></CopyPartResult>",
        xml::timestamp(meta.last_modified),
        escape(&etag)
    )))
}

/// UploadPart: the body checked as PutObject checks it, kept as the
/// part; the ETag is its MD5.
pub async fn upload_part(
    state: &State,
    bucket: &str,
    key: &str,
    params: &[(String, String)],
    req: Request<Incoming>,
) -> Result<Response<Body>> {
    let part = part_number(params)?;
    let id = upload_id(params).to_owned();
    let spec = body_spec(state, req.headers())?;
    check_upload(state, bucket, key, &id).await?;
    let Received { upload, md5, echo } = receive(state, bucket, req, spec).await?;
    let etag = format!("\"{}\"", hex(&md5));
    state
        .store
        .commit_part(upload, bucket, &id, part, etag.clone())
        .await?;
    let mut r = ok(StatusCode::OK, Body::empty());
    if let Ok(v) = HeaderValue::from_str(&etag) {
        r.headers_mut().insert(header::ETAG, v);
    }
    for (name, v) in echo {
        if let Ok(v) = HeaderValue::from_str(&v) {
            r.headers_mut().insert(name, v);
        }
    }
    Ok(r)
}

/// The (part number, ETag) list of a CompleteMultipartUpload body.
fn parse_complete(body: &[u8]) -> Result<Vec<(u32, String)>> {
    let malformed = || S3Error::new(ErrorCode::MalformedXML);
    let text = std::str::from_utf8(body).map_err(|_| malformed())?;
    let doc = roxmltree::Document::parse(text).map_err(|_| malformed())?;
    let root = doc.root_element();
    if root.tag_name().name() != "CompleteMultipartUpload" {
        return Err(malformed());
    }
    let mut out = Vec::new();
    for p in root
        .children()
        .filter(|n| n.is_element() && n.tag_name().name() == "Part")
    {
        let field = |name: &str| {
            p.children()
                .find(|c| c.is_element() && c.tag_name().name() == name)
                .and_then(|c| c.text())
                .map(str::trim)
        };
        let n = field("PartNumber")
            .and_then(|n| n.parse::<u32>().ok())
            .ok_or_else(malformed)?;
        let etag = field("ETag").ok_or_else(malformed)?;
        out.push((n, etag.trim_matches('"').to_owned()));
    }
    if out.is_empty() {
        return Err(malformed());
    }
    Ok(out)
}

/// CompleteMultipartUpload: the listed parts, in ascending order, each as
/// uploaded (`InvalidPart`), all but the last at least 5 MiB
/// (`EntityTooSmall`), become the object atomically; its ETag is the MD5
/// of the parts' MD5s followed by `-N`. `If-Match` and `If-None-Match: *`
/// hold as on PutObject. The whole answer is decided before any byte of
/// it is sent, so a failure is always an error status, never a `200`
/// carrying an `<Error>`.
pub async fn complete(
    state: &State,
    bucket: &str,
    key: &str,
    params: &[(String, String)],
    req: Request<Incoming>,
) -> Result<Response<Body>> {
    let id = upload_id(params).to_owned();
    let condition = condition(req.headers())?;
    check_upload(state, bucket, key, &id).await?;
    let body = read_body(req, MAX_COMPLETE).await?;
    let wanted = parse_complete(&body)?;
    if wanted.windows(2).any(|w| w[0].0 >= w[1].0) {
        return Err(S3Error::new(ErrorCode::InvalidPartOrder));
    }
    let info = state.store.upload_info(bucket, &id).await?;
    let stored = state.store.parts(bucket, &id).await?;
    let mut md5s = Md5::new();
    let mut sizes = Vec::with_capacity(wanted.len());
    let last = wanted.len() - 1;
    for (i, (n, etag)) in wanted.iter().enumerate() {
        let Some((_, meta)) = stored.iter().find(|(m, _)| m == n) else {
            return Err(S3Error::new(ErrorCode::InvalidPart));
        };
        if meta.etag.trim_matches('"') != etag {
            return Err(S3Error::new(ErrorCode::InvalidPart));
        }
        if i < last && meta.identity.size < MIN_PART {
            return Err(S3Error::new(ErrorCode::EntityTooSmall));
        }
        sizes.push(meta.identity.size);
        let raw: Vec<u8> = (0..etag.len() / 2)
            .filter_map(|j| u8::from_str_radix(etag.get(2 * j..2 * j + 2)?, 16).ok())
            .collect();
        md5s.update(&raw);
    }
    let etag = format!("\"{}-{}\"", hex(&md5s.finalize()), wanted.len());
    let new = NewMeta {
        etag: etag.clone(),
        checksum: None,
        headers: info.headers,
        parts: Some(Parts {
            count: wanted.len() as u32,
            sizes: Some(sizes),
        }),
    };
    let parts = wanted.iter().map(|(n, _)| *n).collect();
    state
        .store
        .complete(bucket, &id, parts, new, condition)
        .await?;
    Ok(xml_response(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUploadResult xmlns=\"{NS}\"><Location>/{b}/{k}</Location><Bucket>{b}</Bucket><Key>{k}</Key><ETag>{}</ETag></CompleteMultipartUploadResult>",
        escape(&etag),
        b = escape(bucket),
        k = escape(key),
    )))
}

/// AbortMultipartUpload: `204`, the parts removed.
pub async fn abort(
    state: &State,
    bucket: &str,
    key: &str,
    params: &[(String, String)],
) -> Result<Response<Body>> {
    let id = upload_id(params);
    check_upload(state, bucket, key, id).await?;
    state.store.abort(bucket, id).await?;
    Ok(ok(StatusCode::NO_CONTENT, Body::empty()))
}

/// ListParts: the parts uploaded, by number (`max-parts`,
/// `part-number-marker`).
pub async fn list_parts(
    state: &State,
    bucket: &str,
    key: &str,
    params: &[(String, String)],
) -> Result<Response<Body>> {
    let id = upload_id(params);
    let bad = |what: &str| {
        S3Error::with_message(
            ErrorCode::InvalidArgument,
            format!("{what} must be an integer from 0."),
        )
    };
    let max = match param(params, "max-parts") {
        None => 1000,
        Some(v) => v.parse::<usize>().map_err(|_| bad("max-parts"))?.min(1000),
    };
    let marker = match param(params, "part-number-marker") {
        None => 0,
        Some(v) => v.parse::<u32>().map_err(|_| bad("part-number-marker"))?,
    };
    check_upload(state, bucket, key, id).await?;
    let parts = state.store.parts(bucket, id).await?;
    let after: Vec<_> = parts.iter().filter(|(n, _)| *n > marker).collect();
    let truncated = after.len() > max;
    let page = &after[..after.len().min(max)];
    let mut x = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListPartsResult xmlns=\"{NS}\"><Bucket>{}</Bucket><Key>{}</Key><UploadId>{id}</UploadId>{owner}<Initiator><ID>{oid}</ID><DisplayName>{oid}</DisplayName></Initiator><StorageClass>STANDARD</StorageClass><PartNumberMarker>{marker}</PartNumberMarker><MaxParts>{max}</MaxParts><IsTruncated>{truncated}</IsTruncated>",
        escape(bucket),
        escape(key),
        owner = xml::owner(),
        oid = xml::OWNER_ID,
    );
    if let Some((n, _)) = page.last() {
        x.push_str(&format!("<NextPartNumberMarker>{n}</NextPartNumberMarker>"));
    }
    for (n, meta) in page {
        x.push_str(&format!(
            "<Part><PartNumber>{n}</PartNumber><LastModified>{}</LastModified><ETag>{}</ETag><Size>{}</Size></Part>",
            xml::timestamp(meta.last_modified),
            escape(&meta.etag),
            meta.identity.size
        ));
    }
    x.push_str("</ListPartsResult>");
    Ok(xml_response(x))
}

/// ListMultipartUploads: every upload in progress (with `prefix`), by key.
pub async fn list_uploads(
    state: &State,
    bucket: &str,
    params: &[(String, String)],
) -> Result<Response<Body>> {
    let prefix = param(params, "prefix").unwrap_or("");
    let uploads = state.store.list_uploads(bucket).await?;
    let mut x = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListMultipartUploadsResult xmlns=\"{NS}\"><Bucket>{}</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker><Prefix>{}</Prefix><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>",
        escape(bucket),
        escape(prefix)
    );
    for u in uploads
        .iter()
        .filter(|u| u.key.starts_with(prefix))
        .take(1000)
    {
        x.push_str(&format!(
            "<Upload><Key>{}</Key><UploadId>{}</UploadId><Initiator><ID>{oid}</ID><DisplayName>{oid}</DisplayName></Initiator>{}<StorageClass>STANDARD</StorageClass><Initiated>{}</Initiated></Upload>",
            escape(&u.key),
            u.id,
            xml::owner(),
            xml::timestamp(u.initiated),
            oid = xml::OWNER_ID,
        ));
    }
    x.push_str("</ListMultipartUploadsResult>");
    Ok(xml_response(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_source_ranges() {
        let r = |v: Option<&str>| copy_range_header(v, 10).map_err(|e| e.code);
        assert_eq!(r(None), Ok((0, 10)));
        assert_eq!(r(Some("bytes=0-9")), Ok((0, 10)));
        assert_eq!(r(Some("bytes=3-3")), Ok((3, 1)));
        for bad in [
            "bytes=0-10",
            "bytes=5-4",
            "bytes=-3",
            "bytes=3-",
            "0-3",
            "bytes=a-b",
        ] {
            assert_eq!(r(Some(bad)), Err(ErrorCode::InvalidArgument), "{bad}");
        }
    }

    #[test]
    fn complete_documents() {
        let p = |s: &str| parse_complete(s.as_bytes()).map_err(|e| e.code);
        assert_eq!(
            p(
                "<CompleteMultipartUpload><Part><ETag>\"ab\"</ETag><PartNumber>2</PartNumber></Part><Part><PartNumber>3</PartNumber><ETag>cd</ETag><ChecksumCRC32>x</ChecksumCRC32></Part></CompleteMultipartUpload>"
            ),
            Ok(vec![(2, "ab".to_string()), (3, "cd".to_string())])
        );
        for bad in [
            "<CompleteMultipartUpload/>",
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>",
            "<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>",
            "<Other/>",
            "",
        ] {
            assert_eq!(p(bad), Err(ErrorCode::MalformedXML), "{bad}");
        }
    }
}
