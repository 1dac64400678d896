/*
 * The roles of SPEC.md ("Who uses it") and what each may do. Pure data and pure functions: the
 * app layer asks role_can() before every use case, then checks the scope of the object itself.
 */
#ifndef DOMAIN_ROLE_H
#define DOMAIN_ROLE_H

#include <stdbool.h>
#include <stddef.h>

enum role {
    ROLE_NONE = 0,
    ROLE_COORDINATOR,
    ROLE_PILOT,
    ROLE_STEERING,
    ROLE_INSPECTOR,
    ROLE_REQUESTER,
    ROLE_PARCOURS_MANAGER,
    ROLE_TRAINER,
    ROLE_PLACEMENT_OFFICE,
    ROLE_STUDENT,
    ROLE_FOLLOWUP_REFERENT,
    ROLE_ADMIN,
    ROLE_RESEARCH,
    ROLE_COUNT
};

/* Scope kinds: what part of the académie a user's role applies to. */
enum scope_kind {
    SCOPE_NONE = 0,        /* the whole académie */
    SCOPE_ESTABLISHMENT,   /* one establishment, by UAI */
    SCOPE_CIRCONSCRIPTION, /* one circonscription, by code */
    SCOPE_SITE,            /* one site: ain, loire, rhone */
    SCOPE_PARCOURS,        /* one MEEF parcours, by code */
    SCOPE_SELF,            /* only what is theirs (a trainer, a student) */
    SCOPE_COUNT
};

enum capability {
    CAP_TRAINER_SEARCH,    /* search the map of competences, read profiles */
    CAP_TRAINER_EDIT_ANY,  /* edit any trainer's profile (référentiel upkeep) */
    CAP_COMPETENCE_DECIDE, /* validate or refuse a declared competence */
    CAP_AUDIT_READ,        /* read the audit log */
    CAP_USER_ADMIN,        /* manage accounts */
    CAP_TRAINER_IMPORT,    /* import and export trainers */
    CAP_PLACEMENT_MANAGE,  /* internship periods, places, students, runs, adjustments */
    CAP_PLACEMENT_READ,    /* read every placement (dashboards, steering) */
    CAP_COUNT
};

/* The role's code ("coordinator"...), or NULL for an out-of-range value. */
const char *role_code(enum role r);
/* The role's French label ("Équipe de coordination"...). */
const char *role_label(enum role r);
/* Parses a code; ROLE_NONE if unknown. */
enum role role_parse(const char *code);

const char *scope_code(enum scope_kind s);
enum scope_kind scope_parse(const char *code); /* SCOPE_COUNT if unknown */
/* French label of a scope kind ("établissement"...). */
const char *scope_label(enum scope_kind s);

bool role_can(enum role r, enum capability c);

#endif
