/*
 * libFuzzer target for core/csv: any input must be read to the end in a bounded number of calls,
 * every record returned must respect the contract of csv.h (field count and size, NUL
 * terminator, valid UTF-8, increasing line numbers), every error must come with a message, and
 * every record written back with csv_write_field() must read back identical.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/csv.h"
#include "core/err.h"
#include "core/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* Whether writing then reading rec is expected to give rec back. */
static bool round_trips(const struct csv_record *rec)
{
    if (rec->nfields == 1 && rec->fields[0].len == 0)
        return false; /* written as an empty line, which readers skip (documented) */
    for (size_t i = 0; i < rec->nfields; i++) {
        if (rec->fields[i].len >= CSV_MAX_FIELD_LEN)
            return false; /* the neutralising ' could push it over the limit */
        if (csv_unneutralise(rec->fields[i].ptr, rec->fields[i].len) != 0)
            return false; /* a value that began with '= loses its ' (documented) */
    }
    return true;
}

static void check_round_trip(const struct csv_record *rec)
{
    struct buf out;
    buf_init(&out, 0);
    /* without it, a first field starting with U+FEFF would be taken for a BOM (documented) */
    CHECK(csv_write_bom(&out) == 0);
    for (size_t i = 0; i < rec->nfields; i++)
        CHECK(csv_write_field(&out, rec->fields[i].ptr, rec->fields[i].len, ';', i == 0) == 0);
    CHECK(csv_write_eol(&out) == 0);

    struct csv_reader r;
    struct csv_record back;
    csv_reader_init(&r, out.data, out.len, ';');
    CHECK(csv_next(&r, &back) == 1);
    CHECK(back.line == 1);
    CHECK(back.nfields == rec->nfields);
    for (size_t i = 0; i < rec->nfields; i++) {
        const char *p = back.fields[i].ptr;
        size_t n = back.fields[i].len;
        size_t k = csv_unneutralise(p, n);
        CHECK(n - k == rec->fields[i].len);
        CHECK(memcmp(p + k, rec->fields[i].ptr, n - k) == 0);
    }
    CHECK(csv_next(&r, &back) == 0);
    csv_reader_free(&r);
    buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct csv_reader r;
    struct csv_record rec;
    size_t calls = 0, last_line = 0;
    int rc;

    csv_reader_init(&r, (const char *)data, size, ';');
    while ((rc = csv_next(&r, &rec)) != 0) {
        CHECK(++calls <= size + 1); /* each call consumes at least one line */
        CHECK(r.line > last_line);  /* records and errors come in line order */
        last_line = r.line;
        if (rc < 0) {
            CHECK(rc == ERR_INVAL || rc == ERR_TOOBIG || rc == ERR_NOMEM);
            CHECK(r.error != NULL);
            continue;
        }
        CHECK(rc == 1);
        CHECK(r.error == NULL);
        CHECK(rec.line == r.line);
        CHECK(rec.nfields >= 1 && rec.nfields <= CSV_MAX_FIELDS);
        for (size_t i = 0; i < rec.nfields; i++) {
            const struct csv_field *f = &rec.fields[i];
            CHECK(f->len <= CSV_MAX_FIELD_LEN);
            CHECK(f->ptr[f->len] == '\0');
            CHECK(utf8_valid(f->ptr, f->len));
        }
        if (round_trips(&rec))
            check_round_trip(&rec);
    }
    CHECK(r.error == NULL);
    csv_reader_free(&r);
    return 0;
}
