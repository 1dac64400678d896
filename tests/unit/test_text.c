/* Unit tests of core/text: folding, French terms, and FTS5 MATCH expressions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"

/* Result of f(s) as a string the caller frees; fails the test on error. */
static char *run(int (*f)(const char *, size_t, struct buf *), const char *s)
{
    struct buf b;
    buf_init(&b, 0);
    int rc = f(s, strlen(s), &b);
    if (rc != 0)
        fail_msg("\"%s\": rc %d", s, rc);
    char *r = buf_steal(&b);
    assert_non_null(r);
    return r;
}

static void expect(int (*f)(const char *, size_t, struct buf *), const char *s, const char *want)
{
    char *got = run(f, s);
    assert_string_equal(got, want);
    free(got);
}

static void expect_same_terms(const char *a, const char *b)
{
    char *ta = run(text_terms, a);
    char *tb = run(text_terms, b);
    assert_true(ta[0] != '\0');
    assert_string_equal(ta, tb);
    free(ta);
    free(tb);
}

static void test_fold_french(void **state)
{
    (void)state;
    expect(text_fold, "", "");
    expect(text_fold, "Éducation", "education");
    expect(text_fold, "ÉCOLE Maternelle", "ecole maternelle");
    expect(text_fold, "Ça déçoit", "ca decoit");
    expect(text_fold, "Œuvre, cœur, Ægée, æther", "oeuvre, coeur, aegee, aether");
    expect(text_fold, "straße ẞ", "strasse ss");
    expect(text_fold, "L’Haÿ-les-Roses", "l’hay-les-roses"); /* ’ is kept */
    expect(text_fold, "Noël à l'Île-de-France", "noel a l'ile-de-france");
}

static void test_fold_latin1_and_extended_a(void **state)
{
    (void)state;
    /* every letter of U+00C0..U+00FF; × and ÷ are symbols and stay */
    expect(text_fold, "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞß", "aaaaaaaeceeeeiiiidnooooo×ouuuuythss");
    expect(text_fold, "àáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ", "aaaaaaaeceeeeiiiidnooooo÷ouuuuythy");
    /* a sample of Latin Extended-A, including the letters without decomposition */
    expect(text_fold, "ĀăĄćČďĐēĘěğĦıĲĳĽŀŁńňŉŊŌőŒœřśŠšťŦũůűųŵŷŸźżžſ",
           "aaaccddeeeghiijijlllnnnnoooeoersssttuuuuwyyzzzs");
    expect(text_fold, "Łódź, Kraków, Dvořák, Erdős", "lodz, krakow, dvorak, erdos");
}

static void test_fold_other_scripts(void **state)
{
    (void)state;
    expect(text_fold, "ABC xyz 0123 !?", "abc xyz 0123 !?");
    expect(text_fold, "ΑΒΓ Ωμέγα Ά", "αβγ ωμέγα ά");
    expect(text_fold, "ДЖ Ёж", "дж ёж");
    expect(text_fold, "réﬂexion ﬁn ﬀ ﬃ ﬄ ﬅ ﬆ", "reflexion fin ff ffi ffl st st");
    expect(text_fold, "ＦＯＲＭＡＴＩＯＮ！", "formation!");
    expect(text_fold,
           "e\xCC\x81"
           "cole",
           "ecole");                                                         /* decomposed é */
    expect(text_fold, "\xF0\x9F\x99\x82 日本 €", "\xF0\x9F\x99\x82 日本 €"); /* unchanged */
}

static void test_fold_idempotent_and_appends(void **state)
{
    (void)state;
    const char *s = "ÉÇÀ œ ß ﬁ Ｘ ΑΒ Дж e\xCC\x81 ÿ";
    char *once = run(text_fold, s);
    char *twice = run(text_fold, once);
    assert_string_equal(once, twice);
    free(once);
    free(twice);

    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, "x:");
    assert_int_equal(text_fold("É", strlen("É"), &b), 0);
    assert_string_equal(b.data, "x:e");
    buf_free(&b);
}

static void test_invalid_input(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t len;
    } bad[] = {
        {"caf\xE9", 4},        /* Latin-1 */
        {"a\0b", 3},           /* NUL */
        {"\xED\xA0\x80", 3},   /* surrogate */
        {"\xC0\xAF", 2},       /* overlong */
        {"inclusion\xC3", 10}, /* truncated */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct buf b;
        buf_init(&b, 0);
        assert_int_equal(text_fold(bad[i].s, bad[i].len, &b), ERR_INVAL);
        assert_int_equal(text_terms(bad[i].s, bad[i].len, &b), ERR_INVAL);
        assert_int_equal(text_fts_query(bad[i].s, bad[i].len, &b), ERR_INVAL);
        assert_int_equal(b.len, 0);
        buf_free(&b);
    }
}

static void test_terms_required_examples(void **state)
{
    (void)state;
    expect_same_terms("inclusive", "inclusion");
    expect_same_terms("éducation", "education");
    expect_same_terms("Éducation", "education");
    expect_same_terms("ÉDUCATION", "éducation");
    expect(text_terms, "inclusion", "inclus");
    expect(text_terms, "éducation", "educ");

    /* "L'école inclusive" gives the terms of "école" and "inclusive" only */
    char *ecole = run(text_terms, "école");
    char *inclusive = run(text_terms, "inclusive");
    char *both = run(text_terms, "L'école inclusive");
    struct buf want;
    buf_init(&want, 0);
    buf_printf(&want, "%s %s", ecole, inclusive);
    assert_string_equal(both, want.data);
    assert_string_equal(both, "ecol inclus");
    buf_free(&want);
    free(ecole);
    free(inclusive);
    free(both);
}

static void test_terms_split(void **state)
{
    (void)state;
    /* apostrophes ' ’ ʼ and hyphens split words; elided articles are stop words */
    expect(text_terms, "l'inclusion", "inclus");
    expect(text_terms, "L’école", "ecol");
    expect(text_terms,
           "d\xCA\xBC"
           "inclusion",
           "inclus"); /* U+02BC modifier apostrophe */
    expect(text_terms, "porte-monnaie", "port monnai");
    expect(text_terms, "aujourd'hui", "aujourd hui");
    /* punctuation, symbols, emoji and no-break spaces separate */
    expect(text_terms, "formation,stage;tuteur", "format stag tuteur");
    expect(text_terms, "«\xC2\xA0stage\xC2\xA0»", "stag");
    expect(text_terms,
           "\xF0\x9F\x99\x82"
           "formation"
           "\xF0\x9F\x99\x82",
           "format");
    /* soft hyphen and zero-width joiner do not */
    expect(text_terms,
           "édu\xC2\xAD"
           "cation",
           "educ");
    expect(text_terms, "for\xE2\x80\x8Dmation", "format");
    /* decomposed accents, ligatures and fullwidth letters meet their plain forms */
    expect_same_terms("e\xCC\x81"
                      "ducation",
                      "éducation");
    expect_same_terms("réﬂexion", "reflexion");
    expect_same_terms("ＦＯＲＭＡＴＩＯＮ", "formation");
}

static void test_terms_stop_words(void **state)
{
    (void)state;
    expect(text_terms, "", "");
    expect(text_terms, "  \t\n ", "");
    expect(text_terms, "de la", "");
    expect(text_terms,
           "Le, la, les, des, du, un, une, et, ou, à, au, aux, pour, par, sur, dans, "
           "avec, en, the, of, and",
           "");
    /* the whole list, which bsearch only finds if it is sorted */
    expect(text_terms,
           "a and au aux avec c ce ces d dans de des du elle en est et il ils j l la le "
           "les m n ne nous of on ou par pour qu que qui s sa se ses son sur t the un "
           "une vous y",
           "");
    expect(text_terms, "les élèves de CE1 à l'école", "elev ce1 ecol");
    expect(text_terms, "Où est la formation ?", "format");
    expect(text_terms, "the formation of the teachers", "format teacher");
}

static void test_terms_digits_unstemmed(void **state)
{
    (void)state;
    expect(text_terms, "1D", "1d");
    expect(text_terms, "2D", "2d");
    expect(text_terms, "1D 2D", "1d 2d");
    expect(text_terms, "CM2, 6e, 2nde, CE1", "cm2 6e 2nde ce1");
    expect(text_terms, "2024", "2024");
    expect(text_terms, "formations2", "formations2"); /* not stemmed */
    expect(text_terms, "formations", "format");
}

static void test_terms_truncation(void **state)
{
    (void)state;
    struct buf in, want;
    buf_init(&in, 0);
    buf_init(&want, 0);

    /* 100 ASCII letters with a digit: kept unstemmed, cut to 64 bytes */
    buf_putc(&in, '9');
    for (int i = 0; i < 99; i++)
        buf_putc(&in, 'x');
    buf_putc(&want, '9');
    for (int i = 0; i < TEXT_MAX_WORD - 1; i++)
        buf_putc(&want, 'x');
    expect(text_terms, in.data, want.data);

    /* "1" then 40 two-byte letters: 1 + 31 * 2 = 63 bytes fit, the 32nd α would end at 65 */
    buf_reset(&in);
    buf_reset(&want);
    buf_putc(&in, '1');
    buf_putc(&want, '1');
    for (int i = 0; i < 40; i++)
        buf_puts(&in, "α");
    for (int i = 0; i < 31; i++)
        buf_puts(&want, "α");
    expect(text_terms, in.data, want.data);

    /* a long word is one term, cut before stemming; the next word is still read */
    buf_reset(&in);
    for (int i = 0; i < 200; i++)
        buf_putc(&in, 'z');
    buf_puts(&in, " inclusion");
    char *got = run(text_terms, in.data);
    const char *sp = strchr(got, ' ');
    assert_non_null(sp);
    assert_true((size_t)(sp - got) <= TEXT_MAX_WORD);
    assert_string_equal(sp + 1, "inclus");
    free(got);

    buf_free(&in);
    buf_free(&want);
}

static void test_terms_appends_with_space(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(text_terms("éducation", strlen("éducation"), &b), 0);
    assert_int_equal(text_terms("de la", 5, &b), 0); /* no term: nothing, not even a space */
    assert_int_equal(text_terms("inclusive", 9, &b), 0);
    assert_string_equal(b.data, "educ inclus");
    buf_free(&b);

    buf_init(&b, 0);
    buf_puts(&b, "titre ");
    assert_int_equal(text_terms("école", strlen("école"), &b), 0);
    assert_string_equal(b.data, "titre ecol");
    buf_free(&b);
}

static void test_fts_query(void **state)
{
    (void)state;
    expect(text_fts_query, "inclusion", "(\"inclus\" OR \"inclusion\"*)");
    expect(text_fts_query, "L'école inclusive", "\"ecol\" AND (\"inclus\" OR \"inclusive\"*)");
    expect(text_fts_query, "  Éducation   INCLUSIVE  ",
           "\"educ\" AND (\"inclus\" OR \"inclusive\"*)");
    expect(text_fts_query, "CM2 1D", "\"cm2\" AND \"1d\"*");
    expect(text_fts_query, "mater", "(\"mat\" OR \"mater\"*)");
    /* FTS5 syntax in the input is only text */
    expect(text_fts_query, "\"stage\" OR NEAR(a b) -x *col:y^",
           "\"stag\" AND \"or\" AND \"near\" AND \"b\" AND \"x\" AND \"col\"*");
    expect(text_fts_query, "AND", ""); /* a stop word */
    expect(text_fts_query, "OR", "\"or\"*");
}

static void test_fts_query_empty(void **state)
{
    (void)state;
    static const char *const none[] = {"", "   ", "de la", "l'", "\"\"", "***", "«»", "()"};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
        struct buf b;
        buf_init(&b, 0);
        assert_int_equal(text_fts_query(none[i], strlen(none[i]), &b), 0);
        assert_int_equal(b.len, 0);
        buf_free(&b);
    }
}

static void test_fts_query_too_many_terms(void **state)
{
    (void)state;
    const char *sixteen = "aa bb cc dd ee ff gg hh ii jj kk ll mm nn oo pp";
    char *q = run(text_fts_query, sixteen);
    assert_string_equal(q, "\"aa\" AND \"bb\" AND \"cc\" AND \"dd\" AND \"ee\" AND \"ff\" AND "
                           "\"gg\" AND \"hh\" AND \"ii\" AND \"jj\" AND \"kk\" AND \"ll\" AND "
                           "\"mm\" AND \"nn\" AND \"oo\" AND \"pp\"*");
    free(q);

    /* stop words do not count */
    q = run(text_fts_query, "le aa bb cc dd ee ff gg hh ii jj kk ll mm nn oo pp de la");
    assert_true(strlen(q) > 0);
    free(q);

    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, "keep");
    const char *seventeen = "aa bb cc dd ee ff gg hh ii jj kk ll mm nn oo pp qq";
    assert_int_equal(text_fts_query(seventeen, strlen(seventeen), &b), ERR_TOOBIG);
    assert_string_equal(b.data, "keep"); /* nothing appended */
    buf_free(&b);
}

static void test_buffer_limit(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 4);
    assert_int_equal(text_fold("éducation", strlen("éducation"), &b), ERR_TOOBIG);
    assert_true(buf_failed(&b));
    buf_free(&b);
    buf_init(&b, 4);
    assert_int_equal(text_terms("inclusion", 9, &b), ERR_TOOBIG);
    buf_free(&b);
    buf_init(&b, 4);
    assert_int_equal(text_fts_query("inclusion", 9, &b), ERR_TOOBIG);
    assert_int_equal(b.len, 0);
    buf_free(&b);
}

/* HTTP workers analyse concurrently: the same input must give the same terms in every thread. */
#define THREADS 8

static void *analyse_many(void *arg)
{
    const char *text = "L'école inclusive et la formation des enseignants du 1D et du 2D";
    uintptr_t ok = 1;
    (void)arg;
    for (int i = 0; i < 300; i++) {
        struct buf b;
        buf_init(&b, 0);
        if (text_terms(text, strlen(text), &b) != 0 ||
            strcmp(b.data, "ecol inclus format enseign 1d 2d") != 0)
            ok = 0;
        buf_free(&b);
    }
    return (void *)ok;
}

static void test_threads(void **state)
{
    (void)state;
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, analyse_many, NULL), 0);
    for (int i = 0; i < THREADS; i++) {
        void *ok = NULL;
        assert_int_equal(pthread_join(t[i], &ok), 0);
        assert_true(ok == (void *)1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold_french),
        cmocka_unit_test(test_fold_latin1_and_extended_a),
        cmocka_unit_test(test_fold_other_scripts),
        cmocka_unit_test(test_fold_idempotent_and_appends),
        cmocka_unit_test(test_invalid_input),
        cmocka_unit_test(test_terms_required_examples),
        cmocka_unit_test(test_terms_split),
        cmocka_unit_test(test_terms_stop_words),
        cmocka_unit_test(test_terms_digits_unstemmed),
        cmocka_unit_test(test_terms_truncation),
        cmocka_unit_test(test_terms_appends_with_space),
        cmocka_unit_test(test_fts_query),
        cmocka_unit_test(test_fts_query_empty),
        cmocka_unit_test(test_fts_query_too_many_terms),
        cmocka_unit_test(test_buffer_limit),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
