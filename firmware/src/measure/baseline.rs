//! Size baseline: the probe's shape without s3err. `cargo xtask size`
//! reports `probe` minus this.
#![no_std]
#![no_main]
#![deny(unsafe_code)]

use core::hint::black_box;

fn run() -> bool {
    let name: &str = black_box("NoSuchKey");
    if black_box(name.len()) == 9 {
        black_box(404u16);
        black_box("");
        #[cfg(feature = "defmt")]
        defmt::info!("{=u8}", black_box(7u8));
    } else {
        black_box(0u16);
    }
    true
}

s3err_firmware::main!(run);
