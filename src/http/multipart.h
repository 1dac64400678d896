/*
 * multipart/form-data bodies (RFC 7578, the subset browsers send): the boundary taken from the
 * Content-Type header, then each part's Content-Disposition (form-data, name, optional filename)
 * and optional Content-Type, and its data. The whole body is already in memory (server.c
 * accumulates it up to the route's limit), so parts are returned as (pointer, length) pairs into
 * that body: nothing is copied but the short header values. The parser reads only inside
 * body[0..len) whatever the input (fuzzed by tests/fuzz/fuzz_multipart.c).
 *
 * Accepted: a preamble before the first delimiter and an epilogue after the last one (RFC 2046),
 * transport padding (spaces, tabs) after a delimiter, header names in any case, parameters in any
 * case and order, quoted or bare (token) parameter values. As browsers do (WHATWG "multipart/
 * form-data encoding algorithm"), a quoted value ends at the next '"' and backslashes are data:
 * a browser sends C:\dir\f.csv as is and a '"' in a file name as %22, which is kept undecoded.
 * Line breaks are CRLF everywhere outside part data, as RFC 2046 requires; a part's data is
 * everything between the blank line that ends its headers and the CRLF before the next delimiter.
 */
#ifndef HTTP_MULTIPART_H
#define HTTP_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#define MULTIPART_MAX_PARTS        32
#define MULTIPART_BOUNDARY_MAX     70   /* RFC 2046 */
#define MULTIPART_NAME_MAX         100  /* bytes of a part's name */
#define MULTIPART_FILENAME_MAX     255  /* bytes of a file name */
#define MULTIPART_CONTENT_TYPE_MAX 127  /* bytes of a part's Content-Type */
#define MULTIPART_HEADERS_MAX      8192 /* bytes of one part's header block */

struct multipart_part {
    char name[MULTIPART_NAME_MAX + 1];         /* form field name: non-empty, UTF-8 */
    char filename[MULTIPART_FILENAME_MAX + 1]; /* "" when none was given; UTF-8 */
    bool has_filename;                         /* a filename parameter was present (maybe "") */
    char content_type[MULTIPART_CONTENT_TYPE_MAX + 1]; /* "" when the part had none */
    const char *data; /* points into the body; not NUL-terminated */
    size_t len;
};

struct multipart {
    struct multipart_part parts[MULTIPART_MAX_PARTS];
    size_t nparts;
};

/*
 * Copies the boundary parameter of a Content-Type header value ("multipart/form-data;
 * boundary=xyz", media type and parameter name in any case, value quoted or not) into out
 * (MULTIPART_BOUNDARY_MAX + 1 bytes). Returns 0, or ERR_INVAL when content_type is NULL, is not
 * multipart/form-data, has no boundary, or the boundary is not 1 to 70 characters of RFC 2046's
 * bchars (letters, digits, '()+_,-./:=? and space, not last).
 */
int multipart_boundary(const char *content_type, char *out);

/*
 * Parses body[0..len) sent with the Content-Type header value content_type into m (which the
 * caller provides; about 16 KiB, so not on a small stack). The parts point into body, which must
 * outlive m. Returns 0, or:
 *   ERR_INVAL   bad Content-Type or boundary, no delimiter, a part without its blank line or
 *               without "Content-Disposition: form-data; name=…", a header line that is not
 *               "Name: value", a name or file name that is not UTF-8 or has control characters,
 *               or a body that ends before the close delimiter (truncated upload);
 *   ERR_TOOBIG  more than MULTIPART_MAX_PARTS parts, a header block over MULTIPART_HEADERS_MAX,
 *               or a name, file name or content type longer than its field.
 * On error m->nparts is 0.
 */
int multipart_parse(const char *content_type, const char *body, size_t len, struct multipart *m);

/* The first part called name, or NULL. */
const struct multipart_part *multipart_get(const struct multipart *m, const char *name);

#endif
