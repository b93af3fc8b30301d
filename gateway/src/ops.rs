//! Which S3 operation a request is: the method, whether it names a
//! bucket and a key, and its sub-resource query parameter (`?acl`,
//! `?uploads`, …) decide, as in S3's REST API. Routing answers the
//! implemented ones and refuses the others naming the operation.

use http::{HeaderMap, Method};

/// One sub-resource: its query parameter and the operation of each
/// method on it (`""`: none).
struct Sub {
    param: &'static str,
    get: &'static str,
    put: &'static str,
    delete: &'static str,
    post: &'static str,
}

const fn sub(
    param: &'static str,
    get: &'static str,
    put: &'static str,
    delete: &'static str,
    post: &'static str,
) -> Sub {
    Sub {
        param,
        get,
        put,
        delete,
        post,
    }
}

/// The sub-resources of a bucket (`/{bucket}?param`).
const BUCKET: &[Sub] = &[
    sub(
        "accelerate",
        "GetBucketAccelerateConfiguration",
        "PutBucketAccelerateConfiguration",
        "",
        "",
    ),
    sub("acl", "GetBucketAcl", "PutBucketAcl", "", ""),
    sub(
        "analytics",
        "GetBucketAnalyticsConfiguration",
        "PutBucketAnalyticsConfiguration",
        "DeleteBucketAnalyticsConfiguration",
        "",
    ),
    sub(
        "cors",
        "GetBucketCors",
        "PutBucketCors",
        "DeleteBucketCors",
        "",
    ),
    sub("delete", "", "", "", "DeleteObjects"),
    sub(
        "encryption",
        "GetBucketEncryption",
        "PutBucketEncryption",
        "DeleteBucketEncryption",
        "",
    ),
    sub(
        "intelligent-tiering",
        "GetBucketIntelligentTieringConfiguration",
        "PutBucketIntelligentTieringConfiguration",
        "DeleteBucketIntelligentTieringConfiguration",
        "",
    ),
    sub(
        "inventory",
        "GetBucketInventoryConfiguration",
        "PutBucketInventoryConfiguration",
        "DeleteBucketInventoryConfiguration",
        "",
    ),
    sub(
        "lifecycle",
        "GetBucketLifecycleConfiguration",
        "PutBucketLifecycleConfiguration",
        "DeleteBucketLifecycle",
        "",
    ),
    sub("location", "GetBucketLocation", "", "", ""),
    sub("logging", "GetBucketLogging", "PutBucketLogging", "", ""),
    sub(
        "metrics",
        "GetBucketMetricsConfiguration",
        "PutBucketMetricsConfiguration",
        "DeleteBucketMetricsConfiguration",
        "",
    ),
    sub(
        "notification",
        "GetBucketNotificationConfiguration",
        "PutBucketNotificationConfiguration",
        "",
        "",
    ),
    sub(
        "object-lock",
        "GetObjectLockConfiguration",
        "PutObjectLockConfiguration",
        "",
        "",
    ),
    sub(
        "ownershipControls",
        "GetBucketOwnershipControls",
        "PutBucketOwnershipControls",
        "DeleteBucketOwnershipControls",
        "",
    ),
    sub(
        "policy",
        "GetBucketPolicy",
        "PutBucketPolicy",
        "DeleteBucketPolicy",
        "",
    ),
    sub("policyStatus", "GetBucketPolicyStatus", "", "", ""),
    sub(
        "publicAccessBlock",
        "GetPublicAccessBlock",
        "PutPublicAccessBlock",
        "DeletePublicAccessBlock",
        "",
    ),
    sub(
        "replication",
        "GetBucketReplication",
        "PutBucketReplication",
        "DeleteBucketReplication",
        "",
    ),
    sub(
        "requestPayment",
        "GetBucketRequestPayment",
        "PutBucketRequestPayment",
        "",
        "",
    ),
    sub(
        "tagging",
        "GetBucketTagging",
        "PutBucketTagging",
        "DeleteBucketTagging",
        "",
    ),
    sub("uploads", "ListMultipartUploads", "", "", ""),
    sub(
        "versioning",
        "GetBucketVersioning",
        "PutBucketVersioning",
        "",
        "",
    ),
    sub("versions", "ListObjectVersions", "", "", ""),
    sub(
        "website",
        "GetBucketWebsite",
        "PutBucketWebsite",
        "DeleteBucketWebsite",
        "",
    ),
];

/// The sub-resources of an object (`/{bucket}/{key}?param`).
const OBJECT: &[Sub] = &[
    sub("acl", "GetObjectAcl", "PutObjectAcl", "", ""),
    sub("attributes", "GetObjectAttributes", "", "", ""),
    sub(
        "legal-hold",
        "GetObjectLegalHold",
        "PutObjectLegalHold",
        "",
        "",
    ),
    sub("restore", "", "", "", "RestoreObject"),
    sub(
        "retention",
        "GetObjectRetention",
        "PutObjectRetention",
        "",
        "",
    ),
    sub("select", "", "", "", "SelectObjectContent"),
    sub(
        "tagging",
        "GetObjectTagging",
        "PutObjectTagging",
        "DeleteObjectTagging",
        "",
    ),
    sub("torrent", "GetObjectTorrent", "", "", ""),
    sub(
        "uploadId",
        "ListParts",
        "UploadPart",
        "AbortMultipartUpload",
        "CompleteMultipartUpload",
    ),
    sub("uploads", "", "", "", "CreateMultipartUpload"),
];

/// What a request is.
#[derive(Debug, PartialEq, Eq)]
pub enum Operation {
    /// An S3 operation, by its API name.
    Named(&'static str),
    /// No S3 operation has this method on this resource (e.g. `PATCH`,
    /// or `PUT /{bucket}?location`): what it is, for the message.
    Unknown(String),
}

/// The query parameter that makes `name` a sub-resource request, if any.
pub fn is_sub_resource(name: &str) -> bool {
    BUCKET.iter().chain(OBJECT).any(|s| s.param == name)
}

/// The operation of a request: `bucket` and `key` say whether the path
/// names them; `params` are the decoded query parameter names.
pub fn operation(
    method: &Method,
    bucket: bool,
    key: bool,
    params: &[(String, String)],
    headers: &HeaderMap,
) -> Operation {
    let copy = headers.contains_key("x-amz-copy-source");
    let on = if key {
        "an object"
    } else if bucket {
        "a bucket"
    } else {
        "the service"
    };
    if !bucket {
        return match *method {
            Method::GET => Operation::Named("ListBuckets"),
            _ => Operation::Unknown(format!("{method} on the service")),
        };
    }
    let table = if key { OBJECT } else { BUCKET };
    if let Some(s) = table
        .iter()
        .find(|s| params.iter().any(|(n, _)| n == s.param))
    {
        let name = match *method {
            Method::GET | Method::HEAD => s.get,
            Method::PUT if s.param == "uploadId" && copy => "UploadPartCopy",
            Method::PUT => s.put,
            Method::DELETE => s.delete,
            Method::POST => s.post,
            _ => "",
        };
        return if name.is_empty() {
            Operation::Unknown(format!("{method} ?{} on {on}", s.param))
        } else {
            Operation::Named(name)
        };
    }
    let name = match (method, key) {
        (&Method::GET, false) => {
            if params.iter().any(|(n, v)| n == "list-type" && v == "2") {
                "ListObjectsV2"
            } else {
                "ListObjects"
            }
        }
        (&Method::HEAD, false) => "HeadBucket",
        (&Method::PUT, false) => "CreateBucket",
        (&Method::DELETE, false) => "DeleteBucket",
        (&Method::POST, false) => "PostObject",
        (&Method::GET, true) => "GetObject",
        (&Method::HEAD, true) => "HeadObject",
        (&Method::PUT, true) if copy => "CopyObject",
        (&Method::PUT, true) => "PutObject",
        (&Method::DELETE, true) => "DeleteObject",
        _ => return Operation::Unknown(format!("{method} on {on}")),
    };
    Operation::Named(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(method: &str, path: &str, copy: bool) -> Operation {
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let rest = path.strip_prefix('/').unwrap();
        let (b, k) = rest.split_once('/').unwrap_or((rest, ""));
        let params: Vec<(String, String)> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (n, v) = p.split_once('=').unwrap_or((p, ""));
                (n.to_owned(), v.to_owned())
            })
            .collect();
        let mut h = HeaderMap::new();
        if copy {
            h.insert("x-amz-copy-source", "b/k".parse().unwrap());
        }
        operation(
            &method.parse().unwrap(),
            !b.is_empty(),
            !k.is_empty(),
            &params,
            &h,
        )
    }

    /// Requests and their operation names, from S3's API reference.
    #[test]
    fn requests_name_their_operation() {
        let cases = [
            ("GET", "/", "ListBuckets"),
            ("PUT", "/b", "CreateBucket"),
            ("DELETE", "/b", "DeleteBucket"),
            ("HEAD", "/b", "HeadBucket"),
            ("GET", "/b", "ListObjects"),
            ("GET", "/b?list-type=2&prefix=a", "ListObjectsV2"),
            ("GET", "/b?location", "GetBucketLocation"),
            ("PUT", "/b?acl", "PutBucketAcl"),
            ("GET", "/b?acl", "GetBucketAcl"),
            ("DELETE", "/b?lifecycle", "DeleteBucketLifecycle"),
            ("PUT", "/b?lifecycle", "PutBucketLifecycleConfiguration"),
            ("GET", "/b?policy", "GetBucketPolicy"),
            ("POST", "/b?delete", "DeleteObjects"),
            ("GET", "/b?uploads", "ListMultipartUploads"),
            ("GET", "/b?versions", "ListObjectVersions"),
            ("GET", "/b/k", "GetObject"),
            ("PUT", "/b/k", "PutObject"),
            ("GET", "/b/k?acl", "GetObjectAcl"),
            ("PUT", "/b/k?tagging", "PutObjectTagging"),
            ("POST", "/b/k?uploads", "CreateMultipartUpload"),
            ("PUT", "/b/k?partNumber=1&uploadId=x", "UploadPart"),
            ("POST", "/b/k?uploadId=x", "CompleteMultipartUpload"),
            ("DELETE", "/b/k?uploadId=x", "AbortMultipartUpload"),
            ("GET", "/b/k?uploadId=x", "ListParts"),
            ("POST", "/b/k?restore", "RestoreObject"),
        ];
        for (m, p, want) in cases {
            assert_eq!(op(m, p, false), Operation::Named(want), "{m} {p}");
        }
        assert_eq!(op("PUT", "/b/k", true), Operation::Named("CopyObject"));
        assert_eq!(
            op("PUT", "/b/k?partNumber=2&uploadId=x", true),
            Operation::Named("UploadPartCopy")
        );
        assert_eq!(
            op("PUT", "/b?location", false),
            Operation::Unknown("PUT ?location on a bucket".into())
        );
        assert_eq!(
            op("PATCH", "/b/k", false),
            Operation::Unknown("PATCH on an object".into())
        );
        assert_eq!(
            op("DELETE", "/", false),
            Operation::Unknown("DELETE on the service".into())
        );
    }
}
