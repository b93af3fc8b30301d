/* Semihosting output and exit (startup.c). */
#ifndef S3ERR_FIRMWARE_SEMIHOSTING_H
#define S3ERR_FIRMWARE_SEMIHOSTING_H

/* Writes a NUL-terminated text to the host's console. */
void semihost_write(const char *text);

/* Ends the program (and QEMU) with `status`. */
void semihost_exit(int status) __attribute__((noreturn));

#endif
