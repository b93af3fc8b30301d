/*
 * Start-up and exit for the C firmware on RISC-V (rv32imc) under QEMU's
 * virt board, freestanding (no libc): the entry sets the stack pointer,
 * zeroes .bss and calls main; the exit goes through semihosting
 * SYS_EXIT_EXTENDED with main's status.
 */
#include <stdint.h>

#include "semihosting.h"

extern uint32_t _bss_start, _bss_end;
int main(void);
void start_c(void);

__asm__(".section .text.start, \"ax\"\n"
        ".global _start\n"
        "_start:\n"
        "  la sp, _stack_top\n"
        "  j start_c\n");

/* One semihosting call: operation in a0, argument block in a1. QEMU
 * recognises the ebreak by the two uncompressed instructions around it. */
int semihost_call(int op, const void *arg) {
    register int a0 __asm__("a0") = op;
    register const void *a1 __asm__("a1") = arg;
    __asm__ volatile(".option push\n"
                     ".option norvc\n"
                     "slli zero, zero, 0x1f\n"
                     "ebreak\n"
                     "srai zero, zero, 7\n"
                     ".option pop\n"
                     : "+r"(a0)
                     : "r"(a1)
                     : "memory");
    return a0;
}

void start_c(void) {
    uint32_t *p;
    for (p = &_bss_start; p < &_bss_end; p++) *p = 0;
    semihost_exit(main());
}
