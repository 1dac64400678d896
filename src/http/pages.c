/* Pages of accounts and the home page: login, logout, the role's home, the audit log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/err.h"
#include "core/timeutil.h"
#include "http/routes.h"

#include <microhttpd.h>

int page_home(struct http_req *r)
{
    json_t *ctx = json_pack("{ss}", "title", "Accueil");
    json_object_set_new(ctx, "can_search",
                        json_boolean(role_can(r->user.role, CAP_TRAINER_SEARCH)));
    json_object_set_new(ctx, "can_decide",
                        json_boolean(role_can(r->user.role, CAP_COMPETENCE_DECIDE)));
    json_object_set_new(ctx, "can_audit", json_boolean(role_can(r->user.role, CAP_AUDIT_READ)));
    json_object_set_new(ctx, "can_placement",
                        json_boolean(role_can(r->user.role, CAP_PLACEMENT_READ)));
    json_object_set_new(ctx, "is_student", json_boolean(r->user.role == ROLE_STUDENT));
    json_object_set_new(
        ctx, "hosts_trainees",
        json_boolean(r->user.role == ROLE_TRAINER || (r->user.role == ROLE_REQUESTER &&
                                                      r->user.scope_kind == SCOPE_ESTABLISHMENT)));
    int64_t n = 0;
    struct app_ctx c = handler_ctx(r);
    if (app_trainer_count(&c, &n) == 0)
        json_object_set_new(ctx, "trainer_count", json_integer(n));
    if (role_can(r->user.role, CAP_COMPETENCE_DECIDE)) {
        json_t *q = NULL;
        struct field_errors errs = {0};
        if (app_validation_queue(&c, NULL, NULL, 1, 1, &q, &errs) == 0) {
            json_object_set(ctx, "queue_total", json_object_get(q, "total"));
            json_decref(q);
        }
    }
    return http_page(r, 200, "home.html", ctx);
}

/* The login page, with a fresh double-submit CSRF cookie. */
static int login_form(struct http_req *r, unsigned status, const char *error, const char *login)
{
    char csrf[APP_TOKEN_LEN + 1];
    app_random_hex(csrf);
    json_t *ctx = json_pack("{ss ss ss}", "title", "Connexion", "login_csrf", csrf, "login",
                            login ? login : "");
    if (error)
        json_object_set_new(ctx, "error", json_string(error));
    struct buf page;
    buf_init(&page, 1 << 20);
    int ret;
    if (http_render(r, "login.html", ctx, &page) != 0)
        ret = http_send(r, 500, "text/plain; charset=utf-8", "Erreur interne.", 16);
    else
        ret = http_send_with_cookie(r, status, page.data, page.len, LOGIN_CSRF_COOKIE, csrf);
    buf_free(&page);
    return ret;
}

int page_login_form(struct http_req *r)
{
    if (r->authed)
        return http_redirect(r, "/");
    return login_form(r, 200, NULL, NULL);
}

int page_login(struct http_req *r)
{
    const char *login = http_form(r, "login");
    const char *password = http_form(r, "password");
    if (!login || !*login || !password || !*password)
        return login_form(r, 400, "Saisissez votre identifiant et votre mot de passe.", login);
    if (strlen(login) > 64 || strlen(password) > 1024)
        return login_form(r, 400, "Identifiant ou mot de passe trop long.", NULL);
    struct app_ctx c = handler_ctx(r);
    struct user u;
    int retry = 0;
    int rc = app_login(&c, login, password, &u, &retry);
    if (rc == ERR_BUSY) {
        char msg[160];
        snprintf(msg, sizeof msg, "Trop de tentatives échouées : réessayez dans %d seconde%s.",
                 retry, retry > 1 ? "s" : "");
        return login_form(r, 429, msg, login);
    }
    if (rc == ERR_DENIED)
        return login_form(r, 401, "Identifiant ou mot de passe incorrect.", login);
    if (rc)
        return login_form(r, 500, "Le service est momentanément indisponible.", login);
    char token[APP_TOKEN_LEN + 1], csrf[APP_TOKEN_LEN + 1];
    if (app_session_open(&c, &u, token, csrf) != 0)
        return login_form(r, 500, "Le service est momentanément indisponible.", login);
    return http_set_cookie_redirect(r, "/", SESSION_COOKIE, token, APP_SESSION_TTL);
}

int page_logout(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    app_session_close(&c, r->session_hash);
    return http_set_cookie_redirect(r, "/connexion", SESSION_COOKIE, "", 0);
}

int page_audit(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    int page = 1;
    if (!http_page_arg(r, &page))
        return http_error_page(r, 400, "Numéro de page invalide : un entier de 1 à 100000.");
    json_t *res = NULL;
    int rc = app_audit_list(&c, NULL, 0, page, 50, &res);
    if (rc == ERR_DENIED)
        return http_error_page(r, 403, "Votre rôle ne permet pas de lire le journal.");
    if (rc)
        return http_error_page(r, 500, "Le journal est momentanément indisponible.");
    /* Pretty JSON of before/after for display. */
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(res, "items"), i, it)
    {
        const char *keys[] = {"before", "after"};
        for (int k = 0; k < 2; k++) {
            json_t *v = json_object_get(it, keys[k]);
            char *s = v && !json_is_null(v) ? json_dumps(v, JSON_INDENT(1) | JSON_SORT_KEYS) : NULL;
            json_object_set_new(it, keys[k], s ? json_string(s) : json_string(""));
            free(s);
        }
    }
    int64_t total = json_integer_value(json_object_get(res, "total"));
    json_object_set_new(res, "title", json_string("Journal d’audit"));
    http_crumbs(res, (struct crumb[]){{NULL, "Journal d’audit"}}, 1);
    if (page > 1)
        json_object_set_new(res, "prev_page", json_integer(page - 1));
    if ((int64_t)page * 50 < total)
        json_object_set_new(res, "next_page", json_integer(page + 1));
    return http_page(r, 200, "audit.html", res);
}
