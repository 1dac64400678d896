/*
 * Use cases of the bureau des stages (seed 004 §3 d): periods and their wishes window, places
 * and students, students' ranked wishes, runs of the placement engine (engine/placement.h) with
 * the instance stored for replay, explanations, manual adjustments, publication, and what each
 * person then sees. Each use case validates, checks the actor's role and scope, writes in one
 * transaction and audits every change.
 *
 * Who may do what: CAP_PLACEMENT_MANAGE (bureau des stages, administrators) everything;
 * CAP_PLACEMENT_READ (coordination, steering) reads periods and runs; a student ranks their own
 * wishes while the window is open and, after publication, sees their own placement and why;
 * a tutor (the account named on a place) and a head of establishment (requester scoped to that
 * establishment) see the published trainees of their places.
 */
#ifndef APP_PLACEMENT_H
#define APP_PLACEMENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "core/buf.h"
#include "domain/internship.h"

/* ---- periods, places, students ---- */

int app_period_create(struct app_ctx *ctx, const struct internship_period *p,
                      struct field_errors *errs, int64_t *id);
/* Periods the actor may see (managers and readers: all; others: ERR_DENIED). */
int app_period_list(struct app_ctx *ctx, json_t **out);
/* A period with "window" ("before", "open" or "closed"), "can_manage" and its runs. */
int app_period_get(struct app_ctx *ctx, int64_t id, json_t **out);
/* Opens or moves the wishes window (Unix times). */
int app_period_set_window(struct app_ctx *ctx, int64_t id, int64_t open_at, int64_t close_at,
                          struct field_errors *errs);

/* Adds a place or a student (validated; the UAI, discipline and accounts must exist). Errors per
 * field in errs (ERR_INVAL), ERR_EXISTS when the code is taken in the period. Audited. Used by
 * the pages, the CSV import and the demo data. */
int app_place_add(struct app_ctx *ctx, const struct internship_place *p, struct field_errors *errs,
                  int64_t *id);
int app_istudent_add(struct app_ctx *ctx, const struct internship_student *s,
                     struct field_errors *errs, int64_t *id);
/* The student of a period with this code (for the bureau's forms); ERR_NOTFOUND. */
int app_istudent_find(struct app_ctx *ctx, int64_t period_id, const char *code, int64_t *id);
/* Paged lists: {"items", "total", "page", "per_page", "pages"}. */
int app_place_list(struct app_ctx *ctx, int64_t period_id, int page, int per_page, json_t **out);
int app_istudent_list(struct app_ctx *ctx, int64_t period_id, int page, int per_page, json_t **out);

/* ---- wishes ---- */

/*
 * The actor's own wishes page of a period (period_id 0: the latest period where the actor is a
 * student): {"period", "student" (with "wishes_list"), "places" (the compatible ones),
 * "window", "can_edit"}. ERR_NOTFOUND when the actor is no student of it.
 */
int app_wishes_get(struct app_ctx *ctx, int64_t period_id, json_t **out);
/*
 * Replaces a student's wishes with place_ids[0..n) (0 entries are skipped: empty selects),
 * best first. The student themself while the window is open, or a manager at any time before
 * publication. Each place must be of the period, compatible, listed once; at most the period's
 * max_wishes. Errors in errs ("wishes", French), ERR_CONFLICT with msg when the window is
 * closed. Audited with the lists before and after.
 */
int app_wishes_set(struct app_ctx *ctx, int64_t student_id, const int64_t *place_ids, int n,
                   struct field_errors *errs, char *msg, size_t msg_len);

/* ---- runs ---- */

/*
 * Runs the engine on the period's current places, students and wishes: method "stable" or
 * "optimal", lottery "" (ties by student code) or a decimal seed. Stores the instance, the
 * parameters and the result (one transaction, or inside the caller's); audited. Errors in errs.
 */
int app_run_start(struct app_ctx *ctx, int64_t period_id, const char *method, const char *lottery,
                  struct field_errors *errs, int64_t *run_id);
/* A run with its period, statistics and rank profile ("profile": [{rank, count, percent}]). */
int app_run_get(struct app_ctx *ctx, int64_t run_id, json_t **out);
/* Its assignments, paged, optionally only the unassigned. */
int app_run_assignments(struct app_ctx *ctx, int64_t run_id, bool unassigned_only, int page,
                        int per_page, json_t **out);
/* Solves the stored instance again with the stored parameters and compares with what the
 * engine gave the first time: *same, and *differences (students whose place differs). */
int app_run_replay(struct app_ctx *ctx, int64_t run_id, bool *same, int64_t *differences);
/*
 * One student of a run, for the bureau: the assignment, the wishes, and "explanations": one
 * French sentence per better wish ({rank, place, text}). With for_student, other students are
 * not named.
 */
int app_run_student(struct app_ctx *ctx, int64_t run_id, int64_t student_id, json_t **out);

/*
 * A manual adjustment by the bureau: action "move" (student to place_id), "swap" (student and
 * other_student exchange places) or "unassign". Without confirm, when the change breaks a
 * capacity or creates blocking pairs, nothing is written and ERR_CONFLICT is returned with
 * *warnings (a JSON array of French sentences); with confirm it is applied anyway. A published
 * run cannot be changed (ERR_CONFLICT, msg). Audited.
 */
struct adjustment {
    const char *action;
    int64_t student_id;
    int64_t place_id;
    int64_t other_student_id;
    bool confirm;
};
int app_run_adjust(struct app_ctx *ctx, int64_t run_id, const struct adjustment *adj,
                   json_t **warnings, struct field_errors *errs, char *msg, size_t msg_len);

/* Publishes a run: its period's students, tutors and heads of establishment then see it (in its
 * own transaction, or inside the caller's). */
int app_run_publish(struct app_ctx *ctx, int64_t run_id, char *msg, size_t msg_len);

/* ---- what each one sees ---- */

/* The actor's placements as a student: [{period, wishes, published, assignment, explanations}]. */
int app_my_placements(struct app_ctx *ctx, json_t **out);
/* The published trainees of the actor's places (as tutor) or establishment (as head). */
int app_my_trainees(struct app_ctx *ctx, json_t **out);
/* A placement letter: the assignment with period and place, for the bureau or the student
 * themself once published. */
int app_placement_letter(struct app_ctx *ctx, int64_t run_id, int64_t student_id, json_t **out);

/* The letters of a run's placed students, paged in name order, for printing in batches:
 * {"run", "period", "letters": [{"student", "assignment"}], "total", "page", ...}. */
int app_placement_letters(struct app_ctx *ctx, int64_t run_id, int page, int per_page,
                          json_t **out);

/* ---- exports ---- */

/* Every assignment of a run as CSV (UTF-8 with BOM, ';', CRLF) or XLSX, appended to out. */
int app_run_export(struct app_ctx *ctx, int64_t run_id, bool xlsx, struct buf *out);

#endif
