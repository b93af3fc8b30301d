//! Reads `data/errors.tsv`, validates it, and writes `$OUT_DIR/table.rs`:
//! the `ErrorCode` enum (only the groups whose features are on), its
//! per-code tables and the `phf` map from name to code.

use std::fmt::Write as _;
use std::{env, fs, path::Path};

#[path = "build/data.rs"]
mod data;
use data::{DATA, Row};

fn main() {
    println!("cargo::rerun-if-changed={DATA}");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=build/data.rs");
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

    // Per-code tables as exhaustive matches: no index, so no panic path.
    let table = |w: &mut String, f: &str, ty: &str, val: &dyn Fn(&Row) -> String| {
        writeln!(
            w,
            "pub(crate) const fn {f}(c: ErrorCode) -> {ty} {{\n    match c {{"
        )
        .unwrap();
        for r in &rows {
            writeln!(w, "        ErrorCode::{} => {},", r.name, val(r)).unwrap();
        }
        w.push_str("    }\n}\n\n");
    };
    table(w, "name_of", "&'static str", &|r| format!("{:?}", r.name));
    table(w, "status_of", "u16", &|r| r.status.to_string());
    table(w, "group_of", "crate::Group", &|r| {
        let g = r.group;
        format!("crate::Group::{}{}", g[..1].to_uppercase(), &g[1..])
    });
    if descriptions {
        table(w, "description_of", "&'static str", &|r| {
            format!("{:?}", r.description)
        });
    }

    let mut map = phf_codegen::Map::new();
    for r in &rows {
        map.entry(r.name, format!("ErrorCode::{}", r.name));
    }
    writeln!(
        w,
        "pub(crate) static MAP: phf::Map<&'static str, ErrorCode> = {};",
        map.build()
    )
    .unwrap();

    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("table.rs");
    fs::write(dest, out).expect("write table.rs");
}
