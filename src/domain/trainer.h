/*
 * The map of trainers' competences (seed 004, Annexe 4 d): a trainer's identity and availability,
 * their competences with a level and a validation state, and the rules that check them. Pure
 * functions over plain structs; no I/O.
 */
#ifndef DOMAIN_TRAINER_H
#define DOMAIN_TRAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TRAINER_NAME_MAX  80
#define TRAINER_EMAIL_MAX 120
#define TRAINER_CODE_MAX  40
#define TRAINER_BIO_MAX   2000
#define TRAINER_QUOTA_MAX 2000 /* hours a year: far above any real service */

/* Weekdays available for training, as bits: bit 0 Monday … bit 4 Friday, bit 5 Saturday. */
enum { WEEKDAY_ALL = 0x3f };

struct trainer {
    int64_t id;
    char last_name[TRAINER_NAME_MAX + 1];
    char first_name[TRAINER_NAME_MAX + 1];
    char email[TRAINER_EMAIL_MAX + 1];
    char institution[TRAINER_CODE_MAX + 1]; /* institution code */
    char corps[TRAINER_CODE_MAX + 1];       /* corps code, see trainer_corps_label */
    char degree[4];                         /* 1D, 2D or SUP */
    char discipline[TRAINER_CODE_MAX + 1];  /* discipline code */
    char site[TRAINER_CODE_MAX + 1];        /* ain, loire, rhone */
    unsigned weekdays;
    int hours_quota;
    char bio[TRAINER_BIO_MAX + 1];
};

/* Validation states of a trainer's competence: declared by the trainer, then decided by an
 * inspector or a collectif pilot. */
enum competence_state { COMPETENCE_DECLARED, COMPETENCE_VALIDATED, COMPETENCE_REFUSED };

/* One problem found in an input: the field (form name or JSON path) and a French message. */
struct field_error {
    char field[48];
    char message[200];
};

struct field_errors {
    struct field_error items[32];
    int count;
};

/* Adds an error (silently ignored past 32: the first ones are the useful ones). */
void field_errors_add(struct field_errors *errs, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Checks lengths, UTF-8, and the closed lists (degree, site, corps, weekdays, quota). Codes of
 * institutions and disciplines are checked against the référentiels by the caller. Returns the
 * number of errors added. */
int trainer_validate(const struct trainer *t, struct field_errors *errs);

bool trainer_degree_valid(const char *s);
bool trainer_site_valid(const char *s);
const char *trainer_site_label(const char *code); /* "Rhône"; NULL if unknown */
const char *
trainer_corps_label(const char *code); /* "PEMF (professeur des écoles maître formateur)" */
const char *trainer_degree_label(const char *code); /* "1er degré" */

/* The closed lists, NULL-terminated, for forms and demo data. */
extern const char *const trainer_corps_codes[];
extern const char *const trainer_site_codes[];
extern const char *const trainer_degree_codes[];

/* French day names, index 0 = Monday ("lundi"). */
extern const char *const weekday_names[6];
/* Parses "lundi,mardi" or "lun,mar" or "1,2" (Monday = 1) into bits; -1 if a part is unknown. */
int weekdays_parse(const char *s, size_t len);
/* Writes "lundi, mardi" into out (size n); returns 0 or ERR_TOOBIG. */
int weekdays_format(unsigned bits, char *out, size_t n);

const char *competence_state_code(enum competence_state s);  /* declared, validated, refused */
const char *competence_state_label(enum competence_state s); /* déclarée, validée, refusée */
int competence_state_parse(const char *s);                   /* -1 if unknown */
const char *competence_level_label(int level); /* 1..4: "notions" … "expert"; NULL otherwise */

/* Decision rules: only a declared competence can be decided, and a refusal needs a reason of
 * 3 to 500 characters. Returns 0 or ERR_CONFLICT / ERR_INVAL with a French message in msg. */
int competence_decide_check(enum competence_state from, enum competence_state to,
                            const char *reason, char *msg, size_t msg_len);

#endif
