//! The fallback key for a set where two names share a fingerprint: every
//! byte of the name folded into a `u32` (FNV-1a), which then goes through
//! the same `fingerprint::hash` as a fingerprint would. Shared, through
//! `#[path]`, by `build.rs` (which builds the table over it and refuses a
//! set where two folds collide) and the generated lookups.

/// FNV-1a over every byte of `name`.
#[inline]
pub(crate) const fn fold(name: &[u8]) -> u32 {
    let mut h: u32 = 0x811C_9DC5;
    let mut i = 0;
    while i < name.len() {
        h = (h ^ name[i] as u32).wrapping_mul(0x0100_0193);
        i += 1;
    }
    h
}
