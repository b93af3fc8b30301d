//! Writes `$OUT_DIR/set_real.rs` and, for each table size in `SIZES`,
//! `$OUT_DIR/set_<n>.rs`: the names, and the lookups the bench times over
//! them.
//!
//! The real set is the live names of `data/errors.tsv` (the default
//! groups, not the opt-in `aws`), read and validated
//! by the library's own reader (`build/data.rs`). Each larger set
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
//! - `by_match_bytes`: the same `match` on the bytes (`b"..."` arms over
//!   `as_bytes()`, as s3s writes its `from_bytes`): the strongest `match`;
//! - `PLAIN`: a `phf::Map<&'static str, u16>` from `phf_codegen`, phf's
//!   default hashing (every byte of the name through SipHash-1-3, CHD);
//! - `by_fingerprint`: s3err's lookup, built and probed by the root
//!   crate's own code (`build/table.rs`, `src/lookup/fingerprint.rs`,
//!   `src/lookup/probe.rs`, `src/lookup/compare.rs`, through `#[path]`): the key
//!   build.rs chooses for the set (three words if they tell the names
//!   apart, else every byte), phf's ptrhash table over it with the hashed
//!   pilots, checked by the same build-time probe of every name; each
//!   slot's name length (`u8`) and a `u16` slot -> index table, the names
//!   in index order in one string cut by a bounds table (`u16` while it
//!   fits in 64 KiB, `u32` above), and s3err's word compare once the
//!   slot's length matches.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::{env, fs, path::Path};

#[path = "../../build/data.rs"]
#[allow(dead_code)]
mod data;
#[path = "../../src/lookup/fingerprint.rs"]
#[allow(dead_code)]
mod fingerprint;
#[path = "../../src/lookup/probe.rs"]
#[allow(dead_code)]
mod probe;
#[path = "../../build/table.rs"]
#[allow(dead_code)]
mod table;

const DATA: &str = "../../data/errors.tsv";
/// The synthetic sets' sizes; the real set comes first.
const SIZES: [usize; 3] = [500, 2000, 10_000];
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
    w.push_str("/// A `match` on the bytes.\n#[inline(never)]\n");
    w.push_str("pub fn by_match_bytes(s: &str) -> Option<u16> {\n    match s.as_bytes() {\n");
    for (i, s) in set.iter().enumerate() {
        writeln!(w, "        b{s:?} => Some({i}),").unwrap();
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

    // s3err's lookup, by s3err's own table code.
    let names: Vec<&str> = set.iter().map(String::as_str).collect();
    let t = table::build(&names);
    table::verify(&names, &t, probe::probe).expect("every name probes to its slot");
    let whole = matches!(t.key, fingerprint::Key::Whole { .. });
    if whole {
        println!(
            "cargo::warning={n} names: no three words tell them apart; the key folds whole names"
        );
    }
    writeln!(w, "/// True if the key folds whole names (no pair of words tells the names apart).\npub const FP_WHOLE_NAME: bool = {whole};").unwrap();
    assert!(n <= usize::from(u16::MAX), "indexes are u16");
    let shortest = set.iter().map(String::len).min().unwrap();
    writeln!(
        w,
        "/// Length of the shortest name.\npub const MIN_NAME_LEN: usize = {shortest};"
    )
    .unwrap();
    writeln!(
        w,
        "const KEY: crate::fingerprint::Key = crate::fingerprint::Key::{:?};",
        t.key
    )
    .unwrap();
    writeln!(w, "const SEED: u64 = {};", t.seed).unwrap();
    array(&mut w, "PILOTS", "u32", t.pilots.iter());
    array(&mut w, "SLOTS", "u16", t.slots.iter());
    assert!(longest <= usize::from(u8::MAX), "slot lengths are u8");
    array(
        &mut w,
        "SLOT_LENS",
        "u8",
        t.slots.iter().map(|&i| set[i].len()),
    );
    let blob: String = set.concat();
    let bound = if blob.len() <= usize::from(u16::MAX) {
        "u16"
    } else {
        "u32"
    };
    writeln!(w, "static BLOB: &str = {blob:?};").unwrap();
    let mut end = 0;
    let ends = set.iter().map(|s| {
        end += s.len();
        end
    });
    array(&mut w, "BOUNDS", bound, std::iter::once(0).chain(ends));
    w.push_str(
        r#"
/// `phf::Map<&str, u16>` with phf's default hashing.
#[inline(never)]
pub fn by_phf_plain(s: &str) -> Option<u16> {
    PLAIN.get(s).copied()
}

/// s3err's lookup: length guard, s3err's probe, the slot's stored length,
/// slot -> index, s3err's compare.
#[inline(never)]
pub fn by_fingerprint(s: &str) -> Option<u16> {
    let name = s.as_bytes();
    if name.len() < MIN_NAME_LEN || name.len() > MAX_NAME_LEN {
        return None;
    }
    let slot = crate::probe::probe(name, KEY, SEED, &PILOTS, SLOTS.len())?;
    if usize::from(*SLOT_LENS.get(slot)?) != name.len() {
        return None;
    }
    let i = *SLOTS.get(slot)?;
    let start = *BOUNDS.get(usize::from(i))? as usize;
    let stored = BLOB.as_bytes().get(start..start + name.len())?;
    crate::compare::same(stored, name).then_some(i)
}
"#,
    );
    w
}

fn main() {
    println!("cargo::rerun-if-changed={DATA}");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=../../build/data.rs");
    for path in [
        "../../src/lookup/fingerprint.rs",
        "../../src/lookup/probe.rs",
        "../../build/table.rs",
    ] {
        println!("cargo::rerun-if-changed={path}");
    }
    let text = fs::read_to_string(DATA).expect("read data/errors.tsv");
    let rows = data::parse(&text).unwrap_or_else(|e| panic!("{e}"));
    let real: Vec<String> = rows
        .iter()
        // The default table: the opt-in `aws` group is not in the real set.
        .filter(|r| !r.retired() && r.group != "aws")
        .map(|r| r.name.to_string())
        .collect();
    assert!(
        real.len() < SIZES[0],
        "the synthetic sets are larger than the real one"
    );
    let all = names(&real, SIZES[SIZES.len() - 1]);
    let out = env::var("OUT_DIR").unwrap();
    let sets = std::iter::once(("real".to_string(), real.len()))
        .chain(SIZES.iter().map(|n| (n.to_string(), *n)));
    for (file, n) in sets {
        let code = emit(&all[..n]);
        fs::write(Path::new(&out).join(format!("set_{file}.rs")), code).expect("write set");
    }
}
