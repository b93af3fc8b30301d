//! The bytes of the generated static tables, bounded on the host (no
//! firmware build needed): a table that grows past the bound fails
//! `cargo test`. The bounds are the measurement thresholds' (in the
//! project tool's one thresholds file), where `cargo xtask size --check`
//! holds the same table, with its code, to the flash bounds.

use core::mem::size_of_val;

use crate::code::table;

#[path = "../xtask/src/thresholds.rs"]
#[allow(dead_code)]
mod thresholds;

/// Every byte the generated tables put in a binary: the names and
/// descriptions, the perfect hash's arrays and the per-id offsets
/// (`TABLES`), the statuses and the list of codes.
fn table_bytes() -> usize {
    table::RECORDS.len()
        + size_of_val(&table::TABLES)
        + size_of_val(&table::STATUSES)
        + size_of_val(&table::STATUS_PACKED)
        + size_of_val(table::ALL)
}

#[test]
fn the_static_tables_stay_within_the_flash_bound() {
    let (with, without) = if cfg!(feature = "aws") {
        thresholds::HOST_TABLE_MAX_AWS
    } else {
        thresholds::HOST_TABLE_MAX
    };
    let max = if cfg!(feature = "descriptions") {
        with
    } else {
        without
    };
    let bytes = table_bytes();
    extern crate std;
    std::println!("static tables: {bytes} B (bound {max} B)");
    assert!(
        bytes <= max,
        "the generated tables take {bytes} B, more than the {max} B bound \
         (xtask/src/thresholds.rs, HOST_TABLE_MAX or HOST_TABLE_MAX_AWS)"
    );
}
