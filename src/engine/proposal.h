/*
 * Trainer proposals (SPEC.md capability 4; issue 5 §4): ranks the trainers of the map of
 * competences for one slot of a training request by the fit of their validated competences to
 * the theme, their degree, their availability on the weekdays the action needs, the hours left
 * on their yearly quota, the distance from their site to the place, and the effect of the
 * assignment on the hours balance between the university side (Inspé and universities) and the
 * rectorat (004 Annexe 4 b). Every score comes with the facts behind it, so that a page can say
 * why a trainer is proposed.
 *
 * A pool is an immutable snapshot of the trainers (their attributes and validated competences),
 * built once per version of the map and shared by any number of threads; a query reads it and
 * caller-owned arrays (hours already committed, trainers busy at the action's times) and costs
 * O(C + K log L) for C (trainer, competence) pairs matching the wanted competences, K candidates
 * and a page of L. Trainers holding none of the wanted competences are not candidates: a
 * proposal without competence would be no proposal.
 *
 * The score, 0..100, is the sum of:
 *   competence  0..40  the best validated level among the wanted competences (10 per level,
 *                      exact match) or half that for a related one (the parent of a wanted
 *                      competence), plus 0..10 for covering more of the wanted ones;
 *   degree      0..10  the public's degree (10), a university trainer (5), another degree (0);
 *                      a slot with a required degree (an ALP's 1D and 2D trainers) admits
 *                      only that degree;
 *   weekdays    0..10  the share of the allowed weekdays the trainer is free (all of the days
 *                      the sessions fall on are required when the sessions are known);
 *   quota       0..10  the share of the yearly quota still free after this action;
 *   distance    0..10  10 on the same site, less with the distance (0 at 130 km and more);
 *   balance     0..10  10 when the assignment brings the hours balance nearer to zero, 5 when
 *                      it leaves it unchanged, 0 when it moves it away.
 * Ties go to the lower trainer id, so the same pool and query give the same page.
 */
#ifndef ENGINE_PROPOSAL_H
#define ENGINE_PROPOSAL_H

#include <stddef.h>
#include <stdint.h>

enum prop_degree { PROP_1D, PROP_2D, PROP_SUP, PROP_ANY };
enum prop_site { PROP_AIN, PROP_LOIRE, PROP_RHONE, PROP_SITE_COUNT, PROP_SITE_NONE = 255 };
/* Which side of the hours balance a trainer, or the maître d'œuvre of an action, is on. */
enum prop_side { PROP_SIDE_UNIVERSITY, PROP_SIDE_RECTORAT, PROP_SIDE_OTHER };

#define PROP_LEVEL_MAX 4

struct prop_trainer {
    int64_t id;
    unsigned char degree;        /* enum prop_degree, not PROP_ANY */
    unsigned char site;          /* enum prop_site */
    unsigned char weekdays;      /* bit 0 Monday … bit 5 Saturday */
    unsigned char side;          /* enum prop_side */
    int quota;                   /* hours a year */
    const int32_t *competences;  /* validated competence ids */
    const unsigned char *levels; /* their levels, 1..PROP_LEVEL_MAX */
    size_t n_competences;
};

struct prop_pool;

/*
 * Builds a pool of t[0..n) (copied: t may be freed on return). Ids must be distinct and
 * competence ids non-negative. Returns 0, ERR_INVAL (a duplicate id, a field out of range) or
 * ERR_NOMEM; *out is NULL on error.
 */
int prop_pool_build(const struct prop_trainer *t, size_t n, struct prop_pool **out);
void prop_pool_free(struct prop_pool *p);
size_t prop_pool_count(const struct prop_pool *p);
size_t prop_pool_memory(const struct prop_pool *p);
/* The position (0..count-1, in ascending id order) of trainer `id`, or -1. */
long prop_pool_find(const struct prop_pool *p, int64_t id);
int64_t prop_pool_id(const struct prop_pool *p, size_t pos);
/* The trainer's quota, weekdays, degree, side and site at position pos. */
const struct prop_trainer *prop_pool_trainer(const struct prop_pool *p, size_t pos);

/* A competence the action needs: exact (the theme's own), or related (its parent). */
struct prop_want {
    int32_t competence;
    unsigned char related; /* 0 exact, 1 related: half the credit */
};

struct prop_query {
    const struct prop_want *wants;
    size_t n_wants;
    unsigned char degree;        /* PROP_1D or PROP_2D: required; PROP_ANY: any degree */
    unsigned char public_degree; /* the trainees' degree, PROP_1D/PROP_2D, or PROP_ANY */
    unsigned weekdays_required;  /* days every proposed trainer must be free (the sessions') */
    unsigned weekdays_allowed;   /* days the action may take place; 0: any */
    int hours;                   /* hours the trainer would give, 0..10000 */
    unsigned char site;          /* the place's site, or PROP_SITE_NONE */
    unsigned char owner_side;    /* the maître d'œuvre's side, for the balance */
    int64_t balance;             /* university→rectorat minus rectorat→university hours */
    const int32_t *used;         /* hours already committed, per position; NULL: none */
    const unsigned char *busy;   /* nonzero per position: excluded (time conflict…); NULL */
    size_t limit;                /* results wanted */
};

struct prop_result {
    int64_t trainer_id;
    size_t pos;
    int score;
    int s_competence, s_degree, s_weekdays, s_quota, s_distance, s_balance;
    int32_t best_competence; /* the wanted competence with the best credit */
    unsigned char best_level;
    unsigned char best_related;
    int matched;          /* wanted competences held */
    unsigned weekdays_ok; /* allowed days the trainer is free */
    int quota_left;       /* hours left before this action */
    int distance_km;      /* -1 when a site is unknown */
    int64_t balance_after;
};

/* Why candidates were set aside, for the page's "N formateurs écartés" line. */
struct prop_stats {
    size_t candidates; /* trainers holding a wanted competence */
    size_t degree;     /* of another degree than the slot's */
    size_t weekdays;   /* not free on a required day, or on none of the allowed ones */
    size_t quota;      /* too few hours left */
    size_t busy;       /* excluded by the caller */
    size_t ranked;     /* proposable */
};

/*
 * Ranks the pool for q into out[0..q->limit) (best first) and sets *n_out; st (may be NULL)
 * receives the counts. Returns 0, ERR_INVAL (a field out of range) or ERR_NOMEM.
 */
int prop_rank(const struct prop_pool *p, const struct prop_query *q, struct prop_result *out,
              size_t *n_out, struct prop_stats *st);

/* Scores one trainer at position pos for q, as prop_rank would, into *r. Returns 0 when it is
 * proposable, else the reason it is not: 1 no wanted competence, 2 degree, 3 weekdays, 4 quota,
 * 5 busy. */
int prop_score(const struct prop_pool *p, const struct prop_query *q, size_t pos,
               struct prop_result *r);

/* Road distance between two sites in km (0 on the same site, -1 if either is unknown). */
int prop_site_km(unsigned char a, unsigned char b);

#endif
