//! The response head: status, reason phrase, whether there is a body, and
//! the typed headers with checked values, as a gateway writes them and
//! through the `http` feature, against hand-written expectations.

use core::fmt::Write as _;

use s3err::ErrorCode;
use s3err::response;
use s3err::xml::ErrorDocument;

/// The header block of a document with a request id, host id and bucket
/// region, built from the status and body length alone by the documented
/// rule, written out by hand: `Content-Type` and `Content-Length` when the
/// answer has a body, then the ids in that order.
fn expected_block(status: u16, body_len: usize, head: bool) -> String {
    let mut want = String::new();
    let has_body = !(head || status < 200 || status == 204 || status == 304);
    if has_body {
        want += "Content-Type: application/xml\r\n";
        want += &format!("Content-Length: {body_len}\r\n");
    }
    want += "x-amz-request-id: 4442587FB7D0A2F9\r\n";
    want += "x-amz-id-2: host/id=\r\n";
    want += "x-amz-bucket-region: eu-west-3\r\n";
    want
}

/// The loop of the `response` module's docs, as a gateway writes it.
fn header_loop(head: &response::ResponseHead<'_>) -> Result<String, core::fmt::Error> {
    let mut w = String::new();
    for h in head.headers() {
        write!(w, "{}: {}\r\n", h.name(), h.value())?;
    }
    Ok(w)
}

#[test]
fn the_documented_header_loop_writes_the_expected_block_for_every_code() {
    for &code in ErrorCode::ALL {
        let doc = ErrorDocument::new(code)
            .with_resource("/b/k")
            .with_request_id("4442587FB7D0A2F9")
            .with_host_id("host/id=")
            .with_bucket_region("eu-west-3");
        let body_len = doc.to_string().len();
        let get = doc.response().unwrap();
        assert_eq!(
            header_loop(&get).unwrap(),
            expected_block(code.status(), body_len, false),
            "{code}"
        );
        let head = doc.head_response().unwrap();
        assert_eq!(
            header_loop(&head).unwrap(),
            expected_block(code.status(), body_len, true),
            "{code} (HEAD)"
        );
        assert_eq!(get.status(), code.status());
    }
}

#[test]
fn every_code_has_its_status_a_reason_and_a_body_length_unless_304_or_head() {
    for &code in ErrorCode::ALL {
        let doc = ErrorDocument::new(code);
        let r = doc.response().unwrap();
        assert_eq!(r.status(), code.status());
        assert!(!r.reason().is_empty(), "{code}");
        if code.status() == 304 {
            assert!(!r.has_body());
            assert_eq!(r.content_length(), None);
        } else {
            assert_eq!(r.content_length(), Some(doc.to_string().len()));
        }
        let head = doc.head_response().unwrap();
        assert!(!head.has_body() && head.content_length().is_none());
        assert_eq!(head.headers().count(), 0, "{code}: no id set, no body");
    }
    assert_eq!(s3err::response::reason_phrase(404), Some("Not Found"));
    assert_eq!(
        s3err::response::reason_phrase(503),
        Some("Service Unavailable")
    );
    assert_eq!(s3err::response::reason_phrase(304), Some("Not Modified"));
    assert_eq!(s3err::response::reason_phrase(299), None);
}

/// The tests built on one `NoSuchKey` document.
#[cfg(all(feature = "s3", feature = "descriptions"))]
mod no_such_key {
    use s3err::ErrorCode;
    use s3err::response::ResponseHead;
    use s3err::xml::{ErrorDocument, Field, InvalidChars, RenderError};

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
    fn headers_come_in_the_documented_order_with_the_bodys_exact_length() {
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
    fn a_redirect_carries_the_bucket_region() {
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
    fn an_empty_id_sends_no_header() {
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

    /// A body that cannot be written gets no head (no `Content-Length` for it).
    #[test]
    fn a_body_that_cannot_be_written_gets_no_head() {
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

    #[cfg(feature = "http")]
    #[test]
    fn the_http_feature_gives_the_same_status_headers_and_body() {
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
}
