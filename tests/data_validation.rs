//! build.rs's validation of `data/errors.tsv`: each kind of bad row is a
//! build error that names the line. Runs the very code build.rs runs.

#[path = "../build/data.rs"]
#[allow(dead_code)]
mod data;

fn err(text: &str) -> String {
    match data::parse(text) {
        Ok(rows) => panic!("accepted {} rows of bad data", rows.len()),
        Err(e) => e,
    }
}

#[test]
fn the_shipped_file_is_valid() {
    let rows = data::parse(include_str!("../data/errors.tsv")).expect("valid");
    assert_eq!(rows.len(), 117);
}

#[test]
fn duplicate_name_is_refused_with_its_line() {
    let e = err("# header\nA\t400\ts3\tx\nB\t400\ts3\ty\nA\t404\ts3\tz\n");
    assert!(
        e.contains(":4:") && e.contains("duplicate") && e.contains('A'),
        "{e}"
    );
}

#[test]
fn status_outside_100_599_is_refused() {
    for bad in ["99", "600", "0", "-1", "4O4", "65536", ""] {
        let e = err(&format!("A\t{bad}\ts3\tx\n"));
        assert!(e.contains(":1:"), "{bad}: {e}");
    }
    assert!(data::parse("A\t100\ts3\tx\nB\t599\ts3\ty\n").is_ok());
}

#[test]
fn unknown_group_is_refused() {
    let e = err("A\t400\ts4\tx\n");
    assert!(e.contains(":1:") && e.contains("s4"), "{e}");
}

#[test]
fn empty_or_missing_fields_are_refused() {
    for bad in [
        "A\t400\ts3\t",
        "\t400\ts3\tx",
        "A\t400\ts3",
        "A\t400\ts3\tx\textra",
        "A \t400\ts3\tx",
    ] {
        let e = err(&format!("Z\t400\ts3\tok\n{bad}\n"));
        assert!(e.contains(":2:"), "{bad:?}: {e}");
    }
}

#[test]
fn names_must_be_ascii_identifiers() {
    for bad in ["No Such", "Nö", "a-b", "A\"B"] {
        let e = err(&format!("{bad}\t400\ts3\tx\n"));
        assert!(e.contains(":1:"), "{bad:?}: {e}");
    }
}
