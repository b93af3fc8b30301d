/*
 * The C API from C, on the host: every code against data/errors.tsv
 * (read here, columns found by the header, retired rows skipped), render
 * -> parse round trips, exact bodies and heads, too-small buffers,
 * hostile bodies, and every NULL / length misuse.
 *
 *   host DATA_TSV GROUPS DESCRIPTIONS VERSION
 *
 * GROUPS is the comma-separated list of groups this build has ("s3,iam,zenko"),
 * DESCRIPTIONS 1 or 0, VERSION the s3err version (from Cargo.toml): what
 * the library was built with, given by the script that built it.
 * Bodies are copied into heap blocks of their exact length, so that
 * AddressSanitizer sees any read past their end. Exit status 0 on
 * success, 1 on the first failure (which is printed).
 */
#include "s3err.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int checks;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        checks++;                                                                    \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            exit(1);                                                                 \
        }                                                                            \
    } while (0)

/* s3err_str equals the NUL-terminated `s`. */
static int str_is(s3err_str a, const char *s) {
    size_t n = strlen(s);
    return a.ptr != NULL && a.len == n && memcmp(a.ptr, s, n) == 0;
}

/* `buf` starts with `s`. */
static int starts(const char *buf, const char *s) {
    return strncmp(buf, s, strlen(s)) == 0;
}

/* A heap copy of exactly `len` bytes (at least one byte allocated). */
static char *exact(const char *bytes, size_t len) {
    char *p = (char *)malloc(len ? len : 1);
    CHECK(p != NULL);
    if (len) memcpy(p, bytes, len);
    return p;
}

/* ---- The table, from the data file. */

#define MAX_ROWS 256
struct row {
    int id;
    char name[64];
    int status;
    char group[16];
    char description[1024];
};
static struct row rows[MAX_ROWS];
static int nrows;

static int column(char **fields, int n, const char *name) {
    int i;
    for (i = 0; i < n; i++)
        if (strcmp(fields[i], name) == 0) return i;
    fprintf(stderr, "data file: no `%s` column\n", name);
    exit(1);
}

static int split(char *line, char **fields, int max) {
    int n = 0;
    char *p = line;
    line[strcspn(line, "\r\n")] = '\0';
    while (n < max) {
        char *tab = strchr(p, '\t');
        fields[n++] = p;
        if (!tab) break;
        *tab = '\0';
        p = tab + 1;
    }
    return n;
}

static void read_table(const char *path) {
    static char line[2048];
    char *f[16];
    int n, c_id, c_name, c_status, c_group, c_desc;
    FILE *in = fopen(path, "r");
    CHECK(in != NULL);
    /* The header is the first comment line with tabs: `# id<TAB>name...`;
     * the comment lines above it are prose. */
    do {
        CHECK(fgets(line, sizeof line, in) != NULL);
        CHECK(line[0] == '#');
    } while (strchr(line, '\t') == NULL);
    {
        char *h = line + 1;
        while (*h == ' ') h++;
        n = split(h, f, 16);
    }
    c_id = column(f, n, "id");
    c_name = column(f, n, "name");
    c_status = column(f, n, "status");
    c_group = column(f, n, "group");
    c_desc = column(f, n, "description");
    while (fgets(line, sizeof line, in)) {
        struct row *r;
        if (line[0] == '#' || line[0] == '\n') continue;
        n = split(line, f, 16);
        CHECK(n > c_desc && n > c_id && n > c_name && n > c_status && n > c_group);
        if (strcmp(f[c_group], "retired") == 0) continue;
        CHECK(nrows < MAX_ROWS);
        r = &rows[nrows++];
        r->id = atoi(f[c_id]);
        r->status = atoi(f[c_status]);
        CHECK(strlen(f[c_name]) < sizeof r->name);
        CHECK(strlen(f[c_group]) < sizeof r->group);
        CHECK(strlen(f[c_desc]) < sizeof r->description);
        strcpy(r->name, f[c_name]);
        strcpy(r->group, f[c_group]);
        strcpy(r->description, f[c_desc]);
    }
    fclose(in);
    CHECK(nrows > 0);
}

static const struct row *row_named(const char *name) {
    int i;
    for (i = 0; i < nrows; i++)
        if (strcmp(rows[i].name, name) == 0) return &rows[i];
    fprintf(stderr, "data file: no row `%s`\n", name);
    exit(1);
}

/* Whether `group` is in the comma-separated `list`. */
static int listed(const char *list, const char *group) {
    size_t n = strlen(group);
    const char *p = list;
    while (*p) {
        size_t k = strcspn(p, ",");
        if (k == n && strncmp(p, group, n) == 0) return 1;
        p += k;
        if (*p == ',') p++;
    }
    return 0;
}

static void test_table(const char *groups, int descriptions) {
    int i, longest = 0, max_id = 0, in_build = 0;
    char seen[256];
    memset(seen, 0, sizeof seen);
    for (i = 0; i < nrows; i++) {
        const struct row *r = &rows[i];
        int on = listed(groups, r->group);
        s3err_code code = 0;
        CHECK(r->id >= 0 && r->id <= 255);
        seen[r->id] = 1;
        if ((int)strlen(r->name) > longest) longest = (int)strlen(r->name);
        if (r->id > max_id) max_id = r->id;
        CHECK(s3err_code_is_known((uint8_t)r->id) == (on != 0));
        CHECK(s3err_code_from_name(r->name, strlen(r->name), &code) == (on != 0));
        if (!on) {
            CHECK(s3err_code_name((s3err_code)r->id).len == 0);
            CHECK(s3err_code_status((s3err_code)r->id) == 0);
            continue;
        }
        in_build++;
        CHECK(code == r->id);
        CHECK(str_is(s3err_code_name(code), r->name));
        CHECK(s3err_code_status(code) == r->status);
        CHECK(str_is(s3err_code_description(code), descriptions ? r->description : ""));
        CHECK(str_is(s3err_group_name(s3err_code_group(code)), r->group));
        CHECK(s3err_group_is_enabled(s3err_code_group(code)));
        CHECK(s3err_code_retry(code) == s3err_retry_classify(r->name, strlen(r->name), (uint16_t)r->status));
        /* Near misses are not codes. */
        {
            char near[80];
            size_t n = strlen(r->name);
            memcpy(near, r->name, n);
            near[0] = (char)(near[0] ^ 0x20); /* first letter's case flipped */
            CHECK(!s3err_code_from_name(near, n, &code));
            near[0] = r->name[0];
            near[n] = 'x';
            CHECK(!s3err_code_from_name(near, n + 1, &code));
            CHECK(!s3err_code_from_name(near, n - 1, &code) || s3err_code_name(code).len == n - 1);
        }
    }
    CHECK(s3err_code_count() == (size_t)in_build);
    CHECK(S3ERR_MAX_ID == max_id);
    CHECK(S3ERR_MAX_NAME_LEN == longest);
    CHECK(s3err_code_max_name_len() <= S3ERR_MAX_NAME_LEN);
    CHECK(s3err_has_descriptions() == (descriptions != 0));
    for (i = 0; i < 256; i++) {
        if (seen[i]) continue;
        CHECK(!s3err_code_is_known((uint8_t)i));
        CHECK(s3err_code_name((s3err_code)i).len == 0);
        CHECK(s3err_code_name((s3err_code)i).ptr != NULL);
        CHECK(s3err_code_status((s3err_code)i) == 0);
        CHECK(s3err_code_description((s3err_code)i).len == 0);
        CHECK(s3err_code_group((s3err_code)i) == S3ERR_GROUP_NONE);
        CHECK(s3err_code_retry((s3err_code)i) == S3ERR_RETRY_INVALID);
    }
    /* Named constants are the data file's ids (the naming rule: S3ERR_ + name without dots). */
    CHECK(S3ERR_AccessDenied == row_named("AccessDenied")->id);
    CHECK(S3ERR_NoSuchKey == row_named("NoSuchKey")->id);
    CHECK(S3ERR_SlowDown == row_named("SlowDown")->id);
    CHECK(S3ERR_NoSuchEntity == row_named("NoSuchEntity")->id);
    CHECK(S3ERR_MPUinProgress == row_named("MPUinProgress")->id);
    CHECK(S3ERR_ServiceUnavailable == row_named("ServiceUnavailable")->id);
    /* Groups. */
    CHECK(str_is(s3err_group_name(S3ERR_GROUP_S3), "s3"));
    CHECK(str_is(s3err_group_name(S3ERR_GROUP_IAM), "iam"));
    CHECK(str_is(s3err_group_name(S3ERR_GROUP_ZENKO), "zenko"));
    CHECK(s3err_group_name(S3ERR_GROUP_NONE).len == 0);
    CHECK(s3err_group_is_enabled(S3ERR_GROUP_S3) == listed(groups, "s3"));
    CHECK(s3err_group_is_enabled(S3ERR_GROUP_IAM) == listed(groups, "iam"));
    CHECK(s3err_group_is_enabled(S3ERR_GROUP_ZENKO) == listed(groups, "zenko"));
    CHECK(!s3err_group_is_enabled(S3ERR_GROUP_NONE));
}

static void test_retry(void) {
    CHECK(s3err_retry_classify("ThrottlingException", 19, 400) == S3ERR_RETRY_THROTTLE);
    CHECK(s3err_retry_classify("SlowDown", 8, 503) == S3ERR_RETRY_THROTTLE);
    CHECK(s3err_retry_classify("NoSuchKey", 9, 404) == S3ERR_RETRY_NEVER);
    CHECK(s3err_retry_classify("Whatever", 8, 503) == S3ERR_RETRY_TRANSIENT);
    CHECK(s3err_retry_classify("AccessDenied", 12, 200) == S3ERR_RETRY_TRANSIENT);
    CHECK(s3err_retry_classify("Whatever", 8, 429) == S3ERR_RETRY_THROTTLE);
    CHECK(s3err_retry_classify("\xff\xfe", 2, 400) == S3ERR_RETRY_NEVER);
    CHECK(s3err_retry_from_status(502) == S3ERR_RETRY_TRANSIENT);
    CHECK(s3err_retry_from_status(429) == S3ERR_RETRY_THROTTLE);
    CHECK(s3err_retry_from_status(200) == S3ERR_RETRY_NEVER);
    CHECK(s3err_retry_from_status(403) == S3ERR_RETRY_NEVER);
    if (s3err_code_is_known(S3ERR_SlowDown)) {
        CHECK(s3err_code_retry(S3ERR_SlowDown) == S3ERR_RETRY_THROTTLE);
        CHECK(s3err_code_retry(S3ERR_InternalError) == S3ERR_RETRY_TRANSIENT);
        CHECK(s3err_code_retry(S3ERR_NoSuchKey) == S3ERR_RETRY_NEVER);
    }
}

/* ---- Rendering. */

static s3err_document doc_for(s3err_code code) {
    s3err_document d;
    CHECK(s3err_document_init(&d, sizeof d, code));
    return d;
}

static s3err_str text(const char *s) {
    s3err_str t;
    t.ptr = s;
    t.len = strlen(s);
    return t;
}

static void test_render(int descriptions) {
    static const char expected[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>"
        "<Resource>/bucket/a&amp;b.txt</Resource><RequestId>4442587FB7D0A2F9</RequestId></Error>";
    char buf[1024];
    s3err_render_error err;
    s3err_document d;
    size_t n, need;
    if (!s3err_code_is_known(S3ERR_NoSuchKey)) return;
    d = doc_for(S3ERR_NoSuchKey);
    CHECK(d.size == sizeof d && d.code == S3ERR_NoSuchKey && d.message.ptr == NULL && d.form == S3ERR_FORM_DEFAULT);
    d.resource = text("/bucket/a&b.txt");
    d.request_id = text("4442587FB7D0A2F9");
    need = s3err_document_render(&d, NULL, 0, &err);
    CHECK(err.kind == S3ERR_RENDER_OK);
    if (descriptions) CHECK(need == strlen(expected));
    n = s3err_document_render(&d, buf, sizeof buf, &err);
    CHECK(n == need && err.kind == S3ERR_RENDER_OK && buf[n] == '\0' && strlen(buf) == n);
    if (descriptions) CHECK(strcmp(buf, expected) == 0);
    /* Too small, by one (no room for the NUL) and by more: the length, an empty string. */
    memset(buf, 'x', sizeof buf);
    CHECK(s3err_document_render(&d, buf, need, &err) == need && buf[0] == '\0' && err.kind == S3ERR_RENDER_OK);
    memset(buf, 'x', sizeof buf);
    CHECK(s3err_document_render(&d, buf, 10, NULL) == need && buf[0] == '\0' && buf[10] == 'x');
    /* Size 0 writes nothing, even with a buffer. */
    memset(buf, 'x', sizeof buf);
    CHECK(s3err_document_render(&d, buf, 0, NULL) == need && buf[0] == 'x');
    /* Exactly enough. */
    {
        char *exact_buf = (char *)malloc(need + 1);
        CHECK(exact_buf != NULL);
        CHECK(s3err_document_render(&d, exact_buf, need + 1, NULL) == need && exact_buf[need] == '\0');
        free(exact_buf);
    }

    /* Message, host id, arguments. */
    {
        s3err_argument args[2];
        args[0].name = text("x-amz-a");
        args[0].value = text("1<2");
        args[1].name = text("b");
        args[1].value = text("");
        d.message = text("Gone & lost");
        d.host_id = text("host/1");
        d.arguments = args;
        d.argument_count = 2;
        n = s3err_document_render(&d, buf, sizeof buf, &err);
        CHECK(n > 0 && err.kind == S3ERR_RENDER_OK);
        CHECK(strstr(buf, "<Message>Gone &amp; lost</Message><ArgumentName1>x-amz-a</ArgumentName1>"
                          "<ArgumentValue1>1&lt;2</ArgumentValue1><ArgumentName2>b</ArgumentName2>"
                          "<ArgumentValue2></ArgumentValue2><Resource>") != NULL);
        CHECK(strstr(buf, "<RequestId>4442587FB7D0A2F9</RequestId><HostId>host/1</HostId></Error>") != NULL);
        /* An argument that is not UTF-8: which one, where. */
        args[1].value = text("ok\xc3");
        CHECK(s3err_document_render(&d, buf, sizeof buf, &err) == 0 && buf[0] == '\0');
        CHECK(err.kind == S3ERR_RENDER_INVALID_UTF8 && err.field == S3ERR_FIELD_ARGUMENT_VALUE);
        CHECK(err.argument == 2 && err.offset == 2);
        d.argument_count = 0;
        d.arguments = NULL;
    }

    /* Characters XML cannot carry: replaced by default, refused on request. */
    d.message = text("a\x01" "b");
    n = s3err_document_render(&d, buf, sizeof buf, &err);
    CHECK(n > 0 && strstr(buf, "<Message>a\xef\xbf\xbd" "b</Message>") != NULL);
    d.invalid_chars = S3ERR_INVALID_CHARS_REJECT;
    CHECK(s3err_document_render(&d, buf, sizeof buf, &err) == 0);
    CHECK(err.kind == S3ERR_RENDER_INVALID_CHAR && err.field == S3ERR_FIELD_MESSAGE && err.offset == 1);
    CHECK(s3err_document_render(&d, NULL, 0, &err) == 0 && err.kind == S3ERR_RENDER_INVALID_CHAR);
    d.invalid_chars = S3ERR_INVALID_CHARS_REPLACE;
    d.resource = text("/\xff");
    CHECK(s3err_document_render(&d, buf, sizeof buf, &err) == 0);
    CHECK(err.kind == S3ERR_RENDER_INVALID_UTF8 && err.field == S3ERR_FIELD_RESOURCE && err.offset == 1);

    /* The IAM form. */
    if (s3err_code_is_known(S3ERR_NoSuchEntity)) {
        s3err_document iam = doc_for(S3ERR_NoSuchEntity);
        iam.request_id = text("r1");
        n = s3err_document_render(&iam, buf, sizeof buf, &err);
        CHECK(n > 0);
        CHECK(starts(buf, "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error>"
                          "<Type>Sender</Type><Code>NoSuchEntity</Code><Message>"));
        CHECK(strstr(buf, "</Message></Error><RequestId>r1</RequestId></ErrorResponse>") != NULL);
        iam.form = S3ERR_FORM_S3;
        CHECK(s3err_document_render(&iam, buf, sizeof buf, &err) > 0);
        CHECK(starts(buf, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchEntity</Code>"));
    }

    /* Without descriptions the message is the name. */
    if (!descriptions) {
        s3err_document plain = doc_for(S3ERR_NoSuchKey);
        CHECK(s3err_document_render(&plain, buf, sizeof buf, NULL) > 0);
        CHECK(strstr(buf, "<Message>NoSuchKey</Message>") != NULL);
    }

    /* A code this build does not have. */
    {
        s3err_document unknown = doc_for(250);
        CHECK(s3err_document_render(&unknown, buf, sizeof buf, &err) == 0);
        CHECK(err.kind == S3ERR_RENDER_UNKNOWN_CODE);
    }

    /* A code outside the table, by name and status: the S3 form, the code as the message. */
    {
        s3err_document custom = doc_for(0);
        s3err_response r;
        s3err_error_body b;
        custom.code_name = text("NoSuchThing");
        custom.status = 404;
        custom.request_id = text("r2");
        n = s3err_document_render(&custom, buf, sizeof buf, &err);
        CHECK(n > 0 && err.kind == S3ERR_RENDER_OK);
        CHECK(strcmp(buf, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchThing</Code>"
                          "<Message>NoSuchThing</Message><RequestId>r2</RequestId></Error>") == 0);
        CHECK(s3err_parse(buf, n, &b, sizeof b, NULL) && !b.known && str_is(b.code, "NoSuchThing"));
        CHECK(s3err_document_response(&custom, &r, sizeof r, &err) && r.status == 404 && r.content_length == n);
        /* A code of the table by name: its own document, with the status given. */
        if (s3err_code_is_known(S3ERR_NoSuchKey)) {
            s3err_document by_id = doc_for(S3ERR_NoSuchKey);
            char again[1024];
            size_t m;
            custom.code_name = text("NoSuchKey");
            custom.status = 410;
            by_id.request_id = text("r2");
            n = s3err_document_render(&custom, buf, sizeof buf, &err);
            m = s3err_document_render(&by_id, again, sizeof again, NULL);
            CHECK(n > 0 && n == m && strcmp(buf, again) == 0);
            CHECK(s3err_document_response(&custom, &r, sizeof r, &err) && r.status == 410);
        }
        /* Refused: a byte that cannot be in a code, a length, a status. */
        custom.code_name = text("No Such");
        CHECK(s3err_document_render(&custom, buf, sizeof buf, &err) == 0 && buf[0] == '\0');
        CHECK(err.kind == S3ERR_RENDER_INVALID_CODE && err.field == S3ERR_FIELD_CODE && err.offset == 2);
        custom.code_name.len = 0;
        CHECK(s3err_document_render(&custom, buf, sizeof buf, &err) == 0);
        CHECK(err.kind == S3ERR_RENDER_INVALID_CODE_LENGTH && err.offset == 0);
        custom.code_name = text("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        CHECK(custom.code_name.len == S3ERR_MAX_CUSTOM_CODE_LEN + 1);
        CHECK(s3err_document_render(&custom, buf, sizeof buf, &err) == 0);
        CHECK(err.kind == S3ERR_RENDER_INVALID_CODE_LENGTH && err.offset == S3ERR_MAX_CUSTOM_CODE_LEN + 1);
        custom.code_name.len = S3ERR_MAX_CUSTOM_CODE_LEN;
        CHECK(s3err_document_render(&custom, buf, sizeof buf, &err) > 0);
        custom.status = 99;
        CHECK(s3err_document_render(&custom, buf, sizeof buf, &err) == 0 && err.kind == S3ERR_RENDER_INVALID_STATUS);
        custom.status = 600;
        CHECK(!s3err_document_response(&custom, &r, sizeof r, &err) && err.kind == S3ERR_RENDER_INVALID_STATUS);
    }
    /* Another namespace for the query form. */
    if (s3err_code_is_known(S3ERR_NoSuchEntity)) {
        s3err_document ns = doc_for(S3ERR_NoSuchEntity);
        ns.xml_namespace = text("https://sts.amazonaws.com/doc/2011-06-15/");
        n = s3err_document_render(&ns, buf, sizeof buf, &err);
        CHECK(n > 0 && starts(buf, "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"));
    }
}

static void test_response(void) {
    s3err_document d;
    s3err_response r;
    s3err_render_error err;
    char buf[1024];
    size_t n;
    if (!s3err_code_is_known(S3ERR_NoSuchKey)) return;
    d = doc_for(S3ERR_NoSuchKey);
    d.request_id = text("4442587FB7D0A2F9");
    d.bucket_region = text("eu-west-1");
    n = s3err_document_render(&d, buf, sizeof buf, NULL);
    CHECK(s3err_document_response(&d, &r, sizeof r, &err) && err.kind == S3ERR_RENDER_OK);
    CHECK(r.status == 404 && str_is(r.reason, "Not Found") && r.has_body && r.content_length == n);
    CHECK(r.header_count == 4);
    CHECK(r.headers[0].id == S3ERR_HEADER_CONTENT_TYPE && str_is(r.headers[0].name, "Content-Type"));
    CHECK(str_is(r.headers[0].value, "application/xml"));
    CHECK(r.headers[1].id == S3ERR_HEADER_CONTENT_LENGTH && str_is(r.headers[1].name, "Content-Length"));
    CHECK(r.headers[1].number == n && r.headers[1].value.len == 0);
    CHECK(r.headers[2].id == S3ERR_HEADER_REQUEST_ID && str_is(r.headers[2].name, "x-amz-request-id"));
    CHECK(str_is(r.headers[2].value, "4442587FB7D0A2F9"));
    CHECK(r.headers[3].id == S3ERR_HEADER_BUCKET_REGION && str_is(r.headers[3].name, "x-amz-bucket-region"));
    CHECK(str_is(r.headers[3].value, "eu-west-1"));
    CHECK(s3err_document_head_response(&d, &r, sizeof r, &err));
    CHECK(r.status == 404 && !r.has_body && r.content_length == 0 && r.header_count == 2);
    CHECK(r.headers[0].id == S3ERR_HEADER_REQUEST_ID);
    /* No header injection: refused for GET and HEAD alike, *out untouched. */
    d.request_id = text("abc\r\nSet-Cookie: x");
    r.status = 1;
    CHECK(!s3err_document_response(&d, &r, sizeof r, &err) && r.status == 1);
    CHECK(err.kind == S3ERR_RENDER_INVALID_HEADER_VALUE && err.field == S3ERR_FIELD_REQUEST_ID && err.offset == 3);
    CHECK(!s3err_document_head_response(&d, &r, sizeof r, &err));
    CHECK(err.kind == S3ERR_RENDER_INVALID_HEADER_VALUE);
    /* Reason phrases. */
    CHECK(str_is(s3err_reason_phrase(503), "Service Unavailable"));
    CHECK(s3err_reason_phrase(599).len == 0 && s3err_reason_phrase(599).ptr != NULL);
}

/* ---- Parsing. */

static void test_parse(void) {
    static const char aws[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<Error><Code> <![CDATA[NoSuchKey]]>&#32;</Code><Message>The specified key does not exist.</Message>"
        "<Key>a&amp;b &lt;c&gt;</Key><RequestId>4442587FB7D0A2F9</RequestId>"
        "<HostId>h/1</HostId></Error>";
    char *body = exact(aws, sizeof aws - 1);
    char buf[256];
    s3err_error_body b;
    s3err_parse_error err;
    s3err_str raw;
    size_t n;
    CHECK(s3err_parse(body, sizeof aws - 1, &b, sizeof b, &err));
    CHECK(err.kind == S3ERR_PARSE_OK);
    CHECK(b.body.ptr == body && b.body.len == sizeof aws - 1);
    CHECK(str_is(b.code, " <![CDATA[NoSuchKey]]>&#32;"));
    CHECK(str_is(b.message, "The specified key does not exist."));
    CHECK(str_is(b.request_id, "4442587FB7D0A2F9") && str_is(b.host_id, "h/1"));
    CHECK(b.resource.ptr == NULL && b.resource.len == 0 && b.error_type.ptr == NULL);
    CHECK(b.known == s3err_code_is_known(S3ERR_NoSuchKey));
    if (b.known) CHECK(b.known_code == S3ERR_NoSuchKey);
    /* Fields by name, raw and decoded. */
    CHECK(s3err_error_body_field(&b, "Key", 3, &raw) && str_is(raw, "a&amp;b &lt;c&gt;"));
    CHECK(raw.ptr > body && raw.ptr < body + sizeof aws - 1);
    CHECK(!s3err_error_body_field(&b, "Bucket", 6, &raw));
    n = s3err_error_body_decode(&b, "Key", 3, buf, sizeof buf);
    CHECK(n == 7 && strcmp(buf, "a&b <c>") == 0);
    /* The code: decoded as it is, and trimmed (whitespace literal, in CDATA, or a reference). */
    n = s3err_error_body_decode(&b, "Code", 4, buf, sizeof buf);
    CHECK(n == 11 && strcmp(buf, " NoSuchKey ") == 0);
    n = s3err_error_body_decode_trimmed(&b, "Code", 4, buf, sizeof buf);
    CHECK(n == 9 && strcmp(buf, "NoSuchKey") == 0);
    /* Too small: the length, an empty string; exactly enough: the text. */
    memset(buf, 'x', sizeof buf);
    CHECK(s3err_error_body_decode_trimmed(&b, "Code", 4, buf, 9) == 9 && buf[0] == '\0' && buf[1] == 'x');
    CHECK(s3err_error_body_decode_trimmed(&b, "Code", 4, buf, 10) == 9 && strcmp(buf, "NoSuchKey") == 0);
    CHECK(s3err_error_body_decode_trimmed(&b, "Code", 4, NULL, 0) == 9);
    /* Absent: 0 and an empty string. */
    buf[0] = 'x';
    CHECK(s3err_error_body_decode(&b, "Resource", 8, buf, sizeof buf) == 0 && buf[0] == '\0');
    /* Retry advice from the body. */
    CHECK(s3err_error_body_retry(&b, 404) == S3ERR_RETRY_NEVER);
    CHECK(s3err_error_body_retry(&b, 200) == S3ERR_RETRY_TRANSIENT);
    free(body);

    /* The IAM form: Type, RequestId in the wrapper. */
    {
        static const char iam[] =
            "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Receiver</Type>"
            "<Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r-9</RequestId></ErrorResponse>";
        body = exact(iam, sizeof iam - 1);
        CHECK(s3err_parse(body, sizeof iam - 1, &b, sizeof b, NULL));
        CHECK(str_is(b.code, "Throttling") && str_is(b.error_type, "Receiver") && str_is(b.request_id, "r-9"));
        CHECK(b.known == s3err_code_is_known(S3ERR_Throttling));
        CHECK(s3err_error_body_retry(&b, 400) == S3ERR_RETRY_THROTTLE);
        free(body);
    }
    /* EC2's form, an unknown code. */
    {
        static const char ec2[] =
            "<Response><Errors><Error><Code>SomethingNew</Code></Error></Errors><RequestID>e-1</RequestID></Response>";
        body = exact(ec2, sizeof ec2 - 1);
        CHECK(s3err_parse(body, sizeof ec2 - 1, &b, sizeof b, NULL));
        CHECK(str_is(b.code, "SomethingNew") && !b.known && b.known_code == 0 && str_is(b.request_id, "e-1"));
        CHECK(s3err_error_body_decode(&b, "RequestId", 9, buf, sizeof buf) == 3 && strcmp(buf, "e-1") == 0);
        CHECK(s3err_error_body_retry(&b, 502) == S3ERR_RETRY_TRANSIENT);
        CHECK(s3err_error_body_retry(&b, 400) == S3ERR_RETRY_NEVER);
        free(body);
    }
}

/* Render every code of the build and parse it back. */
static void test_round_trips(int descriptions) {
    int i;
    char buf[1024], dec[512];
    for (i = 0; i < nrows; i++) {
        const struct row *r = &rows[i];
        s3err_document d;
        s3err_error_body b;
        s3err_parse_error perr;
        size_t n;
        char *body;
        if (!s3err_code_is_known((uint8_t)r->id)) continue;
        d = doc_for((s3err_code)r->id);
        d.resource = text("/b/k&<>'\"");
        d.request_id = text("req-1");
        n = s3err_document_render(&d, buf, sizeof buf, NULL);
        CHECK(n > 0 && n < sizeof buf);
        body = exact(buf, n);
        CHECK(s3err_parse(body, n, &b, sizeof b, &perr));
        CHECK(b.known && b.known_code == r->id && str_is(b.code, r->name));
        CHECK(s3err_error_body_decode(&b, "Message", 7, dec, sizeof dec) < sizeof dec);
        CHECK(strcmp(dec, descriptions ? r->description : r->name) == 0);
        CHECK(s3err_error_body_decode(&b, "Resource", 8, dec, sizeof dec) == 9 && strcmp(dec, "/b/k&<>'\"") == 0);
        CHECK(s3err_error_body_decode(&b, "RequestId", 9, dec, sizeof dec) == 5 && strcmp(dec, "req-1") == 0);
        CHECK(s3err_error_body_retry(&b, (uint16_t)r->status) == s3err_code_retry((s3err_code)r->id));
        CHECK((b.error_type.ptr != NULL) == (strcmp(r->group, "iam") == 0));
        free(body);
    }
}

struct hostile {
    const char *body;
    size_t len; /* 0: strlen */
    uint8_t kind;
    size_t offset; /* (size_t)-1: not checked */
};

static void test_hostile(void) {
    static const struct hostile cases[] = {
        {"", 0, S3ERR_PARSE_EMPTY, 0},
        {" \n\t ", 0, S3ERR_PARSE_EMPTY, (size_t)-1},
        {"NoSuchKey", 0, S3ERR_PARSE_NOT_XML, 0},
        {"{\"Code\":\"NoSuchKey\"}", 0, S3ERR_PARSE_NOT_XML, 0},
        {"<html><body>502 Bad Gateway</body></html>", 0, S3ERR_PARSE_HTML, (size_t)-1},
        {"<Error><Code>\xff</Code></Error>", 0, S3ERR_PARSE_INVALID_UTF8, 13},
        {"<Error><Code>a\x01</Code></Error>", 0, S3ERR_PARSE_INVALID_CHAR, (size_t)-1},
        {"<?xml version=\"1.0\" encoding=\"UTF-16\"?><Error><Code>A</Code></Error>", 0,
         S3ERR_PARSE_UNSUPPORTED_ENCODING, (size_t)-1},
        {"<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]><Error><Code>&lol2;</Code></Error>", 0,
         S3ERR_PARSE_DOCTYPE, (size_t)-1},
        {"<Error><Code>NoSuchKey</Code>", 0, S3ERR_PARSE_UNEXPECTED_EOF, (size_t)-1},
        {"<Error><Code>a</Cod></Error>", 0, S3ERR_PARSE_MISMATCHED_TAG, (size_t)-1},
        {"<Error a='1' a='2'><Code>A</Code></Error>", 0, S3ERR_PARSE_DUPLICATE_ATTRIBUTE, (size_t)-1},
        {"<Error><Code>&nbsp;</Code></Error>", 0, S3ERR_PARSE_UNDEFINED_ENTITY, (size_t)-1},
        {"<Error><Code>&#0;</Code></Error>", 0, S3ERR_PARSE_INVALID_CHAR_REF, (size_t)-1},
        {"<Error><Code>]]></Code></Error>", 0, S3ERR_PARSE_CDATA_END_IN_TEXT, (size_t)-1},
        {"<Error><!-- a -- b --><Code>A</Code></Error>", 0, S3ERR_PARSE_MALFORMED_COMMENT, (size_t)-1},
        {"<Error><Code>A</Code></Error><x/>", 0, S3ERR_PARSE_TRAILING_CONTENT, (size_t)-1},
        {"<Foo><Code>NoSuchKey</Code></Foo>", 0, S3ERR_PARSE_NOT_AN_ERROR_DOCUMENT, 0},
        {"<Error/>", 0, S3ERR_PARSE_MISSING_CODE, 0},
        {"<Error><Code>A</Code><?xml version=\"1.0\"?></Error>", 0, S3ERR_PARSE_MISPLACED_DECLARATION, (size_t)-1},
        {"<Error><Code>A<</Code></Error>", 0, S3ERR_PARSE_SYNTAX, (size_t)-1},
        {"<Error>\0<Code>A</Code></Error>", 29, S3ERR_PARSE_INVALID_CHAR, 7},
    };
    size_t i, cut;
    s3err_error_body b;
    s3err_parse_error err;
    char deep[4096];
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].body);
        char *body = exact(cases[i].body, len);
        b.known = true;
        if (s3err_parse(body, len, &b, sizeof b, &err) || err.kind != cases[i].kind ||
            (cases[i].offset != (size_t)-1 && err.offset != cases[i].offset)) {
            fprintf(stderr, "hostile body %u: kind %u at %u, expected %u\n", (unsigned)i, (unsigned)err.kind,
                    (unsigned)err.offset, (unsigned)cases[i].kind);
            CHECK(0);
        }
        CHECK(b.known); /* *out untouched */
        CHECK(err.offset <= len);
        CHECK((err.kind == S3ERR_PARSE_SYNTAX) == (err.detail.len > 0));
        free(body);
    }
    /* Nesting far deeper than any error document: refused, no recursion. */
    {
        size_t n = 0;
        char *body;
        strcpy(deep, "<Error>");
        n = strlen(deep);
        while (n + 3 < sizeof deep) {
            memcpy(deep + n, "<a>", 3);
            n += 3;
        }
        body = exact(deep, n);
        CHECK(!s3err_parse(body, n, &b, sizeof b, &err) && err.kind == S3ERR_PARSE_TOO_DEEP);
        free(body);
    }
    /* Every prefix of a valid body: refused or parsed, never read past its end. */
    {
        static const char ok[] =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code><![CDATA[SlowDown]]></Code>"
            "<Message>a&#x42;c&amp;</Message><!-- c --><RequestId>r</RequestId></Error>";
        for (cut = 0; cut <= sizeof ok - 1; cut++) {
            char *body = exact(ok, cut);
            bool parsed = s3err_parse(body, cut, &b, sizeof b, &err);
            CHECK(parsed == (cut == sizeof ok - 1) || (parsed && cut > sizeof ok - 1 - 8));
            if (parsed) {
                char dec[64];
                CHECK(s3err_error_body_decode(&b, "Message", 7, dec, sizeof dec) == 4 && strcmp(dec, "aBc&") == 0);
                CHECK(s3err_error_body_decode_trimmed(&b, "Code", 4, dec, sizeof dec) == 8 && strcmp(dec, "SlowDown") == 0);
            } else {
                CHECK(err.offset <= cut);
            }
            free(body);
        }
    }
}

/* Every NULL and length misuse gets the documented error value. */
static void test_misuse(void) {
    s3err_code code = 7;
    s3err_document d, small;
    s3err_render_error rerr;
    s3err_response resp;
    s3err_error_body b;
    s3err_parse_error perr;
    s3err_str raw;
    char buf[64];
    static const char body_text[] = "<Error><Code>SlowDown</Code></Error>";
    char *body = exact(body_text, sizeof body_text - 1);

    /* Lookup. */
    CHECK(!s3err_code_from_name(NULL, 5, &code) && code == 7);
    CHECK(!s3err_code_from_name(NULL, 0, &code) && code == 7);
    CHECK(!s3err_code_from_name("NoSuchKey", 9, NULL));
    CHECK(!s3err_code_from_name("NoSuchKey", SIZE_MAX, &code) && code == 7);
    CHECK(!s3err_code_from_name("NoSuchKey\0", 10, &code));
    CHECK(s3err_retry_classify(NULL, 3, 500) == S3ERR_RETRY_INVALID);
    CHECK(s3err_retry_classify(NULL, 0, 503) == S3ERR_RETRY_TRANSIENT);
    CHECK(s3err_retry_classify("x", SIZE_MAX, 503) == S3ERR_RETRY_INVALID);

    /* Documents. */
    CHECK(!s3err_document_init(NULL, sizeof d, 0));
    memset(&small, 0x5a, sizeof small);
    CHECK(!s3err_document_init(&small, sizeof small - 1, 0) && small.code == 0x5a);
    d = doc_for(S3ERR_SlowDown);
    memset(buf, 'x', sizeof buf);
    CHECK(s3err_document_render(NULL, buf, sizeof buf, &rerr) == 0 && buf[0] == '\0');
    CHECK(rerr.kind == S3ERR_RENDER_INVALID_ARGUMENT);
    CHECK(s3err_document_render(&d, NULL, 10, &rerr) == 0 && rerr.kind == S3ERR_RENDER_INVALID_ARGUMENT);
    small = d;
    small.size = sizeof small - 1;
    CHECK(s3err_document_render(&small, buf, sizeof buf, &rerr) == 0 && rerr.kind == S3ERR_RENDER_INVALID_ARGUMENT);
    small = d;
    small.message.len = 5; /* ptr NULL */
    CHECK(s3err_document_render(&small, buf, sizeof buf, &rerr) == 0 && rerr.kind == S3ERR_RENDER_INVALID_ARGUMENT);
    small = d;
    small.resource.ptr = "x";
    small.resource.len = SIZE_MAX;
    CHECK(s3err_document_render(&small, buf, sizeof buf, &rerr) == 0 && rerr.kind == S3ERR_RENDER_INVALID_ARGUMENT);
    small = d;
    small.argument_count = 1; /* arguments NULL */
    CHECK(s3err_document_render(&small, buf, sizeof buf, &rerr) == 0 && rerr.kind == S3ERR_RENDER_INVALID_ARGUMENT);
    {
        s3err_argument args[S3ERR_MAX_ARGUMENTS + 1];
        memset(args, 0, sizeof args);
        small = d;
        small.arguments = args;
        small.argument_count = S3ERR_MAX_ARGUMENTS + 1;
        CHECK(s3err_document_render(&small, buf, sizeof buf, &rerr) == 0 && rerr.kind == S3ERR_RENDER_INVALID_ARGUMENT);
        small.argument_count = S3ERR_MAX_ARGUMENTS;
        CHECK(s3err_document_render(&small, NULL, 0, &rerr) > 0 && rerr.kind == S3ERR_RENDER_OK);
    }
    small = d;
    small.form = 3;
    CHECK(s3err_document_render(&small, buf, sizeof buf, &rerr) == 0 && rerr.kind == S3ERR_RENDER_INVALID_ARGUMENT);
    small = d;
    small.invalid_chars = 2;
    CHECK(s3err_document_render(&small, buf, sizeof buf, NULL) == 0);
    CHECK(!s3err_document_response(NULL, &resp, sizeof resp, &rerr) && rerr.kind == S3ERR_RENDER_INVALID_ARGUMENT);
    CHECK(!s3err_document_response(&d, NULL, sizeof resp, &rerr) && rerr.kind == S3ERR_RENDER_INVALID_ARGUMENT);
    CHECK(!s3err_document_response(&d, &resp, sizeof resp - 1, &rerr) && rerr.kind == S3ERR_RENDER_INVALID_ARGUMENT);
    CHECK(!s3err_document_head_response(&d, &resp, 0, NULL));

    /* Parsing. */
    CHECK(!s3err_parse(NULL, 5, &b, sizeof b, &perr) && perr.kind == S3ERR_PARSE_INVALID_ARGUMENT);
    CHECK(!s3err_parse(NULL, 0, &b, sizeof b, &perr) && perr.kind == S3ERR_PARSE_EMPTY);
    CHECK(!s3err_parse(body, sizeof body_text - 1, NULL, sizeof b, &perr) && perr.kind == S3ERR_PARSE_INVALID_ARGUMENT);
    CHECK(!s3err_parse(body, sizeof body_text - 1, &b, sizeof b - 1, &perr) && perr.kind == S3ERR_PARSE_INVALID_ARGUMENT);
    CHECK(!s3err_parse(body, SIZE_MAX, &b, sizeof b, &perr) && perr.kind == S3ERR_PARSE_INVALID_ARGUMENT);
    CHECK(s3err_parse(body, sizeof body_text - 1, &b, sizeof b, NULL));
    CHECK(!s3err_error_body_field(NULL, "Code", 4, &raw));
    CHECK(!s3err_error_body_field(&b, NULL, 4, &raw));
    CHECK(!s3err_error_body_field(&b, "Code", 4, NULL));
    CHECK(!s3err_error_body_field(&b, "", 0, &raw));
    CHECK(!s3err_error_body_field(&b, "\xff", 1, &raw));
    CHECK(s3err_error_body_decode(NULL, "Code", 4, buf, sizeof buf) == 0 && buf[0] == '\0');
    CHECK(s3err_error_body_decode(&b, NULL, 4, buf, sizeof buf) == 0);
    CHECK(s3err_error_body_decode(&b, "Code", 4, NULL, 5) == 0);
    CHECK(s3err_error_body_decode_trimmed(NULL, "Code", 4, NULL, 0) == 0);
    CHECK(s3err_error_body_retry(NULL, 503) == S3ERR_RETRY_INVALID);
    {
        s3err_error_body gone = b;
        gone.body.ptr = NULL;
        CHECK(s3err_error_body_retry(&gone, 503) == S3ERR_RETRY_INVALID);
        CHECK(s3err_error_body_decode(&gone, "Code", 4, buf, sizeof buf) == 0);
        /* A body changed since the parse is parsed again: no stale offsets are trusted. */
        gone = b;
        gone.body.len = 5;
        CHECK(s3err_error_body_retry(&gone, 503) == S3ERR_RETRY_INVALID);
        CHECK(!s3err_error_body_field(&gone, "Code", 4, &raw));
    }
    CHECK(s3err_error_body_retry(&b, 503) == S3ERR_RETRY_THROTTLE);
    {
        /* Only the body is read back: any bytes elsewhere are fine. */
        s3err_error_body junk;
        memset(&junk, 0x5a, sizeof junk);
        junk.body = b.body;
        CHECK(s3err_error_body_retry(&junk, 503) == S3ERR_RETRY_THROTTLE);
    }
    /* Output over the input: refused, nothing written. */
    CHECK(s3err_error_body_decode(&b, "Code", 4, body, sizeof body_text - 1) == 0);
    CHECK(s3err_error_body_decode(&b, "Code", 4, body + 3, 4) == 0);
    CHECK(memcmp(body, body_text, sizeof body_text - 1) == 0);
    {
        char name[16] = "Code";
        CHECK(s3err_error_body_decode(&b, name, 4, name, sizeof name) == 0 && strcmp(name, "Code") == 0);
    }
    {
        char both[128] = "a message";
        small = d;
        small.message.ptr = both;
        small.message.len = 9;
        CHECK(s3err_document_render(&small, both, sizeof both, &rerr) == 0);
        CHECK(rerr.kind == S3ERR_RENDER_INVALID_ARGUMENT && strcmp(both, "a message") == 0);
        small.message.ptr = both + 100;
        small.message.len = 1;
        CHECK(s3err_document_render(&small, both, 100, &rerr) > 0 && rerr.kind == S3ERR_RENDER_OK);
    }
    free(body);
}

int main(int argc, char **argv) {
    int descriptions;
    if (argc != 5) {
        fprintf(stderr, "usage: %s DATA_TSV GROUPS DESCRIPTIONS VERSION\n", argv[0]);
        return 2;
    }
    descriptions = atoi(argv[3]);
    CHECK(s3err_abi_version() == S3ERR_ABI_VERSION);
    CHECK(str_is(s3err_version(), argv[4]));
    read_table(argv[1]);
    test_table(argv[2], descriptions);
    test_retry();
    test_render(descriptions);
    test_response();
    test_parse();
    test_round_trips(descriptions);
    test_hostile();
    test_misuse();
    printf("host: %d checks passed (groups %s, descriptions %d)\n", checks, argv[2], descriptions);
    return 0;
}
