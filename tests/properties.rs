//! Properties of lookup on arbitrary, hostile input: never a panic, and a
//! hit exactly when the input is an enabled name (checked against a linear
//! scan of `ErrorCode::ALL`, an oracle that does not use the hash map).

use proptest::prelude::*;
use s3err::ErrorCode;

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
    fn arbitrary_bytes_match_the_oracle(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        prop_assert_eq!(ErrorCode::from_bytes(&bytes), oracle(&bytes));
        if let Ok(s) = core::str::from_utf8(&bytes) {
            prop_assert_eq!(ErrorCode::from_name(s), oracle(&bytes));
            prop_assert_eq!(s3err::ErrorCode::from_name(s).map(s3err::ErrorCode::record), oracle(&bytes).map(ErrorCode::record));
        }
    }

    #[test]
    fn near_misses_match_the_oracle(bytes in near_names()) {
        prop_assert_eq!(ErrorCode::from_bytes(&bytes), oracle(&bytes));
    }

    #[test]
    fn arbitrary_strings_match_the_oracle(s in "\\PC{0,48}") {
        prop_assert_eq!(ErrorCode::from_name(&s), oracle(s.as_bytes()));
    }

    #[test]
    fn long_inputs_are_refused(prefix in near_names(), extra in 1usize..100_000) {
        let mut v = prefix;
        v.resize(s3err::ErrorCode::MAX_NAME_LEN + extra, b'A');
        prop_assert_eq!(ErrorCode::from_bytes(&v), None);
    }
}
