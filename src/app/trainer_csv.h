/*
 * CSV import and export of trainers and their competences (docs/csv.md): the files French
 * spreadsheet users produce and open, ';'-separated UTF-8 with or without BOM. An import checks
 * every row before it writes anything, reports each problem with its line, column and a French
 * message, and then writes either all rows or nothing (default), or only the good rows when the
 * user asked for it, in one transaction, each created or changed trainer audited. Callers are
 * the `continuum import/export` commands and the /formateurs/import pages; neither holds a rule
 * of its own.
 */
#ifndef APP_TRAINER_CSV_H
#define APP_TRAINER_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "app/app.h"
#include "app/csv_import.h"
#include "core/buf.h"

#define TRAINER_CSV_SEP             ';'
#define TRAINER_CSV_MAX_ERRORS      CSV_IMPORT_MAX_ERRORS /* errors kept; the others only counted */
#define TRAINER_CSV_MAX_COMPETENCES 64 /* items of one row's "competences" cell */

enum trainer_csv_mode {
    TRAINER_CSV_ALL_OR_NOTHING, /* one bad row and nothing is imported */
    TRAINER_CSV_PARTIAL,        /* the good rows are imported, the bad ones reported */
};

struct trainer_csv_report {
    size_t rows;      /* data rows read, bad ones included; blank rows (";;;") are skipped */
    size_t created;   /* trainers created */
    size_t updated;   /* existing trainers (column id) changed */
    size_t unchanged; /* existing trainers whose row changed nothing (not written, not audited) */
    size_t rejected;  /* bad rows (never imported) */
    bool imported;    /* the transaction was committed */
    size_t nerrors;   /* entries in errors */
    size_t errors_dropped;           /* errors past TRAINER_CSV_MAX_ERRORS, not kept */
    struct csv_import_error *errors; /* in line order; freed by trainer_csv_report_free() */
};

/*
 * Imports the CSV file data[0..len) (docs/csv.md gives the columns and rules). ctx->actor is
 * NULL for the command line, otherwise must hold CAP_TRAINER_IMPORT. rep is filled from zero
 * (any previous content is not freed: call trainer_csv_report_free() first when reusing it) and
 * must be freed by the caller whatever the result.
 *
 * Every row is checked first: CSV syntax, number of fields, each field (closed lists, the
 * référentiels of the store, lengths, trainer_validate()), competence codes and levels, ids that
 * appear twice in the file. An id that exists updates that trainer (absent optional columns keep
 * its values); no id, or one that does not exist, creates a trainer with a new id. Competences
 * are declared at the given level; one already held at that level keeps its state, so an import
 * never validates, and a round trip export → import changes nothing. Competences are never
 * removed by an import.
 *
 * Then, in one transaction (BEGIN IMMEDIATE … COMMIT): all rows when none is bad, or in
 * TRAINER_CSV_PARTIAL mode the good ones; each created or changed trainer has an audit entry
 * "trainer.import" with before and after.
 *
 * Returns 0 when the transaction committed (rep->imported; in partial mode rep may list bad
 * rows); ERR_INVAL when the file was rejected and nothing was written: bad header, or bad rows
 * in all-or-nothing mode, or no good row at all in partial mode (rep->errors says why);
 * ERR_DENIED; ERR_CONFLICT if the store changed between the check and the write in a way that
 * makes a good row bad (nothing written); or ERR_NOMEM / ERR_STORE (rolled back, nothing
 * written).
 */
int trainer_csv_import(struct app_ctx *ctx, const char *data, size_t len,
                       enum trainer_csv_mode mode, struct trainer_csv_report *rep);

/* Frees rep->errors; rep can be used again. */
void trainer_csv_report_free(struct trainer_csv_report *rep);

/*
 * Appends every trainer as CSV to out: UTF-8 BOM, the header row (the canonical column names of
 * docs/csv.md, in their documented order), one row per trainer in id order, ';', CRLF,
 * formula-neutralised fields; competences written "code:niveau:etat" separated by '|'. When
 * flush is not NULL it is called with out whenever out holds more than 64 KiB and once at the
 * end, and must consume (and buf_reset) it; a non-zero return stops the export with that code.
 * ctx->actor: NULL (command line) or CAP_TRAINER_IMPORT. Records a "trainer.export" audit entry
 * with the number of rows. *count (optional) receives that number. Returns 0, ERR_DENIED, the
 * buffer's ERR_NOMEM / ERR_TOOBIG, flush's error or the store's.
 */
int trainer_csv_export(struct app_ctx *ctx, struct buf *out,
                       int (*flush)(void *arg, struct buf *out), void *arg, size_t *count);

#endif
