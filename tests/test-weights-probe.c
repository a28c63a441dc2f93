/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-weights-probe.c — a connection's "weights" probe records the
 * weights the simulation really uses, as Nengo's does: after a session's
 * saved or a fit's trained weights replaced the transform, those, not the
 * transform as the model gives it.
 *
 * Weights into neurons are saved with the post's gain folded in (the
 * matrix a step applies, spk_plan_list_params()); Nengo's weights are
 * without it, so the probe holds the saved values divided by the gain.
 * The gains here are set by hand, so every expected value is the very
 * double the builder computes: the comparisons are exact (float64).
 */
#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "builder/spk-plan.h"
#include "core/spk-array.h"
#include "io/spk-model-json.h"
#include "io/spk-session.h"
#include "sim/spk-simulator.h"
#include "train/spk-train.h"
#include "spk-test-util.h"

#define GAIN 2.5

/* a (3 neurons) and b (2 neurons) of gain GAIN, a node u of size 3 and a
 * node out of size 2, and connection c as given with a probe "w" on its
 * weights. */
static SpkNetwork *
load_model (const char *connection)
{
  g_autofree char *text = g_strdup_printf (
    "{\"format\": \"spikeworks-model\", \"version\": 6, \"network\": {\"seed\": 3, \"dtype\": \"float64\"},"
    " \"objects\": ["
    "  {\"type\": \"node\", \"label\": \"u\", \"output\": [0.5, -0.25, 1]},"
    "  {\"type\": \"node\", \"label\": \"out\", \"size_in\": 2},"
    "  {\"type\": \"ensemble\", \"label\": \"a\", \"n_neurons\": 3, \"dimensions\": 1,"
    "   \"neuron_type\": \"RectifiedLinear\", \"gain\": [%g, %g, %g], \"bias\": [0.5, 0.25, 0]},"
    "  {\"type\": \"ensemble\", \"label\": \"b\", \"n_neurons\": 2, \"dimensions\": 1,"
    "   \"neuron_type\": \"RectifiedLinear\", \"gain\": [%g, %g], \"bias\": [0, 0.5]},"
    "  %s,"
    "  {\"type\": \"probe\", \"label\": \"w\", \"target\": \"c\", \"attr\": \"weights\"},"
    "  {\"type\": \"probe\", \"label\": \"bn\", \"target\": \"b.neurons\", \"synapse\": null}]}",
    GAIN, GAIN, GAIN, GAIN, GAIN, connection);
  g_autoptr (GError) error = NULL;
  SpkNetwork *net = spk_model_load_data (text, -1, &error);

  g_assert_no_error (error);
  return net;
}

/* Runs plan n steps and returns probe label's samples (n × its size). */
static double *
run_probe (SpkPlan    *plan,
           const char *label,
           guint       n,
           guint      *size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkSimulator) sim = spk_simulator_new (plan, 1, &error);
  int index = spk_plan_find_probe (plan, label);
  double *data;

  g_assert_no_error (error);
  g_assert_cmpint (index, >=, 0);
  g_assert_true (spk_simulator_run_steps (sim, n, &error));
  g_assert_no_error (error);
  *size = spk_plan_get_probe_size (plan, index);
  data = g_new (double, (gsize) n * *size);
  spk_simulator_get_probe_data (sim, index, data);
  return data;
}

/* Runs plan two steps and returns probe w's last sample (its size in *n). */
static double *
probe_weights (SpkPlan *plan,
               guint   *n)
{
  g_autofree double *data = run_probe (plan, "w", 2, n);

  return g_memdup2 (data + *n, *n * sizeof (double));
}

static GHashTable *
saved_params (const char   *key,
              guint         ndim,
              gsize         rows,
              gsize         cols,
              const double *values)
{
  GHashTable *params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) spk_array_unref);
  SpkArray *array = spk_array_new (ndim, rows, cols);

  memcpy (array->data, values, array->size * sizeof (double));
  g_hash_table_insert (params, g_strdup (key), array);
  return params;
}

static void
assert_weights (SpkPlan      *plan,
                const double *want,
                guint         n_want)
{
  guint n;
  g_autofree double *got = probe_weights (plan, &n);

  g_assert_cmpuint (n, ==, n_want);
  for (guint i = 0; i < n; i++)
    if (got[i] != want[i])
      g_error ("weights[%u]: the probe recorded %.17g, the simulation uses %.17g", i, got[i], want[i]);
}

/* Neurons to neurons, a dense matrix: the saved matrix (gain folded in)
 * without the gain, not the model's transform. */
static void
test_saved_dense_into_neurons (void)
{
  g_autoptr (SpkNetwork) net = load_model ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a.neurons\","
                                           " \"post\": \"b.neurons\", \"transform\": [[1, 2, 3], [4, 5, 6]]}");
  static const double saved[] = { 0.75, -1.5, 2.25, 3.5, 0.125, -4.0 };
  g_autoptr (GHashTable) params = saved_params ("c/weights", 2, 2, 3, saved);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = spk_build_with_params (net, params, &error);
  double want[6];

  g_assert_no_error (error);
  for (guint i = 0; i < 6; i++)
    want[i] = saved[i] / GAIN;
  assert_weights (plan, want, 6);
}

/* Into a node there is no gain: the saved matrix itself; and a saved
 * vector (a diagonal) is recorded as the vector it is. */
static void
test_saved_dense_into_node (void)
{
  static const double saved[] = { 0.75, -1.5, 2.25, 3.5, 0.125, -4.0 };
  static const double diagonal[] = { -0.5, 7.0 };
  g_autoptr (GError) error = NULL;

  {
    g_autoptr (SpkNetwork) net = load_model ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a.neurons\","
                                             " \"post\": \"out\", \"transform\": [[1, 2, 3], [4, 5, 6]]}");
    g_autoptr (GHashTable) params = saved_params ("c/weights", 2, 2, 3, saved);
    g_autoptr (SpkPlan) plan = spk_build_with_params (net, params, &error);

    g_assert_no_error (error);
    assert_weights (plan, saved, 6);
  }
  {
    g_autoptr (SpkNetwork) net = load_model ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"u[0:2]\","
                                             " \"post\": \"out\", \"transform\": [2, 3]}");
    g_autoptr (GHashTable) params = saved_params ("c/weights", 1, 2, 1, diagonal);
    g_autoptr (SpkPlan) plan = spk_build_with_params (net, params, &error);

    g_assert_no_error (error);
    assert_weights (plan, diagonal, 2);
  }
  {
    /* A diagonal into neurons: saved with the gain, recorded without. */
    g_autoptr (SpkNetwork) net = load_model ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"u[0:2]\","
                                             " \"post\": \"b.neurons\", \"transform\": [2, 3]}");
    g_autoptr (GHashTable) params = saved_params ("c/weights", 1, 2, 1, diagonal);
    g_autoptr (SpkPlan) plan = spk_build_with_params (net, params, &error);
    double want[2] = { diagonal[0] / GAIN, diagonal[1] / GAIN };

    g_assert_no_error (error);
    assert_weights (plan, want, 2);
  }
}

/* A Sparse transform's entries as saved, on the structured path. */
static void
test_saved_sparse (void)
{
  g_autoptr (SpkNetwork) net = load_model ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a.neurons\","
                                           " \"post\": \"b.neurons\", \"transform\": {\"type\": \"Sparse\","
                                           " \"shape\": [2, 3], \"indices\": [[0, 1], [1, 2]], \"init\": [1, 2]}}");
  static const double saved[] = { -0.625, 9.5 };
  g_autoptr (GHashTable) params = saved_params ("c/weights", 1, 2, 1, saved);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = spk_build_with_params (net, params, &error);

  g_assert_no_error (error);
  assert_weights (plan, saved, 2);
}

/* weights=True between ensembles: the saved full weights as they are
 * (Nengo's include the post's scaled encoders, so its gain). */
static void
test_saved_full_weights (void)
{
  g_autoptr (SpkNetwork) net = load_model ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"b\","
                                           " \"solver\": {\"type\": \"LstsqL2\", \"weights\": true}}");
  static const double saved[] = { 0.75, -1.5, 2.25, 3.5, 0.125, -4.0 };
  g_autoptr (GHashTable) params = saved_params ("c/weights", 2, 2, 3, saved);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = spk_build_with_params (net, params, &error);

  g_assert_no_error (error);
  assert_weights (plan, saved, 6);
}

/* Trained by fit, then saved in a session and loaded: the probe of the
 * loaded plan holds the trained weights (without the gain), which differ
 * from the transform the model gives. */
static void
test_trained_then_session (void)
{
  g_autoptr (SpkNetwork) net = load_model ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"u\","
                                           " \"post\": \"b.neurons\", \"synapse\": null,"
                                           " \"transform\": [[0.5, 0, 0], [0, 0.5, 0]]}");
  g_autoptr (SpkTrainer) trainer = NULL;
  g_autoptr (SpkDataset) x = spk_dataset_new (4, 1), y = spk_dataset_new (4, 1);
  g_autoptr (GHashTable) params = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSession) session = NULL, loaded = NULL;
  g_autofree char *dir = g_dir_make_tmp ("spk-weights-probe-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "trained.spkw", NULL);
  static const float in[] = { 1, 0, 0.5, 0, 1, 0.25, 1, 1, 0, 0.5, 0.5, 0.5 };
  static const float target[] = { 3, 1, 0, 2, 2, 2, 1, 1 };
  g_autoptr (GBytes) in_bytes = g_bytes_new_static (in, sizeof in);
  g_autoptr (GBytes) target_bytes = g_bytes_new_static (target, sizeof target);
  SpkFitOptions options;
  SpkArray *trained;
  double want[6];

  g_assert_true (spk_dataset_add (x, "u", in_bytes, 1, 3, &error));
  g_assert_true (spk_dataset_add (y, "bn", target_bytes, 1, 2, &error));
  trainer = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT64, &error);
  g_assert_no_error (error);
  spk_fit_options_init (&options);
  options.epochs = 3;
  options.batch_size = 2;
  g_assert_true (spk_trainer_fit (trainer, x, y, &options, &error));
  g_assert_no_error (error);
  params = spk_trainer_dup_params (trainer);
  trained = g_hash_table_lookup (params, "c/weights");
  g_assert_nonnull (trained);
  g_assert_cmpuint (trained->size, ==, 6);
  for (guint i = 0; i < 6; i++)
    want[i] = trained->data[i] / GAIN;
  /* Training moved them away from the model's transform. */
  g_assert_cmpfloat (fabs (want[0] - 0.5), >, 1e-3);

  plan = spk_build_with_params (net, params, &error);
  g_assert_no_error (error);
  assert_weights (plan, want, 6);

  session = spk_session_new (net);
  spk_session_set_plan (session, plan);
  g_assert_true (spk_session_save (session, path, &error));
  g_assert_no_error (error);
  loaded = spk_session_load (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (spk_session_get_plan (loaded));
  assert_weights (spk_session_get_plan (loaded), want, 6);

  g_remove (path);
  g_rmdir (dir);
}

/* Saved weights into neurons mean the same matrix (gain folded in)
 * whether or not the connection's output is probed: adding an output
 * probe after training used to apply the gain twice.  The probe itself
 * records Nengo's output, before the gain. */
static void
test_output_probe_keeps_meaning (void)
{
  const char *connection = "{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"u\","
                           " \"post\": \"b.neurons\", \"synapse\": null,"
                           " \"transform\": [[0.5, 0, 0], [0, 0.5, 0]]}";
  g_autofree char *probed = g_strconcat (connection, ", {\"type\": \"probe\", \"label\": \"co\","
                                         " \"target\": \"c\", \"attr\": \"output\", \"synapse\": null}", NULL);
  g_autoptr (SpkNetwork) plain_net = load_model (connection), probed_net = load_model (probed);
  static const double saved[] = { 0.75, -1.5, 2.25, 3.5, 0.125, -4.0 };
  static const double u[] = { 0.5, -0.25, 1 };
  g_autoptr (GHashTable) params = saved_params ("c/weights", 2, 2, 3, saved);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plain = spk_build_with_params (plain_net, params, &error);
  g_autoptr (SpkPlan) with_probe = NULL;
  g_autofree double *bn_plain = NULL, *bn_probed = NULL, *out = NULL;
  guint size, size_probed, size_out;

  g_assert_no_error (error);
  with_probe = spk_build_with_params (probed_net, params, &error);
  g_assert_no_error (error);
  bn_plain = run_probe (plain, "bn", 3, &size);
  bn_probed = run_probe (with_probe, "bn", 3, &size_probed);
  g_assert_cmpuint (size, ==, 2);
  g_assert_cmpuint (size_probed, ==, 2);
  g_assert_cmpmem (bn_plain, 3 * size * sizeof (double), bn_probed, 3 * size * sizeof (double));
  /* Two rows driven above threshold, so the comparison says something. */
  g_assert_cmpfloat (bn_plain[2 * size] + bn_plain[2 * size + 1], >, 0.0);

  out = run_probe (with_probe, "co", 3, &size_out);
  g_assert_cmpuint (size_out, ==, 2);
  for (guint r = 0; r < 2; r++)
    {
      double want = (saved[3 * r] * u[0] + saved[3 * r + 1] * u[1] + saved[3 * r + 2] * u[2]) / GAIN;

      g_assert_cmpfloat_with_epsilon (out[2 * size_out + r], want, 1e-14 * fabs (want));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/weights-probe/saved-dense-into-neurons", test_saved_dense_into_neurons);
  g_test_add_func ("/spk/weights-probe/saved-dense-into-node", test_saved_dense_into_node);
  g_test_add_func ("/spk/weights-probe/saved-sparse", test_saved_sparse);
  g_test_add_func ("/spk/weights-probe/saved-full-weights", test_saved_full_weights);
  g_test_add_func ("/spk/weights-probe/trained-then-session", test_trained_then_session);
  g_test_add_func ("/spk/weights-probe/output-probe-keeps-meaning", test_output_probe_keeps_meaning);
  return g_test_run ();
}
