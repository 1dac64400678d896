/* Unit tests of core/buf: growth, hard limit, escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/err.h"

static void test_append_and_printf(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    assert_string_equal(b.data, "");
    assert_int_equal(buf_puts(&b, "Pôle "), 0);
    assert_int_equal(buf_printf(&b, "%d heures", 15000), 0);
    assert_string_equal(b.data, "Pôle 15000 heures");
    assert_int_equal(b.len, strlen("Pôle 15000 heures"));
    /* A long printf goes through the slow path. */
    char big[600];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(buf_printf(&b, "%s", big), 0);
    assert_int_equal(b.len, strlen("Pôle 15000 heures") + 599);
    buf_free(&b);
}

static void test_limit(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 8);
    assert_int_equal(buf_puts(&b, "12345678"), 0);
    assert_int_equal(buf_putc(&b, '9'), ERR_TOOBIG);
    assert_true(buf_failed(&b));
    assert_string_equal(b.data, "12345678");
    /* Once failed, appends keep failing and change nothing. */
    assert_int_equal(buf_puts(&b, ""), ERR_TOOBIG);
    buf_reset(&b);
    assert_false(buf_failed(&b));
    assert_int_equal(buf_puts(&b, "ok"), 0);
    char *s = buf_steal(&b);
    assert_string_equal(s, "ok");
    free(s);
    assert_int_equal(b.len, 0);
    buf_free(&b);
}

static void test_html_escape(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    const char *in = "<script>alert('x')</script> & \"q\"";
    buf_html(&b, in, strlen(in));
    assert_string_equal(b.data, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
                                "&quot;q&quot;");
    buf_free(&b);
}

static void test_url_escape(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    buf_url(&b, "éducation inclusive&x=1", strlen("éducation inclusive&x=1"));
    assert_string_equal(b.data, "%C3%A9ducation%20inclusive%26x%3D1");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_and_printf),
        cmocka_unit_test(test_limit),
        cmocka_unit_test(test_html_escape),
        cmocka_unit_test(test_url_escape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
