/*
 * The ANT rule pack (seed 000, "Fiche technique destinée aux personnels d'établissement : aides
 * négociées de territoire (ANT)"; issue 5 §3): checks the `details` of an ANT request, and the
 * instant it is filed, against the seed's rules and the campaign's ANT settings (campaign.h:
 * windows, carry_over_until), and explains each breach in French. Pure: no I/O, no allocation
 * beyond what jansson lends for reading.
 *
 * The details object (unknown keys are ignored, for forward compatibility):
 *
 *   {"team": [                                   2..40 volunteers (000: "plusieurs membres
 *      {"name": "Mme Martin",                      d'une équipe éducative peuvent rédiger et
 *       "function": "professeure de lettres"},     transmettre … une demande")
 *      {"name": "M. Diallo", "function": "CPE"}],
 *    "chef_etablissement": {"name": "M. Roux",     under whose cover it is filed ("sous couvert
 *       "uai": "0691234A", "agreement": true},     de leur chef d'établissement")
 *    "scale": "etablissement" | "district" | "reseau",
 *    "host_uai": "0691235B",       the host establishment; required for a district ANT
 *                                  ("pour chaque ANT sont désignés un établissement d'accueil"),
 *                                  optional (but well-formed) otherwise
 *    "theme": "…",                 3..300 characters
 *    "diagnostic": {"date": "2026-09-15"},          absent or null until it has taken place
 *    "training_plan": {"date": "2026-10-06"},       absent or null until it is drafted
 *    "interrupted_previous_year": false}            optional, false when absent
 *
 * Rule codes, all blocking but ant.priority:
 *   ant.shape       a field missing, of the wrong type or out of its range
 *   ant.window      filed outside the campaign's ANT windows (field "": the request itself)
 *   ant.team        fewer than two team members
 *   ant.cover       the chef d'établissement's agreement not given
 *   ant.scale       a scale other than etablissement, district, reseau
 *   ant.host        a district ANT without its host establishment
 *   ant.diagnostic  a training plan without a diagnostic, or dated before it
 *   ant.priority    warning, an information rather than a breach: an action interrupted the
 *                   year before is "prioritaire au premier trimestre" (until the campaign's
 *                   carry_over_until); nothing when the campaign has no such rule
 * A field that is malformed gives one ant.shape breach, and the rules that need it are skipped
 * rather than reported on a guess.
 */
#ifndef DOMAIN_RULES_ANT_H
#define DOMAIN_RULES_ANT_H

#include <stdint.h>

#include <jansson.h>

#include "domain/campaign.h"
#include "domain/rules.h"

#define RULES_ANT_TEAM_MIN 2 /* "plusieurs membres d'une équipe éducative" */
#define RULES_ANT_TEAM_MAX 40

/*
 * Checks an ANT request's details (any JSON value, or NULL: never crashes) filed at instant
 * filed_at (Unix seconds) under campaign c's ANT settings, and appends one breach per problem to
 * *out (which the caller has initialised; earlier breaches are kept). The window is checked
 * whatever the details hold. Returns the number of blocking breaches added (warnings
 * excluded); 0 means the request may go on.
 */
int rules_ant_check(const json_t *details, const struct campaign *c, int64_t filed_at,
                    struct rule_report *out);

#endif
