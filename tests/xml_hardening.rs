//! Regression tests for the parser defects of issue 12 (3 to 6), each
//! written against the unfixed parser first and seen to fail there.
//! Expected offsets are counted by hand from the literal bodies.

use s3err::xml::{self, ErrorKind};

fn refusal(body: &[u8]) -> (ErrorKind, usize) {
    let e = xml::parse(body).expect_err("the body must be refused");
    (e.kind(), e.offset())
}

// ------------------------------------------- 3: malformed declarations

#[test]
fn mismatched_quotes_in_the_declaration_are_malformed_not_truncated() {
    // `"1.0'`: the value opened with `"` meets `'` at byte 18.
    let body = b"<?xml version=\"1.0' encoding='UTF-8'?>\n<Error><Code>X</Code></Error>";
    assert_eq!(refusal(body), (ErrorKind::MalformedDeclaration, 18));
    // The same with the quotes the other way round.
    let body = b"<?xml version='1.0\" encoding=\"UTF-8\"?>\n<Error><Code>X</Code></Error>";
    assert_eq!(refusal(body), (ErrorKind::MalformedDeclaration, 18));
    // An unclosed encoding value: the `?` at byte 35 cannot be in an
    // encoding name.
    let body = b"<?xml version=\"1.0\" encoding=\"UTF-8?>\n<Error><Code>X</Code></Error>";
    assert_eq!(refusal(body), (ErrorKind::MalformedDeclaration, 35));
    // A value that runs into the root element.
    let body = b"<?xml version=\"1.0\n<Error><Code>X</Code></Error>";
    assert_eq!(refusal(body), (ErrorKind::MalformedDeclaration, 18));
    // Truncation inside the value is still truncation.
    assert_eq!(
        refusal(b"<?xml version=\"1.0"),
        (ErrorKind::UnexpectedEof, 18)
    );
}

// ------------------------------------- 4: NotAnErrorDocument's offset

#[test]
fn not_an_error_document_points_at_the_root() {
    // The root `<ErrorResponse>` starts at byte 33; it holds no `<Error>`.
    let body = b"<?xml version=\"1.0\"?>\n<!-- c -->\n<ErrorResponse><Foo/></ErrorResponse>";
    assert_eq!(body[33], b'<');
    assert_eq!(refusal(body), (ErrorKind::NotAnErrorDocument, 33));
    // `<Response>` without `<Errors><Error>`, after 3 spaces.
    let body = b"   <Response><Error><Code>X</Code></Error></Response>";
    assert_eq!(refusal(body), (ErrorKind::NotAnErrorDocument, 3));
    // An unknown root after a comment (this case was already right).
    let body = b"<!--x--><Foo/>";
    assert_eq!(refusal(body), (ErrorKind::NotAnErrorDocument, 8));
}

// ------------------------------------------ 5: declared encoding kept

#[test]
fn us_ascii_declaration_refuses_non_ascii_bytes() {
    // `é` (C3 A9) at byte 54 under a US-ASCII declaration.
    let body = "<?xml version=\"1.0\" encoding=\"US-ASCII\"?><Error><Code>é</Code></Error>";
    assert_eq!(body.as_bytes()[54], 0xC3);
    assert_eq!(
        refusal(body.as_bytes()),
        (ErrorKind::EncodingMismatch, 54)
    );
    // The alias `ascii`, in a comment after the root.
    let body = "<?xml version='1.0' encoding='ascii'?><Error><Code>A</Code></Error><!-- ü -->";
    assert_eq!(
        refusal(body.as_bytes()),
        (ErrorKind::EncodingMismatch, 72)
    );
    // A UTF-8 byte-order mark contradicts a US-ASCII declaration.
    let body = b"\xEF\xBB\xBF<?xml version='1.0' encoding='US-ASCII'?><Error><Code>A</Code></Error>";
    assert_eq!(refusal(body), (ErrorKind::EncodingMismatch, 0));
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
    assert!(ErrorKind::EncodingMismatch.to_string().contains("US-ASCII"));
}
