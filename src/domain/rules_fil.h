/*
 * The FIL rule pack (seed 004, Annexe 1 n°7 "Formations d'Initiative Locale (FIL)" and Annexe 4
 * c; issue 5 §3): checks the `details` of a FIL request and explains each breach in French. A
 * FIL comes "au fil de l'eau": no window, and its 5-week response deadline is the campaign's
 * (campaign_response_deadline), not a rule on the details. Pure: no I/O, no allocation beyond
 * what jansson lends for reading.
 *
 * The details object (unknown keys are ignored, for forward compatibility):
 *
 *   {"requester": {"role": "chef_etablissement",   who takes the initiative (004: "à
 *                  "name": "Mme Durand",             l'initiative d'un chef d'établissement ou
 *                  "uai": "0691234A"},               d'un IEN"); an IEN gives
 *                                                    "circonscription": "Lyon 3" instead of uai
 *    "need": "…",              the local need, 3..2000 characters
 *    "public": "…",            who is to be trained, 3..300 characters
 *    "headcount": 25,          trainees, 1..200
 *    "disciplinary": false}    true when the need is a disciplinary one
 *
 * Rule codes, all blocking:
 *   fil.shape      a field missing, of the wrong type or out of its range
 *   fil.requester  a requester other than a chef d'établissement or an IEN
 *   fil.scope      a disciplinary need: a FIL answers a local, non-disciplinary need (a
 *                  disciplinary one is an ALD's, 004 Annexe 1 n°9)
 * A field that is malformed gives one fil.shape breach, and the rules that need it are skipped.
 */
#ifndef DOMAIN_RULES_FIL_H
#define DOMAIN_RULES_FIL_H

#include <jansson.h>

#include "domain/rules.h"

#define RULES_FIL_NEED_MIN      3
#define RULES_FIL_NEED_MAX      2000
#define RULES_FIL_PUBLIC_MAX    300
#define RULES_FIL_HEADCOUNT_MAX 200

/*
 * Checks a FIL request's details (any JSON value, or NULL: never crashes) and appends one breach
 * per problem to *out (which the caller has initialised; earlier breaches are kept). Returns the
 * number of blocking breaches added; 0 means the request may go on.
 */
int rules_fil_check(const json_t *details, struct rule_report *out);

#endif
