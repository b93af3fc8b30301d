//! `s3err`: look up S3 / Zenko error codes, and render or parse S3 XML
//! error bodies, from the command line.
//!
//! ```text
//! s3err lookup NoSuchKey              name, status and description
//! s3err list [--status N] [--group G] a table of codes
//! s3err status 404                    the codes with that status
//! s3err render NoSuchKey [--message M] [--resource R] [--request-id ID] [--host-id H]
//!                                     the S3 (or IAM) XML error body
//! s3err parse [FILE]                  read an error body (stdin without FILE)
//! ```
//!
//! Exit status: 0 on success; 1 for an unknown code, a status no code has,
//! a body that does not parse or a file that cannot be read; 2 for a usage
//! error (clap's).

use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use s3err::xml::{ErrorDocument, parse};
use s3err::{ErrorCode, Group};

/// Look up S3 / Zenko error codes, and render or parse S3 XML error bodies.
#[derive(Parser)]
#[command(name = "s3err", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print a code's name, HTTP status and description, tab-separated.
    Lookup {
        /// The error code, exactly as on the wire (e.g. NoSuchKey).
        name: OsString,
    },
    /// Print a table of the codes, optionally filtered.
    List {
        /// Only the codes answering with this HTTP status.
        #[arg(long, value_name = "N")]
        status: Option<u16>,
        /// Only the codes of this group.
        #[arg(long, value_name = "GROUP")]
        group: Option<GroupArg>,
    },
    /// Print a table of the codes answering with an HTTP status.
    Status {
        /// The HTTP status (e.g. 404).
        status: u16,
    },
    /// Print the XML error body for a code (IAM codes in the IAM form).
    Render {
        /// The error code, exactly as on the wire (e.g. NoSuchKey).
        name: OsString,
        /// The message (default: the code's description).
        #[arg(long, value_name = "M")]
        message: Option<String>,
        /// The resource the error is about (e.g. /bucket/key).
        #[arg(long, value_name = "R")]
        resource: Option<String>,
        /// The request id.
        #[arg(long, value_name = "ID")]
        request_id: Option<String>,
        /// The host id.
        #[arg(long, value_name = "H")]
        host_id: Option<String>,
    },
    /// Parse an S3 error body and print its fields, tab-separated.
    Parse {
        /// The file holding the body; stdin when absent or `-`.
        file: Option<PathBuf>,
    },
}

/// The groups of the table, as `--group` takes them.
#[derive(Clone, Copy, ValueEnum)]
enum GroupArg {
    S3,
    Iam,
    Zenko,
    Aws,
}

impl From<GroupArg> for Group {
    fn from(g: GroupArg) -> Group {
        match g {
            GroupArg::S3 => Group::S3,
            GroupArg::Iam => Group::Iam,
            GroupArg::Zenko => Group::Zenko,
            GroupArg::Aws => Group::Aws,
        }
    }
}

/// A failure to report on stderr with exit status 1.
struct Failure(String);

type Outcome = Result<String, Failure>;

/// The enabled code named `name`; non-UTF-8 bytes simply match nothing.
fn code(name: &OsStr) -> Result<ErrorCode, Failure> {
    ErrorCode::from_bytes(name.as_encoded_bytes()).ok_or_else(|| unknown(name))
}

fn unknown(name: &OsStr) -> Failure {
    let name = name.to_string_lossy();
    let hint = closest(&name)
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default();
    Failure(format!(
        "unknown error code `{}`{hint}",
        name.escape_debug()
    ))
}

/// The enabled name closest to `name` (case-insensitive Damerau-Levenshtein),
/// if it is close: at least 70 % alike. Nothing for empty input, nor for
/// input so long that no name can be 70 % alike (the distance is at least
/// the difference in length), which also bounds the work.
fn closest(name: &str) -> Option<ErrorCode> {
    if name.trim().is_empty() || name.len() > 2 * s3err::ErrorCode::MAX_NAME_LEN {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    ErrorCode::ALL
        .iter()
        .map(|&c| {
            let other = c.as_str().to_ascii_lowercase();
            (strsim::normalized_damerau_levenshtein(&lower, &other), c)
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|&(similarity, _)| similarity >= 0.7)
        .map(|(_, c)| c)
}

fn table(codes: &[ErrorCode]) -> String {
    let width = codes
        .iter()
        .map(|c| c.as_str().len())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut out = format!("{:<width$}  STATUS  GROUP  DESCRIPTION\n", "NAME");
    for c in codes {
        let _ = writeln!(
            out,
            "{c:<width$}  {:<6}  {:<5}  {}",
            c.status(),
            c.group(),
            c.description()
        );
    }
    out
}

fn lookup(name: &OsStr) -> Outcome {
    let c = code(name)?;
    Ok(format!("{c}\t{}\t{}\n", c.status(), c.description()))
}

fn list(status: Option<u16>, group: Option<GroupArg>) -> Outcome {
    let group = group.map(Group::from);
    let codes: Vec<ErrorCode> = ErrorCode::ALL
        .iter()
        .copied()
        .filter(|c| status.is_none_or(|s| c.status() == s) && group.is_none_or(|g| c.group() == g))
        .collect();
    Ok(table(&codes))
}

fn status(status: u16) -> Outcome {
    let codes: Vec<ErrorCode> = ErrorCode::with_status(status).collect();
    if codes.is_empty() {
        return Err(Failure(format!("no error code has status {status}")));
    }
    Ok(table(&codes))
}

fn render(name: &OsStr, fields: [Option<&str>; 4]) -> Outcome {
    let [message, resource, request_id, host_id] = fields;
    let mut doc = ErrorDocument::new(code(name)?);
    if let Some(v) = message {
        doc = doc.with_message(v);
    }
    if let Some(v) = resource {
        doc = doc.with_resource(v);
    }
    if let Some(v) = request_id {
        doc = doc.with_request_id(v);
    }
    if let Some(v) = host_id {
        doc = doc.with_host_id(v);
    }
    let mut out = String::new();
    doc.write_to(&mut out).map_err(|e| Failure(e.to_string()))?;
    out.push('\n');
    Ok(out)
}

fn parse_body(path: Option<&Path>) -> Outcome {
    let body = match path {
        Some(p) if p != Path::new("-") => {
            std::fs::read(p).map_err(|e| Failure(format!("{}: {e}", p.display())))?
        }
        _ => {
            let mut v = Vec::new();
            io::stdin()
                .read_to_end(&mut v)
                .map_err(|e| Failure(format!("stdin: {e}")))?;
            v
        }
    };
    let e = parse(&body).map_err(|err| Failure(format!("not an S3 error body: {err}")))?;
    let mut out = format!("code\t{}\n", e.code());
    let _ = match e.known() {
        Some(c) => writeln!(out, "known\t{c} ({} {})", c.status(), c.description()),
        None => writeln!(out, "known\tno"),
    };
    let optional = [
        ("message", e.message()),
        ("type", e.error_type()),
        ("resource", e.resource()),
        ("request-id", e.request_id()),
        ("host-id", e.host_id()),
    ];
    for (label, value) in optional {
        if let Some(v) = value {
            let _ = writeln!(out, "{label}\t{v}");
        }
    }
    let status = e.known().map_or(0, ErrorCode::status);
    let _ = writeln!(out, "retry\t{:?}", e.retry(status));
    Ok(out)
}

fn main() -> ExitCode {
    // clap prints help and --version on stdout (exit 0) and usage errors,
    // saying what was wrong, on stderr (exit 2).
    let cli = Cli::parse();
    let outcome = match &cli.command {
        Command::Lookup { name } => lookup(name),
        Command::List { status, group } => list(*status, *group),
        Command::Status { status: s } => status(*s),
        Command::Render {
            name,
            message,
            resource,
            request_id,
            host_id,
        } => render(
            name,
            [message, resource, request_id, host_id].map(Option::as_deref),
        ),
        Command::Parse { file } => parse_body(file.as_deref()),
    };
    match outcome {
        Ok(out) => match io::stdout().lock().write_all(out.as_bytes()) {
            Ok(()) => ExitCode::SUCCESS,
            // A closed pipe (`s3err list | head -1`) is the reader's choice.
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("s3err: stdout: {e}");
                ExitCode::FAILURE
            }
        },
        Err(Failure(msg)) => {
            eprintln!("s3err: {msg}");
            ExitCode::FAILURE
        }
    }
}
