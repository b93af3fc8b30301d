//! The one `u32` that stands for a name when it is hashed, and the hash.
//!
//! Shared, through `#[path]`, by `build.rs` (which chooses the [`Key`] for
//! the table it builds and builds phf's ptrhash table over the names'
//! fingerprints with [`hash`]), the library (which computes the same two
//! values for its input before the one probe) and `benches/scale`.
//!
//! Why not SipHash, phf's own hash: with a perfect hash every input lands
//! in exactly one slot and is compared once, so there are no chains for a
//! hostile input to lengthen and a keyed hash protects nothing here.

/// Which bytes of a name its fingerprint reads. `build.rs` chooses it for
/// the names it is given: the first three words under which no two names
/// share a fingerprint, else every byte.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Key {
    /// The length, the 4-byte words that start `head` and `mid` bytes into
    /// the name and the one that ends `tail` bytes before its end (gperf's
    /// key positions, as words). Needs `head + 4`, `mid + 4` and `tail` at
    /// most the shortest name's length, and `tail >= 4`. With `head` 0 and
    /// `tail` 4, an input that differs from a name in its first or last
    /// word (a case-flipped first or last letter) gets another fingerprint,
    /// so another slot, and is refused without a full compare. Only a
    /// generated `KEY` constructs it (not the empty table's, with every
    /// group off).
    #[allow(dead_code)]
    Words {
        head: usize,
        mid: usize,
        tail: usize,
    },
    /// The length and every byte, folded a word at a time from `salt` (the
    /// fallback when no pair of words tells the names apart; the salt is
    /// chosen so that no two fold alike). Only a generated `KEY` constructs
    /// it.
    #[allow(dead_code)]
    Whole { salt: u32 },
}

/// The little-endian word at `name[i..i + 4]`, or 0 past the end. LLVM
/// makes one load of it where unaligned loads are allowed (Cortex-M3/M4,
/// x86-64) and four byte loads elsewhere.
#[inline(always)]
const fn word(name: &[u8], i: usize) -> u32 {
    match name.split_at_checked(i) {
        Some((_, [a, b, c, d, ..])) => u32::from_le_bytes([*a, *b, *c, *d]),
        _ => 0,
    }
}

/// `name`'s fingerprint under `key`.
///
/// For [`Key::Words`] it reads three words (at `head`, at `mid` and
/// `tail` bytes before the end), whatever the length, and the length; names
/// that differ only in bytes it does not read share a fingerprint, which
/// build.rs refuses for the table's names (and then chooses another key).
/// For any other input a shared fingerprint only means that the final
/// comparison says no.
#[inline(always)]
pub(crate) const fn fingerprint(name: &[u8], key: Key) -> u32 {
    match key {
        Key::Words { head, mid, tail } => {
            let a = word(name, head);
            let b = word(name, mid);
            let c = word(name, name.len().wrapping_sub(tail));
            a ^ b.rotate_left(8) ^ c.rotate_left(16) ^ name.len() as u32
        }
        Key::Whole { salt } => {
            // Every 4-byte word (the last one overlapping), each mixed in
            // by one multiply; shorter names byte by byte.
            let mut h = salt ^ name.len() as u32;
            let mut i = 0;
            if name.len() < 4 {
                while i < name.len() {
                    // Cannot fire: `i < name.len()` is the loop's condition.
                    #[allow(clippy::indexing_slicing)]
                    let b = name[i];
                    h = (h ^ b as u32).wrapping_mul(0x9E37_79B1);
                    i += 1;
                }
            } else {
                while i + 4 < name.len() {
                    h = (h ^ word(name, i)).wrapping_mul(0x9E37_79B1);
                    i += 4;
                }
                h = (h ^ word(name, name.len().wrapping_sub(4))).wrapping_mul(0x9E37_79B1);
            }
            h ^ h >> 16
        }
    }
}

/// The 64-bit hash the perfect hash is built on: the fingerprint times an
/// odd multiplier taken from the table's seed, one 32×32→64 multiply (the
/// generator tries seeds until the table solves). ptrhash takes the bucket
/// from the low half and the slot from the high half; the high half also
/// gets the low half's lower bits, rotated up, so that fingerprints close in
/// value (which share their product's top bits) still get spread slots.
#[inline(always)]
pub(crate) const fn hash(fingerprint: u32, seed: u64) -> u64 {
    let p = fingerprint as u64 * (seed as u32 | 1) as u64;
    let (lo, hi) = (p as u32, (p >> 32) as u32);
    ((hi ^ lo.rotate_left(16)) as u64) << 32 | lo as u64
}
