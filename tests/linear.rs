//! Parse and render stay linear in the input on pathological shapes,
//! asserted on a deterministic count: the instructions executed inside
//! the parse or render call, counted by valgrind's callgrind
//! (`--toggle-collect`), at 64 KiB and at 4 MiB. No clock is read, so a
//! loaded machine cannot make this flaky.
//!
//! Run it (release: the counts are those of optimised code):
//!
//! ```text
//! cargo test --release --test linear -- --ignored --nocapture
//! ```
//!
//! It is `#[ignore]`d in the default suite because it needs valgrind and
//! takes about a minute; CI runs it as its own step. The test re-runs its
//! own binary under callgrind once per shape and size, with
//! `S3ERR_LINEAR_CHILD=kind:shape:size` telling that child what to do.

use std::hint::black_box;
use std::process::{Command, Stdio};

use s3err::ErrorCode;
use s3err::xml::{self, ErrorDocument, InvalidChars};

const SMALL: usize = 64 << 10;
const LARGE: usize = 4 << 20;

/// The most instructions per byte at 4 MiB may exceed those at 64 KiB by
/// this factor. Linear code comes out near 1 (below it, as fixed costs
/// spread); a quadratic path would be about 64 times over.
const SLACK: f64 = 1.25;

/// `head`, then `unit` repeated until the body is at least `size` bytes,
/// then `tail`.
fn body(head: &str, unit: &str, tail: &str, size: usize) -> Vec<u8> {
    let n = size.saturating_sub(head.len() + tail.len()) / unit.len() + 1;
    let mut b = String::with_capacity(head.len() + unit.len() * n + tail.len());
    b.push_str(head);
    for _ in 0..n {
        b.push_str(unit);
    }
    b.push_str(tail);
    b.into_bytes()
}

/// Element nesting to `MAX_DEPTH`, as one repeated unit below `<Error>`.
fn nested_unit() -> String {
    let inner = xml::MAX_DEPTH - 1;
    format!("{}{}", "<a>".repeat(inner), "</a>".repeat(inner))
}

/// How a shape's body of about `size` bytes is made.
enum Make {
    /// `body(head, unit, tail, size)`.
    Repeat(&'static str, &'static str, &'static str),
    /// Any other way.
    With(fn(usize) -> Vec<u8>),
}

impl Make {
    fn make(&self, size: usize) -> Vec<u8> {
        match *self {
            Repeat(head, unit, tail) => body(head, unit, tail, size),
            With(f) => f(size),
        }
    }
}

use Make::{Repeat, With};

type Shape = (&'static str, Make);

/// Bodies for `parse`: each is read to its end (accepted or refused).
const PARSE: &[Shape] = &[
    (
        "deep nesting to the limit",
        With(|n| body("<Error><Code>X</Code>", &nested_unit(), "</Error>", n)),
    ),
    ("&# and digits, no ';'", Repeat("<Error><Code>&#", "1", "")),
    (
        "&# and hex digits, no ';'",
        Repeat("<Error><Code>&#x", "a", ""),
    ),
    (
        "& and a long name, no ';'",
        Repeat("<Error><Code>&", "a", ""),
    ),
    (
        "many comments",
        Repeat("<Error><Code>X</Code>", "<!-- c -->", "</Error>"),
    ),
    (
        "'-' runs in one comment",
        Repeat("<Error><!--", "-x", "--><Code>X</Code></Error>"),
    ),
    (
        "many CDATA sections",
        Repeat("<Error><Code>", "<![CDATA[x]]>", "</Code></Error>"),
    ),
    (
        "CDATA openings inside one CDATA",
        Repeat("<Error><Code><![CDATA[", "<![CDATA[", "]]></Code></Error>"),
    ),
    (
        "unclosed CDATA openings",
        Repeat("<Error><Code>", "<![CDATA[", ""),
    ),
    (
        "']' runs in text",
        Repeat("<Error><Code>X</Code><M>", "]]]]]]]]", "</M></Error>"),
    ),
    (
        "huge attribute value",
        Repeat("<Error a=\"", "v", "\"><Code>X</Code></Error>"),
    ),
    (
        "attribute value of &amp;",
        Repeat("<Error a=\"", "&amp;", "\"><Code>X</Code></Error>"),
    ),
    (
        "one text node of &amp;",
        Repeat("<Error><Code>", "&amp;", "</Code></Error>"),
    ),
    (
        "code padded with &#32; and CDATA",
        With(|n| {
            let pad = body("", "&#32;<![CDATA[ ]]>\n", "", n / 2);
            let pad = String::from_utf8(pad).unwrap();
            format!("<Error><Code>{pad}SlowDown{pad}</Code></Error>").into_bytes()
        }),
    ),
    (
        "many sibling elements",
        Repeat("<Error><Code>X</Code>", "<Key>k</Key>", "</Error>"),
    ),
    (
        "CR LF line ends",
        Repeat(
            "<Error><Code>X</Code><Message>",
            "\r\n",
            "</Message></Error>",
        ),
    ),
    (
        "a long element name",
        Repeat("<Error><Code>X</Code><", "n", "/></Error>"),
    ),
    (
        "many processing instructions",
        Repeat("<Error><Code>X</Code>", "<?p x?>", "</Error>"),
    ),
    (
        "unclosed declaration value",
        Repeat("<?xml version=\"1.", "0", ""),
    ),
];

type TextShape = (&'static str, fn(usize) -> String);

/// Caller text for rendering: each shape is the message and the resource.
const RENDER: &[TextShape] = &[
    ("all '&'", |n| "&".repeat(n)),
    ("all '<' and '>'", |n| "<>".repeat(n / 2)),
    ("all CR", |n| "\r".repeat(n)),
    ("all NUL (replaced)", |n| "\0".repeat(n)),
    ("4-byte characters", |n| "\u{1F600}".repeat(n / 4)),
    ("plain text", |n| "a".repeat(n)),
];

/// The measured work. Its name is what callgrind's `--toggle-collect`
/// looks for; nothing outside it is counted.
#[inline(never)]
fn s3err_linear_measured_parse(b: &[u8]) -> usize {
    match xml::parse(b) {
        Ok(e) => {
            let code = e.code();
            let t = code.trim();
            let mut sum = code.decoded_len() + t.decoded_len() + usize::from(t.is_empty());
            sum += usize::from(e.known().is_some());
            sum += usize::from(e.retry(503) == s3err::Retry::Never);
            sum += e.message().map_or(0, |m| m.decoded_len());
            sum += e.field("Key").map_or(0, |k| k.raw().len());
            sum
        }
        Err(err) => err.offset(),
    }
}

#[inline(never)]
fn s3err_linear_measured_render(text: &str, buf: &mut [u8]) -> usize {
    let doc = ErrorDocument::new(ErrorCode::ALL[0])
        .with_message(text)
        .with_resource(text);
    let len = doc.rendered_len();
    let written = doc.write_to_slice(buf).unwrap_or(0);
    // Reject scans the same text and refuses it (or not) without writing.
    let rejected = doc
        .with_invalid_chars(InvalidChars::Reject)
        .write_to_slice(&mut [])
        .is_err();
    len + written + usize::from(rejected)
}

/// The control: quadratic on purpose (it re-reads the whole prefix every
/// 16 KiB), to show that the check below catches such growth.
#[inline(never)]
fn s3err_linear_measured_control(b: &[u8]) -> usize {
    (0..b.len())
        .step_by(16 << 10)
        .map(|end| b[..end].iter().filter(|&&c| c == b'<').count())
        .sum()
}

/// In the child: build the input, then run the measured function once.
fn child(spec: &str) {
    let mut it = spec.split(':');
    let (kind, shape, size) = (
        it.next().unwrap(),
        it.next().unwrap().parse::<usize>().unwrap(),
        it.next().unwrap().parse::<usize>().unwrap(),
    );
    let out = match kind {
        "parse" => {
            let b = PARSE[shape].1.make(size);
            s3err_linear_measured_parse(black_box(&b))
        }
        "control" => {
            let b = PARSE[shape].1.make(size);
            s3err_linear_measured_control(black_box(&b))
        }
        _ => {
            let t = (RENDER[shape].1)(size);
            // Escaping at most quintuples a text; it is written twice.
            let mut buf = vec![0u8; 10 * t.len() + 4096];
            s3err_linear_measured_render(black_box(&t), black_box(&mut buf))
        }
    };
    black_box(out);
}

/// Input bytes and instructions counted inside the measured function.
fn measure(kind: &str, shape: usize, size: usize) -> (usize, u64) {
    let len = match kind {
        "parse" | "control" => PARSE[shape].1.make(size).len(),
        _ => (RENDER[shape].1)(size).len(),
    };
    let out = std::env::temp_dir().join(format!(
        "s3err-linear-{}-{kind}-{shape}-{size}.out",
        std::process::id()
    ));
    let exe = std::env::current_exe().unwrap();
    let status = Command::new("valgrind")
        .args([
            "--tool=callgrind",
            "--quiet",
            &format!("--toggle-collect=*s3err_linear_measured_{kind}*"),
            &format!("--callgrind-out-file={}", out.display()),
        ])
        .arg(&exe)
        .args([
            "--exact",
            "instructions_grow_linearly",
            "--ignored",
            "--test-threads=1",
        ])
        .env("S3ERR_LINEAR_CHILD", format!("{kind}:{shape}:{size}"))
        .stdout(Stdio::null())
        .status()
        .expect("valgrind must be installed (apt-get install valgrind)");
    assert!(status.success(), "valgrind run failed: {status}");
    let report = std::fs::read_to_string(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    let ir = report
        .lines()
        .find_map(|l| {
            l.strip_prefix("totals: ")
                .or_else(|| l.strip_prefix("summary: "))
        })
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse::<u64>().ok())
        .expect("callgrind's totals line");
    (len, ir)
}

#[test]
#[ignore = "needs valgrind; CI runs: cargo test --release --test linear -- --ignored"]
fn instructions_grow_linearly() {
    if let Ok(spec) = std::env::var("S3ERR_LINEAR_CHILD") {
        child(&spec);
        return;
    }
    let cases = PARSE
        .iter()
        .enumerate()
        .map(|(i, s)| ("parse", i, s.0))
        .chain(RENDER.iter().enumerate().map(|(i, s)| ("render", i, s.0)));
    let mut failed = Vec::new();
    println!(
        "{:<7} {:<34} {:>14} {:>14} {:>7}",
        "kind", "shape", "Ir/B @64KiB", "Ir/B @4MiB", "ratio"
    );
    for (kind, i, name) in cases {
        let (small_len, small_ir) = measure(kind, i, SMALL);
        let (large_len, large_ir) = measure(kind, i, LARGE);
        // Something was measured, and the sizes are what they say.
        assert!(
            small_ir > 0 && large_ir > small_ir,
            "{kind} {name}: no count"
        );
        assert!(
            small_len >= SMALL && large_len >= LARGE,
            "{kind} {name}: sizes"
        );
        let small = small_ir as f64 / small_len as f64;
        let large = large_ir as f64 / large_len as f64;
        let ratio = large / small;
        println!("{kind:<7} {name:<34} {small:>14.2} {large:>14.2} {ratio:>7.3}");
        if ratio > SLACK {
            failed.push(format!(
                "{kind} {name}: {ratio:.3}x the instructions per byte"
            ));
        }
    }
    assert!(failed.is_empty(), "not linear: {failed:#?}");

    // The check can fail: a quadratic function, measured the same way.
    let (small_len, small_ir) = measure("control", 0, SMALL);
    let (large_len, large_ir) = measure("control", 0, LARGE);
    let ratio = (large_ir as f64 / large_len as f64) / (small_ir as f64 / small_len as f64);
    println!("control (quadratic on purpose): {ratio:.1}x the instructions per byte");
    assert!(ratio > 8.0 * SLACK, "the control should be caught: {ratio}");
}
