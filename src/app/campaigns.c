/*
 * Campaign settings: the seeds' defaults and the comité de pilotage's overrides
 * (app/campaigns.h).
 */
#include "app/campaigns.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"

int app_campaign_load(struct app_ctx *ctx, int first_year, struct campaign *c)
{
    if (campaign_defaults(c, first_year) != 0)
        return ERR_INVAL;
    json_t *o = NULL;
    int rc = store_campaign_overrides(ctx->st, first_year, &o);
    if (rc == 0 && o) {
        /* stored only after the same check: a failure here means a hand-edited row, and the
         * defaults are the safe answer */
        struct field_errors errs = {0};
        struct campaign t = *c;
        if (campaign_apply(&t, o, &errs) == 0)
            *c = t;
    }
    json_decref(o);
    return rc;
}

int app_campaign_at(struct app_ctx *ctx, int64_t t, struct campaign *c)
{
    int y = 0;
    if (campaign_year_of(t, &y) != 0)
        return ERR_INVAL;
    return app_campaign_load(ctx, y, c);
}

int app_campaign_get(struct app_ctx *ctx, int first_year, json_t **out)
{
    if (!ctx->actor)
        return ERR_DENIED;
    struct campaign c;
    int rc = app_campaign_load(ctx, first_year, &c);
    json_t *o = NULL;
    if (rc == 0)
        rc = store_campaign_overrides(ctx->st, first_year, &o);
    if (rc)
        return rc;
    *out = campaign_json(&c);
    json_object_set_new(*out, "overrides", o ? o : json_object());
    return 0;
}

int app_campaign_update(struct app_ctx *ctx, int first_year, const json_t *overrides,
                        struct field_errors *errs)
{
    if (!ctx->actor || ctx->actor->role != ROLE_STEERING)
        return ERR_DENIED;
    struct campaign c;
    if (campaign_defaults(&c, first_year) != 0) {
        field_errors_add(errs, "year", "Année de campagne hors des limites.");
        return ERR_INVAL;
    }
    if (!json_is_object(overrides)) {
        field_errors_add(errs, "kinds", "Les réglages sont un objet par type de demande.");
        return ERR_INVAL;
    }
    json_t *stored = NULL;
    int rc = store_campaign_overrides(ctx->st, first_year, &stored);
    if (rc)
        return rc;
    json_t *merged = stored ? json_deep_copy(stored) : json_object();
    const char *kind;
    json_t *v;
    json_object_foreach((json_t *)(uintptr_t)overrides, kind, v)
    {
        json_t *cur = json_object_get(merged, kind);
        if (json_is_object(cur) && json_is_object(v))
            json_object_update(cur, v);
        else
            json_object_set(merged, kind, v);
    }
    if (campaign_apply(&c, merged, errs) != 0) {
        json_decref(stored);
        json_decref(merged);
        return ERR_INVAL;
    }
    char *text = json_dumps(merged, JSON_COMPACT | JSON_SORT_KEYS);
    bool own = false;
    rc = text ? app_tx_begin(ctx, &own) : ERR_NOMEM;
    if (rc == 0)
        rc = store_campaign_put(ctx->st, first_year, text, ctx->actor->id, ctx->now);
    if (rc == 0)
        rc = app_audit(ctx, "campaign.update", "campaign", first_year,
                       stored ? json_incref(stored) : json_object(), json_incref(merged));
    rc = app_tx_end(ctx, own, rc);
    free(text);
    json_decref(stored);
    json_decref(merged);
    return rc;
}
