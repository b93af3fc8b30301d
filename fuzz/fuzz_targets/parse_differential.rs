//! `s3err::xml::parse` against roxmltree: whatever s3err accepts,
//! roxmltree must accept as well-formed, and the code, message, resource,
//! request id and host id s3err reads must be the text roxmltree decodes
//! from the same elements (the first `Code`, `Message`, `Resource`… child
//! of the error element, names compared as written).
//!
//! Three adjustments keep the comparison fair (docs/xml.md documents the
//! rules behind them):
//! - roxmltree's namespace-only refusals are skipped: s3err does not
//!   check namespaces (prefixes are part of the name). These are the
//!   namespace errors, a repeated attribute (s3err refuses one repeated
//!   as written; roxmltree also two prefixes bound to one URI), and an
//!   invalid name whose name holds a colon (`a:1` is an XML 1.0 `Name`
//!   but not a `QName`);
//! - whitespace before the XML declaration, which s3err accepts as a
//!   leniency, is removed before roxmltree sees the body;
//! - line ends in the body are normalised (CR LF and CR to LF) before
//!   roxmltree sees it, as XML 1.0 §2.11 does before parsing; roxmltree
//!   keeps a raw CR in text. The decoded texts are then compared exactly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use roxmltree::{Document, Error, Node};
use s3err::xml;

/// XML whitespace (`S`).
fn is_xml_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// The body as roxmltree should see it (see the module docs).
fn for_roxmltree(body: &str) -> String {
    let (bom, rest) = match body.strip_prefix('\u{FEFF}') {
        Some(rest) => ("\u{FEFF}", rest),
        None => ("", body),
    };
    let trimmed = rest.trim_start_matches(is_xml_ws);
    let decl = trimmed
        .strip_prefix("<?xml")
        .and_then(|r| r.chars().next())
        .is_some_and(|c| c == '?' || is_xml_ws(c));
    let rest = if decl { trimmed } else { rest };
    let mut out = String::with_capacity(body.len());
    out.push_str(bom);
    out.push_str(&rest.replace("\r\n", "\n").replace('\r', "\n"));
    out
}

/// Byte offset in `src` of roxmltree's 1-based row and column (in chars).
fn offset(src: &str, pos: roxmltree::TextPos) -> Option<usize> {
    let line_start: usize = src
        .split_inclusive('\n')
        .take(pos.row.checked_sub(1)? as usize)
        .map(str::len)
        .sum();
    let line = src.get(line_start..)?;
    let col = line
        .char_indices()
        .nth(pos.col.checked_sub(1)? as usize)
        .map_or(line.len(), |(i, _)| i);
    Some(line_start + col)
}

/// A refusal that comes from namespace processing, which s3err does not do.
fn namespace_only(src: &str, e: &Error) -> bool {
    if let Error::InvalidName(pos) = e {
        // A `QName` rule (one colon, a local part that starts like a
        // name), not XML 1.0's `Name`: the name at `pos` holds a colon.
        let rest = offset(src, *pos).and_then(|i| src.get(i..)).unwrap_or("");
        let name = rest
            .split(|c: char| is_xml_ws(c) || matches!(c, '/' | '>' | '=' | '?' | ';'))
            .next()
            .unwrap_or("");
        return name.contains(':');
    }
    matches!(
        e,
        Error::InvalidXmlPrefixUri(_)
            | Error::UnexpectedXmlUri(_)
            | Error::UnexpectedXmlnsUri(_)
            | Error::InvalidElementNamePrefix(_)
            | Error::DuplicatedNamespace(..)
            | Error::UnknownNamespace(..)
            | Error::NamespacesLimitReached
            // s3err refuses an attribute repeated as written; roxmltree
            // also refuses two prefixes bound to one namespace URI.
            | Error::DuplicatedAttribute(..)
    )
}

/// The element's name as written in the source (prefix included).
fn qname<'a>(src: &'a str, n: Node<'_, '_>) -> &'a str {
    let tag = &src[n.range().start + 1..];
    let end = tag
        .find(|c: char| is_xml_ws(c) || c == '>' || c == '/')
        .unwrap_or(tag.len());
    &tag[..end]
}

fn children<'a, 'i>(
    src: &'a str,
    n: Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    n.children()
        .filter(move |c| c.is_element() && qname(src, *c) == name)
}

fn first_child<'a, 'i>(src: &'a str, n: Node<'a, 'i>, names: &[&str]) -> Option<Node<'a, 'i>> {
    n.children()
        .find(|c| c.is_element() && names.contains(&qname(src, *c)))
}

/// All the text below `n`, as roxmltree decodes it.
fn text(n: Node<'_, '_>) -> String {
    n.descendants()
        .filter(|d| d.is_text())
        .filter_map(|d| d.text())
        .collect()
}

fuzz_target!(|body: &[u8]| {
    let Ok(e) = xml::parse(body) else {
        return;
    };
    let src = for_roxmltree(e.body());
    let doc = match Document::parse(&src) {
        Ok(doc) => doc,
        Err(err) if namespace_only(&src, &err) => return,
        Err(err) => panic!("s3err accepted what roxmltree refuses: {err}"),
    };
    let root = doc.root_element();
    // The error element, by s3err's documented shapes.
    let (error, wrapper) = match qname(&src, root) {
        "Error" => (Some(root), None),
        "ErrorResponse" => (first_child(&src, root, &["Error"]), Some(root)),
        "Response" => (
            children(&src, root, "Errors").find_map(|es| first_child(&src, es, &["Error"])),
            Some(root),
        ),
        other => panic!("s3err accepted a root named {other:?}"),
    };
    let error = error.expect("s3err accepted a body without an error element");
    let field = |names: &[&str], in_wrapper: bool| -> Option<String> {
        first_child(&src, error, names)
            .or_else(|| {
                let w = wrapper.filter(|_| in_wrapper)?;
                first_child(&src, w, names)
            })
            .map(text)
    };
    let code = field(&["Code"], false).expect("s3err accepted an error without a Code");
    assert_eq!(e.code().to_string(), code, "code");
    assert!(
        e.code().trim() == code.trim_matches(is_xml_ws),
        "trimmed code"
    );
    let show = |t: Option<xml::Text<'_>>| t.map(|t| t.to_string());
    assert_eq!(show(e.message()), field(&["Message"], false), "message");
    assert_eq!(show(e.resource()), field(&["Resource"], false), "resource");
    assert_eq!(
        show(e.request_id()),
        field(&["RequestId", "RequestID"], true),
        "request id"
    );
    assert_eq!(show(e.host_id()), field(&["HostId"], true), "host id");
});
