//! Rendering and parsing S3 error bodies: s3err against quick-xml (and
//! roxmltree for parsing), side by side in one run on the same bodies.
//!
//! Run: `cargo bench -p s3err-benches --bench xml`, then
//! `python3 scripts/bench_table.py xml` for the table in docs/performance.md (ns per body).
//!
//! - `xml_parse_typical`: one AWS `NoSuchKey` body (tests/data 034.xml).
//! - `xml_parse_corpus`: every corpus body s3err accepts, one after the
//!   other (throughput per body).
//!   - `s3err`: `xml::parse`, then the decoded `Code` and `Message`
//!     compared and the code looked up (`known()`);
//!   - `quick_xml`: its borrowing `Reader` over every event to the end
//!     (end-tag names checked, its default), keeping the raw text of the
//!     first `Code` and `Message` — less work than s3err does (no entity,
//!     character or DTD checks);
//!   - `roxmltree`: a full DOM, then the `Code` and `Message` text.
//! - `xml_render_s3`, `xml_render_iam`: a document with message, resource,
//!   request id and host id into a reused buffer; `s3err` writes into a
//!   `&mut [u8]`, `quick_xml` uses its `Writer` (escaping text) into a
//!   cleared `Vec<u8>`.
#![allow(missing_docs)]

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use s3err::ErrorCode;
use s3err::xml::{self, ErrorDocument, Form};

fn corpus() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/s3-error-bodies");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| std::fs::read(p).unwrap())
        .filter(|b| xml::parse(b).is_ok())
        .collect()
}

fn s3err_parse(body: &[u8]) -> usize {
    let e = xml::parse(body).unwrap();
    let known = e.known().map_or(0, |c| c as usize);
    let msg = e.message().map_or(0, |m| usize::from(m == "x"));
    known + msg + usize::from(e.code() == "NoSuchKey")
}

fn quick_xml_parse(body: &[u8]) -> usize {
    let mut r = quick_xml::Reader::from_reader(body);
    let (mut code, mut msg) = (None, None);
    let mut current: Option<u8> = None;
    loop {
        match r.read_event().unwrap() {
            Event::Start(e) => {
                let name = e.name();
                let name: &str = name.as_ref();
                current = match name {
                    "Code" => Some(0),
                    "Message" => Some(1),
                    _ => None,
                }
            }
            Event::Text(t) => match current {
                Some(0) if code.is_none() => code = Some(t.into_inner()),
                Some(1) if msg.is_none() => msg = Some(t.into_inner()),
                _ => {}
            },
            Event::End(_) => current = None,
            Event::Eof => break,
            _ => {}
        }
    }
    code.map_or(0, |c| c.len()) + msg.map_or(0, |m| m.len())
}

fn roxmltree_parse(body: &[u8]) -> usize {
    let s = std::str::from_utf8(body).unwrap();
    let s = s.trim_start();
    let doc = roxmltree::Document::parse(s).unwrap();
    let text = |name: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name(name))
            .and_then(|n| n.text())
            .map_or(0, str::len)
    };
    text("Code") + text("Message")
}

/// A parser under test: reads a body, returns a value that depends on it.
type Parser = fn(&[u8]) -> usize;

fn parse(c: &mut Criterion) {
    let typical = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/s3-error-bodies/034.xml"),
    )
    .unwrap();
    // The same three parsers, one body at a time and over the corpus.
    let parsers: [(&str, Parser); 3] = [
        ("s3err", s3err_parse),
        ("quick_xml", quick_xml_parse),
        ("roxmltree", roxmltree_parse),
    ];
    let mut g = c.benchmark_group("xml_parse_typical");
    g.throughput(Throughput::Elements(1));
    for (name, f) in parsers {
        g.bench_function(name, |b| b.iter(|| f(black_box(&typical))));
    }
    g.finish();

    let bodies = corpus();
    let mut g = c.benchmark_group("xml_parse_corpus");
    g.throughput(Throughput::Elements(bodies.len() as u64));
    for (name, f) in parsers {
        g.bench_function(name, |b| {
            b.iter(|| bodies.iter().map(|x| f(black_box(x))).sum::<usize>())
        });
    }
    g.finish();
}

const RESOURCE: &str = "/examplebucket/photos/2006/February/sample&1.jpg";
const REQUEST_ID: &str = "4442587FB7D0A2F9";
const HOST_ID: &str = "Uuag1LuByRx9e6j5Onimru9pO4ZVKnJ2Qz7/C1NPcfTWAtRPfTaOFg==";

fn quick_xml_render(out: &mut Vec<u8>, code: ErrorCode, iam: bool) {
    out.clear();
    let mut w = Writer::new(out);
    let message = code.description();
    if iam {
        w.create_element("ErrorResponse")
            .with_attribute(("xmlns", xml::IAM_NAMESPACE))
            .write_inner_content(|w| {
                w.create_element("Error").write_inner_content(|w| {
                    w.create_element("Type")
                        .write_text_content(BytesText::new("Sender"))?;
                    w.create_element("Code")
                        .write_text_content(BytesText::new(code.as_str()))?;
                    w.create_element("Message")
                        .write_text_content(BytesText::new(message))?;
                    Ok(())
                })?;
                w.create_element("RequestId")
                    .write_text_content(BytesText::new(REQUEST_ID))?;
                Ok(())
            })
            .unwrap();
    } else {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
            .unwrap();
        w.write_event(Event::Text(BytesText::from_escaped("\n")))
            .unwrap();
        w.create_element("Error")
            .write_inner_content(|w| {
                w.create_element("Code")
                    .write_text_content(BytesText::new(code.as_str()))?;
                w.create_element("Message")
                    .write_text_content(BytesText::new(message))?;
                w.create_element("Resource")
                    .write_text_content(BytesText::new(RESOURCE))?;
                w.create_element("RequestId")
                    .write_text_content(BytesText::new(REQUEST_ID))?;
                w.create_element("HostId")
                    .write_text_content(BytesText::new(HOST_ID))?;
                Ok(())
            })
            .unwrap();
    }
}

fn render(c: &mut Criterion) {
    let cases = [
        ("xml_render_s3", ErrorCode::from_name("NoSuchKey"), false),
        ("xml_render_iam", ErrorCode::from_name("NoSuchEntity"), true),
    ];
    for (group, code, iam) in cases {
        let Some(code) = code else { continue };
        let doc = if iam {
            ErrorDocument::new(code)
                .with_form(Form::AwsQuery)
                .with_request_id(REQUEST_ID)
        } else {
            ErrorDocument::new(code)
                .with_form(Form::S3)
                .with_resource(RESOURCE)
                .with_request_id(REQUEST_ID)
                .with_host_id(HOST_ID)
        };
        // Same bytes from both, so the comparison is fair.
        let mut buf = [0u8; 1024];
        let n = doc.write_to_slice(&mut buf).unwrap();
        let mut v = Vec::with_capacity(1024);
        quick_xml_render(&mut v, code, iam);
        if !iam {
            assert_eq!(
                std::str::from_utf8(&v).unwrap().replace("&apos;", "'"),
                std::str::from_utf8(&buf[..n])
                    .unwrap()
                    .replace("&apos;", "'")
            );
        }
        let mut g = c.benchmark_group(group);
        g.throughput(Throughput::Elements(1));
        g.bench_function("s3err", |b| {
            b.iter(|| black_box(&doc).write_to_slice(black_box(&mut buf)).unwrap())
        });
        g.bench_function("quick_xml", |b| {
            b.iter(|| quick_xml_render(black_box(&mut v), black_box(code), iam))
        });
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50);
    targets = parse, render
}
criterion_main!(benches);
