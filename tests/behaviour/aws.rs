//! The `aws` group against its references, read here on their own: `tests/data/aws-s3-error-codes.tsv` (the codes
//! AWS documents in its S3 sections, with their statuses),
//! `tests/data/aws-observed.tsv` (codes recorded from an S3 emulator, with
//! the request that provoked each) and `tests/data/aws-exclusions.tsv`
//! (the reference rows left out, with the reason). Provenance:
//! `tests/data/aws-PROVENANCE.md`.

use std::collections::HashSet;

use super::support::{DataRow, data_rows};

const REFERENCE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/aws-s3-error-codes.tsv"
));
const OBSERVED: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/aws-observed.tsv"
));
const EXCLUSIONS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/aws-exclusions.tsv"
));

const SELECT: &str = "List of SELECT Object Content Error Codes";

/// The tab-separated fields of each line that is not a `#` comment, not
/// empty and not the header `header` starts.
fn rows<'a>(text: &'a str, header: &str) -> Vec<Vec<&'a str>> {
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with(header))
        .map(|l| l.split('\t').collect())
        .collect()
}

#[test]
fn the_references_are_the_copied_ones() {
    let reference = rows(REFERENCE, "#");
    assert_eq!(reference.len(), 272);
    assert!(reference.iter().all(|f| f.len() == 4));
    let select = reference.iter().filter(|f| f[2] == SELECT).count();
    assert_eq!(select, 111);
    let observed = rows(OBSERVED, "error_code_name");
    assert_eq!(observed.len(), 3);
}

#[test]
fn every_aws_row_has_the_references_name_and_status() {
    let reference = rows(REFERENCE, "#");
    let observed = rows(OBSERVED, "error_code_name");
    let aws: Vec<_> = data_rows()
        .into_iter()
        .filter(|r| r.group == "aws")
        .collect();
    assert!(!aws.is_empty());
    for DataRow {
        id, name, status, ..
    } in aws
    {
        let status = status.to_string();
        // Every listing of the name, in the S3 sections or the observations.
        let listed: Vec<&str> = reference
            .iter()
            .chain(&observed)
            .filter(|f| f[0] == name)
            .map(|f| f[1])
            .collect();
        assert!(!listed.is_empty(), "id {id}: {name} is in no reference");
        assert!(
            listed.iter().all(|s| *s == status.as_str()),
            "id {id}: {name} is {status} here, {listed:?} in the references"
        );
        // Never on the evidence of the S3 Select list alone.
        assert!(
            reference
                .iter()
                .chain(&observed)
                .any(|f| f[0] == name && f.get(2) != Some(&SELECT)),
            "{name}"
        );
    }
}

#[test]
fn every_observed_code_is_in_the_table_with_its_status() {
    let data = data_rows();
    for f in rows(OBSERVED, "error_code_name") {
        let row = data.iter().find(|r| r.name == f[0]);
        assert_eq!(
            row.map(|r| r.status.to_string()).as_deref(),
            Some(f[1]),
            "{}",
            f[0]
        );
    }
}

#[test]
fn every_s3_section_name_is_in_the_table_or_excluded() {
    let names: HashSet<&str> = data_rows().iter().map(|r| r.name).collect();
    let excluded: HashSet<&str> = rows(EXCLUSIONS, "#").iter().map(|f| f[0]).collect();
    for f in rows(REFERENCE, "#") {
        assert!(
            names.contains(f[0]) != excluded.contains(f[0]),
            "{} ({}): in the table {}, excluded {}",
            f[0],
            f[2],
            names.contains(f[0]),
            excluded.contains(f[0])
        );
    }
}

/// The stated exclusions and nothing else: the S3 Select list's names and
/// the `503 SlowDown` artifact, each a row of the reference with the same
/// status and section, each with a reason.
#[test]
fn the_exclusions_are_the_stated_ones() {
    let reference = rows(REFERENCE, "#");
    let exclusions = rows(EXCLUSIONS, "#");
    assert_eq!(exclusions.len(), 108);
    for f in &exclusions {
        assert_eq!(f.len(), 4, "{f:?}");
        assert!(!f[3].is_empty(), "{}: no reason", f[0]);
        assert!(
            reference
                .iter()
                .any(|r| r[0] == f[0] && r[1] == f[1] && r[2] == f[2]),
            "{} is not a reference row",
            f[0]
        );
        assert!(
            f[2] == SELECT || f[0] == "503 SlowDown",
            "{}: only the S3 Select list and `503 SlowDown` are left out",
            f[0]
        );
    }
    // Of the S3 Select list, 4 names are seed codes; the other 107 are out.
    let data = data_rows();
    let select = reference.iter().filter(|f| f[2] == SELECT).count();
    let in_table = reference
        .iter()
        .filter(|f| f[2] == SELECT && data.iter().any(|r| r.name == f[0]))
        .count();
    assert_eq!((select, in_table), (111, 4));
}

/// The crate holds each `aws` row, by its wire name, with the reference's
/// status.
#[cfg(feature = "aws")]
#[test]
fn the_crate_holds_the_aws_rows() {
    use s3err::{ErrorCode, Group};
    let reference = rows(REFERENCE, "#");
    let observed = rows(OBSERVED, "error_code_name");
    let mut found = HashSet::new();
    for f in reference.iter().chain(&observed) {
        if let Some(c) = ErrorCode::from_name(f[0]).filter(|c| c.group() == Group::Aws) {
            assert_eq!(c.status().to_string(), f[1], "{}", f[0]);
            assert_eq!(c.as_str(), f[0]);
            found.insert(c);
        }
    }
    // Every `aws` code of the crate is one of them.
    let aws: HashSet<ErrorCode> = ErrorCode::ALL
        .iter()
        .copied()
        .filter(|c| c.group() == Group::Aws)
        .collect();
    assert!(!aws.is_empty());
    assert_eq!(found, aws);
}

/// botocore 1.44.8's standard retry mode (`botocore/retries/standard.py`),
/// written out here: the throttling codes, the transient codes and the
/// statuses it retries. No `aws` code is in them, so each classifies as
/// `Never`, as the SDKs treat it.
#[cfg(feature = "aws")]
#[test]
fn no_aws_code_is_retried_by_botocores_standard_mode() {
    use s3err::{ErrorCode, Group, Retry};
    const THROTTLED: &[&str] = &[
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "RequestThrottled",
        "SlowDown",
        "PriorRequestNotComplete",
        "EC2ThrottledException",
    ];
    const TRANSIENT: &[&str] = &[
        "RequestTimeout",
        "RequestTimeoutException",
        "PriorRequestNotComplete",
    ];
    const RETRIED_STATUSES: &[u16] = &[429, 500, 502, 503, 504];
    let aws: Vec<ErrorCode> = ErrorCode::ALL
        .iter()
        .copied()
        .filter(|c| c.group() == Group::Aws)
        .collect();
    assert!(!aws.is_empty());
    for c in aws {
        let (name, status) = (c.as_str(), c.status());
        assert!(!THROTTLED.contains(&name) && !TRANSIENT.contains(&name));
        assert!(!RETRIED_STATUSES.contains(&status), "{name} {status}");
        assert_eq!(c.retry(), Retry::Never, "{name}");
        assert_eq!(Retry::classify(name, status), Retry::Never, "{name}");
    }
}
