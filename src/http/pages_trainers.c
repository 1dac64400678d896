/*
 * Pages of the map of trainers' competences (seed 004, Annexe 4 d): search with filters, the
 * profile, editing one's own profile, declaring competences, and the validation queue of
 * inspectors and collectif pilots.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "core/err.h"
#include "core/timeutil.h"
#include "http/routes.h"

/* Sets "selected": true on the elements of arr whose key equals value. */
static void mark_selected(json_t *arr, const char *key, const char *value)
{
    size_t i;
    json_t *it;
    json_array_foreach(arr, i, it)
    {
        const char *v = json_string_value(json_object_get(it, key));
        json_object_set_new(it, "selected", json_boolean(value && v && strcmp(v, value) == 0));
    }
}

json_t *page_field_errors(const struct field_errors *errs)
{
    json_t *arr = json_array();
    for (int i = 0; i < errs->count; i++)
        json_array_append_new(arr, json_pack("{ss ss}", "field", errs->items[i].field, "message",
                                             errs->items[i].message));
    return arr;
}

/* Attaches each field's message to "err_<field>" for inline display. */
static void errors_inline(json_t *ctx, const struct field_errors *errs)
{
    for (int i = 0; i < errs->count; i++) {
        char key[64];
        snprintf(key, sizeof key, "err_%s", errs->items[i].field);
        if (!json_object_get(ctx, key))
            json_object_set_new(ctx, key, json_string(errs->items[i].message));
    }
    if (errs->count)
        json_object_set_new(ctx, "errors", page_field_errors(errs));
}

static const char *const search_keys[] = {"q",    "degree",  "discipline", "institution",
                                          "site", "weekday", "validated",  NULL};

void trainer_search_args(struct http_req *r, struct trainer_search_input *in)
{
    *in = (struct trainer_search_input){
        .q = http_arg(r, "q"),
        .degree = http_arg(r, "degree"),
        .discipline = http_arg(r, "discipline"),
        .institution = http_arg(r, "institution"),
        .site = http_arg(r, "site"),
        .weekday = http_arg(r, "weekday"),
        .validated = http_arg(r, "validated"),
        .page = http_arg(r, "page"),
        .per_page = http_arg(r, "per_page"),
    };
}

int page_trainers(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    struct trainer_search_input in;
    trainer_search_args(r, &in);
    in.per_page = NULL; /* pages use the default */
    struct field_errors errs = {0};
    json_t *res = NULL;
    int rc = app_trainer_search(&c, &in, &res, &errs);
    if (rc && rc != ERR_INVAL)
        return http_error_page(r, rc == ERR_DENIED ? 403 : 500,
                               rc == ERR_DENIED ? "Votre rôle ne permet pas cette recherche."
                                                : "La recherche est momentanément indisponible.");
    json_t *refs = NULL;
    if (app_referentials(&c, &refs) != 0) {
        json_decref(res);
        return http_error_page(r, 500, "Les référentiels sont momentanément indisponibles.");
    }
    json_t *ctx = json_pack("{ss}", "title", "Cartographie des formateurs");
    http_crumbs(ctx, (struct crumb[]){{NULL, "Cartographie des formateurs"}}, 1);
    json_object_set_new(ctx, "searched", json_boolean(res != NULL));
    if (res) {
        json_object_update(ctx, res);
        int64_t page = json_integer_value(json_object_get(res, "page"));
        int64_t pages = json_integer_value(json_object_get(res, "pages"));
        if (page > 1)
            json_object_set_new(ctx, "prev_page", json_integer(page - 1));
        if (page < pages)
            json_object_set_new(ctx, "next_page", json_integer(page + 1));
        json_decref(res);
    }
    json_t *partners = NULL;
    if (app_research_partners(&c, errs.count ? NULL : in.q, &partners) == 0)
        json_object_set_new(ctx, "partners", partners);
    errors_inline(ctx, &errs);
    json_object_set_new(ctx, "q", json_string(in.q && !errs.count ? in.q : in.q ? in.q : ""));
    mark_selected(json_object_get(refs, "degrees"), "code", in.degree);
    mark_selected(json_object_get(refs, "sites"), "code", in.site);
    mark_selected(json_object_get(refs, "disciplines"), "code", in.discipline);
    mark_selected(json_object_get(refs, "institutions"), "code", in.institution);
    mark_selected(json_object_get(refs, "weekdays"), "name", in.weekday);
    json_object_set_new(
        ctx, "validated",
        json_boolean(in.validated && *in.validated && strcmp(in.validated, "0") != 0));
    json_object_update(ctx, refs);
    json_decref(refs);
    struct buf qs;
    buf_init(&qs, 4096);
    http_query_args(r, search_keys, &qs); /* all but "page", for pagination links */
    json_object_set_new(ctx, "query", json_string(qs.data));
    buf_free(&qs);
    return http_page(r, errs.count ? 400 : 200, "trainers.html", ctx);
}

/* Flash messages after a redirect, by fixed code (no user data in URLs). */
static const char *flash_message(const char *code)
{
    static const char *const msgs[][2] = {
        {"saved", "Le profil a été enregistré."},
        {"declared", "La compétence a été déclarée : elle attend la validation d’un inspecteur "
                     "ou d’un pilote de collectif."},
        {"validated", "La compétence a été validée."},
        {"refused", "La compétence a été refusée ; le motif est visible sur le profil."},
        {"withdrawn", "La compétence a été retirée du profil."},
        {"exp_added", "L’expérience a été ajoutée."},
        {"exp_removed", "L’expérience a été supprimée."},
    };
    if (!code)
        return NULL;
    for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++)
        if (strcmp(code, msgs[i][0]) == 0)
            return msgs[i][1];
    return NULL;
}

static int trainer_page(struct http_req *r, int64_t id, unsigned status,
                        const struct field_errors *errs, const char *error)
{
    struct app_ctx c = handler_ctx(r);
    json_t *t = NULL;
    int rc = app_trainer_get(&c, id, &t);
    if (rc == ERR_NOTFOUND)
        return http_error_page(r, 404, "Ce formateur n’existe pas.");
    if (rc)
        return http_error_page(r, rc == ERR_DENIED ? 403 : 500,
                               rc == ERR_DENIED ? "Votre rôle ne permet pas de voir ce profil."
                                                : "Le profil est momentanément indisponible.");
    json_t *ctx = json_pack("{so sI}", "trainer", t, "tid", (json_int_t)id);
    char title[200];
    snprintf(title, sizeof title, "%s", json_string_value(json_object_get(t, "name")));
    json_object_set_new(ctx, "title", json_string(title));
    http_crumbs(ctx,
                (struct crumb[]){{"/formateurs", "Cartographie des formateurs"}, {NULL, title}}, 2);
    if (json_is_true(json_object_get(t, "can_edit"))) {
        json_t *refs = NULL;
        if (app_referentials(&c, &refs) == 0)
            json_object_set(ctx, "all_competences", json_object_get(refs, "competences"));
        json_decref(refs);
    }
    const char *flash = flash_message(http_arg(r, "ok"));
    if (flash)
        json_object_set_new(ctx, "flash", json_string(flash));
    if (errs)
        errors_inline(ctx, errs);
    if (error)
        json_object_set_new(ctx, "error", json_string(error));
    return http_page(r, status, "trainer.html", ctx);
}

int page_trainer(struct http_req *r)
{
    return trainer_page(r, r->params[0], 200, NULL, NULL);
}

int page_my_profile(struct http_req *r)
{
    if (!r->user.trainer_id)
        return http_error_page(r, 404, "Votre compte n’est pas rattaché à un profil de formateur.");
    char loc[64];
    snprintf(loc, sizeof loc, "/formateurs/%lld", (long long)r->user.trainer_id);
    return http_redirect(r, loc);
}

/* The edit form, filled from t, with errors if any. */
static int edit_form(struct http_req *r, const struct trainer *t, unsigned status,
                     const struct field_errors *errs)
{
    struct app_ctx c = handler_ctx(r);
    json_t *refs = NULL;
    if (app_referentials(&c, &refs) != 0)
        return http_error_page(r, 500, "Les référentiels sont momentanément indisponibles.");
    mark_selected(json_object_get(refs, "degrees"), "code", t->degree);
    mark_selected(json_object_get(refs, "sites"), "code", t->site);
    mark_selected(json_object_get(refs, "disciplines"), "code", t->discipline);
    mark_selected(json_object_get(refs, "institutions"), "code", t->institution);
    mark_selected(json_object_get(refs, "corps"), "code", t->corps);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(refs, "weekdays"), i, it)
    {
        unsigned bit = (unsigned)json_integer_value(json_object_get(it, "bit"));
        json_object_set_new(it, "checked", json_boolean(t->weekdays & bit));
    }
    json_t *ctx =
        json_pack("{ss sI ss ss ss si ss}", "title", "Modifier le profil", "id", (json_int_t)t->id,
                  "last_name", t->last_name, "first_name", t->first_name, "email", t->email,
                  "hours_quota", t->hours_quota, "bio", t->bio);
    char back[64], name[2 * TRAINER_NAME_MAX + 2];
    snprintf(back, sizeof back, "/formateurs/%lld", (long long)t->id);
    snprintf(name, sizeof name, "%s %s", t->first_name, t->last_name);
    http_crumbs(ctx,
                (struct crumb[]){{"/formateurs", "Cartographie des formateurs"},
                                 {back, name},
                                 {NULL, "Modifier le profil"}},
                3);
    json_object_set_new(ctx, "can_edit_any",
                        json_boolean(role_can(r->user.role, CAP_TRAINER_EDIT_ANY)));
    json_object_update(ctx, refs);
    json_decref(refs);
    if (errs)
        errors_inline(ctx, errs);
    return http_page(r, status, "trainer_edit.html", ctx);
}

int page_trainer_edit_form(struct http_req *r)
{
    struct trainer t;
    int64_t id = r->params[0];
    struct app_ctx c = handler_ctx(r);
    int rc = app_trainer_load(&c, id, &t);
    if (rc == ERR_DENIED)
        return http_error_page(r, 403, "Vous ne pouvez modifier que votre propre profil.");
    if (rc == ERR_NOTFOUND)
        return http_error_page(r, 404, "Ce formateur n’existe pas.");
    if (rc)
        return http_error_page(r, 500, "Le profil est momentanément indisponible.");
    return edit_form(r, &t, 200, NULL);
}

/* Copies a form field into a fixed buffer; records an error if it does not fit. */
static void form_copy(struct http_req *r, const char *name, const char *label, char *dst, size_t n,
                      struct field_errors *errs)
{
    const char *v = http_form(r, name);
    if (!v)
        v = "";
    if (strlen(v) >= n)
        field_errors_add(errs, name, "%s : texte trop long (%zu octets au plus).", label, n - 1);
    snprintf(dst, n, "%s", v);
}

int page_trainer_edit(struct http_req *r)
{
    int64_t id = r->params[0];
    struct trainer t = {.id = id};
    struct field_errors errs = {0};
    struct trainer cur;
    struct app_ctx c = handler_ctx(r);
    int rc = app_trainer_load(&c, id, &cur);
    if (rc == ERR_DENIED)
        return http_error_page(r, 403, "Vous ne pouvez modifier que votre propre profil.");
    if (rc == ERR_NOTFOUND)
        return http_error_page(r, 404, "Ce formateur n’existe pas.");
    if (rc)
        return http_error_page(r, 500, "Le profil est momentanément indisponible.");
    form_copy(r, "last_name", "Nom", t.last_name, sizeof t.last_name, &errs);
    form_copy(r, "first_name", "Prénom", t.first_name, sizeof t.first_name, &errs);
    form_copy(r, "email", "Courriel", t.email, sizeof t.email, &errs);
    form_copy(r, "degree", "Degré", t.degree, sizeof t.degree, &errs);
    form_copy(r, "discipline", "Discipline", t.discipline, sizeof t.discipline, &errs);
    form_copy(r, "site", "Site", t.site, sizeof t.site, &errs);
    form_copy(r, "bio", "Présentation", t.bio, sizeof t.bio, &errs);
    if (role_can(r->user.role, CAP_TRAINER_EDIT_ANY)) {
        form_copy(r, "institution", "Institution", t.institution, sizeof t.institution, &errs);
        form_copy(r, "corps", "Corps", t.corps, sizeof t.corps, &errs);
    } else {
        memcpy(t.institution, cur.institution, sizeof t.institution);
        memcpy(t.corps, cur.corps, sizeof t.corps);
    }
    json_t *days = http_form_all(r, "weekdays");
    size_t i;
    json_t *d;
    json_array_foreach(days, i, d)
    {
        const char *s = json_string_value(d);
        int bits = s ? weekdays_parse(s, strlen(s)) : -1;
        if (bits < 0)
            field_errors_add(&errs, "weekdays", "Jours disponibles : jour inconnu.");
        else
            t.weekdays |= (unsigned)bits;
    }
    const char *q = http_form(r, "hours_quota");
    char *end = NULL;
    long quota = q && *q ? strtol(q, &end, 10) : 0;
    if (q && *q && (!end || *end || quota < 0 || quota > TRAINER_QUOTA_MAX))
        field_errors_add(&errs, "hours_quota",
                         "Quota d’heures annuel : un nombre entier de 0 à %d.", TRAINER_QUOTA_MAX);
    else
        t.hours_quota = (int)quota;
    if (errs.count == 0) {
        rc = app_trainer_update(&c, &t, &errs);
        if (rc == 0) {
            char loc[80];
            snprintf(loc, sizeof loc, "/formateurs/%lld?ok=saved", (long long)id);
            return http_redirect(r, loc);
        }
        if (rc == ERR_DENIED)
            return http_error_page(r, 403, "Vous ne pouvez modifier que votre propre profil.");
        if (rc != ERR_INVAL)
            return http_error_page(r, 500, "L’enregistrement a échoué ; rien n’a été modifié.");
    }
    return edit_form(r, &t, 400, &errs);
}

int page_trainer_declare(struct http_req *r)
{
    int64_t id = r->params[0];
    struct app_ctx c = handler_ctx(r);
    struct field_errors errs = {0};
    const char *code = http_form(r, "competence");
    const char *lv = http_form(r, "level");
    int level = lv && strlen(lv) == 1 && lv[0] >= '1' && lv[0] <= '4' ? lv[0] - '0' : 0;
    int rc = app_competence_declare(&c, id, code, level, &errs);
    if (rc == 0) {
        char loc[80];
        snprintf(loc, sizeof loc, "/formateurs/%lld?ok=declared", (long long)id);
        return http_redirect(r, loc);
    }
    if (rc == ERR_DENIED)
        return http_error_page(r, 403,
                               "Vous ne pouvez déclarer des compétences que sur votre "
                               "propre profil.");
    if (rc == ERR_NOTFOUND)
        return http_error_page(r, 404, "Ce formateur n’existe pas.");
    if (rc == ERR_INVAL)
        return trainer_page(r, id, 400, &errs, NULL);
    return http_error_page(r, 500, "L’enregistrement a échoué ; rien n’a été modifié.");
}

/* Redirects to the trainer's profile with a flash code. */
static int back_to_profile(struct http_req *r, int64_t id, const char *flash)
{
    char loc[96];
    snprintf(loc, sizeof loc, "/formateurs/%lld?ok=%s", (long long)id, flash);
    return http_redirect(r, loc);
}

/* The error page of a profile change that failed for rc. */
static int change_failed(struct http_req *r, int rc)
{
    if (rc == ERR_DENIED)
        return http_error_page(r, 403, "Vous ne pouvez modifier que votre propre profil.");
    if (rc == ERR_NOTFOUND)
        return http_error_page(r, 404, "Cet élément n’existe pas ou n’est pas sur ce profil.");
    return http_error_page(r, 500, "L’enregistrement a échoué ; rien n’a été modifié.");
}

int page_competence_withdraw(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    int rc = app_competence_withdraw(&c, r->params[0], r->params[1]);
    return rc ? change_failed(r, rc) : back_to_profile(r, r->params[0], "withdrawn");
}

int page_experience_add(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    struct field_errors errs = {0};
    int rc = app_experience_add(&c, r->params[0], http_form(r, "kind"), http_form(r, "title"),
                                http_form(r, "year"), http_form(r, "hours"), &errs);
    if (rc == ERR_INVAL)
        return trainer_page(r, r->params[0], 400, &errs, NULL);
    return rc ? change_failed(r, rc) : back_to_profile(r, r->params[0], "exp_added");
}

int page_experience_remove(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    int rc = app_experience_remove(&c, r->params[0], r->params[1]);
    return rc ? change_failed(r, rc) : back_to_profile(r, r->params[0], "exp_removed");
}

int page_validations(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    int page = 1;
    if (!http_page_arg(r, &page))
        return http_error_page(r, 400, "Numéro de page invalide : un entier de 1 à 100000.");
    json_t *res = NULL;
    struct field_errors errs = {0};
    const char *discipline = http_arg(r, "discipline"), *site = http_arg(r, "site");
    int rc = app_validation_queue(&c, discipline, site, page, 25, &res, &errs);
    if (rc == ERR_INVAL)
        return http_error_page(r, 400, errs.items[0].message);
    if (rc)
        return http_error_page(r, rc == ERR_DENIED ? 403 : 500,
                               rc == ERR_DENIED ? "Votre rôle ne permet pas de valider."
                                                : "La file est momentanément indisponible.");
    json_t *refs = NULL;
    if (app_referentials(&c, &refs) == 0) {
        mark_selected(json_object_get(refs, "disciplines"), "code", discipline);
        mark_selected(json_object_get(refs, "sites"), "code", site);
        json_object_set(res, "disciplines", json_object_get(refs, "disciplines"));
        json_object_set(res, "sites", json_object_get(refs, "sites"));
        json_decref(refs);
    }
    struct buf qs;
    buf_init(&qs, 1024);
    static const char *const queue_keys[] = {"discipline", "site", NULL};
    http_query_args(r, queue_keys, &qs);
    json_object_set_new(res, "query", json_string(qs.data));
    buf_free(&qs);
    json_object_set_new(res, "title", json_string("Compétences à valider"));
    http_crumbs(res, (struct crumb[]){{NULL, "Compétences à valider"}}, 1);
    int64_t pages = json_integer_value(json_object_get(res, "pages"));
    if (page > 1)
        json_object_set_new(res, "prev_page", json_integer(page - 1));
    if (page < pages)
        json_object_set_new(res, "next_page", json_integer(page + 1));
    const char *flash = flash_message(http_arg(r, "ok"));
    if (flash)
        json_object_set_new(res, "flash", json_string(flash));
    return http_page(r, 200, "validations.html", res);
}

int page_decide(struct http_req *r)
{
    int64_t tid = r->params[0], cid = r->params[1];
    const char *decision = http_form(r, "decision");
    const char *reason = http_form(r, "reason");
    const char *back = http_form(r, "back");
    int to = decision ? competence_state_parse(decision) : -1;
    char msg[256] = "";
    struct app_ctx c = handler_ctx(r);
    int rc;
    if (to != COMPETENCE_VALIDATED && to != COMPETENCE_REFUSED) {
        snprintf(msg, sizeof msg, "Décision inconnue : choisissez Valider ou Refuser.");
        rc = ERR_INVAL;
    } else {
        rc =
            app_competence_decide(&c, tid, cid, (enum competence_state)to, reason, msg, sizeof msg);
    }
    bool to_queue = back && strcmp(back, "queue") == 0;
    if (rc == 0) {
        char loc[96];
        if (to_queue)
            snprintf(loc, sizeof loc, "/validations?ok=%s", decision);
        else
            snprintf(loc, sizeof loc, "/formateurs/%lld?ok=%s", (long long)tid, decision);
        return http_redirect(r, loc);
    }
    if (rc == ERR_DENIED)
        return http_error_page(r, 403, msg);
    if (rc == ERR_NOTFOUND && !msg[0])
        return http_error_page(r, 404, "Ce formateur n’existe pas.");
    if (rc == ERR_INVAL || rc == ERR_CONFLICT || rc == ERR_NOTFOUND)
        return trainer_page(r, tid, rc == ERR_CONFLICT ? 409 : 400, NULL, msg);
    return http_error_page(r, 500, "L’enregistrement a échoué ; rien n’a été modifié.");
}
