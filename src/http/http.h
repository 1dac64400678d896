/*
 * The HTTP layer: a libmicrohttpd server (internal thread pool with epoll), a router, sessions,
 * CSRF, security headers, and the helpers every page and API handler uses. Handlers never touch
 * SQL: they call src/app and render with src/web templates.
 *
 * A request's lifetime: MHD's first callback allocates a struct http_req; body bytes are
 * accumulated up to the route's limit; on the last callback the router authenticates (session
 * cookie for pages, bearer token for /api/), checks CSRF on form posts and the route's
 * capability, takes a store connection from the pool and calls the handler, which queues exactly
 * one response. MHD_OPTION_NOTIFY_COMPLETED frees everything.
 */
#ifndef HTTP_HTTP_H
#define HTTP_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "domain/user.h"

struct MHD_Connection;
struct store;
struct server;
struct tmpl_set;

struct server_config {
    const char *db_path;
    const char *bind;       /* "127.0.0.1" */
    unsigned short port;    /* 0 picks a free port (tests) */
    const char *dsfr_dir;   /* node_modules/@gouvfr/dsfr/dist */
    const char *static_dir; /* src/web/static */
    int threads;            /* worker threads; 0 = 2 per core */
    const char *port_file;  /* if set, the bound port is written there once listening */
    bool no_search_cache;   /* answer every API search afresh (benchmarks of the search) */
};

struct http_req {
    struct server *srv;
    struct MHD_Connection *conn;
    const char *method;
    const char *path;
    struct buf body;
    bool body_too_big;
    size_t body_limit;
    int64_t params[4]; /* {id} segments of the route, in order */
    int nparams;
    struct store *st;
    bool authed;
    bool api;
    struct user user;
    char csrf[65]; /* the session's CSRF token (pages) */
    char session_hash[65];
    json_t *form; /* decoded application/x-www-form-urlencoded body, or NULL */
    char ip[64];
    char id[17];     /* request id for logs */
    unsigned status; /* status queued, for the access log */
    bool responded;
};

/* Starts the server (returns once it listens). */
int server_start(const struct server_config *cfg, struct server **out);
unsigned short server_port(const struct server *srv);
void server_stop(struct server *srv);
const struct tmpl_set *server_templates(const struct server *srv);
/* The cache of API search responses, or NULL when disabled (http/cache.h). */
struct resp_cache *server_search_cache(const struct server *srv);

/* ---- request helpers ---- */

/* A query-string argument, or NULL. */
const char *http_arg(struct http_req *r, const char *name);
/* Appends "key=value&" for each of keys[] (NULL-terminated) present and non-empty in the query
 * string, values percent-encoded: for pagination links and cache keys. */
void http_query_args(struct http_req *r, const char *const *keys, struct buf *out);
/* A form field (url-encoded POST), or NULL. */
const char *http_form(struct http_req *r, const char *name);
/* All values of a repeated form field (checkboxes), as a JSON array (borrowed; never NULL). */
json_t *http_form_all(struct http_req *r, const char *name);

/* ---- responses: each queues the response and returns MHD_YES/MHD_NO ---- */

int http_send(struct http_req *r, unsigned status, const char *content_type, const char *body,
              size_t len);
int http_send_json(struct http_req *r, unsigned status, json_t *body); /* steals body */
/* A 200 file download: Content-Disposition attachment with filename (ASCII, no quotes). */
int http_send_download(struct http_req *r, const char *content_type, const char *filename,
                       const char *body, size_t len);
/* application/problem+json with a French detail; extra (stolen, may be NULL) is merged in. */
int http_problem(struct http_req *r, unsigned status, const char *title, const char *detail,
                 json_t *extra);
int http_redirect(struct http_req *r, const char *location);
/* Renders template name with ctx (stolen) inside the page layout into page (no response). */
int http_render(struct http_req *r, const char *name, json_t *ctx, struct buf *page);
/* Renders template name with ctx (stolen) inside the page layout: adds user, nav, csrf, flash. */
int http_page(struct http_req *r, unsigned status, const char *name, json_t *ctx);
/* A French error page (404, 403, 400...) with a message. */
int http_error_page(struct http_req *r, unsigned status, const char *message);

/* A 303 redirect that also sets a cookie (max_age seconds; 0 clears it). HttpOnly,
 * SameSite=Lax, and Secure unless the request came to a loopback host name without TLS. */
int http_set_cookie_redirect(struct http_req *r, const char *location, const char *name,
                             const char *value, int max_age);
/* An HTML response that also sets a browser-session cookie (SameSite=Strict). */
int http_send_with_cookie(struct http_req *r, unsigned status, const char *html, size_t len,
                          const char *name, const char *value);

#define SESSION_COOKIE    "continuum_session"
#define LOGIN_CSRF_COOKIE "continuum_csrf"

/* One step of a breadcrumb trail; href NULL for the current page. */
struct crumb {
    const char *href;
    const char *label;
};

/* Sets ctx's breadcrumb trail, shown after "Accueil". */
void http_crumbs(json_t *ctx, const struct crumb *items, size_t n);

/* The "page" query argument: 1 when absent; false when it is not an integer of 1..100000. */
bool http_page_arg(struct http_req *r, int *page);

/* Parses an id path parameter or query value: positive 64-bit decimal only. */
bool http_parse_id(const char *s, int64_t *out);
/* Whether the request came over TLS or to a non-loopback host (cookies then get Secure). */
bool http_secure_request(struct http_req *r);

#endif
