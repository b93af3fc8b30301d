//! The flexible checksums S3 clients send with an upload: CRC32, CRC32C,
//! CRC64/NVME, SHA-1 and SHA-256, each as an `x-amz-checksum-<name>`
//! header or an `aws-chunked` trailer. The gateway computes every one the
//! request names and refuses the upload (`BadDigest`) when one differs, as
//! S3 does.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use http::HeaderMap;
use md5::Digest;
use s3err::ErrorCode;

use crate::error::S3Error;

/// One checksum algorithm of S3's flexible checksums.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Algorithm {
    Crc32,
    Crc32c,
    Crc64Nvme,
    Sha1,
    Sha256,
}

impl Algorithm {
    pub const ALL: [Algorithm; 5] = [
        Algorithm::Crc32,
        Algorithm::Crc32c,
        Algorithm::Crc64Nvme,
        Algorithm::Sha1,
        Algorithm::Sha256,
    ];

    /// Its header (and trailer) name.
    pub fn header(self) -> &'static str {
        match self {
            Algorithm::Crc32 => "x-amz-checksum-crc32",
            Algorithm::Crc32c => "x-amz-checksum-crc32c",
            Algorithm::Crc64Nvme => "x-amz-checksum-crc64nvme",
            Algorithm::Sha1 => "x-amz-checksum-sha1",
            Algorithm::Sha256 => "x-amz-checksum-sha256",
        }
    }

    /// Its name in `x-amz-sdk-checksum-algorithm` and in messages.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Crc32 => "CRC32",
            Algorithm::Crc32c => "CRC32C",
            Algorithm::Crc64Nvme => "CRC64NVME",
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
        }
    }

    /// The digest's length in bytes.
    pub fn len(self) -> usize {
        match self {
            Algorithm::Crc32 | Algorithm::Crc32c => 4,
            Algorithm::Crc64Nvme => 8,
            Algorithm::Sha1 => 20,
            Algorithm::Sha256 => 32,
        }
    }

    /// The algorithm of an `x-amz-checksum-*` header name.
    pub fn by_header(name: &str) -> Option<Algorithm> {
        Algorithm::ALL
            .into_iter()
            .find(|a| a.header().eq_ignore_ascii_case(name.trim()))
    }

    /// The algorithm named (`CRC32`, …), any case.
    pub fn by_name(name: &str) -> Option<Algorithm> {
        Algorithm::ALL
            .into_iter()
            .find(|a| a.name().eq_ignore_ascii_case(name.trim()))
    }

    /// Whether S3 offers the full-object type for it in multipart uploads
    /// (the CRCs, which can be computed over the whole object).
    pub fn full_object(self) -> bool {
        matches!(
            self,
            Algorithm::Crc32 | Algorithm::Crc32c | Algorithm::Crc64Nvme
        )
    }

    /// Whether S3 offers the composite type for it (all but CRC64/NVME).
    pub fn composite(self) -> bool {
        self != Algorithm::Crc64Nvme
    }

    /// `value`, a base64 digest of this algorithm, decoded; anything else
    /// is `InvalidRequest`, as S3 answers it.
    pub fn decode(self, value: &[u8], what: &str) -> Result<Vec<u8>, S3Error> {
        decode_digest(value, self.len(), "", ErrorCode::InvalidRequest).map_err(|_| {
            S3Error::with_message(
                ErrorCode::InvalidRequest,
                format!("Value for {} {what} is invalid.", self.header()),
            )
        })
    }
}

/// `value` (a header or trailer `field`), the base64 of a `len`-byte
/// digest, decoded; anything else is `bad`, naming the field.
pub fn decode_digest(
    value: &[u8],
    len: usize,
    field: &str,
    bad: ErrorCode,
) -> Result<Vec<u8>, S3Error> {
    match BASE64.decode(value.trim_ascii()) {
        Ok(d) if d.len() == len => Ok(d),
        _ => Err(S3Error::with_message(
            bad,
            format!("The {field} is not the base64 of a {len}-byte digest."),
        )),
    }
}

/// Slice-by-16 tables (16 KiB for a 32-bit CRC, 32 KiB for CRC64): the
/// CRCs run over every upload's bytes, and over a whole multipart object
/// at a full-object completion.
type Fast = crc::Table<16>;

static CRC32: crc::Crc<u32, Fast> = crc::Crc::<u32, Fast>::new(&crc::CRC_32_ISO_HDLC);
static CRC32C: crc::Crc<u32, Fast> = crc::Crc::<u32, Fast>::new(&crc::CRC_32_ISCSI);
static CRC64NVME: crc::Crc<u64, Fast> = crc::Crc::<u64, Fast>::new(&crc::CRC_64_NVME);

/// One running digest.
pub enum Hasher {
    Crc32(crc::Digest<'static, u32, Fast>),
    Crc64(crc::Digest<'static, u64, Fast>),
    Sha1(sha1::Sha1),
    Sha256(sha2::Sha256),
}

impl Hasher {
    pub fn new(a: Algorithm) -> Hasher {
        match a {
            Algorithm::Crc32 => Hasher::Crc32(CRC32.digest()),
            Algorithm::Crc32c => Hasher::Crc32(CRC32C.digest()),
            Algorithm::Crc64Nvme => Hasher::Crc64(CRC64NVME.digest()),
            Algorithm::Sha1 => Hasher::Sha1(sha1::Sha1::new()),
            Algorithm::Sha256 => Hasher::Sha256(sha2::Sha256::new()),
        }
    }

    pub fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Crc32(d) => d.update(data),
            Hasher::Crc64(d) => d.update(data),
            Hasher::Sha1(d) => d.update(data),
            Hasher::Sha256(d) => d.update(data),
        }
    }

    /// The digest as S3 sends it: big-endian for the CRCs.
    pub fn finish(self) -> Vec<u8> {
        match self {
            Hasher::Crc32(d) => d.finalize().to_be_bytes().to_vec(),
            Hasher::Crc64(d) => d.finalize().to_be_bytes().to_vec(),
            Hasher::Sha1(d) => d.finalize().to_vec(),
            Hasher::Sha256(d) => d.finalize().to_vec(),
        }
    }
}

/// One algorithm being computed over the body, and the digest the client
/// gave for it (from a header, or later from a trailer).
struct Running {
    algorithm: Algorithm,
    hasher: Hasher,
    want: Option<Vec<u8>>,
}

/// The checksums of one upload: CRC32 always (the SDKs' default, which a
/// client may send as a trailer without announcing it), and every
/// algorithm the request names in an `x-amz-checksum-*` header, in
/// `x-amz-trailer` or in `x-amz-sdk-checksum-algorithm`.
pub struct Checksums(Vec<Running>);

impl Checksums {
    /// Reads the request's checksum headers. A malformed digest, or more
    /// than one `x-amz-checksum-*` header, is `InvalidRequest` (S3 allows
    /// one checksum type per object).
    pub fn from_headers(headers: &HeaderMap) -> Result<Checksums, S3Error> {
        let mut on = vec![Algorithm::Crc32];
        let named = |h: &str| {
            headers
                .get_all(h)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        on.extend(
            named("x-amz-trailer")
                .iter()
                .filter_map(|h| Algorithm::by_header(h)),
        );
        on.extend(
            named("x-amz-sdk-checksum-algorithm")
                .iter()
                .filter_map(|n| Algorithm::by_name(n)),
        );
        let sent = Algorithm::ALL
            .iter()
            .filter(|a| headers.contains_key(a.header()))
            .count();
        if sent > 1 {
            return Err(S3Error::with_message(
                ErrorCode::InvalidRequest,
                "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed."
                    .into(),
            ));
        }
        let mut running = Vec::new();
        for a in Algorithm::ALL {
            let want = match headers.get(a.header()) {
                Some(v) => Some(a.decode(v.as_bytes(), "header")?),
                None => None,
            };
            if want.is_some() || on.contains(&a) {
                running.push(Running {
                    algorithm: a,
                    hasher: Hasher::new(a),
                    want,
                });
            }
        }
        Ok(Checksums(running))
    }

    /// Computes `a` too (whether or not the client gives its digest).
    pub fn compute(&mut self, a: Algorithm) {
        if !self.0.iter().any(|r| r.algorithm == a) {
            self.0.push(Running {
                algorithm: a,
                hasher: Hasher::new(a),
                want: None,
            });
        }
    }

    pub fn update(&mut self, data: &[u8]) {
        for r in &mut self.0 {
            r.hasher.update(data);
        }
    }

    /// Takes the digests an `aws-chunked` body's trailers carry. A
    /// checksum trailer the request did not announce (other than CRC32)
    /// cannot be checked, so it is refused rather than ignored.
    pub fn trailers(&mut self, trailers: &[(String, String)]) -> Result<(), S3Error> {
        for (name, value) in trailers {
            let Some(a) = Algorithm::by_header(name) else {
                continue;
            };
            let want = a.decode(value.as_bytes(), "trailer")?;
            let Some(r) = self.0.iter_mut().find(|r| r.algorithm == a) else {
                return Err(S3Error::with_message(
                    ErrorCode::InvalidArgument,
                    format!(
                        "The {} trailer was not announced in x-amz-trailer.",
                        a.header()
                    ),
                ));
            };
            r.want = Some(want);
        }
        Ok(())
    }

    /// Checks every digest the client gave; returns them (header name,
    /// base64) to echo in the response, as S3 does.
    pub fn verify(self) -> Result<Vec<(&'static str, String)>, S3Error> {
        Ok(self.verify_all()?.0)
    }

    /// As [`Checksums::verify`], and every digest computed (base64),
    /// given by the client or not.
    #[allow(clippy::type_complexity)]
    pub fn verify_all(
        self,
    ) -> Result<(Vec<(&'static str, String)>, Vec<(Algorithm, String)>), S3Error> {
        let mut echo = Vec::new();
        let mut computed = Vec::new();
        for r in self.0 {
            let got = r.hasher.finish();
            computed.push((r.algorithm, BASE64.encode(&got)));
            let Some(want) = r.want else { continue };
            if got != want {
                return Err(S3Error::with_message(
                    ErrorCode::BadDigest,
                    format!(
                        "The {} you specified did not match the calculated checksum.",
                        r.algorithm.name()
                    ),
                ));
            }
            echo.push((r.algorithm.header(), BASE64.encode(got)));
        }
        Ok((echo, computed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every algorithm over "123456789" against the check values published
    /// with its parameters (the CRC catalogue; FIPS 180 for the SHAs).
    #[test]
    fn check_values() {
        let hex = |a: Algorithm| {
            let mut h = Hasher::new(a);
            h.update(b"1234");
            h.update(b"56789");
            h.finish()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        };
        assert_eq!(hex(Algorithm::Crc32), "cbf43926");
        assert_eq!(hex(Algorithm::Crc32c), "e3069283");
        assert_eq!(hex(Algorithm::Crc64Nvme), "ae8b14860a799888");
        assert_eq!(
            hex(Algorithm::Sha1),
            "f7c3bc1d808e04732adf679965ccc34ca7ae3441"
        );
        assert_eq!(
            hex(Algorithm::Sha256),
            "15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225"
        );
    }

    #[test]
    fn a_wrong_or_malformed_digest_is_refused() {
        let mut headers = HeaderMap::new();
        headers.insert("x-amz-checksum-sha256", "AAAA".parse().unwrap());
        let e = Checksums::from_headers(&headers).err().unwrap();
        assert_eq!(e.code, ErrorCode::InvalidRequest);
        assert_eq!(
            e.message.as_deref(),
            Some("Value for x-amz-checksum-sha256 header is invalid.")
        );
        // Two checksum types on one upload.
        headers.insert(
            "x-amz-checksum-sha256",
            BASE64.encode([0u8; 32]).parse().unwrap(),
        );
        headers.insert("x-amz-checksum-crc32", "NhCmhg==".parse().unwrap());
        let e = Checksums::from_headers(&headers).err().unwrap();
        assert_eq!(e.code, ErrorCode::InvalidRequest);

        let mut headers = HeaderMap::new();
        // CRC32C of "hello" is 0x9a71bb4c; this is another value.
        headers.insert("x-amz-checksum-crc32c", "mnG7TQ==".parse().unwrap());
        let mut c = Checksums::from_headers(&headers).unwrap();
        c.update(b"hello");
        assert_eq!(c.verify().err().unwrap().code, ErrorCode::BadDigest);

        headers.insert("x-amz-checksum-crc32c", "mnG7TA==".parse().unwrap());
        let mut c = Checksums::from_headers(&headers).unwrap();
        c.update(b"hello");
        assert_eq!(
            c.verify().unwrap(),
            [("x-amz-checksum-crc32c", "mnG7TA==".to_string())]
        );
    }

    #[test]
    fn an_unannounced_trailer_is_refused_but_crc32_is_always_on() {
        let mut c = Checksums::from_headers(&HeaderMap::new()).unwrap();
        let sha1 = ("x-amz-checksum-sha1".to_string(), BASE64.encode([0u8; 20]));
        assert!(c.trailers(&[sha1]).is_err());
        // CRC32 of "hello" is 0x3610a686.
        let crc32 = ("x-amz-checksum-crc32".to_string(), "NhCmhg==".to_string());
        c.update(b"hello");
        c.trailers(&[crc32]).unwrap();
        assert_eq!(c.verify().unwrap().len(), 1);
    }
}
