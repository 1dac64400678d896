/*
 * Campaign settings: the seeds' defaults and the comité de pilotage's overrides
 * (app/campaigns.h).
 */
#include "app/campaigns.h"

#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/utf8.h"

#define THEMES_MAX    200
#define THEME_LEN_MIN 3
#define THEME_LEN_MAX 300

/* Checks a kind's "themes" (its published catalogue, seed 000: "Un catalogue non limitatif de
 * thématiques possibles … est publié") and returns a clean copy (trimmed, duplicates
 * dropped), or NULL after adding errors. */
static json_t *clean_themes(const char *kind, const json_t *v, struct field_errors *errs)
{
    char field[48];
    snprintf(field, sizeof field, "%s.themes", kind);
    if (!json_is_array(v) || json_array_size(v) > THEMES_MAX) {
        field_errors_add(errs, field,
                         "Catalogue des thématiques : une liste de %d thématiques au plus.",
                         THEMES_MAX);
        return NULL;
    }
    json_t *out = json_array();
    size_t i;
    const json_t *t;
    json_array_foreach(v, i, t)
    {
        const char *x = json_string_value(t);
        size_t len = x ? strlen(x) : 0;
        while (x && len && (*x == ' ' || *x == '\t'))
            x++, len--;
        while (x && len && (x[len - 1] == ' ' || x[len - 1] == '\t'))
            len--;
        bool ctrl = false;
        for (size_t k = 0; x && k < len; k++)
            ctrl |= (unsigned char)x[k] < 0x20;
        size_t chars = x && utf8_valid(x, len) ? utf8_length(x, len) : 0;
        if (!x || ctrl || chars < THEME_LEN_MIN || chars > THEME_LEN_MAX) {
            field_errors_add(errs, field,
                             "Catalogue des thématiques, n°%zu : de %d à %d caractères, sur une "
                             "ligne.",
                             i + 1, THEME_LEN_MIN, THEME_LEN_MAX);
            continue;
        }
        bool dup = false;
        size_t j;
        const json_t *u;
        json_array_foreach(out, j, u)
        {
            dup |= json_string_length(u) == len && memcmp(json_string_value(u), x, len) == 0;
        }
        if (!dup)
            json_array_append_new(out, json_stringn(x, len));
    }
    return out;
}

/* The overrides without the catalogues, for campaign_apply (a copy). */
static json_t *without_themes(const json_t *o)
{
    json_t *c = json_deep_copy(o);
    const char *k;
    json_t *v;
    json_object_foreach(c, k, v)
    {
        if (json_is_object(v))
            json_object_del(v, "themes");
    }
    return c;
}

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
        json_t *settings = without_themes(o);
        if (campaign_apply(&t, settings, &errs) == 0)
            *c = t;
        json_decref(settings);
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
    /* each kind's catalogue of themes, [] when none is published */
    const char *k;
    json_t *v;
    json_object_foreach(json_object_get(*out, "kinds"), k, v)
    {
        json_t *t = json_object_get(json_object_get(o, k), "themes");
        json_object_set_new(v, "themes", json_is_array(t) ? json_deep_copy(t) : json_array());
    }
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
        json_t *themes = json_object_get(v, "themes");
        json_t *clean = themes ? clean_themes(kind, themes, errs) : NULL;
        if (json_is_object(cur) && json_is_object(v))
            json_object_update(cur, v);
        else
            json_object_set(merged, kind, v);
        if (clean)
            json_object_set_new(json_object_get(merged, kind), "themes", clean);
    }
    json_t *settings = without_themes(merged);
    if (errs->count || campaign_apply(&c, settings, errs) != 0) {
        json_decref(settings);
        json_decref(stored);
        json_decref(merged);
        return ERR_INVAL;
    }
    json_decref(settings);
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

int app_campaign_themes(struct app_ctx *ctx, int first_year, const char *kind, json_t **out)
{
    json_t *o = NULL;
    int rc = store_campaign_overrides(ctx->st, first_year, &o);
    if (rc)
        return rc;
    json_t *t = json_object_get(json_object_get(o, kind), "themes");
    *out = json_is_array(t) ? json_deep_copy(t) : json_array();
    json_decref(o);
    return 0;
}
