/*
 * What the demo's generators share (demo.c, demo_placement.c and demo_requests.c), not part of
 * the app's API: the private PRNG (xoshiro256** seeded by splitmix64, fully specified integer
 * arithmetic so that every platform draws the same numbers), the name lists, the establishments
 * the territory phase created, and the entry points of the internship and requests phases. The
 * PRNG is static inline: a handful of lines called millions of times, and no global symbol for a
 * helper that only the demo uses.
 */
#ifndef APP_DEMO_INTERNAL_H
#define APP_DEMO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "app/demo.h"
#include "core/buf.h"
#include "domain/trainer.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- PRNG: splitmix64 to seed xoshiro256** (Blackman and Vigna) ---- */

struct rng {
    uint64_t s[4];
};

static inline uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Independent streams per phase: adding an establishment does not shift the trainers. */
static inline void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xd1342543de82ef95u);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(struct rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n), n > 0, by multiply-shift on the high 32 bits (bias below 2^-32 n). */
static inline int rng_below(struct rng *r, int n)
{
    uint64_t hi = rng_next(r) >> 32;
    return (int)((hi * (uint64_t)(uint32_t)n) >> 32);
}

/* Uniform in [lo, hi]. */
static inline int rng_range(struct rng *r, int lo, int hi)
{
    return lo + rng_below(r, hi - lo + 1);
}

static inline bool rng_percent(struct rng *r, int percent)
{
    return rng_below(r, 100) < percent;
}

/* An index drawn with the given weights. */
static inline int rng_weighted(struct rng *r, const int *w, int n)
{
    int total = 0;
    for (int i = 0; i < n; i++)
        total += w[i];
    int x = rng_below(r, total);
    for (int i = 0; i < n; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return n - 1;
}

#define PICK(r, arr) ((arr)[rng_below((r), (int)NELEM(arr))])

/* A code drawn from a weighted table. */
struct weighted {
    const char *code;
    int weight;
};

static inline const char *rng_code(struct rng *r, const struct weighted *w, int n)
{
    int total = 0;
    for (int i = 0; i < n; i++)
        total += w[i].weight;
    int x = rng_below(r, total);
    for (int i = 0; i < n - 1; i++) {
        if (x < w[i].weight)
            return w[i].code;
        x -= w[i].weight;
    }
    return w[n - 1].code;
}

#define RNG_CODE(r, table) rng_code((r), (table), (int)NELEM(table))

/* ---- shared data (demo.c) ---- */

/* Common French first and last names. */
extern const char *const demo_first_names[];
extern const int demo_first_names_count;
extern const char *const demo_last_names[];
extern const int demo_last_names_count;

/* Writes to out (n bytes) an e-mail local part made from a name: folded to ASCII, letters and
 * digits, '-' elsewhere ("Lefèvre" -> "lefevre"). fold is scratch space. */
void demo_email_part(struct buf *fold, const char *s, char *out, size_t n);

/* The kind of an establishment the territory phase created, finer than its store kind (ecole,
 * college, lycee), so that internship places get plausible class levels. */
enum demo_estab_kind {
    DEMO_ECOLE_MATERNELLE,
    DEMO_ECOLE_ELEMENTAIRE,
    DEMO_ECOLE_PRIMAIRE,
    DEMO_COLLEGE,
    DEMO_LYCEE,
    DEMO_LYCEE_PRO,
    DEMO_LYCEE_POLYVALENT,
};

struct demo_establishment {
    char uai[9];
    char site[8]; /* ain, loire, rhone */
    enum demo_estab_kind kind;
};

/* ---- the internship phase (demo_placement.c) ---- */

/* What the internship phase needs from the loader. */
struct demo_placement_env {
    struct app_ctx *ctx; /* the loader's: actor NULL (trusted), now = the base date */
    struct demo_stats *stats;
    uint64_t seed;
    const struct demo_establishment *estabs;
    int nestabs;
    const char *chef_uai;        /* the establishment of the "chef.etab" account */
    const struct trainer *tutor; /* the trainer the "formateur" account is linked to */
    const char *student_login;   /* "etudiant" */
    const char *tutor_login;     /* "formateur" */
    int64_t wall_now;            /* the real time of the load: see demo_placement_load */
};

/*
 * Writes the bureau des stages' data inside the loader's open transaction: the current period
 * (M2, wishes window open around env->wall_now) with its places, students and wishes, and a past
 * period (M1, window closed) with the same. The accounts and establishments must exist. Fills
 * the internship fields of env->stats; returns 0 or an ERR_* code with env->stats->error set.
 */
int demo_placement_load(const struct demo_placement_env *env);

/*
 * Runs the placement engine on the past period and publishes the run, inside the loader's
 * transaction (app_run_start and app_run_publish join it). Returns 0 or an ERR_* code with
 * env->stats->error set.
 */
int demo_placement_publish(const struct demo_placement_env *env);

/* ---- the training requests (demo_requests.c) ---- */

/* What the requests phase needs from the loader. */
struct demo_requests_env {
    struct app_ctx *ctx; /* the loader's: actor NULL (trusted), inside its open transaction */
    struct demo_stats *stats;
    uint64_t seed;
    const struct demo_establishment *estabs;
    int nestabs;
    int64_t wall_now; /* the real time of the load: every date is drawn from its day */
};

/*
 * Writes a school year of training requests inside the loader's open transaction, through the
 * use cases (app_request_create, app_request_transition, app_campaign_assign,
 * app_request_assign, app_mission_answer, app_tsession_add), each at a date drawn before the day
 * of env->wall_now: requests in every state of the workflow, some past their response deadline,
 * drafts that break their kind's rules, actions assigned and scheduled with their sessions, and
 * missions of the "formateur" account. Adds a few requester accounts and an account for each
 * trainer who answers a mission. The demo accounts, trainers and establishments must exist.
 * Fills the request fields of env->stats; returns 0 or an ERR_* code with env->stats->error set.
 * Deterministic for a given seed and day of env->wall_now.
 */
int demo_requests_load(const struct demo_requests_env *env);

#endif
