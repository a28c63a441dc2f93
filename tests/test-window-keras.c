/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window-keras.c — the workbench opening a Keras model: Open on a
 * .h5 shows the converter's options, "Convert" with spiking neurons, a
 * firing-rate scale and a synapse gives the converted network with the
 * file's weights; a damaged file leaves the window as it was and says why.
 * Open on a NIR graph (.nir) asks for its time step and stepping (NIR's
 * 0.1 ms and exact by default, then what was chosen for that file) and
 * converts it, through the Open action's file dialog too, and Play shows
 * its spikes. */
#include <math.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "builder/spk-plan.h"
#include "io/spk-keras.h"
#include "io/spk-model-json.h"
#include "model/spk-connection.h"
#include "model/spk-ensemble.h"
#include "model/spk-layer.h"
#include "model/spk-node.h"
#include "model/spk-probe.h"
#include "model/spk-synapse.h"
#include "ui/plots/spk-plot-grid.h"
#include "ui/shell/spk-window.h"
#include "spk-ui-test-util.h"

static gpointer
add (SpkNetwork *net,
     gpointer    object,
     const char *label)
{
  if (label)
    spk_object_set_label (SPK_OBJECT (object), label);
  g_assert_true (spk_network_add (net, SPK_OBJECT (object), NULL));
  g_object_unref (object);
  return object;
}

static void
connect (SpkNetwork *net,
         gpointer    pre,
         gboolean    pre_neurons,
         gpointer    post,
         gboolean    post_neurons)
{
  SpkConnection *conn = add (net, spk_connection_new (), NULL);

  spk_connection_set_pre (conn, pre);
  spk_connection_set_pre_neurons (conn, pre_neurons);
  spk_connection_set_post (conn, post);
  spk_connection_set_post_neurons (conn, post_neurons);
  spk_connection_set_synapse (conn, NULL);
}

/* input n → Dense 5 → relu → Dense 2, written as a Keras model. */
static char *
write_keras_model (const char *dir,
                   guint       n)
{
  g_autoptr (SpkNetwork) net = spk_network_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkArray) zeros = spk_array_new (1, n, 1);
  g_autoptr (SpkArray) gain = spk_array_new (1, 5, 1), bias = spk_array_new (1, 5, 1);
  SpkNode *input = add (net, spk_node_new (), "input");
  SpkLayer *hidden = add (net, spk_layer_new (SPK_LAYER_DENSE), "hidden");
  SpkEnsemble *relu = add (net, spk_ensemble_new (), "relu");
  SpkLayer *out = add (net, spk_layer_new (SPK_LAYER_DENSE), "out");
  SpkProbe *probe = add (net, spk_probe_new (), "p");
  char *path = g_build_filename (dir, n == 784 ? "image.h5" : "small.h5", NULL);

  spk_network_set_label (net, "small");
  memset (zeros->data, 0, n * sizeof (double));
  for (guint i = 0; i < 5; i++)
    {
      gain->data[i] = 1;
      bias->data[i] = 0;
    }
  spk_node_set_output_value (input, zeros);
  spk_layer_set_shape (hidden, n, 0, 0);
  g_object_set (hidden, "units", 5, NULL);
  spk_ensemble_set_n_neurons (relu, 5);
  {
    g_autoptr (SpkNeuronType) type = spk_neuron_type_new (SPK_NEURON_RECTIFIED_LINEAR);

    spk_ensemble_set_neuron_type (relu, type);
  }
  spk_ensemble_set_gain (relu, gain);
  spk_ensemble_set_bias (relu, bias);
  spk_layer_set_shape (out, 5, 0, 0);
  g_object_set (out, "units", 2, NULL);
  spk_probe_set_target (probe, SPK_OBJECT (out));
  connect (net, input, FALSE, hidden, FALSE);
  connect (net, hidden, FALSE, relu, TRUE);
  connect (net, relu, TRUE, out, FALSE);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  spk_keras_export (net, plan, path, &error);
  g_assert_no_error (error);
  return path;
}

static AdwMessageDialog *
find_dialog (const char *heading)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w))
          && g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (w)), heading) == 0)
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

static GtkWidget *
control (AdwMessageDialog *dialog,
         const char       *key)
{
  GtkWidget *widget = g_object_get_data (G_OBJECT (adw_message_dialog_get_extra_child (dialog)), key);

  g_assert_nonnull (widget);
  return widget;
}

static void
test_open_keras (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("spk-window-keras-XXXXXX", &error);
  g_autofree char *path = write_keras_model (dir, 6);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  SpkWindow *window = ut_window_new ("integrator", 0, 0);
  AdwMessageDialog *dialog;
  SpkNetwork *net;
  SpkEnsemble *relu;
  GPtrArray *objects;
  gboolean filtered = FALSE;

  g_assert_true (spk_window_open_file (window, file, &error));
  g_assert_no_error (error);
  ut_drain ();
  dialog = find_dialog (_("Convert a Keras Model"));
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "small.h5"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "convert");
  /* NengoDL's defaults: rate neurons, scale 1, no synapse, fallback on. */
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (control (dialog, "relu"))), ==, 0);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (control (dialog, "scale"))), ==, 1);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (control (dialog, "allow-fallback"))));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (control (dialog, "max-to-avg-pool"))));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (control (dialog, "relu")), 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (control (dialog, "scale")), 100);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (control (dialog, "synapse")), 0.005);
  adw_message_dialog_response (dialog, "convert");
  gtk_window_destroy (GTK_WINDOW (dialog));
  ut_drain ();

  net = spk_window_get_network (window);
  g_assert_cmpstr (spk_network_get_label (net), ==, "small");
  relu = SPK_ENSEMBLE (spk_network_lookup (net, "relu"));
  g_assert_nonnull (relu);
  g_assert_cmpint (spk_ensemble_get_neuron_type (relu)->kind, ==, SPK_NEURON_SPIKING_RECTIFIED_LINEAR);
  g_assert_cmpfloat (spk_ensemble_get_neuron_type (relu)->amplitude, ==, 0.01);
  objects = spk_network_get_objects (net);
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);

      if (SPK_IS_CONNECTION (object) && spk_connection_get_pre (SPK_CONNECTION (object)) == SPK_OBJECT (relu))
        filtered = spk_connection_get_synapse (SPK_CONNECTION (object)) != NULL;
    }
  g_assert_true (filtered);
  g_assert_null (find_dialog (_("Could not convert the Keras model")));

  /* A damaged file: the window keeps its network and says why. */
  {
    g_autofree char *bad = g_build_filename (dir, "bad.h5", NULL);
    g_autoptr (GFile) bad_file = g_file_new_for_path (bad);
    g_autofree char *before = spk_model_to_data (net, NULL);
    g_autofree char *after = NULL;
    AdwMessageDialog *message;

    g_assert_true (g_file_set_contents (bad, "not hdf5 at all", -1, NULL));
    g_assert_true (spk_window_open_file (window, bad_file, &error));
    ut_drain ();
    dialog = find_dialog (_("Convert a Keras Model"));
    g_assert_nonnull (dialog);
    adw_message_dialog_response (dialog, "convert");
    gtk_window_destroy (GTK_WINDOW (dialog));
    ut_drain ();
    message = find_dialog (_("Could not convert the Keras model"));
    g_assert_nonnull (message);
    g_assert_nonnull (strstr (adw_message_dialog_get_body (message), "not an HDF5 file, so not a Keras model"));
    gtk_window_destroy (GTK_WINDOW (message));
    after = spk_model_to_data (spk_window_get_network (window), NULL);
    g_assert_cmpstr (before, ==, after);
    g_unlink (bad);
  }
  /* Cancel converts nothing. */
  g_assert_true (spk_window_open_file (window, file, &error));
  ut_drain ();
  dialog = find_dialog (_("Convert a Keras Model"));
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  ut_drain ();
  g_assert_true (spk_network_lookup (spk_window_get_network (window), "relu") == SPK_OBJECT (relu));

  /* A 784-value input presents the test images, unless unchecked. */
  {
    g_autofree char *image_path = write_keras_model (dir, 784);
    g_autoptr (GFile) image_file = g_file_new_for_path (image_path);
    SpkNode *input;

    g_assert_true (spk_window_open_file (window, image_file, &error));
    ut_drain ();
    dialog = find_dialog (_("Convert a Keras Model"));
    g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (control (dialog, "images"))));
    adw_message_dialog_response (dialog, "convert");
    gtk_window_destroy (GTK_WINDOW (dialog));
    ut_drain ();
    input = SPK_NODE (spk_network_lookup (spk_window_get_network (window), "input"));
    g_assert_nonnull (spk_node_get_output_process (input));
    g_assert_nonnull (spk_node_get_output_process (input)->dataset);

    g_assert_true (spk_window_open_file (window, image_file, &error));
    ut_drain ();
    dialog = find_dialog (_("Convert a Keras Model"));
    gtk_check_button_set_active (GTK_CHECK_BUTTON (control (dialog, "images")), FALSE);
    adw_message_dialog_response (dialog, "convert");
    gtk_window_destroy (GTK_WINDOW (dialog));
    ut_drain ();
    input = SPK_NODE (spk_network_lookup (spk_window_get_network (window), "input"));
    g_assert_null (spk_node_get_output_process (input));
    g_unlink (image_path);
  }

  ut_window_free (window);
  g_unlink (path);
  g_rmdir (dir);
}

/* The NIR paper's task 1 opens; with its input held at 1 (a spike every
 * step) Play shows the LIF neuron's spikes in the plot of its output probe. */
static void
test_open_nir (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "nir", "lif_norse.nir", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  SpkWindow *window = ut_window_new ("integrator", 0, 0);
  GtkWidget *bar = GTK_WIDGET (spk_window_get_run_bar (window));
  SpkPlotGrid *grid;
  SpkPlotView *plot = NULL;
  SpkNetwork *net;
  SpkNode *input;
  double ones[1] = { 1 };
  guint spikes = 0;

  g_assert_true (spk_window_open_file (window, file, &error));
  g_assert_no_error (error);
  ut_drain ();
  {
    AdwMessageDialog *dialog = find_dialog (_("Open a NIR Graph"));

    g_assert_nonnull (dialog);
    g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "lif_norse.nir"));
    g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (control (dialog, "dt"))), ==, 0.1);
    g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (control (dialog, "euler"))));
    adw_message_dialog_response (dialog, "open");
    gtk_window_destroy (GTK_WINDOW (dialog));
    ut_drain ();
  }
  net = spk_window_get_network (window);
  g_assert_cmpstr (spk_network_get_label (net), ==, "lif_norse");
  g_assert_cmpfloat (spk_network_get_dt (net), ==, 1e-4);
  g_assert_true (SPK_IS_ENSEMBLE (spk_network_lookup (net, "LIF 1")));
  input = SPK_NODE (spk_network_lookup (net, "input"));
  {
    g_autoptr (SpkArray) one = spk_array_new_vector (ones, 1);

    spk_node_set_output_value (input, one);
  }
  ut_drain ();
  g_assert_true (gtk_widget_activate_action (bar, "run.play-pause", NULL));
  UT_WAIT_FOR (ut_steps_of (window) > 300);
  g_assert_true (gtk_widget_activate_action (bar, "run.play-pause", NULL));
  ut_drain ();
  grid = spk_window_get_plot_grid (window);
  spk_plot_grid_drain (grid);
  /* The output probe's plot: the spikes of the neuron it records. */
  for (guint i = 0; i < spk_plot_grid_get_n_plots (grid); i++)
    if (g_strcmp0 (spk_plot_view_get_target (spk_plot_grid_get_plot (grid, i)), "LIF 1") == 0
        && spk_plot_view_get_kind (spk_plot_grid_get_plot (grid, i)) == SPK_PLOT_SPIKES)
      plot = spk_plot_grid_get_plot (grid, i);
  g_assert_nonnull (plot);
  for (guint s = 0; s < spk_plot_view_get_n_samples (plot); s++)
    spikes += spk_plot_view_get_value (plot, s, 0) != 0;
  /* Input 1 each step: the voltage rises by 1 − e^(−dt/τ) = 0.039 a step
   * towards 1 and crosses 0.1 every third step. */
  g_test_message ("%u spikes in %u samples", spikes, spk_plot_view_get_n_samples (plot));
  g_assert_cmpuint (spikes, >, 50);
  ut_window_free (window);
}

static gboolean
chooser_path_is (GtkFileChooser *chooser,
                 const char     *path)
{
  g_autoptr (GFile) file = gtk_file_chooser_get_file (chooser);
  g_autofree char *chosen = file ? g_file_get_path (file) : NULL;

  return g_strcmp0 (chosen, path) == 0;
}

static GtkWidget *
find_chooser (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return GTK_WIDGET (w);
    }
  return NULL;
}

/* Open (win.open, Ctrl+O) → the file dialog picks the .nir → the NIR
 * dialog; returns it. */
static AdwMessageDialog *
open_through_dialogs (SpkWindow  *window,
                      const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  GtkWidget *chooser;
  AdwMessageDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open", NULL));
  ut_drain ();
  chooser = find_chooser ();
  g_assert_nonnull (chooser);
  g_assert_true (gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), file, &error));
  g_assert_no_error (error);
  UT_WAIT_FOR (chooser_path_is (GTK_FILE_CHOOSER (chooser), path));
  g_object_ref (chooser);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  UT_WAIT_FOR (!gtk_widget_get_visible (chooser));
  g_object_unref (chooser);
  UT_WAIT_FOR (find_dialog (_("Open a NIR Graph")) != NULL);
  dialog = find_dialog (_("Open a NIR Graph"));
  return dialog;
}

/* The time step and stepping chosen in the NIR dialog are the converted
 * network's, and the dialog offers them again for the same file; Cancel
 * opens nothing.  SPK_NIR_OPEN_SHOTS=FOLDER saves the dialog there. */
static void
test_open_nir_step (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "nir", "lif_norse.nir", NULL);
  SpkWindow *window = ut_window_new ("integrator", 0, 0);
  AdwMessageDialog *dialog = open_through_dialogs (window, path);
  SpkNetwork *net;
  const SpkNeuronType *type;

  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (control (dialog, "dt"))), ==, 0.1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (control (dialog, "dt")), 1);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (control (dialog, "euler")), TRUE);
  ut_wait_for_frames (GTK_WIDGET (dialog), 2);
  ut_save_png ("SPK_NIR_OPEN_SHOTS", GTK_WIDGET (dialog), "nir-open-dialog.png");
  adw_message_dialog_response (dialog, "open");
  gtk_window_destroy (GTK_WINDOW (dialog));
  ut_drain ();
  net = spk_window_get_network (window);
  g_assert_cmpstr (spk_network_get_label (net), ==, "lif_norse");
  g_assert_cmpfloat (spk_network_get_dt (net), ==, 0.001);
  /* Euler: the decay factor per step is 1 − dt/τ (τ = 2.5 ms, in float32). */
  type = spk_ensemble_get_neuron_type (SPK_ENSEMBLE (spk_network_lookup (net, "LIF 1")));
  g_assert_cmpfloat_with_epsilon (exp (-0.001 / type->tau_rc), 1 - 0.001 / 0.0025, 1e-7);

  /* The same file again: what was chosen is offered; Cancel keeps the
   * network. */
  dialog = open_through_dialogs (window, path);
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (control (dialog, "dt"))), ==, 1);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (control (dialog, "euler"))));
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  ut_drain ();
  g_assert_true (spk_window_get_network (window) == net);
  ut_window_free (window);
}

int
main (int    argc,
      char **argv)
{
  ut_init (&argc, &argv);
  g_test_add_func ("/spk/window-keras/open", test_open_keras);
  g_test_add_func ("/spk/window-keras/open-nir", test_open_nir);
  g_test_add_func ("/spk/window-keras/open-nir-step", test_open_nir_step);
  return g_test_run ();
}
