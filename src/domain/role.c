/* Role codes, labels and the capability table (SPEC.md "Who uses it"). */
#include "domain/role.h"

#include <string.h>

static const char *const codes[ROLE_COUNT] = {
    [ROLE_NONE] = NULL,
    [ROLE_COORDINATOR] = "coordinator",
    [ROLE_PILOT] = "pilot",
    [ROLE_STEERING] = "steering",
    [ROLE_INSPECTOR] = "inspector",
    [ROLE_REQUESTER] = "requester",
    [ROLE_PARCOURS_MANAGER] = "parcours_manager",
    [ROLE_TRAINER] = "trainer",
    [ROLE_PLACEMENT_OFFICE] = "placement_office",
    [ROLE_STUDENT] = "student",
    [ROLE_FOLLOWUP_REFERENT] = "followup_referent",
    [ROLE_ADMIN] = "admin",
    [ROLE_RESEARCH] = "research",
};

static const char *const labels[ROLE_COUNT] = {
    [ROLE_NONE] = "aucun",
    [ROLE_COORDINATOR] = "Équipe de coordination",
    [ROLE_PILOT] = "Pilote de collectif",
    [ROLE_STEERING] = "Comité de pilotage",
    [ROLE_INSPECTOR] = "Inspecteur (IA-IPR, IEN)",
    [ROLE_REQUESTER] = "Chef d’établissement / IEN de circonscription",
    [ROLE_PARCOURS_MANAGER] = "Responsable de parcours",
    [ROLE_TRAINER] = "Formateur",
    [ROLE_PLACEMENT_OFFICE] = "Bureau des stages",
    [ROLE_STUDENT] = "Étudiant MEEF",
    [ROLE_FOLLOWUP_REFERENT] = "Référent de suivi",
    [ROLE_ADMIN] = "Administrateur",
    [ROLE_RESEARCH] = "Cellule recherche/terrain",
};

static const char *const scope_codes[SCOPE_COUNT] = {
    [SCOPE_NONE] = "none",
    [SCOPE_ESTABLISHMENT] = "establishment",
    [SCOPE_CIRCONSCRIPTION] = "circonscription",
    [SCOPE_SITE] = "site",
    [SCOPE_PARCOURS] = "parcours",
    [SCOPE_SELF] = "self",
};

static const char *const scope_labels[SCOPE_COUNT] = {
    [SCOPE_NONE] = "académie",
    [SCOPE_ESTABLISHMENT] = "établissement",
    [SCOPE_CIRCONSCRIPTION] = "circonscription",
    [SCOPE_SITE] = "site",
    [SCOPE_PARCOURS] = "parcours",
    [SCOPE_SELF] = "soi-même",
};

#define BIT(r) (1u << (r))

/* Which roles hold each capability. The map of competences is read by everyone who staffs or
 * validates training; trainers read it too (they find co-animators), students do not. */
static const unsigned caps[CAP_COUNT] = {
    [CAP_TRAINER_SEARCH] = BIT(ROLE_COORDINATOR) | BIT(ROLE_PILOT) | BIT(ROLE_STEERING) |
                           BIT(ROLE_INSPECTOR) | BIT(ROLE_REQUESTER) | BIT(ROLE_PARCOURS_MANAGER) |
                           BIT(ROLE_TRAINER) | BIT(ROLE_ADMIN) | BIT(ROLE_RESEARCH),
    [CAP_TRAINER_EDIT_ANY] = BIT(ROLE_COORDINATOR) | BIT(ROLE_ADMIN),
    [CAP_COMPETENCE_DECIDE] = BIT(ROLE_INSPECTOR) | BIT(ROLE_PILOT),
    [CAP_AUDIT_READ] = BIT(ROLE_COORDINATOR) | BIT(ROLE_ADMIN),
    [CAP_USER_ADMIN] = BIT(ROLE_ADMIN),
    [CAP_TRAINER_IMPORT] = BIT(ROLE_COORDINATOR) | BIT(ROLE_ADMIN),
    /* The bureau des stages runs the placement (seed 004 §3 d); students, tutors and heads of
     * establishment see only their own part, through scope checks in app/placement.c. */
    [CAP_PLACEMENT_MANAGE] = BIT(ROLE_PLACEMENT_OFFICE) | BIT(ROLE_ADMIN),
    [CAP_PLACEMENT_READ] =
        BIT(ROLE_PLACEMENT_OFFICE) | BIT(ROLE_ADMIN) | BIT(ROLE_COORDINATOR) | BIT(ROLE_STEERING),
};

const char *role_code(enum role r)
{
    if ((int)r <= ROLE_NONE || r >= ROLE_COUNT)
        return NULL;
    return codes[r];
}

const char *role_label(enum role r)
{
    if ((int)r < ROLE_NONE || r >= ROLE_COUNT)
        return labels[ROLE_NONE];
    return labels[r];
}

enum role role_parse(const char *code)
{
    if (!code)
        return ROLE_NONE;
    for (int r = ROLE_NONE + 1; r < ROLE_COUNT; r++)
        if (strcmp(codes[r], code) == 0)
            return (enum role)r;
    return ROLE_NONE;
}

const char *scope_code(enum scope_kind s)
{
    if ((int)s < 0 || s >= SCOPE_COUNT)
        return NULL;
    return scope_codes[s];
}

const char *scope_label(enum scope_kind s)
{
    if ((int)s < 0 || s >= SCOPE_COUNT)
        return "";
    return scope_labels[s];
}

enum scope_kind scope_parse(const char *code)
{
    if (!code)
        return SCOPE_COUNT;
    for (int s = 0; s < SCOPE_COUNT; s++)
        if (strcmp(scope_codes[s], code) == 0)
            return (enum scope_kind)s;
    return SCOPE_COUNT;
}

bool role_can(enum role r, enum capability c)
{
    if ((int)r <= ROLE_NONE || r >= ROLE_COUNT || (int)c < 0 || c >= CAP_COUNT)
        return false;
    return (caps[c] & BIT(r)) != 0;
}
