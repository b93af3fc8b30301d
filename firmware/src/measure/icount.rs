//! Instruction-count bench, driven by `cargo xtask icount`, which runs it
//! under QEMU (Cortex-M3 lm3s6965evb, and RISC-V `virt` with riscv32imc)
//! with one instruction per translation block and an execution trace in
//! which every executed instruction names the symbol it belongs to.
//!
//! Every measurement announces its own label through the symbols it
//! runs in: a lookup's inputs are run by `icount_run_<lookup>` (which
//! calls `lookup_<lookup>`), and each set of inputs starts with a call to
//! its own marker `icount_set_<set>`. Each input is bracketed by
//! `icount_begin` and `icount_end`; the tool counts the instructions
//! between them outside every `icount_*` function (the lookup's own and
//! those of whatever it calls: hashing, `memcmp`), files the count under
//! `(lookup, set)`, and finds each figure by that label, whatever the
//! order of the runs.
//!
//! Lookups, each behind `#[inline(never)]`, from a name to its code (or
//! id) and from a name to its record (status, description):
//! s3err's `ErrorCode::from_name` and `ErrorCode::from_bytes`, a `match`
//! on the bytes (`b"NoSuchKey" => …`, as s3s's `S3ErrorCode::from_bytes`
//! writes it), a `match` on the `&str`, and a plain `phf::Map` built by
//! `phf_map!` (no length guard). The baselines and their records are
//! generated from data/errors.tsv by build.rs and read none of s3err's
//! tables. Sets: the hits, the miss shapes of build.rs, other services'
//! codes, and two too-long inputs.
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

fn bump(counter: &AtomicU32) {
    counter.store(counter.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
}

#[allow(unsafe_code)] // `no_mangle`: the tool finds the markers by name
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

/// One marker per set, named `icount_set_<set>`, each with its own
/// counter; `SETS` counts the calls of them all.
static SETS: AtomicU32 = AtomicU32::new(0);
macro_rules! set_markers {
    ($($marker:ident),*) => {$(
        #[allow(unsafe_code)]
        #[unsafe(no_mangle)]
        #[inline(never)]
        extern "C" fn $marker() {
            static CALLS: AtomicU32 = AtomicU32::new(0);
            bump(&CALLS);
            bump(&SETS);
        }
    )*};
}
set_markers!(
    icount_set_hit,
    icount_set_miss_flip_last,
    icount_set_miss_appended,
    icount_set_miss_truncated,
    icount_set_miss_flip_first,
    icount_set_miss_foreign,
    icount_set_too_long_1,
    icount_set_too_long_1k
);

/// A record as the user reads it: the status and the description.
type Rec = (u16, &'static str);

/// `lookup_<label>`: one lookup behind `#[inline(never)]`, so its
/// instructions are its own in the trace.
macro_rules! lookups {
    ($($name:ident($arg:ident: $ty:ty) -> $out:ty $body:block)*) => {$(
        #[allow(unsafe_code)]
        #[unsafe(no_mangle)]
        #[inline(never)]
        fn $name($arg: $ty) -> Option<$out> $body
    )*};
}
lookups! {
    lookup_s3err_name(name: &str) -> ErrorCode { ErrorCode::from_name(name) }
    lookup_s3err_bytes(name: &[u8]) -> ErrorCode { ErrorCode::from_bytes(name) }
    lookup_match_bytes(name: &[u8]) -> u8 { names::by_bytes(name) }
    lookup_match_str(name: &str) -> u8 { names::by_str(name) }
    lookup_phf(name: &str) -> u8 { names::PHF.get(name).copied() }
    lookup_s3err_name_record(name: &str) -> Rec {
        ErrorCode::from_name(name).map(|c| (c.status(), c.description()))
    }
    lookup_match_bytes_record(name: &[u8]) -> Rec { names::record_by_bytes(name) }
    lookup_match_str_record(name: &str) -> Rec { names::record_by_str(name) }
    lookup_phf_record(name: &str) -> Rec { names::PHF_RECORDS.get(name).copied() }
}

/// `icount_run_<label>(set, inputs, want)` runs one set of one lookup:
/// it calls the set's marker, then opens one window per input, and
/// returns how many answers were wrong (`want(i, found)` says whether the
/// answer for input `i` is right). `$arg` turns the `&str` into the
/// lookup's argument before the window opens.
macro_rules! driver {
    ($driver:ident, $lookup:ident, $ty:ty, $arg:expr) => {
        #[allow(unsafe_code)]
        #[unsafe(no_mangle)]
        #[inline(never)]
        fn $driver(set: Set, want: fn(usize, Option<$ty>) -> bool) -> u32 {
            (set.marker)();
            let mut wrong = 0;
            for (i, &input) in set.inputs.iter().enumerate() {
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
driver!(
    icount_run_s3err_name_record,
    lookup_s3err_name_record,
    Rec,
    |s| s
);
driver!(
    icount_run_match_bytes_record,
    lookup_match_bytes_record,
    Rec,
    str::as_bytes
);
driver!(
    icount_run_match_str_record,
    lookup_match_str_record,
    Rec,
    |s| s
);
driver!(icount_run_phf_record, lookup_phf_record, Rec, |s| s);

/// A set of inputs and the marker that announces it.
#[derive(Clone, Copy)]
struct Set {
    marker: extern "C" fn(),
    inputs: &'static [&'static str],
}

fn hit_code(i: usize, found: Option<ErrorCode>) -> bool {
    found.map(ErrorCode::as_str) == names::NAMES.get(i).copied()
}

fn hit_id(i: usize, found: Option<u8>) -> bool {
    found == names::IDS.get(i).copied()
}

fn hit_record(i: usize, found: Option<Rec>) -> bool {
    found == names::RECORDS.get(i).copied()
}

fn miss<T>(_: usize, found: Option<T>) -> bool {
    found.is_none()
}

static LONG_1: [&str; 1] = [names::LONG_1];
static LONG_1K: [&str; 1] = [names::LONG_1K];

/// Every set of every lookup; true if every answer was right and every
/// window and set was bracketed.
fn run() -> bool {
    let hits = Set {
        marker: icount_set_hit,
        inputs: &names::NAMES,
    };
    let misses = [
        Set {
            marker: icount_set_miss_flip_last,
            inputs: &names::MISS_FLIP_LAST,
        },
        Set {
            marker: icount_set_miss_appended,
            inputs: &names::MISS_APPENDED,
        },
        Set {
            marker: icount_set_miss_truncated,
            inputs: &names::MISS_TRUNCATED,
        },
        Set {
            marker: icount_set_miss_flip_first,
            inputs: &names::MISS_FLIP_FIRST,
        },
        Set {
            marker: icount_set_miss_foreign,
            inputs: &names::MISS_FOREIGN,
        },
        Set {
            marker: icount_set_too_long_1,
            inputs: &LONG_1,
        },
        Set {
            marker: icount_set_too_long_1k,
            inputs: &LONG_1K,
        },
    ];
    let (mut wrong, mut runs) = (0, 0);
    macro_rules! sets {
        ($($driver:ident: $hit:ident),*) => {$(
            wrong += $driver(hits, $hit);
            for set in misses {
                wrong += $driver(set, miss);
            }
            runs += 1;
        )*};
    }
    sets!(
        icount_run_s3err_name: hit_code,
        icount_run_s3err_bytes: hit_code,
        icount_run_match_bytes: hit_id,
        icount_run_match_str: hit_id,
        icount_run_phf: hit_id,
        icount_run_s3err_name_record: hit_record,
        icount_run_match_bytes_record: hit_record,
        icount_run_match_str_record: hit_record,
        icount_run_phf_record: hit_record
    );
    let per_lookup = hits.inputs.len() + misses.iter().map(|s| s.inputs.len()).sum::<usize>();
    let windows = runs * per_lookup as u32;
    wrong == 0
        && BEGINS.load(Ordering::Relaxed) == windows
        && ENDS.load(Ordering::Relaxed) == windows
        && SETS.load(Ordering::Relaxed) == runs * (1 + misses.len() as u32)
}

s3err_firmware::main!(run);
