//! Prints the public API of s3err, every feature on, one item a line,
//! without blanket and auto-trait impls (they change with the nightly,
//! not with s3err). `.ci/run` compares it with `docs/public-api.txt`.
//!
//! Run from the repository root: `cargo run --manifest-path
//! tools/public-api/Cargo.toml > docs/public-api.txt`.

use std::path::Path;
use std::process::{Command, ExitCode};

/// The nightly whose rustdoc JSON `public-api` (pinned in Cargo.toml)
/// reads; the two change together.
const NIGHTLY: &str = "nightly-2026-05-19";

fn main() -> ExitCode {
    let target = Path::new("target/public-api");
    let status = Command::new("cargo")
        .arg(format!("+{NIGHTLY}"))
        .args(["rustdoc", "-q", "-p", "s3err", "--lib", "--all-features"])
        .arg("--target-dir")
        .arg(target)
        .args(["--", "-Z", "unstable-options", "--output-format", "json"])
        .status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("public-api: `cargo +{NIGHTLY} rustdoc` failed");
        return ExitCode::FAILURE;
    }
    let json = target.join("doc/s3err.json");
    let api = public_api::Builder::from_rustdoc_json(&json)
        .omit_blanket_impls(true)
        .omit_auto_trait_impls(true)
        .build();
    match api {
        Ok(api) => {
            for item in api.items() {
                println!("{item}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("public-api: {}: {e}", json.display());
            ExitCode::FAILURE
        }
    }
}
