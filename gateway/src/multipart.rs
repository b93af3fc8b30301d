//! Multipart upload: CreateMultipartUpload, UploadPart,
//! CompleteMultipartUpload, AbortMultipartUpload, ListParts,
//! ListMultipartUploads. Parts are kept in the upload's directory (the
//! storage layer's); completing concatenates them into one temp file
//! committed as a PUT is.
//!
//! **Checksums.** An upload created with `x-amz-checksum-algorithm` (and
//! optionally `x-amz-checksum-type`) keeps that algorithm's digest of
//! every part, and its object gets S3's checksum of that type: composite
//! (the digest of the parts' binary digests concatenated, `…-N`) or full
//! object (the CRC of all the bytes, computed while the parts are
//! concatenated). The per-part checksums a CompleteMultipartUpload lists
//! are compared with the stored ones (`InvalidPart`), whatever the upload
//! was created with.

use http::header::{self, HeaderValue};
use http::{Request, Response, StatusCode};
use hyper::body::Incoming;
use md5::{Digest, Md5};
use s3err::ErrorCode;

use crate::State;
use crate::body::Body;
use crate::buckets::{read_body, xml_response};
use crate::checksum::{Algorithm, Hasher};
use crate::error::S3Error;
use crate::meta::Parts;
use crate::objects::{
    Received, body_spec, condition, copy_conditions, copy_range, copy_source, receive,
    stored_headers,
};
use crate::s3::{Result, ok};
use crate::storage::{NewMeta, UploadInfo, hex};
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

/// The checksum an upload was created with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct UploadChecksum {
    algorithm: Algorithm,
    /// S3's composite type; otherwise full object.
    composite: bool,
}

fn invalid_request(message: String) -> S3Error {
    S3Error::with_message(ErrorCode::InvalidRequest, message)
}

impl UploadChecksum {
    /// `x-amz-checksum-algorithm` and `x-amz-checksum-type` of a
    /// CreateMultipartUpload, refused as S3 refuses them: an unknown
    /// algorithm or type, a type without an algorithm, COMPOSITE with
    /// CRC64NVME, FULL_OBJECT with SHA1 or SHA256. The type defaults to
    /// full object for CRC64NVME, composite for the others (S3's
    /// defaults).
    fn from_headers(h: &http::HeaderMap) -> Result<Option<UploadChecksum>> {
        let get = |n: &str| h.get(n).map(|v| v.to_str().unwrap_or("").trim().to_owned());
        let kind = get("x-amz-checksum-type");
        let Some(name) = get("x-amz-checksum-algorithm") else {
            return match kind {
                None => Ok(None),
                Some(_) => Err(invalid_request(
                    "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.".into(),
                )),
            };
        };
        let algorithm = Algorithm::by_name(&name).ok_or_else(|| {
            invalid_request(
                "Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]".into(),
            )
        })?;
        let composite = match kind.as_deref() {
            None => algorithm.composite(),
            Some(k) if k.eq_ignore_ascii_case("COMPOSITE") => true,
            Some(k) if k.eq_ignore_ascii_case("FULL_OBJECT") => false,
            Some(_) => {
                return Err(invalid_request(
                    "Value for x-amz-checksum-type header is invalid.".into(),
                ));
            }
        };
        let c = UploadChecksum {
            algorithm,
            composite,
        };
        let allowed = if composite {
            algorithm.composite()
        } else {
            algorithm.full_object()
        };
        if !allowed {
            return Err(invalid_request(format!(
                "The {} checksum type cannot be used with the {} checksum algorithm.",
                c.type_name(),
                algorithm.name().to_ascii_lowercase()
            )));
        }
        Ok(Some(c))
    }

    fn type_name(self) -> &'static str {
        if self.composite {
            "COMPOSITE"
        } else {
            "FULL_OBJECT"
        }
    }

    /// As kept in the upload's directory: `CRC32 COMPOSITE`.
    fn encode(self) -> String {
        format!("{} {}", self.algorithm.name(), self.type_name())
    }

    fn decode(s: &str) -> Option<UploadChecksum> {
        let (a, t) = s.trim().split_once(' ')?;
        Some(UploadChecksum {
            algorithm: Algorithm::by_name(a)?,
            composite: t == "COMPOSITE",
        })
    }

    /// The upload's checksum, as its directory keeps it.
    fn of(info: &UploadInfo) -> Option<UploadChecksum> {
        info.checksum.as_deref().and_then(UploadChecksum::decode)
    }
}

/// The XML element of an algorithm's checksum (`ChecksumCRC32`).
fn element(a: Algorithm) -> String {
    format!("Checksum{}", a.name())
}

/// CreateMultipartUpload: the object's headers (and the checksum
/// algorithm and type, answered as S3 echoes them) are kept for the
/// completion.
pub async fn create(
    state: &State,
    bucket: &str,
    key: &str,
    req: &Request<Incoming>,
) -> Result<Response<Body>> {
    let headers = stored_headers(req.headers())?;
    let checksum = UploadChecksum::from_headers(req.headers())?;
    let id = state
        .store
        .create_multipart(bucket, key, headers, checksum.map(UploadChecksum::encode))
        .await?;
    let mut r = xml_response(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult xmlns=\"{NS}\"><Bucket>{}</Bucket><Key>{}</Key><UploadId>{id}</UploadId></InitiateMultipartUploadResult>",
        escape(bucket),
        escape(key)
    ));
    if let Some(c) = checksum {
        let h = r.headers_mut();
        h.insert(
            "x-amz-checksum-algorithm",
            HeaderValue::from_static(c.algorithm.name()),
        );
        h.insert(
            "x-amz-checksum-type",
            HeaderValue::from_static(c.type_name()),
        );
    }
    Ok(r)
}

/// The upload `id` of `key` (`NoSuchUpload` if it is another key's).
async fn check_upload(state: &State, bucket: &str, key: &str, id: &str) -> Result<UploadInfo> {
    let info = state.store.upload_info(bucket, id).await?;
    if info.key != key {
        return Err(S3Error::new(ErrorCode::NoSuchUpload));
    }
    Ok(info)
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
    let checksum = UploadChecksum::of(&check_upload(state, bucket, key, &id).await?);
    let Some(source) = state.store.open(&src_bucket, &src_key).await? else {
        return Err(S3Error::new(ErrorCode::NoSuchKey));
    };
    copy_conditions(&source.meta, headers)?;
    let range = headers
        .get("x-amz-copy-source-range")
        .map(|v| v.to_str().unwrap_or(""));
    let (first, count) = copy_range_header(range, source.meta.identity.size)?;
    let algorithm = checksum.map(|c| c.algorithm);
    let (upload, md5, digest) = copy_range(state, bucket, source, first, count, algorithm).await?;
    let etag = format!("\"{}\"", hex(&md5));
    let part_checksum = algorithm.zip(digest);
    let meta = state
        .store
        .commit_part(
            upload,
            bucket,
            &id,
            part,
            etag.clone(),
            part_checksum
                .as_ref()
                .map(|(a, v)| (a.header().to_owned(), v.clone())),
        )
        .await?;
    let checksum_xml = part_checksum.map_or(String::new(), |(a, v)| {
        format!("<{e}>{v}</{e}>", e = element(a))
    });
    Ok(xml_response(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CopyPartResult xmlns=\"{NS}\"><LastModified>{}</LastModified><ETag>{}</ETag>{checksum_xml}</CopyPartResult>",
        xml::timestamp(meta.last_modified),
        escape(&etag)
    )))
}

/// UploadPart: the body checked as PutObject checks it, kept as the
/// part; the ETag is its MD5. In an upload created with a checksum
/// algorithm the part's digest of that algorithm is computed and kept
/// (and given back), whether or not the request sends it; a part sent
/// with another algorithm's checksum is `InvalidRequest`, as S3 answers.
/// Otherwise the checksum the request sends is kept, as PutObject keeps
/// it.
pub async fn upload_part(
    state: &State,
    bucket: &str,
    key: &str,
    params: &[(String, String)],
    req: Request<Incoming>,
) -> Result<Response<Body>> {
    let part = part_number(params)?;
    let id = upload_id(params).to_owned();
    let mut spec = body_spec(state, req.headers())?;
    let checksum = UploadChecksum::of(&check_upload(state, bucket, key, &id).await?);
    if let Some(c) = checksum {
        spec.compute(c.algorithm);
    }
    let Received {
        upload,
        md5,
        mut echo,
        computed,
    } = receive(state, bucket, req, spec).await?;
    let part_checksum = match checksum {
        Some(c) => {
            let header = c.algorithm.header();
            if let Some((other, _)) = echo.iter().find(|(n, _)| *n != header) {
                return Err(invalid_request(format!(
                    "Checksum Type mismatch occurred, expected checksum Type: {}, actual checksum Type: {}",
                    c.algorithm.name().to_ascii_lowercase(),
                    other.trim_start_matches("x-amz-checksum-")
                )));
            }
            let value = computed
                .into_iter()
                .find(|(a, _)| *a == c.algorithm)
                .map(|(_, v)| v)
                .unwrap_or_default();
            echo = vec![(header, value.clone())];
            Some((header.to_owned(), value))
        }
        None => echo.first().map(|(n, v)| ((*n).to_owned(), v.clone())),
    };
    let etag = format!("\"{}\"", hex(&md5));
    state
        .store
        .commit_part(upload, bucket, &id, part, etag.clone(), part_checksum)
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

/// One part a CompleteMultipartUpload lists.
#[derive(Debug, PartialEq, Eq)]
struct Listed {
    number: u32,
    /// The ETag without its quotes.
    etag: String,
    /// The checksums listed with it (`ChecksumCRC32`, …), base64.
    checksums: Vec<(Algorithm, String)>,
}

/// The parts of a CompleteMultipartUpload body.
fn parse_complete(body: &[u8]) -> Result<Vec<Listed>> {
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
        let number = field("PartNumber")
            .and_then(|n| n.parse::<u32>().ok())
            .ok_or_else(malformed)?;
        let etag = field("ETag").ok_or_else(malformed)?;
        let checksums = Algorithm::ALL
            .into_iter()
            .filter_map(|a| Some((a, field(&element(a))?.to_owned())))
            .collect();
        out.push(Listed {
            number,
            etag: etag.trim_matches('"').to_owned(),
            checksums,
        });
    }
    if out.is_empty() {
        return Err(malformed());
    }
    Ok(out)
}

/// The whole-object checksum a CompleteMultipartUpload request gives
/// (`x-amz-checksum-<algorithm>` and `x-amz-checksum-type` headers),
/// which must be of the upload's algorithm and type.
fn complete_headers(
    headers: &http::HeaderMap,
    checksum: Option<UploadChecksum>,
) -> Result<Option<String>> {
    let given: Vec<(Algorithm, &str)> = Algorithm::ALL
        .into_iter()
        .filter_map(|a| Some((a, headers.get(a.header())?.to_str().unwrap_or(""))))
        .collect();
    if given.len() > 1 {
        return Err(invalid_request(
            "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed."
                .into(),
        ));
    }
    if let Some(kind) = headers.get("x-amz-checksum-type") {
        let kind = kind.to_str().unwrap_or("").trim();
        if checksum.is_none_or(|c| !c.type_name().eq_ignore_ascii_case(kind)) {
            return Err(invalid_request(format!(
                "The upload was created using the {} checksum mode. The complete request must use the same checksum mode.",
                checksum.map_or("null", |c| c.type_name())
            )));
        }
    }
    let Some((a, v)) = given.first() else {
        return Ok(None);
    };
    match checksum {
        Some(c) if c.algorithm == *a => Ok(Some(v.trim().to_owned())),
        _ => Err(invalid_request(format!(
            "The upload was created using {} checksum. The complete request must use the same checksum algorithm.",
            checksum.map_or("no".to_owned(), |c| format!(
                "a {}",
                c.algorithm.name().to_ascii_lowercase()
            ))
        ))),
    }
}

/// CompleteMultipartUpload: the listed parts, in ascending order, each as
/// uploaded (`InvalidPart`: its ETag, and every checksum listed with it),
/// all but the last at least 5 MiB (`EntityTooSmall`), become the object
/// atomically; its ETag is the MD5 of the parts' MD5s followed by `-N`.
/// In an upload created with a checksum algorithm the parts must be
/// numbered from 1 without a gap (`InvalidPartOrder`, as S3), a
/// composite upload must list each part's checksum (`InvalidRequest`),
/// and the object gets the checksum of the upload's type (compared with
/// one the request gives, `BadDigest`). `If-Match` and
/// `If-None-Match: *` hold as on PutObject. The whole answer is decided
/// before any byte of it is sent, so a failure is always an error
/// status, never a `200` carrying an `<Error>`.
pub async fn complete(
    state: &State,
    bucket: &str,
    key: &str,
    params: &[(String, String)],
    req: Request<Incoming>,
) -> Result<Response<Body>> {
    use base64::Engine;
    let base64 = base64::engine::general_purpose::STANDARD;
    let id = upload_id(params).to_owned();
    let condition = condition(req.headers())?;
    let info = check_upload(state, bucket, key, &id).await?;
    let checksum = UploadChecksum::of(&info);
    let given = complete_headers(req.headers(), checksum)?;
    let body = read_body(req, MAX_COMPLETE).await?;
    let wanted = parse_complete(&body)?;
    if wanted.windows(2).any(|w| w[0].number >= w[1].number) {
        return Err(S3Error::new(ErrorCode::InvalidPartOrder));
    }
    if checksum.is_some() && wanted.iter().zip(1..).any(|(p, i)| p.number != i) {
        return Err(S3Error::with_message(
            ErrorCode::InvalidPartOrder,
            "The list of parts was not in ascending order. Parts must be ordered by part number, starting at 1 and consecutive when the upload uses a checksum algorithm.".into(),
        ));
    }
    let stored = state.store.parts(bucket, &id).await?;
    let mut md5s = Md5::new();
    let mut composite = checksum.map(|c| Hasher::new(c.algorithm));
    let mut sizes = Vec::with_capacity(wanted.len());
    let last = wanted.len() - 1;
    for (i, listed) in wanted.iter().enumerate() {
        let Some((_, meta)) = stored.iter().find(|(m, _)| *m == listed.number) else {
            return Err(S3Error::new(ErrorCode::InvalidPart));
        };
        if meta.etag.trim_matches('"') != listed.etag {
            return Err(S3Error::new(ErrorCode::InvalidPart));
        }
        for (a, v) in &listed.checksums {
            let same = meta
                .checksum
                .as_ref()
                .is_some_and(|(n, sv)| n == a.header() && sv == v);
            if !same {
                return Err(S3Error::new(ErrorCode::InvalidPart));
            }
        }
        if let Some(c) = checksum.filter(|c| c.composite) {
            let listed_own = listed.checksums.iter().any(|(a, _)| *a == c.algorithm);
            if !listed_own {
                return Err(invalid_request(format!(
                    "The upload was created using a {} checksum. The complete request must include the checksum for each part. It was missing for part {} in the request.",
                    c.algorithm.name().to_ascii_lowercase(),
                    listed.number
                )));
            }
        }
        if i < last && meta.identity.size < MIN_PART {
            return Err(S3Error::new(ErrorCode::EntityTooSmall));
        }
        sizes.push(meta.identity.size);
        if let (Some(h), Some(c)) = (composite.as_mut(), checksum) {
            // The part's digest of the upload's algorithm, kept when it
            // was uploaded.
            let digest = meta
                .checksum
                .as_ref()
                .filter(|(n, _)| n == c.algorithm.header())
                .and_then(|(_, v)| base64.decode(v).ok())
                .filter(|d| d.len() == c.algorithm.len())
                .ok_or_else(|| S3Error::new(ErrorCode::InvalidPart))?;
            h.update(&digest);
        }
        let raw: Vec<u8> = (0..listed.etag.len() / 2)
            .filter_map(|j| u8::from_str_radix(listed.etag.get(2 * j..2 * j + 2)?, 16).ok())
            .collect();
        md5s.update(&raw);
    }
    let etag = format!("\"{}-{}\"", hex(&md5s.finalize()), wanted.len());
    let mut new = NewMeta {
        etag: etag.clone(),
        checksum: None,
        checksum_composite: false,
        headers: info.headers,
        parts: Some(Parts {
            count: wanted.len() as u32,
            sizes: Some(sizes),
        }),
    };
    let mut full = None;
    match checksum {
        Some(c) if c.composite => {
            let digest = composite.map(Hasher::finish).unwrap_or_default();
            let value = format!("{}-{}", base64.encode(digest), wanted.len());
            // The request may give it with or without the `-N`.
            if let Some(g) = &given
                && g != &value
                && Some(g.as_str()) != value.rsplit_once('-').map(|(b, _)| b)
            {
                return Err(S3Error::with_message(
                    ErrorCode::BadDigest,
                    format!(
                        "The {} you specified did not match the calculated checksum.",
                        c.algorithm.name()
                    ),
                ));
            }
            new.checksum = Some((c.algorithm.header().to_owned(), value));
            new.checksum_composite = true;
        }
        Some(c) => {
            let want = match &given {
                Some(g) => Some(c.algorithm.decode(g.as_bytes(), "header")?),
                None => None,
            };
            full = Some((c.algorithm, want));
        }
        None => {}
    }
    let parts = wanted.iter().map(|p| p.number).collect();
    let meta = state
        .store
        .complete(bucket, &id, parts, new, condition, full)
        .await?;
    let checksum_xml = match (&meta.checksum, checksum) {
        (Some((_, v)), Some(c)) => format!(
            "<{e}>{v}</{e}><ChecksumType>{t}</ChecksumType>",
            e = element(c.algorithm),
            t = c.type_name()
        ),
        _ => String::new(),
    };
    Ok(xml_response(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUploadResult xmlns=\"{NS}\"><Location>/{b}/{k}</Location><Bucket>{b}</Bucket><Key>{k}</Key><ETag>{}</ETag>{checksum_xml}</CompleteMultipartUploadResult>",
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
    let checksum = UploadChecksum::of(&check_upload(state, bucket, key, id).await?);
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
    if let Some(c) = checksum {
        x.push_str(&format!(
            "<ChecksumAlgorithm>{}</ChecksumAlgorithm><ChecksumType>{}</ChecksumType>",
            c.algorithm.name(),
            c.type_name()
        ));
    }
    for (n, meta) in page {
        let part_checksum = meta
            .checksum
            .as_ref()
            .and_then(|(h, v)| Some((Algorithm::by_header(h)?, v)))
            .map_or(String::new(), |(a, v)| {
                format!("<{e}>{v}</{e}>", e = element(a))
            });
        x.push_str(&format!(
            "<Part><PartNumber>{n}</PartNumber><LastModified>{}</LastModified><ETag>{}</ETag><Size>{}</Size>{part_checksum}</Part>",
            xml::timestamp(meta.last_modified),
            escape(&meta.etag),
            meta.identity.size
        ));
    }
    x.push_str("</ListPartsResult>");
    Ok(xml_response(x))
}

/// `max-uploads`: an integer from 0; more than 1,000 gives 1,000.
fn max_uploads(v: Option<&str>) -> Result<usize> {
    let invalid = |m: &str| S3Error::with_message(ErrorCode::InvalidArgument, m.into());
    let Some(v) = v else { return Ok(1000) };
    let n: i64 = v
        .parse()
        .map_err(|_| invalid("Provided max-uploads not an integer or within integer range"))?;
    if n < 0 || n > i64::from(i32::MAX) {
        return Err(invalid(
            "Argument max-uploads must be an integer between 0 and 2147483647",
        ));
    }
    Ok((n as usize).min(1000))
}

/// One entry of a ListMultipartUploads page.
enum Entry<'a> {
    Upload(&'a UploadInfo),
    Prefix(&'a str),
}

/// The page of `uploads` (by key, then initiation) that S3 lists: keys
/// starting with `prefix`, after `key_marker` (and, for that key itself,
/// uploads whose id sorts after `id_marker`), keys continuing with
/// `delimiter` past the prefix rolled up into one common prefix, at
/// most `max` entries; and whether more follow.
fn upload_page<'a>(
    uploads: &'a [UploadInfo],
    prefix: &str,
    delimiter: &str,
    key_marker: &str,
    id_marker: Option<&str>,
    max: usize,
) -> (Vec<Entry<'a>>, bool) {
    let mut page = Vec::new();
    let mut last_prefix: Option<&str> = None;
    for u in uploads.iter().filter(|u| u.key.starts_with(prefix)) {
        let key = u.key.as_str();
        let after =
            key > key_marker || (key == key_marker && id_marker.is_some_and(|m| u.id.as_str() > m));
        if !key_marker.is_empty() && !after {
            continue;
        }
        let rolled = match delimiter {
            "" => None,
            d => key[prefix.len()..]
                .find(d)
                .map(|i| &key[..prefix.len() + i + d.len()]),
        };
        if let Some(cp) = rolled {
            // A page that ended at this common prefix named it as its
            // next key marker.
            if last_prefix == Some(cp) || cp == key_marker {
                continue;
            }
            if page.len() >= max {
                return (page, true);
            }
            last_prefix = Some(cp);
            page.push(Entry::Prefix(cp));
            continue;
        }
        if page.len() >= max {
            return (page, true);
        }
        page.push(Entry::Upload(u));
    }
    (page, false)
}

/// ListMultipartUploads: the uploads in progress, by key and then by
/// initiation, with S3's `prefix`, `delimiter`, `key-marker`,
/// `upload-id-marker` (only with `key-marker`, as S3), `max-uploads` and
/// `encoding-type=url`.
pub async fn list_uploads(
    state: &State,
    bucket: &str,
    params: &[(String, String)],
) -> Result<Response<Body>> {
    use crate::listing::name;
    let max = max_uploads(param(params, "max-uploads"))?;
    let url = match param(params, "encoding-type") {
        None => false,
        Some(v) if v.eq_ignore_ascii_case("url") => true,
        Some(_) => {
            return Err(S3Error::with_message(
                ErrorCode::InvalidArgument,
                "Invalid Encoding Method specified in Request".into(),
            ));
        }
    };
    let prefix = param(params, "prefix").unwrap_or("");
    let delimiter = param(params, "delimiter").unwrap_or("");
    let key_marker = param(params, "key-marker").unwrap_or("");
    let id_marker = param(params, "upload-id-marker").filter(|_| !key_marker.is_empty());
    let uploads = state.store.list_uploads(bucket).await?;
    let (page, truncated) = upload_page(&uploads, prefix, delimiter, key_marker, id_marker, max);
    let mut x = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListMultipartUploadsResult xmlns=\"{NS}\"><Bucket>{}</Bucket><KeyMarker>{}</KeyMarker><UploadIdMarker>{}</UploadIdMarker>",
        escape(bucket),
        name(key_marker, url),
        escape(id_marker.unwrap_or("")),
    );
    if truncated {
        let (key, id) = match page.last() {
            Some(Entry::Upload(u)) => (u.key.as_str(), u.id.as_str()),
            Some(Entry::Prefix(p)) => (*p, ""),
            None => ("", ""),
        };
        x.push_str(&format!(
            "<NextKeyMarker>{}</NextKeyMarker><NextUploadIdMarker>{id}</NextUploadIdMarker>",
            name(key, url)
        ));
    }
    x.push_str(&format!("<Prefix>{}</Prefix>", name(prefix, url)));
    if !delimiter.is_empty() {
        x.push_str(&format!("<Delimiter>{}</Delimiter>", name(delimiter, url)));
    }
    x.push_str(&format!(
        "<MaxUploads>{max}</MaxUploads><IsTruncated>{truncated}</IsTruncated>"
    ));
    for e in &page {
        let Entry::Upload(u) = e else { continue };
        let checksum = UploadChecksum::of(u).map_or(String::new(), |c| {
            format!(
                "<ChecksumAlgorithm>{}</ChecksumAlgorithm><ChecksumType>{}</ChecksumType>",
                c.algorithm.name(),
                c.type_name()
            )
        });
        x.push_str(&format!(
            "<Upload><Key>{}</Key><UploadId>{}</UploadId><Initiator><ID>{oid}</ID><DisplayName>{oid}</DisplayName></Initiator>{}<StorageClass>STANDARD</StorageClass><Initiated>{}</Initiated>{checksum}</Upload>",
            name(&u.key, url),
            u.id,
            xml::owner(),
            xml::timestamp(u.initiated),
            oid = xml::OWNER_ID,
        ));
    }
    for e in &page {
        if let Entry::Prefix(p) = e {
            x.push_str(&format!(
                "<CommonPrefixes><Prefix>{}</Prefix></CommonPrefixes>",
                name(p, url)
            ));
        }
    }
    if url {
        x.push_str("<EncodingType>url</EncodingType>");
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

    /// S3's algorithm × type matrix (its user guide, "Checking object
    /// integrity": full object for the CRCs, composite for all but
    /// CRC64NVME; CRC64NVME defaults to full object, the others to
    /// composite).
    #[test]
    fn checksum_algorithm_and_type() {
        let c = |alg: Option<&str>, kind: Option<&str>| {
            let mut h = http::HeaderMap::new();
            if let Some(a) = alg {
                h.insert("x-amz-checksum-algorithm", a.parse().unwrap());
            }
            if let Some(k) = kind {
                h.insert("x-amz-checksum-type", k.parse().unwrap());
            }
            UploadChecksum::from_headers(&h)
                .map(|c| c.map(|c| c.encode()))
                .map_err(|e| (e.code, e.message.unwrap_or_default()))
        };
        assert_eq!(c(None, None), Ok(None));
        assert_eq!(c(Some("CRC32"), None), Ok(Some("CRC32 COMPOSITE".into())));
        assert_eq!(c(Some("crc32c"), None), Ok(Some("CRC32C COMPOSITE".into())));
        assert_eq!(c(Some("SHA1"), None), Ok(Some("SHA1 COMPOSITE".into())));
        assert_eq!(c(Some("SHA256"), None), Ok(Some("SHA256 COMPOSITE".into())));
        assert_eq!(
            c(Some("CRC64NVME"), None),
            Ok(Some("CRC64NVME FULL_OBJECT".into()))
        );
        for a in ["CRC32", "CRC32C", "CRC64NVME"] {
            let want = format!("{a} FULL_OBJECT");
            assert_eq!(c(Some(a), Some("FULL_OBJECT")), Ok(Some(want)));
        }
        for a in ["CRC32", "CRC32C", "SHA1", "SHA256"] {
            let want = format!("{a} COMPOSITE");
            assert_eq!(c(Some(a), Some("COMPOSITE")), Ok(Some(want)));
        }
        let refused = [
            (
                Some("SHA1"),
                Some("FULL_OBJECT"),
                "FULL_OBJECT checksum type cannot be used with the sha1",
            ),
            (Some("SHA256"), Some("FULL_OBJECT"), "with the sha256"),
            (
                Some("CRC64NVME"),
                Some("COMPOSITE"),
                "COMPOSITE checksum type cannot be used with the crc64nvme",
            ),
            (Some("MD5"), None, "unsupported"),
            (Some("CRC32"), Some("PARTIAL"), "x-amz-checksum-type"),
            (
                None,
                Some("COMPOSITE"),
                "only be used with the x-amz-checksum-algorithm",
            ),
        ];
        for (a, k, msg) in refused {
            let (code, m) = c(a, k).unwrap_err();
            assert_eq!(code, ErrorCode::InvalidRequest, "{a:?} {k:?}");
            assert!(m.contains(msg), "{a:?} {k:?}: {m}");
        }
        for s in [
            "CRC32 COMPOSITE",
            "CRC64NVME FULL_OBJECT",
            "SHA256 COMPOSITE",
        ] {
            assert_eq!(
                UploadChecksum::decode(s).map(UploadChecksum::encode),
                Some(s.into())
            );
        }
    }

    #[test]
    fn complete_documents() {
        let p = |s: &str| parse_complete(s.as_bytes()).map_err(|e| e.code);
        assert_eq!(
            p(
                "<CompleteMultipartUpload><Part><ETag>\"ab\"</ETag><PartNumber>2</PartNumber></Part><Part><PartNumber>3</PartNumber><ETag>cd</ETag><ChecksumCRC32>x</ChecksumCRC32></Part></CompleteMultipartUpload>"
            ),
            Ok(vec![
                Listed {
                    number: 2,
                    etag: "ab".into(),
                    checksums: vec![]
                },
                Listed {
                    number: 3,
                    etag: "cd".into(),
                    checksums: vec![(Algorithm::Crc32, "x".into())]
                }
            ])
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
