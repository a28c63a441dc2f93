/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-workbench-rehearsal.c — a whole lesson rehearsed in one real window
 * under Xvfb at 1920 × 1080, as a teacher prepares and gives it, through
 * the window's actions and dialogs and with no workaround: build a network
 * from an empty start (palette, connections, a probe), run it, add plots
 * while it runs (the run goes on), export a plot as PNG and its data as
 * CSV through the plot's menu and its file dialog, save with the run's
 * data, reopen (the plots show the run, Play goes on from there), train
 * (the loss falls and the run takes the trained weights) and present
 * (plots enlarged, inspector hidden). */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "io/spk-session.h"
#include "model/spk-network.h"
#include "model/spk-node.h"
#include "model/spk-probe.h"
#include "ui/graph/spk-graph-view.h"
#include "ui/plots/spk-plot-grid.h"
#include "ui/plots/spk-plot-view.h"
#include "ui/run/spk-run-bar.h"
#include "ui/shell/spk-window.h"
#include "ui/train/spk-train-panel.h"
#include "spk-ui-test-util.h"

static void
activate (GtkWidget  *widget,
          const char *action,
          GVariant   *parameter)
{
  g_assert_true (gtk_widget_activate_action_variant (widget, action, parameter));
  ut_drain ();
}

static guint
samples_of (SpkWindow *window,
            guint      index)
{
  SpkPlotGrid *grid = spk_window_get_plot_grid (window);

  spk_plot_grid_drain (grid);
  return spk_plot_view_get_n_samples (spk_plot_grid_get_plot (grid, index));
}

/* The one object of type added last. */
static SpkObject *
last_of_type (SpkNetwork *network,
              GType       type)
{
  GPtrArray *objects = spk_network_get_objects (network);

  for (guint i = objects->len; i > 0; i--)
    if (G_TYPE_CHECK_INSTANCE_TYPE (g_ptr_array_index (objects, i - 1), type))
      return g_ptr_array_index (objects, i - 1);
  g_assert_not_reached ();
}

/* Waits long enough for the window's check of an edit (300 ms) to run. */
static void
wait_past_check (void)
{
  gint64 until = g_get_monotonic_time () + 800 * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
chooser_path_is (GtkFileChooser *chooser,
                 const char     *path)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_autoptr (GFile) file = gtk_file_chooser_get_file (chooser);
  G_GNUC_END_IGNORE_DEPRECATIONS
  g_autofree char *chosen = file ? g_file_get_path (file) : NULL;

  return g_strcmp0 (chosen, path) == 0;
}

/* The plot's ⋮ menu → Export …: the file dialog that opens (GTK's own
 * without a portal) is given dir/name and accepted. */
static char *
export_through_menu (SpkPlotView *view,
                     const char  *format,
                     const char  *dir)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWidget *dialog = NULL;
  g_autoptr (GFile) folder = g_file_new_for_path (dir);
  g_autofree char *name = g_strdup_printf ("rehearsal.%s", format);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;

  activate (GTK_WIDGET (view), "plot.export", g_variant_new_string (format));
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && dialog == NULL; i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        dialog = GTK_WIDGET (w);
    }
  g_assert_nonnull (dialog);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, &error));
  g_assert_no_error (error);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  /* The dialog takes the folder in its own time: answer once it has. */
  UT_WAIT_FOR (chooser_path_is (GTK_FILE_CHOOSER (dialog), path));
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  G_GNUC_END_IGNORE_DEPRECATIONS
  g_object_ref (dialog);
  /* A save dialog checks the name (asynchronously) before it answers. */
  UT_WAIT_FOR (!gtk_widget_get_visible (dialog) && g_file_test (path, G_FILE_TEST_EXISTS));
  g_object_unref (dialog);
  return g_steal_pointer (&path);
}

static void
test_rehearsal (void)
{
  SpkWindow *window = ut_window_new (NULL, 1920, 1080);
  SpkNetwork *network;
  SpkGraphView *graph = spk_window_get_graph_view (window);
  GtkWidget *bar = GTK_WIDGET (spk_window_get_run_bar (window));
  SpkPlotGrid *grid = spk_window_get_plot_grid (window);
  g_autofree char *dir = g_dir_make_tmp ("spk-rehearsal-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "lesson.spkw", NULL);
  g_autofree char *png = NULL, *csv = NULL, *text = NULL;
  g_autofree char *input_label = NULL, *probe_label = NULL;
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (SpkSession) session = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) rows = NULL;
  SpkObject *input, *a, *b, *probe;
  SpkTrainPanel *panel;
  SpkWindow *reopened;
  guint64 before, saved;
  guint n_plots, had;

  /* An empty, untitled start (New, Ctrl+N, as a start without arguments). */
  activate (GTK_WIDGET (window), "win.new", NULL);
  network = spk_window_get_network (window);
  g_assert_nonnull (network);
  ut_wait_for_frames (GTK_WIDGET (window), 2);
  g_assert_cmpuint (spk_network_get_objects (network)->len, ==, 0);
  g_assert_null (spk_window_get_file (window));

  /* Build: a Node, two Ensembles and a Probe from the palette's actions,
   * wired as the canvas wires them (port to port). */
  activate (GTK_WIDGET (window), "win.add-object", g_variant_new_string ("SpkNode"));
  input = last_of_type (network, SPK_TYPE_NODE);
  spk_node_set_output_expr (SPK_NODE (input), "sin(2*pi*t)");
  activate (GTK_WIDGET (window), "win.add-object", g_variant_new_string ("SpkEnsemble"));
  a = last_of_type (network, SPK_TYPE_ENSEMBLE);
  activate (GTK_WIDGET (window), "win.add-object", g_variant_new_string ("SpkEnsemble"));
  b = last_of_type (network, SPK_TYPE_ENSEMBLE);
  g_assert_true (a != b);
  activate (GTK_WIDGET (window), "win.add-object", g_variant_new_string ("SpkProbe"));
  probe = last_of_type (network, SPK_TYPE_PROBE);
  spk_graph_view_connect (graph, input, FALSE, a, FALSE, &error);
  g_assert_no_error (error);
  spk_graph_view_connect (graph, a, FALSE, b, FALSE, &error);
  g_assert_no_error (error);
  spk_graph_view_connect (graph, b, FALSE, probe, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (spk_probe_get_target (SPK_PROBE (probe)) == b);
  wait_past_check ();
  g_assert_null (spk_window_get_run_blocker (window));
  input_label = g_strdup (spk_object_get_label (input));
  probe_label = g_strdup (spk_object_get_label (probe));
  g_assert_nonnull (input_label);
  g_assert_nonnull (probe_label);

  /* Run. */
  activate (GTK_WIDGET (window), "win.add-plot", g_variant_new ("(ss)", "value", spk_object_get_label (b)));
  activate (bar, "run.play-pause", NULL);
  UT_WAIT_FOR (ut_steps_of (window) > 300 && samples_of (window, 0) > 200);

  /* Plots added while it runs: it goes on, and they fill. */
  before = ut_steps_of (window);
  had = samples_of (window, 0);
  activate (GTK_WIDGET (window), "win.add-plot", g_variant_new ("(ss)", "value", spk_object_get_label (a)));
  activate (GTK_WIDGET (window), "win.add-plot", g_variant_new ("(ss)", "spikes", spk_object_get_label (a)));
  n_plots = spk_plot_grid_get_n_plots (grid);
  g_assert_cmpuint (n_plots, ==, 3);
  UT_WAIT_FOR (samples_of (window, 1) > 100 && samples_of (window, 2) > 100);
  g_assert_cmpuint (ut_steps_of (window), >, before);
  g_assert_cmpuint (samples_of (window, 0), >, had);
  g_assert_cmpfloat (spk_plot_view_get_time (spk_plot_grid_get_plot (grid, 0), 0), <, 0.01);
  activate (bar, "run.play-pause", NULL);
  UT_WAIT_FOR (spk_run_bar_get_state (SPK_RUN_BAR (bar)) == SPK_RUNNER_STATE_PAUSED);

  /* Export: a picture, and the data as CSV (t, then the value). */
  png = export_through_menu (spk_plot_grid_get_plot (grid, 0), "png", dir);
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  {
    g_autoptr (GdkTexture) texture = gdk_texture_new_from_filename (png, &error);

    g_assert_no_error (error);
    g_assert_cmpint (gdk_texture_get_width (texture), >=, 480);
  }
  csv = export_through_menu (spk_plot_grid_get_plot (grid, 0), "csv", dir);
  g_assert_true (g_file_get_contents (csv, &text, NULL, &error));
  g_assert_no_error (error);
  rows = g_strsplit (g_strchomp (text), "\n", -1);
  g_assert_cmpuint (g_strv_length (rows), ==, samples_of (window, 0) + 1);
  g_assert_true (g_str_has_prefix (rows[1], "0.001,"));

  /* Save with the run's data, and what the file holds. */
  saved = ut_steps_of (window);
  g_assert_true (spk_window_save_file (window, file, &error));
  g_assert_no_error (error);
  session = spk_session_load (path, &error);
  g_assert_no_error (error);
  {
    g_auto (GStrv) keys = spk_session_list_plot_data (session);
    guint64 steps = 0;

    g_assert_cmpuint (g_strv_length (keys), ==, n_plots);
    g_assert_true (g_variant_lookup (spk_session_get_layout (session, "run"), "steps", "t", &steps));
    g_assert_cmpuint (steps, ==, saved);
    g_assert_nonnull (spk_session_get_plan (session));
  }
  ut_window_free (window);

  /* Reopen: the plots show the run before anything runs; Play goes on. */
  reopened = ut_window_new (NULL, 1920, 1080);
  g_assert_true (spk_window_open_file (reopened, file, &error));
  g_assert_no_error (error);
  ut_wait_for_frames (GTK_WIDGET (reopened), 2);
  grid = spk_window_get_plot_grid (reopened);
  bar = GTK_WIDGET (spk_window_get_run_bar (reopened));
  g_assert_cmpuint (spk_plot_grid_get_n_plots (grid), ==, n_plots);
  for (guint p = 0; p < n_plots; p++)
    g_assert_cmpuint (samples_of (reopened, p), >, 100);
  activate (bar, "run.play-pause", NULL);
  UT_WAIT_FOR (ut_steps_of (reopened) > saved + 100);
  activate (bar, "run.play-pause", NULL);
  UT_WAIT_FOR (spk_run_bar_get_state (SPK_RUN_BAR (bar)) == SPK_RUNNER_STATE_PAUSED);

  /* Train (Ctrl+T): input → probe on generated noise; the loss falls and
   * a run takes the trained weights. */
  activate (GTK_WIDGET (reopened), "win.train", NULL);
  g_assert_true (spk_window_get_training (reopened));
  panel = spk_window_get_train_panel (reopened);
  spk_train_panel_set_data_set (panel, "noise-lowpass");
  spk_train_panel_set_input (panel, input_label);
  spk_train_panel_set_probe (panel, probe_label);
  spk_train_panel_set_optimizer (panel, "adam");
  spk_train_panel_set_learning_rate (panel, 1e-5);
  spk_train_panel_set_schedule (panel, 2, 16, 100, 32, TRUE);
  activate (GTK_WIDGET (panel), "train.start", NULL);
  UT_WAIT_LONG_FOR (!spk_train_panel_get_running (panel), 300);
  ut_drain ();
  g_test_message ("%s", spk_train_panel_get_status (panel));
  g_assert_false (spk_train_panel_has_error (panel));
  {
    double first, last;

    spk_train_panel_get_losses (panel, &first, &last);
    g_assert_cmpfloat (last, <, first);
  }
  g_assert_nonnull (spk_window_get_params (reopened));
  activate (GTK_WIDGET (reopened), "win.train", NULL);
  g_assert_false (spk_window_get_training (reopened));
  activate (bar, "run.play-pause", NULL);
  UT_WAIT_FOR (ut_steps_of (reopened) > 200 && samples_of (reopened, 0) > 100);

  /* Present (F5): plots enlarged, the inspector out of the way, the run
   * going on. */
  before = ut_steps_of (reopened);
  activate (GTK_WIDGET (reopened), "win.presentation", NULL);
  g_assert_true (spk_window_get_presentation (reopened));
  ut_wait_for_frames (GTK_WIDGET (reopened), 3);
  g_assert_false (spk_window_get_show_inspector (reopened));
  for (guint p = 0; p < n_plots; p++)
    g_assert_cmpfloat (spk_plot_view_get_scale (spk_plot_grid_get_plot (grid, p)), >=, 1.3);
  UT_WAIT_FOR (ut_steps_of (reopened) > before + 100);
  if (g_getenv ("SPK_TEST_SCREENSHOTS"))
    {
      g_autofree char *shot = g_build_filename (g_getenv ("SPK_TEST_SCREENSHOTS"), "rehearsal.png", NULL);

      g_assert_true (spk_window_save_screenshot (reopened, shot, NULL));
    }
  activate (bar, "run.play-pause", NULL);
  activate (GTK_WIDGET (reopened), "win.presentation", NULL);
  ut_window_free (reopened);

  g_unlink (png);
  g_unlink (csv);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  ut_init (&argc, &argv);
  g_test_add_func ("/spk/ui/rehearsal/lesson", test_rehearsal);
  return g_test_run ();
}
