/*
 * The ALD rule pack: reads an ALD request's details defensively (every value may be of any JSON
 * type), then checks the rules of seed 004_eb042ae2bd8441b7.txt (Annexe 1 n°9, lines 377-381),
 * each beside the sentence it enforces.
 *
 * The readers of the details are the packs' shared ones (rules.h), given this pack's shape code.
 */
#include "domain/rules_ald.h"

#include <assert.h>
#include <stdbool.h>
#include <string.h>

#define R_SHAPE      "ald.shape"
#define R_ORIGIN     "ald.origin"
#define R_PROPOSER   "ald.proposer"
#define R_DEGREE     "ald.degree"
#define R_LOCAL      "ald.local"
#define R_INSPECTION "ald.inspection"
#define R_HEADCOUNT  "ald.headcount"

#define NAME_LEN_MAX 200 /* a name, an institution, a team */
#define CODE_LEN_MAX 40  /* a code: origin, status, degree, corps */

/* Where the request comes from; ORIGIN_NONE when unread or unknown (the rules that depend on it
 * are then skipped). */
enum origin { ORIGIN_NONE, ORIGIN_OFFER, ORIGIN_LOCAL };

/* The degrees of the teachers trained, as a mask; 0 when unread or unknown. */
#define DEGREE_FIRST  1u
#define DEGREE_SECOND 2u

/* True when key is absent from o or null: an optional field not given. */
static bool absent(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return !v || json_is_null(v);
}

static enum origin check_origin(const json_t *details, struct rule_report *out)
{
    const char *s =
        rules_get_text(out, R_SHAPE, details, "origin", "origin", "Origine", 1, CODE_LEN_MAX);
    if (!s)
        return ORIGIN_NONE;
    /* 004 Annexe 1 n°9, l. 379: "Ces personnels peuvent proposer des offres de formations dont
     * la diffusion dans l'académie est assurée par la DFIE."; l. 380: "Les ALD doivent également
     * permettre de répondre à une demande locale de formation spécifique". */
    if (strcmp(s, "offre") == 0)
        return ORIGIN_OFFER;
    if (strcmp(s, "demande_locale") == 0)
        return ORIGIN_LOCAL;
    rule_report_add(out, R_ORIGIN, "origin", false,
                    "Une ALD est une offre de formation de personnels de l’enseignement supérieur "
                    "(« offre ») ou une demande locale de formation spécifique "
                    "(« demande_locale »).");
    return ORIGIN_NONE;
}

static void check_proposer(const json_t *details, enum origin origin, struct rule_report *out)
{
    const json_t *p = json_object_get(details, "proposer");
    if (!p || json_is_null(p)) {
        /* 004 Annexe 1 n°9, l. 379: "Ces personnels peuvent proposer des offres de formations":
         * an offer is someone's. A local request may leave the trainer to the Pôle, "maître
         * d'œuvre" (l. 381). */
        if (origin == ORIGIN_OFFER)
            rule_report_add(out, R_PROPOSER, "proposer", false,
                            "Une offre d’ALD est proposée par un personnel de l’enseignement "
                            "supérieur : indiquez qui la propose.");
        return;
    }
    if (!json_is_object(p)) {
        rule_report_add(out, R_SHAPE, "proposer", false,
                        "Personnel universitaire : objet attendu (name, status, institution).");
        return;
    }
    (void)rules_get_text(out, R_SHAPE, p, "name", "proposer.name", "Personnel universitaire : nom",
                         1, NAME_LEN_MAX);
    const char *status = rules_get_text(out, R_SHAPE, p, "status", "proposer.status",
                                        "Personnel universitaire : statut", 1, CODE_LEN_MAX);
    (void)rules_get_text(out, R_SHAPE, p, "institution", "proposer.institution",
                         "Personnel universitaire : établissement d’enseignement supérieur", 1,
                         NAME_LEN_MAX);
    if (!absent(p, "unit"))
        (void)rules_get_text(
            out, R_SHAPE, p, "unit", "proposer.unit",
            "Personnel universitaire : composante (UFR, Inspé, unité de recherche)", 1,
            NAME_LEN_MAX);
    /* 004 Annexe 1 n°9, l. 378: ALD train teachers "par des personnels de l'enseignement
     * supérieur". */
    if (status && strcmp(status, "enseignant_chercheur") != 0 &&
        strcmp(status, "enseignant_superieur") != 0)
        rule_report_add(out, R_PROPOSER, "proposer.status", false,
                        "Une ALD est assurée par des personnels de l’enseignement supérieur : "
                        "statut « enseignant_chercheur » (MCF, PU) ou « enseignant_superieur » "
                        "(PRAG, PRCE, ATER…).");
}

static unsigned check_degree(const json_t *details, struct rule_report *out)
{
    const char *s = rules_get_text(out, R_SHAPE, details, "degree", "degree", "Degré du public", 1,
                                   CODE_LEN_MAX);
    if (!s)
        return 0;
    /* 004 Annexe 1 n°9, l. 378: "Les actions locales disciplinaires sont destinées à former des
     * équipes enseignantes du 1erdegré et du 2nd degré". */
    if (strcmp(s, "premier") == 0)
        return DEGREE_FIRST;
    if (strcmp(s, "second") == 0)
        return DEGREE_SECOND;
    if (strcmp(s, "interdegre") == 0)
        return DEGREE_FIRST | DEGREE_SECOND;
    rule_report_add(out, R_DEGREE, "degree", false,
                    "Une ALD forme des équipes enseignantes du 1er degré (« premier »), du 2nd "
                    "degré (« second ») ou des deux (« interdegre »).");
    return 0;
}

/* The emitting team and the need: required for a local request, well-formed when given. */
static void check_local(const json_t *details, enum origin origin, struct rule_report *out)
{
    /* 004 Annexe 1 n°9, l. 380: "une demande locale de formation spécifique qui est déposée (ou
     * à minima validée) par les corps d'inspection concernés par l'équipe pédagogique émettrice
     * de la demande": a local request has its team, and says what it needs. */
    const json_t *t = json_object_get(details, "team");
    if (!t || json_is_null(t)) {
        if (origin == ORIGIN_LOCAL)
            rule_report_add(out, R_LOCAL, "team", false,
                            "Une demande locale d’ALD émane d’une équipe pédagogique : indiquez "
                            "laquelle et son établissement (name, uai).");
    } else if (!json_is_object(t)) {
        rule_report_add(out, R_SHAPE, "team", false,
                        "Équipe pédagogique : objet attendu (name, uai).");
    } else {
        (void)rules_get_text(out, R_SHAPE, t, "name", "team.name", "Équipe pédagogique : nom", 3,
                             NAME_LEN_MAX);
        (void)rules_get_uai(out, R_SHAPE, t, "uai", "team.uai",
                            "Équipe pédagogique : UAI de l’établissement ou de l’école",
                            "0691234A");
    }
    if (!absent(details, "need"))
        (void)rules_get_lines(out, R_SHAPE, details, "need", "need", "Besoin de formation", 3,
                              RULES_ALD_NEED_MAX);
    else if (origin == ORIGIN_LOCAL)
        rule_report_add(out, R_LOCAL, "need", false,
                        "Une demande locale d’ALD répond à un besoin de formation spécifique : "
                        "décrivez-le.");
}

/* The degree a corps inspects, 0 for an unknown corps. */
static unsigned corps_degree(const char *corps)
{
    if (strcmp(corps, "ien") == 0)
        return DEGREE_FIRST;
    if (strcmp(corps, "ia_ipr") == 0 || strcmp(corps, "ien_et_eg") == 0)
        return DEGREE_SECOND;
    return 0;
}

static void check_inspectors(const json_t *details, enum origin origin, unsigned degree,
                             struct rule_report *out)
{
    const json_t *a = json_object_get(details, "inspectors");
    size_t n = 0;
    unsigned covered = 0;
    bool all_read = true;
    if (a && !json_is_null(a)) {
        if (!json_is_array(a)) {
            rule_report_add(out, R_SHAPE, "inspectors", false,
                            "Corps d’inspection : liste attendue (corps, name).");
            return;
        }
        n = json_array_size(a);
        if (n > RULES_ALD_INSPECTORS_MAX) {
            rule_report_add(out, R_SHAPE, "inspectors", false,
                            "Corps d’inspection : au plus %d inspecteurs, pas %zu.",
                            RULES_ALD_INSPECTORS_MAX, n);
            return;
        }
    }
    char field[64], label[80];
    for (size_t i = 0; i < n; i++) {
        const json_t *o = json_array_get(a, i);
        if (!json_is_object(o)) {
            rules_say(field, sizeof field, "inspectors[%zu]", i);
            rule_report_add(out, R_SHAPE, field, false,
                            "Inspecteur n°%zu : objet attendu (corps, name).", i + 1);
            all_read = false;
            continue;
        }
        rules_say(field, sizeof field, "inspectors[%zu].name", i);
        rules_say(label, sizeof label, "Inspecteur n°%zu : nom", i + 1);
        (void)rules_get_text(out, R_SHAPE, o, "name", field, label, 1, NAME_LEN_MAX);
        rules_say(field, sizeof field, "inspectors[%zu].corps", i);
        rules_say(label, sizeof label, "Inspecteur n°%zu : corps", i + 1);
        const char *corps = rules_get_text(out, R_SHAPE, o, "corps", field, label, 1, CODE_LEN_MAX);
        unsigned d = corps ? corps_degree(corps) : 0;
        if (corps && d == 0)
            rule_report_add(out, R_INSPECTION, field, false,
                            "Inspecteur n°%zu : corps « ien » (IEN de circonscription, 1er "
                            "degré), « ia_ipr » ou « ien_et_eg » (2nd degré).",
                            i + 1);
        if (d == 0)
            all_read = false;
        covered |= d;
    }
    if (origin != ORIGIN_LOCAL || !all_read)
        return;
    /* 004 Annexe 1 n°9, l. 380: the local request "est déposée (ou à minima validée) par les
     * corps d'inspection concernés par l'équipe pédagogique émettrice de la demande": the corps
     * of each degree the team teaches in. */
    if (n == 0) {
        rule_report_add(out, R_INSPECTION, "inspectors", false,
                        "Une demande locale d’ALD est déposée (ou à minima validée) par les corps "
                        "d’inspection concernés par l’équipe pédagogique : indiquez-les.");
        return;
    }
    unsigned missing = degree & ~covered;
    if (missing & DEGREE_FIRST)
        rule_report_add(out, R_INSPECTION, "inspectors", false,
                        "Le public est du 1er degré : la demande locale est déposée (ou à minima "
                        "validée) par l’IEN de circonscription concerné (corps « ien »).");
    if (missing & DEGREE_SECOND)
        rule_report_add(out, R_INSPECTION, "inspectors", false,
                        "Le public est du 2nd degré : la demande locale est déposée (ou à minima "
                        "validée) par l’inspecteur concerné (corps « ia_ipr » ou « ien_et_eg »).");
}

static void check_headcount(const json_t *details, struct rule_report *out)
{
    long long headcount = 0;
    if (rules_get_int(out, R_SHAPE, details, "headcount", "headcount", "Effectif", 1,
                      RULES_ALD_HEADCOUNT_MAX, true, &headcount) <= 0)
        return;
    /* 004 Annexe 1 n°9, l. 378: ALD "sont destinées à former des équipes enseignantes". A
     * warning, not a ban: the seed says what ALD are for, it sets no floor, and the coordinator
     * may have a reason (a team whose other members are already trained). */
    if (headcount < RULES_ALD_TEAM_MIN)
        rule_report_add(out, R_HEADCOUNT, "headcount", true,
                        "Une ALD est destinée à former des équipes enseignantes : un seul "
                        "stagiaire est prévu.");
}

int rules_ald_check(const json_t *details, struct rule_report *out)
{
    assert(out);
    int before = out->blocking;
    if (!json_is_object(details)) {
        rule_report_add(out, R_SHAPE, "", false,
                        "Les détails d’une ALD sont un objet JSON (origin, proposer, discipline, "
                        "theme, degree, public, objectives, hours, headcount).");
        return out->blocking - before;
    }
    enum origin origin = check_origin(details, out);
    check_proposer(details, origin, out);
    /* 004 Annexe 1 n°9, l. 378: "sur des thématiques disciplinaires"; the discipline is also what
     * sends the proposal to its collectif, whose task is to "Expertiser les propositions de
     * formations à destination de la FI et FC (notamment ALD)" (§3 c, l. 214). */
    (void)rules_get_text(out, R_SHAPE, details, "discipline", "discipline", "Discipline", 1, 100);
    (void)rules_get_text(out, R_SHAPE, details, "theme", "theme", "Thématique disciplinaire", 3,
                         300);
    unsigned degree = check_degree(details, out);
    (void)rules_get_text(out, R_SHAPE, details, "public", "public", "Public", 3, 300);
    check_local(details, origin, out);
    check_inspectors(details, origin, degree, out);
    (void)rules_get_lines(out, R_SHAPE, details, "objectives", "objectives",
                          "Contenus et objectifs", 3, RULES_ALD_OBJECTIVES_MAX);
    long long hours = 0;
    (void)rules_get_int(out, R_SHAPE, details, "hours", "hours", "Durée (heures)", 1,
                        RULES_ALD_HOURS_MAX, true, &hours);
    check_headcount(details, out);
    return out->blocking - before;
}
