/*
 * Campaign pages (issue 5 §1; app/campaigns.h): a school year's settings for each kind of
 * request — windows, deadlines, durations, caps, weekdays — readable by everyone who files or
 * answers requests, and one form per kind for the comité de pilotage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/campaigns.h"
#include "core/buf.h"
#include "core/err.h"
#include "domain/dispositif.h"
#include "http/routes.h"

static const char *const int_keys[] = {"response_days",
                                       "min_hours",
                                       "max_hours",
                                       "min_days",
                                       "max_days",
                                       "max_trainees",
                                       "trainees_1d_per_sector",
                                       "trainees_2d_per_sector",
                                       "max_hse_per_trainer",
                                       NULL};
static const char *const day_keys[] = {"answer_by", "sessions_from", "sessions_until",
                                       "carry_over_until", NULL};
static const char *const weekday_keys[] = {"weekdays_with_academic", "mornings_only",
                                           "weekdays_without_academic", "weekdays_preferred", NULL};

/* The kinds for the template: [{code, label, s: settings with w0_from… for the inputs}], with
 * the posted values of one kind over its stored ones when a form came back refused. */
static json_t *kinds_view(const json_t *camp, const char *posted_kind, const json_t *posted)
{
    json_t *arr = json_array();
    for (int k = 0; k < REQUEST_KIND_COUNT; k++) {
        const char *code = request_kind_code((enum request_kind)k);
        json_t *s = json_deep_copy(json_object_get(json_object_get(camp, "kinds"), code));
        const json_t *w = json_object_get(s, "windows");
        for (size_t i = 0; i < 2; i++) {
            char a[16], b[16];
            snprintf(a, sizeof a, "w%zu_from", i);
            snprintf(b, sizeof b, "w%zu_to", i);
            const json_t *pair = json_array_get(w, i);
            json_object_set(s, a, pair ? json_array_get(pair, 0) : json_null());
            json_object_set(s, b, pair ? json_array_get(pair, 1) : json_null());
        }
        /* the dates as French users read them, for the read-only view */
        static const char *const dates[] = {
            "w0_from",       "w0_to",          "w1_from",          "w1_to", "answer_by",
            "sessions_from", "sessions_until", "carry_over_until", NULL};
        for (size_t i = 0; dates[i]; i++) {
            const char *v = json_string_value(json_object_get(s, dates[i]));
            char key[32], fr[16];
            snprintf(key, sizeof key, "%s_fr", dates[i]);
            if (v && strlen(v) == 10) {
                snprintf(fr, sizeof fr, "%.2s/%.2s/%.4s", v + 8, v + 5, v);
                json_object_set_new(s, key, json_string(fr));
            }
        }
        /* the catalogue of themes, one per line, for the textarea */
        struct buf lines;
        buf_init(&lines, 1 << 16);
        size_t j;
        const json_t *t;
        json_array_foreach(json_object_get(s, "themes"), j, t)
        {
            buf_printf(&lines, "%s%s", j ? "\n" : "", json_string_value(t));
        }
        json_object_set_new(s, "themes_text", json_string(lines.data));
        buf_free(&lines);
        if (posted_kind && posted && strcmp(posted_kind, code) == 0)
            json_object_update(s, (json_t *)(uintptr_t)posted);
        json_array_append_new(arr, json_pack("{ss ss so}", "code", code, "label",
                                             request_kind_label((enum request_kind)k), "s", s));
    }
    return arr;
}

static int campaign_page(struct http_req *r, unsigned status, const char *kind,
                         const json_t *posted, const struct field_errors *errs, bool saved)
{
    struct app_ctx c = handler_ctx(r);
    int year = (int)r->params[0];
    json_t *camp = NULL;
    int rc = app_campaign_get(&c, year, &camp);
    if (rc == ERR_INVAL || rc == ERR_NOTFOUND)
        return http_error_page(r, 404, "Aucune campagne pour cette année.");
    if (rc)
        return http_error_page(r, 500, "Le service est momentanément indisponible.");
    char title[64];
    snprintf(title, sizeof title, "Campagne %s", json_string_value(json_object_get(camp, "code")));
    json_t *ctx = json_pack("{ss si si si so sb}", "title", title, "year", year, "prev", year - 1,
                            "next", year + 1, "kinds", kinds_view(camp, kind, posted), "may_edit",
                            r->user.role == ROLE_STEERING);
    http_crumbs(ctx, (struct crumb[]){{"/campagnes", "Campagnes"}, {NULL, title}}, 2);
    if (errs && errs->count) {
        json_t *arr = json_array();
        for (int i = 0; i < errs->count; i++)
            json_array_append_new(arr, json_string(errs->items[i].message));
        json_object_set_new(ctx, "errors", arr);
    }
    if (saved)
        json_object_set_new(ctx, "flash", json_string("Les réglages sont enregistrés."));
    json_decref(camp);
    return http_page(r, status, "campaign.html", ctx);
}

int page_campaigns(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    int year = 0;
    if (campaign_year_of(c.now, &year) != 0)
        return http_error_page(r, 500, "Le service est momentanément indisponible.");
    char loc[32];
    snprintf(loc, sizeof loc, "/campagnes/%d", year);
    return http_redirect(r, loc);
}

int page_campaign(struct http_req *r)
{
    return campaign_page(r, 200, NULL, NULL, NULL, http_arg(r, "ok") != NULL);
}

/* A form value as JSON: empty → null (dates) or 0 (figures), digits → an integer, anything else
 * as typed for campaign_apply to explain. */
static json_t *form_value(const char *v, bool figure)
{
    if (!v || !*v)
        return figure ? json_integer(0) : json_null();
    if (figure && strlen(v) <= 9 && strspn(v, "0123456789") == strlen(v))
        return json_integer(strtol(v, NULL, 10));
    return json_string(v);
}

int page_campaign_update(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    const char *kind = http_form(r, "kind");
    if (!kind || request_kind_parse(kind) == REQUEST_KIND_COUNT)
        return http_error_page(r, 400, "Type de demande inconnu.");
    json_t *s = json_object(), *posted = json_object(), *windows = json_array();
    for (size_t i = 0; i < 2; i++) {
        char a[16], b[16];
        snprintf(a, sizeof a, "w%zu_from", i);
        snprintf(b, sizeof b, "w%zu_to", i);
        const char *from = http_form(r, a), *to = http_form(r, b);
        json_object_set_new(posted, a, json_string(from ? from : ""));
        json_object_set_new(posted, b, json_string(to ? to : ""));
        if ((from && *from) || (to && *to))
            json_array_append_new(
                windows, json_pack("[oo]", form_value(from, false), form_value(to, false)));
    }
    json_object_set_new(s, "windows", windows);
    const char *const *lists[] = {int_keys, day_keys, weekday_keys};
    for (size_t l = 0; l < 3; l++)
        for (size_t i = 0; lists[l][i]; i++) {
            const char *v = http_form(r, lists[l][i]);
            json_object_set_new(s, lists[l][i],
                                l == 2 ? json_string(v ? v : "") : form_value(v, l == 0));
            json_object_set_new(posted, lists[l][i], json_string(v ? v : ""));
        }
    /* the catalogue: one theme per line, blank lines ignored */
    const char *text = http_form(r, "themes");
    json_t *themes = json_array();
    for (const char *p = text ? text : ""; *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        size_t k = len;
        while (k && (p[k - 1] == '\r' || p[k - 1] == ' '))
            k--;
        if (k && strspn(p, " ") < k)
            json_array_append_new(themes, json_stringn(p, k));
        p += len + (e ? 1 : 0);
    }
    json_object_set_new(s, "themes", themes);
    json_object_set_new(posted, "themes_text", json_string(text ? text : ""));
    json_t *overrides = json_pack("{so}", kind, s);
    struct field_errors errs = {0};
    int rc = app_campaign_update(&c, (int)r->params[0], overrides, &errs);
    json_decref(overrides);
    int ret;
    if (rc == 0) {
        char loc[48];
        snprintf(loc, sizeof loc, "/campagnes/%lld?ok=1#k-%s", (long long)r->params[0], kind);
        ret = http_redirect(r, loc);
    } else if (rc == ERR_DENIED) {
        ret =
            http_error_page(r, 403, "Les réglages des campagnes sont ceux du comité de pilotage.");
    } else if (rc == ERR_INVAL) {
        ret = campaign_page(r, 400, kind, posted, &errs, false);
    } else {
        ret = http_error_page(r, 500, "Le service est momentanément indisponible.");
    }
    json_decref(posted);
    return ret;
}
