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

    let mut out = String::new();
    let w = &mut out;
    // The enum: one variant per enabled row, in data (seed) order.
    w.push_str(
        "/// An S3 error code: one byte, `Copy`, one variant per enabled row of the table.\n",
    );
    w.push_str("///\n/// The variant name is the wire string S3 returns in `<Code>`.\n");
    w.push_str("#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]\n");
    w.push_str("#[cfg_attr(feature = \"defmt\", derive(defmt::Format))]\n");
    // `repr(u8)` is refused on an enum with no variants (every group off).
    let repr = if rows.is_empty() { "" } else { "#[repr(u8)]\n" };
    w.push_str(&format!("#[non_exhaustive]\n{repr}pub enum ErrorCode {{\n"));
    for r in &rows {
        let desc = format!(
            "{} · HTTP {} · group `{}`",
            r.description, r.status, r.group
        );
        writeln!(w, "    #[doc = {desc:?}]\n    {},", r.name).unwrap();
    }
    w.push_str("}\n\n");

    let longest = rows.iter().map(|r| r.name.len()).max().unwrap_or(0);
    writeln!(w, "/// Length in bytes of the longest enabled name.\npub const MAX_NAME_LEN: usize = {longest};").unwrap();
    w.push_str("pub(crate) const ALL: &[ErrorCode] = &[\n");
    for r in &rows {
        writeln!(w, "    ErrorCode::{},", r.name).unwrap();
    }
    w.push_str("];\n\n");

    // Names and descriptions: each a single string, cut by a table of u16
    // end offsets (2 bytes per code instead of an 8-byte `&str`).
    let blob = |w: &mut String, what: &str, field: for<'r> fn(&'r Row<'r>) -> &'r str| {
        let text: String = rows.iter().map(field).collect();
        assert!(text.len() <= usize::from(u16::MAX), "{what} exceed 64 KiB");
        let mut end = 0;
        let ends: Vec<String> = rows
            .iter()
            .map(|r| {
                end += field(r).len();
                end.to_string()
            })
            .collect();
        writeln!(w, "pub(crate) const {what}: &str = {text:?};").unwrap();
        let n = rows.len();
        writeln!(
            w,
            "pub(crate) const {what}_ENDS: [u16; {n}] = [{}];\n",
            ends.join(", ")
        )
        .unwrap();
    };
    blob(w, "NAMES", |r| r.name);
    if descriptions {
        blob(w, "DESCRIPTIONS", |r| r.description);
    }

    // Statuses: one byte each, above the lowest status.
    let base = rows.iter().map(|r| r.status).min().unwrap_or(0);
    let offsets: Vec<String> = rows.iter().map(|r| (r.status - base).to_string()).collect();
    let cell = if rows.iter().all(|r| r.status - base <= 255) {
        "u8"
    } else {
        "u16"
    };
    writeln!(w, "pub(crate) const STATUS_BASE: u16 = {base};").unwrap();
    let n = rows.len();
    writeln!(
        w,
        "pub(crate) const STATUS_OFFSETS: [{cell}; {n}] = [{}];\n",
        offsets.join(", ")
    )
    .unwrap();

    w.push_str("pub(crate) const fn group_of(c: ErrorCode) -> crate::Group {\n    match c {\n");
    for r in &rows {
        let g = format!("{}{}", r.group[..1].to_uppercase(), &r.group[1..]);
        writeln!(w, "        ErrorCode::{} => crate::Group::{g},", r.name).unwrap();
    }
    w.push_str("    }\n}\n\n");

    let mut seen = std::collections::HashMap::new();
    for r in &rows {
        if let Some(other) = seen.insert(fingerprint(r.name.as_bytes()), r.name) {
            panic!(
                "{} and {other} share a fingerprint: change src/fingerprint.rs",
                r.name
            );
        }
    }
    // phf's ptrhash: a bucket per hash, a one-byte pilot per bucket that
    // moves its keys to free slots, and `REMAP` for the slots past the end.
    // Slots hold the one-byte codes; an index fits a byte (`repr(u8)`).
    assert!(
        rows.len() <= 256,
        "more than 256 codes do not fit `repr(u8)`"
    );
    let fps: Vec<u32> = rows
        .iter()
        .map(|r| fingerprint(r.name.as_bytes()))
        .collect();
    let state = phf_generator::ptrhash::generate_hash_with_hash_fn(&fps, |fp: &u32, seed: &u64| {
        fingerprint::hash(*fp, *seed)
    });
    let list = |v: &mut dyn Iterator<Item = String>| v.collect::<Vec<_>>().join(", ");
    let slots = list(
        &mut state
            .map
            .iter()
            .map(|&i| format!("ErrorCode::{}", rows[i].name)),
    );
    writeln!(w, "pub(crate) const SEED: u64 = {};", state.seed).unwrap();
    let (np, nr, ns) = (state.pilots.len(), state.remap.len(), state.map.len());
    let pilots = list(&mut state.pilots.iter().map(u8::to_string));
    writeln!(w, "pub(crate) static PILOTS: [u8; {np}] = [{pilots}];").unwrap();
    let remap = list(
        &mut state
            .remap
            .iter()
            .map(|r| u8::try_from(*r).unwrap().to_string()),
    );
    writeln!(w, "pub(crate) static REMAP: [u8; {nr}] = [{remap}];").unwrap();
    writeln!(w, "pub(crate) static SLOTS: [ErrorCode; {ns}] = [{slots}];").unwrap();

    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("table.rs");
    fs::write(dest, out).expect("write table.rs");
}
