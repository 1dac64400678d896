/*
 * Demo data: a fictional, deterministic Académie de Lyon for demonstrations, manual tests and
 * benchmarks. One call fills an empty store with the référentiels (institutions, research
 * partners, disciplines, the competence hierarchy, circonscriptions and establishments), the map
 * of trainers' competences (trainers with declared, validated and refused competences and their
 * experiences), one account per role of SPEC.md, and the bureau des stages' cohorts: a current
 * M2 period whose wishes window is open (~4,000 students with their wishes) and a past M1 period
 * whose placement is published; and a school year of training requests in every state of the
 * workflow, with their trainers' missions and sessions. Everything comes from a private PRNG
 * (xoshiro256**) seeded by the caller and from a fixed base date (2026-09-01 00:00 Europe/Paris):
 * the same seed and scale give the same rows on every machine. The exceptions are the password
 * hashes, whose argon2id salts stay random (a salt derived from the seed would be a pattern not
 * worth teaching; every account has the documented password DEMO_PASSWORD); the current period's
 * wishes window, which opens a week before the real time of the load and closes 30 days after
 * it, so that the demo's students can rank their wishes whenever it is loaded; and the training
 * requests, dated from the day of the load (filed from the day before it to about half a year
 * before, sessions before and after it), so that response deadlines and schedules look current:
 * the same seed loaded on the same day gives the same requests.
 */
#ifndef APP_DEMO_H
#define APP_DEMO_H

#include <stdint.h>

#include "domain/request.h"
#include "domain/role.h"
#include "store/store.h"

/* The one password of every demo account, printed by `continuum demo-data`. */
#define DEMO_PASSWORD "continuum-demo"

/* How many accounts the demo creates: one per role, two for requesters (a chef d'établissement
 * and an IEN de circonscription). */
#define DEMO_ACCOUNTS 13

enum demo_scale {
    DEMO_SCALE_ACADEMIE, /* ~3,000 trainers, 40 circonscriptions, 300 establishments */
    DEMO_SCALE_NATIONAL, /* ~100,000 trainers, 400 circonscriptions, 3,000 establishments */
};

/* Parses "academie" or "national"; returns 0 or ERR_INVAL (*out left alone). */
int demo_scale_parse(const char *s, enum demo_scale *out);
/* "academie" or "national". */
const char *demo_scale_code(enum demo_scale scale);

/* One created account, for the list printed at the end. */
struct demo_account {
    int64_t id;
    char login[65];
    char display_name[121];
    enum role role;
    enum scope_kind scope_kind;
    char scope_value[65];
};

/* What a load created. error holds a French sentence saying what failed (empty on success). */
struct demo_stats {
    int institutions;
    int research_partners;
    int disciplines;
    int competences;
    int circonscriptions;
    int establishments;
    int64_t trainers;
    int64_t trainer_competences; /* all states */
    int64_t validated, declared, refused;
    int64_t experiences;
    int64_t demo_trainer_id; /* the trainer the "formateur" account is linked to */
    /* The bureau des stages, both periods together. */
    int internship_periods;
    int64_t internship_places, internship_seats;
    int64_t internship_students, internship_wishes;
    int64_t current_period_id, past_period_id;
    int64_t past_run_id; /* the published run of the past period */
    int64_t past_placed; /* its placed students */
    /* The training requests (demo_requests.c): per state (enum request_state order) and per kind
     * (enum request_kind order), those waiting for an answer past their response deadline, the
     * trainers' missions and the sessions, and the accounts added for them (requesters of other
     * establishments, trainers who answered a mission). */
    int requests;
    int requests_by_state[REQUEST_STATE_COUNT];
    int requests_by_kind[REQUEST_KIND_COUNT];
    int requests_overdue;
    int request_missions, request_sessions;
    int request_accounts;
    /* Requests that stopped short of their planned state because a use case refused a step (none
     * normally), and why the first one did. */
    int requests_stalled;
    char requests_note[240];
    int accounts_count;
    struct demo_account accounts[DEMO_ACCOUNTS];
    char error[240];
};

/*
 * Fills st (already migrated) with the demo académie of the given scale, generated from seed.
 * Hashes the passwords first (about 50 ms each, outside any transaction), then writes everything
 * in one BEGIN IMMEDIATE … COMMIT: on any failure nothing is left behind. Accounts and periods
 * are written in that same transaction (app_user_add and app_period_create open their own, which
 * SQLite cannot nest) with the same "user.add" and "period.add" audit entries; places and
 * students go through app_place_add and app_istudent_add, and the past period's run and its
 * publication through app_run_start and app_run_publish, which all join it; so do the training
 * requests' use cases (demo_internal.h); a "demo.load" audit entry closes it.
 * Returns 0; ERR_CONFLICT when the store already holds trainers; ERR_EXISTS when a référentiel
 * code or a demo login is already taken; ERR_STORE / ERR_NOMEM otherwise. stats (required) is
 * filled with the counts, and stats->error with a French message on failure.
 */
int app_demo_load(struct store *st, enum demo_scale scale, uint64_t seed, struct demo_stats *stats);

#endif
