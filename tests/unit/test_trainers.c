/* Unit tests of app/trainers: search parameters, profile editing rights, decisions, audit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "app/app.h"
#include "core/err.h"
#include "fixture.h"

static void test_search_params(void **state)
{
    struct fixture *f = *state;
    struct user coord = {.id = 1, .role = ROLE_COORDINATOR};
    struct app_ctx ctx = {.st = f->st, .actor = &coord, .now = 1};
    json_t *out = NULL;
    struct field_errors e = {0};
    struct trainer_search_input ok = {.q = "école inclusive", .validated = "1", .per_page = "5"};
    assert_int_equal(app_trainer_search(&ctx, &ok, &out, &e), 0);
    assert_int_equal(json_integer_value(json_object_get(out, "total")), 1);
    assert_int_equal(json_integer_value(json_object_get(out, "per_page")), 5);
    json_decref(out);
    struct trainer_search_input bad = {.degree = "4D",
                                       .site = "Mars",
                                       .weekday = "dimanche",
                                       .page = "0",
                                       .per_page = "1000",
                                       .validated = "peut-être",
                                       .discipline = "alchimie",
                                       .q = "\xff\xfe"};
    struct field_errors e2 = {0};
    assert_int_equal(app_trainer_search(&ctx, &bad, &out, &e2), ERR_INVAL);
    assert_int_equal(e2.count, 8);
    /* A student may not search the map. */
    struct user student = {.id = 2, .role = ROLE_STUDENT};
    struct app_ctx sctx = {.st = f->st, .actor = &student, .now = 1};
    struct field_errors e3 = {0};
    assert_int_equal(app_trainer_search(&sctx, &ok, &out, &e3), ERR_DENIED);
}

static void test_edit_rights(void **state)
{
    struct fixture *f = *state;
    struct user self = {.id = 5, .role = ROLE_TRAINER, .trainer_id = f->t_durand};
    snprintf(self.login, sizeof self.login, "durand");
    struct app_ctx ctx = {.st = f->st, .actor = &self, .now = 2000};
    struct trainer t;
    assert_int_equal(store_trainer_load(f->st, f->t_durand, &t), 0);
    t.hours_quota = 72;
    snprintf(t.corps, sizeof t.corps, "cpd"); /* not the trainer's to change: ignored */
    struct field_errors e = {0};
    assert_int_equal(app_trainer_update(&ctx, &t, &e), 0);
    struct trainer after;
    assert_int_equal(store_trainer_load(f->st, f->t_durand, &after), 0);
    assert_int_equal(after.hours_quota, 72);
    assert_string_equal(after.corps, "pemf");
    /* Another trainer's profile is out of reach. */
    struct trainer other;
    assert_int_equal(store_trainer_load(f->st, f->t_martin, &other), 0);
    assert_int_equal(app_trainer_update(&ctx, &other, &e), ERR_DENIED);
    /* A bad value changes nothing. */
    t.hours_quota = 99999;
    struct field_errors e2 = {0};
    assert_int_equal(app_trainer_update(&ctx, &t, &e2), ERR_INVAL);
    assert_int_equal(store_trainer_load(f->st, f->t_durand, &after), 0);
    assert_int_equal(after.hours_quota, 72);
    /* The change is in the audit log with before and after. */
    json_t *items = NULL;
    int64_t total = 0;
    assert_int_equal(store_audit_list(f->st, "trainer", f->t_durand, 10, 0, &items, &total), 0);
    assert_int_equal(total, 1);
    json_t *it = json_array_get(items, 0);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(it, "before"), "hours_quota")), 50);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(it, "after"), "hours_quota")), 72);
    json_decref(items);
}

static void test_declare_and_decide(void **state)
{
    struct fixture *f = *state;
    struct user self = {.id = 5, .role = ROLE_TRAINER, .trainer_id = f->t_bernard};
    struct app_ctx ctx = {.st = f->st, .actor = &self, .now = 3000};
    struct field_errors e = {0};
    assert_int_equal(app_competence_declare(&ctx, f->t_bernard, "inclusion", 2, &e), 0);
    struct field_errors e2 = {0};
    assert_int_equal(app_competence_declare(&ctx, f->t_bernard, "inconnue", 9, &e2), ERR_INVAL);
    assert_int_equal(e2.count, 2);
    char msg[256];
    /* The trainer cannot validate their own competence. */
    assert_int_equal(app_competence_decide(&ctx, f->t_bernard, f->c_inclusion, COMPETENCE_VALIDATED,
                                           NULL, msg, sizeof msg),
                     ERR_DENIED);
    struct user insp = {.role = ROLE_INSPECTOR};
    snprintf(insp.login, sizeof insp.login, "ien");
    snprintf(insp.display_name, sizeof insp.display_name, "IEN");
    assert_int_equal(store_user_add(f->st, &insp, "$argon2id$x", 3000, &insp.id), 0);
    struct app_ctx ictx = {.st = f->st, .actor = &insp, .now = 3100};
    assert_int_equal(app_competence_decide(&ictx, f->t_bernard, f->c_inclusion, COMPETENCE_REFUSED,
                                           "", msg, sizeof msg),
                     ERR_INVAL);
    assert_int_equal(app_competence_decide(&ictx, f->t_bernard, f->c_inclusion,
                                           COMPETENCE_VALIDATED, NULL, msg, sizeof msg),
                     0);
    assert_int_equal(app_competence_decide(&ictx, f->t_bernard, f->c_inclusion,
                                           COMPETENCE_VALIDATED, NULL, msg, sizeof msg),
                     ERR_CONFLICT);
    assert_int_equal(app_competence_decide(&ictx, f->t_bernard, f->c_geometrie,
                                           COMPETENCE_VALIDATED, NULL, msg, sizeof msg),
                     ERR_NOTFOUND);
}

static void test_experiences_and_withdraw(void **state)
{
    struct fixture *f = *state;
    struct user self = {.id = 5, .role = ROLE_TRAINER, .trainer_id = f->t_durand};
    struct app_ctx ctx = {.st = f->st, .actor = &self, .now = 1790000000}; /* 2026 */
    struct field_errors e = {0};
    /* 004 Annexe 4 d: "expériences d'enseignement/formation/accompagnement de projets". */
    assert_int_equal(
        app_experience_add(&ctx, f->t_durand, "FC", "Animation « cycle 1 »", "2024", "12", &e), 0);
    json_t *t = NULL;
    assert_int_equal(store_trainer_get(f->st, f->t_durand, &t), 0);
    json_t *x = json_array_get(json_object_get(t, "experiences"), 0);
    assert_string_equal(json_string_value(json_object_get(x, "kind")), "FC");
    int64_t xid = json_integer_value(json_object_get(x, "id"));
    json_decref(t);
    /* Searchable at once. */
    struct trainer_query q = {.q = "cycle", .limit = 5};
    json_t *items = NULL;
    int64_t total = 0;
    assert_int_equal(store_trainer_search(f->st, &q, &items, &total), 0);
    assert_int_equal(total, 1);
    json_decref(items);
    struct field_errors e2 = {0};
    assert_int_equal(app_experience_add(&ctx, f->t_durand, "stage", "x", "1890", "-4", &e2),
                     ERR_INVAL);
    assert_int_equal(e2.count, 4);
    /* Another trainer's profile is out of reach. */
    struct field_errors e3 = {0};
    assert_int_equal(app_experience_add(&ctx, f->t_martin, "FI", "Cours", "2020", "", &e3),
                     ERR_DENIED);
    assert_int_equal(app_experience_remove(&ctx, f->t_martin, xid), ERR_DENIED);
    assert_int_equal(app_experience_remove(&ctx, f->t_durand, xid), 0);
    assert_int_equal(app_experience_remove(&ctx, f->t_durand, xid), ERR_NOTFOUND);
    /* Withdrawing a competence removes it from the profile and from searches. */
    assert_int_equal(app_competence_withdraw(&ctx, f->t_durand, f->c_inclusion), 0);
    struct trainer_query inc = {.q = "inclusive", .limit = 5};
    assert_int_equal(store_trainer_search(f->st, &inc, &items, &total), 0);
    assert_int_equal(total, 0);
    json_decref(items);
    assert_int_equal(app_competence_withdraw(&ctx, f->t_durand, f->c_inclusion), ERR_NOTFOUND);
    /* Each change is audited. */
    assert_int_equal(store_audit_list(f->st, "trainer", f->t_durand, 10, 0, &items, &total), 0);
    assert_int_equal(total, 3);
    json_decref(items);
}

static void test_research_partners(void **state)
{
    struct fixture *f = *state;
    struct user coord = {.id = 1, .role = ROLE_COORDINATOR};
    struct app_ctx ctx = {.st = f->st, .actor = &coord, .now = 1};
    json_t *out = NULL;
    /* 004 Annexe 4 d: "les champs d'expertises des partenaires de la recherche". */
    assert_int_equal(app_research_partners(&ctx, "école inclusive", &out), 0);
    assert_int_equal(json_array_size(out), 1);
    json_decref(out);
    assert_int_equal(app_research_partners(&ctx, "géologie", &out), 0);
    assert_int_equal(json_array_size(out), 0);
    json_decref(out);
    assert_int_equal(app_research_partners(&ctx, NULL, &out), 0);
    assert_int_equal(json_array_size(out), 1);
    json_decref(out);
    struct user student = {.id = 2, .role = ROLE_STUDENT};
    struct app_ctx sctx = {.st = f->st, .actor = &student, .now = 1};
    assert_int_equal(app_research_partners(&sctx, NULL, &out), ERR_DENIED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_search_params, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_edit_rights, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_declare_and_decide, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_research_partners, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_experiences_and_withdraw, fixture_setup,
                                        fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
