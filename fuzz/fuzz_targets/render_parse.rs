//! Render a document built from fuzzer-chosen parts (code, form, message,
//! resource, request id, host id, up to four argument pairs) under
//! `InvalidChars::Replace` or `Reject`, then parse it back.
//!
//! - Replace: the document renders; every sink gives the same bytes, of
//!   the announced length; a buffer one byte short is refused with the
//!   exact size; the parse gives back every part exactly (characters XML
//!   cannot carry replaced by U+FFFD).
//! - Reject: the render fails with `InvalidChar` naming the first such
//!   character in render order (computed here on its own) whenever there
//!   is one, writes nothing, and never panics; otherwise as Replace.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use s3err::ErrorCode;
use s3err::xml::{self, ErrorDocument, Field, Form, InvalidChars, RenderError};

/// The text a reader gets back under `Replace`.
fn replaced(s: &str) -> String {
    s.chars()
        .map(|c| if xml::is_xml_char(c) { c } else { '\u{FFFD}' })
        .collect()
}

/// Offset of the first character XML cannot carry, found without s3err.
fn first_invalid(s: &str) -> Option<usize> {
    s.char_indices()
        .find(|&(_, c)| {
            matches!(c, '\0'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
        })
        .map(|(i, _)| i)
}

struct Parts<'a> {
    code: ErrorCode,
    form: Option<Form>,
    reject: bool,
    message: Option<&'a str>,
    resource: Option<&'a str>,
    request_id: Option<&'a str>,
    host_id: Option<&'a str>,
    args: Vec<(&'a str, &'a str)>,
}

fn parts<'a>(u: &mut Unstructured<'a>) -> Result<Parts<'a>> {
    let code = ErrorCode::ALL[u.choose_index(ErrorCode::ALL.len())?];
    let form = match u.int_in_range(0..=2u8)? {
        0 => None,
        1 => Some(Form::S3),
        _ => Some(Form::Iam),
    };
    let reject = u.arbitrary()?;
    let message = u.arbitrary()?;
    let resource = u.arbitrary()?;
    let request_id = u.arbitrary()?;
    let host_id = u.arbitrary()?;
    let n = u.int_in_range(0..=4usize)?;
    let mut args = Vec::with_capacity(n);
    for _ in 0..n {
        args.push((u.arbitrary()?, u.arbitrary()?));
    }
    Ok(Parts {
        code,
        form,
        reject,
        message,
        resource,
        request_id,
        host_id,
        args,
    })
}

fuzz_target!(|data: &[u8]| {
    if ErrorCode::ALL.is_empty() {
        return;
    }
    let Ok(p) = parts(&mut Unstructured::new(data)) else {
        return;
    };
    let mut doc = ErrorDocument::new(p.code).arguments(&p.args);
    if let Some(f) = p.form {
        doc = doc.form(f);
    }
    if let Some(m) = p.message {
        doc = doc.message(m);
    }
    if let Some(r) = p.resource {
        doc = doc.resource(r);
    }
    if let Some(r) = p.request_id {
        doc = doc.request_id(r);
    }
    if let Some(h) = p.host_id {
        doc = doc.host_id(h);
    }
    if p.reject {
        doc = doc.invalid_chars(InvalidChars::Reject);
    }
    let form = p.form.unwrap_or(Form::for_code(p.code));
    assert_eq!(doc.rendered_form(), form);
    let message = doc.message_text();
    assert_eq!(message, p.message.unwrap_or(message));

    // Every caller text, in render order (both forms write them so).
    let mut texts: Vec<(Field, &str)> = vec![(Field::Message, message)];
    for (i, (name, value)) in p.args.iter().enumerate() {
        texts.push((Field::ArgumentName(i + 1), name));
        texts.push((Field::ArgumentValue(i + 1), value));
    }
    texts.extend(p.resource.map(|r| (Field::Resource, r)));
    texts.push((Field::RequestId, p.request_id.unwrap_or("")));
    texts.extend(p.host_id.map(|h| (Field::HostId, h)));
    let refusal = texts.iter().find_map(|&(field, t)| {
        first_invalid(t).map(|offset| RenderError::InvalidChar { field, offset })
    });

    let len = doc.rendered_len();
    let mut buf = vec![0u8; len];
    let mut s = String::new();
    if let (true, Some(refusal)) = (p.reject, refusal) {
        assert_eq!(doc.write_to_slice(&mut buf), Err(refusal));
        assert_eq!(doc.write_to_slice(&mut []), Err(refusal));
        assert_eq!(doc.write(&mut s), Err(refusal));
        assert!(s.is_empty(), "a refused document wrote {s:?}");
        let _ = refusal.to_string();
        return;
    }

    assert_eq!(doc.write_to_slice(&mut buf), Ok(len));
    if len > 0 {
        assert_eq!(
            doc.write_to_slice(&mut buf[..len - 1]),
            Err(RenderError::BufferTooSmall { needed: len })
        );
        assert_eq!(doc.write_to_slice(&mut buf), Ok(len));
    }
    assert_eq!(doc.write(&mut s), Ok(()));
    assert_eq!(s.as_bytes(), &buf[..]);
    assert_eq!(doc.to_string(), s);
    let has_body = xml::status_has_body(p.code.status(), false);
    assert_eq!(
        doc.response(false).content_length,
        if has_body { len } else { 0 }
    );
    assert_eq!(doc.response(true).content_length, 0);

    let e = xml::parse(&buf).expect("a rendered document parses");
    assert_eq!(e.code(), p.code.as_str());
    assert_eq!(e.known(), Some(p.code));
    let got = |t: Option<xml::Text<'_>>| t.map(|t| t.to_string());
    assert_eq!(got(e.message()), Some(replaced(message)));
    assert_eq!(got(e.resource()), p.resource.map(replaced));
    assert_eq!(
        got(e.request_id()),
        Some(replaced(p.request_id.unwrap_or("")))
    );
    assert_eq!(got(e.host_id()), p.host_id.map(replaced));
    let want_type = match form {
        Form::Iam => Some(
            if p.code.status() >= 500 {
                "Receiver"
            } else {
                "Sender"
            }
            .to_string(),
        ),
        _ => None,
    };
    assert_eq!(got(e.error_type()), want_type);
    for (i, (name, value)) in p.args.iter().enumerate() {
        let n = i + 1;
        assert_eq!(
            got(e.field(&format!("ArgumentName{n}"))),
            Some(replaced(name))
        );
        assert_eq!(
            got(e.field(&format!("ArgumentValue{n}"))),
            Some(replaced(value))
        );
    }
    assert!(
        e.field(&format!("ArgumentName{}", p.args.len() + 1))
            .is_none()
    );
});
