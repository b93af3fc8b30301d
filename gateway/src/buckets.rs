//! The bucket operations: CreateBucket, DeleteBucket, HeadBucket,
//! ListBuckets, GetBucketLocation, and the sub-resources S3 tools probe
//! on a bucket that has none of them configured.

use http::header::{self, HeaderName, HeaderValue};
use http::{Request, Response, StatusCode};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use s3err::ErrorCode;

use crate::State;
use crate::body::Body;
use crate::error::S3Error;
use crate::s3::{Result, ok};
use crate::xml::{self, NS, escape};

const BUCKET_REGION: HeaderName = HeaderName::from_static("x-amz-bucket-region");

/// The largest CreateBucket body read (its configuration is a few
/// hundred bytes).
const MAX_CONFIGURATION: usize = 64 * 1024;

/// S3's home region, where creating a bucket one owns answers 200 and
/// `LocationConstraint` is empty.
const US_EAST_1: &str = "us-east-1";

/// A `200` with an XML body.
pub fn xml_response(body: String) -> Response<Body> {
    let mut r = ok(StatusCode::OK, Body::bytes(body.into_bytes()));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/xml"),
    );
    r
}

fn with_region(state: &State, mut r: Response<Body>) -> Response<Body> {
    if let Ok(v) = HeaderValue::from_str(&state.region) {
        r.headers_mut().insert(BUCKET_REGION, v);
    }
    r
}

/// A request body of at most `max` bytes.
pub async fn read_body(req: Request<Incoming>, max: usize) -> Result<Vec<u8>> {
    let mut body = req.into_body();
    let mut out = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| S3Error::new(ErrorCode::IncompleteBody))?;
        if let Ok(data) = frame.into_data() {
            out.extend_from_slice(&data);
            if out.len() > max {
                return Err(S3Error::with_message(
                    ErrorCode::MalformedXML,
                    format!("The XML body is longer than {max} bytes."),
                ));
            }
        }
    }
    Ok(out)
}

fn malformed() -> S3Error {
    S3Error::new(ErrorCode::MalformedXML)
}

/// The `LocationConstraint` of a `CreateBucketConfiguration` body; `None`
/// for an empty body or element.
fn location_constraint(body: &[u8]) -> Result<Option<String>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let text = std::str::from_utf8(body).map_err(|_| malformed())?;
    let doc = roxmltree::Document::parse(text).map_err(|_| malformed())?;
    let root = doc.root_element();
    if root.tag_name().name() != "CreateBucketConfiguration" {
        return Err(malformed());
    }
    Ok(root
        .children()
        .find(|n| n.is_element() && n.tag_name().name() == "LocationConstraint")
        .and_then(|n| n.text())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned))
}

/// CreateBucket. The bucket is made in the gateway's region: a
/// `LocationConstraint` naming another (or none, outside `us-east-1`) is
/// refused as S3 refuses it at a regional endpoint, with
/// `IllegalLocationConstraintException`; `us-east-1` named in `us-east-1`
/// is S3's `InvalidLocationConstraint`.
pub async fn create(state: &State, bucket: &str, req: Request<Incoming>) -> Result<Response<Body>> {
    let body = read_body(req, MAX_CONFIGURATION).await?;
    let constraint = location_constraint(&body)?;
    let home = state.region == US_EAST_1;
    match constraint.as_deref() {
        None if home => {}
        Some(c) if c == state.region && !home => {}
        Some(c) if c == US_EAST_1 && home => {
            return Err(S3Error::with_message(
                ErrorCode::InvalidLocationConstraint,
                "The specified location-constraint is not valid".into(),
            ));
        }
        other => {
            return Err(S3Error::with_message(
                ErrorCode::IllegalLocationConstraintException,
                format!(
                    "The {} location constraint is incompatible for the region specific endpoint this request was sent to.",
                    other.unwrap_or("unspecified")
                ),
            ));
        }
    }
    let created = state.store.create_bucket(bucket).await?;
    if !created && !home {
        return Err(S3Error::new(ErrorCode::BucketAlreadyOwnedByYou));
    }
    let mut r = ok(StatusCode::OK, Body::empty());
    if let Ok(v) = HeaderValue::from_str(&format!("/{bucket}")) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(with_region(state, r))
}

/// DeleteBucket: `204`, or `BucketNotEmpty`.
pub async fn delete(state: &State, bucket: &str) -> Result<Response<Body>> {
    state.store.delete_bucket(bucket).await?;
    Ok(ok(StatusCode::NO_CONTENT, Body::empty()))
}

/// HeadBucket: `200` with `x-amz-bucket-region`.
pub async fn head(state: &State, bucket: &str) -> Result<Response<Body>> {
    state.store.head_bucket(bucket).await?;
    Ok(with_region(state, ok(StatusCode::OK, Body::empty())))
}

/// ListBuckets: every bucket with its creation date, by name.
pub async fn list(state: &State) -> Result<Response<Body>> {
    let buckets = state.store.list_buckets().await?;
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListAllMyBucketsResult xmlns=\"{NS}\">{}<Buckets>",
        xml::owner()
    );
    for (name, created) in buckets {
        out.push_str(&format!(
            "<Bucket><Name>{}</Name><CreationDate>{}</CreationDate><BucketRegion>{}</BucketRegion></Bucket>",
            escape(&name),
            xml::timestamp(created),
            escape(&state.region)
        ));
    }
    out.push_str("</Buckets></ListAllMyBucketsResult>");
    Ok(xml_response(out))
}

/// GetBucketLocation: the region, empty for `us-east-1` (as S3).
pub async fn location(state: &State, bucket: &str) -> Result<Response<Body>> {
    state.store.head_bucket(bucket).await?;
    let region = if state.region == US_EAST_1 {
        ""
    } else {
        &state.region
    };
    Ok(xml_response(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"{NS}\">{}</LocationConstraint>",
        escape(region)
    )))
}

/// The ACL every bucket and object has: its owner has full control.
pub fn owner_acl() -> Response<Body> {
    xml_response(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<AccessControlPolicy xmlns=\"{NS}\">{}<AccessControlList><Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>{id}</ID><DisplayName>{id}</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>",
        xml::owner(),
        id = xml::OWNER_ID
    ))
}

/// The bucket sub-resources answered for a bucket that has none
/// configured (the bucket must exist): `None` for an operation not
/// answered here.
pub async fn probe(state: &State, bucket: &str, op: &str) -> Option<Result<Response<Body>>> {
    let missing = match op {
        "GetBucketPolicy" => Some(ErrorCode::NoSuchBucketPolicy),
        "GetBucketCors" => Some(ErrorCode::NoSuchCORSConfiguration),
        "GetBucketLifecycleConfiguration" => Some(ErrorCode::NoSuchLifecycleConfiguration),
        "GetBucketWebsite" => Some(ErrorCode::NoSuchWebsiteConfiguration),
        "GetBucketAcl" | "GetBucketVersioning" => None,
        _ => return None,
    };
    if let Err(e) = state.store.head_bucket(bucket).await {
        return Some(Err(e));
    }
    Some(match (missing, op) {
        (Some(code), _) => Err(S3Error::new(code)),
        (None, "GetBucketAcl") => Ok(owner_acl()),
        // Versioning never enabled: an empty configuration, as S3.
        _ => Ok(xml_response(format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<VersioningConfiguration xmlns=\"{NS}\"/>"
        ))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_constraints() {
        let lc = |b: &str| location_constraint(b.as_bytes()).map_err(|e| e.code);
        assert_eq!(lc(""), Ok(None));
        assert_eq!(lc(" \n"), Ok(None));
        assert_eq!(
            lc(
                "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>"
            ),
            Ok(Some("eu-west-1".into()))
        );
        assert_eq!(
            lc("<CreateBucketConfiguration><LocationConstraint/></CreateBucketConfiguration>"),
            Ok(None)
        );
        assert_eq!(lc("<Other/>"), Err(ErrorCode::MalformedXML));
        assert_eq!(
            lc("<CreateBucketConfiguration>"),
            Err(ErrorCode::MalformedXML)
        );
    }
}
