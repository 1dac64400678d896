/*
 * CSV import of the internship places and of the students of one period (bureau des stages,
 * seed 004 §3 d; formats in docs/csv.md): the ';'-separated UTF-8 files, with or without BOM,
 * that the bureau keeps in a spreadsheet. Each row goes through the same use case as a row
 * typed in a form (app_place_add / app_istudent_add: validation, référentiels, accounts,
 * audit), so an import holds no rule of its own beyond the file's syntax. Every bad row is
 * reported with its line, its column and the French message of the field; then either every
 * row is written or none (default), or only the good rows when the user asked for it, in one
 * transaction. Callers are `continuum import places|students` and the page
 * /stages/periodes/{id}/import.
 */
#ifndef APP_PLACEMENT_CSV_H
#define APP_PLACEMENT_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "app/csv_import.h"

#define PLACEMENT_CSV_SEP        ';'
#define PLACEMENT_CSV_MAX_ERRORS CSV_IMPORT_MAX_ERRORS /* errors kept; the others only counted */

enum placement_csv_kind {
    PLACEMENT_CSV_PLACES,   /* code;uai;niveau;tuteur;courriel_tuteur;compte_tuteur;capacite;… */
    PLACEMENT_CSV_STUDENTS, /* code;nom;prenom;courriel;compte;degre;discipline;site;priorite */
};

enum placement_csv_mode {
    PLACEMENT_CSV_ALL_OR_NOTHING, /* one bad row and nothing is imported */
    PLACEMENT_CSV_PARTIAL,        /* the good rows are imported, the bad ones reported */
};

struct placement_csv_report {
    size_t rows;           /* data rows read, bad ones included; blank rows (";;;") skipped */
    size_t imported;       /* rows written (0 unless committed) */
    size_t rejected;       /* bad rows (never written) */
    bool committed;        /* the transaction was committed */
    size_t nerrors;        /* entries in errors */
    size_t errors_dropped; /* errors past PLACEMENT_CSV_MAX_ERRORS, not kept */
    struct csv_import_error *errors; /* in line order; freed by placement_csv_report_free() */
};

/* "places" / "students" -> kind; -1 for anything else. The CLI's and the form's names. */
int placement_csv_kind_parse(const char *s);

/*
 * Imports the CSV file data[0..len) of the given kind into period_id. ctx->actor is NULL for
 * the command line, otherwise must hold CAP_PLACEMENT_MANAGE (ERR_DENIED, nothing read). rep is
 * filled from zero (a previous content is not freed) and must be freed by the caller with
 * placement_csv_report_free() whatever the result.
 *
 * The header names the columns, in any order, compared without case, accents, spaces or
 * hyphens; an unknown, repeated or missing required column rejects the whole file. Values are
 * trimmed; site accepts the codes and the names (« Rhône »), degre 1D/2D (or « 1er degré »,
 * « 2nd degré »), discipline a code or a name of the référentiel; capacite and priorite are
 * integers (priorite empty or absent: 0).
 *
 * Pass 1 runs every row through the use case inside a transaction that is always rolled back,
 * so the report holds every error a real write would meet, conflicts between rows included
 * (a code, or a student's account, used twice in the file is reported on its second line).
 * Pass 2, in one BEGIN IMMEDIATE … COMMIT, writes every row when none is bad, or in
 * PLACEMENT_CSV_PARTIAL mode the good ones; each row is audited by its use case ("place.add",
 * "istudent.add").
 *
 * Returns 0 when committed (rep->committed; in partial mode rep may list bad rows); ERR_INVAL
 * when nothing was written because of the file (header, bad rows in all-or-nothing mode, or no
 * good row in partial mode; rep->errors says why); ERR_NOTFOUND when the period does not exist;
 * ERR_DENIED; ERR_CONFLICT when the store changed between the passes so that a good row became
 * bad (nothing written); ERR_NOMEM or ERR_STORE (nothing written).
 */
int placement_csv_import(struct app_ctx *ctx, int64_t period_id, enum placement_csv_kind kind,
                         const char *data, size_t len, enum placement_csv_mode mode,
                         struct placement_csv_report *rep);

/* Frees rep->errors; rep can be used again. */
void placement_csv_report_free(struct placement_csv_report *rep);

#endif
