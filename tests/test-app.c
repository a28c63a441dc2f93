/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-app.c — the workbench as a GNOME application: `spikeworks
 * --version`; a command line (--example, files) given while a workbench is
 * open reaches that primary instance over a private D-Bus session bus and
 * opens its windows there; the window state restored from and written to
 * GSettings; the recent lessons (Open Recent) list. */
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "builder/spk-decoder-cache.h"
#include "io/spk-model-json.h"
#include "examples/spk-examples.h"
#include "ui/shell/spk-application.h"
#include "ui/shell/spk-window-private.h"
#include "ui/shell/spk-window-state.h"
#include "spk-ui-test-util.h"

static const char *
program (void)
{
  const char *path = g_getenv ("SPK_GUI");

  g_assert_nonnull (path);
  return path;
}

static void
test_version (void)
{
  const char *argv[] = { program (), "--version", NULL };
  g_autofree char *out = NULL;
  g_autofree char *expected = g_strdup_printf ("spikeworks %s\n", PACKAGE_VERSION);
  g_autoptr (GError) error = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (out, ==, expected);
}

/* {{{ Command line of a second instance */

typedef struct
{
  gboolean done;
  int      status;
  char    *err;
} Remote;

static void
communicated_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Remote *remote = data;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, NULL,
                                                       &remote->err, &error));
  g_assert_no_error (error);
  remote->status = g_subprocess_get_exit_status (G_SUBPROCESS (source));
  remote->done = TRUE;
}

/* Runs `spikeworks ARGS…` while this process is the primary instance,
 * serving its D-Bus calls until it exits; returns its exit status. */
static int
run_remote (char **err,
            ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  Remote remote = { 0 };
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) program ());
  va_start (args, err);
  while ((arg = va_arg (args, const char *)))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicated_cb, &remote);
  while (!remote.done)
    g_main_context_iteration (NULL, TRUE);
  ut_drain ();
  *err = remote.err;
  return remote.status;
}

static SpkWindow *
window_showing (GtkApplication *app,
                const char     *label)
{
  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    if (SPK_IS_WINDOW (l->data)
        && g_strcmp0 (spk_network_get_label (spk_window_get_network (l->data)), label) == 0)
      return l->data;
  return NULL;
}

static gboolean
window_with_file (GtkApplication *app,
                  GFile          *file)
{
  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    if (SPK_IS_WINDOW (l->data) && spk_window_get_file (l->data) != NULL
        && g_file_equal (spk_window_get_file (l->data), file))
      return TRUE;
  return FALSE;
}

static void
test_remote_command_line (void)
{
  /* Not freed: finalising waits for every bus connection to go, and
   * GApplication keeps its own until the process exits. */
  GTestDBus *bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_autoptr (SpkApplication) app = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("spk-app-XXXXXX", NULL);
  g_autofree char *model = g_build_filename (dir, "two.json", NULL);
  g_autofree char *session = g_build_filename (dir, "lesson.spkw", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.spkw", NULL);
  g_autoptr (SpkNetwork) network = spk_example_new ("integrator", NULL);
  g_autoptr (GFile) session_file = g_file_new_for_path (session);
  g_autoptr (GFile) missing_file = g_file_new_for_path (missing);
  g_autofree char *session_uri = g_file_get_uri (session_file);
  g_autofree char *missing_uri = g_file_get_uri (missing_file);
  g_auto (GStrv) recent = NULL;
  SpkWindow *window;
  g_autofree char *display = NULL;
  char *err = NULL;
  guint n_windows;

  /* g_test_dbus_up () unsets DISPLAY; later subprocesses need it back. */
  display = g_strdup (g_getenv ("DISPLAY"));
  g_test_dbus_up (bus);
  app = spk_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_application_get_is_remote (G_APPLICATION (app)));
  g_application_hold (G_APPLICATION (app));

  /* The decoder cache's preference is the app's check action (the main
   * menu's Cache Decoders), and the cache follows it. */
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "decoder-cache"));
  g_assert_true (spk_decoder_cache_get_enabled ());
  g_action_group_activate_action (G_ACTION_GROUP (app), "decoder-cache", NULL);
  g_assert_false (spk_decoder_cache_get_enabled ());
  g_action_group_activate_action (G_ACTION_GROUP (app), "decoder-cache", NULL);
  g_assert_true (spk_decoder_cache_get_enabled ());

  /* An example, named on a second command line, opens here. */
  g_assert_cmpint (run_remote (&err, "--example", "communication-channel", NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&err, g_free);
  g_assert_nonnull (window_showing (GTK_APPLICATION (app), "communication-channel"));

  /* So does a file, named relative to the second command's directory
   * (here the same), and the session becomes a recent lesson. */
  g_assert_true (spk_model_save_file (network, model, &error));
  g_assert_no_error (error);
  g_assert_cmpint (run_remote (&err, model, NULL), ==, 0);
  g_clear_pointer (&err, g_free);
  window = window_showing (GTK_APPLICATION (app), "integrator");
  g_assert_nonnull (window);
  g_assert_true (spk_window_save_file (window, session_file, &error));
  g_assert_no_error (error);
  recent = g_settings_get_strv (window->settings, "recent-lessons");
  g_assert_cmpstr (recent[0], ==, session_uri);

  /* What fails is reported to the second command, with its exit status. */
  n_windows = g_list_length (gtk_application_get_windows (GTK_APPLICATION (app)));
  g_assert_cmpint (run_remote (&err, "--example", "no-such-example", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "no-such-example"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_remote (&err, missing, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "missing.spkw"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_remote (&err, "--example", "integrator", model, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--example"));
  g_clear_pointer (&err, g_free);
  /* The unknown example still opened the default one, and so did the
   * missing file (with its error in a dialog). */
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, n_windows + 2);

  /* Open Recent: the saved session opens in a window of its own; one that
   * has gone is dropped from the list (with a message). */
  n_windows = g_list_length (gtk_application_get_windows (GTK_APPLICATION (app)));
  g_action_group_activate_action (G_ACTION_GROUP (app), "open-recent", g_variant_new_string (session_uri));
  ut_drain ();
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, n_windows + 1);
  g_assert_true (window_with_file (GTK_APPLICATION (app), session_file));
  spk_window_state_note_recent (window->settings, missing_file);
  g_action_group_activate_action (G_ACTION_GROUP (app), "open-recent", g_variant_new_string (missing_uri));
  ut_drain ();
  g_strfreev (recent);
  recent = g_settings_get_strv (window->settings, "recent-lessons");
  g_assert_cmpuint (g_strv_length (recent), ==, 1);
  g_assert_cmpstr (recent[0], ==, session_uri);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL;
       l = gtk_application_get_windows (GTK_APPLICATION (app)))
    gtk_window_destroy (l->data);
  ut_drain ();
  /* A session bus that goes away ends the process unless told not to. */
  g_dbus_connection_set_exit_on_close (g_application_get_dbus_connection (G_APPLICATION (app)), FALSE);
  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  g_test_dbus_stop (bus);
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
  g_unlink (model);
  g_unlink (session);
  g_rmdir (dir);
}

/* }}} */
/* {{{ Settings */

static GSettings *
memory_settings (void)
{
  g_autoptr (GSettingsBackend) backend = g_memory_settings_backend_new ();

  return g_settings_new_with_backend (APP_ID, backend);
}

static guint
n_recent_items (SpkWindow *window)
{
  GMenuModel *section = G_MENU_MODEL (window->recent_section);
  g_autoptr (GMenuModel) files = NULL;

  if (g_menu_model_get_n_items (section) == 0)
    return 0;
  files = g_menu_model_get_item_link (section, 0, G_MENU_LINK_SUBMENU);
  return g_menu_model_get_n_items (files);
}

static void
test_settings_restore_and_track (void)
{
  g_autoptr (GSettings) settings = memory_settings ();
  const char *lessons[] = { "file:///tmp/one.spkw", NULL };
  SpkWindow *window;
  int width, height;

  g_settings_set_int (settings, "window-width", 900);
  g_settings_set_int (settings, "window-height", 700);
  g_settings_set_boolean (settings, "presentation-mode", TRUE);
  g_settings_set_double (settings, "run-speed", 2.0);
  g_settings_set_double (settings, "plot-window", 3.0);
  g_settings_set_strv (settings, "recent-lessons", lessons);

  window = spk_window_new (NULL);
  spk_window_state_bind (window, settings);
  g_assert_true (spk_window_open_example (window, "integrator", NULL));

  /* Restored. */
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 700);
  g_assert_true (spk_window_get_presentation (window));
  g_assert_cmpfloat (spk_run_bar_get_rate (spk_window_get_run_bar (window)), ==, 2.0);
  g_assert_cmpfloat (spk_plot_grid_get_window (spk_window_get_plot_grid (window)), ==, 3.0);
  g_assert_cmpuint (n_recent_items (window), ==, 1);

  /* Written back as the user changes them. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.presentation", NULL);
  g_assert_false (g_settings_get_boolean (settings, "presentation-mode"));
  gtk_widget_activate_action (GTK_WIDGET (spk_window_get_run_bar (window)), "run.rate", "d", 5.0);
  g_assert_cmpfloat (g_settings_get_double (settings, "run-speed"), ==, 5.0);
  gtk_widget_activate_action (GTK_WIDGET (spk_window_get_run_bar (window)), "run.rate", "d", 0.0);
  g_assert_cmpfloat (g_settings_get_double (settings, "run-speed"), ==, 0.0);
  spk_plot_grid_set_window (spk_window_get_plot_grid (window), 2.5);
  g_assert_cmpfloat (g_settings_get_double (settings, "plot-window"), ==, 2.5);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 800);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 800);
  gtk_window_present (GTK_WINDOW (window));
  gtk_window_maximize (GTK_WINDOW (window));
  ut_wait_for_frames (GTK_WIDGET (window), 3);
  if (gtk_window_is_maximized (GTK_WINDOW (window)))
    g_assert_true (g_settings_get_boolean (settings, "window-maximized"));

  /* Another list of lessons shows in the menu at once. */
  {
    g_autoptr (GFile) two = g_file_new_for_uri ("file:///tmp/two.spkw");

    spk_window_state_note_recent (settings, two);
    g_assert_cmpuint (n_recent_items (window), ==, 2);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  ut_drain ();
}

/* Newest first, each once, at most SPK_RECENT_LESSONS_MAX. */
static void
test_recent_lessons (void)
{
  g_autoptr (GSettings) settings = memory_settings ();
  g_auto (GStrv) uris = NULL;

  for (guint i = 0; i < SPK_RECENT_LESSONS_MAX + 3; i++)
    {
      g_autofree char *path = g_strdup_printf ("/tmp/lesson-%u.spkw", i);
      g_autoptr (GFile) file = g_file_new_for_path (path);

      spk_window_state_note_recent (settings, file);
    }
  uris = g_settings_get_strv (settings, "recent-lessons");
  g_assert_cmpuint (g_strv_length (uris), ==, SPK_RECENT_LESSONS_MAX);
  g_assert_cmpstr (uris[0], ==, "file:///tmp/lesson-12.spkw");
  g_assert_cmpstr (uris[SPK_RECENT_LESSONS_MAX - 1], ==, "file:///tmp/lesson-3.spkw");
  g_clear_pointer (&uris, g_strfreev);

  {
    g_autoptr (GFile) again = g_file_new_for_path ("/tmp/lesson-5.spkw");
    g_autoptr (GFile) first = g_file_new_for_path ("/tmp/lesson-12.spkw");

    spk_window_state_note_recent (settings, again);
    uris = g_settings_get_strv (settings, "recent-lessons");
    g_assert_cmpuint (g_strv_length (uris), ==, SPK_RECENT_LESSONS_MAX);
    g_assert_cmpstr (uris[0], ==, "file:///tmp/lesson-5.spkw");
    g_assert_cmpstr (uris[1], ==, "file:///tmp/lesson-12.spkw");
    g_assert_false (g_strv_contains ((const char * const *) uris + 2, "file:///tmp/lesson-5.spkw"));
    g_clear_pointer (&uris, g_strfreev);

    spk_window_state_forget_recent (settings, first);
    uris = g_settings_get_strv (settings, "recent-lessons");
    g_assert_cmpuint (g_strv_length (uris), ==, SPK_RECENT_LESSONS_MAX - 1);
    g_assert_false (g_strv_contains ((const char * const *) uris, "file:///tmp/lesson-12.spkw"));
  }
}

/* Without its schema, GSettings would abort: the workbench says why and
 * runs on without remembering. */
static void
test_no_schema (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (SpkApplication) app = spk_application_new ();
      g_autoptr (GError) error = NULL;

      g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
      g_assert_no_error (error);
      return;
    }
  {
    g_autofree char *empty = g_dir_make_tmp ("spk-schemas-XXXXXX", NULL);
    g_autofree char *old_dir = g_strdup (g_getenv ("GSETTINGS_SCHEMA_DIR"));

    /* The system's schemas stay (libadwaita reads the desktop's); ours is
     * only ever in the build tree. */
    g_assert_nonnull (old_dir);

    g_setenv ("GSETTINGS_SCHEMA_DIR", empty, TRUE);
    g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_setenv ("GSETTINGS_SCHEMA_DIR", old_dir, TRUE);
    g_rmdir (empty);
    g_test_trap_assert_passed ();
    g_test_trap_assert_stderr ("*settings schema is not installed*meson devenv*");
  }
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/spk/ui/app/version", test_version);
  g_test_add_func ("/spk/ui/app/remote-command-line", test_remote_command_line);
  g_test_add_func ("/spk/ui/app/settings", test_settings_restore_and_track);
  g_test_add_func ("/spk/ui/app/recent-lessons", test_recent_lessons);
  g_test_add_func ("/spk/ui/app/no-schema", test_no_schema);
  return g_test_run ();
}
