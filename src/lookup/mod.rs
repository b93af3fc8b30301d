//! The lookup engine: a name to its code in one hash, one probe and one
//! comparison.
//!
//! - [`fingerprint`]: the one `u32` that stands for a name, and its hash;
//! - [`probe`]: from that hash to the one slot of phf's ptrhash table;
//! - [`compare`]: the input against the one name that slot holds;
//! - `find`: the three put together, and `ErrorCode::from_name`,
//!   `from_bytes` and `with_status`.
//!
//! **Shared files.** `fingerprint.rs`, `probe.rs` and `compare.rs` are also
//! compiled outside the library, through `#[path]`: by `build.rs` (which
//! builds the table and probes every name with this very code), by
//! `tests/behaviour/data.rs` and by `benches/scale`. There they are
//! top-level modules; here they are `crate::lookup::*`. So they depend on
//! `core` only and name each other as siblings (`super::fingerprint`),
//! never through `crate::`, and hold no `#[cfg(test)]` code: their tests
//! are in `find.rs`.

pub(crate) mod compare;
mod find;
pub(crate) mod fingerprint;
pub(crate) mod probe;

pub use find::WithStatus;
