/*
 * Europe/Paris dates without libc time zones. An instant is split into a day number (days since
 * 1970-01-01, floor division so that negative instants work) and the seconds within that day;
 * days convert to and from (year, month, day) by Howard Hinnant's days_from_civil and
 * civil_from_days (http://howardhinnant.github.io/date_algorithms.html), which are exact over the
 * whole int64_t day range we can reach. Summer time is decided by comparing (day, second) pairs
 * with the two EU transitions of the UTC year, so no multiplication can overflow whatever the
 * instant. Formatting refuses years outside 0001..9999 rather than print a five-digit year.
 */
#include "core/timeutil.h"

#include <stdbool.h>
#include <time.h>

#include "core/buf.h"
#include "core/err.h"

#define SECS_PER_DAY    86400
#define TRANSITION_SECS 3600 /* both EU transitions happen at 01:00 UTC */

struct civil {
    int64_t year;
    int month; /* 1..12 */
    int day;   /* 1..31 */
};

/* An instant as a day number and the seconds elapsed in that (UTC or shifted) day. */
struct day_secs {
    int64_t day;
    int64_t secs; /* 0..86399 */
};

int64_t time_now(void)
{
    struct timespec ts;
    /* CLOCK_REALTIME cannot fail with a valid pointer; time() would do as well. */
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}

static struct day_secs split(int64_t t)
{
    struct day_secs ds = {t / SECS_PER_DAY, t % SECS_PER_DAY};
    if (ds.secs < 0) {
        ds.secs += SECS_PER_DAY;
        ds.day--;
    }
    return ds;
}

/* Adds off seconds (|off| < one day) to a split instant, carrying into the day number. */
static struct day_secs shift(struct day_secs ds, int off)
{
    ds.secs += off;
    if (ds.secs >= SECS_PER_DAY) {
        ds.secs -= SECS_PER_DAY;
        ds.day++;
    } else if (ds.secs < 0) {
        ds.secs += SECS_PER_DAY;
        ds.day--;
    }
    return ds;
}

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                                   /* [0, 399] */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

static struct civil civil_from_days(int64_t z)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;                                      /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                    /* [0, 11] */
    struct civil c;
    c.day = (int)(doy - (153 * mp + 2) / 5 + 1);
    c.month = (int)(mp < 10 ? mp + 3 : mp - 9);
    c.year = yoe + era * 400 + (c.month <= 2);
    return c;
}

/* ISO weekday of a day number: 1970-01-01 was a Thursday (4). */
static int weekday_of_day(int64_t day)
{
    int64_t r = (day + 3) % 7;
    if (r < 0)
        r += 7;
    return (int)r + 1;
}

/* The day number of the last Sunday of month m (whose last day is last) of year y. */
static int64_t last_sunday(int64_t y, int m, int last)
{
    int64_t d = days_from_civil(y, m, last);
    return d - weekday_of_day(d) % 7;
}

static bool at_or_after(struct day_secs ds, int64_t day, int64_t secs)
{
    return ds.day > day || (ds.day == day && ds.secs >= secs);
}

static int paris_offset_split(struct day_secs utc)
{
    int64_t year = civil_from_days(utc.day).year;
    int64_t start = last_sunday(year, 3, 31);
    int64_t end = last_sunday(year, 10, 31);
    bool summer =
        at_or_after(utc, start, TRANSITION_SECS) && !at_or_after(utc, end, TRANSITION_SECS);
    return summer ? 7200 : 3600;
}

int time_paris_offset(int64_t t)
{
    return paris_offset_split(split(t));
}

static struct day_secs paris_split(int64_t t)
{
    struct day_secs utc = split(t);
    return shift(utc, paris_offset_split(utc));
}

int time_weekday(int64_t t)
{
    return weekday_of_day(paris_split(t).day);
}

/* Appends ds as "JJ/MM/AAAA", " HH:MM" when with_time. */
static int format_french(struct day_secs ds, bool with_time, struct buf *out)
{
    struct civil c = civil_from_days(ds.day);
    if (c.year < 1 || c.year > 9999)
        return ERR_INVAL;
    if (!with_time)
        return buf_printf(out, "%02d/%02d/%04d", c.day, c.month, (int)c.year);
    return buf_printf(out, "%02d/%02d/%04d %02d:%02d", c.day, c.month, (int)c.year,
                      (int)(ds.secs / 3600), (int)(ds.secs / 60 % 60));
}

int time_format_date(int64_t t, struct buf *out)
{
    return format_french(paris_split(t), false, out);
}

int time_format_datetime(int64_t t, struct buf *out)
{
    return format_french(paris_split(t), true, out);
}

int time_format_hm(int64_t t, struct buf *out)
{
    struct day_secs ds = paris_split(t);
    struct civil c = civil_from_days(ds.day);
    if (c.year < 1 || c.year > 9999)
        return ERR_INVAL;
    return buf_printf(out, "%02d:%02d", (int)(ds.secs / 3600), (int)(ds.secs / 60 % 60));
}

int time_format_iso(int64_t t, struct buf *out)
{
    struct day_secs ds = split(t);
    struct civil c = civil_from_days(ds.day);
    if (c.year < 1 || c.year > 9999)
        return ERR_INVAL;
    return buf_printf(out, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)c.year, c.month, c.day,
                      (int)(ds.secs / 3600), (int)(ds.secs / 60 % 60), (int)(ds.secs % 60));
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Reads between min and max digits at s[*i] (bounded by len) into *v, advancing *i. */
static bool read_digits(const char *s, size_t len, size_t *i, int min, int max, int *v)
{
    int n = 0;
    int value = 0;
    while (*i < len && n < max && is_digit(s[*i])) {
        value = value * 10 + (s[*i] - '0');
        (*i)++;
        n++;
    }
    if (n < min)
        return false;
    *v = value;
    return true;
}

static bool read_char(const char *s, size_t len, size_t *i, char c)
{
    if (*i >= len || s[*i] != c)
        return false;
    (*i)++;
    return true;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

int time_parse_date(const char *s, size_t len, int64_t *t)
{
    while (len > 0 && is_blank(s[0])) {
        s++;
        len--;
    }
    while (len > 0 && is_blank(s[len - 1]))
        len--;

    int y = 0, m = 0, d = 0;
    size_t i = 0;
    bool ok;
    if (len == 10 && s[4] == '-')
        ok = read_digits(s, len, &i, 4, 4, &y) && read_char(s, len, &i, '-') &&
             read_digits(s, len, &i, 2, 2, &m) && read_char(s, len, &i, '-') &&
             read_digits(s, len, &i, 2, 2, &d);
    else
        ok = read_digits(s, len, &i, 1, 2, &d) && read_char(s, len, &i, '/') &&
             read_digits(s, len, &i, 1, 2, &m) && read_char(s, len, &i, '/') &&
             read_digits(s, len, &i, 4, 4, &y);
    if (!ok || i != len || y < 1900 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return ERR_INVAL;

    /*
     * Local midnight is 22:00 or 23:00 UTC the day before, and no transition falls in that hour
     * (they happen at 01:00 UTC), so the offset one hour before "midnight read as UTC" is the
     * offset in force at local midnight.
     */
    int64_t local = days_from_civil(y, m, d) * SECS_PER_DAY;
    *t = local - time_paris_offset(local - 3600);
    return 0;
}
