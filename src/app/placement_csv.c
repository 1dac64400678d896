/*
 * CSV import of internship places and students (placement_csv.h, docs/csv.md). The file is read
 * twice. Pass 1 checks every row: the file's own rules here (columns, closed lists, integers,
 * codes repeated in the file), then the row goes through its use case (app_place_add or
 * app_istudent_add) inside a transaction that is always rolled back, so that the report holds
 * exactly what a real write would meet: validation, unknown UAI or account, codes taken in the
 * period, and conflicts between rows of the file. Only a flag byte per record and the codes
 * already seen are kept. Pass 2 reads the file again inside one transaction and sends the good
 * rows through the same use case; any row that fails then means the store changed in between,
 * and the import stops with ERR_CONFLICT, nothing written.
 *
 * The columns of both kinds are described by one table each (name, field of the use case,
 * where the value goes in the struct), so that both kinds share the parsing, the reporting and
 * the mapping of the use case's field errors back to the file's columns.
 */
#include "app/placement_csv.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/placement.h"
#include "core/csv.h"
#include "core/err.h"
#include "core/text.h"
#include "core/utf8.h"

#define ROW_ERROR  (-1) /* "column" of an error about the whole row or file */
#define MAX_COLS   10   /* columns of the larger kind */
#define QUOTE_MAX  40   /* code points of a value quoted in a message */
#define INT_DIGITS 9    /* capacite, priorite: far above their ranges, far below INT_MAX */

enum vtype {
    V_TEXT,       /* copied into a char array (trimmed; UAI upper-cased) */
    V_INT,        /* decimal digits into an int; empty is 0 for an optional column */
    V_DEGREE,     /* 1D, 2D or their names */
    V_SITE,       /* ain, loire, rhone or their names */
    V_DISCIPLINE, /* a code or a name of the référentiel */
};

struct column {
    const char *name;  /* canonical header name, as folded */
    const char *label; /* French, for messages */
    const char *field; /* the use case's field name in struct field_errors */
    bool required;     /* must be in the header, and not empty */
    enum vtype type;
    size_t off, size; /* where the value goes in the struct; size of its array */
    size_t max_chars; /* V_TEXT: the domain's limit, for the "too long" message */
};

#define PLACE(f) offsetof(struct internship_place, f), sizeof(((struct internship_place *)0)->f)
#define STUDENT(f)                                                                                 \
    offsetof(struct internship_student, f), sizeof(((struct internship_student *)0)->f)

static const struct column place_columns[] = {
    {"code", "Code", "code", true, V_TEXT, PLACE(code), 40},
    {"uai", "UAI", "establishment", true, V_TEXT, PLACE(establishment_uai), 8},
    {"niveau", "Niveau de classe", "class_level", true, V_TEXT, PLACE(class_level), 40},
    {"tuteur", "Tuteur", "tutor_name", true, V_TEXT, PLACE(tutor_name), 120},
    {"courriel_tuteur", "Courriel du tuteur", "tutor_email", false, V_TEXT, PLACE(tutor_email),
     120},
    {"compte_tuteur", "Compte du tuteur", "tutor_login", false, V_TEXT, PLACE(tutor_login), 64},
    {"capacite", "Capacité", "capacity", true, V_INT, PLACE(capacity), 0},
    {"degre", "Degré", "degree", true, V_DEGREE, PLACE(degree), 0},
    {"discipline", "Discipline", "discipline", true, V_DISCIPLINE, PLACE(discipline), 0},
    {"site", "Site", "site", true, V_SITE, PLACE(site), 0},
};

static const struct column student_columns[] = {
    {"code", "Code", "code", true, V_TEXT, STUDENT(code), 40},
    {"nom", "Nom", "last_name", true, V_TEXT, STUDENT(last_name), 120},
    {"prenom", "Prénom", "first_name", true, V_TEXT, STUDENT(first_name), 120},
    {"courriel", "Courriel", "email", false, V_TEXT, STUDENT(email), 120},
    {"compte", "Compte", "login", false, V_TEXT, STUDENT(login), 64},
    {"degre", "Degré", "degree", true, V_DEGREE, STUDENT(degree), 0},
    {"discipline", "Discipline", "discipline", true, V_DISCIPLINE, STUDENT(discipline), 0},
    {"site", "Site", "site", true, V_SITE, STUDENT(site), 0},
    {"priorite", "Priorité", "priority", false, V_INT, STUDENT(priority), 0},
};

_Static_assert(sizeof place_columns / sizeof place_columns[0] <= MAX_COLS, "MAX_COLS");
_Static_assert(sizeof student_columns / sizeof student_columns[0] <= MAX_COLS, "MAX_COLS");

static const char *const degree_codes[] = {"1D", "2D", NULL};

enum {
    ROW_BAD = 1,   /* an error was reported: never written */
    ROW_BLANK = 2, /* a line of empty fields: skipped */
};

/* Codes (or accounts) seen in the file, with their line: open addressing on FNV-1a. */
struct strset {
    char **keys; /* NULL marks a free slot */
    size_t *lines;
    size_t cap, n;
};

/* A discipline of the référentiel, matched by folded code or folded name. */
struct disc {
    const char *code; /* borrowed from discs_json */
    char *fcode, *fname;
};

/* One data row as the use case will receive it. */
struct row {
    size_t line;
    union {
        struct internship_place place;
        struct internship_student student;
    } obj;
    unsigned bad_cols; /* bit per column index that already has an error */
    bool duplicate;    /* its code or account appeared on an earlier line */
    size_t nerr;
};

struct importer {
    struct app_ctx *ctx;
    struct placement_csv_report *rep;
    enum placement_csv_kind kind;
    int64_t period_id;
    int pass; /* 1: check and report; 2: write, nothing reported */
    const struct column *cols;
    int ncols_def;
    size_t nfields;                   /* fields of the header record */
    int col_of_field[CSV_MAX_FIELDS]; /* column index, or -1 for an ignored (unnamed) column */
    int field_of_col[MAX_COLS];       /* field index, or -1 when the column is absent */
    json_t *discs_json;
    struct disc *discs;
    size_t ndiscs;
    struct strset codes, logins;
    unsigned char *flags; /* one per record after the header, in file order */
    size_t nflags, capflags;
    struct buf fold; /* scratch for folded values */
    char quoted[QUOTE_MAX * 4 + 8];
    struct row row;
};

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

/* The value v[0..n) for a message: at most QUOTE_MAX code points, "…" when cut, one line. Lives
 * in imp->quoted until the next call. */
static const char *quote(struct importer *imp, const char *v, size_t n)
{
    size_t out = 0, i = 0, chars = 0;
    while (i < n && chars < QUOTE_MAX) {
        uint32_t cp;
        size_t k = utf8_decode(v + i, n - i, &cp);
        if (cp < 0x20 || cp == 0x7f) {
            imp->quoted[out++] = ' ';
        } else {
            memcpy(imp->quoted + out, v + i, k);
            out += k;
        }
        i += k;
        chars++;
    }
    if (i < n) {
        memcpy(imp->quoted + out, "…", 3);
        out += 3;
    }
    imp->quoted[out] = '\0';
    return imp->quoted;
}

/* Counts an error of the current row, marks its column (ROW_ERROR for none) and, in pass 1,
 * adds it to the report. */
static void report(struct importer *imp, size_t line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void report(struct importer *imp, size_t line, int col, const char *fmt, ...)
{
    imp->row.nerr++;
    if (col >= 0)
        imp->row.bad_cols |= 1u << col;
    if (imp->pass != 1)
        return;
    struct placement_csv_report *rep = imp->rep;
    if (rep->nerrors == PLACEMENT_CSV_MAX_ERRORS) {
        rep->errors_dropped++;
        return;
    }
    if (rep->nerrors % 64 == 0) {
        struct placement_csv_error *p =
            realloc(rep->errors, (rep->nerrors + 64) * sizeof *rep->errors);
        if (!p) {
            rep->errors_dropped++; /* the row still counts as bad */
            return;
        }
        rep->errors = p;
    }
    struct placement_csv_error *e = &rep->errors[rep->nerrors++];
    e->line = line;
    int w = snprintf(e->column, sizeof e->column, "%s", col >= 0 ? imp->cols[col].name : "");
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

static struct csv_field trim(struct csv_field f)
{
    while (f.len && (f.ptr[0] == ' ' || f.ptr[0] == '\t')) {
        f.ptr++;
        f.len--;
    }
    while (f.len && (f.ptr[f.len - 1] == ' ' || f.ptr[f.len - 1] == '\t'))
        f.len--;
    return f;
}

/* Folds v (lowercase, no accents) into imp->fold; spaces and hyphens become '_' when header is
 * true. Returns imp->fold.data, or "" on failure (which matches nothing). */
static const char *fold(struct importer *imp, const char *v, size_t n, bool header)
{
    buf_reset(&imp->fold);
    if (text_fold(v, n, &imp->fold) != 0 || !imp->fold.data)
        return "";
    if (header)
        for (size_t i = 0; i < imp->fold.len; i++)
            if (imp->fold.data[i] == ' ' || imp->fold.data[i] == '-')
                imp->fold.data[i] = '_';
    return imp->fold.data;
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

static bool parse_int(const char *s, size_t n, int *out)
{
    if (n == 0 || n > INT_DIGITS)
        return false;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static int flags_push(struct importer *imp, unsigned char f)
{
    if (imp->nflags == imp->capflags) {
        size_t cap = imp->capflags ? 2 * imp->capflags : 1024;
        unsigned char *p = realloc(imp->flags, cap);
        if (!p)
            return ERR_NOMEM;
        imp->flags = p;
        imp->capflags = cap;
    }
    imp->flags[imp->nflags++] = f;
    return 0;
}

/* ---- codes seen in the file ---- */

static size_t str_slot(char *const *keys, size_t cap, const char *s)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 0x100000001b3u;
    size_t i = (size_t)h & (cap - 1);
    while (keys[i] && strcmp(keys[i], s) != 0)
        i = (i + 1) & (cap - 1);
    return i;
}

static int strset_grow(struct strset *m)
{
    size_t cap = m->cap ? 2 * m->cap : 256;
    char **keys = calloc(cap, sizeof *keys);
    size_t *lines = calloc(cap, sizeof *lines);
    if (!keys || !lines) {
        free(keys);
        free(lines);
        return ERR_NOMEM;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t h = str_slot(keys, cap, m->keys[i]);
        keys[h] = m->keys[i];
        lines[h] = m->lines[i];
    }
    free(m->keys);
    free(m->lines);
    m->keys = keys;
    m->lines = lines;
    m->cap = cap;
    return 0;
}

/* Records s (not empty) seen on line. *first gets 0, or the line where s was first seen. */
static int strset_add(struct strset *m, const char *s, size_t line, size_t *first)
{
    *first = 0;
    if (2 * (m->n + 1) > m->cap && strset_grow(m) != 0)
        return ERR_NOMEM;
    size_t h = str_slot(m->keys, m->cap, s);
    if (m->keys[h]) {
        *first = m->lines[h];
        return 0;
    }
    size_t n = strlen(s) + 1;
    m->keys[h] = malloc(n);
    if (!m->keys[h])
        return ERR_NOMEM;
    memcpy(m->keys[h], s, n);
    m->lines[h] = line;
    m->n++;
    return 0;
}

static void strset_free(struct strset *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->lines);
    memset(m, 0, sizeof *m);
}

/* ---- référentiel and closed lists ---- */

static int load_disciplines(struct importer *imp)
{
    int rc = store_disciplines(imp->ctx->st, &imp->discs_json);
    if (rc)
        return rc;
    size_t n = json_array_size(imp->discs_json);
    imp->discs = calloc(n ? n : 1, sizeof *imp->discs);
    if (!imp->discs)
        return ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(imp->discs_json, i);
        struct disc *d = &imp->discs[imp->ndiscs++];
        const char *code = json_string_value(json_object_get(o, "code"));
        const char *name = json_string_value(json_object_get(o, "name"));
        d->code = code ? code : "";
        d->fcode = dup_folded(d->code);
        d->fname = dup_folded(name ? name : "");
        if (!d->fcode || !d->fname)
            return ERR_NOMEM;
    }
    return 0;
}

static void discs_free(struct importer *imp)
{
    for (size_t i = 0; i < imp->ndiscs; i++) {
        free(imp->discs[i].fcode);
        free(imp->discs[i].fname);
    }
    free(imp->discs);
    json_decref(imp->discs_json);
}

/* The discipline whose code, else whose name, folds like v; NULL if none. */
static const char *find_discipline(struct importer *imp, struct csv_field v)
{
    const char *f = fold(imp, v.ptr, v.len, false);
    if (!*f)
        return NULL;
    for (size_t i = 0; i < imp->ndiscs; i++)
        if (strcmp(imp->discs[i].fcode, f) == 0)
            return imp->discs[i].code;
    for (size_t i = 0; i < imp->ndiscs; i++)
        if (*imp->discs[i].fname && strcmp(imp->discs[i].fname, f) == 0)
            return imp->discs[i].code;
    return NULL;
}

/* The code of a closed list whose code or label folds like v ("Rhône", "RHONE", "1er degré",
 * "1d"); NULL if none. The codes and labels are short ASCII or French words. */
static const char *find_closed(struct importer *imp, const char *const *codes,
                               const char *(*label)(const char *), struct csv_field v)
{
    char want[64];
    const char *f = fold(imp, v.ptr, v.len, false);
    int w = snprintf(want, sizeof want, "%s", f);
    if (!*f || w < 0 || (size_t)w >= sizeof want)
        return NULL; /* longer than any code or label */
    for (int i = 0; codes[i]; i++) {
        const char *lc = fold(imp, codes[i], strlen(codes[i]), false);
        if (strcmp(lc, want) == 0)
            return codes[i];
        const char *l = label(codes[i]);
        if (l && strcmp(fold(imp, l, strlen(l), false), want) == 0)
            return codes[i];
    }
    return NULL;
}

/* ---- the header ---- */

/* The column index of a header cell: -1 for an empty name, ncols_def when unknown. */
static int header_column(struct importer *imp, const struct csv_field *cell)
{
    struct csv_field f = trim(*cell);
    const char *k = fold(imp, f.ptr, f.len, true);
    if (!*k)
        return -1;
    for (int c = 0; c < imp->ncols_def; c++)
        if (strcmp(k, imp->cols[c].name) == 0)
            return c;
    return imp->ncols_def;
}

/* "code, uai, niveau, …" for messages. */
static void column_list(const struct importer *imp, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (int c = 0; c < imp->ncols_def; c++) {
        int w = snprintf(out + used, size - used, "%s%s", c ? ", " : "", imp->cols[c].name);
        if (w < 0 || (size_t)w >= size - used)
            return; /* cannot happen: the list is far below size */
        used += (size_t)w;
    }
}

/* Reads and checks the header record; its errors are about the whole file. */
static int read_header(struct importer *imp, struct csv_reader *rd)
{
    char names[256];
    column_list(imp, names, sizeof names);
    struct csv_record rec;
    int rc = csv_next(rd, &rec);
    if (rc == ERR_NOMEM)
        return rc;
    if (rc == 0) {
        report(imp, 1, ROW_ERROR,
               "Le fichier est vide : la première ligne doit nommer les colonnes (%s).", names);
        return ERR_INVAL;
    }
    if (rc < 0) {
        report(imp, rd->line, ROW_ERROR, "Ligne d’en-tête illisible : %s.", rd->error);
        return ERR_INVAL;
    }
    imp->nfields = rec.nfields;
    for (int c = 0; c < MAX_COLS; c++)
        imp->field_of_col[c] = -1;
    size_t before = imp->row.nerr;
    for (size_t i = 0; i < rec.nfields; i++) {
        int c = header_column(imp, &rec.fields[i]);
        imp->col_of_field[i] = c < imp->ncols_def ? c : -1;
        if (c < 0)
            continue; /* an unnamed column (a spreadsheet's trailing ';'): ignored */
        if (c == imp->ncols_def) {
            struct csv_field f = trim(rec.fields[i]);
            report(imp, rec.line, ROW_ERROR,
                   "Colonne inconnue « %s » : les colonnes possibles sont %s.",
                   quote(imp, f.ptr, f.len), names);
        } else if (imp->field_of_col[c] >= 0) {
            report(imp, rec.line, c, "La colonne « %s » figure deux fois (colonnes %d et %zu).",
                   imp->cols[c].name, imp->field_of_col[c] + 1, i + 1);
            imp->col_of_field[i] = -1;
        } else {
            imp->field_of_col[c] = (int)i;
        }
    }
    for (int c = 0; c < imp->ncols_def; c++)
        if (imp->cols[c].required && imp->field_of_col[c] < 0)
            report(imp, rec.line, c, "Colonne obligatoire absente : « %s ».", imp->cols[c].name);
    return imp->row.nerr > before ? ERR_INVAL : 0;
}

/* ---- one row ---- */

/* Parses the value v of column c into the row's struct, or reports why it cannot. An empty
 * optional value leaves the zeroed struct as it is (empty text, 0). */
static void set_value(struct importer *imp, int c, struct csv_field v)
{
    const struct column *col = &imp->cols[c];
    struct row *w = &imp->row;
    char *dst = (char *)&w->obj + col->off;
    if (v.len == 0) {
        if (col->required)
            report(imp, w->line, c, "%s : champ obligatoire.", col->label);
        return;
    }
    const char *code = NULL;
    switch (col->type) {
    case V_TEXT:
        if (v.len >= col->size) {
            size_t n = utf8_length(v.ptr, v.len);
            if (n > col->max_chars)
                report(imp, w->line, c, "%s : %zu caractères au plus (%zu saisis).", col->label,
                       col->max_chars, n);
            else
                report(imp, w->line, c, "%s : texte trop long (%zu octets au plus en UTF-8).",
                       col->label, col->size - 1);
            return;
        }
        memcpy(dst, v.ptr, v.len);
        dst[v.len] = '\0';
        if (strcmp(col->field, "establishment") == 0)
            for (char *p = dst; *p; p++)
                if (*p >= 'a' && *p <= 'z')
                    *p = (char)(*p - 'a' + 'A'); /* UAIs are written in capitals */
        return;
    case V_INT: {
        int n = 0;
        if (!parse_int(v.ptr, v.len, &n)) {
            report(imp, w->line, c, "%s : nombre entier attendu, pas « %s ».", col->label,
                   quote(imp, v.ptr, v.len));
            return;
        }
        memcpy(dst, &n, sizeof n);
        return;
    }
    case V_DEGREE:
        code = find_closed(imp, degree_codes, trainer_degree_label, v);
        if (!code)
            report(imp, w->line, c, "%s : 1D ou 2D attendu, pas « %s ».", col->label,
                   quote(imp, v.ptr, v.len));
        break;
    case V_SITE:
        code = find_closed(imp, trainer_site_codes, trainer_site_label, v);
        if (!code)
            report(imp, w->line, c, "%s : Ain, Loire ou Rhône attendu, pas « %s ».", col->label,
                   quote(imp, v.ptr, v.len));
        break;
    case V_DISCIPLINE:
        code = find_discipline(imp, v);
        if (!code)
            report(imp, w->line, c,
                   "%s : « %s » n’est ni un code ni un nom du référentiel des disciplines.",
                   col->label, quote(imp, v.ptr, v.len));
        break;
    }
    if (code && snprintf(dst, col->size, "%s", code) >= (int)col->size)
        dst[0] = '\0'; /* cannot happen: codes fit their arrays (the use case rejects "") */
}

/* The column of a use case's field name; ROW_ERROR for one the file has no column for. */
static int column_of_field(const struct importer *imp, const char *field)
{
    for (int c = 0; c < imp->ncols_def; c++)
        if (strcmp(imp->cols[c].field, field) == 0)
            return c;
    return ROW_ERROR;
}

/* Builds imp->row from rec (errors reported, imp->row.nerr). */
static void build_row(struct importer *imp, const struct csv_record *rec)
{
    struct row *w = &imp->row;
    memset(w, 0, sizeof *w);
    w->line = rec->line;
    if (rec->nfields != imp->nfields) {
        report(imp, w->line, ROW_ERROR,
               "La ligne a %zu champ(s) alors que l’en-tête a %zu colonnes.", rec->nfields,
               imp->nfields);
        return;
    }
    if (imp->kind == PLACEMENT_CSV_PLACES)
        w->obj.place.period_id = imp->period_id;
    else
        w->obj.student.period_id = imp->period_id;
    for (int c = 0; c < imp->ncols_def; c++) {
        int i = imp->field_of_col[c];
        if (i < 0)
            continue; /* an optional column the file does not have */
        struct csv_field f = rec->fields[i];
        size_t k = csv_unneutralise(f.ptr, f.len);
        f.ptr += k;
        f.len -= k;
        set_value(imp, c, trim(f));
    }
}

/* Pass 1: a code (or account) already used on an earlier line of the file is an error. */
static int check_duplicate(struct importer *imp, struct strset *set, const char *value,
                           const char *field, const char *what)
{
    struct row *w = &imp->row;
    int c = column_of_field(imp, field);
    if (!*value || (c >= 0 && (w->bad_cols & (1u << c))))
        return 0;
    size_t first = 0;
    int rc = strset_add(set, value, w->line, &first);
    if (rc == 0 && first) {
        report(imp, w->line, c, "%s : « %s » figure déjà ligne %zu du fichier.", what,
               quote(imp, value, strlen(value)), first);
        w->duplicate = true;
    }
    return rc;
}

/* Runs the row through its use case (inside the pass's transaction). Field errors are reported
 * on their column, except on columns already reported by the parsing. Returns 0 when the row
 * was written, 1 when it is bad, or an error that stops the import. */
static int apply_row(struct importer *imp)
{
    struct row *w = &imp->row;
    struct field_errors errs = {0};
    int64_t id = 0;
    int rc = imp->kind == PLACEMENT_CSV_PLACES
                 ? app_place_add(imp->ctx, &w->obj.place, &errs, &id)
                 : app_istudent_add(imp->ctx, &w->obj.student, &errs, &id);
    if (rc != 0 && rc != ERR_INVAL && rc != ERR_EXISTS)
        return rc;
    for (int i = 0; i < errs.count; i++) {
        int c = column_of_field(imp, errs.items[i].field);
        if (c >= 0 && (w->bad_cols & (1u << c)))
            continue;
        /* "code or account already in the period" says nothing new after a duplicate line */
        if (rc == ERR_EXISTS && w->duplicate)
            continue;
        report(imp, w->line, c, "%s", errs.items[i].message);
    }
    if (rc != 0 && w->nerr == 0)
        report(imp, w->line, ROW_ERROR, "Ligne refusée.");
    return rc == 0 && w->nerr == 0 ? 0 : 1;
}

/* ---- the two passes ---- */

static bool blank(const struct csv_record *rec)
{
    for (size_t i = 0; i < rec->nfields; i++)
        if (rec->fields[i].len)
            return false;
    return true;
}

/* Pass 1, inside a transaction the caller rolls back: checks every row, fills the report and
 * imp->flags. */
static int check_rows(struct importer *imp, struct csv_reader *rd)
{
    struct csv_record rec;
    int rc;
    while ((rc = csv_next(rd, &rec)) != 0) {
        unsigned char f = 0;
        imp->row.nerr = 0;
        if (rc == ERR_NOMEM)
            return rc;
        if (rc < 0) {
            imp->rep->rows++;
            memset(&imp->row, 0, sizeof imp->row);
            report(imp, rd->line, ROW_ERROR, "Ligne illisible : %s.", rd->error);
            f = ROW_BAD;
        } else if (blank(&rec)) {
            f = ROW_BLANK;
        } else {
            imp->rep->rows++;
            build_row(imp, &rec);
            if (rec.nfields == imp->nfields) {
                const struct row *w = &imp->row;
                rc = imp->kind == PLACEMENT_CSV_PLACES
                         ? check_duplicate(imp, &imp->codes, w->obj.place.code, "code", "Code")
                         : check_duplicate(imp, &imp->codes, w->obj.student.code, "code", "Code");
                if (rc == 0 && imp->kind == PLACEMENT_CSV_STUDENTS)
                    rc =
                        check_duplicate(imp, &imp->logins, w->obj.student.login, "login", "Compte");
                if (rc == 0)
                    rc = apply_row(imp);
                if (rc < 0)
                    return rc;
            }
            if (imp->row.nerr)
                f = ROW_BAD;
        }
        if (f & ROW_BAD)
            imp->rep->rejected++;
        if ((rc = flags_push(imp, f)) != 0)
            return rc;
    }
    return 0;
}

/* Pass 2, inside the writing transaction: sends the good rows through their use case. */
static int write_rows(struct importer *imp, struct csv_reader *rd)
{
    struct csv_record rec;
    size_t k = 0;
    int rc;
    while ((rc = csv_next(rd, &rec)) != 0) {
        if (rc == ERR_NOMEM)
            return rc;
        if (k >= imp->nflags)
            return ERR_CONFLICT; /* cannot happen: the same bytes read the same way */
        unsigned char f = imp->flags[k++];
        if (rc < 0 || (f & (ROW_BAD | ROW_BLANK)))
            continue;
        build_row(imp, &rec);
        if (imp->row.nerr)
            return ERR_CONFLICT; /* the référentiel changed since pass 1 */
        rc = apply_row(imp);
        if (rc < 0)
            return rc;
        if (rc > 0)
            return ERR_CONFLICT; /* the store changed since pass 1 */
        imp->rep->imported++;
    }
    return 0;
}

/* One error for a file that is not UTF-8 text, on the line of its first bad byte. */
static bool check_encoding(struct importer *imp, const char *data, size_t len)
{
    size_t line = 1;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_decode(data + i, len - i, &cp);
        if (cp == 0) {
            report(imp, line, ROW_ERROR,
                   "Le fichier contient un caractère nul : ce n’est pas un fichier CSV texte.");
            return false;
        }
        if (cp == UTF8_REPLACEMENT && n == 1) {
            report(imp, line, ROW_ERROR,
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

/* Pass 1 in a transaction that is always rolled back. */
static int check_file(struct importer *imp, const char *data, size_t len)
{
    struct csv_reader rd;
    imp->pass = 1;
    if (!check_encoding(imp, data, len))
        return ERR_INVAL;
    int rc = store_begin(imp->ctx->st);
    if (rc)
        return rc;
    csv_reader_init(&rd, data, len, PLACEMENT_CSV_SEP);
    rc = read_header(imp, &rd);
    if (rc == 0)
        rc = check_rows(imp, &rd);
    csv_reader_free(&rd);
    store_rollback(imp->ctx->st);
    return rc;
}

/* Pass 2 in the transaction that commits. */
static int write_file(struct importer *imp, const char *data, size_t len)
{
    struct csv_reader rd;
    struct csv_record hdr;
    imp->pass = 2;
    int rc = store_begin(imp->ctx->st);
    if (rc)
        return rc;
    csv_reader_init(&rd, data, len, PLACEMENT_CSV_SEP);
    rc = csv_next(&rd, &hdr) == 1 ? 0 : ERR_CONFLICT;
    if (rc == 0)
        rc = write_rows(imp, &rd);
    csv_reader_free(&rd);
    if (rc == 0)
        rc = store_commit(imp->ctx->st);
    else
        store_rollback(imp->ctx->st);
    return rc;
}

static int run_import(struct importer *imp, const char *data, size_t len,
                      enum placement_csv_mode mode)
{
    struct placement_csv_report *rep = imp->rep;
    json_t *period = NULL;
    int rc = store_period_get(imp->ctx->st, imp->period_id, &period);
    json_decref(period);
    if (rc == 0)
        rc = load_disciplines(imp);
    if (rc == 0)
        rc = check_file(imp, data, len);
    if (rc)
        return rc;
    if (rep->rejected && (mode == PLACEMENT_CSV_ALL_OR_NOTHING || rep->rejected == rep->rows))
        return ERR_INVAL;
    rc = write_file(imp, data, len);
    if (rc) {
        rep->imported = 0;
        return rc;
    }
    rep->committed = true;
    return 0;
}

int placement_csv_kind_parse(const char *s)
{
    if (s && strcmp(s, "places") == 0)
        return PLACEMENT_CSV_PLACES;
    if (s && strcmp(s, "students") == 0)
        return PLACEMENT_CSV_STUDENTS;
    return -1;
}

int placement_csv_import(struct app_ctx *ctx, int64_t period_id, enum placement_csv_kind kind,
                         const char *data, size_t len, enum placement_csv_mode mode,
                         struct placement_csv_report *rep)
{
    memset(rep, 0, sizeof *rep);
    if (ctx->actor && !role_can(ctx->actor->role, CAP_PLACEMENT_MANAGE))
        return ERR_DENIED;
    struct importer *imp = calloc(1, sizeof *imp);
    if (!imp)
        return ERR_NOMEM;
    imp->ctx = ctx;
    imp->rep = rep;
    imp->kind = kind;
    imp->period_id = period_id;
    if (kind == PLACEMENT_CSV_PLACES) {
        imp->cols = place_columns;
        imp->ncols_def = (int)(sizeof place_columns / sizeof place_columns[0]);
    } else {
        imp->cols = student_columns;
        imp->ncols_def = (int)(sizeof student_columns / sizeof student_columns[0]);
    }
    buf_init(&imp->fold, CSV_MAX_FIELD_LEN * 2);
    int rc = run_import(imp, data ? data : "", data ? len : 0, mode);
    buf_free(&imp->fold);
    discs_free(imp);
    strset_free(&imp->codes);
    strset_free(&imp->logins);
    free(imp->flags);
    free(imp);
    return rc;
}

void placement_csv_report_free(struct placement_csv_report *rep)
{
    free(rep->errors);
    memset(rep, 0, sizeof *rep);
}
