//! Reads `data/errors.tsv`, validates it, and writes `$OUT_DIR/table.rs`:
//! the `ErrorCode` enum (only the groups whose features are on), its
//! per-code tables and the perfect hash from name to code, built by
//! `phf_generator`'s ptrhash over the names' fingerprints.

use std::fmt::Write as _;
use std::{env, fs, path::Path};

#[path = "build/data.rs"]
mod data;
#[path = "src/fingerprint.rs"]
mod fingerprint;
use data::{DATA, Row};
use fingerprint::fingerprint;

/// Writes `pub(crate) const NAME: [TY; N] = [..];`.
fn array<T: std::fmt::Display>(
    w: &mut String,
    name: &str,
    ty: &str,
    items: impl Iterator<Item = T>,
) {
    let items: Vec<String> = items.map(|i| i.to_string()).collect();
    let (n, items) = (items.len(), items.join(", "));
    writeln!(w, "pub(crate) const {name}: [{ty}; {n}] = [{items}];").unwrap();
}

/// Writes a `const fn` that is one `match c` with these arms.
fn matcher(w: &mut String, signature: &str, arms: impl Iterator<Item = String>) {
    writeln!(w, "pub(crate) const fn {signature} {{\n    match c {{").unwrap();
    for arm in arms {
        writeln!(w, "        {arm},").unwrap();
    }
    w.push_str("    }\n}\n");
}

fn main() {
    println!("cargo::rerun-if-changed={DATA}");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=build/data.rs");
    println!("cargo::rerun-if-changed=src/fingerprint.rs");
    let text = fs::read_to_string(DATA).expect("read data/errors.tsv");
    let rows = data::parse(&text).unwrap_or_else(|e| panic!("{e}"));
    let on = |g: &str| env::var_os(format!("CARGO_FEATURE_{}", g.to_uppercase())).is_some();
    let rows: Vec<Row> = rows.into_iter().filter(|r| on(r.group)).collect();
    let descriptions = on("descriptions");
    assert!(
        rows.len() <= 256,
        "more than 256 codes do not fit `repr(u8)`"
    );

    // The perfect hash first (phf's ptrhash over the fingerprints): it
    // decides the variants' order. Variant k is the row in slot k, so a
    // slot index is the code and no slot table is stored.
    let fps: Vec<u32> = rows
        .iter()
        .map(|r| fingerprint(r.name.as_bytes()))
        .collect();
    for (i, fp) in fps.iter().enumerate() {
        if let Some(j) = fps[..i].iter().position(|f| f == fp) {
            let (a, b) = (rows[j].name, rows[i].name);
            panic!("{a} and {b} share a fingerprint: change src/fingerprint.rs");
        }
    }
    let state = phf_generator::ptrhash::generate_hash_with_hash_fn(&fps, |fp: &u32, seed: &u64| {
        fingerprint::hash(*fp, *seed)
    });
    let by_slot: Vec<&Row> = state.map.iter().map(|&i| &rows[i]).collect();

    let mut out = String::new();
    let w = &mut out;
    w.push_str(
        "/// An S3 error code: one byte, `Copy`, one variant per enabled row of the table.\n",
    );
    w.push_str("///\n/// The variant name is the wire string S3 returns in `<Code>`.\n");
    w.push_str("#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]\n");
    w.push_str("#[cfg_attr(feature = \"defmt\", derive(defmt::Format))]\n");
    // `repr(u8)` is refused on an enum with no variants (every group off).
    let repr = if rows.is_empty() { "" } else { "#[repr(u8)]\n" };
    w.push_str(&format!("#[non_exhaustive]\n{repr}pub enum ErrorCode {{\n"));
    for r in &by_slot {
        let doc = format!(
            "{} · HTTP {} · group `{}`",
            r.description, r.status, r.group
        );
        writeln!(w, "    #[doc = {doc:?}]\n    {},", r.name).unwrap();
    }
    w.push_str("}\n");

    let lens = || rows.iter().map(|r| r.name.len());
    writeln!(
        w,
        "pub(crate) const MAX_NAME_LEN: usize = {};",
        lens().max().unwrap_or(0)
    )
    .unwrap();
    writeln!(
        w,
        "pub(crate) const MIN_NAME_LEN: usize = {};",
        lens().min().unwrap_or(1)
    )
    .unwrap();
    let all: Vec<String> = rows
        .iter()
        .map(|r| format!("ErrorCode::{}", r.name))
        .collect();
    writeln!(
        w,
        "pub(crate) const ALL: &[ErrorCode] = &[{}];",
        all.join(", ")
    )
    .unwrap();

    // Name and description of each code back to back in one string, cut by
    // one table of u16 bounds and the names' lengths: 3 bytes a code.
    let record = |r: &Row| {
        let description = if descriptions { r.description } else { "" };
        format!("{}{description}", r.name)
    };
    let records: String = by_slot.iter().map(|r| record(r)).collect();
    assert!(
        records.len() <= usize::from(u16::MAX),
        "the strings exceed 64 KiB"
    );
    writeln!(w, "pub(crate) const RECORDS: &str = {records:?};").unwrap();
    let mut end = 0;
    let ends = by_slot.iter().map(|r| {
        end += record(r).len();
        end
    });
    array(w, "RECORD_BOUNDS", "u16", std::iter::once(0).chain(ends));
    if descriptions {
        array(w, "NAME_LENS", "u8", by_slot.iter().map(|r| r.name.len()));
    }

    // Statuses: an index into the distinct ones (stored above the lowest),
    // packed two a byte when there are at most 16 (the seed has 14).
    let mut statuses: Vec<u16> = rows.iter().map(|r| r.status).collect();
    statuses.sort_unstable();
    statuses.dedup();
    assert!(statuses.len() <= 256, "more than 256 distinct statuses");
    let base = statuses.first().copied().unwrap_or(0);
    let wide = statuses.iter().any(|&s| s - base > 255);
    writeln!(w, "pub(crate) const STATUS_BASE: u16 = {base};").unwrap();
    array(
        w,
        "STATUSES",
        if wide { "u16" } else { "u8" },
        statuses.iter().map(|&s| s - base),
    );
    let bits = if statuses.len() <= 16 { 4 } else { 8 };
    let index = |r: &&Row| statuses.iter().position(|&s| s == r.status).unwrap_or(0);
    let indexes: Vec<usize> = by_slot.iter().map(index).collect();
    let packed = indexes
        .chunks(8 / bits)
        .map(|c| c.iter().rev().fold(0, |acc, &v| acc << bits | v));
    writeln!(w, "pub(crate) const STATUS_BITS: usize = {bits};").unwrap();
    array(w, "STATUS_PACKED", "u8", packed);

    // Matches over the variants: LLVM makes small tables of them (and of
    // `from_slot` a bounds check); none can panic.
    let group = |g: &str| format!("{}{}", g[..1].to_uppercase(), &g[1..]);
    let seed_index = |r: &Row| rows.iter().position(|x| x.name == r.name).unwrap_or(0);
    let arm = |r: &&Row, value: String| format!("ErrorCode::{} => {value}", r.name);
    matcher(
        w,
        "group_of(c: ErrorCode) -> crate::Group",
        by_slot
            .iter()
            .map(|r| arm(r, format!("crate::Group::{}", group(r.group)))),
    );
    matcher(
        w,
        "seed_index(c: ErrorCode) -> u8",
        by_slot.iter().map(|r| arm(r, seed_index(r).to_string())),
    );
    let slots = by_slot
        .iter()
        .enumerate()
        .map(|(k, r)| format!("{k} => Some(ErrorCode::{})", r.name));
    matcher(
        w,
        "from_slot(c: usize) -> Option<ErrorCode>",
        slots.chain(["_ => None".to_string()]),
    );

    writeln!(w, "pub(crate) const SEED: u64 = {};", state.seed).unwrap();
    array(w, "PILOTS", "u8", state.pilots.iter());
    array(w, "REMAP", "u8", state.remap.iter());

    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("table.rs");
    fs::write(dest, out).expect("write table.rs");
}
