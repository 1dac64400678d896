/*
 * CSV import and export of trainers (trainer_csv.h, docs/csv.md). An import runs in two passes
 * over the file, so that memory does not grow with the number of rows: the first checks every
 * row against the store and the référentiels and collects the report, remembering for each
 * record only a few flags (bad, update, blank); the second, inside one transaction, reads the
 * file again, rebuilds each good row the same way and writes it. Rebuilding a row is cheap next
 * to writing it, and the second pass re-checks each row, so a store that changed in between
 * cannot slip a bad row in (the import then fails with ERR_CONFLICT and writes nothing). The
 * create/update decision of the first pass is kept: a trainer created by the second pass must
 * not turn a later "unknown id" row into an update of it.
 */
#include "app/trainer_csv.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/err.h"
#include "core/text.h"
#include "core/utf8.h"

enum col {
    COL_ID,
    COL_NOM,
    COL_PRENOM,
    COL_COURRIEL,
    COL_INSTITUTION,
    COL_CORPS,
    COL_DEGRE,
    COL_DISCIPLINE,
    COL_SITE,
    COL_JOURS,
    COL_QUOTA,
    COL_PRESENTATION,
    COL_COMPETENCES,
    COL_COUNT
};

/* The columns, in export order. field is trainer_validate()'s name for the same data. */
static const struct column {
    const char *name;
    const char *label;
    const char *field;
    bool required;
} columns[COL_COUNT] = {
    [COL_ID] = {"id", "Identifiant", "id", false},
    [COL_NOM] = {"nom", "Nom", "last_name", true},
    [COL_PRENOM] = {"prenom", "Prénom", "first_name", true},
    [COL_COURRIEL] = {"courriel", "Courriel", "email", false},
    [COL_INSTITUTION] = {"institution", "Institution", "institution", true},
    [COL_CORPS] = {"corps", "Corps", "corps", true},
    [COL_DEGRE] = {"degre", "Degré", "degree", true},
    [COL_DISCIPLINE] = {"discipline", "Discipline", "discipline", true},
    [COL_SITE] = {"site", "Site", "site", true},
    [COL_JOURS] = {"jours", "Jours", "weekdays", false},
    [COL_QUOTA] = {"quota_heures", "Quota d’heures", "hours_quota", false},
    [COL_PRESENTATION] = {"presentation", "Présentation", "bio", false},
    [COL_COMPETENCES] = {"competences", "Compétences", "competences", false},
};

/* Other header spellings users write, after folding (see header_column()). */
static const struct {
    const char *name;
    enum col col;
} aliases[] = {
    {"email", COL_COURRIEL},
    {"e_mail", COL_COURRIEL},
    {"mel", COL_COURRIEL},
    {"quota", COL_QUOTA},
};

enum {
    ROW_BAD = 1,    /* an error was reported: never written */
    ROW_UPDATE = 2, /* the id exists: update, else create */
    ROW_BLANK = 4,  /* a line of empty fields: skipped */
};

#define ROW_ERROR       (-1) /* "column" of an error about the whole row or file */
#define EXPORT_FLUSH_AT ((size_t)64 << 10)
#define QUOTE_MAX       40 /* code points of a value quoted in a message */

/* A référentiel entry, matched by folded code or folded name. */
struct ref {
    const char *code; /* borrowed from the store's JSON, kept alive by the importer */
    char *fcode;
    char *fname; /* NULL when only codes match (competences) */
    int64_t id;
};

struct refs {
    json_t *json;
    struct ref *items;
    size_t n;
};

/* Ids seen in the file (pass 1), for duplicates: open addressing, id 0 marks a free slot. */
struct idmap {
    int64_t *keys;
    size_t *lines;
    size_t cap, n;
};

struct comp_item {
    const struct ref *ref;
    int level;
};

/* One data row as it will be written. */
struct row {
    size_t line;
    bool update;
    int64_t id; /* from the file; 0 when none */
    struct trainer t;
    struct trainer before; /* when update */
    struct comp_item comps[TRAINER_CSV_MAX_COMPETENCES];
    size_t ncomps;
    unsigned bad_cols; /* bit per enum col that already has an error */
    size_t nerr;
};

struct importer {
    struct app_ctx *ctx;
    struct trainer_csv_report *rep;
    int pass; /* 1: check and report; 2: rebuild and write, nothing reported */
    size_t ncols;
    size_t header_line;
    int col_of_field[CSV_MAX_FIELDS]; /* enum col, or -1 for an ignored (unnamed) column */
    int field_of_col[COL_COUNT];      /* field index, or -1 when the column is absent */
    struct refs inst, disc, comp;
    struct idmap ids;
    unsigned char *flags; /* one per record after the header, in file order */
    size_t nflags, capflags;
    struct buf fold; /* scratch for folded values */
    char quoted[QUOTE_MAX * 4 + 8];
    struct row row;
};

/* ---- messages ---- */

/* Makes msg one line of valid UTF-8: invalid bytes become '?', control characters spaces, and a
 * sequence cut by the end of the buffer is dropped. */
static void sanitize(char *msg)
{
    size_t len = strlen(msg);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_decode(msg + i, len - i, &cp);
        if (cp == UTF8_REPLACEMENT && n == 1) {
            /* truncated by vsnprintf at the very end: cut; elsewhere: mark */
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

/* The value v[0..n) for a message: at most QUOTE_MAX code points, "…" when cut, one line. The
 * result lives in imp->quoted until the next call. */
static const char *quote(struct importer *imp, const char *v, size_t n)
{
    size_t out = 0, i = 0, chars = 0;
    while (i < n && chars < QUOTE_MAX) {
        uint32_t cp;
        size_t k = utf8_decode(v + i, n - i, &cp);
        if (cp < 0x20 || cp == 0x7f)
            imp->quoted[out++] = ' ';
        else {
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

/* Adds one error to the report (pass 1 only) and marks the column (ROW_ERROR for none). */
static void report(struct importer *imp, size_t line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void report(struct importer *imp, size_t line, int col, const char *fmt, ...)
{
    imp->row.nerr++;
    if (col >= 0)
        imp->row.bad_cols |= 1u << col;
    if (imp->pass != 1)
        return;
    struct trainer_csv_report *rep = imp->rep;
    if (rep->nerrors == TRAINER_CSV_MAX_ERRORS) {
        rep->errors_dropped++;
        return;
    }
    if (rep->nerrors % 64 == 0) {
        struct trainer_csv_error *p =
            realloc(rep->errors, (rep->nerrors + 64) * sizeof *rep->errors);
        if (!p) {
            rep->errors_dropped++; /* the row still counts as bad */
            return;
        }
        rep->errors = p;
    }
    struct trainer_csv_error *e = &rep->errors[rep->nerrors++];
    e->line = line;
    snprintf(e->column, sizeof e->column, "%s", col >= 0 ? columns[col].name : "");
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    if (w < 0)
        e->message[0] = '\0';
    sanitize(e->message);
}

/* ---- small helpers ---- */

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

static struct csv_field trim(struct csv_field f)
{
    while (f.len && is_space(f.ptr[0])) {
        f.ptr++;
        f.len--;
    }
    while (f.len && is_space(f.ptr[f.len - 1]))
        f.len--;
    return f;
}

/* Folds v (lowercase, no accents) into imp->fold; spaces and hyphens become '_' when
 * header is true. Returns imp->fold.data ("" on failure, which matches nothing). */
static const char *fold(struct importer *imp, const char *v, size_t n, bool header)
{
    buf_reset(&imp->fold);
    if (text_fold(v, n, &imp->fold) != 0)
        return "";
    if (header)
        for (size_t i = 0; i < imp->fold.len; i++)
            if (imp->fold.data[i] == ' ' || imp->fold.data[i] == '-')
                imp->fold.data[i] = '_';
    return imp->fold.data;
}

/* Parses 1 to max_digits ASCII digits; false on anything else. */
static bool parse_uint(const char *s, size_t n, size_t max_digits, int64_t *out)
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

static char *dup_folded(const char *s)
{
    struct buf b;
    buf_init(&b, 4096);
    if (text_fold(s, strlen(s), &b) != 0 || buf_failed(&b)) {
        buf_free(&b);
        return NULL;
    }
    if (b.len == 0) {
        buf_free(&b);
        return calloc(1, 1);
    }
    return buf_steal(&b);
}

/* ---- référentiels ---- */

static void refs_free(struct refs *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->items[i].fcode);
        free(r->items[i].fname);
    }
    free(r->items);
    json_decref(r->json);
    memset(r, 0, sizeof *r);
}

/* Takes arr (stolen) of {code, name_key?, id?} objects. */
static int refs_load(struct refs *r, json_t *arr, const char *name_key)
{
    r->json = arr;
    size_t n = json_array_size(arr);
    r->items = calloc(n ? n : 1, sizeof *r->items);
    if (!r->items)
        return ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        struct ref *e = &r->items[r->n++];
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

static int load_referentials(struct importer *imp)
{
    struct store *st = imp->ctx->st;
    json_t *a = NULL;
    int rc = store_institutions(st, &a);
    if (rc == 0)
        rc = refs_load(&imp->inst, a, "name");
    a = NULL;
    if (rc == 0)
        rc = store_disciplines(st, &a);
    if (rc == 0)
        rc = refs_load(&imp->disc, a, "name");
    a = NULL;
    if (rc == 0)
        rc = store_competences(st, &a);
    if (rc == 0)
        rc = refs_load(&imp->comp, a, NULL);
    return rc;
}

/* The entry whose code or name folds to the same as v; NULL if none. */
static const struct ref *refs_find(struct importer *imp, const struct refs *r, const char *v,
                                   size_t n)
{
    const char *f = fold(imp, v, n, false);
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

/* ---- ids seen in the file ---- */

static size_t id_slot(const int64_t *keys, size_t cap, int64_t id)
{
    size_t h = (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15u) >> 17) & (cap - 1);
    while (keys[h] != 0 && keys[h] != id)
        h = (h + 1) & (cap - 1);
    return h;
}

static int idmap_grow(struct idmap *m)
{
    size_t cap = m->cap ? 2 * m->cap : 256;
    int64_t *keys = calloc(cap, sizeof *keys);
    size_t *lines = calloc(cap, sizeof *lines);
    if (!keys || !lines) {
        free(keys);
        free(lines);
        return ERR_NOMEM;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t h = id_slot(keys, cap, m->keys[i]);
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

/* Records id (> 0) seen on line. Returns 0, the line where it was first seen (> 0) when it is a
 * duplicate, or ERR_NOMEM. */
static int64_t idmap_add(struct idmap *m, int64_t id, size_t line)
{
    if (2 * (m->n + 1) > m->cap && idmap_grow(m) != 0)
        return ERR_NOMEM;
    size_t h = id_slot(m->keys, m->cap, id);
    if (m->keys[h] == id)
        return (int64_t)m->lines[h];
    m->keys[h] = id;
    m->lines[h] = line;
    m->n++;
    return 0;
}

static void idmap_free(struct idmap *m)
{
    free(m->keys);
    free(m->lines);
    memset(m, 0, sizeof *m);
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

/* ---- the header ---- */

static int header_column(struct importer *imp, const char *name, size_t n)
{
    struct csv_field f = trim((struct csv_field){name, n});
    const char *k = fold(imp, f.ptr, f.len, true);
    if (!*k)
        return -1;
    for (int c = 0; c < COL_COUNT; c++)
        if (strcmp(k, columns[c].name) == 0)
            return c;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcmp(k, aliases[i].name) == 0)
            return (int)aliases[i].col;
    return COL_COUNT; /* unknown */
}

/* Reads and checks the header record; errors are about the whole file. */
static int read_header(struct importer *imp, struct csv_reader *rd)
{
    struct csv_record rec;
    int rc = csv_next(rd, &rec);
    if (rc == ERR_NOMEM)
        return rc;
    if (rc == 0) {
        report(imp, 1, ROW_ERROR,
               "Le fichier est vide : la première ligne doit nommer les colonnes "
               "(nom;prenom;institution;corps;degre;discipline;site…).");
        return ERR_INVAL;
    }
    if (rc < 0) {
        report(imp, rd->line, ROW_ERROR, "Ligne d’en-tête illisible : %s.", rd->error);
        return ERR_INVAL;
    }
    imp->header_line = rec.line;
    imp->ncols = rec.nfields;
    for (int c = 0; c < COL_COUNT; c++)
        imp->field_of_col[c] = -1;
    size_t before = imp->row.nerr;
    for (size_t i = 0; i < rec.nfields; i++) {
        const struct csv_field *f = &rec.fields[i];
        int c = header_column(imp, f->ptr, f->len);
        imp->col_of_field[i] = c < COL_COUNT ? c : -1;
        if (c < 0)
            continue; /* an unnamed column (a spreadsheet's trailing ';'): ignored */
        if (c == COL_COUNT) {
            report(imp, rec.line, ROW_ERROR,
                   "Colonne inconnue « %s » : les colonnes possibles sont id, nom, prenom, "
                   "courriel, institution, corps, degre, discipline, site, jours, "
                   "quota_heures, presentation et competences.",
                   quote(imp, f->ptr, f->len));
        } else if (imp->field_of_col[c] >= 0) {
            report(imp, rec.line, c, "La colonne « %s » figure deux fois (colonnes %d et %zu).",
                   columns[c].name, imp->field_of_col[c] + 1, i + 1);
            imp->col_of_field[i] = -1;
        } else {
            imp->field_of_col[c] = (int)i;
        }
    }
    for (int c = 0; c < COL_COUNT; c++)
        if (columns[c].required && imp->field_of_col[c] < 0)
            report(imp, rec.line, c, "Colonne obligatoire absente : « %s ».", columns[c].name);
    return imp->row.nerr > before ? ERR_INVAL : 0;
}

/* ---- one row ---- */

/* The value of column c in rec: unneutralised (csv_unneutralise) and, unless raw, trimmed.
 * False when the file has no such column. */
static bool value(const struct importer *imp, const struct csv_record *rec, int c, bool raw,
                  struct csv_field *out)
{
    int i = imp->field_of_col[c];
    if (i < 0)
        return false;
    struct csv_field f = rec->fields[i];
    size_t k = csv_unneutralise(f.ptr, f.len);
    f.ptr += k;
    f.len -= k;
    *out = raw ? f : trim(f);
    return true;
}

/* Copies text into dst (size bytes) or reports why it does not fit. */
static void set_text(struct importer *imp, int c, char *dst, size_t size, size_t max_chars,
                     struct csv_field v)
{
    dst[0] = '\0';
    if (v.len >= size) {
        size_t n = utf8_length(v.ptr, v.len);
        if (n > max_chars)
            report(imp, imp->row.line, c, "%s : %zu caractères au plus (%zu saisis).",
                   columns[c].label, max_chars, n);
        else
            report(imp, imp->row.line, c, "%s : texte trop long (%zu octets au plus en UTF-8).",
                   columns[c].label, size - 1);
        return;
    }
    memcpy(dst, v.ptr, v.len);
    dst[v.len] = '\0';
}

/* A column whose empty value is an error (the required ones); true when v is not empty. */
static bool required(struct importer *imp, int c, struct csv_field v)
{
    if (v.len)
        return true;
    report(imp, imp->row.line, c, "%s : champ obligatoire.", columns[c].label);
    return false;
}

static void set_ref(struct importer *imp, int c, const struct refs *r, const char *what, char *dst,
                    size_t size, struct csv_field v)
{
    if (!required(imp, c, v))
        return;
    const struct ref *e = refs_find(imp, r, v.ptr, v.len);
    if (!e) {
        report(imp, imp->row.line, c, "%s : « %s » n’est ni un code ni un nom du référentiel %s.",
               columns[c].label, quote(imp, v.ptr, v.len), what);
        return;
    }
    snprintf(dst, size, "%s", e->code);
}

/* Matches v against a closed list of codes, by folded code or folded label. */
static const char *closed_list(struct importer *imp, const char *const *codes,
                               const char *(*label)(const char *), struct csv_field v)
{
    const char *f = fold(imp, v.ptr, v.len, false);
    if (!*f)
        return NULL;
    for (int i = 0; codes[i]; i++) {
        char lc[TRAINER_CODE_MAX + 1];
        size_t n = strlen(codes[i]);
        for (size_t k = 0; k <= n && k < sizeof lc; k++)
            lc[k] =
                (char)(codes[i][k] >= 'A' && codes[i][k] <= 'Z' ? codes[i][k] + 32 : codes[i][k]);
        if (strcmp(f, lc) == 0)
            return codes[i];
    }
    /* Labels ("Rhône", "1er degré"): fold them one at a time, only for values that are not a
     * code, so the common case costs no folding. */
    char want[TRAINER_CODE_MAX * 4 + 1];
    snprintf(want, sizeof want, "%s", f);
    for (int i = 0; codes[i]; i++) {
        const char *l = label(codes[i]);
        if (l && strcmp(fold(imp, l, strlen(l), false), want) == 0)
            return codes[i];
    }
    return NULL;
}

static void set_closed(struct importer *imp, int c, const char *const *codes,
                       const char *(*label)(const char *), const char *expected, char *dst,
                       size_t size, struct csv_field v)
{
    if (!required(imp, c, v))
        return;
    const char *code = closed_list(imp, codes, label, v);
    if (!code) {
        report(imp, imp->row.line, c, "%s : %s attendu, pas « %s ».", columns[c].label, expected,
               quote(imp, v.ptr, v.len));
        return;
    }
    snprintf(dst, size, "%s", code);
}

static void parse_competences(struct importer *imp, struct csv_field v)
{
    struct row *w = &imp->row;
    size_t i = 0;
    while (i <= v.len) {
        const char *end = memchr(v.ptr + i, '|', v.len - i);
        size_t n = end ? (size_t)(end - (v.ptr + i)) : v.len - i;
        struct csv_field item = trim((struct csv_field){v.ptr + i, n});
        i += n + 1;
        if (!item.len)
            continue;
        /* code:niveau[:etat]; the state is accepted and ignored (trainer_csv.h) */
        const char *c1 = memchr(item.ptr, ':', item.len);
        const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(item.ptr + item.len - c1 - 1)) : NULL;
        const char *c3 = c2 ? memchr(c2 + 1, ':', (size_t)(item.ptr + item.len - c2 - 1)) : NULL;
        if (!c1 || c3) {
            report(imp, w->line, COL_COMPETENCES,
                   "Compétences : « %s » ne suit pas la forme code:niveau (par exemple "
                   "inclusion:3).",
                   quote(imp, item.ptr, item.len));
            continue;
        }
        struct csv_field code = trim((struct csv_field){item.ptr, (size_t)(c1 - item.ptr)});
        size_t lv_len = (size_t)((c2 ? c2 : item.ptr + item.len) - c1 - 1);
        struct csv_field lv = trim((struct csv_field){c1 + 1, lv_len});
        const struct ref *ref = refs_find(imp, &imp->comp, code.ptr, code.len);
        if (!ref) {
            report(imp, w->line, COL_COMPETENCES, "Compétences : code inconnu « %s ».",
                   quote(imp, code.ptr, code.len));
            continue;
        }
        if (lv.len != 1 || lv.ptr[0] < '1' || lv.ptr[0] > '4') {
            report(imp, w->line, COL_COMPETENCES,
                   "Compétences : niveau de 1 (notions) à 4 (expert) attendu pour « %s », "
                   "pas « %s ».",
                   ref->code, quote(imp, lv.ptr, lv.len));
            continue;
        }
        bool dup = false;
        for (size_t k = 0; k < w->ncomps && !dup; k++)
            dup = w->comps[k].ref == ref;
        if (dup) {
            report(imp, w->line, COL_COMPETENCES, "Compétences : « %s » figure deux fois.",
                   ref->code);
            continue;
        }
        if (w->ncomps == TRAINER_CSV_MAX_COMPETENCES) {
            report(imp, w->line, COL_COMPETENCES, "Compétences : %d au plus par formateur.",
                   TRAINER_CSV_MAX_COMPETENCES);
            return;
        }
        w->comps[w->ncomps].ref = ref;
        w->comps[w->ncomps].level = lv.ptr[0] - '0';
        w->ncomps++;
    }
}

/* The id column: decides update or create. Returns 0 or a store error (not a row error). */
static int row_id(struct importer *imp, const struct csv_record *rec, unsigned char flags)
{
    struct row *w = &imp->row;
    struct csv_field v;
    if (!value(imp, rec, COL_ID, false, &v) || v.len == 0)
        return 0;
    int64_t id = 0;
    if (!parse_uint(v.ptr, v.len, 18, &id) || id == 0) {
        report(imp, w->line, COL_ID, "Identifiant : nombre entier positif attendu, pas « %s ».",
               quote(imp, v.ptr, v.len));
        return 0;
    }
    w->id = id;
    if (imp->pass == 1) {
        int64_t first = idmap_add(&imp->ids, id, w->line);
        if (first < 0)
            return (int)first;
        if (first > 0) {
            report(imp, w->line, COL_ID,
                   "Identifiant : le formateur %lld figure déjà ligne %lld du fichier.",
                   (long long)id, (long long)first);
            return 0;
        }
        int rc = store_trainer_load(imp->ctx->st, id, &w->before);
        if (rc == 0)
            w->update = true;
        else if (rc != ERR_NOTFOUND)
            return rc;
        return 0;
    }
    if (!(flags & ROW_UPDATE))
        return 0;
    int rc = store_trainer_load(imp->ctx->st, id, &w->before);
    if (rc == ERR_NOTFOUND) {
        report(imp, w->line, COL_ID, "Identifiant : le formateur %lld n’existe plus.",
               (long long)id);
        return 0;
    }
    if (rc == 0)
        w->update = true;
    return rc;
}

/* Field name of trainer_validate() -> column. */
static int column_of_field(const char *field)
{
    for (int c = 0; c < COL_COUNT; c++)
        if (strcmp(columns[c].field, field) == 0)
            return c;
    return ROW_ERROR;
}

/*
 * Builds imp->row from rec: the stored trainer when the row updates one, overlaid with the
 * columns of the file, then checked. Row errors are reported (imp->row.nerr); the return value
 * is 0 or a store / memory error that stops the import.
 */
static int build_row(struct importer *imp, const struct csv_record *rec, unsigned char flags)
{
    struct row *w = &imp->row;
    memset(w, 0, sizeof *w);
    w->line = rec->line;
    if (rec->nfields != imp->ncols) {
        report(imp, w->line, ROW_ERROR,
               "La ligne a %zu champ(s) alors que l’en-tête a %zu colonnes.", rec->nfields,
               imp->ncols);
        return 0;
    }
    int rc = row_id(imp, rec, flags);
    if (rc)
        return rc;
    struct trainer *t = &w->t;
    if (w->update) {
        *t = w->before;
        t->id = w->id;
    }
    struct csv_field v;
    if (value(imp, rec, COL_NOM, false, &v))
        set_text(imp, COL_NOM, t->last_name, sizeof t->last_name, TRAINER_NAME_MAX, v);
    if (value(imp, rec, COL_PRENOM, false, &v))
        set_text(imp, COL_PRENOM, t->first_name, sizeof t->first_name, TRAINER_NAME_MAX, v);
    if (value(imp, rec, COL_COURRIEL, false, &v))
        set_text(imp, COL_COURRIEL, t->email, sizeof t->email, TRAINER_EMAIL_MAX, v);
    if (value(imp, rec, COL_PRESENTATION, true, &v))
        set_text(imp, COL_PRESENTATION, t->bio, sizeof t->bio, TRAINER_BIO_MAX, v);
    if (value(imp, rec, COL_INSTITUTION, false, &v))
        set_ref(imp, COL_INSTITUTION, &imp->inst, "des institutions", t->institution,
                sizeof t->institution, v);
    if (value(imp, rec, COL_DISCIPLINE, false, &v))
        set_ref(imp, COL_DISCIPLINE, &imp->disc, "des disciplines", t->discipline,
                sizeof t->discipline, v);
    if (value(imp, rec, COL_CORPS, false, &v))
        set_closed(imp, COL_CORPS, trainer_corps_codes, trainer_corps_label,
                   "un code de corps (pemf, cpc, professeur_ecoles…)", t->corps, sizeof t->corps,
                   v);
    if (value(imp, rec, COL_DEGRE, false, &v))
        set_closed(imp, COL_DEGRE, trainer_degree_codes, trainer_degree_label, "1D, 2D ou SUP",
                   t->degree, sizeof t->degree, v);
    if (value(imp, rec, COL_SITE, false, &v))
        set_closed(imp, COL_SITE, trainer_site_codes, trainer_site_label, "Ain, Loire ou Rhône",
                   t->site, sizeof t->site, v);
    if (value(imp, rec, COL_JOURS, false, &v)) {
        int bits = v.len ? weekdays_parse(v.ptr, v.len) : 0;
        if (bits < 0)
            report(imp, w->line, COL_JOURS,
                   "Jours : « %s » contient un jour inconnu (lundi, mardi, mercredi, jeudi, "
                   "vendredi ou samedi, séparés par des virgules).",
                   quote(imp, v.ptr, v.len));
        else
            t->weekdays = (unsigned)bits;
    }
    if (value(imp, rec, COL_QUOTA, false, &v)) {
        int64_t q = 0;
        if (v.len && (!parse_uint(v.ptr, v.len, 4, &q) || q > TRAINER_QUOTA_MAX))
            report(imp, w->line, COL_QUOTA,
                   "Quota d’heures : nombre entier d’heures de 0 à %d attendu, pas « %s ».",
                   TRAINER_QUOTA_MAX, quote(imp, v.ptr, v.len));
        else
            t->hours_quota = (int)q;
    }
    if (value(imp, rec, COL_COMPETENCES, false, &v))
        parse_competences(imp, v);

    /* The domain rules, for what the parsing above did not already reject. */
    struct field_errors errs = {0};
    trainer_validate(t, &errs);
    for (int i = 0; i < errs.count; i++) {
        int c = column_of_field(errs.items[i].field);
        if (c >= 0 && (w->bad_cols & (1u << c)))
            continue;
        report(imp, w->line, c, "%s", errs.items[i].message);
    }
    return 0;
}

/* ---- writing ---- */

static bool trainer_same(const struct trainer *a, const struct trainer *b)
{
    return strcmp(a->last_name, b->last_name) == 0 && strcmp(a->first_name, b->first_name) == 0 &&
           strcmp(a->email, b->email) == 0 && strcmp(a->institution, b->institution) == 0 &&
           strcmp(a->corps, b->corps) == 0 && strcmp(a->degree, b->degree) == 0 &&
           strcmp(a->discipline, b->discipline) == 0 && strcmp(a->site, b->site) == 0 &&
           a->weekdays == b->weekdays && a->hours_quota == b->hours_quota &&
           strcmp(a->bio, b->bio) == 0;
}

/* The audited view of a trainer: the same keys as app_trainer_update's entries. */
static json_t *snapshot(const struct trainer *t, json_t *comps)
{
    json_t *o =
        json_pack("{ss ss ss ss ss ss ss ss si si ss}", "last_name", t->last_name, "first_name",
                  t->first_name, "email", t->email, "institution", t->institution, "corps",
                  t->corps, "degree", t->degree, "discipline", t->discipline, "site", t->site,
                  "weekdays", (int)t->weekdays, "hours_quota", t->hours_quota, "bio", t->bio);
    if (o && json_array_size(comps))
        json_object_set(o, "competences", comps);
    return o;
}

/* Declares the row's competences that are new or at another level. */
static int write_competences(struct importer *imp, int64_t tid, json_t *before, json_t *after,
                             size_t *changed)
{
    struct row *w = &imp->row;
    struct store *st = imp->ctx->st;
    for (size_t k = 0; k < w->ncomps; k++) {
        const struct comp_item *c = &w->comps[k];
        if (w->update) {
            enum competence_state state;
            int level = 0;
            int rc = store_trainer_competence_state(st, tid, c->ref->id, &state, &level);
            if (rc == 0 && level == c->level)
                continue; /* same level: keep its state, validated or not */
            if (rc == 0)
                json_array_append_new(before,
                                      json_pack("{ss si ss}", "competence", c->ref->code, "level",
                                                level, "state", competence_state_code(state)));
            else if (rc != ERR_NOTFOUND)
                return rc;
        }
        int rc = store_trainer_competence_declare(st, tid, c->ref->id, c->level, imp->ctx->now);
        if (rc)
            return rc;
        json_array_append_new(after, json_pack("{ss si ss}", "competence", c->ref->code, "level",
                                               c->level, "state", "declared"));
        (*changed)++;
    }
    return 0;
}

/* Writes imp->row (inside the transaction) and audits it. */
static int write_row(struct importer *imp)
{
    struct row *w = &imp->row;
    struct store *st = imp->ctx->st;
    bool fields_changed = !w->update || !trainer_same(&w->before, &w->t);
    int64_t tid = w->update ? w->id : 0;
    size_t comps_changed = 0;
    json_t *cb = json_array(), *ca = json_array();
    int rc = cb && ca ? 0 : ERR_NOMEM;
    /* Updates declare first so that the one reindex of store_trainer_put covers both; a new
     * trainer needs its id first. */
    if (rc == 0 && w->update)
        rc = write_competences(imp, tid, cb, ca, &comps_changed);
    if (rc == 0 && fields_changed) {
        w->t.id = w->update ? w->id : 0;
        rc = store_trainer_put(st, &w->t, imp->ctx->now, &tid);
    }
    if (rc == 0 && !w->update) {
        rc = write_competences(imp, tid, cb, ca, &comps_changed);
        if (rc == 0 && comps_changed)
            rc = store_trainer_reindex(st, tid);
    } else if (rc == 0 && comps_changed && !fields_changed) {
        rc = store_trainer_reindex(st, tid);
    }
    if (rc == 0 && !fields_changed && !comps_changed) {
        imp->rep->unchanged++;
    } else if (rc == 0) {
        json_t *before = w->update ? snapshot(&w->before, cb) : NULL;
        json_t *after = snapshot(&w->t, ca);
        if (!after || (w->update && !before)) {
            json_decref(before);
            json_decref(after);
            rc = ERR_NOMEM;
        } else {
            rc = app_audit(imp->ctx, "trainer.import", "trainer", tid, before, after);
        }
        if (rc == 0 && w->update)
            imp->rep->updated++;
        else if (rc == 0)
            imp->rep->created++;
    }
    json_decref(cb);
    json_decref(ca);
    return rc;
}

/* ---- the two passes ---- */

static bool blank(const struct csv_record *rec)
{
    for (size_t i = 0; i < rec->nfields; i++)
        if (rec->fields[i].len)
            return false;
    return true;
}

/* Pass 1: checks every row and fills the report and imp->flags. */
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
            report(imp, rd->line, ROW_ERROR, "Ligne illisible : %s.", rd->error);
            f = ROW_BAD;
        } else if (blank(&rec)) {
            f = ROW_BLANK;
        } else {
            imp->rep->rows++;
            if ((rc = build_row(imp, &rec, 0)) != 0)
                return rc;
            if (imp->row.nerr)
                f = ROW_BAD;
            else if (imp->row.update)
                f = ROW_UPDATE;
        }
        if (f & ROW_BAD)
            imp->rep->rejected++;
        if ((rc = flags_push(imp, f)) != 0)
            return rc;
    }
    return 0;
}

/* Pass 2, inside the transaction: rebuilds and writes the good rows. */
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
        if ((rc = build_row(imp, &rec, f)) != 0)
            return rc;
        if (imp->row.nerr)
            return ERR_CONFLICT; /* the store changed since pass 1 */
        if ((rc = write_row(imp)) != 0)
            return rc;
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

static int run_import(struct importer *imp, const char *data, size_t len,
                      enum trainer_csv_mode mode)
{
    struct trainer_csv_report *rep = imp->rep;
    struct csv_reader rd;
    imp->pass = 1;
    if (!check_encoding(imp, data, len))
        return ERR_INVAL;
    int rc = load_referentials(imp);
    if (rc)
        return rc;

    csv_reader_init(&rd, data, len, TRAINER_CSV_SEP);
    rc = read_header(imp, &rd);
    if (rc == 0)
        rc = check_rows(imp, &rd);
    csv_reader_free(&rd);
    if (rc)
        return rc;
    if (rep->rejected && (mode == TRAINER_CSV_ALL_OR_NOTHING || rep->rejected == rep->rows))
        return ERR_INVAL;

    imp->pass = 2;
    if ((rc = store_begin(imp->ctx->st)) != 0)
        return rc;
    csv_reader_init(&rd, data, len, TRAINER_CSV_SEP);
    struct csv_record hdr;
    rc = csv_next(&rd, &hdr) == 1 ? 0 : ERR_CONFLICT;
    if (rc == 0)
        rc = write_rows(imp, &rd);
    csv_reader_free(&rd);
    if (rc == 0)
        rc = store_commit(imp->ctx->st);
    else
        store_rollback(imp->ctx->st);
    if (rc) {
        rep->created = rep->updated = rep->unchanged = 0;
        return rc;
    }
    rep->imported = true;
    return 0;
}

int trainer_csv_import(struct app_ctx *ctx, const char *data, size_t len,
                       enum trainer_csv_mode mode, struct trainer_csv_report *rep)
{
    memset(rep, 0, sizeof *rep);
    if (ctx->actor && !role_can(ctx->actor->role, CAP_TRAINER_IMPORT))
        return ERR_DENIED;
    struct importer *imp = calloc(1, sizeof *imp);
    if (!imp)
        return ERR_NOMEM;
    imp->ctx = ctx;
    imp->rep = rep;
    buf_init(&imp->fold, CSV_MAX_FIELD_LEN * 2);
    int rc = run_import(imp, data ? data : "", data ? len : 0, mode);
    buf_free(&imp->fold);
    refs_free(&imp->inst);
    refs_free(&imp->disc);
    refs_free(&imp->comp);
    idmap_free(&imp->ids);
    free(imp->flags);
    free(imp);
    return rc;
}

void trainer_csv_report_free(struct trainer_csv_report *rep)
{
    free(rep->errors);
    memset(rep, 0, sizeof *rep);
}

/* ---- export ---- */

struct exporter {
    struct buf *out;
    int (*flush)(void *arg, struct buf *out);
    void *arg;
    size_t count;
    struct buf cell;
};

static const char *jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static void put(struct exporter *x, const char *s, size_t len, bool first)
{
    csv_write_field(x->out, s, len, TRAINER_CSV_SEP, first);
}

static void put_str(struct exporter *x, const char *s)
{
    put(x, s, strlen(s), false);
}

static int export_row(void *arg, json_t *row)
{
    struct exporter *x = arg;
    char num[32];
    int n = snprintf(num, sizeof num, "%lld",
                     (long long)json_integer_value(json_object_get(row, "id")));
    put(x, num, (size_t)n, true);
    put_str(x, jstr(row, "last_name"));
    put_str(x, jstr(row, "first_name"));
    put_str(x, jstr(row, "email"));
    put_str(x, jstr(row, "institution"));
    put_str(x, jstr(row, "corps"));
    put_str(x, jstr(row, "degree"));
    put_str(x, jstr(row, "discipline"));
    put_str(x, jstr(row, "site"));
    unsigned wd = (unsigned)json_integer_value(json_object_get(row, "weekdays_bits"));
    buf_reset(&x->cell);
    for (int d = 0; d < 6; d++)
        if (wd & (1u << d))
            buf_printf(&x->cell, "%s%s", x->cell.len ? "," : "", weekday_names[d]);
    put(x, x->cell.data, x->cell.len, false);
    n = snprintf(num, sizeof num, "%d",
                 (int)json_integer_value(json_object_get(row, "hours_quota")));
    put(x, num, (size_t)n, false);
    put_str(x, jstr(row, "bio"));
    buf_reset(&x->cell);
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(row, "competences"), i, c)
    {
        buf_printf(&x->cell, "%s%s:%d:%s", i ? "|" : "", jstr(c, "code"),
                   (int)json_integer_value(json_object_get(c, "level")), jstr(c, "state"));
    }
    put(x, x->cell.data, x->cell.len, false);
    csv_write_eol(x->out);
    if (buf_failed(&x->cell))
        return x->cell.err;
    if (buf_failed(x->out))
        return x->out->err;
    x->count++;
    if (x->flush && x->out->len > EXPORT_FLUSH_AT)
        return x->flush(x->arg, x->out);
    return 0;
}

int trainer_csv_export(struct app_ctx *ctx, struct buf *out,
                       int (*flush)(void *arg, struct buf *out), void *arg, size_t *count)
{
    if (ctx->actor && !role_can(ctx->actor->role, CAP_TRAINER_IMPORT))
        return ERR_DENIED;
    struct exporter x = {.out = out, .flush = flush, .arg = arg};
    buf_init(&x.cell, CSV_MAX_FIELD_LEN);
    csv_write_bom(out);
    for (int c = 0; c < COL_COUNT; c++)
        put(&x, columns[c].name, strlen(columns[c].name), c == 0);
    csv_write_eol(out);
    int rc = buf_failed(out) ? out->err : 0;
    if (rc == 0)
        rc = store_trainer_each(ctx->st, export_row, &x);
    if (rc == 0 && flush)
        rc = flush(arg, out);
    buf_free(&x.cell);
    if (rc)
        return rc;
    if (count)
        *count = x.count;
    /* Who took a copy of the personal data of every trainer, and when (ASVS V7). */
    return app_audit(ctx, "trainer.export", "trainer", 0, NULL,
                     json_pack("{sI}", "rows", (json_int_t)x.count));
}
