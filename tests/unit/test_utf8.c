/* Unit tests of core/utf8: strictness of validation, decoding steps, encoding boundaries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/utf8.h"

#define S(lit) (lit), (sizeof(lit) - 1)

static void test_valid_accepts(void **state)
{
    (void)state;
    assert_true(utf8_valid(S("")));
    assert_true(utf8_valid(S("abc")));
    assert_true(utf8_valid(S("\xC3\xA9")));         /* é */
    assert_true(utf8_valid(S("\xC2\x80")));         /* U+0080, smallest 2-byte */
    assert_true(utf8_valid(S("\xE0\xA0\x80")));     /* U+0800, smallest 3-byte */
    assert_true(utf8_valid(S("\xE2\x82\xAC")));     /* € */
    assert_true(utf8_valid(S("\xED\x9F\xBF")));     /* U+D7FF, before surrogates */
    assert_true(utf8_valid(S("\xEE\x80\x80")));     /* U+E000, after surrogates */
    assert_true(utf8_valid(S("\xEF\xBF\xBD")));     /* a real U+FFFD */
    assert_true(utf8_valid(S("\xF0\x90\x80\x80"))); /* U+10000 */
    assert_true(utf8_valid(S("\xF0\x9D\x84\x9E"))); /* musical G clef */
    assert_true(utf8_valid(S("\xF4\x8F\xBF\xBF"))); /* U+10FFFF */
    assert_true(utf8_valid(S("L\xE2\x80\x99\xC3\xA9"
                             "cole"))); /* L’école */
    /* only len bytes are looked at */
    assert_true(utf8_valid("ab\xFF", 2));
}

static void test_valid_rejects(void **state)
{
    (void)state;
    assert_false(utf8_valid(S("a\0b"))); /* NUL */
    assert_false(utf8_valid(S("\0")));
    assert_false(utf8_valid(S("\x80"))); /* stray continuation */
    assert_false(utf8_valid(S("\xBF")));
    assert_false(utf8_valid(S("\xC0\xAF")));                 /* overlong '/' */
    assert_false(utf8_valid(S("\xC1\xBF")));                 /* overlong U+007F */
    assert_false(utf8_valid(S("\xC0\x80")));                 /* overlong NUL (modified UTF-8) */
    assert_false(utf8_valid(S("\xE0\x80\xAF")));             /* overlong 3-byte */
    assert_false(utf8_valid(S("\xE0\x9F\xBF")));             /* overlong U+07FF */
    assert_false(utf8_valid(S("\xF0\x80\x80\xAF")));         /* overlong 4-byte */
    assert_false(utf8_valid(S("\xF0\x8F\xBF\xBF")));         /* overlong U+FFFF */
    assert_false(utf8_valid(S("\xED\xA0\x80")));             /* U+D800 */
    assert_false(utf8_valid(S("\xED\xBF\xBF")));             /* U+DFFF */
    assert_false(utf8_valid(S("\xED\xA0\xBD\xED\xB8\x80"))); /* CESU-8 surrogate pair */
    assert_false(utf8_valid(S("\xF4\x90\x80\x80")));         /* U+110000 */
    assert_false(utf8_valid(S("\xF5\x80\x80\x80")));
    assert_false(utf8_valid(S("\xF8\x88\x80\x80\x80"))); /* 5-byte form */
    assert_false(utf8_valid(S("\xFE")));
    assert_false(utf8_valid(S("\xFF")));
    assert_false(utf8_valid(S("\xC3"))); /* truncated */
    assert_false(utf8_valid(S("\xE2\x82")));
    assert_false(utf8_valid(S("\xF0\x9D\x84")));
    assert_false(utf8_valid(S("caf\xC3")));
    assert_false(utf8_valid(S("\xC3"
                              "A"))); /* lead byte then ASCII */
    assert_false(utf8_valid(S("\xE2\x82"
                              "A")));
    assert_false(utf8_valid(S("caf\xE9"))); /* Latin-1 é */
}

static void test_decode(void **state)
{
    (void)state;
    uint32_t cp = 42;
    assert_int_equal(utf8_decode("", 0, &cp), 0);
    assert_int_equal(cp, 42); /* untouched */
    assert_int_equal(utf8_decode(S("A"), &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(utf8_decode(S("\0"), &cp), 1);
    assert_int_equal(cp, 0);
    assert_int_equal(utf8_decode(S("\xC3\xA9t\xC3\xA9"), &cp), 2);
    assert_int_equal(cp, 0xE9);
    assert_int_equal(utf8_decode(S("\xE2\x82\xAC"), &cp), 3);
    assert_int_equal(cp, 0x20AC);
    assert_int_equal(utf8_decode(S("\xF0\x9D\x84\x9E"), &cp), 4);
    assert_int_equal(cp, 0x1D11E);
    assert_int_equal(utf8_decode(S("\xF4\x8F\xBF\xBF"), &cp), 4);
    assert_int_equal(cp, 0x10FFFF);
    assert_int_equal(utf8_decode(S("\xEF\xBF\xBD"), &cp), 3);
    assert_int_equal(cp, UTF8_REPLACEMENT);
}

static void test_decode_invalid_steps_one_byte(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\x80", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint32_t cp = 0;
        assert_int_equal(utf8_decode(bad[i], strlen(bad[i]), &cp), 1);
        assert_int_equal(cp, UTF8_REPLACEMENT);
    }
    /* truncated: the sequence is complete in memory but len cuts it */
    uint32_t cp = 0;
    assert_int_equal(utf8_decode("\xE2\x82\xAC", 2, &cp), 1);
    assert_int_equal(cp, UTF8_REPLACEMENT);
    assert_int_equal(utf8_decode("\xF0\x9D\x84\x9E", 3, &cp), 1);
    assert_int_equal(cp, UTF8_REPLACEMENT);
}

static void expect_encoding(uint32_t cp, const char *bytes, size_t n)
{
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(utf8_encode(cp, &b), 0);
    assert_int_equal(b.len, n);
    assert_memory_equal(b.data, bytes, n);
    buf_free(&b);
}

static void test_encode_boundaries(void **state)
{
    (void)state;
    expect_encoding(0, "\0", 1);
    expect_encoding(0x7F, "\x7F", 1);
    expect_encoding(0x80, "\xC2\x80", 2);
    expect_encoding(0xE9, "\xC3\xA9", 2);
    expect_encoding(0x7FF, "\xDF\xBF", 2);
    expect_encoding(0x800, "\xE0\xA0\x80", 3);
    expect_encoding(0xD7FF, "\xED\x9F\xBF", 3);
    expect_encoding(0xE000, "\xEE\x80\x80", 3);
    expect_encoding(0xFFFF, "\xEF\xBF\xBF", 3);
    expect_encoding(0x10000, "\xF0\x90\x80\x80", 4);
    expect_encoding(0x10FFFF, "\xF4\x8F\xBF\xBF", 4);
}

static void test_encode_rejects(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(utf8_encode(0xD800, &b), ERR_INVAL);
    assert_int_equal(utf8_encode(0xDFFF, &b), ERR_INVAL);
    assert_int_equal(utf8_encode(0x110000, &b), ERR_INVAL);
    assert_int_equal(utf8_encode(UINT32_MAX, &b), ERR_INVAL);
    assert_int_equal(b.len, 0);
    assert_false(buf_failed(&b));
    char d[4] = {'x', 'x', 'x', 'x'};
    assert_int_equal(utf8_put(0xDC00, d), 0);
    assert_int_equal(d[0], 'x');
    buf_free(&b);

    buf_init(&b, 1); /* room for one byte only */
    assert_int_equal(utf8_encode(0xE9, &b), ERR_TOOBIG);
    assert_int_equal(b.len, 0);
    buf_free(&b);
}

/* Every scalar value encodes to valid UTF-8 that decodes back to itself in one step. */
static void test_round_trip_all(void **state)
{
    (void)state;
    for (uint32_t cp = 1; cp <= UTF8_MAX_CP; cp++) {
        if (cp == 0xD800)
            cp = 0xE000;
        char d[4];
        size_t n = utf8_put(cp, d);
        assert_true(n >= 1 && n <= 4);
        uint32_t back = 0;
        if (utf8_decode(d, n, &back) != n || back != cp || !utf8_valid(d, n))
            fail_msg("round trip of U+%04X", (unsigned)cp);
    }
}

static void test_length(void **state)
{
    (void)state;
    assert_int_equal(utf8_length(S("")), 0);
    assert_int_equal(utf8_length(S("abc")), 3);
    assert_int_equal(utf8_length(S("\xC3\xA9"
                                   "cole")),
                     5);                                                  /* école */
    assert_int_equal(utf8_length(S("\xC5\x93uvre \xF0\x9F\x99\x82")), 7); /* œuvre 🙂 */
    assert_int_equal(utf8_length(S("e\xCC\x81")), 2);                     /* e + U+0301 */
    /* invalid bytes count one each, as utf8_decode steps */
    assert_int_equal(utf8_length(S("a\xE2\x82")), 3);
    assert_int_equal(utf8_length(S("\xFF\xFE")), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_accepts),
        cmocka_unit_test(test_valid_rejects),
        cmocka_unit_test(test_decode),
        cmocka_unit_test(test_decode_invalid_steps_one_byte),
        cmocka_unit_test(test_encode_boundaries),
        cmocka_unit_test(test_encode_rejects),
        cmocka_unit_test(test_round_trip_all),
        cmocka_unit_test(test_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
