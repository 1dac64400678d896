/*
 * Campaigns and their per-kind settings. The seeds date their rules 2020-2021; campaign_defaults()
 * keeps each day and month and moves the year: a date in the seed's summer before the school
 * year (ANT's windows, ALP's May requests) lands in the summer of first_year, a date in the
 * school year itself (ALP's sessions) in first_year or the year after. Each default value has
 * the seed's sentence beside it.
 *
 * Paris midnights come from time_parse_date() on a formatted "AAAA-MM-JJ": timeutil.h has no
 * public civil-date constructor, and its parser is the one place that knows the calendar and
 * the summer-time rule, so going through it keeps that knowledge in one file.
 */
#include "domain/campaign.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/timeutil.h"
#include "domain/request.h"
#include "domain/rules.h"

#define MON CAMPAIGN_DAY_BIT(1)
#define TUE CAMPAIGN_DAY_BIT(2)
#define WED CAMPAIGN_DAY_BIT(3)
#define THU CAMPAIGN_DAY_BIT(4)
#define FRI CAMPAIGN_DAY_BIT(5)

#define FIGURE_MAX 10000 /* hours, days, trainees, HSE: far above any real action */

/* 00:00 Paris on y-m-d into *t; ERR_INVAL when that date does not exist or is out of
 * timeutil's years. */
static int day_start(int y, int m, int d, int64_t *t)
{
    char s[16];
    int n = snprintf(s, sizeof s, "%04d-%02d-%02d", y, m, d);
    if (n < 0 || (size_t)n >= sizeof s)
        return ERR_INVAL;
    return time_parse_date(s, (size_t)n, t);
}

/* 00:00 Paris on the day after y-m-d: the exclusive end of a period whose last day is y-m-d. */
static int day_end(int y, int m, int d, int64_t *t)
{
    if (day_start(y, m, d + 1, t) == 0)
        return 0;
    if (m < 12)
        return day_start(y, m + 1, 1, t);
    return day_start(y + 1, 1, 1, t);
}

int campaign_parse_code(const char *s, size_t len, int *first_year)
{
    if (!s || len != CAMPAIGN_CODE_LEN || s[4] != '-')
        return ERR_INVAL;
    int years[2] = {0, 0};
    for (int part = 0; part < 2; part++) {
        for (int i = 0; i < 4; i++) {
            char ch = s[part * 5 + i];
            if (ch < '0' || ch > '9')
                return ERR_INVAL;
            years[part] = years[part] * 10 + (ch - '0');
        }
    }
    if (years[1] != years[0] + 1 || years[0] < CAMPAIGN_YEAR_MIN || years[0] > CAMPAIGN_YEAR_MAX)
        return ERR_INVAL;
    *first_year = years[0];
    return 0;
}

int campaign_year_of(int64_t t, int *first_year)
{
    int64_t lo, hi;
    if (day_start(CAMPAIGN_YEAR_MIN, 9, 1, &lo) != 0 ||
        day_start(CAMPAIGN_YEAR_MAX + 1, 9, 1, &hi) != 0 || t < lo || t >= hi)
        return ERR_INVAL;
    /* A first guess from the mean Gregorian year, then at most a step or two either way. */
    int64_t guess = 1970 + (t >= 0 ? t : t - 31556951) / 31556952;
    int y = guess < CAMPAIGN_YEAR_MIN   ? CAMPAIGN_YEAR_MIN
            : guess > CAMPAIGN_YEAR_MAX ? CAMPAIGN_YEAR_MAX
                                        : (int)guess;
    int64_t start;
    while (y > CAMPAIGN_YEAR_MIN && day_start(y, 9, 1, &start) == 0 && start > t)
        y--;
    while (y < CAMPAIGN_YEAR_MAX && day_start(y + 1, 9, 1, &start) == 0 && start <= t)
        y++;
    *first_year = y;
    return 0;
}

/* A window from day y1-m1-d1 to day y2-m2-d2, both included. */
static int window(struct campaign_settings *s, int y1, int m1, int d1, int y2, int m2, int d2)
{
    if (s->window_count >= CAMPAIGN_MAX_WINDOWS)
        return ERR_TOOBIG;
    struct campaign_window *w = &s->windows[s->window_count];
    if (day_start(y1, m1, d1, &w->opens_at) != 0 || day_end(y2, m2, d2, &w->closes_at) != 0)
        return ERR_INVAL;
    s->window_count++;
    return 0;
}

static int defaults_alp(struct campaign_settings *s, int y)
{
    int rc = 0;
    /* 001 §6: "Mai 2020 La demande d'ALP IDG est envoyée par les pilotes à la Dfie à l'aide du
     * formulaire spécifique de demande d'ALP IDG." */
    rc |= window(s, y, 5, 1, y, 5, 31);
    /* 001 §6: "Juillet 2020 Courrier d'information et calendrier des ALP IDG validées, envoyés
     * aux chefs d'établissement, aux IEN et aux IA-IPR référents." So requests filed in May are
     * answered by the end of July. */
    rc |= day_end(y, 7, 31, &s->answer_by);
    /* 001 §2: "Les ALP IDG seront mises en place pour une durée de 6 à 12 heures (une à deux
     * journées de formation), de mi-octobre à début juin 2021." Mid-October is read as the
     * 15th, early June as the first week (last day the 7th). */
    rc |= day_start(y, 10, 15, &s->sessions_from);
    rc |= day_end(y + 1, 6, 7, &s->sessions_until);
    s->min_hours = 6;
    s->max_hours = 12;
    s->min_days = 1;
    s->max_days = 2;
    /* 001 §2: "les ALP IDG faisant intervenir des formateurs académiques pourront être déployées
     * les lundis, ou mardis, ou jeudis (éventuellement mercredis matin)." */
    s->weekdays_with_academic = MON | TUE | WED | THU;
    s->mornings_only = WED;
    /* 001 §2: "Les ALP IDG ne nécessitant pas l'intervention de formateurs académiques pourront
     * être déployées les vendredis." */
    s->weekdays_without_academic = FRI;
    /* 001 §2: "Les ALP IDG ayant une thématique concernant particulièrement les élèves à besoins
     * éducatifs particuliers (EABEP) seront prioritairement positionnées sur des mardis ou
     * jeudis". */
    s->weekdays_preferred = TUE | THU;
    /* 001 §3: "Le nombre maximum d'enseignants mobilisés sur une action est de 30 personnes."
     * and "Si les pilotes souhaitent mobiliser plus de 30 stagiaires … ils doivent l'anticiper
     * dès la demande d'ALP IDG et le mentionner sur le formulaire de demande". */
    s->max_trainees = 30;
    /* 001 §3: "Les ALP IDG pourront concerner pour un secteur : 10 personnels enseignants du
     * second degré, 10 professeurs des écoles de secteur." */
    s->trainees_2d_per_sector = 10;
    s->trainees_1d_per_sector = 10;
    return rc ? ERR_INVAL : 0;
}

static int defaults_ant(struct campaign_settings *s, int y)
{
    int rc = 0;
    /* 000: "Entre le 15 juin et le 8 juillet, puis à partir du 21 août prochains, plusieurs
     * membres d'une équipe éducative peuvent rédiger et transmettre à la DAFOR une demande
     * d'aide négociée de territoire". The seed gives the second window no end; it is closed
     * the day before the next campaign's first window opens, so that one campaign at a time
     * takes ANT requests. */
    rc |= window(s, y, 6, 15, y, 7, 8);
    rc |= window(s, y, 8, 21, y + 1, 6, 14);
    /* 000: "le contexte sanitaire ayant empêché la poursuite ou la mise en œuvre de certaines
     * ANT commencées ou validées en 2019-2020, priorité leur sera donnée au 1er trimestre de
     * la prochaine année scolaire." The first term is read as ending on 31 December. */
    rc |= day_end(y, 12, 31, &s->carry_over_until);
    return rc ? ERR_INVAL : 0;
}

static void defaults_ent(struct campaign_settings *s)
{
    /* 002: "Proposition de rémunération par le chef d'établissement (18 HSE au maximum par
     * « formateur accompagnateur »)" and §6: "Une rémunération forfaitaire de 18 HSE au
     * maximum, pour chaque « formateur-accompagnateur » est proposée pour ces actions." */
    s->max_hse_per_trainer = 18;
}

int campaign_defaults(struct campaign *c, int first_year)
{
    memset(c, 0, sizeof *c);
    if (first_year < CAMPAIGN_YEAR_MIN || first_year > CAMPAIGN_YEAR_MAX)
        return ERR_INVAL;
    int n = snprintf(c->code, sizeof c->code, "%04d-%04d", first_year, first_year + 1);
    if (n != CAMPAIGN_CODE_LEN)
        goto fail;
    c->first_year = first_year;
    if (day_start(first_year, 9, 1, &c->starts_at) != 0 ||
        day_start(first_year + 1, 9, 1, &c->ends_at) != 0)
        goto fail;
    for (int k = 0; k < REQUEST_KIND_COUNT; k++) {
        struct campaign_settings *s = &c->kinds[k];
        /* 004 Annexe 4 c: the answer "doit … Être apportée dans des délais fixés et contraints
         * (ex : délais de 5 semaines pour une réponse à une demande de FIL)"; the only figure
         * the seeds give, so every kind's default (request.h). */
        s->response_days = request_response_days((enum request_kind)k);
        /* No weekday rule but ALP's: any day but Sunday. */
        s->weekdays_with_academic = WEEKDAY_ALL;
        s->weekdays_without_academic = WEEKDAY_ALL;
    }
    if (defaults_alp(&c->kinds[REQUEST_KIND_ALP_IDG], first_year) != 0 ||
        defaults_ant(&c->kinds[REQUEST_KIND_ANT], first_year) != 0)
        goto fail;
    defaults_ent(&c->kinds[REQUEST_KIND_ENT]);
    return 0;
fail:
    memset(c, 0, sizeof *c);
    return ERR_INVAL;
}

/* "alp_idg.max_hours" into field (48 bytes, as struct field_error's). */
static void field_name(char field[48], enum request_kind k, const char *name)
{
    /* Every name here fits; were one too long, the cut ASCII name would still do. */
    int n = snprintf(field, 48, "%s.%s", request_kind_code(k), name);
    if (n < 0)
        field[0] = '\0';
}

static void check_range(struct field_errors *errs, enum request_kind k, const char *name,
                        const char *label, int v, int min, int max)
{
    if (v >= min && v <= max)
        return;
    char field[48];
    field_name(field, k, name);
    field_errors_add(errs, field, "%s : %s : entre %d et %d, pas %d.", request_kind_short(k), label,
                     min, max, v);
}

static void check_order(struct field_errors *errs, enum request_kind k, const char *name,
                        const char *label, int min, int max)
{
    if (min == 0 || max == 0 || min <= max)
        return;
    char field[48];
    field_name(field, k, name);
    field_errors_add(errs, field, "%s : %s : le minimum (%d) dépasse le maximum (%d).",
                     request_kind_short(k), label, min, max);
}

static void check_windows(struct field_errors *errs, enum request_kind k,
                          const struct campaign_settings *s)
{
    char field[48];
    if (s->window_count < 0 || s->window_count > CAMPAIGN_MAX_WINDOWS) {
        field_name(field, k, "windows");
        field_errors_add(errs, field, "%s : %d fenêtres de dépôt au plus.", request_kind_short(k),
                         CAMPAIGN_MAX_WINDOWS);
        return;
    }
    for (int i = 0; i < s->window_count; i++) {
        const struct campaign_window *w = &s->windows[i];
        char name[16];
        int n = snprintf(name, sizeof name, "windows[%d]", i);
        field_name(field, k, n > 0 && (size_t)n < sizeof name ? name : "windows");
        if (w->closes_at <= w->opens_at)
            field_errors_add(errs, field,
                             "%s : fenêtre de dépôt n°%d : la fin doit suivre le début.",
                             request_kind_short(k), i + 1);
        else if (i > 0 && w->opens_at < s->windows[i - 1].closes_at)
            field_errors_add(errs, field,
                             "%s : fenêtre de dépôt n°%d : elle doit commencer après la fin de la "
                             "précédente.",
                             request_kind_short(k), i + 1);
    }
}

static void check_kind(struct field_errors *errs, enum request_kind k,
                       const struct campaign_settings *s)
{
    char field[48];
    check_windows(errs, k, s);
    check_range(errs, k, "response_days", "délai de réponse en jours", s->response_days, 1,
                REQUEST_RESPONSE_DAYS_MAX);
    if ((s->sessions_from != 0) != (s->sessions_until != 0) ||
        (s->sessions_from != 0 && s->sessions_until <= s->sessions_from)) {
        field_name(field, k, "sessions_until");
        field_errors_add(errs, field,
                         "%s : période des séances : deux dates, la fin après le début, ou "
                         "aucune.",
                         request_kind_short(k));
    }
    check_range(errs, k, "min_hours", "durée minimale en heures", s->min_hours, 0, FIGURE_MAX);
    check_range(errs, k, "max_hours", "durée maximale en heures", s->max_hours, 0, FIGURE_MAX);
    check_order(errs, k, "min_hours", "durée en heures", s->min_hours, s->max_hours);
    check_range(errs, k, "min_days", "nombre minimal de journées", s->min_days, 0, FIGURE_MAX);
    check_range(errs, k, "max_days", "nombre maximal de journées", s->max_days, 0, FIGURE_MAX);
    check_order(errs, k, "min_days", "nombre de journées", s->min_days, s->max_days);
    check_range(errs, k, "max_trainees", "stagiaires par action", s->max_trainees, 0, FIGURE_MAX);
    check_range(errs, k, "trainees_1d_per_sector", "enseignants du 1er degré par secteur",
                s->trainees_1d_per_sector, 0, FIGURE_MAX);
    check_range(errs, k, "trainees_2d_per_sector", "enseignants du 2nd degré par secteur",
                s->trainees_2d_per_sector, 0, FIGURE_MAX);
    check_range(errs, k, "max_hse_per_trainer", "HSE par formateur", s->max_hse_per_trainer, 0,
                FIGURE_MAX);
    const struct {
        const char *name;
        unsigned days;
    } sets[] = {
        {"weekdays_with_academic", s->weekdays_with_academic},
        {"mornings_only", s->mornings_only},
        {"weekdays_without_academic", s->weekdays_without_academic},
        {"weekdays_preferred", s->weekdays_preferred},
    };
    for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
        if (!(sets[i].days & ~(unsigned)WEEKDAY_ALL))
            continue;
        field_name(field, k, sets[i].name);
        field_errors_add(errs, field, "%s : jours autorisés : du lundi au samedi seulement.",
                         request_kind_short(k));
    }
    if (s->mornings_only & ~s->weekdays_with_academic) {
        field_name(field, k, "mornings_only");
        field_errors_add(errs, field,
                         "%s : un jour limité au matin doit être un jour autorisé avec des "
                         "formateurs académiques.",
                         request_kind_short(k));
    }
}

int campaign_validate(const struct campaign *c, struct field_errors *errs)
{
    int before = errs->count;
    int year = 0;
    if (campaign_parse_code(c->code, strnlen(c->code, sizeof c->code), &year) != 0 ||
        year != c->first_year)
        field_errors_add(errs, "code",
                         "Campagne : année scolaire AAAA-AAAA attendue, pas « %.10s ».", c->code);
    if (c->ends_at <= c->starts_at)
        field_errors_add(errs, "ends_at", "Campagne : la fin doit suivre le début.");
    for (int k = 0; k < REQUEST_KIND_COUNT; k++)
        check_kind(errs, (enum request_kind)k, &c->kinds[k]);
    return errs->count - before;
}

const struct campaign_settings *campaign_settings_of(const struct campaign *c, enum request_kind k)
{
    if ((int)k < 0 || k >= REQUEST_KIND_COUNT)
        return NULL;
    return &c->kinds[k];
}

bool campaign_window_contains(const struct campaign *c, enum request_kind k, int64_t t)
{
    const struct campaign_settings *s = campaign_settings_of(c, k);
    if (!s)
        return false;
    if (s->window_count == 0)
        return true; /* a negative count (a corrupt setting) accepts nothing */
    for (int i = 0; i < s->window_count && i < CAMPAIGN_MAX_WINDOWS; i++)
        if (t >= s->windows[i].opens_at && t < s->windows[i].closes_at)
            return true;
    return false;
}

bool campaign_session_period_contains(const struct campaign *c, enum request_kind k, int64_t t)
{
    const struct campaign_settings *s = campaign_settings_of(c, k);
    if (!s)
        return false;
    if (s->sessions_from == 0 && s->sessions_until == 0)
        return true;
    return t >= s->sessions_from && t < s->sessions_until;
}

enum campaign_day campaign_weekday_rule(const struct campaign *c, enum request_kind k, int64_t t,
                                        bool academic_trainers)
{
    const struct campaign_settings *s = campaign_settings_of(c, k);
    int wd = time_weekday(t);
    if (!s || wd < 1 || wd > 6)
        return CAMPAIGN_DAY_CLOSED;
    unsigned bit = CAMPAIGN_DAY_BIT(wd);
    unsigned days = academic_trainers ? s->weekdays_with_academic : s->weekdays_without_academic;
    if (!(days & bit))
        return CAMPAIGN_DAY_CLOSED;
    if (academic_trainers && (s->mornings_only & bit))
        return CAMPAIGN_DAY_MORNING;
    return CAMPAIGN_DAY_OPEN;
}

bool campaign_weekday_preferred(const struct campaign *c, enum request_kind k, int64_t t)
{
    const struct campaign_settings *s = campaign_settings_of(c, k);
    int wd = time_weekday(t);
    if (!s || wd < 1 || wd > 6)
        return false;
    return (s->weekdays_preferred & CAMPAIGN_DAY_BIT(wd)) != 0;
}

int campaign_response_deadline(const struct campaign *c, enum request_kind k, int64_t submitted_at,
                               int64_t *deadline)
{
    const struct campaign_settings *s = campaign_settings_of(c, k);
    if (!s)
        return ERR_INVAL;
    int64_t d;
    int rc = request_deadline(submitted_at, s->response_days, &d);
    if (rc != 0)
        return rc;
    /* ALP IDG requests filed in May all get their answer in July (001 §6): the fixed date
     * prevails over the relative one as long as it is the later of the two. */
    *deadline = s->answer_by > d ? s->answer_by : d;
    return 0;
}

/* ---- settings as JSON (stored overrides, pages, API) ---- */

/* "AAAA-MM-JJ" of the Paris day of instant t into out (11 bytes). */
static void iso_day(int64_t t, char out[11])
{
    int y = 0, m = 0, d = 0;
    rules_paris_ymd(t, &y, &m, &d);
    if (snprintf(out, 11, "%04d-%02d-%02d", y, m, d) != 10)
        out[0] = '\0';
}

static json_t *day_or_null(int64_t t, bool exclusive_end)
{
    if (!t)
        return json_null();
    char s[11];
    iso_day(exclusive_end ? t - 1 : t, s);
    return json_string(s);
}

static json_t *weekdays_json(unsigned bits)
{
    char s[80] = "";
    weekdays_format(bits, s, sizeof s);
    return json_string(s);
}

/* The integer settings, by name, for both directions. */
#define INT_SETTINGS(X)                                                                            \
    X(response_days)                                                                               \
    X(min_hours)                                                                                   \
    X(max_hours)                                                                                   \
    X(min_days)                                                                                    \
    X(max_days)                                                                                    \
    X(max_trainees)                                                                                \
    X(trainees_1d_per_sector)                                                                      \
    X(trainees_2d_per_sector)                                                                      \
    X(max_hse_per_trainer)

#define WEEKDAY_SETTINGS(X)                                                                        \
    X(weekdays_with_academic)                                                                      \
    X(mornings_only)                                                                               \
    X(weekdays_without_academic)                                                                   \
    X(weekdays_preferred)

json_t *campaign_kind_json(const struct campaign_settings *s)
{
    json_t *o = json_object(), *windows = json_array();
    for (int i = 0; i < s->window_count && i < CAMPAIGN_MAX_WINDOWS; i++)
        json_array_append_new(windows, json_pack("[oo]", day_or_null(s->windows[i].opens_at, false),
                                                 day_or_null(s->windows[i].closes_at, true)));
    json_object_set_new(o, "windows", windows);
    json_object_set_new(o, "answer_by", day_or_null(s->answer_by, false));
    json_object_set_new(o, "sessions_from", day_or_null(s->sessions_from, false));
    json_object_set_new(o, "sessions_until", day_or_null(s->sessions_until, true));
    json_object_set_new(o, "carry_over_until", day_or_null(s->carry_over_until, true));
#define SET_INT(name) json_object_set_new(o, #name, json_integer(s->name));
    INT_SETTINGS(SET_INT)
#undef SET_INT
#define SET_DAYS(name) json_object_set_new(o, #name, weekdays_json(s->name));
    WEEKDAY_SETTINGS(SET_DAYS)
#undef SET_DAYS
    return o;
}

json_t *campaign_json(const struct campaign *c)
{
    json_t *kinds = json_object();
    for (int k = 0; k < REQUEST_KIND_COUNT; k++)
        json_object_set_new(kinds, request_kind_code((enum request_kind)k),
                            campaign_kind_json(&c->kinds[k]));
    return json_pack("{ss si so}", "code", c->code, "first_year", c->first_year, "kinds", kinds);
}

/* A day AAAA-MM-JJ (or null: 0) into *t, its start or (exclusive_end) the next day's start. */
static bool read_day(const json_t *v, bool exclusive_end, int64_t *t)
{
    if (json_is_null(v)) {
        *t = 0;
        return true;
    }
    const char *s = json_string_value(v);
    int64_t day = 0;
    if (!s || strlen(s) != 10 || s[4] != '-' || time_parse_date(s, 10, &day) != 0)
        return false;
    if (!exclusive_end) {
        *t = day;
        return true;
    }
    int y = 0, m = 0, d = 0;
    rules_paris_ymd(day, &y, &m, &d);
    return day_end(y, m, d, t) == 0;
}

static void apply_kind(struct campaign_settings *s, enum request_kind k, const json_t *o,
                       struct field_errors *errs)
{
    char field[48];
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)(uintptr_t)o, key, v)
    {
        field_name(field, k, key);
        const char *who = request_kind_short(k);
        if (strcmp(key, "windows") == 0) {
            size_t n = json_array_size(v);
            if (!json_is_array(v) || n > CAMPAIGN_MAX_WINDOWS) {
                field_errors_add(errs, field,
                                 "%s : fenêtres de dépôt : une liste de %d paires de dates au "
                                 "plus.",
                                 who, CAMPAIGN_MAX_WINDOWS);
                continue;
            }
            struct campaign_settings t = *s;
            t.window_count = 0;
            for (size_t i = 0; i < n; i++) {
                const json_t *w = json_array_get(v, i);
                struct campaign_window cw;
                if (json_array_size(w) != 2 ||
                    !read_day(json_array_get(w, 0), false, &cw.opens_at) ||
                    !read_day(json_array_get(w, 1), true, &cw.closes_at) || !cw.opens_at ||
                    !cw.closes_at) {
                    field_errors_add(errs, field,
                                     "%s : fenêtre de dépôt n°%zu : deux dates AAAA-MM-JJ "
                                     "attendues, le premier et le dernier jour.",
                                     who, i + 1);
                    return;
                }
                t.windows[t.window_count++] = cw;
            }
            s->window_count = t.window_count;
            memcpy(s->windows, t.windows, sizeof s->windows);
            continue;
        }
        struct {
            const char *name;
            int64_t *at;
            bool end;
        } days[] = {{"answer_by", &s->answer_by, false},
                    {"sessions_from", &s->sessions_from, false},
                    {"sessions_until", &s->sessions_until, true},
                    {"carry_over_until", &s->carry_over_until, true}};
        bool done = false;
        for (size_t i = 0; i < sizeof days / sizeof days[0] && !done; i++) {
            if (strcmp(key, days[i].name) != 0)
                continue;
            done = true;
            if (!read_day(v, days[i].end, days[i].at))
                field_errors_add(errs, field, "%s : une date AAAA-MM-JJ (ou null) attendue.", who);
        }
#define READ_INT(name)                                                                             \
    if (!done && strcmp(key, #name) == 0) {                                                        \
        done = true;                                                                               \
        if (!json_is_integer(v) || json_integer_value(v) < 0 ||                                    \
            json_integer_value(v) > FIGURE_MAX * 1000)                                             \
            field_errors_add(errs, field, "%s : un entier positif ou nul attendu.", who);          \
        else                                                                                       \
            s->name = (int)json_integer_value(v);                                                  \
    }
        INT_SETTINGS(READ_INT)
#undef READ_INT
#define READ_DAYS(name)                                                                            \
    if (!done && strcmp(key, #name) == 0) {                                                        \
        done = true;                                                                               \
        const char *txt = json_string_value(v);                                                    \
        int bits = txt ? (*txt ? weekdays_parse(txt, strlen(txt)) : 0) : -1;                       \
        if (bits < 0)                                                                              \
            field_errors_add(errs, field,                                                          \
                             "%s : des jours de la semaine attendus (« lundi, mardi »).", who);    \
        else                                                                                       \
            s->name = (unsigned)bits;                                                              \
    }
        WEEKDAY_SETTINGS(READ_DAYS)
#undef READ_DAYS
        if (!done)
            field_errors_add(errs, field, "%s : réglage inconnu « %.40s ».", who, key);
    }
}

int campaign_apply(struct campaign *c, const json_t *overrides, struct field_errors *errs)
{
    int before = errs->count;
    if (!json_is_object(overrides)) {
        field_errors_add(errs, "kinds", "Les réglages sont un objet par type de demande.");
        return errs->count - before;
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)(uintptr_t)overrides, key, v)
    {
        enum request_kind k = request_kind_parse(key);
        if (k == REQUEST_KIND_COUNT) {
            field_errors_add(errs, "kinds", "Type de demande inconnu : « %.40s ».", key);
            continue;
        }
        if (!json_is_object(v)) {
            char field[48];
            field_name(field, k, "");
            field_errors_add(errs, field, "%s : un objet de réglages attendu.",
                             request_kind_short(k));
            continue;
        }
        apply_kind(&c->kinds[k], k, v, errs);
    }
    if (errs->count == before)
        campaign_validate(c, errs);
    return errs->count - before;
}
