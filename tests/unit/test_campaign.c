/* Unit tests of domain/campaign: school-year codes, the seeds' defaults moved to a year, the ANT
 * windows, the ALP IDG season, durations, caps and weekday rules, response deadlines, checks of
 * edited settings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "core/timeutil.h"
#include "domain/campaign.h"
#include "domain/request.h"

/* 00:00 Paris on that day, plus s seconds. */
static int64_t paris(const char *day, int64_t s)
{
    int64_t t = 0;
    assert_int_equal(time_parse_date(day, strlen(day), &t), 0);
    return t + s;
}

static void test_codes_and_years(void **state)
{
    (void)state;
    int y = 0;
    assert_int_equal(campaign_parse_code("2026-2027", 9, &y), 0);
    assert_int_equal(y, 2026);
    assert_int_equal(campaign_parse_code("2020-2021", 9, &y), 0);
    assert_int_equal(y, 2020);
    y = 7;
    assert_int_equal(campaign_parse_code("2026-2028", 9, &y), ERR_INVAL);
    assert_int_equal(campaign_parse_code("2026/2027", 9, &y), ERR_INVAL);
    assert_int_equal(campaign_parse_code("26-27", 5, &y), ERR_INVAL);
    assert_int_equal(campaign_parse_code("2026-2027 ", 10, &y), ERR_INVAL);
    assert_int_equal(campaign_parse_code("2O26-2O27", 9, &y), ERR_INVAL);
    assert_int_equal(campaign_parse_code("1899-1900", 9, &y), ERR_INVAL);
    assert_int_equal(campaign_parse_code(NULL, 0, &y), ERR_INVAL);
    assert_int_equal(y, 7);

    /* "2026-2027" runs from 1 September 2026 to 31 August 2027, in Paris time. */
    assert_int_equal(campaign_year_of(paris("2026-09-01", 0), &y), 0);
    assert_int_equal(y, 2026);
    assert_int_equal(campaign_year_of(paris("2026-09-01", 0) - 1, &y), 0);
    assert_int_equal(y, 2025);
    assert_int_equal(campaign_year_of(paris("2027-08-31", 86399), &y), 0);
    assert_int_equal(y, 2026);
    assert_int_equal(campaign_year_of(paris("2027-09-01", 0), &y), 0);
    assert_int_equal(y, 2027);
    assert_int_equal(campaign_year_of(paris("1965-03-02", 0), &y), 0);
    assert_int_equal(y, 1964);
    assert_int_equal(campaign_year_of(paris("9999-08-31", 0), &y), 0);
    assert_int_equal(y, 9998);
    assert_int_equal(campaign_year_of(INT64_MIN, &y), ERR_INVAL);
    assert_int_equal(campaign_year_of(INT64_MAX, &y), ERR_INVAL);

    struct campaign c;
    assert_int_equal(campaign_defaults(&c, 2026), 0);
    assert_string_equal(c.code, "2026-2027");
    assert_int_equal(c.first_year, 2026);
    assert_int_equal(c.starts_at, paris("2026-09-01", 0));
    assert_int_equal(c.ends_at, paris("2027-09-01", 0));
    assert_int_equal(campaign_defaults(&c, 1899), ERR_INVAL);
    assert_int_equal(campaign_defaults(&c, CAMPAIGN_YEAR_MAX + 1), ERR_INVAL);
    assert_int_equal(c.first_year, 0);
    assert_int_equal(campaign_defaults(&c, CAMPAIGN_YEAR_MAX), 0);
    assert_int_equal(campaign_defaults(&c, CAMPAIGN_YEAR_MIN), 0);
}

static void test_ant_windows(void **state)
{
    (void)state;
    /* 000_fcc2280faad7b98f.txt: "Entre le 15 juin et le 8 juillet, puis à partir du 21 août
     * prochains, plusieurs membres d'une équipe éducative peuvent rédiger et transmettre à la
     * DAFOR une demande d'aide négociée de territoire". For the 2026-2027 campaign, in the
     * summer of 2026. */
    struct campaign c;
    assert_int_equal(campaign_defaults(&c, 2026), 0);
    enum request_kind ant = REQUEST_KIND_ANT;
    assert_false(campaign_window_contains(&c, ant, paris("2026-06-14", 0)));
    assert_false(campaign_window_contains(&c, ant, paris("2026-06-15", 0) - 1));
    assert_true(campaign_window_contains(&c, ant, paris("2026-06-15", 0)));
    assert_true(campaign_window_contains(&c, ant, paris("2026-07-08", 0)));
    assert_true(campaign_window_contains(&c, ant, paris("2026-07-08", 86399)));
    assert_false(campaign_window_contains(&c, ant, paris("2026-07-09", 0)));
    assert_false(campaign_window_contains(&c, ant, paris("2026-08-20", 43200)));
    assert_false(campaign_window_contains(&c, ant, paris("2026-08-21", 0) - 1));
    assert_true(campaign_window_contains(&c, ant, paris("2026-08-21", 0)));
    assert_true(campaign_window_contains(&c, ant, paris("2027-01-15", 0)));
    /* The seed gives no end to "à partir du 21 août": the window closes when the next
     * campaign's opens, on 15 June 2027. */
    assert_true(campaign_window_contains(&c, ant, paris("2027-06-14", 86399)));
    assert_false(campaign_window_contains(&c, ant, paris("2027-06-15", 0)));
    struct campaign next;
    assert_int_equal(campaign_defaults(&next, 2027), 0);
    assert_true(campaign_window_contains(&next, ant, paris("2027-06-15", 0)));
    assert_false(campaign_window_contains(&next, ant, paris("2027-06-14", 86399)));

    /* The seed's own year, 2020-2021. */
    struct campaign seed;
    assert_int_equal(campaign_defaults(&seed, 2020), 0);
    assert_false(campaign_window_contains(&seed, ant, paris("2020-06-14", 0)));
    assert_true(campaign_window_contains(&seed, ant, paris("2020-06-15", 0)));
    assert_true(campaign_window_contains(&seed, ant, paris("2020-07-08", 0)));
    assert_false(campaign_window_contains(&seed, ant, paris("2020-07-09", 0)));
    assert_true(campaign_window_contains(&seed, ant, paris("2020-08-21", 0)));

    /* 000: "priorité leur sera donnée au 1er trimestre de la prochaine année scolaire." */
    assert_int_equal(c.kinds[REQUEST_KIND_ANT].carry_over_until, paris("2027-01-01", 0));

    /* A FIL comes "au fil de l'eau" (004 §3 b: "demandes au fil de l’eau"): no window. */
    assert_true(campaign_window_contains(&c, REQUEST_KIND_FIL, paris("2026-07-20", 0)));
    assert_false(campaign_window_contains(&c, REQUEST_KIND_COUNT, paris("2026-07-20", 0)));
}

static void test_alp_defaults(void **state)
{
    (void)state;
    struct campaign c;
    assert_int_equal(campaign_defaults(&c, 2020), 0);
    const struct campaign_settings *alp = campaign_settings_of(&c, REQUEST_KIND_ALP_IDG);
    assert_non_null(alp);
    assert_null(campaign_settings_of(&c, REQUEST_KIND_COUNT));
    /* 001_2189d3959b19bfc3.txt §2: "Les ALP IDG seront mises en place pour une durée de 6 à 12
     * heures (une à deux journées de formation), de mi-octobre à début juin 2021." */
    assert_int_equal(alp->min_hours, 6);
    assert_int_equal(alp->max_hours, 12);
    assert_int_equal(alp->min_days, 1);
    assert_int_equal(alp->max_days, 2);
    enum request_kind k = REQUEST_KIND_ALP_IDG;
    assert_false(campaign_session_period_contains(&c, k, paris("2020-10-14", 86399)));
    assert_true(campaign_session_period_contains(&c, k, paris("2020-10-15", 0)));
    assert_true(campaign_session_period_contains(&c, k, paris("2021-06-07", 43200)));
    assert_false(campaign_session_period_contains(&c, k, paris("2021-06-08", 0)));
    assert_true(campaign_session_period_contains(&c, REQUEST_KIND_FIL, paris("2021-07-14", 0)));
    /* 001 §3: "Le nombre maximum d'enseignants mobilisés sur une action est de 30 personnes." */
    assert_int_equal(alp->max_trainees, 30);
    /* 001 §3: "Les ALP IDG pourront concerner pour un secteur : 10 personnels enseignants du
     * second degré, 10 professeurs des écoles de secteur." */
    assert_int_equal(alp->trainees_2d_per_sector, 10);
    assert_int_equal(alp->trainees_1d_per_sector, 10);
    /* 001 §6: "Mai 2020 La demande d'ALP IDG est envoyée par les pilotes à la Dfie". */
    assert_false(campaign_window_contains(&c, k, paris("2020-04-30", 86399)));
    assert_true(campaign_window_contains(&c, k, paris("2020-05-01", 0)));
    assert_true(campaign_window_contains(&c, k, paris("2020-05-31", 86399)));
    assert_false(campaign_window_contains(&c, k, paris("2020-06-01", 0)));
    /* 002_a92ffaf401843d92.txt: "Proposition de rémunération par le chef d'établissement (18
     * HSE au maximum par « formateur accompagnateur »)". */
    assert_int_equal(c.kinds[REQUEST_KIND_ENT].max_hse_per_trainer, 18);
    assert_int_equal(c.kinds[REQUEST_KIND_FIL].max_hse_per_trainer, 0);
}

static void test_alp_weekdays(void **state)
{
    (void)state;
    struct campaign c;
    assert_int_equal(campaign_defaults(&c, 2026), 0);
    enum request_kind k = REQUEST_KIND_ALP_IDG;
    /* Monday 16 November 2026 to Sunday 22 November 2026, at 14:00. */
    int64_t mon = paris("2026-11-16", 14 * 3600);
    int64_t day = 86400;
    /* 001 §2: "les ALP IDG faisant intervenir des formateurs académiques pourront être
     * déployées les lundis, ou mardis, ou jeudis (éventuellement mercredis matin)." */
    assert_int_equal(campaign_weekday_rule(&c, k, mon, true), CAMPAIGN_DAY_OPEN);
    assert_int_equal(campaign_weekday_rule(&c, k, mon + day, true), CAMPAIGN_DAY_OPEN);
    assert_int_equal(campaign_weekday_rule(&c, k, mon + 2 * day, true), CAMPAIGN_DAY_MORNING);
    assert_int_equal(campaign_weekday_rule(&c, k, mon + 3 * day, true), CAMPAIGN_DAY_OPEN);
    assert_int_equal(campaign_weekday_rule(&c, k, mon + 4 * day, true), CAMPAIGN_DAY_CLOSED);
    assert_int_equal(campaign_weekday_rule(&c, k, mon + 5 * day, true), CAMPAIGN_DAY_CLOSED);
    assert_int_equal(campaign_weekday_rule(&c, k, mon + 6 * day, true), CAMPAIGN_DAY_CLOSED);
    /* 001 §2: "Les ALP IDG ne nécessitant pas l'intervention de formateurs académiques
     * pourront être déployées les vendredis." */
    for (int d = 0; d < 4; d++)
        assert_int_equal(campaign_weekday_rule(&c, k, mon + d * day, false), CAMPAIGN_DAY_CLOSED);
    assert_int_equal(campaign_weekday_rule(&c, k, mon + 4 * day, false), CAMPAIGN_DAY_OPEN);
    assert_int_equal(campaign_weekday_rule(&c, k, mon + 5 * day, false), CAMPAIGN_DAY_CLOSED);
    assert_int_equal(campaign_weekday_rule(&c, k, mon + 6 * day, false), CAMPAIGN_DAY_CLOSED);
    /* The weekday is Paris's: 00:30 on Friday 20 November in Paris is still Thursday in UTC. */
    int64_t fri_early = paris("2026-11-20", 1800);
    assert_int_equal(campaign_weekday_rule(&c, k, fri_early, false), CAMPAIGN_DAY_OPEN);
    /* 001 §2: "Les ALP IDG ayant une thématique concernant particulièrement les élèves à
     * besoins éducatifs particuliers (EABEP) seront prioritairement positionnées sur des
     * mardis ou jeudis". */
    assert_false(campaign_weekday_preferred(&c, k, mon));
    assert_true(campaign_weekday_preferred(&c, k, mon + day));
    assert_false(campaign_weekday_preferred(&c, k, mon + 2 * day));
    assert_true(campaign_weekday_preferred(&c, k, mon + 3 * day));
    assert_false(campaign_weekday_preferred(&c, k, mon + 6 * day));
    /* Other kinds have no weekday rule: any day but Sunday. */
    assert_int_equal(campaign_weekday_rule(&c, REQUEST_KIND_FIL, mon + 5 * day, false),
                     CAMPAIGN_DAY_OPEN);
    assert_int_equal(campaign_weekday_rule(&c, REQUEST_KIND_FIL, mon + 2 * day, true),
                     CAMPAIGN_DAY_OPEN);
    assert_int_equal(campaign_weekday_rule(&c, REQUEST_KIND_FIL, mon + 6 * day, true),
                     CAMPAIGN_DAY_CLOSED);
    assert_false(campaign_weekday_preferred(&c, REQUEST_KIND_FIL, mon + day));
    assert_int_equal(campaign_weekday_rule(&c, REQUEST_KIND_COUNT, mon, true), CAMPAIGN_DAY_CLOSED);
}

static void test_response_deadlines(void **state)
{
    (void)state;
    struct campaign c;
    assert_int_equal(campaign_defaults(&c, 2026), 0);
    int64_t d = 0;
    /* 004_eb042ae2bd8441b7.txt Annexe 4 c: "délais de 5 semaines pour une réponse à une demande
     * de FIL". */
    int64_t sub = paris("2026-10-10", 10 * 3600);
    assert_int_equal(campaign_response_deadline(&c, REQUEST_KIND_FIL, sub, &d), 0);
    assert_int_equal(d, paris("2026-11-14", 10 * 3600));
    /* 001 §6: "Juillet 2020 Courrier d'information et calendrier des ALP IDG validées": a May
     * request is answered by the end of July, a late one five weeks after it came. */
    sub = paris("2026-05-15", 9 * 3600);
    assert_int_equal(campaign_response_deadline(&c, REQUEST_KIND_ALP_IDG, sub, &d), 0);
    assert_int_equal(d, paris("2026-08-01", 0));
    sub = paris("2026-08-20", 9 * 3600);
    assert_int_equal(campaign_response_deadline(&c, REQUEST_KIND_ALP_IDG, sub, &d), 0);
    assert_int_equal(d, paris("2026-09-24", 9 * 3600));
    /* A campaign may shorten a kind's delay. */
    c.kinds[REQUEST_KIND_ENT].response_days = 14;
    sub = paris("2026-09-07", 8 * 3600);
    assert_int_equal(campaign_response_deadline(&c, REQUEST_KIND_ENT, sub, &d), 0);
    assert_int_equal(d, paris("2026-09-21", 8 * 3600));
    d = 5;
    assert_int_equal(campaign_response_deadline(&c, REQUEST_KIND_COUNT, sub, &d), ERR_INVAL);
    assert_int_equal(campaign_response_deadline(&c, REQUEST_KIND_FIL, INT64_MAX, &d), ERR_INVAL);
    assert_int_equal(d, 5);
}

static void test_validate(void **state)
{
    (void)state;
    struct campaign c;
    struct field_errors e = {0};
    const int years[] = {CAMPAIGN_YEAR_MIN, 2020, 2026, 2027, CAMPAIGN_YEAR_MAX};
    for (size_t i = 0; i < sizeof years / sizeof years[0]; i++) {
        assert_int_equal(campaign_defaults(&c, years[i]), 0);
        assert_int_equal(campaign_validate(&c, &e), 0);
    }

    assert_int_equal(campaign_defaults(&c, 2026), 0);
    c.kinds[REQUEST_KIND_ALP_IDG].max_hours = 5;
    c.kinds[REQUEST_KIND_ANT].windows[1].opens_at = c.kinds[REQUEST_KIND_ANT].windows[0].opens_at;
    c.kinds[REQUEST_KIND_FIL].response_days = 0;
    c.kinds[REQUEST_KIND_ENT].max_hse_per_trainer = -2;
    c.kinds[REQUEST_KIND_PAF].weekdays_without_academic = 0x40; /* "Sunday" */
    c.kinds[REQUEST_KIND_ALP_IDG].mornings_only = CAMPAIGN_DAY_BIT(5);
    c.kinds[REQUEST_KIND_FI].sessions_from = c.starts_at;
    assert_int_equal(campaign_validate(&c, &e), 7);
    assert_string_equal(e.items[0].field, "fil.response_days");
    assert_string_equal(e.items[0].message,
                        "FIL : délai de réponse en jours : entre 1 et 366, pas 0.");
    assert_string_equal(e.items[1].field, "alp_idg.min_hours");
    assert_string_equal(e.items[1].message,
                        "ALP IDG : durée en heures : le minimum (6) dépasse le maximum (5).");
    assert_string_equal(e.items[2].field, "alp_idg.mornings_only");
    assert_string_equal(e.items[3].field, "ant.windows[1]");
    assert_string_equal(e.items[3].message, "ANT : fenêtre de dépôt n°2 : elle doit commencer "
                                            "après la fin de la précédente.");
    assert_string_equal(e.items[4].field, "fi.sessions_until");
    assert_string_equal(e.items[5].field, "ent.max_hse_per_trainer");
    assert_string_equal(e.items[6].field, "paf.weekdays_without_academic");

    struct field_errors e2 = {0};
    assert_int_equal(campaign_defaults(&c, 2026), 0);
    c.code[3] = '7';
    c.ends_at = c.starts_at;
    c.kinds[REQUEST_KIND_ANT].window_count = 3;
    assert_int_equal(campaign_validate(&c, &e2), 3);
    assert_string_equal(e2.items[0].field, "code");
    assert_string_equal(e2.items[1].field, "ends_at");
    assert_string_equal(e2.items[2].message, "ANT : 2 fenêtres de dépôt au plus.");
    /* And an out-of-range count does not make the window check read past the array. */
    assert_false(campaign_window_contains(&c, REQUEST_KIND_ANT, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codes_and_years),    cmocka_unit_test(test_ant_windows),
        cmocka_unit_test(test_alp_defaults),       cmocka_unit_test(test_alp_weekdays),
        cmocka_unit_test(test_response_deadlines), cmocka_unit_test(test_validate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
