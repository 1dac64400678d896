/*
 * A minimal iCalendar (RFC 5545) writer with no dependency, for a trainer's subscribable .ics
 * feed of training sessions: one VCALENDAR holding a VTIMEZONE for Europe/Paris and VEVENTs, each
 * appended to a struct buf. Output is deterministic byte for byte (no clock is read, properties
 * come in a fixed order), so a feed can be compared with an earlier one or served with an ETag.
 *
 * What the writer guarantees, so that callers need not know the format:
 *   - every line ends with CRLF (RFC 5545 section 3.1);
 *   - lines are folded so that no physical line exceeds 75 octets, the CRLF excluded; a
 *     continuation line starts with one space (section 3.1). A fold never splits a UTF-8 sequence
 *     (section 3.1 allows it but many clients then show mojibake) nor a backslash escape, so
 *     unfolding (removing every CRLF followed by one space) gives back the logical line exactly;
 *   - TEXT values (section 3.3.11) are escaped: backslash, semicolon and comma get a backslash, a
 *     line feed becomes the two characters "\n", and a carriage return is dropped (so CRLF, LF
 *     and a lone CR all end a line of the original as LF or nothing);
 *   - event times are written as local Paris times with TZID=Europe/Paris (section 3.3.5, form
 *     #3) and the VTIMEZONE that defines that TZID (section 3.6.5), so that a client shows 9:00
 *     for a session at 9:00 Paris time whatever its own zone, across DST changes.
 *
 * Bad input is refused with ERR_INVAL and nothing is appended: text that is not strict UTF-8
 * (core/utf8.h) or that contains a control character other than TAB, LF and CR (U+0000..U+001F,
 * U+007F and the C1 controls U+0080..U+009F; section 3.3.11 forbids the ASCII ones), a URL with
 * anything but printable ASCII, an unknown STATUS, a negative SEQUENCE, an event that ends before
 * it starts, an instant outside the years 0001..9999. Buffer failures (ERR_NOMEM, ERR_TOOBIG) are
 * the buffer's: the calendar is then incomplete, buf_failed(b) stays true and the caller should
 * drop the whole output. Every function is pure and thread-safe (distinct buffers).
 *
 * Usage:
 *     struct buf b;
 *     buf_init(&b, 0);
 *     ics_begin(&b, "Mes sessions de formation");
 *     for (each session)
 *         ics_event(&b, &(struct ics_event){.uid = ..., .start = ..., ...});
 *     int rc = ics_end(&b);   (0, or the buffer's first error; check each ics_event for INVAL)
 *     ... send b.data, b.len as text/calendar; charset=utf-8 ...
 *     buf_free(&b);
 */
#ifndef CORE_ICS_H
#define CORE_ICS_H

#include <stdint.h>

#include "core/buf.h"

/* The PRODID of every calendar written here (RFC 5545 section 3.7.3). */
#define ICS_PRODID "-//Continuum//Formation//FR"

/* The one time zone this writer knows: every local time it writes is in it. */
#define ICS_TZID "Europe/Paris"

/*
 * One training session. Strings are UTF-8, NUL-terminated and only read during ics_event(); the
 * caller keeps ownership. Optional strings may be NULL or "": the property is then left out.
 */
struct ics_event {
    const char *uid;         /* UID (3.8.4.7), required, non-empty, globally unique and stable
                                across feeds, e.g. "session-42@continuum"; a client uses it to
                                update an event it already has rather than duplicate it */
    int64_t start, end;      /* DTSTART and DTEND (3.8.2.4, 3.8.2.2): Unix seconds, end >= start
                                (end == start is a zero-length event) */
    const char *summary;     /* SUMMARY (3.8.1.12), required (may be ""): the session's title */
    const char *location;    /* LOCATION (3.8.1.7), optional */
    const char *description; /* DESCRIPTION (3.8.1.5), optional, may contain line breaks */
    const char *url;         /* URL (3.8.4.6), optional: a URI (RFC 3986), printable ASCII only,
                                written as is (a URI value is not TEXT-escaped) */
    const char *status;      /* STATUS (3.8.1.11): NULL, "CONFIRMED", "TENTATIVE" or
                                "CANCELLED" (exactly, upper case) */
    int64_t stamp;           /* DTSTAMP (3.8.7.2): Unix seconds; when this version of the
                                event was last changed, so that the feed stays deterministic
                                (not the time of the request) */
    int sequence;            /* SEQUENCE (3.8.7.4), >= 0: the revision, to be raised when the
                                time or place of the session changes */
};

/*
 * Appends the start of a calendar (RFC 5545 section 3.4, 3.6): BEGIN:VCALENDAR, VERSION:2.0,
 * PRODID:ICS_PRODID, CALSCALE:GREGORIAN, METHOD:PUBLISH (RFC 5546: a feed, not an invitation),
 * X-WR-CALNAME:calname (the name Apple, Google and Thunderbird give the subscribed calendar; left
 * out when calname is NULL or ""), X-WR-TIMEZONE:Europe/Paris, then the VTIMEZONE of
 * Europe/Paris: CET (+0100) and CEST (+0200) with the EU rules in force since 1996, summer time
 * from the last Sunday of March to the last Sunday of October (RRULE ... BYDAY=-1SU), the same
 * rule as core/timeutil.h, applied from 1970. Returns 0, ERR_INVAL when calname is not valid
 * text (nothing appended), or the buffer's error.
 */
int ics_begin(struct buf *b, const char *calname);

/*
 * Appends one VEVENT (RFC 5545 section 3.6.1) with, in this order: UID, DTSTAMP (UTC,
 * "YYYYMMDDTHHMMSSZ"), DTSTART and DTEND, SEQUENCE, STATUS (when set), SUMMARY, LOCATION,
 * DESCRIPTION and URL (when set). DTSTART and DTEND are "TZID=Europe/Paris:YYYYMMDDTHHMMSS" in
 * Paris time, except during the hour that happens twice on the last Sunday of October: section
 * 3.3.5 says such a local time means its first occurrence (summer time), so an instant in the
 * second occurrence (02:00 to 02:59 CET) is written in UTC form instead ("...Z"), which is exact.
 * Returns 0, ERR_INVAL when e breaks a rule of struct ics_event or the file comment (nothing is
 * appended then), or the buffer's error.
 */
int ics_event(struct buf *b, const struct ics_event *e);

/* Appends END:VCALENDAR. Returns 0 or the buffer's first error, of this call or any before. */
int ics_end(struct buf *b);

#endif
