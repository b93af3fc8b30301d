//! The perfect hash's probe: from a name to its one candidate slot.
//!
//! Shared, through `#[path]`, by the library (`src/lookup.rs`) and
//! `build.rs`, which probes every row of the table it has just built with
//! this very code and stops the build if one is not found in its own slot.
//! The table comes from `phf_generator`'s ptrhash; the arithmetic below is
//! s3err's own statement of how that generator places keys (bucket from the
//! low half of the hash, slot from the high half mixed with the bucket's
//! pilot). If a future generator placed them differently, the build check
//! says so instead of shipping a table this probe cannot read.

use crate::fingerprint::{fingerprint, hash};

/// `x · limit / 2³²`: `x` mapped onto `0..limit` by one multiply (Lemire's
/// reduction, no division).
#[inline]
const fn reduce(x: u32, limit: u32) -> u32 {
    ((x as u64 * limit as u64) >> 32) as u32
}

/// What a bucket's pilot adds to its keys' hashes.
#[inline]
const fn pilot_hash(seed: u64, pilot: u8) -> u64 {
    (seed ^ pilot as u64).wrapping_mul(0x517c_c1b7_2722_0a95)
}

/// The only slot in `0..slots` where `name` can be, given the table's
/// `seed` and `pilots`; `None` only if `pilots` is empty (no code enabled).
#[inline]
pub(crate) fn probe(name: &[u8], seed: u64, pilots: &[u8], slots: usize) -> Option<usize> {
    let h = hash(fingerprint(name), seed);
    let bucket = reduce(h as u32, pilots.len() as u32) as usize;
    let ph = pilot_hash(seed, *pilots.get(bucket)?);
    let mixed = (h >> 32) as u32 ^ (ph >> 32) as u32 ^ ph as u32;
    Some(reduce(mixed, slots as u32) as usize)
}
