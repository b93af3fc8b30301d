//! `s3err`: look up S3 error codes from the command line.
//!
//! ```text
//! s3err lookup NoSuchKey             name, status and description
//! s3err list [--status N] [--group G] a table of codes
//! s3err status 404                   the codes with that status
//! ```
//!
//! Unknown names exit with status 2 and a closest-name suggestion; usage
//! errors exit with status 64.

use std::process::ExitCode;

use s3err::{ErrorCode, Group};

const USAGE: &str = "usage:
  s3err lookup NAME
  s3err list [--status N] [--group s3|iam|zenko]
  s3err status N";

/// Edit distance (insert, delete, substitute: 1 each), one row at a time.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// The enabled name closest to `name`, compared case-insensitively.
fn closest(name: &str) -> Option<ErrorCode> {
    let lower = name.to_ascii_lowercase();
    ErrorCode::ALL
        .iter()
        .copied()
        .min_by_key(|c| distance(&lower, &c.as_str().to_ascii_lowercase()))
}

fn print_table(codes: &[ErrorCode]) {
    let width = codes
        .iter()
        .map(|c| c.as_str().len())
        .max()
        .unwrap_or(4)
        .max(4);
    println!("{:<width$}  STATUS  GROUP  DESCRIPTION", "NAME");
    for c in codes {
        println!(
            "{c:<width$}  {:<6}  {:<5}  {}",
            c.status(),
            c.group(),
            c.description()
        );
    }
}

fn parse_status(s: &str) -> Result<u16, String> {
    s.parse()
        .map_err(|_| format!("s3err: `{s}` is not an HTTP status"))
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["lookup", name] => match ErrorCode::from_name(name) {
            Some(c) => {
                println!("{c}\t{}\t{}", c.status(), c.description());
                Ok(ExitCode::SUCCESS)
            }
            None => {
                let hint = closest(name)
                    .map(|c| format!("; did you mean `{c}`?"))
                    .unwrap_or_default();
                eprintln!("s3err: unknown error code `{}`{hint}", name.escape_debug());
                Ok(ExitCode::from(2))
            }
        },
        ["status", status] => {
            let status = parse_status(status)?;
            let codes: Vec<ErrorCode> = ErrorCode::with_status(status).collect();
            if codes.is_empty() {
                eprintln!("s3err: no error code has status {status}");
                return Ok(ExitCode::from(2));
            }
            print_table(&codes);
            Ok(ExitCode::SUCCESS)
        }
        ["list", rest @ ..] => {
            let (mut status, mut group) = (None, None);
            let mut it = rest.iter();
            while let Some(&flag) = it.next() {
                let value = it
                    .next()
                    .ok_or_else(|| format!("s3err: {flag} needs a value\n{USAGE}"))?;
                match flag {
                    "--status" => status = Some(parse_status(value)?),
                    "--group" => {
                        group = Some(Group::from_name(value).ok_or_else(|| {
                            format!("s3err: unknown group `{value}` (s3, iam or zenko)")
                        })?)
                    }
                    _ => return Err(format!("s3err: unknown option `{flag}`\n{USAGE}")),
                }
            }
            let codes: Vec<ErrorCode> = ErrorCode::ALL
                .iter()
                .copied()
                .filter(|c| {
                    status.is_none_or(|s| c.status() == s) && group.is_none_or(|g| c.group() == g)
                })
                .collect();
            print_table(&codes);
            Ok(ExitCode::SUCCESS)
        }
        _ => Err(USAGE.to_string()),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("{msg}");
            ExitCode::from(64)
        }
    }
}
