//! Buckets and keys mapped to paths under the root, refusing every way out
//! of it, and the atomic writer behind PutObject.
//!
//! Rules:
//! - a bucket is a directory `ROOT/{bucket}` whose name is a valid S3
//!   bucket name (so it never starts with `.`, never holds `/` or `..`);
//! - a key is split on `/`; every segment must be non-empty and neither
//!   `.` nor `..`, at most 255 bytes, without NUL. So absolute keys
//!   (`/etc/passwd`), `a//b`, a trailing `/` and traversal are refused;
//! - no path component below the root may be a symbolic link: the gateway
//!   never follows one (403 `AccessDenied`), so no symlink can lead out;
//! - temp files live in `ROOT/.s3err-tmp/`, which is not a valid bucket
//!   name, so they are never visible as objects; stale ones are removed
//!   at start-up.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use s3err::ErrorCode;

use crate::error::S3Error;

/// The directory of temp files under the root.
pub const TMP_DIR: &str = ".s3err-tmp";

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

/// Checks a (decoded) key can be stored as a path; see the module rules.
pub fn check_key(key: &str) -> Result<(), S3Error> {
    if key.len() > 1024 {
        return Err(S3Error::new(ErrorCode::KeyTooLong));
    }
    for seg in key.split('/') {
        let why = if seg.is_empty() {
            "an empty path segment (a leading, trailing or doubled '/')"
        } else if seg == "." || seg == ".." {
            "a '.' or '..' segment"
        } else if seg.len() > 255 {
            "a segment longer than 255 bytes"
        } else if seg.contains('\0') {
            "a NUL byte"
        } else {
            continue;
        };
        return Err(S3Error::with_message(
            ErrorCode::InvalidArgument,
            format!("s3err-gateway stores keys as files and cannot store a key with {why}."),
        ));
    }
    Ok(())
}

/// The directory of an existing bucket.
pub fn bucket_dir(root: &Path, bucket: &str) -> Result<PathBuf, S3Error> {
    let dir = root.join(bucket);
    match std::fs::symlink_metadata(&dir) {
        Ok(m) if m.file_type().is_symlink() => Err(symlink_refused()),
        Ok(m) if m.is_dir() => Ok(dir),
        Ok(_) => Err(S3Error::new(ErrorCode::NoSuchBucket)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(S3Error::new(ErrorCode::NoSuchBucket)),
        Err(e) => Err(S3Error::io(e)),
    }
}

fn symlink_refused() -> S3Error {
    S3Error::with_message(
        ErrorCode::AccessDenied,
        "s3err-gateway does not follow symbolic links.".into(),
    )
}

/// What a key's path looks like on disk.
pub enum Found {
    /// A regular file: the object.
    File(PathBuf),
    /// Nothing there (or a directory, or a file in the way of a parent).
    Missing(PathBuf),
    /// A regular file is where a parent directory of the key would be, or
    /// a directory is where the key would be: it cannot be written.
    Blocked,
}

/// Resolves `key` (already checked) in `bucket`, without following any
/// symbolic link.
pub fn resolve(bucket: &Path, key: &str) -> Result<Found, S3Error> {
    let mut path = bucket.to_path_buf();
    let segs: Vec<&str> = key.split('/').collect();
    let last = segs.len().saturating_sub(1);
    for (i, seg) in segs.iter().enumerate() {
        path.push(seg);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => return Err(symlink_refused()),
            Ok(m) if i == last => {
                return Ok(if m.is_file() {
                    Found::File(path)
                } else if m.is_dir() {
                    Found::Blocked
                } else {
                    Found::Missing(path)
                });
            }
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Ok(Found::Blocked),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                for s in segs.iter().skip(i + 1) {
                    path.push(s);
                }
                return Ok(Found::Missing(path));
            }
            Err(e) => return Err(S3Error::io(e)),
        }
    }
    Ok(Found::Missing(path))
}

/// Creates the parent directories of `path` below `bucket`, refusing to
/// go through a symbolic link (checked after each step).
pub fn create_parents(bucket: &Path, path: &Path) -> Result<(), S3Error> {
    let Some(parent) = path.parent() else {
        return Ok(());
    };
    let Ok(rel) = parent.strip_prefix(bucket) else {
        return Err(S3Error::new(ErrorCode::InternalError));
    };
    let mut cur = bucket.to_path_buf();
    for c in rel.components() {
        cur.push(c);
        match std::fs::create_dir(&cur) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(S3Error::io(e)),
        }
        let m = std::fs::symlink_metadata(&cur).map_err(S3Error::io)?;
        if m.file_type().is_symlink() {
            return Err(symlink_refused());
        }
        if !m.is_dir() {
            return Err(blocked());
        }
    }
    Ok(())
}

/// The error for a key that a file or directory on disk is in the way of.
pub fn blocked() -> S3Error {
    S3Error::with_message(
        ErrorCode::InvalidArgument,
        "s3err-gateway stores keys as files: this key collides with another key's file or directory."
            .into(),
    )
}

/// Removes the empty directories between `path`'s parent and `bucket`.
pub fn remove_empty_parents(bucket: &Path, path: &Path) {
    let mut cur = path.parent();
    while let Some(dir) = cur {
        if dir == bucket || !dir.starts_with(bucket) || std::fs::remove_dir(dir).is_err() {
            break;
        }
        cur = dir.parent();
    }
}

/// A temp file that is removed when dropped unless [`commit`](Self::commit)
/// renamed it over its target.
pub struct TempFile {
    path: PathBuf,
    done: bool,
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl TempFile {
    /// Creates a new, empty temp file in `ROOT/.s3err-tmp/`.
    pub fn create(root: &Path) -> io::Result<(TempFile, std::fs::File)> {
        let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = root
            .join(TMP_DIR)
            .join(format!("put.{}.{n}", std::process::id()));
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        Ok((TempFile { path, done: false }, file))
    }

    /// Renames the temp file over `target` (atomic on one file system).
    pub fn commit(mut self, target: &Path) -> io::Result<()> {
        std::fs::rename(&self.path, target)?;
        self.done = true;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Creates `ROOT/.s3err-tmp/` and removes whatever a previous run left in it.
pub fn prepare_tmp(root: &Path) -> io::Result<()> {
    let tmp = root.join(TMP_DIR);
    std::fs::create_dir_all(&tmp)?;
    for entry in std::fs::read_dir(&tmp)? {
        let entry = entry?;
        let _ = std::fs::remove_file(entry.path());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
            "192.168.1.1",
            "a/b",
            "a.-b",
        ] {
            assert!(!valid_bucket_name(bad), "{bad}");
        }
    }

    #[test]
    fn keys() {
        for ok in ["a", "a/b/c", "with space", "caf\u{e9}", "...", ".hidden"] {
            assert!(check_key(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "/abs",
            "a//b",
            "a/",
            "..",
            "a/../b",
            "./a",
            "a\0b",
            &"x".repeat(256),
        ] {
            assert!(check_key(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            check_key(&"a/".repeat(600)).unwrap_err().code,
            ErrorCode::KeyTooLong
        );
    }
}
