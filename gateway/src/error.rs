//! S3 errors, and the one place they become HTTP responses: rendered by
//! s3err with its checked headers.

use http::{HeaderName, HeaderValue, Response};
use s3err::ErrorCode;
use s3err::xml::{ErrorDocument, Form};

use crate::body::Body;

/// An S3 error to answer with.
#[derive(Debug)]
pub struct S3Error {
    /// The code (its status is the response's).
    pub code: ErrorCode,
    /// A message instead of the code's description.
    pub message: Option<String>,
    /// Headers to add (e.g. `ETag` on 304, `Content-Range` on 416).
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

impl S3Error {
    /// `code` with its description as the message.
    pub fn new(code: ErrorCode) -> Self {
        S3Error {
            code,
            message: None,
            headers: Vec::new(),
        }
    }

    /// `code` with `message`.
    pub fn with_message(code: ErrorCode, message: String) -> Self {
        S3Error {
            code,
            message: Some(message),
            headers: Vec::new(),
        }
    }

    /// Adds a header to the error response.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// An I/O error: logged, answered as `InternalError` without details.
    pub fn io(e: std::io::Error) -> Self {
        tracing::error!("I/O error: {e}");
        S3Error::new(ErrorCode::InternalError)
    }
}

/// The response for `err`: status, s3err's headers (`x-amz-request-id`,
/// `x-amz-id-2`, `Content-Type`, `Content-Length`) and body, always in the
/// S3 form (this is an S3 endpoint, whatever group the code is in);
/// headers only for `HEAD` and 304.
pub fn render(
    err: &S3Error,
    resource: &str,
    request_id: &str,
    host_id: &str,
    head: bool,
) -> Response<Body> {
    let mut doc = ErrorDocument::new(err.code)
        .with_form(Form::S3)
        .with_resource(resource)
        .with_request_id(request_id)
        .with_host_id(host_id);
    if let Some(m) = &err.message {
        doc = doc.with_message(m);
    }
    let to_http = |d: &ErrorDocument<'_>| {
        if head {
            d.to_http_head_response()
        } else {
            d.to_http_response()
        }
    };
    let r = match to_http(&doc) {
        Ok(r) => r,
        Err(e) => {
            // The ids are the gateway's own (hex), so this cannot happen;
            // answer without them rather than not at all.
            tracing::error!("cannot render {}: {e}", err.code);
            match to_http(&ErrorDocument::new(ErrorCode::InternalError).with_form(Form::S3)) {
                Ok(r) => r,
                Err(_) => {
                    let mut r = Response::new(Vec::new());
                    *r.status_mut() = http::StatusCode::INTERNAL_SERVER_ERROR;
                    r
                }
            }
        }
    };
    let (mut parts, body) = r.into_parts();
    for (n, v) in &err.headers {
        parts.headers.insert(n.clone(), v.clone());
    }
    // For the request log.
    parts.extensions.insert(err.code);
    Response::from_parts(parts, Body::bytes(body))
}

/// The code's name, for the per-key `<Error>` of a DeleteObjects result.
pub fn code_name(code: ErrorCode) -> &'static str {
    code.as_str()
}

/// The message of `err`: its own, or the code's description.
pub fn message(err: &S3Error) -> String {
    err.message
        .clone()
        .unwrap_or_else(|| err.code.description().to_owned())
}
