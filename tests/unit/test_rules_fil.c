/* Unit tests of domain/rules_fil: one valid FIL request, then each rule of seed
 * 004_eb042ae2bd8441b7.txt (Annexe 1 n°7, Annexe 4 c) broken alone, with its code, field and
 * French detail; and malformed JSON of every shape, which must give fil.shape breaches and never
 * crash. Every seed quotation below is from 004_eb042ae2bd8441b7.txt. */
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
#include "domain/rules_fil.h"

static const char valid_json[] =
    "{\"requester\":{\"role\":\"chef_etablissement\",\"name\":\"Mme Durand\","
    "\"uai\":\"0691234A\"},"
    "\"need\":\"Accueillir les élèves allophones arrivés en cours d’année.\\nDeux classes.\","
    "\"public\":\"Équipe pédagogique du collège\","
    "\"headcount\":25,\"disciplinary\":false}";

static json_t *valid(void)
{
    return load(valid_json);
}

/* Runs the pack on d; frees d. */
static int run(json_t *d, struct rule_report *r)
{
    rule_report_init(r);
    int n = rules_fil_check(d, r);
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
    check_shape(&r, n, "fil.shape", field);
}

static void test_valid_request_passes(void **state)
{
    (void)state;
    expect_pass(valid());
    /* "Elle est mise en œuvre à l'initiative d'un chef d'établissement ou d'un IEN." */
    json_t *d = valid();
    patch(d, "{\"requester\":{\"role\":\"ien\",\"name\":\"M. Petit\","
             "\"circonscription\":\"Lyon 3\"}}");
    expect_pass(d);
    /* The edges: 3 and 2000 characters of need (é counts as one), 1 and 200 trainees. */
    d = valid();
    patch(d, "{\"need\":\"abé\",\"headcount\":1}");
    expect_pass(d);
    d = valid();
    char need[2 * 2000 + 1];
    for (int i = 0; i < 2000; i++)
        memcpy(need + 2 * i, "é", 2);
    need[sizeof need - 1] = '\0';
    json_object_set_new(d, "need", json_string(need));
    patch(d, "{\"headcount\":200}");
    expect_pass(d);
}

static void test_requester(void **state)
{
    (void)state;
    /* Annexe 1 n°7: "Elle est mise en œuvre à l'initiative d'un chef d'établissement ou d'un
     * IEN." */
    json_t *d = valid();
    patch(d, "{\"requester\":{\"role\":\"enseignant\",\"name\":\"Mme Blanc\"}}");
    expect_one(d, "fil.requester", "requester.role",
               "Une FIL est mise en œuvre à l’initiative d’un chef d’établissement ou d’un IEN : "
               "rôle « chef_etablissement » ou « ien ».");
}

static void test_scope(void **state)
{
    (void)state;
    /* Annexe 1 n°7: "Une FIL est un dispositif de formation destiné à répondre à un besoin
     * spécifique, non disciplinaire, d'un EPLE, d'un groupe d'EPLE ou d'un territoire, d'un
     * bassin ayant la même problématique." */
    json_t *d = valid();
    patch(d, "{\"disciplinary\":true}");
    expect_one(d, "fil.scope", "disciplinary",
               "Une FIL répond à « un besoin spécifique, non disciplinaire, d’un EPLE, d’un "
               "groupe d’EPLE ou d’un territoire » : un besoin disciplinaire relève d’une action "
               "locale disciplinaire (ALD).");
}

static void test_shapes(void **state)
{
    (void)state;
    check_roots(expect_shape);

    /* Annexe 4 c asks for an answer "dans des délais fixés et contraints (ex : délais de 5
     * semaines pour une réponse à une demande de FIL)": a request that says what is needed, for
     * whom and how many, so that it can be answered in time. */
    const struct {
        const char *patch, *field;
    } cases[] = {
        {"{\"requester\":null}", "requester"},
        {"{\"requester\":\"Mme Durand\"}", "requester"},
        {"{\"requester\":{\"name\":\"Mme Durand\"}}", "requester.role"},
        {"{\"requester\":{\"role\":3,\"name\":\"Mme Durand\"}}", "requester.role"},
        {"{\"requester\":{\"role\":\"ien\",\"circonscription\":\"Lyon 3\"}}", "requester.name"},
        {"{\"requester\":{\"role\":\"ien\",\"name\":\"M. Petit\"}}", "requester.circonscription"},
        {"{\"requester\":{\"role\":\"chef_etablissement\",\"name\":\"Mme Durand\"}}",
         "requester.uai"},
        {"{\"requester\":{\"role\":\"chef_etablissement\",\"name\":\"Mme Durand\","
         "\"uai\":\"069123AA\"}}",
         "requester.uai"},
        {"{\"need\":null}", "need"},
        {"{\"need\":\"\"}", "need"},
        {"{\"need\":\"ab\"}", "need"},
        {"{\"need\":[\"besoin\"]}", "need"},
        {"{\"need\":\"a\\u0000bc\"}", "need"},
        {"{\"need\":\"a\\u0007bc\"}", "need"},
        {"{\"public\":42}", "public"},
        {"{\"public\":\"ab\"}", "public"},
        {"{\"public\":\"ligne\\nsuivante\"}", "public"},
        {"{\"headcount\":null}", "headcount"},
        {"{\"headcount\":\"25\"}", "headcount"},
        {"{\"headcount\":25.0}", "headcount"},
        {"{\"headcount\":0}", "headcount"},
        {"{\"headcount\":201}", "headcount"},
        {"{\"headcount\":-9223372036854775808}", "headcount"},
        {"{\"disciplinary\":null}", "disciplinary"},
        {"{\"disciplinary\":\"non\"}", "disciplinary"},
        {"{\"disciplinary\":0}", "disciplinary"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *d = valid();
        patch(d, cases[i].patch);
        expect_shape(d, cases[i].field);
    }
    json_t *d = valid();
    char big[2002];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    json_object_set_new(d, "need", json_string(big));
    expect_shape(d, "need");

    struct rule_report r;
    d = valid();
    patch(d, "{\"headcount\":0}");
    run(d, &r);
    assert_string_equal(r.items[0].detail, "Effectif : entre 1 et 200, pas 0.");
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
        "\"ien\"",
        "[]",
        "[null]",
        "[[[]]]",
        "{}",
        "{\"a\":{\"b\":[1,{\"c\":null}]}}",
    };
    static const char *const keys[] = {
        "requester", "need", "public", "headcount", "disciplinary", "role", "name", "uai",
    };
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
            for (int where = 0; where < 2; where++) {
                json_t *d = valid();
                json_t *val = load(values[v]);
                if (where == 0)
                    json_object_set_new(d, keys[k], val);
                else
                    json_object_set_new(json_object_get(d, "requester"), keys[k], val);
                struct rule_report r;
                rule_report_init(&r);
                int n = rules_fil_check(d, &r);
                assert_true(n >= 0 && n <= r.blocking);
                check_well_formed(&r, "fil.");
                json_decref(d);
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_request_passes),
        cmocka_unit_test(test_requester),
        cmocka_unit_test(test_scope),
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_any_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
