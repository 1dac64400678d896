/*
 * The ANT rule pack: reads an ANT request's details defensively (every value may be of any JSON
 * type), then checks the seed's rules with the campaign's figures, so that a comité de pilotage
 * that moves a window moves the rule and its message together. Each rule sits beside the seed
 * sentence it enforces (seed 000_fcc2280faad7b98f.txt, "Fiche technique … aides négociées de
 * territoire (ANT)").
 *
 * The small readers (get_text, get_bool, uai_valid, the Paris calendar day) repeat those of
 * rules_alp.c, which keeps them static: each pack stays one file that names its own rule codes.
 * When a third pack needs them they belong in a shared rules_read module.
 */
#include "domain/rules_ant.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/timeutil.h"
#include "core/utf8.h"
#include "domain/dispositif.h"

#define KIND REQUEST_KIND_ANT

#define R_SHAPE      "ant.shape"
#define R_WINDOW     "ant.window"
#define R_TEAM       "ant.team"
#define R_COVER      "ant.cover"
#define R_SCALE      "ant.scale"
#define R_HOST       "ant.host"
#define R_DIAGNOSTIC "ant.diagnostic"
#define R_PRIORITY   "ant.priority"

#define TEXT_LEN_MAX 300 /* theme */
#define NAME_LEN_MAX 200 /* a name, a function */

/* A field path or a label from a constant format and indices; every path here fits in 64. */
static void __attribute__((format(printf, 3, 4))) say(char *dst, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(dst, n, fmt, ap);
    va_end(ap);
    if (w < 0)
        dst[0] = '\0';
}

/* The calendar day of instant t in Paris time (Howard Hinnant's civil_from_days). */
static void paris_ymd(int64_t t, int *y, int *m, int *d)
{
    int64_t local = t + time_paris_offset(t);
    int64_t z = (local >= 0 ? local : local - 86399) / 86400 + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* "JJ/MM/AAAA" of the Paris day of instant t. */
static void date_text(char *dst, size_t n, int64_t t)
{
    int y, m, d;
    paris_ymd(t, &y, &m, &d);
    say(dst, n, "%02d/%02d/%04d", d, m, y);
}

/* The string at key: present, 1..max characters (min at least) of UTF-8 without control
 * characters. NULL after an ant.shape breach. */
static const char *get_text(struct rule_report *out, const json_t *obj, const char *key,
                            const char *field, const char *label, size_t min, size_t max)
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
        if (ch < 0x20 || ch == 0x7f) {
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

/* The boolean at key into *v. Returns 1 when read, 0 when absent and optional (or null), -1
 * after an ant.shape breach. */
static int get_bool(struct rule_report *out, const json_t *obj, const char *key, const char *field,
                    const char *label, bool required, bool *v)
{
    const json_t *j = json_object_get(obj, key);
    if (!j || json_is_null(j)) {
        if (!required)
            return 0;
        rule_report_add(out, R_SHAPE, field, false, "%s : champ obligatoire (true ou false).",
                        label);
        return -1;
    }
    if (!json_is_boolean(j)) {
        rule_report_add(out, R_SHAPE, field, false, "%s : true ou false attendu.", label);
        return -1;
    }
    *v = json_is_true(j);
    return 1;
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

/* The UAI at key, or NULL after an ant.shape breach. */
static const char *get_uai(struct rule_report *out, const json_t *obj, const char *key,
                           const char *field, const char *label)
{
    const char *uai = get_text(out, obj, key, field, label, 8, 8);
    if (uai && !uai_valid(uai)) {
        rule_report_add(out, R_SHAPE, field, false,
                        "%s : 7 chiffres et une lettre majuscule attendus (0931234A).", label);
        return NULL;
    }
    return uai;
}

/* ---------------------------------------------------------------------------------------------
 * The rules
 */

static void check_window(const struct campaign *c, int64_t filed_at, struct rule_report *out)
{
    /* 000: "Entre le 15 juin et le 8 juillet, puis à partir du 21 août prochains, plusieurs
     * membres d'une équipe éducative peuvent rédiger et transmettre à la DAFOR une demande
     * d'aide négociée de territoire" (campaign.c closes the second window on 14 June). */
    if (campaign_window_contains(c, KIND, filed_at))
        return;
    const struct campaign_settings *s = campaign_settings_of(c, KIND);
    char list[160] = "", from[16], until[16], when[16];
    size_t len = 0;
    for (int i = 0; i < s->window_count; i++) {
        date_text(from, sizeof from, s->windows[i].opens_at);
        date_text(until, sizeof until, s->windows[i].closes_at - 1); /* half-open */
        int w = snprintf(list + len, sizeof list - len, "%sdu %s au %s", i ? ", puis " : "", from,
                         until);
        if (w < 0 || (size_t)w >= sizeof list - len)
            break; /* CAMPAIGN_MAX_WINDOWS windows fit */
        len += (size_t)w;
    }
    date_text(when, sizeof when, filed_at);
    rule_report_add(out, R_WINDOW, "", false,
                    "Les demandes d’ANT de la campagne %s sont reçues %s ; celle-ci arrive le %s.",
                    c->code, list, when);
}

static void check_team(const json_t *details, struct rule_report *out)
{
    const json_t *a = json_object_get(details, "team");
    if (!a || json_is_null(a)) {
        rule_report_add(out, R_SHAPE, "team", false,
                        "Équipe : champ obligatoire, les membres de l’équipe volontaire.");
        return;
    }
    if (!json_is_array(a)) {
        rule_report_add(out, R_SHAPE, "team", false, "Équipe : liste attendue.");
        return;
    }
    size_t n = json_array_size(a);
    if (n > RULES_ANT_TEAM_MAX) {
        rule_report_add(out, R_SHAPE, "team", false, "Équipe : %d membres au plus.",
                        RULES_ANT_TEAM_MAX);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *m = json_array_get(a, i);
        char field[64], label[64];
        if (!json_is_object(m)) {
            say(field, sizeof field, "team[%zu]", i);
            rule_report_add(out, R_SHAPE, field, false, "Membre n°%zu : objet attendu.", i + 1);
            continue;
        }
        say(field, sizeof field, "team[%zu].name", i);
        say(label, sizeof label, "Membre n°%zu : nom", i + 1);
        (void)get_text(out, m, "name", field, label, 1, NAME_LEN_MAX);
        say(field, sizeof field, "team[%zu].function", i);
        say(label, sizeof label, "Membre n°%zu : fonction", i + 1);
        (void)get_text(out, m, "function", field, label, 1, NAME_LEN_MAX);
    }
    /* 000: "plusieurs membres d'une équipe éducative peuvent rédiger et transmettre à la DAFOR
     * une demande"; an ANT "aide des équipes de personnels volontaires". */
    if (n < RULES_ANT_TEAM_MIN)
        rule_report_add(out, R_TEAM, "team", false,
                        "Une ANT est demandée par plusieurs membres d’une équipe éducative "
                        "volontaire : la demande en nomme %zu.",
                        n);
}

static void check_cover(const json_t *details, struct rule_report *out)
{
    const json_t *o = json_object_get(details, "chef_etablissement");
    if (!o || json_is_null(o)) {
        rule_report_add(out, R_SHAPE, "chef_etablissement", false,
                        "Chef d’établissement : champ obligatoire (name, uai, agreement).");
        return;
    }
    if (!json_is_object(o)) {
        rule_report_add(out, R_SHAPE, "chef_etablissement", false,
                        "Chef d’établissement : objet attendu (name, uai, agreement).");
        return;
    }
    (void)get_text(out, o, "name", "chef_etablissement.name", "Chef d’établissement : nom", 1,
                   NAME_LEN_MAX);
    (void)get_uai(out, o, "uai", "chef_etablissement.uai", "Chef d’établissement : UAI");
    bool agreed = false;
    /* 000: the team files its request "sous couvert de leur chef d'établissement". */
    if (get_bool(out, o, "agreement", "chef_etablissement.agreement",
                 "Chef d’établissement : accord", true, &agreed) > 0 &&
        !agreed)
        rule_report_add(out, R_COVER, "chef_etablissement.agreement", false,
                        "Une demande d’ANT est transmise sous couvert du chef d’établissement : "
                        "son accord manque.");
}

static void check_scale(const json_t *details, struct rule_report *out)
{
    const char *scale = get_text(out, details, "scale", "scale", "Échelle", 1, 40);
    const json_t *h = json_object_get(details, "host_uai");
    bool host_given = h && !json_is_null(h);
    if (host_given)
        (void)get_uai(out, details, "host_uai", "host_uai", "Établissement d’accueil : UAI");
    if (!scale)
        return;
    /* 000: the catalogue "permet aux équipes à l'échelle - de l'établissement, - du district,
     * - du réseau de s'approprier ces thématiques". */
    if (strcmp(scale, "district") == 0) {
        /* 000, Le district: "À l'issue de cette concertation, pour chaque ANT sont désignés un
         * établissement d'accueil." */
        if (!host_given)
            rule_report_add(out, R_HOST, "host_uai", false,
                            "Une ANT de district désigne son établissement d’accueil : indiquez "
                            "son UAI.");
    } else if (strcmp(scale, "etablissement") != 0 && strcmp(scale, "reseau") != 0) {
        rule_report_add(out, R_SCALE, "scale", false,
                        "Échelle : établissement (« etablissement »), district (« district ») ou "
                        "réseau (« reseau »).");
    }
}

/* The phase at key: 0 when absent or null, 1 with its date in *t, -1 after an ant.shape
 * breach. */
static int get_phase(const json_t *details, const char *key, const char *label,
                     struct rule_report *out, int64_t *t)
{
    const json_t *o = json_object_get(details, key);
    if (!o || json_is_null(o))
        return 0;
    if (!json_is_object(o)) {
        rule_report_add(out, R_SHAPE, key, false, "%s : objet attendu (date).", label);
        return -1;
    }
    char field[64];
    say(field, sizeof field, "%s.date", key);
    const json_t *d = json_object_get(o, "date");
    const char *s = json_is_string(d) ? json_string_value(d) : NULL;
    bool digits = s && json_string_length(d) == 10 && s[4] == '-' && s[7] == '-';
    for (int k = 0; digits && k < 10; k++)
        if (k != 4 && k != 7 && (s[k] < '0' || s[k] > '9'))
            digits = false;
    if (!digits || time_parse_date(s, 10, t) != 0) {
        rule_report_add(out, R_SHAPE, field, false,
                        "%s : date du calendrier attendue au format AAAA-MM-JJ (2026-09-15).",
                        label);
        return -1;
    }
    return 1;
}

static void check_phases(const json_t *details, struct rule_report *out)
{
    int64_t diag = 0, plan = 0;
    int got_diag = get_phase(details, "diagnostic", "Diagnostic", out, &diag);
    int got_plan = get_phase(details, "training_plan", "Plan de formation", out, &plan);
    if (got_plan <= 0 || got_diag < 0)
        return;
    /* 000: "Une phase de diagnostic associant l'équipe volontaire, ses représentants et les
     * formateurs est le préalable indispensable à l'élaboration du projet de formation". */
    if (got_diag == 0) {
        rule_report_add(out, R_DIAGNOSTIC, "training_plan", false,
                        "Le plan de formation suit une phase de diagnostic associant l’équipe "
                        "volontaire, ses représentants et les formateurs : enregistrez d’abord "
                        "le diagnostic.");
    } else if (plan < diag) {
        char p[16], d[16];
        date_text(p, sizeof p, plan);
        date_text(d, sizeof d, diag);
        rule_report_add(out, R_DIAGNOSTIC, "training_plan.date", false,
                        "Le plan de formation (%s) est daté d’avant le diagnostic (%s), qui en "
                        "est le préalable indispensable.",
                        p, d);
    }
}

static void check_priority(const json_t *details, const struct campaign *c, struct rule_report *out)
{
    bool interrupted = false;
    if (get_bool(out, details, "interrupted_previous_year", "interrupted_previous_year",
                 "Action interrompue l’année précédente", false, &interrupted) <= 0 ||
        !interrupted)
        return;
    /* 000: "le contexte sanitaire ayant empêché la poursuite ou la mise en œuvre de certaines
     * ANT commencées ou validées en 2019-2020, priorité leur sera donnée au 1er trimestre de la
     * prochaine année scolaire." A priority, not a condition: a warning the coordinator reads
     * when triaging, never a refusal. */
    const struct campaign_settings *s = campaign_settings_of(c, KIND);
    if (s->carry_over_until == 0)
        return;
    char until[16];
    date_text(until, sizeof until, s->carry_over_until - 1);
    rule_report_add(out, R_PRIORITY, "interrupted_previous_year", true,
                    "Action interrompue l’année précédente : prioritaire au premier trimestre "
                    "(jusqu’au %s).",
                    until);
}

int rules_ant_check(const json_t *details, const struct campaign *c, int64_t filed_at,
                    struct rule_report *out)
{
    assert(c && out);
    int before = out->blocking;
    check_window(c, filed_at, out);
    if (!json_is_object(details)) {
        rule_report_add(out, R_SHAPE, "", false,
                        "Les détails d’une ANT sont un objet JSON (team, chef_etablissement, "
                        "scale, theme…).");
        return out->blocking - before;
    }
    check_team(details, out);
    check_cover(details, out);
    check_scale(details, out);
    (void)get_text(out, details, "theme", "theme", "Thématique", 3, TEXT_LEN_MAX);
    check_phases(details, out);
    check_priority(details, c, out);
    return out->blocking - before;
}
