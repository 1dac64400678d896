/*
 * CSV reading and writing for imports and exports (trainees, schools, placements). The reader is
 * a byte-level state machine over a memory block: it splits records, unquotes fields into one
 * per-record buffer, counts physical lines (LF, CRLF or a lone CR each end one) so that errors can
 * name the line a user sees in a text editor, and validates each finished record as UTF-8. It
 * never stops at the first bad row: each error has a recovery point (see csv.h), and the
 * recoveries that read bytes twice (after quoting errors) run on a budget so that the reader stays
 * linear in the input size. The writer is the mirror image, plus the neutralisation of
 * formula injection, which only matters for files opened in spreadsheets.
 */
#include "core/csv.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "core/err.h"
#include "core/utf8.h"

#define RESCAN_FACTOR 4 /* recovery after quoting errors may reread 4 times the input */

static const char msg_unclosed[] = "guillemet non fermé";
static const char msg_after_quote[] = "caractère inattendu après un guillemet fermant";
static const char msg_unclosed_or_after_quote[] =
    "guillemet non fermé ou caractère inattendu après un guillemet fermant";
static const char msg_fields[] = "trop de champs (256 au maximum)";
static const char msg_field_len[] = "champ trop long (64 Kio au maximum)";
static const char msg_nul[] = "caractère nul dans le fichier";
static const char msg_encoding[] =
    "encodage invalide : enregistrez le fichier au format « CSV UTF-8 »";
static const char msg_nomem[] = "mémoire insuffisante";

void csv_reader_init(struct csv_reader *r, const char *data, size_t len, char sep)
{
    assert(sep != '"' && sep != '\r' && sep != '\n');
    memset(r, 0, sizeof *r);
    r->data = data;
    r->len = len;
    r->sep = sep;
    r->cur_line = 1;
    r->line = 1;
    r->budget = len > SIZE_MAX / RESCAN_FACTOR ? SIZE_MAX : len * RESCAN_FACTOR;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r->pos = 3;
    buf_init(&r->store, CSV_MAX_FIELDS * (CSV_MAX_FIELD_LEN + 1));
}

void csv_reader_free(struct csv_reader *r)
{
    buf_free(&r->store);
}

static bool is_eol(char c)
{
    return c == '\r' || c == '\n';
}

/* True when data[i] ends a physical line: LF, or CR not followed by LF (CRLF counts at its LF). */
static bool ends_line(const struct csv_reader *r, size_t i)
{
    return r->data[i] == '\n' ||
           (r->data[i] == '\r' && (i + 1 >= r->len || r->data[i + 1] != '\n'));
}

/* Consumes the line break at r->pos (LF, CRLF or CR). */
static void skip_eol(struct csv_reader *r)
{
    if (r->data[r->pos] == '\r' && r->pos + 1 < r->len && r->data[r->pos + 1] == '\n')
        r->pos++;
    r->pos++;
    r->cur_line++;
}

/* Consumes everything up to and including the next line break, quotes or not. */
static void skip_line(struct csv_reader *r)
{
    while (r->pos < r->len && !is_eol(r->data[r->pos]))
        r->pos++;
    if (r->pos < r->len)
        skip_eol(r);
}

/* The record being read: how far it got and the first content error found in it. */
struct record_state {
    size_t nfields;
    size_t field_len;
    int err;         /* first content error; the record is still read to its end */
    const char *msg; /* its message */
};

static void content_error(struct record_state *st, int err, const char *msg)
{
    if (!st->err) {
        st->err = err;
        st->msg = msg;
    }
}

/* Adds n bytes to the current field, unless the record is already known to be bad. */
static void field_add(struct csv_reader *r, struct record_state *st, const char *p, size_t n)
{
    if (st->err)
        return;
    if (n > CSV_MAX_FIELD_LEN - st->field_len) {
        content_error(st, ERR_TOOBIG, msg_field_len);
        return;
    }
    st->field_len += n;
    if (buf_append(&r->store, p, n) != 0)
        content_error(st, ERR_NOMEM, msg_nomem);
}

static void field_begin(struct csv_reader *r, struct record_state *st)
{
    if (st->nfields == CSV_MAX_FIELDS)
        content_error(st, ERR_TOOBIG, msg_fields);
    if (!st->err)
        r->off[st->nfields] = r->store.len;
    st->field_len = 0;
}

static void field_end(struct csv_reader *r, struct record_state *st)
{
    if (!st->err && buf_putc(&r->store, '\0') != 0)
        content_error(st, ERR_NOMEM, msg_nomem);
    if (!st->err)
        r->fields[st->nfields].len = st->field_len;
    st->nfields++;
}

/* Outcome of reading one field. */
enum field_outcome { END_SEP, END_RECORD, END_UNCLOSED, END_AFTER_QUOTE };

static enum field_outcome read_unquoted(struct csv_reader *r, struct record_state *st)
{
    size_t start = r->pos;
    while (r->pos < r->len && r->data[r->pos] != r->sep && !is_eol(r->data[r->pos]))
        r->pos++;
    field_add(r, st, r->data + start, r->pos - start);
    if (r->pos == r->len)
        return END_RECORD;
    if (r->data[r->pos] == r->sep) {
        r->pos++;
        return END_SEP;
    }
    skip_eol(r);
    return END_RECORD;
}

/* Reads a quoted field; r->pos is on its opening quote. */
static enum field_outcome read_quoted(struct csv_reader *r, struct record_state *st)
{
    r->pos++;
    for (;;) {
        size_t start = r->pos;
        while (r->pos < r->len && r->data[r->pos] != '"') {
            if (ends_line(r, r->pos))
                r->cur_line++;
            r->pos++;
        }
        field_add(r, st, r->data + start, r->pos - start);
        if (r->pos == r->len)
            return END_UNCLOSED;
        r->pos++; /* the quote */
        if (r->pos < r->len && r->data[r->pos] == '"') {
            field_add(r, st, "\"", 1);
            r->pos++;
            continue;
        }
        break;
    }
    if (r->pos == r->len)
        return END_RECORD;
    if (r->data[r->pos] == r->sep) {
        r->pos++;
        return END_SEP;
    }
    if (is_eol(r->data[r->pos])) {
        skip_eol(r);
        return END_RECORD;
    }
    return END_AFTER_QUOTE;
}

/*
 * After a structural error (r->pos is where it was found): go back to the line after the record's
 * first line, charging the bytes to be read again to the budget; once the budget is spent, skip to
 * the end of the line where the error was found instead.
 */
static void recover(struct csv_reader *r, size_t record_pos)
{
    size_t furthest = r->pos, furthest_line = r->cur_line;
    r->pos = record_pos;
    r->cur_line = r->line;
    skip_line(r);
    if (r->pos >= furthest)
        return; /* the error was on the first line: nothing to read twice */
    size_t cost = furthest - r->pos;
    if (cost <= r->budget) {
        r->budget -= cost;
        return;
    }
    r->pos = furthest;
    r->cur_line = furthest_line;
    skip_line(r);
}

/* Records the first NUL or encoding error among the fields of a structurally sound record. */
static void check_fields(struct csv_reader *r, struct record_state *st)
{
    for (size_t i = 0; i < st->nfields && !st->err; i++) {
        const char *p = r->store.data + r->off[i];
        size_t n = r->fields[i].len;
        if (memchr(p, '\0', n))
            content_error(st, ERR_INVAL, msg_nul);
        else if (!utf8_valid(p, n))
            content_error(st, ERR_INVAL, msg_encoding);
    }
}

int csv_next(struct csv_reader *r, struct csv_record *rec)
{
    r->error = NULL;
    while (r->pos < r->len && is_eol(r->data[r->pos]))
        skip_eol(r); /* empty lines */
    if (r->pos >= r->len)
        return 0;

    size_t record_pos = r->pos;
    struct record_state st = {0};
    enum field_outcome end;
    r->line = r->cur_line;
    buf_reset(&r->store);
    do {
        field_begin(r, &st);
        if (r->data[r->pos] == '"')
            end = read_quoted(r, &st);
        else
            end = read_unquoted(r, &st);
        field_end(r, &st);
        /* "a;" ends with an empty field, which the loop would not start at the end of input. */
        if (end == END_SEP && r->pos == r->len) {
            field_begin(r, &st);
            field_end(r, &st);
            end = END_RECORD;
        }
    } while (end == END_SEP);

    if (end == END_UNCLOSED || end == END_AFTER_QUOTE) {
        /* After a quoted field that crossed a line, the "closing" quote is as likely to be the
         * opening quote of a later line, and the real fault a stray quote on the first one. */
        if (end == END_UNCLOSED)
            r->error = msg_unclosed;
        else if (r->cur_line == r->line)
            r->error = msg_after_quote;
        else
            r->error = msg_unclosed_or_after_quote;
        recover(r, record_pos);
        return ERR_INVAL;
    }
    check_fields(r, &st);
    if (st.err) {
        r->error = st.msg;
        return st.err;
    }
    for (size_t i = 0; i < st.nfields; i++)
        r->fields[i].ptr = r->store.data + r->off[i];
    rec->line = r->line;
    rec->nfields = st.nfields;
    rec->fields = r->fields;
    return 1;
}

static bool is_formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* A sign followed by digits, spaces, '.' and ',' only: "-12,5", "+33 6 12 34 56 78", "-". Without
 * letters, parentheses or a second operator a spreadsheet cannot call anything, and neutralising
 * would show a stray ' in front of negative numbers, phone numbers and "-" for "none". */
static bool is_plain_number(const char *s, size_t len)
{
    if (len == 0 || (s[0] != '+' && s[0] != '-'))
        return false;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] < '0' || s[i] > '9') && s[i] != ' ' && s[i] != '.' && s[i] != ',')
            return false;
    }
    return true;
}

static size_t leading_spaces(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && s[i] == ' ')
        i++;
    return i;
}

/* Spreadsheets ignore leading spaces before '=' in some versions, so they do not protect. */
static bool needs_neutralising(const char *s, size_t len)
{
    size_t i = leading_spaces(s, len);
    return i < len && is_formula_start(s[i]) && !is_plain_number(s + i, len - i);
}

int csv_write_field(struct buf *out, const char *s, size_t len, char sep, bool first)
{
    bool neutralise = needs_neutralising(s, len);
    bool quote = len > 0 && ((s[0] == ' ' && !neutralise) || s[len - 1] == ' ');
    for (size_t i = 0; i < len && !quote; i++)
        quote = s[i] == sep || s[i] == '"' || is_eol(s[i]);

    if (!first)
        buf_putc(out, sep);
    if (quote)
        buf_putc(out, '"');
    if (neutralise)
        buf_putc(out, '\'');
    if (quote) {
        size_t start = 0;
        for (size_t i = 0; i < len; i++) {
            if (s[i] == '"') {
                buf_append(out, s + start, i + 1 - start); /* the quote, then its double */
                start = i;
            }
        }
        buf_append(out, s + start, len - start);
        buf_putc(out, '"');
    } else {
        buf_append(out, s, len);
    }
    return out->err;
}

int csv_write_eol(struct buf *out)
{
    return buf_append(out, "\r\n", 2);
}

int csv_write_bom(struct buf *out)
{
    return buf_append(out, "\xEF\xBB\xBF", 3);
}

size_t csv_unneutralise(const char *s, size_t len)
{
    if (len < 2 || s[0] != '\'')
        return 0;
    size_t i = 1 + leading_spaces(s + 1, len - 1);
    return i < len && is_formula_start(s[i]) ? 1 : 0;
}
