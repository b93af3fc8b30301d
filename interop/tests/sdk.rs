//! The official AWS SDK for Rust (aws-sdk-s3 1.157.0) against the real
//! `s3err-gateway` binary over a real socket.

use std::time::Duration;

use aws_sdk_s3::Client;
use aws_sdk_s3::config::http::HttpResponse;
use aws_sdk_s3::config::retry::RetryConfig;
use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_s3::operation::RequestId;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
use s3err::ErrorCode;
use s3err_interop::Gateway;

const BUCKET: &str = "bucket";

/// A client for `gw` with the standard retry strategy (short back-off so
/// the retry tests stay quick) and at most `attempts` attempts.
fn client(gw: &Gateway, attempts: u32) -> Client {
    let conf = aws_sdk_s3::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDINTEROP",
            "secret",
            None,
            None,
            "interop",
        ))
        .endpoint_url(gw.url())
        .force_path_style(true)
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(attempts)
                .with_initial_backoff(Duration::from_millis(10)),
        )
        .build();
    Client::from_conf(conf)
}

/// What the SDK reports for a failed call, and what the body said.
#[derive(Debug)]
struct Seen {
    status: u16,
    request_id: Option<String>,
    code: Option<String>,
    message: Option<String>,
    /// `<RequestId>` and `<Resource>` of the body, read by s3err's parser.
    body_request_id: Option<String>,
    body_resource: Option<String>,
    body_len: usize,
}

fn seen<E>(err: SdkError<E, HttpResponse>) -> Seen
where
    E: ProvideErrorMetadata + std::fmt::Debug,
    SdkError<E, HttpResponse>: ProvideErrorMetadata + RequestId,
{
    let status = err.raw_response().map_or(0, |r| r.status().as_u16());
    let body = err
        .raw_response()
        .and_then(|r| r.body().bytes())
        .unwrap_or_default()
        .to_vec();
    let parsed = s3err::xml::parse(&body).ok();
    let s = Seen {
        status,
        request_id: err.request_id().map(str::to_owned),
        code: err.code().map(str::to_owned),
        message: err.message().map(str::to_owned),
        body_request_id: parsed
            .as_ref()
            .and_then(|p| p.request_id())
            .map(|t| t.to_string()),
        body_resource: parsed
            .as_ref()
            .and_then(|p| p.resource())
            .map(|t| t.to_string()),
        body_len: body.len(),
    };
    assert!(
        matches!(err, SdkError::ServiceError(_)),
        "not a service error: {err:?}"
    );
    s
}

/// Sends the request, which must fail, and returns what the SDK saw.
macro_rules! fails {
    ($request:expr) => {
        seen($request.send().await.unwrap_err())
    };
}

/// Checks an error that has a body: status, code, message, a request id
/// that is the same in the header (as the SDK reads it) and the body, and
/// the resource.
fn check(s: &Seen, status: u16, code: ErrorCode, resource: &str) {
    assert_eq!(s.status, status, "{s:?}");
    assert_eq!(s.code.as_deref(), Some(code.as_str()), "{s:?}");
    assert!(s.message.as_deref().is_some_and(|m| !m.is_empty()), "{s:?}");
    let id = s.request_id.as_deref().expect("request id header");
    assert_eq!(id.len(), 16, "{s:?}");
    assert_eq!(s.body_request_id.as_deref(), Some(id), "{s:?}");
    assert_eq!(s.body_resource.as_deref(), Some(resource), "{s:?}");
}

/// PutObject of `body` at `key` in the test bucket; it must succeed.
async fn put_static(c: &Client, key: &str, body: &'static [u8]) {
    c.put_object()
        .bucket(BUCKET)
        .key(key)
        .body(ByteStream::from_static(body))
        .send()
        .await
        .unwrap();
}

/// Starts a multipart upload of `key` in the test bucket; its id.
async fn create_upload(c: &Client, key: &str) -> String {
    let out = c
        .create_multipart_upload()
        .bucket(BUCKET)
        .key(key)
        .send()
        .await
        .unwrap();
    out.upload_id().unwrap().to_string()
}

/// Uploads `bodies` as parts 1, 2, … of upload `id` of `key`; each part
/// as a completion lists it (its number and the ETag answered).
async fn upload_parts(c: &Client, key: &str, id: &str, bodies: &[&[u8]]) -> Vec<CompletedPart> {
    let mut done = Vec::new();
    for (i, body) in bodies.iter().enumerate() {
        let n = i as i32 + 1;
        let up = c
            .upload_part()
            .bucket(BUCKET)
            .key(key)
            .upload_id(id)
            .part_number(n)
            .body(ByteStream::from(body.to_vec()))
            .send()
            .await
            .unwrap();
        let etag = up.e_tag().unwrap();
        done.push(CompletedPart::builder().part_number(n).e_tag(etag).build());
    }
    done
}

/// `parts` as a CompleteMultipartUpload body.
fn parts_list(parts: Vec<CompletedPart>) -> CompletedMultipartUpload {
    CompletedMultipartUpload::builder()
        .set_parts(Some(parts))
        .build()
}

/// Completes upload `id` of `key` with `parts`; the object's ETag.
async fn complete_upload(c: &Client, key: &str, id: &str, parts: Vec<CompletedPart>) -> String {
    let out = c
        .complete_multipart_upload()
        .bucket(BUCKET)
        .key(key)
        .upload_id(id)
        .multipart_upload(parts_list(parts))
        .send()
        .await
        .unwrap();
    out.e_tag().unwrap().to_string()
}

/// `hello world`'s MD5, computed by hand elsewhere (`md5sum`).
const HELLO_MD5_HEX: &str = "5eb63bbbe01eeed093cb22bb8f5acdc3";
/// The same digest in base64 (`openssl md5 -binary | base64`).
const HELLO_MD5_B64: &str = "XrY7u+Ae7tCTyyK7j1rNww==";

#[tokio::test]
async fn put_then_get_round_trip_in_memory_and_streaming() {
    let gw = Gateway::start(&["--test-routes"]);
    let c = client(&gw, 3);
    let put = c
        .put_object()
        .bucket(BUCKET)
        .key("dir/hello.txt")
        .body(ByteStream::from_static(b"hello world"))
        .content_md5(HELLO_MD5_B64)
        .send()
        .await
        .unwrap();
    assert_eq!(put.e_tag(), Some(format!("\"{HELLO_MD5_HEX}\"").as_str()));
    let got = c
        .get_object()
        .bucket(BUCKET)
        .key("dir/hello.txt")
        .send()
        .await
        .unwrap();
    assert_eq!(got.e_tag(), Some(format!("\"{HELLO_MD5_HEX}\"").as_str()));
    assert_eq!(got.content_length(), Some(11));
    assert_eq!(
        got.body.collect().await.unwrap().into_bytes().as_ref(),
        b"hello world"
    );

    // A file body is streamed: over plain HTTP the SDK sends it aws-chunked
    // with signed chunks and a trailing CRC32, which the gateway decodes
    // and checks.
    let data: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let file = gw.root.path().join("upload.bin");
    std::fs::write(&file, &data).unwrap();
    c.put_object()
        .bucket(BUCKET)
        .key("big/file.bin")
        .body(ByteStream::from_path(&file).await.unwrap())
        .send()
        .await
        .unwrap();
    let got = c
        .get_object()
        .bucket(BUCKET)
        .key("big/file.bin")
        .send()
        .await
        .unwrap();
    assert_eq!(
        got.body.collect().await.unwrap().into_bytes().as_ref(),
        &data[..]
    );

    // Range and HeadObject.
    let part = c
        .get_object()
        .bucket(BUCKET)
        .key("dir/hello.txt")
        .range("bytes=6-")
        .send()
        .await
        .unwrap();
    assert_eq!(part.content_range(), Some("bytes 6-10/11"));
    assert_eq!(
        part.body.collect().await.unwrap().into_bytes().as_ref(),
        b"world"
    );
    let head = c
        .head_object()
        .bucket(BUCKET)
        .key("dir/hello.txt")
        .send()
        .await
        .unwrap();
    assert_eq!(head.content_length(), Some(11));

    // DeleteObject, then the key is gone; HeadBucket.
    c.delete_object()
        .bucket(BUCKET)
        .key("dir/hello.txt")
        .send()
        .await
        .unwrap();
    let s = fails!(c.get_object().bucket(BUCKET).key("dir/hello.txt"));
    check(&s, 404, ErrorCode::NoSuchKey, "/bucket/dir/hello.txt");
    c.head_bucket().bucket(BUCKET).send().await.unwrap();
}

/// Every flexible checksum the SDK offers, on an in-memory and on a
/// streamed (aws-chunked, trailer) body: the gateway accepts the SDK's
/// digest and echoes it; a wrong digest given to the SDK is BadDigest and
/// nothing is stored. The expected digests of "hello world" were computed
/// apart from both (Python: zlib, hashlib, and bitwise CRC32C and
/// CRC64/NVME checked against the catalogue's check values).
#[tokio::test]
async fn every_flexible_checksum_is_checked() {
    use aws_sdk_s3::types::ChecksumAlgorithm as A;
    let gw = Gateway::start(&["--test-routes"]);
    let c = client(&gw, 1);
    let file = gw.root.path().join("hello.txt");
    std::fs::write(&file, b"hello world").unwrap();
    let cases = [
        (A::Crc32, "DUoRhQ=="),
        (A::Crc32C, "yZRlqg=="),
        (A::Crc64Nvme, "jSnVw/bqjr4="),
        (A::Sha1, "Kq5sNclPz7QV2+lfQIuc6R7oRu0="),
        (A::Sha256, "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek="),
    ];
    for (algorithm, digest) in cases {
        let key = format!("sum/{}", algorithm.as_str());
        for body in [
            ByteStream::from_static(b"hello world"),
            ByteStream::from_path(&file).await.unwrap(),
        ] {
            let put = c
                .put_object()
                .bucket(BUCKET)
                .key(&key)
                .body(body)
                .checksum_algorithm(algorithm.clone())
                .send()
                .await
                .unwrap();
            let echoed = match algorithm {
                A::Crc32 => put.checksum_crc32(),
                A::Crc32C => put.checksum_crc32_c(),
                A::Crc64Nvme => put.checksum_crc64_nvme(),
                A::Sha1 => put.checksum_sha1(),
                _ => put.checksum_sha256(),
            };
            assert_eq!(echoed, Some(digest), "{algorithm:?}");
        }
    }
    // The file body went aws-chunked each time.
    assert_eq!(gw.chunked_puts(), 5);

    // A digest that is not the body's: the SDK sends it as given.
    let wrong = || {
        c.put_object()
            .bucket(BUCKET)
            .key("bad")
            .body(ByteStream::from_static(b"hello"))
    };
    let cases = [
        fails!(wrong().checksum_crc32_c("yZRlqg==")),
        fails!(wrong().checksum_crc64_nvme("jSnVw/bqjr4=")),
        fails!(wrong().checksum_sha1("Kq5sNclPz7QV2+lfQIuc6R7oRu0=")),
        fails!(wrong().checksum_sha256("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=")),
    ];
    for s in cases {
        check(&s, 400, ErrorCode::BadDigest, "/bucket/bad");
    }
    assert!(!gw.files().contains(&"bucket/obad".to_string()));
}

#[tokio::test]
async fn every_triggerable_error() {
    let gw = Gateway::start(&["--max-object-size", "1024"]);
    std::fs::write(gw.root.path().join("bucket/oobj"), b"hello world").unwrap();
    let c = client(&gw, 1);
    let get = || c.get_object().bucket(BUCKET).key("obj");

    let s = fails!(c.get_object().bucket("missing-bucket").key("k"));
    check(&s, 404, ErrorCode::NoSuchBucket, "/missing-bucket/k");
    let s = fails!(c.get_object().bucket(BUCKET).key("nope"));
    check(&s, 404, ErrorCode::NoSuchKey, "/bucket/nope");
    let s = fails!(get().range("bytes=11-"));
    check(&s, 416, ErrorCode::InvalidRange, "/bucket/obj");
    let s = fails!(get().if_match("\"00000000000000000000000000000000\""));
    check(&s, 412, ErrorCode::PreconditionFailed, "/bucket/obj");
    let s = fails!(c.get_object().bucket("Not_A_Bucket").key("k"));
    check(&s, 400, ErrorCode::InvalidBucketName, "/Not_A_Bucket/k");
    // `..` is a key's component like any other, as in S3.
    let s = fails!(c.get_object().bucket(BUCKET).key("a/../obj"));
    check(&s, 404, ErrorCode::NoSuchKey, "/bucket/a/../obj");
    let s = fails!(c.get_object_tagging().bucket(BUCKET).key("obj"));
    check(&s, 501, ErrorCode::NotImplemented, "/bucket/obj");
    assert_eq!(
        s.message.as_deref(),
        Some("GetObjectTagging is not implemented by s3err-gateway.")
    );

    // 304 has no body: status and request id only.
    let s = fails!(get().if_none_match(format!("\"{HELLO_MD5_HEX}\"")));
    assert_eq!((s.status, s.body_len), (304, 0), "{s:?}");
    assert_eq!(s.request_id.as_deref().map(str::len), Some(16), "{s:?}");
    // HEAD errors: headers only.
    let s = fails!(c.head_object().bucket(BUCKET).key("nope"));
    assert_eq!((s.status, s.body_len), (404, 0), "{s:?}");
    assert_eq!(s.request_id.as_deref().map(str::len), Some(16), "{s:?}");

    // PutObject's checks.
    let put = |key: &'static str, body: &'static [u8]| {
        c.put_object()
            .bucket(BUCKET)
            .key(key)
            .body(ByteStream::from_static(body))
    };
    let s = fails!(put("bad-md5", b"hello world").content_md5("1B2M2Y8AsgTpgAmY7PhCfg=="));
    check(&s, 400, ErrorCode::BadDigest, "/bucket/bad-md5");
    let s = fails!(put("bad-md5", b"hello world").content_md5("not base64!"));
    check(&s, 400, ErrorCode::InvalidDigest, "/bucket/bad-md5");
    static BIG: [u8; 1025] = [b'x'; 1025];
    let s = fails!(put("too-big", &BIG));
    check(&s, 400, ErrorCode::EntityTooLarge, "/bucket/too-big");
    // The limit is inclusive.
    put("just-fits", &BIG[..1024]).send().await.unwrap();
    // Nothing of the refused uploads is left, temp files included.
    assert_eq!(gw.files(), ["bucket/ojust-fits", "bucket/oobj"]);

    // Fresh request ids.
    let a = fails!(get().range("bytes=99-")).request_id;
    let b = fails!(get().range("bytes=99-")).request_id;
    assert_ne!(a, b);
}

/// A key over 1,024 bytes is S3's `KeyTooLongError` (400) as the SDK
/// reports it, on PutObject and on GetObject; 1,024 bytes is a key.
#[tokio::test]
async fn key_too_long_error_as_the_sdk_reports_it() {
    let gw = Gateway::start(&[]);
    let c = client(&gw, 1);
    let long = "k".repeat(1025);
    let resource = format!("/bucket/{long}");
    let s = fails!(
        c.put_object()
            .bucket(BUCKET)
            .key(&long)
            .body(ByteStream::from_static(b"x"))
    );
    check(&s, 400, ErrorCode::KeyTooLongError, &resource);
    assert_eq!(s.code.as_deref(), Some("KeyTooLongError"));
    let s = fails!(c.get_object().bucket(BUCKET).key(&long));
    check(&s, 400, ErrorCode::KeyTooLongError, &resource);
    // HEAD: the status and the request id, no body.
    let s = fails!(c.head_object().bucket(BUCKET).key(&long));
    assert_eq!((s.status, s.body_len), (400, 0), "{s:?}");
    let fits = &long[..1024];
    put_static(&c, fits, b"x").await;
    let got = c
        .get_object()
        .bucket(BUCKET)
        .key(fits)
        .send()
        .await
        .unwrap();
    assert_eq!(got.content_length(), Some(1));
}

#[tokio::test]
async fn a_symlink_out_of_the_root_is_refused() {
    let gw = Gateway::start(&[]);
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret"), b"secret").unwrap();
    std::os::unix::fs::symlink(outside.path(), gw.root.path().join("bucket/dlink")).unwrap();
    std::os::unix::fs::symlink(outside.path(), gw.root.path().join("linked-bucket")).unwrap();
    let c = client(&gw, 1);
    let s = fails!(c.get_object().bucket(BUCKET).key("link/secret"));
    check(&s, 403, ErrorCode::AccessDenied, "/bucket/link/secret");
    let s = fails!(c.get_object().bucket("linked-bucket").key("secret"));
    check(&s, 403, ErrorCode::AccessDenied, "/linked-bucket/secret");
    let s = fails!(
        c.put_object()
            .bucket(BUCKET)
            .key("link/new")
            .body(ByteStream::from_static(b"x"))
    );
    check(&s, 403, ErrorCode::AccessDenied, "/bucket/link/new");
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 1);
}

#[tokio::test]
async fn slow_down_is_retried_and_no_such_key_is_not() {
    // --max-rps 0: every S3 request is answered SlowDown.
    let gw = Gateway::start(&["--max-rps", "0", "--test-routes"]);
    let c = client(&gw, 3);
    let s = fails!(c.get_object().bucket(BUCKET).key("k"));
    check(&s, 503, ErrorCode::SlowDown, "/bucket/k");
    assert_eq!(gw.requests(), 3, "the standard strategy's 3 attempts");

    let gw = Gateway::start(&["--test-routes"]);
    let c = client(&gw, 3);
    let s = fails!(c.get_object().bucket(BUCKET).key("k"));
    check(&s, 404, ErrorCode::NoSuchKey, "/bucket/k");
    assert_eq!(gw.requests(), 1, "NoSuchKey is not retried");

    // A real rate: 2 per second lets some requests through.
    let gw = Gateway::start(&["--max-rps", "2", "--test-routes"]);
    let c = client(&gw, 1);
    let mut codes = Vec::new();
    for _ in 0..5 {
        let e = c
            .get_object()
            .bucket(BUCKET)
            .key("k")
            .send()
            .await
            .unwrap_err();
        codes.push(seen(e).code.unwrap());
    }
    assert!(codes.iter().any(|c| c == "SlowDown"), "{codes:?}");
    assert!(codes.iter().any(|c| c == "NoSuchKey"), "{codes:?}");
}

/// Every code in the table, rendered through the gateway's error path (a
/// test-only header picks the code), as the SDK reports it.
#[tokio::test]
async fn every_error_code_as_the_sdk_sees_it() {
    let gw = Gateway::start(&["--test-routes"]);
    let c = client(&gw, 1);
    for &code in ErrorCode::ALL {
        let name = code.as_str();
        let err = c
            .get_object()
            .bucket(BUCKET)
            .key("k")
            .customize()
            .mutate_request(move |r| {
                r.headers_mut().insert("x-s3err-test-error", name);
            })
            .send()
            .await
            .unwrap_err();
        let s = seen(err);
        assert_eq!(s.status, code.status(), "{name}: {s:?}");
        assert_eq!(
            s.request_id.as_deref().map(str::len),
            Some(16),
            "{name}: {s:?}"
        );
        if code.status() == 304 {
            assert_eq!(s.body_len, 0, "{name}");
            continue;
        }
        assert_eq!(s.code.as_deref(), Some(name), "{s:?}");
        assert_eq!(s.message.as_deref(), Some(code.description()), "{s:?}");
        assert_eq!(s.body_request_id, s.request_id, "{name}");
    }
}

/// Conditional writes through the SDK: `If-None-Match: *` creates once,
/// `If-Match` needs the current ETag, and a missing key is 404.
#[tokio::test]
async fn conditional_writes() {
    let gw = Gateway::start(&[]);
    let c = client(&gw, 1);
    let put = |key: &'static str, body: &'static [u8]| {
        c.put_object()
            .bucket(BUCKET)
            .key(key)
            .body(ByteStream::from_static(body))
    };
    let first = put("k", b"hello world")
        .if_none_match("*")
        .send()
        .await
        .unwrap();
    assert_eq!(first.e_tag(), Some(format!("\"{HELLO_MD5_HEX}\"").as_str()));
    let s = fails!(put("k", b"again").if_none_match("*"));
    check(&s, 412, ErrorCode::PreconditionFailed, "/bucket/k");
    let s = fails!(put("k", b"again").if_match("\"00000000000000000000000000000000\""));
    check(&s, 412, ErrorCode::PreconditionFailed, "/bucket/k");
    let s = fails!(put("missing", b"again").if_match(format!("\"{HELLO_MD5_HEX}\"")));
    check(&s, 404, ErrorCode::NoSuchKey, "/bucket/missing");
    let s = fails!(put("k", b"again").if_none_match(format!("\"{HELLO_MD5_HEX}\"")));
    check(&s, 501, ErrorCode::NotImplemented, "/bucket/k");
    put("k", b"again")
        .if_match(format!("\"{HELLO_MD5_HEX}\""))
        .send()
        .await
        .unwrap();
    let got = c.get_object().bucket(BUCKET).key("k").send().await.unwrap();
    assert_eq!(
        got.body.collect().await.unwrap().into_bytes().as_ref(),
        b"again"
    );
}

/// What PutObject is given comes back from HeadObject and GetObject:
/// the content headers, user metadata, the checksum (when asked for) and
/// a Last-Modified the conditional dates compare against.
#[tokio::test]
async fn metadata_and_last_modified_round_trip() {
    use aws_sdk_s3::primitives::DateTime;
    use aws_sdk_s3::types::{ChecksumAlgorithm, ChecksumMode};
    let gw = Gateway::start(&[]);
    let c = client(&gw, 1);
    let before = std::time::SystemTime::now();
    c.put_object()
        .bucket(BUCKET)
        .key("page.html.gz")
        .body(ByteStream::from_static(b"hello world"))
        .content_type("text/html; charset=utf-8")
        .content_encoding("gzip")
        .content_disposition("attachment; filename=\"page.html\"")
        .content_language("fr")
        .cache_control("max-age=60")
        .metadata("color", "blue")
        .metadata("owner", "interop")
        .checksum_algorithm(ChecksumAlgorithm::Sha256)
        .send()
        .await
        .unwrap();
    let head = c
        .head_object()
        .bucket(BUCKET)
        .key("page.html.gz")
        .checksum_mode(ChecksumMode::Enabled)
        .send()
        .await
        .unwrap();
    assert_eq!(head.content_type(), Some("text/html; charset=utf-8"));
    assert_eq!(head.content_encoding(), Some("gzip"));
    assert_eq!(
        head.content_disposition(),
        Some("attachment; filename=\"page.html\"")
    );
    assert_eq!(head.content_language(), Some("fr"));
    assert_eq!(head.cache_control(), Some("max-age=60"));
    let meta = head.metadata().unwrap();
    assert_eq!(meta.get("color").map(String::as_str), Some("blue"));
    assert_eq!(meta.get("owner").map(String::as_str), Some("interop"));
    assert_eq!(meta.len(), 2);
    // SHA-256 of "hello world" (Python's hashlib).
    assert_eq!(
        head.checksum_sha256(),
        Some("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=")
    );
    let lm = *head.last_modified().expect("Last-Modified");
    let lm_secs = lm.secs();
    let before_secs = before
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!(
        (before_secs - 1..=before_secs + 60).contains(&lm_secs),
        "{lm_secs} vs {before_secs}"
    );
    let got = c
        .get_object()
        .bucket(BUCKET)
        .key("page.html.gz")
        .send()
        .await
        .unwrap();
    assert_eq!(got.last_modified(), Some(&lm));
    assert_eq!(got.content_type(), Some("text/html; charset=utf-8"));
    // Dates compare at second precision.
    let s = fails!(
        c.get_object()
            .bucket(BUCKET)
            .key("page.html.gz")
            .if_modified_since(lm)
    );
    assert_eq!(s.status, 304, "{s:?}");
    c.get_object()
        .bucket(BUCKET)
        .key("page.html.gz")
        .if_modified_since(DateTime::from_secs(lm_secs - 1))
        .send()
        .await
        .unwrap();
    let s = fails!(
        c.get_object()
            .bucket(BUCKET)
            .key("page.html.gz")
            .if_unmodified_since(DateTime::from_secs(lm_secs - 1))
    );
    check(
        &s,
        412,
        ErrorCode::PreconditionFailed,
        "/bucket/page.html.gz",
    );
    // No type given: the SDK sends its own default, stored as sent.
    put_static(&c, "plain", b"x").await;
    let head = c
        .head_object()
        .bucket(BUCKET)
        .key("plain")
        .send()
        .await
        .unwrap();
    assert_eq!(head.content_type(), Some("application/octet-stream"));
}

#[tokio::test]
async fn bucket_operations() {
    use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration, Permission};
    let gw = Gateway::start(&[]);
    let c = client(&gw, 1);
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    c.create_bucket()
        .bucket("made-by-sdk")
        .send()
        .await
        .unwrap();
    // Already owned, in us-east-1: success, as S3.
    c.create_bucket()
        .bucket("made-by-sdk")
        .send()
        .await
        .unwrap();
    c.head_bucket().bucket("made-by-sdk").send().await.unwrap();
    let list = c.list_buckets().send().await.unwrap();
    let names: Vec<&str> = list.buckets().iter().filter_map(|b| b.name()).collect();
    assert_eq!(names, ["bucket", "made-by-sdk"]);
    let created = list.buckets()[1].creation_date().unwrap().secs();
    assert!(
        (before..before + 60).contains(&created),
        "{created} vs {before}"
    );
    let loc = c
        .get_bucket_location()
        .bucket("made-by-sdk")
        .send()
        .await
        .unwrap();
    assert_eq!(loc.location_constraint().map(|l| l.as_str()), Some(""));

    let s = fails!(c.create_bucket().bucket("xn--reserved"));
    check(&s, 400, ErrorCode::InvalidBucketName, "/xn--reserved/");
    let s = fails!(
        c.create_bucket()
            .bucket("elsewhere")
            .create_bucket_configuration(
                CreateBucketConfiguration::builder()
                    .location_constraint(BucketLocationConstraint::EuWest1)
                    .build()
            )
    );
    check(
        &s,
        400,
        ErrorCode::IllegalLocationConstraintException,
        "/elsewhere/",
    );

    c.put_object()
        .bucket("made-by-sdk")
        .key("k")
        .body(ByteStream::from_static(b"v"))
        .send()
        .await
        .unwrap();
    let s = fails!(c.delete_bucket().bucket("made-by-sdk"));
    check(&s, 409, ErrorCode::BucketNotEmpty, "/made-by-sdk/");
    c.delete_object()
        .bucket("made-by-sdk")
        .key("k")
        .send()
        .await
        .unwrap();
    c.delete_bucket()
        .bucket("made-by-sdk")
        .send()
        .await
        .unwrap();
    let s = fails!(c.delete_bucket().bucket("made-by-sdk"));
    check(&s, 404, ErrorCode::NoSuchBucket, "/made-by-sdk/");

    // What tools probe on a bucket that has none of it.
    let s = fails!(c.get_bucket_policy().bucket(BUCKET));
    check(&s, 404, ErrorCode::NoSuchBucketPolicy, "/bucket/");
    let s = fails!(c.get_bucket_cors().bucket(BUCKET));
    check(&s, 404, ErrorCode::NoSuchCORSConfiguration, "/bucket/");
    let s = fails!(c.get_bucket_lifecycle_configuration().bucket(BUCKET));
    check(&s, 404, ErrorCode::NoSuchLifecycleConfiguration, "/bucket/");
    let s = fails!(c.get_bucket_website().bucket(BUCKET));
    check(&s, 404, ErrorCode::NoSuchWebsiteConfiguration, "/bucket/");
    let acl = c.get_bucket_acl().bucket(BUCKET).send().await.unwrap();
    assert_eq!(acl.grants().len(), 1);
    assert_eq!(acl.grants()[0].permission(), Some(&Permission::FullControl));
    let v = c
        .get_bucket_versioning()
        .bucket(BUCKET)
        .send()
        .await
        .unwrap();
    assert_eq!(v.status(), None);
    let s = fails!(c.put_bucket_acl().bucket(BUCKET).acl("private".into()));
    check(&s, 501, ErrorCode::NotImplemented, "/bucket/");
    assert_eq!(
        s.message.as_deref(),
        Some("PutBucketAcl is not implemented by s3err-gateway.")
    );
}

#[tokio::test]
async fn bucket_already_owned_outside_us_east_1() {
    use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration};
    let gw = Gateway::start(&["--region", "eu-west-1"]);
    let conf = aws_sdk_s3::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("eu-west-1"))
        .credentials_provider(Credentials::new("AKID", "secret", None, None, "interop"))
        .endpoint_url(gw.url())
        .force_path_style(true)
        .build();
    let c = Client::from_conf(conf);
    let create = || {
        c.create_bucket()
            .bucket("eu-bucket")
            .create_bucket_configuration(
                CreateBucketConfiguration::builder()
                    .location_constraint(BucketLocationConstraint::EuWest1)
                    .build(),
            )
    };
    create().send().await.unwrap();
    let s = fails!(create());
    check(&s, 409, ErrorCode::BucketAlreadyOwnedByYou, "/eu-bucket/");
    let loc = c
        .get_bucket_location()
        .bucket("eu-bucket")
        .send()
        .await
        .unwrap();
    assert_eq!(
        loc.location_constraint(),
        Some(&BucketLocationConstraint::EuWest1)
    );
}

#[tokio::test]
async fn listing_with_the_sdk() {
    let gw = Gateway::start(&[]);
    let c = client(&gw, 1);
    let mut keys: Vec<String> = (0..25).map(|i| format!("logs/{i:02}")).collect();
    keys.extend([
        "a b".into(),
        "caf\u{e9}".into(),
        "logs/sub/x".into(),
        "z+".into(),
    ]);
    for k in &keys {
        put_static(&c, k, b"hello world").await;
    }
    // Every page of 7 with the SDK's paginator: all keys, in byte order.
    let mut seen = Vec::new();
    let mut pages = c
        .list_objects_v2()
        .bucket(BUCKET)
        .max_keys(7)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        for o in page.contents() {
            assert_eq!(o.size(), Some(11));
            assert_eq!(o.e_tag(), Some(format!("\"{HELLO_MD5_HEX}\"").as_str()));
            seen.push(o.key().unwrap().to_string());
        }
    }
    let mut want = keys.clone();
    want.sort();
    assert_eq!(seen, want);

    let page = c
        .list_objects_v2()
        .bucket(BUCKET)
        .prefix("logs/")
        .delimiter("/")
        .max_keys(30)
        .send()
        .await
        .unwrap();
    assert_eq!(page.contents().len(), 25);
    let cps: Vec<&str> = page
        .common_prefixes()
        .iter()
        .filter_map(|p| p.prefix())
        .collect();
    assert_eq!(cps, ["logs/sub/"]);
    assert_eq!(page.is_truncated(), Some(false));

    let v1 = c
        .list_objects()
        .bucket(BUCKET)
        .delimiter("/")
        .marker("a b")
        .send()
        .await
        .unwrap();
    let keys1: Vec<&str> = v1.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(keys1, ["caf\u{e9}", "z+"]);
    let cps1: Vec<&str> = v1
        .common_prefixes()
        .iter()
        .filter_map(|p| p.prefix())
        .collect();
    assert_eq!(cps1, ["logs/"]);
    assert!(v1.contents()[0].owner().is_some());

    let s = fails!(
        c.list_objects_v2()
            .bucket(BUCKET)
            .continuation_token("not-a-token")
    );
    check(&s, 400, ErrorCode::InvalidArgument, "/bucket/");
    let s = fails!(c.list_objects_v2().bucket("missing-bucket"));
    check(&s, 404, ErrorCode::NoSuchBucket, "/missing-bucket/");
}

#[tokio::test]
async fn delete_objects_and_copy_object() {
    use aws_sdk_s3::types::{Delete, MetadataDirective, ObjectIdentifier};
    let gw = Gateway::start(&[]);
    let c = client(&gw, 1);
    for k in ["one", "two", "dir/three"] {
        c.put_object()
            .bucket(BUCKET)
            .key(k)
            .content_type("text/plain")
            .metadata("colour", "blue")
            .body(ByteStream::from_static(b"hello world"))
            .send()
            .await
            .unwrap();
    }
    // The SDK URL-encodes nothing in the copy source: the key has a space
    // and a plus, encoded here as S3 asks.
    let copied = c
        .copy_object()
        .bucket(BUCKET)
        .key("copy of+one")
        .copy_source("bucket/one")
        .send()
        .await
        .unwrap();
    let etag = format!("\"{HELLO_MD5_HEX}\"");
    assert_eq!(
        copied.copy_object_result().and_then(|r| r.e_tag()),
        Some(etag.as_str())
    );
    let got = c
        .get_object()
        .bucket(BUCKET)
        .key("copy of+one")
        .send()
        .await
        .unwrap();
    assert_eq!(got.content_type(), Some("text/plain"));
    assert_eq!(
        got.metadata()
            .and_then(|m| m.get("colour"))
            .map(String::as_str),
        Some("blue")
    );
    let again = c
        .copy_object()
        .bucket(BUCKET)
        .key("two")
        .copy_source("bucket/copy%20of%2Bone")
        .metadata_directive(MetadataDirective::Replace)
        .metadata("colour", "red")
        .send()
        .await;
    again.unwrap();
    let head = c
        .head_object()
        .bucket(BUCKET)
        .key("two")
        .send()
        .await
        .unwrap();
    assert_eq!(
        head.metadata()
            .and_then(|m| m.get("colour"))
            .map(String::as_str),
        Some("red")
    );
    let s = fails!(
        c.copy_object()
            .bucket(BUCKET)
            .key("one")
            .copy_source("bucket/one")
    );
    check(&s, 400, ErrorCode::InvalidRequest, "/bucket/one");
    let s = fails!(
        c.copy_object()
            .bucket(BUCKET)
            .key("x")
            .copy_source("bucket/one")
            .copy_source_if_match("\"00000000000000000000000000000000\"")
    );
    check(&s, 412, ErrorCode::PreconditionFailed, "/bucket/x");
    let s = fails!(
        c.copy_object()
            .bucket(BUCKET)
            .key("x")
            .copy_source("bucket/none")
    );
    check(&s, 404, ErrorCode::NoSuchKey, "/bucket/x");

    let ids = ["one", "two", "dir/three", "never-was"]
        .iter()
        .map(|k| ObjectIdentifier::builder().key(*k).build().unwrap())
        .collect::<Vec<_>>();
    let out = c
        .delete_objects()
        .bucket(BUCKET)
        .delete(Delete::builder().set_objects(Some(ids)).build().unwrap())
        .send()
        .await
        .unwrap();
    let deleted: Vec<&str> = out.deleted().iter().filter_map(|d| d.key()).collect();
    assert_eq!(deleted, ["one", "two", "dir/three", "never-was"]);
    assert!(out.errors().is_empty());
    let left = c.list_objects_v2().bucket(BUCKET).send().await.unwrap();
    let keys: Vec<&str> = left.contents().iter().filter_map(|o| o.key()).collect();
    assert_eq!(keys, ["copy of+one"]);
}

#[tokio::test]
async fn multipart_upload_with_the_sdk() {
    let gw = Gateway::start(&[]);
    let c = client(&gw, 1);
    let create = c
        .create_multipart_upload()
        .bucket(BUCKET)
        .key("big")
        .content_type("application/x-test")
        .send()
        .await
        .unwrap();
    let id = create.upload_id().unwrap().to_string();
    let first = vec![7u8; 5 * 1024 * 1024];
    let done = upload_parts(&c, "big", &id, &[&first, b"the end"]).await;
    let listed = c
        .list_parts()
        .bucket(BUCKET)
        .key("big")
        .upload_id(&id)
        .send()
        .await
        .unwrap();
    let sizes: Vec<i64> = listed.parts().iter().filter_map(|p| p.size()).collect();
    assert_eq!(sizes, [5 * 1024 * 1024, 7]);
    let uploads = c
        .list_multipart_uploads()
        .bucket(BUCKET)
        .send()
        .await
        .unwrap();
    assert_eq!(uploads.uploads().len(), 1);
    assert_eq!(uploads.uploads()[0].upload_id(), Some(id.as_str()));

    // A small part but the last, and a part that was not uploaded.
    let small = CompletedMultipartUpload::builder()
        .parts(done[1].clone())
        .parts(
            CompletedPart::builder()
                .part_number(2)
                .e_tag(done[1].e_tag().unwrap())
                .build(),
        )
        .build();
    let s = fails!(
        c.complete_multipart_upload()
            .bucket(BUCKET)
            .key("big")
            .upload_id(&id)
            .multipart_upload(small)
    );
    check(&s, 400, ErrorCode::InvalidPartOrder, "/bucket/big");
    let missing = CompletedMultipartUpload::builder()
        .parts(
            CompletedPart::builder()
                .part_number(3)
                .e_tag(done[1].e_tag().unwrap())
                .build(),
        )
        .build();
    let s = fails!(
        c.complete_multipart_upload()
            .bucket(BUCKET)
            .key("big")
            .upload_id(&id)
            .multipart_upload(missing)
    );
    check(&s, 400, ErrorCode::InvalidPart, "/bucket/big");

    // MD5 of (MD5 of 5 MiB of 0x07, MD5 of "the end"), computed apart
    // (Python's hashlib).
    let etag = complete_upload(&c, "big", &id, done).await;
    assert_eq!(etag, "\"8003522a16fb668eb8834b9fc4893046-2\"");
    let got = c
        .get_object()
        .bucket(BUCKET)
        .key("big")
        .send()
        .await
        .unwrap();
    assert_eq!(got.e_tag(), Some(etag.as_str()));
    assert_eq!(got.content_type(), Some("application/x-test"));
    let bytes = got.body.collect().await.unwrap().into_bytes();
    assert_eq!(bytes.len(), 5 * 1024 * 1024 + 7);
    assert!(bytes.ends_with(b"the end"));

    let s = fails!(
        c.abort_multipart_upload()
            .bucket(BUCKET)
            .key("big")
            .upload_id(&id)
    );
    check(&s, 404, ErrorCode::NoSuchUpload, "/bucket/big");
    let id2 = create_upload(&c, "small").await;
    let small_parts = upload_parts(&c, "small", &id2, &[b"tiny", b"tiny"]).await;
    let s = fails!(
        c.complete_multipart_upload()
            .bucket(BUCKET)
            .key("small")
            .upload_id(&id2)
            .multipart_upload(parts_list(small_parts))
    );
    check(&s, 400, ErrorCode::EntityTooSmall, "/bucket/small");
    c.abort_multipart_upload()
        .bucket(BUCKET)
        .key("small")
        .upload_id(&id2)
        .send()
        .await
        .unwrap();
    let s = fails!(
        c.upload_part()
            .bucket(BUCKET)
            .key("small")
            .upload_id(&id2)
            .part_number(1)
            .body(ByteStream::from_static(b"late"))
    );
    check(&s, 404, ErrorCode::NoSuchUpload, "/bucket/small");
}

/// GetObject and HeadObject of one part (`part_number`), as the SDK reads
/// them: the part's bytes, `PartsCount`, a `ContentRange` over the whole
/// object (offsets from the part sizes, by hand), the object's ETag; an
/// object of one PUT is its own part 1; the errors.
#[tokio::test]
async fn get_and_head_object_part_with_the_sdk() {
    let gw = Gateway::start(&[]);
    let c = client(&gw, 1);
    let id = create_upload(&c, "parts").await;
    let first = vec![3u8; 5 * 1024 * 1024];
    let done = upload_parts(&c, "parts", &id, &[&first, b"second part"]).await;
    let etag = complete_upload(&c, "parts", &id, done).await;
    let got = c
        .get_object()
        .bucket(BUCKET)
        .key("parts")
        .part_number(2)
        .send()
        .await
        .unwrap();
    assert_eq!(got.parts_count(), Some(2));
    assert_eq!(got.content_range(), Some("bytes 5242880-5242890/5242891"));
    assert_eq!(got.content_length(), Some(11));
    assert_eq!(got.e_tag(), Some(etag.as_str()));
    let bytes = got.body.collect().await.unwrap().into_bytes();
    assert_eq!(bytes.as_ref(), b"second part");
    let head = c
        .head_object()
        .bucket(BUCKET)
        .key("parts")
        .part_number(1)
        .send()
        .await
        .unwrap();
    assert_eq!(head.parts_count(), Some(2));
    assert_eq!(head.content_length(), Some(5 * 1024 * 1024));
    assert_eq!(head.content_range(), Some("bytes 0-5242879/5242891"));
    let got = c
        .get_object()
        .bucket(BUCKET)
        .key("parts")
        .part_number(1)
        .send()
        .await
        .unwrap();
    let bytes = got.body.collect().await.unwrap().into_bytes();
    assert!(bytes.as_ref() == first.as_slice());

    let s = fails!(c.get_object().bucket(BUCKET).key("parts").part_number(3));
    check(&s, 416, ErrorCode::InvalidPartNumber, "/bucket/parts");
    let s = fails!(
        c.get_object()
            .bucket(BUCKET)
            .key("parts")
            .part_number(1)
            .range("bytes=0-1")
    );
    check(&s, 400, ErrorCode::InvalidRequest, "/bucket/parts");
    let s = fails!(c.get_object().bucket(BUCKET).key("parts").part_number(0));
    check(&s, 400, ErrorCode::InvalidArgument, "/bucket/parts");

    // One PUT: part 1 is the whole object, without a part count.
    put_static(&c, "single", b"hello world").await;
    let got = c
        .get_object()
        .bucket(BUCKET)
        .key("single")
        .part_number(1)
        .send()
        .await
        .unwrap();
    assert_eq!(got.parts_count(), None);
    assert_eq!(got.content_range(), Some("bytes 0-10/11"));
    let bytes = got.body.collect().await.unwrap().into_bytes();
    assert_eq!(bytes.as_ref(), b"hello world");
    let s = fails!(c.get_object().bucket(BUCKET).key("single").part_number(2));
    check(&s, 416, ErrorCode::InvalidPartNumber, "/bucket/single");
}

/// Multipart checksums through the SDK: a CRC32C composite upload and a
/// CRC32 full-object one, each with the SDK computing the part
/// checksums. The composite value is checked against one computed apart
/// (Python: CRC32C of the parts' big-endian CRC32Cs); the full-object
/// CRC32 is checked by the SDK itself when it reads the object with
/// checksum mode on (a wrong one fails the read), and against Python's
/// `zlib.crc32`. Parts: 5 MiB of `a`, then `tail`.
#[tokio::test]
async fn multipart_checksums_with_the_sdk() {
    use aws_sdk_s3::types::{ChecksumAlgorithm, ChecksumMode, ChecksumType};
    let gw = Gateway::start(&[]);
    let c = client(&gw, 1);
    let bodies = [vec![b'a'; 5 * 1024 * 1024], b"tail".to_vec()];
    for (key, algorithm, kind, want) in [
        (
            "composite",
            ChecksumAlgorithm::Crc32C,
            ChecksumType::Composite,
            "KYE/qQ==-2",
        ),
        (
            "full",
            ChecksumAlgorithm::Crc32,
            ChecksumType::FullObject,
            "cX+/tw==",
        ),
    ] {
        let create = c
            .create_multipart_upload()
            .bucket(BUCKET)
            .key(key)
            .checksum_algorithm(algorithm.clone())
            .checksum_type(kind.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(create.checksum_type(), Some(&kind));
        let id = create.upload_id().unwrap().to_string();
        let mut parts = Vec::new();
        for (i, body) in bodies.iter().enumerate() {
            let n = i as i32 + 1;
            let up = c
                .upload_part()
                .bucket(BUCKET)
                .key(key)
                .upload_id(&id)
                .part_number(n)
                .checksum_algorithm(algorithm.clone())
                .body(ByteStream::from(body.clone()))
                .send()
                .await
                .unwrap();
            let part = CompletedPart::builder()
                .part_number(n)
                .e_tag(up.e_tag().unwrap())
                .set_checksum_crc32(up.checksum_crc32().map(str::to_owned))
                .set_checksum_crc32_c(up.checksum_crc32_c().map(str::to_owned))
                .build();
            parts.push(part);
        }
        // A wrong part checksum is InvalidPart.
        let mut wrong = parts.clone();
        wrong[1] = CompletedPart::builder()
            .part_number(2)
            .e_tag(parts[1].e_tag().unwrap())
            .set_checksum_crc32(parts[1].checksum_crc32().map(|_| "AAAAAA==".to_owned()))
            .set_checksum_crc32_c(parts[1].checksum_crc32_c().map(|_| "AAAAAA==".to_owned()))
            .build();
        let s = fails!(
            c.complete_multipart_upload()
                .bucket(BUCKET)
                .key(key)
                .upload_id(&id)
                .multipart_upload(parts_list(wrong))
        );
        check(&s, 400, ErrorCode::InvalidPart, &format!("/bucket/{key}"));
        let done = c
            .complete_multipart_upload()
            .bucket(BUCKET)
            .key(key)
            .upload_id(&id)
            .multipart_upload(parts_list(parts))
            .send()
            .await
            .unwrap();
        assert_eq!(done.checksum_type(), Some(&kind), "{key}");
        let got = c
            .get_object()
            .bucket(BUCKET)
            .key(key)
            .checksum_mode(ChecksumMode::Enabled)
            .send()
            .await
            .unwrap();
        assert_eq!(got.checksum_type(), Some(&kind), "{key}");
        let value = got.checksum_crc32().or(got.checksum_crc32_c());
        assert_eq!(value, Some(want), "{key}");
        // Reading the body is where the SDK checks a full-object CRC.
        let bytes = got.body.collect().await.unwrap().into_bytes();
        assert_eq!(bytes.len(), 5 * 1024 * 1024 + 4);
    }
    // S3 refuses the full-object type with SHA-256.
    let s = fails!(
        c.create_multipart_upload()
            .bucket(BUCKET)
            .key("no")
            .checksum_algorithm(ChecksumAlgorithm::Sha256)
            .checksum_type(ChecksumType::FullObject)
    );
    check(&s, 400, ErrorCode::InvalidRequest, "/bucket/no");
}

/// ListMultipartUploads as the SDK pages it: `max_uploads`, the next
/// markers fed back, a delimiter's common prefixes; the order (by key,
/// then initiation) written by hand.
#[tokio::test]
async fn list_multipart_uploads_with_the_sdk() {
    let gw = Gateway::start(&[]);
    let c = client(&gw, 1);
    let mut ids = Vec::new();
    for key in ["z", "dir/x", "z", "a"] {
        ids.push((key, create_upload(&c, key).await));
    }
    let want = [&ids[3], &ids[1], &ids[0], &ids[2]];
    let mut seen = Vec::new();
    let (mut key_marker, mut id_marker) = (None, None);
    loop {
        let page = c
            .list_multipart_uploads()
            .bucket(BUCKET)
            .max_uploads(3)
            .set_key_marker(key_marker.take())
            .set_upload_id_marker(id_marker.take())
            .send()
            .await
            .unwrap();
        for u in page.uploads() {
            seen.push((
                u.key().unwrap().to_owned(),
                u.upload_id().unwrap().to_owned(),
            ));
        }
        if !page.is_truncated().unwrap() {
            break;
        }
        key_marker = page.next_key_marker().map(str::to_owned);
        id_marker = page.next_upload_id_marker().map(str::to_owned);
    }
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(k, i)| ((*k).to_owned(), i.clone()))
        .collect();
    assert_eq!(seen, want);
    let page = c
        .list_multipart_uploads()
        .bucket(BUCKET)
        .delimiter("/")
        .send()
        .await
        .unwrap();
    let prefixes: Vec<&str> = page
        .common_prefixes()
        .iter()
        .filter_map(|p| p.prefix())
        .collect();
    assert_eq!(prefixes, ["dir/"]);
    assert_eq!(page.uploads().len(), 3);
    let s = fails!(c.list_multipart_uploads().bucket(BUCKET).max_uploads(-1));
    // The path as the SDK sends it.
    check(&s, 400, ErrorCode::InvalidArgument, "/bucket/");
}

#[tokio::test]
async fn upload_part_copy_and_response_overrides() {
    let gw = Gateway::start(&[]);
    let c = client(&gw, 1);
    let big: Vec<u8> = (0..5 * 1024 * 1024 + 11).map(|i| (i % 251) as u8).collect();
    c.put_object()
        .bucket(BUCKET)
        .key("source")
        .body(ByteStream::from(big.clone()))
        .send()
        .await
        .unwrap();
    let id = create_upload(&c, "dest").await;
    let split = 5 * 1024 * 1024;
    let mut parts = Vec::new();
    for (n, range) in [
        (1, format!("bytes=0-{}", split - 1)),
        (2, format!("bytes={split}-{}", big.len() - 1)),
    ] {
        let out = c
            .upload_part_copy()
            .bucket(BUCKET)
            .key("dest")
            .upload_id(&id)
            .part_number(n)
            .copy_source("bucket/source")
            .copy_source_range(range)
            .send()
            .await
            .unwrap();
        let etag = out.copy_part_result().and_then(|r| r.e_tag()).unwrap();
        parts.push(CompletedPart::builder().part_number(n).e_tag(etag).build());
    }
    let s = fails!(
        c.upload_part_copy()
            .bucket(BUCKET)
            .key("dest")
            .upload_id(&id)
            .part_number(3)
            .copy_source("bucket/source")
            .copy_source_range(format!("bytes=0-{}", big.len()))
    );
    check(&s, 400, ErrorCode::InvalidArgument, "/bucket/dest");
    complete_upload(&c, "dest", &id, parts).await;
    let got = c
        .get_object()
        .bucket(BUCKET)
        .key("dest")
        .response_content_type("application/x-override")
        .response_content_disposition("attachment")
        .send()
        .await
        .unwrap();
    assert_eq!(got.content_type(), Some("application/x-override"));
    assert_eq!(got.content_disposition(), Some("attachment"));
    let bytes = got.body.collect().await.unwrap().into_bytes();
    assert!(bytes.as_ref() == big.as_slice());
}
