//! Panic-free proof. The panic handler is `panic-never`, whose handler
//! refers to a symbol that does not exist: if any panicking branch survives
//! optimisation in the s3err paths called here (lookups, accessors, the
//! XML parser with every accessor of its result and of `Text`, and, with
//! the `panic-never-xml` feature, the XML renderer), this binary fails to
//! link.
//! Build with `--release` (fat LTO); it is not meant to prove anything in
//! a debug build.
#![no_std]
#![no_main]
#![deny(unsafe_code)]

use core::hint::black_box;

use panic_never as _; // the panic handler: a link error if it is reachable
use s3err::ErrorCode;
use s3err::xml::{self, Text};

s3err_firmware::entry!(run);

fn run() -> bool {
    let mut ok = true;
    for &input in black_box(&["NoSuchKey", "SlowDown", "nosuchkey", ""]) {
        let code = ErrorCode::from_name(input);
        black_box(code);
        black_box(ErrorCode::from_bytes(input.as_bytes()));
        black_box(code.map(ErrorCode::record));
        if let Some(code) = code {
            black_box(code.status());
            black_box(code.description());
            black_box(code.as_str());
            black_box(code.record());
            ok &= code.as_str() == input;
            #[cfg(feature = "panic-never-xml")]
            {
                let doc = s3err::xml::ErrorDocument::new(code)
                    .with_resource(black_box("/bucket/a&b.txt"))
                    .with_request_id(black_box("4442587FB7D0A2F9"));
                black_box(doc.rendered_len());
                let mut buf = [0u8; 512];
                ok &= doc.write_to_slice(black_box(&mut buf)).is_ok();
                ok &= doc.to_heapless::<512>().is_ok();
            }
        }
    }
    black_box(ErrorCode::from_bytes(black_box(b"\xff\xfeNoSuchKey")));
    ok &= parse_all(black_box(BODY));
    ok &= !parse_all(black_box(b"<html><body>502 Bad Gateway</body></html>"));
    ok
}

const BODY: &[u8] =
    b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code> SlowDown&#32;</Code>\
<Message>Reduce <![CDATA[your]]> request rate &amp; retry.</Message><Resource>/b/k</Resource>\
<RequestId>4442587FB7D0A2F9</RequestId><HostId>h</HostId><Type>Sender</Type><Key>k</Key></Error>";

/// A sink for `Hash` and `Display`: FNV-1a over what it is given.
struct Fnv(u32);

impl core::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        u64::from(self.0)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u32::from(b)).wrapping_mul(0x0100_0193);
        }
    }
}

impl core::fmt::Write for Fnv {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        core::hash::Hasher::write(self, s.as_bytes());
        Ok(())
    }
}

/// Every accessor of `Text`.
fn text(t: Text<'_>) {
    let mut h = Fnv(0x811C_9DC5);
    core::hash::Hash::hash(&t, &mut h);
    let _ = black_box(core::fmt::Write::write_fmt(&mut h, format_args!("{t}")));
    black_box(core::hash::Hasher::finish(&h));
    black_box(t.raw());
    black_box(t.decoded_len());
    black_box(t.is_empty());
    let mut buf = [0u8; 64];
    black_box(t.decode_into(black_box(&mut buf)));
    let trimmed = t.trim();
    black_box(trimmed.raw());
    black_box(t == black_box("SlowDown"));
    black_box(t == trimmed);
    black_box(t.cmp(&trimmed));
    black_box(t.partial_cmp(&trimmed));
}

/// `xml::parse` and every accessor of its result; whether it parsed.
fn parse_all(body: &[u8]) -> bool {
    match xml::parse(body) {
        Ok(e) => {
            black_box(e.known());
            black_box(e.retry(black_box(200)));
            black_box(e.body());
            text(e.code());
            for t in [
                e.message(),
                e.resource(),
                e.request_id(),
                e.host_id(),
                e.error_type(),
            ]
            .into_iter()
            .flatten()
            {
                text(t);
            }
            if let Some(t) = e.field(black_box("Key")) {
                text(t);
            }
            true
        }
        Err(err) => {
            black_box(err.kind());
            black_box(err.offset());
            black_box(err.detail());
            false
        }
    }
}
