/*
 * The FIL rule pack: reads a FIL request's details defensively (every value may be of any JSON
 * type), then checks the rules of seed 004_eb042ae2bd8441b7.txt (Annexe 1 n°7), each beside the
 * sentence it enforces.
 *
 * The readers repeat those of rules_alp.c, which keeps them static: each pack stays one file
 * that names its own rule codes. When a third pack needs them they belong in a shared module.
 */
#include "domain/rules_fil.h"

#include <assert.h>
#include <string.h>

#include "core/utf8.h"

#define R_SHAPE     "fil.shape"
#define R_REQUESTER "fil.requester"
#define R_SCOPE     "fil.scope"

#define NAME_LEN_MAX 200 /* a name, a circonscription */

/* The string at key: present, min..max characters of UTF-8 without control characters (but line
 * breaks and tabs when `lines`: a need is written in paragraphs). NULL after a fil.shape
 * breach. */
static const char *get_text(struct rule_report *out, const json_t *obj, const char *key,
                            const char *field, const char *label, size_t min, size_t max,
                            bool lines)
{
    const json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        rule_report_add(out, R_SHAPE, field, false, "%s : champ obligatoire.", label);
        return NULL;
    }
    if (!json_is_string(v)) {
        rule_report_add(out, R_SHAPE, field, false, "%s : texte attendu.", label);
        return NULL;
    }
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (!utf8_valid(s, len)) { /* also catches a NUL inside (\u0000) */
        rule_report_add(out, R_SHAPE, field, false, "%s : caractère interdit.", label);
        return NULL;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];
        bool allowed = lines && (ch == '\n' || ch == '\r' || ch == '\t');
        if ((ch < 0x20 && !allowed) || ch == 0x7f) {
            rule_report_add(out, R_SHAPE, field, false, "%s : caractère de contrôle interdit.",
                            label);
            return NULL;
        }
    }
    size_t n = utf8_length(s, len);
    if (n == 0) {
        rule_report_add(out, R_SHAPE, field, false, "%s : champ obligatoire.", label);
        return NULL;
    }
    if (n < min) {
        rule_report_add(out, R_SHAPE, field, false, "%s : %zu caractères au moins.", label, min);
        return NULL;
    }
    if (n > max) {
        rule_report_add(out, R_SHAPE, field, false, "%s : %zu caractères au plus.", label, max);
        return NULL;
    }
    return s;
}

/* An UAI (immatriculation of an establishment): 7 digits and a capital letter. */
static bool uai_valid(const char *s)
{
    if (strlen(s) != 8)
        return false;
    for (int i = 0; i < 7; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return s[7] >= 'A' && s[7] <= 'Z';
}

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
    const char *role = get_text(out, r, "role", "requester.role", "Demandeur : rôle", 1, 40, false);
    (void)get_text(out, r, "name", "requester.name", "Demandeur : nom", 1, NAME_LEN_MAX, false);
    if (!role)
        return;
    if (strcmp(role, "chef_etablissement") == 0) {
        const char *uai = get_text(out, r, "uai", "requester.uai",
                                   "Demandeur : UAI de l’établissement", 8, 8, false);
        if (uai && !uai_valid(uai))
            rule_report_add(out, R_SHAPE, "requester.uai", false,
                            "Demandeur : UAI de l’établissement : 7 chiffres et une lettre "
                            "majuscule attendus (0691234A).");
    } else if (strcmp(role, "ien") == 0) {
        (void)get_text(out, r, "circonscription", "requester.circonscription",
                       "Demandeur : circonscription", 1, NAME_LEN_MAX, false);
    } else {
        /* 004 Annexe 1 n°7: "Elle est mise en œuvre à l'initiative d'un chef d'établissement ou
         * d'un IEN." */
        rule_report_add(out, R_REQUESTER, "requester.role", false,
                        "Une FIL est mise en œuvre à l’initiative d’un chef d’établissement ou "
                        "d’un IEN : rôle « chef_etablissement » ou « ien ».");
    }
}

static void check_headcount(const json_t *details, struct rule_report *out)
{
    const json_t *j = json_object_get(details, "headcount");
    if (!j || json_is_null(j)) {
        rule_report_add(out, R_SHAPE, "headcount", false, "Effectif : champ obligatoire.");
        return;
    }
    if (!json_is_integer(j)) {
        rule_report_add(out, R_SHAPE, "headcount", false, "Effectif : nombre entier attendu.");
        return;
    }
    long long n = json_integer_value(j);
    if (n < 1 || n > RULES_FIL_HEADCOUNT_MAX)
        rule_report_add(out, R_SHAPE, "headcount", false, "Effectif : entre 1 et %d, pas %lld.",
                        RULES_FIL_HEADCOUNT_MAX, n);
}

static void check_scope(const json_t *details, struct rule_report *out)
{
    const json_t *j = json_object_get(details, "disciplinary");
    if (!j || json_is_null(j)) {
        rule_report_add(out, R_SHAPE, "disciplinary", false,
                        "Besoin disciplinaire : champ obligatoire (true ou false).");
        return;
    }
    if (!json_is_boolean(j)) {
        rule_report_add(out, R_SHAPE, "disciplinary", false,
                        "Besoin disciplinaire : true ou false attendu.");
        return;
    }
    /* 004 Annexe 1 n°7: "Une FIL est un dispositif de formation destiné à répondre à un besoin
     * spécifique, non disciplinaire, d'un EPLE, d'un groupe d'EPLE ou d'un territoire, d'un
     * bassin ayant la même problématique." A disciplinary need is an ALD's (n°9: "Les actions
     * locales disciplinaires sont destinées à former des équipes enseignantes … sur des
     * thématiques disciplinaires"). */
    if (json_is_true(j))
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
    (void)get_text(out, details, "need", "need", "Besoin", RULES_FIL_NEED_MIN, RULES_FIL_NEED_MAX,
                   true);
    (void)get_text(out, details, "public", "public", "Public", 3, RULES_FIL_PUBLIC_MAX, false);
    check_headcount(details, out);
    check_scope(details, out);
    return out->blocking - before;
}
