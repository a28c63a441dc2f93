/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-plots.c — SpkPlotView and SpkPlotGrid built for real under Xvfb:
 * every kind of plot draws trace pixels for a known signal (rendered to a
 * texture), a raster shows exactly the neurons chosen by range and by
 * order, each export format writes a valid file, the plot set-up
 * survives saving a session and opening it again, and a decoded
 * connection's target and decoded function match the solve. */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "examples/spk-examples.h"
#include "io/spk-model-json.h"
#include "sim/spk-simulator.h"
#include "ui/run/spk-run-bar.h"
#include "ui/plots/spk-plot-grid.h"
#include "ui/plots/spk-plot-view-private.h"
#include "ui/shell/spk-inspector.h"
#include "ui/shell/spk-window.h"
#include "spk-ui-test-util.h"

#define DT 0.001

/* Pixels of the rendered widget that are saturated colour (a trace, a
 * spike, an image cell), not the grey of text, grid and background. */
static guint
count_colored_pixels (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  guint n = 0;

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (native), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  pixels = g_malloc ((gsize) width * height * 4);
  gdk_texture_download (texture, pixels, (gsize) width * 4);
  for (gsize i = 0; i < (gsize) width * height; i++)
    {
      int b = pixels[i * 4], g = pixels[i * 4 + 1], r = pixels[i * 4 + 2];

      if (MAX (MAX (r, g), b) - MIN (MIN (r, g), b) > 60)
        n++;
    }
  return n;
}

static GtkWidget *
show (GtkWidget *view)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 480, 260);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  ut_wait_for_frames (window, 3);
  return window;
}

/* n samples of width values: a sine per dimension, or spikes for neurons
 * (neuron k fires on every (k + 2)-th step). */
static void
feed (SpkPlotView *view,
      guint        n,
      guint        width,
      gboolean     spikes)
{
  g_autofree double *times = g_new (double, n);
  g_autofree double *values = g_new (double, (gsize) n * width);

  for (guint i = 0; i < n; i++)
    {
      times[i] = (i + 1) * DT;
      for (guint k = 0; k < width; k++)
        values[(gsize) i * width + k] = spikes ? ((i % (k + 2)) == 0 ? 1 / DT : 0)
                                               : sin (2 * G_PI * times[i] + k);
    }
  spk_plot_view_append (view, times, values, n, width);
}

static void
test_kinds_draw (void)
{
  static const struct { SpkPlotKind kind; guint width; gboolean spikes; } cases[] = {
    { SPK_PLOT_VALUE, 2, FALSE }, { SPK_PLOT_SPIKES, 50, TRUE }, { SPK_PLOT_FILTERED, 10, TRUE },
    { SPK_PLOT_VOLTAGE, 10, FALSE }, { SPK_PLOT_CURRENT, 10, FALSE }, { SPK_PLOT_XY, 2, FALSE },
    { SPK_PLOT_IMAGE, 784, FALSE },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      GtkWidget *view = spk_plot_view_new (cases[c].kind, "a");
      GtkWidget *window = show (view);
      guint empty, drawn;

      g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &view);
      spk_plot_view_prepare_now (SPK_PLOT_VIEW (view));
      ut_wait_for_frames (window, 2);
      empty = count_colored_pixels (view);
      feed (SPK_PLOT_VIEW (view), 1000, cases[c].width, cases[c].spikes);
      g_assert_cmpuint (spk_plot_view_get_n_samples (SPK_PLOT_VIEW (view)), ==, 1000);
      ut_wait_for_frames (window, 2);
      drawn = count_colored_pixels (view);
      if (g_test_verbose ())
        g_printerr ("%s: %u → %u coloured pixels\n", spk_plot_kind_to_name (cases[c].kind), empty, drawn);
      g_assert_cmpuint (empty, ==, 0);
      g_assert_cmpuint (drawn, >, 300);
      gtk_window_destroy (GTK_WINDOW (window));
      ut_drain ();
      g_assert_null (view);
    }
}

/* Tuning curves come from a plan, without running. */
static void
test_tuning_draws (void)
{
  g_autoptr (SpkNetwork) network = spk_example_new ("communication-channel", NULL);
  g_autoptr (SpkPlan) plan = spk_build (network, NULL);
  GtkWidget *view = spk_plot_view_new (SPK_PLOT_TUNING, "a");
  GtkWidget *window = show (view);

  g_assert_nonnull (plan);
  spk_plot_view_prepare_now (SPK_PLOT_VIEW (view));
  ut_wait_for_frames (window, 2);
  g_assert_cmpuint (count_colored_pixels (view), ==, 0);
  spk_plot_view_set_plan (SPK_PLOT_VIEW (view), plan);
  ut_wait_for_frames (window, 2);
  g_assert_cmpuint (count_colored_pixels (view), >, 300);
  gtk_window_destroy (GTK_WINDOW (window));
  ut_drain ();
}

/* Spike pixels of a raster exported at a fixed size. */
static guint
raster_pixels (SpkPlotView *view)
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "spk-test-raster.png", NULL);
  g_autoptr (GError) error = NULL;
  cairo_surface_t *surface;
  guint n = 0;

  g_assert_true (spk_plot_view_export (view, path, SPK_PLOT_FORMAT_PNG, 400, 200, &error));
  g_assert_no_error (error);
  surface = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    {
      const guint32 *row = (const guint32 *) (gpointer) (cairo_image_surface_get_data (surface)
                                                         + y * cairo_image_surface_get_stride (surface));

      for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
        {
          int r = (row[x] >> 16) & 0xff, g = (row[x] >> 8) & 0xff, b = row[x] & 0xff;

          if (MAX (MAX (r, g), b) - MIN (MIN (r, g), b) > 60)
            n++;
        }
    }
  cairo_surface_destroy (surface);
  g_unlink (path);
  return n;
}

/* The first button under widget that activates action_name, or NULL. */
static GtkWidget *
find_action_button (GtkWidget  *widget,
                    const char *action_name)
{
  if (GTK_IS_BUTTON (widget)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The i-th connection of network in model order. */
static SpkConnection *
nth_connection (SpkNetwork *network,
                guint       i)
{
  GPtrArray *objects = spk_network_get_objects (network);

  for (guint k = 0; k < objects->len; k++)
    if (SPK_IS_CONNECTION (g_ptr_array_index (objects, k)) && i-- == 0)
      return g_ptr_array_index (objects, k);
  g_assert_not_reached ();
}

/* Opens example, selects its connection number index in the inspector and
 * presses "Plot Decoded Function": the new plot, last in the grid. */
static SpkPlotView *
plot_decoded (SpkWindow  *window,
              const char *example,
              guint       index)
{
  g_autoptr (GPtrArray) objects = g_ptr_array_new ();
  SpkInspector *inspector = spk_window_get_inspector (window);
  SpkPlotGrid *grid = spk_window_get_plot_grid (window);
  GtkWidget *button;
  guint n;

  g_assert_true (spk_window_open_example (window, example, NULL));
  gtk_window_present (GTK_WINDOW (window));
  g_ptr_array_add (objects, nth_connection (spk_window_get_network (window), index));
  spk_inspector_set_objects (inspector, objects);
  button = find_action_button (GTK_WIDGET (inspector), "win.plot-decoded-function");
  g_assert_nonnull (button);
  n = spk_plot_grid_get_n_plots (grid);
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpuint (spk_plot_grid_get_n_plots (grid), ==, n + 1);
  g_assert_cmpint (spk_plot_view_get_kind (spk_plot_grid_get_plot (grid, n)), ==, SPK_PLOT_DECODED);
  return spk_plot_grid_get_plot (grid, n);
}

/* communication-channel's a → b decodes the identity: its sweep's RMSE is
 * small and agrees with the solve's, whose evaluation points cover the
 * same interval (tolerance 0.01: the sweep is a uniform grid of 201
 * points, the solve's points are sampled). */
static void
test_decoded_identity (void)
{
  SpkWindow *window = spk_window_new (NULL);
  SpkWindow *reopened = spk_window_new (NULL);
  g_autofree char *dir = g_dir_make_tmp ("spk-decoded-XXXXXX", NULL);
  g_autofree char *session = g_build_filename (dir, "session.spkw", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (session);
  g_autoptr (SpkPlan) plan = NULL;
  SpkPlotGrid *grid;
  SpkPlotView *again;
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "spk-test-decoded.csv", NULL);
  g_autofree char *csv = NULL;
  g_autoptr (GError) error = NULL;
  const double *x, *target, *decoded, *rmse, *solve;
  guint n_points, n_dims, n_solve, blank;
  SpkPlotView *view;

  view = plot_decoded (window, "communication-channel", 1);
  g_assert_cmpstr (spk_plot_view_get_target (view), ==, "connection1");
  plan = spk_build (spk_window_get_network (window), &error);
  g_assert_no_error (error);
  g_assert_true (spk_plot_view_get_decoded (view, &n_points, &n_dims, &x, &target, &decoded, &rmse));
  g_assert_cmpuint (n_points, ==, 201);
  g_assert_cmpuint (n_dims, ==, 1);
  g_assert_nonnull (target);
  g_assert_cmpfloat_with_epsilon (x[0], -1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (x[200], 1.0, 1e-12);
  for (guint p = 0; p < n_points; p++)
    g_assert_cmpfloat_with_epsilon (target[p], x[p], 1e-12);
  solve = spk_plan_get_decode_rmse (plan, "connection1", &n_solve);
  g_assert_nonnull (solve);
  g_assert_cmpuint (n_solve, ==, 1);
  if (g_test_verbose ())
    g_printerr ("a → b: sweep RMSE %.5f, solve RMSE %.5f\n", rmse[0], solve[0]);
  g_assert_cmpfloat (rmse[0], <, 0.05);
  g_assert_cmpfloat_with_epsilon (rmse[0], solve[0], 0.01);

  /* It draws, from the plan alone: no run. */
  ut_wait_for_frames (GTK_WIDGET (view), 3);
  g_assert_cmpuint (count_colored_pixels (GTK_WIDGET (view)), >, 100);
  g_assert_cmpuint (raster_pixels (view), >, 300);
  g_assert_cmpuint (spk_plot_view_get_n_samples (view), ==, 0);

  g_assert_true (spk_plot_view_export (view, path, SPK_PLOT_FORMAT_CSV, 0, 0, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
  g_assert_true (g_str_has_prefix (csv, "x,target0,decoded0\n"));
  g_unlink (path);

  /* A saved session finds its connection again by key. */
  g_assert_true (spk_window_save_file (window, file, &error));
  g_assert_no_error (error);
  g_assert_true (spk_window_open_file (reopened, file, &error));
  g_assert_no_error (error);
  grid = spk_window_get_plot_grid (reopened);
  again = spk_plot_grid_get_plot (grid, spk_plot_grid_get_n_plots (grid) - 1);
  g_assert_cmpint (spk_plot_view_get_kind (again), ==, SPK_PLOT_DECODED);
  g_assert_true (spk_plot_view_get_decoded (again, &n_points, &n_dims, &x, &target, &decoded, &rmse));
  g_assert_cmpfloat_with_epsilon (rmse[0], solve[0], 0.01);
  g_unlink (session);
  g_rmdir (dir);

  /* Without a plan, nothing is shown. */
  spk_plot_view_set_plan (view, NULL);
  g_assert_false (spk_plot_view_get_decoded (view, &n_points, &n_dims, &x, &target, &decoded, &rmse));
  ut_wait_for_frames (GTK_WIDGET (view), 2);
  blank = count_colored_pixels (GTK_WIDGET (view));
  g_assert_cmpuint (blank, ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (reopened));
  ut_drain ();
}

static guint
drained_samples (SpkWindow   *window,
                 SpkPlotView *view)
{
  spk_plot_grid_drain (spk_window_get_plot_grid (window));
  return spk_plot_view_get_n_samples (view);
}

/* The canvas menu of a connection offers "Plot Decoded Value" and "Plot
 * Decoded Function" through win.add-plot with the connection's key (most
 * connections have no label).  The decoded value is the connection's
 * output as it reaches its post (transform, function and synapse): for
 * communication-channel's a → b, the only input of b, so step for step
 * b's input as the engine computes it (float32 round-off); the decoded function is the same plot the
 * inspector's button makes.  A connection from a Node has an output but
 * no decoded function. */
static void
test_connection_plots (void)
{
  SpkWindow *window = spk_window_new (NULL);
  SpkPlotGrid *grid = spk_window_get_plot_grid (window);
  GtkWidget *bar = GTK_WIDGET (spk_window_get_run_bar (window));
  g_autoptr (SpkNetwork) reference = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree double *expected = NULL;
  const double *x, *target, *decoded, *rmse;
  guint n_points, n_dims, n;
  SpkConnection *from_node, *decoded_conn;
  SpkPlotView *value, *function;
  SpkProbe *probe;
  g_autoptr (SpkDistribution) transform = NULL;
  g_autoptr (SpkSynapse) synapse = NULL;
  const guint n_steps = 300;

  g_assert_true (spk_window_open_example (window, "communication-channel", NULL));
  gtk_window_present (GTK_WINDOW (window));
  from_node = nth_connection (spk_window_get_network (window), 0);
  decoded_conn = nth_connection (spk_window_get_network (window), 1);
  g_assert_true (spk_plot_kind_applies (SPK_PLOT_VALUE, SPK_OBJECT (from_node)));
  g_assert_false (spk_plot_kind_applies (SPK_PLOT_DECODED, SPK_OBJECT (from_node)));
  g_assert_true (spk_plot_kind_applies (SPK_PLOT_VALUE, SPK_OBJECT (decoded_conn)));
  g_assert_true (spk_plot_kind_applies (SPK_PLOT_DECODED, SPK_OBJECT (decoded_conn)));
  g_assert_false (spk_plot_kind_applies (SPK_PLOT_SPIKES, SPK_OBJECT (decoded_conn)));
  /* Not the defaults, so the copy that records it must carry them over;
   * a sampled transform could not be copied. */
  transform = spk_distribution_new_uniform (0.5, 1.0);
  spk_connection_set_transform (decoded_conn, transform);
  g_assert_false (spk_plot_kind_applies (SPK_PLOT_VALUE, SPK_OBJECT (decoded_conn)));
  g_clear_pointer (&transform, spk_distribution_unref);
  transform = spk_distribution_new_scalar (-0.5);
  spk_connection_set_transform (decoded_conn, transform);
  synapse = spk_synapse_new_lowpass (0.03);
  spk_connection_set_synapse (decoded_conn, synapse);
  spk_connection_set_function (decoded_conn, "x**2");

  n = spk_plot_grid_get_n_plots (grid);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-plot", "(ss)", "decoded-function", "connection1"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-plot", "(ss)", "value", "connection1"));
  /* No decoded function from a Node: nothing is added. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-plot", "(ss)", "decoded-function", "connection0"));
  g_assert_cmpuint (spk_plot_grid_get_n_plots (grid), ==, n + 2);
  function = spk_plot_grid_get_plot (grid, n);
  value = spk_plot_grid_get_plot (grid, n + 1);
  g_assert_cmpint (spk_plot_view_get_kind (function), ==, SPK_PLOT_DECODED);
  g_assert_cmpstr (spk_plot_view_get_target (function), ==, "connection1");
  g_assert_true (spk_plot_view_get_decoded (function, &n_points, &n_dims, &x, &target, &decoded, &rmse));
  g_assert_cmpuint (n_dims, ==, 1);
  g_assert_cmpint (spk_plot_view_get_kind (value), ==, SPK_PLOT_VALUE);
  g_assert_cmpstr (spk_plot_view_get_target (value), ==, "connection1");
  g_assert_cmpstr (spk_plot_view_get_title (value), ==, "a → b — Decoded Value");

  g_assert_true (gtk_widget_activate_action (bar, "run.rate", "d", 0.0));
  spk_run_bar_set_n_steps (SPK_RUN_BAR (bar), n_steps);
  g_assert_true (gtk_widget_activate_action (bar, "run.run-steps", NULL));
  UT_WAIT_FOR (drained_samples (window, value) == n_steps);
  g_assert_cmpuint (spk_plot_view_get_width (value), ==, 1);

  /* The reference: the same model with a probe on b's input. */
  data = spk_model_to_data (spk_window_get_network (window), NULL);
  reference = spk_model_load_data (data, -1, &error);
  g_assert_no_error (error);
  probe = spk_probe_new ();
  spk_object_set_label (SPK_OBJECT (probe), "b_input");
  spk_probe_set_target (probe, spk_network_lookup (reference, "b"));
  spk_probe_set_attr (probe, "input");
  spk_network_add (reference, SPK_OBJECT (probe), NULL);
  g_object_unref (probe);
  plan = spk_build (reference, &error);
  g_assert_no_error (error);
  sim = spk_simulator_new (plan, 1, &error);
  g_assert_no_error (error);
  g_assert_true (spk_simulator_run_steps (sim, n_steps, &error));
  expected = g_new (double, n_steps);
  spk_simulator_get_probe_data (sim, spk_plan_find_probe (plan, "b_input"), expected);
  for (guint i = 0; i < n_steps; i++)
    g_assert_cmpfloat_with_epsilon (spk_plot_view_get_value (value, i, 0), expected[i], 1e-5);
  /* It moves: the input is a sine, squared and negated. */
  g_assert_cmpfloat (fabs (expected[n_steps - 1] - expected[n_steps / 2]), >, 0.05);

  gtk_window_destroy (GTK_WINDOW (window));
  ut_drain ();
}

/* nef-sin-x-squared's x → x_squared: the target is x² at the sweep points,
 * and 50 neurons decode it to within a few percent of its range. */
static void
test_decoded_square (void)
{
  SpkWindow *window = spk_window_new (NULL);
  g_autoptr (SpkDistribution) transform = NULL;
  const double *x, *target, *decoded, *rmse;
  guint n_points, n_dims;
  SpkPlotView *view;

  view = plot_decoded (window, "nef-sin-x-squared", 1);
  g_assert_true (spk_plot_view_get_decoded (view, &n_points, &n_dims, &x, &target, &decoded, &rmse));
  g_assert_cmpuint (n_points, ==, 201);
  g_assert_cmpuint (n_dims, ==, 1);
  g_assert_nonnull (target);
  for (guint p = 0; p < n_points; p++)
    g_assert_cmpfloat_with_epsilon (target[p], x[p] * x[p], 1e-12);
  g_assert_cmpfloat_with_epsilon (target[100], 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (target[200], 1.0, 1e-12);
  if (g_test_verbose ())
    g_printerr ("x → x²: sweep RMSE %.5f\n", rmse[0]);
  g_assert_cmpfloat (rmse[0], <, 0.1);

  /* An edit of the function reaches the plot with the next plan. */
  spk_connection_set_function (nth_connection (spk_window_get_network (window), 1), "-x**2");
  spk_window_validate_now (window);
  g_assert_true (spk_plot_view_get_decoded (view, &n_points, &n_dims, &x, &target, &decoded, &rmse));
  g_assert_cmpfloat_with_epsilon (target[200], -1.0, 1e-12);
  g_assert_cmpfloat (decoded[200], <, -0.8);

  /* A sampled transform has no target to compare with. */
  transform = spk_distribution_new_uniform (0.5, 1.0);
  spk_connection_set_transform (nth_connection (spk_window_get_network (window), 1), transform);
  spk_window_validate_now (window);
  g_assert_true (spk_plot_view_get_decoded (view, &n_points, &n_dims, &x, &target, &decoded, &rmse));
  g_assert_null (target);
  g_assert_true (isnan (rmse[0]));
  g_assert_cmpfloat (decoded[200], <, -0.3);

  gtk_window_destroy (GTK_WINDOW (window));
  ut_drain ();
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

static void
test_raster_selection (void)
{
  SpkPlotView *view = SPK_PLOT_VIEW (g_object_ref_sink (spk_plot_view_new (SPK_PLOT_SPIKES, "a")));
  g_autofree double *times = g_new (double, 200);
  g_autofree double *values = g_new0 (double, 200 * 100);
  guint notified = 0;

  /* Only neuron 7 of 100 fires. */
  for (guint i = 0; i < 200; i++)
    {
      times[i] = (i + 1) * DT;
      if (i % 5 == 0)
        values[(gsize) i * 100 + 7] = 1 / DT;
    }
  spk_plot_view_append (view, times, values, 200, 100);
  g_signal_connect (view, "notify::first-neuron", G_CALLBACK (count_cb), &notified);

  g_assert_cmpuint (raster_pixels (view), >, 0);
  spk_plot_view_set_neurons (view, 0, 5, SPK_PLOT_ORDER_INDEX);
  g_assert_cmpuint (raster_pixels (view), ==, 0);
  spk_plot_view_set_neurons (view, 5, 5, SPK_PLOT_ORDER_INDEX);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (raster_pixels (view), >, 0);
  /* Sorted by rate, neuron 7 comes first. */
  spk_plot_view_set_neurons (view, 0, 1, SPK_PLOT_ORDER_RATE);
  g_assert_cmpuint (raster_pixels (view), >, 0);
  spk_plot_view_set_neurons (view, 1, 99, SPK_PLOT_ORDER_RATE);
  g_assert_cmpuint (raster_pixels (view), ==, 0);
  spk_plot_view_set_neurons (view, 1, 99, SPK_PLOT_ORDER_RATE);
  g_assert_cmpuint (notified, ==, 3);
  g_assert_finalize_object (view);
}

/* A raster keeps its spikes sparsely: appended in two batches, every value
 * reads back as it went in, and the CSV export writes them all, dense. */
static void
test_raster_sparse (void)
{
  SpkPlotView *view = SPK_PLOT_VIEW (g_object_ref_sink (spk_plot_view_new (SPK_PLOT_SPIKES, "a")));
  g_autofree char *dir = g_dir_make_tmp ("spk-plots-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "raster.csv", NULL);
  g_autofree char *contents = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GError) error = NULL;

  feed (view, 30, 6, TRUE);
  feed (view, 30, 6, TRUE);
  g_assert_cmpuint (spk_plot_view_get_n_samples (view), ==, 60);
  for (guint i = 0; i < 60; i++)
    for (guint k = 0; k < 6; k++)
      g_assert_cmpfloat (spk_plot_view_get_value (view, i, k), ==,
                         (float) ((i % 30) % (k + 2) == 0 ? 1 / DT : 0));
  g_assert_true (spk_plot_view_export (view, path, SPK_PLOT_FORMAT_CSV, 0, 0, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (g_strchomp (contents), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 61);
  g_assert_cmpstr (lines[0], ==, "t,neuron0,neuron1,neuron2,neuron3,neuron4,neuron5");
  /* Sample 0: every neuron fires; sample 3: neuron 1 (every 3rd) alone. */
  g_assert_true (g_str_has_suffix (lines[1], ",1000,1000,1000,1000,1000,1000"));
  g_assert_true (g_str_has_suffix (lines[4], ",0,1000,0,0,0,0"));
  g_unlink (path);
  g_rmdir (dir);
  spk_plot_view_clear (view);
  g_assert_cmpuint (spk_plot_view_get_n_samples (view), ==, 0);
  feed (view, 4, 6, TRUE);
  g_assert_cmpfloat (spk_plot_view_get_value (view, 0, 5), ==, (float) (1 / DT));
  g_assert_cmpfloat (spk_plot_view_get_value (view, 1, 5), ==, 0);

  /* The same spikes given sparse, as the runner hands over a raster's
   * probe, read back the same. */
  spk_plot_view_clear (view);
  {
    double times[30], values[30 * 6];
    guint32 counts[30], index[30 * 6];
    guint used = 0;

    for (guint i = 0; i < 30; i++)
      {
        times[i] = (i + 1) * DT;
        counts[i] = 0;
        for (guint k = 0; k < 6; k++)
          if (i % (k + 2) == 0)
            {
              index[used] = k;
              values[used++] = 1 / DT;
              counts[i]++;
            }
      }
    spk_plot_view_append_sparse (view, times, counts, index, values, 30, 6);
  }
  g_assert_cmpuint (spk_plot_view_get_n_samples (view), ==, 30);
  for (guint i = 0; i < 30; i++)
    for (guint k = 0; k < 6; k++)
      g_assert_cmpfloat (spk_plot_view_get_value (view, i, k), ==,
                         (float) (i % (k + 2) == 0 ? 1 / DT : 0));
  g_assert_finalize_object (view);
}

/* The first controller of type on widget, or NULL. */
static GtkEventController *
find_controller (GtkWidget *widget,
                 GType      type)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (controller, type))
        return controller;
    }
  return NULL;
}

/* F17: adding and removing plots tells listeners ("plots-changed" once per
 * change; a frozen grid holds the changes back and tells once at thaw).  The
 * signal used to call itself instead of being emitted. */
static void
count_changes_cb (SpkPlotGrid *grid,
          guint       *count)
{
  (*count)++;
}

static void
test_plots_changed (void)
{
  GtkWidget *grid_widget = spk_plot_grid_new ();
  SpkPlotGrid *grid = SPK_PLOT_GRID (grid_widget);
  GtkWidget *window = show (grid_widget);
  guint count = 0;

  g_signal_connect (grid, "plots-changed", G_CALLBACK (count_changes_cb), &count);
  spk_plot_grid_add (grid, SPK_PLOT_VALUE, "a");
  g_assert_cmpuint (count, ==, 1);
  spk_plot_grid_add (grid, SPK_PLOT_VALUE, "b");
  g_assert_cmpuint (count, ==, 2);

  spk_plot_grid_freeze_changes (grid);
  spk_plot_grid_add (grid, SPK_PLOT_VALUE, "c");
  spk_plot_grid_remove_all (grid);
  g_assert_cmpuint (count, ==, 2);
  spk_plot_grid_thaw_changes (grid);
  g_assert_cmpuint (count, ==, 3);

  gtk_window_destroy (GTK_WINDOW (window));
  ut_drain ();
}

/* Plot headers are drag sources and cards drop targets: dropping the first
 * plot on the third puts it third, dropping a plot on itself does nothing,
 * and a plot from another grid is refused. */
static void
test_drag_to_rearrange (void)
{
  GtkWidget *grid_widget = spk_plot_grid_new ();
  SpkPlotGrid *grid = SPK_PLOT_GRID (grid_widget);
  GtkWidget *window = show (grid_widget);
  SpkPlotView *a = spk_plot_grid_add (grid, SPK_PLOT_VALUE, "a");
  SpkPlotView *b = spk_plot_grid_add (grid, SPK_PLOT_VALUE, "b");
  SpkPlotView *c = spk_plot_grid_add (grid, SPK_PLOT_VALUE, "c");
  SpkPlotView *stranger = SPK_PLOT_VIEW (g_object_ref_sink (spk_plot_view_new (SPK_PLOT_VALUE, "x")));
  GtkWidget *card_c = gtk_widget_get_parent (GTK_WIDGET (c));
  GtkEventController *target = find_controller (card_c, GTK_TYPE_DROP_TARGET);
  GValue value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  g_assert_nonnull (find_controller (gtk_widget_get_first_child (card_c), GTK_TYPE_DRAG_SOURCE));
  g_assert_nonnull (target);
  g_value_init (&value, SPK_TYPE_PLOT_VIEW);

  g_value_set_object (&value, a);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_assert_true (accepted);
  g_assert_true (spk_plot_grid_get_plot (grid, 0) == b);
  g_assert_true (spk_plot_grid_get_plot (grid, 1) == c);
  g_assert_true (spk_plot_grid_get_plot (grid, 2) == a);

  g_value_set_object (&value, c);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_assert_false (accepted);
  g_value_set_object (&value, stranger);
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_assert_false (accepted);
  g_assert_true (spk_plot_grid_get_plot (grid, 0) == b);
  g_assert_true (spk_plot_grid_get_plot (grid, 2) == a);

  g_value_unset (&value);
  g_assert_finalize_object (stranger);
  gtk_window_destroy (GTK_WINDOW (window));
  ut_drain ();
}

static void
test_export (void)
{
  SpkPlotView *view = SPK_PLOT_VIEW (g_object_ref_sink (spk_plot_view_new (SPK_PLOT_VALUE, "a")));
  g_autofree char *dir = g_dir_make_tmp ("spk-plots-XXXXXX", NULL);
  static const struct { SpkPlotFormat format; const char *name; const char *magic; } formats[] = {
    { SPK_PLOT_FORMAT_PNG, "plot.png", "\x89PNG" },
    { SPK_PLOT_FORMAT_SVG, "plot.svg", "<?xml" },
    { SPK_PLOT_FORMAT_PDF, "plot.pdf", "%PDF-" },
  };

  feed (view, 250, 3, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *path = g_build_filename (dir, formats[i].name, NULL);
      g_autofree char *contents = NULL;
      g_autoptr (GError) error = NULL;
      gsize length;

      g_assert_true (spk_plot_view_export (view, path, formats[i].format, 1200, 500, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_assert_cmpuint (length, >, 200);
      g_assert_true (memcmp (contents, formats[i].magic, strlen (formats[i].magic)) == 0);
      if (formats[i].format == SPK_PLOT_FORMAT_SVG)
        g_assert_nonnull (strstr (contents, "<svg"));
      g_unlink (path);
    }
  {
    g_autofree char *path = g_build_filename (dir, "plot.csv", NULL);
    g_autofree char *contents = NULL;
    g_auto (GStrv) lines = NULL;
    g_autoptr (GError) error = NULL;

    g_assert_true (spk_plot_view_export (view, path, SPK_PLOT_FORMAT_CSV, 0, 0, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    lines = g_strsplit (g_strchomp (contents), "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 251);
    g_assert_cmpstr (lines[0], ==, "t,x0,x1,x2");
    /* Numbers round-trip: the float32 record reads back exactly. */
    {
      g_auto (GStrv) cells = g_strsplit (lines[10], ",", -1);

      g_assert_cmpfloat ((float) g_ascii_strtod (cells[2], NULL), ==, (float) spk_plot_view_get_value (view, 9, 1));
    }
    g_unlink (path);
  }
  {
    g_autofree char *path = g_build_filename (dir, "bad.png", NULL);
    g_autoptr (GError) error = NULL;

    g_assert_false (spk_plot_view_export (view, path, SPK_PLOT_FORMAT_PNG, 0, 10, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  }
  g_rmdir (dir);
  g_assert_finalize_object (view);
}

/* The plots of a window, as their set-up prints. */
static char *
plots_of (SpkWindow *window)
{
  g_autoptr (GVariant) value = g_variant_ref_sink (spk_plot_grid_serialize (spk_window_get_plot_grid (window)));

  return g_variant_print (value, FALSE);
}

static void
test_layout_survives_save (void)
{
  SpkWindow *window = spk_window_new (NULL);
  SpkWindow *reopened = spk_window_new (NULL);
  g_autofree char *dir = g_dir_make_tmp ("spk-plots-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "session.spkw", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL;
  SpkPlotGrid *grid;
  SpkPlotView *raster;
  guint n;

  g_assert_true (spk_window_open_example (window, "communication-channel", NULL));
  gtk_window_present (GTK_WINDOW (window));
  grid = spk_window_get_plot_grid (window);
  n = spk_plot_grid_get_n_plots (grid);
  g_assert_cmpuint (n, >=, 3);
  /* Added from the context menu's action, then set up and moved first. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-plot", "(ss)", "spikes", "b"));
  g_assert_cmpuint (spk_plot_grid_get_n_plots (grid), ==, n + 1);
  raster = spk_plot_grid_get_plot (grid, n);
  spk_plot_view_set_neurons (raster, 10, 40, SPK_PLOT_ORDER_ENCODER);
  spk_plot_grid_move (grid, raster, -100);
  g_assert_true (spk_plot_grid_get_plot (grid, 0) == raster);
  spk_plot_grid_set_window (grid, 2.5);
  before = plots_of (window);

  g_assert_true (spk_window_save_file (window, file, &error));
  g_assert_no_error (error);
  g_assert_true (spk_window_open_file (reopened, file, &error));
  g_assert_no_error (error);
  after = plots_of (reopened);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (spk_plot_view_get_first_neuron (spk_plot_grid_get_plot (spk_window_get_plot_grid (reopened), 0)), ==, 10);

  gtk_window_destroy (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (reopened));
  ut_drain ();
  g_unlink (path);
  g_rmdir (dir);
}

/* However tall the plot (presentation mode makes it so), its value axis
 * is ticked up to its top: once the ticks stopped at the twelfth, and
 * the upper part of a tall plot had none. */
static void
test_ticks_reach_top (void)
{
  GtkWidget *view = g_object_ref_sink (spk_plot_view_new (SPK_PLOT_VALUE, "input"));
  const double times[] = { 0.001, 0.002, 0.003 };
  const double values[] = { -2, -2, 0 };

  spk_plot_view_set_autoscale (SPK_PLOT_VIEW (view), FALSE);
  spk_plot_view_set_y_range (SPK_PLOT_VIEW (view), -2.1, 1.1);
  spk_plot_view_append (SPK_PLOT_VIEW (view), times, values, 3, 1);
  for (guint k = 0; k < 2; k++)
    for (int height = 200; height <= 1000; height += 100)
      {
        Geometry *g;
        double top = G_MAXDOUBLE, gap;

        spk_plot_view_set_scale (SPK_PLOT_VIEW (view), k == 0 ? 1.0 : 1.6);
        g = _spk_plot_view_prepare (SPK_PLOT_VIEW (view), 600, height);
        g_assert_cmpuint (g->n_y_ticks, >=, 2);
        for (guint i = 0; i < g->n_y_ticks; i++)
          top = MIN (top, g->y_ticks[i].y);
        /* No more room above the highest tick than between two ticks. */
        gap = fabs (g->y_ticks[1].y - g->y_ticks[0].y);
        if (top - g->ay > gap + 1)
          g_error ("%d px at scale %g: the highest of %u ticks is at %g, the plot's top at %g",
                   height, spk_plot_view_get_scale (SPK_PLOT_VIEW (view)), g->n_y_ticks, top, g->ay);
        _spk_plot_view_geometry_free (g);
      }
  g_object_unref (view);
}

int
main (int   argc,
      char *argv[])
{
  ut_init (&argc, &argv);

  g_test_add_func ("/spk/ui/plots/kinds-draw", test_kinds_draw);
  g_test_add_func ("/spk/ui/plots/ticks-reach-top", test_ticks_reach_top);
  g_test_add_func ("/spk/ui/plots/tuning-draws", test_tuning_draws);
  g_test_add_func ("/spk/ui/plots/raster-selection", test_raster_selection);
  g_test_add_func ("/spk/ui/plots/raster-sparse", test_raster_sparse);
  g_test_add_func ("/spk/ui/plots/export", test_export);
  g_test_add_func ("/spk/ui/plots/drag-to-rearrange", test_drag_to_rearrange);
  g_test_add_func ("/spk/ui/plots/plots-changed", test_plots_changed);
  g_test_add_func ("/spk/ui/plots/layout-survives-save", test_layout_survives_save);
  g_test_add_func ("/spk/ui/plots/decoded-identity", test_decoded_identity);
  g_test_add_func ("/spk/ui/plots/decoded-square", test_decoded_square);
  g_test_add_func ("/spk/ui/plots/connection-plots", test_connection_plots);
  return g_test_run ();
}
