//! The data file's format and validation, shared by `build.rs` and
//! `tests/data_validation.rs` (included with `#[path]`, so both run the
//! same checks).

use std::collections::HashSet;

pub const DATA: &str = "data/errors.tsv";
pub const GROUPS: [&str; 3] = ["s3", "iam", "zenko"];

pub struct Row<'a> {
    pub name: &'a str,
    pub status: u16,
    pub group: &'a str,
    pub description: &'a str,
}

pub fn parse(text: &str) -> Result<Vec<Row<'_>>, String> {
    let mut rows = Vec::new();
    let mut seen = HashSet::new();
    for (i, line) in text.lines().enumerate() {
        let at = format!("{DATA}:{}", i + 1);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let [name, status, group, description] = f[..] else {
            return Err(format!(
                "{at}: expected 4 tab-separated fields, found {}",
                f.len()
            ));
        };
        if f.iter().any(|s| s.trim().is_empty() || s.trim() != *s) {
            return Err(format!("{at}: empty field or stray whitespace"));
        }
        if !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(format!("{at}: name `{name}` is not an ASCII identifier"));
        }
        let status: u16 = match status.parse() {
            Ok(s) if (100..=599).contains(&s) => s,
            _ => return Err(format!("{at}: status `{status}` outside 100..=599")),
        };
        if !GROUPS.contains(&group) {
            return Err(format!("{at}: unknown group `{group}` (known: {GROUPS:?})"));
        }
        if !seen.insert(name) {
            return Err(format!("{at}: duplicate name `{name}`"));
        }
        rows.push(Row {
            name,
            status,
            group,
            description,
        });
    }
    Ok(rows)
}
