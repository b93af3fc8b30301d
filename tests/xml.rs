//! `s3err::xml` against independent sources: the corpus of real error
//! bodies and its INDEX.tsv, a real XML parser (roxmltree), hand-written
//! byte-exact fixtures, and data/errors.tsv read here on its own.

use std::fs;
use std::path::Path;

use s3err::ErrorCode;
use s3err::Retry;
use s3err::xml::{self, ErrorDocument, Field, Form, InvalidChars, ParseErrorKind, RenderError};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/s3-error-bodies");

// ---------------------------------------------------------------- helpers

/// All text below `node`, as a DOM reader sees it.
fn dom_text(node: roxmltree::Node<'_, '_>) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

/// The first child element of `node` named `name`.
fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children()
        .find(|n| n.is_element() && n.tag_name().name() == name)
}

/// The error element as roxmltree finds it (same shapes as s3err accepts).
fn dom_error<'a, 'i>(doc: &'a roxmltree::Document<'i>) -> Option<roxmltree::Node<'a, 'i>> {
    let root = doc.root_element();
    match root.tag_name().name() {
        "Error" => Some(root),
        "ErrorResponse" => child(root, "Error"),
        "Response" => child(root, "Errors").and_then(|e| child(e, "Error")),
        _ => None,
    }
}

fn render(doc: &ErrorDocument<'_>) -> String {
    let mut s = String::new();
    doc.write_to(&mut s).expect("render");
    s
}

/// Groups from data/errors.tsv, read independently of build.rs.
fn group_of(name: &str) -> Option<String> {
    let tsv = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/errors.tsv")).unwrap();
    tsv.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .find(|f| f[1] == name)
        .map(|f| f[3].to_string())
}

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

// ---------------------------------------------------------------- corpus

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
fn corpus_every_file() {
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
fn corpus_specifics() {
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

// ---------------------------------------------------------------- render

#[test]
fn render_every_code_is_well_formed_and_exact() {
    for &code in ErrorCode::ALL {
        let doc = ErrorDocument::new(code)
            .with_resource("/bucket/key")
            .with_request_id("REQ1")
            .with_host_id("HOST/1=");
        let s = render(&doc);
        assert_eq!(s.len(), doc.rendered_len(), "{code}");
        let dom = roxmltree::Document::parse(&s).unwrap_or_else(|e| panic!("{code}: {e}\n{s}"));
        let iam = group_of(code.as_str()).unwrap() == "iam";
        let root = dom.root_element();
        let err = dom_error(&dom).unwrap();
        if iam {
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
fn render_s3_fixture_byte_exact() {
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
fn render_iam_fixture_byte_exact() {
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
fn render_hostile_text() {
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

#[test]
fn write_to_slice_exact_sizes_and_never_past_the_end() {
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

#[test]
fn response_metadata() {
    for &code in ErrorCode::ALL {
        let doc = ErrorDocument::new(code);
        let r = doc.response().unwrap();
        assert_eq!(r.status(), code.status());
        assert!(!r.reason().is_empty(), "{code}");
        if code.status() == 304 {
            assert!(!r.has_body());
            assert_eq!(r.content_length(), None);
        } else {
            assert_eq!(r.content_length(), Some(render(&doc).len()));
        }
        let head = doc.head_response().unwrap();
        assert!(!head.has_body() && head.content_length().is_none());
        assert_eq!(head.headers().count(), 0, "{code}: no id set, no body");
    }
    assert_eq!(s3err::response::reason_phrase(404), Some("Not Found"));
    assert_eq!(
        s3err::response::reason_phrase(503),
        Some("Service Unavailable")
    );
    assert_eq!(s3err::response::reason_phrase(304), Some("Not Modified"));
    assert_eq!(s3err::response::reason_phrase(299), None);
}

#[cfg(feature = "heapless-v0.9")]
#[test]
fn heapless_sinks() {
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

// ---------------------------------------------------------------- parse

fn kind_at(body: &[u8]) -> (ParseErrorKind, usize) {
    let e = xml::parse(body).expect_err(&String::from_utf8_lossy(body));
    (e.kind(), e.offset())
}

#[test]
fn parse_refuses_hostile_input() {
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
fn parse_refuses_deep_nesting_without_recursion() {
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
fn parse_refuses_every_truncation() {
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
fn parse_accepts_what_servers_send() {
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
fn parse_is_linear_on_a_huge_body() {
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

// ---------------------------------------------------------------- retry

#[test]
fn retry_rule() {
    let cases = [
        ("SlowDown", 503, Retry::Throttle),
        ("Throttling", 400, Retry::Throttle),
        ("ThrottlingException", 400, Retry::Throttle),
        ("RequestTimeout", 400, Retry::Transient),
        ("InternalError", 200, Retry::Transient),
        ("ServiceUnavailable", 503, Retry::Transient),
        ("Unknown", 504, Retry::Transient),
        ("Unknown", 501, Retry::Never),
        ("AccessDenied", 403, Retry::Never),
    ];
    for (name, status, want) in cases {
        assert_eq!(Retry::classify(name, status), want, "{name} {status}");
    }
    assert_eq!(Retry::from_status(429), Retry::Throttle);
    for s in [500, 502, 503, 504] {
        assert_eq!(Retry::from_status(s), Retry::Transient);
    }
    for &code in ErrorCode::ALL {
        let want = match code.as_str() {
            "SlowDown" | "Throttling" => Retry::Throttle,
            "RequestTimeout" | "InternalError" => Retry::Transient,
            _ if [500, 502, 503, 504].contains(&code.status()) => Retry::Transient,
            _ => Retry::Never,
        };
        assert_eq!(code.retry(), want, "{code}");
    }
}
