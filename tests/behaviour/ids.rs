//! Stable ids: `ErrorCode as u8`, `id()`, `from_id`, `TryFrom<u8>` and
//! `u8::from` against a list written out here, not read from the data
//! file, so a renumbering fails. CI runs these tests under every feature set.

use s3err::ErrorCode;

/// (id, name, group) of every code, as released. Ids are permanent: a row
/// may be appended with the next id, never edited or removed.
const IDS: &[(u8, &str, &str)] = &[
    (0, "AccessDenied", "s3"),
    (1, "AccessForbidden", "s3"),
    (2, "AccountProblem", "s3"),
    (3, "AmbiguousGrantByEmailAddress", "s3"),
    (4, "BadDigest", "s3"),
    (5, "BucketAlreadyExists", "s3"),
    (6, "BucketAlreadyOwnedByYou", "s3"),
    (7, "BucketNotEmpty", "s3"),
    (8, "CredentialsNotSupported", "s3"),
    (9, "CrossLocationLoggingProhibited", "s3"),
    (10, "DeleteConflict", "iam"),
    (11, "EntityTooSmall", "s3"),
    (12, "EntityTooLarge", "s3"),
    (13, "ExpiredToken", "s3"),
    (14, "IllegalVersioningConfigurationException", "s3"),
    (15, "IncompleteBody", "s3"),
    (16, "IncorrectNumberOfFilesInPostRequest", "s3"),
    (17, "InlineDataTooLarge", "s3"),
    (18, "InternalError", "s3"),
    (19, "InvalidAccessKeyId", "s3"),
    (20, "InvalidAddressingHeader", "s3"),
    (21, "InvalidArgument", "s3"),
    (22, "InvalidBucketName", "s3"),
    (23, "InvalidBucketState", "s3"),
    (24, "InvalidDigest", "s3"),
    (25, "InvalidEncryptionAlgorithmError", "s3"),
    (26, "InvalidLocationConstraint", "s3"),
    (27, "InvalidObjectState", "s3"),
    (28, "InvalidPart", "s3"),
    (29, "InvalidPartOrder", "s3"),
    (30, "InvalidPartNumber", "s3"),
    (31, "InvalidPayer", "s3"),
    (32, "InvalidPolicyDocument", "s3"),
    (33, "InvalidRange", "s3"),
    (34, "InvalidRedirectLocation", "s3"),
    (35, "InvalidRequest", "s3"),
    (36, "InvalidSecurity", "s3"),
    (37, "InvalidSOAPRequest", "s3"),
    (38, "InvalidStorageClass", "s3"),
    (39, "InvalidTag", "s3"),
    (40, "InvalidTargetBucketForLogging", "s3"),
    (41, "InvalidToken", "s3"),
    (42, "InvalidURI", "s3"),
    (43, "KeyTooLong", "s3"),
    (44, "LimitExceeded", "iam"),
    (45, "MalformedACLError", "s3"),
    (46, "MalformedPOSTRequest", "s3"),
    (47, "MalformedXML", "s3"),
    (48, "MaxMessageLengthExceeded", "s3"),
    (49, "MaxPostPreDataLengthExceededError", "s3"),
    (50, "MetadataTooLarge", "s3"),
    (51, "MethodNotAllowed", "s3"),
    (52, "MissingAttachment", "s3"),
    (53, "MissingContentLength", "s3"),
    (54, "MissingRequestBodyError", "s3"),
    (55, "MissingRequiredParameter", "s3"),
    (56, "MissingSecurityElement", "s3"),
    (57, "MissingSecurityHeader", "s3"),
    (58, "NoLoggingStatusForKey", "s3"),
    (59, "NoSuchBucket", "s3"),
    (60, "NoSuchCORSConfiguration", "s3"),
    (61, "NoSuchKey", "s3"),
    (62, "NoSuchLifecycleConfiguration", "s3"),
    (63, "NoSuchWebsiteConfiguration", "s3"),
    (64, "NoSuchUpload", "s3"),
    (65, "NoSuchVersion", "s3"),
    (66, "ReplicationConfigurationNotFoundError", "s3"),
    (67, "NotImplemented", "s3"),
    (68, "NotModified", "s3"),
    (69, "NotSignedUp", "s3"),
    (70, "NoSuchBucketPolicy", "s3"),
    (71, "OperationAborted", "s3"),
    (72, "PermanentRedirect", "s3"),
    (73, "PreconditionFailed", "s3"),
    (74, "Redirect", "s3"),
    (75, "RestoreAlreadyInProgress", "s3"),
    (76, "RequestIsNotMultiPartContent", "s3"),
    (77, "RequestTimeout", "s3"),
    (78, "RequestTimeTooSkewed", "s3"),
    (79, "RequestTorrentOfBucketError", "s3"),
    (80, "SignatureDoesNotMatch", "s3"),
    (81, "ServiceUnavailable", "s3"),
    (82, "SlowDown", "s3"),
    (83, "TemporaryRedirect", "s3"),
    (84, "TokenRefreshRequired", "s3"),
    (85, "TooManyBuckets", "s3"),
    (86, "TooManyParts", "s3"),
    (87, "UnexpectedContent", "s3"),
    (88, "UnresolvableGrantByEmailAddress", "s3"),
    (89, "UserKeyMustBeSpecified", "s3"),
    (90, "NoSuchEntity", "iam"),
    (91, "WrongFormat", "zenko"),
    (92, "Forbidden", "zenko"),
    (93, "EntityDoesNotExist", "zenko"),
    (94, "EntityAlreadyExists", "iam"),
    (95, "KeyAlreadyExists", "zenko"),
    (96, "ServiceFailure", "iam"),
    (97, "IncompleteSignature", "iam"),
    (98, "InternalFailure", "iam"),
    (99, "InvalidAction", "iam"),
    (100, "InvalidClientTokenId", "iam"),
    (101, "InvalidParameterCombination", "iam"),
    (102, "InvalidParameterValue", "iam"),
    (103, "InvalidQueryParameter", "iam"),
    (104, "MalformedQueryString", "iam"),
    (105, "MissingAction", "iam"),
    (106, "MissingAuthenticationToken", "iam"),
    (107, "MissingParameter", "iam"),
    (108, "OptInRequired", "iam"),
    (109, "RequestExpired", "iam"),
    (110, "Throttling", "iam"),
    (111, "AccountNotFound", "zenko"),
    (112, "ValidationError", "iam"),
    (113, "MalformedPolicyDocument", "iam"),
    (114, "InvalidInput", "iam"),
    (115, "MalformedPolicy", "iam"),
    (116, "MPUinProgress", "zenko"),
    (117, "AccessControlListNotSupported", "aws"),
    (118, "AccessPointAlreadyOwnedByYou", "aws"),
    (119, "AllAccessDisabled", "aws"),
    (120, "AnnotationLimitExceeded", "aws"),
    (121, "AnnotationNameTooLong", "aws"),
    (122, "AuthorizationHeaderMalformed", "aws"),
    (123, "AuthorizationQueryParametersError", "aws"),
    (124, "BucketHasAccessPointsAttached", "aws"),
    (125, "ClientTokenConflict", "aws"),
    (126, "ConditionalRequestConflict", "aws"),
    (127, "ConnectionClosedByRequester", "aws"),
    (128, "DeviceNotActiveError", "aws"),
    (129, "EncryptionTypeMismatch", "aws"),
    (130, "EndpointNotFound", "aws"),
    (131, "IdempotencyParameterMismatch", "aws"),
    (132, "IllegalLocationConstraintException", "aws"),
    (133, "IncorrectEndpoint", "aws"),
    (134, "InvalidAccessPoint", "aws"),
    (135, "InvalidAccessPointAliasError", "aws"),
    (136, "InvalidAnnotationName", "aws"),
    (137, "InvalidBucketAclWithObjectOwnership", "aws"),
    (138, "InvalidBucketOwnerAWSAccountID", "aws"),
    (139, "InvalidHostHeader", "aws"),
    (140, "InvalidHttpMethod", "aws"),
    (141, "InvalidPrefix", "aws"),
    (142, "InvalidRegion", "aws"),
    (143, "InvalidSessionException", "aws"),
    (144, "InvalidSignature", "aws"),
    (145, "InvalidWriteOffset", "aws"),
    (146, "KMS.DisabledException", "aws"),
    (147, "KMS.InvalidKeyUsageException", "aws"),
    (148, "KMS.KMSInvalidStateException", "aws"),
    (149, "KMS.NotFoundException", "aws"),
    (150, "KeyTooLongError", "aws"),
    (151, "NoSuchAccessPoint", "aws"),
    (152, "NoSuchAnnotation", "aws"),
    (153, "NoSuchAsyncRequest", "aws"),
    (154, "NoSuchMultiRegionAccessPoint", "aws"),
    (155, "NoSuchObjectLockConfiguration", "aws"),
    (156, "NoSuchPublicAccessBlockConfiguration", "aws"),
    (157, "NoSuchResource", "aws"),
    (158, "NoSuchTagSet", "aws"),
    (159, "NoTransformationDefined", "aws"),
    (160, "NotDeviceOwnerError", "aws"),
    (161, "ObjectAlreadyInActiveTierError", "aws"),
    (162, "ObjectLockConfigurationNotFoundError", "aws"),
    (163, "ObjectNotInActiveTierError", "aws"),
    (164, "OwnershipControlsNotFoundError", "aws"),
    (165, "PermanentRedirectControlError", "aws"),
    (166, "RequestHeaderSectionTooLarge", "aws"),
    (167, "ResponseInterrupted", "aws"),
    (168, "ServerSideEncryptionConfigurationNotFoundError", "aws"),
    (169, "TagPolicyException", "aws"),
    (170, "TokenCodeInvalidError", "aws"),
    (171, "TooManyAccessPoints", "aws"),
    (172, "TooManyMultiRegionAccessPointregionsError", "aws"),
    (173, "TooManyMultiRegionAccessPoints", "aws"),
    (174, "TooManyTags", "aws"),
    (175, "UnauthorizedAccessError", "aws"),
    (176, "UnexpectedIPError", "aws"),
    (177, "UnsupportedArgument", "aws"),
    (178, "UnsupportedMediaType", "aws"),
    (179, "UnsupportedSignature", "aws"),
];

/// The id the next code will take.
const NEXT_FREE_ID: u8 = 180;

fn enabled(group: &str) -> bool {
    match group {
        "s3" => cfg!(feature = "s3"),
        "iam" => cfg!(feature = "iam"),
        "zenko" => cfg!(feature = "zenko"),
        "aws" => cfg!(feature = "aws"),
        other => panic!("unknown group {other}"),
    }
}

#[test]
fn the_list_is_dense_and_complete() {
    assert_eq!(IDS.len(), 180);
    for (k, &(id, ..)) in IDS.iter().enumerate() {
        assert_eq!(usize::from(id), k);
    }
    assert_eq!(IDS[0].1, "AccessDenied");
    assert_eq!(IDS[116].1, "MPUinProgress");
    assert_eq!(IDS[117].1, "AccessControlListNotSupported");
    assert_eq!(IDS[179].1, "UnsupportedSignature");
}

#[test]
fn every_enabled_code_has_its_released_id() {
    let mut expected = Vec::new();
    for &(id, name, group) in IDS {
        let code = ErrorCode::from_name(name);
        assert_eq!(code.is_some(), enabled(group), "{name}");
        let Some(code) = code else { continue };
        assert_eq!(code as u8, id, "{name} as u8");
        assert_eq!(code.id(), id, "{name}.id()");
        assert_eq!(u8::from(code), id, "u8::from({name})");
        assert_eq!(ErrorCode::from_id(id), Some(code), "from_id({id})");
        assert_eq!(ErrorCode::try_from(id), Ok(code), "try_from({id})");
        assert_eq!(code.group().as_str(), group, "{name}");
        expected.push(code);
    }
    // `ALL` and `Ord` follow the id.
    assert_eq!(ErrorCode::ALL, expected.as_slice());
    assert!(
        ErrorCode::ALL
            .windows(2)
            .all(|w| w[0] < w[1] && w[0].id() < w[1].id())
    );
}

#[test]
fn from_id_refuses_every_other_byte() {
    for b in 0..=u8::MAX {
        let live = IDS.iter().any(|&(id, _, g)| id == b && enabled(g));
        assert_eq!(ErrorCode::from_id(b).is_some(), live, "from_id({b})");
        assert_eq!(ErrorCode::try_from(b).is_ok(), live, "try_from({b})");
    }
}

#[test]
fn from_id_is_const() {
    // The next free id: no code has it yet.
    const NONE: Option<ErrorCode> = ErrorCode::from_id(NEXT_FREE_ID);
    assert_eq!(NONE, None);
    assert_eq!(usize::from(NEXT_FREE_ID), IDS.len());
    #[cfg(feature = "s3")]
    {
        const KEY: u8 = ErrorCode::NoSuchKey.id();
        const BACK: Option<ErrorCode> = ErrorCode::from_id(KEY);
        assert_eq!(BACK, Some(ErrorCode::NoSuchKey));
        assert_eq!(ErrorCode::NoSuchKey.group(), s3err::Group::S3);
    }
}
