//! The final comparison of a lookup: the input against the one stored
//! name its slot holds.
//!
//! Shared, through `#[path]`, by the library and `benches/scale`, so
//! that the scale bench times the same compare (the rule: `src/lookup/mod.rs`).
//! Its tests are in `find.rs`.

/// `stored == name`, for the short names of an error table. Faster than
/// `==` on slices: that calls `memcmp`, which `compiler-builtins`
/// implements a byte at a time on bare metal, and which costs a call on
/// hosts. Each target gets the form that suits its loads and its branch
/// predictor:
/// - x86-64 and AArch64 hosts, names of 8 to 32 bytes: two overlapping
///   blocks ([`same_blocks`]);
/// - RISC-V (no misaligned loads): four bytes at a time, compared as
///   loaded ([`same_bytewise`]);
/// - otherwise a machine word at a time ([`same_words`]): branch-free on
///   bare metal, with an early exit on hosts.
#[inline(always)]
pub(crate) fn same(stored: &[u8], name: &[u8]) -> bool {
    if stored.len() != name.len() {
        return false;
    }
    // The callers refuse input shorter than MIN_NAME_LEN first, so for
    // tables whose names all have a word or more this compiles away.
    if name.len() < size_of::<usize>() {
        return stored == name;
    }
    let blocks = cfg!(all(
        any(target_arch = "x86_64", target_arch = "aarch64"),
        not(target_os = "none")
    ));
    if blocks && name.len() <= 32 {
        same_blocks(stored, name)
    } else if cfg!(any(target_arch = "riscv32", target_arch = "riscv64")) {
        same_bytewise(stored, name)
    } else {
        same_words(stored, name, !cfg!(target_os = "none"))
    }
}

/// [`same`] a machine word at a time, the last word overlapping the one
/// before it so that no byte-by-byte tail is left. With `early_exit` (for
/// out-of-order cores, whose predictors make the branch free on a hit) a
/// near miss stops at the first word that differs; without it (in-order
/// cores) there is no branch per word (xor, or). Needs equal lengths of
/// at least a word.
#[inline(always)]
pub(crate) fn same_words(stored: &[u8], name: &[u8], early_exit: bool) -> bool {
    const W: usize = size_of::<usize>();
    let mut diff = last_word(stored) ^ last_word(name);
    // `as_chunks` with a constant width, not `chunks_exact(W).zip(…)`,
    // whose `Zip::new` divides by the run-time chunk size and, when not
    // inlined, keeps a division-by-zero panic.
    let words = stored
        .as_chunks::<W>()
        .0
        .iter()
        .zip(name.as_chunks::<W>().0);
    if early_exit {
        for (x, y) in words {
            if usize::from_ne_bytes(*x) != usize::from_ne_bytes(*y) {
                return false;
            }
        }
    } else {
        for (x, y) in words {
            diff |= usize::from_ne_bytes(*x) ^ usize::from_ne_bytes(*y);
        }
    }
    diff == 0
}

/// [`same`] for RISC-V, which has no misaligned loads: a word read from
/// an arbitrary offset is four byte loads and six instructions to join
/// them, so the bytes are compared as they are loaded (xor, or), four at
/// a time, the last four overlapping. Branch-free, like the bare-metal
/// word loop. Needs equal lengths of at least 4.
#[inline(always)]
pub(crate) fn same_bytewise(stored: &[u8], name: &[u8]) -> bool {
    // By reference and byte by byte: a `[u8; 4]` taken by value is one
    // (misaligned) word load, which RISC-V assembles from four.
    let x4 =
        |x: &[u8; 4], y: &[u8; 4]| (x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3]);
    let mut diff = match (stored.last_chunk(), name.last_chunk()) {
        (Some(x), Some(y)) => x4(x, y),
        _ => 1,
    };
    // Constant-width chunks: see `same_words`.
    for (x, y) in stored
        .as_chunks::<4>()
        .0
        .iter()
        .zip(name.as_chunks::<4>().0)
    {
        diff |= x4(x, y);
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
pub(crate) fn same_blocks(stored: &[u8], name: &[u8]) -> bool {
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
