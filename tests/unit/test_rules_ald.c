/* Unit tests of domain/rules_ald: one valid ALD offer and one valid local request, then each rule
 * of seed 004_eb042ae2bd8441b7.txt (Annexe 1 n°9, lines 377-381; §3 c, line 214) broken alone,
 * with its code, field and French detail; and malformed JSON of every shape, which must give
 * ald.shape breaches and never crash. Every seed quotation below is from
 * 004_eb042ae2bd8441b7.txt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rules_test.h"

#include "core/utf8.h"
#include "domain/rules.h"
#include "domain/rules_ald.h"

/* An offer of university staff (l. 379), diffused by the DFIE: no team, no inspector yet. */
static const char offer_json[] =
    "{\"origin\":\"offre\","
    "\"proposer\":{\"name\":\"Mme Lefèvre\",\"status\":\"enseignant_chercheur\","
    "\"institution\":\"Université Claude Bernard Lyon 1\",\"unit\":\"UFR Biosciences\"},"
    "\"discipline\":\"SVT\","
    "\"theme\":\"Enseigner l’évolution au cycle 4\","
    "\"degree\":\"second\","
    "\"public\":\"Professeurs de SVT de collège\","
    "\"objectives\":\"Actualiser les connaissances sur l’évolution.\\nConcevoir une séquence.\","
    "\"hours\":9,\"headcount\":20}";

/* A local request of a school team (l. 380), filed with its IEN de circonscription. */
static const char local_json[] =
    "{\"origin\":\"demande_locale\","
    "\"discipline\":\"Mathématiques\","
    "\"theme\":\"La résolution de problèmes au cycle 2\","
    "\"degree\":\"premier\","
    "\"public\":\"Professeurs des écoles de l’école Jean Macé\","
    "\"team\":{\"name\":\"Équipe de l’école Jean Macé\",\"uai\":\"0690001K\"},"
    "\"need\":\"Les élèves de CE1 peinent à modéliser les problèmes additifs.\","
    "\"inspectors\":[{\"corps\":\"ien\",\"name\":\"Mme Garnier\"}],"
    "\"objectives\":\"Construire une progression de la résolution de problèmes.\","
    "\"hours\":6,\"headcount\":8}";

static json_t *offer(void)
{
    return load(offer_json);
}

static json_t *local(void)
{
    return load(local_json);
}

/* Runs the pack on d; frees d. */
static int run(json_t *d, struct rule_report *r)
{
    rule_report_init(r);
    int n = rules_ald_check(d, r);
    json_decref(d);
    return n;
}

/* d breaks exactly one rule: that breach, blocking unless warning. Frees d. */
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

static void expect_shape(json_t *d, const char *field)
{
    struct rule_report r;
    int n = run(d, &r);
    check_shape(&r, n, "ald.shape", field);
}

static void test_valid_requests_pass(void **state)
{
    (void)state;
    /* 004 Annexe 1 n°9, l. 379: « Ces personnels peuvent proposer des offres de formations dont
     * la diffusion dans l'académie est assurée par la DFIE. » */
    expect_pass(offer());
    /* 004 Annexe 1 n°9, l. 380: « une demande locale de formation spécifique qui est déposée (ou
     * à minima validée) par les corps d'inspection concernés par l'équipe pédagogique émettrice
     * de la demande. » */
    expect_pass(local());
    /* A 2nd-degree team with its IA-IPR, a lycée professionnel's with its IEN ET-EG; an
     * interdegré team with both degrees' corps; a local request naming its university trainer. */
    json_t *d = local();
    patch(d, "{\"degree\":\"second\",\"inspectors\":[{\"corps\":\"ia_ipr\",\"name\":\"M. "
             "Bernard\"}]}");
    expect_pass(d);
    d = local();
    patch(d, "{\"degree\":\"second\",\"inspectors\":[{\"corps\":\"ien_et_eg\",\"name\":\"M. "
             "Roux\"}]}");
    expect_pass(d);
    d = local();
    patch(d, "{\"degree\":\"interdegre\",\"inspectors\":[{\"corps\":\"ien\",\"name\":\"Mme "
             "Garnier\"},{\"corps\":\"ia_ipr\",\"name\":\"M. Bernard\"}]}");
    expect_pass(d);
    d = local();
    patch(d, "{\"proposer\":{\"name\":\"M. Faure\",\"status\":\"enseignant_superieur\","
             "\"institution\":\"Université Lyon 2\"}}");
    expect_pass(d);
    /* An offer may already carry a team, a need and inspectors, and an IA-IPR beside an IEN
     * of a 1st-degree team is no breach. */
    d = offer();
    patch(d, "{\"team\":{\"name\":\"Équipe de SVT\",\"uai\":\"0691234A\"},\"need\":\"abé\","
             "\"inspectors\":[]}");
    expect_pass(d);
    d = local();
    patch(d, "{\"inspectors\":[{\"corps\":\"ien\",\"name\":\"Mme Garnier\"},"
             "{\"corps\":\"ia_ipr\",\"name\":\"M. Bernard\"}]}");
    expect_pass(d);
    /* The edges: 1 and 60 hours, 2 and 200 trainees, 4 inspectors, 4000 characters of
     * objectives (é counts as one), null optional fields. */
    d = offer();
    patch(d, "{\"hours\":1,\"headcount\":200,\"team\":null,\"need\":null,\"inspectors\":null}");
    expect_pass(d);
    d = local();
    patch(d, "{\"hours\":60,\"headcount\":2,\"inspectors\":["
             "{\"corps\":\"ien\",\"name\":\"A\"},{\"corps\":\"ien\",\"name\":\"B\"},"
             "{\"corps\":\"ien\",\"name\":\"C\"},{\"corps\":\"ien\",\"name\":\"D\"}]}");
    expect_pass(d);
    d = offer();
    char text[2 * 4000 + 1];
    for (int i = 0; i < 4000; i++)
        memcpy(text + 2 * i, "é", 2);
    text[sizeof text - 1] = '\0';
    json_object_set_new(d, "objectives", json_string(text));
    expect_pass(d);
}

static void test_origin(void **state)
{
    (void)state;
    /* 004 Annexe 1 n°9, l. 379: « Ces personnels peuvent proposer des offres de formations »;
     * l. 380: « Les ALD doivent également permettre de répondre à une demande locale de formation
     * spécifique ». */
    json_t *d = offer();
    patch(d, "{\"origin\":\"fil\"}");
    expect_one(d, "ald.origin", "origin",
               "Une ALD est une offre de formation de personnels de l’enseignement supérieur "
               "(« offre ») ou une demande locale de formation spécifique (« demande_locale »).",
               false);
}

static void test_proposer(void **state)
{
    (void)state;
    /* 004 Annexe 1 n°9, l. 379: « Ces personnels peuvent proposer des offres de formations »:
     * an offer is proposed by someone. */
    json_t *d = offer();
    json_object_del(d, "proposer");
    expect_one(d, "ald.proposer", "proposer",
               "Une offre d’ALD est proposée par un personnel de l’enseignement supérieur : "
               "indiquez qui la propose.",
               false);
    d = offer();
    patch(d, "{\"proposer\":null}");
    expect_one(d, "ald.proposer", "proposer",
               "Une offre d’ALD est proposée par un personnel de l’enseignement supérieur : "
               "indiquez qui la propose.",
               false);
    /* 004 Annexe 1 n°9, l. 378: « Les actions locales disciplinaires sont destinées à former des
     * équipes enseignantes du 1erdegré et du 2nd degré sur des thématiques disciplinaires, par
     * des personnels de l'enseignement supérieur. » — for an offer and for a local request's
     * trainer alike. */
    const char *const detail = "Une ALD est assurée par des personnels de l’enseignement "
                               "supérieur : statut « enseignant_chercheur » (MCF, PU) ou "
                               "« enseignant_superieur » (PRAG, PRCE, ATER…).";
    d = offer();
    patch(d, "{\"proposer\":{\"name\":\"Mme Lefèvre\",\"status\":\"professeur_college\","
             "\"institution\":\"Collège Jean Moulin\"}}");
    expect_one(d, "ald.proposer", "proposer.status", detail, false);
    d = local();
    patch(d, "{\"proposer\":{\"name\":\"M. Faure\",\"status\":\"formateur_academique\","
             "\"institution\":\"Rectorat de Lyon\"}}");
    expect_one(d, "ald.proposer", "proposer.status", detail, false);
}

static void test_degree(void **state)
{
    (void)state;
    /* 004 Annexe 1 n°9, l. 378: « destinées à former des équipes enseignantes du 1erdegré et du
     * 2nd degré ». */
    json_t *d = offer();
    patch(d, "{\"degree\":\"superieur\"}");
    expect_one(d, "ald.degree", "degree",
               "Une ALD forme des équipes enseignantes du 1er degré (« premier »), du 2nd degré "
               "(« second ») ou des deux (« interdegre »).",
               false);
}

static void test_local(void **state)
{
    (void)state;
    /* 004 Annexe 1 n°9, l. 380: « une demande locale de formation spécifique qui est déposée (ou
     * à minima validée) par les corps d'inspection concernés par l'équipe pédagogique émettrice
     * de la demande »: the team and its specific need. */
    json_t *d = local();
    json_object_del(d, "team");
    expect_one(d, "ald.local", "team",
               "Une demande locale d’ALD émane d’une équipe pédagogique : indiquez laquelle et "
               "son établissement (name, uai).",
               false);
    d = local();
    patch(d, "{\"need\":null}");
    expect_one(d, "ald.local", "need",
               "Une demande locale d’ALD répond à un besoin de formation spécifique : "
               "décrivez-le.",
               false);
}

static void test_inspection(void **state)
{
    (void)state;
    /* 004 Annexe 1 n°9, l. 380: « déposée (ou à minima validée) par les corps d'inspection
     * concernés par l'équipe pédagogique émettrice de la demande ». */
    json_t *d = local();
    json_object_del(d, "inspectors");
    expect_one(d, "ald.inspection", "inspectors",
               "Une demande locale d’ALD est déposée (ou à minima validée) par les corps "
               "d’inspection concernés par l’équipe pédagogique : indiquez-les.",
               false);
    d = local();
    patch(d, "{\"inspectors\":[]}");
    expect_one(d, "ald.inspection", "inspectors",
               "Une demande locale d’ALD est déposée (ou à minima validée) par les corps "
               "d’inspection concernés par l’équipe pédagogique : indiquez-les.",
               false);
    /* The corps concerned by a 1st-degree team is its IEN de circonscription... */
    d = local();
    patch(d, "{\"inspectors\":[{\"corps\":\"ia_ipr\",\"name\":\"M. Bernard\"}]}");
    expect_one(d, "ald.inspection", "inspectors",
               "Le public est du 1er degré : la demande locale est déposée (ou à minima validée) "
               "par l’IEN de circonscription concerné (corps « ien »).",
               false);
    /* ... a 2nd-degree team's, its IA-IPR or IEN ET-EG; an interdegré team's, both. */
    d = local();
    patch(d, "{\"degree\":\"interdegre\"}");
    expect_one(d, "ald.inspection", "inspectors",
               "Le public est du 2nd degré : la demande locale est déposée (ou à minima validée) "
               "par l’inspecteur concerné (corps « ia_ipr » ou « ien_et_eg »).",
               false);
    /* An unknown corps, whatever the origin. */
    d = offer();
    patch(d, "{\"inspectors\":[{\"corps\":\"dasen\",\"name\":\"M. Noir\"}]}");
    expect_one(d, "ald.inspection", "inspectors[0].corps",
               "Inspecteur n°1 : corps « ien » (IEN de circonscription, 1er degré), « ia_ipr » "
               "ou « ien_et_eg » (2nd degré).",
               false);
    /* An offer needs no inspector at filing: the inspectors validate it in the workflow. */
    d = offer();
    patch(d, "{\"degree\":\"interdegre\"}");
    expect_pass(d);
}

static void test_headcount(void **state)
{
    (void)state;
    /* 004 Annexe 1 n°9, l. 378: « destinées à former des équipes enseignantes »: a warning. */
    json_t *d = local();
    patch(d, "{\"headcount\":1}");
    expect_one(d, "ald.headcount", "headcount",
               "Une ALD est destinée à former des équipes enseignantes : un seul stagiaire est "
               "prévu.",
               true);
}

static void test_shapes(void **state)
{
    (void)state;
    check_roots(expect_shape);

    /* 004 §3 c, l. 214: the collectifs « Expertiser les propositions de formations à
     * destination de la FI et FC (notamment ALD) »: a proposal they can expertise says who, on
     * which discipline and theme, for whom, what, how long and how many. */
    const struct {
        const char *patch, *field;
    } offer_cases[] = {
        {"{\"origin\":null}", "origin"},
        {"{\"origin\":1}", "origin"},
        {"{\"proposer\":\"Mme Lefèvre\"}", "proposer"},
        {"{\"proposer\":[]}", "proposer"},
        {"{\"proposer\":{\"status\":\"enseignant_chercheur\",\"institution\":\"Lyon 1\"}}",
         "proposer.name"},
        {"{\"proposer\":{\"name\":\"Mme Lefèvre\",\"institution\":\"Lyon 1\"}}", "proposer.status"},
        {"{\"proposer\":{\"name\":\"Mme Lefèvre\",\"status\":true,\"institution\":\"Lyon 1\"}}",
         "proposer.status"},
        {"{\"proposer\":{\"name\":\"Mme Lefèvre\",\"status\":\"enseignant_chercheur\"}}",
         "proposer.institution"},
        {"{\"proposer\":{\"name\":\"Mme Lefèvre\",\"status\":\"enseignant_chercheur\","
         "\"institution\":\"Lyon 1\",\"unit\":7}}",
         "proposer.unit"},
        {"{\"discipline\":null}", "discipline"},
        {"{\"discipline\":\"\"}", "discipline"},
        {"{\"discipline\":[\"SVT\"]}", "discipline"},
        {"{\"theme\":\"ab\"}", "theme"},
        {"{\"theme\":\"a\\u0000bc\"}", "theme"},
        {"{\"theme\":\"ligne\\nsuivante\"}", "theme"},
        {"{\"degree\":null}", "degree"},
        {"{\"degree\":2}", "degree"},
        {"{\"public\":42}", "public"},
        {"{\"public\":\"a\\u0007bc\"}", "public"},
        {"{\"team\":\"SVT\"}", "team"},
        {"{\"team\":{\"uai\":\"0691234A\"}}", "team.name"},
        {"{\"team\":{\"name\":\"Équipe de SVT\"}}", "team.uai"},
        {"{\"team\":{\"name\":\"Équipe de SVT\",\"uai\":\"069123AA\"}}", "team.uai"},
        {"{\"need\":\"ab\"}", "need"},
        {"{\"need\":{}}", "need"},
        {"{\"inspectors\":{\"corps\":\"ien\"}}", "inspectors"},
        {"{\"inspectors\":[{},{},{},{},{}]}", "inspectors"},
        {"{\"inspectors\":[\"M. Bernard\"]}", "inspectors[0]"},
        {"{\"inspectors\":[{\"corps\":\"ia_ipr\"}]}", "inspectors[0].name"},
        {"{\"inspectors\":[{\"corps\":null,\"name\":\"M. Bernard\"}]}", "inspectors[0].corps"},
        {"{\"objectives\":null}", "objectives"},
        {"{\"objectives\":\"ab\"}", "objectives"},
        {"{\"objectives\":false}", "objectives"},
        {"{\"hours\":null}", "hours"},
        {"{\"hours\":\"9\"}", "hours"},
        {"{\"hours\":9.5}", "hours"},
        {"{\"hours\":0}", "hours"},
        {"{\"hours\":61}", "hours"},
        {"{\"headcount\":null}", "headcount"},
        {"{\"headcount\":0}", "headcount"},
        {"{\"headcount\":201}", "headcount"},
        {"{\"headcount\":-9223372036854775808}", "headcount"},
    };
    for (size_t i = 0; i < sizeof offer_cases / sizeof offer_cases[0]; i++) {
        json_t *d = offer();
        patch(d, offer_cases[i].patch);
        expect_shape(d, offer_cases[i].field);
    }
    /* A malformed origin skips the rules that depend on it: a local request's missing team is
     * not reported on a guess. */
    json_t *d = local();
    patch(d, "{\"origin\":7,\"team\":null}");
    expect_shape(d, "origin");
    /* A malformed inspector skips the check of the corps concerned. */
    d = local();
    patch(d, "{\"inspectors\":[{\"corps\":\"ien\",\"name\":\"Mme Garnier\"},3],"
             "\"degree\":\"interdegre\"}");
    expect_shape(d, "inspectors[1]");
    d = offer();
    char big[302];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    json_object_set_new(d, "theme", json_string(big));
    expect_shape(d, "theme");

    struct rule_report r;
    d = offer();
    patch(d, "{\"hours\":61}");
    run(d, &r);
    assert_string_equal(r.items[0].detail, "Durée (heures) : entre 1 et 60, pas 61.");
    d = local();
    patch(d, "{\"team\":{\"name\":\"Équipe\",\"uai\":\"0690001\"}}");
    run(d, &r);
    assert_string_equal(r.items[0].detail,
                        "Équipe pédagogique : UAI de l’établissement ou de l’école : 8 caractères "
                        "au moins.");
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
        "\"offre\"",
        "\"demande_locale\"",
        "\"ien\"",
        "[]",
        "[null]",
        "[{\"corps\":[]}]",
        "[[[]]]",
        "{}",
        "{\"a\":{\"b\":[1,{\"c\":null}]}}",
    };
    static const char *const keys[] = {
        "origin", "proposer", "discipline",  "theme",      "degree", "public",
        "team",   "need",     "inspectors",  "objectives", "hours",  "headcount",
        "name",   "status",   "institution", "unit",       "uai",    "corps",
    };
    for (int base = 0; base < 2; base++) {
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
                for (int where = 0; where < 3; where++) {
                    json_t *d = base ? local() : offer();
                    json_t *val = load(values[v]);
                    json_t *in = d; /* where: the top level, the person, an inspector */
                    if (where == 1)
                        in = json_object_get(d, base ? "team" : "proposer");
                    else if (where == 2)
                        in = json_array_get(json_object_get(d, "inspectors"), 0);
                    if (json_is_object(in))
                        json_object_set_new(in, keys[k], val);
                    else
                        json_decref(val);
                    struct rule_report r;
                    rule_report_init(&r);
                    int n = rules_ald_check(d, &r);
                    assert_true(n >= 0 && n <= r.blocking);
                    check_well_formed(&r, "ald.");
                    json_decref(d);
                }
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_requests_pass),
        cmocka_unit_test(test_origin),
        cmocka_unit_test(test_proposer),
        cmocka_unit_test(test_degree),
        cmocka_unit_test(test_local),
        cmocka_unit_test(test_inspection),
        cmocka_unit_test(test_headcount),
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_any_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
