/*
 * CSV as French spreadsheet users produce and open it: ';' separator, RFC 4180 quoting, UTF-8
 * (with or without BOM), LF, CRLF or CR line endings. The reader works over a memory block and
 * rejects malformed records one by one with a French message and a line number, so an import can
 * report every bad row in one go. The writer quotes when needed and neutralises spreadsheet
 * formula injection.
 */
#ifndef CORE_CSV_H
#define CORE_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

#define CSV_MAX_FIELDS    256
#define CSV_MAX_FIELD_LEN ((size_t)64 * 1024) /* bytes of one field, after unquoting */

struct csv_field {
    const char *ptr; /* unquoted, unescaped, NUL-terminated; owned by the reader */
    size_t len;
};

struct csv_record {
    size_t line;                    /* 1-based physical line where the record starts */
    size_t nfields;                 /* 1..CSV_MAX_FIELDS */
    const struct csv_field *fields; /* nfields entries, owned by the reader */
};

/* Treat as opaque, except line and error after csv_next(). */
struct csv_reader {
    size_t line;       /* start line of the record last returned or rejected */
    const char *error; /* French message for the last rejection, NULL after a success */
    /* private */
    const char *data;
    size_t len;
    size_t pos;      /* next byte to read */
    size_t cur_line; /* physical line of data[pos] */
    size_t budget;   /* bytes that error recovery may still read again, see csv_next() */
    char sep;
    struct buf store; /* bytes of the current record's fields, each followed by a NUL */
    size_t off[CSV_MAX_FIELDS];
    struct csv_field fields[CSV_MAX_FIELDS];
};

/*
 * Prepares r to read data[0..len), which must stay valid and unchanged until csv_reader_free().
 * sep is the field separator (';' for Continuum's files), never '"', CR or LF (asserted). A
 * leading UTF-8 BOM is skipped. The struct is about 6 KiB, fine on a stack; it allocates nothing
 * yet, but must still be freed with csv_reader_free().
 */
void csv_reader_init(struct csv_reader *r, const char *data, size_t len, char sep);

/*
 * Reads the next record into rec. Returns 1 when a record was read, 0 at the end of the input,
 * or a negative ERR_* code when the record is malformed; then r->error is a French message (for
 * "ligne %zu : %s") and r->line the physical line where the record starts:
 *   ERR_INVAL  "guillemet non fermé"              a quoted field runs to the end of the input
 *   ERR_INVAL  "caractère inattendu après un guillemet fermant"   e.g. "abc"x;…
 *   ERR_INVAL  "guillemet non fermé ou caractère inattendu après un guillemet fermant"   the same,
 *              after a quoted field that crossed a line break (a stray '"' on the first line?)
 *   ERR_TOOBIG "trop de champs (256 au maximum)"
 *   ERR_TOOBIG "champ trop long (64 Kio au maximum)"
 *   ERR_INVAL  "caractère nul dans le fichier"
 *   ERR_INVAL  "encodage invalide : enregistrez le fichier au format « CSV UTF-8 »"
 *   ERR_NOMEM  "mémoire insuffisante"
 * The fields point into the reader and stay valid until the next csv_next() or csv_reader_free().
 *
 * Quoting: a field is quoted only when its first byte is '"'; inside it "" is a quote and
 * separators and line breaks are data (line breaks are kept as they are, CRLF stays CRLF). A '"'
 * inside an unquoted field is taken literally (12" pouces), as spreadsheets do. Spaces are data
 * and never trimmed. Empty lines are skipped but counted; a line of separators only (";;;", as
 * spreadsheets export formatted empty rows) is a record of empty fields.
 *
 * Recovery: after an error, the next call carries on so that every bad row can be reported:
 *  - too many fields, field too long, NUL, bad encoding: the record was read to its end (its
 *    quoting is sound), and reading resumes after it;
 *  - quoting errors: reading resumes at the line after the one where the record starts, so that a
 *    stray '"' costs its own row, not the rest of the file. The lines that were read as part of
 *    the bad record are then read again as records of their own (an importer's check of the
 *    number of columns usually rejects them). Because this could make hostile input quadratic,
 *    rereading is limited to 4 times the input size in total; past that, the reader resumes after
 *    the line where the error was found (or at the end of the input for an unclosed quote).
 */
int csv_next(struct csv_reader *r, struct csv_record *rec);

/* Frees the reader's memory; r may be initialised again. */
void csv_reader_free(struct csv_reader *r);

/*
 * Appends one field to out: sep first unless first is true, then s[0..len). When the content
 * starts with '=', '+', '-', '@', TAB or CR, possibly after spaces, a ' is put in front so a
 * spreadsheet shows it as text instead of running it as a formula (OWASP "CSV injection") —
 * except for plain numbers ("-12,5", "+33 6 12 34 56 78", "-": a sign, then only digits, spaces,
 * '.' and ','), which no spreadsheet can execute and which users expect to see unchanged. The field
 * is then quoted ("…", '"' doubled) when it contains sep, '"', CR or LF, or starts or ends with a
 * space. Note that a record made of a single empty field is written as an empty line, which readers
 * skip. Returns 0 or the buffer's error.
 */
int csv_write_field(struct buf *out, const char *s, size_t len, char sep, bool first);

/* Appends the record terminator CRLF (RFC 4180). Returns 0 or the buffer's error. */
int csv_write_eol(struct buf *out);

/* Appends the UTF-8 BOM, which Excel needs to read a CSV file as UTF-8 rather than Windows-1252:
 * call it first when a file is meant for spreadsheets (and always when its first field may start
 * with U+FEFF, which a reader would otherwise take for a BOM). Returns 0 or the buffer's error. */
int csv_write_bom(struct buf *out);

/*
 * For re-import of a file written by csv_write_field(): returns how many leading bytes of
 * s[0..len) to skip to undo the neutralisation, that is 1 when s is a ' followed by (spaces and)
 * '=', '+', '-', '@', TAB or CR, else 0. Usage: size_t k = csv_unneutralise(f.ptr, f.len);
 * then use (f.ptr + k, f.len - k). A value that genuinely began with such a ' loses it.
 */
size_t csv_unneutralise(const char *s, size_t len);

#endif
