/*
 * Trainer proposals: see proposal.h. The pool keeps the trainers in ascending id order as
 * parallel arrays, their validated competences twice — per trainer (for prop_score) and per
 * competence (postings of positions and levels, for prop_rank) — so that a query touches only
 * the trainers holding a wanted competence.
 */
#include "engine/proposal.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

struct prop_pool {
    size_t n;
    struct prop_trainer *t; /* competences point into tc_comp / tc_level */
    int32_t *tc_comp;
    unsigned char *tc_level;
    size_t n_tc;
    /* postings: for competence c, post_pos/post_level[post_off[c] .. post_off[c + 1]) */
    size_t n_comp; /* highest competence id + 1 */
    size_t *post_off;
    uint32_t *post_pos;
    unsigned char *post_level;
};

static int cmp_trainer_id(const void *a, const void *b)
{
    const struct prop_trainer *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

void prop_pool_free(struct prop_pool *p)
{
    if (!p)
        return;
    free(p->t);
    free(p->tc_comp);
    free(p->tc_level);
    free(p->post_off);
    free(p->post_pos);
    free(p->post_level);
    free(p);
}

static bool trainer_valid(const struct prop_trainer *t)
{
    if (t->degree > PROP_SUP || t->site >= PROP_SITE_COUNT || t->side > PROP_SIDE_OTHER ||
        t->weekdays > 0x3f || t->quota < 0 || (t->n_competences && (!t->competences || !t->levels)))
        return false;
    for (size_t j = 0; j < t->n_competences; j++)
        if (t->competences[j] < 0 || t->levels[j] < 1 || t->levels[j] > PROP_LEVEL_MAX)
            return false;
    return true;
}

int prop_pool_build(const struct prop_trainer *t, size_t n, struct prop_pool **out)
{
    *out = NULL;
    if (n > UINT32_MAX || (n && !t))
        return ERR_INVAL;
    struct prop_pool *p = calloc(1, sizeof *p);
    if (!p)
        return ERR_NOMEM;
    p->n = n;
    size_t total = 0;
    int32_t max_comp = -1;
    for (size_t i = 0; i < n; i++) {
        if (!trainer_valid(&t[i])) {
            prop_pool_free(p);
            return ERR_INVAL;
        }
        total += t[i].n_competences;
        for (size_t j = 0; j < t[i].n_competences; j++)
            if (t[i].competences[j] > max_comp)
                max_comp = t[i].competences[j];
    }
    p->n_tc = total;
    p->n_comp = (size_t)max_comp + 1;
    p->t = malloc((n ? n : 1) * sizeof *p->t);
    p->tc_comp = malloc((total ? total : 1) * sizeof *p->tc_comp);
    p->tc_level = malloc(total ? total : 1);
    p->post_off = calloc(p->n_comp + 1, sizeof *p->post_off);
    p->post_pos = malloc((total ? total : 1) * sizeof *p->post_pos);
    p->post_level = malloc(total ? total : 1);
    if (!p->t || !p->tc_comp || !p->tc_level || !p->post_off || !p->post_pos || !p->post_level) {
        prop_pool_free(p);
        return ERR_NOMEM;
    }
    if (n)
        memcpy(p->t, t, n * sizeof *t);
    qsort(p->t, n, sizeof *p->t, cmp_trainer_id);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && p->t[i].id == p->t[i - 1].id) {
            prop_pool_free(p);
            return ERR_INVAL;
        }
        struct prop_trainer *x = &p->t[i];
        if (x->n_competences) {
            memcpy(p->tc_comp + k, x->competences, x->n_competences * sizeof *p->tc_comp);
            memcpy(p->tc_level + k, x->levels, x->n_competences);
        }
        x->competences = p->tc_comp + k;
        x->levels = p->tc_level + k;
        k += x->n_competences;
        for (size_t j = 0; j < x->n_competences; j++)
            p->post_off[x->competences[j] + 1]++;
    }
    for (size_t c = 0; c < p->n_comp; c++)
        p->post_off[c + 1] += p->post_off[c];
    size_t *fill = malloc((p->n_comp ? p->n_comp : 1) * sizeof *fill);
    if (!fill) {
        prop_pool_free(p);
        return ERR_NOMEM;
    }
    memcpy(fill, p->post_off, p->n_comp * sizeof *fill);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < p->t[i].n_competences; j++) {
            size_t at = fill[p->t[i].competences[j]]++;
            p->post_pos[at] = (uint32_t)i;
            p->post_level[at] = p->t[i].levels[j];
        }
    free(fill);
    *out = p;
    return 0;
}

size_t prop_pool_count(const struct prop_pool *p)
{
    return p ? p->n : 0;
}

size_t prop_pool_memory(const struct prop_pool *p)
{
    if (!p)
        return 0;
    return sizeof *p + p->n * sizeof *p->t + p->n_tc * (sizeof(int32_t) * 2 + 2) +
           (p->n_comp + 1) * sizeof(size_t);
}

long prop_pool_find(const struct prop_pool *p, int64_t id)
{
    size_t lo = 0, hi = p ? p->n : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->t[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return p && lo < p->n && p->t[lo].id == id ? (long)lo : -1;
}

int64_t prop_pool_id(const struct prop_pool *p, size_t pos)
{
    return p && pos < p->n ? p->t[pos].id : 0;
}

const struct prop_trainer *prop_pool_trainer(const struct prop_pool *p, size_t pos)
{
    return p && pos < p->n ? &p->t[pos] : NULL;
}

/* ain–loire: Bourg-en-Bresse to Saint-Étienne; ain–rhône and loire–rhône: to Lyon. */
static const short site_km[PROP_SITE_COUNT][PROP_SITE_COUNT] = {
    {0, 125, 65},
    {125, 0, 60},
    {65, 60, 0},
};
#define PROP_KM_ZERO 130 /* no distance credit from here on */

int prop_site_km(unsigned char a, unsigned char b)
{
    return a < PROP_SITE_COUNT && b < PROP_SITE_COUNT ? site_km[a][b] : -1;
}

static int popcount6(unsigned v)
{
    int c = 0;
    for (v &= 0x3f; v; v &= v - 1)
        c++;
    return c;
}

static int query_check(const struct prop_query *q)
{
    if (!q || (q->n_wants && !q->wants) || q->n_wants > 4096 ||
        (q->degree != PROP_1D && q->degree != PROP_2D && q->degree != PROP_ANY) ||
        q->public_degree > PROP_ANY || q->hours < 0 || q->hours > 10000 ||
        (q->site >= PROP_SITE_COUNT && q->site != PROP_SITE_NONE) ||
        q->owner_side > PROP_SIDE_OTHER || q->weekdays_required > 0x3f ||
        q->weekdays_allowed > 0x3f || q->balance > INT64_MAX / 2 || q->balance < INT64_MIN / 2)
        return ERR_INVAL;
    return 0;
}

/* Everything but the competence credit, which the caller found (r->s_competence and the best
 * competence fields set). Returns 0 or the reason the trainer is set aside (proposal.h). */
static int score_rest(const struct prop_pool *p, const struct prop_query *q, size_t pos,
                      struct prop_result *r)
{
    const struct prop_trainer *t = &p->t[pos];
    r->trainer_id = t->id;
    r->pos = pos;
    if (q->degree != PROP_ANY && t->degree != q->degree)
        return 2;
    unsigned allowed = q->weekdays_allowed ? q->weekdays_allowed : 0x3f;
    r->weekdays_ok = t->weekdays & allowed;
    if ((t->weekdays & q->weekdays_required) != q->weekdays_required || !r->weekdays_ok)
        return 3;
    int used = q->used ? q->used[pos] : 0;
    r->quota_left = t->quota - used;
    if (r->quota_left < q->hours)
        return 4;
    if (q->busy && q->busy[pos])
        return 5;
    if (q->public_degree == PROP_ANY || t->degree == q->public_degree)
        r->s_degree = 10;
    else
        r->s_degree = t->degree == PROP_SUP ? 5 : 0;
    r->s_weekdays = 10 * popcount6(r->weekdays_ok) / popcount6(allowed);
    r->s_quota = t->quota > 0 ? (int)(10LL * (r->quota_left - q->hours) / t->quota) : 0;
    r->distance_km = prop_site_km(t->site, q->site);
    r->s_distance = r->distance_km < 0 ? 5
                    : r->distance_km >= PROP_KM_ZERO
                        ? 0
                        : 10 - (10 * r->distance_km + PROP_KM_ZERO - 1) / PROP_KM_ZERO;
    r->balance_after = q->balance;
    if (q->owner_side == PROP_SIDE_RECTORAT && t->side == PROP_SIDE_UNIVERSITY)
        r->balance_after = q->balance + q->hours;
    else if (q->owner_side == PROP_SIDE_UNIVERSITY && t->side == PROP_SIDE_RECTORAT)
        r->balance_after = q->balance - q->hours;
    int64_t before = q->balance < 0 ? -q->balance : q->balance;
    int64_t after = r->balance_after < 0 ? -r->balance_after : r->balance_after;
    r->s_balance = after < before ? 10 : after == before ? 5 : 0;
    r->score =
        r->s_competence + r->s_degree + r->s_weekdays + r->s_quota + r->s_distance + r->s_balance;
    return 0;
}

/* The competence credit of a wanted competence held at level L. */
static int credit(unsigned char level, unsigned char related)
{
    return related ? 5 * level : 10 * level;
}

static size_t exact_wants(const struct prop_query *q)
{
    size_t n = 0;
    for (size_t w = 0; w < q->n_wants; w++)
        n += !q->wants[w].related;
    return n;
}

static int coverage(int matched, size_t n_exact)
{
    return n_exact ? (int)(10 * (size_t)matched / n_exact) : 0;
}

int prop_score(const struct prop_pool *p, const struct prop_query *q, size_t pos,
               struct prop_result *r)
{
    memset(r, 0, sizeof *r);
    if (!p || pos >= p->n || query_check(q))
        return ERR_INVAL;
    const struct prop_trainer *t = &p->t[pos];
    int best = 0;
    for (size_t w = 0; w < q->n_wants; w++)
        for (size_t j = 0; j < t->n_competences; j++) {
            if (t->competences[j] != q->wants[w].competence)
                continue;
            int c = credit(t->levels[j], q->wants[w].related);
            r->matched += !q->wants[w].related;
            if (c > best) {
                best = c;
                r->best_competence = q->wants[w].competence;
                r->best_level = t->levels[j];
                r->best_related = q->wants[w].related;
            }
        }
    r->trainer_id = t->id;
    r->pos = pos;
    if (!best)
        return 1;
    r->s_competence = best + coverage(r->matched, exact_wants(q));
    return score_rest(p, q, pos, r);
}

/* Per candidate during a query: the best credit, which want gave it, how many exact wants. */
struct acc {
    unsigned char best;
    unsigned char level;
    unsigned short want;
    unsigned short matched;
};

/* Orders results best first: score descending, then id ascending. */
static bool better(const struct prop_result *a, const struct prop_result *b)
{
    return a->score != b->score ? a->score > b->score : a->trainer_id < b->trainer_id;
}

/* A min-heap of the best `limit` results: heap[0] is the worst kept. */
static void sift_down(struct prop_result *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < n && better(&h[m], &h[l]))
            m = l;
        if (l + 1 < n && better(&h[m], &h[l + 1]))
            m = l + 1;
        if (m == i)
            return;
        struct prop_result tmp = h[i];
        h[i] = h[m];
        h[m] = tmp;
        i = m;
    }
}

static void sift_up(struct prop_result *h, size_t i)
{
    while (i) {
        size_t up = (i - 1) / 2;
        if (!better(&h[up], &h[i]))
            return;
        struct prop_result tmp = h[i];
        h[i] = h[up];
        h[up] = tmp;
        i = up;
    }
}

static int cmp_result(const void *a, const void *b)
{
    return better(a, b) ? -1 : better(b, a) ? 1 : 0;
}

int prop_rank(const struct prop_pool *p, const struct prop_query *q, struct prop_result *out,
              size_t *n_out, struct prop_stats *st)
{
    struct prop_stats stats = {0};
    *n_out = 0;
    if (!p || query_check(q) || (q->limit && !out))
        return ERR_INVAL;
    struct acc *acc = calloc(p->n ? p->n : 1, sizeof *acc);
    uint32_t *cand = malloc((p->n ? p->n : 1) * sizeof *cand);
    if (!acc || !cand) {
        free(acc);
        free(cand);
        return ERR_NOMEM;
    }
    size_t nc = 0;
    for (size_t w = 0; w < q->n_wants; w++) {
        int32_t c = q->wants[w].competence;
        if (c < 0 || (size_t)c >= p->n_comp)
            continue;
        for (size_t k = p->post_off[c]; k < p->post_off[c + 1]; k++) {
            struct acc *a = &acc[p->post_pos[k]];
            if (!a->best)
                cand[nc++] = p->post_pos[k];
            int cr = credit(p->post_level[k], q->wants[w].related);
            if (!q->wants[w].related)
                a->matched++;
            if (cr > a->best) {
                a->best = (unsigned char)cr;
                a->level = p->post_level[k];
                a->want = (unsigned short)w;
            }
        }
    }
    stats.candidates = nc;
    size_t n_exact = exact_wants(q), kept = 0;
    for (size_t i = 0; i < nc; i++) {
        const struct acc *a = &acc[cand[i]];
        struct prop_result r = {0};
        r.s_competence = a->best + coverage(a->matched, n_exact);
        r.best_competence = q->wants[a->want].competence;
        r.best_level = a->level;
        r.best_related = q->wants[a->want].related;
        r.matched = a->matched;
        switch (score_rest(p, q, cand[i], &r)) {
        case 2:
            stats.degree++;
            continue;
        case 3:
            stats.weekdays++;
            continue;
        case 4:
            stats.quota++;
            continue;
        case 5:
            stats.busy++;
            continue;
        default:
            break;
        }
        stats.ranked++;
        if (!q->limit)
            continue;
        if (kept < q->limit) {
            out[kept] = r;
            sift_up(out, kept++);
        } else if (better(&r, &out[0])) {
            out[0] = r;
            sift_down(out, kept, 0);
        }
    }
    free(acc);
    free(cand);
    if (kept > 0)
        qsort(out, kept, sizeof *out, cmp_result);
    *n_out = kept;
    if (st)
        *st = stats;
    return 0;
}
