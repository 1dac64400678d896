/*
 * In-memory inverted index with bitmaps (see search_index.h for the contract).
 *
 * Build: the docs are sorted by key and get positions 0..n-1, so that "ascending key" is
 * "ascending bit number" and a page is a walk over set bits. Each column is built separately: one
 * pass tokenises every doc in position order, interns each term in a hash table and appends its
 * id to a stream (once per doc, and a separator after each doc); the distinct terms are then
 * sorted into the dictionary and a second pass over the stream fills the posting lists, which
 * come out sorted because docs were visited in position order. This costs O(T) hashing plus
 * O(V log V) sorting for T occurrences of V distinct terms, instead of sorting the T occurrences.
 *
 * A term held by more than n/32 docs is stored as an n-bit bitmap, others as a list of uint32
 * positions. The threshold is where the two take the same room (n/8 bytes = 4 * n/32), so the
 * choice never costs memory, and it makes the filter tokens (degree, site, weekday, "zzval"),
 * which are the dense terms, combine word-wise.
 *
 * Query: each clause is resolved to ranges of its column's dictionary (an exact term is a range of
 * one, a prefix a contiguous range), with an estimated size (the sum of the document frequencies,
 * an upper bound of its count). Clauses are evaluated in increasing estimate into one running
 * bitmap, stopping as soon as it is empty: the result can only shrink, so starting from the most
 * selective clause makes empty results stop early. A clause is evaluated by OR-ing every term of
 * every range into one accumulator, whatever the number of terms, so a broad prefix costs the sum
 * of its postings plus one pass per dense term, never one intermediate bitmap per term; it is then
 * AND-ed word-wise into the running bitmap (directly, without the accumulator, when the clause is
 * a single dense term, the usual filter token). The total is the popcount of the result and the
 * page a walk over its set bits.
 *
 * An alternative, when few docs are left after the first clauses, is to probe them one by one
 * (a bit test, or a binary search in the posting list, per term of the clause) instead of
 * building the clause's bitmap. It was implemented with a cost model and measured with
 * bench/bench_sindex.c: at 100,000 docs a word-wise pass is 1,563 words (well under a
 * microsecond), so probing never saved more than a microsecond and lost time on broad prefixes;
 * it was dropped for the simpler single path.
 */
#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "engine/search_index.h"

/* A term in more than n / DENSE_DIVISOR docs is a bitmap (see the file comment). */
#define DENSE_DIVISOR 32

/* Marks the end of a doc in the build stream of term ids; no term id can take this value. */
#define STREAM_DOC_END UINT32_MAX

struct term {
    size_t str;   /* offset of its bytes in column.strs (not NUL-terminated) */
    uint32_t len; /* its length in bytes */
    uint32_t df;  /* number of docs holding it, >= 1 */
    size_t data;  /* dense: its first word in column.bitmaps; else its first in column.postings */
};

struct column {
    char *strs; /* the bytes of every term, in dictionary order */
    size_t strs_len;
    struct term *terms; /* the dictionary, sorted by memcmp order of the bytes, then length */
    size_t n_terms;
    uint32_t *postings; /* the lists of the sparse terms, each ascending */
    size_t n_postings;
    uint64_t *bitmaps; /* the bitmaps of the dense terms, n_words each, bit p = position p */
    size_t n_bitmap_words;
};

struct sindex {
    size_t n;       /* number of docs */
    size_t n_words; /* 64-bit words of an n-bit bitmap */
    int64_t *ids;   /* ids[p]: the id of the doc at position p (ascending key) */
    struct column cols[2];
};

/* ---------------------------------------------------------------------------------------------
 * Small helpers.
 */

/* Allocates count * size bytes (zeroed when zero is set) into *p, or sets *p = NULL when count is
 * 0, so that empty indexes need no special case. */
static int alloc_array(size_t count, size_t size, bool zero, void **p)
{
    *p = NULL;
    if (count == 0)
        return 0;
    if (count > SIZE_MAX / size)
        return ERR_NOMEM;
    *p = zero ? calloc(count, size) : malloc(count * size);
    return *p == NULL ? ERR_NOMEM : 0;
}

/* Grows *p (an array of *cap elements of size bytes) to hold at least need elements. */
static int grow_array(void **p, size_t *cap, size_t need, size_t size, size_t min_cap)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap < min_cap ? min_cap : *cap;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / size)
            return ERR_NOMEM;
        ncap *= 2;
    }
    void *np = realloc(*p, ncap * size);
    if (np == NULL)
        return ERR_NOMEM;
    *p = np;
    *cap = ncap;
    return 0;
}

static bool term_dense(const struct sindex *ix, uint32_t df)
{
    return (uint64_t)df * DENSE_DIVISOR > (uint64_t)ix->n;
}

static size_t words_for(size_t bits)
{
    return bits / 64 + (bits % 64 != 0);
}

/* Lexicographic byte order, a proper prefix first: the dictionary order. */
static int cmp_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t m = alen < blen ? alen : blen;
    int c = m == 0 ? 0 : memcmp(a, b, m);
    if (c != 0)
        return c;
    return (alen > blen) - (alen < blen);
}

/* Orders a term against a prefix: 0 when the term starts with it. Monotone over the dictionary,
 * so the terms starting with a prefix form one contiguous range. */
static int cmp_prefix(const char *t, size_t tlen, const char *prefix, size_t plen)
{
    size_t m = tlen < plen ? tlen : plen;
    int c = m == 0 ? 0 : memcmp(t, prefix, m);
    if (c != 0)
        return c;
    return tlen < plen ? -1 : 0;
}

/* ---------------------------------------------------------------------------------------------
 * Build.
 */

struct bterm {
    size_t str; /* offset of its bytes in builder.strs */
    uint32_t len;
    uint32_t hash;
    uint32_t df;
    uint32_t last; /* while tokenising: position + 1 of the last doc holding it (0 none); then
                    * while filling: how many of its postings are written */
};

struct builder {
    char *strs; /* the bytes of the distinct terms, in order of first appearance */
    size_t strs_len, strs_cap;
    struct bterm *terms;
    size_t n_terms, terms_cap;
    uint32_t *slots; /* hash table of term index + 1, 0 = empty; linear probing, load <= 1/2 */
    size_t n_slots;
    uint32_t *stream; /* term ids of each doc in position order, STREAM_DOC_END after each doc */
    size_t stream_len, stream_cap;
};

static void builder_free(struct builder *b)
{
    free(b->strs);
    free(b->terms);
    free(b->slots);
    free(b->stream);
}

static int builder_rehash(struct builder *b)
{
    size_t n_slots = b->n_slots == 0 ? 1024 : b->n_slots * 2;
    uint32_t *slots;
    if (n_slots > SIZE_MAX / sizeof *slots)
        return ERR_NOMEM;
    slots = calloc(n_slots, sizeof *slots);
    if (slots == NULL)
        return ERR_NOMEM;
    for (size_t i = 0; i < b->n_terms; i++) {
        size_t s = b->terms[i].hash & (n_slots - 1);
        while (slots[s] != 0)
            s = (s + 1) & (n_slots - 1);
        slots[s] = (uint32_t)(i + 1);
    }
    free(b->slots);
    b->slots = slots;
    b->n_slots = n_slots;
    return 0;
}

/* Finds or adds the term s[0..len) with hash h; its index goes to *tid. */
static int builder_intern(struct builder *b, const char *s, uint32_t len, uint32_t h, uint32_t *tid)
{
    size_t s_i = h & (b->n_slots - 1);
    for (;;) {
        uint32_t v = b->slots[s_i];
        if (v == 0)
            break;
        const struct bterm *t = &b->terms[v - 1];
        if (t->hash == h && t->len == len && memcmp(b->strs + t->str, s, len) == 0) {
            *tid = v - 1;
            return 0;
        }
        s_i = (s_i + 1) & (b->n_slots - 1);
    }
    /* Term ids and slot values (id + 1) are uint32, and STREAM_DOC_END must stay free. */
    if (b->n_terms >= UINT32_MAX - 1)
        return ERR_TOOBIG;
    if (grow_array((void **)&b->strs, &b->strs_cap, b->strs_len + len, 1, 4096) != 0 ||
        grow_array((void **)&b->terms, &b->terms_cap, b->n_terms + 1, sizeof *b->terms, 256) != 0)
        return ERR_NOMEM;
    if (len > 0)
        memcpy(b->strs + b->strs_len, s, len);
    b->terms[b->n_terms] = (struct bterm){.str = b->strs_len, .len = len, .hash = h};
    b->strs_len += len;
    b->slots[s_i] = (uint32_t)(b->n_terms + 1);
    *tid = (uint32_t)b->n_terms;
    b->n_terms++;
    if (b->n_terms * 2 > b->n_slots)
        return builder_rehash(b);
    return 0;
}

static int builder_push(struct builder *b, uint32_t v)
{
    if (b->stream_len == b->stream_cap &&
        grow_array((void **)&b->stream, &b->stream_cap, b->stream_len + 1, sizeof *b->stream,
                   1 << 16) != 0)
        return ERR_NOMEM;
    b->stream[b->stream_len++] = v;
    return 0;
}

/* Tokenises the terms of the doc at position pos and appends their ids to the stream, each once. */
static int builder_add_doc(struct builder *b, const char *s, uint32_t pos)
{
    const unsigned char *p = (const unsigned char *)s;
    for (;;) {
        while (*p == ' ')
            p++;
        if (*p == '\0')
            break;
        /* FNV-1a, computed while looking for the end of the term. */
        const unsigned char *start = p;
        uint32_t h = 2166136261u;
        while (*p != '\0' && *p != ' ') {
            h = (h ^ *p) * 16777619u;
            p++;
        }
        size_t len = (size_t)(p - start);
        if (len > UINT32_MAX)
            return ERR_TOOBIG;
        uint32_t tid;
        int rc = builder_intern(b, (const char *)start, (uint32_t)len, h, &tid);
        if (rc != 0)
            return rc;
        struct bterm *t = &b->terms[tid];
        if (t->last != pos + 1) {
            t->last = pos + 1;
            t->df++;
            if (builder_push(b, tid) != 0)
                return ERR_NOMEM;
        }
    }
    return builder_push(b, STREAM_DOC_END);
}

struct sort_term {
    const char *s;
    uint32_t len;
    uint32_t tid;
};

static int cmp_sort_term(const void *a, const void *b)
{
    const struct sort_term *x = a, *y = b;
    return cmp_bytes(x->s, x->len, y->s, y->len);
}

/* Turns the builder's terms and stream into the column's dictionary, postings and bitmaps. */
static int column_finish(const struct sindex *ix, struct builder *b, struct column *col)
{
    int rc = ERR_NOMEM;
    struct sort_term *sorted = NULL;
    uint32_t *remap = NULL;

    if (alloc_array(b->n_terms, sizeof *sorted, false, (void **)&sorted) != 0 ||
        alloc_array(b->n_terms, sizeof *remap, false, (void **)&remap) != 0 ||
        alloc_array(b->n_terms, sizeof *col->terms, false, (void **)&col->terms) != 0 ||
        alloc_array(b->strs_len, 1, false, (void **)&col->strs) != 0)
        goto fail;
    for (size_t i = 0; i < b->n_terms; i++)
        sorted[i] = (struct sort_term){b->strs + b->terms[i].str, b->terms[i].len, (uint32_t)i};
    if (b->n_terms > 1)
        qsort(sorted, b->n_terms, sizeof *sorted, cmp_sort_term);

    size_t str_off = 0, post_off = 0, word_off = 0;
    for (size_t i = 0; i < b->n_terms; i++) {
        struct bterm *bt = &b->terms[sorted[i].tid];
        struct term *t = &col->terms[i];
        if (bt->len > 0)
            memcpy(col->strs + str_off, sorted[i].s, bt->len);
        t->str = str_off;
        t->len = bt->len;
        t->df = bt->df;
        str_off += bt->len;
        if (term_dense(ix, bt->df)) {
            t->data = word_off;
            word_off += ix->n_words;
        } else {
            t->data = post_off;
            post_off += bt->df;
        }
        remap[sorted[i].tid] = (uint32_t)i;
        bt->last = 0;
    }
    col->n_terms = b->n_terms;
    col->strs_len = b->strs_len;
    free(sorted);
    sorted = NULL;

    if (alloc_array(post_off, sizeof *col->postings, false, (void **)&col->postings) != 0 ||
        alloc_array(word_off, sizeof *col->bitmaps, true, (void **)&col->bitmaps) != 0)
        goto fail;
    col->n_postings = post_off;
    col->n_bitmap_words = word_off;

    uint32_t pos = 0;
    for (size_t i = 0; i < b->stream_len; i++) {
        uint32_t tid = b->stream[i];
        if (tid == STREAM_DOC_END) {
            pos++;
            continue;
        }
        const struct term *t = &col->terms[remap[tid]];
        if (term_dense(ix, t->df))
            col->bitmaps[t->data + pos / 64] |= UINT64_C(1) << (pos % 64);
        else
            col->postings[t->data + b->terms[tid].last++] = pos;
    }
    assert(pos == ix->n);
    rc = 0;
fail:
    free(sorted);
    free(remap);
    return rc;
}

struct key_pos {
    int64_t key;
    uint32_t doc; /* index in the caller's docs */
};

static int cmp_key_pos(const void *a, const void *b)
{
    const struct key_pos *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

static int column_build(struct sindex *ix, const struct sindex_doc *docs,
                        const struct key_pos *order, enum sindex_column which)
{
    struct builder b = {0};
    int rc = builder_rehash(&b);
    if (rc != 0)
        goto fail;
    for (size_t p = 0; p < ix->n; p++) {
        const struct sindex_doc *d = &docs[order[p].doc];
        const char *s = which == SINDEX_TERMS ? d->terms : d->vterms;
        rc = builder_add_doc(&b, s == NULL ? "" : s, (uint32_t)p);
        if (rc != 0)
            goto fail;
    }
    rc = column_finish(ix, &b, &ix->cols[which]);
fail:
    builder_free(&b);
    return rc;
}

int sindex_build(const struct sindex_doc *docs, size_t n, struct sindex **out)
{
    int rc = ERR_NOMEM;
    struct key_pos *order = NULL;
    struct sindex *ix = NULL;

    assert(out != NULL && (docs != NULL || n == 0));
    *out = NULL;
    /* Positions are uint32 and builder_add_doc() stores position + 1. */
    if (n >= UINT32_MAX)
        return ERR_TOOBIG;
    ix = calloc(1, sizeof *ix);
    if (ix == NULL)
        goto fail;
    ix->n = n;
    ix->n_words = words_for(n);
    if (alloc_array(n, sizeof *order, false, (void **)&order) != 0 ||
        alloc_array(n, sizeof *ix->ids, false, (void **)&ix->ids) != 0)
        goto fail;
    for (size_t i = 0; i < n; i++)
        order[i] = (struct key_pos){docs[i].key, (uint32_t)i};
    if (n > 1)
        qsort(order, n, sizeof *order, cmp_key_pos);
    for (size_t p = 0; p < n; p++) {
        if (p > 0 && order[p].key == order[p - 1].key) {
            rc = ERR_INVAL;
            goto fail;
        }
        ix->ids[p] = docs[order[p].doc].id;
    }
    rc = column_build(ix, docs, order, SINDEX_TERMS);
    if (rc != 0)
        goto fail;
    rc = column_build(ix, docs, order, SINDEX_VTERMS);
    if (rc != 0)
        goto fail;
    *out = ix;
    ix = NULL;
    rc = 0;
fail:
    free(order);
    sindex_free(ix);
    return rc;
}

void sindex_free(struct sindex *ix)
{
    if (ix == NULL)
        return;
    for (size_t c = 0; c < 2; c++) {
        free(ix->cols[c].strs);
        free(ix->cols[c].terms);
        free(ix->cols[c].postings);
        free(ix->cols[c].bitmaps);
    }
    free(ix->ids);
    free(ix);
}

size_t sindex_count(const struct sindex *ix)
{
    return ix->n;
}

size_t sindex_memory(const struct sindex *ix)
{
    size_t m = sizeof *ix + ix->n * sizeof *ix->ids;
    for (size_t c = 0; c < 2; c++) {
        const struct column *col = &ix->cols[c];
        m += col->strs_len + col->n_terms * sizeof *col->terms +
             col->n_postings * sizeof *col->postings + col->n_bitmap_words * sizeof *col->bitmaps;
    }
    return m;
}

/* ---------------------------------------------------------------------------------------------
 * Query.
 */

/* Terms [lo, hi) of one column's dictionary: what one atom matches. */
struct range {
    const struct column *col;
    size_t lo, hi;
};

/* One clause, resolved: its non-empty ranges. */
struct plan {
    const struct range *ranges;
    size_t n_ranges;
    uint64_t est;      /* sum of the dfs: an upper bound of the clause's count */
    bool single_dense; /* exactly one term, and it is a bitmap */
};

/* Finds the terms of col matching text (exactly, or as a prefix) into r->lo .. r->hi. */
static void range_resolve(const struct column *col, const char *text, bool prefix, struct range *r)
{
    size_t len = strlen(text);
    size_t lo = 0, hi = col->n_terms;
    /* First term not before the text (as a prefix: first term not before the prefix range). */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct term *t = &col->terms[mid];
        int c = prefix ? cmp_prefix(col->strs + t->str, t->len, text, len)
                       : cmp_bytes(col->strs + t->str, t->len, text, len);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    r->col = col;
    r->lo = lo;
    if (!prefix) {
        const struct term *t = lo < col->n_terms ? &col->terms[lo] : NULL;
        r->hi = t != NULL && cmp_bytes(col->strs + t->str, t->len, text, len) == 0 ? lo + 1 : lo;
        return;
    }
    hi = col->n_terms;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct term *t = &col->terms[mid];
        if (cmp_prefix(col->strs + t->str, t->len, text, len) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    r->hi = lo;
}

/* Resolves clause c into ranges (written from *ranges on) and the plan p. */
static void plan_make(const struct sindex *ix, const struct sindex_clause *c, struct range *ranges,
                      struct plan *p)
{
    *p = (struct plan){.ranges = ranges};
    size_t n_terms = 0;
    for (size_t i = 0; i < c->n; i++) {
        const struct sindex_atom *a = &c->atoms[i];
        /* Documented to match nothing rather than asserted: a caller mapping a UI field to a
         * column would otherwise crash the server on a bad value. */
        if (a->text == NULL || (a->column != SINDEX_TERMS && a->column != SINDEX_VTERMS))
            continue;
        struct range *r = &ranges[p->n_ranges];
        range_resolve(&ix->cols[a->column], a->text, a->prefix, r);
        if (r->lo == r->hi)
            continue;
        p->n_ranges++;
        n_terms += r->hi - r->lo;
        for (size_t t = r->lo; t < r->hi; t++)
            p->est += r->col->terms[t].df;
    }
    p->single_dense = n_terms == 1 && term_dense(ix, p->ranges[0].col->terms[p->ranges[0].lo].df);
}

static int cmp_plan(const void *a, const void *b)
{
    const struct plan *x = a, *y = b;
    return (x->est > y->est) - (x->est < y->est);
}

/* ORs every term of plan p into the n-bit bitmap bm. */
static void plan_or_into(const struct sindex *ix, const struct plan *p, uint64_t *bm)
{
    for (size_t i = 0; i < p->n_ranges; i++) {
        const struct range *r = &p->ranges[i];
        for (size_t ti = r->lo; ti < r->hi; ti++) {
            const struct term *t = &r->col->terms[ti];
            if (term_dense(ix, t->df)) {
                const uint64_t *src = r->col->bitmaps + t->data;
                for (size_t w = 0; w < ix->n_words; w++)
                    bm[w] |= src[w];
            } else {
                const uint32_t *post = r->col->postings + t->data;
                for (uint32_t k = 0; k < t->df; k++)
                    bm[post[k] / 64] |= UINT64_C(1) << (post[k] % 64);
            }
        }
    }
}

/* acc &= src over n_words; returns the popcount of the result. */
static size_t acc_and(uint64_t *acc, const uint64_t *src, size_t n_words)
{
    size_t count = 0;
    for (size_t w = 0; w < n_words; w++) {
        acc[w] &= src[w];
        count += (size_t)__builtin_popcountll(acc[w]);
    }
    return count;
}

static size_t acc_count(const uint64_t *acc, size_t n_words)
{
    size_t count = 0;
    for (size_t w = 0; w < n_words; w++)
        count += (size_t)__builtin_popcountll(acc[w]);
    return count;
}

/* Writes the ids of set bits number offset .. offset+limit-1 of acc; returns how many. */
static size_t acc_page(const struct sindex *ix, const uint64_t *acc, size_t offset, size_t limit,
                       int64_t *ids)
{
    size_t w = 0, k = 0;
    uint64_t bits = 0;
    for (; w < ix->n_words; w++) {
        size_t c = (size_t)__builtin_popcountll(acc[w]);
        if (offset < c)
            break;
        offset -= c;
    }
    if (w == ix->n_words)
        return 0;
    bits = acc[w];
    while (offset-- > 0)
        bits &= bits - 1;
    for (;;) {
        while (bits != 0 && k < limit) {
            ids[k++] = ix->ids[w * 64 + (size_t)__builtin_ctzll(bits)];
            bits &= bits - 1;
        }
        if (k == limit || ++w == ix->n_words)
            break;
        bits = acc[w];
    }
    return k;
}

/* Evaluates the plans, sorted by estimate, into acc; the number of matching docs goes to *count. */
static int plans_eval(const struct sindex *ix, const struct plan *plans, size_t n_plans,
                      uint64_t *acc, size_t *count)
{
    uint64_t *tmp = NULL;
    size_t nw = ix->n_words, left;

    memset(acc, 0, nw * sizeof *acc);
    plan_or_into(ix, &plans[0], acc);
    left = acc_count(acc, nw);
    for (size_t i = 1; i < n_plans && left > 0; i++) {
        const struct plan *p = &plans[i];
        if (p->single_dense) {
            const struct range *r = &p->ranges[0];
            left = acc_and(acc, r->col->bitmaps + r->col->terms[r->lo].data, nw);
            continue;
        }
        if (tmp == NULL) {
            tmp = malloc(nw * sizeof *tmp);
            if (tmp == NULL)
                return ERR_NOMEM;
        }
        memset(tmp, 0, nw * sizeof *tmp);
        plan_or_into(ix, p, tmp);
        left = acc_and(acc, tmp, nw);
    }
    free(tmp);
    *count = left;
    return 0;
}

int sindex_query(const struct sindex *ix, const struct sindex_clause *clauses, size_t n_clauses,
                 size_t offset, size_t limit, int64_t *ids, size_t *n_ids, size_t *total)
{
    int rc = ERR_NOMEM;
    struct range *ranges = NULL;
    struct plan *plans = NULL;
    uint64_t *acc = NULL;
    size_t n_atoms = 0, count = 0;

    assert(ix != NULL && n_ids != NULL && total != NULL && (ids != NULL || limit == 0));
    *n_ids = 0;
    *total = 0;
    if (n_clauses == 0) {
        /* Every doc matches: the page is a slice of ids, no bitmap needed. */
        *total = ix->n;
        if (offset < ix->n) {
            size_t k = ix->n - offset < limit ? ix->n - offset : limit;
            if (k > 0)
                memcpy(ids, ix->ids + offset, k * sizeof *ids);
            *n_ids = k;
        }
        return 0;
    }
    for (size_t c = 0; c < n_clauses; c++) {
        if (clauses[c].n == 0)
            return 0;
        n_atoms += clauses[c].n;
    }
    if (alloc_array(n_atoms, sizeof *ranges, false, (void **)&ranges) != 0 ||
        alloc_array(n_clauses, sizeof *plans, false, (void **)&plans) != 0)
        goto done;
    struct range *next = ranges;
    for (size_t c = 0; c < n_clauses; c++) {
        plan_make(ix, &clauses[c], next, &plans[c]);
        if (plans[c].est == 0) {
            /* A clause matching no term matches no doc: the AND is empty. */
            rc = 0;
            goto done;
        }
        next += plans[c].n_ranges;
    }
    if (n_clauses > 1)
        qsort(plans, n_clauses, sizeof *plans, cmp_plan);
    if (alloc_array(ix->n_words, sizeof *acc, false, (void **)&acc) != 0)
        goto done;
    rc = plans_eval(ix, plans, n_clauses, acc, &count);
    if (rc != 0)
        goto done;
    *total = count;
    if (offset < count && limit > 0)
        *n_ids = acc_page(ix, acc, offset, limit, ids);
    rc = 0;
done:
    free(ranges);
    free(plans);
    free(acc);
    return rc;
}
