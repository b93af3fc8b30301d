//! The routing in front of the operations, and the request log.

use std::sync::atomic::Ordering;
use std::time::Instant;

use http::header::{self, HeaderName, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use hyper::body::Incoming;
use s3err::ErrorCode;

use crate::State;
use crate::body::Body;
use crate::buckets;
use crate::delete_objects;
use crate::error::{self, S3Error};
use crate::layout;
use crate::listing;
use crate::multipart;
use crate::objects;
use crate::ops;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-amz-request-id");
const HOST_ID: HeaderName = HeaderName::from_static("x-amz-id-2");
const HOST_ID_VALUE: &str = "s3err-gateway";

/// The largest request head (request line and header block) served.
pub const MAX_HEAD: usize = 64 * 1024;

pub type Result<T> = std::result::Result<T, S3Error>;

/// The size of the request line and header block as sent (CRLFs included).
fn head_size(req: &Request<Incoming>) -> usize {
    let line = req.method().as_str().len() + req.uri().to_string().len() + 12;
    let headers: usize = req
        .headers()
        .iter()
        .map(|(n, v)| n.as_str().len() + v.len() + 4)
        .sum();
    line + headers + 2
}

/// Answers one request; never fails (errors become S3 error responses),
/// and logs one line for it.
pub async fn handle(state: &State, req: Request<Incoming>) -> Response<Body> {
    let start = Instant::now();
    let head = req.method() == Method::HEAD;
    if state.test_routes && req.uri().path() == "/_s3err/requests" {
        let n = state.requests.load(Ordering::Relaxed);
        let m = state.chunked_puts.load(Ordering::Relaxed);
        return Response::new(Body::bytes(format!("{n} {m}")));
    }
    state.requests.fetch_add(1, Ordering::Relaxed);
    let request_id = state.next_request_id();
    let method = req.method().clone();
    let resource = req.uri().path().to_owned();
    let bytes_in = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    let mut resp = if head_size(&req) > MAX_HEAD {
        // As hyper answers a head it could not buffer: the limit holds
        // however the bytes arrived.
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE;
        r.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        r
    } else {
        match route(state, req).await {
            Ok(r) => r,
            Err(e) => error::render(&e, &resource, &request_id, HOST_ID_VALUE, head),
        }
    };
    let h = resp.headers_mut();
    if !h.contains_key(&REQUEST_ID) {
        if let Ok(v) = HeaderValue::from_str(&request_id) {
            h.insert(REQUEST_ID, v);
        }
        h.insert(HOST_ID, HeaderValue::from_static(HOST_ID_VALUE));
    }
    let bytes_out = resp
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("0");
    let code = resp
        .extensions()
        .get::<ErrorCode>()
        .map_or("-", |c| c.as_str());
    tracing::info!(
        target: "s3err_gateway::request",
        "{method} {resource} {status} {code} in={bytes_in} out={bytes_out} {ms:.1}ms id={request_id}",
        status = resp.status().as_u16(),
        ms = start.elapsed().as_secs_f64() * 1000.0,
    );
    resp
}

/// `NotImplemented` for the S3 operation `op`.
pub fn not_implemented(op: &str) -> S3Error {
    S3Error::with_message(
        ErrorCode::NotImplemented,
        format!("{op} is not implemented by s3err-gateway."),
    )
}

/// `NotImplemented` for an operation given a query parameter it does not
/// support here.
fn parameter_not_implemented(op: &str, name: &str) -> S3Error {
    S3Error::with_message(
        ErrorCode::NotImplemented,
        format!("{op} with the query parameter {name} is not implemented by s3err-gateway."),
    )
}

/// Query parameters that carry a signature (SigV4 and SigV2 presigned
/// URLs) or the SDK's operation name; the gateway checks no signature, so
/// they are accepted and ignored.
fn ignored_parameter(name: &str) -> bool {
    name.len() > 6 && name[..6].eq_ignore_ascii_case("x-amz-")
        || matches!(name, "x-id" | "AWSAccessKeyId" | "Signature" | "Expires")
}

/// The query's parameters, percent-decoded (`+` is a space, as S3 reads
/// it), without the ignored ones.
fn parameters(query: Option<&str>) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for p in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (n, v) = p.split_once('=').unwrap_or((p, ""));
        let n = decode_query(n)?;
        if !ignored_parameter(&n) {
            out.push((n, decode_query(v)?));
        }
    }
    Ok(out)
}

fn decode_query(s: &str) -> Result<String> {
    decode(&s.replace('+', " "))
}

/// The parameters each implemented operation reads; any other (not a
/// signature's) is refused naming it.
fn known_parameters(op: &str) -> &'static [&'static str] {
    match op {
        "ListObjectsV2" => &[
            "list-type",
            "prefix",
            "delimiter",
            "max-keys",
            "continuation-token",
            "start-after",
            "encoding-type",
            "fetch-owner",
        ],
        "ListObjects" => &["prefix", "delimiter", "max-keys", "marker", "encoding-type"],
        "GetObject" | "HeadObject" => &objects::GET_PARAMS,
        _ => &[],
    }
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
    let params = parameters(req.uri().query())?;
    let op = match ops::operation(
        req.method(),
        !bucket_raw.is_empty(),
        !key_raw.is_empty(),
        &params,
        req.headers(),
    ) {
        ops::Operation::Named(op) => op,
        ops::Operation::Unknown(what) => {
            return Err(S3Error::with_message(
                ErrorCode::NotImplemented,
                format!("{what} is not an S3 operation s3err-gateway implements."),
            ));
        }
    };
    if !params.iter().any(|(n, _)| ops::is_sub_resource(n))
        && let Some((name, _)) = params
            .iter()
            .find(|(n, _)| !known_parameters(op).contains(&n.as_str()))
    {
        return Err(parameter_not_implemented(op, name));
    }
    let bucket = decode(bucket_raw)?;
    let valid = if op == "CreateBucket" {
        layout::creatable_bucket_name(&bucket)
    } else {
        layout::valid_bucket_name(&bucket)
    };
    if !bucket.is_empty() && !valid {
        return Err(S3Error::new(ErrorCode::InvalidBucketName));
    }
    let key = decode(key_raw)?;
    // Amazon S3's code (and MinIO's), which SDK users match on, rather
    // than Zenko's `KeyTooLong`.
    if key.len() > 1024 {
        return Err(S3Error::new(ErrorCode::KeyTooLongError));
    }
    if let Some(r) = buckets::probe(state, &bucket, op).await {
        return r;
    }
    match op {
        "ListBuckets" => buckets::list(state).await,
        "CreateBucket" => buckets::create(state, &bucket, req).await,
        "DeleteBucket" => buckets::delete(state, &bucket).await,
        "HeadBucket" => buckets::head(state, &bucket).await,
        "GetBucketLocation" => buckets::location(state, &bucket).await,
        "CreateMultipartUpload" => multipart::create(state, &bucket, &key, &req).await,
        "UploadPartCopy" => {
            multipart::upload_part_copy(state, &bucket, &key, &params, req.headers()).await
        }
        "UploadPart" => multipart::upload_part(state, &bucket, &key, &params, req).await,
        "CompleteMultipartUpload" => multipart::complete(state, &bucket, &key, &params, req).await,
        "AbortMultipartUpload" => multipart::abort(state, &bucket, &key, &params).await,
        "ListParts" => multipart::list_parts(state, &bucket, &key, &params).await,
        "ListMultipartUploads" => multipart::list_uploads(state, &bucket, &params).await,
        "DeleteObjects" => delete_objects::delete_objects(state, &bucket, req).await,
        "ListObjects" => listing::list(state, &bucket, &params, listing::Version::V1).await,
        "ListObjectsV2" => listing::list(state, &bucket, &params, listing::Version::V2).await,
        "GetObjectAcl" => match state.store.open(&bucket, &key).await? {
            Some(_) => Ok(buckets::owner_acl()),
            None => Err(S3Error::new(ErrorCode::NoSuchKey)),
        },
        "GetObject" | "HeadObject" => {
            let head = op == "HeadObject";
            objects::get(state, &bucket, &key, req.headers(), &params, head).await
        }
        "PutObject" => objects::put(state, &bucket, &key, req).await,
        "CopyObject" => objects::copy(state, &bucket, &key, req.headers()).await,
        "DeleteObject" => objects::delete(state, &bucket, &key).await,
        _ => Err(not_implemented(op)),
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

/// A response with `status` and `body`.
pub fn ok(status: StatusCode, body: Body) -> Response<Body> {
    let mut r = Response::new(body);
    *r.status_mut() = status;
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presigned_parameters_are_ignored() {
        for p in [
            "X-Amz-Algorithm",
            "X-Amz-Credential",
            "X-Amz-Signature",
            "x-amz-expires",
            "AWSAccessKeyId",
            "Signature",
            "Expires",
            "x-id",
        ] {
            assert!(ignored_parameter(p), "{p}");
        }
        for p in ["acl", "uploads", "x-amz", "list-type", "X-Amz-"] {
            assert!(!ignored_parameter(p), "{p}");
        }
    }
}
