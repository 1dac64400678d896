/*
 * The rule packs' shared report: bounded copies, counted overflow, and details kept valid UTF-8
 * when cut so that the API can put them in JSON as they are (jansson refuses invalid UTF-8). And
 * the packs' shared readers of a request's details, which differ between packs only by the rule
 * code of their shape breaches.
 */
#include "domain/rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/timeutil.h"
#include "core/utf8.h"

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

/* rules_get_text and rules_get_lines: `lines` lets \n, \r and \t through. */
static const char *get_text(struct rule_report *out, const char *shape_rule, const json_t *obj,
                            const char *key, const char *field, const char *label, size_t min,
                            size_t max, bool lines)
{
    const json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        rule_report_add(out, shape_rule, field, false, "%s : champ obligatoire.", label);
        return NULL;
    }
    if (!json_is_string(v)) {
        rule_report_add(out, shape_rule, field, false, "%s : texte attendu.", label);
        return NULL;
    }
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (!utf8_valid(s, len)) { /* also catches a NUL inside (\u0000) */
        rule_report_add(out, shape_rule, field, false, "%s : caractère interdit.", label);
        return NULL;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        bool allowed = lines && (ch == '\n' || ch == '\r' || ch == '\t');
        if ((ch < 0x20 && !allowed) || ch == 0x7f) {
            rule_report_add(out, shape_rule, field, false, "%s : caractère de contrôle interdit.",
                            label);
            return NULL;
        }
    }
    size_t n = utf8_length(s, len);
    if (n == 0) {
        rule_report_add(out, shape_rule, field, false, "%s : champ obligatoire.", label);
        return NULL;
    }
    if (n < min) {
        rule_report_add(out, shape_rule, field, false, "%s : %zu caractères au moins.", label, min);
        return NULL;
    }
    if (n > max) {
        rule_report_add(out, shape_rule, field, false, "%s : %zu caractères au plus.", label, max);
        return NULL;
    }
    return s;
}

const char *rules_get_text(struct rule_report *out, const char *shape_rule, const json_t *obj,
                           const char *key, const char *field, const char *label, size_t min,
                           size_t max)
{
    return get_text(out, shape_rule, obj, key, field, label, min, max, false);
}

const char *rules_get_lines(struct rule_report *out, const char *shape_rule, const json_t *obj,
                            const char *key, const char *field, const char *label, size_t min,
                            size_t max)
{
    return get_text(out, shape_rule, obj, key, field, label, min, max, true);
}

int rules_get_int(struct rule_report *out, const char *shape_rule, const json_t *obj,
                  const char *key, const char *field, const char *label, long long min,
                  long long max, bool required, long long *v)
{
    const json_t *j = json_object_get(obj, key);
    if (!j || json_is_null(j)) {
        if (!required)
            return 0;
        rule_report_add(out, shape_rule, field, false, "%s : champ obligatoire.", label);
        return -1;
    }
    if (!json_is_integer(j)) {
        rule_report_add(out, shape_rule, field, false, "%s : nombre entier attendu.", label);
        return -1;
    }
    long long n = json_integer_value(j);
    if (n < min || n > max) {
        rule_report_add(out, shape_rule, field, false, "%s : entre %lld et %lld, pas %lld.", label,
                        min, max, n);
        return -1;
    }
    *v = n;
    return 1;
}

int rules_get_bool(struct rule_report *out, const char *shape_rule, const json_t *obj,
                   const char *key, const char *field, const char *label, bool required, bool *v)
{
    const json_t *j = json_object_get(obj, key);
    if (!j || json_is_null(j)) {
        if (!required)
            return 0;
        rule_report_add(out, shape_rule, field, false, "%s : champ obligatoire (true ou false).",
                        label);
        return -1;
    }
    if (!json_is_boolean(j)) {
        rule_report_add(out, shape_rule, field, false, "%s : true ou false attendu.", label);
        return -1;
    }
    *v = json_is_true(j);
    return 1;
}

bool rules_uai_valid(const char *s)
{
    if (strlen(s) != 8)
        return false;
    for (int i = 0; i < 7; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return s[7] >= 'A' && s[7] <= 'Z';
}

const char *rules_get_uai(struct rule_report *out, const char *shape_rule, const json_t *obj,
                          const char *key, const char *field, const char *label,
                          const char *example)
{
    const char *uai = rules_get_text(out, shape_rule, obj, key, field, label, 8, 8);
    if (uai && !rules_uai_valid(uai)) {
        rule_report_add(out, shape_rule, field, false,
                        "%s : 7 chiffres et une lettre majuscule attendus (%s).", label, example);
        return NULL;
    }
    return uai;
}

void rules_say(char *dst, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(dst, n, fmt, ap);
    va_end(ap);
    if (w < 0)
        dst[0] = '\0';
}

const char *rules_date_shaped(const json_t *v)
{
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    bool digits = s && json_string_length(v) == 10 && s[4] == '-' && s[7] == '-';
    for (int k = 0; digits && k < 10; k++)
        if (k != 4 && k != 7 && (s[k] < '0' || s[k] > '9'))
            digits = false;
    return digits ? s : NULL;
}

void rules_paris_ymd(int64_t t, int *y, int *m, int *d)
{
    /* Howard Hinnant's civil_from_days on the Paris local day. */
    int64_t local = t + time_paris_offset(t);
    int64_t z = (local >= 0 ? local : local - 86399) / 86400 + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}
