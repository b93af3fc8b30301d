//! Reads `data/errors.tsv`, validates it, builds phf's perfect hash over
//! the enabled names, checks that the run-time probe finds every one of
//! them, and writes `$OUT_DIR/table.rs`: the `ErrorCode` enum (only the
//! groups whose features are on, each variant's discriminant its
//! permanent id) and its tables.

use std::{env, fs, path::Path};

#[path = "build/codegen.rs"]
mod codegen;
#[path = "build/data.rs"]
mod data;
#[path = "src/lookup/fingerprint.rs"]
mod fingerprint;
#[path = "src/lookup/probe.rs"]
mod probe;
#[path = "build/table.rs"]
mod table;

fn main() {
    for path in [
        data::DATA,
        "build.rs",
        "build",
        "src/lookup/fingerprint.rs",
        "src/lookup/probe.rs",
    ] {
        println!("cargo::rerun-if-changed={path}");
    }
    let text = fs::read_to_string(data::DATA).expect("read data/errors.tsv");
    let all = data::parse(&text).unwrap_or_else(|e| panic!("{e}"));
    let on = |g: &str| env::var_os(format!("CARGO_FEATURE_{}", g.to_uppercase())).is_some();
    let rows: Vec<data::Row> = all
        .into_iter()
        .filter(|r| !r.retired() && on(r.group))
        .collect();

    let names: Vec<&str> = rows.iter().map(|r| r.name).collect();
    let table = table::build(&names);
    table::verify(&names, &table, probe::probe).unwrap_or_else(|e| panic!("{e}"));

    let (mut out, mut tables) = (String::new(), codegen::Fields::default());
    codegen::enum_decl(&mut out, &rows);
    codegen::lists(&mut out, &rows);
    codegen::hash(&mut out, &mut tables, &rows, &table);
    codegen::records(&mut out, &mut tables, &rows, on("descriptions"));
    codegen::statuses(&mut out, &rows);
    tables.write(&mut out);
    let dest = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("table.rs");
    fs::write(dest, out).expect("write table.rs");
}
