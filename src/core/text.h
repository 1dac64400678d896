/*
 * French full-text analysis for search. SQLite FTS5 stores terms that this module produced, and
 * queries go through the very same functions, so "Éducation", "éducation" and "education" meet
 * on one term. The pipeline is: text_fold() (lowercase, strip accents) -> split into words ->
 * drop stop words -> Snowball "french" stemmer. All functions are thread-safe and keep no state
 * between calls (there is nothing to initialise or shut down). Input must be strict UTF-8 without
 * NUL bytes (utf8_valid()); anything else is ERR_INVAL and nothing is appended.
 *
 * Every function appends to out, which the caller owns. On ERR_NOMEM / ERR_TOOBIG from the
 * buffer, out may hold a partial result and buf_failed(out) is true.
 */
#ifndef CORE_TEXT_H
#define CORE_TEXT_H

#include <stddef.h>

#include "core/buf.h"

#define TEXT_MAX_WORD       64 /* bytes of a folded word kept before stemming */
#define TEXT_MAX_QUERY_TERM 16 /* text_fts_query() refuses more terms than this */

/*
 * Appends s[0..len) lowercased and without diacritics: Latin-1 and Latin Extended-A letters
 * become ASCII (é->e, ç->c, œ->oe, æ->ae, ß->ss, ÿ->y, ł->l…), ASCII, basic Greek and Cyrillic
 * capitals become lowercase, the typographic ligatures U+FB00..FB06 (ﬁ, ﬂ… as pasted from PDFs)
 * and fullwidth ASCII are spelled out, combining diacritics U+0300..U+036F are dropped (so
 * decomposed "e\u0301" folds like "é"). Every other code point is copied unchanged. The output is
 * valid UTF-8 and folding it again changes nothing.
 * Returns 0, ERR_INVAL (invalid UTF-8 or NUL, nothing appended) or the buffer's error.
 */
int text_fold(const char *s, size_t len, struct buf *out);

/*
 * Appends the search terms of s[0..len), separated by single spaces; when out is non-empty and
 * does not end with a space, a space is added first, so several fields can be analysed into one
 * buffer. A word is a run of letters and digits after folding; everything else separates words,
 * in particular apostrophes (' ’ ʼ) and hyphens: "l'inclusion" gives "l" and "inclusion". Soft
 * hyphens and zero-width joiners inside a word are ignored. Words longer than TEXT_MAX_WORD bytes
 * are cut at a code point boundary. French stop words ("le", "de", "l", "d", "et", "à"…) are
 * dropped. A word containing a digit ("1D", "CM2", "6e") is kept as folded, unstemmed; other words
 * are replaced by their Snowball "french" stem ("inclusive", "inclusion" -> "inclus").
 * Appends nothing when the text has no term. Returns 0, ERR_INVAL, ERR_NOMEM or ERR_TOOBIG.
 */
int text_terms(const char *s, size_t len, struct buf *out);

/* Free user text analysed for a search: its terms (as text_terms() makes them), and the
 * folded spelling of the last word when it differs from its term, so that a half-typed last
 * word can match either its stem exactly or its spelling as a prefix. */
struct text_query {
    int n;
    char terms[TEXT_MAX_QUERY_TERM][TEXT_MAX_WORD + 1];
    char last_word[TEXT_MAX_WORD + 1]; /* "" when the last word is its own term */
};

/* Parses s into q. Returns 0 (q->n may be 0: no term), ERR_INVAL (invalid UTF-8) or
 * ERR_TOOBIG (more than TEXT_MAX_QUERY_TERM terms); q is zeroed on error. */
int text_query_parse(const char *s, size_t len, struct text_query *q);

/*
 * Appends an FTS5 MATCH expression for free user text: the terms of text_terms(), each as an FTS5
 * string ("term", any '"' doubled), joined by " AND ". The last word may be half typed, so it
 * matches either its stem exactly or its folded spelling as a prefix of an indexed term:
 * ("stem" OR "word"*) — "mater" finds "maternel" without "mat"* also finding "mathemat". When
 * the folded word is its own term (digits, short words) the last string is just "term"*. Appends
 * nothing when the text has no term (then out->len stays 0 with a fresh buffer, and the caller
 * skips full-text filtering). The result is always accepted by the FTS5 query parser. Returns 0,
 * ERR_INVAL (invalid UTF-8), ERR_TOOBIG (more than TEXT_MAX_QUERY_TERM terms: refused rather than
 * silently truncated) or ERR_NOMEM; on error nothing is appended. Limitation: stems are matched by
 * prefix, so a partial word whose stem is longer than the stem of the full word ("educati" ->
 * "educat", while "education" -> "educ") finds nothing until the word is complete.
 */
int text_fts_query(const char *s, size_t len, struct buf *out);

#endif
