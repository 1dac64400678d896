/*
 * Unit tests of app/trainer_csv over the fixture's académie: BOM, line endings, quoting, every
 * kind of error with its line and column, all-or-nothing and partial modes, competences that an
 * import may declare but never validate, formula neutralisation, rights, audit, and the round
 * trip export → import.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "app/trainer_csv.h"
#include "core/err.h"
#include "fixture.h"

#define NOW 1800000000

static int import(struct fixture *f, const char *csv, size_t len, enum trainer_csv_mode mode,
                  struct trainer_csv_report *rep)
{
    struct app_ctx ctx = {.st = f->st, .now = NOW};
    return trainer_csv_import(&ctx, csv, len, mode, rep);
}

static int import_str(struct fixture *f, const char *csv, enum trainer_csv_mode mode,
                      struct trainer_csv_report *rep)
{
    return import(f, csv, strlen(csv), mode, rep);
}

static int64_t count(struct fixture *f)
{
    int64_t n = -1;
    assert_int_equal(store_trainer_count(f->st, &n), 0);
    return n;
}

/* The error of the report on line with column (exactly one expected). */
static const struct csv_import_error *error_at(const struct trainer_csv_report *rep, size_t line,
                                               const char *column)
{
    const struct csv_import_error *found = NULL;
    for (size_t i = 0; i < rep->nerrors; i++) {
        if (rep->errors[i].line != line || strcmp(rep->errors[i].column, column) != 0)
            continue;
        if (found)
            fail_msg("two errors on line %zu column '%s'", line, column);
        found = &rep->errors[i];
    }
    if (!found)
        fail_msg("no error on line %zu column '%s'", line, column);
    return found;
}

static size_t errors_on(const struct trainer_csv_report *rep, size_t line)
{
    size_t n = 0;
    for (size_t i = 0; i < rep->nerrors; i++)
        n += rep->errors[i].line == line;
    return n;
}

static void assert_competence(struct fixture *f, int64_t tid, int64_t cid, int level,
                              enum competence_state state)
{
    enum competence_state s;
    int l = 0;
    assert_int_equal(store_trainer_competence_state(f->st, tid, cid, &s, &l), 0);
    assert_int_equal(l, level);
    assert_int_equal(s, state);
}

static void export(struct fixture *f, struct buf *out)
{
    struct app_ctx ctx = {.st = f->st, .now = NOW};
    buf_init(out, 0);
    size_t n = 0;
    assert_int_equal(trainer_csv_export(&ctx, out, NULL, NULL, &n), 0);
    assert_int_equal(n, (size_t)count(f));
}

static void test_bom_crlf_quotes(void **state)
{
    struct fixture *f = *state;
    /* BOM, CRLF, header names in another order with capitals and accents, a quoted field with
     * ';', a line break and doubled quotes */
    static const char csv[] =
        "\xEF\xBB\xBFPrénom;NOM;Courriel;Institution;Corps;Degré;Discipline;Site;Jours;"
        "Quota heures;Présentation;Compétences\r\n"
        "Anne;Petit;anne.petit@ac-lyon.fr;inspe;pemf;1D;polyvalent;Ain;lundi,mardi;30;"
        "\"Maternelle; cycle 1\r\net \"\"inclusion\"\"\";inclusion:3|numerique:1\r\n"
        "Marc;Roux;;lyon1;enseignant_chercheur;SUP;mathematiques;loire;;;;\r\n";
    struct trainer_csv_report rep;
    assert_int_equal(import_str(f, csv, TRAINER_CSV_ALL_OR_NOTHING, &rep), 0);
    assert_true(rep.imported);
    assert_int_equal(rep.rows, 2);
    assert_int_equal(rep.created, 2);
    assert_int_equal(rep.nerrors, 0);
    assert_int_equal(count(f), 5);
    struct trainer t;
    assert_int_equal(store_trainer_load(f->st, 4, &t), 0);
    assert_string_equal(t.last_name, "Petit");
    assert_string_equal(t.first_name, "Anne");
    assert_string_equal(t.email, "anne.petit@ac-lyon.fr");
    assert_string_equal(t.site, "ain");
    assert_int_equal(t.weekdays, 0x03);
    assert_int_equal(t.hours_quota, 30);
    assert_string_equal(t.bio, "Maternelle; cycle 1\r\net \"inclusion\"");
    assert_competence(f, 4, f->c_inclusion, 3, COMPETENCE_DECLARED);
    assert_competence(f, 4, f->c_numerique, 1, COMPETENCE_DECLARED);
    assert_int_equal(store_trainer_load(f->st, 5, &t), 0);
    assert_string_equal(t.last_name, "Roux");
    assert_string_equal(t.degree, "SUP");
    assert_int_equal(t.weekdays, 0);
    /* audited, with the competences declared */
    json_t *items = NULL;
    int64_t total = 0;
    assert_int_equal(store_audit_list(f->st, "trainer", 4, 10, 0, &items, &total), 0);
    assert_int_equal(total, 1);
    json_t *a = json_array_get(items, 0);
    assert_string_equal(json_string_value(json_object_get(a, "action")), "trainer.import");
    assert_string_equal(json_string_value(json_object_get(a, "actor_login")), "cli");
    json_t *after = json_object_get(a, "after");
    assert_string_equal(json_string_value(json_object_get(after, "last_name")), "Petit");
    assert_int_equal(json_array_size(json_object_get(after, "competences")), 2);
    assert_true(json_is_null(json_object_get(a, "before")) || !json_object_get(a, "before"));
    json_decref(items);
    trainer_csv_report_free(&rep);
    /* the export of what was imported (quoted line break included) re-imports unchanged */
    struct buf out;
    export(f, &out);
    assert_non_null(strstr(out.data, ";\"Maternelle; cycle 1\r\net \"\"inclusion\"\"\";"));
    assert_int_equal(import(f, out.data, out.len, TRAINER_CSV_ALL_OR_NOTHING, &rep), 0);
    assert_int_equal(rep.unchanged, 5);
    trainer_csv_report_free(&rep);
    assert_int_equal(store_trainer_load(f->st, 4, &t), 0);
    assert_string_equal(t.bio, "Maternelle; cycle 1\r\net \"inclusion\"");
    buf_free(&out);
}

static void test_no_bom_lf(void **state)
{
    struct fixture *f = *state;
    static const char csv[] = "nom;prenom;institution;corps;degre;discipline;site\n"
                              "\n"
                              "Petit;Anne;inspe;pemf;1D;polyvalent;rhone\n"
                              ";;;;;;\n"
                              "Roux;Marc;lyon1;cpc;2D;lettres;ain";
    struct trainer_csv_report rep;
    assert_int_equal(import_str(f, csv, TRAINER_CSV_ALL_OR_NOTHING, &rep), 0);
    assert_int_equal(rep.rows, 2); /* the blank line and the line of ';' are skipped */
    assert_int_equal(rep.created, 2);
    assert_int_equal(count(f), 5);
    trainer_csv_report_free(&rep);
}

/* One file with every kind of row error; the line numbers are the file's. */
static const char bad_csv[] =
    "nom;prenom;institution;corps;degre;discipline;site;jours;quota_heures;competences;id\n"
    "Petit;Anne;inspe;pemf;3D;polyvalent;rhone;lundi;10;;\n"                             /* 2 */
    "Roux;Marc;sorbonne;pemf;1D;polyvalent;rhone;;;;\n"                                  /* 3 */
    "Blanc;Léa;inspe;pemf;1D;polyvalent;rhone;;;alchimie:2|numerique:7|geometrie;\n"     /* 4 */
    "Noir;Paul;inspe;pemf;1D\n"                                                          /* 5 */
    "Vert;Zoé;inspe;pemf;1D;polyvalent;ain;;;;999\n"                                     /* 6 */
    "Gris;Luc;inspe;pemf;1D;polyvalent;ain;;;;999\n"                                     /* 7 */
    "\"Bad\"x;Luc;inspe;pemf;1D;polyvalent;ain;;;;\n"                                    /* 8 */
    ";Anne;inspe;pemf;1D;polyvalent;Mars;dimanche;9999;;\n"                              /* 9 */
    "Bon;Jean;INSPE;PEMF;1d;Polyvalent (1er degré);Rhône;Lundi, Jeudi;12;inclusion:2;\n" /* 10 */
    "\n"                                                                                 /* 11 */
    "Long;Luc;inspe;pemf;1D;polyvalent;ain;;;inclusion:1|inclusion:2;abc\n";             /* 12 */

static void check_bad_report(const struct trainer_csv_report *rep)
{
    assert_int_equal(rep->rows, 10);
    assert_int_equal(rep->rejected, 8);
    assert_non_null(strstr(error_at(rep, 2, "degre")->message, "3D"));
    assert_non_null(strstr(error_at(rep, 3, "institution")->message, "sorbonne"));
    assert_int_equal(errors_on(rep, 4), 3);
    assert_int_equal(errors_on(rep, 5), 1);
    assert_non_null(strstr(error_at(rep, 5, "")->message, "5 champ"));
    assert_int_equal(errors_on(rep, 6), 0);
    assert_non_null(strstr(error_at(rep, 7, "id")->message, "ligne 6"));
    assert_non_null(strstr(error_at(rep, 8, "")->message, "guillemet"));
    assert_int_equal(errors_on(rep, 9), 4);
    assert_non_null(strstr(error_at(rep, 9, "nom")->message, "obligatoire"));
    assert_non_null(strstr(error_at(rep, 9, "site")->message, "Mars"));
    assert_non_null(error_at(rep, 9, "jours"));
    assert_non_null(error_at(rep, 9, "quota_heures"));
    assert_int_equal(errors_on(rep, 10), 0);
    assert_int_equal(errors_on(rep, 12), 2);
    assert_non_null(error_at(rep, 12, "id"));
    assert_non_null(strstr(error_at(rep, 12, "competences")->message, "deux fois"));
    /* in line order */
    for (size_t i = 1; i < rep->nerrors; i++)
        assert_true(rep->errors[i - 1].line <= rep->errors[i].line);
}

static void test_errors_all_or_nothing(void **state)
{
    struct fixture *f = *state;
    struct trainer_csv_report rep;
    assert_int_equal(import_str(f, bad_csv, TRAINER_CSV_ALL_OR_NOTHING, &rep), ERR_INVAL);
    assert_false(rep.imported);
    assert_int_equal(rep.created, 0);
    check_bad_report(&rep);
    assert_int_equal(count(f), 3); /* nothing written */
    json_t *items = NULL;
    int64_t total = 0;
    assert_int_equal(store_audit_list(f->st, NULL, 0, 10, 0, &items, &total), 0);
    assert_int_equal(total, 0);
    json_decref(items);
    trainer_csv_report_free(&rep);
}

static void test_errors_partial(void **state)
{
    struct fixture *f = *state;
    struct trainer_csv_report rep;
    assert_int_equal(import_str(f, bad_csv, TRAINER_CSV_PARTIAL, &rep), 0);
    assert_true(rep.imported);
    check_bad_report(&rep);
    assert_int_equal(rep.created, 2); /* lines 6 and 10 */
    assert_int_equal(count(f), 5);
    struct trainer t;
    /* line 6: id 999 does not exist, so a new trainer with a new id */
    assert_int_equal(store_trainer_load(f->st, 999, &t), ERR_NOTFOUND);
    assert_int_equal(store_trainer_load(f->st, 4, &t), 0);
    assert_string_equal(t.last_name, "Vert");
    /* line 10: codes in other cases, a discipline by name, a site by label */
    assert_int_equal(store_trainer_load(f->st, 5, &t), 0);
    assert_string_equal(t.last_name, "Bon");
    assert_string_equal(t.institution, "inspe");
    assert_string_equal(t.corps, "pemf");
    assert_string_equal(t.degree, "1D");
    assert_string_equal(t.discipline, "polyvalent");
    assert_string_equal(t.site, "rhone");
    assert_int_equal(t.weekdays, 0x09);
    assert_int_equal(t.hours_quota, 12);
    assert_competence(f, 5, f->c_inclusion, 2, COMPETENCE_DECLARED);
    trainer_csv_report_free(&rep);
    /* partial, but not one good row: rejected, nothing written */
    assert_int_equal(import_str(f,
                                "nom;prenom;institution;corps;degre;discipline;site\n"
                                "A;B;nowhere;pemf;1D;polyvalent;ain\n",
                                TRAINER_CSV_PARTIAL, &rep),
                     ERR_INVAL);
    assert_false(rep.imported);
    assert_int_equal(rep.rejected, 1);
    assert_int_equal(count(f), 5);
    trainer_csv_report_free(&rep);
}

static void test_header_errors(void **state)
{
    struct fixture *f = *state;
    struct trainer_csv_report rep;
    /* an unknown column and a missing one: the file is refused as a whole, on the header line */
    assert_int_equal(import_str(f,
                                "nom;prenom;ville;institution;corps;degre;site\n"
                                "A;B;Lyon;inspe;pemf;1D;ain\n",
                                TRAINER_CSV_PARTIAL, &rep),
                     ERR_INVAL);
    assert_int_equal(rep.nerrors, 2);
    assert_int_equal(rep.rows, 0);
    assert_non_null(strstr(error_at(&rep, 1, "")->message, "ville"));
    assert_non_null(strstr(error_at(&rep, 1, "discipline")->message, "absente"));
    trainer_csv_report_free(&rep);
    /* a column twice */
    assert_int_equal(import_str(f, "nom;prenom;Nom;institution;corps;degre;discipline;site\n",
                                TRAINER_CSV_ALL_OR_NOTHING, &rep),
                     ERR_INVAL);
    assert_int_equal(rep.nerrors, 1);
    assert_non_null(strstr(error_at(&rep, 1, "nom")->message, "deux fois"));
    trainer_csv_report_free(&rep);
    /* empty files */
    static const char *const empty[] = {"", "\xEF\xBB\xBF", "\r\n\r\n"};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(import_str(f, empty[i], TRAINER_CSV_ALL_OR_NOTHING, &rep), ERR_INVAL);
        assert_int_equal(rep.nerrors, 1);
        assert_non_null(strstr(error_at(&rep, 1, "")->message, "vide"));
        trainer_csv_report_free(&rep);
    }
    assert_int_equal(import(f, NULL, 0, TRAINER_CSV_ALL_OR_NOTHING, &rep), ERR_INVAL);
    trainer_csv_report_free(&rep);
    /* a header alone imports nothing, successfully */
    assert_int_equal(import_str(f, "nom;prenom;institution;corps;degre;discipline;site\r\n",
                                TRAINER_CSV_ALL_OR_NOTHING, &rep),
                     0);
    assert_true(rep.imported);
    assert_int_equal(rep.rows, 0);
    trainer_csv_report_free(&rep);
    /* not UTF-8 (Windows-1252 "é"): one error, on the line of the first bad byte */
    assert_int_equal(import_str(f,
                                "nom;prenom;institution;corps;degre;discipline;site\n"
                                "Petit;Anne;inspe;pemf;1D;polyvalent;ain\n"
                                "Dupr\xe9;Jean;inspe;pemf;1D;polyvalent;ain\n",
                                TRAINER_CSV_PARTIAL, &rep),
                     ERR_INVAL);
    assert_int_equal(rep.nerrors, 1);
    assert_non_null(strstr(error_at(&rep, 3, "")->message, "UTF-8"));
    trainer_csv_report_free(&rep);
    /* a NUL byte */
    assert_int_equal(import(f, "nom\n\0", 5, TRAINER_CSV_PARTIAL, &rep), ERR_INVAL);
    assert_int_equal(rep.nerrors, 1);
    assert_non_null(error_at(&rep, 2, ""));
    trainer_csv_report_free(&rep);
    assert_int_equal(count(f), 3);
}

static void test_field_limits(void **state)
{
    struct fixture *f = *state;
    char csv[8192];
    char longname[400];
    memset(longname, 'a', 81);
    longname[81] = '\0';
    char accented[200];
    for (int i = 0; i < 50; i++)
        memcpy(accented + 2 * i, "é", 2); /* 50 characters, 100 bytes: fits the rule, not the
                                             field */
    accented[100] = '\0';
    int n = snprintf(csv, sizeof csv,
                     "nom;prenom;courriel;institution;corps;degre;discipline;site\n"
                     "%s;Anne;x;inspe;pemf;1D;polyvalent;ain\n"
                     "Petit;%s;a@b;inspe;pemf;1D;polyvalent;ain\n"
                     "Petit;Anne;a b@c;inspe;docteur;1D;polyvalent;ain\n",
                     longname, accented);
    assert_true(n > 0 && (size_t)n < sizeof csv);
    struct trainer_csv_report rep;
    assert_int_equal(import_str(f, csv, TRAINER_CSV_ALL_OR_NOTHING, &rep), ERR_INVAL);
    assert_non_null(strstr(error_at(&rep, 2, "nom")->message, "80 caractères"));
    assert_non_null(error_at(&rep, 2, "courriel"));
    assert_non_null(strstr(error_at(&rep, 3, "prenom")->message, "octets"));
    assert_non_null(error_at(&rep, 4, "courriel"));
    assert_non_null(strstr(error_at(&rep, 4, "corps")->message, "docteur"));
    trainer_csv_report_free(&rep);
}

static void test_competence_states(void **state)
{
    struct fixture *f = *state;
    /* Durand holds inclusion validated at 3, Martin geometry declared at 4, Bernard numérique
     * refused at 2. Absent columns (jours, quota_heures, presentation, courriel) are kept. */
    static const char csv[] =
        "id;nom;prenom;institution;corps;degre;discipline;site;competences\n"
        "1;Durand;Élise;rectorat;pemf;1D;polyvalent;rhone;inclusion:3:declared|numerique:2:"
        "validated\n"
        "2;Martin;Hugo;lyon1;enseignant_chercheur;SUP;mathematiques;loire;geometrie:2:validated\n"
        "3;Bernard;Chloé;rectorat;formateur_academique;2D;lettres;ain;numerique:2\n";
    struct trainer_csv_report rep;
    assert_int_equal(import_str(f, csv, TRAINER_CSV_ALL_OR_NOTHING, &rep), 0);
    assert_int_equal(rep.updated, 2);
    assert_int_equal(rep.unchanged, 1);
    assert_int_equal(rep.created, 0);
    /* same level: the state stays, validated or refused */
    assert_competence(f, f->t_durand, f->c_inclusion, 3, COMPETENCE_VALIDATED);
    assert_competence(f, f->t_bernard, f->c_numerique, 2, COMPETENCE_REFUSED);
    /* new or other level: declared, whatever the file says */
    assert_competence(f, f->t_durand, f->c_numerique, 2, COMPETENCE_DECLARED);
    assert_competence(f, f->t_martin, f->c_geometrie, 2, COMPETENCE_DECLARED);
    struct trainer t;
    assert_int_equal(store_trainer_load(f->st, f->t_durand, &t), 0);
    assert_int_equal(t.weekdays, 0x0b);
    assert_int_equal(t.hours_quota, 50);
    assert_string_equal(t.bio, "Accompagnement des équipes en maternelle");
    trainer_csv_report_free(&rep);
    /* a validated competence re-imported at another level goes back to declared */
    assert_int_equal(
        import_str(f,
                   "id;nom;prenom;institution;corps;degre;discipline;site;competences\n"
                   "1;Durand;Élise;rectorat;pemf;1D;polyvalent;rhone;inclusion:4\n",
                   TRAINER_CSV_ALL_OR_NOTHING, &rep),
        0);
    assert_competence(f, f->t_durand, f->c_inclusion, 4, COMPETENCE_DECLARED);
    json_t *items = NULL;
    int64_t total = 0;
    assert_int_equal(store_audit_list(f->st, "trainer", f->t_durand, 10, 0, &items, &total), 0);
    assert_int_equal(total, 2);
    json_t *before = json_object_get(json_array_get(items, 0), "before");
    json_t *bc = json_array_get(json_object_get(before, "competences"), 0);
    assert_string_equal(json_string_value(json_object_get(bc, "state")), "validated");
    json_decref(items);
    trainer_csv_report_free(&rep);
}

static void test_round_trip(void **state)
{
    struct fixture *f = *state;
    struct buf a, b;
    export(f, &a);
    assert_memory_equal(a.data,
                        "\xEF\xBB\xBFid;nom;prenom;courriel;institution;corps;degre;"
                        "discipline;site;jours;quota_heures;presentation;competences\r\n",
                        104);
    assert_non_null(strstr(a.data, "\r\n1;Durand;Élise;;rectorat;pemf;1D;polyvalent;rhone;"
                                   "lundi,mardi,jeudi;50;Accompagnement des équipes en "
                                   "maternelle;inclusion:3:validated\r\n"));
    struct trainer_csv_report rep;
    assert_int_equal(import(f, a.data, a.len, TRAINER_CSV_ALL_OR_NOTHING, &rep), 0);
    assert_int_equal(rep.unchanged, 3);
    assert_int_equal(rep.updated + rep.created, 0);
    trainer_csv_report_free(&rep);
    export(f, &b);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    assert_competence(f, f->t_durand, f->c_inclusion, 3, COMPETENCE_VALIDATED);
    assert_competence(f, f->t_bernard, f->c_numerique, 2, COMPETENCE_REFUSED);
    /* a change made in the spreadsheet comes back as an update */
    char *p = strstr(a.data, "Durand");
    assert_non_null(p);
    memcpy(p, "Dupont", 6);
    assert_int_equal(import(f, a.data, a.len, TRAINER_CSV_ALL_OR_NOTHING, &rep), 0);
    assert_int_equal(rep.updated, 1);
    assert_int_equal(rep.unchanged, 2);
    struct trainer t;
    assert_int_equal(store_trainer_load(f->st, f->t_durand, &t), 0);
    assert_string_equal(t.last_name, "Dupont");
    trainer_csv_report_free(&rep);
    buf_free(&a);
    buf_free(&b);
}

static void test_formulas(void **state)
{
    struct fixture *f = *state;
    /* values that a spreadsheet would run, and a file written by a spreadsheet after an export
     * (leading ' kept) */
    static const char csv[] =
        "nom;prenom;institution;corps;degre;discipline;site;presentation\n"
        "-Petit;@Anne;inspe;pemf;1D;polyvalent;ain;\"=HYPERLINK(\"\"http://x\"\";\"\"clic\"\")\"\n"
        "Roux;Marc;inspe;pemf;1D;polyvalent;ain;'=1+1\n";
    struct trainer_csv_report rep;
    assert_int_equal(import_str(f, csv, TRAINER_CSV_ALL_OR_NOTHING, &rep), 0);
    assert_int_equal(rep.created, 2);
    trainer_csv_report_free(&rep);
    struct trainer t;
    assert_int_equal(store_trainer_load(f->st, 4, &t), 0);
    assert_string_equal(t.last_name, "-Petit");
    assert_string_equal(t.first_name, "@Anne");
    assert_string_equal(t.bio, "=HYPERLINK(\"http://x\";\"clic\")");
    assert_int_equal(store_trainer_load(f->st, 5, &t), 0);
    assert_string_equal(t.bio, "=1+1");
    /* the export neutralises them, and re-importing the export changes nothing */
    struct buf out;
    export(f, &out);
    assert_non_null(strstr(out.data, "\r\n4;'-Petit;'@Anne;"));
    assert_non_null(strstr(out.data, ";\"'=HYPERLINK(\"\"http://x\"\";\"\"clic\"\")\";"));
    assert_non_null(strstr(out.data, ";'=1+1;"));
    assert_int_equal(import(f, out.data, out.len, TRAINER_CSV_ALL_OR_NOTHING, &rep), 0);
    assert_int_equal(rep.unchanged, 5);
    trainer_csv_report_free(&rep);
    assert_int_equal(store_trainer_load(f->st, 4, &t), 0);
    assert_string_equal(t.last_name, "-Petit");
    buf_free(&out);
}

static void test_rights(void **state)
{
    struct fixture *f = *state;
    static const char csv[] = "nom;prenom;institution;corps;degre;discipline;site\n"
                              "Petit;Anne;inspe;pemf;1D;polyvalent;ain\n";
    struct user trainer = {.id = 7, .role = ROLE_TRAINER, .trainer_id = 1};
    struct app_ctx ctx = {.st = f->st, .actor = &trainer, .now = NOW};
    struct trainer_csv_report rep;
    assert_int_equal(trainer_csv_import(&ctx, csv, sizeof csv - 1, TRAINER_CSV_PARTIAL, &rep),
                     ERR_DENIED);
    trainer_csv_report_free(&rep);
    struct buf out;
    buf_init(&out, 0);
    assert_int_equal(trainer_csv_export(&ctx, &out, NULL, NULL, NULL), ERR_DENIED);
    buf_free(&out);
    assert_int_equal(count(f), 3);

    struct user coord = {.id = 0, .role = ROLE_COORDINATOR};
    snprintf(coord.login, sizeof coord.login, "coord");
    assert_int_equal(store_user_add(f->st, &coord, "x", NOW, &coord.id), 0);
    struct app_ctx cctx = {.st = f->st, .actor = &coord, .ip = "192.0.2.1", .now = NOW};
    assert_int_equal(trainer_csv_import(&cctx, csv, sizeof csv - 1, TRAINER_CSV_PARTIAL, &rep), 0);
    assert_int_equal(rep.created, 1);
    trainer_csv_report_free(&rep);
    buf_init(&out, 0);
    assert_int_equal(trainer_csv_export(&cctx, &out, NULL, NULL, NULL), 0);
    buf_free(&out);
    json_t *items = NULL;
    int64_t total = 0;
    assert_int_equal(store_audit_list(f->st, "trainer", 0, 10, 0, &items, &total), 0);
    assert_int_equal(total, 2);
    json_t *e = json_array_get(items, 0);
    assert_string_equal(json_string_value(json_object_get(e, "action")), "trainer.export");
    assert_string_equal(json_string_value(json_object_get(e, "actor_login")), "coord");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(e, "after"), "rows")), 4);
    e = json_array_get(items, 1);
    assert_string_equal(json_string_value(json_object_get(e, "action")), "trainer.import");
    assert_string_equal(json_string_value(json_object_get(e, "ip")), "192.0.2.1");
    json_decref(items);
}

/* Export through a flush callback, in pieces: the same bytes as in one buffer. */
static int collect(void *arg, struct buf *out)
{
    struct buf *all = arg;
    buf_append(all, out->data, out->len);
    buf_reset(out);
    return 0;
}

static void test_many_rows(void **state)
{
    struct fixture *f = *state;
    struct buf csv;
    buf_init(&csv, 0);
    buf_puts(&csv, "nom;prenom;courriel;institution;corps;degre;discipline;site;jours;"
                   "quota_heures;presentation;competences\r\n");
    for (int i = 0; i < 3000; i++)
        buf_printf(
            &csv,
            "Nom%d;Prénom%d;p%d@ac-lyon.fr;inspe;pemf;1D;polyvalent;rhone;lundi,jeudi;%d;"
            "Formatrice en cycle %d, mathématiques et inclusion;inclusion:%d|geometrie:2\r\n",
            i, i, i, i % 200, i % 3 + 1, i % 4 + 1);
    assert_false(buf_failed(&csv));
    struct trainer_csv_report rep;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(import(f, csv.data, csv.len, TRAINER_CSV_ALL_OR_NOTHING, &rep), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_int_equal(rep.created, 3000);
    trainer_csv_report_free(&rep);
    print_message("import of 3000 rows: %.3f s\n",
                  (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    assert_int_equal(count(f), 3003);

    struct buf one, all, piece;
    export(f, &one);
    buf_init(&all, 0);
    buf_init(&piece, 1 << 20);
    struct app_ctx ctx = {.st = f->st, .now = NOW};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(trainer_csv_export(&ctx, &piece, collect, &all, NULL), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    print_message("export of 3003 rows: %.3f s\n",
                  (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    assert_int_equal(one.len, all.len);
    assert_memory_equal(one.data, all.data, one.len);
    /* and the re-import of 3003 unchanged rows */
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(import(f, all.data, all.len, TRAINER_CSV_ALL_OR_NOTHING, &rep), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_int_equal(rep.unchanged, 3003);
    print_message("re-import of 3003 unchanged rows: %.3f s\n",
                  (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    trainer_csv_report_free(&rep);
    buf_free(&one);
    buf_free(&all);
    buf_free(&piece);
    buf_free(&csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bom_crlf_quotes, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_no_bom_lf, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_errors_all_or_nothing, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_errors_partial, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_header_errors, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_field_limits, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_competence_states, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_round_trip, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_formulas, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_rights, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_many_rows, fixture_setup, fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
