//! Size probe, plain `phf::Map` edition: as `probe_match`, with a
//! `phf::Map<&str, u8>` built by `phf_map!` (no length guard).
#![no_std]
#![no_main]
#![deny(unsafe_code)]

use s3err::ErrorCode;
use s3err_firmware::names;

fn run() -> bool {
    s3err_firmware::probe(|name| names::PHF.get(name).copied().and_then(ErrorCode::from_id))
}

s3err_firmware::main!(run);
