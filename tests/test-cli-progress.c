/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-cli-progress.c — spikeworks-cli shows the decoder solves' progress
 * when standard error is a terminal (a pseudo-terminal here) and prints
 * nothing of it into a pipe. */
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>

/* Runs `spikeworks-cli info --example nef-sin-x-squared` with standard
 * error on a pseudo-terminal (or a pipe); what it wrote there. */
static char *
run_info (gboolean terminal,
          int      *status)
{
  const char *cli = g_getenv ("SPK_CLI");
  char *argv[] = { (char *) cli, "info", "--example", "nef-sin-x-squared", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) text = g_string_new (NULL);
  int reader = -1, writer = -1, out = open ("/dev/null", O_WRONLY);
  int fds[2];
  GPid pid;
  char buffer[4096];
  ssize_t got;

  g_assert_nonnull (cli);
  if (terminal)
    g_assert_cmpint (openpty (&reader, &writer, NULL, NULL, NULL), ==, 0);
  else
    {
      g_assert_cmpint (pipe (fds), ==, 0);
      reader = fds[0];
      writer = fds[1];
    }
  g_assert_true (g_spawn_async_with_fds (NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                                         -1, out, writer, &error));
  g_assert_no_error (error);
  close (writer);
  close (out);
  /* A terminal's reader gets EIO once the child has closed it. */
  while ((got = read (reader, buffer, sizeof buffer)) > 0 || (got < 0 && errno == EINTR))
    if (got > 0)
      g_string_append_len (text, buffer, got);
  close (reader);
  g_assert_cmpint (waitpid (pid, status, 0), ==, pid);
  g_spawn_close_pid (pid);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_terminal (void)
{
  int status;
  g_autofree char *err = run_info (TRUE, &status);

  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_test_message ("terminal got: %s", err);
  /* Rewritten in place up to 100 %, then the line cleared. */
  g_assert_nonnull (strstr (err, "\r\033[K"));
  g_assert_nonnull (strstr (err, ": 100 %"));
  g_assert_true (g_str_has_suffix (err, "100 %\r\033[K"));
}

static void
test_pipe (void)
{
  int status;
  g_autofree char *err = run_info (FALSE, &status);

  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (err, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/cli-progress/terminal", test_terminal);
  g_test_add_func ("/spk/cli-progress/pipe", test_pipe);
  return g_test_run ();
}
