/* Unit tests of domain/role: codes of SPEC.md round-trip, the capability table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "domain/role.h"

static void test_codes_round_trip(void **state)
{
    (void)state;
    /* SPEC.md "Who uses it": the twelve role codes. */
    const char *codes[] = {"coordinator", "pilot",
                           "steering",    "inspector",
                           "requester",   "parcours_manager",
                           "trainer",     "placement_office",
                           "student",     "followup_referent",
                           "admin",       "research"};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        enum role r = role_parse(codes[i]);
        assert_int_not_equal(r, ROLE_NONE);
        assert_string_equal(role_code(r), codes[i]);
    }
    assert_int_equal(role_parse("root"), ROLE_NONE);
    assert_int_equal(role_parse(NULL), ROLE_NONE);
    assert_null(role_code(ROLE_NONE));
    assert_int_equal(scope_parse("establishment"), SCOPE_ESTABLISHMENT);
    assert_int_equal(scope_parse("planet"), SCOPE_COUNT);
}

static void test_capabilities(void **state)
{
    (void)state;
    /* 004 Annexe 4 d: competences are validated by inspectors and Inspé training managers
     * within the collectifs (pilots). */
    assert_true(role_can(ROLE_INSPECTOR, CAP_COMPETENCE_DECIDE));
    assert_true(role_can(ROLE_PILOT, CAP_COMPETENCE_DECIDE));
    assert_false(role_can(ROLE_TRAINER, CAP_COMPETENCE_DECIDE));
    assert_false(role_can(ROLE_COORDINATOR, CAP_COMPETENCE_DECIDE));
    assert_true(role_can(ROLE_COORDINATOR, CAP_TRAINER_SEARCH));
    assert_false(role_can(ROLE_STUDENT, CAP_TRAINER_SEARCH));
    assert_true(role_can(ROLE_COORDINATOR, CAP_AUDIT_READ));
    assert_false(role_can(ROLE_INSPECTOR, CAP_AUDIT_READ));
    assert_false(role_can(ROLE_NONE, CAP_TRAINER_SEARCH));
    assert_false(role_can((enum role)99, CAP_TRAINER_SEARCH));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codes_round_trip),
        cmocka_unit_test(test_capabilities),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
