/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-build.c — the builder: gain/bias and encoders as Nengo computes
 * them, determinism of the seeds, and every bad model refused with a
 * message naming the object. */
#include <math.h>
#include <string.h>

#include "builder/spk-plan-private.h"
#include "core/spk-error.h"
#include "examples/spk-examples.h"
#include "ops/spk-ops-neurons.h"
#include "spk-test-util.h"

/* Explicit max_rates and intercepts give the closed-form LIF gain and bias
 * (§2) to round-off. */
static void
test_lif_gain_bias (void)
{
  g_autoptr (SpkNetwork) net = tu_network (0, SPK_DTYPE_FLOAT64);
  SpkEnsemble *ens = tu_ensemble (net, "e", 3, 1, SPK_NEURON_LIF);
  g_autoptr (SpkArray) rates = spk_array_new_vector ((double[]) { 100, 250, 400 }, 3);
  g_autoptr (SpkArray) icpts = spk_array_new_vector ((double[]) { -0.5, 0.0, 0.8 }, 3);
  g_autoptr (SpkDistribution) r = spk_distribution_new_array (rates);
  g_autoptr (SpkDistribution) c = spk_distribution_new_array (icpts);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  const double *gain, *bias, *enc;
  guint n, d;

  spk_ensemble_set_max_rates (ens, r);
  spk_ensemble_set_intercepts (ens, c);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  g_assert_true (spk_plan_get_ensemble (plan, "e", &n, &d, NULL, &gain, &bias, &enc));
  for (guint i = 0; i < 3; i++)
    {
      double z = 1.0 / (1.0 - exp ((0.002 - 1.0 / rates->data[i]) / 0.02));
      double g = (1.0 - z) / (icpts->data[i] - 1.0);

      g_assert_cmpfloat_with_epsilon (gain[i], g, 1e-12 * g);
      g_assert_cmpfloat_with_epsilon (bias[i], 1.0 - g * icpts->data[i], 1e-12 * g);
      g_assert_cmpfloat (fabs (enc[i]), ==, 1.0);   /* 1-D encoders are ±1 */
    }
}

/* The same seed gives the same parameters; encoders are unit vectors. */
static void
test_seeded_parameters (void)
{
  g_autoptr (SpkNetwork) n1 = tu_network (7, SPK_DTYPE_FLOAT32);
  g_autoptr (SpkNetwork) n2 = tu_network (7, SPK_DTYPE_FLOAT32);
  g_autoptr (SpkNetwork) n3 = tu_network (8, SPK_DTYPE_FLOAT32);
  g_autoptr (SpkPlan) p1 = NULL, p2 = NULL, p3 = NULL;
  const double *g1, *g2, *g3, *e1;

  tu_ensemble (n1, "e", 20, 3, SPK_NEURON_LIF);
  tu_ensemble (n2, "e", 20, 3, SPK_NEURON_LIF);
  tu_ensemble (n3, "e", 20, 3, SPK_NEURON_LIF);
  p1 = spk_build (n1, NULL);
  p2 = spk_build (n2, NULL);
  p3 = spk_build (n3, NULL);
  spk_plan_get_ensemble (p1, "e", NULL, NULL, NULL, &g1, NULL, &e1);
  spk_plan_get_ensemble (p2, "e", NULL, NULL, NULL, &g2, NULL, NULL);
  spk_plan_get_ensemble (p3, "e", NULL, NULL, NULL, &g3, NULL, NULL);
  g_assert_cmpmem (g1, 20 * sizeof (double), g2, 20 * sizeof (double));
  g_assert_false (memcmp (g1, g3, 20 * sizeof (double)) == 0);
  for (guint i = 0; i < 20; i++)
    g_assert_cmpfloat_with_epsilon (e1[3 * i] * e1[3 * i] + e1[3 * i + 1] * e1[3 * i + 1]
                                    + e1[3 * i + 2] * e1[3 * i + 2], 1.0, 1e-12);
}

static void
assert_build_error (SpkNetwork *net,
                    int         code,
                    const char *fragment)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = spk_build (net, &error);

  g_assert_null (plan);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  if (code >= 0)
    g_assert_cmpint (error->code, ==, code);
  if (strstr (error->message, fragment) == NULL)
    g_error ("expected '%s' in '%s'", fragment, error->message);
}

static void
test_error_transform_shape (void)
{
  g_autoptr (SpkNetwork) net = tu_network (0, SPK_DTYPE_FLOAT32);
  SpkNode *a = tu_node_const (net, "a", (double[]) { 1, 2 }, 2);
  SpkNode *b = tu_node_pass (net, "b", 3);
  SpkConnection *conn = tu_connect (net, a, FALSE, b, FALSE, 0.005);
  g_autoptr (SpkArray) m = spk_array_new_matrix ((double[]) { 1, 2, 3, 4 }, 2, 2);
  g_autoptr (SpkDistribution) t = spk_distribution_new_array (m);

  assert_build_error (net, SPK_BUILD_ERROR_SHAPE, "connection a → b: a scalar transform needs equal input and output sizes");
  spk_connection_set_transform (conn, t);
  assert_build_error (net, SPK_BUILD_ERROR_SHAPE,
                      "connection a → b: transform has shape (2, 2) but this connection needs (3, 2)");
}

static void
test_error_intercepts (void)
{
  g_autoptr (SpkNetwork) net = tu_network (0, SPK_DTYPE_FLOAT32);
  SpkEnsemble *ens = tu_ensemble (net, "e", 5, 1, SPK_NEURON_LIF);
  g_autoptr (SpkDistribution) bad = spk_distribution_new_uniform (1.0, 1.5);

  spk_ensemble_set_intercepts (ens, bad);
  assert_build_error (net, SPK_BUILD_ERROR_INVALID, "ensemble 'e': neuron 0: intercept");
  assert_build_error (net, -1, "intercepts must be below 1");
}

static void
test_error_radius (void)
{
  g_autoptr (SpkNetwork) net = tu_network (0, SPK_DTYPE_FLOAT32);
  SpkEnsemble *ens = tu_ensemble (net, "e", 5, 1, SPK_NEURON_LIF);

  spk_ensemble_set_radius (ens, -1);
  assert_build_error (net, SPK_BUILD_ERROR_INVALID, "ensemble 'e': radius must be a positive number (got -1)");
}

static void
test_error_probe_attr (void)
{
  g_autoptr (SpkNetwork) net = tu_network (0, SPK_DTYPE_FLOAT32);
  SpkEnsemble *ens = tu_ensemble (net, "e", 5, 1, SPK_NEURON_RECTIFIED_LINEAR);

  tu_probe (net, "p", ens, TRUE, "voltage", -1);
  assert_build_error (net, SPK_BUILD_ERROR_INVALID, "probe 'p': ensemble 'e' neurons has no 'voltage' to probe");
}

static void
test_error_loop (void)
{
  g_autoptr (SpkNetwork) net = tu_network (0, SPK_DTYPE_FLOAT32);
  SpkEnsemble *ens = tu_ensemble (net, "e", 5, 1, SPK_NEURON_LIF);

  tu_connect (net, ens, FALSE, ens, FALSE, -1);
  assert_build_error (net, SPK_BUILD_ERROR_CYCLE, "loop with no synapse in it (through connection e → e)");
}

static void
test_error_negative_tau (void)
{
  g_autoptr (SpkNetwork) net = tu_network (0, SPK_DTYPE_FLOAT32);
  SpkNode *a = tu_node_const (net, "a", (double[]) { 1 }, 1);
  SpkNode *b = tu_node_pass (net, "b", 1);

  tu_connect (net, a, FALSE, b, FALSE, -1);
  {
    SpkConnection *conn = tu_connect (net, a, FALSE, b, FALSE, 0.1);
    g_autoptr (SpkSynapse) bad = spk_synapse_new_lowpass (-0.1);

    spk_connection_set_synapse (conn, bad);
  }
  assert_build_error (net, SPK_MODEL_ERROR_INVALID, "connection a → b: Lowpass synapse tau must be a non-negative number (got -0.1)");
}

static void
test_error_not_finite (void)
{
  g_autoptr (SpkNetwork) net = tu_network (0, SPK_DTYPE_FLOAT32);
  SpkNode *a = tu_node_const (net, "a", (double[]) { NAN }, 1);

  (void) a;
  assert_build_error (net, SPK_BUILD_ERROR_INVALID, "node 'a': output contains NaN or infinite values");
}

static void
test_error_transform_not_finite (void)
{
  g_autoptr (SpkNetwork) net = tu_network (0, SPK_DTYPE_FLOAT32);
  SpkNode *a = tu_node_const (net, "a", (double[]) { 1 }, 1);
  SpkNode *b = tu_node_pass (net, "b", 1);
  g_autoptr (SpkDistribution) inf = spk_distribution_new_scalar (INFINITY);

  spk_connection_set_transform (tu_connect (net, a, FALSE, b, FALSE, 0.1), inf);
  assert_build_error (net, SPK_BUILD_ERROR_INVALID, "connection a → b: transform contains NaN or infinite values");
}

static void
test_error_node_without_output (void)
{
  g_autoptr (SpkNetwork) net = tu_network (0, SPK_DTYPE_FLOAT32);
  SpkNode *node = spk_node_new ();

  spk_object_set_label (SPK_OBJECT (node), "empty");
  spk_network_add (net, SPK_OBJECT (node), NULL);
  g_object_unref (node);
  assert_build_error (net, SPK_BUILD_ERROR_INVALID, "node 'empty' has neither an output nor an input");
}

static void
test_error_foreign_object (void)
{
  g_autoptr (SpkNetwork) net = tu_network (0, SPK_DTYPE_FLOAT32);
  g_autoptr (SpkNetwork) other = tu_network (0, SPK_DTYPE_FLOAT32);
  SpkNode *a = tu_node_const (net, "a", (double[]) { 1 }, 1);
  SpkNode *stranger = tu_node_pass (other, "stranger", 1);

  tu_connect (net, a, FALSE, stranger, FALSE, 0.1);
  assert_build_error (net, SPK_BUILD_ERROR_INVALID,
                      "connection a → stranger: post 'stranger' is not a node or ensemble of this network");
}

static void
test_error_function_shape (void)
{
  g_autoptr (SpkNetwork) net = tu_network (0, SPK_DTYPE_FLOAT32);
  SpkEnsemble *a = tu_ensemble (net, "a", 10, 1, SPK_NEURON_LIF);
  SpkNode *b = tu_node_pass (net, "b", 1);

  spk_connection_set_function (tu_connect (net, a, FALSE, b, FALSE, 0.1), "x[1]");
  assert_build_error (net, -1, "connection a → b: function: x[1] is out of range");
}

static void
test_error_duplicate_label (void)
{
  g_autoptr (SpkNetwork) net = tu_network (0, SPK_DTYPE_FLOAT32);
  g_autoptr (SpkNode) twin = spk_node_new ();
  g_autoptr (GError) error = NULL;

  tu_node_pass (net, "x", 1);
  spk_object_set_label (SPK_OBJECT (twin), "x");
  g_assert_false (spk_network_add (net, SPK_OBJECT (twin), &error));
  g_assert_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_LABEL);
  g_assert_cmpstr (error->message, ==, "node 'x': the label is already used by another object");
}

/* Removing an object removes its connections and probes. */
static void
test_remove_cascades (void)
{
  g_autoptr (SpkNetwork) net = tu_network (0, SPK_DTYPE_FLOAT32);
  SpkNode *a = tu_node_const (net, "a", (double[]) { 1 }, 1);
  SpkNode *b = tu_node_pass (net, "b", 1);

  tu_connect (net, a, FALSE, b, FALSE, 0.1);
  tu_probe (net, "p", b, FALSE, NULL, -1);
  tu_probe (net, "q", a, FALSE, NULL, -1);
  spk_network_remove (net, SPK_OBJECT (b));
  g_assert_cmpuint (spk_network_get_objects (net)->len, ==, 2);
  g_assert_nonnull (spk_network_lookup (net, "q"));
  g_assert_null (spk_network_lookup (net, "p"));
}

/* Model properties notify once per real change. */
static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    data)
{
  (*(int *) data)++;
}

static void
test_property_notify (void)
{
  g_autoptr (SpkEnsemble) ens = spk_ensemble_new ();
  g_autoptr (SpkDistribution) same = spk_distribution_new_uniform (200, 400);
  g_autoptr (SpkDistribution) other = spk_distribution_new_uniform (100, 200);
  int count = 0;

  g_signal_connect (ens, "notify", G_CALLBACK (notify_count_cb), &count);
  spk_ensemble_set_n_neurons (ens, 50);           /* the default: no change */
  g_assert_cmpint (count, ==, 0);
  spk_ensemble_set_n_neurons (ens, 60);
  g_assert_cmpint (count, ==, 1);
  spk_ensemble_set_max_rates (ens, same);         /* equal value: no change */
  g_assert_cmpint (count, ==, 1);
  spk_ensemble_set_max_rates (ens, other);
  g_assert_cmpint (count, ==, 2);
  g_object_set (ens, "radius", 2.0, NULL);
  g_assert_cmpint (count, ==, 3);
}

/* A plan rebuilt from its own named parameters runs identically, even
 * when the seed changed; nothing is re-sampled or re-solved. */
static void
test_saved_params (void)
{
  g_autoptr (SpkNetwork) net = tu_network (11, SPK_DTYPE_FLOAT64);
  SpkNode *in = tu_node_expr (net, "in", "sin(2*pi*t)");
  SpkEnsemble *a = tu_ensemble (net, "a", 30, 1, SPK_NEURON_LIF);
  SpkEnsemble *b = tu_ensemble (net, "b", 20, 1, SPK_NEURON_LIF);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = NULL, again = NULL;
  g_autoptr (GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) spk_array_unref);
  g_auto (GStrv) keys = NULL;
  g_autofree double *d1 = NULL, *d2 = NULL;
  g_autoptr (SpkSimulator) s1 = NULL, s2 = NULL;

  tu_connect (net, in, FALSE, a, FALSE, 0.005);
  spk_connection_set_function (tu_connect (net, a, FALSE, b, FALSE, 0.005), "x**2");
  tu_probe (net, "p", b, FALSE, NULL, 0.01);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  keys = spk_plan_list_params (plan);
  g_assert_cmpstrv (keys, ((const char *const[]) {
    "a/bias", "a/encoders", "a/eval_points", "a/gain", "b/bias", "b/encoders", "b/eval_points",
    "b/gain", "connection0/weights", "connection1/weights", "p/weights", NULL }));
  for (guint i = 0; keys[i]; i++)
    g_hash_table_insert (params, g_strdup (keys[i]), spk_plan_dup_param (plan, keys[i]));

  spk_network_set_seed (net, 12);
  again = spk_build_with_params (net, params, &error);
  g_assert_no_error (error);
  s1 = spk_simulator_new (plan, 1, &error);
  s2 = spk_simulator_new (again, 1, &error);
  spk_simulator_run_steps (s1, 200, &error);
  spk_simulator_run_steps (s2, 200, &error);
  g_assert_no_error (error);
  d1 = g_new (double, 200);
  d2 = g_new (double, 200);
  spk_simulator_get_probe_data (s1, 0, d1);
  spk_simulator_get_probe_data (s2, 0, d2);
  /* Neuron initial state still follows the seed, so only the decoded
   * parameters are compared exactly, and the outputs loosely. */
  for (guint i = 0; keys[i]; i++)
    {
      g_autoptr (SpkArray) x = spk_plan_dup_param (plan, keys[i]);
      g_autoptr (SpkArray) y = spk_plan_dup_param (again, keys[i]);

      g_assert_true (spk_array_equal (x, y));
    }
  g_assert_cmpfloat_with_epsilon (d1[199], d2[199], 0.2);

  /* A wrong shape is named. */
  g_hash_table_insert (params, g_strdup ("a/gain"), spk_array_new_vector ((double[]) { 1, 2 }, 2));
  g_clear_pointer (&again, spk_plan_unref);
  again = spk_build_with_params (net, params, &error);
  g_assert_null (again);
  g_assert_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE);
  g_assert_cmpstr (error->message, ==, "ensemble 'a': parameter 'a/gain' has 2 values but 30 × 1 are needed");
}

/* Every arena value of plan's slots is the named value of params_plan
 * (the same network built, maybe from other parameters) the slot says,
 * times gain/radius for encoders, within 1e-12; slots are in
 * arena order, apart, and found by their offset. */
static void
assert_slots_read_back (const SpkPlan *plan,
                        const SpkPlan *params_plan)
{
  guint n_slots = spk_plan_get_n_param_slots (plan);
  gsize end = 0;

  for (guint i = 0; i < n_slots; i++)
    {
      const SpkPlanParamSlot *slot = spk_plan_get_param_slot (plan, i);
      g_autoptr (SpkArray) named = spk_plan_dup_param (params_plan, slot->key);
      g_autoptr (SpkArray) gain = NULL;
      gsize len = spk_plan_param_slot_len (slot);

      g_assert_nonnull (named);
      g_assert_cmpuint (slot->offset, >=, end);
      g_assert_cmpuint (slot->offset + len, <=, plan->n_params);
      g_assert_cmpuint (spk_plan_find_param_slot (plan, slot->offset), ==, i);
      end = slot->offset + len;
      if (slot->scale == SPK_PARAM_SLOT_GAIN_OVER_RADIUS)
        {
          g_autofree char *label = g_strndup (slot->key, strrchr (slot->key, '/') - slot->key);
          g_autofree char *gkey = g_strconcat (label, "/gain", NULL);

          gain = spk_plan_dup_param (params_plan, gkey);
          g_assert_nonnull (gain);
        }
      for (gsize j = 0; j < len; j++)
        {
          gsize e = spk_plan_param_slot_element (slot, j);
          double want;

          g_assert_cmpuint (e, <, named->size);
          want = named->data[e];
          if (gain)
            want *= gain->data[e / slot->cols] / slot->radius;
          g_assert_cmpfloat_with_epsilon (plan->params[slot->offset + j], want, 1e-12);
        }
    }
}

/* The plan's parameter map: every arena value a slot covers is the named
 * value it says (times gain/radius for encoders), within 1e-12; every
 * element of every connection weight, bias, encoder and layer parameter
 * is in some slot; slots never overlap. */
static void
test_param_map (void)
{
  g_autoptr (SpkNetwork) net = tu_network (5, SPK_DTYPE_FLOAT64);
  SpkNode *in = tu_node_expr (net, "in", "[sin(t), cos(t)]");
  SpkEnsemble *a = tu_ensemble (net, "a", 12, 2, SPK_NEURON_LIF);
  SpkEnsemble *b = tu_ensemble (net, "b", 8, 1, SPK_NEURON_LIF);
  SpkEnsemble *c = tu_ensemble (net, "c", 8, 3, SPK_NEURON_RECTIFIED_LINEAR);
  SpkNode *out = tu_node_pass (net, "out", 2);
  SpkLayer *dense = tu_layer (net, "dense", SPK_LAYER_DENSE, 2, 0, 0);
  SpkLayer *norm = tu_layer (net, "norm", SPK_LAYER_BATCH_NORMALIZATION, 3, 0, 0);
  g_autoptr (SpkDistribution) two = spk_distribution_new_scalar (2.0);
  g_autoptr (SpkArray) diag = spk_array_new_vector ((double[]) { 0.5, -1.0 }, 2);
  g_autoptr (SpkDistribution) diagonal = spk_distribution_new_array (diag);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_auto (GStrv) keys = NULL;
  const char *mapped_suffixes[] = { "/weights", "/bias", "/encoders", "/gamma", "/beta", "/moving_mean",
                                    "/moving_var", NULL };
  guint n_slots;

  spk_ensemble_set_radius (a, 2.0);
  g_object_set (dense, "units", 3, NULL);
  tu_connect (net, in, FALSE, a, FALSE, 0.005);
  spk_connection_set_transform (tu_connect (net, in, FALSE, out, FALSE, -1), two);
  spk_connection_set_transform (tu_connect (net, out, FALSE, dense, FALSE, -1), diagonal);
  spk_connection_set_function (tu_connect (net, a, FALSE, b, FALSE, 0.005), "x[0]*x[1]");
  tu_connect (net, b, TRUE, c, TRUE, 0.005);
  tu_connect (net, dense, FALSE, norm, FALSE, -1);
  tu_probe (net, "p", a, FALSE, NULL, 0.01);
  plan = spk_build (net, &error);
  g_assert_no_error (error);

  n_slots = spk_plan_get_n_param_slots (plan);
  g_assert_cmpuint (n_slots, >, 0);
  assert_slots_read_back (plan, plan);

  /* Every element of every weight, bias, encoder and layer parameter is
   * somewhere in the arena (a broadcast slot stands for all). */
  keys = spk_plan_list_params (plan);
  for (guint k = 0; keys[k]; k++)
    {
      g_autoptr (SpkArray) named = spk_plan_dup_param (plan, keys[k]);
      g_autofree gboolean *seen = g_new0 (gboolean, named->size);
      gboolean mapped = FALSE;

      for (guint s = 0; mapped_suffixes[s]; s++)
        mapped |= g_str_has_suffix (keys[k], mapped_suffixes[s]);
      if (!mapped)
        continue;
      for (guint i = 0; i < n_slots; i++)
        {
          const SpkPlanParamSlot *slot = spk_plan_get_param_slot (plan, i);

          if (!g_str_equal (slot->key, keys[k]))
            continue;
          for (gsize j = 0; j < spk_plan_param_slot_len (slot); j++)
            seen[spk_plan_param_slot_element (slot, j)] = TRUE;
          if (slot->broadcast)
            for (gsize e = 0; e < named->size; e++)
              seen[e] = TRUE;
        }
      for (gsize e = 0; e < named->size; e++)
        if (!seen[e])
          g_error ("%s element %" G_GSIZE_FORMAT " is in no slot", keys[k], e);
    }
  /* The shapes the builder chose: a's encoders (12 × 2) transposed, the
   * scalar transform one broadcast value, a and b's biases apart though
   * they share one current signal. */
  {
    gboolean enc_t = FALSE, scalar = FALSE, bias_a = FALSE, bias_b = FALSE;

    for (guint i = 0; i < n_slots; i++)
      {
        const SpkPlanParamSlot *slot = spk_plan_get_param_slot (plan, i);

        enc_t |= g_str_equal (slot->key, "a/encoders") && slot->transposed && slot->radius == 2.0;
        scalar |= g_str_equal (slot->key, "connection1/weights") && slot->broadcast;
        bias_a |= g_str_equal (slot->key, "a/bias") && slot->rows == 12;
        bias_b |= g_str_equal (slot->key, "b/bias") && slot->rows == 8;
      }
    g_assert_true (enc_t && scalar && bias_a && bias_b);
  }
}

static int
compare_by_value (gconstpointer x,
                  gconstpointer y,
                  gpointer      data)
{
  const double *v = data;
  gsize i = *(const gsize *) x, j = *(const gsize *) y;

  if (v[i] != v[j])
    return v[i] < v[j] ? -1 : 1;
  return i < j ? -1 : i > j;
}

/* For each element of a, the first element equal to it. */
static gsize *
first_equal (const SpkArray *a)
{
  g_autofree gsize *order = g_new (gsize, MAX (a->size, 1));
  gsize *first = g_new (gsize, MAX (a->size, 1));

  for (gsize j = 0; j < a->size; j++)
    order[j] = j;
  g_qsort_with_data (order, (gint) a->size, sizeof (gsize), compare_by_value, a->data);
  for (gsize r = 0; r < a->size; r++)
    first[order[r]] = r > 0 && a->data[order[r]] == a->data[order[r - 1]] ? first[order[r - 1]] : order[r];
  return first;
}

/* Whether every value of a is 0, 1 or −1. */
static gboolean
is_unit (const SpkArray *a)
{
  for (gsize j = 0; j < a->size; j++)
    if (a->data[j] != 0.0 && fabs (a->data[j]) != 1.0)
      return FALSE;
  return TRUE;
}

/* The parameter map of every example against the way the trainer used to
 * find it: the network built again from "tagged" parameters (value j of
 * the k-th named parameter becomes (k + 1)·2³² + j + 1, gains become the
 * radius so scaled encoders carry their tags through), whose arena then
 * says by itself which value is which (parameters of only 0, 1 and −1
 * keep their values: the builder may make copies of them).  Every slot of the real plan reads
 * back the model's values; in the tagged plan every slot holds exactly the
 * tags of its elements; and every tag of a connection weight, bias,
 * encoder or layer parameter in the arena lies in a slot of its key. */
static void
test_param_map_examples (void)
{
  for (const SpkExampleInfo *info = spk_examples_list (); info->name; info++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (SpkNetwork) net = spk_example_new (info->name, &error);
      g_autoptr (SpkPlan) plan = NULL, tagged_plan = NULL;
      g_autoptr (GHashTable) tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          (GDestroyNotify) spk_array_unref);
      g_autoptr (GHashTable) key_index = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr (GHashTable) untagged = g_hash_table_new (g_str_hash, g_str_equal);
      g_auto (GStrv) keys = NULL;
      guint n_slots, n_tags = 0;

      g_assert_no_error (error);
      spk_network_set_dtype (net, SPK_DTYPE_FLOAT64);
      plan = spk_build (net, &error);
      g_assert_no_error (error);
      n_slots = spk_plan_get_n_param_slots (plan);
      assert_slots_read_back (plan, plan);

      keys = spk_plan_list_params (plan);
      for (guint k = 0; keys[k]; k++)
        {
          g_autoptr (SpkArray) named = spk_plan_dup_param (plan, keys[k]);
          g_autofree gsize *first = first_equal (named);
          /* (The plan's arrays are shared: the tags go into a new one.) */
          SpkArray *tag = spk_array_new (named->ndim, named->shape[0], named->ndim == 2 ? named->shape[1] : 1);
          const char *slash = strrchr (keys[k], '/');

          /* Equal values keep equal tags (the first's), so that the
           * builder sees the same structure (a uniform transform stays
           * one broadcast value). */
          for (gsize j = 0; j < tag->size; j++)
            tag->data[j] = ldexp ((double) (k + 1), 32) + (double) first[j] + 1;
          if (is_unit (named))
            {
              /* Identities and zeros may be built as copies or nothing. */
              spk_array_unref (tag);
              tag = g_steal_pointer (&named);
              g_hash_table_add (untagged, keys[k]);
            }
          if (g_str_equal (slash, "/gain"))
            {
              g_autofree char *label = g_strndup (keys[k], slash - keys[k]);
              guint n, d;
              double radius = 1.0;
              const double *gain, *bias, *encoders;

              g_assert_true (spk_plan_get_ensemble (plan, label, &n, &d, &radius, &gain, &bias, &encoders));
              for (gsize j = 0; j < tag->size; j++)
                tag->data[j] = radius;
            }
          g_hash_table_insert (tags, g_strdup (keys[k]), tag);
          g_hash_table_insert (key_index, keys[k], GUINT_TO_POINTER (k));
        }
      tagged_plan = spk_build_with_params (net, tags, &error);
      g_assert_no_error (error);
      /* (Its layout may differ a little: a uniform transform given as
       * saved values is built as a vector, not as one broadcast value.) */
      n_slots = spk_plan_get_n_param_slots (tagged_plan);

      /* Slot by slot: the tags of its elements. */
      for (guint i = 0; i < n_slots; i++)
        {
          const SpkPlanParamSlot *slot = spk_plan_get_param_slot (tagged_plan, i);
          guint k = GPOINTER_TO_UINT (g_hash_table_lookup (key_index, slot->key));

          g_autoptr (SpkArray) named = spk_plan_dup_param (plan, slot->key);
          g_autofree gsize *first = first_equal (named);

          if (g_hash_table_contains (untagged, slot->key))
            continue;
          for (gsize j = 0; j < spk_plan_param_slot_len (slot); j++)
            g_assert_cmpfloat (tagged_plan->params[slot->offset + j], ==,
                               ldexp ((double) (k + 1), 32)
                               + (double) first[spk_plan_param_slot_element (slot, j)] + 1);
        }

      /* Tag by tag: each mapped one the arena holds is in a slot of its key. */
      for (gsize off = 0; off < tagged_plan->n_params; off++)
        {
          double v = tagged_plan->params[off];
          g_autofree char *label = NULL;
          guint64 t, k;
          const char *slash;
          guint i;
          const SpkPlanParamSlot *slot;

          if (!(v >= 0x1p32 && v < 0x1p53) || v != floor (v))
            continue;
          t = (guint64) v - 1;
          k = (t >> 32) - 1;
          if (k >= g_strv_length (keys))
            continue;
          slash = strrchr (keys[k], '/');
          if (!(g_str_equal (slash, "/weights") || g_str_equal (slash, "/bias") || g_str_equal (slash, "/encoders")
                || g_str_equal (slash, "/gamma") || g_str_equal (slash, "/beta")
                || g_str_equal (slash, "/moving_mean") || g_str_equal (slash, "/moving_var")))
            continue;
          label = g_strndup (keys[k], slash - keys[k]);
          if (spk_plan_find_probe (tagged_plan, label) >= 0)
            continue;   /* a probe's weights are no parameter of the network */
          i = spk_plan_find_param_slot (tagged_plan, off);
          if (i > 0 && (i == n_slots || spk_plan_get_param_slot (tagged_plan, i)->offset > off))
            i--;
          slot = i < n_slots ? spk_plan_get_param_slot (tagged_plan, i) : NULL;
          if (slot == NULL || off < slot->offset || off >= slot->offset + spk_plan_param_slot_len (slot)
              || !g_str_equal (slot->key, keys[k]))
            g_error ("%s: arena value %" G_GSIZE_FORMAT " holds %s element %" G_GUINT64_FORMAT
                     " but is in no slot of it", info->name, off, keys[k], t & G_MAXUINT32);
          n_tags++;
        }
      g_test_message ("%s: %u slots, %u mapped tags in the arena", info->name, n_slots, n_tags);
      g_assert_true (n_slots == 0 || n_tags > 0);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/build/lif-gain-bias", test_lif_gain_bias);
  g_test_add_func ("/spk/build/seeded-parameters", test_seeded_parameters);
  g_test_add_func ("/spk/build/error/transform-shape", test_error_transform_shape);
  g_test_add_func ("/spk/build/error/intercepts", test_error_intercepts);
  g_test_add_func ("/spk/build/error/radius", test_error_radius);
  g_test_add_func ("/spk/build/error/probe-attr", test_error_probe_attr);
  g_test_add_func ("/spk/build/error/loop", test_error_loop);
  g_test_add_func ("/spk/build/error/negative-tau", test_error_negative_tau);
  g_test_add_func ("/spk/build/error/not-finite", test_error_not_finite);
  g_test_add_func ("/spk/build/error/transform-not-finite", test_error_transform_not_finite);
  g_test_add_func ("/spk/build/error/node-without-output", test_error_node_without_output);
  g_test_add_func ("/spk/build/error/foreign-object", test_error_foreign_object);
  g_test_add_func ("/spk/build/error/function-shape", test_error_function_shape);
  g_test_add_func ("/spk/build/error/duplicate-label", test_error_duplicate_label);
  g_test_add_func ("/spk/build/remove-cascades", test_remove_cascades);
  g_test_add_func ("/spk/build/saved-params", test_saved_params);
  g_test_add_func ("/spk/build/param-map", test_param_map);
  g_test_add_func ("/spk/build/param-map/examples", test_param_map_examples);
  g_test_add_func ("/spk/build/property-notify", test_property_notify);
  return g_test_run ();
}
