/* Unit tests of engine/search_index: a hand-checked small index, then random indexes and queries
 * compared with a brute-force evaluation, and concurrent queries on one index. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>

#include "core/err.h"
#include "engine/search_index.h"

/* ---------------------------------------------------------------------------------------------
 * Hand-checked index.
 *
 * In key order: E(100) B(101) C(102) A(103) D(104).
 */
static const struct sindex_doc small_docs[] = {
    {30, 103, "math algebre zzdeg1 zzlun", "math"},                           /* A */
    {10, 101, "  math  math geometrie zzdeg2 zzmar math ", ""},               /* B */
    {20, 102, "histoire zzdeg1 zzlun zzmar éducation", "histoire geometrie"}, /* C */
    {40, 104, "", ""},                                                        /* D */
    {-5, 100, "mathematiques zzdeg2", "   "},                                 /* E */
};

static struct sindex *small_build(void)
{
    struct sindex *ix = NULL;
    assert_int_equal(sindex_build(small_docs, 5, &ix), 0);
    assert_non_null(ix);
    return ix;
}

/* Runs a query and checks its total and page against want[0..n_want) (ids in order). */
static void check(const struct sindex *ix, const struct sindex_clause *cl, size_t n_cl,
                  size_t offset, size_t limit, size_t want_total, const int64_t *want,
                  size_t n_want)
{
    int64_t ids[16];
    size_t n_ids = 99, total = 99;
    assert_true(limit <= 16);
    assert_int_equal(sindex_query(ix, cl, n_cl, offset, limit, ids, &n_ids, &total), 0);
    assert_int_equal(total, want_total);
    assert_int_equal(n_ids, n_want);
    for (size_t i = 0; i < n_want; i++)
        assert_int_equal(ids[i], want[i]);
}

/* One clause of one atom. */
static void check1(const struct sindex *ix, enum sindex_column col, const char *text, bool prefix,
                   size_t want_total, const int64_t *want)
{
    struct sindex_atom a = {col, text, prefix};
    struct sindex_clause c = {&a, 1};
    check(ix, &c, 1, 0, 16, want_total, want, want_total);
}

static void test_small_basics(void **state)
{
    (void)state;
    struct sindex *ix = small_build();
    assert_int_equal(sindex_count(ix), 5);
    assert_true(sindex_memory(ix) > 5 * sizeof(int64_t));

    /* No clause: every doc, in key order whatever the input order. */
    check(ix, NULL, 0, 0, 16, 5, (const int64_t[]){100, 101, 102, 103, 104}, 5);

    /* Exact terms; B holds "math" three times but is counted once. */
    check1(ix, SINDEX_TERMS, "math", false, 2, (const int64_t[]){101, 103});
    check1(ix, SINDEX_TERMS, "ma", false, 0, NULL);
    check1(ix, SINDEX_TERMS, "maths", false, 0, NULL);
    check1(ix, SINDEX_TERMS, "", false, 0, NULL);
    check1(ix, SINDEX_TERMS, "éducation", false, 1, (const int64_t[]){102});

    /* Prefixes: a range of the dictionary, a full term as a prefix, a prefix matching nothing
     * (before, inside and after the dictionary), a multibyte prefix, the empty prefix. */
    check1(ix, SINDEX_TERMS, "math", true, 3, (const int64_t[]){100, 101, 103});
    check1(ix, SINDEX_TERMS, "mathematiques", true, 1, (const int64_t[]){100});
    check1(ix, SINDEX_TERMS, "mathz", true, 0, NULL);
    check1(ix, SINDEX_TERMS, "aaa", true, 0, NULL);
    check1(ix, SINDEX_TERMS, "zzz", true, 0, NULL);
    check1(ix, SINDEX_TERMS, "é", true, 1, (const int64_t[]){102});
    check1(ix, SINDEX_TERMS, "zz", true, 4, (const int64_t[]){100, 101, 102, 103});
    check1(ix, SINDEX_TERMS, "", true, 4, (const int64_t[]){100, 101, 102, 103});

    /* The validated column is separate from the terms column. */
    check1(ix, SINDEX_TERMS, "geometrie", false, 1, (const int64_t[]){101});
    check1(ix, SINDEX_VTERMS, "geometrie", false, 1, (const int64_t[]){102});
    check1(ix, SINDEX_VTERMS, "math", false, 1, (const int64_t[]){103});
    check1(ix, SINDEX_VTERMS, "zz", true, 0, NULL);
    check1(ix, SINDEX_VTERMS, "", true, 2, (const int64_t[]){102, 103});

    /* Atoms that match nothing by contract. */
    check1(ix, SINDEX_TERMS, NULL, false, 0, NULL);
    check1(ix, (enum sindex_column)7, "math", false, 0, NULL);
    sindex_free(ix);
}

static void test_small_and_or(void **state)
{
    (void)state;
    struct sindex *ix = small_build();
    const struct sindex_atom deg1 = {SINDEX_TERMS, "zzdeg1", false};
    const struct sindex_atom deg2 = {SINDEX_TERMS, "zzdeg2", false};
    const struct sindex_atom days[] = {{SINDEX_TERMS, "zzlun", false},
                                       {SINDEX_TERMS, "zzmar", false}};
    const struct sindex_atom geo[] = {{SINDEX_TERMS, "geometrie", false},
                                      {SINDEX_VTERMS, "geometrie", false}};
    const struct sindex_atom nothing[] = {{SINDEX_TERMS, "nope", false},
                                          {SINDEX_VTERMS, "math", true}};

    struct sindex_clause c[3] = {{&deg1, 1}, {days, 2}};
    check(ix, c, 2, 0, 16, 2, (const int64_t[]){102, 103}, 2);
    c[0] = (struct sindex_clause){&deg2, 1};
    check(ix, c, 2, 0, 16, 1, (const int64_t[]){101}, 1);

    /* An OR across both columns. */
    c[0] = (struct sindex_clause){geo, 2};
    check(ix, c, 1, 0, 16, 2, (const int64_t[]){101, 102}, 2);
    /* An OR whose atoms partly match nothing. */
    c[0] = (struct sindex_clause){nothing, 2};
    check(ix, c, 1, 0, 16, 1, (const int64_t[]){103}, 1);

    /* AND of a term with itself, and of disjoint terms. */
    c[0] = (struct sindex_clause){&deg1, 1};
    c[1] = (struct sindex_clause){&deg1, 1};
    check(ix, c, 2, 0, 16, 2, (const int64_t[]){102, 103}, 2);
    c[1] = (struct sindex_clause){&deg2, 1};
    check(ix, c, 2, 0, 16, 0, NULL, 0);

    /* An empty clause matches nothing, even next to clauses matching everything. */
    c[0] = (struct sindex_clause){days, 2};
    c[1] = (struct sindex_clause){NULL, 0};
    check(ix, c, 2, 0, 16, 0, NULL, 0);
    check(ix, &c[1], 1, 0, 16, 0, NULL, 0);
    sindex_free(ix);
}

static void test_small_paging(void **state)
{
    (void)state;
    struct sindex *ix = small_build();
    const struct sindex_atom zz = {SINDEX_TERMS, "zz", true};
    const struct sindex_clause c = {&zz, 1};

    check(ix, NULL, 0, 2, 2, 5, (const int64_t[]){102, 103}, 2);
    check(ix, NULL, 0, 4, 10, 5, (const int64_t[]){104}, 1);
    check(ix, NULL, 0, 5, 10, 5, NULL, 0);
    check(ix, NULL, 0, SIZE_MAX, 10, 5, NULL, 0);
    check(ix, &c, 1, 1, 2, 4, (const int64_t[]){101, 102}, 2);
    check(ix, &c, 1, 3, 5, 4, (const int64_t[]){103}, 1);
    check(ix, &c, 1, 4, 5, 4, NULL, 0);
    check(ix, &c, 1, SIZE_MAX, 5, 4, NULL, 0);

    /* limit 0: only the total, ids may be NULL. */
    size_t n_ids = 9, total = 9;
    assert_int_equal(sindex_query(ix, &c, 1, 0, 0, NULL, &n_ids, &total), 0);
    assert_int_equal(n_ids, 0);
    assert_int_equal(total, 4);
    assert_int_equal(sindex_query(ix, NULL, 0, 0, 0, NULL, &n_ids, &total), 0);
    assert_int_equal(n_ids, 0);
    assert_int_equal(total, 5);
    sindex_free(ix);
}

static void test_build_errors_and_empty(void **state)
{
    (void)state;
    struct sindex *ix = (struct sindex *)&ix;
    struct sindex_doc dup[] = {{1, 1, "a", ""}, {2, 2, "b", ""}, {1, 3, "c", ""}};
    assert_int_equal(sindex_build(dup, 3, &ix), ERR_INVAL);
    assert_null(ix);

    /* n = 0. */
    assert_int_equal(sindex_build(NULL, 0, &ix), 0);
    assert_int_equal(sindex_count(ix), 0);
    const struct sindex_atom all = {SINDEX_TERMS, "", true};
    const struct sindex_clause c = {&all, 1};
    check(ix, NULL, 0, 0, 16, 0, NULL, 0);
    check(ix, &c, 1, 0, 16, 0, NULL, 0);
    sindex_free(ix);
    sindex_free(NULL);

    /* A term repeated in a doc is stored once: same index as without the repeats. */
    struct sindex *ix2 = NULL;
    struct sindex_doc once[100], twice[100];
    char strs[100][2][32];
    for (int i = 0; i < 100; i++) {
        /* "a" is dense (a bitmap), "t<i>" sparse (a posting list). */
        int k = snprintf(strs[i][0], sizeof strs[i][0], "a t%d", i);
        assert_true(k > 0 && (size_t)k < sizeof strs[i][0]);
        k = snprintf(strs[i][1], sizeof strs[i][1], "t%d a  t%d a t%d", i, i, i);
        assert_true(k > 0 && (size_t)k < sizeof strs[i][1]);
        once[i] = (struct sindex_doc){i, i, strs[i][0], "v"};
        twice[i] = (struct sindex_doc){i, i, strs[i][1], "v v"};
    }
    assert_int_equal(sindex_build(once, 100, &ix), 0);
    assert_int_equal(sindex_build(twice, 100, &ix2), 0);
    assert_int_equal(sindex_memory(ix), sindex_memory(ix2));
    sindex_free(ix);
    sindex_free(ix2);

    /* Only empty strings (and NULL, taken as ""). Same ids are allowed. */
    struct sindex_doc empty[] = {{2, 7, "", NULL}, {1, 7, " ", "  "}, {3, 8, NULL, ""}};
    assert_int_equal(sindex_build(empty, 3, &ix), 0);
    check(ix, NULL, 0, 0, 16, 3, (const int64_t[]){7, 7, 8}, 3);
    check(ix, &c, 1, 0, 16, 0, NULL, 0);
    sindex_free(ix);
}

/* ---------------------------------------------------------------------------------------------
 * Random indexes against brute force.
 */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint32_t rnd(uint32_t n)
{
    /* splitmix64 */
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    z ^= z >> 31;
    return n == 0 ? 0 : (uint32_t)(z % n);
}

#define VOCAB   48
#define MAX_LEN 4

struct vocab {
    char words[VOCAB][MAX_LEN + 1];
    uint32_t per_mille[VOCAB]; /* probability that a doc holds the word */
};

/* Short words over a 3-letter alphabet, so that many are prefixes of others. */
static void vocab_make(struct vocab *v)
{
    for (size_t i = 0; i < VOCAB; i++) {
        bool again;
        do {
            size_t len = 1 + rnd(MAX_LEN);
            for (size_t k = 0; k < len; k++)
                v->words[i][k] = (char)('a' + rnd(3));
            v->words[i][len] = '\0';
            again = false;
            for (size_t j = 0; j < i; j++)
                again = again || strcmp(v->words[i], v->words[j]) == 0;
        } while (again);
        static const uint32_t density[] = {2, 10, 30, 100, 400, 800};
        v->per_mille[i] = density[rnd(6)];
    }
}

struct rdoc {
    int64_t key, id;
    bool has[2][VOCAB];
};

/* Appends the words the doc holds to s (with repeated spaces and duplicates now and then). */
static void doc_string(const struct vocab *v, const bool *has, char *s, size_t size)
{
    size_t len = 0;
    for (size_t i = 0; i < VOCAB; i++) {
        if (!has[i])
            continue;
        size_t reps = rnd(8) == 0 ? 2 : 1;
        for (size_t r = 0; r < reps; r++) {
            size_t spaces = rnd(5) == 0 ? 2 : 1;
            size_t wl = strlen(v->words[i]);
            assert_true(len + spaces + wl + 1 < size);
            memset(s + len, ' ', spaces);
            memcpy(s + len + spaces, v->words[i], wl);
            len += spaces + wl;
        }
    }
    s[len] = '\0';
}

struct rquery {
    struct sindex_atom atoms[4][3];
    char texts[4][3][MAX_LEN + 2];
    struct sindex_clause clauses[4];
    size_t n_clauses;
};

static void query_make(const struct vocab *v, struct rquery *q)
{
    q->n_clauses = rnd(5);
    for (size_t c = 0; c < q->n_clauses; c++) {
        size_t n = rnd(20) == 0 ? 0 : 1 + rnd(3);
        for (size_t a = 0; a < n; a++) {
            char *t = q->texts[c][a];
            if (rnd(3) != 0) {
                /* A word of the vocabulary, or its beginning. */
                const char *w = v->words[rnd(VOCAB)];
                size_t len = strlen(w);
                if (rnd(2) == 0)
                    len = rnd((uint32_t)len + 1);
                memcpy(t, w, len);
                t[len] = '\0';
            } else {
                /* Anything, often not a word, sometimes past the alphabet. */
                size_t len = rnd(MAX_LEN + 2);
                for (size_t k = 0; k < len; k++)
                    t[k] = (char)('a' + rnd(4));
                t[len] = '\0';
            }
            q->atoms[c][a] =
                (struct sindex_atom){rnd(4) == 0 ? SINDEX_VTERMS : SINDEX_TERMS, t, rnd(2) == 0};
        }
        q->clauses[c] = (struct sindex_clause){q->atoms[c], n};
    }
}

static bool brute_atom(const struct vocab *v, const struct rdoc *d, const struct sindex_atom *a)
{
    size_t len = strlen(a->text);
    for (size_t i = 0; i < VOCAB; i++) {
        if (!d->has[a->column][i])
            continue;
        if (a->prefix ? strncmp(v->words[i], a->text, len) == 0 : strcmp(v->words[i], a->text) == 0)
            return true;
    }
    return false;
}

static bool brute_match(const struct vocab *v, const struct rdoc *d, const struct rquery *q)
{
    for (size_t c = 0; c < q->n_clauses; c++) {
        bool any = false;
        for (size_t a = 0; a < q->clauses[c].n && !any; a++)
            any = brute_atom(v, d, &q->clauses[c].atoms[a]);
        if (!any)
            return false;
    }
    return true;
}

static int cmp_rdoc(const void *a, const void *b)
{
    const struct rdoc *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

/* One random index of n docs, checked against n_queries random queries. */
static void random_round(size_t n, size_t n_queries)
{
    struct vocab v;
    vocab_make(&v);
    struct rdoc *rd = calloc(n + 1, sizeof *rd);
    struct sindex_doc *docs = calloc(n + 1, sizeof *docs);
    char(*strs)[2][VOCAB * (MAX_LEN + 2) * 2 + 1] = calloc(n + 1, sizeof *strs);
    int64_t *want = calloc(n + 1, sizeof *want);
    int64_t *got = calloc(n + 1, sizeof *got);
    assert_true(rd != NULL && docs != NULL && strs != NULL && want != NULL && got != NULL);

    /* Distinct keys in random order, negative ones included. */
    for (size_t i = 0; i < n; i++)
        rd[i].key = (int64_t)i * 3 - (int64_t)n;
    for (size_t i = n; i > 1; i--) {
        size_t j = rnd((uint32_t)i);
        int64_t k = rd[i - 1].key;
        rd[i - 1].key = rd[j].key;
        rd[j].key = k;
    }
    for (size_t i = 0; i < n; i++) {
        rd[i].id = 1000 + (int64_t)rnd(1000000);
        for (size_t col = 0; col < 2; col++)
            for (size_t w = 0; w < VOCAB; w++)
                rd[i].has[col][w] = rnd(1000) < (col == 0 ? v.per_mille[w] : v.per_mille[w] / 4);
        doc_string(&v, rd[i].has[0], strs[i][0], sizeof strs[i][0]);
        doc_string(&v, rd[i].has[1], strs[i][1], sizeof strs[i][1]);
        docs[i] = (struct sindex_doc){rd[i].key, rd[i].id, strs[i][0], strs[i][1]};
    }
    struct sindex *ix = NULL;
    assert_int_equal(sindex_build(docs, n, &ix), 0);
    assert_int_equal(sindex_count(ix), n);
    /* The brute force walks docs in key order. */
    qsort(rd, n, sizeof *rd, cmp_rdoc);

    for (size_t qi = 0; qi < n_queries; qi++) {
        struct rquery q;
        query_make(&v, &q);
        size_t want_total = 0;
        for (size_t i = 0; i < n; i++)
            if (brute_match(&v, &rd[i], &q))
                want[want_total++] = rd[i].id;
        size_t offset = rnd(4) == 0 ? 0 : rnd((uint32_t)want_total + 3);
        size_t limit = rnd(4) == 0 ? n + 1 : rnd(30);
        size_t n_ids = 0, total = 0;
        assert_int_equal(
            sindex_query(ix, q.clauses, q.n_clauses, offset, limit, got, &n_ids, &total), 0);
        if (total != want_total)
            fail_msg("n %zu query %zu: total %zu, want %zu", n, qi, total, want_total);
        size_t want_n = offset >= want_total ? 0 : want_total - offset;
        want_n = want_n < limit ? want_n : limit;
        assert_int_equal(n_ids, want_n);
        for (size_t i = 0; i < n_ids; i++)
            assert_int_equal(got[i], want[offset + i]);
    }
    sindex_free(ix);
    free(rd);
    free(docs);
    free(strs);
    free(want);
    free(got);
}

static void test_random(void **state)
{
    (void)state;
    /* Sizes around word boundaries, small ones where every term is dense, and larger ones where
     * bitmaps of many words meet posting lists. */
    static const size_t sizes[] = {0, 1, 2, 63, 64, 65, 127, 200, 300, 333, 500};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
        random_round(sizes[s], 1500);
    random_round(3000 + rnd(2000), 300);
}

/* Many distinct terms: the build's hash table grows and probes past collisions. */
static void test_many_terms(void **state)
{
    (void)state;
    enum { N = 20000 };
    struct sindex_doc *docs = calloc(N, sizeof *docs);
    char(*strs)[32] = calloc(N, sizeof *strs);
    assert_true(docs != NULL && strs != NULL);
    for (int i = 0; i < N; i++) {
        int k = snprintf(strs[i], sizeof strs[i], "u%d v%d u%d", i, i / 2, i);
        assert_true(k > 0 && (size_t)k < sizeof strs[i]);
        docs[i] = (struct sindex_doc){i, i, strs[i], ""};
    }
    struct sindex *ix = NULL;
    assert_int_equal(sindex_build(docs, N, &ix), 0);
    for (int i = 0; i < N; i += 997) {
        char t[16];
        int k = snprintf(t, sizeof t, "u%d", i);
        assert_true(k > 0 && (size_t)k < sizeof t);
        check1(ix, SINDEX_TERMS, t, false, 1, (const int64_t[]){i});
        k = snprintf(t, sizeof t, "v%d", i / 2);
        assert_true(k > 0 && (size_t)k < sizeof t);
        int64_t pair = i / 2 * 2;
        check1(ix, SINDEX_TERMS, t, false, 2, (const int64_t[]){pair, pair + 1});
    }
    /* "u1" prefix: 1, 10-19, 100-199, 1000-1999, 10000-19999. */
    struct sindex_atom a = {SINDEX_TERMS, "u1", true};
    struct sindex_clause c = {&a, 1};
    check(ix, &c, 1, 0, 3, 1 + 10 + 100 + 1000 + 10000, (const int64_t[]){1, 10, 11}, 3);
    check(ix, &c, 1, 11110, 3, 11111, (const int64_t[]){19999}, 1);
    sindex_free(ix);
    free(docs);
    free(strs);
}

/* ---------------------------------------------------------------------------------------------
 * Concurrent queries.
 */

struct thread_arg {
    const struct sindex *ix;
    size_t want_total[4];
    bool ok;
};

static const struct sindex_atom th_atoms[4] = {{SINDEX_TERMS, "zzdeg1", false},
                                               {SINDEX_TERMS, "zzlun", false},
                                               {SINDEX_TERMS, "w1", true},
                                               {SINDEX_VTERMS, "w", true}};

static void *thread_main(void *p)
{
    struct thread_arg *a = p;
    a->ok = true;
    for (size_t i = 0; i < 2000; i++) {
        struct sindex_clause c[2] = {{&th_atoms[i % 4], 1}, {&th_atoms[(i + 1) % 4], 1}};
        int64_t ids[10];
        size_t n_ids, total;
        if (sindex_query(a->ix, c, 2, i % 50, 10, ids, &n_ids, &total) != 0 ||
            total != a->want_total[i % 4])
            a->ok = false;
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    enum { N = 2000, THREADS = 4 };
    struct sindex_doc *docs = calloc(N, sizeof *docs);
    char(*strs)[2][64] = calloc(N, sizeof *strs);
    assert_true(docs != NULL && strs != NULL);
    for (int i = 0; i < N; i++) {
        int k = snprintf(strs[i][0], sizeof strs[i][0], "w%d %s %s", i % 37,
                         i % 3 == 0 ? "zzdeg1" : "zzdeg2", i % 5 < 2 ? "zzlun" : "zzmar");
        assert_true(k > 0 && (size_t)k < sizeof strs[i][0]);
        k = snprintf(strs[i][1], sizeof strs[i][1], "w%d", i % 11);
        assert_true(k > 0 && (size_t)k < sizeof strs[i][1]);
        docs[i] = (struct sindex_doc){N - i, i, strs[i][0], strs[i][1]};
    }
    struct sindex *ix = NULL;
    assert_int_equal(sindex_build(docs, N, &ix), 0);
    struct thread_arg args[THREADS];
    for (size_t q = 0; q < 4; q++) {
        struct sindex_clause c[2] = {{&th_atoms[q], 1}, {&th_atoms[(q + 1) % 4], 1}};
        size_t n_ids;
        assert_int_equal(sindex_query(ix, c, 2, 0, 0, NULL, &n_ids, &args[0].want_total[q]), 0);
    }
    pthread_t th[THREADS];
    for (size_t t = 0; t < THREADS; t++) {
        args[t].ix = ix;
        memcpy(args[t].want_total, args[0].want_total, sizeof args[0].want_total);
        assert_int_equal(pthread_create(&th[t], NULL, thread_main, &args[t]), 0);
    }
    for (size_t t = 0; t < THREADS; t++) {
        assert_int_equal(pthread_join(th[t], NULL), 0);
        assert_true(args[t].ok);
    }
    sindex_free(ix);
    free(docs);
    free(strs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_basics), cmocka_unit_test(test_small_and_or),
        cmocka_unit_test(test_small_paging), cmocka_unit_test(test_build_errors_and_empty),
        cmocka_unit_test(test_random),       cmocka_unit_test(test_many_terms),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
