//! Regression tests for the parser defects of issue 12 (3 to 6), each
//! written against the unfixed parser first and seen to fail there.
//! Expected offsets are counted by hand from the literal bodies.

use s3err::Retry;
use s3err::xml::{self, ParseErrorKind};

fn refusal(body: &[u8]) -> (ParseErrorKind, usize) {
    let e = xml::parse(body).expect_err("the body must be refused");
    (e.kind(), e.offset())
}

// ------------------------------------------- 3: malformed declarations

#[test]
fn mismatched_quotes_in_the_declaration_are_malformed_not_truncated() {
    // `"1.0'`: the value opened with `"` meets `'` at byte 18.
    let body = b"<?xml version=\"1.0' encoding='UTF-8'?>\n<Error><Code>X</Code></Error>";
    assert_eq!(refusal(body), (ParseErrorKind::MalformedDeclaration, 18));
    // The same with the quotes the other way round.
    let body = b"<?xml version='1.0\" encoding=\"UTF-8\"?>\n<Error><Code>X</Code></Error>";
    assert_eq!(refusal(body), (ParseErrorKind::MalformedDeclaration, 18));
    // An unclosed encoding value: the `?` at byte 35 cannot be in an
    // encoding name.
    let body = b"<?xml version=\"1.0\" encoding=\"UTF-8?>\n<Error><Code>X</Code></Error>";
    assert_eq!(refusal(body), (ParseErrorKind::MalformedDeclaration, 35));
    // A value that runs into the root element.
    let body = b"<?xml version=\"1.0\n<Error><Code>X</Code></Error>";
    assert_eq!(refusal(body), (ParseErrorKind::MalformedDeclaration, 18));
    // Truncation inside the value is still truncation.
    assert_eq!(
        refusal(b"<?xml version=\"1.0"),
        (ParseErrorKind::UnexpectedEof, 18)
    );
}

// ------------------------------------- 4: NotAnErrorDocument's offset

#[test]
fn not_an_error_document_points_at_the_root() {
    // The root `<ErrorResponse>` starts at byte 33; it holds no `<Error>`.
    let body = b"<?xml version=\"1.0\"?>\n<!-- c -->\n<ErrorResponse><Foo/></ErrorResponse>";
    assert_eq!(body[33], b'<');
    assert_eq!(refusal(body), (ParseErrorKind::NotAnErrorDocument, 33));
    // `<Response>` without `<Errors><Error>`, after 3 spaces.
    let body = b"   <Response><Error><Code>X</Code></Error></Response>";
    assert_eq!(refusal(body), (ParseErrorKind::NotAnErrorDocument, 3));
    // An unknown root after a comment (this case was already right).
    let body = b"<!--x--><Foo/>";
    assert_eq!(refusal(body), (ParseErrorKind::NotAnErrorDocument, 8));
}

// ------------------------------------------ 5: declared encoding kept

#[test]
fn us_ascii_declaration_refuses_non_ascii_bytes() {
    // `é` (C3 A9) at byte 54 under a US-ASCII declaration.
    let body = "<?xml version=\"1.0\" encoding=\"US-ASCII\"?><Error><Code>é</Code></Error>";
    assert_eq!(body.as_bytes()[54], 0xC3);
    assert_eq!(
        refusal(body.as_bytes()),
        (ParseErrorKind::EncodingMismatch, 54)
    );
    // The alias `ascii`, in a comment after the root.
    let body = "<?xml version='1.0' encoding='ascii'?><Error><Code>A</Code></Error><!-- ü -->";
    assert_eq!(
        refusal(body.as_bytes()),
        (ParseErrorKind::EncodingMismatch, 72)
    );
    // A UTF-8 byte-order mark contradicts a US-ASCII declaration.
    let body =
        b"\xEF\xBB\xBF<?xml version='1.0' encoding='US-ASCII'?><Error><Code>A</Code></Error>";
    assert_eq!(refusal(body), (ParseErrorKind::EncodingMismatch, 0));
    // Pure ASCII under US-ASCII, and non-ASCII under UTF-8 or no
    // declaration, are accepted.
    let ok = [
        "<?xml version='1.0' encoding='US-ASCII'?><Error><Code>A&#233;</Code></Error>",
        "<?xml version='1.0' encoding='UTF-8'?><Error><Code>é</Code></Error>",
        "<?xml version='1.0'?><Error><Code>é</Code></Error>",
        "<Error><Code>é</Code></Error>",
    ];
    for body in ok {
        assert!(xml::parse(body.as_bytes()).is_ok(), "{body}");
    }
    assert!(
        ParseErrorKind::EncodingMismatch
            .to_string()
            .contains("US-ASCII")
    );
}

// ------------------------------------------------ 6: one trimming rule

/// Bodies whose code is `SlowDown` once XML whitespace around the decoded
/// text is removed.
const PADDED: &[&str] = &[
    "<Error><Code>SlowDown</Code></Error>",
    "<Error><Code>\n  SlowDown \n</Code></Error>",
    "<Error><Code>&#32;SlowDown&#x20;</Code></Error>",
    "<Error><Code>&#9;&#10;&#13;SlowDown&#xD;&#xA;&#x9;</Code></Error>",
    "<Error><Code><![CDATA[ SlowDown ]]></Code></Error>",
    "<Error><Code><![CDATA[\r\n\t]]>SlowDown<![CDATA[ ]]></Code></Error>",
    "<Error><Code> <!-- c --> &#32;<?p x?>Slow<![CDATA[Down]]><![CDATA[  ]]> </Code></Error>",
    "<Error><Code><![CDATA[ Slow]]>Down&#32;</Code></Error>",
];

#[test]
fn trim_known_and_retry_agree_on_decoded_whitespace() {
    for body in PADDED {
        let e = xml::parse(body.as_bytes()).unwrap();
        let t = e.code().trim();
        assert_eq!(t, "SlowDown", "trim: {body}");
        assert_eq!(t.to_string(), "SlowDown", "trim display: {body}");
        assert_eq!(t.decoded_len(), 8, "trim len: {body}");
        #[cfg(feature = "s3")]
        assert_eq!(e.known(), Some(s3err::ErrorCode::SlowDown), "known: {body}");
        assert_eq!(e.retry(200), Retry::Throttle, "retry: {body}");
    }
}

#[test]
fn trim_keeps_inner_whitespace_and_empties_blank_text() {
    let e = xml::parse(b"<Error><Code>&#32;a &#32; b<![CDATA[ c ]]>&#32;</Code></Error>").unwrap();
    assert_eq!(e.code().trim(), "a   b c");
    for blank in [
        "<Error><Code>&#32;<![CDATA[ \t ]]>\n<!-- x --></Code></Error>",
        "<Error><Code/></Error>",
        "<Error><Code>  </Code></Error>",
    ] {
        let e = xml::parse(blank.as_bytes()).unwrap();
        let t = e.code().trim();
        assert!(t.is_empty(), "{blank}");
        assert_eq!(t, "", "{blank}");
        assert_eq!(t.decoded_len(), 0, "{blank}");
        assert_eq!(e.known(), None);
    }
    // Trimming twice is trimming once.
    let e = xml::parse(PADDED[6].as_bytes()).unwrap();
    assert_eq!(e.code().trim().trim(), "SlowDown");
    // Non-XML whitespace (NBSP) is not trimmed.
    let e = xml::parse("<Error><Code>&#xA0;SlowDown</Code></Error>".as_bytes()).unwrap();
    assert_eq!(e.code().trim(), "\u{A0}SlowDown");
    // Not read as SlowDown: an unknown code at 400 is not retried.
    assert_eq!(e.retry(400), Retry::Never);
}
