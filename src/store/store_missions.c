/*
 * SQLite queries of the work on a request once validated (store.h, "trainers on requests,
 * sessions, inbox"): the trainers assigned and their answers, the hours they commit per school
 * year, the sessions, the time conflicts between them, and the inbox with its outbox.
 * Statements live in the slots of store_internal.h from STORE_SLOT_MISSIONS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "store/store.h"
#include "store/store_internal.h"

enum {
    M_ADD = STORE_SLOT_MISSIONS,
    M_ANSWER,
    M_REMOVE,
    M_CLEAR,
    M_DECLARE,
    M_VALIDATE_HOURS,
    M_OF_REQUEST,
    M_OF_TRAINER,
    M_HOURS,
    M_FLOWS,
    S_ADD,
    S_REMOVE,
    S_OF_REQUEST,
    S_OF_TRAINER,
    S_BUSY,
    S_CONFLICT,
    N_ADD,
    N_OUTBOX,
    N_LIST,
    N_UNREAD,
    N_READ,
    N_ROLE_USERS,
    N_TRAINER_USER,
    N_OUTBOX_LIST,
    N_OUTBOX_TO,
    S_BETWEEN,
    N_DUE,
    L_UAI,
    L_CIRCO,
    M_END
};

_Static_assert((int)M_END <= STORE_EXT_STMTS, "store_missions.c: too many statements");

/* A trainer's account name, or the trainer's own. */
#define TRAINER_NAME "t.first_name || ' ' || t.last_name"

static const char *const sql[M_END - STORE_SLOT_MISSIONS] = {
    [M_ADD - STORE_SLOT_MISSIONS] =
        "INSERT INTO request_trainer (request_id, trainer_id, slot, hours, year, state, score,"
        " owner_side, trainer_side, assigned_by, assigned_at)"
        " SELECT ?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?9,"
        " CASE i.kind WHEN 'inspe' THEN 'university' WHEN 'universite' THEN 'university'"
        " WHEN 'rectorat' THEN 'rectorat' ELSE 'other' END, NULLIF(?7, 0), ?8"
        " FROM trainer t JOIN institution i ON i.id = t.institution_id WHERE t.id = ?2",
    [M_ANSWER - STORE_SLOT_MISSIONS] =
        "UPDATE request_trainer SET state = ?4, reason = ?5, answered_at = ?6"
        " WHERE request_id = ?1 AND trainer_id = ?2 AND state = ?3",
    [M_REMOVE - STORE_SLOT_MISSIONS] =
        "DELETE FROM request_trainer WHERE request_id = ?1 AND trainer_id = ?2",
    [M_CLEAR - STORE_SLOT_MISSIONS] = "DELETE FROM request_trainer WHERE request_id = ?1",
    [M_DECLARE - STORE_SLOT_MISSIONS] =
        "UPDATE request_trainer SET declared_hours = ?3, declared_at = ?4"
        " WHERE request_id = ?1 AND trainer_id = ?2 AND state = 'accepted'"
        " AND hours_validated_at IS NULL",
    /* undeclared hours are taken as planned */
    [M_VALIDATE_HOURS - STORE_SLOT_MISSIONS] =
        "UPDATE request_trainer SET declared_hours = COALESCE(declared_hours, hours),"
        " hours_validated_at = ?2 WHERE request_id = ?1 AND state = 'accepted'",
    [M_OF_REQUEST - STORE_SLOT_MISSIONS] =
        "SELECT rt.trainer_id, " TRAINER_NAME ", t.degree, t.site, t.email, i.name, i.kind,"
        " rt.slot, rt.hours, rt.state, rt.reason, rt.score, rt.assigned_at, rt.answered_at,"
        " rt.declared_hours, rt.hours_validated_at,"
        " (SELECT u.id FROM app_user u WHERE u.trainer_id = t.id AND u.disabled = 0"
        "  ORDER BY u.id LIMIT 1)"
        " FROM request_trainer rt JOIN trainer t ON t.id = rt.trainer_id"
        " JOIN institution i ON i.id = t.institution_id"
        " WHERE rt.request_id = ?1 ORDER BY rt.slot, rt.assigned_at, rt.trainer_id",
    [M_OF_TRAINER - STORE_SLOT_MISSIONS] =
        "SELECT r.id, r.kind, r.title, r.state, rt.slot, rt.hours, rt.state, rt.reason,"
        " rt.assigned_at, (SELECT min(starts_at) FROM request_session s"
        "  WHERE s.request_id = r.id), (SELECT count(*) FROM request_session s"
        "  WHERE s.request_id = r.id)"
        " FROM request_trainer rt JOIN training_request r ON r.id = rt.request_id"
        " WHERE rt.trainer_id = ?1 ORDER BY rt.state <> 'pending', rt.assigned_at DESC, r.id",
    [M_HOURS - STORE_SLOT_MISSIONS] =
        "SELECT trainer_id, sum(COALESCE(declared_hours, hours)) FROM request_trainer"
        " WHERE year = ?1 AND state <> 'declined'"
        " AND request_id NOT IN (SELECT id FROM training_request WHERE state = 'cancelled')"
        " GROUP BY trainer_id",
    [M_FLOWS - STORE_SLOT_MISSIONS] =
        "SELECT owner_side, trainer_side, sum(COALESCE(declared_hours, hours)) FROM request_trainer"
        " WHERE year = ?1 AND state <> 'declined'"
        " AND request_id NOT IN (SELECT id FROM training_request WHERE state = 'cancelled')"
        " GROUP BY owner_side, trainer_side",
    [S_ADD - STORE_SLOT_MISSIONS] =
        "INSERT INTO request_session (request_id, starts_at, ends_at, place, modality,"
        " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [S_REMOVE - STORE_SLOT_MISSIONS] =
        "DELETE FROM request_session WHERE request_id = ?1 AND id = ?2",
    [S_OF_REQUEST - STORE_SLOT_MISSIONS] =
        "SELECT id, starts_at, ends_at, place, modality FROM request_session"
        " WHERE request_id = ?1 ORDER BY starts_at, id",
    [S_OF_TRAINER - STORE_SLOT_MISSIONS] =
        "SELECT s.id, s.starts_at, s.ends_at, s.place, s.modality, r.id, r.title, r.state,"
        " rt.state, r.updated_at FROM request_trainer rt"
        " JOIN request_session s ON s.request_id = rt.request_id"
        " JOIN training_request r ON r.id = rt.request_id"
        " WHERE rt.trainer_id = ?1 AND rt.state <> 'declined' ORDER BY s.starts_at, s.id",
    /* Trainers (not declined) of other requests with a session overlapping [?2, ?3). */
    [S_BUSY - STORE_SLOT_MISSIONS] =
        "SELECT rt.trainer_id, s.request_id, s.starts_at, s.ends_at FROM request_session s"
        " JOIN request_trainer rt ON rt.request_id = s.request_id AND rt.state <> 'declined'"
        " JOIN training_request r ON r.id = s.request_id"
        " WHERE s.request_id <> ?1 AND s.starts_at < ?3 AND s.ends_at > ?2"
        " AND r.state NOT IN ('cancelled', 'refused', 'withdrawn')",
    /* The first session of another request that trainer ?1 gives and that overlaps. */
    [S_CONFLICT - STORE_SLOT_MISSIONS] =
        "SELECT s.request_id, r.title, s.starts_at, s.ends_at FROM request_session s"
        " JOIN request_trainer rt ON rt.request_id = s.request_id AND rt.state <> 'declined'"
        " JOIN training_request r ON r.id = s.request_id"
        " WHERE rt.trainer_id = ?1 AND s.request_id <> ?2 AND s.starts_at < ?4"
        " AND s.ends_at > ?3 AND r.state NOT IN ('cancelled', 'refused', 'withdrawn')"
        " ORDER BY s.starts_at LIMIT 1",
    [N_ADD - STORE_SLOT_MISSIONS] =
        "INSERT INTO notification (user_id, kind, request_id, title, link, created_at)"
        " VALUES (?1, ?2, NULLIF(?3, 0), ?4, ?5, ?6)",
    /* The outbox line of a notification, when its user has an address (their own, or their
     * trainer record's). */
    [N_OUTBOX - STORE_SLOT_MISSIONS] =
        "INSERT INTO outbox (notification_id, to_address, subject, body, created_at)"
        " SELECT ?1, a.addr, ?3, ?4, ?5 FROM (SELECT COALESCE(NULLIF(u.email, ''), t.email, '')"
        "  AS addr FROM app_user u LEFT JOIN trainer t ON t.id = u.trainer_id"
        "  WHERE u.id = ?2 AND u.disabled = 0) a WHERE a.addr <> ''",
    [N_LIST - STORE_SLOT_MISSIONS] =
        "SELECT id, kind, request_id, title, link, created_at, read_at FROM notification"
        " WHERE user_id = ?1 ORDER BY read_at IS NOT NULL, id DESC LIMIT ?2",
    [N_UNREAD - STORE_SLOT_MISSIONS] =
        "SELECT count(*) FROM notification WHERE user_id = ?1 AND read_at IS NULL",
    [N_READ - STORE_SLOT_MISSIONS] =
        "UPDATE notification SET read_at = ?3 WHERE user_id = ?1 AND (?2 = 0 OR id = ?2)"
        " AND read_at IS NULL",
    [N_ROLE_USERS - STORE_SLOT_MISSIONS] =
        "SELECT id FROM app_user WHERE role = ?1 AND disabled = 0 ORDER BY id",
    [N_TRAINER_USER - STORE_SLOT_MISSIONS] =
        "SELECT id FROM app_user WHERE trainer_id = ?1 AND disabled = 0 ORDER BY id LIMIT 1",
    [N_OUTBOX_LIST - STORE_SLOT_MISSIONS] =
        "SELECT id, to_address, subject, body, created_at FROM outbox WHERE sent_at IS NULL"
        " ORDER BY id LIMIT ?1",
    [N_OUTBOX_TO - STORE_SLOT_MISSIONS] =
        "INSERT INTO outbox (to_address, subject, body, created_at) VALUES (?1, ?2, ?3, ?4)",
    [S_BETWEEN - STORE_SLOT_MISSIONS] =
        "SELECT rt.trainer_id, s.starts_at, s.ends_at FROM request_session s"
        " JOIN request_trainer rt ON rt.request_id = s.request_id AND rt.state <> 'declined'"
        " JOIN training_request r ON r.id = s.request_id"
        " WHERE s.starts_at < ?2 AND s.ends_at > ?1"
        " AND r.state NOT IN ('cancelled', 'refused', 'withdrawn')",
    [N_DUE - STORE_SLOT_MISSIONS] =
        "SELECT r.id, r.title, r.deadline_at FROM training_request r"
        " WHERE r.state IN ('submitted', 'triaged', 'forwarded') AND r.deadline_at IS NOT NULL"
        " AND r.deadline_at <= ?1 AND NOT EXISTS (SELECT 1 FROM notification n"
        "  WHERE n.request_id = r.id AND n.kind = 'deadline.near')"
        " ORDER BY r.deadline_at LIMIT 200",
    [L_UAI - STORE_SLOT_MISSIONS] = "SELECT departement, kind FROM establishment WHERE uai = ?1",
    [L_CIRCO - STORE_SLOT_MISSIONS] =
        "SELECT departement, '' FROM circonscription WHERE code = ?1 OR name = ?1 LIMIT 1",
};

static sqlite3_stmt *q(struct store *st, int id)
{
    return store_stmt(st, id, sql[id - STORE_SLOT_MISSIONS]);
}

/* Runs s, then ERR_NOTFOUND / ERR_CONFLICT (as `none`) when it changed no row. */
static int run_one(struct store *st, sqlite3_stmt *s, const char *what, int none)
{
    int rc = store_run(st, s, what);
    return rc == 0 && sqlite3_changes(store_db(st)) == 0 ? none : rc;
}

int store_mission_add(struct store *st, const struct mission_row *m, int64_t now)
{
    sqlite3_stmt *s = q(st, M_ADD);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, m->request_id);
    sqlite3_bind_int64(s, 2, m->trainer_id);
    store_bind_text(s, 3, m->slot);
    sqlite3_bind_int(s, 4, m->hours);
    sqlite3_bind_int(s, 5, m->year);
    sqlite3_bind_int(s, 6, m->score);
    sqlite3_bind_int64(s, 7, m->assigned_by);
    sqlite3_bind_int64(s, 8, now);
    store_bind_text(s, 9, m->owner_side ? m->owner_side : "rectorat");
    int rc = store_run(st, s, "mission_add");
    return rc == 0 && sqlite3_changes(store_db(st)) == 0 ? ERR_NOTFOUND : rc;
}

int store_mission_answer(struct store *st, int64_t request_id, int64_t trainer_id, const char *from,
                         const char *to, const char *reason, int64_t now)
{
    sqlite3_stmt *s = q(st, M_ANSWER);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, request_id);
    sqlite3_bind_int64(s, 2, trainer_id);
    store_bind_text(s, 3, from);
    store_bind_text(s, 4, to);
    store_bind_text(s, 5, reason ? reason : "");
    sqlite3_bind_int64(s, 6, now);
    return run_one(st, s, "mission_answer", ERR_CONFLICT);
}

int store_mission_remove(struct store *st, int64_t request_id, int64_t trainer_id)
{
    sqlite3_stmt *s = q(st, M_REMOVE);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, request_id);
    sqlite3_bind_int64(s, 2, trainer_id);
    return run_one(st, s, "mission_remove", ERR_NOTFOUND);
}

int store_missions_clear(struct store *st, int64_t request_id)
{
    sqlite3_stmt *s = q(st, M_CLEAR);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, request_id);
    return store_run(st, s, "missions_clear");
}

static int list_of(struct store *st, int slot, int64_t key, const char *const *keys, json_t **out)
{
    sqlite3_stmt *s = q(st, slot);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, key);
    json_t *arr = json_array();
    int rc = store_rows(st, s, keys, arr);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return 0;
}

int store_missions_of_request(struct store *st, int64_t request_id, json_t **out)
{
    static const char *const keys[] = {"#trainer_id",
                                       "name",
                                       "degree",
                                       "site",
                                       "email",
                                       "institution",
                                       "side",
                                       "slot",
                                       "#hours",
                                       "state",
                                       "reason",
                                       "#score",
                                       "#assigned_at",
                                       "?answered_at",
                                       "?declared_hours",
                                       "?hours_validated_at",
                                       "?user_id",
                                       NULL};
    return list_of(st, M_OF_REQUEST, request_id, keys, out);
}

int store_missions_of_trainer(struct store *st, int64_t trainer_id, json_t **out)
{
    static const char *const keys[] = {
        "#request_id", "kind",   "title",        "request_state",  "slot",      "#hours",
        "state",       "reason", "#assigned_at", "?first_session", "#sessions", NULL};
    return list_of(st, M_OF_TRAINER, trainer_id, keys, out);
}

int store_trainer_hours(struct store *st, int year,
                        int (*fn)(void *arg, int64_t trainer_id, int64_t hours), void *arg)
{
    sqlite3_stmt *s = q(st, M_HOURS);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int(s, 1, year);
    int rc, err = 0;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW)
        err = fn(arg, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1));
    store_done(s);
    if (err)
        return err;
    return rc == SQLITE_DONE ? 0 : store_fail(st, "trainer_hours");
}

int store_hours_flows(struct store *st, int year, json_t **out)
{
    static const char *const keys[] = {"owner_side", "trainer_side", "#hours", NULL};
    return list_of(st, M_FLOWS, year, keys, out);
}

int store_tsession_add(struct store *st, const struct tsession_row *r, int64_t now, int64_t *id)
{
    sqlite3_stmt *s = q(st, S_ADD);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, r->request_id);
    sqlite3_bind_int64(s, 2, r->starts_at);
    sqlite3_bind_int64(s, 3, r->ends_at);
    store_bind_text(s, 4, r->place ? r->place : "");
    store_bind_text(s, 5, r->modality);
    sqlite3_bind_int64(s, 6, now);
    int rc = store_run(st, s, "tsession_add");
    if (rc == 0 && id)
        *id = sqlite3_last_insert_rowid(store_db(st));
    return rc;
}

int store_tsession_remove(struct store *st, int64_t request_id, int64_t session_id)
{
    sqlite3_stmt *s = q(st, S_REMOVE);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, request_id);
    sqlite3_bind_int64(s, 2, session_id);
    return run_one(st, s, "session_remove", ERR_NOTFOUND);
}

int store_tsessions_of_request(struct store *st, int64_t request_id, json_t **out)
{
    static const char *const keys[] = {"#id", "#starts_at", "#ends_at", "place", "modality", NULL};
    return list_of(st, S_OF_REQUEST, request_id, keys, out);
}

int store_tsessions_of_trainer(struct store *st, int64_t trainer_id, json_t **out)
{
    static const char *const keys[] = {"#id",           "#starts_at",  "#ends_at", "place",
                                       "modality",      "#request_id", "title",    "request_state",
                                       "mission_state", "#updated_at", NULL};
    return list_of(st, S_OF_TRAINER, trainer_id, keys, out);
}

int store_busy_trainers(struct store *st, int64_t request_id, int64_t starts_at, int64_t ends_at,
                        int (*fn)(void *arg, int64_t trainer_id), void *arg)
{
    sqlite3_stmt *s = q(st, S_BUSY);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, request_id);
    sqlite3_bind_int64(s, 2, starts_at);
    sqlite3_bind_int64(s, 3, ends_at);
    int rc, err = 0;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW)
        err = fn(arg, sqlite3_column_int64(s, 0));
    store_done(s);
    if (err)
        return err;
    return rc == SQLITE_DONE ? 0 : store_fail(st, "busy_trainers");
}

int store_trainer_conflict(struct store *st, int64_t trainer_id, int64_t request_id,
                           int64_t starts_at, int64_t ends_at, json_t **out)
{
    sqlite3_stmt *s = q(st, S_CONFLICT);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, trainer_id);
    sqlite3_bind_int64(s, 2, request_id);
    sqlite3_bind_int64(s, 3, starts_at);
    sqlite3_bind_int64(s, 4, ends_at);
    static const char *const keys[] = {"#request_id", "title", "#starts_at", "#ends_at", NULL};
    json_t *arr = json_array();
    int rc = store_rows(st, s, keys, arr);
    *out = rc == 0 && json_array_size(arr) ? json_incref(json_array_get(arr, 0)) : NULL;
    json_decref(arr);
    return rc;
}

/* ---- inbox and outbox ---- */

int store_notify(struct store *st, const struct notice *n, int64_t now)
{
    sqlite3_stmt *s = q(st, N_ADD), *o = q(st, N_OUTBOX);
    if (!s || !o)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, n->user_id);
    store_bind_text(s, 2, n->kind);
    sqlite3_bind_int64(s, 3, n->request_id);
    store_bind_text(s, 4, n->title);
    store_bind_text(s, 5, n->link ? n->link : "");
    sqlite3_bind_int64(s, 6, now);
    int rc = store_run(st, s, "notify");
    if (rc)
        return rc;
    sqlite3_bind_int64(o, 1, sqlite3_last_insert_rowid(store_db(st)));
    sqlite3_bind_int64(o, 2, n->user_id);
    store_bind_text(o, 3, n->title);
    store_bind_text(o, 4, n->body ? n->body : n->title);
    sqlite3_bind_int64(o, 5, now);
    return store_run(st, o, "outbox_add");
}

int store_notifications(struct store *st, int64_t user_id, int limit, json_t **items,
                        int64_t *unread)
{
    sqlite3_stmt *c = q(st, N_UNREAD), *s = q(st, N_LIST);
    if (!c || !s)
        return ERR_STORE;
    sqlite3_bind_int64(c, 1, user_id);
    int rc = sqlite3_step(c);
    *unread = rc == SQLITE_ROW ? sqlite3_column_int64(c, 0) : 0;
    store_done(c);
    if (rc != SQLITE_ROW)
        return store_fail(st, "notification_count");
    sqlite3_bind_int64(s, 1, user_id);
    sqlite3_bind_int(s, 2, limit);
    static const char *const keys[] = {"#id",  "kind",        "?request_id", "title",
                                       "link", "#created_at", "?read_at",    NULL};
    json_t *arr = json_array();
    rc = store_rows(st, s, keys, arr);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *items = arr;
    return 0;
}

int store_notification_read(struct store *st, int64_t user_id, int64_t id, int64_t now)
{
    sqlite3_stmt *s = q(st, N_READ);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, user_id);
    sqlite3_bind_int64(s, 2, id);
    sqlite3_bind_int64(s, 3, now);
    return store_run(st, s, "notification_read");
}

int store_users_of_role(struct store *st, const char *role, int64_t *ids, int max, int *n)
{
    sqlite3_stmt *s = q(st, N_ROLE_USERS);
    if (!s)
        return ERR_STORE;
    store_bind_text(s, 1, role);
    int rc;
    *n = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        if (*n < max)
            ids[(*n)++] = sqlite3_column_int64(s, 0);
    store_done(s);
    return rc == SQLITE_DONE ? 0 : store_fail(st, "users_of_role");
}

int store_trainer_user(struct store *st, int64_t trainer_id, int64_t *user_id)
{
    sqlite3_stmt *s = q(st, N_TRAINER_USER);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, trainer_id);
    int rc = sqlite3_step(s);
    *user_id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    store_done(s);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return 0;
    return store_fail(st, "trainer_user");
}

int store_outbox_pending(struct store *st, int limit, json_t **out)
{
    static const char *const keys[] = {"#id", "to", "subject", "body", "#created_at", NULL};
    return list_of(st, N_OUTBOX_LIST, limit, keys, out);
}

/* Copies the two text columns of the first row of s (bound to key) into a and b. */
static int two_texts(struct store *st, sqlite3_stmt *s, const char *key, char *a, size_t an,
                     char *b, size_t bn)
{
    store_bind_text(s, 1, key);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        snprintf(a, an, "%s", store_col_text(s, 0));
        snprintf(b, bn, "%s", store_col_text(s, 1));
    }
    store_done(s);
    return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? ERR_NOTFOUND : store_fail(st, "locate");
}

int store_locate(struct store *st, const char *uai, const char *circo, char *site, size_t n,
                 char *kind, size_t kn)
{
    sqlite3_stmt *u = q(st, L_UAI), *c = q(st, L_CIRCO);
    if (!u || !c)
        return ERR_STORE;
    int rc = uai && *uai ? two_texts(st, u, uai, site, n, kind, kn) : ERR_NOTFOUND;
    if (rc == ERR_NOTFOUND && circo && *circo)
        rc = two_texts(st, c, circo, site, n, kind, kn);
    return rc;
}

int store_outbox_add(struct store *st, const char *to, const char *subject, const char *body,
                     int64_t now)
{
    sqlite3_stmt *s = q(st, N_OUTBOX_TO);
    if (!s)
        return ERR_STORE;
    store_bind_text(s, 1, to);
    store_bind_text(s, 2, subject);
    store_bind_text(s, 3, body);
    sqlite3_bind_int64(s, 4, now);
    return store_run(st, s, "outbox_to");
}

int store_trainer_sessions_between(struct store *st, int64_t from, int64_t until,
                                   int (*fn)(void *arg, int64_t trainer_id, int64_t starts_at,
                                             int64_t ends_at),
                                   void *arg)
{
    sqlite3_stmt *s = q(st, S_BETWEEN);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, from);
    sqlite3_bind_int64(s, 2, until);
    int rc, err = 0;
    while (!err && (rc = sqlite3_step(s)) == SQLITE_ROW)
        err = fn(arg, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1),
                 sqlite3_column_int64(s, 2));
    store_done(s);
    if (err)
        return err;
    return rc == SQLITE_DONE ? 0 : store_fail(st, "sessions_between");
}

int store_requests_due(struct store *st, int64_t before, json_t **out)
{
    static const char *const keys[] = {"#id", "title", "#deadline_at", NULL};
    return list_of(st, N_DUE, before, keys, out);
}

int store_mission_declare(struct store *st, int64_t request_id, int64_t trainer_id, int hours,
                          int64_t now)
{
    sqlite3_stmt *s = q(st, M_DECLARE);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, request_id);
    sqlite3_bind_int64(s, 2, trainer_id);
    sqlite3_bind_int(s, 3, hours);
    sqlite3_bind_int64(s, 4, now);
    return run_one(st, s, "mission_declare", ERR_CONFLICT);
}

int store_missions_validate_hours(struct store *st, int64_t request_id, int64_t now)
{
    sqlite3_stmt *s = q(st, M_VALIDATE_HOURS);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, request_id);
    sqlite3_bind_int64(s, 2, now);
    return store_run(st, s, "missions_validate_hours");
}

int store_notifications_unread(struct store *st, int64_t user_id, int64_t *n)
{
    sqlite3_stmt *c = q(st, N_UNREAD);
    if (!c)
        return ERR_STORE;
    sqlite3_bind_int64(c, 1, user_id);
    int rc = sqlite3_step(c);
    *n = rc == SQLITE_ROW ? sqlite3_column_int64(c, 0) : 0;
    store_done(c);
    return rc == SQLITE_ROW ? 0 : store_fail(st, "notification_unread");
}
