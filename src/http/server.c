/*
 * libmicrohttpd glue: the daemon (internal thread pool on epoll, limits on connections, memory
 * per connection — which bounds headers — and idle time), request accumulation with a body
 * limit, authentication, CSRF, static files, and the response helpers of http.h.
 */
#include "http/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app.h"
#include "app/missions.h"
#include "core/err.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "http/cache.h"
#include "http/routes.h"
#include "web/embedded.h"
#include "web/tmpl.h"

#define BODY_LIMIT_DEFAULT (64u << 10)
#define CONN_MEMORY_LIMIT  (64u << 10) /* per connection; request headers must fit in it */
#define CONN_TIMEOUT       30          /* seconds of inactivity */
#define CONN_LIMIT         1024
#define SEARCH_CACHE_MAX   (8u << 20) /* bytes of cached API search responses */

struct server {
    struct MHD_Daemon *daemon;
    struct store_pool *pool;
    struct tmpl_set *tmpl;
    struct resp_cache *search_cache;
    char dsfr_dir[512];
    char static_dir[512];
    unsigned short port;
};

static const char *const security_headers[][2] = {
    {"Content-Security-Policy",
     "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
     "font-src 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; "
     "base-uri 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "same-origin"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
};

/* Queues resp with the security headers; records the status. */
static int queue(struct http_req *r, unsigned status, struct MHD_Response *resp)
{
    if (!resp)
        return MHD_NO;
    for (size_t i = 0; i < sizeof security_headers / sizeof security_headers[0]; i++)
        MHD_add_response_header(resp, security_headers[i][0], security_headers[i][1]);
    r->status = status;
    r->responded = true;
    int ret = MHD_queue_response(r->conn, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

int http_send(struct http_req *r, unsigned status, const char *content_type, const char *body,
              size_t len)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)(uintptr_t)body, MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", content_type);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    return queue(r, status, resp);
}

int http_send_download(struct http_req *r, const char *content_type, const char *filename,
                       const char *body, size_t len)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)(uintptr_t)body, MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    char disposition[160];
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"", filename);
    MHD_add_response_header(resp, "Content-Type", content_type);
    MHD_add_response_header(resp, "Content-Disposition", disposition);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    return queue(r, 200, resp);
}

int http_send_json(struct http_req *r, unsigned status, json_t *body)
{
    char *s = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!s)
        return http_send(r, 500, "application/problem+json",
                         "{\"title\":\"Erreur interne\",\"status\":500}", 39);
    int ret = http_send(r, status, "application/json; charset=utf-8", s, strlen(s));
    free(s);
    return ret;
}

int http_problem(struct http_req *r, unsigned status, const char *title, const char *detail,
                 json_t *extra)
{
    json_t *o = json_pack("{ss si ss}", "title", title, "status", (int)status, "detail", detail);
    if (o && extra)
        json_object_update(o, extra);
    json_decref(extra);
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (!s)
        return MHD_NO;
    int ret = http_send(r, status, "application/problem+json; charset=utf-8", s, strlen(s));
    free(s);
    return ret;
}

int http_redirect(struct http_req *r, const char *location)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Location", location);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    return queue(r, 303, resp);
}

const char *http_arg(struct http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

void http_query_args(struct http_req *r, const char *const *keys, struct buf *out)
{
    for (int i = 0; keys[i]; i++) {
        const char *v = http_arg(r, keys[i]);
        if (!v || !*v)
            continue;
        buf_printf(out, "%s=", keys[i]);
        buf_url(out, v, strlen(v));
        buf_putc(out, '&');
    }
}

json_t *http_form_all(struct http_req *r, const char *name)
{
    static json_t *empty;
    json_t *v = r->form ? json_object_get(r->form, name) : NULL;
    if (v)
        return v;
    if (!empty)
        empty = json_array(); /* one shared, never modified */
    return empty;
}

const char *http_form(struct http_req *r, const char *name)
{
    json_t *v = r->form ? json_object_get(r->form, name) : NULL;
    return v ? json_string_value(json_array_get(v, 0)) : NULL;
}

bool http_parse_id(const char *s, int64_t *out)
{
    if (!s || !*s || strlen(s) > 18 || s[0] == '0')
        return false;
    int64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        v = v * 10 + (*p - '0');
    }
    *out = v;
    return true;
}

bool http_page_arg(struct http_req *r, int *page)
{
    int64_t v = 1;
    const char *p = http_arg(r, "page");
    if (p && (!http_parse_id(p, &v) || v > 100000))
        return false;
    *page = (int)v;
    return true;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes one x-www-form-urlencoded component into out. */
static int form_decode(const char *s, size_t len, struct buf *out)
{
    buf_reset(out);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '+') {
            buf_putc(out, ' ');
        } else if (s[i] == '%' && i + 2 < len + 0 && hexval(s[i + 1]) >= 0 &&
                   hexval(s[i + 2]) >= 0) {
            buf_putc(out, (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
            i += 2;
        } else if (s[i] == '%') {
            return ERR_INVAL;
        } else {
            buf_putc(out, s[i]);
        }
    }
    return out->err;
}

/* Parses an url-encoded body into {name: [values]}; ERR_INVAL on bad encoding or bytes that
 * are not UTF-8 (every form field is text). */
static int form_parse(const char *body, size_t len, json_t **out)
{
    json_t *form = json_object();
    struct buf k, v;
    buf_init(&k, 1024);
    buf_init(&v, len + 1);
    int rc = 0;
    size_t i = 0;
    while (i < len && rc == 0) {
        size_t start = i;
        while (i < len && body[i] != '&')
            i++;
        size_t end = i++;
        if (end == start)
            continue;
        const char *eq = memchr(body + start, '=', end - start);
        size_t klen = eq ? (size_t)(eq - (body + start)) : end - start;
        if ((rc = form_decode(body + start, klen, &k)) != 0)
            break;
        if ((rc = form_decode(eq ? eq + 1 : body + end, eq ? (size_t)(body + end - eq - 1) : 0,
                              &v)) != 0)
            break;
        if (!utf8_valid(k.data, k.len) || !utf8_valid(v.data, v.len)) {
            rc = ERR_INVAL;
            break;
        }
        json_t *arr = json_object_get(form, k.data);
        if (!arr) {
            arr = json_array();
            json_object_set_new(form, k.data, arr);
        }
        json_array_append_new(arr, json_stringn(v.data, v.len));
    }
    buf_free(&k);
    buf_free(&v);
    if (rc) {
        json_decref(form);
        return rc;
    }
    *out = form;
    return 0;
}

/* ---- pages ---- */

struct nav_item {
    const char *href;
    const char *label;
    int cap; /* -1: every logged-in user; -2: trainers with a profile; -3: students; -4: those
              * who may host trainees (tutors are trainers; heads of establishment); -5: those
              * who file or answer training requests */
};

static const struct nav_item nav_items[] = {
    {"/", "Accueil", -1},
    {"/formateurs", "Cartographie des formateurs", CAP_TRAINER_SEARCH},
    {"/validations", "Validations", CAP_COMPETENCE_DECIDE},
    {"/mon-profil", "Mon profil", -2},
    {"/formateurs/import", "Import / export", CAP_TRAINER_IMPORT},
    {"/journal", "Journal d’audit", CAP_AUDIT_READ},
    {"/demandes", "Demandes de formation", -5},
    {"/campagnes", "Campagnes", -5},
    {"/mes-missions", "Mes missions", -2},
    {"/boite", "Boîte de réception", -1},
    {"/stages", "Bureau des stages", CAP_PLACEMENT_READ},
    {"/stages/mes-voeux", "Mes vœux de stage", -3},
    {"/stages/mon-stage", "Mon stage", -3},
    {"/stages/stagiaires", "Mes stagiaires", -4},
};

/* Does the current path fall under href ("/formateurs" covers "/formateurs/12")? */
static size_t nav_match(const char *path, const char *href)
{
    size_t hl = strlen(href);
    if (strcmp(path, href) == 0 || (hl > 1 && strncmp(path, href, hl) == 0 && path[hl] == '/'))
        return hl;
    return 0;
}

static json_t *nav_for(struct http_req *r)
{
    json_t *arr = json_array();
    size_t best = 0; /* the longest matching entry is the current one */
    for (size_t i = 0; i < sizeof nav_items / sizeof nav_items[0]; i++) {
        size_t m = nav_match(r->path, nav_items[i].href);
        if (m > best)
            best = m;
    }
    for (size_t i = 0; i < sizeof nav_items / sizeof nav_items[0]; i++) {
        const struct nav_item *n = &nav_items[i];
        if (n->cap == -2 && !r->user.trainer_id)
            continue;
        if (n->cap == -3 && r->user.role != ROLE_STUDENT)
            continue;
        if (n->cap == -5 &&
            (r->user.role == ROLE_STUDENT || r->user.role == ROLE_RESEARCH ||
             r->user.role == ROLE_FOLLOWUP_REFERENT || r->user.role == ROLE_PLACEMENT_OFFICE))
            continue;
        if (n->cap == -4 && r->user.role != ROLE_TRAINER &&
            !(r->user.role == ROLE_REQUESTER && r->user.scope_kind == SCOPE_ESTABLISHMENT))
            continue;
        if (n->cap >= 0 && !role_can(r->user.role, (enum capability)n->cap))
            continue;
        size_t m = nav_match(r->path, n->href);
        bool current = m > 0 && m == best;
        char label[80];
        snprintf(label, sizeof label, "%s", n->label);
        if (strcmp(n->href, "/boite") == 0) {
            /* the inbox says how many messages wait */
            struct app_ctx c = handler_ctx(r);
            int64_t unread = 0;
            if (app_inbox_unread(&c, &unread) == 0 && unread > 0)
                snprintf(label, sizeof label, "%s (%lld)", n->label, (long long)unread);
        }
        json_array_append_new(
            arr, json_pack("{ss ss sb}", "href", n->href, "label", label, "current", current));
    }
    return arr;
}

int http_render(struct http_req *r, const char *name, json_t *ctx, struct buf *page)
{
    struct buf content;
    buf_init(&content, 8 << 20);
    if (!ctx)
        ctx = json_object();
    if (r->authed) {
        json_object_set_new(ctx, "user",
                            json_pack("{ss ss ss sI}", "name", r->user.display_name, "login",
                                      r->user.login, "role_label", role_label(r->user.role),
                                      "trainer_id", (json_int_t)r->user.trainer_id));
        json_object_set_new(ctx, "nav", nav_for(r));
        json_object_set_new(ctx, "csrf", json_string(r->csrf));
    }
    int rc = tmpl_render(r->srv->tmpl, name, ctx, &content);
    if (rc == 0) {
        json_object_set_new(ctx, "content", json_stringn(content.data, content.len));
        rc = tmpl_render(r->srv->tmpl, "layout.html", ctx, page);
    }
    json_decref(ctx);
    buf_free(&content);
    if (rc)
        log_err("render template=%s err=%s", name, err_name(rc));
    return rc;
}

int http_page(struct http_req *r, unsigned status, const char *name, json_t *ctx)
{
    struct buf page;
    buf_init(&page, 8 << 20);
    int ret;
    if (http_render(r, name, ctx, &page) != 0)
        ret = http_send(r, 500, "text/plain; charset=utf-8", "Erreur interne.", 16);
    else
        ret = http_send(r, status, "text/html; charset=utf-8", page.data, page.len);
    buf_free(&page);
    return ret;
}

void http_crumbs(json_t *ctx, const struct crumb *items, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *it = json_pack("{ss}", "label", items[i].label);
        if (items[i].href)
            json_object_set_new(it, "href", json_string(items[i].href));
        json_array_append_new(arr, it);
    }
    json_object_set_new(ctx, "crumbs", json_pack("{so}", "items", arr));
}

int http_error_page(struct http_req *r, unsigned status, const char *message)
{
    const char *title = status == 404   ? "Page introuvable"
                        : status == 403 ? "Accès refusé"
                        : status == 405 ? "Méthode non autorisée"
                        : status == 413 ? "Envoi trop volumineux"
                        : status == 429 ? "Trop de tentatives"
                        : status >= 500 ? "Erreur interne"
                                        : "Requête invalide";
    json_t *ctx =
        json_pack("{ss ss si}", "title", title, "message", message, "status", (int)status);
    return http_page(r, status, "error.html", ctx);
}

/* ---- static files ---- */

static const char *mime_of(const char *path)
{
    static const char *const types[][2] = {
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".woff2", "font/woff2"},
        {".woff", "font/woff"},
        {".ico", "image/x-icon"},
        {".json", "application/json"},
        {".webmanifest", "application/manifest+json"},
        {".map", "application/json"},
    };
    const char *dot = strrchr(path, '.');
    if (dot)
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcmp(dot, types[i][0]) == 0)
                return types[i][1];
    return "application/octet-stream";
}

/* Serves root/rel if rel is a clean relative path (no "..", no hidden files). */
static int serve_file(struct http_req *r, const char *root, const char *rel)
{
    if (!*rel || strstr(rel, "..") || strstr(rel, "//") || rel[0] == '/' || strchr(rel, '\\') ||
        strstr(rel, "/."))
        return http_error_page(r, 404, "Ce fichier n’existe pas.");
    char full[1024];
    int n = snprintf(full, sizeof full, "%s/%s", root, rel);
    if (n < 0 || (size_t)n >= sizeof full)
        return http_error_page(r, 404, "Ce fichier n’existe pas.");
    int fd = open(full, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        if (fd >= 0)
            close(fd);
        return http_error_page(r, 404, "Ce fichier n’existe pas.");
    }
    char etag[64];
    snprintf(etag, sizeof etag, "\"%llx-%llx\"", (unsigned long long)sb.st_mtime,
             (unsigned long long)sb.st_size);
    const char *inm = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-None-Match");
    struct MHD_Response *resp;
    unsigned status = 200;
    if (inm && strcmp(inm, etag) == 0) {
        close(fd);
        resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        status = 304;
    } else {
        resp = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
        if (!resp)
            close(fd);
    }
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", mime_of(rel));
    MHD_add_response_header(resp, "Cache-Control", "public, max-age=86400");
    MHD_add_response_header(resp, "ETag", etag);
    return queue(r, status, resp);
}

int http_healthz(struct http_req *r)
{
    if (app_health(r->st) != 0)
        return http_send(r, 503, "application/json", "{\"status\":\"store unavailable\"}", 30);
    return http_send(r, 200, "application/json", "{\"status\":\"ok\"}", 15);
}

/* ---- authentication ---- */

static void load_session(struct http_req *r)
{
    const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, SESSION_COOKIE);
    if (!cookie)
        return;
    struct app_ctx ctx = {.st = r->st, .ip = r->ip, .now = time_now()};
    if (app_session_find(&ctx, cookie, &r->user, r->csrf, r->session_hash) == 0)
        r->authed = true;
}

static void load_token(struct http_req *r)
{
    const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
    if (!h || strncmp(h, "Bearer ", 7) != 0)
        return;
    struct app_ctx ctx = {.st = r->st, .ip = r->ip, .now = time_now()};
    if (app_token_find(&ctx, h + 7, &r->user) == 0)
        r->authed = true;
}

/* Constant-time comparison of two NUL-terminated tokens. */
static bool token_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned char diff = (unsigned char)(la != lb);
    for (size_t i = 0; i < la && i < lb; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0 && la > 0;
}

/* Is this a form post whose CSRF token matches? The login form, which has no session yet,
 * uses a double-submit cookie instead. */
static bool csrf_ok(struct http_req *r)
{
    const char *sent = http_form(r, "csrf");
    if (!sent)
        return false;
    if (r->authed)
        return token_equal(sent, r->csrf);
    const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, LOGIN_CSRF_COOKIE);
    return cookie && token_equal(sent, cookie);
}

/* Whether cookies get the Secure flag: on anything but a loopback host name, or behind a TLS
 * proxy. The demo on http://127.0.0.1:8080 must work in a browser without TLS. */
bool http_secure_request(struct http_req *r)
{
    const char *proto = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
    if (proto && strcmp(proto, "https") == 0)
        return true;
    const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Host");
    if (!host)
        return false;
    static const char *const loopback[] = {"127.0.0.1", "localhost", "[::1]"};
    for (size_t i = 0; i < sizeof loopback / sizeof loopback[0]; i++) {
        size_t n = strlen(loopback[i]);
        /* The whole host name, with or without a port: "127.0.0.1.example" is not loopback. */
        if (strncmp(host, loopback[i], n) == 0 && (host[n] == '\0' || host[n] == ':'))
            return false;
    }
    return true;
}

/* Redirect that also sets (max_age > 0) or clears (max_age == 0) a cookie. */
int http_set_cookie_redirect(struct http_req *r, const char *location, const char *name,
                             const char *value, int max_age)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    char cookie[512];
    snprintf(cookie, sizeof cookie, "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s", name,
             value, max_age, http_secure_request(r) ? "; Secure" : "");
    MHD_add_response_header(resp, "Set-Cookie", cookie);
    MHD_add_response_header(resp, "Location", location);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    return queue(r, 303, resp);
}

/* An HTML response that also sets a session-length cookie (the login form's CSRF cookie). */
int http_send_with_cookie(struct http_req *r, unsigned status, const char *html, size_t len,
                          const char *name, const char *value)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)(uintptr_t)html, MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    char cookie[512];
    snprintf(cookie, sizeof cookie, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s", name, value,
             http_secure_request(r) ? "; Secure" : "");
    MHD_add_response_header(resp, "Set-Cookie", cookie);
    MHD_add_response_header(resp, "Content-Type", "text/html; charset=utf-8");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    return queue(r, status, resp);
}

/* ---- dispatch ---- */

static int dispatch(struct http_req *r)
{
    if (strncmp(r->path, "/dsfr/", 6) == 0)
        return serve_file(r, r->srv->dsfr_dir, r->path + 6);
    if (strncmp(r->path, "/static/", 8) == 0)
        return serve_file(r, r->srv->static_dir, r->path + 8);

    bool api = strncmp(r->path, "/api/", 5) == 0;
    r->api = api;
    int known = 0;
    const struct route *rt = route_find(r->method, r->path, r, &known);
    if (!rt) {
        if (api)
            return http_problem(r, known ? 405 : 404,
                                known ? "Méthode non autorisée" : "Ressource introuvable",
                                known ? "Cette méthode n’est pas acceptée sur cette ressource."
                                      : "Aucune ressource à cette adresse.",
                                NULL);
        return http_error_page(r, known ? 405 : 404,
                               known ? "Cette action n’est pas possible sur cette page."
                                     : "La page demandée n’existe pas.");
    }
    if (r->body_too_big) {
        if (api)
            return http_problem(r, 413, "Envoi trop volumineux",
                                "Le corps de la requête dépasse la taille autorisée.", NULL);
        return http_error_page(r, 413, "Le formulaire envoyé dépasse la taille autorisée.");
    }
    if (rt->auth == AUTH_API) {
        load_token(r);
        if (!r->authed)
            return http_problem(r, 401, "Authentification requise",
                                "Jeton d’accès absent ou invalide : envoyez l’en-tête "
                                "« Authorization: Bearer <jeton> ».",
                                NULL);
    } else {
        load_session(r);
        if (rt->auth == AUTH_PAGE && !r->authed) {
            if (strcmp(r->method, "GET") == 0)
                return http_redirect(r, "/connexion");
            return http_error_page(r, 403, "Votre session a expiré : reconnectez-vous.");
        }
    }
    if (rt->cap >= 0 && !role_can(r->user.role, (enum capability)rt->cap)) {
        if (api)
            return http_problem(r, 403, "Accès refusé", "Votre rôle ne permet pas cette action.",
                                NULL);
        return http_error_page(r, 403, "Votre rôle ne permet pas d’accéder à cette page.");
    }
    if (strcmp(r->method, "POST") == 0) {
        const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
        bool urlenc = ct && strncmp(ct, "application/x-www-form-urlencoded", 33) == 0;
        if (urlenc && form_parse(r->body.data, r->body.len, &r->form) != 0) {
            if (api)
                return http_problem(r, 400, "Requête invalide",
                                    "Formulaire mal encodé ou texte qui n’est pas en UTF-8.", NULL);
            return http_error_page(r, 400,
                                   "Le formulaire contient des caractères invalides (le texte "
                                   "doit être en UTF-8).");
        }
        bool multipart = ct && strncasecmp(ct, "multipart/form-data", 19) == 0;
        if (!api && !(multipart && (rt->flags & ROUTE_MULTIPART)) && !csrf_ok(r))
            return http_error_page(r, 403,
                                   "Jeton de sécurité (CSRF) absent ou invalide : rechargez la "
                                   "page et recommencez.");
    }
    return rt->handler(r);
}

/* Runs the request with a store connection held only while the handler runs: responses copy
 * their bytes, and a worker thread may start other requests before this one's response is sent,
 * so holding the connection until completion could exhaust the pool and block the thread. */
static enum MHD_Result run_handler(struct server *srv, struct http_req *r)
{
    r->st = app_pool_get(srv->pool);
    int ret = dispatch(r);
    app_pool_put(srv->pool, r->st);
    r->st = NULL;
    return (enum MHD_Result)ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    struct server *srv = cls;
    struct http_req *r = *con_cls;
    if (!r) {
        r = calloc(1, sizeof *r);
        if (!r)
            return MHD_NO;
        r->srv = srv;
        r->conn = conn;
        r->method = method;
        r->path = url;
        r->body_limit = BODY_LIMIT_DEFAULT;
        int known;
        struct http_req probe = {0};
        const struct route *rt = route_find(method, url, &probe, &known);
        if (rt && rt->body_limit)
            r->body_limit = rt->body_limit;
        buf_init(&r->body, r->body_limit);
        unsigned char rnd[8];
        randombytes_buf(rnd, sizeof rnd);
        snprintf(r->id, sizeof r->id, "%02x%02x%02x%02x%02x%02x%02x%02x", rnd[0], rnd[1], rnd[2],
                 rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        if (ci && ci->client_addr) {
            const struct sockaddr *sa = ci->client_addr;
            if (sa->sa_family == AF_INET)
                inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, r->ip,
                          sizeof r->ip);
            else if (sa->sa_family == AF_INET6)
                inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                          r->ip, sizeof r->ip);
        }
        *con_cls = r;
        /* Refuse a declared oversized body before reading it. */
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        if (cl) {
            char *end = NULL;
            errno = 0;
            unsigned long long n = strtoull(cl, &end, 10);
            if (errno || !end || *end || n > r->body_limit)
                r->body_too_big = true;
        }
        if (r->body_too_big)
            return run_handler(srv, r);
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!r->body_too_big && buf_append(&r->body, upload_data, *upload_data_size) != 0)
            r->body_too_big = true;
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->responded)
        return MHD_YES;
    return run_handler(srv, r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    (void)toe;
    struct server *srv = cls;
    struct http_req *r = *con_cls;
    if (!r)
        return;
    if (strncmp(r->path, "/dsfr/", 6) != 0 && strncmp(r->path, "/static/", 8) != 0 &&
        strcmp(r->path, "/healthz") != 0)
        log_info("http req=%s ip=%s method=%s path=\"%.200s\" status=%u user=%s", r->id, r->ip,
                 r->method, r->path, r->status, r->authed ? r->user.login : "-");
    if (r->st)
        app_pool_put(srv->pool, r->st);
    json_decref(r->form);
    buf_free(&r->body);
    free(r);
    *con_cls = NULL;
}

static int load_templates(struct server *srv)
{
    srv->tmpl = tmpl_set_new();
    if (!srv->tmpl)
        return ERR_NOMEM;
    struct buf err;
    buf_init(&err, 4096);
    for (const struct embedded_file *f = embedded_templates; f->name; f++) {
        if (tmpl_add(srv->tmpl, f->name, f->data, f->len, &err) != 0) {
            log_err("template err=\"%s\"", err.data);
            buf_free(&err);
            return ERR_INVAL;
        }
    }
    buf_free(&err);
    return 0;
}

int server_start(const struct server_config *cfg, struct server **out)
{
    struct server *srv = calloc(1, sizeof *srv);
    if (!srv)
        return ERR_NOMEM;
    snprintf(srv->dsfr_dir, sizeof srv->dsfr_dir, "%s", cfg->dsfr_dir);
    snprintf(srv->static_dir, sizeof srv->static_dir, "%s", cfg->static_dir);
    int threads = cfg->threads > 0 ? cfg->threads : 2 * (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (threads < 2)
        threads = 2;
    int rc = load_templates(srv);
    if (rc == 0 && !cfg->no_search_cache && !(srv->search_cache = resp_cache_new(SEARCH_CACHE_MAX)))
        rc = ERR_NOMEM;
    if (rc == 0)
        rc = app_pool_open(cfg->db_path, threads + 1, &srv->pool);
    if (rc) {
        server_stop(srv);
        return rc;
    }
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(cfg->port);
    if (inet_pton(AF_INET, cfg->bind, &addr.sin_addr) != 1) {
        log_err("serve bad bind address \"%s\"", cfg->bind);
        server_stop(srv);
        return ERR_INVAL;
    }
    srv->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, cfg->port, NULL, NULL,
        on_request, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)threads, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned int)CONN_LIMIT, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)CONN_TIMEOUT,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY_LIMIT, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, srv, MHD_OPTION_END);
    if (!srv->daemon) {
        log_err("serve cannot listen on %s:%u", cfg->bind, cfg->port);
        server_stop(srv);
        return ERR_IO;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = di ? di->port : cfg->port;
    *out = srv;
    return 0;
}

unsigned short server_port(const struct server *srv)
{
    return srv->port;
}

const struct tmpl_set *server_templates(const struct server *srv)
{
    return srv->tmpl;
}

struct resp_cache *server_search_cache(const struct server *srv)
{
    return srv->search_cache;
}

void server_stop(struct server *srv)
{
    if (!srv)
        return;
    if (srv->daemon)
        MHD_stop_daemon(srv->daemon);
    app_pool_close(srv->pool);
    tmpl_set_free(srv->tmpl);
    resp_cache_free(srv->search_cache);
    free(srv);
}
