/*
 * The catalogue of dispositifs the Pôle de professionnalisation handles requests for (seed 004
 * §2 "Périmètre du Pôle" and Annexe 1), and the request kinds of issue 5 they map to. Pure
 * constant data: the 17 FC dispositifs of the Plan académique de formation, numbered and worded
 * as 004 Annexe 1 lists them, each with its maître d'œuvre; the FI perimeter of 004 §2 a; and the
 * two kinds that come from other académies' seeds, ANT (000, Créteil) and the ENT convention
 * (002, Toulouse).
 *
 * Which kind a request of each dispositif is filed as:
 *   fil            n°7  Formations d'Initiative Locale (FIL)
 *   alp_idg        n°8  Actions locales prioritaires interdegrés (ALP interdegrés; seed 001)
 *   ald            n°9  Actions locales disciplinaires (ALD; maître d'œuvre: the Pôle)
 *   prep_concours  n°12 Préparation aux concours internes, n°13 Préparation aux certifications
 *   paf            every other numbered dispositif: n°1-6, 10, 11, 14-17 (n°16, the AED in
 *                  pre-professionalisation, has the Pôle as maître d'œuvre)
 *   fi             the FI perimeter of 004 §2 a: MEEF masters, DU, pre-professionalisation,
 *                  formation de formateurs (number 0: outside the PAF list)
 *   ant            aides négociées de territoire (seed 000; number 0)
 *   ent            ENT deployment training convention (seed 002; number 0)
 */
#ifndef DOMAIN_DISPOSITIF_H
#define DOMAIN_DISPOSITIF_H

#include <stdbool.h>
#include <stddef.h>

/* The request kinds, codes of the store and the API: fil, alp_idg, ant, ald, fi, ent, paf,
 * prep_concours. */
enum request_kind {
    REQUEST_KIND_FIL,
    REQUEST_KIND_ALP_IDG,
    REQUEST_KIND_ANT,
    REQUEST_KIND_ALD,
    REQUEST_KIND_FI,
    REQUEST_KIND_ENT,
    REQUEST_KIND_PAF,
    REQUEST_KIND_PREP_CONCOURS,
    REQUEST_KIND_COUNT
};

/* Formation continue or formation initiale (004 §2 b and §2 a). */
enum dispositif_field { DISPOSITIF_FC, DISPOSITIF_FI };

/* The maître d'œuvre: who designs and runs the dispositif's actions. */
enum dispositif_lead {
    DISPOSITIF_LEAD_RECTORAT,   /* 004 §2 b: the rule for FC dispositifs */
    DISPOSITIF_LEAD_POLE,       /* ALD (n°9) and AED (n°16) */
    DISPOSITIF_LEAD_UNIVERSITY, /* the FI perimeter: the Inspé and its universities */
    DISPOSITIF_LEAD_COUNT
};

#define DISPOSITIF_FC_COUNT 17 /* numbered 1 to 17 in 004 Annexe 1 */

struct dispositif {
    int number;        /* 1..17: its number in 004 Annexe 1; 0 outside the PAF list */
    const char *code;  /* stable code for the store and the API: "fil", "aed_prepro"... */
    const char *label; /* French, worded as the seed words it */
    enum dispositif_field field;
    enum dispositif_lead lead;
    enum request_kind kind; /* the kind a request for this dispositif is filed as */
};

/* The whole catalogue, a static array (nobody frees it): the 17 FC dispositifs in their
 * number order, then the FI perimeter, then ANT and the ENT convention. *count (when not NULL) gets
 * its length. */
const struct dispositif *dispositif_list(size_t *count);

/* The entry with that code, or NULL (also for NULL). */
const struct dispositif *dispositif_find(const char *code);

/* The FC dispositif numbered n in 004 Annexe 1 (1..17), or NULL. */
const struct dispositif *dispositif_by_number(int n);

/* "rectorat", "pole", "university"; NULL out of range. */
const char *dispositif_lead_code(enum dispositif_lead l);
/* "Rectorat", "Pôle de professionnalisation", "Inspé et universités"; "" out of range. */
const char *dispositif_lead_label(enum dispositif_lead l);

/* The kind's code ("alp_idg"), or NULL out of range. */
const char *request_kind_code(enum request_kind k);
/* The kind's French label ("Action locale prioritaire interdegrés (ALP IDG)"); "" out of
 * range. */
const char *request_kind_label(enum request_kind k);
/* Its short French name for lists and messages ("ALP IDG"); "" out of range. */
const char *request_kind_short(enum request_kind k);
/* Parses a kind's code; REQUEST_KIND_COUNT if unknown or NULL. */
enum request_kind request_kind_parse(const char *code);

#endif
