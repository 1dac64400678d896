/*
 * Unit tests of app/demo: the académie scale loads with plausible counts, every role has an
 * account, the "formateur" account's trainer waits for validation, the search finds the
 * inclusive-school trainers, the bureau des stages has its current period (open window, ~4,000
 * students, compatible wishes) and a published past one that the student, tutor and head of
 * establishment accounts see, a year of training requests in every state of the workflow (some
 * overdue, drafts that break their rules, an ALP IDG scheduled with its pair of trainers, the
 * "formateur" account's missions), a loaded base refuses a second load, the same seed gives the
 * same content (and, loaded the same day, the same requests), and the command line answers bad
 * usage with exit status 2.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "app/demo.h"
#include "app/missions.h"
#include "app/placement.h"
#include "app/requests.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/text.h"
#include "core/timeutil.h"
#include "engine/placement_json.h"

/* A loaded académie in a temporary file, shared by the tests (loading takes seconds). */
struct loaded {
    char path[64];
    struct store *st;
    struct demo_stats stats;
};

static struct loaded first, second;
/* The Paris day before the first load and after the second: the requests follow it. */
static char day_before[16], day_after[16];

/* The Paris day of now, "JJ/MM/AAAA", into out. */
static void paris_day(char *out, size_t n)
{
    struct buf b;
    buf_init(&b, 32);
    time_format_date(time_now(), &b);
    snprintf(out, n, "%s", b.data);
    buf_free(&b);
}

static void temp_path(char *path, size_t n)
{
    snprintf(path, n, "/tmp/continuum-demo-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
}

static void unlink_db(const char *path)
{
    char p[96];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

static int load(struct loaded *l, uint64_t seed)
{
    temp_path(l->path, sizeof l->path);
    if (store_open(l->path, &l->st) != 0 || store_migrate(l->st, NULL, NULL) != 0)
        return -1;
    return app_demo_load(l->st, DEMO_SCALE_ACADEMIE, seed, &l->stats);
}

static int setup(void **state)
{
    (void)state;
    paris_day(day_before, sizeof day_before);
    if (load(&first, 1) != 0) {
        fprintf(stderr, "demo load failed: %s\n", first.stats.error);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(first.st);
    unlink_db(first.path);
    if (second.st) {
        store_close(second.st);
        unlink_db(second.path);
    }
    return 0;
}

static void test_counts(void **state)
{
    (void)state;
    const struct demo_stats *s = &first.stats;
    assert_string_equal(s->error, "");
    assert_int_equal(s->institutions, 12); /* Inspé, 4 universities, rectorat, 6 partners */
    assert_int_equal(s->research_partners, 6);
    assert_in_range(s->disciplines, 20, 30);
    assert_in_range(s->competences, 100, 200);
    assert_in_range(s->circonscriptions, 35, 45);
    assert_in_range(s->establishments, 250, 350);
    assert_in_range(s->trainers, 2500, 3500);
    /* 1 to 6 competences each, about 3.1 on average; ~65 % validated, ~10 % refused. */
    assert_in_range(s->trainer_competences, 2 * s->trainers, 4 * s->trainers);
    assert_int_equal(s->validated + s->declared + s->refused, s->trainer_competences);
    assert_in_range(s->validated * 100 / s->trainer_competences, 58, 72);
    assert_in_range(s->refused * 100 / s->trainer_competences, 6, 14);
    assert_in_range(s->experiences, s->trainers, 2 * s->trainers);

    int64_t n = 0;
    assert_int_equal(store_trainer_count(first.st, &n), 0);
    assert_int_equal(n, s->trainers);
    json_t *arr = NULL;
    assert_int_equal(store_competences(first.st, &arr), 0);
    assert_int_equal((int)json_array_size(arr), s->competences);
    json_decref(arr);
    assert_int_equal(store_research_partners(first.st, &arr), 0);
    assert_int_equal((int)json_array_size(arr), 6);
    json_decref(arr);
}

/* Share of trainers matching a filter, in percent. */
static int64_t share(const struct trainer_query *q)
{
    json_t *items = NULL;
    int64_t total = 0;
    struct trainer_query qq = *q;
    qq.limit = 1;
    assert_int_equal(store_trainer_search(first.st, &qq, &items, &total), 0);
    json_decref(items);
    return total * 100 / first.stats.trainers;
}

static void test_spreads(void **state)
{
    (void)state;
    assert_in_range(share(&(struct trainer_query){.degree = "1D"}), 40, 50);
    assert_in_range(share(&(struct trainer_query){.degree = "2D"}), 30, 40);
    assert_in_range(share(&(struct trainer_query){.degree = "SUP"}), 16, 24);
    assert_in_range(share(&(struct trainer_query){.site = "rhone"}), 50, 62);
    assert_in_range(share(&(struct trainer_query){.site = "loire"}), 20, 32);
    assert_in_range(share(&(struct trainer_query){.site = "ain"}), 14, 25);
    /* First-degree trainers come from the rectorat, mostly polyvalent. */
    assert_in_range(share(&(struct trainer_query){.degree = "1D", .institution = "rectorat"}), 40,
                    50);
    assert_in_range(share(&(struct trainer_query){.degree = "1D", .discipline = "polyvalent"}), 34,
                    46);
    assert_int_equal(share(&(struct trainer_query){.degree = "SUP", .institution = "rectorat"}), 0);
    /* Wednesdays are the first-degree trainers' day. */
    assert_true(share(&(struct trainer_query){.degree = "1D", .weekdays = 0x04}) > 20);
}

static void test_accounts(void **state)
{
    (void)state;
    const struct demo_stats *s = &first.stats;
    assert_int_equal(s->accounts_count, DEMO_ACCOUNTS);
    for (int r = ROLE_NONE + 1; r < ROLE_COUNT; r++) {
        bool found = false;
        for (int i = 0; i < s->accounts_count; i++)
            found = found || s->accounts[i].role == (enum role)r;
        assert_true(found);
    }
    /* Every account logs in with the demo password. */
    struct app_ctx ctx = {.st = first.st, .ip = "127.0.0.1", .now = 1800000000};
    struct user u;
    int retry = 0;
    assert_int_equal(app_login(&ctx, "inspecteur", DEMO_PASSWORD, &u, &retry), 0);
    assert_int_equal(u.role, ROLE_INSPECTOR);
    assert_int_equal(app_login(&ctx, "chef.etab", DEMO_PASSWORD, &u, &retry), 0);
    assert_int_equal(u.scope_kind, SCOPE_ESTABLISHMENT);
    assert_int_equal(strlen(u.scope_value), 8); /* a UAI: 7 digits and a letter */
    assert_memory_equal(u.scope_value, "069", 3);
    assert_int_equal(app_login(&ctx, "ien.circo", DEMO_PASSWORD, &u, &retry), 0);
    assert_int_equal(u.scope_kind, SCOPE_CIRCONSCRIPTION);
    assert_string_equal(u.scope_value, "rhone-lyon-1");
    assert_int_equal(app_login(&ctx, "resp.parcours", DEMO_PASSWORD, &u, &retry), 0);
    assert_string_equal(u.scope_value, "meef-pe");
    assert_int_equal(app_login(&ctx, "formateur", DEMO_PASSWORD, &u, &retry), 0);
    assert_int_equal(u.role, ROLE_TRAINER);
    assert_int_equal(u.trainer_id, s->demo_trainer_id);
}

static void test_demo_trainer(void **state)
{
    (void)state;
    int64_t tid = first.stats.demo_trainer_id;
    json_t *t = NULL;
    assert_int_equal(store_trainer_get(first.st, tid, &t), 0);
    int declared = 0, validated = 0;
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(t, "competences"), i, c)
    {
        const char *state_code = json_string_value(json_object_get(c, "state"));
        declared += strcmp(state_code, "declared") == 0;
        validated += strcmp(state_code, "validated") == 0;
        if (strcmp(state_code, "validated") == 0)
            assert_string_not_equal(json_string_value(json_object_get(c, "decided_by")), "");
    }
    assert_true(declared >= 2);
    assert_true(validated >= 1);
    assert_true(json_array_size(json_object_get(t, "experiences")) >= 1);
    json_decref(t);

    /* Its declared competences wait in the validation queue. */
    json_t *items = NULL;
    int64_t total = 0;
    assert_int_equal(store_validation_queue(first.st, NULL, NULL, 100000, 0, &items, &total), 0);
    assert_int_equal(total, first.stats.declared);
    int mine = 0;
    json_array_foreach(items, i, c)
    {
        mine += json_integer_value(json_object_get(c, "trainer_id")) == tid;
    }
    assert_int_equal(mine, declared);
    json_decref(items);
}

/* An account of the first load, with its user row. */
static struct user account(const char *login)
{
    struct user u;
    char pwhash[160];
    assert_int_equal(store_user_by_login(first.st, login, &u, pwhash, sizeof pwhash), 0);
    return u;
}

static int64_t jint(const json_t *o, const char *key)
{
    return (int64_t)json_integer_value(json_object_get(o, key));
}

/* Every place of a period (the store pages them). */
static json_t *all_places(int64_t period_id)
{
    json_t *items = NULL;
    int64_t total = 0;
    assert_int_equal(
        store_place_list(first.st, period_id, NULL, NULL, NULL, 100000, 0, &items, &total), 0);
    assert_int_equal((int64_t)json_array_size(items), total);
    return items;
}

/* How many places of a list have this value under key. */
static int count_places(const json_t *places, const char *key, const char *value)
{
    int n = 0;
    size_t i;
    json_t *p;
    json_array_foreach(places, i, p)
    {
        n += strcmp(json_string_value(json_object_get(p, key)), value) == 0;
    }
    return n;
}

static void test_internship_current(void **state)
{
    (void)state;
    const struct demo_stats *s = &first.stats;
    assert_int_equal(s->internship_periods, 2);
    json_t *periods = NULL;
    assert_int_equal(store_period_list(first.st, &periods), 0);
    assert_int_equal(json_array_size(periods), 2);
    json_decref(periods);

    json_t *p = NULL;
    assert_int_equal(store_period_get(first.st, s->current_period_id, &p), 0);
    assert_string_equal(json_string_value(json_object_get(p, "code")), "2026-m2-file");
    assert_string_equal(json_string_value(json_object_get(p, "cohort")), "M2");
    assert_string_equal(json_string_value(json_object_get(p, "kind")), "file");
    assert_int_equal(jint(p, "max_wishes"), 10);
    assert_true(json_is_null(json_object_get(p, "published_run_id")));
    /* The window is open now, whenever the test runs: a week before the load, 30 days after. */
    int64_t now = time_now();
    assert_true(jint(p, "wishes_open_at") <= now - 6 * 24 * 3600);
    assert_true(jint(p, "wishes_close_at") >= now + 29 * 24 * 3600);
    int64_t students = jint(p, "students");
    assert_in_range(students, 3900, 4100);
    /* Seats: about 1.05 times the students (rounded up per discipline). */
    assert_in_range(jint(p, "seats") * 100, students * 104, students * 108);
    /* Nine in ten have ranked ten wishes, a few fewer, a few none yet. */
    assert_in_range(jint(p, "students_with_wishes") * 100, students * 92, students * 98);
    json_decref(p);

    /* Every wish is compatible, which the engine's parser checks (degree and discipline). */
    json_t *instance = NULL;
    assert_int_equal(store_period_instance(first.st, s->current_period_id, &instance), 0);
    char *text = json_dumps(instance, JSON_COMPACT);
    assert_non_null(text);
    struct pl_instance *in = NULL;
    struct buf errors;
    buf_init(&errors, 0);
    int rc = pl_json_parse(text, strlen(text), &in, &errors);
    if (rc)
        fprintf(stderr, "%s", errors.data);
    assert_int_equal(rc, 0);
    assert_int_equal((int64_t)in->n_students, students);
    size_t ten = 0;
    int64_t first_degree = 0;
    for (size_t i = 0; i < in->n_students; i++) {
        ten += in->students[i].wish_count == 10;
        first_degree += in->students[i].degree == PL_1D;
    }
    assert_in_range(ten * 100, in->n_students * 85, in->n_students * 93);
    assert_in_range(first_degree * 100, students * 56, students * 64);
    pl_instance_free(in);
    buf_free(&errors);
    free(text);
    json_decref(instance);

    /* Popularity is skewed: the most wished place is wished by far more than ten students. */
    json_t *places = all_places(s->current_period_id);
    int64_t max_demand = 0;
    size_t i;
    json_t *pl;
    json_array_foreach(places, i, pl)
    {
        if (jint(pl, "demand") > max_demand)
            max_demand = jint(pl, "demand");
        assert_in_range(jint(pl, "capacity"), 1, 3);
    }
    assert_true(max_demand > 50);

    /* "etudiant" has ranked ten wishes, "formateur" tutors two places, chef.etab's
     * establishment offers some. */
    struct user u = account("etudiant");
    int64_t sid = 0;
    assert_int_equal(store_istudent_of_user(first.st, s->current_period_id, u.id, &sid), 0);
    json_t *st = NULL;
    assert_int_equal(store_istudent_get(first.st, sid, &st), 0);
    assert_int_equal(json_array_size(json_object_get(st, "wishes_list")), 10);
    json_decref(st);
    json_t *trainer = NULL;
    assert_int_equal(store_trainer_get(first.st, s->demo_trainer_id, &trainer), 0);
    assert_int_equal(
        count_places(places, "tutor_email", json_string_value(json_object_get(trainer, "email"))),
        2);
    json_decref(trainer);
    struct user chef = account("chef.etab");
    assert_true(count_places(places, "uai", chef.scope_value) >= 3);
    json_decref(places);
}

static void test_internship_past(void **state)
{
    (void)state;
    const struct demo_stats *s = &first.stats;
    json_t *p = NULL;
    assert_int_equal(store_period_get(first.st, s->past_period_id, &p), 0);
    assert_string_equal(json_string_value(json_object_get(p, "code")), "2025-m1-masse");
    assert_int_equal(jint(p, "published_run_id"), s->past_run_id);
    assert_true(jint(p, "wishes_close_at") < time_now());
    assert_in_range(jint(p, "students"), 280, 320);
    assert_in_range(s->past_placed * 100, jint(p, "students") * 80, jint(p, "students") * 100);
    json_decref(p);

    /* The student sees both periods, the past one placed, with why not a better wish. */
    struct user u = account("etudiant");
    struct app_ctx ctx = {.st = first.st, .actor = &u, .now = time_now()};
    json_t *mine = NULL;
    assert_int_equal(app_my_placements(&ctx, &mine), 0);
    assert_int_equal(json_array_size(mine), 2);
    bool seen = false;
    size_t i;
    json_t *m;
    json_array_foreach(mine, i, m)
    {
        if (jint(json_object_get(m, "period"), "id") != s->past_period_id)
            continue;
        seen = true;
        json_t *a = json_object_get(m, "assignment");
        assert_false(json_is_null(json_object_get(a, "place_id")));
        assert_true(jint(a, "rank") >= 2);
        assert_true(json_array_size(json_object_get(m, "explanations")) >= 1);
    }
    assert_true(seen);
    json_decref(mine);

    /* The tutor and the head of establishment see their published trainees. */
    const char *const heads[] = {"formateur", "chef.etab"};
    for (size_t k = 0; k < 2; k++) {
        struct user h = account(heads[k]);
        ctx.actor = &h;
        json_t *trainees = NULL;
        assert_int_equal(app_my_trainees(&ctx, &trainees), 0);
        assert_true(json_array_size(trainees) >= 1);
        json_decref(trainees);
    }
}

/* Every request of a state (and kind, or NULL), as the store lists them. */
static json_t *requests_in(const char *state, const char *kind, int64_t *total)
{
    json_t *items = NULL;
    assert_int_equal(store_request_list(first.st, state, kind, 0, 1000, 0, &items, total), 0);
    assert_int_equal((int64_t)json_array_size(items), *total);
    return items;
}

static void test_requests_states(void **state)
{
    (void)state;
    const struct demo_stats *s = &first.stats;
    if (s->requests_stalled)
        fprintf(stderr, "stalled requests: %s\n", s->requests_note);
    assert_int_equal(s->requests_stalled, 0);
    assert_in_range(s->requests, 60, 120);
    /* Every state of the workflow, as many as the stats say. */
    int64_t sum = 0;
    for (int k = 0; k < REQUEST_STATE_COUNT; k++) {
        int64_t total = 0;
        json_decref(requests_in(request_state_code((enum request_state)k), NULL, &total));
        if (total == 0)
            fprintf(stderr, "no request in state %s\n", request_state_code((enum request_state)k));
        assert_true(total > 0);
        assert_int_equal(total, s->requests_by_state[k]);
        sum += total;
    }
    assert_int_equal(sum, s->requests);
    for (int k = 0; k < REQUEST_KIND_COUNT; k++)
        assert_true(s->requests_by_kind[k] > 0);
    assert_true(s->request_missions > 0 && s->request_sessions > 0 && s->request_accounts > 0);
    /* The queues a demonstration files into keep room on their first page (twenty). */
    assert_true(s->requests_by_state[REQUEST_SUBMITTED] <= 15);
    assert_true(s->requests_by_state[REQUEST_VALIDATED] <= 15);
}

static void test_requests_deadlines(void **state)
{
    (void)state;
    /* Some answers are overdue (five weeks after filing), some not yet. */
    const char *const waiting[] = {"submitted", "triaged", "forwarded"};
    int64_t now = time_now();
    int overdue = 0, on_time = 0;
    for (size_t k = 0; k < 3; k++) {
        int64_t total = 0;
        json_t *items = requests_in(waiting[k], NULL, &total);
        size_t i;
        json_t *r;
        json_array_foreach(items, i, r)
        {
            assert_true(json_is_integer(json_object_get(r, "deadline_at")));
            assert_true(jint(r, "submitted_at") < now);
            if (jint(r, "deadline_at") < now)
                overdue++;
            else
                on_time++;
        }
        json_decref(items);
    }
    assert_true(overdue >= 1);
    assert_true(on_time >= 1);
    assert_true(first.stats.requests_overdue >= 1);
    /* Every request was filed before the day of the load. */
    int64_t total = 0;
    json_t *items = requests_in(NULL, NULL, &total);
    size_t i;
    json_t *r;
    json_array_foreach(items, i, r)
    {
        assert_true(jint(r, "created_at") < now);
    }
    json_decref(items);
}

/* How many missions of a request are in that state (and slot, or NULL). */
static int missions_in(int64_t id, const char *mstate, const char *slot)
{
    json_t *ms = NULL;
    assert_int_equal(store_missions_of_request(first.st, id, &ms), 0);
    int n = 0;
    size_t i;
    json_t *m;
    json_array_foreach(ms, i, m)
    {
        n += strcmp(json_string_value(json_object_get(m, "state")), mstate) == 0 &&
             (!slot || strcmp(json_string_value(json_object_get(m, "slot")), slot) == 0);
    }
    json_decref(ms);
    return n;
}

static size_t sessions_of(int64_t id)
{
    json_t *ss = NULL;
    assert_int_equal(store_tsessions_of_request(first.st, id, &ss), 0);
    size_t n = json_array_size(ss);
    json_decref(ss);
    return n;
}

static void test_requests_alp(void **state)
{
    (void)state;
    /* A scheduled ALP IDG has its first- and second-degree trainers, who accepted, and its
     * sessions. */
    int64_t total = 0;
    json_t *items = requests_in("scheduled", "alp_idg", &total);
    int complete = 0;
    size_t i;
    json_t *r;
    json_array_foreach(items, i, r)
    {
        int64_t id = jint(r, "id");
        complete += missions_in(id, "accepted", "1D") == 1 &&
                    missions_in(id, "accepted", "2D") == 1 && sessions_of(id) >= 1;
    }
    json_decref(items);
    assert_true(complete >= 1);

    /* An assigned one cannot be scheduled: a session falls in the school holidays. */
    struct user coord = account("coordination");
    struct app_ctx ctx = {.st = first.st, .actor = &coord, .now = time_now()};
    static struct rule_report rules;
    char msg[REQUEST_MSG_MAX];
    int holiday = 0;
    items = requests_in("assigned", "alp_idg", &total);
    assert_int_equal(store_begin(first.st), 0); /* nothing the checks might write stays */
    json_array_foreach(items, i, r)
    {
        int64_t id = jint(r, "id");
        if (sessions_of(id) == 0)
            continue;
        int rc = app_request_transition(&ctx, id, "scheduled", NULL, &rules, msg, sizeof msg);
        for (int k = 0; rc == ERR_INVAL && k < rules.count; k++)
            holiday += strcmp(rules.items[k].rule, "alp.holiday") == 0 && !rules.items[k].warning;
    }
    store_rollback(first.st);
    json_decref(items);
    assert_true(holiday >= 1);
}

static void test_requests_broken_drafts(void **state)
{
    (void)state;
    /* Drafts keep their details as given; submitting those that break their kind's rules is
     * refused with the rule's code. */
    static struct rule_report rules;
    char msg[REQUEST_MSG_MAX];
    int64_t total = 0;
    json_t *items = requests_in("draft", NULL, &total);
    int refused = 0, rejoined = 0;
    bool fil = false, alp = false, ant = false, ent = false;
    assert_int_equal(store_begin(first.st), 0); /* the drafts that pass are not kept submitted */
    size_t i;
    json_t *r;
    json_array_foreach(items, i, r)
    {
        struct user u;
        assert_int_equal(store_user_get(first.st, jint(r, "requester_id"), &u), 0);
        struct app_ctx ctx = {.st = first.st, .actor = &u, .now = time_now()};
        int rc =
            app_request_transition(&ctx, jint(r, "id"), "submitted", NULL, &rules, msg, sizeof msg);
        if (rc == 0) {
            rejoined++;
            continue;
        }
        assert_int_equal(rc, ERR_INVAL);
        refused++;
        for (int k = 0; k < rules.count; k++) {
            const char *code = rules.items[k].rule;
            fil |= strcmp(code, "fil.scope") == 0 || strcmp(code, "fil.shape") == 0;
            alp |= strcmp(code, "alp.weekday") == 0;
            ant |= strcmp(code, "ant.team") == 0;
            ent |= strcmp(code, "ent.hse") == 0;
        }
    }
    store_rollback(first.st);
    json_decref(items);
    assert_true(refused >= 4);
    assert_true(rejoined >= 1);
    assert_true(fil && alp && ant && ent);
}

static void test_requests_formateur(void **state)
{
    (void)state;
    /* The "formateur" account has a mission waiting for its answer and one it accepted. */
    struct user u = account("formateur");
    struct app_ctx ctx = {.st = first.st, .actor = &u, .now = time_now()};
    json_t *ms = NULL;
    assert_int_equal(app_my_missions(&ctx, &ms), 0);
    int pending = 0, accepted = 0;
    size_t i;
    json_t *m;
    json_array_foreach(ms, i, m)
    {
        const char *st = json_string_value(json_object_get(m, "state"));
        pending += strcmp(st, "pending") == 0;
        accepted += strcmp(st, "accepted") == 0;
    }
    json_decref(ms);
    assert_true(pending >= 1);
    assert_true(accepted >= 1);
    /* The trainers who answered have accounts linked to them. */
    int64_t total = 0;
    json_t *items = requests_in("hours_validated", NULL, &total);
    json_t *r;
    json_array_foreach(items, i, r)
    {
        json_t *list = NULL;
        assert_int_equal(store_missions_of_request(first.st, jint(r, "id"), &list), 0);
        size_t k;
        json_array_foreach(list, k, m)
        {
            assert_true(json_is_integer(json_object_get(m, "user_id")));
        }
        json_decref(list);
    }
    json_decref(items);
}

/* Runs a free-text search; returns the total. */
static int64_t search_total(const char *text, bool validated_only)
{
    struct trainer_query tq = {.q = text, .validated_only = validated_only, .limit = 5};
    json_t *items = NULL;
    int64_t total = 0;
    assert_int_equal(store_trainer_search(first.st, &tq, &items, &total), 0);
    assert_true(json_array_size(items) <= 5);
    json_decref(items);
    return total;
}

static void test_search(void **state)
{
    (void)state;
    int64_t inclusive = search_total("inclusive", false);
    assert_true(inclusive > 100);
    assert_int_equal(search_total("inclusion", false), inclusive); /* same stem */
    int64_t validated = search_total("inclusive", true);
    assert_true(validated > 0 && validated < inclusive);
    assert_true(search_total("éducation", false) > 100);
    assert_true(search_total("géométrie", false) > 10);
    assert_int_equal(search_total("xylophoniste", false), 0);
}

static void test_refuses_second_load(void **state)
{
    (void)state;
    struct demo_stats s;
    assert_int_equal(app_demo_load(first.st, DEMO_SCALE_ACADEMIE, 1, &s), ERR_CONFLICT);
    assert_non_null(strstr(s.error, "formateurs"));
    int64_t n = 0;
    assert_int_equal(store_trainer_count(first.st, &n), 0);
    assert_int_equal(n, first.stats.trainers);
    char *argv[] = {"demo-data", "--db", first.path, NULL};
    assert_int_equal(cmd_demo_data(3, argv), EXIT_FAIL);
}

/* FNV-1a over every trainer's full profile (identity, competences with their decisions,
 * experiences) and the référentiels. */
struct digest {
    uint64_t h;
    int64_t rows;
};

static void digest_add(struct digest *d, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        d->h ^= *p;
        d->h *= 0x100000001b3u;
    }
}

static void digest_json(struct digest *d, json_t *v)
{
    char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
    assert_non_null(s);
    digest_add(d, s);
    free(s);
}

static int digest_row(void *arg, json_t *row)
{
    struct digest *d = arg;
    digest_json(d, row);
    d->rows++;
    return 0;
}

static uint64_t digest_of(struct store *st, int64_t *rows)
{
    struct digest d = {.h = 0xcbf29ce484222325u};
    assert_int_equal(store_trainer_each(st, digest_row, &d), 0);
    int (*lists[])(struct store *, json_t **) = {store_institutions, store_disciplines,
                                                 store_competences, store_research_partners};
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        json_t *arr = NULL;
        assert_int_equal(lists[i](st, &arr), 0);
        digest_json(&d, arr);
        json_decref(arr);
    }
    /* The internship periods' places, students and wishes (not their windows: the current one
     * follows the clock). */
    for (int64_t period = 1; period <= 2; period++) {
        json_t *instance = NULL;
        assert_int_equal(store_period_instance(st, period, &instance), 0);
        digest_json(&d, instance);
        json_decref(instance);
    }
    *rows = d.rows;
    return d.h;
}

/* FNV-1a over every request with its history, missions and sessions. */
static uint64_t requests_digest(struct store *st, int n)
{
    struct digest d = {.h = 0xcbf29ce484222325u};
    for (int64_t id = 1; id <= n; id++) {
        json_t *r = NULL, *ms = NULL, *ss = NULL;
        assert_int_equal(store_request_get(st, id, true, &r), 0);
        assert_int_equal(store_missions_of_request(st, id, &ms), 0);
        assert_int_equal(store_tsessions_of_request(st, id, &ss), 0);
        digest_json(&d, r);
        digest_json(&d, ms);
        digest_json(&d, ss);
        json_decref(r);
        json_decref(ms);
        json_decref(ss);
    }
    return d.h;
}

static void test_deterministic(void **state)
{
    (void)state;
    assert_int_equal(load(&second, 1), 0);
    paris_day(day_after, sizeof day_after);
    /* The requests are dated from the day of the load: loaded the same day, they are the same
     * (two loads on either side of midnight are not compared). */
    assert_int_equal(first.stats.requests, second.stats.requests);
    if (strcmp(day_before, day_after) == 0)
        assert_true(requests_digest(first.st, first.stats.requests) ==
                    requests_digest(second.st, second.stats.requests));
    else
        fprintf(stderr, "loads on either side of midnight: requests not compared\n");
    int64_t r1 = 0, r2 = 0;
    uint64_t h1 = digest_of(first.st, &r1);
    uint64_t h2 = digest_of(second.st, &r2);
    assert_int_equal(r1, first.stats.trainers);
    assert_int_equal(r1, r2);
    assert_true(h1 == h2);
    assert_memory_equal(&first.stats.validated, &second.stats.validated, sizeof(int64_t));
    assert_string_equal(first.stats.accounts[4].scope_value, second.stats.accounts[4].scope_value);
}

static void test_other_seed(void **state)
{
    (void)state;
    struct loaded other = {0};
    assert_int_equal(load(&other, 2), 0);
    int64_t r1 = 0, r2 = 0;
    assert_true(digest_of(first.st, &r1) != digest_of(other.st, &r2));
    store_close(other.st);
    unlink_db(other.path);
}

/* A load that fails half-way (the last demo login is taken) leaves nothing behind. */
static void test_all_or_nothing(void **state)
{
    (void)state;
    struct loaded l = {0};
    temp_path(l.path, sizeof l.path);
    assert_int_equal(store_open(l.path, &l.st), 0);
    assert_int_equal(store_migrate(l.st, NULL, NULL), 0);
    struct user u = {.role = ROLE_ADMIN};
    snprintf(u.login, sizeof u.login, "recherche");
    snprintf(u.display_name, sizeof u.display_name, "Compte existant");
    int64_t id = 0;
    assert_int_equal(store_user_add(l.st, &u, "$argon2id$placeholder", 1, &id), 0);

    assert_int_equal(app_demo_load(l.st, DEMO_SCALE_ACADEMIE, 1, &l.stats), ERR_EXISTS);
    assert_non_null(strstr(l.stats.error, "recherche"));
    json_t *arr = NULL;
    assert_int_equal(store_institutions(l.st, &arr), 0);
    assert_int_equal(json_array_size(arr), 0);
    json_decref(arr);
    assert_int_equal(store_user_list(l.st, &arr), 0);
    assert_int_equal(json_array_size(arr), 1);
    json_decref(arr);
    json_t *items = NULL;
    int64_t total = -1;
    assert_int_equal(store_audit_list(l.st, NULL, 0, 10, 0, &items, &total), 0);
    assert_int_equal(total, 0);
    json_decref(items);
    store_close(l.st);
    unlink_db(l.path);
}

static void test_cli_usage(void **state)
{
    (void)state;
    char *help[] = {"demo-data", "--help", NULL};
    assert_int_equal(cmd_demo_data(2, help), EXIT_OK);
    char *no_db[] = {"demo-data", NULL};
    assert_int_equal(cmd_demo_data(1, no_db), EXIT_USAGE);
    char *scale[] = {"demo-data", "--db", "/tmp/never-created.db", "--scale", "monde", NULL};
    assert_int_equal(cmd_demo_data(5, scale), EXIT_USAGE);
    char *seed[] = {"demo-data", "--db", "/tmp/never-created.db", "--seed", "12a", NULL};
    assert_int_equal(cmd_demo_data(5, seed), EXIT_USAGE);
    char *negative[] = {"demo-data", "--db", "/tmp/never-created.db", "--seed", "-3", NULL};
    assert_int_equal(cmd_demo_data(5, negative), EXIT_USAGE);
    char *huge[] = {"demo-data", "--db", "/tmp/never-created.db", "--seed", "18446744073709551616",
                    NULL};
    assert_int_equal(cmd_demo_data(5, huge), EXIT_USAGE);
    char *unknown[] = {"demo-data", "--db", "/tmp/never-created.db", "--colour", NULL};
    assert_int_equal(cmd_demo_data(4, unknown), EXIT_USAGE);
    char *extra[] = {"demo-data", "--db", "/tmp/never-created.db", "encore", NULL};
    assert_int_equal(cmd_demo_data(4, extra), EXIT_USAGE);
    assert_int_equal(access("/tmp/never-created.db", F_OK), -1);

    enum demo_scale s = DEMO_SCALE_NATIONAL;
    assert_int_equal(demo_scale_parse("academie", &s), 0);
    assert_int_equal(s, DEMO_SCALE_ACADEMIE);
    assert_int_equal(demo_scale_parse("national", &s), 0);
    assert_int_equal(s, DEMO_SCALE_NATIONAL);
    assert_int_equal(demo_scale_parse("Académie", &s), ERR_INVAL);
    assert_string_equal(demo_scale_code(DEMO_SCALE_ACADEMIE), "academie");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_spreads),
        cmocka_unit_test(test_accounts),
        cmocka_unit_test(test_demo_trainer),
        cmocka_unit_test(test_search),
        cmocka_unit_test(test_internship_current),
        cmocka_unit_test(test_requests_states),
        cmocka_unit_test(test_requests_deadlines),
        cmocka_unit_test(test_requests_alp),
        cmocka_unit_test(test_requests_broken_drafts),
        cmocka_unit_test(test_requests_formateur),
        cmocka_unit_test(test_internship_past),
        cmocka_unit_test(test_refuses_second_load),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_other_seed),
        cmocka_unit_test(test_all_or_nothing),
        cmocka_unit_test(test_cli_usage),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
