/* The route table and its matcher (see routes.h). */
#include "http/routes.h"

#include <string.h>

#include "core/timeutil.h"

const struct route routes[] = {
    {"GET", "/healthz", AUTH_PUBLIC, -1, 0, http_healthz, 0},
    {"GET", "/", AUTH_PAGE, -1, 0, page_home, 0},
    {"GET", "/connexion", AUTH_PUBLIC, -1, 0, page_login_form, 0},
    {"POST", "/connexion", AUTH_PUBLIC, -1, 0, page_login, 0},
    {"POST", "/deconnexion", AUTH_PAGE, -1, 0, page_logout, 0},
    {"GET", "/journal", AUTH_PAGE, CAP_AUDIT_READ, 0, page_audit, 0},
    {"GET", "/formateurs", AUTH_PAGE, CAP_TRAINER_SEARCH, 0, page_trainers, 0},
    {"GET", "/formateurs/import", AUTH_PAGE, CAP_TRAINER_IMPORT, 0, page_import_form, 0},
    {"POST", "/formateurs/import", AUTH_PAGE, CAP_TRAINER_IMPORT, 16u << 20, page_import,
     ROUTE_MULTIPART},
    {"GET", "/formateurs/export.csv", AUTH_PAGE, CAP_TRAINER_IMPORT, 0, page_export_csv, 0},
    {"GET", "/formateurs/{id}", AUTH_PAGE, CAP_TRAINER_SEARCH, 0, page_trainer, 0},
    {"GET", "/formateurs/{id}/modifier", AUTH_PAGE, -1, 0, page_trainer_edit_form, 0},
    {"POST", "/formateurs/{id}/modifier", AUTH_PAGE, -1, 0, page_trainer_edit, 0},
    {"POST", "/formateurs/{id}/competences", AUTH_PAGE, -1, 0, page_trainer_declare, 0},
    {"POST", "/formateurs/{id}/competences/{id}/decision", AUTH_PAGE, CAP_COMPETENCE_DECIDE, 0,
     page_decide, 0},
    {"POST", "/formateurs/{id}/competences/{id}/retrait", AUTH_PAGE, -1, 0,
     page_competence_withdraw, 0},
    {"POST", "/formateurs/{id}/experiences", AUTH_PAGE, -1, 0, page_experience_add, 0},
    {"POST", "/formateurs/{id}/experiences/{id}/suppression", AUTH_PAGE, -1, 0,
     page_experience_remove, 0},
    {"GET", "/mon-profil", AUTH_PAGE, -1, 0, page_my_profile, 0},
    {"GET", "/validations", AUTH_PAGE, CAP_COMPETENCE_DECIDE, 0, page_validations, 0},
    {"GET", "/api/v1/me", AUTH_API, -1, 0, api_me, 0},
    {"GET", "/api/v1/trainers", AUTH_API, CAP_TRAINER_SEARCH, 0, api_trainers, 0},
    {"GET", "/api/v1/trainers/{id}", AUTH_API, CAP_TRAINER_SEARCH, 0, api_trainer, 0},
    {"GET", "/api/v1/validations", AUTH_API, CAP_COMPETENCE_DECIDE, 0, api_validations, 0},
    {"POST", "/api/v1/trainers/{id}/competences/{id}/decision", AUTH_API, CAP_COMPETENCE_DECIDE, 0,
     api_decide, 0},
    {"POST", "/api/v1/requests", AUTH_API, -1, 0, api_requests_create, 0},
    {"GET", "/api/v1/requests", AUTH_API, -1, 0, api_requests_list, 0},
    {"GET", "/api/v1/requests/{id}", AUTH_API, -1, 0, api_request_get, 0},
    {"POST", "/api/v1/requests/{id}/transitions", AUTH_API, -1, 0, api_request_transition, 0},
    {"GET", "/api/v1/requests/{id}/proposals", AUTH_API, -1, 0, api_request_proposals, 0},
    {"POST", "/api/v1/requests/{id}/trainers", AUTH_API, -1, 0, api_request_assign, 0},
    {"POST", "/api/v1/requests/{id}/answer", AUTH_API, -1, 0, api_request_answer, 0},
    {"POST", "/api/v1/requests/{id}/hours", AUTH_API, -1, 0, api_request_hours, 0},
    {"POST", "/api/v1/requests/{id}/competences", AUTH_API, -1, 0, api_request_competences, 0},
    {"POST", "/api/v1/requests/{id}/sessions", AUTH_API, -1, 0, api_request_session_add, 0},
    {"DELETE", "/api/v1/requests/{id}/sessions/{id}", AUTH_API, -1, 0, api_request_session_remove,
     0},
    {"GET", "/api/v1/me/missions", AUTH_API, -1, 0, api_my_missions, 0},
    {"GET", "/api/v1/me/inbox", AUTH_API, -1, 0, api_inbox, 0},
    {"POST", "/api/v1/campaigns/{id}/assignments", AUTH_API, -1, 0, api_campaign_assign, 0},
    {"GET", "/api/v1/campaigns/{id}", AUTH_API, -1, 0, api_campaign_get, 0},
    {"POST", "/api/v1/campaigns/{id}", AUTH_API, -1, 0, api_campaign_update, 0},
    /* training requests (pages_requests.c) */
    {"GET", "/demandes", AUTH_PAGE, -1, 0, page_requests, 0},
    {"POST", "/demandes", AUTH_PAGE, -1, 0, page_request_create, 0},
    {"GET", "/demandes/nouvelle", AUTH_PAGE, -1, 0, page_request_new, 0}, /* pages_request_form.c */
    {"GET", "/demandes/{id}", AUTH_PAGE, -1, 0, page_request, 0},
    {"POST", "/demandes/{id}/transitions", AUTH_PAGE, -1, 0, page_request_transition, 0},
    {"POST", "/demandes/{id}/affectation", AUTH_PAGE, -1, 0, page_request_assign, 0},
    {"POST", "/demandes/{id}/mission", AUTH_PAGE, -1, 0, page_request_answer, 0},
    {"POST", "/demandes/{id}/heures", AUTH_PAGE, -1, 0, page_request_hours, 0},
    {"POST", "/demandes/{id}/competences", AUTH_PAGE, -1, 0, page_request_competences, 0},
    {"POST", "/demandes/{id}/seances", AUTH_PAGE, -1, 0, page_request_session_add, 0},
    {"POST", "/demandes/{id}/seances/{id}/suppression", AUTH_PAGE, -1, 0,
     page_request_session_remove, 0},
    {"GET", "/demandes/{id}/ordres-de-mission", AUTH_PAGE, -1, 0, page_mission_order, 0},
    {"GET", "/demandes/{id}/contrat", AUTH_PAGE, -1, 0, page_alp_contract, 0},
    {"GET", "/mes-missions", AUTH_PAGE, -1, 0, page_my_missions, 0},
    {"GET", "/mes-missions/agenda.ics", AUTH_PAGE, -1, 0, page_my_calendar, 0},
    {"POST", "/mes-missions/abonnement", AUTH_PAGE, -1, 0, page_calendar_key, 0},
    {"GET", "/agenda.ics", AUTH_PUBLIC, -1, 0, page_calendar_feed, 0},
    {"GET", "/boite", AUTH_PAGE, -1, 0, page_inbox, 0},
    {"GET", "/campagnes", AUTH_PAGE, -1, 0, page_campaigns, 0},
    {"GET", "/campagnes/{id}", AUTH_PAGE, -1, 0, page_campaign, 0},
    {"POST", "/campagnes/{id}", AUTH_PAGE, -1, 0, page_campaign_update, 0},
    {"GET", "/demandes/campagne", AUTH_PAGE, -1, 0, page_campaign_assign_form, 0},
    {"POST", "/demandes/campagne", AUTH_PAGE, -1, 0, page_campaign_assign, 0},
    {"POST", "/boite/lu", AUTH_PAGE, -1, 0, page_inbox_read, 0},
    /* bureau des stages (pages_placement.c) */
    {"GET", "/stages", AUTH_PAGE, CAP_PLACEMENT_READ, 0, page_stages, 0},
    {"POST", "/stages/periodes", AUTH_PAGE, CAP_PLACEMENT_MANAGE, 0, page_stages_period_create, 0},
    {"GET", "/stages/periodes/{id}", AUTH_PAGE, CAP_PLACEMENT_READ, 0, page_stages_period, 0},
    {"POST", "/stages/periodes/{id}/fenetre", AUTH_PAGE, CAP_PLACEMENT_MANAGE, 0,
     page_stages_window, 0},
    {"GET", "/stages/periodes/{id}/lieux", AUTH_PAGE, CAP_PLACEMENT_READ, 0, page_stages_places, 0},
    {"GET", "/stages/periodes/{id}/etudiants", AUTH_PAGE, CAP_PLACEMENT_READ, 0,
     page_stages_students, 0},
    {"POST", "/stages/periodes/{id}/affectations", AUTH_PAGE, CAP_PLACEMENT_MANAGE, 0,
     page_stages_run_start, 0},
    {"GET", "/stages/affectations/{id}", AUTH_PAGE, CAP_PLACEMENT_READ, 0, page_stages_run, 0},
    {"GET", "/stages/affectations/{id}/etudiants/{id}", AUTH_PAGE, CAP_PLACEMENT_READ, 0,
     page_stages_run_student, 0},
    {"POST", "/stages/affectations/{id}/ajustements", AUTH_PAGE, CAP_PLACEMENT_MANAGE, 0,
     page_stages_adjust, 0},
    {"POST", "/stages/affectations/{id}/publication", AUTH_PAGE, CAP_PLACEMENT_MANAGE, 0,
     page_stages_publish, 0},
    {"GET", "/stages/affectations/{id}/export.csv", AUTH_PAGE, CAP_PLACEMENT_READ, 0,
     page_stages_export_csv, 0},
    {"GET", "/stages/affectations/{id}/export.xlsx", AUTH_PAGE, CAP_PLACEMENT_READ, 0,
     page_stages_export_xlsx, 0},
    {"GET", "/stages/affectations/{id}/lettres", AUTH_PAGE, CAP_PLACEMENT_READ, 0,
     page_stages_letters, 0},
    {"GET", "/stages/affectations/{id}/lettres/{id}", AUTH_PAGE, -1, 0, page_stages_letter, 0},
    {"GET", "/stages/mes-voeux", AUTH_PAGE, -1, 0, page_stages_wishes, 0},
    {"POST", "/stages/mes-voeux", AUTH_PAGE, -1, 0, page_stages_wishes_save, 0},
    {"GET", "/stages/mon-stage", AUTH_PAGE, -1, 0, page_stages_mine, 0},
    {"GET", "/stages/stagiaires", AUTH_PAGE, -1, 0, page_stages_trainees, 0},
    /* bureau des stages: CSV import (pages_placement_import.c) */
    {"GET", "/stages/periodes/{id}/import", AUTH_PAGE, CAP_PLACEMENT_MANAGE, 0,
     page_placement_import_form, 0},
    {"POST", "/stages/periodes/{id}/import", AUTH_PAGE, CAP_PLACEMENT_MANAGE, 16u << 20,
     page_placement_import, ROUTE_MULTIPART},
    {NULL, NULL, AUTH_PUBLIC, -1, 0, NULL, 0},
};

struct app_ctx handler_ctx(struct http_req *r)
{
    struct app_ctx c = {
        .st = r->st, .actor = r->authed ? &r->user : NULL, .ip = r->ip, .now = time_now()};
    return c;
}

/* Matches one pattern; fills params on success. */
static bool match(const char *pattern, const char *path, struct http_req *r)
{
    int n = 0;
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (strncmp(p, "{id}", 4) == 0) {
            const char *e = s;
            while (*e && *e != '/')
                e++;
            char num[24];
            size_t len = (size_t)(e - s);
            if (len == 0 || len >= sizeof num || n >= 4)
                return false;
            memcpy(num, s, len);
            num[len] = '\0';
            if (!http_parse_id(num, &r->params[n]))
                return false;
            n++;
            p += 4;
            s = e;
            continue;
        }
        if (*p != *s)
            return false;
        p++;
        s++;
    }
    if (*p || *s)
        return false;
    r->nparams = n;
    return true;
}

const struct route *route_find(const char *method, const char *path, struct http_req *r,
                               int *path_known)
{
    *path_known = 0;
    for (const struct route *rt = routes; rt->method; rt++) {
        if (!match(rt->pattern, path, r))
            continue;
        if (strcmp(rt->method, method) == 0 ||
            (strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0))
            return rt;
        *path_known = 1;
    }
    return NULL;
}
