/* Unit tests of domain/rules_alp (and the report of domain/rules): one valid ALP IDG request,
 * then each rule of seed 001_2189d3959b19bfc3.txt broken alone, with its code, field and French
 * detail; the three-breach story of issue 5; the holiday calendar; and malformed JSON of every
 * shape, which must give alp.shape breaches and never crash. Every seed quotation below is from
 * 001_2189d3959b19bfc3.txt ("Cahier des charges actions locales prioritaires (ALP) interdegrés
 * 2020-2021"), moved to the 2026-2027 campaign by campaign_defaults(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rules_test.h"

#include "core/utf8.h"
#include "domain/campaign.h"
#include "domain/rules.h"
#include "domain/rules_alp.h"

/* Tuesday 12 January and Thursday 11 March 2027: no holiday, in season, 6 hours each. */
static const char valid_json[] =
    "{\"requesters\":["
    "{\"role\":\"chef_etablissement\",\"name\":\"Mme Durand\",\"uai\":\"0691234A\"},"
    "{\"role\":\"ien\",\"name\":\"M. Petit\",\"circonscription\":\"Villeurbanne Nord\"}],"
    "\"sectors\":1,\"format\":\"nouveau_theme\","
    "\"theme\":\"Lire et comprendre des textes au cycle 3\","
    "\"eabep\":false,\"education_prioritaire\":true,\"orientation\":\"travail_personnel\","
    "\"academic_trainers\":true,\"hours\":12,\"days\":2,"
    "\"sessions\":[{\"date\":\"2027-01-12\",\"start\":\"09:00\",\"end\":\"15:00\"},"
    "{\"date\":\"2027-03-11\",\"start\":\"09:00\",\"end\":\"15:00\"}],"
    "\"trainees\":{\"first_degree\":10,\"second_degree\":10}}";

static json_t *valid(void)
{
    return load(valid_json);
}

static struct campaign camp2026;

static int setup(void **state)
{
    (void)state;
    return campaign_defaults(&camp2026, 2026);
}

/* Runs the pack on d under the 2026-2027 campaign; frees d. */
static int run(json_t *d, struct rule_report *r)
{
    rule_report_init(r);
    int n = rules_alp_check(d, &camp2026, r);
    json_decref(d);
    return n;
}

/* d breaks exactly one rule: that breach, blocking unless `warning`. Frees d. */
static void expect_one(json_t *d, const char *rule, const char *field, const char *detail,
                       bool warning)
{
    struct rule_report r;
    int n = run(d, &r);
    check_one(&r, n, rule, field, detail, warning);
}

static void expect_pass(json_t *d)
{
    struct rule_report r;
    int n = run(d, &r);
    check_pass(&r, n);
}

/* d gives exactly one alp.shape breach, on that field. Frees d. */
static void expect_shape(json_t *d, const char *field)
{
    struct rule_report r;
    int n = run(d, &r);
    check_shape(&r, n, "alp.shape", field);
    assert_false(r.items[0].warning);
}

static void test_valid_request_passes(void **state)
{
    (void)state;
    expect_pass(valid());

    /* Before the training services set the dates (001 §2: "Les dates sont fixées en amont
     * (juin-juillet 2020) par les services de formation"), a request has no sessions. */
    json_t *d = valid();
    json_object_del(d, "sessions");
    expect_pass(d);
    d = valid();
    patch(d, "{\"sessions\":[]}");
    expect_pass(d);
    d = valid();
    patch(d, "{\"sessions\":null}");
    expect_pass(d);

    /* Two sessions a day, morning and afternoon: still two days of 6 hours. */
    d = valid();
    patch(d, "{\"sessions\":["
             "{\"date\":\"2027-01-12\",\"start\":\"09:00\",\"end\":\"12:00\"},"
             "{\"date\":\"2027-01-12\",\"start\":\"13:30\",\"end\":\"16:30\"},"
             "{\"date\":\"2027-03-11\",\"start\":\"13:30\",\"end\":\"16:30\"},"
             "{\"date\":\"2027-03-11\",\"start\":\"09:00\",\"end\":\"12:00\"}]}");
    expect_pass(d);

    /* "une ou plusieurs chef(s) d'établissement et un ou plusieurs IEN", a reconduction, outside
     * éducation prioritaire without orientation, several sectors with their trainees. */
    d = valid();
    patch(d, "{\"requesters\":["
             "{\"role\":\"ien\",\"name\":\"M. Petit\",\"circonscription\":\"Villeurbanne Nord\"},"
             "{\"role\":\"chef_etablissement\",\"name\":\"Mme Durand\",\"uai\":\"0691234A\"},"
             "{\"role\":\"chef_etablissement\",\"name\":\"M. Roux\",\"uai\":\"0690001Z\"}],"
             "\"format\":\"reconduction\",\"previous_action\":\"ALP IDG 2025 Vaulx REP+\","
             "\"education_prioritaire\":false,\"sectors\":2,"
             "\"trainees\":{\"first_degree\":15,\"second_degree\":15}}");
    json_object_del(d, "orientation");
    expect_pass(d);

    /* The edges of the season and of the duration: 15 October and 7 June, 6 hours in a day. */
    d = valid();
    patch(d, "{\"hours\":6,\"days\":1,\"sessions\":["
             "{\"date\":\"2026-10-15\",\"start\":\"09:00\",\"end\":\"12:00\"},"
             "{\"date\":\"2026-10-15\",\"start\":\"13:00\",\"end\":\"16:00\"}]}");
    expect_pass(d);
    d = valid();
    patch(d, "{\"hours\":6,\"days\":1,\"sessions\":["
             "{\"date\":\"2027-06-07\",\"start\":\"09:00\",\"end\":\"15:00\"}]}");
    expect_pass(d);
}

static void test_requesters(void **state)
{
    (void)state;
    /* 001: "Il est demandé conjointement par un ou plusieurs chef(s) d'établissement et un ou
     * plusieurs IEN de circonscription". */
    json_t *d = valid();
    patch(d, "{\"requesters\":["
             "{\"role\":\"chef_etablissement\",\"name\":\"Mme Durand\",\"uai\":\"0691234A\"}]}");
    expect_one(d, "alp.requesters", "requesters",
               "Une ALP IDG est demandée conjointement par au moins un chef d’établissement et "
               "un IEN de circonscription : il manque un IEN de circonscription.",
               false);

    d = valid();
    patch(d, "{\"requesters\":["
             "{\"role\":\"ien\",\"name\":\"M. Petit\",\"circonscription\":\"Lyon 3\"},"
             "{\"role\":\"ien\",\"name\":\"Mme Blanc\",\"circonscription\":\"Lyon 4\"}]}");
    expect_one(d, "alp.requesters", "requesters",
               "Une ALP IDG est demandée conjointement par au moins un chef d’établissement et "
               "un IEN de circonscription : il manque un chef d’établissement.",
               false);

    d = valid();
    patch(d, "{\"requesters\":[]}");
    expect_one(d, "alp.requesters", "requesters",
               "Une ALP IDG est demandée conjointement par au moins un chef d’établissement et "
               "un IEN de circonscription : il manque l’un et l’autre.",
               false);

    /* Nobody else files it: an IA-IPR referent is consulted (001 §5), not a requester. */
    d = valid();
    json_array_append_new(json_object_get(d, "requesters"),
                          load("{\"role\":\"ia_ipr\",\"name\":\"M. Haut\"}"));
    expect_one(d, "alp.requesters", "requesters[2].role",
               "Demandeur n°3 : une ALP IDG est demandée par des chefs d’établissement et des IEN "
               "de circonscription, rôles « chef_etablissement » ou « ien ».",
               false);
}

static void test_format(void **state)
{
    (void)state;
    /* 001 §1: "Les réseaux et secteurs écoles-collège ont la possibilité pour 2020-2021 de
     * demander : une reconduction …, une ALP IDG … sur une nouvelle thématique …, une ALP IDG à
     * l'échelle d'un ou de plusieurs réseaux ou secteurs". */
    json_t *d = valid();
    patch(d, "{\"format\":\"stage_filé\"}");
    expect_one(d, "alp.format", "format",
               "Format : reconduction d’une ALP IDG annulée (« reconduction »), nouvelle "
               "thématique (« nouveau_theme ») ou plusieurs réseaux ou secteurs "
               "(« multi_secteurs »).",
               false);

    /* "une reconduction de l'ALP IDG demandée en 2019-2020 pour compenser l'annulation des
     * journées programmées en 2019-2020": which one must be said. */
    d = valid();
    patch(d, "{\"format\":\"reconduction\"}");
    expect_one(d, "alp.format", "previous_action",
               "Reconduction : indiquez l’ALP IDG de l’année précédente dont les journées ont été "
               "annulées.",
               false);
    d = valid();
    patch(d, "{\"format\":\"reconduction\",\"previous_action\":\"\"}");
    expect_one(d, "alp.format", "previous_action",
               "Reconduction : indiquez l’ALP IDG de l’année précédente dont les journées ont été "
               "annulées.",
               false);

    /* "une ALP IDG à l'échelle d'un ou de plusieurs réseaux ou secteurs (EP et/ou HREP)
     * géographiquement proches, et pour lesquels se dégage une logique de territoire forte". */
    d = valid();
    patch(d, "{\"format\":\"multi_secteurs\"}");
    expect_one(d, "alp.format", "sectors",
               "Le format « plusieurs réseaux ou secteurs » réunit au moins deux réseaux ou "
               "secteurs écoles-collège ; la demande en compte 1.",
               false);
    d = valid();
    patch(d, "{\"format\":\"multi_secteurs\",\"sectors\":3}");
    expect_pass(d);
}

static void test_duration(void **state)
{
    (void)state;
    /* 001 §2: "Les ALP IDG seront mises en place pour une durée de 6 à 12 heures (une à deux
     * journées de formation)". */
    json_t *d = valid();
    json_object_del(d, "sessions");
    patch(d, "{\"hours\":14}");
    expect_one(d, "alp.duration", "hours",
               "Durée demandée : 14 h ; une ALP IDG dure de 6 à 12 heures.", false);
    d = valid();
    patch(d, "{\"hours\":5}");
    expect_one(d, "alp.duration", "hours",
               "Durée demandée : 5 h ; une ALP IDG dure de 6 à 12 heures.", false);
    d = valid();
    patch(d, "{\"days\":3}");
    expect_one(d, "alp.duration", "days",
               "Journées demandées : 3 ; une ALP IDG compte de 1 à 2 journées.", false);

    /* The schedule itself: 4 h 30 in one session, then three days. */
    d = valid();
    patch(d, "{\"sessions\":[{\"date\":\"2027-01-12\",\"start\":\"09:00\",\"end\":\"13:30\"}]}");
    expect_one(d, "alp.duration", "sessions",
               "Les séances totalisent 4 h 30 ; une ALP IDG dure de 6 à 12 heures.", false);
    d = valid();
    patch(d, "{\"sessions\":["
             "{\"date\":\"2027-01-12\",\"start\":\"09:00\",\"end\":\"12:00\"},"
             "{\"date\":\"2027-03-11\",\"start\":\"09:00\",\"end\":\"12:00\"},"
             "{\"date\":\"2027-03-18\",\"start\":\"09:00\",\"end\":\"12:00\"}]}");
    expect_one(d, "alp.duration", "sessions",
               "Les séances occupent 3 journées ; une ALP IDG compte de 1 à 2 journées.", false);

    /* A schedule within the bounds that differs from what was asked: a warning only, since the
     * training services set the dates. */
    d = valid();
    patch(d, "{\"sessions\":[{\"date\":\"2027-01-12\",\"start\":\"09:00\",\"end\":\"12:00\"},"
             "{\"date\":\"2027-03-11\",\"start\":\"09:00\",\"end\":\"15:00\"}]}");
    expect_one(d, "alp.duration", "sessions",
               "Les séances totalisent 9 h sur 2 journées ; la demande annonçait 12 h sur 2 "
               "journées.",
               true);
}

static void test_times(void **state)
{
    (void)state;
    json_t *d = valid();
    patch(d, "{\"sessions\":[{\"date\":\"2027-01-12\",\"start\":\"15:00\",\"end\":\"09:00\"},"
             "{\"date\":\"2027-03-11\",\"start\":\"09:00\",\"end\":\"15:00\"}]}");
    expect_one(d, "alp.times", "sessions[0].end",
               "Séance n°1 : la fin (09:00) doit suivre le début (15:00).", false);
    d = valid();
    patch(d, "{\"sessions\":[{\"date\":\"2027-01-12\",\"start\":\"09:00\",\"end\":\"12:00\"},"
             "{\"date\":\"2027-01-12\",\"start\":\"11:00\",\"end\":\"14:00\"},"
             "{\"date\":\"2027-03-11\",\"start\":\"09:00\",\"end\":\"15:00\"}]}");
    expect_one(d, "alp.times", "sessions[1].start",
               "La séance n°2 chevauche la séance n°1 le 12/01/2027.", false);
}

static void test_period(void **state)
{
    (void)state;
    /* 001 §2: "de mi-octobre à début juin 2021", read by campaign.c as 15 October to 7 June. */
    json_t *d = valid();
    patch(d, "{\"sessions\":[{\"date\":\"2026-10-13\",\"start\":\"09:00\",\"end\":\"15:00\"},"
             "{\"date\":\"2027-03-11\",\"start\":\"09:00\",\"end\":\"15:00\"}]}");
    expect_one(d, "alp.period", "sessions[0].date",
               "Le mardi 13/10/2026 est hors de la période des ALP IDG, du 15/10/2026 au "
               "07/06/2027.",
               false);
    d = valid();
    patch(d, "{\"sessions\":[{\"date\":\"2027-01-12\",\"start\":\"09:00\",\"end\":\"15:00\"},"
             "{\"date\":\"2027-06-08\",\"start\":\"09:00\",\"end\":\"15:00\"}]}");
    expect_one(d, "alp.period", "sessions[1].date",
               "Le mardi 08/06/2027 est hors de la période des ALP IDG, du 15/10/2026 au "
               "07/06/2027.",
               false);
}

static void test_weekday(void **state)
{
    (void)state;
    /* 001 §2: "les ALP IDG faisant intervenir des formateurs académiques pourront être
     * déployées les lundis, ou mardis, ou jeudis (éventuellement mercredis matin)." */
    json_t *d = valid();
    patch(d, "{\"sessions\":[{\"date\":\"2027-01-15\",\"start\":\"09:00\",\"end\":\"15:00\"},"
             "{\"date\":\"2027-03-11\",\"start\":\"09:00\",\"end\":\"15:00\"}]}");
    expect_one(d, "alp.weekday", "sessions[0].date",
               "Le vendredi 15/01/2027 ne convient pas : avec des formateurs académiques, une "
               "ALP IDG a lieu le lundi, le mardi, le mercredi matin ou le jeudi.",
               false);

    /* Wednesday: the morning only. */
    d = valid();
    patch(d, "{\"hours\":9,\"sessions\":["
             "{\"date\":\"2027-01-13\",\"start\":\"09:00\",\"end\":\"12:00\"},"
             "{\"date\":\"2027-03-11\",\"start\":\"09:00\",\"end\":\"15:00\"}]}");
    expect_pass(d);
    d = valid();
    patch(d, "{\"sessions\":[{\"date\":\"2027-01-13\",\"start\":\"09:00\",\"end\":\"15:00\"},"
             "{\"date\":\"2027-03-11\",\"start\":\"09:00\",\"end\":\"15:00\"}]}");
    expect_one(d, "alp.weekday", "sessions[0].end",
               "Le mercredi 13/01/2027, la séance finit à 15:00 : avec des formateurs "
               "académiques, ce jour-là se limite au matin (fin à 12:00 au plus tard).",
               false);

    /* 001 §2: "Les ALP IDG ne nécessitant pas l'intervention de formateurs académiques pourront
     * être déployées les vendredis." */
    d = valid();
    patch(d, "{\"academic_trainers\":false,\"sessions\":["
             "{\"date\":\"2027-01-15\",\"start\":\"09:00\",\"end\":\"15:00\"},"
             "{\"date\":\"2027-03-12\",\"start\":\"09:00\",\"end\":\"15:00\"}]}");
    expect_pass(d);
    d = valid();
    patch(d, "{\"academic_trainers\":false,\"sessions\":["
             "{\"date\":\"2027-01-11\",\"start\":\"09:00\",\"end\":\"15:00\"},"
             "{\"date\":\"2027-03-12\",\"start\":\"09:00\",\"end\":\"15:00\"}]}");
    expect_one(d, "alp.weekday", "sessions[0].date",
               "Le lundi 11/01/2027 ne convient pas : sans formateurs académiques, une ALP IDG a "
               "lieu le vendredi.",
               false);
}

static void test_eabep(void **state)
{
    (void)state;
    /* 001 §2: "Les ALP IDG ayant une thématique concernant particulièrement les élèves à besoins
     * éducatifs particuliers (EABEP) seront prioritairement positionnées sur des mardis ou
     * jeudis pour permettre l'intervention des formateurs académiques à valence ASH." A
     * preference: a warning, and the request still passes. */
    json_t *d = valid();
    patch(d, "{\"eabep\":true,\"sessions\":["
             "{\"date\":\"2027-01-11\",\"start\":\"09:00\",\"end\":\"15:00\"},"
             "{\"date\":\"2027-03-11\",\"start\":\"09:00\",\"end\":\"15:00\"}]}");
    expect_one(d, "alp.eabep", "sessions[0].date",
               "Thématique EABEP : la séance du lundi 11/01/2027 serait de préférence un mardi ou "
               "un jeudi, pour permettre l’intervention des formateurs académiques à valence "
               "ASH.",
               true);
    d = valid();
    patch(d, "{\"eabep\":true}");
    expect_pass(d); /* Tuesday and Thursday */
}

static void test_holidays(void **state)
{
    (void)state;
    /* Issue 5 §3: "school holidays and public holidays excluded"; zone A, académie de Lyon. A
     * Tuesday of the Toussaint holidays 2026, in the season and a weekday allowed. */
    json_t *d = valid();
    patch(d, "{\"sessions\":[{\"date\":\"2026-10-20\",\"start\":\"09:00\",\"end\":\"15:00\"},"
             "{\"date\":\"2027-03-11\",\"start\":\"09:00\",\"end\":\"15:00\"}]}");
    expect_one(d, "alp.holiday", "sessions[0].date",
               "Le mardi 20/10/2026 tombe pendant les vacances scolaires (vacances de la "
               "Toussaint, zone A, académie de Lyon).",
               false);
    /* Easter Monday 2027 (Easter Sunday 28 March), outside the spring holidays of zone A. */
    d = valid();
    patch(d, "{\"sessions\":[{\"date\":\"2027-01-12\",\"start\":\"09:00\",\"end\":\"15:00\"},"
             "{\"date\":\"2027-03-29\",\"start\":\"09:00\",\"end\":\"15:00\"}]}");
    expect_one(d, "alp.holiday", "sessions[1].date",
               "Le lundi 29/03/2027 est un jour férié (lundi de Pâques).", false);
    /* Ascension 2027, Thursday 6 May. */
    d = valid();
    patch(d, "{\"sessions\":[{\"date\":\"2027-05-06\",\"start\":\"09:00\",\"end\":\"15:00\"},"
             "{\"date\":\"2027-03-11\",\"start\":\"09:00\",\"end\":\"15:00\"}]}");
    expect_one(d, "alp.holiday", "sessions[0].date",
               "Le jeudi 06/05/2027 est un jour férié (Ascension).", false);
    /* The Friday after, the pont de l'Ascension, for an action without academic trainers. */
    d = valid();
    patch(d, "{\"academic_trainers\":false,\"sessions\":["
             "{\"date\":\"2027-01-15\",\"start\":\"09:00\",\"end\":\"15:00\"},"
             "{\"date\":\"2027-05-07\",\"start\":\"09:00\",\"end\":\"15:00\"}]}");
    expect_one(d, "alp.holiday", "sessions[1].date",
               "Le vendredi 07/05/2027 tombe pendant les vacances scolaires (pont de "
               "l’Ascension, zone A, académie de Lyon).",
               false);
}

static void test_calendar(void **state)
{
    (void)state;
    int m = 0, dd = 0;
    const struct {
        int y, m, d;
    } easter[] = {{2024, 3, 31}, {2025, 4, 20}, {2026, 4, 5},  {2027, 3, 28},
                  {2038, 4, 25}, {2285, 3, 22}, {1818, 3, 22}, {2000, 4, 23}};
    for (size_t i = 0; i < sizeof easter / sizeof easter[0]; i++) {
        rules_alp_easter(easter[i].y, &m, &dd);
        assert_int_equal(m, easter[i].m);
        assert_int_equal(dd, easter[i].d);
    }
    bool pub = false;
    assert_string_equal(rules_alp_holiday(2026, 5, 25, &pub), "lundi de Pentecôte");
    assert_true(pub);
    assert_string_equal(rules_alp_holiday(2027, 5, 17, &pub), "lundi de Pentecôte");
    assert_string_equal(rules_alp_holiday(2026, 5, 14, &pub), "Ascension");
    assert_string_equal(rules_alp_holiday(2026, 4, 6, &pub), "lundi de Pâques");
    assert_string_equal(rules_alp_holiday(2026, 11, 11, &pub), "Armistice");
    assert_string_equal(rules_alp_holiday(2027, 5, 8, &pub), "Victoire 1945");
    assert_string_equal(rules_alp_holiday(2026, 12, 25, NULL), "Noël");
    /* School holidays: the first day off, the last one, and the day classes resume. */
    assert_string_equal(rules_alp_holiday(2026, 10, 17, &pub), "vacances de la Toussaint");
    assert_false(pub);
    assert_string_equal(rules_alp_holiday(2026, 11, 1, &pub), "Toussaint");
    assert_true(pub);
    assert_null(rules_alp_holiday(2026, 11, 2, &pub));
    assert_false(pub);
    assert_null(rules_alp_holiday(2026, 10, 16, NULL));
    assert_string_equal(rules_alp_holiday(2027, 1, 3, NULL), "vacances de Noël");
    assert_null(rules_alp_holiday(2027, 1, 4, NULL));
    assert_string_equal(rules_alp_holiday(2027, 2, 16, NULL), "vacances d’hiver");
    assert_null(rules_alp_holiday(2027, 3, 1, NULL));
    assert_string_equal(rules_alp_holiday(2027, 4, 12, NULL), "vacances de printemps");
    assert_null(rules_alp_holiday(2027, 4, 26, NULL));
    assert_string_equal(rules_alp_holiday(2026, 5, 15, NULL), "pont de l’Ascension");
    assert_null(rules_alp_holiday(2026, 5, 13, NULL));
    assert_string_equal(rules_alp_holiday(2026, 2, 9, NULL), "vacances d’hiver");
    assert_string_equal(rules_alp_holiday(2027, 7, 3, NULL), "vacances d’été");
    assert_null(rules_alp_holiday(2027, 13, 1, NULL));
    assert_null(rules_alp_holiday(0, 1, 1, NULL));
    assert_true(rules_alp_holidays_known(2025));
    assert_true(rules_alp_holidays_known(2026));
    assert_false(rules_alp_holidays_known(2027));

    /* A campaign the table does not cover: public holidays are still refused, and a warning
     * says the school holidays could not be checked. */
    struct campaign c;
    assert_int_equal(campaign_defaults(&c, 2027), 0);
    json_t *d = valid();
    patch(d, "{\"sessions\":[{\"date\":\"2028-01-11\",\"start\":\"09:00\",\"end\":\"15:00\"},"
             "{\"date\":\"2028-03-09\",\"start\":\"09:00\",\"end\":\"15:00\"}]}");
    struct rule_report r;
    rule_report_init(&r);
    assert_int_equal(rules_alp_check(d, &c, &r), 0);
    assert_int_equal(r.count, 1);
    assert_string_equal(r.items[0].rule, "alp.holiday");
    assert_string_equal(r.items[0].field, "sessions");
    assert_true(r.items[0].warning);
    assert_string_equal(r.items[0].detail,
                        "Les vacances scolaires de 2027-2028 ne sont pas encore connues de "
                        "Continuum : vérifiez que les séances n’y tombent pas (les jours fériés "
                        "sont vérifiés).");
    patch(d, "{\"sessions\":[{\"date\":\"2028-01-11\",\"start\":\"09:00\",\"end\":\"15:00\"},"
             "{\"date\":\"2028-04-17\",\"start\":\"09:00\",\"end\":\"15:00\"}]}");
    rule_report_init(&r);
    assert_int_equal(rules_alp_check(d, &c, &r), 1);
    assert_int_equal(r.count, 2);
    assert_string_equal(r.items[1].detail, "Le lundi 17/04/2028 est un jour férié (lundi de "
                                           "Pâques).");
    json_decref(d);
}

static void test_trainees(void **state)
{
    (void)state;
    /* 001 §3: "Les ALP IDG pourront concerner pour un secteur : 10 personnels enseignants du
     * second degré, 10 professeurs des écoles de secteur." */
    json_t *d = valid();
    patch(d, "{\"trainees\":{\"first_degree\":12,\"second_degree\":10}}");
    expect_one(d, "alp.sector_quota", "trainees.first_degree",
               "12 professeurs des écoles pour 1 réseau ou secteur : 10 par secteur au plus.",
               false);
    d = valid();
    patch(d, "{\"sectors\":2,\"trainees\":{\"first_degree\":14,\"second_degree\":21,"
             "\"declared_max\":40}}");
    expect_one(d, "alp.sector_quota", "trainees.second_degree",
               "21 enseignants du second degré pour 2 réseaux ou secteurs : 10 par secteur au "
               "plus.",
               false);

    /* 001 §3: "Le nombre maximum d'enseignants mobilisés sur une action est de 30 personnes."
     * and "Si les pilotes souhaitent mobiliser plus de 30 stagiaires (1er et 2nd degré
     * confondus) sur une ALP IDG, ils doivent l'anticiper dès la demande d'ALP IDG et le
     * mentionner sur le formulaire de demande". */
    d = valid();
    patch(d, "{\"sectors\":2,\"trainees\":{\"first_degree\":16,\"second_degree\":16}}");
    expect_one(d, "alp.max_trainees", "trainees",
               "32 stagiaires : au-delà de 30, la demande doit annoncer le nombre de stagiaires "
               "prévu.",
               false);
    d = valid();
    patch(d, "{\"sectors\":2,\"trainees\":{\"first_degree\":16,\"second_degree\":16,"
             "\"declared_max\":20}}");
    expect_one(d, "alp.max_trainees", "trainees",
               "32 stagiaires : au-delà de 30, la demande doit annoncer le nombre de stagiaires "
               "prévu.",
               false);
    d = valid();
    patch(d, "{\"sectors\":2,\"trainees\":{\"first_degree\":16,\"second_degree\":16,"
             "\"declared_max\":31}}");
    expect_one(d, "alp.max_trainees", "trainees", "32 stagiaires pour 31 annoncés dans la demande.",
               false);
    d = valid();
    patch(d, "{\"sectors\":2,\"trainees\":{\"first_degree\":16,\"second_degree\":16,"
             "\"declared_max\":32}}");
    expect_pass(d);

    /* 001 §3: "L'équilibre entre le nombre d'enseignants du premier et du second degré doit
     * être garanti par les pilotes." Read as: each degree at least 40 % of the trainees. */
    d = valid();
    patch(d, "{\"trainees\":{\"first_degree\":10,\"second_degree\":5}}");
    expect_one(d, "alp.balance", "trainees",
               "Équilibre entre les degrés : 10 du 1er degré pour 5 du 2nd ; chaque degré compte "
               "au moins 40 % des stagiaires.",
               false);
    d = valid();
    patch(d, "{\"trainees\":{\"first_degree\":10,\"second_degree\":0}}");
    expect_one(d, "alp.balance", "trainees",
               "Une ALP IDG réunit des enseignants du premier et du second degré ; la demande en "
               "compte 10 du 1er degré et 0 du 2nd.",
               false);
    d = valid();
    patch(d, "{\"trainees\":{\"first_degree\":8,\"second_degree\":10}}");
    expect_pass(d); /* 8 of 18 is 44 % */
    d = valid();
    patch(d, "{\"trainees\":{\"first_degree\":6,\"second_degree\":10}}");
    expect_one(d, "alp.balance", "trainees", /* 6 of 16 is 37.5 % */
               "Équilibre entre les degrés : 6 du 1er degré pour 10 du 2nd ; chaque degré compte "
               "au moins 40 % des stagiaires.",
               false);
}

static void test_orientation(void **state)
{
    (void)state;
    /* 001 §5: "Pour les établissements relevant de l'éducation prioritaire, la thématique
     * choisie pour 2020-2021 doit néanmoins pouvoir s'inscrire dans le cadre des grandes
     * orientations stratégiques …: la grande difficulté scolaire et l'étayage des fragilités
     * renforcées par la période de confinement, le travail personnel et l'autonomie de l'élève,
     * les pratiques inclusives, la fluidité des parcours." */
    static const char detail[] =
        "En éducation prioritaire, la thématique s’inscrit dans l’une des quatre orientations : "
        "grande difficulté scolaire, travail personnel et autonomie de l’élève, pratiques "
        "inclusives, fluidité des parcours.";
    json_t *d = valid();
    json_object_del(d, "orientation");
    expect_one(d, "alp.orientation", "orientation", detail, false);
    d = valid();
    patch(d, "{\"orientation\":\"numerique\"}");
    expect_one(d, "alp.orientation", "orientation", detail, false);
    d = valid();
    patch(d, "{\"orientation\":null}");
    expect_one(d, "alp.orientation", "orientation", detail, false);
    for (int i = 0; rules_alp_orientation_codes[i]; i++) {
        d = valid();
        json_object_set_new(d, "orientation", json_string(rules_alp_orientation_codes[i]));
        expect_pass(d);
    }
    assert_string_equal(rules_alp_orientation_label("pratiques_inclusives"),
                        "les pratiques inclusives");
    assert_null(rules_alp_orientation_label("x"));
    assert_null(rules_alp_orientation_label(NULL));
    /* Outside éducation prioritaire, no orientation is needed, but a wrong code is still wrong. */
    d = valid();
    patch(d, "{\"education_prioritaire\":false,\"orientation\":\"numerique\"}");
    expect_shape(d, "orientation");
}

static void test_three_breaches(void **state)
{
    (void)state;
    /* Issue 5, "Done when": "a new user files an ALP IDG that breaks three rules and reads
     * three precise French messages; fixes it". Here: no IEN (001: "demandé conjointement par
     * … un ou plusieurs IEN de circonscription"), a Friday with academic trainers (001 §2:
     * "les lundis, ou mardis, ou jeudis (éventuellement mercredis matin)"), 34 trainees not
     * announced (001 §3: "ils doivent l'anticiper dès la demande"). */
    json_t *d = valid();
    patch(d, "{\"requesters\":["
             "{\"role\":\"chef_etablissement\",\"name\":\"Mme Durand\",\"uai\":\"0691234A\"}],"
             "\"sectors\":2,"
             "\"sessions\":[{\"date\":\"2027-01-12\",\"start\":\"09:00\",\"end\":\"15:00\"},"
             "{\"date\":\"2027-03-12\",\"start\":\"09:00\",\"end\":\"15:00\"}],"
             "\"trainees\":{\"first_degree\":17,\"second_degree\":17}}");
    struct rule_report r;
    rule_report_init(&r);
    assert_int_equal(rules_alp_check(d, &camp2026, &r), 3);
    assert_int_equal(r.count, 3);
    assert_int_equal(r.blocking, 3);
    assert_string_equal(r.items[0].rule, "alp.requesters");
    assert_string_equal(r.items[0].field, "requesters");
    assert_string_equal(r.items[1].rule, "alp.weekday");
    assert_string_equal(r.items[1].field, "sessions[1].date");
    assert_string_equal(r.items[1].detail,
                        "Le vendredi 12/03/2027 ne convient pas : avec des formateurs "
                        "académiques, une ALP IDG a lieu le lundi, le mardi, le mercredi matin ou "
                        "le jeudi.");
    assert_string_equal(r.items[2].rule, "alp.max_trainees");
    assert_string_equal(r.items[2].field, "trainees");
    assert_string_equal(r.items[2].detail, "34 stagiaires : au-delà de 30, la demande doit "
                                           "annoncer le nombre de stagiaires prévu.");

    /* Fixed: an IEN joins, the Friday becomes a Thursday, 34 trainees are announced. */
    json_array_append_new(json_object_get(d, "requesters"),
                          load("{\"role\":\"ien\",\"name\":\"M. Petit\","
                               "\"circonscription\":\"Villeurbanne Nord\"}"));
    patch(d, "{\"sessions\":[{\"date\":\"2027-01-12\",\"start\":\"09:00\",\"end\":\"15:00\"},"
             "{\"date\":\"2027-03-11\",\"start\":\"09:00\",\"end\":\"15:00\"}],"
             "\"trainees\":{\"first_degree\":17,\"second_degree\":17,\"declared_max\":34}}");
    expect_pass(d);
}

static void test_shapes(void **state)
{
    (void)state;
    /* Not an object at all. */
    check_roots(expect_shape);

    /* One field at a time: the field's shape breach, and nothing that depends on it. */
    const struct {
        const char *patch, *field;
    } cases[] = {
        {"{\"requesters\":\"Mme Durand\"}", "requesters"},
        {"{\"requesters\":{}}", "requesters"},
        {"{\"sectors\":\"1\"}", "sectors"},
        {"{\"sectors\":1.0}", "sectors"},
        {"{\"sectors\":0}", "sectors"},
        {"{\"sectors\":9999999999999}", "sectors"},
        {"{\"format\":3}", "format"},
        {"{\"format\":[\"reconduction\"]}", "format"},
        {"{\"format\":\"reconduction\",\"previous_action\":42}", "previous_action"},
        {"{\"theme\":null}", "theme"},
        {"{\"theme\":\"ab\"}", "theme"},
        {"{\"theme\":\"a\\u0000bc\"}", "theme"},
        {"{\"theme\":\"ligne\\nsuivante\"}", "theme"},
        {"{\"eabep\":\"oui\"}", "eabep"},
        {"{\"eabep\":0}", "eabep"},
        {"{\"education_prioritaire\":null}", "education_prioritaire"},
        {"{\"orientation\":[\"pratiques_inclusives\"]}", "orientation"},
        {"{\"academic_trainers\":1}", "academic_trainers"},
        {"{\"hours\":\"12\"}", "hours"},
        {"{\"hours\":12.5}", "hours"},
        {"{\"hours\":-3}", "hours"},
        {"{\"days\":{}}", "days"},
        {"{\"sessions\":{}}", "sessions"},
        {"{\"sessions\":\"2027-01-12\"}", "sessions"},
        {"{\"trainees\":[]}", "trainees"},
        {"{\"trainees\":null}", "trainees"},
        {"{\"trainees\":{\"first_degree\":-1,\"second_degree\":10}}", "trainees.first_degree"},
        {"{\"trainees\":{\"first_degree\":1e1,\"second_degree\":10}}", "trainees.first_degree"},
        {"{\"trainees\":{\"first_degree\":10}}", "trainees.second_degree"},
        {"{\"trainees\":{\"first_degree\":10,\"second_degree\":10,\"declared_max\":\"40\"}}",
         "trainees.declared_max"},
        {"{\"trainees\":{\"first_degree\":10,\"second_degree\":10,\"declared_max\":0}}",
         "trainees.declared_max"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *d = valid();
        patch(d, cases[i].patch);
        expect_shape(d, cases[i].field);
    }

    /* Inside the lists. */
    const struct {
        const char *item, *field;
    } sessions[] = {
        {"[]", "sessions[0]"},
        {"null", "sessions[0]"},
        {"{\"date\":20270112,\"start\":\"09:00\",\"end\":\"15:00\"}", "sessions[0].date"},
        {"{\"date\":\"12/01/2027\",\"start\":\"09:00\",\"end\":\"15:00\"}", "sessions[0].date"},
        {"{\"date\":\"2027-02-30\",\"start\":\"09:00\",\"end\":\"15:00\"}", "sessions[0].date"},
        {"{\"date\":\"2027-01-1x\",\"start\":\"09:00\",\"end\":\"15:00\"}", "sessions[0].date"},
        {"{\"start\":\"09:00\",\"end\":\"15:00\"}", "sessions[0].date"},
        {"{\"date\":\"2027-01-12\",\"start\":\"9:00\",\"end\":\"15:00\"}", "sessions[0].start"},
        {"{\"date\":\"2027-01-12\",\"start\":\"24:00\",\"end\":\"15:00\"}", "sessions[0].start"},
        {"{\"date\":\"2027-01-12\",\"start\":\"09:00\",\"end\":true}", "sessions[0].end"},
    };
    for (size_t i = 0; i < sizeof sessions / sizeof sessions[0]; i++) {
        json_t *d = valid();
        json_array_set_new(json_object_get(d, "sessions"), 0, load(sessions[i].item));
        expect_shape(d, sessions[i].field);
    }
    const struct {
        const char *item, *field;
    } requesters[] = {
        {"7", "requesters[1]"},
        {"{\"role\":\"ien\",\"circonscription\":\"Lyon 3\"}", "requesters[1].name"},
        {"{\"role\":\"ien\",\"name\":\"M. Petit\"}", "requesters[1].circonscription"},
        {"{\"role\":\"ien\",\"name\":\"M. Petit\",\"circonscription\":[]}",
         "requesters[1].circonscription"},
        {"{\"role\":null,\"name\":\"M. Petit\"}", "requesters[1].role"},
        {"{\"role\":\"chef_etablissement\",\"name\":\"M. Roux\",\"uai\":\"069123A\"}",
         "requesters[1].uai"},
        {"{\"role\":\"chef_etablissement\",\"name\":\"M. Roux\",\"uai\":\"0691234a\"}",
         "requesters[1].uai"},
        {"{\"role\":\"chef_etablissement\",\"name\":\"M. Roux\"}", "requesters[1].uai"},
    };
    for (size_t i = 0; i < sizeof requesters / sizeof requesters[0]; i++) {
        json_t *d = valid();
        /* The valid IEN stays first, so the joint rule holds whatever the second one is. */
        json_t *a = json_object_get(d, "requesters");
        json_array_insert_new(a, 0, json_incref(json_array_get(a, 1)));
        json_array_set_new(a, 1, load(requesters[i].item));
        json_array_remove(a, 2);
        json_array_append_new(a, load("{\"role\":\"chef_etablissement\",\"name\":\"Mme Durand\","
                                      "\"uai\":\"0691234A\"}"));
        expect_shape(d, requesters[i].field);
    }

    /* Too many items: one breach on the list, the rest not looked at. */
    json_t *d = valid();
    json_t *a = json_object_get(d, "requesters");
    for (int i = 0; i < RULES_ALP_REQUESTERS_MAX; i++)
        json_array_append(a, json_array_get(a, 0));
    expect_shape(d, "requesters");
    d = valid();
    patch(d, "{\"theme\":\"\"}");
    expect_shape(d, "theme");
    d = valid();
    char big[400];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    json_object_set_new(d, "theme", json_string(big));
    expect_shape(d, "theme");
}

/* Every value of every field replaced by every kind of JSON: no crash, a bounded report,
 * details that are valid UTF-8 and rule codes of this pack. */
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
        "-9223372036854775808",
        "\"\"",
        "\"x\"",
        "\"2027-01-12\"",
        "\"09:00\"",
        "[]",
        "[null]",
        "[[[]]]",
        "{}",
        "{\"a\":{\"b\":[1,{\"c\":null}]}}",
        "[{\"date\":\"2027-01-12\"}]",
        "[{\"role\":\"ien\"},{\"role\":\"chef_etablissement\"}]",
    };
    static const char *const keys[] = {
        "requesters",
        "sectors",
        "format",
        "previous_action",
        "theme",
        "eabep",
        "education_prioritaire",
        "orientation",
        "academic_trainers",
        "hours",
        "days",
        "sessions",
        "trainees",
    };
    size_t runs = 0;
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
            for (int where = 0; where < 3; where++) {
                json_t *d = valid();
                json_t *val = load(values[v]);
                if (where == 0) {
                    json_object_set_new(d, keys[k], val);
                } else if (where == 1) {
                    /* inside the first session and the trainees */
                    json_object_set(json_array_get(json_object_get(d, "sessions"), 0), keys[k],
                                    val);
                    json_object_set_new(json_object_get(d, "trainees"), keys[k], val);
                } else {
                    json_t *s = json_array_get(json_object_get(d, "sessions"), 0);
                    json_object_set(s, "date", val);
                    json_object_set(s, "start", val);
                    json_object_set_new(json_array_get(json_object_get(d, "requesters"), 0), "role",
                                        val);
                }
                struct rule_report r;
                rule_report_init(&r);
                int n = rules_alp_check(d, &camp2026, &r);
                assert_true(n >= 0 && n <= r.blocking);
                check_well_formed(&r, "alp.");
                json_decref(d);
                runs++;
            }
        }
    }
    assert_int_equal(runs, 3 * (sizeof keys / sizeof keys[0]) * (sizeof values / sizeof values[0]));

    /* Sessions past the cap, all overlapping on one day: bounded, and the cap is reported. */
    json_t *d = valid();
    json_t *s = json_object_get(d, "sessions");
    for (int i = 0; i < 200; i++)
        json_array_append_new(s, load("{\"date\":\"2027-01-15\",\"start\":\"09:00\","
                                      "\"end\":\"18:00\"}"));
    struct rule_report r;
    rule_report_init(&r);
    assert_true(rules_alp_check(d, &camp2026, &r) > 0);
    assert_string_equal(r.items[0].rule, "alp.shape");
    assert_string_equal(r.items[0].field, "sessions");
    assert_string_equal(r.items[0].detail, "Séances : 8 au plus.");
    json_decref(d);
}

static void test_report(void **state)
{
    (void)state;
    struct rule_report r;
    rule_report_init(&r);
    /* A detail cut inside a two-byte character keeps only whole characters. */
    char s[400];
    memset(s, 'a', 298);
    memcpy(s + 298, "é", 2);
    s[300] = '\0';
    rule_report_add(&r, "alp.x", "f", false, "%s", s);
    assert_int_equal(strlen(r.items[0].detail), 298);
    assert_true(utf8_valid(r.items[0].detail, 298));
    memcpy(s + 297, "€", 3); /* three bytes from 297: 2 fit */
    s[300] = '\0';
    rule_report_add(&r, "alp.x", "f", true, "%s", s);
    assert_int_equal(strlen(r.items[1].detail), 297);
    memset(s, 'b', sizeof s - 1);
    s[sizeof s - 1] = '\0';
    rule_report_add(&r, s, s, false, "court");
    assert_int_equal(strlen(r.items[2].rule), 47);
    assert_int_equal(strlen(r.items[2].field), 63);
    assert_int_equal(r.count, 3);
    assert_int_equal(r.blocking, 2);
    /* Past the cap: counted, not kept. */
    for (int i = 0; i < 40; i++)
        rule_report_add(&r, "alp.x", "f", i % 2 == 0, "n°%d", i);
    assert_int_equal(r.count, RULE_REPORT_MAX);
    assert_int_equal(r.dropped, 3 + 40 - RULE_REPORT_MAX);
    assert_int_equal(r.blocking, 2 + 20);

    /* rules_alp_check appends and returns only its own blocking breaches. */
    rule_report_init(&r);
    rule_report_add(&r, "other.rule", "", false, "avant");
    json_t *d = valid();
    patch(d, "{\"days\":3}");
    assert_int_equal(rules_alp_check(d, &camp2026, &r), 1);
    assert_int_equal(r.count, 2);
    assert_int_equal(r.blocking, 2);
    json_decref(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_request_passes),
        cmocka_unit_test(test_requesters),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_duration),
        cmocka_unit_test(test_times),
        cmocka_unit_test(test_period),
        cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_eabep),
        cmocka_unit_test(test_holidays),
        cmocka_unit_test(test_calendar),
        cmocka_unit_test(test_trainees),
        cmocka_unit_test(test_orientation),
        cmocka_unit_test(test_three_breaches),
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_any_json),
        cmocka_unit_test(test_report),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
