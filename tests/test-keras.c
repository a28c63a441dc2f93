/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-keras.c — the Keras converter (engine/io/spk-keras*.c) against Keras
 * files written without TensorFlow by tests/keras/make_keras_models.py
 * (h5py, in Keras's documented layout), whose numpy forward pass the
 * converted rate network must reproduce to 1e-5 (float32); spiking
 * versions that approach it; every bad input refused with its message;
 * export-keras → convert exact in rates; the CLI commands. */
#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <hdf5.h>

#include "core/spk-error.h"
#include "core/spk-rng.h"
#include "io/spk-hdf5-check.h"
#include "io/spk-keras.h"
#include "model/spk-ensemble.h"
#include "model/spk-layer.h"
#include "model/spk-node.h"
#include "spk-cli-test-util.h"
#include "spk-test-util.h"

#define BATCH 4

static char *dir;   /* the generated files */

static char *
path_of (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static double *
read_f64 (const char *name,
          gsize      *n)
{
  g_autofree char *path = path_of (name);
  g_autoptr (GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  *n = len / sizeof (double);
  return (double *) data;
}

static SpkSession *
convert (const char            *name,
         const SpkKerasOptions *options)
{
  g_autofree char *path = path_of (name);
  g_autoptr (GError) error = NULL;
  SpkSession *session = spk_keras_convert_file (path, options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (session);
  return session;
}

static const char *
input_label (SpkNetwork *net)
{
  GPtrArray *objects = spk_network_get_objects (net);

  for (guint i = 0; i < objects->len; i++)
    if (SPK_IS_NODE (g_ptr_array_index (objects, i)))
      return spk_object_get_label (g_ptr_array_index (objects, i));
  g_assert_not_reached ();
}

/* Runs plan on x (BATCH rows) for n_steps; the output probe's data,
 * BATCH × n_steps × size. */
static double *
run (SpkPlan      *plan,
     SpkNetwork   *net,
     const double *x,
     guint         n_steps,
     guint        *size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkSimulator) sim = spk_simulator_new (plan, BATCH, &error);
  const char *labels[] = { input_label (net), NULL };
  int probe = spk_plan_find_probe (plan, "output");
  g_autofree double *repeated = NULL;
  gsize n_in = 0;
  double *out;

  g_assert_no_error (error);
  g_assert_cmpint (probe, >=, 0);
  /* The same image for every step. */
  {
    SpkNode *node = SPK_NODE (spk_network_lookup (net, labels[0]));

    n_in = spk_node_get_output_value (node)->size;
    repeated = g_new (double, BATCH * n_steps * n_in);
    for (guint b = 0; b < BATCH; b++)
      for (guint k = 0; k < n_steps; k++)
        memcpy (repeated + (b * n_steps + k) * n_in, x + b * n_in, n_in * sizeof (double));
  }
  {
    const double *inputs[] = { repeated };

    g_assert_true (spk_simulator_predict (sim, labels, inputs, n_steps, &error));
    g_assert_no_error (error);
  }
  *size = spk_plan_get_probe_size (plan, (guint) probe);
  out = g_new (double, BATCH * n_steps * *size);
  spk_simulator_get_probe_data (sim, (guint) probe, out);
  return out;
}

/* The worst difference from the numpy reference, scaled by max(1, |y|). */
static double
worst_error (const double *got,
             const double *want,
             gsize         n)
{
  double worst = 0;

  for (gsize i = 0; i < n; i++)
    worst = MAX (worst, fabs (got[i] - want[i]) / MAX (1.0, fabs (want[i])));
  return worst;
}

static void
check_rates (const char            *model,
             const SpkKerasOptions *options)
{
  g_autofree char *h5 = g_strdup_printf ("%s.h5", model);
  g_autofree char *xname = g_strdup_printf ("%s.x.f64", model);
  g_autofree char *yname = g_strdup_printf ("%s.y.f64", model);
  g_autoptr (SpkSession) session = convert (h5, options);
  gsize nx, ny;
  g_autofree double *x = read_f64 (xname, &nx);
  g_autofree double *y = read_f64 (yname, &ny);
  g_autofree double *out = NULL;
  guint size;

  out = run (spk_session_get_plan (session), spk_session_get_network (session), x, 1, &size);
  g_assert_cmpuint (ny, ==, BATCH * size);
  /* Float32 weights and arithmetic against numpy in float64. */
  g_assert_cmpfloat (worst_error (out, y, ny), <, 1e-5);
}

/* Two outputs of a branching functional model in Keras 3's config format:
 * one probe each, "<layer>_output". */
static void
test_rates_branched (void)
{
  g_autoptr (SpkSession) session = convert ("branched.h5", NULL);
  SpkPlan *plan = spk_session_get_plan (session);
  SpkNetwork *net = spk_session_get_network (session);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkSimulator) sim = spk_simulator_new (plan, BATCH, &error);
  const char *labels[] = { "x", NULL };
  gsize nx, ny;
  g_autofree double *x = read_f64 ("branched.x.f64", &nx);
  g_autofree double *y = read_f64 ("branched.y.f64", &ny);
  const double *inputs[] = { x };
  int b = spk_plan_find_probe (plan, "b_output"), c = spk_plan_find_probe (plan, "c_output");
  double out_b[BATCH * 3], out_c[BATCH * 2], got[BATCH * 5];

  g_assert_nonnull (spk_network_lookup (net, "a_relu"));
  g_assert_cmpint (b, >=, 0);
  g_assert_cmpint (c, >=, 0);
  g_assert_true (spk_simulator_predict (sim, labels, inputs, 1, &error));
  g_assert_no_error (error);
  spk_simulator_get_probe_data (sim, (guint) b, out_b);
  spk_simulator_get_probe_data (sim, (guint) c, out_c);
  for (guint i = 0; i < BATCH; i++)
    {
      memcpy (got + i * 5, out_b + i * 3, 3 * sizeof (double));
      memcpy (got + i * 5 + 3, out_c + i * 2, 2 * sizeof (double));
    }
  g_assert_cmpuint (ny, ==, BATCH * 5);
  g_assert_cmpfloat (worst_error (got, y, ny), <, 1e-5);
}

static void
test_rates_mlp (void)
{
  check_rates ("mlp", NULL);
}

/* A Keras 3 .keras archive (zip, config.json, model.weights.h5). */
static void
test_rates_keras3 (void)
{
  g_autoptr (SpkSession) session = NULL;
  gsize nx, ny;
  g_autofree double *x = read_f64 ("keras3.x.f64", &nx);
  g_autofree double *y = read_f64 ("keras3.y.f64", &ny);
  g_autofree double *out = NULL;
  guint size;

  session = convert ("keras3.keras", NULL);
  out = run (spk_session_get_plan (session), spk_session_get_network (session), x, 1, &size);
  g_assert_cmpuint (ny, ==, BATCH * size);
  g_assert_cmpfloat (worst_error (out, y, ny), <, 1e-5);
}

static void
test_rates_cnn (void)
{
  check_rates ("cnn", NULL);
}

static void
test_rates_maxpool (void)
{
  SpkKerasOptions options;

  spk_keras_options_init (&options);
  options.max_to_avg_pool = TRUE;
  check_rates ("maxpool", &options);
}

/* Keras's strides=(2, 1) and (1, 3) and a 3 × 2 kernel: the layers step
 * by axis as Keras's did (the rates against numpy's forward pass). */
static void
test_rates_strided (void)
{
  g_autoptr (SpkSession) session = NULL;
  SpkLayer *conv, *pool;

  check_rates ("strided", NULL);
  session = convert ("strided.h5", NULL);
  conv = SPK_LAYER (spk_network_lookup (spk_session_get_network (session), "c"));
  pool = SPK_LAYER (spk_network_lookup (spk_session_get_network (session), "ap"));
  g_assert_cmpuint (spk_layer_get_kernel_size (conv), ==, 3);
  g_assert_cmpuint (spk_layer_get_kernel_width (conv), ==, 2);
  g_assert_cmpuint (spk_layer_get_strides (conv), ==, 2);
  g_assert_cmpuint (spk_layer_get_strides_w (conv), ==, 1);
  g_assert_cmpuint (spk_layer_get_strides (pool), ==, 1);
  g_assert_cmpuint (spk_layer_get_strides_w (pool), ==, 3);
}

/* BatchNormalization kept as a layer, and folded into the Dense before it
 * with inference_only (Dropout then disappears too). */
static void
test_rates_folded (void)
{
  SpkKerasOptions options;

  spk_keras_options_init (&options);
  check_rates ("folded", &options);
  options.inference_only = TRUE;
  check_rates ("folded", &options);
  {
    g_autoptr (SpkSession) session = convert ("folded.h5", &options);
    SpkNetwork *net = spk_session_get_network (session);

    g_assert_null (spk_network_lookup (net, "bn"));
    g_assert_null (spk_network_lookup (net, "drop"));
    g_assert_nonnull (spk_network_lookup (net, "d1"));
  }
}

/* ReLU is homogeneous: scale_firing_rates changes the spikes, not the rates. */
static void
test_scale_keeps_rates (void)
{
  SpkKerasOptions options;
  g_autoptr (SpkSession) session = NULL;

  spk_keras_options_init (&options);
  options.scale_firing_rates = 100;
  check_rates ("cnn", &options);
  session = convert ("cnn.h5", &options);
  {
    SpkEnsemble *ens = SPK_ENSEMBLE (spk_network_lookup (spk_session_get_network (session), "act"));

    g_assert_cmpfloat (spk_ensemble_get_neuron_type (ens)->amplitude, ==, 0.01);
    g_assert_cmpfloat (spk_ensemble_get_gain (ens)->data[0], ==, 100);
    /* The layers train; the neurons keep the Keras activation. */
    g_assert_false (spk_object_get_trainable (SPK_OBJECT (ens)));
  }
}

/* The mean over the last half of a spiking run against the rates. */
static double
spiking_error (double scale,
               guint  n_steps)
{
  g_autoptr (GError) error = NULL;
  SpkKerasOptions options;
  g_autoptr (SpkSession) session = NULL;
  gsize nx, ny;
  g_autofree double *x = read_f64 ("cnn.x.f64", &nx);
  g_autofree double *y = read_f64 ("cnn.y.f64", &ny);
  g_autofree double *out = NULL;
  guint size;
  double worst = 0;

  spk_keras_options_init (&options);
  options.scale_firing_rates = scale;
  /* Without a synapse, each neuron would rectify the spikes it receives
   * one step at a time rather than their rate. */
  options.synapse = 0.01;
  g_assert_true (spk_keras_options_add_swap (&options, "relu=SpikingRectifiedLinear", &error));
  session = convert ("cnn.h5", &options);
  spk_keras_options_clear (&options);
  out = run (spk_session_get_plan (session), spk_session_get_network (session), x, n_steps, &size);
  for (guint b = 0; b < BATCH; b++)
    for (guint j = 0; j < size; j++)
      {
        double mean = 0;

        for (guint k = n_steps / 2; k < n_steps; k++)
          mean += out[(b * n_steps + k) * size + j];
        mean /= n_steps - n_steps / 2;
        worst = MAX (worst, fabs (mean - y[b * size + j]));
      }
  return worst;
}

static void
test_spiking_approaches_rates (void)
{
  double e_short = spiking_error (10, 40), e_long = spiking_error (10, 400);
  double e_scaled = spiking_error (1000, 40), e_both = spiking_error (1000, 400);

  g_test_message ("spiking error: scale 10, 40 steps %.4g; 400 steps %.4g; scale 1000, 40 steps %.4g; "
                  "400 steps %.4g", e_short, e_long, e_scaled, e_both);
  g_assert_cmpfloat (e_long, <, e_short);
  g_assert_cmpfloat (e_scaled, <, e_short);
  g_assert_cmpfloat (e_both, <, e_long / 10);
  g_assert_cmpfloat (e_both, <, e_scaled / 10);
  /* The outputs are of order 1: a 400-step mean at scale 1000 is within 1 %. */
  g_assert_cmpfloat (e_both, <, 0.01);
}

static void
check_refused (const char            *file,
               const SpkKerasOptions *options,
               int                    code,
               const char            *message)
{
  g_autofree char *path = path_of (file);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkSession) session = spk_keras_convert_file (path, options, &error);

  g_assert_null (session);
  g_assert_error (error, SPK_IO_ERROR, code);
  g_assert_true (g_str_has_prefix (error->message, path));
  if (strstr (error->message, message) == NULL)
    g_error ("'%s' is not in: %s", message, error->message);
}

/* Bad files (written by tests/keras/make_keras_models.py) and the message
 * each gets. */
static const struct
{
  const char *file;
  SpkIoError  code;
  const char *message;
} bad_files[] = {
  { "truncated.h5", SPK_IO_ERROR_PARSE,
    "the file is damaged or truncated" },
  { "not-keras.h5", SPK_IO_ERROR_FORMAT,
    "not a Keras model: the attribute 'model_config' is missing" },
  { "bad-json.h5", SPK_IO_ERROR_PARSE,
    "model_config is not valid JSON" },
  { "unknown-layer.h5", SPK_IO_ERROR_UNKNOWN,
    "layer 'lstm' (LSTM): this kind of layer is not converted" },
  { "unknown-activation.h5", SPK_IO_ERROR_UNKNOWN,
    "layer 'd2' (Dense): the activation 'gelu' is not supported" },
  { "no-flatten.h5", SPK_IO_ERROR_VALUE,
    "layer 'd1' (Dense): its input is 2 × 2 × 6, not a vector" },
  { "bad-reshape.h5", SPK_IO_ERROR_VALUE,
    "layer 're' (Reshape): cannot reshape 10 (10 values)" },
  { "wrong-shape.h5", SPK_IO_ERROR_VALUE,
    "layer 'd2' (Dense): the weight 'd2/kernel:0' (kernel) has the shape 16 × 11; kernel needs 16 × 12" },
  { "weights-missing.h5", SPK_IO_ERROR_FORMAT,
    "layer 'd3' (Dense): the weight 'kernel' (12 × 8) is missing from the file" },
  { "no-weights-group.h5", SPK_IO_ERROR_FORMAT,
    "layer 'd1' (Dense): the weight 'kernel' (20 × 16) is missing" },
  { "weight-dataset-missing.h5", SPK_IO_ERROR_FORMAT,
    "/model_weights/d3/d3/kernel:0: the weight of layer 'd3' listed in weight_names is missing" },
  { "channels-first.h5", SPK_IO_ERROR_VALUE,
    "layer 'c1' (Conv2D): data_format 'channels_first' is not supported" },
  { "maxpool.h5", SPK_IO_ERROR_VALUE,
    "layer 'mp' (MaxPooling2D): max pooling has no spiking equivalent; convert with max_to_avg_pool" },
  { "keras3-no-weights.keras", SPK_IO_ERROR_FORMAT,
    "not a Keras 3 model: the archive has no model.weights.h5" },
  { "keras3-truncated.keras", SPK_IO_ERROR_FORMAT,
    "the archive is damaged or truncated" },
  { "strides-three.h5", SPK_IO_ERROR_VALUE,
    "layer 'c' (Conv2D): strides must be two whole numbers" },
  { "strides-zero.h5", SPK_IO_ERROR_VALUE,
    "layer 'c' (Conv2D): strides must be from 1 to 2147483647 (got 0)" },
  { "strides-large.h5", SPK_IO_ERROR_VALUE,
    "layer 'c' (Conv2D): strides must be from 1 to 4096 (got 5000)" },
  { "merge.h5", SPK_IO_ERROR_FORMAT,
    "model_config: layer 'add' (Add) has 2 inputs; only layers with one input are converted" },
};

static void
test_bad_input (void)
{
  g_autofree char *missing = path_of ("no-such.h5");
  g_autoptr (GError) error = NULL;
  SpkKerasOptions options;

  for (gsize i = 0; i < G_N_ELEMENTS (bad_files); i++)
    check_refused (bad_files[i].file, NULL, bad_files[i].code, bad_files[i].message);
  spk_keras_options_init (&options);
  options.allow_fallback = FALSE;
  check_refused ("mlp.h5", &options, SPK_IO_ERROR_VALUE,
                 "layer 'd4' (Dense): the activation 'softmax' has no neuron equivalent; allow_fallback keeps it");
  g_assert_null (spk_keras_convert_file (missing, NULL, &error));
  g_assert_error (error, SPK_IO_ERROR, SPK_IO_ERROR_PARSE);
}

static void
test_swap_refusals (void)
{
  SpkKerasOptions options;
  g_autoptr (GError) error = NULL;

  spk_keras_options_init (&options);
  g_assert_false (spk_keras_options_add_swap (&options, "relu", &error));
  g_assert_nonnull (strstr (error->message, "a swap is written FROM=TO"));
  g_clear_error (&error);
  g_assert_false (spk_keras_options_add_swap (&options, "relu=Spiky", &error));
  g_assert_nonnull (strstr (error->message, "'Spiky' is not a neuron type"));
  spk_keras_options_clear (&options);
}

/* ---- export-keras ----------------------------------------------------------- */

/* input 8×8×1 → Conv2D 4 (3×3, strides 2, same) → relu → AveragePooling2D
 * → BatchNormalization → Dense 10 → relu (its input scaled by scale, its
 * output by 1/scale) → Dense 3. */
static SpkNetwork *
layer_model_scaled (double scale)
{
  SpkNetwork *net = tu_network (3, SPK_DTYPE_FLOAT32);
  double zeros[64] = { 0 };
  SpkNode *in = tu_node_const (net, "image", zeros, 64);
  SpkLayer *conv = tu_layer (net, "conv", SPK_LAYER_CONV2D, 8, 8, 1);
  SpkEnsemble *relu = tu_ensemble (net, "relu", 64, 1, SPK_NEURON_RECTIFIED_LINEAR);
  SpkLayer *pool = tu_layer (net, "pool", SPK_LAYER_AVERAGE_POOLING2D, 4, 4, 4);
  SpkLayer *bn = tu_layer (net, "bn", SPK_LAYER_BATCH_NORMALIZATION, 2, 2, 4);
  SpkLayer *dense = tu_layer (net, "dense", SPK_LAYER_DENSE, 16, 0, 0);
  SpkEnsemble *hidden = tu_ensemble (net, "hidden", 10, 1, SPK_NEURON_SPIKING_RECTIFIED_LINEAR);
  SpkLayer *out = tu_layer (net, "out", SPK_LAYER_DENSE, 10, 0, 0);
  g_autoptr (SpkNeuronType) spiking = spk_neuron_type_new (SPK_NEURON_RECTIFIED_LINEAR);

  g_object_set (conv, "filters", 4, "strides", 2, "padding", SPK_PADDING_SAME, NULL);
  g_object_set (pool, "kernel-size", 2, "strides", 2, NULL);
  g_object_set (dense, "units", 10, NULL);
  g_object_set (out, "units", 3, NULL);
  tu_set_gain_bias (relu, 1, 0);
  tu_set_gain_bias (hidden, scale, 0);
  spiking->amplitude = 1 / scale;
  spk_ensemble_set_neuron_type (hidden, spiking);
  tu_connect (net, in, FALSE, conv, FALSE, -1);
  tu_connect (net, conv, FALSE, relu, TRUE, -1);
  tu_connect (net, relu, TRUE, pool, FALSE, -1);
  tu_connect (net, pool, FALSE, bn, FALSE, -1);
  tu_connect (net, bn, FALSE, dense, FALSE, -1);
  tu_connect (net, dense, FALSE, hidden, TRUE, -1);
  tu_connect (net, hidden, TRUE, out, FALSE, -1);
  tu_probe (net, "output", out, FALSE, NULL, -1);
  return net;
}

static SpkNetwork *
layer_model (void)
{
  return layer_model_scaled (10);
}

static char *
read_string_attr (hid_t       loc,
                  const char *name)
{
  hid_t attr = H5Aopen (loc, name, H5P_DEFAULT);
  hid_t type = H5Aget_type (attr);
  char *value = g_malloc0 (H5Tget_size (type) + 1);

  g_assert_cmpint (H5Tget_class (type), ==, H5T_STRING);
  g_assert_cmpint (H5Aread (attr, type, value), >=, 0);
  H5Tclose (type);
  H5Aclose (attr);
  return value;
}

/* The file is in Keras's layout, read back with libhdf5 directly. */
static void
check_layout (const char *path)
{
  hid_t file, dset, space, type;
  hsize_t dims[4];
  g_autofree char *version = NULL, *backend = NULL, *config = NULL;

  G_LOCK (spk_hdf5);
  spk_hdf5_init ();
  file = H5Fopen (path, H5F_ACC_RDONLY, H5P_DEFAULT);
  g_assert_cmpint (file, >=, 0);
  version = read_string_attr (file, "keras_version");
  backend = read_string_attr (file, "backend");
  config = read_string_attr (file, "model_config");
  g_assert_cmpstr (version, ==, "2.15.0");
  g_assert_cmpstr (backend, ==, "tensorflow");
  g_assert_nonnull (strstr (config, "\"class_name\":\"Functional\""));
  g_assert_nonnull (strstr (config, "\"batch_input_shape\":[null,8,8,1]"));
  g_assert_true (H5Aexists_by_name (file, "model_weights", "layer_names", H5P_DEFAULT) > 0);
  g_assert_true (H5Aexists_by_name (file, "model_weights/conv", "weight_names", H5P_DEFAULT) > 0);
  dset = H5Dopen2 (file, "model_weights/conv/conv/kernel:0", H5P_DEFAULT);
  g_assert_cmpint (dset, >=, 0);
  space = H5Dget_space (dset);
  type = H5Dget_type (dset);
  g_assert_cmpint (H5Sget_simple_extent_dims (space, dims, NULL), ==, 4);
  g_assert_cmpuint (dims[0], ==, 3);
  g_assert_cmpuint (dims[2], ==, 1);
  g_assert_cmpuint (dims[3], ==, 4);
  g_assert_true (H5Tequal (type, H5T_IEEE_F32LE) > 0);
  H5Tclose (type);
  H5Sclose (space);
  H5Dclose (dset);
  g_assert_true (H5Lexists (file, "model_weights/bn/bn/moving_variance:0", H5P_DEFAULT) > 0);
  g_assert_true (H5Lexists (file, "model_weights/dense/dense/bias:0", H5P_DEFAULT) > 0);
  H5Fclose (file);
  G_UNLOCK (spk_hdf5);
}

/* export-keras → convert gives the same network in rates: bit for bit, or
 * to float32 round-off when an ensemble's rates were scaled (gain × x,
 * amplitude ÷ gain, exported as a plain relu). */
static void
check_round_trip (double scale)
{
  g_autoptr (SpkNetwork) net = layer_model_scaled (scale);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = spk_build (net, &error);
  g_autofree char *path = path_of ("round-trip.h5");
  g_autoptr (SpkSession) back = NULL;
  g_autofree double *x = g_new (double, BATCH * 64);
  g_autofree double *a = NULL, *b = NULL;
  guint size_a, size_b;
  SpkRng rng;

  g_assert_no_error (error);
  g_assert_true (spk_keras_export (net, plan, path, &error));
  g_assert_no_error (error);
  check_layout (path);
  back = convert ("round-trip.h5", NULL);
  /* Flatten appears between the pooling's image and the Dense. */
  g_assert_nonnull (spk_network_lookup (spk_session_get_network (back), "hidden"));
  spk_rng_init (&rng, 5);
  for (guint i = 0; i < BATCH * 64; i++)
    x[i] = spk_rng_uniform_range (&rng, -1, 1);
  a = run (plan, net, x, 1, &size_a);
  b = run (spk_session_get_plan (back), spk_session_get_network (back), x, 1, &size_b);
  g_assert_cmpuint (size_a, ==, 3);
  g_assert_cmpuint (size_b, ==, 3);
  for (guint i = 0; i < BATCH * 3; i++)
    if (scale == 1)
      g_assert_cmpfloat (a[i], ==, b[i]);
    else
      g_assert_cmpfloat (fabs (a[i] - b[i]), <=, 1e-6 * MAX (1, fabs (a[i])));
}

static void
test_round_trip (void)
{
  check_round_trip (1);
  check_round_trip (10);
}

/* A Conv2D with a 3 × 2 kernel, strides (2, 1) and relu, an
 * AveragePooling2D with strides (1, 2) and a Dense with tanh, exported
 * and converted back: the same strides, kernel and outputs. */
static void
test_round_trip_strided (void)
{
  g_autoptr (SpkNetwork) net = tu_network (3, SPK_DTYPE_FLOAT32);
  double zeros[64] = { 0 };
  SpkNode *in = tu_node_const (net, "image", zeros, 64);
  SpkLayer *conv = tu_layer (net, "conv", SPK_LAYER_CONV2D, 8, 8, 1);
  SpkLayer *pool = tu_layer (net, "pool", SPK_LAYER_AVERAGE_POOLING2D, 4, 8, 2);
  SpkLayer *dense = tu_layer (net, "dense", SPK_LAYER_DENSE, 24, 0, 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autofree char *path = path_of ("round-trip-strided.h5");
  g_autoptr (SpkSession) back = NULL;
  g_autofree double *x = g_new (double, BATCH * 64);
  g_autofree double *a = NULL, *b = NULL;
  guint size_a, size_b;
  SpkLayer *read;
  SpkRng rng;

  g_object_set (conv, "filters", 2, "kernel-size", 3, "kernel-width", 2, "padding", SPK_PADDING_SAME,
                "activation", SPK_ACTIVATION_RELU, NULL);
  spk_layer_set_strides_hw (conv, 2, 1);
  g_object_set (pool, "kernel-size", 2, NULL);
  spk_layer_set_strides_hw (pool, 1, 2);
  g_object_set (dense, "units", 3, "activation", SPK_ACTIVATION_TANH, NULL);
  tu_connect (net, in, FALSE, conv, FALSE, -1);
  tu_connect (net, conv, FALSE, pool, FALSE, -1);
  tu_connect (net, pool, FALSE, dense, FALSE, -1);
  tu_probe (net, "output", dense, FALSE, NULL, -1);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  g_assert_true (spk_keras_export (net, plan, path, &error));
  g_assert_no_error (error);
  back = convert ("round-trip-strided.h5", NULL);
  read = SPK_LAYER (spk_network_lookup (spk_session_get_network (back), "conv"));
  g_assert_cmpuint (spk_layer_get_strides (read), ==, 2);
  g_assert_cmpuint (spk_layer_get_strides_w (read), ==, 1);
  g_assert_cmpuint (spk_layer_get_kernel_width (read), ==, 2);
  read = SPK_LAYER (spk_network_lookup (spk_session_get_network (back), "pool"));
  g_assert_cmpuint (spk_layer_get_strides (read), ==, 1);
  g_assert_cmpuint (spk_layer_get_strides_w (read), ==, 2);
  spk_rng_init (&rng, 7);
  for (guint i = 0; i < BATCH * 64; i++)
    x[i] = spk_rng_uniform_range (&rng, -1, 1);
  a = run (plan, net, x, 1, &size_a);
  b = run (spk_session_get_plan (back), spk_session_get_network (back), x, 1, &size_b);
  g_assert_cmpuint (size_a, ==, 3);
  g_assert_cmpuint (size_b, ==, 3);
  /* The activations come back as Keras's (the same functions in rates). */
  for (guint i = 0; i < BATCH * 3; i++)
    g_assert_cmpfloat (fabs (a[i] - b[i]), <=, 1e-6 * MAX (1, fabs (a[i])));
  g_assert_cmpfloat (fabs (a[0]) + fabs (a[1]) + fabs (a[2]), >, 0.0);
}

static void
check_export_refused (SpkNetwork *net,
                      const char *message)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = spk_build (net, &error);
  g_autofree char *path = path_of ("refused.h5");

  g_assert_no_error (error);
  g_assert_false (spk_keras_export (net, plan, path, &error));
  g_assert_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE);
  if (strstr (error->message, message) == NULL)
    g_error ("'%s' is not in: %s", message, error->message);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_export_refusals (void)
{
  {
    g_autoptr (SpkNetwork) net = layer_model ();
    SpkEnsemble *relu = SPK_ENSEMBLE (spk_network_lookup (net, "relu"));
    g_autoptr (SpkNeuronType) lif = spk_neuron_type_new (SPK_NEURON_LIF);

    spk_ensemble_set_neuron_type (relu, lif);
    check_export_refused (net, "ensemble 'relu': LIF neurons have no Keras activation");
  }
  {
    g_autoptr (SpkNetwork) net = layer_model ();

    tu_set_gain_bias (SPK_ENSEMBLE (spk_network_lookup (net, "relu")), 1, 0.5);
    check_export_refused (net, "ensemble 'relu': its neurons need one gain for all and no bias");
  }
  {
    g_autoptr (SpkNetwork) net = layer_model ();

    tu_set_gain_bias (SPK_ENSEMBLE (spk_network_lookup (net, "hidden")), 2, 0);
    check_export_refused (net, "ensemble 'hidden': amplitude × gain must be 1");
  }
  {
    g_autoptr (SpkNetwork) net = layer_model ();
    SpkLayer *expr = tu_layer (net, "square", SPK_LAYER_EXPRESSION, 3, 0, 0);

    g_object_set (expr, "expression", "x*x", NULL);
    tu_connect (net, spk_network_lookup (net, "out"), FALSE, expr, FALSE, -1);
    check_export_refused (net, "layer 'square': an expression layer has no Keras equivalent");
  }
  {
    g_autoptr (SpkNetwork) net = layer_model ();
    SpkConnection *conn = tu_connect (net, spk_network_lookup (net, "image"), FALSE,
                                      spk_network_lookup (net, "relu"), TRUE, -1);

    spk_connection_set_function (conn, "x*2");
    check_export_refused (net, "only plain connections");
  }
}

/* ---- the command line ---------------------------------------------------------- */

static void
test_cli (void)
{
  g_autofree char *h5 = path_of ("cnn.h5"), *out = path_of ("cnn-cli.spkw"), *back = path_of ("cnn-cli.h5");
  g_autofree char *bad = path_of ("maxpool.h5");
  g_autofree char *err = NULL;

  g_assert_cmpint (cli (NULL, &err, "convert", h5, out, "--swap", "relu=SpikingRectifiedLinear",
                        "--scale-firing-rates", "50", "--synapse", "0.005", "--inference-only", NULL), ==, 0);
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (SpkSession) session = spk_session_load_checked (out, &error);
    SpkEnsemble *ens;

    g_assert_no_error (error);
    ens = SPK_ENSEMBLE (spk_network_lookup (spk_session_get_network (session), "act"));
    g_assert_cmpint (spk_ensemble_get_neuron_type (ens)->kind, ==, SPK_NEURON_SPIKING_RECTIFIED_LINEAR);
    g_assert_cmpfloat (spk_ensemble_get_neuron_type (ens)->amplitude, ==, 1.0 / 50);
    g_assert_null (spk_network_lookup (spk_session_get_network (session), "bn"));
  }
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (NULL, &err, "convert", bad, out, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "max pooling has no spiking equivalent"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (NULL, &err, "convert", h5, out, "--scale-firing-rates", "0", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--scale-firing-rates must be a finite number greater than 0"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (NULL, &err, "convert", h5, out, "--swap", "relu", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "a swap is written FROM=TO"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (NULL, &err, "convert", h5, NULL), ==, 2);
  g_clear_pointer (&err, g_free);
  /* A converted rate model goes back out. */
  g_assert_cmpint (cli (NULL, &err, "convert", h5, out, NULL), ==, 0);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (NULL, &err, "export-keras", out, back, NULL), ==, 0);
  g_assert_true (g_file_test (back, G_FILE_TEST_IS_REGULAR));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (NULL, &err, "export-keras", "--example", "spiking-fashion-mnist", back, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "ensemble 'lif0': LIF neurons have no Keras activation"));
}

/* Seeded byte damage to a good file: refused or converted, never a crash
 * (a crash inside libhdf5 is caught by the checked child). */
static gboolean
read_keras (const char *path,
            GError    **error)
{
  g_autoptr (SpkSession) session = spk_keras_convert_file (path, NULL, error);

  return session != NULL;
}

static void
test_fuzz (void)
{
  g_autofree char *mlp = path_of ("mlp.h5"), *keras3 = path_of ("keras3.keras");
  g_autofree char *damaged_h5 = path_of ("fuzz.h5"), *damaged_keras = path_of ("fuzz.keras");

  tu_fuzz_file (mlp, damaged_h5, 40, 20, read_keras);
  tu_fuzz_file (keras3, damaged_keras, 40, 21, read_keras);
}

int
main (int    argc,
      char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  /* The Keras files, written by h5py without TensorFlow. */
  dir = tu_make_test_files ("spk-keras-XXXXXX", "keras", "make_keras_models.py");

  g_test_add_func ("/spk/keras/rates/mlp", test_rates_mlp);
  g_test_add_func ("/spk/keras/rates/cnn", test_rates_cnn);
  g_test_add_func ("/spk/keras/rates/maxpool", test_rates_maxpool);
  g_test_add_func ("/spk/keras/rates/keras3-archive", test_rates_keras3);
  g_test_add_func ("/spk/keras/rates/branched-keras3-config", test_rates_branched);
  g_test_add_func ("/spk/keras/rates/batch-norm-folded", test_rates_folded);
  g_test_add_func ("/spk/keras/scale-firing-rates", test_scale_keeps_rates);
  g_test_add_func ("/spk/keras/spiking", test_spiking_approaches_rates);
  g_test_add_func ("/spk/keras/bad-input", test_bad_input);
  g_test_add_func ("/spk/keras/swap-refusals", test_swap_refusals);
  g_test_add_func ("/spk/keras/round-trip", test_round_trip);
  g_test_add_func ("/spk/keras/round-trip-strided", test_round_trip_strided);
  g_test_add_func ("/spk/keras/rates/strided", test_rates_strided);
  g_test_add_func ("/spk/keras/export-refusals", test_export_refusals);
  g_test_add_func ("/spk/keras/cli", test_cli);
  g_test_add_func ("/spk/keras/fuzz", test_fuzz);
  result = g_test_run ();
  tu_remove_dir (dir);
  g_free (dir);
  return result;
}
