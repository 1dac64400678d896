/*
 * The FIL rule pack: reads a FIL request's details defensively (every value may be of any JSON
 * type), then checks the rules of seed 004_eb042ae2bd8441b7.txt (Annexe 1 n°7), each beside the
 * sentence it enforces.
 *
 * The readers of the details are the packs' shared ones (rules.h), given this pack's shape code.
 */
#include "domain/rules_fil.h"

#include <assert.h>
#include <string.h>

#define R_SHAPE     "fil.shape"
#define R_REQUESTER "fil.requester"
#define R_SCOPE     "fil.scope"

#define NAME_LEN_MAX 200 /* a name, a circonscription */

static void check_requester(const json_t *details, struct rule_report *out)
{
    const json_t *r = json_object_get(details, "requester");
    if (!r || json_is_null(r)) {
        rule_report_add(out, R_SHAPE, "requester", false,
                        "Demandeur : champ obligatoire (role, name).");
        return;
    }
    if (!json_is_object(r)) {
        rule_report_add(out, R_SHAPE, "requester", false,
                        "Demandeur : objet attendu (role, name).");
        return;
    }
    const char *role =
        rules_get_text(out, R_SHAPE, r, "role", "requester.role", "Demandeur : rôle", 1, 40);
    (void)rules_get_text(out, R_SHAPE, r, "name", "requester.name", "Demandeur : nom", 1,
                         NAME_LEN_MAX);
    if (!role)
        return;
    if (strcmp(role, "chef_etablissement") == 0) {
        (void)rules_get_uai(out, R_SHAPE, r, "uai", "requester.uai",
                            "Demandeur : UAI de l’établissement", "0691234A");
    } else if (strcmp(role, "ien") == 0) {
        (void)rules_get_text(out, R_SHAPE, r, "circonscription", "requester.circonscription",
                             "Demandeur : circonscription", 1, NAME_LEN_MAX);
    } else {
        /* 004 Annexe 1 n°7: "Elle est mise en œuvre à l'initiative d'un chef d'établissement ou
         * d'un IEN." */
        rule_report_add(out, R_REQUESTER, "requester.role", false,
                        "Une FIL est mise en œuvre à l’initiative d’un chef d’établissement ou "
                        "d’un IEN : rôle « chef_etablissement » ou « ien ».");
    }
}

static void check_scope(const json_t *details, struct rule_report *out)
{
    bool disciplinary = false;
    if (rules_get_bool(out, R_SHAPE, details, "disciplinary", "disciplinary",
                       "Besoin disciplinaire", true, &disciplinary) <= 0)
        return;
    /* 004 Annexe 1 n°7: "Une FIL est un dispositif de formation destiné à répondre à un besoin
     * spécifique, non disciplinaire, d'un EPLE, d'un groupe d'EPLE ou d'un territoire, d'un
     * bassin ayant la même problématique." A disciplinary need is an ALD's (n°9: "Les actions
     * locales disciplinaires sont destinées à former des équipes enseignantes … sur des
     * thématiques disciplinaires"). */
    if (disciplinary)
        rule_report_add(out, R_SCOPE, "disciplinary", false,
                        "Une FIL répond à « un besoin spécifique, non disciplinaire, d’un EPLE, "
                        "d’un groupe d’EPLE ou d’un territoire » : un besoin disciplinaire relève "
                        "d’une action locale disciplinaire (ALD).");
}

int rules_fil_check(const json_t *details, struct rule_report *out)
{
    assert(out);
    int before = out->blocking;
    if (!json_is_object(details)) {
        rule_report_add(out, R_SHAPE, "", false,
                        "Les détails d’une FIL sont un objet JSON (requester, need, public, "
                        "headcount, disciplinary).");
        return out->blocking - before;
    }
    check_requester(details, out);
    (void)rules_get_lines(out, R_SHAPE, details, "need", "need", "Besoin", RULES_FIL_NEED_MIN,
                          RULES_FIL_NEED_MAX);
    (void)rules_get_text(out, R_SHAPE, details, "public", "public", "Public", 3,
                         RULES_FIL_PUBLIC_MAX);
    long long headcount = 0;
    (void)rules_get_int(out, R_SHAPE, details, "headcount", "headcount", "Effectif", 1,
                        RULES_FIL_HEADCOUNT_MAX, true, &headcount);
    check_scope(details, out);
    return out->blocking - before;
}
