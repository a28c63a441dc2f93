/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-transform-kernels.c — Sparse, Convolution and ConvolutionTranspose
 * transforms run by operators of their own (the Conv2D layer's kernels,
 * a product with the Sparse entries) rather than the dense matrices they
 * make: the same output as that matrix, no matrix in the plan, and
 * training of the kernel or the entries (gradients against central
 * finite differences in float64, a fit that lowers the loss, the trained
 * values through a plan and a session).
 *
 * Tolerances: the matrix sums each output in another order than the
 * kernels, so float64 outputs agree to 1e-13 of the largest, float32 ones
 * to 1e-5 (a few ulps of sums of up to 72 terms of order 1).
 */
#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "builder/spk-plan.h"
#include "core/spk-error.h"
#include "core/spk-rng.h"
#include "io/spk-model-json.h"
#include "io/spk-session.h"
#include "model/spk-connection.h"
#include "model/spk-transform.h"
#include "sim/spk-simulator.h"
#include "train/spk-train.h"
#include "spk-test-util.h"

/* "[v0, v1, …]": n values of a smooth, sign-changing sequence. */
static char *
values_text (gsize  n,
             double phase)
{
  GString *text = g_string_new ("[");

  for (gsize i = 0; i < n; i++)
    g_string_append_printf (text, "%s%.17g", i ? ", " : "", sin (0.7 * (double) i + phase));
  g_string_append_c (text, ']');
  return g_string_free (text, FALSE);
}

/* stim (n constants) → out (m) through transform, probed, in dtype. */
static char *
model_text (guint       n,
            guint       m,
            const char *transform,
            const char *dtype)
{
  g_autofree char *values = values_text (n, 0.3);

  return g_strdup_printf ("{\"format\": \"spikeworks-model\", \"version\": 6,"
                          " \"network\": {\"seed\": 1, \"dtype\": \"%s\"}, \"objects\": ["
                          "{\"type\": \"node\", \"label\": \"stim\", \"output\": %s},"
                          "{\"type\": \"node\", \"label\": \"out\", \"size_in\": %u},"
                          "{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"stim\", \"post\": \"out\","
                          " \"synapse\": null, \"transform\": %s},"
                          "{\"type\": \"probe\", \"label\": \"y\", \"target\": \"out\"}]}",
                          dtype, values, m, transform);
}

typedef struct
{
  guint       n, m;
  const char *transform;   /* %s: the kernel or entries */
  gsize       n_values;
} Case;

/* Every path of the operators: channels first and last, groups, 1-D,
 * "same" and "valid", strides, a transpose with a given output shape and
 * its smallest one, Sparse entries with a repeated index and a dense
 * init, and unequal strides. */
static const Case cases[] = {
  { 60, 36, "{\"type\": \"Convolution\", \"n_filters\": 4, \"input_shape\": [5, 4, 3], \"kernel_size\": [3, 2],"
    " \"init\": %s}", 3 * 2 * 3 * 4 },
  { 60, 27, "{\"type\": \"Convolution\", \"n_filters\": 3, \"input_shape\": [5, 6, 2], \"kernel_size\": [3, 3],"
    " \"strides\": [2, 2], \"padding\": \"same\", \"init\": %s}", 3 * 3 * 2 * 3 },
  { 80, 120, "{\"type\": \"Convolution\", \"n_filters\": 6, \"input_shape\": [4, 5, 4], \"kernel_size\": [2, 3],"
    " \"channels_last\": false, \"groups\": 2, \"padding\": \"same\", \"init\": %s}", 2 * 3 * 2 * 6 },
  { 48, 48, "{\"type\": \"Convolution\", \"n_filters\": 4, \"input_shape\": [4, 3, 4], \"kernel_size\": [3, 3],"
    " \"groups\": 4, \"padding\": \"same\", \"init\": %s}", 3 * 3 * 1 * 4 },
  { 27, 8, "{\"type\": \"Convolution\", \"n_filters\": 2, \"input_shape\": [9, 3], \"kernel_size\": [3],"
    " \"strides\": [2], \"init\": %s}", 3 * 3 * 2 },
  { 24, 105, "{\"type\": \"ConvolutionTranspose\", \"n_filters\": 3, \"input_shape\": [3, 4, 2],"
    " \"kernel_size\": [3, 3], \"strides\": [2, 2], \"padding\": \"same\", \"output_shape\": [5, 7, 3],"
    " \"init\": %s}", 3 * 3 * 2 * 3 },
  { 18, 108, "{\"type\": \"ConvolutionTranspose\", \"n_filters\": 3, \"input_shape\": [2, 3, 3],"
    " \"kernel_size\": [2, 2], \"strides\": [2, 2], \"channels_last\": false, \"init\": %s}", 2 * 2 * 2 * 3 },
  { 12, 14, "{\"type\": \"ConvolutionTranspose\", \"n_filters\": 2, \"input_shape\": [4, 3], \"kernel_size\": [4],"
    " \"init\": %s}", 4 * 3 * 2 },
  { 6, 5, "{\"type\": \"Sparse\", \"shape\": [5, 6], \"indices\": [[0, 1], [4, 5], [2, 2], [0, 1], [3, 0]],"
    " \"init\": %s}", 5 },
  { 60, 12, "{\"type\": \"Convolution\", \"n_filters\": 2, \"input_shape\": [5, 4, 3], \"kernel_size\": [2, 2],"
    " \"strides\": [2, 1], \"init\": %s}", 2 * 2 * 3 * 2 },
};

static char *
case_text (const Case *c,
           const char *dtype)
{
  g_autofree char *kernel = values_text (c->n_values, 1.1);
  g_autofree char *transform = g_strdup_printf (c->transform, kernel);

  return model_text (c->n, c->m, transform, dtype);
}

/* The matrix the transform makes (spk_transform_weights) times stim. */
static double *
dense_output (SpkNetwork *net,
              guint       n,
              guint       m)
{
  SpkConnection *conn = SPK_CONNECTION (spk_network_lookup (net, "c"));
  const SpkDistribution *t = spk_connection_get_transform (conn);
  g_autofree double *dense = g_new0 (double, (gsize) m * n);
  g_autofree double *values = g_new0 (double, MAX (spk_transform_n_values (t), 1));
  g_autofree double *stim = g_new (double, n);
  double *y = g_new0 (double, m);
  g_autoptr (GError) error = NULL;
  SpkRng rng;

  spk_rng_init (&rng, 1);
  g_assert_true (spk_transform_weights (t, &rng, dense, values, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    stim[i] = sin (0.7 * i + 0.3);
  for (guint r = 0; r < m; r++)
    for (guint i = 0; i < n; i++)
      y[r] += dense[(gsize) r * n + i] * stim[i];
  return y;
}

/* The values of the plan's parameter arena: the sum of its slots. */
static gsize
plan_param_values (SpkPlan *plan)
{
  gsize n = 0;

  for (guint i = 0; i < spk_plan_get_n_param_slots (plan); i++)
    n += spk_plan_param_slot_len (spk_plan_get_param_slot (plan, i));
  return n;
}

static void
test_equals_matrix (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint d = 0; d < 2; d++)
      {
        g_autofree char *text = case_text (&cases[i], d ? "float32" : "float64");
        g_autoptr (GError) error = NULL;
        g_autoptr (SpkNetwork) net = spk_model_load_data (text, -1, &error);
        g_autoptr (SpkPlan) plan = NULL;
        g_autofree double *got = NULL, *want = NULL;
        double scale = 0.0, worst = 0.0;
        guint size;

        g_assert_no_error (error);
        got = tu_run_probe (net, "y", 1, &size);
        g_assert_cmpuint (size, ==, cases[i].m);
        want = dense_output (net, cases[i].n, cases[i].m);
        for (guint r = 0; r < size; r++)
          scale = MAX (scale, fabs (want[r]));
        g_assert_cmpfloat (scale, >, 1e-3);
        for (guint r = 0; r < size; r++)
          worst = MAX (worst, fabs (got[r] - want[r]) / scale);
        g_test_message ("case %u %s: worst relative difference %.3g", i, d ? "float32" : "float64", worst);
        g_assert_cmpfloat (worst, <=, d ? 1e-5 : 1e-13);
        /* The plan holds the kernel or the entries, not the matrix. */
        plan = spk_build (net, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (plan_param_values (plan), ==, cases[i].n_values);
      }
}

/* A 28 × 28 × 32 convolution (3 × 3, 32 filters, "same"): its matrix
 * would be 25,088² doubles (5 GB); the plan holds the 9,216 kernel
 * values, and a step runs. */
static void
test_large_convolution (void)
{
  const char *transform = "{\"type\": \"Convolution\", \"n_filters\": 32, \"input_shape\": [28, 28, 32],"
                          " \"padding\": \"same\", \"init\": {\"type\": \"Uniform\", \"low\": -0.1, \"high\": 0.1}}";
  g_autofree char *text = model_text (28 * 28 * 32, 28 * 28 * 32, transform, "float32");
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_model_load_data (text, -1, &error);
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSimulator) sim = NULL;

  g_assert_no_error (error);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (plan_param_values (plan), ==, 3 * 3 * 32 * 32);
  sim = spk_simulator_new (plan, 1, &error);
  g_assert_no_error (error);
  g_assert_true (spk_simulator_run_steps (sim, 2, &error));
  g_assert_no_error (error);
}

/* u (a 4 × 4 × 2 image) → Convolution (same) → mid → ConvolutionTranspose
 * → out1; mid, read channels first → Convolution (2 groups) → Tanh
 * neurons (through a synapse) → Sparse → out2.  Every kernel and entry
 * trains, and the adjoint passes back through each transform. */
static SpkNetwork *
training_network (const char *dtype)
{
  g_autofree char *k1 = values_text (72, 0.1), *k2 = values_text (72, 0.2), *k3 = values_text (16, 0.3);
  g_autofree char *k4 = values_text (6, 0.4);
  g_autofree char *text = NULL;
  GString *u = g_string_new ("[");
  g_autoptr (GError) error = NULL;
  SpkNetwork *net;

  for (guint i = 0; i < 32; i++)
    g_string_append_printf (u, "%s0", i ? ", " : "");
  g_string_append_c (u, ']');
  text = g_strdup_printf (
    "{\"format\": \"spikeworks-model\", \"version\": 6, \"network\": {\"seed\": 3, \"dtype\": \"%s\"}, \"objects\": ["
    "{\"type\": \"node\", \"label\": \"u\", \"output\": %s},"
    "{\"type\": \"node\", \"label\": \"mid\", \"size_in\": 64},"
    "{\"type\": \"node\", \"label\": \"out1\", \"size_in\": 98},"
    "{\"type\": \"node\", \"label\": \"out2\", \"size_in\": 5},"
    "{\"type\": \"ensemble\", \"label\": \"a\", \"n_neurons\": 18, \"dimensions\": 1, \"neuron_type\": \"Tanh\","
    " \"gain\": %s, \"bias\": %s},"
    "{\"type\": \"connection\", \"label\": \"c1\", \"pre\": \"u\", \"post\": \"mid\", \"synapse\": null,"
    " \"transform\": {\"type\": \"Convolution\", \"n_filters\": 4, \"input_shape\": [4, 4, 2], \"padding\": \"same\","
    " \"init\": %s}},"
    "{\"type\": \"connection\", \"label\": \"c2\", \"pre\": \"mid\", \"post\": \"out1\", \"synapse\": null,"
    " \"transform\": {\"type\": \"ConvolutionTranspose\", \"n_filters\": 2, \"input_shape\": [4, 4, 4],"
    " \"strides\": [2, 2], \"padding\": \"same\", \"init\": %s}},"
    "{\"type\": \"connection\", \"label\": \"c3\", \"pre\": \"mid\", \"post\": \"a.neurons\", \"synapse\": 0.01,"
    " \"transform\": {\"type\": \"Convolution\", \"n_filters\": 2, \"input_shape\": [4, 4, 4], \"kernel_size\": [2, 2],"
    " \"channels_last\": false, \"groups\": 2, \"init\": %s}},"
    "{\"type\": \"connection\", \"label\": \"c4\", \"pre\": \"a.neurons\", \"post\": \"out2\", \"synapse\": null,"
    " \"transform\": {\"type\": \"Sparse\", \"shape\": [5, 18], \"indices\": [[0, 1], [4, 17], [2, 2], [0, 1],"
    " [3, 9], [1, 0]], \"init\": %s}},"
    "{\"type\": \"probe\", \"label\": \"p1\", \"target\": \"out1\"},"
    "{\"type\": \"probe\", \"label\": \"p2\", \"target\": \"out2\"}]}",
    dtype, u->str, "[1, 1.2, 0.8, 1, 1.1, 0.9, 1, 1.3, 0.7, 1, 1, 1, 1.2, 0.8, 1, 1, 1, 1]",
    "[0, 0.1, -0.1, 0, 0.2, -0.2, 0, 0.1, 0, 0, 0, 0.1, 0, -0.1, 0, 0.3, 0, 0]", k1, k2, k3, k4);
  g_string_free (u, TRUE);
  net = spk_model_load_data (text, -1, &error);
  g_assert_no_error (error);
  return net;
}

static GBytes *
random_floats (gsize   count,
               guint64 seed)
{
  float *v = g_new (float, count);
  SpkRng rng;

  spk_rng_init (&rng, seed);
  for (gsize i = 0; i < count; i++)
    v[i] = (float) spk_rng_uniform_range (&rng, -1.0, 1.0);
  return g_bytes_new_take (v, count * sizeof (float));
}

static void
training_data (guint        n,
               guint        steps,
               SpkDataset **x,
               SpkDataset **y)
{
  g_autoptr (GBytes) in = random_floats ((gsize) n * steps * 32, 41);
  g_autoptr (GBytes) t1 = random_floats ((gsize) n * steps * 98, 42);
  g_autoptr (GBytes) t2 = random_floats ((gsize) n * steps * 5, 43);
  g_autoptr (GError) error = NULL;

  *x = spk_dataset_new (n, steps);
  *y = spk_dataset_new (n, steps);
  g_assert_true (spk_dataset_add (*x, "u", in, steps, 32, &error));
  g_assert_true (spk_dataset_add (*y, "p1", t1, steps, 98, &error));
  g_assert_true (spk_dataset_add (*y, "p2", t2, steps, 5, &error));
  g_assert_no_error (error);
}

static void
test_gradients (void)
{
  g_autoptr (SpkNetwork) net = training_network ("float64");
  g_autoptr (SpkTrainer) trainer = NULL;
  g_autoptr (SpkDataset) x = NULL, y = NULL;
  g_autoptr (GError) error = NULL;

  trainer = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT64, &error);
  g_assert_no_error (error);
  /* The kernels (72 + 72 + 16), the Sparse entries (6), the neurons'
   * biases and encoders (18 + 18). */
  g_assert_cmpuint (spk_trainer_get_n_trainable (trainer), ==, 72 + 72 + 16 + 6 + 18 + 18);
  training_data (3, 3, &x, &y);
  tu_check_gradient (trainer, x, y, 2, 1e-6);
}

/* Float32 training computes the float64 gradient to float32's precision. */
static void
test_gradients_f32 (void)
{
  g_autoptr (SpkNetwork) net = training_network ("float32");
  g_autoptr (SpkTrainer) t32 = NULL, t64 = NULL;
  g_autoptr (SpkDataset) x = NULL, y = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree double *g32 = NULL, *g64 = NULL;
  double l32, l64, scale = 0.0;
  gsize n;

  t32 = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT32, &error);
  g_assert_no_error (error);
  t64 = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT64, &error);
  g_assert_no_error (error);
  n = spk_trainer_get_n_trainable (t32);
  g_assert_cmpuint (n, ==, spk_trainer_get_n_trainable (t64));
  training_data (3, 3, &x, &y);
  g32 = g_new (double, n);
  g64 = g_new (double, n);
  g_assert_true (spk_trainer_loss_and_grad (t32, x, y, &l32, g32, &error));
  g_assert_true (spk_trainer_loss_and_grad (t64, x, y, &l64, g64, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (fabs (l32 - l64), <=, 1e-5 * l64);
  for (gsize i = 0; i < n; i++)
    scale = MAX (scale, fabs (g64[i]));
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (fabs (g32[i] - g64[i]), <=, 1e-4 * scale);
}

/* A fit lowers the loss; the trained kernels and entries, built into a
 * plan and saved in a session, give the output the trainer computes;
 * the Sparse transform keeps its pattern (its entries only change). */
static void
test_fit (void)
{
  g_autoptr (SpkNetwork) net = training_network ("float64");
  g_autoptr (SpkTrainer) trainer = NULL;
  g_autoptr (SpkDataset) x = NULL, y = NULL;
  g_autoptr (SpkPlan) trained = NULL;
  g_autoptr (SpkSession) session = NULL, back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("spk-transform-kernels-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "trained.spkw", NULL);
  SpkFitOptions options;
  SpkOptimizer opt;
  const double *hist;
  double before, after;

  trainer = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT64, &error);
  g_assert_no_error (error);
  training_data (16, 3, &x, &y);
  g_assert_true (spk_trainer_evaluate (trainer, x, y, 16, &before, &error));
  spk_optimizer_init (&opt, SPK_OPTIMIZER_ADAM);
  opt.learning_rate = 0.01;
  spk_trainer_set_optimizer (trainer, &opt);
  spk_fit_options_init (&options);
  options.epochs = 20;
  options.batch_size = 8;
  g_assert_true (spk_trainer_fit (trainer, x, y, &options, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (spk_trainer_get_history (trainer, &hist, NULL), ==, 20);
  g_assert_true (spk_trainer_evaluate (trainer, x, y, 16, &after, &error));
  g_test_message ("loss %g → %g", before, after);
  g_assert_cmpfloat (after, <, 0.8 * before);

  /* The trained values as a plan, and through a session. */
  trained = spk_trainer_build_plan (trainer, &error);
  g_assert_no_error (error);
  session = spk_session_new (net);
  g_assert_true (spk_trainer_save_to_session (trainer, session, &error));
  g_assert_true (spk_session_save (session, path, &error));
  g_assert_no_error (error);
  back = spk_session_load (path, &error);
  g_assert_no_error (error);
  {
    SpkPlan *plans[] = { trained, spk_session_get_plan (back) };
    g_autofree double *first = NULL;

    for (guint p = 0; p < 2; p++)
      {
        g_autoptr (SpkTrainer) again = spk_trainer_new (p ? spk_session_get_network (back) : net, plans[p],
                                                        SPK_DTYPE_FLOAT64, &error);
        double loss;

        g_assert_no_error (error);
        g_assert_nonnull (plans[p]);
        g_assert_true (spk_trainer_evaluate (again, x, y, 16, &loss, &error));
        g_assert_no_error (error);
        g_test_message ("plan %u: loss %g", p, loss);
        g_assert_cmpfloat (fabs (loss - after), <=, 1e-12 * after);
      }
  }
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/spk/transform-kernels/equals-matrix", test_equals_matrix);
  g_test_add_func ("/spk/transform-kernels/large-convolution", test_large_convolution);
  g_test_add_func ("/spk/transform-kernels/gradients", test_gradients);
  g_test_add_func ("/spk/transform-kernels/gradients-f32", test_gradients_f32);
  g_test_add_func ("/spk/transform-kernels/fit", test_fit);
  return g_test_run ();
}
