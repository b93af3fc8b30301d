//! The one `u32` that stands for a name when it is hashed, and the hash.
//!
//! Shared, through `#[path]`, by `build.rs` (which builds phf's ptrhash
//! table over the names' fingerprints with [`hash`] and refuses a table
//! where two fingerprints collide) and the library (which computes the
//! same two values for its input before the one probe).
//!
//! Why not SipHash, phf's own hash: with a perfect hash every input lands
//! in exactly one slot and is compared once, so there are no chains for a
//! hostile input to lengthen and a keyed hash protects nothing. Measured
//! in one run (`scripts/icount.sh`, Cortex-M3), a hit took 267.7
//! instructions with phf's SipHash-1-3 over the fingerprint and 130.7 with
//! [`hash`]; the code is 460 bytes smaller on thumbv7em.

/// Length, first 8 and last 8 bytes of `name`, folded into one `u32`.
///
/// Names shorter than 8 bytes are zero-padded. Names longer than 16 bytes
/// have bytes it does not read, so two such names of equal length that
/// differ only there share a fingerprint: build.rs refuses such a table
/// (none of the 117 do; `benches/scale` meets 9 such pairs among 10,000
/// synthetic names). Reading the middle 8 bytes too would remove most of
/// those and cost 24 more instructions per lookup on a Cortex-M3. For any other
/// input a shared fingerprint only means the final comparison says no.
#[inline]
pub(crate) const fn fingerprint(name: &[u8]) -> u32 {
    // Slice patterns: a plain length test, which the caller's length
    // guard lets the compiler drop (`first_chunk` kept a pointer test).
    let first = match *name {
        [a, b, c, d, e, f, g, h, ..] => u64::from_le_bytes([a, b, c, d, e, f, g, h]),
        _ => {
            let mut x = 0u64;
            let mut i = 0;
            while i < name.len() && i < 8 {
                x |= (name[i] as u64) << (8 * i);
                i += 1;
            }
            x
        }
    };
    let last = match *name {
        [.., a, b, c, d, e, f, g, h] => u64::from_le_bytes([a, b, c, d, e, f, g, h]),
        _ => first,
    };
    // The multiply spreads every input bit into the high half, so names
    // that differ only by swapped halves or by length still differ there.
    let x = first ^ last.rotate_left(29) ^ name.len() as u64;
    let x = x.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (x >> 32) as u32
}

/// The 64-bit hash the perfect hash is built on: the fingerprint mixed
/// with the table's seed by one multiply (the generator tries seeds until
/// the table solves; the low half picks the bucket, the high half the
/// slot, so the shift folds high bits into the low half).
#[inline]
pub(crate) const fn hash(fingerprint: u32, seed: u64) -> u64 {
    let x = (fingerprint as u64 ^ seed).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^ (x >> 29)
}
