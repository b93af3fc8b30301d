//! Generated tables for the scale bench (see `build.rs`): for each size, a
//! module with the names and three lookups, each a non-inlined function
//! returning the name's index.
#![no_std]

use core::hash::Hasher;

use phf::PhfHash;

#[path = "../../../src/fingerprint.rs"]
mod fingerprint;
use fingerprint::fingerprint;

/// A name being looked up, as s3err's `Key`: hashed by its fingerprint
/// (or, for a set where two names share one, by every byte), compared in
/// full.
#[derive(PartialEq, Eq)]
pub(crate) struct Key<'a, const WHOLE: bool>(&'a [u8]);

impl<const WHOLE: bool> PhfHash for Key<'_, WHOLE> {
    #[inline]
    fn phf_hash<H: Hasher>(&self, state: &mut H) {
        if WHOLE {
            state.write(self.0);
        } else {
            state.write_u32(fingerprint(self.0));
        }
    }
}

/// `a == b` four bytes at a time, as s3err's final comparison.
#[inline]
fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (wa, wb) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail = wa.remainder() == wb.remainder();
    tail && wa.zip(wb).all(|(x, y)| {
        let word = |c: &[u8]| c.first_chunk::<4>().map_or(0, |w| u32::from_ne_bytes(*w));
        word(x) == word(y)
    })
}

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
