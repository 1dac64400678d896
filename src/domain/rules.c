/*
 * The rule packs' shared report: bounded copies, counted overflow, and details kept valid UTF-8
 * when cut so that the API can put them in JSON as they are (jansson refuses invalid UTF-8).
 */
#include "domain/rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void rule_report_init(struct rule_report *r)
{
    memset(r, 0, sizeof *r);
}

/* Copies s into dst (n bytes), cut if too long. */
static void copy(char *dst, size_t n, const char *s)
{
    int w = snprintf(dst, n, "%s", s ? s : "");
    if (w < 0)
        dst[0] = '\0';
}

/* After a cut at len bytes, drops the trailing bytes of a character that did not fit whole. */
static void trim_utf8(char *s, size_t len)
{
    size_t start = len;
    /* Walk back over continuation bytes (10xxxxxx) to the lead byte of the last character. */
    while (start > 0 && ((unsigned char)s[start - 1] & 0xC0) == 0x80)
        start--;
    if (start == 0)
        return;
    unsigned char lead = (unsigned char)s[start - 1];
    size_t need = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (len - (start - 1) < need)
        s[start - 1] = '\0';
}

void rule_report_add(struct rule_report *r, const char *rule, const char *field, bool warning,
                     const char *fmt, ...)
{
    if (!warning)
        r->blocking++;
    if (r->count >= RULE_REPORT_MAX) {
        r->dropped++;
        return;
    }
    struct rule_breach *b = &r->items[r->count++];
    copy(b->rule, sizeof b->rule, rule);
    copy(b->field, sizeof b->field, field);
    b->warning = warning;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->detail, sizeof b->detail, fmt, ap);
    va_end(ap);
    if (n < 0)
        b->detail[0] = '\0';
    else if ((size_t)n >= sizeof b->detail)
        trim_utf8(b->detail, sizeof b->detail - 1);
}
