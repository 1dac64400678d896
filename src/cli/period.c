/*
 * The subcommand `period add`: creates an internship period of the bureau des stages (seed 004
 * §3 d) with its wishes window, through app_period_create (validated and audited, as "cli"), so
 * that operators and tests can prepare a period before importing its places and students. The
 * new period's id is printed alone on stdout, for scripts; messages go to stderr.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/placement.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/timeutil.h"

static const char period_usage[] =
    "Usage : continuum period add --db FICHIER --code CODE --label INTITULÉ --cohort L2|L3|M1|M2\n"
    "          --kind preprof|file|masse --starts AAAA-MM-JJ --ends AAAA-MM-JJ\n"
    "          --open AAAA-MM-JJ --close AAAA-MM-JJ [--max-wishes N]\n"
    "Crée une période de stage : --starts et --ends bornent le stage ; les étudiants classent\n"
    "leurs vœux du --open à 0 h au --close à minuit (heure de Paris), --max-wishes vœux au plus\n"
    "(de 1 à 30, 10 par défaut). Le code (lettres sans accent, chiffres, « - », « _ », « . »)\n"
    "désigne la période dans « continuum import places|students --period CODE ».\n"
    "Affiche l'identifiant de la période créée sur la sortie standard.\n"
    "Code de sortie : 0 créée, 1 refusée (les raisons sont sur la sortie d'erreur), 2 usage.\n";

/* Copies s into dst (size bytes); false when it does not fit. */
static bool copy(char *dst, size_t size, const char *s)
{
    int n = snprintf(dst, size, "%s", s);
    return n >= 0 && (size_t)n < size;
}

/* 00:00 Paris time of the date s (AAAA-MM-JJ or JJ/MM/AAAA); false if s is no date. */
static bool day_start(const char *s, int64_t *t)
{
    return time_parse_date(s, strlen(s), t) == 0;
}

/* 00:00 Paris time of the day after the date s: the end of that day, whatever its length
 * (23 or 25 hours on the days clocks change). */
static bool day_end(const char *s, int64_t *t)
{
    int64_t start;
    if (!day_start(s, &start))
        return false;
    struct buf b;
    buf_init(&b, 64);
    bool ok = time_format_date(start + 30 * 3600, &b) == 0 && b.data &&
              time_parse_date(b.data, b.len, t) == 0;
    buf_free(&b);
    return ok;
}

static bool parse_max_wishes(const char *s, int *out)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (!*s || !end || *end || v < 1 || v > INTERNSHIP_MAX_WISHES)
        return false;
    *out = (int)v;
    return true;
}

static int usage_error(const char *what)
{
    if (what)
        fprintf(stderr, "continuum period add : %s\n", what);
    fputs(period_usage, stderr);
    return EXIT_USAGE;
}

int cmd_period(int argc, char **argv)
{
    if (cli_wants_help(argc, argv, period_usage))
        return EXIT_OK;
    if (argc < 2 || strcmp(argv[1], "add") != 0)
        return usage_error(NULL);
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"code", required_argument, NULL, 'c'},
                                         {"label", required_argument, NULL, 'l'},
                                         {"cohort", required_argument, NULL, 'h'},
                                         {"kind", required_argument, NULL, 'k'},
                                         {"starts", required_argument, NULL, 's'},
                                         {"ends", required_argument, NULL, 'e'},
                                         {"open", required_argument, NULL, 'o'},
                                         {"close", required_argument, NULL, 'x'},
                                         {"max-wishes", required_argument, NULL, 'm'},
                                         {0, 0, 0, 0}};
    const char *db = NULL, *code = NULL, *label = NULL, *cohort = NULL, *kind = NULL;
    const char *starts = NULL, *ends = NULL, *open = NULL, *close = NULL, *max = NULL;
    int c;
    optind = 1;
    opterr = 1;
    while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'c':
            code = optarg;
            break;
        case 'l':
            label = optarg;
            break;
        case 'h':
            cohort = optarg;
            break;
        case 'k':
            kind = optarg;
            break;
        case 's':
            starts = optarg;
            break;
        case 'e':
            ends = optarg;
            break;
        case 'o':
            open = optarg;
            break;
        case 'x':
            close = optarg;
            break;
        case 'm':
            max = optarg;
            break;
        default:
            return usage_error(NULL);
        }
    }
    if (!db || !code || !label || !cohort || !kind || !starts || !ends || !open || !close ||
        optind != argc - 1)
        return usage_error(NULL);

    struct internship_period p = {.max_wishes = 10};
    if (!copy(p.code, sizeof p.code, code) || !copy(p.label, sizeof p.label, label) ||
        !copy(p.cohort, sizeof p.cohort, cohort) || !copy(p.kind, sizeof p.kind, kind) ||
        !copy(p.starts_on, sizeof p.starts_on, starts) || !copy(p.ends_on, sizeof p.ends_on, ends))
        return usage_error("une valeur est trop longue (code : 40 caractères, intitulé : 200, "
                           "dates : AAAA-MM-JJ)");
    if (!day_start(open, &p.wishes_open_at))
        return usage_error("--open : date AAAA-MM-JJ attendue");
    if (!day_end(close, &p.wishes_close_at))
        return usage_error("--close : date AAAA-MM-JJ attendue");
    if (max && !parse_max_wishes(max, &p.max_wishes))
        return usage_error("--max-wishes : nombre entier de 1 à 30 attendu");

    struct store *st = cli_open_store(db);
    if (!st)
        return EXIT_FAIL;
    struct app_ctx ctx = {.st = st, .now = time_now()};
    struct field_errors errs = {0};
    int64_t id = 0;
    int rc = app_period_create(&ctx, &p, &errs, &id);
    store_close(st);
    if (rc) {
        for (int i = 0; i < errs.count; i++)
            fprintf(stderr, "continuum period add : %s\n", errs.items[i].message);
        if (!errs.count)
            fprintf(stderr, "continuum period add : échec (%s)\n", err_name(rc));
        return EXIT_FAIL;
    }
    printf("%" PRId64 "\n", id);
    fprintf(stderr, "continuum period add : période « %s » créée (identifiant %" PRId64 ")\n",
            p.code, id);
    return EXIT_OK;
}
