//! The S3 operations the gateway answers beyond single objects, and the
//! refusals naming the ones it does not. Each test drives the real binary
//! over a socket.

mod common;

use common::{Gateway, Resp};

fn expect(r: &Resp, status: u16, code: &str) {
    assert_eq!(r.status, status, "{r:?}");
    assert_eq!(r.code(), code, "{r:?}");
}

fn message(r: &Resp) -> String {
    let t = String::from_utf8_lossy(&r.body);
    t.split("<Message>")
        .nth(1)
        .and_then(|r| r.split("</Message>").next())
        .unwrap_or("")
        .to_string()
}

/// Unimplemented requests are refused naming the S3 operation (names
/// from S3's API reference), or the query parameter an operation does
/// not take here.
#[test]
fn not_implemented_names_the_operation() {
    let gw = Gateway::start(&[]);
    let cases = [
        (
            "PUT",
            "/bucket?acl",
            "PutBucketAcl is not implemented by s3err-gateway.",
        ),
        (
            "GET",
            "/bucket?versions",
            "ListObjectVersions is not implemented by s3err-gateway.",
        ),
        (
            "PUT",
            "/bucket/k?tagging",
            "PutObjectTagging is not implemented by s3err-gateway.",
        ),
        (
            "POST",
            "/bucket/k?restore",
            "RestoreObject is not implemented by s3err-gateway.",
        ),
        (
            "GET",
            "/bucket/k?versionId=3",
            "GetObject with the query parameter versionId is not implemented by s3err-gateway.",
        ),
        (
            "PATCH",
            "/bucket/k",
            "PATCH on an object is not an S3 operation s3err-gateway implements.",
        ),
        (
            "PUT",
            "/bucket?location",
            "PUT ?location on a bucket is not an S3 operation s3err-gateway implements.",
        ),
    ];
    for (method, path, want) in cases {
        let r = gw.send(method, path, &[], b"");
        expect(&r, 501, "NotImplemented");
        assert_eq!(message(&r), want, "{method} {path}");
    }
    // HEAD: the status only, as S3 answers a HEAD.
    let r = gw.send("HEAD", "/bucket/k?versionId=3", &[], b"");
    assert_eq!((r.status, r.body.len()), (501, 0), "{r:?}");
}

fn element<'a>(body: &'a str, name: &str) -> Vec<&'a str> {
    body.split(&format!("<{name}>"))
        .skip(1)
        .filter_map(|r| r.split(&format!("</{name}>")).next())
        .collect()
}

fn text(r: &Resp) -> String {
    String::from_utf8_lossy(&r.body).into_owned()
}

/// Sets a directory's modification time to 2001-09-09T01:46:40Z.
fn age(dir: &std::path::Path) {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    std::fs::File::open(dir).unwrap().set_modified(t).unwrap();
}

#[test]
fn buckets_are_created_listed_and_deleted() {
    let gw = Gateway::start(&[]);
    let before = std::time::SystemTime::now();
    let r = gw.send("PUT", "/new-bucket", &[], b"");
    assert_eq!(
        (r.status, r.header("location")),
        (200, Some("/new-bucket")),
        "{r:?}"
    );
    assert!(gw.root.join("new-bucket").is_dir());
    // Owned already, in us-east-1: 200, as S3.
    assert_eq!(gw.send("PUT", "/new-bucket", &[], b"").status, 200);
    let r = gw.send("HEAD", "/new-bucket", &[], b"");
    assert_eq!(
        (r.status, r.header("x-amz-bucket-region")),
        (200, Some("us-east-1"))
    );

    // The creation date is kept, whatever happens to the directory since;
    // a directory made by hand dates from its modification time.
    age(&gw.root.join("new-bucket"));
    age(&gw.bucket());
    let r = gw.send("GET", "/", &[], b"");
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.header("content-type"), Some("application/xml"));
    let body = text(&r);
    assert_eq!(element(&body, "Name"), ["bucket", "new-bucket"], "{body}");
    let dates = element(&body, "CreationDate");
    assert_eq!(dates[0], "2001-09-09T01:46:40.000Z");
    let secs = before
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let today = std::process::Command::new("date")
        .args(["-u", "-d", &format!("@{secs}"), "+%Y-%m-%dT%H"])
        .output()
        .unwrap();
    let hour = String::from_utf8(today.stdout).unwrap();
    assert!(dates[1].starts_with(hour.trim()), "{} vs {hour}", dates[1]);

    // GetBucketLocation: empty in us-east-1.
    let r = gw.send("GET", "/new-bucket?location", &[], b"");
    assert_eq!(r.status, 200, "{r:?}");
    assert!(text(&r).contains("<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"></LocationConstraint>"), "{r:?}");

    // DeleteBucket: not while it holds an object.
    assert_eq!(gw.send("PUT", "/new-bucket/a/b", &[], b"x").status, 200);
    expect(
        &gw.send("DELETE", "/new-bucket", &[], b""),
        409,
        "BucketNotEmpty",
    );
    assert_eq!(gw.send("DELETE", "/new-bucket/a/b", &[], b"").status, 204);
    assert_eq!(gw.send("DELETE", "/new-bucket", &[], b"").status, 204);
    assert!(!gw.root.join("new-bucket").exists());
    let r = gw.send("HEAD", "/new-bucket", &[], b"");
    assert_eq!(r.status, 404, "{r:?}");
    expect(
        &gw.send("DELETE", "/new-bucket", &[], b""),
        404,
        "NoSuchBucket",
    );
    expect(
        &gw.send("GET", "/new-bucket?location", &[], b""),
        404,
        "NoSuchBucket",
    );
    assert_eq!(
        element(&text(&gw.send("GET", "/", &[], b"")), "Name"),
        ["bucket"]
    );
}

#[test]
fn create_bucket_refusals() {
    let gw = Gateway::start(&[]);
    for name in [
        "xn--abc",
        "sthree-x",
        "amzn-s3-demo-b",
        "abc-s3alias",
        "abc--ol-s3",
        "a.mrap",
        "abc--x-s3",
        "abc--table-s3",
        "Abc",
        "ab",
        "a_b",
    ] {
        expect(
            &gw.send("PUT", &format!("/{name}"), &[], b""),
            400,
            "InvalidBucketName",
        );
    }
    let conf = |lc: &str| {
        format!(
            "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>{lc}</LocationConstraint></CreateBucketConfiguration>"
        )
    };
    let r = gw.send("PUT", "/other", &[], conf("eu-west-1").as_bytes());
    expect(&r, 400, "IllegalLocationConstraintException");
    assert_eq!(
        message(&r),
        "The eu-west-1 location constraint is incompatible for the region specific endpoint this request was sent to."
    );
    expect(
        &gw.send("PUT", "/other", &[], conf("us-east-1").as_bytes()),
        400,
        "InvalidLocationConstraint",
    );
    expect(
        &gw.send("PUT", "/other", &[], b"<CreateBucketConfiguration>"),
        400,
        "MalformedXML",
    );
    expect(
        &gw.send("PUT", "/other", &[], b"<Nope/>"),
        400,
        "MalformedXML",
    );
    assert!(!gw.root.join("other").exists());
    // An empty constraint is no constraint.
    assert_eq!(
        gw.send("PUT", "/other", &[], conf("").as_bytes()).status,
        200
    );
}

#[test]
fn buckets_outside_us_east_1() {
    let gw = Gateway::start(&["--region", "eu-west-1"]);
    let conf = "<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>";
    assert_eq!(
        gw.send("PUT", "/eu-bucket", &[], conf.as_bytes()).status,
        200
    );
    expect(
        &gw.send("PUT", "/eu-bucket", &[], conf.as_bytes()),
        409,
        "BucketAlreadyOwnedByYou",
    );
    let r = gw.send("PUT", "/other", &[], b"");
    expect(&r, 400, "IllegalLocationConstraintException");
    assert!(
        message(&r).starts_with("The unspecified location constraint"),
        "{r:?}"
    );
    let r = gw.send("GET", "/eu-bucket?location", &[], b"");
    assert!(
        text(&r).contains(">eu-west-1</LocationConstraint>"),
        "{r:?}"
    );
}

/// The sub-resources tools probe, on a bucket that has none configured.
#[test]
fn sub_resource_probes() {
    let gw = Gateway::start(&[]);
    for (q, code) in [
        ("policy", "NoSuchBucketPolicy"),
        ("cors", "NoSuchCORSConfiguration"),
        ("lifecycle", "NoSuchLifecycleConfiguration"),
        ("website", "NoSuchWebsiteConfiguration"),
    ] {
        expect(
            &gw.send("GET", &format!("/bucket?{q}"), &[], b""),
            404,
            code,
        );
        expect(
            &gw.send("GET", &format!("/missing?{q}"), &[], b""),
            404,
            "NoSuchBucket",
        );
    }
    let r = gw.send("GET", "/bucket?acl", &[], b"");
    assert_eq!(r.status, 200, "{r:?}");
    let body = text(&r);
    assert_eq!(element(&body, "Permission"), ["FULL_CONTROL"], "{body}");
    assert_eq!(
        element(&body, "ID"),
        ["s3err-gateway", "s3err-gateway"],
        "{body}"
    );
    let r = gw.send("GET", "/bucket?versioning", &[], b"");
    assert_eq!(r.status, 200, "{r:?}");
    assert!(!text(&r).contains("<Status>"), "{r:?}");
    expect(&gw.send("GET", "/bucket/k?acl", &[], b""), 404, "NoSuchKey");
    assert_eq!(gw.put("k", b"v", &[]).status, 200);
    let r = gw.send("GET", "/bucket/k?acl", &[], b"");
    assert_eq!(element(&text(&r), "Permission"), ["FULL_CONTROL"], "{r:?}");
}

fn content_md5(body: &[u8]) -> String {
    use base64::Engine;
    use md5::{Digest, Md5};
    base64::engine::general_purpose::STANDARD.encode(Md5::digest(body))
}

fn delete_doc(keys: &[&str], quiet: bool) -> String {
    let objects: String = keys
        .iter()
        .map(|k| format!("<Object><Key>{k}</Key></Object>"))
        .collect();
    format!(
        "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>{quiet}</Quiet>{objects}</Delete>"
    )
}

#[test]
fn delete_objects_verbose_and_quiet() {
    let gw = Gateway::start(&[]);
    for k in ["a", "b/c", "d&e"] {
        assert_eq!(gw.put(&k.replace('&', "%26"), b"v", &[]).status, 200);
    }
    let long = "k".repeat(1025);
    let doc = delete_doc(&["a", "b/c", "missing", "d&amp;e", &long], false);
    let md5 = content_md5(doc.as_bytes());
    let r = gw.send(
        "POST",
        "/bucket?delete",
        &[("Content-MD5", &md5)],
        doc.as_bytes(),
    );
    assert_eq!(r.status, 200, "{r:?}");
    let body = text(&r);
    // Deleting a missing key succeeds, as in S3.
    assert_eq!(
        element(&body, "Deleted")
            .iter()
            .map(|d| element(d, "Key")[0])
            .collect::<Vec<_>>(),
        ["a", "b/c", "missing", "d&amp;e"],
        "{body}"
    );
    let errors = element(&body, "Error");
    assert_eq!(errors.len(), 1, "{body}");
    assert_eq!(element(errors[0], "Code"), ["InvalidArgument"]);
    assert_eq!(gw.get("a", &[]).status, 404);
    assert_eq!(gw.get("b/c", &[]).status, 404);
    assert_eq!(gw.get("d%26e", &[]).status, 404);
    assert_eq!(common::files(&gw.bucket()), Vec::<String>::new());

    assert_eq!(gw.put("q", b"v", &[]).status, 200);
    let doc = delete_doc(&["q"], true);
    let r = gw.send(
        "POST",
        "/bucket?delete",
        &[("Content-MD5", &content_md5(doc.as_bytes()))],
        doc.as_bytes(),
    );
    assert_eq!(r.status, 200, "{r:?}");
    assert!(!text(&r).contains("<Deleted>"), "{r:?}");
    assert_eq!(gw.get("q", &[]).status, 404);

    // S3's refusals.
    let doc = delete_doc(&["x"], false);
    expect(
        &gw.send("POST", "/bucket?delete", &[], doc.as_bytes()),
        400,
        "InvalidRequest",
    );
    expect(
        &gw.send(
            "POST",
            "/bucket?delete",
            &[("Content-MD5", &content_md5(b"other"))],
            doc.as_bytes(),
        ),
        400,
        "BadDigest",
    );
    let bad = b"<Delete><Object></Object></Delete>";
    expect(
        &gw.send(
            "POST",
            "/bucket?delete",
            &[("Content-MD5", &content_md5(bad))],
            bad,
        ),
        400,
        "MalformedXML",
    );
    let many: Vec<String> = (0..1001).map(|i| i.to_string()).collect();
    let refs: Vec<&str> = many.iter().map(String::as_str).collect();
    let doc = delete_doc(&refs, true);
    expect(
        &gw.send(
            "POST",
            "/bucket?delete",
            &[("Content-MD5", &content_md5(doc.as_bytes()))],
            doc.as_bytes(),
        ),
        400,
        "MalformedXML",
    );
    let doc = delete_doc(&["x"], false);
    expect(
        &gw.send(
            "POST",
            "/missing?delete",
            &[("Content-MD5", &content_md5(doc.as_bytes()))],
            doc.as_bytes(),
        ),
        404,
        "NoSuchBucket",
    );
}

// MD5 of "hello", computed apart (Python's hashlib).
const MD5_HELLO: &str = "\"5d41402abc4b2a76b9719d911017c592\"";

#[test]
fn copy_object() {
    let gw = Gateway::start(&[]);
    let r = gw.put(
        "src%20dir/a%2Bb",
        b"hello",
        &[
            ("Content-Type", "text/plain"),
            ("x-amz-meta-colour", "blue"),
        ],
    );
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(gw.send("PUT", "/other", &[], b"").status, 200);
    // The copy source is URL-encoded; metadata is copied by default.
    let r = gw.send(
        "PUT",
        "/other/copy",
        &[("x-amz-copy-source", "/bucket/src%20dir/a%2Bb")],
        b"",
    );
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(
        element(&text(&r), "ETag"),
        ["&quot;5d41402abc4b2a76b9719d911017c592&quot;"]
    );
    let got = gw.send("GET", "/other/copy", &[], b"");
    assert_eq!(got.body, b"hello");
    assert_eq!(got.header("etag"), Some(MD5_HELLO));
    assert_eq!(got.header("content-type"), Some("text/plain"));
    assert_eq!(got.header("x-amz-meta-colour"), Some("blue"));
    // REPLACE takes the request's metadata.
    let r = gw.send(
        "PUT",
        "/bucket/replaced",
        &[
            ("x-amz-copy-source", "bucket/src%20dir/a%2Bb"),
            ("x-amz-metadata-directive", "REPLACE"),
            ("x-amz-meta-size", "big"),
        ],
        b"",
    );
    assert_eq!(r.status, 200, "{r:?}");
    let got = gw.get("replaced", &[]);
    assert_eq!(got.header("x-amz-meta-colour"), None);
    assert_eq!(got.header("x-amz-meta-size"), Some("big"));
    assert_eq!(got.header("content-type"), Some("binary/octet-stream"));

    // Onto itself: refused without REPLACE, allowed with it.
    let src = [("x-amz-copy-source", "bucket/replaced")];
    expect(
        &gw.send("PUT", "/bucket/replaced", &src, b""),
        400,
        "InvalidRequest",
    );
    let r = gw.send(
        "PUT",
        "/bucket/replaced",
        &[
            src[0],
            ("x-amz-metadata-directive", "REPLACE"),
            ("x-amz-meta-size", "small"),
        ],
        b"",
    );
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(
        gw.get("replaced", &[]).header("x-amz-meta-size"),
        Some("small")
    );

    // The source conditions.
    let copy = |h: &[(&str, &str)]| {
        let mut all = vec![("x-amz-copy-source", "bucket/replaced")];
        all.extend_from_slice(h);
        gw.send("PUT", "/bucket/dest", &all, b"")
    };
    let past = "Thu, 01 Jan 2015 00:00:00 GMT";
    let future = "Fri, 01 Jan 2100 00:00:00 GMT";
    expect(
        &copy(&[("x-amz-copy-source-if-match", "\"0\"")]),
        412,
        "PreconditionFailed",
    );
    expect(
        &copy(&[("x-amz-copy-source-if-none-match", MD5_HELLO)]),
        412,
        "PreconditionFailed",
    );
    expect(
        &copy(&[("x-amz-copy-source-if-unmodified-since", past)]),
        412,
        "PreconditionFailed",
    );
    expect(
        &copy(&[("x-amz-copy-source-if-modified-since", future)]),
        412,
        "PreconditionFailed",
    );
    assert_eq!(gw.get("dest", &[]).status, 404);
    // If-Match true wins over If-Unmodified-Since false, as in S3.
    let r = copy(&[
        ("x-amz-copy-source-if-match", MD5_HELLO),
        ("x-amz-copy-source-if-unmodified-since", past),
    ]);
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(
        copy(&[("x-amz-copy-source-if-modified-since", past)]).status,
        200
    );

    // Missing sources and malformed ones.
    let src = |s: &str| gw.send("PUT", "/bucket/x", &[("x-amz-copy-source", s)], b"");
    expect(&src("bucket/nothing"), 404, "NoSuchKey");
    expect(&src("missing/k"), 404, "NoSuchBucket");
    expect(&src("bucket"), 400, "InvalidArgument");
    expect(&src("/bucket/"), 400, "InvalidArgument");
    let r = gw.send(
        "PUT",
        "/bucket/x",
        &[
            ("x-amz-copy-source", "bucket/dest"),
            ("x-amz-metadata-directive", "MOVE"),
        ],
        b"",
    );
    expect(&r, 400, "InvalidArgument");
    let r = gw.send(
        "PUT",
        "/missing/x",
        &[("x-amz-copy-source", "bucket/dest")],
        b"",
    );
    expect(&r, 404, "NoSuchBucket");
    assert_eq!(gw.get("x", &[]).status, 404);
}

/// `response-*` query parameters set the response's headers (presigned
/// downloads use them), on GET and HEAD, whatever the object stores.
#[test]
fn response_header_overrides() {
    let gw = Gateway::start(&[]);
    assert_eq!(
        gw.put("k", b"v", &[("Content-Type", "text/plain")]).status,
        200
    );
    let q = "response-content-type=application%2Fjson&response-content-disposition=attachment%3B%20filename%3D%22a%20b.json%22&response-cache-control=no-cache&response-content-language=fr&response-expires=Thu%2C%2001%20Dec%202094%2016%3A00%3A00%20GMT&response-content-encoding=identity";
    for method in ["GET", "HEAD"] {
        let r = gw.send(method, &format!("/bucket/k?{q}"), &[], b"");
        assert_eq!(r.status, 200, "{r:?}");
        assert_eq!(r.all("content-type"), ["application/json"]);
        assert_eq!(
            r.header("content-disposition"),
            Some("attachment; filename=\"a b.json\"")
        );
        assert_eq!(r.header("cache-control"), Some("no-cache"));
        assert_eq!(r.header("content-language"), Some("fr"));
        assert_eq!(r.header("expires"), Some("Thu, 01 Dec 2094 16:00:00 GMT"));
        assert_eq!(r.header("content-encoding"), Some("identity"));
    }
    let r = gw.send("GET", "/bucket/k", &[], b"");
    assert_eq!(r.header("content-type"), Some("text/plain"));
    expect(
        &gw.send("GET", "/bucket/k?response-content-type=a%0Ab", &[], b""),
        400,
        "InvalidArgument",
    );
    // A parameter GetObject does not take here is named.
    let r = gw.send("GET", "/bucket/k?versionId=3", &[], b"");
    expect(&r, 501, "NotImplemented");
    assert!(
        String::from_utf8_lossy(&r.body).contains("query parameter versionId"),
        "{r:?}"
    );
}
