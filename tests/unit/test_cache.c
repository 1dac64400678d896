/* Unit tests of http/cache: hits by key and generation, invalidation, the byte bound. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "http/cache.h"

static bool get(struct resp_cache *c, const char *key, int64_t gen, const char *want)
{
    struct buf b;
    buf_init(&b, 0);
    bool hit = resp_cache_get(c, key, gen, &b);
    if (hit && want)
        assert_string_equal(b.data, want);
    buf_free(&b);
    return hit;
}

static void test_hit_and_generation(void **state)
{
    (void)state;
    struct resp_cache *c = resp_cache_new(1 << 20);
    assert_false(get(c, "q=a&", 1, NULL));
    resp_cache_put(c, "q=a&", 1, "{\"total\":1}", 11);
    resp_cache_put(c, "q=b&", 1, "{\"total\":2}", 11);
    assert_true(get(c, "q=a&", 1, "{\"total\":1}"));
    assert_true(get(c, "q=b&", 1, "{\"total\":2}"));
    assert_false(get(c, "q=c&", 1, NULL));
    /* A newer generation: nothing cached is valid any more. */
    assert_false(get(c, "q=a&", 2, NULL));
    resp_cache_put(c, "q=a&", 2, "{\"total\":3}", 11);
    assert_true(get(c, "q=a&", 2, "{\"total\":3}"));
    assert_false(get(c, "q=b&", 2, NULL));
    /* A body computed at an older generation is refused. */
    resp_cache_put(c, "q=b&", 1, "{\"total\":9}", 11);
    assert_false(get(c, "q=b&", 2, NULL));
    uint64_t hits, misses;
    resp_cache_stats(c, &hits, &misses);
    assert_int_equal(hits, 3);
    assert_int_equal(misses, 5);
    resp_cache_free(c);
}

static void test_bounded(void **state)
{
    (void)state;
    struct resp_cache *c = resp_cache_new(4096);
    char body[600];
    memset(body, 'x', sizeof body);
    char key[16];
    for (int i = 0; i < 40; i++) {
        snprintf(key, sizeof key, "k%d", i);
        resp_cache_put(c, key, 1, body, sizeof body);
    }
    /* Never more than 4 KiB: the earliest entries are gone, the last one is there. */
    assert_false(get(c, "k0", 1, NULL));
    assert_true(get(c, "k39", 1, NULL));
    /* A body over a quarter of the bound is not kept. */
    char big[2048] = {0};
    resp_cache_put(c, "big", 1, big, sizeof big);
    assert_false(get(c, "big", 1, NULL));
    resp_cache_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hit_and_generation),
        cmocka_unit_test(test_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
