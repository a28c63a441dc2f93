/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-cli-test-util.c — running spikeworks-cli from a test as a user
 * runs it, in a private temporary directory. */
#include "spk-cli-test-util.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("spk-cli-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir)
    while ((name = g_dir_read_name (dir)))
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        remove_tree (child);
      }
  g_remove (path);
}

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
}

static void
limit_fsize (gpointer data)
{
  struct rlimit limit = { *(const gsize *) data, *(const gsize *) data };

  signal (SIGXFSZ, SIG_IGN);
  setrlimit (RLIMIT_FSIZE, &limit);
}

static int
cli_va (const gsize  *max_bytes,
        char        **out,
        char        **err,
        va_list       args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  const char *exe = g_getenv ("SPK_CLI");
  const char *arg;
  int status = -1;

  g_assert_nonnull (exe);
  /* Callers reuse their buffers: drop what a previous run left there. */
  if (out)
    g_clear_pointer (out, g_free);
  if (err)
    g_clear_pointer (err, g_free);
  g_ptr_array_add (argv, (gpointer) exe);
  while ((arg = va_arg (args, const char *)))
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);
  /* Output nobody asked for would land in the test's TAP stream. */
  g_spawn_sync (NULL, (char **) argv->pdata, NULL,
                out ? G_SPAWN_DEFAULT : G_SPAWN_STDOUT_TO_DEV_NULL,
                max_bytes ? limit_fsize : NULL, (gpointer) max_bytes, out, err, &status, &error);
  g_assert_no_error (error);
  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  return -1;
}

int
cli (char **out,
     char **err,
     ...)
{
  va_list args;
  int status;

  va_start (args, err);
  status = cli_va (NULL, out, err, args);
  va_end (args);
  return status;
}

int
cli_fsize_limited (gsize   max_bytes,
                   char  **out,
                   char  **err,
                   ...)
{
  va_list args;
  int status;

  va_start (args, err);
  status = cli_va (&max_bytes, out, err, args);
  va_end (args);
  return status;
}

char *
write_file (Fixture    *f,
            const char *name,
            const char *contents)
{
  char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}


CliOutcome
cli_outcome (guint              timeout_s,
             const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  const char *exe = g_getenv ("SPK_CLI");
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;
  GPid pid;
  int status = 0;

  g_assert_nonnull (exe);
  g_ptr_array_add (argv, (gpointer) exe);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_async (NULL, (char **) argv->pdata, NULL,
                 G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                 NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  while (waitpid (pid, &status, WNOHANG) == 0)
    {
      if (g_get_monotonic_time () > deadline)
        {
          kill (pid, SIGKILL);
          waitpid (pid, &status, 0);
          g_spawn_close_pid (pid);
          return CLI_HUNG;
        }
      g_usleep (1000);
    }
  g_spawn_close_pid (pid);
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    return CLI_OK;
  if (WIFEXITED (status) && (WEXITSTATUS (status) == 1 || WEXITSTATUS (status) == 2))
    return CLI_REFUSED;
  return CLI_CRASHED;
}
