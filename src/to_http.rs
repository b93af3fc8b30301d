//! The `http` feature: `http` crate types for std gateways.

use alloc::vec::Vec;

use crate::ErrorCode;
use crate::xml::{ErrorDocument, Field, RenderError};

#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
impl From<ErrorCode> for http::StatusCode {
    /// The code's status. Every status in the table is in 100..=599
    /// (`build.rs` refuses any other), so the conversion cannot fail.
    fn from(code: ErrorCode) -> Self {
        http::StatusCode::from_u16(code.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl ErrorDocument<'_> {
    /// The whole error response as an `http::Response`: the status, every
    /// header of [`response`](ErrorDocument::response) in its order, and
    /// the body (empty for `HEAD` and 304).
    ///
    /// ```
    /// # #[cfg(feature = "s3")] {
    /// use s3err::{ErrorCode, xml::ErrorDocument};
    /// let doc = ErrorDocument::new(ErrorCode::NoSuchBucket)
    ///     .resource("/photos")
    ///     .request_id("0A49CE4060975EAC");
    /// let r = doc.to_http_response(false).unwrap();
    /// assert_eq!(r.status(), http::StatusCode::NOT_FOUND);
    /// assert_eq!(r.headers()["x-amz-request-id"], "0A49CE4060975EAC");
    /// assert_eq!(r.headers()["content-length"], r.body().len().to_string().as_str());
    /// assert!(doc.to_http_response(true).unwrap().body().is_empty());
    /// # }
    /// ```
    ///
    /// # Errors
    /// As [`response`](ErrorDocument::response): an invalid header value,
    /// or an invalid character under
    /// [`InvalidChars::Reject`](crate::xml::InvalidChars::Reject).
    #[cfg_attr(docsrs, doc(cfg(feature = "http")))]
    pub fn to_http_response(&self, head: bool) -> Result<http::Response<Vec<u8>>, RenderError> {
        let meta = self.response(head)?;
        let mut body = alloc::string::String::new();
        if let Some(len) = meta.content_length() {
            body.reserve_exact(len);
            self.write(&mut body)?;
        }
        let body = body.into_bytes();
        let mut r = http::Response::new(body);
        *r.status_mut() = http::StatusCode::from(self.code());
        let headers = r.headers_mut();
        for (name, value) in meta.headers() {
            let field = match name {
                "x-amz-id-2" => Field::HostId,
                "x-amz-bucket-region" => Field::BucketRegion,
                _ => Field::RequestId,
            };
            // The value is already checked (visible ASCII and interior
            // spaces), which `http` accepts; the error cannot happen.
            let v = match (value.as_str(), value.as_number()) {
                (Some(t), _) => http::HeaderValue::from_str(t)
                    .map_err(|_| RenderError::InvalidHeaderValue { field, offset: 0 })?,
                (None, Some(n)) => http::HeaderValue::from(n),
                (None, None) => continue,
            };
            headers.append(header_name(name), v);
        }
        Ok(r)
    }
}

/// The `http` name of one of [`crate::xml::Response::headers`]' names.
fn header_name(name: &str) -> http::HeaderName {
    match name {
        "Content-Type" => http::header::CONTENT_TYPE,
        "Content-Length" => http::header::CONTENT_LENGTH,
        "x-amz-request-id" => const { http::HeaderName::from_static("x-amz-request-id") },
        "x-amz-id-2" => const { http::HeaderName::from_static("x-amz-id-2") },
        _ => const { http::HeaderName::from_static("x-amz-bucket-region") },
    }
}
