//! What the SDK cannot send: raw HTTP/1.1 over a std `TcpStream` to the
//! real `s3err-gateway` binary.

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use s3err_interop::{Gateway, header, parse_response, raw};

/// The `<Code>` and `<RequestId>` of an error body, read by s3err's parser.
fn code_and_id(body: &[u8]) -> (String, String) {
    let e = s3err::xml::parse(body).expect("an S3 error body");
    (
        e.code().to_string(),
        e.request_id().map(|t| t.to_string()).unwrap_or_default(),
    )
}

/// Sends `request`, whose reply must be an S3 error: `status`, a body
/// whose `<Code>` is `code`, and an `x-amz-request-id` header equal to the
/// body's `<RequestId>`. Returns the headers and the body.
fn error_reply(
    gw: &Gateway,
    request: &[u8],
    status: u16,
    code: &str,
) -> (Vec<(String, String)>, Vec<u8>) {
    let (got, h, body) = raw(gw.addr, request);
    assert_eq!(got, status, "{h:?}");
    let (got, id) = code_and_id(&body);
    assert_eq!(got, code);
    assert_eq!(header(&h, "x-amz-request-id"), Some(id.as_str()));
    (h, body)
}

/// The server still answers a plain request.
fn still_serving(gw: &Gateway) {
    error_reply(
        gw,
        b"GET /bucket/none HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        404,
        "NoSuchKey",
    );
}

#[test]
fn missing_content_length() {
    let gw = Gateway::start(&[]);
    let (h, body) = error_reply(
        &gw,
        b"PUT /bucket/k HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        501,
        "NotImplemented",
    );
    assert_eq!(header(&h, "content-type"), Some("application/xml"));
    assert_eq!(
        header(&h, "content-length"),
        Some(body.len().to_string().as_str())
    );
    assert!(gw.files().is_empty(), "{:?}", gw.files());
}

#[test]
fn head_error_has_headers_only() {
    let gw = Gateway::start(&[]);
    let (status, h, body) = raw(
        gw.addr,
        b"HEAD /bucket/none HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 404);
    assert!(body.is_empty());
    assert_eq!(header(&h, "x-amz-request-id").map(str::len), Some(16));
    assert_eq!(header(&h, "content-type"), None);
    let (status, h, _) = raw(
        gw.addr,
        b"HEAD /missing-bucket HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 404);
    assert!(header(&h, "x-amz-request-id").is_some());
    let (status, h, _) = raw(
        gw.addr,
        b"HEAD /bucket HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 200);
    assert_eq!(header(&h, "x-amz-bucket-region"), Some("us-east-1"));
}

#[test]
fn hostile_requests_get_4xx_or_a_closed_connection() {
    let gw = Gateway::start(&[]);
    let long_header = format!(
        "GET /bucket/k HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(200_000)
    );
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("garbage request line", b"GARBAGE\r\n\r\n".to_vec()),
        ("no version", b"GET /bucket/k\r\n\r\n".to_vec()),
        ("bad version", b"GET /bucket/k HTTP/9.9\r\nHost: x\r\n\r\n".to_vec()),
        ("space in target", b"GET /bucket/a b HTTP/1.1\r\nHost: x\r\n\r\n".to_vec()),
        ("NUL in a header", b"GET /bucket/k HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n".to_vec()),
        ("header without colon", b"GET /bucket/k HTTP/1.1\r\nHost x\r\n\r\n".to_vec()),
        ("two content lengths", b"PUT /bucket/k HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab".to_vec()),
        ("bad content length", b"PUT /bucket/k HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n".to_vec()),
        ("huge header block", long_header.into_bytes()),
        ("traversal", b"GET /bucket/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec()),
        ("encoded traversal", b"GET /bucket/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec()),
        ("absolute key", b"GET /bucket//etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec()),
        ("temp dir as bucket", b"GET /.s3err-tmp/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec()),
        ("invalid UTF-8 key", b"GET /bucket/%ff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec()),
        ("unknown method", b"BREW /bucket/k HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec()),
    ];
    for (what, req) in cases {
        let (status, h, body) = raw(gw.addr, &req);
        assert!(
            status == 0 || (400..500).contains(&status) || status == 501,
            "{what}: {status}"
        );
        if !body.is_empty() && header(&h, "content-type") == Some("application/xml") {
            let (_, id) = code_and_id(&body);
            assert_eq!(header(&h, "x-amz-request-id"), Some(id.as_str()), "{what}");
        }
        still_serving(&gw);
    }
}

#[test]
fn header_injection_through_the_key_is_inert() {
    let gw = Gateway::start(&[]);
    let (h, body) = error_reply(
        &gw,
        b"GET /bucket/a%0D%0ASet-Cookie:%20x=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        404,
        "NoSuchKey",
    );
    assert!(header(&h, "set-cookie").is_none());
    let e = s3err::xml::parse(&body).unwrap();
    assert!(
        e.resource()
            .is_some_and(|r| r == "/bucket/a%0D%0ASet-Cookie:%20x=1")
    );
}

#[test]
fn malformed_range_is_ignored() {
    let gw = Gateway::start(&[]);
    std::fs::write(gw.root.path().join("bucket/oo"), b"0123456789").unwrap();
    for range in ["bytes=5-2", "bytes=x-", "lines=1-2", "bytes=1-2,4-5"] {
        let req = format!(
            "GET /bucket/o HTTP/1.1\r\nHost: x\r\nRange: {range}\r\nConnection: close\r\n\r\n"
        );
        let (status, _, body) = raw(gw.addr, req.as_bytes());
        assert_eq!(
            (status, body.as_slice()),
            (200, &b"0123456789"[..]),
            "{range}"
        );
    }
    let (status, h, _) = raw(
        gw.addr,
        b"GET /bucket/o HTTP/1.1\r\nHost: x\r\nRange: bytes=-3\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(
        (status, header(&h, "content-range")),
        (206, Some("bytes 7-9/10"))
    );
    let (status, h, _) = raw(
        gw.addr,
        b"GET /bucket/o HTTP/1.1\r\nHost: x\r\nRange: bytes=10-\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(
        (status, header(&h, "content-range")),
        (416, Some("bytes */10"))
    );
}

#[test]
fn interrupted_and_malformed_uploads_leave_nothing() {
    let gw = Gateway::start(&[]);
    std::fs::write(gw.root.path().join("bucket/okeep"), b"old").unwrap();
    // Declares 100 bytes, sends 10, hangs up.
    {
        let mut s = TcpStream::connect(gw.addr).unwrap();
        s.write_all(
            b"PUT /bucket/keep HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789",
        )
        .unwrap();
        std::thread::sleep(Duration::from_millis(200));
    }
    // A malformed aws-chunked body.
    error_reply(
        &gw,
        b"PUT /bucket/chunky HTTP/1.1\r\nHost: x\r\nContent-Encoding: aws-chunked\r\nx-amz-decoded-content-length: 5\r\nContent-Length: 13\r\nConnection: close\r\n\r\nzz\r\nhello\r\n\r\n",
        400,
        "InvalidArgument",
    );
    // A CRC32 trailer that does not match.
    error_reply(
        &gw,
        b"PUT /bucket/chunky HTTP/1.1\r\nHost: x\r\nContent-Encoding: aws-chunked\r\nx-amz-decoded-content-length: 5\r\nContent-Length: 46\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n",
        400,
        "BadDigest",
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while gw.files() != ["bucket/okeep"] && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(gw.files(), ["bucket/okeep"]);
    assert_eq!(
        std::fs::read(gw.root.path().join("bucket/okeep")).unwrap(),
        b"old"
    );
    // The right trailer is accepted (CRC32 of "hello" = 0x3610a686).
    let (status, _, _) = raw(
        gw.addr,
        b"PUT /bucket/chunky HTTP/1.1\r\nHost: x\r\nContent-Encoding: aws-chunked\r\nx-amz-decoded-content-length: 5\r\nContent-Length: 46\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n",
    );
    assert_eq!(status, 200);
    assert_eq!(
        std::fs::read(gw.root.path().join("bucket/ochunky")).unwrap(),
        b"hello"
    );
}

#[test]
fn a_pipelined_keep_alive_connection_gets_fresh_ids() {
    let gw = Gateway::start(&[]);
    let mut s = TcpStream::connect(gw.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(b"GET /bucket/a HTTP/1.1\r\nHost: x\r\n\r\nGET /bucket/b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut buf = Vec::new();
    let _ = std::io::Read::read_to_end(&mut s, &mut buf);
    let (status, h, rest) = parse_response(&buf);
    assert_eq!(status, 404);
    let len: usize = header(&h, "content-length").unwrap().parse().unwrap();
    let (first_code, first_id) = code_and_id(&rest[..len]);
    let (status2, _, body2) = parse_response(&rest[len..]);
    assert_eq!(status2, 404);
    let (_, second_id) = code_and_id(&body2);
    assert_eq!(first_code, "NoSuchKey");
    assert_ne!(first_id, second_id);
}
