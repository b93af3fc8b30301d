//! Panic-free proof. The panic handler is `panic-never`, whose handler
//! refers to a symbol that does not exist: if any panicking branch survives
//! optimisation in the s3err paths called here (lookups, accessors and,
//! with the `panic-never-xml` feature, the XML renderer), this binary
//! fails to link.
//! Build with `--release` (fat LTO); it is not meant to prove anything in
//! a debug build.
#![no_std]
#![no_main]
#![deny(unsafe_code)]

use core::hint::black_box;

use panic_never as _; // the panic handler: a link error if it is reachable
use s3err::ErrorCode;

s3err_firmware::entry!(run);

fn run() -> bool {
    let mut ok = true;
    for &input in black_box(&["NoSuchKey", "SlowDown", "nosuchkey", ""]) {
        let code = ErrorCode::from_name(input);
        black_box(code);
        black_box(ErrorCode::from_bytes(input.as_bytes()));
        black_box(s3err::lookup(input));
        if let Some(code) = code {
            black_box(code.status());
            black_box(code.description());
            black_box(code.as_str());
            black_box(code.record());
            ok &= code.as_str() == input;
            #[cfg(feature = "panic-never-xml")]
            {
                let doc = s3err::xml::ErrorDocument::new(code)
                    .resource(black_box("/bucket/a&b.txt"))
                    .request_id(black_box("4442587FB7D0A2F9"));
                black_box(doc.rendered_len());
                let mut buf = [0u8; 512];
                ok &= doc.write_to_slice(black_box(&mut buf)).is_ok();
                ok &= doc.to_heapless::<512>().is_ok();
            }
        }
    }
    black_box(ErrorCode::from_bytes(black_box(b"\xff\xfeNoSuchKey")));
    ok
}
