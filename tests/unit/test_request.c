/* Unit tests of domain/request: states, the whole transition table per kind and role, French
 * messages, reasons, response deadlines across summer time, urgency of the queue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "domain/request.h"

#define K(k)  (1u << REQUEST_KIND_##k)
#define ALLK  ((1u << REQUEST_KIND_COUNT) - 1)
#define RB(r) (1u << ROLE_##r)
#define FILER (1u << 31)

/* The table as issue 5 and the seeds describe it, written out independently of request.c. */
struct legal {
    unsigned kinds;
    enum request_state from;
    enum request_state to;
    unsigned roles;
};

static const struct legal legal[] = {
    {ALLK, REQUEST_DRAFT, REQUEST_SUBMITTED, FILER},
    {ALLK, REQUEST_DRAFT, REQUEST_WITHDRAWN, FILER},
    {ALLK, REQUEST_SUBMITTED, REQUEST_WITHDRAWN, FILER},
    {ALLK, REQUEST_TRIAGED, REQUEST_WITHDRAWN, FILER},
    {ALLK, REQUEST_FORWARDED, REQUEST_WITHDRAWN, FILER},
    /* 004_eb042ae2bd8441b7.txt §3 b: the coordination team "Traite en niveau 1 (demandes
     * simples), après étude, toute sollicitation" and "Transmet aux pilotes des Collectifs pour
     * les demandes complexes pour un traitement de niveau 2". */
    {ALLK, REQUEST_SUBMITTED, REQUEST_TRIAGED, RB(COORDINATOR)},
    {ALLK, REQUEST_TRIAGED, REQUEST_FORWARDED, RB(COORDINATOR)},
    {ALLK & ~K(ALD), REQUEST_TRIAGED, REQUEST_VALIDATED, RB(COORDINATOR)},
    {ALLK, REQUEST_TRIAGED, REQUEST_REFUSED, RB(COORDINATOR)},
    /* 004 §3 c: the collectifs "Répondre à toute demande complexe que l’équipe de coordination
     * ne peut assurer (niveau 2 de réponse)" and "Expertiser les propositions de formations à
     * destination de la FI et FC (notamment ALD)"; Annexe 1 n°9: an ALD request is "déposée
     * (ou à minima validée) par les corps d’inspection". */
    {ALLK & ~K(ALD), REQUEST_FORWARDED, REQUEST_VALIDATED, RB(PILOT)},
    {K(ALD), REQUEST_FORWARDED, REQUEST_VALIDATED, RB(INSPECTOR)},
    {ALLK & ~K(ALD), REQUEST_FORWARDED, REQUEST_REFUSED, RB(PILOT)},
    {K(ALD), REQUEST_FORWARDED, REQUEST_REFUSED, RB(PILOT) | RB(INSPECTOR)},
    {ALLK, REQUEST_VALIDATED, REQUEST_ASSIGNED, RB(COORDINATOR)},
    {ALLK, REQUEST_ASSIGNED, REQUEST_VALIDATED, RB(COORDINATOR)},
    /* 002_a92ffaf401843d92.txt: "Le chef d'établissement établit, si nécessaire, avec l'aide
     * du conseiller départemental DAFPEN, un plan de formation (modalités – calendrier)". */
    {ALLK & ~(K(ENT) | K(FI)), REQUEST_ASSIGNED, REQUEST_SCHEDULED, RB(COORDINATOR)},
    {K(ENT), REQUEST_ASSIGNED, REQUEST_SCHEDULED, RB(COORDINATOR) | RB(REQUESTER)},
    {K(FI), REQUEST_ASSIGNED, REQUEST_SCHEDULED, RB(COORDINATOR) | RB(PARCOURS_MANAGER)},
    /* 002: "En fin de mise en œuvre du plan, le chef d'établissement communiquera à la DAFPEN
     * la liste et les modalités des formations effectuées". */
    {ALLK & ~K(ENT), REQUEST_SCHEDULED, REQUEST_DONE, RB(COORDINATOR) | RB(TRAINER)},
    {K(ENT), REQUEST_SCHEDULED, REQUEST_DONE, RB(COORDINATOR) | RB(TRAINER) | RB(REQUESTER)},
    {ALLK, REQUEST_DONE, REQUEST_HOURS_VALIDATED, RB(COORDINATOR)},
    {ALLK, REQUEST_VALIDATED, REQUEST_CANCELLED, RB(COORDINATOR)},
    {ALLK, REQUEST_ASSIGNED, REQUEST_CANCELLED, RB(COORDINATOR)},
    {ALLK, REQUEST_SCHEDULED, REQUEST_CANCELLED, RB(COORDINATOR)},
};

/* Who files each kind. */
static unsigned filers(enum request_kind k)
{
    switch (k) {
    case REQUEST_KIND_FIL:
        /* 004 Annexe 1 n°7: "Elle est mise en œuvre à l’initiative d’un chef d’établissement ou
         * d’un IEN." */
    case REQUEST_KIND_ALP_IDG:
        /* 001_2189d3959b19bfc3.txt: "Il est demandé conjointement par un ou plusieurs chef(s)
         * d'établissement et un ou plusieurs IEN de circonscription". */
    case REQUEST_KIND_ANT:
        /* 000_fcc2280faad7b98f.txt: "une demande d'aide négociée de territoire … sous couvert
         * de leur chef d'établissement". */
    case REQUEST_KIND_ENT:
        return RB(REQUESTER);
    case REQUEST_KIND_ALD:
        /* 004 Annexe 1 n°9: "Ces personnels peuvent proposer des offres de formations" and
         * "déposée (ou à minima validée) par les corps d’inspection". */
        return RB(TRAINER) | RB(INSPECTOR);
    case REQUEST_KIND_FI:
        return RB(PARCOURS_MANAGER);
    case REQUEST_KIND_PAF:
    case REQUEST_KIND_PREP_CONCOURS:
        return RB(COORDINATOR);
    case REQUEST_KIND_COUNT:
        break;
    }
    return 0;
}

static void test_state_codes(void **state)
{
    (void)state;
    /* Issue 5: "the states `draft`, `submitted`, `triaged`, `forwarded` (level 2), `validated`,
     * `refused`, `assigned`, `scheduled`, `done`, `hours_validated`", plus this module's two. */
    const char *codes[] = {"draft",     "submitted",       "triaged",   "forwarded",
                           "validated", "refused",         "assigned",  "scheduled",
                           "done",      "hours_validated", "withdrawn", "cancelled"};
    assert_int_equal(sizeof codes / sizeof codes[0], REQUEST_STATE_COUNT);
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        enum request_state s = request_state_parse(codes[i]);
        assert_int_equal(s, (enum request_state)i);
        assert_string_equal(request_state_code(s), codes[i]);
        assert_true(strlen(request_state_label(s)) > 0);
    }
    assert_string_equal(request_state_label(REQUEST_SUBMITTED), "soumise");
    assert_string_equal(request_state_label(REQUEST_SCHEDULED), "planifiée");
    assert_int_equal(request_state_parse("Submitted"), REQUEST_STATE_COUNT);
    assert_int_equal(request_state_parse(NULL), REQUEST_STATE_COUNT);
    assert_null(request_state_code(REQUEST_STATE_COUNT));
    assert_string_equal(request_state_label((enum request_state) - 3), "");

    assert_true(request_state_is_final(REQUEST_REFUSED));
    assert_true(request_state_is_final(REQUEST_HOURS_VALIDATED));
    assert_true(request_state_is_final(REQUEST_WITHDRAWN));
    assert_true(request_state_is_final(REQUEST_CANCELLED));
    assert_false(request_state_is_final(REQUEST_DONE));
    assert_true(request_state_awaits_answer(REQUEST_SUBMITTED));
    assert_true(request_state_awaits_answer(REQUEST_TRIAGED));
    assert_true(request_state_awaits_answer(REQUEST_FORWARDED));
    assert_false(request_state_awaits_answer(REQUEST_DRAFT));
    assert_false(request_state_awaits_answer(REQUEST_VALIDATED));
}

/* Every (kind, from, to, role): legal and allowed → 0, legal but not for the role →
 * ERR_DENIED, illegal → ERR_CONFLICT; no state is left once final. */
static void test_whole_table(void **state)
{
    (void)state;
    int legal_count = 0;
    for (int k = 0; k < REQUEST_KIND_COUNT; k++) {
        for (int from = 0; from < REQUEST_STATE_COUNT; from++) {
            for (int to = 0; to < REQUEST_STATE_COUNT; to++) {
                bool is_legal = false;
                unsigned roles = 0;
                for (size_t i = 0; i < sizeof legal / sizeof legal[0]; i++) {
                    const struct legal *l = &legal[i];
                    if ((int)l->from != from || (int)l->to != to || !(l->kinds & (1u << k)))
                        continue;
                    is_legal = true;
                    roles |= l->roles & FILER ? filers((enum request_kind)k) : l->roles;
                }
                if (is_legal) {
                    legal_count++;
                    assert_false(request_state_is_final((enum request_state)from));
                }
                int accepted = 0, denied = 0;
                for (int r = ROLE_NONE; r < ROLE_COUNT; r++) {
                    char msg[REQUEST_MSG_MAX];
                    int rc = request_transition_check(
                        (enum request_kind)k, (enum request_state)from, (enum request_state)to,
                        (enum role)r, msg, sizeof msg);
                    if (!is_legal) {
                        assert_int_equal(rc, ERR_CONFLICT);
                    } else if (roles & (1u << r)) {
                        assert_int_equal(rc, 0);
                        accepted++;
                    } else {
                        assert_int_equal(rc, ERR_DENIED);
                        assert_true(utf8_valid(msg, strlen(msg)));
                        denied++;
                    }
                }
                if (is_legal) {
                    assert_true(accepted > 0);
                    assert_true(denied > 0);
                }
            }
        }
    }
    /* 19 (from, to) pairs for each of the 8 kinds, but ALD has no triaged → validated. */
    assert_int_equal(legal_count, 8 * 19 - 1);
}

static void test_messages(void **state)
{
    (void)state;
    char msg[REQUEST_MSG_MAX];
    assert_int_equal(request_transition_check(REQUEST_KIND_FIL, REQUEST_SUBMITTED,
                                              REQUEST_SCHEDULED, ROLE_COORDINATOR, msg, sizeof msg),
                     ERR_CONFLICT);
    assert_string_equal(msg, "Une demande « soumise » ne peut pas passer à « planifiée ».");
    assert_int_equal(request_transition_check(REQUEST_KIND_ANT, REQUEST_REFUSED, REQUEST_VALIDATED,
                                              ROLE_COORDINATOR, msg, sizeof msg),
                     ERR_CONFLICT);
    assert_string_equal(msg, "Une demande « refusée » ne peut pas passer à « validée ».");
    assert_int_equal(request_transition_check(REQUEST_KIND_FIL, REQUEST_DRAFT, REQUEST_DRAFT,
                                              ROLE_REQUESTER, msg, sizeof msg),
                     ERR_CONFLICT);
    assert_string_equal(msg, "Une demande « brouillon » ne peut pas passer à « brouillon ».");
    /* 004 Annexe 1 n°9: the ALD is validated by the inspection, never at level 1. */
    assert_int_equal(request_transition_check(REQUEST_KIND_ALD, REQUEST_TRIAGED, REQUEST_VALIDATED,
                                              ROLE_COORDINATOR, msg, sizeof msg),
                     ERR_CONFLICT);
    assert_string_equal(
        msg,
        "Une demande de type « ALD » ne peut pas passer de « prise en charge » à « validée ».");
    assert_int_equal(request_transition_check(REQUEST_KIND_FIL, REQUEST_SUBMITTED, REQUEST_TRIAGED,
                                              ROLE_TRAINER, msg, sizeof msg),
                     ERR_DENIED);
    assert_string_equal(msg, "Le rôle « Formateur » ne peut pas faire passer une demande de type "
                             "« FIL » de « soumise » à « prise en charge ».");
    assert_int_equal(request_transition_check(REQUEST_KIND_ALD, REQUEST_FORWARDED,
                                              REQUEST_VALIDATED, ROLE_PILOT, msg, sizeof msg),
                     ERR_DENIED);
    assert_string_equal(msg, "Le rôle « Pilote de collectif » ne peut pas faire passer une "
                             "demande de type « ALD » de « transmise à un collectif » à "
                             "« validée ».");
    /* No role (an account without one) is denied, never accepted. */
    assert_int_equal(request_transition_check(REQUEST_KIND_FIL, REQUEST_DRAFT, REQUEST_SUBMITTED,
                                              ROLE_NONE, msg, sizeof msg),
                     ERR_DENIED);
    assert_int_equal(request_transition_check(REQUEST_KIND_FIL, REQUEST_DRAFT, REQUEST_SUBMITTED,
                                              (enum role)99, msg, sizeof msg),
                     ERR_DENIED);
    assert_string_equal(msg, "Le rôle « aucun » ne peut pas faire passer une demande de type "
                             "« FIL » de « brouillon » à « soumise ».");
    /* Out of range. */
    assert_int_equal(request_transition_check(REQUEST_KIND_COUNT, REQUEST_DRAFT, REQUEST_SUBMITTED,
                                              ROLE_REQUESTER, msg, sizeof msg),
                     ERR_INVAL);
    assert_int_equal(request_transition_check(REQUEST_KIND_FIL, REQUEST_DRAFT, REQUEST_STATE_COUNT,
                                              ROLE_REQUESTER, NULL, 0),
                     ERR_INVAL);
    /* A short buffer gets a cut message that is still valid UTF-8: « and é are two bytes,
     * so some of these sizes cut inside them. */
    for (size_t n = 1; n < 40; n++) {
        char small[40];
        memset(small, 'x', sizeof small);
        assert_int_equal(request_transition_check(REQUEST_KIND_FIL, REQUEST_SUBMITTED,
                                                  REQUEST_SCHEDULED, ROLE_COORDINATOR, small, n),
                         ERR_CONFLICT);
        assert_true(strlen(small) < n);
        assert_true(utf8_valid(small, strlen(small)));
    }
}

static void test_per_kind_roles(void **state)
{
    (void)state;
    /* 004 Annexe 1 n°9 (ALD): proposed by higher-education staff, validated by inspectors. */
    assert_int_equal(request_transition_check(REQUEST_KIND_ALD, REQUEST_DRAFT, REQUEST_SUBMITTED,
                                              ROLE_TRAINER, NULL, 0),
                     0);
    assert_int_equal(request_transition_check(REQUEST_KIND_ALD, REQUEST_FORWARDED,
                                              REQUEST_VALIDATED, ROLE_INSPECTOR, NULL, 0),
                     0);
    assert_int_equal(request_transition_check(REQUEST_KIND_FIL, REQUEST_FORWARDED,
                                              REQUEST_VALIDATED, ROLE_INSPECTOR, NULL, 0),
                     ERR_DENIED);
    /* FI requests come from parcours managers (SPEC.md), not from heads of establishment. */
    assert_int_equal(request_transition_check(REQUEST_KIND_FI, REQUEST_DRAFT, REQUEST_SUBMITTED,
                                              ROLE_PARCOURS_MANAGER, NULL, 0),
                     0);
    assert_int_equal(request_transition_check(REQUEST_KIND_FI, REQUEST_DRAFT, REQUEST_SUBMITTED,
                                              ROLE_REQUESTER, NULL, 0),
                     ERR_DENIED);
    /* 002: the chef d'établissement sets the ENT plan's calendar; not a FIL's. */
    assert_int_equal(request_transition_check(REQUEST_KIND_ENT, REQUEST_ASSIGNED, REQUEST_SCHEDULED,
                                              ROLE_REQUESTER, NULL, 0),
                     0);
    assert_int_equal(request_transition_check(REQUEST_KIND_FIL, REQUEST_ASSIGNED, REQUEST_SCHEDULED,
                                              ROLE_REQUESTER, NULL, 0),
                     ERR_DENIED);
    /* The administrator and the comité de pilotage make no transition. */
    for (int from = 0; from < REQUEST_STATE_COUNT; from++) {
        assert_int_equal(
            request_next_states(REQUEST_KIND_FIL, (enum request_state)from, ROLE_ADMIN, NULL, 0),
            0);
        assert_int_equal(
            request_next_states(REQUEST_KIND_PAF, (enum request_state)from, ROLE_STEERING, NULL, 0),
            0);
    }
}

static void test_next_states_reasons_labels(void **state)
{
    (void)state;
    enum request_state out[REQUEST_STATE_COUNT];
    assert_int_equal(request_next_states(REQUEST_KIND_FIL, REQUEST_TRIAGED, ROLE_COORDINATOR, out,
                                         REQUEST_STATE_COUNT),
                     3);
    assert_int_equal(out[0], REQUEST_FORWARDED);
    assert_int_equal(out[1], REQUEST_VALIDATED);
    assert_int_equal(out[2], REQUEST_REFUSED);
    assert_int_equal(request_next_states(REQUEST_KIND_ALD, REQUEST_TRIAGED, ROLE_COORDINATOR, out,
                                         REQUEST_STATE_COUNT),
                     2);
    assert_int_equal(out[0], REQUEST_FORWARDED);
    assert_int_equal(out[1], REQUEST_REFUSED);
    /* The count goes on past a short array. */
    assert_int_equal(
        request_next_states(REQUEST_KIND_FIL, REQUEST_TRIAGED, ROLE_COORDINATOR, out, 1), 3);
    assert_int_equal(request_next_states(REQUEST_KIND_FIL, REQUEST_TRIAGED, ROLE_REQUESTER, out,
                                         REQUEST_STATE_COUNT),
                     1);
    assert_int_equal(out[0], REQUEST_WITHDRAWN);

    /* Issue 5: "validated or refused with a reason"; cancellations too. */
    assert_true(request_transition_needs_reason(REQUEST_TRIAGED, REQUEST_REFUSED));
    assert_true(request_transition_needs_reason(REQUEST_FORWARDED, REQUEST_REFUSED));
    assert_true(request_transition_needs_reason(REQUEST_VALIDATED, REQUEST_CANCELLED));
    assert_true(request_transition_needs_reason(REQUEST_ASSIGNED, REQUEST_CANCELLED));
    assert_true(request_transition_needs_reason(REQUEST_SCHEDULED, REQUEST_CANCELLED));
    assert_false(request_transition_needs_reason(REQUEST_TRIAGED, REQUEST_VALIDATED));
    assert_false(request_transition_needs_reason(REQUEST_SUBMITTED, REQUEST_WITHDRAWN));
    assert_false(request_transition_needs_reason(REQUEST_SUBMITTED, REQUEST_REFUSED));

    assert_string_equal(request_transition_label(REQUEST_TRIAGED, REQUEST_FORWARDED),
                        "Transmettre à un collectif");
    assert_string_equal(request_transition_label(REQUEST_FORWARDED, REQUEST_REFUSED), "Refuser");
    assert_null(request_transition_label(REQUEST_SUBMITTED, REQUEST_SCHEDULED));
}

static void test_reason(void **state)
{
    (void)state;
    char msg[REQUEST_MSG_MAX];
    assert_int_equal(
        request_reason_check("Hors périmètre", strlen("Hors périmètre"), msg, sizeof msg), 0);
    assert_int_equal(request_reason_check("été", strlen("été"), msg, sizeof msg), 0);
    assert_int_equal(request_reason_check("ok", 2, msg, sizeof msg), ERR_INVAL);
    assert_string_equal(msg, "Motif : obligatoire, de 3 à 500 caractères.");
    assert_int_equal(request_reason_check(NULL, 0, msg, sizeof msg), ERR_INVAL);
    assert_int_equal(request_reason_check("Ligne 1\nLigne 2", 15, msg, sizeof msg), 0);
    assert_int_equal(request_reason_check("mot\x01if", 6, msg, sizeof msg), ERR_INVAL);
    assert_string_equal(msg, "Motif : caractère de contrôle interdit.");
    assert_int_equal(request_reason_check("mo\xc3\x28tif", 6, msg, sizeof msg), ERR_INVAL);
    assert_string_equal(msg, "Motif : le texte n’est pas en UTF-8 valide.");
    char long_reason[1001];
    for (int i = 0; i < 500; i++) {
        long_reason[2 * i] = (char)0xc3; /* "é", two bytes, one character */
        long_reason[2 * i + 1] = (char)0xa9;
    }
    assert_int_equal(request_reason_check(long_reason, 1000, msg, sizeof msg), 0);
    long_reason[1000] = 'x';
    assert_int_equal(request_reason_check(long_reason, 1001, msg, sizeof msg), ERR_INVAL);
}

/* 00:00 Paris on that day, plus h hours (no summer-time change inside the days used). */
static int64_t paris(const char *day, int h)
{
    int64_t t = 0;
    assert_int_equal(time_parse_date(day, strlen(day), &t), 0);
    return t + (int64_t)h * 3600;
}

static void assert_datetime(int64_t t, const char *want)
{
    struct buf b;
    buf_init(&b, 64);
    assert_int_equal(time_format_datetime(t, &b), 0);
    assert_string_equal(b.data, want);
    buf_free(&b);
}

static void test_fil_deadline(void **state)
{
    (void)state;
    /* 004_eb042ae2bd8441b7.txt Annexe 4 c: "Être apportée dans des délais fixés et contraints
     * (ex : délais de 5 semaines pour une réponse à une demande de FIL)". */
    assert_int_equal(request_response_days(REQUEST_KIND_FIL), 35);
    for (int k = 0; k < REQUEST_KIND_COUNT; k++)
        assert_int_equal(request_response_days((enum request_kind)k), 35);
    assert_int_equal(request_response_days(REQUEST_KIND_COUNT), 0);

    int64_t deadline = 0;
    /* No change of time in between: exactly 35 × 24 hours. */
    int64_t sub = paris("2026-04-13", 9);
    assert_int_equal(request_deadline(sub, 35, &deadline), 0);
    assert_int_equal(deadline - sub, 35 * 86400);
    assert_datetime(deadline, "18/05/2026 09:00");

    /* Across the end of October (clocks go back on Sunday 25 October 2026): five weeks after
     * 10:00 on Saturday 10 October is 10:00 on Saturday 14 November, 35 days and 1 hour. */
    sub = paris("2026-10-10", 10);
    assert_int_equal(time_paris_offset(sub), 7200);
    assert_int_equal(request_deadline(sub, request_response_days(REQUEST_KIND_FIL), &deadline), 0);
    assert_int_equal(time_paris_offset(deadline), 3600);
    assert_datetime(deadline, "14/11/2026 10:00");
    assert_int_equal(deadline - sub, 35 * 86400 + 3600);

    /* Across the end of March (clocks go forward on Sunday 28 March 2027): 35 days less an
     * hour. */
    sub = paris("2027-03-10", 10);
    assert_int_equal(request_deadline(sub, 35, &deadline), 0);
    assert_datetime(deadline, "14/04/2027 10:00");
    assert_int_equal(deadline - sub, 35 * 86400 - 3600);

    /* Submitted at 02:30 on 21 February 2027: 02:30 on 28 March does not exist; 03:30 does. */
    sub = paris("2027-02-21", 2) + 1800;
    assert_int_equal(request_deadline(sub, 35, &deadline), 0);
    assert_datetime(deadline, "28/03/2027 03:30");

    /* Submitted at 02:30 on 20 September 2026 (summer time): 02:30 on 25 October happens twice;
     * the later one, in winter time, is the deadline. */
    sub = paris("2026-09-20", 2) + 1800;
    assert_int_equal(request_deadline(sub, 35, &deadline), 0);
    assert_datetime(deadline, "25/10/2026 02:30");
    assert_int_equal(time_paris_offset(deadline), 3600);

    /* Bad input leaves *deadline alone. */
    deadline = 42;
    assert_int_equal(request_deadline(sub, -1, &deadline), ERR_INVAL);
    assert_int_equal(request_deadline(sub, REQUEST_RESPONSE_DAYS_MAX + 1, &deadline), ERR_INVAL);
    assert_int_equal(request_deadline(INT64_MAX, 35, &deadline), ERR_INVAL);
    assert_int_equal(request_deadline(INT64_MIN, 35, &deadline), ERR_INVAL);
    assert_int_equal(deadline, 42);
    assert_int_equal(request_deadline(sub, 0, &deadline), 0);
    assert_int_equal(deadline, sub);
}

static void test_urgency(void **state)
{
    (void)state;
    int64_t deadline = paris("2026-11-14", 10);
    assert_int_equal(request_urgency_of(deadline, deadline - 8 * 86400), REQUEST_ON_TIME);
    assert_int_equal(request_urgency_of(deadline, deadline - 7 * 86400 - 1), REQUEST_ON_TIME);
    assert_int_equal(request_urgency_of(deadline, deadline - 7 * 86400), REQUEST_DUE_SOON);
    assert_int_equal(request_urgency_of(deadline, deadline - 1), REQUEST_DUE_SOON);
    assert_int_equal(request_urgency_of(deadline, deadline), REQUEST_OVERDUE);
    assert_int_equal(request_urgency_of(deadline, deadline + 86400), REQUEST_OVERDUE);
    /* Extremes do not overflow. */
    assert_int_equal(request_urgency_of(INT64_MAX, INT64_MIN), REQUEST_ON_TIME);
    assert_int_equal(request_urgency_of(INT64_MIN, INT64_MAX), REQUEST_OVERDUE);
    assert_string_equal(request_urgency_code(REQUEST_OVERDUE), "overdue");
    assert_string_equal(request_urgency_label(REQUEST_OVERDUE), "en retard");
    assert_string_equal(request_urgency_code(REQUEST_DUE_SOON), "due_soon");
    assert_string_equal(request_urgency_code(REQUEST_ON_TIME), "on_time");
    assert_null(request_urgency_code(REQUEST_URGENCY_COUNT));
    assert_string_equal(request_urgency_label(REQUEST_URGENCY_COUNT), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_codes),
        cmocka_unit_test(test_whole_table),
        cmocka_unit_test(test_messages),
        cmocka_unit_test(test_per_kind_roles),
        cmocka_unit_test(test_next_states_reasons_labels),
        cmocka_unit_test(test_reason),
        cmocka_unit_test(test_fil_deadline),
        cmocka_unit_test(test_urgency),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
