/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A session saved from Python after `fit` (spikeworks.save_session),
 * opened in the workbench's window: the loss history in the window and
 * the inspector, the trained weights in the run.  The session is made by
 * tests/python/fit_and_save_session.py with the Debian Python named in
 * SPK_PYTHON (PYTHONPATH set by meson), which prints what to expect. */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "builder/spk-plan.h"
#include "core/spk-array.h"
#include "model/spk-network.h"
#include "ui/run/spk-run-bar.h"
#include "runner/spk-runner.h"
#include "ui/shell/spk-inspector.h"
#include "ui/shell/spk-window.h"
#include "spk-ui-test-util.h"

/* The numbers on one printed line (after an optional "KEY " word). */
static GArray *
numbers_of (const char *line,
            char      **key)
{
  g_auto (GStrv) words = g_strsplit (line, " ", -1);
  GArray *values = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; words[i]; i++)
    {
      char *end;
      double v = g_ascii_strtod (words[i], &end);

      if (*end != '\0' && i == 0 && key != NULL)
        *key = g_strdup (words[i]);
      else if (*words[i] != '\0')
        {
          g_assert_true (*end == '\0');
          g_array_append_val (values, v);
        }
    }
  return values;
}

static void
test_open_python_fit (void)
{
  g_autofree char *dir = g_dir_make_tmp ("spk-python-session-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "python-fit.spkw", NULL);
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "python", "fit_and_save_session.py", NULL);
  const char *python = g_getenv ("SPK_PYTHON");
  const char *argv[] = { python, script, path, NULL };
  const char *preload = g_getenv ("SPK_PYTHON_PRELOAD");
  g_auto (GStrv) envp = g_get_environ ();
  g_autofree char *out = NULL, *err = NULL, *key = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GArray) losses = NULL, weights = NULL;
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) selection = g_ptr_array_new ();
  g_autoptr (SpkArray) running = NULL;
  const double *loss;
  SpkWindow *window;
  SpkRunBar *bar;
  int status;

  g_assert_nonnull (python);
  /* Under AddressSanitizer the package's extensions need the sanitizer's
   * runtime loaded first in an interpreter that was built without it; the
   * interpreter's own allocations are not ours to check for leaks. */
  if (preload != NULL)
    {
      envp = g_environ_setenv (envp, "LD_PRELOAD", preload, TRUE);
      envp = g_environ_setenv (envp, "ASAN_OPTIONS", "detect_leaks=0:exitcode=86", TRUE);
    }
  g_assert_true (g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", script, err);
  lines = g_strsplit (g_strstrip (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  losses = numbers_of (lines[0], NULL);
  weights = numbers_of (lines[1], &key);
  g_assert_cmpuint (losses->len, ==, 2);
  g_assert_cmpstr (key, ==, "w/weights");
  g_assert_cmpuint (weights->len, ==, 24);

  window = spk_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (spk_window_open_file (window, file, &error));
  g_assert_no_error (error);
  ut_drain ();
  /* The loss history, as fit printed it. */
  g_assert_cmpuint (spk_window_get_history (window, &loss, NULL), ==, 2);
  for (guint e = 0; e < 2; e++)
    g_assert_cmpfloat_with_epsilon (loss[e], g_array_index (losses, double, e), 1e-9);
  g_ptr_array_add (selection, spk_window_get_network (window));
  spk_inspector_set_objects (spk_window_get_inspector (window), selection);
  {
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    g_autofree char *shown = g_strdup_printf ("2 epochs trained, last loss %s",
                                              g_ascii_formatd (buf, sizeof buf, "%.4g",
                                                               g_array_index (losses, double, 1)));

    g_assert_cmpstr (spk_inspector_get_training (spk_window_get_inspector (window)), ==, shown);
  }
  ut_save_png ("SPK_TEST_SCREENSHOTS", GTK_WIDGET (window), "window-python-session.png");
  /* The trained weights are what the window's run uses. */
  bar = spk_window_get_run_bar (window);
  g_assert_true (spk_run_bar_ensure_runner (bar, NULL));
  running = spk_plan_dup_param (spk_runner_get_plan (spk_run_bar_get_runner (bar)), key);
  g_assert_nonnull (running);
  g_assert_cmpuint (running->size, ==, weights->len);
  for (guint i = 0; i < weights->len; i++)
    g_assert_cmpfloat_with_epsilon (running->data[i], g_array_index (weights, double, i), 1e-6);
  ut_window_free (window);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  ut_init (&argc, &argv);
  g_test_add_func ("/spk/ui/window-python-session/open-python-fit", test_open_python_fit);
  return g_test_run ();
}
