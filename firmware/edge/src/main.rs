//! An edge device that speaks S3: a `no_std`, allocation-free RISC-V
//! program on QEMU's `virt` board that stores objects on s3err-gateway
//! over virtio-net and smoltcp, reads S3's errors with s3err, logs each
//! code as its one-byte id through defmt, and retries as the AWS SDKs'
//! standard retry mode does.
//!
//! It runs a fixed list of scenarios, each with the outcome it must reach,
//! against three servers that QEMU's `guestfwd` forwards to the host's
//! loopback: the gateway, the gateway limited to one request a second, and
//! a fault-injecting server (`fault_server.py`) for the answers the gateway
//! never gives. It exits 0 through semihosting only if every scenario
//! reached its outcome, after logging `edge: PASS`. See docs/edge-device.md.
#![no_std]
#![no_main]

mod board;
mod http;
mod net;
mod retry;
mod s3;
mod sizes;

use core::ptr::addr_of_mut;

use smoltcp::wire::{IpAddress, IpEndpoint, Ipv4Address};

use crate::http::{Client, HttpError, HttpMemory, Method, Request};
use crate::net::{Net, NetMemory, SOCKET_SLOTS, SocketSlots};
use crate::retry::{Done, Failed, Report, Retrier, Stop};
use crate::s3::Retry;

/// The servers, as the guest sees them (QEMU forwards each to a port on
/// the host's 127.0.0.1).
const GATEWAY: IpEndpoint = endpoint(100);
const LIMITED: IpEndpoint = endpoint(101);
const FAULTS: IpEndpoint = endpoint(102);

const fn endpoint(host: u8) -> IpEndpoint {
    IpEndpoint::new(IpAddress::Ipv4(Ipv4Address::new(10, 0, 2, host)), 80)
}

/// The object the device stores and reads back.
const OBJECT: &[u8] = b"temperature=21.5C humidity=40% from a RISC-V device over smoltcp\n";

/// What a scenario must come to.
#[derive(Clone, Copy)]
enum Expect {
    /// A 2xx answer with this status after this many attempts.
    Ok { status: u16, attempts: u8 },
    /// A 2xx answer after at least one throttling error (any number of
    /// attempts: the throttle clears when the server's second is over).
    OkAfterThrottling { status: u16 },
    /// An error reported to the caller.
    GaveUp {
        status: Option<u16>,
        code: Option<&'static str>,
        attempts: u8,
        stop: Stop,
    },
}

/// One request and the outcome it must reach.
struct Scenario {
    name: &'static str,
    server: IpEndpoint,
    method: Method,
    path: &'static str,
    headers: &'static [(&'static str, &'static str)],
    body: &'static [u8],
    /// A 200 that may carry an error document (CopyObject).
    error_in_ok: bool,
    /// The body a read must give back.
    body_back: Option<&'static [u8]>,
    /// The `Content-Length` a HEAD must report.
    length_back: Option<usize>,
    expect: Expect,
}

const fn scenario(
    name: &'static str,
    server: IpEndpoint,
    method: Method,
    path: &'static str,
    expect: Expect,
) -> Scenario {
    Scenario {
        name,
        server,
        method,
        path,
        headers: &[],
        body: &[],
        error_in_ok: false,
        body_back: None,
        length_back: None,
        expect,
    }
}

const fn ok(status: u16, attempts: u8) -> Expect {
    Expect::Ok { status, attempts }
}

const fn gave_up(status: u16, code: Option<&'static str>, attempts: u8, stop: Stop) -> Expect {
    Expect::GaveUp {
        status: Some(status),
        code,
        attempts,
        stop,
    }
}

/// NoSuchKey: reported at once, never retried. The test of the test
/// (`demo-wrong-expectation`) expects retries instead.
#[cfg(not(feature = "demo-wrong-expectation"))]
const NO_SUCH_KEY: Expect = gave_up(404, Some("NoSuchKey"), 1, Stop::NotRetryable);
#[cfg(feature = "demo-wrong-expectation")]
const NO_SUCH_KEY: Expect = gave_up(404, Some("NoSuchKey"), 3, Stop::Attempts);

static SCENARIOS: [Scenario; 16] = [
    // The gateway: the four object operations, and its errors.
    Scenario {
        body: OBJECT,
        ..scenario("put", GATEWAY, Method::Put, "/edge/reading.txt", ok(200, 1))
    },
    Scenario {
        body_back: Some(OBJECT),
        ..scenario("get", GATEWAY, Method::Get, "/edge/reading.txt", ok(200, 1))
    },
    Scenario {
        length_back: Some(OBJECT.len()),
        ..scenario(
            "head",
            GATEWAY,
            Method::Head,
            "/edge/reading.txt",
            ok(200, 1),
        )
    },
    scenario(
        "no-such-key",
        GATEWAY,
        Method::Get,
        "/edge/missing.txt",
        NO_SUCH_KEY,
    ),
    // HEAD has no body: the status alone says 404, which is never retried.
    scenario(
        "head-missing",
        GATEWAY,
        Method::Head,
        "/edge/missing.txt",
        gave_up(404, None, 1, Stop::NotRetryable),
    ),
    scenario(
        "delete",
        GATEWAY,
        Method::Delete,
        "/edge/reading.txt",
        ok(204, 1),
    ),
    scenario(
        "get-deleted",
        GATEWAY,
        Method::Get,
        "/edge/reading.txt",
        gave_up(404, Some("NoSuchKey"), 1, Stop::NotRetryable),
    ),
    // --max-rps 1: PUTs in a row until one is answered SlowDown, which is
    // retried after back-off until the next second lets it through.
    Scenario {
        body: OBJECT,
        ..scenario(
            "slow-down",
            LIMITED,
            Method::Put,
            "/edge/burst.txt",
            Expect::OkAfterThrottling { status: 200 },
        )
    },
    // An InternalError that does not clear (the gateway's test header):
    // three attempts, then reported.
    Scenario {
        headers: &[("x-s3err-test-error", "InternalError")],
        ..scenario(
            "internal-error",
            GATEWAY,
            Method::Get,
            "/edge/burst.txt",
            gave_up(500, Some("InternalError"), 3, Stop::Attempts),
        )
    },
    // The fault server: answers the gateway never gives.
    scenario(
        "500-twice",
        FAULTS,
        Method::Get,
        "/edge/flaky-500",
        ok(200, 3),
    ),
    scenario(
        "503-once",
        FAULTS,
        Method::Get,
        "/edge/flaky-503",
        ok(200, 2),
    ),
    // CopyObject may fail after S3 sent 200: the error document decides.
    Scenario {
        headers: &[("x-amz-copy-source", "/edge/burst.txt")],
        error_in_ok: true,
        ..scenario(
            "error-in-200",
            FAULTS,
            Method::Put,
            "/edge/copy.txt",
            ok(200, 2),
        )
    },
    // A 503 page longer than the body buffer: refused, read past, retried
    // by its status.
    scenario(
        "too-large",
        FAULTS,
        Method::Get,
        "/edge/too-large",
        ok(200, 2),
    ),
    // A 404 whose error document is cut short: unreadable, so the status
    // decides (never retried).
    scenario(
        "truncated",
        FAULTS,
        Method::Get,
        "/edge/truncated",
        gave_up(404, None, 1, Stop::NotRetryable),
    ),
    // A 503 with malformed XML: unreadable, retried by its status.
    scenario(
        "malformed",
        FAULTS,
        Method::Get,
        "/edge/malformed",
        ok(200, 2),
    ),
    // The server closes the connection mid-body: a connection error,
    // retried on a new connection.
    scenario("closed", FAULTS, Method::Get, "/edge/closed", ok(200, 2)),
];

/// How many times the throttling scenario sends its request, at most,
/// waiting for a SlowDown.
const THROTTLE_TRIES: usize = 4;

/// The device's static memory: everything but the stack.
struct Memory {
    net: NetMemory,
    http: HttpMemory,
}

static mut MEMORY: Memory = Memory {
    net: NetMemory::new(),
    http: HttpMemory::new(),
};

static mut SOCKETS: SocketSlots = SOCKET_SLOTS;

/// One attempt of a scenario's request.
fn attempt(client: &mut Client, s: &Scenario) -> Result<Done, Failed> {
    let req = Request {
        method: s.method,
        path: s.path,
        headers: s.headers,
        body: s.body,
    };
    let failed = |status, code, retry, transport| Failed {
        status,
        code,
        retry,
        transport,
    };
    match client.exchange(s.server, &req) {
        Ok(resp) if (200..300).contains(&resp.status) => {
            if s.error_in_ok
                && let Some(v) = s3::error_in_ok(resp.body)
            {
                return Err(failed(Some(resp.status), v.code, v.retry, None));
            }
            defmt::info!(
                "{} {=str}: HTTP {=u16}, {=usize} body bytes",
                s.method,
                s.path,
                resp.status,
                resp.body.len()
            );
            Ok(Done {
                status: resp.status,
                content_length: resp.content_length,
                body_matches: s.body_back.map(|b| b == resp.body),
            })
        }
        Ok(resp) => {
            let v = s3::error_answer(resp.status, resp.body);
            Err(failed(Some(resp.status), v.code, v.retry, None))
        }
        Err(e) => {
            let retry = match e {
                // Connection errors: transient, as in the SDKs.
                HttpError::Tcp(_)
                | HttpError::ClosedInHead { .. }
                | HttpError::ClosedInBody { .. } => Retry::Transient,
                // A head or body the device cannot hold: its status decides.
                HttpError::BodyTooLarge { status, .. }
                | HttpError::UnsupportedFraming { status } => s3::by_status(status),
                HttpError::HeadTooLarge | HttpError::MalformedHead | HttpError::RequestTooLarge => {
                    Retry::Never
                }
            };
            defmt::warn!("{} {=str}: {}: retry {}", s.method, s.path, e, retry);
            Err(failed(e.status(), None, retry, Some(e)))
        }
    }
}

/// Runs a scenario; true if it reached its outcome.
fn run_scenario(client: &mut Client, retrier: &mut Retrier, s: &Scenario) -> bool {
    defmt::info!("scenario {=str}: {} {=str}", s.name, s.method, s.path);
    let tries = match s.expect {
        Expect::OkAfterThrottling { .. } => THROTTLE_TRIES,
        _ => 1,
    };
    let mut report = retrier.run(client, |c| attempt(c, s));
    let mut throttled = report.throttled;
    for _ in 1..tries {
        if throttled > 0 || report.result.is_err() {
            break;
        }
        report = retrier.run(client, |c| attempt(c, s));
        throttled += report.throttled;
    }
    let reached = check(s, &report, throttled);
    if reached {
        defmt::info!(
            "scenario {=str}: ok after {=u8} attempt(s)",
            s.name,
            report.attempts
        );
    }
    reached
}

/// Compares a report with the scenario's expectation, logging what differs.
fn check(s: &Scenario, report: &Report, throttled: u8) -> bool {
    let name = s.name;
    match (s.expect, &report.result) {
        (Expect::Ok { status, attempts }, Ok(done)) => {
            if done.status != status || report.attempts != attempts {
                defmt::error!(
                    "scenario {=str}: FAIL: HTTP {=u16} after {=u8} attempt(s), expected {=u16} after {=u8}",
                    name,
                    done.status,
                    report.attempts,
                    status,
                    attempts
                );
                return false;
            }
            check_done(s, done)
        }
        (Expect::OkAfterThrottling { status }, Ok(done)) => {
            if done.status != status || throttled == 0 {
                defmt::error!(
                    "scenario {=str}: FAIL: HTTP {=u16} after {=u8} throttling error(s), expected {=u16} after at least one",
                    name,
                    done.status,
                    throttled,
                    status
                );
                return false;
            }
            defmt::info!(
                "scenario {=str}: {=u8} throttling error(s) backed off",
                name,
                throttled
            );
            check_done(s, done)
        }
        (
            Expect::GaveUp {
                status,
                code,
                attempts,
                stop,
            },
            Err((failed, got_stop)),
        ) => {
            let same = failed.status == status
                && failed.code == code
                && report.attempts == attempts
                && *got_stop == stop;
            if !same {
                defmt::error!(
                    "scenario {=str}: FAIL: gave up after {=u8} attempt(s) ({}), HTTP {}, code {}; expected {=u8} ({}), HTTP {}, code {}",
                    name,
                    report.attempts,
                    got_stop,
                    failed.status,
                    failed.code,
                    attempts,
                    stop,
                    status,
                    code
                );
            }
            same
        }
        (_, Ok(done)) => {
            defmt::error!(
                "scenario {=str}: FAIL: succeeded (HTTP {=u16}), expected an error",
                name,
                done.status
            );
            false
        }
        (_, Err((failed, stop))) => {
            defmt::error!(
                "scenario {=str}: FAIL: gave up ({}, HTTP {}), expected success",
                name,
                stop,
                failed.status
            );
            false
        }
    }
}

/// A success's body or length, where the scenario names one.
fn check_done(s: &Scenario, done: &Done) -> bool {
    if done.body_matches == Some(false) {
        defmt::error!(
            "scenario {=str}: FAIL: the body read back differs from the one stored",
            s.name
        );
        return false;
    }
    if s.length_back.is_some() && done.content_length != s.length_back {
        defmt::error!(
            "scenario {=str}: FAIL: Content-Length {}, expected {}",
            s.name,
            done.content_length,
            s.length_back
        );
        return false;
    }
    true
}

#[riscv_rt::entry]
fn main() -> ! {
    let stack = board::paint_stack();
    defmt::info!("edge device: {=usize} scenarios", SCENARIOS.len());
    // SAFETY: the one place MEMORY and SOCKETS are named, run once (main
    // never returns): these are the only references to them, ever.
    let (memory, sockets) = unsafe { (&mut *addr_of_mut!(MEMORY), &mut *addr_of_mut!(SOCKETS)) };
    let net = match Net::new(&mut memory.net, sockets) {
        Ok(net) => net,
        Err(e) => {
            defmt::error!("edge: FAIL: network: {}", e);
            board::exit(false)
        }
    };
    let mut client = Client::new(net, &mut memory.http);
    let mut retrier = Retrier::new();
    let started = board::now_ms();
    let failures = SCENARIOS
        .iter()
        .filter(|s| !run_scenario(&mut client, &mut retrier, s))
        .count();
    let elapsed = board::now_ms() - started;
    client.net.close();
    let Some(high_water) = stack.high_water() else {
        defmt::error!(
            "edge: FAIL: the stack outgrew its {=usize}-byte measuring window",
            sizes::STACK_WINDOW
        );
        board::exit(false)
    };
    defmt::info!("stack high-water mark: {=usize} bytes", high_water);
    if failures == 0 {
        defmt::info!(
            "edge: PASS: {=usize} scenarios in {=u64} ms",
            SCENARIOS.len(),
            elapsed
        );
    } else {
        defmt::error!(
            "edge: FAIL: {=usize} of {=usize} scenarios",
            failures,
            SCENARIOS.len()
        );
    }
    board::exit(failures == 0)
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    if !board::logging() {
        defmt::error!("panic: {}", defmt::Display2Format(info));
    }
    board::exit(false)
}

/// A trap (illegal instruction, bad access): reported, exit 1.
#[unsafe(export_name = "ExceptionHandler")]
fn exception(frame: &riscv_rt::TrapFrame) -> ! {
    if !board::logging() {
        defmt::error!(
            "exception, mcause {=usize:#x}, ra {=usize:#x}",
            riscv::register::mcause::read().bits(),
            frame.ra
        );
    }
    board::exit(false)
}
