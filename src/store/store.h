/*
 * The store: the only layer that speaks SQL. This header is the whole interface the app layer
 * sees, narrow on purpose so that a PostgreSQL (libpq) back-end can sit behind it later without a
 * change above: open/close, transactions, and one function per use of the data. Reads that feed
 * pages and the API return jansson objects (the read model, caller owns the reference); writes
 * take plain structs from src/domain.
 *
 * The SQLite back-end (store_sqlite.c) runs in WAL mode with foreign keys on and
 * synchronous=FULL; every statement is prepared once per connection and cached. A struct store is
 * one connection: use it from one thread at a time. struct store_pool hands connections to the
 * HTTP worker threads.
 */
#ifndef STORE_STORE_H
#define STORE_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/internship.h"
#include "domain/role.h"
#include "domain/trainer.h"
#include "domain/user.h"

struct store;
struct store_pool;

/* Opens (creating if needed) the database at path; does not migrate. */
int store_open(const char *path, struct store **out);
void store_close(struct store *st);

/* Brings the schema to the latest version; idempotent. *from and *to (optional) get the
 * versions before and after. */
int store_migrate(struct store *st, int *from, int *to);
/* Version of the schema in the file (0 for a new file). */
int store_schema_version(struct store *st, int *version);
/* Latest version compiled in. */
int store_schema_latest(void);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. store_rollback is safe to call when no transaction. */
int store_begin(struct store *st);
int store_commit(struct store *st);
void store_rollback(struct store *st);
/* True inside a transaction (between store_begin and store_commit/rollback). */
bool store_in_transaction(struct store *st);

/* A pool of n connections to path (already migrated). get blocks until one is free. */
int store_pool_open(const char *path, int n, struct store_pool **out);
struct store *store_pool_get(struct store_pool *p);
void store_pool_put(struct store_pool *p, struct store *st);
void store_pool_close(struct store_pool *p);

/* Answers this connection's searches from an in-memory index (engine/search_index.c) kept in
 * step with the database, built now. Connections of a pool share one, always enabled, built on
 * the first search (in the background for a large map; FTS5 answers meanwhile). */
int store_search_index_enable(struct store *st);

/* The search generation: bumped by every change to what searches return (store_trainer_reindex
 * runs on each), so that caches of search results know when they are stale. */
int store_search_generation(struct store *st, int64_t *gen);

/* Quick liveness check (SELECT 1). */
int store_ping(struct store *st);

/* ---- accounts ---- */

/* Creates a user; ERR_EXISTS if the login is taken. pwhash is an argon2id string. */
int store_user_add(struct store *st, const struct user *u, const char *pwhash, int64_t now,
                   int64_t *id);
int store_user_get(struct store *st, int64_t id, struct user *u);
/* Gets a user by login with its password hash (pwhash: at least 128 bytes). */
int store_user_by_login(struct store *st, const char *login, struct user *u, char *pwhash,
                        size_t pwhash_len);
int store_user_set_password(struct store *st, int64_t id, const char *pwhash);
int store_user_link_trainer(struct store *st, int64_t user_id, int64_t trainer_id);
/* All users as a JSON array (for the admin page). */
int store_user_list(struct store *st, json_t **out);

/* Sessions and API tokens are stored by the hash of their secret, never the secret itself. */
int store_session_add(struct store *st, const char *token_hash, int64_t user_id, const char *csrf,
                      int64_t now, int64_t expires);
/* Finds a live session: user and its CSRF token (csrf: 65 bytes). ERR_NOTFOUND if expired. */
int store_session_get(struct store *st, const char *token_hash, int64_t now, struct user *u,
                      char *csrf, size_t csrf_len);
int store_session_delete(struct store *st, const char *token_hash);
/* Deletes expired sessions; *n gets how many. */
int store_session_purge(struct store *st, int64_t now, int *n);

int store_token_add(struct store *st, const char *token_hash, int64_t user_id, int64_t now);
/* The secret key of a user's calendar feed (its hash), replacing the previous one; the user
 * holding a key (ERR_NOTFOUND). */
int store_calendar_key_set(struct store *st, int64_t user_id, const char *key_hash, int64_t now);
int store_calendar_key_user(struct store *st, const char *key_hash, struct user *u);
int store_token_get(struct store *st, const char *token_hash, struct user *u);

/* Failed logins, counted per key ("login:NAME", "ip:ADDR"). */
int store_throttle_get(struct store *st, const char *key, int *failures, int64_t *last_at);
int store_throttle_fail(struct store *st, const char *key, int64_t now);
int store_throttle_clear(struct store *st, const char *key);
/* Forgets failures older than before. */
int store_throttle_purge(struct store *st, int64_t before);

/* ---- audit log ---- */

struct audit_entry {
    int64_t actor_id; /* 0 for the command line */
    const char *actor_login;
    const char *action; /* "trainer.update", "competence.validate", "user.add"... */
    const char *entity; /* "trainer", "user"... */
    int64_t entity_id;
    const char *before; /* JSON text or NULL */
    const char *after;  /* JSON text or NULL */
    const char *ip;     /* or NULL */
};

int store_audit_add(struct store *st, const struct audit_entry *e, int64_t now);
/* Newest first; filters are optional (NULL/0). */
int store_audit_list(struct store *st, const char *entity, int64_t entity_id, int limit, int offset,
                     json_t **items, int64_t *total);

/* ---- référentiels ---- */

/* Arrays of {code, name, ...} for forms and filters. */
int store_institutions(struct store *st, json_t **out);
int store_disciplines(struct store *st, json_t **out);
/* The competence referential: {id, code, label, kind, parent_id, parent_label}. */
int store_competences(struct store *st, json_t **out);
int store_research_partners(struct store *st, json_t **out);

int store_institution_add(struct store *st, const char *code, const char *name, const char *kind);
int store_discipline_add(struct store *st, const char *code, const char *name);
int store_competence_add(struct store *st, const char *code, const char *label, const char *kind,
                         const char *parent_code, int64_t *id);
int store_research_partner_add(struct store *st, const char *code, const char *name,
                               const char *fields);
int store_circonscription_add(struct store *st, const char *code, const char *name,
                              const char *departement);
int store_establishment_add(struct store *st, const char *uai, const char *name, const char *kind,
                            const char *commune, const char *departement,
                            const char *circonscription_code);
bool store_institution_exists(struct store *st, const char *code);
bool store_discipline_exists(struct store *st, const char *code);
/* Competence id by code, ERR_NOTFOUND if none. */
int store_competence_id(struct store *st, const char *code, int64_t *id);

/* ---- trainers ---- */

struct trainer_query {
    const char *q;           /* FTS5 MATCH expression (see text_fts_query), "" or NULL for none */
    const char *degree;      /* NULL for any */
    const char *discipline;  /* NULL for any */
    const char *institution; /* NULL for any */
    const char *site;        /* NULL for any */
    unsigned weekdays;       /* available on at least one of these days; 0 for any */
    bool validated_only;     /* q must match validated competences; without q, at least one */
    int limit;               /* 1..100 */
    int offset;
};

/* Search: free text is ranked by relevance (FTS5 bm25); without it, results are in name order.
 * Items are {id, name, last_name, first_name, institution, institution_name, corps,
 * degree, discipline, discipline_name, site, competences:[{code,label,level,state}]}. */
int store_trainer_search(struct store *st, const struct trainer_query *q, json_t **items,
                         int64_t *total);
/* Full profile: the search item plus email, weekdays, hours_quota, bio, experiences and each
 * competence's decision (who, when, reason). ERR_NOTFOUND if no such trainer. */
int store_trainer_get(struct store *st, int64_t id, json_t **out);
/* Creates or updates (t->id != 0) a trainer and refreshes its search terms. */
int store_trainer_put(struct store *st, const struct trainer *t, int64_t now, int64_t *id);
/* Reads the editable fields of a trainer into t. */
int store_trainer_load(struct store *st, int64_t id, struct trainer *t);
int store_trainer_count(struct store *st, int64_t *n);

/* Declares (or re-declares at another level) a competence: the state goes back to declared. */
int store_trainer_competence_declare(struct store *st, int64_t trainer_id, int64_t competence_id,
                                     int level, int64_t now);
int store_trainer_competence_remove(struct store *st, int64_t trainer_id, int64_t competence_id);
/* Current state and level; ERR_NOTFOUND if the trainer has not declared it. */
int store_trainer_competence_state(struct store *st, int64_t trainer_id, int64_t competence_id,
                                   enum competence_state *state, int *level);
int store_trainer_competence_decide(struct store *st, int64_t trainer_id, int64_t competence_id,
                                    enum competence_state to, const char *reason,
                                    int64_t decided_by, int64_t now);
/* Sets decision columns directly (demo data and imports): no checks. */
int store_trainer_competence_set(struct store *st, int64_t trainer_id, int64_t competence_id,
                                 int level, enum competence_state state, const char *reason,
                                 int64_t decided_by, int64_t declared_at, int64_t decided_at);
int store_trainer_experience_add(struct store *st, int64_t trainer_id, const char *kind,
                                 const char *title, int year, int hours);
/* Removes one of the trainer's experiences; ERR_NOTFOUND if it is not theirs. */
int store_trainer_experience_remove(struct store *st, int64_t trainer_id, int64_t experience_id);
/* Rebuilds a trainer's search terms after its competences or experiences changed. */
int store_trainer_reindex(struct store *st, int64_t trainer_id);

/* Declared competences waiting for a decision, oldest first, of trainers of one discipline
 * and/or site (NULL for any): {trainer_id, trainer_name,
 * competence_id, code, label, level, declared_at, discipline, site, degree}. */
int store_validation_queue(struct store *st, const char *discipline, const char *site, int limit,
                           int offset, json_t **items, int64_t *total);

/* Calls fn for every trainer (id order) with its full row as a JSON object, for exports. */
int store_trainer_each(struct store *st, int (*fn)(void *arg, json_t *row), void *arg);

/* ---- internship placement (store_placement.c) ---- */

/* Periods: items {id, code, label, cohort, kind, starts_on, ends_on, wishes_open_at,
 * wishes_close_at, max_wishes, published_run_id (or null), published_at (or null), places,
 * seats, students, students_with_wishes}. */
int store_period_add(struct store *st, const struct internship_period *p, int64_t now, int64_t *id);
int store_period_list(struct store *st, json_t **out);
int store_period_get(struct store *st, int64_t id, json_t **out); /* ERR_NOTFOUND */
/* 0 when the period exists, ERR_NOTFOUND otherwise (cheap: no counts). */
int store_period_exists(struct store *st, int64_t id);
int store_period_set_window(struct store *st, int64_t id, int64_t open_at, int64_t close_at);
int store_period_publish(struct store *st, int64_t period_id, int64_t run_id, int64_t now);

/* Places. establishment_uai and tutor_login are resolved here: ERR_NOTFOUND when either is
 * unknown (*which gets "establishment" or "tutor"), ERR_EXISTS when the code is taken. */
int store_place_add(struct store *st, const struct internship_place *p, int64_t *id,
                    const char **which);
/* Items {id, code, uai, establishment, commune, class_level, tutor_name, tutor_email, capacity,
 * degree, discipline, discipline_name, site, demand (students who wished it)}; filters may be
 * NULL. */
int store_place_list(struct store *st, int64_t period_id, const char *degree,
                     const char *discipline, const char *site, int limit, int offset,
                     json_t **items, int64_t *total);
int store_place_get(struct store *st, int64_t id, json_t **out); /* + period_id */

/* Students. login is resolved here (ERR_NOTFOUND, *which = "login"); ERR_EXISTS when the code
 * (or the account) already has a student in the period. */
int store_istudent_add(struct store *st, const struct internship_student *s, int64_t *id,
                       const char **which);
/* Items {id, code, last_name, first_name, email, degree, discipline, discipline_name, site,
 * priority, wishes (count), login}. */
int store_istudent_list(struct store *st, int64_t period_id, int limit, int offset, json_t **items,
                        int64_t *total);
/* One student with period_id, user_id and "wishes": [{rank, place_id, code, establishment,
 * commune, class_level, tutor_name, site}] in rank order. */
int store_istudent_get(struct store *st, int64_t id, json_t **out);
/* The student record of an account in a period; ERR_NOTFOUND if none. */
int store_istudent_of_user(struct store *st, int64_t period_id, int64_t user_id, int64_t *id);
/* The student of a period with this code; ERR_NOTFOUND if none. */
int store_istudent_by_code(struct store *st, int64_t period_id, const char *code, int64_t *id);
/* The periods where an account is a student: [{period_id, student_id}]. */
int store_istudent_periods(struct store *st, int64_t user_id, json_t **out);
/* Replaces the wishes of a student (inside the caller's transaction). */
int store_wishes_set(struct store *st, int64_t student_id, const int64_t *place_ids, int n);
/* The places of a period a student of this degree and discipline may wish: items as in
 * store_place_list, in establishment name order. */
int store_places_compatible(struct store *st, int64_t period_id, const char *degree,
                            const char *discipline, json_t **out);

/* The instance of a period for the engine: {"places":[{id (the code), capacity, degree, site,
 * discipline}], "students":[{id (the code), degree, site, discipline, priority, wishes:[codes]}]}
 * in id order. */
int store_period_instance(struct store *st, int64_t period_id, json_t **out);

/* Runs. */
struct placement_run_row {
    int64_t period_id;
    const char *method;       /* "stable" or "optimal" */
    const char *lottery_seed; /* decimal, or NULL */
    const char *instance_json;
    int64_t placed, rank_sum;
    const char *rank_profile; /* JSON array */
    int64_t created_by;       /* 0: command line */
};
int store_run_add(struct store *st, const struct placement_run_row *r, int64_t now, int64_t *id);
/* Records an assignment (by codes of the run's period; place_code NULL: unassigned). */
int store_assignment_add(struct store *st, int64_t run_id, const char *student_code,
                         const char *place_code, int rank);
/* {id, period_id, method, lottery_seed (or null), placed, rank_sum, rank_profile (array),
 * created_at, created_by, students, adjusted, published (bool)}. */
int store_run_get(struct store *st, int64_t id, json_t **out);
int store_run_list(struct store *st, int64_t period_id, json_t **out);
/* The instance text of a run (caller frees). */
int store_run_instance(struct store *st, int64_t id, char **out);
/* Assignments of a run: {student_id, student_code, last_name, first_name, email, degree,
 * discipline, discipline_name, site, priority, place_id (or null), place_code, uai, establishment,
 * commune, class_level, tutor_name, tutor_email, rank, engine_place_code, adjusted}. Filters
 * (0 / NULL for none): only the unassigned, only the placed, one place, one student, the places of
 * one tutor account, of one establishment (UAI). */
struct assignment_filter {
    bool unassigned_only;
    bool assigned_only;
    int64_t place_id;
    int64_t student_id;
    int64_t tutor_user_id;
    const char *uai;
};
int store_run_assignments(struct store *st, int64_t run_id, const struct assignment_filter *f,
                          int limit, int offset, json_t **items, int64_t *total);
/* Changes one assignment (place_id 0: unassigned) and marks it adjusted. */
int store_assignment_set(struct store *st, int64_t run_id, int64_t student_id, int64_t place_id,
                         int rank);
/* Places held per place in a run: {place_id: count} as a JSON object keyed by id text. */
int store_run_loads(struct store *st, int64_t run_id, json_t **out);
/* Published placements seen by an account: as a tutor of the place, or (uai not NULL) for an
 * establishment: assignments of the published runs, with period_label. */
int store_published_for(struct store *st, int64_t tutor_user_id, const char *uai, json_t **out);
/* The id of the period with this code (exact match): 0, or ERR_NOTFOUND (also for an empty
 * code) with *id = 0, or ERR_STORE. */
int store_period_id(struct store *st, const char *code, int64_t *id);

/* ---- training requests (store_requests.c) ---- */

struct request_row {
    const char *kind, *dispositif, *title, *description;
    int64_t requester_id;
    const char *scope_kind, *scope_value; /* the filer's scope when filing */
    const char *state;
    const char *details;               /* JSON object text */
    int64_t submitted_at, deadline_at; /* 0: not yet */
};
int store_request_add(struct store *st, const struct request_row *r, int64_t now, int64_t *id);
/* {id, kind, dispositif, title, description, requester_id, requester_login, requester_name,
 * scope_kind, scope_value, state, level (or null), details (object), created_at,
 * submitted_at (or null), deadline_at (or null), updated_at}; with_history adds "transitions":
 * [{from, to, actor_login, reason, at}] oldest first. ERR_NOTFOUND. */
int store_request_get(struct store *st, int64_t id, bool with_history, json_t **out);
/* Lists requests, those with a deadline first (soonest first), then the newest; filters may be
 * NULL / 0: a state, a kind, one requester. */
int store_request_list(struct store *st, const char *state, const char *kind, int64_t requester_id,
                       int limit, int offset, json_t **items, int64_t *total);
/* Moves a request from state from to state to (ERR_CONFLICT if it is no longer in from), with
 * its level (0: unchanged), submission time and deadline (0: unchanged), and records the
 * transition. Inside the caller's transaction. */
struct request_move {
    const char *from, *to;
    int level;
    int64_t submitted_at, deadline_at;
    int64_t actor_id;
    const char *actor_login, *reason;
};
int store_request_move(struct store *st, int64_t id, const struct request_move *m, int64_t now);
/* Replaces a request's details (a JSON object's text); ERR_NOTFOUND. */
int store_request_set_details(struct store *st, int64_t id, const char *details, int64_t now);
/* The overrides of a campaign's settings (a JSON object, domain/campaign.h), or *out = NULL
 * when it has none; store_campaign_put replaces them. */
int store_campaign_overrides(struct store *st, int first_year, json_t **out);
int store_campaign_put(struct store *st, int first_year, const char *overrides, int64_t user_id,
                       int64_t now);

/* ---- trainers on requests, sessions, inbox (store_missions.c) ---- */

/* A trainer assigned to a request, counting `hours` against the quota of school year `year`
 * (the campaign's first year) while not declined. */
struct mission_row {
    int64_t request_id, trainer_id;
    const char *slot; /* "1D", "2D" or "any" */
    int hours, year, score;
    int64_t assigned_by;
    const char *owner_side; /* the maître d'œuvre's side: "university", "rectorat", "other" */
};
/* Adds it, pending the trainer's answer, with the trainer's side of the balance from their
 * institution; ERR_EXISTS when the trainer is on the request, ERR_NOTFOUND for no trainer. */
int store_mission_add(struct store *st, const struct mission_row *m, int64_t now);
/* Moves the trainer's row on a request from state `from` to `to` ("pending", "accepted",
 * "declined") with a reason; ERR_CONFLICT when it is not in `from` (or absent). */
int store_mission_answer(struct store *st, int64_t request_id, int64_t trainer_id, const char *from,
                         const char *to, const char *reason, int64_t now);
/* ERR_NOTFOUND when the trainer is not on the request. */
int store_mission_remove(struct store *st, int64_t request_id, int64_t trainer_id);
/* The trainer declares the hours given (an accepted mission whose hours are not validated yet;
 * ERR_CONFLICT otherwise); store_missions_validate_hours validates them all, undeclared ones
 * as planned. The quota and the balance count declared hours where there are some. */
int store_mission_declare(struct store *st, int64_t request_id, int64_t trainer_id, int hours,
                          int64_t now);
int store_missions_validate_hours(struct store *st, int64_t request_id, int64_t now);
/* Removes every trainer of a request (it goes back to validated). */
int store_missions_clear(struct store *st, int64_t request_id);
/* [{trainer_id, name, degree, site, email, institution, side (institution kind), slot, hours,
 * state, reason, score, assigned_at, answered_at|null, declared_hours|null,
 * hours_validated_at|null, user_id|null (the trainer's account)}] */
int store_missions_of_request(struct store *st, int64_t request_id, json_t **out);
/* [{request_id, kind, title, request_state, slot, hours, state, reason, assigned_at,
 * first_session|null, sessions}], pending first. */
int store_missions_of_trainer(struct store *st, int64_t trainer_id, json_t **out);
/* Calls fn(arg, trainer, hours) for every trainer with hours committed (not declined) in school
 * year `year`; a non-zero return of fn stops and is returned. */
int store_trainer_hours(struct store *st, int year,
                        int (*fn)(void *arg, int64_t trainer_id, int64_t hours), void *arg);
/* Hours committed in that year per side of the maître d'œuvre and of the trainer:
 * [{owner_side, trainer_side, hours}]. */
int store_hours_flows(struct store *st, int year, json_t **out);

/* A training session ("tsession", not a login session) of a request. */
struct tsession_row {
    int64_t request_id;
    int64_t starts_at, ends_at;
    const char *place;
    const char *modality; /* presentiel, distance, hybride, classe_virtuelle */
};
int store_tsession_add(struct store *st, const struct tsession_row *r, int64_t now, int64_t *id);
/* ERR_NOTFOUND when that session is not the request's. */
int store_tsession_remove(struct store *st, int64_t request_id, int64_t session_id);
/* [{id, starts_at, ends_at, place, modality}] in time order. */
int store_tsessions_of_request(struct store *st, int64_t request_id, json_t **out);
/* The sessions of the requests a trainer is on (not declined), in time order: [{id, starts_at,
 * ends_at, place, modality, request_id, title, request_state, mission_state, updated_at}]. */
int store_tsessions_of_trainer(struct store *st, int64_t trainer_id, json_t **out);
/* Calls fn(arg, trainer) for each trainer (not declined) of another live request with a
 * session overlapping [starts_at, ends_at) (a trainer may come more than once). */
int store_busy_trainers(struct store *st, int64_t request_id, int64_t starts_at, int64_t ends_at,
                        int (*fn)(void *arg, int64_t trainer_id), void *arg);
/* Calls fn for each (trainer not declined, session of a live request) overlapping
 * [from, until); a non-zero return of fn stops and is returned. */
int store_trainer_sessions_between(struct store *st, int64_t from, int64_t until,
                                   int (*fn)(void *arg, int64_t trainer_id, int64_t starts_at,
                                             int64_t ends_at),
                                   void *arg);
/* The first session of another live request that the trainer gives and that overlaps
 * [starts_at, ends_at): {request_id, title, starts_at, ends_at}, or *out = NULL. */
int store_trainer_conflict(struct store *st, int64_t trainer_id, int64_t request_id,
                           int64_t starts_at, int64_t ends_at, json_t **out);

/* A line in a user's inbox, copied to the outbox for e-mail when the user has an address. */
struct notice {
    int64_t user_id;
    const char *kind;   /* request.triage, request.validate, mission.accept, deadline.near… */
    int64_t request_id; /* 0: none */
    const char *title;  /* French, one line */
    const char *body;   /* the e-mail's text; NULL: the title */
    const char *link;   /* a path in the application */
};
int store_notify(struct store *st, const struct notice *n, int64_t now);
/* The user's inbox, unread first then newest: [{id, kind, request_id|null, title, link,
 * created_at, read_at|null}], at most limit, and the number unread. */
int store_notifications(struct store *st, int64_t user_id, int limit, json_t **items,
                        int64_t *unread);
/* The number of the user's unread notifications. */
int store_notifications_unread(struct store *st, int64_t user_id, int64_t *n);
/* Marks one notification (id) or all (id 0) of the user read. */
int store_notification_read(struct store *st, int64_t user_id, int64_t id, int64_t now);
/* Ids of the enabled accounts of a role (at most max into ids, *n of them). */
int store_users_of_role(struct store *st, const char *role, int64_t *ids, int max, int *n);
/* The enabled account linked to a trainer, or 0. */
int store_trainer_user(struct store *st, int64_t trainer_id, int64_t *user_id);
/* Where an establishment (by UAI), else a circonscription (by code or name), is: its site
 * ("ain", "loire", "rhone") and, for an establishment, its kind ("ecole"…). ERR_NOTFOUND. */
int store_locate(struct store *st, const char *uai, const char *circo, char *site, size_t n,
                 char *kind, size_t kn);
/* An e-mail to an address without an account behind it (a trainer who has none yet). */
int store_outbox_add(struct store *st, const char *to, const char *subject, const char *body,
                     int64_t now);
/* Requests awaiting an answer whose deadline is before `before` and that no "deadline.near"
 * notification announced yet, soonest first (at most 200): [{id, title, deadline_at}]. */
int store_requests_due(struct store *st, int64_t before, json_t **out);
/* Outbox lines not sent yet, oldest first: [{id, to, subject, body, created_at}]. */
int store_outbox_pending(struct store *st, int limit, json_t **out);

/* The proposal pool (engine/proposal.h) of the current map of competences, built with the
 * search snapshot from the same read and rebuilt when the map changes. *ref holds it until
 * store_proposal_pool_release(). */
struct prop_pool;
int store_proposal_pool(struct store *st, const struct prop_pool **pool, void **ref);
void store_proposal_pool_release(struct store *st, void *ref);

#endif
