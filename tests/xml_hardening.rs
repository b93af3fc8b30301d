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
