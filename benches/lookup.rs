//! Lookup by name: s3err against baselines written here, side by side in
//! one run. Run: `cargo bench -p s3err-benches --bench lookup`, then
//! `python3 scripts/bench_table.py lookup` for the table in docs/performance.md.
//!
//! Baselines, over the same names (`with_names!`, generated from
//! data/errors.tsv), each returning a one-byte code:
//! - `match_bytes`: a `match` on the bytes (`b"NoSuchKey" => …` over
//!   `as_bytes()`, as s3s's generated `S3ErrorCode::from_bytes` is
//!   written): the strongest `match`, LLVM compares words against constants;
//! - `match_str`: a `match` on the `&str`;
//! - `binary_search`: a sorted `(&str, code)` slice;
//! - `std_hashmap`: `std::collections::HashMap<&str, code>` (SipHash-1-3, random keys);
//! - `phf_plain`: a `phf::Map<&str, code>` with phf's default hashing
//!   (phf 0.11, a separate crate from s3err's own phf).
//!
//! Inputs: every name (`hit`); near misses (`near_miss`: for each name,
//! one byte changed, a prefix and one byte appended); `too_long` (inputs
//! just past and far past the longest name); `garbage` (fixed pseudo-random
//! bytes of name-like lengths). Throughput is set per element, so
//! criterion's time divided by the element count is ns per lookup.
#![allow(missing_docs)]

use std::collections::HashMap;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use s3err::ErrorCode;

use s3err_benches::with_names;

macro_rules! baselines {
    ($($n:ident $s:literal $b:literal,)*) => {
        #[allow(non_camel_case_types, clippy::upper_case_acronyms, dead_code)]
        #[derive(Clone, Copy, PartialEq, Eq, Debug)]
        #[repr(u8)]
        enum Code { $($n,)* }

        const NAMES: &[(&str, Code)] = &[$(($s, Code::$n),)*];

        fn by_match(s: &str) -> Option<Code> {
            match s {
                $($s => Some(Code::$n),)*
                _ => None,
            }
        }

        fn by_match_bytes(s: &str) -> Option<Code> {
            match s.as_bytes() {
                $($b => Some(Code::$n),)*
                _ => None,
            }
        }
    };
}
with_names!(baselines);

struct Baselines {
    sorted: Vec<(&'static str, Code)>,
    hash: HashMap<&'static str, Code>,
    phf: phf_plain::Map<&'static str, Code>,
}

/// A `phf::Map` as `phf_map!`/`phf_codegen` would emit it, built at start
/// with phf's own generator (same hash, same layout, same lookup code).
fn plain_phf() -> phf_plain::Map<&'static str, Code> {
    let keys: Vec<&str> = NAMES.iter().map(|&(n, _)| n).collect();
    let state = phf_generator_plain::generate_hash(&keys);
    let entries: Vec<(&str, Code)> = state.map.iter().map(|&i| NAMES[i]).collect();
    phf_plain::Map {
        key: state.key,
        disps: Vec::leak(state.disps),
        entries: Vec::leak(entries),
    }
}

impl Baselines {
    fn new() -> Self {
        let mut sorted = NAMES.to_vec();
        sorted.sort_unstable_by_key(|&(n, _)| n);
        Baselines {
            sorted,
            hash: NAMES.iter().copied().collect(),
            phf: plain_phf(),
        }
    }

    fn binary(&self, s: &str) -> Option<Code> {
        self.sorted
            .binary_search_by(|&(n, _)| n.cmp(s))
            .ok()
            .map(|i| self.sorted[i].1)
    }
}

fn near_misses() -> Vec<String> {
    let mut v = Vec::new();
    for &(n, _) in NAMES {
        let mut changed = n.as_bytes().to_vec();
        let mid = changed.len() / 2;
        changed[mid] = if changed[mid] == b'x' { b'y' } else { b'x' };
        v.push(String::from_utf8(changed).unwrap());
        v.push(n[..n.len() - 1].to_string());
        v.push(format!("{n}s"));
    }
    v
}

fn too_long() -> Vec<String> {
    [s3err::ErrorCode::MAX_NAME_LEN + 1, 64, 256, 4096]
        .iter()
        .map(|&len| "NoSuchKey".repeat(len / 9 + 1)[..len].to_string())
        .collect()
}

fn garbage() -> Vec<String> {
    // A fixed xorshift stream: the same inputs on every run.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..256)
        .map(|i| {
            let len = 5 + i % 35;
            (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    char::from(b'A' + (x % 58) as u8)
                })
                .collect()
        })
        .collect()
}

/// Every baseline gives the same answer as s3err on every input.
fn check(b: &Baselines, inputs: &[String]) {
    for s in inputs {
        let want = ErrorCode::from_name(s).map(|c| c.as_str());
        let name = |c: Option<Code>| c.map(|c| NAMES[c as usize].0);
        assert_eq!(name(by_match(s)), want, "match {s}");
        assert_eq!(name(by_match_bytes(s)), want, "match_bytes {s}");
        assert_eq!(name(b.binary(s)), want, "binary {s}");
        assert_eq!(name(b.hash.get(s.as_str()).copied()), want, "hashmap {s}");
        assert_eq!(name(b.phf.get(s.as_str()).copied()), want, "phf {s}");
    }
}

fn bench(c: &mut Criterion) {
    let b = Baselines::new();
    let hits: Vec<String> = NAMES.iter().map(|&(n, _)| n.to_string()).collect();
    assert_eq!(
        hits.len(),
        ErrorCode::ALL.len(),
        "bench with default features"
    );
    let sets = [
        ("hit", hits),
        ("near_miss", near_misses()),
        ("too_long", too_long()),
        ("garbage", garbage()),
    ];
    for (group, inputs) in &sets {
        check(&b, inputs);
        let mut g = c.benchmark_group(format!("lookup/{group}"));
        g.throughput(Throughput::Elements(inputs.len() as u64));
        macro_rules! run {
            ($name:literal, $f:expr) => {
                g.bench_function($name, |bench| {
                    bench.iter(|| {
                        for s in inputs {
                            black_box($f(black_box(s.as_str())));
                        }
                    })
                });
            };
        }
        run!("s3err", ErrorCode::from_name);
        run!("s3err_from_bytes", |s: &str| ErrorCode::from_bytes(
            s.as_bytes()
        ));
        run!("match_bytes", by_match_bytes);
        run!("match_str", by_match);
        run!("binary_search", |s| b.binary(s));
        run!("std_hashmap", |s: &str| b.hash.get(s).copied());
        run!("phf_plain", |s: &str| b.phf.get(s).copied());
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50);
    targets = bench
}
criterion_main!(benches);
