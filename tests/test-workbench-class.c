/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-workbench-class.c — more of the workbench as a teacher uses it in
 * class, in a real window under Xvfb driven through its actions: the
 * training examples present images (defect 8) and the training panel
 * picks the data set that fits the model. */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "io/spk-image-set.h"
#include "model/spk-network.h"
#include "model/spk-node.h"
#include "model/spk-process.h"
#include "train/spk-train-data.h"
#include "ui/plots/spk-plot-view.h"
#include "model/spk-connection.h"
#include "ui/graph/spk-graph-view-private.h"
#include "ui/shell/spk-inspector-private.h"
#include "ui/shell/spk-window-private.h"
#include "ui/shell/spk-window.h"
#include "ui/train/spk-train-panel.h"
#include "spk-ui-test-util.h"

/* Runs the main loop until cond holds (or fails after 20 s). */
#define window_new ut_window_new_drawn
#define window_free ut_window_free

static void
activate (SpkWindow  *window,
          GtkWidget  *widget,
          const char *action,
          GVariant   *parameter)
{
  g_assert_true (gtk_widget_activate_action_variant (widget ? widget : GTK_WIDGET (window), action, parameter));
  ut_drain ();
}

/* The plot of the window showing target as kind, or NULL. */
static SpkPlotView *
find_plot (SpkWindow   *window,
           SpkPlotKind  kind,
           const char  *target)
{
  SpkPlotGrid *grid = spk_window_get_plot_grid (window);

  for (guint i = 0; i < spk_plot_grid_get_n_plots (grid); i++)
    {
      SpkPlotView *view = spk_plot_grid_get_plot (grid, i);

      if (spk_plot_view_get_kind (view) == kind && g_strcmp0 (spk_plot_view_get_target (view), target) == 0)
        return view;
    }
  return NULL;
}

/* Which of images (n × 784) sample i of view shows, or -1. */
static int
image_shown (SpkPlotView *view,
             guint        sample,
             const float *images,
             guint        n)
{
  for (guint e = 0; e < n; e++)
    {
      gboolean same = TRUE;

      for (guint k = 0; k < 784 && same; k++)
        same = spk_plot_view_get_value (view, sample, k) == images[e * 784 + k];
      if (same)
        return (int) e;
    }
  return -1;
}

/* Defect 8: the autoencoder opens with an image plot of its input and of
 * its reconstruction; Play shows the data set's images in turn, a new one
 * every 0.1 s, with the reconstruction alongside. */
static void
test_autoencoder_plays_images (void)
{
  SpkWindow *window = window_new ("autoencoder");
  GtkWidget *bar = GTK_WIDGET (spk_window_get_run_bar (window));
  SpkPlotView *input, *output;
  g_autofree float *images = NULL;
  guint n, samples, shown = 0;
  int last = -1;

  input = find_plot (window, SPK_PLOT_IMAGE, "input");
  output = find_plot (window, SPK_PLOT_IMAGE, "output");
  g_assert_nonnull (input);
  g_assert_nonnull (output);
  g_assert_true (spk_image_set_load (spk_image_set_default_name (), NULL, FALSE, 0, 5, &images, NULL, &n, NULL));

  activate (window, bar, "run.play-pause", NULL);
  UT_WAIT_FOR (ut_steps_of (window) > 350);
  activate (window, bar, "run.play-pause", NULL);
  spk_plot_grid_drain (spk_window_get_plot_grid (window));
  samples = spk_plot_view_get_n_samples (input);
  g_assert_cmpuint (samples, >, 300);
  g_assert_cmpuint (spk_plot_view_get_n_samples (output), >, 300);
  /* Every sample is one of the data set's images, in order, each for
   * 0.1 s: image ⌊(t − dt) / 0.1 + 1e−7⌋. */
  for (guint s = 0; s < samples; s++)
    {
      double t = spk_plot_view_get_time (input, s);
      int want = (int) ((t - 0.001) / 0.1 + 1e-7);
      int got = want < (int) n ? image_shown (input, s, images, n) : want;

      g_assert_cmpint (got, ==, want);
      if (got != last)
        shown++, last = got;
    }
  g_assert_cmpuint (shown, >=, 4);
  window_free (window);
}

/* Defect 8: the classifier opens with its input image and its spikes;
 * a few steps show the first image. */
static void
test_classifier_shows_image (void)
{
  SpkWindow *window = window_new ("spiking-fashion-mnist");
  GtkWidget *bar = GTK_WIDGET (spk_window_get_run_bar (window));
  SpkPlotView *input = find_plot (window, SPK_PLOT_IMAGE, "input");
  g_autofree float *images = NULL;
  guint n;

  g_assert_nonnull (input);
  g_assert_nonnull (find_plot (window, SPK_PLOT_SPIKES, "lif0"));
  g_assert_true (spk_image_set_load (spk_image_set_default_name (), NULL, FALSE, 0, 1, &images, NULL, &n, NULL));
  activate (window, bar, "run.step", NULL);
  UT_WAIT_FOR (ut_steps_of (window) >= 1);
  UT_WAIT_FOR ((spk_plot_grid_drain (spk_window_get_plot_grid (window)), spk_plot_view_get_n_samples (input) >= 1));
  g_assert_cmpint (image_shown (input, 0, images, 1), ==, 0);
  window_free (window);
}

/* Defect 8: the training panel picks the data set the input presents
 * (images, not noise → lowpass) and the loss that fits the probe. */
static void
test_train_panel_picks_images (void)
{
  SpkWindow *window = window_new ("autoencoder");
  SpkTrainPanel *panel = window->train_panel;

  g_assert_cmpstr (spk_train_panel_get_data_set (panel), ==, spk_image_set_default_name ());
  g_assert_cmpstr (spk_train_panel_get_loss (panel), ==, "mse");
  g_assert_cmpuint (spk_train_panel_get_steps (panel), ==, 1);
  g_assert_true (spk_window_open_example (window, "spiking-fashion-mnist", NULL));
  ut_drain ();
  g_assert_cmpstr (spk_train_panel_get_data_set (panel), ==, spk_image_set_default_name ());
  g_assert_cmpstr (spk_train_panel_get_loss (panel), ==, "sparse-ce");
  /* A model of signals gets a signal set back. */
  g_assert_true (spk_window_open_example (window, "communication-channel", NULL));
  ut_drain ();
  g_assert_true (g_str_has_prefix (spk_train_panel_get_data_set (panel), "noise-"));
  window_free (window);
}

/* The row under widget whose title is title (a preferences row). */
static GtkWidget *
find_row (GtkWidget  *widget,
          const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (ADW_IS_PREFERENCES_ROW (child) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0)
        return child;
      if ((found = find_row (child, title)) != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_spin (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_SPIN_BUTTON (child))
        return child;
      if ((found = find_spin (child)) != NULL)
        return found;
    }
  return NULL;
}

/* Defect 8: the inspector edits the data-set input: which images, how
 * many; the model (and so the file) follows. */
static void
test_inspector_edits_dataset (void)
{
  SpkWindow *window = window_new ("autoencoder");
  SpkNode *input = SPK_NODE (spk_network_lookup (spk_window_get_network (window), "input"));
  SpkInspector *inspector = spk_window_get_inspector (window);
  GtkWidget *expander, *combo, *images;

  spk_graph_view_select (spk_window_get_graph_view (window), SPK_OBJECT (input), FALSE);
  ut_drain ();
  expander = spk_inspector_get_editor (inspector, "output-process");
  g_assert_nonnull (expander);
  combo = find_row (expander, "Presents");
  g_assert_true (ADW_IS_COMBO_ROW (combo));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (combo)), ==,
                    g_str_equal (spk_image_set_default_name (), "fashion-mnist") ? 1 : 2);
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 2);
  ut_drain ();
  g_assert_cmpstr (spk_node_get_output_process (input)->dataset, ==, "generated-images");
  images = find_spin (find_row (spk_inspector_get_editor (inspector, "output-process"), "Images"));
  g_assert_nonnull (images);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (images), 7);
  ut_drain ();
  g_assert_cmpuint (spk_node_get_output_process (input)->dataset_count, ==, 7);
  /* Back to a list of inputs: one item to start from. */
  combo = find_row (spk_inspector_get_editor (inspector, "output-process"), "Presents");
  g_assert_true (ADW_IS_COMBO_ROW (combo));
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 0);
  ut_drain ();
  g_assert_null (spk_node_get_output_process (input)->dataset);
  g_assert_nonnull (spk_node_get_output_process (input)->inputs);
  window_free (window);
}

static guint
count_connections (SpkNetwork *network,
                   SpkObject  *pre,
                   SpkObject  *post,
                   gboolean    post_neurons)
{
  GPtrArray *objects = spk_network_get_objects (network);
  guint n = 0;

  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *o = g_ptr_array_index (objects, i);

      if (SPK_IS_CONNECTION (o) && spk_connection_get_pre (SPK_CONNECTION (o)) == pre
          && spk_connection_get_post (SPK_CONNECTION (o)) == post
          && spk_connection_get_post_neurons (SPK_CONNECTION (o)) == post_neurons)
        n++;
    }
  return n;
}

/* The texts of the visible rows of the connect popover. */
static GPtrArray *
visible_targets (SpkGraphView *graph)
{
  GPtrArray *texts = g_ptr_array_new ();

  for (GtkWidget *row = gtk_widget_get_first_child (graph->connect_list); row; row = gtk_widget_get_next_sibling (row))
    if (gtk_widget_get_child_visible (row) && gtk_widget_get_visible (row))
      g_ptr_array_add (texts, g_object_get_data (G_OBJECT (row), "spk-text"));
  return texts;
}

static gboolean
has_text (GPtrArray  *texts,
          const char *text)
{
  for (guint i = 0; i < texts->len; i++)
    if (g_strcmp0 (g_ptr_array_index (texts, i), text) == 0)
      return TRUE;
  return FALSE;
}

/* Defect 10: ports connect without the mouse.  Select b, Shift+C
 * (graph.connect): a popover lists what b can feed; typing filters it,
 * Enter connects, and it is one undo step.  The object menu's "Connect
 * To…" opens the same list. */
static void
test_keyboard_connect (void)
{
  SpkWindow *window = window_new ("communication-channel");
  SpkNetwork *network = spk_window_get_network (window);
  SpkGraphView *graph = spk_window_get_graph_view (window);
  SpkObject *a = spk_network_lookup (network, "a"), *b = spk_network_lookup (network, "b");
  SpkObject *input = spk_network_lookup (network, "input");
  g_autoptr (GPtrArray) texts = NULL;

  g_assert_cmpuint (count_connections (network, b, a, TRUE), ==, 0);
  spk_graph_view_select (graph, b, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (graph));
  /* Checked as it opens, before the main loop runs: the suites share one
   * X server, and another suite's window taking the focus closes a popover. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (graph), "graph.connect", NULL));
  g_assert_true (gtk_widget_get_visible (graph->connect_popover));
  {
    /* Typing goes to the search field (its text widget has the focus). */
    GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (graph->connect_entry));

    g_assert_true (focus == graph->connect_entry || gtk_widget_is_ancestor (focus, graph->connect_entry));
  }
  texts = visible_targets (graph);
  g_assert_true (has_text (texts, "b → a"));
  g_assert_true (has_text (texts, "b → a.neurons"));
  g_assert_true (has_text (texts, "b.neurons → a.neurons"));
  g_assert_false (has_text (texts, "b → input"));   /* a source has no input */
  g_clear_pointer (&texts, g_ptr_array_unref);

  /* Typing filters; Enter connects to the first match. */
  gtk_editable_set_text (GTK_EDITABLE (graph->connect_entry), "b → a.neur");
  UT_WAIT_FOR (visible_targets (graph)->len == 1);
  texts = visible_targets (graph);
  g_assert_cmpstr (g_ptr_array_index (texts, 0), ==, "b → a.neurons");
  g_signal_emit_by_name (graph->connect_entry, "activate");
  ut_drain ();
  g_assert_false (gtk_widget_get_visible (graph->connect_popover));
  g_assert_cmpuint (count_connections (network, b, a, TRUE), ==, 1);
  activate (window, NULL, "win.undo", NULL);
  g_assert_cmpuint (count_connections (network, b, a, TRUE), ==, 0);

  /* From the object menu, for a node: input → b. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.connect-from", "s", "input"));
  g_assert_true (gtk_widget_get_visible (graph->connect_popover));
  g_assert_true (graph->connect_pre == input);
  gtk_editable_set_text (GTK_EDITABLE (graph->connect_entry), "input → b");
  UT_WAIT_FOR (visible_targets (graph)->len >= 1);
  g_signal_emit_by_name (graph->connect_entry, "activate");
  ut_drain ();
  g_assert_cmpuint (count_connections (network, input, b, FALSE), ==, 1);
  window_free (window);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/spk/ui/class/autoencoder-plays-images", test_autoencoder_plays_images);
  g_test_add_func ("/spk/ui/class/classifier-shows-image", test_classifier_shows_image);
  g_test_add_func ("/spk/ui/class/train-panel-picks-images", test_train_panel_picks_images);
  g_test_add_func ("/spk/ui/class/inspector-edits-dataset", test_inspector_edits_dataset);
  g_test_add_func ("/spk/ui/class/keyboard-connect", test_keyboard_connect);
  return g_test_run ();
}
