/*
 * The map of trainers' competences (seed 004, Annexe 4 d): search, profiles, self-service
 * editing by trainers, and the validation of declared competences by inspectors and collectif
 * pilots ("Les intervenants potentiels et leurs compétences devront être validés par les corps
 * d'inspection et les responsables de formation de l'INSPÉ, au sein des collectifs").
 */
#include "app/app.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"
#include "core/utf8.h"

#define QUERY_MAX 200

/* Parses a positive decimal integer in [min, max]; false on anything else. */
static bool parse_int(const char *s, long min, long max, long *out)
{
    if (!s || !*s || strlen(s) > 12)
        return false;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    errno = 0;
    long v = strtol(s, NULL, 10);
    if (errno || v < min || v > max)
        return false;
    *out = v;
    return true;
}

/* An optional code filter: empty means none; otherwise it must satisfy ok(). */
static const char *code_filter(const char *v, const char *field, const char *label,
                               bool (*ok)(struct app_ctx *, const char *), struct app_ctx *ctx,
                               struct field_errors *errs)
{
    if (!v || !*v)
        return NULL;
    if (strlen(v) > TRAINER_CODE_MAX || !utf8_valid(v, strlen(v)) || !ok(ctx, v)) {
        field_errors_add(errs, field, "%s inconnu(e) : « %.40s ».", label,
                         utf8_valid(v, strlen(v)) ? v : "?");
        return NULL;
    }
    return v;
}

static bool degree_ok(struct app_ctx *ctx, const char *v)
{
    (void)ctx;
    return trainer_degree_valid(v);
}

static bool site_ok(struct app_ctx *ctx, const char *v)
{
    (void)ctx;
    return trainer_site_valid(v);
}

static bool discipline_ok(struct app_ctx *ctx, const char *v)
{
    return store_discipline_exists(ctx->st, v);
}

static bool institution_ok(struct app_ctx *ctx, const char *v)
{
    return store_institution_exists(ctx->st, v);
}

int app_trainer_search(struct app_ctx *ctx, const struct trainer_search_input *in, json_t **out,
                       struct field_errors *errs)
{
    if (!ctx->actor || !role_can(ctx->actor->role, CAP_TRAINER_SEARCH))
        return ERR_DENIED;
    struct trainer_query q = {0};
    int rc = ERR_INVAL;

    if (in->q && *in->q) {
        size_t n = strlen(in->q);
        struct text_query tq;
        if (!utf8_valid(in->q, n))
            field_errors_add(errs, "q", "Recherche : le texte n’est pas en UTF-8 valide.");
        else if (utf8_length(in->q, n) > QUERY_MAX)
            field_errors_add(errs, "q", "Recherche : %d caractères au plus.", QUERY_MAX);
        else if ((rc = text_query_parse(in->q, n, &tq)) == ERR_TOOBIG)
            field_errors_add(errs, "q", "Recherche : %d mots au plus.", TEXT_MAX_QUERY_TERM);
        else if (rc)
            field_errors_add(errs, "q", "Recherche : texte illisible.");
        else
            q.q = in->q;
    }
    q.degree = code_filter(in->degree, "degree", "Degré", degree_ok, ctx, errs);
    q.site = code_filter(in->site, "site", "Site", site_ok, ctx, errs);
    q.discipline =
        code_filter(in->discipline, "discipline", "Discipline", discipline_ok, ctx, errs);
    q.institution =
        code_filter(in->institution, "institution", "Institution", institution_ok, ctx, errs);
    if (in->weekday && *in->weekday) {
        int bits = weekdays_parse(in->weekday, strlen(in->weekday));
        if (bits <= 0)
            field_errors_add(errs, "weekday",
                             "Jour : lundi, mardi, mercredi, jeudi, vendredi ou samedi attendu.");
        else
            q.weekdays = (unsigned)bits;
    }
    if (in->validated && *in->validated) {
        if (strcmp(in->validated, "1") == 0 || strcmp(in->validated, "true") == 0 ||
            strcmp(in->validated, "on") == 0)
            q.validated_only = true;
        else if (strcmp(in->validated, "0") != 0 && strcmp(in->validated, "false") != 0)
            field_errors_add(errs, "validated", "Compétences validées : 1 ou 0 attendu.");
    }
    long page = 1, per_page = APP_PER_PAGE_DEFAULT;
    if (in->page && *in->page && !parse_int(in->page, 1, 100000, &page))
        field_errors_add(errs, "page", "Page : un entier de 1 à 100000 attendu.");
    if (in->per_page && *in->per_page && !parse_int(in->per_page, 1, APP_PER_PAGE_MAX, &per_page))
        field_errors_add(errs, "per_page", "Résultats par page : un entier de 1 à %d attendu.",
                         APP_PER_PAGE_MAX);
    if (errs->count)
        return ERR_INVAL;
    q.limit = (int)per_page;
    q.offset = (int)((page - 1) * per_page);
    json_t *items = NULL;
    int64_t total = 0;
    if ((rc = store_trainer_search(ctx->st, &q, &items, &total)) != 0)
        return rc;
    int64_t pages = (total + per_page - 1) / per_page;
    *out = json_pack("{so sI si si sI}", "items", items, "total", (json_int_t)total, "page",
                     (int)page, "per_page", (int)per_page, "pages", (json_int_t)pages);
    return *out ? 0 : ERR_NOMEM;
}

/* May the actor edit this trainer's profile? */
static bool can_edit(const struct user *a, int64_t trainer_id)
{
    if (!a)
        return true;
    if (role_can(a->role, CAP_TRAINER_EDIT_ANY))
        return true;
    return a->role == ROLE_TRAINER && a->trainer_id == trainer_id;
}

int app_trainer_get(struct app_ctx *ctx, int64_t id, json_t **out)
{
    if (!ctx->actor || !role_can(ctx->actor->role, CAP_TRAINER_SEARCH))
        return ERR_DENIED;
    int rc = store_trainer_get(ctx->st, id, out);
    if (rc)
        return rc;
    json_object_set_new(*out, "can_edit", json_boolean(can_edit(ctx->actor, id)));
    json_object_set_new(*out, "can_decide",
                        json_boolean(role_can(ctx->actor->role, CAP_COMPETENCE_DECIDE)));
    json_object_set_new(*out, "is_self", json_boolean(ctx->actor->trainer_id == id));
    return 0;
}

int app_search_generation(struct app_ctx *ctx, int64_t *gen)
{
    return store_search_generation(ctx->st, gen);
}

int app_trainer_count(struct app_ctx *ctx, int64_t *n)
{
    if (!ctx->actor || !role_can(ctx->actor->role, CAP_TRAINER_SEARCH))
        return ERR_DENIED;
    return store_trainer_count(ctx->st, n);
}

int app_trainer_load(struct app_ctx *ctx, int64_t id, struct trainer *t)
{
    if (!can_edit(ctx->actor, id))
        return ERR_DENIED;
    return store_trainer_load(ctx->st, id, t);
}

/* The audited view of a trainer's editable fields. */
static json_t *trainer_snapshot(const struct trainer *t)
{
    return json_pack("{ss ss ss ss ss ss ss ss si si ss}", "last_name", t->last_name, "first_name",
                     t->first_name, "email", t->email, "institution", t->institution, "corps",
                     t->corps, "degree", t->degree, "discipline", t->discipline, "site", t->site,
                     "weekdays", (int)t->weekdays, "hours_quota", t->hours_quota, "bio", t->bio);
}

/* Validation including the référentiels of the store. */
static int validate_full(struct app_ctx *ctx, const struct trainer *t, struct field_errors *errs)
{
    trainer_validate(t, errs);
    if (t->institution[0] && !store_institution_exists(ctx->st, t->institution))
        field_errors_add(errs, "institution", "Institution inconnue : « %.40s ».", t->institution);
    if (t->discipline[0] && !store_discipline_exists(ctx->st, t->discipline))
        field_errors_add(errs, "discipline", "Discipline inconnue : « %.40s ».", t->discipline);
    return errs->count ? ERR_INVAL : 0;
}

int app_trainer_update(struct app_ctx *ctx, const struct trainer *t, struct field_errors *errs)
{
    if (!can_edit(ctx->actor, t->id))
        return ERR_DENIED;
    struct trainer before;
    int rc = store_trainer_load(ctx->st, t->id, &before);
    if (rc)
        return rc;
    struct trainer next = *t;
    if (ctx->actor && !role_can(ctx->actor->role, CAP_TRAINER_EDIT_ANY)) {
        /* Institution and corps are the employer's data, not the trainer's to change. */
        memcpy(next.institution, before.institution, sizeof next.institution);
        memcpy(next.corps, before.corps, sizeof next.corps);
    }
    if ((rc = validate_full(ctx, &next, errs)) != 0)
        return rc;
    if ((rc = store_begin(ctx->st)) != 0)
        return rc;
    rc = store_trainer_put(ctx->st, &next, ctx->now, NULL);
    if (rc == 0)
        rc = app_audit(ctx, "trainer.update", "trainer", t->id, trainer_snapshot(&before),
                       trainer_snapshot(&next));
    if (rc == 0)
        rc = store_commit(ctx->st);
    else
        store_rollback(ctx->st);
    return rc;
}

int app_trainer_create(struct app_ctx *ctx, const struct trainer *t, struct field_errors *errs,
                       int64_t *id)
{
    if (ctx->actor && !role_can(ctx->actor->role, CAP_TRAINER_EDIT_ANY))
        return ERR_DENIED;
    struct trainer next = *t;
    next.id = 0;
    int rc = validate_full(ctx, &next, errs);
    if (rc)
        return rc;
    if ((rc = store_begin(ctx->st)) != 0)
        return rc;
    int64_t nid = 0;
    rc = store_trainer_put(ctx->st, &next, ctx->now, &nid);
    if (rc == 0)
        rc = app_audit(ctx, "trainer.create", "trainer", nid, NULL, trainer_snapshot(&next));
    if (rc == 0)
        rc = store_commit(ctx->st);
    else
        store_rollback(ctx->st);
    if (rc == 0 && id)
        *id = nid;
    return rc;
}

int app_competence_declare(struct app_ctx *ctx, int64_t trainer_id, const char *competence_code,
                           int level, struct field_errors *errs)
{
    if (!can_edit(ctx->actor, trainer_id))
        return ERR_DENIED;
    int64_t cid = 0;
    struct trainer t;
    int rc = store_trainer_load(ctx->st, trainer_id, &t);
    if (rc)
        return rc;
    if (!competence_code || !*competence_code ||
        store_competence_id(ctx->st, competence_code, &cid) != 0)
        field_errors_add(errs, "competence",
                         "Compétence : choisissez une compétence du référentiel.");
    if (!competence_level_label(level))
        field_errors_add(errs, "level", "Niveau : de 1 (notions) à 4 (expert).");
    if (errs->count)
        return ERR_INVAL;
    enum competence_state prev;
    int prev_level = 0;
    bool had = store_trainer_competence_state(ctx->st, trainer_id, cid, &prev, &prev_level) == 0;
    if ((rc = store_begin(ctx->st)) != 0)
        return rc;
    rc = store_trainer_competence_declare(ctx->st, trainer_id, cid, level, ctx->now);
    if (rc == 0)
        rc = store_trainer_reindex(ctx->st, trainer_id);
    if (rc == 0) {
        json_t *before = had ? json_pack("{ss si ss}", "competence", competence_code, "level",
                                         prev_level, "state", competence_state_code(prev))
                             : NULL;
        json_t *after = json_pack("{ss si ss}", "competence", competence_code, "level", level,
                                  "state", "declared");
        rc = app_audit(ctx, "competence.declare", "trainer", trainer_id, before, after);
    }
    if (rc == 0)
        rc = store_commit(ctx->st);
    else
        store_rollback(ctx->st);
    return rc;
}

/* Runs change() and the reindex of the trainer, and the audit entry, in one transaction. */
static int trainer_change(struct app_ctx *ctx, int64_t trainer_id, const char *action,
                          int (*change)(struct app_ctx *, int64_t, const void *), const void *arg,
                          json_t *before, json_t *after)
{
    int rc = store_begin(ctx->st);
    if (rc) {
        json_decref(before);
        json_decref(after);
        return rc;
    }
    rc = change(ctx, trainer_id, arg);
    if (rc == 0)
        rc = store_trainer_reindex(ctx->st, trainer_id);
    if (rc == 0)
        rc = app_audit(ctx, action, "trainer", trainer_id, before, after);
    else {
        json_decref(before);
        json_decref(after);
    }
    if (rc == 0)
        rc = store_commit(ctx->st);
    else
        store_rollback(ctx->st);
    return rc;
}

static int withdraw(struct app_ctx *ctx, int64_t trainer_id, const void *arg)
{
    return store_trainer_competence_remove(ctx->st, trainer_id, *(const int64_t *)arg);
}

int app_competence_withdraw(struct app_ctx *ctx, int64_t trainer_id, int64_t competence_id)
{
    if (!can_edit(ctx->actor, trainer_id))
        return ERR_DENIED;
    enum competence_state state;
    int level = 0;
    int rc = store_trainer_competence_state(ctx->st, trainer_id, competence_id, &state, &level);
    if (rc)
        return rc;
    json_t *before = json_pack("{sI si ss}", "competence_id", (json_int_t)competence_id, "level",
                               level, "state", competence_state_code(state));
    return trainer_change(ctx, trainer_id, "competence.withdraw", withdraw, &competence_id, before,
                          NULL);
}

struct experience_input {
    const char *kind, *title;
    int year, hours;
};

static int experience_add(struct app_ctx *ctx, int64_t trainer_id, const void *arg)
{
    const struct experience_input *e = arg;
    return store_trainer_experience_add(ctx->st, trainer_id, e->kind, e->title, e->year, e->hours);
}

int app_experience_add(struct app_ctx *ctx, int64_t trainer_id, const char *kind, const char *title,
                       const char *year, const char *hours, struct field_errors *errs)
{
    if (!can_edit(ctx->actor, trainer_id))
        return ERR_DENIED;
    struct trainer t;
    int rc = store_trainer_load(ctx->st, trainer_id, &t);
    if (rc)
        return rc;
    struct experience_input e = {.kind = kind, .title = title};
    if (!kind ||
        (strcmp(kind, "FI") != 0 && strcmp(kind, "FC") != 0 && strcmp(kind, "projet") != 0))
        field_errors_add(errs, "exp_kind",
                         "Type d’expérience : formation initiale, formation continue ou "
                         "accompagnement de projet.");
    size_t tl = title ? strlen(title) : 0;
    if (!title || !utf8_valid(title, tl) || utf8_length(title, tl) < 3 ||
        utf8_length(title, tl) > 200)
        field_errors_add(errs, "exp_title", "Intitulé : de 3 à 200 caractères.");
    long y = 0, h = 0;
    int64_t this_year = 1970 + ctx->now / 31556952;
    if (!parse_int(year, 1980, (long)this_year + 1, &y))
        field_errors_add(errs, "exp_year", "Année : de 1980 à %lld.", (long long)this_year + 1);
    if (hours && *hours && !parse_int(hours, 0, 2000, &h))
        field_errors_add(errs, "exp_hours", "Heures : un nombre entier de 0 à 2000.");
    if (errs->count)
        return ERR_INVAL;
    e.year = (int)y;
    e.hours = (int)h;
    return trainer_change(
        ctx, trainer_id, "experience.add", experience_add, &e, NULL,
        json_pack("{ss ss si si}", "kind", kind, "title", title, "year", e.year, "hours", e.hours));
}

static int experience_remove(struct app_ctx *ctx, int64_t trainer_id, const void *arg)
{
    return store_trainer_experience_remove(ctx->st, trainer_id, *(const int64_t *)arg);
}

int app_experience_remove(struct app_ctx *ctx, int64_t trainer_id, int64_t experience_id)
{
    if (!can_edit(ctx->actor, trainer_id))
        return ERR_DENIED;
    return trainer_change(ctx, trainer_id, "experience.remove", experience_remove, &experience_id,
                          json_pack("{sI}", "experience_id", (json_int_t)experience_id), NULL);
}

int app_competence_decide(struct app_ctx *ctx, int64_t trainer_id, int64_t competence_id,
                          enum competence_state to, const char *reason, char *msg, size_t msg_len)
{
    if (!ctx->actor || !role_can(ctx->actor->role, CAP_COMPETENCE_DECIDE)) {
        snprintf(msg, msg_len,
                 "Seuls les inspecteurs et les pilotes de collectif décident des "
                 "compétences.");
        return ERR_DENIED;
    }
    enum competence_state from;
    int level = 0;
    int rc = store_trainer_competence_state(ctx->st, trainer_id, competence_id, &from, &level);
    if (rc == ERR_NOTFOUND) {
        snprintf(msg, msg_len, "Ce formateur n’a pas déclaré cette compétence.");
        return rc;
    }
    if (rc)
        return rc;
    if ((rc = competence_decide_check(from, to, reason, msg, msg_len)) != 0)
        return rc;
    const char *why = to == COMPETENCE_REFUSED ? reason : "";
    if ((rc = store_begin(ctx->st)) != 0)
        return rc;
    rc = store_trainer_competence_decide(ctx->st, trainer_id, competence_id, to, why,
                                         ctx->actor->id, ctx->now);
    if (rc == ERR_CONFLICT)
        snprintf(msg, msg_len, "Cette compétence vient d’être décidée par quelqu’un d’autre.");
    if (rc == 0)
        rc =
            app_audit(ctx, to == COMPETENCE_VALIDATED ? "competence.validate" : "competence.refuse",
                      "trainer", trainer_id,
                      json_pack("{sI ss}", "competence_id", (json_int_t)competence_id, "state",
                                competence_state_code(from)),
                      json_pack("{sI ss ss}", "competence_id", (json_int_t)competence_id, "state",
                                competence_state_code(to), "reason", why));
    if (rc == 0)
        rc = store_commit(ctx->st);
    else
        store_rollback(ctx->st);
    return rc;
}

int app_validation_queue(struct app_ctx *ctx, const char *discipline, const char *site, int page,
                         int per_page, json_t **out, struct field_errors *errs)
{
    if (!ctx->actor || !role_can(ctx->actor->role, CAP_COMPETENCE_DECIDE))
        return ERR_DENIED;
    if (page < 1)
        page = 1;
    const char *d = code_filter(discipline, "discipline", "Discipline", discipline_ok, ctx, errs);
    const char *si = code_filter(site, "site", "Site", site_ok, ctx, errs);
    if (errs->count)
        return ERR_INVAL;
    json_t *items = NULL;
    int64_t total = 0;
    int rc =
        store_validation_queue(ctx->st, d, si, per_page, (page - 1) * per_page, &items, &total);
    if (rc)
        return rc;
    int64_t pages = (total + per_page - 1) / per_page;
    *out = json_pack("{so sI si si sI}", "items", items, "total", (json_int_t)total, "page", page,
                     "per_page", per_page, "pages", (json_int_t)pages);
    return *out ? 0 : ERR_NOMEM;
}

/* Does the space-separated term list a share a term with b? */
static bool share_term(const char *a, const char *b)
{
    for (const char *p = a; *p;) {
        const char *e = strchr(p, ' ');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        for (const char *q = b; *q;) {
            const char *f = strchr(q, ' ');
            size_t m = f ? (size_t)(f - q) : strlen(q);
            if (m == n && memcmp(p, q, n) == 0)
                return true;
            q += m + (f ? 1 : 0);
        }
        p += n + (e ? 1 : 0);
    }
    return false;
}

int app_research_partners(struct app_ctx *ctx, const char *q, json_t **out)
{
    if (!ctx->actor || !role_can(ctx->actor->role, CAP_TRAINER_SEARCH))
        return ERR_DENIED;
    json_t *all = NULL;
    int rc = store_research_partners(ctx->st, &all);
    if (rc || !q || !*q) {
        *out = all;
        return rc;
    }
    struct buf want, have;
    buf_init(&want, 8192);
    buf_init(&have, 8192);
    json_t *kept = json_array();
    if (text_terms(q, strlen(q), &want) == 0 && want.len) {
        size_t i;
        json_t *it;
        json_array_foreach(all, i, it)
        {
            buf_reset(&have);
            const char *name = json_string_value(json_object_get(it, "name"));
            const char *fields = json_string_value(json_object_get(it, "fields"));
            text_terms(name, strlen(name), &have);
            text_terms(fields, strlen(fields), &have);
            if (share_term(want.data, have.data))
                json_array_append(kept, it);
        }
    }
    buf_free(&want);
    buf_free(&have);
    json_decref(all);
    *out = kept;
    return 0;
}

/* A JSON array of {code, label} from parallel code list and label function. */
static json_t *code_list(const char *const *codes, const char *(*label)(const char *))
{
    json_t *arr = json_array();
    for (int i = 0; codes[i]; i++)
        json_array_append_new(arr, json_pack("{ss ss}", "code", codes[i], "name", label(codes[i])));
    return arr;
}

int app_referentials(struct app_ctx *ctx, json_t **out)
{
    json_t *inst = NULL, *disc = NULL, *comp = NULL, *partners = NULL;
    int rc = store_institutions(ctx->st, &inst);
    if (rc == 0)
        rc = store_disciplines(ctx->st, &disc);
    if (rc == 0)
        rc = store_competences(ctx->st, &comp);
    if (rc == 0)
        rc = store_research_partners(ctx->st, &partners);
    if (rc) {
        json_decref(inst);
        json_decref(disc);
        json_decref(comp);
        json_decref(partners);
        return rc;
    }
    json_t *days = json_array();
    for (int d = 0; d < 6; d++)
        json_array_append_new(days, json_pack("{ss si}", "name", weekday_names[d], "bit", 1 << d));
    *out = json_pack("{so so so so so so so so}", "institutions", inst, "disciplines", disc,
                     "competences", comp, "partners", partners, "sites",
                     code_list(trainer_site_codes, trainer_site_label), "degrees",
                     code_list(trainer_degree_codes, trainer_degree_label), "corps",
                     code_list(trainer_corps_codes, trainer_corps_label), "weekdays", days);
    return *out ? 0 : ERR_NOMEM;
}
