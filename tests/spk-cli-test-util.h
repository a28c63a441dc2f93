/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-cli-test-util.h — running spikeworks-cli (the path in $SPK_CLI)
 * from a test, in a fixture that owns a temporary directory. */
#pragma once

#include <glib.h>

typedef struct
{
  char *dir;
} Fixture;

void  fixture_setup    (Fixture       *f,
                        gconstpointer  data);
/* Removes the directory and everything in it. */
void  fixture_teardown (Fixture       *f,
                        gconstpointer  data);
/* Runs the CLI with the NULL-terminated arguments; returns its exit
 * status (-1 when a signal ended it), stdout and stderr in out and err
 * when not NULL (what they held before is freed). */
int   cli              (char **out,
                        char **err,
                        ...) G_GNUC_NULL_TERMINATED;
/* Writes contents to name in the fixture's directory; the path. */
char *write_file       (Fixture    *f,
                        const char *name,
                        const char *contents);
/* Like cli(), with the size of any file it writes limited to max_bytes
 * (RLIMIT_FSIZE, SIGXFSZ ignored): a full disk without a mount. */
int   cli_fsize_limited (gsize   max_bytes,
                         char  **out,
                         char  **err,
                         ...) G_GNUC_NULL_TERMINATED;

/* How a run of the CLI ended, for the fuzz tests. */
typedef enum
{
  CLI_OK,          /* exit status 0 */
  CLI_REFUSED,     /* exit status 1 or 2: a clean error */
  CLI_CRASHED,     /* a signal or any other status */
  CLI_HUNG,        /* still running after the time limit: killed */
} CliOutcome;

/* Runs the CLI with args (NULL-terminated, without the program) and its
 * output thrown away, killing it after timeout_s seconds. */
CliOutcome cli_outcome (guint              timeout_s,
                        const char *const *args);
