/*
 * The machinery both CSV imports share (csv_import.h). The file is read twice so that memory
 * does not grow with the number of rows: pass 1 checks every row and keeps only the report and a
 * flag byte per record; pass 2 reads the file again inside one transaction and writes the rows
 * pass 1 found good. What a row means, and how it is written, is the importer's (its check_row
 * and write_row); what is here is the file's syntax and the report.
 */
#include "app/csv_import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/text.h"
#include "core/utf8.h"

void csv_import_init(struct csv_import *ci, struct store *st, struct csv_import_sink out)
{
    memset(ci, 0, sizeof *ci);
    ci->st = st;
    ci->out = out;
    ci->pass = 1;
    buf_init(&ci->fold, CSV_MAX_FIELD_LEN * 2);
}

void csv_import_free(struct csv_import *ci)
{
    buf_free(&ci->fold);
    free(ci->flags);
    ci->flags = NULL;
    ci->nflags = ci->capflags = 0;
}

/* ---- messages ---- */

/* Makes msg one line of valid UTF-8: a sequence cut by vsnprintf at the end is dropped, other
 * invalid bytes become '?', control characters spaces. */
static void sanitize(char *msg)
{
    size_t len = strlen(msg);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_decode(msg + i, len - i, &cp);
        if (cp == UTF8_REPLACEMENT && n == 1) {
            bool tail = true;
            for (size_t k = i + 1; k < len && tail; k++)
                tail = ((unsigned char)msg[k] & 0xC0) == 0x80;
            if (tail && ((unsigned char)msg[i] & 0xC0) == 0xC0 && len - i < 4) {
                msg[i] = '\0';
                return;
            }
            msg[i] = '?';
        } else if (cp < 0x20 || cp == 0x7f) {
            msg[i] = ' ';
        }
        i += n;
    }
}

const char *csv_import_quote(struct csv_import *ci, const char *v, size_t n)
{
    size_t out = 0, i = 0, chars = 0;
    while (i < n && chars < CSV_IMPORT_QUOTE_MAX) {
        uint32_t cp;
        size_t k = utf8_decode(v + i, n - i, &cp);
        if (cp < 0x20 || cp == 0x7f) {
            ci->quoted[out++] = ' ';
        } else {
            memcpy(ci->quoted + out, v + i, k);
            out += k;
        }
        i += k;
        chars++;
    }
    if (i < n) {
        memcpy(ci->quoted + out, "…", 3);
        out += 3;
    }
    ci->quoted[out] = '\0';
    return ci->quoted;
}

void csv_import_report(struct csv_import *ci, size_t line, int col, const char *fmt, ...)
{
    ci->nerr++;
    if (col >= 0)
        ci->bad_cols |= 1u << col;
    if (ci->pass != 1)
        return;
    const struct csv_import_sink *out = &ci->out;
    if (*out->nerrors == CSV_IMPORT_MAX_ERRORS) {
        (*out->errors_dropped)++;
        return;
    }
    if (*out->nerrors % 64 == 0) {
        struct csv_import_error *p =
            realloc(*out->errors, (*out->nerrors + 64) * sizeof **out->errors);
        if (!p) {
            (*out->errors_dropped)++; /* the row still counts as bad */
            return;
        }
        *out->errors = p;
    }
    struct csv_import_error *e = &(*out->errors)[(*out->nerrors)++];
    e->line = line;
    int w = snprintf(e->column, sizeof e->column, "%s", col >= 0 ? ci->cols[col]->name : "");
    if (w < 0 || (size_t)w >= sizeof e->column)
        e->column[0] = '\0'; /* cannot happen: the names are short constants */
    va_list ap;
    va_start(ap, fmt);
    w = vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    if (w < 0)
        e->message[0] = '\0';
    /* a longer message is cut: sanitize() drops a code point cut in the middle */
    sanitize(e->message);
}

/* ---- small helpers ---- */

struct csv_field csv_import_trim(struct csv_field f)
{
    while (f.len && (f.ptr[0] == ' ' || f.ptr[0] == '\t')) {
        f.ptr++;
        f.len--;
    }
    while (f.len && (f.ptr[f.len - 1] == ' ' || f.ptr[f.len - 1] == '\t'))
        f.len--;
    return f;
}

/* Folds v (lowercase, no accents) into ci->fold; spaces and hyphens become '_' when header is
 * true. Returns ci->fold.data, or "" on failure (which matches nothing). */
static const char *fold(struct csv_import *ci, const char *v, size_t n, bool header)
{
    buf_reset(&ci->fold);
    if (text_fold(v, n, &ci->fold) != 0 || !ci->fold.data)
        return "";
    if (header)
        for (size_t i = 0; i < ci->fold.len; i++)
            if (ci->fold.data[i] == ' ' || ci->fold.data[i] == '-')
                ci->fold.data[i] = '_';
    return ci->fold.data;
}

/* A malloc'd folded copy of s ("" for an empty s); NULL when out of memory. */
static char *dup_folded(const char *s)
{
    struct buf b;
    buf_init(&b, 4096);
    if (text_fold(s, strlen(s), &b) != 0 || buf_failed(&b) || b.len == 0) {
        bool nomem = buf_failed(&b);
        buf_free(&b);
        return nomem ? NULL : calloc(1, 1);
    }
    return buf_steal(&b);
}

bool csv_import_parse_uint(const char *s, size_t n, size_t max_digits, int64_t *out)
{
    if (n == 0 || n > max_digits)
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static int flags_push(struct csv_import *ci, unsigned char f)
{
    if (ci->nflags == ci->capflags) {
        size_t cap = ci->capflags ? 2 * ci->capflags : 1024;
        unsigned char *p = realloc(ci->flags, cap);
        if (!p)
            return ERR_NOMEM;
        ci->flags = p;
        ci->capflags = cap;
    }
    ci->flags[ci->nflags++] = f;
    return 0;
}

/* ---- référentiels and closed lists ---- */

void csv_import_refs_free(struct csv_import_refs *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->items[i].fcode);
        free(r->items[i].fname);
    }
    free(r->items);
    json_decref(r->json);
    memset(r, 0, sizeof *r);
}

int csv_import_refs_load(struct csv_import_refs *r, json_t *arr, const char *name_key)
{
    r->json = arr;
    size_t n = json_array_size(arr);
    r->items = calloc(n ? n : 1, sizeof *r->items);
    if (!r->items)
        return ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        struct csv_import_ref *e = &r->items[r->n++];
        e->code = json_string_value(json_object_get(o, "code"));
        e->id = json_integer_value(json_object_get(o, "id"));
        const char *name = name_key ? json_string_value(json_object_get(o, name_key)) : NULL;
        if (!e->code)
            e->code = "";
        e->fcode = dup_folded(e->code);
        e->fname = name ? dup_folded(name) : NULL;
        if (!e->fcode || (name && !e->fname))
            return ERR_NOMEM;
    }
    return 0;
}

const struct csv_import_ref *csv_import_refs_find(struct csv_import *ci,
                                                  const struct csv_import_refs *r, const char *v,
                                                  size_t n)
{
    const char *f = fold(ci, v, n, false);
    if (!*f)
        return NULL;
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->items[i].fcode, f) == 0)
            return &r->items[i];
    for (size_t i = 0; i < r->n; i++)
        if (r->items[i].fname && strcmp(r->items[i].fname, f) == 0)
            return &r->items[i];
    return NULL;
}

/* The code of a closed list whose code, else whose label, folds like v; NULL if none. Labels are
 * folded one at a time, and only for values that are not a code, so the common case costs no
 * folding of labels. */
static const char *find_closed(struct csv_import *ci, const char *const *codes,
                               const char *(*label)(const char *), struct csv_field v)
{
    char want[256];
    const char *f = fold(ci, v.ptr, v.len, false);
    int w = snprintf(want, sizeof want, "%s", f);
    if (!*f || w < 0 || (size_t)w >= sizeof want)
        return NULL; /* longer than any code or label */
    for (int i = 0; codes[i]; i++)
        if (strcmp(fold(ci, codes[i], strlen(codes[i]), false), want) == 0)
            return codes[i];
    for (int i = 0; codes[i]; i++) {
        const char *l = label(codes[i]);
        if (l && strcmp(fold(ci, l, strlen(l), false), want) == 0)
            return codes[i];
    }
    return NULL;
}

/* ---- keys seen in the file ---- */

static size_t seen_slot(char *const *keys, size_t cap, const char *key)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 0x100000001b3u;
    size_t i = (size_t)h & (cap - 1);
    while (keys[i] && strcmp(keys[i], key) != 0)
        i = (i + 1) & (cap - 1);
    return i;
}

static int seen_grow(struct csv_import_seen *s)
{
    size_t cap = s->cap ? 2 * s->cap : 256;
    char **keys = calloc(cap, sizeof *keys);
    size_t *lines = calloc(cap, sizeof *lines);
    if (!keys || !lines) {
        free(keys);
        free(lines);
        return ERR_NOMEM;
    }
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->keys[i])
            continue;
        size_t h = seen_slot(keys, cap, s->keys[i]);
        keys[h] = s->keys[i];
        lines[h] = s->lines[i];
    }
    free(s->keys);
    free(s->lines);
    s->keys = keys;
    s->lines = lines;
    s->cap = cap;
    return 0;
}

int csv_import_seen_add(struct csv_import_seen *s, const char *key, size_t line, size_t *first)
{
    *first = 0;
    if (2 * (s->n + 1) > s->cap && seen_grow(s) != 0)
        return ERR_NOMEM;
    size_t h = seen_slot(s->keys, s->cap, key);
    if (s->keys[h]) {
        *first = s->lines[h];
        return 0;
    }
    size_t n = strlen(key) + 1;
    s->keys[h] = malloc(n);
    if (!s->keys[h])
        return ERR_NOMEM;
    memcpy(s->keys[h], key, n);
    s->lines[h] = line;
    s->n++;
    return 0;
}

void csv_import_seen_free(struct csv_import_seen *s)
{
    for (size_t i = 0; i < s->cap; i++)
        free(s->keys[i]);
    free(s->keys);
    free(s->lines);
    memset(s, 0, sizeof *s);
}

/* ---- one row ---- */

bool csv_import_check_width(struct csv_import *ci, const struct csv_record *rec)
{
    if (rec->nfields == ci->nfields)
        return true;
    csv_import_report(ci, rec->line, CSV_IMPORT_ROW_ERROR,
                      "La ligne a %zu champ(s) alors que l’en-tête a %zu colonnes.", rec->nfields,
                      ci->nfields);
    return false;
}

bool csv_import_value(const struct csv_import *ci, const struct csv_record *rec, int c, bool raw,
                      struct csv_field *out)
{
    int i = ci->field_of_col[c];
    if (i < 0)
        return false;
    struct csv_field f = rec->fields[i];
    size_t k = csv_unneutralise(f.ptr, f.len);
    f.ptr += k;
    f.len -= k;
    *out = raw ? f : csv_import_trim(f);
    return true;
}

bool csv_import_required(struct csv_import *ci, size_t line, int c, struct csv_field v)
{
    if (v.len)
        return true;
    csv_import_report(ci, line, c, "%s : champ obligatoire.", ci->cols[c]->label);
    return false;
}

void csv_import_set_text(struct csv_import *ci, size_t line, int c, char *dst, size_t size,
                         size_t max_chars, struct csv_field v)
{
    dst[0] = '\0';
    if (v.len >= size) {
        size_t n = utf8_length(v.ptr, v.len);
        if (n > max_chars)
            csv_import_report(ci, line, c, "%s : %zu caractères au plus (%zu saisis).",
                              ci->cols[c]->label, max_chars, n);
        else
            csv_import_report(ci, line, c, "%s : texte trop long (%zu octets au plus en UTF-8).",
                              ci->cols[c]->label, size - 1);
        return;
    }
    memcpy(dst, v.ptr, v.len);
    dst[v.len] = '\0';
}

/* Copies code into dst (size bytes). */
static void set_code(char *dst, size_t size, const char *code)
{
    int w = snprintf(dst, size, "%s", code);
    if (w < 0 || (size_t)w >= size)
        dst[0] = '\0'; /* cannot happen: codes fit their arrays (the use case rejects "") */
}

void csv_import_set_closed(struct csv_import *ci, size_t line, int c, const char *const *codes,
                           const char *(*label)(const char *), const char *expected, char *dst,
                           size_t size, struct csv_field v)
{
    if (!csv_import_required(ci, line, c, v))
        return;
    const char *code = find_closed(ci, codes, label, v);
    if (!code) {
        csv_import_report(ci, line, c, "%s : %s attendu, pas « %s ».", ci->cols[c]->label, expected,
                          csv_import_quote(ci, v.ptr, v.len));
        return;
    }
    set_code(dst, size, code);
}

void csv_import_set_ref(struct csv_import *ci, size_t line, int c, const struct csv_import_refs *r,
                        const char *what, char *dst, size_t size, struct csv_field v)
{
    if (!csv_import_required(ci, line, c, v))
        return;
    const struct csv_import_ref *e = csv_import_refs_find(ci, r, v.ptr, v.len);
    if (!e) {
        csv_import_report(ci, line, c, "%s : « %s » n’est ni un code ni un nom du référentiel %s.",
                          ci->cols[c]->label, csv_import_quote(ci, v.ptr, v.len), what);
        return;
    }
    set_code(dst, size, e->code);
}

int csv_import_column_of_field(const struct csv_import *ci, const char *field)
{
    for (int c = 0; c < ci->ncols; c++)
        if (strcmp(ci->cols[c]->field, field) == 0)
            return c;
    return CSV_IMPORT_ROW_ERROR;
}

void csv_import_field_errors(struct csv_import *ci, size_t line, const struct field_errors *errs)
{
    for (int i = 0; i < errs->count; i++) {
        int c = csv_import_column_of_field(ci, errs->items[i].field);
        if (c >= 0 && (ci->bad_cols & (1u << c)))
            continue;
        csv_import_report(ci, line, c, "%s", errs->items[i].message);
    }
}

/* ---- the header ---- */

/* The column of a header cell: -1 for an empty name, ci->ncols when unknown. */
static int header_column(struct csv_import *ci, const struct csv_field *cell)
{
    struct csv_field f = csv_import_trim(*cell);
    const char *k = fold(ci, f.ptr, f.len, true);
    if (!*k)
        return -1;
    for (int c = 0; c < ci->ncols; c++)
        if (strcmp(k, ci->cols[c]->name) == 0)
            return c;
    for (size_t i = 0; i < ci->naliases; i++)
        if (strcmp(k, ci->aliases[i].name) == 0)
            return ci->aliases[i].col;
    return ci->ncols;
}

/* Reads and checks the header record; its errors are about the whole file. */
static int read_header(struct csv_import *ci, struct csv_reader *rd)
{
    struct csv_record rec;
    int rc = csv_next(rd, &rec);
    if (rc == ERR_NOMEM)
        return rc;
    if (rc == 0) {
        csv_import_report(ci, 1, CSV_IMPORT_ROW_ERROR,
                          "Le fichier est vide : la première ligne doit nommer les colonnes (%s).",
                          ci->hint_columns);
        return ERR_INVAL;
    }
    if (rc < 0) {
        csv_import_report(ci, rd->line, CSV_IMPORT_ROW_ERROR, "Ligne d’en-tête illisible : %s.",
                          rd->error);
        return ERR_INVAL;
    }
    ci->nfields = rec.nfields;
    for (int c = 0; c < CSV_IMPORT_MAX_COLS; c++)
        ci->field_of_col[c] = -1;
    size_t before = ci->nerr;
    for (size_t i = 0; i < rec.nfields; i++) {
        int c = header_column(ci, &rec.fields[i]);
        if (c < 0)
            continue; /* an unnamed column (a spreadsheet's trailing ';'): ignored */
        if (c == ci->ncols) {
            struct csv_field f =
                ci->quote_raw_header_cell ? rec.fields[i] : csv_import_trim(rec.fields[i]);
            csv_import_report(ci, rec.line, CSV_IMPORT_ROW_ERROR,
                              "Colonne inconnue « %s » : les colonnes possibles sont %s.",
                              csv_import_quote(ci, f.ptr, f.len), ci->known_columns);
        } else if (ci->field_of_col[c] >= 0) {
            csv_import_report(ci, rec.line, c,
                              "La colonne « %s » figure deux fois (colonnes %d et %zu).",
                              ci->cols[c]->name, ci->field_of_col[c] + 1, i + 1);
        } else {
            ci->field_of_col[c] = (int)i;
        }
    }
    for (int c = 0; c < ci->ncols; c++)
        if (ci->cols[c]->required && ci->field_of_col[c] < 0)
            csv_import_report(ci, rec.line, c, "Colonne obligatoire absente : « %s ».",
                              ci->cols[c]->name);
    return ci->nerr > before ? ERR_INVAL : 0;
}

/* ---- the two passes ---- */

bool csv_import_check_encoding(struct csv_import *ci, const char *data, size_t len)
{
    size_t line = 1;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_decode(data + i, len - i, &cp);
        if (cp == 0) {
            csv_import_report(
                ci, line, CSV_IMPORT_ROW_ERROR,
                "Le fichier contient un caractère nul : ce n’est pas un fichier CSV texte.");
            return false;
        }
        if (cp == UTF8_REPLACEMENT && n == 1) {
            csv_import_report(
                ci, line, CSV_IMPORT_ROW_ERROR,
                "Le fichier n’est pas en UTF-8 (premier caractère invalide sur cette ligne) : "
                "dans le tableur, enregistrez-le au format « CSV UTF-8 (délimité par des "
                "points-virgules) ».");
            return false;
        }
        if (data[i] == '\n' || (data[i] == '\r' && (i + 1 == len || data[i + 1] != '\n')))
            line++;
        i += n;
    }
    return true;
}

static bool blank(const struct csv_record *rec)
{
    for (size_t i = 0; i < rec->nfields; i++)
        if (rec->fields[i].len)
            return false;
    return true;
}

/* Pass 1: checks every row and fills the report and ci->flags. */
static int check_rows(struct csv_import *ci, struct csv_reader *rd,
                      const struct csv_import_ops *ops, void *arg)
{
    struct csv_record rec;
    int rc;
    while ((rc = csv_next(rd, &rec)) != 0) {
        unsigned char f = 0;
        ci->nerr = 0;
        ci->bad_cols = 0;
        if (rc == ERR_NOMEM)
            return rc;
        if (rc < 0) {
            (*ci->out.rows)++;
            csv_import_report(ci, rd->line, CSV_IMPORT_ROW_ERROR, "Ligne illisible : %s.",
                              rd->error);
            f = CSV_IMPORT_ROW_BAD;
        } else if (blank(&rec)) {
            f = CSV_IMPORT_ROW_BLANK;
        } else {
            (*ci->out.rows)++;
            if ((rc = ops->check_row(arg, &rec, &f)) != 0)
                return rc;
            if (ci->nerr)
                f = CSV_IMPORT_ROW_BAD;
        }
        if (f & CSV_IMPORT_ROW_BAD)
            (*ci->out.rejected)++;
        if ((rc = flags_push(ci, f)) != 0)
            return rc;
    }
    return 0;
}

/* Pass 2, inside the transaction: writes the good rows. */
static int write_rows(struct csv_import *ci, struct csv_reader *rd,
                      const struct csv_import_ops *ops, void *arg)
{
    struct csv_record rec;
    size_t k = 0;
    int rc;
    while ((rc = csv_next(rd, &rec)) != 0) {
        if (rc == ERR_NOMEM)
            return rc;
        if (k >= ci->nflags)
            return ERR_CONFLICT; /* cannot happen: the same bytes read the same way */
        unsigned char f = ci->flags[k++];
        if (rc < 0 || (f & (CSV_IMPORT_ROW_BAD | CSV_IMPORT_ROW_BLANK)))
            continue;
        ci->nerr = 0;
        ci->bad_cols = 0;
        if ((rc = ops->write_row(arg, &rec, f)) != 0)
            return rc;
    }
    return 0;
}

int csv_import_run(struct csv_import *ci, const char *data, size_t len, bool partial,
                   const struct csv_import_ops *ops, void *arg)
{
    struct csv_reader rd;
    ci->pass = 1;
    int rc = ops->check_in_transaction ? store_begin(ci->st) : 0;
    if (rc)
        return rc;
    csv_reader_init(&rd, data, len, ops->sep);
    rc = read_header(ci, &rd);
    if (rc == 0)
        rc = check_rows(ci, &rd, ops, arg);
    csv_reader_free(&rd);
    if (ops->check_in_transaction)
        store_rollback(ci->st);
    if (rc)
        return rc;
    size_t rejected = *ci->out.rejected;
    if (rejected && (!partial || rejected == *ci->out.rows))
        return ERR_INVAL;

    ci->pass = 2;
    if ((rc = store_begin(ci->st)) != 0)
        return rc;
    csv_reader_init(&rd, data, len, ops->sep);
    struct csv_record hdr;
    rc = csv_next(&rd, &hdr) == 1 ? 0 : ERR_CONFLICT;
    if (rc == 0)
        rc = write_rows(ci, &rd, ops, arg);
    csv_reader_free(&rd);
    if (rc == 0)
        rc = store_commit(ci->st);
    else
        store_rollback(ci->st);
    return rc;
}
