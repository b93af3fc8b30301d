//! `cargo xtask size`: the flash and RAM s3err costs in firmware.
//!
//! Section sizes of the `probe` firmware (`from_name`, then `status` and
//! `description`, on a black-boxed name) minus those of the `baseline`
//! firmware (the same program without s3err), both built from firmware/
//! with fat LTO, codegen-units 1, panic abort; on thumbv6m-none-eabi
//! (Cortex-M0) and thumbv7em-none-eabihf (M4F), at opt-level `s` and `z`,
//! per feature set (the opt-in `aws` group alone and with every group,
//! with and without descriptions, among them). For default and
//! `s3,iam,zenko`, three more rows give
//! the same program with the name looked up another way instead of
//! s3err's perfect hash (s3err's code tables kept): the byte `match`
//! (THE baseline), a `match` on `&str`, a plain `phf::Map`.

use std::path::Path;

use crate::thresholds::FLASH_MAX;
use crate::{in_firmware, only, run};

const TARGETS: [&str; 2] = ["thumbv6m-none-eabi", "thumbv7em-none-eabihf"];
const PROFILES: [(&str, &str); 2] = [("release", "s"), ("release-z", "z")];
/// `(label, cargo flags)`.
const SETS: [(&str, &[&str]); 8] = [
    ("default", &[]),
    (
        "s3,iam,zenko",
        &["--no-default-features", "--features", "s3,iam,zenko"],
    ),
    ("s3", &["--no-default-features", "--features", "s3"]),
    ("default + defmt", &["--features", "defmt"]),
    // The opt-in `aws` group alone and with every group, with and
    // without descriptions.
    (
        "aws,descriptions",
        &["--no-default-features", "--features", "aws,descriptions"],
    ),
    ("aws", &["--no-default-features", "--features", "aws"]),
    ("default + aws", &["--features", "aws"]),
    (
        "s3,iam,zenko,aws",
        &["--no-default-features", "--features", "s3,iam,zenko,aws"],
    ),
];
/// The other lookups: `(binary, what the row says)`.
const OTHERS: [(&str, &str); 3] = [
    (
        "probe_match",
        "**`match` on bytes** instead of s3err's hash",
    ),
    ("probe_match_str", "`match` on `&str` instead"),
    ("probe_phf", "plain `phf::Map` instead"),
];

/// One row: what s3err (or the other lookup) adds to the baseline.
pub struct Row {
    pub target: &'static str,
    pub opt: &'static str,
    pub features: String,
    pub text: i64,
    pub rodata: i64,
    pub data: i64,
    pub bss: i64,
}

impl Row {
    pub fn flash(&self) -> i64 {
        self.text + self.rodata + self.data
    }
}

pub fn main(args: &[String]) -> Result<(), String> {
    only(args, &["--check"], &[])?;
    let rows = measure()?;
    print!("{}", table(&rows));
    if args.iter().any(|a| a == "--check") {
        let (report, ok) = verdicts(&rows);
        print!("\n{report}");
        if !ok {
            return Err("a flash bound is broken".into());
        }
    }
    Ok(())
}

/// `llvm-size` of the pinned toolchain (`rustup component add llvm-tools`).
fn size_tool() -> Result<std::path::PathBuf, String> {
    let sysroot = run(in_firmware("rustc").args(["--print", "sysroot"]))?;
    let lib = Path::new(sysroot.trim()).join("lib/rustlib");
    for entry in std::fs::read_dir(&lib).map_err(|e| format!("{}: {e}", lib.display()))? {
        let tool = entry
            .map_err(|e| e.to_string())?
            .path()
            .join("bin/llvm-size");
        if tool.is_file() {
            return Ok(tool);
        }
    }
    Err("llvm-size not found: rustup component add llvm-tools (in firmware/)".into())
}

/// `.text`, `.rodata`, `.data`, `.bss` of an ELF.
fn sections(tool: &Path, elf: &Path) -> Result<[i64; 4], String> {
    let out = run(std::process::Command::new(tool).arg("-A").arg(elf))?;
    let mut s = [0; 4];
    for line in out.lines() {
        let mut f = line.split_whitespace();
        let (Some(name), Some(size)) = (f.next(), f.next()) else {
            continue;
        };
        if let Some(i) = [".text", ".rodata", ".data", ".bss"]
            .iter()
            .position(|&n| n == name)
        {
            s[i] = size
                .parse()
                .map_err(|_| format!("{}: `{line}`", elf.display()))?;
        }
    }
    Ok(s)
}

pub fn measure() -> Result<Vec<Row>, String> {
    let tool = size_tool()?;
    let mut rows = Vec::new();
    for target in TARGETS {
        for (profile, opt) in PROFILES {
            for (label, flags) in SETS {
                eprintln!("size: {target} {profile} {label}");
                let others = label == "default" || label == "s3,iam,zenko";
                let mut bins = vec!["baseline", "probe"];
                if others {
                    bins.extend(OTHERS.map(|o| o.0));
                }
                let mut build = in_firmware("cargo");
                build
                    .args(["build", "--quiet", "--profile", profile, "--target", target])
                    .args(flags);
                for b in &bins {
                    build.args(["--bin", b]);
                }
                run(&mut build)?;
                let dir = crate::root().join(format!("firmware/target/{target}/{profile}"));
                let base = sections(&tool, &dir.join("baseline"))?;
                let mut row = |bin: &str, features: String| -> Result<(), String> {
                    let s = sections(&tool, &dir.join(bin))?;
                    rows.push(Row {
                        target,
                        opt,
                        features,
                        text: s[0] - base[0],
                        rodata: s[1] - base[1],
                        data: s[2] - base[2],
                        bss: s[3] - base[3],
                    });
                    Ok(())
                };
                row("probe", label.to_string())?;
                if others {
                    for (bin, what) in OTHERS {
                        row(bin, format!("{label}, {what}"))?;
                    }
                }
            }
        }
    }
    Ok(rows)
}

pub fn table(rows: &[Row]) -> String {
    let mut w = String::from(
        "| target | opt-level | s3err features | .text | .rodata | .data | .bss | flash (.text+.rodata+.data) |\n\
         |---|---|---|---:|---:|---:|---:|---:|\n",
    );
    for r in rows {
        w += &format!(
            "| {} | {} | {} | {:+} | {:+} | {:+} | {:+} | **{:+}** |\n",
            r.target,
            r.opt,
            r.features,
            r.text,
            r.rodata,
            r.data,
            r.bss,
            r.flash()
        );
    }
    w
}

/// The row of `(target, opt, features)`.
pub fn find<'a>(rows: &'a [Row], target: &str, opt: &str, features: &str) -> Option<&'a Row> {
    rows.iter()
        .find(|r| r.target == target && r.opt == opt && r.features == features)
}

/// Each bound of thresholds.rs against the rows.
pub fn verdicts(rows: &[Row]) -> (String, bool) {
    let mut w = String::from("Check (xtask/src/thresholds.rs):\n");
    let mut ok = true;
    for &(target, opt, features, max) in FLASH_MAX {
        match find(rows, target, opt, features) {
            Some(r) => {
                let pass = r.flash() <= max;
                ok &= pass;
                w += &format!(
                    "{}: {target} opt-level {opt} {features}: flash {} <= {max} B\n",
                    if pass { "ok" } else { "FAIL" },
                    r.flash()
                );
            }
            None => {
                ok = false;
                w += &format!("FAIL: no row {target} {opt} {features}\n");
            }
        }
        // No RAM: s3err's tables are all in flash.
        if let Some(r) = find(rows, target, opt, features)
            && (r.data != 0 || r.bss != 0)
        {
            ok = false;
            w += &format!("FAIL: {target} {opt} {features}: s3err costs RAM\n");
        }
    }
    (w, ok)
}
