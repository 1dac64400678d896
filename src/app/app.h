/*
 * Use cases of Continuum: each validates its input, checks the actor's role and scope, writes
 * through the store (in a transaction) and records the change in the audit log. Callers are the
 * HTTP handlers and the command line; neither holds rules of its own.
 */
#ifndef APP_APP_H
#define APP_APP_H

#include <jansson.h>
#include <stdint.h>

#include "domain/role.h"
#include "domain/trainer.h"
#include "store/store.h"

/* Who acts, from where. actor is NULL for the command line (trusted operator). */
struct app_ctx {
    struct store *st;
    const struct user *actor;
    const char *ip;
    int64_t now;
};

/* ---- connections (accounts.c) ---- */

/* The pool of store connections the HTTP workers share (see store_pool_*). */
int app_pool_open(const char *db_path, int n, struct store_pool **out);
struct store *app_pool_get(struct store_pool *p);
void app_pool_put(struct store_pool *p, struct store *st);
void app_pool_close(struct store_pool *p);
/* 0 when the store answers. */
int app_health(struct store *st);

/* ---- accounts (accounts.c) ---- */

#define APP_TOKEN_LEN    64 /* hex characters of a session secret or an API token */
#define APP_PASSWORD_MIN 10
#define APP_SESSION_TTL  (8 * 3600)

/* argon2id hash of a password (out: at least 128 bytes). */
int app_password_hash(const char *password, char *out, size_t out_len);

/* Creates an account. Validates login (3-64 of a-z 0-9 . _ -), name, role, scope and password
 * (at least APP_PASSWORD_MIN characters). Errors go to errs (ERR_INVAL) or ERR_EXISTS. */
int app_user_add(struct app_ctx *ctx, const struct user *u, const char *password,
                 struct field_errors *errs, int64_t *id);

/* Checks a login and password. Failed attempts are counted per login and per address: after 5
 * for a login (20 for an address), each further try waits 2^(n-5) (2^(n-20)) seconds, capped at
 * 15 minutes, answered by ERR_BUSY with *retry_after set. ERR_DENIED for a wrong login or password
 * (same answer for both). */
int app_login(struct app_ctx *ctx, const char *login, const char *password, struct user *u,
              int *retry_after);

/* Opens a session for u: token (the cookie value, APP_TOKEN_LEN+1 bytes) and its CSRF token
 * (APP_TOKEN_LEN+1 bytes). Only a hash of the token is stored. */
int app_session_open(struct app_ctx *ctx, const struct user *u, char *token, char *csrf);
/* Finds the session of a cookie value: user, CSRF token, and the stored hash (65 bytes). */
int app_session_find(struct app_ctx *ctx, const char *token, struct user *u, char *csrf,
                     char *hash);
int app_session_close(struct app_ctx *ctx, const char *hash);

/* Creates an API token for a login; token gets APP_TOKEN_LEN+5 bytes ("ctm_" + hex). */
int app_token_create(struct app_ctx *ctx, const char *login, char *token, size_t token_len);
/* The user of a bearer token; ERR_NOTFOUND if unknown or the account is disabled. */
int app_token_find(struct app_ctx *ctx, const char *token, struct user *u);

/* Hex of BLAKE2b-256 of s (out: 65 bytes): how secrets are stored. */
void app_secret_hash(const char *s, char *out);
/* Random hex string of APP_TOKEN_LEN characters (out: APP_TOKEN_LEN+1 bytes). */
void app_random_hex(char *out);

/* ---- audit (audit.c) ---- */

/* Records a change (inside the caller's transaction). Steals before and after (either may be
 * NULL). */
/* A use case that may run alone (in its own transaction) or as one step of a larger one (an
 * import, the demo loader: inside the caller's transaction, which then decides to commit or
 * roll back). app_tx_begin opens a transaction unless one is open (*own tells which);
 * app_tx_end commits what it opened when rc is 0, rolls it back otherwise, and returns rc or
 * the commit's error. */
int app_tx_begin(struct app_ctx *ctx, bool *own);
int app_tx_end(struct app_ctx *ctx, bool own, int rc);

int app_audit(struct app_ctx *ctx, const char *action, const char *entity, int64_t entity_id,
              json_t *before, json_t *after);
int app_audit_list(struct app_ctx *ctx, const char *entity, int64_t entity_id, int page,
                   int per_page, json_t **out);

/* ---- map of competences (trainers.c) ---- */

/* Raw search parameters as they come from a query string (any may be NULL). */
struct trainer_search_input {
    const char *q, *degree, *discipline, *institution, *site, *weekday, *validated, *page,
        *per_page;
};

#define APP_PER_PAGE_DEFAULT 20
#define APP_PER_PAGE_MAX     100

/* Validates the parameters (errors per parameter name, ERR_INVAL) and searches. out is
 * {"items":[…],"total":N,"page":P,"per_page":K,"pages":M}. */
int app_trainer_search(struct app_ctx *ctx, const struct trainer_search_input *in, json_t **out,
                       struct field_errors *errs);
/* A trainer's profile with "can_edit" and "can_decide" flags for the actor. */
int app_trainer_get(struct app_ctx *ctx, int64_t id, json_t **out);
/* The search generation (store_search_generation), for caches of search results. */
int app_search_generation(struct app_ctx *ctx, int64_t *gen);

/* Number of trainers on the map (home page). */
int app_trainer_count(struct app_ctx *ctx, int64_t *n);
/* The editable fields of a profile, for its edit form: the trainer themself or
 * CAP_TRAINER_EDIT_ANY (ERR_DENIED otherwise). */
int app_trainer_load(struct app_ctx *ctx, int64_t id, struct trainer *t);
/* Updates a profile: the trainer themself or CAP_TRAINER_EDIT_ANY. A trainer cannot change
 * their own institution or corps (référentiel data). Audited with before and after. */
int app_trainer_update(struct app_ctx *ctx, const struct trainer *t, struct field_errors *errs);
/* Creates a trainer (imports, coordinators). */
int app_trainer_create(struct app_ctx *ctx, const struct trainer *t, struct field_errors *errs,
                       int64_t *id);
/* The trainer (or an editor) declares a competence at a level 1..4. */
int app_competence_declare(struct app_ctx *ctx, int64_t trainer_id, const char *competence_code,
                           int level, struct field_errors *errs);
/* The trainer (or an editor) withdraws a competence from their profile, whatever its state. */
int app_competence_withdraw(struct app_ctx *ctx, int64_t trainer_id, int64_t competence_id);

/* Experiences in FI, FC or project support (seed 004, Annexe 4 d): kind "FI", "FC" or "projet",
 * a title of 3 to 200 characters, a year from 1980 to next year, 0 to 2000 hours. The trainer
 * themself or an editor; audited. */
int app_experience_add(struct app_ctx *ctx, int64_t trainer_id, const char *kind, const char *title,
                       const char *year, const char *hours, struct field_errors *errs);
int app_experience_remove(struct app_ctx *ctx, int64_t trainer_id, int64_t experience_id);

/* An inspector or pilot validates or refuses a declared competence. msg gets a French reason
 * on ERR_CONFLICT / ERR_INVAL / ERR_DENIED. */
int app_competence_decide(struct app_ctx *ctx, int64_t trainer_id, int64_t competence_id,
                          enum competence_state to, const char *reason, char *msg, size_t msg_len);
/* The validation queue, optionally of one discipline and/or site (codes; NULL or "" for any:
 * an unknown code is ERR_INVAL with its French message in errs). */
int app_validation_queue(struct app_ctx *ctx, const char *discipline, const char *site, int page,
                         int per_page, json_t **out, struct field_errors *errs);

/* Research partners (IFÉ, INSERM, ISPEF…) and their fields of expertise (seed 004, Annexe 4 d):
 * all of them without q; with q, those whose name or fields share a term with it. out is an
 * array of {code, name, fields}. */
int app_research_partners(struct app_ctx *ctx, const char *q, json_t **out);

/* Référentiels for forms: {"institutions":[…],"disciplines":[…],"competences":[…],
 * "sites":[…],"degrees":[…],"corps":[…],"weekdays":[…]}. */
int app_referentials(struct app_ctx *ctx, json_t **out);

#endif
