/*
 * A minimal XLSX (Office Open XML spreadsheet) writer with no dependency: one worksheet of text
 * and integer cells, built row by row in memory, then written as a ZIP archive of STORED
 * (uncompressed) entries that Excel and LibreOffice open directly. The first row is the header:
 * bold and frozen. Output is deterministic byte for byte (fixed timestamps, fixed part order), so
 * an export can be compared with an earlier one.
 *
 * Unlike CSV exports, nothing is neutralised against formula injection: an XLSX cell is typed,
 * and text is written as an inline string, which a spreadsheet shows as it is and never evaluates
 * (a formula would need an <f> element, which this writer never produces).
 *
 * Every call returns 0 or a negative ERR_* code; once a call has failed, every later call on the
 * same workbook returns that first error, so a caller may check only xlsx_finish(). Not
 * thread-safe per workbook; separate workbooks may be built concurrently.
 *
 * Usage:
 *     struct xlsx *x = xlsx_new("Formateurs");
 *     if (!x) return ERR_NOMEM;
 *     xlsx_row_begin(x);
 *     xlsx_cell_text(x, "Nom", 3);
 *     xlsx_cell_text(x, "Heures", 6);
 *     for (each trainer) {
 *         xlsx_row_begin(x);
 *         xlsx_cell_text(x, t->name, strlen(t->name));
 *         xlsx_cell_int(x, t->hours);
 *     }
 *     int rc = xlsx_finish(x, &out);   (the first error of any call above, or its own)
 *     xlsx_free(x);
 */
#ifndef CORE_XLSX_H
#define CORE_XLSX_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define XLSX_MAX_ROWS       1048576u          /* Excel's limit on rows */
#define XLSX_MAX_COLS       16384u            /* Excel's limit on columns (A..XFD) */
#define XLSX_MAX_TEXT       32767u            /* Excel's limit on a cell, in UTF-16 code units */
#define XLSX_MAX_SHEET_NAME 31u               /* Excel's limit on a sheet name, in UTF-16 units */
#define XLSX_MAX_SHEET_XML  ((size_t)1 << 30) /* bytes of the worksheet XML kept in memory */

/* A workbook being built, with one sheet; opaque. */
struct xlsx;

/*
 * A new, empty workbook whose only sheet is named after sheet_name (UTF-8; NULL or "" give
 * "Feuil1", Excel's French default). The name is made acceptable to Excel: each of [ ] : * ? / \
 * becomes '_', control characters are dropped, a leading or trailing ' becomes '_', "History"
 * (reserved by Excel) gets a '_' appended, and the name is cut to XLSX_MAX_SHEET_NAME units at a
 * character boundary. Returns NULL only when out of memory; the caller frees with xlsx_free().
 */
struct xlsx *xlsx_new(const char *sheet_name);

/*
 * Starts a new row (the first call starts row 1, the header). Returns 0, ERR_TOOBIG past
 * XLSX_MAX_ROWS, or ERR_NOMEM / ERR_TOOBIG when the sheet outgrows XLSX_MAX_SHEET_XML.
 */
int xlsx_row_begin(struct xlsx *x);

/*
 * Appends a text cell holding s[0..len) (UTF-8) to the current row, in the next column. What
 * XML 1.0 cannot carry is dropped (control characters other than TAB, LF and CR; U+FFFE, U+FFFF);
 * an invalid UTF-8 sequence becomes U+FFFD. Text longer than XLSX_MAX_TEXT UTF-16 units is cut
 * there at a character boundary, since Excel would report the file as damaged. A cell left empty
 * (len 0, or nothing left after dropping) is not written but still takes its column. Returns 0,
 * ERR_INVAL before the first xlsx_row_begin(), ERR_TOOBIG past XLSX_MAX_COLS or past
 * XLSX_MAX_SHEET_XML, or ERR_NOMEM.
 */
int xlsx_cell_text(struct xlsx *x, const char *s, size_t len);

/*
 * Appends a number cell holding v to the current row, in the next column. Spreadsheets store
 * numbers as IEEE doubles: beyond ±2^53 the value shown is rounded (Excel displays 15 significant
 * digits), so write identifiers that may be that long as text. Errors as xlsx_cell_text().
 */
int xlsx_cell_int(struct xlsx *x, int64_t v);

/*
 * Appends the complete .xlsx file to out, whose own maximum must leave room for it: entries are
 * stored uncompressed, so the file is about as large as its XML (a row of 8 cells of names, towns
 * and numbers takes some 570 bytes; BUF_DEFAULT_MAX holds about 110,000 such rows). x is not
 * changed, so finishing twice gives the same bytes. Returns 0; the first error that an earlier
 * call on x returned (nothing is appended then); or ERR_NOMEM / ERR_TOOBIG from out, or
 * ERR_TOOBIG when the archive would need ZIP64 (an entry or offset of 4 GiB - 1 or more) — in
 * which cases out is cut back to its former length (buf_failed(out) stays true when out itself
 * failed).
 */
int xlsx_finish(const struct xlsx *x, struct buf *out);

/* Frees x and everything it holds; NULL is a no-op. */
void xlsx_free(struct xlsx *x);

#endif
