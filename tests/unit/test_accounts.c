/* Unit tests of app/accounts: user creation rules, login, throttling, sessions, tokens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "app/app.h"
#include "core/err.h"
#include "fixture.h"

static void add_user(struct fixture *f, const char *login, enum role role, const char *pw)
{
    struct app_ctx ctx = {.st = f->st, .now = 1000};
    struct user u = {.role = role, .scope_kind = SCOPE_NONE};
    snprintf(u.login, sizeof u.login, "%s", login);
    snprintf(u.display_name, sizeof u.display_name, "%s", login);
    struct field_errors e = {0};
    assert_int_equal(app_user_add(&ctx, &u, pw, &e, NULL), 0);
}

static void test_user_add_rules(void **state)
{
    struct fixture *f = *state;
    struct app_ctx ctx = {.st = f->st, .now = 1000};
    struct user u = {.role = ROLE_NONE, .scope_kind = SCOPE_ESTABLISHMENT};
    snprintf(u.login, sizeof u.login, "A B");
    struct field_errors e = {0};
    assert_int_equal(app_user_add(&ctx, &u, "court", &e, NULL), ERR_INVAL);
    assert_int_equal(e.count, 4); /* login, role, scope value, password */
    add_user(f, "coord", ROLE_COORDINATOR, "motdepasse-solide");
    struct field_errors e2 = {0};
    struct user dup = {.role = ROLE_COORDINATOR};
    snprintf(dup.login, sizeof dup.login, "coord");
    assert_int_equal(app_user_add(&ctx, &dup, "motdepasse-solide", &e2, NULL), ERR_EXISTS);
    /* An actor without CAP_USER_ADMIN cannot create accounts. */
    struct user actor = {.id = 1, .role = ROLE_TRAINER};
    struct app_ctx as_trainer = {.st = f->st, .actor = &actor, .now = 1000};
    struct field_errors e3 = {0};
    snprintf(dup.login, sizeof dup.login, "other");
    assert_int_equal(app_user_add(&as_trainer, &dup, "motdepasse-solide", &e3, NULL), ERR_DENIED);
    /* The creation is audited. */
    json_t *items = NULL;
    int64_t total = 0;
    assert_int_equal(store_audit_list(f->st, "user", 0, 10, 0, &items, &total), 0);
    assert_int_equal(total, 1);
    json_decref(items);
}

static void test_login_and_throttle(void **state)
{
    struct fixture *f = *state;
    add_user(f, "insp", ROLE_INSPECTOR, "motdepasse-solide");
    struct app_ctx ctx = {.st = f->st, .ip = "127.0.0.9", .now = 5000};
    struct user u;
    int retry = 0;
    assert_int_equal(app_login(&ctx, "insp", "motdepasse-solide", &u, &retry), 0);
    assert_int_equal(u.role, ROLE_INSPECTOR);
    for (int i = 0; i < 5; i++)
        assert_int_equal(app_login(&ctx, "insp", "faux", &u, &retry), ERR_DENIED);
    /* The sixth try within a second is refused without checking the password. */
    assert_int_equal(app_login(&ctx, "insp", "motdepasse-solide", &u, &retry), ERR_BUSY);
    assert_true(retry >= 1);
    /* Once the delay has passed, a good password works and clears the counter. */
    ctx.now += 2;
    assert_int_equal(app_login(&ctx, "insp", "motdepasse-solide", &u, &retry), 0);
    assert_int_equal(app_login(&ctx, "nobody", "x", &u, &retry), ERR_DENIED);
}

static void test_sessions_and_tokens(void **state)
{
    struct fixture *f = *state;
    add_user(f, "coord", ROLE_COORDINATOR, "motdepasse-solide");
    struct app_ctx ctx = {.st = f->st, .now = 7000};
    struct user u, got;
    char pw[128];
    assert_int_equal(store_user_by_login(f->st, "coord", &u, pw, sizeof pw), 0);
    char token[APP_TOKEN_LEN + 1], csrf[APP_TOKEN_LEN + 1], csrf2[APP_TOKEN_LEN + 1], hash[65];
    assert_int_equal(app_session_open(&ctx, &u, token, csrf), 0);
    assert_int_equal(strlen(token), APP_TOKEN_LEN);
    assert_int_equal(app_session_find(&ctx, token, &got, csrf2, hash), 0);
    assert_string_equal(csrf, csrf2);
    assert_int_equal(got.id, u.id);
    assert_int_equal(app_session_find(&ctx, "short", &got, csrf2, hash), ERR_NOTFOUND);
    ctx.now += APP_SESSION_TTL + 1;
    assert_int_equal(app_session_find(&ctx, token, &got, csrf2, hash), ERR_NOTFOUND);

    char api[APP_TOKEN_LEN + 8];
    assert_int_equal(app_token_create(&ctx, "coord", api, sizeof api), 0);
    assert_int_equal(strncmp(api, "ctm_", 4), 0);
    assert_int_equal(app_token_find(&ctx, api, &got), 0);
    assert_string_equal(got.login, "coord");
    api[10] ^= 1;
    assert_int_equal(app_token_find(&ctx, api, &got), ERR_NOTFOUND);
    assert_int_equal(app_token_create(&ctx, "ghost", api, sizeof api), ERR_NOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_user_add_rules, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_login_and_throttle, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_sessions_and_tokens, fixture_setup, fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
