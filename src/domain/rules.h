/*
 * What every rule pack (rules_alp, and the ANT, ENT, FIL, ALD packs to come) hands back: a
 * report of breaches, each naming the rule it breaks ("alp.weekday"), the field of the request's
 * `details` JSON it is about ("sessions[1].date", "" for the object itself) and a French
 * sentence a requester can act on. The API answers 422 with one
 * {"rule":…,"field":…,"detail":…} per item; pages show the detail beside the field. A breach is
 * either blocking (the request may not go further) or a warning (a preference of the seed that
 * the coordinator may override, shown but not counted). Pure data, no allocation: a report lives
 * on the caller's stack or in its arena.
 */
#ifndef DOMAIN_RULES_H
#define DOMAIN_RULES_H

#include <stdbool.h>

#define RULE_REPORT_MAX 32 /* breaches kept; the first ones are the useful ones */

struct rule_breach {
    char rule[48];    /* "<pack>.<name>", ASCII: "alp.weekday", "alp.shape" */
    char field[64];   /* path into the details JSON: "trainees.first_degree", "sessions[0].end" */
    char detail[300]; /* French, valid UTF-8, cut at a character boundary if too long */
    bool warning;     /* true: shown, not blocking */
};

struct rule_report {
    struct rule_breach items[RULE_REPORT_MAX];
    int count;    /* items kept, at most RULE_REPORT_MAX */
    int blocking; /* blocking breaches added, kept or not: > 0 means the request is refused */
    int dropped;  /* breaches added past RULE_REPORT_MAX and not kept */
};

/* Empties the report (a zero-initialised report is empty too). */
void rule_report_init(struct rule_report *r);

/*
 * Adds a breach of rule `rule` on field `field` whose detail is the printf-like fmt (a constant:
 * user text goes in as arguments, and only through a length-bounded, UTF-8-safe form). Rule and
 * field longer than their arrays are cut; the detail is cut at the last whole UTF-8 character
 * that fits. Past RULE_REPORT_MAX items the breach is only counted (dropped, and blocking when
 * not a warning).
 */
void rule_report_add(struct rule_report *r, const char *rule, const char *field, bool warning,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
