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
//! - Either rule: `Display` writes the Replace rendering, never fails;
//!   `response(head)` refuses a request id or host id that is not a valid
//!   header value (checked here on its own), then, under Reject, the
//!   document `write` refuses; otherwise its `Content-Length` (for a
//!   status and method with a body) is `rendered_len()` and its
//!   `x-amz-request-id` the request id.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use s3err::ErrorCode;
use s3err::response::status_has_body;
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
        _ => Some(Form::AwsQuery),
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
    let mut doc = ErrorDocument::new(p.code).with_arguments(&p.args);
    if let Some(f) = p.form {
        doc = doc.with_form(f);
    }
    if let Some(m) = p.message {
        doc = doc.with_message(m);
    }
    if let Some(r) = p.resource {
        doc = doc.with_resource(r);
    }
    if let Some(r) = p.request_id {
        doc = doc.with_request_id(r);
    }
    if let Some(h) = p.host_id {
        doc = doc.with_host_id(h);
    }
    if p.reject {
        doc = doc.with_invalid_chars(InvalidChars::Reject);
    }
    let form = p.form.unwrap_or(Form::for_code(p.code));
    assert_eq!(doc.form(), form);
    let message = doc.message();
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
    // Display never fails whatever the rule: it writes the Replace
    // rendering, of rendered_len() bytes.
    let shown = doc.to_string();
    assert_eq!(shown.len(), len);
    let mut replaced_doc = String::new();
    assert_eq!(
        doc.with_invalid_chars(InvalidChars::Replace)
            .write_to(&mut replaced_doc),
        Ok(())
    );
    assert_eq!(shown, replaced_doc);

    // response(): header values first (either rule), then Reject's check.
    let header_refusal = [
        (Field::RequestId, p.request_id.unwrap_or("")),
        (Field::HostId, p.host_id.unwrap_or("")),
    ]
    .into_iter()
    .find_map(|(field, v)| {
        let last = v.len().saturating_sub(1);
        v.bytes()
            .enumerate()
            .position(|(i, b)| !(matches!(b, 0x21..=0x7E) || (b == b' ' && i != 0 && i != last)))
            .map(|offset| RenderError::InvalidHeaderValue { field, offset })
    });
    let response_refusal = header_refusal.or(refusal.filter(|_| p.reject));
    for (head, response) in [(false, doc.response()), (true, doc.head_response())] {
        match response {
            Err(e) => assert_eq!(Some(e), response_refusal),
            Ok(r) => {
                assert_eq!(response_refusal, None);
                let has_body = !head && status_has_body(p.code.status());
                assert_eq!(r.content_length(), has_body.then_some(len));
                let headers: Vec<(&str, String)> = r
                    .headers()
                    .map(|h| (h.name(), h.value().to_string()))
                    .collect();
                let header = |name: &str| {
                    headers
                        .iter()
                        .find(|(n, _)| n.eq_ignore_ascii_case(name))
                        .map(|(_, v)| v.as_str())
                };
                let len_text = len.to_string();
                assert_eq!(
                    header("Content-Length"),
                    has_body.then_some(len_text.as_str())
                );
                let rid = p.request_id.filter(|r| !r.is_empty());
                assert_eq!(header("x-amz-request-id"), rid);
            }
        }
    }

    let mut buf = vec![0u8; len];
    let mut s = String::new();
    if let (true, Some(refusal)) = (p.reject, refusal) {
        assert_eq!(doc.write_to_slice(&mut buf), Err(refusal));
        assert_eq!(doc.write_to_slice(&mut []), Err(refusal));
        assert_eq!(doc.write_to(&mut s), Err(refusal));
        assert!(s.is_empty(), "a refused document wrote {s:?}");
        let _ = refusal.to_string();
        // What Display wrote is still a well-formed document: read it below.
        buf.copy_from_slice(shown.as_bytes());
    } else {
        assert_eq!(doc.write_to_slice(&mut buf), Ok(len));
        if len > 0 {
            assert_eq!(
                doc.write_to_slice(&mut buf[..len - 1]),
                Err(RenderError::BufferTooSmall { needed: len })
            );
            assert_eq!(doc.write_to_slice(&mut buf), Ok(len));
        }
        assert_eq!(doc.write_to(&mut s), Ok(()));
        assert_eq!(s.as_bytes(), &buf[..]);
        assert_eq!(shown, s);
    }

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
        Form::AwsQuery => Some(
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
