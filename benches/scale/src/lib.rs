//! Generated tables for the scale bench (see `build.rs`): for each size, a
//! module with the names and three lookups, each a non-inlined function
//! returning the name's index.
#![no_std]

/// s3err's fingerprint, its hash, its probe and its compare (the same files).
#[path = "../../../src/compare.rs"]
mod compare;
#[path = "../../../src/fingerprint.rs"]
mod fingerprint;
#[path = "../../../src/probe.rs"]
mod probe;

macro_rules! sets {
    ($($m:ident $n:literal),*) => {
        $(
            #[doc = concat!("The ", stringify!($n), "-name set.")]
            pub mod $m {
                include!(concat!(env!("OUT_DIR"), "/set_", stringify!($n), ".rs"));
            }
        )*
    };
}
sets!(s117 117, s500 500, s2000 2000, s10000 10000);
