/*
 * The `continuum` command line: one function per subcommand, each taking its own argv (argv[0]
 * is the subcommand name). Exit status: 0 success, 1 failure, 2 bad usage; messages on stderr.
 */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include <stddef.h>

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_demo_data(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_place(int argc, char **argv);
int cmd_period(int argc, char **argv); /* period.c: `period add` */

/* Opens and migrates the store at path; prints a French message and returns NULL on failure. */
struct store *cli_open_store(const char *path);

/*
 * Reads the whole regular file at path (at most max bytes) into *out (caller frees) and *len.
 * On failure prints a French message prefixed by "continuum CMD" and returns ERR_IO,
 * ERR_TOOBIG or ERR_NOMEM.
 */
int cli_read_file(const char *cmd, const char *path, size_t max, char **out, size_t *len);

/* Returns true when argv holds -h or --help (then prints usage to stdout). */
int cli_wants_help(int argc, char **argv, const char *usage);

#endif
