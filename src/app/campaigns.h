/*
 * Campaigns as the comité de pilotage sets them (SPEC.md: "sets the campaign rules (quotas,
 * windows, caps)"; issue 5 §1): each school year's settings are the seeds' defaults
 * (domain/campaign.c) with the overrides stored for that year. Every rule pack, deadline and
 * proposal reads its campaign here.
 */
#ifndef APP_CAMPAIGNS_H
#define APP_CAMPAIGNS_H

#include <jansson.h>

#include "app/app.h"
#include "domain/campaign.h"

/* The campaign of school year first_year (2026 for 2026-2027): defaults, then the stored
 * overrides. ERR_INVAL for a year out of range. Needs no actor. */
int app_campaign_load(struct app_ctx *ctx, int first_year, struct campaign *c);

/* The campaign of the school year in which instant t falls. */
int app_campaign_at(struct app_ctx *ctx, int64_t t, struct campaign *c);

/* The campaign as JSON (campaign_json), each kind with its "themes" (catalogue), and
 * "overrides" (what was changed, {} if nothing); any logged-in account. */
int app_campaign_get(struct app_ctx *ctx, int first_year, json_t **out);

/* The catalogue of themes a kind publishes for that campaign (seed 000, ANT: "Un catalogue non
 * limitatif de thématiques possibles … est publié"), [] when none. */
int app_campaign_themes(struct app_ctx *ctx, int first_year, const char *kind, json_t **out);

/* Merges overrides ({"<kind>": {settings…, "themes": [catalogue]}}, campaign.h) into the
 * year's stored ones, kind by kind and key by key, after checking the whole result; ERR_INVAL with
 * errs, ERR_DENIED for any role but the comité de pilotage. Audited. */
int app_campaign_update(struct app_ctx *ctx, int first_year, const json_t *overrides,
                        struct field_errors *errs);

#endif
