/*
 * struct buf: a growable byte string with a hard maximum size, always NUL-terminated
 * (STYLE.md "Strings", after curl's dynbuf and git's strbuf). Data may contain NUL bytes: use
 * (b->data, b->len). Once an append fails (ERR_NOMEM or ERR_TOOBIG) the buffer keeps its former
 * content and buf_failed() stays true, so a caller may append many times and check once.
 */
#ifndef CORE_BUF_H
#define CORE_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
    char *data; /* NUL-terminated; "" (static) while nothing was allocated */
    size_t len; /* bytes used, not counting the NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* hard limit on len */
    int err;    /* first failure, 0 if none */
};

#define BUF_DEFAULT_MAX ((size_t)64 << 20)

/* An empty buffer that will refuse to grow past max bytes (0 means BUF_DEFAULT_MAX). */
void buf_init(struct buf *b, size_t max);

/* Frees the data; the buffer is empty and usable again. */
void buf_free(struct buf *b);

/* Forgets the content, keeps the allocation and clears the error. */
void buf_reset(struct buf *b);

int buf_append(struct buf *b, const void *data, size_t len);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Appends s HTML-escaped for text and double-quoted attribute contexts (& < > " '). */
int buf_html(struct buf *b, const char *s, size_t len);

/* Appends s percent-encoded for a URL query component (RFC 3986 unreserved kept). */
int buf_url(struct buf *b, const char *s, size_t len);

/* True when an append failed since init/reset; the error code is b->err. */
bool buf_failed(const struct buf *b);

/* Hands the allocated string to the caller (caller frees) and empties the buffer; NULL on error
 * or when nothing was allocated and strdup("") fails. */
char *buf_steal(struct buf *b);

#endif
