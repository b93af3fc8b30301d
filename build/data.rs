//! The data file's format and validation, shared by `build.rs` and
//! `tests/data_validation.rs` (included with `#[path]`, so both run the
//! same checks).
//!
//! A row is `id<TAB>name<TAB>status<TAB>group<TAB>description`. The id is
//! the code's permanent `u8` (`ErrorCode as u8`). A removed code stays in
//! the file with the group `retired`, so its id is never given again; a new
//! code takes the next free id (the number of rows).

use std::collections::HashSet;

pub const DATA: &str = "data/errors.tsv";
pub const GROUPS: [&str; 3] = ["s3", "iam", "zenko"];
/// The group of a row whose code was removed: its id stays taken.
pub const RETIRED: &str = "retired";

pub struct Row<'a> {
    pub id: u8,
    pub name: &'a str,
    pub status: u16,
    /// One of [`GROUPS`], or [`RETIRED`].
    pub group: &'a str,
    pub description: &'a str,
}

impl Row<'_> {
    pub fn retired(&self) -> bool {
        self.group == RETIRED
    }
}

/// Every row of `text`, retired ones included, in file order.
pub fn parse(text: &str) -> Result<Vec<Row<'_>>, String> {
    let mut rows = Vec::new();
    let (mut names, mut ids) = (HashSet::new(), HashSet::new());
    for (i, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at = format!("{DATA}:{}", i + 1);
        let row = parse_row(line).map_err(|e| format!("{at}: {e}"))?;
        if !names.insert(row.name) {
            return Err(format!("{at}: duplicate name `{}`", row.name));
        }
        if !ids.insert(row.id) {
            return Err(format!(
                "{at}: id {} is already taken (ids are never reused)",
                row.id
            ));
        }
        rows.push(row);
    }
    // Ids are 0..rows: a gap means a row was deleted instead of retired.
    if let Some(gap) = (0..rows.len()).find(|&k| !ids.contains(&(k as u8))) {
        return Err(format!(
            "{DATA}: id {gap} is missing: a removed code stays in the file with group `{RETIRED}`, \
             and a new code takes the next free id ({})",
            rows.len()
        ));
    }
    Ok(rows)
}

fn parse_row(line: &str) -> Result<Row<'_>, String> {
    let f: Vec<&str> = line.split('\t').collect();
    let [id, name, status, group, description] = f[..] else {
        return Err(format!(
            "expected 5 tab-separated fields, found {}",
            f.len()
        ));
    };
    if f.iter().any(|s| s.trim().is_empty() || s.trim() != *s) {
        return Err("empty field or stray whitespace".into());
    }
    let id: u8 = match id.parse::<u8>() {
        Ok(id) if id.to_string() == f[0] => id,
        _ => return Err(format!("id `{id}` is not a number in 0..=255")),
    };
    if !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(format!("name `{name}` is not an ASCII identifier"));
    }
    let status: u16 = match status.parse() {
        Ok(s) if (100..=599).contains(&s) => s,
        _ => return Err(format!("status `{status}` outside 100..=599")),
    };
    if !GROUPS.contains(&group) && group != RETIRED {
        return Err(format!(
            "unknown group `{group}` (known: {GROUPS:?} and `{RETIRED}`)"
        ));
    }
    Ok(Row {
        id,
        name,
        status,
        group,
        description,
    })
}
