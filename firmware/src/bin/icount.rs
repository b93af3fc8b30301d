//! Instruction-count bench (Cortex-M3, lm3s6965evb), driven by
//! scripts/icount.sh, which runs it under QEMU with one instruction per
//! translation block and an execution trace.
//!
//! Each lookup is bracketed by calls to the marker functions
//! `icount_begin` and `icount_end`. The script counts the instructions
//! executed between the two markers outside every `icount_*` function:
//! the lookup function's own instructions and those of whatever it calls
//! (hashing, `memcmp`), not the loop around it.
//!
//! Three lookups over the same 117 names, each behind `#[inline(never)]`:
//! `lookup_s3err` (s3err's `ErrorCode::from_name`), `lookup_match` (a
//! `match` on the string, generated from data/errors.tsv by build.rs) and
//! `lookup_phf` (a plain `phf::Map<&str, u8>` built by `phf_map!`, no
//! length guard). Windows run in this order, which the script relies on:
//! for each lookup, 117 hits, 117 misses, then two too-long inputs.
#![no_std]
#![no_main]
#![deny(unsafe_code)]

use core::hint::black_box;
use core::sync::atomic::{AtomicU32, Ordering};

use cortex_m as _;
use cortex_m_rt::entry;
use cortex_m_semihosting::debug;
use s3err::ErrorCode;

#[allow(dead_code)]
mod names {
    include!(concat!(env!("OUT_DIR"), "/names.rs"));
}

/// Written by the markers so that no call to them can be removed or
/// reordered with the lookup between them. Two counters, so the linker
/// cannot fold the two markers into one function.
static BEGINS: AtomicU32 = AtomicU32::new(0);
static ENDS: AtomicU32 = AtomicU32::new(0);

#[allow(unsafe_code)] // `no_mangle`: the script finds the markers by name
#[unsafe(no_mangle)]
#[inline(never)]
extern "C" fn icount_begin() {
    BEGINS.fetch_add(1, Ordering::Relaxed);
}

#[allow(unsafe_code)]
#[unsafe(no_mangle)]
#[inline(never)]
extern "C" fn icount_end() {
    ENDS.fetch_add(1, Ordering::Relaxed);
}

#[allow(unsafe_code)]
#[unsafe(no_mangle)]
#[inline(never)]
fn lookup_s3err(name: &str) -> Option<ErrorCode> {
    ErrorCode::from_name(name)
}

#[allow(unsafe_code)]
#[unsafe(no_mangle)]
#[inline(never)]
fn lookup_match(name: &str) -> Option<u8> {
    names::by_match(name)
}

#[allow(unsafe_code)]
#[unsafe(no_mangle)]
#[inline(never)]
fn lookup_phf(name: &str) -> Option<u8> {
    names::PHF.get(name).copied()
}

/// Runs one window per input; returns how many answers were wrong.
/// `want(i, found)` says whether the answer for input `i` is right.
macro_rules! driver {
    ($driver:ident, $lookup:ident, $ty:ty) => {
        #[allow(unsafe_code)]
        #[unsafe(no_mangle)]
        #[inline(never)]
        fn $driver(inputs: &[&str], want: fn(usize, Option<$ty>) -> bool) -> u32 {
            let mut wrong = 0;
            for (i, &input) in inputs.iter().enumerate() {
                let input = black_box(input);
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

driver!(icount_run_s3err, lookup_s3err, ErrorCode);
driver!(icount_run_match, lookup_match, u8);
driver!(icount_run_phf, lookup_phf, u8);

fn hit_s3err(i: usize, found: Option<ErrorCode>) -> bool {
    found.map(ErrorCode::as_str) == names::NAMES.get(i).copied()
}

fn hit_index(i: usize, found: Option<u8>) -> bool {
    found.map(usize::from) == Some(i)
}

fn miss<T>(_: usize, found: Option<T>) -> bool {
    found.is_none()
}

#[entry]
fn main() -> ! {
    let long = [names::LONG_1, names::LONG_1K];
    let mut wrong = 0;
    wrong += icount_run_s3err(&names::NAMES, hit_s3err);
    wrong += icount_run_s3err(&names::MISSES, miss);
    wrong += icount_run_s3err(&long, miss);
    wrong += icount_run_match(&names::NAMES, hit_index);
    wrong += icount_run_match(&names::MISSES, miss);
    wrong += icount_run_match(&long, miss);
    wrong += icount_run_phf(&names::NAMES, hit_index);
    wrong += icount_run_phf(&names::MISSES, miss);
    wrong += icount_run_phf(&long, miss);
    let windows = 3 * (2 * names::COUNT as u32 + 2);
    let bracketed =
        BEGINS.load(Ordering::Relaxed) == windows && ENDS.load(Ordering::Relaxed) == windows;
    debug::exit(if wrong == 0 && bracketed {
        debug::EXIT_SUCCESS
    } else {
        debug::EXIT_FAILURE
    });
    loop {
        cortex_m::asm::wfi();
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    debug::exit(debug::EXIT_FAILURE);
    loop {}
}
