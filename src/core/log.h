/*
 * One line per event on standard error: "2026-11-23T10:15:00Z level=info msg ..." in UTC, as
 * key=value pairs written by the caller. Control characters of the formatted text (CR, LF, ESC…)
 * are escaped, so user data cannot forge a log line. Never log passwords, tokens or cookies.
 */
#ifndef CORE_LOG_H
#define CORE_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERR };

/* Lines below this level are dropped (default LOG_INFO). */
void log_set_level(enum log_level level);

void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_err(...)  log_msg(LOG_ERR, __VA_ARGS__)

#endif
