/*
 * Unit tests of app/requests (issue 5, slice a): who may file which kind, who sees a request
 * (the filer, their establishment, the roles that see all), the workflow through the app with
 * its reasons, levels and deadlines (seed 004 Annexe 4 c: 5 weeks for a FIL), the history and
 * the audit, and a transition refused when the request moved meanwhile.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "app/requests.h"
#include "core/err.h"
#include "fixture.h"

#define NOW 1790000000

struct world {
    struct fixture f;
    struct user chef, chef2, other, coord, pilot, student;
};

static void add_user(struct store *st, struct user *u, const char *login, enum role role,
                     enum scope_kind scope, const char *value)
{
    memset(u, 0, sizeof *u);
    snprintf(u->login, sizeof u->login, "%s", login);
    snprintf(u->display_name, sizeof u->display_name, "%s", login);
    u->role = role;
    u->scope_kind = scope;
    snprintf(u->scope_value, sizeof u->scope_value, "%s", value);
    assert_int_equal(store_user_add(st, u, "x", NOW, &u->id), 0);
}

static int setup(void **state)
{
    struct world *w = calloc(1, sizeof *w);
    fixture_open(&w->f);
    struct store *st = w->f.st;
    add_user(st, &w->chef, "chef", ROLE_REQUESTER, SCOPE_ESTABLISHMENT, "0690001A");
    add_user(st, &w->chef2, "adjoint", ROLE_REQUESTER, SCOPE_ESTABLISHMENT, "0690001A");
    add_user(st, &w->other, "chef.autre", ROLE_REQUESTER, SCOPE_ESTABLISHMENT, "0690002B");
    add_user(st, &w->coord, "coord", ROLE_COORDINATOR, SCOPE_NONE, "");
    add_user(st, &w->pilot, "pilote", ROLE_PILOT, SCOPE_NONE, "");
    add_user(st, &w->student, "etu", ROLE_STUDENT, SCOPE_SELF, "");
    *state = w;
    return 0;
}

static int teardown(void **state)
{
    struct world *w = *state;
    fixture_close(&w->f);
    free(w);
    return 0;
}

/* A FIL's own fields (seed 004 Annexe 1 n°7): public, headcount, a non-disciplinary need; the
 * requester and the need itself come from the account and the description. */
static json_t *fil_details(void)
{
    return json_pack("{ss si sb}", "public", "équipe pluricatégorielle", "headcount", 25,
                     "disciplinary", false);
}

static struct app_ctx as(struct world *w, const struct user *u)
{
    struct app_ctx c = {w->f.st, u, "127.0.0.1", NOW};
    return c;
}

static void test_file_and_see(void **state)
{
    struct world *w = *state;
    struct app_ctx c = as(w, &w->chef);
    struct field_errors errs = {0};
    int64_t id = 0;
    json_t *fd = fil_details();
    struct request_input in = {"fil", NULL, "Climat scolaire", "Deux demi-journées.", fd, true};
    assert_int_equal(app_request_create(&c, &in, &errs, NULL, &id), 0);
    json_t *r = NULL;
    assert_int_equal(app_request_get(&c, id, &r), 0);
    assert_string_equal(json_string_value(json_object_get(r, "state")), "submitted");
    /* 004 Annexe 4 c: « délais de 5 semaines pour une réponse à une demande de FIL » */
    /* (21/09/2026 + 35 days, the same Paris clock time: the clocks go back on 25/10, one hour
     * more in seconds) */
    assert_int_equal(json_integer_value(json_object_get(r, "deadline_at")) - NOW,
                     35 * 86400 + 3600);
    json_decref(r);
    /* the same establishment sees it; another establishment and a student do not */
    struct app_ctx c2 = as(w, &w->chef2), co = as(w, &w->other), cs = as(w, &w->student);
    assert_int_equal(app_request_get(&c2, id, &r), 0);
    json_decref(r);
    assert_int_equal(app_request_get(&co, id, &r), ERR_NOTFOUND);
    assert_int_equal(app_request_get(&cs, id, &r), ERR_NOTFOUND);
    /* a student files nothing; a requester files no ALD */
    assert_int_equal(app_request_create(&cs, &in, &errs, NULL, &id), ERR_DENIED);
    struct request_input ald = {"ald", NULL, "Didactique", NULL, NULL, false};
    assert_int_equal(app_request_create(&c, &ald, &errs, NULL, &id), ERR_DENIED);
    /* field errors: all of them at once */
    struct request_input bad = {"fil", "ald", "x", NULL, NULL, false};
    memset(&errs, 0, sizeof errs);
    assert_int_equal(app_request_create(&c, &bad, &errs, NULL, &id), ERR_INVAL);
    assert_int_equal(errs.count, 2);
    assert_string_equal(errs.items[0].field, "dispositif");
    assert_string_equal(errs.items[1].field, "title");
    /* a disciplinary need is not a FIL's (seed 004): refused at submission */
    struct rule_report rules;
    json_object_set_new(fd, "disciplinary", json_true());
    memset(&errs, 0, sizeof errs);
    assert_int_equal(app_request_create(&c, &in, &errs, &rules, &id), ERR_INVAL);
    assert_string_equal(rules.items[0].rule, "fil.scope");
    json_decref(fd);
}

static void test_workflow(void **state)
{
    struct world *w = *state;
    struct app_ctx c = as(w, &w->chef), cc = as(w, &w->coord), cp = as(w, &w->pilot);
    struct field_errors errs = {0};
    int64_t id = 0;
    json_t *fd = fil_details();
    struct request_input in = {"fil", NULL, "Liaison école-collège", "Une journée.", fd, false};
    assert_int_equal(app_request_create(&c, &in, &errs, NULL, &id), 0);
    char msg[256];
    assert_int_equal(app_request_transition(&cc, id, "triaged", NULL, NULL, msg, sizeof msg),
                     ERR_CONFLICT); /* still a draft */
    assert_int_equal(app_request_transition(&c, id, "submitted", NULL, NULL, msg, sizeof msg), 0);
    assert_int_equal(app_request_transition(&cc, id, "triaged", NULL, NULL, msg, sizeof msg), 0);
    assert_int_equal(app_request_transition(&cc, id, "forwarded", NULL, NULL, msg, sizeof msg), 0);
    assert_int_equal(app_request_transition(&cp, id, "refused", NULL, NULL, msg, sizeof msg),
                     ERR_INVAL);
    assert_int_equal(app_request_transition(&cp, id, "refused", "Hors périmètre cette année.", NULL,
                                            msg, sizeof msg),
                     0);
    json_t *r = NULL;
    assert_int_equal(app_request_get(&cc, id, &r), 0);
    assert_int_equal(json_integer_value(json_object_get(r, "level")), 2);
    json_t *t = json_object_get(r, "transitions");
    assert_int_equal(json_array_size(t), 4);
    assert_string_equal(json_string_value(json_object_get(json_array_get(t, 3), "reason")),
                        "Hors périmètre cette année.");
    assert_int_equal(json_array_size(json_object_get(r, "next")), 0); /* refused is final */
    json_decref(r);
    json_t *audit = NULL;
    int64_t total = 0;
    assert_int_equal(store_audit_list(w->f.st, "training_request", id, 20, 0, &audit, &total), 0);
    assert_int_equal(total, 5); /* created, then four transitions */
    json_decref(audit);
    assert_int_equal(app_request_transition(&cc, id, "nowhere", NULL, NULL, msg, sizeof msg),
                     ERR_INVAL);
    assert_int_equal(app_request_transition(&cc, 9999, "triaged", NULL, NULL, msg, sizeof msg),
                     ERR_NOTFOUND);
    json_decref(fd);
}

/* An ALP IDG is checked by its rule pack when submitted (seed 001), not as a draft. */
static void test_alp_rules_on_submit(void **state)
{
    struct world *w = *state;
    struct app_ctx c = as(w, &w->chef);
    struct field_errors errs = {0};
    struct rule_report rules;
    json_error_t e;
    json_t *details = json_loads(
        "{\"requesters\":[{\"role\":\"chef_etablissement\",\"name\":\"Mme Durand\","
        "\"uai\":\"0690001A\"}],\"sectors\":1,\"format\":\"nouveau_theme\","
        "\"theme\":\"Lire et comprendre au cycle 3\",\"eabep\":false,"
        "\"education_prioritaire\":false,\"academic_trainers\":true,\"hours\":12,\"days\":2,"
        "\"sessions\":[{\"date\":\"2027-01-15\",\"start\":\"09:00\",\"end\":\"15:00\"},"
        "{\"date\":\"2027-03-11\",\"start\":\"09:00\",\"end\":\"15:00\"}],"
        "\"trainees\":{\"first_degree\":10,\"second_degree\":10}}",
        0, &e);
    assert_non_null(details);
    int64_t id = 0;
    struct request_input in = {"alp_idg", NULL, "Lire au cycle 3", NULL, details, true};
    /* no IEN among the requesters, and a Friday with academic trainers: refused, two reasons */
    assert_int_equal(app_request_create(&c, &in, &errs, &rules, &id), ERR_INVAL);
    assert_int_equal(rules.blocking, 2);
    assert_string_equal(rules.items[0].rule, "alp.requesters");
    assert_string_equal(rules.items[1].rule, "alp.weekday");
    assert_string_equal(rules.items[1].field, "sessions[0].date");
    /* as a draft it is kept; fixed, it is submitted */
    in.submit = false;
    assert_int_equal(app_request_create(&c, &in, &errs, &rules, &id), 0);
    char msg[256];
    assert_int_equal(app_request_transition(&c, id, "submitted", NULL, &rules, msg, sizeof msg),
                     ERR_INVAL);
    assert_true(rules.blocking > 0);
    json_t *fixed = json_pack("[{ss ss ss} {ss ss ss}]", "role", "chef_etablissement", "name",
                              "Mme Durand", "uai", "0690001A", "role", "ien", "name", "M. Petit",
                              "circonscription", "Lyon 1");
    json_object_set_new(details, "requesters", fixed);
    json_object_set_new(json_array_get(json_object_get(details, "sessions"), 0), "date",
                        json_string("2027-01-12"));
    in.submit = true;
    assert_int_equal(app_request_create(&c, &in, &errs, &rules, &id), 0);
    assert_int_equal(rules.blocking, 0);
    json_decref(details);
}

/* An ANT is received only inside the campaign's windows (seed 000: « Entre le 15 juin et le
 * 8 juillet, puis à partir du 21 août prochains »): filed on 10/07/2026 it is refused, on
 * 25/06/2026 (the coming campaign's first window) it is filed. */
static void test_ant_window(void **state)
{
    struct world *w = *state;
    struct app_ctx c = as(w, &w->chef);
    json_error_t e;
    json_t *details = json_loads(
        "{\"team\":[{\"name\":\"Mme Martin\",\"function\":\"professeure de lettres\"},"
        "{\"name\":\"M. Diallo\",\"function\":\"CPE\"}],"
        "\"chef_etablissement\":{\"name\":\"M. Roux\",\"uai\":\"0690001A\",\"agreement\":true},"
        "\"scale\":\"etablissement\",\"theme\":\"Évaluer par compétences au collège\"}",
        0, &e);
    assert_non_null(details);
    struct request_input in = {"ant", NULL, "Évaluer par compétences", NULL, details, true};
    struct field_errors errs = {0};
    struct rule_report rules;
    int64_t id = 0;
    c.now = 1783634400; /* 10/07/2026 00:00 Paris */
    assert_int_equal(app_request_create(&c, &in, &errs, &rules, &id), ERR_INVAL);
    assert_int_equal(rules.blocking, 1);
    assert_string_equal(rules.items[0].rule, "ant.window");
    c.now = 1782338400; /* 25/06/2026 00:00 Paris */
    assert_int_equal(app_request_create(&c, &in, &errs, &rules, &id), 0);
    json_decref(details);
}

/* An ENT convention: at most 18 HSE per formateur-accompagnateur (seed 002: « 18 HSE au maximum
 * par « formateur accompagnateur » »), checked when it is filed. */
static void test_ent_hse_cap(void **state)
{
    struct world *w = *state;
    struct app_ctx c = as(w, &w->chef);
    json_t *details =
        json_pack("{s[{ss si ss si ss}] s[{ss si}]}", "in_person", "date", "2027-01-12", "hours", 3,
                  "public", "équipe du collège", "headcount", 12, "trainer", "M. Martin",
                  "remuneration", "trainer", "M. Martin", "hse", 19);
    assert_non_null(details);
    struct request_input in = {"ent", NULL, "Usages pédagogiques de l’ENT", NULL, details, true};
    struct field_errors errs = {0};
    struct rule_report rules;
    int64_t id = 0;
    assert_int_equal(app_request_create(&c, &in, &errs, &rules, &id), ERR_INVAL);
    assert_string_equal(rules.items[0].rule, "ent.hse");
    json_object_set_new(json_array_get(json_object_get(details, "remuneration"), 0), "hse",
                        json_integer(18));
    assert_int_equal(app_request_create(&c, &in, &errs, &rules, &id), 0);
    json_decref(details);
}

static void test_moved_meanwhile(void **state)
{
    struct world *w = *state;
    struct app_ctx c = as(w, &w->chef);
    struct field_errors errs = {0};
    int64_t id = 0;
    json_t *fd = fil_details();
    struct request_input in = {"fil", NULL, "Harcèlement : repérer, agir", "Le besoin.", fd, true};
    assert_int_equal(app_request_create(&c, &in, &errs, NULL, &id), 0);
    /* Someone else triaged it between our read and our write: the store refuses the move. */
    struct request_move m = {"submitted", "triaged", 0, 0, 0, w->coord.id, "coord", ""};
    assert_int_equal(store_request_move(w->f.st, id, &m, NOW), 0);
    assert_int_equal(store_request_move(w->f.st, id, &m, NOW), ERR_CONFLICT);
    json_t *list = NULL;
    struct app_ctx cc = as(w, &w->coord);
    assert_int_equal(app_request_list(&cc, "triaged", "fil", 1, 20, &list, &errs), 0);
    assert_int_equal(json_integer_value(json_object_get(list, "total")), 1);
    json_decref(list);
    assert_int_equal(app_request_list(&cc, "bogus", NULL, 1, 20, &list, &errs), ERR_INVAL);
    json_decref(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_file_and_see, setup, teardown),
        cmocka_unit_test_setup_teardown(test_workflow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alp_rules_on_submit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ant_window, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ent_hse_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_moved_meanwhile, setup, teardown),
    };
    (void)fixture_setup; /* this suite builds its own world on the fixture */
    (void)fixture_teardown;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
