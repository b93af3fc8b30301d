/*
 * Semihosting output and exit, the same on both boards: each board's
 * startup.c provides the one trap, semihost_call.
 */
#include <stdint.h>

#include "semihosting.h"

void semihost_write(const char *text) {
    semihost_call(0x04 /* SYS_WRITE0 */, text);
}

void semihost_exit(int status) {
    /* ADP_Stopped_ApplicationExit and the status. */
    const uint32_t block[2] = {0x20026u, (uint32_t)status};
    semihost_call(0x20 /* SYS_EXIT_EXTENDED */, block);
    for (;;) {
    }
}
