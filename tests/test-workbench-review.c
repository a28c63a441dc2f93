/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-workbench-review.c — the workbench's last defects before a class,
 * each reproduced in a real window under Xvfb and driven through its
 * actions: the inspector names a sub-network made with Ctrl+G, an opened
 * model is fitted whole on the canvas, the decoded-function legend leaves
 * the curve alone, the XY plot of a 2-D ensemble fills, moving a plot card
 * keeps the run going, and Save keeps the model's probes and what its
 * learning rules learned. */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "examples/spk-examples.h"
#include "model/spk-ensemble.h"
#include "model/spk-network.h"
#include "model/spk-node.h"
#include "model/spk-process.h"
#include "ui/graph/spk-layout.h"
#include "ui/graph/spk-graph-view.h"
#include "ui/plots/spk-plot-grid.h"
#include "ui/plots/spk-plot-view.h"
#include "ui/run/spk-run-bar.h"
#include "ui/shell/spk-inspector.h"
#include "ui/shell/spk-shell.h"
#include "ui/shell/spk-window.h"
#include "ui/plots/spk-plot-view-private.h"
#include "spk-ui-test-util.h"

static void
activate (SpkWindow  *window,
          GtkWidget  *widget,
          const char *action,
          GVariant   *parameter)
{
  g_assert_true (gtk_widget_activate_action_variant (widget ? widget : GTK_WIDGET (window), action, parameter));
  ut_drain ();
}

/* Ctrl+G on a and b: the inspector names the new sub-network, not
 * "2 Objects"; ungrouping counts them again.  With several objects
 * selected there is no Label row (one label for all would clash). */
static void
test_group_names_subnetwork (void)
{
  SpkWindow *window = ut_window_new_drawn ("communication-channel");
  SpkGraphView *view = spk_window_get_graph_view (window);
  SpkInspector *inspector = spk_window_get_inspector (window);
  SpkNetwork *network = spk_window_get_network (window);

  spk_graph_view_select (view, spk_network_lookup (network, "a"), FALSE);
  spk_graph_view_select (view, spk_network_lookup (network, "b"), TRUE);
  ut_drain ();
  g_assert_cmpstr (spk_inspector_get_title (inspector), ==, "2 Objects");
  g_assert_null (spk_inspector_get_editor (inspector, "label"));
  g_assert_nonnull (spk_inspector_get_editor (inspector, "n-neurons"));

  activate (window, GTK_WIDGET (view), "graph.group", NULL);
  g_assert_cmpstr (spk_inspector_get_title (inspector), ==, "network_1");

  activate (window, GTK_WIDGET (view), "graph.ungroup", NULL);
  g_assert_cmpstr (spk_inspector_get_title (inspector), ==, "2 Objects");
  ut_window_free (window);
}

/* Every example opens whole on the canvas of a projector's 1280×800
 * window (xvfb-run's screen is 1280×1024; a classroom's 1920×1080 has more
 * room still): each card and each connection's label inside the canvas,
 * at a zoom that still reads. */
static void
check_fitted (const char *example,
              int         width,
              int         height,
              double      min_zoom)
{
  SpkWindow *window = ut_window_new (NULL, width, height);
  SpkGraphView *view = spk_window_get_graph_view (window);
  GPtrArray *objects;
  int w, h;

  ut_wait_for_frames (GTK_WIDGET (window), 2);
  g_assert_true (spk_window_open_example (window, example, NULL));
  ut_wait_for_frames (GTK_WIDGET (window), 2);
  w = gtk_widget_get_width (GTK_WIDGET (view));
  h = gtk_widget_get_height (GTK_WIDGET (view));
  g_test_message ("%s at %d×%d: canvas %d×%d, zoom %.2f", example, width, height, w, h,
                  spk_graph_view_get_zoom (view));
  objects = spk_network_get_objects (spk_window_get_network (window));
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      graphene_rect_t r;

      if (!spk_graph_view_get_object_bounds (view, object, &r))
        continue;
      if (r.origin.x < 0 || r.origin.y < 0 || r.origin.x + r.size.width > w || r.origin.y + r.size.height > h)
        g_error ("%s at %d×%d: %s is at %.0f,%.0f %.0f×%.0f, outside the %d×%d canvas", example, width, height,
                 spk_object_get_label (object), r.origin.x, r.origin.y, r.size.width, r.size.height, w, h);
    }
  g_assert_cmpfloat (spk_graph_view_get_zoom (view), >=, min_zoom);
  ut_window_free (window);
}

static void
test_open_fits_whole (void)
{
  const SpkExampleInfo *examples = spk_examples_list ();

  for (guint i = 0; examples[i].name != NULL; i++)
    check_fitted (examples[i].name, 1280, 800, 0.5);
}

/* The decoded function of communication-channel's a → b (the identity,
 * rising to the top right) and of nef-sin-x-squared's x² (high at both
 * top corners): the legend covers no point of either curve. */
static void
check_legend_clear (const char *example,
                    const char *connection)
{
  SpkWindow *window = ut_window_new_drawn (example);
  SpkPlotGrid *grid = spk_window_get_plot_grid (window);
  guint n = spk_plot_grid_get_n_plots (grid), covered = G_MAXUINT;
  SpkPlotView *view;
  graphene_rect_t box;

  activate (window, NULL, "win.add-plot", g_variant_new ("(ss)", "decoded-function", connection));
  g_assert_cmpuint (spk_plot_grid_get_n_plots (grid), ==, n + 1);
  view = spk_plot_grid_get_plot (grid, n);
  g_assert_cmpint (spk_plot_view_get_kind (view), ==, SPK_PLOT_DECODED);
  ut_wait_for_frames (GTK_WIDGET (window), 3);
  g_assert_true (_spk_plot_view_get_legend_box (view, &box, &covered));
  g_test_message ("%s %s: legend at %.0f,%.0f %.0f×%.0f covers %u points", example, connection,
                  box.origin.x, box.origin.y, box.size.width, box.size.height, covered);
  g_assert_cmpuint (covered, ==, 0);
  ut_window_free (window);
}

static void
test_decoded_legend_clear (void)
{
  check_legend_clear ("communication-channel", "connection1");
  check_legend_clear ("nef-sin-x-squared", "connection1");
}

static guint
samples_of (SpkWindow *window,
            guint      index)
{
  SpkPlotGrid *grid = spk_window_get_plot_grid (window);

  spk_plot_grid_drain (grid);
  return spk_plot_view_get_n_samples (spk_plot_grid_get_plot (grid, index));
}

/* Built from an empty network as in class: a 2-D WhiteSignal node into a
 * 2-D ensemble, XY plots of both, and Play pressed at once (before the
 * edits' check has run): the run keeps going and both XY plots fill. */
static void
test_xy_white_signal (void)
{
  SpkWindow *window = ut_window_new_drawn (NULL);
  SpkGraphView *view = spk_window_get_graph_view (window);
  GtkWidget *bar = GTK_WIDGET (spk_window_get_run_bar (window));
  g_autoptr (SpkProcess) process = spk_process_new (SPK_PROCESS_WHITE_SIGNAL);
  g_autoptr (GError) error = NULL;
  SpkNode *node;
  SpkEnsemble *ensemble;

  spk_window_new_model (window);
  node = SPK_NODE (spk_graph_view_add_object (view, SPK_TYPE_NODE, 0, 0));
  ensemble = SPK_ENSEMBLE (spk_graph_view_add_object (view, SPK_TYPE_ENSEMBLE, 300, 0));
  process->period = 10;
  process->high = 5;
  spk_node_set_output_process (node, process);
  spk_node_set_size_out (node, 2);
  spk_ensemble_set_dimensions (ensemble, 2);
  g_assert_nonnull (spk_graph_view_connect (view, SPK_OBJECT (node), FALSE, SPK_OBJECT (ensemble), FALSE, &error));
  g_assert_no_error (error);
  activate (window, NULL, "win.add-plot", g_variant_new ("(ss)", "xy", spk_object_get_label (SPK_OBJECT (ensemble))));
  activate (window, NULL, "win.add-plot", g_variant_new ("(ss)", "xy", spk_object_get_label (SPK_OBJECT (node))));
  g_assert_cmpuint (spk_plot_grid_get_n_plots (spk_window_get_plot_grid (window)), ==, 2);

  activate (window, bar, "run.play-pause", NULL);
  UT_WAIT_FOR (samples_of (window, 0) > 600 && samples_of (window, 1) > 600);
  g_assert_cmpint (spk_run_bar_get_state (SPK_RUN_BAR (bar)), ==, SPK_RUNNER_STATE_RUNNING);
  g_assert_cmpuint (spk_plot_view_get_width (spk_plot_grid_get_plot (spk_window_get_plot_grid (window), 0)), ==, 2);
  activate (window, bar, "run.play-pause", NULL);
  ut_window_free (window);
}

/* Waits long enough for the window's check of an edit (300 ms) to run. */
static void
wait_past_check (void)
{
  gint64 until = g_get_monotonic_time () + 800 * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

/* Moving a card on the canvas, or a plot card in the grid, is no edit of
 * the model: the run carries on from where it was. */
static void
test_moving_cards_keeps_run (void)
{
  SpkWindow *window = ut_window_new_drawn ("communication-channel");
  GtkWidget *bar = GTK_WIDGET (spk_window_get_run_bar (window));
  SpkGraphView *view = spk_window_get_graph_view (window);
  SpkPlotGrid *grid = spk_window_get_plot_grid (window);
  SpkObject *a = spk_network_lookup (spk_window_get_network (window), "a");
  double x, y;
  guint64 before;

  activate (window, bar, "run.play-pause", NULL);
  UT_WAIT_FOR (ut_steps_of (window) > 200);

  g_assert_true (spk_layout_get_position (spk_graph_view_get_layout (view), a, &x, &y));
  spk_layout_set_position (spk_graph_view_get_layout (view), a, x + 40, y + 60);
  before = ut_steps_of (window);
  wait_past_check ();
  g_assert_cmpuint (ut_steps_of (window), >, before);
  g_assert_cmpint (spk_run_bar_get_state (SPK_RUN_BAR (bar)), ==, SPK_RUNNER_STATE_RUNNING);

  spk_plot_grid_move (grid, spk_plot_grid_get_plot (grid, 0), 1);
  before = ut_steps_of (window);
  wait_past_check ();
  g_assert_cmpuint (ut_steps_of (window), >, before);
  g_assert_cmpint (spk_run_bar_get_state (SPK_RUN_BAR (bar)), ==, SPK_RUNNER_STATE_RUNNING);
  activate (window, bar, "run.play-pause", NULL);
  ut_window_free (window);
}

/* The keyboard shortcuts window (Ctrl+?) opens without GTK's warning
 * "GtkLabel reported min width -3" (warnings are fatal in a test), on
 * one page. */
static void
test_shortcuts_window_clean (void)
{
  g_autoptr (GtkBuilder) builder = NULL;
  GtkWidget *overlay;

  spk_shell_ensure_resources ();
  builder = gtk_builder_new_from_resource ("/org/spikeworks/Spikeworks/gtk/help-overlay.ui");
  overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  gtk_window_present (GTK_WINDOW (overlay));
  ut_wait_for_frames (overlay, 3);
  gtk_window_destroy (GTK_WINDOW (overlay));
  ut_drain ();
}

int
main (int   argc,
      char *argv[])
{
  ut_init (&argc, &argv);
  g_test_add_func ("/spk/ui/review/group-names-subnetwork", test_group_names_subnetwork);
  g_test_add_func ("/spk/ui/review/open-fits-whole", test_open_fits_whole);
  g_test_add_func ("/spk/ui/review/decoded-legend-clear", test_decoded_legend_clear);
  g_test_add_func ("/spk/ui/review/xy-white-signal", test_xy_white_signal);
  g_test_add_func ("/spk/ui/review/moving-cards-keeps-run", test_moving_cards_keeps_run);
  g_test_add_func ("/spk/ui/review/shortcuts-window-clean", test_shortcuts_window_clean);
  return g_test_run ();
}
