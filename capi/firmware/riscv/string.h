/* The few <string.h> functions the freestanding RISC-V firmware uses
 * (libc.c defines them): there is no C library in this image. */
#ifndef S3ERR_FIRMWARE_STRING_H
#define S3ERR_FIRMWARE_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

#endif
