/*
 * French text analysis for the FTS5 search index: folding (case, accents, ligatures), word
 * splitting, stop words, Snowball stemming, and the quoting of FTS5 MATCH expressions. Documents
 * and queries take the same path, which is what makes "École" find "ecole". Folding works one
 * code point at a time (fold_cp) and feeds the word splitter directly, so analysing a long
 * document needs no folded copy of it. Character classes are a small hand-made approximation of
 * Unicode's (letters = anything that is not ASCII punctuation, Latin-1 symbols, general
 * punctuation, symbols, emoji or private use), good enough for French and its neighbours; it is
 * not a general Unicode word breaker.
 *
 * Stemmers: a struct sb_stemmer is not thread-safe (it keeps the word being stemmed), and HTTP
 * workers analyse text concurrently. Measured on the development machine, sb_stemmer_new("french")
 * + sb_stemmer_delete cost about 130 ns (-O2; 1.2 us under ASan), less than stemming one word
 * (about 200 ns). So each text_terms() call creates its own stemmer, lazily, on the first word
 * that needs one: no lock, no pool, no global state, nothing to free at shutdown, and a pool
 * would not be measurably faster.
 */
#include "core/text.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "core/err.h"
#include "core/utf8.h"

/* Folding of U+00C0..U+00FF and U+0100..U+017F: one ASCII letter per code point; '*' marks the
 * letters that fold to two (see fold_cp), '?' the two symbols × and ÷, which are kept. */
static const char latin1[] = "aaaaaa*ceeeeiiii"       /* U+00C0 À..Ï */
                             "dnooooo?ouuuuy**"       /* U+00D0 Ð..ß */
                             "aaaaaa*ceeeeiiii"       /* U+00E0 à..ï */
                             "dnooooo?ouuuuy*y";      /* U+00F0 ð..ÿ */
static const char latin_ext_a[] = "aaaaaaccccccccdd"  /* U+0100 Ā..ď */
                                  "ddeeeeeeeeeegggg"  /* U+0110 Đ..ğ */
                                  "gggghhhhiiiiiiii"  /* U+0120 Ġ..į */
                                  "ii**jjkkklllllll"  /* U+0130 İ..Ŀ */
                                  "lllnnnnnnnnnoooo"  /* U+0140 ŀ..ŏ */
                                  "oo**rrrrrrssssss"  /* U+0150 Ő..ş */
                                  "ssttttttuuuuuuuu"  /* U+0160 Š..ů */
                                  "uuuuwwyyyzzzzzzs"; /* U+0170 Ű..ſ */
_Static_assert(sizeof latin1 == 64 + 1, "one entry per code point U+00C0..U+00FF");
_Static_assert(sizeof latin_ext_a == 128 + 1, "one entry per code point U+0100..U+017F");

/* Up to three folded code points (ﬃ -> f f i). */
struct folded {
    uint32_t cp[3];
    size_t n;
};

static void set_ascii(struct folded *f, const char *s)
{
    f->n = 0;
    while (*s && f->n < 3)
        f->cp[f->n++] = (unsigned char)*s++;
}

static const char *two_letter_fold(uint32_t cp)
{
    switch (cp) {
    case 0xC6: /* Æ */
    case 0xE6: /* æ */
        return "ae";
    case 0xDE: /* Þ */
    case 0xFE: /* þ */
        return "th";
    case 0xDF:   /* ß */
    case 0x1E9E: /* ẞ */
        return "ss";
    case 0x132: /* Ĳ */
    case 0x133: /* ĳ */
        return "ij";
    case 0x152: /* Œ */
    case 0x153: /* œ */
        return "oe";
    default:
        return NULL;
    }
}

/* Lowercase for the simple, one-to-one ranges of Greek and Cyrillic. */
static uint32_t lower_greek_cyrillic(uint32_t cp)
{
    if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2)
        return cp + 0x20;
    switch (cp) {
    case 0x386:
        return 0x3AC;
    case 0x388:
    case 0x389:
    case 0x38A:
        return cp + 0x25;
    case 0x38C:
        return 0x3CC;
    case 0x38E:
    case 0x38F:
        return cp + 0x3F;
    default:
        break;
    }
    if (cp >= 0x400 && cp <= 0x40F)
        return cp + 0x50;
    if (cp >= 0x410 && cp <= 0x42F)
        return cp + 0x20;
    return cp;
}

static void fold_cp(uint32_t cp, struct folded *f)
{
    static const char *const ligatures[] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};
    const char *two = two_letter_fold(cp);

    f->n = 1;
    f->cp[0] = cp;
    if (cp < 0x80) {
        if (cp >= 'A' && cp <= 'Z')
            f->cp[0] = cp + ('a' - 'A');
    } else if (two) {
        set_ascii(f, two);
    } else if (cp >= 0xC0 && cp <= 0xFF) {
        if (latin1[cp - 0xC0] != '?')
            f->cp[0] = (unsigned char)latin1[cp - 0xC0];
    } else if (cp >= 0x100 && cp <= 0x17F) {
        f->cp[0] = (unsigned char)latin_ext_a[cp - 0x100];
    } else if (cp >= 0x300 && cp <= 0x36F) {
        f->n = 0; /* combining diacritic of a decomposed letter */
    } else if (cp >= 0xFB00 && cp <= 0xFB06) {
        set_ascii(f, ligatures[cp - 0xFB00]);
    } else if (cp >= 0xFF01 && cp <= 0xFF5E) {
        fold_cp(cp - 0xFEE0, f); /* fullwidth ASCII */
    } else {
        f->cp[0] = lower_greek_cyrillic(cp);
    }
}

int text_fold(const char *s, size_t len, struct buf *out)
{
    if (!utf8_valid(s, len))
        return ERR_INVAL;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        struct folded f;
        i += utf8_decode(s + i, len - i, &cp);
        fold_cp(cp, &f);
        for (size_t k = 0; k < f.n; k++)
            utf8_encode(f.cp[k], out);
    }
    return out->err;
}

enum cp_class { CP_SEP, CP_WORD, CP_IGNORE };

/* Class of a folded code point: separators are ASCII non-alphanumerics and the punctuation,
 * symbol, emoji and private-use blocks; invisible joiners are ignored inside words. */
static enum cp_class classify(uint32_t cp)
{
    static const struct {
        uint32_t lo, hi;
    } sep[] = {
        {0x0080, 0x00BF},    {0x00D7, 0x00D7}, {0x00F7, 0x00F7},   {0x02B0, 0x02FF},
        {0x037E, 0x037E},    {0x0387, 0x0387}, {0x2000, 0x2BFF},   {0x2E00, 0x2E7F},
        {0x3000, 0x303F},    {0xE000, 0xF8FF}, {0xFE10, 0xFE1F},   {0xFE30, 0xFE6F},
        {0xFF5F, 0xFF65},    {0xFFF0, 0xFFFF}, {0x1F000, 0x1FAFF}, {0xE0000, 0xE007F},
        {0xF0000, 0x10FFFF},
    };
    if (cp < 0x80) {
        bool alnum =
            (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
        return alnum ? CP_WORD : CP_SEP;
    }
    /* Soft hyphen, zero-width (non-)joiner, word joiner, variation selectors, BOM. */
    if (cp == 0xAD || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xFEFF ||
        (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xFE20 && cp <= 0xFE2F))
        return CP_IGNORE;
    for (size_t k = 0; k < sizeof sep / sizeof sep[0]; k++) {
        if (cp >= sep[k].lo && cp <= sep[k].hi)
            return CP_SEP;
    }
    return CP_WORD;
}

/* Folded French (and a few English) words that carry no meaning for search, sorted for bsearch.
 * Elided forms (l', d', qu'…) are here because apostrophes split words. */
static const char *const stop_words[] = {
    "a",  "and",  "au", "aux",  "avec", "c",   "ce",  "ces", "d",    "dans", "de",   "des",
    "du", "elle", "en", "est",  "et",   "il",  "ils", "j",   "l",    "la",   "le",   "les",
    "m",  "n",    "ne", "nous", "of",   "on",  "ou",  "par", "pour", "qu",   "que",  "qui",
    "s",  "sa",   "se", "ses",  "son",  "sur", "t",   "the", "un",   "une",  "vous", "y",
};

static int cmp_word(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

static bool is_stop_word(const char *w)
{
    return bsearch(w, stop_words, sizeof stop_words / sizeof stop_words[0], sizeof stop_words[0],
                   cmp_word) != NULL;
}

/* The word being assembled by text_terms(), and where its terms go. */
struct analyser {
    char word[TEXT_MAX_WORD + 1]; /* folded, NUL-terminated */
    size_t len;
    bool full;                  /* a code point did not fit: the rest of the word is dropped */
    bool has_digit;             /* such words are kept unstemmed */
    struct sb_stemmer *stemmer; /* created on first need, deleted by text_terms() */
    struct buf *out;
};

static void add_to_word(struct analyser *a, uint32_t cp)
{
    char enc[4];
    size_t n = utf8_put(cp, enc);
    if (a->full)
        return;
    if (n == 0 || a->len + n > TEXT_MAX_WORD) {
        a->full = true;
        return;
    }
    memcpy(a->word + a->len, enc, n);
    a->len += n;
    a->word[a->len] = '\0';
    if (cp >= '0' && cp <= '9')
        a->has_digit = true;
}

static int emit_term(struct analyser *a, const char *term, size_t len)
{
    if (a->out->len > 0 && a->out->data[a->out->len - 1] != ' ')
        buf_putc(a->out, ' ');
    buf_append(a->out, term, len);
    return a->out->err;
}

/* Ends the current word: drops it, keeps it or stems it. */
static int end_word(struct analyser *a)
{
    int rc = 0;
    if (a->len == 0 || is_stop_word(a->word))
        goto done;
    if (a->has_digit) {
        rc = emit_term(a, a->word, a->len);
        goto done;
    }
    if (!a->stemmer) {
        a->stemmer = sb_stemmer_new("french", "UTF_8");
        if (!a->stemmer) {
            rc = ERR_NOMEM; /* the algorithm is compiled in: only malloc can fail */
            goto done;
        }
    }
    const sb_symbol *stem = sb_stemmer_stem(a->stemmer, (const sb_symbol *)a->word, (int)a->len);
    if (!stem) {
        rc = ERR_NOMEM;
        goto done;
    }
    int n = sb_stemmer_length(a->stemmer);
    if (n > 0)
        rc = emit_term(a, (const char *)stem, (size_t)n);
    else
        rc = emit_term(a, a->word, a->len); /* never seen; keep the word rather than lose it */
done:
    a->len = 0;
    a->word[0] = '\0';
    a->full = false;
    a->has_digit = false;
    return rc;
}

/* Runs the analyser over s, which must be valid UTF-8. */
static int analyse(struct analyser *a, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        struct folded f;
        i += utf8_decode(s + i, len - i, &cp);
        fold_cp(cp, &f);
        for (size_t k = 0; k < f.n; k++) {
            enum cp_class c = classify(f.cp[k]);
            int rc = 0;
            if (c == CP_WORD)
                add_to_word(a, f.cp[k]);
            else if (c == CP_SEP)
                rc = end_word(a);
            if (rc)
                return rc;
        }
    }
    return end_word(a);
}

int text_terms(const char *s, size_t len, struct buf *out)
{
    if (!utf8_valid(s, len))
        return ERR_INVAL;
    struct analyser a = {.out = out};
    int rc = analyse(&a, s, len);
    sb_stemmer_delete(a.stemmer);
    return rc;
}

/* Appends term as an FTS5 string: in double quotes, any '"' doubled. */
static void fts_string(struct buf *q, const char *term, size_t len)
{
    buf_putc(q, '"');
    for (size_t i = 0; i < len; i++) {
        if (term[i] == '"')
            buf_putc(q, '"');
        buf_putc(q, term[i]);
    }
    buf_putc(q, '"');
}

static bool word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* The last word of s as text_fold() spells it (bytes of letters and digits, any non-ASCII
 * byte counted as a letter), into w; empty if none. */
static int last_folded_word(const char *s, size_t len, struct buf *w)
{
    struct buf folded;
    buf_init(&folded, 0);
    int rc = text_fold(s, len, &folded);
    if (rc == 0) {
        size_t end = folded.len;
        while (end > 0 && !word_byte((unsigned char)folded.data[end - 1]))
            end--;
        size_t start = end;
        while (start > 0 && word_byte((unsigned char)folded.data[start - 1]))
            start--;
        rc = buf_append(w, folded.data + start, end - start);
    }
    buf_free(&folded);
    return rc;
}

int text_query_parse(const char *s, size_t len, struct text_query *q)
{
    struct buf terms, word, stem;
    buf_init(&terms, 0);
    buf_init(&word, 0);
    buf_init(&stem, 0);
    memset(q, 0, sizeof *q);
    int rc = text_terms(s, len, &terms);
    if (rc)
        goto fail;
    /* terms is "t1 t2 … tn": single spaces, no leading or trailing one, no empty term. */
    size_t start = 0;
    while (start < terms.len) {
        const char *sp = memchr(terms.data + start, ' ', terms.len - start);
        size_t end = sp ? (size_t)(sp - terms.data) : terms.len;
        if (q->n == TEXT_MAX_QUERY_TERM) {
            rc = ERR_TOOBIG;
            goto fail;
        }
        size_t n = end - start < TEXT_MAX_WORD ? end - start : TEXT_MAX_WORD;
        memcpy(q->terms[q->n], terms.data + start, n);
        q->terms[q->n][n] = '\0';
        q->n++;
        start = end + 1;
    }
    if (q->n > 0) {
        /* The last word may be half typed: keep its folded spelling when it is not its own
         * term, so that it can match as a prefix ("mater" finds "maternel"; its stem "mat" as a
         * prefix would also find "mathemat"). */
        const char *t = q->terms[q->n - 1];
        size_t tlen = strlen(t);
        if ((rc = last_folded_word(s, len, &word)) != 0)
            goto fail;
        if ((rc = text_terms(word.data, word.len, &stem)) != 0)
            goto fail;
        bool same_word = stem.len == tlen && memcmp(stem.data, t, tlen) == 0;
        if (same_word && (word.len != tlen || memcmp(word.data, t, tlen) != 0) &&
            word.len <= TEXT_MAX_WORD) {
            memcpy(q->last_word, word.data, word.len);
            q->last_word[word.len] = '\0';
        }
    }
    rc = 0;
fail:
    if (rc)
        memset(q, 0, sizeof *q);
    buf_free(&terms);
    buf_free(&word);
    buf_free(&stem);
    return rc;
}

int text_fts_query(const char *s, size_t len, struct buf *out)
{
    struct text_query tq;
    int rc = text_query_parse(s, len, &tq);
    if (rc)
        return rc;
    struct buf q;
    buf_init(&q, 0);
    for (int i = 0; i < tq.n; i++) {
        const char *t = tq.terms[i];
        if (i > 0)
            buf_puts(&q, " AND ");
        if (i < tq.n - 1) {
            fts_string(&q, t, strlen(t));
        } else if (tq.last_word[0]) {
            buf_putc(&q, '(');
            fts_string(&q, t, strlen(t));
            buf_puts(&q, " OR ");
            fts_string(&q, tq.last_word, strlen(tq.last_word));
            buf_puts(&q, "*)");
        } else {
            fts_string(&q, t, strlen(t));
            buf_putc(&q, '*');
        }
    }
    rc = q.err ? q.err : buf_append(out, q.data, q.len);
    buf_free(&q);
    return rc;
}
