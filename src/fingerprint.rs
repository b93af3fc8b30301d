//! The one `u32` that stands for a name when it is hashed.
//!
//! Shared, through `#[path]`, by `build.rs` (which builds the perfect hash
//! over the names' fingerprints and refuses a table where two collide) and
//! the library (which fingerprints the input before the `phf` probe).
//! phf hashes with SipHash-1-3, whose cost is one compression round per
//! 8 input bytes plus the rounds that finish it. Four bytes fit in the
//! final block, so feeding the fingerprint instead of the name costs one
//! round whatever the name's length.

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
    let (first, last) = match (name.first_chunk::<8>(), name.last_chunk::<8>()) {
        (Some(f), Some(l)) => (u64::from_le_bytes(*f), u64::from_le_bytes(*l)),
        _ => {
            let mut x = 0u64;
            let mut i = 0;
            while i < name.len() && i < 8 {
                x |= (name[i] as u64) << (8 * i);
                i += 1;
            }
            (x, x)
        }
    };
    // The multiply spreads every input bit into the high half, so names
    // that differ only by swapped halves or by length still differ there.
    let x = first ^ last.rotate_left(29) ^ name.len() as u64;
    let x = x.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (x >> 32) as u32
}
