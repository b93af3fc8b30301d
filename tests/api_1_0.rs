//! The 1.0 API's promises: the header loop writes the bytes 0.2 wrote,
//! codes outside the table render and parse back (and bad ones are
//! refused, each shape with its own error), and `Text` compares, hashes
//! and orders by its decoded text.

use core::fmt::Write as _;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use proptest::prelude::*;
use s3err::xml::{self, ErrorDocument, Form, RenderError};
use s3err::{ErrorCode, response};

/// The header block 0.2 wrote for a document with a request id, host id
/// and bucket region, built from the status and body length alone (the
/// rule of 0.2's `Response::headers`, written out by hand).
fn block_0_2(status: u16, body_len: usize, head: bool) -> String {
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
fn the_header_loop_writes_what_0_2_wrote_for_every_code() {
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
            block_0_2(code.status(), body_len, false),
            "{code}"
        );
        let head = doc.head_response().unwrap();
        assert_eq!(
            header_loop(&head).unwrap(),
            block_0_2(code.status(), body_len, true),
            "{code} (HEAD)"
        );
        assert_eq!(get.status(), code.status());
    }
}

#[test]
fn a_code_outside_the_table_renders_and_parses_back() {
    let doc = ErrorDocument::custom("Upstream.Error42", 418)
        .unwrap()
        .with_message("I'm a teapot & more")
        .with_request_id("R1");
    assert_eq!(doc.code(), "Upstream.Error42");
    assert_eq!(doc.known(), None);
    assert_eq!(doc.status(), 418);
    let body = doc.to_string();
    assert_eq!(
        body,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>Upstream.Error42</Code>\
         <Message>I&apos;m a teapot &amp; more</Message><RequestId>R1</RequestId></Error>"
    );
    let back = xml::parse(body.as_bytes()).unwrap();
    assert_eq!(back.code(), "Upstream.Error42");
    assert_eq!(back.known(), None);
    assert!(back.message().is_some_and(|m| m == "I'm a teapot & more"));
    // The head carries the given status.
    let head = doc.response().unwrap();
    assert_eq!((head.status(), head.reason()), (418, ""));
    // Without a message, the code is the message.
    let bare = ErrorDocument::custom("X", 599).unwrap();
    assert_eq!(bare.message(), "X");
    // The AWS Query form, with its type from the given status.
    let q = ErrorDocument::custom("Other", 503)
        .unwrap()
        .with_form(Form::AwsQuery)
        .with_namespace("https://sts.amazonaws.com/doc/2011-06-15/")
        .to_string();
    assert!(q.starts_with(
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Receiver</Type><Code>Other</Code>"
    ));
    let back = xml::parse(q.as_bytes()).unwrap();
    assert_eq!(back.code(), "Other");
    assert!(back.error_type().is_some_and(|t| t == "Receiver"));
}

#[test]
fn a_table_name_given_as_text_renders_as_the_table_code() {
    for &code in ErrorCode::ALL {
        let custom = ErrorDocument::custom(code.as_str(), code.status())
            .unwrap()
            .with_request_id("R");
        let table = ErrorDocument::new(code).with_request_id("R");
        assert_eq!(custom.to_string(), table.to_string(), "{code}");
        assert_eq!(custom.known(), Some(code));
        assert_eq!(custom.response(), table.response(), "{code}");
        // Another status: the head says so, the body is the same but for
        // the query form's type.
        let other = ErrorDocument::custom(code.as_str(), 500).unwrap();
        assert_eq!(other.response().unwrap().status(), 500);
    }
}

#[test]
fn refused_code_texts() {
    let refused = |code: &str, status: u16| ErrorDocument::custom(code, status).unwrap_err();
    // Empty.
    assert_eq!(refused("", 400), RenderError::InvalidCodeLength { len: 0 });
    // Longer than 64 bytes (64 is fine).
    let long = "A".repeat(65);
    assert_eq!(
        refused(&long, 400),
        RenderError::InvalidCodeLength { len: 65 }
    );
    assert!(ErrorDocument::custom(&long[..64], 400).is_ok());
    // A space.
    assert_eq!(
        refused("No Such", 400),
        RenderError::InvalidCode { offset: 2 }
    );
    // Markup.
    assert_eq!(refused("A<b>", 400), RenderError::InvalidCode { offset: 1 });
    // A CR LF (header or body injection).
    assert_eq!(
        refused("A\r\nB", 400),
        RenderError::InvalidCode { offset: 1 }
    );
    // Non-ASCII.
    assert_eq!(
        refused("Caf\u{e9}", 400),
        RenderError::InvalidCode { offset: 3 }
    );
    // Punctuation other than '.'.
    assert_eq!(refused("a-b", 400), RenderError::InvalidCode { offset: 1 });
    assert_eq!(refused("a_b", 400), RenderError::InvalidCode { offset: 1 });
    // A NUL.
    assert_eq!(refused("\0", 400), RenderError::InvalidCode { offset: 0 });
    // Statuses outside 100..=599.
    assert_eq!(refused("A", 99), RenderError::InvalidStatus { status: 99 });
    assert_eq!(
        refused("A", 600),
        RenderError::InvalidStatus { status: 600 }
    );
    assert!(ErrorDocument::custom("A", 100).is_ok());
    // Each refusal says what.
    assert_eq!(
        RenderError::InvalidCode { offset: 2 }.to_string(),
        "the error code holds a byte other than an ASCII letter, digit or '.' at byte 2"
    );
}

fn hash_of<T: Hash>(t: &T) -> u64 {
    let mut h = DefaultHasher::new();
    t.hash(&mut h);
    h.finish()
}

/// `text` written as XML content in one of several ways, chosen by `ways`
/// character by character.
fn encode(text: &str, ways: &[u8]) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        let way = ways.get(i % ways.len().max(1)).copied().unwrap_or(0) % 4;
        match (way, c) {
            (_, '&') if way == 0 => out += "&amp;",
            (_, '<') if way == 0 => out += "&lt;",
            (0, c) => out.push(c),
            (1, c) => out += &format!("&#{};", c as u32),
            (2, c) => out += &format!("&#x{:X};", c as u32),
            (_, c) => out += &format!("<![CDATA[{c}]]>"),
        }
    }
    out
}

fn code_text(body: &str) -> String {
    format!("<Error><Code>{body}</Code></Error>")
}

#[test]
fn text_equality_hash_and_order_follow_the_decoded_text() {
    let bodies: Vec<String> = ["&amp;", "&#38;", "&#x26;", "<![CDATA[&]]>"]
        .iter()
        .map(|b| code_text(b))
        .collect();
    let texts: Vec<xml::Text<'_>> = bodies
        .iter()
        .map(|b| xml::parse(b.as_bytes()).unwrap().code())
        .collect();
    for a in &texts {
        for b in &texts {
            assert_eq!(a, b);
            assert_eq!(hash_of(a), hash_of(b));
            assert_eq!(a.cmp(b), core::cmp::Ordering::Equal);
        }
        assert_eq!(*a, "&");
        // The hash is `str`'s for the decoded text.
        assert_eq!(hash_of(a), hash_of(&"&"));
    }
    assert_eq!(texts[0].raw(), "&amp;");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn text_is_its_decoded_string(
        a in "[a-zA-Z0-9&<> é☺\u{1F600}]{0,40}",
        b in "[a-zA-Z0-9&<> é☺\u{1F600}]{0,40}",
        ways_a in prop::collection::vec(any::<u8>(), 1..8),
        ways_b in prop::collection::vec(any::<u8>(), 1..8),
    ) {
        let (ba, bb) = (code_text(&encode(&a, &ways_a)), code_text(&encode(&b, &ways_b)));
        let ta = xml::parse(ba.as_bytes()).unwrap().code();
        let tb = xml::parse(bb.as_bytes()).unwrap().code();
        prop_assert_eq!(ta.to_string(), a.clone());
        prop_assert_eq!(ta == tb, a == b);
        prop_assert_eq!(ta.cmp(&tb), a.as_str().cmp(b.as_str()));
        prop_assert_eq!(hash_of(&ta), hash_of(&a.as_str()));
        // The same text written another way is equal and hashes alike.
        let other = code_text(&encode(&a, &ways_b));
        let to = xml::parse(other.as_bytes()).unwrap().code();
        prop_assert_eq!(ta, to);
        prop_assert_eq!(hash_of(&ta), hash_of(&to));
    }
}
