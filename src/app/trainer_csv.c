/*
 * CSV import and export of trainers (trainer_csv.h, docs/csv.md). An import runs in two passes
 * over the file (app/csv_import), so that memory does not grow with the number of rows: the first
 * checks every row against the store and the référentiels and collects the report, remembering
 * for each record only a few flags (bad, update, blank); the second, inside one transaction, reads
 * the file again, rebuilds each good row the same way and writes it. Rebuilding a row is cheap
 * next to writing it, and the second pass re-checks each row, so a store that changed in between
 * cannot slip a bad row in (the import then fails with ERR_CONFLICT and writes nothing). The
 * create/update decision of the first pass is kept: a trainer created by the second pass must
 * not turn a later "unknown id" row into an update of it.
 */
#include "app/trainer_csv.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/err.h"

enum col {
    COL_ID,
    COL_NOM,
    COL_PRENOM,
    COL_COURRIEL,
    COL_INSTITUTION,
    COL_CORPS,
    COL_DEGRE,
    COL_DISCIPLINE,
    COL_SITE,
    COL_JOURS,
    COL_QUOTA,
    COL_PRESENTATION,
    COL_COMPETENCES,
    COL_COUNT
};

_Static_assert(COL_COUNT <= CSV_IMPORT_MAX_COLS, "CSV_IMPORT_MAX_COLS");

/* The columns, in export order. field is trainer_validate()'s name for the same data. */
static const struct csv_import_column columns[COL_COUNT] = {
    [COL_ID] = {"id", "Identifiant", "id", false},
    [COL_NOM] = {"nom", "Nom", "last_name", true},
    [COL_PRENOM] = {"prenom", "Prénom", "first_name", true},
    [COL_COURRIEL] = {"courriel", "Courriel", "email", false},
    [COL_INSTITUTION] = {"institution", "Institution", "institution", true},
    [COL_CORPS] = {"corps", "Corps", "corps", true},
    [COL_DEGRE] = {"degre", "Degré", "degree", true},
    [COL_DISCIPLINE] = {"discipline", "Discipline", "discipline", true},
    [COL_SITE] = {"site", "Site", "site", true},
    [COL_JOURS] = {"jours", "Jours", "weekdays", false},
    [COL_QUOTA] = {"quota_heures", "Quota d’heures", "hours_quota", false},
    [COL_PRESENTATION] = {"presentation", "Présentation", "bio", false},
    [COL_COMPETENCES] = {"competences", "Compétences", "competences", false},
};

/* Other header spellings users write, after folding. */
static const struct csv_import_alias aliases[] = {
    {"email", COL_COURRIEL},
    {"e_mail", COL_COURRIEL},
    {"mel", COL_COURRIEL},
    {"quota", COL_QUOTA},
};

enum {
    ROW_UPDATE = CSV_IMPORT_ROW_OWN, /* the id exists: update, else create */
};

#define EXPORT_FLUSH_AT ((size_t)64 << 10)

struct comp_item {
    const struct csv_import_ref *ref;
    int level;
};

/* One data row as it will be written. */
struct row {
    size_t line;
    bool update;
    int64_t id; /* from the file; 0 when none */
    struct trainer t;
    struct trainer before; /* when update */
    struct comp_item comps[TRAINER_CSV_MAX_COMPETENCES];
    size_t ncomps;
};

struct importer {
    struct csv_import ci; /* the file, the report, the row's errors (ci.nerr, ci.bad_cols) */
    struct app_ctx *ctx;
    struct trainer_csv_report *rep;
    struct csv_import_refs inst, disc, comp;
    struct csv_import_seen ids; /* pass 1: the ids of the file, as decimal strings */
    struct row row;
};

/* ---- référentiels ---- */

static int load_referentials(struct importer *imp)
{
    struct store *st = imp->ctx->st;
    json_t *a = NULL;
    int rc = store_institutions(st, &a);
    if (rc == 0)
        rc = csv_import_refs_load(&imp->inst, a, "name");
    a = NULL;
    if (rc == 0)
        rc = store_disciplines(st, &a);
    if (rc == 0)
        rc = csv_import_refs_load(&imp->disc, a, "name");
    a = NULL;
    if (rc == 0)
        rc = store_competences(st, &a);
    if (rc == 0)
        rc = csv_import_refs_load(&imp->comp, a, NULL);
    return rc;
}

/* ---- one row ---- */

static void parse_competences(struct importer *imp, struct csv_field v)
{
    struct csv_import *ci = &imp->ci;
    struct row *w = &imp->row;
    size_t i = 0;
    while (i <= v.len) {
        const char *end = memchr(v.ptr + i, '|', v.len - i);
        size_t n = end ? (size_t)(end - (v.ptr + i)) : v.len - i;
        struct csv_field item = csv_import_trim((struct csv_field){v.ptr + i, n});
        i += n + 1;
        if (!item.len)
            continue;
        /* code:niveau[:etat]; the state is accepted and ignored (trainer_csv.h) */
        const char *c1 = memchr(item.ptr, ':', item.len);
        const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(item.ptr + item.len - c1 - 1)) : NULL;
        const char *c3 = c2 ? memchr(c2 + 1, ':', (size_t)(item.ptr + item.len - c2 - 1)) : NULL;
        if (!c1 || c3) {
            csv_import_report(ci, w->line, COL_COMPETENCES,
                              "Compétences : « %s » ne suit pas la forme code:niveau (par exemple "
                              "inclusion:3).",
                              csv_import_quote(ci, item.ptr, item.len));
            continue;
        }
        struct csv_field code =
            csv_import_trim((struct csv_field){item.ptr, (size_t)(c1 - item.ptr)});
        size_t lv_len = (size_t)((c2 ? c2 : item.ptr + item.len) - c1 - 1);
        struct csv_field lv = csv_import_trim((struct csv_field){c1 + 1, lv_len});
        const struct csv_import_ref *ref = csv_import_refs_find(ci, &imp->comp, code.ptr, code.len);
        if (!ref) {
            csv_import_report(ci, w->line, COL_COMPETENCES, "Compétences : code inconnu « %s ».",
                              csv_import_quote(ci, code.ptr, code.len));
            continue;
        }
        if (lv.len != 1 || lv.ptr[0] < '1' || lv.ptr[0] > '4') {
            csv_import_report(ci, w->line, COL_COMPETENCES,
                              "Compétences : niveau de 1 (notions) à 4 (expert) attendu pour "
                              "« %s », pas « %s ».",
                              ref->code, csv_import_quote(ci, lv.ptr, lv.len));
            continue;
        }
        bool dup = false;
        for (size_t k = 0; k < w->ncomps && !dup; k++)
            dup = w->comps[k].ref == ref;
        if (dup) {
            csv_import_report(ci, w->line, COL_COMPETENCES,
                              "Compétences : « %s » figure deux fois.", ref->code);
            continue;
        }
        if (w->ncomps == TRAINER_CSV_MAX_COMPETENCES) {
            csv_import_report(ci, w->line, COL_COMPETENCES,
                              "Compétences : %d au plus par formateur.",
                              TRAINER_CSV_MAX_COMPETENCES);
            return;
        }
        w->comps[w->ncomps].ref = ref;
        w->comps[w->ncomps].level = lv.ptr[0] - '0';
        w->ncomps++;
    }
}

/* The id column: decides update or create. Returns 0 or a store error (not a row error). */
static int row_id(struct importer *imp, const struct csv_record *rec, unsigned char flags)
{
    struct csv_import *ci = &imp->ci;
    struct row *w = &imp->row;
    struct csv_field v;
    if (!csv_import_value(ci, rec, COL_ID, false, &v) || v.len == 0)
        return 0;
    int64_t id = 0;
    if (!csv_import_parse_uint(v.ptr, v.len, 18, &id) || id == 0) {
        csv_import_report(ci, w->line, COL_ID,
                          "Identifiant : nombre entier positif attendu, pas « %s ».",
                          csv_import_quote(ci, v.ptr, v.len));
        return 0;
    }
    w->id = id;
    if (ci->pass == 1) {
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)id);
        size_t first = 0;
        int rc = csv_import_seen_add(&imp->ids, key, w->line, &first);
        if (rc)
            return rc;
        if (first > 0) {
            csv_import_report(ci, w->line, COL_ID,
                              "Identifiant : le formateur %lld figure déjà ligne %lld du fichier.",
                              (long long)id, (long long)first);
            return 0;
        }
        rc = store_trainer_load(imp->ctx->st, id, &w->before);
        if (rc == 0)
            w->update = true;
        else if (rc != ERR_NOTFOUND)
            return rc;
        return 0;
    }
    if (!(flags & ROW_UPDATE))
        return 0;
    int rc = store_trainer_load(imp->ctx->st, id, &w->before);
    if (rc == ERR_NOTFOUND) {
        csv_import_report(ci, w->line, COL_ID, "Identifiant : le formateur %lld n’existe plus.",
                          (long long)id);
        return 0;
    }
    if (rc == 0)
        w->update = true;
    return rc;
}

/*
 * Builds imp->row from rec: the stored trainer when the row updates one, overlaid with the
 * columns of the file, then checked. Row errors are reported (imp->ci.nerr); the return value
 * is 0 or a store / memory error that stops the import.
 */
static int build_row(struct importer *imp, const struct csv_record *rec, unsigned char flags)
{
    struct csv_import *ci = &imp->ci;
    struct row *w = &imp->row;
    memset(w, 0, sizeof *w);
    w->line = rec->line;
    if (!csv_import_check_width(ci, rec))
        return 0;
    int rc = row_id(imp, rec, flags);
    if (rc)
        return rc;
    struct trainer *t = &w->t;
    if (w->update) {
        *t = w->before;
        t->id = w->id;
    }
    size_t line = w->line;
    struct csv_field v;
    if (csv_import_value(ci, rec, COL_NOM, false, &v))
        csv_import_set_text(ci, line, COL_NOM, t->last_name, sizeof t->last_name, TRAINER_NAME_MAX,
                            v);
    if (csv_import_value(ci, rec, COL_PRENOM, false, &v))
        csv_import_set_text(ci, line, COL_PRENOM, t->first_name, sizeof t->first_name,
                            TRAINER_NAME_MAX, v);
    if (csv_import_value(ci, rec, COL_COURRIEL, false, &v))
        csv_import_set_text(ci, line, COL_COURRIEL, t->email, sizeof t->email, TRAINER_EMAIL_MAX,
                            v);
    if (csv_import_value(ci, rec, COL_PRESENTATION, true, &v))
        csv_import_set_text(ci, line, COL_PRESENTATION, t->bio, sizeof t->bio, TRAINER_BIO_MAX, v);
    if (csv_import_value(ci, rec, COL_INSTITUTION, false, &v))
        csv_import_set_ref(ci, line, COL_INSTITUTION, &imp->inst, "des institutions",
                           t->institution, sizeof t->institution, v);
    if (csv_import_value(ci, rec, COL_DISCIPLINE, false, &v))
        csv_import_set_ref(ci, line, COL_DISCIPLINE, &imp->disc, "des disciplines", t->discipline,
                           sizeof t->discipline, v);
    if (csv_import_value(ci, rec, COL_CORPS, false, &v))
        csv_import_set_closed(ci, line, COL_CORPS, trainer_corps_codes, trainer_corps_label,
                              "un code de corps (pemf, cpc, professeur_ecoles…)", t->corps,
                              sizeof t->corps, v);
    if (csv_import_value(ci, rec, COL_DEGRE, false, &v))
        csv_import_set_closed(ci, line, COL_DEGRE, trainer_degree_codes, trainer_degree_label,
                              "1D, 2D ou SUP", t->degree, sizeof t->degree, v);
    if (csv_import_value(ci, rec, COL_SITE, false, &v))
        csv_import_set_closed(ci, line, COL_SITE, trainer_site_codes, trainer_site_label,
                              "Ain, Loire ou Rhône", t->site, sizeof t->site, v);
    if (csv_import_value(ci, rec, COL_JOURS, false, &v)) {
        int bits = v.len ? weekdays_parse(v.ptr, v.len) : 0;
        if (bits < 0)
            csv_import_report(ci, line, COL_JOURS,
                              "Jours : « %s » contient un jour inconnu (lundi, mardi, mercredi, "
                              "jeudi, vendredi ou samedi, séparés par des virgules).",
                              csv_import_quote(ci, v.ptr, v.len));
        else
            t->weekdays = (unsigned)bits;
    }
    if (csv_import_value(ci, rec, COL_QUOTA, false, &v)) {
        int64_t q = 0;
        if (v.len && (!csv_import_parse_uint(v.ptr, v.len, 4, &q) || q > TRAINER_QUOTA_MAX))
            csv_import_report(
                ci, line, COL_QUOTA,
                "Quota d’heures : nombre entier d’heures de 0 à %d attendu, pas « %s ».",
                TRAINER_QUOTA_MAX, csv_import_quote(ci, v.ptr, v.len));
        else
            t->hours_quota = (int)q;
    }
    if (csv_import_value(ci, rec, COL_COMPETENCES, false, &v))
        parse_competences(imp, v);

    /* The domain rules, for what the parsing above did not already reject. */
    struct field_errors errs = {0};
    trainer_validate(t, &errs);
    csv_import_field_errors(ci, line, &errs);
    return 0;
}

/* ---- writing ---- */

static bool trainer_same(const struct trainer *a, const struct trainer *b)
{
    return strcmp(a->last_name, b->last_name) == 0 && strcmp(a->first_name, b->first_name) == 0 &&
           strcmp(a->email, b->email) == 0 && strcmp(a->institution, b->institution) == 0 &&
           strcmp(a->corps, b->corps) == 0 && strcmp(a->degree, b->degree) == 0 &&
           strcmp(a->discipline, b->discipline) == 0 && strcmp(a->site, b->site) == 0 &&
           a->weekdays == b->weekdays && a->hours_quota == b->hours_quota &&
           strcmp(a->bio, b->bio) == 0;
}

/* The audited view of a trainer: the same keys as app_trainer_update's entries. */
static json_t *snapshot(const struct trainer *t, json_t *comps)
{
    json_t *o =
        json_pack("{ss ss ss ss ss ss ss ss si si ss}", "last_name", t->last_name, "first_name",
                  t->first_name, "email", t->email, "institution", t->institution, "corps",
                  t->corps, "degree", t->degree, "discipline", t->discipline, "site", t->site,
                  "weekdays", (int)t->weekdays, "hours_quota", t->hours_quota, "bio", t->bio);
    if (o && json_array_size(comps))
        json_object_set(o, "competences", comps);
    return o;
}

/* Declares the row's competences that are new or at another level. */
static int write_competences(struct importer *imp, int64_t tid, json_t *before, json_t *after,
                             size_t *changed)
{
    struct row *w = &imp->row;
    struct store *st = imp->ctx->st;
    for (size_t k = 0; k < w->ncomps; k++) {
        const struct comp_item *c = &w->comps[k];
        if (w->update) {
            enum competence_state state;
            int level = 0;
            int rc = store_trainer_competence_state(st, tid, c->ref->id, &state, &level);
            if (rc == 0 && level == c->level)
                continue; /* same level: keep its state, validated or not */
            if (rc == 0)
                json_array_append_new(before,
                                      json_pack("{ss si ss}", "competence", c->ref->code, "level",
                                                level, "state", competence_state_code(state)));
            else if (rc != ERR_NOTFOUND)
                return rc;
        }
        int rc = store_trainer_competence_declare(st, tid, c->ref->id, c->level, imp->ctx->now);
        if (rc)
            return rc;
        json_array_append_new(after, json_pack("{ss si ss}", "competence", c->ref->code, "level",
                                               c->level, "state", "declared"));
        (*changed)++;
    }
    return 0;
}

/* Writes imp->row (inside the transaction) and audits it. */
static int write_row(struct importer *imp)
{
    struct row *w = &imp->row;
    struct store *st = imp->ctx->st;
    bool fields_changed = !w->update || !trainer_same(&w->before, &w->t);
    int64_t tid = w->update ? w->id : 0;
    size_t comps_changed = 0;
    json_t *cb = json_array(), *ca = json_array();
    int rc = cb && ca ? 0 : ERR_NOMEM;
    /* Updates declare first so that the one reindex of store_trainer_put covers both; a new
     * trainer needs its id first. */
    if (rc == 0 && w->update)
        rc = write_competences(imp, tid, cb, ca, &comps_changed);
    if (rc == 0 && fields_changed) {
        w->t.id = w->update ? w->id : 0;
        rc = store_trainer_put(st, &w->t, imp->ctx->now, &tid);
    }
    if (rc == 0 && !w->update) {
        rc = write_competences(imp, tid, cb, ca, &comps_changed);
        if (rc == 0 && comps_changed)
            rc = store_trainer_reindex(st, tid);
    } else if (rc == 0 && comps_changed && !fields_changed) {
        rc = store_trainer_reindex(st, tid);
    }
    if (rc == 0 && !fields_changed && !comps_changed) {
        imp->rep->unchanged++;
    } else if (rc == 0) {
        json_t *before = w->update ? snapshot(&w->before, cb) : NULL;
        json_t *after = snapshot(&w->t, ca);
        if (!after || (w->update && !before)) {
            json_decref(before);
            json_decref(after);
            rc = ERR_NOMEM;
        } else {
            rc = app_audit(imp->ctx, "trainer.import", "trainer", tid, before, after);
        }
        if (rc == 0 && w->update)
            imp->rep->updated++;
        else if (rc == 0)
            imp->rep->created++;
    }
    json_decref(cb);
    json_decref(ca);
    return rc;
}

/* ---- the two passes ---- */

/* Pass 1 (csv_import_ops.check_row): builds and checks the row, notes whether it updates. */
static int check_row(void *arg, const struct csv_record *rec, unsigned char *flags)
{
    struct importer *imp = arg;
    int rc = build_row(imp, rec, 0);
    if (rc == 0 && imp->row.update)
        *flags = ROW_UPDATE;
    return rc;
}

/* Pass 2 (csv_import_ops.write_row), inside the transaction: rebuilds the row and writes it. */
static int write_good_row(void *arg, const struct csv_record *rec, unsigned char flags)
{
    struct importer *imp = arg;
    int rc = build_row(imp, rec, flags);
    if (rc)
        return rc;
    if (imp->ci.nerr)
        return ERR_CONFLICT; /* the store changed since pass 1 */
    return write_row(imp);
}

static const struct csv_import_ops import_ops = {
    .sep = TRAINER_CSV_SEP,
    .check_in_transaction = false,
    .check_row = check_row,
    .write_row = write_good_row,
};

static int run_import(struct importer *imp, const char *data, size_t len,
                      enum trainer_csv_mode mode)
{
    struct trainer_csv_report *rep = imp->rep;
    if (!csv_import_check_encoding(&imp->ci, data, len))
        return ERR_INVAL;
    int rc = load_referentials(imp);
    if (rc == 0)
        rc = csv_import_run(&imp->ci, data, len, mode != TRAINER_CSV_ALL_OR_NOTHING, &import_ops,
                            imp);
    if (rc) {
        rep->created = rep->updated = rep->unchanged = 0;
        return rc;
    }
    rep->imported = true;
    return 0;
}

int trainer_csv_import(struct app_ctx *ctx, const char *data, size_t len,
                       enum trainer_csv_mode mode, struct trainer_csv_report *rep)
{
    memset(rep, 0, sizeof *rep);
    if (ctx->actor && !role_can(ctx->actor->role, CAP_TRAINER_IMPORT))
        return ERR_DENIED;
    struct importer *imp = calloc(1, sizeof *imp);
    if (!imp)
        return ERR_NOMEM;
    imp->ctx = ctx;
    imp->rep = rep;
    csv_import_init(&imp->ci, ctx->st,
                    (struct csv_import_sink){&rep->rows, &rep->rejected, &rep->errors,
                                             &rep->nerrors, &rep->errors_dropped});
    for (int c = 0; c < COL_COUNT; c++)
        imp->ci.cols[c] = &columns[c];
    imp->ci.ncols = COL_COUNT;
    imp->ci.aliases = aliases;
    imp->ci.naliases = sizeof aliases / sizeof aliases[0];
    imp->ci.hint_columns = "nom;prenom;institution;corps;degre;discipline;site…";
    imp->ci.known_columns = "id, nom, prenom, courriel, institution, corps, degre, discipline, "
                            "site, jours, quota_heures, presentation et competences";
    imp->ci.quote_raw_header_cell = true;
    int rc = run_import(imp, data ? data : "", data ? len : 0, mode);
    csv_import_free(&imp->ci);
    csv_import_refs_free(&imp->inst);
    csv_import_refs_free(&imp->disc);
    csv_import_refs_free(&imp->comp);
    csv_import_seen_free(&imp->ids);
    free(imp);
    return rc;
}

void trainer_csv_report_free(struct trainer_csv_report *rep)
{
    free(rep->errors);
    memset(rep, 0, sizeof *rep);
}

/* ---- export ---- */

struct exporter {
    struct buf *out;
    int (*flush)(void *arg, struct buf *out);
    void *arg;
    size_t count;
    struct buf cell;
};

static const char *jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static void put(struct exporter *x, const char *s, size_t len, bool first)
{
    csv_write_field(x->out, s, len, TRAINER_CSV_SEP, first);
}

static void put_str(struct exporter *x, const char *s)
{
    put(x, s, strlen(s), false);
}

static int export_row(void *arg, json_t *row)
{
    struct exporter *x = arg;
    char num[32];
    int n = snprintf(num, sizeof num, "%lld",
                     (long long)json_integer_value(json_object_get(row, "id")));
    put(x, num, (size_t)n, true);
    put_str(x, jstr(row, "last_name"));
    put_str(x, jstr(row, "first_name"));
    put_str(x, jstr(row, "email"));
    put_str(x, jstr(row, "institution"));
    put_str(x, jstr(row, "corps"));
    put_str(x, jstr(row, "degree"));
    put_str(x, jstr(row, "discipline"));
    put_str(x, jstr(row, "site"));
    unsigned wd = (unsigned)json_integer_value(json_object_get(row, "weekdays_bits"));
    buf_reset(&x->cell);
    for (int d = 0; d < 6; d++)
        if (wd & (1u << d))
            buf_printf(&x->cell, "%s%s", x->cell.len ? "," : "", weekday_names[d]);
    put(x, x->cell.data, x->cell.len, false);
    n = snprintf(num, sizeof num, "%d",
                 (int)json_integer_value(json_object_get(row, "hours_quota")));
    put(x, num, (size_t)n, false);
    put_str(x, jstr(row, "bio"));
    buf_reset(&x->cell);
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(row, "competences"), i, c)
    {
        buf_printf(&x->cell, "%s%s:%d:%s", i ? "|" : "", jstr(c, "code"),
                   (int)json_integer_value(json_object_get(c, "level")), jstr(c, "state"));
    }
    put(x, x->cell.data, x->cell.len, false);
    csv_write_eol(x->out);
    if (buf_failed(&x->cell))
        return x->cell.err;
    if (buf_failed(x->out))
        return x->out->err;
    x->count++;
    if (x->flush && x->out->len > EXPORT_FLUSH_AT)
        return x->flush(x->arg, x->out);
    return 0;
}

int trainer_csv_export(struct app_ctx *ctx, struct buf *out,
                       int (*flush)(void *arg, struct buf *out), void *arg, size_t *count)
{
    if (ctx->actor && !role_can(ctx->actor->role, CAP_TRAINER_IMPORT))
        return ERR_DENIED;
    struct exporter x = {.out = out, .flush = flush, .arg = arg};
    buf_init(&x.cell, CSV_MAX_FIELD_LEN);
    csv_write_bom(out);
    for (int c = 0; c < COL_COUNT; c++)
        put(&x, columns[c].name, strlen(columns[c].name), c == 0);
    csv_write_eol(out);
    int rc = buf_failed(out) ? out->err : 0;
    if (rc == 0)
        rc = store_trainer_each(ctx->st, export_row, &x);
    if (rc == 0 && flush)
        rc = flush(arg, out);
    buf_free(&x.cell);
    if (rc)
        return rc;
    if (count)
        *count = x.count;
    /* Who took a copy of the personal data of every trainer, and when (ASVS V7). */
    return app_audit(ctx, "trainer.export", "trainer", 0, NULL,
                     json_pack("{sI}", "rows", (json_int_t)x.count));
}
