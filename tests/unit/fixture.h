/*
 * A small académie in a temporary SQLite file, shared by the store and app unit tests:
 * three institutions, three disciplines, a competence hierarchy, three trainers and accounts.
 * Header-only on purpose: each test binary includes it once.
 */
#ifndef TESTS_FIXTURE_H
#define TESTS_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

struct fixture {
    struct store *st;
    char path[64];
    int64_t t_durand, t_martin, t_bernard;         /* trainer ids */
    int64_t c_inclusion, c_numerique, c_geometrie; /* competence ids */
};

static int64_t fixture_trainer(struct store *st, const char *last, const char *first,
                               const char *inst, const char *corps, const char *degree,
                               const char *disc, const char *site, unsigned days, const char *bio)
{
    struct trainer t = {0};
    snprintf(t.last_name, sizeof t.last_name, "%s", last);
    snprintf(t.first_name, sizeof t.first_name, "%s", first);
    snprintf(t.institution, sizeof t.institution, "%s", inst);
    snprintf(t.corps, sizeof t.corps, "%s", corps);
    snprintf(t.degree, sizeof t.degree, "%s", degree);
    snprintf(t.discipline, sizeof t.discipline, "%s", disc);
    snprintf(t.site, sizeof t.site, "%s", site);
    snprintf(t.bio, sizeof t.bio, "%s", bio);
    t.weekdays = days;
    t.hours_quota = 50;
    int64_t id = 0;
    if (store_trainer_put(st, &t, 1700000000, &id) != 0)
        abort();
    return id;
}

static void fixture_open(struct fixture *f)
{
    memset(f, 0, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/continuum-test-XXXXXX");
    int fd = mkstemp(f->path);
    if (fd < 0)
        abort();
    close(fd);
    if (store_open(f->path, &f->st) != 0 || store_migrate(f->st, NULL, NULL) != 0)
        abort();
    struct store *st = f->st;
    int rc = 0;
    rc |= store_institution_add(st, "inspe", "Inspé de l’académie de Lyon", "inspe");
    rc |= store_institution_add(st, "lyon1", "Université Claude Bernard Lyon 1", "universite");
    rc |= store_institution_add(st, "rectorat", "Rectorat de l’académie de Lyon", "rectorat");
    rc |= store_discipline_add(st, "polyvalent", "Polyvalent (1er degré)");
    rc |= store_discipline_add(st, "mathematiques", "Mathématiques");
    rc |= store_discipline_add(st, "lettres", "Lettres modernes");
    rc |= store_competence_add(st, "transversal", "Enjeux transversaux", "transversal", NULL, NULL);
    rc |= store_competence_add(st, "inclusion", "École inclusive et élèves à besoins particuliers",
                               "transversal", "transversal", &f->c_inclusion);
    rc |= store_competence_add(st, "numerique", "Éducation au numérique", "transversal",
                               "transversal", &f->c_numerique);
    rc |= store_competence_add(st, "maths", "Mathématiques", "disciplinaire", NULL, NULL);
    rc |= store_competence_add(st, "geometrie", "Enseignement de la géométrie", "disciplinaire",
                               "maths", &f->c_geometrie);
    rc |= store_research_partner_add(st, "ispef", "ISPEF (Lyon 2)",
                                     "sciences de l’éducation, éducation inclusive");
    if (rc)
        abort();
    f->t_durand = fixture_trainer(st, "Durand", "Élise", "rectorat", "pemf", "1D", "polyvalent",
                                  "rhone", 0x0b, "Accompagnement des équipes en maternelle");
    f->t_martin = fixture_trainer(st, "Martin", "Hugo", "lyon1", "enseignant_chercheur", "SUP",
                                  "mathematiques", "loire", 0x10,
                                  "Didactique des mathématiques en éducation prioritaire");
    f->t_bernard = fixture_trainer(st, "Bernard", "Chloé", "rectorat", "formateur_academique", "2D",
                                   "lettres", "ain", 0x06, "");
    /* Durand: inclusion validated; Martin: geometry declared; Bernard: numérique refused. */
    rc |= store_trainer_competence_set(st, f->t_durand, f->c_inclusion, 3, COMPETENCE_VALIDATED, "",
                                       0, 1700000000, 1700000100);
    rc |= store_trainer_competence_declare(st, f->t_martin, f->c_geometrie, 4, 1700000200);
    rc |= store_trainer_competence_set(st, f->t_bernard, f->c_numerique, 2, COMPETENCE_REFUSED,
                                       "Aucune expérience attestée", 0, 1700000000, 1700000300);
    rc |= store_trainer_reindex(st, f->t_durand);
    rc |= store_trainer_reindex(st, f->t_martin);
    rc |= store_trainer_reindex(st, f->t_bernard);
    if (rc)
        abort();
}

static void fixture_close(struct fixture *f)
{
    store_close(f->st);
    char p[96];
    unlink(f->path);
    snprintf(p, sizeof p, "%s-wal", f->path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", f->path);
    unlink(p);
}

/* cmocka setup and teardown: *state is a struct fixture. */
static int fixture_setup(void **state)
{
    struct fixture *f = malloc(sizeof *f);
    if (!f)
        return -1;
    fixture_open(f);
    *state = f;
    return 0;
}

static int fixture_teardown(void **state)
{
    fixture_close(*state);
    free(*state);
    return 0;
}

#endif
