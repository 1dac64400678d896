/*
 * Pages of the CSV import and export of trainers (docs/csv.md): the upload form, the result of
 * an import (counts and the table of bad rows), and the export download. The upload is
 * multipart/form-data, which the router does not decode: http/upload parses it and checks the
 * CSRF token of its "csrf" part, in constant time, before anything else is looked at. Problems
 * with the upload itself (no file, empty, not UTF-8, malformed body) give a 400 page with the
 * form; problems with the rows give the result page. Either way the template escapes every piece
 * of user data (file name, values quoted in messages).
 */
#include <stdlib.h>

#include "app/trainer_csv.h"
#include "core/err.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "http/routes.h"
#include "http/upload.h"

#define EXPORT_MAX ((size_t)64 << 20)

static json_t *page_ctx(void)
{
    json_t *ctx = json_pack("{ss}", "title", "Import et export des formateurs");
    http_crumbs(ctx,
                (struct crumb[]){{"/formateurs", "Cartographie des formateurs"},
                                 {NULL, "Import et export"}},
                2);
    return ctx;
}

int page_import_form(struct http_req *r)
{
    return http_page(r, 200, "import.html", page_ctx());
}

/* The form again, with a message about the upload itself; nothing was changed. */
static int upload_error(struct http_req *r, bool partial, const char *message)
{
    json_t *ctx = page_ctx();
    json_object_set_new(ctx, "upload_error", json_string(message));
    json_object_set_new(ctx, "partial", json_boolean(partial));
    return http_page(r, 400, "import.html", ctx);
}

static json_t *report_json(const struct trainer_csv_report *rep, const char *filename, bool partial)
{
    json_t *errors = upload_errors_json(rep->errors, rep->nerrors);
    json_t *ctx = page_ctx();
    json_object_set_new(ctx, "result",
                        json_pack("{sb ss sI sI sI sI sI sI so}", "imported", rep->imported,
                                  "filename", filename, "rows", (json_int_t)rep->rows, "created",
                                  (json_int_t)rep->created, "updated", (json_int_t)rep->updated,
                                  "unchanged", (json_int_t)rep->unchanged, "rejected",
                                  (json_int_t)rep->rejected, "errors_dropped",
                                  (json_int_t)rep->errors_dropped, "errors", errors));
    json_object_set_new(ctx, "partial", json_boolean(partial));
    return ctx;
}

/* Runs the import of one uploaded file and renders its result. */
static int import_file(struct http_req *r, const struct multipart_part *file, bool partial)
{
    struct app_ctx c = handler_ctx(r);
    struct trainer_csv_report rep;
    int rc = trainer_csv_import(&c, file->data, file->len,
                                partial ? TRAINER_CSV_PARTIAL : TRAINER_CSV_ALL_OR_NOTHING, &rep);
    log_info("import req=%s user=%s rc=%s rows=%zu created=%zu updated=%zu unchanged=%zu "
             "rejected=%zu partial=%d",
             r->id, r->user.login, err_name(rc), rep.rows, rep.created, rep.updated, rep.unchanged,
             rep.rejected, (int)partial);
    int ret;
    if (rc == 0 || rc == ERR_INVAL)
        ret = http_page(r, rc == 0 ? 200 : 400, "import.html",
                        report_json(&rep, file->filename, partial));
    else
        ret = upload_import_failed(r, rc, "Votre rôle ne permet pas d’importer des formateurs.");
    trainer_csv_report_free(&rep);
    return ret;
}

int page_import(struct http_req *r)
{
    struct multipart *m = NULL;
    int ret;
    int rc = upload_open(r, &m, &ret);
    if (rc == ERR_INVAL) {
        ret = upload_error(r, false, upload_unreadable);
    } else if (rc == 0) {
        bool partial = upload_checked(m, "partial");
        const struct multipart_part *file = multipart_get(m, "file");
        const char *problem = upload_file_problem(file);
        ret = problem ? upload_error(r, partial, problem) : import_file(r, file, partial);
    }
    free(m);
    return ret;
}

int page_export_csv(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    struct buf out;
    buf_init(&out, EXPORT_MAX);
    size_t count = 0;
    int rc = trainer_csv_export(&c, &out, NULL, NULL, &count);
    int ret;
    if (rc == ERR_DENIED)
        ret = http_error_page(r, 403, "Votre rôle ne permet pas d’exporter les formateurs.");
    else if (rc)
        ret = http_error_page(r, 500, "L’export est momentanément impossible.");
    else
        ret = http_send_download(r, "text/csv; charset=utf-8", "formateurs.csv", out.data, out.len);
    if (rc == 0)
        log_info("export req=%s user=%s rows=%zu bytes=%zu", r->id, r->user.login, count, out.len);
    buf_free(&out);
    return ret;
}
