//! `s3err::xml::parse` on arbitrary bytes: never panics, errors point
//! inside the body, and every accessor of an accepted body works.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    match s3err::xml::parse(body) {
        Ok(e) => {
            let _ = e.known();
            let _ = e.code().to_string();
            assert_eq!(e.code().decoded_len(), e.code().to_string().len());
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
                let s = t.to_string();
                assert!(t == s.as_str());
            }
            let _ = e.field("Key");
            let _ = e.retry(503);
        }
        Err(err) => {
            assert!(err.offset() <= body.len());
            let _ = err.to_string();
        }
    }
});
