/* Unit tests of domain/rules_ent: one valid ENT convention, then each rule of seed
 * 002_a92ffaf401843d92.txt (the ENT "Convention de formation") broken alone, with its code, field
 * and French detail; the 18 HSE cap at its edge; and malformed JSON of every shape, which must
 * give ent.shape breaches and never crash. Every seed quotation below is from
 * 002_a92ffaf401843d92.txt. */
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
#include "domain/rules_ent.h"

static const char valid_json[] =
    "{\"in_person\":[{\"date\":\"2027-01-12\",\"hours\":3,\"public\":\"Enseignants de 6e\","
    "\"headcount\":12,\"trainer\":\"M. Martin\"}],"
    "\"online\":[{\"date\":\"2027-01-19\",\"hours\":2,\"mode\":\"classe_virtuelle\","
    "\"headcount\":8,\"trainer\":\"Mme Roux\"},"
    "{\"date\":\"2027-02-02\",\"hours\":1,\"mode\":\"suivi\",\"headcount\":4,"
    "\"trainer\":\"M. Martin\"}],"
    "\"remuneration\":[{\"trainer\":\"M. Martin\",\"hse\":12},"
    "{\"trainer\":\"Mme Roux\",\"hse\":6}]}";

static struct campaign camp;

static json_t *valid(void)
{
    return load(valid_json);
}

/* Runs the pack on d under the 2026-2027 campaign; frees d. */
static int run(json_t *d, struct rule_report *r)
{
    rule_report_init(r);
    int n = rules_ent_check(d, &camp, r);
    json_decref(d);
    return n;
}

/* d breaks exactly one blocking rule: that breach. Frees d. */
static void expect_one(json_t *d, const char *rule, const char *field, const char *detail)
{
    struct rule_report r;
    int n = run(d, &r);
    check_one(&r, n, rule, field, detail, false);
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
    check_shape(&r, n, "ent.shape", field);
}

static int setup(void **state)
{
    (void)state;
    return campaign_defaults(&camp, 2026);
}

static void test_valid_request_passes(void **state)
{
    (void)state;
    expect_pass(valid());
    /* "En fin de formation, un bilan sera établi": the review, the evaluation on the four
     * criteria of §5 and the signatures are accepted when present. */
    json_t *d = valid();
    patch(d, "{\"review\":{\"chef_etablissement\":\"Les équipes utilisent l’ENT.\\nBien.\","
             "\"trainers\":\"Bonne dynamique.\"},"
             "\"evaluation\":{\"fiabilite\":\"Bonne\",\"faisabilite\":\"Rythme tenu\","
             "\"accompagnement\":\"Échanges riches\",\"effets\":\"Usage avec les élèves\"},"
             "\"signatures\":{\"chef_etablissement\":\"2027-06-30\",\"dafpen\":\"2027-07-02\"}}");
    expect_pass(d);
    /* Online sessions only, in-person only. */
    d = valid();
    patch(d, "{\"in_person\":[]}");
    expect_pass(d);
    d = valid();
    patch(d, "{\"online\":null,\"remuneration\":[{\"trainer\":\"M. Martin\",\"hse\":0}]}");
    expect_pass(d);
}

static void test_sessions(void **state)
{
    (void)state;
    /* "PLAN DE FORMATION ENT DE L' EPLE / FORMATIONS EN PRESENTIEL … FORMATIONS EN LIGNE ET
     * SUIVI" */
    json_t *d = valid();
    patch(d, "{\"in_person\":[],\"online\":[],\"remuneration\":[]}");
    expect_one(d, "ent.sessions", "in_person",
               "Le plan de formation ENT compte au moins une formation, en présentiel ou en "
               "ligne.");
}

static void test_mode(void **state)
{
    (void)state;
    /* "date durée Modalité (CV ou suivi) Nombre de personnes concernées" */
    json_t *d = valid();
    json_object_set_new(json_array_get(json_object_get(d, "online"), 1), "mode",
                        json_string("webinaire"));
    expect_one(d, "ent.mode", "online[1].mode",
               "Formation en ligne n°2 : la modalité d’une formation en ligne est une classe "
               "virtuelle ou un suivi (« classe_virtuelle » ou « suivi »).");
}

static void test_hse_cap(void **state)
{
    (void)state;
    /* "Proposition de rémunération par le chef d'établissement (18 HSE au maximum par
     * « formateur accompagnateur »)"; §6: "Une rémunération forfaitaire de 18 HSE au maximum,
     * pour chaque « formateur-accompagnateur » est proposée pour ces actions." */
    json_t *d = valid();
    patch(d, "{\"remuneration\":[{\"trainer\":\"M. Martin\",\"hse\":18},"
             "{\"trainer\":\"Mme Roux\",\"hse\":6}]}");
    expect_pass(d);
    d = valid();
    patch(d, "{\"remuneration\":[{\"trainer\":\"M. Martin\",\"hse\":19},"
             "{\"trainer\":\"Mme Roux\",\"hse\":6}]}");
    expect_one(d, "ent.hse", "remuneration[0].hse",
               "Rémunération, ligne n°1 : 19 HSE proposées ; la rémunération est de 18 HSE au "
               "maximum par « formateur accompagnateur ».");
}

static void test_remuneration(void **state)
{
    (void)state;
    /* "Il engage la responsabilité du chef d'établissement sur le service effectué par chaque
     * « formateur accompagnateur », et permettra la rémunération selon la ventilation qu'il
     * précisera." */
    json_t *d = valid();
    patch(d, "{\"remuneration\":[{\"trainer\":\"M. Martin\",\"hse\":12}]}");
    expect_one(d, "ent.remuneration", "online[0].trainer",
               "Formation en ligne n°1 : son « formateur accompagnateur » n’a pas de ligne dans "
               "la proposition de rémunération.");
    /* "18 HSE au maximum par « formateur accompagnateur »": one line each. */
    d = valid();
    patch(d, "{\"remuneration\":[{\"trainer\":\"M. Martin\",\"hse\":12},"
             "{\"trainer\":\"Mme Roux\",\"hse\":6},{\"trainer\":\"M. Martin\",\"hse\":6}]}");
    expect_one(d, "ent.remuneration", "remuneration[2].trainer",
               "Rémunération, ligne n°3 : ce formateur a déjà la ligne n°1 ; une seule ligne par "
               "« formateur accompagnateur ».");
}

static void test_shapes(void **state)
{
    (void)state;
    check_roots(expect_shape);

    /* "FORMATIONS EN PRESENTIEL / Date durée Type du public concerné Nombre de personnes Nom du
     * « formateur accompagnateur »" and "NOM DU FORMATEUR NOMBRE D'HEURES EFFECTUEES": each
     * column, of its type. */
    const struct {
        const char *patch, *field;
    } cases[] = {
        {"{\"in_person\":{}}", "in_person"},
        {"{\"online\":\"cv\"}", "online"},
        {"{\"in_person\":[3]}", "in_person[0]"},
        {"{\"in_person\":[{\"date\":\"12/01/2027\",\"hours\":3,\"public\":\"P\","
         "\"headcount\":1,\"trainer\":\"M. Martin\"}]}",
         "in_person[0].date"},
        {"{\"in_person\":[{\"date\":\"2027-02-30\",\"hours\":3,\"public\":\"P\","
         "\"headcount\":1,\"trainer\":\"M. Martin\"}]}",
         "in_person[0].date"},
        {"{\"in_person\":[{\"date\":\"2027-01-12\",\"hours\":\"3\",\"public\":\"P\","
         "\"headcount\":1,\"trainer\":\"M. Martin\"}]}",
         "in_person[0].hours"},
        {"{\"in_person\":[{\"date\":\"2027-01-12\",\"hours\":0,\"public\":\"P\","
         "\"headcount\":1,\"trainer\":\"M. Martin\"}]}",
         "in_person[0].hours"},
        {"{\"in_person\":[{\"date\":\"2027-01-12\",\"hours\":3,\"public\":[],"
         "\"headcount\":1,\"trainer\":\"M. Martin\"}]}",
         "in_person[0].public"},
        {"{\"in_person\":[{\"date\":\"2027-01-12\",\"hours\":3,\"public\":\"P\","
         "\"headcount\":1.5,\"trainer\":\"M. Martin\"}]}",
         "in_person[0].headcount"},
        {"{\"online\":[{\"date\":\"2027-01-19\",\"hours\":2,\"mode\":true,"
         "\"headcount\":8,\"trainer\":\"Mme Roux\"}]}",
         "online[0].mode"},
        {"{\"remuneration\":null}", "remuneration"},
        {"{\"remuneration\":{\"M. Martin\":12}}", "remuneration"},
        {"{\"remuneration\":[{\"trainer\":\"M. Martin\",\"hse\":\"12\"},"
         "{\"trainer\":\"Mme Roux\",\"hse\":6}]}",
         "remuneration[0].hse"},
        {"{\"remuneration\":[{\"trainer\":\"M. Martin\",\"hse\":-1},"
         "{\"trainer\":\"Mme Roux\",\"hse\":6}]}",
         "remuneration[0].hse"},
        {"{\"remuneration\":[{\"trainer\":\"M. Martin\",\"hse\":12},"
         "{\"trainer\":7,\"hse\":6}]}",
         "remuneration[1].trainer"},
        {"{\"remuneration\":[{\"trainer\":\"M. Martin\",\"hse\":12},[]]}", "remuneration[1]"},
        {"{\"review\":\"bien\"}", "review"},
        {"{\"review\":{\"trainers\":3}}", "review.trainers"},
        {"{\"evaluation\":{\"effets\":\"\"}}", "evaluation.effets"},
        {"{\"signatures\":{\"dafpen\":\"hier\"}}", "signatures.dafpen"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *d = valid();
        patch(d, cases[i].patch);
        expect_shape(d, cases[i].field);
    }
}

/* Every value of every field replaced by every kind of JSON: no crash, a bounded report, details
 * that are valid UTF-8 and rule codes of this pack. */
static void test_any_json(void **state)
{
    (void)state;
    static const char *const values[] = {
        "null",
        "true",
        "0",
        "-1",
        "1.5",
        "9223372036854775807",
        "\"\"",
        "\"x\"",
        "[]",
        "[null]",
        "[[[]]]",
        "{}",
        "{\"a\":{\"b\":[1,{\"c\":null}]}}",
    };
    static const char *const keys[] = {
        "in_person", "online", "remuneration", "review",  "evaluation", "signatures",
        "date",      "hours",  "mode",         "trainer", "hse",        "headcount",
    };
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
            for (int where = 0; where < 3; where++) {
                json_t *d = valid();
                json_t *val = load(values[v]);
                if (where == 0)
                    json_object_set_new(d, keys[k], val);
                else if (where == 1)
                    json_object_set_new(json_array_get(json_object_get(d, "online"), 0), keys[k],
                                        val);
                else
                    json_object_set_new(json_array_get(json_object_get(d, "remuneration"), 1),
                                        keys[k], val);
                struct rule_report r;
                rule_report_init(&r);
                int n = rules_ent_check(d, &camp, &r);
                assert_true(n >= 0 && n <= r.blocking);
                check_well_formed(&r, "ent.");
                json_decref(d);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_request_passes),
        cmocka_unit_test(test_sessions),
        cmocka_unit_test(test_mode),
        cmocka_unit_test(test_hse_cap),
        cmocka_unit_test(test_remuneration),
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_any_json),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
