/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window-nir-export.c — the workbench's Export as NIR Graph…, under
 * Xvfb, through its action and the file dialog that opens (GTK's own
 * without a portal): an example exported with the dialog's "approximate"
 * choice is read by the reference `nir` package; without it the refusal
 * shows, naming the ensemble, and nothing is written; a NIR graph opened
 * in the window goes back out with the file's own weights. */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "io/spk-nir.h"
#include "io/spk-session.h"
#include "builder/spk-plan.h"
#include "ui/shell/spk-window.h"
#include "spk-ui-test-util.h"

static gboolean
chooser_path_is (GtkFileChooser *chooser,
                 const char     *path)
{
  g_autoptr (GFile) file = gtk_file_chooser_get_file (chooser);
  g_autofree char *chosen = file ? g_file_get_path (file) : NULL;

  return g_strcmp0 (chosen, path) == 0;
}

static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return GTK_WIDGET (w);
    }
  return NULL;
}

/* Main menu → Export as NIR Graph…: the dialog is given dir/name (no
 * extension: the export adds .nir), the choice, and accepted. */
static void
export_through_dialog (SpkWindow  *window,
                       const char *dir,
                       const char *name,
                       gboolean    approximate)
{
  g_autoptr (GFile) folder = g_file_new_for_path (dir);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  GtkWidget *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.export-nir", NULL));
  ut_drain ();
  dialog = find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Export as NIR Graph");
  g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, &error));
  g_assert_no_error (error);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (dialog), "approximate", approximate ? "true" : "false");
  UT_WAIT_FOR (chooser_path_is (GTK_FILE_CHOOSER (dialog), path));
  g_object_ref (dialog);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  UT_WAIT_FOR (!gtk_widget_get_visible (dialog));
  g_object_unref (dialog);
  ut_drain ();
}

/* The reference reader's listing of path's nodes. */
static char *
reference_read (const char *path)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "nir", "read_exported.py", NULL);
  const char *args[] = { "/usr/bin/python3", script, path, NULL };
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
  return out;
}

static void
test_example (void)
{
  SpkWindow *window = ut_window_new ("communication-channel", 1280, 800);
  g_autofree char *dir = g_dir_make_tmp ("spk-nir-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "channel.nir", NULL), *listing = NULL;
  AdwMessageDialog *error_dialog;

  /* NIR's LIF has no refractory period: refused, naming the ensemble. */
  export_through_dialog (window, dir, "channel", FALSE);
  UT_WAIT_FOR (find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL);
  error_dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_heading (error_dialog), ==, "Could not export the NIR graph");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (error_dialog),
                            "ensemble 'a': its neurons have a refractory period (tau_ref = 0.002 s)"));
  gtk_window_destroy (GTK_WINDOW (error_dialog));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  /* Approximated: written, and the reference reads it. */
  export_through_dialog (window, dir, "channel", TRUE);
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  listing = reference_read (path);
  g_test_message ("%s", listing);
  g_assert_nonnull (strstr (listing, "a:CubaLIF "));
  g_assert_nonnull (strstr (listing, "input:Input "));
  g_assert_nonnull (strstr (listing, "b_value:Output "));

  g_unlink (path);
  g_rmdir (dir);
  ut_window_free (window);
}

/* A graph opened in the window exports exactly, with the file's weights
 * (the parameters every build of the window's model takes). */
static void
test_opened_graph (void)
{
  SpkWindow *window = ut_window_new (NULL, 1280, 800);
  g_autofree char *nir = g_test_build_filename (G_TEST_DIST, "data", "nir", "lif_norse.nir", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (nir);
  g_autofree char *dir = g_dir_make_tmp ("spk-nir-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "lif.nir", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkSession) back = NULL;
  g_autoptr (SpkArray) weight = NULL, gain = NULL;

  g_assert_true (spk_window_open_nir (window, file, NULL, &error));
  g_assert_no_error (error);
  ut_drain ();
  export_through_dialog (window, dir, "lif.nir", FALSE);
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  back = spk_nir_convert_file (path, NULL, &error);
  g_assert_no_error (error);
  /* The file's Affine weight 1 and the neuron's 1/v_threshold = 10, now on
   * the connection into the neurons. */
  weight = spk_plan_dup_param (spk_session_get_plan (back), "Affine 0/weights");
  g_assert_nonnull (weight);
  g_assert_cmpfloat (weight->data[0], ==, 1.0);
  gain = spk_plan_dup_param (spk_session_get_plan (back), "connection1/weights");
  g_assert_nonnull (gain);
  g_assert_cmpfloat_with_epsilon (gain->data[0], 10.0, 1e-5);

  g_unlink (path);
  g_rmdir (dir);
  ut_window_free (window);
}

int
main (int    argc,
      char **argv)
{
  ut_init (&argc, &argv);
  g_test_add_func ("/spk/window-nir-export/example", test_example);
  g_test_add_func ("/spk/window-nir-export/opened-graph", test_opened_graph);
  return g_test_run ();
}
