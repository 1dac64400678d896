/* Unit tests of http/multipart: boundaries, parts, file names, CRLF, limits and truncation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "http/multipart.h"

#define CT "multipart/form-data; boundary=XyZ"

static struct multipart *parse(const char *ct, const char *body, size_t len, int *rc)
{
    struct multipart *m = malloc(sizeof *m);
    assert_non_null(m);
    *rc = multipart_parse(ct, body, len, m);
    return m;
}

static void test_boundary(void **state)
{
    (void)state;
    char b[MULTIPART_BOUNDARY_MAX + 1];
    assert_int_equal(multipart_boundary("multipart/form-data; boundary=abc", b), 0);
    assert_string_equal(b, "abc");
    assert_int_equal(multipart_boundary("Multipart/Form-Data;BOUNDARY=\"a b:c\"", b), 0);
    assert_string_equal(b, "a b:c");
    assert_int_equal(
        multipart_boundary("multipart/form-data; charset=utf-8; boundary=----WebKitFormBoundary"
                           "7MA4YWxkTrZu0gW",
                           b),
        0);
    assert_string_equal(b, "----WebKitFormBoundary7MA4YWxkTrZu0gW");
    assert_int_equal(multipart_boundary("multipart/form-data ; boundary = x ;", b), 0);
    assert_string_equal(b, "x");
    assert_int_equal(multipart_boundary(NULL, b), ERR_INVAL);
    assert_int_equal(multipart_boundary("application/x-www-form-urlencoded", b), ERR_INVAL);
    assert_int_equal(multipart_boundary("multipart/form-data", b), ERR_INVAL);
    assert_int_equal(multipart_boundary("multipart/form-dataX; boundary=a", b), ERR_INVAL);
    assert_int_equal(multipart_boundary("multipart/form-data; boundary=", b), ERR_INVAL);
    assert_int_equal(multipart_boundary("multipart/form-data; boundary=\"a \"", b), ERR_INVAL);
    assert_int_equal(multipart_boundary("multipart/form-data; boundary=\"abc", b), ERR_INVAL);
    assert_int_equal(multipart_boundary("multipart/form-data; boundary=\"a\"b\"", b), ERR_INVAL);
    assert_int_equal(multipart_boundary("multipart/form-data; boundary=\"a\\b\"", b), ERR_INVAL);
    char long_b[200];
    snprintf(long_b, sizeof long_b, "multipart/form-data; boundary=%071d", 0);
    assert_int_equal(multipart_boundary(long_b, b), ERR_INVAL);
    snprintf(long_b, sizeof long_b, "multipart/form-data; boundary=%070d", 0);
    assert_int_equal(multipart_boundary(long_b, b), 0);
    assert_int_equal(strlen(b), 70);
}

static void test_browser_form(void **state)
{
    (void)state;
    static const char body[] =
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"csrf\"\r\n"
        "\r\n"
        "abc123\r\n"
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"partial\"\r\n"
        "\r\n"
        "1\r\n"
        "--XyZ\r\n"
        "content-disposition: form-data; filename=\"C:\\dos\\formateurs été.csv\"; name=file\r\n"
        "Content-Type: text/csv\r\n"
        "\r\n"
        "nom;prenom\r\nDurand;\xc3\x89lise\r\n\r\n--X\r\n"
        "--XyZ--\r\n"
        "epilogue";
    int rc;
    struct multipart *m = parse(CT, body, sizeof body - 1, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(m->nparts, 3);
    const struct multipart_part *p = multipart_get(m, "csrf");
    assert_non_null(p);
    assert_false(p->has_filename);
    assert_int_equal(p->len, 6);
    assert_memory_equal(p->data, "abc123", 6);
    p = multipart_get(m, "file");
    assert_non_null(p);
    assert_true(p->has_filename);
    assert_string_equal(p->filename, "C:\\dos\\formateurs été.csv");
    assert_string_equal(p->content_type, "text/csv");
    /* CRLF inside the data and a line that starts like a delimiter are data */
    static const char data[] = "nom;prenom\r\nDurand;\xc3\x89lise\r\n\r\n--X";
    assert_int_equal(p->len, sizeof data - 1);
    assert_memory_equal(p->data, data, p->len);
    assert_null(multipart_get(m, "absent"));
    free(m);
}

static void test_preamble_padding_empty(void **state)
{
    (void)state;
    static const char body[] = "preamble to ignore\r\n"
                               "--XyZ \t\r\n"
                               "Content-Disposition: form-data; name=\"file\"; filename=\"\"\r\n"
                               "Content-Type: application/octet-stream\r\n"
                               "\r\n"
                               "\r\n"
                               "--XyZ--";
    int rc;
    struct multipart *m = parse(CT, body, sizeof body - 1, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(m->nparts, 1);
    assert_true(m->parts[0].has_filename);
    assert_string_equal(m->parts[0].filename, "");
    assert_int_equal(m->parts[0].len, 0);
    free(m);
    /* no parts at all */
    m = parse(CT, "--XyZ--\r\n", 9, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(m->nparts, 0);
    free(m);
}

static void test_binary_data(void **state)
{
    (void)state;
    static const char body[] = "--XyZ\r\n"
                               "Content-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\n"
                               "\r\n"
                               "\x00\xff\r\n-\r\n--XyZa\r"
                               "\r\n--XyZ--\r\n";
    int rc;
    struct multipart *m = parse(CT, body, sizeof body - 1, &rc);
    /* "\r\n--XyZa" is a delimiter followed by junk: malformed (RFC 2046: the boundary must not
     * appear in the data) */
    assert_int_equal(rc, ERR_INVAL);
    assert_int_equal(m->nparts, 0);
    free(m);
    static const char ok[] = "--XyZ\r\n"
                             "Content-Disposition: form-data; name=\"f\"\r\n"
                             "\r\n"
                             "\x00\xff\r\n-\r\n--Xy\r"
                             "\r\n--XyZ--\r\n";
    m = parse(CT, ok, sizeof ok - 1, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(m->parts[0].len, 12);
    assert_memory_equal(m->parts[0].data, "\x00\xff\r\n-\r\n--Xy\r", 12);
    free(m);
}

/* Each of these bodies is refused with the given code. */
static void test_malformed(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        int rc;
    } cases[] = {
        {"", ERR_INVAL},
        {"no delimiter at all", ERR_INVAL},
        {"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\ntruncated", ERR_INVAL},
        {"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n", ERR_INVAL},
        {"--XyZ\r\nContent-Disposition: form-data; name=\"a\"", ERR_INVAL},
        {"--XyZ", ERR_INVAL},
        {"--XyZ\nContent-Disposition: form-data; name=a\n\nx\n--XyZ--", ERR_INVAL},
        {"--XyZ\r\n\r\nno headers\r\n--XyZ--", ERR_INVAL},
        {"--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--", ERR_INVAL},
        {"--XyZ\r\nContent-Disposition: attachment; name=a\r\n\r\nx\r\n--XyZ--", ERR_INVAL},
        {"--XyZ\r\nContent-Disposition: form-data; filename=a\r\n\r\nx\r\n--XyZ--", ERR_INVAL},
        {"--XyZ\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nx\r\n--XyZ--", ERR_INVAL},
        {"--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--XyZ--", ERR_INVAL},
        {"--XyZ\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nx\r\n--XyZ--", ERR_INVAL},
        {"--XyZ\r\nContent-Disposition: form-data; name=a\r\nContent-Disposition: form-data; "
         "name=b\r\n\r\nx\r\n--XyZ--",
         ERR_INVAL},
        {"--XyZ\r\nContent-Disposition: form-data; name=\"a\xff\"\r\n\r\nx\r\n--XyZ--", ERR_INVAL},
        {"--XyZ\r\nContent-Disposition: form-data; name=\"a\x01\"\r\n\r\nx\r\n--XyZ--", ERR_INVAL},
        {"--XyZ\r\nNo colon here\r\n\r\nx\r\n--XyZ--", ERR_INVAL},
        {"--XyZ\r\nContent-Disposition: form-data; name=a\rb\r\n\r\nx\r\n--XyZ--", ERR_INVAL},
        {"--XyZjunk\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--XyZ--", ERR_INVAL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc;
        struct multipart *m = parse(CT, cases[i].body, strlen(cases[i].body), &rc);
        if (rc != cases[i].rc)
            fail_msg("case %zu: got %d, want %d", i, rc, cases[i].rc);
        assert_int_equal(m->nparts, 0);
        free(m);
    }
    int rc;
    struct multipart *m = parse("text/plain", "--XyZ--", 7, &rc);
    assert_int_equal(rc, ERR_INVAL);
    free(m);
    m = parse(CT, NULL, 0, &rc);
    assert_int_equal(rc, ERR_INVAL);
    free(m);
}

static void test_limits(void **state)
{
    (void)state;
    char *body = malloc(1 << 16);
    assert_non_null(body);
    /* MULTIPART_MAX_PARTS parts pass, one more does not */
    for (int extra = 0; extra <= 1; extra++) {
        size_t n = 0;
        for (int i = 0; i < MULTIPART_MAX_PARTS + extra; i++)
            n += (size_t)snprintf(body + n, (1 << 16) - n,
                                  "--XyZ\r\nContent-Disposition: form-data; name=\"p%d\"\r\n\r\n"
                                  "%d\r\n",
                                  i, i);
        n += (size_t)snprintf(body + n, (1 << 16) - n, "--XyZ--\r\n");
        int rc;
        struct multipart *m = parse(CT, body, n, &rc);
        assert_int_equal(rc, extra ? ERR_TOOBIG : 0);
        if (!extra) {
            assert_int_equal(m->nparts, MULTIPART_MAX_PARTS);
            const struct multipart_part *p = multipart_get(m, "p31");
            assert_non_null(p);
            assert_memory_equal(p->data, "31", 2);
        }
        free(m);
    }
    /* a header block over MULTIPART_HEADERS_MAX */
    size_t n = (size_t)snprintf(body, 1 << 16,
                                "--XyZ\r\nContent-Disposition: form-data; name=a\r\nX-Pad: ");
    memset(body + n, 'a', MULTIPART_HEADERS_MAX);
    n += MULTIPART_HEADERS_MAX;
    n += (size_t)snprintf(body + n, (1 << 16) - n, "\r\n\r\nx\r\n--XyZ--");
    int rc;
    struct multipart *m = parse(CT, body, n, &rc);
    assert_int_equal(rc, ERR_TOOBIG);
    free(m);
    /* a name longer than its field */
    n = (size_t)snprintf(body, 1 << 16, "--XyZ\r\nContent-Disposition: form-data; name=\"");
    memset(body + n, 'n', MULTIPART_NAME_MAX + 1);
    n += MULTIPART_NAME_MAX + 1;
    n += (size_t)snprintf(body + n, (1 << 16) - n, "\"\r\n\r\nx\r\n--XyZ--");
    m = parse(CT, body, n, &rc);
    assert_int_equal(rc, ERR_TOOBIG);
    free(m);
    free(body);
}

/* Every prefix of a valid body is refused (truncated uploads) and never read past its end
 * (ASan checks the reads: each prefix is copied into a buffer of exactly its size). */
static void test_truncations(void **state)
{
    (void)state;
    static const char body[] =
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"csrf\"\r\n"
        "\r\n"
        "tok\r\n"
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n"
        "\r\n"
        "a;b\r\n"
        "--XyZ--";
    size_t len = sizeof body - 1;
    for (size_t n = 0; n < len - 1; n++) {
        char *copy = malloc(n ? n : 1);
        assert_non_null(copy);
        memcpy(copy, body, n);
        int rc;
        struct multipart *m = parse(CT, copy, n, &rc);
        if (rc == 0)
            fail_msg("prefix of %zu bytes accepted", n);
        free(m);
        free(copy);
    }
    int rc;
    struct multipart *m = parse(CT, body, len, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(m->nparts, 2);
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boundary),
        cmocka_unit_test(test_browser_form),
        cmocka_unit_test(test_preamble_padding_empty),
        cmocka_unit_test(test_binary_data),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_truncations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
