//! The data file's format and validation: the one reader of
//! `data/errors.tsv`. Mounted with `#[path]` by `build.rs`, the tests
//! (`tests/behaviour/data.rs`), the benches' build scripts, the firmware's
//! build script, `xtask` and the C API's generator, so all of them run the
//! same checks.
//!
//! A row is `id<TAB>name<TAB>status<TAB>group<TAB>description`. The id is
//! the code's permanent `u8` (`ErrorCode as u8`). A removed code stays in
//! the file with the group `retired`, so its id is never given again; a new
//! code takes the next free id (the number of rows).
//!
//! A name is the wire string, exactly: one or more `[A-Za-z][A-Za-z0-9]*`
//! segments joined by single dots (`KMS.DisabledException`). The Rust
//! variant is the name with its dots removed ([`Row::variant`]); the build
//! refuses a table where a variant equals another row's variant or wire
//! name.

use std::collections::HashSet;

pub const DATA: &str = "data/errors.tsv";
pub const GROUPS: [&str; 4] = ["s3", "iam", "zenko", "aws"];
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

    /// The Rust variant (and C constant suffix): the wire name with its
    /// dots removed.
    pub fn variant(&self) -> String {
        variant(self.name)
    }
}

/// The wire name `name` with its dots removed.
pub fn variant(name: &str) -> String {
    name.replace('.', "")
}

/// Whether `name` is one or more `[A-Za-z][A-Za-z0-9]*` segments joined
/// by single dots.
pub fn valid_name(name: &str) -> bool {
    name.split('.').all(|seg| {
        seg.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
            && seg.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

/// The first pair of rows whose variants clash: a variant equal to another
/// row's variant or to another row's wire name (so `ErrorCode::X` always
/// means the code whose wire name is `X` when such a code exists).
pub fn collision(rows: &[Row]) -> Option<String> {
    for (i, a) in rows.iter().enumerate() {
        for b in &rows[i + 1..] {
            let (va, vb) = (a.variant(), b.variant());
            if va == vb || va == b.name || vb == a.name {
                return Some(format!(
                    "`{}` (id {}) and `{}` (id {}) give the same Rust variant `{}`: \
                     the variant is the wire name without its dots, and must be unique",
                    a.name,
                    a.id,
                    b.name,
                    b.id,
                    if va == vb || va == b.name { va } else { vb }
                ));
            }
        }
    }
    None
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
    if let Some(e) = collision(&rows) {
        return Err(format!("{DATA}: {e}"));
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
    if !valid_name(name) {
        return Err(format!(
            "name `{name}` is not ASCII `[A-Za-z][A-Za-z0-9]*` segments joined by single dots"
        ));
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
