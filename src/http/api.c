/*
 * The JSON API under /api/v1/, for the académie's other tools. Authenticated by bearer token
 * only (no cookies, hence no CSRF); errors are application/problem+json with a French detail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/err.h"
#include "core/timeutil.h"
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
    for (int i = 0; search_params[i]; i++)
        if (strcmp(search_params[i], key) == 0)
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
    struct unknown_arg u = {0};
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

int api_not_found(struct http_req *r)
{
    return http_problem(r, 404, "Ressource introuvable", "Aucune ressource à cette adresse.", NULL);
}
