//! The perfect hash's probe: from a name to its one candidate slot.
//!
//! Shared, through `#[path]`, by the library (`src/lookup/`) and
//! `build.rs`, which probes every row of the table it has just built with
//! this very code and stops the build if one is not found in its own slot.
//! The table comes from `phf_generator`'s ptrhash: the bucket from the low
//! half of the hash, the slot from the high half mixed with the bucket's
//! pilot. build.rs stores each bucket's pilot already hashed (`pilots`
//! here), so a probe is two multiplies and one load before the slot. If a
//! future generator placed keys differently, the build check says so
//! instead of shipping a table this probe cannot read.

use super::fingerprint::{Key, fingerprint, hash};

/// `x · limit / 2³²`: `x` mapped onto `0..limit` by one multiply (Lemire's
/// reduction, no division).
#[inline(always)]
pub(crate) const fn reduce(x: u32, limit: u32) -> u32 {
    ((x as u64 * limit as u64) >> 32) as u32
}

/// The only slot in `0..slots` where `name` can be, given the table's key,
/// seed and hashed pilots; `None` only if `pilots` is empty (no code).
#[inline(always)]
pub(crate) fn probe(
    name: &[u8],
    key: Key,
    seed: u64,
    pilots: &[u32],
    slots: usize,
) -> Option<usize> {
    let h = hash(fingerprint(name, key), seed);
    let bucket = reduce(h as u32, pilots.len() as u32) as usize;
    let pilot = *pilots.get(bucket)?;
    Some(reduce((h >> 32) as u32 ^ pilot, slots as u32) as usize)
}
