//! The perfect hash over the enabled names, and the check that the
//! run-time probe finds every one of them. Shared through `#[path]` by
//! `build.rs`, `tests/behaviour/data.rs` (which shows the check refusing
//! bad tables) and `benches/scale`, so it names the lookup files it uses
//! as siblings (`super::fingerprint`), as they name each other.

use super::fingerprint::{Key, fingerprint, hash};

/// The phf_generator release whose ptrhash placement `src/lookup/probe.rs` (and
/// [`pilot_hash`]) was verified against.
pub const VERIFIED_GENERATOR: &str = "0.14.0";

/// phf's ptrhash table, with the generator's remap folded in: `slots[i]`
/// is the index (into the names given to [`build`]) of the name in slot
/// `i`, for every slot the probe can return; `pilots` holds each bucket's
/// pilot already hashed.
pub struct Table {
    pub key: Key,
    pub seed: u64,
    pub pilots: Vec<u32>,
    pub slots: Vec<usize>,
}

/// How phf_generator 0.14's ptrhash mixes a bucket's pilot into the slot
/// (`hash_pilot`, then high half xor low half), done once per bucket here
/// instead of on every lookup.
fn pilot_hash(seed: u64, pilot: u8) -> u32 {
    let h = (seed ^ u64::from(pilot)).wrapping_mul(0x517c_c1b7_2722_0a95);
    (h >> 32) as u32 ^ h as u32
}

/// The first key under which no two of `names` share a fingerprint: three
/// words if some tell them apart (the first word, the last word and one
/// between them come first), else every byte with the first salt that
/// does. Any set of distinct names gets one.
pub fn choose_key(names: &[&str]) -> Key {
    let shortest = names.iter().map(|n| n.len()).min().unwrap_or(0);
    let distinct = |key: Key| {
        let mut fps: Vec<u32> = names
            .iter()
            .map(|n| fingerprint(n.as_bytes(), key))
            .collect();
        fps.sort_unstable();
        fps.windows(2).all(|w| w[0] != w[1])
    };
    let fits = move |p: &usize| p + 4 <= shortest;
    let mids = [4, 2, 6, 8, 1, 3, 5, 7, 10, 12, 16]
        .into_iter()
        .filter(fits);
    let preferred = mids.map(|mid| Key::Words {
        head: 0,
        mid,
        tail: 4,
    });
    let heads = (0..=8).filter(fits);
    let others = heads.flat_map(move |head| {
        let mids = (head + 1..=16).filter(fits);
        mids.flat_map(move |mid| {
            (4..=shortest.min(12)).map(move |tail| Key::Words { head, mid, tail })
        })
    });
    let whole = (0..).map(|salt| Key::Whole { salt });
    let words = if shortest >= 4 {
        Some(preferred.chain(others))
    } else {
        None
    };
    words
        .into_iter()
        .flatten()
        .chain(whole)
        .find(|&k| distinct(k))
        .expect("an unbounded search")
}

/// Builds the table over the names' fingerprints under [`choose_key`]
/// (which gives any set of distinct names a key with no shared
/// fingerprint, so this cannot fail).
pub fn build(names: &[&str]) -> Table {
    let key = choose_key(names);
    let fps: Vec<u32> = names
        .iter()
        .map(|n| fingerprint(n.as_bytes(), key))
        .collect();
    let state = phf_generator::ptrhash::generate_hash_with_hash_fn(&fps, |fp: &u32, seed: &u64| {
        hash(*fp, *seed)
    });
    let remapped = state.remap.iter().map(|&r| state.map[r as usize]);
    let slots: Vec<usize> = state.map.iter().copied().chain(remapped).collect();
    let pilots = state
        .pilots
        .iter()
        .map(|&p| pilot_hash(state.seed, p))
        .collect();
    Table {
        key,
        seed: state.seed,
        pilots,
        slots,
    }
}

/// The run-time probe's signature: name, key, seed, hashed pilots, slots.
pub type Probe = fn(&[u8], Key, u64, &[u32], usize) -> Option<usize>;

/// Probes every name with `probe` (the run-time probe) and refuses the
/// table unless each one lands in its own slot.
pub fn verify(names: &[&str], table: &Table, probe: Probe) -> Result<(), String> {
    for (k, name) in names.iter().enumerate() {
        let slot = probe(
            name.as_bytes(),
            table.key,
            table.seed,
            &table.pilots,
            table.slots.len(),
        );
        if slot.and_then(|i| table.slots.get(i)) != Some(&k) {
            return Err(format!(
                "the perfect-hash table is not readable: `{name}` is not found in its own slot \
                 (probe gave {slot:?}). src/lookup/probe.rs was verified against phf_generator \
                 {VERIFIED_GENERATOR}; a different release places keys differently. Fix: \
                 `cargo update -p phf_generator --precise {VERIFIED_GENERATOR}`, or update \
                 src/lookup/probe.rs to the new placement."
            ));
        }
    }
    Ok(())
}
