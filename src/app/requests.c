/*
 * Training requests: filing, reading, the queue and the workflow (app/requests.h). The rules of
 * the workflow are domain/request.c's; this file adds the scope, the store and the audit.
 */
#include "app/requests.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "domain/dispositif.h"
#include "domain/campaign.h"
#include "domain/request.h"
#include "app/campaigns.h"
#include "app/missions.h"
#include "domain/rules_ald.h"
#include "domain/rules_alp.h"
#include "domain/rules_ant.h"
#include "domain/rules_ent.h"
#include "domain/rules_fil.h"

#define TITLE_MIN       3
#define TITLE_MAX       200
#define DESCRIPTION_MAX 5000

bool app_sees_all_requests(const struct user *u)
{
    return u->role == ROLE_COORDINATOR || u->role == ROLE_PILOT || u->role == ROLE_INSPECTOR ||
           u->role == ROLE_STEERING || u->role == ROLE_ADMIN;
}

static int64_t jint(const json_t *o, const char *key)
{
    return (int64_t)json_integer_value(json_object_get(o, key));
}

static const char *jstr(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* May the actor see this request? Theirs, their establishment's or circonscription's, or all. */
static bool may_see(const struct user *u, const json_t *r)
{
    if (app_sees_all_requests(u) || jint(r, "requester_id") == u->id)
        return true;
    return u->scope_kind != SCOPE_NONE && u->scope_value[0] &&
           strcmp(jstr(r, "scope_kind"), scope_code(u->scope_kind)) == 0 &&
           strcmp(jstr(r, "scope_value"), u->scope_value) == 0;
}

/* Is the actor a trainer asked to work on that request (whatever their answer)? */
static bool trainer_on(struct app_ctx *ctx, int64_t id)
{
    if (!ctx->actor->trainer_id)
        return false;
    json_t *ms = NULL;
    bool on = false;
    if (store_missions_of_request(ctx->st, id, &ms) == 0) {
        size_t i;
        const json_t *m;
        json_array_foreach(ms, i, m)
        {
            on |= jint(m, "trainer_id") == ctx->actor->trainer_id;
        }
    }
    json_decref(ms);
    return on;
}

static bool may_file(enum role role, enum request_kind kind)
{
    return request_transition_check(kind, REQUEST_DRAFT, REQUEST_SUBMITTED, role, NULL, 0) == 0;
}

/* The response deadline of a request of that kind submitted now: the current campaign's days
 * to answer (5 weeks by default) or its fixed answer date (campaign.h). */
static int response_deadline(struct app_ctx *ctx, enum request_kind kind, int64_t *deadline)
{
    struct campaign c;
    int rc = app_campaign_at(ctx, ctx->now, &c);
    return rc ? rc : campaign_response_deadline(&c, kind, ctx->now, deadline);
}

/* The rule pack of a kind on a request's details, with the campaign of the school year of now.
 * Returns the number of blocking breaches (0 for kinds without a pack yet). */
static int check_rules(struct app_ctx *ctx, enum request_kind kind, const json_t *details,
                       struct rule_report *rules /* may be NULL */)
{
    struct rule_report local;
    if (!rules)
        rules = &local;
    rule_report_init(rules);
    if (kind == REQUEST_KIND_FIL)
        return rules_fil_check(details, rules);
    if (kind == REQUEST_KIND_ALD)
        return rules_ald_check(details, rules);
    if (kind == REQUEST_KIND_ANT) {
        /* An ANT filed from mid-June belongs to the coming campaign, whose first window opens
         * then (seed 000); otherwise to the current one. */
        int fy = 0;
        struct campaign cur, next;
        if (campaign_year_of(ctx->now, &fy) != 0 || app_campaign_load(ctx, fy, &cur) != 0 ||
            app_campaign_load(ctx, fy + 1, &next) != 0)
            return 0;
        const struct campaign *c =
            campaign_window_contains(&next, REQUEST_KIND_ANT, ctx->now) ? &next : &cur;
        return rules_ant_check(details, c, ctx->now, rules);
    }
    if (kind == REQUEST_KIND_ENT) {
        int fy = 0;
        struct campaign c;
        if (campaign_year_of(ctx->now, &fy) != 0 || app_campaign_load(ctx, fy, &c) != 0)
            return 0;
        return rules_ent_check(details, &c, rules);
    }
    if (kind != REQUEST_KIND_ALP_IDG)
        return 0;
    /* The campaign of the first session when dates are set (ALP requests are filed in May for
     * the next school year), else of today. */
    int64_t when = ctx->now, t = 0;
    const char *first = json_string_value(
        json_object_get(json_array_get(json_object_get(details, "sessions"), 0), "date"));
    if (first && time_parse_date(first, strlen(first), &t) == 0)
        when = t;
    int first_year = 0;
    struct campaign c;
    if (campaign_year_of(when, &first_year) != 0 || app_campaign_load(ctx, first_year, &c) != 0)
        return 0;
    return rules_alp_check(details, &c, rules);
}

/* What a FIL's details can take from the request itself: who asks (a head of establishment or
 * an IEN, from the account and its scope) and the need (its description), unless given. */
static void complete_fil(const struct user *actor, const char *description, json_t *details)
{
    if (!json_object_get(details, "requester")) {
        bool circo = actor->scope_kind == SCOPE_CIRCONSCRIPTION;
        json_object_set_new(details, "requester",
                            json_pack("{ss ss ss}", "role", circo ? "ien" : "chef_etablissement",
                                      "name", actor->display_name,
                                      circo ? "circonscription" : "uai", actor->scope_value));
    }
    if (!json_object_get(details, "need") && description && *description)
        json_object_set_new(details, "need", json_string(description));
}

static void check_text(struct field_errors *errs, const char *field, const char *label,
                       const char *v, size_t min, size_t max)
{
    size_t len = v ? strlen(v) : 0;
    if (len && !utf8_valid(v, len)) {
        field_errors_add(errs, field, "%s : texte invalide (UTF-8 attendu).", label);
        return;
    }
    size_t chars = len ? utf8_length(v, len) : 0;
    if (chars < min)
        field_errors_add(errs, field, "%s : %zu caractères au moins.", label, min);
    else if (chars > max)
        field_errors_add(errs, field, "%s : %zu caractères au plus.", label, max);
}

int app_request_create(struct app_ctx *ctx, const struct request_input *in,
                       struct field_errors *errs, struct rule_report *rules, int64_t *id)
{
    if (rules)
        rule_report_init(rules);
    if (!ctx->actor)
        return ERR_DENIED;
    enum request_kind kind = request_kind_parse(in->kind);
    if (kind == REQUEST_KIND_COUNT) {
        field_errors_add(errs, "kind",
                         "Type de demande inconnu : fil, alp_idg, ant, ald, fi, ent, paf ou "
                         "prep_concours attendu.");
        return ERR_INVAL;
    }
    if (!may_file(ctx->actor->role, kind))
        return ERR_DENIED;
    const struct dispositif *d = NULL;
    if (in->dispositif && *in->dispositif) {
        d = dispositif_find(in->dispositif);
        if (!d || d->kind != kind)
            field_errors_add(
                errs, "dispositif", "Dispositif inconnu ou d’un autre type de demande : « %.40s ».",
                utf8_valid(in->dispositif, strlen(in->dispositif)) ? in->dispositif : "?");
    } else {
        size_t n = 0;
        const struct dispositif *all = dispositif_list(&n);
        for (size_t i = 0; i < n && !d; i++)
            if (all[i].kind == kind)
                d = &all[i];
    }
    check_text(errs, "title", "Intitulé", in->title, TITLE_MIN, TITLE_MAX);
    check_text(errs, "description", "Description", in->description, 0, DESCRIPTION_MAX);
    if (in->details && !json_is_object(in->details))
        field_errors_add(errs, "details", "Détails : un objet JSON attendu.");
    if (errs->count > 0 || !d) {
        /* the kind's rules too, so that one round of corrections is enough */
        json_t *full = in->submit && d && (!in->details || json_is_object(in->details))
                           ? (in->details ? json_deep_copy(in->details) : json_object())
                           : NULL;
        if (full && kind == REQUEST_KIND_FIL)
            complete_fil(ctx->actor,
                         in->description && utf8_valid(in->description, strlen(in->description))
                             ? in->description
                             : NULL,
                         full);
        if (full)
            check_rules(ctx, kind, full, rules);
        json_decref(full);
        return ERR_INVAL;
    }
    json_t *full = in->details ? json_deep_copy(in->details) : json_object();
    if (!full)
        return ERR_NOMEM;
    if (kind == REQUEST_KIND_FIL)
        complete_fil(ctx->actor, in->description, full);
    int blocking = in->submit ? check_rules(ctx, kind, full, rules) : 0;
    char *details = blocking > 0 ? NULL : json_dumps(full, JSON_COMPACT);
    json_decref(full);
    if (blocking > 0)
        return ERR_INVAL;
    if (!details)
        return ERR_NOMEM;
    int64_t deadline = 0;
    if (in->submit && response_deadline(ctx, kind, &deadline) != 0)
        deadline = 0;
    struct request_row row = {
        .kind = request_kind_code(kind),
        .dispositif = d->code,
        .title = in->title,
        .description = in->description ? in->description : "",
        .requester_id = ctx->actor->id,
        .scope_kind = scope_code(ctx->actor->scope_kind),
        .scope_value = ctx->actor->scope_value,
        .state = request_state_code(in->submit ? REQUEST_SUBMITTED : REQUEST_DRAFT),
        .details = details,
        .submitted_at = in->submit ? ctx->now : 0,
        .deadline_at = deadline,
    };
    bool own = false;
    int rc = app_tx_begin(ctx, &own);
    if (rc == 0)
        rc = store_request_add(ctx->st, &row, ctx->now, id);
    if (rc == 0)
        rc = app_audit(ctx, "request.create", "training_request", *id, NULL,
                       json_pack("{ss ss ss ss}", "kind", row.kind, "dispositif", row.dispositif,
                                 "title", row.title, "state", row.state));
    if (rc == 0 && in->submit) {
        json_t *r = json_pack("{sI ss ss sI}", "id", (json_int_t)*id, "kind", row.kind, "title",
                              row.title, "requester_id", (json_int_t)row.requester_id);
        rc = app_transition_effects(ctx, r, "draft", "submitted");
        json_decref(r);
    }
    rc = app_tx_end(ctx, own, rc);
    free(details);
    return rc;
}

/* Adds labels, urgency and the actor's next transitions to a request row. */
static void decorate(const struct app_ctx *ctx, json_t *r, bool with_next)
{
    enum request_kind kind = request_kind_parse(jstr(r, "kind"));
    enum request_state state = request_state_parse(jstr(r, "state"));
    json_object_set_new(r, "kind_label", json_string(request_kind_short(kind)));
    json_object_set_new(r, "state_label", json_string(request_state_label(state)));
    if (json_is_integer(json_object_get(r, "deadline_at")) && request_state_awaits_answer(state)) {
        static const char *const badges[] = {"success", "warning", "error"};
        enum request_urgency u = request_urgency_of(jint(r, "deadline_at"), ctx->now);
        json_object_set_new(r, "urgency", json_string(request_urgency_code(u)));
        json_object_set_new(r, "urgency_label", json_string(request_urgency_label(u)));
        json_object_set_new(r, "urgency_badge", json_string(badges[u]));
    }
    size_t ti;
    json_t *t;
    json_array_foreach(json_object_get(r, "transitions"), ti, t)
    {
        json_object_set_new(t, "from_label",
                            json_string(request_state_label(request_state_parse(jstr(t, "from")))));
        json_object_set_new(t, "to_label",
                            json_string(request_state_label(request_state_parse(jstr(t, "to")))));
    }
    if (!with_next)
        return;
    json_t *next = json_array();
    enum request_state to[REQUEST_STATE_COUNT];
    size_t n = request_next_states(kind, state, ctx->actor->role, to, REQUEST_STATE_COUNT);
    for (size_t i = 0; i < n && i < REQUEST_STATE_COUNT; i++)
        json_array_append_new(next,
                              json_pack("{ss ss sb}", "to", request_state_code(to[i]), "label",
                                        request_transition_label(state, to[i]), "needs_reason",
                                        request_transition_needs_reason(state, to[i])));
    json_object_set_new(r, "next", next);
}

/* "checks": what the kind's rules say of the details now. A draft gets every breach (what would
 * stop its submission); a request filed already, its warnings only — points the seed asks to
 * check (an EABEP theme off its preferred days, an interrupted ANT's priority) that filing
 * did not block. */
static void add_checks(struct app_ctx *ctx, json_t *r)
{
    enum request_kind kind = request_kind_parse(jstr(r, "kind"));
    bool draft = strcmp(jstr(r, "state"), "draft") == 0;
    struct rule_report rules;
    rule_report_init(&rules);
    check_rules(ctx, kind, json_object_get(r, "details"), &rules);
    json_t *arr = json_array();
    for (int i = 0; i < rules.count; i++)
        if (draft || rules.items[i].warning)
            json_array_append_new(arr,
                                  json_pack("{ss ss ss sb}", "rule", rules.items[i].rule, "field",
                                            rules.items[i].field, "detail", rules.items[i].detail,
                                            "warning", rules.items[i].warning));
    json_object_set_new(r, "checks", arr);
    json_object_set_new(r, "draft", json_boolean(draft));
}

int app_request_get(struct app_ctx *ctx, int64_t id, json_t **out)
{
    if (!ctx->actor)
        return ERR_DENIED;
    json_t *r = NULL;
    int rc = store_request_get(ctx->st, id, true, &r);
    if (rc)
        return rc;
    if (!may_see(ctx->actor, r) && !trainer_on(ctx, id)) {
        json_decref(r);
        return ERR_NOTFOUND;
    }
    decorate(ctx, r, true);
    add_checks(ctx, r);
    rc = app_request_work(ctx, r);
    if (rc) {
        json_decref(r);
        return rc;
    }
    *out = r;
    return 0;
}

int app_request_list(struct app_ctx *ctx, const char *state, const char *kind, int page,
                     int per_page, json_t **out, struct field_errors *errs)
{
    if (!ctx->actor)
        return ERR_DENIED;
    if (state && *state && request_state_parse(state) == REQUEST_STATE_COUNT)
        field_errors_add(errs, "state", "État inconnu : « %.30s ».",
                         utf8_valid(state, strlen(state)) ? state : "?");
    if (kind && *kind && request_kind_parse(kind) == REQUEST_KIND_COUNT)
        field_errors_add(errs, "kind", "Type de demande inconnu : « %.30s ».",
                         utf8_valid(kind, strlen(kind)) ? kind : "?");
    if (errs->count)
        return ERR_INVAL;
    if (per_page < 1 || per_page > 100)
        per_page = 20;
    if (page < 1)
        page = 1;
    json_t *items = NULL;
    int64_t total = 0;
    /* Those who do not see all see the requests they filed. */
    int rc =
        store_request_list(ctx->st, state && *state ? state : NULL, kind && *kind ? kind : NULL,
                           app_sees_all_requests(ctx->actor) ? 0 : ctx->actor->id, per_page,
                           (page - 1) * per_page, &items, &total);
    if (rc)
        return rc;
    size_t i;
    json_t *r;
    json_array_foreach(items, i, r)
    {
        decorate(ctx, r, false);
    }
    int64_t pages = total == 0 ? 1 : (total + per_page - 1) / per_page;
    *out = json_pack("{so sI si si sI}", "items", items, "total", (json_int_t)total, "page", page,
                     "per_page", per_page, "pages", (json_int_t)pages);
    return *out ? 0 : ERR_NOMEM;
}

int app_request_transition(struct app_ctx *ctx, int64_t id, const char *to, const char *reason,
                           struct rule_report *rules, char *msg, size_t msg_len)
{
    bool own = false;
    if (rules)
        rule_report_init(rules);
    if (!ctx->actor)
        return ERR_DENIED;
    json_t *r = NULL;
    int rc = store_request_get(ctx->st, id, false, &r);
    if (rc == 0 && !may_see(ctx->actor, r) && !trainer_on(ctx, id))
        rc = ERR_NOTFOUND;
    if (rc) {
        json_decref(r);
        if (rc == ERR_NOTFOUND)
            snprintf(msg, msg_len, "Aucune demande n° %lld.", (long long)id);
        return rc;
    }
    enum request_kind kind = request_kind_parse(jstr(r, "kind"));
    enum request_state from = request_state_parse(jstr(r, "state"));
    enum request_state dest = request_state_parse(to);
    rc = ERR_INVAL;
    if (dest == REQUEST_STATE_COUNT) {
        snprintf(msg, msg_len, "État inconnu : « %.30s ».",
                 to && utf8_valid(to, strlen(to)) ? to : "?");
        goto done;
    }
    rc = request_transition_check(kind, from, dest, ctx->actor->role, msg, msg_len);
    if (rc)
        goto done;
    rc = ERR_INVAL;
    bool needs = request_transition_needs_reason(from, dest);
    if (needs && (!reason || request_reason_check(reason, strlen(reason), msg, msg_len) != 0)) {
        if (!reason)
            snprintf(msg, msg_len, "Un motif est obligatoire pour cette décision.");
        goto done;
    }
    struct request_move m = {
        .from = request_state_code(from),
        .to = request_state_code(dest),
        .level = from == REQUEST_TRIAGED && dest == REQUEST_FORWARDED ? 2
                 : from == REQUEST_TRIAGED                            ? 1
                                                                      : 0,
        .actor_id = ctx->actor->id,
        .actor_login = ctx->actor->login,
        .reason = needs ? reason : "",
    };
    if (dest == REQUEST_SUBMITTED) {
        if (check_rules(ctx, kind, json_object_get(r, "details"), rules) > 0) {
            snprintf(msg, msg_len,
                     "La demande ne respecte pas les règles de son dispositif : "
                     "corrigez-la avant de la déposer.");
            rc = ERR_INVAL;
            goto done;
        }
        m.submitted_at = ctx->now;
        if (response_deadline(ctx, kind, &m.deadline_at) != 0)
            m.deadline_at = 0;
    }
    if (dest == REQUEST_SCHEDULED && (rc = app_schedule_check(ctx, r, rules, msg, msg_len)) != 0)
        goto done;
    if (dest == REQUEST_ASSIGNED && (rc = app_assigned_check(ctx, r, msg, msg_len)) != 0)
        goto done;
    rc = app_tx_begin(ctx, &own);
    if (rc == 0)
        rc = store_request_move(ctx->st, id, &m, ctx->now);
    if (rc == ERR_CONFLICT)
        snprintf(msg, msg_len, "La demande a changé d’état entre-temps : rechargez-la.");
    if (rc == 0)
        rc = app_audit(ctx, "request.transition", "training_request", id,
                       json_pack("{ss}", "state", m.from),
                       json_pack("{ss ss}", "state", m.to, "reason", m.reason));
    if (rc == 0)
        rc = app_transition_effects(ctx, r, m.from, m.to);
    rc = app_tx_end(ctx, own, rc);
done:
    json_decref(r);
    return rc;
}
