//! The routing in front of the operations, and the request log.

use std::sync::atomic::Ordering;
use std::time::Instant;

use http::header::{self, HeaderName, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use hyper::body::Incoming;
use s3err::ErrorCode;

use crate::State;
use crate::body::Body;
use crate::error::{self, S3Error};
use crate::layout;
use crate::objects;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-amz-request-id");
const HOST_ID: HeaderName = HeaderName::from_static("x-amz-id-2");
const BUCKET_REGION: HeaderName = HeaderName::from_static("x-amz-bucket-region");
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

/// `NotImplemented`, naming what.
pub fn not_implemented(what: &str) -> S3Error {
    S3Error::with_message(
        ErrorCode::NotImplemented,
        format!("s3err-gateway does not implement {what}."),
    )
}

/// Query parameters that carry a signature (SigV4 and SigV2 presigned
/// URLs) or the SDK's operation name; the gateway checks no signature, so
/// they are accepted and ignored.
fn ignored_parameter(name: &str) -> bool {
    name.len() > 6 && name[..6].eq_ignore_ascii_case("x-amz-")
        || matches!(name, "x-id" | "AWSAccessKeyId" | "Signature" | "Expires")
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
    if !layout::valid_bucket_name(&bucket) {
        return Err(S3Error::new(ErrorCode::InvalidBucketName));
    }
    if let Some(q) = req.uri().query()
        && let Some(p) = q.split('&').find(|p| {
            let name = p.split('=').next().unwrap_or(p);
            !p.is_empty() && !ignored_parameter(&decode(name).unwrap_or_default())
        })
    {
        let name = p.split('=').next().unwrap_or(p);
        return Err(not_implemented(&format!("the query parameter {name:?}")));
    }
    let method = req.method().clone();
    if key_raw.is_empty() {
        return match method {
            Method::HEAD => head_bucket(state, &bucket).await,
            _ => Err(not_implemented(&format!("{method} on a bucket"))),
        };
    }
    let key = decode(key_raw)?;
    // Amazon S3's code (and MinIO's), which SDK users match on, rather
    // than Zenko's `KeyTooLong`.
    if key.len() > 1024 {
        return Err(S3Error::new(ErrorCode::KeyTooLongError));
    }
    match method {
        Method::GET | Method::HEAD => {
            objects::get(state, &bucket, &key, req.headers(), method == Method::HEAD).await
        }
        Method::PUT => objects::put(state, &bucket, &key, req).await,
        Method::DELETE => objects::delete(state, &bucket, &key).await,
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

/// A response with `status` and `body`.
pub fn ok(status: StatusCode, body: Body) -> Response<Body> {
    let mut r = Response::new(body);
    *r.status_mut() = status;
    r
}

async fn head_bucket(state: &State, bucket: &str) -> Result<Response<Body>> {
    state.store.head_bucket(bucket).await?;
    let mut r = ok(StatusCode::OK, Body::empty());
    if let Ok(v) = HeaderValue::from_str(&state.region) {
        r.headers_mut().insert(BUCKET_REGION, v);
    }
    Ok(r)
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
