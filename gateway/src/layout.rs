//! The on-disk layout: which path holds which bucket and object, and
//! which names are the gateway's own. Pure functions; the storage layer
//! (`storage.rs`) is the only user.
//!
//! ```text
//! ROOT/.s3err-lock              the lock one gateway holds on its root
//! ROOT/{bucket}/                a bucket: a valid S3 bucket name, so never
//!                               starting with '.'
//! ROOT/{bucket}/.s3err-tmp/     upload temp files, on the bucket's file system
//! ROOT/{bucket}/<entries>       the bucket's keys, encoded as below
//! ```
//!
//! A key is split on `/` into components (any bytes but `/`, possibly
//! empty: `a//b` has three, `a/` two, the second empty). Each component
//! becomes one or more directory entries, each a type letter followed by
//! the component's bytes escaped (`%` as `%%`, NUL as `%0`):
//!
//! - `o<c>`: a regular file, the object whose last component is `c`;
//! - `d<c>`: a directory holding the keys that continue with `c/`;
//! - `c<p>`: a directory holding the keys whose next component starts
//!   with `p`, the first [`PIECE`] bytes of a component at least that
//!   long; the rest of the component (possibly empty) is encoded inside it
//!   the same way. Names stay within the file system's 255-byte limit
//!   (1 + 2 × 127 = 255) however long a component is.
//!
//! So `a`, `a/`, `a/b` and `a//b` are `oa`, `da/o`, `da/ob` and `da/d/ob`:
//! any two distinct keys have distinct paths, and no key's path is a
//! prefix of another's file. Names not starting with `o`, `d` or `c` are
//! not part of any key: the gateway's own files start with `.`, and
//! anything else another program puts there is ignored.
//!
//! **Byte order.** In one directory, sort the entries by the string each
//! one starts (an `o` entry its component, a `d` entry its component
//! followed by `/`, a `c` entry its piece) and expand each in place: this
//! yields the keys below that directory in S3's order (UTF-8 bytes). It
//! holds because the key ranges of two entries never interleave: no
//! component (shorter than [`PIECE`]) or component followed by `/` starts
//! with a piece (which is [`PIECE`] bytes long and holds no `/`), and no
//! key under `d<c>` equals an `o` entry's name (which holds no `/`).
//! Listing the keys under a prefix that ends at a `/` reads only the
//! directory of that prefix and what is below it.

/// The length of a piece: a component of at least this many bytes is
/// stored as a `c` directory of its first `PIECE` bytes.
pub const PIECE: usize = 127;

/// The directory of temp files in each bucket.
pub const TMP_DIR: &str = ".s3err-tmp";

/// The root's lock file.
pub const LOCK_FILE: &str = ".s3err-lock";

/// The extended attribute holding an object's metadata.
pub const META_XATTR: &str = "user.s3err";

/// Is `name` a valid S3 general-purpose bucket name? 3–63 characters of
/// lower-case letters, digits, `.` and `-`, starting and ending with a
/// letter or digit, no `..`, not shaped like an IPv4 address.
pub fn valid_bucket_name(name: &str) -> bool {
    let b = name.as_bytes();
    let edge = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    (3..=63).contains(&b.len())
        && b.iter().all(|&c| edge(c) || c == b'.' || c == b'-')
        && b.first().is_some_and(|&c| edge(c))
        && b.last().is_some_and(|&c| edge(c))
        && !name.contains("..")
        && !name.contains(".-")
        && !name.contains("-.")
        && !(name.split('.').count() == 4 && name.split('.').all(|p| p.parse::<u8>().is_ok()))
}

/// `letter` followed by `bytes` escaped.
fn entry(letter: u8, bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 + bytes.len());
    out.push(letter);
    for &b in bytes {
        match b {
            b'%' => out.extend_from_slice(b"%%"),
            0 => out.extend_from_slice(b"%0"),
            _ => out.push(b),
        }
    }
    out
}

/// Appends the entries of one component: `c` pieces, then `last`.
fn component(mut c: &[u8], last: u8, out: &mut Vec<Vec<u8>>) {
    while c.len() >= PIECE {
        out.push(entry(b'c', &c[..PIECE]));
        c = &c[PIECE..];
    }
    out.push(entry(last, c));
}

/// The entry names, from the bucket directory down, of `key`'s file: the
/// last one is the object's `o` entry, the others directories.
pub fn key_entries(key: &str) -> Vec<Vec<u8>> {
    let comps: Vec<&[u8]> = key.as_bytes().split(|&b| b == b'/').collect();
    let mut out = Vec::new();
    let n = comps.len();
    for (i, c) in comps.into_iter().enumerate() {
        component(c, if i + 1 == n { b'o' } else { b'd' }, &mut out);
    }
    out
}

/// What a directory entry is in the layout. Listing reads entries with
/// [`parse_entry`] and orders them by [`Entry::sort_key`]; until the
/// gateway lists, only the tests use them.
#[cfg_attr(not(test), allow(dead_code))]
#[derive(Debug, PartialEq, Eq)]
pub enum Entry {
    /// An object whose key ends with these bytes.
    Object(Vec<u8>),
    /// A directory of the keys continuing with these bytes and `/`.
    Dir(Vec<u8>),
    /// A directory of the keys continuing with these bytes (a piece).
    Piece(Vec<u8>),
}

#[cfg_attr(not(test), allow(dead_code))]
impl Entry {
    /// The string every key below this entry starts with (relative to its
    /// directory): the sort key of the byte-order rule.
    pub fn sort_key(&self) -> Vec<u8> {
        match self {
            Entry::Object(c) | Entry::Piece(c) => c.clone(),
            Entry::Dir(c) => {
                let mut k = c.clone();
                k.push(b'/');
                k
            }
        }
    }
}

/// Reads a directory entry's name; `None` for a name that is not part of
/// the layout (the gateway's own, or another program's).
#[cfg_attr(not(test), allow(dead_code))]
pub fn parse_entry(name: &[u8]) -> Option<Entry> {
    let (&letter, rest) = name.split_first()?;
    let mut bytes = Vec::with_capacity(rest.len());
    let mut it = rest.iter();
    while let Some(&b) = it.next() {
        match b {
            b'%' => match it.next() {
                Some(b'%') => bytes.push(b'%'),
                Some(b'0') => bytes.push(0),
                _ => return None,
            },
            b'/' | 0 => return None,
            _ => bytes.push(b),
        }
    }
    match letter {
        b'o' if bytes.len() < PIECE => Some(Entry::Object(bytes)),
        b'd' if bytes.len() < PIECE => Some(Entry::Dir(bytes)),
        b'c' if bytes.len() == PIECE => Some(Entry::Piece(bytes)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(key: &str) -> String {
        key_entries(key)
            .iter()
            .map(|e| String::from_utf8_lossy(e).into_owned())
            .collect::<Vec<_>>()
            .join("/")
    }

    #[test]
    fn bucket_names() {
        for ok in ["abc", "my-bucket.logs", "a1b", &"a".repeat(63)] {
            assert!(valid_bucket_name(ok), "{ok}");
        }
        for bad in [
            "ab",
            &"a".repeat(64),
            "Abc",
            "-abc",
            "abc-",
            ".abc",
            "a..b",
            "a_b",
            "..",
            ".s3err-tmp",
            ".s3err-lock",
            "192.168.1.1",
            "a/b",
            "a.-b",
        ] {
            assert!(!valid_bucket_name(bad), "{bad}");
        }
    }

    /// Hand-written paths of the keys a file-per-key mapping cannot hold.
    #[test]
    fn paths() {
        let cases = [
            ("a", "oa"),
            ("a/", "da/o"),
            ("a/b", "da/ob"),
            ("a//b", "da/d/ob"),
            ("/", "d/o"),
            ("/etc/passwd", "d/detc/opasswd"),
            ("..", "o.."),
            ("../x", "d../ox"),
            (".", "o."),
            ("100%", "o100%%"),
            ("nul\0", "onul%0"),
            (".s3err-tmp", "o.s3err-tmp"),
            (".s3err-tmp/x", "d.s3err-tmp/ox"),
            ("oa", "ooa"),
        ];
        for (key, want) in cases {
            assert_eq!(path(key), want, "{key:?}");
        }
        let long = format!("{}{}", "x".repeat(PIECE), "yz");
        assert_eq!(path(&long), format!("c{}/oyz", "x".repeat(PIECE)));
        assert_eq!(
            path(&"x".repeat(PIECE)),
            format!("c{}/o", "x".repeat(PIECE))
        );
        assert_eq!(
            path(&format!("{}/", "x".repeat(PIECE))),
            format!("c{}/d/o", "x".repeat(PIECE))
        );
        // The longest name: a piece of escapes.
        let pct = "%".repeat(3 * PIECE);
        for e in key_entries(&pct) {
            assert!(e.len() <= 255, "{}", e.len());
        }
        assert_eq!(key_entries(&pct).len(), 4);
    }

    #[test]
    fn entries_parse_back() {
        for key in ["a", "a/b/", "100%/%0/x\0y", &"q".repeat(400)] {
            let mut rebuilt = Vec::new();
            for e in key_entries(key) {
                match parse_entry(&e).unwrap() {
                    Entry::Object(c) => rebuilt.extend(c),
                    Entry::Dir(c) => {
                        rebuilt.extend(c);
                        rebuilt.push(b'/');
                    }
                    Entry::Piece(c) => rebuilt.extend(c),
                }
            }
            assert_eq!(rebuilt, key.as_bytes());
        }
        for foreign in [&b".s3err-tmp"[..], b"x", b"", b"o%x", b"o%", b"dab%"] {
            assert_eq!(parse_entry(foreign), None, "{foreign:?}");
        }
        // A piece must be exactly PIECE bytes, a plain entry shorter.
        assert_eq!(parse_entry(b"cabc"), None);
        assert_eq!(
            parse_entry(format!("o{}", "x".repeat(PIECE)).as_bytes()),
            None
        );
    }

    /// The byte-order rule, checked against a plain sort: build the tree
    /// of a set of awkward keys in memory, walk it sorting each directory
    /// by `sort_key`, and compare with the keys sorted as bytes.
    #[test]
    fn walking_in_sort_key_order_is_byte_order() {
        use std::collections::BTreeMap;
        #[derive(Default)]
        struct Dir(BTreeMap<Vec<u8>, Option<Dir>>);
        fn insert(d: &mut Dir, path: &[Vec<u8>]) {
            let (first, rest) = path.split_first().unwrap();
            if rest.is_empty() {
                d.0.insert(first.clone(), None);
            } else {
                let sub =
                    d.0.entry(first.clone())
                        .or_insert_with(|| Some(Dir::default()));
                insert(sub.as_mut().unwrap(), rest);
            }
        }
        fn walk(d: &Dir, prefix: &[u8], out: &mut Vec<Vec<u8>>) {
            let mut entries: Vec<(Entry, &Option<Dir>)> =
                d.0.iter()
                    .map(|(n, sub)| (parse_entry(n).unwrap(), sub))
                    .collect();
            entries.sort_by_key(|(e, _)| e.sort_key());
            for (e, sub) in entries {
                let mut p = prefix.to_vec();
                p.extend(e.sort_key());
                match sub {
                    None => out.push(p),
                    Some(sub) => walk(sub, &p, out),
                }
            }
        }
        let long = "k".repeat(PIECE);
        let mut keys: Vec<String> = vec![
            "a".into(),
            "a/".into(),
            "a/b".into(),
            "a//b".into(),
            "a!".into(),
            "a0".into(),
            "a.".into(),
            "/".into(),
            "//".into(),
            "b%".into(),
            "b\0".into(),
            "caf\u{e9}".into(),
            "cafe".into(),
            "\u{10348}".into(),
            "\u{ff}".into(),
            long.clone(),
            format!("{long}!"),
            format!("{long}/"),
            format!("{long}/x"),
            format!("{long}0"),
            format!("{}", &long[1..]),
            format!("{}/", &long[1..]),
            format!("{}!", &long[1..]),
            format!("{long}{long}"),
            format!("{long}{long}/a"),
            format!("{long}{}", &long[1..]),
        ];
        // Every key again under `p/`, to mix depths.
        let more: Vec<String> = keys.iter().map(|k| format!("p/{k}")).collect();
        keys.extend(more);
        let mut root = Dir::default();
        for k in &keys {
            insert(&mut root, &key_entries(k));
        }
        let mut walked = Vec::new();
        walk(&root, b"", &mut walked);
        let mut want: Vec<Vec<u8>> = keys.iter().map(|k| k.as_bytes().to_vec()).collect();
        want.sort();
        want.dedup();
        assert_eq!(walked, want);
    }
}
