/*
 * The subcommands `import trainers` and `export trainers`: CSV files of trainers and their
 * competences (docs/csv.md) between a spreadsheet and the store, through app/trainer_csv; and
 * `import places` / `import students`: the internship places and students of one period of the
 * bureau des stages, through app/placement_csv. The command line is a trusted operator (no
 * actor); every change is still audited, as "cli".
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/placement_csv.h"
#include "app/trainer_csv.h"
#include "cli/cli.h"
#include "core/err.h"
#include "core/timeutil.h"

#define IMPORT_FILE_MAX ((size_t)256 << 20) /* far above any académie's trainers */

static const char import_usage[] =
    "Usage : continuum import trainers --db FICHIER --file FORMATEURS.csv [--partial]\n"
    "        continuum import places --db FICHIER --period CODE --file LIEUX.csv [--partial]\n"
    "        continuum import students --db FICHIER --period CODE --file ETUDIANTS.csv "
    "[--partial]\n"
    "Importe depuis un fichier CSV (UTF-8, avec ou sans BOM, séparateur point-virgule, ligne\n"
    "d'en-tête ; colonnes décrites dans docs/csv.md) :\n"
    "  trainers  des formateurs et leurs compétences ; une colonne id existante met à jour ce\n"
    "            formateur, sinon un formateur est créé ;\n"
    "  places    les lieux de stage de la période de code CODE (continuum period add) ;\n"
    "  students  les étudiants de cette période.\n"
    "Chaque ligne en erreur est signalée sur la sortie d'erreur avec son numéro de ligne.\n"
    "Sans --partial, rien n'est importé dès qu'une ligne est en erreur ; avec --partial,\n"
    "les lignes valides sont importées et les autres signalées.\n"
    "Code de sortie : 0 importé, 1 rien importé (fichier refusé ou échec), 2 usage.\n";

static const char export_usage[] =
    "Usage : continuum export trainers --db FICHIER [--out FORMATEURS.csv]\n"
    "Exporte tous les formateurs et leurs compétences en CSV (UTF-8 avec BOM, séparateur\n"
    "point-virgule, fins de ligne CRLF : le format qu'ouvre un tableur), sur la sortie\n"
    "standard ou dans le fichier --out. Le fichier se réimporte tel quel.\n";

/* The errors of an import's report, one line each. */
static void print_errors(const struct csv_import_error *errors, size_t nerrors, size_t dropped)
{
    for (size_t i = 0; i < nerrors; i++) {
        const struct csv_import_error *e = &errors[i];
        if (e->column[0])
            fprintf(stderr, "ligne %zu, colonne %s : %s\n", e->line, e->column, e->message);
        else
            fprintf(stderr, "ligne %zu : %s\n", e->line, e->message);
    }
    if (dropped)
        fprintf(stderr, "… et %zu autre(s) erreur(s) non affichée(s).\n", dropped);
}

/* The outcome of a placement import, after its errors. */
static void print_placement_outcome(int rc, const struct placement_csv_report *rep,
                                    enum placement_csv_kind kind, bool partial)
{
    const char *what = kind == PLACEMENT_CSV_PLACES ? "lieu(x) de stage" : "étudiant(s)";
    if (rc == 0) {
        fprintf(stderr, "continuum import : %zu %s importé(s)", rep->imported, what);
        if (rep->rejected)
            fprintf(stderr, " ; %zu ligne(s) en erreur non importée(s)", rep->rejected);
        fputs(".\n", stderr);
    } else if (rc == ERR_INVAL && rep->rows && rep->rejected) {
        fprintf(stderr,
                "continuum import : rien n'a été importé : %zu ligne(s) en erreur sur %zu.%s\n",
                rep->rejected, rep->rows,
                partial || rep->rejected == rep->rows
                    ? ""
                    : " Corrigez le fichier, ou relancez avec --partial pour importer les "
                      "lignes valides.");
    } else if (rc == ERR_INVAL) {
        fputs("continuum import : fichier refusé, rien n'a été importé.\n", stderr);
    } else if (rc == ERR_NOTFOUND) {
        fputs("continuum import : période inconnue ; rien n'a été importé.\n", stderr);
    } else if (rc == ERR_CONFLICT) {
        fputs("continuum import : la base a changé pendant l'import ; rien n'a été importé, "
              "relancez la commande.\n",
              stderr);
    } else {
        fprintf(stderr, "continuum import : échec (%s) ; rien n'a été importé.\n", err_name(rc));
    }
}

/* `import places|students`: argv[1] is the kind. */
static int import_placement(int argc, char **argv, enum placement_csv_kind kind)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"period", required_argument, NULL, 'r'},
                                         {"file", required_argument, NULL, 'f'},
                                         {"partial", no_argument, NULL, 'p'},
                                         {0, 0, 0, 0}};
    const char *db = NULL, *file = NULL, *period = NULL;
    bool partial = false;
    int c;
    optind = 1;
    opterr = 1;
    while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'r')
            period = optarg;
        else if (c == 'f')
            file = optarg;
        else if (c == 'p')
            partial = true;
        else
            return fputs(import_usage, stderr), EXIT_USAGE;
    }
    if (!db || !file || !period || optind != argc - 1)
        return fputs(import_usage, stderr), EXIT_USAGE;
    char *data = NULL;
    size_t len = 0;
    if (cli_read_file("import", file, IMPORT_FILE_MAX, &data, &len) != 0)
        return EXIT_FAIL;
    struct store *st = cli_open_store(db);
    if (!st) {
        free(data);
        return EXIT_FAIL;
    }
    int64_t period_id = 0;
    int rc = store_period_id(st, period, &period_id);
    if (rc) {
        if (rc == ERR_NOTFOUND)
            fprintf(stderr, "continuum import : aucune période de code « %s ».\n", period);
        else
            fprintf(stderr, "continuum import : échec (%s).\n", err_name(rc));
        store_close(st);
        free(data);
        return EXIT_FAIL;
    }
    struct app_ctx ctx = {.st = st, .now = time_now()};
    struct placement_csv_report rep;
    rc = placement_csv_import(&ctx, period_id, kind, data, len,
                              partial ? PLACEMENT_CSV_PARTIAL : PLACEMENT_CSV_ALL_OR_NOTHING, &rep);
    store_close(st);
    free(data);
    print_errors(rep.errors, rep.nerrors, rep.errors_dropped);
    print_placement_outcome(rc, &rep, kind, partial);
    placement_csv_report_free(&rep);
    return rc == 0 ? EXIT_OK : EXIT_FAIL;
}

int cmd_import(int argc, char **argv)
{
    if (cli_wants_help(argc, argv, import_usage))
        return EXIT_OK;
    int kind = argc < 2 ? -1 : placement_csv_kind_parse(argv[1]);
    if (kind >= 0)
        return import_placement(argc, argv, (enum placement_csv_kind)kind);
    if (argc < 2 || strcmp(argv[1], "trainers") != 0)
        return fputs(import_usage, stderr), EXIT_USAGE;
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"file", required_argument, NULL, 'f'},
                                         {"partial", no_argument, NULL, 'p'},
                                         {0, 0, 0, 0}};
    const char *db = NULL, *file = NULL;
    bool partial = false;
    int c;
    optind = 1;
    opterr = 1;
    while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'f')
            file = optarg;
        else if (c == 'p')
            partial = true;
        else
            return fputs(import_usage, stderr), EXIT_USAGE;
    }
    if (!db || !file || optind != argc - 1)
        return fputs(import_usage, stderr), EXIT_USAGE;
    char *data = NULL;
    size_t len = 0;
    if (cli_read_file("import", file, IMPORT_FILE_MAX, &data, &len) != 0)
        return EXIT_FAIL;
    struct store *st = cli_open_store(db);
    if (!st) {
        free(data);
        return EXIT_FAIL;
    }
    struct app_ctx ctx = {.st = st, .now = time_now()};
    struct trainer_csv_report rep;
    int rc = trainer_csv_import(&ctx, data, len,
                                partial ? TRAINER_CSV_PARTIAL : TRAINER_CSV_ALL_OR_NOTHING, &rep);
    store_close(st);
    free(data);
    print_errors(rep.errors, rep.nerrors, rep.errors_dropped);
    if (rc == 0) {
        fprintf(stderr,
                "continuum import : %zu formateur(s) créé(s), %zu mis à jour, %zu inchangé(s)",
                rep.created, rep.updated, rep.unchanged);
        if (rep.rejected)
            fprintf(stderr, " ; %zu ligne(s) en erreur non importée(s)", rep.rejected);
        fputs(".\n", stderr);
    } else if (rc == ERR_INVAL && rep.rows && rep.rejected) {
        fprintf(stderr,
                "continuum import : rien n'a été importé : %zu ligne(s) en erreur sur %zu.%s\n",
                rep.rejected, rep.rows,
                partial || rep.rejected == rep.rows
                    ? ""
                    : " Corrigez le fichier, ou relancez avec --partial pour importer les "
                      "lignes valides.");
    } else if (rc == ERR_INVAL) {
        fputs("continuum import : fichier refusé, rien n'a été importé.\n", stderr);
    } else if (rc == ERR_CONFLICT) {
        fputs("continuum import : la base a changé pendant l'import ; rien n'a été importé, "
              "relancez la commande.\n",
              stderr);
    } else {
        fprintf(stderr, "continuum import : échec (%s) ; rien n'a été importé.\n", err_name(rc));
    }
    trainer_csv_report_free(&rep);
    return rc == 0 ? EXIT_OK : EXIT_FAIL;
}

/* Export sink: writes and empties the buffer. */
static int write_out(void *arg, struct buf *out)
{
    FILE *f = arg;
    if (out->len && fwrite(out->data, 1, out->len, f) != out->len)
        return ERR_IO;
    buf_reset(out);
    return 0;
}

int cmd_export(int argc, char **argv)
{
    if (cli_wants_help(argc, argv, export_usage))
        return EXIT_OK;
    if (argc < 2 || strcmp(argv[1], "trainers") != 0)
        return fputs(export_usage, stderr), EXIT_USAGE;
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'}, {"out", required_argument, NULL, 'o'}, {0, 0, 0, 0}};
    const char *db = NULL, *path = NULL;
    int c;
    optind = 1;
    opterr = 1;
    while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'o')
            path = optarg;
        else
            return fputs(export_usage, stderr), EXIT_USAGE;
    }
    if (!db || optind != argc - 1)
        return fputs(export_usage, stderr), EXIT_USAGE;
    /* A file is written beside its final name and renamed once complete, so a failed export
     * never leaves half a file where the previous one was. */
    char tmp[4096];
    if (path) {
        int n = snprintf(tmp, sizeof tmp, "%s.tmp", path);
        if (n < 0 || (size_t)n >= sizeof tmp)
            return fputs("continuum export : chemin trop long\n", stderr), EXIT_USAGE;
    }
    struct store *st = cli_open_store(db);
    if (!st)
        return EXIT_FAIL;
    FILE *f = path ? fopen(tmp, "wb") : stdout;
    if (!f) {
        fprintf(stderr, "continuum export : impossible d'écrire « %s »\n", tmp);
        store_close(st);
        return EXIT_FAIL;
    }
    struct app_ctx ctx = {.st = st, .now = time_now()};
    struct buf out;
    buf_init(&out, (size_t)1 << 20); /* flushed every 64 KiB; one row is far below 1 Mio */
    size_t count = 0;
    int rc = trainer_csv_export(&ctx, &out, write_out, f, &count);
    buf_free(&out);
    store_close(st);
    if (path) {
        if (fclose(f) != 0 && rc == 0)
            rc = ERR_IO;
        if (rc == 0 && rename(tmp, path) != 0)
            rc = ERR_IO;
        if (rc)
            remove(tmp);
    } else if (fflush(stdout) != 0 && rc == 0) {
        rc = ERR_IO;
    }
    if (rc) {
        fprintf(stderr, "continuum export : échec (%s)\n", err_name(rc));
        return EXIT_FAIL;
    }
    fprintf(stderr, "continuum export : %zu formateur(s) exporté(s)%s%s%s\n", count,
            path ? " vers « " : "", path ? path : "", path ? " »" : "");
    return EXIT_OK;
}
