/*
 * Unit tests of engine/placement and engine/placement_json (issue 4; seed 004 §3 d, "bureau des
 * stages"): hand-checked instances, including the classic ones where deferred acceptance and
 * the rank-optimal assignment differ; thousands of random small instances checked for
 * feasibility, zero blocking pairs and equality with serial dictatorship (stable: with one
 * ranking shared by every place, the stable assignment is unique), and optimality against a
 * brute-force enumeration (optimal) and its explanations against the same enumeration; medium
 * random instances checked against the linear programme solved by GLPK; and the exact input
 * rules of the JSON contract.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <glpk.h>

#include "core/buf.h"
#include "core/err.h"
#include "engine/placement.h"
#include "engine/placement_json.h"

/* ---- Helpers ----------------------------------------------------------------------------- */

static struct pl_instance *parse_ok(const char *json)
{
    struct buf err;
    buf_init(&err, 0);
    struct pl_instance *in = NULL;
    int rc = pl_json_parse(json, strlen(json), &in, &err);
    if (rc != 0)
        fprintf(stderr, "unexpected errors:\n%s", err.data);
    assert_int_equal(rc, 0);
    assert_non_null(in);
    buf_free(&err);
    return in;
}

/* Parses json that must be refused; returns the messages (caller frees). */
static char *parse_bad(const char *json, size_t len)
{
    struct buf err;
    buf_init(&err, 0);
    struct pl_instance *in = NULL;
    assert_int_equal(pl_json_parse(json, len, &in, &err), ERR_INVAL);
    assert_null(in);
    assert_true(err.len > 0);
    return buf_steal(&err);
}

static struct pl_result *solve(const struct pl_instance *in, enum pl_method m)
{
    struct pl_options opt = {m, false, 0};
    struct pl_result *r = NULL;
    assert_int_equal(pl_solve(in, &opt, &r), 0);
    assert_non_null(r);
    return r;
}

static const char *place_of(const struct pl_instance *in, const struct pl_result *r,
                            const char *student)
{
    for (size_t s = 0; s < in->n_students; s++)
        if (strcmp(in->students[s].id, student) == 0)
            return r->place[s] == PL_NONE ? "-" : in->places[r->place[s]].id;
    fail_msg("no student %s", student);
    return NULL;
}

#define P1D(id, cap)                                                                               \
    "{\"id\":\"" id "\",\"capacity\":" #cap                                                        \
    ",\"degree\":\"1D\",\"site\":\"Ain\",\"discipline\":\"polyvalent\"}"
#define S1D(id, prio, wishes)                                                                      \
    "{\"id\":\"" id "\",\"degree\":\"1D\",\"site\":\"Ain\",\"discipline\":\"polyvalent\","         \
    "\"priority\":" #prio ",\"wishes\":[" wishes "]}"

/* ---- Hand-checked instances -------------------------------------------------------------- */

/*
 * The classic case where the two methods disagree on how many are placed: A has the higher
 * priority and takes P1 under deferred acceptance, so B, who wished only P1, is left out;
 * the optimal assignment sends A to their second wish and places both.
 */
static void test_stable_vs_optimal_placed(void **state)
{
    (void)state;
    struct pl_instance *in = parse_ok("{\"places\":[" P1D("P1", 1) "," P1D(
        "P2", 1) "],"
                 "\"students\":[" S1D("A", 2, "\"P1\",\"P2\"") "," S1D("B", 1, "\"P1\"") "]}");
    struct pl_result *st = solve(in, PL_STABLE), *op = solve(in, PL_OPTIMAL);
    assert_string_equal(place_of(in, st, "A"), "P1");
    assert_string_equal(place_of(in, st, "B"), "-");
    assert_int_equal(st->placed, 1);
    assert_string_equal(place_of(in, op, "A"), "P2");
    assert_string_equal(place_of(in, op, "B"), "P1");
    assert_int_equal(op->placed, 2);
    assert_int_equal(op->rank_sum, 3);
    /* B's explanation under stable: P1 was full with a priority-2 student. */
    struct pl_options opt = {PL_STABLE, false, 0};
    struct pl_explainer *ex = pl_explainer_new(in, &opt, st);
    struct pl_why why[4];
    assert_int_equal(pl_explain(ex, 1, why, 4), 1);
    assert_int_equal(why[0].kind, PL_WHY_FULL);
    assert_int_equal(why[0].cutoff_priority, 2);
    assert_false(why[0].tie);
    pl_explainer_free(ex);
    /* A's explanation under optimal: taking P1 would leave B out (one fewer placed). */
    opt.method = PL_OPTIMAL;
    ex = pl_explainer_new(in, &opt, op);
    assert_int_equal(pl_explain(ex, 0, why, 4), 1);
    assert_int_equal(why[0].kind, PL_WHY_TRADE);
    assert_int_equal(why[0].delta_placed, -1);
    assert_int_equal(why[0].displaced, 1);
    assert_int_equal(why[0].displaced_from_rank, 1);
    assert_int_equal(why[0].displaced_to_rank, 0);
    pl_explainer_free(ex);
    pl_result_free(st);
    pl_result_free(op);
    pl_instance_free(in);
}

/*
 * Same number placed, different sums of ranks. Priorities A > B > C. Deferred acceptance
 * (here: serial dictatorship) gives A P2 (rank 1), B P3 (rank 2), C P1 (rank 2): sum 5. The
 * optimum gives A P1 (2), B P2 (1), C P3 (1): sum 4.
 */
static void test_stable_vs_optimal_ranks(void **state)
{
    (void)state;
    struct pl_instance *in = parse_ok(
        "{\"students\":[" S1D("A", 3, "\"P2\",\"P1\"") "," S1D("B", 2, "\"P2\",\"P3\"") "," S1D(
            "C", 1,
            "\"P3\",\"P1\"") "],\"places\":[" P1D("P1", 1) "," P1D("P2", 1) "," P1D("P3", 1) "]}");
    struct pl_result *st = solve(in, PL_STABLE), *op = solve(in, PL_OPTIMAL);
    assert_string_equal(place_of(in, st, "A"), "P2");
    assert_string_equal(place_of(in, st, "B"), "P3");
    assert_string_equal(place_of(in, st, "C"), "P1");
    assert_int_equal(st->rank_sum, 5);
    assert_int_equal(st->rank_profile[0], 1);
    assert_int_equal(st->rank_profile[1], 2);
    assert_string_equal(place_of(in, op, "A"), "P1");
    assert_string_equal(place_of(in, op, "B"), "P2");
    assert_string_equal(place_of(in, op, "C"), "P3");
    assert_int_equal(op->rank_sum, 4);
    struct pl_options opt = {PL_STABLE, false, 0};
    assert_int_equal(pl_blocking_pairs(in, &opt, st->place, NULL), 0);
    uint32_t pair[2];
    assert_int_equal(pl_blocking_pairs(in, &opt, op->place, pair), 1); /* A envies B's P2 */
    assert_int_equal(pair[0], 0);
    assert_int_equal(pair[1], 1);
    /* A's explanation under optimal: P2 back to A sends B to rank 2, C to rank 2: +1. */
    opt.method = PL_OPTIMAL;
    struct pl_explainer *ex = pl_explainer_new(in, &opt, op);
    struct pl_why why[2];
    assert_int_equal(pl_explain(ex, 0, why, 2), 1);
    assert_int_equal(why[0].kind, PL_WHY_TRADE);
    assert_int_equal(why[0].delta_placed, 0);
    assert_int_equal(why[0].delta_rank_sum, 1);
    assert_int_equal(why[0].displaced, 1);
    assert_int_equal(why[0].displaced_from_rank, 1);
    assert_int_equal(why[0].displaced_to_rank, 2);
    pl_explainer_free(ex);
    pl_result_free(st);
    pl_result_free(op);
    pl_instance_free(in);
}

/* Capacities above one, capacity 0, a student without wishes, and ties broken by id bytes. */
static void test_capacities_and_ties(void **state)
{
    (void)state;
    struct pl_instance *in =
        parse_ok("{\"places\":[" P1D("P1", 2) "," P1D("P0", 0) "],\"students\":[" S1D(
            "S9", 1, "\"P0\",\"P1\"") "," S1D("S10", 1,
                                              "\"P1\"") "," S1D("S1", 1,
                                                                "\"P1\"") "," S1D("X", 0, "") "]}");
    struct pl_result *st = solve(in, PL_STABLE);
    /* Equal priorities: "S1" < "S10" < "S9" in byte order, so S9 loses. */
    assert_string_equal(place_of(in, st, "S1"), "P1");
    assert_string_equal(place_of(in, st, "S10"), "P1");
    assert_string_equal(place_of(in, st, "S9"), "-");
    assert_string_equal(place_of(in, st, "X"), "-");
    struct pl_options opt = {PL_STABLE, false, 0};
    struct pl_explainer *ex = pl_explainer_new(in, &opt, st);
    struct pl_why why[2];
    assert_int_equal(pl_explain(ex, 0, why, 2), 2);
    assert_int_equal(why[0].kind, PL_WHY_NO_CAPACITY);
    assert_int_equal(why[1].kind, PL_WHY_FULL);
    assert_int_equal(why[1].cutoff_priority, 1);
    assert_true(why[1].tie);
    assert_int_equal(pl_explain(ex, 3, why, 2), 0);
    pl_explainer_free(ex);
    struct pl_result *op = solve(in, PL_OPTIMAL);
    assert_int_equal(op->placed, 2);
    assert_int_equal(pl_check_feasible(in, op->place), 0);
    pl_result_free(op);
    pl_result_free(st);
    pl_instance_free(in);
}

/* The lottery: same seed, same draw; the draw depends on the ids, not on the input order. */
static void test_lottery(void **state)
{
    (void)state;
    char json[8192];
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, "{\"places\":[" P1D("P", 5) "],\"students\":[");
    for (int i = 0; i < 40; i++)
        buf_printf(&b,
                   "%s{\"id\":\"S%02d\",\"degree\":\"1D\",\"site\":\"Ain\",\"discipline\":"
                   "\"polyvalent\",\"priority\":0,\"wishes\":[\"P\"]}",
                   i ? "," : "", i);
    buf_puts(&b, "]}");
    assert_true(b.len < sizeof json);
    struct pl_instance *in = parse_ok(b.data);
    struct pl_options opt = {PL_STABLE, true, 42};
    struct pl_result *r1 = NULL, *r2 = NULL, *r3 = NULL;
    assert_int_equal(pl_solve(in, &opt, &r1), 0);
    assert_int_equal(pl_solve(in, &opt, &r2), 0);
    opt.seed = 43;
    assert_int_equal(pl_solve(in, &opt, &r3), 0);
    assert_memory_equal(r1->place, r2->place, 40 * sizeof(uint32_t));
    assert_int_equal(r1->placed, 5);
    /* Without the lottery the five smallest ids win; with it, (almost surely) not. */
    bool same_as_ids = true, same_seeds = true;
    for (int s = 0; s < 40; s++) {
        if ((r1->place[s] != PL_NONE) != (s < 5))
            same_as_ids = false;
        if (r1->place[s] != r3->place[s])
            same_seeds = false;
    }
    assert_false(same_as_ids);
    assert_false(same_seeds);
    /* Reversed input order: the same students win under the same seed. */
    struct buf rev;
    buf_init(&rev, 0);
    buf_puts(&rev, "{\"places\":[" P1D("P", 5) "],\"students\":[");
    for (int i = 39; i >= 0; i--)
        buf_printf(&rev,
                   "%s{\"id\":\"S%02d\",\"degree\":\"1D\",\"site\":\"Ain\",\"discipline\":"
                   "\"polyvalent\",\"priority\":0,\"wishes\":[\"P\"]}",
                   i != 39 ? "," : "", i);
    buf_puts(&rev, "]}");
    struct pl_instance *in2 = parse_ok(rev.data);
    struct pl_result *r4 = NULL;
    opt.seed = 42;
    assert_int_equal(pl_solve(in2, &opt, &r4), 0);
    for (int s = 0; s < 40; s++)
        assert_int_equal(r1->place[s] != PL_NONE, r4->place[39 - s] != PL_NONE);
    pl_result_free(r1);
    pl_result_free(r2);
    pl_result_free(r3);
    pl_result_free(r4);
    pl_instance_free(in);
    pl_instance_free(in2);
    buf_free(&b);
    buf_free(&rev);
}

/* ---- Random instances -------------------------------------------------------------------- */

static uint64_t rng = 0x243f6a8885a308d3u;

static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

/* A random instance built through the API: two disciplines, both degrees. */
static struct pl_instance *random_instance(uint32_t n_students, uint32_t n_places,
                                           uint32_t max_wishes, uint32_t max_cap, uint32_t max_prio)
{
    struct pl_instance *in = pl_instance_new();
    assert_non_null(in);
    static const char *const disc[] = {"polyvalent", "lettres"};
    for (uint32_t p = 0; p < n_places; p++) {
        char id[16];
        snprintf(id, sizeof id, "P%u", p);
        uint32_t g = p % 3; /* group: 1D polyvalent, 2D lettres, 2D polyvalent */
        assert_int_equal(pl_place_add(in, id, strlen(id), (int32_t)rnd(max_cap + 1),
                                      g == 0 ? PL_1D : PL_2D, "Ain", 3, disc[g == 1],
                                      strlen(disc[g == 1])),
                         0);
    }
    uint32_t *wishes = malloc((n_places + 1) * sizeof *wishes);
    for (uint32_t s = 0; s < n_students; s++) {
        char id[16];
        snprintf(id, sizeof id, "S%u-%u", rnd(100), s); /* unique, not in input order */
        uint32_t g = rnd(3);
        uint32_t n = 0, want = rnd(max_wishes + 1);
        for (uint32_t tries = 0; tries < 4 * n_places && n < want; tries++) {
            uint32_t p = rnd(n_places);
            bool dup = false;
            for (uint32_t k = 0; k < n; k++)
                dup |= wishes[k] == p;
            if (p % 3 == g && !dup)
                wishes[n++] = p;
        }
        assert_int_equal(pl_student_add(in, id, strlen(id), (int32_t)rnd(max_prio + 1),
                                        g == 0 ? PL_1D : PL_2D, "Ain", 3, disc[g == 1],
                                        strlen(disc[g == 1]), wishes, n),
                         0);
    }
    free(wishes);
    return in;
}

/* Serial dictatorship in the places' shared order: the unique stable assignment. */
static void serial_dictatorship(const struct pl_instance *in, const struct pl_options *opt,
                                uint32_t *place)
{
    size_t n = in->n_students;
    uint32_t *order = malloc((n + 1) * sizeof *order);
    uint32_t *load = calloc(in->n_places + 1, sizeof *load);
    for (size_t i = 0; i < n; i++)
        order[i] = (uint32_t)i;
    for (size_t i = 1; i < n; i++) /* insertion sort by pl_student_cmp: small n */
        for (size_t j = i; j > 0 && pl_student_cmp(in, opt, order[j], order[j - 1]) < 0; j--) {
            uint32_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (size_t i = 0; i < n; i++) {
        const struct pl_student *st = &in->students[order[i]];
        place[order[i]] = PL_NONE;
        for (uint32_t k = 0; k < st->wish_count; k++) {
            uint32_t p = in->wishes[st->wish_start + k];
            if (load[p] < (uint32_t)in->places[p].capacity) {
                load[p]++;
                place[order[i]] = p;
                break;
            }
        }
    }
    free(order);
    free(load);
}

struct best {
    int64_t placed, rank_sum;
};

/* Exhaustive search: the best (placed, rank_sum) with student `force` in place `forced`
 * (PL_NONE: no constraint). */
static void brute(const struct pl_instance *in, uint32_t s, uint32_t *load, int64_t placed,
                  int64_t sum, uint32_t force, uint32_t forced, struct best *b)
{
    if (s == in->n_students) {
        if (placed > b->placed || (placed == b->placed && sum < b->rank_sum)) {
            b->placed = placed;
            b->rank_sum = sum;
        }
        return;
    }
    const struct pl_student *st = &in->students[s];
    if (s != force || forced == PL_NONE)
        brute(in, s + 1, load, placed, sum, force, forced, b);
    for (uint32_t k = 0; k < st->wish_count; k++) {
        uint32_t p = in->wishes[st->wish_start + k];
        if (s == force && forced != PL_NONE && p != forced)
            continue;
        if (load[p] < (uint32_t)in->places[p].capacity) {
            load[p]++;
            brute(in, s + 1, load, placed + 1, sum + k + 1, force, forced, b);
            load[p]--;
        }
    }
}

static struct best brute_best(const struct pl_instance *in, uint32_t force, uint32_t forced)
{
    struct best b = {-1, 0};
    uint32_t *load = calloc(in->n_places + 1, sizeof *load);
    brute(in, 0, load, 0, 0, force, forced, &b);
    free(load);
    return b;
}

static void check_random_small(bool lottery)
{
    size_t explained = 0, trades = 0;
    for (int iter = 0; iter < 3000; iter++) {
        struct pl_instance *in = random_instance(2 + rnd(6), 1 + rnd(6), 4, 2, 2);
        struct pl_options opt = {PL_STABLE, lottery, rnd(1000)};
        struct pl_result *st = NULL, *op = NULL;
        assert_int_equal(pl_solve(in, &opt, &st), 0);
        assert_int_equal(pl_check_feasible(in, st->place), 0);
        assert_int_equal(pl_blocking_pairs(in, &opt, st->place, NULL), 0);
        uint32_t sd[16];
        serial_dictatorship(in, &opt, sd);
        assert_memory_equal(sd, st->place, in->n_students * sizeof(uint32_t));

        opt.method = PL_OPTIMAL;
        assert_int_equal(pl_solve(in, &opt, &op), 0);
        assert_int_equal(pl_check_feasible(in, op->place), 0);
        struct best b = brute_best(in, PL_NONE, PL_NONE);
        assert_int_equal((int64_t)op->placed, b.placed);
        assert_int_equal((int64_t)op->rank_sum, b.rank_sum);
        assert_true(op->placed >= st->placed);
        /* Every explanation matches the best assignment with that wish forced. */
        struct pl_explainer *ex = pl_explainer_new(in, &opt, op);
        assert_non_null(ex);
        struct pl_why why[8];
        for (uint32_t s = 0; s < in->n_students; s++) {
            size_t n = pl_explain(ex, s, why, 8);
            for (size_t k = 0; k < n; k++) {
                struct best f = brute_best(in, s, why[k].place);
                if (why[k].kind == PL_WHY_NO_CAPACITY) {
                    assert_int_equal(f.placed, -1); /* impossible */
                    continue;
                }
                assert_int_equal(why[k].kind, PL_WHY_TRADE);
                explained++;
                trades += why[k].delta_placed == 0 && why[k].delta_rank_sum > 0;
                assert_int_equal((int64_t)op->placed + why[k].delta_placed, f.placed);
                assert_int_equal((int64_t)op->rank_sum + why[k].delta_rank_sum, f.rank_sum);
            }
        }
        pl_explainer_free(ex);
        pl_result_free(st);
        pl_result_free(op);
        pl_instance_free(in);
    }
    /* The random instances do reach the interesting cases. */
    assert_true(explained > 1000);
    assert_true(trades > 100);
}

static void test_random_small(void **state)
{
    (void)state;
    check_random_small(false);
    check_random_small(true);
}

/* max sum over edges of x (BIG - rank), x in [0, 1], per student <= 1, per place <= capacity:
 * the constraint matrix is totally unimodular, so the simplex optimum is integral. */
static double lp_optimum(const struct pl_instance *in, double big)
{
    glp_prob *lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MAX);
    int rows = (int)(in->n_students + in->n_places);
    if (rows > 0)
        glp_add_rows(lp, rows);
    for (size_t s = 0; s < in->n_students; s++)
        glp_set_row_bnds(lp, (int)s + 1, GLP_UP, 0.0, 1.0);
    for (size_t p = 0; p < in->n_places; p++)
        glp_set_row_bnds(lp, (int)(in->n_students + p) + 1, GLP_UP, 0.0,
                         (double)in->places[p].capacity);
    int n = (int)in->n_wishes;
    if (n > 0)
        glp_add_cols(lp, n);
    int *ia = malloc((size_t)(2 * n + 1) * sizeof *ia),
        *ja = malloc((size_t)(2 * n + 1) * sizeof *ja);
    double *ar = malloc((size_t)(2 * n + 1) * sizeof *ar);
    int e = 0;
    for (size_t s = 0; s < in->n_students; s++) {
        const struct pl_student *st = &in->students[s];
        for (uint32_t k = 0; k < st->wish_count; k++) {
            int col = (int)(st->wish_start + k) + 1;
            glp_set_col_bnds(lp, col, GLP_DB, 0.0, 1.0);
            glp_set_obj_coef(lp, col, big - (double)(k + 1));
            ia[++e] = (int)s + 1;
            ja[e] = col;
            ar[e] = 1.0;
            ia[++e] = (int)(in->n_students + in->wishes[st->wish_start + k]) + 1;
            ja[e] = col;
            ar[e] = 1.0;
        }
    }
    glp_load_matrix(lp, e, ia, ja, ar);
    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    assert_int_equal(glp_simplex(lp, &parm), 0);
    double z = glp_get_obj_val(lp);
    glp_delete_prob(lp);
    free(ia);
    free(ja);
    free(ar);
    return z;
}

static void test_random_medium_lp(void **state)
{
    (void)state;
    for (int iter = 0; iter < 60; iter++) {
        uint32_t ns = 50 + rnd(250), np = 10 + rnd(120);
        struct pl_instance *in = random_instance(ns, np, 10, 4, 5);
        struct pl_result *op = solve(in, PL_OPTIMAL), *st = solve(in, PL_STABLE);
        assert_int_equal(pl_check_feasible(in, op->place), 0);
        double big = 10.0 * ns + 1.0;
        double ours = big * (double)op->placed - (double)op->rank_sum;
        double lp = lp_optimum(in, big);
        assert_true(ours > lp - 0.5 && ours < lp + 0.5);
        struct pl_options opt = {PL_STABLE, false, 0};
        assert_int_equal(pl_blocking_pairs(in, &opt, st->place, NULL), 0);
        pl_result_free(op);
        pl_result_free(st);
        pl_instance_free(in);
    }
    glp_free_env();
}

/* A bigger skewed instance: both methods agree with their checks, and are deterministic. */
static void test_random_large_deterministic(void **state)
{
    (void)state;
    struct pl_instance *in = random_instance(3000, 900, 10, 4, 5);
    struct pl_result *a = solve(in, PL_OPTIMAL), *b = solve(in, PL_OPTIMAL);
    assert_memory_equal(a->place, b->place, in->n_students * sizeof(uint32_t));
    assert_int_equal(pl_check_feasible(in, a->place), 0);
    struct pl_result *st = solve(in, PL_STABLE);
    struct pl_options opt = {PL_STABLE, false, 0};
    assert_int_equal(pl_blocking_pairs(in, &opt, st->place, NULL), 0);
    assert_true(a->placed >= st->placed);
    assert_true(a->placed > st->placed || a->rank_sum <= st->rank_sum);
    pl_result_free(a);
    pl_result_free(b);
    pl_result_free(st);
    pl_instance_free(in);
}

/* ---- JSON contract ----------------------------------------------------------------------- */

static void expect_message(const char *json, const char *message)
{
    char *err = parse_bad(json, strlen(json));
    if (!strstr(err, message))
        fail_msg("expected \"%s\" in:\n%s", message, err);
    free(err);
}

#define ONE_PLACE_WITH(field)                                                                      \
    "{\"students\":[],\"places\":[{\"id\":\"P1\",\"degree\":\"1D\",\"site\":\"Ain\","              \
    "\"discipline\":\"x\"," field "}]}"

static void test_json_rules(void **state)
{
    (void)state;
    /* capacity and priority: JSON integers 0..2147483647, nothing else */
    static const char *const bad_numbers[] = {
        "2.5",        "\"2\"", "1e400", "null", "-1",
        "2147483648", "1e2",   "true",  "[]",   "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad_numbers / sizeof *bad_numbers; i++) {
        char json[512];
        snprintf(json, sizeof json, ONE_PLACE_WITH("\"capacity\":%s"), bad_numbers[i]);
        expect_message(json, "places[0].capacity : nombre entier de 0 à 2147483647 attendu");
    }
    struct pl_instance *in = parse_ok(ONE_PLACE_WITH("\"capacity\":2147483647"));
    assert_int_equal(in->places[0].capacity, 2147483647);
    pl_instance_free(in);
    in = parse_ok(ONE_PLACE_WITH("\"capacity\":0,\"extra\":{\"a\":[1,2.5e3,null,true,{}]}"));
    assert_int_equal(in->places[0].capacity, 0);
    pl_instance_free(in);

    expect_message(ONE_PLACE_WITH("\"capacity\":1,\"degree\":\"1D\""),
                   "places[0] : champ en double « degree »");
    expect_message("{\"places\":[{\"id\":\"P1\",\"capacity\":1,\"degree\":\"3D\",\"site\":"
                   "\"Ain\",\"discipline\":\"x\"}],\"students\":[]}",
                   "places[0].degree : « 1D » ou « 2D » attendu, pas « 3D »");
    expect_message("{\"places\":[{\"id\":\"\",\"capacity\":1,\"degree\":\"1D\",\"site\":"
                   "\"Ain\",\"discipline\":\"x\"}],\"students\":[]}",
                   "places[0].id : chaîne vide");
    expect_message("{\"places\":[{\"id\":\"P1\",\"degree\":\"1D\",\"site\":\"Ain\"}],"
                   "\"students\":[]}",
                   "places[0] : champ manquant « capacity »");
    expect_message("{\"places\":[" P1D("P1", 1) "," P1D("P1", 2) "],\"students\":[]}",
                   "places[1].id : identifiant déjà pris par places[0] : « P1 »");
    expect_message(
        "{\"places\":[" P1D("P1", 1) "],\"students\":[" S1D("S1", 0, "") "," S1D("S1", 0, "") "]}",
        "students[1].id : identifiant déjà pris par students[0] : « S1 »");
    expect_message("{\"places\":[],\"students\":[]}x", "JSON invalide : texte après la fin");
    expect_message("{\"places\":[]}", "champ « students » manquant");
    expect_message("[]", "un objet « { » est attendu");
    expect_message("", "le fichier est vide");
    expect_message("{\"places\":[],\n\"students\":[1,]}", "ligne 2, colonne 15 : JSON invalide");
    expect_message("{\"places\":\"x\",\"students\":[]}", "places : liste attendue");

    /* wishes: unknown, incompatible, duplicated, mistyped */
    const char *wishes = "{\"places\":[" P1D(
        "P1", 1) ",{\"id\":\"P2\",\"capacity\":1,\"degree\":\"2D\","
                 "\"site\":\"Ain\",\"discipline\":\"lettres\"}],\"students\":[" S1D(
                     "S0", 0, "\"P1\"") "," S1D("S1", 0, "\"P1\",\"P99\",\"P2\",\"P1\",3") "]}";
    char *err = parse_bad(wishes, strlen(wishes));
    assert_non_null(strstr(err, "students[1].wishes[4] : identifiant de lieu attendu"));
    free(err);
    wishes = "{\"places\":[" P1D(
        "P1", 1) ",{\"id\":\"P2\",\"capacity\":1,\"degree\":\"2D\","
                 "\"site\":\"Ain\",\"discipline\":\"lettres\"}],\"students\":[" S1D(
                     "S0", 0, "\"P1\"") "," S1D("S1", 0, "\"P1\",\"P99\",\"P2\",\"P1\"") "]}";
    err = parse_bad(wishes, strlen(wishes));
    assert_non_null(strstr(err, "students[1].wishes[1] : lieu inconnu « P99 »\n"));
    assert_non_null(strstr(err, "students[1].wishes[2] : lieu d'un autre degré ou d'une autre "
                                "discipline (2D, lettres ; l'étudiant : 1D, polyvalent) : « P2 »"));
    assert_non_null(strstr(err, "students[1].wishes[3] : vœu en double (déjà wishes[0]) : « P1 »"));
    assert_null(strstr(err, "students[0]"));
    free(err);

    /* text: UTF-8 only (BOM allowed), escapes decoded, NUL refused */
    char latin1[] = "{\"places\":[{\"id\":\"\xe9\"}],\"students\":[]}";
    err = parse_bad(latin1, strlen(latin1));
    assert_non_null(strstr(err, "ligne 1, colonne 19 : le texte n'est pas en UTF-8 valide"));
    free(err);
    in = parse_ok("\xEF\xBB\xBF{\"places\":[{\"id\":\"\\u00e9\\ud83d\\ude00\",\"capacity\":1,"
                  "\"degree\":\"1D\",\"site\":\"Ain\",\"discipline\":\"x\"}],\"students\":[]}");
    assert_string_equal(in->places[0].id, "\xc3\xa9\xf0\x9f\x98\x80");
    pl_instance_free(in);
    expect_message(ONE_PLACE_WITH("\"capacity\":1,\"x\":\"\\u0000\""), "caractère nul");
    expect_message(ONE_PLACE_WITH("\"capacity\":1,\"x\":\"\\ud800\""), "demi-caractère");
    static const char nul[] = "{\"places\":[],\"students\":[]}\0";
    err = parse_bad(nul, sizeof nul - 1);
    free(err);

    /* empty arrays: an empty, valid result */
    in = parse_ok("{\"students\":[],\"places\":[],\"other\":1}");
    struct pl_result *r = solve(in, PL_OPTIMAL);
    struct buf out;
    buf_init(&out, 0);
    struct pl_options opt = {PL_OPTIMAL, false, 0};
    assert_int_equal(pl_json_write(in, &opt, r, NULL, &out), 0);
    assert_string_equal(out.data, "{\"method\":\"optimal\",\n\"assignments\":[],\n"
                                  "\"unassigned\":[],\n\"stats\":{\"students\":0,\"placed\":0,"
                                  "\"rank_sum\":0,\"rank_profile\":[]}}\n");
    buf_free(&out);
    pl_result_free(r);
    pl_instance_free(in);
}

/* Many problems: the first PL_JSON_MAX_MESSAGES are listed, then how many more. */
static void test_json_message_cap(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, "{\"students\":[],\"places\":[");
    for (int i = 0; i < 250; i++)
        buf_printf(&b, "%s{\"id\":\"P%d\"}", i ? "," : "", i);
    buf_puts(&b, "]}");
    char *err = parse_bad(b.data, b.len);
    assert_non_null(strstr(err, "… et 800 autres problèmes\n"));
    free(err);
    buf_free(&b);
}

/* The writer escapes ids and the output parses back (through our own reader, as an id). */
static void test_json_write_escapes(void **state)
{
    (void)state;
    struct pl_instance *in = parse_ok(
        "{\"places\":[{\"id\":\"P\\\"1\\\\\\n\",\"capacity\":1,\"degree\":\"1D\",\"site\":\"A\","
        "\"discipline\":\"x\"}],\"students\":[{\"id\":\"é\\t\",\"degree\":\"1D\",\"site\":"
        "\"A\",\"discipline\":\"x\",\"priority\":0,\"wishes\":[\"P\\\"1\\\\\\n\"]}]}");
    struct pl_result *r = solve(in, PL_STABLE);
    struct buf out;
    buf_init(&out, 0);
    struct pl_options opt = {PL_STABLE, true, 7};
    assert_int_equal(pl_json_write(in, &opt, r, NULL, &out), 0);
    assert_non_null(strstr(out.data, "{\"student\":\"é\\u0009\",\"place\":\"P\\\"1\\\\\\u000a\","
                                     "\"rank\":1}"));
    assert_non_null(strstr(out.data, "\"lottery\":7"));
    buf_free(&out);
    pl_result_free(r);
    pl_instance_free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stable_vs_optimal_placed),
        cmocka_unit_test(test_stable_vs_optimal_ranks),
        cmocka_unit_test(test_capacities_and_ties),
        cmocka_unit_test(test_lottery),
        cmocka_unit_test(test_random_small),
        cmocka_unit_test(test_random_medium_lp),
        cmocka_unit_test(test_random_large_deterministic),
        cmocka_unit_test(test_json_rules),
        cmocka_unit_test(test_json_message_cap),
        cmocka_unit_test(test_json_write_escapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
