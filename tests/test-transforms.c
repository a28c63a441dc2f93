/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-transforms.c — Nengo's Sparse, Convolution and ConvolutionTranspose
 * transforms against Nengo 4.1.0's own numbers, their model-file round
 * trip, and the refusals of their bad input.
 *
 * The reference networks live in tests/data/transforms/, made by
 * make-reference.py there (given kernels and entries, nothing sampled).
 * The engine runs them through its own operators (the Conv2D layer's
 * kernels, a product with the Sparse entries), whose sums run in another
 * order than Nengo's convolution: float64
 * results agree to 1e-12 of each probe's largest value, float32 ones to
 * 2e-3.
 */
#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "builder/spk-plan.h"
#include "core/spk-error.h"
#include "io/spk-model-json.h"
#include "io/spk-session.h"
#include "model/spk-connection.h"
#include "model/spk-transform.h"
#include "sim/spk-simulator.h"
#include "train/spk-train.h"
#include "spk-test-util.h"

static const char *const nengo_cases[] = {
  "sparse", "convolution", "convolution-transpose", "into-neurons",
};

static char *
stim_values (guint n)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s%g", i ? ", " : "", 0.1 * (i + 1));
  return g_string_free (text, FALSE);
}

/* stim (a node of n constants) → out (a node of m) through transform. */
static char *
model_text (guint       n,
            guint       m,
            const char *transform,
            const char *extra)
{
  g_autofree char *values = stim_values (n);

  return g_strdup_printf ("{\"format\": \"spikeworks-model\", \"version\": 5, \"objects\": ["
                          "{\"type\": \"node\", \"label\": \"stim\", \"output\": [%s]},"
                          "{\"type\": \"node\", \"label\": \"out\", \"size_in\": %u},"
                          "{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"stim\", \"post\": \"out\","
                          " \"synapse\": null, \"transform\": %s}%s]}",
                          values, m, transform, extra ? extra : "");
}

static void
assert_fails (guint       n,
              guint       m,
              const char *transform,
              gboolean    at_build,
              const char *fragment)
{
  g_autofree char *model = model_text (n, m, transform, NULL);

  tu_assert_model_fails (model, at_build, fragment);
}

/* Every bad input named by Nengo's checks, with the parameter in the message. */
static void
test_errors (void)
{
  /* Sparse */
  assert_fails (4, 3, "{\"type\": \"Sparse\", \"shape\": [3, 4], \"indices\": [[0, 1], [3, 0]], \"init\": [1, 2]}",
                FALSE, "connection 'c': transform: Sparse: indices[1] = [3, 0] is out of range for shape (3, 4)");
  assert_fails (4, 3, "{\"type\": \"Sparse\", \"shape\": [3, 4], \"indices\": [[0, -1]]}", FALSE,
                "indices[0] = [0, -1] is out of range");
  assert_fails (4, 3, "{\"type\": \"Sparse\", \"shape\": [3, 4], \"indices\": [[0, 1.5]]}", FALSE,
                "indices[0] must be two whole numbers");
  assert_fails (4, 3, "{\"type\": \"Sparse\", \"shape\": [3, 4], \"indices\": [0, 1]}", FALSE,
                "indices must be a list of [row, column] pairs");
  assert_fails (4, 3, "{\"type\": \"Sparse\", \"shape\": [3, 4], \"indices\": [[0, 1], [1, 1]], \"init\": [1, 2, 3]}",
                FALSE, "init must be one value, a distribution, or a list of 2 values");
  assert_fails (4, 3, "{\"type\": \"Sparse\", \"shape\": [3, 4]}", FALSE,
                "without indices, init must be the whole 3 × 4 matrix");
  assert_fails (4, 3, "{\"type\": \"Sparse\", \"indices\": [[0, 0]]}", FALSE, "Sparse needs \"shape\"");
  assert_fails (4, 3, "{\"type\": \"Sparse\", \"shape\": [0, 4], \"indices\": [[0, 0]]}", FALSE,
                "transform.shape[0] must be positive");
  assert_fails (4, 2, "{\"type\": \"Sparse\", \"shape\": [3, 4], \"indices\": [[0, 0]]}", TRUE,
                "connection 'c': the Sparse transform maps 4 values to 3 but this connection needs 4 to 2");
  assert_fails (4, 3, "{\"type\": \"Sparse\", \"shape\": [3, 4], \"indices\": [[0, 0]], \"density\": 1}", FALSE,
                "density");

  /* Convolution */
  assert_fails (18, 4, "{\"type\": \"Convolution\", \"n_filters\": 1, \"input_shape\": [3, 3, 2], "
                "\"init\": [1, 2, 3]}", FALSE,
                "Convolution: the kernel (init) has 3 values but its shape is (3, 3, 2, 1) "
                "(kernel_size + (input channels / groups, n_filters)): 18 values");
  assert_fails (8, 4, "{\"type\": \"Convolution\", \"n_filters\": 1, \"input_shape\": [2, 2, 2]}", FALSE,
                "kernel size for spatial dimension 0 (3) exceeds the spatial size of that dimension (2)");
  assert_fails (18, 4, "{\"type\": \"Convolution\", \"n_filters\": 1, \"input_shape\": [3, 3, 2], "
                "\"kernel_size\": [3]}", FALSE, "kernel_size and strides need one entry per spatial dimension");
  assert_fails (18, 4, "{\"type\": \"Convolution\", \"n_filters\": 1, \"input_shape\": [3, 3, 2], "
                "\"strides\": [0, 1]}", FALSE, "transform.strides[0] must be positive");
  assert_fails (18, 4, "{\"type\": \"Convolution\", \"n_filters\": 1, \"input_shape\": [3, 3, 2], "
                "\"padding\": \"full\"}", FALSE, "transform.padding must be \"valid\" or \"same\" (got 'full')");
  assert_fails (18, 4, "{\"type\": \"Convolution\", \"n_filters\": 3, \"input_shape\": [3, 3, 2], "
                "\"groups\": 2}", FALSE,
                "both the number of input channels (2) and filters (3) must be evenly divisible by groups (2)");
  assert_fails (18, 4, "{\"type\": \"Convolution\", \"n_filters\": 2, \"input_shape\": [3, 3, 2], "
                "\"groups\": 4}", FALSE, "groups (4) must be between 1 and the number of input channels (2)");
  assert_fails (18, 4, "{\"type\": \"Convolution\", \"input_shape\": [3, 3, 2]}", FALSE,
                "Convolution needs \"n_filters\"");
  assert_fails (18, 4, "{\"type\": \"Convolution\", \"n_filters\": 1, \"input_shape\": [18]}", FALSE,
                "needs \"input_shape\"");
  assert_fails (18, 4, "{\"type\": \"Convolution\", \"n_filters\": 1, \"input_shape\": [3, 3, 2], "
                "\"init\": {\"type\": \"Sparse\", \"shape\": [1, 1]}}", FALSE, "unknown distribution 'Sparse'");
  assert_fails (18, 4, "{\"type\": \"Convolution\", \"n_filters\": 2, \"input_shape\": [3, 3, 2]}", TRUE,
                "the Convolution transform maps 18 values to 2 but this connection needs 18 to 4");

  /* ConvolutionTranspose */
  assert_fails (4, 36, "{\"type\": \"ConvolutionTranspose\", \"n_filters\": 1, \"input_shape\": [2, 2, 1], "
                "\"output_shape\": [6, 6, 1]}", FALSE,
                "ConvolutionTranspose: output_shape (6, 6, 1) would not produce input_shape (2, 2, 1) in a forward "
                "Convolution");
  assert_fails (4, 16, "{\"type\": \"ConvolutionTranspose\", \"n_filters\": 1, \"input_shape\": [2, 2, 1], "
                "\"output_shape\": [4, 4, 2]}", FALSE, "output_shape (4, 4, 2) has 2 channels but n_filters is 1");
  assert_fails (4, 16, "{\"type\": \"ConvolutionTranspose\", \"n_filters\": 1, \"input_shape\": [2, 2, 1], "
                "\"groups\": 1}", FALSE, "groups");

  /* Where Nengo's builder refuses them. */
  {
    const char *model = "{\"format\": \"spikeworks-model\", \"version\": 5, \"objects\": ["
                        "{\"type\": \"ensemble\", \"label\": \"a\", \"n_neurons\": 10, \"dimensions\": 2},"
                        "{\"type\": \"node\", \"label\": \"out\", \"size_in\": 2},"
                        "{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"out\","
                        " \"transform\": {\"type\": \"Sparse\", \"shape\": [2, 2], \"indices\": [[0, 1]]}}]}";
    g_autoptr (GError) error = NULL;
    g_autoptr (SpkNetwork) net = spk_model_load_data (model, -1, &error);
    g_autoptr (SpkPlan) plan = NULL;

    g_assert_no_error (error);
    plan = spk_build (net, &error);
    g_assert_null (plan);
    g_assert_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "connection 'c': a Sparse transform cannot be applied to a decoded "
                                              "connection"));
  }
}

/* Written, read back and written again: the same text; the kernel as
 * rows of filters, the defaults written out. */
static void
test_round_trip (void)
{
  static const struct
  {
    guint n, m;
    const char *transform, *written;
  } cases[] = {
    { 4, 3, "{\"type\": \"Sparse\", \"shape\": [3, 4], \"indices\": [[0, 1], [2, 3]], \"init\": [0.5, -1]}",
      "\"transform\":{\"type\":\"Sparse\",\"shape\":[3,4],\"indices\":[[0,1],[2,3]],\"init\":[0.5,-1]}" },
    { 4, 3, "{\"type\": \"Sparse\", \"shape\": [3, 4], \"indices\": [[0, 1]], \"init\": {\"type\": \"Uniform\"}}",
      "\"init\":{\"type\":\"Uniform\",\"low\":0,\"high\":1}" },
    { 2, 2, "{\"type\": \"Sparse\", \"shape\": [2, 2], \"init\": [[0, 2], [0, 0]]}",
      "{\"type\":\"Sparse\",\"shape\":[2,2],\"init\":[[0,2],[0,0]]}" },
    { 12, 2, "{\"type\": \"Convolution\", \"n_filters\": 1, \"input_shape\": [3, 4, 1], \"kernel_size\": [2, 2],"
      " \"strides\": [2, 2], \"init\": [[[[1]], [[2]]], [[[3]], [[4]]]]}",
      "{\"type\":\"Convolution\",\"n_filters\":1,\"input_shape\":[3,4,1],\"kernel_size\":[2,2],\"strides\":[2,2],"
      "\"padding\":\"valid\",\"channels_last\":true,\"init\":[[1],[2],[3],[4]]}" },
    { 4, 18, "{\"type\": \"ConvolutionTranspose\", \"n_filters\": 2, \"input_shape\": [2, 2, 1],"
      " \"output_shape\": [3, 3, 2], \"kernel_size\": [2, 2], \"padding\": \"valid\"}",
      "\"output_shape\":[3,3,2]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *model = model_text (cases[i].n, cases[i].m, cases[i].transform, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (SpkNetwork) net = spk_model_load_data (model, -1, &error);
      g_autoptr (SpkNetwork) again = NULL;
      g_autoptr (SpkPlan) plan = NULL;
      g_autofree char *written = NULL;

      g_assert_no_error (error);
      written = tu_model_written_twice (net);
      {
        g_autofree char *compact = g_strdelimit (g_strdup (written), "\n", ' ');
        GString *squeezed = g_string_new (NULL);

        for (const char *p = compact; *p; p++)
          if (*p != ' ')
            g_string_append_c (squeezed, *p);
        if (strstr (squeezed->str, cases[i].written) == NULL)
          g_error ("expected '%s' in '%s'", cases[i].written, squeezed->str);
        g_string_free (squeezed, TRUE);
      }
      again = spk_model_load_data (written, -1, &error);
      g_assert_no_error (error);
      plan = spk_build (again, &error);
      g_assert_no_error (error);
    }
}

/* The weights Nengo probes: a convolution's kernel (in Nengo's order), a
 * Sparse transform's entries; a sampled kernel is drawn per kernel
 * position from the connection's seed, so the same seed gives the same
 * kernel. */
static void
test_weights_probe (void)
{
  const char *probe = ",{\"type\": \"probe\", \"label\": \"w\", \"target\": \"c\", \"attr\": \"weights\"}";
  g_autofree char *sparse = model_text (4, 3, "{\"type\": \"Sparse\", \"shape\": [3, 4], \"indices\": [[0, 1], [2, 3]],"
                                              " \"init\": [0.5, -1]}", probe);
  g_autofree char *conv = model_text (12, 4, "{\"type\": \"Convolution\", \"n_filters\": 2, \"input_shape\": [3, 4, 1],"
                                             " \"kernel_size\": [2, 2], \"strides\": [2, 2]}", probe);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_model_load_data (sparse, -1, &error);
  g_autofree double *w = NULL, *w2 = NULL;
  guint size;

  g_assert_no_error (error);
  w = tu_run_probe (net, "w", 1, &size);
  g_assert_cmpuint (size, ==, 2);
  g_assert_cmpfloat (w[0], ==, 0.5);
  g_assert_cmpfloat (w[1], ==, -1.0);
  g_clear_object (&net);

  net = spk_model_load_data (conv, -1, &error);
  g_assert_no_error (error);
  spk_network_set_seed (net, 7);
  g_free (w);
  w = tu_run_probe (net, "w", 1, &size);
  g_assert_cmpuint (size, ==, 8);
  w2 = tu_run_probe (net, "w", 1, &size);
  for (guint i = 0; i < 8; i++)
    {
      g_assert_cmpfloat (w[i], ==, w2[i]);
      g_assert_cmpfloat (fabs (w[i]), <=, 1.0);
    }
  g_assert_cmpfloat (w[0], !=, w[1]);
}

/* Nengo builds the default transform between non-decoded signals as no
 * transform and refuses to probe its weights; so does the engine.  An
 * explicit transform has weights. */
static void
test_weights_probe_default (void)
{
  const char *probe = ",{\"type\": \"probe\", \"label\": \"w\", \"target\": \"c\", \"attr\": \"weights\"}";
  g_autofree char *plain = model_text (2, 2, "1", probe);
  g_autofree char *scaled = model_text (2, 2, "2", probe);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_model_load_data (plain, -1, &error);
  g_autoptr (SpkPlan) plan = NULL;
  g_autofree double *w = NULL;
  guint size;

  g_assert_no_error (error);
  plan = spk_build (net, &error);
  g_assert_null (plan);
  g_assert_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "probe 'w': connection 'c' has no weights to probe: without a transform "
                                       "(the default, 1) it applies none, as in Nengo; give it a transform");
  g_clear_error (&error);
  g_clear_object (&net);
  net = spk_model_load_data (scaled, -1, &error);
  g_assert_no_error (error);
  w = tu_run_probe (net, "w", 1, &size);
  g_assert_cmpuint (size, ==, 1);
  g_assert_cmpfloat (w[0], ==, 2.0);
}

/* A decoded connection into neurons (the post's gain folded into its
 * saved weights) keeps its weights probe when its session is saved and
 * opened again: the same weights, without the gain, as before. */
static void
test_weights_probe_session (void)
{
  const char *model =
    "{\"format\": \"spikeworks-model\", \"version\": 5, \"network\": {\"seed\": 2, \"dtype\": \"float64\"},"
    " \"objects\": ["
    "  {\"type\": \"ensemble\", \"label\": \"a\", \"n_neurons\": 6, \"dimensions\": 1, \"neuron_type\": \"LIFRate\"},"
    "  {\"type\": \"ensemble\", \"label\": \"b\", \"n_neurons\": 3, \"dimensions\": 1,"
    "   \"gain\": [2, 3, 4], \"bias\": [0, 0, 0]},"
    "  {\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"b.neurons\","
    "   \"transform\": [[1], [-0.5], [0.25]]},"
    "  {\"type\": \"probe\", \"label\": \"w\", \"target\": \"c\", \"attr\": \"weights\"}]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_model_load_data (model, -1, &error);
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSession) session = NULL;
  g_autoptr (SpkSession) back = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  g_autofree char *dir = g_dir_make_tmp ("spk-transforms-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "s.spkw", NULL);
  g_autofree double *before = NULL, *after = NULL;
  guint size;
  int index;

  g_assert_no_error (error);
  before = tu_run_probe (net, "w", 1, &size);
  g_assert_cmpuint (size, ==, 18);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  session = spk_session_new (net);
  spk_session_set_plan (session, plan);
  g_assert_true (spk_session_save (session, path, &error));
  g_assert_no_error (error);
  back = spk_session_load (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (spk_session_get_plan (back));
  index = spk_plan_find_probe (spk_session_get_plan (back), "w");
  g_assert_cmpint (index, >=, 0);
  g_assert_cmpuint (spk_plan_get_probe_size (spk_session_get_plan (back), index), ==, 18);
  sim = spk_simulator_new (spk_session_get_plan (back), 1, &error);
  g_assert_no_error (error);
  spk_simulator_run_steps (sim, 1, &error);
  g_assert_no_error (error);
  after = g_new (double, 18);
  spk_simulator_get_probe_data (sim, index, after);
  for (guint i = 0; i < 18; i++)
    g_assert_cmpfloat (fabs (after[i] - before[i]), <=, 1e-14 * MAX (fabs (before[i]), 1));
  g_assert_cmpfloat (fabs (before[0]), >, 0);
  g_unlink (path);
  g_rmdir (dir);
}

/* A session keeps a sampled convolution: saved and opened again, the
 * same weights give the same output, and its kernel probe the same kernel. */
static void
test_session_round_trip (void)
{
  const char *extra = ",{\"type\": \"probe\", \"label\": \"w\", \"target\": \"c\", \"attr\": \"weights\"},"
                      "{\"type\": \"probe\", \"label\": \"y\", \"target\": \"out\"}";
  g_autofree char *model = model_text (12, 16, "{\"type\": \"ConvolutionTranspose\", \"n_filters\": 2,"
                                               " \"input_shape\": [2, 3, 2], \"kernel_size\": [1, 2],"
                                               " \"init\": {\"type\": \"Gaussian\"}}", extra);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_model_load_data (model, -1, &error);
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSession) session = NULL;
  g_autoptr (SpkSession) back = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  g_autofree char *dir = g_dir_make_tmp ("spk-transforms-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "s.spkw", NULL);
  g_autofree double *w = NULL, *y = NULL;
  const char *labels[] = { "w", "y" };
  guint sizes[] = { 8, 16 }, size;

  g_assert_no_error (error);
  spk_network_set_seed (net, 11);
  w = tu_run_probe (net, "w", 2, &size);
  g_assert_cmpuint (size, ==, 8);
  y = tu_run_probe (net, "y", 2, &size);
  g_assert_cmpuint (size, ==, 16);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  session = spk_session_new (net);
  spk_session_set_plan (session, plan);
  g_assert_true (spk_session_save (session, path, &error));
  g_assert_no_error (error);
  back = spk_session_load (path, &error);
  g_assert_no_error (error);
  sim = spk_simulator_new (spk_session_get_plan (back), 1, &error);
  g_assert_no_error (error);
  spk_simulator_run_steps (sim, 2, &error);
  g_assert_no_error (error);
  for (guint p = 0; p < 2; p++)
    {
      int index = spk_plan_find_probe (spk_session_get_plan (back), labels[p]);
      g_autofree double *got = g_new (double, 2 * sizes[p]);
      const double *want = p == 0 ? w : y;

      g_assert_cmpint (index, >=, 0);
      g_assert_cmpuint (spk_plan_get_probe_size (spk_session_get_plan (back), index), ==, sizes[p]);
      spk_simulator_get_probe_data (sim, index, got);
      for (guint i = 0; i < 2 * sizes[p]; i++)
        g_assert_cmpfloat (fabs (got[i] - want[i]), <=, 1e-6 * MAX (fabs (want[i]), 1));
    }
  g_unlink (path);
  g_rmdir (dir);
}

/* Training trains a Sparse transform's entries only (its pattern stays:
 * tests/test-transform-kernels.c trains them), and every weight of the
 * same connection's dense twin. */
static void
test_not_trained (void)
{
  const char *dense = "[[1, 0, 0, 0], [0, 0, 2, 0], [0, 0, 0, 1]]";
  const char *sparse = "{\"type\": \"Sparse\", \"shape\": [3, 4], \"indices\": [[0, 0], [1, 2], [2, 3]],"
                       " \"init\": [1, 2, 1]}";
  gsize counts[2];

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *model = model_text (4, 3, i == 0 ? dense : sparse, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (SpkNetwork) net = spk_model_load_data (model, -1, &error);
      g_autoptr (SpkTrainer) trainer = NULL;

      g_assert_no_error (error);
      trainer = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT64, &error);
      g_assert_no_error (error);
      counts[i] = spk_trainer_get_n_trainable (trainer);
    }
  g_assert_cmpuint (counts[0], ==, 12);
  g_assert_cmpuint (counts[1], ==, 3);
}

/* The file written by version 5 (tests/data/v5/transforms.json: every
 * transform kind) loads, builds and runs; written again, it is the same
 * text but for the version, which is the writer's own. */
static void
test_version_5_file (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "v5", "transforms.json", NULL);
  g_autofree char *text = NULL, *written = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = NULL;
  g_autofree double *kernel = NULL;
  guint size;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  net = spk_model_load_data (text, -1, &error);
  g_assert_no_error (error);
  written = spk_model_to_data (net, NULL);
  {
    char *version = strstr (text, "\"version\": 5,");

    g_assert_nonnull (version);
    version[strlen ("\"version\": ")] = '7';
  }
  g_assert_cmpstr (written, ==, text);
  kernel = tu_run_probe (net, "kernel", 3, &size);
  g_assert_cmpuint (size, ==, 8);
  g_assert_cmpfloat (kernel[0], ==, kernel[16]);
}

/* The editors' helpers: a Sparse transform given as its dense matrix
 * gets explicit entries (an entry set to 0 stays one), a kernel its
 * values, and entries can be replaced; the dense weights follow. */
static void
test_with_values (void)
{
  const double matrix[] = { 0, 2, 1, 0, 0, -3 };   /* 2 × 3 */
  g_autoptr (SpkArray) dense = spk_array_new_matrix (matrix, 2, 3);
  g_autoptr (SpkDistribution) init = spk_distribution_new_array (dense);
  g_autoptr (SpkDistribution) sparse = spk_distribution_new_sparse (2, 3, NULL, init);
  g_autoptr (SpkDistribution) edited = NULL;
  g_autoptr (SpkDistribution) grown = NULL;
  double pairs[6], values[3], weights[6] = { 0 };
  const double new_values[] = { 0, 1.5, -3 };
  const double more_pairs[] = { 1, 0, 0, 2 }, more_values[] = { 7, 8 };
  guint size_out, size_in;
  SpkRng rng;
  g_autoptr (GError) error = NULL;

  g_assert_true (spk_transform_has_values (sparse));
  g_assert_cmpuint (spk_transform_n_values (sparse), ==, 3);
  spk_transform_sparse_pairs (sparse, pairs);
  g_assert_cmpfloat (pairs[0], ==, 0);
  g_assert_cmpfloat (pairs[1], ==, 1);
  g_assert_cmpfloat (pairs[2], ==, 0);
  g_assert_cmpfloat (pairs[3], ==, 2);
  g_assert_cmpfloat (pairs[4], ==, 1);
  g_assert_cmpfloat (pairs[5], ==, 2);

  edited = spk_transform_with_values (sparse, new_values);
  g_assert_nonnull (edited->indices);
  g_assert_cmpuint (spk_transform_n_values (edited), ==, 3);
  g_assert_true (spk_transform_check (edited, &size_out, &size_in, &error));
  spk_rng_init (&rng, 0);
  g_assert_true (spk_transform_weights (edited, &rng, weights, values, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (weights[1], ==, 0);
  g_assert_cmpfloat (weights[2], ==, 1.5);
  g_assert_cmpfloat (weights[5], ==, -3);
  /* The original is untouched. */
  g_assert_null (sparse->indices);

  grown = spk_transform_with_entries (edited, more_pairs, more_values, 2);
  memset (weights, 0, sizeof weights);
  g_assert_true (spk_transform_weights (grown, &rng, weights, values, &error));
  /* They replace the entries there were. */
  g_assert_cmpuint (spk_transform_n_values (grown), ==, 2);
  g_assert_cmpfloat (weights[3], ==, 7);
  g_assert_cmpfloat (weights[2], ==, 8);
  g_assert_cmpfloat (weights[5], ==, 0);

  {
    guint shape[3] = { 3, 3, 2 };
    g_autoptr (SpkDistribution) conv = spk_distribution_new_convolution (FALSE, 2, 3, shape);
    g_autoptr (SpkDistribution) fixed = NULL;
    gsize n = spk_transform_n_values (conv);
    g_autofree double *kernel = g_new (double, n);
    g_autofree double *back = g_new (double, n);

    g_assert_false (spk_transform_has_values (conv));
    g_assert_cmpuint (n, ==, 3 * 3 * 2 * 2);
    for (gsize i = 0; i < n; i++)
      kernel[i] = (double) i - 10.0;
    fixed = spk_transform_with_values (conv, kernel);
    g_assert_true (spk_transform_has_values (fixed));
    g_assert_true (spk_transform_check (fixed, &size_out, &size_in, &error));
    g_assert_true (spk_transform_weights (fixed, &rng, NULL, back, &error));
    g_assert_cmpmem (back, n * sizeof (double), kernel, n * sizeof (double));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  tu_add_nengo_cases ("transforms", nengo_cases, G_N_ELEMENTS (nengo_cases), 1e-12, TRUE);
  g_test_add_func ("/spk/transforms/errors", test_errors);
  g_test_add_func ("/spk/transforms/round-trip", test_round_trip);
  g_test_add_func ("/spk/transforms/weights-probe", test_weights_probe);
  g_test_add_func ("/spk/transforms/weights-probe-default", test_weights_probe_default);
  g_test_add_func ("/spk/transforms/weights-probe-session", test_weights_probe_session);
  g_test_add_func ("/spk/transforms/version-5-file", test_version_5_file);
  g_test_add_func ("/spk/transforms/session-round-trip", test_session_round_trip);
  g_test_add_func ("/spk/transforms/not-trained", test_not_trained);
  g_test_add_func ("/spk/transforms/with-values", test_with_values);
  return g_test_run ();
}
