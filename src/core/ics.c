/*
 * iCalendar writer. Each content line goes through a small line writer that appends indivisible
 * units (one UTF-8 sequence, one backslash escape, or one byte) and folds before a unit that
 * would carry the physical line past 75 octets, so folding is decided while escaping, in one
 * pass, without building the logical line first. Everything is validated before the first byte
 * is appended, which is what lets ics_event() promise that a refused event leaves the buffer
 * alone. Dates reuse time_format_iso() and time_paris_offset() rather than a second copy of the
 * calendar arithmetic; the price is a small scratch buffer per event.
 */
#include "core/ics.h"

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/timeutil.h"
#include "core/utf8.h"

#define LINE_MAX_OCTETS 75 /* RFC 5545 section 3.1, CRLF excluded */
#define DT_SIZE         17 /* "YYYYMMDDTHHMMSSZ" and the NUL */
#define CET_OFFSET      3600
#define CEST_OFFSET     7200

/*
 * Everything ics_begin() writes after the name, constant: no line comes near 75 octets, so it
 * needs no folding. DTSTART in a STANDARD or DAYLIGHT block is the local time in the offset
 * being left (TZOFFSETFROM), hence 02:00 and 03:00 for two transitions both at 01:00 UTC. 1970
 * is the usual anchor of published VTIMEZONEs; 29 March and 25 October were its last Sundays.
 */
static const char vtimezone[] = "X-WR-TIMEZONE:" ICS_TZID "\r\n"
                                "BEGIN:VTIMEZONE\r\n"
                                "TZID:" ICS_TZID "\r\n"
                                "BEGIN:DAYLIGHT\r\n"
                                "TZOFFSETFROM:+0100\r\n"
                                "TZOFFSETTO:+0200\r\n"
                                "TZNAME:CEST\r\n"
                                "DTSTART:19700329T020000\r\n"
                                "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
                                "END:DAYLIGHT\r\n"
                                "BEGIN:STANDARD\r\n"
                                "TZOFFSETFROM:+0200\r\n"
                                "TZOFFSETTO:+0100\r\n"
                                "TZNAME:CET\r\n"
                                "DTSTART:19701025T030000\r\n"
                                "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
                                "END:STANDARD\r\n"
                                "END:VTIMEZONE\r\n";

/* A content line being appended to b; col counts the octets of its current physical line. */
struct line {
    struct buf *b;
    size_t col;
};

/* ---- validation ---- */

/* True when s is strict UTF-8 without control characters other than TAB, LF and CR. */
static bool text_ok(const char *s)
{
    size_t len = strlen(s);
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        /* U+FFFD itself takes 3 bytes, so a 1-byte U+FFFD is an invalid sequence */
        if (cp == UTF8_REPLACEMENT && n == 1)
            return false;
        if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
            return false;
        if (cp >= 0x7F && cp <= 0x9F) /* DEL and the C1 controls */
            return false;
        i += n;
    }
    return true;
}

static bool optional_text_ok(const char *s)
{
    return s == NULL || text_ok(s);
}

/* A URI value is written unescaped: only printable ASCII can neither break the line syntax nor
 * hide anything (RFC 3986 URIs are ASCII; an IRI must be percent-encoded by the caller). */
static bool url_ok(const char *s)
{
    for (; *s; s++) {
        if (*s < 0x21 || *s > 0x7E)
            return false;
    }
    return true;
}

static bool status_ok(const char *s)
{
    return s == NULL || strcmp(s, "CONFIRMED") == 0 || strcmp(s, "TENTATIVE") == 0 ||
           strcmp(s, "CANCELLED") == 0;
}

static bool set(const char *s)
{
    return s != NULL && s[0] != '\0';
}

static bool event_ok(const struct ics_event *e)
{
    return e != NULL && set(e->uid) && text_ok(e->uid) && e->summary != NULL &&
           text_ok(e->summary) && optional_text_ok(e->location) &&
           optional_text_ok(e->description) && (e->url == NULL || url_ok(e->url)) &&
           status_ok(e->status) && e->sequence >= 0 && e->end >= e->start;
}

/* ---- dates ---- */

/*
 * Writes the instant t + off as a DATE-TIME (RFC 5545 section 3.3.5) to out, "YYYYMMDDTHHMMSS"
 * followed by 'Z' when utc. time_format_iso() does the calendar and the 0001..9999 check into
 * scratch; its "YYYY-MM-DDTHH:MM:SSZ" only loses its separators here. |off| <= CEST_OFFSET and
 * the caller has checked that t + off does not overflow.
 */
static int format_dt(int64_t t, int off, bool utc, struct buf *scratch, char out[DT_SIZE])
{
    buf_reset(scratch);
    int rc = time_format_iso(t + off, scratch);
    if (rc != 0)
        return rc;
    size_t n = 0;
    for (size_t i = 0; i < scratch->len && n < DT_SIZE - 1; i++) {
        char c = scratch->data[i];
        if (c != '-' && c != ':' && (c != 'Z' || utc))
            out[n++] = c;
    }
    out[n] = '\0';
    assert(n == (utc ? 16u : 15u));
    return 0;
}

static bool in_range(int64_t t)
{
    return t > INT64_MIN + CEST_OFFSET && t < INT64_MAX - CEST_OFFSET;
}

/*
 * Writes t as Paris local time, or in UTC form when t falls in the second 02:00..02:59 of the
 * last Sunday of October: that local time would be read as its first occurrence, one hour
 * earlier (section 3.3.5). *utc tells which form was written.
 */
static int format_paris(int64_t t, struct buf *scratch, char out[DT_SIZE], bool *utc)
{
    if (!in_range(t))
        return ERR_INVAL;
    int off = time_paris_offset(t);
    *utc = off == CET_OFFSET && time_paris_offset(t - CET_OFFSET) == CEST_OFFSET;
    return *utc ? format_dt(t, 0, true, scratch, out) : format_dt(t, off, false, scratch, out);
}

/* ---- line writer ---- */

/* Appends one indivisible unit of 1 to 4 octets, folding first if it would pass the limit. */
static void put_unit(struct line *l, const char *s, size_t n)
{
    if (l->col + n > LINE_MAX_OCTETS) {
        buf_append(l->b, "\r\n ", 3);
        l->col = 1;
    }
    buf_append(l->b, s, n);
    l->col += n;
}

/* Appends s as is, one UTF-8 sequence per unit; s is valid UTF-8 or ASCII. */
static void put_raw(struct line *l, const char *s)
{
    size_t len = strlen(s);
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        put_unit(l, s + i, n);
        i += n;
    }
}

/* Appends s (checked by text_ok()) escaped as a TEXT value, RFC 5545 section 3.3.11. */
static void put_text(struct line *l, const char *s)
{
    size_t len = strlen(s);
    size_t i = 0;
    while (i < len) {
        char c = s[i];
        if (c == '\\' || c == ';' || c == ',') {
            char esc[2] = {'\\', c};
            put_unit(l, esc, 2);
            i++;
        } else if (c == '\n') {
            put_unit(l, "\\n", 2);
            i++;
        } else if (c == '\r') {
            i++;
        } else {
            uint32_t cp;
            size_t n = utf8_decode(s + i, len - i, &cp);
            put_unit(l, s + i, n);
            i += n;
        }
    }
}

/* Appends the content line "name:value", value written as is. */
static void prop_raw(struct buf *b, const char *name, const char *value)
{
    struct line l = {b, 0};
    put_raw(&l, name);
    put_unit(&l, ":", 1);
    put_raw(&l, value);
    buf_append(b, "\r\n", 2);
}

/* Appends the content line "name:value", value escaped as TEXT. */
static void prop_text(struct buf *b, const char *name, const char *value)
{
    struct line l = {b, 0};
    put_raw(&l, name);
    put_unit(&l, ":", 1);
    put_text(&l, value);
    buf_append(b, "\r\n", 2);
}

static void prop_when(struct buf *b, const char *name, const char *dt, bool utc)
{
    struct line l = {b, 0};
    put_raw(&l, name);
    if (!utc)
        put_raw(&l, ";TZID=" ICS_TZID);
    put_unit(&l, ":", 1);
    put_raw(&l, dt);
    buf_append(b, "\r\n", 2);
}

static int buf_status(const struct buf *b)
{
    return buf_failed(b) ? b->err : 0;
}

/* ---- API ---- */

int ics_begin(struct buf *b, const char *calname)
{
    assert(b != NULL);
    if (calname != NULL && !text_ok(calname))
        return ERR_INVAL;
    buf_puts(b, "BEGIN:VCALENDAR\r\n"
                "VERSION:2.0\r\n"
                "PRODID:" ICS_PRODID "\r\n"
                "CALSCALE:GREGORIAN\r\n"
                "METHOD:PUBLISH\r\n");
    if (set(calname))
        prop_text(b, "X-WR-CALNAME", calname);
    buf_puts(b, vtimezone);
    return buf_status(b);
}

int ics_event(struct buf *b, const struct ics_event *e)
{
    assert(b != NULL);
    char stamp[DT_SIZE], start[DT_SIZE], end[DT_SIZE], seq[16];
    bool start_utc = false, end_utc = false;
    int n;
    struct buf scratch;
    buf_init(&scratch, 64);
    int rc = ERR_INVAL;
    if (!event_ok(e))
        goto fail;
    if (!in_range(e->stamp))
        goto fail;
    rc = format_dt(e->stamp, 0, true, &scratch, stamp);
    if (rc != 0)
        goto fail;
    rc = format_paris(e->start, &scratch, start, &start_utc);
    if (rc != 0)
        goto fail;
    rc = format_paris(e->end, &scratch, end, &end_utc);
    if (rc != 0)
        goto fail;
    n = snprintf(seq, sizeof seq, "%d", e->sequence);
    if (n < 0 || (size_t)n >= sizeof seq) {
        rc = ERR_INVAL;
        goto fail;
    }

    buf_puts(b, "BEGIN:VEVENT\r\n");
    prop_text(b, "UID", e->uid);
    prop_raw(b, "DTSTAMP", stamp);
    prop_when(b, "DTSTART", start, start_utc);
    prop_when(b, "DTEND", end, end_utc);
    prop_raw(b, "SEQUENCE", seq);
    if (e->status != NULL)
        prop_raw(b, "STATUS", e->status);
    prop_text(b, "SUMMARY", e->summary);
    if (set(e->location))
        prop_text(b, "LOCATION", e->location);
    if (set(e->description))
        prop_text(b, "DESCRIPTION", e->description);
    if (set(e->url))
        prop_raw(b, "URL", e->url);
    buf_puts(b, "END:VEVENT\r\n");
    rc = buf_status(b);
fail:
    buf_free(&scratch);
    return rc;
}

int ics_end(struct buf *b)
{
    assert(b != NULL);
    buf_puts(b, "END:VCALENDAR\r\n");
    return buf_status(b);
}
