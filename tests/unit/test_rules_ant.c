/* Unit tests of domain/rules_ant: one valid ANT request, then each rule of seed
 * 000_fcc2280faad7b98f.txt broken alone, with its code, field and French detail; the edges of the
 * windows; and malformed JSON of every shape, which must give ant.shape breaches and never crash.
 * Every seed quotation below is from 000_fcc2280faad7b98f.txt ("Fiche technique destinée aux
 * personnels d'établissement : aides négociées de territoire (ANT)"), moved to the 2026-2027
 * campaign by campaign_defaults(): its windows open in June 2026. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rules_test.h"

#include "core/timeutil.h"
#include "core/utf8.h"
#include "domain/campaign.h"
#include "domain/rules.h"
#include "domain/rules_ant.h"

static const char valid_json[] =
    "{\"team\":[{\"name\":\"Mme Martin\",\"function\":\"professeure de lettres\"},"
    "{\"name\":\"M. Diallo\",\"function\":\"CPE\"}],"
    "\"chef_etablissement\":{\"name\":\"M. Roux\",\"uai\":\"0691234A\",\"agreement\":true},"
    "\"scale\":\"etablissement\","
    "\"theme\":\"Évaluer par compétences au collège\","
    "\"diagnostic\":{\"date\":\"2026-09-15\"},"
    "\"training_plan\":{\"date\":\"2026-10-06\"},"
    "\"interrupted_previous_year\":false}";

static json_t *valid(void)
{
    return load(valid_json);
}

/* 00:00 Paris on AAAA-MM-JJ. */
static int64_t day(const char *ymd)
{
    int64_t t = 0;
    assert_int_equal(time_parse_date(ymd, strlen(ymd), &t), 0);
    return t;
}

static struct campaign camp2026;
static int64_t in_window; /* 1 September 2026: inside the second window */

static int setup(void **state)
{
    (void)state;
    in_window = day("2026-09-01");
    return campaign_defaults(&camp2026, 2026);
}

/* Runs the pack on d filed at t under the 2026-2027 campaign; frees d. */
static int run_at(json_t *d, int64_t t, struct rule_report *r)
{
    rule_report_init(r);
    int n = rules_ant_check(d, &camp2026, t, r);
    json_decref(d);
    return n;
}

/* d filed at t breaks exactly one rule: that breach, blocking unless `warning`. Frees d. */
static void expect_one_at(json_t *d, int64_t t, const char *rule, const char *field,
                          const char *detail, bool warning)
{
    struct rule_report r;
    int n = run_at(d, t, &r);
    check_one(&r, n, rule, field, detail, warning);
}

static void expect_one(json_t *d, const char *rule, const char *field, const char *detail,
                       bool warning)
{
    expect_one_at(d, in_window, rule, field, detail, warning);
}

static void expect_pass_at(json_t *d, int64_t t)
{
    struct rule_report r;
    int n = run_at(d, t, &r);
    check_pass(&r, n);
}

static void expect_pass(json_t *d)
{
    expect_pass_at(d, in_window);
}

/* d gives exactly one ant.shape breach, on that field. Frees d. */
static void expect_shape(json_t *d, const char *field)
{
    struct rule_report r;
    int n = run_at(d, in_window, &r);
    check_shape(&r, n, "ant.shape", field);
}

static void test_valid_request_passes(void **state)
{
    (void)state;
    expect_pass(valid());

    /* Filed before the diagnostic: "Une phase de diagnostic associant l'équipe volontaire, ses
     * représentants et les formateurs est le préalable indispensable à l'élaboration du projet
     * de formation" — the formateurs come after validation, so neither phase is recorded yet. */
    json_t *d = valid();
    json_object_del(d, "diagnostic");
    json_object_del(d, "training_plan");
    json_object_del(d, "interrupted_previous_year");
    expect_pass(d);
    d = valid();
    patch(d, "{\"diagnostic\":{\"date\":\"2026-09-15\"},\"training_plan\":null}");
    expect_pass(d);
    /* Both the same day: the diagnostic is not after the plan. */
    d = valid();
    patch(d, "{\"training_plan\":{\"date\":\"2026-09-15\"}}");
    expect_pass(d);

    /* "à l'échelle - de l'établissement, - du district, - du réseau": a réseau, and a district
     * with its host establishment. */
    d = valid();
    patch(d, "{\"scale\":\"reseau\"}");
    expect_pass(d);
    d = valid();
    patch(d, "{\"scale\":\"district\",\"host_uai\":\"0691235B\"}");
    expect_pass(d);
}

static void test_window(void **state)
{
    (void)state;
    /* "Entre le 15 juin et le 8 juillet, puis à partir du 21 août prochains, plusieurs membres
     * d'une équipe éducative peuvent rédiger et transmettre à la DAFOR une demande d'aide
     * négociée de territoire". */
    static const char refused[] =
        "Les demandes d’ANT de la campagne 2026-2027 sont reçues du 15/06/2026 au 08/07/2026, "
        "puis du 21/08/2026 au 14/06/2027 ; celle-ci arrive le %s.";
    const struct {
        const char *date;
        int64_t at; /* seconds after 00:00 Paris */
        bool ok;
    } cases[] = {
        {"2026-06-14", 23 * 3600 + 3599, false},
        {"2026-06-15", 0, true},
        {"2026-07-08", 0, true},
        {"2026-07-08", 23 * 3600 + 3599, true},
        {"2026-07-09", 0, false},
        {"2026-08-20", 12 * 3600, false},
        {"2026-08-21", 0, true},
        {"2027-06-14", 12 * 3600, true},
        {"2027-06-15", 0, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t t = day(cases[i].date) + cases[i].at;
        if (cases[i].ok) {
            expect_pass_at(valid(), t);
            continue;
        }
        char when[16], detail[300];
        snprintf(when, sizeof when, "%.2s/%.2s/%.4s", cases[i].date + 8, cases[i].date + 5,
                 cases[i].date);
        snprintf(detail, sizeof detail, refused, when);
        expect_one_at(valid(), t, "ant.window", "", detail, false);
    }
    /* The window is checked even when the details cannot be read. */
    struct rule_report r;
    assert_int_equal(run_at(load("[]"), day("2026-06-14"), &r), 2);
    assert_string_equal(r.items[0].rule, "ant.window");
    assert_string_equal(r.items[1].rule, "ant.shape");

    /* A campaign without windows takes requests at any time. */
    struct campaign open = camp2026;
    open.kinds[REQUEST_KIND_ANT].window_count = 0;
    rule_report_init(&r);
    json_t *d = valid();
    assert_int_equal(rules_ant_check(d, &open, day("2026-06-14"), &r), 0);
    assert_int_equal(r.count, 0);
    json_decref(d);
}

static void test_team(void **state)
{
    (void)state;
    /* "plusieurs membres d'une équipe éducative peuvent rédiger et transmettre à la DAFOR une
     * demande d'aide négociée de territoire" */
    json_t *d = valid();
    patch(d, "{\"team\":[{\"name\":\"Mme Martin\",\"function\":\"professeure de lettres\"}]}");
    expect_one(d, "ant.team", "team",
               "Une ANT est demandée par plusieurs membres d’une équipe éducative volontaire : la "
               "demande en nomme 1.",
               false);
    d = valid();
    patch(d, "{\"team\":[]}");
    expect_one(d, "ant.team", "team",
               "Une ANT est demandée par plusieurs membres d’une équipe éducative volontaire : la "
               "demande en nomme 0.",
               false);
}

static void test_cover(void **state)
{
    (void)state;
    /* "une demande d'aide négociée de territoire (établissement, district, réseau) sous couvert
     * de leur chef d'établissement" */
    json_t *d = valid();
    patch(d, "{\"chef_etablissement\":{\"name\":\"M. Roux\",\"uai\":\"0691234A\","
             "\"agreement\":false}}");
    expect_one(d, "ant.cover", "chef_etablissement.agreement",
               "Une demande d’ANT est transmise sous couvert du chef d’établissement : son accord "
               "manque.",
               false);
}

static void test_scale(void **state)
{
    (void)state;
    /* "Il permet aux équipes à l'échelle - de l'établissement, - du district, - du réseau de
     * s'approprier ces thématiques" */
    json_t *d = valid();
    patch(d, "{\"scale\":\"academie\"}");
    expect_one(d, "ant.scale", "scale",
               "Échelle : établissement (« etablissement »), district (« district ») ou réseau "
               "(« reseau »).",
               false);
}

static void test_host(void **state)
{
    (void)state;
    /* Le district: "À l'issue de cette concertation, pour chaque ANT sont désignés un
     * établissement d'accueil." */
    json_t *d = valid();
    patch(d, "{\"scale\":\"district\"}");
    expect_one(d, "ant.host", "host_uai",
               "Une ANT de district désigne son établissement d’accueil : indiquez son UAI.",
               false);
    d = valid();
    patch(d, "{\"scale\":\"district\",\"host_uai\":null}");
    expect_one(d, "ant.host", "host_uai",
               "Une ANT de district désigne son établissement d’accueil : indiquez son UAI.",
               false);
    /* Given but malformed: its shape, not a missing host. */
    d = valid();
    patch(d, "{\"scale\":\"district\",\"host_uai\":\"093123\"}");
    expect_shape(d, "host_uai");
}

static void test_diagnostic(void **state)
{
    (void)state;
    /* "Une phase de diagnostic associant l'équipe volontaire, ses représentants et les
     * formateurs est le préalable indispensable à l'élaboration du projet de formation,
     * possiblement évolutif." */
    json_t *d = valid();
    json_object_del(d, "diagnostic");
    expect_one(d, "ant.diagnostic", "training_plan",
               "Le plan de formation suit une phase de diagnostic associant l’équipe volontaire, "
               "ses représentants et les formateurs : enregistrez d’abord le diagnostic.",
               false);
    d = valid();
    patch(d, "{\"diagnostic\":{\"date\":\"2026-10-15\"},\"training_plan\":{\"date\":"
             "\"2026-10-01\"}}");
    expect_one(d, "ant.diagnostic", "training_plan.date",
               "Le plan de formation (01/10/2026) est daté d’avant le diagnostic (15/10/2026), "
               "qui en est le préalable indispensable.",
               false);
}

static void test_priority(void **state)
{
    (void)state;
    /* "Attention, le contexte sanitaire ayant empêché la poursuite ou la mise en œuvre de
     * certaines ANT commencées ou validées en 2019-2020, priorité leur sera donnée au 1er
     * trimestre de la prochaine année scolaire." A priority: a warning, never a refusal. */
    json_t *d = valid();
    patch(d, "{\"interrupted_previous_year\":true}");
    expect_one(d, "ant.priority", "interrupted_previous_year",
               "Action interrompue l’année précédente : prioritaire au premier trimestre "
               "(jusqu’au 31/12/2026).",
               true);

    /* A campaign without the rule says nothing. */
    struct campaign none = camp2026;
    none.kinds[REQUEST_KIND_ANT].carry_over_until = 0;
    struct rule_report r;
    rule_report_init(&r);
    d = valid();
    patch(d, "{\"interrupted_previous_year\":true}");
    assert_int_equal(rules_ant_check(d, &none, in_window, &r), 0);
    assert_int_equal(r.count, 0);
    json_decref(d);
}

static void test_shapes(void **state)
{
    (void)state;
    check_roots(expect_shape);

    const struct {
        const char *patch, *field;
    } cases[] = {
        {"{\"team\":null}", "team"},
        {"{\"team\":\"Mme Martin\"}", "team"},
        {"{\"team\":{}}", "team"},
        {"{\"team\":[7,{\"name\":\"M. Diallo\",\"function\":\"CPE\"}]}", "team[0]"},
        {"{\"team\":[{\"function\":\"CPE\"},{\"name\":\"M. Diallo\",\"function\":\"CPE\"}]}",
         "team[0].name"},
        {"{\"team\":[{\"name\":\"Mme Martin\",\"function\":3},"
         "{\"name\":\"M. Diallo\",\"function\":\"CPE\"}]}",
         "team[0].function"},
        {"{\"chef_etablissement\":null}", "chef_etablissement"},
        {"{\"chef_etablissement\":\"M. Roux\"}", "chef_etablissement"},
        {"{\"chef_etablissement\":{\"uai\":\"0691234A\",\"agreement\":true}}",
         "chef_etablissement.name"},
        {"{\"chef_etablissement\":{\"name\":\"M. Roux\",\"uai\":\"0931234a\",\"agreement\":true}}",
         "chef_etablissement.uai"},
        {"{\"chef_etablissement\":{\"name\":\"M. Roux\",\"uai\":\"0691234A\"}}",
         "chef_etablissement.agreement"},
        {"{\"chef_etablissement\":{\"name\":\"M. Roux\",\"uai\":\"0691234A\",\"agreement\":1}}",
         "chef_etablissement.agreement"},
        {"{\"scale\":null}", "scale"},
        {"{\"scale\":[\"district\"]}", "scale"},
        {"{\"host_uai\":931234}", "host_uai"},
        {"{\"theme\":null}", "theme"},
        {"{\"theme\":\"ab\"}", "theme"},
        {"{\"theme\":\"a\\u0000bc\"}", "theme"},
        {"{\"theme\":\"ligne\\nsuivante\"}", "theme"},
        {"{\"diagnostic\":\"2026-09-15\"}", "diagnostic"},
        {"{\"diagnostic\":{}}", "diagnostic.date"},
        {"{\"diagnostic\":{\"date\":\"15/09/2026\"}}", "diagnostic.date"},
        {"{\"diagnostic\":{\"date\":\"2026-02-30\"}}", "diagnostic.date"},
        {"{\"training_plan\":[]}", "training_plan"},
        {"{\"training_plan\":{\"date\":20261006}}", "training_plan.date"},
        {"{\"interrupted_previous_year\":\"oui\"}", "interrupted_previous_year"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *d = valid();
        patch(d, cases[i].patch);
        expect_shape(d, cases[i].field);
    }

    /* Too many members: one breach on the list, the rest not looked at. */
    json_t *d = valid();
    json_t *a = json_object_get(d, "team");
    for (int i = 0; i < RULES_ANT_TEAM_MAX; i++)
        json_array_append(a, json_array_get(a, 0));
    expect_shape(d, "team");
    d = valid();
    char big[400];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    json_object_set_new(d, "theme", json_string(big));
    expect_shape(d, "theme");
}

/* Every value of every field replaced by every kind of JSON: no crash, a bounded report, details
 * that are valid UTF-8 and rule codes of this pack. */
static void test_any_json(void **state)
{
    (void)state;
    static const char *const values[] = {
        "null",
        "true",
        "false",
        "0",
        "-1",
        "1.5",
        "9223372036854775807",
        "\"\"",
        "\"x\"",
        "\"2026-09-15\"",
        "\"district\"",
        "[]",
        "[null]",
        "[[[]]]",
        "{}",
        "{\"date\":\"2026-09-15\"}",
        "[{\"name\":\"x\"}]",
        "{\"a\":{\"b\":[1,{\"c\":null}]}}",
    };
    static const char *const keys[] = {
        "team",  "chef_etablissement", "scale",         "host_uai",
        "theme", "diagnostic",         "training_plan", "interrupted_previous_year",
    };
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
            for (int where = 0; where < 2; where++) {
                json_t *d = valid();
                json_t *val = load(values[v]);
                if (where == 0) {
                    json_object_set_new(d, keys[k], val);
                } else {
                    /* inside the objects and the first member */
                    json_object_set(json_object_get(d, "chef_etablissement"), keys[k], val);
                    json_object_set(json_object_get(d, "diagnostic"), "date", val);
                    json_object_set_new(json_array_get(json_object_get(d, "team"), 0), "name", val);
                }
                struct rule_report r;
                rule_report_init(&r);
                int n = rules_ant_check(d, &camp2026, day("2026-08-20"), &r);
                assert_true(n >= 1 && n <= r.blocking);
                check_well_formed(&r, "ant.");
                json_decref(d);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_request_passes),
        cmocka_unit_test(test_window),
        cmocka_unit_test(test_team),
        cmocka_unit_test(test_cover),
        cmocka_unit_test(test_scale),
        cmocka_unit_test(test_host),
        cmocka_unit_test(test_diagnostic),
        cmocka_unit_test(test_priority),
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_any_json),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
