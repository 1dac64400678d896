/*
 * Unit tests of app/placement_csv over the fixture's académie, plus a period, two
 * establishments and a few accounts: good files of places and students (BOM, CRLF, columns in
 * any order, names of sites and disciplines), every kind of bad row with its line and column,
 * header problems, codes and accounts repeated in the file or already in the period, the
 * all-or-nothing and partial modes, rights, and store_period_id.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "app/placement.h"
#include "app/placement_csv.h"
#include "core/err.h"
#include "fixture.h"

#define NOW 1800000000

/* The fixture (cmocka's state) and the period every test imports into. */
struct env {
    struct fixture *f;
    int64_t period;
};

static int setup(void **state)
{
    struct env *e = malloc(sizeof *e);
    if (!e)
        return -1;
    void *fs = NULL;
    if (fixture_setup(&fs) != 0) {
        free(e);
        return -1;
    }
    e->f = fs;
    struct store *st = e->f->st;
    if (store_establishment_add(st, "0691234A", "École Jean Macé", "ecole", "Lyon", "69", NULL) ||
        store_establishment_add(st, "0421234B", "Collège Jules Vallès", "college", "Saint-Étienne",
                                "42", NULL))
        abort();
    static const char *const logins[] = {"tuteur.durand", "etu.alice", "etu.bruno"};
    for (size_t i = 0; i < 3; i++) {
        struct user u = {.role = i == 0 ? ROLE_TRAINER : ROLE_STUDENT, .scope_kind = SCOPE_NONE};
        snprintf(u.login, sizeof u.login, "%s", logins[i]);
        snprintf(u.display_name, sizeof u.display_name, "%s", logins[i]);
        if (store_user_add(st, &u, "$argon2id$x", NOW, NULL))
            abort();
    }
    struct internship_period p = {
        .wishes_open_at = NOW, .wishes_close_at = NOW + 86400, .max_wishes = 5};
    snprintf(p.code, sizeof p.code, "2026-m2-file");
    snprintf(p.label, sizeof p.label, "M2 MEEF, stage filé 2026-2027");
    snprintf(p.cohort, sizeof p.cohort, "M2");
    snprintf(p.kind, sizeof p.kind, "file");
    snprintf(p.starts_on, sizeof p.starts_on, "2026-09-01");
    snprintf(p.ends_on, sizeof p.ends_on, "2027-06-30");
    struct app_ctx ctx = {.st = st, .now = NOW};
    struct field_errors errs = {0};
    if (app_period_create(&ctx, &p, &errs, &e->period))
        abort();
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    struct env *e = *state;
    void *fs = e->f;
    free(e);
    return fixture_teardown(&fs);
}

static int import_as(struct env *e, const struct user *actor, enum placement_csv_kind kind,
                     const char *csv, enum placement_csv_mode mode,
                     struct placement_csv_report *rep)
{
    struct app_ctx ctx = {.st = e->f->st, .actor = actor, .now = NOW};
    return placement_csv_import(&ctx, e->period, kind, csv, strlen(csv), mode, rep);
}

static int import(struct env *e, enum placement_csv_kind kind, const char *csv,
                  enum placement_csv_mode mode, struct placement_csv_report *rep)
{
    return import_as(e, NULL, kind, csv, mode, rep);
}

static int64_t places(struct env *e)
{
    json_t *items = NULL;
    int64_t total = -1;
    assert_int_equal(store_place_list(e->f->st, e->period, NULL, NULL, NULL, 1, 0, &items, &total),
                     0);
    json_decref(items);
    return total;
}

static int64_t students(struct env *e)
{
    json_t *items = NULL;
    int64_t total = -1;
    assert_int_equal(store_istudent_list(e->f->st, e->period, 1, 0, &items, &total), 0);
    json_decref(items);
    return total;
}

static int64_t audits(struct env *e, const char *entity)
{
    json_t *items = NULL;
    int64_t total = -1;
    assert_int_equal(store_audit_list(e->f->st, entity, 0, 1, 0, &items, &total), 0);
    json_decref(items);
    return total;
}

/* The error of the report on line with column (exactly one expected); its message must
 * contain want. */
static void assert_error(const struct placement_csv_report *rep, size_t line, const char *column,
                         const char *want)
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
    if (!strstr(found->message, want))
        fail_msg("line %zu column '%s': '%s' lacks '%s'", line, column, found->message, want);
}

static size_t errors_on(const struct placement_csv_report *rep, size_t line)
{
    size_t n = 0;
    for (size_t i = 0; i < rep->nerrors; i++)
        n += rep->errors[i].line == line;
    return n;
}

/* The place of a code, as the store lists it. */
static json_t *place_by_code(struct env *e, const char *code)
{
    json_t *items = NULL;
    int64_t total = 0;
    assert_int_equal(
        store_place_list(e->f->st, e->period, NULL, NULL, NULL, 100, 0, &items, &total), 0);
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        if (strcmp(json_string_value(json_object_get(it, "code")), code) == 0) {
            json_incref(it);
            json_decref(items);
            return it;
        }
    }
    fail_msg("no place %s", code);
    return NULL;
}

static const char *jstr(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    assert_non_null(s);
    return s;
}

static const char places_header[] =
    "code;uai;niveau;tuteur;courriel_tuteur;compte_tuteur;capacite;degre;discipline;site\n";

/* ---- good files ---- */

static void test_places_good(void **state)
{
    struct env *e = *state;
    /* BOM, CRLF, other order, capitals and accents in the header, optional columns absent,
     * names instead of codes, a lowercase UAI, a quoted value with ';' and quotes */
    static const char csv[] =
        "\xEF\xBB\xBF"
        "Site;Degré;Discipline;Capacité;Tuteur;Niveau;UAI;Code\r\n"
        "Rhône;1er degré;Polyvalent (1er degré);2;Mme Durand;CM1;0691234a;MACE-CM1\r\n"
        "loire;2D;Mathématiques;1;\"Martin; Hugo \"\"PLC\"\"\";5e;0421234B;valles-5e\r\n";
    struct placement_csv_report rep;
    assert_int_equal(import(e, PLACEMENT_CSV_PLACES, csv, PLACEMENT_CSV_ALL_OR_NOTHING, &rep), 0);
    assert_true(rep.committed);
    assert_int_equal(rep.rows, 2);
    assert_int_equal(rep.imported, 2);
    assert_int_equal(rep.rejected, 0);
    assert_int_equal(rep.nerrors, 0);
    placement_csv_report_free(&rep);
    assert_int_equal(places(e), 2);
    json_t *p = place_by_code(e, "MACE-CM1");
    assert_string_equal(jstr(p, "uai"), "0691234A");
    assert_string_equal(jstr(p, "site"), "rhone");
    assert_string_equal(jstr(p, "degree"), "1D");
    assert_string_equal(jstr(p, "discipline"), "polyvalent");
    assert_string_equal(jstr(p, "class_level"), "CM1");
    assert_string_equal(jstr(p, "tutor_email"), "");
    assert_int_equal(json_integer_value(json_object_get(p, "capacity")), 2);
    json_decref(p);
    p = place_by_code(e, "valles-5e");
    assert_string_equal(jstr(p, "tutor_name"), "Martin; Hugo \"PLC\"");
    assert_string_equal(jstr(p, "site"), "loire");
    json_decref(p);
    /* each row audited by its use case */
    assert_int_equal(audits(e, "internship_place"), 2);
}

static void test_students_good(void **state)
{
    struct env *e = *state;
    static const char csv[] = "code;nom;prenom;courriel;compte;degre;discipline;site;priorite\n"
                              "E001;Arnaud;Alice;alice@etu.fr;etu.alice;1D;polyvalent;ain;10\n"
                              "E002;Bertin;Bruno;;;2D;mathematiques;Rhône;\n"
                              ";;;;;;;;\n"
                              "\n"
                              "E003;Caron;Chloé;;etu.bruno;2d;lettres;LOIRE;0\n";
    struct placement_csv_report rep;
    assert_int_equal(import(e, PLACEMENT_CSV_STUDENTS, csv, PLACEMENT_CSV_ALL_OR_NOTHING, &rep), 0);
    assert_int_equal(rep.rows, 3); /* blank rows skipped */
    assert_int_equal(rep.imported, 3);
    placement_csv_report_free(&rep);
    assert_int_equal(students(e), 3);
    json_t *items = NULL;
    int64_t total = 0;
    assert_int_equal(store_istudent_list(e->f->st, e->period, 10, 0, &items, &total), 0);
    /* listed by name: Arnaud, Bertin, Caron */
    json_t *a = json_array_get(items, 0), *b = json_array_get(items, 1),
           *c = json_array_get(items, 2);
    assert_string_equal(jstr(a, "login"), "etu.alice");
    assert_int_equal(json_integer_value(json_object_get(a, "priority")), 10);
    assert_string_equal(jstr(b, "site"), "rhone");
    assert_int_equal(json_integer_value(json_object_get(b, "priority")), 0);
    assert_string_equal(jstr(b, "login"), "");
    assert_string_equal(jstr(c, "degree"), "2D");
    assert_string_equal(jstr(c, "site"), "loire");
    json_decref(items);
    /* the priorite column is optional */
    static const char csv2[] = "code;nom;prenom;degre;discipline;site\n"
                               "E004;Durand;Dan;1D;polyvalent;ain\n";
    assert_int_equal(import(e, PLACEMENT_CSV_STUDENTS, csv2, PLACEMENT_CSV_ALL_OR_NOTHING, &rep),
                     0);
    assert_int_equal(rep.imported, 1);
    placement_csv_report_free(&rep);
    assert_int_equal(students(e), 4);
}

/* ---- bad rows ---- */

static void test_places_bad_rows(void **state)
{
    struct env *e = *state;
    static const char csv[] =
        "code;uai;niveau;tuteur;courriel_tuteur;compte_tuteur;capacite;degre;discipline;site\n"
        "ok-1;0691234A;CM1;Mme A;a@ac-lyon.fr;tuteur.durand;2;1D;polyvalent;rhone\n" /* 2 */
        "bad-uai;9999999Z;CM1;Mme B;;;1;1D;polyvalent;rhone\n"                       /* 3 */
        "bad-cap;0691234A;CM1;Mme C;;;deux;1D;polyvalent;rhone\n"                    /* 4 */
        "big-cap;0691234A;CM1;Mme D;;;99;1D;polyvalent;rhone\n"                      /* 5 */
        "bad-deg;0691234A;CM1;Mme E;;;1;3D;polyvalent;rhone\n"                       /* 6 */
        "bad-site;0691234A;CM1;Mme F;;;1;1D;polyvalent;Mars\n"                       /* 7 */
        "bad-disc;0691234A;CM1;Mme G;;;1;1D;astrologie;ain\n"                        /* 8 */
        "no-level;0691234A;;Mme H;;;1;1D;polyvalent;ain\n"                           /* 9 */
        "bad-mail;0691234A;CM1;Mme I;pas-un-courriel;;1;1D;polyvalent;ain\n"         /* 10 */
        "bad-acct;0691234A;CM1;Mme J;;inconnu.x;1;1D;polyvalent;ain\n"               /* 11 */
        "bad code!;0691234A;CM1;Mme K;;;1;1D;polyvalent;ain\n"                       /* 12 */
        "short;0691234A;CM1\n"                                                       /* 13 */
        "two;0691234A;CM2;;;;x;4D;polyvalent;ain\n";                                 /* 14 */
    struct placement_csv_report rep;
    assert_int_equal(import(e, PLACEMENT_CSV_PLACES, csv, PLACEMENT_CSV_ALL_OR_NOTHING, &rep),
                     ERR_INVAL);
    assert_false(rep.committed);
    assert_int_equal(rep.rows, 13);
    assert_int_equal(rep.rejected, 12);
    assert_int_equal(rep.imported, 0);
    assert_int_equal(errors_on(&rep, 2), 0);
    assert_error(&rep, 3, "uai", "Établissement inconnu : UAI « 9999999Z »");
    assert_error(&rep, 4, "capacite", "Capacité : nombre entier attendu, pas « deux »");
    assert_error(&rep, 5, "capacite", "Capacité : de 0 à 50");
    assert_error(&rep, 6, "degre", "Degré : 1D ou 2D attendu, pas « 3D »");
    assert_error(&rep, 7, "site", "Site : Ain, Loire ou Rhône attendu, pas « Mars »");
    assert_error(&rep, 8, "discipline", "« astrologie » n’est ni un code ni un nom");
    assert_error(&rep, 9, "niveau", "Niveau de classe : champ obligatoire");
    assert_error(&rep, 10, "courriel_tuteur", "Courriel du tuteur : adresse invalide");
    assert_error(&rep, 11, "compte_tuteur", "Compte du tuteur inconnu : « inconnu.x »");
    assert_error(&rep, 12, "code", "Code : 1 à 40 lettres");
    assert_error(&rep, 13, "", "La ligne a 3 champ(s) alors que l’en-tête a 10 colonnes");
    /* several problems of one row are all reported, each once */
    assert_int_equal(errors_on(&rep, 14), 3);
    assert_error(&rep, 14, "tuteur", "Tuteur : champ obligatoire");
    assert_error(&rep, 14, "capacite", "pas « x »");
    assert_error(&rep, 14, "degre", "pas « 4D »");
    placement_csv_report_free(&rep);
    /* all or nothing: the good row was not written either, nor audited */
    assert_int_equal(places(e), 0);
    assert_int_equal(audits(e, "internship_place"), 0);
}

static void test_students_bad_rows(void **state)
{
    struct env *e = *state;
    static const char csv[] = "code;nom;prenom;courriel;compte;degre;discipline;site;priorite\n"
                              "E1;Arnaud;Alice;;etu.alice;1D;polyvalent;ain;\n" /* 2 */
                              "E2;;Bruno;;;1D;polyvalent;ain;\n"                /* 3 */
                              "E3;Caron;Chloé;;inconnu;1D;polyvalent;ain;\n"    /* 4 */
                              "E4;Dumas;Dan;;;1D;polyvalent;ain;-3\n"           /* 5 */
                              "E5;Morel;Eve;;;1D;polyvalent;ain;5000\n"         /* 6 */
                              "E6;Petit;Fred;x;;1D;polyvalent;ain;\n"           /* 7 */
                              "E7;\"Roux\"x;Gil;;;1D;polyvalent;ain;\n"         /* 8 */
                              "E8;Simon;Hugo;;;SUP;polyvalent;ain;\n"           /* 9 */
                              "E9;\"Petit\r\nJean\";Ian;;;1D;polyvalent;ain;\n" /* 10-11 */
                              "E10;Vidal;Jo;;;1D;polyvalent;Ain;1001\n";        /* 12 */
    struct placement_csv_report rep;
    assert_int_equal(import(e, PLACEMENT_CSV_STUDENTS, csv, PLACEMENT_CSV_ALL_OR_NOTHING, &rep),
                     ERR_INVAL);
    assert_int_equal(rep.rows, 10);
    assert_int_equal(rep.rejected, 9);
    assert_int_equal(errors_on(&rep, 2), 0);
    assert_error(&rep, 3, "nom", "Nom : champ obligatoire");
    assert_error(&rep, 4, "compte", "Compte inconnu : « inconnu »");
    assert_error(&rep, 5, "priorite", "Priorité : nombre entier attendu, pas « -3 »");
    assert_error(&rep, 6, "priorite", "Priorité : de 0 à 1000");
    assert_error(&rep, 7, "courriel", "Courriel : adresse invalide");
    assert_error(&rep, 8, "", "Ligne illisible");
    assert_error(&rep, 9, "degre", "Degré : 1D ou 2D attendu, pas « SUP »");
    /* a quoted line break: the use case refuses it, and the next row keeps its own line */
    assert_error(&rep, 10, "nom", "Nom : caractère de contrôle interdit");
    assert_error(&rep, 12, "priorite", "Priorité : de 0 à 1000");
    placement_csv_report_free(&rep);
    assert_int_equal(students(e), 0);
}

static void test_header_errors(void **state)
{
    struct env *e = *state;
    struct placement_csv_report rep;
    /* unknown column, repeated column, missing required ones: the file is refused at once */
    static const char csv[] = "code;uai;niveau;tuteur;capacité;Capacite;degre;discipline;couleur\n"
                              "a;0691234A;CM1;T;1;1;1D;polyvalent;bleu\n";
    assert_int_equal(import(e, PLACEMENT_CSV_PLACES, csv, PLACEMENT_CSV_PARTIAL, &rep), ERR_INVAL);
    assert_int_equal(rep.rows, 0);
    assert_error(&rep, 1, "",
                 "Colonne inconnue « couleur » : les colonnes possibles sont code, "
                 "uai, niveau, tuteur, courriel_tuteur");
    assert_error(&rep, 1, "capacite", "figure deux fois (colonnes 5 et 6)");
    assert_error(&rep, 1, "site", "Colonne obligatoire absente : « site »");
    placement_csv_report_free(&rep);
    /* a students' header given as places */
    static const char csv2[] = "code;nom;prenom;degre;discipline;site\n";
    assert_int_equal(import(e, PLACEMENT_CSV_PLACES, csv2, PLACEMENT_CSV_ALL_OR_NOTHING, &rep),
                     ERR_INVAL);
    assert_error(&rep, 1, "uai", "Colonne obligatoire absente");
    placement_csv_report_free(&rep);
    /* empty file, and a file that is not UTF-8 */
    assert_int_equal(import(e, PLACEMENT_CSV_PLACES, "", PLACEMENT_CSV_ALL_OR_NOTHING, &rep),
                     ERR_INVAL);
    assert_error(&rep, 1, "", "Le fichier est vide");
    placement_csv_report_free(&rep);
    static const char latin1[] = "code;nom;prenom;degre;discipline;site\n"
                                 "E1;Caron;Chlo\xe9;1D;polyvalent;ain\n";
    assert_int_equal(import(e, PLACEMENT_CSV_STUDENTS, latin1, PLACEMENT_CSV_PARTIAL, &rep),
                     ERR_INVAL);
    assert_error(&rep, 2, "", "n’est pas en UTF-8");
    placement_csv_report_free(&rep);
    /* header only: nothing to do, nothing wrong */
    assert_int_equal(import(e, PLACEMENT_CSV_STUDENTS, csv2, PLACEMENT_CSV_ALL_OR_NOTHING, &rep),
                     0);
    assert_int_equal(rep.rows, 0);
    assert_int_equal(rep.imported, 0);
    placement_csv_report_free(&rep);
    assert_int_equal(places(e) + students(e), 0);
}

/* ---- duplicates ---- */

static void test_duplicates(void **state)
{
    struct env *e = *state;
    struct placement_csv_report rep;
    static const char csv[] = "code;uai;niveau;tuteur;capacite;degre;discipline;site\n"
                              "A;0691234A;CM1;T1;1;1D;polyvalent;ain\n"
                              "B;0691234A;CM2;T2;1;1D;polyvalent;ain\n"
                              "A;0421234B;5e;T3;1;2D;mathematiques;loire\n";
    assert_int_equal(import(e, PLACEMENT_CSV_PLACES, csv, PLACEMENT_CSV_ALL_OR_NOTHING, &rep),
                     ERR_INVAL);
    assert_int_equal(rep.rejected, 1);
    assert_int_equal(rep.nerrors, 1);
    assert_error(&rep, 4, "code", "Code : « A » figure déjà ligne 2 du fichier");
    placement_csv_report_free(&rep);
    assert_int_equal(places(e), 0);
    /* partial: A (line 2) and B are imported */
    assert_int_equal(import(e, PLACEMENT_CSV_PLACES, csv, PLACEMENT_CSV_PARTIAL, &rep), 0);
    assert_int_equal(rep.imported, 2);
    placement_csv_report_free(&rep);
    assert_int_equal(places(e), 2);
    /* the same file again: every code is taken in the period */
    assert_int_equal(import(e, PLACEMENT_CSV_PLACES, csv, PLACEMENT_CSV_PARTIAL, &rep), ERR_INVAL);
    assert_int_equal(rep.rejected, 3);
    assert_error(&rep, 2, "code", "Code : « A » est déjà pris dans cette période");
    assert_error(&rep, 3, "code", "Code : « B » est déjà pris dans cette période");
    assert_error(&rep, 4, "code", "figure déjà ligne 2 du fichier");
    placement_csv_report_free(&rep);
    assert_int_equal(places(e), 2);

    /* students: a code or an account twice in the file, then an account already inscribed */
    static const char st1[] = "code;nom;prenom;compte;degre;discipline;site\n"
                              "E1;Arnaud;Alice;etu.alice;1D;polyvalent;ain\n"
                              "E1;Bertin;Bruno;;1D;polyvalent;ain\n"
                              "E2;Caron;Chloé;etu.alice;1D;polyvalent;ain\n";
    assert_int_equal(import(e, PLACEMENT_CSV_STUDENTS, st1, PLACEMENT_CSV_ALL_OR_NOTHING, &rep),
                     ERR_INVAL);
    assert_int_equal(rep.nerrors, 2);
    assert_error(&rep, 3, "code", "Code : « E1 » figure déjà ligne 2 du fichier");
    assert_error(&rep, 4, "compte", "Compte : « etu.alice » figure déjà ligne 2 du fichier");
    placement_csv_report_free(&rep);
    assert_int_equal(import(e, PLACEMENT_CSV_STUDENTS, st1, PLACEMENT_CSV_PARTIAL, &rep), 0);
    assert_int_equal(rep.imported, 1);
    placement_csv_report_free(&rep);
    static const char st2[] = "code;nom;prenom;compte;degre;discipline;site\n"
                              "E9;Caron;Chloé;etu.alice;1D;polyvalent;ain\n";
    assert_int_equal(import(e, PLACEMENT_CSV_STUDENTS, st2, PLACEMENT_CSV_PARTIAL, &rep),
                     ERR_INVAL);
    assert_error(&rep, 2, "code", "déjà inscrit dans cette période");
    placement_csv_report_free(&rep);
    assert_int_equal(students(e), 1);
}

/* ---- modes ---- */

static void test_all_or_nothing_and_partial(void **state)
{
    struct env *e = *state;
    static const char csv[] = "code;nom;prenom;degre;discipline;site;priorite\r\n"
                              "E1;Arnaud;Alice;1D;polyvalent;ain;1\r\n"
                              "E2;Bertin;Bruno;1D;polyvalent;Lune;2\r\n"
                              "E3;Caron;Chloé;2D;lettres;rhone;3\r\n";
    int64_t audit_before = audits(e, "internship_student");
    struct placement_csv_report rep;
    assert_int_equal(import(e, PLACEMENT_CSV_STUDENTS, csv, PLACEMENT_CSV_ALL_OR_NOTHING, &rep),
                     ERR_INVAL);
    assert_int_equal(rep.rows, 3);
    assert_int_equal(rep.rejected, 1);
    assert_int_equal(rep.imported, 0);
    assert_error(&rep, 3, "site", "pas « Lune »");
    placement_csv_report_free(&rep);
    assert_int_equal(students(e), 0);
    assert_int_equal(audits(e, "internship_student"), audit_before);

    assert_int_equal(import(e, PLACEMENT_CSV_STUDENTS, csv, PLACEMENT_CSV_PARTIAL, &rep), 0);
    assert_true(rep.committed);
    assert_int_equal(rep.imported, 2);
    assert_int_equal(rep.rejected, 1);
    assert_error(&rep, 3, "site", "pas « Lune »");
    placement_csv_report_free(&rep);
    assert_int_equal(students(e), 2);
    assert_int_equal(audits(e, "internship_student"), audit_before + 2);

    /* partial with no good row at all: nothing, ERR_INVAL */
    static const char bad[] = "code;nom;prenom;degre;discipline;site\n"
                              "E7;;Zoé;1D;polyvalent;ain\n";
    assert_int_equal(import(e, PLACEMENT_CSV_STUDENTS, bad, PLACEMENT_CSV_PARTIAL, &rep),
                     ERR_INVAL);
    assert_false(rep.committed);
    placement_csv_report_free(&rep);
    assert_int_equal(students(e), 2);
}

/* ---- rights and references ---- */

static void test_rights_and_period(void **state)
{
    struct env *e = *state;
    static const char csv[] = "code;nom;prenom;degre;discipline;site\n"
                              "E1;Arnaud;Alice;1D;polyvalent;ain\n";
    struct placement_csv_report rep;
    struct user coord = {.id = 0, .role = ROLE_COORDINATOR, .login = "coord"};
    struct user student = {.id = 0, .role = ROLE_STUDENT, .login = "etu.alice"};
    assert_int_equal(import_as(e, &coord, PLACEMENT_CSV_STUDENTS, csv, PLACEMENT_CSV_PARTIAL, &rep),
                     ERR_DENIED);
    assert_int_equal(rep.nerrors, 0);
    placement_csv_report_free(&rep);
    assert_int_equal(
        import_as(e, &student, PLACEMENT_CSV_STUDENTS, csv, PLACEMENT_CSV_PARTIAL, &rep),
        ERR_DENIED);
    placement_csv_report_free(&rep);
    assert_int_equal(students(e), 0);

    struct user office = {.role = ROLE_PLACEMENT_OFFICE, .login = "bureau"};
    assert_int_equal(store_user_add(e->f->st, &office, "$argon2id$x", NOW, &office.id), 0);
    assert_int_equal(
        import_as(e, &office, PLACEMENT_CSV_STUDENTS, csv, PLACEMENT_CSV_PARTIAL, &rep), 0);
    placement_csv_report_free(&rep);
    assert_int_equal(students(e), 1);

    /* an unknown period */
    struct app_ctx ctx = {.st = e->f->st, .now = NOW};
    assert_int_equal(placement_csv_import(&ctx, e->period + 100, PLACEMENT_CSV_STUDENTS, csv,
                                          strlen(csv), PLACEMENT_CSV_PARTIAL, &rep),
                     ERR_NOTFOUND);
    placement_csv_report_free(&rep);

    /* store_period_id */
    int64_t id = -1;
    assert_int_equal(store_period_id(e->f->st, "2026-m2-file", &id), 0);
    assert_int_equal(id, e->period);
    assert_int_equal(store_period_id(e->f->st, "2026-M2-FILE", &id), ERR_NOTFOUND);
    assert_int_equal(id, 0);
    assert_int_equal(store_period_id(e->f->st, "", &id), ERR_NOTFOUND);

    /* the names of the kinds */
    assert_int_equal(placement_csv_kind_parse("places"), PLACEMENT_CSV_PLACES);
    assert_int_equal(placement_csv_kind_parse("students"), PLACEMENT_CSV_STUDENTS);
    assert_int_equal(placement_csv_kind_parse("trainers"), -1);
    assert_int_equal(placement_csv_kind_parse(NULL), -1);
}

/* Many rows: the report keeps PLACEMENT_CSV_MAX_ERRORS errors and counts the others. */
static void test_many_errors(void **state)
{
    struct env *e = *state;
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, places_header);
    for (int i = 0; i < 1500; i++)
        buf_printf(&b, "p%d;0691234A;CM1;T;;;1;1D;polyvalent;%s\n", i, i % 2 ? "ain" : "nulle");
    assert_false(buf_failed(&b));
    struct placement_csv_report rep;
    assert_int_equal(import(e, PLACEMENT_CSV_PLACES, b.data, PLACEMENT_CSV_PARTIAL, &rep), 0);
    assert_int_equal(rep.rows, 1500);
    assert_int_equal(rep.rejected, 750);
    assert_int_equal(rep.imported, 750);
    assert_int_equal(rep.nerrors, 750);
    placement_csv_report_free(&rep);
    assert_int_equal(places(e), 750);
    /* again: 1500 errors (every code taken, or bad), 1000 kept */
    assert_int_equal(import(e, PLACEMENT_CSV_PLACES, b.data, PLACEMENT_CSV_PARTIAL, &rep),
                     ERR_INVAL);
    assert_int_equal(rep.nerrors, PLACEMENT_CSV_MAX_ERRORS);
    assert_int_equal(rep.errors_dropped, 500);
    placement_csv_report_free(&rep);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_places_good, setup, teardown),
        cmocka_unit_test_setup_teardown(test_students_good, setup, teardown),
        cmocka_unit_test_setup_teardown(test_places_bad_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_students_bad_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_header_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_all_or_nothing_and_partial, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rights_and_period, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
