//! Writes, for each table size in `SIZES`, `$OUT_DIR/set_<n>.rs`: the
//! names, and the three lookups the bench times over them.
//!
//! The 117-name set is the real table (`data/errors.tsv`). Each larger set
//! is the real names plus synthetic ones: the real names are cut into their
//! CamelCase words ("NoSuchBucket" -> "No", "Such", "Bucket"), and each new
//! name joins 2-4 words drawn from that bag of words (so frequent words such
//! as "Invalid" stay frequent) by a fixed-seed xorshift generator. The word
//! count is that of a real name drawn at random, clamped to 2-4; names
//! outside the real length range or already taken are drawn again. Every
//! set is a prefix of the next one, and the same on every build.
//!
//! Per set:
//! - `by_match`: a `match` on the string returning the index;
//! - `PLAIN`: a `phf::Map<&'static str, u16>` from `phf_codegen`, phf's
//!   default hashing (every byte of the name through SipHash-1-3, CHD);
//! - `by_fingerprint`: s3err's lookup as the root `build.rs` and
//!   `src/lookup.rs` build and probe it. The table is
//!   `phf_generator::ptrhash::generate_hash_with_hash_fn` over the names'
//!   4-byte fingerprints, hashed by `fingerprint::hash` (the one-multiply
//!   hash; both from `src/fingerprint.rs`, the same file, through
//!   `#[path]`). It is stored as `SEED`, `PILOTS` (`u8`) and `REMAP` (`u8`
//!   up to 256 names, `u16` above). The names are stored once, in slot
//!   order, in one string cut by a bounds table (`u16` while the string
//!   fits in 64 KiB, `u32` above: the 10,000-name set), so the slot is the
//!   name's position there, as it is s3err's variant; a `u16` slot ->
//!   index table turns a hit's slot into the set's index, which the bench
//!   checks (s3err needs no such table: its slot is the code). The probe:
//!   a length guard (shorter than the shortest or longer than the longest
//!   name: refused before hashing), phf's ptrhash `get_index` with checked
//!   indexing (`phf_shared::ptrhash::{fast_reduct32, hash_pilot}`), one
//!   `==` of the full name (s3err's hosted comparison).
//!
//! If two names of a set share a fingerprint the table cannot be built over
//! fingerprints; the build then says so (a cargo warning and
//! `FP_WHOLE_NAME = true`) and, for that set only, folds every byte of the
//! name into a `u32` instead (FNV-1a, `src/whole.rs`) before the same
//! `fingerprint::hash`, keeping the rest of the layout and probe.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::{env, fs, path::Path};

#[path = "../../src/fingerprint.rs"]
#[allow(dead_code)]
mod fingerprint;
#[path = "src/whole.rs"]
mod whole;
use fingerprint::fingerprint;

const DATA: &str = "../../data/errors.tsv";
const SIZES: [usize; 4] = [117, 500, 2000, 10_000];
const SEED: u64 = 0x5EED_0005_CA1E_0117;

/// `static NAME: [TY; N] = [..];`
fn array<T: ToString>(w: &mut String, name: &str, ty: &str, items: impl Iterator<Item = T>) {
    let items: Vec<String> = items.map(|i| i.to_string()).collect();
    writeln!(
        w,
        "static {name}: [{ty}; {}] = [{}];",
        items.len(),
        items.join(", ")
    )
    .unwrap();
}

/// xorshift64: fixed seed, same stream on every build and host.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// CamelCase words: a new word starts at an upper-case letter that follows
/// a lower-case letter or a digit, or that starts a capitalised word after
/// an acronym ("MalformedXML" -> "Malformed", "XML"; "InvalidSOAPRequest"
/// -> "Invalid", "SOAP", "Request").
fn words(name: &str) -> Vec<&str> {
    let b = name.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..b.len() {
        let up = b[i].is_ascii_uppercase();
        let after_lower = b[i - 1].is_ascii_lowercase() || b[i - 1].is_ascii_digit();
        let acronym_end =
            b[i - 1].is_ascii_uppercase() && b.get(i + 1).is_some_and(u8::is_ascii_lowercase);
        if up && (after_lower || acronym_end) {
            out.push(&name[start..i]);
            start = i;
        }
    }
    out.push(&name[start..]);
    out
}

fn names(real: &[String], n: usize) -> Vec<String> {
    let bag: Vec<&str> = real.iter().flat_map(|r| words(r)).collect();
    let counts: Vec<usize> = real.iter().map(|r| words(r).len().clamp(2, 4)).collect();
    let min = real.iter().map(String::len).min().unwrap();
    let max = real.iter().map(String::len).max().unwrap();
    let mut out = real.to_vec();
    let mut seen: HashSet<String> = out.iter().cloned().collect();
    let mut rng = Rng(SEED);
    while out.len() < n {
        let k = counts[rng.below(counts.len())];
        let name: String = (0..k).map(|_| bag[rng.below(bag.len())]).collect();
        if (min..=max).contains(&name.len()) && seen.insert(name.clone()) {
            out.push(name);
        }
    }
    out
}

/// Pairs of names of `set` that share a fingerprint.
fn collisions(set: &[String]) -> Vec<(String, String)> {
    let mut by_fp: HashMap<u32, &str> = HashMap::new();
    let mut out = Vec::new();
    for s in set {
        if let Some(other) = by_fp.insert(fingerprint(s.as_bytes()), s) {
            out.push((other.to_string(), s.clone()));
        }
    }
    out
}

fn emit(set: &[String]) -> String {
    let mut w = String::new();
    let n = set.len();
    writeln!(w, "/// The {n} names, index order.").unwrap();
    writeln!(w, "pub static NAMES: [&str; {n}] = {set:?};").unwrap();
    let longest = set.iter().map(String::len).max().unwrap();
    writeln!(
        w,
        "/// Length of the longest name.\npub const MAX_NAME_LEN: usize = {longest};"
    )
    .unwrap();

    // The match.
    w.push_str("/// A `match` on the string.\n#[inline(never)]\n");
    w.push_str("pub fn by_match(s: &str) -> Option<u16> {\n    match s {\n");
    for (i, s) in set.iter().enumerate() {
        writeln!(w, "        {s:?} => Some({i}),").unwrap();
    }
    w.push_str("        _ => None,\n    }\n}\n\n");

    // The plain phf map.
    let mut map = phf_codegen::Map::<&str>::new();
    map.phf_path("phf");
    for (i, s) in set.iter().enumerate() {
        map.entry(s, i.to_string());
    }
    writeln!(
        w,
        "/// phf's default map: SipHash-1-3 over every byte.\npub static PLAIN: phf::Map<&'static str, u16> = {};\n",
        map.build()
    )
    .unwrap();

    // s3err's lookup: phf's ptrhash table over the fingerprints (or, for
    // a set where two collide, over the whole-name fold), names in slot
    // order in one string.
    let bad = collisions(set);
    let whole = !bad.is_empty();
    if whole {
        println!(
            "cargo::warning={n} names: {} pair(s) share a fingerprint (first: {} / {}); FP folds the whole name for this set",
            bad.len(),
            bad[0].0,
            bad[0].1
        );
    }
    writeln!(
        w,
        "/// True if two names share a fingerprint, so `by_fingerprint` folds whole names.\npub const FP_WHOLE_NAME: bool = {whole};"
    )
    .unwrap();
    writeln!(
        w,
        "/// Fingerprint collisions in this set (pairs).\npub const FP_COLLISIONS: usize = {};",
        bad.len()
    )
    .unwrap();
    let keys: Vec<u32> = set
        .iter()
        .map(|s| {
            if whole {
                whole::fold(s.as_bytes())
            } else {
                fingerprint(s.as_bytes())
            }
        })
        .collect();
    // The generator never solves a table with two equal keys.
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(
        sorted.len(),
        n,
        "{n} names: two whole-name folds collide; change src/whole.rs"
    );
    let state = phf_generator::ptrhash::generate_hash_with_hash_fn(&keys, |k: &u32, seed: &u64| {
        fingerprint::hash(*k, *seed)
    });
    assert!(n <= usize::from(u16::MAX), "indexes are u16");
    let shortest = set.iter().map(String::len).min().unwrap();
    writeln!(
        w,
        "/// Length of the shortest name.\npub const MIN_NAME_LEN: usize = {shortest};"
    )
    .unwrap();
    writeln!(w, "const N: usize = {n};").unwrap();
    writeln!(w, "const SEED: u64 = {};", state.seed).unwrap();
    array(&mut w, "PILOTS", "u8", state.pilots.iter());
    let small = if n <= 256 { "u8" } else { "u16" };
    array(&mut w, "REMAP", small, state.remap.iter());
    let by_slot: Vec<&String> = state.map.iter().map(|&i| &set[i]).collect();
    let blob: String = by_slot.iter().map(|s| s.as_str()).collect();
    let bound = if blob.len() <= usize::from(u16::MAX) {
        "u16"
    } else {
        "u32"
    };
    writeln!(w, "static BLOB: &str = {blob:?};").unwrap();
    let mut end = 0;
    let ends = by_slot.iter().map(|s| {
        end += s.len();
        end
    });
    array(&mut w, "BOUNDS", bound, std::iter::once(0).chain(ends));
    array(&mut w, "INDEX", "u16", state.map.iter());
    w.push_str(
        r#"
/// `phf::Map<&str, u16>` with phf's default hashing.
#[inline(never)]
pub fn by_phf_plain(s: &str) -> Option<u16> {
    PLAIN.get(s).copied()
}

/// s3err's lookup: length guard, the fingerprint's one-multiply hash,
/// phf's ptrhash probe with checked indexing, one `==`.
#[inline(never)]
pub fn by_fingerprint(s: &str) -> Option<u16> {
    use phf_shared::ptrhash::{fast_reduct32, hash_pilot};
    let name = s.as_bytes();
    if name.len() < MIN_NAME_LEN || name.len() > MAX_NAME_LEN {
        return None;
    }
    let key = if FP_WHOLE_NAME {
        crate::whole::fold(name)
    } else {
        crate::fingerprint::fingerprint(name)
    };
    let h = crate::fingerprint::hash(key, SEED);
    let bucket = fast_reduct32(h as u32, PILOTS.len() as u32) as usize;
    let ph = hash_pilot(SEED, *PILOTS.get(bucket)?);
    let slots = (N + REMAP.len()) as u32;
    let i = fast_reduct32((h >> 32) as u32 ^ (ph >> 32) as u32 ^ ph as u32, slots) as usize;
    // Slots past the last name are remapped to one.
    let slot = if i < N {
        i
    } else {
        usize::from(*REMAP.get(i - N)?)
    };
    let start = *BOUNDS.get(slot)? as usize;
    let end = *BOUNDS.get(slot.wrapping_add(1))? as usize;
    let stored = BLOB.as_bytes().get(start..end)?;
    if stored == name { INDEX.get(slot).copied() } else { None }
}
"#,
    );
    w
}

fn main() {
    println!("cargo::rerun-if-changed={DATA}");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=../../src/fingerprint.rs");
    println!("cargo::rerun-if-changed=src/whole.rs");
    let text = fs::read_to_string(DATA).expect("read data/errors.tsv");
    let real: Vec<String> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').nth(1).unwrap().to_string())
        .collect::<Vec<_>>();
    // errors.tsv may list a name twice (one per group); keep the first.
    let mut seen = HashSet::new();
    let real: Vec<String> = real
        .into_iter()
        .filter(|n| seen.insert(n.clone()))
        .collect();
    assert_eq!(real.len(), SIZES[0], "the smallest set is the real table");
    let all = names(&real, SIZES[SIZES.len() - 1]);
    let out = env::var("OUT_DIR").unwrap();
    for n in SIZES {
        let code = emit(&all[..n]);
        fs::write(Path::new(&out).join(format!("set_{n}.rs")), code).expect("write set");
    }
}
