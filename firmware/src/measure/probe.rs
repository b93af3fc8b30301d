//! Size probe: `from_name` + `status` + `description`, and nothing else.
//! Compared with `baseline` by `cargo xtask size`.
#![no_std]
#![no_main]
#![deny(unsafe_code)]

fn run() -> bool {
    s3err_firmware::probe(s3err::ErrorCode::from_name)
}

s3err_firmware::main!(run);
