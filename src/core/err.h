/*
 * Error codes shared by every layer. Functions return int: 0 on success, a negative ERR_* code
 * on failure, results through out-parameters (STYLE.md "Errors").
 */
#ifndef CORE_ERR_H
#define CORE_ERR_H

enum {
    ERR_OK = 0,
    ERR_NOMEM = -1,    /* allocation failed */
    ERR_TOOBIG = -2,   /* a buffer or input passed its hard limit */
    ERR_INVAL = -3,    /* bad input: the caller's message says which */
    ERR_NOTFOUND = -4, /* no such row or file */
    ERR_EXISTS = -5,   /* unique key already taken */
    ERR_IO = -6,       /* file or socket error */
    ERR_STORE = -7,    /* the database failed (not the caller's fault) */
    ERR_DENIED = -8,   /* role or scope forbids the action */
    ERR_CONFLICT = -9, /* state does not allow the action */
    ERR_BUSY = -10,    /* try again later (throttled, locked) */
};

/* A short English name of an error code, for logs. */
const char *err_name(int rc);

#endif
