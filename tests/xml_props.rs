//! Properties of `s3err::xml`: render→parse round trips exactly, parse
//! never panics and agrees with a real XML parser on what it accepts,
//! rendering never writes past its buffer.

use proptest::prelude::*;
use s3err::ErrorCode;
use s3err::xml::{self, ErrorDocument, Form, RenderError};

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
    fn render_parse_round_trip(
        index in any::<prop::sample::Index>(),
        iam in any::<bool>(),
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
            .with_form(if iam { Form::AwsQuery } else { Form::S3 })
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
        prop_assert_eq!(p.error_type().is_some(), iam);

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
    fn write_to_slice_never_past_its_buffer(
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

    #[test]
    fn parse_never_panics_on_bytes(body in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Err(e) = xml::parse(&body) {
            prop_assert!(e.offset() <= body.len());
            let _ = e.to_string();
        }
    }

    /// Mutations of a valid document: whatever s3err accepts, roxmltree
    /// accepts too, and both read the same code.
    #[test]
    fn parse_accepts_only_well_formed_xml(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..4),
    ) {
        let base = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse xmlns=\"urn:x\">\
            <Error a='1' b=\"&amp;\"><Type>Sender</Type><Code>A&lt;B</Code>\
            <Message><![CDATA[x]]>&#x41;<!-- c --></Message><X/></Error><RequestId>r</RequestId>\
            </ErrorResponse>\n";
        let mut body = base.as_bytes().to_vec();
        for (at, byte, op) in edits {
            let i = at.index(body.len() + 1);
            let b = b"<>/&;!?-[]'\"=x \n#"[usize::from(byte) % 17];
            match op {
                0 => body.insert(i, b),
                1 if i < body.len() => { body.remove(i); }
                _ if i < body.len() => body[i] = b,
                _ => {}
            }
        }
        if let Ok(p) = xml::parse(&body) {
            let s = std::str::from_utf8(&body).unwrap();
            // The one documented leniency: whitespace before the declaration.
            let dom = roxmltree::Document::parse(s)
                .or_else(|_| roxmltree::Document::parse(s.trim_start_matches([' ', '\t', '\r', '\n'])));
            prop_assert!(dom.is_ok(), "s3err accepted what roxmltree refuses: {:?} {:?}", s, dom.err());
            let dom = dom.unwrap();
            let code: String = dom
                .descendants()
                .find(|n| n.has_tag_name("Code"))
                .map(|n| n.descendants().filter(|t| t.is_text()).filter_map(|t| t.text()).collect())
                .unwrap_or_default();
            prop_assert_eq!(p.code().to_string(), code);
        }
    }
}
