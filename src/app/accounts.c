/*
 * Accounts: argon2id password hashes, login with throttling, server-side sessions and API
 * tokens. Secrets (session cookies, tokens) are random 256-bit values shown once; the store only
 * keeps their BLAKE2b hash, so a copy of the database opens no session.
 */
#include "app/app.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/log.h"
#include "core/utf8.h"

/* argon2id cost: OWASP's recommended minimum (19 MiB, 2 passes) keeps a login under ~50 ms and
 * the server's memory small; libsodium's "interactive" preset would take 64 MiB per login. */
#define PW_OPSLIMIT 2
#define PW_MEMLIMIT (19u << 20)

/* Free failures before the waits start: per login, and per address -- higher, since a school
 * behind one NAT address shares it. */
#define THROTTLE_FREE_LOGIN 5
#define THROTTLE_FREE_IP    20
#define THROTTLE_MAX_WAIT   (15 * 60)
/* A failure older than this no longer counts. */
#define THROTTLE_WINDOW (3600)

int app_pool_open(const char *db_path, int n, struct store_pool **out)
{
    return store_pool_open(db_path, n, out);
}

struct store *app_pool_get(struct store_pool *p)
{
    return store_pool_get(p);
}

void app_pool_put(struct store_pool *p, struct store *st)
{
    store_pool_put(p, st);
}

void app_pool_close(struct store_pool *p)
{
    store_pool_close(p);
}

int app_health(struct store *st)
{
    return store_ping(st);
}

void app_secret_hash(const char *s, char *out)
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)s, strlen(s), NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
}

void app_random_hex(char *out)
{
    unsigned char r[APP_TOKEN_LEN / 2];
    randombytes_buf(r, sizeof r);
    sodium_bin2hex(out, APP_TOKEN_LEN + 1, r, sizeof r);
}

int app_password_hash(const char *password, char *out, size_t out_len)
{
    if (out_len < crypto_pwhash_STRBYTES)
        return ERR_TOOBIG;
    if (crypto_pwhash_str_alg(out, password, strlen(password), PW_OPSLIMIT, PW_MEMLIMIT,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return ERR_NOMEM;
    return 0;
}

static bool login_valid(const char *s)
{
    size_t n = strlen(s);
    if (n < 3 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}

int app_user_add(struct app_ctx *ctx, const struct user *u, const char *password,
                 struct field_errors *errs, int64_t *id)
{
    if (ctx->actor && !role_can(ctx->actor->role, CAP_USER_ADMIN))
        return ERR_DENIED;
    if (!login_valid(u->login))
        field_errors_add(errs, "login",
                         "Identifiant : 3 à 64 caractères parmi a-z, 0-9, « . », « _ » et « - ».");
    size_t nl = strlen(u->display_name);
    if (!utf8_valid(u->display_name, nl) || utf8_length(u->display_name, nl) > 120)
        field_errors_add(errs, "name", "Nom affiché : 120 caractères UTF-8 au plus.");
    if (!role_code(u->role))
        field_errors_add(errs, "role", "Rôle inconnu.");
    if ((int)u->scope_kind < 0 || u->scope_kind >= SCOPE_COUNT)
        field_errors_add(errs, "scope", "Périmètre inconnu.");
    else if (u->scope_kind != SCOPE_NONE && u->scope_kind != SCOPE_SELF && !u->scope_value[0])
        field_errors_add(errs, "scope", "Périmètre : une valeur est attendue après « %s: ».",
                         scope_code(u->scope_kind));
    size_t pl = strlen(password);
    if (!utf8_valid(password, pl) || utf8_length(password, pl) < APP_PASSWORD_MIN)
        field_errors_add(errs, "password", "Mot de passe : %d caractères au moins.",
                         APP_PASSWORD_MIN);
    if (errs->count)
        return ERR_INVAL;

    char hash[crypto_pwhash_STRBYTES];
    int rc = app_password_hash(password, hash, sizeof hash);
    if (rc)
        return rc;
    if ((rc = store_begin(ctx->st)) != 0)
        return rc;
    int64_t uid = 0;
    rc = store_user_add(ctx->st, u, hash, ctx->now, &uid);
    if (rc == ERR_EXISTS)
        field_errors_add(errs, "login", "Identifiant déjà pris : « %s ».", u->login);
    if (rc == 0) {
        json_t *after = json_pack("{ss ss ss ss ss}", "login", u->login, "name", u->display_name,
                                  "role", role_code(u->role), "scope_kind",
                                  scope_code(u->scope_kind), "scope_value", u->scope_value);
        rc = app_audit(ctx, "user.add", "user", uid, NULL, after);
    }
    if (rc == 0)
        rc = store_commit(ctx->st);
    else
        store_rollback(ctx->st);
    if (rc == 0 && id)
        *id = uid;
    return rc;
}

/* Seconds to wait before the next attempt for a key, 0 if none. */
static int wait_for(struct app_ctx *ctx, const char *key, int free_failures)
{
    int failures;
    int64_t last;
    if (store_throttle_get(ctx->st, key, &failures, &last) != 0)
        return 0;
    if (failures < free_failures || ctx->now - last > THROTTLE_WINDOW)
        return 0;
    int shift = failures - free_failures;
    int64_t delay = shift >= 10 ? THROTTLE_MAX_WAIT : (int64_t)1 << shift;
    if (delay > THROTTLE_MAX_WAIT)
        delay = THROTTLE_MAX_WAIT;
    int64_t left = last + delay - ctx->now;
    return left > 0 ? (int)left : 0;
}

int app_login(struct app_ctx *ctx, const char *login, const char *password, struct user *u,
              int *retry_after)
{
    char klogin[96], kip[96];
    snprintf(klogin, sizeof klogin, "login:%.64s", login);
    snprintf(kip, sizeof kip, "ip:%.64s", ctx->ip ? ctx->ip : "");
    int w1 = wait_for(ctx, klogin, THROTTLE_FREE_LOGIN), w2 = wait_for(ctx, kip, THROTTLE_FREE_IP);
    int w = w1 > w2 ? w1 : w2;
    if (w > 0) {
        *retry_after = w;
        return ERR_BUSY;
    }
    char hash[crypto_pwhash_STRBYTES + 1] = "";
    int rc = store_user_by_login(ctx->st, login, u, hash, sizeof hash);
    bool ok =
        rc == 0 && !u->disabled && crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
    if (rc != 0 && rc != ERR_NOTFOUND)
        return rc;
    if (!ok) {
        /* Burn comparable time for an unknown login, so timing does not reveal accounts. */
        if (rc == ERR_NOTFOUND) {
            char dummy[crypto_pwhash_STRBYTES];
            app_password_hash("continuum-dummy-password", dummy, sizeof dummy);
        }
        store_throttle_fail(ctx->st, klogin, ctx->now);
        store_throttle_fail(ctx->st, kip, ctx->now);
        log_warn("login failed login=\"%.64s\" ip=%s", login, ctx->ip ? ctx->ip : "-");
        struct audit_entry e = {.actor_login = login,
                                .action = "login.failure",
                                .entity = "user",
                                .entity_id = rc == 0 ? u->id : 0,
                                .ip = ctx->ip};
        store_audit_add(ctx->st, &e, ctx->now);
        return ERR_DENIED;
    }
    /* The address's count is left to expire: one good login must not wipe the trace of a
     * password-guessing run from the same address. */
    store_throttle_clear(ctx->st, klogin);
    return 0;
}

/* Housekeeping at each login: expired sessions and stale failure counters go, so that neither
 * table grows without bound. Failures here do not block the login. */
static void purge_expired(struct app_ctx *ctx)
{
    store_session_purge(ctx->st, ctx->now, NULL);
    store_throttle_purge(ctx->st, ctx->now - THROTTLE_WINDOW);
}

int app_session_open(struct app_ctx *ctx, const struct user *u, char *token, char *csrf)
{
    char hash[65];
    purge_expired(ctx);
    app_random_hex(token);
    app_random_hex(csrf);
    app_secret_hash(token, hash);
    int rc = store_session_add(ctx->st, hash, u->id, csrf, ctx->now, ctx->now + APP_SESSION_TTL);
    if (rc == 0) {
        struct audit_entry e = {.actor_id = u->id,
                                .actor_login = u->login,
                                .action = "login.success",
                                .entity = "user",
                                .entity_id = u->id,
                                .ip = ctx->ip};
        store_audit_add(ctx->st, &e, ctx->now);
    }
    return rc;
}

int app_session_find(struct app_ctx *ctx, const char *token, struct user *u, char *csrf, char *hash)
{
    if (strlen(token) != APP_TOKEN_LEN)
        return ERR_NOTFOUND;
    app_secret_hash(token, hash);
    int rc = store_session_get(ctx->st, hash, ctx->now, u, csrf, APP_TOKEN_LEN + 1);
    if (rc == 0 && u->disabled)
        return ERR_NOTFOUND;
    return rc;
}

int app_session_close(struct app_ctx *ctx, const char *hash)
{
    return store_session_delete(ctx->st, hash);
}

int app_token_create(struct app_ctx *ctx, const char *login, char *token, size_t token_len)
{
    struct user u;
    char hex[APP_TOKEN_LEN + 1], hash[65];
    if (token_len < APP_TOKEN_LEN + 5)
        return ERR_TOOBIG;
    int rc = store_user_by_login(ctx->st, login, &u, NULL, 0);
    if (rc)
        return rc;
    app_random_hex(hex);
    snprintf(token, token_len, "ctm_%s", hex);
    app_secret_hash(token, hash);
    if ((rc = store_begin(ctx->st)) != 0)
        return rc;
    rc = store_token_add(ctx->st, hash, u.id, ctx->now);
    if (rc == 0)
        rc = app_audit(ctx, "token.create", "user", u.id, NULL, NULL);
    if (rc == 0)
        rc = store_commit(ctx->st);
    else
        store_rollback(ctx->st);
    return rc;
}

int app_token_find(struct app_ctx *ctx, const char *token, struct user *u)
{
    char hash[65];
    if (strncmp(token, "ctm_", 4) != 0 || strlen(token) != APP_TOKEN_LEN + 4)
        return ERR_NOTFOUND;
    app_secret_hash(token, hash);
    int rc = store_token_get(ctx->st, hash, u);
    if (rc == 0 && u->disabled)
        return ERR_NOTFOUND;
    return rc;
}
