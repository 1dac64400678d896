/* Validation of the bureau des stages' entities (internship.h). */
#include "domain/internship.h"

#include <string.h>

#include "core/utf8.h"

const char *const internship_cohort_codes[] = {"L2", "L3", "M1", "M2", NULL};
const char *const internship_kind_codes[] = {"preprof", "file", "masse", NULL};

static int index_of(const char *const *list, const char *s)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return i;
    return -1;
}

const char *internship_cohort_label(const char *code)
{
    static const char *const labels[] = {"L2 (préprofessionnalisation)",
                                         "L3 (préprofessionnalisation)", "M1 MEEF", "M2 MEEF"};
    int i = index_of(internship_cohort_codes, code);
    return i < 0 ? NULL : labels[i];
}

const char *internship_kind_label(const char *code)
{
    static const char *const labels[] = {"stage de préprofessionnalisation", "stage filé",
                                         "stage massé"};
    int i = index_of(internship_kind_codes, code);
    return i < 0 ? NULL : labels[i];
}

/* A required text of 1..max characters, valid UTF-8 without control characters. */
static void check_text(struct field_errors *errs, const char *field, const char *label,
                       const char *v, size_t max, bool required)
{
    size_t len = strlen(v);
    if (!utf8_valid(v, len)) {
        field_errors_add(errs, field, "%s : texte invalide (UTF-8 attendu).", label);
        return;
    }
    for (const char *c = v; *c; c++)
        if ((unsigned char)*c < 0x20) {
            field_errors_add(errs, field, "%s : caractère de contrôle interdit.", label);
            return;
        }
    if (required && len == 0)
        field_errors_add(errs, field, "%s : obligatoire.", label);
    else if (utf8_length(v, len) > max)
        field_errors_add(errs, field, "%s : %zu caractères au plus.", label, max);
}

static bool code_chars(const char *s)
{
    if (!*s)
        return false;
    for (const char *c = s; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '-' || *c == '_' || *c == '.'))
            return false;
    return true;
}

static bool iso_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int month = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

int internship_period_validate(const struct internship_period *p, struct field_errors *errs)
{
    int before = errs->count;
    if (!code_chars(p->code) || strlen(p->code) > 40)
        field_errors_add(errs, "code",
                         "Code : 1 à 40 lettres sans accent, chiffres, « - », « _ » ou « . ».");
    check_text(errs, "label", "Intitulé", p->label, 200, true);
    if (index_of(internship_cohort_codes, p->cohort) < 0)
        field_errors_add(errs, "cohort", "Cohorte : L2, L3, M1 ou M2 attendu.");
    if (index_of(internship_kind_codes, p->kind) < 0)
        field_errors_add(errs, "kind", "Type de stage : préprofessionnalisation, filé ou massé.");
    if (!iso_date(p->starts_on))
        field_errors_add(errs, "starts_on", "Début : date JJ/MM/AAAA attendue.");
    if (!iso_date(p->ends_on))
        field_errors_add(errs, "ends_on", "Fin : date JJ/MM/AAAA attendue.");
    else if (iso_date(p->starts_on) && strcmp(p->ends_on, p->starts_on) < 0)
        field_errors_add(errs, "ends_on", "Fin : postérieure au début attendue.");
    if (p->wishes_close_at <= p->wishes_open_at)
        field_errors_add(errs, "wishes_close_at",
                         "Clôture des vœux : postérieure à leur ouverture attendue.");
    if (p->max_wishes < 1 || p->max_wishes > INTERNSHIP_MAX_WISHES)
        field_errors_add(errs, "max_wishes", "Nombre de vœux : de 1 à %d.", INTERNSHIP_MAX_WISHES);
    return errs->count - before;
}

static void check_common(struct field_errors *errs, const char *code, const char *degree,
                         const char *discipline, const char *site)
{
    if (!code_chars(code) || strlen(code) > 40)
        field_errors_add(errs, "code",
                         "Code : 1 à 40 lettres sans accent, chiffres, « - », « _ » ou « . ».");
    if (strcmp(degree, "1D") != 0 && strcmp(degree, "2D") != 0)
        field_errors_add(errs, "degree", "Degré : 1D ou 2D attendu.");
    if (!*discipline)
        field_errors_add(errs, "discipline", "Discipline : obligatoire.");
    if (!trainer_site_valid(site))
        field_errors_add(errs, "site", "Site : Ain, Loire ou Rhône attendu.");
}

int internship_place_validate(const struct internship_place *p, struct field_errors *errs)
{
    int before = errs->count;
    check_common(errs, p->code, p->degree, p->discipline, p->site);
    if (strlen(p->establishment_uai) != 8)
        field_errors_add(errs, "establishment", "Établissement : numéro UAI à 8 caractères.");
    check_text(errs, "class_level", "Niveau de classe", p->class_level, 40, true);
    check_text(errs, "tutor_name", "Tuteur", p->tutor_name, 120, true);
    check_text(errs, "tutor_email", "Courriel du tuteur", p->tutor_email, 120, false);
    if (*p->tutor_email && !strchr(p->tutor_email, '@'))
        field_errors_add(errs, "tutor_email", "Courriel du tuteur : adresse invalide.");
    if (p->capacity < 0 || p->capacity > 50)
        field_errors_add(errs, "capacity", "Capacité : de 0 à 50 stagiaires.");
    return errs->count - before;
}

int internship_student_validate(const struct internship_student *s, struct field_errors *errs)
{
    int before = errs->count;
    check_common(errs, s->code, s->degree, s->discipline, s->site);
    check_text(errs, "last_name", "Nom", s->last_name, 120, true);
    check_text(errs, "first_name", "Prénom", s->first_name, 120, true);
    check_text(errs, "email", "Courriel", s->email, 120, false);
    if (*s->email && !strchr(s->email, '@'))
        field_errors_add(errs, "email", "Courriel : adresse invalide.");
    if (s->priority < 0 || s->priority > 1000)
        field_errors_add(errs, "priority", "Priorité : de 0 à 1000.");
    return errs->count - before;
}

bool internship_compatible(const char *student_degree, const char *student_discipline,
                           const char *place_degree, const char *place_discipline)
{
    return strcmp(student_degree, place_degree) == 0 &&
           strcmp(student_discipline, place_discipline) == 0;
}
