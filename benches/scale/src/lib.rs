//! Generated tables for the scale bench (see `build.rs`): for each size, a
//! module with the names and three lookups, each a non-inlined function
//! returning the name's index.
#![no_std]

/// s3err's fingerprint and its one-multiply hash (the same file).
#[path = "../../../src/fingerprint.rs"]
mod fingerprint;
mod whole;

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
