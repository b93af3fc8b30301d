//! ListObjectsV2 and ListObjects (V1): their parameters, checked as S3
//! checks them, and their XML. The walk is the storage layer's.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http::Response;
use s3err::ErrorCode;

use crate::State;
use crate::body::Body;
use crate::buckets::xml_response;
use crate::error::S3Error;
use crate::s3::Result;
use crate::storage::{ListQuery, Listing};
use crate::xml::{self, NS, escape};

/// S3's largest page.
const MAX_KEYS: usize = 1000;

/// What marks the gateway's continuation tokens.
const TOKEN_TAG: &[u8] = b"s3err-gateway:";

/// Which of the two.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// ListObjects.
    V1,
    /// ListObjectsV2.
    V2,
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn invalid(message: &str) -> S3Error {
    S3Error::with_message(ErrorCode::InvalidArgument, message.into())
}

/// `max-keys`: an integer from 0; more than 1,000 gives 1,000.
fn max_keys(v: Option<&str>) -> Result<usize> {
    let Some(v) = v else { return Ok(MAX_KEYS) };
    let n: i64 = v
        .parse()
        .map_err(|_| invalid("Provided max-keys not an integer or within integer range"))?;
    if n < 0 || n > i64::from(i32::MAX) {
        return Err(invalid(
            "Argument maxKeys must be an integer between 0 and 2147483647",
        ));
    }
    Ok((n as usize).min(MAX_KEYS))
}

/// The continuation token of the page ending at `last`.
fn token(last: &str) -> String {
    let mut t = TOKEN_TAG.to_vec();
    t.extend_from_slice(last.as_bytes());
    STANDARD.encode(t)
}

/// The key a continuation token resumes after.
fn read_token(t: &str) -> Result<String> {
    let incorrect = || invalid("The continuation token provided is incorrect");
    let raw = STANDARD.decode(t).map_err(|_| incorrect())?;
    let key = raw.strip_prefix(TOKEN_TAG).ok_or_else(incorrect)?;
    String::from_utf8(key.to_vec()).map_err(|_| incorrect())
}

/// A key or prefix in the answer: percent-encoded (every byte but
/// `A-Z a-z 0-9 - _ . ~`) under `encoding-type=url`, then XML-escaped.
pub fn name(s: &str, url: bool) -> String {
    if !url {
        return escape(s);
    }
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// ListObjects (V1) or ListObjectsV2 of `bucket`.
pub async fn list(
    state: &State,
    bucket: &str,
    params: &[(String, String)],
    version: Version,
) -> Result<Response<Body>> {
    let max = max_keys(param(params, "max-keys"))?;
    let url = match param(params, "encoding-type") {
        None => false,
        Some(v) if v.eq_ignore_ascii_case("url") => true,
        Some(_) => return Err(invalid("Invalid Encoding Method specified in Request")),
    };
    let prefix = param(params, "prefix").unwrap_or("");
    let delimiter = param(params, "delimiter").unwrap_or("");
    let (after, owner) = match version {
        Version::V1 => (param(params, "marker").map(str::to_owned), true),
        Version::V2 => {
            let after = match param(params, "continuation-token") {
                Some(t) => Some(read_token(t)?),
                None => param(params, "start-after").map(str::to_owned),
            };
            (after, param(params, "fetch-owner") == Some("true"))
        }
    };
    let q = ListQuery {
        prefix: prefix.to_owned(),
        delimiter: delimiter.to_owned(),
        after: after.filter(|a| !a.is_empty()),
        max,
    };
    let page = state.store.list(bucket, q).await?;
    Ok(xml_response(render(
        bucket, params, version, max, url, owner, &page,
    )))
}

fn render(
    bucket: &str,
    params: &[(String, String)],
    version: Version,
    max: usize,
    url: bool,
    owner: bool,
    page: &Listing,
) -> String {
    let mut x = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"{NS}\"><Name>{}</Name><Prefix>{}</Prefix>",
        escape(bucket),
        name(param(params, "prefix").unwrap_or(""), url)
    );
    match version {
        Version::V1 => {
            x.push_str(&format!(
                "<Marker>{}</Marker>",
                name(param(params, "marker").unwrap_or(""), url)
            ));
            // S3 gives NextMarker only with a delimiter (without one, the
            // last key is the marker).
            if page.truncated
                && param(params, "delimiter").is_some_and(|d| !d.is_empty())
                && let Some(last) = &page.last
            {
                x.push_str(&format!("<NextMarker>{}</NextMarker>", name(last, url)));
            }
        }
        Version::V2 => {
            if let Some(t) = param(params, "continuation-token") {
                x.push_str(&format!(
                    "<ContinuationToken>{}</ContinuationToken>",
                    escape(t)
                ));
            }
            if let Some(s) = param(params, "start-after") {
                x.push_str(&format!("<StartAfter>{}</StartAfter>", name(s, url)));
            }
            x.push_str(&format!(
                "<KeyCount>{}</KeyCount>",
                page.objects.len() + page.prefixes.len()
            ));
            if page.truncated
                && let Some(last) = &page.last
            {
                x.push_str(&format!(
                    "<NextContinuationToken>{}</NextContinuationToken>",
                    token(last)
                ));
            }
        }
    }
    x.push_str(&format!("<MaxKeys>{max}</MaxKeys>"));
    if let Some(d) = param(params, "delimiter").filter(|d| !d.is_empty()) {
        x.push_str(&format!("<Delimiter>{}</Delimiter>", name(d, url)));
    }
    if url {
        x.push_str("<EncodingType>url</EncodingType>");
    }
    x.push_str(&format!("<IsTruncated>{}</IsTruncated>", page.truncated));
    for (key, meta) in &page.objects {
        x.push_str(&format!(
            "<Contents><Key>{}</Key><LastModified>{}</LastModified><ETag>{}</ETag><Size>{}</Size>{}<StorageClass>STANDARD</StorageClass></Contents>",
            name(key, url),
            xml::timestamp(meta.last_modified),
            escape(&meta.etag),
            meta.identity.size,
            if owner { xml::owner() } else { String::new() }
        ));
    }
    for p in &page.prefixes {
        x.push_str(&format!(
            "<CommonPrefixes><Prefix>{}</Prefix></CommonPrefixes>",
            name(p, url)
        ));
    }
    x.push_str("</ListBucketResult>");
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters() {
        assert_eq!(max_keys(None).unwrap(), 1000);
        assert_eq!(max_keys(Some("0")).unwrap(), 0);
        assert_eq!(max_keys(Some("5000")).unwrap(), 1000);
        for bad in ["-1", "x", "", "1.5", "99999999999"] {
            assert_eq!(
                max_keys(Some(bad)).unwrap_err().code,
                ErrorCode::InvalidArgument
            );
        }
        assert_eq!(read_token(&token("a/b é")).unwrap(), "a/b é");
        for bad in ["", "!!", "YWJj"] {
            assert_eq!(
                read_token(bad).unwrap_err().code,
                ErrorCode::InvalidArgument
            );
        }
        assert_eq!(name("a b+c/é&", true), "a%20b%2Bc%2F%C3%A9%26");
        assert_eq!(name("a b+c/é&", false), "a b+c/é&amp;");
    }
}
