/*
 * The JSON contract of `continuum place` (docs/placement.md): reading an instance with exact
 * input rules and one French message per problem, and writing a result. A hand-written parser
 * rather than jansson: an instance of 100,000 students holds a million wish strings, which a
 * DOM would turn into a million allocations (the whole run must stay under half a second), and
 * the messages must name the path of each problem (`students[12].wishes[3]`). Pure C, no I/O.
 *
 * Input rules: the root is an object with arrays "places" and "students" (unknown fields are
 * ignored everywhere, any value); ids, site and discipline are non-empty strings; degree is
 * "1D" or "2D"; capacity and priority are JSON integers from 0 to 2147483647 (not 2.5, "2",
 * 1e2, -1 or null); ids are unique among places and among students; each wish names a place of
 * the student's degree and discipline, once. The text must be UTF-8 (a BOM is allowed).
 */
#ifndef ENGINE_PLACEMENT_JSON_H
#define ENGINE_PLACEMENT_JSON_H

#include <stddef.h>

#include "core/buf.h"
#include "engine/placement.h"

#define PL_JSON_MAX_MESSAGES 200 /* then one line says how many more problems there were */

/*
 * Parses data[0..len) into a new instance stored in *out (caller frees with
 * pl_instance_free()). Returns 0; ERR_INVAL when the input breaks a rule, with one message per
 * problem appended to errors, each ending in '\n' (`students[12].wishes[3] : lieu inconnu
 * « P99 »`, or `ligne 3, colonne 14 : JSON invalide : …` for syntax, after which nothing more
 * is checked); or ERR_NOMEM. On error *out is NULL.
 */
int pl_json_parse(const char *data, size_t len, struct pl_instance **out, struct buf *errors);

/*
 * Appends the result as JSON to out: method, assignments (students in input order), unassigned
 * ids, stats {placed, rank_sum, rank_profile, proposals}; with ex not NULL, an "explanations"
 * array for every student who did not get their first wish (see docs/placement.md).
 * Returns 0 or the buffer's error.
 */
int pl_json_write(const struct pl_instance *in, const struct pl_options *opt,
                  const struct pl_result *r, struct pl_explainer *ex, struct buf *out);

#endif
