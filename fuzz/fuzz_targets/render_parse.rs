//! Render arbitrary text, parse it back: the round trip is exact (with
//! characters XML cannot carry replaced by U+FFFD), the length is the one
//! announced, and slices never overflow.
#![no_main]

use libfuzzer_sys::fuzz_target;
use s3err::ErrorCode;
use s3err::xml::{self, ErrorDocument, Form, RenderError};

fn expected(s: &str) -> String {
    s.chars()
        .map(|c| if xml::is_xml_char(c) { c } else { '\u{FFFD}' })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    if ErrorCode::ALL.is_empty() {
        return;
    }
    let code = ErrorCode::ALL[usize::from(sel) % ErrorCode::ALL.len()];
    let text = String::from_utf8_lossy(rest);
    let mut parts = text.splitn(5, '\u{1F}');
    let message = parts.next().unwrap_or("");
    let resource = parts.next().unwrap_or("");
    let request_id = parts.next().unwrap_or("");
    let arg_name = parts.next().unwrap_or("");
    let arg_value = parts.next().unwrap_or("");
    let args = [(arg_name, arg_value)];
    let doc = ErrorDocument::new(code)
        .form(if sel & 0x80 != 0 { Form::Iam } else { Form::S3 })
        .message(message)
        .resource(resource)
        .request_id(request_id)
        .arguments(&args);
    let len = doc.rendered_len();
    let mut buf = vec![0u8; len];
    assert_eq!(doc.write_to_slice(&mut buf), Ok(len));
    if len > 0 {
        assert_eq!(
            doc.write_to_slice(&mut buf[..len - 1]),
            Err(RenderError::BufferTooSmall { needed: len })
        );
        assert_eq!(doc.write_to_slice(&mut buf), Ok(len));
    }
    let p = xml::parse(&buf).expect("rendered output parses");
    assert_eq!(p.known(), Some(code));
    assert_eq!(p.message().unwrap().to_string(), expected(message));
    assert_eq!(p.resource().unwrap().to_string(), expected(resource));
    assert_eq!(p.request_id().unwrap().to_string(), expected(request_id));
    assert_eq!(
        p.field("ArgumentName1").unwrap().to_string(),
        expected(arg_name)
    );
    assert_eq!(
        p.field("ArgumentValue1").unwrap().to_string(),
        expected(arg_value)
    );
});
