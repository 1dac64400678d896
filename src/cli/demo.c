/*
 * `continuum demo-data`: loads the demo académie of app/demo.h into a database (migrated first
 * if needed), refuses a database that already holds trainers, and prints what it created and the
 * demo accounts with their shared password on standard error.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app/demo.h"
#include "cli/cli.h"
#include "core/err.h"
#include "domain/dispositif.h"
#include "domain/request.h"

static const char demo_usage[] =
    "Usage : continuum demo-data --db FICHIER [--scale academie|national] [--seed N]\n"
    "Charge dans une base sans formateurs une académie de Lyon fictive : institutions,\n"
    "partenaires de recherche, disciplines, référentiel de compétences, circonscriptions,\n"
    "établissements, formateurs avec leurs compétences et expériences, un compte par rôle,\n"
    "les stages du master MEEF et une année de demandes de formation datées du jour du\n"
    "chargement.\n"
    "  --scale academie   environ 3 000 formateurs (par défaut)\n"
    "  --scale national   environ 100 000 formateurs\n"
    "  --seed N           graine du générateur (entier positif, 1 par défaut) : la même graine\n"
    "                     donne les mêmes données sur toutes les machines (et, chargée le\n"
    "                     même jour, les mêmes demandes de formation)\n"
    "Mot de passe de tous les comptes de démonstration : " DEMO_PASSWORD "\n";

/* Parses a decimal seed: digits only, at most 2^64 - 1. */
static int parse_seed(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s)
        return ERR_INVAL;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return ERR_INVAL;
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return ERR_INVAL;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void print_report(const char *db, enum demo_scale scale, uint64_t seed,
                         const struct demo_stats *s, double secs)
{
    long long tenths = (long long)(secs * 10 + 0.5); /* "2,4 s": a French decimal comma */
    fprintf(stderr,
            "continuum demo-data : « %s » chargée (échelle %s, graine %llu) en %lld,%lld s\n", db,
            demo_scale_code(scale), (unsigned long long)seed, tenths / 10, tenths % 10);
    fprintf(stderr,
            "  %d institutions dont %d partenaires de recherche, %d disciplines, "
            "%d compétences au référentiel\n"
            "  %d circonscriptions, %d établissements\n"
            "  %lld formateurs, %lld compétences déclarées (%lld validées, %lld en attente, "
            "%lld refusées), %lld expériences\n",
            s->institutions, s->research_partners, s->disciplines, s->competences,
            s->circonscriptions, s->establishments, (long long)s->trainers,
            (long long)s->trainer_competences, (long long)s->validated, (long long)s->declared,
            (long long)s->refused, (long long)s->experiences);
    fprintf(stderr,
            "  %d périodes de stage : %lld étudiants, %lld vœux, %lld lieux offrant %lld places ; "
            "affectation publiée de la période passée : %lld placés\n",
            s->internship_periods, (long long)s->internship_students,
            (long long)s->internship_wishes, (long long)s->internship_places,
            (long long)s->internship_seats, (long long)s->past_placed);
    fprintf(stderr,
            "  %d demandes de formation, dont %d en retard de réponse ; %d missions de "
            "formateurs, %d séances ; %d comptes ajoutés (demandeurs, formateurs sollicités)\n"
            "    par état :",
            s->requests, s->requests_overdue, s->request_missions, s->request_sessions,
            s->request_accounts);
    for (int k = 0; k < REQUEST_STATE_COUNT; k++)
        fprintf(stderr, "%s %s %d", k ? "," : "", request_state_label((enum request_state)k),
                s->requests_by_state[k]);
    fputs("\n    par type :", stderr);
    for (int k = 0; k < REQUEST_KIND_COUNT; k++)
        fprintf(stderr, "%s %s %d", k ? "," : "", request_kind_short((enum request_kind)k),
                s->requests_by_kind[k]);
    fputc('\n', stderr);
    if (s->requests_stalled)
        fprintf(stderr, "  %d demandes arrêtées avant l’état prévu : %s\n", s->requests_stalled,
                s->requests_note);
    fprintf(stderr, "Comptes de démonstration (mot de passe « %s ») :\n", DEMO_PASSWORD);
    for (int i = 0; i < s->accounts_count; i++) {
        const struct demo_account *a = &s->accounts[i];
        fprintf(stderr, "  %-14s %-18s %s", a->login, role_code(a->role), a->display_name);
        if (a->scope_value[0])
            fprintf(stderr, " — %s %s", scope_label(a->scope_kind), a->scope_value);
        if (a->role == ROLE_TRAINER)
            fprintf(stderr, " — formateur n° %lld", (long long)s->demo_trainer_id);
        fputc('\n', stderr);
    }
}

int cmd_demo_data(int argc, char **argv)
{
    if (cli_wants_help(argc, argv, demo_usage))
        return EXIT_OK;
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"scale", required_argument, NULL, 's'},
                                         {"seed", required_argument, NULL, 'S'},
                                         {0, 0, 0, 0}};
    const char *db = NULL;
    enum demo_scale scale = DEMO_SCALE_ACADEMIE;
    uint64_t seed = 1;
    int c;
    optind = 1;
    opterr = 0; /* getopt's own messages are in English: ours below are in French */
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 's':
            if (demo_scale_parse(optarg, &scale) != 0) {
                fprintf(stderr,
                        "continuum demo-data : échelle inconnue « %s » (academie ou national)\n",
                        optarg);
                return EXIT_USAGE;
            }
            break;
        case 'S':
            if (parse_seed(optarg, &seed) != 0) {
                fprintf(stderr,
                        "continuum demo-data : --seed attend un entier positif, pas « %s »\n",
                        optarg);
                return EXIT_USAGE;
            }
            break;
        default:
            fprintf(stderr, "continuum demo-data : option inconnue ou sans valeur « %s »\n",
                    argv[optind - 1]);
            fputs(demo_usage, stderr);
            return EXIT_USAGE;
        }
    }
    if (!db || optind != argc) {
        if (!db)
            fputs("continuum demo-data : --db FICHIER est obligatoire\n", stderr);
        else
            fprintf(stderr, "continuum demo-data : argument inattendu « %s »\n", argv[optind]);
        fputs(demo_usage, stderr);
        return EXIT_USAGE;
    }

    struct store *st = cli_open_store(db);
    if (!st)
        return EXIT_FAIL;
    /* Checked here for a quick answer; app_demo_load checks again inside its transaction. */
    int64_t existing = 0;
    if (store_trainer_count(st, &existing) != 0 || existing > 0) {
        if (existing > 0)
            fprintf(stderr,
                    "continuum demo-data : « %s » contient déjà %lld formateurs ; "
                    "chargez la démonstration dans une base vide\n",
                    db, (long long)existing);
        else
            fprintf(stderr, "continuum demo-data : lecture de « %s » impossible\n", db);
        store_close(st);
        return EXIT_FAIL;
    }
    if (scale == DEMO_SCALE_NATIONAL)
        fputs("continuum demo-data : échelle nationale, environ 100 000 formateurs : "
              "patientez quelques minutes…\n",
              stderr);

    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct demo_stats stats;
    int rc = app_demo_load(st, scale, seed, &stats);
    double secs = seconds_since(&t0);
    store_close(st);
    if (rc) {
        fprintf(stderr, "continuum demo-data : rien n’a été chargé : %s\n",
                stats.error[0] ? stats.error : err_name(rc));
        return EXIT_FAIL;
    }
    print_report(db, scale, seed, &stats, secs);
    return EXIT_OK;
}
