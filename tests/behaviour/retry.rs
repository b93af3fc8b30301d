//! Retry classification as botocore's standard mode does it: by code, by
//! status, and an error document in a `200` as a `500`.

use s3err::{ErrorCode, Retry, xml};

#[test]
fn throttling_codes_throttle_transient_codes_and_statuses_retry_others_never() {
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
}

#[test]
fn every_code_retries_by_its_name_then_its_status() {
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

#[test]
fn an_error_in_a_200_is_retried_as_a_500() {
    assert_eq!(Retry::classify("NoSuchKey", 200), Retry::Transient);
    assert_eq!(Retry::classify("AccessDenied", 200), Retry::Transient);
    assert_eq!(Retry::classify("SomethingNew", 200), Retry::Transient);
    assert_eq!(Retry::classify("SlowDown", 200), Retry::Throttle);
    assert_eq!(Retry::classify("ThrottlingException", 200), Retry::Throttle);
    // Not 200: unchanged.
    assert_eq!(Retry::classify("NoSuchKey", 404), Retry::Never);
    assert_eq!(Retry::classify("NoSuchKey", 201), Retry::Never);
    assert_eq!(Retry::classify("AccessDenied", 429), Retry::Throttle);
    // A 200 with no error body is a success.
    assert_eq!(Retry::from_status(200), Retry::Never);

    let e = xml::parse(b"<Error><Code>InvalidPart</Code><Message>m</Message></Error>").unwrap();
    assert_eq!(e.retry(200), Retry::Transient);
    assert_eq!(e.retry(400), Retry::Never);
    let e = xml::parse(b"<Error><Code>SlowDown</Code></Error>").unwrap();
    assert_eq!(e.retry(200), Retry::Throttle);
}
