/*
 * Unit tests of app/missions on the small fixture académie: proposals follow the map of
 * competences as it changes (a competence validated after a first proposal counts at once),
 * only validated competences count, the quota left sets trainers aside, assignment moves the
 * request and counts the hours, and the inbox announces submissions and near deadlines once
 * (seed 004 Annexe 4 c: answers within fixed deadlines, 5 weeks for a FIL).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "app/missions.h"
#include "app/requests.h"
#include "core/err.h"
#include "fixture.h"

#define NOW 1790000000 /* 21/09/2026 */
#define DAY 86400

struct world {
    struct fixture f;
    struct user chef, coord;
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
    add_user(w->f.st, &w->chef, "chef", ROLE_REQUESTER, SCOPE_ESTABLISHMENT, "0690001A");
    add_user(w->f.st, &w->coord, "coord", ROLE_COORDINATOR, SCOPE_NONE, "");
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

static struct app_ctx as(struct world *w, const struct user *u, int64_t now)
{
    struct app_ctx c = {w->f.st, u, "127.0.0.1", now};
    return c;
}

/* A FIL on inclusion, submitted at `now`, of `hours` hours; validated when asked. */
static int64_t fil(struct world *w, int hours, bool validate, int64_t now)
{
    json_t *d = json_pack("{ss si sb si s[s]}", "public", "équipe", "headcount", 20, "disciplinary",
                          false, "hours", hours, "competences", "inclusion");
    struct request_input in = {"fil",
                               NULL,
                               "École inclusive au quotidien",
                               "Accueillir tous les "
                               "élèves.",
                               d,
                               true};
    struct app_ctx c = as(w, &w->chef, now);
    struct field_errors errs = {0};
    struct rule_report rules;
    int64_t id = 0;
    assert_int_equal(app_request_create(&c, &in, &errs, &rules, &id), 0);
    json_decref(d);
    if (validate) {
        struct app_ctx k = as(w, &w->coord, now);
        char msg[256];
        assert_int_equal(app_request_transition(&k, id, "triaged", NULL, NULL, msg, sizeof msg), 0);
        assert_int_equal(app_request_transition(&k, id, "validated", NULL, NULL, msg, sizeof msg),
                         0);
    }
    return id;
}

static json_t *slot0(json_t *props)
{
    return json_array_get(json_object_get(props, "slots"), 0);
}

static void test_proposals_follow_the_map(void **state)
{
    struct world *w = *state;
    int64_t id = fil(w, 6, true, NOW);
    struct app_ctx c = as(w, &w->coord, NOW);
    json_t *p = NULL;
    char msg[256] = "";
    assert_int_equal(app_request_proposals(&c, id, 10, &p, msg, sizeof msg), 0);
    json_t *s = slot0(p);
    assert_string_equal(json_string_value(json_object_get(s, "slot")), "any");
    /* Durand holds inclusion, validated; Martin declared geometry only; Bernard was refused. */
    json_t *items = json_object_get(s, "items");
    assert_int_equal(json_array_size(items), 1);
    json_t *it = json_array_get(items, 0);
    assert_int_equal(json_integer_value(json_object_get(it, "trainer_id")), w->f.t_durand);
    json_t *facts = json_object_get(it, "facts");
    assert_int_equal(json_integer_value(json_object_get(facts, "level")), 3);
    assert_int_equal(json_integer_value(json_object_get(facts, "quota_left")), 50);
    assert_string_equal(json_string_value(json_object_get(facts, "weekdays")),
                        "lundi, mardi, jeudi");
    json_decref(p);

    /* The inspector validates inclusion for Martin: the next proposal has him. */
    assert_int_equal(store_trainer_competence_set(w->f.st, w->f.t_martin, w->f.c_inclusion, 4,
                                                  COMPETENCE_VALIDATED, "", 0, NOW, NOW),
                     0);
    assert_int_equal(store_trainer_reindex(w->f.st, w->f.t_martin), 0);
    assert_int_equal(app_request_proposals(&c, id, 10, &p, msg, sizeof msg), 0);
    items = json_object_get(slot0(p), "items");
    assert_int_equal(json_array_size(items), 2);
    json_decref(p);

    /* Only the roles that see every request ask; the requester does not. */
    struct app_ctx r = as(w, &w->chef, NOW);
    assert_int_equal(app_request_proposals(&r, id, 10, &p, msg, sizeof msg), ERR_NOTFOUND);
}

static void test_assignment_counts_hours(void **state)
{
    struct world *w = *state;
    int64_t id = fil(w, 6, true, NOW);
    struct app_ctx c = as(w, &w->coord, NOW);
    char msg[256] = "";
    struct assign_choice ch = {w->f.t_durand, "any"};
    assert_int_equal(app_request_assign(&c, id, &ch, 1, msg, sizeof msg), 0);
    json_t *r = NULL;
    assert_int_equal(app_request_get(&c, id, &r), 0);
    assert_string_equal(json_string_value(json_object_get(r, "state")), "assigned");
    json_decref(r);
    /* 45 hours more: Durand has 44 left of 50, and is set aside for quota. */
    int64_t big = fil(w, 45, true, NOW);
    json_t *p = NULL;
    assert_int_equal(app_request_proposals(&c, big, 10, &p, msg, sizeof msg), 0);
    json_t *stats = json_object_get(slot0(p), "stats");
    assert_int_equal(json_integer_value(json_object_get(stats, "quota")), 1);
    assert_int_equal(json_array_size(json_object_get(slot0(p), "items")), 0);
    json_decref(p);
    ch.trainer_id = w->f.t_durand;
    assert_int_equal(app_request_assign(&c, big, &ch, 1, msg, sizeof msg), ERR_CONFLICT);
    assert_non_null(strstr(msg, "n’a plus assez d’heures sur son quota"));
    /* The first action is cancelled: its hours leave Durand's quota, who fits again. */
    assert_int_equal(app_request_transition(&c, id, "cancelled", "Annulée faute de remplaçants.",
                                            NULL, msg, sizeof msg),
                     0);
    assert_int_equal(app_request_proposals(&c, big, 10, &p, msg, sizeof msg), 0);
    assert_int_equal(json_array_size(json_object_get(slot0(p), "items")), 1);
    json_decref(p);
    assert_int_equal(app_request_assign(&c, big, &ch, 1, msg, sizeof msg), 0);
}

static int64_t unread(struct world *w, const struct user *u, int64_t now, const char *kind)
{
    struct app_ctx c = as(w, u, now);
    json_t *box = NULL;
    assert_int_equal(app_inbox(&c, &box), 0);
    int64_t n = 0;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(box, "items"), i, x)
    {
        n += strcmp(json_string_value(json_object_get(x, "kind")), kind) == 0;
    }
    json_decref(box);
    return n;
}

static void test_inbox_and_deadlines(void **state)
{
    struct world *w = *state;
    fil(w, 6, false, NOW); /* submitted: the coordination has it to triage */
    assert_int_equal(unread(w, &w->coord, NOW, "request.triage"), 1);
    assert_int_equal(unread(w, &w->coord, NOW, "deadline.near"), 0);
    /* 29 days later the 35-day deadline is within a week: announced once */
    assert_int_equal(unread(w, &w->coord, NOW + 29 * DAY, "deadline.near"), 1);
    assert_int_equal(unread(w, &w->coord, NOW + 30 * DAY, "deadline.near"), 1);
    assert_int_equal(unread(w, &w->coord, NOW + 40 * DAY, "deadline.near"), 1);
    struct app_ctx c = as(w, &w->coord, NOW + 40 * DAY);
    assert_int_equal(app_inbox_read(&c, 0), 0);
    json_t *box = NULL;
    assert_int_equal(app_inbox(&c, &box), 0);
    assert_int_equal(json_integer_value(json_object_get(box, "unread")), 0);
    json_decref(box);
}

int main(void)
{
    (void)fixture_setup; /* this suite builds its own world on the fixture */
    (void)fixture_teardown;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_proposals_follow_the_map, setup, teardown),
        cmocka_unit_test_setup_teardown(test_assignment_counts_hours, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inbox_and_deadlines, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
