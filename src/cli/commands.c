/* The subcommands init, serve, user add and token create, and the helpers they share. */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/app.h"
#include "cli/cli.h"
#include "core/err.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "http/http.h"

#ifndef CONTINUUM_SOURCE_DIR
#define CONTINUUM_SOURCE_DIR "."
#endif

int cli_wants_help(int argc, char **argv, const char *usage)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return 1;
        }
    return 0;
}

int cli_read_file(const char *cmd, const char *path, size_t max, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct stat sb;
    if (!f || fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fprintf(stderr, "continuum %s : impossible de lire « %s »\n", cmd, path);
        if (f)
            fclose(f);
        return ERR_IO;
    }
    if ((unsigned long long)sb.st_size > max) {
        fprintf(stderr, "continuum %s : « %s » dépasse %zu Mio\n", cmd, path, max >> 20);
        fclose(f);
        return ERR_TOOBIG;
    }
    size_t n = (size_t)sb.st_size;
    char *data = malloc(n ? n : 1);
    if (!data) {
        fclose(f);
        fprintf(stderr, "continuum %s : mémoire insuffisante\n", cmd);
        return ERR_NOMEM;
    }
    size_t got = fread(data, 1, n, f);
    int bad = ferror(f);
    fclose(f);
    if (bad || got != n) {
        free(data);
        fprintf(stderr, "continuum %s : lecture de « %s » interrompue\n", cmd, path);
        return ERR_IO;
    }
    *out = data;
    *len = n;
    return 0;
}

struct store *cli_open_store(const char *path)
{
    struct store *st = NULL;
    if (store_open(path, &st) != 0) {
        fprintf(stderr, "continuum : impossible d'ouvrir la base « %s »\n", path);
        return NULL;
    }
    int from = 0, to = 0;
    if (store_migrate(st, &from, &to) != 0) {
        fprintf(stderr, "continuum : la mise à jour du schéma de « %s » a échoué\n", path);
        store_close(st);
        return NULL;
    }
    return st;
}

/* getopt_long over a subcommand's argv; prints usage on error. */
static void reset_getopt(void)
{
    optind = 1;
    opterr = 1;
}

static const char init_usage[] = "Usage : continuum init --db FICHIER\n"
                                 "Crée la base ou applique les migrations manquantes "
                                 "(sans effet si elle est à jour).\n";

int cmd_init(int argc, char **argv)
{
    if (cli_wants_help(argc, argv, init_usage))
        return EXIT_OK;
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'}, {0, 0, 0, 0}};
    const char *db = NULL;
    int c;
    reset_getopt();
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else
            return fputs(init_usage, stderr), EXIT_USAGE;
    }
    if (!db || optind != argc)
        return fputs(init_usage, stderr), EXIT_USAGE;
    struct store *st = NULL;
    if (store_open(db, &st) != 0) {
        fprintf(stderr, "continuum init : impossible d'ouvrir « %s »\n", db);
        return EXIT_FAIL;
    }
    int from = 0, to = 0;
    int rc = store_migrate(st, &from, &to);
    store_close(st);
    if (rc) {
        fprintf(stderr, "continuum init : migration impossible (%s)\n", err_name(rc));
        return EXIT_FAIL;
    }
    if (from == to)
        fprintf(stderr, "continuum init : base à jour (schéma %d)\n", to);
    else
        fprintf(stderr, "continuum init : schéma %d → %d\n", from, to);
    return EXIT_OK;
}

static const char serve_usage[] =
    "Usage : continuum serve --db FICHIER [--bind ADRESSE] [--port N] [--threads N]\n"
    "                        [--dsfr-dir DOSSIER] [--static-dir DOSSIER] [--port-file FICHIER]\n"
    "                        [--no-search-cache]\n"
    "Sert l'application sur http://ADRESSE:PORT (127.0.0.1:8080 par défaut).\n"
    "--port 0 choisit un port libre ; --port-file y écrit le port choisi.\n"
    "--no-search-cache recalcule chaque recherche de l'API (mesures de la recherche seule).\n";

int cmd_serve(int argc, char **argv)
{
    if (cli_wants_help(argc, argv, serve_usage))
        return EXIT_OK;
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"bind", required_argument, NULL, 'b'},
                                         {"port", required_argument, NULL, 'p'},
                                         {"threads", required_argument, NULL, 't'},
                                         {"dsfr-dir", required_argument, NULL, 'D'},
                                         {"static-dir", required_argument, NULL, 'S'},
                                         {"port-file", required_argument, NULL, 'P'},
                                         {"no-search-cache", no_argument, NULL, 'N'},
                                         {0, 0, 0, 0}};
    struct server_config cfg = {
        .bind = "127.0.0.1",
        .port = 8080,
        .dsfr_dir = CONTINUUM_SOURCE_DIR "/node_modules/@gouvfr/dsfr/dist",
        .static_dir = CONTINUUM_SOURCE_DIR "/src/web/static",
    };
    int c;
    char *end;
    long v;
    reset_getopt();
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            cfg.db_path = optarg;
            break;
        case 'b':
            cfg.bind = optarg;
            break;
        case 'p':
            v = strtol(optarg, &end, 10);
            if (*end || v < 0 || v > 65535)
                return fputs("continuum serve : --port attend un entier de 0 à 65535\n", stderr),
                       EXIT_USAGE;
            cfg.port = (unsigned short)v;
            break;
        case 't':
            v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 256)
                return fputs("continuum serve : --threads attend un entier de 1 à 256\n", stderr),
                       EXIT_USAGE;
            cfg.threads = (int)v;
            break;
        case 'D':
            cfg.dsfr_dir = optarg;
            break;
        case 'S':
            cfg.static_dir = optarg;
            break;
        case 'P':
            cfg.port_file = optarg;
            break;
        case 'N':
            cfg.no_search_cache = true;
            break;
        default:
            return fputs(serve_usage, stderr), EXIT_USAGE;
        }
    }
    if (!cfg.db_path || optind != argc)
        return fputs(serve_usage, stderr), EXIT_USAGE;
    struct store *st = cli_open_store(cfg.db_path);
    if (!st)
        return EXIT_FAIL;
    store_close(st);

    /* Block the stop signals before the worker threads start, then wait for one. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct server *srv = NULL;
    if (server_start(&cfg, &srv) != 0) {
        fprintf(stderr, "continuum serve : démarrage impossible sur %s:%u\n", cfg.bind, cfg.port);
        return EXIT_FAIL;
    }
    unsigned short port = server_port(srv);
    log_info("serve listening=http://%s:%u db=\"%s\"", cfg.bind, port, cfg.db_path);
    if (cfg.port_file) {
        FILE *f = fopen(cfg.port_file, "w");
        if (!f || fprintf(f, "%u\n", port) < 0 || fclose(f) != 0) {
            fprintf(stderr, "continuum serve : impossible d'écrire « %s »\n", cfg.port_file);
            server_stop(srv);
            return EXIT_FAIL;
        }
    }
    int sig = 0;
    sigwait(&set, &sig);
    log_info("serve stopping signal=%d", sig);
    server_stop(srv);
    return EXIT_OK;
}

static const char user_usage[] =
    "Usage : continuum user add --db FICHIER --login IDENTIFIANT --role ROLE\n"
    "                           [--name \"Nom affiché\"] [--scope TYPE:VALEUR] [--trainer N]\n"
    "Crée un compte ; le mot de passe (10 caractères au moins) est lu sur l'entrée standard,\n"
    "une ligne. ROLE : coordinator, pilot, steering, inspector, requester, parcours_manager,\n"
    "trainer, placement_office, student, followup_referent, admin, research.\n"
    "TYPE : establishment (UAI), circonscription, site, parcours, self.\n"
    "--trainer N relie le compte au formateur n° N de la cartographie (il répond alors à ses\n"
    "missions et lit son agenda).\n";

/* Reads one line from stdin without its end of line. */
static int read_line(char *out, size_t n)
{
    if (!fgets(out, (int)n, stdin))
        return ERR_IO;
    size_t len = strlen(out);
    if (len && out[len - 1] != '\n' && !feof(stdin))
        return ERR_TOOBIG;
    while (len && (out[len - 1] == '\n' || out[len - 1] == '\r'))
        out[--len] = '\0';
    return 0;
}

int cmd_user(int argc, char **argv)
{
    if (cli_wants_help(argc, argv, user_usage))
        return EXIT_OK;
    if (argc < 2 || strcmp(argv[1], "add") != 0)
        return fputs(user_usage, stderr), EXIT_USAGE;
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"login", required_argument, NULL, 'l'},
                                         {"role", required_argument, NULL, 'r'},
                                         {"name", required_argument, NULL, 'n'},
                                         {"scope", required_argument, NULL, 's'},
                                         {"trainer", required_argument, NULL, 't'},
                                         {0, 0, 0, 0}};
    const char *db = NULL, *login = NULL, *role = NULL, *name = NULL, *scope = NULL;
    int64_t trainer = 0;
    int c;
    reset_getopt();
    while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'l':
            login = optarg;
            break;
        case 'r':
            role = optarg;
            break;
        case 'n':
            name = optarg;
            break;
        case 's':
            scope = optarg;
            break;
        case 't': {
            char *end = NULL;
            long long v = strtoll(optarg, &end, 10);
            if (!*optarg || *end || v < 1) {
                fprintf(stderr, "continuum user add : --trainer attend un numéro de formateur\n");
                return EXIT_USAGE;
            }
            trainer = (int64_t)v;
            break;
        }
        default:
            return fputs(user_usage, stderr), EXIT_USAGE;
        }
    }
    if (!db || !login || !role || optind != argc - 1)
        return fputs(user_usage, stderr), EXIT_USAGE;
    struct user u = {0};
    snprintf(u.login, sizeof u.login, "%s", login);
    snprintf(u.display_name, sizeof u.display_name, "%s", name ? name : login);
    u.role = role_parse(role);
    if (u.role == ROLE_NONE) {
        fprintf(stderr, "continuum user add : rôle inconnu « %s »\n%s", role, user_usage);
        return EXIT_USAGE;
    }
    u.scope_kind = SCOPE_NONE;
    u.trainer_id = trainer;
    if (scope) {
        const char *colon = strchr(scope, ':');
        char kind[32];
        snprintf(kind, sizeof kind, "%.*s", colon ? (int)(colon - scope) : (int)strlen(scope),
                 scope);
        u.scope_kind = scope_parse(kind);
        if (u.scope_kind == SCOPE_COUNT) {
            fprintf(stderr, "continuum user add : périmètre inconnu « %s »\n", kind);
            return EXIT_USAGE;
        }
        snprintf(u.scope_value, sizeof u.scope_value, "%s", colon ? colon + 1 : "");
    }
    char password[1100];
    if (read_line(password, sizeof password) != 0) {
        fputs("continuum user add : mot de passe attendu sur l'entrée standard (une ligne)\n",
              stderr);
        return EXIT_FAIL;
    }
    struct store *st = cli_open_store(db);
    if (!st)
        return EXIT_FAIL;
    struct app_ctx ctx = {.st = st, .now = time_now()};
    struct field_errors errs = {0};
    int64_t id = 0;
    int rc = app_user_add(&ctx, &u, password, &errs, &id);
    store_close(st);
    if (rc) {
        for (int i = 0; i < errs.count; i++)
            fprintf(stderr, "continuum user add : %s\n", errs.items[i].message);
        if (!errs.count && rc == ERR_INVAL && trainer)
            fprintf(stderr, "continuum user add : aucun formateur n° %lld\n", (long long)trainer);
        else if (!errs.count)
            fprintf(stderr, "continuum user add : échec (%s)\n", err_name(rc));
        return EXIT_FAIL;
    }
    fprintf(stderr, "continuum user add : compte « %s » créé (%s)\n", u.login, role_code(u.role));
    return EXIT_OK;
}

static const char token_usage[] =
    "Usage : continuum token create --db FICHIER --login IDENTIFIANT\n"
    "Crée un jeton d'API et l'écrit, seul, sur la sortie standard.\n"
    "L'API le prend en en-tête « Authorization: Bearer <jeton> ».\n";

int cmd_token(int argc, char **argv)
{
    if (cli_wants_help(argc, argv, token_usage))
        return EXIT_OK;
    if (argc < 2 || strcmp(argv[1], "create") != 0)
        return fputs(token_usage, stderr), EXIT_USAGE;
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"login", required_argument, NULL, 'l'},
                                         {0, 0, 0, 0}};
    const char *db = NULL, *login = NULL;
    int c;
    reset_getopt();
    while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'l')
            login = optarg;
        else
            return fputs(token_usage, stderr), EXIT_USAGE;
    }
    if (!db || !login || optind != argc - 1)
        return fputs(token_usage, stderr), EXIT_USAGE;
    struct store *st = cli_open_store(db);
    if (!st)
        return EXIT_FAIL;
    struct app_ctx ctx = {.st = st, .now = time_now()};
    char token[APP_TOKEN_LEN + 8];
    int rc = app_token_create(&ctx, login, token, sizeof token);
    store_close(st);
    if (rc == ERR_NOTFOUND) {
        fprintf(stderr, "continuum token create : compte inconnu « %s »\n", login);
        return EXIT_FAIL;
    }
    if (rc) {
        fprintf(stderr, "continuum token create : échec (%s)\n", err_name(rc));
        return EXIT_FAIL;
    }
    printf("%s\n", token);
    return EXIT_OK;
}
