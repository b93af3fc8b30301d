// s3err.h from C++17: every function called once, built with -Wall
// -Wextra -Werror -pedantic. Exit status 0 when the answers hold.
#include "s3err.h"

#include <cstdio>
#include <cstring>

namespace {

int failures = 0;

void check(bool ok, const char *what) {
    if (!ok) {
        std::fprintf(stderr, "cxx: check failed: %s\n", what);
        failures++;
    }
}

bool is(s3err_str s, const char *text) {
    return s.len == std::strlen(text) && std::memcmp(s.ptr, text, s.len) == 0;
}

}  // namespace

int main() {
    check(s3err_abi_version() == S3ERR_ABI_VERSION, "abi version");
    check(s3err_version().len > 0, "version");
    check(s3err_code_count() > 0, "count");
    check(s3err_code_max_name_len() <= S3ERR_MAX_NAME_LEN, "max name len");
    check(s3err_code_is_known(S3ERR_NoSuchKey), "known");

    s3err_code code = 0;
    check(s3err_code_from_name("SlowDown", 8, &code) && code == S3ERR_SlowDown, "from name");
    check(is(s3err_code_name(S3ERR_NoSuchKey), "NoSuchKey"), "name");
    check(s3err_code_status(S3ERR_NoSuchKey) == 404, "status");
    check(is(s3err_code_description(S3ERR_NoSuchKey), "The specified key does not exist."), "description");
    check(s3err_code_group(S3ERR_NoSuchKey) == S3ERR_GROUP_S3, "group");
    check(s3err_code_retry(S3ERR_SlowDown) == S3ERR_RETRY_THROTTLE, "retry");
    check(is(s3err_group_name(S3ERR_GROUP_IAM), "iam"), "group name");
    check(s3err_group_is_enabled(S3ERR_GROUP_ZENKO), "group enabled");
    check(s3err_has_descriptions(), "descriptions");
    check(s3err_retry_classify("Throttling", 10, 400) == S3ERR_RETRY_THROTTLE, "classify");
    check(s3err_retry_from_status(503) == S3ERR_RETRY_TRANSIENT, "from status");
    check(is(s3err_reason_phrase(404), "Not Found"), "reason");

    s3err_document doc;
    check(s3err_document_init(&doc, sizeof doc, S3ERR_NoSuchKey), "init");
    static const char request_id[] = "4442587FB7D0A2F9";
    doc.request_id.ptr = request_id;
    doc.request_id.len = sizeof request_id - 1;
    char body[512];
    s3err_render_error rerr;
    std::size_t n = s3err_document_render(&doc, body, sizeof body, &rerr);
    check(n > 0 && n < sizeof body && rerr.kind == S3ERR_RENDER_OK, "render");

    s3err_response head;
    check(s3err_document_response(&doc, &head, sizeof head, &rerr) && head.content_length == n, "response");
    check(s3err_document_head_response(&doc, &head, sizeof head, &rerr) && !head.has_body, "head response");

    s3err_error_body parsed;
    s3err_parse_error perr;
    check(s3err_parse(body, n, &parsed, sizeof parsed, &perr) && parsed.known && parsed.known_code == S3ERR_NoSuchKey,
          "parse");
    s3err_str raw;
    check(s3err_error_body_field(&parsed, "RequestId", 9, &raw) && is(raw, request_id), "field");
    char text[64];
    check(s3err_error_body_decode(&parsed, "Code", 4, text, sizeof text) == 9, "decode");
    check(s3err_error_body_decode_trimmed(&parsed, "Code", 4, text, sizeof text) == 9, "decode trimmed");
    check(s3err_error_body_retry(&parsed, 404) == S3ERR_RETRY_NEVER, "body retry");

    if (failures == 0) std::printf("cxx: every function called from C++17\n");
    return failures == 0 ? 0 : 1;
}
