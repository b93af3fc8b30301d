/*
 * The size baseline: probe.c without s3err (the same start-up, the same
 * volatile input and output), so that probe minus baseline is what s3err
 * adds.
 */
#include <stddef.h>
#include <stdint.h>

static const char name[] = "NoSuchKey";
const char *volatile input = name;
volatile size_t input_len = sizeof name - 1;
volatile uint32_t sink;

int main(void) {
    const char *p = input;
    sink = (uint32_t)(uint8_t)p[0] + (uint32_t)input_len;
    return 0;
}
