//! Inputs shared by s3err's benches (`benches/lookup.rs`, `benches/xml.rs`).
//!
//! A bench-only package: nothing a user of s3err builds compiles it.

include!(concat!(env!("OUT_DIR"), "/names.rs"));
