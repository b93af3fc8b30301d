//! Name lookup on arbitrary bytes and on near misses of real names:
//! `ErrorCode::from_bytes`, `from_name`, `FromStr` and
//! the `TryFrom`s all agree with a linear scan of `ErrorCode::ALL` by
//! `as_str()`.
//!
//! Input: the first byte chooses the mode. Even: the rest is the name as
//! it is. Odd: the next bytes choose a real name, an edit and where, and
//! the edit is applied (flip the case of a byte, drop, insert or replace
//! a byte, append the remaining bytes, truncate), so the hard cases (one
//! byte away from a hit, a hit's prefix or extension) come up all the time.
#![no_main]

use libfuzzer_sys::fuzz_target;
use s3err::ErrorCode;

/// The oracle: a plain scan, no hashing.
fn scan(name: &[u8]) -> Option<ErrorCode> {
    ErrorCode::ALL
        .iter()
        .copied()
        .find(|c| c.as_str().as_bytes() == name)
}

/// A real name with one edit, chosen by `sel`.
fn near_miss(sel: &[u8]) -> Vec<u8> {
    let &[name, edit, at, byte, ref extra @ ..] = sel else {
        return sel.to_vec();
    };
    let all = ErrorCode::ALL;
    if all.is_empty() {
        return Vec::new();
    }
    let mut v = all[usize::from(name) % all.len()]
        .as_str()
        .as_bytes()
        .to_vec();
    let i = usize::from(at) % (v.len() + 1);
    match edit % 7 {
        0 => {
            if let Some(b) = v.get_mut(i) {
                *b ^= 0x20;
            }
        }
        1 if i < v.len() => {
            v.remove(i);
        }
        2 => v.insert(i, byte),
        3 => {
            if let Some(b) = v.get_mut(i) {
                *b = byte;
            }
        }
        4 => v.extend_from_slice(extra),
        5 => v.truncate(i),
        _ => {} // the name itself
    }
    v
}

fn check(name: &[u8]) {
    let want = scan(name);
    assert_eq!(ErrorCode::from_bytes(name), want);
    assert_eq!(ErrorCode::try_from(name).ok(), want);
    if let Ok(s) = core::str::from_utf8(name) {
        assert_eq!(ErrorCode::from_name(s), want);
        assert_eq!(s.parse::<ErrorCode>().ok(), want);
        assert_eq!(ErrorCode::try_from(s).ok(), want);
    }
    if let Some(c) = want {
        assert_eq!(c.to_string().as_bytes(), name);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        check(b"");
        return;
    };
    if mode & 1 == 0 {
        check(rest);
    } else {
        check(&near_miss(rest));
    }
});
