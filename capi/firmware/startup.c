/*
 * Start-up for the C firmware on a Cortex-M3 under QEMU: the vector
 * table, a reset handler that sets up .data and .bss and calls main, and
 * the semihosting trap; the exit goes through semihosting with main's status
 * (SYS_EXIT_EXTENDED: a plain return, or newlib's rdimon exit, can end
 * QEMU with 0 whatever the status). A fault exits with status 3.
 */
#include <stdint.h>
#include <string.h>

#include "semihosting.h"

extern uint32_t _data_start, _data_end, _data_load, _bss_start, _bss_end, _stack_top;
int main(void);

/* One semihosting call: operation in r0, argument block in r1. */
int semihost_call(int op, const void *arg) {
    register int r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void reset_handler(void) {
    memcpy(&_data_start, &_data_load, (size_t)((char *)&_data_end - (char *)&_data_start));
    memset(&_bss_start, 0, (size_t)((char *)&_bss_end - (char *)&_bss_start));
    semihost_exit(main());
}

static void fault_handler(void) {
    semihost_write("fault\n");
    semihost_exit(3);
}

/* Initial stack pointer, reset, NMI, HardFault, MemManage, BusFault, UsageFault. */
__attribute__((section(".vectors"), used)) static void (*const vectors[7])(void) = {
    (void (*)(void))&_stack_top, reset_handler, fault_handler, fault_handler,
    fault_handler, fault_handler, fault_handler,
};
