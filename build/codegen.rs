//! Writes `$OUT_DIR/table.rs` from the enabled rows and their perfect
//! hash. Every per-code table is indexed by the code's id (its
//! discriminant), up to the highest enabled id.

use std::fmt::Write as _;

use crate::data::Row;
use crate::table::Table;

/// `pub(crate) const NAME: [TY; N] = [..];`
fn array<T: std::fmt::Display>(
    w: &mut String,
    name: &str,
    ty: &str,
    items: impl Iterator<Item = T>,
) {
    let items: Vec<String> = items.map(|i| i.to_string()).collect();
    let (n, items) = (items.len(), items.join(", "));
    writeln!(w, "pub(crate) const {name}: [{ty}; {n}] = [{items}];").unwrap();
}

/// The arrays a lookup reads, written as the fields of one `static TABLES`
/// so that one base address reaches them all (one address load, not one
/// per table).
#[derive(Default)]
pub struct Fields(Vec<(&'static str, &'static str, Vec<String>)>);

impl Fields {
    fn push<T: std::fmt::Display>(
        &mut self,
        name: &'static str,
        ty: &'static str,
        items: impl Iterator<Item = T>,
    ) {
        self.0
            .push((name, ty, items.map(|i| i.to_string()).collect()));
    }

    /// `struct Tables { .. }` and `static TABLES: Tables`, one array field
    /// per push (the compiler lays the fields out; the order is only the
    /// source's).
    pub fn write(&self, w: &mut String) {
        w.push_str("/// The arrays a lookup reads, in one place.\npub(crate) struct Tables {\n");
        for (name, ty, items) in &self.0 {
            writeln!(w, "    pub(crate) {name}: [{ty}; {}],", items.len()).unwrap();
        }
        w.push_str("}\npub(crate) static TABLES: Tables = Tables {\n");
        for (name, _, items) in &self.0 {
            writeln!(w, "    {name}: [{}],", items.join(", ")).unwrap();
        }
        w.push_str("};\n");
    }
}

/// A `const fn` that is one `match` with these arms.
fn matcher(w: &mut String, signature: &str, arms: impl Iterator<Item = String>) {
    writeln!(w, "pub(crate) const fn {signature} {{\n    match c {{").unwrap();
    for arm in arms {
        writeln!(w, "        {arm},").unwrap();
    }
    w.push_str("    }\n}\n");
}

/// The row of each id from 0 to the highest enabled one (`None` where the
/// id is retired or its group is off).
fn by_id<'r, 'a>(rows: &'r [Row<'a>]) -> Vec<Option<&'r Row<'a>>> {
    let top = rows
        .iter()
        .map(|r| usize::from(r.id) + 1)
        .max()
        .unwrap_or(0);
    (0..top)
        .map(|id| rows.iter().find(|r| usize::from(r.id) == id))
        .collect()
}

/// The enum: variants in id order, each with its id as discriminant.
pub fn enum_decl(w: &mut String, rows: &[Row]) {
    w.push_str(
        "/// An S3 error code: one byte, `Copy`, one variant per enabled row of the table.\n",
    );
    w.push_str("///\n/// The variant name is the wire string S3 returns in `<Code>`, with its\n");
    w.push_str("/// dots removed (`KMS.DisabledException` is `KMSDisabledException`;\n");
    w.push_str("/// [`ErrorCode::as_str`] gives the wire string); the discriminant is the\n");
    w.push_str("/// code's permanent id (see [`ErrorCode::id`]).\n");
    w.push_str("#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]\n");
    w.push_str("#[cfg_attr(feature = \"defmt\", derive(defmt::Format))]\n");
    // `repr(u8)` is refused on an enum with no variants (every group off).
    let repr = if rows.is_empty() { "" } else { "#[repr(u8)]\n" };
    write!(w, "#[non_exhaustive]\n{repr}pub enum ErrorCode {{\n").unwrap();
    for r in rows {
        let mut doc = format!("{} · HTTP {} · id {}", r.description, r.status, r.id);
        let variant = r.variant();
        if variant != r.name {
            doc = format!("`{}`: {doc}", r.name);
            writeln!(w, "    #[doc(alias = {:?})]", r.name).unwrap();
        }
        let badge = format!("#[cfg_attr(docsrs, doc(cfg(feature = {:?})))]", r.group);
        writeln!(
            w,
            "    #[doc = {doc:?}]\n    {badge}\n    {variant} = {},",
            r.id
        )
        .unwrap();
    }
    w.push_str("}\n");
}

/// `ALL`, the name-length bounds, `from_id` and `group_of`.
pub fn lists(w: &mut String, rows: &[Row]) {
    let lens = || rows.iter().map(|r| r.name.len());
    let (max, min) = (lens().max().unwrap_or(0), lens().min().unwrap_or(1));
    writeln!(w, "pub(crate) const MAX_NAME_LEN: usize = {max};").unwrap();
    writeln!(w, "pub(crate) const MIN_NAME_LEN: usize = {min};").unwrap();
    let all: Vec<String> = rows
        .iter()
        .map(|r| format!("ErrorCode::{}", r.variant()))
        .collect();
    writeln!(
        w,
        "pub(crate) const ALL: &[ErrorCode] = &[{}];",
        all.join(", ")
    )
    .unwrap();
    let ids = rows
        .iter()
        .map(|r| format!("{} => Some(ErrorCode::{})", r.id, r.variant()));
    matcher(
        w,
        "from_id(c: u8) -> Option<ErrorCode>",
        ids.chain(["_ => None".into()]),
    );
    let group = |g: &str| format!("{}{}", g[..1].to_uppercase(), &g[1..]);
    let groups = rows.iter().map(|r| {
        format!(
            "ErrorCode::{} => crate::Group::{}",
            r.variant(),
            group(r.group)
        )
    });
    matcher(w, "group_of(c: ErrorCode) -> crate::Group", groups);
}

/// Each code's name and description back to back in one string, cut by
/// one `u16` bounds table (and the names' lengths): 3 bytes an id.
pub fn records(w: &mut String, f: &mut Fields, rows: &[Row], descriptions: bool) {
    let ids = by_id(rows);
    let record = |r: &Option<&Row>| match r {
        Some(r) if descriptions => format!("{}{}", r.name, r.description),
        Some(r) => r.name.to_string(),
        None => String::new(),
    };
    let records: String = ids.iter().map(record).collect();
    assert!(
        records.len() <= usize::from(u16::MAX),
        "the strings exceed 64 KiB"
    );
    writeln!(w, "pub(crate) const RECORDS: &str = {records:?};").unwrap();
    let mut end = 0;
    let ends = ids.iter().map(|r| {
        end += record(r).len();
        end
    });
    f.push("bounds", "u16", std::iter::once(0).chain(ends));
    if descriptions {
        f.push(
            "name_lens",
            "u8",
            ids.iter().map(|r| r.map_or(0, |r| r.name.len())),
        );
    }
}

/// Statuses: an index into the distinct ones (stored above the lowest),
/// packed two a byte when there are at most 16 (the seed has 14).
pub fn statuses(w: &mut String, rows: &[Row]) {
    let mut statuses: Vec<u16> = rows.iter().map(|r| r.status).collect();
    statuses.sort_unstable();
    statuses.dedup();
    assert!(statuses.len() <= 256, "more than 256 distinct statuses");
    let base = statuses.first().copied().unwrap_or(0);
    let wide = statuses.iter().any(|&s| s - base > 255);
    writeln!(w, "pub(crate) const STATUS_BASE: u16 = {base};").unwrap();
    let ty = if wide { "u16" } else { "u8" };
    let bits = if statuses.len() <= 16 { 4 } else { 8 };
    // Packed 4-bit indexes: one entry for each of their 16 values (the
    // unused ones 0), so that `status()` needs no bounds check.
    let len = if bits == 4 { 16 } else { statuses.len() };
    let entries = statuses
        .iter()
        .map(|&s| s - base)
        .chain(std::iter::repeat(0))
        .take(len);
    array(w, "STATUSES", ty, entries);
    let index = |r: &Option<&Row>| {
        r.map_or(0, |r| {
            statuses.iter().position(|&s| s == r.status).unwrap_or(0)
        })
    };
    let indexes: Vec<usize> = by_id(rows).iter().map(index).collect();
    let packed = indexes
        .chunks(8 / bits)
        .map(|c| c.iter().rev().fold(0, |acc, &v| acc << bits | v));
    writeln!(w, "pub(crate) const STATUS_BITS: usize = {bits};").unwrap();
    array(w, "STATUS_PACKED", "u8", packed);
}

/// The perfect hash: key, seed, hashed pilots, and the code in each slot
/// with its name's length.
pub fn hash(w: &mut String, f: &mut Fields, rows: &[Row], table: &Table) {
    writeln!(
        w,
        "pub(crate) const KEY: crate::lookup::fingerprint::Key = crate::lookup::fingerprint::Key::{:?};",
        table.key
    )
    .unwrap();
    writeln!(w, "pub(crate) const SEED: u64 = {};", table.seed).unwrap();
    f.push("pilots", "u32", table.pilots.iter());
    let slots = table
        .slots
        .iter()
        .map(|&k| format!("ErrorCode::{}", rows[k].variant()));
    f.push("slots", "ErrorCode", slots);
    // Each slot's name length beside its code: a miss whose length differs
    // (most of them) ends after this one load, without reading the code's
    // own tables.
    f.push(
        "slot_lens",
        "u8",
        table.slots.iter().map(|&k| rows[k].name.len()),
    );
}
