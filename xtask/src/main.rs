//! `cargo xtask`: the project's measurements and the table's names for
//! scripts. Run `cargo xtask help`.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

#[path = "../../build/data.rs"]
#[allow(dead_code)]
mod data;
mod figures;
mod icount;
mod size;
mod thresholds;

const HELP: &str = "\
usage: cargo xtask <command> [options]

  names [--group G] [--status N] [--ids]
                                   the live codes' names, one a line, in id order
                                   (with --ids: id<TAB>name)
  descriptions [--min-len N]       the live codes' descriptions of at least N bytes
  icount [--check] [--board m3|rv32]
                                   instructions per lookup under QEMU (Cortex-M3,
                                   RISC-V); --check asserts src/thresholds.rs
  size [--check]                   flash s3err adds to firmware, per target,
                                   opt-level and feature set; --check asserts
                                   the bounds in src/thresholds.rs
  figures [--check]                measures both, asserts every threshold, and
                                   writes docs/figures.md and the README's
                                   summary; --check compares them instead
                                   (figures exactly, the stamp ignored)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("names") => names(&args[1..]),
        Some("descriptions") => descriptions(&args[1..]),
        Some("icount") => icount::main(&args[1..]),
        Some("size") => size::main(&args[1..]),
        Some("figures") => figures::main(&args[1..]),
        Some("help" | "--help" | "-h") => {
            print!("{HELP}");
            Ok(())
        }
        _ => Err(format!("unknown or missing command\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The repository's root (xtask/ is one of its members).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ has a parent")
        .to_path_buf()
}

/// The live rows of data/errors.tsv, read and validated by build/data.rs.
/// The text is leaked: the tool reads it once and exits.
pub fn live_rows() -> Result<Vec<data::Row<'static>>, String> {
    let path = root().join(data::DATA);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let rows = data::parse(Box::leak(text.into_boxed_str()))?;
    Ok(rows.into_iter().filter(|r| !r.retired()).collect())
}

/// The value after `flag` in `args`, if the flag is there.
pub fn option<'a>(args: &'a [String], flag: &str) -> Result<Option<&'a str>, String> {
    match args.iter().position(|a| a == flag) {
        None => Ok(None),
        Some(i) => args
            .get(i + 1)
            .map(|v| Some(v.as_str()))
            .ok_or_else(|| format!("{flag} takes a value")),
    }
}

/// Refuses any argument not in `known` (flags) or after one of `valued`.
pub fn only(args: &[String], known: &[&str], valued: &[&str]) -> Result<(), String> {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if valued.contains(&a.as_str()) {
            it.next();
        } else if !known.contains(&a.as_str()) {
            return Err(format!("unexpected argument `{a}`\n{HELP}"));
        }
    }
    Ok(())
}

fn names(args: &[String]) -> Result<(), String> {
    only(args, &["--ids"], &["--group", "--status"])?;
    let ids = args.iter().any(|a| a == "--ids");
    let group = option(args, "--group")?;
    let status = option(args, "--status")?
        .map(|s| {
            s.parse::<u16>()
                .map_err(|_| format!("--status {s}: not a status"))
        })
        .transpose()?;
    if let Some(g) = group
        && !data::GROUPS.contains(&g)
    {
        return Err(format!("--group {g}: known groups are {:?}", data::GROUPS));
    }
    for r in live_rows()? {
        if group.is_none_or(|g| g == r.group) && status.is_none_or(|s| s == r.status) {
            if ids {
                println!("{}\t{}", r.id, r.name);
            } else {
                println!("{}", r.name);
            }
        }
    }
    Ok(())
}

fn descriptions(args: &[String]) -> Result<(), String> {
    only(args, &[], &["--min-len"])?;
    let min: usize = match option(args, "--min-len")? {
        Some(n) => n
            .parse()
            .map_err(|_| format!("--min-len {n}: not a number"))?,
        None => 0,
    };
    for r in live_rows()? {
        if r.description.len() >= min {
            println!("{}", r.description);
        }
    }
    Ok(())
}

/// A command run in firmware/, so that its own `.cargo/config.toml` and
/// `rust-toolchain.toml` (the pinned measurement toolchain) apply: the
/// variables through which the calling cargo would impose its own
/// toolchain or target directory are removed.
pub fn in_firmware(program: &str) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root().join("firmware"));
    for var in [
        "RUSTUP_TOOLCHAIN",
        "RUSTC",
        "RUSTDOC",
        "CARGO",
        "CARGO_TARGET_DIR",
        "RUSTC_WRAPPER",
    ] {
        c.env_remove(var);
    }
    c
}

/// Runs `c`, failing with its stderr unless it exits 0; returns stdout.
pub fn run(c: &mut Command) -> Result<String, String> {
    let out = c.output().map_err(|e| format!("{c:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{c:?} failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("{c:?}: {e}"))
}

/// The first line a command prints (a version).
pub fn version(c: &mut Command) -> Result<String, String> {
    Ok(run(c)?.lines().next().unwrap_or_default().to_string())
}
