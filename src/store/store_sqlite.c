/*
 * SQLite back-end of store.h. Each struct store is one connection with its own cache of
 * prepared statements (an array indexed by enum stmt, prepared on first use and reset after each
 * use, after Fossil's db_static_prepare). Connections run in WAL mode so readers never wait for
 * the writer; writers take BEGIN IMMEDIATE and a busy timeout. The pool hands one connection per
 * HTTP request.
 */
#include "store/store.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/text.h"
#include "engine/proposal.h"
#include "engine/search_index.h"
#include "store/migrations.h"
#include "store/store_internal.h"

enum stmt {
    S_USER_ADD,
    S_USER_GET,
    S_USER_BY_LOGIN,
    S_USER_SET_PASSWORD,
    S_USER_LINK_TRAINER,
    S_USER_LIST,
    S_SESSION_ADD,
    S_SESSION_GET,
    S_SESSION_DELETE,
    S_SESSION_PURGE,
    S_TOKEN_ADD,
    S_TOKEN_GET,
    S_CALKEY_SET,
    S_CALKEY_GET,
    S_THROTTLE_GET,
    S_THROTTLE_FAIL,
    S_THROTTLE_CLEAR,
    S_THROTTLE_PURGE,
    S_AUDIT_ADD,
    S_AUDIT_LIST,
    S_AUDIT_COUNT,
    S_INSTITUTIONS,
    S_DISCIPLINES,
    S_COMPETENCES,
    S_PARTNERS,
    S_INSTITUTION_ADD,
    S_DISCIPLINE_ADD,
    S_COMPETENCE_ADD,
    S_PARTNER_ADD,
    S_CIRCO_ADD,
    S_ESTAB_ADD,
    S_INSTITUTION_ID,
    S_DISCIPLINE_EXISTS,
    S_COMPETENCE_ID,
    S_SEARCH_ALL,
    S_SEARCH_KEYS,
    S_SEARCH_COUNT,
    S_TRAINER_ROWS_BY_KEYS,
    S_TRAINER_ROWS_BY_IDS,
    S_PAGE_COMPETENCES,
    S_SORT_GET,
    S_SORT_PREV,
    S_SORT_NEXT,
    S_SORT_SET,
    S_SORT_CLEAR_ALL,
    S_SORT_ORDER,
    S_GEN_GET,
    S_GEN_BUMP,
    S_INDEX_ALL,
    S_POOL_TRAINERS,
    S_POOL_COMPETENCES,
    S_TRAINER_ROW,
    S_TRAINER_COMPETENCES_FULL,
    S_TRAINER_EXPERIENCES,
    S_TRAINER_INSERT,
    S_TRAINER_UPDATE,
    S_TRAINER_COUNT,
    S_TC_DECLARE,
    S_TC_REMOVE,
    S_TC_STATE,
    S_TC_DECIDE,
    S_TC_SET,
    S_EXPERIENCE_ADD,
    S_EXPERIENCE_REMOVE,
    S_FTS_DELETE,
    S_FTS_INSERT,
    S_INDEX_TEXT,
    S_INDEX_VTEXT,
    S_QUEUE,
    S_QUEUE_COUNT,
    S_TRAINER_IDS,
    S_COUNT
};

/* Columns of a trainer list item, shared by search, profile and export. */
#define TRAINER_COLS                                                                               \
    "t.id, t.last_name, t.first_name, i.code, i.name, t.corps, t.degree, t.discipline, d.name, "   \
    "t.site, t.email, t.weekdays, t.hours_quota, t.bio, t.updated_at "
#define TRAINER_FROM                                                                               \
    "FROM trainer t JOIN institution i ON i.id = t.institution_id "                                \
    "JOIN discipline d ON d.code = t.discipline "
static const char *const sql[S_COUNT] = {
    [S_USER_ADD] = "INSERT INTO app_user (login, display_name, role, scope_kind, scope_value,"
                   " password_hash, trainer_id, disabled, created_at)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8)",
    [S_USER_GET] = "SELECT id, login, display_name, role, scope_kind, scope_value,"
                   " COALESCE(trainer_id, 0), disabled, password_hash FROM app_user WHERE id = ?1",
    [S_USER_BY_LOGIN] = "SELECT id, login, display_name, role, scope_kind, scope_value,"
                        " COALESCE(trainer_id, 0), disabled, password_hash"
                        " FROM app_user WHERE login = ?1",
    [S_USER_SET_PASSWORD] = "UPDATE app_user SET password_hash = ?2 WHERE id = ?1",
    [S_USER_LINK_TRAINER] = "UPDATE app_user SET trainer_id = ?2 WHERE id = ?1",
    [S_USER_LIST] = "SELECT id, login, display_name, role, scope_kind, scope_value,"
                    " COALESCE(trainer_id, 0), disabled FROM app_user ORDER BY login",
    [S_SESSION_ADD] = "INSERT INTO session (token_hash, user_id, csrf, created_at, expires_at)"
                      " VALUES (?1, ?2, ?3, ?4, ?5)",
    [S_SESSION_GET] = "SELECT u.id, u.login, u.display_name, u.role, u.scope_kind, u.scope_value,"
                      " COALESCE(u.trainer_id, 0), u.disabled, s.csrf"
                      " FROM session s JOIN app_user u ON u.id = s.user_id"
                      " WHERE s.token_hash = ?1 AND s.expires_at > ?2",
    [S_SESSION_DELETE] = "DELETE FROM session WHERE token_hash = ?1",
    [S_SESSION_PURGE] = "DELETE FROM session WHERE expires_at <= ?1",
    [S_TOKEN_ADD] = "INSERT INTO api_token (token_hash, user_id, created_at) VALUES (?1, ?2, ?3)",
    [S_TOKEN_GET] = "SELECT u.id, u.login, u.display_name, u.role, u.scope_kind, u.scope_value,"
                    " COALESCE(u.trainer_id, 0), u.disabled, ''"
                    " FROM api_token k JOIN app_user u ON u.id = k.user_id"
                    " WHERE k.token_hash = ?1",
    [S_CALKEY_SET] = "INSERT INTO calendar_key (user_id, key_hash, created_at) VALUES (?1, ?2, ?3)"
                     " ON CONFLICT (user_id) DO UPDATE SET key_hash = excluded.key_hash,"
                     " created_at = excluded.created_at",
    [S_CALKEY_GET] = "SELECT u.id, u.login, u.display_name, u.role, u.scope_kind, u.scope_value,"
                     " COALESCE(u.trainer_id, 0), u.disabled, ''"
                     " FROM calendar_key k JOIN app_user u ON u.id = k.user_id"
                     " WHERE k.key_hash = ?1",
    [S_THROTTLE_GET] = "SELECT failures, last_at FROM login_throttle WHERE key = ?1",
    [S_THROTTLE_FAIL] = "INSERT INTO login_throttle (key, failures, last_at) VALUES (?1, 1, ?2)"
                        " ON CONFLICT (key) DO UPDATE SET failures = failures + 1, last_at = ?2",
    [S_THROTTLE_CLEAR] = "DELETE FROM login_throttle WHERE key = ?1",
    [S_THROTTLE_PURGE] = "DELETE FROM login_throttle WHERE last_at < ?1",
    [S_AUDIT_ADD] = "INSERT INTO audit_log (at, actor_id, actor_login, action, entity, entity_id,"
                    " before_json, after_json, ip) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [S_AUDIT_LIST] = "SELECT id, at, COALESCE(actor_id, 0), actor_login, action, entity, entity_id,"
                     " before_json, after_json, ip FROM audit_log"
                     " WHERE (?1 IS NULL OR entity = ?1) AND (?2 = 0 OR entity_id = ?2)"
                     " ORDER BY id DESC LIMIT ?3 OFFSET ?4",
    [S_AUDIT_COUNT] = "SELECT count(*) FROM audit_log"
                      " WHERE (?1 IS NULL OR entity = ?1) AND (?2 = 0 OR entity_id = ?2)",
    [S_INSTITUTIONS] = "SELECT code, name, kind FROM institution ORDER BY kind, name",
    [S_DISCIPLINES] = "SELECT code, name FROM discipline ORDER BY name",
    [S_COMPETENCES] = "SELECT c.id, c.code, c.label, c.kind, COALESCE(c.parent_id, 0),"
                      " COALESCE(p.label, '') FROM competence c"
                      " LEFT JOIN competence p ON p.id = c.parent_id"
                      " ORDER BY c.kind, COALESCE(p.label, c.label), c.parent_id IS NOT NULL,"
                      " c.label",
    [S_PARTNERS] = "SELECT code, name, fields FROM research_partner ORDER BY name",
    [S_INSTITUTION_ADD] = "INSERT INTO institution (code, name, kind) VALUES (?1, ?2, ?3)",
    [S_DISCIPLINE_ADD] = "INSERT INTO discipline (code, name) VALUES (?1, ?2)",
    [S_COMPETENCE_ADD] = "INSERT INTO competence (code, label, kind, parent_id)"
                         " VALUES (?1, ?2, ?3, (SELECT id FROM competence WHERE code = ?4))",
    [S_PARTNER_ADD] = "INSERT INTO research_partner (code, name, fields) VALUES (?1, ?2, ?3)",
    [S_CIRCO_ADD] = "INSERT INTO circonscription (code, name, departement) VALUES (?1, ?2, ?3)",
    [S_ESTAB_ADD] = "INSERT INTO establishment (uai, name, kind, commune, departement,"
                    " circonscription_id) VALUES (?1, ?2, ?3, ?4, ?5,"
                    " (SELECT id FROM circonscription WHERE code = ?6))",
    [S_INSTITUTION_ID] = "SELECT id FROM institution WHERE code = ?1",
    [S_DISCIPLINE_EXISTS] = "SELECT 1 FROM discipline WHERE code = ?1",
    [S_COMPETENCE_ID] = "SELECT id FROM competence WHERE code = ?1",
    /* No text, no filter: the name order index, LIMIT stops the walk. */
    [S_SEARCH_ALL] = "SELECT " TRAINER_COLS TRAINER_FROM
                     "WHERE t.sort_key IS NOT NULL ORDER BY t.sort_key LIMIT ?1 OFFSET ?2",
    /* The page of a MATCH: FTS5 rowids are sort keys, so rowid order is name order and the
     * doclist walk stops after LIMIT. */
    [S_SEARCH_KEYS] = "SELECT rowid FROM trainer_fts WHERE trainer_fts MATCH ?1"
                      " ORDER BY rowid LIMIT ?2 OFFSET ?3",
    [S_SEARCH_COUNT] = "SELECT count(*) FROM trainer_fts WHERE trainer_fts MATCH ?1",
    /* A page's rows and competences in one statement each: ?1 is a JSON array of keys/ids. */
    [S_TRAINER_ROWS_BY_KEYS] =
        "SELECT " TRAINER_COLS TRAINER_FROM "WHERE t.sort_key IN (SELECT value FROM json_each(?1))"
        " ORDER BY t.sort_key",
    [S_TRAINER_ROWS_BY_IDS] =
        "SELECT " TRAINER_COLS TRAINER_FROM "WHERE t.id IN (SELECT value FROM json_each(?1))"
        " ORDER BY t.sort_key",
    [S_PAGE_COMPETENCES] = "SELECT tc.trainer_id, c.id, c.code, c.label, tc.level, tc.state"
                           " FROM trainer_competence tc JOIN competence c"
                           " ON c.id = tc.competence_id"
                           " WHERE tc.trainer_id IN (SELECT value FROM json_each(?1))"
                           " ORDER BY tc.trainer_id, tc.state = 'validated' DESC, tc.level DESC,"
                           " c.label",
    [S_SORT_GET] = "SELECT COALESCE(sort_key, 0), sort_name FROM trainer WHERE id = ?1",
    [S_SORT_PREV] = "SELECT sort_key FROM trainer WHERE (sort_name, id) < (?1, ?2)"
                    " AND sort_key IS NOT NULL ORDER BY sort_name DESC, id DESC LIMIT 1",
    [S_SORT_NEXT] = "SELECT sort_key FROM trainer WHERE (sort_name, id) > (?1, ?2)"
                    " AND sort_key IS NOT NULL ORDER BY sort_name, id LIMIT 1",
    [S_SORT_SET] = "UPDATE trainer SET sort_key = ?2 WHERE id = ?1",
    [S_SORT_CLEAR_ALL] = "UPDATE trainer SET sort_key = NULL",
    [S_SORT_ORDER] = "SELECT id FROM trainer ORDER BY sort_name, id",
    [S_GEN_GET] = "SELECT generation FROM search_state WHERE id = 1",
    [S_GEN_BUMP] = "UPDATE search_state SET generation = generation + 1 WHERE id = 1",
    [S_INDEX_ALL] = "SELECT f.rowid, t.id, f.terms, f.vterms FROM trainer_fts f"
                    " JOIN trainer t ON t.sort_key = f.rowid",
    [S_POOL_TRAINERS] = "SELECT t.id, t.degree, t.site, t.weekdays, t.hours_quota, i.kind"
                        " FROM trainer t JOIN institution i ON i.id = t.institution_id"
                        " ORDER BY t.id",
    [S_POOL_COMPETENCES] = "SELECT trainer_id, competence_id, level FROM trainer_competence"
                           " WHERE state = 'validated' ORDER BY trainer_id, competence_id",
    [S_TRAINER_ROW] = "SELECT " TRAINER_COLS TRAINER_FROM "WHERE t.id = ?1",
    [S_TRAINER_COMPETENCES_FULL] =
        "SELECT c.id, c.code, c.label, tc.level, tc.state, c.kind, tc.reason, tc.declared_at,"
        " COALESCE(tc.decided_at, 0), COALESCE(u.display_name, ''), COALESCE(p.label, '')"
        " FROM trainer_competence tc JOIN competence c ON c.id = tc.competence_id"
        " LEFT JOIN competence p ON p.id = c.parent_id"
        " LEFT JOIN app_user u ON u.id = tc.decided_by WHERE tc.trainer_id = ?1"
        " ORDER BY tc.state = 'validated' DESC, tc.level DESC, c.label",
    [S_TRAINER_EXPERIENCES] = "SELECT kind, title, year, hours, id FROM experience"
                              " WHERE trainer_id = ?1 ORDER BY year DESC, id",
    [S_TRAINER_INSERT] = "INSERT INTO trainer (last_name, first_name, email, institution_id, corps,"
                         " degree, discipline, site, weekdays, hours_quota, bio, updated_at,"
                         " sort_name) VALUES (?2, ?3, ?4,"
                         " (SELECT id FROM institution WHERE code = ?5), ?6, ?7, ?8, ?9, ?10, ?11,"
                         " ?12, ?13, ?14)",
    [S_TRAINER_UPDATE] = "UPDATE trainer SET last_name = ?2, first_name = ?3, email = ?4,"
                         " institution_id = (SELECT id FROM institution WHERE code = ?5),"
                         " corps = ?6, degree = ?7, discipline = ?8, site = ?9, weekdays = ?10,"
                         " hours_quota = ?11, bio = ?12, updated_at = ?13, sort_name = ?14"
                         " WHERE id = ?1",
    [S_TRAINER_COUNT] = "SELECT count(*) FROM trainer",
    [S_TC_DECLARE] = "INSERT INTO trainer_competence (trainer_id, competence_id, level, state,"
                     " reason, declared_at) VALUES (?1, ?2, ?3, 'declared', '', ?4)"
                     " ON CONFLICT (trainer_id, competence_id) DO UPDATE SET level = ?3,"
                     " state = 'declared', reason = '', declared_at = ?4, decided_by = NULL,"
                     " decided_at = NULL",
    [S_TC_REMOVE] = "DELETE FROM trainer_competence WHERE trainer_id = ?1 AND competence_id = ?2",
    [S_TC_STATE] = "SELECT state, level FROM trainer_competence"
                   " WHERE trainer_id = ?1 AND competence_id = ?2",
    [S_TC_DECIDE] = "UPDATE trainer_competence SET state = ?3, reason = ?4, decided_by = ?5,"
                    " decided_at = ?6 WHERE trainer_id = ?1 AND competence_id = ?2"
                    " AND state = 'declared'",
    [S_TC_SET] = "INSERT OR REPLACE INTO trainer_competence (trainer_id, competence_id, level,"
                 " state, reason, declared_at, decided_by, decided_at)"
                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [S_EXPERIENCE_ADD] = "INSERT INTO experience (trainer_id, kind, title, year, hours)"
                         " VALUES (?1, ?2, ?3, ?4, ?5)",
    [S_EXPERIENCE_REMOVE] = "DELETE FROM experience WHERE trainer_id = ?1 AND id = ?2",
    [S_FTS_DELETE] = "DELETE FROM trainer_fts WHERE rowid = ?1",
    [S_FTS_INSERT] = "INSERT INTO trainer_fts (rowid, terms, vterms) VALUES (?1, ?2, ?3)",
    [S_INDEX_TEXT] = "SELECT t.last_name || ' ' || t.first_name || ' ' || i.name || ' ' ||"
                     " d.name || ' ' || t.corps || ' ' || t.bio || ' ' ||"
                     " COALESCE((SELECT group_concat(c.label || ' ' || COALESCE(p.label, ''), ' ')"
                     " FROM trainer_competence tc JOIN competence c ON c.id = tc.competence_id"
                     " LEFT JOIN competence p ON p.id = c.parent_id"
                     " WHERE tc.trainer_id = t.id AND tc.state <> 'refused'), '') || ' ' ||"
                     " COALESCE((SELECT group_concat(e.title, ' ') FROM experience e"
                     " WHERE e.trainer_id = t.id), '')"
                     ", t.degree, t.site, t.discipline, i.code, t.weekdays,"
                     " COALESCE(t.sort_key, 0),"
                     " EXISTS (SELECT 1 FROM trainer_competence v WHERE v.trainer_id = t.id"
                     " AND v.state = 'validated')"
                     " FROM trainer t JOIN institution i ON i.id = t.institution_id"
                     " JOIN discipline d ON d.code = t.discipline WHERE t.id = ?1",
    [S_INDEX_VTEXT] = "SELECT COALESCE(group_concat(c.label || ' ' || COALESCE(p.label, ''), ' '),"
                      " '') FROM trainer_competence tc JOIN competence c"
                      " ON c.id = tc.competence_id LEFT JOIN competence p ON p.id = c.parent_id"
                      " WHERE tc.trainer_id = ?1 AND tc.state = 'validated'",
    [S_QUEUE] = "SELECT tc.trainer_id, t.first_name || ' ' || t.last_name, c.id, c.code, c.label,"
                " tc.level, tc.declared_at, d.name, t.site, t.degree, i.name"
                " FROM trainer_competence tc JOIN trainer t ON t.id = tc.trainer_id"
                " JOIN competence c ON c.id = tc.competence_id"
                " JOIN discipline d ON d.code = t.discipline"
                " JOIN institution i ON i.id = t.institution_id"
                " WHERE tc.state = 'declared' AND (?3 IS NULL OR t.discipline = ?3)"
                " AND (?4 IS NULL OR t.site = ?4)"
                " ORDER BY tc.declared_at, tc.trainer_id, c.id LIMIT ?1 OFFSET ?2",
    [S_QUEUE_COUNT] = "SELECT count(*) FROM trainer_competence tc"
                      " JOIN trainer t ON t.id = tc.trainer_id WHERE tc.state = 'declared'"
                      " AND (?3 IS NULL OR t.discipline = ?3) AND (?4 IS NULL OR t.site = ?4)",
    [S_TRAINER_IDS] = "SELECT id FROM trainer ORDER BY id",
};

struct search_cache;

/* Largest page a search returns (store.h: limit ≤ 100). */
#define SEARCH_PAGE_MAX 100

struct store {
    sqlite3 *db;
    sqlite3_stmt *stmts[S_COUNT];
    sqlite3_stmt *ext[STORE_EXT_STMTS]; /* the domain files' statements (store_internal.h) */
    struct store *next_free;            /* pool link */
    struct search_cache *cache;         /* the pool's in-memory search index, or NULL */
    bool owns_cache;                    /* enabled on this connection alone */
};

struct store_pool {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    struct store *free_list;
    struct store **all;
    int n;
    struct search_cache *cache;
};

static struct search_cache *search_cache_new(const char *path);
static void search_cache_free(struct search_cache *c);

static int fail_db(struct store *st, const char *what)
{
    log_err("store op=%s err=\"%s\"", what, sqlite3_errmsg(st->db));
    return ERR_STORE;
}

/* The cached statement, prepared on first use. The caller resets it (done()). */
static sqlite3_stmt *stmt(struct store *st, enum stmt id)
{
    if (!st->stmts[id]) {
        if (sqlite3_prepare_v3(st->db, sql[id], -1, SQLITE_PREPARE_PERSISTENT, &st->stmts[id],
                               NULL) != SQLITE_OK) {
            log_err("store prepare=%d err=\"%s\"", (int)id, sqlite3_errmsg(st->db));
            return NULL;
        }
    }
    return st->stmts[id];
}

static void done(sqlite3_stmt *s)
{
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(s, i);
}

/* Runs a statement that returns no row; maps constraint errors to ERR_EXISTS / ERR_INVAL. */
static int run(struct store *st, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    int ext = sqlite3_extended_errcode(st->db);
    done(s);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        return 0;
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        return ERR_EXISTS;
    if (ext == SQLITE_CONSTRAINT_FOREIGNKEY || ext == SQLITE_CONSTRAINT_NOTNULL ||
        ext == SQLITE_CONSTRAINT_CHECK)
        return ERR_INVAL;
    return fail_db(st, what);
}

static const char *col_text(sqlite3_stmt *s, int i)
{
    const unsigned char *p = sqlite3_column_text(s, i);
    return p ? (const char *)p : "";
}

/* ---- what the domain files share (store_internal.h) ---- */

sqlite3 *store_db(struct store *st)
{
    return st->db;
}

sqlite3_stmt *store_stmt(struct store *st, int slot, const char *text)
{
    if (slot < 0 || slot >= STORE_EXT_STMTS)
        return NULL;
    if (!st->ext[slot] && sqlite3_prepare_v3(st->db, text, -1, SQLITE_PREPARE_PERSISTENT,
                                             &st->ext[slot], NULL) != SQLITE_OK) {
        log_err("store prepare_ext=%d err=\"%s\"", slot, sqlite3_errmsg(st->db));
        return NULL;
    }
    return st->ext[slot];
}

void store_done(sqlite3_stmt *s)
{
    done(s);
}

void store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
    bind_text(s, i, v);
}

int store_run(struct store *st, sqlite3_stmt *s, const char *what)
{
    return run(st, s, what);
}

int store_fail(struct store *st, const char *what)
{
    return fail_db(st, what);
}

const char *store_col_text(sqlite3_stmt *s, int i)
{
    return col_text(s, i);
}

int store_rows(struct store *st, sqlite3_stmt *s, const char *const *keys, json_t *arr)
{
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *o = json_object();
        for (int i = 0; keys[i]; i++) {
            if (keys[i][0] == '#')
                json_object_set_new(o, keys[i] + 1, json_integer(sqlite3_column_int64(s, i)));
            else if (keys[i][0] == '?')
                json_object_set_new(o, keys[i] + 1,
                                    sqlite3_column_type(s, i) == SQLITE_NULL
                                        ? json_null()
                                        : json_integer(sqlite3_column_int64(s, i)));
            else
                json_object_set_new(o, keys[i], json_string(col_text(s, i)));
        }
        json_array_append_new(arr, o);
    }
    done(s);
    return rc == SQLITE_DONE ? 0 : fail_db(st, "rows");
}

static void copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

int store_open(const char *path, struct store **out)
{
    struct store *st = calloc(1, sizeof *st);
    if (!st)
        return ERR_NOMEM;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
        log_err("store open path=\"%s\" err=\"%s\"", path,
                st->db ? sqlite3_errmsg(st->db) : "nomem");
        sqlite3_close(st->db);
        free(st);
        return ERR_IO;
    }
    sqlite3_busy_timeout(st->db, 5000);
    sqlite3_extended_result_codes(st->db, 1);
    /* WAL: readers do not block the writer; FULL: an acknowledged write survives power loss. */
    const char *pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                          " PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
                          " PRAGMA cache_size=-8000;";
    if (sqlite3_exec(st->db, pragmas, NULL, NULL, NULL) != SQLITE_OK) {
        log_err("store pragmas err=\"%s\"", sqlite3_errmsg(st->db));
        sqlite3_close(st->db);
        free(st);
        return ERR_IO;
    }
    *out = st;
    return 0;
}

void store_close(struct store *st)
{
    if (!st)
        return;
    if (st->owns_cache)
        search_cache_free(st->cache);
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(st->stmts[i]);
    for (int i = 0; i < STORE_EXT_STMTS; i++)
        sqlite3_finalize(st->ext[i]);
    sqlite3_close(st->db);
    free(st);
}

int store_schema_latest(void)
{
    return store_migration_count;
}

int store_schema_version(struct store *st, int *version)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
        return fail_db(st, "schema_version");
    int rc = sqlite3_step(s);
    *version = rc == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
    sqlite3_finalize(s);
    return rc == SQLITE_ROW ? 0 : fail_db(st, "schema_version");
}

int store_migrate(struct store *st, int *from, int *to)
{
    int v = 0;
    int rc = store_schema_version(st, &v);
    if (rc)
        return rc;
    if (from)
        *from = v;
    if (v > store_migration_count) {
        log_err("store schema=%d newer than this binary (%d)", v, store_migration_count);
        return ERR_CONFLICT;
    }
    for (; v < store_migration_count; v++) {
        if ((rc = store_begin(st)) != 0)
            return rc;
        char *msg = NULL;
        if (sqlite3_exec(st->db, store_migrations[v], NULL, NULL, &msg) != SQLITE_OK) {
            log_err("store migration=%d err=\"%s\"", v + 1, msg ? msg : "?");
            sqlite3_free(msg);
            store_rollback(st);
            return ERR_STORE;
        }
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", v + 1);
        if (sqlite3_exec(st->db, pragma, NULL, NULL, NULL) != SQLITE_OK) {
            store_rollback(st);
            return fail_db(st, "user_version");
        }
        if ((rc = store_commit(st)) != 0)
            return rc;
    }
    if (to)
        *to = v;
    return 0;
}

int store_begin(struct store *st)
{
    if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return fail_db(st, "begin");
    return 0;
}

int store_commit(struct store *st)
{
    if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        int rc = fail_db(st, "commit");
        store_rollback(st);
        return rc;
    }
    return 0;
}

void store_rollback(struct store *st)
{
    if (!sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

bool store_in_transaction(struct store *st)
{
    return sqlite3_get_autocommit(st->db) == 0;
}

int store_ping(struct store *st)
{
    return sqlite3_exec(st->db, "SELECT 1", NULL, NULL, NULL) == SQLITE_OK ? 0 : ERR_STORE;
}

int store_pool_open(const char *path, int n, struct store_pool **out)
{
    struct store_pool *p = calloc(1, sizeof *p);
    if (!p)
        return ERR_NOMEM;
    p->all = calloc((size_t)n, sizeof *p->all);
    if (!p->all) {
        free(p);
        return ERR_NOMEM;
    }
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->cond, NULL);
    p->cache = search_cache_new(path);
    if (!p->cache) {
        store_pool_close(p);
        return ERR_NOMEM;
    }
    for (int i = 0; i < n; i++) {
        int rc = store_open(path, &p->all[i]);
        if (rc) {
            p->n = i;
            store_pool_close(p);
            return rc;
        }
        p->all[i]->cache = p->cache;
        p->all[i]->next_free = p->free_list;
        p->free_list = p->all[i];
    }
    p->n = n;
    *out = p;
    return 0;
}

struct store *store_pool_get(struct store_pool *p)
{
    pthread_mutex_lock(&p->lock);
    while (!p->free_list)
        pthread_cond_wait(&p->cond, &p->lock);
    struct store *st = p->free_list;
    p->free_list = st->next_free;
    pthread_mutex_unlock(&p->lock);
    return st;
}

void store_pool_put(struct store_pool *p, struct store *st)
{
    store_rollback(st); /* a handler that failed mid-transaction must not leak it */
    pthread_mutex_lock(&p->lock);
    st->next_free = p->free_list;
    p->free_list = st;
    pthread_cond_signal(&p->cond);
    pthread_mutex_unlock(&p->lock);
}

void store_pool_close(struct store_pool *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->n; i++)
        store_close(p->all[i]);
    search_cache_free(p->cache);
    free(p->all);
    pthread_cond_destroy(&p->cond);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

/* ---- accounts ---- */

/* Reads the 8 user columns starting at column 0. */
static void read_user(sqlite3_stmt *s, struct user *u)
{
    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(s, 0);
    copy(u->login, sizeof u->login, col_text(s, 1));
    copy(u->display_name, sizeof u->display_name, col_text(s, 2));
    u->role = role_parse(col_text(s, 3));
    enum scope_kind k = scope_parse(col_text(s, 4));
    u->scope_kind = k == SCOPE_COUNT ? SCOPE_SELF : k;
    copy(u->scope_value, sizeof u->scope_value, col_text(s, 5));
    u->trainer_id = sqlite3_column_int64(s, 6);
    u->disabled = sqlite3_column_int(s, 7) != 0;
}

int store_user_add(struct store *st, const struct user *u, const char *pwhash, int64_t now,
                   int64_t *id)
{
    sqlite3_stmt *s = stmt(st, S_USER_ADD);
    if (!s)
        return ERR_STORE;
    bind_text(s, 1, u->login);
    bind_text(s, 2, u->display_name);
    bind_text(s, 3, role_code(u->role));
    bind_text(s, 4, scope_code(u->scope_kind));
    bind_text(s, 5, u->scope_value);
    bind_text(s, 6, pwhash);
    if (u->trainer_id)
        sqlite3_bind_int64(s, 7, u->trainer_id);
    else
        sqlite3_bind_null(s, 7);
    sqlite3_bind_int64(s, 8, now);
    int rc = run(st, s, "user_add");
    if (rc == 0 && id)
        *id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

static int user_fetch(struct store *st, enum stmt id, struct user *u, char *extra, size_t extra_len,
                      void (*bind)(sqlite3_stmt *, const void *), const void *arg)
{
    sqlite3_stmt *s = stmt(st, id);
    if (!s)
        return ERR_STORE;
    bind(s, arg);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        read_user(s, u);
        if (extra)
            copy(extra, extra_len, col_text(s, 8));
        done(s);
        return 0;
    }
    done(s);
    return rc == SQLITE_DONE ? ERR_NOTFOUND : fail_db(st, "user_fetch");
}

static void bind_id(sqlite3_stmt *s, const void *arg)
{
    sqlite3_bind_int64(s, 1, *(const int64_t *)arg);
}

static void bind_str(sqlite3_stmt *s, const void *arg)
{
    bind_text(s, 1, arg);
}

int store_user_get(struct store *st, int64_t id, struct user *u)
{
    return user_fetch(st, S_USER_GET, u, NULL, 0, bind_id, &id);
}

int store_user_by_login(struct store *st, const char *login, struct user *u, char *pwhash,
                        size_t pwhash_len)
{
    return user_fetch(st, S_USER_BY_LOGIN, u, pwhash, pwhash_len, bind_str, login);
}

int store_user_set_password(struct store *st, int64_t id, const char *pwhash)
{
    sqlite3_stmt *s = stmt(st, S_USER_SET_PASSWORD);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, id);
    bind_text(s, 2, pwhash);
    return run(st, s, "user_set_password");
}

/* Runs a statement whose two parameters are integers. */
static int exec_ids(struct store *st, enum stmt id, int64_t a, int64_t b, const char *what)
{
    sqlite3_stmt *s = stmt(st, id);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, a);
    sqlite3_bind_int64(s, 2, b);
    return run(st, s, what);
}

int store_user_link_trainer(struct store *st, int64_t user_id, int64_t trainer_id)
{
    return exec_ids(st, S_USER_LINK_TRAINER, user_id, trainer_id, "user_link_trainer");
}

static json_t *user_json(const struct user *u)
{
    return json_pack("{sI ss ss ss ss ss ss sI sb}", "id", (json_int_t)u->id, "login", u->login,
                     "name", u->display_name, "role", role_code(u->role), "role_label",
                     role_label(u->role), "scope_kind", scope_code(u->scope_kind), "scope_value",
                     u->scope_value, "trainer_id", (json_int_t)u->trainer_id, "disabled",
                     u->disabled);
}

int store_user_list(struct store *st, json_t **out)
{
    sqlite3_stmt *s = stmt(st, S_USER_LIST);
    if (!s)
        return ERR_STORE;
    json_t *arr = json_array();
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct user u;
        read_user(s, &u);
        json_array_append_new(arr, user_json(&u));
    }
    done(s);
    if (rc != SQLITE_DONE) {
        json_decref(arr);
        return fail_db(st, "user_list");
    }
    *out = arr;
    return 0;
}

int store_session_add(struct store *st, const char *token_hash, int64_t user_id, const char *csrf,
                      int64_t now, int64_t expires)
{
    sqlite3_stmt *s = stmt(st, S_SESSION_ADD);
    if (!s)
        return ERR_STORE;
    bind_text(s, 1, token_hash);
    sqlite3_bind_int64(s, 2, user_id);
    bind_text(s, 3, csrf);
    sqlite3_bind_int64(s, 4, now);
    sqlite3_bind_int64(s, 5, expires);
    return run(st, s, "session_add");
}

int store_session_get(struct store *st, const char *token_hash, int64_t now, struct user *u,
                      char *csrf, size_t csrf_len)
{
    sqlite3_stmt *s = stmt(st, S_SESSION_GET);
    if (!s)
        return ERR_STORE;
    bind_text(s, 1, token_hash);
    sqlite3_bind_int64(s, 2, now);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        read_user(s, u);
        copy(csrf, csrf_len, col_text(s, 8));
        done(s);
        return 0;
    }
    done(s);
    return rc == SQLITE_DONE ? ERR_NOTFOUND : fail_db(st, "session_get");
}

static int exec_text(struct store *st, enum stmt id, const char *v, const char *what)
{
    sqlite3_stmt *s = stmt(st, id);
    if (!s)
        return ERR_STORE;
    bind_text(s, 1, v);
    return run(st, s, what);
}

int store_session_delete(struct store *st, const char *token_hash)
{
    return exec_text(st, S_SESSION_DELETE, token_hash, "session_delete");
}

int store_session_purge(struct store *st, int64_t now, int *n)
{
    sqlite3_stmt *s = stmt(st, S_SESSION_PURGE);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, now);
    int rc = run(st, s, "session_purge");
    if (rc == 0 && n)
        *n = sqlite3_changes(st->db);
    return rc;
}

int store_token_add(struct store *st, const char *token_hash, int64_t user_id, int64_t now)
{
    sqlite3_stmt *s = stmt(st, S_TOKEN_ADD);
    if (!s)
        return ERR_STORE;
    bind_text(s, 1, token_hash);
    sqlite3_bind_int64(s, 2, user_id);
    sqlite3_bind_int64(s, 3, now);
    return run(st, s, "token_add");
}

int store_token_get(struct store *st, const char *token_hash, struct user *u)
{
    return user_fetch(st, S_TOKEN_GET, u, NULL, 0, bind_str, token_hash);
}

int store_calendar_key_set(struct store *st, int64_t user_id, const char *key_hash, int64_t now)
{
    sqlite3_stmt *s = stmt(st, S_CALKEY_SET);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, user_id);
    bind_text(s, 2, key_hash);
    sqlite3_bind_int64(s, 3, now);
    return run(st, s, "calendar_key_set");
}

int store_calendar_key_user(struct store *st, const char *key_hash, struct user *u)
{
    return user_fetch(st, S_CALKEY_GET, u, NULL, 0, bind_str, key_hash);
}

int store_throttle_get(struct store *st, const char *key, int *failures, int64_t *last_at)
{
    sqlite3_stmt *s = stmt(st, S_THROTTLE_GET);
    if (!s)
        return ERR_STORE;
    bind_text(s, 1, key);
    int rc = sqlite3_step(s);
    *failures = 0;
    *last_at = 0;
    if (rc == SQLITE_ROW) {
        *failures = sqlite3_column_int(s, 0);
        *last_at = sqlite3_column_int64(s, 1);
    }
    done(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail_db(st, "throttle_get");
}

int store_throttle_fail(struct store *st, const char *key, int64_t now)
{
    sqlite3_stmt *s = stmt(st, S_THROTTLE_FAIL);
    if (!s)
        return ERR_STORE;
    bind_text(s, 1, key);
    sqlite3_bind_int64(s, 2, now);
    return run(st, s, "throttle_fail");
}

int store_throttle_clear(struct store *st, const char *key)
{
    return exec_text(st, S_THROTTLE_CLEAR, key, "throttle_clear");
}

int store_throttle_purge(struct store *st, int64_t before)
{
    sqlite3_stmt *s = stmt(st, S_THROTTLE_PURGE);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, before);
    return run(st, s, "throttle_purge");
}

/* ---- audit ---- */

int store_audit_add(struct store *st, const struct audit_entry *e, int64_t now)
{
    sqlite3_stmt *s = stmt(st, S_AUDIT_ADD);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, now);
    if (e->actor_id)
        sqlite3_bind_int64(s, 2, e->actor_id);
    else
        sqlite3_bind_null(s, 2);
    bind_text(s, 3, e->actor_login ? e->actor_login : "");
    bind_text(s, 4, e->action);
    bind_text(s, 5, e->entity);
    sqlite3_bind_int64(s, 6, e->entity_id);
    bind_text(s, 7, e->before);
    bind_text(s, 8, e->after);
    bind_text(s, 9, e->ip);
    return run(st, s, "audit_add");
}

/* A JSON column: parsed when it holds JSON, null otherwise. */
static json_t *col_json(sqlite3_stmt *s, int i)
{
    if (sqlite3_column_type(s, i) == SQLITE_NULL)
        return json_null();
    json_t *v = json_loads(col_text(s, i), JSON_DECODE_ANY, NULL);
    return v ? v : json_string(col_text(s, i));
}

static int count_of(struct store *st, sqlite3_stmt *s, int64_t *n, const char *what)
{
    int rc = sqlite3_step(s);
    *n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    done(s);
    return rc == SQLITE_ROW ? 0 : fail_db(st, what);
}

int store_audit_list(struct store *st, const char *entity, int64_t entity_id, int limit, int offset,
                     json_t **items, int64_t *total)
{
    sqlite3_stmt *c = stmt(st, S_AUDIT_COUNT);
    sqlite3_stmt *s = stmt(st, S_AUDIT_LIST);
    if (!c || !s)
        return ERR_STORE;
    bind_text(c, 1, entity);
    sqlite3_bind_int64(c, 2, entity_id);
    int rc = count_of(st, c, total, "audit_count");
    if (rc)
        return rc;
    bind_text(s, 1, entity);
    sqlite3_bind_int64(s, 2, entity_id);
    sqlite3_bind_int(s, 3, limit);
    sqlite3_bind_int(s, 4, offset);
    json_t *arr = json_array();
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *o = json_pack("{sI sI sI ss ss ss sI so so ss}", "id",
                              (json_int_t)sqlite3_column_int64(s, 0), "at",
                              (json_int_t)sqlite3_column_int64(s, 1), "actor_id",
                              (json_int_t)sqlite3_column_int64(s, 2), "actor_login", col_text(s, 3),
                              "action", col_text(s, 4), "entity", col_text(s, 5), "entity_id",
                              (json_int_t)sqlite3_column_int64(s, 6), "before", col_json(s, 7),
                              "after", col_json(s, 8), "ip", col_text(s, 9));
        json_array_append_new(arr, o);
    }
    done(s);
    if (rc != SQLITE_DONE) {
        json_decref(arr);
        return fail_db(st, "audit_list");
    }
    *items = arr;
    return 0;
}

/* ---- référentiels ---- */

/* Runs a no-parameter list statement, turning each row into an object with the given keys
 * (columns as text, except keys starting with '#' read as integers). */
static int list_rows(struct store *st, enum stmt id, const char *const *keys, json_t **out)
{
    sqlite3_stmt *s = stmt(st, id);
    if (!s)
        return ERR_STORE;
    json_t *arr = json_array();
    int rc = store_rows(st, s, keys, arr);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return 0;
}

int store_institutions(struct store *st, json_t **out)
{
    static const char *const keys[] = {"code", "name", "kind", NULL};
    return list_rows(st, S_INSTITUTIONS, keys, out);
}

int store_disciplines(struct store *st, json_t **out)
{
    static const char *const keys[] = {"code", "name", NULL};
    return list_rows(st, S_DISCIPLINES, keys, out);
}

int store_competences(struct store *st, json_t **out)
{
    static const char *const keys[] = {"#id",        "code",         "label", "kind",
                                       "#parent_id", "parent_label", NULL};
    return list_rows(st, S_COMPETENCES, keys, out);
}

int store_research_partners(struct store *st, json_t **out)
{
    static const char *const keys[] = {"code", "name", "fields", NULL};
    return list_rows(st, S_PARTNERS, keys, out);
}

static int exec_texts(struct store *st, enum stmt id, const char *const *v, int n, const char *what)
{
    sqlite3_stmt *s = stmt(st, id);
    if (!s)
        return ERR_STORE;
    for (int i = 0; i < n; i++)
        bind_text(s, i + 1, v[i]);
    return run(st, s, what);
}

int store_institution_add(struct store *st, const char *code, const char *name, const char *kind)
{
    const char *v[] = {code, name, kind};
    return exec_texts(st, S_INSTITUTION_ADD, v, 3, "institution_add");
}

int store_discipline_add(struct store *st, const char *code, const char *name)
{
    const char *v[] = {code, name};
    return exec_texts(st, S_DISCIPLINE_ADD, v, 2, "discipline_add");
}

int store_competence_add(struct store *st, const char *code, const char *label, const char *kind,
                         const char *parent_code, int64_t *id)
{
    const char *v[] = {code, label, kind, parent_code};
    int rc = exec_texts(st, S_COMPETENCE_ADD, v, 4, "competence_add");
    if (rc == 0 && id)
        *id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int store_research_partner_add(struct store *st, const char *code, const char *name,
                               const char *fields)
{
    const char *v[] = {code, name, fields};
    return exec_texts(st, S_PARTNER_ADD, v, 3, "partner_add");
}

int store_circonscription_add(struct store *st, const char *code, const char *name,
                              const char *departement)
{
    const char *v[] = {code, name, departement};
    return exec_texts(st, S_CIRCO_ADD, v, 3, "circonscription_add");
}

int store_establishment_add(struct store *st, const char *uai, const char *name, const char *kind,
                            const char *commune, const char *departement,
                            const char *circonscription_code)
{
    const char *v[] = {uai, name, kind, commune, departement, circonscription_code};
    return exec_texts(st, S_ESTAB_ADD, v, 6, "establishment_add");
}

/* Looks up one integer by a text key; ERR_NOTFOUND when no row. */
static int lookup(struct store *st, enum stmt id, const char *key, int64_t *out)
{
    sqlite3_stmt *s = stmt(st, id);
    if (!s)
        return ERR_STORE;
    bind_text(s, 1, key);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && out)
        *out = sqlite3_column_int64(s, 0);
    done(s);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? ERR_NOTFOUND : fail_db(st, "lookup");
}

bool store_institution_exists(struct store *st, const char *code)
{
    return lookup(st, S_INSTITUTION_ID, code, NULL) == 0;
}

bool store_discipline_exists(struct store *st, const char *code)
{
    return lookup(st, S_DISCIPLINE_EXISTS, code, NULL) == 0;
}

int store_competence_id(struct store *st, const char *code, int64_t *id)
{
    return lookup(st, S_COMPETENCE_ID, code, id);
}

/* ---- trainers ---- */

/* The item of TRAINER_COLS (without competences). */
static json_t *trainer_item(sqlite3_stmt *s, bool full)
{
    const char *last = col_text(s, 1), *first = col_text(s, 2);
    char name[2 * TRAINER_NAME_MAX + 2];
    snprintf(name, sizeof name, "%s %s", first, last);
    const char *site = col_text(s, 9), *degree = col_text(s, 6), *corps = col_text(s, 5);
    const char *site_label = trainer_site_label(site);
    const char *degree_label = trainer_degree_label(degree);
    const char *corps_label = trainer_corps_label(corps);
    json_t *o = json_pack(
        "{sI ss ss ss ss ss ss ss ss ss ss ss ss ss}", "id", (json_int_t)sqlite3_column_int64(s, 0),
        "name", name, "last_name", last, "first_name", first, "institution", col_text(s, 3),
        "institution_name", col_text(s, 4), "corps", corps, "corps_label",
        corps_label ? corps_label : corps, "degree", degree, "degree_label",
        degree_label ? degree_label : degree, "discipline", col_text(s, 7), "discipline_name",
        col_text(s, 8), "site", site, "site_label", site_label ? site_label : site);
    if (full && o) {
        unsigned wd = (unsigned)sqlite3_column_int(s, 11);
        char days[80];
        if (weekdays_format(wd, days, sizeof days))
            days[0] = '\0';
        json_t *wdays = json_array();
        for (int d = 0; d < 6; d++)
            if (wd & (1u << d))
                json_array_append_new(wdays, json_string(weekday_names[d]));
        json_object_set_new(o, "email", json_string(col_text(s, 10)));
        json_object_set_new(o, "weekdays", wdays);
        json_object_set_new(o, "weekdays_label", json_string(days));
        json_object_set_new(o, "weekdays_bits", json_integer(wd));
        json_object_set_new(o, "hours_quota", json_integer(sqlite3_column_int(s, 12)));
        json_object_set_new(o, "bio", json_string(col_text(s, 13)));
        json_object_set_new(o, "updated_at", json_integer(sqlite3_column_int64(s, 14)));
    }
    return o;
}

/* The trainer's competences, short form for lists or full form with decisions. */
/* A competence of a list item from columns first..first+4 (id, code, label, level, state). */
static json_t *competence_item(sqlite3_stmt *s, int first)
{
    int level = sqlite3_column_int(s, first + 3);
    const char *state = col_text(s, first + 4);
    int si = competence_state_parse(state);
    const char *ll = competence_level_label(level);
    return json_pack(
        "{sI ss ss si ss ss ss sb}", "id", (json_int_t)sqlite3_column_int64(s, first), "code",
        col_text(s, first + 1), "label", col_text(s, first + 2), "level", level, "level_label",
        ll ? ll : "", "state", state, "state_label",
        competence_state_label(si < 0 ? COMPETENCE_DECLARED : (enum competence_state)si),
        "validated", si == COMPETENCE_VALIDATED);
}

/* Runs a statement whose ?1 is the JSON array of the numbers of list. */
static int bind_json_list(sqlite3_stmt *s, const int64_t *list, size_t n)
{
    struct buf b;
    buf_init(&b, 64 * (SEARCH_PAGE_MAX + 1));
    buf_putc(&b, '[');
    for (size_t i = 0; i < n; i++)
        buf_printf(&b, "%s%lld", i ? "," : "", (long long)list[i]);
    buf_putc(&b, ']');
    int rc = b.err;
    if (rc == 0)
        sqlite3_bind_text(s, 1, b.data, (int)b.len, SQLITE_TRANSIENT);
    buf_free(&b);
    return rc;
}

/* Appends the list items of the trainers whose keys (by_key) or ids are in list, in name order. */
static int page_rows(struct store *st, bool by_key, const int64_t *list, size_t n, json_t *arr)
{
    if (n == 0)
        return 0;
    sqlite3_stmt *s = stmt(st, by_key ? S_TRAINER_ROWS_BY_KEYS : S_TRAINER_ROWS_BY_IDS);
    if (!s)
        return ERR_STORE;
    int rc = bind_json_list(s, list, n);
    int step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(arr, trainer_item(s, false));
    done(s);
    return rc ? rc : step == SQLITE_DONE ? 0 : fail_db(st, "page_rows");
}

/* Gives each item of a search page its short competence list, in one statement. */
static int page_competences(struct store *st, json_t *items)
{
    size_t n = json_array_size(items);
    if (n == 0)
        return 0;
    int64_t ids[SEARCH_PAGE_MAX];
    json_t *lists[SEARCH_PAGE_MAX];
    for (size_t i = 0; i < n && i < SEARCH_PAGE_MAX; i++) {
        json_t *it = json_array_get(items, i);
        ids[i] = json_integer_value(json_object_get(it, "id"));
        lists[i] = json_array();
        json_object_set_new(it, "competences", lists[i]);
    }
    sqlite3_stmt *s = stmt(st, S_PAGE_COMPETENCES);
    if (!s)
        return ERR_STORE;
    int rc = bind_json_list(s, ids, n);
    int step = SQLITE_DONE;
    size_t at = 0;
    while (rc == 0 && (step = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t tid = sqlite3_column_int64(s, 0);
        /* Rows come by trainer id; items are in name order: look the owner up. */
        if (ids[at] != tid)
            for (at = 0; at < n && ids[at] != tid; at++)
                ;
        if (at < n)
            json_array_append_new(lists[at], competence_item(s, 1));
        else
            at = 0;
    }
    done(s);
    return rc ? rc : step == SQLITE_DONE ? 0 : fail_db(st, "page_competences");
}

/* A trainer's competences with their decisions (who, when, why), for the profile. */
static int trainer_competences(struct store *st, int64_t id, json_t **out)
{
    sqlite3_stmt *s = stmt(st, S_TRAINER_COMPETENCES_FULL);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, id);
    json_t *arr = json_array();
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        json_t *o = competence_item(s, 0);
        int si = competence_state_parse(col_text(s, 4));
        json_object_set_new(o, "kind", json_string(col_text(s, 5)));
        json_object_set_new(o, "reason", json_string(col_text(s, 6)));
        json_object_set_new(o, "declared_at", json_integer(sqlite3_column_int64(s, 7)));
        json_object_set_new(o, "decided_at", json_integer(sqlite3_column_int64(s, 8)));
        json_object_set_new(o, "decided_by", json_string(col_text(s, 9)));
        json_object_set_new(o, "parent_label", json_string(col_text(s, 10)));
        json_object_set_new(o, "refused", json_boolean(si == COMPETENCE_REFUSED));
        json_object_set_new(o, "declared", json_boolean(si == COMPETENCE_DECLARED));
        json_array_append_new(arr, o);
    }
    done(s);
    if (rc != SQLITE_DONE) {
        json_decref(arr);
        return fail_db(st, "trainer_competences");
    }
    *out = arr;
    return 0;
}

/*
 * Filters as search tokens. Each trainer's indexed terms end with tokens for its degree, site,
 * discipline, institution, weekdays and "has a validated competence", so that a filtered search
 * is one FTS5 query whose doclists intersect in the index, and its count never touches the
 * trainer table. The "zz" prefix keeps them apart from French stems; codes are hex-encoded
 * because the FTS5 tokenizer would split them on "_".
 */
struct filter_values {
    const char *degree, *site, *discipline, *institution;
    unsigned weekdays;
    bool validated;
};

static void token_hex(struct buf *out, const char *prefix, const char *code)
{
    static const char hex[] = "0123456789abcdef";
    buf_puts(out, prefix);
    for (const unsigned char *p = (const unsigned char *)code; *p; p++) {
        buf_putc(out, hex[*p >> 4]);
        buf_putc(out, hex[*p & 15]);
    }
}

/* Appends the filter tokens of v, each preceded by a space. */
static void filter_tokens(const struct filter_values *v, struct buf *out)
{
    if (v->degree)
        token_hex(out, " zzg", v->degree);
    if (v->site)
        token_hex(out, " zzs", v->site);
    if (v->discipline)
        token_hex(out, " zzd", v->discipline);
    if (v->institution)
        token_hex(out, " zzi", v->institution);
    for (int d = 0; d < 6; d++)
        if (v->weekdays & (1u << d))
            buf_printf(out, " zzw%d", d + 1);
    if (v->validated)
        buf_puts(out, " zzval");
}

/* The MATCH expression of a query: the user's terms AND a token per filter. Empty when the
 * query has neither. */
static int query_match(const struct trainer_query *q, struct buf *out)
{
    struct buf text;
    buf_init(&text, 8192);
    int rc = q->q ? text_fts_query(q->q, strlen(q->q), &text) : 0;
    bool has_q = text.len > 0;
    const char *sep = "";
    if (has_q) {
        buf_printf(out, "%s : (%s)", q->validated_only ? "vterms" : "terms", text.data);
        sep = " AND ";
    }
    buf_free(&text);
    if (rc)
        return rc;
    const char *codes[] = {q->degree, q->site, q->discipline, q->institution};
    const char *prefixes[] = {"zzg", "zzs", "zzd", "zzi"};
    for (int i = 0; i < 4; i++) {
        if (!codes[i])
            continue;
        buf_printf(out, "%s\"", sep);
        token_hex(out, prefixes[i], codes[i]);
        buf_putc(out, '"');
        sep = " AND ";
    }
    if (q->weekdays) {
        buf_printf(out, "%s(", sep);
        const char * or = "";
        for (int d = 0; d < 6; d++)
            if (q->weekdays & (1u << d)) {
                buf_printf(out, "%s\"zzw%d\"", or, d + 1);
                or = " OR ";
            }
        buf_putc(out, ')');
        sep = " AND ";
    }
    if (q->validated_only && !has_q)
        buf_printf(out, "%s\"zzval\"", sep);
    return out->err;
}

/*
 * The in-memory search index. FTS5 finds the page of a query fast, but counting the matches of
 * dense filters (half the trainers are 1D, most have a validated competence) walks whole
 * doclists: several milliseconds at 100,000 trainers. engine/search_index.c answers the same
 * queries from bitmaps in microseconds. Each pool (each process) keeps one immutable snapshot,
 * built from the analysed terms stored in trainer_fts and tagged with search_state.generation,
 * which every reindex bumps in the same transaction. A search compares the two: equal, the
 * snapshot answers; stale, FTS5 answers (always correct) while a new snapshot is built — in the
 * searching thread for a small map, in a background thread for a large one.
 */
#define SNAPSHOT_SYNC_MAX 20000 /* trainers: build in the request below this */

struct snapshot {
    struct sindex *ix;
    struct prop_pool *pool; /* the same trainers for proposals (engine/proposal.h) */
    int64_t gen;
    int refs;
};

struct search_cache {
    pthread_mutex_t lock;
    struct snapshot *snap;
    bool building;
    bool has_thread;
    pthread_t thread;
    char path[1024];
};

static struct search_cache *search_cache_new(const char *path)
{
    struct search_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    pthread_mutex_init(&c->lock, NULL);
    snprintf(c->path, sizeof c->path, "%s", path);
    return c;
}

static void snapshot_free(struct snapshot *sn)
{
    if (!sn)
        return;
    sindex_free(sn->ix);
    prop_pool_free(sn->pool);
    free(sn);
}

static void snapshot_unref(struct search_cache *c, struct snapshot *sn)
{
    if (!sn)
        return;
    pthread_mutex_lock(&c->lock);
    bool last = --sn->refs == 0;
    pthread_mutex_unlock(&c->lock);
    if (last)
        snapshot_free(sn);
}

static void search_cache_free(struct search_cache *c)
{
    if (!c)
        return;
    if (c->has_thread)
        pthread_join(c->thread, NULL);
    snapshot_unref(c, c->snap);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static int generation(struct store *st, int64_t *gen)
{
    sqlite3_stmt *s = stmt(st, S_GEN_GET);
    if (!s)
        return ERR_STORE;
    return count_of(st, s, gen, "generation");
}

int store_search_generation(struct store *st, int64_t *gen)
{
    return generation(st, gen);
}

/* Reads the trainers' attributes and validated competences, in the caller's read transaction,
 * into a proposal pool. */
static unsigned char pool_code(const char *v, const char *const *codes, unsigned char other)
{
    for (unsigned char i = 0; codes[i]; i++)
        if (strcmp(v, codes[i]) == 0)
            return i;
    return other;
}

static int pool_build(struct store *st, struct prop_pool **out)
{
    static const char *const degrees[] = {"1D", "2D", "SUP", NULL};
    static const char *const sites[] = {"ain", "loire", "rhone", NULL};
    static const char *const sides[] = {"universite", "rectorat", NULL};
    sqlite3_stmt *t = stmt(st, S_POOL_TRAINERS), *c = stmt(st, S_POOL_COMPETENCES);
    if (!t || !c)
        return ERR_STORE;
    struct prop_trainer *tr = NULL;
    int32_t *comps = NULL;
    unsigned char *levels = NULL;
    size_t n = 0, cap = 0, nc = 0, ccap = 0;
    int rc = 0, step;
    while (!rc && (step = sqlite3_step(t)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? 2 * cap : 4096;
            struct prop_trainer *g = realloc(tr, cap * sizeof *g);
            if (!g) {
                rc = ERR_NOMEM;
                break;
            }
            tr = g;
        }
        const char *side = col_text(t, 5);
        int q = sqlite3_column_int(t, 4);
        tr[n++] = (struct prop_trainer){
            .id = sqlite3_column_int64(t, 0),
            .degree = pool_code(col_text(t, 1), degrees, PROP_SUP),
            .site = pool_code(col_text(t, 2), sites, PROP_RHONE),
            .weekdays = (unsigned char)(sqlite3_column_int(t, 3) & 0x3f),
            .side = strcmp(side, "inspe") == 0 ? PROP_SIDE_UNIVERSITY
                                               : pool_code(side, sides, PROP_SIDE_OTHER),
            .quota = q < 0 ? 0 : q,
        };
    }
    if (!rc && step != SQLITE_DONE)
        rc = fail_db(st, "pool_trainers");
    done(t);
    /* Competences in trainer order: a merge with the trainers, also in id order. */
    size_t at = 0;
    size_t *first = rc ? NULL : calloc(n ? n : 1, sizeof *first);
    if (!rc && !first)
        rc = ERR_NOMEM;
    while (!rc && (step = sqlite3_step(c)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(c, 0);
        while (at < n && tr[at].id < id)
            at++;
        if (at == n || tr[at].id != id)
            continue;
        if (nc == ccap) {
            ccap = ccap ? 2 * ccap : 16384;
            int32_t *g = realloc(comps, ccap * sizeof *g);
            unsigned char *h = g ? realloc(levels, ccap) : NULL;
            if (g)
                comps = g;
            if (h)
                levels = h;
            if (!g || !h) {
                rc = ERR_NOMEM;
                break;
            }
        }
        if (!tr[at].n_competences)
            first[at] = nc;
        int lvl = sqlite3_column_int(c, 2);
        comps[nc] = (int32_t)sqlite3_column_int64(c, 1);
        levels[nc++] = (unsigned char)(lvl < 1 ? 1 : lvl > PROP_LEVEL_MAX ? PROP_LEVEL_MAX : lvl);
        tr[at].n_competences++;
    }
    if (!rc && step != SQLITE_DONE)
        rc = fail_db(st, "pool_competences");
    done(c);
    for (size_t i = 0; !rc && i < n; i++)
        if (tr[i].n_competences) {
            tr[i].competences = comps + first[i];
            tr[i].levels = levels + first[i];
        }
    if (!rc)
        rc = prop_pool_build(tr, n, out);
    free(first);
    free(tr);
    free(comps);
    free(levels);
    return rc;
}

/* Reads every trainer's terms in one read transaction and builds a snapshot of them. */
static int snapshot_build(struct store *st, struct snapshot **out)
{
    bool own_tx = sqlite3_get_autocommit(st->db) != 0;
    if (own_tx && sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return fail_db(st, "snapshot_begin");
    int64_t gen = 0;
    struct sindex_doc *docs = NULL;
    size_t n = 0, cap = 0;
    int rc = generation(st, &gen);
    sqlite3_stmt *s = rc ? NULL : stmt(st, S_INDEX_ALL);
    if (!rc && !s)
        rc = ERR_STORE;
    int step = SQLITE_DONE;
    while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
        if (n == cap) {
            size_t ncap = cap ? 2 * cap : 4096;
            struct sindex_doc *d = realloc(docs, ncap * sizeof *d);
            if (!d) {
                rc = ERR_NOMEM;
                break;
            }
            docs = d;
            cap = ncap;
        }
        const char *terms = col_text(s, 2), *vterms = col_text(s, 3);
        docs[n].key = sqlite3_column_int64(s, 0);
        docs[n].id = sqlite3_column_int64(s, 1);
        docs[n].terms = strdup(terms);
        docs[n].vterms = strdup(vterms);
        n++;
        if (!docs[n - 1].terms || !docs[n - 1].vterms)
            rc = ERR_NOMEM;
    }
    if (s)
        done(s);
    if (!rc && step != SQLITE_DONE)
        rc = fail_db(st, "snapshot_read");
    struct prop_pool *pool = NULL;
    if (!rc)
        rc = pool_build(st, &pool);
    if (own_tx)
        sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
    struct snapshot *sn = NULL;
    if (!rc) {
        sn = calloc(1, sizeof *sn);
        rc = sn ? sindex_build(docs, n, &sn->ix) : ERR_NOMEM;
    }
    if (!rc) {
        sn->pool = pool;
        pool = NULL;
    }
    prop_pool_free(pool);
    for (size_t i = 0; i < n; i++) {
        free((char *)(uintptr_t)docs[i].terms);
        free((char *)(uintptr_t)docs[i].vterms);
    }
    free(docs);
    if (rc) {
        free(sn);
        return rc;
    }
    sn->gen = gen;
    sn->refs = 1;
    *out = sn;
    return 0;
}

/* Makes sn the current snapshot unless a newer one is there already. */
static void snapshot_install(struct search_cache *c, struct snapshot *sn)
{
    struct snapshot *old = NULL;
    pthread_mutex_lock(&c->lock);
    if (!c->snap || c->snap->gen <= sn->gen) {
        old = c->snap;
        c->snap = sn;
    } else {
        old = sn;
    }
    c->building = false;
    pthread_mutex_unlock(&c->lock);
    snapshot_unref(c, old);
}

int store_search_index_enable(struct store *st)
{
    if (st->cache)
        return 0;
    const char *path = sqlite3_db_filename(st->db, "main");
    st->cache = search_cache_new(path ? path : "");
    if (!st->cache)
        return ERR_NOMEM;
    st->owns_cache = true;
    struct snapshot *sn = NULL;
    int rc = snapshot_build(st, &sn);
    if (rc == 0)
        snapshot_install(st->cache, sn);
    return rc;
}

static void *snapshot_thread(void *arg)
{
    struct search_cache *c = arg;
    struct store *st = NULL;
    struct snapshot *sn = NULL;
    if (store_open(c->path, &st) == 0 && snapshot_build(st, &sn) == 0) {
        snapshot_install(c, sn);
    } else {
        pthread_mutex_lock(&c->lock);
        c->building = false;
        pthread_mutex_unlock(&c->lock);
    }
    store_close(st);
    return NULL;
}

/* The current snapshot if it matches the database (caller unrefs), else NULL after starting
 * a rebuild if none is running. */
static struct snapshot *snapshot_get(struct store *st)
{
    struct search_cache *c = st->cache;
    int64_t gen = 0, trainers = 0;
    if (!c || generation(st, &gen) != 0)
        return NULL;
    pthread_mutex_lock(&c->lock);
    struct snapshot *sn = c->snap;
    if (sn && sn->gen == gen) {
        sn->refs++;
        pthread_mutex_unlock(&c->lock);
        return sn;
    }
    bool start = !c->building;
    if (start)
        c->building = true;
    pthread_mutex_unlock(&c->lock);
    if (!start)
        return NULL;
    if (store_trainer_count(st, &trainers) == 0 && trainers <= SNAPSHOT_SYNC_MAX) {
        struct snapshot *fresh = NULL;
        if (snapshot_build(st, &fresh) != 0) {
            pthread_mutex_lock(&c->lock);
            c->building = false;
            pthread_mutex_unlock(&c->lock);
            return NULL;
        }
        fresh->refs++; /* the caller's reference */
        snapshot_install(c, fresh);
        return fresh->gen == gen ? fresh : (snapshot_unref(c, fresh), NULL);
    }
    /* One builder at a time: join the previous one (finished, since building was false). */
    if (c->has_thread)
        pthread_join(c->thread, NULL);
    c->has_thread = pthread_create(&c->thread, NULL, snapshot_thread, c) == 0;
    if (!c->has_thread) {
        pthread_mutex_lock(&c->lock);
        c->building = false;
        pthread_mutex_unlock(&c->lock);
    }
    return NULL;
}

/* Answers q from a snapshot: the ids of the page in name order, and the total. */
static int snapshot_search(const struct snapshot *sn, const struct trainer_query *q, int64_t *ids,
                           size_t *n_ids, int64_t *total)
{
    struct text_query tq = {0};
    int rc = q->q ? text_query_parse(q->q, strlen(q->q), &tq) : 0;
    if (rc)
        return rc;
    enum sindex_column col = q->validated_only ? SINDEX_VTERMS : SINDEX_TERMS;
    struct sindex_atom atoms[TEXT_MAX_QUERY_TERM + 16];
    struct sindex_clause clauses[TEXT_MAX_QUERY_TERM + 8];
    size_t na = 0, nc = 0;
    for (int i = 0; i < tq.n; i++) {
        bool last = i == tq.n - 1;
        size_t first = na;
        atoms[na++] = (struct sindex_atom){col, tq.terms[i], last && !tq.last_word[0]};
        if (last && tq.last_word[0])
            atoms[na++] = (struct sindex_atom){col, tq.last_word, true};
        clauses[nc++] = (struct sindex_clause){&atoms[first], na - first};
    }
    char tokens[5][2 * TRAINER_CODE_MAX + 8];
    const char *codes[] = {q->degree, q->site, q->discipline, q->institution};
    const char *prefixes[] = {"zzg", "zzs", "zzd", "zzi"};
    int nt = 0;
    for (int i = 0; i < 4; i++) {
        if (!codes[i])
            continue;
        struct buf b;
        buf_init(&b, sizeof tokens[0] - 1);
        token_hex(&b, prefixes[i], codes[i]);
        snprintf(tokens[nt], sizeof tokens[nt], "%s", b.data);
        buf_free(&b);
        atoms[na] = (struct sindex_atom){SINDEX_TERMS, tokens[nt], false};
        clauses[nc++] = (struct sindex_clause){&atoms[na], 1};
        na++;
        nt++;
    }
    static const char *const days[6] = {"zzw1", "zzw2", "zzw3", "zzw4", "zzw5", "zzw6"};
    if (q->weekdays) {
        size_t first = na;
        for (int d = 0; d < 6; d++)
            if (q->weekdays & (1u << d))
                atoms[na++] = (struct sindex_atom){SINDEX_TERMS, days[d], false};
        clauses[nc++] = (struct sindex_clause){&atoms[first], na - first};
    }
    if (q->validated_only && tq.n == 0) {
        atoms[na] = (struct sindex_atom){SINDEX_TERMS, "zzval", false};
        clauses[nc++] = (struct sindex_clause){&atoms[na], 1};
        na++;
    }
    size_t limit = q->limit < SEARCH_PAGE_MAX ? (size_t)q->limit : SEARCH_PAGE_MAX;
    size_t count = 0;
    rc = sindex_query(sn->ix, clauses, nc, (size_t)q->offset, limit, ids, n_ids, &count);
    *total = (int64_t)count;
    return rc;
}

/*
 * One plan for every search, in name order: the count and the page's sort keys come from the
 * FTS5 index alone (free text and filters are all tokens, see filter_tokens), the doclist walk
 * stopping after LIMIT; then the page's rows are read by key. With neither text nor filter, the
 * sort key index is walked instead.
 */
int store_trainer_search(struct store *st, const struct trainer_query *q, json_t **items,
                         int64_t *total)
{
    struct buf match;
    buf_init(&match, 8192);
    json_t *arr = json_array();
    int rc = query_match(q, &match);
    sqlite3_stmt *s;
    struct snapshot *sn = NULL;
    if (rc)
        goto fail;
    if (match.len > 0 && (sn = snapshot_get(st)) != NULL) {
        int64_t ids[SEARCH_PAGE_MAX];
        size_t n = 0;
        rc = snapshot_search(sn, q, ids, &n, total);
        snapshot_unref(st->cache, sn);
        if (rc || (rc = page_rows(st, false, ids, n, arr)) != 0)
            goto fail;
    } else if (match.len == 0) {
        if ((rc = store_trainer_count(st, total)) != 0)
            goto fail;
        if (!(s = stmt(st, S_SEARCH_ALL))) {
            rc = ERR_STORE;
            goto fail;
        }
        sqlite3_bind_int(s, 1, q->limit);
        sqlite3_bind_int(s, 2, q->offset);
        int step;
        while ((step = sqlite3_step(s)) == SQLITE_ROW)
            json_array_append_new(arr, trainer_item(s, false));
        done(s);
        if (step != SQLITE_DONE) {
            rc = fail_db(st, "search_all");
            goto fail;
        }
    } else {
        if (!(s = stmt(st, S_SEARCH_COUNT))) {
            rc = ERR_STORE;
            goto fail;
        }
        bind_text(s, 1, match.data);
        if ((rc = count_of(st, s, total, "search_count")) != 0)
            goto fail;
        if (!(s = stmt(st, S_SEARCH_KEYS))) {
            rc = ERR_STORE;
            goto fail;
        }
        bind_text(s, 1, match.data);
        sqlite3_bind_int(s, 2, q->limit < SEARCH_PAGE_MAX ? q->limit : SEARCH_PAGE_MAX);
        sqlite3_bind_int(s, 3, q->offset);
        int64_t keys[SEARCH_PAGE_MAX];
        size_t n = 0;
        int step;
        while ((step = sqlite3_step(s)) == SQLITE_ROW && n < SEARCH_PAGE_MAX)
            keys[n++] = sqlite3_column_int64(s, 0);
        done(s);
        if (step != SQLITE_DONE && step != SQLITE_ROW) {
            rc = fail_db(st, "search_keys");
            goto fail;
        }
        if ((rc = page_rows(st, true, keys, n, arr)) != 0)
            goto fail;
    }
    if ((rc = page_competences(st, arr)) != 0)
        goto fail;
    *items = arr;
    arr = NULL;
    rc = 0;
fail:
    json_decref(arr);
    buf_free(&match);
    return rc;
}

int store_trainer_get(struct store *st, int64_t id, json_t **out)
{
    sqlite3_stmt *s = stmt(st, S_TRAINER_ROW);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        done(s);
        return rc == SQLITE_DONE ? ERR_NOTFOUND : fail_db(st, "trainer_get");
    }
    json_t *o = trainer_item(s, true);
    done(s);
    json_t *comps = NULL;
    if ((rc = trainer_competences(st, id, &comps)) != 0) {
        json_decref(o);
        return rc;
    }
    json_object_set_new(o, "competences", comps);
    sqlite3_stmt *e = stmt(st, S_TRAINER_EXPERIENCES);
    if (!e) {
        json_decref(o);
        return ERR_STORE;
    }
    sqlite3_bind_int64(e, 1, id);
    json_t *exps = json_array();
    while ((rc = sqlite3_step(e)) == SQLITE_ROW)
        json_array_append_new(exps, json_pack("{ss ss si si sI}", "kind", col_text(e, 0), "title",
                                              col_text(e, 1), "year", sqlite3_column_int(e, 2),
                                              "hours", sqlite3_column_int(e, 3), "id",
                                              (json_int_t)sqlite3_column_int64(e, 4)));
    done(e);
    json_object_set_new(o, "experiences", exps);
    if (rc != SQLITE_DONE) {
        json_decref(o);
        return fail_db(st, "trainer_experiences");
    }
    *out = o;
    return 0;
}

int store_trainer_load(struct store *st, int64_t id, struct trainer *t)
{
    sqlite3_stmt *s = stmt(st, S_TRAINER_ROW);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        done(s);
        return rc == SQLITE_DONE ? ERR_NOTFOUND : fail_db(st, "trainer_load");
    }
    memset(t, 0, sizeof *t);
    t->id = id;
    copy(t->last_name, sizeof t->last_name, col_text(s, 1));
    copy(t->first_name, sizeof t->first_name, col_text(s, 2));
    copy(t->institution, sizeof t->institution, col_text(s, 3));
    copy(t->corps, sizeof t->corps, col_text(s, 5));
    copy(t->degree, sizeof t->degree, col_text(s, 6));
    copy(t->discipline, sizeof t->discipline, col_text(s, 7));
    copy(t->site, sizeof t->site, col_text(s, 9));
    copy(t->email, sizeof t->email, col_text(s, 10));
    t->weekdays = (unsigned)sqlite3_column_int(s, 11);
    t->hours_quota = sqlite3_column_int(s, 12);
    copy(t->bio, sizeof t->bio, col_text(s, 13));
    done(s);
    return 0;
}

/*
 * Name order. Lists show trainers by folded "last first" name, and must page in a few
 * milliseconds among 100,000 whatever the filters. So each trainer holds an integer sort key
 * that follows that order, used as its rowid in trainer_fts: a MATCH walks its doclist in key
 * order and stops after the page. A new or renamed trainer takes the midpoint of its neighbours'
 * keys in [1, 2^62]; when two neighbours are adjacent (about 60 inserts at one spot) every key is
 * renumbered evenly and the index rebuilt — rare, and logged.
 */
#define SORT_SPACE ((int64_t)1 << 62)

static int sort_neighbour(struct store *st, enum stmt id, const char *name, int64_t tid,
                          int64_t *key)
{
    sqlite3_stmt *s = stmt(st, id);
    if (!s)
        return ERR_STORE;
    bind_text(s, 1, name);
    sqlite3_bind_int64(s, 2, tid);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *key = sqlite3_column_int64(s, 0);
    done(s);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail_db(st, "sort_neighbour");
}

static int sort_set(struct store *st, int64_t tid, int64_t key)
{
    sqlite3_stmt *s = stmt(st, S_SORT_SET);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, tid);
    if (key)
        sqlite3_bind_int64(s, 2, key);
    else
        sqlite3_bind_null(s, 2);
    return run(st, s, "sort_set");
}

/* Gives every trainer an evenly spaced key in name order and rebuilds the search index. */
static int sort_renumber(struct store *st)
{
    int64_t n = 0;
    int rc = store_trainer_count(st, &n);
    if (rc)
        return rc;
    log_warn("store renumbering sort keys of %lld trainers", (long long)n);
    if (sqlite3_exec(st->db, "DELETE FROM trainer_fts", NULL, NULL, NULL) != SQLITE_OK)
        return fail_db(st, "fts_clear");
    sqlite3_stmt *c = stmt(st, S_SORT_CLEAR_ALL);
    if (!c || (rc = run(st, c, "sort_clear")) != 0)
        return c ? rc : ERR_STORE;
    sqlite3_stmt *s = stmt(st, S_SORT_ORDER);
    if (!s)
        return ERR_STORE;
    int64_t *ids = malloc((size_t)(n + 1) * sizeof *ids);
    if (!ids) {
        done(s);
        return ERR_NOMEM;
    }
    int64_t k = 0;
    while (k <= n && sqlite3_step(s) == SQLITE_ROW)
        ids[k++] = sqlite3_column_int64(s, 0);
    done(s);
    int64_t step = SORT_SPACE / (k + 1);
    for (int64_t i = 0; i < k && rc == 0; i++)
        rc = sort_set(st, ids[i], (i + 1) * step);
    for (int64_t i = 0; i < k && rc == 0; i++)
        rc = store_trainer_reindex(st, ids[i]);
    free(ids);
    return rc;
}

/* Places trainer tid (whose sort_name is name) in name order: removes its old index row and
 * gives it a key between its neighbours. The caller reindexes it. */
static int sort_place(struct store *st, int64_t tid, int64_t old_key, const char *name)
{
    int rc;
    if (old_key) {
        sqlite3_stmt *d = stmt(st, S_FTS_DELETE);
        if (!d)
            return ERR_STORE;
        sqlite3_bind_int64(d, 1, old_key);
        if ((rc = run(st, d, "fts_delete")) != 0)
            return rc;
        if ((rc = sort_set(st, tid, 0)) != 0)
            return rc;
    }
    int64_t prev = 0, next = SORT_SPACE;
    if ((rc = sort_neighbour(st, S_SORT_PREV, name, tid, &prev)) != 0 ||
        (rc = sort_neighbour(st, S_SORT_NEXT, name, tid, &next)) != 0)
        return rc;
    if (next - prev < 2)
        return sort_renumber(st);
    return sort_set(st, tid, prev + (next - prev) / 2);
}

int store_trainer_put(struct store *st, const struct trainer *t, int64_t now, int64_t *id)
{
    struct buf name;
    buf_init(&name, 1024);
    int64_t old_key = 0;
    bool placed = false;
    int rc = ERR_STORE;
    if (t->id) {
        sqlite3_stmt *g = stmt(st, S_SORT_GET);
        if (!g)
            goto done;
        sqlite3_bind_int64(g, 1, t->id);
        int step = sqlite3_step(g);
        if (step == SQLITE_ROW) {
            old_key = sqlite3_column_int64(g, 0);
            buf_puts(&name, col_text(g, 1));
        }
        done(g);
        if (step != SQLITE_ROW) {
            rc = step == SQLITE_DONE ? ERR_NOTFOUND : fail_db(st, "sort_get");
            goto done;
        }
    }
    struct buf raw;
    buf_init(&raw, 1024);
    buf_printf(&raw, "%s %s", t->last_name, t->first_name);
    struct buf folded;
    buf_init(&folded, 1024);
    rc = raw.err ? raw.err : text_fold(raw.data, raw.len, &folded);
    buf_free(&raw);
    if (rc) {
        buf_free(&folded);
        goto done;
    }
    placed = old_key && strcmp(name.data, folded.data) == 0;
    sqlite3_stmt *s = stmt(st, t->id ? S_TRAINER_UPDATE : S_TRAINER_INSERT);
    if (!s) {
        buf_free(&folded);
        rc = ERR_STORE;
        goto done;
    }
    if (t->id)
        sqlite3_bind_int64(s, 1, t->id);
    bind_text(s, 2, t->last_name);
    bind_text(s, 3, t->first_name);
    bind_text(s, 4, t->email);
    bind_text(s, 5, t->institution);
    bind_text(s, 6, t->corps);
    bind_text(s, 7, t->degree);
    bind_text(s, 8, t->discipline);
    bind_text(s, 9, t->site);
    sqlite3_bind_int(s, 10, (int)t->weekdays);
    sqlite3_bind_int(s, 11, t->hours_quota);
    bind_text(s, 12, t->bio);
    sqlite3_bind_int64(s, 13, now);
    bind_text(s, 14, folded.data);
    rc = run(st, s, "trainer_put");
    int64_t tid = t->id ? t->id : sqlite3_last_insert_rowid(st->db);
    if (rc == 0 && !placed)
        rc = sort_place(st, tid, old_key, folded.data);
    buf_free(&folded);
    if (rc)
        goto done;
    if (id)
        *id = tid;
    rc = store_trainer_reindex(st, tid);
done:
    buf_free(&name);
    return rc;
}

int store_trainer_count(struct store *st, int64_t *n)
{
    sqlite3_stmt *s = stmt(st, S_TRAINER_COUNT);
    if (!s)
        return ERR_STORE;
    return count_of(st, s, n, "trainer_count");
}

int store_trainer_competence_declare(struct store *st, int64_t trainer_id, int64_t competence_id,
                                     int level, int64_t now)
{
    sqlite3_stmt *s = stmt(st, S_TC_DECLARE);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, trainer_id);
    sqlite3_bind_int64(s, 2, competence_id);
    sqlite3_bind_int(s, 3, level);
    sqlite3_bind_int64(s, 4, now);
    return run(st, s, "competence_declare");
}

int store_trainer_competence_remove(struct store *st, int64_t trainer_id, int64_t competence_id)
{
    return exec_ids(st, S_TC_REMOVE, trainer_id, competence_id, "competence_remove");
}

int store_trainer_competence_state(struct store *st, int64_t trainer_id, int64_t competence_id,
                                   enum competence_state *state, int *level)
{
    sqlite3_stmt *s = stmt(st, S_TC_STATE);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, trainer_id);
    sqlite3_bind_int64(s, 2, competence_id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        int si = competence_state_parse(col_text(s, 0));
        *state = si < 0 ? COMPETENCE_DECLARED : (enum competence_state)si;
        if (level)
            *level = sqlite3_column_int(s, 1);
    }
    done(s);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? ERR_NOTFOUND : fail_db(st, "competence_state");
}

int store_trainer_competence_decide(struct store *st, int64_t trainer_id, int64_t competence_id,
                                    enum competence_state to, const char *reason,
                                    int64_t decided_by, int64_t now)
{
    sqlite3_stmt *s = stmt(st, S_TC_DECIDE);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, trainer_id);
    sqlite3_bind_int64(s, 2, competence_id);
    bind_text(s, 3, competence_state_code(to));
    bind_text(s, 4, reason ? reason : "");
    if (decided_by)
        sqlite3_bind_int64(s, 5, decided_by);
    else
        sqlite3_bind_null(s, 5);
    sqlite3_bind_int64(s, 6, now);
    int rc = run(st, s, "competence_decide");
    if (rc)
        return rc;
    if (sqlite3_changes(st->db) == 0)
        return ERR_CONFLICT; /* decided meanwhile by someone else */
    return store_trainer_reindex(st, trainer_id);
}

int store_trainer_competence_set(struct store *st, int64_t trainer_id, int64_t competence_id,
                                 int level, enum competence_state state, const char *reason,
                                 int64_t decided_by, int64_t declared_at, int64_t decided_at)
{
    sqlite3_stmt *s = stmt(st, S_TC_SET);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, trainer_id);
    sqlite3_bind_int64(s, 2, competence_id);
    sqlite3_bind_int(s, 3, level);
    bind_text(s, 4, competence_state_code(state));
    bind_text(s, 5, reason ? reason : "");
    sqlite3_bind_int64(s, 6, declared_at);
    if (decided_by)
        sqlite3_bind_int64(s, 7, decided_by);
    else
        sqlite3_bind_null(s, 7);
    if (decided_at)
        sqlite3_bind_int64(s, 8, decided_at);
    else
        sqlite3_bind_null(s, 8);
    return run(st, s, "competence_set");
}

int store_trainer_experience_add(struct store *st, int64_t trainer_id, const char *kind,
                                 const char *title, int year, int hours)
{
    sqlite3_stmt *s = stmt(st, S_EXPERIENCE_ADD);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, trainer_id);
    bind_text(s, 2, kind);
    bind_text(s, 3, title);
    sqlite3_bind_int(s, 4, year);
    sqlite3_bind_int(s, 5, hours);
    return run(st, s, "experience_add");
}

int store_trainer_experience_remove(struct store *st, int64_t trainer_id, int64_t experience_id)
{
    int rc = exec_ids(st, S_EXPERIENCE_REMOVE, trainer_id, experience_id, "experience_remove");
    if (rc == 0 && sqlite3_changes(st->db) == 0)
        return ERR_NOTFOUND;
    return rc;
}

/* One text column of a one-row statement keyed by id, analysed into search terms; for
 * S_INDEX_TEXT, the filter tokens too, and the trainer's sort key in *key. */
static int terms_of(struct store *st, enum stmt id, int64_t trainer_id, struct buf *out,
                    int64_t *key)
{
    sqlite3_stmt *s = stmt(st, id);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, trainer_id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) {
        done(s);
        return rc == SQLITE_DONE ? ERR_NOTFOUND : fail_db(st, "terms");
    }
    const char *text = col_text(s, 0);
    rc = text_terms(text, strlen(text), out);
    if (rc == 0 && id == S_INDEX_TEXT) {
        struct filter_values v = {
            .degree = col_text(s, 1),
            .site = col_text(s, 2),
            .discipline = col_text(s, 3),
            .institution = col_text(s, 4),
            .weekdays = (unsigned)sqlite3_column_int(s, 5),
            .validated = sqlite3_column_int(s, 7) != 0,
        };
        *key = sqlite3_column_int64(s, 6);
        filter_tokens(&v, out);
        rc = out->err;
    }
    done(s);
    return rc;
}

int store_trainer_reindex(struct store *st, int64_t trainer_id)
{
    struct buf terms, vterms;
    buf_init(&terms, 1 << 20);
    buf_init(&vterms, 1 << 20);
    int64_t key = 0;
    int rc = terms_of(st, S_INDEX_TEXT, trainer_id, &terms, &key);
    if (rc == 0)
        rc = terms_of(st, S_INDEX_VTEXT, trainer_id, &vterms, NULL);
    if (rc == 0 && key == 0)
        rc = ERR_CONFLICT; /* no sort key: store_trainer_put assigns one first */
    sqlite3_stmt *d = rc ? NULL : stmt(st, S_FTS_DELETE);
    sqlite3_stmt *i = rc ? NULL : stmt(st, S_FTS_INSERT);
    if (rc == 0 && (!d || !i))
        rc = ERR_STORE;
    if (rc == 0) {
        sqlite3_bind_int64(d, 1, key);
        rc = run(st, d, "fts_delete");
    }
    if (rc == 0) {
        sqlite3_bind_int64(i, 1, key);
        bind_text(i, 2, terms.data);
        bind_text(i, 3, vterms.data);
        rc = run(st, i, "fts_insert");
    }
    if (rc == 0) {
        sqlite3_stmt *g = stmt(st, S_GEN_BUMP);
        rc = g ? run(st, g, "generation_bump") : ERR_STORE;
    }
    buf_free(&terms);
    buf_free(&vterms);
    return rc;
}

int store_validation_queue(struct store *st, const char *discipline, const char *site, int limit,
                           int offset, json_t **items, int64_t *total)
{
    sqlite3_stmt *c = stmt(st, S_QUEUE_COUNT);
    sqlite3_stmt *s = stmt(st, S_QUEUE);
    if (!c || !s)
        return ERR_STORE;
    bind_text(c, 3, discipline);
    bind_text(c, 4, site);
    int rc = count_of(st, c, total, "queue_count");
    if (rc)
        return rc;
    sqlite3_bind_int(s, 1, limit);
    sqlite3_bind_int(s, 2, offset);
    bind_text(s, 3, discipline);
    bind_text(s, 4, site);
    json_t *arr = json_array();
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *row_site = col_text(s, 8);
        const char *sl = trainer_site_label(row_site);
        int level = sqlite3_column_int(s, 5);
        const char *ll = competence_level_label(level);
        json_array_append_new(
            arr, json_pack("{sI ss sI ss ss si ss sI ss ss ss ss}", "trainer_id",
                           (json_int_t)sqlite3_column_int64(s, 0), "trainer_name", col_text(s, 1),
                           "competence_id", (json_int_t)sqlite3_column_int64(s, 2), "code",
                           col_text(s, 3), "label", col_text(s, 4), "level", level, "level_label",
                           ll ? ll : "", "declared_at", (json_int_t)sqlite3_column_int64(s, 6),
                           "discipline", col_text(s, 7), "site", sl ? sl : row_site, "degree",
                           col_text(s, 9), "institution", col_text(s, 10)));
    }
    done(s);
    if (rc != SQLITE_DONE) {
        json_decref(arr);
        return fail_db(st, "queue");
    }
    *items = arr;
    return 0;
}

int store_trainer_each(struct store *st, int (*fn)(void *arg, json_t *row), void *arg)
{
    /* Ids first, then one profile at a time: the callback may use this connection. */
    sqlite3_stmt *s = stmt(st, S_TRAINER_IDS);
    if (!s)
        return ERR_STORE;
    size_t n = 0, cap = 1024;
    int64_t *ids = malloc(cap * sizeof *ids);
    if (!ids) {
        done(s);
        return ERR_NOMEM;
    }
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (n == cap) {
            int64_t *p = realloc(ids, 2 * cap * sizeof *ids);
            if (!p) {
                done(s);
                free(ids);
                return ERR_NOMEM;
            }
            ids = p;
            cap *= 2;
        }
        ids[n++] = sqlite3_column_int64(s, 0);
    }
    done(s);
    if (rc != SQLITE_DONE) {
        free(ids);
        return fail_db(st, "trainer_ids");
    }
    rc = 0;
    for (size_t k = 0; k < n && rc == 0; k++) {
        json_t *row = NULL;
        rc = store_trainer_get(st, ids[k], &row);
        if (rc == 0) {
            rc = fn(arg, row);
            json_decref(row);
        }
    }
    free(ids);
    return rc;
}

/* The proposal pool lives in the search snapshot. A stale snapshot is never used here: a
 * proposal on yesterday's map could offer a trainer whose competence was just refused, so a
 * fresh one is built in this thread (and installed for the next callers). */
int store_proposal_pool(struct store *st, const struct prop_pool **pool, void **ref)
{
    struct snapshot *sn = st->cache ? snapshot_get(st) : NULL;
    if (!sn) {
        int rc = snapshot_build(st, &sn);
        if (rc)
            return rc;
        if (st->cache) {
            sn->refs++; /* the caller's, beside the cache's */
            snapshot_install(st->cache, sn);
        }
    }
    *pool = sn->pool;
    *ref = sn;
    return 0;
}

void store_proposal_pool_release(struct store *st, void *ref)
{
    struct snapshot *sn = ref;
    if (!sn)
        return;
    if (st->cache)
        snapshot_unref(st->cache, sn);
    else
        snapshot_free(sn);
}
