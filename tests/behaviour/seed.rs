//! The crate's table against the seed `.rst` itself.
//!
//! `tests/data/zenko-error-messages.rst` is a verbatim copy of the
//! specification. This file parses its grid tables with its own small
//! parser (column boundaries taken from the `+---+` border lines, not from
//! `data/errors.tsv` or `build.rs`) and checks every row against the API.

use s3err::ErrorCode;

const SEED: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/zenko-error-messages.rst"
));

/// The names of the `iam` and `zenko` groups, written out here on their
/// own (not read from the data file); every other seed name is `s3`.
const IAM: &[&str] = &[
    "DeleteConflict",
    "EntityAlreadyExists",
    "IncompleteSignature",
    "InternalFailure",
    "InvalidAction",
    "InvalidClientTokenId",
    "InvalidInput",
    "InvalidParameterCombination",
    "InvalidParameterValue",
    "InvalidQueryParameter",
    "LimitExceeded",
    "MalformedPolicy",
    "MalformedPolicyDocument",
    "MalformedQueryString",
    "MissingAction",
    "MissingAuthenticationToken",
    "MissingParameter",
    "NoSuchEntity",
    "OptInRequired",
    "RequestExpired",
    "ServiceFailure",
    "Throttling",
    "ValidationError",
];
const ZENKO: &[&str] = &[
    "MPUinProgress",
    "AccountNotFound",
    "EntityDoesNotExist",
    "Forbidden",
    "KeyAlreadyExists",
    "WrongFormat",
];

#[derive(Debug)]
struct SeedRow {
    line: usize,
    name: String,
    status: u16,
    description: String,
}

/// Parses every grid table in the document. A row is the run of `|` lines
/// between two border lines; a cell's text is cut at the border's `+`
/// columns; names ending in `\` continue on the next line without a space,
/// other cells join their lines with one space.
fn parse_seed(text: &str) -> Vec<SeedRow> {
    let mut rows = Vec::new();
    let mut cols: Vec<usize> = Vec::new();
    let mut cells: Vec<Vec<&str>> = Vec::new();
    let mut first_line = 0;
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        if t.starts_with('+') {
            // A border: flush the row above it, re-read the column positions.
            if !cells.is_empty() {
                let joined_name: String =
                    cells[0]
                        .iter()
                        .map(|s| s.trim())
                        .fold(String::new(), |mut acc, part| {
                            if let Some(stripped) = acc.strip_suffix('\\') {
                                acc = stripped.to_string();
                            } else if !acc.is_empty() && !part.is_empty() {
                                acc.push(' ');
                            }
                            acc.push_str(part);
                            acc
                        });
                let status_text = cells[1].concat();
                let description = cells[2]
                    .iter()
                    .flat_map(|s| s.split_whitespace())
                    .collect::<Vec<_>>()
                    .join(" ");
                // The header row ("Error | Code | Description") has no number.
                if let Ok(status) = status_text.trim().parse() {
                    rows.push(SeedRow {
                        line: first_line + 1,
                        name: joined_name,
                        status,
                        description,
                    });
                }
                cells.clear();
            }
            cols = line
                .char_indices()
                .filter(|&(_, c)| c == '+')
                .map(|(j, _)| j)
                .collect();
        } else if t.starts_with('|') && cols.len() == 4 {
            if cells.is_empty() {
                cells = vec![Vec::new(); 3];
                first_line = i;
            }
            for k in 0..3 {
                cells[k].push(&line[cols[k] + 1..cols[k + 1]]);
            }
        }
    }
    rows
}

fn group_of(name: &str) -> &'static str {
    if IAM.contains(&name) {
        "iam"
    } else if ZENKO.contains(&name) {
        "zenko"
    } else {
        "s3"
    }
}

fn group_enabled(name: &str) -> bool {
    match group_of(name) {
        "iam" => cfg!(feature = "iam"),
        "zenko" => cfg!(feature = "zenko"),
        _ => cfg!(feature = "s3"),
    }
}

#[test]
fn the_seed_has_118_rows_and_117_names() {
    let rows = parse_seed(SEED);
    assert_eq!(rows.len(), 118);
    let mut names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 117);
}

#[test]
fn names_split_over_two_lines_are_joined_without_a_space() {
    let rows = parse_seed(SEED);
    for n in [
        "IllegalVersioningConfigurationException",
        "IncorrectNumberOfFilesInPostRequest",
        "ReplicationConfigurationNotFoundError",
    ] {
        assert!(
            rows.iter().any(|r| r.name == n),
            "{n} not parsed from the seed"
        );
        if cfg!(feature = "s3") {
            assert_eq!(ErrorCode::from_name(n).map(ErrorCode::as_str), Some(n));
        }
    }
}

#[test]
fn every_seed_row_is_a_code_with_the_seeds_status_description_and_group() {
    let rows = parse_seed(SEED);
    let mut checked = 0;
    for (i, row) in rows.iter().enumerate() {
        // A later row with the same name overrides this one.
        let overridden = rows[i + 1..].iter().any(|r| r.name == row.name);
        let code = ErrorCode::from_name(&row.name);
        if !group_enabled(&row.name) {
            assert_eq!(code, None, "{} is in a disabled group", row.name);
            continue;
        }
        let code = code.unwrap_or_else(|| panic!("seed line {}: {} missing", row.line, row.name));
        assert_eq!(code.as_str(), row.name);
        assert_eq!(code.group().as_str(), group_of(&row.name), "{}", row.name);
        assert_eq!(
            s3err::Group::from_name(group_of(&row.name)),
            Some(code.group())
        );
        assert_eq!(
            code.status(),
            row.status,
            "seed line {}: {}",
            row.line,
            row.name
        );
        if overridden {
            continue;
        }
        if cfg!(feature = "descriptions") {
            assert_eq!(
                code.description(),
                row.description,
                "seed line {}",
                row.line
            );
        } else {
            assert_eq!(code.description(), "");
        }
        let rec = s3err::ErrorCode::from_name(&row.name)
            .map(s3err::ErrorCode::record)
            .expect("lookup");
        assert_eq!(
            (rec.status(), rec.description()),
            (code.status(), code.description())
        );
        checked += 1;
    }
    let expected = [
        (cfg!(feature = "s3"), 88),
        (cfg!(feature = "iam"), 23),
        (cfg!(feature = "zenko"), 6),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, n)| n)
    .sum::<usize>();
    assert_eq!(checked, expected);
}

#[test]
fn the_seeds_codes_come_first_in_seed_order_at_the_later_duplicates_place() {
    let rows = parse_seed(SEED);
    let mut order: Vec<&str> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let overridden = rows[i + 1..].iter().any(|r| r.name == row.name);
        if !overridden && group_enabled(&row.name) {
            order.push(&row.name);
        }
    }
    // The seed's codes, in the seed's order; codes the seed lacks (the
    // `aws` group, or any code added later) may follow in any group.
    let all: Vec<&str> = ErrorCode::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|n| order.contains(n))
        .collect();
    assert_eq!(all, order);
    assert!(
        ErrorCode::ALL
            .iter()
            .zip(&order)
            .all(|(c, n)| c.as_str() == *n),
        "the seed's codes come first"
    );
}

#[cfg(all(feature = "s3", feature = "descriptions"))]
#[test]
fn of_two_seed_rows_with_one_name_the_later_wins() {
    let rows = parse_seed(SEED);
    let dups: Vec<&SeedRow> = rows
        .iter()
        .filter(|r| r.name == "ServiceUnavailable")
        .collect();
    assert_eq!(dups.len(), 2);
    assert_eq!(dups[0].description, "Reduce your request rate.");
    let c = ErrorCode::ServiceUnavailable;
    assert_eq!(c.status(), 503);
    assert_eq!(c.description(), dups[1].description);
    assert_eq!(
        c.description(),
        "The request has failed due to a temporary failure of the server."
    );
}

#[test]
fn every_seed_code_is_in_the_data_file_with_its_seed_values() {
    // data/errors.tsv is the build's input; check it row by row too, so a
    // mistake there is reported against the file, not only via the API.
    // One way: every seed code is in the data file with the seed's id,
    // status, description and group; rows the seed lacks (the `aws`
    // group, checked against AWS's reference in `aws`) are allowed.
    let data = super::support::data_rows();
    let rows = parse_seed(SEED);
    // The seed's order after the duplicate rule (a later row wins): the id.
    let order: Vec<&str> = rows
        .iter()
        .enumerate()
        .filter(|(i, r)| !rows[i + 1..].iter().any(|later| later.name == r.name))
        .map(|(_, r)| r.name.as_str())
        .collect();
    assert_eq!(order.len(), 117);
    for (id, name) in order.iter().enumerate() {
        let seed = rows.iter().rev().find(|r| r.name == *name).unwrap();
        let row = data
            .iter()
            .find(|r| r.name == *name)
            .unwrap_or_else(|| panic!("seed code {name} missing from the data file"));
        assert_eq!(usize::from(row.id), id, "id of {name}");
        assert_eq!(row.status, seed.status, "{name}");
        assert_eq!(row.description, seed.description, "{name}");
        assert_eq!(row.group, group_of(name), "{name}");
    }
}
