/*
 * Escape-by-default HTML templates over jansson values: a Mustache subset (STYLE.md "HTML").
 * Templates are compiled once, at start-up, into a set; the compiled set is then read-only and
 * any number of threads may render from it at the same time.
 *
 * Tags (spaces, tabs and newlines inside the braces are ignored: {{ a.b | url }}):
 *   {{path}}              the value, HTML-escaped (& < > " ')
 *   {{path|attr}}         the same escaping, for a double-quoted attribute value: write it there
 *                         so that a reviewer sees the context
 *   {{path|url}}          percent-encoded for a URL query component (RFC 3986 unreserved kept);
 *                         a whole URL taken from user data (href="{{link}}") is only
 *                         HTML-escaped: check its scheme in code before it reaches a template
 *   {{path|trusted}}      raw: only for HTML built and reviewed by our own code
 *   {{path|date}}         an integer Unix time as "JJ/MM/AAAA", Paris time (core/timeutil)
 *   {{path|datetime}}     an integer Unix time as "JJ/MM/AAAA HH:MM", Paris time
 *   {{path|int}}          an integer with digit groups separated by U+202F: "12 345", "-1 000"
 *   {{#path}}…{{/path}}   section: an array renders its body once per element (the element
 *                         pushed on the context stack); an object, true, a non-empty string or a
 *                         non-zero number renders it once with the value pushed; false, null, a
 *                         missing value, an empty array, "" and 0 render nothing
 *   {{^path}}…{{/path}}   inverted section: the body once, nothing pushed, exactly when the
 *                         section would render nothing
 *   {{> name}}            the template "name" of the same set, rendered with the current stack;
 *                         a recursive partial ({{#children}}{{> tree}}{{/children}}) needs the
 *                         key in every element ("children": []), else the stack walk finds the
 *                         parent's again and the render fails at TMPL_MAX_PARTIAL_DEPTH
 *   {{! comment }}        nothing (may span lines, cannot contain "}}")
 * One filter at most per tag; filters are only for value tags. What each value type prints:
 *   string: its bytes, escaped per filter; integer: decimal; real: printf "%g";
 *   true, false, null, missing, object, array: nothing.
 * date, datetime and int print nothing for a non-integer (and date/datetime for a year outside
 * 0001..9999). Escaping applies to numbers too (|url of "1e+06" gives "1e%2B06").
 *
 * Paths: "." is the innermost value; otherwise dot-separated keys of [A-Za-z0-9_-]; after the
 * first key, a key of digits indexes an array ("{{#items.0}}" = "has at least one item")
 * (trainer.institution.name). The first key is looked up in the objects of the context stack
 * from the innermost to the outermost (Mustache); the following keys only inside what the first
 * one found. Inside an array section, "@index" is the 0-based index of the current element and
 * "@first"/"@last" are booleans ({{^@last}}, {{/@last}} separates items); they refer to the
 * innermost array section and are missing outside any.
 *
 * Not Mustache: no {{{x}}}, {{&x}} or {{=<% %>=}} (compile errors: raw output is spelled
 * |trusted), no lambdas, and no removal of "standalone" lines: every byte outside tags is output
 * as is. "{{" always opens a tag; a literal "{{" in a page has to come from a value.
 * Numbers are printed by snprintf, so a process that changes LC_NUMERIC changes "%g".
 */
#ifndef WEB_TMPL_H
#define WEB_TMPL_H

#include <jansson.h>
#include <stddef.h>

struct buf;
struct tmpl_set;

/* Limits: nesting of sections within one template, and of partials at render. */
#define TMPL_MAX_SECTION_DEPTH 32
#define TMPL_MAX_PARTIAL_DEPTH 16

/* An empty set (caller frees with tmpl_set_free), or NULL when out of memory. */
struct tmpl_set *tmpl_set_new(void);

/* Frees the set and all its templates; NULL is allowed. No render may be running. */
void tmpl_set_free(struct tmpl_set *set);

/*
 * Compiles the len bytes of text as the template called name (copied; the set keeps its own copy
 * of text too). name must be non-empty, with no space, '{', '}' or '|', so that {{> name}} can
 * refer to it; partials are resolved at render, so templates may be added in any order. Returns 0,
 * ERR_NOMEM, ERR_EXISTS when the set already has that name, or ERR_INVAL for a bad name or a syntax
 * error; on failure the set is unchanged. On ERR_INVAL and ERR_EXISTS, one line without a final
 * newline is appended to err when err is not NULL: "name:line: message" for a syntax error (line
 * counted from 1, where the faulty tag starts), "name: message" for the name: page.html:12: closing
 * tag 'items' does not match 'item' opened on line 9 page.html: template already defined Not
 * thread-safe: add every template before the first render.
 */
int tmpl_add(struct tmpl_set *set, const char *name, const char *text, size_t len, struct buf *err);

/*
 * Checks that every {{> name}} of the set names a template of the set. Returns 0, or ERR_NOTFOUND
 * after appending one "template:line: unknown partial 'name'" line per fault to err (if not NULL),
 * separated by newlines, without a final one.
 * Meant for start-up, after the last tmpl_add.
 */
int tmpl_check(const struct tmpl_set *set, struct buf *err);

/*
 * Appends the template name rendered against ctx (any JSON value; NULL is an empty stack) to out.
 * Returns 0; ERR_NOTFOUND if the set has no such template or a partial names a missing one;
 * ERR_INVAL if partials nest deeper than TMPL_MAX_PARTIAL_DEPTH (recursion); or the buffer's
 * error (ERR_NOMEM, ERR_TOOBIG). On error, out is cut back to its length before the call, so no
 * half page can be sent by mistake. Thread-safe: set and ctx are only read.
 */
int tmpl_render(const struct tmpl_set *set, const char *name, const json_t *ctx, struct buf *out);

#endif
