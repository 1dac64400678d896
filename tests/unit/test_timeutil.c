/* Unit tests of core/timeutil: Paris offsets around the 2026 transitions, formats, parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/timeutil.h"

#define SPRING_2026 INT64_C(1774746000) /* 2026-03-29T01:00:00Z */
#define AUTUMN_2026 INT64_C(1792890000) /* 2026-10-25T01:00:00Z */

/* Formats t with fn into a fresh buffer and compares with want. */
static void check_format(int (*fn)(int64_t, struct buf *), int64_t t, const char *want)
{
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(fn(t, &b), 0);
    assert_string_equal(b.data, want);
    buf_free(&b);
}

static int64_t parse_ok(const char *s)
{
    int64_t t = -1;
    assert_int_equal(time_parse_date(s, strlen(s), &t), 0);
    return t;
}

static void test_now(void **state)
{
    (void)state;
    int64_t now = time_now();
    assert_true(now > INT64_C(1767225600)); /* after 2026-01-01 */
    assert_true(now - (int64_t)time(NULL) <= 1);
}

static void test_spring_transition(void **state)
{
    (void)state;
    assert_int_equal(time_paris_offset(SPRING_2026 - 1), 3600);
    assert_int_equal(time_paris_offset(SPRING_2026), 7200);
    check_format(time_format_datetime, SPRING_2026 - 1, "29/03/2026 01:59");
    check_format(time_format_datetime, SPRING_2026, "29/03/2026 03:00");
    check_format(time_format_iso, SPRING_2026, "2026-03-29T01:00:00Z");
    check_format(time_format_hm, SPRING_2026 - 1, "01:59");
    check_format(time_format_hm, SPRING_2026, "03:00");
    /* midnight on the day of the change is still winter time, the next one is summer time */
    assert_int_equal(parse_ok("29/03/2026"), INT64_C(1774738800)); /* 2026-03-28T23:00Z */
    assert_int_equal(parse_ok("30/03/2026"), INT64_C(1774821600)); /* 2026-03-29T22:00Z */
    check_format(time_format_datetime, INT64_C(1774821600), "30/03/2026 00:00");
}

static void test_autumn_transition(void **state)
{
    (void)state;
    assert_int_equal(time_paris_offset(AUTUMN_2026 - 1), 7200);
    assert_int_equal(time_paris_offset(AUTUMN_2026), 3600);
    /* 02:xx happens twice in Paris that night */
    check_format(time_format_datetime, AUTUMN_2026 - 1, "25/10/2026 02:59");
    check_format(time_format_datetime, AUTUMN_2026, "25/10/2026 02:00");
    assert_int_equal(parse_ok("25/10/2026"), INT64_C(1792879200)); /* 2026-10-24T22:00Z */
    assert_int_equal(parse_ok("26/10/2026"), INT64_C(1792969200)); /* 2026-10-25T23:00Z */
}

static void test_offsets_other_years(void **state)
{
    (void)state;
    /* 1996: 31 March and 27 October; 2000: 26 March and 29 October; 2038: 28 March, 31 Oct */
    int64_t t = parse_ok("1996-03-31") + 2 * 3600; /* 01:00 UTC, the day starts in CET */
    assert_int_equal(time_paris_offset(t - 1), 3600);
    assert_int_equal(time_paris_offset(t), 7200);
    t = parse_ok("2000-10-29") + 3 * 3600; /* 01:00 UTC, the day starts in CEST */
    assert_int_equal(time_paris_offset(t - 1), 7200);
    assert_int_equal(time_paris_offset(t), 3600);
    t = parse_ok("2038-10-31") + 3 * 3600;
    assert_int_equal(time_paris_offset(t - 1), 7200);
    assert_int_equal(time_paris_offset(t), 3600);
    assert_int_equal(time_paris_offset(parse_ok("15/01/2026")), 3600);
    assert_int_equal(time_paris_offset(parse_ok("15/07/2026")), 7200);
}

static void test_formats(void **state)
{
    (void)state;
    check_format(time_format_iso, 0, "1970-01-01T00:00:00Z");
    check_format(time_format_iso, -1, "1969-12-31T23:59:59Z");
    check_format(time_format_date, 0, "01/01/1970");
    check_format(time_format_datetime, 0, "01/01/1970 01:00");
    check_format(time_format_hm, 0, "01:00");
    check_format(time_format_date, INT64_C(1709164800), "29/02/2024");
    check_format(time_format_iso, INT64_C(253402300799), "9999-12-31T23:59:59Z");
    check_format(time_format_date, INT64_C(253402300799) - 7200, "31/12/9999");

    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(time_format_iso(INT64_C(253402300800), &b), ERR_INVAL);
    assert_int_equal(time_format_date(INT64_C(253402300799), &b), ERR_INVAL); /* 10000 in Paris */
    assert_int_equal(time_format_date(INT64_MAX, &b), ERR_INVAL);
    assert_int_equal(time_format_datetime(INT64_MIN, &b), ERR_INVAL);
    assert_int_equal(time_format_iso(INT64_MIN, &b), ERR_INVAL);
    assert_int_equal(b.len, 0);
    buf_free(&b);

    /* a full buffer reports its own error */
    buf_init(&b, 5);
    assert_int_equal(time_format_date(0, &b), ERR_TOOBIG);
    buf_free(&b);
}

/* The UTC civil conversion agrees with libc's gmtime_r over a wide, irregular sample. */
static void test_iso_matches_gmtime(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    for (int64_t t = INT64_C(-2208988800); t < INT64_C(7258118400);
         t += INT64_C(86400) * 37 + 3671) {
        time_t tt = (time_t)t;
        struct tm tm;
        assert_non_null(gmtime_r(&tt, &tm));
        char want[32];
        size_t n = strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%SZ", &tm);
        assert_true(n > 0);
        buf_reset(&b);
        assert_int_equal(time_format_iso(t, &b), 0);
        assert_string_equal(b.data, want);
    }
    buf_free(&b);
}

/* Every day of 1900..2100: the parsed instant is a Paris midnight and formats back the same. */
static void test_parse_roundtrip(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    int64_t t = parse_ok("01/01/1900");
    int64_t last = parse_ok("31/12/2100");
    int days = 0;
    while (t <= last) {
        buf_reset(&b);
        assert_int_equal(time_format_datetime(t, &b), 0);
        assert_int_equal(b.len, 16);
        assert_memory_equal(b.data + 10, " 00:00", 6);
        int64_t back = -1;
        assert_int_equal(time_parse_date(b.data, 10, &back), 0);
        assert_int_equal(back, t);
        /* 25 h after a midnight is always within the next day, whose length may be 23 h */
        int64_t next = t + 25 * 3600;
        buf_reset(&b);
        assert_int_equal(time_format_date(next, &b), 0);
        assert_int_equal(time_parse_date(b.data, b.len, &next), 0);
        assert_true(next - t >= 23 * 3600 && next - t <= 25 * 3600);
        t = next;
        days++;
    }
    assert_int_equal(days, 73414); /* 201 years, 49 of them leap (2000 yes, 1900 and 2100 no) */
    buf_free(&b);
}

static void test_parse_forms(void **state)
{
    (void)state;
    int64_t t = parse_ok("29/03/2026");
    assert_int_equal(parse_ok("2026-03-29"), t);
    assert_int_equal(parse_ok(" 29/03/2026\t"), t);
    assert_int_equal(parse_ok("29/3/2026"), t);
    assert_int_equal(parse_ok("1/1/2026"), parse_ok("2026-01-01"));
    assert_int_equal(parse_ok("29/02/2024"), INT64_C(1709164800) - 3600);
    parse_ok("29/02/2000");
    parse_ok("29/02/2400");
    parse_ok("31/12/9999");
    parse_ok("01/01/1900");
}

static void test_parse_bad(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "   ",
        "31/02/2026",
        "30/02/2024",
        "29/02/2027",
        "29/02/1900",
        "29/02/2100",
        "31/04/2026",
        "31/06/2026",
        "31/09/2026",
        "31/11/2026",
        "00/01/2026",
        "32/01/2026",
        "01/00/2026",
        "01/13/2026",
        "2026-13-01",
        "2026-00-10",
        "2026-02-30",
        "2026-1-01",
        "2026-01-1",
        "1/1/26",
        "01/01/26",
        "01/01/0026",
        "0026-01-01",
        "31/12/1899",
        "01/01/10000",
        "aa/bb/cccc",
        "01/01/2026x",
        "01-01-2026",
        "2026/01/01",
        "001/01/2026",
        "01/001/2026",
        "+1/01/2026",
        "-1/01/2026",
        "01 / 01 / 2026",
        "2026-01-01T00:00",
        "２０２６-01-01",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t t = 42;
        if (time_parse_date(bad[i], strlen(bad[i]), &t) != ERR_INVAL)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_int_equal(t, 42);
    }
    /* an embedded NUL is not a terminator */
    int64_t t = 42;
    assert_int_equal(time_parse_date("01/01/2026\0", 11, &t), ERR_INVAL);
    assert_int_equal(time_parse_date("2026-01-01\0x", 12, &t), ERR_INVAL);
    assert_int_equal(time_parse_date("01/01/2026", 9, &t), ERR_INVAL);
    assert_int_equal(t, 42);
}

static void test_weekday(void **state)
{
    (void)state;
    assert_int_equal(time_weekday(0), 4);                      /* 1970-01-01 Thursday */
    assert_int_equal(time_weekday(INT64_C(-43200)), 3);        /* 1969-12-31 Wednesday */
    assert_int_equal(time_weekday(parse_ok("01/01/2000")), 6); /* Saturday */
    assert_int_equal(time_weekday(parse_ok("29/03/2026")), 7); /* Sunday */
    assert_int_equal(time_weekday(parse_ok("01/01/1900")), 1); /* Monday */
}

static void test_weekday_paris_midnight(void **state)
{
    (void)state;
    /* 2026-03-29T22:30Z is Monday 00:30 in Paris, while still Sunday in UTC */
    assert_int_equal(time_weekday(INT64_C(1774823400)), 1);
    assert_int_equal(time_weekday(INT64_C(1774823400) - 3600), 7);
    assert_int_equal(time_weekday(parse_ok("2026-09-01")), 2); /* rentrée, Tuesday */
    assert_int_equal(time_weekday(parse_ok("2026-12-25")), 5); /* Friday */
    int w = time_weekday(INT64_MAX);
    assert_true(w >= 1 && w <= 7);
    w = time_weekday(INT64_MIN);
    assert_true(w >= 1 && w <= 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_now),
        cmocka_unit_test(test_spring_transition),
        cmocka_unit_test(test_autumn_transition),
        cmocka_unit_test(test_offsets_other_years),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_iso_matches_gmtime),
        cmocka_unit_test(test_parse_roundtrip),
        cmocka_unit_test(test_parse_forms),
        cmocka_unit_test(test_parse_bad),
        cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_weekday_paris_midnight),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
