//! Rendering error documents: every code in its group's form, byte-exact
//! fixtures, hostile text under both `InvalidChars` rules, exact buffer
//! sizes, codes outside the table, and render → parse round trips, checked
//! against roxmltree and hand-written bodies.

use proptest::prelude::*;
use s3err::ErrorCode;
use s3err::xml::{self, ErrorDocument, Field, Form, InvalidChars, RenderError};

use super::support::{child, data_rows, dom_error, dom_text, render};

#[test]
fn every_code_renders_well_formed_xml_in_its_groups_form() {
    let data = data_rows();
    for &code in ErrorCode::ALL {
        let doc = ErrorDocument::new(code)
            .with_resource("/bucket/key")
            .with_request_id("REQ1")
            .with_host_id("HOST/1=");
        let s = render(&doc);
        assert_eq!(s.len(), doc.rendered_len(), "{code}");
        let dom = roxmltree::Document::parse(&s).unwrap_or_else(|e| panic!("{code}: {e}\n{s}"));
        let group = data.iter().find(|r| r.name == code.as_str()).unwrap().group;
        let root = dom.root_element();
        let err = dom_error(&dom).unwrap();
        if group == "iam" {
            assert_eq!(doc.form(), Form::AwsQuery);
            assert_eq!(root.tag_name().name(), "ErrorResponse");
            assert_eq!(root.tag_name().namespace(), Some(xml::IAM_NAMESPACE));
            let ty = if code.status() >= 500 {
                "Receiver"
            } else {
                "Sender"
            };
            assert_eq!(dom_text(child(err, "Type").unwrap()), ty);
            assert_eq!(dom_text(child(root, "RequestId").unwrap()), "REQ1");
        } else {
            assert_eq!(doc.form(), Form::S3);
            assert!(s.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"));
            assert_eq!(root.tag_name().name(), "Error");
            assert_eq!(dom_text(child(err, "RequestId").unwrap()), "REQ1");
        }
        assert_eq!(dom_text(child(err, "Code").unwrap()), code.as_str());
        let want = if code.description().is_empty() {
            code.as_str()
        } else {
            code.description()
        };
        assert_eq!(dom_text(child(err, "Message").unwrap()), want, "{code}");
        // And back through s3err's own parser.
        let p = xml::parse(s.as_bytes()).unwrap();
        assert_eq!(p.known(), Some(code));
        assert_eq!(p.message().unwrap(), want);
        assert!(p.host_id().is_some_and(|h| h == "HOST/1="));
    }
}

#[cfg(all(feature = "s3", feature = "descriptions"))]
#[test]
fn an_s3_document_renders_byte_for_byte_with_escaped_arguments() {
    let args = [("x-amz-acl", "a<b"), ("max-keys", "\"1\"")];
    let doc = ErrorDocument::new(ErrorCode::InvalidArgument)
        .with_arguments(&args)
        .with_resource("/b/k&'")
        .with_request_id("4442587FB7D0A2F9")
        .with_host_id("host");
    let want = concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<Error><Code>InvalidArgument</Code><Message>Invalid Argument</Message>",
        "<ArgumentName1>x-amz-acl</ArgumentName1><ArgumentValue1>a&lt;b</ArgumentValue1>",
        "<ArgumentName2>max-keys</ArgumentName2><ArgumentValue2>&quot;1&quot;</ArgumentValue2>",
        "<Resource>/b/k&amp;&apos;</Resource><RequestId>4442587FB7D0A2F9</RequestId>",
        "<HostId>host</HostId></Error>"
    );
    assert_eq!(ErrorCode::InvalidArgument.description(), "Invalid Argument");
    assert_eq!(render(&doc), want);
    assert_eq!(doc.to_string(), want);
    let p = xml::parse(want.as_bytes()).unwrap();
    assert!(p.field("ArgumentValue1").is_some_and(|v| v == "a<b"));
    assert!(p.field("ArgumentName2").is_some_and(|v| v == "max-keys"));
}

#[cfg(all(feature = "iam", feature = "descriptions"))]
#[test]
fn an_iam_document_renders_byte_for_byte_in_the_aws_query_form() {
    let doc = ErrorDocument::new(ErrorCode::NoSuchEntity)
        .with_message("The user with name foobar cannot be found.")
        .with_request_id("358299bb");
    assert_eq!(
        render(&doc),
        concat!(
            "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error>",
            "<Type>Sender</Type><Code>NoSuchEntity</Code>",
            "<Message>The user with name foobar cannot be found.</Message></Error>",
            "<RequestId>358299bb</RequestId></ErrorResponse>"
        )
    );
    let doc = ErrorDocument::new(ErrorCode::ServiceFailure);
    assert!(render(&doc).contains("<Type>Receiver</Type>"));
}

#[test]
fn hostile_text_is_replaced_or_refused_at_its_first_bad_character() {
    let Some(&code) = ErrorCode::ALL.first() else {
        return;
    };
    let nasty = "\0a\u{1}b\u{1F}c\r\nd\te]]>f<![CDATA[g&#0;&amp;\u{FFFE}\u{FFFF}\u{FFFD}h\"'<>";
    let want =
        "\u{FFFD}a\u{FFFD}b\u{FFFD}c\r\nd\te]]>f<![CDATA[g&#0;&amp;\u{FFFD}\u{FFFD}\u{FFFD}h\"'<>";
    let args = [(nasty, nasty)];
    for form in [Form::S3, Form::AwsQuery] {
        let doc = ErrorDocument::new(code)
            .with_form(form)
            .with_message(nasty)
            .with_resource(nasty)
            .with_request_id(nasty)
            .with_host_id(nasty)
            .with_arguments(&args);
        let s = render(&doc);
        assert_eq!(s.len(), doc.rendered_len());
        let dom = roxmltree::Document::parse(&s).unwrap_or_else(|e| panic!("{e}\n{s}"));
        let err = dom_error(&dom).unwrap();
        assert_eq!(dom_text(child(err, "Message").unwrap()), want);
        assert_eq!(dom_text(child(err, "ArgumentName1").unwrap()), want);
        let p = xml::parse(s.as_bytes()).unwrap();
        for t in [p.message(), p.resource(), p.request_id(), p.host_id()] {
            assert_eq!(t.unwrap().to_string(), want);
        }
        // Reject instead of replacing: the first bad character, exactly.
        let strict = doc.with_invalid_chars(InvalidChars::Reject);
        let e = strict.write_to(&mut String::new()).unwrap_err();
        assert_eq!(
            e,
            RenderError::InvalidChar {
                field: Field::Message,
                offset: 0
            }
        );
        let mut buf = [0u8; 4096];
        assert_eq!(strict.write_to_slice(&mut buf), Err(e));
        let ok = strict
            .with_message("fine")
            .with_resource("fine")
            .with_request_id("r")
            .with_host_id("h");
        let ok = ok.with_arguments(&[("n", "v\u{7}")]);
        assert_eq!(
            ok.write_to(&mut String::new()),
            Err(RenderError::InvalidChar {
                field: Field::ArgumentValue(1),
                offset: 1
            })
        );
    }
}

#[cfg(all(feature = "s3", feature = "descriptions"))]
#[test]
fn display_replaces_under_reject_while_the_fallible_writers_refuse() {
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
    let mut out = String::new();
    assert_eq!(
        doc.write_to(&mut out),
        Err(RenderError::InvalidChar {
            field: Field::Message,
            offset: 1
        })
    );
}

#[test]
fn write_to_slice_needs_exactly_rendered_len_and_never_writes_past_its_end() {
    for &code in ErrorCode::ALL.iter().take(5) {
        let doc = ErrorDocument::new(code)
            .with_resource("/r&")
            .with_request_id("id");
        let len = doc.rendered_len();
        let full = render(&doc);
        for cap in 0..=len + 2 {
            let mut buf = vec![0xAAu8; len + 16];
            let r = doc.write_to_slice(&mut buf[..cap]);
            if cap < len {
                assert_eq!(r, Err(RenderError::BufferTooSmall { needed: len }));
            } else {
                assert_eq!(r, Ok(len));
                assert_eq!(&buf[..len], full.as_bytes());
            }
            assert!(buf[cap..].iter().all(|&b| b == 0xAA), "wrote past {cap}");
        }
    }
}

#[cfg(feature = "heapless-v0.9")]
#[test]
fn heapless_sinks_hold_the_same_bytes_or_say_the_size_needed() {
    let Some(&code) = ErrorCode::ALL.first() else {
        return;
    };
    let doc = ErrorDocument::new(code).with_request_id("r");
    let len = doc.rendered_len();
    let s = doc.to_heapless::<1024>().unwrap();
    assert_eq!(s.as_str(), render(&doc));
    let v = doc.to_heapless_vec::<1024>().unwrap();
    assert_eq!(&v[..], render(&doc).as_bytes());
    assert_eq!(
        doc.to_heapless::<16>(),
        Err(RenderError::BufferTooSmall { needed: len })
    );
    assert_eq!(
        doc.to_heapless_vec::<16>(),
        Err(RenderError::BufferTooSmall { needed: len })
    );
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
        // Another status: the head says so.
        let other = ErrorDocument::custom(code.as_str(), 500).unwrap();
        assert_eq!(other.response().unwrap().status(), 500);
    }
}

#[test]
fn a_code_text_must_be_1_to_64_letters_digits_or_dots_and_a_status_100_to_599() {
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

/// What the rule promises to hand back: the input with each character XML
/// cannot carry replaced by U+FFFD.
fn expected(s: &str) -> String {
    s.chars()
        .map(|c| if xml::is_xml_char(c) { c } else { '\u{FFFD}' })
        .collect()
}

/// Text with the characters that matter to XML well represented.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9 /&<>\"'\\]\\r\\n\\t\u{0}\u{1}\u{FFFE}\u{FFFF}é☺-]{0,40}",
        Just("]]>".to_string()),
        Just("&amp;#0;".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parse_gives_back_every_rendered_part(
        index in any::<prop::sample::Index>(),
        query in any::<bool>(),
        message in text(),
        resource in text(),
        request_id in text(),
        host_id in text(),
        args in prop::collection::vec((text(), text()), 0..4),
    ) {
        if ErrorCode::ALL.is_empty() {
            return Ok(());
        }
        let code = ErrorCode::ALL[index.index(ErrorCode::ALL.len())];
        let pairs: Vec<(&str, &str)> = args.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let doc = ErrorDocument::new(code)
            .with_form(if query { Form::AwsQuery } else { Form::S3 })
            .with_message(&message)
            .with_resource(&resource)
            .with_request_id(&request_id)
            .with_host_id(&host_id)
            .with_arguments(&pairs);
        let mut out = String::new();
        doc.write_to(&mut out).unwrap();
        prop_assert_eq!(out.len(), doc.rendered_len());

        let p = xml::parse(out.as_bytes()).unwrap();
        prop_assert_eq!(p.known(), Some(code));
        prop_assert_eq!(p.code().to_string(), code.as_str());
        prop_assert_eq!(p.message().unwrap().to_string(), expected(&message));
        prop_assert_eq!(p.resource().unwrap().to_string(), expected(&resource));
        prop_assert_eq!(p.request_id().unwrap().to_string(), expected(&request_id));
        prop_assert_eq!(p.host_id().unwrap().to_string(), expected(&host_id));
        prop_assert!(p.message().unwrap() == expected(&message).as_str());
        for (i, (n, v)) in args.iter().enumerate() {
            let name = p.field(&format!("ArgumentName{}", i + 1)).unwrap();
            let value = p.field(&format!("ArgumentValue{}", i + 1)).unwrap();
            prop_assert_eq!(name.to_string(), expected(n));
            prop_assert_eq!(value.to_string(), expected(v));
        }
        prop_assert_eq!(p.error_type().is_some(), query);

        // A real XML parser reads the same document.
        let dom = roxmltree::Document::parse(&out).unwrap();
        let msg: String = dom
            .descendants()
            .find(|n| n.has_tag_name("Message"))
            .unwrap()
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect();
        prop_assert_eq!(msg, expected(&message));
    }

    #[test]
    fn write_to_slice_never_writes_past_its_buffer(
        index in any::<prop::sample::Index>(),
        resource in text(),
        cap in 0usize..600,
    ) {
        if ErrorCode::ALL.is_empty() {
            return Ok(());
        }
        let code = ErrorCode::ALL[index.index(ErrorCode::ALL.len())];
        let doc = ErrorDocument::new(code).with_resource(&resource);
        let len = doc.rendered_len();
        let mut buf = vec![0x5Au8; cap + 64];
        match doc.write_to_slice(&mut buf[..cap]) {
            Ok(n) => {
                prop_assert_eq!(n, len);
                prop_assert!(n <= cap);
                prop_assert!(std::str::from_utf8(&buf[..n]).is_ok());
            }
            Err(e) => prop_assert_eq!(e, RenderError::BufferTooSmall { needed: len }),
        }
        prop_assert!(buf[cap..].iter().all(|&b| b == 0x5A));
    }
}
