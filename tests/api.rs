//! The public API, accessor by accessor.

use core::str::FromStr;
use s3err::{ErrorCode, Record, UnknownErrorCode};

#[test]
fn error_code_is_one_byte_and_copy() {
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
fn all_round_trips_through_every_name_form() {
    for &c in ErrorCode::ALL {
        let n = c.as_str();
        assert_eq!(ErrorCode::from_name(n), Some(c));
        assert_eq!(ErrorCode::from_bytes(n.as_bytes()), Some(c));
        assert_eq!(ErrorCode::from_str(n), Ok(c));
        assert_eq!(ErrorCode::try_from(n), Ok(c));
        assert_eq!(ErrorCode::try_from(n.as_bytes()), Ok(c));
        assert_eq!(c.to_string(), n);
        assert_eq!(format!("{c:>50}").trim_start(), n);
        assert_eq!(format!("{c:>50}").len(), 50);
        assert_eq!(
            (c.record().status(), c.record().description()),
            (c.status(), c.description())
        );
        assert_eq!(Record::from(c), c.record());
        assert_eq!(
            s3err::ErrorCode::from_name(n).map(s3err::ErrorCode::record),
            Some(c.record())
        );
        assert!((100..=599).contains(&c.status()));
        assert!(n.len() <= s3err::ErrorCode::MAX_NAME_LEN);
        if cfg!(feature = "descriptions") {
            assert!(!c.description().is_empty(), "{n}");
        } else {
            assert_eq!(c.description(), "");
        }
    }
}

#[test]
fn all_is_unique_and_max_name_len_is_tight() {
    let mut v = ErrorCode::ALL.to_vec();
    v.sort();
    v.dedup();
    assert_eq!(v.len(), ErrorCode::ALL.len());
    let longest = ErrorCode::ALL
        .iter()
        .map(|c| c.as_str().len())
        .max()
        .unwrap_or(0);
    assert_eq!(s3err::ErrorCode::MAX_NAME_LEN, longest);
}

#[test]
fn ord_is_the_order_of_all() {
    // `Ord` follows the id, which is the seed table's order, as `ALL` does.
    assert!(ErrorCode::ALL.windows(2).all(|w| w[0] < w[1]));
    let mut sorted = ErrorCode::ALL.to_vec();
    sorted.reverse();
    sorted.sort();
    assert_eq!(sorted, ErrorCode::ALL);
}

#[test]
fn names_are_case_sensitive_and_exact() {
    for &c in ErrorCode::ALL {
        let n = c.as_str();
        for variant in [
            n.to_lowercase(),
            n.to_uppercase(),
            format!(" {n}"),
            format!("{n} "),
            format!("{n}\0"),
            n[..n.len() - 1].to_string(),
            format!("{n}x"),
        ] {
            if variant != n {
                assert_eq!(ErrorCode::from_name(&variant), None, "{variant:?}");
                assert!(ErrorCode::from_str(&variant).is_err());
            }
        }
    }
}

#[test]
fn refuses_empty_long_and_non_utf8() {
    assert_eq!(ErrorCode::from_name(""), None);
    assert_eq!(ErrorCode::from_bytes(b""), None);
    assert_eq!(
        s3err::ErrorCode::from_name("").map(s3err::ErrorCode::record),
        None
    );
    let long = "A".repeat(1 << 20);
    assert_eq!(ErrorCode::from_name(&long), None);
    assert_eq!(ErrorCode::from_bytes(long.as_bytes()), None);
    assert_eq!(ErrorCode::from_bytes(b"NoSuchKey\xff"), None);
    assert_eq!(ErrorCode::from_bytes(b"\xc3\x28"), None);
    let e: UnknownErrorCode = ErrorCode::from_str("").unwrap_err();
    assert_eq!(e.to_string(), "unknown S3 error code");
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

/// The `aws` group's codes per status, counted outside the crate with
/// `awk -F'\t' '!/^#/ && $4=="aws"{print $3}' data/errors.tsv | sort | uniq -c`
/// (tests/aws.rs checks each against AWS's documented status).
#[cfg(feature = "aws")]
#[test]
fn with_status_counts_aws() {
    let expected = [(301, 1), (400, 41), (403, 6), (404, 11), (409, 3), (415, 1)];
    let mut total = 0;
    for (status, n) in expected {
        let aws = ErrorCode::with_status(status).filter(|c| c.group() == s3err::Group::Aws);
        assert_eq!(aws.count(), n, "status {status}");
        total += n;
    }
    assert_eq!(total, 63);
    let in_aws = ErrorCode::ALL
        .iter()
        .filter(|c| c.group() == s3err::Group::Aws)
        .count();
    assert_eq!(in_aws, 63);
    assert_eq!(ErrorCode::with_status(415).count(), 1);
    assert_eq!(
        ErrorCode::with_status(415).next(),
        Some(ErrorCode::UnsupportedMediaType)
    );
}

#[test]
fn with_status_partitions_all() {
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
fn hand_picked_rows() {
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
    assert_eq!(ErrorCode::NoSuchKey.to_string(), "NoSuchKey");
    assert_eq!(ErrorCode::ALL.first(), Some(&ErrorCode::AccessDenied));
    #[cfg(not(feature = "aws"))]
    {
        assert_eq!(ErrorCode::ALL.last(), Some(&ErrorCode::MPUinProgress));
        assert_eq!(
            s3err::ErrorCode::MAX_NAME_LEN,
            "IllegalVersioningConfigurationException".len()
        );
    }
}

/// Hand-written from the `aws` rows: a dotted wire name, the longest
/// name, the gateway's codes, the observed one, the last id.
#[cfg(all(feature = "aws", feature = "descriptions"))]
#[test]
fn hand_picked_aws_rows() {
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
    // The longest wire name, whichever group holds it, bounds the lookup.
    assert_eq!(
        Some(s3err::ErrorCode::MAX_NAME_LEN),
        ErrorCode::ALL.iter().map(|c| c.as_str().len()).max()
    );
}

#[cfg(feature = "s3")]
#[test]
fn const_accessors_work_in_const_context() {
    const C: ErrorCode = ErrorCode::NoSuchBucket;
    const S: u16 = C.status();
    const N: &str = C.as_str();
    const R: Record = C.record();
    assert_eq!((S, N, R.status()), (404, "NoSuchBucket", 404));
}

#[test]
fn error_traits() {
    fn is_error<E: core::error::Error>(_: &E) {}
    is_error(&ErrorCode::from_str("?").unwrap_err());
    if let Some(&c) = ErrorCode::ALL.first() {
        is_error(&c);
        let boxed: Box<dyn core::error::Error> = Box::new(c);
        assert_eq!(boxed.to_string(), c.as_str());
    }
}
