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
//!   default hashing (every byte of the name through SipHash-1-3);
//! - `FP`: s3err's layout, a `phf::Set<Id>` whose key hashes the 4-byte
//!   fingerprint of `src/fingerprint.rs` (the same file, through `#[path]`),
//!   names stored once in one string cut by end offsets. If two names of a
//!   set share a fingerprint the set cannot be built that way; the build
//!   then says so (a cargo warning and `FP_WHOLE_NAME = true`) and hashes
//!   the whole name for that set instead, keeping the rest of the layout.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::{env, fs, path::Path};

#[path = "../../src/fingerprint.rs"]
#[allow(dead_code)]
mod fingerprint;
use fingerprint::fingerprint;

const DATA: &str = "../../data/errors.tsv";
const SIZES: [usize; 4] = [117, 500, 2000, 10_000];
const SEED: u64 = 0x5EED_0005_CA1E_0117;

/// A name as phf_codegen sees it for the `FP` set: hashed by its
/// fingerprint (or, if `whole`, by every byte), written out as `Id(index)`.
#[derive(Hash, PartialEq, Eq)]
struct FpKey<'a> {
    name: &'a str,
    index: usize,
    whole: bool,
}

impl phf_shared::PhfHash for FpKey<'_> {
    fn phf_hash<H: std::hash::Hasher>(&self, state: &mut H) {
        if self.whole {
            state.write(self.name.as_bytes());
        } else {
            state.write_u32(fingerprint(self.name.as_bytes()));
        }
    }
}

impl phf_shared::FmtConst for FpKey<'_> {
    fn fmt_const(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Id({})", self.index)
    }
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
    writeln!(w, "/// Length of the longest name.\npub const MAX_NAME_LEN: usize = {longest};").unwrap();

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

    // s3err's layout: names in one string cut by end offsets, a set of
    // indexes hashed by fingerprint (or by the whole name, see above).
    let bad = collisions(set);
    let whole = !bad.is_empty();
    if whole {
        println!(
            "cargo::warning={n} names: {} pair(s) share a fingerprint (first: {} / {}); FP hashes the whole name for this set",
            bad.len(),
            bad[0].0,
            bad[0].1
        );
    }
    writeln!(
        w,
        "/// True if two names share a fingerprint, so `FP` hashes whole names.\npub const FP_WHOLE_NAME: bool = {whole};"
    )
    .unwrap();
    writeln!(
        w,
        "/// Fingerprint collisions in this set (pairs).\npub const FP_COLLISIONS: usize = {};",
        bad.len()
    )
    .unwrap();
    let blob: String = set.concat();
    let mut end = 0;
    let ends: Vec<String> = set
        .iter()
        .map(|s| {
            end += s.len();
            end.to_string()
        })
        .collect();
    writeln!(w, "static BLOB: &str = {blob:?};").unwrap();
    writeln!(w, "static ENDS: [u32; {n}] = [{}];", ends.join(", ")).unwrap();
    let mut fp = phf_codegen::Set::new();
    fp.phf_path("phf");
    for (index, name) in set.iter().enumerate() {
        fp.entry(FpKey { name, index, whole });
    }
    writeln!(w, "static FP: phf::Set<Id> = {};", fp.build()).unwrap();
    w.push_str(
        r#"
/// An index into this set's names.
#[derive(PartialEq, Eq)]
struct Id(u16);

impl Id {
    #[inline]
    fn name_bytes(&self) -> &'static [u8] {
        let i = usize::from(self.0);
        let start = if i == 0 { 0 } else { ENDS[i - 1] as usize };
        BLOB.as_bytes().get(start..ENDS[i] as usize).unwrap_or(&[])
    }
}

impl phf::PhfEq<crate::Key<'_, FP_WHOLE_NAME>> for Id {
    #[inline]
    fn phf_eq(&self, key: &crate::Key<'_, FP_WHOLE_NAME>) -> bool {
        crate::same(self.name_bytes(), key.0)
    }
}

/// `phf::Map<&str, u16>` with phf's default hashing.
#[inline(never)]
pub fn by_phf_plain(s: &str) -> Option<u16> {
    PLAIN.get(s).copied()
}

/// s3err's lookup: length guard, fingerprint hash, word-wise compare.
#[inline(never)]
pub fn by_fingerprint(s: &str) -> Option<u16> {
    if s.is_empty() || s.len() > MAX_NAME_LEN {
        return None;
    }
    FP.get_key(&crate::Key::<FP_WHOLE_NAME>(s.as_bytes())).map(|id| id.0)
}
"#,
    );
    w
}

fn main() {
    println!("cargo::rerun-if-changed={DATA}");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=../../src/fingerprint.rs");
    let text = fs::read_to_string(DATA).expect("read data/errors.tsv");
    let real: Vec<String> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect::<Vec<_>>();
    // errors.tsv may list a name twice (one per group); keep the first.
    let mut seen = HashSet::new();
    let real: Vec<String> = real.into_iter().filter(|n| seen.insert(n.clone())).collect();
    assert_eq!(real.len(), SIZES[0], "the smallest set is the real table");
    let all = names(&real, SIZES[SIZES.len() - 1]);
    let out = env::var("OUT_DIR").unwrap();
    for n in SIZES {
        let code = emit(&all[..n]);
        fs::write(Path::new(&out).join(format!("set_{n}.rs")), code).expect("write set");
    }
}
