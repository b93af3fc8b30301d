//! DeleteObjects: up to 1,000 keys in one request, each deleted as
//! DeleteObject deletes it, with a result per key.

use http::{HeaderMap, Request, Response};
use hyper::body::Incoming;
use md5::{Digest, Md5};
use s3err::ErrorCode;

use crate::State;
use crate::body::Body;
use crate::buckets::{read_body, xml_response};
use crate::checksum::{Checksums, decode_digest};
use crate::error::{self, S3Error};
use crate::s3::Result;
use crate::xml::{NS, escape};

/// S3's limit of keys per request.
const MAX_KEYS: usize = 1000;

/// The largest body read: 1,000 keys of 1,024 bytes, escaped, and the
/// markup.
const MAX_BODY: usize = 8 * 1024 * 1024;

/// The keys of a `<Delete>` document and whether it is quiet.
fn parse(body: &[u8]) -> Result<(Vec<String>, bool)> {
    let malformed = || S3Error::new(ErrorCode::MalformedXML);
    let text = std::str::from_utf8(body).map_err(|_| malformed())?;
    let doc = roxmltree::Document::parse(text).map_err(|_| malformed())?;
    let root = doc.root_element();
    if root.tag_name().name() != "Delete" {
        return Err(malformed());
    }
    let mut keys = Vec::new();
    let mut quiet = false;
    for n in root.children().filter(|n| n.is_element()) {
        match n.tag_name().name() {
            "Quiet" => {
                quiet = match n.text().map(str::trim) {
                    Some("true") => true,
                    Some("false") | None => false,
                    Some(_) => return Err(malformed()),
                }
            }
            "Object" => {
                let key = n
                    .children()
                    .find(|c| c.is_element() && c.tag_name().name() == "Key")
                    .ok_or_else(malformed)?;
                keys.push(key.text().unwrap_or("").to_owned());
            }
            _ => {}
        }
    }
    if keys.is_empty() || keys.len() > MAX_KEYS {
        return Err(malformed());
    }
    Ok((keys, quiet))
}

/// S3 requires a digest of the body: `Content-MD5` or a flexible
/// checksum; either is checked.
fn check_digest(headers: &HeaderMap, body: &[u8]) -> Result<()> {
    let md5 = headers.get("content-md5");
    let checksums = Checksums::from_headers(headers)?;
    let announced = headers
        .keys()
        .any(|n| n.as_str().starts_with("x-amz-checksum-"));
    if md5.is_none() && !announced {
        return Err(S3Error::with_message(
            ErrorCode::InvalidRequest,
            "Missing required header for this request: Content-MD5 or x-amz-checksum-*".into(),
        ));
    }
    if let Some(v) = md5 {
        let want = decode_digest(
            v.as_bytes(),
            16,
            "content-md5 header",
            ErrorCode::InvalidDigest,
        )?;
        if want[..] != Md5::digest(body)[..] {
            return Err(S3Error::new(ErrorCode::BadDigest));
        }
    }
    let mut checksums = checksums;
    checksums.update(body);
    checksums.verify()?;
    Ok(())
}

/// DeleteObjects of `bucket`.
pub async fn delete_objects(
    state: &State,
    bucket: &str,
    req: Request<Incoming>,
) -> Result<Response<Body>> {
    state.store.head_bucket(bucket).await?;
    let headers = req.headers().clone();
    let body = read_body(req, MAX_BODY).await?;
    check_digest(&headers, &body)?;
    let (keys, quiet) = parse(&body)?;
    let mut out =
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DeleteResult xmlns=\"{NS}\">");
    for key in keys {
        let result = if key.is_empty() || key.len() > 1024 {
            Err(S3Error::with_message(
                ErrorCode::InvalidArgument,
                "A key is 1 to 1,024 bytes.".into(),
            ))
        } else {
            state.store.delete(bucket, &key).await
        };
        match result {
            Ok(()) if quiet => {}
            Ok(()) => out.push_str(&format!("<Deleted><Key>{}</Key></Deleted>", escape(&key))),
            Err(e) if e.code == ErrorCode::NoSuchBucket => return Err(e),
            Err(e) => out.push_str(&format!(
                "<Error><Key>{}</Key><Code>{}</Code><Message>{}</Message></Error>",
                escape(&key),
                error::code_name(e.code),
                escape(&error::message(&e))
            )),
        }
    }
    out.push_str("</DeleteResult>");
    Ok(xml_response(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents() {
        let p = |s: &str| parse(s.as_bytes()).map_err(|e| e.code);
        assert_eq!(
            p(
                "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Object><Key>a</Key></Object><Object><Key>b&amp;c</Key><VersionId>x</VersionId></Object><Quiet>true</Quiet></Delete>"
            ),
            Ok((vec!["a".to_string(), "b&c".to_string()], true))
        );
        assert_eq!(p("<Delete></Delete>"), Err(ErrorCode::MalformedXML));
        assert_eq!(
            p("<Delete><Object/></Delete>"),
            Err(ErrorCode::MalformedXML)
        );
        assert_eq!(p("<Other/>"), Err(ErrorCode::MalformedXML));
        assert_eq!(
            p("<Delete><Quiet>maybe</Quiet><Object><Key>a</Key></Object></Delete>"),
            Err(ErrorCode::MalformedXML)
        );
        let many = format!(
            "<Delete>{}</Delete>",
            "<Object><Key>k</Key></Object>".repeat(1001)
        );
        assert_eq!(p(&many), Err(ErrorCode::MalformedXML));
    }
}
