/*
 * The `continuum` command line: one function per subcommand, each taking its own argv (argv[0]
 * is the subcommand name). Exit status: 0 success, 1 failure, 2 bad usage; messages on stderr.
 */
#ifndef CLI_CLI_H
#define CLI_CLI_H

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_demo_data(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);

/* Opens and migrates the store at path; prints a French message and returns NULL on failure. */
struct store *cli_open_store(const char *path);

/* Returns true when argv holds -h or --help (then prints usage to stdout). */
int cli_wants_help(int argc, char **argv, const char *usage);

#endif
