//! `ErrorCode` and `Record` as values: size, order, display, statuses,
//! descriptions, `with_status`, const use, and hand-picked rows written
//! out from the seed and from AWS's documentation.

use s3err::{ErrorCode, Record, UnknownErrorCode};

#[test]
fn an_error_code_is_one_copy_byte_and_unknown_error_code_is_empty() {
    // With every group off the enum has no variants and no size.
    let size = usize::from(!ErrorCode::ALL.is_empty());
    assert_eq!(core::mem::size_of::<ErrorCode>(), size);
    assert_eq!(core::mem::size_of::<Option<ErrorCode>>(), size);
    fn copy<T: Copy + Send + Sync + 'static>() {}
    copy::<ErrorCode>();
    copy::<Record>();
    assert_eq!(core::mem::size_of::<UnknownErrorCode>(), 0);
}

#[test]
fn all_holds_each_code_once_in_id_order() {
    // `Ord` follows the id, which is the seed table's order, as `ALL` does.
    assert!(ErrorCode::ALL.windows(2).all(|w| w[0] < w[1]));
    let mut sorted = ErrorCode::ALL.to_vec();
    sorted.reverse();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, ErrorCode::ALL);
}

#[test]
fn a_code_displays_as_its_name_and_honours_width() {
    for &c in ErrorCode::ALL {
        let n = c.as_str();
        assert_eq!(c.to_string(), n);
        assert_eq!(format!("{c:>50}").trim_start(), n);
        assert_eq!(format!("{c:>50}").len(), 50);
    }
}

#[test]
fn every_status_is_an_http_error_status_and_descriptions_follow_the_feature() {
    for &c in ErrorCode::ALL {
        assert!((100..=599).contains(&c.status()), "{c}");
        if cfg!(feature = "descriptions") {
            assert!(!c.description().is_empty(), "{c}");
        } else {
            assert_eq!(c.description(), "");
        }
    }
}

/// `with_status(s)` yields exactly the codes of `ALL` whose status is `s`,
/// in table order, for every status a `u16` can hold; a status no code
/// has yields nothing.
#[test]
fn with_status_yields_every_code_of_that_status_in_table_order() {
    for status in 0..=u16::MAX {
        let got: Vec<ErrorCode> = ErrorCode::with_status(status).collect();
        let want: Vec<ErrorCode> = ErrorCode::ALL
            .iter()
            .copied()
            .filter(|c| c.status() == status)
            .collect();
        assert_eq!(got, want, "status {status}");
    }
    assert_eq!(ErrorCode::with_status(200).count(), 0);
    assert_eq!(ErrorCode::with_status(0).count(), 0);
}

#[test]
fn with_status_partitions_all_and_is_fused() {
    let total: usize = (0..=u16::MAX)
        .map(|s| ErrorCode::with_status(s).count())
        .sum();
    assert_eq!(total, ErrorCode::ALL.len());
    let mut it = ErrorCode::with_status(400);
    while it.next().is_some() {}
    assert_eq!(it.next(), None, "fused");
}

#[cfg(all(
    feature = "s3",
    feature = "iam",
    feature = "zenko",
    feature = "descriptions"
))]
#[test]
fn hand_picked_rows_have_the_seeds_status_and_description() {
    // Hand-written from the seed, one row per group and the odd ones.
    let cases: &[(&str, u16, &str)] = &[
        ("NoSuchKey", 404, "The specified key does not exist."),
        ("NotModified", 304, "Not Modified."),
        ("SlowDown", 503, "Reduce your request rate."),
        (
            "MalformedQueryString",
            404,
            "The query string contains a syntax error.",
        ),
        (
            "MPUinProgress",
            409,
            "The bucket you tried to delete has an ongoing multipart upload.",
        ),
        (
            "MalformedACLError",
            400,
            "The XML you provided was not well-formed or did not validate against our published schema.",
        ),
        (
            "InvalidRedirectLocation",
            400,
            "The website redirect location must have a prefix of 'http://' or 'https://' or '/'.",
        ),
    ];
    for &(name, status, desc) in cases {
        let c: ErrorCode = name.parse().unwrap();
        assert_eq!(
            (c.as_str(), c.status(), c.description()),
            (name, status, desc)
        );
    }
    assert_eq!(ErrorCode::ALL.first(), Some(&ErrorCode::AccessDenied));
}

/// Hand-written from the `aws` rows: a dotted wire name, the gateway's
/// codes, the observed one, the longest name, the only 415.
#[cfg(all(feature = "aws", feature = "descriptions"))]
#[test]
fn hand_picked_aws_rows_have_their_id_status_and_description() {
    let cases: &[(&str, ErrorCode, u8, u16, &str)] = &[
        (
            "KMS.DisabledException",
            ErrorCode::KMSDisabledException,
            146,
            400,
            "The KMS key chosen for encryption is disabled.",
        ),
        (
            "KeyTooLongError",
            ErrorCode::KeyTooLongError,
            150,
            400,
            "The object key is longer than the 1,024-byte limit.",
        ),
        (
            "ConditionalRequestConflict",
            ErrorCode::ConditionalRequestConflict,
            126,
            409,
            "A concurrent operation on the same object conflicted with this write.",
        ),
        (
            "NoSuchPublicAccessBlockConfiguration",
            ErrorCode::NoSuchPublicAccessBlockConfiguration,
            156,
            404,
            "No public access block configuration exists for the bucket or account.",
        ),
        (
            "ServerSideEncryptionConfigurationNotFoundError",
            ErrorCode::ServerSideEncryptionConfigurationNotFoundError,
            168,
            400,
            "The bucket has no default server-side encryption configuration.",
        ),
    ];
    for &(name, code, id, status, desc) in cases {
        let c: ErrorCode = name.parse().unwrap();
        assert_eq!(c, code, "{name}");
        assert_eq!(
            (c.as_str(), c.id(), c.status(), c.description()),
            (name, id, status, desc)
        );
        assert_eq!(c.to_string(), name);
        assert_eq!(c.group(), s3err::Group::Aws);
    }
    // The variant's spelling is not a wire name.
    assert_eq!(ErrorCode::from_name("KMSDisabledException"), None);
    assert_eq!(ErrorCode::from_name("KMS.DisabledException."), None);
    assert_eq!(ErrorCode::from_name("KMS..DisabledException"), None);
    // AWS documents one 415.
    let unsupported: Vec<ErrorCode> = ErrorCode::with_status(415).collect();
    assert_eq!(unsupported, [ErrorCode::UnsupportedMediaType]);
}

#[cfg(feature = "s3")]
#[test]
fn accessors_work_in_const_context() {
    const C: ErrorCode = ErrorCode::NoSuchBucket;
    const S: u16 = C.status();
    const N: &str = C.as_str();
    const R: Record = C.record();
    assert_eq!((S, N, R.status()), (404, "NoSuchBucket", 404));
}

#[test]
fn a_code_and_an_unknown_name_are_errors() {
    fn is_error<E: core::error::Error>(_: &E) {}
    is_error(&"?".parse::<ErrorCode>().unwrap_err());
    if let Some(&c) = ErrorCode::ALL.first() {
        is_error(&c);
        let boxed: Box<dyn core::error::Error> = Box::new(c);
        assert_eq!(boxed.to_string(), c.as_str());
    }
}
