//! S3 error responses: render and parse the XML error body, with no
//! allocation.
//!
//! **Gateway side** — [`ErrorDocument`] renders the S3 form
//! (`<?xml …?>\n<Error>…</Error>`) or, for the `iam` group, the AWS
//! Query protocol form (`<ErrorResponse xmlns=…><Error><Type>…`), into any
//! [`core::fmt::Write`], a `&mut [u8]` or (feature `heapless-v0.9`) a
//! `heapless::String<N>`, with the exact length known up front
//! ([`ErrorDocument::rendered_len`]), and gives the checked status line and
//! headers as a [`ResponseHead`](crate::response::ResponseHead)
//! ([`ErrorDocument::response`], [`ErrorDocument::head_response`]).
//! Codes outside the table are rendered too ([`ErrorDocument::custom`]).
//! Caller text is escaped by the rule in [`escape`]; header values that
//! are not visible ASCII are refused.
//!
//! **Client side** — [`parse`] reads a body into a zero-copy
//! [`ErrorBody`], refusing anything that is not a well-formed error
//! document with a [`ParseError`] (kind and byte offset).
//!
//! ```
//! # #[cfg(feature = "s3")] {
//! use s3err::{ErrorCode, xml};
//!
//! let doc = xml::ErrorDocument::new(ErrorCode::NoSuchKey)
//!     .with_resource("/bucket/key")
//!     .with_request_id("4442587FB7D0A2F9");
//! let mut buf = [0u8; 512];
//! let n = doc.write_to_slice(&mut buf).unwrap();
//!
//! let body = xml::parse(&buf[..n]).unwrap();
//! assert_eq!(body.known(), Some(ErrorCode::NoSuchKey));
//! assert!(body.resource().is_some_and(|r| r == "/bucket/key"));
//! # }
//! ```

pub mod escape;
mod parse;
mod render;

pub use escape::{InvalidChars, escape_into, escaped_len, is_xml_char};
pub use parse::{ErrorBody, MAX_ATTRIBUTES, MAX_DEPTH, ParseError, ParseErrorKind, Text, parse};
pub use render::{ErrorDocument, Field, Form, IAM_NAMESPACE, MAX_CUSTOM_CODE_LEN, RenderError};
