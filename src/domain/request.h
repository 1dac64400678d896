/*
 * The one workflow every training request follows, whatever its kind (seed 004 §3 b and
 * Annexe 4 c; issue 5): its states, the transition table with the roles allowed to make each
 * transition per kind, which transitions need a reason, and the response deadlines that the
 * coordinator's queue tracks. Pure data and pure functions; the app layer calls
 * request_transition_check() before every change of state, then checks the scope (the
 * requester's own establishment, the trainer's own mission) against the store.
 *
 *   draft → submitted → triaged → validated → assigned → scheduled → done → hours_validated
 *   triaged → forwarded (level 2: a collectif's pilots answer) → validated
 *   triaged → refused, forwarded → refused (with a reason)
 *   assigned → validated (the trainers are withdrawn, e.g. one declined)
 *   draft, submitted, triaged, forwarded → withdrawn (by whoever may file the kind)
 *   validated, assigned, scheduled → cancelled (by the coordination team, with a reason)
 *
 * The two states beyond the list are this module's choice. A requester must be able to
 * take back a request nobody has answered yet (withdrawn); and an action already validated
 * may not take place (the seeds' 2019-2020 actions cancelled by the sanitary situation, 001
 * §1 and 000's last paragraph), which must stay visible — ANT gives such actions priority the
 * next year — rather than be forced into "refused" or "done".
 *
 * Who makes each transition (R requester, C coordinator, P pilot, I inspector, T trainer,
 * M parcours manager; "filer" is whoever may file the kind: R for fil, alp_idg, ant, ent;
 * T and I for ald; M for fi; C for paf and prep_concours):
 *   draft → submitted, and → withdrawn from draft/submitted/triaged/forwarded    filer
 *   submitted → triaged; triaged → forwarded | refused                            C
 *   triaged → validated (level 1)                                                 C, not ald
 *   forwarded → validated (level 2)                                               P; I for ald
 *   forwarded → refused                                                           P; P or I for ald
 *   validated → assigned; assigned → validated (unassign); done → hours_validated C
 *   assigned → scheduled                                                          C; + R for ent,
 *                                                                                 + M for fi
 *   scheduled → done                                                              C, T; + R for ent
 *   validated | assigned | scheduled → cancelled                                  C
 * Refusals and cancellations need a reason. The administrator and the comité de pilotage make
 * no transition: accounts and rules are not training decisions.
 */
#ifndef DOMAIN_REQUEST_H
#define DOMAIN_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/dispositif.h"
#include "domain/role.h"

enum request_state {
    REQUEST_DRAFT,
    REQUEST_SUBMITTED,
    REQUEST_TRIAGED,
    REQUEST_FORWARDED,
    REQUEST_VALIDATED,
    REQUEST_REFUSED,
    REQUEST_ASSIGNED,
    REQUEST_SCHEDULED,
    REQUEST_DONE,
    REQUEST_HOURS_VALIDATED,
    REQUEST_WITHDRAWN,
    REQUEST_CANCELLED,
    REQUEST_STATE_COUNT
};

/* A message buffer of this size holds every message of this module untruncated. */
#define REQUEST_MSG_MAX 256

/* The state's code ("submitted"), or NULL out of range. */
const char *request_state_code(enum request_state s);
/* Its French label, an adjective agreeing with « demande » ("soumise"); "" out of range. */
const char *request_state_label(enum request_state s);
/* Parses a code; REQUEST_STATE_COUNT if unknown or NULL. */
enum request_state request_state_parse(const char *code);
/* True for refused, hours_validated, withdrawn and cancelled: no transition leaves them. */
bool request_state_is_final(enum request_state s);
/* True for submitted, triaged and forwarded: the request waits for an answer, and its response
 * deadline runs. */
bool request_state_awaits_answer(enum request_state s);

/*
 * May a user of that role move a request of that kind from one state to another? Returns 0 if
 * so; ERR_CONFLICT when the transition is illegal for the kind whoever asks (« Une demande
 * « soumise » ne peut pas passer à « planifiée ». »); ERR_DENIED when it is legal but not for
 * that role (« Le rôle « Formateur » ne peut pas faire passer une demande de type « FIL » de
 * « soumise » à « prise en charge ». »; a transition that exists for other kinds only says
 * « Une demande de type « ALD » ne peut pas passer de « prise en charge » à « validée ». »);
 * ERR_INVAL for a kind or state out of range. On failure a French message goes to msg (n bytes,
 * NUL-terminated, cut at a UTF-8 boundary if too small; msg may be NULL when n is 0).
 */
int request_transition_check(enum request_kind kind, enum request_state from, enum request_state to,
                             enum role role, char *msg, size_t n);

/* True when that transition needs a reason (refusals, cancellations); the app refuses it
 * without one, checked by request_reason_check(). False for transitions that do not exist. */
bool request_transition_needs_reason(enum request_state from, enum request_state to);

/* The French name of the action ("Transmettre à un collectif"), for buttons and the history;
 * NULL when no kind has that transition. */
const char *request_transition_label(enum request_state from, enum request_state to);

/* Writes to out (room for n) the states a user of that role may move a request of that kind
 * to from `from`, in state order; returns how many there are (which may exceed n). */
size_t request_next_states(enum request_kind kind, enum request_state from, enum role role,
                           enum request_state *out, size_t n);

/* A reason is 3 to 500 characters of UTF-8 without control characters other than line breaks
 * and tabs. Returns 0, or ERR_INVAL with a French message in msg. */
int request_reason_check(const char *reason, size_t len, char *msg, size_t n);

/*
 * Response deadlines. 004 Annexe 4 c: the answer to any request "doit … Être apportée dans des
 * délais fixés et contraints (ex : délais de 5 semaines pour une réponse à une demande de FIL)".
 * Five weeks is the only figure the seeds give, so it is every kind's default; a campaign may
 * change it per kind (campaign.h), and adds ALP IDG's fixed answer date.
 */
#define REQUEST_RESPONSE_DAYS_DEFAULT 35
#define REQUEST_RESPONSE_DAYS_MAX     366
#define REQUEST_DUE_SOON_SECS         (7 * 86400) /* "due within 7 days" */

/* The default response time of a kind, in days (35 for every kind, see above); 0 out of
 * range. */
int request_response_days(enum request_kind kind);

/*
 * The deadline of a request submitted at `submitted_at` (Unix seconds) with `days` days to
 * answer: the same Paris wall-clock time, `days` calendar days later, so that five weeks from
 * 10:00 on 10 October are 10:00 on 14 November although the clocks went back in between. A time
 * that does not exist that day (in the hour skipped in March) moves one hour later. Returns 0,
 * or ERR_INVAL when days is outside 0..REQUEST_RESPONSE_DAYS_MAX or submitted_at outside the
 * years 1900..9998 (*deadline untouched).
 */
int request_deadline(int64_t submitted_at, int days, int64_t *deadline);

/* Where a request stands against its deadline, for the coordinator's queue. */
enum request_urgency {
    REQUEST_ON_TIME,  /* more than 7 days left */
    REQUEST_DUE_SOON, /* 7 days or less left */
    REQUEST_OVERDUE,  /* the deadline has passed (now >= deadline) */
    REQUEST_URGENCY_COUNT
};

enum request_urgency request_urgency_of(int64_t deadline, int64_t now);
/* "on_time", "due_soon", "overdue"; NULL out of range. */
const char *request_urgency_code(enum request_urgency u);
/* "dans les délais", "échéance dans 7 jours au plus", "en retard"; "" out of range. */
const char *request_urgency_label(enum request_urgency u);

#endif
