//! The QEMU `virt` board: the 16550 UART that carries the defmt log, the
//! machine timer that is the clock, the exit through semihosting, and the
//! stack's high-water mark.
//!
//! Nothing here enables an interrupt: the device polls, on one hart, so
//! no code can run between two statements of another.

use core::ptr;

use crate::sizes::STACK_WINDOW;

/// The 16550 UART's transmit holding register.
const UART_THR: usize = 0x1000_0000;
/// Its line status register.
const UART_LSR: usize = 0x1000_0005;
/// Line status: the transmit holding register is empty.
const LSR_THR_EMPTY: u8 = 1 << 5;
/// The CLINT's `mtime`, a 64-bit counter at 10 MHz on `virt`.
const MTIME: usize = 0x0200_BFF8;
/// `mtime` ticks per microsecond.
const TICKS_PER_US: u64 = 10;

/// Writes bytes to the UART, waiting for room before each.
fn uart_write(bytes: &[u8]) {
    for &b in bytes {
        // SAFETY: the virt board maps its 16550 UART at 0x1000_0000
        // (byte-wide registers, always present; machine mode, no MMU).
        // Volatile accesses to device registers touch no memory Rust
        // knows about, and nothing else in the program uses the UART.
        unsafe {
            while ptr::read_volatile(UART_LSR as *const u8) & LSR_THR_EMPTY == 0 {}
            ptr::write_volatile(UART_THR as *mut u8, b);
        }
    }
}

/// Microseconds since the board started.
pub fn now_us() -> u64 {
    loop {
        // SAFETY: `mtime` is the CLINT's always-mapped, read-only-here
        // 64-bit counter at 0x0200_BFF8 on virt; aligned 32-bit volatile
        // reads of its halves have no side effect. Reading high, low, high
        // again and retrying on a change gives a consistent value on rv32.
        let (hi, lo, again) = unsafe {
            (
                ptr::read_volatile((MTIME + 4) as *const u32),
                ptr::read_volatile(MTIME as *const u32),
                ptr::read_volatile((MTIME + 4) as *const u32),
            )
        };
        if hi == again {
            return ((u64::from(hi) << 32) | u64::from(lo)) / TICKS_PER_US;
        }
    }
}

/// Milliseconds since the board started.
pub fn now_ms() -> u64 {
    now_us() / 1000
}

/// Exits QEMU through semihosting: status 0 if `success`, else 1.
pub fn exit(success: bool) -> ! {
    use riscv_semihosting::debug;
    debug::exit(if success {
        debug::EXIT_SUCCESS
    } else {
        debug::EXIT_FAILURE
    });
    // Only reached without semihosting (no `-semihosting-config`).
    loop {
        core::hint::spin_loop();
    }
}

// --- defmt over the UART ---------------------------------------------------

/// The defmt encoder's state and whether a log frame is open.
struct LogState {
    encoder: defmt::Encoder,
    taken: bool,
}

static mut LOG: LogState = LogState {
    encoder: defmt::Encoder::new(),
    taken: false,
};

/// Whether a defmt frame is being written (the panic handler then logs
/// nothing more: it could not be a frame of its own).
pub fn logging() -> bool {
    // SAFETY: one hart, no interrupts (see the module docs), so no access
    // to LOG can overlap this read (of a copy: no reference is made).
    unsafe { LOG.taken }
}

/// The defmt transport: rzcobs frames on the UART, decoded on the host by
/// `defmt-print -e <elf>` (the board's serial output goes to a file).
#[defmt::global_logger]
struct UartLogger;

// SAFETY: defmt requires that `acquire`/`release` bracket every frame and
// that frames never interleave. One hart and no interrupts mean only a log
// inside a log (a panic while formatting) could interleave; `acquire`
// refuses that by exiting, so `write` and `release` only ever run inside
// the one open frame.
unsafe impl defmt::Logger for UartLogger {
    fn acquire() {
        let log = &raw mut LOG;
        // SAFETY: no other access to LOG can be live (see above); the
        // accesses go through the raw pointer, never a long-lived reference.
        unsafe {
            if (*log).taken {
                exit(false);
            }
            (*log).taken = true;
            (*log).encoder.start_frame(uart_write);
        }
    }

    unsafe fn flush() {}

    unsafe fn release() {
        let log = &raw mut LOG;
        // SAFETY: as in `acquire`; defmt calls this only after `acquire`.
        unsafe {
            (*log).encoder.end_frame(uart_write);
            (*log).taken = false;
        }
    }

    unsafe fn write(bytes: &[u8]) {
        let log = &raw mut LOG;
        // SAFETY: as in `acquire`; defmt calls this only inside a frame.
        unsafe { (*log).encoder.write(bytes, uart_write) }
    }
}

// --- the stack's high-water mark -------------------------------------------

/// The word painted below the live stack at start.
const PAINT: u32 = 0xC0DE_5AFE;

unsafe extern "C" {
    /// The stack's top, from riscv-rt's link script (the stack grows down
    /// from here).
    static _stack_start: u8;
}

/// The painted window: `[bottom, top)`, word-aligned.
pub struct StackPaint {
    bottom: usize,
    top: usize,
}

/// Paints the [`STACK_WINDOW`] bytes below the caller's stack pointer
/// (minus a margin for this function's own frame).
#[inline(never)]
pub fn paint_stack() -> StackPaint {
    let sp: usize;
    // SAFETY: reads the stack pointer register into a local; no memory is
    // touched and no flags or other registers change.
    unsafe { core::arch::asm!("mv {}, sp", out(reg) sp, options(nomem, nostack, preserves_flags)) };
    let top = (sp - 64) & !3;
    let bottom = top - STACK_WINDOW;
    let mut at = bottom;
    while at < top {
        // SAFETY: `[bottom, top)` lies below the stack pointer of this
        // frame, which calls nothing while it paints: no live frame, no
        // Rust object lives there (statics are far below, at the start of
        // RAM; the 16 MiB RAM region leaves the stack's 64 KiB free).
        // Volatile word stores to free, aligned stack memory.
        unsafe { ptr::write_volatile(at as *mut u32, PAINT) };
        at += 4;
    }
    StackPaint { bottom, top }
}

impl StackPaint {
    /// Bytes of stack ever used, measured from riscv-rt's stack top to the
    /// lowest word no longer holding the paint; `None` if even the bottom
    /// of the window was overwritten (the window was too small).
    pub fn high_water(&self) -> Option<usize> {
        let mut at = self.bottom;
        while at < self.top {
            // SAFETY: the same window `paint_stack` wrote, read with
            // aligned volatile loads; those of its words still free are
            // below this function's frame and hold no Rust object.
            if unsafe { ptr::read_volatile(at as *const u32) } != PAINT {
                break;
            }
            at += 4;
        }
        if at == self.bottom {
            return None;
        }
        Some(&raw const _stack_start as usize - at)
    }
}
