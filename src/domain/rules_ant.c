/*
 * The ANT rule pack: reads an ANT request's details defensively (every value may be of any JSON
 * type), then checks the seed's rules with the campaign's figures, so that a comité de pilotage
 * that moves a window moves the rule and its message together. Each rule sits beside the seed
 * sentence it enforces (seed 000_fcc2280faad7b98f.txt, "Fiche technique … aides négociées de
 * territoire (ANT)").
 *
 * The readers of the details (rules_get_text, rules_get_bool, rules_get_uai) are the packs'
 * shared ones (rules.h), given this pack's shape code.
 */
#include "domain/rules_ant.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "core/timeutil.h"
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

/* "JJ/MM/AAAA" of the Paris day of instant t. */
static void date_text(char *dst, size_t n, int64_t t)
{
    int y, m, d;
    rules_paris_ymd(t, &y, &m, &d);
    rules_say(dst, n, "%02d/%02d/%04d", d, m, y);
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
            rules_say(field, sizeof field, "team[%zu]", i);
            rule_report_add(out, R_SHAPE, field, false, "Membre n°%zu : objet attendu.", i + 1);
            continue;
        }
        rules_say(field, sizeof field, "team[%zu].name", i);
        rules_say(label, sizeof label, "Membre n°%zu : nom", i + 1);
        (void)rules_get_text(out, R_SHAPE, m, "name", field, label, 1, NAME_LEN_MAX);
        rules_say(field, sizeof field, "team[%zu].function", i);
        rules_say(label, sizeof label, "Membre n°%zu : fonction", i + 1);
        (void)rules_get_text(out, R_SHAPE, m, "function", field, label, 1, NAME_LEN_MAX);
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
    (void)rules_get_text(out, R_SHAPE, o, "name", "chef_etablissement.name",
                         "Chef d’établissement : nom", 1, NAME_LEN_MAX);
    (void)rules_get_uai(out, R_SHAPE, o, "uai", "chef_etablissement.uai",
                        "Chef d’établissement : UAI", "0691234A");
    bool agreed = false;
    /* 000: the team files its request "sous couvert de leur chef d'établissement". */
    if (rules_get_bool(out, R_SHAPE, o, "agreement", "chef_etablissement.agreement",
                       "Chef d’établissement : accord", true, &agreed) > 0 &&
        !agreed)
        rule_report_add(out, R_COVER, "chef_etablissement.agreement", false,
                        "Une demande d’ANT est transmise sous couvert du chef d’établissement : "
                        "son accord manque.");
}

static void check_scale(const json_t *details, struct rule_report *out)
{
    const char *scale = rules_get_text(out, R_SHAPE, details, "scale", "scale", "Échelle", 1, 40);
    const json_t *h = json_object_get(details, "host_uai");
    bool host_given = h && !json_is_null(h);
    if (host_given)
        (void)rules_get_uai(out, R_SHAPE, details, "host_uai", "host_uai",
                            "Établissement d’accueil : UAI", "0691234A");
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
    rules_say(field, sizeof field, "%s.date", key);
    const char *s = rules_date_shaped(json_object_get(o, "date"));
    if (!s || time_parse_date(s, 10, t) != 0) {
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
    if (rules_get_bool(out, R_SHAPE, details, "interrupted_previous_year",
                       "interrupted_previous_year", "Action interrompue l’année précédente", false,
                       &interrupted) <= 0 ||
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
    (void)rules_get_text(out, R_SHAPE, details, "theme", "theme", "Thématique", 3, TEXT_LEN_MAX);
    check_phases(details, out);
    check_priority(details, c, out);
    return out->blocking - before;
}
