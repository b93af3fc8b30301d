//! Size probe: `from_name` + `status` + `description`, and nothing else.
//! Compared with `baseline` by scripts/size.sh.
#![no_std]
#![no_main]
#![deny(unsafe_code)]

use core::hint::black_box;

use cortex_m as _;
use cortex_m_rt::entry;
#[cfg(feature = "defmt")]
use defmt_semihosting as _;

#[entry]
fn main() -> ! {
    let name: &str = black_box("NoSuchKey");
    match s3err::ErrorCode::from_name(name) {
        Some(code) => {
            black_box(code.status());
            black_box(code.description());
            #[cfg(feature = "defmt")]
            defmt::info!("{}", code);
        }
        None => {
            black_box(0u16);
        }
    }
    loop {
        cortex_m::asm::wfi();
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    loop {}
}
