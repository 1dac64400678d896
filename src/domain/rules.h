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

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/*
 * Readers of a request's `details`, shared by the rule packs. Every value may be of any JSON
 * type: a reader either hands back a well-formed value or adds one blocking breach of rule
 * `shape_rule` (the pack's own "<pack>.shape") on `field`, whose detail starts with `label`
 * ("Demandeur n°2 : nom : champ obligatoire."). `key` is looked up in `obj`, a JSON object (a
 * non-object reads as every key absent). Nothing is allocated: strings are jansson's, owned by
 * `obj`.
 */

/*
 * The string at key: present, not null, a string of min..max characters (at least 1) of valid
 * UTF-8 without control characters. NULL after a breach.
 */
const char *rules_get_text(struct rule_report *out, const char *shape_rule, const json_t *obj,
                           const char *key, const char *field, const char *label, size_t min,
                           size_t max);

/* As rules_get_text, but line breaks and tabs (\n, \r, \t) are allowed: a text written in
 * paragraphs. */
const char *rules_get_lines(struct rule_report *out, const char *shape_rule, const json_t *obj,
                            const char *key, const char *field, const char *label, size_t min,
                            size_t max);

/*
 * The integer at key, in min..max, into *v. Returns 1 when read, 0 when absent or null and not
 * `required` (*v untouched), -1 after a breach.
 */
int rules_get_int(struct rule_report *out, const char *shape_rule, const json_t *obj,
                  const char *key, const char *field, const char *label, long long min,
                  long long max, bool required, long long *v);

/*
 * The boolean at key into *v. Returns 1 when read, 0 when absent or null and not `required` (*v
 * untouched), -1 after a breach.
 */
int rules_get_bool(struct rule_report *out, const char *shape_rule, const json_t *obj,
                   const char *key, const char *field, const char *label, bool required, bool *v);

/* True when s is an UAI (immatriculation of an establishment): 7 digits and a capital letter. */
bool rules_uai_valid(const char *s);

/*
 * The UAI at key: rules_get_text of exactly 8 characters, then rules_uai_valid, whose breach
 * shows `example` ("0691234A") as the expected form. NULL after a breach.
 */
const char *rules_get_uai(struct rule_report *out, const char *shape_rule, const json_t *obj,
                          const char *key, const char *field, const char *label,
                          const char *example);

/*
 * Writes into dst (n bytes) the printf-like fmt, a constant: a field path or a label built from
 * indices ("sessions[%zu].end"), a short date or duration. Cut if too long (every path of the
 * packs fits in struct rule_breach's 64 bytes); empty on a formatting error.
 */
void rules_say(char *dst, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * The text of v when it is a string shaped AAAA-MM-JJ (ten characters, digits but the dashes at
 * 4 and 7; whether it is a calendar date is time_parse_date's call), NULL otherwise (v may be
 * NULL or of any type).
 */
const char *rules_date_shaped(const json_t *v);

/* The calendar day (*y, *m 1..12, *d 1..31) of instant t (Unix seconds) in Paris time. */
void rules_paris_ymd(int64_t t, int *y, int *m, int *d);

#endif
