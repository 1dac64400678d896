/*
 * What app/missions.c shares with app/campaign_assign.c (the batch assignment of a campaign):
 * a request as a proposal query sees it (struct need), the pool and per-trainer arrays of a
 * query (struct board), the competence referential, and the helpers both use. Not part of the
 * app's API: only those two files include it.
 */
#ifndef APP_MISSIONS_INTERNAL_H
#define APP_MISSIONS_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "core/buf.h"
#include "domain/campaign.h"
#include "domain/request.h"
#include "engine/proposal.h"

#define MAX_SESSIONS 32
#define MAX_WANTS    12

static inline const char *jstr(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static inline int64_t jint(const json_t *o, const char *key)
{
    return (int64_t)json_integer_value(json_object_get(o, key));
}

static inline bool coordinates(const struct user *u)
{
    return u->role == ROLE_COORDINATOR;
}

/* A moment as [start, end) instants. */
struct span {
    int64_t start, end;
};

/* A request as a proposal query sees it: its slots, hours, days, place, wanted competences. */
struct need {
    json_t *req; /* owned */
    const json_t *details;
    enum request_kind kind;
    enum request_state state;
    struct campaign camp;
    int year;
    int hours;
    int n_slots;
    unsigned char slots[2];
    unsigned char public_degree;
    unsigned char site;
    char site_code[16];
    struct prop_want wants[MAX_WANTS];
    size_t n_wants;
    json_t *wanted; /* [{code, label, related}] */
    unsigned weekdays_required, weekdays_allowed;
    struct span sessions[MAX_SESSIONS];
    int n_sessions;
    bool scheduled_sessions; /* from request_session rather than the ALP's wishes */
    int64_t balance;
    unsigned char owner_side;
};

/* The competence referential with each label's analysed terms (" a b "), read once per
 * proposal or once for a whole batch. */
struct referential {
    json_t *rows; /* store_competences */
    char **terms;
    size_t n;
};

struct fill {
    const struct prop_pool *pool;
    int32_t *used;
    unsigned char *busy;
};

/* The pool and the per-trainer arrays of a request's query. */
struct board {
    const struct prop_pool *pool;
    void *ref;
    int32_t *used;
    unsigned char *busy;
    json_t *missions; /* the request's trainers */
};

void mission_need_free(struct need *n);
/* "1D", "2D", "any"; "Formateur du 1er degré"…; "university", "rectorat", "other". */
const char *mission_slot_code(unsigned char s);
const char *mission_slot_label(unsigned char s);
const char *mission_side_code(unsigned char side);
int mission_referential_load(struct app_ctx *ctx, struct referential *r);
void mission_referential_free(struct referential *r);
/* Hours balance of a year: university→rectorat minus rectorat→university (004 Annexe 4 b). */
int mission_year_balance(struct app_ctx *ctx, int year, int64_t *balance);
/* Reads request id and everything its proposals weigh; ref: the referential, or NULL to read
 * it here (and then the balance too: with a referential, the caller, a batch, keeps it). */
int mission_need_load(struct app_ctx *ctx, int64_t id, struct need *n,
                      const struct referential *ref);
/* store_trainer_hours callback: arg is a struct fill. */
int mission_fill_used(void *arg, int64_t trainer, int64_t hours);
void mission_board_free(struct app_ctx *ctx, struct board *b);
struct prop_query mission_query_of(const struct need *n, const struct board *b, unsigned char slot,
                                   size_t limit);
/* The trainer covering a slot (not declined), or NULL. */
const json_t *mission_covering(const struct board *b, unsigned char slot);
/* Notifies the trainer's account, or e-mails the trainer when there is none. */
int mission_notify_trainer(struct app_ctx *ctx, int64_t trainer, const char *kind, int64_t request,
                           const char *title);
/* "« title »", cut at a character boundary to fit a notification's line. */
void mission_quoted_title(const json_t *req, char *out, size_t n);

#endif
