//! The storage layer: the only code that touches the disk. It maps
//! buckets and keys to files (`layout.rs`), keeps each object's metadata
//! in an extended attribute of its file (`meta.rs`), and commits and
//! deletes durably. Every call that can block runs on tokio's blocking
//! pool; the operation modules call the `async` methods.
//!
//! **Commit.** An upload is written to a temp file in the bucket's
//! `.s3err-tmp/` directory (same file system as the bucket). Then: the
//! metadata record is set on the temp file, the temp file is fsynced, and
//! under the key's lock the target's missing directories are made, the
//! condition is checked and the temp file takes the key's name
//! (`rename`, or `link` + `unlink` for create-only, which fails if the name
//! exists), and the directories whose entries changed are fsynced (the
//! target's, and the parent of each new one) before the call returns.
//! Data and metadata are one inode, so they appear together.
//!
//! **Delete.** Under the key's lock: `unlink`, fsync of the parent; then
//! the directories left empty are removed, each followed by an fsync of
//! its parent.
//!
//! **Locks.** One gateway serves a root: it holds an exclusive `flock` on
//! `ROOT/.s3err-lock` and a second one refuses to start. So in-process
//! locks are enough: a striped lock per key (commit and delete of one key
//! are serialised, which makes `If-Match`'s check-then-rename atomic), and
//! a namespace lock that is shared by commits (making directories and
//! renaming into them) and exclusive for removing empty directories, so a
//! delete never removes a directory a commit is about to use.

use std::ffi::OsStr;
use std::hash::{Hash, Hasher};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use md5::{Digest, Md5};
use rustix::fs::{FlockOperation, Mode, OFlags, XattrFlags};
use s3err::ErrorCode;

use crate::checksum::{self, Algorithm};
use crate::error::S3Error;
use crate::layout::{self, LOCK_FILE, META_XATTR, TMP_DIR, UPLOADS_DIR};
use crate::meta::{Identity, Meta, Parts, etag_matches};

type Result<T> = std::result::Result<T, S3Error>;

const KEY_LOCKS: usize = 256;
const UPLOAD_LOCKS: usize = 64;

/// What an upload directory is renamed to before it is removed: not an
/// upload id, so no request finds it, and removed at start-up if a
/// crash interrupted the removal.
const REMOVED_SUFFIX: &str = ".removed";

/// The storage of one root.
pub struct Store {
    root: PathBuf,
    /// Holds the root's `flock` for the life of the process.
    _lock: std::fs::File,
    key_locks: Vec<Mutex<()>>,
    /// Per multipart upload (striped): completing, aborting and removing
    /// an abandoned upload exclude each other.
    upload_locks: Vec<Mutex<()>>,
    namespace: RwLock<()>,
    temps: AtomicU64,
}

/// An open object: its file (positioned at its start) and metadata.
pub struct Object {
    /// The object's file, opened read-only.
    pub file: std::fs::File,
    /// Its metadata.
    pub meta: Meta,
}

/// The condition a write commits under.
pub enum Condition {
    /// Unconditional.
    Always,
    /// `If-Match`: the current object's ETag must match the list.
    IfMatch(String),
    /// `If-None-Match: *`: the key must not exist.
    IfNoneMatchAny,
}

/// What the writer of an object gives; the store adds the identity of
/// the file and the commit time.
pub struct NewMeta {
    /// The quoted ETag.
    pub etag: String,
    /// The checksum sent (header name, base64).
    pub checksum: Option<(String, String)>,
    /// The checksum is of S3's composite type.
    pub checksum_composite: bool,
    /// The headers to give back.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The parts of an object completed by a multipart upload.
    pub parts: Option<Parts>,
}

/// An upload in progress: a temp file, removed unless committed.
pub struct Upload {
    file: tokio::fs::File,
    temp: Temp,
}

struct Temp {
    path: PathBuf,
    done: bool,
}

impl Drop for Temp {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let path = std::mem::take(&mut self.path);
        match tokio::runtime::Handle::try_current() {
            Ok(h) => {
                h.spawn_blocking(move || std::fs::remove_file(path));
            }
            Err(_) => {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}

impl Upload {
    /// Appends `data` to the temp file.
    pub async fn write(&mut self, data: &[u8]) -> Result<()> {
        use tokio::io::AsyncWriteExt;
        self.file.write_all(data).await.map_err(S3Error::io)
    }
}

fn internal(e: tokio::task::JoinError) -> S3Error {
    S3Error::io(io::Error::other(e))
}

fn symlink_refused() -> S3Error {
    S3Error::with_message(
        ErrorCode::AccessDenied,
        "s3err-gateway does not follow symbolic links.".into(),
    )
}

/// A file or directory another program made is where the layout needs
/// the other kind.
fn blocked() -> S3Error {
    S3Error::with_message(
        ErrorCode::InvalidArgument,
        "A file not written by s3err-gateway is in the way of this key.".into(),
    )
}

fn gone(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
    )
}

fn fsync_dir(dir: &Path) -> io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

impl Store {
    /// Opens the store of `root` (canonical): takes the root's lock,
    /// checks that the file system keeps extended attributes, and removes
    /// the temp files a previous run left.
    pub fn new(root: PathBuf) -> std::result::Result<Store, String> {
        let lock_path = root.join(LOCK_FILE);
        let lock = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(|e| format!("cannot open {}: {e}", lock_path.display()))?;
        match rustix::fs::flock(&lock, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => {}
            Err(rustix::io::Errno::WOULDBLOCK) => {
                return Err(format!(
                    "another s3err-gateway is serving {} (it holds the lock on {}); \
                     one root is served by one gateway",
                    root.display(),
                    lock_path.display()
                ));
            }
            Err(e) => return Err(format!("cannot lock {}: {e}", lock_path.display())),
        }
        if let Err(e) = rustix::fs::fsetxattr(&lock, META_XATTR, b"probe", XattrFlags::empty()) {
            return Err(format!(
                "the file system of {} does not keep user extended attributes ({e}), \
                 where s3err-gateway stores each object's metadata",
                root.display()
            ));
        }
        let store = Store {
            root,
            _lock: lock,
            key_locks: (0..KEY_LOCKS).map(|_| Mutex::new(())).collect(),
            upload_locks: (0..UPLOAD_LOCKS).map(|_| Mutex::new(())).collect(),
            namespace: RwLock::new(()),
            temps: AtomicU64::new(0),
        };
        store
            .remove_stale_temps()
            .map_err(|e| format!("cannot clean the temp directories: {e}"))?;
        Ok(store)
    }

    /// The root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Temp files in `ROOT/{bucket}/.s3err-tmp/`, and upload directories
    /// whose removal was interrupted (`ID.removed`), are stale once this
    /// process holds the root's lock.
    fn remove_stale_temps(&self) -> io::Result<()> {
        for bucket in std::fs::read_dir(&self.root)? {
            let bucket = bucket?;
            let valid = bucket
                .file_name()
                .to_str()
                .is_some_and(layout::valid_bucket_name);
            if !valid || !bucket.file_type()?.is_dir() {
                continue;
            }
            let uploads = bucket.path().join(UPLOADS_DIR);
            if std::fs::symlink_metadata(&uploads).is_ok_and(|m| m.is_dir()) {
                for u in std::fs::read_dir(&uploads)? {
                    let u = u?;
                    if u.file_name()
                        .as_bytes()
                        .ends_with(REMOVED_SUFFIX.as_bytes())
                    {
                        let _ = std::fs::remove_dir_all(u.path());
                    }
                }
            }
            let tmp = bucket.path().join(TMP_DIR);
            match std::fs::symlink_metadata(&tmp) {
                Ok(m) if m.is_dir() => {}
                _ => continue,
            }
            for t in std::fs::read_dir(&tmp)? {
                let _ = std::fs::remove_file(t?.path());
            }
        }
        Ok(())
    }

    fn upload_lock(&self, bucket: &str, id: &str) -> &Mutex<()> {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (bucket, id).hash(&mut h);
        &self.upload_locks[(h.finish() as usize) % UPLOAD_LOCKS]
    }

    fn key_lock(&self, bucket: &str, key: &str) -> &Mutex<()> {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (bucket, key).hash(&mut h);
        &self.key_locks[(h.finish() as usize) % KEY_LOCKS]
    }

    /// The directory of an existing bucket.
    fn bucket_dir(&self, bucket: &str) -> Result<PathBuf> {
        if !layout::valid_bucket_name(bucket) {
            return Err(S3Error::new(ErrorCode::InvalidBucketName));
        }
        let dir = self.root.join(bucket);
        match std::fs::symlink_metadata(&dir) {
            Ok(m) if m.file_type().is_symlink() => Err(symlink_refused()),
            Ok(m) if m.is_dir() => Ok(dir),
            Ok(_) => Err(S3Error::new(ErrorCode::NoSuchBucket)),
            Err(e) if gone(&e) => Err(S3Error::new(ErrorCode::NoSuchBucket)),
            Err(e) => Err(S3Error::io(e)),
        }
    }

    /// The path of `key`'s file, if every directory on the way exists
    /// (none followed through a symbolic link).
    fn existing_path(&self, dir: PathBuf, key: &str) -> Result<Option<PathBuf>> {
        let entries = layout::key_entries(key);
        let mut p = dir;
        let last = entries.len() - 1;
        for (i, e) in entries.iter().enumerate() {
            p.push(OsStr::from_bytes(e));
            if i == last {
                break;
            }
            match std::fs::symlink_metadata(&p) {
                Ok(m) if m.file_type().is_symlink() => return Err(symlink_refused()),
                Ok(m) if m.is_dir() => {}
                Ok(_) => return Ok(None),
                Err(e) if gone(&e) => return Ok(None),
                Err(e) => return Err(S3Error::io(e)),
            }
        }
        Ok(Some(p))
    }

    /// Opens the object at `path`: `None` if there is none.
    fn open_at(path: &Path) -> Result<Option<Object>> {
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        let fd = match rustix::fs::open(path, flags, Mode::empty()) {
            Ok(fd) => fd,
            Err(rustix::io::Errno::LOOP) => return Err(symlink_refused()),
            Err(e) => {
                let e = io::Error::from(e);
                return if gone(&e) {
                    Ok(None)
                } else {
                    Err(S3Error::io(e))
                };
            }
        };
        let file = std::fs::File::from(fd);
        let md = file.metadata().map_err(S3Error::io)?;
        if !md.is_file() {
            return Ok(None);
        }
        let identity = Identity::of(&md);
        let mut buf = vec![0u8; 64 * 1024];
        let stored = match rustix::fs::fgetxattr(&file, META_XATTR, &mut buf[..]) {
            Ok(n) => Meta::decode(&buf[..n]).filter(|m| m.identity == identity),
            Err(_) => None,
        };
        let meta = match stored {
            Some(m) => m,
            None => Self::foreign(&file, identity)?,
        };
        Ok(Some(Object { file, meta }))
    }

    /// The metadata of a file the gateway did not write (or that changed
    /// since): its MD5 is computed once, and stored on the file if it did
    /// not change meanwhile; Last-Modified is its modification time.
    fn foreign(file: &std::fs::File, identity: Identity) -> Result<Meta> {
        let mut md5 = Md5::new();
        let mut buf = vec![0u8; 256 * 1024];
        let mut at = 0u64;
        loop {
            let n = file.read_at(&mut buf, at).map_err(S3Error::io)?;
            if n == 0 {
                break;
            }
            md5.update(&buf[..n]);
            at += n as u64;
        }
        let meta = Meta {
            identity,
            etag: format!("\"{}\"", hex(&md5.finalize())),
            last_modified: identity.mtime.0,
            checksum: None,
            checksum_composite: false,
            headers: Vec::new(),
            parts: None,
        };
        let unchanged = file
            .metadata()
            .is_ok_and(|m| Identity::of(&m) == identity && at == identity.size);
        if unchanged {
            // Best effort: a read-only file keeps being hashed on each read.
            let _ = rustix::fs::fsetxattr(file, META_XATTR, &meta.encode(), XattrFlags::empty());
        }
        Ok(meta)
    }

    fn open_blocking(&self, bucket: &str, key: &str) -> Result<Option<Object>> {
        let dir = self.bucket_dir(bucket)?;
        match self.existing_path(dir, key)? {
            Some(p) => Self::open_at(&p),
            None => Ok(None),
        }
    }

    fn create_upload_blocking(&self, bucket: &str) -> Result<(PathBuf, std::fs::File)> {
        let tmp = self.bucket_dir(bucket)?.join(TMP_DIR);
        match std::fs::create_dir(&tmp) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) if gone(&e) => return Err(S3Error::new(ErrorCode::NoSuchBucket)),
            Err(e) => return Err(S3Error::io(e)),
        }
        match std::fs::symlink_metadata(&tmp) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Err(blocked()),
            Err(e) => return Err(S3Error::io(e)),
        }
        let n = self.temps.fetch_add(1, Ordering::Relaxed);
        let path = tmp.join(format!("put-{n}"));
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(S3Error::io)?;
        Ok((path, file))
    }

    fn commit_blocking(
        &self,
        file: std::fs::File,
        mut temp: Temp,
        bucket: &str,
        key: &str,
        new: NewMeta,
        condition: Condition,
    ) -> Result<Meta> {
        let md = file.metadata().map_err(S3Error::io)?;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let mut meta = Meta {
            identity: Identity::of(&md),
            etag: new.etag,
            last_modified: now,
            checksum: new.checksum,
            checksum_composite: new.checksum_composite,
            headers: new.headers,
            parts: new.parts,
        };
        loop {
            match rustix::fs::fsetxattr(&file, META_XATTR, &meta.encode(), XattrFlags::empty()) {
                Ok(()) => break,
                Err(
                    rustix::io::Errno::TOOBIG | rustix::io::Errno::NOSPC | rustix::io::Errno::RANGE,
                ) => {
                    // A table of many parts of different sizes may not
                    // fit: the object is kept with its part count only
                    // (GetObject of one of its parts is then refused).
                    if let Some(p) = meta.parts.as_mut()
                        && p.sizes.is_some()
                    {
                        p.sizes = None;
                        continue;
                    }
                    return Err(S3Error::with_message(
                        ErrorCode::MetadataTooLarge,
                        "The object's headers do not fit in the file system's extended attributes."
                            .into(),
                    ));
                }
                Err(e) => return Err(S3Error::io(e.into())),
            }
        }
        file.sync_all().map_err(S3Error::io)?;
        drop(file);

        let _key = self.key_lock(bucket, key).lock().map_err(|_| poisoned())?;
        let _ns = self.namespace.read().map_err(|_| poisoned())?;
        let mut p = self.bucket_dir(bucket)?;
        let entries = layout::key_entries(key);
        let last = entries.len() - 1;
        let mut changed_dirs = Vec::new();
        for e in &entries[..last] {
            let parent = p.clone();
            p.push(OsStr::from_bytes(e));
            match std::fs::create_dir(&p) {
                Ok(()) => changed_dirs.push(parent),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    match std::fs::symlink_metadata(&p) {
                        Ok(m) if m.file_type().is_symlink() => return Err(symlink_refused()),
                        Ok(m) if m.is_dir() => {}
                        Ok(_) => return Err(blocked()),
                        Err(e) => return Err(S3Error::io(e)),
                    }
                }
                Err(e) => return Err(S3Error::io(e)),
            }
        }
        let dir = p.clone();
        p.push(OsStr::from_bytes(&entries[last]));
        let target = p;
        match condition {
            Condition::IfMatch(ref list) => match Self::open_at(&target)? {
                None => return Err(S3Error::new(ErrorCode::NoSuchKey)),
                Some(o) if !etag_matches(list, &o.meta.etag) => {
                    return Err(S3Error::new(ErrorCode::PreconditionFailed));
                }
                Some(_) => {}
            },
            Condition::Always | Condition::IfNoneMatchAny => {}
        }
        if matches!(condition, Condition::IfNoneMatchAny) {
            match std::fs::hard_link(&temp.path, &target) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    return Err(S3Error::new(ErrorCode::PreconditionFailed));
                }
                Err(e) => return Err(commit_error(e)),
            }
            temp.done = true;
            // The object is committed; the temp name is only a second link.
            let _ = std::fs::remove_file(&temp.path);
        } else {
            std::fs::rename(&temp.path, &target).map_err(commit_error)?;
            temp.done = true;
        }
        changed_dirs.push(dir);
        for d in changed_dirs.iter().rev() {
            fsync_dir(d).map_err(S3Error::io)?;
        }
        Ok(meta)
    }

    fn delete_blocking(&self, bucket: &str, key: &str) -> Result<()> {
        let _key = self.key_lock(bucket, key).lock().map_err(|_| poisoned())?;
        let bucket_dir = self.bucket_dir(bucket)?;
        let Some(target) = self.existing_path(bucket_dir.clone(), key)? else {
            return Ok(());
        };
        match std::fs::symlink_metadata(&target) {
            Ok(m) if m.is_dir() => return Ok(()),
            Ok(_) => {}
            Err(e) if gone(&e) => return Ok(()),
            Err(e) => return Err(S3Error::io(e)),
        }
        let Some(parent) = target.parent() else {
            return Ok(());
        };
        {
            // Shared: another delete cannot remove `parent` before its fsync.
            let _ns = self.namespace.read().map_err(|_| poisoned())?;
            match std::fs::remove_file(&target) {
                Ok(()) => {}
                Err(e) if gone(&e) => return Ok(()),
                Err(e) => return Err(S3Error::io(e)),
            }
            fsync_dir(parent).map_err(S3Error::io)?;
        }
        // Directories left empty go, so that no empty prefix remains.
        let _ns = self.namespace.write().map_err(|_| poisoned())?;
        let mut cur = parent;
        while cur != bucket_dir && cur.starts_with(&bucket_dir) {
            if std::fs::remove_dir(cur).is_err() {
                break;
            }
            let Some(up) = cur.parent() else { break };
            fsync_dir(up).map_err(S3Error::io)?;
            cur = up;
        }
        Ok(())
    }

    /// Makes `bucket`'s directory with its creation time, durably; `false`
    /// if the bucket exists already.
    fn create_bucket_blocking(&self, bucket: &str) -> Result<bool> {
        let _ns = self.namespace.write().map_err(|_| poisoned())?;
        let dir = self.root.join(bucket);
        match std::fs::create_dir(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                return match std::fs::symlink_metadata(&dir) {
                    Ok(m) if m.file_type().is_symlink() => Err(symlink_refused()),
                    Ok(m) if m.is_dir() => Ok(false),
                    Ok(_) => Err(blocked()),
                    Err(e) => Err(S3Error::io(e)),
                };
            }
            Err(e) => return Err(S3Error::io(e)),
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        rustix::fs::lsetxattr(
            &dir,
            layout::BUCKET_XATTR,
            now.to_string().as_bytes(),
            XattrFlags::empty(),
        )
        .map_err(|e| S3Error::io(e.into()))?;
        fsync_dir(&dir).map_err(S3Error::io)?;
        fsync_dir(&self.root).map_err(S3Error::io)?;
        Ok(true)
    }

    /// Removes `bucket` if it holds no object (its temp directory and the
    /// temp files of uploads in progress go with it; those uploads then
    /// fail with `NoSuchBucket`).
    fn delete_bucket_blocking(&self, bucket: &str) -> Result<()> {
        let _ns = self.namespace.write().map_err(|_| poisoned())?;
        let dir = self.bucket_dir(bucket)?;
        let not_empty = || S3Error::new(ErrorCode::BucketNotEmpty);
        for e in std::fs::read_dir(&dir).map_err(S3Error::io)? {
            let e = e.map_err(S3Error::io)?;
            if e.file_name() != TMP_DIR && e.file_name() != UPLOADS_DIR {
                return Err(not_empty());
            }
        }
        // Multipart uploads in progress go with the bucket.
        match std::fs::remove_dir_all(dir.join(UPLOADS_DIR)) {
            Ok(()) => {}
            Err(e) if gone(&e) => {}
            Err(e) => return Err(S3Error::io(e)),
        }
        let tmp = dir.join(TMP_DIR);
        if let Ok(entries) = std::fs::read_dir(&tmp) {
            for t in entries {
                let _ = std::fs::remove_file(t.map_err(S3Error::io)?.path());
            }
            match std::fs::remove_dir(&tmp) {
                Ok(()) => {}
                Err(e) if gone(&e) => {}
                Err(_) => return Err(not_empty()),
            }
        }
        match std::fs::remove_dir(&dir) {
            Ok(()) => {}
            Err(e) if gone(&e) => return Err(S3Error::new(ErrorCode::NoSuchBucket)),
            Err(_) => return Err(not_empty()),
        }
        fsync_dir(&self.root).map_err(S3Error::io)
    }

    /// The buckets (valid names, directories) with their creation times,
    /// by name.
    fn list_buckets_blocking(&self) -> Result<Vec<(String, i64)>> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(&self.root).map_err(S3Error::io)? {
            let e = e.map_err(S3Error::io)?;
            let Some(name) = e.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            if !layout::valid_bucket_name(&name) {
                continue;
            }
            let Ok(md) = std::fs::symlink_metadata(e.path()) else {
                continue;
            };
            if !md.is_dir() {
                continue;
            }
            out.push((name, Self::created(&e.path(), &md)));
        }
        out.sort();
        Ok(out)
    }

    /// A bucket directory's creation time: its attribute, else its
    /// modification time.
    fn created(dir: &Path, md: &std::fs::Metadata) -> i64 {
        use std::os::unix::fs::MetadataExt;
        let mut buf = [0u8; 32];
        rustix::fs::lgetxattr(dir, layout::BUCKET_XATTR, &mut buf[..])
            .ok()
            .and_then(|n| std::str::from_utf8(&buf[..n]).ok()?.parse().ok())
            .unwrap_or(md.mtime())
    }

    /// Creates `bucket`; `false` if it exists already.
    pub async fn create_bucket(self: &Arc<Self>, bucket: &str) -> Result<bool> {
        let (s, b) = (self.clone(), bucket.to_owned());
        tokio::task::spawn_blocking(move || s.create_bucket_blocking(&b))
            .await
            .map_err(internal)?
    }

    /// Deletes the empty `bucket` (`BucketNotEmpty` otherwise).
    pub async fn delete_bucket(self: &Arc<Self>, bucket: &str) -> Result<()> {
        let (s, b) = (self.clone(), bucket.to_owned());
        tokio::task::spawn_blocking(move || s.delete_bucket_blocking(&b))
            .await
            .map_err(internal)?
    }

    /// The buckets and their creation times (seconds), by name.
    pub async fn list_buckets(self: &Arc<Self>) -> Result<Vec<(String, i64)>> {
        let s = self.clone();
        tokio::task::spawn_blocking(move || s.list_buckets_blocking())
            .await
            .map_err(internal)?
    }

    /// The keys of `bucket` in S3's order from `q`, with their metadata.
    fn list_blocking(&self, bucket: &str, q: &ListQuery) -> Result<Listing> {
        let mut dir = self.bucket_dir(bucket)?;
        let mut walk = Walk {
            q,
            out: Listing::default(),
            last_prefix: None,
            done: q.max == 0,
        };
        if walk.done {
            return Ok(walk.out);
        }
        // The directory of the prefix's complete components (up to its
        // last `/`): only it and what is below it can hold matching keys.
        let base = match q.prefix.rfind('/') {
            Some(i) => &q.prefix[..=i],
            None => "",
        };
        if !base.is_empty() {
            let entries = layout::key_entries(&format!("{base}x"));
            for e in &entries[..entries.len() - 1] {
                dir.push(OsStr::from_bytes(e));
                match std::fs::symlink_metadata(&dir) {
                    Ok(m) if m.file_type().is_symlink() => return Err(symlink_refused()),
                    Ok(m) if m.is_dir() => {}
                    Ok(_) => return Ok(walk.out),
                    Err(e) if gone(&e) => return Ok(walk.out),
                    Err(e) => return Err(S3Error::io(e)),
                }
            }
        }
        walk.dir(&dir, base.as_bytes())?;
        Ok(walk.out)
    }

    /// Lists `bucket` (see [`ListQuery`]).
    pub async fn list(self: &Arc<Self>, bucket: &str, q: ListQuery) -> Result<Listing> {
        let (s, b) = (self.clone(), bucket.to_owned());
        tokio::task::spawn_blocking(move || s.list_blocking(&b, &q))
            .await
            .map_err(internal)?
    }

    /// The directory of upload `id` of `bucket` (`NoSuchUpload` if none).
    fn upload_dir(&self, bucket: &str, id: &str) -> Result<PathBuf> {
        let dir = self.bucket_dir(bucket)?.join(UPLOADS_DIR);
        let valid = id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit());
        let p = dir.join(id);
        if valid && std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_dir()) {
            Ok(p)
        } else {
            Err(S3Error::new(ErrorCode::NoSuchUpload))
        }
    }

    fn create_multipart_blocking(
        &self,
        bucket: &str,
        key: &str,
        headers: &[(String, Vec<u8>)],
        checksum: Option<&str>,
    ) -> Result<String> {
        let _ns = self.namespace.read().map_err(|_| poisoned())?;
        let uploads = self.bucket_dir(bucket)?.join(UPLOADS_DIR);
        match std::fs::create_dir(&uploads) {
            Ok(()) => fsync_dir(uploads.parent().unwrap_or(&uploads)).map_err(S3Error::io)?,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(S3Error::io(e)),
        }
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        let n = self.temps.fetch_add(1, Ordering::Relaxed);
        let id = format!("{nanos:016x}{:016x}", n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let dir = uploads.join(&id);
        std::fs::create_dir(&dir).map_err(S3Error::io)?;
        let mut h = Vec::new();
        for (name, v) in headers {
            h.extend_from_slice(name.as_bytes());
            h.push(0);
            h.extend_from_slice(v);
            h.push(b'\n');
        }
        let mut files = vec![("key", key.as_bytes()), ("headers", &h[..])];
        if let Some(c) = checksum {
            files.push(("checksum", c.as_bytes()));
        }
        for (name, data) in files {
            let f = std::fs::File::create(dir.join(name)).map_err(S3Error::io)?;
            f.write_all_at(data, 0).map_err(S3Error::io)?;
            f.sync_all().map_err(S3Error::io)?;
        }
        fsync_dir(&dir).map_err(S3Error::io)?;
        fsync_dir(&uploads).map_err(S3Error::io)?;
        Ok(id)
    }

    /// The key and stored headers of upload `id`.
    fn upload_blocking(&self, bucket: &str, id: &str) -> Result<UploadInfo> {
        let dir = self.upload_dir(bucket, id)?;
        let key = std::fs::read(dir.join("key")).map_err(S3Error::io)?;
        let raw = std::fs::read(dir.join("headers")).map_err(S3Error::io)?;
        let headers = raw
            .split(|&b| b == b'\n')
            .filter_map(|line| {
                let i = line.iter().position(|&b| b == 0)?;
                Some((
                    String::from_utf8_lossy(&line[..i]).into_owned(),
                    line[i + 1..].to_vec(),
                ))
            })
            .collect();
        let initiated = Self::initiated(id);
        let checksum = match std::fs::read(dir.join("checksum")) {
            Ok(c) => Some(String::from_utf8_lossy(&c).into_owned()),
            Err(e) if gone(&e) => None,
            Err(e) => return Err(S3Error::io(e)),
        };
        Ok(UploadInfo {
            id: id.to_owned(),
            key: String::from_utf8_lossy(&key).into_owned(),
            headers,
            checksum,
            initiated,
        })
    }

    /// When upload `id` was started, in seconds: its id begins with the
    /// creation time in nanoseconds (16 hex digits), so ids in byte order
    /// are in initiation order.
    fn initiated(id: &str) -> i64 {
        id.get(..16)
            .and_then(|h| u64::from_str_radix(h, 16).ok())
            .map_or(0, |ns| (ns / 1_000_000_000) as i64)
    }

    fn list_uploads_blocking(&self, bucket: &str) -> Result<Vec<UploadInfo>> {
        let uploads = self.bucket_dir(bucket)?.join(UPLOADS_DIR);
        let mut out = Vec::new();
        let rd = match std::fs::read_dir(&uploads) {
            Ok(rd) => rd,
            Err(e) if gone(&e) => return Ok(out),
            Err(e) => return Err(S3Error::io(e)),
        };
        for e in rd {
            let e = e.map_err(S3Error::io)?;
            if let Some(id) = e.file_name().to_str()
                && let Ok(info) = self.upload_blocking(bucket, id)
            {
                out.push(info);
            }
        }
        // S3's order: by key, then by initiation (the ids' order).
        out.sort_by(|a, b| (a.key.as_bytes(), &a.id).cmp(&(b.key.as_bytes(), &b.id)));
        Ok(out)
    }

    /// The parts of upload `id` (number, metadata), by number.
    fn parts_blocking(&self, bucket: &str, id: &str) -> Result<Vec<(u32, Meta)>> {
        let dir = self.upload_dir(bucket, id)?;
        let mut out = Vec::new();
        for e in std::fs::read_dir(&dir).map_err(S3Error::io)? {
            let e = e.map_err(S3Error::io)?;
            let name = e.file_name();
            let Some(n) = name
                .to_str()
                .and_then(|n| n.strip_prefix("part-"))
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            if let Some(o) = Self::open_at(&e.path())? {
                out.push((n, o.meta));
            }
        }
        out.sort_by_key(|(n, _)| *n);
        Ok(out)
    }

    #[allow(clippy::too_many_arguments)]
    fn commit_part_blocking(
        &self,
        file: std::fs::File,
        mut temp: Temp,
        bucket: &str,
        id: &str,
        part: u32,
        etag: String,
        checksum: Option<(String, String)>,
    ) -> Result<Meta> {
        let md = file.metadata().map_err(S3Error::io)?;
        let meta = Meta {
            identity: Identity::of(&md),
            etag,
            last_modified: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64),
            checksum,
            checksum_composite: false,
            headers: Vec::new(),
            parts: None,
        };
        rustix::fs::fsetxattr(&file, META_XATTR, &meta.encode(), XattrFlags::empty())
            .map_err(|e| S3Error::io(e.into()))?;
        file.sync_all().map_err(S3Error::io)?;
        drop(file);
        // Shared: an abort (exclusive) cannot remove the directory between
        // the check and the fsync.
        let _ns = self.namespace.read().map_err(|_| poisoned())?;
        let dir = self.upload_dir(bucket, id)?;
        std::fs::rename(&temp.path, dir.join(format!("part-{part:05}"))).map_err(S3Error::io)?;
        temp.done = true;
        fsync_dir(&dir).map_err(S3Error::io)?;
        Ok(meta)
    }

    /// Concatenates `parts` of upload `id` into a temp file and commits
    /// it as its key, then removes the upload, all under the upload's
    /// lock (so an abort or the removal of abandoned uploads waits or
    /// skips it). With `full`, the digest of that algorithm is computed
    /// over the bytes on the way, compared with the one given
    /// (`BadDigest`), and stored as the object's checksum.
    fn complete_blocking(
        &self,
        bucket: &str,
        id: &str,
        parts: &[u32],
        mut new: NewMeta,
        condition: Condition,
        full: Option<(Algorithm, Option<Vec<u8>>)>,
    ) -> Result<Meta> {
        use std::io::{Read, Write};
        let _upload = self
            .upload_lock(bucket, id)
            .lock()
            .map_err(|_| poisoned())?;
        let info = self.upload_blocking(bucket, id)?;
        let dir = self.upload_dir(bucket, id)?;
        let (path, mut file) = self.create_upload_blocking(bucket)?;
        let temp = Temp { path, done: false };
        let mut hasher = full.as_ref().map(|(a, _)| checksum::Hasher::new(*a));
        let mut buf = vec![0u8; 256 * 1024];
        for n in parts {
            let mut part =
                std::fs::File::open(dir.join(format!("part-{n:05}"))).map_err(S3Error::io)?;
            let Some(h) = hasher.as_mut() else {
                io::copy(&mut part, &mut file).map_err(S3Error::io)?;
                continue;
            };
            loop {
                let k = part.read(&mut buf).map_err(S3Error::io)?;
                if k == 0 {
                    break;
                }
                h.update(&buf[..k]);
                file.write_all(&buf[..k]).map_err(S3Error::io)?;
            }
        }
        if let (Some(h), Some((a, want))) = (hasher, full) {
            let got = h.finish();
            if want.is_some_and(|w| w != got) {
                return Err(S3Error::with_message(
                    ErrorCode::BadDigest,
                    format!(
                        "The {} you specified did not match the calculated checksum.",
                        a.name()
                    ),
                ));
            }
            use base64::Engine;
            let b64 = base64::engine::general_purpose::STANDARD.encode(got);
            new.checksum = Some((a.header().to_owned(), b64));
        }
        let meta = self.commit_blocking(file, temp, bucket, &info.key, new, condition)?;
        // The object is committed: the answer is a success whatever
        // happens to the upload's directory now.
        if let Err(e) = self.remove_upload(bucket, id) {
            tracing::error!(
                "completed upload {id} of {bucket} not removed: {:?}",
                e.message
            );
        }
        Ok(meta)
    }

    /// Removes upload `id` (its caller holds the upload's lock): its
    /// directory is renamed out of the uploads' names and that rename is
    /// made durable, so the upload is gone at once and for good; its
    /// files are removed after, a crash meanwhile leaving a directory the
    /// next start-up removes.
    fn remove_upload(&self, bucket: &str, id: &str) -> Result<()> {
        let gone = {
            let _ns = self.namespace.write().map_err(|_| poisoned())?;
            let dir = self.upload_dir(bucket, id)?;
            let gone = dir.with_file_name(format!("{id}{REMOVED_SUFFIX}"));
            std::fs::rename(&dir, &gone).map_err(S3Error::io)?;
            if let Some(parent) = dir.parent() {
                fsync_dir(parent).map_err(S3Error::io)?;
            }
            gone
        };
        std::fs::remove_dir_all(&gone).map_err(S3Error::io)
    }

    fn abort_blocking(&self, bucket: &str, id: &str) -> Result<()> {
        let _upload = self
            .upload_lock(bucket, id)
            .lock()
            .map_err(|_| poisoned())?;
        self.remove_upload(bucket, id)
    }

    /// Removes the uploads of every bucket initiated more than `max_age`
    /// seconds before `now` (seconds since the epoch), as S3's lifecycle
    /// action `AbortIncompleteMultipartUpload` does; an upload being
    /// completed or aborted at that moment is left to that request. The
    /// number removed.
    fn abort_incomplete_blocking(&self, now: i64, max_age: i64) -> io::Result<usize> {
        let mut removed = 0;
        for bucket in std::fs::read_dir(&self.root)? {
            let bucket = bucket?;
            let Some(name) = bucket.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            if !layout::valid_bucket_name(&name) || !bucket.file_type()?.is_dir() {
                continue;
            }
            let uploads = match std::fs::read_dir(bucket.path().join(UPLOADS_DIR)) {
                Ok(rd) => rd,
                Err(e) if gone(&e) => continue,
                Err(e) => return Err(e),
            };
            for u in uploads {
                let Some(id) = u?.file_name().to_str().map(str::to_owned) else {
                    continue;
                };
                let valid = id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit());
                if !valid || now - Self::initiated(&id) <= max_age {
                    continue;
                }
                // Busy (being completed or aborted): left to that request.
                let Ok(_upload) = self.upload_lock(&name, &id).try_lock() else {
                    continue;
                };
                match self.remove_upload(&name, &id) {
                    Ok(()) => removed += 1,
                    Err(e) if e.code == ErrorCode::NoSuchUpload => {}
                    Err(e) => {
                        tracing::error!(
                            "abandoned upload {id} of {name} not removed: {:?}",
                            e.message
                        );
                    }
                }
            }
        }
        Ok(removed)
    }

    /// Removes the uploads initiated more than `max_age` seconds ago
    /// (see `abort_incomplete_blocking`); the number removed.
    pub async fn abort_incomplete(self: &Arc<Self>, max_age: i64) -> io::Result<usize> {
        let s = self.clone();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        tokio::task::spawn_blocking(move || s.abort_incomplete_blocking(now, max_age))
            .await
            .map_err(io::Error::other)?
    }

    /// As [`Store::abort_incomplete`], before the runtime starts.
    pub fn abort_incomplete_now(&self, max_age: i64) -> io::Result<usize> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        self.abort_incomplete_blocking(now, max_age)
    }

    /// Starts a multipart upload of `key`; its id.
    pub async fn create_multipart(
        self: &Arc<Self>,
        bucket: &str,
        key: &str,
        headers: Vec<(String, Vec<u8>)>,
        checksum: Option<String>,
    ) -> Result<String> {
        let (s, b, k) = (self.clone(), bucket.to_owned(), key.to_owned());
        tokio::task::spawn_blocking(move || {
            s.create_multipart_blocking(&b, &k, &headers, checksum.as_deref())
        })
        .await
        .map_err(internal)?
    }

    /// Upload `id`'s key, headers and start.
    pub async fn upload_info(self: &Arc<Self>, bucket: &str, id: &str) -> Result<UploadInfo> {
        let (s, b, i) = (self.clone(), bucket.to_owned(), id.to_owned());
        tokio::task::spawn_blocking(move || s.upload_blocking(&b, &i))
            .await
            .map_err(internal)?
    }

    /// The uploads in progress in `bucket`, by key, then initiation.
    pub async fn list_uploads(self: &Arc<Self>, bucket: &str) -> Result<Vec<UploadInfo>> {
        let (s, b) = (self.clone(), bucket.to_owned());
        tokio::task::spawn_blocking(move || s.list_uploads_blocking(&b))
            .await
            .map_err(internal)?
    }

    /// Upload `id`'s parts, by number.
    pub async fn parts(self: &Arc<Self>, bucket: &str, id: &str) -> Result<Vec<(u32, Meta)>> {
        let (s, b, i) = (self.clone(), bucket.to_owned(), id.to_owned());
        tokio::task::spawn_blocking(move || s.parts_blocking(&b, &i))
            .await
            .map_err(internal)?
    }

    /// Commits `upload` as part `part` of upload `id`, durably.
    pub async fn commit_part(
        self: &Arc<Self>,
        upload: Upload,
        bucket: &str,
        id: &str,
        part: u32,
        etag: String,
        checksum: Option<(String, String)>,
    ) -> Result<Meta> {
        use tokio::io::AsyncWriteExt;
        let Upload { mut file, temp } = upload;
        file.flush().await.map_err(S3Error::io)?;
        let file = file.into_std().await;
        let (s, b, i) = (self.clone(), bucket.to_owned(), id.to_owned());
        tokio::task::spawn_blocking(move || {
            s.commit_part_blocking(file, temp, &b, &i, part, etag, checksum)
        })
        .await
        .map_err(internal)?
    }

    /// Completes upload `id` with `parts` (checked by the caller); with
    /// `full`, the object's checksum of that algorithm is computed (and
    /// compared with the one given).
    pub async fn complete(
        self: &Arc<Self>,
        bucket: &str,
        id: &str,
        parts: Vec<u32>,
        new: NewMeta,
        condition: Condition,
        full: Option<(Algorithm, Option<Vec<u8>>)>,
    ) -> Result<Meta> {
        let (s, b, i) = (self.clone(), bucket.to_owned(), id.to_owned());
        tokio::task::spawn_blocking(move || {
            s.complete_blocking(&b, &i, &parts, new, condition, full)
        })
        .await
        .map_err(internal)?
    }

    /// Aborts upload `id`: its parts are removed.
    pub async fn abort(self: &Arc<Self>, bucket: &str, id: &str) -> Result<()> {
        let (s, b, i) = (self.clone(), bucket.to_owned(), id.to_owned());
        tokio::task::spawn_blocking(move || s.abort_blocking(&b, &i))
            .await
            .map_err(internal)?
    }

    /// Checks that `bucket` exists.
    pub async fn head_bucket(self: &Arc<Self>, bucket: &str) -> Result<()> {
        let (s, b) = (self.clone(), bucket.to_owned());
        tokio::task::spawn_blocking(move || s.bucket_dir(&b).map(drop))
            .await
            .map_err(internal)?
    }

    /// Opens `key` in `bucket`; `None` if there is no such object.
    pub async fn open(self: &Arc<Self>, bucket: &str, key: &str) -> Result<Option<Object>> {
        let (s, b, k) = (self.clone(), bucket.to_owned(), key.to_owned());
        tokio::task::spawn_blocking(move || s.open_blocking(&b, &k))
            .await
            .map_err(internal)?
    }

    /// Starts an upload into `bucket` (which must exist).
    pub async fn create_upload(self: &Arc<Self>, bucket: &str) -> Result<Upload> {
        let (s, b) = (self.clone(), bucket.to_owned());
        let (path, file) = tokio::task::spawn_blocking(move || s.create_upload_blocking(&b))
            .await
            .map_err(internal)??;
        Ok(Upload {
            file: tokio::fs::File::from_std(file),
            temp: Temp { path, done: false },
        })
    }

    /// Commits `upload` as `key` if `condition` holds, durably: when this
    /// returns `Ok`, the object and its metadata survive a power loss.
    pub async fn commit(
        self: &Arc<Self>,
        upload: Upload,
        bucket: &str,
        key: &str,
        new: NewMeta,
        condition: Condition,
    ) -> Result<Meta> {
        use tokio::io::AsyncWriteExt;
        let Upload { mut file, temp } = upload;
        file.flush().await.map_err(S3Error::io)?;
        let file = file.into_std().await;
        let (s, b, k) = (self.clone(), bucket.to_owned(), key.to_owned());
        tokio::task::spawn_blocking(move || s.commit_blocking(file, temp, &b, &k, new, condition))
            .await
            .map_err(internal)?
    }

    /// Deletes `key` durably; no error if it does not exist.
    pub async fn delete(self: &Arc<Self>, bucket: &str, key: &str) -> Result<()> {
        let (s, b, k) = (self.clone(), bucket.to_owned(), key.to_owned());
        tokio::task::spawn_blocking(move || s.delete_blocking(&b, &k))
            .await
            .map_err(internal)?
    }
}

/// A multipart upload in progress.
pub struct UploadInfo {
    /// Its id.
    pub id: String,
    /// The key it completes.
    pub key: String,
    /// The headers the object gets.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The checksum it was created with (`CRC32 COMPOSITE`, …), if any.
    pub checksum: Option<String>,
    /// When it was started (seconds).
    pub initiated: i64,
}

/// What to list.
pub struct ListQuery {
    /// Only keys starting with this.
    pub prefix: String,
    /// Keys continuing past the prefix with this (if not empty) roll up
    /// into one common prefix, up to and including it.
    pub delimiter: String,
    /// Only keys (and common prefixes) after this one.
    pub after: Option<String>,
    /// At most this many keys and common prefixes.
    pub max: usize,
}

/// One page of a listing.
#[derive(Default)]
pub struct Listing {
    /// The keys and their metadata, in order.
    pub objects: Vec<(String, Meta)>,
    /// The common prefixes, in order.
    pub prefixes: Vec<String>,
    /// More keys follow.
    pub truncated: bool,
    /// The last key or common prefix of the page.
    pub last: Option<String>,
}

/// A walk of the layout in S3's order (`layout.rs`, "Byte order"): each
/// directory is read and sorted by its entries' sort keys, and an entry is
/// skipped whole when no key below it can be listed (outside the prefix,
/// not after `after`, or rolled up into a common prefix).
struct Walk<'a> {
    q: &'a ListQuery,
    out: Listing,
    last_prefix: Option<Vec<u8>>,
    done: bool,
}

impl Walk<'_> {
    /// Adds a key or a common prefix; past `max`, marks the page
    /// truncated and stops.
    fn room(&mut self) -> bool {
        if self.out.objects.len() + self.out.prefixes.len() >= self.q.max {
            self.out.truncated = true;
            self.done = true;
            return false;
        }
        true
    }

    fn common_prefix(&mut self, cp: &[u8]) {
        if self.last_prefix.as_deref() == Some(cp) || !self.room() {
            return;
        }
        let s = String::from_utf8_lossy(cp).into_owned();
        self.out.last = Some(s.clone());
        self.out.prefixes.push(s);
        self.last_prefix = Some(cp.to_vec());
    }

    /// The entries of `dir` (whose keys start with `base`), in order.
    fn dir(&mut self, dir: &Path, base: &[u8]) -> Result<()> {
        let rd = match std::fs::read_dir(dir) {
            Ok(rd) => rd,
            Err(e) if gone(&e) => return Ok(()),
            Err(e) => return Err(S3Error::io(e)),
        };
        let mut entries = Vec::new();
        for e in rd {
            let e = match e {
                Ok(e) => e,
                Err(e) if gone(&e) => continue,
                Err(e) => return Err(S3Error::io(e)),
            };
            let name = e.file_name();
            let Some(entry) = layout::parse_entry(name.as_bytes()) else {
                continue;
            };
            let Ok(ft) = e.file_type() else { continue };
            let object = matches!(entry, layout::Entry::Object(_));
            if (object && !ft.is_file()) || (!object && !ft.is_dir()) {
                continue;
            }
            entries.push((entry.sort_key(), object, name));
        }
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let prefix = self.q.prefix.as_bytes();
        let delimiter = self.q.delimiter.as_bytes();
        let after = self.q.after.as_deref().map(str::as_bytes);
        for (sort_key, object, name) in entries {
            if self.done {
                break;
            }
            let mut p = base.to_vec();
            p.extend_from_slice(&sort_key);
            // Every key below the entry starts with `p` (an object's key
            // is `p`).
            let relevant = p.starts_with(prefix) || (!object && prefix.starts_with(&p));
            if !relevant {
                continue;
            }
            if let Some(a) = after {
                let all_before = if object {
                    p.as_slice() <= a
                } else {
                    p.as_slice() < a && !a.starts_with(&p)
                };
                if all_before {
                    continue;
                }
            }
            if !delimiter.is_empty()
                && p.len() > prefix.len()
                && let Some(i) = find(&p[prefix.len()..], delimiter)
            {
                let cp = &p[..prefix.len() + i + delimiter.len()];
                match after {
                    Some(a) if a == cp => continue,
                    // Keys below may come before or after `a`: look.
                    Some(a) if a.starts_with(cp) && !object => {}
                    _ => {
                        self.common_prefix(cp);
                        continue;
                    }
                }
            }
            let path = dir.join(&name);
            if !object {
                self.dir(&path, &p)?;
                continue;
            }
            let Ok(key) = String::from_utf8(p) else {
                continue;
            };
            if let Some(o) = Store::open_at(&path)? {
                if !self.room() {
                    break;
                }
                self.out.last = Some(key.clone());
                self.out.objects.push((key, o.meta));
            }
        }
        Ok(())
    }
}

/// Where `needle` first occurs in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn poisoned() -> S3Error {
    S3Error::io(io::Error::other("a lock was poisoned"))
}

fn commit_error(e: io::Error) -> S3Error {
    match e.kind() {
        io::ErrorKind::IsADirectory | io::ErrorKind::DirectoryNotEmpty => blocked(),
        io::ErrorKind::CrossesDevices => S3Error::io(io::Error::other(format!(
            "{e}: a mount point inside a bucket (below its directory) is not supported"
        ))),
        _ => S3Error::io(e),
    }
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An upload past the age is removed unless its lock is held (it is
    /// being completed or aborted): then it is left to that request.
    #[test]
    fn abandoned_uploads_are_removed_unless_busy() {
        let root = std::env::temp_dir().join(format!("s3err-store-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("bucket")).unwrap();
        let store = Store::new(root.clone()).unwrap();
        let old = store
            .create_multipart_blocking("bucket", "old", &[], None)
            .unwrap();
        let new = store
            .create_multipart_blocking("bucket", "new", &[], None)
            .unwrap();
        let now = Store::initiated(&new);
        // Ten days later, both are over a nine-day limit; at eight days
        // neither is.
        let day = 86_400;
        assert_eq!(
            store
                .abort_incomplete_blocking(now + 8 * day, 9 * day)
                .unwrap(),
            0
        );
        // The locks are striped: `new` may share `old`'s, and then waits
        // with it.
        let shared = std::ptr::eq(
            store.upload_lock("bucket", &old),
            store.upload_lock("bucket", &new),
        );
        let busy = store.upload_lock("bucket", &old).lock().unwrap();
        let removed = store
            .abort_incomplete_blocking(now + 10 * day, 9 * day)
            .unwrap();
        assert_eq!(removed, usize::from(!shared));
        assert!(store.upload_dir("bucket", &old).is_ok());
        assert_eq!(store.upload_dir("bucket", &new).is_ok(), shared);
        drop(busy);
        let removed = store
            .abort_incomplete_blocking(now + 10 * day, 9 * day)
            .unwrap();
        assert_eq!(removed, 1 + usize::from(shared));
        assert_eq!(
            store.upload_dir("bucket", &old).err().map(|e| e.code),
            Some(ErrorCode::NoSuchUpload)
        );
        // Nothing is left of them, not even a renamed directory.
        let left: Vec<_> = std::fs::read_dir(root.join("bucket").join(UPLOADS_DIR))
            .unwrap()
            .collect();
        assert!(left.is_empty(), "{left:?}");
        drop(store);
        let _ = std::fs::remove_dir_all(&root);
    }
}
