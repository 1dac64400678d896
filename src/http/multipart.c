/*
 * The multipart/form-data parser of multipart.h: it walks an in-memory body from delimiter to
 * delimiter, reads each part's header block line by line, and hands the data back as pointers
 * into the body. Every read is bounded by the body's length (the delimiter search is glibc's
 * memmem, linear in the body); header blocks, names and the number of parts have hard limits, so
 * a hostile upload costs one pass over its bytes and a fixed amount of memory.
 */
#include "http/multipart.h"

#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/utf8.h"

/* A (pointer, length) view of part of the input. */
struct span {
    const char *p;
    size_t n;
};

static bool is_ows(char c)
{
    return c == ' ' || c == '\t';
}

/* RFC 7230 tchar: what header names, media types and parameter names are made of. */
static bool is_tchar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* RFC 2046 bchars, space excepted (checked apart: allowed, but not last). */
static bool is_bchar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != '\0' && strchr("'()+_,-./:=?", c) != NULL;
}

static bool span_is(struct span s, const char *lit)
{
    size_t n = strlen(lit);
    return s.n == n && strncasecmp(s.p, lit, n) == 0;
}

static void skip_ows(const char *s, size_t len, size_t *i)
{
    while (*i < len && is_ows(s[*i]))
        (*i)++;
}

/* Reads a token at s[*i]; false when there is none. */
static bool read_token(const char *s, size_t len, size_t *i, struct span *out)
{
    size_t start = *i;
    while (*i < len && is_tchar(s[*i]))
        (*i)++;
    out->p = s + start;
    out->n = *i - start;
    return out->n > 0;
}

/*
 * Reads a parameter value at s[*i]: a quoted string (up to the next '"', without escapes, as
 * browsers write them; see multipart.h) or a token. False when there is neither or the quote is
 * not closed.
 */
static bool read_value(const char *s, size_t len, size_t *i, struct span *out)
{
    if (*i < len && s[*i] == '"') {
        const char *end = memchr(s + *i + 1, '"', len - *i - 1);
        if (!end)
            return false;
        out->p = s + *i + 1;
        out->n = (size_t)(end - out->p);
        *i = (size_t)(end - s) + 1;
        return true;
    }
    return read_token(s, len, i, out);
}

/*
 * Walks the parameters "; name=value" that follow a media type or disposition type in
 * s[*i..len), calling fn for each. A trailing ';' is tolerated. Returns 0, ERR_INVAL on a syntax
 * error, or fn's error.
 */
static int each_param(const char *s, size_t len, size_t i,
                      int (*fn)(void *arg, struct span name, struct span value), void *arg)
{
    for (;;) {
        skip_ows(s, len, &i);
        if (i == len)
            return 0;
        if (s[i] != ';')
            return ERR_INVAL;
        i++;
        skip_ows(s, len, &i);
        if (i == len)
            return 0;
        struct span name, value;
        if (!read_token(s, len, &i, &name))
            return ERR_INVAL;
        skip_ows(s, len, &i);
        if (i == len || s[i] != '=')
            return ERR_INVAL;
        i++;
        skip_ows(s, len, &i);
        if (!read_value(s, len, &i, &value))
            return ERR_INVAL;
        int rc = fn(arg, name, value);
        if (rc)
            return rc;
    }
}

struct boundary_arg {
    char *out;
    bool found;
};

static int boundary_param(void *arg, struct span name, struct span value)
{
    struct boundary_arg *b = arg;
    if (!span_is(name, "boundary") || b->found)
        return 0; /* the first boundary counts, as in browsers and MHD */
    if (value.n == 0 || value.n > MULTIPART_BOUNDARY_MAX || value.p[value.n - 1] == ' ')
        return ERR_INVAL;
    for (size_t k = 0; k < value.n; k++)
        if (!is_bchar(value.p[k]) && value.p[k] != ' ')
            return ERR_INVAL;
    memcpy(b->out, value.p, value.n);
    b->out[value.n] = '\0';
    b->found = true;
    return 0;
}

int multipart_boundary(const char *content_type, char *out)
{
    if (!content_type)
        return ERR_INVAL;
    size_t len = strlen(content_type), i = 0;
    skip_ows(content_type, len, &i);
    static const char type[] = "multipart/form-data";
    if (len - i < sizeof type - 1 || strncasecmp(content_type + i, type, sizeof type - 1) != 0)
        return ERR_INVAL;
    i += sizeof type - 1;
    if (i < len && content_type[i] != ';' && !is_ows(content_type[i]))
        return ERR_INVAL; /* multipart/form-datax */
    struct boundary_arg b = {.out = out};
    int rc = each_param(content_type, len, i, boundary_param, &b);
    if (rc)
        return rc;
    return b.found ? 0 : ERR_INVAL;
}

/* Copies v into dst (size n) if it fits and is UTF-8 text without control characters. */
static int copy_text(char *dst, size_t n, struct span v)
{
    if (v.n >= n)
        return ERR_TOOBIG;
    if (!utf8_valid(v.p, v.n))
        return ERR_INVAL;
    for (size_t k = 0; k < v.n; k++) {
        unsigned char c = (unsigned char)v.p[k];
        if (c < 0x20 || c == 0x7f)
            return ERR_INVAL;
    }
    memcpy(dst, v.p, v.n);
    dst[v.n] = '\0';
    return 0;
}

struct disposition_arg {
    struct multipart_part *part;
    bool has_name;
};

static int disposition_param(void *arg, struct span name, struct span value)
{
    struct disposition_arg *d = arg;
    struct multipart_part *p = d->part;
    if (span_is(name, "name")) {
        if (d->has_name || value.n == 0)
            return ERR_INVAL; /* a second name would make the part ambiguous */
        d->has_name = true;
        return copy_text(p->name, sizeof p->name, value);
    }
    if (span_is(name, "filename")) {
        if (p->has_filename)
            return ERR_INVAL;
        p->has_filename = true;
        return copy_text(p->filename, sizeof p->filename, value);
    }
    return 0; /* filename* (RFC 7578 section 4.2: not to be used) and others are ignored */
}

/* Content-Disposition: form-data; name="…"[; filename="…"] */
static int parse_disposition(const char *v, size_t len, struct multipart_part *p)
{
    size_t i = 0;
    struct span type;
    if (!read_token(v, len, &i, &type) || !span_is(type, "form-data"))
        return ERR_INVAL;
    struct disposition_arg d = {.part = p};
    int rc = each_param(v, len, i, disposition_param, &d);
    if (rc)
        return rc;
    return d.has_name ? 0 : ERR_INVAL;
}

/* One header line "Name: value" (without its CRLF) of a part. */
static int parse_header(const char *line, size_t len, struct multipart_part *p, bool *has_cd)
{
    for (size_t k = 0; k < len; k++) {
        unsigned char c = (unsigned char)line[k];
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return ERR_INVAL; /* a lone CR or LF, a NUL… */
    }
    size_t i = 0;
    struct span name;
    if (!read_token(line, len, &i, &name) || i == len || line[i] != ':')
        return ERR_INVAL;
    i++;
    skip_ows(line, len, &i);
    size_t end = len;
    while (end > i && is_ows(line[end - 1]))
        end--;
    if (span_is(name, "content-disposition")) {
        if (*has_cd)
            return ERR_INVAL;
        *has_cd = true;
        return parse_disposition(line + i, end - i, p);
    }
    if (span_is(name, "content-type")) {
        if (end - i >= sizeof p->content_type)
            return ERR_TOOBIG;
        memcpy(p->content_type, line + i, end - i);
        p->content_type[end - i] = '\0';
    }
    return 0;
}

/*
 * Reads the header block that starts at body[*pos] up to and including its blank line; *pos
 * then points at the part's data.
 */
static int parse_headers(const char *body, size_t len, size_t *pos, struct multipart_part *p)
{
    const size_t start = *pos;
    size_t i = start;
    bool has_cd = false;
    for (;;) {
        size_t room = len - i;
        size_t limit = start + MULTIPART_HEADERS_MAX + 2 - i; /* +2: the blank line */
        const char *eol = memmem(body + i, room < limit ? room : limit, "\r\n", 2);
        if (!eol)
            return room < limit ? ERR_INVAL : ERR_TOOBIG;
        size_t n = (size_t)(eol - (body + i));
        if (n == 0) {
            *pos = i + 2;
            return has_cd ? 0 : ERR_INVAL;
        }
        int rc = parse_header(body + i, n, p, &has_cd);
        if (rc)
            return rc;
        i += n + 2;
        if (i - start > MULTIPART_HEADERS_MAX)
            return ERR_TOOBIG;
    }
}

int multipart_parse(const char *content_type, const char *body, size_t len, struct multipart *m)
{
    char boundary[MULTIPART_BOUNDARY_MAX + 1];
    char delim[MULTIPART_BOUNDARY_MAX + 4]; /* CRLF "--" boundary */
    memset(m, 0, sizeof *m);
    if (!body) { /* memmem and memcmp must not see NULL, even for 0 bytes */
        body = "";
        len = 0;
    }
    int rc = multipart_boundary(content_type, boundary);
    if (rc)
        return rc;
    size_t blen = strlen(boundary);
    memcpy(delim, "\r\n--", 4);
    memcpy(delim + 4, boundary, blen);
    size_t dlen = blen + 4;

    /* The first delimiter opens the body, or ends a preamble with its CRLF. */
    size_t pos;
    if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0) {
        pos = dlen - 2;
    } else {
        const char *d = memmem(body, len, delim, dlen);
        if (!d)
            return ERR_INVAL;
        pos = (size_t)(d - body) + dlen;
    }
    for (;;) {
        /* pos is just after a delimiter: "--" closes, else padding and CRLF open a part. */
        if (len - pos >= 2 && body[pos] == '-' && body[pos + 1] == '-')
            return 0; /* the epilogue, if any, is ignored */
        skip_ows(body, len, &pos);
        if (len - pos < 2 || body[pos] != '\r' || body[pos + 1] != '\n') {
            rc = ERR_INVAL;
            break;
        }
        pos += 2;
        if (m->nparts == MULTIPART_MAX_PARTS) {
            rc = ERR_TOOBIG;
            break;
        }
        struct multipart_part *p = &m->parts[m->nparts];
        if ((rc = parse_headers(body, len, &pos, p)) != 0)
            break;
        const char *end = memmem(body + pos, len - pos, delim, dlen);
        if (!end) {
            rc = ERR_INVAL; /* truncated: no delimiter after the data */
            break;
        }
        p->data = body + pos;
        p->len = (size_t)(end - p->data);
        m->nparts++;
        pos = (size_t)(end - body) + dlen;
    }
    m->nparts = 0;
    return rc;
}

const struct multipart_part *multipart_get(const struct multipart *m, const char *name)
{
    for (size_t i = 0; i < m->nparts; i++)
        if (strcmp(m->parts[i].name, name) == 0)
            return &m->parts[i];
    return NULL;
}
