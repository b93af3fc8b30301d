//! Runs the `s3err` binary for each behaviour the command promises: help
//! and version on stdout with exit 0, usage errors on stderr with exit 2,
//! unknown codes and statuses with exit 1 (a suggestion only when close),
//! non-UTF-8 arguments without a panic, and the output lines CI compares.
//! Expected lines are written by hand from data/errors.tsv.

use std::ffi::OsStr;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    run_with_stdin(args, b"")
}

fn run_with_stdin<I, S>(args: I, stdin: &[u8]) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut child = Command::new(env!("CARGO_BIN_EXE_s3err"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start s3err");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin)
        .expect("write stdin");
    let out = child.wait_with_output().expect("run s3err");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "s3err panicked: {stderr}");
    out
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Exit status, stdout and stderr must all be as expected.
fn expect(o: &Output, code: i32, out_has: &str, err_has: &str) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        stdout(o),
        stderr(o)
    );
    assert!(
        stdout(o).contains(out_has),
        "stdout lacks {out_has:?}: {}",
        stdout(o)
    );
    assert!(
        stderr(o).contains(err_has),
        "stderr lacks {err_has:?}: {}",
        stderr(o)
    );
}

#[test]
fn help_is_on_stdout_and_exits_0() {
    for args in [
        &["--help"][..],
        &["-h"],
        &["help"],
        &["help", "lookup"],
        &["lookup", "--help"],
    ] {
        let o = run(args);
        expect(&o, 0, "Usage: s3err", "");
        assert!(o.stderr.is_empty(), "{args:?}: {}", stderr(&o));
    }
    let o = run(["--help"]);
    for sub in ["lookup", "list", "status", "render", "parse"] {
        assert!(stdout(&o).contains(sub), "help lacks {sub}");
    }
}

#[test]
fn version_is_on_stdout_and_exits_0() {
    for flag in ["--version", "-V"] {
        let o = run([flag]);
        assert_eq!(o.status.code(), Some(0));
        assert_eq!(stdout(&o), format!("s3err {}\n", env!("CARGO_PKG_VERSION")));
        assert!(o.stderr.is_empty());
    }
}

#[test]
fn usage_errors_name_the_problem_and_exit_2() {
    let cases: &[(&[&str], &str)] = &[
        (&[], "Usage: s3err"),
        (&["frobnicate"], "'frobnicate'"),
        (&["lookup"], "<NAME>"),
        (&["lookup", "NoSuchKey", "extra"], "'extra'"),
        (&["status", "abc"], "'abc'"),
        (&["status", "70000"], "'70000'"),
        (&["list", "--group", "xyz"], "'xyz'"),
        (&["list", "--colour"], "'--colour'"),
        (&["list", "--status"], "--status <N>"),
        (
            &["list", "--status", "404", "--status", "403"],
            "cannot be used multiple times",
        ),
        (
            &["render", "NoSuchKey", "--resource", "a", "--resource", "b"],
            "cannot be used multiple times",
        ),
    ];
    for &(args, what) in cases {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{args:?} printed {}", stdout(&o));
        assert!(
            stderr(&o).contains(what),
            "{args:?}: stderr lacks {what:?}: {}",
            stderr(&o)
        );
    }
}

#[test]
#[cfg(feature = "descriptions")]
fn lookup_prints_one_tab_separated_line() {
    let o = run(["lookup", "NoSuchKey"]);
    expect(&o, 0, "", "");
    assert_eq!(
        stdout(&o),
        "NoSuchKey\t404\tThe specified key does not exist.\n"
    );
    assert_eq!(
        stdout(&run(["lookup", "SlowDown"])),
        "SlowDown\t503\tReduce your request rate.\n"
    );
}

#[test]
fn unknown_code_exits_1_with_a_suggestion_when_close() {
    let o = run(["lookup", "NoSuchKye"]);
    expect(
        &o,
        1,
        "",
        "unknown error code `NoSuchKye`; did you mean `NoSuchKey`?",
    );
    assert!(o.stdout.is_empty());
    // Case is not forgiven by the lookup, but the suggestion sees through it.
    expect(
        &run(["lookup", "nosuchkey"]),
        1,
        "",
        "did you mean `NoSuchKey`?",
    );
    expect(
        &run(["render", "NoSuchBuckett"]),
        1,
        "",
        "did you mean `NoSuchBucket`?",
    );
}

#[test]
fn unknown_code_far_from_every_name_gets_no_suggestion() {
    for name in ["", " ", "x", "Zzzzzzzzzzzz", "HTTP/1.1 500"] {
        let o = run(["lookup", name]);
        expect(&o, 1, "", "unknown error code");
        assert!(
            !stderr(&o).contains("did you mean"),
            "{name:?}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn a_huge_name_is_refused_at_once() {
    let name = "NoSuchKey".repeat(10_000);
    let start = std::time::Instant::now();
    let o = run(["lookup", &name]);
    expect(&o, 1, "", "unknown error code");
    assert!(!stderr(&o).contains("did you mean"));
    // Without the length bound, the suggestion search computes a distance
    // over the whole input for each name: 15 s for this debug build on the
    // 2-core CI machine.
    assert!(start.elapsed().as_secs() < 10, "took {:?}", start.elapsed());
}

#[test]
fn status_lists_codes_or_exits_1() {
    let o = run(["status", "416"]);
    expect(&o, 0, "InvalidRange", "");
    let lines: Vec<String> = stdout(&o).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[0].starts_with("NAME"));
    assert!(lines[1].starts_with("InvalidPartNumber ") && lines[2].starts_with("InvalidRange "));

    let o = run(["status", "418"]);
    expect(&o, 1, "", "no error code has status 418");
    assert!(o.stdout.is_empty());
}

#[test]
fn list_filters_by_status_and_group() {
    let rows = |args: &[&str]| {
        let o = run(args);
        expect(&o, 0, "NAME", "");
        stdout(&o)
            .lines()
            .skip(1)
            .map(|l| l.split_whitespace().next().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        rows(&["list", "--status", "416"]),
        ["InvalidPartNumber", "InvalidRange"]
    );
    assert_eq!(
        rows(&["list", "--group", "zenko"]),
        [
            "WrongFormat",
            "Forbidden",
            "EntityDoesNotExist",
            "KeyAlreadyExists",
            "AccountNotFound",
            "MPUinProgress"
        ]
    );
    assert_eq!(
        rows(&["list", "--status", "404", "--group", "iam"]),
        ["NoSuchEntity", "MalformedQueryString"]
    );
    assert!(rows(&["list", "--status", "418"]).is_empty());
}

/// The opt-in `aws` group, which the CLI enables: its codes in id order,
/// and a dotted wire name looked up as it is sent.
#[cfg(feature = "aws")]
#[test]
fn the_aws_group_is_listed_and_looked_up() {
    let o = run(["list", "--group", "aws"]);
    expect(&o, 0, "KMS.DisabledException", "");
    let names: Vec<String> = stdout(&o)
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().next().unwrap().to_owned())
        .collect();
    let aws: Vec<&str> = s3err::ErrorCode::ALL
        .iter()
        .filter(|c| c.group() == s3err::Group::Aws)
        .map(|c| c.as_str())
        .collect();
    assert_eq!(names, aws);
    assert_eq!(names[0], "AccessControlListNotSupported");
    let o = run(["lookup", "KeyTooLongError"]);
    let want = if cfg!(feature = "descriptions") {
        "KeyTooLongError\t400\tThe object key is longer than the 1,024-byte limit.\n"
    } else {
        "KeyTooLongError\t400\t\n"
    };
    assert_eq!((o.status.code(), stdout(&o).as_str()), (Some(0), want));
    let o = run(["lookup", "KMS.NotFoundException"]);
    expect(&o, 0, "KMS.NotFoundException\t400\t", "");
}

#[cfg(unix)]
#[test]
fn non_utf8_arguments_do_not_panic() {
    use std::os::unix::ffi::OsStrExt;
    let bad = OsStr::from_bytes(b"NoSuch\xffKey");
    // A name: no such code (exit 1), named in the message.
    expect(
        &run([OsStr::new("lookup"), bad]),
        1,
        "",
        "unknown error code `NoSuch\u{FFFD}Key`",
    );
    expect(
        &run([OsStr::new("render"), bad]),
        1,
        "",
        "unknown error code",
    );
    // A field: clap refuses it as a usage error.
    let o = run([
        OsStr::new("render"),
        OsStr::new("NoSuchKey"),
        OsStr::new("--resource"),
        bad,
    ]);
    expect(&o, 2, "", "invalid UTF-8");
    // A subcommand.
    expect(&run([bad]), 2, "", "");
    // A file name: cannot be read (exit 1).
    expect(
        &run([OsStr::new("parse"), OsStr::new("/nonexistent/\u{1}")]),
        1,
        "",
        "/nonexistent/",
    );
    expect(
        &run([OsStr::new("parse"), OsStr::from_bytes(b"/nonexistent/\xff")]),
        1,
        "",
        "/nonexistent/",
    );
}

#[test]
fn render_then_parse_round_trips() {
    let o = run([
        "render",
        "NoSuchKey",
        "--resource",
        "/b/<k>",
        "--request-id",
        "ID",
    ]);
    expect(&o, 0, "", "");
    // Without descriptions the message falls back to the code's name.
    let message = if cfg!(feature = "descriptions") {
        "The specified key does not exist."
    } else {
        "NoSuchKey"
    };
    assert_eq!(
        stdout(&o),
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>\
             <Message>{message}</Message><Resource>/b/&lt;k&gt;</Resource>\
             <RequestId>ID</RequestId></Error>\n"
        )
    );
    let p = run_with_stdin(["parse"], &o.stdout);
    expect(&p, 0, "", "");
    let lines: Vec<&str> = std::str::from_utf8(&p.stdout).unwrap().lines().collect();
    assert!(lines.contains(&"code\tNoSuchKey"), "{lines:?}");
    assert!(lines.contains(&"resource\t/b/<k>"), "{lines:?}");
    assert!(lines.contains(&"request-id\tID"), "{lines:?}");
    assert!(lines.contains(&"retry\tnever"), "{lines:?}");
    #[cfg(feature = "descriptions")]
    assert!(
        lines.contains(&"known\tNoSuchKey (404 The specified key does not exist.)"),
        "{lines:?}"
    );
}

#[test]
fn parse_reads_a_file_and_refuses_html() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/data/s3-error-bodies/001.xml"
    );
    let o = run(["parse", file]);
    expect(&o, 0, "code\tBucketAlreadyOwnedByYou\n", "");
    assert!(stdout(&o).contains("request-id\t96380E1CB938DDF7\n"));

    let o = run_with_stdin(["parse"], b"<html><body>502 Bad Gateway</body></html>");
    expect(&o, 1, "", "not an S3 error body");
    assert!(o.stdout.is_empty());
}
