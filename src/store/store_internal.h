/*
 * What the files of the SQLite back-end share (store_sqlite.c and one file per domain, such as
 * store_placement.c): the connection, a statement cache for each file's own statements, and the
 * small helpers every query uses. Not part of the store's interface: only src/store includes it.
 */
#ifndef STORE_STORE_INTERNAL_H
#define STORE_STORE_INTERNAL_H

#include <jansson.h>
#include <sqlite3.h>

#include "store/store.h"

#define STORE_EXT_STMTS 192 /* statements of the domain files, by slot */

/* Slots of the domain files' statements: each file owns a range. */
enum { STORE_SLOT_PLACEMENT = 0, STORE_SLOT_REQUESTS = 64, STORE_SLOT_MISSIONS = 96 };

sqlite3 *store_db(struct store *st);

/* The statement of a slot, prepared from text on first use (the same text for a slot, always);
 * NULL on error (logged). The caller resets it with store_done(). */
sqlite3_stmt *store_stmt(struct store *st, int slot, const char *text);

void store_done(sqlite3_stmt *s);

/* Binds a text, or NULL when v is NULL. */
void store_bind_text(sqlite3_stmt *s, int i, const char *v);

/* Runs a statement that returns no row and resets it; constraint errors become ERR_EXISTS
 * (unique) or ERR_INVAL (foreign key, not null, check). */
int store_run(struct store *st, sqlite3_stmt *s, const char *what);

/* Logs the connection's last error and returns ERR_STORE. */
int store_fail(struct store *st, const char *what);

/* The column as text ("" for NULL). */
const char *store_col_text(sqlite3_stmt *s, int i);

/*
 * Steps s to the end, turning each row into an object with the given keys (columns as text,
 * except keys starting with '#' read as integers, '?' integers or null) appended to arr. Resets
 * s. Returns 0 or ERR_STORE.
 */
int store_rows(struct store *st, sqlite3_stmt *s, const char *const *keys, json_t *arr);

#endif
