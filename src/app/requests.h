/*
 * Use cases of training requests (seed 004 §3 b, Annexe 4 c; issue 5): filing a request of any
 * kind, reading it and the coordinator's queue, and moving it through the workflow of
 * domain/request.h. Each checks the actor's role (the transition table) and scope, writes in
 * one transaction and audits. A draft keeps its details as given; submitting it runs the rule
 * pack of its kind (domain/rules_fil.h, rules_alp.h, rules_ant.h, rules_ent.h; ALD next) on the
 * details with the campaign of the current school year, and refuses it while a blocking rule
 * is broken.
 *
 * Who sees what: the coordination team, collectif pilots, inspectors, the comité de pilotage
 * and administrators see every request; anyone else sees the requests they filed, and a head
 * of establishment or an IEN also those filed for the same establishment or circonscription.
 */
#ifndef APP_REQUESTS_H
#define APP_REQUESTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "domain/rules.h"

/* Does this account see every request (coordination, pilots, inspectors, the comité de
 * pilotage, administrators)? Anyone else sees their own and their scope's. */
bool app_sees_all_requests(const struct user *u);

struct request_input {
    const char *kind;        /* "fil", "alp_idg"… */
    const char *dispositif;  /* a catalogue code of that kind, or NULL for the kind's first */
    const char *title;       /* 3 to 200 characters */
    const char *description; /* up to 5,000 characters, or NULL */
    const json_t *details;   /* the kind's own fields, an object, or NULL; a FIL's requester
                              * and need default to the account and the description */
    bool submit;             /* file it at once (submitted) rather than as a draft */
};

/* Files a request. ERR_DENIED when the actor's role may not file that kind; ERR_INVAL with one
 * error per field in errs, or, when submitting, the breaches of the kind's rules in rules
 * (warnings are reported there too, without refusing; rules may be NULL). Audited. */
int app_request_create(struct app_ctx *ctx, const struct request_input *in,
                       struct field_errors *errs, struct rule_report *rules, int64_t *id);

/* A request with its history and "next": the transitions the actor may make now
 * ([{to, label, needs_reason}]), and "urgency" while it awaits an answer. ERR_NOTFOUND when it
 * does not exist or the actor may not see it (the same answer). */
int app_request_get(struct app_ctx *ctx, int64_t id, json_t **out);

/* The requests the actor may see, optionally of one state and one kind (codes; an unknown one
 * is ERR_INVAL with its message in errs), deadlines first: {"items", "total", "page",
 * "per_page", "pages"}. */
int app_request_list(struct app_ctx *ctx, const char *state, const char *kind, int page,
                     int per_page, json_t **out, struct field_errors *errs);

/*
 * Moves a request to state `to`, with a reason where the transition needs one. Returns 0;
 * ERR_NOTFOUND; ERR_CONFLICT (illegal transition, or the request moved meanwhile), ERR_DENIED
 * (not for this role or scope) or ERR_INVAL (unknown state, missing or bad reason, or a broken
 * rule of the kind when submitting: then in rules), each with a French message in msg.
 * Submitting starts the response deadline. Audited.
 */
int app_request_transition(struct app_ctx *ctx, int64_t id, const char *to, const char *reason,
                           struct rule_report *rules, char *msg, size_t msg_len);

#endif
