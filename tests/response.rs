//! `ErrorDocument::response` (checked headers), `Display` under
//! `InvalidChars::Reject`, the 200 retry rule and the `http` feature,
//! against hand-written expectations and roxmltree.
#![cfg(all(feature = "s3", feature = "descriptions"))]

use s3err::response::ResponseHead;
use s3err::xml::{self, ErrorDocument, Field, InvalidChars, RenderError};
use s3err::{ErrorCode, Retry};

/// The headers as `name: value` lines.
fn header_lines(r: &ResponseHead<'_>) -> Vec<String> {
    r.headers()
        .map(|h| format!("{}: {}", h.name(), h.value()))
        .collect()
}

const NO_SUCH_KEY: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>\
<Message>The specified key does not exist.</Message><Resource>/b/k</Resource>\
<RequestId>RID-1</RequestId><HostId>host id/2=</HostId></Error>";

fn full_doc() -> ErrorDocument<'static> {
    ErrorDocument::new(ErrorCode::NoSuchKey)
        .with_resource("/b/k")
        .with_request_id("RID-1")
        .with_host_id("host id/2=")
        .with_bucket_region("eu-west-3")
}

#[test]
fn headers_in_the_issue_order_with_the_exact_length() {
    let doc = full_doc();
    let r = doc.response().unwrap();
    assert_eq!((r.status(), r.reason()), (404, "Not Found"));
    assert!(r.has_body());
    let want_len = NO_SUCH_KEY.len().to_string();
    assert_eq!(
        header_lines(&r),
        [
            "Content-Type: application/xml".to_string(),
            format!("Content-Length: {want_len}"),
            "x-amz-request-id: RID-1".into(),
            "x-amz-id-2: host id/2=".into(),
            "x-amz-bucket-region: eu-west-3".into(),
        ]
    );
    // The promised length is the length of what is written.
    let mut buf = [0u8; 512];
    let n = doc.write_to_slice(&mut buf).unwrap();
    assert_eq!(&buf[..n], NO_SUCH_KEY.as_bytes());
    assert_eq!(r.content_length(), Some(NO_SUCH_KEY.len()));
    let dom = roxmltree::Document::parse(std::str::from_utf8(&buf[..n]).unwrap()).unwrap();
    assert_eq!(dom.root_element().tag_name().name(), "Error");
}

#[test]
fn head_and_304_carry_headers_but_no_body() {
    let head = full_doc().head_response().unwrap();
    assert!(!head.has_body());
    assert_eq!(head.content_length(), None);
    assert_eq!(
        header_lines(&head),
        [
            "x-amz-request-id: RID-1",
            "x-amz-id-2: host id/2=",
            "x-amz-bucket-region: eu-west-3"
        ]
    );
    let nm = ErrorDocument::new(ErrorCode::NotModified)
        .with_request_id("R304")
        .response()
        .unwrap();
    assert_eq!((nm.status(), nm.reason()), (304, "Not Modified"));
    assert!(!nm.has_body());
    assert_eq!(header_lines(&nm), ["x-amz-request-id: R304"]);
}

#[test]
fn redirect_carries_the_region() {
    let r = ErrorDocument::new(ErrorCode::PermanentRedirect)
        .with_request_id("R")
        .with_bucket_region("us-west-2")
        .head_response()
        .unwrap();
    assert_eq!((r.status(), r.reason()), (301, "Moved Permanently"));
    assert_eq!(
        header_lines(&r),
        ["x-amz-request-id: R", "x-amz-bucket-region: us-west-2"]
    );
}

#[test]
fn empty_ids_send_no_header() {
    let r = ErrorDocument::new(ErrorCode::NoSuchBucket)
        .with_host_id("")
        .with_bucket_region("")
        .response()
        .unwrap();
    let names: Vec<_> = r.headers().map(|h| h.name()).collect();
    assert_eq!(names, ["Content-Type", "Content-Length"]);
}

#[test]
fn header_values_are_checked_under_either_rule() {
    // (value, offset of the first byte that is refused)
    let bad: &[(&str, usize)] = &[
        ("abc\r\nSet-Cookie: x=1", 3),
        ("a\nb", 1),
        ("\0", 0),
        ("a\tb", 1),
        ("ab\x7f", 2),
        ("caf\u{e9}", 3),
        (" lead", 0),
        ("trail ", 5),
        (" ", 0),
    ];
    for rule in [InvalidChars::Replace, InvalidChars::Reject] {
        for &(v, offset) in bad {
            let base = ErrorDocument::new(ErrorCode::NoSuchKey).with_invalid_chars(rule);
            for (doc, field) in [
                (base.with_request_id(v), Field::RequestId),
                (base.with_request_id("ok").with_host_id(v), Field::HostId),
                (
                    base.with_request_id("ok").with_bucket_region(v),
                    Field::BucketRegion,
                ),
            ] {
                for (r, method) in [(doc.response(), "GET"), (doc.head_response(), "HEAD")] {
                    assert_eq!(
                        r,
                        Err(RenderError::InvalidHeaderValue { field, offset }),
                        "{v:?} as {field} ({rule:?}, {method})"
                    );
                }
            }
        }
    }
    // Visible ASCII with interior spaces is fine.
    let ok = "A-Za-z0-9 !\"#$%&'()*+,./:;<=>?@[\\]^_`{|}~";
    let r = ErrorDocument::new(ErrorCode::NoSuchKey)
        .with_request_id(ok)
        .response()
        .unwrap();
    assert_eq!(
        header_lines(&r)[2],
        format!("x-amz-request-id: {ok}"),
        "checked values are written as given"
    );
}

/// Issue 12, defect 1: `to_string()` panicked under Reject.
#[test]
fn display_never_fails_under_reject() {
    let doc = ErrorDocument::new(ErrorCode::NoSuchKey)
        .with_message("a\0b")
        .with_invalid_chars(InvalidChars::Reject);
    let s = doc.to_string();
    assert_eq!(
        s,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>\
         <Message>a\u{FFFD}b</Message><RequestId></RequestId></Error>"
    );
    assert_eq!(format!("{doc}"), s);
    assert_eq!(s.len(), doc.rendered_len());
    // The fallible writers still reject.
    let mut out = String::new();
    assert_eq!(
        doc.write_to(&mut out),
        Err(RenderError::InvalidChar {
            field: Field::Message,
            offset: 1
        })
    );
}

/// Issue 12, defect 2: no Content-Length for a body that cannot be written.
#[test]
fn response_refuses_a_body_that_cannot_be_written() {
    let doc = ErrorDocument::new(ErrorCode::NoSuchKey)
        .with_message("a\0b")
        .with_request_id("R")
        .with_invalid_chars(InvalidChars::Reject);
    let want = Err(RenderError::InvalidChar {
        field: Field::Message,
        offset: 1,
    });
    assert_eq!(doc.response(), want);
    assert_eq!(doc.head_response(), want);
    assert_eq!(doc.write_to_slice(&mut [0u8; 512]), want.map(|_| 0));
    // Under Replace the same document answers, with the replacement's length.
    let doc = doc.with_invalid_chars(InvalidChars::Replace);
    let r = doc.response().unwrap();
    let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>\
                <Message>a\u{FFFD}b</Message><RequestId>R</RequestId></Error>";
    assert_eq!(r.content_length(), Some(body.len()));
    assert_eq!(doc.to_string(), body);
}

#[test]
fn error_in_a_200_is_retried_as_a_500() {
    assert_eq!(Retry::classify("NoSuchKey", 200), Retry::Transient);
    assert_eq!(Retry::classify("AccessDenied", 200), Retry::Transient);
    assert_eq!(Retry::classify("SomethingNew", 200), Retry::Transient);
    assert_eq!(Retry::classify("SlowDown", 200), Retry::Throttle);
    assert_eq!(Retry::classify("ThrottlingException", 200), Retry::Throttle);
    // Not 200: unchanged.
    assert_eq!(Retry::classify("NoSuchKey", 404), Retry::Never);
    assert_eq!(Retry::classify("NoSuchKey", 201), Retry::Never);
    assert_eq!(Retry::classify("AccessDenied", 429), Retry::Throttle);
    // A 200 with no error body is a success.
    assert_eq!(Retry::from_status(200), Retry::Never);

    let e = xml::parse(b"<Error><Code>InvalidPart</Code><Message>m</Message></Error>").unwrap();
    assert_eq!(e.retry(200), Retry::Transient);
    assert_eq!(e.retry(400), Retry::Never);
    let e = xml::parse(b"<Error><Code>SlowDown</Code></Error>").unwrap();
    assert_eq!(e.retry(200), Retry::Throttle);
}

#[cfg(feature = "http")]
#[test]
fn http_response() {
    let doc = full_doc();
    let r = doc.to_http_response().unwrap();
    assert_eq!(r.status(), http::StatusCode::NOT_FOUND);
    assert_eq!(r.body().as_slice(), NO_SUCH_KEY.as_bytes());
    let h = r.headers();
    assert_eq!(h.len(), 5);
    assert_eq!(h["content-type"], "application/xml");
    assert_eq!(h["content-length"], NO_SUCH_KEY.len().to_string().as_str());
    assert_eq!(h["x-amz-request-id"], "RID-1");
    assert_eq!(h["x-amz-id-2"], "host id/2=");
    assert_eq!(h["x-amz-bucket-region"], "eu-west-3");

    let head = doc.to_http_head_response().unwrap();
    assert!(head.body().is_empty());
    assert_eq!(head.headers().len(), 3);
    assert!(head.headers().get("content-length").is_none());

    assert_eq!(
        doc.with_request_id("a\r\nb")
            .to_http_response()
            .unwrap_err(),
        RenderError::InvalidHeaderValue {
            field: Field::RequestId,
            offset: 1
        }
    );
    let nm = ErrorDocument::new(ErrorCode::NotModified)
        .to_http_response()
        .unwrap();
    assert_eq!(nm.status(), http::StatusCode::NOT_MODIFIED);
    assert!(nm.body().is_empty());

    for &code in ErrorCode::ALL {
        assert_eq!(
            http::StatusCode::from(code).as_u16(),
            code.status(),
            "{code}"
        );
    }
    assert_eq!(
        http::StatusCode::from(ErrorCode::SlowDown),
        http::StatusCode::SERVICE_UNAVAILABLE
    );
}
