/* Unit tests of engine/proposal: a hand-checked pool (every score component and every reason to
 * set a trainer aside), then random pools and queries where prop_rank must equal sorting
 * prop_score over every trainer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "engine/proposal.h"

enum { C_CLIMAT = 3, C_HARCELEMENT = 4, C_CONFLITS = 5, C_NUMERIQUE = 9 };

/* Monday, Tuesday, Thursday; Wednesday; Friday. */
#define MTT ((1u << 0) | (1u << 1) | (1u << 3))
#define WED (1u << 2)
#define FRI (1u << 4)

static const int32_t comp_a[] = {C_HARCELEMENT, C_NUMERIQUE};
static const unsigned char lvl_a[] = {3, 4};
static const int32_t comp_b[] = {C_HARCELEMENT, C_CONFLITS};
static const unsigned char lvl_b[] = {2, 2};
static const int32_t comp_c[] = {C_CLIMAT};
static const unsigned char lvl_c[] = {4};
static const int32_t comp_d[] = {C_HARCELEMENT};
static const unsigned char lvl_d[] = {4};
static const int32_t comp_e[] = {C_NUMERIQUE};
static const unsigned char lvl_e[] = {4};

/* Given out of id order on purpose. */
static const struct prop_trainer small[] = {
    /* 30: 2D, Rhône, rectorat, M/T/Th, harcèlement 3 */
    {30, PROP_2D, PROP_RHONE, MTT, PROP_SIDE_RECTORAT, 100, comp_a, lvl_a, 2},
    /* 10: 2D, Loire, university, M/T/Th + Wed, harcèlement 2 and conflits 2 */
    {10, PROP_2D, PROP_LOIRE, MTT | WED, PROP_SIDE_UNIVERSITY, 40, comp_b, lvl_b, 2},
    /* 20: 1D, Ain, rectorat, Wednesday only, climat (the parent) 4 */
    {20, PROP_1D, PROP_AIN, WED, PROP_SIDE_RECTORAT, 60, comp_c, lvl_c, 1},
    /* 40: 2D, Rhône, university, Friday only, harcèlement 4 */
    {40, PROP_2D, PROP_RHONE, FRI, PROP_SIDE_UNIVERSITY, 80, comp_d, lvl_d, 1},
    /* 50: numérique only: never a candidate for the harcèlement theme */
    {50, PROP_2D, PROP_RHONE, MTT, PROP_SIDE_RECTORAT, 80, comp_e, lvl_e, 1},
};

static const struct prop_want wants[] = {
    {C_HARCELEMENT, 0},
    {C_CONFLITS, 0},
    {C_CLIMAT, 1},
};

static struct prop_pool *small_pool(void)
{
    struct prop_pool *p = NULL;
    assert_int_equal(prop_pool_build(small, 5, &p), 0);
    return p;
}

static struct prop_query base_query(void)
{
    return (struct prop_query){
        .wants = wants,
        .n_wants = 3,
        .degree = PROP_ANY,
        .public_degree = PROP_2D,
        .weekdays_allowed = MTT | WED,
        .hours = 12,
        .site = PROP_RHONE,
        .owner_side = PROP_SIDE_RECTORAT,
        .balance = 0,
        .limit = 10,
    };
}

static void test_pool_basics(void **state)
{
    (void)state;
    struct prop_pool *p = small_pool();
    assert_int_equal(prop_pool_count(p), 5);
    assert_true(prop_pool_memory(p) > 0);
    assert_int_equal(prop_pool_find(p, 10), 0);
    assert_int_equal(prop_pool_find(p, 50), 4);
    assert_int_equal(prop_pool_find(p, 35), -1);
    assert_int_equal(prop_pool_id(p, 2), 30);
    assert_int_equal(prop_pool_trainer(p, 1)->quota, 60);
    assert_null(prop_pool_trainer(p, 5));
    prop_pool_free(p);

    struct prop_trainer dup[2] = {small[0], small[0]};
    assert_int_equal(prop_pool_build(dup, 2, &p), ERR_INVAL);
    assert_null(p);
    struct prop_trainer bad = small[0];
    bad.site = 7;
    assert_int_equal(prop_pool_build(&bad, 1, &p), ERR_INVAL);
    static const unsigned char lvl_bad[] = {5};
    bad = small[2];
    bad.levels = lvl_bad;
    assert_int_equal(prop_pool_build(&bad, 1, &p), ERR_INVAL);
    assert_int_equal(prop_pool_build(NULL, 0, &p), 0);
    struct prop_query q = base_query();
    struct prop_result r[2];
    size_t n = 9;
    assert_int_equal(prop_rank(p, &q, r, &n, NULL), 0);
    assert_int_equal(n, 0);
    prop_pool_free(p);
}

static void test_scores_by_hand(void **state)
{
    (void)state;
    struct prop_pool *p = small_pool();
    struct prop_query q = base_query();
    struct prop_result r[10];
    struct prop_stats st;
    size_t n = 0;
    assert_int_equal(prop_rank(p, &q, r, &n, &st), 0);
    /* Candidates: 10, 20 (via the parent), 30, 40; not 50. 40 is free on Friday only. */
    assert_int_equal(st.candidates, 4);
    assert_int_equal(st.weekdays, 1);
    assert_int_equal(st.ranked, 3);
    assert_int_equal(n, 3);

    /* 30: harcèlement 3 → 30, 1 of 2 exact wants → 5; 2D public → 10; 3 of 4 allowed days →
     * 7; (100 − 12) / 100 → 8; same site → 10; rectorat trainer on a rectorat action: balance
     * unchanged → 5. Total 75. */
    assert_int_equal(r[0].trainer_id, 30);
    assert_int_equal(r[0].s_competence, 35);
    assert_int_equal(r[0].s_degree, 10);
    assert_int_equal(r[0].s_weekdays, 7);
    assert_int_equal(r[0].s_quota, 8);
    assert_int_equal(r[0].s_distance, 10);
    assert_int_equal(r[0].s_balance, 5);
    assert_int_equal(r[0].score, 75);
    assert_int_equal(r[0].best_competence, C_HARCELEMENT);
    assert_int_equal(r[0].best_level, 3);
    assert_int_equal(r[0].matched, 1);
    assert_int_equal(r[0].quota_left, 100);
    assert_int_equal(r[0].distance_km, 0);

    /* 10: harcèlement 2 and conflits 2 → 20 + 10; 2D → 10; 4 of 4 days → 10; (40 − 12) / 40
     * → 7; Loire–Rhône 60 km → 10 − ⌈600/130⌉ = 5; university trainer on a rectorat action:
     * the balance goes from 0 to +12 → 0. Total 62. */
    assert_int_equal(r[1].trainer_id, 10);
    assert_int_equal(r[1].s_competence, 30);
    assert_int_equal(r[1].matched, 2);
    assert_int_equal(r[1].s_weekdays, 10);
    assert_int_equal(r[1].s_quota, 7);
    assert_int_equal(r[1].distance_km, 60);
    assert_int_equal(r[1].s_distance, 5);
    assert_int_equal(r[1].s_balance, 0);
    assert_int_equal(r[1].balance_after, 12);
    assert_int_equal(r[1].score, 62);

    /* 20: climat, related, level 4 → 20, no exact want → 0; 1D for a 2D public → 0; 1 of 4
     * days → 2; (60 − 12) / 60 → 8; Ain–Rhône 65 km → 5; unchanged balance → 5. Total 40. */
    assert_int_equal(r[2].trainer_id, 20);
    assert_int_equal(r[2].s_competence, 20);
    assert_int_equal(r[2].best_related, 1);
    assert_int_equal(r[2].s_degree, 0);
    assert_int_equal(r[2].s_weekdays, 2);
    assert_int_equal(r[2].score, 40);

    /* The balance leaning to the university side, a university trainer brings it back. */
    q.balance = -30;
    assert_int_equal(prop_rank(p, &q, r, &n, NULL), 0);
    assert_int_equal(r[1].trainer_id, 10);
    assert_int_equal(r[1].s_balance, 10);
    assert_int_equal(r[1].balance_after, -18);
    prop_pool_free(p);
}

static void test_filters(void **state)
{
    (void)state;
    struct prop_pool *p = small_pool();
    struct prop_query q = base_query();
    struct prop_result r[10];
    struct prop_stats st;
    size_t n = 0;

    /* A 1D slot: only 20. */
    q.degree = PROP_1D;
    q.public_degree = PROP_1D;
    assert_int_equal(prop_rank(p, &q, r, &n, &st), 0);
    assert_int_equal(n, 1);
    assert_int_equal(r[0].trainer_id, 20);
    assert_int_equal(st.degree, 3);

    /* Sessions on a Tuesday: 20 (Wednesday only) is set aside. */
    q = base_query();
    q.weekdays_required = 1u << 1;
    assert_int_equal(prop_rank(p, &q, r, &n, &st), 0);
    assert_int_equal(n, 2);
    assert_int_equal(st.weekdays, 2);

    /* 50 hours: 10 has 40, set aside; with 15 used, 30 has 85 left and stays. */
    q = base_query();
    q.hours = 50;
    int32_t used[5] = {0, 0, 15, 0, 0};
    q.used = used;
    assert_int_equal(prop_rank(p, &q, r, &n, &st), 0);
    assert_int_equal(st.quota, 1);
    assert_int_equal(r[0].trainer_id, 30);
    assert_int_equal(r[0].quota_left, 85);

    /* 30 busy at those times. */
    q = base_query();
    unsigned char busy[5] = {0, 0, 1, 0, 0};
    q.busy = busy;
    assert_int_equal(prop_rank(p, &q, r, &n, &st), 0);
    assert_int_equal(st.busy, 1);
    assert_int_equal(r[0].trainer_id, 10);

    /* limit 1 keeps the best; limit 0 only counts. */
    q = base_query();
    q.limit = 1;
    assert_int_equal(prop_rank(p, &q, r, &n, &st), 0);
    assert_int_equal(n, 1);
    assert_int_equal(r[0].trainer_id, 30);
    q.limit = 0;
    assert_int_equal(prop_rank(p, &q, NULL, &n, &st), 0);
    assert_int_equal(n, 0);
    assert_int_equal(st.ranked, 3);

    /* prop_score tells why. */
    q = base_query();
    assert_int_equal(prop_score(p, &q, 4, &r[0]), 1); /* 50: no competence */
    assert_int_equal(prop_score(p, &q, 3, &r[0]), 3); /* 40: Friday only */
    q.degree = PROP_1D;
    assert_int_equal(prop_score(p, &q, 2, &r[0]), 2); /* 30: 2D */

    /* Bad queries. */
    q = base_query();
    q.degree = PROP_SUP;
    assert_int_equal(prop_rank(p, &q, r, &n, NULL), ERR_INVAL);
    q = base_query();
    q.hours = -1;
    assert_int_equal(prop_rank(p, &q, r, &n, NULL), ERR_INVAL);
    q = base_query();
    q.site = 9;
    assert_int_equal(prop_rank(p, &q, r, &n, NULL), ERR_INVAL);
    prop_pool_free(p);
}

/* ---- random pools: prop_rank equals sorting prop_score over every trainer ---- */

static uint64_t rng = 0x9e3779b97f4a7c15u;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static int cmp_res(const void *a, const void *b)
{
    const struct prop_result *x = a, *y = b;
    if (x->score != y->score)
        return y->score - x->score;
    return (x->trainer_id > y->trainer_id) - (x->trainer_id < y->trainer_id);
}

static void test_random(void **state)
{
    (void)state;
    enum { N = 300, COMPS = 12 };
    static struct prop_trainer t[N];
    static int32_t comps[N][COMPS];
    static unsigned char lvls[N][COMPS];
    static struct prop_result all[N], got[N];
    static int32_t used[N];
    static unsigned char busy[N];
    for (int round = 0; round < 40; round++) {
        for (int i = 0; i < N; i++) {
            int k = (int)rnd(4);
            unsigned taken = 0;
            for (int j = 0; j < k; j++) {
                int32_t c;
                do
                    c = (int32_t)rnd(COMPS);
                while (taken & (1u << c));
                taken |= 1u << c;
                comps[i][j] = c;
                lvls[i][j] = (unsigned char)(1 + rnd(4));
            }
            t[i] = (struct prop_trainer){(int64_t)(1000 - 3 * i),
                                         (unsigned char)rnd(3),
                                         (unsigned char)rnd(3),
                                         (unsigned char)rnd(64),
                                         (unsigned char)rnd(3),
                                         (int)rnd(120),
                                         comps[i],
                                         lvls[i],
                                         (size_t)k};
        }
        struct prop_pool *p = NULL;
        assert_int_equal(prop_pool_build(t, N, &p), 0);
        struct prop_want w[4];
        size_t nw = 1 + rnd(4);
        for (size_t j = 0; j < nw; j++)
            w[j] = (struct prop_want){(int32_t)((3 * j + rnd(3)) % COMPS),
                                      (unsigned char)(rnd(3) == 0)};
        for (int i = 0; i < N; i++) {
            used[i] = (int32_t)rnd(60);
            busy[i] = rnd(10) == 0;
        }
        struct prop_query q = {
            .wants = w,
            .n_wants = nw,
            .degree = (unsigned char)(rnd(2) ? PROP_ANY : rnd(2)),
            .public_degree = (unsigned char)rnd(4),
            .weekdays_required = rnd(3) ? 0 : 1u << rnd(6),
            .weekdays_allowed = rnd(64),
            .hours = (int)rnd(30),
            .site = rnd(4) == 3 ? PROP_SITE_NONE : (unsigned char)rnd(3),
            .owner_side = (unsigned char)rnd(3),
            .balance = (int64_t)rnd(200) - 100,
            .used = used,
            .busy = busy,
            .limit = 1 + rnd(20),
        };
        size_t na = 0;
        for (size_t pos = 0; pos < N; pos++)
            if (prop_score(p, &q, pos, &all[na]) == 0)
                na++;
        qsort(all, na, sizeof *all, cmp_res);
        size_t n = 0;
        struct prop_stats st;
        assert_int_equal(prop_rank(p, &q, got, &n, &st), 0);
        assert_int_equal(st.ranked, na);
        assert_int_equal(n, na < q.limit ? na : q.limit);
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(got[i].trainer_id, all[i].trainer_id);
            assert_int_equal(got[i].score, all[i].score);
            assert_int_equal(got[i].s_competence, all[i].s_competence);
            assert_int_equal(got[i].matched, all[i].matched);
            assert_int_equal(got[i].best_level, all[i].best_level);
            assert_int_equal(got[i].quota_left, all[i].quota_left);
            assert_true(got[i].score >= 0 && got[i].score <= 100);
        }
        prop_pool_free(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pool_basics),
        cmocka_unit_test(test_scores_by_hand),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
