/*
 * What the pages that take an uploaded CSV file share (pages_import.c for trainers,
 * pages_placement_import.c for a period's places and students): the multipart/form-data body
 * parsed (http/multipart) with its "csrf" part checked in constant time before anything else is
 * looked at, the checkbox parts, the checks of the "file" part itself, the table of the import's
 * errors for the templates (partial import_errors.html), and the error pages of a failed import.
 * The messages are French and the same on every such page.
 */
#ifndef HTTP_UPLOAD_H
#define HTTP_UPLOAD_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "app/csv_import.h"
#include "http/http.h"
#include "http/multipart.h"

/* The message of a body that is not readable multipart/form-data, for the page's form. */
extern const char upload_unreadable[];

/*
 * Parses r's multipart body into *m (malloc'd; the caller frees it whatever the result, NULL
 * allowed) and checks its "csrf" part against the session's token. Returns 0; ERR_INVAL when the
 * body is not readable multipart/form-data (nothing queued: the caller shows its form with
 * upload_unreadable); or, with the error page already queued in *ret, ERR_DENIED when the token
 * is absent or wrong (403) and ERR_NOMEM (500).
 */
int upload_open(struct http_req *r, struct multipart **m, int *ret);

/* Whether the checkbox part name was sent checked ("1" or "on"). */
bool upload_checked(const struct multipart *m, const char *name);

/* Why the "file" part (NULL when absent) cannot be imported: no file chosen, empty, not UTF-8
 * text; NULL when it can. */
const char *upload_file_problem(const struct multipart_part *file);

/* The errors of an import's report as the JSON array import_errors.html shows ({line, column,
 * message} each); a new reference. */
json_t *upload_errors_json(const struct csv_import_error *errors, size_t nerrors);

/* Queues the error page of an import that failed with rc (neither 0 nor ERR_INVAL, whose result
 * has its own page): 403 with the message denied for ERR_DENIED, 409 for ERR_CONFLICT (the store
 * changed during the import), 500 otherwise; nothing was imported. Returns the MHD result. */
int upload_import_failed(struct http_req *r, int rc, const char *denied);

#endif
