/* Unit tests of domain/trainer: validation of a profile, weekdays, decision rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "domain/trainer.h"

static struct trainer valid(void)
{
    struct trainer t = {0};
    snprintf(t.last_name, sizeof t.last_name, "%s", "Durand-Vial");
    snprintf(t.first_name, sizeof t.first_name, "%s", "Élise");
    snprintf(t.email, sizeof t.email, "%s", "elise.durand@example.org");
    snprintf(t.institution, sizeof t.institution, "%s", "inspe");
    snprintf(t.corps, sizeof t.corps, "%s", "pemf");
    snprintf(t.degree, sizeof t.degree, "%s", "1D");
    snprintf(t.discipline, sizeof t.discipline, "%s", "polyvalent");
    snprintf(t.site, sizeof t.site, "%s", "rhone");
    t.weekdays = 0x0b;
    t.hours_quota = 60;
    return t;
}

static void test_valid_profile(void **state)
{
    (void)state;
    struct field_errors e = {0};
    struct trainer t = valid();
    assert_int_equal(trainer_validate(&t, &e), 0);
}

static void test_each_bad_field(void **state)
{
    (void)state;
    struct field_errors e = {0};
    struct trainer t = valid();
    t.last_name[0] = '\0';
    snprintf(t.degree, sizeof t.degree, "%s", "3D");
    snprintf(t.site, sizeof t.site, "%s", "savoie");
    snprintf(t.corps, sizeof t.corps, "%s", "astronaute");
    snprintf(t.email, sizeof t.email, "%s", "pas-une-adresse");
    t.hours_quota = -3;
    t.weekdays = 0x100;
    assert_int_equal(trainer_validate(&t, &e), 7);
    assert_string_equal(e.items[0].field, "last_name");
    assert_string_equal(e.items[0].message, "Nom : champ obligatoire.");
    /* Invalid UTF-8 in a name is refused, not stored. */
    struct field_errors e2 = {0};
    struct trainer u = valid();
    snprintf(u.first_name, sizeof u.first_name, "%s", "\xc3\x28");
    assert_int_equal(trainer_validate(&u, &e2), 1);
    assert_string_equal(e2.items[0].field, "first_name");
}

static void test_weekdays(void **state)
{
    (void)state;
    assert_int_equal(weekdays_parse("lundi,mardi", 11), 0x03);
    assert_int_equal(weekdays_parse("jeu", 3), 0x08);
    assert_int_equal(weekdays_parse("1,5", 3), 0x11);
    assert_int_equal(weekdays_parse("dimanche", 8), -1);
    char out[80];
    assert_int_equal(weekdays_format(0x0b, out, sizeof out), 0);
    assert_string_equal(out, "lundi, mardi, jeudi");
    assert_int_equal(weekdays_format(0x3f, out, 10), ERR_TOOBIG);
}

static void test_decide_rules(void **state)
{
    (void)state;
    char msg[200];
    assert_int_equal(
        competence_decide_check(COMPETENCE_DECLARED, COMPETENCE_VALIDATED, NULL, msg, sizeof msg),
        0);
    assert_int_equal(
        competence_decide_check(COMPETENCE_DECLARED, COMPETENCE_REFUSED, "", msg, sizeof msg),
        ERR_INVAL);
    assert_string_equal(msg, "Motif du refus : obligatoire, de 3 à 500 caractères.");
    assert_int_equal(competence_decide_check(COMPETENCE_DECLARED, COMPETENCE_REFUSED,
                                             "Pas d’expérience attestée", msg, sizeof msg),
                     0);
    assert_int_equal(
        competence_decide_check(COMPETENCE_VALIDATED, COMPETENCE_REFUSED, "motif", msg, sizeof msg),
        ERR_CONFLICT);
    assert_int_equal(
        competence_decide_check(COMPETENCE_DECLARED, COMPETENCE_DECLARED, NULL, msg, sizeof msg),
        ERR_INVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_profile),
        cmocka_unit_test(test_each_bad_field),
        cmocka_unit_test(test_weekdays),
        cmocka_unit_test(test_decide_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
