//! The final comparison of a lookup: the input against the one stored
//! name its slot holds.
//!
//! Shared, through `#[path]`, by the library (`src/lookup.rs`) and
//! `benches/scale`, so that the scale bench times the same compare. Its
//! tests are in `src/lookup.rs`.

/// `stored == name`, a machine word at a time, the last word overlapping
/// the one before it so that no byte-by-byte tail is left: with no branch
/// per word (xor, or) on bare metal, with an early exit on other hosts;
/// on x86-64 and AArch64 hosts, names up to 32 bytes as two overlapping
/// blocks ([`same_blocks`]). Faster than `==` on slices for names this
/// short: that calls `memcmp`, which `compiler-builtins` implements a byte
/// at a time on bare metal, and which costs a call on hosts.
#[inline(always)]
pub(crate) fn same(stored: &[u8], name: &[u8]) -> bool {
    const W: usize = size_of::<usize>();
    if stored.len() != name.len() {
        return false;
    }
    // The callers refuse input shorter than MIN_NAME_LEN first, so for
    // tables whose names all have a word or more this compiles away.
    if name.len() < W {
        return stored == name;
    }
    let blocks = cfg!(all(
        any(target_arch = "x86_64", target_arch = "aarch64"),
        not(target_os = "none")
    ));
    if blocks && name.len() <= 32 {
        return same_blocks(stored, name);
    }
    let word = |s: Option<&[u8; W]>| s.map_or(0, |w| usize::from_ne_bytes(*w));
    let mut diff = last_word(stored) ^ last_word(name);
    let words = stored.chunks_exact(W).zip(name.chunks_exact(W));
    if cfg!(target_os = "none") {
        // In-order cores: no branch per word.
        for (x, y) in words {
            diff |= word(x.first_chunk()) ^ word(y.first_chunk());
        }
    } else {
        // Out-of-order cores predict the branch: a near miss stops at the
        // first word that differs.
        for (x, y) in words {
            if word(x.first_chunk()) != word(y.first_chunk()) {
                return false;
            }
        }
    }
    diff == 0
}

/// The last machine word of `s` (0 if `s` is shorter). A slice pattern,
/// not `last_chunk`: that returns a reference whose null check LLVM keeps.
#[inline(always)]
fn last_word(s: &[u8]) -> usize {
    #[cfg(target_pointer_width = "64")]
    let w = match *s {
        [.., a, b, c, d, e, f, g, h] => u64::from_ne_bytes([a, b, c, d, e, f, g, h]) as usize,
        _ => 0,
    };
    #[cfg(not(target_pointer_width = "64"))]
    let w = match *s {
        [.., a, b, c, d] => u32::from_ne_bytes([a, b, c, d]) as usize,
        _ => 0,
    };
    w
}

/// [`same`] for names of 8 to 32 bytes on hosts with fast unaligned
/// 8- and 16-byte loads (x86-64's SSE2, AArch64's NEON): the first and
/// the last 8 bytes of a name up to 16 long, else its first and last 16.
/// No loop, so a hit pays no mispredicted loop exit (on x86-64, hits went
/// from 3.6 to 3.1 ns; docs/performance.md).
#[inline(always)]
fn same_blocks(stored: &[u8], name: &[u8]) -> bool {
    let n = name.len();
    let pair = |at: usize| block::<16>(stored, at) ^ block::<16>(name, at);
    if n <= 16 {
        let tail = n.saturating_sub(8);
        let diff = (block::<8>(stored, 0) ^ block::<8>(name, 0))
            | (block::<8>(stored, tail) ^ block::<8>(name, tail));
        return diff == 0;
    }
    let diff = pair(0) | pair(n - 16);
    diff == 0
}

/// The `N` bytes of `s` from `at` (N at most 16), as the low bytes of a
/// `u128`; 0 if `s` is shorter.
#[inline(always)]
fn block<const N: usize>(s: &[u8], at: usize) -> u128 {
    let mut b = [0u8; 16];
    if let (Some(from), Some(to)) = (
        s.get(at..).and_then(<[u8]>::first_chunk::<N>),
        b.first_chunk_mut::<N>(),
    ) {
        *to = *from;
    }
    u128::from_le_bytes(b)
}
