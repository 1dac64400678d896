/*
 * SQLite queries of the bureau des stages (store.h, "internship placement"): periods, places,
 * students and their wishes, runs and assignments. Statements are cached per connection in the
 * slots of store_internal.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "store/store.h"
#include "store/store_internal.h"

enum {
    P_PERIOD_ADD = STORE_SLOT_PLACEMENT,
    P_PERIOD_LIST,
    P_PERIOD_GET,
    P_PERIOD_WINDOW,
    P_PERIOD_PUBLISH,
    P_ESTAB_ID,
    P_USER_ID,
    P_PLACE_ADD,
    P_PLACE_LIST,
    P_PLACE_COUNT,
    P_PLACE_GET,
    P_STUDENT_ADD,
    P_STUDENT_LIST,
    P_STUDENT_COUNT,
    P_STUDENT_GET,
    P_STUDENT_WISHES,
    P_STUDENT_OF_USER,
    P_STUDENT_PERIODS,
    P_WISHES_DELETE,
    P_WISH_ADD,
    P_COMPATIBLE,
    P_INSTANCE_PLACES,
    P_INSTANCE_STUDENTS,
    P_RUN_ADD,
    P_ASSIGN_ADD,
    P_RUN_GET,
    P_RUN_LIST,
    P_RUN_INSTANCE,
    P_ASSIGN_LIST,
    P_ASSIGN_COUNT,
    P_ASSIGN_SET,
    P_RUN_LOADS,
    P_PUBLISHED,
    P_PERIOD_ID,
    P_STUDENT_BY_CODE,
    P_PERIOD_EXISTS,
    P_END
};

_Static_assert((int)P_END <= (int)STORE_SLOT_REQUESTS, "store_placement.c: too many statements");

#define PERIOD_COLUMNS                                                                             \
    "SELECT p.id, p.code, p.label, p.cohort, p.kind, p.starts_on, p.ends_on, p.wishes_open_at,"    \
    " p.wishes_close_at, p.max_wishes, p.published_run_id, p.published_at,"                        \
    " (SELECT count(*) FROM internship_place x WHERE x.period_id = p.id),"                         \
    " (SELECT COALESCE(sum(capacity), 0) FROM internship_place x WHERE x.period_id = p.id),"       \
    " (SELECT count(*) FROM internship_student x WHERE x.period_id = p.id),"                       \
    " (SELECT count(DISTINCT w.student_id) FROM internship_wish w JOIN internship_student x"       \
    " ON x.id = w.student_id WHERE x.period_id = p.id) FROM internship_period p"

static const char *const period_keys[] = {"#id",
                                          "code",
                                          "label",
                                          "cohort",
                                          "kind",
                                          "starts_on",
                                          "ends_on",
                                          "#wishes_open_at",
                                          "#wishes_close_at",
                                          "#max_wishes",
                                          "?published_run_id",
                                          "?published_at",
                                          "#places",
                                          "#seats",
                                          "#students",
                                          "#students_with_wishes",
                                          NULL};

#define PLACE_COLUMNS                                                                              \
    "SELECT pl.id, pl.code, e.uai, e.name, e.commune, pl.class_level, pl.tutor_name,"              \
    " pl.tutor_email, pl.capacity, pl.degree, pl.discipline, d.name, pl.site,"                     \
    " (SELECT count(*) FROM internship_wish w WHERE w.place_id = pl.id), pl.period_id"             \
    " FROM internship_place pl JOIN establishment e ON e.id = pl.establishment_id"                 \
    " JOIN discipline d ON d.code = pl.discipline"

static const char *const place_keys[] = {
    "#id",       "code",        "uai",        "establishment",
    "commune",   "class_level", "tutor_name", "tutor_email",
    "#capacity", "degree",      "discipline", "discipline_name",
    "site",      "#demand",     "#period_id", NULL};

#define STUDENT_COLUMNS                                                                            \
    "SELECT s.id, s.code, s.last_name, s.first_name, s.email, s.degree, s.discipline, d.name,"     \
    " s.site, s.priority, (SELECT count(*) FROM internship_wish w WHERE w.student_id = s.id),"     \
    " COALESCE(u.login, ''), s.period_id, s.user_id FROM internship_student s"                     \
    " JOIN discipline d ON d.code = s.discipline LEFT JOIN app_user u ON u.id = s.user_id"

static const char *const student_keys[] = {
    "#id",     "code",       "last_name",       "first_name", "email",
    "degree",  "discipline", "discipline_name", "site",       "#priority",
    "#wishes", "login",      "#period_id",      "?user_id",   NULL};

#define ASSIGN_FROM                                                                                \
    " FROM placement_assignment a JOIN internship_student s ON s.id = a.student_id"                \
    " JOIN discipline d ON d.code = s.discipline"                                                  \
    " LEFT JOIN internship_place pl ON pl.id = a.place_id"                                         \
    " LEFT JOIN establishment e ON e.id = pl.establishment_id"                                     \
    " LEFT JOIN internship_place ep ON ep.id = a.engine_place_id"                                  \
    " WHERE a.run_id = ?1 AND (?2 = 0 OR (?2 = 1 AND a.place_id IS NULL)"                          \
    " OR (?2 = 2 AND a.place_id IS NOT NULL))"                                                     \
    " AND (?3 = 0 OR a.place_id = ?3) AND (?4 = 0 OR a.student_id = ?4)"                           \
    " AND (?5 = 0 OR pl.tutor_user_id = ?5) AND (?6 IS NULL OR e.uai = ?6)"

static const char *const assignment_keys[] = {
    "#student_id", "student_code",      "last_name", "first_name",  "email",      "degree",
    "discipline",  "discipline_name",   "site",      "#priority",   "?place_id",  "place_code",
    "uai",         "establishment",     "commune",   "class_level", "tutor_name", "tutor_email",
    "#rank",       "engine_place_code", "#adjusted", NULL};

#define RUN_COLUMNS                                                                                \
    "SELECT r.id, r.period_id, r.method, r.lottery_seed, r.placed, r.rank_sum, r.rank_profile,"    \
    " r.created_at, COALESCE(u.login, 'cli'),"                                                     \
    " (SELECT count(*) FROM placement_assignment a WHERE a.run_id = r.id),"                        \
    " (SELECT count(*) FROM placement_assignment a WHERE a.run_id = r.id AND a.adjusted = 1),"     \
    " EXISTS (SELECT 1 FROM internship_period p WHERE p.published_run_id = r.id)"                  \
    " FROM placement_run r LEFT JOIN app_user u ON u.id = r.created_by"

static const char *const sql[P_END] = {
    [P_PERIOD_EXISTS] = "SELECT id FROM internship_period WHERE id = ?1",
    [P_STUDENT_BY_CODE] = "SELECT id FROM internship_student WHERE period_id = ?1 AND code = ?2",
    [P_PERIOD_ADD] = "INSERT INTO internship_period (code, label, cohort, kind, starts_on, ends_on,"
                     " wishes_open_at, wishes_close_at, max_wishes, created_at)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [P_PERIOD_LIST] = PERIOD_COLUMNS " ORDER BY p.starts_on DESC, p.id DESC",
    [P_PERIOD_GET] = PERIOD_COLUMNS " WHERE p.id = ?1",
    [P_PERIOD_WINDOW] = "UPDATE internship_period SET wishes_open_at = ?2, wishes_close_at = ?3"
                        " WHERE id = ?1",
    [P_PERIOD_PUBLISH] = "UPDATE internship_period SET published_run_id = ?2, published_at = ?3"
                         " WHERE id = ?1",
    [P_ESTAB_ID] = "SELECT id FROM establishment WHERE uai = ?1",
    [P_USER_ID] = "SELECT id FROM app_user WHERE login = ?1",
    [P_PLACE_ADD] = "INSERT INTO internship_place (period_id, code, establishment_id, class_level,"
                    " tutor_name, tutor_email, tutor_user_id, capacity, degree, discipline, site)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    [P_PLACE_LIST] = PLACE_COLUMNS " WHERE pl.period_id = ?1 AND (?2 IS NULL OR pl.degree = ?2)"
                                   " AND (?3 IS NULL OR pl.discipline = ?3)"
                                   " AND (?4 IS NULL OR pl.site = ?4)"
                                   " ORDER BY e.name, pl.code LIMIT ?5 OFFSET ?6",
    [P_PLACE_COUNT] = "SELECT count(*) FROM internship_place pl WHERE pl.period_id = ?1"
                      " AND (?2 IS NULL OR pl.degree = ?2) AND (?3 IS NULL OR pl.discipline = ?3)"
                      " AND (?4 IS NULL OR pl.site = ?4)",
    [P_PLACE_GET] = PLACE_COLUMNS " WHERE pl.id = ?1",
    [P_STUDENT_ADD] = "INSERT INTO internship_student (period_id, code, user_id, last_name,"
                      " first_name, email, degree, discipline, site, priority)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [P_STUDENT_LIST] = STUDENT_COLUMNS " WHERE s.period_id = ?1"
                                       " ORDER BY s.last_name, s.first_name, s.id"
                                       " LIMIT ?2 OFFSET ?3",
    [P_STUDENT_COUNT] = "SELECT count(*) FROM internship_student WHERE period_id = ?1",
    [P_STUDENT_GET] = STUDENT_COLUMNS " WHERE s.id = ?1",
    [P_STUDENT_WISHES] = "SELECT w.rank, pl.id, pl.code, e.name, e.commune, pl.class_level,"
                         " pl.tutor_name, pl.site FROM internship_wish w"
                         " JOIN internship_place pl ON pl.id = w.place_id"
                         " JOIN establishment e ON e.id = pl.establishment_id"
                         " WHERE w.student_id = ?1 ORDER BY w.rank",
    [P_STUDENT_OF_USER] = "SELECT id FROM internship_student WHERE period_id = ?1 AND user_id = ?2",
    [P_STUDENT_PERIODS] = "SELECT period_id, id FROM internship_student WHERE user_id = ?1"
                          " ORDER BY period_id DESC",
    [P_WISHES_DELETE] = "DELETE FROM internship_wish WHERE student_id = ?1",
    [P_WISH_ADD] = "INSERT INTO internship_wish (student_id, rank, place_id) VALUES (?1, ?2, ?3)",
    [P_COMPATIBLE] = PLACE_COLUMNS " WHERE pl.period_id = ?1 AND pl.degree = ?2"
                                   " AND pl.discipline = ?3 ORDER BY e.name, pl.code",
    [P_INSTANCE_PLACES] = "SELECT code, capacity, degree, site, discipline FROM internship_place"
                          " WHERE period_id = ?1 ORDER BY id",
    [P_INSTANCE_STUDENTS] = "SELECT s.id, s.code, s.degree, s.site, s.discipline, s.priority,"
                            " pl.code FROM internship_student s"
                            " LEFT JOIN internship_wish w ON w.student_id = s.id"
                            " LEFT JOIN internship_place pl ON pl.id = w.place_id"
                            " WHERE s.period_id = ?1 ORDER BY s.id, w.rank",
    [P_RUN_ADD] = "INSERT INTO placement_run (period_id, method, lottery_seed, instance_json,"
                  " placed, rank_sum, rank_profile, created_by, created_at)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [P_ASSIGN_ADD] = "INSERT INTO placement_assignment (run_id, student_id, place_id, rank,"
                     " engine_place_id) SELECT ?1, s.id, pl.id, ?4, pl.id"
                     " FROM placement_run r JOIN internship_student s"
                     " ON s.period_id = r.period_id AND s.code = ?2"
                     " LEFT JOIN internship_place pl ON pl.period_id = r.period_id"
                     " AND pl.code = ?3 WHERE r.id = ?1",
    [P_RUN_GET] = RUN_COLUMNS " WHERE r.id = ?1",
    [P_RUN_LIST] = RUN_COLUMNS " WHERE r.period_id = ?1 ORDER BY r.id DESC",
    [P_RUN_INSTANCE] = "SELECT instance_json FROM placement_run WHERE id = ?1",
    [P_ASSIGN_LIST] = "SELECT s.id, s.code, s.last_name, s.first_name, s.email, s.degree,"
                      " s.discipline, d.name, s.site, s.priority, a.place_id,"
                      " COALESCE(pl.code, ''), COALESCE(e.uai, ''), COALESCE(e.name, ''),"
                      " COALESCE(e.commune, ''), COALESCE(pl.class_level, ''),"
                      " COALESCE(pl.tutor_name, ''), COALESCE(pl.tutor_email, ''), a.rank,"
                      " COALESCE(ep.code, ''), a.adjusted" ASSIGN_FROM
                      " ORDER BY s.last_name, s.first_name, s.id LIMIT ?7 OFFSET ?8",
    [P_ASSIGN_COUNT] = "SELECT count(*)" ASSIGN_FROM,
    [P_ASSIGN_SET] = "UPDATE placement_assignment SET place_id = NULLIF(?3, 0), rank = ?4,"
                     " adjusted = 1 WHERE run_id = ?1 AND student_id = ?2",
    [P_RUN_LOADS] = "SELECT place_id, count(*) FROM placement_assignment WHERE run_id = ?1"
                    " AND place_id IS NOT NULL GROUP BY place_id",
    [P_PUBLISHED] = "SELECT p.label, p.starts_on, p.ends_on, s.last_name, s.first_name, s.email,"
                    " d.name, e.name, e.commune, pl.class_level, pl.tutor_name, pl.code"
                    " FROM internship_period p JOIN placement_assignment a"
                    " ON a.run_id = p.published_run_id"
                    " JOIN internship_place pl ON pl.id = a.place_id"
                    " JOIN establishment e ON e.id = pl.establishment_id"
                    " JOIN internship_student s ON s.id = a.student_id"
                    " JOIN discipline d ON d.code = s.discipline"
                    " WHERE (?1 <> 0 AND pl.tutor_user_id = ?1) OR (?2 IS NOT NULL AND e.uai = ?2)"
                    " ORDER BY p.starts_on DESC, e.name, s.last_name, s.first_name",
    [P_PERIOD_ID] = "SELECT id FROM internship_period WHERE code = ?1",
};

static sqlite3_stmt *q(struct store *st, int id)
{
    return store_stmt(st, id, sql[id]);
}

static int last_id(struct store *st, int rc, int64_t *id)
{
    if (rc == 0 && id)
        *id = sqlite3_last_insert_rowid(store_db(st));
    return rc;
}

/* One row into an object (ERR_NOTFOUND if none). */
static int one_row(struct store *st, sqlite3_stmt *s, const char *const *keys, json_t **out)
{
    json_t *arr = json_array();
    int rc = store_rows(st, s, keys, arr);
    if (rc == 0 && json_array_size(arr) == 0)
        rc = ERR_NOTFOUND;
    if (rc == 0)
        *out = json_incref(json_array_get(arr, 0));
    json_decref(arr);
    return rc;
}

static int all_rows(struct store *st, sqlite3_stmt *s, const char *const *keys, json_t **out)
{
    json_t *arr = json_array();
    int rc = store_rows(st, s, keys, arr);
    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return 0;
}

static int count(struct store *st, sqlite3_stmt *s, int64_t *n)
{
    int rc = sqlite3_step(s);
    *n = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    store_done(s);
    return rc == SQLITE_ROW ? 0 : store_fail(st, "count");
}

/* Steps a bound statement expected to return at most one row whose first column is an id (out
 * may be NULL) and resets it: 0, ERR_NOTFOUND when no row, or ERR_STORE. */
static int step_id(struct store *st, sqlite3_stmt *s, int64_t *out, const char *what)
{
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && out)
        *out = sqlite3_column_int64(s, 0);
    store_done(s);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? ERR_NOTFOUND : store_fail(st, what);
}

/* An id by a text key; 0 when key is empty, ERR_NOTFOUND when unknown. */
static int id_of(struct store *st, int stmt_id, const char *key, int64_t *out)
{
    *out = 0;
    if (!key || !*key)
        return 0;
    sqlite3_stmt *s = q(st, stmt_id);
    if (!s)
        return ERR_STORE;
    store_bind_text(s, 1, key);
    return step_id(st, s, out, "id_of");
}

static void bind_id_or_null(sqlite3_stmt *s, int i, int64_t id)
{
    if (id)
        sqlite3_bind_int64(s, i, id);
    else
        sqlite3_bind_null(s, i);
}

/* ---- periods ---- */

int store_period_add(struct store *st, const struct internship_period *p, int64_t now, int64_t *id)
{
    sqlite3_stmt *s = q(st, P_PERIOD_ADD);
    if (!s)
        return ERR_STORE;
    const char *t[] = {p->code, p->label, p->cohort, p->kind, p->starts_on, p->ends_on};
    for (int i = 0; i < 6; i++)
        store_bind_text(s, i + 1, t[i]);
    sqlite3_bind_int64(s, 7, p->wishes_open_at);
    sqlite3_bind_int64(s, 8, p->wishes_close_at);
    sqlite3_bind_int(s, 9, p->max_wishes);
    sqlite3_bind_int64(s, 10, now);
    return last_id(st, store_run(st, s, "period_add"), id);
}

int store_period_list(struct store *st, json_t **out)
{
    sqlite3_stmt *s = q(st, P_PERIOD_LIST);
    return s ? all_rows(st, s, period_keys, out) : ERR_STORE;
}

int store_period_get(struct store *st, int64_t id, json_t **out)
{
    sqlite3_stmt *s = q(st, P_PERIOD_GET);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, id);
    return one_row(st, s, period_keys, out);
}

int store_period_set_window(struct store *st, int64_t id, int64_t open_at, int64_t close_at)
{
    sqlite3_stmt *s = q(st, P_PERIOD_WINDOW);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, open_at);
    sqlite3_bind_int64(s, 3, close_at);
    return store_run(st, s, "period_window");
}

int store_period_publish(struct store *st, int64_t period_id, int64_t run_id, int64_t now)
{
    sqlite3_stmt *s = q(st, P_PERIOD_PUBLISH);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, period_id);
    sqlite3_bind_int64(s, 2, run_id);
    sqlite3_bind_int64(s, 3, now);
    return store_run(st, s, "period_publish");
}

/* ---- places ---- */

int store_place_add(struct store *st, const struct internship_place *p, int64_t *id,
                    const char **which)
{
    int64_t estab = 0, tutor = 0;
    int rc = id_of(st, P_ESTAB_ID, p->establishment_uai, &estab);
    if (rc == 0 && estab == 0)
        rc = ERR_NOTFOUND;
    if (rc) {
        *which = "establishment";
        return rc;
    }
    rc = id_of(st, P_USER_ID, p->tutor_login, &tutor);
    if (rc) {
        *which = "tutor";
        return rc;
    }
    sqlite3_stmt *s = q(st, P_PLACE_ADD);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, p->period_id);
    store_bind_text(s, 2, p->code);
    sqlite3_bind_int64(s, 3, estab);
    store_bind_text(s, 4, p->class_level);
    store_bind_text(s, 5, p->tutor_name);
    store_bind_text(s, 6, p->tutor_email);
    bind_id_or_null(s, 7, tutor);
    sqlite3_bind_int(s, 8, p->capacity);
    store_bind_text(s, 9, p->degree);
    store_bind_text(s, 10, p->discipline);
    store_bind_text(s, 11, p->site);
    *which = "code";
    return last_id(st, store_run(st, s, "place_add"), id);
}

static void bind_filters(sqlite3_stmt *s, int64_t period_id, const char *degree,
                         const char *discipline, const char *site)
{
    sqlite3_bind_int64(s, 1, period_id);
    store_bind_text(s, 2, degree);
    store_bind_text(s, 3, discipline);
    store_bind_text(s, 4, site);
}

int store_place_list(struct store *st, int64_t period_id, const char *degree,
                     const char *discipline, const char *site, int limit, int offset,
                     json_t **items, int64_t *total)
{
    sqlite3_stmt *c = q(st, P_PLACE_COUNT), *s = q(st, P_PLACE_LIST);
    if (!c || !s)
        return ERR_STORE;
    bind_filters(c, period_id, degree, discipline, site);
    int rc = count(st, c, total);
    if (rc)
        return rc;
    bind_filters(s, period_id, degree, discipline, site);
    sqlite3_bind_int(s, 5, limit);
    sqlite3_bind_int(s, 6, offset);
    return all_rows(st, s, place_keys, items);
}

int store_place_get(struct store *st, int64_t id, json_t **out)
{
    sqlite3_stmt *s = q(st, P_PLACE_GET);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, id);
    return one_row(st, s, place_keys, out);
}

int store_places_compatible(struct store *st, int64_t period_id, const char *degree,
                            const char *discipline, json_t **out)
{
    sqlite3_stmt *s = q(st, P_COMPATIBLE);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, period_id);
    store_bind_text(s, 2, degree);
    store_bind_text(s, 3, discipline);
    return all_rows(st, s, place_keys, out);
}

/* ---- students ---- */

int store_istudent_add(struct store *st, const struct internship_student *su, int64_t *id,
                       const char **which)
{
    int64_t user = 0;
    int rc = id_of(st, P_USER_ID, su->login, &user);
    if (rc) {
        *which = "login";
        return rc;
    }
    sqlite3_stmt *s = q(st, P_STUDENT_ADD);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, su->period_id);
    store_bind_text(s, 2, su->code);
    bind_id_or_null(s, 3, user);
    store_bind_text(s, 4, su->last_name);
    store_bind_text(s, 5, su->first_name);
    store_bind_text(s, 6, su->email);
    store_bind_text(s, 7, su->degree);
    store_bind_text(s, 8, su->discipline);
    store_bind_text(s, 9, su->site);
    sqlite3_bind_int(s, 10, su->priority);
    *which = "code";
    return last_id(st, store_run(st, s, "student_add"), id);
}

int store_istudent_list(struct store *st, int64_t period_id, int limit, int offset, json_t **items,
                        int64_t *total)
{
    sqlite3_stmt *c = q(st, P_STUDENT_COUNT), *s = q(st, P_STUDENT_LIST);
    if (!c || !s)
        return ERR_STORE;
    sqlite3_bind_int64(c, 1, period_id);
    int rc = count(st, c, total);
    if (rc)
        return rc;
    sqlite3_bind_int64(s, 1, period_id);
    sqlite3_bind_int(s, 2, limit);
    sqlite3_bind_int(s, 3, offset);
    return all_rows(st, s, student_keys, items);
}

int store_istudent_get(struct store *st, int64_t id, json_t **out)
{
    sqlite3_stmt *s = q(st, P_STUDENT_GET), *w = q(st, P_STUDENT_WISHES);
    if (!s || !w)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, id);
    json_t *o = NULL;
    int rc = one_row(st, s, student_keys, &o);
    if (rc)
        return rc;
    static const char *const wish_keys[] = {"#rank",         "#place_id", "code",
                                            "establishment", "commune",   "class_level",
                                            "tutor_name",    "site",      NULL};
    sqlite3_bind_int64(w, 1, id);
    json_t *wishes = NULL;
    rc = all_rows(st, w, wish_keys, &wishes);
    if (rc) {
        json_decref(o);
        return rc;
    }
    json_object_set_new(o, "wishes_list", wishes);
    *out = o;
    return 0;
}

int store_istudent_of_user(struct store *st, int64_t period_id, int64_t user_id, int64_t *id)
{
    sqlite3_stmt *s = q(st, P_STUDENT_OF_USER);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, period_id);
    sqlite3_bind_int64(s, 2, user_id);
    return step_id(st, s, id, "student_of_user");
}

int store_istudent_periods(struct store *st, int64_t user_id, json_t **out)
{
    sqlite3_stmt *s = q(st, P_STUDENT_PERIODS);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, user_id);
    static const char *const keys[] = {"#period_id", "#student_id", NULL};
    return all_rows(st, s, keys, out);
}

int store_wishes_set(struct store *st, int64_t student_id, const int64_t *place_ids, int n)
{
    sqlite3_stmt *d = q(st, P_WISHES_DELETE), *a = q(st, P_WISH_ADD);
    if (!d || !a)
        return ERR_STORE;
    sqlite3_bind_int64(d, 1, student_id);
    int rc = store_run(st, d, "wishes_delete");
    for (int i = 0; rc == 0 && i < n; i++) {
        sqlite3_bind_int64(a, 1, student_id);
        sqlite3_bind_int(a, 2, i + 1);
        sqlite3_bind_int64(a, 3, place_ids[i]);
        rc = store_run(st, a, "wish_add");
    }
    return rc;
}

/* ---- the engine's instance ---- */

int store_period_instance(struct store *st, int64_t period_id, json_t **out)
{
    sqlite3_stmt *p = q(st, P_INSTANCE_PLACES), *s = q(st, P_INSTANCE_STUDENTS);
    if (!p || !s)
        return ERR_STORE;
    json_t *places = json_array(), *students = json_array();
    sqlite3_bind_int64(p, 1, period_id);
    int rc;
    while ((rc = sqlite3_step(p)) == SQLITE_ROW)
        json_array_append_new(places,
                              json_pack("{ss sI ss ss ss}", "id", store_col_text(p, 0), "capacity",
                                        (json_int_t)sqlite3_column_int64(p, 1), "degree",
                                        store_col_text(p, 2), "site", store_col_text(p, 3),
                                        "discipline", store_col_text(p, 4)));
    store_done(p);
    if (rc != SQLITE_DONE) {
        rc = store_fail(st, "instance_places");
        goto fail;
    }
    sqlite3_bind_int64(s, 1, period_id);
    int64_t current = 0;
    json_t *wishes = NULL;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        if (id != current) {
            current = id;
            wishes = json_array();
            json_array_append_new(
                students, json_pack("{ss ss ss ss sI so}", "id", store_col_text(s, 1), "degree",
                                    store_col_text(s, 2), "site", store_col_text(s, 3),
                                    "discipline", store_col_text(s, 4), "priority",
                                    (json_int_t)sqlite3_column_int64(s, 5), "wishes", wishes));
        }
        if (sqlite3_column_type(s, 6) != SQLITE_NULL)
            json_array_append_new(wishes, json_string(store_col_text(s, 6)));
    }
    store_done(s);
    if (rc != SQLITE_DONE) {
        rc = store_fail(st, "instance_students");
        goto fail;
    }
    *out = json_pack("{so so}", "places", places, "students", students);
    return *out ? 0 : ERR_NOMEM;
fail:
    json_decref(places);
    json_decref(students);
    return rc;
}

/* ---- runs ---- */

int store_run_add(struct store *st, const struct placement_run_row *r, int64_t now, int64_t *id)
{
    sqlite3_stmt *s = q(st, P_RUN_ADD);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, r->period_id);
    store_bind_text(s, 2, r->method);
    store_bind_text(s, 3, r->lottery_seed);
    store_bind_text(s, 4, r->instance_json);
    sqlite3_bind_int64(s, 5, r->placed);
    sqlite3_bind_int64(s, 6, r->rank_sum);
    store_bind_text(s, 7, r->rank_profile);
    bind_id_or_null(s, 8, r->created_by);
    sqlite3_bind_int64(s, 9, now);
    return last_id(st, store_run(st, s, "run_add"), id);
}

int store_assignment_add(struct store *st, int64_t run_id, const char *student_code,
                         const char *place_code, int rank)
{
    sqlite3_stmt *s = q(st, P_ASSIGN_ADD);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, run_id);
    store_bind_text(s, 2, student_code);
    store_bind_text(s, 3, place_code);
    sqlite3_bind_int(s, 4, rank);
    int rc = store_run(st, s, "assignment_add");
    if (rc == 0 && sqlite3_changes(store_db(st)) != 1)
        rc = ERR_NOTFOUND; /* the code is not a student of the run's period */
    return rc;
}

static json_t *run_row(sqlite3_stmt *s)
{
    json_t *profile = json_loads(store_col_text(s, 6), 0, NULL);
    return json_pack(
        "{sI sI ss ss? sI sI so sI ss sI sI sb}", "id", (json_int_t)sqlite3_column_int64(s, 0),
        "period_id", (json_int_t)sqlite3_column_int64(s, 1), "method", store_col_text(s, 2),
        "lottery_seed", sqlite3_column_type(s, 3) == SQLITE_NULL ? NULL : store_col_text(s, 3),
        "placed", (json_int_t)sqlite3_column_int64(s, 4), "rank_sum",
        (json_int_t)sqlite3_column_int64(s, 5), "rank_profile", profile ? profile : json_array(),
        "created_at", (json_int_t)sqlite3_column_int64(s, 7), "created_by", store_col_text(s, 8),
        "students", (json_int_t)sqlite3_column_int64(s, 9), "adjusted",
        (json_int_t)sqlite3_column_int64(s, 10), "published", sqlite3_column_int(s, 11) != 0);
}

static int run_rows(struct store *st, sqlite3_stmt *s, json_t **out)
{
    json_t *arr = json_array();
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(arr, run_row(s));
    store_done(s);
    if (rc != SQLITE_DONE) {
        json_decref(arr);
        return store_fail(st, "runs");
    }
    *out = arr;
    return 0;
}

int store_run_get(struct store *st, int64_t id, json_t **out)
{
    sqlite3_stmt *s = q(st, P_RUN_GET);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, id);
    json_t *arr = NULL;
    int rc = run_rows(st, s, &arr);
    if (rc)
        return rc;
    if (json_array_size(arr) == 0) {
        json_decref(arr);
        return ERR_NOTFOUND;
    }
    *out = json_incref(json_array_get(arr, 0));
    json_decref(arr);
    return 0;
}

int store_run_list(struct store *st, int64_t period_id, json_t **out)
{
    sqlite3_stmt *s = q(st, P_RUN_LIST);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, period_id);
    return run_rows(st, s, out);
}

int store_run_instance(struct store *st, int64_t id, char **out)
{
    sqlite3_stmt *s = q(st, P_RUN_INSTANCE);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *out = strdup(store_col_text(s, 0));
    store_done(s);
    if (rc == SQLITE_ROW)
        return *out ? 0 : ERR_NOMEM;
    return rc == SQLITE_DONE ? ERR_NOTFOUND : store_fail(st, "run_instance");
}

static void bind_assignment_filter(sqlite3_stmt *s, int64_t run_id,
                                   const struct assignment_filter *f)
{
    sqlite3_bind_int64(s, 1, run_id);
    sqlite3_bind_int(s, 2, !f ? 0 : f->unassigned_only ? 1 : f->assigned_only ? 2 : 0);
    sqlite3_bind_int64(s, 3, f ? f->place_id : 0);
    sqlite3_bind_int64(s, 4, f ? f->student_id : 0);
    sqlite3_bind_int64(s, 5, f ? f->tutor_user_id : 0);
    store_bind_text(s, 6, f ? f->uai : NULL);
}

int store_run_assignments(struct store *st, int64_t run_id, const struct assignment_filter *f,
                          int limit, int offset, json_t **items, int64_t *total)
{
    sqlite3_stmt *c = q(st, P_ASSIGN_COUNT), *s = q(st, P_ASSIGN_LIST);
    if (!c || !s)
        return ERR_STORE;
    bind_assignment_filter(c, run_id, f);
    int rc = count(st, c, total);
    if (rc)
        return rc;
    bind_assignment_filter(s, run_id, f);
    sqlite3_bind_int(s, 7, limit);
    sqlite3_bind_int(s, 8, offset);
    return all_rows(st, s, assignment_keys, items);
}

int store_assignment_set(struct store *st, int64_t run_id, int64_t student_id, int64_t place_id,
                         int rank)
{
    sqlite3_stmt *s = q(st, P_ASSIGN_SET);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, run_id);
    sqlite3_bind_int64(s, 2, student_id);
    sqlite3_bind_int64(s, 3, place_id);
    sqlite3_bind_int(s, 4, rank);
    int rc = store_run(st, s, "assignment_set");
    if (rc == 0 && sqlite3_changes(store_db(st)) != 1)
        rc = ERR_NOTFOUND;
    return rc;
}

int store_run_loads(struct store *st, int64_t run_id, json_t **out)
{
    sqlite3_stmt *s = q(st, P_RUN_LOADS);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, run_id);
    json_t *o = json_object();
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)sqlite3_column_int64(s, 0));
        json_object_set_new(o, key, json_integer(sqlite3_column_int64(s, 1)));
    }
    store_done(s);
    if (rc != SQLITE_DONE) {
        json_decref(o);
        return store_fail(st, "run_loads");
    }
    *out = o;
    return 0;
}

int store_published_for(struct store *st, int64_t tutor_user_id, const char *uai, json_t **out)
{
    sqlite3_stmt *s = q(st, P_PUBLISHED);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, tutor_user_id);
    store_bind_text(s, 2, uai);
    static const char *const keys[] = {"period_label",
                                       "starts_on",
                                       "ends_on",
                                       "last_name",
                                       "first_name",
                                       "email",
                                       "discipline_name",
                                       "establishment",
                                       "commune",
                                       "class_level",
                                       "tutor_name",
                                       "place_code",
                                       NULL};
    return all_rows(st, s, keys, out);
}

int store_period_id(struct store *st, const char *code, int64_t *id)
{
    *id = 0;
    if (!code || !*code)
        return ERR_NOTFOUND;
    return id_of(st, P_PERIOD_ID, code, id);
}

int store_istudent_by_code(struct store *st, int64_t period_id, const char *code, int64_t *id)
{
    sqlite3_stmt *s = q(st, P_STUDENT_BY_CODE);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, period_id);
    store_bind_text(s, 2, code);
    return step_id(st, s, id, "student_by_code");
}

int store_period_exists(struct store *st, int64_t id)
{
    sqlite3_stmt *s = q(st, P_PERIOD_EXISTS);
    if (!s)
        return ERR_STORE;
    sqlite3_bind_int64(s, 1, id);
    return step_id(st, s, NULL, "period_exists");
}
