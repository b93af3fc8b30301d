//! The perfect hash over the enabled names, and the check that the
//! run-time probe finds every one of them. Shared by `build.rs` and
//! `tests/data_validation.rs` (which shows the check refusing bad tables).

use crate::fingerprint::fingerprint;

/// The phf_generator release whose ptrhash placement `src/probe.rs` was
/// verified against.
pub const VERIFIED_GENERATOR: &str = "0.14.0";

/// phf's ptrhash table, with the generator's remap folded in: `slots[i]`
/// is the index (into the names given to [`build`]) of the name in slot
/// `i`, for every slot the probe can return.
pub struct Table {
    pub seed: u64,
    pub pilots: Vec<u8>,
    pub slots: Vec<usize>,
}

/// Builds the table over the names' fingerprints, or says which two names
/// share a fingerprint (no perfect hash can tell them apart).
pub fn build(names: &[&str]) -> Result<Table, String> {
    let fps: Vec<u32> = names.iter().map(|n| fingerprint(n.as_bytes())).collect();
    for (i, fp) in fps.iter().enumerate() {
        if let Some(j) = fps[..i].iter().position(|f| f == fp) {
            let (a, b) = (names[j], names[i]);
            return Err(format!(
                "{a} and {b} share a fingerprint: change src/fingerprint.rs"
            ));
        }
    }
    let state = phf_generator::ptrhash::generate_hash_with_hash_fn(&fps, |fp: &u32, seed: &u64| {
        crate::fingerprint::hash(*fp, *seed)
    });
    let remapped = state.remap.iter().map(|&r| state.map[r as usize]);
    let slots: Vec<usize> = state.map.iter().copied().chain(remapped).collect();
    if slots.len() > 256 {
        return Err(format!("{} slots do not fit a u8 index", slots.len()));
    }
    Ok(Table {
        seed: state.seed,
        pilots: state.pilots,
        slots,
    })
}

/// Probes every name with `probe` (the run-time probe, given the table's
/// seed, pilots and slot count) and refuses the table unless each one
/// lands in its own slot.
pub fn verify(
    names: &[&str],
    table: &Table,
    probe: impl Fn(&[u8], u64, &[u8], usize) -> Option<usize>,
) -> Result<(), String> {
    for (k, name) in names.iter().enumerate() {
        let slot = probe(
            name.as_bytes(),
            table.seed,
            &table.pilots,
            table.slots.len(),
        );
        if slot.and_then(|i| table.slots.get(i)) != Some(&k) {
            return Err(format!(
                "the perfect-hash table is not readable: `{name}` is not found in its own slot \
                 (probe gave {slot:?}). src/probe.rs was verified against phf_generator \
                 {VERIFIED_GENERATOR}; a different release places keys differently. Fix: \
                 `cargo update -p phf_generator --precise {VERIFIED_GENERATOR}`, or update \
                 src/probe.rs to the new placement."
            ));
        }
    }
    Ok(())
}
