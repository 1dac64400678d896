/*
 * The request workflow: state codes and labels, the transition table, reasons and response
 * deadlines. The table is a list of rows (from, to, kinds, roles); a transition is legal for a
 * kind when a row has it, and allowed to a role when such a row names the role. A few
 * transitions differ per kind (ALD is validated by inspectors, not at level 1; ENT and FI let
 * the requester or the parcours manager schedule), so they take several rows with disjoint kind
 * sets. Thirty-odd rows scanned linearly: a check is a handful of comparisons, far below
 * anything a request does around it.
 */
#include "domain/request.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/timeutil.h"
#include "core/utf8.h"

#define SECS_PER_DAY 86400
/* The instants request_deadline() accepts: the years 1900..9998, so that a year of days and a
 * time zone offset added to them stay far inside int64_t and inside timeutil's years. */
#define TIME_MIN ((int64_t)-2208988800)  /* 1900-01-01T00:00:00Z */
#define TIME_MAX ((int64_t)253370764800) /* 9999-01-01T00:00:00Z, excluded */

#define REASON_MIN 3
#define REASON_MAX 500

static const char *const state_codes[REQUEST_STATE_COUNT] = {
    [REQUEST_DRAFT] = "draft",         [REQUEST_SUBMITTED] = "submitted",
    [REQUEST_TRIAGED] = "triaged",     [REQUEST_FORWARDED] = "forwarded",
    [REQUEST_VALIDATED] = "validated", [REQUEST_REFUSED] = "refused",
    [REQUEST_ASSIGNED] = "assigned",   [REQUEST_SCHEDULED] = "scheduled",
    [REQUEST_DONE] = "done",           [REQUEST_HOURS_VALIDATED] = "hours_validated",
    [REQUEST_WITHDRAWN] = "withdrawn", [REQUEST_CANCELLED] = "cancelled",
};

/* What a requester reads beside their request: « Votre demande est … ». */
static const char *const state_labels[REQUEST_STATE_COUNT] = {
    [REQUEST_DRAFT] = "brouillon",         [REQUEST_SUBMITTED] = "soumise",
    [REQUEST_TRIAGED] = "prise en charge", [REQUEST_FORWARDED] = "transmise à un collectif",
    [REQUEST_VALIDATED] = "validée",       [REQUEST_REFUSED] = "refusée",
    [REQUEST_ASSIGNED] = "affectée",       [REQUEST_SCHEDULED] = "planifiée",
    [REQUEST_DONE] = "réalisée",           [REQUEST_HOURS_VALIDATED] = "heures validées",
    [REQUEST_WITHDRAWN] = "retirée",       [REQUEST_CANCELLED] = "annulée",
};

#define ROLE_BIT(r) (1u << (r))
#define KIND_BIT(k) (1u << (k))
/* Not a role: stands for the kind's filers (below), resolved when the row is checked. */
#define BY_FILER (1u << 31)

#define COORD ROLE_BIT(ROLE_COORDINATOR)
#define PILOT ROLE_BIT(ROLE_PILOT)
#define INSP  ROLE_BIT(ROLE_INSPECTOR)
#define REQ   ROLE_BIT(ROLE_REQUESTER)
#define TRAIN ROLE_BIT(ROLE_TRAINER)
#define PARC  ROLE_BIT(ROLE_PARCOURS_MANAGER)

#define ALL_KINDS ((1u << REQUEST_KIND_COUNT) - 1)
#define ALD       KIND_BIT(REQUEST_KIND_ALD)
#define ENT       KIND_BIT(REQUEST_KIND_ENT)
#define FI        KIND_BIT(REQUEST_KIND_FI)

_Static_assert(ROLE_COUNT < 31, "role bits must stay below BY_FILER");
_Static_assert(REQUEST_KIND_COUNT < 32, "kind bits fit an unsigned");

/* Who files (drafts, submits, withdraws) each kind of request. */
static const unsigned filers[REQUEST_KIND_COUNT] = {
    /* 004 Annexe 1 n°7: "Elle est mise en œuvre à l’initiative d’un chef d’établissement ou
     * d’un IEN." Both are the requester role (SPEC.md). */
    [REQUEST_KIND_FIL] = REQ,
    /* 001: "Il est demandé conjointement par un ou plusieurs chef(s) d'établissement et un ou
     * plusieurs IEN de circonscription"; the joint signature is the ALP rule pack's check. */
    [REQUEST_KIND_ALP_IDG] = REQ,
    /* 000: "plusieurs membres d'une équipe éducative peuvent rédiger et transmettre à la DAFOR
     * une demande d'aide négociée de territoire … sous couvert de leur chef d'établissement";
     * the team has no account of its own, its head files. */
    [REQUEST_KIND_ANT] = REQ,
    /* 004 Annexe 1 n°9: higher-education staff "peuvent proposer des offres de formations", and
     * a local request is "déposée (ou à minima validée) par les corps d’inspection". */
    [REQUEST_KIND_ALD] = TRAIN | INSP,
    /* SPEC.md: the parcours manager "requests field trainers for MEEF courses"; 004 Annexe 4 b:
     * "Hors temps partagés, l’ensemble des intervenants Éducation nationale en formation
     * initiale doit passer par le Pôle de professionnalisation." */
    [REQUEST_KIND_FI] = PARC,
    /* 002: the convention is between the DAFPEN and "le chef d'établissement". */
    [REQUEST_KIND_ENT] = REQ,
    /* 004 §3 b: the coordination team handles "demandes institutionnalisées" and includes the
     * DFIE, which runs the PAF and "développe des dispositifs de formation de préparation aux
     * concours internes" (Annexe 1 n°12). */
    [REQUEST_KIND_PAF] = COORD,
    [REQUEST_KIND_PREP_CONCOURS] = COORD,
};

struct transition {
    enum request_state from;
    enum request_state to;
    unsigned kinds;
    unsigned roles;
    bool reason; /* the same for every row of a (from, to) pair */
    const char *label;
};

static const struct transition table[] = {
    {REQUEST_DRAFT, REQUEST_SUBMITTED, ALL_KINDS, BY_FILER, false, "Soumettre"},
    {REQUEST_DRAFT, REQUEST_WITHDRAWN, ALL_KINDS, BY_FILER, false, "Retirer"},
    {REQUEST_SUBMITTED, REQUEST_WITHDRAWN, ALL_KINDS, BY_FILER, false, "Retirer"},
    {REQUEST_TRIAGED, REQUEST_WITHDRAWN, ALL_KINDS, BY_FILER, false, "Retirer"},
    {REQUEST_FORWARDED, REQUEST_WITHDRAWN, ALL_KINDS, BY_FILER, false, "Retirer"},
    /* 004 §3 b: the coordination team is "la « porte d’entrée » pour toute demande", "Traite en
     * niveau 1 (demandes simples) … toute sollicitation" and "Transmet aux pilotes des
     * Collectifs pour les demandes complexes pour un traitement de niveau 2". */
    {REQUEST_SUBMITTED, REQUEST_TRIAGED, ALL_KINDS, COORD, false, "Prendre en charge"},
    {REQUEST_TRIAGED, REQUEST_FORWARDED, ALL_KINDS, COORD, false, "Transmettre à un collectif"},
    /* 004 §3 c: the collectifs "Expertiser les propositions de formations … (notamment ALD)";
     * Annexe 1 n°9: a local ALD request is "déposée (ou à minima validée) par les corps
     * d’inspection". So an ALD is never validated at level 1. The coordination team may still
     * refuse one that is out of the Pôle's scope. */
    {REQUEST_TRIAGED, REQUEST_VALIDATED, ALL_KINDS & ~ALD, COORD, false, "Valider"},
    {REQUEST_TRIAGED, REQUEST_REFUSED, ALL_KINDS, COORD, true, "Refuser"},
    /* 004 §3 c: the collectifs "Répondre à toute demande complexe que l’équipe de coordination
     * ne peut assurer (niveau 2 de réponse)". */
    {REQUEST_FORWARDED, REQUEST_VALIDATED, ALL_KINDS & ~ALD, PILOT, false, "Valider"},
    {REQUEST_FORWARDED, REQUEST_VALIDATED, ALD, INSP, false, "Valider"},
    {REQUEST_FORWARDED, REQUEST_REFUSED, ALL_KINDS & ~ALD, PILOT, true, "Refuser"},
    {REQUEST_FORWARDED, REQUEST_REFUSED, ALD, PILOT | INSP, true, "Refuser"},
    /* 004 §3 b: the team "Coordonne les interventions en FI et FC" and "Gère le suivi de la
     * balance d’heures". Unassigning sends the request back to find other trainers. */
    {REQUEST_VALIDATED, REQUEST_ASSIGNED, ALL_KINDS, COORD, false, "Affecter les formateurs"},
    {REQUEST_ASSIGNED, REQUEST_VALIDATED, ALL_KINDS, COORD, false, "Retirer l’affectation"},
    /* 002: "Le chef d'établissement établit … un plan de formation (modalités – calendrier) en
     * concertation avec le « formateur-accompagnateur »"; an FI intervention takes its dates in
     * the parcours' timetable. */
    {REQUEST_ASSIGNED, REQUEST_SCHEDULED, ALL_KINDS & ~(ENT | FI), COORD, false, "Planifier"},
    {REQUEST_ASSIGNED, REQUEST_SCHEDULED, ENT, COORD | REQ, false, "Planifier"},
    {REQUEST_ASSIGNED, REQUEST_SCHEDULED, FI, COORD | PARC, false, "Planifier"},
    /* SPEC.md: the trainer "declares hours done"; 002: "En fin de mise en œuvre du plan, le
     * chef d'établissement communiquera à la DAFPEN la liste et les modalités des formations
     * effectuées". */
    {REQUEST_SCHEDULED, REQUEST_DONE, ALL_KINDS & ~ENT, COORD | TRAIN, false, "Déclarer réalisée"},
    {REQUEST_SCHEDULED, REQUEST_DONE, ENT, COORD | TRAIN | REQ, false, "Déclarer réalisée"},
    {REQUEST_DONE, REQUEST_HOURS_VALIDATED, ALL_KINDS, COORD, false, "Valider les heures"},
    {REQUEST_VALIDATED, REQUEST_CANCELLED, ALL_KINDS, COORD, true, "Annuler"},
    {REQUEST_ASSIGNED, REQUEST_CANCELLED, ALL_KINDS, COORD, true, "Annuler"},
    {REQUEST_SCHEDULED, REQUEST_CANCELLED, ALL_KINDS, COORD, true, "Annuler"},
};

#define TABLE_LEN (sizeof table / sizeof table[0])

static const char *const urgency_codes[REQUEST_URGENCY_COUNT] = {
    [REQUEST_ON_TIME] = "on_time",
    [REQUEST_DUE_SOON] = "due_soon",
    [REQUEST_OVERDUE] = "overdue",
};

static const char *const urgency_labels[REQUEST_URGENCY_COUNT] = {
    [REQUEST_ON_TIME] = "dans les délais",
    [REQUEST_DUE_SOON] = "échéance dans 7 jours au plus",
    [REQUEST_OVERDUE] = "en retard",
};

static bool state_valid(enum request_state s)
{
    return (int)s >= 0 && s < REQUEST_STATE_COUNT;
}

static bool kind_valid(enum request_kind k)
{
    return (int)k >= 0 && k < REQUEST_KIND_COUNT;
}

/* Cuts a string that snprintf truncated so that it does not end inside a UTF-8 sequence: the
 * message may go into JSON, which must be valid UTF-8. */
static void trim_utf8(char *s)
{
    size_t len = strlen(s);
    size_t i = len;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
        i--;
    if (i == 0)
        return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t need = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
    if (len - (i - 1) < need)
        s[i - 1] = '\0';
}

static void say(char *msg, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void say(char *msg, size_t n, const char *fmt, ...)
{
    if (!msg || n == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(msg, n, fmt, ap);
    va_end(ap);
    if (r < 0)
        msg[0] = '\0';
    else if ((size_t)r >= n)
        trim_utf8(msg);
}

const char *request_state_code(enum request_state s)
{
    return state_valid(s) ? state_codes[s] : NULL;
}

const char *request_state_label(enum request_state s)
{
    return state_valid(s) ? state_labels[s] : "";
}

enum request_state request_state_parse(const char *code)
{
    if (!code)
        return REQUEST_STATE_COUNT;
    for (int s = 0; s < REQUEST_STATE_COUNT; s++)
        if (strcmp(state_codes[s], code) == 0)
            return (enum request_state)s;
    return REQUEST_STATE_COUNT;
}

bool request_state_is_final(enum request_state s)
{
    return s == REQUEST_REFUSED || s == REQUEST_HOURS_VALIDATED || s == REQUEST_WITHDRAWN ||
           s == REQUEST_CANCELLED;
}

bool request_state_awaits_answer(enum request_state s)
{
    return s == REQUEST_SUBMITTED || s == REQUEST_TRIAGED || s == REQUEST_FORWARDED;
}

static bool row_allows(const struct transition *t, enum request_kind kind, enum role role)
{
    unsigned roles = t->roles;
    if (roles & BY_FILER)
        roles = (roles & ~BY_FILER) | filers[kind];
    return (roles & ROLE_BIT(role)) != 0;
}

int request_transition_check(enum request_kind kind, enum request_state from, enum request_state to,
                             enum role role, char *msg, size_t n)
{
    if (!kind_valid(kind) || !state_valid(from) || !state_valid(to)) {
        say(msg, n, "Type ou état de demande inconnu.");
        return ERR_INVAL;
    }
    bool other_kinds = false; /* the pair exists, but not for this kind */
    bool legal = false;
    bool allowed = false;
    bool role_ok = (int)role > ROLE_NONE && role < ROLE_COUNT;
    for (size_t i = 0; i < TABLE_LEN; i++) {
        const struct transition *t = &table[i];
        if (t->from != from || t->to != to)
            continue;
        if (!(t->kinds & KIND_BIT(kind))) {
            other_kinds = true;
            continue;
        }
        legal = true;
        if (role_ok && row_allows(t, kind, role))
            allowed = true;
    }
    if (!legal && other_kinds) {
        say(msg, n, "Une demande de type « %s » ne peut pas passer de « %s » à « %s ».",
            request_kind_short(kind), state_labels[from], state_labels[to]);
        return ERR_CONFLICT;
    }
    if (!legal) {
        say(msg, n, "Une demande « %s » ne peut pas passer à « %s ».", state_labels[from],
            state_labels[to]);
        return ERR_CONFLICT;
    }
    if (!allowed) {
        say(msg, n,
            "Le rôle « %s » ne peut pas faire passer une demande de type « %s » de « %s » à "
            "« %s ».",
            role_label(role_ok ? role : ROLE_NONE), request_kind_short(kind), state_labels[from],
            state_labels[to]);
        return ERR_DENIED;
    }
    return 0;
}

bool request_transition_needs_reason(enum request_state from, enum request_state to)
{
    for (size_t i = 0; i < TABLE_LEN; i++)
        if (table[i].from == from && table[i].to == to)
            return table[i].reason;
    return false;
}

const char *request_transition_label(enum request_state from, enum request_state to)
{
    for (size_t i = 0; i < TABLE_LEN; i++)
        if (table[i].from == from && table[i].to == to)
            return table[i].label;
    return NULL;
}

size_t request_next_states(enum request_kind kind, enum request_state from, enum role role,
                           enum request_state *out, size_t n)
{
    size_t count = 0;
    for (int to = 0; to < REQUEST_STATE_COUNT; to++) {
        if (request_transition_check(kind, from, (enum request_state)to, role, NULL, 0) != 0)
            continue;
        if (out && count < n)
            out[count] = (enum request_state)to;
        count++;
    }
    return count;
}

int request_reason_check(const char *reason, size_t len, char *msg, size_t n)
{
    if (!reason)
        len = 0;
    if (len > 0 && !utf8_valid(reason, len)) {
        say(msg, n, "Motif : le texte n’est pas en UTF-8 valide.");
        return ERR_INVAL;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)reason[i];
        if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f) {
            say(msg, n, "Motif : caractère de contrôle interdit.");
            return ERR_INVAL;
        }
    }
    size_t chars = len > 0 ? utf8_length(reason, len) : 0;
    if (chars < REASON_MIN || chars > REASON_MAX) {
        say(msg, n, "Motif : obligatoire, de %d à %d caractères.", REASON_MIN, REASON_MAX);
        return ERR_INVAL;
    }
    return 0;
}

int request_response_days(enum request_kind kind)
{
    return kind_valid(kind) ? REQUEST_RESPONSE_DAYS_DEFAULT : 0;
}

/*
 * The instant whose Paris wall-clock reading is `local` (Unix seconds counted as if Paris were
 * UTC). Try winter time, then summer time; each guess is kept when the offset in force at the
 * guessed instant is the one guessed. In the October hour that happens twice the winter reading
 * wins (the later instant); in the March hour that never happens neither guess holds and the
 * winter guess is returned, which reads one hour later on the clock.
 */
static int64_t paris_from_local(int64_t local)
{
    int64_t winter = local - 3600;
    if (time_paris_offset(winter) == 3600)
        return winter;
    int64_t summer = local - 7200;
    if (time_paris_offset(summer) == 7200)
        return summer;
    return winter;
}

int request_deadline(int64_t submitted_at, int days, int64_t *deadline)
{
    if (days < 0 || days > REQUEST_RESPONSE_DAYS_MAX || submitted_at < TIME_MIN ||
        submitted_at >= TIME_MAX)
        return ERR_INVAL;
    int64_t local = submitted_at + time_paris_offset(submitted_at);
    *deadline = paris_from_local(local + (int64_t)days * SECS_PER_DAY);
    return 0;
}

enum request_urgency request_urgency_of(int64_t deadline, int64_t now)
{
    if (now >= deadline)
        return REQUEST_OVERDUE;
    /* deadline > now, so the unsigned difference is exact even across the whole int64_t
     * range, where the signed one could overflow. */
    uint64_t left = (uint64_t)deadline - (uint64_t)now;
    return left <= (uint64_t)REQUEST_DUE_SOON_SECS ? REQUEST_DUE_SOON : REQUEST_ON_TIME;
}

const char *request_urgency_code(enum request_urgency u)
{
    if ((int)u < 0 || u >= REQUEST_URGENCY_COUNT)
        return NULL;
    return urgency_codes[u];
}

const char *request_urgency_label(enum request_urgency u)
{
    if ((int)u < 0 || u >= REQUEST_URGENCY_COUNT)
        return "";
    return urgency_labels[u];
}
