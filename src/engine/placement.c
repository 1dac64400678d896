/*
 * Internship placement: instance storage, deferred acceptance, min-cost flow, explanations and
 * the checks the tests and the bureau's adjustments rely on. See placement.h for the contract.
 */
#include "engine/placement.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"

/* ---- Instance storage -------------------------------------------------------------------- */

#define CHUNK_SIZE ((size_t)64 << 10)

struct chunk {
    struct chunk *next;
    size_t used, size;
    char data[];
};

/* Open addressing map from a byte string to an index; slots hold index + 1 (0: empty). */
struct idmap {
    uint32_t *slots;
    uint64_t *hashes;
    size_t cap; /* power of two, or 0 */
    size_t n;
};

struct pl_instance_priv {
    struct chunk *chunks;
    size_t places_cap, students_cap, wishes_cap;
    struct idmap place_ids, student_ids, name_ids;
    char **names;
    size_t n_names, names_cap;
};

static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325u; /* FNV-1a 64 */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3u;
    }
    return h;
}

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15u;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
    return x ^ (x >> 31);
}

static char *pool_strdup(struct pl_instance_priv *pv, const char *s, size_t len)
{
    struct chunk *c = pv->chunks;
    if (!c || c->size - c->used < len + 1) {
        size_t size = len + 1 > CHUNK_SIZE ? len + 1 : CHUNK_SIZE;
        c = malloc(sizeof *c + size);
        if (!c)
            return NULL;
        c->used = 0;
        c->size = size;
        c->next = pv->chunks;
        pv->chunks = c;
    }
    char *dst = c->data + c->used;
    memcpy(dst, s, len);
    dst[len] = '\0';
    c->used += len + 1;
    return dst;
}

typedef const char *(*key_fn)(const struct pl_instance *in, uint32_t idx);

static const char *place_key(const struct pl_instance *in, uint32_t idx)
{
    return in->places[idx].id;
}

static const char *student_key(const struct pl_instance *in, uint32_t idx)
{
    return in->students[idx].id;
}

static const char *name_key(const struct pl_instance *in, uint32_t idx)
{
    return in->priv->names[idx];
}

static uint32_t idmap_find(const struct pl_instance *in, const struct idmap *m, key_fn key,
                           const char *s, size_t len, uint64_t h)
{
    if (m->cap == 0)
        return PL_NONE;
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        uint32_t v = m->slots[i];
        if (v == 0)
            return PL_NONE;
        if (m->hashes[i] == h) {
            const char *k = key(in, v - 1);
            if (strncmp(k, s, len) == 0 && k[len] == '\0')
                return v - 1;
        }
    }
}

static void idmap_put_slot(struct idmap *m, uint32_t idx, uint64_t h)
{
    size_t mask = m->cap - 1;
    size_t i = (size_t)h & mask;
    while (m->slots[i] != 0)
        i = (i + 1) & mask;
    m->slots[i] = idx + 1;
    m->hashes[i] = h;
}

/* Makes room for one more entry (load at most 1/2). */
static int idmap_reserve(struct idmap *m)
{
    if ((m->n + 1) * 2 <= m->cap)
        return 0;
    size_t cap = m->cap ? m->cap * 2 : 64;
    struct idmap grown = {calloc(cap, sizeof(uint32_t)), malloc(cap * sizeof(uint64_t)), cap, m->n};
    if (!grown.slots || !grown.hashes) {
        free(grown.slots);
        free(grown.hashes);
        return ERR_NOMEM;
    }
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i] != 0)
            idmap_put_slot(&grown, m->slots[i] - 1, m->hashes[i]);
    free(m->slots);
    free(m->hashes);
    *m = grown;
    return 0;
}

static void idmap_free(struct idmap *m)
{
    free(m->slots);
    free(m->hashes);
}

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 16;
    while (n < need)
        n *= 2;
    void *p = realloc(*arr, n * elem);
    if (!p)
        return ERR_NOMEM;
    *arr = p;
    *cap = n;
    return 0;
}

struct pl_instance *pl_instance_new(void)
{
    struct pl_instance *in = calloc(1, sizeof *in);
    if (!in)
        return NULL;
    in->priv = calloc(1, sizeof *in->priv);
    if (!in->priv) {
        free(in);
        return NULL;
    }
    return in;
}

void pl_instance_free(struct pl_instance *in)
{
    if (!in)
        return;
    struct pl_instance_priv *pv = in->priv;
    for (struct chunk *c = pv->chunks, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    idmap_free(&pv->place_ids);
    idmap_free(&pv->student_ids);
    idmap_free(&pv->name_ids);
    free(pv->names);
    free(pv);
    free(in->places);
    free(in->students);
    free(in->wishes);
    free(in);
}

const char *pl_name(const struct pl_instance *in, uint32_t name)
{
    return name < in->priv->n_names ? in->priv->names[name] : "";
}

uint32_t pl_name_find(const struct pl_instance *in, const char *name, size_t len)
{
    return idmap_find(in, &in->priv->name_ids, name_key, name, len, hash_bytes(name, len));
}

static bool valid_text(const char *s, size_t len)
{
    return len > 0 && memchr(s, '\0', len) == NULL;
}

/* Index of name, interned on first use; PL_NONE when out of memory. */
static uint32_t intern(struct pl_instance *in, const char *s, size_t len)
{
    struct pl_instance_priv *pv = in->priv;
    uint64_t h = hash_bytes(s, len);
    uint32_t idx = idmap_find(in, &pv->name_ids, name_key, s, len, h);
    if (idx != PL_NONE)
        return idx;
    if (pv->n_names >= PL_NONE - 1 || idmap_reserve(&pv->name_ids) != 0 ||
        grow((void **)&pv->names, &pv->names_cap, pv->n_names + 1, sizeof(char *)) != 0)
        return PL_NONE;
    char *copy = pool_strdup(pv, s, len);
    if (!copy)
        return PL_NONE;
    idx = (uint32_t)pv->n_names++;
    pv->names[idx] = copy;
    idmap_put_slot(&pv->name_ids, idx, h);
    pv->name_ids.n++;
    return idx;
}

int pl_place_add(struct pl_instance *in, const char *id, size_t id_len, int32_t capacity,
                 enum pl_degree degree, const char *site, size_t site_len, const char *discipline,
                 size_t discipline_len)
{
    struct pl_instance_priv *pv = in->priv;
    if (!valid_text(id, id_len) || !valid_text(site, site_len) ||
        !valid_text(discipline, discipline_len) || capacity < 0 ||
        (degree != PL_1D && degree != PL_2D))
        return ERR_INVAL;
    if (in->n_places >= PL_NONE - 1)
        return ERR_TOOBIG;
    uint64_t h = hash_bytes(id, id_len);
    if (idmap_find(in, &pv->place_ids, place_key, id, id_len, h) != PL_NONE)
        return ERR_EXISTS;
    if (idmap_reserve(&pv->place_ids) != 0 ||
        grow((void **)&in->places, &pv->places_cap, in->n_places + 1, sizeof *in->places) != 0)
        return ERR_NOMEM;
    uint32_t s = intern(in, site, site_len);
    uint32_t d = intern(in, discipline, discipline_len);
    char *copy = pool_strdup(pv, id, id_len);
    if (s == PL_NONE || d == PL_NONE || !copy)
        return ERR_NOMEM; /* interned names or pooled bytes may stay: harmless */
    uint32_t idx = (uint32_t)in->n_places++;
    in->places[idx] = (struct pl_place){copy, capacity, degree, s, d};
    idmap_put_slot(&pv->place_ids, idx, h);
    pv->place_ids.n++;
    return 0;
}

uint32_t pl_place_find(const struct pl_instance *in, const char *id, size_t id_len)
{
    return idmap_find(in, &in->priv->place_ids, place_key, id, id_len, hash_bytes(id, id_len));
}

uint32_t pl_student_find(const struct pl_instance *in, const char *id, size_t id_len)
{
    return idmap_find(in, &in->priv->student_ids, student_key, id, id_len, hash_bytes(id, id_len));
}

enum pl_wish_problem pl_wish_check(const struct pl_instance *in, enum pl_degree degree,
                                   uint32_t discipline, const uint32_t *wishes, size_t i)
{
    const struct pl_place *p = &in->places[wishes[i]];
    if (p->degree != degree || p->discipline != discipline)
        return PL_WISH_INCOMPATIBLE;
    /* Wish lists are short (ten or so): a quadratic scan beats any set here. */
    for (size_t j = 0; j < i; j++)
        if (wishes[j] == wishes[i])
            return PL_WISH_DUPLICATE;
    return PL_WISH_OK;
}

int pl_student_add(struct pl_instance *in, const char *id, size_t id_len, int32_t priority,
                   enum pl_degree degree, const char *site, size_t site_len, const char *discipline,
                   size_t discipline_len, const uint32_t *wishes, size_t n_wishes)
{
    struct pl_instance_priv *pv = in->priv;
    if (!valid_text(id, id_len) || !valid_text(site, site_len) ||
        !valid_text(discipline, discipline_len) || priority < 0 ||
        (degree != PL_1D && degree != PL_2D))
        return ERR_INVAL;
    if (in->n_students >= PL_NONE - 1 || n_wishes > PL_NONE - 1 - in->n_wishes)
        return ERR_TOOBIG;
    uint32_t disc = pl_name_find(in, discipline, discipline_len);
    for (size_t i = 0; i < n_wishes; i++)
        if (wishes[i] >= in->n_places || pl_wish_check(in, degree, disc, wishes, i) != PL_WISH_OK)
            return ERR_INVAL;
    uint64_t h = hash_bytes(id, id_len);
    if (idmap_find(in, &pv->student_ids, student_key, id, id_len, h) != PL_NONE)
        return ERR_EXISTS;
    if (idmap_reserve(&pv->student_ids) != 0 ||
        grow((void **)&in->students, &pv->students_cap, in->n_students + 1, sizeof *in->students) !=
            0 ||
        grow((void **)&in->wishes, &pv->wishes_cap, in->n_wishes + n_wishes, sizeof *in->wishes) !=
            0)
        return ERR_NOMEM;
    uint32_t s = intern(in, site, site_len);
    uint32_t d = intern(in, discipline, discipline_len);
    char *copy = pool_strdup(pv, id, id_len);
    if (s == PL_NONE || d == PL_NONE || !copy)
        return ERR_NOMEM;
    if (n_wishes)
        memcpy(in->wishes + in->n_wishes, wishes, n_wishes * sizeof *wishes);
    uint32_t idx = (uint32_t)in->n_students++;
    in->students[idx] = (struct pl_student){
        copy, priority, degree, s, d, (uint32_t)in->n_wishes, (uint32_t)n_wishes};
    in->n_wishes += n_wishes;
    idmap_put_slot(&pv->student_ids, idx, h);
    pv->student_ids.n++;
    return 0;
}

/* ---- The places' ranking of students ----------------------------------------------------- */

struct order_ctx {
    const struct pl_instance *in;
    const uint64_t *lottery; /* NULL: ties by id */
};

static int cmp_ids(const char *a, const char *b)
{
    /* Byte order: strcmp compares as unsigned char, a prefix comes first. */
    int c = strcmp(a, b);
    return (c > 0) - (c < 0);
}

static int order_cmp(const struct order_ctx *ctx, uint32_t a, uint32_t b)
{
    const struct pl_student *sa = &ctx->in->students[a], *sb = &ctx->in->students[b];
    if (sa->priority != sb->priority)
        return sa->priority > sb->priority ? -1 : 1;
    if (ctx->lottery && ctx->lottery[a] != ctx->lottery[b])
        return ctx->lottery[a] < ctx->lottery[b] ? -1 : 1;
    int c = cmp_ids(sa->id, sb->id);
    if (c != 0)
        return c;
    return (a > b) - (a < b); /* ids are unique: only a == b gets here */
}

static int order_qsort_cmp(const void *x, const void *y, void *arg)
{
    return order_cmp(arg, *(const uint32_t *)x, *(const uint32_t *)y);
}

static uint64_t lottery_number(uint64_t seed, const char *id)
{
    return splitmix64(seed ^ splitmix64(hash_bytes(id, strlen(id))));
}

static uint64_t *lottery_draw(const struct pl_instance *in, const struct pl_options *opt)
{
    uint64_t *draw = malloc((in->n_students ? in->n_students : 1) * sizeof *draw);
    if (!draw)
        return NULL;
    for (size_t s = 0; s < in->n_students; s++)
        draw[s] = lottery_number(opt->seed, in->students[s].id);
    return draw;
}

int pl_student_cmp(const struct pl_instance *in, const struct pl_options *opt, uint32_t a,
                   uint32_t b)
{
    struct order_ctx ctx = {in, NULL};
    uint64_t draw[2];
    if (opt->lottery && in->students[a].priority == in->students[b].priority) {
        draw[0] = lottery_number(opt->seed, in->students[a].id);
        draw[1] = lottery_number(opt->seed, in->students[b].id);
        if (draw[0] != draw[1])
            return draw[0] < draw[1] ? -1 : 1;
    }
    return order_cmp(&ctx, a, b);
}

/* order[] = students best first; key[s] = position of s in order (when key is not NULL). */
static int compute_order(const struct pl_instance *in, const struct pl_options *opt,
                         uint32_t *order, uint32_t *key)
{
    struct order_ctx ctx = {in, NULL};
    uint64_t *draw = NULL;
    if (opt->lottery) {
        draw = lottery_draw(in, opt);
        if (!draw)
            return ERR_NOMEM;
        ctx.lottery = draw;
    }
    for (size_t s = 0; s < in->n_students; s++)
        order[s] = (uint32_t)s;
    qsort_r(order, in->n_students, sizeof *order, order_qsort_cmp, &ctx);
    if (key)
        for (size_t i = 0; i < in->n_students; i++)
            key[order[i]] = (uint32_t)i;
    free(draw);
    return 0;
}

/* ---- Results ----------------------------------------------------------------------------- */

void pl_result_free(struct pl_result *r)
{
    if (!r)
        return;
    free(r->place);
    free(r->rank);
    free(r->rank_profile);
    free(r->order);
    free(r->potential);
    free(r);
}

static struct pl_result *result_new(const struct pl_instance *in, enum pl_method method)
{
    struct pl_result *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    size_t n = in->n_students ? in->n_students : 1;
    r->method = method;
    r->n_students = in->n_students;
    r->place = malloc(n * sizeof *r->place);
    r->rank = calloc(n, sizeof *r->rank);
    r->order = malloc(n * sizeof *r->order);
    for (size_t s = 0; s < in->n_students; s++)
        if (in->students[s].wish_count > r->max_rank)
            r->max_rank = in->students[s].wish_count;
    r->rank_profile = calloc(r->max_rank ? r->max_rank : 1, sizeof *r->rank_profile);
    if (!r->place || !r->rank || !r->order || !r->rank_profile) {
        pl_result_free(r);
        return NULL;
    }
    for (size_t s = 0; s < in->n_students; s++)
        r->place[s] = PL_NONE;
    return r;
}

/* Fills rank, placed, rank_sum and rank_profile from place[]. */
static void result_tally(const struct pl_instance *in, struct pl_result *r)
{
    for (size_t s = 0; s < in->n_students; s++) {
        r->rank[s] = 0;
        if (r->place[s] == PL_NONE)
            continue;
        const struct pl_student *st = &in->students[s];
        for (uint32_t k = 0; k < st->wish_count; k++)
            if (in->wishes[st->wish_start + k] == r->place[s]) {
                r->rank[s] = k + 1;
                break;
            }
        assert(r->rank[s] != 0);
        r->placed++;
        r->rank_sum += r->rank[s];
        r->rank_profile[r->rank[s] - 1]++;
    }
}

/* Seats worth allocating per place: its capacity, but never more than the students who wished
 * it (a capacity may be 2^31 - 1). offset has n_places + 1 entries. */
static int seat_offsets(const struct pl_instance *in, uint32_t **offset_out)
{
    uint32_t *offset = calloc(in->n_places + 1, sizeof *offset);
    if (!offset)
        return ERR_NOMEM;
    for (size_t w = 0; w < in->n_wishes; w++)
        offset[in->wishes[w] + 1]++;
    for (size_t p = 0; p < in->n_places; p++) {
        uint32_t demand = offset[p + 1];
        uint32_t cap = (uint32_t)in->places[p].capacity;
        offset[p + 1] = offset[p] + (demand < cap ? demand : cap);
    }
    *offset_out = offset;
    return 0;
}

/* ---- Deferred acceptance ----------------------------------------------------------------- */

/*
 * Each place holds its tentatively admitted students in a max-heap on key (the worst admitted on
 * top), so a better proposer replaces the worst in O(log capacity). Students propose in input
 * order, each rejected student at once proposing to their next wish (McVitie-Wilson); the
 * student-optimal stable assignment does not depend on that order.
 */
static void heap_sift_down(uint32_t *h, uint32_t n, const uint32_t *key, uint32_t i)
{
    for (;;) {
        uint32_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && key[h[l]] > key[h[m]])
            m = l;
        if (r < n && key[h[r]] > key[h[m]])
            m = r;
        if (m == i)
            return;
        uint32_t t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static void heap_push(uint32_t *h, uint32_t n, const uint32_t *key, uint32_t s)
{
    uint32_t i = n;
    h[i] = s;
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (key[h[parent]] >= key[h[i]])
            break;
        uint32_t t = h[i];
        h[i] = h[parent];
        h[parent] = t;
        i = parent;
    }
}

static int solve_stable(const struct pl_instance *in, struct pl_result *r, const uint32_t *key)
{
    uint32_t *offset = NULL;
    if (seat_offsets(in, &offset) != 0)
        return ERR_NOMEM;
    uint32_t *held = malloc((offset[in->n_places] ? offset[in->n_places] : 1) * sizeof *held);
    uint32_t *count = calloc(in->n_places ? in->n_places : 1, sizeof *count);
    uint32_t *next = calloc(in->n_students ? in->n_students : 1, sizeof *next);
    if (!held || !count || !next) {
        free(offset);
        free(held);
        free(count);
        free(next);
        return ERR_NOMEM;
    }
    uint64_t proposals = 0;
    for (size_t first = 0; first < in->n_students; first++) {
        uint32_t s = (uint32_t)first;
        while (s != PL_NONE) {
            const struct pl_student *st = &in->students[s];
            if (next[s] >= st->wish_count)
                break; /* s exhausted their wishes: unassigned */
            uint32_t p = in->wishes[st->wish_start + next[s]++];
            proposals++;
            uint32_t seats = offset[p + 1] - offset[p];
            uint32_t *h = held + offset[p];
            if (count[p] < seats) {
                heap_push(h, count[p]++, key, s);
                r->place[s] = p;
                s = PL_NONE;
            } else if (seats > 0 && key[s] < key[h[0]]) {
                uint32_t out = h[0];
                h[0] = s;
                heap_sift_down(h, count[p], key, 0);
                r->place[s] = p;
                r->place[out] = PL_NONE;
                s = out;
            }
        }
    }
    r->proposals = proposals;
    free(offset);
    free(held);
    free(count);
    free(next);
    return 0;
}

/* ---- Min-cost flow ----------------------------------------------------------------------- */

/*
 * The network: source -> every student (capacity 1), student -> each wished place (capacity 1,
 * cost = rank), place -> sink (capacity = seats). Successive shortest paths give, for every
 * flow value, a cheapest flow; run until no augmenting path remains, they give the maximum
 * number placed and, among those, the smallest sum of ranks. Instead of one Dijkstra per
 * student, each round computes distances from all unassigned students at once, raises the
 * potentials, and then augments along as many zero-reduced-cost paths as one depth-first pass
 * finds (the primal-dual method). Costs are small integers, so Dijkstra uses a bucket queue.
 *
 * Nodes: students 0..S-1, places S..S+P-1; the sink is implicit with potential pi_t.
 */
#define INF_DIST INT64_MAX

struct flow {
    const struct pl_instance *in;
    size_t ns, np;
    uint32_t *offset; /* seats per place (seat_offsets) */
    uint32_t *seat;   /* students assigned to each place, in its seat range */
    uint32_t *load;   /* per place */
    uint32_t *pos;    /* per student: index in its place's seat range */
    uint32_t *place;  /* per student, PL_NONE */
    uint32_t *cost;   /* per student: rank of the place held */
    int64_t *pi;      /* potentials, ns + np + 1 (the sink last) */
    int64_t *dist;    /* ns + np */
    uint32_t *order;  /* students, tie-break order */
    /* bucket queue */
    uint32_t *bucket; /* head entry of each distance, PL_NONE if empty */
    size_t n_buckets;
    uint32_t *q_node, *q_next;
    size_t q_len, q_cap;
    /* depth-first pass */
    uint32_t *stamp; /* per node: pass number when visited */
    uint32_t pass;
    uint32_t *stack, *iter;
};

static void flow_free(struct flow *f)
{
    free(f->offset);
    free(f->seat);
    free(f->load);
    free(f->pos);
    free(f->place);
    free(f->cost);
    free(f->pi);
    free(f->dist);
    free(f->bucket);
    free(f->q_node);
    free(f->q_next);
    free(f->stamp);
    free(f->stack);
    free(f->iter);
}

static int flow_init(struct flow *f, const struct pl_instance *in, uint32_t *order)
{
    memset(f, 0, sizeof *f);
    f->in = in;
    f->ns = in->n_students;
    f->np = in->n_places;
    f->order = order;
    size_t nodes = f->ns + f->np + 1;
    if (seat_offsets(in, &f->offset) != 0)
        return ERR_NOMEM;
    f->seat = malloc((f->offset[f->np] ? f->offset[f->np] : 1) * sizeof *f->seat);
    f->load = calloc(f->np + 1, sizeof *f->load);
    f->pos = calloc(f->ns + 1, sizeof *f->pos);
    f->place = malloc((f->ns + 1) * sizeof *f->place);
    f->cost = calloc(f->ns + 1, sizeof *f->cost);
    f->pi = calloc(nodes, sizeof *f->pi);
    f->dist = malloc(nodes * sizeof *f->dist);
    f->q_cap = in->n_wishes + f->ns + f->offset[f->np] + 16;
    f->q_node = malloc(f->q_cap * sizeof *f->q_node);
    f->q_next = malloc(f->q_cap * sizeof *f->q_next);
    f->stamp = calloc(nodes, sizeof *f->stamp);
    f->stack = malloc(nodes * sizeof *f->stack);
    f->iter = malloc(nodes * sizeof *f->iter);
    if (!f->seat || !f->load || !f->pos || !f->place || !f->cost || !f->pi || !f->dist ||
        !f->q_node || !f->q_next || !f->stamp || !f->stack || !f->iter)
        return ERR_NOMEM;
    for (size_t s = 0; s < f->ns; s++)
        f->place[s] = PL_NONE;
    return 0;
}

static int q_push(struct flow *f, int64_t d, uint32_t node)
{
    size_t b = (size_t)d;
    if (b >= f->n_buckets) {
        size_t n = f->n_buckets ? f->n_buckets : 64;
        while (n <= b)
            n *= 2;
        uint32_t *grown = realloc(f->bucket, n * sizeof *grown);
        if (!grown)
            return ERR_NOMEM;
        for (size_t i = f->n_buckets; i < n; i++)
            grown[i] = PL_NONE;
        f->bucket = grown;
        f->n_buckets = n;
    }
    if (f->q_len == f->q_cap) {
        size_t cap = f->q_cap * 2;
        uint32_t *nodes = realloc(f->q_node, cap * sizeof *nodes);
        if (!nodes)
            return ERR_NOMEM;
        f->q_node = nodes;
        uint32_t *next = realloc(f->q_next, cap * sizeof *next);
        if (!next)
            return ERR_NOMEM;
        f->q_next = next;
        f->q_cap = cap;
    }
    f->q_node[f->q_len] = node;
    f->q_next[f->q_len] = f->bucket[b];
    f->bucket[b] = (uint32_t)f->q_len++;
    return 0;
}

static bool place_free(const struct flow *f, uint32_t p)
{
    return f->load[p] < (uint32_t)f->in->places[p].capacity;
}

/*
 * Distances on reduced costs from every unassigned student to every node, stopped at the
 * distance D of the nearest place with a free seat; then pi += min(dist, D). Returns 1 when an
 * augmenting path exists, 0 when the flow is maximum, or ERR_NOMEM.
 */
static int flow_dijkstra(struct flow *f)
{
    const struct pl_instance *in = f->in;
    size_t ns = f->ns, nodes = f->ns + f->np;
    int64_t *pi = f->pi, *dist = f->dist;
    int64_t pi_t = pi[nodes];
    for (size_t v = 0; v < nodes; v++)
        dist[v] = INF_DIST;
    f->q_len = 0;
    for (size_t i = 0; i < ns; i++) {
        uint32_t s = f->order[i];
        if (f->place[s] == PL_NONE && in->students[s].wish_count > 0) {
            dist[s] = 0;
            if (q_push(f, 0, s) != 0)
                return ERR_NOMEM;
        }
    }
    int64_t best = INF_DIST;
    for (size_t d = 0; d < f->n_buckets && (int64_t)d < best; d++) {
        while (f->bucket[d] != PL_NONE) {
            uint32_t e = f->bucket[d];
            f->bucket[d] = f->q_next[e];
            uint32_t u = f->q_node[e];
            if (dist[u] != (int64_t)d)
                continue; /* a stale entry: u was reached more cheaply */
            if (u < ns) {
                const struct pl_student *st = &in->students[u];
                for (uint32_t k = 0; k < st->wish_count; k++) {
                    uint32_t p = in->wishes[st->wish_start + k];
                    if (p == f->place[u])
                        continue;
                    int64_t nd = (int64_t)d + (int64_t)(k + 1) + pi[u] - pi[ns + p];
                    assert(nd >= (int64_t)d);
                    if (nd < dist[ns + p] && nd < best) {
                        dist[ns + p] = nd;
                        if (q_push(f, nd, (uint32_t)(ns + p)) != 0)
                            return ERR_NOMEM;
                    }
                }
            } else {
                uint32_t p = (uint32_t)(u - ns);
                if (place_free(f, p)) {
                    int64_t nd = (int64_t)d + pi[u] - pi_t;
                    if (nd < best)
                        best = nd;
                }
                for (uint32_t i = f->offset[p]; i < f->offset[p] + f->load[p]; i++) {
                    uint32_t j = f->seat[i];
                    int64_t nd = (int64_t)d - (int64_t)f->cost[j] + pi[u] - pi[j];
                    assert(nd >= (int64_t)d);
                    if (nd < dist[j] && nd < best) {
                        dist[j] = nd;
                        if (q_push(f, nd, j) != 0)
                            return ERR_NOMEM;
                    }
                }
            }
        }
    }
    for (size_t d = 0; d < f->n_buckets; d++)
        f->bucket[d] = PL_NONE;
    if (best == INF_DIST)
        return 0;
    for (size_t v = 0; v < nodes; v++)
        pi[v] += dist[v] < best ? dist[v] : best;
    pi[nodes] += best;
    return 1;
}

static void seat_add(struct flow *f, uint32_t p, uint32_t s, uint32_t cost)
{
    uint32_t i = f->offset[p] + f->load[p]++;
    f->seat[i] = s;
    f->pos[s] = i;
    f->place[s] = p;
    f->cost[s] = cost;
}

static void seat_remove(struct flow *f, uint32_t s)
{
    uint32_t p = f->place[s];
    uint32_t last = f->offset[p] + --f->load[p];
    uint32_t moved = f->seat[last];
    f->seat[f->pos[s]] = moved;
    f->pos[moved] = f->pos[s];
    f->place[s] = PL_NONE;
}

/*
 * One depth-first pass over the arcs of zero reduced cost from every unassigned student, in the
 * tie-break order; a node is entered at most once per pass. The stack alternates student,
 * place, student, ... and each augmentation shifts every student on it one place along.
 * Returns the number of augmentations.
 */
static size_t flow_augment(struct flow *f)
{
    const struct pl_instance *in = f->in;
    size_t ns = f->ns;
    const int64_t *pi = f->pi;
    int64_t pi_t = pi[ns + f->np];
    size_t found = 0;
    f->pass++;
    for (size_t i = 0; i < ns; i++) {
        uint32_t root = f->order[i];
        if (f->place[root] != PL_NONE || f->stamp[root] == f->pass)
            continue;
        size_t top = 0;
        f->stack[top] = root;
        f->iter[top] = 0;
        f->stamp[root] = f->pass;
        while (top != SIZE_MAX) {
            uint32_t u = f->stack[top];
            uint32_t next = PL_NONE;
            if (u < ns) {
                const struct pl_student *st = &in->students[u];
                while (f->iter[top] < st->wish_count) {
                    uint32_t k = f->iter[top]++;
                    uint32_t p = in->wishes[st->wish_start + k];
                    if (p != f->place[u] && f->stamp[ns + p] != f->pass &&
                        (int64_t)(k + 1) + pi[u] - pi[ns + p] == 0) {
                        next = (uint32_t)(ns + p);
                        break;
                    }
                }
            } else {
                uint32_t p = (uint32_t)(u - ns);
                /* Entered just now (no seat looked at yet): a free seat ends the path. */
                if (f->iter[top] == 0 && place_free(f, p) && pi[u] == pi_t) {
                    /* Augment: each student on the stack takes the place after them, the last
                     * one first so that the seat they leave is free for the one before. */
                    for (size_t k = top + 1; k >= 2; k -= 2) {
                        uint32_t s = f->stack[k - 2], to = f->stack[k - 1] - (uint32_t)ns;
                        const struct pl_student *st = &in->students[s];
                        uint32_t rank = 0;
                        while (in->wishes[st->wish_start + rank] != to)
                            rank++;
                        if (f->place[s] != PL_NONE)
                            seat_remove(f, s);
                        seat_add(f, to, s, rank + 1);
                    }
                    found++;
                    break;
                }
                while (f->iter[top] < f->load[p]) {
                    uint32_t j = f->seat[f->offset[p] + f->iter[top]++];
                    if (f->stamp[j] != f->pass && -(int64_t)f->cost[j] + pi[u] - pi[j] == 0) {
                        next = j;
                        break;
                    }
                }
            }
            if (next != PL_NONE) {
                f->stamp[next] = f->pass;
                top++;
                f->stack[top] = next;
                f->iter[top] = 0;
            } else {
                top = top == 0 ? SIZE_MAX : top - 1;
            }
        }
    }
    return found;
}

static int solve_optimal(const struct pl_instance *in, struct pl_result *r)
{
    struct flow f;
    int rc = flow_init(&f, in, r->order);
    if (rc != 0)
        goto done;
    for (;;) {
        rc = flow_dijkstra(&f);
        if (rc < 0)
            goto done;
        if (rc == 0)
            break;
        r->proposals += flow_augment(&f);
    }
    for (size_t s = 0; s < f.ns; s++)
        r->place[s] = f.place[s];
    r->potential = f.pi;
    f.pi = NULL;
    rc = 0;
done:
    flow_free(&f);
    return rc;
}

int pl_seed_parse(const char *s, uint64_t *seed)
{
    if (!s || !*s || strlen(s) > 20)
        return ERR_INVAL;
    uint64_t v = 0;
    for (const char *c = s; *c; c++) {
        if (*c < '0' || *c > '9')
            return ERR_INVAL;
        unsigned d = (unsigned)(*c - '0');
        if (v > (UINT64_MAX - d) / 10)
            return ERR_INVAL;
        v = v * 10 + d;
    }
    *seed = v;
    return 0;
}

int pl_solve(const struct pl_instance *in, const struct pl_options *opt, struct pl_result **out)
{
    *out = NULL;
    struct pl_result *r = result_new(in, opt->method);
    uint32_t *key = malloc((in->n_students ? in->n_students : 1) * sizeof *key);
    int rc = ERR_NOMEM;
    if (!r || !key)
        goto fail;
    if (compute_order(in, opt, r->order, key) != 0)
        goto fail;
    rc = opt->method == PL_STABLE ? solve_stable(in, r, key) : solve_optimal(in, r);
    if (rc != 0)
        goto fail;
    result_tally(in, r);
    free(key);
    *out = r;
    return 0;
fail:
    free(key);
    pl_result_free(r);
    return rc;
}

/* ---- Explanations ------------------------------------------------------------------------ */

struct heap_item {
    int64_t d;
    uint32_t node;
};

struct pl_explainer {
    const struct pl_instance *in;
    const struct pl_result *r;
    struct pl_options opt;
    uint32_t *offset; /* students held per place: held[offset[p] .. offset[p + 1]) */
    uint32_t *held;
    uint32_t *worst; /* stable: the last admitted student of each place, PL_NONE */
    /* optimal: one search per better wish */
    int64_t *dist;
    uint32_t *pred;        /* node reached from */
    uint32_t *stamp;       /* dist/pred valid when stamp == query */
    int64_t min_placed_pi; /* the smallest potential of a placed student */
    uint32_t *unplaced;    /* the students without a place who have wishes */
    size_t n_unplaced;
    uint32_t *done; /* finalised when done == query */
    uint32_t query;
    struct heap_item *heap;
    size_t heap_len, heap_cap;
};

void pl_explainer_free(struct pl_explainer *ex)
{
    if (!ex)
        return;
    free(ex->offset);
    free(ex->held);
    free(ex->worst);
    free(ex->dist);
    free(ex->pred);
    free(ex->stamp);
    free(ex->done);
    free(ex->heap);
    free(ex->unplaced);
    free(ex);
}

struct pl_explainer *pl_explainer_new(const struct pl_instance *in, const struct pl_options *opt,
                                      const struct pl_result *r)
{
    struct pl_explainer *ex = calloc(1, sizeof *ex);
    if (!ex)
        return NULL;
    ex->in = in;
    ex->r = r;
    ex->opt = *opt;
    size_t np = in->n_places, ns = in->n_students, nodes = ns + np;
    ex->offset = calloc(np + 1, sizeof *ex->offset);
    ex->held = malloc((ns ? ns : 1) * sizeof *ex->held);
    ex->worst = malloc((np ? np : 1) * sizeof *ex->worst);
    if (!ex->offset || !ex->held || !ex->worst)
        goto fail;
    for (size_t s = 0; s < ns; s++)
        if (r->place[s] != PL_NONE)
            ex->offset[r->place[s] + 1]++;
    for (size_t p = 0; p < np; p++) {
        ex->offset[p + 1] += ex->offset[p];
        ex->worst[p] = PL_NONE;
    }
    uint32_t *fill = calloc(np + 1, sizeof *fill);
    if (!fill)
        goto fail;
    for (size_t s = 0; s < ns; s++) {
        uint32_t p = r->place[s];
        if (p == PL_NONE)
            continue;
        ex->held[ex->offset[p] + fill[p]++] = (uint32_t)s;
        if (ex->worst[p] == PL_NONE || pl_student_cmp(in, opt, (uint32_t)s, ex->worst[p]) > 0)
            ex->worst[p] = (uint32_t)s;
    }
    free(fill);
    if (r->method == PL_OPTIMAL) {
        /* students, places, then the source: see explain_trade() */
        ex->dist = malloc((nodes + 1) * sizeof *ex->dist);
        ex->pred = malloc((nodes + 1) * sizeof *ex->pred);
        ex->stamp = calloc(nodes + 1, sizeof *ex->stamp);
        ex->done = calloc(nodes + 1, sizeof *ex->done);
        if (!ex->dist || !ex->pred || !ex->stamp || !ex->done || !r->potential)
            goto fail;
        ex->unplaced = malloc((ns ? ns : 1) * sizeof *ex->unplaced);
        if (!ex->unplaced)
            goto fail;
        for (size_t s = 0; s < ns; s++)
            if (r->place[s] == PL_NONE && in->students[s].wish_count > 0)
                ex->unplaced[ex->n_unplaced++] = (uint32_t)s;
        ex->min_placed_pi = INT64_MAX;
        for (size_t s = 0; s < ns; s++)
            if (r->place[s] != PL_NONE && r->potential[s] < ex->min_placed_pi)
                ex->min_placed_pi = r->potential[s];
    }
    return ex;
fail:
    pl_explainer_free(ex);
    return NULL;
}

static uint32_t held_count(const struct pl_explainer *ex, uint32_t p)
{
    return ex->offset[p + 1] - ex->offset[p];
}

static uint32_t rank_of(const struct pl_instance *in, uint32_t s, uint32_t p)
{
    const struct pl_student *st = &in->students[s];
    for (uint32_t k = 0; k < st->wish_count; k++)
        if (in->wishes[st->wish_start + k] == p)
            return k + 1;
    return 0;
}

static int heap_push_item(struct pl_explainer *ex, int64_t d, uint32_t node)
{
    if (grow((void **)&ex->heap, &ex->heap_cap, ex->heap_len + 1, sizeof *ex->heap) != 0)
        return ERR_NOMEM;
    size_t i = ex->heap_len++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (ex->heap[parent].d <= d)
            break;
        ex->heap[i] = ex->heap[parent];
        i = parent;
    }
    ex->heap[i] = (struct heap_item){d, node};
    return 0;
}

static struct heap_item heap_pop_item(struct pl_explainer *ex)
{
    struct heap_item top = ex->heap[0], last = ex->heap[--ex->heap_len];
    size_t i = 0, n = ex->heap_len;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && ex->heap[c + 1].d < ex->heap[c].d)
            c++;
        if (ex->heap[c].d >= last.d)
            break;
        ex->heap[i] = ex->heap[c];
        i = c;
    }
    if (n > 0)
        ex->heap[i] = last;
    return top;
}

static bool relax(struct pl_explainer *ex, uint32_t v, int64_t d, uint32_t from)
{
    if (ex->done[v] == ex->query || (ex->stamp[v] == ex->query && ex->dist[v] <= d))
        return true;
    ex->stamp[v] = ex->query;
    ex->dist[v] = d;
    ex->pred[v] = from;
    return heap_push_item(ex, d, v) == 0;
}

/*
 * The cheapest change of the optimal assignment that gives place p (rank k) to student i:
 * i leaves their place q (a seat frees there) and enters p; if p was full, someone there leaves
 * for another wish, and so on, until a place with a free seat takes the last one (nobody loses
 * their seat) or the last one is left unassigned -- unless a student who had no place takes a
 * seat in their stead (through the source, whose potential is 0, as is that of every student
 * without a place). A Dijkstra on the reduced costs of the final
 * potentials (all residual arcs non-negative) from p, i held fixed; true costs are recovered
 * from the potentials at each end. Stops when no unexplored end can beat the best one found.
 */
static int explain_trade(struct pl_explainer *ex, uint32_t i, uint32_t p, uint32_t k,
                         struct pl_why *w)
{
    const struct pl_instance *in = ex->in;
    const struct pl_result *r = ex->r;
    size_t ns = in->n_students, np = in->n_places;
    const int64_t *pi = r->potential;
    int64_t pi_t = pi[ns + np];
    uint32_t q = r->place[i];
    /* Lower bounds of the potential at an end: a place with a free seat has one at least the
     * sink's (its arc to the sink has a non-negative reduced cost), q excepted; a student
     * pushed out of a place was placed, hence at least the smallest potential of those. */
    int64_t floor_absorb = pi_t;
    if (q != PL_NONE && pi[ns + q] < floor_absorb)
        floor_absorb = pi[ns + q];
    int64_t floor_drop = ex->min_placed_pi;
    ex->query++;
    ex->heap_len = 0;
    uint32_t start = (uint32_t)(ns + p), source = (uint32_t)(ns + np);
    if (!relax(ex, start, 0, PL_NONE))
        return ERR_NOMEM;
    /* best end: placed change (0 keeps everyone, -1 leaves one out), cost change, end node */
    bool have = false;
    int32_t best_placed = 0;
    int64_t best_cost = 0;
    uint32_t best_end = PL_NONE;
    int32_t gain = q == PL_NONE ? 1 : 0; /* i entering: +1 placed when i had no place */
    while (ex->heap_len > 0) {
        struct heap_item it = heap_pop_item(ex);
        uint32_t u = it.node;
        if (ex->done[u] == ex->query || it.d != ex->dist[u])
            continue;
        ex->done[u] = ex->query;
        int64_t base = it.d - pi[start];
        /* Every end still to find costs at least base plus the floor of its kind. Stop when
         * that cannot beat the best end of the best kind possible: keeping everyone placed, or,
         * when i had no place (then no free seat is reachable, or the flow would not be
         * maximum), leaving one out. */
        if (have && best_placed == gain && base + floor_absorb >= best_cost)
            break;
        if (have && q == PL_NONE && base + floor_drop >= best_cost)
            break;
        if (u == source) {
            /* The chain dropped someone: a student without a place may take a seat instead. */
            for (size_t x = 0; x < ex->n_unplaced; x++) {
                uint32_t v = ex->unplaced[x];
                if (v != i && !relax(ex, v, it.d - pi[v], u))
                    return ERR_NOMEM;
            }
        } else if (u >= ns) {
            uint32_t x = (uint32_t)(u - ns);
            /* Whoever arrives at x (i itself at p) needs a seat besides those held there,
             * one of which i gave back at q. */
            uint32_t load = held_count(ex, x) - (x == q ? 1 : 0);
            if (load < (uint32_t)in->places[x].capacity) {
                int64_t cost = base + pi[u];
                if (!have || best_placed < gain || cost < best_cost) {
                    have = true;
                    best_placed = gain;
                    best_cost = cost;
                    best_end = u;
                }
                continue; /* the chain ends here: nobody needs to leave x */
            }
            for (uint32_t h = ex->offset[x]; h < ex->offset[x + 1]; h++) {
                uint32_t j = ex->held[h];
                if (j == i)
                    continue;
                int64_t rc = -(int64_t)r->rank[j] + pi[u] - pi[j];
                if (!relax(ex, j, it.d + rc, u))
                    return ERR_NOMEM;
            }
        } else {
            /* u lost their seat, or (after the source) had none: either the chain ends with
             * u unassigned, or u takes another wish. */
            int64_t cost = base + pi[u];
            bool dropped = r->place[u] != PL_NONE;
            if (dropped && (!have || (best_placed == gain - 1 && cost < best_cost))) {
                have = true;
                best_placed = gain - 1;
                best_cost = cost;
                best_end = u;
            }
            if (dropped && !relax(ex, source, it.d + pi[u], u))
                return ERR_NOMEM;
            const struct pl_student *st = &in->students[u];
            for (uint32_t kk = 0; kk < st->wish_count; kk++) {
                uint32_t y = in->wishes[st->wish_start + kk];
                if (y == r->place[u])
                    continue;
                int64_t rc = (int64_t)(kk + 1) + pi[u] - pi[ns + y];
                if (!relax(ex, (uint32_t)(ns + y), it.d + rc, u))
                    return ERR_NOMEM;
            }
        }
    }
    w->kind = PL_WHY_TRADE;
    w->delta_placed = best_placed;
    w->delta_rank_sum = (int64_t)k - (int64_t)r->rank[i] + best_cost; /* rank 0: no place */
    w->displaced = PL_NONE;
    w->displaced_from_rank = 0;
    w->displaced_to_rank = 0;
    /* Walk back from the end to p: the student right after p is the one displaced. */
    uint32_t after = PL_NONE;
    for (uint32_t v = best_end; v != start && v != PL_NONE; v = ex->pred[v]) {
        if (ex->pred[v] == start) {
            w->displaced = v;
            w->displaced_from_rank = r->rank[v];
            w->displaced_to_rank = after == PL_NONE ? 0 : rank_of(in, v, (uint32_t)(after - ns));
            break;
        }
        after = v;
    }
    return 0;
}

size_t pl_explain(struct pl_explainer *ex, uint32_t student, struct pl_why *why, size_t cap)
{
    const struct pl_instance *in = ex->in;
    const struct pl_result *r = ex->r;
    const struct pl_student *st = &in->students[student];
    size_t n = r->rank[student] ? r->rank[student] - 1 : st->wish_count;
    for (size_t k = 0; k < n && k < cap; k++) {
        uint32_t p = in->wishes[st->wish_start + k];
        struct pl_why *w = &why[k];
        memset(w, 0, sizeof *w);
        w->place = p;
        w->rank = (uint32_t)k + 1;
        w->capacity = in->places[p].capacity;
        w->displaced = PL_NONE;
        if (w->capacity == 0) {
            w->kind = PL_WHY_NO_CAPACITY;
        } else if (held_count(ex, p) < (uint32_t)w->capacity) {
            w->kind = PL_WHY_FREE_SEAT;
        } else if (r->method == PL_STABLE) {
            uint32_t last = ex->worst[p];
            w->kind = PL_WHY_FULL;
            w->cutoff_priority = in->students[last].priority;
            w->tie = w->cutoff_priority == st->priority;
        } else if (explain_trade(ex, student, p, (uint32_t)k + 1, w) != 0) {
            w->kind = PL_WHY_FULL; /* out of memory: say at least that it was full */
        }
    }
    return n;
}

/* ---- Checks ------------------------------------------------------------------------------ */

size_t pl_check_feasible(const struct pl_instance *in, const uint32_t *place)
{
    size_t bad = 0;
    uint32_t *load = calloc(in->n_places + 1, sizeof *load);
    if (!load)
        return SIZE_MAX;
    for (size_t s = 0; s < in->n_students; s++) {
        uint32_t p = place[s];
        if (p == PL_NONE)
            continue;
        if (p >= in->n_places || rank_of(in, (uint32_t)s, p) == 0) {
            bad++;
            continue;
        }
        const struct pl_place *pl = &in->places[p];
        const struct pl_student *st = &in->students[s];
        if (pl->degree != st->degree || pl->discipline != st->discipline)
            bad++;
        if (++load[p] == (uint32_t)pl->capacity + 1)
            bad++;
    }
    free(load);
    return bad;
}

size_t pl_blocking_pairs(const struct pl_instance *in, const struct pl_options *opt,
                         const uint32_t *place, uint32_t first[2])
{
    size_t np = in->n_places, ns = in->n_students;
    uint32_t *load = calloc(np + 1, sizeof *load);
    uint32_t *worst = malloc((np + 1) * sizeof *worst);
    size_t pairs = 0;
    if (!load || !worst) {
        free(load);
        free(worst);
        return SIZE_MAX;
    }
    for (size_t p = 0; p < np; p++)
        worst[p] = PL_NONE;
    for (size_t s = 0; s < ns; s++) {
        uint32_t p = place[s];
        if (p == PL_NONE || p >= np)
            continue;
        load[p]++;
        if (worst[p] == PL_NONE || pl_student_cmp(in, opt, (uint32_t)s, worst[p]) > 0)
            worst[p] = (uint32_t)s;
    }
    for (size_t s = 0; s < ns; s++) {
        const struct pl_student *st = &in->students[s];
        for (uint32_t k = 0; k < st->wish_count; k++) {
            uint32_t p = in->wishes[st->wish_start + k];
            if (p == place[s])
                break; /* wishes after their own place are worse */
            bool open = load[p] < (uint32_t)in->places[p].capacity;
            if (open ||
                (worst[p] != PL_NONE && pl_student_cmp(in, opt, (uint32_t)s, worst[p]) < 0)) {
                if (pairs == 0 && first) {
                    first[0] = (uint32_t)s;
                    first[1] = p;
                }
                pairs++;
            }
        }
    }
    free(load);
    free(worst);
    return pairs;
}
