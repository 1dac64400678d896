/*
 * Pages of the work on a request once validated (issue 5 §4-6; app/missions.h): the trainers
 * proposed and assigned on the request's page, the trainer's answer, the sessions, the printable
 * mission orders and ALP contract (seed 001 §6: "contrat signé par les pilotes", "ordres de
 * mission stagiaires … et intervenants"), the trainer's missions and calendar, and the inbox.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/missions.h"
#include "app/requests.h"
#include "core/err.h"
#include "core/timeutil.h"
#include "domain/campaign.h"
#include "domain/dispositif.h"
#include "domain/request.h"
#include "domain/rules_alp.h"
#include "domain/trainer.h"
#include "http/routes.h"

#include <microhttpd.h>

static const char *jstr(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static int64_t jint(const json_t *o, const char *key)
{
    return (int64_t)json_integer_value(json_object_get(o, key));
}

static const char *mission_state_label(const char *s)
{
    return strcmp(s, "pending") == 0    ? "en attente de réponse"
           : strcmp(s, "accepted") == 0 ? "acceptée"
           : strcmp(s, "declined") == 0 ? "déclinée"
                                        : s;
}

static const char *modality_label(const char *m)
{
    return strcmp(m, "presentiel") == 0         ? "présentiel"
           : strcmp(m, "distance") == 0         ? "à distance"
           : strcmp(m, "hybride") == 0          ? "hybride"
           : strcmp(m, "classe_virtuelle") == 0 ? "classe virtuelle"
                                                : m;
}

/* "HH:MM" of an instant in Paris time. */
static void hm(int64_t t, char *out, size_t n)
{
    struct buf b;
    buf_init(&b, 32);
    time_format_hm(t, &b);
    snprintf(out, n, "%s", b.data);
    buf_free(&b);
}

/* Adds labels to the sessions: date (a number, for |date), start and end "HH:MM", modality. */
static void label_sessions(json_t *sessions)
{
    size_t i;
    json_t *s;
    json_array_foreach(sessions, i, s)
    {
        char a[8], b[8];
        hm(jint(s, "starts_at"), a, sizeof a);
        hm(jint(s, "ends_at"), b, sizeof b);
        json_object_set_new(s, "start_hm", json_string(a));
        json_object_set_new(s, "end_hm", json_string(b));
        json_object_set_new(s, "modality_label", json_string(modality_label(jstr(s, "modality"))));
        int wd = time_weekday(jint(s, "starts_at"));
        json_object_set_new(s, "weekday",
                            json_string(wd >= 1 && wd <= 6 ? weekday_names[wd - 1] : "dimanche"));
        json_object_set_new(
            s, "hours", json_real((double)(jint(s, "ends_at") - jint(s, "starts_at")) / 3600.0));
    }
}

static void label_trainers(json_t *trainers)
{
    size_t i;
    json_t *m;
    json_array_foreach(trainers, i, m)
    {
        json_object_set_new(m, "state_label", json_string(mission_state_label(jstr(m, "state"))));
        json_object_set_new(m, "pending", json_boolean(strcmp(jstr(m, "state"), "pending") == 0));
        json_object_set_new(m, "declined", json_boolean(strcmp(jstr(m, "state"), "declined") == 0));
        const char *d = trainer_degree_label(jstr(m, "degree"));
        json_object_set_new(m, "degree_label", json_string(d ? d : jstr(m, "degree")));
    }
}

void request_work_ctx(struct http_req *r, json_t *ctx, json_t *req)
{
    struct app_ctx c = handler_ctx(r);
    label_trainers(json_object_get(req, "trainers"));
    label_sessions(json_object_get(req, "sessions"));
    const json_t *mine = json_object_get(req, "my_mission");
    if (json_is_object(mine) && strcmp(jstr(mine, "state"), "pending") == 0)
        json_object_set_new(ctx, "answer_mission", json_true());
    const char *state = jstr(req, "state");
    if (json_is_object(mine) && strcmp(jstr(mine, "state"), "accepted") == 0 &&
        json_is_null(json_object_get(mine, "hours_validated_at")) &&
        (strcmp(state, "scheduled") == 0 || strcmp(state, "done") == 0)) {
        const json_t *d = json_object_get(mine, "declared_hours");
        json_object_set_new(ctx, "declare_hours",
                            json_pack("{sI}", "value",
                                      (json_int_t)(json_is_integer(d) ? json_integer_value(d)
                                                                      : jint(mine, "hours"))));
    }
    bool alp = strcmp(jstr(req, "kind"), "alp_idg") == 0;
    bool past_validation = strcmp(state, "assigned") == 0 || strcmp(state, "scheduled") == 0 ||
                           strcmp(state, "done") == 0 || strcmp(state, "hours_validated") == 0;
    if (past_validation)
        json_object_set_new(ctx, "documents", json_true());
    if (alp && (past_validation || strcmp(state, "validated") == 0))
        json_object_set_new(ctx, "contract", json_true());
    json_object_set_new(ctx, "modalities",
                        json_pack("[{ss ss} {ss ss} {ss ss} {ss ss}]", "code", "presentiel",
                                  "label", "Présentiel", "code", "distance", "label", "À distance",
                                  "code", "hybride", "label", "Hybride", "code", "classe_virtuelle",
                                  "label", "Classe virtuelle"));
    /* Proposals for the slots still open, when the actor assigns. */
    bool open_slot = false;
    size_t i;
    const json_t *s;
    json_array_foreach(json_object_get(req, "slots"), i, s)
    {
        open_slot |= json_is_null(json_object_get(s, "covered_by"));
    }
    if (!json_is_true(json_object_get(req, "may_assign")) || !open_slot)
        return;
    /* the proposals' form assigns: no bare "Affecter les formateurs" button beside it */
    json_t *next = json_object_get(req, "next");
    for (size_t k = json_array_size(next); k-- > 0;)
        if (strcmp(jstr(json_array_get(next, k), "to"), "assigned") == 0)
            json_array_remove(next, k);
    json_t *props = NULL;
    char msg[400] = "";
    if (app_request_proposals(&c, jint(req, "id"), 8, &props, msg, sizeof msg) != 0) {
        json_object_set_new(ctx, "proposals_error",
                            json_string(msg[0] ? msg
                                               : "Propositions "
                                                 "indisponibles."));
        return;
    }
    /* only the open slots, each item with its position for the radio's id */
    json_t *open = json_array();
    json_t *slot;
    json_array_foreach(json_object_get(props, "slots"), i, slot)
    {
        if (!json_is_null(json_object_get(slot, "covered_by")))
            continue;
        size_t k;
        json_t *it;
        json_array_foreach(json_object_get(slot, "items"), k, it)
        {
            json_object_set_new(it, "slot", json_string(jstr(slot, "slot")));
            json_object_set_new(it, "first", json_boolean(k == 0));
        }
        json_array_append(open, slot);
    }
    json_object_set_new(props, "open_slots", open);
    /* the referential, grouped by parent, each competence checked when wanted exactly */
    json_t *refs = NULL;
    if (app_referentials(&c, &refs) == 0) {
        json_t *groups = json_array(), *group = NULL;
        size_t k;
        json_t *cp;
        json_array_foreach(json_object_get(refs, "competences"), k, cp)
        {
            bool wanted = false;
            size_t w;
            const json_t *x;
            json_array_foreach(json_object_get(props, "wanted"), w, x)
            {
                wanted |= !json_is_true(json_object_get(x, "related")) &&
                          strcmp(jstr(x, "code"), jstr(cp, "code")) == 0;
            }
            const char *parent = jstr(cp, "parent_label");
            if (!*parent || !group || strcmp(jstr(group, "label"), parent) != 0) {
                group =
                    json_pack("{ss s[]}", "label", *parent ? parent : jstr(cp, "label"), "items");
                json_array_append_new(groups, group);
            }
            json_array_append_new(json_object_get(group, "items"),
                                  json_pack("{ss ss sb}", "code", jstr(cp, "code"), "label",
                                            jstr(cp, "label"), "checked", wanted));
        }
        json_object_set_new(props, "referential", groups);
        json_decref(refs);
    }
    json_object_set_new(ctx, "proposals", props);
}

/* Back to the request's page: a redirect with a flash code on success, the page with the
 * message otherwise. */
static int after(struct http_req *r, int rc, const char *msg, const char *ok)
{
    if (rc == 0) {
        char loc[80];
        snprintf(loc, sizeof loc, "/demandes/%lld?ok=%s", (long long)r->params[0], ok);
        return http_redirect(r, loc);
    }
    if (rc == ERR_NOTFOUND)
        return http_error_page(r, 404, msg[0] ? msg : "Aucune demande à ce numéro.");
    if (rc == ERR_CONFLICT || rc == ERR_INVAL || rc == ERR_DENIED)
        return page_request_render(r,
                                   rc == ERR_CONFLICT ? 409
                                   : rc == ERR_DENIED ? 403
                                                      : 400,
                                   msg, NULL);
    return http_error_page(r, 500, "Le service est momentanément indisponible.");
}

int page_request_assign(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    static const char *const slots[] = {"1D", "2D", "any"};
    struct assign_choice ch[3];
    size_t n = 0;
    char msg[400] = "";
    for (size_t i = 0; i < 3; i++) {
        char key[16];
        snprintf(key, sizeof key, "trainer_%s", slots[i]);
        const char *v = http_form(r, key);
        int64_t id = 0;
        if (!v || !*v)
            continue;
        if (!http_parse_id(v, &id))
            return after(r, ERR_INVAL, "Formateur choisi invalide.", "");
        ch[n++] = (struct assign_choice){id, slots[i]};
    }
    int rc = n ? app_request_assign(&c, r->params[0], ch, n, msg, sizeof msg) : ERR_INVAL;
    if (!n)
        snprintf(msg, sizeof msg, "Choisissez un formateur pour chaque poste à pourvoir.");
    return after(r, rc, msg, "affectation");
}

int page_request_answer(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    const char *decision = http_form(r, "decision"), *reason = http_form(r, "reason");
    char msg[400] = "";
    if (!decision || (strcmp(decision, "accept") != 0 && strcmp(decision, "decline") != 0))
        return after(r, ERR_INVAL, "Acceptez ou déclinez la mission.", "");
    bool accept = strcmp(decision, "accept") == 0;
    int rc = app_mission_answer(&c, r->params[0], accept, reason && *reason ? reason : NULL, msg,
                                sizeof msg);
    return after(r, rc, msg, accept ? "mission-acceptee" : "mission-declinee");
}

int page_request_session_add(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    struct tsession_input in = {http_form(r, "date"), http_form(r, "start"), http_form(r, "end"),
                                http_form(r, "place"), http_form(r, "modality")};
    struct field_errors errs = {0};
    char msg[400] = "";
    int rc = app_tsession_add(&c, r->params[0], &in, &errs, msg, sizeof msg, NULL);
    if (rc == ERR_INVAL && errs.count) {
        size_t len = strlen(msg);
        for (int i = 0; i < errs.count && len + 2 < sizeof msg; i++) {
            snprintf(msg + len, sizeof msg - len, " %s", errs.items[i].message);
            len = strlen(msg);
        }
    }
    return after(r, rc, msg, "seance");
}

int page_request_session_remove(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    char msg[400] = "";
    int rc = app_tsession_remove(&c, r->params[0], r->params[1], msg, sizeof msg);
    return after(r, rc, msg, "seance-retiree");
}

/* ---- printable documents ---- */

/* The request with its work, for a document; NULL after sending an error page. */
static json_t *document_request(struct http_req *r, int *sent)
{
    struct app_ctx c = handler_ctx(r);
    json_t *req = NULL;
    int rc = app_request_get(&c, r->params[0], &req);
    if (rc) {
        *sent = rc == ERR_NOTFOUND ? http_error_page(r, 404, "Aucune demande à ce numéro.")
                                   : http_error_page(r, 500,
                                                     "Le service est momentanément "
                                                     "indisponible.");
        return NULL;
    }
    label_trainers(json_object_get(req, "trainers"));
    label_sessions(json_object_get(req, "sessions"));
    const struct dispositif *d = dispositif_find(jstr(req, "dispositif"));
    json_object_set_new(req, "dispositif_label", json_string(d ? d->label : ""));
    json_object_set_new(req, "maitre_oeuvre",
                        json_string(d ? dispositif_lead_label(d->lead) : "Rectorat"));
    double hours = 0;
    size_t i;
    const json_t *s;
    json_array_foreach(json_object_get(req, "sessions"), i, s)
    {
        hours += json_real_value(json_object_get(s, "hours"));
    }
    json_object_set_new(req, "session_hours", json_real(hours));
    json_object_set_new(req, "issued_at", json_integer(time_now()));
    return req;
}

int page_mission_order(struct http_req *r)
{
    int sent = 0;
    json_t *req = document_request(r, &sent);
    if (!req)
        return sent;
    const char *state = jstr(req, "state");
    if (strcmp(state, "scheduled") != 0 && strcmp(state, "done") != 0 &&
        strcmp(state, "hours_validated") != 0) {
        json_decref(req);
        return http_error_page(r, 409,
                               "Les ordres de mission s’impriment une fois les séances "
                               "planifiées.");
    }
    /* one order per trainer who accepted; one per degree of trainees */
    json_t *orders = json_array();
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(req, "trainers"), i, m)
    {
        if (strcmp(jstr(m, "state"), "accepted") == 0)
            json_array_append(orders, m);
    }
    const json_t *d = json_object_get(req, "details");
    const json_t *tr = json_object_get(d, "trainees");
    json_t *trainees = json_array();
    static const struct {
        const char *key, *label, *service;
    } degrees[] = {{"second_degree", "second degré", "la Dfie"},
                   {"first_degree", "premier degré",
                    "le service de formation du premier degré (remplacements)"}};
    for (size_t k = 0; k < 2; k++) {
        json_int_t n = json_integer_value(json_object_get(tr, degrees[k].key));
        if (n <= 0 && json_is_object(tr))
            continue;
        json_t *lines = json_array();
        for (json_int_t l = 0; l < (n > 0 && n <= 60 ? n : 10); l++)
            json_array_append_new(lines, json_integer(l + 1));
        json_array_append_new(trainees, json_pack("{ss ss so}", "degree", degrees[k].label,
                                                  "service", degrees[k].service, "lines", lines));
    }
    char title[80];
    snprintf(title, sizeof title, "Ordres de mission — demande n° %lld", (long long)r->params[0]);
    json_t *ctx = json_pack("{ss so so so}", "title", title, "request", req, "orders", orders,
                            "trainees", trainees);
    return http_page(r, 200, "request_orders.html", ctx);
}

int page_alp_contract(struct http_req *r)
{
    int sent = 0;
    json_t *req = document_request(r, &sent);
    if (!req)
        return sent;
    const char *state = jstr(req, "state");
    if (strcmp(jstr(req, "kind"), "alp_idg") != 0 ||
        request_state_parse(state) < REQUEST_VALIDATED || strcmp(state, "refused") == 0 ||
        strcmp(state, "withdrawn") == 0 || strcmp(state, "cancelled") == 0) {
        json_decref(req);
        return http_error_page(r, 409, "Le contrat se rédige pour une ALP IDG validée.");
    }
    const json_t *d = json_object_get(req, "details");
    const char *orient = rules_alp_orientation_label(jstr(d, "orientation"));
    static const struct {
        const char *code, *label;
    } formats[] = {{"reconduction", "reconduction d’une action annulée"},
                   {"nouveau_theme", "nouvelle thématique"},
                   {"multi_secteurs", "action sur plusieurs réseaux ou secteurs"}};
    const char *format = "";
    for (size_t k = 0; k < 3; k++)
        if (strcmp(jstr(d, "format"), formats[k].code) == 0)
            format = formats[k].label;
    json_t *ctx = json_pack("{ss so ss ss}", "title", "Contrat d’ALP interdegrés", "request", req,
                            "orientation", orient ? orient : "", "format", format);
    return http_page(r, 200, "request_contract.html", ctx);
}

/* ---- the trainer's missions and calendar ---- */

/* The trainer's missions; key: a calendar key just made, shown once in its address. */
static int missions_page(struct http_req *r, const char *key)
{
    struct app_ctx c = handler_ctx(r);
    json_t *items = NULL;
    int rc = app_my_missions(&c, &items);
    if (rc == ERR_DENIED)
        return http_error_page(r, 403, "Cette page est celle des formateurs.");
    if (rc)
        return http_error_page(r, 500, "Le service est momentanément indisponible.");
    size_t i;
    json_t *m;
    json_array_foreach(items, i, m)
    {
        json_object_set_new(m, "state_label", json_string(mission_state_label(jstr(m, "state"))));
        json_object_set_new(m, "pending", json_boolean(strcmp(jstr(m, "state"), "pending") == 0));
        enum request_state s = request_state_parse(jstr(m, "request_state"));
        json_object_set_new(m, "request_state_label", json_string(request_state_label(s)));
    }
    json_t *ctx = json_pack("{ss so}", "title", "Mes missions", "missions", items);
    http_crumbs(ctx, (struct crumb[]){{NULL, "Mes missions"}}, 1);
    if (key) {
        /* the address a calendar application subscribes to: this server's, as the browser
         * reached it */
        const char *host = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Host");
        if (!host || !*host || strlen(host) > 200 ||
            strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") !=
                strlen(host))
            host = "127.0.0.1:8080";
        char url[400];
        snprintf(url, sizeof url, "%s://%s/agenda.ics?cle=%s",
                 http_secure_request(r) ? "https" : "http", host, key);
        json_object_set_new(ctx, "calendar_url", json_string(url));
    }
    return http_page(r, 200, "missions.html", ctx);
}

int page_my_missions(struct http_req *r)
{
    return missions_page(r, NULL);
}

int page_calendar_key(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    char key[APP_TOKEN_LEN + 1];
    int rc = app_calendar_key_new(&c, key, sizeof key);
    if (rc == ERR_DENIED)
        return http_error_page(r, 403, "Cet agenda est celui des formateurs.");
    if (rc)
        return http_error_page(r, 500, "Le service est momentanément indisponible.");
    return missions_page(r, key);
}

int page_calendar_feed(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    struct buf out;
    buf_init(&out, 8 << 20);
    int rc = app_calendar_by_key(&c, http_arg(r, "cle"), &out);
    int ret = rc == ERR_NOTFOUND
                  ? http_error_page(r, 404, "Adresse d’agenda inconnue ou remplacée.")
              : rc ? http_error_page(r, 500, "Le service est momentanément indisponible.")
                   : http_send(r, 200, "text/calendar; charset=utf-8", out.data, out.len);
    buf_free(&out);
    return ret;
}

int page_my_calendar(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    if (!c.actor || !c.actor->trainer_id)
        return http_error_page(r, 403, "Cet agenda est celui des formateurs.");
    struct buf out;
    buf_init(&out, 8 << 20);
    int rc = app_trainer_calendar(&c, c.actor->trainer_id, &out);
    int ret = rc ? http_error_page(r, 500, "Le service est momentanément indisponible.")
                 : http_send_download(r, "text/calendar; charset=utf-8", "formations.ics", out.data,
                                      out.len);
    buf_free(&out);
    return ret;
}

/* ---- inbox ---- */

int page_inbox(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    json_t *res = NULL;
    if (app_inbox(&c, &res) != 0)
        return http_error_page(r, 500, "Le service est momentanément indisponible.");
    json_t *ctx = json_pack("{ss}", "title", "Ma boîte de réception");
    json_object_update(ctx, res);
    json_decref(res);
    http_crumbs(ctx, (struct crumb[]){{NULL, "Ma boîte de réception"}}, 1);
    if (http_arg(r, "ok"))
        json_object_set_new(ctx, "flash", json_string("Tout est marqué comme lu."));
    return http_page(r, 200, "inbox.html", ctx);
}

int page_inbox_read(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    if (app_inbox_read(&c, 0) != 0)
        return http_error_page(r, 500, "Le service est momentanément indisponible.");
    return http_redirect(r, "/boite?ok=lu");
}

/* ---- batch assignment of a campaign ---- */

static json_t *campaign_form_ctx(struct http_req *r, int year, const char *kind)
{
    struct app_ctx c = handler_ctx(r);
    int cur = 0;
    campaign_year_of(c.now, &cur);
    json_t *years = json_array();
    for (int y = cur - 1; y <= cur + 1; y++) {
        char label[16];
        snprintf(label, sizeof label, "%d-%d", y, y + 1);
        json_array_append_new(years, json_pack("{si ss sb}", "year", y, "label", label, "selected",
                                               y == (year ? year : cur)));
    }
    json_t *kinds = json_array();
    for (int k = 0; k < REQUEST_KIND_COUNT; k++)
        json_array_append_new(kinds, json_pack("{ss ss sb}", "code",
                                               request_kind_code((enum request_kind)k), "label",
                                               request_kind_label((enum request_kind)k), "selected",
                                               strcmp(request_kind_code((enum request_kind)k),
                                                      kind ? kind : "alp_idg") == 0));
    json_t *ctx = json_pack("{ss so so}", "title", "Affectation de la campagne", "years", years,
                            "kinds", kinds);
    http_crumbs(ctx,
                (struct crumb[]){{"/demandes", "Demandes de formation"},
                                 {NULL, "Affectation de la campagne"}},
                2);
    return ctx;
}

int page_campaign_assign_form(struct http_req *r)
{
    if (r->user.role != ROLE_COORDINATOR)
        return http_error_page(r, 403,
                               "L’affectation de la campagne est le fait de l’équipe de "
                               "coordination.");
    return http_page(r, 200, "campaign_assign.html", campaign_form_ctx(r, 0, NULL));
}

int page_campaign_assign(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    const char *y = http_form(r, "year"), *kind = http_form(r, "kind");
    bool dry = http_form(r, "dry_run") != NULL;
    int64_t year = 0;
    if (!y || !http_parse_id(y, &year) || year < CAMPAIGN_YEAR_MIN || year > CAMPAIGN_YEAR_MAX)
        return http_error_page(r, 400, "Année de campagne invalide.");
    char msg[400] = "";
    json_t *res = NULL;
    int rc = app_campaign_assign(&c, (int)year, kind ? kind : "", dry, &res, msg, sizeof msg);
    if (rc == ERR_DENIED)
        return http_error_page(r, 403, msg);
    if (rc == ERR_INVAL)
        return http_error_page(r, 400, msg);
    if (rc)
        return http_error_page(r, 500, "Le service est momentanément indisponible.");
    json_t *ctx = campaign_form_ctx(r, (int)year, kind);
    json_object_set_new(ctx, "result", res);
    return http_page(r, 200, "campaign_assign.html", ctx);
}

int page_request_hours(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    const char *v = http_form(r, "hours");
    int64_t h = -1;
    char msg[400] = "";
    if (!v || (!http_parse_id(v, &h) && strcmp(v, "0") != 0))
        return after(r, ERR_INVAL, "Heures : un entier attendu.", "");
    if (strcmp(v, "0") == 0)
        h = 0;
    int rc = h > MISSION_HOURS_MAX ? ERR_INVAL
                                   : app_mission_declare(&c, r->params[0], (int)h, msg, sizeof msg);
    if (h > MISSION_HOURS_MAX)
        snprintf(msg, sizeof msg, "Heures : un entier de 0 à %d.", MISSION_HOURS_MAX);
    return after(r, rc, msg, "heures");
}

int page_request_competences(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    const json_t *all = http_form_all(r, "competence");
    const char *codes[16];
    size_t n = 0, i;
    const json_t *v;
    char msg[400] = "";
    json_array_foreach(all, i, v)
    {
        if (n == 16)
            return after(r, ERR_INVAL, "12 compétences au plus.", "");
        codes[n++] = json_string_value(v);
    }
    int rc = app_request_set_competences(&c, r->params[0], codes, n, msg, sizeof msg);
    return after(r, rc, msg, "competences");
}
