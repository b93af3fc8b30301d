//! S3 error responses: render and parse the XML error body, with no
//! allocation.
//!
//! **Gateway side** — [`ErrorDocument`] renders the S3 form
//! (`<?xml …?>\n<Error>…</Error>`) or, for the `iam` group, the AWS
//! query-API form (`<ErrorResponse xmlns=…><Error><Type>…`), into any
//! [`core::fmt::Write`], a `&mut [u8]` or (feature `heapless`) a
//! `heapless::String<N>`, with the exact length known up front
//! ([`ErrorDocument::rendered_len`]) and the checked status line and
//! headers (`Content-Type`, `Content-Length`, `x-amz-request-id`,
//! `x-amz-id-2`, `x-amz-bucket-region`) from [`ErrorDocument::response`].
//! Caller text is escaped by the rule in [`escape`]; header values that
//! are not visible ASCII are refused.
//!
//! **Client side** — [`parse`] reads a body into a zero-copy
//! [`ParsedError`], refusing anything that is not a well-formed error
//! document with a [`ParseError`] (kind and byte offset).
//!
//! ```
//! # #[cfg(feature = "s3")] {
//! use s3err::{ErrorCode, xml};
//!
//! let doc = xml::ErrorDocument::new(ErrorCode::NoSuchKey)
//!     .resource("/bucket/key")
//!     .request_id("4442587FB7D0A2F9");
//! let mut buf = [0u8; 512];
//! let n = doc.write_to_slice(&mut buf).unwrap();
//!
//! let parsed = xml::parse(&buf[..n]).unwrap();
//! assert_eq!(parsed.known(), Some(ErrorCode::NoSuchKey));
//! assert!(parsed.resource().is_some_and(|r| r == "/bucket/key"));
//! # }
//! ```

pub mod escape;
mod parse;
mod render;

pub use escape::{InvalidChars, escape_into, escaped_len, is_xml_char};
pub use parse::{ErrorKind, MAX_ATTRIBUTES, MAX_DEPTH, ParseError, ParsedError, Text, parse};
pub use render::{
    CONTENT_TYPE, ErrorDocument, Field, Form, HeaderValue, Headers, IAM_NAMESPACE, RenderError,
    Response, reason_phrase, status_has_body,
};
