/* Unit tests of the SQLite store: migrations, accounts, sessions, audit, search. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"
#include "fixture.h"

static void test_migrate_idempotent(void **state)
{
    struct fixture *f = *state;
    int from = -1, to = -1, v = 0;
    assert_int_equal(store_migrate(f->st, &from, &to), 0);
    assert_int_equal(from, store_schema_latest());
    assert_int_equal(to, store_schema_latest());
    assert_int_equal(store_schema_version(f->st, &v), 0);
    assert_int_equal(v, store_schema_latest());
}

static void test_users_and_sessions(void **state)
{
    struct fixture *f = *state;
    struct user u = {.role = ROLE_INSPECTOR, .scope_kind = SCOPE_NONE};
    snprintf(u.login, sizeof u.login, "ien.test");
    snprintf(u.display_name, sizeof u.display_name, "IEN Test");
    int64_t id = 0;
    assert_int_equal(store_user_add(f->st, &u, "$argon2id$fake", 100, &id), 0);
    assert_int_equal(store_user_add(f->st, &u, "$argon2id$fake", 100, NULL), ERR_EXISTS);
    struct user got;
    char hash[128];
    assert_int_equal(store_user_by_login(f->st, "ien.test", &got, hash, sizeof hash), 0);
    assert_int_equal(got.id, id);
    assert_int_equal(got.role, ROLE_INSPECTOR);
    assert_string_equal(hash, "$argon2id$fake");
    assert_int_equal(store_user_by_login(f->st, "nobody", &got, NULL, 0), ERR_NOTFOUND);

    char csrf[65];
    assert_int_equal(store_session_add(f->st, "h1", id, "csrf1", 100, 200), 0);
    assert_int_equal(store_session_get(f->st, "h1", 150, &got, csrf, sizeof csrf), 0);
    assert_string_equal(csrf, "csrf1");
    assert_string_equal(got.login, "ien.test");
    /* Expired sessions are not found, and purged. */
    assert_int_equal(store_session_get(f->st, "h1", 200, &got, csrf, sizeof csrf), ERR_NOTFOUND);
    int n = 0;
    assert_int_equal(store_session_purge(f->st, 300, &n), 0);
    assert_int_equal(n, 1);
}

static void test_throttle_purge(void **state)
{
    struct fixture *f = *state;
    int failures = 0;
    int64_t last = 0;
    assert_int_equal(store_throttle_fail(f->st, "login:x", 100), 0);
    assert_int_equal(store_throttle_fail(f->st, "login:x", 150), 0);
    assert_int_equal(store_throttle_get(f->st, "login:x", &failures, &last), 0);
    assert_int_equal(failures, 2);
    assert_int_equal(last, 150);
    assert_int_equal(store_throttle_purge(f->st, 151), 0);
    assert_int_equal(store_throttle_get(f->st, "login:x", &failures, &last), 0);
    assert_int_equal(failures, 0);
}

static void test_audit(void **state)
{
    struct fixture *f = *state;
    struct audit_entry e = {.actor_login = "cli",
                            .action = "trainer.update",
                            .entity = "trainer",
                            .entity_id = f->t_durand,
                            .before = "{\"a\":1}",
                            .after = "{\"a\":2}"};
    assert_int_equal(store_audit_add(f->st, &e, 500), 0);
    json_t *items = NULL;
    int64_t total = 0;
    assert_int_equal(store_audit_list(f->st, "trainer", f->t_durand, 10, 0, &items, &total), 0);
    assert_int_equal(total, 1);
    json_t *it = json_array_get(items, 0);
    assert_string_equal(json_string_value(json_object_get(it, "action")), "trainer.update");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(it, "after"), "a")), 2);
    json_decref(items);
}

/* Searches with free text and returns the total. */
static int64_t search(struct fixture *f, const char *text, struct trainer_query q)
{
    q.q = text;
    if (!q.limit)
        q.limit = 20;
    json_t *items = NULL;
    int64_t total = -1;
    assert_int_equal(store_trainer_search(f->st, &q, &items, &total), 0);
    int64_t left = total - q.offset > 0 ? total - q.offset : 0;
    assert_int_equal((int64_t)json_array_size(items), left < q.limit ? left : q.limit);
    json_decref(items);
    return total;
}

static void test_search_french(void **state)
{
    struct fixture *f = *state;
    struct trainer_query none = {0};
    assert_int_equal(search(f, NULL, none), 3);
    /* 004 Annexe 4 d, issue 3: "inclusive" finds "inclusion", "education" finds "Éducation". */
    assert_int_equal(search(f, "inclusive", none), 1);
    assert_int_equal(search(f, "INCLUSION", none), 1);
    assert_int_equal(search(f, "education prioritaire", none), 1);
    assert_int_equal(search(f, "didactique mathématiques", none), 1);
    assert_int_equal(search(f, "geometrie", none), 1);
    /* The prefix of the last word matches while typing. */
    assert_int_equal(search(f, "mater", none), 1);
    assert_int_equal(search(f, "zoologie", none), 0);
    /* Refused competences do not make a trainer findable. */
    assert_int_equal(search(f, "numerique", none), 0);
}

static void test_search_filters(void **state)
{
    struct fixture *f = *state;
    struct trainer_query q = {.degree = "1D"};
    assert_int_equal(search(f, NULL, q), 1);
    struct trainer_query site = {.site = "loire"};
    assert_int_equal(search(f, NULL, site), 1);
    struct trainer_query inst = {.institution = "rectorat"};
    assert_int_equal(search(f, NULL, inst), 2);
    struct trainer_query day = {.weekdays = 0x08}; /* jeudi */
    assert_int_equal(search(f, NULL, day), 1);
    struct trainer_query validated = {.validated_only = true};
    assert_int_equal(search(f, NULL, validated), 1);
    /* Martin declared geometry but it is not validated yet. */
    assert_int_equal(search(f, "geometrie", validated), 0);
    assert_int_equal(search(f, "inclusion", validated), 1);
    struct trainer_query page2 = {.limit = 2, .offset = 2};
    assert_int_equal(search(f, NULL, page2), 3);
    /* SQL metacharacters are data, never syntax. */
    struct trainer_query inj = {.degree = "1D' OR '1'='1"};
    assert_int_equal(search(f, NULL, inj), 0);
}

static void test_decide_and_queue(void **state)
{
    struct fixture *f = *state;
    json_t *items = NULL;
    int64_t total = 0;
    assert_int_equal(store_validation_queue(f->st, NULL, NULL, 10, 0, &items, &total), 0);
    assert_int_equal(total, 1);
    json_decref(items);
    assert_int_equal(store_trainer_competence_decide(f->st, f->t_martin, f->c_geometrie,
                                                     COMPETENCE_VALIDATED, "", 0, 900),
                     0);
    /* A second decision finds nothing declared any more. */
    assert_int_equal(store_trainer_competence_decide(f->st, f->t_martin, f->c_geometrie,
                                                     COMPETENCE_REFUSED, "x", 0, 901),
                     ERR_CONFLICT);
    struct trainer_query validated = {.validated_only = true};
    assert_int_equal(search(f, "geometrie", validated), 1);
    assert_int_equal(store_validation_queue(f->st, NULL, NULL, 10, 0, &items, &total), 0);
    assert_int_equal(total, 0);
    json_decref(items);
}

static void test_queue_filters(void **state)
{
    struct fixture *f = *state;
    json_t *items = NULL;
    int64_t total = 0;
    /* Martin (mathématiques, Loire) has the one declared competence. */
    assert_int_equal(store_validation_queue(f->st, "mathematiques", NULL, 10, 0, &items, &total),
                     0);
    assert_int_equal(total, 1);
    assert_int_equal(json_array_size(items), 1);
    json_decref(items);
    assert_int_equal(store_validation_queue(f->st, NULL, "loire", 10, 0, &items, &total), 0);
    assert_int_equal(total, 1);
    json_decref(items);
    assert_int_equal(store_validation_queue(f->st, "mathematiques", "ain", 10, 0, &items, &total),
                     0);
    assert_int_equal(total, 0);
    assert_int_equal(json_array_size(items), 0);
    json_decref(items);
}

static void test_trainer_profile(void **state)
{
    struct fixture *f = *state;
    json_t *t = NULL;
    assert_int_equal(store_trainer_get(f->st, f->t_durand, &t), 0);
    assert_string_equal(json_string_value(json_object_get(t, "name")), "Élise Durand");
    assert_string_equal(json_string_value(json_object_get(t, "weekdays_label")),
                        "lundi, mardi, jeudi");
    json_t *c = json_array_get(json_object_get(t, "competences"), 0);
    assert_string_equal(json_string_value(json_object_get(c, "state")), "validated");
    json_decref(t);
    assert_int_equal(store_trainer_get(f->st, 999999, &t), ERR_NOTFOUND);
}

/* The same searches answered by the in-memory index instead of FTS5. */
static int engine_setup(void **state)
{
    int rc = fixture_setup(state);
    struct fixture *f = *state;
    return rc ? rc : store_search_index_enable(f->st);
}

static void test_engine_follows_writes(void **state)
{
    struct fixture *f = *state;
    struct trainer_query none = {0};
    assert_int_equal(search(f, "inclusive", none), 1);
    /* A write bumps the generation: the next search sees it. */
    assert_int_equal(store_trainer_competence_declare(f->st, f->t_martin, f->c_inclusion, 2, 950),
                     0);
    assert_int_equal(store_trainer_reindex(f->st, f->t_martin), 0);
    assert_int_equal(search(f, "inclusive", none), 2);
    struct trainer_query validated = {.validated_only = true};
    assert_int_equal(search(f, "inclusive", validated), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_migrate_idempotent, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_users_and_sessions, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_audit, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_throttle_purge, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_search_french, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_search_filters, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_decide_and_queue, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_trainer_profile, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_queue_filters, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_search_french, engine_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_search_filters, engine_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_decide_and_queue, engine_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_engine_follows_writes, engine_setup, fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
