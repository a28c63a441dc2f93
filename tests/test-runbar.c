/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-runbar.c — the run controls in a real window under Xvfb: step,
 * play, pause and reset through their actions change the runner's state
 * and the plots' data; a slider's value reaches the probed output at the
 * next steps and goes back with a reset; an edit during a run rebuilds and
 * restarts it. */
#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "builder/spk-decoder-cache.h"
#include "examples/spk-examples.h"
#include "io/spk-model-json.h"
#include "model/spk-network.h"
#include "ui/shell/spk-window.h"
#include "spk-ui-test-util.h"

static SpkRunnerStatus
status_of (SpkWindow *window)
{
  SpkRunnerStatus status = { 0 };
  SpkRunner *runner = spk_run_bar_get_runner (spk_window_get_run_bar (window));

  g_assert_nonnull (runner);
  spk_runner_get_status (runner, &status);
  return status;
}

static SpkWindow *
window_new (SpkNetwork *network)
{
  SpkWindow *window = spk_window_new (NULL);

  spk_window_set_network (window, network, NULL, NULL);
  gtk_window_present (GTK_WINDOW (window));
  ut_drain ();
  return window;
}

static void
window_free (SpkWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  ut_drain ();
}

static guint
samples_of_first_plot (SpkWindow *window)
{
  SpkPlotGrid *grid = spk_window_get_plot_grid (window);

  spk_plot_grid_drain (grid);
  return spk_plot_view_get_n_samples (spk_plot_grid_get_plot (grid, 0));
}

static void
test_actions (void)
{
  g_autoptr (SpkNetwork) network = spk_example_new ("rate-vs-spiking", NULL);
  SpkWindow *window = window_new (network);
  GtkWidget *bar = GTK_WIDGET (spk_window_get_run_bar (window));
  guint64 steps;

  g_assert_cmpuint (spk_plot_grid_get_n_plots (spk_window_get_plot_grid (window)), >=, 3);
  g_assert_null (spk_run_bar_get_runner (SPK_RUN_BAR (bar)));

  /* One step: one sample in every plot. */
  g_assert_true (gtk_widget_activate_action (bar, "run.step", NULL));
  UT_WAIT_FOR (status_of (window).n_steps == 1);
  UT_WAIT_FOR (samples_of_first_plot (window) == 1);

  /* Play runs on, pause stops. */
  g_assert_true (gtk_widget_activate_action (bar, "run.play-pause", NULL));
  UT_WAIT_FOR (spk_run_bar_get_state (SPK_RUN_BAR (bar)) == SPK_RUNNER_STATE_RUNNING);
  UT_WAIT_FOR (status_of (window).n_steps > 50);
  g_assert_true (gtk_widget_activate_action (bar, "run.play-pause", NULL));
  UT_WAIT_FOR (spk_run_bar_get_state (SPK_RUN_BAR (bar)) == SPK_RUNNER_STATE_PAUSED);
  steps = status_of (window).n_steps;
  UT_WAIT_FOR (samples_of_first_plot (window) == steps);

  /* Run N steps, as fast as possible. */
  g_assert_true (gtk_widget_activate_action (bar, "run.rate", "d", 0.0));
  spk_run_bar_set_n_steps (SPK_RUN_BAR (bar), 500);
  g_assert_true (gtk_widget_activate_action (bar, "run.run-steps", NULL));
  UT_WAIT_FOR (status_of (window).n_steps == steps + 500
            && spk_run_bar_get_state (SPK_RUN_BAR (bar)) == SPK_RUNNER_STATE_PAUSED);
  UT_WAIT_FOR (samples_of_first_plot (window) == steps + 500);

  /* Reset: back to t = 0, plots empty. */
  g_assert_true (gtk_widget_activate_action (bar, "run.reset", NULL));
  UT_WAIT_FOR (status_of (window).n_steps == 0);
  UT_WAIT_FOR (samples_of_first_plot (window) == 0);
  g_assert_cmpfloat (spk_plot_grid_get_end_time (spk_window_get_plot_grid (window)), ==, 0.0);
  window_free (window);
}

/* A constant Node u = 0.25 with its output plotted. */
static SpkNetwork *
slider_network (void)
{
  SpkNetwork *network = spk_network_new ();
  g_autoptr (SpkNode) node = spk_node_new ();
  g_autoptr (SpkEnsemble) ens = spk_ensemble_new ();
  g_autoptr (SpkConnection) conn = spk_connection_new ();
  g_autoptr (SpkProbe) probe = spk_probe_new ();
  double value = 0.25;
  g_autoptr (SpkArray) array = spk_array_new_vector (&value, 1);

  spk_network_set_label (network, "sliders");
  spk_object_set_label (SPK_OBJECT (node), "u");
  spk_node_set_output_value (node, array);
  spk_object_set_label (SPK_OBJECT (ens), "e");
  spk_ensemble_set_n_neurons (ens, 20);
  spk_connection_set_pre (conn, SPK_OBJECT (node));
  spk_connection_set_post (conn, SPK_OBJECT (ens));
  spk_object_set_label (SPK_OBJECT (probe), "u_value");
  spk_probe_set_target (probe, SPK_OBJECT (node));
  g_assert_true (spk_network_add (network, SPK_OBJECT (node), NULL));
  g_assert_true (spk_network_add (network, SPK_OBJECT (ens), NULL));
  g_assert_true (spk_network_add (network, SPK_OBJECT (conn), NULL));
  g_assert_true (spk_network_add (network, SPK_OBJECT (probe), NULL));
  return network;
}

static double
last_value (SpkWindow *window)
{
  SpkPlotView *view = spk_plot_grid_get_plot (spk_window_get_plot_grid (window), 0);
  guint n = samples_of_first_plot (window);

  return n > 0 ? spk_plot_view_get_value (view, n - 1, 0) : NAN;
}

static void
test_slider (void)
{
  g_autoptr (SpkNetwork) network = slider_network ();
  SpkWindow *window = window_new (network);
  GtkWidget *bar = GTK_WIDGET (spk_window_get_run_bar (window));
  SpkSliderPanel *panel = spk_window_get_slider_panel (window);
  GtkAdjustment *adjustment;

  g_assert_cmpuint (spk_slider_panel_get_n_sliders (panel), ==, 1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel)));
  adjustment = spk_slider_panel_get_adjustment (panel, "u", 0);
  g_assert_nonnull (adjustment);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0.25);
  g_assert_cmpstr (spk_plot_view_get_target (spk_plot_grid_get_plot (spk_window_get_plot_grid (window), 0)), ==, "u");

  gtk_widget_activate_action (bar, "run.step", NULL);
  UT_WAIT_FOR (samples_of_first_plot (window) == 1);
  g_assert_cmpfloat_with_epsilon (last_value (window), 0.25, 1e-6);

  /* Dragging the slider changes the input from the next step on. */
  gtk_adjustment_set_value (adjustment, -0.75);
  gtk_widget_activate_action (bar, "run.step", NULL);
  UT_WAIT_FOR (samples_of_first_plot (window) == 2);
  g_assert_cmpfloat_with_epsilon (last_value (window), -0.75, 1e-6);

  /* The model is untouched, and a reset brings the model's value back. */
  g_assert_cmpfloat (spk_node_get_output_value (SPK_NODE (spk_network_lookup (network, "u")))->data[0], ==, 0.25);
  gtk_widget_activate_action (bar, "run.reset", NULL);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0.25);
  UT_WAIT_FOR (status_of (window).n_steps == 0);
  gtk_widget_activate_action (bar, "run.step", NULL);
  UT_WAIT_FOR (samples_of_first_plot (window) == 1);
  g_assert_cmpfloat_with_epsilon (last_value (window), 0.25, 1e-6);
  window_free (window);
}

/* A built-in network's own constant Nodes (an AssociativeMemory's
 * bias_node) are its workings: only the user's constant Node gets sliders. */
static void
test_slider_skips_builtin_nodes (void)
{
  static const char model[] =
    "{\"format\": \"spikeworks-model\", \"version\": 4,"
    " \"network\": {\"label\": \"memory\", \"seed\": 1},"
    " \"objects\": ["
    "  {\"type\": \"network\", \"label\": \"am\", \"kind\": \"AssociativeMemory\","
    "   \"input_vectors\": [[1, 0], [0, 1]], \"n_neurons\": 10},"
    "  {\"type\": \"node\", \"label\": \"cue\", \"output\": [0.6, 0.8]},"
    "  {\"type\": \"connection\", \"pre\": \"cue\", \"post\": \"am.input\"}]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) network = spk_model_load_data (model, strlen (model), &error);
  SpkObject *bias;
  SpkWindow *window;
  SpkSliderPanel *panel;

  g_assert_no_error (error);
  /* What the panel must leave out is there: a constant Node the network made. */
  bias = spk_network_lookup (network, "am.bias_node");
  g_assert_true (SPK_IS_NODE (bias));
  g_assert_nonnull (spk_node_get_output_value (SPK_NODE (bias)));
  window = window_new (network);
  panel = spk_window_get_slider_panel (window);
  g_assert_cmpuint (spk_slider_panel_get_n_sliders (panel), ==, 2);
  g_assert_nonnull (spk_slider_panel_get_adjustment (panel, "cue", 1));
  g_assert_null (spk_slider_panel_get_adjustment (panel, "am.bias_node", 0));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (panel)));
  window_free (window);
}

/* An edit during a run rebuilds the running copy and starts again. */
static void
test_edit_restarts (void)
{
  g_autoptr (SpkNetwork) network = spk_example_new ("communication-channel", NULL);
  SpkWindow *window = window_new (network);
  GtkWidget *bar = GTK_WIDGET (spk_window_get_run_bar (window));
  SpkRunner *runner;
  SpkPlan *before;

  gtk_widget_activate_action (bar, "run.rate", "d", 0.0);
  spk_run_bar_set_n_steps (SPK_RUN_BAR (bar), 300);
  gtk_widget_activate_action (bar, "run.run-steps", NULL);
  runner = spk_run_bar_get_runner (SPK_RUN_BAR (bar));
  UT_WAIT_FOR (status_of (window).n_steps == 300);
  before = spk_runner_get_plan (runner);

  spk_ensemble_set_n_neurons (SPK_ENSEMBLE (spk_network_lookup (network, "b")), 60);
  UT_WAIT_FOR (spk_runner_get_plan (runner) != before);
  UT_WAIT_FOR (status_of (window).n_steps == 0);
  g_assert_cmpuint (spk_plan_get_n_neurons (spk_runner_get_plan (runner)), ==, 160);
  /* The user's model has no plot probes in it. */
  for (guint i = 0; i < spk_network_get_objects (network)->len; i++)
    {
      const char *label = spk_object_get_label (g_ptr_array_index (spk_network_get_objects (network), i));

      g_assert_false (label != NULL && g_str_has_prefix (label, "__plot"));
    }
  window_free (window);
}

/* The connection of communication-channel that decodes a's value. */
static SpkObject *
decoded_connection (SpkNetwork *network)
{
  GPtrArray *objects = spk_network_get_objects (network);

  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);

      if (SPK_IS_CONNECTION (object) && SPK_IS_ENSEMBLE (spk_connection_get_pre (SPK_CONNECTION (object))))
        return object;
    }
  g_assert_not_reached ();
}

/* Ctrl+B solves in a worker thread, without running, and the inspector
 * then shows the decoded connection's error: 100 LIF neurons decode the
 * identity over [-1, 1] to within a few percent (Nengo: RMSE ≈ 0.01–0.03);
 * a connection from a Node has none. */
static void
test_solve (void)
{
  g_autoptr (SpkNetwork) network = spk_example_new ("communication-channel", NULL);
  SpkWindow *window = window_new (network);
  SpkObject *connection = decoded_connection (network);
  g_autoptr (GPtrArray) selection = g_ptr_array_new ();
  GHashTable *errors;
  SpkArray *rmse;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.solve", NULL));
  g_assert_true (spk_window_is_solving (window));
  g_assert_null (spk_run_bar_get_runner (spk_window_get_run_bar (window)));
  UT_WAIT_FOR (!spk_window_is_solving (window));
  errors = spk_window_get_decode_errors (window);
  g_assert_nonnull (errors);
  g_assert_cmpuint (g_hash_table_size (errors), ==, 1);
  rmse = g_hash_table_lookup (errors, connection);
  g_assert_nonnull (rmse);
  g_assert_cmpuint (rmse->size, ==, 1);
  g_assert_cmpfloat (rmse->data[0], >, 0.001);
  g_assert_cmpfloat (rmse->data[0], <, 0.05);
  g_assert_null (spk_run_bar_get_runner (spk_window_get_run_bar (window)));

  g_ptr_array_add (selection, connection);
  spk_inspector_set_objects (spk_window_get_inspector (window), selection);
  g_assert_nonnull (spk_inspector_get_decode_error (spk_window_get_inspector (window)));
  g_ptr_array_set_size (selection, 0);
  g_ptr_array_add (selection, spk_network_lookup (network, "input"));
  spk_inspector_set_objects (spk_window_get_inspector (window), selection);
  g_assert_null (spk_inspector_get_decode_error (spk_window_get_inspector (window)));

  /* An edit makes the errors stale: they go. */
  spk_ensemble_set_n_neurons (SPK_ENSEMBLE (spk_network_lookup (network, "a")), 50);
  UT_WAIT_FOR (spk_window_get_decode_errors (window) == NULL);
  window_free (window);
}

/* Solving again after an edit that changes no solve's input solves
 * nothing (the decoder cache); an edit of a solve's input solves it. */
static void
test_solve_reuses (void)
{
  g_autoptr (SpkNetwork) network = spk_example_new ("communication-channel", NULL);
  SpkWindow *window = window_new (network);
  SpkObject *connection = decoded_connection (network);
  g_autoptr (SpkNode) node = spk_node_new ();
  SpkDecoderCacheStats stats;
  double first;

  spk_decoder_cache_set_enabled (TRUE);
  spk_window_solve (window);
  UT_WAIT_FOR (!spk_window_is_solving (window));
  first = ((SpkArray *) g_hash_table_lookup (spk_window_get_decode_errors (window), connection))->data[0];

  spk_decoder_cache_reset_stats ();
  spk_object_set_label (SPK_OBJECT (node), "unrelated");
  spk_node_set_output_expr (node, "t");
  g_assert_true (spk_network_add (network, SPK_OBJECT (node), NULL));
  spk_window_solve (window);
  UT_WAIT_FOR (!spk_window_is_solving (window));
  spk_decoder_cache_get_stats (&stats);
  g_assert_cmpuint (stats.misses, ==, 0);
  g_assert_cmpuint (stats.disk_hits, ==, 0);
  g_assert_cmpuint (stats.memory_hits, >=, 1);
  g_assert_cmpfloat (((SpkArray *) g_hash_table_lookup (spk_window_get_decode_errors (window), connection))->data[0],
                     ==, first);

  spk_decoder_cache_reset_stats ();
  /* (A size no other test builds: the cache lives as long as the process.) */
  spk_ensemble_set_n_neurons (SPK_ENSEMBLE (spk_network_lookup (network, "a")), 57);
  spk_window_solve (window);
  UT_WAIT_FOR (!spk_window_is_solving (window));
  spk_decoder_cache_get_stats (&stats);
  g_assert_cmpuint (stats.misses + stats.disk_hits, >=, 1);
  window_free (window);
}

/* A widget point on the connection's curve on the canvas: searched between
 * its two cards, since an unlabelled connection has no bounds of its own. */
static gboolean
point_on_connection (SpkGraphView *view,
                     SpkObject    *connection,
                     double       *x,
                     double       *y)
{
  SpkConnection *conn = SPK_CONNECTION (connection);
  graphene_rect_t pre, post, span;

  g_assert_true (spk_graph_view_get_object_bounds (view, spk_connection_get_pre (conn), &pre));
  g_assert_true (spk_graph_view_get_object_bounds (view, spk_connection_get_post (conn), &post));
  graphene_rect_union (&pre, &post, &span);
  for (double py = span.origin.y; py <= span.origin.y + span.size.height; py += 1)
    for (double px = span.origin.x; px <= span.origin.x + span.size.width; px += 1)
      if (spk_graph_view_get_object_at (view, px, py) == connection)
        {
          *x = px;
          *y = py;
          return TRUE;
        }
  return FALSE;
}

/* After a solve, hovering a decoded connection on the canvas shows its
 * decode error, the same figure the inspector shows; before the solve and
 * after an edit, nothing; a card without a problem has no tooltip. */
static void
test_solve_tooltip (void)
{
  g_autoptr (SpkNetwork) network = spk_example_new ("communication-channel", NULL);
  SpkWindow *window = window_new (network);
  SpkGraphView *view = spk_window_get_graph_view (window);
  SpkObject *connection = decoded_connection (network);
  g_autoptr (GPtrArray) selection = g_ptr_array_new ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *stale = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *on_card = NULL;
  graphene_rect_t card;
  double x, y;

  g_assert_true (gtk_widget_get_has_tooltip (GTK_WIDGET (view)));
  g_assert_true (point_on_connection (view, connection, &x, &y));
  before = spk_graph_view_dup_tooltip_at (view, x, y);
  g_assert_null (before);

  spk_window_solve (window);
  UT_WAIT_FOR (!spk_window_is_solving (window));
  after = spk_graph_view_dup_tooltip_at (view, x, y);
  g_assert_nonnull (after);
  g_ptr_array_add (selection, connection);
  spk_inspector_set_objects (spk_window_get_inspector (window), selection);
  expected = g_strdup_printf ("Decode error (RMSE): %s", spk_inspector_get_decode_error (spk_window_get_inspector (window)));
  g_assert_cmpstr (after, ==, expected);
  g_assert_true (spk_graph_view_get_object_bounds (view, spk_network_lookup (network, "b"), &card));
  on_card = spk_graph_view_dup_tooltip_at (view, card.origin.x + card.size.width / 2,
                                           card.origin.y + card.size.height / 2);
  g_assert_null (on_card);

  spk_ensemble_set_n_neurons (SPK_ENSEMBLE (spk_network_lookup (network, "a")), 50);
  UT_WAIT_FOR (spk_window_get_decode_errors (window) == NULL);
  g_assert_true (point_on_connection (view, connection, &x, &y));
  stale = spk_graph_view_dup_tooltip_at (view, x, y);
  g_assert_null (stale);
  window_free (window);
}

/* Cancel drops the result when it comes; solving again works. */
static void
test_solve_cancel (void)
{
  g_autoptr (SpkNetwork) network = spk_example_new ("communication-channel", NULL);
  SpkWindow *window = window_new (network);
  gint64 until;

  spk_window_solve (window);
  g_assert_true (spk_window_is_solving (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-solve", NULL));
  g_assert_false (spk_window_is_solving (window));
  /* Long enough for the builder's thread to finish. */
  until = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (spk_window_get_decode_errors (window));
  g_assert_null (spk_window_get_solved_plan (window));
  spk_window_solve (window);
  UT_WAIT_FOR (!spk_window_is_solving (window));
  g_assert_nonnull (spk_window_get_solved_plan (window));
  window_free (window);
}

/* As UT_WAIT_FOR, with room for a solve on a busy machine. */
#define WAIT_LONG_FOR(cond)                                               \
  G_STMT_START {                                                         \
    gint64 deadline_ = g_get_monotonic_time () + 300 * G_USEC_PER_SEC;   \
    while (!(cond) && g_get_monotonic_time () < deadline_)               \
      g_main_context_iteration (NULL, FALSE);                            \
    g_assert_true (cond);                                                \
  } G_STMT_END

/* A big solve (3,000 neurons at 6,000 points: blocked, about a second
 * of work) shows its progress in the Solve bar, and Cancel stops the
 * builder's thread inside the solve: the build ends cancelled, not with
 * a plan that is then dropped.  The decoder cache is off, so the window's
 * own check of the model does not solve it first. */
static void
test_solve_cancel_stops_builder (void)
{
  g_autoptr (SpkNetwork) network = spk_network_new ();
  SpkEnsemble *ens = spk_ensemble_new ();
  SpkNode *out = spk_node_new ();
  SpkConnection *conn = spk_connection_new ();
  SpkWindow *window;
  guint cancelled_before, cancelled_after;

  spk_decoder_cache_set_enabled (FALSE);
  spk_network_set_seed (network, 3);
  spk_ensemble_set_n_neurons (ens, 3000);
  spk_object_set_label (SPK_OBJECT (ens), "big");
  spk_node_set_size_in (out, 1);
  spk_object_set_label (SPK_OBJECT (out), "out");
  spk_connection_set_pre (conn, SPK_OBJECT (ens));
  spk_connection_set_post (conn, SPK_OBJECT (out));
  g_assert_true (spk_network_add (network, SPK_OBJECT (ens), NULL));
  g_assert_true (spk_network_add (network, SPK_OBJECT (out), NULL));
  g_assert_true (spk_network_add (network, SPK_OBJECT (conn), NULL));
  g_object_unref (ens);
  g_object_unref (out);
  g_object_unref (conn);
  window = window_new (network);

  /* Uncancelled, the bar goes up and the solve completes. */
  spk_window_solve (window);
  WAIT_LONG_FOR (spk_window_get_solve_progress (window) > 0.0);
  WAIT_LONG_FOR (!spk_window_is_solving (window));
  g_assert_nonnull (spk_window_get_solved_plan (window));

  spk_window_get_solve_threads (&cancelled_before);
  spk_window_solve (window);
  WAIT_LONG_FOR (spk_window_get_solve_progress (window) > 0.0);
  g_assert_cmpfloat (spk_window_get_solve_progress (window), <, 1.0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-solve", NULL));
  g_assert_false (spk_window_is_solving (window));
  WAIT_LONG_FOR (spk_window_get_solve_threads (&cancelled_after) == 0);
  g_assert_cmpuint (cancelled_after, ==, cancelled_before + 1);
  spk_decoder_cache_set_enabled (TRUE);
  window_free (window);
}

int
main (int   argc,
      char *argv[])
{
  ut_init (&argc, &argv);

  g_test_add_func ("/spk/ui/runbar/actions", test_actions);
  g_test_add_func ("/spk/ui/runbar/slider", test_slider);
  g_test_add_func ("/spk/ui/runbar/slider-skips-builtin-nodes", test_slider_skips_builtin_nodes);
  g_test_add_func ("/spk/ui/runbar/edit-restarts", test_edit_restarts);
  g_test_add_func ("/spk/ui/runbar/solve", test_solve);
  g_test_add_func ("/spk/ui/runbar/solve-reuses", test_solve_reuses);
  g_test_add_func ("/spk/ui/runbar/solve-cancel", test_solve_cancel);
  g_test_add_func ("/spk/ui/runbar/solve-cancel-stops-builder", test_solve_cancel_stops_builder);
  g_test_add_func ("/spk/ui/runbar/solve-tooltip", test_solve_tooltip);
  return g_test_run ();
}
