/*
 * The catalogue of dispositifs (seed 004 §2 and Annexe 1) and the request kinds. The labels of
 * the 17 FC dispositifs are 004 Annexe 1's headings, without the trailing colon of n°1; the seed
 * writes n°17 with a straight apostrophe and every other heading with a typographic one, so
 * n°17 is given the typographic one too.
 */
#include "domain/dispositif.h"

#include <string.h>

#define FC(n, code, label, lead, kind)                                                             \
    {                                                                                              \
        (n), (code), (label), DISPOSITIF_FC, DISPOSITIF_LEAD_##lead, REQUEST_KIND_##kind           \
    }
#define FI(code, label)                                                                            \
    {                                                                                              \
        0, (code), (label), DISPOSITIF_FI, DISPOSITIF_LEAD_UNIVERSITY, REQUEST_KIND_FI             \
    }

/*
 * 004 §2 b: "La maîtrise d’œuvre de toutes ces formations revient au rectorat, à l’exception
 * des actions locales disciplinaires (n°9) et des AED (n°16)", and Annexe 1 under n°9 and n°16:
 * "Le Pôle de professionnalisation assure l’entièreté de la maîtrise d’œuvre de ce dispositif."
 */
static const struct dispositif catalogue[] = {
    FC(1, "paf_enseignants",
       "Formation des personnels enseignants, d’éducation et d’orientation dans le cadre du PAF",
       RECTORAT, PAF),
    FC(2, "atss",
       "Formation des personnels administratifs, techniques, de santé, et sociaux (ATSS)", RECTORAT,
       PAF),
    FC(3, "encadrement", "Formation des personnels d’encadrement", RECTORAT, PAF),
    FC(4, "stagiaires",
       "Formation des personnels enseignants, d’éducation et d’orientation (1er et 2nd degré) "
       "stagiaires",
       RECTORAT, PAF),
    FC(5, "entrants",
       "Formation des personnels enseignants, d’éducation et d’orientation entrant dans le métier",
       RECTORAT, PAF),
    FC(6, "neo_contractuels",
       "Formation des personnels enseignants et d’éducation néo-contractuels", RECTORAT, PAF),
    FC(7, "fil", "Formations d’Initiative Locale (FIL)", RECTORAT, FIL),
    FC(8, "alp_idg", "Actions locales prioritaires interdegrés (ALP interdegrés)", RECTORAT,
       ALP_IDG),
    FC(9, "ald", "Actions locales disciplinaires (ALD)", POLE, ALD),
    FC(10, "academiques_1d", "Formations académiques 1er degré", RECTORAT, PAF),
    FC(11, "distance", "Formations à distance", RECTORAT, PAF),
    /* Annexe 1 n°12: "toutes les formations de préparation aux concours seront comptabilisées
     * dans la balance du Pôle mais restent organisées au sein du rectorat." */
    FC(12, "concours_internes", "Préparation aux concours internes", RECTORAT, PREP_CONCOURS),
    FC(13, "certifications", "Préparation aux certifications", RECTORAT, PREP_CONCOURS),
    FC(14, "adaptation_emploi", "Formations d’adaptation à l’emploi", RECTORAT, PAF),
    FC(15, "ems", "Formation des Équipes mobiles de sécurité (EMS)", RECTORAT, PAF),
    FC(16, "aed_prepro", "Formation des AED en pré-professionnalisation", POLE, PAF),
    FC(17, "innovation", "Accompagner l’innovation et l’expérimentation", RECTORAT, PAF),
    /* 004 §2 a, "En formation initiale": "Toutes les formations MEEF (masters, DU (parcours
     * adaptés))", "Toutes les formations pré-professionnalisantes MEEF (AED, Licences)",
     * "Formation de formateurs (F2F)". The seed names no maître d'œuvre for them; the masters
     * and DU are the universities' diplomas, hence DISPOSITIF_LEAD_UNIVERSITY. */
    FI("fi_meef", "Masters MEEF"),
    FI("fi_du", "Diplômes universitaires MEEF (parcours adaptés)"),
    FI("fi_prepro", "Formations pré-professionnalisantes MEEF (AED, licences)"),
    FI("fi_f2f", "Formation de formateurs (F2F)"),
    /* 000, on the DAFOR: "Elle reçoit les demandes et les valide"; 002: the convention is signed by
     * the DAFPEN's director. Both are the rectorat's training delegation. */
    {0, "ant", "Aides négociées de territoire (ANT)", DISPOSITIF_FC, DISPOSITIF_LEAD_RECTORAT,
     REQUEST_KIND_ANT},
    {0, "ent", "Convention de formation au déploiement de l’ENT", DISPOSITIF_FC,
     DISPOSITIF_LEAD_RECTORAT, REQUEST_KIND_ENT},
};

#define CATALOGUE_LEN (sizeof catalogue / sizeof catalogue[0])

static const char *const lead_codes[DISPOSITIF_LEAD_COUNT] = {
    [DISPOSITIF_LEAD_RECTORAT] = "rectorat",
    [DISPOSITIF_LEAD_POLE] = "pole",
    [DISPOSITIF_LEAD_UNIVERSITY] = "university",
};

static const char *const lead_labels[DISPOSITIF_LEAD_COUNT] = {
    [DISPOSITIF_LEAD_RECTORAT] = "Rectorat",
    [DISPOSITIF_LEAD_POLE] = "Pôle de professionnalisation",
    [DISPOSITIF_LEAD_UNIVERSITY] = "Inspé et universités",
};

static const char *const kind_codes[REQUEST_KIND_COUNT] = {
    [REQUEST_KIND_FIL] = "fil", [REQUEST_KIND_ALP_IDG] = "alp_idg",
    [REQUEST_KIND_ANT] = "ant", [REQUEST_KIND_ALD] = "ald",
    [REQUEST_KIND_FI] = "fi",   [REQUEST_KIND_ENT] = "ent",
    [REQUEST_KIND_PAF] = "paf", [REQUEST_KIND_PREP_CONCOURS] = "prep_concours",
};

static const char *const kind_labels[REQUEST_KIND_COUNT] = {
    [REQUEST_KIND_FIL] = "Formation d’initiative locale (FIL)",
    [REQUEST_KIND_ALP_IDG] = "Action locale prioritaire interdegrés (ALP IDG)",
    [REQUEST_KIND_ANT] = "Aide négociée de territoire (ANT)",
    [REQUEST_KIND_ALD] = "Action locale disciplinaire (ALD)",
    [REQUEST_KIND_FI] = "Intervention en formation initiale (MEEF)",
    [REQUEST_KIND_ENT] = "Convention de formation au déploiement de l’ENT",
    [REQUEST_KIND_PAF] = "Dispositif du plan académique de formation (PAF)",
    [REQUEST_KIND_PREP_CONCOURS] = "Préparation aux concours et aux certifications",
};

static const char *const kind_shorts[REQUEST_KIND_COUNT] = {
    [REQUEST_KIND_FIL] = "FIL", [REQUEST_KIND_ALP_IDG] = "ALP IDG",
    [REQUEST_KIND_ANT] = "ANT", [REQUEST_KIND_ALD] = "ALD",
    [REQUEST_KIND_FI] = "FI",   [REQUEST_KIND_ENT] = "ENT",
    [REQUEST_KIND_PAF] = "PAF", [REQUEST_KIND_PREP_CONCOURS] = "préparation aux concours",
};

const struct dispositif *dispositif_list(size_t *count)
{
    if (count)
        *count = CATALOGUE_LEN;
    return catalogue;
}

const struct dispositif *dispositif_find(const char *code)
{
    if (!code)
        return NULL;
    for (size_t i = 0; i < CATALOGUE_LEN; i++)
        if (strcmp(catalogue[i].code, code) == 0)
            return &catalogue[i];
    return NULL;
}

const struct dispositif *dispositif_by_number(int n)
{
    if (n < 1 || n > DISPOSITIF_FC_COUNT)
        return NULL;
    /* The FC dispositifs open the array in number order (checked by the unit tests). */
    return &catalogue[n - 1];
}

const char *dispositif_lead_code(enum dispositif_lead l)
{
    if ((int)l < 0 || l >= DISPOSITIF_LEAD_COUNT)
        return NULL;
    return lead_codes[l];
}

const char *dispositif_lead_label(enum dispositif_lead l)
{
    if ((int)l < 0 || l >= DISPOSITIF_LEAD_COUNT)
        return "";
    return lead_labels[l];
}

const char *request_kind_code(enum request_kind k)
{
    if ((int)k < 0 || k >= REQUEST_KIND_COUNT)
        return NULL;
    return kind_codes[k];
}

const char *request_kind_label(enum request_kind k)
{
    if ((int)k < 0 || k >= REQUEST_KIND_COUNT)
        return "";
    return kind_labels[k];
}

const char *request_kind_short(enum request_kind k)
{
    if ((int)k < 0 || k >= REQUEST_KIND_COUNT)
        return "";
    return kind_shorts[k];
}

enum request_kind request_kind_parse(const char *code)
{
    if (!code)
        return REQUEST_KIND_COUNT;
    for (int k = 0; k < REQUEST_KIND_COUNT; k++)
        if (strcmp(kind_codes[k], code) == 0)
            return (enum request_kind)k;
    return REQUEST_KIND_COUNT;
}
