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
