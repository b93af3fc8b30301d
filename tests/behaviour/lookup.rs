//! Name → code: every name form finds its code, only an exact enabled
//! name is found, and arbitrary hostile input agrees with a linear scan of
//! `ErrorCode::ALL` (an oracle that does not use the hash table).

use core::str::FromStr;

use proptest::prelude::*;
use s3err::{ErrorCode, Record, UnknownErrorCode};

#[test]
fn every_name_form_finds_its_code_and_record() {
    for &c in ErrorCode::ALL {
        let n = c.as_str();
        assert_eq!(ErrorCode::from_name(n), Some(c));
        assert_eq!(ErrorCode::from_bytes(n.as_bytes()), Some(c));
        assert_eq!(ErrorCode::from_str(n), Ok(c));
        assert_eq!(ErrorCode::try_from(n), Ok(c));
        assert_eq!(ErrorCode::try_from(n.as_bytes()), Ok(c));
        assert_eq!(
            (c.record().status(), c.record().description()),
            (c.status(), c.description())
        );
        assert_eq!(Record::from(c), c.record());
        assert_eq!(
            ErrorCode::from_name(n).map(ErrorCode::record),
            Some(c.record())
        );
    }
}

#[test]
fn a_name_is_found_only_exactly_and_case_sensitively() {
    for &c in ErrorCode::ALL {
        let n = c.as_str();
        for variant in [
            n.to_lowercase(),
            n.to_uppercase(),
            format!(" {n}"),
            format!("{n} "),
            format!("{n}\0"),
            n[..n.len() - 1].to_string(),
            format!("{n}x"),
        ] {
            if variant != n {
                assert_eq!(ErrorCode::from_name(&variant), None, "{variant:?}");
                assert!(ErrorCode::from_str(&variant).is_err());
            }
        }
    }
}

#[test]
fn empty_overlong_and_non_utf8_names_are_not_found() {
    assert_eq!(ErrorCode::from_name(""), None);
    assert_eq!(ErrorCode::from_bytes(b""), None);
    assert_eq!(ErrorCode::from_name("").map(ErrorCode::record), None);
    let long = "A".repeat(1 << 20);
    assert_eq!(ErrorCode::from_name(&long), None);
    assert_eq!(ErrorCode::from_bytes(long.as_bytes()), None);
    assert_eq!(ErrorCode::from_bytes(b"NoSuchKey\xff"), None);
    assert_eq!(ErrorCode::from_bytes(b"\xc3\x28"), None);
    let e: UnknownErrorCode = ErrorCode::from_str("").unwrap_err();
    assert_eq!(e.to_string(), "unknown S3 error code");
}

#[test]
fn max_name_len_is_the_longest_enabled_name() {
    let longest = ErrorCode::ALL
        .iter()
        .map(|c| c.as_str().len())
        .max()
        .unwrap_or(0);
    assert_eq!(ErrorCode::MAX_NAME_LEN, longest);
}

fn oracle(bytes: &[u8]) -> Option<ErrorCode> {
    ErrorCode::ALL
        .iter()
        .copied()
        .find(|c| c.as_str().as_bytes() == bytes)
}

/// An enabled name, or a near miss of one: a byte changed, cut, or added.
fn near_names() -> impl Strategy<Value = Vec<u8>> {
    let n = ErrorCode::ALL.len().max(1);
    (0..n, any::<u8>(), any::<prop::sample::Index>(), 0..4u8).prop_map(|(i, b, at, how)| {
        let mut v = ErrorCode::ALL
            .get(i)
            .map_or(b"NoSuchKey".to_vec(), |c| c.as_str().as_bytes().to_vec());
        let at = at.index(v.len());
        match how {
            0 => {}
            1 => v[at] = b,
            2 => v.truncate(at),
            _ => v.insert(at, b),
        }
        v
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn arbitrary_bytes_are_found_exactly_when_the_scan_finds_them(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        prop_assert_eq!(ErrorCode::from_bytes(&bytes), oracle(&bytes));
        if let Ok(s) = core::str::from_utf8(&bytes) {
            prop_assert_eq!(ErrorCode::from_name(s), oracle(&bytes));
            prop_assert_eq!(ErrorCode::from_name(s).map(ErrorCode::record), oracle(&bytes).map(ErrorCode::record));
        }
    }

    #[test]
    fn near_misses_are_found_exactly_when_the_scan_finds_them(bytes in near_names()) {
        prop_assert_eq!(ErrorCode::from_bytes(&bytes), oracle(&bytes));
    }

    #[test]
    fn arbitrary_strings_are_found_exactly_when_the_scan_finds_them(s in "\\PC{0,48}") {
        prop_assert_eq!(ErrorCode::from_name(&s), oracle(s.as_bytes()));
    }

    #[test]
    fn inputs_longer_than_max_name_len_are_not_found(prefix in near_names(), extra in 1usize..100_000) {
        let mut v = prefix;
        v.resize(ErrorCode::MAX_NAME_LEN + extra, b'A');
        prop_assert_eq!(ErrorCode::from_bytes(&v), None);
    }
}
