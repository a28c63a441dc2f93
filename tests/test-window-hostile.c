/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window-hostile.c — the workbench given files that once crashed or
 * hung it: damaged sessions and hostile models opened into a window with
 * unsaved work leave the window and its work as they were, with a
 * message; models that load but cannot be built block Play with the
 * builder's message instead of crashing at Play; and `spikeworks FILE`
 * with a damaged FILE still opens its window and reports the error once. */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "io/spk-model-json.h"
#include "ui/shell/spk-window.h"
#include "spk-ui-test-util.h"

static char *
state_of (SpkWindow *window)
{
  return spk_model_to_data (spk_window_get_network (window), NULL);
}

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "damaged", name, NULL);
}

/* A window on an example, with one unsaved change. */
static SpkWindow *
modified_window (void)
{
  SpkWindow *window = ut_window_new ("integrator", 0, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-object", "s", "SpkNode"));
  g_assert_true (spk_undo_stack_get_modified (spk_window_get_undo_stack (window)));
  return window;
}

static void
test_damaged_sessions (void)
{
  static const char *const names[] = {
    "hang3249.spkw", "zero3520.spkw", "v384.spkw", "v474.spkw", "v502.spkw", "v837.spkw", "cycle.spkw",
    "bigprobe.spkw", "bighist.spkw",
  };
  SpkWindow *window = modified_window ();
  SpkNetwork *network = spk_window_get_network (window);
  g_autofree char *before = state_of (window);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = data_path (names[i]);
      g_autoptr (GFile) file = g_file_new_for_path (path);
      g_autoptr (GError) error = NULL;
      g_autofree char *after = NULL;

      g_assert_false (spk_window_open_file (window, file, &error));
      g_assert_nonnull (error);
      g_test_message ("%s: %s", names[i], error->message);
      g_assert_nonnull (strstr (error->message, names[i]));
      g_assert_true (spk_window_get_network (window) == network);
      after = state_of (window);
      g_assert_cmpstr (after, ==, before);
      g_assert_true (spk_undo_stack_get_modified (spk_window_get_undo_stack (window)));
    }
  gtk_window_destroy (GTK_WINDOW (window));
  ut_drain ();
}

/* A model nested 100,000 lists deep overflowed json-glib's stack. */
static void
test_deep_model (void)
{
  SpkWindow *window = modified_window ();
  g_autofree char *before = state_of (window);
  g_autofree char *after = NULL;
  g_autofree char *dir = g_dir_make_tmp ("spk-hostile-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "deep.json", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  GString *text = g_string_new ("{\"format\": \"spikeworks-model\", \"version\": 1, \"objects\": "
                                "[{\"type\": \"node\", \"label\": \"a\", \"output\": ");

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, '[');
  g_assert_true (g_file_set_contents (path, text->str, (gssize) text->len, NULL));
  g_string_free (text, TRUE);
  g_assert_false (spk_window_open_file (window, file, &error));
  g_assert_nonnull (strstr (error->message, "nested more than 64 levels deep"));
  after = state_of (window);
  g_assert_cmpstr (after, ==, before);
  gtk_window_destroy (GTK_WINDOW (window));
  ut_drain ();
  g_unlink (path);
  g_rmdir (dir);
}

/* F2 at Play: an empty slice made the builder fail without a message and
 * the workbench crash; now the builder's message blocks the run. */
static void
test_unbuildable_model (void)
{
  SpkWindow *window = spk_window_new (NULL);
  g_autofree char *dir = g_dir_make_tmp ("spk-hostile-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "empty_slice.json", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  const char *blocker;

  g_assert_true (g_file_set_contents (path, "{\"format\": \"spikeworks-model\", \"version\": 1, \"objects\": ["
                                      "{\"type\": \"node\", \"label\": \"a\", \"output\": [0.5]},"
                                      "{\"type\": \"node\", \"label\": \"b\", \"size_in\": 1},"
                                      "{\"type\": \"connection\", \"pre\": \"a\", \"post\": \"b[1:]\"}]}", -1, NULL));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (spk_window_open_file (window, file, &error));
  g_assert_no_error (error);
  spk_window_validate_now (window);
  blocker = spk_window_get_run_blocker (window);
  g_assert_nonnull (blocker);
  g_assert_nonnull (strstr (blocker, "selects nothing"));
  /* Play with a blocked model does nothing but say so. */
  gtk_widget_activate_action (GTK_WIDGET (window), "run.play-pause", NULL);
  ut_drain ();
  gtk_window_destroy (GTK_WINDOW (window));
  ut_drain ();
  g_unlink (path);
  g_rmdir (dir);
}

/* `spikeworks damaged.spkw` opens its window (the screenshot shows it),
 * says what is wrong once, and exits with 1 when told to quit. */
static void
test_command_line (void)
{
  g_autofree char *program = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "app", "spikeworks", NULL);
  g_autofree char *dir = g_dir_make_tmp ("spk-hostile-XXXXXX", NULL);
  g_autofree char *shot = g_build_filename (dir, "shot.png", NULL);
  g_autofree char *damaged = data_path ("v837.spkw");
  const char *argv[] = { program, damaged, "--screenshot", shot, NULL };
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  if (!g_file_test (program, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("spikeworks is not built");
      return;
    }
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, &err,
                               &status, &error));
  g_assert_no_error (error);
  g_test_message ("%s", err);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 1);
  g_assert_true (g_file_test (shot, G_FILE_TEST_IS_REGULAR));
  /* The path once, in the loader's message. */
  g_assert_nonnull (strstr (err, "v837.spkw"));
  g_assert_null (strstr (strstr (err, "v837.spkw") + 1, "v837.spkw"));
  g_unlink (shot);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  /* The damaged files that hang libhdf5 are given up on quickly. */
  g_setenv ("SPK_HDF5_CHECK_SECONDS", "3", TRUE);
  ut_init (&argc, &argv);

  g_test_add_func ("/spk/ui/window-hostile/damaged-sessions", test_damaged_sessions);
  g_test_add_func ("/spk/ui/window-hostile/deep-model", test_deep_model);
  g_test_add_func ("/spk/ui/window-hostile/unbuildable-model", test_unbuildable_model);
  g_test_add_func ("/spk/ui/window-hostile/command-line", test_command_line);
  return g_test_run ();
}
