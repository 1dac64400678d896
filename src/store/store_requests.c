/*
 * SQLite queries of the training requests (store.h, "training requests"): the request rows, the
 * coordinator's queue order, and the history of transitions. Statements live in the slots of
 * store_internal.h from STORE_SLOT_REQUESTS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "store/store.h"
#include "store/store_internal.h"

enum {
    R_ADD = STORE_SLOT_REQUESTS,
    R_GET,
    R_HISTORY,
    R_LIST,
    R_COUNT,
    R_MOVE,
    R_TRANSITION_ADD,
    R_CAMPAIGN_GET,
    R_CAMPAIGN_PUT,
    R_SET_DETAILS,
    R_END
};

_Static_assert((int)R_END <= STORE_SLOT_MISSIONS, "store_requests.c: too many statements");

#define REQUEST_COLUMNS                                                                            \
    "SELECT r.id, r.kind, r.dispositif, r.title, r.description, r.requester_id,"                   \
    " COALESCE(u.login, ''), COALESCE(u.display_name, ''), r.scope_kind, r.scope_value, r.state,"  \
    " r.level, r.details, r.created_at, r.submitted_at, r.deadline_at, r.updated_at"               \
    " FROM training_request r LEFT JOIN app_user u ON u.id = r.requester_id"

#define REQUEST_FILTER                                                                             \
    " WHERE (?1 IS NULL OR r.state = ?1) AND (?2 IS NULL OR r.kind = ?2)"                          \
    " AND (?3 = 0 OR r.requester_id = ?3)"

static const char *const sql[R_END - STORE_SLOT_REQUESTS] = {
    [R_ADD - STORE_SLOT_REQUESTS] =
        "INSERT INTO training_request (kind, dispositif, title, description, requester_id,"
        " scope_kind, scope_value, state, details, created_at, submitted_at, deadline_at,"
        " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, NULLIF(?11, 0),"
        " NULLIF(?12, 0), ?10)",
    [R_GET - STORE_SLOT_REQUESTS] = REQUEST_COLUMNS " WHERE r.id = ?1",
    [R_HISTORY - STORE_SLOT_REQUESTS] =
        "SELECT from_state, to_state, actor_login, reason, at FROM request_transition"
        " WHERE request_id = ?1 ORDER BY id",
    [R_LIST - STORE_SLOT_REQUESTS] = REQUEST_COLUMNS REQUEST_FILTER
    " ORDER BY r.deadline_at IS NULL, r.deadline_at, r.id DESC LIMIT ?4 OFFSET ?5",
    [R_COUNT - STORE_SLOT_REQUESTS] = "SELECT count(*) FROM training_request r" REQUEST_FILTER,
    [R_MOVE - STORE_SLOT_REQUESTS] =
        "UPDATE training_request SET state = ?3, level = CASE WHEN ?4 = 0 THEN level ELSE ?4 END,"
        " submitted_at = CASE WHEN ?5 = 0 THEN submitted_at ELSE ?5 END,"
        " deadline_at = CASE WHEN ?6 = 0 THEN deadline_at ELSE ?6 END, updated_at = ?7"
        " WHERE id = ?1 AND state = ?2",
    [R_TRANSITION_ADD - STORE_SLOT_REQUESTS] =
        "INSERT INTO request_transition (request_id, from_state, to_state, actor_id,"
        " actor_login, reason, at) VALUES (?1, ?2, ?3, NULLIF(?4, 0), ?5, ?6, ?7)",
    [R_SET_DETAILS - STORE_SLOT_REQUESTS] =
        "UPDATE training_request SET details = ?2, updated_at = ?3 WHERE id = ?1",
    [R_CAMPAIGN_GET - STORE_SLOT_REQUESTS] =
        "SELECT overrides FROM campaign_setting WHERE first_year = ?1",
    [R_CAMPAIGN_PUT - STORE_SLOT_REQUESTS] =
        "INSERT INTO campaign_setting (first_year, overrides, updated_by, updated_at)"
        " VALUES (?1, ?2, NULLIF(?3, 0), ?4) ON CONFLICT (first_year) DO UPDATE SET"
        " overrides = excluded.overrides, updated_by = excluded.updated_by,"
        " updated_at = excluded.updated_at",
};

static sqlite3_stmt *q(struct store *st, int id)
{
    return store_stmt(st, id, sql[id - STORE_SLOT_REQUESTS]);
}

static json_t *nullable(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL ? json_null()
                                                    : json_integer(sqlite3_column_int64(s, i));
}

static json_t *request_json(sqlite3_stmt *s)
{
    json_t *details = json_loads(store_col_text(s, 12), 0, NULL);
    return json_pack(
        "{sI ss ss ss ss so ss ss ss ss ss so so sI so so sI}", "id",
        (json_int_t)sqlite3_column_int64(s, 0), "kind", store_col_text(s, 1), "dispositif",
        store_col_text(s, 2), "title", store_col_text(s, 3), "description", store_col_text(s, 4),
        "requester_id", nullable(s, 5), "requester_login", store_col_text(s, 6), "requester_name",
        store_col_text(s, 7), "scope_kind", store_col_text(s, 8), "scope_value",
        store_col_text(s, 9), "state", store_col_text(s, 10), "level", nullable(s, 11), "details",
        details ? details : json_object(), "created_at", (json_int_t)sqlite3_column_int64(s, 13),
        "submitted_at", nullable(s, 14), "deadline_at", nullable(s, 15), "updated_at",
        (json_int_t)sqlite3_column_int64(s, 16));
}

int store_request_add(struct store *st, const struct request_row *r, int64_t now, int64_t *id)
{
    sqlite3_stmt *s = q(st, R_ADD);
    if (!s)
        return ERR_STORE;
    const char *t[] = {r->kind, r->dispositif, r->title, r->description};
    for (int i = 0; i < 4; i++)
        store_bind_text(s, i + 1, t[i]);
    if (r->requester_id)
        sqlite3_bind_int64(s, 5, r->requester_id);
    else
        sqlite3_bind_null(s, 5);
    store_bind_text(s, 6, r->scope_kind ? r->scope_kind : "none");
    store_bind_text(s, 7, r->scope_value ? r->scope_value : "");
    store_bind_text(s, 8, r->state);
    store_bind_text(s, 9, r->details ? r->details : "{}");
    sqlite3_bind_int64(s, 10, now);
    sqlite3_bind_int64(s, 11, r->submitted_at);
    sqlite3_bind_int64(s, 12, r->deadline_at);
    int rc = store_run(st, s, "request_add");
    if (rc == 0)
        *id = sqlite3_last_insert_rowid(store_db(st));
    return rc;
}

static int rows(struct store *st, sqlite3_stmt *s, json_t *arr)
{
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(arr, request_json(s));
    store_done(s);
    return rc == SQLITE_DONE ? 0 : store_fail(st, "requests");
}

int store_request_get(struct store *st, int64_t id, bool with_history, json_t **out)
{
    sqlite3_stmt *s = q(st, R_GET);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, id);
    json_t *arr = json_array();
    int rc = rows(st, s, arr);
    if (rc == 0 && json_array_size(arr) == 0)
        rc = ERR_NOTFOUND;
    json_t *r = rc ? NULL : json_incref(json_array_get(arr, 0));
    json_decref(arr);
    if (rc)
        return rc;
    if (with_history) {
        sqlite3_stmt *h = q(st, R_HISTORY);
        json_t *hist = json_array();
        if (!h) {
            rc = ERR_STORE;
        } else {
            static const char *const keys[] = {"from", "to", "actor_login", "reason", "#at", NULL};
            sqlite3_bind_int64(h, 1, id);
            rc = store_rows(st, h, keys, hist);
        }
        json_object_set_new(r, "transitions", hist);
    }
    if (rc) {
        json_decref(r);
        return rc;
    }
    *out = r;
    return 0;
}

static void bind_filter(sqlite3_stmt *s, const char *state, const char *kind, int64_t requester)
{
    store_bind_text(s, 1, state);
    store_bind_text(s, 2, kind);
    sqlite3_bind_int64(s, 3, requester);
}

int store_request_list(struct store *st, const char *state, const char *kind, int64_t requester_id,
                       int limit, int offset, json_t **items, int64_t *total)
{
    sqlite3_stmt *c = q(st, R_COUNT), *s = q(st, R_LIST);
    if (!c || !s)
        return ERR_STORE;
    bind_filter(c, state, kind, requester_id);
    int rc = sqlite3_step(c);
    *total = rc == SQLITE_ROW ? sqlite3_column_int64(c, 0) : 0;
    store_done(c);
    if (rc != SQLITE_ROW)
        return store_fail(st, "request_count");
    bind_filter(s, state, kind, requester_id);
    sqlite3_bind_int(s, 4, limit);
    sqlite3_bind_int(s, 5, offset);
    json_t *arr = json_array();
    rc = rows(st, s, arr);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *items = arr;
    return 0;
}

int store_request_move(struct store *st, int64_t id, const struct request_move *m, int64_t now)
{
    sqlite3_stmt *s = q(st, R_MOVE), *t = q(st, R_TRANSITION_ADD);
    if (!s || !t)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, id);
    store_bind_text(s, 2, m->from);
    store_bind_text(s, 3, m->to);
    sqlite3_bind_int(s, 4, m->level);
    sqlite3_bind_int64(s, 5, m->submitted_at);
    sqlite3_bind_int64(s, 6, m->deadline_at);
    sqlite3_bind_int64(s, 7, now);
    int rc = store_run(st, s, "request_move");
    if (rc == 0 && sqlite3_changes(store_db(st)) != 1)
        return ERR_CONFLICT; /* moved by someone else meanwhile */
    if (rc)
        return rc;
    sqlite3_bind_int64(t, 1, id);
    store_bind_text(t, 2, m->from);
    store_bind_text(t, 3, m->to);
    sqlite3_bind_int64(t, 4, m->actor_id);
    store_bind_text(t, 5, m->actor_login);
    store_bind_text(t, 6, m->reason ? m->reason : "");
    sqlite3_bind_int64(t, 7, now);
    return store_run(st, t, "request_transition_add");
}

int store_campaign_overrides(struct store *st, int first_year, json_t **out)
{
    sqlite3_stmt *s = q(st, R_CAMPAIGN_GET);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int(s, 1, first_year);
    int rc = sqlite3_step(s);
    *out = rc == SQLITE_ROW ? json_loads(store_col_text(s, 0), 0, NULL) : NULL;
    store_done(s);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return 0;
    return store_fail(st, "campaign_get");
}

int store_campaign_put(struct store *st, int first_year, const char *overrides, int64_t user_id,
                       int64_t now)
{
    sqlite3_stmt *s = q(st, R_CAMPAIGN_PUT);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int(s, 1, first_year);
    store_bind_text(s, 2, overrides);
    sqlite3_bind_int64(s, 3, user_id);
    sqlite3_bind_int64(s, 4, now);
    return store_run(st, s, "campaign_put");
}

int store_request_set_details(struct store *st, int64_t id, const char *details, int64_t now)
{
    sqlite3_stmt *s = q(st, R_SET_DETAILS);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, id);
    store_bind_text(s, 2, details);
    sqlite3_bind_int64(s, 3, now);
    int rc = store_run(st, s, "request_set_details");
    return rc == 0 && sqlite3_changes(store_db(st)) == 0 ? ERR_NOTFOUND : rc;
}
