//! Passes the link scripts: the board's memory map (memory.x, which
//! riscv-rt's link.x wants first), riscv-rt's link.x and defmt's defmt.x.
//! Here and not in .cargo/config.toml: RUSTFLAGS in the environment (e.g.
//! `-D warnings` in CI) would replace config rustflags.

use std::{env, fs, path::PathBuf};

fn main() {
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::copy("memory.x", out.join("memory.x")).expect("memory.x is readable");
    println!("cargo::rustc-link-search={}", out.display());
    println!("cargo::rerun-if-changed=memory.x");
    println!("cargo::rerun-if-changed=build.rs");
    for arg in ["--nmagic", "-Tmemory.x", "-Tlink.x", "-Tdefmt.x"] {
        println!("cargo::rustc-link-arg={arg}");
    }
}
