/*
 * libFuzzer target for core/text: whatever the bytes, text_fold() is idempotent and yields valid
 * UTF-8, text_terms() yields single-space separated terms without quotes, and text_fts_query()
 * yields either nothing or FTS5 strings joined by " AND " ending with "…"* or ("…" OR "…"*),
 * that spell exactly the terms, so FTS5 can never reject it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"
#include "core/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static void check_fold(const char *s, size_t len, bool valid)
{
    struct buf once, twice;
    buf_init(&once, 0);
    buf_init(&twice, 0);
    int rc = text_fold(s, len, &once);
    if (!valid) {
        CHECK(rc == ERR_INVAL && once.len == 0);
    } else {
        CHECK(rc == 0);
        CHECK(utf8_valid(once.data, once.len));
        CHECK(once.len <= len);
        CHECK(text_fold(once.data, once.len, &twice) == 0);
        CHECK(twice.len == once.len && memcmp(twice.data, once.data, once.len) == 0);
    }
    buf_free(&once);
    buf_free(&twice);
}

/* Checks the shape of text_terms() output and returns its number of terms. */
static size_t check_terms(const struct buf *t)
{
    size_t n = 0, word = 0;
    CHECK(utf8_valid(t->data, t->len));
    for (size_t i = 0; i < t->len; i++) {
        CHECK(t->data[i] != '"');
        if (t->data[i] == ' ') {
            CHECK(word > 0); /* no leading or double space */
            word = 0;
        } else {
            if (word == 0)
                n++;
            word++;
            CHECK(word <= TEXT_MAX_WORD);
        }
    }
    CHECK(t->len == 0 || word > 0); /* no trailing space */
    return n;
}

/* Reads one FTS5 string at q[*i] ('"' ([^"] | '""')+ '"'), appending its text to spelled. */
static void read_string(const struct buf *q, size_t *i, struct buf *spelled)
{
    CHECK(*i < q->len && q->data[*i] == '"');
    (*i)++;
    size_t start = spelled->len;
    for (;;) {
        CHECK(*i < q->len);
        if (q->data[*i] == '"') {
            if (*i + 1 < q->len && q->data[*i + 1] == '"') {
                buf_putc(spelled, '"');
                *i += 2;
                continue;
            }
            (*i)++;
            break;
        }
        buf_putc(spelled, q->data[(*i)++]);
    }
    CHECK(spelled->len > start); /* no empty string */
}

static bool at(const struct buf *q, size_t i, const char *lit)
{
    size_t n = strlen(lit);
    return i + n <= q->len && memcmp(q->data + i, lit, n) == 0;
}

/* Checks q against the grammar
 *   query := "" | (string " AND ")* last
 *   last  := string "*" | "(" string " OR " string "*)"
 * where string := '"' ([^"] | '""')+ '"', and that the strings outside "OR" alternatives spell
 * the terms t1 t2 … of t. */
static void check_query(const struct buf *q, const struct buf *t, size_t nterms)
{
    struct buf spelled, alt;
    size_t i = 0, strings = 0;
    if (nterms == 0) {
        CHECK(q->len == 0);
        return;
    }
    buf_init(&spelled, 0);
    buf_init(&alt, 0);
    for (;;) {
        if (strings > 0)
            buf_putc(&spelled, ' ');
        if (i < q->len && q->data[i] == '(') {
            i++;
            read_string(q, &i, &spelled);
            CHECK(at(q, i, " OR "));
            i += 4;
            read_string(q, &i, &alt);
            CHECK(at(q, i, "*)") && i + 2 == q->len);
            strings++;
            break;
        }
        read_string(q, &i, &spelled);
        strings++;
        if (at(q, i, " AND ")) {
            i += 5;
            continue;
        }
        CHECK(i + 1 == q->len && q->data[i] == '*'); /* the star ends the query */
        break;
    }
    CHECK(strings == nterms && strings <= TEXT_MAX_QUERY_TERM);
    CHECK(spelled.len == t->len && memcmp(spelled.data, t->data, t->len) == 0);
    buf_free(&spelled);
    buf_free(&alt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    bool valid = utf8_valid(s, size);
    struct buf t, q;

    check_fold(s, size, valid);

    buf_init(&t, 0);
    buf_init(&q, 0);
    int rc = text_terms(s, size, &t);
    if (!valid) {
        CHECK(rc == ERR_INVAL && t.len == 0);
        CHECK(text_fts_query(s, size, &q) == ERR_INVAL && q.len == 0);
        goto done;
    }
    CHECK(rc == 0);
    size_t nterms = check_terms(&t);
    rc = text_fts_query(s, size, &q);
    if (nterms > TEXT_MAX_QUERY_TERM) {
        CHECK(rc == ERR_TOOBIG && q.len == 0);
        goto done;
    }
    CHECK(rc == 0);
    check_query(&q, &t, nterms);
done:
    buf_free(&t);
    buf_free(&q);
    return 0;
}
