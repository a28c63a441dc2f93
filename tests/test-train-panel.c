/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-train-panel.c — the training panel in the real window, driven
 * through its actions on the communication channel with the generated
 * noise → lowpass data set: a run reaches its end with a falling loss, a
 * curve and changed parameters that the run bar's plan and the inspector
 * then show; Cancel stops a long run and keeps what it learnt; bad
 * settings show their message in the panel; save → reopen keeps the
 * parameters and the history.  Nothing here is timed: the tests wait for
 * the run to say it ended. */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "builder/spk-plan.h"
#include "core/spk-array.h"
#include "examples/spk-examples.h"
#include "io/spk-session.h"
#include "train/spk-train.h"
#include "train/spk-train-data.h"
#include "ui/shell/spk-window.h"
#include "ui/train/spk-train-panel.h"
#include "spk-ui-test-util.h"

/* The communication channel's a → b connection, unlabelled: the second. */
#define WEIGHTS_KEY "connection1/weights"

static void
wait_until_done (SpkTrainPanel *panel)
{
  UT_WAIT_LONG_FOR (!spk_train_panel_get_running (panel), 300);
  ut_drain ();
}

/* A small, quick set-up that trains reliably: fine-tuning a solved
 * channel wants a small step (Keras's Adam default overshoots it). */
static SpkTrainPanel *
set_up (SpkWindow *window,
        guint      epochs)
{
  SpkTrainPanel *panel = spk_window_get_train_panel (window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.train", NULL));
  g_assert_true (spk_window_get_training (window));
  spk_train_panel_set_data_set (panel, "noise-lowpass");
  spk_train_panel_set_input (panel, "input");
  spk_train_panel_set_probe (panel, "b_value");
  spk_train_panel_set_optimizer (panel, "adam");
  spk_train_panel_set_learning_rate (panel, 1e-5);
  spk_train_panel_set_schedule (panel, epochs, 16, 100, 64, TRUE);
  return panel;
}

static SpkArray *
weights_of (GHashTable *params,
            SpkWindow  *window)
{
  g_autoptr (SpkPlan) plan = NULL;

  if (params != NULL)
    return spk_array_ref (g_hash_table_lookup (params, WEIGHTS_KEY));
  plan = spk_build (spk_window_get_network (window), NULL);
  return spk_plan_dup_param (plan, WEIGHTS_KEY);
}

static double
max_difference (const SpkArray *a,
                const SpkArray *b)
{
  double worst = 0.0;

  g_assert_cmpuint (a->size, ==, b->size);
  for (gsize i = 0; i < a->size; i++)
    worst = MAX (worst, fabs (a->data[i] - b->data[i]));
  return worst;
}

static SpkObject *
connection_into (SpkNetwork *network,
                 const char *post)
{
  GPtrArray *objects = spk_network_get_objects (network);

  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);

      if (SPK_IS_CONNECTION (object)
          && g_strcmp0 (spk_object_get_label (spk_connection_get_post (SPK_CONNECTION (object))), post) == 0)
        return object;
    }
  g_assert_not_reached ();
}

static void
test_train (void)
{
  SpkWindow *window = ut_window_new ("communication-channel", 0, 0);
  SpkTrainPanel *panel = set_up (window, 4);
  SpkLossCurve *curve = spk_train_panel_get_curve (panel);
  SpkInspector *inspector = spk_window_get_inspector (window);
  g_autoptr (SpkArray) before = weights_of (NULL, window);
  g_autoptr (SpkArray) after = NULL, running = NULL;
  g_autoptr (GPtrArray) selection = g_ptr_array_new ();
  SpkRunBar *bar = spk_window_get_run_bar (window);
  const double *loss, *val_loss, *points;
  double first, last;
  guint n;

  g_assert_null (spk_window_get_params (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "train.start", NULL));
  g_assert_true (spk_train_panel_get_running (panel));
  wait_until_done (panel);

  g_test_message ("%s", spk_train_panel_get_status (panel));
  g_assert_false (spk_train_panel_has_error (panel));
  g_assert_true (g_str_has_prefix (spk_train_panel_get_status (panel), "Trained 4 epochs: the loss went from "));
  g_assert_cmpfloat (spk_train_panel_get_fraction (panel), ==, 1.0);
  /* 64 examples in minibatches of 16: four per epoch. */
  g_assert_cmpuint (spk_loss_curve_get_n_points (curve, SPK_LOSS_CURVE_EPOCH), ==, 4);
  g_assert_cmpuint (spk_loss_curve_get_n_points (curve, SPK_LOSS_CURVE_VAL), ==, 4);
  g_assert_cmpuint (spk_loss_curve_get_n_points (curve, SPK_LOSS_CURVE_BATCH), ==, 16);
  points = spk_loss_curve_get_points (curve, SPK_LOSS_CURVE_BATCH, &n);
  for (guint i = 0; i < n; i++)
    g_assert_true (isfinite (points[2 * i + 1]) && points[2 * i + 1] >= 0.0);

  /* The loss fell, and the window kept the history the curve shows. */
  g_assert_cmpuint (spk_window_get_history (window, &loss, &val_loss), ==, 4);
  for (guint e = 0; e < 4; e++)
    g_test_message ("epoch %u: loss %g, val_loss %g", e + 1, loss[e], val_loss[e]);
  g_assert_true (isfinite (val_loss[3]));
  spk_train_panel_get_losses (panel, &first, &last);
  g_assert_cmpfloat (last, <, first);
  points = spk_loss_curve_get_points (curve, SPK_LOSS_CURVE_EPOCH, &n);
  g_assert_cmpfloat (points[2 * 3 + 1], ==, loss[3]);

  /* The parameters changed, and a run uses them. */
  g_assert_nonnull (spk_window_get_params (window));
  after = weights_of (spk_window_get_params (window), window);
  g_test_message ("largest weight change %g", max_difference (before, after));
  g_assert_cmpfloat (max_difference (before, after), >, 1e-6);
  g_assert_true (spk_run_bar_ensure_runner (bar, NULL));
  running = spk_plan_dup_param (spk_runner_get_plan (spk_run_bar_get_runner (bar)), WEIGHTS_KEY);
  g_assert_cmpfloat (max_difference (after, running), <=, 1e-6 * (1.0 + fabs (after->data[0])));

  /* Unsaved, and shown in the inspector: the network's history, the
   * trained connection's mark. */
  g_assert_true (g_str_has_prefix (gtk_window_get_title (GTK_WINDOW (window)), "•"));
  g_ptr_array_add (selection, spk_window_get_network (window));
  spk_inspector_set_objects (inspector, selection);
  g_assert_nonnull (strstr (spk_inspector_get_training (inspector), "4 epochs trained"));
  g_ptr_array_index (selection, 0) = connection_into (spk_window_get_network (window), "b");
  spk_inspector_set_objects (inspector, selection);
  g_assert_nonnull (spk_inspector_get_training (inspector));
  g_assert_true (g_str_has_prefix (spk_inspector_get_training (inspector), "Weights trained over 4 epochs"));

  /* Forget Training builds afresh. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.forget-training", NULL));
  g_assert_null (spk_window_get_params (window));
  g_assert_cmpuint (spk_window_get_history (window, NULL, NULL), ==, 0);
  g_assert_null (spk_inspector_get_training (inspector));
  ut_window_free (window);
}

/* Training continues from the trained parameters: a second run appends
 * its epochs to the history. */
static void
test_continue (void)
{
  SpkWindow *window = ut_window_new ("communication-channel", 0, 0);
  SpkTrainPanel *panel = set_up (window, 2);
  double first, after_first, before_second, last;

  gtk_widget_activate_action (GTK_WIDGET (panel), "train.start", NULL);
  wait_until_done (panel);
  g_test_message ("%s", spk_train_panel_get_status (panel));
  spk_train_panel_get_losses (panel, &first, &after_first);
  g_assert_cmpuint (spk_window_get_history (window, NULL, NULL), ==, 2);
  gtk_widget_activate_action (GTK_WIDGET (panel), "train.start", NULL);
  wait_until_done (panel);
  g_test_message ("%s", spk_train_panel_get_status (panel));
  g_assert_false (spk_train_panel_has_error (panel));
  g_assert_cmpuint (spk_window_get_history (window, NULL, NULL), ==, 4);
  /* The second run starts where the first ended (the same examples, the
   * same parameters: float32 rounding apart). */
  spk_train_panel_get_losses (panel, &before_second, &last);
  g_assert_cmpfloat (fabs (before_second - after_first), <=, 1e-5 * after_first);
  g_assert_cmpfloat (last, <, first);
  ut_window_free (window);
}

static void
test_cancel (void)
{
  SpkWindow *window = ut_window_new ("communication-channel", 0, 0);
  SpkTrainPanel *panel = set_up (window, 100000);
  SpkLossCurve *curve = spk_train_panel_get_curve (panel);

  gtk_widget_activate_action (GTK_WIDGET (panel), "train.start", NULL);
  /* Cancel once the run is visibly under way. */
  while (spk_loss_curve_get_n_points (curve, SPK_LOSS_CURVE_BATCH) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (spk_train_panel_get_running (panel));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "train.cancel", NULL));
  wait_until_done (panel);
  g_test_message ("%s", spk_train_panel_get_status (panel));
  g_assert_false (spk_train_panel_has_error (panel));
  g_assert_true (g_str_has_prefix (spk_train_panel_get_status (panel), "Cancelled"));
  g_assert_cmpfloat (spk_train_panel_get_fraction (panel), <, 1.0);
  /* What was learnt stays: the minibatches done so far. */
  g_assert_cmpuint (spk_window_get_history (window, NULL, NULL), <, 100000);
  g_assert_nonnull (spk_window_get_params (window));
  ut_window_free (window);
}

/* Opening another model stops a run, and its result never reaches the
 * new model. */
static void
test_replace_model (void)
{
  SpkWindow *window = ut_window_new ("communication-channel", 0, 0);
  SpkTrainPanel *panel = set_up (window, 100000);
  SpkLossCurve *curve = spk_train_panel_get_curve (panel);

  gtk_widget_activate_action (GTK_WIDGET (panel), "train.start", NULL);
  while (spk_loss_curve_get_n_points (curve, SPK_LOSS_CURVE_BATCH) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (spk_window_open_example (window, "integrator", NULL));
  g_assert_false (spk_train_panel_get_running (panel));
  g_assert_cmpstr (spk_train_panel_get_status (panel), ==, "Training stopped: another model was opened");
  ut_drain ();
  g_assert_null (spk_window_get_params (window));
  g_assert_cmpuint (spk_window_get_history (window, NULL, NULL), ==, 0);
  ut_window_free (window);
}

/* A loss the data set cannot give, a probe of the wrong size for the
 * images or for the input node, a model with nothing to feed: each shows
 * its message in the panel. */
static void
test_errors (void)
{
  SpkWindow *window = ut_window_new ("communication-channel", 0, 0);
  SpkTrainPanel *panel = set_up (window, 1);
  g_autoptr (SpkNetwork) bare = spk_network_new ();
  g_autoptr (SpkEnsemble) ensemble = spk_ensemble_new ();
  g_autoptr (SpkProbe) probe = spk_probe_new ();

  /* The losses round trip through the form (a session trained from
   * Python with from_logits=False keeps its loss). */
  spk_train_panel_set_loss (panel, "sparse-ce-probs");
  g_assert_cmpstr (spk_train_panel_get_loss (panel), ==, "sparse-ce-probs");
  spk_train_panel_set_loss (panel, "mse");
  g_assert_cmpstr (spk_train_panel_get_loss (panel), ==, "mse");

  /* Sparse CE on a signal. */
  spk_train_panel_set_loss (panel, "sparse-ce");
  gtk_widget_activate_action (GTK_WIDGET (panel), "train.start", NULL);
  wait_until_done (panel);
  g_test_message ("%s", spk_train_panel_get_status (panel));
  g_assert_true (spk_train_panel_has_error (panel));
  g_assert_cmpstr (spk_train_panel_get_status (panel), ==,
                   "Training failed: data set 'noise-lowpass' has no classes: its targets are signals, so the loss is mse");
  g_assert_null (spk_window_get_params (window));

  /* Images into a one-dimensional channel: the probe's size does not fit
   * (or, without the data package, the message names it). */
  spk_train_panel_set_data_set (panel, "fashion-mnist");
  spk_train_panel_set_loss (panel, "mse");
  spk_train_panel_set_schedule (panel, 1, 16, 1, 32, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (panel), "train.start", NULL);
  wait_until_done (panel);
  g_test_message ("%s", spk_train_panel_get_status (panel));
  g_assert_true (spk_train_panel_has_error (panel));
  g_assert_true (strstr (spk_train_panel_get_status (panel), "probe 'b_value' has 1 values")
                 || strstr (spk_train_panel_get_status (panel), "dataset-fashion-mnist"));

  /* Ten neurons recorded, one value fed: the sizes do not fit. */
  g_assert_true (spk_window_open_example (window, "rate-vs-spiking", NULL));
  spk_train_panel_set_data_set (panel, "noise-lowpass");
  spk_train_panel_set_probe (panel, "rate_activity");
  spk_train_panel_set_schedule (panel, 1, 16, 50, 16, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (panel), "train.start", NULL);
  wait_until_done (panel);
  g_assert_true (spk_train_panel_has_error (panel));
  g_assert_cmpstr (spk_train_panel_get_status (panel), ==,
                   "Training failed: input 'input' has 10 values per step but node 'input' outputs 1");

  /* No node to feed. */
  spk_object_set_label (SPK_OBJECT (ensemble), "a");
  spk_object_set_label (SPK_OBJECT (probe), "p");
  spk_probe_set_target (probe, SPK_OBJECT (ensemble));
  g_assert_true (spk_network_add (bare, SPK_OBJECT (ensemble), NULL));
  g_assert_true (spk_network_add (bare, SPK_OBJECT (probe), NULL));
  spk_window_set_network (window, bare, NULL, NULL);
  gtk_widget_activate_action (GTK_WIDGET (panel), "train.start", NULL);
  g_assert_false (spk_train_panel_get_running (panel));
  g_assert_true (spk_train_panel_has_error (panel));
  g_assert_cmpstr (spk_train_panel_get_status (panel), ==,
                   "The model has no node without inputs to feed the data set to: add a Node");
  ut_window_free (window);
}

static void
test_save_reopen (void)
{
  SpkWindow *window = ut_window_new ("communication-channel", 0, 0);
  SpkTrainPanel *panel = set_up (window, 3);
  SpkWindow *reopened;
  g_autofree char *dir = g_dir_make_tmp ("spk-train-panel-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "trained.spkw", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkArray) trained = NULL, loaded = NULL;
  g_autoptr (GPtrArray) selection = g_ptr_array_new ();
  const double *loss, *val_loss, *loss2, *val_loss2;

  gtk_widget_activate_action (GTK_WIDGET (panel), "train.start", NULL);
  wait_until_done (panel);
  g_assert_cmpuint (spk_window_get_history (window, &loss, &val_loss), ==, 3);
  g_assert_true (spk_window_save_file (window, file, &error));
  g_assert_no_error (error);
  g_assert_false (g_str_has_prefix (gtk_window_get_title (GTK_WINDOW (window)), "•"));

  reopened = spk_window_new (NULL);
  gtk_window_present (GTK_WINDOW (reopened));
  g_assert_true (spk_window_open_file (reopened, file, &error));
  g_assert_no_error (error);
  ut_drain ();
  g_assert_cmpuint (spk_window_get_history (reopened, &loss2, &val_loss2), ==, 3);
  for (guint e = 0; e < 3; e++)
    {
      g_assert_cmpfloat (loss2[e], ==, loss[e]);
      g_assert_cmpfloat (val_loss2[e], ==, val_loss[e]);
    }
  /* The session stores the float32 model's parameters as they ran. */
  trained = weights_of (spk_window_get_params (window), window);
  loaded = weights_of (spk_window_get_params (reopened), reopened);
  g_assert_cmpfloat (max_difference (trained, loaded), <=, 1e-6);
  g_ptr_array_add (selection, spk_window_get_network (reopened));
  spk_inspector_set_objects (spk_window_get_inspector (reopened), selection);
  g_assert_nonnull (strstr (spk_inspector_get_training (spk_window_get_inspector (reopened)), "3 epochs trained"));
  g_assert_false (g_str_has_prefix (gtk_window_get_title (GTK_WINDOW (reopened)), "•"));

  ut_window_free (reopened);
  ut_window_free (window);
  g_unlink (path);
  g_rmdir (dir);
}

/* A session trained elsewhere (as `spikeworks-cli fit` saves one) opens
 * trained: its history in the inspector, its parameters in the run. */
static void
test_open_trained_session (void)
{
  g_autoptr (SpkNetwork) network = spk_example_new ("communication-channel", NULL);
  g_autoptr (SpkPlan) plan = spk_build (network, NULL);
  g_autoptr (SpkTrainer) trainer = spk_trainer_new (network, plan, SPK_DTYPE_FLOAT32, NULL);
  g_autoptr (SpkSession) session = spk_session_new (network);
  g_autoptr (SpkDataset) x = NULL, y = NULL;
  g_autoptr (GHashTable) trained = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkArray) running = NULL;
  g_autoptr (GPtrArray) selection = g_ptr_array_new ();
  g_autofree char *dir = g_dir_make_tmp ("spk-train-panel-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cli.spkw", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  SpkTrainDataOptions data;
  SpkFitOptions options;
  SpkOptimizer opt;
  SpkWindow *window;
  const double *loss;
  SpkRunBar *bar;

  spk_train_data_options_init (&data);
  data.name = "noise-lowpass";
  data.probe = "b_value";
  data.steps = 50;
  data.n_max = 16;
  g_assert_true (spk_train_data_load (&data, plan, SPK_TRAIN_SPLIT_TRAIN, &x, &y, &error));
  spk_optimizer_init (&opt, SPK_OPTIMIZER_ADAM);
  opt.learning_rate = 1e-5;
  spk_trainer_set_optimizer (trainer, &opt);
  spk_fit_options_init (&options);
  options.epochs = 2;
  options.batch_size = 8;
  g_assert_true (spk_trainer_fit (trainer, x, y, &options, &error));
  g_assert_true (spk_trainer_save_to_session (trainer, session, &error));
  g_assert_true (spk_session_save (session, path, &error));
  g_assert_no_error (error);
  trained = spk_trainer_dup_params (trainer);

  window = spk_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (spk_window_open_file (window, file, &error));
  g_assert_no_error (error);
  ut_drain ();
  g_assert_cmpuint (spk_window_get_history (window, &loss, NULL), ==, 2);
  g_assert_true (isfinite (loss[1]));
  g_ptr_array_add (selection, connection_into (spk_window_get_network (window), "b"));
  spk_inspector_set_objects (spk_window_get_inspector (window), selection);
  g_assert_true (g_str_has_prefix (spk_inspector_get_training (spk_window_get_inspector (window)),
                                   "Weights trained over 2 epochs"));
  bar = spk_window_get_run_bar (window);
  g_assert_true (spk_run_bar_ensure_runner (bar, NULL));
  running = spk_plan_dup_param (spk_runner_get_plan (spk_run_bar_get_runner (bar)), WEIGHTS_KEY);
  g_assert_cmpfloat (max_difference (g_hash_table_lookup (trained, WEIGHTS_KEY), running), <=, 1e-6);
  ut_window_free (window);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  ut_init (&argc, &argv);

  g_test_add_func ("/spk/ui/train-panel/train", test_train);
  g_test_add_func ("/spk/ui/train-panel/continue", test_continue);
  g_test_add_func ("/spk/ui/train-panel/cancel", test_cancel);
  g_test_add_func ("/spk/ui/train-panel/replace-model", test_replace_model);
  g_test_add_func ("/spk/ui/train-panel/errors", test_errors);
  g_test_add_func ("/spk/ui/train-panel/save-reopen", test_save_reopen);
  g_test_add_func ("/spk/ui/train-panel/open-trained-session", test_open_trained_session);
  return g_test_run ();
}
