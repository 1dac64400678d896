/* Entry point of `continuum`: dispatches to the subcommands of cli.h. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char usage[] =
    "Usage : continuum <commande> [options]\n"
    "\n"
    "Commandes :\n"
    "  init          crée ou met à jour la base (--db FICHIER)\n"
    "  demo-data     charge l'académie de démonstration\n"
    "  serve         sert l'application web et l'API\n"
    "  user add      crée un compte (mot de passe lu sur l'entrée standard)\n"
    "  token create  crée un jeton d'API pour un compte\n"
    "  import        importe des formateurs, des lieux de stage ou des étudiants (CSV)\n"
    "  export        exporte les formateurs (CSV)\n"
    "  place         affecte des étudiants à des lieux de stage (JSON)\n"
    "  period add    crée une période de stage (bureau des stages)\n"
    "\n"
    "« continuum <commande> --help » détaille chaque commande.\n";

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {
        {"init", cmd_init},     {"serve", cmd_serve},         {"user", cmd_user},
        {"token", cmd_token},   {"demo-data", cmd_demo_data}, {"import", cmd_import},
        {"export", cmd_export}, {"place", cmd_place},         {"period", cmd_period},
    };
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage, stdout);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strcmp(argv[1], cmds[i].name) == 0)
            return cmds[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "continuum : commande inconnue « %s »\n\n%s", argv[1], usage);
    return EXIT_USAGE;
}
