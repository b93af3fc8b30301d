/* Semihosting output and exit (semihosting.c, over each board's trap). */
#ifndef S3ERR_FIRMWARE_SEMIHOSTING_H
#define S3ERR_FIRMWARE_SEMIHOSTING_H

/* One semihosting call: the operation and its argument block (each
 * board's startup.c). */
int semihost_call(int op, const void *arg);

/* Writes a NUL-terminated text to the host's console. */
void semihost_write(const char *text);

/* Ends the program (and QEMU) with `status`. */
void semihost_exit(int status) __attribute__((noreturn));

#endif
