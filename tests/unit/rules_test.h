/*
 * What the unit tests of the request rule packs (test_rules_*.c) share: reading test JSON,
 * patching it, and checking a rule report against what a case expects (exactly one breach,
 * none, or one shape breach), printing the report when it differs. Header-only, like
 * fixture.h: each test binary includes it once, after cmocka.h. Each test file keeps its own
 * run() (its pack and campaign) and calls these on the report it got.
 */
#ifndef TESTS_RULES_TEST_H
#define TESTS_RULES_TEST_H

#include <jansson.h>
#include <stdbool.h>
#include <string.h>

#include "core/utf8.h"
#include "domain/rules.h"

/* Any JSON value (tests feed the packs every shape); fails the test on bad test JSON. */
static __attribute__((unused)) json_t *load(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
    if (!j)
        fail_msg("bad test JSON at %d: %s", e.position, e.text);
    return j;
}

/* Sets the keys of the JSON object text on d (top level). */
static __attribute__((unused)) void patch(json_t *d, const char *text)
{
    json_t *p = load(text);
    assert_int_equal(json_object_update(d, p), 0);
    json_decref(p);
}

static __attribute__((unused)) void print_report(const struct rule_report *r)
{
    for (int i = 0; i < r->count; i++)
        print_message("  %s %s%s: %s\n", r->items[i].rule, r->items[i].field,
                      r->items[i].warning ? " (warning)" : "", r->items[i].detail);
}

/* The report (n blocking breaches) holds exactly one breach: that one, blocking unless
 * warning. */
static __attribute__((unused)) void check_one(const struct rule_report *r, int n, const char *rule,
                                              const char *field, const char *detail, bool warning)
{
    if (r->count != 1)
        print_report(r);
    assert_int_equal(r->count, 1);
    assert_int_equal(n, warning ? 0 : 1);
    assert_string_equal(r->items[0].rule, rule);
    assert_string_equal(r->items[0].field, field);
    assert_string_equal(r->items[0].detail, detail);
    assert_int_equal(r->items[0].warning, warning);
}

/* No breach at all. */
static __attribute__((unused)) void check_pass(const struct rule_report *r, int n)
{
    if (r->count != 0)
        print_report(r);
    assert_int_equal(r->count, 0);
    assert_int_equal(n, 0);
}

/* Exactly one blocking breach of the pack's shape rule, on that field. */
static __attribute__((unused)) void check_shape(const struct rule_report *r, int n,
                                                const char *shape_rule, const char *field)
{
    if (r->count != 1 || strcmp(r->items[0].field, field) != 0)
        print_report(r);
    assert_int_equal(r->count, 1);
    assert_int_equal(n, 1);
    assert_string_equal(r->items[0].rule, shape_rule);
    assert_string_equal(r->items[0].field, field);
}

/* Whatever the input, a report is well formed: at most RULE_REPORT_MAX breaches kept, each of
 * the pack (its rule code starting with prefix, "alp." for instance) with a non-empty French
 * detail in valid UTF-8. */
static __attribute__((unused)) void check_well_formed(const struct rule_report *r,
                                                      const char *prefix)
{
    assert_true(r->count <= RULE_REPORT_MAX);
    for (int i = 0; i < r->count; i++) {
        assert_memory_equal(r->items[i].rule, prefix, strlen(prefix));
        assert_true(r->items[i].detail[0] != '\0');
        assert_true(utf8_valid(r->items[i].detail, strlen(r->items[i].detail)));
    }
}

/* Details that are not an object at all (every other JSON type, and no value): each is handed
 * to the pack's own expect(details, "") — one shape breach on the whole. */
static __attribute__((unused)) void check_roots(void (*expect)(json_t *d, const char *field))
{
    static const char *const roots[] = {"[]", "[1,2]", "null", "3", "\"x\"", "true", "1.5"};
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++)
        expect(load(roots[i]), "");
    expect(NULL, "");
}

#endif
