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
