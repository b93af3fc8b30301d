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
            "/bucket/k?uploads",
            "CreateMultipartUpload is not implemented by s3err-gateway.",
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
    expect(&r, 400, "InvalidLocationConstraint");
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
    expect(&r, 400, "InvalidLocationConstraint");
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
