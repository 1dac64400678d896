/* struct buf: bounded, NUL-terminated growable strings, and the escaping appenders. */
#include "core/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

static char empty[1];

void buf_init(struct buf *b, size_t max)
{
    b->data = empty;
    b->len = 0;
    b->cap = 0;
    b->max = max ? max : BUF_DEFAULT_MAX;
    b->err = 0;
}

void buf_free(struct buf *b)
{
    if (b->cap)
        free(b->data);
    size_t max = b->max;
    buf_init(b, max);
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->cap)
        b->data[0] = '\0';
    b->err = 0;
}

bool buf_failed(const struct buf *b)
{
    return b->err != 0;
}

static int fail(struct buf *b, int rc)
{
    if (!b->err)
        b->err = rc;
    return rc;
}

/* Makes room for extra more bytes plus the NUL. */
static int grow(struct buf *b, size_t extra)
{
    if (b->err)
        return b->err;
    if (extra > b->max - b->len)
        return fail(b, ERR_TOOBIG);
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = b->cap ? realloc(b->data, cap) : malloc(cap);
    if (!p)
        return fail(b, ERR_NOMEM);
    if (!b->cap)
        p[0] = '\0';
    b->data = p;
    b->cap = cap;
    return 0;
}

int buf_append(struct buf *b, const void *data, size_t len)
{
    int rc = grow(b, len);
    if (rc)
        return rc;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int buf_puts(struct buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

int buf_putc(struct buf *b, char c)
{
    return buf_append(b, &c, 1);
}

int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, cp);
    va_end(cp);
    if (n < 0)
        return fail(b, ERR_INVAL);
    if ((size_t)n < sizeof small)
        return buf_append(b, small, (size_t)n);
    int rc = grow(b, (size_t)n);
    if (rc)
        return rc;
    int m = vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    if (m != n)
        return fail(b, ERR_INVAL);
    b->len += (size_t)n;
    return 0;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

int buf_html(struct buf *b, const char *s, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        const char *rep;
        switch (s[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            continue;
        }
        buf_append(b, s + start, i - start);
        buf_puts(b, rep);
        start = i + 1;
    }
    buf_append(b, s + start, len - start);
    return b->err;
}

int buf_url(struct buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            buf_putc(b, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_append(b, e, 3);
        }
    }
    return b->err;
}

char *buf_steal(struct buf *b)
{
    if (b->err)
        return NULL;
    char *p = b->cap ? b->data : strdup("");
    size_t max = b->max;
    buf_init(b, max);
    return p;
}
