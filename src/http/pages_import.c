/*
 * Pages of the CSV import and export of trainers (docs/csv.md): the upload form, the result of
 * an import (counts and the table of bad rows), and the export download. The upload is
 * multipart/form-data, which the router does not decode: this file parses it (http/multipart)
 * and checks the CSRF token of its "csrf" part itself, in constant time, before anything else is
 * looked at. Problems with the upload itself (no file, empty, not UTF-8, malformed body) give a
 * 400 page with the form; problems with the rows give the result page. Either way the template
 * escapes every piece of user data (file name, values quoted in messages).
 */
#include <microhttpd.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "app/trainer_csv.h"
#include "core/err.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "http/multipart.h"
#include "http/routes.h"

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

/* Does the "csrf" part hold the session's token? Constant time in the token's bytes. */
static bool csrf_ok(const struct http_req *r, const struct multipart *m)
{
    const struct multipart_part *p = multipart_get(m, "csrf");
    size_t n = strlen(r->csrf);
    return p && n > 0 && p->len == n && sodium_memcmp(p->data, r->csrf, n) == 0;
}

static bool checked(const struct multipart *m, const char *name)
{
    const struct multipart_part *p = multipart_get(m, name);
    return p &&
           ((p->len == 1 && p->data[0] == '1') || (p->len == 2 && memcmp(p->data, "on", 2) == 0));
}

static json_t *report_json(const struct trainer_csv_report *rep, const char *filename, bool partial)
{
    json_t *errors = json_array();
    for (size_t i = 0; i < rep->nerrors; i++) {
        const struct trainer_csv_error *e = &rep->errors[i];
        json_array_append_new(errors, json_pack("{sI ss ss}", "line", (json_int_t)e->line, "column",
                                                e->column, "message", e->message));
    }
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
    else if (rc == ERR_DENIED)
        ret = http_error_page(r, 403, "Votre rôle ne permet pas d’importer des formateurs.");
    else if (rc == ERR_CONFLICT)
        ret = http_error_page(r, 409,
                              "Les données ont changé pendant l’import ; rien n’a été importé. "
                              "Envoyez le fichier de nouveau.");
    else
        ret = http_error_page(r, 500, "L’import a échoué ; rien n’a été importé.");
    trainer_csv_report_free(&rep);
    return ret;
}

int page_import(struct http_req *r)
{
    const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
    struct multipart *m = malloc(sizeof *m);
    if (!m)
        return http_error_page(r, 500, "Mémoire insuffisante.");
    int ret;
    if (multipart_parse(ct, r->body.data, r->body.len, m) != 0) {
        ret = upload_error(r, false,
                           "L’envoi est illisible (formulaire mal formé ou interrompu) : "
                           "rechargez la page et recommencez.");
        goto done;
    }
    if (!csrf_ok(r, m)) {
        ret = http_error_page(r, 403,
                              "Jeton de sécurité (CSRF) absent ou invalide : rechargez la page "
                              "et recommencez.");
        goto done;
    }
    bool partial = checked(m, "partial");
    const struct multipart_part *file = multipart_get(m, "file");
    if (!file || !file->has_filename || (!file->filename[0] && file->len == 0))
        ret = upload_error(r, partial, "Aucun fichier n’a été envoyé : choisissez un fichier CSV.");
    else if (file->len == 0)
        ret = upload_error(r, partial, "Le fichier envoyé est vide.");
    else if (!utf8_valid(file->data, file->len))
        ret = upload_error(r, partial,
                           "Le fichier n’est pas un fichier texte en UTF-8 : dans le tableur, "
                           "enregistrez-le au format « CSV UTF-8 (délimité par des "
                           "points-virgules) ».");
    else
        ret = import_file(r, file, partial);
done:
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
