//! Lookup time as the table grows: for the real names and synthetic
//! tables of 500, 2,000 and 10,000 names (see `build.rs`), a `match` on
//! the string, a `match` on the bytes, a plain `phf::Map<&str, u16>` and
//! s3err's lookup (`fingerprint`: s3err's own table and probe code),
//! side by side in one run. Each lookup is a non-inlined function, so all
//! three pay the same call.
//!
//! Inputs per set: every name (`hit`), and every name with its middle byte
//! changed (`near_miss`; the few that land on another name are dropped).
//! The `fingerprint` table of a size where two names share a fingerprint
//! is built over a fold of every byte of the name instead (see `build.rs`);
//! its benchmark parameter is `<size>-whole` so the plot can mark it.
//!
//! Throughput is set per element, so criterion's time divided by the
//! element count is ns per lookup.
//!
//! Run from `benches/scale`: `cargo bench`, then
//! `python3 ../../scripts/scale_plot.py` (writes `docs/scale.svg`).
#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use s3err_scale::{real, s500, s2000, s10000};

type Lookup = fn(&str) -> Option<u16>;

struct Set {
    names: &'static [&'static str],
    impls: [(&'static str, Lookup); 4],
    /// Two names share a fingerprint: `fingerprint` folds whole names.
    whole: bool,
}

macro_rules! set {
    ($m:ident) => {
        Set {
            names: &$m::NAMES,
            impls: [
                ("match", $m::by_match),
                ("match_bytes", $m::by_match_bytes),
                ("phf_plain", $m::by_phf_plain),
                ("fingerprint", $m::by_fingerprint),
            ],
            whole: $m::FP_WHOLE_NAME,
        }
    };
}

fn near_misses(names: &[&str], by_match: Lookup) -> Vec<String> {
    names
        .iter()
        .map(|n| {
            let mut b = n.as_bytes().to_vec();
            let mid = b.len() / 2;
            b[mid] = if b[mid] == b'x' { b'y' } else { b'x' };
            String::from_utf8(b).unwrap()
        })
        .filter(|s| by_match(s).is_none())
        .collect()
}

fn bench(c: &mut Criterion) {
    let sets = [set!(real), set!(s500), set!(s2000), set!(s10000)];
    for s in &sets {
        if s.whole {
            eprintln!("{} names: the key folds whole names", s.names.len());
        }
    }
    let inputs: Vec<(Vec<String>, Vec<String>)> = sets
        .iter()
        .map(|s| {
            let hits: Vec<String> = s.names.iter().map(|n| n.to_string()).collect();
            (hits, near_misses(s.names, s.impls[0].1))
        })
        .collect();
    // Every implementation agrees with the index on every input.
    for (s, (hits, misses)) in sets.iter().zip(&inputs) {
        for (name, f) in s.impls {
            for (i, h) in hits.iter().enumerate() {
                assert_eq!(f(h), Some(i as u16), "{name} hit {h}");
            }
            for m in misses {
                assert_eq!(f(m), None, "{name} miss {m}");
            }
        }
    }
    for kind in ["hit", "near_miss"] {
        let mut g = c.benchmark_group(format!("scale_{kind}"));
        for (s, (hits, misses)) in sets.iter().zip(&inputs) {
            let input = if kind == "hit" { hits } else { misses };
            g.throughput(Throughput::Elements(input.len() as u64));
            for (name, f) in s.impls {
                // The parameter is the table size; `-whole` marks the
                // fingerprint table that fell back to folding whole names.
                let n = s.names.len();
                let param = if name == "fingerprint" && s.whole {
                    format!("{n}-whole")
                } else {
                    n.to_string()
                };
                g.bench_with_input(BenchmarkId::new(name, param), input, |b, input| {
                    b.iter(|| {
                        for s in input {
                            black_box(f(black_box(s.as_str())));
                        }
                    })
                });
            }
        }
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .sample_size(30);
    targets = bench
}
criterion_main!(benches);
