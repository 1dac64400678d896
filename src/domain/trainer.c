/* Validation rules and closed lists of the map of trainers' competences (seed 004, Annexe 4 d). */
#include "domain/trainer.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/err.h"
#include "core/utf8.h"

const char *const trainer_degree_codes[] = {"1D", "2D", "SUP", NULL};
const char *const trainer_site_codes[] = {"ain", "loire", "rhone", NULL};
const char *const trainer_corps_codes[] = {"pemf",
                                           "formateur_academique",
                                           "cpc",
                                           "cpd",
                                           "enseignant_chercheur",
                                           "prag",
                                           "prce",
                                           "professeur_ecoles",
                                           "certifie",
                                           "agrege",
                                           "cpe",
                                           "psy_en",
                                           "doctorant",
                                           NULL};

static const char *const corps_labels[] = {
    "PEMF (professeur des écoles maître formateur)",
    "Formateur académique",
    "CPC (conseiller pédagogique de circonscription)",
    "CPD (conseiller pédagogique départemental)",
    "Enseignant-chercheur",
    "PRAG (professeur agrégé affecté dans le supérieur)",
    "PRCE (professeur certifié affecté dans le supérieur)",
    "Professeur des écoles",
    "Professeur certifié",
    "Professeur agrégé",
    "CPE (conseiller principal d’éducation)",
    "Psychologue de l’Éducation nationale",
    "Doctorant",
};

const char *const weekday_names[6] = {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"};

void field_errors_add(struct field_errors *errs, const char *field, const char *fmt, ...)
{
    if (errs->count >= (int)(sizeof errs->items / sizeof errs->items[0]))
        return;
    struct field_error *e = &errs->items[errs->count++];
    snprintf(e->field, sizeof e->field, "%s", field);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    if (n < 0)
        e->message[0] = '\0';
}

static int index_of(const char *const *list, const char *s)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return i;
    return -1;
}

bool trainer_degree_valid(const char *s)
{
    return index_of(trainer_degree_codes, s) >= 0;
}

bool trainer_site_valid(const char *s)
{
    return index_of(trainer_site_codes, s) >= 0;
}

const char *trainer_site_label(const char *code)
{
    static const char *const labels[] = {"Ain", "Loire", "Rhône"};
    int i = index_of(trainer_site_codes, code);
    return i < 0 ? NULL : labels[i];
}

const char *trainer_corps_label(const char *code)
{
    int i = index_of(trainer_corps_codes, code);
    return i < 0 ? NULL : corps_labels[i];
}

const char *trainer_degree_label(const char *code)
{
    static const char *const labels[] = {"1er degré", "2nd degré", "Supérieur"};
    int i = index_of(trainer_degree_codes, code);
    return i < 0 ? NULL : labels[i];
}

/* A text field: valid UTF-8, no control characters, between min and max code points. */
static void check_text(struct field_errors *errs, const char *field, const char *label,
                       const char *s, size_t min, size_t max)
{
    size_t len = strlen(s);
    if (!utf8_valid(s, len)) {
        field_errors_add(errs, field, "%s : le texte n’est pas en UTF-8 valide.", label);
        return;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f) {
            field_errors_add(errs, field, "%s : caractère de contrôle interdit.", label);
            return;
        }
    }
    size_t n = utf8_length(s, len);
    if (n < min)
        field_errors_add(errs, field, "%s : champ obligatoire.", label);
    else if (n > max)
        field_errors_add(errs, field, "%s : %zu caractères au plus (%zu saisis).", label, max, n);
}

int trainer_validate(const struct trainer *t, struct field_errors *errs)
{
    int before = errs->count;
    check_text(errs, "last_name", "Nom", t->last_name, 1, TRAINER_NAME_MAX);
    check_text(errs, "first_name", "Prénom", t->first_name, 1, TRAINER_NAME_MAX);
    check_text(errs, "email", "Courriel", t->email, 0, TRAINER_EMAIL_MAX);
    if (t->email[0] && (!strchr(t->email, '@') || strchr(t->email, ' ')))
        field_errors_add(errs, "email", "Courriel : adresse invalide « %.80s ».", t->email);
    check_text(errs, "bio", "Présentation", t->bio, 0, TRAINER_BIO_MAX);
    if (!t->institution[0])
        field_errors_add(errs, "institution", "Institution : champ obligatoire.");
    if (!trainer_corps_label(t->corps))
        field_errors_add(errs, "corps", "Corps : valeur inconnue « %.40s ».", t->corps);
    if (!trainer_degree_valid(t->degree))
        field_errors_add(errs, "degree", "Degré : 1D, 2D ou SUP attendu, pas « %.10s ».",
                         t->degree);
    if (!t->discipline[0])
        field_errors_add(errs, "discipline", "Discipline : champ obligatoire.");
    if (!trainer_site_valid(t->site))
        field_errors_add(errs, "site", "Site : Ain, Loire ou Rhône attendu, pas « %.40s ».",
                         t->site);
    if (t->weekdays & ~(unsigned)WEEKDAY_ALL)
        field_errors_add(errs, "weekdays", "Jours disponibles : jour inconnu.");
    if (t->hours_quota < 0 || t->hours_quota > TRAINER_QUOTA_MAX)
        field_errors_add(errs, "hours_quota",
                         "Quota d’heures annuel : entre 0 et %d heures, pas %d.", TRAINER_QUOTA_MAX,
                         t->hours_quota);
    return errs->count - before;
}

int weekdays_parse(const char *s, size_t len)
{
    unsigned bits = 0;
    size_t i = 0;
    while (i < len) {
        while (i < len && (s[i] == ',' || s[i] == ' ' || s[i] == '|'))
            i++;
        size_t start = i;
        while (i < len && s[i] != ',' && s[i] != ' ' && s[i] != '|')
            i++;
        size_t n = i - start;
        if (n == 0)
            continue;
        int found = -1;
        for (int d = 0; d < 6 && found < 0; d++) {
            size_t dl = strlen(weekday_names[d]);
            if ((n == dl || n == 3) && n <= dl && strncasecmp(s + start, weekday_names[d], n) == 0)
                found = d;
            if (n == 1 && s[start] == (char)('1' + d))
                found = d;
        }
        if (found < 0)
            return -1;
        bits |= 1u << found;
    }
    return (int)bits;
}

int weekdays_format(unsigned bits, char *out, size_t n)
{
    size_t used = 0;
    if (n == 0)
        return ERR_TOOBIG;
    out[0] = '\0';
    for (int d = 0; d < 6; d++) {
        if (!(bits & (1u << d)))
            continue;
        int w = snprintf(out + used, n - used, "%s%s", used ? ", " : "", weekday_names[d]);
        if (w < 0 || (size_t)w >= n - used)
            return ERR_TOOBIG;
        used += (size_t)w;
    }
    return 0;
}

const char *competence_state_code(enum competence_state s)
{
    switch (s) {
    case COMPETENCE_DECLARED:
        return "declared";
    case COMPETENCE_VALIDATED:
        return "validated";
    case COMPETENCE_REFUSED:
        return "refused";
    }
    return "declared";
}

const char *competence_state_label(enum competence_state s)
{
    switch (s) {
    case COMPETENCE_DECLARED:
        return "déclarée";
    case COMPETENCE_VALIDATED:
        return "validée";
    case COMPETENCE_REFUSED:
        return "refusée";
    }
    return "déclarée";
}

int competence_state_parse(const char *s)
{
    if (strcmp(s, "declared") == 0)
        return COMPETENCE_DECLARED;
    if (strcmp(s, "validated") == 0)
        return COMPETENCE_VALIDATED;
    if (strcmp(s, "refused") == 0)
        return COMPETENCE_REFUSED;
    return -1;
}

const char *competence_level_label(int level)
{
    static const char *const labels[] = {"notions", "pratique", "confirmé", "expert"};
    if (level < 1 || level > 4)
        return NULL;
    return labels[level - 1];
}

int competence_decide_check(enum competence_state from, enum competence_state to,
                            const char *reason, char *msg, size_t msg_len)
{
    if (from != COMPETENCE_DECLARED) {
        snprintf(msg, msg_len, "Cette compétence a déjà été %s : elle ne peut plus être décidée.",
                 competence_state_label(from));
        return ERR_CONFLICT;
    }
    if (to != COMPETENCE_VALIDATED && to != COMPETENCE_REFUSED) {
        snprintf(msg, msg_len, "Décision inconnue : valider ou refuser.");
        return ERR_INVAL;
    }
    if (to == COMPETENCE_REFUSED) {
        size_t n = reason ? utf8_length(reason, strlen(reason)) : 0;
        if (reason && !utf8_valid(reason, strlen(reason))) {
            snprintf(msg, msg_len, "Motif du refus : le texte n’est pas en UTF-8 valide.");
            return ERR_INVAL;
        }
        if (n < 3 || n > 500) {
            snprintf(msg, msg_len, "Motif du refus : obligatoire, de 3 à 500 caractères.");
            return ERR_INVAL;
        }
    }
    return 0;
}
