/*
 * Unit tests of app/placement (issue 4; seed 004 §3 d): the wishes window and its rules, a run
 * of each method stored with its instance and replayed identically, explanations, manual
 * adjustments and their warnings (capacity, blocking pairs), publication and what the student,
 * the tutor and the head of establishment then see, letters and exports, roles and audit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "app/placement.h"
#include "core/err.h"
#include "fixture.h"

#define NOW 1790000000 /* 2026-09-21 */

struct world {
    struct fixture f;
    struct user office, student_a, student_b, tutor, chef, trainer;
    int64_t period, p_big, p_small, p_lettres, s_a, s_b, s_c;
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

static struct app_ctx ctx_of(struct world *w, const struct user *u)
{
    struct app_ctx c = {w->f.st, u, "127.0.0.1", NOW};
    return c;
}

static int64_t place(struct world *w, const char *code, const char *uai, int cap,
                     const char *degree, const char *disc, const char *tutor)
{
    struct internship_place p = {0};
    p.period_id = w->period;
    snprintf(p.code, sizeof p.code, "%s", code);
    snprintf(p.establishment_uai, sizeof p.establishment_uai, "%s", uai);
    snprintf(p.class_level, sizeof p.class_level, "CM1");
    snprintf(p.tutor_name, sizeof p.tutor_name, "Mme Tutrice");
    snprintf(p.tutor_login, sizeof p.tutor_login, "%s", tutor);
    p.capacity = cap;
    snprintf(p.degree, sizeof p.degree, "%s", degree);
    snprintf(p.discipline, sizeof p.discipline, "%s", disc);
    snprintf(p.site, sizeof p.site, "rhone");
    struct app_ctx c = ctx_of(w, &w->office);
    struct field_errors errs = {0};
    int64_t id = 0;
    assert_int_equal(app_place_add(&c, &p, &errs, &id), 0);
    return id;
}

static int64_t student(struct world *w, const char *code, const char *login, int priority)
{
    struct internship_student s = {0};
    s.period_id = w->period;
    snprintf(s.code, sizeof s.code, "%s", code);
    snprintf(s.login, sizeof s.login, "%s", login);
    snprintf(s.last_name, sizeof s.last_name, "Nom%s", code);
    snprintf(s.first_name, sizeof s.first_name, "Prénom");
    snprintf(s.degree, sizeof s.degree, "1D");
    snprintf(s.discipline, sizeof s.discipline, "polyvalent");
    snprintf(s.site, sizeof s.site, "rhone");
    s.priority = priority;
    struct app_ctx c = ctx_of(w, &w->office);
    struct field_errors errs = {0};
    int64_t id = 0;
    assert_int_equal(app_istudent_add(&c, &s, &errs, &id), 0);
    return id;
}

static int setup(void **state)
{
    struct world *w = calloc(1, sizeof *w);
    fixture_open(&w->f);
    struct store *st = w->f.st;
    assert_int_equal(store_circonscription_add(st, "C1", "Lyon 1", "69"), 0);
    assert_int_equal(
        store_establishment_add(st, "0690001A", "École Jean Moulin", "ecole", "Lyon", "69", "C1"),
        0);
    assert_int_equal(
        store_establishment_add(st, "0690002B", "Collège Ampère", "college", "Lyon", "69", "C1"),
        0);
    add_user(st, &w->office, "bureau", ROLE_PLACEMENT_OFFICE, SCOPE_NONE, "");
    add_user(st, &w->student_a, "etu.a", ROLE_STUDENT, SCOPE_SELF, "");
    add_user(st, &w->student_b, "etu.b", ROLE_STUDENT, SCOPE_SELF, "");
    add_user(st, &w->tutor, "tuteur", ROLE_TRAINER, SCOPE_SELF, "");
    add_user(st, &w->chef, "chef", ROLE_REQUESTER, SCOPE_ESTABLISHMENT, "0690001A");
    add_user(st, &w->trainer, "autre", ROLE_TRAINER, SCOPE_SELF, "");

    struct internship_period p = {0};
    snprintf(p.code, sizeof p.code, "2026-m2");
    snprintf(p.label, sizeof p.label, "M2 MEEF — stage filé");
    snprintf(p.cohort, sizeof p.cohort, "M2");
    snprintf(p.kind, sizeof p.kind, "file");
    snprintf(p.starts_on, sizeof p.starts_on, "2026-09-01");
    snprintf(p.ends_on, sizeof p.ends_on, "2027-05-31");
    p.wishes_open_at = NOW - 86400;
    p.wishes_close_at = NOW + 86400;
    p.max_wishes = 3;
    struct app_ctx c = ctx_of(w, &w->office);
    struct field_errors errs = {0};
    assert_int_equal(app_period_create(&c, &p, &errs, &w->period), 0);

    w->p_big = place(w, "BIG", "0690001A", 1, "1D", "polyvalent", "tuteur");
    w->p_small = place(w, "SMALL", "0690001A", 1, "1D", "polyvalent", "");
    w->p_lettres = place(w, "LET", "0690002B", 2, "2D", "lettres", "");
    w->s_a = student(w, "A", "etu.a", 2);
    w->s_b = student(w, "B", "etu.b", 1);
    w->s_c = student(w, "C", "", 0);
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

static int set_wishes(struct world *w, const struct user *u, int64_t sid, const int64_t *ids, int n,
                      struct field_errors *errs, char *msg)
{
    struct app_ctx c = ctx_of(w, u);
    return app_wishes_set(&c, sid, ids, n, errs, msg, 256);
}

static void test_period_rules(void **state)
{
    struct world *w = *state;
    struct internship_period p = {0};
    struct field_errors errs = {0};
    struct app_ctx c = ctx_of(w, &w->office);
    int64_t id;
    assert_int_equal(app_period_create(&c, &p, &errs, &id), ERR_INVAL);
    assert_true(errs.count >= 5);
    struct app_ctx s = ctx_of(w, &w->student_a);
    assert_int_equal(app_period_create(&s, &p, &errs, &id), ERR_DENIED);
    json_t *list = NULL;
    assert_int_equal(app_period_list(&s, &list), ERR_DENIED);
    /* a place of an unknown establishment, or with a capacity out of range */
    struct internship_place pl = {0};
    pl.period_id = w->period;
    snprintf(pl.code, sizeof pl.code, "X");
    snprintf(pl.establishment_uai, sizeof pl.establishment_uai, "0699999Z");
    snprintf(pl.class_level, sizeof pl.class_level, "CP");
    snprintf(pl.tutor_name, sizeof pl.tutor_name, "T");
    snprintf(pl.degree, sizeof pl.degree, "1D");
    snprintf(pl.discipline, sizeof pl.discipline, "polyvalent");
    snprintf(pl.site, sizeof pl.site, "rhone");
    memset(&errs, 0, sizeof errs);
    assert_int_equal(app_place_add(&c, &pl, &errs, &id), ERR_INVAL);
    assert_string_equal(errs.items[0].field, "establishment");
    pl.capacity = 51;
    memset(&errs, 0, sizeof errs);
    assert_int_equal(app_place_add(&c, &pl, &errs, &id), ERR_INVAL);
    assert_string_equal(errs.items[0].field, "capacity");
}

static void test_wishes_window_and_rules(void **state)
{
    struct world *w = *state;
    struct field_errors errs = {0};
    char msg[256] = "";
    int64_t ok[] = {w->p_big, 0, w->p_small};
    /* the student's own page: only compatible places are offered */
    struct app_ctx ca = ctx_of(w, &w->student_a);
    json_t *page = NULL;
    assert_int_equal(app_wishes_get(&ca, 0, &page), 0);
    assert_int_equal(json_array_size(json_object_get(page, "places")), 2);
    assert_true(json_is_true(json_object_get(page, "can_edit")));
    json_decref(page);

    assert_int_equal(set_wishes(w, &w->student_a, w->s_a, ok, 3, &errs, msg), 0);
    /* another student's wishes: refused */
    assert_int_equal(set_wishes(w, &w->student_b, w->s_a, ok, 3, &errs, msg), ERR_DENIED);
    /* incompatible, duplicated, too many */
    int64_t bad[] = {w->p_lettres, w->p_big, w->p_big};
    assert_int_equal(set_wishes(w, &w->student_b, w->s_b, bad, 3, &errs, msg), ERR_INVAL);
    assert_true(errs.count >= 2);
    assert_non_null(strstr(errs.items[0].message, "n'est pas un lieu de votre degré"));
    memset(&errs, 0, sizeof errs);
    int64_t four[] = {w->p_big, w->p_small, w->p_lettres, w->p_big};
    assert_int_equal(set_wishes(w, &w->student_b, w->s_b, four, 4, &errs, msg), ERR_INVAL);
    memset(&errs, 0, sizeof errs);
    int64_t b[] = {w->p_big, w->p_small};
    assert_int_equal(set_wishes(w, &w->student_b, w->s_b, b, 2, &errs, msg), 0);
    int64_t c[] = {w->p_big};
    assert_int_equal(set_wishes(w, &w->office, w->s_c, c, 1, &errs, msg), 0);

    /* the window closes: the student can no longer change them, the bureau still can */
    struct app_ctx co = ctx_of(w, &w->office);
    assert_int_equal(app_period_set_window(&co, w->period, NOW - 7200, NOW - 3600, &errs), 0);
    assert_int_equal(set_wishes(w, &w->student_b, w->s_b, b, 2, &errs, msg), ERR_CONFLICT);
    assert_string_equal(msg, "La saisie des vœux est close.");
    assert_int_equal(set_wishes(w, &w->office, w->s_b, b, 2, &errs, msg), 0);

    json_t *audit = NULL;
    assert_int_equal(
        store_audit_list(w->f.st, "internship_student", w->s_b, 10, 0, &audit, &(int64_t){0}), 0);
    assert_true(json_array_size(audit) >= 2);
    json_decref(audit);
}

static void test_run_replay_adjust_publish(void **state)
{
    struct world *w = *state;
    struct field_errors errs = {0};
    char msg[256] = "";
    struct app_ctx co = ctx_of(w, &w->office);
    /* Wishes: A [BIG, SMALL], B [BIG, SMALL], C [BIG]. A has the highest priority. */
    int64_t a[] = {w->p_big, w->p_small}, c[] = {w->p_big};
    assert_int_equal(set_wishes(w, &w->office, w->s_a, a, 2, &errs, msg), 0);
    assert_int_equal(set_wishes(w, &w->office, w->s_b, a, 2, &errs, msg), 0);
    assert_int_equal(set_wishes(w, &w->office, w->s_c, c, 1, &errs, msg), 0);

    int64_t stable = 0, optimal = 0;
    assert_int_equal(app_run_start(&co, w->period, "best", "x", &errs, &stable), ERR_INVAL);
    assert_int_equal(errs.count, 2);
    memset(&errs, 0, sizeof errs);
    assert_int_equal(app_run_start(&co, w->period, "stable", "", &errs, &stable), 0);
    assert_int_equal(app_run_start(&co, w->period, "optimal", "42", &errs, &optimal), 0);
    struct app_ctx cs = ctx_of(w, &w->student_a);
    assert_int_equal(app_run_start(&cs, w->period, "stable", "", &errs, &stable), ERR_DENIED);

    json_t *run = NULL;
    assert_int_equal(app_run_get(&co, stable, &run), 0);
    assert_int_equal(json_integer_value(json_object_get(run, "placed")), 2); /* A BIG, B SMALL */
    assert_int_equal(json_integer_value(json_object_get(run, "unassigned")), 1);
    json_decref(run);
    assert_int_equal(app_run_get(&co, optimal, &run), 0);
    /* two seats for three students: two placed either way, and the same rank sum (3) */
    assert_int_equal(json_integer_value(json_object_get(run, "placed")), 2);
    assert_int_equal(json_integer_value(json_object_get(run, "rank_sum")), 3);
    json_decref(run);
    bool same = false;
    int64_t diffs = -1;
    assert_int_equal(app_run_replay(&co, stable, &same, &diffs), 0);
    assert_true(same);
    assert_int_equal(app_run_replay(&co, optimal, &same, &diffs), 0);
    assert_true(same);

    /* C's explanation under stable: BIG full with a higher priority */
    json_t *view = NULL;
    assert_int_equal(app_run_student(&co, stable, w->s_c, &view), 0);
    json_t *ex = json_object_get(view, "explanations");
    assert_int_equal(json_array_size(ex), 1);
    assert_non_null(strstr(json_string_value(json_object_get(json_array_get(ex, 0), "text")),
                           "ce lieu était complet"));
    json_decref(view);

    /* Moving C into BIG (held by A) breaks its capacity and creates blocking pairs: a warning
     * first, nothing written; then confirmed. */
    json_t *warnings = NULL;
    struct adjustment adj = {"move", w->s_c, w->p_big, 0, false};
    memset(&errs, 0, sizeof errs);
    assert_int_equal(app_run_adjust(&co, stable, &adj, &warnings, &errs, msg, sizeof msg),
                     ERR_CONFLICT);
    assert_true(json_array_size(warnings) >= 1);
    assert_non_null(strstr(json_string_value(json_array_get(warnings, 0)), "capacité"));
    json_decref(warnings);
    assert_int_equal(app_run_get(&co, stable, &run), 0);
    assert_int_equal(json_integer_value(json_object_get(run, "adjusted")), 0);
    json_decref(run);
    adj.confirm = true;
    assert_int_equal(app_run_adjust(&co, stable, &adj, &warnings, &errs, msg, sizeof msg), 0);
    /* Then A is unassigned (no warning needed: C keeps BIG) and B and C swap. */
    struct adjustment un = {"unassign", w->s_a, 0, 0, true};
    assert_int_equal(app_run_adjust(&co, stable, &un, &warnings, &errs, msg, sizeof msg), 0);
    struct adjustment sw = {"swap", w->s_b, 0, w->s_c, true};
    assert_int_equal(app_run_adjust(&co, stable, &sw, &warnings, &errs, msg, sizeof msg), 0);
    json_t *page = NULL;
    assert_int_equal(app_run_assignments(&co, stable, false, 1, 50, &page), 0);
    json_t *items = json_object_get(page, "items");
    assert_int_equal(json_array_size(items), 3);
    /* in name order: NomA, NomB, NomC */
    assert_true(json_is_null(json_object_get(json_array_get(items, 0), "place_id")));
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 1), "place_code")),
                        "BIG");
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 2), "place_code")),
                        "SMALL");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 2), "rank")), 0);
    json_decref(page);
    /* the replay still gives the engine's own result */
    assert_int_equal(app_run_replay(&co, stable, &same, &diffs), 0);
    assert_true(same);
    /* a move to an incompatible place is refused */
    struct adjustment bad = {"move", w->s_a, w->p_lettres, 0, true};
    memset(&errs, 0, sizeof errs);
    assert_int_equal(app_run_adjust(&co, stable, &bad, &warnings, &errs, msg, sizeof msg),
                     ERR_INVAL);

    /* Before publication: the student sees no placement, the tutor no trainee. */
    struct app_ctx ct = ctx_of(w, &w->tutor), cc = ctx_of(w, &w->chef);
    json_t *list = NULL;
    assert_int_equal(app_my_trainees(&ct, &list), 0);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
    json_t *letter = NULL;
    struct app_ctx cb = ctx_of(w, &w->student_b);
    assert_int_equal(app_placement_letter(&cb, stable, w->s_b, &letter), ERR_DENIED);

    assert_int_equal(app_run_publish(&co, stable, msg, sizeof msg), 0);
    assert_int_equal(app_run_publish(&co, stable, msg, sizeof msg), ERR_CONFLICT);
    assert_int_equal(app_run_adjust(&co, stable, &un, &warnings, &errs, msg, sizeof msg),
                     ERR_CONFLICT);
    memset(&errs, 0, sizeof errs);
    assert_int_equal(set_wishes(w, &w->office, w->s_b, a, 2, &errs, msg), ERR_CONFLICT);

    /* After: B sees BIG and why not... B got their first wish; A sees no place and two
     * explanations without other students' names. */
    assert_int_equal(app_my_placements(&cb, &list), 0);
    assert_int_equal(json_array_size(list), 1);
    json_t *mine = json_array_get(list, 0);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(mine, "assignment"), "place_code")),
        "BIG");
    json_decref(list);
    struct app_ctx ca = ctx_of(w, &w->student_a);
    assert_int_equal(app_my_placements(&ca, &list), 0);
    mine = json_array_get(list, 0);
    assert_true(json_is_null(json_object_get(json_object_get(mine, "assignment"), "place_id")));
    json_decref(list);
    assert_int_equal(app_placement_letter(&cb, stable, w->s_b, &letter), 0);
    json_decref(letter);
    assert_int_equal(app_placement_letter(&cb, stable, w->s_c, &letter), ERR_DENIED);
    /* the tutor of BIG and the head of its establishment see B */
    assert_int_equal(app_my_trainees(&ct, &list), 0);
    assert_int_equal(json_array_size(list), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "last_name")),
                        "NomB");
    json_decref(list);
    assert_int_equal(app_my_trainees(&cc, &list), 0);
    assert_int_equal(json_array_size(list), 2); /* BIG and SMALL are both at 0690001A */
    json_decref(list);
    struct app_ctx other = ctx_of(w, &w->trainer);
    assert_int_equal(app_my_trainees(&other, &list), 0);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);

    /* exports */
    struct buf out;
    buf_init(&out, 0);
    assert_int_equal(app_run_export(&co, stable, false, &out), 0);
    assert_memory_equal(out.data, "\xEF\xBB\xBFNuméro étudiant;Nom;", 24);
    assert_non_null(strstr(out.data, "\r\nB;NomB;Prénom;;1D;Polyvalent (1er degré);Rhône;1;BIG;"));
    buf_reset(&out);
    assert_int_equal(app_run_export(&co, stable, true, &out), 0);
    assert_memory_equal(out.data, "PK\x03\x04", 4);
    buf_free(&out);
    assert_int_equal(app_run_export(&cb, stable, false, &out), ERR_DENIED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_period_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wishes_window_and_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_replay_adjust_publish, setup, teardown),
    };
    (void)fixture_setup; /* this suite builds its own world on the fixture */
    (void)fixture_teardown;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
