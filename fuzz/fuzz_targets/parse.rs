//! `s3err::xml::parse` on arbitrary bytes: never panics, errors point
//! inside the body, and every accessor of an accepted body works and
//! agrees with the others.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// XML whitespace (`S`).
fn is_xml_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fuzz_target!(|body: &[u8]| {
    match s3err::xml::parse(body) {
        Ok(e) => {
            let code = e.code().to_string();
            assert_eq!(e.code().decoded_len(), code.len());
            // One trimming rule: XML whitespace off the decoded text.
            let trimmed = e.code().trim();
            let want = code.trim_matches(is_xml_ws);
            assert!(trimmed == want, "trim of {code:?}");
            assert_eq!(trimmed.to_string(), want);
            assert_eq!(trimmed.decoded_len(), want.len());
            assert_eq!(trimmed.is_empty(), want.is_empty());
            assert!(trimmed.trim() == want);
            assert_eq!(e.known(), s3err::ErrorCode::from_name(want));
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
                assert_eq!(t.decoded_len(), s.len());
                assert!(t.trim() == s.trim_matches(is_xml_ws));
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
