/*
 * A campaign: one school year ("2026-2027", from 1 September to 31 August) and, for each request
 * kind, the settings its rule pack applies — when requests are accepted, how fast they are
 * answered, when sessions may take place and on which weekdays, how long an action lasts, how
 * many trainees it takes, how many HSE a trainer may be paid. The comité de pilotage sets them
 * (SPEC.md: "sets the campaign rules (quotas, windows, caps)"); campaign_defaults() fills them
 * with the seeds' values moved to the campaign's year, each quoted beside its value in
 * campaign.c. Pure functions over a plain struct; every date is an instant (Unix seconds) at a
 * Paris midnight, and every period is half-open, [from, until): its last day is the one before
 * `until`.
 */
#ifndef DOMAIN_CAMPAIGN_H
#define DOMAIN_CAMPAIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "domain/dispositif.h"
#include "domain/trainer.h" /* WEEKDAY_ALL, struct field_errors */

#define CAMPAIGN_CODE_LEN    9 /* "2026-2027" */
#define CAMPAIGN_YEAR_MIN    1900
#define CAMPAIGN_YEAR_MAX    9998 /* its dates reach 1 September of the year after */
#define CAMPAIGN_MAX_WINDOWS 2

/* The bit of an ISO weekday (1 = Monday … 6 = Saturday) in the weekday sets below, which are
 * trainer.h's: bit 0 Monday … bit 5 Saturday. Sunday has no bit: no session takes place then. */
#define CAMPAIGN_DAY_BIT(iso) (1u << ((iso)-1))

/* A period when requests are accepted: [opens_at, closes_at). */
struct campaign_window {
    int64_t opens_at;
    int64_t closes_at;
};

/* One kind's settings in a campaign. A zero means "no such rule" unless said otherwise. */
struct campaign_settings {
    /* Requests are accepted inside one of these windows; none: at any time (au fil de l'eau). */
    int window_count;
    struct campaign_window windows[CAMPAIGN_MAX_WINDOWS];
    int response_days; /* days to answer from submission (request_deadline()); never 0 */
    int64_t answer_by; /* 0, or a fixed answer date: a deadline is never earlier than this */
    /* Sessions take place in [sessions_from, sessions_until); both 0: any time. */
    int64_t sessions_from;
    int64_t sessions_until;
    int min_hours; /* an action's total duration */
    int max_hours;
    int min_days; /* an action's number of days */
    int max_days;
    int max_trainees;           /* at most, unless the request declared more */
    int trainees_1d_per_sector; /* first-degree teachers per sector */
    int trainees_2d_per_sector; /* second-degree teachers per sector */
    int max_hse_per_trainer;    /* remuneration cap per trainer, in HSE */
    /* Allowed weekdays: with academic trainers (formateurs académiques) among the trainers,
     * of which mornings only on `mornings_only`; without them. */
    unsigned weekdays_with_academic;
    unsigned mornings_only;
    unsigned weekdays_without_academic;
    unsigned weekdays_preferred; /* tried first for themes that need it (ALP: EABEP) */
    /* Actions interrupted the year before have priority until then (ANT); 0: no such rule. */
    int64_t carry_over_until;
};

struct campaign {
    char code[CAMPAIGN_CODE_LEN + 1];
    int first_year;    /* 2026 for "2026-2027" */
    int64_t starts_at; /* 1 September of first_year, 00:00 Paris */
    int64_t ends_at;   /* 1 September of the next year, 00:00 Paris: its last day is 31 August */
    struct campaign_settings kinds[REQUEST_KIND_COUNT];
};

/* Parses "2026-2027" (exactly AAAA-AAAA, the second year following the first, the first in
 * CAMPAIGN_YEAR_MIN..CAMPAIGN_YEAR_MAX) into *first_year. Returns 0 or ERR_INVAL. */
int campaign_parse_code(const char *s, size_t len, int *first_year);

/* The first year of the school year in which instant t falls (Paris time): 2026 from
 * 1 September 2026 00:00 to 31 August 2027 24:00. Returns 0 or ERR_INVAL out of range. */
int campaign_year_of(int64_t t, int *first_year);

/* Fills *c with the campaign of that school year and the seeds' defaults, their dates moved to
 * that year. Returns 0, or ERR_INVAL when first_year is out of range (*c then zeroed). */
int campaign_defaults(struct campaign *c, int first_year);

/* Checks settings a user edited: windows and periods ordered, figures in range, minimums below
 * maximums, weekday sets within Monday..Saturday. Field names are "alp_idg.max_hours",
 * "ant.windows[1]"… Returns the number of errors added. */
int campaign_validate(const struct campaign *c, struct field_errors *errs);

/* The kind's settings, or NULL for a kind out of range. */
const struct campaign_settings *campaign_settings_of(const struct campaign *c, enum request_kind k);

/* True when a request of that kind may be submitted at t: inside one of its windows, or at any
 * time when it has none. False for a kind out of range. */
bool campaign_window_contains(const struct campaign *c, enum request_kind k, int64_t t);

/* True when a session of that kind may take place at t as far as the season goes
 * ([sessions_from, sessions_until), or always when unset). */
bool campaign_session_period_contains(const struct campaign *c, enum request_kind k, int64_t t);

/* Whether a session may take place on the day of instant t (Paris time). */
enum campaign_day {
    CAMPAIGN_DAY_CLOSED,  /* not that weekday */
    CAMPAIGN_DAY_MORNING, /* the morning only */
    CAMPAIGN_DAY_OPEN,    /* the whole day */
};
enum campaign_day campaign_weekday_rule(const struct campaign *c, enum request_kind k, int64_t t,
                                        bool academic_trainers);
/* True when the day of t is one of the kind's preferred weekdays (always false when none). */
bool campaign_weekday_preferred(const struct campaign *c, enum request_kind k, int64_t t);

/* The response deadline of a request of that kind submitted at submitted_at: response_days
 * later (request_deadline()), or answer_by when that is later. Returns 0 or ERR_INVAL. */
int campaign_response_deadline(const struct campaign *c, enum request_kind k, int64_t submitted_at,
                               int64_t *deadline);

/*
 * Settings as JSON, for the stored overrides of a campaign, its pages and the API. One kind:
 * {"windows": [["2026-06-15", "2026-07-08"], …] (first and last day of each; [] accepts at any
 * time), "answer_by", "sessions_from", "sessions_until" (its last day), "carry_over_until" (its
 * last day): "AAAA-MM-JJ" or null; "response_days", "min_hours", "max_hours", "min_days",
 * "max_days", "max_trainees", "trainees_1d_per_sector", "trainees_2d_per_sector",
 * "max_hse_per_trainer": integers (0: no such rule); "weekdays_with_academic",
 * "mornings_only", "weekdays_without_academic", "weekdays_preferred": "lundi, mardi"}.
 * campaign_json: {"code", "first_year", "kinds": {"<kind code>": that object, …}}.
 */
json_t *campaign_kind_json(const struct campaign_settings *s);
json_t *campaign_json(const struct campaign *c);

/* Applies overrides, {"<kind code>": {some of the keys above}}, onto c, then validates the
 * whole campaign (campaign_validate). Every problem goes to errs, with fields such as
 * "ant.windows"; returns their number (c may be partly changed when it is not 0). */
int campaign_apply(struct campaign *c, const json_t *overrides, struct field_errors *errs);

#endif
