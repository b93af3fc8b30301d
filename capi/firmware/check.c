/*
 * s3err from C firmware (Cortex-M3 with newlib-nano, RISC-V freestanding): looks codes up, renders an error body and its
 * response head, parses the body back, and exits through semihosting
 * with status 0 when every check holds, 1 at the first that does not.
 *
 * Built by scripts/capi.sh with:
 *   BOARD          the board's name, a string literal
 *   EXPECT_COUNT   the number of codes of the groups built (from data/errors.tsv)
 *   DESCRIPTIONS   1 with the descriptions, 0 without
 *   WRONG_EXPECTATION  (optional) expects a wrong status, to show that a
 *                  failed check ends QEMU with status 1
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "s3err.h"
#include "semihosting.h"

#ifndef BOARD
#error "BOARD: the board's name"
#endif
#ifndef EXPECT_COUNT
#error "EXPECT_COUNT: the number of codes in the build"
#endif
#ifndef DESCRIPTIONS
#error "DESCRIPTIONS: 1 or 0"
#endif

#ifdef WRONG_EXPECTATION
#define NO_SUCH_KEY_STATUS 405
#else
#define NO_SUCH_KEY_STATUS 404
#endif

static int failed;

static void check(bool ok, const char *what) {
    if (!ok && !failed) {
        failed = 1;
        semihost_write("FAIL: ");
        semihost_write(what);
        semihost_write("\n");
    }
}

static bool is(s3err_str s, const char *text) {
    return s.len == strlen(text) && memcmp(s.ptr, text, s.len) == 0;
}

static s3err_str str(const char *text) {
    s3err_str s;
    s.ptr = text;
    s.len = strlen(text);
    return s;
}

/* Names from the wire, some codes and some not. */
static const char *const names[] = {"NoSuchKey", "SlowDown", "AccessDenied", "InternalError"};
static const s3err_code ids[] = {S3ERR_NoSuchKey, S3ERR_SlowDown, S3ERR_AccessDenied, S3ERR_InternalError};
static const char *const junk[] = {"", "nosuchkey", "NoSuchKey ", "NoSuchKeyX", "NoSuchKe", "x",
                                   "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};

int main(void) {
    static char body[512];
    static char text[64];
    s3err_code code = 0;
    s3err_document doc;
    s3err_response head;
    s3err_error_body parsed;
    s3err_parse_error perr;
    size_t i, n;
    const char *expected_body =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code><Message>"
#if DESCRIPTIONS
        "The specified key does not exist."
#else
        "NoSuchKey"
#endif
        "</Message><Resource>/bucket/a&amp;b.txt</Resource><RequestId>4442587FB7D0A2F9</RequestId></Error>";

    semihost_write("s3err C firmware on " BOARD "\n");
    check(s3err_abi_version() == S3ERR_ABI_VERSION, "ABI version");
    check(s3err_code_count() == EXPECT_COUNT, "code count");
    check(s3err_has_descriptions() == DESCRIPTIONS, "descriptions");

    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        check(s3err_code_from_name(names[i], strlen(names[i]), &code) && code == ids[i], "lookup");
        check(is(s3err_code_name(code), names[i]), "name");
    }
    for (i = 0; i < sizeof junk / sizeof junk[0]; i++)
        check(!s3err_code_from_name(junk[i], strlen(junk[i]), &code), "junk refused");
    for (i = 0; i <= 255; i++)
        if (s3err_code_is_known((uint8_t)i))
            check(s3err_code_from_name(s3err_code_name((s3err_code)i).ptr, s3err_code_name((s3err_code)i).len,
                                       &code) &&
                      code == i,
                  "every code round trip");
    check(s3err_code_status(S3ERR_NoSuchKey) == NO_SUCH_KEY_STATUS, "NoSuchKey status");
    check(is(s3err_code_description(S3ERR_NoSuchKey), DESCRIPTIONS ? "The specified key does not exist." : ""),
          "description");
    check(s3err_code_retry(S3ERR_SlowDown) == S3ERR_RETRY_THROTTLE, "SlowDown throttles");

    check(s3err_document_init(&doc, sizeof doc, S3ERR_NoSuchKey), "document");
    doc.resource = str("/bucket/a&b.txt");
    doc.request_id = str("4442587FB7D0A2F9");
    n = s3err_document_render(&doc, body, sizeof body, NULL);
    check(n == strlen(expected_body) && strcmp(body, expected_body) == 0, "rendered body");
    check(s3err_document_render(&doc, body, 16, NULL) == n && body[0] == '\0', "too small a buffer");
    n = s3err_document_render(&doc, body, sizeof body, NULL);
    check(s3err_document_response(&doc, &head, sizeof head, NULL), "response head");
    check(head.status == 404 && is(head.reason, "Not Found") && head.content_length == n && head.header_count == 3,
          "response head values");
    semihost_write(body);
    semihost_write("\n");

    check(s3err_parse(body, n, &parsed, sizeof parsed, &perr), "parse");
    check(parsed.known && parsed.known_code == S3ERR_NoSuchKey, "parsed code");
    check(s3err_error_body_decode(&parsed, "Resource", 8, text, sizeof text) == 15 &&
              strcmp(text, "/bucket/a&b.txt") == 0,
          "decoded resource");
    check(s3err_error_body_retry(&parsed, 404) == S3ERR_RETRY_NEVER, "retry advice");
    check(!s3err_parse("<html><body>502</body></html>", 29, &parsed, sizeof parsed, &perr) &&
              perr.kind == S3ERR_PARSE_HTML,
          "HTML refused");

    semihost_write(failed ? "FAILED\n" : "PASS\n");
    return failed;
}
