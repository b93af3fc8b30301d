//! Generated tables for the scale bench (see `build.rs`): for each size, a
//! module with the names and three lookups, each a non-inlined function
//! returning the name's index.
#![no_std]

/// s3err's fingerprint, its hash, its probe and its compare (the same files).
#[path = "../../../src/lookup/compare.rs"]
mod compare;
#[path = "../../../src/lookup/fingerprint.rs"]
mod fingerprint;
#[path = "../../../src/lookup/probe.rs"]
mod probe;

macro_rules! sets {
    ($($m:ident $n:tt $doc:literal),*) => {
        $(
            #[doc = $doc]
            pub mod $m {
                include!(concat!(env!("OUT_DIR"), "/set_", stringify!($n), ".rs"));
            }
        )*
    };
}
sets!(
    real real "The real set: the live names of data/errors.tsv.",
    s500 500 "The 500-name set.",
    s2000 2000 "The 2000-name set.",
    s10000 10000 "The 10000-name set."
);
