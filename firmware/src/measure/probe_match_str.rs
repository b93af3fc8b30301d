//! Size probe, `match` on `&str` edition: as `probe_match`, with the
//! generated `match` on the string (`"NoSuchKey" => …`) instead of on its
//! bytes.
#![no_std]
#![no_main]
#![deny(unsafe_code)]

use s3err::ErrorCode;
use s3err_firmware::names;

fn run() -> bool {
    s3err_firmware::probe(|name| names::by_str(name).and_then(ErrorCode::from_id))
}

s3err_firmware::main!(run);
