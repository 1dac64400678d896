/*
 * The filing forms of training requests (issue 5): GET /demandes/nouvelle lists the kinds the
 * account may file, GET /demandes/nouvelle?type=<kind> shows the form of one kind, and POST
 * /demandes files it. A FIL, an ALP IDG, an ANT and an ENT convention have their own fields, which
 * become the request's `details` exactly as their rule packs document them (domain/rules_fil.h,
 * rules_alp.h, rules_ant.h, rules_ent.h); the other kinds carry a title and a description only.
 * A refused request comes back as the same form with every value kept, an error summary whose
 * items link to their controls, and each problem beside its control; a pack's warnings are shown
 * the same way, as warnings.
 *
 * Naming, so that a breach finds its control without a table per field:
 *   - a form field is named after the JSON path of the details it fills: "theme",
 *     "trainees.first_degree", "sessions[2].date"; except an ALP co-requester's
 *     "requesters[i].place", which becomes "uai" or "circonscription" according to the role;
 *   - a control's id is "f-" and its name with "[" and "." turned into "-" and "]" dropped
 *     ("f-sessions-2-date"), a fieldset's too ("f-trainees", "f-sessions-2" for a row);
 *   - lists are fixed sets of rows whose empty ones are skipped, so item k of a details array may
 *     come from row k + 2; a refused form therefore shows the filled rows first, in order (struct
 *     rows), and item k is row k again: a breach on "sessions[1].date" is shown beside the date
 *     of the second row, which the packs' messages call "Séance n°2" too.
 * Breaches on "" or on a path no control shows go to the summary only, without a link.
 *
 * Numbers are typed in text inputs (inputmode numeric): a value of digits reaches the pack as a
 * number, anything else as typed, so that the pack's French message says what is wrong with it.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "app/campaigns.h"
#include "app/requests.h"
#include "core/buf.h"
#include "core/err.h"
#include "domain/campaign.h"
#include "domain/dispositif.h"
#include "domain/request.h"
#include "domain/rules_alp.h"
#include "http/routes.h"

#define NAME_LEN 72 /* a field name: "remuneration[3].trainer"; a breach path is 63 at most */
#define ID_LEN   80

/* Rows each list of a form shows. */
#define ALP_REQUESTER_ROWS 4 /* most joint requests have 2 to 4; the API takes up to 16 */
#define ALP_SESSION_ROWS   4
#define ANT_TEAM_ROWS      8
#define ENT_IN_PERSON_ROWS 6
#define ENT_ONLINE_ROWS    4
#define ENT_REMUN_ROWS     4
#define ROWS_MAX           8
#define LISTS_MAX          3

/* Where the items of one details array came from: item k was filled from posted row row[k]. */
struct rows {
    const char *key; /* "sessions": the array's key and its fields' prefix */
    int row[ROWS_MAX];
    int count;
};

/* One problem, in the order the use case reported it. */
struct problem {
    char id[ID_LEN]; /* its control's id, "" when none */
    const char *text;
    bool warning;
};

struct filing {
    struct http_req *r;
    enum request_kind kind;
    json_t *defaults; /* the form's values before a post (owned), or NULL: the posted form */
    struct rows lists[LISTS_MAX];
    int nlists;
    json_t *msgs;  /* control id → {"err", "warn"}: what each control shows (owned) */
    json_t *known; /* control id → true: every control and fieldset the form shows (owned) */
};

/* One column of a list of rows; `counts`: a value makes the row non-empty (a select, which
 * always has one, does not). */
enum col_type { COL_TEXT, COL_INT };
struct col {
    const char *key;
    enum col_type type;
    bool counts;
};

/* ---------------------------------------------------------------------------------------------
 * Names, ids, values
 */

static bool say(char *dst, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* printf into dst; false (and dst empty) when it does not fit. */
static bool say(char *dst, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(dst, n, fmt, ap);
    va_end(ap);
    if (w < 0 || (size_t)w >= n) {
        dst[0] = '\0';
        return false;
    }
    return true;
}

/* The id of the control named name: "sessions[2].date" → "f-sessions-2-date". */
static void control_id(const char *name, char *id, size_t n)
{
    size_t j = 0;
    if (n < 3)
        return;
    id[j++] = 'f';
    id[j++] = '-';
    for (const char *p = name; *p && j + 1 < n; p++) {
        if (*p == ']')
            continue;
        id[j++] = *p == '[' || *p == '.' ? '-' : *p;
    }
    id[j] = '\0';
}

static const char *value_of(const struct filing *f, const char *name)
{
    if (f->defaults)
        return json_string_value(json_object_get(f->defaults, name));
    return http_form(f->r, name);
}

/* True when s has something other than spaces. */
static bool filled(const char *s)
{
    return s && s[strspn(s, " \t")] != '\0';
}

/* A typed number: up to 6 digits (spaces around allowed) as an integer, anything else as typed,
 * for the pack to say what it expected. */
static json_t *number_or_text(const char *s)
{
    size_t a = strspn(s, " "), e = strlen(s);
    while (e > a && s[e - 1] == ' ')
        e--;
    if (e - a == 0 || e - a > 6)
        return json_string(s);
    json_int_t v = 0;
    for (size_t i = a; i < e; i++) {
        if (s[i] < '0' || s[i] > '9')
            return json_string(s);
        v = v * 10 + (s[i] - '0');
    }
    return json_integer(v);
}

/* ---------------------------------------------------------------------------------------------
 * From the form to the details
 */

/* Sets o[key] from field name when it was filled in: absent, the pack says it is required. */
static void put_text(const struct filing *f, json_t *o, const char *key, const char *name)
{
    const char *v = value_of(f, name);
    if (filled(v))
        json_object_set_new(o, key, json_string(v));
}

static void put_int(const struct filing *f, json_t *o, const char *key, const char *name)
{
    const char *v = value_of(f, name);
    if (filled(v))
        json_object_set_new(o, key, number_or_text(v));
}

/* A checkbox: checked is true, absent is false. */
static void put_bool(const struct filing *f, json_t *o, const char *key, const char *name)
{
    json_object_set_new(o, key, json_boolean(filled(value_of(f, name))));
}

/* The non-empty rows of list key (fields "key[i].col"), as the array of the details; records
 * which row each item came from. */
static json_t *read_rows(struct filing *f, const char *key, int nrows, const struct col *cols,
                         size_t ncols)
{
    json_t *arr = json_array();
    if (f->nlists >= LISTS_MAX || nrows > ROWS_MAX)
        return arr;
    struct rows *l = &f->lists[f->nlists++];
    *l = (struct rows){.key = key};
    char name[NAME_LEN];
    for (int i = 0; i < nrows; i++) {
        bool any = false;
        for (size_t c = 0; c < ncols && !any; c++)
            any = cols[c].counts && say(name, sizeof name, "%s[%d].%s", key, i, cols[c].key) &&
                  filled(value_of(f, name));
        if (!any)
            continue;
        json_t *o = json_object();
        for (size_t c = 0; c < ncols; c++) {
            if (!say(name, sizeof name, "%s[%d].%s", key, i, cols[c].key))
                continue;
            if (cols[c].type == COL_INT)
                put_int(f, o, cols[c].key, name);
            else
                put_text(f, o, cols[c].key, name);
        }
        json_array_append_new(arr, o);
        l->row[l->count++] = i;
    }
    return arr;
}

static json_t *fil_details(const struct filing *f)
{
    /* As the FIL form always sent them: the public and the headcount as typed. */
    const char *pub = value_of(f, "public"), *hc = value_of(f, "headcount");
    json_t *d = json_pack("{ss}", "public", pub ? pub : "");
    json_object_set_new(d, "headcount", number_or_text(hc ? hc : ""));
    put_bool(f, d, "disciplinary", "disciplinary");
    return d;
}

static json_t *alp_details(struct filing *f)
{
    static const struct col requester[] = {
        {"role", COL_TEXT, false}, {"name", COL_TEXT, true}, {"place", COL_TEXT, true}};
    static const struct col session[] = {
        {"date", COL_TEXT, true}, {"start", COL_TEXT, true}, {"end", COL_TEXT, true}};
    json_t *d = json_object();
    json_t *reqs = read_rows(f, "requesters", ALP_REQUESTER_ROWS, requester, 3);
    size_t i;
    json_t *it;
    json_array_foreach(reqs, i, it)
    {
        /* One input for the establishment's UAI or the IEN's circonscription. */
        const char *role = json_string_value(json_object_get(it, "role"));
        json_t *place = json_incref(json_object_get(it, "place"));
        json_object_del(it, "place");
        if (place && role && strcmp(role, "chef_etablissement") == 0)
            json_object_set(it, "uai", place);
        else if (place && role && strcmp(role, "ien") == 0)
            json_object_set(it, "circonscription", place);
        json_decref(place);
    }
    json_object_set_new(d, "requesters", reqs);
    put_int(f, d, "sectors", "sectors");
    put_text(f, d, "format", "format");
    put_text(f, d, "previous_action", "previous_action");
    put_text(f, d, "theme", "theme");
    put_bool(f, d, "eabep", "eabep");
    put_bool(f, d, "education_prioritaire", "education_prioritaire");
    put_text(f, d, "orientation", "orientation");
    put_bool(f, d, "academic_trainers", "academic_trainers");
    put_int(f, d, "hours", "hours");
    put_int(f, d, "days", "days");
    json_object_set_new(d, "sessions", read_rows(f, "sessions", ALP_SESSION_ROWS, session, 3));
    json_t *t = json_object();
    put_int(f, t, "first_degree", "trainees.first_degree");
    put_int(f, t, "second_degree", "trainees.second_degree");
    put_int(f, t, "declared_max", "trainees.declared_max");
    json_object_set_new(d, "trainees", t);
    return d;
}

/* An optional phase of an ANT: {"date": …} when its date is filled in. */
static void put_phase(const struct filing *f, json_t *d, const char *key, const char *name)
{
    const char *v = value_of(f, name);
    if (filled(v))
        json_object_set_new(d, key, json_pack("{ss}", "date", v));
}

static json_t *ant_details(struct filing *f)
{
    static const struct col member[] = {{"name", COL_TEXT, true}, {"function", COL_TEXT, true}};
    json_t *d = json_object();
    json_object_set_new(d, "team", read_rows(f, "team", ANT_TEAM_ROWS, member, 2));
    json_t *chef = json_object();
    put_text(f, chef, "name", "chef_etablissement.name");
    put_text(f, chef, "uai", "chef_etablissement.uai");
    put_bool(f, chef, "agreement", "chef_etablissement.agreement");
    json_object_set_new(d, "chef_etablissement", chef);
    put_text(f, d, "scale", "scale");
    put_text(f, d, "host_uai", "host_uai");
    put_text(f, d, "theme", "theme");
    put_phase(f, d, "diagnostic", "diagnostic.date");
    put_phase(f, d, "training_plan", "training_plan.date");
    put_bool(f, d, "interrupted_previous_year", "interrupted_previous_year");
    return d;
}

static json_t *ent_details(struct filing *f)
{
    static const struct col in_person[] = {{"date", COL_TEXT, true},
                                           {"hours", COL_INT, true},
                                           {"public", COL_TEXT, true},
                                           {"headcount", COL_INT, true},
                                           {"trainer", COL_TEXT, true}};
    static const struct col online[] = {{"date", COL_TEXT, true},
                                        {"hours", COL_INT, true},
                                        {"mode", COL_TEXT, false},
                                        {"headcount", COL_INT, true},
                                        {"trainer", COL_TEXT, true}};
    static const struct col remuneration[] = {{"trainer", COL_TEXT, true}, {"hse", COL_INT, true}};
    json_t *d = json_object();
    json_object_set_new(d, "in_person",
                        read_rows(f, "in_person", ENT_IN_PERSON_ROWS, in_person, 5));
    json_object_set_new(d, "online", read_rows(f, "online", ENT_ONLINE_ROWS, online, 5));
    json_object_set_new(d, "remuneration",
                        read_rows(f, "remuneration", ENT_REMUN_ROWS, remuneration, 2));
    return d;
}

/* The details of the posted form of f's kind; NULL for the kinds without fields of their own. */
static json_t *details_of(struct filing *f)
{
    switch (f->kind) {
    case REQUEST_KIND_FIL:
        return fil_details(f);
    case REQUEST_KIND_ALP_IDG:
        return alp_details(f);
    case REQUEST_KIND_ANT:
        return ant_details(f);
    case REQUEST_KIND_ENT:
        return ent_details(f);
    default:
        return NULL;
    }
}

/* ---------------------------------------------------------------------------------------------
 * From a problem to its control
 */

/*
 * The id of the control that shows a problem about `path`, a field of the use case ("title") or
 * a JSON path into the details ("sessions[1].date"). False when no control can show it: the
 * request itself (""), or an item the form did not send.
 */
static bool problem_id(const struct filing *f, const char *path, char *id, size_t n)
{
    /* Fields a form shows under another name. */
    static const struct {
        enum request_kind kind;
        const char *path, *name;
    } aliases[] = {
        {REQUEST_KIND_FIL, "need", "description"}, /* complete_fil's copy of the description */
        {REQUEST_KIND_ANT, "diagnostic", "diagnostic.date"},
        {REQUEST_KIND_ANT, "training_plan", "training_plan.date"},
    };
    char name[NAME_LEN];
    id[0] = '\0';
    if (!path || !*path)
        return false;
    size_t klen = strcspn(path, "[.");
    if (path[klen] != '[') {
        const char *target = path;
        for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
            if (aliases[i].kind == f->kind && strcmp(aliases[i].path, path) == 0)
                target = aliases[i].name;
        if (!say(name, sizeof name, "%s", target))
            return false;
        control_id(name, id, n);
        return true;
    }
    /* key[k]rest: item k of a list, which the form shows as row k (rows_view). */
    size_t k = 0, p = klen + 1;
    if (path[p] < '0' || path[p] > '9')
        return false;
    for (; path[p] >= '0' && path[p] <= '9' && k < ROWS_MAX * 100; p++)
        k = k * 10 + (size_t)(path[p] - '0');
    if (path[p] != ']')
        return false;
    const char *rest = path + p + 1;
    const struct rows *l = NULL;
    for (int i = 0; i < f->nlists && !l; i++)
        if (strlen(f->lists[i].key) == klen && strncmp(f->lists[i].key, path, klen) == 0)
            l = &f->lists[i];
    if (!l || k >= (size_t)l->count)
        return false;
    if (strcmp(l->key, "requesters") == 0 &&
        (strcmp(rest, ".uai") == 0 || strcmp(rest, ".circonscription") == 0))
        rest = ".place";
    if (!say(name, sizeof name, "%s[%zu]%s", l->key, k, rest)) /* item k is shown as row k */
        return false;
    control_id(name, id, n);
    return true;
}

/* Appends text to msgs[id][slot] ("err" or "warn"), after a space when there is one already. */
static void attach(json_t *msgs, const char *id, const char *slot, const char *text)
{
    json_t *m = json_object_get(msgs, id);
    if (!m) {
        m = json_object();
        json_object_set_new(msgs, id, m);
    }
    const char *had = json_string_value(json_object_get(m, slot));
    if (!had) {
        json_object_set_new(m, slot, json_string(text));
        return;
    }
    struct buf b;
    buf_init(&b, 0);
    buf_puts(&b, had);
    buf_putc(&b, ' ');
    buf_puts(&b, text);
    if (!buf_failed(&b))
        json_object_set_new(m, slot, json_stringn(b.data, b.len));
    buf_free(&b);
}

/* The problems of a refusal, in order (field errors, then the pack's breaches), each with its
 * control; returns how many were written to p (n at most). Fills f->msgs. */
static int collect(struct filing *f, const struct field_errors *errs,
                   const struct rule_report *rules, struct problem *p, int n)
{
    int count = 0;
    for (int i = 0; errs && i < errs->count && count < n; i++, count++) {
        p[count] = (struct problem){.text = errs->items[i].message};
        (void)problem_id(f, errs->items[i].field, p[count].id, sizeof p[count].id);
    }
    for (int i = 0; rules && i < rules->count && count < n; i++, count++) {
        const struct rule_breach *b = &rules->items[i];
        p[count] = (struct problem){.text = b->detail, .warning = b->warning};
        (void)problem_id(f, b->field, p[count].id, sizeof p[count].id);
    }
    for (int i = 0; i < count; i++)
        if (p[i].id[0])
            attach(f->msgs, p[i].id, p[i].warning ? "warn" : "err", p[i].text);
    return count;
}

/* ---------------------------------------------------------------------------------------------
 * The view of a form
 */

/*
 * The control named name: {id, field (its name), value (as typed, "" when none), checked (a
 * value was given), is: {<value>: true} (for radios and selects), err, warn (its messages or
 * null), desc (the ids of its messages, for aria-describedby, or null)}. Every key is always
 * there, so that a template never finds an outer control's by Mustache's context walk. Its
 * value is the one of field `source` (a row moved up: see rows_view).
 */
static json_t *ctl_from(struct filing *f, const char *name, const char *source)
{
    char id[ID_LEN];
    control_id(name, id, sizeof id);
    const char *v = value_of(f, source);
    json_t *is = json_object();
    if (filled(v))
        json_object_set_new(is, v, json_true());
    const json_t *m = json_object_get(f->msgs, id);
    const char *err = json_string_value(json_object_get(m, "err"));
    const char *warn = json_string_value(json_object_get(m, "warn"));
    char desc[2 * ID_LEN + 16] = "";
    if (err && warn)
        say(desc, sizeof desc, "%s-err %s-warn", id, id);
    else if (err || warn)
        say(desc, sizeof desc, "%s-%s", id, err ? "err" : "warn");
    json_t *c = json_pack("{ss ss ss sb so}", "id", id, "field", name, "value", v ? v : "",
                          "checked", filled(v), "is", is);
    json_object_set_new(c, "err", err ? json_string(err) : json_null());
    json_object_set_new(c, "warn", warn ? json_string(warn) : json_null());
    json_object_set_new(c, "desc", desc[0] ? json_string(desc) : json_null());
    json_object_set_new(f->known, id, json_true());
    return c;
}

static json_t *ctl(struct filing *f, const char *name)
{
    return ctl_from(f, name, name);
}

/* Sets o[key] to the control named name. */
static void put_ctl(struct filing *f, json_t *o, const char *key, const char *name)
{
    json_object_set_new(o, key, ctl(f, name));
}

/* The rows of list key for the template: [{n (1-based), row: the row's fieldset, <col>: each
 * column's control}]. After a post, the rows that became items come first, in order, then the
 * others (empty, or with only a select's choice) in theirs. */
static json_t *rows_view(struct filing *f, const char *key, int nrows, const char *const *cols)
{
    int from[ROWS_MAX]; /* the posted row shown as row i */
    const struct rows *l = NULL;
    for (int i = 0; i < f->nlists && !l; i++)
        if (strcmp(f->lists[i].key, key) == 0)
            l = &f->lists[i];
    if (nrows > ROWS_MAX)
        nrows = ROWS_MAX;
    int shown = 0;
    for (int k = 0; l && k < l->count; k++)
        from[shown++] = l->row[k];
    for (int i = 0; i < nrows && shown < nrows; i++) {
        bool used = false;
        for (int k = 0; l && k < l->count && !used; k++)
            used = l->row[k] == i;
        if (!used)
            from[shown++] = i;
    }
    json_t *arr = json_array();
    char name[NAME_LEN], source[NAME_LEN];
    for (int i = 0; i < nrows; i++) {
        json_t *row = json_pack("{si}", "n", i + 1);
        if (say(name, sizeof name, "%s[%d]", key, i))
            put_ctl(f, row, "row", name);
        for (const char *const *c = cols; *c; c++)
            if (say(name, sizeof name, "%s[%d].%s", key, i, *c) &&
                say(source, sizeof source, "%s[%d].%s", key, from[i], *c))
                json_object_set_new(row, *c, ctl_from(f, name, source));
        json_array_append_new(arr, row);
    }
    return arr;
}

/* The campaign whose rules apply to a request filed at now: the current school year's. */
static bool campaign_now(struct filing *f, int64_t now, struct campaign *c)
{
    struct app_ctx ctx = handler_ctx(f->r);
    return app_campaign_at(&ctx, now, c) == 0;
}

static void fil_view(struct filing *f, json_t *fc)
{
    put_ctl(f, fc, "public", "public");
    put_ctl(f, fc, "headcount", "headcount");
    put_ctl(f, fc, "disciplinary", "disciplinary");
}

static void alp_view(struct filing *f, json_t *ctx, json_t *fc, int64_t now)
{
    static const char *const requester[] = {"role", "name", "place", NULL};
    static const char *const session[] = {"date", "start", "end", NULL};
    static const char *const scalars[][2] = {
        {"requesters", "requesters"},
        {"sectors", "sectors"},
        {"format", "format"},
        {"previous_action", "previous_action"},
        {"theme", "theme"},
        {"eabep", "eabep"},
        {"education_prioritaire", "education_prioritaire"},
        {"orientation", "orientation"},
        {"academic_trainers", "academic_trainers"},
        {"hours", "hours"},
        {"days", "days"},
        {"sessions", "sessions"},
        {"trainees", "trainees"},
        {"trainees_first_degree", "trainees.first_degree"},
        {"trainees_second_degree", "trainees.second_degree"},
        {"trainees_declared_max", "trainees.declared_max"},
    };
    for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++)
        put_ctl(f, fc, scalars[i][0], scalars[i][1]);
    json_object_set_new(ctx, "requesters",
                        rows_view(f, "requesters", ALP_REQUESTER_ROWS, requester));
    json_object_set_new(ctx, "sessions", rows_view(f, "sessions", ALP_SESSION_ROWS, session));
    const char *chosen = value_of(f, "orientation");
    json_t *orientations = json_array();
    for (int i = 0; rules_alp_orientation_codes[i]; i++) {
        const char *code = rules_alp_orientation_codes[i];
        json_array_append_new(orientations, json_pack("{ss ss sb}", "code", code, "label",
                                                      rules_alp_orientation_label(code), "selected",
                                                      chosen && strcmp(chosen, code) == 0));
    }
    json_object_set_new(ctx, "orientations", orientations);
    struct campaign c;
    if (campaign_now(f, now, &c)) {
        const struct campaign_settings *s = campaign_settings_of(&c, REQUEST_KIND_ALP_IDG);
        json_object_set_new(ctx, "alp",
                            json_pack("{si si si si si si si}", "min_hours", s->min_hours,
                                      "max_hours", s->max_hours, "min_days", s->min_days,
                                      "max_days", s->max_days, "max_trainees", s->max_trainees,
                                      "per_sector_1d", s->trainees_1d_per_sector, "per_sector_2d",
                                      s->trainees_2d_per_sector));
    }
}

static void ant_view(struct filing *f, json_t *ctx, json_t *fc, int64_t now)
{
    static const char *const member[] = {"name", "function", NULL};
    static const char *const scalars[][2] = {
        {"team", "team"},
        {"chef_etablissement", "chef_etablissement"},
        {"chef_name", "chef_etablissement.name"},
        {"chef_uai", "chef_etablissement.uai"},
        {"chef_agreement", "chef_etablissement.agreement"},
        {"scale", "scale"},
        {"host_uai", "host_uai"},
        {"theme", "theme"},
        {"diagnostic", "diagnostic.date"},
        {"training_plan", "training_plan.date"},
        {"interrupted_previous_year", "interrupted_previous_year"},
    };
    for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++)
        put_ctl(f, fc, scalars[i][0], scalars[i][1]);
    json_object_set_new(ctx, "team", rows_view(f, "team", ANT_TEAM_ROWS, member));
    /* The windows of the campaign that takes a request filed now (app_request_create's
     * choice: the coming one from its first window on). Their last days, as JJ/MM/AAAA. */
    int fy = 0;
    struct campaign cur, next;
    struct app_ctx actx = handler_ctx(f->r);
    if (campaign_year_of(now, &fy) != 0 || app_campaign_load(&actx, fy, &cur) != 0 ||
        app_campaign_load(&actx, fy + 1, &next) != 0)
        return;
    const struct campaign *c =
        campaign_window_contains(&next, REQUEST_KIND_ANT, now) ? &next : &cur;
    const struct campaign_settings *s = campaign_settings_of(c, REQUEST_KIND_ANT);
    json_t *windows = json_array();
    for (int i = 0; i < s->window_count; i++)
        json_array_append_new(windows,
                              json_pack("{sI sI}", "from", (json_int_t)s->windows[i].opens_at,
                                        "until", (json_int_t)(s->windows[i].closes_at - 1)));
    json_t *themes = NULL;
    if (app_campaign_themes(&actx, c->first_year, "ant", &themes) != 0)
        themes = json_array();
    json_object_set_new(ctx, "ant",
                        json_pack("{ss so sb so}", "campaign", c->code, "windows", windows, "open",
                                  campaign_window_contains(c, REQUEST_KIND_ANT, now), "themes",
                                  themes));
}

static void ent_view(struct filing *f, json_t *ctx, json_t *fc, int64_t now)
{
    static const char *const in_person[] = {"date",      "hours",   "public",
                                            "headcount", "trainer", NULL};
    static const char *const online[] = {"date", "hours", "mode", "headcount", "trainer", NULL};
    static const char *const remuneration[] = {"trainer", "hse", NULL};
    put_ctl(f, fc, "in_person", "in_person");
    put_ctl(f, fc, "online", "online");
    put_ctl(f, fc, "remuneration", "remuneration");
    json_object_set_new(ctx, "in_person", rows_view(f, "in_person", ENT_IN_PERSON_ROWS, in_person));
    json_object_set_new(ctx, "online", rows_view(f, "online", ENT_ONLINE_ROWS, online));
    json_object_set_new(ctx, "remuneration",
                        rows_view(f, "remuneration", ENT_REMUN_ROWS, remuneration));
    struct campaign c;
    if (campaign_now(f, now, &c))
        json_object_set_new(
            ctx, "ent",
            json_pack("{si}", "max_hse",
                      campaign_settings_of(&c, REQUEST_KIND_ENT)->max_hse_per_trainer));
}

/* The summary's items: [{message, href ("#id", or null when no control shows it)}]. */
static json_t *summary(const struct filing *f, const struct problem *p, int n, bool warnings)
{
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        if (p[i].warning != warnings)
            continue;
        char href[ID_LEN + 1] = "";
        if (p[i].id[0] && json_object_get(f->known, p[i].id))
            say(href, sizeof href, "#%s", p[i].id);
        json_t *it = json_pack("{ss}", "message", p[i].text);
        json_object_set_new(it, "href", href[0] ? json_string(href) : json_null());
        json_array_append_new(arr, it);
    }
    return arr;
}

/* Renders f's form (request_new.html) with status; errs and rules (may be NULL) are a
 * refusal's problems. */
static int form_page(struct filing *f, unsigned status, const struct field_errors *errs,
                     const struct rule_report *rules)
{
    struct problem problems[32 + RULE_REPORT_MAX];
    int n = collect(f, errs, rules, problems, (int)(sizeof problems / sizeof problems[0]));
    struct app_ctx c = handler_ctx(f->r);
    const char *code = request_kind_code(f->kind);
    char title[240];
    say(title, sizeof title, "%sNouvelle demande : %s", n ? "Erreur — " : "",
        request_kind_short(f->kind));
    json_t *ctx = json_pack("{ss ss ss ss}", "title", title, "kind", code, "kind_label",
                            request_kind_label(f->kind), "kind_short", request_kind_short(f->kind));
    http_crumbs(ctx,
                (struct crumb[]){{"/demandes", "Demandes de formation"},
                                 {"/demandes/nouvelle", "Nouvelle demande"},
                                 {NULL, request_kind_short(f->kind)}},
                3);
    json_t *fc = json_object();
    put_ctl(f, fc, "title", "title");
    put_ctl(f, fc, "description", "description");
    switch (f->kind) {
    case REQUEST_KIND_FIL:
        fil_view(f, fc);
        json_object_set_new(ctx, "is_fil", json_true());
        break;
    case REQUEST_KIND_ALP_IDG:
        alp_view(f, ctx, fc, c.now);
        json_object_set_new(ctx, "is_alp", json_true());
        break;
    case REQUEST_KIND_ANT:
        ant_view(f, ctx, fc, c.now);
        json_object_set_new(ctx, "is_ant", json_true());
        break;
    case REQUEST_KIND_ENT:
        ent_view(f, ctx, fc, c.now);
        json_object_set_new(ctx, "is_ent", json_true());
        break;
    default:
        break;
    }
    json_object_set_new(ctx, "f", fc);
    json_t *errors = summary(f, problems, n, false);
    if (rules && rules->dropped > 0)
        json_array_append_new(
            errors, json_pack("{ss sn}", "message",
                              "D’autres problèmes suivent : corrigez ceux-ci et déposez à nouveau.",
                              "href"));
    char count[64];
    size_t nerr = json_array_size(errors);
    say(count, sizeof count, "%zu problème%s à corriger", nerr, nerr > 1 ? "s" : "");
    json_object_set_new(ctx, "error_title", json_string(count));
    json_object_set_new(ctx, "errors", errors);
    json_object_set_new(ctx, "warnings", summary(f, problems, n, true));
    return http_page(f->r, status, "request_new.html", ctx);
}

/* ---------------------------------------------------------------------------------------------
 * Handlers
 */

static bool may_file(enum role role, enum request_kind k)
{
    return request_transition_check(k, REQUEST_DRAFT, REQUEST_SUBMITTED, role, NULL, 0) == 0;
}

static void filing_free(struct filing *f)
{
    json_decref(f->defaults);
    json_decref(f->msgs);
    json_decref(f->known);
}

/* What a new form shows before anything is typed: the account as the first co-requester (ALP)
 * or as the chef d'établissement under whose cover an ANT is filed. */
static json_t *defaults_of(const struct user *u, enum request_kind k)
{
    json_t *d = json_object();
    bool ien = u->scope_kind == SCOPE_CIRCONSCRIPTION;
    bool chef = u->scope_kind == SCOPE_ESTABLISHMENT;
    if (k == REQUEST_KIND_ALP_IDG) {
        char name[NAME_LEN];
        for (int i = 0; i < ALP_REQUESTER_ROWS; i++)
            if (say(name, sizeof name, "requesters[%d].role", i))
                json_object_set_new(
                    d, name, json_string((i % 2 == 0) == !ien ? "chef_etablissement" : "ien"));
        if (chef || ien) {
            json_object_set_new(d, "requesters[0].name", json_string(u->display_name));
            json_object_set_new(d, "requesters[0].place", json_string(u->scope_value));
        }
    } else if (k == REQUEST_KIND_ANT && chef) {
        json_object_set_new(d, "chef_etablissement.name", json_string(u->display_name));
        json_object_set_new(d, "chef_etablissement.uai", json_string(u->scope_value));
    } else if (k == REQUEST_KIND_ENT) {
        char name[NAME_LEN];
        for (int i = 0; i < ENT_ONLINE_ROWS; i++)
            if (say(name, sizeof name, "online[%d].mode", i))
                json_object_set_new(d, name, json_string("classe_virtuelle"));
    }
    return d;
}

/* The kinds the account may file, each a link to its form. */
static int kinds_page(struct http_req *r)
{
    json_t *kinds = json_array();
    for (int k = 0; k < REQUEST_KIND_COUNT; k++)
        if (may_file(r->user.role, (enum request_kind)k))
            json_array_append_new(kinds, json_pack("{ss ss}", "code",
                                                   request_kind_code((enum request_kind)k), "label",
                                                   request_kind_label((enum request_kind)k)));
    if (json_array_size(kinds) == 0) {
        json_decref(kinds);
        return http_error_page(r, 403, "Votre rôle ne dépose pas de demande de formation.");
    }
    json_t *ctx = json_pack("{ss so}", "title", "Nouvelle demande", "kinds", kinds);
    http_crumbs(
        ctx, (struct crumb[]){{"/demandes", "Demandes de formation"}, {NULL, "Nouvelle demande"}},
        2);
    return http_page(r, 200, "request_kinds.html", ctx);
}

int page_request_new(struct http_req *r)
{
    const char *type = http_arg(r, "type");
    if (!type || !*type)
        return kinds_page(r);
    enum request_kind k = request_kind_parse(type);
    if (k == REQUEST_KIND_COUNT)
        return http_error_page(r, 404, "Ce type de demande n’existe pas.");
    if (!may_file(r->user.role, k))
        return http_error_page(r, 403, "Votre rôle ne permet pas de déposer ce type de demande.");
    struct filing f = {.r = r,
                       .kind = k,
                       .defaults = defaults_of(&r->user, k),
                       .msgs = json_object(),
                       .known = json_object()};
    int ret = form_page(&f, 200, NULL, NULL);
    filing_free(&f);
    return ret;
}

int page_request_create(struct http_req *r)
{
    struct app_ctx c = handler_ctx(r);
    const char *submit = http_form(r, "submit");
    struct request_input in = {
        .kind = http_form(r, "kind"),
        .title = http_form(r, "title"),
        .description = http_form(r, "description"),
        .submit = submit && strcmp(submit, "1") == 0,
    };
    enum request_kind k = request_kind_parse(in.kind);
    if (k == REQUEST_KIND_COUNT)
        return http_error_page(r, 400,
                               "Type de demande inconnu : choisissez-le sur la page "
                               "« Nouvelle demande ».");
    struct filing f = {.r = r, .kind = k, .msgs = json_object(), .known = json_object()};
    json_t *details = details_of(&f);
    in.details = details;
    struct field_errors errs = {0};
    struct rule_report rules;
    rule_report_init(&rules);
    int64_t id = 0;
    int rc = app_request_create(&c, &in, &errs, &rules, &id);
    json_decref(details);
    int ret;
    if (rc == 0) {
        char loc[64];
        say(loc, sizeof loc, "/demandes/%lld?ok=%s", (long long)id,
            in.submit ? "depot" : "brouillon");
        ret = http_redirect(r, loc);
    } else if (rc == ERR_INVAL) {
        ret = form_page(&f, 400, &errs, &rules);
    } else if (rc == ERR_DENIED) {
        ret = http_error_page(r, 403, "Votre rôle ne permet pas de déposer ce type de demande.");
    } else {
        ret = http_error_page(r, 500, "Le service est momentanément indisponible.");
    }
    filing_free(&f);
    return ret;
}
