//! Lookup by name through phf's perfect hash, and lookup by status.

use core::iter::FusedIterator;

use super::compare::same;
use crate::ErrorCode;
use crate::code::table::{KEY, MAX_NAME_LEN, MIN_NAME_LEN, RECORDS, SEED, TABLES};

/// The code named `name`, if any: one hash, one probe, one comparison.
///
/// The table is `phf_generator::ptrhash`'s, built over the names'
/// fingerprints; [`probe`](super::probe::probe) gives the one slot the
/// name can be in (build.rs has checked that every code is found in its
/// own slot), and the slot holds the code and its name's length. A
/// length that differs ends the lookup there, before the code's own
/// tables are read. Checked indexing throughout: no panicking branch is
/// left.
#[inline]
fn find(name: &[u8]) -> Option<ErrorCode> {
    let i = super::probe::probe(name, KEY, SEED, &TABLES.pilots, TABLES.slots.len())?;
    if usize::from(*TABLES.slot_lens.get(i)?) != name.len() {
        return None;
    }
    let code = *TABLES.slots.get(i)?;
    let start = code.name_start();
    let stored = RECORDS
        .as_bytes()
        .get(start..start.wrapping_add(name.len()))?;
    same(stored, name).then_some(code)
}

impl ErrorCode {
    /// The code whose wire name is exactly `name` (case-sensitive).
    ///
    /// One perfect-hash probe and one comparison. Input shorter than the
    /// shortest name (so empty input too) or longer than
    /// [`MAX_NAME_LEN`](ErrorCode::MAX_NAME_LEN) is refused before hashing, so
    /// the time taken is bounded whatever arrives. The hash reads a
    /// fingerprint of the name (its length and three 4-byte words, at
    /// positions build.rs chose so that no two names share one), not every
    /// byte; a stored length that differs ends the lookup before any byte
    /// is compared.
    ///
    /// ```
    /// use s3err::ErrorCode;
    /// # #[cfg(feature = "s3")] {
    /// assert_eq!(ErrorCode::from_name("NoSuchKey"), Some(ErrorCode::NoSuchKey));
    /// assert_eq!(ErrorCode::from_name("nosuchkey"), None);
    /// # }
    /// ```
    #[inline]
    #[must_use]
    pub fn from_name(name: &str) -> Option<ErrorCode> {
        ErrorCode::from_bytes(name.as_bytes())
    }

    /// [`from_name`](Self::from_name) for raw bytes, e.g. a `<Code>` taken
    /// straight from a response body. The same single probe and comparison
    /// for any bytes: non-ASCII or non-UTF-8 input simply matches no name
    /// (no separate pass over it).
    ///
    /// ```
    /// # #[cfg(feature = "s3")]
    /// assert_eq!(s3err::ErrorCode::from_bytes(b"SlowDown"), Some(s3err::ErrorCode::SlowDown));
    /// assert_eq!(s3err::ErrorCode::from_bytes(b"\xff\xfe"), None);
    /// ```
    #[inline]
    #[must_use]
    pub fn from_bytes(name: &[u8]) -> Option<ErrorCode> {
        if name.len() < MIN_NAME_LEN || name.len() > MAX_NAME_LEN {
            return None;
        }
        find(name)
    }

    /// Every enabled code whose status is `status`, in table order.
    ///
    /// ```
    /// use s3err::ErrorCode;
    /// # #[cfg(feature = "s3")]
    /// assert!(ErrorCode::with_status(416).eq([ErrorCode::InvalidPartNumber, ErrorCode::InvalidRange]));
    /// ```
    #[inline]
    pub fn with_status(status: u16) -> WithStatus {
        WithStatus {
            status,
            rest: ErrorCode::ALL.iter(),
        }
    }
}

/// Iterator returned by [`ErrorCode::with_status`].
#[derive(Clone, Debug)]
#[must_use = "iterators do nothing unless consumed"]
pub struct WithStatus {
    status: u16,
    rest: core::slice::Iter<'static, ErrorCode>,
}

impl Iterator for WithStatus {
    type Item = ErrorCode;

    #[inline]
    fn next(&mut self) -> Option<ErrorCode> {
        let status = self.status;
        self.rest.by_ref().copied().find(|c| c.status() == status)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.rest.len()))
    }
}

impl FusedIterator for WithStatus {}

#[cfg(feature = "defmt")]
impl defmt::Format for WithStatus {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "WithStatus({=u16})", self.status);
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use crate::code::table::TABLES;
    use crate::lookup::compare::{same, same_blocks, same_bytewise, same_words};
    use proptest::prelude::*;
    use std::vec::Vec;

    #[test]
    fn each_slot_length_is_its_codes_name_length() {
        // The lookup trusts `slot_lens` to say how many bytes of the
        // record to compare; `as_str` cuts the name from the per-id tables.
        assert_eq!(TABLES.slot_lens.len(), TABLES.slots.len());
        for (code, len) in TABLES.slots.iter().zip(TABLES.slot_lens) {
            assert_eq!(usize::from(len), code.as_str().len(), "{code:?}");
        }
    }

    /// `f` says equal for every slice of each length in `lens` against
    /// itself, and unequal once any one of its bytes is changed.
    fn sees_every_change(f: impl Fn(&[u8], &[u8]) -> bool, lens: core::ops::RangeInclusive<usize>) {
        let base: Vec<u8> = (0..64u8).map(|i| b'A' + i % 26).collect();
        for len in lens {
            let a = &base[..len];
            assert!(f(a, a), "len {len}");
            for i in 0..len {
                let mut b = a.to_vec();
                b[i] ^= 0x20;
                assert!(!f(a, &b), "len {len}, byte {i}");
                assert!(!f(&b, a), "len {len}, byte {i}");
            }
        }
    }

    #[test]
    fn each_compare_sees_a_change_at_every_position_of_every_length() {
        // Every form of the compare, not only the one this host's `same`
        // picks, over the lengths it is used for: the overlapping reads
        // must cover every byte.
        const W: usize = size_of::<usize>();
        sees_every_change(same, 0..=64);
        sees_every_change(|a, b| same_words(a, b, true), W..=64);
        sees_every_change(|a, b| same_words(a, b, false), W..=64);
        sees_every_change(same_bytewise, 4..=64);
        sees_every_change(same_blocks, 8..=32);
    }

    #[test]
    fn same_agrees_with_eq_on_every_short_pair() {
        // Every pair of strings up to 9 bytes over a 2-letter alphabet:
        // all alignments of the word loop and its tail.
        let words: Vec<Vec<u8>> = (0..=9usize)
            .flat_map(|len| {
                (0..1u32 << len)
                    .map(move |bits| (0..len).map(|i| b'a' + ((bits >> i) & 1) as u8).collect())
            })
            .collect();
        for a in &words {
            for b in &words {
                assert_eq!(same(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }

    proptest! {
        #[test]
        fn same_agrees_with_eq(a in prop::collection::vec(any::<u8>(), 0..48), flip in any::<prop::sample::Index>()) {
            let mut b = a.clone();
            prop_assert!(same(&a, &b));
            if !b.is_empty() {
                let i = flip.index(b.len());
                b[i] ^= 1;
                prop_assert!(!same(&a, &b));
            }
            prop_assert_eq!(same(&a, &b[..b.len() / 2]), a == b[..b.len() / 2]);
        }
    }
}
