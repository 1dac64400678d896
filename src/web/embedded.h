/*
 * The HTML templates compiled into the binary. The table is generated at build time by
 * scripts/embed.py from src/web/templates/ (a meson custom_target), so the server needs no
 * template files at run time and a template can never be edited in production.
 */
#ifndef WEB_EMBEDDED_H
#define WEB_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
    const char *name; /* the file's basename, e.g. "layout.html" */
    const char *data; /* its len bytes, followed by a NUL (the bytes may contain NULs too) */
    size_t len;
};

/* Ends with an entry whose name is NULL. Static storage: nothing to free. */
extern const struct embedded_file embedded_templates[];

#endif
