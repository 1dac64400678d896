/* The audit log of changes to personal data: who, when, what, values before and after. */
#include "app/app.h"

#include <stdlib.h>

#include "core/err.h"

int app_audit(struct app_ctx *ctx, const char *action, const char *entity, int64_t entity_id,
              json_t *before, json_t *after)
{
    char *b = before ? json_dumps(before, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    char *a = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    struct audit_entry e = {
        .actor_id = ctx->actor ? ctx->actor->id : 0,
        .actor_login = ctx->actor ? ctx->actor->login : "cli",
        .action = action,
        .entity = entity,
        .entity_id = entity_id,
        .before = b,
        .after = a,
        .ip = ctx->ip,
    };
    int rc = (before && !b) || (after && !a) ? ERR_NOMEM : store_audit_add(ctx->st, &e, ctx->now);
    free(b);
    free(a);
    json_decref(before);
    json_decref(after);
    return rc;
}

int app_audit_list(struct app_ctx *ctx, const char *entity, int64_t entity_id, int page,
                   int per_page, json_t **out)
{
    if (!ctx->actor || !role_can(ctx->actor->role, CAP_AUDIT_READ))
        return ERR_DENIED;
    if (page < 1)
        page = 1;
    json_t *items = NULL;
    int64_t total = 0;
    int rc = store_audit_list(ctx->st, entity, entity_id, per_page, (page - 1) * per_page, &items,
                              &total);
    if (rc)
        return rc;
    *out = json_pack("{so sI si si}", "items", items, "total", (json_int_t)total, "page", page,
                     "per_page", per_page);
    return *out ? 0 : ERR_NOMEM;
}

int app_tx_begin(struct app_ctx *ctx, bool *own)
{
    *own = !store_in_transaction(ctx->st);
    return *own ? store_begin(ctx->st) : 0;
}

int app_tx_end(struct app_ctx *ctx, bool own, int rc)
{
    if (!own)
        return rc;
    if (rc == 0)
        rc = store_commit(ctx->st);
    if (rc)
        store_rollback(ctx->st);
    return rc;
}
