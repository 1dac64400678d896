/*
 * What the CSV imports (trainer_csv, placement_csv; docs/csv.md) share: the report of a file's
 * problems, and the machinery that reads a ';'-separated UTF-8 file twice. An importer embeds a
 * struct csv_import, describes its columns, and gives two functions: one that checks a data row
 * (pass 1, which fills the report) and one that writes a good row (pass 2, inside the one
 * transaction that commits). This module reads the header (columns in any order, compared without
 * case, accents, spaces or hyphens), skips blank rows, reports unreadable ones, remembers one flag
 * byte per record between the passes, decides between all-or-nothing and partial imports, and
 * gives the helpers every row parser needs: trimming, message quoting, text lengths, closed lists
 * and référentiels matched by folded code or name, and the mapping of a use case's field errors
 * back to the file's columns. Every message is French and one line; the importer owns its own.
 */
#ifndef APP_CSV_IMPORT_H
#define APP_CSV_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "core/buf.h"
#include "core/csv.h"

#define CSV_IMPORT_MAX_ERRORS 1000 /* errors kept in a report; the others are only counted */
#define CSV_IMPORT_MAX_COLS   16   /* columns an importer may define (bits of bad_cols) */
#define CSV_IMPORT_ROW_ERROR  (-1) /* "column" of an error about the whole row or file */
#define CSV_IMPORT_QUOTE_MAX  40   /* code points of a value quoted in a message */

/* One problem of an imported file. */
struct csv_import_error {
    size_t line;       /* physical line (1-based) where the record starts; the header's for
                          problems of the whole file */
    char column[32];   /* canonical column name ("degre"), or "" for the whole row or file */
    char message[256]; /* French, one line (control characters of quoted values replaced) */
};

/* A column of an importer's file. */
struct csv_import_column {
    const char *name;  /* canonical header name, as folded ("quota_heures") */
    const char *label; /* French, for messages ("Quota d’heures") */
    const char *field; /* the name of the same data in the use case's struct field_errors */
    bool required;     /* must be in the header (and, for most, not empty) */
};

/* Another header spelling of a column, as folded ("e_mail" for "courriel"). */
struct csv_import_alias {
    const char *name;
    int col;
};

/* A référentiel entry, matched by folded code or folded name. */
struct csv_import_ref {
    const char *code; /* borrowed from the store's JSON, which the refs keep alive */
    char *fcode;
    char *fname; /* NULL when only codes match (competences) */
    int64_t id;
};

struct csv_import_refs {
    json_t *json;
    struct csv_import_ref *items;
    size_t n;
};

/* Keys seen in the file (codes, accounts, ids), each with the line where it was first seen, to
 * report a key used twice: open addressing on FNV-1a. Zeroed is empty. */
struct csv_import_seen {
    char **keys; /* NULL marks a free slot */
    size_t *lines;
    size_t cap, n;
};

/* The fields of the caller's report that this module fills. */
struct csv_import_sink {
    size_t *rows;     /* data rows read, bad ones included; blank rows (";;;") are skipped */
    size_t *rejected; /* bad rows (never written) */
    struct csv_import_error **errors; /* in line order; the report owns the array (free()) */
    size_t *nerrors;
    size_t *errors_dropped; /* errors past CSV_IMPORT_MAX_ERRORS, not kept */
};

/* The flag byte kept for each record between the passes. */
enum {
    CSV_IMPORT_ROW_BAD = 1,   /* an error was reported: never written */
    CSV_IMPORT_ROW_BLANK = 2, /* a line of empty fields: skipped */
    CSV_IMPORT_ROW_OWN = 4,   /* the first bit an importer may use for itself */
};

/* How csv_import_run() reads the file and hands its rows to the importer (arg). */
struct csv_import_ops {
    char sep;
    bool check_in_transaction; /* pass 1 inside a transaction that is always rolled back */
    /* Pass 1, for each data row that is neither blank nor unreadable: checks rec, reporting its
     * problems; may set CSV_IMPORT_ROW_OWN bits in *flags (ignored when the row is bad). Returns 0,
     * or an error that stops the import. */
    int (*check_row)(void *arg, const struct csv_record *rec, unsigned char *flags);
    /* Pass 2, inside the transaction, for each row pass 1 found good, with its flags: writes rec.
     * Returns 0, or an error that stops the import and rolls back (ERR_CONFLICT when the row
     * turned out bad: the store changed between the passes). */
    int (*write_row)(void *arg, const struct csv_record *rec, unsigned char flags);
};

/* The shared state of one import. Fields above "state" are the importer's to set, after
 * csv_import_init(), before csv_import_run(). */
struct csv_import {
    struct store *st;
    struct csv_import_sink out;
    const struct csv_import_column *cols[CSV_IMPORT_MAX_COLS]; /* borrowed */
    int ncols;
    const struct csv_import_alias *aliases; /* borrowed; NULL when naliases is 0 */
    size_t naliases;
    const char *hint_columns;   /* named in "Le fichier est vide … (%s)." */
    const char *known_columns;  /* listed in "Colonne inconnue … possibles sont %s." */
    bool quote_raw_header_cell; /* quote an unknown header cell untrimmed (trainer_csv) */

    /* state */
    int pass;                              /* 1: check and report; 2: write, nothing reported */
    size_t nfields;                        /* fields of the header record */
    int field_of_col[CSV_IMPORT_MAX_COLS]; /* field index, or -1 when the column is absent */
    size_t nerr;                           /* errors of the current row (or of the header) */
    unsigned bad_cols;                     /* bit per column of the current row with an error */
    unsigned char *flags;                  /* one per record after the header, in file order */
    size_t nflags, capflags;
    struct buf fold; /* scratch for folded values */
    char quoted[CSV_IMPORT_QUOTE_MAX * 4 + 8];
};

/* Starts an import that writes through st and reports into out (zeroed by the caller). Pass 1. */
void csv_import_init(struct csv_import *ci, struct store *st, struct csv_import_sink out);

/* Frees what the import holds (not the report's errors). */
void csv_import_free(struct csv_import *ci);

/*
 * One error for a file that is not UTF-8 text (or holds a NUL byte), on the line of its first
 * bad byte; true when the file is UTF-8 text. Call it before csv_import_run(), after whatever the
 * importer must check first.
 */
bool csv_import_check_encoding(struct csv_import *ci, const char *data, size_t len);

/*
 * Runs the two passes over data[0..len). Pass 1 reads and checks the header (an unknown,
 * repeated or missing required column rejects the whole file), then gives every data row to
 * ops->check_row; an unreadable row is reported and a blank one skipped. When some row is bad and
 * partial is false, or when every row is bad, returns ERR_INVAL without pass 2. Pass 2, in one
 * BEGIN IMMEDIATE … COMMIT, gives every good row to ops->write_row and commits; any error rolls
 * back. Returns 0 when committed, ERR_INVAL for a bad header or bad rows, ERR_NOMEM, the store's
 * error, or the callbacks'.
 */
int csv_import_run(struct csv_import *ci, const char *data, size_t len, bool partial,
                   const struct csv_import_ops *ops, void *arg);

/*
 * Counts an error of the current row, marks its column (col, or CSV_IMPORT_ROW_ERROR for none)
 * and, in pass 1, adds it to the report: at most CSV_IMPORT_MAX_ERRORS are kept, the others (and
 * any that memory cannot hold) only counted in errors_dropped. The message is cut to its array
 * and made one line of valid UTF-8.
 */
void csv_import_report(struct csv_import *ci, size_t line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The value v[0..n) for a message: at most CSV_IMPORT_QUOTE_MAX code points, "…" when cut, one
 * line. The result lives in ci->quoted until the next call. */
const char *csv_import_quote(struct csv_import *ci, const char *v, size_t n);

/* f without its leading and trailing spaces and tabs. */
struct csv_field csv_import_trim(struct csv_field f);

/* Parses 1 to max_digits ASCII digits into *out; false on anything else. */
bool csv_import_parse_uint(const char *s, size_t n, size_t max_digits, int64_t *out);

/* Whether rec has as many fields as the header; if not, reports it on the row. */
bool csv_import_check_width(struct csv_import *ci, const struct csv_record *rec);

/* The value of column c in rec: unneutralised (csv_unneutralise) and, unless raw, trimmed. False
 * when the file has no such column. */
bool csv_import_value(const struct csv_import *ci, const struct csv_record *rec, int c, bool raw,
                      struct csv_field *out);

/* A column whose empty value is an error; true when v is not empty, else reports it. */
bool csv_import_required(struct csv_import *ci, size_t line, int c, struct csv_field v);

/* Copies v into dst (size bytes, NUL-terminated; "" on error) or reports why it does not fit:
 * more than max_chars code points, or more bytes than dst holds. */
void csv_import_set_text(struct csv_import *ci, size_t line, int c, char *dst, size_t size,
                         size_t max_chars, struct csv_field v);

/* Copies into dst (size bytes) the code of the closed list codes (NULL-terminated) whose code or
 * label(code) folds like v ("Rhône", "RHONE", "1er degré", "1d"), or reports "<label> : <expected>
 * attendu, pas « v »." An empty v is reported as a required value. */
void csv_import_set_closed(struct csv_import *ci, size_t line, int c, const char *const *codes,
                           const char *(*label)(const char *), const char *expected, char *dst,
                           size_t size, struct csv_field v);

/* Copies into dst (size bytes) the code of the entry of r whose code, else whose name, folds like
 * v, or reports "« v » n’est ni un code ni un nom du référentiel <what>." An empty v is reported
 * as a required value. */
void csv_import_set_ref(struct csv_import *ci, size_t line, int c, const struct csv_import_refs *r,
                        const char *what, char *dst, size_t size, struct csv_field v);

/* Loads r from arr (stolen, even on error), an array of {code, name_key?, id?} objects; name_key
 * NULL matches codes only. Returns 0 or ERR_NOMEM; r is freed by csv_import_refs_free(). */
int csv_import_refs_load(struct csv_import_refs *r, json_t *arr, const char *name_key);

void csv_import_refs_free(struct csv_import_refs *r);

/* The entry of r whose code, else whose name, folds like v[0..n); NULL if none. */
const struct csv_import_ref *csv_import_refs_find(struct csv_import *ci,
                                                  const struct csv_import_refs *r, const char *v,
                                                  size_t n);

/* Records key (not empty) seen on line. *first gets 0, or the line where key was first seen.
 * Returns 0 or ERR_NOMEM. */
int csv_import_seen_add(struct csv_import_seen *s, const char *key, size_t line, size_t *first);

void csv_import_seen_free(struct csv_import_seen *s);

/* The column of a use case's field name; CSV_IMPORT_ROW_ERROR for one the file has no column
 * for. */
int csv_import_column_of_field(const struct csv_import *ci, const char *field);

/* Reports the use case's field errors on their columns, except on columns of the current row
 * that already have an error (the parsing said it better). */
void csv_import_field_errors(struct csv_import *ci, size_t line, const struct field_errors *errs);

#endif
