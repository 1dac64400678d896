/*
 * Pages of the bureau des stages (seed 004 §3 d; app/placement.h): periods and their wishes
 * window, places and students, runs of the engine with their rank profile and explanations,
 * manual adjustments, publication, exports and placement letters; the students' wishes page and
 * "my internship"; the trainees of a tutor or of a head of establishment.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/placement.h"
#include "core/err.h"
#include "core/timeutil.h"
#include "domain/trainer.h"
#include "http/routes.h"

/* ---- helpers ---- */

static int fail_page(struct http_req *r, int rc, const char *what)
{
    if (rc == ERR_DENIED)
        return http_error_page(r, 403, "Votre rôle ne permet pas d’accéder à cette page.");
    if (rc == ERR_NOTFOUND)
        return http_error_page(r, 404, what);
    return http_error_page(r, 500, "Le service est momentanément indisponible.");
}

static void add_errors(json_t *ctx, const struct field_errors *errs)
{
    if (errs->count)
        json_object_set_new(ctx, "errors", page_field_errors(errs));
}

static void pager(json_t *ctx, const json_t *res)
{
    int64_t page = json_integer_value(json_object_get(res, "page"));
    int64_t pages = json_integer_value(json_object_get(res, "pages"));
    if (page > 1)
        json_object_set_new(ctx, "prev_page", json_integer(page - 1));
    if (page < pages)
        json_object_set_new(ctx, "next_page", json_integer(page + 1));
}

static const char *flash_text(const char *code)
{
    static const struct {
        const char *code, *text;
    } flashes[] = {
        {"periode", "La période est créée."},
        {"fenetre", "La fenêtre de saisie des vœux est enregistrée."},
        {"affectation", "L’affectation est calculée et enregistrée avec ses données d’entrée."},
        {"ajustement", "La modification est enregistrée."},
        {"publication", "L’affectation est publiée : étudiants, tuteurs et chefs d’établissement "
                        "la voient désormais."},
        {"voeux", "Vos vœux sont enregistrés."},
    };
    for (size_t i = 0; code && i < sizeof flashes / sizeof flashes[0]; i++)
        if (strcmp(code, flashes[i].code) == 0)
            return flashes[i].text;
    return NULL;
}

static void flash(struct http_req *r, json_t *ctx)
{
    const char *text = flash_text(http_arg(r, "ok"));
    if (text)
        json_object_set_new(ctx, "flash", json_string(text));
}

/* Redirects to base + "/" + id, with an optional flash code. */
static int redirect_to(struct http_req *r, const char *base, long long id, const char *flash_code)
{
    char loc[160];
    int n = snprintf(loc, sizeof loc, "%s/%lld%s%s", base, id, flash_code ? "?ok=" : "",
                     flash_code ? flash_code : "");
    if (n < 0 || (size_t)n >= sizeof loc)
        return http_error_page(r, 500, "Adresse de redirection trop longue.");
    return http_redirect(r, loc);
}

/* A date field (JJ/MM/AAAA or AAAA-MM-JJ) as a Unix time; adds an error when invalid. */
static bool date_field(struct http_req *r, const char *name, const char *label, int64_t *t,
                       struct field_errors *errs)
{
    const char *v = http_form(r, name);
    if (v && time_parse_date(v, strlen(v), t) == 0)
        return true;
    field_errors_add(errs, name, "%s : date JJ/MM/AAAA attendue.", label);
    return false;
}

/* ISO date text of a date field, for the period's starts_on/ends_on ("" when it is not a date:
 * the period's validation then says so). */
static void iso_field(struct http_req *r, const char *name, char *out, size_t n)
{
    int64_t t;
    out[0] = '\0';
    const char *v = http_form(r, name);
    if (!v || time_parse_date(v, strlen(v), &t) != 0)
        return;
    /* The calendar day in Paris (the parse gave its midnight there; UTC would say the day
     * before). */
    struct buf b;
    buf_init(&b, 64);
    if (time_format_date(t, &b) == 0 && b.len == 10)
        snprintf(out, n, "%.4s-%.2s-%.2s", b.data + 6, b.data + 3, b.data);
    buf_free(&b);
}

static void text_field(struct http_req *r, const char *name, char *out, size_t n)
{
    const char *v = http_form(r, name);
    snprintf(out, n, "%s", v ? v : "");
}

static int64_t id_field(struct http_req *r, const char *name)
{
    const char *v = http_form(r, name);
    int64_t id = 0;
    return v && http_parse_id(v, &id) ? id : 0;
}

/* ---- periods ---- */

static int periods_page(struct http_req *r, unsigned status, json_t *form,
                        const struct field_errors *errs)
{
    struct app_ctx c = handler_ctx(r);
    json_t *periods = NULL;
    int rc = app_period_list(&c, &periods);
    if (rc) {
        json_decref(form);
        return fail_page(r, rc, "");
    }
    json_t *ctx = json_pack("{ss so sb}", "title", "Bureau des stages", "periods", periods,
                            "can_manage", role_can(r->user.role, CAP_PLACEMENT_MANAGE));
    http_crumbs(ctx, (struct crumb[]){{NULL, "Bureau des stages"}}, 1);
    json_object_set_new(ctx, "form", form ? form : json_object());
    if (errs)
        add_errors(ctx, errs);
    flash(r, ctx);
    return http_page(r, status, "stages.html", ctx);
}

int page_stages(struct http_req *r)
{
    return periods_page(r, 200, NULL, NULL);
}

int page_stages_period_create(struct http_req *r)
{
    struct internship_period p = {0};
    struct field_errors errs = {0};
    text_field(r, "code", p.code, sizeof p.code);
    text_field(r, "label", p.label, sizeof p.label);
    text_field(r, "cohort", p.cohort, sizeof p.cohort);
    text_field(r, "kind", p.kind, sizeof p.kind);
    iso_field(r, "starts_on", p.starts_on, sizeof p.starts_on);
    iso_field(r, "ends_on", p.ends_on, sizeof p.ends_on);
    date_field(r, "wishes_open_at", "Ouverture des vœux", &p.wishes_open_at, &errs);
    date_field(r, "wishes_close_at", "Clôture des vœux", &p.wishes_close_at, &errs);
    const char *mw = http_form(r, "max_wishes");
    p.max_wishes =
        mw && strlen(mw) <= 2 && mw[0] >= '0' && mw[0] <= '9' ? (int)strtol(mw, NULL, 10) : 0;
    struct app_ctx c = handler_ctx(r);
    int64_t id = 0;
    int rc;
    if (errs.count) { /* a window date is not a date: say what else is wrong too */
        internship_period_validate(&p, &errs);
        rc = ERR_INVAL;
    } else {
        rc = app_period_create(&c, &p, &errs, &id);
    }
    if (rc == 0)
        return redirect_to(r, "/stages/periodes", (long long)id, "periode");
    if (rc != ERR_INVAL && rc != ERR_EXISTS)
        return fail_page(r, rc, "");
    static const char *const keys[] = {"code",       "label",   "cohort",         "kind",
                                       "starts_on",  "ends_on", "wishes_open_at", "wishes_close_at",
                                       "max_wishes", NULL};
    json_t *form = json_object();
    for (int i = 0; keys[i]; i++) {
        const char *v = http_form(r, keys[i]);
        json_object_set_new(form, keys[i], json_string(v ? v : ""));
    }
    return periods_page(r, 400, form, &errs);
}

static int period_page(struct http_req *r, unsigned status, const struct field_errors *errs)
{
    struct app_ctx c = handler_ctx(r);
    json_t *p = NULL;
    int rc = app_period_get(&c, r->params[0], &p);
    if (rc)
        return fail_page(r, rc, "Période inconnue.");
    json_t *ctx =
        json_pack("{ss so}", "title", json_string_value(json_object_get(p, "label")), "period", p);
    char href[64];
    snprintf(href, sizeof href, "/stages/periodes/%lld", (long long)r->params[0]);
    http_crumbs(ctx,
                (struct crumb[]){{"/stages", "Bureau des stages"},
                                 {NULL, json_string_value(json_object_get(p, "label"))}},
                2);
    if (errs)
        add_errors(ctx, errs);
    flash(r, ctx);
    return http_page(r, status, "stages_period.html", ctx);
}

int page_stages_period(struct http_req *r)
{
    return period_page(r, 200, NULL);
}

int page_stages_window(struct http_req *r)
{
    struct field_errors errs = {0};
    int64_t open = 0, close = 0;
    date_field(r, "wishes_open_at", "Ouverture des vœux", &open, &errs);
    date_field(r, "wishes_close_at", "Clôture des vœux", &close, &errs);
    /* The window closes at the end of its last day (23:59:59, Paris). */
    close += 86400 - 1;
    struct app_ctx c = handler_ctx(r);
    int rc = errs.count ? ERR_INVAL : app_period_set_window(&c, r->params[0], open, close, &errs);
    if (rc == 0)
        return redirect_to(r, "/stages/periodes", (long long)r->params[0], "fenetre");
    if (rc != ERR_INVAL)
        return fail_page(r, rc, "Période inconnue.");
    return period_page(r, 400, &errs);
}

static int list_page(struct http_req *r, bool places)
{
    struct app_ctx c = handler_ctx(r);
    json_t *p = NULL, *res = NULL;
    int page = 1;
    if (!http_page_arg(r, &page))
        return http_error_page(r, 400, "Numéro de page invalide.");
    int rc = app_period_get(&c, r->params[0], &p);
    if (rc == 0)
        rc = places ? app_place_list(&c, r->params[0], page, 50, &res)
                    : app_istudent_list(&c, r->params[0], page, 50, &res);
    if (rc) {
        json_decref(p);
        return fail_page(r, rc, "Période inconnue.");
    }
    const char *label = json_string_value(json_object_get(p, "label"));
    json_t *ctx = json_pack("{ss sO sb}", "title", places ? "Lieux de stage" : "Étudiants",
                            "period", p, "places_list", places);
    char href[64];
    snprintf(href, sizeof href, "/stages/periodes/%lld", (long long)r->params[0]);
    http_crumbs(ctx,
                (struct crumb[]){{"/stages", "Bureau des stages"},
                                 {href, label},
                                 {NULL, places ? "Lieux de stage" : "Étudiants"}},
                3);
    json_object_update(ctx, res);
    pager(ctx, res);
    json_decref(res);
    json_decref(p);
    return http_page(r, 200, "stages_list.html", ctx);
}

int page_stages_places(struct http_req *r)
{
    return list_page(r, true);
}

int page_stages_students(struct http_req *r)
{
    return list_page(r, false);
}

/* ---- runs ---- */

int page_stages_run_start(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    struct field_errors errs = {0};
    int64_t run = 0;
    const char *lottery = http_form(r, "lottery");
    int rc = app_run_start(&c, r->params[0], http_form(r, "method"), lottery ? lottery : "", &errs,
                           &run);
    if (rc == 0)
        return redirect_to(r, "/stages/affectations", (long long)run, "affectation");
    if (rc != ERR_INVAL)
        return fail_page(r, rc, "Période inconnue.");
    return period_page(r, 400, &errs);
}

static json_t *run_crumbs(json_t *ctx, const json_t *run, const char *last, long long run_id)
{
    const json_t *period = json_object_get(run, "period");
    char period_href[64], run_href[64]; /* http_crumbs copies them */
    snprintf(period_href, sizeof period_href, "/stages/periodes/%lld",
             (long long)json_integer_value(json_object_get(period, "id")));
    snprintf(run_href, sizeof run_href, "/stages/affectations/%lld", run_id);
    struct crumb items[] = {{"/stages", "Bureau des stages"},
                            {period_href, json_string_value(json_object_get(period, "label"))},
                            {last ? run_href : NULL, "Affectation"},
                            {NULL, last}};
    http_crumbs(ctx, items, last ? 4 : 3);
    return ctx;
}

int page_stages_run(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    json_t *run = NULL, *res = NULL;
    int page = 1;
    if (!http_page_arg(r, &page))
        return http_error_page(r, 400, "Numéro de page invalide.");
    const char *only = http_arg(r, "non_affectes");
    bool unassigned = only && strcmp(only, "1") == 0;
    int rc = app_run_get(&c, r->params[0], &run);
    if (rc == 0)
        rc = app_run_assignments(&c, r->params[0], unassigned, page, 50, &res);
    if (rc) {
        json_decref(run);
        return fail_page(r, rc, "Affectation inconnue.");
    }
    json_t *ctx =
        json_pack("{ss so sb}", "title", "Affectation", "run", run, "unassigned_only", unassigned);
    run_crumbs(ctx, run, NULL, (long long)r->params[0]);
    json_object_update(ctx, res);
    pager(ctx, res);
    json_decref(res);
    const char *replay = http_arg(r, "rejouer");
    if (replay && strcmp(replay, "1") == 0) {
        bool same = false;
        int64_t diffs = 0;
        if (app_run_replay(&c, r->params[0], &same, &diffs) == 0)
            json_object_set_new(
                ctx, "replay",
                json_pack("{sb sI}", "same", same, "differences", (json_int_t)diffs));
    }
    flash(r, ctx);
    return http_page(r, 200, "stages_run.html", ctx);
}

static int student_page(struct http_req *r, int64_t run_id, int64_t student_id, unsigned status,
                        const struct field_errors *errs, json_t *warnings, const char *msg,
                        json_t *pending)
{
    struct app_ctx c = handler_ctx(r);
    json_t *view = NULL;
    int rc = app_run_student(&c, run_id, student_id, &view);
    if (rc) {
        json_decref(warnings);
        json_decref(pending);
        return fail_page(r, rc, "Étudiant ou affectation inconnu.");
    }
    json_t *student = json_object_get(view, "student");
    char name[260];
    snprintf(name, sizeof name, "%s %s", json_string_value(json_object_get(student, "first_name")),
             json_string_value(json_object_get(student, "last_name")));
    json_t *ctx = json_pack("{ss}", "title", name);
    json_object_update(ctx, view);
    run_crumbs(ctx, json_object_get(view, "run"), name, (long long)run_id);
    json_decref(view);
    if (errs)
        add_errors(ctx, errs);
    if (warnings)
        json_object_set_new(ctx, "warnings", warnings);
    if (pending)
        json_object_set_new(ctx, "pending", pending);
    if (msg)
        json_object_set_new(ctx, "message", json_string(msg));
    flash(r, ctx);
    return http_page(r, status, "stages_student.html", ctx);
}

int page_stages_run_student(struct http_req *r)
{
    return student_page(r, r->params[0], r->params[1], 200, NULL, NULL, NULL, NULL);
}

int page_stages_adjust(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    struct field_errors errs = {0};
    int64_t student = id_field(r, "student");
    struct adjustment adj = {
        .action = http_form(r, "action"),
        .student_id = student,
        .place_id = id_field(r, "place"),
        .confirm = http_form(r, "confirm") && strcmp(http_form(r, "confirm"), "1") == 0,
    };
    const char *other = http_form(r, "other");
    if (adj.action && strcmp(adj.action, "swap") == 0) {
        json_t *run = NULL;
        int rc = app_run_get(&c, r->params[0], &run);
        if (rc)
            return fail_page(r, rc, "Affectation inconnue.");
        int64_t period = json_integer_value(json_object_get(run, "period_id"));
        json_decref(run);
        if (app_istudent_find(&c, period, other, &adj.other_student_id) != 0)
            adj.other_student_id = -1; /* app_run_adjust reports it */
    }
    json_t *warnings = NULL;
    char msg[256] = "";
    int rc = app_run_adjust(&c, r->params[0], &adj, &warnings, &errs, msg, sizeof msg);
    if (rc == 0) {
        char loc[128];
        snprintf(loc, sizeof loc, "/stages/affectations/%lld/etudiants/%lld?ok=ajustement",
                 (long long)r->params[0], (long long)student);
        return http_redirect(r, loc);
    }
    if (rc == ERR_CONFLICT || rc == ERR_INVAL) {
        json_t *pending = warnings ? json_pack("{ss sI sI ss}", "action", adj.action, "place",
                                               (json_int_t)adj.place_id, "student",
                                               (json_int_t)student, "other", other ? other : "")
                                   : NULL;
        return student_page(r, r->params[0], student, rc == ERR_CONFLICT ? 409 : 400, &errs,
                            warnings, msg[0] ? msg : NULL, pending);
    }
    return fail_page(r, rc, "Étudiant ou affectation inconnu.");
}

int page_stages_publish(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    char msg[256] = "";
    int rc = app_run_publish(&c, r->params[0], msg, sizeof msg);
    if (rc == 0)
        return redirect_to(r, "/stages/affectations", (long long)r->params[0], "publication");
    if (rc == ERR_CONFLICT)
        return http_error_page(r, 409, msg);
    return fail_page(r, rc, "Affectation inconnue.");
}

static int export(struct http_req *r, bool xlsx)
{
    struct app_ctx c = handler_ctx(r);
    struct buf out;
    buf_init(&out, (size_t)256 << 20);
    int rc = app_run_export(&c, r->params[0], xlsx, &out);
    if (rc) {
        buf_free(&out);
        return fail_page(r, rc, "Affectation inconnue.");
    }
    char name[64];
    snprintf(name, sizeof name, "affectation-%lld.%s", (long long)r->params[0],
             xlsx ? "xlsx" : "csv");
    int ret = http_send_download(
        r,
        xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
             : "text/csv; charset=utf-8",
        name, out.data, out.len);
    buf_free(&out);
    return ret;
}

int page_stages_export_csv(struct http_req *r)
{
    return export(r, false);
}

int page_stages_export_xlsx(struct http_req *r)
{
    return export(r, true);
}

int page_stages_letter(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    json_t *letter = NULL;
    int rc = app_placement_letter(&c, r->params[0], r->params[1], &letter);
    if (rc)
        return fail_page(r, rc, "Aucune affectation à ce nom.");
    json_t *ctx = json_pack("{ss}", "title", "Lettre d’affectation");
    json_object_update(ctx, letter);
    json_decref(letter);
    return http_page(r, 200, "stages_letter.html", ctx);
}

int page_stages_letters(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    int page = 1;
    if (!http_page_arg(r, &page))
        return http_error_page(r, 400, "Numéro de page invalide.");
    json_t *res = NULL;
    int rc = app_placement_letters(&c, r->params[0], page, 50, &res);
    if (rc)
        return fail_page(r, rc, "Affectation inconnue.");
    json_t *ctx = json_pack("{ss}", "title", "Lettres d’affectation");
    json_object_update(ctx, res);
    pager(ctx, res);
    json_decref(res);
    return http_page(r, 200, "stages_letters.html", ctx);
}

/* ---- students, tutors, heads of establishment ---- */

/*
 * The wishes page ranks with small forms, one action each (add, move up, move down, remove),
 * which work without JavaScript and keep the page light: a single list offers the compatible
 * places not chosen yet, grouped by site (a 1D student may have 1,500 of them).
 */
static int wishes_page(struct http_req *r, unsigned status, const struct field_errors *errs,
                       const char *msg)
{
    struct app_ctx c = handler_ctx(r);
    json_t *w = NULL;
    int rc = app_wishes_get(&c, 0, &w);
    if (rc == ERR_NOTFOUND)
        return http_error_page(r, 404, "Vous n’êtes inscrit(e) à aucune période de stage.");
    if (rc)
        return fail_page(r, rc, "");
    json_t *ctx = json_pack("{ss}", "title", "Mes vœux de stage");
    http_crumbs(ctx, (struct crumb[]){{NULL, "Mes vœux de stage"}}, 1);
    json_t *period = json_object_get(w, "period");
    json_t *wishes = json_object_get(json_object_get(w, "student"), "wishes_list");
    size_t n = json_array_size(wishes), i, j;
    json_t *it, *p;
    json_array_foreach(wishes, i, it)
    {
        json_object_set_new(it, "first", json_boolean(i == 0));
        json_object_set_new(it, "last", json_boolean(i + 1 == n));
    }
    /* The places still available, by site. */
    static const char *const sites[] = {"ain", "loire", "rhone"};
    json_t *groups = json_array();
    for (size_t k = 0; k < 3; k++) {
        json_t *options = json_array();
        json_array_foreach(json_object_get(w, "places"), i, p)
        {
            const char *site = json_string_value(json_object_get(p, "site"));
            if (!site || strcmp(site, sites[k]) != 0)
                continue;
            bool taken = false;
            json_array_foreach(wishes, j, it)
            {
                taken |= json_integer_value(json_object_get(it, "place_id")) ==
                         json_integer_value(json_object_get(p, "id"));
            }
            if (!taken)
                json_array_append_new(
                    options, json_pack("{sO sO sO sO}", "id", json_object_get(p, "id"),
                                       "establishment", json_object_get(p, "establishment"),
                                       "commune", json_object_get(p, "commune"), "class_level",
                                       json_object_get(p, "class_level")));
        }
        if (json_array_size(options))
            json_array_append_new(
                groups,
                json_pack("{ss so}", "label", trainer_site_label(sites[k]), "options", options));
        else
            json_decref(options);
    }
    json_object_set_new(ctx, "groups", groups);
    json_object_set_new(
        ctx, "can_add",
        json_boolean((int64_t)n < json_integer_value(json_object_get(period, "max_wishes"))));
    json_object_update(ctx, w);
    json_decref(w);
    if (errs)
        add_errors(ctx, errs);
    if (msg)
        json_object_set_new(ctx, "message", json_string(msg));
    flash(r, ctx);
    return http_page(r, status, "stages_wishes.html", ctx);
}

int page_stages_wishes(struct http_req *r)
{
    return wishes_page(r, 200, NULL, NULL);
}

int page_stages_wishes_save(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    json_t *w = NULL;
    int rc = app_wishes_get(&c, 0, &w);
    if (rc == ERR_NOTFOUND)
        return http_error_page(r, 404, "Vous n’êtes inscrit(e) à aucune période de stage.");
    if (rc)
        return fail_page(r, rc, "");
    int64_t ids[INTERNSHIP_MAX_WISHES + 1];
    int n = 0;
    size_t i;
    json_t *it;
    json_t *student = json_object_get(w, "student");
    json_array_foreach(json_object_get(student, "wishes_list"), i, it)
    {
        if (n < INTERNSHIP_MAX_WISHES)
            ids[n++] = json_integer_value(json_object_get(it, "place_id"));
    }
    int64_t student_id = json_integer_value(json_object_get(student, "id"));
    json_decref(w);
    const char *op = http_form(r, "op");
    const char *rank_text = http_form(r, "rank");
    int64_t rank = 0;
    bool has_rank = rank_text && http_parse_id(rank_text, &rank) && rank >= 1 && rank <= n;
    struct field_errors errs = {0};
    if (op && strcmp(op, "add") == 0) {
        int64_t place = id_field(r, "place");
        if (place == 0)
            field_errors_add(&errs, "place", "Choisissez un lieu à ajouter.");
        else
            ids[n++] = place; /* app_wishes_set checks the count and the place */
    } else if (op && has_rank && strcmp(op, "remove") == 0) {
        memmove(&ids[rank - 1], &ids[rank], (size_t)(n - rank) * sizeof ids[0]);
        n--;
    } else if (op && has_rank && (strcmp(op, "up") == 0 || strcmp(op, "down") == 0)) {
        int64_t other = strcmp(op, "up") == 0 ? rank - 1 : rank + 1;
        if (other >= 1 && other <= n) {
            int64_t t = ids[rank - 1];
            ids[rank - 1] = ids[other - 1];
            ids[other - 1] = t;
        }
    } else {
        field_errors_add(&errs, "op", "Action inconnue sur les vœux.");
    }
    char msg[256] = "";
    if (errs.count == 0)
        rc = app_wishes_set(&c, student_id, ids, n, &errs, msg, sizeof msg);
    else
        rc = ERR_INVAL;
    if (rc == 0)
        return http_redirect(r, "/stages/mes-voeux?ok=voeux");
    if (rc == ERR_INVAL || rc == ERR_CONFLICT)
        return wishes_page(r, rc == ERR_INVAL ? 400 : 409, &errs, msg[0] ? msg : NULL);
    return fail_page(r, rc, "Étudiant inconnu.");
}

int page_stages_mine(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    json_t *list = NULL;
    int rc = app_my_placements(&c, &list);
    if (rc)
        return fail_page(r, rc, "");
    json_t *ctx = json_pack("{ss so}", "title", "Mon stage", "placements", list);
    http_crumbs(ctx, (struct crumb[]){{NULL, "Mon stage"}}, 1);
    return http_page(r, 200, "stages_mine.html", ctx);
}

int page_stages_trainees(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    json_t *list = NULL;
    int rc = app_my_trainees(&c, &list);
    if (rc)
        return fail_page(r, rc, "");
    json_t *ctx = json_pack("{ss so}", "title", "Mes stagiaires", "trainees", list);
    http_crumbs(ctx, (struct crumb[]){{NULL, "Mes stagiaires"}}, 1);
    return http_page(r, 200, "stages_trainees.html", ctx);
}
