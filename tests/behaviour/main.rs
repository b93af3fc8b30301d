//! The library's behaviour, one module per concern, in one test binary.
//!
//! Each module checks the crate against a source of its own: the seed
//! table parsed here (`seed`), a hand-written id list (`ids`), AWS's
//! references (`aws`), a real XML parser and a corpus of real error
//! bodies (`render`, `parse`), hand-written fixtures and properties.
//! `support` holds what several modules share: an independent reader of
//! `data/errors.tsv` and helpers over roxmltree. `tests/linear.rs` stays a
//! binary of its own (it re-runs itself under valgrind).

mod support;

mod aws;
mod codes;
mod data;
mod ids;
mod lookup;
mod parse;
mod render;
mod response;
mod retry;
mod seed;
