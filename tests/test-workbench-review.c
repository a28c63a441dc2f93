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
#include "builder/spk-plan.h"
#include "io/spk-session.h"
#include "model/spk-network.h"
#include "model/spk-node.h"
#include "model/spk-process.h"
#include "ui/graph/spk-layout.h"
#include "ui/graph/spk-graph-view.h"
#include "ui/graph/spk-graph-view-private.h"
#include "ui/plots/spk-plot-grid.h"
#include "ui/plots/spk-plot-view.h"
#include "ui/run/spk-run-bar.h"
#include "ui/shell/spk-inspector.h"
#include "ui/shell/spk-shell.h"
#include "ui/shell/spk-window.h"
#include "ui/shell/spk-window-private.h"
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

/* Every example's connection labels lie clear of every card (its ports,
 * title and text): learn-communication-channel's "×-1 / lowpass 5 ms"
 * lay across the post card. */
static void
test_labels_clear_of_cards (void)
{
  const SpkExampleInfo *examples = spk_examples_list ();
  guint n_labels = 0;

  for (guint e = 0; examples[e].name != NULL; e++)
    {
      SpkWindow *window = ut_window_new (NULL, 1920, 1080);
      SpkGraphView *graph = spk_window_get_graph_view (window);

      g_assert_true (spk_window_open_example (window, examples[e].name, NULL));
      ut_wait_for_frames (GTK_WIDGET (window), 2);
      for (guint i = 0; i < graph->edges->len; i++)
        {
          SpkEdge *edge = g_ptr_array_index (graph->edges, i);
          graphene_rect_t label;

          if (edge->hidden || edge->label == NULL)
            continue;
          n_labels++;
          graphene_rect_init (&label, edge->label_x - edge->label_w / 2, edge->label_y - edge->label_h / 2,
                              edge->label_w, edge->label_h);
          for (guint k = 0; k < graph->cards->len; k++)
            {
              SpkCard *card = g_ptr_array_index (graph->cards, k);
              graphene_rect_t r, both;

              graphene_rect_init (&r, card->x, card->y, card->w, card->h);
              if (!card->hidden && graphene_rect_intersection (&label, &r, &both))
                g_error ("%s: the label of %s covers %s's card by %.0f×%.0f", examples[e].name,
                         spk_object_get_label (edge->object) ? spk_object_get_label (edge->object) : "a connection",
                         spk_object_get_label (card->object), both.size.width, both.size.height);
            }
        }
      ut_window_free (window);
    }
  g_assert_cmpuint (n_labels, >, 20);
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

/* A plot added mid-run that needs a new filter (a decoded value through
 * its 10 ms synapse; a connection's output, through a tap with the
 * connection's synapse) goes on from where the run is, as the docs say:
 * time never goes back, the plots already there keep their samples and go
 * on, and the new plot fills from then on. */
static void
test_plot_added_mid_run_carries_on (void)
{
  SpkWindow *window = ut_window_new_drawn ("communication-channel");
  GtkWidget *bar = GTK_WIDGET (spk_window_get_run_bar (window));
  SpkPlotGrid *grid = spk_window_get_plot_grid (window);
  GPtrArray *objects = spk_network_get_objects (spk_window_get_network (window));
  SpkObject *connection = NULL;

  for (guint i = 0; i < objects->len && connection == NULL; i++)
    if (SPK_IS_CONNECTION (g_ptr_array_index (objects, i)))
      connection = g_ptr_array_index (objects, i);
  g_assert_nonnull (connection);

  activate (window, bar, "run.play-pause", NULL);
  UT_WAIT_FOR (ut_steps_of (window) > 300);
  for (guint round = 0; round < 2; round++)
    {
      SpkRunner *runner = spk_run_bar_get_runner (SPK_RUN_BAR (bar));
      SpkPlan *plan = spk_runner_get_plan (runner);
      guint n = spk_plot_grid_get_n_plots (grid);
      guint had = samples_of (window, 0);
      guint64 before = ut_steps_of (window);
      SpkPlotView *added;

      if (round == 0)
        activate (window, NULL, "win.add-plot", g_variant_new ("(ss)", "value", "a"));
      else
        _spk_window_add_plot (window, SPK_PLOT_VALUE, connection);
      g_assert_cmpuint (spk_plot_grid_get_n_plots (grid), ==, n + 1);
      UT_WAIT_FOR (spk_runner_get_plan (runner) != plan);
      g_assert_cmpuint (ut_steps_of (window), >=, before);
      g_assert_cmpint (spk_run_bar_get_state (SPK_RUN_BAR (bar)), ==, SPK_RUNNER_STATE_RUNNING);
      g_assert_cmpuint (samples_of (window, 0), >=, had);
      added = spk_plot_grid_get_plot (grid, n);
      UT_WAIT_FOR (samples_of (window, n) > 50);
      g_assert_cmpfloat (spk_plot_view_get_time (added, 0), >=, before * 0.001 - 1e-9);
      g_assert_cmpfloat (spk_plot_view_get_time (spk_plot_grid_get_plot (grid, 0), 0), <, before * 0.001);
    }
  activate (window, bar, "run.play-pause", NULL);
  ut_window_free (window);
}

static gboolean
record_end_time_cb (GtkWidget     *widget,
                    GdkFrameClock *clock,
                    gpointer       data)
{
  double end = spk_plot_grid_get_end_time (SPK_PLOT_GRID (widget));

  g_array_append_val ((GArray *) data, end);
  return G_SOURCE_CONTINUE;
}

/* While a run goes on the plots follow it: frame after frame their time
 * axis ends at the newest sample, never jumping back (it fell to -∞ on
 * every other frame, and the plots showed 0–1 s when paused); paused,
 * they end where the run stopped. */
static void
test_plots_follow_run (void)
{
  SpkWindow *window = ut_window_new_drawn ("communication-channel");
  GtkWidget *bar = GTK_WIDGET (spk_window_get_run_bar (window));
  SpkPlotGrid *grid = spk_window_get_plot_grid (window);
  g_autoptr (GArray) ends = g_array_new (FALSE, FALSE, sizeof (double));
  guint tick;
  double last = 0;

  tick = gtk_widget_add_tick_callback (GTK_WIDGET (grid), record_end_time_cb, ends, NULL);
  activate (window, bar, "run.play-pause", NULL);
  UT_WAIT_FOR (ut_steps_of (window) > 500 && ends->len > 20);
  activate (window, bar, "run.play-pause", NULL);
  UT_WAIT_FOR (spk_run_bar_get_state (SPK_RUN_BAR (bar)) == SPK_RUNNER_STATE_PAUSED);
  ut_wait_for_frames (GTK_WIDGET (grid), 3);
  gtk_widget_remove_tick_callback (GTK_WIDGET (grid), tick);
  for (guint i = 0; i < ends->len; i++)
    {
      double end = g_array_index (ends, double, i);

      if (!isfinite (end) || end < last)
        g_error ("frame %u: the plots end at %g after %g", i, end, last);
      last = end;
    }
  g_assert_cmpfloat (fabs (spk_plot_grid_get_end_time (grid) - ut_steps_of (window) * 0.001), <, 0.0015);
  g_assert_cmpfloat (spk_plot_grid_get_end_time (grid), ==,
                     spk_plot_view_get_last_time (spk_plot_grid_get_plot (grid, 0)));
  ut_window_free (window);
}

/* The classifier's ten class scores (a Layer's output, probed by the
 * model) open as a plot of ten lines that fills when the run goes; a
 * two-valued probe still opens as XY. */
static void
test_ten_values_plotted (void)
{
  SpkWindow *window = ut_window_new_drawn ("spiking-classifier");
  GtkWidget *bar = GTK_WIDGET (spk_window_get_run_bar (window));
  SpkPlotGrid *grid = spk_window_get_plot_grid (window);
  SpkPlotView *scores = NULL;

  for (guint p = 0; p < spk_plot_grid_get_n_plots (grid); p++)
    if (g_strcmp0 (spk_plot_view_get_target (spk_plot_grid_get_plot (grid, p)), "output") == 0)
      scores = spk_plot_grid_get_plot (grid, p);
  g_assert_nonnull (scores);
  g_assert_cmpint (spk_plot_view_get_kind (scores), ==, SPK_PLOT_VALUE);
  g_assert_cmpstr (spk_plot_view_get_title (scores), ==, "output — Output");
  activate (window, bar, "run.play-pause", NULL);
  spk_plot_grid_drain (grid);
  UT_WAIT_FOR ((spk_plot_grid_drain (grid), spk_plot_view_get_n_samples (scores) > 200));
  activate (window, bar, "run.play-pause", NULL);
  g_assert_cmpuint (spk_plot_view_get_width (scores), ==, 10);
  /* Through the synapse of the model's own filtered probe of the scores
   * (output_filtered, 20 ms): from step to step a line moves a little of
   * its range, not the spikes' jumps of the unfiltered scores. */
  {
    guint n = spk_plot_view_get_n_samples (scores);
    double jumps = 0, range = 0;

    for (guint k = 0; k < 10; k++)
      {
        double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;

        for (guint i = 50; i < n; i++)
          {
            double v = spk_plot_view_get_value (scores, i, k);

            lo = MIN (lo, v);
            hi = MAX (hi, v);
            jumps += fabs (v - spk_plot_view_get_value (scores, i - 1, k));
          }
        range += hi - lo;
      }
    jumps /= n - 50;
    g_test_message ("mean step %g, mean range %g", jumps / 10, range / 10);
    g_assert_cmpfloat (range, >, 0);
    g_assert_cmpfloat (jumps / range, <, 0.12);   /* unfiltered: 0.28 */
  }
  ut_window_free (window);

  window = ut_window_new_drawn ("learn-communication-channel");
  grid = spk_window_get_plot_grid (window);
  g_assert_cmpint (spk_plot_view_get_kind (spk_plot_grid_get_plot (grid, 0)), ==, SPK_PLOT_XY);
  ut_window_free (window);
}

/* A session as `spikeworks-cli save --run-steps 400` writes it (the
 * model's probes recorded, no plots of its own) opens with the plots of
 * the probed objects showing what the probes recorded, before anything
 * runs; a plot no probe covers stays empty.  Play starts from t = 0. */
static void
test_session_probes_shown (void)
{
  g_autoptr (SpkNetwork) network = spk_example_new ("communication-channel", NULL);
  g_autofree char *dir = g_dir_make_tmp ("spk-review-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cli.spkw", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSession) session = NULL;
  SpkSimulator *sim;
  SpkWindow *window;
  SpkPlotGrid *grid;
  guint filled = 0;

  plan = spk_build (network, &error);
  g_assert_no_error (error);
  sim = spk_simulator_new (plan, 1, &error);
  g_assert_true (spk_simulator_run_steps (sim, 400, &error));
  session = spk_session_new (network);
  spk_session_set_plan (session, plan);
  g_assert_true (spk_session_record_simulator (session, sim, &error));
  g_assert_true (spk_session_save (session, path, &error));
  g_assert_no_error (error);
  spk_simulator_free (sim);

  window = ut_window_new_drawn (NULL);
  g_assert_true (spk_window_open_file (window, file, &error));
  g_assert_no_error (error);
  ut_wait_for_frames (GTK_WIDGET (window), 2);
  grid = spk_window_get_plot_grid (window);
  for (guint p = 0; p < spk_plot_grid_get_n_plots (grid); p++)
    {
      SpkPlotView *view = spk_plot_grid_get_plot (grid, p);
      const char *target = spk_plot_view_get_target (view);
      g_autofree char *probe = g_strdup_printf ("%s_value", target);
      const float *data;
      const double *t;
      guint batch, size;
      guint64 n;

      if (spk_plot_view_get_kind (view) == SPK_PLOT_SPIKES)
        {
          g_assert_cmpuint (spk_plot_view_get_n_samples (view), ==, 0);
          continue;
        }
      data = spk_session_get_probe_data (session, probe, &batch, &n, &size, &t);
      g_assert_nonnull (data);
      g_assert_cmpuint (spk_plot_view_get_n_samples (view), ==, 400);
      for (guint i = 0; i < 400; i++)
        {
          g_assert_cmpfloat (spk_plot_view_get_time (view, i), ==, t[i]);
          g_assert_cmpfloat (spk_plot_view_get_value (view, i, 0), ==, data[i]);
        }
      filled++;
    }
  g_assert_cmpuint (filled, ==, 3);
  g_assert_cmpfloat_with_epsilon (spk_plot_grid_get_end_time (grid), 0.4, 1e-9);
  activate (window, GTK_WIDGET (spk_window_get_run_bar (window)), "run.step", NULL);
  UT_WAIT_FOR (ut_steps_of (window) == 1);
  ut_window_free (window);
  g_unlink (path);
  g_rmdir (dir);
}

/* Ctrl+A, Delete while a run goes on: the plots go with their objects,
 * and the run starts afresh on the empty model, still running.  The plots
 * used to rebuild the run in the middle of the deletion, from a model
 * with a connection whose pre was gone: the build failed ("object 2:
 * 'pre' missing" as a toast) and the run paused. */
static void
test_delete_all_while_running (void)
{
  SpkWindow *window = ut_window_new_drawn ("communication-channel");
  GtkWidget *bar = GTK_WIDGET (spk_window_get_run_bar (window));
  SpkGraphView *view = spk_window_get_graph_view (window);

  activate (window, bar, "run.play-pause", NULL);
  UT_WAIT_FOR (ut_steps_of (window) > 100);
  activate (window, GTK_WIDGET (view), "graph.select-all", NULL);
  activate (window, GTK_WIDGET (view), "graph.delete", NULL);
  g_assert_cmpuint (spk_network_get_objects (spk_window_get_network (window))->len, ==, 0);
  g_assert_cmpuint (spk_plot_grid_get_n_plots (spk_window_get_plot_grid (window)), ==, 0);
  g_assert_cmpint (spk_run_bar_get_state (SPK_RUN_BAR (bar)), ==, SPK_RUNNER_STATE_RUNNING);
  wait_past_check ();
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

static void
run_steps (SpkWindow *window,
           guint64    n,
           guint64    until)
{
  SpkRunBar *bar = spk_window_get_run_bar (window);

  gtk_widget_activate_action (GTK_WIDGET (bar), "run.rate", "d", 0.0);
  spk_run_bar_set_n_steps (bar, n);
  activate (window, GTK_WIDGET (bar), "run.run-steps", NULL);
  {
    gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

    while (!(ut_steps_of (window) == until && spk_run_bar_get_state (bar) == SPK_RUNNER_STATE_PAUSED)
           && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
  }
  if (ut_steps_of (window) != until)
    g_error ("ran %" G_GUINT64_FORMAT " steps, not %" G_GUINT64_FORMAT, ut_steps_of (window), until);
}

/* How many parameters of session's plan differ from a fresh build of its
 * network. */
static guint
n_params_changed (SpkSession *session)
{
  SpkPlan *saved = spk_session_get_plan (session);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) fresh = spk_build (spk_session_get_network (session), &error);
  g_auto (GStrv) keys = NULL;
  guint n = 0;

  g_assert_no_error (error);
  g_assert_nonnull (saved);
  keys = spk_plan_list_params (fresh);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr (SpkArray) a = spk_plan_dup_param (fresh, keys[i]);
      g_autoptr (SpkArray) b = spk_plan_dup_param (saved, keys[i]);

      g_assert_nonnull (b);
      n += !spk_array_equal (a, b);
    }
  return n;
}

/* Save of a run of learn-communication-channel (PES on pre → post): the
 * model's own probes' data (each of its 1,000 samples, as the command
 * line's save --run-steps writes them) and the weights as PES left them.
 * Reopened, the window builds from those learned weights and its plots
 * show the run; saved again before running, the probes' data stays.  A
 * model that learns nothing saves its probes the same way, with the
 * weights it was built with. */
static void
test_save_probes_and_learned (void)
{
  SpkWindow *window = ut_window_new_drawn ("learn-communication-channel");
  g_autofree char *dir = g_dir_make_tmp ("spk-review-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "learned.spkw", NULL);
  g_autofree char *again = g_build_filename (dir, "again.spkw", NULL);
  g_autofree char *plain = g_build_filename (dir, "plain.spkw", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFile) file_again = g_file_new_for_path (again);
  g_autoptr (GFile) file_plain = g_file_new_for_path (plain);
  static const char *const probes[] = { "input_value", "pre_value", "post_value", "error_value", NULL };
  g_autoptr (SpkSession) session = NULL;
  g_autoptr (SpkSession) session_again = NULL;
  g_autoptr (SpkSession) session_plain = NULL;
  g_autoptr (GError) error = NULL;
  gboolean learned = FALSE;
  SpkWindow *reopened;

  run_steps (window, 400, 400);
  run_steps (window, 600, 1000);
  g_assert_true (spk_window_save_file (window, file, &error));
  g_assert_no_error (error);
  ut_window_free (window);

  session = spk_session_load (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; probes[i] != NULL; i++)
    {
      guint batch = 0, size = 0;
      guint64 n = 0;
      const double *t;

      g_assert_nonnull (spk_session_get_probe_data (session, probes[i], &batch, &n, &size, &t));
      g_assert_cmpuint (batch, ==, 1);
      g_assert_cmpuint (n, ==, 1000);
      g_assert_cmpuint (size, ==, 2);
      g_assert_cmpfloat_with_epsilon (t[0], 0.001, 1e-12);
      g_assert_cmpfloat_with_epsilon (t[999], 1.0, 1e-9);
    }
  g_assert_cmpuint (n_params_changed (session), >, 0);
  g_assert_true (g_variant_lookup (spk_session_get_layout (session, "run"), "learned", "b", &learned));
  g_assert_true (learned);

  /* Reopened: built from the learned weights, the run on show. */
  reopened = ut_window_new_drawn (NULL);
  g_assert_true (spk_window_open_file (reopened, file, &error));
  g_assert_no_error (error);
  ut_drain ();
  g_assert_nonnull (spk_window_get_params (reopened));
  g_assert_cmpuint (spk_plot_view_get_n_samples (spk_plot_grid_get_plot (spk_window_get_plot_grid (reopened), 0)), ==, 1000);
  g_assert_true (spk_window_save_file (reopened, file_again, &error));
  g_assert_no_error (error);
  session_again = spk_session_load (again, &error);
  g_assert_no_error (error);
  for (guint i = 0; probes[i] != NULL; i++)
    {
      guint batch, size;
      guint64 n = 0;

      g_assert_nonnull (spk_session_get_probe_data (session_again, probes[i], &batch, &n, &size, NULL));
      g_assert_cmpuint (n, ==, 1000);
    }
  g_assert_cmpuint (n_params_changed (session_again), ==, n_params_changed (session));
  /* Play goes on learning from there. */
  run_steps (reopened, 100, 100);
  ut_window_free (reopened);

  /* Nothing learned: the probes, and the weights it was built with. */
  window = ut_window_new_drawn ("communication-channel");
  run_steps (window, 200, 200);
  g_assert_true (spk_window_save_file (window, file_plain, &error));
  g_assert_no_error (error);
  ut_window_free (window);
  session_plain = spk_session_load (plain, &error);
  g_assert_no_error (error);
  {
    guint batch, size;
    guint64 n = 0;

    g_assert_nonnull (spk_session_get_probe_data (session_plain, "b_value", &batch, &n, &size, NULL));
    g_assert_cmpuint (n, ==, 200);
  }
  g_assert_cmpuint (n_params_changed (session_plain), ==, 0);
  g_assert_false (g_variant_lookup (spk_session_get_layout (session_plain, "run"), "learned", "b", &learned));

  g_unlink (path);
  g_unlink (again);
  g_unlink (plain);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  ut_init (&argc, &argv);
  g_test_add_func ("/spk/ui/review/group-names-subnetwork", test_group_names_subnetwork);
  g_test_add_func ("/spk/ui/review/open-fits-whole", test_open_fits_whole);
  g_test_add_func ("/spk/ui/review/labels-clear-of-cards", test_labels_clear_of_cards);
  g_test_add_func ("/spk/ui/review/decoded-legend-clear", test_decoded_legend_clear);
  g_test_add_func ("/spk/ui/review/xy-white-signal", test_xy_white_signal);
  g_test_add_func ("/spk/ui/review/moving-cards-keeps-run", test_moving_cards_keeps_run);
  g_test_add_func ("/spk/ui/review/plot-added-mid-run-carries-on", test_plot_added_mid_run_carries_on);
  g_test_add_func ("/spk/ui/review/plots-follow-run", test_plots_follow_run);
  g_test_add_func ("/spk/ui/review/ten-values-plotted", test_ten_values_plotted);
  g_test_add_func ("/spk/ui/review/session-probes-shown", test_session_probes_shown);
  g_test_add_func ("/spk/ui/review/delete-all-while-running", test_delete_all_while_running);
  g_test_add_func ("/spk/ui/review/shortcuts-window-clean", test_shortcuts_window_clean);
  g_test_add_func ("/spk/ui/review/save-probes-and-learned", test_save_probes_and_learned);
  return g_test_run ();
}
