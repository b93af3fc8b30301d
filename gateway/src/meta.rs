//! An object's stored metadata and its serialised form (the value of the
//! `user.s3err` extended attribute of the object's file).
//!
//! ```text
//! s3err-meta 1
//! ino:1234
//! size:11
//! mtime:1764755562.123456789
//! etag:"5eb63bbbe01eeed093cb22bb8f5acdc3"
//! last-modified:1764755562
//! checksum:x-amz-checksum-crc32:DUoRhQ==
//! h:content-type:text/plain
//! h:x-amz-meta-color:blue
//! ```
//!
//! One field a line; header values never hold CR, LF or NUL, so they are
//! stored as they came. `ino`, `size` and `mtime` identify the file the
//! record describes: a record whose identity no longer matches its file
//! (another program rewrote or copied it) is ignored.
//!
//! A checksum of S3's composite type (a multipart upload's checksum of
//! its parts' checksums, `…-N`) is marked `checksum-type:COMPOSITE`;
//! without the line a checksum is of the whole object.
//!
//! An object completed by a multipart upload also has `parts:N`, its
//! number of parts, and `part-sizes:`, each part's size in order as runs
//! of equal sizes (`5242880*3,1024`: three parts of 5 MiB, then one of
//! 1 KiB), which is how GetObject finds a part's bytes. A record without
//! them (a single PUT's, or a multipart object's written by an older
//! gateway) is valid: the object has no part table.

/// What identifies a file's content without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Identity {
    /// Inode number.
    pub ino: u64,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, seconds and nanoseconds since the epoch.
    pub mtime: (i64, i64),
}

impl Identity {
    /// The identity of a file from its metadata.
    pub fn of(m: &std::fs::Metadata) -> Identity {
        use std::os::unix::fs::MetadataExt;
        Identity {
            ino: m.ino(),
            size: m.size(),
            mtime: (m.mtime(), m.mtime_nsec()),
        }
    }
}

/// The metadata S3 keeps with an object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meta {
    /// The file this record describes.
    pub identity: Identity,
    /// The quoted ETag.
    pub etag: String,
    /// Last-Modified, seconds since the epoch.
    pub last_modified: i64,
    /// The flexible checksum the object was sent with: header name and
    /// base64 value.
    pub checksum: Option<(String, String)>,
    /// The checksum is of S3's composite type (`…-N`), not of the whole
    /// object's bytes.
    pub checksum_composite: bool,
    /// Headers given back on GET and HEAD (`content-type`, …,
    /// `x-amz-meta-*`), lower-case names, in the order stored.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The parts of an object completed by a multipart upload.
    pub parts: Option<Parts>,
}

/// The parts an object was assembled from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parts {
    /// How many parts.
    pub count: u32,
    /// Each part's size, in order; `None` when the table did not fit the
    /// file system's attribute space (only the count is kept then).
    pub sizes: Option<Vec<u64>>,
}

impl Parts {
    /// Part `n` (1-based) as its first byte and length; `None` past the
    /// last part or when the sizes are not recorded.
    pub fn range(&self, n: u32) -> Option<(u64, u64)> {
        let sizes = self.sizes.as_ref()?;
        let i = usize::try_from(n).ok()?.checked_sub(1)?;
        let size = *sizes.get(i)?;
        Some((sizes[..i].iter().sum(), size))
    }

    /// The sizes as runs: `5242880*3,1024`.
    fn encode_sizes(sizes: &[u64]) -> String {
        let mut runs: Vec<(u64, usize)> = Vec::new();
        for &s in sizes {
            match runs.last_mut() {
                Some((size, n)) if *size == s => *n += 1,
                _ => runs.push((s, 1)),
            }
        }
        let text: Vec<String> = runs
            .iter()
            .map(|&(s, n)| {
                if n == 1 {
                    s.to_string()
                } else {
                    format!("{s}*{n}")
                }
            })
            .collect();
        text.join(",")
    }

    /// The runs read back; `None` if malformed or over 10,000 parts.
    fn decode_sizes(text: &str) -> Option<Vec<u64>> {
        let mut out = Vec::new();
        for run in text.split(',') {
            let (size, n) = match run.split_once('*') {
                Some((s, n)) => (s.parse::<u64>().ok()?, n.parse::<usize>().ok()?),
                None => (run.parse::<u64>().ok()?, 1),
            };
            if n == 0 || out.len() + n > 10_000 {
                return None;
            }
            out.extend(std::iter::repeat_n(size, n));
        }
        Some(out)
    }
}

const MAGIC: &str = "s3err-meta 1";

impl Meta {
    /// The record's bytes.
    pub fn encode(&self) -> Vec<u8> {
        let id = &self.identity;
        let mut out = format!(
            "{MAGIC}\nino:{}\nsize:{}\nmtime:{}.{:09}\netag:{}\nlast-modified:{}\n",
            id.ino, id.size, id.mtime.0, id.mtime.1, self.etag, self.last_modified
        )
        .into_bytes();
        if let Some((name, value)) = &self.checksum {
            out.extend_from_slice(format!("checksum:{name}:{value}\n").as_bytes());
        }
        if self.checksum_composite {
            out.extend_from_slice(b"checksum-type:COMPOSITE\n");
        }
        if let Some(p) = &self.parts {
            out.extend_from_slice(format!("parts:{}\n", p.count).as_bytes());
            if let Some(sizes) = &p.sizes {
                let runs = Parts::encode_sizes(sizes);
                out.extend_from_slice(format!("part-sizes:{runs}\n").as_bytes());
            }
        }
        for (name, value) in &self.headers {
            out.extend_from_slice(b"h:");
            out.extend_from_slice(name.as_bytes());
            out.push(b':');
            out.extend_from_slice(value);
            out.push(b'\n');
        }
        out
    }

    /// Reads a record; `None` if it is not one this version wrote.
    pub fn decode(bytes: &[u8]) -> Option<Meta> {
        let mut lines = bytes.split(|&b| b == b'\n');
        if lines.next()? != MAGIC.as_bytes() {
            return None;
        }
        let mut ino = None;
        let mut size = None;
        let mut mtime = None;
        let mut etag = None;
        let mut last_modified = None;
        let mut checksum = None;
        let mut headers = Vec::new();
        let mut parts_count = None;
        let mut part_sizes = None;
        let mut checksum_composite = false;
        for line in lines {
            if line.is_empty() {
                continue;
            }
            let colon = line.iter().position(|&b| b == b':')?;
            let (field, value) = (&line[..colon], &line[colon + 1..]);
            let text = || std::str::from_utf8(value).ok();
            match field {
                b"ino" => ino = text()?.parse().ok(),
                b"size" => size = text()?.parse().ok(),
                b"mtime" => {
                    let (s, ns) = text()?.split_once('.')?;
                    mtime = Some((s.parse().ok()?, ns.parse().ok()?));
                }
                b"etag" => etag = Some(text()?.to_owned()),
                b"last-modified" => last_modified = text()?.parse().ok(),
                b"checksum" => {
                    let (n, v) = text()?.split_once(':')?;
                    checksum = Some((n.to_owned(), v.to_owned()));
                }
                b"checksum-type" => {
                    checksum_composite = match value {
                        b"COMPOSITE" => true,
                        b"FULL_OBJECT" => false,
                        _ => return None,
                    }
                }
                b"parts" => parts_count = Some(text()?.parse::<u32>().ok()?),
                b"part-sizes" => part_sizes = Some(Parts::decode_sizes(text()?)?),
                b"h" => {
                    let c = value.iter().position(|&b| b == b':')?;
                    let name = std::str::from_utf8(&value[..c]).ok()?;
                    headers.push((name.to_owned(), value[c + 1..].to_vec()));
                }
                _ => return None,
            }
        }
        let parts = match (parts_count, part_sizes) {
            (None, None) => None,
            (Some(count), sizes) => {
                if sizes.as_ref().is_some_and(|s| s.len() != count as usize) {
                    return None;
                }
                Some(Parts { count, sizes })
            }
            (None, Some(_)) => return None,
        };
        Some(Meta {
            identity: Identity {
                ino: ino?,
                size: size?,
                mtime: mtime?,
            },
            etag: etag?,
            last_modified: last_modified?,
            checksum,
            checksum_composite,
            headers,
            parts,
        })
    }

    /// The `Content-Type` stored, or S3's default.
    pub fn content_type(&self) -> &[u8] {
        self.headers
            .iter()
            .find(|(n, _)| n == "content-type")
            .map_or(b"binary/octet-stream", |(_, v)| v)
    }
}

/// Does an `If-Match` / `If-None-Match` list match `etag`? (`*` matches
/// any; weak and strong forms compare equal, as S3 compares them.)
pub fn etag_matches(list: &str, etag: &str) -> bool {
    let bare = etag.trim_matches('"');
    list.split(',')
        .map(str::trim)
        .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t).trim_matches('"') == bare)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        let m = Meta {
            identity: Identity {
                ino: 42,
                size: 11,
                mtime: (1_764_755_562, 7),
            },
            etag: "\"5eb63bbbe01eeed093cb22bb8f5acdc3\"".into(),
            last_modified: 1_764_755_562,
            checksum: Some(("x-amz-checksum-crc32".into(), "DUoRhQ==".into())),
            checksum_composite: false,
            headers: vec![
                ("content-type".into(), b"text/plain; charset=utf-8".to_vec()),
                ("x-amz-meta-a".into(), b"x:y \xe9".to_vec()),
            ],
            parts: None,
        };
        let bytes = m.encode();
        assert!(bytes.starts_with(b"s3err-meta 1\nino:42\nsize:11\nmtime:1764755562.000000007\n"));
        assert_eq!(Meta::decode(&bytes), Some(m.clone()));
        let mut m2 = m.clone();
        m2.headers.clear();
        m2.checksum = None;
        assert_eq!(m2.content_type(), b"binary/octet-stream");
        assert_eq!(Meta::decode(&m2.encode()), Some(m2));
        let mut m3 = m.clone();
        m3.checksum = Some((
            "x-amz-checksum-sha1".into(),
            "CBB1y8xhBCot1HoCMQCx18NR2tU=-2".into(),
        ));
        m3.checksum_composite = true;
        let bytes = m3.encode();
        assert!(String::from_utf8_lossy(&bytes).contains("\nchecksum-type:COMPOSITE\n"));
        assert_eq!(Meta::decode(&bytes), Some(m3));
        for bad in [
            &b""[..],
            b"s3err-meta 2\n",
            b"s3err-meta 1\nino:1\n",
            b"s3err-meta 1\nino:x\nsize:1\nmtime:1.0\netag:e\nlast-modified:1\n",
            b"s3err-meta 1\nino:1\nsize:1\nmtime:1.0\netag:e\nlast-modified:1\nwhat:1\n",
            // Part sizes without a count, a count that disagrees, bad runs.
            b"s3err-meta 1\nino:1\nsize:1\nmtime:1.0\netag:e\nlast-modified:1\npart-sizes:1\n",
            b"s3err-meta 1\nino:1\nsize:1\nmtime:1.0\netag:e\nlast-modified:1\nparts:2\npart-sizes:1\n",
            b"s3err-meta 1\nino:1\nsize:1\nmtime:1.0\netag:e\nlast-modified:1\nparts:1\npart-sizes:1*0\n",
            b"s3err-meta 1\nino:1\nsize:1\nmtime:1.0\netag:e\nlast-modified:1\nparts:1\npart-sizes:x\n",
            b"s3err-meta 1\nino:1\nsize:1\nmtime:1.0\netag:e\nlast-modified:1\nparts:10001\npart-sizes:1*10001\n",
        ] {
            assert_eq!(
                Meta::decode(bad),
                None,
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn part_tables() {
        let base = "s3err-meta 1\nino:1\nsize:10485767\nmtime:1.000000000\netag:\"e-3\"\nlast-modified:1\n";
        let text = format!("{base}parts:3\npart-sizes:5242880*2,7\n");
        let m = Meta::decode(text.as_bytes()).unwrap();
        let p = m.parts.clone().unwrap();
        assert_eq!(p.count, 3);
        assert_eq!(p.sizes.as_deref(), Some(&[5_242_880, 5_242_880, 7][..]));
        assert_eq!(p.range(1), Some((0, 5_242_880)));
        assert_eq!(p.range(2), Some((5_242_880, 5_242_880)));
        assert_eq!(p.range(3), Some((10_485_760, 7)));
        assert_eq!(p.range(0), None);
        assert_eq!(p.range(4), None);
        assert_eq!(m.encode(), text.as_bytes());
        // Runs only where sizes repeat.
        assert_eq!(Parts::encode_sizes(&[3, 1, 1, 2, 2, 2]), "3,1*2,2*3");
        // A count without sizes: the table did not fit.
        let m = Meta::decode(format!("{base}parts:3\n").as_bytes()).unwrap();
        let p = m.parts.unwrap();
        assert_eq!((p.count, p.range(1)), (3, None));
        // A record of a single PUT has no table.
        assert_eq!(Meta::decode(base.as_bytes()).unwrap().parts, None);
    }

    #[test]
    fn etags() {
        let e = "\"0cc175b9c0f1b6a831c399e269772661\"";
        assert!(etag_matches(e, e));
        assert!(etag_matches("0cc175b9c0f1b6a831c399e269772661", e));
        assert!(etag_matches(
            "\"x\", W/\"0cc175b9c0f1b6a831c399e269772661\"",
            e
        ));
        assert!(etag_matches("*", e));
        assert!(!etag_matches("\"0cc175b9c0f1b6a831c399e269772662\"", e));
    }
}
