//! Instruction-count bench, driven by scripts/icount.sh, which runs it
//! under QEMU (Cortex-M3 lm3s6965evb, and RISC-V `virt` with riscv32imc)
//! with one instruction per translation block and an execution trace.
//!
//! Each lookup is bracketed by calls to the marker functions
//! `icount_begin` and `icount_end`, and each input set starts with a call
//! to `icount_set`. The script counts the instructions executed between
//! `icount_begin` and `icount_end` outside every `icount_*` function: the
//! lookup function's own instructions and those of whatever it calls
//! (hashing, `memcmp`), not the loop around it.
//!
//! Five lookups over the same names, each behind `#[inline(never)]`:
//! s3err's `ErrorCode::from_name` and `ErrorCode::from_bytes`, a `match`
//! on the bytes (`b"NoSuchKey" => …`, as s3s's `S3ErrorCode::from_bytes`
//! writes it), a `match` on the `&str`, and a plain `phf::Map<&str, u8>`
//! built by `phf_map!` (no length guard). The matches and the map are
//! generated from data/errors.tsv by build.rs. Sets run in this order,
//! which the script relies on: for each lookup, the hits, the five miss
//! sets of build.rs (`MISS_FLIP_LAST`, `MISS_APPENDED`, `MISS_TRUNCATED`,
//! `MISS_FLIP_FIRST`, `MISS_FOREIGN`: other services' codes), then two
//! too-long inputs.
#![no_std]
#![no_main]
#![deny(unsafe_code)]

use core::hint::black_box;
use core::sync::atomic::{AtomicU32, Ordering};

use s3err::ErrorCode;
use s3err_firmware::names;

/// Written by the markers so that no call to them can be removed or
/// reordered with the lookup between them. One counter each, so the
/// linker cannot fold two markers into one function. A load and a store,
/// not `fetch_add`: riscv32imc has no atomic read-modify-write.
static BEGINS: AtomicU32 = AtomicU32::new(0);
static ENDS: AtomicU32 = AtomicU32::new(0);
static SETS: AtomicU32 = AtomicU32::new(0);

fn bump(counter: &AtomicU32) {
    counter.store(counter.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
}

#[allow(unsafe_code)] // `no_mangle`: the script finds the markers by name
#[unsafe(no_mangle)]
#[inline(never)]
extern "C" fn icount_begin() {
    bump(&BEGINS);
}

#[allow(unsafe_code)]
#[unsafe(no_mangle)]
#[inline(never)]
extern "C" fn icount_end() {
    bump(&ENDS);
}

#[allow(unsafe_code)]
#[unsafe(no_mangle)]
#[inline(never)]
extern "C" fn icount_set() {
    bump(&SETS);
}

#[allow(unsafe_code)]
#[unsafe(no_mangle)]
#[inline(never)]
fn lookup_s3err_name(name: &str) -> Option<ErrorCode> {
    ErrorCode::from_name(name)
}

#[allow(unsafe_code)]
#[unsafe(no_mangle)]
#[inline(never)]
fn lookup_s3err_bytes(name: &[u8]) -> Option<ErrorCode> {
    ErrorCode::from_bytes(name)
}

#[allow(unsafe_code)]
#[unsafe(no_mangle)]
#[inline(never)]
fn lookup_match_bytes(name: &[u8]) -> Option<u8> {
    names::by_bytes(name)
}

#[allow(unsafe_code)]
#[unsafe(no_mangle)]
#[inline(never)]
fn lookup_match_str(name: &str) -> Option<u8> {
    names::by_str(name)
}

#[allow(unsafe_code)]
#[unsafe(no_mangle)]
#[inline(never)]
fn lookup_phf(name: &str) -> Option<u8> {
    names::PHF.get(name).copied()
}

/// `$driver(inputs, want)` runs one set: one window per input, and
/// returns how many answers were wrong (`want(i, found)` says whether
/// the answer for input `i` is right). `$arg` turns the `&str` into the
/// lookup's argument before the window opens.
macro_rules! driver {
    ($driver:ident, $lookup:ident, $ty:ty, $arg:expr) => {
        #[allow(unsafe_code)]
        #[unsafe(no_mangle)]
        #[inline(never)]
        fn $driver(inputs: &[&str], want: fn(usize, Option<$ty>) -> bool) -> u32 {
            icount_set();
            let mut wrong = 0;
            for (i, &input) in inputs.iter().enumerate() {
                let input = black_box($arg(input));
                icount_begin();
                let found = $lookup(input);
                icount_end();
                if !want(i, black_box(found)) {
                    wrong += 1;
                }
            }
            wrong
        }
    };
}

driver!(icount_run_s3err_name, lookup_s3err_name, ErrorCode, |s| s);
driver!(
    icount_run_s3err_bytes,
    lookup_s3err_bytes,
    ErrorCode,
    str::as_bytes
);
driver!(
    icount_run_match_bytes,
    lookup_match_bytes,
    u8,
    str::as_bytes
);
driver!(icount_run_match_str, lookup_match_str, u8, |s| s);
driver!(icount_run_phf, lookup_phf, u8, |s| s);

fn hit_code(i: usize, found: Option<ErrorCode>) -> bool {
    found.map(ErrorCode::as_str) == names::NAMES.get(i).copied()
}

fn hit_id(i: usize, found: Option<u8>) -> bool {
    found == names::IDS.get(i).copied()
}

fn miss<T>(_: usize, found: Option<T>) -> bool {
    found.is_none()
}

/// Every set of every lookup, in the documented order; true if every
/// answer was right and every window and set was bracketed.
fn run() -> bool {
    let long = [names::LONG_1, names::LONG_1K];
    let misses: [&[&str]; 6] = [
        &names::MISS_FLIP_LAST,
        &names::MISS_APPENDED,
        &names::MISS_TRUNCATED,
        &names::MISS_FLIP_FIRST,
        &names::MISS_FOREIGN,
        &long,
    ];
    let mut wrong = 0;
    macro_rules! sets {
        ($($driver:ident: $hit:ident),*) => {$(
            wrong += $driver(&names::NAMES, $hit);
            for set in misses {
                wrong += $driver(set, miss);
            }
        )*};
    }
    sets!(
        icount_run_s3err_name: hit_code,
        icount_run_s3err_bytes: hit_code,
        icount_run_match_bytes: hit_id,
        icount_run_match_str: hit_id,
        icount_run_phf: hit_id
    );
    let per_lookup: usize = names::NAMES.len() + misses.iter().map(|s| s.len()).sum::<usize>();
    let windows = 5 * per_lookup as u32;
    wrong == 0
        && BEGINS.load(Ordering::Relaxed) == windows
        && ENDS.load(Ordering::Relaxed) == windows
        && SETS.load(Ordering::Relaxed) == 5 * (1 + misses.len() as u32)
}

s3err_firmware::main!(run);
