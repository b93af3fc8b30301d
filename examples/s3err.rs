//! `s3err`: look up S3 error codes from the command line.
//!
//! ```text
//! s3err lookup NoSuchKey             name, status and description
//! s3err list [--status N] [--group G] a table of codes
//! s3err status 404                   the codes with that status
//! s3err render NoSuchKey [--message M] [--resource R] [--request-id ID] [--host-id H]
//!                                    the S3 (or IAM) XML error body
//! s3err parse [FILE]                 read an error body (stdin without FILE)
//! ```
//!
//! Unknown names exit with status 2 and a closest-name suggestion; a body
//! that does not parse exits with status 1; usage errors exit with 64.

use std::io::Read;
use std::process::ExitCode;

use s3err::xml::{ErrorDocument, parse};
use s3err::{ErrorCode, Group};

const USAGE: &str = "usage:
  s3err lookup NAME
  s3err list [--status N] [--group s3|iam|zenko]
  s3err status N
  s3err render NAME [--message M] [--resource R] [--request-id ID] [--host-id H]
  s3err parse [FILE]";

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

/// Pairs `--flag value` into a list, refusing unknown flags.
fn flags<'a>(rest: &[&'a str], known: &[&str]) -> Result<Vec<(&'a str, &'a str)>, String> {
    let mut out = Vec::new();
    let mut it = rest.iter();
    while let Some(&flag) = it.next() {
        if !known.contains(&flag) {
            return Err(format!("s3err: unknown option `{flag}`\n{USAGE}"));
        }
        let value = it
            .next()
            .ok_or_else(|| format!("s3err: {flag} needs a value\n{USAGE}"))?;
        out.push((flag, *value));
    }
    Ok(out)
}

fn unknown(name: &str) -> ExitCode {
    let hint = closest(name)
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default();
    eprintln!("s3err: unknown error code `{}`{hint}", name.escape_debug());
    ExitCode::from(2)
}

fn render(name: &str, rest: &[&str]) -> Result<ExitCode, String> {
    let Some(code) = ErrorCode::from_name(name) else {
        return Ok(unknown(name));
    };
    let mut doc = ErrorDocument::new(code);
    for (flag, value) in flags(
        rest,
        &["--message", "--resource", "--request-id", "--host-id"],
    )? {
        doc = match flag {
            "--message" => doc.message(value),
            "--resource" => doc.resource(value),
            "--request-id" => doc.request_id(value),
            _ => doc.host_id(value),
        };
    }
    let mut out = String::new();
    doc.write(&mut out).map_err(|e| format!("s3err: {e}"))?;
    println!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn parse_body(path: Option<&str>) -> Result<ExitCode, String> {
    let body = match path {
        Some(p) if p != "-" => std::fs::read(p).map_err(|e| format!("s3err: {p}: {e}"))?,
        _ => {
            let mut v = Vec::new();
            std::io::stdin()
                .read_to_end(&mut v)
                .map_err(|e| format!("s3err: stdin: {e}"))?;
            v
        }
    };
    let e = match parse(&body) {
        Ok(e) => e,
        Err(err) => {
            eprintln!("s3err: not an S3 error body: {err}");
            return Ok(ExitCode::from(1));
        }
    };
    println!("code\t{}", e.code());
    match e.known() {
        Some(c) => println!("known\t{c} ({} {})", c.status(), c.description()),
        None => println!("known\tno"),
    }
    let optional = [
        ("message", e.message()),
        ("type", e.error_type()),
        ("resource", e.resource()),
        ("request-id", e.request_id()),
        ("host-id", e.host_id()),
    ];
    for (label, value) in optional {
        if let Some(v) = value {
            println!("{label}\t{v}");
        }
    }
    let status = e.known().map_or(0, ErrorCode::status);
    println!("retry\t{:?}", e.retry(status));
    Ok(ExitCode::SUCCESS)
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
            None => Ok(unknown(name)),
        },
        ["render", name, rest @ ..] => render(name, rest),
        ["parse"] => parse_body(None),
        ["parse", path] => parse_body(Some(path)),
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
            for (flag, value) in flags(rest, &["--status", "--group"])? {
                if flag == "--status" {
                    status = Some(parse_status(value)?);
                } else {
                    group = Some(Group::from_name(value).ok_or_else(|| {
                        format!("s3err: unknown group `{value}` (s3, iam or zenko)")
                    })?);
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
