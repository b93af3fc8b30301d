/*
 * The size probe: what a firmware that looks a name up and reads its
 * status and description links of s3err (baseline.c is the same without
 * s3err). The input goes through a volatile so nothing is folded away.
 */
#include <stddef.h>
#include <stdint.h>

#include "s3err.h"

static const char name[] = "NoSuchKey";
const char *volatile input = name;
volatile size_t input_len = sizeof name - 1;
volatile uint32_t sink;

int main(void) {
    s3err_code code = 0;
    if (s3err_code_from_name(input, input_len, &code)) {
        s3err_str d = s3err_code_description(code);
        sink = (uint32_t)s3err_code_status(code) + (uint32_t)d.len + (d.len ? (uint32_t)(uint8_t)d.ptr[0] : 0u);
    }
    return 0;
}
