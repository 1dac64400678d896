/*
 * Immutable in-memory inverted index over trainers, for filtered full-text search with an exact
 * total and a page of results in a fixed order. The store layer analyses each trainer once
 * (core/text for words, plus filter tokens such as the degree or the site) and hands the terms
 * here; a query is an AND of clauses, each an OR of exact or prefix terms, and returns the number
 * of matching trainers and the ids of one page of them in ascending sort key. It exists because
 * SQLite FTS5 counts dense doclists too slowly (a 4-token AND over ~50k-entry doclists takes
 * 6-9 ms just to count); here the same count is a few word-wise ANDs and popcounts.
 *
 * Docs get dense positions 0..n-1 in key order. Each column has its own dictionary (a sorted
 * array of unique terms, so a prefix is a contiguous range) and, per term, either a sorted list
 * of uint32 positions or, when the term is dense (in more than n/32 docs, where a bitmap is
 * smaller than the list), an n-bit bitmap.
 *
 * Terms are byte strings compared with memcmp (ASCII or UTF-8, no case or accent folding: the
 * caller analyses both the docs and the queries with the same functions). A term is a maximal
 * run of bytes other than the space (0x20); repeated, leading and trailing spaces are allowed, and
 * a term repeated within one doc counts once.
 *
 * The index is never modified after sindex_build(): rebuild it to reflect changes. Any number of
 * threads may call the read functions and sindex_query() on one index at the same time.
 */
#ifndef ENGINE_SEARCH_INDEX_H
#define ENGINE_SEARCH_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sindex;

struct sindex_doc {
    int64_t key;        /* unique sort key: result order is ascending key */
    int64_t id;         /* the trainer id returned by queries */
    const char *terms;  /* space-separated terms (analysed words and filter tokens), may be "" */
    const char *vterms; /* space-separated terms of validated competences, may be "" */
};

/*
 * Builds an index of docs[0..n) given in any order and stores it in *out (NULL on error); the
 * caller frees it with sindex_free(). Copies what it needs: docs and their strings may be freed
 * as soon as this returns. NULL terms or vterms are taken as "". Two docs with the same id are
 * allowed (they are two entries); two docs with the same key are not.
 * Returns 0, ERR_INVAL (two docs share a key), ERR_TOOBIG (n or a column's number of distinct
 * terms does not fit in 32 bits) or ERR_NOMEM. Time O(T + V log V) for T term occurrences of V
 * distinct terms (100,000 docs of ~60 terms: ~0.25 s at -O2); temporary memory 4 to 8 bytes per
 * term occurrence on top of the index (~20-35 MB for that example, whose index takes ~13 MB).
 */
int sindex_build(const struct sindex_doc *docs, size_t n, struct sindex **out);

/* Frees everything the index owns; NULL is allowed. */
void sindex_free(struct sindex *ix);

/* The number of docs in the index. */
size_t sindex_count(const struct sindex *ix);

/* Bytes the index holds allocated (its arrays; malloc's own overhead excluded), for the bench. */
size_t sindex_memory(const struct sindex *ix);

enum sindex_column { SINDEX_TERMS, SINDEX_VTERMS };

struct sindex_atom {
    enum sindex_column column;
    const char *text; /* a term */
    bool prefix;      /* match every term of that column starting with text */
};

struct sindex_clause {
    const struct sindex_atom *atoms; /* OR of these */
    size_t n;
};

/*
 * Evaluates the AND of clauses[0..n_clauses), each the OR of its atoms. An exact atom matches
 * the docs holding that term in that column; a prefix atom matches the docs holding any term of
 * that column that starts with text (an empty prefix: any term at all). n_clauses == 0 matches
 * every doc; a clause with n == 0 matches nothing. An atom whose text is NULL, or whose column is
 * not one of enum sindex_column, matches nothing.
 *
 * *total gets the number of matching docs. ids[0..limit) receives the ids of the matching docs
 * number offset .. offset+limit-1 in ascending key order (counting from 0), and *n_ids how many
 * were written: fewer than limit at the end of the results, 0 when offset >= *total. ids may be
 * NULL when limit is 0.
 *
 * Read-only and thread-safe. Allocates, and frees before returning, at most two n-bit bitmaps
 * and two arrays sized by the number of clauses and atoms (nothing when n_clauses is 0). Returns
 * 0 or ERR_NOMEM (then *n_ids and *total are 0).
 */
int sindex_query(const struct sindex *ix, const struct sindex_clause *clauses, size_t n_clauses,
                 size_t offset, size_t limit, int64_t *ids, size_t *n_ids, size_t *total);

#endif
