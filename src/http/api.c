/*
 * The JSON API under /api/v1/, for the académie's other tools. Authenticated by bearer token
 * only (no cookies, hence no CSRF); errors are application/problem+json with a French detail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/campaigns.h"
#include "app/missions.h"
#include "app/requests.h"
#include "core/err.h"
#include "core/timeutil.h"
#include "domain/campaign.h"
#include "http/cache.h"
#include "http/routes.h"

/* 400 with one {"field","detail"} per problem in "errors". */
static int bad_params(struct http_req *r, const struct field_errors *errs)
{
    json_t *arr = json_array();
    for (int i = 0; i < errs->count; i++)
        json_array_append_new(arr, json_pack("{ss ss}", "field", errs->items[i].field, "detail",
                                             errs->items[i].message));
    const char *first = errs->count ? errs->items[0].message : "Paramètre invalide.";
    return http_problem(r, 400, "Paramètre invalide", first, json_pack("{so}", "errors", arr));
}

static int store_error(struct http_req *r, int rc)
{
    if (rc == ERR_DENIED)
        return http_problem(r, 403, "Accès refusé", "Votre rôle ne permet pas cette action.", NULL);
    if (rc == ERR_NOTFOUND)
        return http_problem(r, 404, "Ressource introuvable",
                            "Aucune ressource avec cet identifiant.", NULL);
    return http_problem(r, 500, "Erreur interne", "Le service est momentanément indisponible.",
                        NULL);
}

/* Query parameters the trainers search accepts; any other is refused (a typo must not
 * silently widen a search). */
static const char *const search_params[] = {"q",        "degree",  "discipline", "institution",
                                            "site",     "weekday", "validated",  "page",
                                            "per_page", NULL};

struct unknown_arg {
    const char *const *allowed; /* the parameters the route accepts */
    char name[64];
    int found;
};

#include <microhttpd.h>

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    (void)kind;
    (void)value;
    struct unknown_arg *u = cls;
    for (int i = 0; u->allowed[i]; i++)
        if (strcmp(u->allowed[i], key) == 0)
            return MHD_YES;
    if (!u->found)
        snprintf(u->name, sizeof u->name, "%s", key);
    u->found = 1;
    return MHD_YES;
}

/* The API's list items carry codes, not the French labels the pages show next to them (the
 * référentiels give those): half the bytes, for clients that page through thousands. */
static void compact_items(json_t *res)
{
    static const char *const item_labels[] = {"corps_label", "degree_label", "site_label"};
    static const char *const competence_labels[] = {"level_label", "state_label", "validated"};
    size_t i, j;
    json_t *it, *c;
    json_array_foreach(json_object_get(res, "items"), i, it)
    {
        for (size_t k = 0; k < sizeof item_labels / sizeof *item_labels; k++)
            json_object_del(it, item_labels[k]);
        json_array_foreach(json_object_get(it, "competences"), j, c)
        {
            for (size_t k = 0; k < sizeof competence_labels / sizeof *competence_labels; k++)
                json_object_del(c, competence_labels[k]);
        }
    }
}

int api_trainers(struct http_req *r)
{
    struct unknown_arg u = {.allowed = search_params};
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, check_arg, &u);
    struct field_errors errs = {0};
    if (u.found) {
        field_errors_add(&errs, "query", "Paramètre inconnu : « %.40s ».", u.name);
        return bad_params(r, &errs);
    }
    struct trainer_search_input in;
    trainer_search_args(r, &in);
    struct app_ctx c = handler_ctx(r);
    /* Results do not depend on who asks (the route already checked they may search): one
     * cache entry per query string, valid while the search generation stands. */
    struct resp_cache *cache = server_search_cache(r->srv);
    struct buf key, body;
    buf_init(&key, 4096);
    buf_init(&body, 4 << 20);
    int64_t gen = -1;
    if (cache) {
        http_query_args(r, search_params, &key);
        if (buf_failed(&key) || app_search_generation(&c, &gen) != 0)
            gen = -1;
        if (gen >= 0 && resp_cache_get(cache, key.data, gen, &body)) {
            int ret = http_send(r, 200, "application/json; charset=utf-8", body.data, body.len);
            buf_free(&key);
            buf_free(&body);
            return ret;
        }
    }
    json_t *res = NULL;
    int rc = app_trainer_search(&c, &in, &res, &errs);
    int ret;
    if (rc == 0)
        compact_items(res);
    char *text = rc ? NULL : json_dumps(res, JSON_COMPACT);
    json_decref(res);
    if (rc == ERR_INVAL)
        ret = bad_params(r, &errs);
    else if (rc)
        ret = store_error(r, rc);
    else if (!text)
        ret = store_error(r, ERR_NOMEM);
    else {
        if (cache && gen >= 0)
            resp_cache_put(cache, key.data, gen, text, strlen(text));
        ret = http_send(r, 200, "application/json; charset=utf-8", text, strlen(text));
    }
    free(text);
    buf_free(&key);
    buf_free(&body);
    return ret;
}

int api_trainer(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    json_t *t = NULL;
    int rc = app_trainer_get(&c, r->params[0], &t);
    if (rc)
        return store_error(r, rc);
    return http_send_json(r, 200, t);
}

int api_me(struct http_req *r)
{
    return http_send_json(
        r, 200,
        json_pack("{sI ss ss ss ss ss sI}", "id", (json_int_t)r->user.id, "login", r->user.login,
                  "name", r->user.display_name, "role", role_code(r->user.role), "scope_kind",
                  scope_code(r->user.scope_kind), "scope_value", r->user.scope_value, "trainer_id",
                  (json_int_t)r->user.trainer_id));
}

int api_validations(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    int page = 1;
    if (!http_page_arg(r, &page)) {
        struct field_errors errs = {0};
        field_errors_add(&errs, "page", "Page : un entier de 1 à 100000 attendu.");
        return bad_params(r, &errs);
    }
    json_t *res = NULL;
    struct field_errors errs = {0};
    int rc = app_validation_queue(&c, http_arg(r, "discipline"), http_arg(r, "site"), page, 50,
                                  &res, &errs);
    if (rc == ERR_INVAL)
        return bad_params(r, &errs);
    if (rc)
        return store_error(r, rc);
    return http_send_json(r, 200, res);
}

int api_decide(struct http_req *r)
{
    json_error_t jerr;
    json_t *body = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &jerr);
    if (!body || !json_is_object(body)) {
        json_decref(body);
        return http_problem(r, 400, "JSON invalide",
                            "Le corps doit être un objet JSON {\"decision\": \"validated\" | "
                            "\"refused\", \"reason\": \"…\"}.",
                            NULL);
    }
    const char *decision = json_string_value(json_object_get(body, "decision"));
    json_t *jr = json_object_get(body, "reason");
    const char *reason = json_string_value(jr);
    int to = decision ? competence_state_parse(decision) : -1;
    if ((to != COMPETENCE_VALIDATED && to != COMPETENCE_REFUSED) || (jr && !reason)) {
        json_decref(body);
        struct field_errors errs = {0};
        if (to != COMPETENCE_VALIDATED && to != COMPETENCE_REFUSED)
            field_errors_add(&errs, "decision", "decision : « validated » ou « refused » attendu.");
        else
            field_errors_add(&errs, "reason", "reason : une chaîne de caractères attendue.");
        return bad_params(r, &errs);
    }
    char msg[256] = "";
    struct app_ctx c = handler_ctx(r);
    int rc = app_competence_decide(&c, r->params[0], r->params[1], (enum competence_state)to,
                                   reason, msg, sizeof msg);
    json_decref(body);
    if (rc == 0)
        return http_send_json(
            r, 200, json_pack("{ss}", "state", competence_state_code((enum competence_state)to)));
    if (rc == ERR_CONFLICT)
        return http_problem(r, 409, "Conflit", msg, NULL);
    if (rc == ERR_INVAL)
        return http_problem(r, 422, "Décision invalide", msg, NULL);
    if (rc == ERR_NOTFOUND)
        return http_problem(r, 404, "Ressource introuvable", msg[0] ? msg : "Introuvable.", NULL);
    if (rc == ERR_DENIED)
        return http_problem(r, 403, "Accès refusé", msg, NULL);
    return store_error(r, rc);
}

/* ---- training requests ---- */

/* The breaches of a rule pack as {"rule", "field", "detail"} (+ "warning": true). */
static void add_breaches(json_t *arr, const struct rule_report *rules)
{
    for (int i = 0; rules && i < rules->count; i++) {
        const struct rule_breach *b = &rules->items[i];
        json_t *o =
            json_pack("{ss ss ss}", "rule", b->rule, "field", b->field, "detail", b->detail);
        if (b->warning)
            json_object_set_new(o, "warning", json_true());
        json_array_append_new(arr, o);
    }
}

/* 422 for a request that breaks rules: one {"rule", "field", "detail"} per breach, the field
 * errors of the request first, then those of its kind's rules. */
static int unprocessable(struct http_req *r, const char *prefix, const struct field_errors *errs,
                         const struct rule_report *rules)
{
    json_t *arr = json_array();
    for (int i = 0; i < errs->count; i++) {
        char rule[96];
        snprintf(rule, sizeof rule, "%s.%s", prefix, errs->items[i].field);
        json_array_append_new(arr,
                              json_pack("{ss ss ss}", "rule", rule, "field", errs->items[i].field,
                                        "detail", errs->items[i].message));
    }
    add_breaches(arr, rules);
    const char *first = errs->count                 ? errs->items[0].message
                        : rules && rules->count > 0 ? rules->items[0].detail
                                                    : "Demande invalide.";
    return http_problem(r, 422, "Demande non conforme", first, json_pack("{so}", "errors", arr));
}

/* The body as a JSON object whose members are all among allowed; else a 400 is sent and NULL
 * returned (*sent set). */
static json_t *body_object(struct http_req *r, const char *const *allowed, const char *shape,
                           int *sent)
{
    json_error_t jerr;
    json_t *body = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &jerr);
    if (!body || !json_is_object(body)) {
        json_decref(body);
        *sent = http_problem(r, 400, "JSON invalide", shape, NULL);
        return NULL;
    }
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v)
    {
        bool known = false;
        for (int i = 0; allowed[i] && !known; i++)
            known = strcmp(allowed[i], key) == 0;
        if (!known) {
            struct field_errors errs = {0};
            field_errors_add(&errs, "body", "Champ inconnu : « %.40s ».", key);
            json_decref(body);
            *sent = bad_params(r, &errs);
            return NULL;
        }
    }
    return body;
}

/* A member that must be a string when present. */
static bool string_member(const json_t *body, const char *key, const char **out,
                          struct field_errors *errs)
{
    json_t *v = json_object_get(body, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_string(v)) {
        field_errors_add(errs, key, "%s : une chaîne de caractères attendue.", key);
        return false;
    }
    *out = json_string_value(v);
    return true;
}

int api_requests_create(struct http_req *r)
{
    static const char *const allowed[] = {"kind",    "dispositif", "title", "description",
                                          "details", "submit",     NULL};
    int sent = 0;
    json_t *body = body_object(
        r, allowed, "Le corps doit être un objet JSON {\"kind\": …, \"title\": …}.", &sent);
    if (!body)
        return sent;
    struct field_errors errs = {0};
    struct request_input in = {0};
    string_member(body, "kind", &in.kind, &errs);
    string_member(body, "dispositif", &in.dispositif, &errs);
    string_member(body, "title", &in.title, &errs);
    string_member(body, "description", &in.description, &errs);
    json_t *details = json_object_get(body, "details"), *submit = json_object_get(body, "submit");
    if (details && !json_is_object(details))
        field_errors_add(&errs, "details", "details : un objet JSON attendu.");
    if (submit && !json_is_boolean(submit))
        field_errors_add(&errs, "submit", "submit : true ou false attendu.");
    if (errs.count) {
        json_decref(body);
        return bad_params(r, &errs);
    }
    in.details = details;
    in.submit = json_is_true(submit);
    struct app_ctx c = handler_ctx(r);
    int64_t id = 0;
    struct rule_report rules;
    rule_report_init(&rules);
    int rc = app_request_create(&c, &in, &errs, &rules, &id);
    json_decref(body);
    if (rc == ERR_INVAL)
        return unprocessable(r, "request", &errs, &rules);
    if (rc == ERR_DENIED)
        return http_problem(r, 403, "Accès refusé",
                            "Votre rôle ne permet pas de déposer ce type de demande.", NULL);
    if (rc)
        return store_error(r, rc);
    json_t *out = NULL;
    rc = app_request_get(&c, id, &out);
    if (rc)
        return store_error(r, rc);
    if (rules.count > 0) { /* warnings only: the request is filed, the points are shown */
        json_t *w = json_array();
        add_breaches(w, &rules);
        json_object_set_new(out, "warnings", w);
    }
    return http_send_json(r, 201, out);
}

int api_requests_list(struct http_req *r)
{
    static const char *const allowed[] = {"state", "kind", "page", "per_page", NULL};
    struct unknown_arg u = {.allowed = allowed};
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, check_arg, &u);
    struct field_errors errs = {0};
    if (u.found) {
        field_errors_add(&errs, "query", "Paramètre inconnu : « %.40s ».", u.name);
        return bad_params(r, &errs);
    }
    int page = 1, per_page = 20;
    const char *pp = http_arg(r, "per_page");
    if (!http_page_arg(r, &page))
        field_errors_add(&errs, "page", "Page : un entier de 1 à 100000 attendu.");
    if (pp) {
        int64_t v = 0;
        if (!http_parse_id(pp, &v) || v > 100)
            field_errors_add(&errs, "per_page", "per_page : un entier de 1 à 100 attendu.");
        else
            per_page = (int)v;
    }
    if (errs.count)
        return bad_params(r, &errs);
    struct app_ctx c = handler_ctx(r);
    json_t *res = NULL;
    int rc = app_request_list(&c, http_arg(r, "state"), http_arg(r, "kind"), page, per_page, &res,
                              &errs);
    if (rc == ERR_INVAL)
        return bad_params(r, &errs);
    if (rc)
        return store_error(r, rc);
    return http_send_json(r, 200, res);
}

/* The request as GET /api/v1/requests/{id} gives it, with status. */
static int send_request(struct http_req *r, unsigned status)
{
    struct app_ctx c = handler_ctx(r);
    json_t *out = NULL;
    int rc = app_request_get(&c, r->params[0], &out);
    if (rc)
        return store_error(r, rc);
    return http_send_json(r, status, out);
}

int api_request_get(struct http_req *r)
{
    return send_request(r, 200);
}

int api_request_transition(struct http_req *r)
{
    static const char *const allowed[] = {"to", "reason", NULL};
    int sent = 0;
    json_t *body = body_object(
        r, allowed, "Le corps doit être un objet JSON {\"to\": \"triaged\", \"reason\": …}.",
        &sent);
    if (!body)
        return sent;
    struct field_errors errs = {0};
    const char *to = NULL, *reason = NULL;
    string_member(body, "to", &to, &errs);
    string_member(body, "reason", &reason, &errs);
    if (!to && errs.count == 0)
        field_errors_add(&errs, "to", "to : l’état visé est obligatoire.");
    if (errs.count) {
        json_decref(body);
        return bad_params(r, &errs);
    }
    struct app_ctx c = handler_ctx(r);
    char msg[256] = "";
    struct rule_report rules;
    rule_report_init(&rules);
    int rc = app_request_transition(&c, r->params[0], to, reason, &rules, msg, sizeof msg);
    json_decref(body);
    if (rc == ERR_INVAL && rules.blocking > 0) {
        struct field_errors none = {0};
        return unprocessable(r, "request", &none, &rules);
    }
    if (rc == ERR_CONFLICT)
        return http_problem(r, 409, "Transition impossible", msg, NULL);
    if (rc == ERR_DENIED)
        return http_problem(r, 403, "Accès refusé", msg, NULL);
    if (rc == ERR_INVAL)
        return http_problem(r, 422, "Transition non conforme", msg, NULL);
    if (rc == ERR_NOTFOUND)
        return http_problem(r, 404, "Ressource introuvable", msg, NULL);
    if (rc)
        return store_error(r, rc);
    return send_request(r, 200);
}

int api_not_found(struct http_req *r)
{
    return http_problem(r, 404, "Ressource introuvable", "Aucune ressource à cette adresse.", NULL);
}

/* ---- trainers and sessions of a request (app/missions.h) ---- */

/* The answer to a use case of app/missions.h that failed with rc and msg. */
static int mission_error(struct http_req *r, int rc, const char *msg)
{
    if (rc == ERR_CONFLICT)
        return http_problem(r, 409, "Action impossible", msg, NULL);
    if (rc == ERR_DENIED)
        return http_problem(r, 403, "Accès refusé",
                            *msg ? msg : "Votre rôle ne permet pas cette action.", NULL);
    if (rc == ERR_INVAL)
        return http_problem(r, 422, "Demande non conforme", msg, NULL);
    if (rc == ERR_NOTFOUND)
        return http_problem(r, 404, "Ressource introuvable",
                            *msg ? msg : "Aucune ressource avec cet identifiant.", NULL);
    return store_error(r, rc);
}

int api_request_proposals(struct http_req *r)
{
    static const char *const allowed[] = {"limit", NULL};
    struct unknown_arg u = {.allowed = allowed};
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, check_arg, &u);
    struct field_errors errs = {0};
    if (u.found) {
        field_errors_add(&errs, "query", "Paramètre inconnu : « %.40s ».", u.name);
        return bad_params(r, &errs);
    }
    const char *l = http_arg(r, "limit");
    int64_t v = 10;
    if (l && (!http_parse_id(l, &v) || v > MISSION_PROPOSALS_MAX)) {
        field_errors_add(&errs, "limit", "limit : un entier de 1 à %d.", MISSION_PROPOSALS_MAX);
        return bad_params(r, &errs);
    }
    int limit = (int)v;
    struct app_ctx c = handler_ctx(r);
    char msg[400] = "";
    json_t *out = NULL;
    int rc = app_request_proposals(&c, r->params[0], limit, &out, msg, sizeof msg);
    if (rc)
        return mission_error(r, rc, msg);
    return http_send_json(r, 200, out);
}

int api_request_assign(struct http_req *r)
{
    static const char *const allowed[] = {"trainers", NULL};
    static const char *const shape = "Le corps doit être un objet JSON {\"trainers\": "
                                     "[{\"trainer_id\": 12, \"slot\": \"1D\"}]}.";
    int sent = 0;
    json_t *body = body_object(r, allowed, shape, &sent);
    if (!body)
        return sent;
    json_t *arr = json_object_get(body, "trainers");
    struct assign_choice ch[4];
    size_t n = 0, i;
    json_t *x;
    struct field_errors errs = {0};
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > 4)
        field_errors_add(&errs, "trainers", "trainers : une liste de 1 à 4 formateurs.");
    json_array_foreach(arr, i, x)
    {
        json_t *tid = json_object_get(x, "trainer_id"), *slot = json_object_get(x, "slot");
        if (errs.count || !json_is_object(x) || !json_is_integer(tid) ||
            json_integer_value(tid) < 1 || !json_is_string(slot)) {
            if (!errs.count)
                field_errors_add(&errs, "trainers",
                                 "trainers[%zu] : {\"trainer_id\": entier, \"slot\": \"1D\" | "
                                 "\"2D\" | \"any\"} attendu.",
                                 i);
            break;
        }
        ch[n++] = (struct assign_choice){(int64_t)json_integer_value(tid), json_string_value(slot)};
    }
    if (errs.count) {
        json_decref(body);
        return bad_params(r, &errs);
    }
    struct app_ctx c = handler_ctx(r);
    char msg[400] = "";
    int rc = app_request_assign(&c, r->params[0], ch, n, msg, sizeof msg);
    json_decref(body);
    if (rc)
        return mission_error(r, rc, msg);
    return send_request(r, 200);
}

int api_request_answer(struct http_req *r)
{
    static const char *const allowed[] = {"accept", "reason", NULL};
    int sent = 0;
    json_t *body =
        body_object(r, allowed,
                    "Le corps doit être un objet JSON {\"accept\": true} ou {\"accept\": false, "
                    "\"reason\": \"…\"}.",
                    &sent);
    if (!body)
        return sent;
    struct field_errors errs = {0};
    const char *reason = NULL;
    json_t *acc = json_object_get(body, "accept");
    if (!json_is_boolean(acc))
        field_errors_add(&errs, "accept", "accept : true ou false.");
    string_member(body, "reason", &reason, &errs);
    if (errs.count) {
        json_decref(body);
        return bad_params(r, &errs);
    }
    struct app_ctx c = handler_ctx(r);
    char msg[400] = "";
    int rc = app_mission_answer(&c, r->params[0], json_is_true(acc), reason, msg, sizeof msg);
    json_decref(body);
    if (rc)
        return mission_error(r, rc, msg);
    return send_request(r, 200);
}

int api_request_session_add(struct http_req *r)
{
    static const char *const allowed[] = {"date", "start", "end", "place", "modality", NULL};
    int sent = 0;
    json_t *body = body_object(r, allowed,
                               "Le corps doit être un objet JSON {\"date\": \"2027-01-12\", "
                               "\"start\": \"09:00\", \"end\": \"12:00\", \"place\": …, "
                               "\"modality\": \"presentiel\"}.",
                               &sent);
    if (!body)
        return sent;
    struct field_errors errs = {0};
    struct tsession_input in = {0};
    string_member(body, "date", &in.date, &errs);
    string_member(body, "start", &in.start, &errs);
    string_member(body, "end", &in.end, &errs);
    string_member(body, "place", &in.place, &errs);
    string_member(body, "modality", &in.modality, &errs);
    if (errs.count) {
        json_decref(body);
        return bad_params(r, &errs);
    }
    struct app_ctx c = handler_ctx(r);
    char msg[400] = "";
    int64_t sid = 0;
    int rc = app_tsession_add(&c, r->params[0], &in, &errs, msg, sizeof msg, &sid);
    json_decref(body);
    if (rc == ERR_INVAL && errs.count)
        return unprocessable(r, "session", &errs, NULL);
    if (rc)
        return mission_error(r, rc, msg);
    return send_request(r, 201);
}

int api_request_session_remove(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    char msg[400] = "";
    int rc = app_tsession_remove(&c, r->params[0], r->params[1], msg, sizeof msg);
    if (rc)
        return mission_error(r, rc, msg);
    return send_request(r, 200);
}

int api_my_missions(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    json_t *out = NULL;
    int rc = app_my_missions(&c, &out);
    if (rc == ERR_DENIED)
        return http_problem(r, 403, "Accès refusé", "Ce compte n’est pas celui d’un formateur.",
                            NULL);
    if (rc)
        return store_error(r, rc);
    return http_send_json(r, 200, json_pack("{so}", "items", out));
}

int api_inbox(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    json_t *out = NULL;
    int rc = app_inbox(&c, &out);
    if (rc)
        return store_error(r, rc);
    return http_send_json(r, 200, out);
}

int api_campaign_assign(struct http_req *r)
{
    static const char *const allowed[] = {"kind", "dry_run", NULL};
    int sent = 0;
    json_t *body = body_object(
        r, allowed, "Le corps doit être un objet JSON {\"kind\": \"alp_idg\", \"dry_run\": true}.",
        &sent);
    if (!body)
        return sent;
    struct field_errors errs = {0};
    const char *kind = NULL;
    string_member(body, "kind", &kind, &errs);
    json_t *dry = json_object_get(body, "dry_run");
    if (dry && !json_is_boolean(dry))
        field_errors_add(&errs, "dry_run", "dry_run : true ou false.");
    if (r->params[0] < CAMPAIGN_YEAR_MIN || r->params[0] > CAMPAIGN_YEAR_MAX)
        field_errors_add(&errs, "year", "Année de campagne : de %d à %d (2026 pour 2026-2027).",
                         CAMPAIGN_YEAR_MIN, CAMPAIGN_YEAR_MAX);
    if (errs.count) {
        json_decref(body);
        return bad_params(r, &errs);
    }
    struct app_ctx c = handler_ctx(r);
    char msg[400] = "";
    json_t *out = NULL;
    int rc = app_campaign_assign(&c, (int)r->params[0], kind ? kind : "alp_idg", json_is_true(dry),
                                 &out, msg, sizeof msg);
    json_decref(body);
    if (rc == ERR_INVAL)
        return http_problem(r, 400, "Paramètre invalide", msg, NULL);
    if (rc)
        return mission_error(r, rc, msg);
    return http_send_json(r, 200, out);
}

int api_campaign_get(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    json_t *out = NULL;
    int rc = r->params[0] > CAMPAIGN_YEAR_MAX ? ERR_NOTFOUND
                                              : app_campaign_get(&c, (int)r->params[0], &out);
    if (rc == ERR_INVAL || rc == ERR_NOTFOUND)
        return http_problem(r, 404, "Ressource introuvable", "Aucune campagne pour cette année.",
                            NULL);
    if (rc)
        return store_error(r, rc);
    return http_send_json(r, 200, out);
}

int api_campaign_update(struct http_req *r)
{
    json_error_t jerr;
    json_t *body = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(body)) {
        json_decref(body);
        return http_problem(r, 400, "JSON invalide",
                            "Le corps doit être un objet JSON {\"ant\": {\"windows\": "
                            "[[\"2026-06-15\", \"2026-07-08\"]]}}.",
                            NULL);
    }
    struct app_ctx c = handler_ctx(r);
    struct field_errors errs = {0};
    int rc = r->params[0] > CAMPAIGN_YEAR_MAX
                 ? ERR_NOTFOUND
                 : app_campaign_update(&c, (int)r->params[0], body, &errs);
    json_decref(body);
    if (rc == ERR_INVAL && errs.count)
        return unprocessable(r, "campaign", &errs, NULL);
    if (rc == ERR_DENIED)
        return http_problem(r, 403, "Accès refusé",
                            "Les réglages des campagnes sont ceux du comité de pilotage.", NULL);
    if (rc == ERR_NOTFOUND || rc == ERR_INVAL)
        return http_problem(r, 404, "Ressource introuvable", "Aucune campagne pour cette année.",
                            NULL);
    if (rc)
        return store_error(r, rc);
    return api_campaign_get(r);
}

int api_request_hours(struct http_req *r)
{
    static const char *const allowed[] = {"hours", NULL};
    int sent = 0;
    json_t *body =
        body_object(r, allowed, "Le corps doit être un objet JSON {\"hours\": 12}.", &sent);
    if (!body)
        return sent;
    json_t *h = json_object_get(body, "hours");
    if (!json_is_integer(h) || json_integer_value(h) < 0 ||
        json_integer_value(h) > MISSION_HOURS_MAX) {
        json_decref(body);
        struct field_errors errs = {0};
        field_errors_add(&errs, "hours", "hours : un entier de 0 à %d.", MISSION_HOURS_MAX);
        return bad_params(r, &errs);
    }
    struct app_ctx c = handler_ctx(r);
    char msg[400] = "";
    int rc = app_mission_declare(&c, r->params[0], (int)json_integer_value(h), msg, sizeof msg);
    json_decref(body);
    if (rc)
        return mission_error(r, rc, msg);
    return send_request(r, 200);
}

int api_request_competences(struct http_req *r)
{
    static const char *const allowed[] = {"competences", NULL};
    int sent = 0;
    json_t *body = body_object(
        r, allowed, "Le corps doit être un objet JSON {\"competences\": [\"climat-harcelement\"]}.",
        &sent);
    if (!body)
        return sent;
    const json_t *arr = json_object_get(body, "competences");
    const char *codes[16];
    size_t n = 0, i;
    const json_t *v;
    bool ok = json_is_array(arr) && json_array_size(arr) <= 16;
    json_array_foreach(arr, i, v)
    {
        if (!ok || !json_is_string(v)) {
            ok = false;
            break;
        }
        codes[n++] = json_string_value(v);
    }
    if (!ok) {
        json_decref(body);
        struct field_errors errs = {0};
        field_errors_add(&errs, "competences",
                         "competences : une liste de codes du référentiel (12 au plus).");
        return bad_params(r, &errs);
    }
    struct app_ctx c = handler_ctx(r);
    char msg[400] = "";
    int rc = app_request_set_competences(&c, r->params[0], codes, n, msg, sizeof msg);
    json_decref(body);
    if (rc)
        return mission_error(r, rc, msg);
    return send_request(r, 200);
}
