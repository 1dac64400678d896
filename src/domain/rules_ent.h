/*
 * The ENT rule pack (seed 002_a92ffaf401843d92.txt, "Convention de formation" for the deployment
 * of the ENT; issue 5 §3): checks the `details` of an ENT convention and explains each breach in
 * French. Pure: no I/O, no allocation beyond what jansson lends for reading.
 *
 * The details object (unknown keys are ignored, for forward compatibility):
 *
 *   {"in_person": [                       002 "FORMATIONS EN PRESENTIEL", 0..100 items
 *      {"date": "2027-01-12",             AAAA-MM-JJ, a calendar date
 *       "hours": 3,                       duration, 1..12 hours
 *       "public": "Enseignants de 6e",    type of public, 1..300 characters
 *       "headcount": 12,                  1..500 persons
 *       "trainer": "M. Martin"}],         the « formateur accompagnateur », 1..200 characters
 *    "online": [                          002 "FORMATIONS EN LIGNE ET SUIVI", 0..100 items
 *      {"date": "2027-01-19", "hours": 2,
 *       "mode": "classe_virtuelle",       or "suivi" (002: "Modalité (CV ou suivi)")
 *       "headcount": 8, "trainer": "M. Martin"}],
 *    "remuneration": [                    the chef d'établissement's proposal, 1..50 items
 *      {"trainer": "M. Martin",           as written in the sessions (compared byte for byte)
 *       "hse": 18}],                      0..1000 HSE, at most the campaign's cap
 *    "review": {                          optional: the qualitative analysis
 *      "chef_etablissement": "…",         each optional, 1..4000 characters, in paragraphs
 *      "trainers": "…"},
 *    "evaluation": {                      optional: the four criteria of 002 §5
 *      "fiabilite": "…", "faisabilite": "…", "accompagnement": "…", "effets": "…"},
 *                                         each optional, 1..4000 characters, in paragraphs
 *    "signatures": {                      optional: the dates of signature, AAAA-MM-JJ
 *      "chef_etablissement": "2027-06-30", "dafpen": "2027-07-02"}}
 *
 * The review, the evaluation and the signatures belong to the convention's later life ("En fin
 * de formation, un bilan sera établi"): accepted when present and shape-checked, never required
 * at submission.
 *
 * Rule codes, all blocking:
 *   ent.shape         a field missing, of the wrong type or out of its range
 *   ent.sessions      no session at all, in person or online
 *   ent.mode          an online session neither "classe_virtuelle" nor "suivi"
 *   ent.hse           a trainer proposed more HSE than the campaign's cap (18 by default)
 *   ent.remuneration  a trainer of the sessions without a remuneration line, or a trainer with
 *                     two lines (which would get round the cap)
 * A field that is malformed gives one ent.shape breach, and the rules that need it are skipped.
 */
#ifndef DOMAIN_RULES_ENT_H
#define DOMAIN_RULES_ENT_H

#include <jansson.h>

#include "domain/campaign.h"
#include "domain/rules.h"

#define RULES_ENT_SESSIONS_MAX  100 /* per list */
#define RULES_ENT_REMUN_MAX     50
#define RULES_ENT_HOURS_MAX     12
#define RULES_ENT_HEADCOUNT_MAX 500
#define RULES_ENT_HSE_MAX       1000 /* a shape bound; the rule is the campaign's cap */
#define RULES_ENT_TEXT_MAX      4000

/*
 * Checks an ENT convention's details (any JSON value, or NULL: never crashes) under campaign c
 * (its REQUEST_KIND_ENT settings: max_hse_per_trainer, 0 meaning no cap) and appends one breach
 * per problem to *out (which the caller has initialised; earlier breaches are kept). Returns the
 * number of blocking breaches added; 0 means the request may go on.
 */
int rules_ent_check(const json_t *details, const struct campaign *c, struct rule_report *out);

#endif
