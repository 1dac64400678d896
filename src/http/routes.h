/*
 * The route table: every URL Continuum answers, with what it requires (a session or a bearer
 * token, a capability, a body size) and its handler. Patterns are literal segments and {id}
 * segments (positive integers, passed in r->params in order).
 */
#ifndef HTTP_ROUTES_H
#define HTTP_ROUTES_H

#include <stddef.h>

#include "app/app.h"
#include "domain/role.h"
#include "domain/rules.h"
#include "http/http.h"

enum route_auth {
    AUTH_PUBLIC, /* no login needed */
    AUTH_PAGE,   /* a session cookie; anonymous users are sent to the login page */
    AUTH_API,    /* a bearer token; 401 problem otherwise */
};

/* Route flags. */
enum {
    /* The handler takes multipart/form-data and checks the "csrf" part itself (the router
     * only parses url-encoded forms). Any other route refuses a form post without a token. */
    ROUTE_MULTIPART = 1,
};

struct route {
    const char *method;
    const char *pattern;
    enum route_auth auth;
    int cap;           /* capability required, or -1 for any logged-in user */
    size_t body_limit; /* 0: the default (64 KiB) */
    int (*handler)(struct http_req *r);
    unsigned flags; /* ROUTE_* */
};

extern const struct route routes[];

/* Finds the route of method and path; fills r->params. *path_known tells whether the path
 * matched with another method (405 rather than 404). NULL when none. */
const struct route *route_find(const char *method, const char *path, struct http_req *r,
                               int *path_known);

/* The use-case context of a request: its store connection, its user (NULL when anonymous),
 * its address and the time. */
struct app_ctx handler_ctx(struct http_req *r);

/* The field errors as an array of {field, message}, for the error summary of a form
 * (pages_trainers.c). */
json_t *page_field_errors(const struct field_errors *errs);

/* The trainers search parameters of the query string (pages_trainers.c). */
void trainer_search_args(struct http_req *r, struct trainer_search_input *in);

/* Handlers, grouped by file. */
int page_home(struct http_req *r);
int page_login_form(struct http_req *r);
int page_login(struct http_req *r);
int page_logout(struct http_req *r);
int page_audit(struct http_req *r);
int page_trainers(struct http_req *r);
int page_trainer(struct http_req *r);
int page_trainer_edit_form(struct http_req *r);
int page_trainer_edit(struct http_req *r);
int page_trainer_declare(struct http_req *r);
int page_my_profile(struct http_req *r);
int page_competence_withdraw(struct http_req *r);
int page_experience_add(struct http_req *r);
int page_experience_remove(struct http_req *r);
int page_validations(struct http_req *r);
int page_decide(struct http_req *r);
int page_import_form(struct http_req *r);
int page_import(struct http_req *r);
int page_export_csv(struct http_req *r);
int api_trainers(struct http_req *r);
int api_trainer(struct http_req *r);
int api_me(struct http_req *r);
int api_validations(struct http_req *r);
int api_decide(struct http_req *r);
int api_requests_create(struct http_req *r);
int api_requests_list(struct http_req *r);
int api_request_get(struct http_req *r);
int api_request_transition(struct http_req *r);
int api_request_proposals(struct http_req *r);
int api_request_assign(struct http_req *r);
int api_request_answer(struct http_req *r);
int api_request_session_add(struct http_req *r);
int api_request_session_remove(struct http_req *r);
int api_my_missions(struct http_req *r);
int api_inbox(struct http_req *r);
int api_campaign_assign(struct http_req *r);
int page_campaign_assign_form(struct http_req *r);
int page_campaign_assign(struct http_req *r);
int api_not_found(struct http_req *r);
int http_healthz(struct http_req *r);
int page_placement_import_form(struct http_req *r); /* pages_placement_import.c */
int page_placement_import(struct http_req *r);
int page_requests(struct http_req *r);
int page_request_create(struct http_req *r); /* pages_request_form.c, with page_request_new */
int page_request_new(struct http_req *r);
int page_request(struct http_req *r);
int page_request_transition(struct http_req *r);
/* The page of a request (pages_requests.c), with a message and the breaches of a refused
 * action; request_work_ctx (pages_request_work.c) adds its trainers, proposals and sessions. */
int page_request_render(struct http_req *r, unsigned status, const char *msg,
                        const struct rule_report *rules);
void request_work_ctx(struct http_req *r, json_t *ctx, json_t *req);
/* pages_request_work.c: trainers, sessions, missions, documents, inbox */
int page_request_assign(struct http_req *r);
int page_request_answer(struct http_req *r);
int page_request_hours(struct http_req *r);
int page_request_competences(struct http_req *r);
int api_request_hours(struct http_req *r);
int api_request_competences(struct http_req *r);
int page_request_session_add(struct http_req *r);
int page_request_session_remove(struct http_req *r);
int page_mission_order(struct http_req *r);
int page_alp_contract(struct http_req *r);
int page_my_missions(struct http_req *r);
int page_my_calendar(struct http_req *r);
int page_calendar_key(struct http_req *r);
int page_calendar_feed(struct http_req *r);
int page_inbox(struct http_req *r);
int page_inbox_read(struct http_req *r);
/* pages_campaigns.c */
int page_campaigns(struct http_req *r);
int page_campaign(struct http_req *r);
int page_campaign_update(struct http_req *r);
int api_campaign_get(struct http_req *r);
int api_campaign_update(struct http_req *r);
int page_stages(struct http_req *r);
int page_stages_period_create(struct http_req *r);
int page_stages_period(struct http_req *r);
int page_stages_window(struct http_req *r);
int page_stages_places(struct http_req *r);
int page_stages_students(struct http_req *r);
int page_stages_run_start(struct http_req *r);
int page_stages_run(struct http_req *r);
int page_stages_run_student(struct http_req *r);
int page_stages_adjust(struct http_req *r);
int page_stages_publish(struct http_req *r);
int page_stages_export_csv(struct http_req *r);
int page_stages_export_xlsx(struct http_req *r);
int page_stages_letter(struct http_req *r);
int page_stages_letters(struct http_req *r);
int page_stages_wishes(struct http_req *r);
int page_stages_wishes_save(struct http_req *r);
int page_stages_mine(struct http_req *r);
int page_stages_trainees(struct http_req *r);

#endif
