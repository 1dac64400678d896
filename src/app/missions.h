/*
 * The work on a training request once it is validated (issue 5 §4-6): trainer proposals from
 * the map of competences (engine/proposal.h), assignment by the coordination team, the
 * trainers' answers, the sessions and their conflicts, the checks before an action is
 * scheduled, and the inbox (with its outbox for e-mail) of everyone who must act.
 *
 * Slots. An ALP IDG is co-animated by a first-degree and a second-degree trainer (seed 001:
 * "animées par un binôme de formateurs 1er et 2nd degré"), so it has two slots, "1D" and "2D";
 * every other kind has one slot, "any". A slot is covered by a trainer who has not declined.
 *
 * What a proposal weighs, for a request (proposal.h has the scores):
 *   - the wanted competences: the codes in details.competences when given, else the
 *     competences of the referential whose label shares the rarest words with the request's
 *     theme and need (its title when it has neither), with their parent domains as related
 *     competences;
 *   - the hours: details.hours, else the length of the scheduled sessions, else 6 (a day);
 *   - the weekdays: the days of the sessions (scheduled, or those an ALP asks for) are required;
 *     an ALP's campaign weekdays (with or without academic trainers) are the allowed ones;
 *   - the place: the site (Ain, Loire, Rhône) of the establishment or circonscription of the
 *     request (its requesters' UAI, or the filer's scope);
 *   - the quota: hours committed in the same school year by requests not declined;
 *   - the balance: hours given across institutions in that year — university-side trainers
 *     on rectorat actions (every FC kind) against rectorat trainers on FI actions (fi,
 *     prep_concours), 004 Annexe 4 b;
 *   - the conflicts: trainers already on another live request at an overlapping time, and
 *     those already on (or who declined) this request, are set aside.
 */
#ifndef APP_MISSIONS_H
#define APP_MISSIONS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "core/buf.h"
#include "domain/rules.h"

#define MISSION_PROPOSALS_MAX 50

/*
 * The ranked proposals of a request, per slot: {"request_id", "year", "hours", "wanted":
 * [{code, label, related}], "slots": [{"slot", "label", "covered_by" (trainer or null),
 * "stats": {candidates, degree, weekdays, quota, busy, ranked}, "items": [{trainer_id, name,
 * degree, site, institution, score, components: {competence, degree, weekdays, quota,
 * distance, balance}, facts: {competence, level, related, matched, weekdays, quota,
 * quota_left, distance_km, balance_before, balance_after}, reasons: [French]}]}]}.
 * Coordination, pilots, inspectors, steering and administrators; ERR_NOTFOUND otherwise or when
 * absent; ERR_CONFLICT when the request is not at a stage where trainers are chosen (msg).
 */
int app_request_proposals(struct app_ctx *ctx, int64_t id, int limit, json_t **out, char *msg,
                          size_t msg_len);

/* The coordination team names the competences a request needs (codes of the referential, at
 * most 12; none: back to those read from its theme), kept in details.competences, which the
 * proposals then use. Triaged, forwarded, validated or assigned requests. Audited. */
int app_request_set_competences(struct app_ctx *ctx, int64_t id, const char *const *codes, size_t n,
                                char *msg, size_t msg_len);

struct assign_choice {
    int64_t trainer_id;
    const char *slot; /* "1D", "2D", "any" */
};

/*
 * The coordination team assigns trainers to a validated request (which becomes "assigned"), or
 * fills a slot left open in an assigned one (a trainer declined). Each trainer must still be
 * proposable for that slot (competence, degree, weekdays, quota, no conflict); each is notified.
 * Returns 0, ERR_DENIED, ERR_NOTFOUND, ERR_CONFLICT or ERR_INVAL, with a French message.
 */
int app_request_assign(struct app_ctx *ctx, int64_t id, const struct assign_choice *c, size_t n,
                       char *msg, size_t msg_len);

/* The trainer of the actor's account accepts or declines (with a reason) a pending mission.
 * The coordination team is notified. */
int app_mission_answer(struct app_ctx *ctx, int64_t id, bool accept, const char *reason, char *msg,
                       size_t msg_len);

#define MISSION_HOURS_MAX 200

/* The trainer of the actor's account declares the hours given on an accepted mission of a
 * scheduled or done request (0..MISSION_HOURS_MAX); the coordination team validates them with
 * the request (done → hours_validated), undeclared hours counting as planned. Audited. */
int app_mission_declare(struct app_ctx *ctx, int64_t id, int hours, char *msg, size_t msg_len);

struct tsession_input {
    const char *date;     /* AAAA-MM-JJ or JJ/MM/AAAA */
    const char *start;    /* HH:MM */
    const char *end;      /* HH:MM, after start */
    const char *place;    /* up to 200 characters, may be empty for a distance session */
    const char *modality; /* presentiel, distance, hybride, classe_virtuelle */
};

/*
 * Adds a session to a validated, assigned or scheduled request: the coordination team (and the
 * requester of an ENT convention, the parcours manager of an FI). A session at a time one of
 * the request's trainers gives another session, or on a day the trainer is not free, is
 * refused (ERR_CONFLICT, msg); bad fields are ERR_INVAL in errs. Audited.
 */
int app_tsession_add(struct app_ctx *ctx, int64_t id, const struct tsession_input *in,
                     struct field_errors *errs, char *msg, size_t msg_len, int64_t *session_id);
int app_tsession_remove(struct app_ctx *ctx, int64_t id, int64_t session_id, char *msg,
                        size_t msg_len);

/* Adds to a request's JSON (as app_request_get gives it) "trainers" (store_missions_of_request),
 * "sessions", "slots" ([{slot, label, covered_by}]) and "may_assign", "may_schedule_sessions",
 * "my_mission" (the actor's own pending or accepted row) for the actor. */
int app_request_work(struct app_ctx *ctx, json_t *req);

/* The actor's missions as a trainer (store_missions_of_trainer); ERR_DENIED for an account not
 * linked to a trainer. */
int app_my_missions(struct app_ctx *ctx, json_t **out);

/* The iCalendar feed of the sessions of the actor's trainer (or, for the coordination team, of
 * any trainer), appended to out. */
int app_trainer_calendar(struct app_ctx *ctx, int64_t trainer_id, struct buf *out);

/* A calendar application subscribes to a trainer's feed without a session, through a secret
 * key in its address. app_calendar_key_new makes the actor's (a trainer's) key, replacing the
 * previous one, into key (APP_TOKEN_LEN + 1 bytes: it is shown once, only its hash is kept);
 * app_calendar_by_key appends the feed of the key's trainer, or ERR_NOTFOUND. */
int app_calendar_key_new(struct app_ctx *ctx, char *key, size_t key_len);
int app_calendar_by_key(struct app_ctx *ctx, const char *key, struct buf *out);

/* Announces to the coordination team, once per request, each request awaiting an answer whose
 * deadline is within 7 days or past ("deadline.near"). Run when a coordinator opens the inbox. */
int app_notify_deadlines(struct app_ctx *ctx);

/* The actor's inbox: {"items", "unread"}; marking read one (id) or all (0). */
int app_inbox(struct app_ctx *ctx, json_t **out);
int app_inbox_read(struct app_ctx *ctx, int64_t id);
/* The number of the actor's unread messages, for the menu. */
int app_inbox_unread(struct app_ctx *ctx, int64_t *n);

/*
 * Assigns at once every validated request of a kind in the campaign of school year `year` (its
 * first year) that has open slots (issue 5 §4): the scarcest actions first (those with the
 * fewest proposable trainers), each slot to its best proposal against the running quotas,
 * balance and calendar, an action only when all its slots are covered. Trainers are notified
 * and the requests move to assigned, in one transaction; dry_run computes without writing.
 * *out: {"year", "kind", "dry_run", "actions", "assigned", "uncovered", "balance", "items":
 * [{request_id, title, assigned, trainers: [{slot, trainer_id, name, score}], reason}]}, the
 * reason (French) saying why an action could not be covered. The coordination team only.
 */
int app_campaign_assign(struct app_ctx *ctx, int year, const char *kind, bool dry_run, json_t **out,
                        char *msg, size_t msg_len);

/* For app_request_transition (inside no transaction): may a request move to scheduled? Its
 * sessions must exist, every slot have a trainer who accepted, and an ALP's sessions keep the
 * rules of seed 001 (breaches in rules). Returns 0, ERR_CONFLICT or ERR_INVAL with msg. */
int app_schedule_check(struct app_ctx *ctx, const json_t *req, struct rule_report *rules, char *msg,
                       size_t msg_len);
/* May a request move to assigned by a plain transition? Only when every slot is covered. */
int app_assigned_check(struct app_ctx *ctx, const json_t *req, char *msg, size_t msg_len);
/* Inside the transition's transaction: the notifications of a request that reached `to`, and
 * the trainers withdrawn when it goes back from assigned to validated. */
int app_transition_effects(struct app_ctx *ctx, const json_t *req, const char *from,
                           const char *to);

#endif
