/*
 * Batch assignment of a campaign (app/missions.h, app_campaign_assign; issue 5 §4: "a batch
 * assignment gives every validated action its trainers at once, within quotas and weekday
 * rules, and reports what could not be covered and why"). The proposals' own ranking, run
 * against a running state: hours used, the balance, and a calendar of busy trainers bucketed
 * by day.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/campaigns.h"
#include "app/missions.h"
#include "app/missions_internal.h"
#include "core/err.h"
#include "domain/trainer.h"

/* A trainer busy at [start, end): the sessions of live requests, and those given in the batch,
 * bucketed by day of the campaign so that a session looks at its own day only. */
struct busy_span {
    uint32_t pos;
    int64_t start, end;
};

struct day_bucket {
    struct busy_span *items;
    size_t n, cap;
};

#define BATCH_DAYS 370

struct calendar {
    int64_t day0;
    struct day_bucket days[BATCH_DAYS];
};

static int day_of(const struct calendar *cal, int64_t t)
{
    int64_t d = (t - cal->day0) / 86400;
    return d < 0 || d >= BATCH_DAYS ? -1 : (int)d;
}

static int calendar_add(struct calendar *cal, uint32_t pos, int64_t a, int64_t b)
{
    int d0 = day_of(cal, a), d1 = day_of(cal, b - 1);
    for (int d = d0; d >= 0 && d <= d1; d++) {
        struct day_bucket *k = &cal->days[d];
        if (k->n == k->cap) {
            size_t cap = k->cap ? 2 * k->cap : 16;
            struct busy_span *g = realloc(k->items, cap * sizeof *g);
            if (!g)
                return ERR_NOMEM;
            k->items = g;
            k->cap = cap;
        }
        k->items[k->n++] = (struct busy_span){pos, a, b};
    }
    return 0;
}

static void calendar_free(struct calendar *cal)
{
    for (int d = 0; d < BATCH_DAYS; d++)
        free(cal->days[d].items);
}

/* Sets busy[pos] to v for every trainer busy during one of the action's sessions. */
static void calendar_mark(const struct calendar *cal, const struct need *n, unsigned char *busy,
                          unsigned char v)
{
    for (int k = 0; k < n->n_sessions; k++) {
        int d = day_of(cal, n->sessions[k].start);
        if (d < 0)
            continue;
        const struct day_bucket *b = &cal->days[d];
        for (size_t i = 0; i < b->n; i++)
            if (b->items[i].start < n->sessions[k].end && b->items[i].end > n->sessions[k].start)
                busy[b->items[i].pos] = v;
    }
}

struct cal_fill {
    const struct prop_pool *pool;
    struct calendar *cal;
};

static int fill_calendar(void *arg, int64_t trainer, int64_t a, int64_t b)
{
    struct cal_fill *f = arg;
    long pos = prop_pool_find(f->pool, trainer);
    return pos < 0 ? 0 : calendar_add(f->cal, (uint32_t)pos, a, b);
}

struct batch_action {
    struct need need;
    json_t *missions;
    size_t ranked; /* the fewest proposable trainers of its open slots */
    int n_open;
    unsigned char open[2];     /* open slots */
    struct prop_result got[2]; /* chosen per open slot */
    bool done;
    char why[400];
};

static int cmp_scarcity(const void *a, const void *b)
{
    const struct batch_action *x = *(const struct batch_action *const *)a;
    const struct batch_action *y = *(const struct batch_action *const *)b;
    if (x->ranked != y->ranked)
        return x->ranked < y->ranked ? -1 : 1;
    int64_t i = jint(x->need.req, "id"), j = jint(y->need.req, "id");
    return (i > j) - (i < j);
}

static void uncovered_reason(const struct need *n, unsigned char slot, const struct prop_stats *st,
                             char *out, size_t len)
{
    if (!n->n_wants)
        snprintf(out, len, "%s : aucune compétence du référentiel ne correspond au thème.",
                 mission_slot_label(slot));
    else if (!st->candidates)
        snprintf(out, len, "%s : aucun formateur n’a de compétence validée sur le thème.",
                 mission_slot_label(slot));
    else
        snprintf(out, len,
                 "%s : aucun des %zu formateurs compétents ne convient (%zu d’un autre degré, "
                 "%zu indisponibles ces jours-là, %zu sans heures de quota suffisantes, %zu déjà "
                 "pris à ces dates).",
                 mission_slot_label(slot), st->candidates, st->degree, st->weekdays, st->quota,
                 st->busy);
}

/* Chooses the trainers of one action against the running state (busy marks set by the
 * caller). Returns true when every open slot found one. */
static bool batch_choose(struct batch_action *a, const struct board *b)
{
    struct prop_result res[1];
    for (int s = 0; s < a->n_open; s++) {
        struct prop_query q = mission_query_of(&a->need, b, a->open[s], 1);
        struct prop_stats st = {0};
        size_t got = 0;
        if (!a->need.n_wants || prop_rank(b->pool, &q, res, &got, &st) != 0 || got == 0) {
            uncovered_reason(&a->need, a->open[s], &st, a->why, sizeof a->why);
            for (int k = 0; k < s; k++)
                b->busy[a->got[k].pos] = 0;
            return false;
        }
        a->got[s] = res[0];
        b->busy[res[0].pos] = 1; /* not for the other slot */
    }
    return true;
}

static int batch_write(struct app_ctx *ctx, struct batch_action *a)
{
    int64_t id = jint(a->need.req, "id");
    char t[200], line[300];
    mission_quoted_title(a->need.req, t, sizeof t);
    snprintf(line, sizeof line, "Mission à accepter : %s", t);
    int rc = 0;
    for (int s = 0; rc == 0 && s < a->n_open; s++) {
        struct mission_row m = {id,
                                a->got[s].trainer_id,
                                mission_slot_code(a->open[s]),
                                a->need.hours,
                                a->need.year,
                                a->got[s].score,
                                ctx->actor->id,
                                mission_side_code(a->need.owner_side)};
        rc = store_mission_add(ctx->st, &m, ctx->now);
        if (rc == 0)
            rc = mission_notify_trainer(ctx, a->got[s].trainer_id, "mission.accept", id, line);
    }
    if (rc == 0 && a->need.state == REQUEST_VALIDATED) {
        struct request_move mv = {.from = "validated",
                                  .to = "assigned",
                                  .actor_id = ctx->actor->id,
                                  .actor_login = ctx->actor->login,
                                  .reason = "Affectation de la campagne"};
        rc = store_request_move(ctx->st, id, &mv, ctx->now);
    }
    return rc;
}

int app_campaign_assign(struct app_ctx *ctx, int year, const char *kind, bool dry_run, json_t **out,
                        char *msg, size_t msg_len)
{
    bool own = false;
    if (!ctx->actor || !coordinates(ctx->actor)) {
        snprintf(msg, msg_len, "Seule l’équipe de coordination affecte les formateurs.");
        return ERR_DENIED;
    }
    enum request_kind k = request_kind_parse(kind);
    struct campaign camp;
    if (k == REQUEST_KIND_COUNT || app_campaign_load(ctx, year, &camp) != 0) {
        snprintf(msg, msg_len, "Type de demande ou année de campagne inconnus.");
        return ERR_INVAL;
    }
    struct referential ref = {0};
    struct board b = {0};
    struct calendar *cal = calloc(1, sizeof *cal);
    json_t *list = NULL;
    struct batch_action *acts = NULL, **order = NULL;
    size_t n_acts = 0;
    int64_t total = 0, balance = 0;
    int rc = cal ? mission_referential_load(ctx, &ref) : ERR_NOMEM;
    if (rc == 0)
        rc = store_request_list(ctx->st, "validated", kind, 0, 100000, 0, &list, &total);
    if (rc == 0) {
        rc = store_proposal_pool(ctx->st, &b.pool, &b.ref);
        size_t count = prop_pool_count(b.pool);
        b.used = rc ? NULL : calloc(count ? count : 1, sizeof *b.used);
        b.busy = rc ? NULL : calloc(count ? count : 1, 1);
        if (rc == 0 && (!b.used || !b.busy))
            rc = ERR_NOMEM;
    }
    struct fill f = {b.pool, b.used, b.busy};
    if (rc == 0)
        rc = store_trainer_hours(ctx->st, year, mission_fill_used, &f);
    if (rc == 0) {
        cal->day0 = camp.starts_at;
        struct cal_fill cf = {b.pool, cal};
        rc = store_trainer_sessions_between(ctx->st, camp.starts_at, camp.ends_at, fill_calendar,
                                            &cf);
    }
    size_t n_list = json_array_size(list);
    acts = rc ? NULL : calloc(n_list ? n_list : 1, sizeof *acts);
    order = rc ? NULL : calloc(n_list ? n_list : 1, sizeof *order);
    if (rc == 0 && (!acts || !order))
        rc = ERR_NOMEM;
    /* the actions of that campaign with open slots */
    for (size_t i = 0; rc == 0 && i < n_list; i++) {
        struct batch_action *a = &acts[n_acts];
        int64_t id = jint(json_array_get(list, i), "id");
        rc = mission_need_load(ctx, id, &a->need, &ref);
        if (rc == 0)
            rc = store_missions_of_request(ctx->st, id, &a->missions);
        if (rc)
            break;
        if (a->need.year != year) {
            mission_need_free(&a->need);
            json_decref(a->missions);
            memset(a, 0, sizeof *a);
            continue;
        }
        struct board ab = {.missions = a->missions};
        for (int s = 0; s < a->need.n_slots; s++)
            if (!mission_covering(&ab, a->need.slots[s]))
                a->open[a->n_open++] = a->need.slots[s];
        order[n_acts++] = a;
    }
    if (rc == 0 && n_acts)
        rc = mission_year_balance(ctx, year, &balance);
    /* the scarcest actions first: those with the fewest proposable trainers */
    for (size_t i = 0; rc == 0 && i < n_acts; i++) {
        struct batch_action *a = order[i];
        a->need.balance = balance;
        a->ranked = SIZE_MAX;
        calendar_mark(cal, &a->need, b.busy, 1);
        for (int s = 0; s < a->n_open; s++) {
            struct prop_query q = mission_query_of(&a->need, &b, a->open[s], 0);
            struct prop_stats st = {0};
            size_t got = 0;
            if (a->need.n_wants && prop_rank(b.pool, &q, NULL, &got, &st) == 0 &&
                st.ranked < a->ranked)
                a->ranked = st.ranked;
            if (!a->need.n_wants)
                a->ranked = 0;
        }
        calendar_mark(cal, &a->need, b.busy, 0);
    }
    if (rc == 0)
        qsort(order, n_acts, sizeof *order, cmp_scarcity);
    size_t assigned = 0;
    for (size_t i = 0; rc == 0 && i < n_acts; i++) {
        struct batch_action *a = order[i];
        if (!a->n_open)
            continue;
        a->need.balance = balance;
        calendar_mark(cal, &a->need, b.busy, 1);
        a->done = batch_choose(a, &b);
        calendar_mark(cal, &a->need, b.busy, 0);
        for (int s = 0; a->done && s < a->n_open; s++) {
            b.busy[a->got[s].pos] = 0;
            b.used[a->got[s].pos] += a->need.hours;
            balance = a->got[s].balance_after;
            a->need.balance = balance;
            for (int j = 0; rc == 0 && j < a->need.n_sessions; j++)
                rc = calendar_add(cal, (uint32_t)a->got[s].pos, a->need.sessions[j].start,
                                  a->need.sessions[j].end);
        }
        assigned += a->done;
    }
    if (rc == 0 && !dry_run && assigned) {
        rc = app_tx_begin(ctx, &own);
        for (size_t i = 0; rc == 0 && i < n_acts; i++)
            if (order[i]->done)
                rc = batch_write(ctx, order[i]);
        if (rc == 0)
            rc = app_audit(ctx, "campaign.assign", "campaign", year, NULL,
                           json_pack("{ss sI sI}", "kind", kind, "actions", (json_int_t)n_acts,
                                     "assigned", (json_int_t)assigned));
        rc = app_tx_end(ctx, own, rc);
    }
    if (rc == 0) {
        json_t *items = json_array();
        size_t open_actions = 0;
        for (size_t i = 0; i < n_acts; i++) {
            struct batch_action *a = &acts[i];
            if (!a->n_open || !a->need.req)
                continue;
            open_actions++;
            json_t *trainers = json_array();
            for (int s = 0; a->done && s < a->n_open; s++) {
                struct trainer t = {0};
                store_trainer_load(ctx->st, a->got[s].trainer_id, &t);
                char name[2 * TRAINER_NAME_MAX + 2];
                snprintf(name, sizeof name, "%s %s", t.first_name, t.last_name);
                json_array_append_new(
                    trainers, json_pack("{ss sI ss si}", "slot", mission_slot_code(a->open[s]),
                                        "trainer_id", (json_int_t)a->got[s].trainer_id, "name",
                                        name, "score", a->got[s].score));
            }
            json_array_append_new(items, json_pack("{sI ss sb so ss*}", "request_id",
                                                   (json_int_t)jint(a->need.req, "id"), "title",
                                                   jstr(a->need.req, "title"), "assigned", a->done,
                                                   "trainers", trainers, "reason",
                                                   a->done ? NULL : a->why));
        }
        *out = json_pack("{si ss sb sI sI sI sI so}", "year", year, "kind", kind, "dry_run",
                         dry_run, "actions", (json_int_t)open_actions, "assigned",
                         (json_int_t)assigned, "uncovered", (json_int_t)(open_actions - assigned),
                         "balance", (json_int_t)balance, "items", items);
    }
    for (size_t i = 0; acts && i < n_list; i++) {
        mission_need_free(&acts[i].need);
        json_decref(acts[i].missions);
    }
    free(acts);
    free(order);
    if (cal)
        calendar_free(cal);
    free(cal);
    json_decref(list);
    mission_board_free(ctx, &b);
    mission_referential_free(&ref);
    return rc;
}
