/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-train.c — reverse mode through plans, optimizers, losses, fit,
 * writing trained parameters back, and a temporal task trained through
 * synapses.  Every gradient is checked against central finite differences
 * in double precision. */
#include <cblas.h>
#include <math.h>
#include <string.h>

#include "builder/spk-plan.h"
#include "core/spk-error.h"
#include "core/spk-cpu.h"
#include "core/spk-rng.h"
#include "io/spk-model-json.h"
#include "io/spk-session.h"
#include "model/spk-connection.h"
#include "model/spk-ensemble.h"
#include "model/spk-layer.h"
#include "model/spk-node.h"
#include "model/spk-probe.h"
#include "model/spk-synapse.h"
#include "train/spk-train-lif-rate.h"
#include "sim/spk-simulator.h"
#include "spk-test-util.h"
#include "ops/spk-ops-layer.h"
#include "train/spk-train.h"

/* n × steps × size uniform values in [lo, hi). */
static GBytes *
random_data (guint   n,
             guint   steps,
             guint   size,
             guint64 seed,
             double  lo,
             double  hi)
{
  gsize count = (gsize) n * steps * size;
  float *v = g_new (float, count);
  SpkRng rng;

  spk_rng_init (&rng, seed);
  for (gsize i = 0; i < count; i++)
    v[i] = (float) spk_rng_uniform_range (&rng, lo, hi);
  return g_bytes_new_take (v, count * sizeof (float));
}

static void
set_matrix (SpkConnection *conn,
            const double  *values,
            guint          rows,
            guint          cols)
{
  g_autoptr (SpkArray) a = spk_array_new_matrix (values, rows, cols);
  g_autoptr (SpkDistribution) d = spk_distribution_new_array (a);

  spk_connection_set_transform (conn, d);
}

static void
set_scalar (SpkConnection *conn,
            double         value)
{
  g_autoptr (SpkDistribution) d = spk_distribution_new_scalar (value);

  spk_connection_set_transform (conn, d);
}

static void
set_synapse (SpkConnection *conn,
             SpkSynapse    *synapse)
{
  spk_connection_set_synapse (conn, synapse);
  spk_synapse_unref (synapse);
}

/* Every op kind training goes through: an elementwise and a full
 * product, Tanh and LIFRate neurons, encoders with radius 1.5, decoders,
 * neuron-to-neuron weights, Lowpass and Alpha synapses, an expression
 * and a filtered probe. */
static SpkNetwork *
rich_network (SpkDtype dtype)
{
  SpkNetwork *net = tu_network (3, dtype);
  double zeros[2] = { 0, 0 };
  double M[4] = { 1.0, 0.5, -0.3, 1.0 };
  SpkNode *u = tu_node_const (net, "u", zeros, 2);
  SpkNode *mid = tu_node_pass (net, "mid", 2);
  SpkNode *m = tu_node_pass (net, "m", 2);
  SpkNode *out = tu_node_pass (net, "out", 1);
  SpkEnsemble *a = tu_ensemble (net, "a", 12, 2, SPK_NEURON_TANH);
  SpkEnsemble *b = tu_ensemble (net, "b", 8, 1, SPK_NEURON_LIF_RATE);
  SpkConnection *c;
  g_autoptr (SpkDistribution) glorot = spk_distribution_new_glorot (1.0, FALSE);

  spk_ensemble_set_radius (a, 1.5);
  set_scalar (tu_connect (net, u, FALSE, mid, FALSE, -1), 0.7);
  set_matrix (tu_connect (net, mid, FALSE, a, FALSE, 0.005), M, 2, 2);
  c = tu_connect (net, a, FALSE, b, FALSE, -1);
  spk_connection_set_function (c, "x[0]*x[1]");
  set_synapse (c, spk_synapse_new_alpha (0.01));
  c = tu_connect (net, a, TRUE, b, TRUE, -1);
  spk_connection_set_transform (c, glorot);
  tu_connect (net, a, FALSE, m, FALSE, -1);
  c = tu_connect (net, m, FALSE, out, FALSE, -1);
  spk_connection_set_function (c, "x[0]*x[1] + sin(x[1])");
  tu_connect (net, b, FALSE, out, FALSE, 0.01);
  tu_probe (net, "p_out", out, FALSE, "output", 0.02);
  return net;
}

static void
rich_data (guint        n,
           guint        steps,
           SpkDataset **x,
           SpkDataset **y)
{
  g_autoptr (GBytes) in = random_data (n, steps, 2, 11, -1.0, 1.0);
  g_autoptr (GBytes) target = random_data (n, steps, 1, 12, -1.0, 1.0);
  g_autoptr (GError) error = NULL;

  *x = spk_dataset_new (n, steps);
  *y = spk_dataset_new (n, steps);
  g_assert_true (spk_dataset_add (*x, "u", in, steps, 2, &error));
  g_assert_true (spk_dataset_add (*y, "p_out", target, steps, 1, &error));
  g_assert_no_error (error);
}

static void
test_grad_rich (void)
{
  g_autoptr (SpkNetwork) net = rich_network (SPK_DTYPE_FLOAT64);
  g_autoptr (SpkTrainer) trainer = NULL;
  g_autoptr (SpkDataset) x = NULL, y = NULL;
  g_autoptr (GError) error = NULL;

  trainer = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT64, &error);
  g_assert_no_error (error);
  /* LIFRate's own derivative, so the gradient is the forward's. */
  spk_trainer_set_lif_smoothing (trainer, 0.0);
  rich_data (3, 6, &x, &y);
  tu_check_gradient (trainer, x, y, 0, 1e-5);
}

/* Every layer with parameters, over three steps: a strided "same" Conv2D
 * into Tanh neurons, BatchNormalization (batch statistics), a Lowpass
 * synapse, AveragePooling2D and Dense; dropout's random mask is checked
 * on its own (test_layer_dropout). */
static SpkNetwork *
layer_network (void)
{
  SpkNetwork *net = tu_network (4, SPK_DTYPE_FLOAT64);
  g_autofree double *zeros = g_new0 (double, 50);
  SpkNode *u = tu_node_const (net, "u", zeros, 50);
  SpkLayer *conv = tu_layer (net, "conv", SPK_LAYER_CONV2D, 5, 5, 2);
  SpkEnsemble *a = tu_ensemble (net, "a", 27, 1, SPK_NEURON_TANH);
  SpkLayer *norm = tu_layer (net, "norm", SPK_LAYER_BATCH_NORMALIZATION, 3, 3, 3);
  SpkLayer *pool = tu_layer (net, "pool", SPK_LAYER_AVERAGE_POOLING2D, 3, 3, 3);
  SpkLayer *dense = tu_layer (net, "dense", SPK_LAYER_DENSE, 12, 0, 0);

  g_object_set (conv, "filters", 3, "strides", 2, "padding", SPK_PADDING_SAME, NULL);
  g_object_set (pool, "kernel-size", 2, NULL);
  g_object_set (dense, "units", 2, NULL);
  tu_set_gain_bias (a, 1.0, 0.1);
  /* Identity connections between layers do not train, as in NengoDL's
   * Keras converter; the one into the neurons does. */
  spk_object_set_trainable (SPK_OBJECT (tu_connect (net, u, FALSE, conv, FALSE, -1)), FALSE);
  tu_connect (net, conv, FALSE, a, TRUE, -1);
  spk_object_set_trainable (SPK_OBJECT (tu_connect (net, a, TRUE, norm, FALSE, -1)), FALSE);
  spk_object_set_trainable (SPK_OBJECT (tu_connect (net, norm, FALSE, pool, FALSE, 0.01)), FALSE);
  spk_object_set_trainable (SPK_OBJECT (tu_connect (net, pool, FALSE, dense, FALSE, -1)), FALSE);
  tu_probe (net, "p_out", dense, FALSE, "output", -1);
  return net;
}

static void
test_grad_layers (void)
{
  g_autoptr (SpkNetwork) net = layer_network ();
  g_autoptr (SpkTrainer) trainer = NULL;
  g_autoptr (SpkDataset) x = spk_dataset_new (4, 3), y = spk_dataset_new (4, 3);
  g_autoptr (GBytes) in = random_data (4, 3, 50, 21, -1.0, 1.0);
  g_autoptr (GBytes) target = random_data (4, 3, 2, 22, -1.0, 1.0);
  g_autoptr (GError) error = NULL;

  g_assert_true (spk_dataset_add (x, "u", in, 3, 50, &error));
  g_assert_true (spk_dataset_add (y, "p_out", target, 3, 2, &error));
  trainer = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT64, &error);
  g_assert_no_error (error);
  /* Conv kernel and bias, BN gamma and beta, dense weights and bias, the
   * ensemble's biases and encoders, the neuron connection's weights. */
  g_assert_cmpuint (spk_trainer_get_n_trainable (trainer), ==,
                    3 * 3 * 2 * 3 + 3 + 3 + 3 + 12 * 2 + 2 + 27 + 27 + 27);
  tu_check_gradient (trainer, x, y, 0, 1e-5);
}

/* Keras's layer options train: each activation on a Conv2D with a 2 × 3
 * kernel (softmax over the filters at each pixel) and on a Dense layer
 * (over its units), with a BatchNormalization of the image's rows (axis
 * 1) between them, against central differences in float64. */
static void
test_grad_layer_options (void)
{
  static const SpkActivation acts[] = {
    SPK_ACTIVATION_RELU, SPK_ACTIVATION_SIGMOID, SPK_ACTIVATION_TANH, SPK_ACTIVATION_SOFTMAX,
  };

  for (guint k = 0; k < G_N_ELEMENTS (acts); k++)
    {
      g_autoptr (SpkNetwork) net = tu_network (5, SPK_DTYPE_FLOAT64);
      g_autofree double *zeros = g_new0 (double, 40);
      SpkNode *u = tu_node_const (net, "u", zeros, 40);
      SpkLayer *conv = tu_layer (net, "conv", SPK_LAYER_CONV2D, 5, 4, 2);
      SpkLayer *norm = tu_layer (net, "norm", SPK_LAYER_BATCH_NORMALIZATION, 4, 2, 3);
      SpkLayer *dense = tu_layer (net, "dense", SPK_LAYER_DENSE, 24, 0, 0);
      g_autoptr (SpkTrainer) trainer = NULL;
      g_autoptr (SpkDataset) x = spk_dataset_new (3, 2), y = spk_dataset_new (3, 2);
      g_autoptr (GBytes) in = random_data (3, 2, 40, 31 + k, -1.0, 1.0);
      g_autoptr (GBytes) target = random_data (3, 2, 4, 41 + k, 0.0, 1.0);
      g_autoptr (GError) error = NULL;

      g_test_message ("activation %u", acts[k]);
      g_object_set (conv, "filters", 3, "kernel-size", 2, "kernel-width", 3, "activation", acts[k], NULL);
      g_object_set (norm, "axis", 1, NULL);
      g_object_set (dense, "units", 4, "activation", acts[k], NULL);
      spk_object_set_trainable (SPK_OBJECT (tu_connect (net, u, FALSE, conv, FALSE, -1)), FALSE);
      spk_object_set_trainable (SPK_OBJECT (tu_connect (net, conv, FALSE, norm, FALSE, -1)), FALSE);
      spk_object_set_trainable (SPK_OBJECT (tu_connect (net, norm, FALSE, dense, FALSE, -1)), FALSE);
      tu_probe (net, "p_out", dense, FALSE, "output", -1);
      g_assert_true (spk_dataset_add (x, "u", in, 2, 40, &error));
      g_assert_true (spk_dataset_add (y, "p_out", target, 2, 4, &error));
      trainer = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT64, &error);
      g_assert_no_error (error);
      /* Kernel and bias, gamma and beta of the 4 rows, weights and bias. */
      g_assert_cmpuint (spk_trainer_get_n_trainable (trainer), ==, 2 * 3 * 2 * 3 + 3 + 4 + 4 + 24 * 4 + 4);
      tu_check_gradient (trainer, x, y, 0, 1e-5);
    }
}

/* Strides that differ by axis train: a 1 × 1 Conv2D, then a Conv2D
 * (3 × 2 kernel, "same" padding) and an AveragePooling2D, each with
 * strides (2, 1) and then (1, 3), into a Dense layer, against central
 * differences in float64 (the first kernel's gradient comes through the
 * strided input gradients: col2im and the pooling's shares). */
static void
test_grad_layer_strides (void)
{
  static const guint strides[][2] = { { 2, 1 }, { 1, 3 } };

  for (guint k = 0; k < G_N_ELEMENTS (strides); k++)
    {
      const guint sh = strides[k][0], sw = strides[k][1];
      g_autoptr (SpkNetwork) net = tu_network (6, SPK_DTYPE_FLOAT64);
      g_autofree double *zeros = g_new0 (double, 7 * 6 * 2);
      SpkNode *u = tu_node_const (net, "u", zeros, 7 * 6 * 2);
      SpkLayer *first = tu_layer (net, "first", SPK_LAYER_CONV2D, 7, 6, 2);
      SpkLayer *conv = tu_layer (net, "conv", SPK_LAYER_CONV2D, 7, 6, 2);
      SpkLayer *pool = NULL, *dense = NULL;
      g_autoptr (SpkTrainer) trainer = NULL;
      g_autoptr (SpkDataset) x = spk_dataset_new (3, 2), y = spk_dataset_new (3, 2);
      g_autoptr (GBytes) in = random_data (3, 2, 7 * 6 * 2, 51 + k, -1.0, 1.0);
      g_autoptr (GBytes) target = random_data (3, 2, 3, 61 + k, -1.0, 1.0);
      g_autoptr (GError) error = NULL;
      guint conv_out[3], pool_out[3], n_in, n_out, n_pool;

      g_test_message ("strides %u × %u", sh, sw);
      g_object_set (first, "filters", 2, "kernel-size", 1, NULL);
      g_object_set (conv, "filters", 2, "kernel-size", 3, "kernel-width", 2, "padding", SPK_PADDING_SAME, NULL);
      spk_layer_set_strides_hw (conv, sh, sw);
      g_assert_true (spk_layer_get_shape_out (conv, conv_out, &n_in, &n_out));
      /* "same": ⌈7 / sh⌉ × ⌈6 / sw⌉. */
      g_assert_cmpuint (conv_out[0], ==, (7 + sh - 1) / sh);
      g_assert_cmpuint (conv_out[1], ==, (6 + sw - 1) / sw);
      pool = tu_layer (net, "pool", SPK_LAYER_AVERAGE_POOLING2D, conv_out[0], conv_out[1], 2);
      g_object_set (pool, "kernel-size", 2, "padding", SPK_PADDING_SAME, NULL);
      spk_layer_set_strides_hw (pool, sh, sw);
      g_assert_true (spk_layer_get_shape_out (pool, pool_out, &n_in, &n_pool));
      dense = tu_layer (net, "dense", SPK_LAYER_DENSE, n_pool, 0, 0);
      g_object_set (dense, "units", 3, NULL);
      spk_object_set_trainable (SPK_OBJECT (tu_connect (net, u, FALSE, first, FALSE, -1)), FALSE);
      spk_object_set_trainable (SPK_OBJECT (tu_connect (net, first, FALSE, conv, FALSE, -1)), FALSE);
      spk_object_set_trainable (SPK_OBJECT (tu_connect (net, conv, FALSE, pool, FALSE, -1)), FALSE);
      spk_object_set_trainable (SPK_OBJECT (tu_connect (net, pool, FALSE, dense, FALSE, -1)), FALSE);
      tu_probe (net, "p_out", dense, FALSE, "output", -1);
      g_assert_true (spk_dataset_add (x, "u", in, 2, 7 * 6 * 2, &error));
      g_assert_true (spk_dataset_add (y, "p_out", target, 2, 3, &error));
      trainer = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT64, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (spk_trainer_get_n_trainable (trainer), ==,
                        2 * 2 + 2 + 3 * 2 * 2 * 2 + 2 + n_pool * 3 + 3);
      /* Every value: the kernel's and the dense weights' columns all matter. */
      tu_check_gradient (trainer, x, y, 1, 1e-6);
    }
}

/* Training moves a BatchNormalization's moving statistics (exported with
 * the trained parameters, so evaluation uses them) and draws a new dropout
 * mask per minibatch; inference is the identity. */
static void
test_layer_state (void)
{
  g_autoptr (SpkNetwork) net = tu_network (9, SPK_DTYPE_FLOAT64);
  g_autofree double *zeros = g_new0 (double, 8);
  SpkNode *u = tu_node_const (net, "u", zeros, 8);
  SpkLayer *norm = tu_layer (net, "norm", SPK_LAYER_BATCH_NORMALIZATION, 8, 0, 0);
  SpkLayer *drop = tu_layer (net, "drop", SPK_LAYER_DROPOUT, 8, 0, 0);
  g_autoptr (SpkTrainer) trainer = NULL;
  g_autoptr (SpkDataset) x = spk_dataset_new (20, 1), y = spk_dataset_new (20, 1);
  g_autoptr (GBytes) in = random_data (20, 1, 8, 31, 2.0, 4.0);
  g_autoptr (GBytes) target = random_data (20, 1, 8, 32, -1.0, 1.0);
  g_autoptr (GHashTable) params = NULL;
  g_autoptr (GError) error = NULL;
  SpkFitOptions options;
  double loss_a, loss_b;
  SpkArray *mean;

  g_object_set (drop, "rate", 0.5, NULL);
  tu_connect (net, u, FALSE, norm, FALSE, -1);
  tu_connect (net, norm, FALSE, drop, FALSE, -1);
  tu_probe (net, "p", drop, FALSE, "output", -1);
  g_assert_true (spk_dataset_add (x, "u", in, 1, 8, &error));
  g_assert_true (spk_dataset_add (y, "p", target, 1, 8, &error));
  trainer = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT64, &error);
  g_assert_no_error (error);

  /* Two forward passes over the same minibatch see different masks. */
  g_assert_true (spk_trainer_loss_and_grad (trainer, x, y, &loss_a, NULL, &error));
  g_assert_true (spk_trainer_loss_and_grad (trainer, x, y, &loss_b, NULL, &error));
  g_assert_cmpfloat (loss_a, !=, loss_b);

  spk_fit_options_init (&options);
  options.epochs = 3;
  options.batch_size = 10;
  g_assert_true (spk_trainer_fit (trainer, x, y, &options, &error));
  g_assert_no_error (error);
  params = spk_trainer_dup_params (trainer);
  mean = g_hash_table_lookup (params, "norm/moving_mean");
  g_assert_nonnull (mean);
  /* Inputs lie in [2, 4): six updates with momentum 0.99 move the mean
   * from 0 to about (1 − 0.99⁶)·3 ≈ 0.18. */
  for (guint i = 0; i < 8; i++)
    g_assert_cmpfloat (mean->data[i], >, 0.1);
  (void) norm;
}

/* The trainer's forward pass is the simulator's step: with rate neurons
 * the two give the same outputs (float32 and float64). */
static void
test_layers_forward_match (void)
{
  for (int dt = 0; dt < 2; dt++)
    {
      SpkDtype dtype = dt ? SPK_DTYPE_FLOAT64 : SPK_DTYPE_FLOAT32;
      g_autoptr (SpkNetwork) net = tu_network (13, dtype);
      g_autofree double *zeros = g_new0 (double, 64);
      SpkNode *u = tu_node_const (net, "u", zeros, 64);
      SpkLayer *conv = tu_layer (net, "conv", SPK_LAYER_CONV2D, 8, 8, 1);
      SpkEnsemble *lif = tu_ensemble (net, "lif", 6 * 6 * 4, 1, SPK_NEURON_LIF_RATE);
      SpkLayer *dense = tu_layer (net, "dense", SPK_LAYER_DENSE, 6 * 6 * 4, 0, 0);
      g_autoptr (GBytes) xb = random_data (5, 1, 64, 51, 0.0, 1.0);
      g_autoptr (GBytes) zb = g_bytes_new_take (g_new0 (float, 5 * 3), 5 * 3 * sizeof (float));
      g_autoptr (SpkDataset) x = spk_dataset_new (5, 1), y = spk_dataset_new (5, 1);
      g_autoptr (SpkTrainer) trainer = NULL;
      g_autoptr (SpkPlan) plan = NULL;
      g_autoptr (SpkSimulator) sim = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree double *in = g_new (double, 5 * 64);
      const float *xf = g_bytes_get_data (xb, NULL);
      const char *names[] = { "u", NULL };
      const double *inputs[] = { in, NULL };
      double loss, sum = 0.0, out[15];

      g_object_set (conv, "filters", 4, NULL);
      g_object_set (dense, "units", 3, NULL);
      tu_set_gain_bias (lif, 2.0, 1.0);
      tu_connect (net, u, FALSE, conv, FALSE, -1);
      tu_connect (net, conv, FALSE, lif, TRUE, -1);
      tu_connect (net, lif, TRUE, dense, FALSE, -1);
      tu_probe (net, "out", dense, FALSE, "output", -1);
      g_assert_true (spk_dataset_add (x, "u", xb, 1, 64, &error));
      g_assert_true (spk_dataset_add (y, "out", zb, 1, 3, &error));
      trainer = spk_trainer_new (net, NULL, dtype, &error);
      g_assert_no_error (error);
      g_assert_true (spk_trainer_loss_and_grad (trainer, x, y, &loss, NULL, &error));

      plan = spk_build (net, &error);
      sim = spk_simulator_new (plan, 5, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < 5 * 64; i++)
        in[i] = xf[i];
      g_assert_true (spk_simulator_predict (sim, names, inputs, 1, &error));
      spk_simulator_get_probe_data (sim, 0, out);
      for (guint i = 0; i < 15; i++)
        sum += out[i] * out[i];
      g_test_message ("%s: trainer %.9g, simulator %.9g", spk_dtype_to_name (dtype), loss, sum / 15);
      g_assert_cmpfloat (fabs (loss - sum / 15), <=, (dt ? 1e-12 : 1e-5) * MAX (loss, 1e-3));
    }
}

/* Bars on 8 × 8 images with noise: class 0 horizontal, class 1
 * vertical, at a random row or column. */
static void
bar_images (guint    n,
            guint64  seed,
            GBytes **images,
            GBytes **labels)
{
  float *x = g_new0 (float, (gsize) n * 64), *y = g_new (float, n);
  SpkRng rng;

  spk_rng_init (&rng, seed);
  for (guint e = 0; e < n; e++)
    {
      guint cls = (guint) spk_rng_below (&rng, 2), at = (guint) spk_rng_below (&rng, 8);

      y[e] = (float) cls;
      for (guint i = 0; i < 64; i++)
        x[(gsize) e * 64 + i] = (float) (0.2 * spk_rng_uniform (&rng) + ((cls ? i % 8 : i / 8) == at));
    }
  *images = g_bytes_new_take (x, (gsize) n * 64 * sizeof (float));
  *labels = g_bytes_new_take (y, n * sizeof (float));
}

/* Example 2 of the issue in miniature: a Conv2D into LIF neurons into
 * Dense, trained through rates for one step, then run with spikes for 30
 * steps with a 0.1 s synapse on the output probe: the spiking network
 * classifies the test images (≥ 90 %, chance is 50 %). */
static void
test_spiking_classifier (void)
{
  g_autoptr (SpkNetwork) net = tu_network (12, SPK_DTYPE_FLOAT32);
  g_autofree double *zeros = g_new0 (double, 64);
  SpkNode *u = tu_node_const (net, "u", zeros, 64);
  SpkLayer *conv = tu_layer (net, "conv", SPK_LAYER_CONV2D, 8, 8, 1);
  SpkEnsemble *lif = tu_ensemble (net, "lif", 6 * 6 * 4, 1, SPK_NEURON_LIF);
  SpkLayer *dense = tu_layer (net, "dense", SPK_LAYER_DENSE, 6 * 6 * 4, 0, 0);
  g_autoptr (SpkNeuronType) type = spk_neuron_type_new (SPK_NEURON_LIF);
  g_autoptr (GBytes) train_x = NULL, train_y = NULL, test_x = NULL, test_y = NULL;
  g_autoptr (SpkDataset) x = spk_dataset_new (400, 1), y = spk_dataset_new (400, 1);
  g_autoptr (SpkTrainer) trainer = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree double *in = g_new (double, 200 * 64), *out = NULL;
  const float *images, *labels;
  SpkFitOptions options;
  guint correct = 0;
  int p;

  g_object_set (conv, "filters", 4, NULL);
  g_object_set (dense, "units", 2, NULL);
  type->amplitude = 0.01;
  spk_ensemble_set_neuron_type (lif, type);
  tu_set_gain_bias (lif, 2.0, 1.0);   /* 100 Hz near an input of 1, silent below 0 */
  spk_object_set_trainable (SPK_OBJECT (tu_connect (net, u, FALSE, conv, FALSE, -1)), FALSE);
  spk_object_set_trainable (SPK_OBJECT (tu_connect (net, conv, FALSE, lif, TRUE, -1)), FALSE);
  spk_object_set_trainable (SPK_OBJECT (tu_connect (net, lif, TRUE, dense, FALSE, -1)), FALSE);
  tu_probe (net, "out", dense, FALSE, "output", -1);
  tu_probe (net, "out_filtered", dense, FALSE, "output", 0.1);

  bar_images (400, 41, &train_x, &train_y);
  bar_images (200, 42, &test_x, &test_y);
  g_assert_true (spk_dataset_add (x, "u", train_x, 1, 64, &error));
  g_assert_true (spk_dataset_add (y, "out", train_y, 1, 1, &error));
  trainer = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT32, &error);
  g_assert_no_error (error);
  g_assert_true (spk_trainer_set_loss (trainer, "out", SPK_LOSS_SPARSE_CE, &error));
  spk_fit_options_init (&options);
  {
    SpkOptimizer opt;

    spk_optimizer_init (&opt, SPK_OPTIMIZER_RMSPROP);
    opt.learning_rate = 0.01;
    spk_trainer_set_optimizer (trainer, &opt);
  }
  options.epochs = 10;
  options.batch_size = 10;
  g_assert_true (spk_trainer_fit (trainer, x, y, &options, &error));
  g_assert_no_error (error);
  /* The rate network's training accuracy, the metric fit reports. */
  g_assert_cmpfloat (spk_trainer_get_accuracy (trainer), >=, 0.95);

  plan = spk_trainer_build_plan (trainer, &error);
  g_assert_no_error (error);
  sim = spk_simulator_new (plan, 200, &error);
  g_assert_no_error (error);
  images = g_bytes_get_data (test_x, NULL);
  labels = g_bytes_get_data (test_y, NULL);
  for (guint i = 0; i < 200 * 64; i++)
    in[i] = images[i];
  /* The image is held for all 30 steps. */
  g_assert_true (spk_simulator_set_input (sim, "u", in, 1, &error));
  g_assert_true (spk_simulator_run_steps (sim, 30, &error));
  g_assert_no_error (error);
  p = spk_plan_find_probe (plan, "out_filtered");
  out = g_new (double, 200 * 30 * 2);
  spk_simulator_get_probe_data (sim, (guint) p, out);
  for (guint e = 0; e < 200; e++)
    {
      const double *last = out + ((gsize) e * 30 + 29) * 2;

      correct += (last[1] > last[0]) == (labels[e] > 0.5f);
    }
  g_test_message ("spiking test accuracy %.3f", correct / 200.0);
  g_assert_cmpuint (correct, >=, 180);
}

/* One step: products whose input nothing later in the step overwrites
 * read it from the signal arena instead of the tape (the fast path of the
 * autoencoder); the gradient is the same. */
static void
test_grad_one_step (void)
{
  g_autoptr (SpkNetwork) net = tu_network (4, SPK_DTYPE_FLOAT64);
  double zeros[2] = { 0, 0 };
  double M[4] = { 1.0, 0.5, -0.3, 1.0 }, R[2] = { 0.8, -0.4 };
  SpkNode *u = tu_node_const (net, "u", zeros, 2);
  SpkNode *out = tu_node_pass (net, "out", 1);
  SpkEnsemble *a = tu_ensemble (net, "a", 12, 2, SPK_NEURON_TANH);
  SpkEnsemble *b = tu_ensemble (net, "b", 8, 1, SPK_NEURON_LIF_RATE);
  g_autoptr (SpkDistribution) glorot = spk_distribution_new_glorot (1.0, FALSE);
  g_autoptr (SpkTrainer) trainer = NULL;
  g_autoptr (SpkDataset) x = NULL, y = NULL;
  g_autoptr (GError) error = NULL;

  set_matrix (tu_connect (net, u, FALSE, a, FALSE, -1), M, 2, 2);
  spk_connection_set_transform (tu_connect (net, a, TRUE, b, TRUE, -1), glorot);
  set_matrix (tu_connect (net, a, FALSE, out, FALSE, -1), R, 1, 2);
  tu_connect (net, b, FALSE, out, FALSE, -1);
  tu_probe (net, "p_out", out, FALSE, "output", -1);
  trainer = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT64, &error);
  g_assert_no_error (error);
  spk_trainer_set_lif_smoothing (trainer, 0.0);
  rich_data (5, 1, &x, &y);
  tu_check_gradient (trainer, x, y, 0, 1e-5);
}

/* Sparse categorical cross-entropy on the last step only. */
static void
test_grad_sparse_ce (void)
{
  g_autoptr (SpkNetwork) net = tu_network (5, SPK_DTYPE_FLOAT64);
  double zeros[3] = { 0 };
  SpkNode *u = tu_node_const (net, "u", zeros, 3);
  SpkNode *out = tu_node_pass (net, "out", 4);
  SpkEnsemble *c = tu_ensemble (net, "c", 10, 3, SPK_NEURON_SIGMOID);
  g_autoptr (SpkTrainer) trainer = NULL;
  g_autoptr (SpkDataset) x = spk_dataset_new (4, 3), y = spk_dataset_new (4, 3);
  g_autoptr (GBytes) in = random_data (4, 3, 3, 21, -1.0, 1.0);
  float classes[4] = { 0, 3, 1, 2 };
  g_autoptr (GBytes) target = g_bytes_new (classes, sizeof classes);
  g_autoptr (GError) error = NULL;
  double M[12] = { 1, 0, 0, 0, 1, 0, 0, 0, 1, 0.5, 0.5, 0.5 };

  tu_connect (net, u, FALSE, c, FALSE, 0.005);
  set_matrix (tu_connect (net, c, FALSE, out, FALSE, -1), M, 4, 3);
  tu_probe (net, "logits", out, FALSE, "output", -1);
  trainer = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT64, &error);
  g_assert_no_error (error);
  g_assert_true (spk_trainer_set_loss (trainer, "logits", SPK_LOSS_SPARSE_CE, &error));
  g_assert_true (spk_dataset_add (x, "u", in, 3, 3, &error));
  g_assert_true (spk_dataset_add (y, "logits", target, 1, 1, &error));
  g_assert_no_error (error);
  tu_check_gradient (trainer, x, y, 0, 1e-5);
}

/* The loss from the simulator's probe data, spiking-free networks. */
static double
simulator_loss (SpkPlan    *plan,
                SpkDataset *x,
                SpkDataset *y,
                const char *input,
                const char *probe,
                SpkLossKind kind)
{
  guint n = spk_dataset_get_n_examples (x), steps = spk_dataset_get_n_steps (x), in_steps, in_size, t_steps;
  const float *in = spk_dataset_get (x, input, &in_steps, &in_size);
  const float *t = spk_dataset_get (y, probe, &t_steps, NULL);
  g_autofree double *in64 = g_new (double, (gsize) n * in_steps * in_size);
  g_autoptr (SpkSimulator) sim = NULL;
  g_autoptr (GError) error = NULL;
  const char *labels[] = { input, NULL };
  const double *inputs[] = { in64, NULL };
  int p = spk_plan_find_probe (plan, probe);
  guint size = spk_plan_get_probe_size (plan, (guint) p);
  g_autofree double *out = g_new (double, (gsize) n * steps * size);
  double loss;

  for (gsize i = 0; i < (gsize) n * in_steps * in_size; i++)
    in64[i] = in[i];
  sim = spk_simulator_new (plan, n, &error);
  g_assert_no_error (error);
  g_assert_true (spk_simulator_predict (sim, labels, inputs, in_steps, &error));
  if (steps > in_steps)
    g_assert_true (spk_simulator_run_steps (sim, steps - in_steps, &error));
  g_assert_no_error (error);
  spk_simulator_get_probe_data (sim, (guint) p, out);
  g_assert_true (spk_loss_compute (kind, probe, out, t, n, steps, t_steps, size, &loss, &error));
  return loss;
}

/* Training's forward pass is the simulator's for rate neurons; after a
 * fit, the plan built from the trained named parameters (encoders
 * unscaled by gain and radius, weights, biases) runs exactly as the
 * trainer's own arena did. */
static void
test_forward_and_writeback (void)
{
  g_autoptr (SpkNetwork) net = rich_network (SPK_DTYPE_FLOAT64);
  g_autoptr (SpkTrainer) trainer = NULL;
  g_autoptr (SpkDataset) x = NULL, y = NULL;
  g_autoptr (SpkPlan) plan = NULL, trained = NULL;
  g_autoptr (GError) error = NULL;
  SpkFitOptions options;
  SpkOptimizer opt;
  double before, after, sim_before, sim_after;

  plan = spk_build (net, &error);
  g_assert_no_error (error);
  trainer = spk_trainer_new (net, plan, SPK_DTYPE_FLOAT64, &error);
  g_assert_no_error (error);
  rich_data (8, 6, &x, &y);
  g_assert_true (spk_trainer_evaluate (trainer, x, y, 3, &before, &error));
  sim_before = simulator_loss (plan, x, y, "u", "p_out", SPK_LOSS_MSE);
  g_assert_cmpfloat_with_epsilon (before, sim_before, 1e-12 * MAX (1.0, before));

  /* Full-batch gradient descent with a small step must go downhill. */
  spk_optimizer_init (&opt, SPK_OPTIMIZER_SGD);
  opt.learning_rate = 1e-4;
  spk_trainer_set_optimizer (trainer, &opt);
  spk_trainer_set_lif_smoothing (trainer, 0.0);
  spk_fit_options_init (&options);
  options.epochs = 5;
  options.batch_size = 8;
  spk_trainer_fit (trainer, x, y, &options, &error);
  g_assert_no_error (error);
  g_assert_true (spk_trainer_evaluate (trainer, x, y, 8, &after, &error));
  g_assert_cmpfloat (after, <, before);
  trained = spk_trainer_build_plan (trainer, &error);
  g_assert_no_error (error);
  sim_after = simulator_loss (trained, x, y, "u", "p_out", SPK_LOSS_MSE);
  g_test_message ("loss %g → %g (simulator %g → %g)", before, after, sim_before, sim_after);
  g_assert_cmpfloat_with_epsilon (after, sim_after, 1e-9 * MAX (1.0, after));
}

/* One scalar weight w, x = 2, target 1: L = (2w − 1)², g = 4(2w − 1).
 * Two updates of each optimizer against Keras's formulas by hand. */
static void
test_optimizers (void)
{
  const SpkOptimizerKind kinds[] = { SPK_OPTIMIZER_SGD, SPK_OPTIMIZER_SGD, SPK_OPTIMIZER_SGD,
                                     SPK_OPTIMIZER_RMSPROP, SPK_OPTIMIZER_ADAM };
  const double momenta[] = { 0.0, 0.9, 0.9, 0.0, 0.0 };
  const gboolean nesterov[] = { FALSE, FALSE, TRUE, FALSE, FALSE };

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr (SpkNetwork) net = tu_network (1, SPK_DTYPE_FLOAT64);
      double zero = 0.0;
      SpkNode *u = tu_node_const (net, "u", &zero, 1);
      SpkNode *out = tu_node_pass (net, "out", 1);
      g_autoptr (SpkTrainer) trainer = NULL;
      g_autoptr (SpkDataset) x = spk_dataset_new (1, 1), y = spk_dataset_new (1, 1);
      float two = 2.0f, one = 1.0f;
      g_autoptr (GBytes) xb = g_bytes_new (&two, sizeof two), yb = g_bytes_new (&one, sizeof one);
      g_autoptr (GError) error = NULL;
      SpkFitOptions options;
      SpkOptimizer opt;
      double w = 0.3, v = 0.0, m = 0.0, s = 0.0, got;

      set_scalar (tu_connect (net, u, FALSE, out, FALSE, -1), w);
      tu_probe (net, "p", out, FALSE, "output", -1);
      trainer = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT64, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (spk_trainer_get_n_trainable (trainer), ==, 1);
      spk_optimizer_init (&opt, kinds[k]);
      opt.momentum = momenta[k];
      opt.nesterov = nesterov[k];
      opt.learning_rate = 0.05;
      spk_trainer_set_optimizer (trainer, &opt);
      g_assert_true (spk_dataset_add (x, "u", xb, 1, 1, &error));
      g_assert_true (spk_dataset_add (y, "p", yb, 1, 1, &error));
      spk_fit_options_init (&options);
      options.epochs = 2;
      options.batch_size = 1;
      g_assert_true (spk_trainer_fit (trainer, x, y, &options, &error));
      g_assert_no_error (error);

      for (guint t = 1; t <= 2; t++)
        {
          double g = 4.0 * (2.0 * w - 1.0), lr = 0.05;

          switch (kinds[k])
            {
            case SPK_OPTIMIZER_SGD:
              v = momenta[k] * v - lr * g;
              w += nesterov[k] ? momenta[k] * v - lr * g : v;
              break;
            case SPK_OPTIMIZER_RMSPROP:
              s = 0.9 * s + 0.1 * g * g;
              w -= lr * g / (sqrt (s) + 1e-7);
              break;
            case SPK_OPTIMIZER_ADAM:
              m = 0.9 * m + 0.1 * g;
              s = 0.999 * s + 0.001 * g * g;
              w -= lr * sqrt (1.0 - pow (0.999, t)) / (1.0 - pow (0.9, t)) * m / (sqrt (s) + 1e-7);
              break;
            }
        }
      spk_trainer_get_trainable (trainer, &got);
      g_test_message ("optimizer %u: w = %.15g (expected %.15g)", k, got, w);
      g_assert_cmpfloat_with_epsilon (got, w, 1e-13);
    }
}

/* A small autoencoder in float32: the loss falls every epoch, and the
 * float32 gradient agrees with the float64 one to float32 precision. */
static void
test_autoencoder_small (void)
{
  g_autoptr (SpkNetwork) net = tu_network (2, SPK_DTYPE_FLOAT32);
  double zeros[16] = { 0 };
  SpkNode *u = tu_node_const (net, "input", zeros, 16);
  SpkEnsemble *h = tu_ensemble (net, "hidden", 6, 1, SPK_NEURON_RECTIFIED_LINEAR);
  SpkEnsemble *o = tu_ensemble (net, "output", 16, 1, SPK_NEURON_RECTIFIED_LINEAR);
  g_autoptr (SpkDistribution) glorot = spk_distribution_new_glorot (1.0, FALSE);
  g_autoptr (SpkTrainer) t32 = NULL, t64 = NULL;
  g_autoptr (SpkDataset) x = spk_dataset_new (200, 1), y = spk_dataset_new (200, 1);
  g_autoptr (GBytes) images = random_data (200, 1, 16, 31, 0.0, 255.0);
  g_autoptr (GError) error = NULL;
  SpkFitOptions options;
  SpkOptimizer opt;
  const double *hist;
  gsize n;
  g_autofree double *g32 = NULL, *g64 = NULL;
  double l32, l64, scale = 0.0;
  int blas_threads;

  tu_set_gain_bias (h, 1.0, 0.0);
  tu_set_gain_bias (o, 1.0, 0.0);
  spk_connection_set_transform (tu_connect (net, u, FALSE, h, TRUE, -1), glorot);
  spk_connection_set_transform (tu_connect (net, h, TRUE, o, TRUE, -1), glorot);
  tu_probe (net, "output_activity", o, TRUE, "output", -1);
  g_assert_true (spk_dataset_add (x, "input", images, 1, 16, &error));
  g_assert_true (spk_dataset_add (y, "output_activity", images, 1, 16, &error));

  t32 = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT32, &error);
  g_assert_no_error (error);
  t64 = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT64, &error);
  g_assert_no_error (error);
  n = spk_trainer_get_n_trainable (t32);
  g_assert_cmpuint (n, ==, spk_trainer_get_n_trainable (t64));
  g32 = g_new (double, n);
  g64 = g_new (double, n);
  g_assert_true (spk_trainer_loss_and_grad (t32, x, y, &l32, g32, &error));
  g_assert_true (spk_trainer_loss_and_grad (t64, x, y, &l64, g64, &error));
  g_assert_cmpfloat_with_epsilon (l32, l64, 1e-5 * l64);
  for (gsize i = 0; i < n; i++)
    scale = MAX (scale, fabs (g64[i]));
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (fabs (g32[i] - g64[i]), <=, 1e-4 * scale);

  spk_optimizer_init (&opt, SPK_OPTIMIZER_RMSPROP);
  spk_trainer_set_optimizer (t32, &opt);
  spk_fit_options_init (&options);
  options.epochs = 4;
  options.batch_size = 10;
  /* One OpenBLAS thread during fit, the count as it was afterwards. */
  options.blas_threads = 1;
  blas_threads = openblas_get_num_threads ();
  g_assert_true (spk_trainer_fit (t32, x, y, &options, &error));
  g_assert_no_error (error);
  g_assert_cmpint (openblas_get_num_threads (), ==, blas_threads);
  g_assert_cmpuint (spk_trainer_get_history (t32, &hist, NULL), ==, 4);
  for (guint e = 1; e < 4; e++)
    {
      g_test_message ("epoch %u loss %g", e, hist[e]);
      g_assert_cmpfloat (hist[e], <, hist[e - 1]);
    }
}

/* A temporal task through synapses: an ensemble learns to output a
 * low-passed (τ = 30 ms) copy of a smooth random input, through a 5 ms
 * synapse in and a 10 ms synapse out, from decoders that start at zero.
 * The error must fall at least 5×. */
static void
test_temporal (void)
{
  const guint n = 24, steps = 60;
  g_autoptr (SpkNetwork) net = tu_network (7, SPK_DTYPE_FLOAT64);
  double zero = 0.0;
  SpkNode *u = tu_node_const (net, "u", &zero, 1);
  SpkNode *out = tu_node_pass (net, "out", 1);
  SpkEnsemble *a = tu_ensemble (net, "a", 30, 1, SPK_NEURON_LIF_RATE);
  g_autoptr (SpkTrainer) trainer = NULL;
  g_autoptr (SpkDataset) x = spk_dataset_new (n, steps), y = spk_dataset_new (n, steps);
  g_autoptr (GError) error = NULL;
  float *in = g_new (float, n * steps), *target = g_new (float, n * steps);
  g_autoptr (GBytes) xb = NULL, yb = NULL;
  SpkFitOptions options;
  SpkOptimizer opt;
  SpkRng rng;
  double before, after;

  tu_connect (net, u, FALSE, a, FALSE, 0.005);
  set_scalar (tu_connect (net, a, FALSE, out, FALSE, 0.01), 0.0);
  tu_probe (net, "p", out, FALSE, "output", -1);

  /* Inputs: a random walk smoothed by 10 ms; targets its 30 ms lowpass. */
  spk_rng_init (&rng, 9);
  for (guint e = 0; e < n; e++)
    {
      double s = 0.0, level = spk_rng_uniform_range (&rng, -1.0, 1.0), lp = 0.0;
      const double a1 = exp (-0.001 / 0.01), a3 = exp (-0.001 / 0.03);

      for (guint k = 0; k < steps; k++)
        {
          if (k % 20 == 0)
            level = spk_rng_uniform_range (&rng, -1.0, 1.0);
          s = a1 * s + (1.0 - a1) * level;
          lp = a3 * lp + (1.0 - a3) * s;
          in[e * steps + k] = (float) s;
          target[e * steps + k] = (float) (lp * 3.0);
        }
    }
  xb = g_bytes_new_take (in, (gsize) n * steps * sizeof (float));
  yb = g_bytes_new_take (target, (gsize) n * steps * sizeof (float));
  g_assert_true (spk_dataset_add (x, "u", xb, steps, 1, &error));
  g_assert_true (spk_dataset_add (y, "p", yb, steps, 1, &error));

  trainer = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT64, &error);
  g_assert_no_error (error);
  /* Gradients through time, checked like any other. */
  tu_check_gradient (trainer, x, y, 0, 1e-5);
  g_assert_true (spk_trainer_evaluate (trainer, x, y, n, &before, &error));
  spk_optimizer_init (&opt, SPK_OPTIMIZER_ADAM);
  opt.learning_rate = 2e-4;
  spk_trainer_set_optimizer (trainer, &opt);
  spk_fit_options_init (&options);
  options.epochs = 60;
  options.batch_size = 8;
  g_assert_true (spk_trainer_fit (trainer, x, y, &options, &error));
  g_assert_no_error (error);
  g_assert_true (spk_trainer_evaluate (trainer, x, y, n, &after, &error));
  g_test_message ("temporal task: MSE %g → %g (%.1f× lower)", before, after, before / after);
  g_assert_cmpfloat (after * 5.0, <, before);
}

static gboolean
cancel_cb (const SpkFitProgress *progress,
           gpointer              user_data)
{
  guint *calls = user_data;

  (*calls)++;
  return progress->batch < 2;
}

static void
test_cancel_and_session (void)
{
  g_autoptr (SpkNetwork) net = rich_network (SPK_DTYPE_FLOAT64);
  g_autoptr (SpkTrainer) trainer = NULL;
  g_autoptr (SpkDataset) x = NULL, y = NULL;
  g_autoptr (SpkSession) session = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) metrics = NULL;
  SpkFitOptions options;
  guint calls = 0;
  double v;

  trainer = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT64, &error);
  g_assert_no_error (error);
  rich_data (8, 3, &x, &y);
  spk_fit_options_init (&options);
  options.batch_size = 2;
  options.progress = cancel_cb;
  options.user_data = &calls;
  g_assert_false (spk_trainer_fit (trainer, x, y, &options, &error));
  g_assert_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_CANCELLED);
  g_assert_cmpuint (calls, ==, 2);
  g_clear_error (&error);

  options.progress = NULL;
  options.epochs = 2;
  options.val_inputs = x;
  options.val_targets = y;
  g_assert_true (spk_trainer_fit (trainer, x, y, &options, &error));
  g_assert_no_error (error);
  session = spk_session_new (net);
  g_assert_true (spk_trainer_save_to_session (trainer, session, &error));
  g_assert_no_error (error);
  metrics = spk_session_list_history_metrics (session);
  g_assert_cmpstrv (metrics, ((const char *[]) { "loss", "val_loss", NULL }));
  g_assert_true (spk_session_get_history (session, 2, "val_loss", &v));
  g_assert_true (isfinite (v));
  g_assert_nonnull (spk_session_get_plan (session));
}

static void
count_notify_cb (int *count)
{
  (*count)++;
}

static void
expect_fit_error (SpkTrainer          *trainer,
                  SpkDataset          *x,
                  SpkDataset          *y,
                  const SpkFitOptions *options,
                  int                  code,
                  const char          *fragment)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (spk_trainer_fit (trainer, x, y, options, &error));
  g_assert_error (error, SPK_TRAIN_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, fragment));
}

static void
test_bad_inputs (void)
{
  g_autoptr (SpkNetwork) net = rich_network (SPK_DTYPE_FLOAT64);
  g_autoptr (SpkTrainer) trainer = NULL;
  g_autoptr (SpkDataset) x = NULL, y = NULL;
  g_autoptr (GBytes) three = random_data (2, 1, 3, 1, 0, 1), one = random_data (2, 1, 1, 1, 0, 1);
  g_autoptr (GError) error = NULL;
  SpkFitOptions options;
  SpkOptimizer opt;

  trainer = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT64, &error);
  g_assert_no_error (error);
  spk_fit_options_init (&options);

  /* Data sets that do not fit themselves. */
  x = spk_dataset_new (2, 4);
  g_assert_false (spk_dataset_add (x, "u", three, 4, 3, &error));
  g_assert_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_DATA);
  g_assert_nonnull (strstr (error->message, "array 'u' has 24 bytes but 2 examples × 4 steps × 3 values need 96"));
  g_clear_error (&error);
  g_assert_false (spk_dataset_add (x, "u", three, 2, 3, &error));
  g_assert_nonnull (strstr (error->message, "array 'u' has 2 steps but must have 4 or 1"));
  g_clear_error (&error);
  g_assert_true (spk_dataset_add (x, "v", three, 1, 3, &error));
  g_assert_false (spk_dataset_add (x, "v", three, 1, 3, &error));
  g_assert_nonnull (strstr (error->message, "already an array named 'v'"));
  g_clear_error (&error);
  g_clear_pointer (&x, spk_dataset_unref);

  /* Inputs and targets that do not fit the network. */
  x = spk_dataset_new (2, 4);
  y = spk_dataset_new (2, 4);
  g_assert_true (spk_dataset_add (x, "nowhere", one, 1, 1, NULL));
  g_assert_true (spk_dataset_add (y, "p_out", one, 1, 1, NULL));
  expect_fit_error (trainer, x, y, &options, SPK_TRAIN_ERROR_DATA,
                    "input 'nowhere' names no source node");
  g_clear_pointer (&x, spk_dataset_unref);
  x = spk_dataset_new (2, 4);
  g_assert_true (spk_dataset_add (x, "u", three, 1, 3, NULL));
  expect_fit_error (trainer, x, y, &options, SPK_TRAIN_ERROR_DATA,
                    "input 'u' has 3 values per step but node 'u' outputs 2");
  g_clear_pointer (&x, spk_dataset_unref);
  g_clear_pointer (&y, spk_dataset_unref);
  rich_data (2, 4, &x, &y);
  {
    g_autoptr (SpkDataset) bad = spk_dataset_new (2, 4);

    g_assert_true (spk_dataset_add (bad, "q", one, 1, 1, NULL));
    expect_fit_error (trainer, x, bad, &options, SPK_TRAIN_ERROR_DATA, "target 'q' names no probe");
    g_clear_pointer (&bad, spk_dataset_unref);
    bad = spk_dataset_new (2, 4);
    g_assert_true (spk_dataset_add (bad, "p_out", three, 1, 3, NULL));
    expect_fit_error (trainer, x, bad, &options, SPK_TRAIN_ERROR_DATA,
                      "target 'p_out' has 3 values per step but its mse loss needs 1");
    g_clear_pointer (&bad, spk_dataset_unref);
    bad = spk_dataset_new (3, 4);
    expect_fit_error (trainer, x, bad, &options, SPK_TRAIN_ERROR_DATA,
                      "the targets have 3 examples of 4 steps but the inputs 2 of 4");
    g_clear_pointer (&bad, spk_dataset_unref);
    bad = spk_dataset_new (2, 4);
    expect_fit_error (trainer, x, bad, &options, SPK_TRAIN_ERROR_DATA, "there are no targets");
  }

  /* Options. */
  options.batch_size = 0;
  expect_fit_error (trainer, x, y, &options, SPK_TRAIN_ERROR_OPTIONS, "batch size must be at least 1");
  spk_fit_options_init (&options);
  options.epochs = 0;
  expect_fit_error (trainer, x, y, &options, SPK_TRAIN_ERROR_OPTIONS, "epochs must be at least 1");
  spk_fit_options_init (&options);
  options.val_inputs = x;
  expect_fit_error (trainer, x, y, &options, SPK_TRAIN_ERROR_OPTIONS, "validation needs both");
  spk_fit_options_init (&options);
  spk_optimizer_init (&opt, SPK_OPTIMIZER_SGD);
  opt.learning_rate = -1.0;
  spk_trainer_set_optimizer (trainer, &opt);
  expect_fit_error (trainer, x, y, &options, SPK_TRAIN_ERROR_OPTIONS, "learning rate must be a positive");
  opt.learning_rate = 0.1;
  opt.momentum = 1.5;
  spk_trainer_set_optimizer (trainer, &opt);
  expect_fit_error (trainer, x, y, &options, SPK_TRAIN_ERROR_OPTIONS, "momentum must be in [0, 1)");
  /* A learning rate that blows up. */
  opt.momentum = 0.0;
  opt.learning_rate = 1e30;
  spk_trainer_set_optimizer (trainer, &opt);
  options.epochs = 3;
  expect_fit_error (trainer, x, y, &options, SPK_TRAIN_ERROR_NOT_FINITE, "the loss is not finite");

  g_assert_false (spk_trainer_set_loss (trainer, "nope", SPK_LOSS_MSE, &error));
  g_assert_nonnull (strstr (error->message, "there is no probe 'nope'"));
  g_clear_error (&error);
}

static void
test_bad_networks (void)
{
  g_autoptr (GError) error = NULL;

  {
    g_autoptr (SpkNetwork) net = tu_network (1, SPK_DTYPE_FLOAT64);
    double zero = 0.0;
    SpkNode *u = tu_node_const (net, "u", &zero, 1);
    SpkEnsemble *a = tu_ensemble (net, "izh", 5, 1, SPK_NEURON_IZHIKEVICH);
    g_autoptr (SpkTrainer) trainer = NULL;

    tu_connect (net, u, FALSE, a, FALSE, 0.005);
    trainer = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT64, &error);
    g_assert_null (trainer);
    g_assert_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_UNSUPPORTED);
    g_assert_nonnull (strstr (error->message, "ensemble 'izh': Izhikevich neurons have no rate curve"));
    g_clear_error (&error);
  }
  {
    g_autoptr (SpkNetwork) net = tu_network (1, SPK_DTYPE_FLOAT64);
    double zero = 0.0;
    SpkNode *u = tu_node_const (net, "u", &zero, 1);
    SpkNode *out = tu_node_pass (net, "out", 1);
    SpkProbe *p;
    g_autoptr (SpkTrainer) trainer = NULL;
    g_autoptr (SpkDataset) x = spk_dataset_new (1, 1), y = spk_dataset_new (1, 1);
    g_autoptr (GBytes) one = random_data (1, 1, 1, 1, 0, 1);
    float big = 7.0f;
    g_autoptr (GBytes) cls = g_bytes_new (&big, sizeof big);
    SpkFitOptions options;

    set_scalar (tu_connect (net, u, FALSE, out, FALSE, -1), 1.0);
    p = tu_probe (net, "sparse", out, FALSE, "output", -1);
    spk_probe_set_sample_every (p, 0.005);
    tu_probe (net, "ce", out, FALSE, "output", -1);
    trainer = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT64, &error);
    g_assert_no_error (error);
    spk_fit_options_init (&options);
    g_assert_true (spk_dataset_add (x, "u", one, 1, 1, NULL));
    g_assert_true (spk_dataset_add (y, "sparse", one, 1, 1, NULL));
    expect_fit_error (trainer, x, y, &options, SPK_TRAIN_ERROR_UNSUPPORTED,
                      "probe 'sparse' samples every 5 steps");
    g_clear_pointer (&y, spk_dataset_unref);
    y = spk_dataset_new (1, 1);
    g_assert_true (spk_trainer_set_loss (trainer, "ce", SPK_LOSS_SPARSE_CE, NULL));
    g_assert_true (spk_dataset_add (y, "ce", cls, 1, 1, NULL));
    expect_fit_error (trainer, x, y, &options, SPK_TRAIN_ERROR_DATA,
                      "probe 'ce': target class 7 is not an index below the probe's 1 values");
  }
}

/* "trainable": objects that are not keep their parameters through fit
 * while the others change; a network that is not trains nothing and says
 * so; both survive the JSON round trip (the trainer copies through it). */
static void
test_trainable (void)
{
  g_autoptr (SpkNetwork) net = tu_network (5, SPK_DTYPE_FLOAT64);
  double zeros[2] = { 0, 0 };
  double M[4] = { 1.0, 0.5, -0.3, 1.0 }, R[2] = { 0.8, -0.4 };
  SpkNode *u = tu_node_const (net, "u", zeros, 2);
  SpkNode *out = tu_node_pass (net, "out", 1);
  SpkEnsemble *a = tu_ensemble (net, "a", 12, 2, SPK_NEURON_TANH);
  SpkObject *c1 = SPK_OBJECT (tu_connect (net, u, FALSE, a, FALSE, -1));
  SpkObject *c2 = SPK_OBJECT (tu_connect (net, a, FALSE, out, FALSE, -1));
  g_autoptr (SpkTrainer) all = NULL, some = NULL, none = NULL;
  g_autoptr (SpkDataset) x = NULL, y = NULL;
  g_autoptr (GHashTable) before = NULL, after = NULL;
  g_autoptr (SpkNetwork) copy = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;
  const char *frozen[] = { "c2/weights", "a/encoders", "a/bias" };
  SpkFitOptions options;
  gsize len, n_all;
  int notified = 0;

  spk_object_set_label (c1, "c1");
  spk_object_set_label (c2, "c2");
  set_matrix (SPK_CONNECTION (c1), M, 2, 2);
  set_matrix (SPK_CONNECTION (c2), R, 1, 2);
  tu_probe (net, "p_out", out, FALSE, "output", -1);
  rich_data (8, 1, &x, &y);
  spk_fit_options_init (&options);
  options.epochs = 3;
  options.batch_size = 4;

  all = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT64, &error);
  g_assert_no_error (error);
  n_all = spk_trainer_get_n_trainable (all);

  /* Defaults, notification once per change, and none for no change. */
  g_assert_true (spk_object_get_trainable (c2));
  g_assert_true (spk_network_get_trainable (net));
  g_signal_connect_swapped (c2, "notify::trainable", G_CALLBACK (count_notify_cb), &notified);
  spk_object_set_trainable (c2, FALSE);
  spk_object_set_trainable (c2, FALSE);
  g_assert_cmpint (notified, ==, 1);
  spk_object_set_trainable (SPK_OBJECT (a), FALSE);

  some = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT64, &error);
  g_assert_no_error (error);
  /* The connection's 12 decoders, the ensemble's 24 encoders and 12 biases. */
  g_assert_cmpuint (spk_trainer_get_n_trainable (some), ==, n_all - 12 - 24 - 12);
  before = spk_trainer_dup_params (some);
  g_assert_true (spk_trainer_fit (some, x, y, &options, &error));
  g_assert_no_error (error);
  after = spk_trainer_dup_params (some);
  for (guint k = 0; k < G_N_ELEMENTS (frozen); k++)
    {
      SpkArray *b = g_hash_table_lookup (before, frozen[k]), *f = g_hash_table_lookup (after, frozen[k]);

      g_assert_nonnull (b);
      g_assert_cmpmem (b->data, b->size * sizeof (double), f->data, f->size * sizeof (double));
    }
  {
    SpkArray *b = g_hash_table_lookup (before, "c1/weights"), *f = g_hash_table_lookup (after, "c1/weights");
    gboolean changed = FALSE;

    for (gsize i = 0; i < b->size; i++)
      changed |= b->data[i] != f->data[i];
    g_assert_true (changed);
  }

  /* The whole network: nothing trains, and fit says why. */
  spk_network_set_trainable (net, FALSE);
  none = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (spk_trainer_get_n_trainable (none), ==, 0);
  expect_fit_error (none, x, y, &options, SPK_TRAIN_ERROR_UNSUPPORTED,
                    "has nothing to train: no connection weights, encoders or biases are trainable");

  json = spk_model_to_data (net, &len);
  g_assert_nonnull (strstr (json, "\"trainable\": false"));
  copy = spk_model_load_data (json, (gssize) len, &error);
  g_assert_no_error (error);
  g_assert_false (spk_network_get_trainable (copy));
  g_assert_false (spk_object_get_trainable (spk_network_lookup (copy, "a")));
  g_assert_false (spk_object_get_trainable (spk_network_lookup (copy, "c2")));
  g_assert_true (spk_object_get_trainable (spk_network_lookup (copy, "c1")));
}

/* ---- Layer kernels: every backward against central differences ---------- */

typedef struct
{
  const char     *kind;
  double         *x, *W, *b;       /* inputs and parameters (perturbed) */
  double         *y, *w;           /* output and the loss weights: L = Σ w·y */
  double         *scratch, *xhat, *inv_std, *mm, *mv, *mask;
  SpkLayerWindow  win;
  guint           batch, n_in, n_out;
} LayerCase;

static double
layer_loss (LayerCase *lc)
{
  gsize n_y = 0;
  double sum = 0.0;

  if (g_str_equal (lc->kind, "dense"))
    {
      spk_layer_dense_forward_f64 (lc->y, lc->x, lc->W, lc->b, lc->batch, lc->n_in, lc->n_out);
      n_y = (gsize) lc->batch * lc->n_out;
    }
  else if (g_str_equal (lc->kind, "conv2d"))
    {
      spk_layer_conv2d_forward_f64 (lc->y, lc->scratch, lc->x, lc->W, lc->b, &lc->win, lc->n_out, lc->batch);
      n_y = (gsize) lc->batch * lc->win.out_h * lc->win.out_w * lc->n_out;
    }
  else if (g_str_equal (lc->kind, "avgpool"))
    {
      spk_layer_avgpool_forward_f64 (lc->y, lc->x, &lc->win, lc->batch);
      n_y = (gsize) lc->batch * lc->win.out_h * lc->win.out_w * lc->win.c;
    }
  else if (g_str_equal (lc->kind, "batchnorm"))
    {
      spk_layer_batchnorm_forward_f64 (lc->y, lc->xhat, lc->inv_std, lc->x, lc->W, lc->b, lc->mm, lc->mv,
                                       0.99, 1e-3, TRUE, lc->batch, lc->n_in);
      n_y = (gsize) lc->batch * lc->n_in;
    }
  else
    {
      SpkRng rng;

      /* The same mask on every call: the seed is fixed. */
      spk_rng_init (&rng, 77);
      spk_layer_dropout_forward_f64 (lc->y, lc->mask, lc->x, 0.3, &rng, (gsize) lc->batch * lc->n_in);
      n_y = (gsize) lc->batch * lc->n_in;
    }
  for (gsize i = 0; i < n_y; i++)
    sum += lc->w[i] * lc->y[i];
  return sum;
}

/* |analytic − numeric| ≤ 1e-7·max(1, max|analytic|) over every value of
 * theta (len): L is at most quadratic in each value here except through
 * batch normalisation's 1/σ, so with h = 1e-5 truncation stays near
 * 1e-10 and rounding near 1e-16·|L|/h ≈ 1e-10. */
static void
layer_check (LayerCase    *lc,
             const char   *name,
             double       *theta,
             const double *grad,
             gsize         len)
{
  double scale = 1.0, worst = 0.0;

  for (gsize i = 0; i < len; i++)
    scale = MAX (scale, fabs (grad[i]));
  for (gsize i = 0; i < len; i++)
    {
      const double keep = theta[i], h = 1e-5;
      double lp, lm;

      theta[i] = keep + h;
      lp = layer_loss (lc);
      theta[i] = keep - h;
      lm = layer_loss (lc);
      theta[i] = keep;
      worst = MAX (worst, fabs ((lp - lm) / (2 * h) - grad[i]) / scale);
      g_assert_cmpfloat (fabs ((lp - lm) / (2 * h) - grad[i]), <=, 1e-7 * scale);
    }
  g_test_message ("%s %s: %zu values, worst relative difference %.3g", lc->kind, name, len, worst);
}

static double *
random_doubles (SpkRng *rng,
                gsize   n)
{
  double *v = g_new (double, n);

  for (gsize i = 0; i < n; i++)
    v[i] = spk_rng_uniform (rng) * 2.0 - 1.0;
  return v;
}

static void
test_layer_kernels (void)
{
  const char *kinds[] = { "dense", "conv2d", "conv2d", "avgpool", "batchnorm", "dropout" };
  SpkRng rng;

  spk_rng_init (&rng, 2024);
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      LayerCase lc = { .kind = kinds[k], .batch = 2 };
      g_autoptr (GError) error = NULL;
      gsize n_x, n_W = 0, n_b = 0, n_y;
      g_autofree double *gx = NULL, *gW = NULL, *gb = NULL, *gcols = NULL;

      if (g_str_equal (lc.kind, "dense"))
        {
          lc.n_in = 4, lc.n_out = 5;
          n_x = 2 * 4, n_W = 4 * 5, n_b = 5, n_y = 2 * 5;
        }
      else if (g_str_equal (lc.kind, "conv2d") || g_str_equal (lc.kind, "avgpool"))
        {
          const gboolean conv = g_str_equal (lc.kind, "conv2d");

          /* Conv: 3 × 2 valid stride 1, then 3 × 3 same stride 2; pool: 2 × 2 same stride 2
           * over an odd size, so edge windows are clipped. */
          lc.win = (SpkLayerWindow) { 5, 6, 3, 3, conv && k == 1 ? 2 : 3, conv ? k : 2, !(conv && k == 1) };
          if (!conv)
            lc.win.kh = lc.win.kw = 2, lc.win.w = 5;
          g_assert_true (spk_layer_window_init (&lc.win, "test", &error));
          g_assert_no_error (error);
          lc.n_out = conv ? 4 : lc.win.c;
          n_x = (gsize) 2 * lc.win.h * lc.win.w * lc.win.c;
          n_W = conv ? (gsize) lc.win.kh * lc.win.kw * lc.win.c * lc.n_out : 0;
          n_b = conv ? lc.n_out : 0;
          n_y = (gsize) 2 * lc.win.out_h * lc.win.out_w * lc.n_out;
          lc.scratch = g_new0 (double, (gsize) 2 * lc.win.out_h * lc.win.out_w * lc.win.kh * lc.win.kw * lc.win.c);
          gcols = g_new0 (double, (gsize) 2 * lc.win.out_h * lc.win.out_w * lc.win.kh * lc.win.kw * lc.win.c);
        }
      else
        {
          lc.batch = 6, lc.n_in = 3;
          n_x = 6 * 3, n_y = n_x;
          n_W = n_b = g_str_equal (lc.kind, "batchnorm") ? 3 : 0;
        }
      lc.x = random_doubles (&rng, n_x);
      lc.W = random_doubles (&rng, MAX (n_W, 1));
      lc.b = random_doubles (&rng, MAX (n_b, 1));
      lc.w = random_doubles (&rng, n_y);
      lc.y = g_new0 (double, n_y);
      lc.xhat = g_new0 (double, n_x);
      lc.inv_std = g_new0 (double, 3);
      lc.mm = g_new0 (double, 3);
      lc.mv = g_new0 (double, 3);
      lc.mask = g_new0 (double, n_x);
      if (g_str_equal (lc.kind, "batchnorm"))
        for (gsize i = 0; i < n_x; i++)
          lc.x[i] = lc.x[i] * (1.0 + i % 3) + (double) (i % 3);   /* a mean and spread per channel */
      gx = g_new0 (double, n_x);
      gW = g_new0 (double, MAX (n_W, 1));
      gb = g_new0 (double, MAX (n_b, 1));

      layer_loss (&lc);
      if (g_str_equal (lc.kind, "dense"))
        spk_layer_dense_backward_f64 (gx, gW, gb, lc.w, lc.x, lc.W, lc.batch, lc.n_in, lc.n_out);
      else if (g_str_equal (lc.kind, "conv2d"))
        spk_layer_conv2d_backward_f64 (gx, gW, gb, gcols, lc.w, lc.scratch, lc.W, &lc.win, lc.n_out, lc.batch);
      else if (g_str_equal (lc.kind, "avgpool"))
        spk_layer_avgpool_backward_f64 (gx, lc.w, &lc.win, lc.batch);
      else if (g_str_equal (lc.kind, "batchnorm"))
        spk_layer_batchnorm_backward_f64 (gx, gW, gb, lc.w, lc.xhat, lc.inv_std, lc.W, lc.batch, lc.n_in);
      else
        spk_layer_dropout_backward_f64 (gx, lc.w, lc.mask, n_x);

      layer_check (&lc, "input", lc.x, gx, n_x);
      if (n_W)
        layer_check (&lc, "weights", lc.W, gW, n_W);
      if (n_b)
        layer_check (&lc, "bias", lc.b, gb, n_b);

      if (g_str_equal (lc.kind, "batchnorm"))
        {
          /* Inference reads the moving statistics the training calls left. */
          double y0 = 0.0;

          spk_layer_batchnorm_forward_f64 (lc.y, NULL, NULL, lc.x, lc.W, lc.b, lc.mm, lc.mv, 0.99, 1e-3,
                                           FALSE, lc.batch, lc.n_in);
          y0 = lc.W[0] * (lc.x[0] - lc.mm[0]) / sqrt (lc.mv[0] + 1e-3) + lc.b[0];
          g_assert_cmpfloat_with_epsilon (lc.y[0], y0, 1e-12);
          g_assert_cmpfloat (lc.mm[0], !=, 0.0);
        }
      if (g_str_equal (lc.kind, "dropout"))
        {
          guint zeros = 0;

          for (gsize i = 0; i < n_x; i++)
            {
              g_assert_true (lc.mask[i] == 0.0 || fabs (lc.mask[i] - 1.0 / 0.7) < 1e-12);
              zeros += lc.mask[i] == 0.0;
            }
          g_assert_cmpuint (zeros, >, 0);
          g_assert_cmpuint (zeros, <, n_x);
        }
      g_free (lc.x), g_free (lc.W), g_free (lc.b), g_free (lc.w), g_free (lc.y), g_free (lc.scratch);
      g_free (lc.xhat), g_free (lc.inv_std), g_free (lc.mm), g_free (lc.mv), g_free (lc.mask);
    }
}

/* The float32 kernels compute what the float64 ones do, to float32
 * precision: a "same" conv then a pool, forward and backward.  Values
 * and terms are of order 1, so each result is off by at most about
 * 6e-8 per term summed; the bounds allow 1e-5 per term (the number of
 * terms: 18 per conv output, 27 per input gradient, one per output row
 * for a kernel gradient), far above rounding, far below a wrong index. */
static void
test_layer_kernels_f32 (void)
{
  SpkLayerWindow cw = { 6, 6, 2, 3, 3, 1, TRUE }, pw = { 6, 6, 3, 2, 2, 2, FALSE };
  const guint batch = 2, F = 3;
  gsize n_x, n_c, n_p, n_cols, n_K;
  g_autofree double *x = NULL, *K = NULL, *b = NULL, *c = NULL, *p = NULL, *cols = NULL, *gp = NULL;
  g_autofree double *gc = NULL, *gx = NULL, *gK = NULL, *gcols = NULL;
  g_autofree float *x32 = NULL, *K32 = NULL, *b32 = NULL, *c32 = NULL, *p32 = NULL, *cols32 = NULL;
  g_autofree float *gp32 = NULL, *gc32 = NULL, *gx32 = NULL, *gK32 = NULL, *gcols32 = NULL;
  SpkRng rng;

  g_assert_true (spk_layer_window_init (&cw, "conv", NULL));
  g_assert_true (spk_layer_window_init (&pw, "pool", NULL));
  n_x = (gsize) batch * 6 * 6 * 2;
  n_c = (gsize) batch * cw.out_h * cw.out_w * F;
  n_p = (gsize) batch * pw.out_h * pw.out_w * F;
  n_cols = (gsize) batch * cw.out_h * cw.out_w * 3 * 3 * 2;
  n_K = 3 * 3 * 2 * F;
  spk_rng_init (&rng, 5);
  x = random_doubles (&rng, n_x), K = random_doubles (&rng, n_K), b = random_doubles (&rng, F);
  gp = random_doubles (&rng, n_p);
  c = g_new0 (double, n_c), p = g_new0 (double, n_p), cols = g_new0 (double, n_cols);
  gc = g_new0 (double, n_c), gx = g_new0 (double, n_x), gK = g_new0 (double, n_K), gcols = g_new0 (double, n_cols);
  x32 = g_new (float, n_x), K32 = g_new (float, n_K), b32 = g_new (float, F), gp32 = g_new (float, n_p);
  for (gsize i = 0; i < n_x; i++)
    x32[i] = (float) x[i];
  for (gsize i = 0; i < n_K; i++)
    K32[i] = (float) K[i];
  for (guint i = 0; i < F; i++)
    b32[i] = (float) b[i];
  for (gsize i = 0; i < n_p; i++)
    gp32[i] = (float) gp[i];
  c32 = g_new0 (float, n_c), p32 = g_new0 (float, n_p), cols32 = g_new0 (float, n_cols);
  gc32 = g_new0 (float, n_c), gx32 = g_new0 (float, n_x), gK32 = g_new0 (float, n_K), gcols32 = g_new0 (float, n_cols);

  spk_layer_conv2d_forward_f64 (c, cols, x, K, b, &cw, F, batch);
  spk_layer_avgpool_forward_f64 (p, c, &pw, batch);
  spk_layer_avgpool_backward_f64 (gc, gp, &pw, batch);
  spk_layer_conv2d_backward_f64 (gx, gK, NULL, gcols, gc, cols, K, &cw, F, batch);
  spk_layer_conv2d_forward_f32 (c32, cols32, x32, K32, b32, &cw, F, batch);
  spk_layer_avgpool_forward_f32 (p32, c32, &pw, batch);
  spk_layer_avgpool_backward_f32 (gc32, gp32, &pw, batch);
  spk_layer_conv2d_backward_f32 (gx32, gK32, NULL, gcols32, gc32, cols32, K32, &cw, F, batch);
  for (gsize i = 0; i < n_p; i++)
    g_assert_cmpfloat (fabs (p32[i] - p[i]), <=, 1e-5 * (1.0 + fabs (p[i])) * 3 * 3 * 2);
  for (gsize i = 0; i < n_x; i++)
    g_assert_cmpfloat (fabs (gx32[i] - gx[i]), <=, 1e-5 * 3 * 3 * F);
  for (gsize i = 0; i < n_K; i++)
    g_assert_cmpfloat (fabs (gK32[i] - gK[i]), <=, 1e-5 * n_c);
}

/* Shapes: "same" padding rounds up, "valid" fits, and the bad ones say why. */
static void
test_layer_windows (void)
{
  SpkLayerWindow win = { 28, 28, 1, 3, 3, 2, TRUE };
  g_autoptr (GError) error = NULL;

  g_assert_true (spk_layer_window_init (&win, "layer 'c'", &error));
  g_assert_cmpuint (win.out_h, ==, 14);
  g_assert_cmpuint (win.pad_top, ==, 0);
  win = (SpkLayerWindow) { 28, 28, 1, 3, 3, 1, FALSE };
  g_assert_true (spk_layer_window_init (&win, "layer 'c'", &error));
  g_assert_cmpuint (win.out_w, ==, 26);
  win = (SpkLayerWindow) { 2, 2, 1, 3, 3, 1, FALSE };
  g_assert_false (spk_layer_window_init (&win, "layer 'c'", &error));
  g_assert_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE);
  g_assert_nonnull (strstr (error->message, "layer 'c': a 3 × 3 window does not fit a 2 × 2 input without padding"));
  g_clear_error (&error);
  win = (SpkLayerWindow) { 2, 2, 1, 1, 1, 0, FALSE };
  g_assert_false (spk_layer_window_init (&win, "layer 'c'", &error));
  g_assert_nonnull (strstr (error->message, "layer 'c': the stride must be at least 1"));
  g_clear_error (&error);
  win = (SpkLayerWindow) { 0, 2, 1, 1, 1, 1, FALSE };
  g_assert_false (spk_layer_window_init (&win, "layer 'c'", &error));
  g_assert_nonnull (strstr (error->message, "must not be empty"));
}

/* The vectorised LIFRate of training (eight neurons at a time with
 * libmvec) against the scalar formulas it replaces, over currents below,
 * at, just above and far above threshold, with SoftLIF smoothing (also
 * past its x > 30 branch) and without: float64 agrees to a few ulps,
 * float32 to its rounding. */
static void
test_lif_rate_vector (void)
{
  const double amp = 0.01, tau_rc = 0.02, tau_ref = 0.002;
  const double sigmas[] = { 0.0, 0.02, 1.0 };
  enum { N = 203 };
  double J[N], out[N], deriv[N];
  float Jf[N], outf[N], derivf[N];

  if (spk_cpu_isa () != SPK_ISA_AVX512)
    {
      g_test_skip ("no AVX-512: the scalar loop is the only path");
      return;
    }
  for (guint i = 0; i < N; i++)
    {
      /* −3 … 3 densely, then far above threshold (x > 30 for σ = 0.02). */
      J[i] = i < 150 ? -3.0 + 6.0 * i / 149.0 : 1.0 + pow (10.0, -8.0 + 0.2 * (i - 150));
      Jf[i] = (float) J[i];
    }
  for (guint s = 0; s < G_N_ELEMENTS (sigmas); s++)
    {
      const double sigma = sigmas[s];
      gsize done = _spk_train_lif_rate_f64 (amp, tau_rc, tau_ref, sigma, J, out, deriv, N);
      gsize done_f = _spk_train_lif_rate_f32 (amp, tau_rc, tau_ref, sigma, Jf, outf, derivf, N);

      g_assert_cmpuint (done, ==, N / 8 * 8);
      g_assert_cmpuint (done_f, ==, N / 8 * 8);
      for (guint i = 0; i < done; i++)
        {
          /* rate_forward's scalar loop (spk-train-tmpl.h). */
          const double j = J[i] - 1.0, jf = (double) Jf[i] - 1.0;
          const double r = j > 0.0 ? amp / (tau_ref + tau_rc * log1p (1.0 / j)) : 0.0;
          const double rf = jf > 0.0 ? amp / (tau_ref + tau_rc * log1p (1.0 / jf)) : 0.0;
          double d, df;

          if (sigma > 0.0)
            {
              const double x = j / sigma, xf = jf / sigma;
              const double js = sigma * (x > 30.0 ? x + log1p (exp (-x)) : log1p (exp (x)));
              const double jsf = sigma * (xf > 30.0 ? xf + log1p (exp (-xf)) : log1p (exp (xf)));
              const double rs = amp / (tau_ref + tau_rc * log1p (1.0 / js));
              const double rsf = amp / (tau_ref + tau_rc * log1p (1.0 / jsf));

              d = js > 0.0 ? rs * rs / amp * tau_rc / (js * (js + 1.0)) / (1.0 + exp (-x)) : 0;
              df = jsf > 0.0 ? rsf * rsf / amp * tau_rc / (jsf * (jsf + 1.0)) / (1.0 + exp (-xf)) : 0;
            }
          else
            {
              d = j > 0.0 ? r * r / amp * tau_rc / (j * (j + 1.0)) : 0.0;
              df = jf > 0.0 ? rf * rf / amp * tau_rc / (jf * (jf + 1.0)) : 0.0;
            }
          g_assert_cmpfloat_with_epsilon (out[i], r, 1e-14 * fabs (r) + 1e-300);
          g_assert_cmpfloat_with_epsilon (deriv[i], d, 1e-14 * fabs (d) + 1e-300);
          g_assert_cmpfloat_with_epsilon (outf[i], rf, 2e-7 * fabs (rf) + 1e-30);
          g_assert_cmpfloat_with_epsilon (derivf[i], df, 2e-7 * fabs (df) + 1e-30);
        }
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/train/grad-rich", test_grad_rich);
  g_test_add_func ("/spk/train/grad-one-step", test_grad_one_step);
  g_test_add_func ("/spk/train/grad-layers", test_grad_layers);
  g_test_add_func ("/spk/train/grad-layer-options", test_grad_layer_options);
  g_test_add_func ("/spk/train/grad-layer-strides", test_grad_layer_strides);
  g_test_add_func ("/spk/train/layer-state", test_layer_state);
  g_test_add_func ("/spk/train/layers-forward-match", test_layers_forward_match);
  g_test_add_func ("/spk/train/spiking-classifier", test_spiking_classifier);
  g_test_add_func ("/spk/train/grad-sparse-ce", test_grad_sparse_ce);
  g_test_add_func ("/spk/train/forward-and-writeback", test_forward_and_writeback);
  g_test_add_func ("/spk/train/optimizers", test_optimizers);
  g_test_add_func ("/spk/train/autoencoder-small", test_autoencoder_small);
  g_test_add_func ("/spk/train/temporal", test_temporal);
  g_test_add_func ("/spk/train/cancel-and-session", test_cancel_and_session);
  g_test_add_func ("/spk/train/bad-inputs", test_bad_inputs);
  g_test_add_func ("/spk/train/bad-networks", test_bad_networks);
  g_test_add_func ("/spk/train/trainable", test_trainable);
  g_test_add_func ("/spk/train/layer-kernels", test_layer_kernels);
  g_test_add_func ("/spk/train/layer-kernels-f32", test_layer_kernels_f32);
  g_test_add_func ("/spk/train/layer-windows", test_layer_windows);
  g_test_add_func ("/spk/train/lif-rate-vector", test_lif_rate_vector);
  return g_test_run ();
}
