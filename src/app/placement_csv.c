/*
 * CSV import of internship places and students (placement_csv.h, docs/csv.md). The file is read
 * twice (app/csv_import). Pass 1 checks every row: the file's own rules here (columns, closed
 * lists, integers, codes repeated in the file), then the row goes through its use case
 * (app_place_add or app_istudent_add) inside a transaction that is always rolled back, so that the
 * report holds exactly what a real write would meet: validation, unknown UAI or account, codes
 * taken in the period, and conflicts between rows of the file. Only a flag byte per record and the
 * codes already seen are kept. Pass 2 reads the file again inside one transaction and sends the
 * good rows through the same use case; any row that fails then means the store changed in
 * between, and the import stops with ERR_CONFLICT, nothing written.
 *
 * The columns of both kinds are described by one table each (name, field of the use case,
 * where the value goes in the struct), so that both kinds share the parsing, the reporting and
 * the mapping of the use case's field errors back to the file's columns.
 */
#include "app/placement_csv.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/placement.h"
#include "core/csv.h"
#include "core/err.h"

#define MAX_COLS   10 /* columns of the larger kind */
#define INT_DIGITS 9  /* capacite, priorite: far above their ranges, far below INT_MAX */

enum vtype {
    V_TEXT,       /* copied into a char array (trimmed; UAI upper-cased) */
    V_INT,        /* decimal digits into an int; empty is 0 for an optional column */
    V_DEGREE,     /* 1D, 2D or their names */
    V_SITE,       /* ain, loire, rhone or their names */
    V_DISCIPLINE, /* a code or a name of the référentiel */
};

struct column {
    struct csv_import_column def; /* name, label, the use case's field, required */
    enum vtype type;
    size_t off, size; /* where the value goes in the struct; size of its array */
    size_t max_chars; /* V_TEXT: the domain's limit, for the "too long" message */
};

#define PLACE(f) offsetof(struct internship_place, f), sizeof(((struct internship_place *)0)->f)
#define STUDENT(f)                                                                                 \
    offsetof(struct internship_student, f), sizeof(((struct internship_student *)0)->f)

static const struct column place_columns[] = {
    {{"code", "Code", "code", true}, V_TEXT, PLACE(code), 40},
    {{"uai", "UAI", "establishment", true}, V_TEXT, PLACE(establishment_uai), 8},
    {{"niveau", "Niveau de classe", "class_level", true}, V_TEXT, PLACE(class_level), 40},
    {{"tuteur", "Tuteur", "tutor_name", true}, V_TEXT, PLACE(tutor_name), 120},
    {{"courriel_tuteur", "Courriel du tuteur", "tutor_email", false},
     V_TEXT,
     PLACE(tutor_email),
     120},
    {{"compte_tuteur", "Compte du tuteur", "tutor_login", false}, V_TEXT, PLACE(tutor_login), 64},
    {{"capacite", "Capacité", "capacity", true}, V_INT, PLACE(capacity), 0},
    {{"degre", "Degré", "degree", true}, V_DEGREE, PLACE(degree), 0},
    {{"discipline", "Discipline", "discipline", true}, V_DISCIPLINE, PLACE(discipline), 0},
    {{"site", "Site", "site", true}, V_SITE, PLACE(site), 0},
};

static const struct column student_columns[] = {
    {{"code", "Code", "code", true}, V_TEXT, STUDENT(code), 40},
    {{"nom", "Nom", "last_name", true}, V_TEXT, STUDENT(last_name), 120},
    {{"prenom", "Prénom", "first_name", true}, V_TEXT, STUDENT(first_name), 120},
    {{"courriel", "Courriel", "email", false}, V_TEXT, STUDENT(email), 120},
    {{"compte", "Compte", "login", false}, V_TEXT, STUDENT(login), 64},
    {{"degre", "Degré", "degree", true}, V_DEGREE, STUDENT(degree), 0},
    {{"discipline", "Discipline", "discipline", true}, V_DISCIPLINE, STUDENT(discipline), 0},
    {{"site", "Site", "site", true}, V_SITE, STUDENT(site), 0},
    {{"priorite", "Priorité", "priority", false}, V_INT, STUDENT(priority), 0},
};

_Static_assert(sizeof place_columns / sizeof place_columns[0] <= MAX_COLS, "MAX_COLS");
_Static_assert(sizeof student_columns / sizeof student_columns[0] <= MAX_COLS, "MAX_COLS");
_Static_assert(MAX_COLS <= CSV_IMPORT_MAX_COLS, "CSV_IMPORT_MAX_COLS");

static const char *const degree_codes[] = {"1D", "2D", NULL};

/* One data row as the use case will receive it. */
struct row {
    size_t line;
    union {
        struct internship_place place;
        struct internship_student student;
    } obj;
    bool duplicate; /* its code or account appeared on an earlier line */
};

struct importer {
    struct csv_import ci; /* the file, the report, the row's errors (ci.nerr, ci.bad_cols) */
    struct app_ctx *ctx;
    struct placement_csv_report *rep;
    enum placement_csv_kind kind;
    int64_t period_id;
    const struct column *cols;
    int ncols_def;
    char names[256]; /* "code, uai, niveau, …" for the header's messages */
    struct csv_import_refs discs;
    struct csv_import_seen codes, logins; /* pass 1 */
    struct row row;
};

/* ---- the columns ---- */

/* "code, uai, niveau, …" into imp->names, for messages. */
static void column_list(struct importer *imp)
{
    size_t used = 0, size = sizeof imp->names;
    imp->names[0] = '\0';
    for (int c = 0; c < imp->ncols_def; c++) {
        int w =
            snprintf(imp->names + used, size - used, "%s%s", c ? ", " : "", imp->cols[c].def.name);
        if (w < 0 || (size_t)w >= size - used)
            return; /* cannot happen: the list is far below size */
        used += (size_t)w;
    }
}

/* ---- one row ---- */

/* Parses the value v of column c into the row's struct, or reports why it cannot. An empty
 * optional value leaves the zeroed struct as it is (empty text, 0). */
static void set_value(struct importer *imp, int c, struct csv_field v)
{
    const struct column *col = &imp->cols[c];
    struct csv_import *ci = &imp->ci;
    size_t line = imp->row.line;
    char *dst = (char *)&imp->row.obj + col->off;
    if (v.len == 0) {
        if (col->def.required)
            csv_import_required(ci, line, c, v);
        return;
    }
    switch (col->type) {
    case V_TEXT:
        csv_import_set_text(ci, line, c, dst, col->size, col->max_chars, v);
        if (strcmp(col->def.field, "establishment") == 0)
            for (char *p = dst; *p; p++)
                if (*p >= 'a' && *p <= 'z')
                    *p = (char)(*p - 'a' + 'A'); /* UAIs are written in capitals */
        return;
    case V_INT: {
        int64_t n = 0;
        if (!csv_import_parse_uint(v.ptr, v.len, INT_DIGITS, &n)) {
            csv_import_report(ci, line, c, "%s : nombre entier attendu, pas « %s ».",
                              col->def.label, csv_import_quote(ci, v.ptr, v.len));
            return;
        }
        int i = (int)n;
        memcpy(dst, &i, sizeof i);
        return;
    }
    case V_DEGREE:
        csv_import_set_closed(ci, line, c, degree_codes, trainer_degree_label, "1D ou 2D", dst,
                              col->size, v);
        return;
    case V_SITE:
        csv_import_set_closed(ci, line, c, trainer_site_codes, trainer_site_label,
                              "Ain, Loire ou Rhône", dst, col->size, v);
        return;
    case V_DISCIPLINE:
        csv_import_set_ref(ci, line, c, &imp->discs, "des disciplines", dst, col->size, v);
        return;
    }
}

/* Builds imp->row from rec (errors reported, imp->ci.nerr). */
static void build_row(struct importer *imp, const struct csv_record *rec)
{
    struct row *w = &imp->row;
    memset(w, 0, sizeof *w);
    w->line = rec->line;
    if (!csv_import_check_width(&imp->ci, rec))
        return;
    if (imp->kind == PLACEMENT_CSV_PLACES)
        w->obj.place.period_id = imp->period_id;
    else
        w->obj.student.period_id = imp->period_id;
    for (int c = 0; c < imp->ncols_def; c++) {
        struct csv_field f;
        if (csv_import_value(&imp->ci, rec, c, false, &f))
            set_value(imp, c, f);
        /* else an optional column the file does not have */
    }
}

/* Pass 1: a code (or account) already used on an earlier line of the file is an error. */
static int check_duplicate(struct importer *imp, struct csv_import_seen *set, const char *value,
                           const char *field, const char *what)
{
    struct csv_import *ci = &imp->ci;
    struct row *w = &imp->row;
    int c = csv_import_column_of_field(ci, field);
    if (!*value || (c >= 0 && (ci->bad_cols & (1u << c))))
        return 0;
    size_t first = 0;
    int rc = csv_import_seen_add(set, value, w->line, &first);
    if (rc == 0 && first) {
        csv_import_report(ci, w->line, c, "%s : « %s » figure déjà ligne %zu du fichier.", what,
                          csv_import_quote(ci, value, strlen(value)), first);
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
    /* "code or account already in the period" says nothing new after a duplicate line */
    if (!(rc == ERR_EXISTS && w->duplicate))
        csv_import_field_errors(&imp->ci, w->line, &errs);
    if (rc != 0 && imp->ci.nerr == 0)
        csv_import_report(&imp->ci, w->line, CSV_IMPORT_ROW_ERROR, "Ligne refusée.");
    return rc == 0 && imp->ci.nerr == 0 ? 0 : 1;
}

/* ---- the two passes ---- */

/* Pass 1 (csv_import_ops.check_row), inside a transaction that is rolled back: the file's rules,
 * then the use case. */
static int check_row(void *arg, const struct csv_record *rec, unsigned char *flags)
{
    struct importer *imp = arg;
    (void)flags;
    build_row(imp, rec);
    if (rec->nfields != imp->ci.nfields)
        return 0;
    const struct row *w = &imp->row;
    int rc = imp->kind == PLACEMENT_CSV_PLACES
                 ? check_duplicate(imp, &imp->codes, w->obj.place.code, "code", "Code")
                 : check_duplicate(imp, &imp->codes, w->obj.student.code, "code", "Code");
    if (rc == 0 && imp->kind == PLACEMENT_CSV_STUDENTS)
        rc = check_duplicate(imp, &imp->logins, w->obj.student.login, "login", "Compte");
    if (rc == 0)
        rc = apply_row(imp);
    return rc < 0 ? rc : 0;
}

/* Pass 2 (csv_import_ops.write_row), inside the writing transaction: sends the row through its
 * use case. */
static int write_row(void *arg, const struct csv_record *rec, unsigned char flags)
{
    struct importer *imp = arg;
    (void)flags;
    build_row(imp, rec);
    if (imp->ci.nerr)
        return ERR_CONFLICT; /* the référentiel changed since pass 1 */
    int rc = apply_row(imp);
    if (rc < 0)
        return rc;
    if (rc > 0)
        return ERR_CONFLICT; /* the store changed since pass 1 */
    imp->rep->imported++;
    return 0;
}

static const struct csv_import_ops import_ops = {
    .sep = PLACEMENT_CSV_SEP,
    .check_in_transaction = true,
    .check_row = check_row,
    .write_row = write_row,
};

static int run_import(struct importer *imp, const char *data, size_t len,
                      enum placement_csv_mode mode)
{
    struct placement_csv_report *rep = imp->rep;
    json_t *period = NULL;
    int rc = store_period_get(imp->ctx->st, imp->period_id, &period);
    json_decref(period);
    json_t *discs = NULL;
    if (rc == 0)
        rc = store_disciplines(imp->ctx->st, &discs);
    if (rc == 0)
        rc = csv_import_refs_load(&imp->discs, discs, "name");
    if (rc == 0 && !csv_import_check_encoding(&imp->ci, data, len))
        rc = ERR_INVAL;
    if (rc == 0)
        rc = csv_import_run(&imp->ci, data, len, mode != PLACEMENT_CSV_ALL_OR_NOTHING, &import_ops,
                            imp);
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
    csv_import_init(&imp->ci, ctx->st,
                    (struct csv_import_sink){&rep->rows, &rep->rejected, &rep->errors,
                                             &rep->nerrors, &rep->errors_dropped});
    for (int c = 0; c < imp->ncols_def; c++)
        imp->ci.cols[c] = &imp->cols[c].def;
    imp->ci.ncols = imp->ncols_def;
    column_list(imp);
    imp->ci.hint_columns = imp->names;
    imp->ci.known_columns = imp->names;
    int rc = run_import(imp, data ? data : "", data ? len : 0, mode);
    csv_import_free(&imp->ci);
    csv_import_refs_free(&imp->discs);
    csv_import_seen_free(&imp->codes);
    csv_import_seen_free(&imp->logins);
    free(imp);
    return rc;
}

void placement_csv_report_free(struct placement_csv_report *rep)
{
    free(rep->errors);
    memset(rep, 0, sizeof *rep);
}
