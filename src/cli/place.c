/*
 * The subcommand `continuum place`: the internship placement engine on a JSON instance, for the
 * tools and tests outside the web application (docs/placement.md). Reads the instance, checks
 * it (every problem on stderr, with its path), solves, and writes the result atomically: a
 * temporary file renamed over --out, so a failed run never leaves a partial or stale file.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/err.h"
#include "engine/placement.h"
#include "engine/placement_json.h"

#define PLACE_FILE_MAX ((size_t)1 << 30) /* 100,000 students with ten wishes take ~25 MB */
#define PLACE_OUT_MAX  ((size_t)4 << 30)

static const char place_usage[] =
    "Usage : continuum place --in INSTANCE.json --out RESULTAT.json [--method stable|optimal]\n"
    "                        [--lottery GRAINE] [--explain] [--timings]\n"
    "Affecte des étudiants à des lieux de stage selon leurs vœux (format : docs/placement.md).\n"
    "  --method stable   acceptation différée (par défaut) : aucune paire bloquante, la meilleure\n"
    "                    affectation stable pour les étudiants ;\n"
    "  --method optimal  le plus d'étudiants placés, puis la plus petite somme des rangs ;\n"
    "  --lottery GRAINE  départage les priorités égales par un tirage reproductible (entier)\n"
    "                    au lieu de l'ordre des identifiants ;\n"
    "  --explain         ajoute, pour chaque étudiant, pourquoi il n'a pas eu ses meilleurs vœux "
    ";\n"
    "  --timings         affiche les durées sur la sortie d'erreur.\n"
    "« - » désigne l'entrée ou la sortie standard. Sur une entrée invalide : un message par\n"
    "problème sur la sortie d'erreur, aucun fichier écrit, code de sortie 1.\n";

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int read_stdin(char **out, size_t *len)
{
    struct buf b;
    buf_init(&b, PLACE_FILE_MAX);
    char chunk[1 << 16];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
        buf_append(&b, chunk, n);
    if (ferror(stdin) || buf_failed(&b)) {
        fputs("continuum place : lecture de l'entrée standard impossible\n", stderr);
        buf_free(&b);
        return ERR_IO;
    }
    *len = b.len;
    *out = buf_steal(&b);
    return *out ? 0 : ERR_NOMEM;
}

static int write_all(FILE *f, const struct buf *b)
{
    return fwrite(b->data, 1, b->len, f) == b->len && fflush(f) == 0 ? 0 : ERR_IO;
}

/* Writes b to path through a temporary file in the same directory, then rename(). */
static int write_atomic(const char *path, const struct buf *b)
{
    if (strcmp(path, "-") == 0)
        return write_all(stdout, b);
    struct buf tmp;
    buf_init(&tmp, 0);
    buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
    int rc = ERR_IO;
    FILE *f = buf_failed(&tmp) ? NULL : fopen(tmp.data, "wb");
    if (f) {
        rc = write_all(f, b);
        if (fsync(fileno(f)) != 0)
            rc = ERR_IO;
        if (fclose(f) != 0)
            rc = ERR_IO;
        if (rc == 0 && rename(tmp.data, path) != 0)
            rc = ERR_IO;
        if (rc != 0)
            unlink(tmp.data);
    }
    if (rc != 0)
        fprintf(stderr, "continuum place : écriture de « %s » impossible : %s\n", path,
                strerror(errno));
    buf_free(&tmp);
    return rc;
}

int cmd_place(int argc, char **argv)
{
    if (cli_wants_help(argc, argv, place_usage))
        return EXIT_OK;
    static const struct option opts[] = {{"in", required_argument, NULL, 'i'},
                                         {"out", required_argument, NULL, 'o'},
                                         {"method", required_argument, NULL, 'm'},
                                         {"lottery", required_argument, NULL, 'l'},
                                         {"explain", no_argument, NULL, 'e'},
                                         {"timings", no_argument, NULL, 't'},
                                         {0, 0, 0, 0}};
    const char *in_path = NULL, *out_path = NULL;
    struct pl_options opt = {PL_STABLE, false, 0};
    bool explain = false, timings = false;
    int c;
    optind = 1;
    opterr = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'i':
            in_path = optarg;
            break;
        case 'o':
            out_path = optarg;
            break;
        case 'm':
            if (strcmp(optarg, "stable") == 0) {
                opt.method = PL_STABLE;
            } else if (strcmp(optarg, "optimal") == 0) {
                opt.method = PL_OPTIMAL;
            } else {
                fprintf(stderr, "continuum place : méthode inconnue « %s » (stable ou optimal)\n",
                        optarg);
                return EXIT_USAGE;
            }
            break;
        case 'l':
            if (pl_seed_parse(optarg, &opt.seed) != 0) {
                fprintf(stderr,
                        "continuum place : --lottery attend un entier de 0 à "
                        "18446744073709551615, pas « %s »\n",
                        optarg);
                return EXIT_USAGE;
            }
            opt.lottery = true;
            break;
        case 'e':
            explain = true;
            break;
        case 't':
            timings = true;
            break;
        default:
            return fputs(place_usage, stderr), EXIT_USAGE;
        }
    }
    if (!in_path || !out_path || optind != argc)
        return fputs(place_usage, stderr), EXIT_USAGE;

    double t0 = now_ms();
    char *data = NULL;
    size_t len = 0;
    int rc = strcmp(in_path, "-") == 0
                 ? read_stdin(&data, &len)
                 : cli_read_file("place", in_path, PLACE_FILE_MAX, &data, &len);
    if (rc != 0)
        return EXIT_FAIL;
    struct buf errors;
    buf_init(&errors, 0);
    struct pl_instance *in = NULL;
    rc = pl_json_parse(data, len, &in, &errors);
    free(data);
    if (rc != 0) {
        if (rc == ERR_NOMEM)
            fputs("continuum place : mémoire insuffisante\n", stderr);
        fwrite(errors.data, 1, errors.len, stderr);
        fprintf(stderr, "continuum place : instance refusée (« %s »), aucun résultat écrit\n",
                in_path);
        buf_free(&errors);
        return EXIT_FAIL;
    }
    buf_free(&errors);
    double t1 = now_ms();
    struct pl_result *r = NULL;
    struct pl_explainer *ex = NULL;
    struct buf out;
    buf_init(&out, PLACE_OUT_MAX);
    int status = EXIT_FAIL;
    if (pl_solve(in, &opt, &r) != 0) {
        fputs("continuum place : mémoire insuffisante\n", stderr);
        goto done;
    }
    double t2 = now_ms();
    if (explain && !(ex = pl_explainer_new(in, &opt, r))) {
        fputs("continuum place : mémoire insuffisante\n", stderr);
        goto done;
    }
    if (pl_json_write(in, &opt, r, ex, &out) != 0) {
        fputs("continuum place : résultat trop volumineux ou mémoire insuffisante\n", stderr);
        goto done;
    }
    if (write_atomic(out_path, &out) != 0)
        goto done;
    double t3 = now_ms();
    if (timings)
        fprintf(stderr, "timings: parse_ms=%.1f solve_ms=%.1f write_ms=%.1f proposals=%llu\n",
                t1 - t0, t2 - t1, t3 - t2,
                (unsigned long long)(opt.method == PL_STABLE ? r->proposals : 0));
    status = EXIT_OK;
done:
    buf_free(&out);
    pl_explainer_free(ex);
    pl_result_free(r);
    pl_instance_free(in);
    return status;
}
