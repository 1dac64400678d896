/*
 * Trainer proposals, assignments, answers, sessions and the inbox (app/missions.h); the batch
 * assignment of a campaign is campaign_assign.c's.
 */
#include "app/missions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/campaigns.h"
#include "app/missions_internal.h"
#include "app/requests.h"
#include "core/err.h"
#include "core/ics.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "domain/campaign.h"
#include "domain/dispositif.h"
#include "domain/request.h"
#include "domain/rules_alp.h"
#include "domain/trainer.h"
#include "engine/proposal.h"

#define DEFAULT_HOURS   6
#define PLACE_MAX       200
#define WANT_THRESHOLD  0.6 /* the rarity a competence label's shared words must reach */
#define WANTS_FROM_TEXT 4   /* competences taken from the theme's words, at most */

/* ---- the request's needs ---- */

void mission_need_free(struct need *n)
{
    json_decref(n->req);
    json_decref(n->wanted);
    memset(n, 0, sizeof *n);
}

const char *mission_slot_code(unsigned char s)
{
    return s == PROP_1D ? "1D" : s == PROP_2D ? "2D" : "any";
}

const char *mission_slot_label(unsigned char s)
{
    return s == PROP_1D   ? "Formateur du 1er degré"
           : s == PROP_2D ? "Formateur du 2d degré"
                          : "Formateur";
}

const char *mission_side_code(unsigned char side)
{
    return side == PROP_SIDE_UNIVERSITY ? "university"
           : side == PROP_SIDE_RECTORAT ? "rectorat"
                                        : "other";
}

static int slot_parse(const char *s)
{
    if (!s)
        return -1;
    return strcmp(s, "1D") == 0    ? PROP_1D
           : strcmp(s, "2D") == 0  ? PROP_2D
           : strcmp(s, "any") == 0 ? PROP_ANY
                                   : -1;
}

/* Paris wall-clock `hm` ("HH:MM") on the day starting at instant `day` (a Paris midnight). */
static int hm_instant(int64_t day, const char *hm, int64_t *t)
{
    if (!hm || strlen(hm) != 5 || hm[2] != ':')
        return ERR_INVAL;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (hm[i] < '0' || hm[i] > '9'))
            return ERR_INVAL;
    int h = (hm[0] - '0') * 10 + (hm[1] - '0'), m = (hm[3] - '0') * 10 + (hm[4] - '0');
    if (h > 23 || m > 59)
        return ERR_INVAL;
    int64_t guess = day + h * 3600 + m * 60;
    /* the offset may change during the day (the last Sundays of March and October) */
    *t = guess + time_paris_offset(day) - time_paris_offset(guess);
    return 0;
}

static int site_of(const char *code)
{
    return strcmp(code, "ain") == 0     ? PROP_AIN
           : strcmp(code, "loire") == 0 ? PROP_LOIRE
           : strcmp(code, "rhone") == 0 ? PROP_RHONE
                                        : PROP_SITE_NONE;
}

/* The place of the action: the first requester's (or the host's) establishment or
 * circonscription that the référentiel knows, else the filer's scope. */
static void locate(struct app_ctx *ctx, struct need *n)
{
    char site[16] = "", kind[32] = "";
    const json_t *d = n->details;
    const json_t *who[8];
    size_t nw = 0;
    const json_t *x;
    size_t i;
    json_array_foreach(json_object_get(d, "requesters"), i, x)
    {
        if (nw < 6)
            who[nw++] = x;
    }
    if ((x = json_object_get(d, "requester")) != NULL)
        who[nw++] = x;
    if ((x = json_object_get(d, "host")) != NULL && nw < 8)
        who[nw++] = x;
    bool found = false;
    for (i = 0; i < nw && !found; i++)
        found = store_locate(ctx->st, jstr(who[i], "uai"), jstr(who[i], "circonscription"), site,
                             sizeof site, kind, sizeof kind) == 0;
    if (!found) {
        const char *sk = jstr(n->req, "scope_kind"), *sv = jstr(n->req, "scope_value");
        found = store_locate(ctx->st, strcmp(sk, "establishment") == 0 ? sv : NULL,
                             strcmp(sk, "circonscription") == 0 ? sv : NULL, site, sizeof site,
                             kind, sizeof kind) == 0;
        if (!found && strcmp(sk, "site") == 0)
            snprintf(site, sizeof site, "%s", sv), found = true;
    }
    n->site = found ? (unsigned char)site_of(site) : PROP_SITE_NONE;
    snprintf(n->site_code, sizeof n->site_code, "%s", n->site == PROP_SITE_NONE ? "" : site);
    /* The trainees' degree: an ALP's slots; a school, an IEN's circonscription: 1D; a collège,
     * a lycée: 2D; an ALD says so. */
    const char *deg = jstr(d, "degree");
    if (strcmp(deg, "premier") == 0)
        n->public_degree = PROP_1D;
    else if (strcmp(deg, "second") == 0)
        n->public_degree = PROP_2D;
    else if (found && kind[0])
        n->public_degree = strcmp(kind, "ecole") == 0 ? PROP_1D : PROP_2D;
    else if (found)
        n->public_degree = PROP_1D; /* a circonscription */
    else
        n->public_degree = PROP_ANY;
}

/* The analysed terms of a text, as a space-separated string with spaces around ("" if none). */
static void terms_of(const char *s, struct buf *out)
{
    buf_reset(out);
    buf_puts(out, " ");
    if (s && utf8_valid(s, strlen(s)))
        text_terms(s, strlen(s), out);
    buf_puts(out, " ");
}

void mission_referential_free(struct referential *r)
{
    for (size_t i = 0; r->terms && i < r->n; i++)
        free(r->terms[i]);
    free(r->terms);
    json_decref(r->rows);
    memset(r, 0, sizeof *r);
}

int mission_referential_load(struct app_ctx *ctx, struct referential *r)
{
    memset(r, 0, sizeof *r);
    int rc = store_competences(ctx->st, &r->rows);
    if (rc)
        return rc;
    r->n = json_array_size(r->rows);
    r->terms = calloc(r->n ? r->n : 1, sizeof *r->terms);
    if (!r->terms)
        return mission_referential_free(r), ERR_NOMEM;
    struct buf label;
    buf_init(&label, 1 << 12);
    for (size_t i = 0; i < r->n; i++) {
        terms_of(jstr(json_array_get(r->rows, i), "label"), &label);
        r->terms[i] = strdup(label.data);
        if (!r->terms[i]) {
            buf_free(&label);
            mission_referential_free(r);
            return ERR_NOMEM;
        }
    }
    buf_free(&label);
    return 0;
}

/* Adds to weight[i] the rarity of the words label i shares with the theme's terms. */
static void weigh_labels(const struct referential *ref, const char *theme, double *weight)
{
    struct buf word;
    buf_init(&word, 256);
    for (size_t i = 0; i < ref->n; i++) {
        const char *p = ref->terms[i];
        while (*p) {
            while (*p == ' ')
                p++;
            const char *e = strchr(p, ' ');
            if (!*p || !e)
                break;
            buf_reset(&word);
            buf_putc(&word, ' ');
            buf_append(&word, p, (size_t)(e - p));
            buf_putc(&word, ' ');
            if (strstr(theme, word.data)) {
                int df = 0;
                for (size_t j = 0; j < ref->n; j++)
                    df += strstr(ref->terms[j], word.data) != NULL;
                weight[i] += 1.0 / (df ? df : 1);
            }
            p = e;
        }
    }
    buf_free(&word);
}

/* Wanted competences: details.competences, or the referential's labels sharing rare words with
 * the theme and need (the title without them): each shared word weighs 1 / the number of
 * labels holding it, and a label needs WANT_THRESHOLD to be kept. */
static int find_wants(struct need *n, const struct referential *ref)
{
    n->wanted = json_array();
    size_t nref = ref->n;
    const json_t *codes = json_object_get(n->details, "competences");
    double *weight = calloc(nref ? nref : 1, sizeof *weight);
    if (!weight)
        return ERR_NOMEM;
    if (json_is_array(codes) && json_array_size(codes)) {
        for (size_t i = 0; i < nref; i++) {
            const char *code = jstr(json_array_get(ref->rows, i), "code");
            size_t k;
            const json_t *c;
            json_array_foreach(codes, k, c)
            {
                if (json_is_string(c) && strcmp(json_string_value(c), code) == 0)
                    weight[i] = 100;
            }
        }
    } else {
        /* the theme and the need say what the action is about; the title only without them */
        struct buf src, theme;
        buf_init(&src, 1 << 16);
        buf_init(&theme, 1 << 16);
        buf_printf(&src, "%s %s", jstr(n->details, "theme"), jstr(n->details, "need"));
        if (strspn(src.data, " ") == src.len)
            buf_puts(&src, jstr(n->req, "title"));
        terms_of(src.data, &theme);
        weigh_labels(ref, theme.data, weight);
        buf_free(&src);
        buf_free(&theme);
        /* keep the best few above the threshold */
        for (size_t i = 0; i < nref; i++)
            if (weight[i] < WANT_THRESHOLD)
                weight[i] = 0;
        for (;;) {
            size_t kept = 0;
            for (size_t i = 0; i < nref; i++)
                kept += weight[i] > 0;
            if (kept <= WANTS_FROM_TEXT)
                break;
            size_t worst = 0;
            for (size_t i = 0; i < nref; i++)
                if (weight[i] > 0 && (weight[worst] == 0 || weight[i] < weight[worst]))
                    worst = i;
            weight[worst] = 0;
        }
    }
    /* exact wants, then their parents as related ones */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < nref && n->n_wants < MAX_WANTS; i++) {
            const json_t *c = json_array_get(ref->rows, i);
            int64_t cid = jint(c, "id");
            bool exact = pass == 0 && weight[i] > 0, related = false;
            if (pass == 1 && weight[i] == 0) {
                bool have = false;
                for (size_t j = 0; j < nref; j++)
                    if (weight[j] > 0 && jint(json_array_get(ref->rows, j), "parent_id") == cid)
                        related = true;
                for (size_t w = 0; w < n->n_wants; w++)
                    have |= n->wants[w].competence == cid;
                related &= !have;
            }
            if (!exact && !related)
                continue;
            n->wants[n->n_wants++] = (struct prop_want){(int32_t)cid, related};
            json_array_append_new(n->wanted, json_pack("{sI ss ss sb}", "id", (json_int_t)cid,
                                                       "code", jstr(c, "code"), "label",
                                                       jstr(c, "label"), "related", related));
        }
    free(weight);
    return 0;
}

/* The sessions: those scheduled, else an ALP's wished ones. */
static int find_sessions(struct app_ctx *ctx, struct need *n, int64_t id)
{
    json_t *rows = NULL;
    int rc = store_tsessions_of_request(ctx->st, id, &rows);
    if (rc)
        return rc;
    size_t i;
    const json_t *s;
    json_array_foreach(rows, i, s)
    {
        if (n->n_sessions < MAX_SESSIONS)
            n->sessions[n->n_sessions++] = (struct span){jint(s, "starts_at"), jint(s, "ends_at")};
    }
    json_decref(rows);
    n->scheduled_sessions = n->n_sessions > 0;
    if (!n->n_sessions && n->kind == REQUEST_KIND_ALP_IDG) {
        json_array_foreach(json_object_get(n->details, "sessions"), i, s)
        {
            const char *date = jstr(s, "date");
            int64_t day = 0, a = 0, b = 0;
            if (n->n_sessions < MAX_SESSIONS && time_parse_date(date, strlen(date), &day) == 0 &&
                hm_instant(day, jstr(s, "start"), &a) == 0 &&
                hm_instant(day, jstr(s, "end"), &b) == 0 && b > a)
                n->sessions[n->n_sessions++] = (struct span){a, b};
        }
    }
    for (int k = 0; k < n->n_sessions; k++) {
        int wd = time_weekday(n->sessions[k].start);
        if (wd >= 1 && wd <= 6)
            n->weekdays_required |= CAMPAIGN_DAY_BIT(wd);
    }
    return 0;
}

/* Hours balance of a year: university→rectorat minus rectorat→university (004 Annexe 4 b). */
int mission_year_balance(struct app_ctx *ctx, int year, int64_t *balance)
{
    json_t *flows = NULL;
    int rc = store_hours_flows(ctx->st, year, &flows);
    if (rc)
        return rc;
    size_t i;
    const json_t *f;
    *balance = 0;
    json_array_foreach(flows, i, f)
    {
        const char *owner = jstr(f, "owner_side"), *side = jstr(f, "trainer_side");
        if (strcmp(owner, "rectorat") == 0 && strcmp(side, "university") == 0)
            *balance += jint(f, "hours");
        else if (strcmp(owner, "university") == 0 && strcmp(side, "rectorat") == 0)
            *balance -= jint(f, "hours");
    }
    json_decref(flows);
    return 0;
}

/* Reads request id and everything its proposals weigh; ref: the referential, or NULL to read
 * it here (and then the balance too: with a referential, the caller, a batch, keeps it). */
int mission_need_load(struct app_ctx *ctx, int64_t id, struct need *n,
                      const struct referential *ref)
{
    memset(n, 0, sizeof *n);
    int rc = store_request_get(ctx->st, id, false, &n->req);
    if (rc)
        return rc;
    n->details = json_object_get(n->req, "details");
    n->kind = request_kind_parse(jstr(n->req, "kind"));
    n->state = request_state_parse(jstr(n->req, "state"));
    if ((rc = find_sessions(ctx, n, id)) != 0)
        return rc;
    /* the campaign of the first session, else of the submission, else of now */
    int64_t when = n->n_sessions ? n->sessions[0].start : ctx->now;
    if (!n->n_sessions && json_is_integer(json_object_get(n->req, "submitted_at")))
        when = jint(n->req, "submitted_at");
    if (campaign_year_of(when, &n->year) != 0 || app_campaign_load(ctx, n->year, &n->camp) != 0)
        return ERR_INVAL;
    n->owner_side = n->kind == REQUEST_KIND_FI || n->kind == REQUEST_KIND_PREP_CONCOURS
                        ? PROP_SIDE_UNIVERSITY
                        : PROP_SIDE_RECTORAT;
    if (n->kind == REQUEST_KIND_ALP_IDG) {
        n->n_slots = 2;
        n->slots[0] = PROP_1D;
        n->slots[1] = PROP_2D;
        const struct campaign_settings *cs = campaign_settings_of(&n->camp, n->kind);
        bool academic = json_is_true(json_object_get(n->details, "academic_trainers"));
        n->weekdays_allowed = academic ? cs->weekdays_with_academic : cs->weekdays_without_academic;
    } else {
        n->n_slots = 1;
        n->slots[0] = PROP_ANY;
    }
    json_int_t h = json_integer_value(json_object_get(n->details, "hours"));
    if (h > 0 && h <= 200) {
        n->hours = (int)h;
    } else {
        int64_t secs = 0;
        for (int k = 0; n->scheduled_sessions && k < n->n_sessions; k++)
            secs += n->sessions[k].end - n->sessions[k].start;
        n->hours = secs ? (int)((secs + 3599) / 3600) : DEFAULT_HOURS;
    }
    locate(ctx, n);
    if (ref) {
        rc = find_wants(n, ref);
    } else {
        struct referential own;
        rc = mission_referential_load(ctx, &own);
        if (rc == 0)
            rc = find_wants(n, &own);
        mission_referential_free(&own);
    }
    if (rc)
        return rc;
    /* a batch keeps its own running balance */
    return ref ? 0 : mission_year_balance(ctx, n->year, &n->balance);
}

/* ---- proposals ---- */

int mission_fill_used(void *arg, int64_t trainer, int64_t hours)
{
    struct fill *f = arg;
    long pos = prop_pool_find(f->pool, trainer);
    if (pos >= 0)
        f->used[pos] = (int32_t)(hours > INT32_MAX ? INT32_MAX : hours);
    return 0;
}

static int fill_busy(void *arg, int64_t trainer)
{
    struct fill *f = arg;
    long pos = prop_pool_find(f->pool, trainer);
    if (pos >= 0)
        f->busy[pos] = 1;
    return 0;
}

void mission_board_free(struct app_ctx *ctx, struct board *b)
{
    free(b->used);
    free(b->busy);
    json_decref(b->missions);
    store_proposal_pool_release(ctx->st, b->ref);
    memset(b, 0, sizeof *b);
}

static int board_load(struct app_ctx *ctx, int64_t id, const struct need *n, struct board *b)
{
    memset(b, 0, sizeof *b);
    int rc = store_proposal_pool(ctx->st, &b->pool, &b->ref);
    if (rc)
        return rc;
    size_t count = prop_pool_count(b->pool);
    b->used = calloc(count ? count : 1, sizeof *b->used);
    b->busy = calloc(count ? count : 1, 1);
    if (!b->used || !b->busy)
        return ERR_NOMEM;
    struct fill f = {b->pool, b->used, b->busy};
    rc = store_trainer_hours(ctx->st, n->year, mission_fill_used, &f);
    for (int k = 0; rc == 0 && k < n->n_sessions; k++)
        rc = store_busy_trainers(ctx->st, id, n->sessions[k].start, n->sessions[k].end, fill_busy,
                                 &f);
    if (rc == 0)
        rc = store_missions_of_request(ctx->st, id, &b->missions);
    size_t i;
    const json_t *m;
    json_array_foreach(b->missions, i, m)
    {
        fill_busy(&f, jint(m, "trainer_id")); /* on it already, or declined it */
    }
    return rc;
}

struct prop_query mission_query_of(const struct need *n, const struct board *b, unsigned char slot,
                                   size_t limit)
{
    return (struct prop_query){
        .wants = n->wants,
        .n_wants = n->n_wants,
        .degree = slot,
        .public_degree = slot == PROP_ANY ? n->public_degree : slot,
        .weekdays_required = n->weekdays_required,
        .weekdays_allowed = n->weekdays_allowed,
        .hours = n->hours,
        .site = n->site,
        .owner_side = n->owner_side,
        .balance = n->balance,
        .used = b->used,
        .busy = b->busy,
        .limit = limit,
    };
}

/* The trainer mission_covering a slot (not declined), or NULL. */
const json_t *mission_covering(const struct board *b, unsigned char slot)
{
    size_t i;
    const json_t *m;
    json_array_foreach(b->missions, i, m)
    {
        if (strcmp(jstr(m, "slot"), mission_slot_code(slot)) == 0 &&
            strcmp(jstr(m, "state"), "declined") != 0)
            return m;
    }
    return NULL;
}

static const char *wanted_label(const struct need *n, int32_t cid)
{
    size_t i;
    const json_t *w;
    json_array_foreach(n->wanted, i, w)
    {
        if (jint(w, "id") == cid)
            return jstr(w, "label");
    }
    return "";
}

static const char *side_phrase(int64_t before, int64_t after)
{
    int64_t b = before < 0 ? -before : before, a = after < 0 ? -after : after;
    return a < b    ? "rapproche la balance des heures de l’équilibre"
           : a == b ? "laisse la balance des heures inchangée"
                    : "éloigne la balance des heures de l’équilibre";
}

static json_t *result_json(struct app_ctx *ctx, const struct need *n, const struct board *b,
                           const struct prop_result *r)
{
    struct trainer t = {0};
    store_trainer_load(ctx->st, r->trainer_id, &t);
    const struct prop_trainer *pt = prop_pool_trainer(b->pool, r->pos);
    char days[80] = "", line[400];
    weekdays_format(r->weekdays_ok, days, sizeof days);
    json_t *reasons = json_array();
    const char *lvl = competence_level_label(r->best_level);
    snprintf(line, sizeof line, "Compétence validée « %s », niveau %s%s",
             wanted_label(n, r->best_competence), lvl ? lvl : "?",
             r->best_related ? " (domaine du thème)" : "");
    json_array_append_new(reasons, json_string(line));
    if (r->matched > 1) {
        snprintf(line, sizeof line, "%d compétences du thème validées", r->matched);
        json_array_append_new(reasons, json_string(line));
    }
    const char *deg = trainer_degree_label(t.degree);
    snprintf(line, sizeof line, "%s%s", deg ? deg : t.degree,
             r->s_degree == 10 ? ", comme le public" : "");
    json_array_append_new(reasons, json_string(line));
    snprintf(line, sizeof line, "Disponible le %s", days);
    json_array_append_new(reasons, json_string(line));
    snprintf(line, sizeof line, "%d h libres sur %d h de quota, %d h pour cette action",
             r->quota_left, pt ? pt->quota : 0, n->hours);
    json_array_append_new(reasons, json_string(line));
    const char *tsite = trainer_site_label(t.site);
    if (r->distance_km == 0)
        snprintf(line, sizeof line, "Même site que le lieu de l’action (%s)", tsite ? tsite : "");
    else if (r->distance_km > 0)
        snprintf(line, sizeof line, "Site %s, à %d km du lieu de l’action (%s)",
                 tsite ? tsite : t.site, r->distance_km,
                 trainer_site_label(n->site_code) ? trainer_site_label(n->site_code) : "");
    else
        snprintf(line, sizeof line, "Site %s (lieu de l’action inconnu)", tsite ? tsite : "");
    json_array_append_new(reasons, json_string(line));
    if (r->balance_after == n->balance)
        snprintf(line, sizeof line, "L’affectation %s (%+lld h)",
                 side_phrase(n->balance, r->balance_after), (long long)n->balance);
    else
        snprintf(line, sizeof line, "L’affectation %s (%+lld h → %+lld h)",
                 side_phrase(n->balance, r->balance_after), (long long)n->balance,
                 (long long)r->balance_after);
    json_array_append_new(reasons, json_string(line));
    char name[2 * TRAINER_NAME_MAX + 2];
    snprintf(name, sizeof name, "%s %s", t.first_name, t.last_name);
    return json_pack("{sI ss ss ss ss si s{si si si si si si} s{ss si sb si ss si si si sI sI} so}",
                     "trainer_id", (json_int_t)r->trainer_id, "name", name, "degree", t.degree,
                     "site", t.site, "institution", t.institution, "score", r->score, "components",
                     "competence", r->s_competence, "degree", r->s_degree, "weekdays",
                     r->s_weekdays, "quota", r->s_quota, "distance", r->s_distance, "balance",
                     r->s_balance, "facts", "competence", wanted_label(n, r->best_competence),
                     "level", r->best_level, "related", r->best_related != 0, "matched", r->matched,
                     "weekdays", days, "quota", pt ? pt->quota : 0, "quota_left", r->quota_left,
                     "distance_km", r->distance_km, "balance_before", (json_int_t)n->balance,
                     "balance_after", (json_int_t)r->balance_after, "reasons", reasons);
}

int app_request_proposals(struct app_ctx *ctx, int64_t id, int limit, json_t **out, char *msg,
                          size_t msg_len)
{
    if (!ctx->actor || !app_sees_all_requests(ctx->actor)) {
        snprintf(msg, msg_len, "Aucune demande n° %lld.", (long long)id);
        return ERR_NOTFOUND;
    }
    if (limit < 1 || limit > MISSION_PROPOSALS_MAX)
        limit = 10;
    struct need n;
    struct board b = {0};
    int rc = mission_need_load(ctx, id, &n, NULL);
    if (rc == ERR_NOTFOUND)
        snprintf(msg, msg_len, "Aucune demande n° %lld.", (long long)id);
    if (rc == 0 && n.state != REQUEST_TRIAGED && n.state != REQUEST_FORWARDED &&
        n.state != REQUEST_VALIDATED && n.state != REQUEST_ASSIGNED) {
        snprintf(msg, msg_len,
                 "Les formateurs se proposent pour une demande prise en charge, transmise, "
                 "validée ou affectée ; celle-ci est « %s ».",
                 request_state_label(n.state));
        rc = ERR_CONFLICT;
    }
    if (rc == 0)
        rc = board_load(ctx, id, &n, &b);
    struct prop_result *res = rc ? NULL : calloc((size_t)limit, sizeof *res);
    if (rc == 0 && !res)
        rc = ERR_NOMEM;
    json_t *slots = json_array();
    for (int s = 0; rc == 0 && s < n.n_slots; s++) {
        struct prop_query q = mission_query_of(&n, &b, n.slots[s], (size_t)limit);
        struct prop_stats st = {0};
        size_t got = 0;
        rc = n.n_wants ? prop_rank(b.pool, &q, res, &got, &st) : 0;
        json_t *items = json_array();
        for (size_t k = 0; rc == 0 && k < got; k++)
            json_array_append_new(items, result_json(ctx, &n, &b, &res[k]));
        const json_t *cov = mission_covering(&b, n.slots[s]);
        json_array_append_new(
            slots, json_pack("{ss ss sO s{sI sI sI sI sI sI} so}", "slot",
                             mission_slot_code(n.slots[s]), "label", mission_slot_label(n.slots[s]),
                             "covered_by", cov ? cov : json_null(), "stats", "candidates",
                             (json_int_t)st.candidates, "degree", (json_int_t)st.degree, "weekdays",
                             (json_int_t)st.weekdays, "quota", (json_int_t)st.quota, "busy",
                             (json_int_t)st.busy, "ranked", (json_int_t)st.ranked, "items", items));
    }
    free(res);
    if (rc == 0) {
        char days[80] = "";
        weekdays_format(n.weekdays_required, days, sizeof days);
        *out = json_pack("{sI si si sO ss ss sI so}", "request_id", (json_int_t)id, "year", n.year,
                         "hours", n.hours, "wanted", n.wanted, "site", n.site_code, "required_days",
                         days, "balance", (json_int_t)n.balance, "slots", slots);
    } else {
        json_decref(slots);
    }
    mission_board_free(ctx, &b);
    mission_need_free(&n);
    return rc;
}

int app_request_set_competences(struct app_ctx *ctx, int64_t id, const char *const *codes, size_t n,
                                char *msg, size_t msg_len)
{
    if (!ctx->actor || !coordinates(ctx->actor)) {
        snprintf(msg, msg_len,
                 "Seule l’équipe de coordination précise les compétences recherchées.");
        return ERR_DENIED;
    }
    if (n > MAX_WANTS) {
        snprintf(msg, msg_len, "%d compétences au plus.", MAX_WANTS);
        return ERR_INVAL;
    }
    json_t *req = NULL, *ref = NULL;
    int rc = store_request_get(ctx->st, id, false, &req);
    if (rc == ERR_NOTFOUND)
        snprintf(msg, msg_len, "Aucune demande n° %lld.", (long long)id);
    enum request_state s = rc ? REQUEST_DRAFT : request_state_parse(jstr(req, "state"));
    if (rc == 0 && s != REQUEST_TRIAGED && s != REQUEST_FORWARDED && s != REQUEST_VALIDATED &&
        s != REQUEST_ASSIGNED) {
        snprintf(msg, msg_len,
                 "Les compétences se précisent pour une demande prise en charge, transmise, "
                 "validée ou affectée ; celle-ci est « %s ».",
                 request_state_label(s));
        rc = ERR_CONFLICT;
    }
    if (rc == 0)
        rc = store_competences(ctx->st, &ref);
    json_t *list = json_array();
    for (size_t i = 0; rc == 0 && i < n; i++) {
        bool known = false;
        size_t k;
        const json_t *c;
        json_array_foreach(ref, k, c)
        {
            known |= codes[i] && strcmp(jstr(c, "code"), codes[i]) == 0;
        }
        if (!known) {
            snprintf(msg, msg_len, "Compétence inconnue du référentiel : « %.40s ».",
                     codes[i] && utf8_valid(codes[i], strlen(codes[i])) ? codes[i] : "?");
            rc = ERR_INVAL;
        }
        json_array_append_new(list, json_string(codes[i] ? codes[i] : ""));
    }
    json_t *details = rc ? NULL : json_deep_copy(json_object_get(req, "details"));
    json_t *before = rc ? NULL : json_incref(json_object_get(details, "competences"));
    if (details) {
        if (n)
            json_object_set(details, "competences", list);
        else
            json_object_del(details, "competences");
    }
    char *text = details ? json_dumps(details, JSON_COMPACT) : NULL;
    bool own = false;
    if (rc == 0)
        rc = text ? app_tx_begin(ctx, &own) : ERR_NOMEM;
    if (rc == 0)
        rc = store_request_set_details(ctx->st, id, text, ctx->now);
    if (rc == 0)
        rc = app_audit(ctx, "request.competences", "training_request", id,
                       json_pack("{so}", "competences", before ? before : json_null()),
                       json_pack("{sO}", "competences", list));
    else
        json_decref(before);
    rc = app_tx_end(ctx, own, rc);
    free(text);
    json_decref(details);
    json_decref(list);
    json_decref(ref);
    json_decref(req);
    return rc;
}

/* ---- notifications ---- */

static int notify_user(struct app_ctx *ctx, int64_t user, const char *kind, int64_t request,
                       const char *title)
{
    if (!user)
        return 0;
    char link[64];
    snprintf(link, sizeof link, "/demandes/%lld", (long long)request);
    char body[700];
    snprintf(body, sizeof body, "%s\n\nContinuum : %s", title, link);
    struct notice nt = {user, kind, request, title, body, link};
    return store_notify(ctx->st, &nt, ctx->now);
}

static int notify_role(struct app_ctx *ctx, enum role role, const char *kind, int64_t request,
                       const char *title)
{
    int64_t ids[64];
    int n = 0;
    int rc = store_users_of_role(ctx->st, role_code(role), ids, 64, &n);
    for (int i = 0; rc == 0 && i < n; i++)
        if (ids[i] != (ctx->actor ? ctx->actor->id : 0))
            rc = notify_user(ctx, ids[i], kind, request, title);
    return rc;
}

int mission_notify_trainer(struct app_ctx *ctx, int64_t trainer, const char *kind, int64_t request,
                           const char *title)
{
    int64_t user = 0;
    int rc = store_trainer_user(ctx->st, trainer, &user);
    if (rc || user)
        return rc ? rc : notify_user(ctx, user, kind, request, title);
    /* no account yet: the e-mail only, to the address of the map */
    struct trainer t = {0};
    if ((rc = store_trainer_load(ctx->st, trainer, &t)) != 0 || !t.email[0])
        return rc;
    char body[700];
    snprintf(body, sizeof body, "%s\n\nContinuum : /demandes/%lld", title, (long long)request);
    return store_outbox_add(ctx->st, t.email, title, body, ctx->now);
}

/* "« title »", cut at a character boundary to fit a notification's line. */
void mission_quoted_title(const json_t *req, char *out, size_t n)
{
    const char *t = jstr(req, "title");
    size_t len = strlen(t);
    if (len > 150) {
        len = 150;
        while (len && ((unsigned char)t[len] & 0xc0) == 0x80)
            len--; /* not inside a character */
    }
    snprintf(out, n, "« %.*s »", (int)len, t);
}

int app_transition_effects(struct app_ctx *ctx, const json_t *req, const char *from, const char *to)
{
    int64_t id = jint(req, "id");
    char t[200], line[300];
    mission_quoted_title(req, t, sizeof t);
    enum request_state dest = request_state_parse(to);
    int rc = 0;
    if (strcmp(from, "assigned") == 0 && dest == REQUEST_VALIDATED)
        rc = store_missions_clear(ctx->st, id);
    if (rc == 0 && dest == REQUEST_HOURS_VALIDATED)
        rc = store_missions_validate_hours(ctx->st, id, ctx->now);
    switch (dest) {
    case REQUEST_SUBMITTED:
        snprintf(line, sizeof line, "Demande à prendre en charge : %s", t);
        return notify_role(ctx, ROLE_COORDINATOR, "request.triage", id, line);
    case REQUEST_FORWARDED:
        snprintf(line, sizeof line, "Demande à valider : %s", t);
        rc = notify_role(ctx, ROLE_PILOT, "request.validate", id, line);
        if (rc == 0 && strcmp(jstr(req, "kind"), "ald") == 0)
            rc = notify_role(ctx, ROLE_INSPECTOR, "request.validate", id, line);
        return rc;
    case REQUEST_VALIDATED:
        if (rc == 0 && strcmp(from, "assigned") != 0) {
            snprintf(line, sizeof line, "Votre demande %s est validée.", t);
            rc = notify_user(ctx, jint(req, "requester_id"), "request.answer", id, line);
        }
        return rc;
    case REQUEST_CANCELLED: {
        /* the trainers and the requester learn it; the hours leave the quotas (store) */
        snprintf(line, sizeof line, "Action annulée : %s", t);
        rc = notify_user(ctx, jint(req, "requester_id"), "request.cancelled", id, line);
        json_t *ms = NULL;
        if (rc == 0)
            rc = store_missions_of_request(ctx->st, id, &ms);
        size_t i;
        const json_t *m;
        json_array_foreach(ms, i, m)
        {
            if (rc == 0 && strcmp(jstr(m, "state"), "declined") != 0)
                rc = mission_notify_trainer(ctx, jint(m, "trainer_id"), "mission.cancelled", id,
                                            line);
        }
        json_decref(ms);
        return rc;
    }
    case REQUEST_REFUSED:
        snprintf(line, sizeof line, "Votre demande %s est refusée.", t);
        return notify_user(ctx, jint(req, "requester_id"), "request.answer", id, line);
    case REQUEST_SCHEDULED: {
        snprintf(line, sizeof line, "Séances planifiées : %s", t);
        rc = notify_user(ctx, jint(req, "requester_id"), "request.scheduled", id, line);
        json_t *ms = NULL;
        if (rc == 0)
            rc = store_missions_of_request(ctx->st, id, &ms);
        size_t i;
        const json_t *m;
        json_array_foreach(ms, i, m)
        {
            if (rc == 0 && strcmp(jstr(m, "state"), "accepted") == 0)
                rc = notify_user(ctx, jint(m, "user_id"), "mission.scheduled", id, line);
        }
        json_decref(ms);
        return rc;
    }
    default:
        return rc;
    }
}

/* ---- assignment ---- */

static const char *prop_reason(int why)
{
    switch (why) {
    case 1:
        return "n’a aucune compétence validée sur le thème";
    case 2:
        return "n’est pas du degré attendu";
    case 3:
        return "n’est pas disponible les jours de l’action";
    case 4:
        return "n’a plus assez d’heures sur son quota";
    case 5:
        return "anime déjà une séance au même moment, ou est déjà sollicité pour cette demande";
    default:
        return "ne peut pas être retenu";
    }
}

int app_request_assign(struct app_ctx *ctx, int64_t id, const struct assign_choice *c, size_t nc,
                       char *msg, size_t msg_len)
{
    bool own = false;
    if (!ctx->actor)
        return ERR_DENIED;
    if (!coordinates(ctx->actor)) {
        snprintf(msg, msg_len, "Seule l’équipe de coordination affecte les formateurs.");
        return app_sees_all_requests(ctx->actor) ? ERR_DENIED : ERR_NOTFOUND;
    }
    if (nc == 0 || nc > 4) {
        snprintf(msg, msg_len, "Choisissez un formateur par poste à pourvoir.");
        return ERR_INVAL;
    }
    struct need n;
    struct board b = {0};
    int rc = mission_need_load(ctx, id, &n, NULL);
    if (rc == ERR_NOTFOUND)
        snprintf(msg, msg_len, "Aucune demande n° %lld.", (long long)id);
    if (rc == 0 && n.state != REQUEST_VALIDATED && n.state != REQUEST_ASSIGNED) {
        snprintf(msg, msg_len,
                 "Les formateurs s’affectent à une demande validée ; celle-ci est « %s ».",
                 request_state_label(n.state));
        rc = ERR_CONFLICT;
    }
    if (rc == 0)
        rc = board_load(ctx, id, &n, &b);
    bool taken[2] = {false, false};
    int score[4] = {0}; /* each choice's, checked once and stored with it */
    for (size_t i = 0; rc == 0 && i < nc; i++) {
        int slot = slot_parse(c[i].slot);
        int which = -1;
        for (int s = 0; s < n.n_slots; s++)
            if (n.slots[s] == slot)
                which = s;
        if (which < 0) {
            snprintf(msg, msg_len, "Poste inconnu pour cette demande : « %.8s ».",
                     c[i].slot && utf8_valid(c[i].slot, strlen(c[i].slot)) ? c[i].slot : "?");
            rc = ERR_INVAL;
            break;
        }
        if (taken[which] || mission_covering(&b, n.slots[which])) {
            snprintf(msg, msg_len, "Le poste « %s » est déjà pourvu.",
                     mission_slot_label(n.slots[which]));
            rc = ERR_CONFLICT;
            break;
        }
        taken[which] = true;
        long pos = prop_pool_find(b.pool, c[i].trainer_id);
        if (pos < 0) {
            snprintf(msg, msg_len, "Aucun formateur n° %lld.", (long long)c[i].trainer_id);
            rc = ERR_INVAL;
            break;
        }
        struct prop_query q = mission_query_of(&n, &b, n.slots[which], 1);
        struct prop_result r;
        int why = prop_score(b.pool, &q, (size_t)pos, &r);
        if (why) {
            struct trainer t = {0};
            store_trainer_load(ctx->st, c[i].trainer_id, &t);
            snprintf(msg, msg_len, "%s %s %s.", t.first_name, t.last_name, prop_reason(why));
            rc = ERR_CONFLICT;
            break;
        }
        score[i] = r.score;
        b.busy[pos] = 1; /* not twice */
    }
    if (rc == 0)
        rc = app_tx_begin(ctx, &own);
    for (size_t i = 0; rc == 0 && i < nc; i++) {
        struct mission_row m = {
            id,     c[i].trainer_id, c[i].slot,      n.hours,
            n.year, score[i],        ctx->actor->id, mission_side_code(n.owner_side)};
        rc = store_mission_add(ctx->st, &m, ctx->now);
        if (rc == ERR_EXISTS) {
            snprintf(msg, msg_len, "Ce formateur est déjà sollicité pour cette demande.");
            rc = ERR_CONFLICT;
        }
        char t[200], line[300];
        mission_quoted_title(n.req, t, sizeof t);
        snprintf(line, sizeof line, "Mission à accepter : %s", t);
        if (rc == 0)
            rc = mission_notify_trainer(ctx, c[i].trainer_id, "mission.accept", id, line);
        if (rc == 0)
            rc = app_audit(ctx, "request.assign", "training_request", id, NULL,
                           json_pack("{sI ss si si}", "trainer_id", (json_int_t)c[i].trainer_id,
                                     "slot", c[i].slot, "hours", n.hours, "score", score[i]));
    }
    if (rc == 0 && n.state == REQUEST_VALIDATED) {
        struct request_move mv = {.from = "validated",
                                  .to = "assigned",
                                  .actor_id = ctx->actor->id,
                                  .actor_login = ctx->actor->login,
                                  .reason = ""};
        rc = store_request_move(ctx->st, id, &mv, ctx->now);
        if (rc == ERR_CONFLICT)
            snprintf(msg, msg_len, "La demande a changé d’état entre-temps : rechargez-la.");
    }
    rc = app_tx_end(ctx, own, rc);
    mission_board_free(ctx, &b);
    mission_need_free(&n);
    return rc;
}

int app_mission_answer(struct app_ctx *ctx, int64_t id, bool accept, const char *reason, char *msg,
                       size_t msg_len)
{
    bool own = false;
    if (!ctx->actor || !ctx->actor->trainer_id) {
        snprintf(msg, msg_len, "Seul le formateur sollicité répond à une mission.");
        return ERR_DENIED;
    }
    json_t *req = NULL;
    int rc = store_request_get(ctx->st, id, false, &req);
    if (rc == ERR_NOTFOUND)
        snprintf(msg, msg_len, "Aucune demande n° %lld.", (long long)id);
    if (rc == 0 && !accept &&
        (!reason || request_reason_check(reason, strlen(reason), msg, msg_len) != 0)) {
        if (!reason)
            snprintf(msg, msg_len, "Un motif est obligatoire pour décliner une mission.");
        rc = ERR_INVAL;
    }
    if (rc == 0)
        rc = app_tx_begin(ctx, &own);
    if (rc == 0) {
        rc = store_mission_answer(ctx->st, id, ctx->actor->trainer_id, "pending",
                                  accept ? "accepted" : "declined", accept ? "" : reason, ctx->now);
        if (rc == ERR_CONFLICT)
            snprintf(msg, msg_len, "Aucune mission en attente de votre réponse sur cette demande.");
    }
    char t[200], line[400];
    mission_quoted_title(req, t, sizeof t);
    snprintf(line, sizeof line, "%s %s la mission %s", ctx->actor->display_name,
             accept ? "accepte" : "décline", t);
    if (rc == 0)
        rc = notify_role(ctx, ROLE_COORDINATOR, accept ? "mission.accepted" : "mission.declined",
                         id, line);
    if (rc == 0)
        rc = app_audit(ctx, accept ? "mission.accept" : "mission.decline", "training_request", id,
                       NULL,
                       json_pack("{sI ss}", "trainer_id", (json_int_t)ctx->actor->trainer_id,
                                 "reason", accept ? "" : reason));
    rc = app_tx_end(ctx, own, rc);
    json_decref(req);
    return rc;
}

int app_mission_declare(struct app_ctx *ctx, int64_t id, int hours, char *msg, size_t msg_len)
{
    if (!ctx->actor || !ctx->actor->trainer_id) {
        snprintf(msg, msg_len, "Seul le formateur de la mission déclare ses heures.");
        return ERR_DENIED;
    }
    if (hours < 0 || hours > MISSION_HOURS_MAX) {
        snprintf(msg, msg_len, "Heures : un entier de 0 à %d.", MISSION_HOURS_MAX);
        return ERR_INVAL;
    }
    json_t *req = NULL;
    int rc = store_request_get(ctx->st, id, false, &req);
    if (rc == ERR_NOTFOUND)
        snprintf(msg, msg_len, "Aucune demande n° %lld.", (long long)id);
    const char *state = rc ? "" : jstr(req, "state");
    if (rc == 0 && strcmp(state, "scheduled") != 0 && strcmp(state, "done") != 0) {
        snprintf(msg, msg_len,
                 "Les heures se déclarent pour une action planifiée ou réalisée ; celle-ci est "
                 "« %s ».",
                 request_state_label(request_state_parse(state)));
        rc = ERR_CONFLICT;
    }
    bool own = false;
    if (rc == 0)
        rc = app_tx_begin(ctx, &own);
    if (rc == 0) {
        rc = store_mission_declare(ctx->st, id, ctx->actor->trainer_id, hours, ctx->now);
        if (rc == ERR_CONFLICT)
            snprintf(msg, msg_len,
                     "Aucune mission acceptée sur cette demande dont les heures restent à "
                     "déclarer.");
    }
    if (rc == 0) {
        char t[200], line[400];
        mission_quoted_title(req, t, sizeof t);
        snprintf(line, sizeof line, "%s déclare %d h pour %s", ctx->actor->display_name, hours, t);
        rc = notify_role(ctx, ROLE_COORDINATOR, "hours.declared", id, line);
    }
    if (rc == 0)
        rc = app_audit(
            ctx, "mission.hours", "training_request", id, NULL,
            json_pack("{sI si}", "trainer_id", (json_int_t)ctx->actor->trainer_id, "hours", hours));
    rc = app_tx_end(ctx, own, rc);
    json_decref(req);
    return rc;
}

/* ---- sessions ---- */

static const char *const modalities[] = {"presentiel", "distance", "hybride", "classe_virtuelle",
                                         NULL};

static bool may_schedule(const struct user *u, const json_t *req)
{
    if (coordinates(u))
        return true;
    const char *kind = jstr(req, "kind");
    if (strcmp(kind, "ent") == 0)
        return jint(req, "requester_id") == u->id;
    if (strcmp(kind, "fi") == 0)
        return u->role == ROLE_PARCOURS_MANAGER && jint(req, "requester_id") == u->id;
    return false;
}

/* "le 12/01/2027 de 09:00 à 12:00" */
static void span_phrase(int64_t a, int64_t b, char *out, size_t n)
{
    struct buf d = {0}, x = {0}, y = {0};
    buf_init(&d, 64);
    buf_init(&x, 64);
    buf_init(&y, 64);
    time_format_date(a, &d);
    time_format_hm(a, &x);
    time_format_hm(b, &y);
    snprintf(out, n, "le %s de %s à %s", d.data, x.data, y.data);
    buf_free(&d);
    buf_free(&x);
    buf_free(&y);
}

/* Is every trainer of the request free at [a, b)? ERR_CONFLICT with msg when not. */
static int trainers_free(struct app_ctx *ctx, int64_t id, const json_t *missions, int64_t a,
                         int64_t b, char *msg, size_t msg_len)
{
    size_t i;
    const json_t *m;
    json_array_foreach(missions, i, m)
    {
        if (strcmp(jstr(m, "state"), "declined") == 0)
            continue;
        struct trainer t = {0};
        int64_t tid = jint(m, "trainer_id");
        int rc = store_trainer_load(ctx->st, tid, &t);
        if (rc)
            return rc;
        int wd = time_weekday(a);
        if (wd < 1 || wd > 6 || !(t.weekdays & CAMPAIGN_DAY_BIT(wd))) {
            char days[80] = "";
            weekdays_format(t.weekdays, days, sizeof days);
            snprintf(msg, msg_len, "%s %s n’est pas disponible le %s (disponible : %s).",
                     t.first_name, t.last_name,
                     wd >= 1 && wd <= 6 ? weekday_names[wd - 1] : "dimanche",
                     days[0] ? days : "aucun jour");
            return ERR_CONFLICT;
        }
        json_t *c = NULL;
        rc = store_trainer_conflict(ctx->st, tid, id, a, b, &c);
        if (rc)
            return rc;
        if (c) {
            char when[120];
            span_phrase(jint(c, "starts_at"), jint(c, "ends_at"), when, sizeof when);
            snprintf(msg, msg_len,
                     "%s %s anime déjà « %.100s » %s : un formateur ne peut pas être à deux "
                     "séances en même temps.",
                     t.first_name, t.last_name, jstr(c, "title"), when);
            json_decref(c);
            return ERR_CONFLICT;
        }
    }
    return 0;
}

/* May the actor change the sessions of request id now? Reads it into *req (the caller frees
 * it, also on ERR_DENIED or ERR_CONFLICT); msg says why not. */
static int session_gate(struct app_ctx *ctx, int64_t id, json_t **req, char *msg, size_t msg_len)
{
    *req = NULL;
    if (!ctx->actor)
        return ERR_DENIED;
    int rc = store_request_get(ctx->st, id, false, req);
    if (rc == ERR_NOTFOUND)
        snprintf(msg, msg_len, "Aucune demande n° %lld.", (long long)id);
    if (rc)
        return rc;
    enum request_state s = request_state_parse(jstr(*req, "state"));
    if (!may_schedule(ctx->actor, *req)) {
        snprintf(msg, msg_len, "Votre rôle ne planifie pas les séances de cette demande.");
        return ERR_DENIED;
    }
    if (s != REQUEST_VALIDATED && s != REQUEST_ASSIGNED && s != REQUEST_SCHEDULED) {
        snprintf(msg, msg_len,
                 "Les séances se planifient pour une demande validée, affectée ou planifiée ; "
                 "celle-ci est « %s ».",
                 request_state_label(s));
        return ERR_CONFLICT;
    }
    return 0;
}

int app_tsession_add(struct app_ctx *ctx, int64_t id, const struct tsession_input *in,
                     struct field_errors *errs, char *msg, size_t msg_len, int64_t *session_id)
{
    bool own = false;
    json_t *req = NULL, *missions = NULL;
    int rc = session_gate(ctx, id, &req, msg, msg_len);
    if (!req)
        return rc;
    int64_t day = 0, a = 0, b = 0;
    if (rc == 0) {
        if (!in->date || time_parse_date(in->date, strlen(in->date), &day) != 0)
            field_errors_add(errs, "date", "Date : une date JJ/MM/AAAA est attendue.");
        else if (hm_instant(day, in->start, &a) != 0)
            field_errors_add(errs, "start", "Début : une heure HH:MM est attendue.");
        else if (hm_instant(day, in->end, &b) != 0)
            field_errors_add(errs, "end", "Fin : une heure HH:MM est attendue.");
        else if (b <= a)
            field_errors_add(errs, "end", "Fin : la séance finit après son début.");
        const char *place = in->place ? in->place : "";
        if (strlen(place) > PLACE_MAX || !utf8_valid(place, strlen(place)))
            field_errors_add(errs, "place", "Lieu : %d caractères au plus.", PLACE_MAX);
        bool known = false;
        for (int k = 0; modalities[k]; k++)
            known |= in->modality && strcmp(in->modality, modalities[k]) == 0;
        if (!known)
            field_errors_add(errs, "modality",
                             "Modalité : présentiel, distance, hybride ou classe virtuelle.");
        else if (strcmp(in->modality, "presentiel") == 0 && !place[0])
            field_errors_add(errs, "place", "Lieu : obligatoire pour une séance en présentiel.");
        if (errs->count) {
            snprintf(msg, msg_len, "La séance n’est pas valide.");
            rc = ERR_INVAL;
        }
    }
    if (rc == 0)
        rc = store_missions_of_request(ctx->st, id, &missions);
    if (rc == 0)
        rc = trainers_free(ctx, id, missions, a, b, msg, msg_len);
    if (rc == 0)
        rc = app_tx_begin(ctx, &own);
    struct tsession_row row = {id, a, b, in->place ? in->place : "", in->modality};
    int64_t sid = 0;
    if (rc == 0)
        rc = store_tsession_add(ctx->st, &row, ctx->now, &sid);
    if (rc == 0)
        rc = app_audit(ctx, "session.add", "training_request", id, NULL,
                       json_pack("{sI sI sI ss ss}", "session_id", (json_int_t)sid, "starts_at",
                                 (json_int_t)a, "ends_at", (json_int_t)b, "place", row.place,
                                 "modality", row.modality));
    rc = app_tx_end(ctx, own, rc);
    if (rc == 0 && session_id)
        *session_id = sid;
    json_decref(missions);
    json_decref(req);
    return rc;
}

int app_tsession_remove(struct app_ctx *ctx, int64_t id, int64_t session_id, char *msg,
                        size_t msg_len)
{
    bool own = false;
    json_t *req = NULL;
    int rc = session_gate(ctx, id, &req, msg, msg_len);
    if (!req)
        return rc;
    if (rc == 0)
        rc = app_tx_begin(ctx, &own);
    if (rc == 0) {
        rc = store_tsession_remove(ctx->st, id, session_id);
        if (rc == ERR_NOTFOUND)
            snprintf(msg, msg_len, "Aucune séance n° %lld sur cette demande.",
                     (long long)session_id);
    }
    if (rc == 0)
        rc = app_audit(ctx, "session.remove", "training_request", id,
                       json_pack("{sI}", "session_id", (json_int_t)session_id), NULL);
    rc = app_tx_end(ctx, own, rc);
    json_decref(req);
    return rc;
}

/* ---- checks of the workflow ---- */

int app_assigned_check(struct app_ctx *ctx, const json_t *req, char *msg, size_t msg_len)
{
    struct need n;
    struct board b = {0};
    int64_t id = jint(req, "id");
    int rc = mission_need_load(ctx, id, &n, NULL);
    if (rc == 0)
        rc = store_missions_of_request(ctx->st, id, &b.missions);
    for (int s = 0; rc == 0 && s < n.n_slots; s++)
        if (!mission_covering(&b, n.slots[s])) {
            snprintf(msg, msg_len,
                     "Choisissez d’abord les formateurs parmi les propositions : il manque « %s ».",
                     mission_slot_label(n.slots[s]));
            rc = ERR_CONFLICT;
        }
    json_decref(b.missions);
    mission_need_free(&n);
    return rc;
}

int app_schedule_check(struct app_ctx *ctx, const json_t *req, struct rule_report *rules, char *msg,
                       size_t msg_len)
{
    int64_t id = jint(req, "id");
    struct need n;
    struct board b = {0};
    int rc = mission_need_load(ctx, id, &n, NULL);
    if (rc == 0)
        rc = store_missions_of_request(ctx->st, id, &b.missions);
    if (rc == 0 && !n.scheduled_sessions) {
        snprintf(msg, msg_len, "Ajoutez au moins une séance avant de planifier l’action.");
        rc = ERR_CONFLICT;
    }
    for (int s = 0; rc == 0 && s < n.n_slots; s++) {
        const json_t *m = mission_covering(&b, n.slots[s]);
        if (!m) {
            snprintf(msg, msg_len, "Il manque un formateur : « %s ».",
                     mission_slot_label(n.slots[s]));
            rc = ERR_CONFLICT;
        } else if (strcmp(jstr(m, "state"), "accepted") != 0) {
            snprintf(msg, msg_len, "%s n’a pas encore accepté sa mission.", jstr(m, "name"));
            rc = ERR_CONFLICT;
        }
    }
    if (rc == 0 && n.kind == REQUEST_KIND_ALP_IDG) {
        /* the ALP's rules on the sessions as scheduled (seed 001) */
        json_t *d = json_deep_copy(n.details);
        json_t *ss = json_array();
        for (int k = 0; k < n.n_sessions; k++) {
            struct buf x = {0}, y = {0};
            buf_init(&x, 32);
            buf_init(&y, 32);
            time_format_hm(n.sessions[k].start, &x);
            time_format_hm(n.sessions[k].end, &y);
            int yy = 0, mm = 0, dd = 0;
            rules_paris_ymd(n.sessions[k].start, &yy, &mm, &dd);
            char date[16];
            snprintf(date, sizeof date, "%04d-%02d-%02d", yy, mm, dd);
            json_array_append_new(
                ss, json_pack("{ss ss ss}", "date", date, "start", x.data, "end", y.data));
            buf_free(&x);
            buf_free(&y);
        }
        if (!json_is_object(d))
            d = (json_decref(d), json_object());
        json_object_set_new(d, "sessions", ss);
        struct rule_report local = {0};
        struct rule_report *out = rules ? rules : &local;
        rule_report_init(out);
        if (rules_alp_check(d, &n.camp, out) > 0) {
            snprintf(msg, msg_len,
                     "Les séances ne respectent pas les règles de l’ALP IDG : corrigez-les avant "
                     "de planifier.");
            rc = ERR_INVAL;
        }
        json_decref(d);
    }
    json_decref(b.missions);
    mission_need_free(&n);
    return rc;
}

/* ---- reading ---- */

int app_request_work(struct app_ctx *ctx, json_t *req)
{
    int64_t id = jint(req, "id");
    json_t *missions = NULL, *sessions = NULL;
    int rc = store_missions_of_request(ctx->st, id, &missions);
    if (rc == 0)
        rc = store_tsessions_of_request(ctx->st, id, &sessions);
    if (rc) {
        json_decref(missions);
        return rc;
    }
    json_t *mine = NULL;
    size_t i;
    json_t *m;
    json_array_foreach(missions, i, m)
    {
        bool own =
            ctx->actor && ctx->actor->trainer_id && jint(m, "trainer_id") == ctx->actor->trainer_id;
        if (own)
            mine = m;
        /* a trainer's e-mail is for the coordination team and the trainer */
        if (!ctx->actor || (!app_sees_all_requests(ctx->actor) && !own))
            json_object_del(m, "email");
    }
    bool alp = strcmp(jstr(req, "kind"), "alp_idg") == 0;
    json_t *slots = json_array();
    for (int s = 0; s < (alp ? 2 : 1); s++) {
        unsigned char slot = alp ? (s ? PROP_2D : PROP_1D) : PROP_ANY;
        const json_t *cov = NULL;
        json_array_foreach(missions, i, m)
        {
            if (!cov && strcmp(jstr(m, "slot"), mission_slot_code(slot)) == 0 &&
                strcmp(jstr(m, "state"), "declined") != 0)
                cov = m;
        }
        json_array_append_new(slots, json_pack("{ss ss sO}", "slot", mission_slot_code(slot),
                                               "label", mission_slot_label(slot), "covered_by",
                                               cov ? cov : json_null()));
    }
    enum request_state s = request_state_parse(jstr(req, "state"));
    bool coord = ctx->actor && coordinates(ctx->actor);
    json_object_set_new(req, "trainers", missions);
    json_object_set_new(req, "sessions", sessions);
    json_object_set_new(req, "slots", slots);
    json_object_set_new(req, "may_assign",
                        json_boolean(coord && (s == REQUEST_VALIDATED || s == REQUEST_ASSIGNED)));
    json_object_set_new(
        req, "may_schedule_sessions",
        json_boolean(ctx->actor && may_schedule(ctx->actor, req) &&
                     (s == REQUEST_VALIDATED || s == REQUEST_ASSIGNED || s == REQUEST_SCHEDULED)));
    json_object_set(req, "my_mission", mine ? mine : json_null());
    return 0;
}

int app_my_missions(struct app_ctx *ctx, json_t **out)
{
    if (!ctx->actor || !ctx->actor->trainer_id)
        return ERR_DENIED;
    return store_missions_of_trainer(ctx->st, ctx->actor->trainer_id, out);
}

int app_trainer_calendar(struct app_ctx *ctx, int64_t trainer_id, struct buf *out)
{
    if (!ctx->actor)
        return ERR_DENIED;
    if (ctx->actor->trainer_id != trainer_id && !app_sees_all_requests(ctx->actor))
        return ERR_NOTFOUND;
    struct trainer t = {0};
    int rc = store_trainer_load(ctx->st, trainer_id, &t);
    json_t *rows = NULL;
    if (rc == 0)
        rc = store_tsessions_of_trainer(ctx->st, trainer_id, &rows);
    if (rc)
        return rc;
    char cal[200];
    snprintf(cal, sizeof cal, "Formations — %s %s", t.first_name, t.last_name);
    rc = ics_begin(out, cal);
    size_t i;
    const json_t *s;
    json_array_foreach(rows, i, s)
    {
        if (rc)
            break;
        char uid[64], url[64];
        snprintf(uid, sizeof uid, "seance-%lld@continuum", (long long)jint(s, "id"));
        snprintf(url, sizeof url, "/demandes/%lld", (long long)jint(s, "request_id"));
        const char *rs = jstr(s, "request_state");
        bool cancelled = strcmp(rs, "cancelled") == 0;
        const char *mod = jstr(s, "modality");
        char desc[300];
        snprintf(desc, sizeof desc, "Modalité : %s\nDemande n° %lld",
                 strcmp(mod, "classe_virtuelle") == 0 ? "classe virtuelle"
                 : strcmp(mod, "presentiel") == 0     ? "présentiel"
                                                      : mod,
                 (long long)jint(s, "request_id"));
        struct ics_event e = {
            .uid = uid,
            .start = jint(s, "starts_at"),
            .end = jint(s, "ends_at"),
            .summary = jstr(s, "title"),
            .location = jstr(s, "place"),
            .description = desc,
            .url = NULL,
            .status = cancelled                                           ? "CANCELLED"
                      : strcmp(jstr(s, "mission_state"), "accepted") == 0 ? "CONFIRMED"
                                                                          : "TENTATIVE",
            .stamp = jint(s, "updated_at"),
            .sequence = 0,
        };
        (void)url;
        rc = ics_event(out, &e);
    }
    if (rc == 0)
        rc = ics_end(out);
    json_decref(rows);
    return rc;
}

int app_notify_deadlines(struct app_ctx *ctx)
{
    json_t *due = NULL;
    int rc = store_requests_due(ctx->st, ctx->now + REQUEST_DUE_SOON_SECS, &due);
    if (rc || json_array_size(due) == 0) {
        json_decref(due);
        return rc;
    }
    bool own = false;
    rc = app_tx_begin(ctx, &own);
    size_t i;
    const json_t *r;
    json_array_foreach(due, i, r)
    {
        if (rc)
            break;
        char t[200], line[300];
        mission_quoted_title(r, t, sizeof t);
        struct buf d;
        buf_init(&d, 32);
        time_format_date(jint(r, "deadline_at"), &d);
        snprintf(line, sizeof line, "%s : %s, réponse attendue le %s",
                 jint(r, "deadline_at") <= ctx->now ? "Demande en retard" : "Échéance proche", t,
                 d.data);
        buf_free(&d);
        /* every coordinator, the actor included: the deadline is the team's */
        int64_t ids[64];
        int n = 0;
        rc = store_users_of_role(ctx->st, role_code(ROLE_COORDINATOR), ids, 64, &n);
        for (int k = 0; rc == 0 && k < n; k++)
            rc = notify_user(ctx, ids[k], "deadline.near", jint(r, "id"), line);
    }
    rc = app_tx_end(ctx, own, rc);
    json_decref(due);
    return rc;
}

int app_calendar_key_new(struct app_ctx *ctx, char *key, size_t key_len)
{
    if (!ctx->actor || !ctx->actor->trainer_id)
        return ERR_DENIED;
    if (key_len < APP_TOKEN_LEN + 1)
        return ERR_TOOBIG;
    char hash[65];
    app_random_hex(key);
    app_secret_hash(key, hash);
    bool own = false;
    int rc = app_tx_begin(ctx, &own);
    if (rc == 0)
        rc = store_calendar_key_set(ctx->st, ctx->actor->id, hash, ctx->now);
    if (rc == 0)
        rc = app_audit(ctx, "calendar.key", "user", ctx->actor->id, NULL, NULL);
    return app_tx_end(ctx, own, rc);
}

int app_calendar_by_key(struct app_ctx *ctx, const char *key, struct buf *out)
{
    size_t len = key ? strlen(key) : 0;
    if (len != APP_TOKEN_LEN || strspn(key, "0123456789abcdef") != len)
        return ERR_NOTFOUND;
    char hash[65];
    app_secret_hash(key, hash);
    struct user u;
    int rc = store_calendar_key_user(ctx->st, hash, &u);
    if (rc)
        return rc;
    if (u.disabled || !u.trainer_id)
        return ERR_NOTFOUND;
    struct app_ctx as = *ctx;
    as.actor = &u;
    return app_trainer_calendar(&as, u.trainer_id, out);
}

int app_inbox(struct app_ctx *ctx, json_t **out)
{
    if (!ctx->actor)
        return ERR_DENIED;
    /* the coordination team learns of deadlines when it opens its inbox */
    if (coordinates(ctx->actor)) {
        int rc = app_notify_deadlines(ctx);
        if (rc)
            return rc;
    }
    json_t *items = NULL;
    int64_t unread = 0;
    int rc = store_notifications(ctx->st, ctx->actor->id, 100, &items, &unread);
    if (rc)
        return rc;
    *out = json_pack("{so sI}", "items", items, "unread", (json_int_t)unread);
    return 0;
}

int app_inbox_unread(struct app_ctx *ctx, int64_t *n)
{
    *n = 0;
    return ctx->actor ? store_notifications_unread(ctx->st, ctx->actor->id, n) : ERR_DENIED;
}

int app_inbox_read(struct app_ctx *ctx, int64_t id)
{
    if (!ctx->actor)
        return ERR_DENIED;
    return store_notification_read(ctx->st, ctx->actor->id, id, ctx->now);
}
