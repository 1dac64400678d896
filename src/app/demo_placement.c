/*
 * The demo's bureau des stages (demo_internal.h): two periods of the MEEF master's internships,
 * each with its cohort of students, the places offered by the académie's schools and
 * establishments, and the students' ranked wishes.
 *
 * - 2026-m2-file, the current period: about 4,000 M2 students (at both scales: the national
 *   scale multiplies trainers and establishments, not the académie's cohort, and the engine's
 *   100,000-student case is bench/'s), wishes window open around the real time of the load.
 * - 2025-m1-masse, last year's: 300 M1 students, window closed, its stable placement run and
 *   published (demo_placement_publish), so that every role has something to look at.
 *
 * A cohort is drawn in memory first (students, then the places their numbers call for, then the
 * wishes) from its own PRNG stream, and only then written: the rows depend on the seed alone,
 * never on what the store answered. Places and students go through app_place_add and
 * app_istudent_add (validated and audited, inside the loader's transaction); wishes through
 * store_wishes_set, as an import would.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/demo_internal.h"
#include "app/placement.h"
#include "core/err.h"
#include "core/timeutil.h"
#include "engine/placement.h"

#define DAY        (24 * 3600)
#define MAX_WISHES 10

/* PRNG streams (demo.c uses 1 and 2). */
enum { STREAM_CURRENT = 3, STREAM_PAST = 4, STREAM_APPEAL = 5, STREAM_DEMO_STUDENT = 6 };

enum { SITE_AIN, SITE_LOIRE, SITE_RHONE, SITES };
static const char *const site_codes[SITES] = {"ain", "loire", "rhone"};

/* ---- data ---- */

/* Where a group's places are: the kinds of establishments that teach it. */
enum { W_ECOLE = 1, W_COLLEGE = 2, W_LYCEE = 4, W_PRO = 8 };

/* A group of the cohort: students of one degree and discipline, who may only wish its places.
 * Weights are shares of the cohort: the first degree (polyvalent, as in demo.c's référentiel)
 * is 60 %, the second degree's disciplines share the rest unequally, roughly as the MEEF
 * second-degree parcours of an académie do. */
struct group_def {
    const char *degree, *discipline;
    int weight;
    unsigned where;
    const char *level; /* a fixed class level (CPE, professeurs documentalistes), or NULL */
};

static const struct group_def groups[] = {
    {"1D", "polyvalent", 1500, W_ECOLE, NULL},
    {"2D", "lettres", 130, W_COLLEGE | W_LYCEE | W_PRO, NULL},
    {"2D", "mathematiques", 130, W_COLLEGE | W_LYCEE | W_PRO, NULL},
    {"2D", "anglais", 110, W_COLLEGE | W_LYCEE | W_PRO, NULL},
    {"2D", "histoire_geographie", 100, W_COLLEGE | W_LYCEE, NULL},
    {"2D", "eps", 90, W_COLLEGE | W_LYCEE | W_PRO, NULL},
    {"2D", "espagnol", 60, W_COLLEGE | W_LYCEE, NULL},
    {"2D", "svt", 60, W_COLLEGE | W_LYCEE, NULL},
    {"2D", "physique_chimie", 60, W_COLLEGE | W_LYCEE, NULL},
    {"2D", "education", 40, W_COLLEGE | W_LYCEE | W_PRO, "Vie scolaire"},
    {"2D", "allemand", 30, W_COLLEGE | W_LYCEE, NULL},
    {"2D", "technologie", 30, W_COLLEGE, NULL},
    {"2D", "arts_plastiques", 30, W_COLLEGE | W_LYCEE, NULL},
    {"2D", "economie_gestion", 30, W_LYCEE | W_PRO, NULL},
    {"2D", "documentation", 30, W_COLLEGE | W_LYCEE | W_PRO, "CDI"},
    {"2D", "education_musicale", 20, W_COLLEGE, NULL},
    {"2D", "philosophie", 20, W_LYCEE, NULL},
    {"2D", "ses", 20, W_LYCEE, NULL},
    {"2D", "sti", 20, W_LYCEE | W_PRO, NULL},
    {"2D", "italien", 10, W_COLLEGE | W_LYCEE, NULL},
    {"2D", "lettres_classiques", 10, W_COLLEGE | W_LYCEE, NULL},
    {"2D", "biotechnologies", 10, W_LYCEE | W_PRO, NULL},
    {"2D", "nsi", 10, W_LYCEE, NULL},
};

#define NGROUPS ((int)NELEM(groups))

/* Class levels by kind of establishment (enum demo_estab_kind order). */
static const char *const levels_maternelle[] = {"Petite section", "Moyenne section",
                                                "Grande section"};
static const char *const levels_elementaire[] = {"CP", "CE1", "CE2", "CM1", "CM2"};
static const char *const levels_primaire[] = {"Grande section", "CP", "CE1", "CE2", "CM1", "CM2"};
static const char *const levels_college[] = {"6e", "5e", "4e", "3e"};
static const char *const levels_lycee[] = {"Seconde", "Première", "Terminale"};
static const char *const levels_pro[] = {"CAP", "Seconde professionnelle",
                                         "Première professionnelle", "Terminale professionnelle"};

/* A period and its cohort. */
struct period_def {
    const char *code, *label, *cohort, *kind, *starts_on, *ends_on;
    const char *student_prefix; /* student numbers: E2026-00001 */
    int students;
    uint64_t stream;
    int tutor_places; /* places of the "formateur" account */
    int chef_places;  /* places in the establishment of "chef.etab" */
    /* Dates of a closed window (00:00 Paris) and of its creation; the current period's window
     * comes from the real time instead. */
    const char *created_on, *open_on, *close_on;
};

static const struct period_def current_def = {"2026-m2-file",
                                              "M2 MEEF — stage filé 2026-2027",
                                              "M2",
                                              "file",
                                              "2026-09-01",
                                              "2027-05-31",
                                              "E2026",
                                              4000,
                                              STREAM_CURRENT,
                                              2,
                                              3,
                                              NULL,
                                              NULL,
                                              NULL};

static const struct period_def past_def = {"2025-m1-masse",
                                           "M1 MEEF — stage massé 2025-2026",
                                           "M1",
                                           "masse",
                                           "2026-01-05",
                                           "2026-01-30",
                                           "E2025",
                                           300,
                                           STREAM_PAST,
                                           1,
                                           2,
                                           "2025-09-15",
                                           "2025-10-06",
                                           "2025-11-07"};

/* The past run: made ten days after the window closed, published a week later (09:00 Paris,
 * UTC+1 in November). */
#define PAST_RUN_ON     "2025-11-17"
#define PAST_PUBLISH_ON "2025-11-24"

/* ---- the cohort being drawn ---- */

struct gplace {
    struct internship_place p;
    int group, estab;
    int64_t id;
};

struct gstudent {
    struct internship_student s;
    int group, site;
    int nwishes;
    int wishes[MAX_WISHES]; /* indexes into the cohort's places */
    int64_t id;
};

struct cohort {
    const struct demo_placement_env *env;
    const struct period_def *def;
    const int *appeal; /* per establishment */
    struct app_ctx ctx;
    int64_t period_id;
    struct rng r;
    struct gstudent *students;
    int nstudents;
    struct gplace *places;
    int nplaces, cap_places;
    int *estab_places; /* per establishment: places so far, for the codes */
    int *candidates;   /* scratch: establishments of one group and site */
    /* A group's places are places[group_first .. group_first + group_count). */
    int group_first[NGROUPS], group_count[NGROUPS];
    int group_site_students[NGROUPS][SITES];
    /* Per site, the running sum of the places' weights within their group (wish draws). */
    int64_t *cum[SITES];
    int chef_estab; /* index of chef.etab's establishment, or -1 */
    struct buf fold;
};

/* Formats into dst (n bytes): 0, or ERR_TOOBIG when the text did not fit (dst then holds ""). */
__attribute__((format(printf, 3, 4))) static int set_fmt(char *dst, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(dst, n, fmt, ap);
    va_end(ap);
    if (k >= 0 && (size_t)k < n)
        return 0;
    dst[0] = '\0';
    return ERR_TOOBIG;
}

/* Copies a text that fits by construction (the codes and labels of this file's tables, the names
 * of demo.c's lists, the accounts' logins): a cut would be a bug of those tables, which the
 * assert catches. */
#define SET(dst, src) set_text((dst), sizeof(dst), (src))

static void set_text(char *dst, size_t n, const char *src)
{
    int rc = set_fmt(dst, n, "%s", src);
    assert(rc == 0);
    (void)rc;
}

__attribute__((format(printf, 2, 3))) static void fail_msg(const struct demo_placement_env *env,
                                                           const char *fmt, ...)
{
    if (env->stats->error[0])
        return; /* keep the first, most precise message */
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(env->stats->error, sizeof env->stats->error, fmt, ap);
    va_end(ap);
    if (n < 0)
        env->stats->error[0] = '\0';
}

static int site_index(const char *code)
{
    for (int i = 0; i < SITES; i++)
        if (strcmp(site_codes[i], code) == 0)
            return i;
    return SITE_RHONE;
}

static unsigned estab_where(enum demo_estab_kind k)
{
    switch (k) {
    case DEMO_ECOLE_MATERNELLE:
    case DEMO_ECOLE_ELEMENTAIRE:
    case DEMO_ECOLE_PRIMAIRE:
        return W_ECOLE;
    case DEMO_COLLEGE:
        return W_COLLEGE;
    case DEMO_LYCEE:
        return W_LYCEE;
    case DEMO_LYCEE_PRO:
        return W_PRO;
    case DEMO_LYCEE_POLYVALENT:
        return W_LYCEE | W_PRO;
    }
    return 0;
}

static const char *draw_level(struct rng *r, const struct group_def *g, enum demo_estab_kind k)
{
    if (g->level)
        return g->level;
    switch (k) {
    case DEMO_ECOLE_MATERNELLE:
        return PICK(r, levels_maternelle);
    case DEMO_ECOLE_ELEMENTAIRE:
        return PICK(r, levels_elementaire);
    case DEMO_ECOLE_PRIMAIRE:
        return PICK(r, levels_primaire);
    case DEMO_COLLEGE:
        return PICK(r, levels_college);
    case DEMO_LYCEE_PRO:
        return PICK(r, levels_pro);
    case DEMO_LYCEE_POLYVALENT:
        /* The general classes, unless only the vocational side teaches the discipline. */
        return (g->where & W_LYCEE) ? PICK(r, levels_lycee) : PICK(r, levels_pro);
    case DEMO_LYCEE:
        break;
    }
    return PICK(r, levels_lycee);
}

/* "prenom.nom" in ASCII into out (n bytes). */
static void email_name(struct cohort *c, const char *first, const char *last, char *out, size_t n)
{
    char fp[64], lp[64];
    demo_email_part(&c->fold, first, fp, sizeof fp);
    demo_email_part(&c->fold, last, lp, sizeof lp);
    set_fmt(out, n, "%s.%s", fp, lp); /* "" if cut: an address is optional */
}

/* ---- students ---- */

static void draw_identity(struct cohort *c, struct rng *r, struct internship_student *s, int number)
{
    SET(s->first_name, demo_first_names[rng_below(r, demo_first_names_count)]);
    SET(s->last_name, demo_last_names[rng_below(r, demo_last_names_count)]);
    char local[100];
    email_name(c, s->first_name, s->last_name, local, sizeof local);
    /* "" if cut: an address is optional. */
    if (number > 0)
        set_fmt(s->email, sizeof s->email, "%s.%d@etu.inspe-lyon.example", local, number);
    else
        set_fmt(s->email, sizeof s->email, "%s@etu.inspe-lyon.example", local);
}

static int draw_students(struct cohort *c)
{
    static const struct weighted student_sites[] = {{"rhone", 55}, {"loire", 25}, {"ain", 20}};
    /* Situations prioritaires (recognised disability, single parent, partner's job, high-level
     * athlete…) rank a student before the others at every place: about one in twenty. */
    static const int priority_w[] = {940, 35, 15, 10}; /* 0, 1, 2, 3 */
    int group_w[NGROUPS];
    for (int g = 0; g < NGROUPS; g++)
        group_w[g] = groups[g].weight;

    const struct period_def *d = c->def;
    c->students = calloc((size_t)d->students, sizeof *c->students);
    if (!c->students)
        return ERR_NOMEM;
    for (int i = 0; i < d->students; i++) {
        struct gstudent *gs = &c->students[c->nstudents++];
        struct internship_student *s = &gs->s;
        s->period_id = c->period_id;
        if (set_fmt(s->code, sizeof s->code, "%s-%05d", d->student_prefix, i + 1) != 0)
            return ERR_TOOBIG;
        bool demo = i == d->students - 1;
        if (demo) {
            /* The "etudiant" account: the cohort's last number, a first-degree student of the
             * Rhône, with the same identity in both periods (its own stream). */
            struct rng id_rng;
            rng_seed(&id_rng, c->env->seed, STREAM_DEMO_STUDENT);
            draw_identity(c, &id_rng, s, 0);
            SET(s->login, c->env->student_login);
            gs->group = 0;
            gs->site = SITE_RHONE;
        } else {
            draw_identity(c, &c->r, s, i + 1);
            gs->group = rng_weighted(&c->r, group_w, NGROUPS);
            gs->site = site_index(RNG_CODE(&c->r, student_sites));
            s->priority = rng_weighted(&c->r, priority_w, (int)NELEM(priority_w));
        }
        const struct group_def *g = &groups[gs->group];
        SET(s->degree, g->degree);
        SET(s->discipline, g->discipline);
        SET(s->site, site_codes[gs->site]);
        c->group_site_students[gs->group][gs->site]++;
    }
    return 0;
}

/* ---- places ---- */

/* The establishments of a site that teach group g, into c->candidates; returns how many. */
static int candidates(struct cohort *c, int g, int site)
{
    int n = 0;
    for (int e = 0; e < c->env->nestabs; e++) {
        const struct demo_establishment *es = &c->env->estabs[e];
        if ((estab_where(es->kind) & groups[g].where) && (site < 0 || site_index(es->site) == site))
            c->candidates[n++] = e;
    }
    return n;
}

static int add_place(struct cohort *c, int g, int estab, int capacity)
{
    if (c->nplaces == c->cap_places) {
        int cap = c->cap_places ? 2 * c->cap_places : 1024;
        struct gplace *p = realloc(c->places, (size_t)cap * sizeof *p);
        if (!p)
            return ERR_NOMEM;
        c->places = p;
        c->cap_places = cap;
    }
    struct gplace *gp = &c->places[c->nplaces++];
    memset(gp, 0, sizeof *gp);
    gp->group = g;
    gp->estab = estab;
    const struct demo_establishment *es = &c->env->estabs[estab];
    struct internship_place *p = &gp->p;
    p->period_id = c->period_id;
    int n = ++c->estab_places[estab];
    if (set_fmt(p->code, sizeof p->code, "%s-%02d", es->uai, n) != 0)
        return ERR_TOOBIG;
    SET(p->establishment_uai, es->uai);
    SET(p->class_level, draw_level(&c->r, &groups[g], es->kind));
    const char *first = demo_first_names[rng_below(&c->r, demo_first_names_count)];
    const char *last = demo_last_names[rng_below(&c->r, demo_last_names_count)];
    char local[100];
    email_name(c, first, last, local, sizeof local);
    if (set_fmt(p->tutor_name, sizeof p->tutor_name, "%s %s", first, last) != 0)
        return ERR_TOOBIG;
    set_fmt(p->tutor_email, sizeof p->tutor_email, "%s@ac-lyon.example", local); /* optional */
    p->capacity = capacity;
    SET(p->degree, groups[g].degree);
    SET(p->discipline, groups[g].discipline);
    SET(p->site, es->site);
    return 0;
}

/*
 * Places of group g until its seats reach 1.05 times its students, rounded up. Each place is in
 * a site drawn in proportion to the group's students there, so that every site offers about as
 * many seats as its students need, and in an establishment of that site drawn uniformly (any
 * site when none of that one teaches the discipline). The first places of the first groups a
 * collège teaches go to chef.etab's establishment, so that its head has trainees to see.
 */
static int draw_group_places(struct cohort *c, int g, int *chef_left)
{
    static const int capacity_w[] = {50, 35, 15}; /* 1, 2 or 3 trainees */
    int students = 0;
    for (int s = 0; s < SITES; s++)
        students += c->group_site_students[g][s];
    int seats = (students * 105 + 99) / 100;
    c->group_first[g] = c->nplaces;
    bool chef = *chef_left > 0 && c->chef_estab >= 0 && (groups[g].where & W_COLLEGE);
    while (seats > 0) {
        int capacity = 1 + rng_weighted(&c->r, capacity_w, 3);
        if (capacity > seats)
            capacity = seats;
        int estab;
        if (chef) {
            estab = c->chef_estab;
            chef = false;
            (*chef_left)--;
        } else {
            int site = rng_weighted(&c->r, c->group_site_students[g], SITES);
            int n = candidates(c, g, site);
            if (n == 0)
                n = candidates(c, g, -1);
            if (n == 0)
                break; /* no establishment teaches it: the group goes without places */
            estab = c->candidates[rng_below(&c->r, n)];
        }
        int rc = add_place(c, g, estab, capacity);
        if (rc)
            return rc;
        seats -= capacity;
    }
    c->group_count[g] = c->nplaces - c->group_first[g];
    return 0;
}

/* Makes the "formateur" account the tutor of `count` places: of its trainer's discipline when
 * the cohort has such places (a university trainer of mathematics tutors a mathematics class),
 * else first-degree ones; on its site when possible; never in chef.etab's establishment (whose
 * head should see other tutors). */
static void assign_demo_tutor(struct cohort *c, int count)
{
    const struct trainer *t = c->env->tutor;
    int g = 0;
    for (int k = 0; k < NGROUPS; k++)
        if (strcmp(groups[k].discipline, t->discipline) == 0 && c->group_count[k] >= count)
            g = k;
    for (int pass = 0; pass < 2 && count > 0; pass++)
        for (int i = c->group_first[g]; i < c->group_first[g] + c->group_count[g] && count > 0;
             i++) {
            struct internship_place *p = &c->places[i].p;
            if (*p->tutor_login || c->places[i].estab == c->chef_estab ||
                (pass == 0 && strcmp(p->site, t->site) != 0))
                continue;
            /* The trainer's name and address come from demo.c's short lists and fit; one
             * that did not would leave the place its drawn tutor. */
            char name[sizeof p->tutor_name], email[sizeof p->tutor_email];
            if (set_fmt(name, sizeof name, "%s %s", t->first_name, t->last_name) != 0 ||
                set_fmt(email, sizeof email, "%s", t->email) != 0)
                continue;
            SET(p->tutor_name, name);
            SET(p->tutor_email, email);
            SET(p->tutor_login, c->env->tutor_login);
            count--;
        }
}

/* ---- wishes ---- */

/*
 * Popularity: a place's weight for a student is its establishment's appeal (a few sought-after
 * establishments weigh ten times the others) times ten when it is on the student's own site.
 * c->cum[site] holds the running sums within each group, for draws by binary search.
 */
static int build_weights(struct cohort *c)
{
    for (int s = 0; s < SITES; s++) {
        c->cum[s] = malloc((size_t)(c->nplaces ? c->nplaces : 1) * sizeof *c->cum[s]);
        if (!c->cum[s])
            return ERR_NOMEM;
    }
    for (int g = 0; g < NGROUPS; g++)
        for (int s = 0; s < SITES; s++) {
            int64_t sum = 0;
            for (int i = c->group_first[g]; i < c->group_first[g] + c->group_count[g]; i++) {
                const struct gplace *gp = &c->places[i];
                int w = c->appeal[gp->estab] * (site_index(gp->p.site) == s ? 10 : 1);
                sum += w;
                c->cum[s][i] = sum;
            }
        }
    return 0;
}

static bool has_wish(const struct gstudent *gs, int place)
{
    for (int k = 0; k < gs->nwishes; k++)
        if (gs->wishes[k] == place)
            return true;
    return false;
}

/* How many wishes a student has entered: nine in ten all ten, the others fewer or none yet. */
static int draw_wish_count(struct cohort *c, bool demo)
{
    if (demo)
        return MAX_WISHES;
    int x = rng_below(&c->r, 100);
    return x < 90 ? MAX_WISHES : x < 95 ? 0 : rng_range(&c->r, 1, MAX_WISHES - 1);
}

static void draw_wishes(struct cohort *c, struct gstudent *gs, int want)
{
    int first = c->group_first[gs->group], count = c->group_count[gs->group];
    gs->nwishes = 0;
    if (want > count)
        want = count; /* a small discipline: every compatible place */
    const int64_t *cum = c->cum[gs->site];
    int64_t total = count ? cum[first + count - 1] : 0;
    /* Weighted draws without replacement by rejection: at most ten picks among hundreds of
     * places mostly, so repeats are rare; the bound only guards the small groups, completed
     * in order. */
    for (int attempt = 0; gs->nwishes < want && attempt < 50 * MAX_WISHES; attempt++) {
        int64_t x = (int64_t)rng_below(&c->r, (int)total);
        int lo = first, hi = first + count - 1;
        while (lo < hi) {
            int mid = lo + (hi - lo) / 2;
            if (cum[mid] > x)
                hi = mid;
            else
                lo = mid + 1;
        }
        if (!has_wish(gs, lo))
            gs->wishes[gs->nwishes++] = lo;
    }
    for (int i = first; i < first + count && gs->nwishes < want; i++)
        if (!has_wish(gs, i))
            gs->wishes[gs->nwishes++] = i;
}

/* Puts place at position pos of gs's wishes (moving it, or pushing the last wish out). */
static void wish_put(struct gstudent *gs, int place, int pos)
{
    int at = -1;
    for (int k = 0; k < gs->nwishes; k++)
        if (gs->wishes[k] == place)
            at = k;
    if (at < 0 && gs->nwishes < MAX_WISHES)
        at = gs->nwishes++;
    else if (at < 0)
        at = gs->nwishes - 1;
    if (pos > at)
        pos = at; /* a short list: as far up as it goes */
    for (int k = at; k > pos; k--)
        gs->wishes[k] = gs->wishes[k - 1];
    gs->wishes[pos] = place;
}

/*
 * Seats each place keeps free when the published method (stable, ties by student number) places
 * every student but the last, into free_seats[]. Returns 0 or ERR_NOMEM.
 */
static int free_seats_without_last(const struct cohort *c, int *free_seats)
{
    struct pl_instance *in = pl_instance_new();
    struct pl_result *r = NULL;
    if (!in)
        return ERR_NOMEM;
    int rc = 0;
    for (int i = 0; rc == 0 && i < c->nplaces; i++) {
        const struct internship_place *p = &c->places[i].p;
        rc = pl_place_add(in, p->code, strlen(p->code), p->capacity,
                          strcmp(p->degree, "1D") == 0 ? PL_1D : PL_2D, p->site, strlen(p->site),
                          p->discipline, strlen(p->discipline));
    }
    for (int i = 0; rc == 0 && i < c->nstudents - 1; i++) {
        const struct gstudent *gs = &c->students[i];
        uint32_t wishes[MAX_WISHES];
        for (int k = 0; k < gs->nwishes; k++)
            wishes[k] = (uint32_t)gs->wishes[k];
        rc = pl_student_add(in, gs->s.code, strlen(gs->s.code), gs->s.priority,
                            strcmp(gs->s.degree, "1D") == 0 ? PL_1D : PL_2D, gs->s.site,
                            strlen(gs->s.site), gs->s.discipline, strlen(gs->s.discipline), wishes,
                            (size_t)gs->nwishes);
    }
    struct pl_options opt = {.method = PL_STABLE};
    if (rc == 0)
        rc = pl_solve(in, &opt, &r);
    if (rc == 0) {
        for (int i = 0; i < c->nplaces; i++)
            free_seats[i] = c->places[i].p.capacity;
        for (size_t k = 0; k < r->n_students; k++)
            if (r->place[k] != PL_NONE)
                free_seats[r->place[k]]--;
    }
    pl_result_free(r);
    pl_instance_free(in);
    return rc;
}

/*
 * For the published period, a few choices that make the demo tell something:
 * - every place of "formateur" and of chef.etab's establishment is someone's first wish, so
 *   that the stable run fills it (a place once proposed to stays full) and its tutor and head
 *   see a trainee;
 * - "etudiant" (the last number, priority 0: behind everyone in every tie) puts first the place
 *   of its group most wished first beyond its capacity, and second a place of its site that
 *   keeps a free seat when the others are placed. The first is full of students who come
 *   before it in any stable assignment; adding it to the second keeps the others' assignment
 *   stable, so the student-optimal one gives it its second wish, with the explanation of why
 *   not its first.
 */
static bool showcase(const struct cohort *c, int place)
{
    return *c->places[place].p.tutor_login || c->places[place].estab == c->chef_estab;
}

static int stage_past(struct cohort *c)
{
    struct gstudent *demo = &c->students[c->nstudents - 1];
    for (int i = 0; i < c->nplaces; i++) {
        if (!showcase(c, i))
            continue;
        bool wished = false;
        for (int s = 0; s < c->nstudents - 1 && !wished; s++)
            wished = c->students[s].nwishes > 0 && c->students[s].wishes[0] == i;
        /* The first student of the group with wishes whose first one is no showcase place. */
        for (int s = 0; s < c->nstudents - 1 && !wished; s++) {
            struct gstudent *gs = &c->students[s];
            if (gs->group == c->places[i].group && gs->nwishes > 0 && !showcase(c, gs->wishes[0])) {
                wish_put(gs, i, 0);
                wished = true;
            }
        }
    }
    size_t n = (size_t)(c->nplaces ? c->nplaces : 1);
    int *first_demand = calloc(n, sizeof *first_demand),
        *free_seats = calloc(n, sizeof *free_seats);
    int rc = first_demand && free_seats ? free_seats_without_last(c, free_seats) : ERR_NOMEM;
    if (rc == 0) {
        for (int s = 0; s < c->nstudents - 1; s++)
            if (c->students[s].nwishes > 0)
                first_demand[c->students[s].wishes[0]]++;
        int contested = -1, calm = -1;
        for (int i = c->group_first[demo->group];
             i < c->group_first[demo->group] + c->group_count[demo->group]; i++) {
            int excess = first_demand[i] - c->places[i].p.capacity;
            if (excess >= 0 && (contested < 0 ||
                                excess > first_demand[contested] - c->places[contested].p.capacity))
                contested = i;
            bool home = site_index(c->places[i].p.site) == demo->site;
            if (free_seats[i] > 0 && !showcase(c, i) &&
                (calm < 0 || (home && site_index(c->places[calm].p.site) != demo->site)))
                calm = i;
        }
        if (calm >= 0)
            wish_put(demo, calm, 0);
        if (contested >= 0)
            wish_put(demo, contested, 0);
    }
    free(first_demand);
    free(free_seats);
    return rc;
}

/* ---- writing ---- */

static const char *first_error(const struct field_errors *errs)
{
    return errs->count > 0 ? errs->items[0].message : "écriture impossible";
}

/* The period, with the same validation and audit entry as app_period_create (which opens its
 * own transaction: this one joins the loader's). */
static int create_period(struct cohort *c, const struct internship_period *p)
{
    struct field_errors errs = {0};
    if (internship_period_validate(p, &errs) > 0) {
        fail_msg(c->env, "période « %s » : %s", p->code, first_error(&errs));
        return ERR_INVAL;
    }
    int rc = store_period_add(c->ctx.st, p, c->ctx.now, &c->period_id);
    if (rc == 0)
        rc = app_audit(&c->ctx, "period.add", "internship_period", c->period_id, NULL,
                       json_pack("{ss ss ss ss ss ss sI sI si}", "code", p->code, "label", p->label,
                                 "cohort", p->cohort, "kind", p->kind, "starts_on", p->starts_on,
                                 "ends_on", p->ends_on, "wishes_open_at",
                                 (json_int_t)p->wishes_open_at, "wishes_close_at",
                                 (json_int_t)p->wishes_close_at, "max_wishes", p->max_wishes));
    if (rc)
        fail_msg(c->env, "période « %s » : %s", p->code,
                 rc == ERR_EXISTS ? "code déjà pris dans cette base" : "écriture impossible");
    return rc;
}

static int write_cohort(struct cohort *c)
{
    struct demo_stats *stats = c->env->stats;
    struct field_errors errs;
    for (int i = 0; i < c->nplaces; i++) {
        struct gplace *gp = &c->places[i];
        gp->p.period_id = c->period_id;
        memset(&errs, 0, sizeof errs);
        int rc = app_place_add(&c->ctx, &gp->p, &errs, &gp->id);
        if (rc) {
            fail_msg(c->env, "lieu de stage « %s » : %s", gp->p.code, first_error(&errs));
            return rc;
        }
        stats->internship_places++;
        stats->internship_seats += gp->p.capacity;
    }
    for (int i = 0; i < c->nstudents; i++) {
        struct gstudent *gs = &c->students[i];
        gs->s.period_id = c->period_id;
        memset(&errs, 0, sizeof errs);
        int rc = app_istudent_add(&c->ctx, &gs->s, &errs, &gs->id);
        if (rc) {
            fail_msg(c->env, "étudiant « %s » : %s", gs->s.code, first_error(&errs));
            return rc;
        }
        stats->internship_students++;
    }
    for (int i = 0; i < c->nstudents; i++) {
        struct gstudent *gs = &c->students[i];
        if (gs->nwishes == 0)
            continue;
        int64_t ids[MAX_WISHES];
        for (int k = 0; k < gs->nwishes; k++)
            ids[k] = c->places[gs->wishes[k]].id;
        int rc = store_wishes_set(c->ctx.st, gs->id, ids, gs->nwishes);
        if (rc) {
            fail_msg(c->env, "vœux de l’étudiant « %s » : écriture impossible", gs->s.code);
            return rc;
        }
        stats->internship_wishes += gs->nwishes;
    }
    stats->internship_periods++;
    return 0;
}

/* ---- one period ---- */

static void cohort_free(struct cohort *c)
{
    free(c->students);
    free(c->places);
    free(c->estab_places);
    free(c->candidates);
    for (int s = 0; s < SITES; s++)
        free(c->cum[s]);
    buf_free(&c->fold);
}

static int load_period(const struct demo_placement_env *env, const int *appeal,
                       const struct period_def *def, int64_t *period_id)
{
    struct cohort *c = calloc(1, sizeof *c);
    if (!c)
        return ERR_NOMEM;
    c->env = env;
    c->def = def;
    c->appeal = appeal;
    c->ctx = *env->ctx;
    c->chef_estab = -1;
    buf_init(&c->fold, 256);
    rng_seed(&c->r, env->seed, def->stream);
    for (int e = 0; e < env->nestabs; e++)
        if (strcmp(env->estabs[e].uai, env->chef_uai) == 0)
            c->chef_estab = e;

    struct internship_period p = {.max_wishes = MAX_WISHES};
    SET(p.code, def->code);
    SET(p.label, def->label);
    SET(p.cohort, def->cohort);
    SET(p.kind, def->kind);
    SET(p.starts_on, def->starts_on);
    SET(p.ends_on, def->ends_on);
    int rc = 0;
    if (def->open_on) {
        int64_t created = 0;
        if (time_parse_date(def->created_on, strlen(def->created_on), &created) != 0 ||
            time_parse_date(def->open_on, strlen(def->open_on), &p.wishes_open_at) != 0 ||
            time_parse_date(def->close_on, strlen(def->close_on), &p.wishes_close_at) != 0) {
            rc = ERR_INVAL;
            goto done;
        }
        c->ctx.now = created + 10 * 3600; /* its rows are audited on the day it was set up */
    } else {
        /* The only time-dependent values of the demo: the current window is open, whenever
         * the demo is loaded, since a week before the load and for 30 days after it. */
        p.wishes_open_at = env->wall_now - 7 * DAY;
        p.wishes_close_at = env->wall_now + 30 * DAY;
    }

    c->estab_places = calloc((size_t)(env->nestabs ? env->nestabs : 1), sizeof *c->estab_places);
    c->candidates = calloc((size_t)(env->nestabs ? env->nestabs : 1), sizeof *c->candidates);
    if (!c->estab_places || !c->candidates) {
        rc = ERR_NOMEM;
        goto done;
    }
    if ((rc = create_period(c, &p)) != 0 || (rc = draw_students(c)) != 0)
        goto done;
    int chef_left = def->chef_places;
    for (int g = 0; g < NGROUPS; g++)
        if ((rc = draw_group_places(c, g, &chef_left)) != 0)
            goto done;
    assign_demo_tutor(c, def->tutor_places);
    if ((rc = build_weights(c)) != 0)
        goto done;
    for (int i = 0; i < c->nstudents; i++)
        draw_wishes(c, &c->students[i], draw_wish_count(c, i == c->nstudents - 1));
    if (def->open_on && (rc = stage_past(c)) != 0)
        goto done;
    rc = write_cohort(c);
    *period_id = c->period_id;
done:
    if (rc)
        fail_msg(env, "période « %s » : échec (%s)", def->code, err_name(rc));
    cohort_free(c);
    free(c);
    return rc;
}

int demo_placement_load(const struct demo_placement_env *env)
{
    /* Appeal of each establishment, shared by both periods: one in eight is sought after
     * (a school near the Inspé, a well-known lycée…) and weighs ten; the others one to three. */
    int *appeal = malloc((size_t)(env->nestabs ? env->nestabs : 1) * sizeof *appeal);
    if (!appeal) {
        fail_msg(env, "mémoire insuffisante");
        return ERR_NOMEM;
    }
    struct rng r;
    rng_seed(&r, env->seed, STREAM_APPEAL);
    for (int e = 0; e < env->nestabs; e++)
        appeal[e] = rng_percent(&r, 12) ? 10 : rng_range(&r, 1, 3);
    /* The past period first: its ids come before the current one's, as they would have. */
    int rc = load_period(env, appeal, &past_def, &env->stats->past_period_id);
    if (rc == 0)
        rc = load_period(env, appeal, &current_def, &env->stats->current_period_id);
    free(appeal);
    return rc;
}

int demo_placement_publish(const struct demo_placement_env *env)
{
    struct app_ctx ctx = *env->ctx;
    int64_t run_on = 0, publish_on = 0;
    if (time_parse_date(PAST_RUN_ON, strlen(PAST_RUN_ON), &run_on) != 0 ||
        time_parse_date(PAST_PUBLISH_ON, strlen(PAST_PUBLISH_ON), &publish_on) != 0)
        return ERR_INVAL;
    struct field_errors errs = {0};
    ctx.now = run_on + 9 * 3600;
    int rc = app_run_start(&ctx, env->stats->past_period_id, "stable", "", &errs,
                           &env->stats->past_run_id);
    if (rc) {
        fail_msg(env, "l’affectation de la période « %s » a échoué : %s", past_def.code,
                 errs.count ? errs.items[0].message : err_name(rc));
        return rc;
    }
    json_t *run = NULL;
    if ((rc = store_run_get(ctx.st, env->stats->past_run_id, &run)) != 0) {
        fail_msg(env, "l’affectation de la période « %s » est illisible", past_def.code);
        return rc;
    }
    env->stats->past_placed = (int64_t)json_integer_value(json_object_get(run, "placed"));
    json_decref(run);
    char msg[240] = "";
    ctx.now = publish_on + 9 * 3600;
    rc = app_run_publish(&ctx, env->stats->past_run_id, msg, sizeof msg);
    if (rc)
        fail_msg(env, "la publication de la période « %s » a échoué : %s", past_def.code,
                 msg[0] ? msg : err_name(rc));
    return rc;
}
