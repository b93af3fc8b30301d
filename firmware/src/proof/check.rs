//! The proof: s3err linked into Cortex-M firmware, every code checked at
//! run time, one S3 error body rendered into a `heapless::String` and
//! parsed back, results logged with defmt (decoded on the host by
//! `defmt-print`), exit status 0 through semihosting on success, 1 on any
//! failure, panic or hard fault.
#![no_std]
#![no_main]
#![deny(unsafe_code)]

use core::hint::black_box;

use cortex_m_rt::{ExceptionFrame, exception};
use defmt_semihosting as _; // the defmt global logger
use s3err::{ErrorCode, xml};
use s3err_firmware::exit;

const BOARD: &str = env!("FIRMWARE_BOARD");

s3err_firmware::entry!(run);

fn run() -> bool {
    defmt::info!(
        "s3err check on {=str}: {=usize} codes, longest name {=usize} bytes",
        BOARD,
        ErrorCode::ALL.len(),
        ErrorCode::MAX_NAME_LEN
    );
    let failures = round_trips() + refusals() + by_status() + render();
    #[cfg(feature = "demo-panic")]
    if black_box(true) {
        panic!(
            "demo-panic: deliberate panic after {} failed checks",
            failures
        );
    }
    if failures == 0 {
        defmt::info!("PASS");
    } else {
        defmt::error!("FAIL: {=u32} failed checks", failures);
    }
    failures == 0
}

/// Every code: name -> code, bytes -> code, record vs accessors.
fn round_trips() -> u32 {
    let mut failures = 0;
    let mut ok = 0u32;
    for &code in black_box(ErrorCode::ALL) {
        let name = black_box(code.as_str());
        let mut good = ErrorCode::from_name(name) == Some(code)
            && ErrorCode::from_bytes(name.as_bytes()) == Some(code)
            && name.parse::<ErrorCode>() == Ok(code)
            && (100..=599).contains(&code.status())
            && code.record().status() == code.status()
            && code.record().description() == code.description();
        match ErrorCode::from_name(name).map(ErrorCode::record) {
            Some(r) => good &= r.status() == code.status() && r.description() == code.description(),
            None => good = false,
        }
        if good {
            ok += 1;
        } else {
            failures += 1;
            defmt::error!("round trip failed for {}", code);
        }
    }
    defmt::info!(
        "round trip: {=u32}/{=usize} codes",
        ok,
        ErrorCode::ALL.len()
    );
    // The derived `defmt::Format` shows the interned variant name.
    for name in [black_box("NoSuchKey"), black_box("SlowDown")] {
        match ErrorCode::from_name(name) {
            Some(code) => defmt::info!(
                "{} -> {=u16} {=str}",
                code,
                code.status(),
                code.description()
            ),
            None => defmt::info!("{=str} not enabled in this build", name),
        }
    }
    failures
}

/// Misses and junk must all be refused.
fn refusals() -> u32 {
    let mut long = [b'A'; ErrorCode::MAX_NAME_LEN + 1];
    long[0] = b'N';
    let junk: [&[u8]; 10] = [
        b"",
        b"nosuchkey",
        b"NoSuchKey ",
        b" NoSuchKey",
        b"NoSuchKeyX",
        b"NoSuchKe",
        b"\xff\xfe",
        b"NoSuch\xffey",
        b"\0",
        &long,
    ];
    let mut refused = 0u32;
    let mut failures = 0;
    for &bytes in black_box(&junk) {
        let by_str = core::str::from_utf8(bytes)
            .ok()
            .and_then(ErrorCode::from_name);
        if ErrorCode::from_bytes(bytes).is_none() && by_str.is_none() {
            refused += 1;
        } else {
            failures += 1;
            defmt::error!("junk accepted: {=[u8]:a}", bytes);
        }
    }
    defmt::info!("junk refused: {=u32}/{=usize}", refused, junk.len());
    failures
}

/// `with_status` agrees with a scan of `ALL`.
fn by_status() -> u32 {
    let mut failures = 0;
    for status in [black_box(400u16), 403, 404, 409, 500, 503] {
        let n = ErrorCode::with_status(status).count();
        let scan = ErrorCode::ALL
            .iter()
            .filter(|c| c.status() == status)
            .count();
        if n != scan || ErrorCode::with_status(status).any(|c| c.status() != status) {
            failures += 1;
            defmt::error!("with_status({=u16}) disagrees", status);
        }
    }
    defmt::info!(
        "with_status: {=usize} codes answer 404",
        ErrorCode::with_status(404).count()
    );
    failures
}

/// One S3 error body: rendered into a `heapless::String`, then parsed back.
fn render() -> u32 {
    let Some(code) = ErrorCode::from_name(black_box("NoSuchKey")) else {
        defmt::info!("render: NoSuchKey not enabled in this build");
        return 0;
    };
    let doc = xml::ErrorDocument::new(code)
        .with_resource(black_box("/bucket/a&b.txt"))
        .with_request_id(black_box("4442587FB7D0A2F9"));
    let body = match doc.to_heapless::<512>() {
        Ok(body) => body,
        Err(e) => {
            defmt::error!("render failed: {}", e);
            return 1;
        }
    };
    defmt::info!(
        "rendered {=usize} bytes:\n{=str}",
        body.len(),
        body.as_str()
    );
    let mut failures = 0;
    if body.len() != doc.rendered_len()
        || !body.contains("<Resource>/bucket/a&amp;b.txt</Resource>")
    {
        failures += 1;
        defmt::error!("rendered body is not what was asked for");
    }
    match xml::parse(body.as_bytes()) {
        Ok(parsed) if parsed.known() == Some(code) => {
            defmt::info!("parsed back: {}", code);
        }
        Ok(_) => {
            failures += 1;
            defmt::error!("parsed back to another code");
        }
        Err(e) => {
            failures += 1;
            defmt::error!("parse failed: {}", e);
        }
    }
    failures
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    defmt::error!("panic: {}", defmt::Display2Format(info));
    exit(false)
}

#[allow(unsafe_code)] // cortex-m-rt requires `unsafe fn` for HardFault
#[exception]
unsafe fn HardFault(frame: &ExceptionFrame) -> ! {
    defmt::error!("hard fault at pc {=u32:#x}", frame.pc());
    exit(false)
}
