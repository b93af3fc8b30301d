//! The `http` feature: `http` crate types for std gateways.

use alloc::vec::Vec;

use crate::ErrorCode;
use crate::response::{Header, ResponseHead};
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
    /// the body (empty for 304).
    ///
    /// ```
    /// # #[cfg(feature = "s3")] {
    /// use s3err::{ErrorCode, xml::ErrorDocument};
    /// let doc = ErrorDocument::new(ErrorCode::NoSuchBucket)
    ///     .with_resource("/photos")
    ///     .with_request_id("0A49CE4060975EAC");
    /// let r = doc.to_http_response().unwrap();
    /// assert_eq!(r.status(), http::StatusCode::NOT_FOUND);
    /// assert_eq!(r.headers()["x-amz-request-id"], "0A49CE4060975EAC");
    /// assert_eq!(r.headers()["content-length"], r.body().len().to_string().as_str());
    /// assert!(doc.to_http_head_response().unwrap().body().is_empty());
    /// # }
    /// ```
    ///
    /// # Errors
    /// As [`response`](ErrorDocument::response): an invalid header value,
    /// or an invalid character under
    /// [`InvalidChars::Reject`](crate::xml::InvalidChars::Reject).
    #[cfg_attr(docsrs, doc(cfg(feature = "http")))]
    pub fn to_http_response(&self) -> Result<http::Response<Vec<u8>>, RenderError> {
        self.http_response(self.response()?)
    }

    /// As [`to_http_response`](Self::to_http_response), for a `HEAD`
    /// request: the headers of [`head_response`](ErrorDocument::head_response)
    /// and an empty body.
    ///
    /// # Errors
    /// As [`head_response`](ErrorDocument::head_response).
    #[cfg_attr(docsrs, doc(cfg(feature = "http")))]
    pub fn to_http_head_response(&self) -> Result<http::Response<Vec<u8>>, RenderError> {
        self.http_response(self.head_response()?)
    }

    fn http_response(
        &self,
        head: ResponseHead<'_>,
    ) -> Result<http::Response<Vec<u8>>, RenderError> {
        let mut body = alloc::string::String::new();
        if let Some(len) = head.content_length() {
            body.reserve_exact(len);
            self.write_to(&mut body)?;
        }
        let mut r = http::Response::new(body.into_bytes());
        // `custom` and the table keep every status in 100..=599.
        *r.status_mut() = http::StatusCode::from_u16(head.status())
            .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        let headers = r.headers_mut();
        for h in head.headers() {
            // Every text value is already checked (visible ASCII and
            // interior spaces), which `http` accepts: the errors cannot
            // happen.
            let text = |t: &str, field| {
                http::HeaderValue::from_str(t)
                    .map_err(|_| RenderError::InvalidHeaderValue { field, offset: 0 })
            };
            let (name, value) = match h {
                Header::ContentType => (
                    http::header::CONTENT_TYPE,
                    http::HeaderValue::from_static("application/xml"),
                ),
                Header::ContentLength(n) => {
                    (http::header::CONTENT_LENGTH, http::HeaderValue::from(n))
                }
                Header::RequestId(t) => (
                    const { http::HeaderName::from_static("x-amz-request-id") },
                    text(t, Field::RequestId)?,
                ),
                Header::HostId(t) => (
                    const { http::HeaderName::from_static("x-amz-id-2") },
                    text(t, Field::HostId)?,
                ),
                Header::BucketRegion(t) => (
                    const { http::HeaderName::from_static("x-amz-bucket-region") },
                    text(t, Field::BucketRegion)?,
                ),
            };
            headers.append(name, value);
        }
        Ok(r)
    }
}
