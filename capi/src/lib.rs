//! The C ABI of s3err: `include/s3err.h` declares every function, type and
//! constant of `abi.rs`, plus one constant per code of the table.
//!
//! `#![no_std]` on every target. Bare-metal targets (`target_os = "none"`)
//! get the panic handler below; hosts link std for theirs (the cdylib and
//! the staticlib a host program links). Either way the profile's
//! `panic = "abort"` applies, and s3err itself never panics.
#![no_std]

#[cfg(not(target_os = "none"))]
extern crate std;

pub mod abi;
mod rs;

/// Never reached: s3err does not panic, and every index here is checked.
/// Should it happen, the core stops here rather than return into C with
/// a broken state.
#[cfg(target_os = "none")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {
        core::hint::spin_loop();
    }
}
