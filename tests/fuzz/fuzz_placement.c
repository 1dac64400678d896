/*
 * libFuzzer target for engine/placement_json and engine/placement: any bytes must either be
 * refused with at least one message, or give an instance on which both methods return a
 * feasible assignment (stable: without a blocking pair; optimal: placing at least as many), an
 * explanation for every student, and a JSON result that is valid UTF-8.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/utf8.h"
#include "engine/placement.h"
#include "engine/placement_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static void run(const struct pl_instance *in, const struct pl_options *opt, size_t *placed)
{
    struct pl_result *r = NULL;
    CHECK(pl_solve(in, opt, &r) == 0);
    CHECK(pl_check_feasible(in, r->place) == 0);
    if (opt->method == PL_STABLE)
        CHECK(pl_blocking_pairs(in, opt, r->place, NULL) == 0);
    *placed = r->placed;
    struct pl_explainer *ex = pl_explainer_new(in, opt, r);
    CHECK(ex != NULL);
    struct buf out;
    buf_init(&out, 0);
    CHECK(pl_json_write(in, opt, r, ex, &out) == 0);
    CHECK(utf8_valid(out.data, out.len));
    buf_free(&out);
    pl_explainer_free(ex);
    pl_result_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct buf err;
    buf_init(&err, 0);
    struct pl_instance *in = NULL;
    int rc = pl_json_parse((const char *)data, size, &in, &err);
    CHECK(rc == 0 || rc == ERR_INVAL);
    if (rc != 0) {
        CHECK(in == NULL && err.len > 0 && err.data[err.len - 1] == '\n');
        CHECK(utf8_valid(err.data, err.len));
    } else {
        CHECK(err.len == 0);
        struct pl_options opt = {PL_STABLE, size % 2 == 1, size};
        size_t stable = 0, optimal = 0;
        run(in, &opt, &stable);
        opt.method = PL_OPTIMAL;
        run(in, &opt, &optimal);
        CHECK(optimal >= stable);
        pl_instance_free(in);
    }
    buf_free(&err);
    return 0;
}
