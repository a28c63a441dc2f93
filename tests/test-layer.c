/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-layer.c — Layers (NengoDL's TensorNodes) in a network: each layer
 * type built and run by the simulator against a naive evaluation of its
 * Keras definition written out here (tolerance 1e-12 in float64), the
 * model file round trip, and every bad layer refused with a message
 * naming it. */
#include <math.h>
#include <string.h>

#include "core/spk-error.h"
#include "core/spk-rng.h"
#include "io/spk-model-json.h"
#include "model/spk-layer.h"
#include "spk-test-util.h"

#define TOL 1e-12

static double *
random_values (gsize   n,
               guint64 seed)
{
  double *v = g_new (double, n);
  SpkRng rng;

  spk_rng_init (&rng, seed);
  for (gsize i = 0; i < n; i++)
    v[i] = spk_rng_uniform_range (&rng, -1.0, 1.0);
  return v;
}

/* u (a constant image) → layer → probe "p" (no synapses): the probe's
 * value at step 1. */
static double *
run_layer (SpkNetwork *net,
           guint      *size)
{
  return tu_run_probe (net, "p", 1, size);
}

static SpkArray *
param (SpkNetwork *net,
       const char *key)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = spk_build (net, &error);

  g_assert_no_error (error);
  return spk_plan_dup_param (plan, key);
}

static void
assert_close (const double *a,
              const double *b,
              gsize         n)
{
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (a[i], b[i], TOL);
}

static void
test_conv2d (void)
{
  const guint H = 5, W = 6, C = 2, F = 4, K = 3, S = 2;
  g_autoptr (SpkNetwork) net = tu_network (5, SPK_DTYPE_FLOAT64);
  g_autofree double *x = random_values (H * W * C, 1);
  SpkNode *u = tu_node_const (net, "u", x, H * W * C);
  SpkLayer *conv = tu_layer (net, "conv", SPK_LAYER_CONV2D, H, W, C);
  g_autoptr (SpkArray) kernel = NULL, bias = NULL;
  g_autofree double *y = NULL, *want = NULL;
  guint size, oh = (H + S - 1) / S, ow = (W + S - 1) / S;
  /* "same": total padding (out − 1)·S + K − in, the smaller half on top. */
  guint pt = ((oh - 1) * S + K - H) / 2, pl = ((ow - 1) * S + K - W) / 2;

  g_object_set (conv, "filters", F, "kernel-size", K, "strides", S, "padding", SPK_PADDING_SAME, NULL);
  tu_connect (net, u, FALSE, conv, FALSE, -1);
  tu_probe (net, "p", conv, FALSE, "output", -1);
  y = run_layer (net, &size);
  g_assert_cmpuint (size, ==, oh * ow * F);
  {
    g_autofree char *text = spk_layer_describe (conv);

    g_assert_cmpstr (text, ==, "Conv2D 3×3, 4 filters, strides 2: 5×6×2 → 3×3×4");
  }

  kernel = param (net, "conv/weights");
  bias = param (net, "conv/bias");
  g_assert_cmpuint (kernel->size, ==, K * K * C * F);
  /* Glorot uniform: |w| ≤ √(6 / (fan_in + fan_out)). */
  for (gsize i = 0; i < kernel->size; i++)
    g_assert_cmpfloat (fabs (kernel->data[i]), <=, sqrt (6.0 / (K * K * C + K * K * F)));
  want = g_new0 (double, size);
  for (guint i = 0; i < oh; i++)
    for (guint j = 0; j < ow; j++)
      for (guint f = 0; f < F; f++)
        {
          double sum = bias->data[f];

          for (guint a = 0; a < K; a++)
            for (guint b = 0; b < K; b++)
              for (guint c = 0; c < C; c++)
                {
                  int r = (int) (i * S + a) - (int) pt, q = (int) (j * S + b) - (int) pl;

                  if (r >= 0 && r < (int) H && q >= 0 && q < (int) W)
                    sum += x[((gsize) r * W + q) * C + c] * kernel->data[((a * K + b) * C + c) * F + f];
                }
          want[(i * ow + j) * F + f] = sum;
        }
  assert_close (y, want, size);
}

static void
test_dense_pool_norm_dropout (void)
{
  g_autoptr (SpkNetwork) net = tu_network (6, SPK_DTYPE_FLOAT64);
  g_autofree double *x = random_values (4 * 4 * 3, 2);
  SpkNode *u = tu_node_const (net, "u", x, 48);
  SpkLayer *pool = tu_layer (net, "pool", SPK_LAYER_AVERAGE_POOLING2D, 4, 4, 3);
  SpkLayer *norm = tu_layer (net, "norm", SPK_LAYER_BATCH_NORMALIZATION, 2, 2, 3);
  SpkLayer *drop = tu_layer (net, "drop", SPK_LAYER_DROPOUT, 12, 0, 0);
  SpkLayer *dense = tu_layer (net, "dense", SPK_LAYER_DENSE, 12, 0, 0);
  g_autoptr (GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) spk_array_unref);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkArray) W = NULL, b = NULL;
  g_autofree double *y = NULL;
  double pooled[12], normed[12], want[5];
  const double mean[3] = { 0.1, -0.2, 0.3 }, var[3] = { 0.5, 2.0, 1.5 };
  const double gamma[3] = { 1.5, 0.5, -1.0 }, beta[3] = { 0.0, 0.25, -0.5 };
  SpkSimulator *sim;

  g_object_set (pool, "kernel-size", 2, "strides", 2, NULL);
  g_object_set (drop, "rate", 0.5, NULL);
  g_object_set (dense, "units", 5, NULL);
  tu_connect (net, u, FALSE, pool, FALSE, -1);
  tu_connect (net, pool, FALSE, norm, FALSE, -1);
  tu_connect (net, norm, FALSE, drop, FALSE, -1);
  tu_connect (net, drop, FALSE, dense, FALSE, -1);
  tu_probe (net, "p", dense, FALSE, "output", -1);

  /* Moving statistics as a trained session would bring them. */
  g_hash_table_insert (params, "norm/moving_mean", spk_array_new_vector (mean, 3));
  g_hash_table_insert (params, "norm/moving_var", spk_array_new_vector (var, 3));
  g_hash_table_insert (params, "norm/gamma", spk_array_new_vector (gamma, 3));
  g_hash_table_insert (params, "norm/beta", spk_array_new_vector (beta, 3));
  plan = spk_build_with_params (net, params, &error);
  g_assert_no_error (error);
  W = spk_plan_dup_param (plan, "dense/weights");
  b = spk_plan_dup_param (plan, "dense/bias");
  g_assert_cmpuint (W->shape[0], ==, 12);
  g_assert_cmpuint (W->shape[1], ==, 5);
  sim = spk_simulator_new (plan, 1, &error);
  g_assert_no_error (error);
  g_assert_true (spk_simulator_step (sim, &error));
  y = g_new (double, 5);
  spk_simulator_get_probe_sample (sim, 0, 0, y, NULL);

  for (guint i = 0; i < 2; i++)
    for (guint j = 0; j < 2; j++)
      for (guint c = 0; c < 3; c++)
        {
          double s = 0.0;

          for (guint a = 0; a < 2; a++)
            for (guint q = 0; q < 2; q++)
              s += x[((2 * i + a) * 4 + 2 * j + q) * 3 + c];
          pooled[(i * 2 + j) * 3 + c] = s / 4.0;
        }
  /* Inference: the moving statistics; dropout is the identity. */
  for (guint k = 0; k < 12; k++)
    normed[k] = gamma[k % 3] * (pooled[k] - mean[k % 3]) / sqrt (var[k % 3] + 1e-3) + beta[k % 3];
  for (guint o = 0; o < 5; o++)
    {
      want[o] = b->data[o];
      for (guint k = 0; k < 12; k++)
        want[o] += normed[k] * W->data[k * 5 + o];
    }
  assert_close (y, want, 5);
  spk_simulator_free (sim);
}

static void
test_expression (void)
{
  g_autoptr (SpkNetwork) net = tu_network (7, SPK_DTYPE_FLOAT64);
  double x[3] = { -1.0, 0.5, 2.0 };
  SpkNode *u = tu_node_const (net, "u", x, 3);
  SpkLayer *relu = tu_layer (net, "relu", SPK_LAYER_EXPRESSION, 3, 0, 0);
  g_autofree double *y = NULL;
  guint size;

  g_object_set (relu, "expression", "max(x, 0) * 2", NULL);
  tu_connect (net, u, FALSE, relu, FALSE, -1);
  tu_probe (net, "p", relu, FALSE, "output", -1);
  y = run_layer (net, &size);
  g_assert_cmpuint (size, ==, 3);
  g_assert_cmpfloat (y[0], ==, 0.0);
  g_assert_cmpfloat (y[1], ==, 1.0);
  g_assert_cmpfloat (y[2], ==, 4.0);
}

/* Written and read back, a layer keeps every property and builds the
 * same parameters. */
static void
test_json_round_trip (void)
{
  g_autoptr (SpkNetwork) net = tu_network (8, SPK_DTYPE_FLOAT32);
  double zeros[16] = { 0 };
  SpkNode *u = tu_node_const (net, "u", zeros, 16);
  SpkLayer *conv = tu_layer (net, "conv", SPK_LAYER_CONV2D, 4, 4, 1);
  g_autoptr (SpkNetwork) back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL, *again = NULL;
  g_autoptr (SpkArray) a = NULL, b = NULL;
  SpkLayer *read;

  g_object_set (conv, "filters", 2, "kernel-size", 2, "strides", 2, "padding", SPK_PADDING_SAME,
                "use-bias", FALSE, "trainable", FALSE, "activation", SPK_ACTIVATION_SOFTMAX,
                "kernel-width", 3, NULL);
  tu_connect (net, u, FALSE, conv, FALSE, -1);
  text = spk_model_to_data (net, NULL);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (text, "\"layer\""));
  back = spk_model_load_data (text, -1, &error);
  g_assert_no_error (error);
  again = spk_model_to_data (back, NULL);
  g_assert_cmpstr (text, ==, again);
  read = SPK_LAYER (spk_network_lookup (back, "conv"));
  g_assert_cmpint (spk_layer_get_layer_type (read), ==, SPK_LAYER_CONV2D);
  g_assert_cmpuint (spk_layer_get_filters (read), ==, 2);
  g_assert_cmpint (spk_layer_get_padding (read), ==, SPK_PADDING_SAME);
  g_assert_false (spk_layer_get_use_bias (read));
  g_assert_false (spk_object_get_trainable (SPK_OBJECT (read)));
  /* Keras's options: activation= and a kernel of its own width. */
  g_assert_nonnull (strstr (text, "\"activation\": \"softmax\""));
  g_assert_nonnull (strstr (text, "\"kernel_width\": 3"));
  g_assert_cmpint (spk_layer_get_activation (read), ==, SPK_ACTIVATION_SOFTMAX);
  g_assert_cmpuint (spk_layer_get_kernel_width (read), ==, 3);
  a = param (net, "conv/weights");
  b = param (back, "conv/weights");
  g_assert_true (spk_array_equal (a, b));
}

static void
expect_build_error (SpkNetwork *net,
                    const char *message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = spk_build (net, &error);

  g_assert_null (plan);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, message));
}

static SpkLayer *
lone_layer (SpkNetwork  **net,
            SpkLayerType  type)
{
  SpkLayer *layer = spk_layer_new (type);
  g_autoptr (GError) error = NULL;

  *net = tu_network (1, SPK_DTYPE_FLOAT64);
  spk_object_set_label (SPK_OBJECT (layer), "bad");
  spk_network_add (*net, SPK_OBJECT (layer), &error);
  g_assert_no_error (error);
  g_object_unref (layer);
  return layer;
}

static void
test_bad_layers (void)
{
  SpkNetwork *net;
  SpkLayer *layer;
  g_autoptr (SpkArray) shape = spk_array_new (1, 2, 1);

  layer = lone_layer (&net, SPK_LAYER_DENSE);
  expect_build_error (net, "layer 'bad': set shape-in");
  g_object_unref (net);

  layer = lone_layer (&net, SPK_LAYER_CONV2D);
  spk_layer_set_shape (layer, 28, 0, 0);
  expect_build_error (net, "layer 'bad': shape-in must be an image's height, width and channels (3 values), not 1 values");
  g_object_unref (net);

  layer = lone_layer (&net, SPK_LAYER_DENSE);
  shape->data[0] = 2.5;
  shape->data[1] = 3;
  g_object_set (layer, "shape-in", shape, NULL);
  expect_build_error (net, "layer 'bad': shape-in must be N or H, W, C (1 or 3 values), not 2 values");
  g_object_unref (net);

  layer = lone_layer (&net, SPK_LAYER_DENSE);
  spk_layer_set_shape (layer, 2, 3, 0);   /* c = 0: a flat 2 */
  g_object_set (layer, "units", 2, NULL);
  g_assert_cmpuint (spk_layer_get_shape_in (layer)->size, ==, 1);
  g_object_unref (net);

  layer = lone_layer (&net, SPK_LAYER_DENSE);
  {
    g_autoptr (SpkArray) frac = spk_array_new (1, 1, 1);

    frac->data[0] = 2.5;
    g_object_set (layer, "shape-in", frac, NULL);
  }
  expect_build_error (net, "layer 'bad': shape-in must hold whole numbers of at least 1, not 2.5");
  g_object_unref (net);

  layer = lone_layer (&net, SPK_LAYER_CONV2D);
  spk_layer_set_shape (layer, 2, 2, 1);
  g_object_set (layer, "kernel-size", 3, NULL);
  expect_build_error (net, "layer 'bad'");
  g_object_unref (net);

  layer = lone_layer (&net, SPK_LAYER_BATCH_NORMALIZATION);
  spk_layer_set_shape (layer, 6, 0, 0);
  g_object_set (layer, "axis", 2, NULL);
  expect_build_error (net, "layer 'bad': axis 2 is not one of its input's axes (1 to 1 after the batch axis 0, "
                      "or −1 to −1 from the last)");
  g_object_unref (net);

  /* Keras has activation= on Dense and Conv2D only. */
  layer = lone_layer (&net, SPK_LAYER_AVERAGE_POOLING2D);
  spk_layer_set_shape (layer, 4, 4, 1);
  g_object_set (layer, "kernel-size", 2, "activation", SPK_ACTIVATION_RELU, NULL);
  expect_build_error (net, "layer 'bad': only Dense and Conv2D layers have an activation (Keras's); "
                      "follow it with an expression layer instead");
  g_object_unref (net);
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (SpkNetwork) read = spk_model_load_data (
      "{\"format\": \"spikeworks-model\", \"version\": 6, \"objects\": [{\"type\": \"layer\", \"label\": \"bad\", "
      "\"shape_in\": [2], \"activation\": \"elu\"}]}", -1, &error);

    g_assert_null (read);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "elu"));
    g_assert_nonnull (strstr (error->message, "softmax"));
  }

  layer = lone_layer (&net, SPK_LAYER_EXPRESSION);
  spk_layer_set_shape (layer, 2, 0, 0);
  g_object_set (layer, "expression", "x[5]", NULL);
  expect_build_error (net, "layer 'bad': ");
  g_object_unref (net);

  /* A saved kernel of the wrong shape names the parameter. */
  {
    g_autoptr (GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                           (GDestroyNotify) spk_array_unref);
    g_autoptr (GError) error = NULL;
    g_autoptr (SpkPlan) plan = NULL;

    layer = lone_layer (&net, SPK_LAYER_DENSE);
    spk_layer_set_shape (layer, 4, 0, 0);
    g_object_set (layer, "units", 3, NULL);
    g_hash_table_insert (params, "bad/weights", spk_array_new (2, 3, 3));
    plan = spk_build_with_params (net, params, &error);
    g_assert_null (plan);
    g_assert_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE);
    g_assert_nonnull (strstr (error->message, "parameter 'bad/weights' has 9 values but 4 × 3 are needed"));
    g_object_unref (net);
  }
}

/* Keras's output size and leading padding along one axis. */
static void
axis_window (guint     in,
             guint     k,
             guint     stride,
             gboolean  same,
             guint    *out,
             guint    *pad)
{
  *out = same ? (in + stride - 1) / stride : (in - k) / stride + 1;
  /* "same": total padding (out − 1)·stride + k − in, the smaller half first. */
  *pad = same && (*out - 1) * stride + k > in ? ((*out - 1) * stride + k - in) / 2 : 0;
}

/* Strides that differ by axis, (2, 1) and (1, 3), with "valid" and
 * "same" padding: a Conv2D with a 3 × 2 kernel and an AveragePooling2D
 * (2 × 2, padding cells not counted) built and run by the simulator,
 * against direct loops over Keras's definitions. */
static void
test_strides_per_axis (void)
{
  static const guint strides[][2] = { { 2, 1 }, { 1, 3 } };
  const guint H = 7, W = 8, C = 2, F = 3, KH = 3, KW = 2;
  g_autofree double *x = random_values (H * W * C, 11);

  for (guint k = 0; k < G_N_ELEMENTS (strides); k++)
    for (int same = 0; same <= 1; same++)
      {
        const guint sh = strides[k][0], sw = strides[k][1];
        g_autoptr (SpkNetwork) net = tu_network (5, SPK_DTYPE_FLOAT64);
        SpkNode *u = tu_node_const (net, "u", x, H * W * C);
        SpkLayer *conv = tu_layer (net, "conv", SPK_LAYER_CONV2D, H, W, C);
        SpkLayer *pool = tu_layer (net, "pool", SPK_LAYER_AVERAGE_POOLING2D, H, W, C);
        g_autoptr (SpkArray) kernel = NULL, bias = NULL;
        g_autofree double *y = NULL, *want = NULL, *pooled = NULL, *pool_want = NULL;
        guint size, oh, ow, pt, pl, poh, pow_, ppt, ppl;

        g_test_message ("strides %u × %u, %s", sh, sw, same ? "same" : "valid");
        g_object_set (conv, "filters", F, "kernel-size", KH, "kernel-width", KW,
                      "padding", same ? SPK_PADDING_SAME : SPK_PADDING_VALID, NULL);
        spk_layer_set_strides_hw (conv, sh, sw);
        g_object_set (pool, "kernel-size", 2, "padding", same ? SPK_PADDING_SAME : SPK_PADDING_VALID, NULL);
        spk_layer_set_strides_hw (pool, sh, sw);
        g_assert_cmpuint (spk_layer_get_strides (conv), ==, sh);
        g_assert_cmpuint (spk_layer_get_strides_w (conv), ==, sw);
        tu_connect (net, u, FALSE, conv, FALSE, -1);
        tu_connect (net, u, FALSE, pool, FALSE, -1);
        tu_probe (net, "p", conv, FALSE, "output", -1);
        tu_probe (net, "q", pool, FALSE, "output", -1);
        axis_window (H, KH, sh, same, &oh, &pt);
        axis_window (W, KW, sw, same, &ow, &pl);
        axis_window (H, 2, sh, same, &poh, &ppt);
        axis_window (W, 2, sw, same, &pow_, &ppl);

        y = run_layer (net, &size);
        g_assert_cmpuint (size, ==, oh * ow * F);
        kernel = param (net, "conv/weights");
        bias = param (net, "conv/bias");
        g_assert_cmpuint (kernel->size, ==, KH * KW * C * F);
        want = g_new0 (double, size);
        for (guint i = 0; i < oh; i++)
          for (guint j = 0; j < ow; j++)
            for (guint f = 0; f < F; f++)
              {
                double sum = bias->data[f];

                for (guint a = 0; a < KH; a++)
                  for (guint b = 0; b < KW; b++)
                    for (guint c = 0; c < C; c++)
                      {
                        int r = (int) (i * sh + a) - (int) pt, q = (int) (j * sw + b) - (int) pl;

                        if (r >= 0 && r < (int) H && q >= 0 && q < (int) W)
                          sum += x[((gsize) r * W + q) * C + c] * kernel->data[((a * KW + b) * C + c) * F + f];
                      }
                want[(i * ow + j) * F + f] = sum;
              }
        assert_close (y, want, size);

        pooled = tu_run_probe (net, "q", 1, &size);
        g_assert_cmpuint (size, ==, poh * pow_ * C);
        pool_want = g_new0 (double, size);
        for (guint i = 0; i < poh; i++)
          for (guint j = 0; j < pow_; j++)
            for (guint c = 0; c < C; c++)
              {
                double sum = 0.0;
                guint n = 0;

                for (guint a = 0; a < 2; a++)
                  for (guint b = 0; b < 2; b++)
                    {
                      int r = (int) (i * sh + a) - (int) ppt, q = (int) (j * sw + b) - (int) ppl;

                      if (r >= 0 && r < (int) H && q >= 0 && q < (int) W)
                        {
                          sum += x[((gsize) r * W + q) * C + c];
                          n++;
                        }
                    }
                pool_want[(i * pow_ + j) * C + c] = sum / n;
              }
        assert_close (pooled, pool_want, size);
      }
}

/* A layer's strides in the model file: one number when they agree, the
 * pair [rows, columns] when they differ, both read back; a pair of equal
 * steps reads as the one number. */
static void
test_strides_json (void)
{
  g_autoptr (SpkNetwork) net = tu_network (8, SPK_DTYPE_FLOAT64);
  double zeros[7 * 8] = { 0 };
  SpkNode *u = tu_node_const (net, "u", zeros, 7 * 8);
  SpkLayer *conv = tu_layer (net, "conv", SPK_LAYER_CONV2D, 7, 8, 1);
  SpkLayer *pool = tu_layer (net, "pool", SPK_LAYER_AVERAGE_POOLING2D, 7, 8, 1);
  SpkLayer *plain = tu_layer (net, "plain", SPK_LAYER_CONV2D, 7, 8, 1);
  g_autoptr (SpkNetwork) back = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL, *description = NULL;
  SpkLayer *read;

  spk_layer_set_strides_hw (conv, 2, 1);
  spk_layer_set_strides_hw (pool, 1, 3);
  spk_layer_set_strides_hw (plain, 2, 2);
  g_assert_cmpuint (spk_layer_get_strides_w (plain), ==, 2);
  tu_connect (net, u, FALSE, conv, FALSE, -1);
  tu_connect (net, u, FALSE, pool, FALSE, -1);
  tu_connect (net, u, FALSE, plain, FALSE, -1);
  text = tu_model_written_twice (net);
  g_assert_nonnull (strstr (text, "\"strides\": [2, 1]"));
  g_assert_nonnull (strstr (text, "\"strides\": [1, 3]"));
  g_assert_nonnull (strstr (text, "\"strides\": 2\n"));
  g_assert_null (strstr (text, "strides_w"));
  back = spk_model_load_data (text, -1, &error);
  g_assert_no_error (error);
  read = SPK_LAYER (spk_network_lookup (back, "conv"));
  g_assert_cmpuint (spk_layer_get_strides (read), ==, 2);
  g_assert_cmpuint (spk_layer_get_strides_w (read), ==, 1);
  read = SPK_LAYER (spk_network_lookup (back, "pool"));
  g_assert_cmpuint (spk_layer_get_strides (read), ==, 1);
  g_assert_cmpuint (spk_layer_get_strides_w (read), ==, 3);
  description = spk_layer_describe (read);
  g_assert_cmpstr (description, ==, "AveragePooling2D 3×3, strides 1×3: 7×8×1 → 5×2×1");
  g_clear_pointer (&description, g_free);
  description = spk_layer_describe (SPK_LAYER (spk_network_lookup (back, "conv")));
  g_assert_cmpstr (description, ==, "Conv2D 3×3, 1 filter, strides 2×1: 7×8×1 → 3×6×1");
  g_clear_pointer (&description, g_free);

  /* [3, 3] is the number 3 (one step for both axes). */
  g_clear_object (&back);
  back = spk_model_load_data (
    "{\"format\": \"spikeworks-model\", \"version\": 7, \"objects\": [{\"type\": \"layer\", \"label\": \"c\", "
    "\"layer_type\": \"conv2d\", \"shape_in\": [9, 9, 1], \"strides\": [3, 3]}]}", -1, &error);
  g_assert_no_error (error);
  read = SPK_LAYER (spk_network_lookup (back, "c"));
  g_assert_cmpuint (spk_layer_get_strides (read), ==, 3);
  g_assert_cmpuint (spk_layer_get_strides_w (read), ==, 3);
  g_clear_pointer (&text, g_free);
  text = spk_model_to_data (back, NULL);
  g_assert_nonnull (strstr (text, "\"strides\": 3\n"));
}

/* The file tests/data/v6/layers.json, written by version 6 (one number
 * of strides), reads as before: both axes step by it, it builds, and it
 * is written back the same but for the version. */
static void
test_strides_version6 (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "v6", "layers.json", NULL);
  g_autofree char *text = NULL, *written = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = NULL;
  g_autofree double *y = NULL;
  SpkLayer *conv, *pool;
  guint size;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  net = spk_model_load_data (text, -1, &error);
  g_assert_no_error (error);
  conv = SPK_LAYER (spk_network_lookup (net, "conv"));
  pool = SPK_LAYER (spk_network_lookup (net, "pool"));
  g_assert_cmpuint (spk_layer_get_strides (conv), ==, 2);
  g_assert_cmpuint (spk_layer_get_strides_w (conv), ==, 2);
  g_assert_cmpuint (spk_layer_get_kernel_width (conv), ==, 2);
  g_assert_cmpuint (spk_layer_get_strides (pool), ==, 2);
  g_assert_cmpuint (spk_layer_get_strides_w (pool), ==, 2);
  written = spk_model_to_data (net, NULL);
  {
    char *version = strstr (text, "\"version\": 6,");

    g_assert_nonnull (version);
    version[strlen ("\"version\": ")] = '7';
  }
  g_assert_cmpstr (written, ==, text);
  /* 6 × 6 → "same" conv, strides 2: 3 × 3 × 2 → pooling 2, strides 2, "valid": 1 × 1 × 2. */
  y = tu_run_probe (net, "p", 1, &size);
  g_assert_cmpuint (size, ==, 2);
}

static void
assert_load_fails (const char *layer_keys,
                   const char *message)
{
  g_autofree char *text = g_strdup_printf (
    "{\"format\": \"spikeworks-model\", \"version\": 7, \"objects\": [{\"type\": \"layer\", \"label\": \"bad\", "
    "\"layer_type\": \"conv2d\", \"shape_in\": [9, 9, 1], %s}]}", layer_keys);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) read = spk_model_load_data (text, -1, &error);

  g_assert_null (read);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  if (strstr (error->message, message) == NULL)
    g_error ("expected \"%s\" in \"%s\"", message, error->message);
}

/* Every bad strides value is refused with a message naming it. */
static void
test_strides_bad (void)
{
  SpkNetwork *net;
  SpkLayer *layer;

  assert_load_fails ("\"strides\": [2, 1, 1]", "strides must be a number or a pair [rows, columns], not a list of 3");
  assert_load_fails ("\"strides\": []", "strides must be a number or a pair [rows, columns], not a list of 0");
  assert_load_fails ("\"strides\": [2, 0]", "strides[1]");
  assert_load_fails ("\"strides\": [0, 2]", "strides[0]");
  assert_load_fails ("\"strides\": [2, 1.5]", "strides[1]");
  assert_load_fails ("\"strides\": [2, \"1\"]", "strides[1]");
  assert_load_fails ("\"strides\": 0", "strides");
  assert_load_fails ("\"strides\": {\"h\": 2}", "strides");
  /* The column strides are the pair's second value, never a key of their own. */
  assert_load_fails ("\"strides_w\": 2", "strides_w");

  /* A window larger than the "valid" input along the columns only. */
  layer = lone_layer (&net, SPK_LAYER_CONV2D);
  spk_layer_set_shape (layer, 9, 2, 1);
  spk_layer_set_strides_hw (layer, 1, 3);
  expect_build_error (net, "layer 'bad'");
  g_object_unref (net);
}

/* A card reads "Dense, 1 unit" and "1 filter", not "1 units". */
static void
test_describe_singular (void)
{
  g_autoptr (SpkNetwork) net = tu_network (5, SPK_DTYPE_FLOAT64);
  SpkLayer *dense = tu_layer (net, "dense", SPK_LAYER_DENSE, 1, 1, 3);
  SpkLayer *conv = tu_layer (net, "conv", SPK_LAYER_CONV2D, 4, 4, 1);
  char *text;

  g_object_set (dense, "units", 1, NULL);
  g_object_set (conv, "filters", 1, "kernel-size", 3, "strides", 1, NULL);
  text = spk_layer_describe (dense);
  g_assert_true (g_str_has_prefix (text, "Dense, 1 unit:"));
  g_free (text);
  g_object_set (dense, "units", 2, NULL);
  text = spk_layer_describe (dense);
  g_assert_true (g_str_has_prefix (text, "Dense, 2 units:"));
  g_free (text);
  text = spk_layer_describe (conv);
  g_assert_true (g_str_has_prefix (text, "Conv2D 3×3, 1 filter, strides 1:"));
  g_free (text);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/layer/conv2d", test_conv2d);
  g_test_add_func ("/spk/layer/describe-singular", test_describe_singular);
  g_test_add_func ("/spk/layer/dense-pool-norm-dropout", test_dense_pool_norm_dropout);
  g_test_add_func ("/spk/layer/expression", test_expression);
  g_test_add_func ("/spk/layer/json-round-trip", test_json_round_trip);
  g_test_add_func ("/spk/layer/bad", test_bad_layers);
  g_test_add_func ("/spk/layer/strides-per-axis", test_strides_per_axis);
  g_test_add_func ("/spk/layer/strides-json", test_strides_json);
  g_test_add_func ("/spk/layer/strides-version6", test_strides_version6);
  g_test_add_func ("/spk/layer/strides-bad", test_strides_bad);
  return g_test_run ();
}
