//! The code counts that the crate docs and Cargo.toml's feature comments
//! give per group equal the table's (`ErrorCode::ALL`), so that adding or
//! retiring a code cannot leave a stale count behind.

extern crate std;
use std::{format, string::String, vec::Vec};

use crate::ErrorCode;

/// How many enabled codes belong to the group named `group`.
fn count(group: &str) -> usize {
    ErrorCode::ALL
        .iter()
        .filter(|c| c.group().as_str() == group)
        .count()
}

/// The `N` of every `(N codes)` in `line`.
fn counts_in(line: &str) -> Vec<usize> {
    line.split('(')
        .filter_map(|p| p.split_once(" codes)"))
        .filter_map(|(n, _)| n.parse().ok())
        .collect()
}

#[test]
#[cfg(all(feature = "s3", feature = "iam", feature = "zenko"))]
fn each_groups_code_count_in_the_docs_is_the_tables() {
    let lib = include_str!("lib.rs");
    let manifest = include_str!("../Cargo.toml");
    let lines: Vec<&str> = manifest.lines().collect();
    let mut checked = 0;
    let groups: &[&str] = if cfg!(feature = "aws") {
        &["s3", "iam", "zenko", "aws"]
    } else {
        &["s3", "iam", "zenko"]
    };
    for &group in groups {
        let want = count(group);
        assert!(want > 0, "{group}: no codes");
        // The crate docs' feature table: "//! | `s3` | yes | … (N codes) |".
        let row = format!("//! | `{group}` |");
        let docs: Vec<usize> = lib
            .lines()
            .filter(|l| l.starts_with(&row))
            .flat_map(counts_in)
            .collect();
        // Cargo.toml: the comment line just above `s3 = []`.
        let feature = format!("{group} = []");
        let at = lines.iter().position(|l| *l == feature);
        let comment: Vec<usize> = at
            .and_then(|i| i.checked_sub(1))
            .map(|i| counts_in(lines[i]))
            .unwrap_or_default();
        for (place, found) in [("src/lib.rs", docs), ("Cargo.toml", comment)] {
            let shown: String = format!("{found:?}");
            assert_eq!(
                found,
                [want],
                "{place}: `{group}` says {shown} codes, the table has {want}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 2 * groups.len());
}
