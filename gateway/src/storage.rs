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

use crate::error::S3Error;
use crate::layout::{self, LOCK_FILE, META_XATTR, TMP_DIR};
use crate::meta::{Identity, Meta, etag_matches};

type Result<T> = std::result::Result<T, S3Error>;

const KEY_LOCKS: usize = 256;

/// The storage of one root.
pub struct Store {
    root: PathBuf,
    /// Holds the root's `flock` for the life of the process.
    _lock: std::fs::File,
    key_locks: Vec<Mutex<()>>,
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
    /// The headers to give back.
    pub headers: Vec<(String, Vec<u8>)>,
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

    /// Temp files in `ROOT/{bucket}/.s3err-tmp/` are stale once this
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
            headers: Vec::new(),
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
        let meta = Meta {
            identity: Identity::of(&md),
            etag: new.etag,
            last_modified: now,
            checksum: new.checksum,
            headers: new.headers,
        };
        match rustix::fs::fsetxattr(&file, META_XATTR, &meta.encode(), XattrFlags::empty()) {
            Ok(()) => {}
            Err(
                rustix::io::Errno::TOOBIG | rustix::io::Errno::NOSPC | rustix::io::Errno::RANGE,
            ) => {
                return Err(S3Error::with_message(
                    ErrorCode::MetadataTooLarge,
                    "The object's headers do not fit in the file system's extended attributes."
                        .into(),
                ));
            }
            Err(e) => return Err(S3Error::io(e.into())),
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
