//! ListObjectsV2 and ListObjects against a model: the keys sorted as
//! bytes, filtered by prefix and rolled up at the delimiter by the few
//! lines of `model` below, and hand-written answers. Each test drives
//! the real binary over a socket.

mod common;

use common::{Gateway, Resp};

fn expect(r: &Resp, status: u16, code: &str) {
    assert_eq!(r.status, status, "{r:?}");
    assert_eq!(r.code(), code, "{r:?}");
}

fn blocks<'a>(body: &'a str, name: &str) -> Vec<&'a str> {
    body.split(&format!("<{name}>"))
        .skip(1)
        .filter_map(|r| r.split(&format!("</{name}>")).next())
        .collect()
}

fn one<'a>(body: &'a str, name: &str) -> Option<&'a str> {
    blocks(body, name).into_iter().next()
}

/// Percent-decoding (the answers are asked with `encoding-type=url`).
fn unpercent(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

fn percent(k: &str) -> String {
    k.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// An item of a listing: a key, or a common prefix (`true`).
type Item = (bool, String);

/// The expected listing: keys after `after` starting with `prefix`, in
/// byte order, each rolled up to its common prefix if the rest holds the
/// delimiter, consecutive repeats merged, a common prefix equal to `after`
/// left out.
fn model(keys: &[String], prefix: &str, delimiter: &str, after: Option<&str>) -> Vec<Item> {
    let mut sorted: Vec<&String> = keys.iter().collect();
    sorted.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    let mut out: Vec<Item> = Vec::new();
    for k in sorted {
        if !k.starts_with(prefix) || after.is_some_and(|a| k.as_str() <= a) {
            continue;
        }
        let rest = &k[prefix.len()..];
        let item = match rest.find(delimiter).filter(|_| !delimiter.is_empty()) {
            Some(i) => (true, k[..prefix.len() + i + delimiter.len()].to_string()),
            None => (false, k.clone()),
        };
        if out.last() == Some(&item) || (item.0 && Some(item.1.as_str()) == after) {
            continue;
        }
        out.push(item);
    }
    out
}

/// One page: its items in order, whether truncated, and the body.
fn page(gw: &Gateway, query: &str) -> (Vec<Item>, bool, String) {
    let r = gw.send(
        "GET",
        &format!("/bucket?encoding-type=url&{query}"),
        &[],
        b"",
    );
    assert_eq!(r.status, 200, "{query}: {r:?}");
    let body = String::from_utf8(r.body).unwrap();
    let mut items = Vec::new();
    for c in blocks(&body, "Contents") {
        items.push((false, unpercent(one(c, "Key").unwrap())));
    }
    for c in blocks(&body, "CommonPrefixes") {
        items.push((true, unpercent(one(c, "Prefix").unwrap())));
    }
    // Keys and common prefixes come in separate lists; in byte order they
    // interleave.
    items.sort_by(|a, b| a.1.as_bytes().cmp(b.1.as_bytes()));
    let truncated = match one(&body, "IsTruncated") {
        Some("true") => true,
        Some("false") => false,
        other => panic!("IsTruncated {other:?}: {body}"),
    };
    (items, truncated, body)
}

/// All pages with V2's continuation tokens.
fn all_v2(gw: &Gateway, base: &str, max: usize) -> Vec<Item> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..1000 {
        let mut q = format!("list-type=2&max-keys={max}&{base}");
        if let Some(t) = &token {
            q.push_str(&format!("&continuation-token={}", percent(t)));
        }
        let (items, truncated, body) = page(gw, &q);
        assert!(items.len() <= max, "{q}: {body}");
        assert_eq!(
            one(&body, "KeyCount"),
            Some(items.len().to_string().as_str())
        );
        out.extend(items);
        if !truncated {
            assert_eq!(one(&body, "NextContinuationToken"), None);
            return out;
        }
        assert_eq!(out.len() % max, 0, "{q}: a truncated page is full");
        token = Some(one(&body, "NextContinuationToken").unwrap().to_string());
    }
    panic!("no end")
}

/// All pages with V1's markers (NextMarker, else the last key).
fn all_v1(gw: &Gateway, base: &str, max: usize) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    let mut marker: Option<String> = None;
    for _ in 0..1000 {
        let mut q = format!("max-keys={max}&{base}");
        if let Some(m) = &marker {
            q.push_str(&format!("&marker={}", percent(m)));
        }
        let (items, truncated, body) = page(gw, &q);
        out.extend(items);
        if !truncated {
            return out;
        }
        marker = Some(match one(&body, "NextMarker") {
            Some(m) => unpercent(m),
            None => out.last().unwrap().1.clone(),
        });
    }
    panic!("no end")
}

fn keys() -> Vec<String> {
    let long = "L".repeat(200);
    [
        "a",
        "a/",
        "a/b",
        "a//b",
        "a/b/c",
        "a!",
        "a0",
        "a.",
        "/",
        "//x",
        "b c",
        "b+c",
        "100%",
        "caf\u{e9}",
        "cafe",
        "\u{10348}",
        "\u{ff}",
        "p/q/r",
        "p/q-s",
        "p/q/t/u",
        "p/q-",
        "p-q",
        "z",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([
        long.clone(),
        format!("{long}/x"),
        format!("{long}!"),
        format!("p/{long}"),
        format!("p/{long}/y"),
    ])
    .collect()
}

#[test]
fn listings_match_the_model_page_by_page() {
    let gw = Gateway::start(&[]);
    let keys = keys();
    for k in &keys {
        let r = gw.put(&percent(k).replace("%2F", "/"), b"x", &[]);
        assert_eq!(r.status, 200, "{k:?}: {r:?}");
    }
    let prefixes = [
        "",
        "a",
        "a/",
        "p/",
        "p/q",
        "p/q/",
        "L",
        "caf",
        "nothing",
        "\u{10348}",
    ];
    let delimiters = ["", "/", "-", "q/"];
    for prefix in prefixes {
        for delimiter in delimiters {
            let want = model(&keys, prefix, delimiter, None);
            let base = format!(
                "prefix={}&delimiter={}",
                percent(prefix),
                percent(delimiter)
            );
            for max in [1, 2, 3, 1000] {
                assert_eq!(all_v2(&gw, &base, max), want, "V2 {base} max {max}");
                assert_eq!(all_v1(&gw, &base, max), want, "V1 {base} max {max}");
            }
        }
    }
    // start-after: every key and every common prefix as the start.
    for delimiter in ["", "/"] {
        let mut starts: Vec<String> = keys.clone();
        starts.extend(["a/".into(), "p/".into(), "0".into(), "zz".into()]);
        for s in &starts {
            let want = model(&keys, "", delimiter, Some(s));
            let base = format!(
                "delimiter={}&start-after={}",
                percent(delimiter),
                percent(s)
            );
            assert_eq!(all_v2(&gw, &base, 1000), want, "{base}");
            assert_eq!(all_v2(&gw, &base, 2), want, "{base}");
        }
    }
}

/// Hand-written answers, read without the model.
#[test]
fn hand_written_answers() {
    let gw = Gateway::start(&[]);
    for k in [
        "photos/2024/a.jpg",
        "photos/2024/b.jpg",
        "photos/2025/c.jpg",
        "photos/index",
        "readme",
        "a b",
    ] {
        assert_eq!(gw.put(&k.replace(' ', "%20"), b"hello", &[]).status, 200);
    }
    let (items, truncated, body) = page(&gw, "list-type=2&prefix=photos/&delimiter=/");
    assert!(!truncated);
    assert_eq!(
        items,
        [
            (true, "photos/2024/".to_string()),
            (true, "photos/2025/".to_string()),
            (false, "photos/index".to_string())
        ]
    );
    // MD5 of "hello", computed apart; 5 bytes.
    assert_eq!(
        one(&body, "ETag"),
        Some("&quot;5d41402abc4b2a76b9719d911017c592&quot;")
    );
    assert_eq!(one(&body, "Size"), Some("5"));
    assert_eq!(one(&body, "StorageClass"), Some("STANDARD"));
    assert_eq!(one(&body, "Delimiter"), Some("%2F"));
    assert_eq!(one(&body, "Prefix"), Some("photos%2F"));
    assert!(
        one(&body, "LastModified").unwrap().ends_with(".000Z"),
        "{body}"
    );
    assert_eq!(one(&body, "Owner"), None, "no fetch-owner: {body}");
    let (_, _, body) = page(&gw, "list-type=2&fetch-owner=true&prefix=readme");
    assert_eq!(blocks(&body, "ID"), ["s3err-gateway"], "{body}");
    // Without encoding-type, keys are as they are (XML-escaped).
    let r = gw.send("GET", "/bucket?list-type=2&prefix=a%20", &[], b"");
    let body = String::from_utf8(r.body).unwrap();
    assert_eq!(blocks(&body, "Key"), ["a b"], "{body}");
    assert_eq!(one(&body, "EncodingType"), None);
    // V1 with a delimiter: NextMarker, and the owner always.
    let (items, truncated, body) = page(&gw, "delimiter=/&max-keys=2");
    assert!(truncated);
    assert_eq!(
        items,
        [(false, "a b".to_string()), (true, "photos/".to_string())]
    );
    assert_eq!(one(&body, "NextMarker"), Some("photos%2F"));
    assert_eq!(blocks(&body, "ID"), ["s3err-gateway"], "{body}");
    let (items, truncated, _) = page(&gw, "delimiter=/&max-keys=2&marker=photos/");
    assert!(!truncated);
    assert_eq!(items, [(false, "readme".to_string())]);
    // max-keys: 0 lists nothing; more than 1,000 is 1,000.
    let (items, truncated, body) = page(&gw, "list-type=2&max-keys=0");
    assert_eq!((items.len(), truncated), (0, false), "{body}");
    let (_, _, body) = page(&gw, "list-type=2&max-keys=5000");
    assert_eq!(one(&body, "MaxKeys"), Some("1000"));
}

#[test]
fn listing_errors() {
    let gw = Gateway::start(&[]);
    for q in [
        "list-type=2&max-keys=-1",
        "list-type=2&max-keys=abc",
        "max-keys=1.5",
        "list-type=2&continuation-token=garbage",
        "list-type=2&continuation-token=YWJj",
        "list-type=2&encoding-type=base64",
    ] {
        expect(
            &gw.send("GET", &format!("/bucket?{q}"), &[], b""),
            400,
            "InvalidArgument",
        );
    }
    expect(
        &gw.send("GET", "/missing?list-type=2", &[], b""),
        404,
        "NoSuchBucket",
    );
    expect(&gw.send("GET", "/missing", &[], b""), 404, "NoSuchBucket");
    expect(
        &gw.send("GET", "/bucket?list-type=2&foo=1", &[], b""),
        501,
        "NotImplemented",
    );
}

/// Files of the layout made by another program are listed as the keys
/// they encode; names outside it, symbolic links and the gateway's own
/// files are not.
#[test]
fn foreign_files_in_the_layout() {
    let gw = Gateway::start(&[]);
    let b = gw.bucket();
    std::fs::create_dir_all(b.join("ddir")).unwrap();
    std::fs::write(b.join("ddir/ofile"), b"hello").unwrap();
    std::fs::write(b.join("stray"), b"x").unwrap();
    std::os::unix::fs::symlink("/etc/passwd", b.join("olink")).unwrap();
    assert_eq!(gw.put("k", b"v", &[]).status, 200);
    let (items, _, body) = page(&gw, "list-type=2");
    assert_eq!(
        items,
        [(false, "dir/file".to_string()), (false, "k".to_string())]
    );
    assert_eq!(
        one(&body, "ETag"),
        Some("&quot;5d41402abc4b2a76b9719d911017c592&quot;")
    );
}
