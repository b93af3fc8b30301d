//! Multipart upload against hand-computed answers: the object is the
//! parts' bytes in order, its ETag the MD5 of the parts' MD5s and `-N`
//! (computed here with the md-5 crate, apart from the gateway), and S3's
//! errors. Each test drives the real binary over a socket.

mod common;

use common::{Gateway, Resp};
use md5::{Digest, Md5};

fn expect(r: &Resp, status: u16, code: &str) {
    assert_eq!(r.status, status, "{r:?}");
    assert_eq!(r.code(), code, "{r:?}");
}

fn one(body: &[u8], name: &str) -> String {
    let t = String::from_utf8_lossy(body);
    t.split(&format!("<{name}>"))
        .nth(1)
        .and_then(|r| r.split(&format!("</{name}>")).next())
        .unwrap_or("")
        .to_string()
}

fn create(gw: &Gateway, key: &str, headers: &[(&str, &str)]) -> String {
    let r = gw.send("POST", &format!("/bucket/{key}?uploads"), headers, b"");
    assert_eq!(r.status, 200, "{r:?}");
    one(&r.body, "UploadId")
}

fn part(gw: &Gateway, key: &str, id: &str, n: u32, body: &[u8]) -> Resp {
    gw.send(
        "PUT",
        &format!("/bucket/{key}?partNumber={n}&uploadId={id}"),
        &[],
        body,
    )
}

fn complete_doc(parts: &[(u32, &str)]) -> String {
    let p: String = parts
        .iter()
        .map(|(n, e)| format!("<Part><PartNumber>{n}</PartNumber><ETag>{e}</ETag></Part>"))
        .collect();
    format!("<CompleteMultipartUpload>{p}</CompleteMultipartUpload>")
}

fn complete(gw: &Gateway, key: &str, id: &str, parts: &[(u32, &str)]) -> Resp {
    gw.send(
        "POST",
        &format!("/bucket/{key}?uploadId={id}"),
        &[],
        complete_doc(parts).as_bytes(),
    )
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|b| format!("{b:02x}")).collect()
}

const MIB5: usize = 5 * 1024 * 1024;

#[test]
fn upload_in_parts() {
    let gw = Gateway::start(&[]);
    let id = create(
        &gw,
        "big",
        &[("Content-Type", "video/mp4"), ("x-amz-meta-a", "b")],
    );
    let p1 = vec![b'1'; MIB5];
    let p2 = vec![b'2'; MIB5 + 7];
    let p3 = b"tail".to_vec();
    // Uploaded out of order, part 2 twice (the last one counts).
    let r3 = part(&gw, "big", &id, 3, &p3);
    assert_eq!(r3.status, 200, "{r3:?}");
    assert_eq!(part(&gw, "big", &id, 2, b"first try").status, 200);
    let r2 = part(&gw, "big", &id, 2, &p2);
    let r1 = part(&gw, "big", &id, 1, &p1);
    let etags: Vec<String> = [&r1, &r2, &r3]
        .iter()
        .map(|r| r.header("etag").unwrap().to_string())
        .collect();
    for (e, p) in etags.iter().zip([&p1, &p2, &p3]) {
        assert_eq!(e, &format!("\"{}\"", hex(&Md5::digest(p))));
    }
    // ListParts and ListMultipartUploads see it.
    let r = gw.send("GET", &format!("/bucket/big?uploadId={id}"), &[], b"");
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(
        String::from_utf8_lossy(&r.body).matches("<Part>").count(),
        3
    );
    let r = gw.send("GET", "/bucket?uploads", &[], b"");
    assert_eq!(one(&r.body, "UploadId"), id);
    assert_eq!(one(&r.body, "Key"), "big");
    // Not yet an object.
    assert_eq!(gw.get("big", &[]).status, 404);

    let r = complete(
        &gw,
        "big",
        &id,
        &[(1, &etags[0]), (2, &etags[1]), (3, &etags[2])],
    );
    assert_eq!(r.status, 200, "{r:?}");
    let mut all = Md5::new();
    for p in [&p1, &p2, &p3] {
        all.update(Md5::digest(p));
    }
    let want = format!("\"{}-3\"", hex(&all.finalize()));
    assert_eq!(one(&r.body, "ETag"), want.replace('"', "&quot;"));
    let got = gw.get("big", &[]);
    assert_eq!(got.header("etag"), Some(want.as_str()));
    assert_eq!(got.header("content-type"), Some("video/mp4"));
    assert_eq!(got.header("x-amz-meta-a"), Some("b"));
    assert_eq!(got.body.len(), p1.len() + p2.len() + p3.len());
    assert!(got.body[..MIB5] == p1[..] && got.body[MIB5..MIB5 + p2.len()] == p2[..]);
    assert_eq!(&got.body[MIB5 + p2.len()..], b"tail");
    // The upload is gone, and nothing of it is left on disk.
    expect(
        &complete(&gw, "big", &id, &[(1, &etags[0])]),
        404,
        "NoSuchUpload",
    );
    assert_eq!(common::files(&gw.bucket()), ["obig"]);
}

#[test]
fn multipart_errors() {
    let gw = Gateway::start(&[]);
    let id = create(&gw, "k", &[]);
    let small = part(&gw, "k", &id, 1, b"small");
    let e1 = small.header("etag").unwrap().to_string();
    let e2 = part(&gw, "k", &id, 2, b"last")
        .header("etag")
        .unwrap()
        .to_string();
    expect(&part(&gw, "k", &id, 0, b"x"), 400, "InvalidArgument");
    expect(&part(&gw, "k", &id, 10_001, b"x"), 400, "InvalidArgument");
    expect(
        &part(&gw, "k", "00000000000000000000000000000000", 1, b"x"),
        404,
        "NoSuchUpload",
    );
    expect(&part(&gw, "other", &id, 1, b"x"), 404, "NoSuchUpload");
    expect(
        &complete(&gw, "k", &id, &[(1, &e1), (2, &e2)]),
        400,
        "EntityTooSmall",
    );
    expect(
        &complete(&gw, "k", &id, &[(2, &e2), (1, &e1)]),
        400,
        "InvalidPartOrder",
    );
    expect(
        &complete(&gw, "k", &id, &[(1, &e1), (1, &e1)]),
        400,
        "InvalidPartOrder",
    );
    expect(&complete(&gw, "k", &id, &[(3, &e2)]), 400, "InvalidPart");
    expect(&complete(&gw, "k", &id, &[(2, &e1)]), 400, "InvalidPart");
    let r = gw.send("POST", &format!("/bucket/k?uploadId={id}"), &[], b"<Nope/>");
    expect(&r, 400, "MalformedXML");
    // One part: the last may be small.
    let r = complete(&gw, "k", &id, &[(2, &e2)]);
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(gw.get("k", &[]).body, b"last");

    // If-None-Match: * on completion, as on PUT.
    let id = create(&gw, "k", &[]);
    let e = part(&gw, "k", &id, 1, b"new")
        .header("etag")
        .unwrap()
        .to_string();
    let r = gw.send(
        "POST",
        &format!("/bucket/k?uploadId={id}"),
        &[("If-None-Match", "*")],
        complete_doc(&[(1, &e)]).as_bytes(),
    );
    expect(&r, 412, "PreconditionFailed");
    assert_eq!(gw.get("k", &[]).body, b"last");

    // Abort: the parts go; the id is unknown after.
    let r = gw.send("DELETE", &format!("/bucket/k?uploadId={id}"), &[], b"");
    assert_eq!(r.status, 204, "{r:?}");
    expect(
        &gw.send("DELETE", &format!("/bucket/k?uploadId={id}"), &[], b""),
        404,
        "NoSuchUpload",
    );
    expect(
        &gw.send("GET", &format!("/bucket/k?uploadId={id}"), &[], b""),
        404,
        "NoSuchUpload",
    );
    assert_eq!(common::files(&gw.bucket()), ["ok"]);

    // A bucket with an upload in progress is deleted with it.
    let _ = create(&gw, "k2", &[]);
    assert_eq!(gw.send("DELETE", "/bucket/k", &[], b"").status, 204);
    assert_eq!(gw.send("DELETE", "/bucket", &[], b"").status, 204);
    assert!(!gw.bucket().exists());
}

/// GetObject and HeadObject with `partNumber`: a part of a multipart
/// object is a ranged answer (206, `Content-Range` over the object,
/// `x-amz-mp-parts-count`, the object's ETag); an object of one PUT is
/// its own part 1; the errors S3 answers. Offsets worked out by hand
/// from the part sizes.
#[test]
fn get_and_head_a_part() {
    let gw = Gateway::start(&[]);
    let id = create(&gw, "mp", &[]);
    let p1 = vec![b'1'; MIB5];
    let p2 = vec![b'2'; MIB5 + 7];
    let p3 = b"tail".to_vec();
    let mut etags = Vec::new();
    for (n, p) in [(1, &p1), (2, &p2), (3, &p3)] {
        let r = part(&gw, "mp", &id, n, p);
        etags.push(r.header("etag").unwrap().to_string());
    }
    let r = complete(
        &gw,
        "mp",
        &id,
        &[(1, &etags[0]), (2, &etags[1]), (3, &etags[2])],
    );
    assert_eq!(r.status, 200, "{r:?}");
    let etag = one(&r.body, "ETag").replace("&quot;", "\"");
    let total = 5_242_880 + 5_242_887 + 4;
    let cases: [(u32, &[u8], &str); 3] = [
        (1, &p1, "bytes 0-5242879/10485771"),
        (2, &p2, "bytes 5242880-10485766/10485771"),
        (3, &p3, "bytes 10485767-10485770/10485771"),
    ];
    assert_eq!(total, 10_485_771);
    for (n, bytes, range) in cases {
        let r = gw.get(&format!("mp?partNumber={n}"), &[]);
        assert_eq!(r.status, 206, "part {n}: {:?}", r.headers);
        assert_eq!(r.header("content-range"), Some(range), "part {n}");
        assert_eq!(r.header("x-amz-mp-parts-count"), Some("3"), "part {n}");
        assert_eq!(r.header("etag"), Some(etag.as_str()), "part {n}");
        assert_eq!(
            r.header("content-length"),
            Some(bytes.len().to_string().as_str())
        );
        assert!(r.body == bytes, "part {n}: {} bytes", r.body.len());
        let h = gw.send("HEAD", &format!("/bucket/mp?partNumber={n}"), &[], b"");
        assert_eq!(h.status, 206, "{h:?}");
        assert_eq!(h.header("content-range"), Some(range));
        assert_eq!(h.header("x-amz-mp-parts-count"), Some("3"));
        assert_eq!(
            h.header("content-length"),
            Some(bytes.len().to_string().as_str())
        );
        assert!(h.body.is_empty());
    }
    // Past the last part; not a part number; with a Range.
    expect(&gw.get("mp?partNumber=4", &[]), 416, "InvalidPartNumber");
    let h = gw.send("HEAD", "/bucket/mp?partNumber=4", &[], b"");
    assert_eq!(h.status, 416, "{h:?}");
    for bad in ["0", "10001", "x", "", "-1", "1.5"] {
        expect(
            &gw.get(&format!("mp?partNumber={bad}"), &[]),
            400,
            "InvalidArgument",
        );
    }
    expect(
        &gw.get("mp?partNumber=1", &[("Range", "bytes=0-1")]),
        400,
        "InvalidRequest",
    );
    // The conditions hold as on any GET.
    let r = gw.get("mp?partNumber=2", &[("If-None-Match", &etag)]);
    assert_eq!(r.status, 304, "{r:?}");
    expect(&gw.get("missing?partNumber=1", &[]), 404, "NoSuchKey");

    // An object of one PUT is part 1, with no part count.
    assert_eq!(gw.put("single", b"hello", &[]).status, 200);
    let r = gw.get("single?partNumber=1", &[]);
    assert_eq!(r.status, 206, "{r:?}");
    assert_eq!(r.header("content-range"), Some("bytes 0-4/5"));
    assert_eq!(r.header("x-amz-mp-parts-count"), None);
    assert_eq!(r.body, b"hello");
    expect(
        &gw.get("single?partNumber=2", &[]),
        416,
        "InvalidPartNumber",
    );
    // An empty one has no byte range to name.
    assert_eq!(gw.put("empty", b"", &[]).status, 200);
    let r = gw.get("empty?partNumber=1", &[]);
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.header("content-range"), None);
    assert_eq!(r.header("content-length"), Some("0"));

    // A multipart object whose record has no part table (as an older
    // gateway stored it) stays readable; its parts cannot be served.
    let path = gw.bucket().join("omp");
    let mut buf = vec![0u8; 64 * 1024];
    let n = rustix::fs::getxattr(&path, "user.s3err", &mut buf[..]).unwrap();
    let old: Vec<&[u8]> = buf[..n]
        .split(|&b| b == b'\n')
        .filter(|l| !l.starts_with(b"parts:") && !l.starts_with(b"part-sizes:"))
        .collect();
    assert_eq!(old.len() + 2, buf[..n].split(|&b| b == b'\n').count());
    rustix::fs::setxattr(
        &path,
        "user.s3err",
        &old.join(&b'\n'),
        rustix::fs::XattrFlags::empty(),
    )
    .unwrap();
    let r = gw.send("HEAD", "/bucket/mp", &[], b"");
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.header("etag"), Some(etag.as_str()));
    expect(&gw.get("mp?partNumber=1", &[]), 501, "NotImplemented");
}

// Digests of the parts below, computed apart from the gateway with
// Python's zlib and hashlib (CRC32, SHA-256; CRC32C and CRC64/NVME with
// bitwise implementations checked against the catalogue's check values):
// P1 is 5 MiB of `a`, P2 is `tail`.
const P1_CRC32: &str = "r/zBbw==";
const P2_CRC32: &str = "fDe0XQ==";
/// CRC32 of P1's and P2's big-endian CRC32s, and the part count.
const COMPOSITE_CRC32: &str = "4fn9rQ==-2";
/// CRC32 of P1 followed by P2.
const FULL_CRC32: &str = "cX+/tw==";
const P1_SHA256: &str = "oplo+tLngqqfIECjXwWtuX7Yl56x9XLIyOp4Y34nXzw=";
const P2_SHA256: &str = "DGL4du8d6oMN6fMsL0tG3W101Q0ViW4J71ovzUrH4dc=";
const COMPOSITE_SHA256: &str = "02fcpk5/QKJNsvzEdkeBlFeIWeYNwKJOAWPjbe9fHIs=-2";
const FULL_CRC64NVME: &str = "b4bnuwQ4s4A=";
const P2_CRC32C: &str = "B21LrQ==";
const P2_SHA1: &str = "+/XyoodbO7Zbjjsj5swB1YyjBEc=";

/// One part of a CompleteMultipartUpload body: number, ETag, and the
/// checksums listed with it (element, value).
type ListedPart<'a> = (u32, &'a str, &'a [(&'a str, &'a str)]);

/// A CompleteMultipartUpload body whose parts list checksums.
fn complete_with(parts: &[ListedPart]) -> String {
    let p: String = parts
        .iter()
        .map(|(n, e, sums)| {
            let s: String = sums
                .iter()
                .map(|(el, v)| format!("<{el}>{v}</{el}>"))
                .collect();
            format!("<Part><PartNumber>{n}</PartNumber><ETag>{e}</ETag>{s}</Part>")
        })
        .collect();
    format!("<CompleteMultipartUpload>{p}</CompleteMultipartUpload>")
}

fn part_with(gw: &Gateway, key: &str, id: &str, n: u32, body: &[u8], h: &[(&str, &str)]) -> Resp {
    gw.send(
        "PUT",
        &format!("/bucket/{key}?partNumber={n}&uploadId={id}"),
        h,
        body,
    )
}

fn checksum_mode(gw: &Gateway, key: &str) -> Resp {
    gw.send(
        "HEAD",
        &format!("/bucket/{key}"),
        &[("x-amz-checksum-mode", "ENABLED")],
        b"",
    )
}

/// An upload created with CRC32 gets S3's composite checksum: each
/// part's CRC32 is kept (computed when the part does not send it), the
/// completion must list them and they must match, and the object's
/// checksum is the CRC32 of the parts' CRC32s with `-2`.
#[test]
fn composite_checksum() {
    let gw = Gateway::start(&[]);
    let r = gw.send(
        "POST",
        "/bucket/c?uploads",
        &[("x-amz-checksum-algorithm", "CRC32")],
        b"",
    );
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.header("x-amz-checksum-algorithm"), Some("CRC32"));
    assert_eq!(r.header("x-amz-checksum-type"), Some("COMPOSITE"));
    let id = one(&r.body, "UploadId");
    let p1 = vec![b'a'; MIB5];
    // No checksum sent: computed, kept and given back.
    let r1 = part_with(&gw, "c", &id, 1, &p1, &[]);
    assert_eq!(r1.header("x-amz-checksum-crc32"), Some(P1_CRC32), "{r1:?}");
    // Another algorithm's checksum is refused.
    let r = part_with(
        &gw,
        "c",
        &id,
        2,
        b"tail",
        &[("x-amz-checksum-sha1", P2_SHA1)],
    );
    expect(&r, 400, "InvalidRequest");
    let r2 = part_with(
        &gw,
        "c",
        &id,
        2,
        b"tail",
        &[("x-amz-checksum-crc32", P2_CRC32)],
    );
    assert_eq!(r2.header("x-amz-checksum-crc32"), Some(P2_CRC32), "{r2:?}");
    let (e1, e2) = (r1.header("etag").unwrap(), r2.header("etag").unwrap());
    let listed = gw.send("GET", &format!("/bucket/c?uploadId={id}"), &[], b"");
    let text = String::from_utf8_lossy(&listed.body);
    assert!(
        text.contains(&format!("<ChecksumCRC32>{P1_CRC32}</ChecksumCRC32>")),
        "{text}"
    );
    assert!(
        text.contains(
            "<ChecksumAlgorithm>CRC32</ChecksumAlgorithm><ChecksumType>COMPOSITE</ChecksumType>"
        ),
        "{text}"
    );

    let post = |body: String, h: &[(&str, &str)]| {
        gw.send(
            "POST",
            &format!("/bucket/c?uploadId={id}"),
            h,
            body.as_bytes(),
        )
    };
    let crc = "ChecksumCRC32";
    // Part checksums missing, wrong, or of another algorithm.
    let r = post(
        complete_with(&[(1, e1, &[]), (2, e2, &[(crc, P2_CRC32)])]),
        &[],
    );
    expect(&r, 400, "InvalidRequest");
    assert!(
        String::from_utf8_lossy(&r.body).contains("missing for part 1"),
        "{r:?}"
    );
    let r = post(
        complete_with(&[(1, e1, &[(crc, P2_CRC32)]), (2, e2, &[(crc, P2_CRC32)])]),
        &[],
    );
    expect(&r, 400, "InvalidPart");
    let r = post(
        complete_with(&[
            (1, e1, &[(crc, P1_CRC32)]),
            (2, e2, &[(crc, P2_CRC32), ("ChecksumCRC32C", P2_CRC32C)]),
        ]),
        &[],
    );
    expect(&r, 400, "InvalidPart");
    let good = complete_with(&[(1, e1, &[(crc, P1_CRC32)]), (2, e2, &[(crc, P2_CRC32)])]);
    // A whole-object checksum that differs, or of another type.
    expect(
        &post(good.clone(), &[("x-amz-checksum-crc32", "AAAAAA==-2")]),
        400,
        "BadDigest",
    );
    expect(
        &post(good.clone(), &[("x-amz-checksum-type", "FULL_OBJECT")]),
        400,
        "InvalidRequest",
    );
    expect(
        &post(good.clone(), &[("x-amz-checksum-sha1", P2_SHA1)]),
        400,
        "InvalidRequest",
    );
    let r = post(good, &[("x-amz-checksum-crc32", COMPOSITE_CRC32)]);
    assert_eq!(r.status, 200, "{r:?}");
    let text = String::from_utf8_lossy(&r.body);
    assert!(
        text.contains(&format!(
            "<ChecksumCRC32>{COMPOSITE_CRC32}</ChecksumCRC32><ChecksumType>COMPOSITE</ChecksumType>"
        )),
        "{text}"
    );
    let h = checksum_mode(&gw, "c");
    assert_eq!(
        h.header("x-amz-checksum-crc32"),
        Some(COMPOSITE_CRC32),
        "{h:?}"
    );
    assert_eq!(h.header("x-amz-checksum-type"), Some("COMPOSITE"));
    // Not without the mode, nor for a range or a part.
    assert_eq!(
        gw.send("HEAD", "/bucket/c", &[], b"")
            .header("x-amz-checksum-crc32"),
        None
    );
    let r = gw.send(
        "HEAD",
        "/bucket/c?partNumber=1",
        &[("x-amz-checksum-mode", "ENABLED")],
        b"",
    );
    assert_eq!((r.status, r.header("x-amz-checksum-crc32")), (206, None));

    // A copy is one part: the composite checksum does not describe it.
    let r = gw.send(
        "PUT",
        "/bucket/copy",
        &[("x-amz-copy-source", "bucket/c")],
        b"",
    );
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(
        checksum_mode(&gw, "copy").header("x-amz-checksum-crc32"),
        None
    );

    // SHA-256, composite by default; the part copied from the object
    // above (its first 5 MiB) gets its digest computed.
    let r = gw.send(
        "POST",
        "/bucket/s?uploads",
        &[("x-amz-checksum-algorithm", "SHA256")],
        b"",
    );
    let id = one(&r.body, "UploadId");
    let r1 = gw.send(
        "PUT",
        &format!("/bucket/s?partNumber=1&uploadId={id}"),
        &[
            ("x-amz-copy-source", "bucket/c"),
            ("x-amz-copy-source-range", "bytes=0-5242879"),
        ],
        b"",
    );
    assert_eq!(r1.status, 200, "{r1:?}");
    assert_eq!(one(&r1.body, "ChecksumSHA256"), P1_SHA256, "{r1:?}");
    let r2 = part_with(
        &gw,
        "s",
        &id,
        2,
        b"tail",
        &[("x-amz-checksum-sha256", P2_SHA256)],
    );
    let e1 = one(&r1.body, "ETag").replace("&quot;", "\"");
    let e2 = r2.header("etag").unwrap();
    let sha = "ChecksumSHA256";
    let body = complete_with(&[(1, &e1, &[(sha, P1_SHA256)]), (2, e2, &[(sha, P2_SHA256)])]);
    let r = gw.send(
        "POST",
        &format!("/bucket/s?uploadId={id}"),
        &[],
        body.as_bytes(),
    );
    assert_eq!(r.status, 200, "{r:?}");
    let h = checksum_mode(&gw, "s");
    assert_eq!(
        h.header("x-amz-checksum-sha256"),
        Some(COMPOSITE_SHA256),
        "{h:?}"
    );
}

/// A CRC upload of the full-object type: the object's checksum is the
/// CRC of all its bytes (checked against one the completion gives); the
/// combinations S3 refuses are refused; the parts of an upload with a
/// checksum are numbered from 1 without a gap.
#[test]
fn full_object_checksum() {
    let gw = Gateway::start(&[]);
    let create =
        |key: &str, h: &[(&str, &str)]| gw.send("POST", &format!("/bucket/{key}?uploads"), h, b"");
    for (alg, kind) in [
        ("SHA1", "FULL_OBJECT"),
        ("SHA256", "FULL_OBJECT"),
        ("CRC64NVME", "COMPOSITE"),
    ] {
        let r = create(
            "no",
            &[
                ("x-amz-checksum-algorithm", alg),
                ("x-amz-checksum-type", kind),
            ],
        );
        expect(&r, 400, "InvalidRequest");
    }
    expect(
        &create("no", &[("x-amz-checksum-type", "COMPOSITE")]),
        400,
        "InvalidRequest",
    );
    expect(
        &create("no", &[("x-amz-checksum-algorithm", "MD4")]),
        400,
        "InvalidRequest",
    );

    let p1 = vec![b'a'; MIB5];
    // Each with another well-formed digest, which does not match.
    for (alg, kind, header, want, wrong) in [
        (
            "CRC32",
            Some("FULL_OBJECT"),
            "x-amz-checksum-crc32",
            FULL_CRC32,
            P2_CRC32C,
        ),
        (
            "CRC64NVME",
            None,
            "x-amz-checksum-crc64nvme",
            FULL_CRC64NVME,
            "AAAAAAAAAAA=",
        ),
    ] {
        let mut h = vec![("x-amz-checksum-algorithm", alg)];
        h.extend(kind.map(|k| ("x-amz-checksum-type", k)));
        let r = create("f", &h);
        assert_eq!(
            r.header("x-amz-checksum-type"),
            Some("FULL_OBJECT"),
            "{r:?}"
        );
        let id = one(&r.body, "UploadId");
        let e1 = part_with(&gw, "f", &id, 1, &p1, &[])
            .header("etag")
            .unwrap()
            .to_string();
        let e2 = part_with(&gw, "f", &id, 2, b"tail", &[])
            .header("etag")
            .unwrap()
            .to_string();
        // Parts 1 and 3: a gap.
        let e3 = part_with(&gw, "f", &id, 3, b"tail", &[])
            .header("etag")
            .unwrap()
            .to_string();
        let post = |body: String, h: &[(&str, &str)]| {
            gw.send(
                "POST",
                &format!("/bucket/f?uploadId={id}"),
                h,
                body.as_bytes(),
            )
        };
        expect(
            &post(complete_with(&[(1, &e1, &[]), (3, &e3, &[])]), &[]),
            400,
            "InvalidPartOrder",
        );
        let body = complete_with(&[(1, &e1, &[]), (2, &e2, &[])]);
        expect(&post(body.clone(), &[(header, wrong)]), 400, "BadDigest");
        // A malformed one.
        expect(
            &post(body.clone(), &[(header, "AA")]),
            400,
            "InvalidRequest",
        );
        let r = post(body, &[(header, want)]);
        assert_eq!(r.status, 200, "{alg}: {r:?}");
        let h = checksum_mode(&gw, "f");
        assert_eq!(h.header(header), Some(want), "{alg}: {h:?}");
        assert_eq!(h.header("x-amz-checksum-type"), Some("FULL_OBJECT"));
        // The object is the parts' bytes.
        let got = gw.get("f", &[]);
        assert!(got.body.len() == MIB5 + 4 && got.body.ends_with(b"tail"));
    }
}

/// An upload created without a checksum algorithm: the object records
/// none, but the part checksums a completion lists are still compared
/// with those the parts were sent with.
#[test]
fn listed_part_checksums_are_compared() {
    let gw = Gateway::start(&[]);
    let id = create(&gw, "n", &[]);
    let r = part_with(
        &gw,
        "n",
        &id,
        1,
        b"tail",
        &[("x-amz-checksum-crc32c", P2_CRC32C)],
    );
    let e = r.header("etag").unwrap().to_string();
    let post = |body: String| {
        gw.send(
            "POST",
            &format!("/bucket/n?uploadId={id}"),
            &[],
            body.as_bytes(),
        )
    };
    let el = "ChecksumCRC32C";
    expect(
        &post(complete_with(&[(1, &e, &[(el, P2_CRC32)])])),
        400,
        "InvalidPart",
    );
    expect(
        &post(complete_with(&[(1, &e, &[("ChecksumCRC32", P2_CRC32)])])),
        400,
        "InvalidPart",
    );
    // A whole-object checksum for an upload created without one.
    let r = gw.send(
        "POST",
        &format!("/bucket/n?uploadId={id}"),
        &[("x-amz-checksum-crc32c", P2_CRC32C)],
        complete_with(&[(1, &e, &[(el, P2_CRC32C)])]).as_bytes(),
    );
    expect(&r, 400, "InvalidRequest");
    let r = post(complete_with(&[(1, &e, &[(el, P2_CRC32C)])]));
    assert_eq!(r.status, 200, "{r:?}");
    assert!(
        !String::from_utf8_lossy(&r.body).contains("Checksum"),
        "{r:?}"
    );
    let h = checksum_mode(&gw, "n");
    assert_eq!(h.header("x-amz-checksum-crc32c"), None, "{h:?}");
    assert_eq!(h.header("x-amz-checksum-type"), None, "{h:?}");
}

/// Every `<tag>` text of a body, in order.
fn all(body: &[u8], tag: &str) -> Vec<String> {
    let t = String::from_utf8_lossy(body);
    t.split(&format!("<{tag}>"))
        .skip(1)
        .filter_map(|r| r.split(&format!("</{tag}>")).next())
        .map(str::to_owned)
        .collect()
}

/// ListMultipartUploads page by page (`max-uploads`, `key-marker`,
/// `upload-id-marker`, `NextKeyMarker`, `NextUploadIdMarker`), with
/// `delimiter` and `encoding-type=url`, against the order written here by
/// hand: by key (UTF-8 bytes), then by initiation.
#[test]
fn list_uploads_page_by_page() {
    let gw = Gateway::start(&[]);
    let mut ids = std::collections::HashMap::new();
    // Created out of order; `a` twice (the first one first).
    for key in ["c", "a", "b/2", "a", "b/1", "e%20f"] {
        let id = create(&gw, key, &[]);
        ids.entry(key).or_insert_with(Vec::new).push(id);
    }
    let id = |k: &str, i: usize| ids[k][i].clone();
    let list = |q: &str| {
        let r = gw.send("GET", &format!("/bucket?uploads{q}"), &[], b"");
        assert_eq!(r.status, 200, "{q}: {r:?}");
        r
    };
    // `e%20f` is the key `e f`, after `c` (0x20 < 0x2F is not involved).
    let want: Vec<(String, String)> = vec![
        ("a".into(), id("a", 0)),
        ("a".into(), id("a", 1)),
        ("b/1".into(), id("b/1", 0)),
        ("b/2".into(), id("b/2", 0)),
        ("c".into(), id("c", 0)),
        ("e f".into(), id("e%20f", 0)),
    ];
    let r = list("");
    let got: Vec<_> = all(&r.body, "Key")
        .into_iter()
        .zip(all(&r.body, "UploadId"))
        .collect();
    assert_eq!(got, want);
    assert_eq!(all(&r.body, "IsTruncated"), ["false"]);
    assert!(all(&r.body, "NextKeyMarker").is_empty());

    // Pages of 1, 2 and 4, each resumed from the previous page's markers.
    for size in [1, 2, 4] {
        let mut seen = Vec::new();
        let mut q = String::new();
        loop {
            let r = list(&format!("&max-uploads={size}{q}"));
            assert_eq!(all(&r.body, "MaxUploads"), [size.to_string()]);
            let keys = all(&r.body, "Key");
            assert!(keys.len() <= size);
            seen.extend(keys.into_iter().zip(all(&r.body, "UploadId")));
            if all(&r.body, "IsTruncated") == ["false"] {
                break;
            }
            let k = all(&r.body, "NextKeyMarker").remove(0);
            let i = all(&r.body, "NextUploadIdMarker").remove(0);
            assert_eq!(seen.last(), Some(&(k.clone(), i.clone())));
            q = format!("&key-marker={}&upload-id-marker={i}", k.replace(' ', "%20"));
        }
        assert_eq!(seen, want, "pages of {size}");
    }
    // key-marker alone: keys after it; upload-id-marker alone: ignored.
    let r = list("&key-marker=a");
    assert_eq!(all(&r.body, "Key"), ["b/1", "b/2", "c", "e f"]);
    let r = list(&format!("&key-marker=a&upload-id-marker={}", id("a", 0)));
    assert_eq!(all(&r.body, "UploadId")[0], id("a", 1));
    let r = list(&format!("&upload-id-marker={}", id("a", 0)));
    assert_eq!(all(&r.body, "Key").len(), 6);

    // A delimiter rolls `b/1` and `b/2` into `b/`, which takes one place
    // in a page and is the next key marker when it ends one.
    let r = list("&delimiter=/");
    assert_eq!(all(&r.body, "Key"), ["a", "a", "c", "e f"]);
    assert_eq!(all(&r.body, "Prefix"), ["", "b/"]);
    let r = list("&delimiter=/&max-uploads=3");
    assert_eq!(all(&r.body, "Key"), ["a", "a"]);
    assert_eq!(all(&r.body, "NextKeyMarker"), ["b/"]);
    let r = list("&delimiter=/&key-marker=b/");
    assert_eq!(all(&r.body, "Key"), ["c", "e f"]);
    assert_eq!(all(&r.body, "Prefix"), [""]);
    let r = list("&delimiter=/&prefix=b/");
    assert_eq!(all(&r.body, "Key"), ["b/1", "b/2"]);

    // encoding-type=url: keys and markers percent-encoded.
    let r = list("&encoding-type=url&prefix=e");
    assert_eq!(all(&r.body, "Key"), ["e%20f"]);
    assert_eq!(all(&r.body, "EncodingType"), ["url"]);
    let r = list("&encoding-type=url&max-uploads=1&prefix=e&key-marker=d%2B");
    assert_eq!(all(&r.body, "KeyMarker"), ["d%2B"]);

    for bad in [
        "&max-uploads=x",
        "&max-uploads=-1",
        "&max-uploads=1.5",
        "&encoding-type=xml",
    ] {
        let r = gw.send("GET", &format!("/bucket?uploads{bad}"), &[], b"");
        expect(&r, 400, "InvalidArgument");
    }
    // More than 1,000 is 1,000; 0 is an empty page.
    assert_eq!(all(&list("&max-uploads=5000").body, "MaxUploads"), ["1000"]);
    assert!(all(&list("&max-uploads=0").body, "Key").is_empty());
}

/// An upload directory made by hand in the documented layout, its id
/// starting with a creation time `age_secs` ago (an upload id is that
/// time in nanoseconds, 16 hex digits, and 16 more).
fn backdated_upload(bucket: &std::path::Path, key: &str, age_secs: u64, tail: &str) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let id = format!("{:016x}{tail}", now - age_secs * 1_000_000_000);
    // Made under another name and renamed, so that a running gateway
    // never sees it half made.
    let staging = bucket.join(".s3err-uploads").join(format!("{id}.staging"));
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::write(staging.join("key"), key).unwrap();
    std::fs::write(staging.join("headers"), "").unwrap();
    std::fs::write(staging.join("part-00001"), "part").unwrap();
    std::fs::rename(&staging, bucket.join(".s3err-uploads").join(&id)).unwrap();
    id
}

/// `--abort-incomplete-uploads-after DAYS` removes, at start-up, the
/// uploads initiated more than DAYS days ago (as S3's lifecycle action
/// AbortIncompleteMultipartUpload), keeps the others, and clears what an
/// interrupted removal left; without it nothing is removed.
#[test]
fn abandoned_uploads_are_removed() {
    let day = 86_400;
    let dir = common::TempDir::new("abandoned");
    let root = dir.0.join("root");
    let bucket = root.join("bucket");
    let old = backdated_upload(&bucket, "old", 3 * day, "0000000000000001");
    let recent = backdated_upload(&bucket, "recent", day + 3600, "0000000000000002");
    let leftover = bucket.join(".s3err-uploads/00000000000000000000000000000003.removed");
    std::fs::create_dir_all(&leftover).unwrap();
    std::fs::write(leftover.join("part-00001"), "x").unwrap();
    let gw = Gateway::start_on(dir, root, &[], &["--abort-incomplete-uploads-after", "2"]);
    let r = gw.send("GET", "/bucket?uploads", &[], b"");
    assert_eq!(all(&r.body, "UploadId"), [recent.as_str()], "{r:?}");
    for path in [
        format!("/bucket/old?uploadId={old}"),
        format!("/bucket/old?uploadId={old}&partNumber=1"),
    ] {
        expect(&gw.send("GET", &path, &[], b""), 404, "NoSuchUpload");
    }
    let body = complete_doc(&[(1, "\"x\"")]);
    let r = gw.send(
        "POST",
        &format!("/bucket/old?uploadId={old}"),
        &[],
        body.as_bytes(),
    );
    expect(&r, 404, "NoSuchUpload");
    assert_eq!(
        common::files(&bucket.join(".s3err-uploads")),
        [
            format!("{recent}/headers"),
            format!("{recent}/key"),
            format!("{recent}/part-00001"),
        ]
    );
    assert!(
        gw.log_text()
            .contains("removed 1 multipart uploads initiated over 2 days ago")
    );
    // The one kept is still an upload: its part can be listed.
    let r = gw.send(
        "GET",
        &format!("/bucket/recent?uploadId={recent}"),
        &[],
        b"",
    );
    assert_eq!(all(&r.body, "PartNumber"), ["1"], "{r:?}");

    // And again while serving (every second here, every hour by
    // default): an upload that passes the age is removed, a new one kept.
    let dir = common::TempDir::new("periodic");
    let root = dir.0.join("root");
    std::fs::create_dir_all(root.join("bucket")).unwrap();
    let gw = Gateway::start_on(
        dir,
        root,
        &[],
        &[
            "--abort-incomplete-uploads-after",
            "2",
            "--abort-incomplete-uploads-every",
            "1",
        ],
    );
    let fresh = create(&gw, "fresh", &[]);
    let late = backdated_upload(&gw.bucket(), "late", 3 * day, "0000000000000004");
    let uploads = || {
        let r = gw.send("GET", "/bucket?uploads", &[], b"");
        all(&r.body, "UploadId")
    };
    assert_eq!(uploads().len(), 2);
    let start = std::time::Instant::now();
    while uploads().contains(&late) && start.elapsed().as_secs() < 10 {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(uploads(), [fresh]);

    // Off by default.
    let dir = common::TempDir::new("kept");
    let root = dir.0.join("root");
    let old = backdated_upload(&root.join("bucket"), "old", 400 * day, "0000000000000001");
    let gw = Gateway::start_on(dir, root, &[], &[]);
    let r = gw.send("GET", "/bucket?uploads", &[], b"");
    assert_eq!(all(&r.body, "UploadId"), [old], "{r:?}");

    // Zero days is refused.
    let out = std::process::Command::new(common::bin())
        .args(["--root", "/tmp", "--listen", "127.0.0.1:0"])
        .args(["--abort-incomplete-uploads-after", "0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 1 day"));
}
