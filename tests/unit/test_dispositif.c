/* Unit tests of domain/dispositif: the 17 FC dispositifs of seed 004 Annexe 1 and their maîtres
 * d'œuvre, the FI perimeter, ANT and ENT, and the request kinds they map to. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/dispositif.h"

struct expected {
    int number;
    const char *code;
    const char *label;
    enum dispositif_lead lead;
    enum request_kind kind;
};

static void test_seventeen_fc_dispositifs(void **state)
{
    (void)state;
    /* 004_eb042ae2bd8441b7.txt, Annexe 1: "Annexe N°1 : les 17 dispositifs de la FC", headings
     * 1 to 17 as the seed words them; §2 b: "La maîtrise d’œuvre de toutes ces formations
     * revient au rectorat, à l’exception des actions locales disciplinaires (n°9) et des AED
     * (n°16)." */
    const struct expected want[DISPOSITIF_FC_COUNT] = {
        {1, "paf_enseignants",
         "Formation des personnels enseignants, d’éducation et d’orientation dans le cadre du "
         "PAF",
         DISPOSITIF_LEAD_RECTORAT, REQUEST_KIND_PAF},
        {2, "atss",
         "Formation des personnels administratifs, techniques, de santé, et sociaux (ATSS)",
         DISPOSITIF_LEAD_RECTORAT, REQUEST_KIND_PAF},
        {3, "encadrement", "Formation des personnels d’encadrement", DISPOSITIF_LEAD_RECTORAT,
         REQUEST_KIND_PAF},
        {4, "stagiaires",
         "Formation des personnels enseignants, d’éducation et d’orientation (1er et 2nd degré) "
         "stagiaires",
         DISPOSITIF_LEAD_RECTORAT, REQUEST_KIND_PAF},
        {5, "entrants",
         "Formation des personnels enseignants, d’éducation et d’orientation entrant dans le "
         "métier",
         DISPOSITIF_LEAD_RECTORAT, REQUEST_KIND_PAF},
        {6, "neo_contractuels",
         "Formation des personnels enseignants et d’éducation néo-contractuels",
         DISPOSITIF_LEAD_RECTORAT, REQUEST_KIND_PAF},
        {7, "fil", "Formations d’Initiative Locale (FIL)", DISPOSITIF_LEAD_RECTORAT,
         REQUEST_KIND_FIL},
        {8, "alp_idg", "Actions locales prioritaires interdegrés (ALP interdegrés)",
         DISPOSITIF_LEAD_RECTORAT, REQUEST_KIND_ALP_IDG},
        {9, "ald", "Actions locales disciplinaires (ALD)", DISPOSITIF_LEAD_POLE, REQUEST_KIND_ALD},
        {10, "academiques_1d", "Formations académiques 1er degré", DISPOSITIF_LEAD_RECTORAT,
         REQUEST_KIND_PAF},
        {11, "distance", "Formations à distance", DISPOSITIF_LEAD_RECTORAT, REQUEST_KIND_PAF},
        {12, "concours_internes", "Préparation aux concours internes", DISPOSITIF_LEAD_RECTORAT,
         REQUEST_KIND_PREP_CONCOURS},
        {13, "certifications", "Préparation aux certifications", DISPOSITIF_LEAD_RECTORAT,
         REQUEST_KIND_PREP_CONCOURS},
        {14, "adaptation_emploi", "Formations d’adaptation à l’emploi", DISPOSITIF_LEAD_RECTORAT,
         REQUEST_KIND_PAF},
        {15, "ems", "Formation des Équipes mobiles de sécurité (EMS)", DISPOSITIF_LEAD_RECTORAT,
         REQUEST_KIND_PAF},
        {16, "aed_prepro", "Formation des AED en pré-professionnalisation", DISPOSITIF_LEAD_POLE,
         REQUEST_KIND_PAF},
        {17, "innovation", "Accompagner l’innovation et l’expérimentation",
         DISPOSITIF_LEAD_RECTORAT, REQUEST_KIND_PAF},
    };
    size_t count = 0;
    const struct dispositif *list = dispositif_list(&count);
    assert_true(count >= DISPOSITIF_FC_COUNT);
    for (int i = 0; i < DISPOSITIF_FC_COUNT; i++) {
        const struct dispositif *d = &list[i];
        assert_int_equal(d->number, want[i].number);
        assert_string_equal(d->code, want[i].code);
        assert_string_equal(d->label, want[i].label);
        assert_int_equal(d->field, DISPOSITIF_FC);
        assert_int_equal(d->lead, want[i].lead);
        assert_int_equal(d->kind, want[i].kind);
        assert_ptr_equal(dispositif_by_number(want[i].number), d);
        assert_ptr_equal(dispositif_find(want[i].code), d);
    }
    /* Nothing else carries a number of Annexe 1. */
    for (size_t i = DISPOSITIF_FC_COUNT; i < count; i++)
        assert_int_equal(list[i].number, 0);
    assert_null(dispositif_by_number(0));
    assert_null(dispositif_by_number(18));
    assert_null(dispositif_by_number(-1));
}

static void test_pole_is_lead_of_ald_and_aed_only(void **state)
{
    (void)state;
    /* 004_eb042ae2bd8441b7.txt, Annexe 1, under n°9 and under n°16: "Le Pôle de
     * professionnalisation assure l’entièreté de la maîtrise d’œuvre de ce dispositif." */
    size_t count = 0;
    const struct dispositif *list = dispositif_list(&count);
    int pole = 0;
    for (size_t i = 0; i < count; i++) {
        if (list[i].lead != DISPOSITIF_LEAD_POLE)
            continue;
        pole++;
        assert_true(list[i].number == 9 || list[i].number == 16);
    }
    assert_int_equal(pole, 2);
    assert_string_equal(dispositif_lead_code(dispositif_by_number(9)->lead), "pole");
    assert_string_equal(dispositif_lead_label(DISPOSITIF_LEAD_POLE),
                        "Pôle de professionnalisation");
    assert_string_equal(dispositif_lead_label(DISPOSITIF_LEAD_RECTORAT), "Rectorat");
    assert_null(dispositif_lead_code(DISPOSITIF_LEAD_COUNT));
    assert_string_equal(dispositif_lead_label(DISPOSITIF_LEAD_COUNT), "");
}

static void test_fi_perimeter_ant_ent(void **state)
{
    (void)state;
    /* 004_eb042ae2bd8441b7.txt §2 a, "En formation initiale": "Toutes les formations MEEF
     * (masters, DU (parcours adaptés))", "Toutes les formations pré-professionnalisantes MEEF
     * (AED, Licences)", "Formation de formateurs (F2F)". */
    const char *fi[] = {"fi_meef", "fi_du", "fi_prepro", "fi_f2f"};
    for (size_t i = 0; i < sizeof fi / sizeof fi[0]; i++) {
        const struct dispositif *d = dispositif_find(fi[i]);
        assert_non_null(d);
        assert_int_equal(d->field, DISPOSITIF_FI);
        assert_int_equal(d->kind, REQUEST_KIND_FI);
        assert_int_equal(d->number, 0);
    }
    assert_string_equal(dispositif_find("fi_f2f")->label, "Formation de formateurs (F2F)");
    /* 000_fcc2280faad7b98f.txt: "Une Aide Négociée de Territoire (ANT) est une modalité
     * d'accompagnement de projets de formation d'initiative locale". */
    assert_int_equal(dispositif_find("ant")->kind, REQUEST_KIND_ANT);
    /* 002_a92ffaf401843d92.txt: "la présente convention a pour objet de définir les modalités
     * de mise en œuvre des formations en établissement liées au déploiement de l'ENT." */
    assert_int_equal(dispositif_find("ent")->kind, REQUEST_KIND_ENT);
    assert_null(dispositif_find("fil_bis"));
    assert_null(dispositif_find(""));
    assert_null(dispositif_find(NULL));
}

static void test_every_kind_has_dispositifs(void **state)
{
    (void)state;
    /* n°7 is the FIL, n°8 the ALP interdegrés, n°9 the ALD, n°12 and n°13 the preparations
     * (004 Annexe 1); the FI has four entries, ANT and ENT one each; PAF keeps the other 12. */
    const size_t want[REQUEST_KIND_COUNT] = {
        [REQUEST_KIND_FIL] = 1,  [REQUEST_KIND_ALP_IDG] = 1,
        [REQUEST_KIND_ANT] = 1,  [REQUEST_KIND_ALD] = 1,
        [REQUEST_KIND_FI] = 4,   [REQUEST_KIND_ENT] = 1,
        [REQUEST_KIND_PAF] = 12, [REQUEST_KIND_PREP_CONCOURS] = 2,
    };
    size_t got[REQUEST_KIND_COUNT] = {0};
    size_t count = 0;
    const struct dispositif *list = dispositif_list(&count);
    assert_int_equal(count, 23);
    assert_non_null(dispositif_list(NULL));
    for (size_t i = 0; i < count; i++) {
        assert_true(list[i].kind < REQUEST_KIND_COUNT);
        got[list[i].kind]++;
        /* Codes are unique: the store keys on them. */
        for (size_t j = i + 1; j < count; j++)
            assert_string_not_equal(list[i].code, list[j].code);
    }
    for (int k = 0; k < REQUEST_KIND_COUNT; k++)
        assert_int_equal(got[k], want[k]);
    assert_int_equal(dispositif_find("alp_idg")->number, 8);
    assert_int_equal(dispositif_find("fil")->number, 7);
}

static void test_kind_codes(void **state)
{
    (void)state;
    /* Issue 5: "the kinds `fil`, `alp_idg`, `ant`, `ald`, `fi`, `ent`, `paf`,
     * `prep_concours`". */
    const char *codes[] = {"fil", "alp_idg", "ant", "ald", "fi", "ent", "paf", "prep_concours"};
    assert_int_equal(sizeof codes / sizeof codes[0], REQUEST_KIND_COUNT);
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        enum request_kind k = request_kind_parse(codes[i]);
        assert_int_equal(k, (enum request_kind)i);
        assert_string_equal(request_kind_code(k), codes[i]);
        assert_true(strlen(request_kind_label(k)) > 0);
        assert_true(strlen(request_kind_short(k)) > 0);
    }
    assert_string_equal(request_kind_label(REQUEST_KIND_ALP_IDG),
                        "Action locale prioritaire interdegrés (ALP IDG)");
    assert_string_equal(request_kind_short(REQUEST_KIND_FIL), "FIL");
    assert_int_equal(request_kind_parse("FIL"), REQUEST_KIND_COUNT);
    assert_int_equal(request_kind_parse("alp"), REQUEST_KIND_COUNT);
    assert_int_equal(request_kind_parse(NULL), REQUEST_KIND_COUNT);
    assert_null(request_kind_code(REQUEST_KIND_COUNT));
    assert_null(request_kind_code((enum request_kind) - 1));
    assert_string_equal(request_kind_label(REQUEST_KIND_COUNT), "");
    assert_string_equal(request_kind_short((enum request_kind)42), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seventeen_fc_dispositifs),
        cmocka_unit_test(test_pole_is_lead_of_ald_and_aed_only),
        cmocka_unit_test(test_fi_perimeter_ant_ent),
        cmocka_unit_test(test_every_kind_has_dispositifs),
        cmocka_unit_test(test_kind_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
