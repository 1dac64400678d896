/*
 * Dates for French users: Unix seconds (UTC) shown and parsed in Europe/Paris time, without the
 * TZ environment variable or libc's time zone machinery (both are process-wide and racy in a
 * multi-threaded server). The Paris offset follows the EU rule in force since 1996: CET (UTC+1),
 * and CEST (UTC+2) from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC.
 * The rule is applied to every year, so offsets before 1996 are not historical (France had other
 * summer-time rules from 1976 to 1995 and none before); should the EU drop summer time, this file
 * is the one place to change. Calendar arithmetic is Howard Hinnant's days-from-civil, proleptic
 * Gregorian. Every function is pure and thread-safe.
 */
#ifndef CORE_TIMEUTIL_H
#define CORE_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/* The current time in Unix seconds (UTC). */
int64_t time_now(void);

/* The Europe/Paris offset from UTC at instant t, in seconds: 3600 (CET) or 7200 (CEST). */
int time_paris_offset(int64_t t);

/*
 * The three formatters append to out and return 0, ERR_INVAL when the date to show is outside
 * the years 0001..9999 (nothing appended), or the buffer's error (ERR_NOMEM, ERR_TOOBIG).
 *   time_format_date:     "JJ/MM/AAAA" in Paris time, e.g. "29/03/2026"
 *   time_format_datetime: "JJ/MM/AAAA HH:MM" in Paris time, e.g. "29/03/2026 03:00"
 *   time_format_iso:      "YYYY-MM-DDTHH:MM:SSZ" in UTC, for the JSON API
 */
int time_format_date(int64_t t, struct buf *out);
int time_format_datetime(int64_t t, struct buf *out);
int time_format_iso(int64_t t, struct buf *out);
/* "HH:MM", the Paris wall-clock time of t (a session's start, say); the same errors. */
int time_format_hm(int64_t t, struct buf *out);

/*
 * Parses the len bytes of s as a calendar date, either "JJ/MM/AAAA" (what a French user types;
 * day and month may have one digit: "1/3/2026") or "AAAA-MM-JJ" (what <input type="date"> sends,
 * exactly 10 characters). Leading and trailing spaces and tabs are ignored. The year must be
 * 1900..9999, which catches "0026" typos. The calendar is checked (31/04 and 29/02/2027 are
 * rejected, 29/02/2028 accepted). On success *t is the Unix time of 00:00 Paris time that day and
 * 0 is returned; otherwise ERR_INVAL and *t is left alone.
 */
int time_parse_date(const char *s, size_t len, int64_t *t);

/* The ISO weekday of instant t in Paris time: 1 = Monday ... 7 = Sunday. */
int time_weekday(int64_t t);

#endif
