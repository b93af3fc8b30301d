//! The gateway keeps what it acknowledged and answers as S3: conditional
//! writes, stored metadata, durability (the system calls, under strace),
//! streaming bodies, races on shared directories, presigned URLs, and
//! S3's answers to awkward requests. Each test drives the real binary
//! over a socket.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use common::{Gateway, Resp, TempDir, files, raw};

// MD5s computed apart (Python's hashlib).
const MD5_HELLO_WORLD: &str = "\"5eb63bbbe01eeed093cb22bb8f5acdc3\"";
const MD5_HELLO: &str = "\"5d41402abc4b2a76b9719d911017c592\"";
const MD5_ONE: &str = "\"f97c5d29941bfb1b2fdab0874906ab82\"";
const MD5_TWO: &str = "\"9f5b6d9a034d175868bf593885b7dc4e\"";
const MD5_V1: &str = "\"6654c734ccab8f440ff0825eb443dc7f\"";
const MD5_V2: &str = "\"1b267619c4812cc46ee281747884ca50\"";

fn expect(r: &Resp, status: u16, code: &str) {
    assert_eq!(r.status, status, "{r:?}");
    assert_eq!(r.code(), code, "{r:?}");
}

#[test]
fn any_two_keys_coexist_and_the_gateway_files_are_not_objects() {
    let gw = Gateway::start(&[]);
    let long = "L".repeat(300);
    let keys = [
        "a".to_string(),
        "a/".to_string(),
        "a/b".to_string(),
        "a//b".to_string(),
        "/".to_string(),
        "..".to_string(),
        "./x".to_string(),
        ".s3err-tmp".to_string(),
        ".s3err-tmp/put-0".to_string(),
        ".s3err-lock".to_string(),
        "100%".to_string(),
        long.clone(),
        format!("{long}/{long}"),
    ];
    for (i, k) in keys.iter().enumerate() {
        let path = percent(k);
        let r = gw.put(&path, format!("body {i}").as_bytes(), &[]);
        assert_eq!(r.status, 200, "{k:?}: {r:?}");
    }
    for (i, k) in keys.iter().enumerate() {
        let r = gw.get(&percent(k), &[]);
        assert_eq!(r.status, 200, "{k:?}: {r:?}");
        assert_eq!(r.body, format!("body {i}").as_bytes(), "{k:?}");
    }
    // The gateway's own files are neither buckets nor objects.
    for path in [
        "/.s3err-lock/x",
        "/.s3err-tmp/x",
        "/bucket/.s3err-tmp/put-1",
    ] {
        let r = gw.send("GET", path, &[], b"");
        assert_ne!(r.status, 200, "{path}: {r:?}");
    }
}

/// Percent-encodes everything but unreserved characters and `/`.
fn percent(k: &str) -> String {
    k.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A key over 1,024 bytes gets S3's `KeyTooLongError`, not Zenko's
/// `KeyTooLong`; 1,024 bytes is accepted.
#[test]
fn a_key_over_1024_bytes_is_key_too_long_error() {
    let gw = Gateway::start(&[]);
    // Components of 100 bytes, so that no file name is over the file
    // system's limit: 10 of them and 24 bytes is 1,024.
    let fits = format!(
        "{}{}",
        format!("{}/", "k".repeat(99)).repeat(10),
        "k".repeat(24)
    );
    assert_eq!(fits.len(), 1024);
    let over = format!("{fits}k");
    let r = gw.put(&over, b"v", &[]);
    expect(&r, 400, "KeyTooLongError");
    let r = gw.get(&over, &[]);
    expect(&r, 400, "KeyTooLongError");
    assert_eq!(gw.put(&fits, b"v", &[]).status, 200);
    assert_eq!(gw.get(&fits, &[]).body, b"v");
}

#[test]
fn conditional_writes_as_s3() {
    let gw = Gateway::start(&[]);
    assert_eq!(gw.put("k", b"v1", &[]).status, 200);
    // A stale If-Match: 412, the object is unchanged.
    let r = gw.put("k", b"v2", &[("If-Match", MD5_V2)]);
    expect(&r, 412, "PreconditionFailed");
    assert_eq!(gw.get("k", &[]).body, b"v1");
    // If-Match on a missing key: 404, nothing created.
    let r = gw.put("missing", b"v2", &[("If-Match", MD5_V1)]);
    expect(&r, 404, "NoSuchKey");
    assert_eq!(gw.get("missing", &[]).status, 404);
    // If-None-Match with an ETag: 501.
    let r = gw.put("k", b"v2", &[("If-None-Match", MD5_V1)]);
    expect(&r, 501, "NotImplemented");
    assert_eq!(gw.get("k", &[]).body, b"v1");
    // The right ETag: written.
    let r = gw.put("k", b"v2", &[("If-Match", MD5_V1)]);
    assert_eq!((r.status, r.header("etag")), (200, Some(MD5_V2)));
    // Create-only on an existing key: 412; on a new one: 200.
    expect(
        &gw.put("k", b"v3", &[("If-None-Match", "*")]),
        412,
        "PreconditionFailed",
    );
    assert_eq!(gw.put("new", b"v1", &[("If-None-Match", "*")]).status, 200);
    assert_eq!(gw.get("k", &[]).body, b"v2");
}

/// Several create-only writers of one key at once, hundreds of times:
/// exactly one gets 200, the others 412, and the object is the winner's.
#[test]
fn create_only_has_exactly_one_winner() {
    let gw = Arc::new(Gateway::start(&[]));
    const WRITERS: usize = 4;
    for round in 0..150 {
        let key = format!("race/{round}");
        let barrier = Arc::new(Barrier::new(WRITERS));
        let handles: Vec<_> = (0..WRITERS)
            .map(|w| {
                let (gw, key, barrier) = (gw.clone(), key.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    let r = gw.put(
                        &key,
                        format!("writer {w}").as_bytes(),
                        &[("If-None-Match", "*")],
                    );
                    (w, r.status)
                })
            })
            .collect();
        let results: Vec<(usize, u16)> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let winners: Vec<usize> = results.iter().filter(|r| r.1 == 200).map(|r| r.0).collect();
        assert_eq!(winners.len(), 1, "round {round}: {results:?}");
        assert!(
            results.iter().all(|r| r.1 == 200 || r.1 == 412),
            "{results:?}"
        );
        assert_eq!(
            gw.get(&key, &[]).body,
            format!("writer {}", winners[0]).as_bytes()
        );
    }
}

/// AWS SDK for Java 1.x: a signed streaming body without
/// `Content-Encoding: aws-chunked`.
#[test]
fn a_streaming_signature_means_aws_chunked() {
    let gw = Gateway::start(&[]);
    let sig = "0".repeat(64);
    let body = format!("5;chunk-signature={sig}\r\nhello\r\n0;chunk-signature={sig}\r\n\r\n");
    let r = gw.put(
        "java",
        body.as_bytes(),
        &[
            ("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
            ("x-amz-decoded-content-length", "5"),
        ],
    );
    assert_eq!(
        (r.status, r.header("etag")),
        (200, Some(MD5_HELLO)),
        "{r:?}"
    );
    let r = gw.get("java", &[]);
    assert_eq!(r.body, b"hello");
    assert_eq!(r.header("content-encoding"), None);
    // A streaming mode the gateway does not know is refused.
    let r = gw.put(
        "java",
        body.as_bytes(),
        &[
            ("x-amz-content-sha256", "STREAMING-SOMETHING-ELSE"),
            ("x-amz-decoded-content-length", "5"),
        ],
    );
    expect(&r, 400, "InvalidArgument");
    assert_eq!(gw.get("java", &[]).body, b"hello");
}

/// The system calls of a PUT into new directories and of its DELETE, as
/// strace records them: fsync(temp) → rename → fsync of each changed
/// directory → the response; unlink → fsync(parent) → the response.
#[test]
fn durability_order_under_strace() {
    let found = std::process::Command::new("strace").arg("-V").output();
    assert!(
        found.is_ok_and(|o| o.status.success()),
        "this test needs strace (apt-get install strace)"
    );
    let dir = TempDir::new("strace");
    let trace = dir.0.join("trace");
    let root = dir.0.join("root");
    std::fs::create_dir_all(root.join("bucket")).unwrap();
    let trace_s = trace.display().to_string();
    let gw = Gateway::start_on(
        dir,
        root,
        &[
            "strace",
            "-f",
            "-qq",
            "-y",
            "-s",
            "24",
            "-o",
            &trace_s,
            "-e",
            "trace=fsync,fdatasync,rename,renameat,renameat2,link,linkat,unlink,unlinkat,rmdir,mkdir,mkdirat,write,writev,sendto,sendmsg",
        ],
        &[],
    );
    assert_eq!(gw.put("d1/d2/obj", b"hello", &[]).status, 200);
    let mark = std::fs::read_to_string(&trace).unwrap().lines().count();
    assert_eq!(gw.send("DELETE", "/bucket/d1/d2/obj", &[], b"").status, 204);
    std::thread::sleep(Duration::from_millis(200));
    let text = std::fs::read_to_string(&trace).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let bucket = gw.bucket().display().to_string();
    let find = |from: usize, what: &dyn Fn(&str) -> bool, name: &str| -> usize {
        from + lines[from..]
            .iter()
            .position(|l| what(l))
            .unwrap_or_else(|| panic!("no {name} after line {from} in:\n{text}"))
    };
    let tmp = format!("{bucket}/.s3err-tmp/");
    let obj = format!("{bucket}/dd1/dd2/oobj");
    let put = &lines[..mark];
    let _ = put;
    let fsync_temp = find(
        0,
        &|l| l.contains("fsync(") && l.contains(&tmp),
        "fsync of the temp file (in the bucket)",
    );
    let rename = find(
        fsync_temp,
        &|l| l.contains("rename") && l.contains(&tmp) && l.contains(&obj) && l.contains("= 0"),
        "rename of the temp file",
    );
    let mut last_dir_sync = rename;
    for d in ["dd1/dd2", "dd1", ""] {
        let path = format!("{bucket}/{d}").trim_end_matches('/').to_string();
        let at = find(
            rename,
            &|l| l.contains("fsync(") && l.contains(&format!("<{path}>")),
            &format!("fsync of {path}"),
        );
        last_dir_sync = last_dir_sync.max(at);
    }
    let response = find(0, &|l| l.contains("HTTP/1.1 200"), "the 200 response");
    assert!(
        response > last_dir_sync,
        "response at {response}, last fsync at {last_dir_sync}:\n{text}"
    );
    assert!(response < mark);
    // The DELETE.
    let unlink = find(
        mark,
        &|l| l.contains("unlink") && l.contains(&obj),
        "unlink",
    );
    let sync = find(
        unlink,
        &|l| l.contains("fsync(") && l.contains(&format!("<{bucket}/dd1/dd2>")),
        "fsync of the parent",
    );
    let response = find(mark, &|l| l.contains("HTTP/1.1 204"), "the 204 response");
    assert!(response > sync, "{text}");
    // The emptied directories are gone, each removal synced too.
    let rm = find(
        sync,
        &|l| l.contains("rmdir") && l.contains("/dd1\""),
        "rmdir of dd1",
    );
    let last = find(
        rm,
        &|l| l.contains("fsync(") && l.contains(&format!("<{bucket}>")),
        "fsync of the bucket",
    );
    assert!(response > last, "{text}");
    assert!(!gw.bucket().join("dd1").exists());
}

/// /proc/PID/io's rchar: bytes the process read (files and sockets).
fn rchar(gw: &Gateway) -> u64 {
    let io = std::fs::read_to_string(format!("/proc/{}/io", gw.child.id())).unwrap();
    io.lines()
        .find_map(|l| l.strip_prefix("rchar: "))
        .unwrap()
        .parse()
        .unwrap()
}

/// HEAD and a one-byte ranged GET of a 32 MiB object read a few KiB, not
/// the object.
#[test]
fn head_and_ranged_get_read_only_what_they_send() {
    let gw = Gateway::start(&[]);
    let big = vec![7u8; 32 << 20];
    assert_eq!(gw.put("big", &big, &[]).status, 200);
    let before = rchar(&gw);
    let r = gw.send("HEAD", "/bucket/big", &[], b"");
    assert_eq!(
        (r.status, r.header("content-length")),
        (200, Some("33554432"))
    );
    let r = gw.get("big", &[("Range", "bytes=1000-1000")]);
    assert_eq!((r.status, r.body.as_slice()), (206, &[7u8][..]));
    let read = rchar(&gw) - before;
    assert!(read < 64 * 1024, "read {read} bytes");
}

/// PUT, GET and DELETE of keys sharing a directory, racing, hundreds of
/// rounds: the directory is emptied and made again all the time, and
/// there is never a 500; a GET of a key deleted under it is 404.
#[test]
fn races_on_shared_directories_never_give_500() {
    let gw = Arc::new(Gateway::start(&[]));
    let rounds = 300;
    // (method, key): two writers and two deleters of the directory's only
    // two keys, and a reader.
    let roles = [
        ("PUT", "shared/dir/x"),
        ("DELETE", "shared/dir/x"),
        ("PUT", "shared/dir/y"),
        ("DELETE", "shared/dir/y"),
        ("GET", "shared/dir/x"),
    ];
    let handles: Vec<_> = roles
        .iter()
        .map(|&(method, key)| {
            let gw = gw.clone();
            std::thread::spawn(move || {
                let body: &[u8] = if method == "PUT" { b"data" } else { b"" };
                (0..rounds)
                    .map(|_| gw.send(method, &format!("/bucket/{key}"), &[], body).status)
                    .collect::<Vec<u16>>()
            })
        })
        .collect();
    for ((method, _), h) in roles.iter().zip(handles) {
        let statuses = h.join().unwrap();
        let allowed: &[u16] = match *method {
            "PUT" => &[200],
            "DELETE" => &[204],
            _ => &[200, 404],
        };
        let bad: Vec<&u16> = statuses.iter().filter(|s| !allowed.contains(s)).collect();
        assert!(bad.is_empty(), "{method}: {bad:?}");
    }
}

#[test]
fn last_modified_and_the_date_conditions() {
    let gw = Gateway::start(&[]);
    let before = std::time::SystemTime::now();
    assert_eq!(gw.put("k", b"hello", &[]).status, 200);
    let r = gw.send("HEAD", "/bucket/k", &[], b"");
    let lm = r
        .header("last-modified")
        .expect("Last-Modified")
        .to_string();
    // IMF-fixdate: "Thu, 03 Dec 2026 09:00:00 GMT".
    assert_eq!(lm.len(), 29, "{lm}");
    assert!(lm.ends_with(" GMT") && lm.as_bytes()[3] == b',', "{lm}");
    let t = httpdate::parse_http_date(&lm).unwrap();
    let floor = before - Duration::from_secs(1);
    assert!(t >= floor && t <= std::time::SystemTime::now(), "{lm}");
    assert_eq!(gw.get("k", &[]).header("last-modified"), Some(lm.as_str()));
    let earlier = httpdate::fmt_http_date(t - Duration::from_secs(1));
    let later = httpdate::fmt_http_date(t + Duration::from_secs(3600));
    // Compared at second precision: the same second is not modified.
    let r = gw.get("k", &[("If-Modified-Since", &lm)]);
    assert_eq!((r.status, r.header("etag")), (304, Some(MD5_HELLO)));
    assert!(r.body.is_empty());
    assert_eq!(gw.get("k", &[("If-Modified-Since", &earlier)]).status, 200);
    expect(
        &gw.get("k", &[("If-Unmodified-Since", &earlier)]),
        412,
        "PreconditionFailed",
    );
    assert_eq!(gw.get("k", &[("If-Unmodified-Since", &later)]).status, 200);
    // 412 and 304 come before the range.
    let r = gw.get("k", &[("If-Modified-Since", &lm), ("Range", "bytes=99-")]);
    assert_eq!(r.status, 304);
    let r = gw.get("k", &[("If-Match", "\"x\""), ("Range", "bytes=0-0")]);
    assert_eq!(r.status, 412);
}

#[test]
fn metadata_is_stored_and_given_back() {
    let gw = Gateway::start(&[]);
    let r = gw.put(
        "page.html.gz",
        b"gzip-bytes",
        &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Encoding", "gzip"),
            ("Cache-Control", "max-age=60"),
            ("Content-Disposition", "attachment; filename=\"p.html\""),
            ("Content-Language", "fr"),
            ("Expires", "Thu, 01 Dec 2044 16:00:00 GMT"),
            ("x-amz-meta-Color", "blue"),
            ("x-amz-meta-empty", ""),
            ("x-amz-checksum-crc32", "NhCmhg=="),
        ],
    );
    // The CRC32 given is of "hello", not of the body: refused.
    expect(&r, 400, "BadDigest");
    let headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Encoding", "gzip"),
        ("Cache-Control", "max-age=60"),
        ("Content-Disposition", "attachment; filename=\"p.html\""),
        ("Content-Language", "fr"),
        ("Expires", "Thu, 01 Dec 2044 16:00:00 GMT"),
        ("x-amz-meta-Color", "blue"),
        ("x-amz-meta-empty", ""),
    ];
    assert_eq!(gw.put("page.html.gz", b"gzip-bytes", &headers).status, 200);
    for method in ["GET", "HEAD"] {
        let r = gw.send(method, "/bucket/page.html.gz", &[], b"");
        for (n, v) in headers {
            assert_eq!(r.all(&n.to_ascii_lowercase()), [v], "{method} {n}");
        }
    }
    // The default type; aws-chunked is not stored as an encoding.
    assert_eq!(
        gw.put("plain", b"hello", &[("x-amz-checksum-crc32", "NhCmhg==")])
            .status,
        200
    );
    let r = gw.get("plain", &[]);
    assert_eq!(r.header("content-type"), Some("binary/octet-stream"));
    assert_eq!(r.header("x-amz-checksum-crc32"), None);
    // The checksum, when asked for, on whole objects only.
    let r = gw.get("plain", &[("x-amz-checksum-mode", "ENABLED")]);
    assert_eq!(r.header("x-amz-checksum-crc32"), Some("NhCmhg=="));
    let r = gw.get(
        "plain",
        &[("x-amz-checksum-mode", "ENABLED"), ("Range", "bytes=0-1")],
    );
    assert_eq!((r.status, r.header("x-amz-checksum-crc32")), (206, None));
    // 2 KB of user metadata (keys and values) at most.
    let v = "v".repeat(2047);
    assert_eq!(gw.put("m", b"x", &[("x-amz-meta-a", &v)]).status, 200);
    let v = "v".repeat(2048);
    expect(
        &gw.put("m", b"x", &[("x-amz-meta-a", &v)]),
        400,
        "MetadataTooLarge",
    );
}

/// A file another program writes where an object's file is: its ETag is
/// its MD5, and stored metadata that no longer describes the file is
/// ignored.
#[test]
fn files_written_by_other_programs() {
    let gw = Gateway::start(&[]);
    std::fs::write(gw.bucket().join("oforeign"), b"one").unwrap();
    let r = gw.get("foreign", &[]);
    assert_eq!((r.status, r.header("etag")), (200, Some(MD5_ONE)));
    assert_eq!(r.header("content-type"), Some("binary/octet-stream"));
    assert_eq!(gw.get("foreign", &[]).header("etag"), Some(MD5_ONE));
    std::fs::write(gw.bucket().join("oforeign"), b"two!").unwrap();
    assert_eq!(gw.get("foreign", &[]).header("etag"), Some(MD5_TWO));
    // A gateway object rewritten in place keeps its inode and attributes.
    assert_eq!(
        gw.put("mine", b"one", &[("Content-Type", "text/plain")])
            .status,
        200
    );
    std::fs::write(gw.bucket().join("omine"), b"two!").unwrap();
    let r = gw.get("mine", &[]);
    assert_eq!(
        (r.header("etag"), r.body.as_slice()),
        (Some(MD5_TWO), &b"two!"[..])
    );
    assert_eq!(r.header("content-type"), Some("binary/octet-stream"));
}

#[test]
fn presigned_urls_are_served() {
    let gw = Gateway::start(&[]);
    assert_eq!(gw.put("k", b"hello world", &[]).status, 200);
    let q = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20261203%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261203T000000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=0123abcd";
    let r = gw.send("GET", &format!("/bucket/k?{q}"), &[], b"");
    assert_eq!(
        (r.status, r.body.as_slice()),
        (200, &b"hello world"[..]),
        "{r:?}"
    );
    let r = gw.send("PUT", &format!("/bucket/up?{q}"), &[], b"hello world");
    assert_eq!((r.status, r.header("etag")), (200, Some(MD5_HELLO_WORLD)));
    // Other parameters still name something not implemented.
    expect(
        &gw.send("GET", "/bucket/k?tagging", &[], b""),
        501,
        "NotImplemented",
    );
}

/// An upload in progress writes its temp file in the bucket's own
/// directory, so a bucket may be a mount point of another file system.
#[test]
fn temp_files_live_in_the_bucket() {
    let gw = Gateway::start(&[]);
    let mut s = TcpStream::connect(gw.addr).unwrap();
    s.write_all(b"PUT /bucket/slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 10\r\n\r\nabc")
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    let tmp = gw.bucket().join(".s3err-tmp");
    while Instant::now() < deadline
        && std::fs::read_dir(&tmp).map_or(true, |mut d| d.next().is_none())
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 1);
    s.write_all(b"defghij").unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    assert_eq!(common::parse(&buf).status, 200);
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
}

/// A second gateway on the same root refuses to start, and the first one's
/// upload in flight completes.
#[test]
fn a_second_gateway_on_the_root_refuses_to_start() {
    let gw = Gateway::start(&[]);
    let mut s = TcpStream::connect(gw.addr).unwrap();
    s.write_all(b"PUT /bucket/inflight HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 10\r\n\r\nabc")
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let mut second = std::process::Command::new(common::bin())
        .arg("--root")
        .arg(&gw.root)
        .args(["--listen", "127.0.0.1:0"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    let status = loop {
        if let Some(status) = second.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = second.kill();
            let _ = second.wait();
            panic!("a second gateway started on the same root");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(!status.success());
    let mut err = String::new();
    second
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(err.contains("another s3err-gateway is serving"), "{err}");
    s.write_all(b"defghij").unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    assert_eq!(common::parse(&buf).status, 200);
    assert_eq!(gw.get("inflight", &[]).body, b"abcdefghij");
}

#[test]
fn checksums_and_transfer_encoding_as_s3() {
    let gw = Gateway::start(&[]);
    let r = gw.put(
        "k",
        b"hello",
        &[
            ("x-amz-checksum-crc32", "NhCmhg=="),
            ("x-amz-checksum-sha1", "qvTGHdzF6KLavt4PO0gs2a6pQ00="),
        ],
    );
    expect(&r, 400, "InvalidRequest");
    expect(
        &gw.put("k", b"hello", &[("x-amz-checksum-crc32", "not base64")]),
        400,
        "InvalidRequest",
    );
    let r = gw.put(
        "k",
        b"5\r\nhello\r\n0\r\n\r\n",
        &[("Transfer-Encoding", "chunked")],
    );
    expect(&r, 501, "NotImplemented");
    assert_eq!(files(&gw.bucket()), Vec::<String>::new());
}

/// A head block over 64 KiB is refused whether it arrives in one write
/// or trickles in.
#[test]
fn the_header_limit_holds_however_the_bytes_arrive() {
    let gw = Gateway::start(&[]);
    let block = |size: usize| {
        format!(
            "GET /bucket/k HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Pad: {}\r\n\r\n",
            "a".repeat(size)
        )
    };
    // In one write.
    for size in [66_000, 100_000] {
        let r = raw(gw.addr, block(size).as_bytes());
        assert!(r.status == 431 || r.status == 0, "{size}: {r:?}");
    }
    let r = raw(gw.addr, block(60_000).as_bytes());
    assert_eq!(r.status, 404);
    // In small writes.
    let mut s = TcpStream::connect(gw.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    for piece in block(66_000).as_bytes().chunks(4096) {
        if s.write_all(piece).is_err() {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let status = common::parse(&buf).status;
    assert!(status == 431 || status == 0, "{status}");
}

/// A body trickling in slower than the minimum rate gets RequestTimeout
/// and leaves no temp file.
#[test]
fn a_slow_body_gets_request_timeout() {
    let gw = Gateway::start(&["--request-timeout", "1", "--min-body-rate", "100"]);
    let mut s = TcpStream::connect(gw.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(b"PUT /bucket/slow HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
        .unwrap();
    let start = Instant::now();
    let mut buf = Vec::new();
    for _ in 0..40 {
        if s.write_all(b"x").is_err() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
        if start.elapsed() > Duration::from_secs(3) {
            break;
        }
    }
    let _ = s.read_to_end(&mut buf);
    let r = common::parse(&buf);
    expect(&r, 400, "RequestTimeout");
    assert!(start.elapsed() < Duration::from_secs(5));
    // And a body that stops: the same after --request-timeout.
    let mut s = TcpStream::connect(gw.addr).unwrap();
    s.write_all(b"PUT /bucket/slow HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab")
        .unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    expect(&common::parse(&buf), 400, "RequestTimeout");
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(files(&gw.bucket()), Vec::<String>::new());
}

/// With --max-connections 2, a third connection is served only when one
/// of the first two ends.
#[test]
fn open_connections_are_bounded() {
    let gw = Gateway::start(&["--max-connections", "2"]);
    let a = TcpStream::connect(gw.addr).unwrap();
    let b = TcpStream::connect(gw.addr).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let mut c = TcpStream::connect(gw.addr).unwrap();
    c.set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    c.write_all(b"GET /bucket/k HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut buf = [0u8; 16];
    assert!(c.read(&mut buf).is_err(), "served beyond the bound");
    drop(a);
    drop(b);
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buf = Vec::new();
    let _ = c.read_to_end(&mut buf);
    assert_eq!(common::parse(&buf).status, 404);
}

#[test]
fn one_log_line_per_request() {
    let gw = Gateway::start(&[]);
    let r = gw.get("nope", &[]);
    let id = r.header("x-amz-request-id").unwrap().to_string();
    assert_eq!(gw.put("k", b"hello", &[]).status, 200);
    std::thread::sleep(Duration::from_millis(100));
    let log = gw.log_text();
    let lines: Vec<&str> = log.lines().filter(|l| l.contains(" id=")).collect();
    assert_eq!(lines.len(), 2, "{log}");
    let l = lines[0];
    for part in [
        "GET /bucket/nope 404 NoSuchKey",
        "in=0",
        &format!("id={id}"),
    ] {
        assert!(l.contains(part), "{part:?} in {l:?}");
    }
    assert!(l.contains("ms "), "{l}");
    assert!(
        lines[1].contains("PUT /bucket/k 200 - in=5 out=0"),
        "{}",
        lines[1]
    );
    // --log-level warn silences them.
    let quiet = Gateway::start(&["--log-level", "warn"]);
    quiet.get("nope", &[]);
    std::thread::sleep(Duration::from_millis(100));
    assert!(!quiet.log_text().contains(" id="), "{}", quiet.log_text());
}
