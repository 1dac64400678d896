/*
 * The ALP IDG rule pack: reads an ALP IDG request's details defensively (every value may be of
 * any JSON type), then checks the seed's rules with the campaign's figures, so that a comité de
 * pilotage that changes a figure in the campaign changes the rule and its message together. Each
 * rule sits beside the seed sentence it enforces (seed 001_2189d3959b19bfc3.txt, "Cahier des
 * charges actions locales prioritaires (ALP) interdegrés 2020-2021").
 *
 * The calendar part (school holidays of zone A, public holidays) is here because ALP IDG is the
 * first rule pack that needs it; the ENT and ANT packs and the batch assignment will want it too,
 * and it may then move to a calendar module of its own without changing its functions.
 */
#include "domain/rules_alp.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/timeutil.h"
#include "domain/dispositif.h"

#define KIND REQUEST_KIND_ALP_IDG

#define R_SHAPE        "alp.shape"
#define R_REQUESTERS   "alp.requesters"
#define R_FORMAT       "alp.format"
#define R_DURATION     "alp.duration"
#define R_TIMES        "alp.times"
#define R_PERIOD       "alp.period"
#define R_WEEKDAY      "alp.weekday"
#define R_EABEP        "alp.eabep"
#define R_HOLIDAY      "alp.holiday"
#define R_SECTOR_QUOTA "alp.sector_quota"
#define R_MAX_TRAINEES "alp.max_trainees"
#define R_BALANCE      "alp.balance"
#define R_ORIENTATION  "alp.orientation"

#define TEXT_LEN_MAX  300   /* theme, previous action */
#define NAME_LEN_MAX  200   /* a requester's name, a circonscription */
#define HEADCOUNT_MAX 10000 /* trainees: far above any real action */
#define HOURS_MAX     100   /* shape bounds; the rule's bounds are the campaign's */
#define DAYS_MAX      31

/* ---------------------------------------------------------------------------------------------
 * Calendar
 */

/* Days since 1970-01-01 of the proleptic Gregorian y-m-d (Howard Hinnant's days_from_civil, the
 * algorithm timeutil.c uses; repeated here because timeutil.h keeps it private). */
static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void rules_alp_easter(int y, int *m, int *d)
{
    /* The anonymous Gregorian computus (Meeus/Jones/Butcher, "Astronomical Algorithms" ch. 8),
     * valid for every Gregorian year. */
    int a = y % 19, b = y / 100, c = y % 100;
    int dd = b / 4, e = b % 4;
    int f = (b + 8) / 25;
    int g = (b - f + 1) / 3;
    int h = (19 * a + b - dd - g + 15) % 30;
    int i = c / 4, k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int mm = (a + 11 * h + 22 * l) / 451;
    int n = h + l - 7 * mm + 114;
    *m = n / 31;
    *d = n % 31 + 1;
}

/* The public holidays of metropolitan France (Code du travail, art. L3133-1), outside
 * Alsace-Moselle, whose Good Friday and 26 December do not apply in the académie de Lyon. */
static const char *public_holiday(int y, int m, int d)
{
    static const struct {
        int m, d;
        const char *label;
    } fixed[] = {
        {1, 1, "jour de l’an"},    {5, 1, "fête du Travail"}, {5, 8, "Victoire 1945"},
        {7, 14, "fête nationale"}, {8, 15, "Assomption"},     {11, 1, "Toussaint"},
        {11, 11, "Armistice"},     {12, 25, "Noël"},
    };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (fixed[i].m == m && fixed[i].d == d)
            return fixed[i].label;
    if (y < 1583)
        return NULL; /* no Gregorian Easter */
    int em, ed;
    rules_alp_easter(y, &em, &ed);
    int64_t offset = days_from_civil(y, m, d) - days_from_civil(y, em, ed);
    if (offset == 1)
        return "lundi de Pâques";
    if (offset == 39)
        return "Ascension";
    if (offset == 50)
        return "lundi de Pentecôte";
    return NULL;
}

/*
 * School holidays of zone A (académies de Besançon, Bordeaux, Clermont-Ferrand, Dijon, Grenoble,
 * Limoges, Lyon, Poitiers), as days [from, until) written AAAAMMJJ: `from` is the first day
 * without classes, `until` the day classes resume ("reprise des cours"). Source: the national
 * school calendar (calendrier scolaire) published by the Ministère de l'Éducation nationale,
 * https://www.education.gouv.fr/calendrier-scolaire-100148 (arrêtés fixant le calendrier
 * scolaire), copied by hand for the school years 2025-2026 and 2026-2027. The 2026-2027 dates
 * were copied from the announced calendar and must be checked against the published arrêté.
 * THIS TABLE MUST BE UPDATED EVERY YEAR, when the ministry publishes the next school year: add
 * its rows and its first year to `known_years`; until then its campaigns get an alp.holiday
 * warning instead of a silent pass. The pont de l'Ascension runs from the Thursday (classes end
 * on the Wednesday) to the Monday. Summer holidays are listed up to 1 September, the end of the
 * campaign.
 */
static const struct {
    int32_t from, until;
    const char *label;
} zone_a[] = {
    /* 2025-2026 */
    {20251018, 20251103, "vacances de la Toussaint"},
    {20251220, 20260105, "vacances de Noël"},
    {20260207, 20260223, "vacances d’hiver"},
    {20260404, 20260420, "vacances de printemps"},
    {20260514, 20260518, "pont de l’Ascension"},
    {20260704, 20260901, "vacances d’été"},
    /* 2026-2027 */
    {20261017, 20261102, "vacances de la Toussaint"},
    {20261219, 20270104, "vacances de Noël"},
    {20270213, 20270301, "vacances d’hiver"},
    {20270410, 20270426, "vacances de printemps"},
    {20270506, 20270510, "pont de l’Ascension"},
    {20270703, 20270901, "vacances d’été"},
};
static const int known_years[] = {2025, 2026};

bool rules_alp_holidays_known(int first_year)
{
    for (size_t i = 0; i < sizeof known_years / sizeof known_years[0]; i++)
        if (known_years[i] == first_year)
            return true;
    return false;
}

const char *rules_alp_holiday(int y, int m, int d, bool *is_public)
{
    if (is_public)
        *is_public = false;
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
        return NULL;
    const char *label = public_holiday(y, m, d);
    if (label) {
        if (is_public)
            *is_public = true;
        return label;
    }
    int32_t key = y * 10000 + m * 100 + d;
    for (size_t i = 0; i < sizeof zone_a / sizeof zone_a[0]; i++)
        if (key >= zone_a[i].from && key < zone_a[i].until)
            return zone_a[i].label;
    return NULL;
}

/* ---------------------------------------------------------------------------------------------
 * Orientations of éducation prioritaire
 */

/* 001 §5: "Pour les établissements relevant de l'éducation prioritaire, la thématique choisie
 * pour 2020-2021 doit néanmoins pouvoir s'inscrire dans le cadre des grandes orientations
 * stratégiques définies notamment dans le cahier des charges du plan académique de formation
 * 2020-2021 : - la grande difficulté scolaire et l'étayage des fragilités renforcées par la
 * période de confinement, - le travail personnel et l'autonomie de l'élève, - les pratiques
 * inclusives, - la fluidité des parcours." */
const char *const rules_alp_orientation_codes[] = {
    "grande_difficulte", "travail_personnel", "pratiques_inclusives", "fluidite_parcours", NULL,
};
static const char *const orientation_labels[] = {
    "la grande difficulté scolaire et l’étayage des fragilités renforcées par la période de "
    "confinement",
    "le travail personnel et l’autonomie de l’élève",
    "les pratiques inclusives",
    "la fluidité des parcours",
};

const char *rules_alp_orientation_label(const char *code)
{
    if (!code)
        return NULL;
    for (int i = 0; rules_alp_orientation_codes[i]; i++)
        if (strcmp(rules_alp_orientation_codes[i], code) == 0)
            return orientation_labels[i];
    return NULL;
}

/* ---------------------------------------------------------------------------------------------
 * Reading the details
 */

struct alp {
    const struct campaign *c;
    const struct campaign_settings *s;
    struct rule_report *out;
    long long sectors, hours, days;
    bool sectors_ok, hours_ok, days_ok;
    bool asked_ok; /* hours and days read and within the campaign's bounds */
    bool eabep, eabep_ok;
    bool academic, academic_ok;
};

/* ---------------------------------------------------------------------------------------------
 * Requesters and format
 */

/* One requester; its role into *chef / *ien. False when its role could not be read. */
static bool check_requester(struct alp *x, const json_t *r, size_t i, bool *chef, bool *ien)
{
    char field[64], label[64];
    rules_say(field, sizeof field, "requesters[%zu]", i);
    if (!json_is_object(r)) {
        rule_report_add(x->out, R_SHAPE, field, false, "Demandeur n°%zu : objet attendu.", i + 1);
        return false;
    }
    rules_say(field, sizeof field, "requesters[%zu].role", i);
    rules_say(label, sizeof label, "Demandeur n°%zu : rôle", i + 1);
    const char *role = rules_get_text(x->out, R_SHAPE, r, "role", field, label, 1, 40);
    char nfield[64];
    rules_say(nfield, sizeof nfield, "requesters[%zu].name", i);
    rules_say(label, sizeof label, "Demandeur n°%zu : nom", i + 1);
    (void)rules_get_text(x->out, R_SHAPE, r, "name", nfield, label, 1, NAME_LEN_MAX);
    if (!role)
        return false;
    if (strcmp(role, "chef_etablissement") == 0) {
        *chef = true;
        rules_say(field, sizeof field, "requesters[%zu].uai", i);
        rules_say(label, sizeof label, "Demandeur n°%zu : UAI de l’établissement", i + 1);
        (void)rules_get_uai(x->out, R_SHAPE, r, "uai", field, label, "0691234A");
    } else if (strcmp(role, "ien") == 0) {
        *ien = true;
        rules_say(field, sizeof field, "requesters[%zu].circonscription", i);
        rules_say(label, sizeof label, "Demandeur n°%zu : circonscription", i + 1);
        (void)rules_get_text(x->out, R_SHAPE, r, "circonscription", field, label, 1, NAME_LEN_MAX);
    } else {
        /* 001: "Il est demandé conjointement par un ou plusieurs chef(s) d'établissement et un
         * ou plusieurs IEN de circonscription": nobody else files it (an IA-IPR referent is
         * consulted, not a requester). */
        rule_report_add(x->out, R_REQUESTERS, field, false,
                        "Demandeur n°%zu : une ALP IDG est demandée par des chefs d’établissement "
                        "et des IEN de circonscription, rôles « chef_etablissement » ou « ien ».",
                        i + 1);
    }
    return true;
}

static void check_requesters(struct alp *x, const json_t *details)
{
    const json_t *a = json_object_get(details, "requesters");
    if (!a || json_is_null(a)) {
        rule_report_add(x->out, R_SHAPE, "requesters", false,
                        "Demandeurs : champ obligatoire, au moins un chef d’établissement et un "
                        "IEN de circonscription.");
        return;
    }
    if (!json_is_array(a)) {
        rule_report_add(x->out, R_SHAPE, "requesters", false, "Demandeurs : liste attendue.");
        return;
    }
    size_t n = json_array_size(a);
    if (n > RULES_ALP_REQUESTERS_MAX) {
        rule_report_add(x->out, R_SHAPE, "requesters", false, "Demandeurs : %d au plus.",
                        RULES_ALP_REQUESTERS_MAX);
        return;
    }
    bool chef = false, ien = false, roles_read = true;
    for (size_t i = 0; i < n; i++)
        if (!check_requester(x, json_array_get(a, i), i, &chef, &ien))
            roles_read = false;
    if (!roles_read || (chef && ien))
        return; /* an unreadable role could be the missing one: its shape breach says enough */
    /* 001: "Il est demandé conjointement par un ou plusieurs chef(s) d'établissement et un ou
     * plusieurs IEN de circonscription". */
    rule_report_add(x->out, R_REQUESTERS, "requesters", false,
                    "Une ALP IDG est demandée conjointement par au moins un chef d’établissement "
                    "et un IEN de circonscription : il manque %s.",
                    !chef && !ien ? "l’un et l’autre"
                    : !chef       ? "un chef d’établissement"
                                  : "un IEN de circonscription");
}

static void check_format(struct alp *x, const json_t *details)
{
    const char *f = rules_get_text(x->out, R_SHAPE, details, "format", "format", "Format", 1, 40);
    if (!f)
        return;
    /* 001 §1: the three formats a réseau or secteur may ask for. */
    if (strcmp(f, "reconduction") == 0) {
        /* "une reconduction de l'ALP IDG demandée en 2019-2020 pour compenser l'annulation des
         * journées programmées en 2019-2020 en raison de la situation sanitaire": the request
         * must say which action it carries on. */
        const json_t *p = json_object_get(details, "previous_action");
        if (!p || json_is_null(p) || (json_is_string(p) && json_string_length(p) == 0))
            rule_report_add(x->out, R_FORMAT, "previous_action", false,
                            "Reconduction : indiquez l’ALP IDG de l’année précédente dont les "
                            "journées ont été annulées.");
        else
            (void)rules_get_text(x->out, R_SHAPE, details, "previous_action", "previous_action",
                                 "ALP IDG reconduite", 3, TEXT_LEN_MAX);
    } else if (strcmp(f, "multi_secteurs") == 0) {
        /* "une ALP IDG à l'échelle d'un ou de plusieurs réseaux ou secteurs (EP et/ou HREP)
         * géographiquement proches, et pour lesquels se dégage une logique de territoire forte":
         * read as the territorial format, which has a reason to exist only with two sectors or
         * more (one sector files a reconduction or a new theme). */
        if (x->sectors_ok && x->sectors < 2)
            rule_report_add(x->out, R_FORMAT, "sectors", false,
                            "Le format « plusieurs réseaux ou secteurs » réunit au moins deux "
                            "réseaux ou secteurs écoles-collège ; la demande en compte %lld.",
                            x->sectors);
    } else if (strcmp(f, "nouveau_theme") != 0) {
        rule_report_add(x->out, R_FORMAT, "format", false,
                        "Format : reconduction d’une ALP IDG annulée (« reconduction »), nouvelle "
                        "thématique (« nouveau_theme ») ou plusieurs réseaux ou secteurs "
                        "(« multi_secteurs »).");
    }
}

static void check_theme(struct alp *x, const json_t *details)
{
    (void)rules_get_text(x->out, R_SHAPE, details, "theme", "theme", "Thématique", 3, TEXT_LEN_MAX);
    x->eabep_ok = rules_get_bool(x->out, R_SHAPE, details, "eabep", "eabep", "Thématique EABEP",
                                 true, &x->eabep) > 0;
    bool ep = false;
    bool ep_ok = rules_get_bool(x->out, R_SHAPE, details, "education_prioritaire",
                                "education_prioritaire", "Éducation prioritaire", true, &ep) > 0;
    const json_t *o = json_object_get(details, "orientation");
    bool given = o && !json_is_null(o);
    if (given && !json_is_string(o)) {
        rule_report_add(x->out, R_SHAPE, "orientation", false, "Orientation : texte attendu.");
        return;
    }
    bool known = given && rules_alp_orientation_label(json_string_value(o)) != NULL;
    if (ep_ok && ep && !known)
        rule_report_add(x->out, R_ORIENTATION, "orientation", false,
                        "En éducation prioritaire, la thématique s’inscrit dans l’une des quatre "
                        "orientations : grande difficulté scolaire, travail personnel et "
                        "autonomie de l’élève, pratiques inclusives, fluidité des parcours.");
    else if (given && !known)
        rule_report_add(x->out, R_SHAPE, "orientation", false,
                        "Orientation : grande_difficulte, travail_personnel, "
                        "pratiques_inclusives ou fluidite_parcours.");
}

/* ---------------------------------------------------------------------------------------------
 * Duration and sessions
 */

/* "de 6 à 12 heures", "6 heures au moins", "12 heures au plus" into dst. */
static void bounds_text(char *dst, size_t n, int min, int max, const char *one, const char *many)
{
    if (min > 0 && max > 0)
        rules_say(dst, n, "de %d à %d %s", min, max, max > 1 ? many : one);
    else if (min > 0)
        rules_say(dst, n, "%d %s au moins", min, min > 1 ? many : one);
    else
        rules_say(dst, n, "%d %s au plus", max, max > 1 ? many : one);
}

static bool outside(long long v, int min, int max)
{
    return (min > 0 && v < min) || (max > 0 && v > max);
}

static void check_duration(struct alp *x, const json_t *details)
{
    const struct campaign_settings *s = x->s;
    char b[64];
    x->hours_ok = rules_get_int(x->out, R_SHAPE, details, "hours", "hours", "Durée en heures", 1,
                                HOURS_MAX, true, &x->hours) > 0;
    x->days_ok = rules_get_int(x->out, R_SHAPE, details, "days", "days", "Nombre de journées", 1,
                               DAYS_MAX, true, &x->days) > 0;
    /* 001 §2: "Les ALP IDG seront mises en place pour une durée de 6 à 12 heures (une à deux
     * journées de formation)". */
    if (x->hours_ok && outside(x->hours, s->min_hours, s->max_hours)) {
        bounds_text(b, sizeof b, s->min_hours, s->max_hours, "heure", "heures");
        rule_report_add(x->out, R_DURATION, "hours", false,
                        "Durée demandée : %lld h ; une ALP IDG dure %s.", x->hours, b);
    }
    if (x->days_ok && outside(x->days, s->min_days, s->max_days)) {
        bounds_text(b, sizeof b, s->min_days, s->max_days, "journée", "journées");
        rule_report_add(x->out, R_DURATION, "days", false,
                        "Journées demandées : %lld ; une ALP IDG compte %s.", x->days, b);
    }
    x->asked_ok = x->hours_ok && x->days_ok && !outside(x->hours, s->min_hours, s->max_hours) &&
                  !outside(x->days, s->min_days, s->max_days);
}

struct session {
    bool date_ok, times_ok;
    int y, m, d;
    int64_t day;    /* days since 1970-01-01 */
    int64_t t;      /* 00:00 Paris that day */
    int start, end; /* minutes since midnight */
};

/* The French name of ISO weekday wd (1 = Monday): trainer.h's names, plus Sunday. */
static const char *day_name(int wd)
{
    return wd >= 1 && wd <= 6 ? weekday_names[wd - 1] : "dimanche";
}

/* "le lundi, le mardi, le mercredi matin ou le jeudi" for a weekday set (campaign.h bits). */
static void days_text(char *dst, size_t n, unsigned days, unsigned mornings, const char *article)
{
    int total = 0, count = 0;
    size_t len = 0;
    for (int i = 0; i < 6; i++)
        total += (int)((days >> i) & 1u);
    dst[0] = '\0';
    if (total == 0) {
        rules_say(dst, n, "aucun jour");
        return;
    }
    for (int i = 0; i < 6; i++) {
        if (!(days & (1u << i)))
            continue;
        const char *sep = count == 0 ? "" : count == total - 1 ? " ou " : ", ";
        int w = snprintf(dst + len, n - len, "%s%s %s%s", sep, article, day_name(i + 1),
                         mornings & (1u << i) ? " matin" : "");
        if (w < 0 || (size_t)w >= n - len)
            return; /* cut: the sets of campaign.h fit in the callers' buffers */
        len += (size_t)w;
        count++;
    }
}

/* "HH:MM" into minutes since midnight; -1 if not that. */
static int parse_time(const char *s, size_t len)
{
    if (len != 5 || s[2] != ':')
        return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0');
    int m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 23 || m > 59)
        return -1;
    return h * 60 + m;
}

static int session_time(struct alp *x, const json_t *o, const char *key, size_t i, const char *what)
{
    char field[64];
    rules_say(field, sizeof field, "sessions[%zu].%s", i, key);
    const json_t *v = json_object_get(o, key);
    int t = json_is_string(v) ? parse_time(json_string_value(v), json_string_length(v)) : -1;
    if (t < 0)
        rule_report_add(x->out, R_SHAPE, field, false,
                        "Séance n°%zu : heure de %s attendue au format HH:MM (09:00).", i + 1,
                        what);
    return t;
}

/* Reads session i into *p, with alp.shape breaches for what is malformed. */
static void read_session(struct alp *x, const json_t *o, size_t i, struct session *p)
{
    char field[64];
    memset(p, 0, sizeof *p);
    if (!json_is_object(o)) {
        rules_say(field, sizeof field, "sessions[%zu]", i);
        rule_report_add(x->out, R_SHAPE, field, false,
                        "Séance n°%zu : objet attendu (date, start, end).", i + 1);
        return;
    }
    rules_say(field, sizeof field, "sessions[%zu].date", i);
    const char *s = rules_date_shaped(json_object_get(o, "date"));
    if (!s) {
        rule_report_add(x->out, R_SHAPE, field, false,
                        "Séance n°%zu : date attendue au format AAAA-MM-JJ (2027-01-12).", i + 1);
    } else if (time_parse_date(s, 10, &p->t) != 0) {
        /* Ten digits and dashes only: safe to repeat to the user. */
        rule_report_add(x->out, R_SHAPE, field, false,
                        "Séance n°%zu : le %.10s n’est pas une date du calendrier.", i + 1, s);
    } else {
        p->y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
        p->m = (s[5] - '0') * 10 + (s[6] - '0');
        p->d = (s[8] - '0') * 10 + (s[9] - '0');
        p->day = days_from_civil(p->y, p->m, p->d);
        p->date_ok = true;
    }
    p->start = session_time(x, o, "start", i, "début");
    p->end = session_time(x, o, "end", i, "fin");
    p->times_ok = p->start >= 0 && p->end >= 0;
    if (p->times_ok && p->end <= p->start) {
        rules_say(field, sizeof field, "sessions[%zu].end", i);
        rule_report_add(x->out, R_TIMES, field, false,
                        "Séance n°%zu : la fin (%02d:%02d) doit suivre le début (%02d:%02d).",
                        i + 1, p->end / 60, p->end % 60, p->start / 60, p->start % 60);
        p->times_ok = false;
    }
}

/* The rules about the day of session i: season, holidays, weekday, EABEP preference. */
static void check_session_day(struct alp *x, const struct session *p, size_t i)
{
    const struct campaign_settings *s = x->s;
    char field[64], when[48], list[160];
    rules_say(field, sizeof field, "sessions[%zu].date", i);
    int wd = time_weekday(p->t);
    rules_say(when, sizeof when, "%s %02d/%02d/%04d", day_name(wd), p->d, p->m, p->y);
    /* 001 §2: "de mi-octobre à début juin 2021" (campaign.c reads them as 15 October and
     * 7 June). */
    if (!campaign_session_period_contains(x->c, KIND, p->t)) {
        int y1, m1, d1, y2, m2, d2;
        rules_paris_ymd(s->sessions_from, &y1, &m1, &d1);
        rules_paris_ymd(s->sessions_until - 1, &y2, &m2, &d2);
        rule_report_add(x->out, R_PERIOD, field, false,
                        "Le %s est hors de la période des ALP IDG, du %02d/%02d/%04d au "
                        "%02d/%02d/%04d.",
                        when, d1, m1, y1, d2, m2, y2);
    }
    /* Issue 5 §3: "school holidays and public holidays excluded"; 001 §2 adds that the dates
     * must take into account "des contraintes de remplacement des enseignants du premier
     * degré", who cannot be replaced on a day without classes. */
    bool is_public = false;
    const char *holiday = rules_alp_holiday(p->y, p->m, p->d, &is_public);
    if (holiday && is_public)
        rule_report_add(x->out, R_HOLIDAY, field, false, "Le %s est un jour férié (%s).", when,
                        holiday);
    else if (holiday)
        rule_report_add(x->out, R_HOLIDAY, field, false,
                        "Le %s tombe pendant les vacances scolaires (%s, zone A, académie de "
                        "Lyon).",
                        when, holiday);
    if (!x->academic_ok)
        return;
    /* 001 §2: "les ALP IDG faisant intervenir des formateurs académiques pourront être déployées
     * les lundis, ou mardis, ou jeudis (éventuellement mercredis matin). Les ALP IDG ne
     * nécessitant pas l'intervention de formateurs académiques pourront être déployées les
     * vendredis." */
    enum campaign_day rule = campaign_weekday_rule(x->c, KIND, p->t, x->academic);
    if (rule == CAMPAIGN_DAY_CLOSED) {
        days_text(list, sizeof list,
                  x->academic ? s->weekdays_with_academic : s->weekdays_without_academic,
                  x->academic ? s->mornings_only : 0, "le");
        rule_report_add(x->out, R_WEEKDAY, field, false,
                        "Le %s ne convient pas : %s formateurs académiques, une ALP IDG a lieu %s.",
                        when, x->academic ? "avec des" : "sans", list);
        return; /* the day must change anyway: no preference to add */
    }
    if (rule == CAMPAIGN_DAY_MORNING && p->times_ok && p->end > RULES_ALP_MORNING_END) {
        char efield[64];
        rules_say(efield, sizeof efield, "sessions[%zu].end", i);
        rule_report_add(x->out, R_WEEKDAY, efield, false,
                        "Le %s, la séance finit à %02d:%02d : avec des formateurs académiques, ce "
                        "jour-là se limite au matin (fin à %02d:%02d au plus tard).",
                        when, p->end / 60, p->end % 60, RULES_ALP_MORNING_END / 60,
                        RULES_ALP_MORNING_END % 60);
    }
    /* 001 §2: "Les ALP IDG ayant une thématique concernant particulièrement les élèves à besoins
     * éducatifs particuliers (EABEP) seront prioritairement positionnées sur des mardis ou
     * jeudis pour permettre l'intervention des formateurs académiques à valence ASH."
     * "Prioritairement" is a preference the coordinator may override: a warning. */
    if (x->eabep_ok && x->eabep && s->weekdays_preferred &&
        !campaign_weekday_preferred(x->c, KIND, p->t)) {
        days_text(list, sizeof list, s->weekdays_preferred, 0, "un");
        rule_report_add(x->out, R_EABEP, field, true,
                        "Thématique EABEP : la séance du %s serait de préférence %s, pour "
                        "permettre l’intervention des formateurs académiques à valence ASH.",
                        when, list);
    }
}

/* "4 h" or "4 h 30" into dst. */
static void minutes_text(char *dst, size_t n, long long minutes)
{
    if (minutes % 60)
        rules_say(dst, n, "%lld h %02lld", minutes / 60, minutes % 60);
    else
        rules_say(dst, n, "%lld h", minutes / 60);
}

/* Total duration and number of days of a well-formed schedule. */
static void check_schedule(struct alp *x, const struct session *p, size_t n)
{
    const struct campaign_settings *s = x->s;
    long long minutes = 0;
    long long days = 0;
    for (size_t i = 0; i < n; i++) {
        minutes += p[i].end - p[i].start;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = p[j].day == p[i].day;
        days += !seen;
    }
    char total[32], b[64];
    minutes_text(total, sizeof total, minutes);
    bool bad = false;
    if ((s->min_hours > 0 && minutes < s->min_hours * 60LL) ||
        (s->max_hours > 0 && minutes > s->max_hours * 60LL)) {
        bounds_text(b, sizeof b, s->min_hours, s->max_hours, "heure", "heures");
        rule_report_add(x->out, R_DURATION, "sessions", false,
                        "Les séances totalisent %s ; une ALP IDG dure %s.", total, b);
        bad = true;
    }
    if (outside(days, s->min_days, s->max_days)) {
        bounds_text(b, sizeof b, s->min_days, s->max_days, "journée", "journées");
        rule_report_add(x->out, R_DURATION, "sessions", false,
                        "Les séances occupent %lld journée%s ; une ALP IDG compte %s.", days,
                        days > 1 ? "s" : "", b);
        bad = true;
    }
    /* What was asked for and what is scheduled may differ when the training services set the
     * dates (001 §2); the schedule is what counts, so only a warning. */
    if (!bad && x->asked_ok && (minutes != x->hours * 60 || days != x->days))
        rule_report_add(x->out, R_DURATION, "sessions", true,
                        "Les séances totalisent %s sur %lld journée%s ; la demande annonçait "
                        "%lld h sur %lld journée%s.",
                        total, days, days > 1 ? "s" : "", x->hours, x->days,
                        x->days > 1 ? "s" : "");
}

static void check_sessions(struct alp *x, const json_t *details)
{
    const json_t *a = json_object_get(details, "sessions");
    if (!a || json_is_null(a))
        return; /* dates not set yet */
    if (!json_is_array(a)) {
        rule_report_add(x->out, R_SHAPE, "sessions", false, "Séances : liste attendue.");
        return;
    }
    size_t n = json_array_size(a);
    if (n == 0)
        return;
    bool whole = n <= RULES_ALP_SESSIONS_MAX;
    if (!whole) {
        rule_report_add(x->out, R_SHAPE, "sessions", false, "Séances : %d au plus.",
                        RULES_ALP_SESSIONS_MAX);
        n = RULES_ALP_SESSIONS_MAX;
    }
    if (!rules_alp_holidays_known(x->c->first_year))
        rule_report_add(x->out, R_HOLIDAY, "sessions", true,
                        "Les vacances scolaires de %s ne sont pas encore connues de Continuum : "
                        "vérifiez que les séances n’y tombent pas (les jours fériés sont "
                        "vérifiés).",
                        x->c->code);
    struct session p[RULES_ALP_SESSIONS_MAX];
    for (size_t i = 0; i < n; i++) {
        read_session(x, json_array_get(a, i), i, &p[i]);
        if (p[i].date_ok)
            check_session_day(x, &p[i], i);
        whole = whole && p[i].date_ok && p[i].times_ok;
    }
    for (size_t j = 1; j < n; j++) {
        for (size_t i = 0; i < j; i++) {
            if (!p[i].date_ok || !p[j].date_ok || !p[i].times_ok || !p[j].times_ok ||
                p[i].day != p[j].day || p[i].start >= p[j].end || p[j].start >= p[i].end)
                continue;
            char field[64];
            rules_say(field, sizeof field, "sessions[%zu].start", j);
            rule_report_add(x->out, R_TIMES, field, false,
                            "La séance n°%zu chevauche la séance n°%zu le %02d/%02d/%04d.", j + 1,
                            i + 1, p[j].d, p[j].m, p[j].y);
            whole = false;
            break;
        }
    }
    if (whole)
        check_schedule(x, p, n);
}

/* ---------------------------------------------------------------------------------------------
 * Trainees
 */

static void check_trainees(struct alp *x, const json_t *details)
{
    const struct campaign_settings *s = x->s;
    const json_t *t = json_object_get(details, "trainees");
    if (!t || json_is_null(t)) {
        rule_report_add(x->out, R_SHAPE, "trainees", false,
                        "Stagiaires : champ obligatoire (first_degree, second_degree).");
        return;
    }
    if (!json_is_object(t)) {
        rule_report_add(x->out, R_SHAPE, "trainees", false,
                        "Stagiaires : objet attendu (first_degree, second_degree).");
        return;
    }
    long long d1 = 0, d2 = 0, declared = 0;
    bool ok1 = rules_get_int(x->out, R_SHAPE, t, "first_degree", "trainees.first_degree",
                             "Stagiaires du 1er degré", 0, HEADCOUNT_MAX, true, &d1) > 0;
    bool ok2 = rules_get_int(x->out, R_SHAPE, t, "second_degree", "trainees.second_degree",
                             "Stagiaires du 2nd degré", 0, HEADCOUNT_MAX, true, &d2) > 0;
    int got = rules_get_int(x->out, R_SHAPE, t, "declared_max", "trainees.declared_max",
                            "Stagiaires annoncés", 1, HEADCOUNT_MAX, false, &declared);

    /* 001 §3: "Les ALP IDG pourront concerner pour un secteur : 10 personnels enseignants du
     * second degré, 10 professeurs des écoles de secteur." Read as a cap per sector. */
    if (x->sectors_ok) {
        const char *sec = x->sectors > 1 ? "réseaux ou secteurs" : "réseau ou secteur";
        if (ok1 && s->trainees_1d_per_sector > 0 && d1 > s->trainees_1d_per_sector * x->sectors)
            rule_report_add(x->out, R_SECTOR_QUOTA, "trainees.first_degree", false,
                            "%lld professeurs des écoles pour %lld %s : %d par secteur au plus.",
                            d1, x->sectors, sec, s->trainees_1d_per_sector);
        if (ok2 && s->trainees_2d_per_sector > 0 && d2 > s->trainees_2d_per_sector * x->sectors)
            rule_report_add(x->out, R_SECTOR_QUOTA, "trainees.second_degree", false,
                            "%lld enseignants du second degré pour %lld %s : %d par secteur au "
                            "plus.",
                            d2, x->sectors, sec, s->trainees_2d_per_sector);
    }
    if (!ok1 || !ok2)
        return;
    long long total = d1 + d2;
    /* 001 §3: "Le nombre maximum d'enseignants mobilisés sur une action est de 30 personnes." and
     * "Si les pilotes souhaitent mobiliser plus de 30 stagiaires … ils doivent l'anticiper dès
     * la demande d'ALP IDG et le mentionner sur le formulaire de demande". A declaration at or
     * under the cap changes nothing. */
    if (s->max_trainees > 0 && got >= 0) {
        bool above = got > 0 && declared > s->max_trainees;
        long long limit = above ? declared : s->max_trainees;
        if (total > limit && above)
            rule_report_add(x->out, R_MAX_TRAINEES, "trainees", false,
                            "%lld stagiaires pour %lld annoncés dans la demande.", total, declared);
        else if (total > limit)
            rule_report_add(x->out, R_MAX_TRAINEES, "trainees", false,
                            "%lld stagiaires : au-delà de %d, la demande doit annoncer le nombre "
                            "de stagiaires prévu.",
                            total, s->max_trainees);
    }
    /* 001 §3: "L'équilibre entre le nombre d'enseignants du premier et du second degré doit être
     * garanti par les pilotes." The seed gives no figure: each degree at least 40 % of the
     * trainees (12 and 18 are balanced, 11 and 19 are not). */
    if (d1 == 0 || d2 == 0)
        rule_report_add(x->out, R_BALANCE, "trainees", false,
                        "Une ALP IDG réunit des enseignants du premier et du second degré ; la "
                        "demande en compte %lld du 1er degré et %lld du 2nd.",
                        d1, d2);
    else if ((d1 < d2 ? d1 : d2) * 100 < RULES_ALP_BALANCE_PCT * total)
        rule_report_add(x->out, R_BALANCE, "trainees", false,
                        "Équilibre entre les degrés : %lld du 1er degré pour %lld du 2nd ; chaque "
                        "degré compte au moins %d %% des stagiaires.",
                        d1, d2, RULES_ALP_BALANCE_PCT);
}

/* ---------------------------------------------------------------------------------------------
 * The pack
 */

int rules_alp_check(const json_t *details, const struct campaign *c, struct rule_report *out)
{
    assert(c && out);
    int before = out->blocking;
    struct alp x = {.c = c, .s = campaign_settings_of(c, KIND), .out = out};
    if (!json_is_object(details)) {
        rule_report_add(out, R_SHAPE, "", false,
                        "Les détails d’une ALP IDG sont un objet JSON (requesters, format, "
                        "theme…).");
        return out->blocking - before;
    }
    check_requesters(&x, details);
    x.sectors_ok = rules_get_int(out, R_SHAPE, details, "sectors", "sectors", "Réseaux ou secteurs",
                                 1, RULES_ALP_SECTORS_MAX, true, &x.sectors) > 0;
    check_format(&x, details);
    check_theme(&x, details);
    x.academic_ok = rules_get_bool(out, R_SHAPE, details, "academic_trainers", "academic_trainers",
                                   "Formateurs académiques", true, &x.academic) > 0;
    check_duration(&x, details);
    check_sessions(&x, details);
    check_trainees(&x, details);
    return out->blocking - before;
}
