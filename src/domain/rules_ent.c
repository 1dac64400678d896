/*
 * The ENT rule pack: reads an ENT convention's details defensively (every value may be of any
 * JSON type), then checks the rules of seed 002_a92ffaf401843d92.txt, each beside the sentence
 * it enforces.
 *
 * The readers of the details are the packs' shared ones (rules.h), given this pack's shape code.
 */
#include "domain/rules_ent.h"

#include <assert.h>
#include <stdbool.h>
#include <string.h>

#include "core/timeutil.h"

#define R_SHAPE        "ent.shape"
#define R_SESSIONS     "ent.sessions"
#define R_MODE         "ent.mode"
#define R_HSE          "ent.hse"
#define R_REMUNERATION "ent.remuneration"

#define NAME_LEN_MAX 200

/* A trainer named by a session: where, for the breach that points at it. */
struct named {
    const char *trainer;
    bool online;
    size_t index;
};

struct ent {
    struct rule_report *out;
    struct named named[2 * RULES_ENT_SESSIONS_MAX];
    size_t named_count;
};

/* The date at key of session o, an ent.shape breach when it is not a calendar AAAA-MM-JJ. */
static void read_date(struct rule_report *out, const json_t *o, const char *key, const char *field,
                      const char *label)
{
    const char *s = rules_date_shaped(json_object_get(o, key));
    int64_t t = 0;
    if (!s)
        rule_report_add(out, R_SHAPE, field, false,
                        "%s : date attendue au format AAAA-MM-JJ (2027-01-12).", label);
    else if (time_parse_date(s, 10, &t) != 0)
        /* Ten digits and dashes only: safe to repeat to the user. */
        rule_report_add(out, R_SHAPE, field, false,
                        "%s : le %.10s n’est pas une date du calendrier.", label, s);
}

/* Session i of the in-person (online false) or online list. */
static void read_session(struct ent *x, const json_t *o, bool online, size_t i)
{
    const char *list = online ? "online" : "in_person";
    char field[64], label[80];
    rules_say(label, sizeof label, "%s n°%zu",
              online ? "Formation en ligne" : "Formation en présentiel", i + 1);
    if (!json_is_object(o)) {
        rules_say(field, sizeof field, "%s[%zu]", list, i);
        rule_report_add(x->out, R_SHAPE, field, false,
                        "%s : objet attendu (date, hours, %s, "
                        "headcount, trainer).",
                        label, online ? "mode" : "public");
        return;
    }
    rules_say(field, sizeof field, "%s[%zu].date", list, i);
    read_date(x->out, o, "date", field, label);

    char lab[120];
    long long n = 0;
    rules_say(field, sizeof field, "%s[%zu].hours", list, i);
    rules_say(lab, sizeof lab, "%s : durée (heures)", label);
    (void)rules_get_int(x->out, R_SHAPE, o, "hours", field, lab, 1, RULES_ENT_HOURS_MAX, true, &n);
    rules_say(field, sizeof field, "%s[%zu].headcount", list, i);
    rules_say(lab, sizeof lab, "%s : nombre de personnes", label);
    (void)rules_get_int(x->out, R_SHAPE, o, "headcount", field, lab, 1, RULES_ENT_HEADCOUNT_MAX,
                        true, &n);
    if (online) {
        rules_say(field, sizeof field, "online[%zu].mode", i);
        rules_say(lab, sizeof lab, "%s : modalité", label);
        const char *mode = rules_get_text(x->out, R_SHAPE, o, "mode", field, lab, 1, 40);
        /* 002, "FORMATIONS EN LIGNE ET SUIVI": "Modalité (CV ou suivi)". */
        if (mode && strcmp(mode, "classe_virtuelle") != 0 && strcmp(mode, "suivi") != 0)
            rule_report_add(x->out, R_MODE, field, false,
                            "%s : la modalité d’une formation en ligne est une classe virtuelle "
                            "ou un suivi (« classe_virtuelle » ou « suivi »).",
                            label);
    } else {
        rules_say(field, sizeof field, "in_person[%zu].public", i);
        rules_say(lab, sizeof lab, "%s : type du public concerné", label);
        (void)rules_get_text(x->out, R_SHAPE, o, "public", field, lab, 1, 300);
    }
    rules_say(field, sizeof field, "%s[%zu].trainer", list, i);
    rules_say(lab, sizeof lab, "%s : nom du « formateur accompagnateur »", label);
    const char *trainer =
        rules_get_text(x->out, R_SHAPE, o, "trainer", field, lab, 1, NAME_LEN_MAX);
    if (trainer && x->named_count < sizeof x->named / sizeof x->named[0]) {
        struct named *p = &x->named[x->named_count++];
        p->trainer = trainer;
        p->online = online;
        p->index = i;
    }
}

/* The session list at key: its length, 0 when absent or null, -1 after a breach on the list. */
static long read_sessions(struct ent *x, const json_t *details, bool online)
{
    const char *key = online ? "online" : "in_person";
    const char *label = online ? "Formations en ligne et suivi" : "Formations en présentiel";
    const json_t *a = json_object_get(details, key);
    if (!a || json_is_null(a))
        return 0;
    if (!json_is_array(a)) {
        rule_report_add(x->out, R_SHAPE, key, false, "%s : liste attendue.", label);
        return -1;
    }
    size_t n = json_array_size(a);
    if (n > RULES_ENT_SESSIONS_MAX) {
        rule_report_add(x->out, R_SHAPE, key, false, "%s : au plus %d séances, pas %zu.", label,
                        RULES_ENT_SESSIONS_MAX, n);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        read_session(x, json_array_get(a, i), online, i);
    return (long)n;
}

/*
 * The remuneration proposal: ent.hse on a line over the cap, ent.remuneration on a second line
 * for a trainer and on a session's trainer without a line (checked only when every line read).
 */
static void check_remuneration(struct ent *x, const json_t *details, int cap)
{
    const json_t *a = json_object_get(details, "remuneration");
    if (!a || json_is_null(a)) {
        rule_report_add(x->out, R_SHAPE, "remuneration", false,
                        "Proposition de rémunération : champ obligatoire (liste de trainer, "
                        "hse).");
        return;
    }
    if (!json_is_array(a)) {
        rule_report_add(x->out, R_SHAPE, "remuneration", false,
                        "Proposition de rémunération : liste attendue (trainer, hse).");
        return;
    }
    size_t n = json_array_size(a);
    if (n > RULES_ENT_REMUN_MAX) {
        rule_report_add(x->out, R_SHAPE, "remuneration", false,
                        "Proposition de rémunération : au plus %d lignes, pas %zu.",
                        RULES_ENT_REMUN_MAX, n);
        return;
    }
    const char *names[RULES_ENT_REMUN_MAX];
    bool all_read = true;
    char field[64], label[80];
    for (size_t i = 0; i < n; i++) {
        const json_t *o = json_array_get(a, i);
        names[i] = NULL;
        if (!json_is_object(o)) {
            rules_say(field, sizeof field, "remuneration[%zu]", i);
            rule_report_add(x->out, R_SHAPE, field, false,
                            "Rémunération, ligne n°%zu : objet attendu (trainer, hse).", i + 1);
            all_read = false;
            continue;
        }
        rules_say(field, sizeof field, "remuneration[%zu].trainer", i);
        rules_say(label, sizeof label, "Rémunération, ligne n°%zu : nom du formateur", i + 1);
        names[i] = rules_get_text(x->out, R_SHAPE, o, "trainer", field, label, 1, NAME_LEN_MAX);
        if (!names[i])
            all_read = false;
        for (size_t j = 0; names[i] && j < i; j++) {
            if (names[j] && strcmp(names[j], names[i]) == 0) {
                /* 002: "18 HSE au maximum par « formateur accompagnateur »": one line each,
                 * or the cap could be split over two. */
                rule_report_add(x->out, R_REMUNERATION, field, false,
                                "Rémunération, ligne n°%zu : ce formateur a déjà la ligne n°%zu ; "
                                "une seule ligne par « formateur accompagnateur ».",
                                i + 1, j + 1);
                break;
            }
        }
        long long hse = 0;
        rules_say(field, sizeof field, "remuneration[%zu].hse", i);
        rules_say(label, sizeof label, "Rémunération, ligne n°%zu : nombre d’HSE", i + 1);
        if (rules_get_int(x->out, R_SHAPE, o, "hse", field, label, 0, RULES_ENT_HSE_MAX, true,
                          &hse) <= 0)
            continue;
        /* 002: "Proposition de rémunération par le chef d'établissement (18 HSE au maximum par
         * « formateur accompagnateur »)"; §6: "Une rémunération forfaitaire de 18 HSE au
         * maximum, pour chaque « formateur-accompagnateur » est proposée pour ces actions." */
        if (cap > 0 && hse > cap)
            rule_report_add(x->out, R_HSE, field, false,
                            "Rémunération, ligne n°%zu : %lld HSE proposées ; la rémunération est "
                            "de %d HSE au maximum par « formateur accompagnateur ».",
                            i + 1, hse, cap);
    }
    if (!all_read)
        return;
    /* 002: the bilan "permettra la rémunération selon la ventilation qu'il précisera": every
     * « formateur accompagnateur » of the plan has a line of the proposal. */
    for (size_t k = 0; k < x->named_count; k++) {
        const struct named *p = &x->named[k];
        bool seen = false, paid = false;
        for (size_t j = 0; j < k && !seen; j++)
            seen = strcmp(x->named[j].trainer, p->trainer) == 0;
        for (size_t i = 0; i < n && !paid; i++)
            paid = strcmp(names[i], p->trainer) == 0;
        if (seen || paid)
            continue;
        rules_say(field, sizeof field, "%s[%zu].trainer", p->online ? "online" : "in_person",
                  p->index);
        rule_report_add(x->out, R_REMUNERATION, field, false,
                        "%s n°%zu : son « formateur accompagnateur » n’a pas de ligne dans la "
                        "proposition de rémunération.",
                        p->online ? "Formation en ligne" : "Formation en présentiel", p->index + 1);
    }
}

/* An optional object of optional texts (review, evaluation) or dates (signatures). */
static void check_optional(struct rule_report *out, const json_t *details, const char *key,
                           const char *label, const char *const *names, const char *const *labels,
                           size_t count, bool dates)
{
    const json_t *o = json_object_get(details, key);
    if (!o || json_is_null(o))
        return;
    if (!json_is_object(o)) {
        rule_report_add(out, R_SHAPE, key, false, "%s : objet attendu.", label);
        return;
    }
    char field[64], lab[120];
    for (size_t i = 0; i < count; i++) {
        const json_t *v = json_object_get(o, names[i]);
        if (!v || json_is_null(v))
            continue;
        rules_say(field, sizeof field, "%s.%s", key, names[i]);
        rules_say(lab, sizeof lab, "%s : %s", label, labels[i]);
        if (dates)
            read_date(out, o, names[i], field, lab);
        else
            (void)rules_get_lines(out, R_SHAPE, o, names[i], field, lab, 1, RULES_ENT_TEXT_MAX);
    }
}

static void check_later_life(struct rule_report *out, const json_t *details)
{
    /* 002: "Analyse qualitative de l'impact dans l'évolution des pratiques : Point de vue du
     * chef d'établissement : Point de vue des formateurs :" */
    static const char *const review[] = {"chef_etablissement", "trainers"};
    static const char *const review_l[] = {"point de vue du chef d’établissement",
                                           "point de vue des formateurs"};
    check_optional(out, details, "review", "Analyse qualitative", review, review_l, 2, false);
    /* 002 §5: "Elle porte sur les critères suivants : la fiabilité du dispositif … la
     * faisabilité pédagogique … l'accompagnement … les effets de la formation dans l'EPL" */
    static const char *const eval[] = {"fiabilite", "faisabilite", "accompagnement", "effets"};
    static const char *const eval_l[] = {"fiabilité du dispositif", "faisabilité pédagogique",
                                         "accompagnement", "effets de la formation"};
    check_optional(out, details, "evaluation", "Évaluation", eval, eval_l, 4, false);
    /* 002: "Signature du chef d'établissement : Signature du Directeur de la DAFPEN :" */
    static const char *const sign[] = {"chef_etablissement", "dafpen"};
    static const char *const sign_l[] = {"chef d’établissement", "Directeur de la DAFPEN"};
    check_optional(out, details, "signatures", "Signature", sign, sign_l, 2, true);
}

int rules_ent_check(const json_t *details, const struct campaign *c, struct rule_report *out)
{
    assert(out);
    assert(c);
    int before = out->blocking;
    if (!json_is_object(details)) {
        rule_report_add(out, R_SHAPE, "", false,
                        "Les détails d’une convention ENT sont un objet JSON (in_person, online, "
                        "remuneration).");
        return out->blocking - before;
    }
    struct ent x;
    x.out = out;
    x.named_count = 0;
    long in_person = read_sessions(&x, details, false);
    long online = read_sessions(&x, details, true);
    /* 002, "PLAN DE FORMATION ENT DE L' EPLE": "FORMATIONS EN PRESENTIEL" and "FORMATIONS EN
     * LIGNE ET SUIVI": a plan has at least one session. */
    if (in_person == 0 && online == 0)
        rule_report_add(out, R_SESSIONS, "in_person", false,
                        "Le plan de formation ENT compte au moins une formation, en présentiel "
                        "ou en ligne.");
    check_remuneration(&x, details, c->kinds[REQUEST_KIND_ENT].max_hse_per_trainer);
    check_later_life(out, details);
    return out->blocking - before;
}
