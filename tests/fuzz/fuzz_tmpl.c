/* Fuzz target: compiling and rendering arbitrary template text never crashes, and user data
 * rendered with {{x}} never comes out with a raw '<'. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "web/tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct tmpl_set *set = tmpl_set_new();
    struct buf err, out;
    buf_init(&err, 4096);
    buf_init(&out, 1 << 20);
    json_t *ctx =
        json_pack("{ss s[{ss si}{ss si}] sb si}", "name", "<script>x</script>", "items", "label",
                  "a&b", "n", 1, "label", "\"q\"", "n", 1700000000, "flag", 1, "count", 12345);
    if (set && ctx && tmpl_add(set, "fuzz.html", (const char *)data, size, &err) == 0) {
        tmpl_add(set, "part.html", "{{name}}|{{#items}}{{label}}{{/items}}", 37, &err);
        tmpl_render(set, "fuzz.html", ctx, &out);
    }
    /* The escaped value alone must always render escaped. */
    struct tmpl_set *safe = tmpl_set_new();
    if (safe && ctx && tmpl_add(safe, "v.html", "{{name}}", 8, &err) == 0) {
        buf_reset(&out);
        if (tmpl_render(safe, "v.html", ctx, &out) == 0 && memchr(out.data, '<', out.len))
            abort();
    }
    tmpl_set_free(safe);
    json_decref(ctx);
    tmpl_set_free(set);
    buf_free(&err);
    buf_free(&out);
    return 0;
}
