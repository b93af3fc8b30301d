//! build.rs's validation of `data/errors.tsv`, and its check of the
//! perfect-hash table it builds: each kind of bad row, and each kind of
//! unreadable table, is a build error that says what and where. Runs the
//! very code build.rs runs.

// The files build.rs mounts, mounted here as siblings (they name each
// other through `super::`).
#[path = "../../src/lookup/fingerprint.rs"]
#[allow(dead_code)]
mod fingerprint;
#[path = "../../src/lookup/probe.rs"]
mod probe;
#[path = "../../build/data.rs"]
#[allow(dead_code)]
mod reader;
#[path = "../../build/table.rs"]
mod table;

fn err(text: &str) -> String {
    match reader::parse(text) {
        Ok(rows) => panic!("accepted {} rows of bad data", rows.len()),
        Err(e) => e,
    }
}

#[test]
fn the_shipped_file_is_valid() {
    let rows = reader::parse(super::support::DATA).expect("valid");
    assert!(rows.iter().all(|r| !r.retired()));
}

#[test]
fn duplicate_name_is_refused_with_its_line() {
    let e = err("# header\n0\tA\t400\ts3\tx\n1\tB\t400\ts3\ty\n2\tA\t404\ts3\tz\n");
    assert!(
        e.contains(":4:") && e.contains("duplicate") && e.contains('A'),
        "{e}"
    );
}

#[test]
fn status_outside_100_599_is_refused() {
    for bad in ["99", "600", "0", "-1", "4O4", "65536", ""] {
        let e = err(&format!("0\tA\t{bad}\ts3\tx\n"));
        assert!(e.contains(":1:"), "{bad}: {e}");
    }
    assert!(reader::parse("0\tA\t100\ts3\tx\n1\tB\t599\ts3\ty\n").is_ok());
}

#[test]
fn unknown_group_is_refused() {
    let e = err("0\tA\t400\ts4\tx\n");
    assert!(e.contains(":1:") && e.contains("s4"), "{e}");
}

#[test]
fn empty_or_missing_fields_are_refused() {
    for bad in [
        "1\tA\t400\ts3\t",
        "1\t\t400\ts3\tx",
        "\tA\t400\ts3\tx",
        "1\tA\t400\ts3",
        "1\tA\t400\ts3\tx\textra",
        "1\tA \t400\ts3\tx",
    ] {
        let e = err(&format!("0\tZ\t400\ts3\tok\n{bad}\n"));
        assert!(e.contains(":2:"), "{bad:?}: {e}");
    }
}

#[test]
fn names_must_be_ascii_identifiers() {
    for bad in [
        "No Such", "Nö", "a-b", "A\"B", "A_B", "1A", ".A", "A.", "A..B", "A.1B", "KMS.", ".",
    ] {
        let e = err(&format!("0\t{bad}\t400\ts3\tx\n"));
        assert!(e.contains(":1:") && e.contains("segments"), "{bad:?}: {e}");
    }
}

#[test]
fn dotted_names_are_accepted_in_the_aws_group() {
    let rows =
        reader::parse("0\tKMS.DisabledException\t400\taws\tx\n1\tA.B.C\t400\taws\ty\n").unwrap();
    let got: Vec<(&str, String)> = rows.iter().map(|r| (r.name, r.variant())).collect();
    assert_eq!(
        got,
        [
            ("KMS.DisabledException", "KMSDisabledException".to_string()),
            ("A.B.C", "ABC".to_string())
        ]
    );
}

#[test]
fn a_variant_collision_is_refused() {
    // Dropping dots is not injective: both give `ABC`.
    let e = err("0\tA.BC\t400\taws\tx\n1\tAB.C\t400\taws\ty\n");
    assert!(
        e.contains("A.BC") && e.contains("AB.C") && e.contains("`ABC`"),
        "{e}"
    );
    // A variant equal to another row's wire name, in either order.
    let e = err("0\tKMSX\t400\ts3\tx\n1\tKMS.X\t400\taws\ty\n");
    assert!(e.contains("KMS.X") && e.contains("`KMSX`"), "{e}");
    let e = err("0\tKMS.X\t400\taws\tx\n1\tKMSX\t400\ts3\ty\n");
    assert!(e.contains("KMS.X") && e.contains("`KMSX`"), "{e}");
}

/// The naming rule over every shipped name, computed here on its own:
/// no two variants are equal, none equals another row's wire name, no two
/// differ only in case, and every variant is an UpperCamel identifier.
#[test]
fn the_shipped_names_give_distinct_variants() {
    let names = shipped_names();
    let variants: Vec<String> = names
        .iter()
        .map(|n| n.chars().filter(|&c| c != '.').collect())
        .collect();
    for (i, v) in variants.iter().enumerate() {
        assert!(
            v.chars().next().is_some_and(|c| c.is_ascii_uppercase()),
            "{v}"
        );
        assert!(v.chars().all(|c| c.is_ascii_alphanumeric()), "{v}");
        for (j, (w, n)) in variants.iter().zip(&names).enumerate() {
            if i != j {
                assert!(!v.eq_ignore_ascii_case(w), "{} and {}", names[i], n);
                assert_ne!(v, n, "{}'s variant is {n}'s wire name", names[i]);
            }
        }
    }
    let dotted: Vec<&str> = names.iter().copied().filter(|n| n.contains('.')).collect();
    assert_eq!(
        dotted,
        [
            "KMS.DisabledException",
            "KMS.InvalidKeyUsageException",
            "KMS.KMSInvalidStateException",
            "KMS.NotFoundException"
        ]
    );
}

#[test]
fn ids_must_be_bytes_written_plainly() {
    for bad in ["256", "-1", "01", "+1", "x", "1.0"] {
        let e = err(&format!("0\tZ\t400\ts3\tok\n{bad}\tA\t400\ts3\tx\n"));
        assert!(e.contains(":2:") && e.contains("id"), "{bad:?}: {e}");
    }
}

#[test]
fn an_id_is_never_given_twice() {
    let e = err("0\tA\t400\ts3\tx\n1\tB\t400\tretired\ty\n1\tC\t400\ts3\tz\n");
    assert!(e.contains(":3:") && e.contains("id 1"), "{e}");
}

#[test]
fn a_deleted_row_is_refused_retired_rows_are_kept() {
    // Row 1 deleted instead of retired: its id would be free to reuse.
    let e = err("0\tA\t400\ts3\tx\n2\tC\t400\ts3\tz\n");
    assert!(
        e.contains("id 1 is missing") && e.contains("retired"),
        "{e}"
    );
    let rows =
        reader::parse("0\tA\t400\ts3\tx\n1\tB\t400\tretired\ty\n2\tC\t400\ts3\tz\n").unwrap();
    let live: Vec<(u8, &str)> = rows
        .iter()
        .filter(|r| !r.retired())
        .map(|r| (r.id, r.name))
        .collect();
    assert_eq!(live, [(0, "A"), (2, "C")]);
}

fn shipped_names() -> Vec<&'static str> {
    let rows = reader::parse(super::support::DATA).unwrap();
    rows.iter().map(|r| r.name).collect()
}

#[test]
fn build_check_accepts_the_shipped_table() {
    let names = shipped_names();
    let t = table::build(&names);
    table::verify(&names, &t, probe::probe).unwrap();
    // Every slot the probe can give holds a name; each name is in one slot.
    let mut seen = t.slots.clone();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), names.len());
}

#[test]
fn build_check_refuses_a_corrupted_pilot_table() {
    let names = shipped_names();
    let buckets = table::build(&names).pilots.len();
    let mut refused = 0;
    for bucket in 0..buckets {
        let mut t = table::build(&names);
        t.pilots[bucket] ^= 0x8000_0000;
        if let Err(e) = table::verify(&names, &t, probe::probe) {
            assert!(e.contains("not found in its own slot"), "{e}");
            assert!(
                e.contains("cargo update -p phf_generator --precise 0.14.0"),
                "{e}"
            );
            refused += 1;
        }
    }
    // A bucket with no name in it may hold anything; every other is caught.
    let t = table::build(&names);
    let used: std::collections::HashSet<u32> = names
        .iter()
        .map(|n| {
            let h = fingerprint::hash(fingerprint::fingerprint(n.as_bytes(), t.key), t.seed);
            probe::reduce(h as u32, buckets as u32)
        })
        .collect();
    assert_eq!(refused, used.len());
    assert!(
        refused > names.len() / 4,
        "only {refused} buckets hold names"
    );
}

#[test]
fn build_check_refuses_a_changed_slot_formula() {
    let names = shipped_names();
    let t = table::build(&names);
    // The halves of the hash swapped (bucket from the high half): a
    // generator that placed keys this way would be refused, not shipped.
    fn swapped(
        name: &[u8],
        key: fingerprint::Key,
        seed: u64,
        pilots: &[u32],
        slots: usize,
    ) -> Option<usize> {
        let h = fingerprint::hash(fingerprint::fingerprint(name, key), seed).rotate_left(32);
        let pilot = *pilots.get(probe::reduce(h as u32, pilots.len() as u32) as usize)?;
        Some(probe::reduce((h >> 32) as u32 ^ pilot, slots as u32) as usize)
    }
    let e = table::verify(&names, &t, swapped).unwrap_err();
    assert!(e.contains("not found in its own slot"), "{e}");
    fn off_by_one(
        name: &[u8],
        key: fingerprint::Key,
        seed: u64,
        pilots: &[u32],
        slots: usize,
    ) -> Option<usize> {
        probe::probe(name, key, seed, pilots, slots).map(|i| (i + 1) % slots)
    }
    assert!(table::verify(&names, &t, off_by_one).is_err());
}

#[test]
fn a_key_is_chosen_for_any_distinct_names() {
    use fingerprint::Key;
    // Today's names: the first, second and last words tell them apart (the
    // first and last words alone do not: InvalidBucketState and
    // InvalidObjectState).
    assert_eq!(
        table::choose_key(&shipped_names()),
        Key::Words {
            head: 0,
            mid: 4,
            tail: 4
        }
    );
    // Names that differ only in a byte no three words read get the whole-name
    // key, and the table still builds and verifies.
    let long: Vec<String> = (b'a'..=b'z')
        .map(|c| format!("Same{}MiddleXYZ", c as char).repeat(3))
        .collect();
    let odd: Vec<String> = (0..26).map(|i| format!("ab{}", "x".repeat(i))).collect();
    for set in [long, odd] {
        let names: Vec<&str> = set.iter().map(String::as_str).collect();
        let t = table::build(&names);
        table::verify(&names, &t, probe::probe).unwrap();
        let mut fps: Vec<u32> = names
            .iter()
            .map(|n| fingerprint::fingerprint(n.as_bytes(), t.key))
            .collect();
        fps.sort_unstable();
        fps.dedup();
        assert_eq!(fps.len(), names.len(), "{:?}", t.key);
    }
}
