/*
 * Search latency benchmark (issue 3, "Benchmark in make bench"): 1,000 varied searches through
 * the app and store layers on the national demo académie (100,000 trainers) — free text,
 * half-typed words, filters alone and combined, several pages — timed one by one, first answered
 * by SQLite FTS5 alone, then by the in-memory index (engine/search_index.c) that the server uses.
 * Prints p50, p90, p99 and max per path, and the same figures as ratios to a reference measured
 * in the same process: a trainer profile read by primary key (store_trainer_get). The two paths
 * must agree on every total.
 *
 * Usage: bench_search DB   (the database is created and loaded when it holds no trainer)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "app/demo.h"
#include "bench/bench_util.h"
#include "core/err.h"

#define QUERIES 1000

static uint64_t rng = 0x2545F4914F6CDD1Dull;
static unsigned pick(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static const char *const words[] = {
    "inclusive",      "inclusion",  "éducation",   "numérique",
    "évaluation",     "géométrie",  "lecture",     "écriture",
    "oral",           "laïcité",    "égalité",     "climat",
    "décrochage",     "maternelle", "sciences",    "mathématiques",
    "histoire",       "anglais",    "EPS",         "arts",
    "musique",        "handicap",   "autisme",     "différenciation",
    "coopération",    "projet",     "recherche",   "didactique",
    "formation",      "ENT",        "harcèlement", "orientation",
    "langues",        "grammaire",  "calcul",      "problèmes",
    "développement",  "durable",    "prioritaire", "tutorat",
    "accompagnement", "Martin",     "Bernard",     "Lefebvre",
};
static const char *const partial[] = {"incl", "mater", "géom", "num", "évalu", "didac", "harc"};
static const char *const degrees[] = {"1D", "2D", "SUP"};
static const char *const sites[] = {"ain", "loire", "rhone"};
static const char *const days[] = {"lundi", "mardi", "mercredi", "jeudi", "vendredi"};
static const char *const disciplines[] = {
    "polyvalent", "mathematiques", "lettres", "anglais", "histoire_geographie", "eps", "svt"};

struct run {
    double lat[QUERIES];
    double by_kind[8][QUERIES / 8 + 1];
    int kind_n[8];
    int64_t matches;
    int errors;
};

/* Runs the same 1,000 queries (the PRNG is reseeded) and records each latency. */
static void run_queries(struct app_ctx *ctx_, struct run *out)
{
    struct app_ctx ctx = *ctx_;
    rng = 0x2545F4914F6CDD1Dull;
    char page[8], q[128];
    for (int i = 0; i < QUERIES; i++) {
        struct trainer_search_input in = {0};
        switch (i % 8) {
        case 0: /* one word */
            in.q = words[pick(sizeof words / sizeof *words)];
            break;
        case 1: /* two words */
            snprintf(q, sizeof q, "%s %s", words[pick(sizeof words / sizeof *words)],
                     words[pick(sizeof words / sizeof *words)]);
            in.q = q;
            break;
        case 2: /* a word being typed */
            in.q = partial[pick(sizeof partial / sizeof *partial)];
            break;
        case 3: /* filters alone */
            in.degree = degrees[pick(3)];
            in.site = sites[pick(3)];
            break;
        case 4: /* word and filters */
            in.q = words[pick(sizeof words / sizeof *words)];
            in.degree = degrees[pick(3)];
            in.weekday = days[pick(5)];
            break;
        case 5: /* selective filters, validated only */
            in.discipline = disciplines[pick(sizeof disciplines / sizeof *disciplines)];
            in.site = sites[pick(3)];
            in.weekday = days[pick(5)];
            in.validated = "1";
            break;
        case 6: /* browsing everyone, later pages */
            snprintf(page, sizeof page, "%u", 1 + pick(20));
            in.page = page;
            break;
        default: /* word, validated only, page 2 */
            in.q = words[pick(sizeof words / sizeof *words)];
            in.validated = "1";
            in.page = "2";
            break;
        }
        struct field_errors errs = {0};
        json_t *res = NULL;
        double t0 = now_ms();
        int rc = app_trainer_search(&ctx, &in, &res, &errs);
        out->lat[i] = now_ms() - t0;
        out->by_kind[i % 8][out->kind_n[i % 8]++] = out->lat[i];
        if (rc) {
            out->errors++;
        } else {
            out->matches += json_integer_value(json_object_get(res, "total"));
            json_decref(res);
        }
    }
}

static void report(const char *what, struct run *r, double r50)
{
    static const char *const kinds[8] = {"one word",
                                         "two words",
                                         "half-typed word",
                                         "degree+site",
                                         "word+degree+weekday",
                                         "discipline+site+weekday+validated",
                                         "all, pages 1-20",
                                         "word, validated, page 2"};
    qsort(r->lat, QUERIES, sizeof(double), cmp_double);
    printf("%s: %d errors, %lld matches in all\n", what, r->errors, (long long)r->matches);
    printf("  latency ms: p50 %.3f  p90 %.3f  p99 %.3f  max %.3f  (target p99 < 5 ms)\n",
           pct(r->lat, (size_t)QUERIES, 0.5), pct(r->lat, (size_t)QUERIES, 0.9),
           pct(r->lat, (size_t)QUERIES, 0.99), r->lat[QUERIES - 1]);
    for (int k = 0; k < 8; k++) {
        qsort(r->by_kind[k], (size_t)r->kind_n[k], sizeof(double), cmp_double);
        printf("    %-36s p50 %8.3f  max %8.3f ms\n", kinds[k],
               pct(r->by_kind[k], (size_t)r->kind_n[k], 0.5), r->by_kind[k][r->kind_n[k] - 1]);
    }
    printf("  vs reference (profile by id, p50): p50 x%.1f  p99 x%.1f\n",
           pct(r->lat, (size_t)QUERIES, 0.5) / r50, pct(r->lat, (size_t)QUERIES, 0.99) / r50);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s DB\n", argv[0]);
        return 2;
    }
    struct store *st = NULL;
    if (store_open(argv[1], &st) != 0 || store_migrate(st, NULL, NULL) != 0)
        return 1;
    int64_t n = 0;
    store_trainer_count(st, &n);
    if (n == 0) {
        fprintf(stderr, "bench: loading the national demo académie into %s…\n", argv[1]);
        struct demo_stats stats;
        double t0 = now_ms();
        if (app_demo_load(st, DEMO_SCALE_NATIONAL, 1, &stats) != 0) {
            fprintf(stderr, "bench: load failed: %s\n", stats.error);
            return 1;
        }
        fprintf(stderr, "bench: loaded %lld trainers in %.1f s\n", (long long)stats.trainers,
                (now_ms() - t0) / 1e3);
        store_trainer_count(st, &n);
    }
    struct user coord = {.id = 1, .role = ROLE_COORDINATOR};
    struct app_ctx ctx = {.st = st, .actor = &coord, .now = 1};

    /* Reference: profile reads by primary key, in the same process. */
    static double ref[QUERIES];
    for (int i = 0; i < QUERIES; i++) {
        json_t *t = NULL;
        double t0 = now_ms();
        store_trainer_get(st, 1 + (int64_t)pick((unsigned)n), &t);
        ref[i] = now_ms() - t0;
        json_decref(t);
    }

    static struct run fts, mem;
    run_queries(&ctx, &fts);
    double t0 = now_ms();
    if (store_search_index_enable(st) != 0) {
        fprintf(stderr, "bench: in-memory index failed\n");
        return 1;
    }
    double build_ms = now_ms() - t0;
    run_queries(&ctx, &mem);
    qsort(ref, QUERIES, sizeof *ref, cmp_double);
    double r50 = pct(ref, (size_t)QUERIES, 0.5);
    printf("search: %d varied queries over %lld trainers, the same ones twice\n", QUERIES,
           (long long)n);
    report("FTS5 alone", &fts, r50);
    printf("in-memory index built in %.0f ms\n", build_ms);
    report("in-memory index", &mem, r50);
    printf("reference (profile by id) ms: p50 %.3f  p99 %.3f\n", r50,
           pct(ref, (size_t)QUERIES, 0.99));
    if (fts.matches != mem.matches)
        printf("MISMATCH: %lld matches with FTS5, %lld with the index\n", (long long)fts.matches,
               (long long)mem.matches);
    store_close(st);
    return fts.errors || mem.errors || fts.matches != mem.matches ? 1 : 0;
}
