/*
 * Pages of training requests (issue 5; seed 004 §3 b, Annexe 4 c): the list (the coordinator's
 * queue, deadlines first, or a requester's own requests, with links to the filing forms of
 * pages_request_form.c), and a request with its history and the transitions the user may make,
 * each a small form (a reason where needed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/requests.h"
#include "core/err.h"
#include "domain/dispositif.h"
#include "domain/request.h"
#include "http/routes.h"

static int fail_page(struct http_req *r, int rc)
{
    if (rc == ERR_DENIED)
        return http_error_page(r, 403, "Votre rôle ne permet pas cette action.");
    if (rc == ERR_NOTFOUND)
        return http_error_page(r, 404, "Aucune demande à cette adresse.");
    return http_error_page(r, 500, "Le service est momentanément indisponible.");
}

/* The kinds the user may file, for the links to their forms: [{code, label}]. */
static json_t *fileable_kinds(enum role role)
{
    json_t *arr = json_array();
    for (int k = 0; k < REQUEST_KIND_COUNT; k++)
        if (request_transition_check((enum request_kind)k, REQUEST_DRAFT, REQUEST_SUBMITTED, role,
                                     NULL, 0) == 0)
            json_array_append_new(arr, json_pack("{ss ss}", "code",
                                                 request_kind_code((enum request_kind)k), "label",
                                                 request_kind_label((enum request_kind)k)));
    return arr;
}

static void mark(json_t *arr, const char *key, const char *value)
{
    size_t i;
    json_t *it;
    json_array_foreach(arr, i, it)
    {
        const char *v = json_string_value(json_object_get(it, key));
        json_object_set_new(it, "selected", json_boolean(value && v && strcmp(v, value) == 0));
    }
}

static int list_page(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    int page = 1;
    if (!http_page_arg(r, &page))
        return http_error_page(r, 400, "Numéro de page invalide.");
    const char *state = http_arg(r, "state"), *kind = http_arg(r, "kind");
    struct field_errors errs = {0};
    json_t *res = NULL;
    int rc = app_request_list(&c, state, kind, page, 20, &res, &errs);
    if (rc && rc != ERR_INVAL)
        return fail_page(r, rc);
    json_t *ctx = json_pack("{ss}", "title", "Demandes de formation");
    http_crumbs(ctx, (struct crumb[]){{NULL, "Demandes de formation"}}, 1);
    if (res) {
        json_object_update(ctx, res);
        int64_t p = json_integer_value(json_object_get(res, "page"));
        int64_t pages = json_integer_value(json_object_get(res, "pages"));
        if (p > 1)
            json_object_set_new(ctx, "prev_page", json_integer(p - 1));
        if (p < pages)
            json_object_set_new(ctx, "next_page", json_integer(p + 1));
        json_decref(res);
    }
    json_t *states = json_array(), *kinds = json_array();
    for (int s = 0; s < REQUEST_STATE_COUNT; s++)
        json_array_append_new(states, json_pack("{ss ss}", "code",
                                                request_state_code((enum request_state)s), "label",
                                                request_state_label((enum request_state)s)));
    for (int k = 0; k < REQUEST_KIND_COUNT; k++)
        json_array_append_new(kinds,
                              json_pack("{ss ss}", "code", request_kind_code((enum request_kind)k),
                                        "label", request_kind_short((enum request_kind)k)));
    mark(states, "code", state);
    mark(kinds, "code", kind);
    json_object_set_new(ctx, "states", states);
    json_object_set_new(ctx, "kinds", kinds);
    /* Links to the filing forms (pages_request_form.c). */
    json_t *fileable = fileable_kinds(r->user.role);
    json_object_set_new(ctx, "can_file", json_boolean(json_array_size(fileable) > 0));
    json_object_set_new(ctx, "fileable", fileable);
    if (errs.count)
        json_object_set_new(ctx, "filter_errors", page_field_errors(&errs));
    const char *ok = http_arg(r, "ok");
    if (ok && strcmp(ok, "retrait") == 0)
        json_object_set_new(ctx, "flash", json_string("La demande est retirée."));
    return http_page(r, errs.count ? 400 : 200, "requests.html", ctx);
}

int page_requests(struct http_req *r)
{
    return list_page(r);
}

int page_request_render(struct http_req *r, unsigned status, const char *msg,
                        const struct rule_report *rules)
{
    struct app_ctx c = handler_ctx(r);
    json_t *req = NULL;
    int rc = app_request_get(&c, r->params[0], &req);
    if (rc)
        return fail_page(r, rc);
    char title[240];
    snprintf(title, sizeof title, "Demande n° %lld", (long long)r->params[0]);
    json_t *ctx = json_pack("{ss so}", "title", title, "request", req);
    http_crumbs(ctx, (struct crumb[]){{"/demandes", "Demandes de formation"}, {NULL, title}}, 2);
    if (msg)
        json_object_set_new(ctx, "message", json_string(msg));
    if (rules && rules->count > 0) {
        json_t *arr = json_array();
        for (int i = 0; i < rules->count; i++)
            json_array_append_new(arr, json_pack("{ss sb}", "detail", rules->items[i].detail,
                                                 "warning", rules->items[i].warning));
        json_object_set_new(ctx, "breaches", arr);
    }
    static const struct {
        const char *code, *text;
    } flashes[] = {
        {"depot", "La demande est déposée : le délai de réponse court."},
        {"brouillon", "Le brouillon est enregistré : déposez-le quand il est prêt."},
        {"transition", "La demande a changé d’état."},
        {"affectation", "Les formateurs sont affectés : chacun a reçu sa mission à "
                        "accepter."},
        {"mission-acceptee", "La mission est acceptée."},
        {"mission-declinee", "La mission est déclinée : l’équipe de coordination est prévenue."},
        {"seance", "La séance est ajoutée."},
        {"seance-retiree", "La séance est retirée."}};
    const char *ok = http_arg(r, "ok");
    for (size_t i = 0; ok && i < sizeof flashes / sizeof *flashes; i++)
        if (strcmp(ok, flashes[i].code) == 0)
            json_object_set_new(ctx, "flash", json_string(flashes[i].text));
    request_work_ctx(r, ctx, req);
    return http_page(r, status, "request.html", ctx);
}

int page_request(struct http_req *r)
{
    return page_request_render(r, 200, NULL, NULL);
}

int page_request_transition(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    char msg[256] = "";
    const char *reason = http_form(r, "reason");
    struct rule_report rules;
    rule_report_init(&rules);
    int rc = app_request_transition(&c, r->params[0], http_form(r, "to"),
                                    reason && *reason ? reason : NULL, &rules, msg, sizeof msg);
    if (rc == 0) {
        char loc[64];
        snprintf(loc, sizeof loc, "/demandes/%lld?ok=transition", (long long)r->params[0]);
        return http_redirect(r, loc);
    }
    if (rc == ERR_NOTFOUND)
        return fail_page(r, rc);
    if (rc == ERR_CONFLICT || rc == ERR_INVAL || rc == ERR_DENIED)
        return page_request_render(r,
                                   rc == ERR_CONFLICT ? 409
                                   : rc == ERR_DENIED ? 403
                                                      : 400,
                                   msg, &rules);
    return fail_page(r, rc);
}
