/*
 * The ALP IDG rule pack (seed 001, "Cahier des charges actions locales prioritaires (ALP)
 * interdegrés"; issue 5 §3): checks the `details` of an ALP IDG request, and its schedule once
 * the sessions are set, against the seed's rules and the campaign's ALP settings (campaign.h:
 * season, durations, weekdays, caps), and explains each breach in French. Also holds the
 * calendar the sessions must avoid: the zone A school holidays (académie de Lyon) and the French
 * public holidays. Pure: no I/O, no allocation beyond what jansson lends for reading.
 *
 * The details object (unknown keys are ignored, for forward compatibility):
 *
 *   {"requesters": [                               1..16 co-requesters (001: "demandé
 *      {"role": "chef_etablissement",               conjointement par un ou plusieurs chef(s)
 *       "name": "Mme Durand", "uai": "0691234A"},   d'établissement et un ou plusieurs IEN")
 *      {"role": "ien", "name": "M. Petit",
 *       "circonscription": "Villeurbanne Nord"}],
 *    "sectors": 1,                 réseaux or secteurs écoles-collège concerned, 1..50
 *    "format": "reconduction" | "nouveau_theme" | "multi_secteurs",
 *    "previous_action": "…",       reconduction only: the cancelled ALP IDG it carries on
 *    "theme": "…",                 3..300 characters
 *    "eabep": false,               the theme concerns pupils with special needs (EABEP)
 *    "education_prioritaire": true,
 *    "orientation": "grande_difficulte" | "travail_personnel" | "pratiques_inclusives" |
 *                   "fluidite_parcours",           required in éducation prioritaire
 *    "academic_trainers": true,    formateurs académiques take part
 *    "hours": 12, "days": 2,       the duration asked for
 *    "sessions": [{"date": "2027-01-12", "start": "09:00", "end": "12:00"}, …],
 *                                  0..8 sessions, several on one day allowed; absent or [] until
 *                                  the dates are set (001 §2: they are fixed by the training
 *                                  services in June-July, after the request)
 *    "trainees": {"first_degree": 10, "second_degree": 10,
 *                 "declared_max": 40}}             declared_max: optional, the number of
 *                                                  trainees announced beyond the cap
 *
 * Rule codes, all blocking but alp.eabep, and a duration mismatch (see alp.duration):
 *   alp.shape         a field missing, of the wrong type or out of its range
 *   alp.requesters    no chef d'établissement or no IEN among the requesters; another role
 *   alp.format        unknown format; reconduction without its previous action; multi_secteurs
 *                     with fewer than two sectors
 *   alp.duration      hours or days outside the campaign's bounds (6..12 h, 1..2 days), asked
 *                     for or scheduled; a schedule that differs from what was asked (warning)
 *   alp.times         a session that ends before it starts, or overlaps another that day
 *   alp.period        a session outside the season (mid-October to early June)
 *   alp.weekday       a day the campaign does not allow with (or without) academic trainers,
 *                     or a morning-only day whose session ends after 12:00
 *   alp.eabep         warning: an EABEP theme on a day other than the preferred ones (Tuesday,
 *                     Thursday); the seed says "prioritairement", a preference, not a ban
 *   alp.holiday       a session in the zone A school holidays or on a public holiday; a
 *                     warning when the campaign's school year is not in the holiday table
 *   alp.sector_quota  more than 10 first- or second-degree teachers per sector
 *   alp.max_trainees  more than 30 trainees not declared, or more than declared
 *   alp.balance       one degree absent, or under 40 % of the trainees
 *   alp.orientation   in éducation prioritaire, no orientation or one outside the seed's four
 * A field that is malformed gives one alp.shape breach, and the rules that need it are skipped
 * rather than reported on a guess.
 */
#ifndef DOMAIN_RULES_ALP_H
#define DOMAIN_RULES_ALP_H

#include <stdbool.h>

#include <jansson.h>

#include "domain/campaign.h"
#include "domain/rules.h"

#define RULES_ALP_REQUESTERS_MAX 16
#define RULES_ALP_SESSIONS_MAX   8
#define RULES_ALP_SECTORS_MAX    50
#define RULES_ALP_BALANCE_PCT    40        /* each degree at least this share of the trainees */
#define RULES_ALP_MORNING_END    (12 * 60) /* a morning session ends by 12:00 */

/*
 * Checks an ALP IDG request's details (any JSON value, or NULL: never crashes, never reads past
 * what jansson holds) under campaign c's ALP IDG settings, and appends one breach per problem
 * to *out (which the caller has initialised; earlier breaches are kept). Returns the number of
 * blocking breaches added (warnings excluded); 0 means the request may go on.
 */
int rules_alp_check(const json_t *details, const struct campaign *c, struct rule_report *out);

/* The four orientations of éducation prioritaire (001 §5), NULL-terminated codes in the seed's
 * order, and the French label of a code (NULL if unknown). */
extern const char *const rules_alp_orientation_codes[];
const char *rules_alp_orientation_label(const char *code);

/*
 * Why no session may take place on y-m-d: the French label of the public holiday ("lundi de
 * Pâques", computed for any year 1583..9999) or of the zone A school holidays it falls in
 * ("vacances de la Toussaint", "pont de l’Ascension"), or NULL for a day with classes or one the
 * table does not cover. *public_holiday (when not NULL) tells which of the two it is.
 */
const char *rules_alp_holiday(int y, int m, int d, bool *public_holiday);

/* True when the zone A school-holiday table covers the school year first_year..first_year+1. */
bool rules_alp_holidays_known(int first_year);

/* Easter Sunday of year y (Gregorian, 1583..9999) into *m and *d. */
void rules_alp_easter(int y, int *m, int *d);

#endif
