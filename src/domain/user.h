/*
 * An account: who acts. Its role says what kind of thing it may do (role.h), its scope which
 * part of the académie (an establishment, a circonscription, a site, a parcours, or only what is
 * its own), and trainer_id links a trainer's account to their profile.
 */
#ifndef DOMAIN_USER_H
#define DOMAIN_USER_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/role.h"

struct user {
    int64_t id;
    char login[65];
    char display_name[121];
    enum role role;
    enum scope_kind scope_kind;
    char scope_value[65];
    int64_t trainer_id; /* 0 unless the account is a trainer's */
    bool disabled;
};

#endif
