/* Unit tests of core/xlsx: the ZIP container (parsed here, CRCs recomputed bit by bit), the parts,
 * cell references, escaping, limits and determinism. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/xlsx.h"

#define MAX_ENTRIES 16

struct entry {
    char name[64];
    const unsigned char *data;
    uint32_t size;
    uint32_t crc;
    uint32_t offset;
};

struct archive {
    size_t n;
    struct entry e[MAX_ENTRIES];
};

static const char *const part_names[] = {
    "[Content_Types].xml",        "_rels/.rels",   "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/worksheets/sheet1.xml",
};

/* CRC-32 one bit at a time, independent of the table in xlsx.c. */
static uint32_t crc_bitwise(const unsigned char *p, size_t len)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc & 1u) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
    }
    return ~crc;
}

static uint32_t get16(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t get32(const unsigned char *p)
{
    return get16(p) | get16(p + 2) << 16;
}

/* Walks the local headers, then finds the central directory through the end record and checks
 * that both agree; fills a with the entries. */
static void parse_zip(const unsigned char *p, size_t len, struct archive *a)
{
    memset(a, 0, sizeof *a);
    size_t pos = 0;
    while (pos + 4 <= len && get32(p + pos) == 0x04034b50u) {
        assert_true(pos + 30 <= len);
        assert_true(a->n < MAX_ENTRIES);
        const unsigned char *h = p + pos;
        struct entry *e = &a->e[a->n++];
        assert_int_equal(get16(h + 8), 0);      /* stored */
        assert_int_equal(get16(h + 6), 0);      /* no data descriptor, ASCII names */
        assert_int_equal(get16(h + 10), 0);     /* 00:00:00 */
        assert_int_equal(get16(h + 12), 0x21u); /* 1980-01-01 */
        e->crc = get32(h + 14);
        e->size = get32(h + 18);
        assert_int_equal(get32(h + 22), e->size);
        size_t name_len = get16(h + 26);
        size_t extra_len = get16(h + 28);
        assert_true(name_len < sizeof e->name);
        assert_true(pos + 30 + name_len + extra_len + e->size <= len);
        memcpy(e->name, h + 30, name_len);
        e->offset = (uint32_t)pos;
        e->data = h + 30 + name_len + extra_len;
        assert_int_equal(crc_bitwise(e->data, e->size), e->crc);
        pos += 30 + name_len + extra_len + e->size;
    }
    size_t cd_start = pos;

    assert_true(len >= 22);
    size_t end = len - 22;
    while (end > 0 && get32(p + end) != 0x06054b50u)
        end--;
    assert_int_equal(get32(p + end), 0x06054b50u);
    assert_int_equal(end + 22 + get16(p + end + 20), len);
    assert_int_equal(get16(p + end + 8), a->n);
    assert_int_equal(get16(p + end + 10), a->n);
    size_t cd_size = get32(p + end + 12);
    size_t cd_offset = get32(p + end + 16);
    assert_int_equal(cd_offset, cd_start);
    assert_int_equal(cd_offset + cd_size, end);

    pos = cd_offset;
    for (size_t i = 0; i < a->n; i++) {
        const unsigned char *h = p + pos;
        assert_true(pos + 46 <= end);
        assert_int_equal(get32(h), 0x02014b50u);
        assert_int_equal(get16(h + 10), 0);
        assert_int_equal(get32(h + 16), a->e[i].crc);
        assert_int_equal(get32(h + 20), a->e[i].size);
        assert_int_equal(get32(h + 24), a->e[i].size);
        size_t name_len = get16(h + 28);
        size_t skip = name_len + get16(h + 30) + get16(h + 32);
        assert_int_equal(get32(h + 42), a->e[i].offset);
        assert_int_equal(name_len, strlen(a->e[i].name));
        assert_memory_equal(h + 46, a->e[i].name, name_len);
        pos += 46 + skip;
    }
    assert_int_equal(pos, end);
}

/* Parses the archive at out[base..], checks the list of parts and returns a NUL-terminated copy
 * of one of them (caller frees). */
static char *part(const struct buf *out, size_t base, const char *name)
{
    struct archive a;
    parse_zip((const unsigned char *)out->data + base, out->len - base, &a);
    assert_int_equal(a.n, sizeof part_names / sizeof *part_names);
    char *copy = NULL;
    for (size_t i = 0; i < a.n; i++) {
        assert_string_equal(a.e[i].name, part_names[i]);
        if (strcmp(a.e[i].name, name) == 0) {
            copy = malloc(a.e[i].size + 1u);
            assert_non_null(copy);
            memcpy(copy, a.e[i].data, a.e[i].size);
            copy[a.e[i].size] = '\0';
        }
    }
    assert_non_null(copy);
    return copy;
}

static int text(struct xlsx *x, const char *s)
{
    return xlsx_cell_text(x, s, strlen(s));
}

/* A header of 28 columns and two rows of awkward values. */
static void build_sample(struct buf *out)
{
    struct xlsx *x = xlsx_new("Élèves/2024:25");
    assert_non_null(x);
    assert_int_equal(xlsx_row_begin(x), 0);
    assert_int_equal(text(x, "Élève"), 0);
    assert_int_equal(text(x, "Ville"), 0);
    for (int i = 3; i <= 28; i++) {
        struct buf h;
        buf_init(&h, 0);
        assert_int_equal(buf_printf(&h, "Colonne %d", i), 0);
        assert_int_equal(xlsx_cell_text(x, h.data, h.len), 0);
        buf_free(&h);
    }

    assert_int_equal(xlsx_row_begin(x), 0);
    assert_int_equal(text(x, "Zoé Dupont"), 0);  /* A2 */
    assert_int_equal(text(x, "Mâcon"), 0);       /* B2 */
    assert_int_equal(text(x, "<a & \"b\">"), 0); /* C2 */
    assert_int_equal(text(x, "a\x01"
                             "b\tc\x1F\nd"),
                     0);                              /* D2 */
    assert_int_equal(text(x, ""), 0);                 /* E2, not written */
    assert_int_equal(xlsx_cell_int(x, -42), 0);       /* F2 */
    assert_int_equal(xlsx_cell_int(x, INT64_MAX), 0); /* G2 */
    assert_int_equal(xlsx_cell_int(x, INT64_MIN), 0); /* H2 */
    for (int64_t i = 9; i <= 26; i++)                 /* I2..Z2 */
        assert_int_equal(xlsx_cell_int(x, i * 1000), 0);
    assert_int_equal(text(x, "vingt-septième"), 0); /* AA2 */
    assert_int_equal(xlsx_cell_int(x, 0), 0);       /* AB2 */

    assert_int_equal(xlsx_row_begin(x), 0);
    assert_int_equal(text(x, "=1+1"), 0); /* stays text: no neutralisation needed */
    assert_int_equal(xlsx_finish(x, out), 0);
    xlsx_free(x);
}

static void test_sample(void **state)
{
    (void)state;
    struct buf out;
    buf_init(&out, 0);
    build_sample(&out);

    char *sheet = part(&out, 0, "xl/worksheets/sheet1.xml");
    const char *expect[] = {
        "<dimension ref=\"A1:AB3\"/>",
        "<sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" "
        "activePane=\"bottomLeft\" state=\"frozen\"/></sheetView>",
        "<row r=\"1\"><c r=\"A1\" s=\"1\" t=\"inlineStr\"><is><t xml:space=\"preserve\">Élève</t>"
        "</is></c><c r=\"B1\" s=\"1\" t=\"inlineStr\">",
        "<c r=\"AB1\" s=\"1\" t=\"inlineStr\"><is><t xml:space=\"preserve\">Colonne 28</t></is>"
        "</c></row><row r=\"2\">",
        "<c r=\"B2\" t=\"inlineStr\"><is><t xml:space=\"preserve\">Mâcon</t></is></c>",
        "<c r=\"C2\" t=\"inlineStr\"><is><t xml:space=\"preserve\">&lt;a &amp; &quot;b&quot;&gt;"
        "</t></is></c>",
        "<c r=\"D2\" t=\"inlineStr\"><is><t xml:space=\"preserve\">ab\tc\nd</t></is></c>"
        "<c r=\"F2\"><v>-42</v></c>",
        "<c r=\"G2\"><v>9223372036854775807</v></c>",
        "<c r=\"H2\"><v>-9223372036854775808</v></c>",
        "<c r=\"Z2\"><v>26000</v></c><c r=\"AA2\" t=\"inlineStr\"><is><t "
        "xml:space=\"preserve\">vingt-septième</t></is></c><c r=\"AB2\"><v>0</v></c></row>",
        "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t xml:space=\"preserve\">=1+1</t></is></c>"
        "</row></sheetData></worksheet>",
        /* Widths: "Zoé Dupont" is 10 characters, "vingt-septième" 14, "Ville" 5 (the minimum). */
        "<cols><col min=\"1\" max=\"1\" width=\"12\" customWidth=\"1\"/><col min=\"2\" max=\"2\" "
        "width=\"8\" customWidth=\"1\"/>",
        "<col min=\"27\" max=\"27\" width=\"16\" customWidth=\"1\"/>",
    };
    for (size_t i = 0; i < sizeof expect / sizeof *expect; i++) {
        if (!strstr(sheet, expect[i]))
            fail_msg("missing from sheet1.xml: %s", expect[i]);
    }
    assert_null(strstr(sheet, "r=\"E2\""));
    assert_null(strstr(sheet, "<f>"));
    free(sheet);

    char *wb = part(&out, 0, "xl/workbook.xml");
    assert_non_null(strstr(wb, "<sheet name=\"Élèves_2024_25\" sheetId=\"1\" r:id=\"rId1\"/>"));
    free(wb);
    char *st = part(&out, 0, "xl/styles.xml");
    assert_non_null(strstr(st, "<font><b/>"));
    free(st);
    buf_free(&out);
}

static void test_deterministic(void **state)
{
    (void)state;
    struct buf a, b;
    buf_init(&a, 0);
    buf_init(&b, 0);
    build_sample(&a);
    build_sample(&b);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);

    /* Finishing twice gives the same bytes too, and an archive appended after other bytes has
     * its offsets counted from its own start. */
    struct xlsx *x = xlsx_new("Feuille");
    assert_non_null(x);
    assert_int_equal(xlsx_row_begin(x), 0);
    assert_int_equal(text(x, "Nom"), 0);
    buf_reset(&a);
    buf_reset(&b);
    assert_int_equal(xlsx_finish(x, &a), 0);
    assert_int_equal(buf_puts(&b, "prefix"), 0);
    assert_int_equal(xlsx_finish(x, &b), 0);
    assert_int_equal(b.len, a.len + 6);
    assert_memory_equal(a.data, b.data + 6, a.len);
    free(part(&b, 6, "xl/styles.xml"));
    xlsx_free(x);
    buf_free(&a);
    buf_free(&b);
}

static void test_empty_workbook(void **state)
{
    (void)state;
    struct buf out;
    buf_init(&out, 0);
    struct xlsx *x = xlsx_new(NULL);
    assert_non_null(x);
    assert_int_equal(xlsx_finish(x, &out), 0);
    char *sheet = part(&out, 0, "xl/worksheets/sheet1.xml");
    assert_non_null(strstr(sheet, "<dimension ref=\"A1\"/>"));
    assert_non_null(strstr(sheet, "<sheetData></sheetData></worksheet>"));
    assert_null(strstr(sheet, "<cols>"));
    free(sheet);
    char *wb = part(&out, 0, "xl/workbook.xml");
    assert_non_null(strstr(wb, "name=\"Feuil1\""));
    free(wb);
    xlsx_free(x);
    buf_free(&out);
}

static void test_column_names(void **state)
{
    (void)state;
    struct buf out;
    buf_init(&out, 0);
    struct xlsx *x = xlsx_new("Large");
    assert_non_null(x);
    assert_int_equal(xlsx_row_begin(x), 0);
    for (int64_t i = 0; i < (int64_t)XLSX_MAX_COLS; i++)
        assert_int_equal(xlsx_cell_int(x, i), 0);
    assert_int_equal(xlsx_finish(x, &out), 0);
    char *sheet = part(&out, 0, "xl/worksheets/sheet1.xml");
    const char *expect[] = {
        "<c r=\"Z1\" s=\"1\"><v>25</v>",
        "<c r=\"AA1\" s=\"1\"><v>26</v>",
        "<c r=\"AZ1\" s=\"1\"><v>51</v>",
        "<c r=\"BA1\" s=\"1\"><v>52</v>",
        "<c r=\"ZZ1\" s=\"1\"><v>701</v>",
        "<c r=\"AAA1\" s=\"1\"><v>702</v>",
        "<c r=\"XFD1\" s=\"1\"><v>16383</v>",
        "<dimension ref=\"A1:XFD1\"/>",
        /* Equal widths share one <col>. */
        "<cols><col min=\"1\" max=\"16384\" width=\"8\" customWidth=\"1\"/></cols>",
    };
    for (size_t i = 0; i < sizeof expect / sizeof *expect; i++) {
        if (!strstr(sheet, expect[i]))
            fail_msg("missing from sheet1.xml: %s", expect[i]);
    }
    free(sheet);

    /* One column too many: refused, and so is everything after. */
    buf_reset(&out);
    assert_int_equal(xlsx_cell_int(x, 1), ERR_TOOBIG);
    assert_int_equal(xlsx_row_begin(x), ERR_TOOBIG);
    assert_int_equal(text(x, "x"), ERR_TOOBIG);
    assert_int_equal(xlsx_finish(x, &out), ERR_TOOBIG);
    assert_int_equal(out.len, 0);
    xlsx_free(x);
    buf_free(&out);
}

static void test_row_limit(void **state)
{
    (void)state;
    struct xlsx *x = xlsx_new("Lignes");
    assert_non_null(x);
    for (uint32_t i = 0; i < XLSX_MAX_ROWS; i++) {
        if (xlsx_row_begin(x) != 0)
            fail_msg("row %u refused", i + 1);
    }
    assert_int_equal(xlsx_cell_int(x, 1), 0); /* A1048576 */
    assert_int_equal(xlsx_row_begin(x), ERR_TOOBIG);
    xlsx_free(x);
}

static void test_errors(void **state)
{
    (void)state;
    struct buf out;
    buf_init(&out, 0);
    struct xlsx *x = xlsx_new("Erreurs");
    assert_non_null(x);
    assert_int_equal(text(x, "sans ligne"), ERR_INVAL);
    assert_int_equal(xlsx_row_begin(x), ERR_INVAL);
    assert_int_equal(xlsx_finish(x, &out), ERR_INVAL);
    assert_int_equal(out.len, 0);
    xlsx_free(x);
    xlsx_free(NULL);

    /* out too small: cut back to what it held, and marked failed as buf.h says. */
    x = xlsx_new("Petit");
    assert_non_null(x);
    assert_int_equal(xlsx_row_begin(x), 0);
    assert_int_equal(text(x, "Nom"), 0);
    buf_init(&out, 1000);
    assert_int_equal(buf_puts(&out, "ab"), 0);
    assert_int_equal(xlsx_finish(x, &out), ERR_TOOBIG);
    assert_int_equal(out.len, 2);
    assert_string_equal(out.data, "ab");
    assert_true(buf_failed(&out));
    xlsx_free(x);
    buf_free(&out);
}

static void check_sheet_name(const char *in, const char *want)
{
    struct buf out;
    buf_init(&out, 0);
    struct xlsx *x = xlsx_new(in);
    assert_non_null(x);
    assert_int_equal(xlsx_finish(x, &out), 0);
    char *wb = part(&out, 0, "xl/workbook.xml");
    struct buf w;
    buf_init(&w, 0);
    assert_int_equal(buf_printf(&w, "<sheet name=\"%s\" sheetId=\"1\"", want), 0);
    if (!strstr(wb, w.data))
        fail_msg("sheet name of \"%s\": want %s in %s", in ? in : "(null)", w.data, wb);
    buf_free(&w);
    free(wb);
    xlsx_free(x);
    buf_free(&out);
}

static void test_sheet_names(void **state)
{
    (void)state;
    check_sheet_name("", "Feuil1");
    check_sheet_name("\x01\x02", "Feuil1");
    check_sheet_name("a[b]c:d*e?f/g\\h", "a_b_c_d_e_f_g_h");
    check_sheet_name("R&D <\"x\">", "R&amp;D &lt;&quot;x&quot;&gt;");
    check_sheet_name("'cité'", "_cité_");
    check_sheet_name("history", "history_");
    check_sheet_name("Historique", "Historique");
    check_sheet_name("Tab\tulation", "Tabulation");
    /* 31 UTF-16 units: 40 letters are cut to 31, accents count one each. */
    check_sheet_name("éééééééééééééééééééééééééééééééééééééééé", "ééééééééééééééééééééééééééééééé");
    /* An emoji takes two units: it does not fit after 30 letters. */
    check_sheet_name("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xF0\x9F\x98\x80",
                     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    check_sheet_name("aaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xF0\x9F\x98\x80",
                     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xF0\x9F\x98\x80");
    check_sheet_name("_x0041_", "_x0041_"); /* XML escaping only */
}

/* The text of cell A2 of a one-cell sheet, as written in sheet1.xml (caller frees). */
static char *cell_xml(const char *s, size_t len)
{
    struct buf out;
    buf_init(&out, 0);
    struct xlsx *x = xlsx_new("Texte");
    assert_non_null(x);
    assert_int_equal(xlsx_row_begin(x), 0);
    assert_int_equal(xlsx_row_begin(x), 0);
    assert_int_equal(xlsx_cell_text(x, s, len), 0);
    assert_int_equal(xlsx_finish(x, &out), 0);
    char *sheet = part(&out, 0, "xl/worksheets/sheet1.xml");
    xlsx_free(x);
    buf_free(&out);
    const char *open = "<row r=\"2\">";
    char *p = strstr(sheet, open);
    assert_non_null(p);
    p += strlen(open);
    char *end = strstr(p, "</row>");
    assert_non_null(end);
    size_t n = (size_t)(end - p);
    memmove(sheet, p, n);
    sheet[n] = '\0';
    return sheet;
}

static void check_text(const char *s, size_t len, const char *want_text)
{
    char *got = cell_xml(s, len);
    struct buf w;
    buf_init(&w, 0);
    if (want_text)
        buf_printf(&w, "<c r=\"A2\" t=\"inlineStr\"><is><t xml:space=\"preserve\">%s</t></is></c>",
                   want_text);
    assert_false(buf_failed(&w));
    if (strcmp(got, w.data) != 0)
        fail_msg("want [%s], got [%s]", w.data, got);
    buf_free(&w);
    free(got);
}

static void test_text_escapes(void **state)
{
    (void)state;
    check_text("_x0041_ et _x00e9_", 18, "_x005F_x0041_ et _x005F_x00e9_");
    check_text("_X0041_ __x0041_", 16, "_X0041_ __x005F_x0041_"); /* readers ignore _X */
    check_text("_x004_ _x00G1_ _", 16, "_x004_ _x00G1_ _");
    check_text("a\r\nb", 4, "a&#13;\nb");
    check_text("a\0b", 3, "ab");
    check_text("\xC3(", 2, "\xEF\xBF\xBD(");           /* invalid UTF-8 */
    check_text("x\xEF\xBF\xBFy\xEF\xBF\xBE", 8, "xy"); /* U+FFFF, U+FFFE */
    check_text("\xEF\xBF\xBF\x01", 4, NULL);           /* nothing left: no cell */
    check_text("  espaces  ", 11, "  espaces  ");
    check_text("\xF0\x9F\x98\x80 l'été", 13, "\xF0\x9F\x98\x80 l'été");
}

static void test_text_limit(void **state)
{
    (void)state;
    size_t n = 40000;
    char *s = malloc(n + 1);
    assert_non_null(s);
    memset(s, 'a', n);
    s[n] = '\0';
    char *want = malloc(XLSX_MAX_TEXT + 1u);
    assert_non_null(want);
    memset(want, 'a', XLSX_MAX_TEXT);
    want[XLSX_MAX_TEXT] = '\0';
    check_text(s, n, want);
    /* An emoji that would take units 32767 and 32768 is left out whole. */
    memcpy(s + XLSX_MAX_TEXT - 1, "\xF0\x9F\x98\x80", 4);
    want[XLSX_MAX_TEXT - 1] = '\0';
    check_text(s, XLSX_MAX_TEXT + 3u, want);
    /* Escapes count as the one character they stand for. */
    memset(s, '&', XLSX_MAX_TEXT + 1u);
    char *got = cell_xml(s, XLSX_MAX_TEXT + 1u);
    size_t amps = 0;
    for (const char *p = strstr(got, "&amp;"); p; p = strstr(p + 1, "&amp;"))
        amps++;
    assert_int_equal(amps, XLSX_MAX_TEXT);
    free(got);
    free(want);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample),         cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_empty_workbook), cmocka_unit_test(test_column_names),
        cmocka_unit_test(test_row_limit),      cmocka_unit_test(test_errors),
        cmocka_unit_test(test_sheet_names),    cmocka_unit_test(test_text_escapes),
        cmocka_unit_test(test_text_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
