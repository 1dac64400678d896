/*
 * The entities of the bureau des stages (seed 004 §3 d): periods of the continuum of
 * professionalisation (L2/L3 pre-professionalisation, M1, M2 with a stage filé or massé),
 * internship places (a class of a school or establishment with its tutor) and the students who
 * rank them. Pure data and validation: the app layer checks references (establishment UAI,
 * discipline code, accounts) against the store.
 */
#ifndef DOMAIN_INTERNSHIP_H
#define DOMAIN_INTERNSHIP_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/trainer.h" /* struct field_errors */

#define INTERNSHIP_MAX_WISHES 30

struct internship_period {
    int64_t id;
    char code[41]; /* "2026-m2-file": a-z 0-9 - */
    char label[201];
    char cohort[3];     /* L2, L3, M1, M2 */
    char kind[8];       /* preprof, file, masse */
    char starts_on[11]; /* AAAA-MM-JJ */
    char ends_on[11];
    int64_t wishes_open_at; /* Unix times: the wishes window */
    int64_t wishes_close_at;
    int max_wishes;
};

struct internship_place {
    int64_t id;
    int64_t period_id;
    char code[41]; /* unique in the period */
    char establishment_uai[9];
    char class_level[41]; /* "CM1", "5e", "Seconde"… */
    char tutor_name[121];
    char tutor_email[121];
    char tutor_login[65]; /* optional: the tutor's account, who then sees their trainees */
    int capacity;         /* 0..50 */
    char degree[3];       /* 1D, 2D */
    char discipline[41];
    char site[8]; /* ain, loire, rhone */
};

struct internship_student {
    int64_t id;
    int64_t period_id;
    char code[41];  /* student number, unique in the period */
    char login[65]; /* optional: the student's account, who then ranks their wishes */
    char last_name[121];
    char first_name[121];
    char email[121];
    char degree[3];
    char discipline[41];
    char site[8];
    int priority; /* 0..1000: higher first (situations prioritaires) */
};

extern const char *const internship_cohort_codes[]; /* NULL-terminated */
extern const char *const internship_kind_codes[];

const char *internship_cohort_label(const char *code); /* "M2 MEEF"; NULL if unknown */
const char *internship_kind_label(const char *code);   /* "stage filé"; NULL if unknown */

/* Each returns the number of errors added to errs (field names are the struct's). */
int internship_period_validate(const struct internship_period *p, struct field_errors *errs);
int internship_place_validate(const struct internship_place *p, struct field_errors *errs);
int internship_student_validate(const struct internship_student *s, struct field_errors *errs);

/* True when a student of this degree and discipline may be placed in that place. */
bool internship_compatible(const char *student_degree, const char *student_discipline,
                           const char *place_degree, const char *place_discipline);

#endif
