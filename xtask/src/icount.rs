//! `cargo xtask icount`: exact instruction counts per lookup call under
//! QEMU, found by label.
//!
//! Builds `firmware/src/measure/icount.rs` (release, fat LTO, opt-level s) and
//! runs it twice per board with one guest instruction per translation
//! block and an unchained execution trace, so that every executed
//! instruction is one `Trace` line naming the symbol it belongs to. The
//! firmware announces each measurement through its symbols (see its
//! docs): the run `icount_run_<lookup>`, the set marker `icount_set_<set>`,
//! and one window per input between `icount_begin` and `icount_end`,
//! whose instructions outside every `icount_*` function are the count.
//! Fails unless every run exits 0 (every answer right), every expected
//! label is there exactly once, and the two runs of a board agree.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::process::Command;

use crate::thresholds::{Bound, ICOUNT, Measure};
use crate::{in_firmware, only, option, root, run, version};

/// `(board, target, QEMU, machine options, label, firmware cargo flags)`.
pub type BoardSpec = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
    &'static [&'static str],
);

/// The boards,
/// each board with the default groups, then with every group (the
/// opt-in `aws` on too; its tables are published apart).
pub const BOARDS: [BoardSpec; 4] = [
    (
        "m3",
        "thumbv7m-none-eabi",
        "qemu-system-arm",
        &["-machine", "lm3s6965evb", "-cpu", "cortex-m3"],
        "Cortex-M3 (lm3s6965evb)",
        &[],
    ),
    (
        "rv32",
        "riscv32imc-unknown-none-elf",
        "qemu-system-riscv32",
        &["-machine", "virt", "-bios", "none"],
        "RISC-V rv32imc (virt)",
        &[],
    ),
    (
        "m3-all",
        "thumbv7m-none-eabi",
        "qemu-system-arm",
        &["-machine", "lm3s6965evb", "-cpu", "cortex-m3"],
        "Cortex-M3 (lm3s6965evb), every group",
        &["--features", "aws"],
    ),
    (
        "rv32-all",
        "riscv32imc-unknown-none-elf",
        "qemu-system-riscv32",
        &["-machine", "virt", "-bios", "none"],
        "RISC-V rv32imc (virt), every group",
        &["--features", "aws"],
    ),
];

/// Whether the board measures the default groups (the README's summary
/// and the first tables) rather than every group.
pub fn default_groups(key: &str) -> bool {
    !key.ends_with("-all")
}

/// `(label, what the tables call it, the baseline its ratio is against)`:
/// name to code (or id), then name to record.
pub const LOOKUPS: [(&str, &str, &str); 9] = [
    ("s3err_name", "s3err `from_name`", "match_bytes"),
    ("s3err_bytes", "s3err `from_bytes`", "match_bytes"),
    (
        "match_bytes",
        "**`match` on bytes** (the baseline)",
        "match_bytes",
    ),
    ("match_str", "`match` on `&str`", "match_bytes"),
    ("phf", "plain `phf::Map<&str, u8>`", "match_bytes"),
    (
        "s3err_name_record",
        "s3err `from_name`, then `status()` and `description()`",
        "match_bytes_record",
    ),
    (
        "match_bytes_record",
        "**`match` on bytes** to an index into its own `[(u16, &str)]` (the baseline)",
        "match_bytes_record",
    ),
    (
        "match_str_record",
        "`match` on `&str`, the same way",
        "match_bytes_record",
    ),
    (
        "phf_record",
        "plain `phf::Map<&str, (u16, &str)>`",
        "match_bytes_record",
    ),
];

/// The miss sets (each weighs the same in the miss mean) and what the
/// detail table calls them.
pub const MISSES: [(&str, &str); 5] = [
    ("miss_flip_last", "last letter case-flipped"),
    ("miss_appended", "name + `x`"),
    ("miss_truncated", "last byte dropped"),
    ("miss_flip_first", "first letter case-flipped"),
    ("miss_foreign", "codes of other services"),
];
const LONG: [&str; 2] = ["too_long_1", "too_long_1k"];

/// Every window's count, by `(lookup, set)`.
type Counts = BTreeMap<(String, String), Vec<u64>>;

/// One lookup's figures on one board.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stats {
    pub hit_mean: f64,
    pub hit_min: u64,
    pub hit_max: u64,
    pub miss_mean: f64,
    pub miss_min: u64,
    pub miss_max: u64,
    pub miss_sets: [f64; 5],
    pub long: [u64; 2],
}

/// One board's measurement.
pub struct Board {
    pub key: &'static str,
    pub label: &'static str,
    pub stats: BTreeMap<&'static str, Stats>,
    pub hits: usize,
    pub misses: usize,
}

impl Board {
    pub fn get(&self, lookup: &str) -> &Stats {
        &self.stats[lookup]
    }
}

pub fn main(args: &[String]) -> Result<(), String> {
    only(args, &["--check"], &["--board"])?;
    let check = args.iter().any(|a| a == "--check");
    let boards: Vec<&str> = match option(args, "--board")? {
        Some(b) if BOARDS.iter().any(|x| x.0 == b) => vec![b],
        Some(b) => return Err(format!("--board {b}: m3, rv32, m3-all or rv32-all")),
        None => BOARDS.iter().map(|b| b.0).collect(),
    };
    if check && boards.len() != BOARDS.len() {
        return Err("--check needs every board".into());
    }
    let measured = measure(&boards)?;
    let (default, all): (Vec<&Board>, Vec<&Board>) =
        measured.iter().partition(|b| default_groups(b.key));
    print!("{}", tables(&default));
    if !all.is_empty() {
        print!("\nEvery group (`aws` on too):\n\n{}", tables(&all));
    }
    if check {
        let (report, ok) = verdicts(&measured);
        print!("\n{report}");
        if !ok {
            return Err("an instruction-count threshold is broken".into());
        }
    }
    Ok(())
}

/// Builds and runs the firmware on each board, twice.
pub fn measure(boards: &[&str]) -> Result<Vec<Board>, String> {
    let mut out = Vec::new();
    for &(key, target, qemu, machine, label, flags) in
        BOARDS.iter().filter(|b| boards.contains(&b.0))
    {
        eprintln!("icount: {key}: build");
        run(in_firmware("cargo")
            .args([
                "build",
                "--quiet",
                "--release",
                "--bin",
                "icount",
                "--target",
                target,
            ])
            .args(flags))?;
        let first = count(key, target, qemu, machine)?;
        let second = count(key, target, qemu, machine)?;
        if first != second {
            return Err(format!(
                "two runs on {key} disagree: the counts are not deterministic"
            ));
        }
        out.push(board(key, label, &first)?);
    }
    Ok(out)
}

/// QEMU's option for one instruction per translation block.
fn one_insn(qemu: &str) -> Result<Vec<&'static str>, String> {
    let v = version(Command::new(qemu).arg("--version"))?;
    let num = v
        .split_whitespace()
        .find(|w| w.starts_with(|c: char| c.is_ascii_digit()))
        .ok_or_else(|| format!("{qemu}: no version in `{v}`"))?;
    let mut parts = num.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    Ok(if (major, minor) >= (8, 1) {
        vec!["-accel", "tcg,one-insn-per-tb=on"]
    } else {
        vec!["-singlestep"]
    })
}

/// One traced run: every window's count under its label.
fn count(key: &str, target: &str, qemu: &str, machine: &[&str]) -> Result<Counts, String> {
    eprintln!("icount: {key}: trace");
    let dir = root().join("firmware/target/xtask");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let log = dir.join(format!("icount-{key}.log"));
    let elf = root().join(format!("firmware/target/{target}/release/icount"));
    let status = Command::new("timeout")
        .arg("300")
        .arg(qemu)
        .args(machine)
        .args(["-display", "none", "-monitor", "none", "-serial", "null"])
        .args(["-semihosting-config", "enable=on,target=native"])
        .args(one_insn(qemu)?)
        .args(["-d", "exec,nochain", "-D"])
        .arg(&log)
        .arg("-kernel")
        .arg(&elf)
        .stderr(std::process::Stdio::null())
        .status()
        .map_err(|e| format!("{qemu}: {e}"))?;
    if !status.success() {
        return Err(format!(
            "{key}: the firmware failed ({status}): a lookup gave a wrong answer"
        ));
    }
    let counts = parse(BufReader::new(File::open(&log).map_err(|e| e.to_string())?));
    let _ = std::fs::remove_file(&log);
    counts
}

/// Reads a trace: each window's count, filed under the run and the set
/// announced before it.
fn parse(trace: impl BufRead) -> Result<Counts, String> {
    let mut counts = Counts::new();
    let (mut lookup, mut set) = (None::<String>, None::<String>);
    let (mut inside, mut n, mut prev) = (false, 0u64, String::new());
    for line in trace.lines() {
        let line = line.map_err(|e| e.to_string())?;
        if !line.starts_with("Trace") {
            continue;
        }
        let sym = line.rsplit(' ').next().unwrap_or_default();
        if let Some(l) = sym.strip_prefix("icount_run_") {
            lookup = Some(l.to_string());
        } else if let Some(s) = sym.strip_prefix("icount_set_") {
            if prev != sym {
                let l = lookup.clone().ok_or("a set outside any run")?;
                let key = (l, s.to_string());
                if counts.insert(key.clone(), Vec::new()).is_some() {
                    return Err(format!("set {key:?} announced twice"));
                }
                set = Some(s.to_string());
            }
        } else if sym == "icount_begin" {
            inside = true;
            n = 0;
        } else if sym == "icount_end" {
            if inside {
                let key = (
                    lookup.clone().ok_or("a window outside any run")?,
                    set.clone().ok_or("a window outside any set")?,
                );
                counts
                    .get_mut(&key)
                    .ok_or("a window outside any set")?
                    .push(n);
            }
            inside = false;
        } else if inside && !sym.starts_with("icount_") {
            n += 1;
        }
        if prev != sym {
            prev = sym.to_string();
        }
    }
    Ok(counts)
}

fn mean(v: &[u64]) -> f64 {
    v.iter().sum::<u64>() as f64 / v.len() as f64
}

/// The figures of every lookup, each found by its label; fails if one is
/// missing or empty, or if the trace holds a label nobody asked for.
fn board(key: &'static str, label: &'static str, counts: &Counts) -> Result<Board, String> {
    let get = |l: &str, s: &str| -> Result<&Vec<u64>, String> {
        match counts.get(&(l.to_string(), s.to_string())) {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(format!("{key}: no counts for lookup `{l}`, set `{s}`")),
        }
    };
    let sets = 1 + MISSES.len() + LONG.len();
    if counts.len() != LOOKUPS.len() * sets {
        let known: Vec<_> = counts.keys().collect();
        return Err(format!(
            "{key}: {} labelled sets, expected {}: {known:?}",
            counts.len(),
            LOOKUPS.len() * sets
        ));
    }
    let mut stats = BTreeMap::new();
    let (mut hits, mut misses) = (0, 0);
    for (l, _, _) in LOOKUPS {
        let hit = get(l, "hit")?;
        let mut miss_sets = [0.0; 5];
        let (mut miss_min, mut miss_max) = (u64::MAX, 0);
        misses = 0;
        for (i, (s, _)) in MISSES.iter().enumerate() {
            let v = get(l, s)?;
            miss_sets[i] = mean(v);
            miss_min = miss_min.min(*v.iter().min().unwrap_or(&0));
            miss_max = miss_max.max(*v.iter().max().unwrap_or(&0));
            misses += v.len();
        }
        let long = [get(l, LONG[0])?[0], get(l, LONG[1])?[0]];
        hits = hit.len();
        stats.insert(
            l,
            Stats {
                hit_mean: mean(hit),
                hit_min: *hit.iter().min().unwrap_or(&0),
                hit_max: *hit.iter().max().unwrap_or(&0),
                miss_mean: miss_sets.iter().sum::<f64>() / miss_sets.len() as f64,
                miss_min,
                miss_max,
                miss_sets,
                long,
            },
        );
    }
    Ok(Board {
        key,
        label,
        stats,
        hits,
        misses,
    })
}

/// The three tables: counts, ratios to the baseline, each set alone.
pub fn tables(boards: &[&Board]) -> String {
    let mut w = String::new();
    let Some(first) = boards.first() else {
        return w;
    };
    w += &format!(
        "Instructions executed per lookup call (release, fat LTO, opt-level `s`): {} names (hits) and {} misses per lookup, two runs per board identical.\n\n",
        first.hits, first.misses
    );
    for (title, range) in [
        ("name → code", 0..5),
        ("name → record (status, description)", 5..9),
    ] {
        let lookups = &LOOKUPS[range];
        let mut head = format!("| {title} |");
        let mut rule = String::from("|---|");
        for b in boards {
            head += &format!(
                " {}: hit mean | worst hit | miss mean | worst miss |",
                b.label
            );
            rule += "---:|---:|---:|---:|";
        }
        w += &format!("{head}\n{rule}\n");
        for (l, name, _) in lookups {
            w += &format!("| {name} |");
            for b in boards {
                let s = b.get(l);
                w += &format!(
                    " {:.1} | {} | {:.1} | {} |",
                    s.hit_mean, s.hit_max, s.miss_mean, s.miss_max
                );
            }
            w += "\n";
        }
        w += "\n";
        let mut head = format!("| {title}: ratio to the byte `match` |");
        let mut rule = String::from("|---|");
        for b in boards {
            head += &format!(
                " {}: hit mean | miss mean | worst hit / own mean hit |",
                b.label
            );
            rule += "---:|---:|---:|";
        }
        w += &format!("{head}\n{rule}\n");
        for (l, name, base) in lookups {
            w += &format!("| {name} |");
            for b in boards {
                let (s, m) = (b.get(l), b.get(base));
                w += &format!(
                    " {:.2} | {:.2} | {:.2} |",
                    s.hit_mean / m.hit_mean,
                    s.miss_mean / m.miss_mean,
                    s.hit_max as f64 / s.hit_mean
                );
            }
            w += "\n";
        }
        w += "\n";
    }
    w += "| board | lookup | hit, min–max |";
    for (_, name) in MISSES {
        w += &format!(" miss: {name} |");
    }
    w += " miss, min–max | too long (longest + 1 B) | too long (1 KiB) |\n|---|---|---:|";
    w += &"---:|".repeat(MISSES.len() + 3);
    w += "\n";
    for b in boards {
        for (l, name, _) in LOOKUPS {
            let s = b.get(l);
            w += &format!("| {} | {name} | {}–{} |", b.label, s.hit_min, s.hit_max);
            for m in s.miss_sets {
                w += &format!(" {m:.1} |");
            }
            w += &format!(
                " {}–{} | {} | {} |\n",
                s.miss_min, s.miss_max, s.long[0], s.long[1]
            );
        }
    }
    w
}

/// Each rule of thresholds.rs against the measurement: the report, and
/// whether every rule holds.
pub fn verdicts(boards: &[Board]) -> (String, bool) {
    let mut w = String::from("Check (xtask/src/thresholds.rs):\n");
    let mut ok = true;
    for &(board, lookup, measure, bound) in ICOUNT {
        let Some(b) = boards.iter().find(|b| b.key == board) else {
            w += &format!("FAIL: board {board} not measured\n");
            ok = false;
            continue;
        };
        let pick = |s: &Stats| match measure {
            Measure::Hit => s.hit_mean,
            Measure::Miss => s.miss_mean,
            Measure::WorstHit => s.hit_max as f64 / s.hit_mean,
        };
        let what = match measure {
            Measure::Hit => "mean hit",
            Measure::Miss => "mean miss",
            Measure::WorstHit => "worst hit / mean hit",
        };
        let value = pick(b.get(lookup));
        let (limit, how) = match bound {
            Bound::Times(base, k) => {
                let v = pick(b.get(base));
                (k * v, format!("{k} x {base} {v:.1}"))
            }
            Bound::Count(c) | Bound::Ratio(c) => (c, format!("{c}")),
        };
        let pass = value <= limit;
        ok &= pass;
        w += &format!(
            "{}: {board} {lookup} {what} {value:.2} <= {how}\n",
            if pass { "ok" } else { "FAIL" }
        );
    }
    (w, ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trace(syms: &[&str]) -> String {
        syms.iter()
            .map(|s| format!("Trace 0: 0x0 [0/0/0/0] {s}\n"))
            .collect()
    }

    #[test]
    fn counts_are_filed_by_label_not_by_position() {
        let t = trace(&[
            "icount_run_b",
            "icount_set_hit",
            "icount_set_hit",
            "icount_begin",
            "icount_run_b",
            "lookup_b",
            "lookup_b",
            "memcmp",
            "icount_run_b",
            "icount_end",
            "icount_run_a",
            "icount_set_miss",
            "icount_begin",
            "lookup_a",
            "icount_end",
            "icount_begin",
            "lookup_a",
            "lookup_a",
            "icount_end",
        ]);
        let c = parse(t.as_bytes()).unwrap();
        assert_eq!(c[&("b".into(), "hit".into())], [3]);
        assert_eq!(c[&("a".into(), "miss".into())], [1, 2]);
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn a_set_announced_twice_is_refused() {
        let t = trace(&[
            "icount_run_a",
            "icount_set_hit",
            "lookup_a",
            "icount_set_hit",
        ]);
        assert!(parse(t.as_bytes()).is_err());
    }
}
