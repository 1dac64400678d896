/*
 * The page that imports a period's internship places or students from a CSV file (bureau des
 * stages; docs/csv.md): the upload form, and the result of an import (counts, or the table of
 * bad rows with line, column and message). The upload is multipart/form-data, which the router
 * does not decode: http/upload parses it and checks the CSRF token of its "csrf" part in
 * constant time before anything else is looked at, as for the trainers' import (pages_import.c).
 * Problems with the upload itself (no file, empty, not UTF-8, unknown kind, malformed body) give
 * a 400 page with the form; problems with the rows give the result page. The template escapes
 * every piece of user data (file name, values quoted in messages).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/placement.h"
#include "app/placement_csv.h"
#include "core/err.h"
#include "core/log.h"
#include "http/routes.h"
#include "http/upload.h"

/* The page's context for period (borrowed; its id, code and label are copied). */
static json_t *page_ctx(const json_t *period, int kind, bool partial)
{
    int64_t id = json_integer_value(json_object_get(period, "id"));
    const char *label = json_string_value(json_object_get(period, "label"));
    const char *code = json_string_value(json_object_get(period, "code"));
    char href[48];
    int n = snprintf(href, sizeof href, "/stages/periodes/%" PRId64, id);
    json_t *ctx = json_pack("{ss s{sI ss ss} sb sb sb}", "title",
                            "Import des lieux de stage et des étudiants", "period", "id",
                            (json_int_t)id, "code", code ? code : "", "label", label ? label : "",
                            "kind_places", kind != PLACEMENT_CSV_STUDENTS, "kind_students",
                            kind == PLACEMENT_CSV_STUDENTS, "partial", partial);
    if (!ctx)
        return NULL;
    http_crumbs(
        ctx,
        (struct crumb[]){{"/stages", "Bureau des stages"},
                         {n > 0 && (size_t)n < sizeof href ? href : NULL, label ? label : ""},
                         {NULL, "Import CSV"}},
        3);
    return ctx;
}

/* The period of the route's {id}: 0, or an error page already queued in *ret. */
static int load_period(struct http_req *r, json_t **period, int *ret)
{
    struct app_ctx c = handler_ctx(r);
    int rc = app_period_get(&c, r->params[0], period);
    if (rc == 0)
        return 0;
    if (rc == ERR_NOTFOUND)
        *ret = http_error_page(r, 404, "Cette période de stage n’existe pas.");
    else if (rc == ERR_DENIED)
        *ret = http_error_page(r, 403, "Votre rôle ne permet pas d’importer des stages.");
    else
        *ret = http_error_page(r, 500, "La période est momentanément illisible.");
    return rc;
}

int page_placement_import_form(struct http_req *r)
{
    json_t *period = NULL;
    int ret;
    if (load_period(r, &period, &ret) != 0)
        return ret;
    ret = http_page(r, 200, "stages_import.html", page_ctx(period, PLACEMENT_CSV_PLACES, false));
    json_decref(period);
    return ret;
}

/* The form again, with a message about the upload itself; nothing was changed. */
static int upload_error(struct http_req *r, const json_t *period, int kind, bool partial,
                        const char *message)
{
    json_t *ctx = page_ctx(period, kind, partial);
    json_object_set_new(ctx, "upload_error", json_string(message));
    return http_page(r, 400, "stages_import.html", ctx);
}

/* The "kind" part: places or students; -1 when absent or anything else. */
static int kind_of(const struct multipart *m)
{
    const struct multipart_part *p = multipart_get(m, "kind");
    char v[16];
    if (!p || p->len >= sizeof v)
        return -1;
    memcpy(v, p->data, p->len);
    v[p->len] = '\0';
    return placement_csv_kind_parse(v);
}

static json_t *report_json(const json_t *period, const struct placement_csv_report *rep, int kind,
                           const char *filename, bool partial)
{
    json_t *errors = upload_errors_json(rep->errors, rep->nerrors);
    json_t *ctx = page_ctx(period, kind, partial);
    json_object_set_new(
        ctx, "result",
        json_pack("{sb ss sb sI sI sI sI so}", "committed", rep->committed, "filename", filename,
                  "places", kind == PLACEMENT_CSV_PLACES, "rows", (json_int_t)rep->rows, "imported",
                  (json_int_t)rep->imported, "rejected", (json_int_t)rep->rejected,
                  "errors_dropped", (json_int_t)rep->errors_dropped, "errors", errors));
    return ctx;
}

/* Runs the import of one uploaded file and renders its result. */
static int import_file(struct http_req *r, const json_t *period, int kind,
                       const struct multipart_part *file, bool partial)
{
    struct app_ctx c = handler_ctx(r);
    struct placement_csv_report rep;
    int rc =
        placement_csv_import(&c, r->params[0], (enum placement_csv_kind)kind, file->data, file->len,
                             partial ? PLACEMENT_CSV_PARTIAL : PLACEMENT_CSV_ALL_OR_NOTHING, &rep);
    log_info("placement_import req=%s user=%s period=%" PRId64 " kind=%s rc=%s rows=%zu "
             "imported=%zu rejected=%zu partial=%d",
             r->id, r->user.login, r->params[0],
             kind == PLACEMENT_CSV_PLACES ? "places" : "students", err_name(rc), rep.rows,
             rep.imported, rep.rejected, (int)partial);
    int ret;
    if (rc == 0 || rc == ERR_INVAL)
        ret = http_page(r, rc == 0 ? 200 : 400, "stages_import.html",
                        report_json(period, &rep, kind, file->filename, partial));
    else if (rc == ERR_NOTFOUND)
        ret = http_error_page(r, 404, "Cette période de stage n’existe pas.");
    else
        ret = upload_import_failed(r, rc, "Votre rôle ne permet pas d’importer des stages.");
    placement_csv_report_free(&rep);
    return ret;
}

int page_placement_import(struct http_req *r)
{
    struct multipart *m = NULL;
    json_t *period = NULL;
    int ret;
    /* The token first: nothing of a forged request is looked at, not even the period. */
    int parsed = upload_open(r, &m, &ret);
    if (parsed == ERR_DENIED || parsed == ERR_NOMEM)
        goto done;
    if (load_period(r, &period, &ret) != 0)
        goto done;
    if (parsed != 0) {
        ret = upload_error(r, period, PLACEMENT_CSV_PLACES, false, upload_unreadable);
        goto done;
    }
    bool partial = upload_checked(m, "partial");
    int kind = kind_of(m);
    const struct multipart_part *file = multipart_get(m, "file");
    const char *problem = upload_file_problem(file);
    if (kind < 0)
        ret = upload_error(r, period, PLACEMENT_CSV_PLACES, partial,
                           "Choisissez ce que contient le fichier : des lieux de stage ou des "
                           "étudiants.");
    else if (problem)
        ret = upload_error(r, period, kind, partial, problem);
    else
        ret = import_file(r, period, kind, file, partial);
done:
    json_decref(period);
    free(m);
    return ret;
}
