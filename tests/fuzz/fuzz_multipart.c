/*
 * libFuzzer target for http/multipart: the input is a Content-Type header value, a newline, then
 * the body; an input that starts with '-' is all body, sent with boundary "XyZ". Whatever the
 * bytes, the parser must stay inside the body (ASan), and every part it returns must respect the
 * contract of multipart.h: data inside the body, in order and not overlapping, names non-empty
 * UTF-8 without control characters, lengths within their limits.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/utf8.h"
#include "http/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static void check_text(const char *s, size_t max)
{
    size_t n = strlen(s);
    CHECK(n <= max);
    CHECK(utf8_valid(s, n));
    for (size_t i = 0; i < n; i++)
        CHECK((unsigned char)s[i] >= 0x20 && s[i] != 0x7f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char ct[512] = "multipart/form-data; boundary=XyZ";
    const char *body = (const char *)data;
    size_t len = size;
    const uint8_t *nl =
        size && data[0] != '-' ? memchr(data, '\n', size < sizeof ct ? size : sizeof ct) : NULL;
    if (nl) {
        size_t n = (size_t)(nl - data);
        memcpy(ct, data, n);
        ct[n] = '\0'; /* a NUL inside only shortens the header value */
        body = (const char *)nl + 1;
        len = size - n - 1;
    }
    /* An exact-size copy, so that ASan catches a read one byte past the end. */
    char *copy = malloc(len ? len : 1);
    if (!copy)
        return 0;
    memcpy(copy, body, len);
    struct multipart *m = malloc(sizeof *m);
    if (!m) {
        free(copy);
        return 0;
    }
    int rc = multipart_parse(ct, copy, len, m);
    if (rc != 0) {
        CHECK(rc == ERR_INVAL || rc == ERR_TOOBIG);
        CHECK(m->nparts == 0);
    } else {
        CHECK(m->nparts <= MULTIPART_MAX_PARTS);
        const char *prev_end = copy;
        for (size_t i = 0; i < m->nparts; i++) {
            const struct multipart_part *p = &m->parts[i];
            CHECK(p->data >= prev_end);
            CHECK(p->len <= len && p->data + p->len <= copy + len);
            prev_end = p->data + p->len;
            CHECK(p->name[0] != '\0');
            check_text(p->name, MULTIPART_NAME_MAX);
            check_text(p->filename, MULTIPART_FILENAME_MAX);
            CHECK(p->has_filename || p->filename[0] == '\0');
            CHECK(strlen(p->content_type) <= MULTIPART_CONTENT_TYPE_MAX);
            CHECK(multipart_get(m, p->name) != NULL);
        }
    }
    char b[MULTIPART_BOUNDARY_MAX + 1];
    if (multipart_boundary(ct, b) == 0)
        CHECK(strlen(b) >= 1 && strlen(b) <= MULTIPART_BOUNDARY_MAX);
    free(m);
    free(copy);
    return 0;
}
