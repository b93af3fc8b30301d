//! Parsing error bodies: the corpus of real bodies and its `INDEX.tsv`,
//! agreement with roxmltree, every refusal with its kind and the offset
//! counted by hand, whitespace trimming, and `Text`'s equality, hash and
//! order by decoded text.

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::Path;

use proptest::prelude::*;
use s3err::xml::{self, ParseErrorKind};
use s3err::{ErrorCode, Retry};

use super::support::{child, dom_error, dom_text};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/s3-error-bodies");

struct Row {
    file: String,
    code: String,
    message: String,
    status: Option<u16>,
    well_formed: bool,
}

fn index() -> Vec<Row> {
    let tsv = fs::read_to_string(Path::new(CORPUS).join("INDEX.tsv")).unwrap();
    let mut lines = tsv.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |n: &str| header.iter().position(|h| *h == n).unwrap();
    let (cf, cc, cm, cs, cw) = (
        col("file"),
        col("expected_code"),
        col("expected_message"),
        col("http_status"),
        col("well_formed_xml"),
    );
    lines
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Row {
                file: f[cf].to_string(),
                code: f[cc].to_string(),
                message: f[cm].to_string(),
                status: f[cs].parse().ok(),
                well_formed: f[cw] == "yes",
            }
        })
        .collect()
}

/// Bodies s3err refuses on purpose, and why.
const REFUSED: &[(&str, ParseErrorKind)] = &[
    ("007.xml", ParseErrorKind::MissingCode),        // <Error/>
    ("012.xml", ParseErrorKind::Html),               // proxy page
    ("013.xml", ParseErrorKind::Empty),              // empty body
    ("021.xml", ParseErrorKind::UnexpectedEof),      // declaration only
    ("022.xml", ParseErrorKind::NotAnErrorDocument), // root <xml> (an SDK test quirk)
    ("023.xml", ParseErrorKind::NotAnErrorDocument), // root <xml>
    ("031.xml", ParseErrorKind::NotAnErrorDocument), // DeleteResult with <Error> children
    ("046.xml", ParseErrorKind::NotAnErrorDocument), // Pithos <UnknownAction>
    ("060.xml", ParseErrorKind::MalformedDeclaration), // version=\"1.0\"
    ("064.xml", ParseErrorKind::Html),
    ("065.xml", ParseErrorKind::Html),
    ("068.xml", ParseErrorKind::MalformedDeclaration), // version=\"1.0\"
];

#[test]
fn every_corpus_body_is_read_as_its_index_says_or_refused_on_purpose() {
    let rows = index();
    assert_eq!(rows.len(), 75, "INDEX.tsv rows");
    let mut accepted = 0;
    for row in &rows {
        let body = fs::read(Path::new(CORPUS).join(&row.file)).unwrap();
        let ours = xml::parse(&body);
        let dom = std::str::from_utf8(&body)
            .ok()
            .and_then(|s| roxmltree::Document::parse(s).ok());
        if let Some((_, kind)) = REFUSED.iter().find(|(f, _)| *f == row.file) {
            let err = ours.expect_err(&row.file);
            assert_eq!(err.kind(), *kind, "{}: {err}", row.file);
            assert!(err.offset() <= body.len(), "{}", row.file);
            continue;
        }
        let e = ours.unwrap_or_else(|err| panic!("{}: {err}", row.file));
        accepted += 1;
        // The INDEX's expected values.
        assert_eq!(e.code(), row.code.as_str(), "{} code", row.file);
        assert_eq!(e.code().to_string(), row.code, "{} code", row.file);
        let msg = e.message().map(|m| m.to_string()).unwrap_or_default();
        assert_eq!(msg, row.message, "{} message", row.file);
        assert_eq!(e.known(), ErrorCode::from_name(&row.code), "{}", row.file);
        // A real XML parser agrees on well-formedness and on the values.
        match &dom {
            Some(doc) => {
                assert!(row.well_formed, "{}", row.file);
                let err_el = dom_error(doc).unwrap();
                assert_eq!(
                    dom_text(child(err_el, "Code").unwrap()),
                    e.code().to_string()
                );
                for el in err_el.children().filter(|n| n.is_element()) {
                    let name = el.tag_name().name();
                    let ours = e
                        .field(name)
                        .unwrap_or_else(|| panic!("{} {name}", row.file));
                    // First occurrence wins in both.
                    let first = child(err_el, name).unwrap();
                    assert_eq!(ours.to_string(), dom_text(first), "{} {name}", row.file);
                }
            }
            None => {
                // The one deliberate leniency: whitespace before the
                // XML declaration (Garage's fallback body).
                assert_eq!(row.file, "030.xml", "accepted a body roxmltree refuses");
            }
        }
        // Retry by the documented rule.
        if let Some(status) = row.status {
            let r = e.retry(status);
            assert_eq!(r, Retry::classify(&row.code, status), "{}", row.file);
        }
    }
    assert_eq!(accepted, 75 - REFUSED.len());
}

#[test]
fn each_corpus_shape_gives_its_wrapper_fields() {
    let read = |f: &str| fs::read(Path::new(CORPUS).join(f)).unwrap();
    // IAM query form: Type inside Error, RequestId in the wrapper.
    let b = read("003.xml");
    let e = xml::parse(&b).unwrap();
    assert!(e.error_type().is_some_and(|t| t == "Sender"));
    assert!(
        e.request_id()
            .is_some_and(|t| t == "358299bb-b7f8-11e2-8d39-e3a125f625ee")
    );
    // EC2: RequestID in <Response>.
    let b = read("005.xml");
    let e = xml::parse(&b).unwrap();
    assert!(
        e.request_id()
            .is_some_and(|t| t == "dfb14b43-9a55-4d8e-b676-e8034d12bbeb")
    );
    assert_eq!(e.message().unwrap(), "Invalid id: \"foobar\"");
    // Numeric character references (&#39;).
    let b = read("067.xml");
    let e = xml::parse(&b).unwrap();
    assert!(e.message().unwrap().raw().contains("&#39;"));
    // Non-ASCII text.
    let b = read("071.xml");
    let e = xml::parse(&b).unwrap();
    assert!(e.field("Key").unwrap().to_string().contains('á'));
    // S3 Control: HostId in the wrapper.
    let b = read("024.xml");
    let e = xml::parse(&b).unwrap();
    assert!(e.host_id().is_some());
    assert!(e.field("AccountId").is_some());
}

fn kind_at(body: &[u8]) -> (ParseErrorKind, usize) {
    let e = xml::parse(body).expect_err(&String::from_utf8_lossy(body));
    (e.kind(), e.offset())
}

#[test]
fn each_malformed_body_is_refused_with_its_kind_and_offset() {
    use ParseErrorKind::*;
    assert_eq!(kind_at(b""), (Empty, 0));
    assert_eq!(kind_at(b" \n\t"), (Empty, 0));
    assert_eq!(kind_at(b"\xEF\xBB\xBF"), (Empty, 0));
    assert_eq!(kind_at(b"Service Unavailable"), (NotXml, 0));
    assert_eq!(kind_at(b"  {\"code\":1}"), (NotXml, 2));
    assert_eq!(
        kind_at(b"<Error><Code>\xFF</Code></Error>"),
        (InvalidUtf8, 13)
    );
    assert_eq!(kind_at(b"\xFF\xFE<\0"), (UnsupportedEncoding, 0));
    assert_eq!(
        kind_at(b"<Error><Code>a\0</Code></Error>"),
        (InvalidChar, 14)
    );
    assert_eq!(
        kind_at("<Error><Code>\u{FFFF}</Code></Error>".as_bytes()),
        (InvalidChar, 13)
    );
    assert_eq!(kind_at(b"<!DOCTYPE html><html></html>"), (Html, 0));
    assert_eq!(kind_at(b"<HTML><body/></HTML>"), (Html, 0));
    let laughs = br#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<Error><Code>&lol2;</Code></Error>"#;
    assert_eq!(kind_at(laughs), (Doctype, 22));
    assert_eq!(
        kind_at(b"<Error><Code>&lol;</Code></Error>"),
        (UndefinedEntity, 13)
    );
    assert_eq!(
        kind_at(b"<Error><Code>&nbsp;</Code></Error>"),
        (UndefinedEntity, 13)
    );
    let e = xml::parse(b"<Error><Code>a & b</Code></Error>").unwrap_err();
    assert_eq!((e.kind(), e.offset()), (Syntax, 16));
    assert_eq!(e.detail(), "an entity name after '&'");
    assert_eq!(
        kind_at(b"<Error><Code>&#0;</Code></Error>"),
        (InvalidCharRef, 13)
    );
    assert_eq!(
        kind_at(b"<Error><Code>&#xD800;</Code></Error>"),
        (InvalidCharRef, 13)
    );
    assert_eq!(
        kind_at(b"<Error><Code>&#x110000;</Code></Error>"),
        (InvalidCharRef, 13)
    );
    assert_eq!(
        kind_at(b"<Error><Code>&#1114112;</Code></Error>"),
        (InvalidCharRef, 13)
    );
    assert_eq!(
        kind_at(b"<Error><Code>&#x;</Code></Error>"),
        (InvalidCharRef, 13)
    );
    assert_eq!(
        kind_at(b"<Error><Code>&#12a;</Code></Error>"),
        (InvalidCharRef, 13)
    );
    assert_eq!(
        kind_at(b"<Error><Code>a</Cod></Error>"),
        (MismatchedTag, 14)
    );
    assert_eq!(
        kind_at(b"<Error><Code>a</Code></Errors>"),
        (MismatchedTag, 21)
    );
    assert_eq!(kind_at(b"<Error><Code>a</Code>"), (UnexpectedEof, 21));
    assert_eq!(
        kind_at(b"<Error><Code>a</Code></Error><Error/>"),
        (TrailingContent, 29)
    );
    assert_eq!(
        kind_at(b"<Error><Code>a]]>b</Code></Error>"),
        (CdataEndInText, 14)
    );
    assert_eq!(
        kind_at(b"<Error><!-- a -- b --><Code>a</Code></Error>"),
        (MalformedComment, 14)
    );
    assert_eq!(
        kind_at(b"<Error a='1' a='2'><Code>a</Code></Error>"),
        (DuplicateAttribute, 13)
    );
    let e = xml::parse(b"<Error a='<'><Code>a</Code></Error>").unwrap_err();
    assert_eq!((e.kind(), e.offset()), (Syntax, 10));
    assert_eq!(e.detail(), "no '<' in an attribute value");
    assert_eq!(
        e.to_string(),
        "expected no '<' in an attribute value at byte 10"
    );
    assert_eq!(
        kind_at(b"<Error><Message>m</Message></Error>"),
        (MissingCode, 0)
    );
    assert_eq!(
        kind_at(b"<ErrorResponse><RequestId/></ErrorResponse>"),
        (NotAnErrorDocument, 0)
    );
    assert_eq!(kind_at(b"<ListBucketResult/>"), (NotAnErrorDocument, 0));
    assert_eq!(
        kind_at(b"<?xml version='1.0' encoding='ISO-8859-1'?><Error/>"),
        (UnsupportedEncoding, 30)
    );
    assert_eq!(
        kind_at(b"<?xml version='2.0'?><Error/>"),
        (MalformedDeclaration, 15)
    );
    assert_eq!(kind_at(b"<?xml?><Error/>"), (MalformedDeclaration, 5));
    assert_eq!(
        kind_at(b"<!-- c --><?xml version='1.0'?><Error/>"),
        (MisplacedDeclaration, 10)
    );
    assert_eq!(
        kind_at(b"<Error><Code>a</Code><?xml version='1.0'?></Error>"),
        (MisplacedDeclaration, 21)
    );
    let many: String = (0..17).map(|i| format!(" a{i}='x'")).collect();
    let body = format!("<Error{many}><Code>a</Code></Error>");
    assert_eq!(kind_at(body.as_bytes()).0, TooManyAttributes);
}

#[test]
fn nesting_deeper_than_max_depth_is_refused_without_recursion() {
    let depth = 100_000;
    let mut body = String::from("<Error><Code>x</Code>");
    body.push_str(&"<a>".repeat(depth));
    body.push_str(&"</a>".repeat(depth));
    body.push_str("</Error>");
    let (kind, offset) = kind_at(body.as_bytes());
    assert_eq!(kind, ParseErrorKind::TooDeep);
    assert_eq!(offset, 21 + 3 * (xml::MAX_DEPTH - 1));
    // Exactly MAX_DEPTH levels are fine.
    let inner = xml::MAX_DEPTH - 1;
    let body = format!(
        "<Error><Code>x</Code>{}{}</Error>",
        "<a>".repeat(inner - 1),
        "</a>".repeat(inner - 1)
    );
    assert!(xml::parse(body.as_bytes()).is_ok());
}

#[test]
fn every_truncation_is_refused_as_truncation() {
    let body = br#"<?xml version="1.0" encoding="UTF-8"?>
<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>A&amp;B</Code><Message><![CDATA[x<y]]> &#x263A;</Message><!-- c --></Error><RequestId>r</RequestId></ErrorResponse>"#;
    assert!(xml::parse(body).is_ok());
    for n in 0..body.len() {
        let e = xml::parse(&body[..n]).expect_err(&n.to_string());
        assert!(e.offset() <= n, "{n}: {e}");
        assert!(
            matches!(
                e.kind(),
                ParseErrorKind::UnexpectedEof | ParseErrorKind::Empty
            ),
            "{n}: {e}"
        );
    }
}

#[test]
fn what_servers_send_is_accepted_and_decoded() {
    let body = "\u{FEFF}<?xml version='1.0' encoding='utf-8' standalone=\"yes\"?>\r\n\
        <!-- generated --><?pi data?>\n\
        <Error xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\n\
          <Extra a=\"1&gt;\" b='&quot;'><Nested>deep</Nested></Extra>\n\
          <Message>a&lt;b&gt;c&amp;d&apos;e&quot;f&#65;&#x42;<![CDATA[<&>]]>\r\nline<!--x-->end</Message>\n\
          <Code>NoSuchKey</Code>\n\
          <Code>Second</Code>\n\
          <Resource/>\n\
          <Key>k\u{e9}y</Key>\n\
        </Error>\n<!-- trailing -->\n";
    let e = xml::parse(body.as_bytes()).unwrap();
    assert_eq!(e.code(), "NoSuchKey");
    assert_eq!(e.code().raw(), "NoSuchKey");
    let m = e.message().unwrap();
    assert_eq!(m.to_string(), "a<b>c&d'e\"fAB<&>\nlineend");
    assert_eq!(m, "a<b>c&d'e\"fAB<&>\nlineend");
    assert!(m != "a<b>c&d'e\"fAB<&>\nlineen");
    assert!(m != "a<b>c&d'e\"fAB<&>\nlineendx");
    assert_eq!(m.decoded_len(), m.to_string().len());
    assert!(e.resource().unwrap().is_empty());
    assert_eq!(e.field("Extra").unwrap(), "deep");
    assert_eq!(e.field("Key").unwrap(), "k\u{e9}y");
    assert!(e.field("Nested").is_none(), "only children of <Error>");
    assert!(e.request_id().is_none());
    // The same through roxmltree.
    let dom = roxmltree::Document::parse(body.trim_start_matches('\u{FEFF}')).unwrap();
    let err = dom_error(&dom).unwrap();
    assert_eq!(dom_text(child(err, "Message").unwrap()), m.to_string());
    #[cfg(feature = "s3")]
    assert_eq!(e.known(), Some(ErrorCode::NoSuchKey));
    // Whitespace around a code does not hide it from known().
    let e = xml::parse(b"<Error><Code>\n  SlowDown\n</Code></Error>").unwrap();
    assert_eq!(e.known(), ErrorCode::from_name("SlowDown"));
    assert_eq!(e.retry(503), Retry::Throttle);
}

#[test]
fn a_huge_body_parses_and_a_code_longer_than_any_name_is_not_looked_up() {
    let big = "x&amp;".repeat(400_000);
    let body = format!("<Error><Code>InternalError</Code><Message>{big}</Message></Error>");
    let t = std::time::Instant::now();
    let e = xml::parse(body.as_bytes()).unwrap();
    assert_eq!(e.message().unwrap().decoded_len(), 800_000);
    assert!(t.elapsed().as_secs() < 5);
    // A code longer than any name is not looked up as one.
    let long = "A".repeat(1 << 16);
    let body = format!("<Error><Code>{long}</Code></Error>");
    assert_eq!(xml::parse(body.as_bytes()).unwrap().known(), None);
}

// Declarations: a malformed one is not mistaken for a truncated one.

#[test]
fn mismatched_quotes_in_the_declaration_are_malformed_not_truncated() {
    // `"1.0'`: the value opened with `"` meets `'` at byte 18.
    let body = b"<?xml version=\"1.0' encoding='UTF-8'?>\n<Error><Code>X</Code></Error>";
    assert_eq!(kind_at(body), (ParseErrorKind::MalformedDeclaration, 18));
    // The same with the quotes the other way round.
    let body = b"<?xml version='1.0\" encoding=\"UTF-8\"?>\n<Error><Code>X</Code></Error>";
    assert_eq!(kind_at(body), (ParseErrorKind::MalformedDeclaration, 18));
    // An unclosed encoding value: the `?` at byte 35 cannot be in an
    // encoding name.
    let body = b"<?xml version=\"1.0\" encoding=\"UTF-8?>\n<Error><Code>X</Code></Error>";
    assert_eq!(kind_at(body), (ParseErrorKind::MalformedDeclaration, 35));
    // A value that runs into the root element.
    let body = b"<?xml version=\"1.0\n<Error><Code>X</Code></Error>";
    assert_eq!(kind_at(body), (ParseErrorKind::MalformedDeclaration, 18));
    // Truncation inside the value is still truncation.
    assert_eq!(
        kind_at(b"<?xml version=\"1.0"),
        (ParseErrorKind::UnexpectedEof, 18)
    );
}

// A document of another kind: the offset is its root element's.

#[test]
fn not_an_error_document_points_at_the_root_element() {
    // The root `<ErrorResponse>` starts at byte 33; it holds no `<Error>`.
    let body = b"<?xml version=\"1.0\"?>\n<!-- c -->\n<ErrorResponse><Foo/></ErrorResponse>";
    assert_eq!(body[33], b'<');
    assert_eq!(kind_at(body), (ParseErrorKind::NotAnErrorDocument, 33));
    // `<Response>` without `<Errors><Error>`, after 3 spaces.
    let body = b"   <Response><Error><Code>X</Code></Error></Response>";
    assert_eq!(kind_at(body), (ParseErrorKind::NotAnErrorDocument, 3));
    // An unknown root after a comment.
    let body = b"<!--x--><Foo/>";
    assert_eq!(kind_at(body), (ParseErrorKind::NotAnErrorDocument, 8));
}

// The declared encoding is kept to.

#[test]
fn a_us_ascii_declaration_refuses_non_ascii_bytes() {
    // `é` (C3 A9) at byte 54 under a US-ASCII declaration.
    let body = "<?xml version=\"1.0\" encoding=\"US-ASCII\"?><Error><Code>é</Code></Error>";
    assert_eq!(body.as_bytes()[54], 0xC3);
    assert_eq!(
        kind_at(body.as_bytes()),
        (ParseErrorKind::EncodingMismatch, 54)
    );
    // The alias `ascii`, in a comment after the root.
    let body = "<?xml version='1.0' encoding='ascii'?><Error><Code>A</Code></Error><!-- ü -->";
    assert_eq!(
        kind_at(body.as_bytes()),
        (ParseErrorKind::EncodingMismatch, 72)
    );
    // A UTF-8 byte-order mark contradicts a US-ASCII declaration.
    let body =
        b"\xEF\xBB\xBF<?xml version='1.0' encoding='US-ASCII'?><Error><Code>A</Code></Error>";
    assert_eq!(kind_at(body), (ParseErrorKind::EncodingMismatch, 0));
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

// One trimming rule: XML whitespace around the decoded text.

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
    fn text_compares_hashes_and_orders_as_its_decoded_string(
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic_and_errors_point_inside_the_input(body in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Err(e) = xml::parse(&body) {
            prop_assert!(e.offset() <= body.len());
            let _ = e.to_string();
        }
    }

    /// Mutations of a valid document: whatever s3err accepts, roxmltree
    /// accepts too, and both read the same code.
    #[test]
    fn whatever_is_accepted_roxmltree_accepts_with_the_same_code(
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
