/*
 * Internship placement (seed 004 §3 d, "bureau des stages"): students rank internship places by
 * wishes; this module assigns them, respecting every capacity and the degree/discipline
 * compatibility, by one of two published methods, and explains each result. Pure C, no I/O:
 * the JSON contract of `continuum place` lives in engine/placement_json.h.
 *
 * - PL_STABLE: student-proposing deferred acceptance with capacities (Gale-Shapley, McVitie-
 *   Wilson order). Every place ranks the students who wished it by priority, higher first; ties
 *   go to the smaller student id in byte order, or, with a lottery seed, to the smaller lottery
 *   number (one 64-bit number per student, a hash of the seed and the id, so the draw depends on
 *   neither the machine nor the order of the input), then to the id. The result has no blocking
 *   pair and is the student-optimal stable assignment. Time O(W log C), memory O(W) for W wishes.
 * - PL_OPTIMAL: the largest number of students placed, then the smallest sum of wish ranks,
 *   among assignments that use only wished places within capacities: an exact min-cost flow by
 *   the primal-dual method (Dijkstra on reduced costs with a bucket queue, then augmenting
 *   paths of zero reduced cost). Among optimal assignments the result is deterministic: the
 *   same instance gives the same result, and the searches visit students in the stable method's
 *   order (priority, then tie-break), so that order decides between equal totals.
 *
 * An instance is built with pl_instance_new() and pl_place_add() / pl_student_add() (or parsed
 * from JSON); it validates what each call receives and copies the strings.
 */
#ifndef ENGINE_PLACEMENT_H
#define ENGINE_PLACEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PL_NONE UINT32_MAX /* no place: the student is unassigned */

enum pl_degree { PL_1D = 1, PL_2D = 2 };
enum pl_method { PL_STABLE, PL_OPTIMAL };

struct pl_place {
    const char *id; /* owned by the instance, NUL-terminated */
    int32_t capacity;
    enum pl_degree degree;
    uint32_t site;       /* index into the instance's names */
    uint32_t discipline; /* index into the instance's names */
};

struct pl_student {
    const char *id;
    int32_t priority;
    enum pl_degree degree;
    uint32_t site;
    uint32_t discipline;
    uint32_t wish_start; /* wishes[wish_start .. wish_start + wish_count) are place indices */
    uint32_t wish_count;
};

struct pl_instance {
    struct pl_place *places;
    size_t n_places;
    struct pl_student *students;
    size_t n_students;
    uint32_t *wishes; /* place indices, by student, best first */
    size_t n_wishes;
    struct pl_instance_priv *priv; /* storage, id maps and interned names */
};

/* A new empty instance (NULL when out of memory); free it with pl_instance_free(). */
struct pl_instance *pl_instance_new(void);
void pl_instance_free(struct pl_instance *in);

/* The site or discipline name of an index found in a place or a student. */
const char *pl_name(const struct pl_instance *in, uint32_t name);

/*
 * Adds a place. id, site and discipline are byte strings of the given lengths (non-empty, no
 * NUL); capacity >= 0. Returns 0, ERR_EXISTS (a place already has this id), ERR_INVAL or
 * ERR_NOMEM; on error the instance is unchanged.
 */
int pl_place_add(struct pl_instance *in, const char *id, size_t id_len, int32_t capacity,
                 enum pl_degree degree, const char *site, size_t site_len, const char *discipline,
                 size_t discipline_len);

/* Index of the place with this id, or PL_NONE. */
uint32_t pl_place_find(const struct pl_instance *in, const char *id, size_t id_len);

/* Index of the student with this id, or PL_NONE. */
uint32_t pl_student_find(const struct pl_instance *in, const char *id, size_t id_len);

/*
 * Adds a student with wishes[0..n_wishes) as place indices, best first. Returns 0, ERR_EXISTS
 * (a student already has this id), ERR_INVAL (empty id/site/discipline, priority < 0, a wish out
 * of range, listed twice, or for a place of another degree or discipline) or ERR_NOMEM; on
 * error the instance is unchanged. pl_wish_check() tells which wish is wrong, for messages.
 */
int pl_student_add(struct pl_instance *in, const char *id, size_t id_len, int32_t priority,
                   enum pl_degree degree, const char *site, size_t site_len, const char *discipline,
                   size_t discipline_len, const uint32_t *wishes, size_t n_wishes);

enum pl_wish_problem { PL_WISH_OK, PL_WISH_INCOMPATIBLE, PL_WISH_DUPLICATE };

/*
 * Checks wishes[i] of a student-to-be of this degree and discipline (a name index from
 * pl_name_find(), or PL_NONE when the name is new, which no place has). Returns
 * PL_WISH_DUPLICATE when wishes[j] == wishes[i] for some j < i.
 */
enum pl_wish_problem pl_wish_check(const struct pl_instance *in, enum pl_degree degree,
                                   uint32_t discipline, const uint32_t *wishes, size_t i);

/* Index of an interned site or discipline name, or PL_NONE. */
uint32_t pl_name_find(const struct pl_instance *in, const char *name, size_t len);

struct pl_options {
    enum pl_method method;
    bool lottery; /* break priority ties by a lottery drawn from seed, not by id */
    uint64_t seed;
};

struct pl_result {
    enum pl_method method;
    size_t n_students;
    uint32_t *place; /* per student: place index or PL_NONE */
    uint32_t *rank;  /* per student: 1-based rank of the place in their wishes, 0 if none */
    size_t placed;
    uint64_t rank_sum;
    uint32_t max_rank;      /* the longest wish list: rank_profile has max_rank entries */
    uint64_t *rank_profile; /* rank_profile[k] students got their wish k + 1 */
    uint64_t proposals;     /* stable: proposals made; optimal: augmenting-path searches */
    uint32_t *order;        /* students in the method's tie-break order, best first */
    int64_t *potential;     /* optimal: dual prices of students, places, then the sink */
};

/* Parses a lottery seed as typed: 1 to 20 decimal digits, below 2^64. Returns 0 or ERR_INVAL. */
int pl_seed_parse(const char *s, uint64_t *seed);

/*
 * Solves the instance and stores a result in *out (caller frees with pl_result_free()).
 * Returns 0 or ERR_NOMEM (then *out is NULL).
 */
int pl_solve(const struct pl_instance *in, const struct pl_options *opt, struct pl_result **out);

void pl_result_free(struct pl_result *r);

/*
 * The order of the places' rankings: -1 when student a comes before b (higher priority, or
 * the tie-break favours a), 1 after, 0 only when a == b.
 */
int pl_student_cmp(const struct pl_instance *in, const struct pl_options *opt, uint32_t a,
                   uint32_t b);

/*
 * Why a student did not get a better wish. For each wish ranked before the student's place
 * (every wish when unassigned), one reason:
 *  - PL_WHY_NO_CAPACITY: the place offers no seat (capacity 0);
 *  - PL_WHY_FULL (stable): the place is full with students who come first; cutoff_priority is
 *    the priority of the last one admitted, and tie is true when the student has that same
 *    priority and lost on the tie-break;
 *  - PL_WHY_TRADE (optimal): taking the place would cost the others: the best assignment that
 *    gives it to the student places delta_placed more students (0 or -1) and changes the sum of
 *    ranks by delta_rank_sum (>= 0 when delta_placed is 0); displaced is the first student who
 *    would have to leave the place (PL_NONE if none), displaced_from/to_rank their rank before and
 *    after (to 0: unassigned);
 *  - PL_WHY_FREE_SEAT: the place has a free seat: only after a manual change of the result.
 */
enum pl_why_kind { PL_WHY_NO_CAPACITY, PL_WHY_FULL, PL_WHY_TRADE, PL_WHY_FREE_SEAT };

struct pl_why {
    uint32_t place;
    uint32_t rank; /* 1-based rank of that place in the student's wishes */
    enum pl_why_kind kind;
    int32_t capacity;
    int32_t cutoff_priority; /* PL_WHY_FULL */
    bool tie;                /* PL_WHY_FULL */
    int32_t delta_placed;    /* PL_WHY_TRADE */
    int64_t delta_rank_sum;  /* PL_WHY_TRADE */
    uint32_t displaced;      /* PL_WHY_TRADE */
    uint32_t displaced_from_rank;
    uint32_t displaced_to_rank;
};

/*
 * An explainer answers pl_explain() for one result; it holds the work arrays of the searches,
 * so that explaining every student costs no allocation per student. Not for concurrent use.
 * result must come from pl_solve() on the same instance and options, and outlive it.
 * Returns NULL when out of memory.
 */
struct pl_explainer *pl_explainer_new(const struct pl_instance *in, const struct pl_options *opt,
                                      const struct pl_result *result);
void pl_explainer_free(struct pl_explainer *ex);

/*
 * Fills why[0..n) for one student (n = the rank of their place minus one, or their number of
 * wishes when unassigned; at most cap entries are written) and returns n. Stable: O(wishes).
 * Optimal: one search of the residual graph per better wish, stopped as soon as no better
 * trade can remain (O(W log W) at worst each).
 */
size_t pl_explain(struct pl_explainer *ex, uint32_t student, struct pl_why *why, size_t cap);

/*
 * Checks an assignment (place[s] per student, PL_NONE allowed): returns the number of
 * violations (a place not wished or incompatible, a capacity exceeded). For tests and for the
 * bureau's manual adjustments.
 */
size_t pl_check_feasible(const struct pl_instance *in, const uint32_t *place);

/*
 * Number of blocking pairs of an assignment under the places' ranking: a student s and a place
 * p that s prefers to their own place (or s is unassigned), where p has a free seat or holds a
 * student who comes after s. When first is not NULL the first pair found is stored there
 * ({student, place}). O(W) after an O(P + S) pass.
 */
size_t pl_blocking_pairs(const struct pl_instance *in, const struct pl_options *opt,
                         const uint32_t *place, uint32_t first[2]);

#endif
