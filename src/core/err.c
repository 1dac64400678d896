/* Names of the error codes of err.h, for log lines. */
#include "core/err.h"

const char *err_name(int rc)
{
    switch (rc) {
    case ERR_OK:
        return "ok";
    case ERR_NOMEM:
        return "nomem";
    case ERR_TOOBIG:
        return "toobig";
    case ERR_INVAL:
        return "inval";
    case ERR_NOTFOUND:
        return "notfound";
    case ERR_EXISTS:
        return "exists";
    case ERR_IO:
        return "io";
    case ERR_STORE:
        return "store";
    case ERR_DENIED:
        return "denied";
    case ERR_CONFLICT:
        return "conflict";
    case ERR_BUSY:
        return "busy";
    default:
        return "unknown";
    }
}
