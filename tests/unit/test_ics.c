/* Unit tests of core/ics: a whole small calendar byte for byte, TEXT escaping, line folding at
 * the 75-octet boundary with multi-byte characters, Paris times around the DST changes, refused
 * input, buffer limits and determinism. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/ics.h"

#define CRLF "\r\n"

/* Unix times, checked with Python's datetime in UTC. */
#define T_2026_09_01_0800Z INT64_C(1788249600)
#define T_2026_09_14_0700Z INT64_C(1789369200)
#define T_2026_09_14_1030Z INT64_C(1789381800)
#define T_2027_03_27_0900Z INT64_C(1806138000) /* Saturday, still CET */
#define T_2027_03_28_0800Z INT64_C(1806220800) /* last Sunday of March 2027, CEST from 01:00Z */
#define T_2027_03_28_1000Z INT64_C(1806228000)
#define T_2026_10_24_0800Z INT64_C(1792828800) /* Saturday, still CEST */
#define T_2026_10_25_0030Z INT64_C(1792888200) /* 02:30 CEST, first 02:30 of the night */
#define T_2026_10_25_0100Z INT64_C(1792890000) /* the change: 03:00 CEST becomes 02:00 CET */
#define T_2026_10_25_0130Z INT64_C(1792891800) /* 02:30 CET, the second 02:30 */
#define T_2026_10_25_0900Z INT64_C(1792918800) /* last Sunday of October 2026, CET */
#define T_2026_10_25_1100Z INT64_C(1792926000)

static const char vtimezone[] =
    "BEGIN:VTIMEZONE" CRLF "TZID:Europe/Paris" CRLF "BEGIN:DAYLIGHT" CRLF "TZOFFSETFROM:+0100" CRLF
    "TZOFFSETTO:+0200" CRLF "TZNAME:CEST" CRLF "DTSTART:19700329T020000" CRLF
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU" CRLF "END:DAYLIGHT" CRLF "BEGIN:STANDARD" CRLF
    "TZOFFSETFROM:+0200" CRLF "TZOFFSETTO:+0100" CRLF "TZNAME:CET" CRLF
    "DTSTART:19701025T030000" CRLF "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU" CRLF
    "END:STANDARD" CRLF "END:VTIMEZONE" CRLF;

/* A valid event to start from; each test changes what it is about. */
static struct ics_event base_event(void)
{
    struct ics_event e = {
        .uid = "session-42@continuum",
        .start = T_2026_09_14_0700Z,
        .end = T_2026_09_14_1030Z,
        .summary = "Atelier",
        .stamp = T_2026_09_01_0800Z,
    };
    return e;
}

/* The physical lines of one VEVENT: the text between BEGIN:VEVENT and END:VEVENT, CRLFs kept. */
static void event_body(const struct ics_event *e, struct buf *out)
{
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(ics_event(&b, e), 0);
    const char *head = "BEGIN:VEVENT" CRLF;
    const char *tail = "END:VEVENT" CRLF;
    assert_true(b.len >= strlen(head) + strlen(tail));
    assert_memory_equal(b.data, head, strlen(head));
    assert_string_equal(b.data + b.len - strlen(tail), tail);
    assert_int_equal(buf_append(out, b.data + strlen(head), b.len - strlen(head) - strlen(tail)),
                     0);
    buf_free(&b);
}

/* Checks the physical lines of s: each ends with CRLF, has at most 75 octets, continuation lines
 * start with one space and never with a UTF-8 continuation byte; then appends the unfolded text
 * (RFC 5545 section 3.1: every CRLF followed by a space removed) to out. */
static void check_and_unfold(const char *s, size_t len, struct buf *out)
{
    size_t i = 0;
    size_t nlines = 0;
    while (i < len) {
        const char *nl = strstr(s + i, CRLF);
        assert_non_null(nl);
        size_t n = (size_t)(nl - (s + i));
        assert_true(n <= 75);
        const char *line = s + i;
        if (nlines > 0 && line[0] == ' ') {
            assert_true(n >= 2);
            assert_false(((unsigned char)line[1] & 0xC0u) == 0x80u);
            assert_int_equal(buf_append(out, line + 1, n - 1), 0);
        } else {
            if (nlines > 0)
                assert_int_equal(buf_puts(out, CRLF), 0);
            assert_int_equal(buf_append(out, line, n), 0);
        }
        nlines++;
        i += n + 2;
    }
    if (nlines > 0)
        assert_int_equal(buf_puts(out, CRLF), 0);
}

/* Undoes TEXT escaping (RFC 5545 section 3.3.11) of s into out; fails on a bad escape. */
static void unescape(const char *s, size_t len, struct buf *out)
{
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '\\') {
            assert_true(i + 1 < len);
            c = s[++i];
            if (c == 'n' || c == 'N')
                c = '\n';
            else
                assert_non_null(strchr("\\;,", c));
        } else {
            assert_null(strchr(";,", c));
        }
        assert_int_equal(buf_putc(out, c), 0);
    }
}

static void test_small_calendar(void **state)
{
    (void)state;
    struct ics_event e = base_event();
    e.summary = "Atelier : différenciation en CP";
    e.location = "Inspé de Lyon, site Croix-Rousse";
    e.description = "Salle 12.\nApportez vos séquences; merci";
    e.url = "https://continuum.example/sessions/42?a=1&b=2,3";
    e.status = "CONFIRMED";
    e.sequence = 2;
    struct ics_event cancelled = base_event();
    cancelled.uid = "session-43@continuum";
    cancelled.start = T_2026_10_25_0900Z;
    cancelled.end = T_2026_10_25_1100Z;
    cancelled.summary = "Visite";
    cancelled.location = "";
    cancelled.status = "CANCELLED";

    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(ics_begin(&b, "Sessions d’Élise Durand"), 0);
    assert_int_equal(ics_event(&b, &e), 0);
    assert_int_equal(ics_event(&b, &cancelled), 0);
    assert_int_equal(ics_end(&b), 0);

    struct buf want;
    buf_init(&want, 0);
    buf_puts(&want,
             "BEGIN:VCALENDAR" CRLF "VERSION:2.0" CRLF "PRODID:-//Continuum//Formation//FR" CRLF
             "CALSCALE:GREGORIAN" CRLF "METHOD:PUBLISH" CRLF
             "X-WR-CALNAME:Sessions d’Élise Durand" CRLF "X-WR-TIMEZONE:Europe/Paris" CRLF);
    buf_puts(&want, vtimezone);
    buf_puts(&want, "BEGIN:VEVENT" CRLF "UID:session-42@continuum" CRLF
                    "DTSTAMP:20260901T080000Z" CRLF "DTSTART;TZID=Europe/Paris:20260914T090000" CRLF
                    "DTEND;TZID=Europe/Paris:20260914T123000" CRLF "SEQUENCE:2" CRLF
                    "STATUS:CONFIRMED" CRLF "SUMMARY:Atelier : différenciation en CP" CRLF
                    "LOCATION:Inspé de Lyon\\, site Croix-Rousse" CRLF
                    "DESCRIPTION:Salle 12.\\nApportez vos séquences\\; merci" CRLF
                    "URL:https://continuum.example/sessions/42?a=1&b=2,3" CRLF "END:VEVENT" CRLF);
    buf_puts(&want, "BEGIN:VEVENT" CRLF "UID:session-43@continuum" CRLF
                    "DTSTAMP:20260901T080000Z" CRLF "DTSTART;TZID=Europe/Paris:20261025T100000" CRLF
                    "DTEND;TZID=Europe/Paris:20261025T120000" CRLF "SEQUENCE:0" CRLF
                    "STATUS:CANCELLED" CRLF "SUMMARY:Visite" CRLF "END:VEVENT" CRLF);
    buf_puts(&want, "END:VCALENDAR" CRLF);
    assert_false(buf_failed(&want));
    assert_int_equal(b.len, want.len);
    assert_string_equal(b.data, want.data);
    buf_free(&want);
    buf_free(&b);
}

static void test_begin_without_name(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(ics_begin(&b, NULL), 0);
    assert_null(strstr(b.data, "X-WR-CALNAME"));
    buf_reset(&b);
    assert_int_equal(ics_begin(&b, ""), 0);
    assert_null(strstr(b.data, "X-WR-CALNAME"));
    assert_non_null(strstr(b.data, CRLF "METHOD:PUBLISH" CRLF "X-WR-TIMEZONE:Europe/Paris" CRLF
                                        "BEGIN:VTIMEZONE" CRLF));
    buf_free(&b);
}

static void test_escaping(void **state)
{
    (void)state;
    struct ics_event e = base_event();
    e.uid = "a,b;c\\d@continuum";
    e.summary = "a\\b;c,d\r\ne\nf\rg\th";
    e.description = "\\n n'est pas un saut de ligne;,\\";
    e.location = "\r\n\r\n";
    struct buf body;
    buf_init(&body, 0);
    event_body(&e, &body);
    assert_non_null(strstr(body.data, "UID:a\\,b\\;c\\\\d@continuum" CRLF));
    assert_non_null(strstr(body.data, CRLF "SUMMARY:a\\\\b\\;c\\,d\\ne\\nfg\th" CRLF));
    assert_non_null(
        strstr(body.data, CRLF "DESCRIPTION:\\\\n n'est pas un saut de ligne\\;\\,\\\\" CRLF));
    assert_non_null(strstr(body.data, CRLF "LOCATION:\\n\\n" CRLF));

    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(ics_begin(&b, "Agenda; formations, 2026"), 0);
    assert_non_null(strstr(b.data, CRLF "X-WR-CALNAME:Agenda\\; formations\\, 2026" CRLF));
    buf_free(&b);
    buf_free(&body);
}

static void test_optional_fields_left_out(void **state)
{
    (void)state;
    struct ics_event e = base_event();
    e.summary = "";
    e.location = "";
    e.description = "";
    e.url = "";
    struct buf body;
    buf_init(&body, 0);
    event_body(&e, &body);
    assert_string_equal(body.data, "UID:session-42@continuum" CRLF "DTSTAMP:20260901T080000Z" CRLF
                                   "DTSTART;TZID=Europe/Paris:20260914T090000" CRLF
                                   "DTEND;TZID=Europe/Paris:20260914T123000" CRLF "SEQUENCE:0" CRLF
                                   "SUMMARY:" CRLF);
    buf_free(&body);
}

/* The SUMMARY line of e, as physical lines. */
static void summary_lines(const char *summary, struct buf *out)
{
    struct ics_event e = base_event();
    e.summary = summary;
    struct buf body;
    buf_init(&body, 0);
    event_body(&e, &body);
    const char *p = strstr(body.data, CRLF "SUMMARY:");
    assert_non_null(p);
    p += 2;
    assert_int_equal(buf_puts(out, p), 0);
    buf_free(&body);
}

static void test_folding_at_boundary(void **state)
{
    (void)state;
    /* "SUMMARY:" and the escaped text up to "notes : " take 74 octets, so the 2-octet é that
     * follows would end at octet 76: it goes to the next line, which then holds exactly 75
     * octets (the space, then an escaped comma and more accents) and cuts "pédagogique" between
     * two ASCII letters. */
    const char *summary = "Formation des formateurs de l’académie : évaluer sans notes : élèves à "
                          "besoins éducatifs particuliers, différenciation pédagogique et "
                          "coopération";
    const char *want = "SUMMARY:Formation des formateurs de l’académie : évaluer sans notes : " CRLF
                       " élèves à besoins éducatifs particuliers\\, différenciation pédagogiqu" CRLF
                       " e et coopération" CRLF;
    struct buf b;
    buf_init(&b, 0);
    summary_lines(summary, &b);
    assert_string_equal(b.data, want);
    const char *l1 = b.data;
    const char *l2 = strstr(l1, CRLF) + 2;
    const char *l3 = strstr(l2, CRLF) + 2;
    assert_int_equal(l2 - l1 - 2, 74);
    assert_int_equal(l3 - l2 - 2, 75);

    struct buf unfolded, text;
    buf_init(&unfolded, 0);
    buf_init(&text, 0);
    check_and_unfold(b.data, b.len, &unfolded);
    assert_true(unfolded.len > strlen("SUMMARY:") + 2);
    unescape(unfolded.data + strlen("SUMMARY:"), unfolded.len - strlen("SUMMARY:") - 2, &text);
    assert_string_equal(text.data, summary);
    buf_free(&text);
    buf_free(&unfolded);
    buf_free(&b);
}

static void test_folding_units(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    char s[128];

    /* 8 + 67 = 75 octets: the limit itself, no fold */
    memset(s, 'a', 67);
    s[67] = '\0';
    summary_lines(s, &b);
    assert_int_equal(b.len, 75 + 2);
    buf_reset(&b);

    /* one more octet folds, and the continuation line is the space and that octet */
    memset(s, 'a', 68);
    s[68] = '\0';
    summary_lines(s, &b);
    assert_int_equal(b.len, 75 + 2 + 2 + 2);
    assert_string_equal(b.data + 77, " a" CRLF);
    buf_reset(&b);

    /* a 2-octet é fitting exactly in octets 74 and 75 stays on the first line */
    memset(s, 'a', 65);
    memcpy(s + 65, "éz", sizeof "éz");
    summary_lines(s, &b);
    assert_string_equal(b.data + 73, "é" CRLF " z" CRLF);
    buf_reset(&b);

    /* a 3-octet ’ and a 4-octet emoji across the boundary move whole to the next line */
    memset(s, 'a', 64);
    memcpy(s + 64, "’’", sizeof "’’");
    summary_lines(s, &b);
    assert_string_equal(b.data + 72, "’" CRLF " ’" CRLF);
    buf_reset(&b);
    memset(s, 'a', 65);
    memcpy(s + 65, "\xF0\x9F\x93\x85", 5); /* U+1F4C5 CALENDAR */
    summary_lines(s, &b);
    assert_string_equal(b.data + 73, CRLF " \xF0\x9F\x93\x85" CRLF);
    buf_reset(&b);

    /* an escape is never split: "\," would take octets 75 and 76 */
    memset(s, 'a', 66);
    memcpy(s + 66, ",b", 3);
    summary_lines(s, &b);
    assert_string_equal(b.data + 74, CRLF " \\,b" CRLF);
    buf_free(&b);
}

/* Every alignment of a long text full of multi-byte characters and escapes against the fold
 * points: lines stay within 75 octets and unfolding then unescaping gives the text back. */
static void test_folding_roundtrip(void **state)
{
    (void)state;
    const char *words = "Réunion d’équipe; «élèves», cœur\\âme\nœuvre\r\n"
                        "\xF0\x9F\x93\x85 àéèêëîïôöùûüç ÀÉÈÊ, naïveté; ";
    for (size_t shift = 0; shift < 8; shift++) {
        struct buf src;
        buf_init(&src, 0);
        for (size_t i = 0; i < shift; i++)
            buf_putc(&src, 'x');
        for (int i = 0; i < 6; i++)
            buf_puts(&src, words);
        assert_false(buf_failed(&src));

        struct ics_event e = base_event();
        e.description = src.data;
        struct buf body, unfolded, text, want;
        buf_init(&body, 0);
        buf_init(&unfolded, 0);
        buf_init(&text, 0);
        buf_init(&want, 0);
        event_body(&e, &body);
        check_and_unfold(body.data, body.len, &unfolded);
        const char *p = strstr(unfolded.data, CRLF "DESCRIPTION:");
        assert_non_null(p);
        p += strlen(CRLF "DESCRIPTION:");
        const char *q = strstr(p, CRLF);
        assert_non_null(q);
        unescape(p, (size_t)(q - p), &text);
        for (size_t i = 0; i < src.len; i++) {
            if (src.data[i] != '\r')
                buf_putc(&want, src.data[i]);
        }
        assert_string_equal(text.data, want.data);
        buf_free(&want);
        buf_free(&text);
        buf_free(&unfolded);
        buf_free(&body);
        buf_free(&src);
    }
}

/* The DTSTART and DTEND lines of an event from start to end. */
static void check_times(int64_t start, int64_t end, const char *want)
{
    struct ics_event e = base_event();
    e.start = start;
    e.end = end;
    struct buf body;
    buf_init(&body, 0);
    event_body(&e, &body);
    const char *p = strstr(body.data, CRLF "DTSTART");
    assert_non_null(p);
    const char *q = strstr(p, CRLF "SEQUENCE:");
    assert_non_null(q);
    /* from after the CRLF before DTSTART to the CRLF before SEQUENCE included */
    assert_int_equal((size_t)(q - p), strlen(want));
    assert_memory_equal(p + 2, want, strlen(want));
    buf_free(&body);
}

static void test_dst(void **state)
{
    (void)state;
    /* spring 2027: CET on Saturday, CEST on the Sunday of the change */
    check_times(T_2027_03_27_0900Z, T_2027_03_27_0900Z + 7200,
                "DTSTART;TZID=Europe/Paris:20270327T100000" CRLF
                "DTEND;TZID=Europe/Paris:20270327T120000" CRLF);
    check_times(T_2027_03_28_0800Z, T_2027_03_28_1000Z,
                "DTSTART;TZID=Europe/Paris:20270328T100000" CRLF
                "DTEND;TZID=Europe/Paris:20270328T120000" CRLF);
    /* autumn 2026: CEST on Saturday, CET on the Sunday of the change */
    check_times(T_2026_10_24_0800Z, T_2026_10_24_0800Z + 7200,
                "DTSTART;TZID=Europe/Paris:20261024T100000" CRLF
                "DTEND;TZID=Europe/Paris:20261024T120000" CRLF);
    check_times(T_2026_10_25_0900Z, T_2026_10_25_1100Z,
                "DTSTART;TZID=Europe/Paris:20261025T100000" CRLF
                "DTEND;TZID=Europe/Paris:20261025T120000" CRLF);
    /* the repeated hour: the first 02:30 is local, the second would be read as the first, so it
     * is written in UTC; 03:00 CET is unambiguous again */
    check_times(T_2026_10_25_0030Z, T_2026_10_25_0130Z,
                "DTSTART;TZID=Europe/Paris:20261025T023000" CRLF "DTEND:20261025T013000Z" CRLF);
    check_times(T_2026_10_25_0100Z - 1, T_2026_10_25_0100Z,
                "DTSTART;TZID=Europe/Paris:20261025T025959" CRLF "DTEND:20261025T010000Z" CRLF);
    check_times(T_2026_10_25_0100Z + 3599, T_2026_10_25_0100Z + 3600,
                "DTSTART:20261025T015959Z" CRLF "DTEND;TZID=Europe/Paris:20261025T030000" CRLF);
}

/* ics_event must refuse e with ERR_INVAL and leave the buffer as it was. */
static void refuse(const struct ics_event *e)
{
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(buf_puts(&b, "x"), 0);
    assert_int_equal(ics_event(&b, e), ERR_INVAL);
    assert_int_equal(b.len, 1);
    assert_string_equal(b.data, "x");
    assert_false(buf_failed(&b));
    buf_free(&b);
}

static void test_bad_text(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\xC3",             /* truncated é */
        "caf\xC3\x28",      /* bad continuation */
        "\xC0\xAF",         /* overlong '/' */
        "\xED\xA0\x80",     /* surrogate */
        "\xF4\x90\x80\x80", /* above U+10FFFF */
        "\x80",             /* stray continuation */
        "\xE9t\xE9",        /* Latin-1 */
        "a\x01z",           /* C0 control */
        "a\x1Bz",           /* ESC */
        "a\x7Fz",           /* DEL */
        "a\xC2\x85z",       /* C1 NEL */
        "a\xC2\x9Fz",       /* C1 APC */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct ics_event e = base_event();
        e.summary = bad[i];
        refuse(&e);
        e = base_event();
        e.uid = bad[i];
        refuse(&e);
        e = base_event();
        e.location = bad[i];
        refuse(&e);
        e = base_event();
        e.description = bad[i];
        refuse(&e);

        struct buf b;
        buf_init(&b, 0);
        assert_int_equal(ics_begin(&b, bad[i]), ERR_INVAL);
        assert_int_equal(b.len, 0);
        buf_free(&b);
    }
    /* U+00A0 and U+FFFD are text, not controls */
    struct ics_event e = base_event();
    e.summary = "a\xC2\xA0z\xEF\xBF\xBD";
    struct buf body;
    buf_init(&body, 0);
    event_body(&e, &body);
    assert_non_null(strstr(body.data, "SUMMARY:a\xC2\xA0z\xEF\xBF\xBD" CRLF));
    buf_free(&body);
}

static void test_bad_fields(void **state)
{
    (void)state;
    refuse(NULL);
    struct ics_event e = base_event();
    e.uid = NULL;
    refuse(&e);
    e.uid = "";
    refuse(&e);
    e = base_event();
    e.summary = NULL;
    refuse(&e);

    e = base_event();
    e.end = e.start - 1;
    refuse(&e);

    static const char *const bad_status[] = {"confirmed", "", "DONE", "CANCELLED ", "NEEDS-ACTION"};
    for (size_t i = 0; i < sizeof bad_status / sizeof bad_status[0]; i++) {
        e = base_event();
        e.status = bad_status[i];
        refuse(&e);
    }
    static const char *const bad_url[] = {"https://x.example/a b", "https://x.example/é",
                                          "https://x.example/\r\nX:1", "https://x.example/\t"};
    for (size_t i = 0; i < sizeof bad_url / sizeof bad_url[0]; i++) {
        e = base_event();
        e.url = bad_url[i];
        refuse(&e);
    }
    e = base_event();
    e.sequence = -1;
    refuse(&e);

    /* instants whose date (Paris time for DTSTART and DTEND, UTC for DTSTAMP) falls outside
     * 0001..9999, or that would overflow once shifted */
    static const int64_t bad_local[] = {INT64_MIN, INT64_C(-62135596800) - 3600 - 1,
                                        INT64_C(253402300800) - 3600, INT64_MAX};
    static const int64_t bad_utc[] = {INT64_MIN, INT64_C(-62135596800) - 1, INT64_C(253402300800),
                                      INT64_MAX};
    for (size_t i = 0; i < sizeof bad_local / sizeof bad_local[0]; i++) {
        e = base_event();
        e.start = bad_local[i];
        e.end = bad_local[i];
        refuse(&e);
        e = base_event();
        if (bad_local[i] > e.start) {
            e.end = bad_local[i];
            refuse(&e);
        }
        e = base_event();
        e.stamp = bad_utc[i];
        refuse(&e);
    }
    /* the ends of the range: 0001-01-01 00:00 and 9999-12-31 23:59:59 Paris time (CET) */
    check_times(INT64_C(-62135596800) - 3600, INT64_C(253402300800) - 3600 - 1,
                "DTSTART;TZID=Europe/Paris:00010101T000000" CRLF
                "DTEND;TZID=Europe/Paris:99991231T235959" CRLF);
}

static void test_buffer_limit(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 200);
    assert_int_equal(ics_begin(&b, "Agenda"), ERR_TOOBIG);
    assert_true(buf_failed(&b));
    struct ics_event e = base_event();
    assert_int_equal(ics_event(&b, &e), ERR_TOOBIG);
    assert_int_equal(ics_end(&b), ERR_TOOBIG);
    buf_free(&b);

    /* room for the calendar head, not for the event */
    buf_init(&b, 800);
    assert_int_equal(ics_begin(&b, "Agenda"), 0);
    e.description = "Une description assez longue pour ne pas tenir dans le peu de place qui "
                    "reste dans ce tampon, répétée : une description assez longue pour ne pas "
                    "tenir dans le peu de place qui reste dans ce tampon.";
    assert_int_equal(ics_event(&b, &e), ERR_TOOBIG);
    assert_int_equal(ics_end(&b), ERR_TOOBIG);
    buf_free(&b);
}

static void build(struct buf *b)
{
    struct ics_event e = base_event();
    e.description = "Deux lignes\net des accents : é, è, à";
    e.status = "TENTATIVE";
    assert_int_equal(ics_begin(b, "Agenda"), 0);
    for (int i = 0; i < 3; i++) {
        e.start += 86400;
        e.end += 86400;
        assert_int_equal(ics_event(b, &e), 0);
    }
    assert_int_equal(ics_end(b), 0);
}

static void test_deterministic(void **state)
{
    (void)state;
    struct buf a, b;
    buf_init(&a, 0);
    buf_init(&b, 0);
    build(&a);
    build(&b);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    /* every line of the whole calendar is well formed, and none needed folding */
    struct buf unfolded;
    buf_init(&unfolded, 0);
    check_and_unfold(a.data, a.len, &unfolded);
    assert_int_equal(unfolded.len, a.len);
    buf_free(&unfolded);
    buf_free(&a);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_calendar),
        cmocka_unit_test(test_begin_without_name),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_optional_fields_left_out),
        cmocka_unit_test(test_folding_at_boundary),
        cmocka_unit_test(test_folding_units),
        cmocka_unit_test(test_folding_roundtrip),
        cmocka_unit_test(test_dst),
        cmocka_unit_test(test_bad_text),
        cmocka_unit_test(test_bad_fields),
        cmocka_unit_test(test_buffer_limit),
        cmocka_unit_test(test_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
