/*
 * The bureau des stages' use cases (app/placement.h): validate → authorize → store → audit, and
 * the bridge between the store's rows and the placement engine. The engine sees students and
 * places by their codes; a run stores the exact instance text it solved, so that replaying it
 * (same text, same method, same seed) gives the same result on any machine.
 */
#include "app/placement.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/err.h"
#include "core/xlsx.h"
#include "engine/placement.h"
#include "engine/placement_json.h"

static bool can_manage(const struct app_ctx *ctx)
{
    return ctx->actor == NULL || role_can(ctx->actor->role, CAP_PLACEMENT_MANAGE);
}

static bool can_read(const struct app_ctx *ctx)
{
    return can_manage(ctx) || role_can(ctx->actor->role, CAP_PLACEMENT_READ);
}

static json_t *paged(json_t *items, int64_t total, int page, int per_page)
{
    int64_t pages = total == 0 ? 1 : (total + per_page - 1) / per_page;
    return json_pack("{so sI si si sI}", "items", items, "total", (json_int_t)total, "page", page,
                     "per_page", per_page, "pages", (json_int_t)pages);
}

/* Adds "site_label" ("Rhône") beside each "site" code, for the pages. */
static void label_site(json_t *o)
{
    const char *code = json_string_value(json_object_get(o, "site"));
    const char *label = code ? trainer_site_label(code) : NULL;
    json_object_set_new(o, "site_label", json_string(label ? label : (code ? code : "")));
}

static void label_sites(json_t *arr)
{
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        label_site(o);
    }
}

static void clamp_page(int *page, int *per_page)
{
    if (*per_page < 1 || *per_page > 500)
        *per_page = 50;
    if (*page < 1)
        *page = 1;
}

/* ---- periods ---- */

static const char *window_state(const json_t *period, int64_t now)
{
    int64_t open = json_integer_value(json_object_get(period, "wishes_open_at"));
    int64_t close = json_integer_value(json_object_get(period, "wishes_close_at"));
    return now < open ? "before" : now < close ? "open" : "closed";
}

int app_period_create(struct app_ctx *ctx, const struct internship_period *p,
                      struct field_errors *errs, int64_t *id)
{
    if (!can_manage(ctx))
        return ERR_DENIED;
    if (internship_period_validate(p, errs) > 0)
        return ERR_INVAL;
    int rc = store_begin(ctx->st);
    if (rc)
        return rc;
    rc = store_period_add(ctx->st, p, ctx->now, id);
    if (rc == ERR_EXISTS)
        field_errors_add(errs, "code", "Code : « %.40s » est déjà pris.", p->code);
    if (rc == 0)
        rc = app_audit(ctx, "period.add", "internship_period", *id, NULL,
                       json_pack("{ss ss ss ss ss ss sI sI si}", "code", p->code, "label", p->label,
                                 "cohort", p->cohort, "kind", p->kind, "starts_on", p->starts_on,
                                 "ends_on", p->ends_on, "wishes_open_at",
                                 (json_int_t)p->wishes_open_at, "wishes_close_at",
                                 (json_int_t)p->wishes_close_at, "max_wishes", p->max_wishes));
    if (rc == 0)
        rc = store_commit(ctx->st);
    if (rc)
        store_rollback(ctx->st);
    return rc;
}

/* "2026-09-01" -> "01/09/2026" (French dates on the pages). */
static json_t *french_date(const char *iso)
{
    char s[11];
    if (!iso || strlen(iso) != 10)
        return json_string("");
    snprintf(s, sizeof s, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
    return json_string(s);
}

static void decorate_period(json_t *p, int64_t now)
{
    const char *w = window_state(p, now);
    json_object_set_new(p, "window", json_string(w));
    json_object_set_new(p, "window_before", json_boolean(strcmp(w, "before") == 0));
    json_object_set_new(p, "window_open", json_boolean(strcmp(w, "open") == 0));
    json_object_set_new(p, "window_closed", json_boolean(strcmp(w, "closed") == 0));
    json_object_set_new(p, "starts_on_fr",
                        french_date(json_string_value(json_object_get(p, "starts_on"))));
    json_object_set_new(p, "ends_on_fr",
                        french_date(json_string_value(json_object_get(p, "ends_on"))));
    const char *cohort = json_string_value(json_object_get(p, "cohort"));
    const char *kind = json_string_value(json_object_get(p, "kind"));
    const char *cl = internship_cohort_label(cohort ? cohort : "");
    const char *kl = internship_kind_label(kind ? kind : "");
    json_object_set_new(p, "cohort_label", json_string(cl ? cl : ""));
    json_object_set_new(p, "kind_label", json_string(kl ? kl : ""));
    json_object_set_new(p, "published",
                        json_boolean(!json_is_null(json_object_get(p, "published_run_id"))));
}

int app_period_list(struct app_ctx *ctx, json_t **out)
{
    if (!can_read(ctx))
        return ERR_DENIED;
    int rc = store_period_list(ctx->st, out);
    if (rc)
        return rc;
    size_t i;
    json_t *p;
    json_array_foreach(*out, i, p)
    {
        decorate_period(p, ctx->now);
    }
    return 0;
}

int app_period_get(struct app_ctx *ctx, int64_t id, json_t **out)
{
    if (!can_read(ctx))
        return ERR_DENIED;
    json_t *p = NULL, *runs = NULL;
    int rc = store_period_get(ctx->st, id, &p);
    if (rc == 0)
        rc = store_run_list(ctx->st, id, &runs);
    if (rc) {
        json_decref(p);
        return rc;
    }
    decorate_period(p, ctx->now);
    json_object_set_new(p, "runs", runs);
    json_object_set_new(p, "can_manage", json_boolean(can_manage(ctx)));
    *out = p;
    return 0;
}

int app_period_set_window(struct app_ctx *ctx, int64_t id, int64_t open_at, int64_t close_at,
                          struct field_errors *errs)
{
    if (!can_manage(ctx))
        return ERR_DENIED;
    if (close_at <= open_at) {
        field_errors_add(errs, "wishes_close_at",
                         "Clôture des vœux : postérieure à leur ouverture attendue.");
        return ERR_INVAL;
    }
    json_t *p = NULL;
    int rc = store_period_get(ctx->st, id, &p);
    if (rc)
        return rc;
    rc = store_begin(ctx->st);
    if (rc == 0)
        rc = store_period_set_window(ctx->st, id, open_at, close_at);
    if (rc == 0)
        rc = app_audit(ctx, "period.window", "internship_period", id,
                       json_pack("{sO sO}", "wishes_open_at", json_object_get(p, "wishes_open_at"),
                                 "wishes_close_at", json_object_get(p, "wishes_close_at")),
                       json_pack("{sI sI}", "wishes_open_at", (json_int_t)open_at,
                                 "wishes_close_at", (json_int_t)close_at));
    if (rc == 0)
        rc = store_commit(ctx->st);
    if (rc)
        store_rollback(ctx->st);
    json_decref(p);
    return rc;
}

/* ---- places and students ---- */

static int check_period(struct app_ctx *ctx, int64_t period_id, struct field_errors *errs)
{
    int rc = store_period_exists(ctx->st, period_id);
    if (rc == ERR_NOTFOUND) {
        field_errors_add(errs, "period", "Période inconnue.");
        return ERR_INVAL;
    }
    return rc;
}

int app_place_add(struct app_ctx *ctx, const struct internship_place *p, struct field_errors *errs,
                  int64_t *id)
{
    if (!can_manage(ctx))
        return ERR_DENIED;
    int rc = check_period(ctx, p->period_id, errs);
    if (rc)
        return rc;
    internship_place_validate(p, errs);
    if (*p->discipline && !store_discipline_exists(ctx->st, p->discipline))
        field_errors_add(errs, "discipline", "Discipline inconnue : « %.40s ».", p->discipline);
    if (errs->count > 0)
        return ERR_INVAL;
    const char *which = "";
    bool own;
    if ((rc = app_tx_begin(ctx, &own)) != 0)
        return rc;
    rc = store_place_add(ctx->st, p, id, &which);
    if (rc == ERR_NOTFOUND && strcmp(which, "establishment") == 0)
        field_errors_add(errs, "establishment", "Établissement inconnu : UAI « %.8s ».",
                         p->establishment_uai);
    else if (rc == ERR_NOTFOUND)
        field_errors_add(errs, "tutor_login", "Compte du tuteur inconnu : « %.64s ».",
                         p->tutor_login);
    else if (rc == ERR_EXISTS)
        field_errors_add(errs, "code", "Code : « %.40s » est déjà pris dans cette période.",
                         p->code);
    if (rc == ERR_NOTFOUND)
        rc = ERR_INVAL;
    if (rc == 0)
        rc = app_audit(ctx, "place.add", "internship_place", *id, NULL,
                       json_pack("{sI ss ss ss ss ss ss si ss ss ss}", "period_id",
                                 (json_int_t)p->period_id, "code", p->code, "uai",
                                 p->establishment_uai, "class_level", p->class_level, "tutor_name",
                                 p->tutor_name, "tutor_email", p->tutor_email, "tutor_login",
                                 p->tutor_login, "capacity", p->capacity, "degree", p->degree,
                                 "discipline", p->discipline, "site", p->site));
    return app_tx_end(ctx, own, rc);
}

int app_istudent_add(struct app_ctx *ctx, const struct internship_student *s,
                     struct field_errors *errs, int64_t *id)
{
    if (!can_manage(ctx))
        return ERR_DENIED;
    int rc = check_period(ctx, s->period_id, errs);
    if (rc)
        return rc;
    internship_student_validate(s, errs);
    if (*s->discipline && !store_discipline_exists(ctx->st, s->discipline))
        field_errors_add(errs, "discipline", "Discipline inconnue : « %.40s ».", s->discipline);
    if (errs->count > 0)
        return ERR_INVAL;
    const char *which = "";
    bool own;
    if ((rc = app_tx_begin(ctx, &own)) != 0)
        return rc;
    rc = store_istudent_add(ctx->st, s, id, &which);
    if (rc == ERR_NOTFOUND)
        field_errors_add(errs, "login", "Compte inconnu : « %.64s ».", s->login);
    else if (rc == ERR_EXISTS)
        field_errors_add(errs, "code", "Code « %.40s » ou compte déjà inscrit dans cette période.",
                         s->code);
    if (rc == ERR_NOTFOUND)
        rc = ERR_INVAL;
    if (rc == 0)
        rc = app_audit(ctx, "istudent.add", "internship_student", *id, NULL,
                       json_pack("{sI ss ss ss ss ss ss ss ss si}", "period_id",
                                 (json_int_t)s->period_id, "code", s->code, "login", s->login,
                                 "last_name", s->last_name, "first_name", s->first_name, "email",
                                 s->email, "degree", s->degree, "discipline", s->discipline, "site",
                                 s->site, "priority", s->priority));
    return app_tx_end(ctx, own, rc);
}

int app_istudent_find(struct app_ctx *ctx, int64_t period_id, const char *code, int64_t *id)
{
    if (!can_read(ctx))
        return ERR_DENIED;
    if (!code || !*code || strlen(code) > 40)
        return ERR_NOTFOUND;
    return store_istudent_by_code(ctx->st, period_id, code, id);
}

int app_place_list(struct app_ctx *ctx, int64_t period_id, int page, int per_page, json_t **out)
{
    if (!can_read(ctx))
        return ERR_DENIED;
    clamp_page(&page, &per_page);
    json_t *items = NULL;
    int64_t total = 0;
    int rc = store_place_list(ctx->st, period_id, NULL, NULL, NULL, per_page, (page - 1) * per_page,
                              &items, &total);
    if (rc)
        return rc;
    label_sites(items);
    *out = paged(items, total, page, per_page);
    return *out ? 0 : ERR_NOMEM;
}

int app_istudent_list(struct app_ctx *ctx, int64_t period_id, int page, int per_page, json_t **out)
{
    if (!can_read(ctx))
        return ERR_DENIED;
    clamp_page(&page, &per_page);
    json_t *items = NULL;
    int64_t total = 0;
    int rc =
        store_istudent_list(ctx->st, period_id, per_page, (page - 1) * per_page, &items, &total);
    if (rc)
        return rc;
    label_sites(items);
    *out = paged(items, total, page, per_page);
    return *out ? 0 : ERR_NOMEM;
}

/* ---- wishes ---- */

static int64_t jint(const json_t *o, const char *key)
{
    return (int64_t)json_integer_value(json_object_get(o, key));
}

static const char *jstr(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

int app_wishes_get(struct app_ctx *ctx, int64_t period_id, json_t **out)
{
    if (!ctx->actor)
        return ERR_DENIED;
    int64_t student_id = 0;
    int rc;
    if (period_id == 0) {
        json_t *periods = NULL;
        rc = store_istudent_periods(ctx->st, ctx->actor->id, &periods);
        if (rc)
            return rc;
        if (json_array_size(periods) == 0) {
            json_decref(periods);
            return ERR_NOTFOUND;
        }
        period_id = jint(json_array_get(periods, 0), "period_id");
        student_id = jint(json_array_get(periods, 0), "student_id");
        json_decref(periods);
    } else if ((rc = store_istudent_of_user(ctx->st, period_id, ctx->actor->id, &student_id))) {
        return rc;
    }
    json_t *period = NULL, *student = NULL, *places = NULL;
    rc = store_period_get(ctx->st, period_id, &period);
    if (rc == 0)
        rc = store_istudent_get(ctx->st, student_id, &student);
    if (rc == 0)
        rc = store_places_compatible(ctx->st, period_id, jstr(student, "degree"),
                                     jstr(student, "discipline"), &places);
    if (rc) {
        json_decref(period);
        json_decref(student);
        return rc;
    }
    decorate_period(period, ctx->now);
    bool open = strcmp(jstr(period, "window"), "open") == 0 &&
                !json_is_true(json_object_get(period, "published"));
    *out = json_pack("{so so so sb}", "period", period, "student", student, "places", places,
                     "can_edit", open);
    return *out ? 0 : ERR_NOMEM;
}

static json_t *wish_codes(const json_t *student)
{
    json_t *codes = json_array(), *w;
    size_t i;
    json_array_foreach(json_object_get(student, "wishes_list"), i, w)
    {
        json_array_append_new(codes, json_string(jstr(w, "code")));
    }
    return codes;
}

int app_wishes_set(struct app_ctx *ctx, int64_t student_id, const int64_t *place_ids, int n,
                   struct field_errors *errs, char *msg, size_t msg_len)
{
    if (!ctx->actor)
        return ERR_DENIED;
    json_t *student = NULL, *period = NULL;
    int64_t chosen[INTERNSHIP_MAX_WISHES];
    int count = 0;
    int rc = store_istudent_get(ctx->st, student_id, &student);
    if (rc == ERR_NOTFOUND && !can_manage(ctx))
        return ERR_DENIED; /* the same answer as for another student's record */
    if (rc)
        return rc;
    rc = store_period_get(ctx->st, jint(student, "period_id"), &period);
    if (rc)
        goto done;
    decorate_period(period, ctx->now);
    bool own = json_is_integer(json_object_get(student, "user_id")) &&
               jint(student, "user_id") == ctx->actor->id;
    rc = ERR_DENIED;
    if (!own && !can_manage(ctx))
        goto done;
    rc = ERR_CONFLICT;
    if (json_is_true(json_object_get(period, "published"))) {
        snprintf(msg, msg_len,
                 "Les affectations de cette période sont publiées : les vœux ne "
                 "peuvent plus changer.");
        goto done;
    }
    if (!can_manage(ctx) && strcmp(jstr(period, "window"), "open") != 0) {
        snprintf(msg, msg_len, "%s",
                 strcmp(jstr(period, "window"), "before") == 0
                     ? "La saisie des vœux n'est pas encore ouverte."
                     : "La saisie des vœux est close.");
        goto done;
    }
    rc = ERR_INVAL;
    int max = (int)jint(period, "max_wishes");
    for (int i = 0; i < n; i++) {
        if (place_ids[i] == 0)
            continue;
        if (count == max || count == INTERNSHIP_MAX_WISHES) {
            field_errors_add(errs, "wishes", "%d vœux au plus.", max);
            goto done;
        }
        json_t *place = NULL;
        if (store_place_get(ctx->st, place_ids[i], &place) != 0 ||
            jint(place, "period_id") != jint(period, "id")) {
            field_errors_add(errs, "wishes", "Vœu %d : lieu inconnu dans cette période.",
                             count + 1);
            json_decref(place);
            goto done;
        }
        if (!internship_compatible(jstr(student, "degree"), jstr(student, "discipline"),
                                   jstr(place, "degree"), jstr(place, "discipline")))
            field_errors_add(errs, "wishes",
                             "Vœu %d : « %.60s » n'est pas un lieu de votre degré et de votre "
                             "discipline.",
                             count + 1, jstr(place, "establishment"));
        for (int j = 0; j < count; j++)
            if (chosen[j] == place_ids[i])
                field_errors_add(errs, "wishes", "Vœu %d : « %.60s » est déjà votre vœu %d.",
                                 count + 1, jstr(place, "establishment"), j + 1);
        json_decref(place);
        chosen[count++] = place_ids[i];
    }
    if (errs->count > 0)
        goto done;
    rc = store_begin(ctx->st);
    if (rc)
        goto done;
    json_t *before = wish_codes(student);
    rc = store_wishes_set(ctx->st, student_id, chosen, count);
    json_t *after_student = NULL;
    if (rc == 0)
        rc = store_istudent_get(ctx->st, student_id, &after_student);
    if (rc == 0) {
        rc = app_audit(ctx, "wishes.set", "internship_student", student_id,
                       json_pack("{so}", "wishes", before),
                       json_pack("{so}", "wishes", wish_codes(after_student)));
        before = NULL;
    }
    json_decref(before);
    json_decref(after_student);
    if (rc == 0)
        rc = store_commit(ctx->st);
    if (rc)
        store_rollback(ctx->st);
done:
    json_decref(student);
    json_decref(period);
    return rc;
}

/* ---- runs ---- */

/* A lottery seed: "" (none) or what pl_seed_parse() accepts. */
static bool parse_seed(const char *s, bool *lottery, uint64_t *seed)
{
    *lottery = s && *s;
    *seed = 0;
    return !*lottery || pl_seed_parse(s, seed) == 0;
}

/* The engine's view of a run: the stored instance, parsed, and the options. */
struct solved {
    struct pl_instance *in;
    struct pl_options opt;
    struct pl_result *r;
};

static void solved_free(struct solved *sv)
{
    pl_result_free(sv->r);
    pl_instance_free(sv->in);
    sv->r = NULL;
    sv->in = NULL;
}

/* Parses and solves; on error sv holds nothing (solved_free() is still safe). */
static int solve_text(const char *text, const char *method, const char *seed, struct solved *sv)
{
    memset(sv, 0, sizeof *sv);
    struct buf errs;
    buf_init(&errs, 0);
    bool lottery;
    if (!parse_seed(seed, &lottery, &sv->opt.seed))
        return ERR_INVAL;
    sv->opt.lottery = lottery;
    sv->opt.method = strcmp(method, "optimal") == 0 ? PL_OPTIMAL : PL_STABLE;
    int rc = pl_json_parse(text, strlen(text), &sv->in, &errs);
    if (rc == 0)
        rc = pl_solve(sv->in, &sv->opt, &sv->r);
    buf_free(&errs);
    if (rc)
        solved_free(sv);
    return rc;
}

static int solve_run(struct app_ctx *ctx, const json_t *run, struct solved *sv)
{
    char *text = NULL;
    int rc = store_run_instance(ctx->st, jint(run, "id"), &text);
    if (rc)
        return rc;
    rc = solve_text(text, jstr(run, "method"), jstr(run, "lottery_seed"), sv);
    free(text);
    return rc;
}

static json_t *profile_json(const struct pl_result *r)
{
    json_t *a = json_array();
    for (uint32_t k = 0; k < r->max_rank; k++)
        json_array_append_new(a, json_integer((json_int_t)r->rank_profile[k]));
    return a;
}

int app_run_start(struct app_ctx *ctx, int64_t period_id, const char *method, const char *lottery,
                  struct field_errors *errs, int64_t *run_id)
{
    if (!can_manage(ctx))
        return ERR_DENIED;
    if (!method || (strcmp(method, "stable") != 0 && strcmp(method, "optimal") != 0))
        field_errors_add(errs, "method", "Méthode : « stable » ou « optimal » attendu.");
    bool use_lottery;
    uint64_t seed;
    if (!parse_seed(lottery, &use_lottery, &seed))
        field_errors_add(errs, "lottery",
                         "Tirage au sort : un nombre entier (20 chiffres au plus) ou rien.");
    int rc = check_period(ctx, period_id, errs);
    if (rc && rc != ERR_INVAL)
        return rc;
    if (errs->count > 0)
        return ERR_INVAL;
    json_t *instance = NULL;
    rc = store_period_instance(ctx->st, period_id, &instance);
    if (rc)
        return rc;
    char *text = json_dumps(instance, JSON_COMPACT);
    json_decref(instance);
    if (!text)
        return ERR_NOMEM;
    struct solved sv;
    rc = solve_text(text, method, lottery, &sv);
    if (rc == ERR_INVAL)
        field_errors_add(errs, "period",
                         "Les données de la période sont incohérentes (vœu incompatible) : "
                         "corrigez-les avant de lancer l'affectation.");
    if (rc)
        goto done;
    json_t *profile = profile_json(sv.r);
    char *profile_text = json_dumps(profile, JSON_COMPACT);
    json_decref(profile);
    struct placement_run_row row = {
        .period_id = period_id,
        .method = sv.opt.method == PL_OPTIMAL ? "optimal" : "stable",
        .lottery_seed = use_lottery ? lottery : NULL,
        .instance_json = text,
        .placed = (int64_t)sv.r->placed,
        .rank_sum = (int64_t)sv.r->rank_sum,
        .rank_profile = profile_text ? profile_text : "[]",
        .created_by = ctx->actor ? ctx->actor->id : 0,
    };
    bool own;
    rc = app_tx_begin(ctx, &own);
    if (rc == 0)
        rc = store_run_add(ctx->st, &row, ctx->now, run_id);
    for (size_t s = 0; rc == 0 && s < sv.in->n_students; s++) {
        uint32_t p = sv.r->place[s];
        rc = store_assignment_add(ctx->st, *run_id, sv.in->students[s].id,
                                  p == PL_NONE ? NULL : sv.in->places[p].id, (int)sv.r->rank[s]);
    }
    if (rc == 0)
        rc = app_audit(ctx, "placement.run", "placement_run", *run_id, NULL,
                       json_pack("{sI ss ss? sI sI sI}", "period_id", (json_int_t)period_id,
                                 "method", row.method, "lottery_seed", use_lottery ? lottery : NULL,
                                 "students", (json_int_t)sv.in->n_students, "placed",
                                 (json_int_t)row.placed, "rank_sum", (json_int_t)row.rank_sum));
    rc = app_tx_end(ctx, own, rc);
    free(profile_text);
    solved_free(&sv);
done:
    free(text);
    return rc;
}

/* French decimal with one digit: 123 per mille -> "12,3". */
static json_t *percent_text(int64_t part, int64_t whole)
{
    int64_t pm = whole > 0 ? (part * 1000 + whole / 2) / whole : 0;
    char s[24];
    snprintf(s, sizeof s, "%lld,%lld", (long long)(pm / 10), (long long)(pm % 10));
    return json_string(s);
}

int app_run_get(struct app_ctx *ctx, int64_t run_id, json_t **out)
{
    if (!can_read(ctx))
        return ERR_DENIED;
    json_t *run = NULL, *period = NULL;
    int rc = store_run_get(ctx->st, run_id, &run);
    if (rc == 0)
        rc = store_period_get(ctx->st, jint(run, "period_id"), &period);
    if (rc) {
        json_decref(run);
        return rc;
    }
    decorate_period(period, ctx->now);
    int64_t students = jint(run, "students"), placed = jint(run, "placed");
    json_t *profile = json_array(), *n;
    size_t k;
    int64_t most = 1;
    json_array_foreach(json_object_get(run, "rank_profile"), k, n)
    {
        if (json_integer_value(n) > most)
            most = json_integer_value(n);
    }
    json_array_foreach(json_object_get(run, "rank_profile"), k, n)
    {
        int64_t c = json_integer_value(n);
        /* Bars of the chart: at most 400 units wide, 28 units apart. */
        json_array_append_new(
            profile, json_pack("{sI sI sI so sI sI sI}", "rank", (json_int_t)k + 1, "label_x",
                               (json_int_t)(c * 400 / most + 86), "count", (json_int_t)c, "percent",
                               percent_text(c, students), "width", (json_int_t)(c * 400 / most),
                               "y", (json_int_t)(k * 28), "text_y", (json_int_t)(k * 28 + 17)));
    }
    json_object_set_new(run, "profile", profile);
    json_object_set_new(run, "chart_height", json_integer((json_int_t)(k * 28)));
    json_object_set_new(run, "unassigned", json_integer(students - placed));
    json_object_set_new(run, "placed_percent", percent_text(placed, students));
    double mean = placed > 0 ? (double)jint(run, "rank_sum") / (double)placed : 0.0;
    char mean_text[16];
    snprintf(mean_text, sizeof mean_text, "%.2f", mean);
    for (char *c = mean_text; *c; c++)
        if (*c == '.')
            *c = ',';
    json_object_set_new(run, "mean_rank", json_string(mean_text));
    json_object_set_new(run, "method_label",
                        json_string(strcmp(jstr(run, "method"), "optimal") == 0
                                        ? "optimum (le plus de placés, puis les meilleurs rangs)"
                                        : "stable (acceptation différée)"));
    json_object_set_new(run, "period", period);
    json_object_set_new(run, "can_manage", json_boolean(can_manage(ctx)));
    *out = run;
    return 0;
}

int app_run_assignments(struct app_ctx *ctx, int64_t run_id, bool unassigned_only, int page,
                        int per_page, json_t **out)
{
    if (!can_read(ctx))
        return ERR_DENIED;
    clamp_page(&page, &per_page);
    struct assignment_filter f = {.unassigned_only = unassigned_only};
    json_t *items = NULL;
    int64_t total = 0;
    int rc =
        store_run_assignments(ctx->st, run_id, &f, per_page, (page - 1) * per_page, &items, &total);
    if (rc)
        return rc;
    *out = paged(items, total, page, per_page);
    return *out ? 0 : ERR_NOMEM;
}

/* Every assignment of a run (all pages). */
static int all_assignments(struct app_ctx *ctx, const json_t *run, json_t **items)
{
    int64_t total = 0;
    int64_t n = jint(run, "students");
    return store_run_assignments(ctx->st, jint(run, "id"), NULL, (int)(n > 0 ? n : 1), 0, items,
                                 &total);
}

int app_run_replay(struct app_ctx *ctx, int64_t run_id, bool *same, int64_t *differences)
{
    if (!can_read(ctx))
        return ERR_DENIED;
    json_t *run = NULL, *items = NULL;
    int rc = store_run_get(ctx->st, run_id, &run);
    if (rc)
        return rc;
    struct solved sv = {0};
    rc = solve_run(ctx, run, &sv);
    if (rc == 0)
        rc = all_assignments(ctx, run, &items);
    *differences = 0;
    if (rc == 0) {
        size_t i;
        json_t *a;
        json_array_foreach(items, i, a)
        {
            const char *code = jstr(a, "student_code");
            uint32_t s = pl_student_find(sv.in, code, strlen(code));
            const char *engine = jstr(a, "engine_place_code");
            uint32_t p = s == PL_NONE ? PL_NONE : sv.r->place[s];
            const char *now_code = p == PL_NONE ? "" : sv.in->places[p].id;
            if (s == PL_NONE || strcmp(now_code, engine) != 0)
                ++*differences;
        }
        if ((int64_t)json_array_size(items) != (int64_t)sv.in->n_students)
            ++*differences;
        *same = *differences == 0;
    }
    json_decref(items);
    solved_free(&sv);
    json_decref(run);
    return rc;
}

/* ---- explanations ---- */

/* One French sentence on why a student did not get a better wish. */
static void why_text(const struct pl_instance *in, const struct pl_options *opt,
                     const struct pl_why *w, bool for_student, struct buf *b)
{
    switch (w->kind) {
    case PL_WHY_NO_CAPACITY:
        buf_puts(b, "ce lieu n'offrait aucune place.");
        break;
    case PL_WHY_FREE_SEAT:
        buf_puts(b, "ce lieu a encore une place : l'affectation a été modifiée à la main par le "
                    "bureau des stages.");
        break;
    case PL_WHY_FULL:
        buf_printf(b,
                   "ce lieu était complet : ses %d place%s sont allées à des étudiants classés "
                   "avant %s (priorité du dernier admis : %d).",
                   w->capacity, w->capacity > 1 ? "s" : "", for_student ? "vous" : "lui",
                   w->cutoff_priority);
        if (w->tie)
            buf_printf(b, " À priorité égale, le départage %s a été défavorable.",
                       opt->lottery ? "par tirage au sort" : "par ordre des numéros d'étudiant");
        break;
    case PL_WHY_TRADE:
        if (w->delta_placed < 0) {
            buf_printf(b,
                       "ce lieu était complet ; %s y placer aurait laissé un autre étudiant "
                       "sans stage",
                       for_student ? "vous" : "l'y");
            if (!for_student && w->displaced != PL_NONE)
                buf_printf(b, " (%s)", in->students[w->displaced].id);
            buf_puts(b, " : l'affectation optimale place d'abord le plus d'étudiants possible.");
        } else {
            buf_printf(b, "ce lieu était complet ; %s y placer aurait obligé à déplacer ",
                       for_student ? "vous" : "l'y");
            if (for_student || w->displaced == PL_NONE)
                buf_puts(b, "un autre étudiant");
            else
                buf_puts(b, in->students[w->displaced].id);
            if (w->displaced != PL_NONE && w->displaced_to_rank > 0)
                buf_printf(b, " de son vœu %u vers son vœu %u", w->displaced_from_rank,
                           w->displaced_to_rank);
            buf_printf(b, ", et la somme des rangs de tous les étudiants aurait augmenté de %lld.",
                       (long long)w->delta_rank_sum);
        }
        break;
    }
}

/* Explanations of one student (index s) as [{rank, place, text}]. */
static json_t *explain_json(const struct solved *sv, uint32_t s, bool for_student)
{
    json_t *arr = json_array();
    struct pl_explainer *ex = pl_explainer_new(sv->in, &sv->opt, sv->r);
    struct pl_why *why = malloc((sv->r->max_rank ? sv->r->max_rank : 1) * sizeof *why);
    if (ex && why) {
        size_t n = pl_explain(ex, s, why, sv->r->max_rank);
        for (size_t k = 0; k < n; k++) {
            struct buf b;
            buf_init(&b, 0);
            why_text(sv->in, &sv->opt, &why[k], for_student, &b);
            json_array_append_new(arr,
                                  json_pack("{sI ss ss}", "rank", (json_int_t)why[k].rank, "place",
                                            sv->in->places[why[k].place].id, "text", b.data));
            buf_free(&b);
        }
    }
    free(why);
    pl_explainer_free(ex);
    return arr;
}

/* The student's assignment row in a run, and their record with wishes. */
static int student_in_run(struct app_ctx *ctx, int64_t run_id, int64_t student_id,
                          json_t **assignment, json_t **student)
{
    struct assignment_filter f = {.student_id = student_id};
    json_t *items = NULL;
    int64_t total = 0;
    int rc = store_run_assignments(ctx->st, run_id, &f, 1, 0, &items, &total);
    if (rc)
        return rc;
    if (total != 1) {
        json_decref(items);
        return ERR_NOTFOUND;
    }
    *assignment = json_incref(json_array_get(items, 0));
    json_decref(items);
    rc = store_istudent_get(ctx->st, student_id, student);
    if (rc) {
        json_decref(*assignment);
        *assignment = NULL;
    }
    return rc;
}

/* {run, period, assignment, student, explanations} of one student; explanations from the
 * engine's own result (the stored instance solved again). */
static int student_view(struct app_ctx *ctx, json_t *run, int64_t student_id, bool for_student,
                        json_t **out)
{
    json_t *assignment = NULL, *student = NULL;
    int rc = student_in_run(ctx, jint(run, "id"), student_id, &assignment, &student);
    if (rc)
        return rc;
    struct solved sv = {0};
    rc = solve_run(ctx, run, &sv);
    json_t *explanations = NULL;
    if (rc == 0) {
        const char *code = jstr(student, "code");
        uint32_t s = pl_student_find(sv.in, code, strlen(code));
        explanations = s == PL_NONE ? json_array() : explain_json(&sv, s, for_student);
    }
    solved_free(&sv);
    if (rc) {
        json_decref(assignment);
        json_decref(student);
        return rc;
    }
    label_site(student);
    label_sites(json_object_get(student, "wishes_list"));
    /* Each wish carries its explanation, for the pages. */
    size_t i, j;
    json_t *w, *e;
    json_array_foreach(json_object_get(student, "wishes_list"), i, w){json_array_foreach(
        explanations, j, e){if (jint(e, "rank") == jint(w, "rank"))
                                json_object_set(w, "why", json_object_get(e, "text"));
}
}
*out = json_pack("{so so so}", "assignment", assignment, "student", student, "explanations",
                 explanations);
return *out ? 0 : ERR_NOMEM;
}

int app_run_student(struct app_ctx *ctx, int64_t run_id, int64_t student_id, json_t **out)
{
    if (!can_read(ctx))
        return ERR_DENIED;
    json_t *run = NULL;
    int rc = app_run_get(ctx, run_id, &run);
    if (rc)
        return rc;
    json_t *view = NULL;
    rc = student_view(ctx, run, student_id, false, &view);
    if (rc == 0) {
        json_t *places = NULL;
        rc = store_places_compatible(ctx->st, jint(run, "period_id"),
                                     jstr(json_object_get(view, "student"), "degree"),
                                     jstr(json_object_get(view, "student"), "discipline"), &places);
        if (rc == 0)
            json_object_set_new(view, "places", places);
    }
    if (rc == 0) {
        json_object_set_new(view, "run", run);
        *out = view;
        return 0;
    }
    json_decref(view);
    json_decref(run);
    return rc;
}

/* ---- adjustments ---- */

/* The current assignment of a run as engine indices (cur[s] for instance student s). */
static int current_places(struct app_ctx *ctx, const json_t *run, const struct solved *sv,
                          uint32_t *cur)
{
    json_t *items = NULL;
    int rc = all_assignments(ctx, run, &items);
    if (rc)
        return rc;
    for (size_t s = 0; s < sv->in->n_students; s++)
        cur[s] = PL_NONE;
    size_t i;
    json_t *a;
    json_array_foreach(items, i, a)
    {
        const char *sc = jstr(a, "student_code"), *pc = jstr(a, "place_code");
        uint32_t s = pl_student_find(sv->in, sc, strlen(sc));
        if (s != PL_NONE && *pc)
            cur[s] = pl_place_find(sv->in, pc, strlen(pc));
    }
    json_decref(items);
    return 0;
}

static uint32_t student_index(struct app_ctx *ctx, const struct solved *sv, int64_t student_id,
                              json_t **row)
{
    if (store_istudent_get(ctx->st, student_id, row) != 0)
        return PL_NONE;
    const char *code = jstr(*row, "code");
    return pl_student_find(sv->in, code, strlen(code));
}

static uint32_t load_of(const uint32_t *place, size_t n, uint32_t p)
{
    uint32_t load = 0;
    for (size_t s = 0; s < n; s++)
        load += place[s] == p;
    return load;
}

static uint32_t wish_rank(const struct pl_instance *in, uint32_t s, uint32_t p)
{
    const struct pl_student *st = &in->students[s];
    for (uint32_t k = 0; k < st->wish_count; k++)
        if (in->wishes[st->wish_start + k] == p)
            return k + 1;
    return 0;
}

/* What the change does that the bureau should see before confirming. */
static json_t *adjust_warnings(const struct solved *sv, const uint32_t *cur, const uint32_t *next,
                               const uint32_t *moved, int n_moved)
{
    json_t *w = json_array();
    const struct pl_instance *in = sv->in;
    for (int i = 0; i < n_moved; i++) {
        uint32_t s = moved[i], p = next[s];
        if (p == PL_NONE)
            continue;
        uint32_t load = load_of(next, in->n_students, p);
        if (load > (uint32_t)in->places[p].capacity)
            json_array_append_new(
                w, json_sprintf("« %s » dépasserait sa capacité : %u stagiaires pour %d place%s.",
                                in->places[p].id, load, in->places[p].capacity,
                                in->places[p].capacity > 1 ? "s" : ""));
        if (wish_rank(in, s, p) == 0)
            json_array_append_new(w, json_sprintf("« %s » ne figure pas parmi les vœux de %s.",
                                                  in->places[p].id, in->students[s].id));
    }
    uint32_t pair[2];
    size_t before = pl_blocking_pairs(in, &sv->opt, cur, NULL);
    size_t after = pl_blocking_pairs(in, &sv->opt, next, pair);
    if (after != SIZE_MAX && after > before)
        json_array_append_new(
            w, json_sprintf("La modification crée %zu paire%s bloquante%s (%zu avant, %zu après) : "
                            "par exemple %s préfère « %s », qui a une place libre ou accueille "
                            "un étudiant classé après lui.",
                            after - before, after - before > 1 ? "s" : "",
                            after - before > 1 ? "s" : "", before, after, in->students[pair[0]].id,
                            in->places[pair[1]].id));
    return w;
}

int app_run_adjust(struct app_ctx *ctx, int64_t run_id, const struct adjustment *adj,
                   json_t **warnings, struct field_errors *errs, char *msg, size_t msg_len)
{
    *warnings = NULL;
    if (!can_manage(ctx))
        return ERR_DENIED;
    json_t *run = NULL, *row1 = NULL, *row2 = NULL;
    uint32_t *cur = NULL, *next = NULL;
    struct solved sv = {0};
    int rc = store_run_get(ctx->st, run_id, &run);
    if (rc)
        return rc;
    rc = ERR_CONFLICT;
    if (json_is_true(json_object_get(run, "published"))) {
        snprintf(msg, msg_len,
                 "Cette affectation est publiée : elle ne peut plus être modifiée. "
                 "Lancez une nouvelle affectation pour en publier une autre.");
        goto done;
    }
    rc = solve_run(ctx, run, &sv);
    if (rc)
        goto done;
    size_t n = sv.in->n_students;
    cur = malloc((n ? n : 1) * sizeof *cur);
    next = malloc((n ? n : 1) * sizeof *next);
    rc = ERR_NOMEM;
    if (!cur || !next)
        goto done;
    rc = current_places(ctx, run, &sv, cur);
    if (rc)
        goto done;
    memcpy(next, cur, (n ? n : 1) * sizeof *cur);
    uint32_t s1 = student_index(ctx, &sv, adj->student_id, &row1), s2 = PL_NONE;
    uint32_t moved[2];
    int n_moved = 0;
    rc = ERR_INVAL;
    if (s1 == PL_NONE) {
        field_errors_add(errs, "student", "Étudiant inconnu dans cette affectation.");
        goto done;
    }
    const struct pl_student *st1 = &sv.in->students[s1];
    if (adj->action && strcmp(adj->action, "unassign") == 0) {
        next[s1] = PL_NONE;
        moved[n_moved++] = s1;
    } else if (adj->action && strcmp(adj->action, "move") == 0) {
        json_t *place = NULL;
        uint32_t p = PL_NONE;
        if (store_place_get(ctx->st, adj->place_id, &place) == 0 &&
            jint(place, "period_id") == jint(run, "period_id"))
            p = pl_place_find(sv.in, jstr(place, "code"), strlen(jstr(place, "code")));
        json_decref(place);
        if (p == PL_NONE) {
            field_errors_add(errs, "place",
                             "Lieu inconnu dans cette affectation (ajouté depuis ? relancez-la).");
            goto done;
        }
        if (sv.in->places[p].degree != st1->degree ||
            sv.in->places[p].discipline != st1->discipline) {
            field_errors_add(errs, "place",
                             "Ce lieu n'est pas du degré et de la discipline de l'étudiant.");
            goto done;
        }
        next[s1] = p;
        moved[n_moved++] = s1;
    } else if (adj->action && strcmp(adj->action, "swap") == 0) {
        s2 = student_index(ctx, &sv, adj->other_student_id, &row2);
        if (s2 == PL_NONE || s2 == s1) {
            field_errors_add(errs, "other_student",
                             "Second étudiant inconnu dans cette affectation.");
            goto done;
        }
        const struct pl_student *st2 = &sv.in->students[s2];
        if (st2->degree != st1->degree || st2->discipline != st1->discipline) {
            field_errors_add(errs, "other_student",
                             "Les deux étudiants ne sont pas du même degré et de la même "
                             "discipline : l'échange est impossible.");
            goto done;
        }
        next[s1] = cur[s2];
        next[s2] = cur[s1];
        moved[n_moved++] = s1;
        moved[n_moved++] = s2;
    } else {
        field_errors_add(errs, "action", "Action : déplacer, échanger ou désaffecter.");
        goto done;
    }
    *warnings = adjust_warnings(&sv, cur, next, moved, n_moved);
    rc = ERR_CONFLICT;
    if (json_array_size(*warnings) > 0 && !adj->confirm) {
        snprintf(msg, msg_len, "Vérifiez les conséquences puis confirmez la modification.");
        goto done;
    }
    /* The database ids of the places: the chosen one, or the two students' current ones. */
    int64_t db_place[2] = {0, 0};
    if (strcmp(adj->action, "move") == 0) {
        db_place[0] = adj->place_id;
    } else if (strcmp(adj->action, "swap") == 0) {
        json_t *a1 = NULL, *a2 = NULL, *tmp = NULL;
        rc = student_in_run(ctx, run_id, adj->student_id, &a1, &tmp);
        json_decref(tmp);
        tmp = NULL;
        if (rc == 0)
            rc = student_in_run(ctx, run_id, adj->other_student_id, &a2, &tmp);
        json_decref(tmp);
        if (rc == 0) {
            db_place[0] = jint(a2, "place_id");
            db_place[1] = jint(a1, "place_id");
        }
        json_decref(a1);
        json_decref(a2);
        if (rc)
            goto done;
    }
    json_t *before = json_array(), *after = json_array();
    rc = store_begin(ctx->st);
    for (int i = 0; rc == 0 && i < n_moved; i++) {
        uint32_t s = moved[i];
        int64_t student_id = i == 0 ? adj->student_id : adj->other_student_id;
        json_array_append_new(before,
                              json_pack("{ss ss?}", "student", sv.in->students[s].id, "place",
                                        cur[s] == PL_NONE ? NULL : sv.in->places[cur[s]].id));
        json_array_append_new(after,
                              json_pack("{ss ss?}", "student", sv.in->students[s].id, "place",
                                        next[s] == PL_NONE ? NULL : sv.in->places[next[s]].id));
        rc = store_assignment_set(ctx->st, run_id, student_id, db_place[i],
                                  next[s] == PL_NONE ? 0 : (int)wish_rank(sv.in, s, next[s]));
    }
    if (rc == 0) {
        json_t *a = json_pack("{ss so so}", "action", adj->action, "assignments", after, "warnings",
                              json_copy(*warnings));
        after = NULL;
        rc = app_audit(ctx, "placement.adjust", "placement_run", run_id,
                       json_pack("{so}", "assignments", before), a);
        before = NULL;
    }
    json_decref(before);
    json_decref(after);
    if (rc == 0)
        rc = store_commit(ctx->st);
    if (rc)
        store_rollback(ctx->st);
done:
    if (rc != ERR_CONFLICT) {
        json_decref(*warnings);
        *warnings = NULL;
    }
    free(cur);
    free(next);
    solved_free(&sv);
    json_decref(row1);
    json_decref(row2);
    json_decref(run);
    return rc;
}

/* ---- publication and what each one sees ---- */

int app_run_publish(struct app_ctx *ctx, int64_t run_id, char *msg, size_t msg_len)
{
    if (!can_manage(ctx))
        return ERR_DENIED;
    json_t *run = NULL, *period = NULL;
    int rc = store_run_get(ctx->st, run_id, &run);
    if (rc)
        return rc;
    rc = store_period_get(ctx->st, jint(run, "period_id"), &period);
    if (rc == 0 && json_is_true(json_object_get(run, "published"))) {
        snprintf(msg, msg_len, "Cette affectation est déjà publiée.");
        rc = ERR_CONFLICT;
    }
    bool own = false;
    if (rc == 0)
        rc = app_tx_begin(ctx, &own);
    if (rc == 0) {
        rc = store_period_publish(ctx->st, jint(run, "period_id"), run_id, ctx->now);
        if (rc == 0)
            rc = app_audit(
                ctx, "placement.publish", "internship_period", jint(run, "period_id"),
                json_pack("{sO}", "published_run_id", json_object_get(period, "published_run_id")),
                json_pack("{sI sI sI}", "published_run_id", (json_int_t)run_id, "placed",
                          (json_int_t)jint(run, "placed"), "adjusted",
                          (json_int_t)jint(run, "adjusted")));
        rc = app_tx_end(ctx, own, rc);
    }
    json_decref(run);
    json_decref(period);
    return rc;
}

int app_my_placements(struct app_ctx *ctx, json_t **out)
{
    if (!ctx->actor)
        return ERR_DENIED;
    json_t *mine = NULL;
    int rc = store_istudent_periods(ctx->st, ctx->actor->id, &mine);
    if (rc)
        return rc;
    json_t *list = json_array(), *m;
    size_t i;
    json_array_foreach(mine, i, m)
    {
        json_t *period = NULL, *entry = NULL;
        rc = store_period_get(ctx->st, jint(m, "period_id"), &period);
        if (rc)
            break;
        decorate_period(period, ctx->now);
        if (json_is_true(json_object_get(period, "published"))) {
            json_t *run = NULL;
            rc = store_run_get(ctx->st, jint(period, "published_run_id"), &run);
            if (rc == 0)
                rc = student_view(ctx, run, jint(m, "student_id"), true, &entry);
            json_decref(run);
        } else {
            json_t *student = NULL;
            rc = store_istudent_get(ctx->st, jint(m, "student_id"), &student);
            if (rc == 0)
                entry = json_pack("{so}", "student", student);
        }
        if (rc) {
            json_decref(period);
            break;
        }
        json_object_set_new(entry, "period", period);
        json_array_append_new(list, entry);
    }
    json_decref(mine);
    if (rc) {
        json_decref(list);
        return rc;
    }
    *out = list;
    return 0;
}

int app_my_trainees(struct app_ctx *ctx, json_t **out)
{
    if (!ctx->actor)
        return ERR_DENIED;
    const char *uai =
        ctx->actor->role == ROLE_REQUESTER && ctx->actor->scope_kind == SCOPE_ESTABLISHMENT
            ? ctx->actor->scope_value
            : NULL;
    return store_published_for(ctx->st, ctx->actor->id, uai, out);
}

int app_placement_letter(struct app_ctx *ctx, int64_t run_id, int64_t student_id, json_t **out)
{
    if (!ctx->actor)
        return ERR_DENIED;
    json_t *run = NULL, *period = NULL, *assignment = NULL, *student = NULL;
    int rc = store_run_get(ctx->st, run_id, &run);
    if (rc)
        return rc;
    rc = store_period_get(ctx->st, jint(run, "period_id"), &period);
    if (rc == 0)
        rc = student_in_run(ctx, run_id, student_id, &assignment, &student);
    if (rc == ERR_NOTFOUND && !can_read(ctx))
        rc = ERR_DENIED; /* a student learns nothing of other records */
    if (rc == 0 && !can_read(ctx)) {
        /* the student themself, once this run is the published one */
        bool own = json_is_integer(json_object_get(student, "user_id")) &&
                   jint(student, "user_id") == ctx->actor->id;
        if (!own || !json_is_true(json_object_get(run, "published")))
            rc = ERR_DENIED;
    }
    if (rc == 0 && json_is_null(json_object_get(assignment, "place_id")))
        rc = ERR_NOTFOUND; /* no letter without a place */
    if (rc) {
        json_decref(run);
        json_decref(period);
        json_decref(assignment);
        json_decref(student);
        return rc;
    }
    decorate_period(period, ctx->now);
    *out = json_pack("{so so so so}", "run", run, "period", period, "assignment", assignment,
                     "student", student);
    return *out ? 0 : ERR_NOMEM;
}

int app_placement_letters(struct app_ctx *ctx, int64_t run_id, int page, int per_page, json_t **out)
{
    if (!can_read(ctx))
        return ERR_DENIED;
    clamp_page(&page, &per_page);
    json_t *run = NULL, *period = NULL, *items = NULL;
    int64_t total = 0;
    struct assignment_filter f = {.assigned_only = true};
    int rc = store_run_get(ctx->st, run_id, &run);
    if (rc == 0)
        rc = store_period_get(ctx->st, jint(run, "period_id"), &period);
    if (rc == 0)
        rc = store_run_assignments(ctx->st, run_id, &f, per_page, (page - 1) * per_page, &items,
                                   &total);
    if (rc) {
        json_decref(run);
        json_decref(period);
        return rc;
    }
    decorate_period(period, ctx->now);
    json_t *letters = json_array(), *a;
    size_t i;
    json_array_foreach(items, i, a)
    {
        json_t *student =
            json_pack("{sO sO sO sO}", "code", json_object_get(a, "student_code"), "first_name",
                      json_object_get(a, "first_name"), "last_name",
                      json_object_get(a, "last_name"), "email", json_object_get(a, "email"));
        json_array_append_new(letters, json_pack("{so sO}", "student", student, "assignment", a));
    }
    json_decref(items);
    *out = paged(letters, total, page, per_page);
    if (!*out) {
        json_decref(run);
        json_decref(period);
        return ERR_NOMEM;
    }
    json_object_set_new(*out, "letters", json_incref(json_object_get(*out, "items")));
    json_object_del(*out, "items");
    json_object_set_new(*out, "run", run);
    json_object_set_new(*out, "period", period);
    return 0;
}

/* ---- exports ---- */

static const char *const export_columns[] = {"Numéro étudiant",
                                             "Nom",
                                             "Prénom",
                                             "Courriel",
                                             "Degré",
                                             "Discipline",
                                             "Site",
                                             "Priorité",
                                             "Lieu (code)",
                                             "UAI",
                                             "Établissement",
                                             "Commune",
                                             "Niveau",
                                             "Tuteur",
                                             "Courriel du tuteur",
                                             "Rang du vœu",
                                             "Ajusté à la main"};
static const char *const export_keys[] = {
    "student_code", "last_name",  "first_name",  "email", "degree",        "discipline_name",
    "site",         "#priority",  "place_code",  "uai",   "establishment", "commune",
    "class_level",  "tutor_name", "tutor_email", "#rank", "#adjusted"};
#define EXPORT_COLUMNS (sizeof export_columns / sizeof export_columns[0])

int app_run_export(struct app_ctx *ctx, int64_t run_id, bool xlsx, struct buf *out)
{
    if (!can_read(ctx))
        return ERR_DENIED;
    json_t *run = NULL, *items = NULL;
    int rc = store_run_get(ctx->st, run_id, &run);
    if (rc == 0)
        rc = all_assignments(ctx, run, &items);
    if (rc) {
        json_decref(run);
        return rc;
    }
    struct xlsx *x = xlsx ? xlsx_new("Affectations") : NULL;
    if (xlsx && !x) {
        rc = ERR_NOMEM;
        goto done;
    }
    if (x) {
        xlsx_row_begin(x);
        for (size_t c = 0; c < EXPORT_COLUMNS; c++)
            xlsx_cell_text(x, export_columns[c], strlen(export_columns[c]));
    } else {
        csv_write_bom(out);
        for (size_t c = 0; c < EXPORT_COLUMNS; c++)
            csv_write_field(out, export_columns[c], strlen(export_columns[c]), ';', c == 0);
        csv_write_eol(out);
    }
    size_t i;
    json_t *a;
    json_array_foreach(items, i, a)
    {
        if (x)
            xlsx_row_begin(x);
        for (size_t c = 0; c < EXPORT_COLUMNS; c++) {
            const char *key = export_keys[c];
            char num[24];
            const char *v;
            if (key[0] == '#') {
                int64_t n = jint(a, key + 1);
                if (x) {
                    xlsx_cell_int(x, n);
                    continue;
                }
                snprintf(num, sizeof num, "%lld", (long long)n);
                v = num;
            } else {
                v = jstr(a, key);
                if (strcmp(key, "site") == 0 && trainer_site_label(v))
                    v = trainer_site_label(v);
            }
            if (x)
                xlsx_cell_text(x, v, strlen(v));
            else
                csv_write_field(out, v, strlen(v), ';', c == 0);
        }
        if (!x)
            csv_write_eol(out);
    }
    rc = x ? xlsx_finish(x, out) : out->err;
    if (rc == 0)
        rc = app_audit(ctx, "placement.export", "placement_run", run_id, NULL,
                       json_pack("{ss sI}", "format", xlsx ? "xlsx" : "csv", "rows",
                                 (json_int_t)json_array_size(items)));
done:
    xlsx_free(x);
    json_decref(items);
    json_decref(run);
    return rc;
}
