/*
 * The ALD rule pack (seed 004_eb042ae2bd8441b7.txt, Annexe 1 n°9 "Actions locales
 * disciplinaires (ALD)", and §3 c, the collectifs' task "Expertiser les propositions de
 * formations à destination de la FI et FC (notamment ALD)"; issue 5 §3): checks the `details` of
 * an ALD request and explains each breach in French. Pure: no I/O, no allocation beyond what
 * jansson lends for reading.
 *
 * An ALD trains "des équipes enseignantes du 1erdegré et du 2nd degré sur des thématiques
 * disciplinaires, par des personnels de l'enseignement supérieur". It comes either as an offer
 * those university staff propose ("Ces personnels peuvent proposer des offres de formations dont
 * la diffusion dans l'académie est assurée par la DFIE"), or as a local request ("une demande
 * locale de formation spécifique qui est déposée (ou à minima validée) par les corps d'inspection
 * concernés par l'équipe pédagogique émettrice de la demande"). The rest of the seed's paragraph
 * is the workflow's, not the details': a collectif's pilots expertise the proposal and an
 * inspector validates it (request.h: forwarded → validated by I for ald), and the Pôle is the
 * maître d'œuvre ("assure l'entièreté de la maîtrise d'œuvre", dispositif.h).
 *
 * The details object (unknown keys are ignored, for forward compatibility):
 *
 *   {"origin": "offre" | "demande_locale",
 *    "proposer": {"name": "Mme Lefèvre",          the university staff member who proposes (an
 *       "status": "enseignant_chercheur",          offre: required) or is asked to train (a
 *       "institution": "Université Lyon 1",        demande_locale: optional, the Pôle finds one
 *       "unit": "UFR Biosciences"},                otherwise); status "enseignant_chercheur"
 *                                                  (MCF, PU) or "enseignant_superieur" (PRAG,
 *                                                  PRCE, ATER…); unit optional: UFR, Inspé…
 *    "discipline": "SVT",          the discipline, 1..100 characters ("thématiques
 *                                  disciplinaires"); it names the collectif that expertises
 *    "theme": "…",                 the disciplinary theme, 3..300 characters
 *    "degree": "premier" | "second" | "interdegre",    the teachers trained
 *    "public": "…",                who is to be trained, 3..300 characters
 *    "team": {"name": "Équipe de SVT du collège Jean Moulin",
 *             "uai": "0691234A"},  the pedagogical team emitting a demande_locale (required
 *                                  there, optional but well-formed for an offre)
 *    "need": "…",                  the local need, 3..2000 characters in paragraphs (idem)
 *    "inspectors": [{"corps": "ia_ipr", "name": "M. Bernard"}],
 *                                  0..4 inspectors concerned; corps "ien" (IEN de circonscription,
 *                                  1st degree), "ia_ipr" or "ien_et_eg" (2nd degree); a
 *                                  demande_locale names at least one per degree of its public
 *    "objectives": "…",            contents and objectives, 3..4000 characters in paragraphs
 *    "hours": 9,                   duration, 1..60 hours (a shape bound: the seed sets none)
 *    "headcount": 12}              trainees, 1..200 (idem)
 *
 * Rule codes, all blocking but ald.headcount:
 *   ald.shape       a field missing, of the wrong type or out of its range
 *   ald.origin      an origin other than "offre" or "demande_locale"
 *   ald.proposer    an offre without its proposer; a proposer who is not university staff
 *   ald.degree      a public other than teachers of the 1st degree, the 2nd or both
 *   ald.local       a demande_locale without its emitting team or its need
 *   ald.inspection  an inspector of an unknown corps; a demande_locale without the inspection
 *                   corps concerned by its team (none, or none of a degree of its public)
 *   ald.headcount   warning: fewer than two trainees, when an ALD trains "équipes enseignantes"
 * A field that is malformed gives one ald.shape breach, and the rules that need it are skipped
 * rather than reported on a guess.
 */
#ifndef DOMAIN_RULES_ALD_H
#define DOMAIN_RULES_ALD_H

#include <jansson.h>

#include "domain/rules.h"

#define RULES_ALD_INSPECTORS_MAX 4
#define RULES_ALD_NEED_MAX       2000
#define RULES_ALD_OBJECTIVES_MAX 4000
#define RULES_ALD_HOURS_MAX      60
#define RULES_ALD_HEADCOUNT_MAX  200
#define RULES_ALD_TEAM_MIN       2 /* "équipes enseignantes": below, ald.headcount warns */

/*
 * Checks an ALD request's details (any JSON value, or NULL: never crashes) and appends one
 * breach per problem to *out (which the caller has initialised; earlier breaches are kept).
 * Returns the number of blocking breaches added (warnings excluded); 0 means the request may go
 * on.
 */
int rules_ald_check(const json_t *details, struct rule_report *out);

#endif
