//! Parsing an S3 error document: a zero-copy, non-recursive, validating
//! pull reader with a fixed depth bound.
//!
//! One file per concern, each below the one before it: `scan` (the
//! byte-scanning helpers), `error` (why a body was refused), `text` (the
//! decoded view of an element), `reader` (the validating reader and the
//! walk to the error element), `body` (the public result).
#![deny(clippy::too_many_lines)]

mod body;
mod error;
mod reader;
mod scan;
mod text;

pub use body::{ErrorBody, parse};
pub use error::{ParseError, ParseErrorKind};
pub use reader::{MAX_ATTRIBUTES, MAX_DEPTH};
pub use text::Text;
