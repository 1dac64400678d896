/*
 * The upload pages' shared steps (upload.h). The CSRF token of a multipart form cannot be checked
 * by the router, which decodes only urlencoded bodies, so it is checked here, in constant time in
 * the token's bytes, as soon as the body is parsed.
 */
#include "http/upload.h"

#include <microhttpd.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/utf8.h"

const char upload_unreadable[] = "L’envoi est illisible (formulaire mal formé ou interrompu) : "
                                 "rechargez la page et recommencez.";

/* Does the "csrf" part hold the session's token? Constant time in the token's bytes. */
static bool csrf_ok(const struct http_req *r, const struct multipart *m)
{
    const struct multipart_part *p = multipart_get(m, "csrf");
    size_t n = strlen(r->csrf);
    return p && n > 0 && p->len == n && sodium_memcmp(p->data, r->csrf, n) == 0;
}

int upload_open(struct http_req *r, struct multipart **m, int *ret)
{
    const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
    *m = malloc(sizeof **m);
    if (!*m) {
        *ret = http_error_page(r, 500, "Mémoire insuffisante.");
        return ERR_NOMEM;
    }
    if (multipart_parse(ct, r->body.data, r->body.len, *m) != 0)
        return ERR_INVAL;
    if (!csrf_ok(r, *m)) {
        *ret = http_error_page(r, 403,
                               "Jeton de sécurité (CSRF) absent ou invalide : rechargez la page "
                               "et recommencez.");
        return ERR_DENIED;
    }
    return 0;
}

bool upload_checked(const struct multipart *m, const char *name)
{
    const struct multipart_part *p = multipart_get(m, name);
    return p &&
           ((p->len == 1 && p->data[0] == '1') || (p->len == 2 && memcmp(p->data, "on", 2) == 0));
}

const char *upload_file_problem(const struct multipart_part *file)
{
    if (!file || !file->has_filename || (!file->filename[0] && file->len == 0))
        return "Aucun fichier n’a été envoyé : choisissez un fichier CSV.";
    if (file->len == 0)
        return "Le fichier envoyé est vide.";
    if (!utf8_valid(file->data, file->len))
        return "Le fichier n’est pas un fichier texte en UTF-8 : dans le tableur, "
               "enregistrez-le au format « CSV UTF-8 (délimité par des points-virgules) ».";
    return NULL;
}

json_t *upload_errors_json(const struct csv_import_error *errors, size_t nerrors)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < nerrors; i++) {
        const struct csv_import_error *e = &errors[i];
        json_array_append_new(arr, json_pack("{sI ss ss}", "line", (json_int_t)e->line, "column",
                                             e->column, "message", e->message));
    }
    return arr;
}

int upload_import_failed(struct http_req *r, int rc, const char *denied)
{
    if (rc == ERR_DENIED)
        return http_error_page(r, 403, denied);
    if (rc == ERR_CONFLICT)
        return http_error_page(r, 409,
                               "Les données ont changé pendant l’import ; rien n’a été importé. "
                               "Envoyez le fichier de nouveau.");
    return http_error_page(r, 500, "L’import a échoué ; rien n’a été importé.");
}
