/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sim.c — the simulator against NEF-FACTS: time, step ordering and
 * delays, NEF decoding accuracy, determinism, batches, blow-ups. */
#include <math.h>
#include <string.h>

#include "builder/spk-builder-private.h"
#include "core/spk-error.h"
#include "sim/spk-simulator-private.h"
#include "sim/spk-step-work.h"
#include "spk-test-util.h"

/* trange is dt·[1 … N]; nothing is computed at t = 0 (§1). */
static void
test_trange (void)
{
  g_autoptr (SpkNetwork) net = tu_network (0, SPK_DTYPE_FLOAT64);
  SpkNode *clock = tu_node_expr (net, "clock", "t");
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  double times[1000], values[1000];

  tu_probe (net, "p", clock, FALSE, NULL, -1);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  sim = spk_simulator_new (plan, 1, &error);
  spk_simulator_run_steps (sim, 1000, &error);
  g_assert_no_error (error);
  spk_simulator_get_probe_times (sim, 0, times);
  spk_simulator_get_probe_data (sim, 0, values);
  for (int n = 1; n <= 1000; n++)
    {
      /* From the step counter, so exactly n·dt, never an accumulated sum. */
      g_assert_cmpfloat (times[n - 1], ==, n * 0.001);
      g_assert_cmpfloat (values[n - 1], ==, n * 0.001);
    }
}

/* A synapse-None path has no delay: t reaches the end within the step. */
static void
test_no_synapse_no_delay (void)
{
  g_autoptr (SpkNetwork) net = tu_network (0, SPK_DTYPE_FLOAT64);
  SpkNode *clock = tu_node_expr (net, "clock", "t");
  SpkNode *a = tu_node_pass (net, "a", 1), *b = tu_node_pass (net, "b", 1);
  g_autofree double *data = NULL;
  guint size;

  tu_connect (net, clock, FALSE, a, FALSE, -1);
  tu_connect (net, a, FALSE, b, FALSE, -1);
  tu_probe (net, "p", b, FALSE, NULL, -1);
  data = tu_run_probe (net, "p", 20, &size);
  for (int n = 1; n <= 20; n++)
    g_assert_cmpfloat (data[n - 1], ==, n * 0.001);
}

/* A Lowpass hop costs one step plus the filter: a unit step u reaches the
 * post as y[n−1] with y[k] = 1 − a^k, a = exp(−dt/τ) (§1, §7). */
static void
test_lowpass_delay (void)
{
  const double tau = 0.005, a = exp (-0.001 / tau);
  g_autoptr (SpkNetwork) net = tu_network (0, SPK_DTYPE_FLOAT64);
  SpkNode *one = tu_node_const (net, "one", (double[]) { 1.0 }, 1);
  SpkNode *post = tu_node_pass (net, "post", 1);
  g_autofree double *data = NULL;
  guint size;

  tu_connect (net, one, FALSE, post, FALSE, tau);
  tu_probe (net, "p", post, FALSE, NULL, -1);
  data = tu_run_probe (net, "p", 50, &size);
  g_assert_cmpfloat (data[0], ==, 0.0);
  for (int n = 1; n <= 50; n++)
    g_assert_cmpfloat_with_epsilon (data[n - 1], 1.0 - pow (a, n - 1), 1e-12);
}

/* A probe's own synapse lags one step too (first sample 0); two hops,
 * Node → (τ) → pass-through → probe(τp), lag two steps. */
static void
test_probe_synapse_lag (void)
{
  const double tau = 0.01, a = exp (-0.001 / tau);
  g_autoptr (SpkNetwork) net = tu_network (0, SPK_DTYPE_FLOAT64);
  SpkNode *one = tu_node_const (net, "one", (double[]) { 1.0 }, 1);
  SpkNode *post = tu_node_pass (net, "post", 1);
  g_autofree double *direct = NULL, *twice = NULL;
  double y = 0.0, z = 0.0;
  guint size;

  tu_probe (net, "direct", one, FALSE, NULL, tau);
  tu_connect (net, one, FALSE, post, FALSE, tau);
  tu_probe (net, "twice", post, FALSE, NULL, tau);
  direct = tu_run_probe (net, "direct", 30, &size);
  g_clear_pointer (&direct, g_free);
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (SpkPlan) plan = spk_build (net, &error);
    g_autoptr (SpkSimulator) sim = spk_simulator_new (plan, 1, &error);

    spk_simulator_run_steps (sim, 30, &error);
    g_assert_no_error (error);
    direct = g_new (double, 30);
    twice = g_new (double, 30);
    spk_simulator_get_probe_data (sim, spk_plan_find_probe (plan, "direct"), direct);
    spk_simulator_get_probe_data (sim, spk_plan_find_probe (plan, "twice"), twice);
  }
  for (int n = 1; n <= 30; n++)
    {
      double post_value = y;        /* the connection's filter before its update */

      g_assert_cmpfloat_with_epsilon (direct[n - 1], 1.0 - pow (a, n - 1), 1e-12);
      g_assert_cmpfloat_with_epsilon (twice[n - 1], z, 1e-12);
      y = a * y + (1 - a) * 1.0;
      z = a * z + (1 - a) * post_value;
    }
  g_assert_cmpfloat (twice[0], ==, 0.0);
  g_assert_cmpfloat (twice[1], ==, 0.0);
}

/* Neuron-to-neuron connections with synapse None pass spikes on in the
 * same step: rectified-linear neurons with gain 1, bias 0 compute
 * max(0, W·x) at once. */
static void
test_neuron_chain (void)
{
  g_autoptr (SpkNetwork) net = tu_network (0, SPK_DTYPE_FLOAT64);
  SpkNode *in = tu_node_const (net, "in", (double[]) { 0.5, -0.25 }, 2);
  SpkEnsemble *h = tu_ensemble (net, "h", 2, 1, SPK_NEURON_RECTIFIED_LINEAR);
  SpkEnsemble *o = tu_ensemble (net, "o", 2, 1, SPK_NEURON_RECTIFIED_LINEAR);
  SpkConnection *c1, *c2;
  g_autoptr (SpkArray) w1 = spk_array_new_matrix ((double[]) { 1, 2, -1, 3 }, 2, 2);
  g_autoptr (SpkArray) w2 = spk_array_new_matrix ((double[]) { 2, 0.5, -1, 1 }, 2, 2);
  g_autoptr (SpkDistribution) d1 = spk_distribution_new_array (w1);
  g_autoptr (SpkDistribution) d2 = spk_distribution_new_array (w2);
  g_autofree double *data = NULL;
  guint size;

  tu_set_gain_bias (h, 1, 0);
  tu_set_gain_bias (o, 1, 0);
  c1 = tu_connect (net, in, FALSE, h, TRUE, -1);
  spk_connection_set_transform (c1, d1);
  c2 = tu_connect (net, h, TRUE, o, TRUE, -1);
  spk_connection_set_transform (c2, d2);
  tu_probe (net, "p", o, TRUE, NULL, -1);
  data = tu_run_probe (net, "p", 1, &size);
  /* h = relu([0.5 − 0.5, −0.5 − 0.75]) = [0, 0]: pick inputs that pass. */
  g_assert_cmpuint (size, ==, 2);
  g_assert_cmpfloat_with_epsilon (data[0], 0.0, 1e-15);
  {
    g_autoptr (SpkArray) w1b = spk_array_new_matrix ((double[]) { 1, 0, 0, -2 }, 2, 2);
    g_autoptr (SpkDistribution) d1b = spk_distribution_new_array (w1b);

    spk_connection_set_transform (c1, d1b);
    g_free (data);
    data = tu_run_probe (net, "p", 1, &size);
    /* h = [0.5, 0.5]; o = relu([1 + 0.25, −0.5 + 0.5]) = [1.25, 0]. */
    g_assert_cmpfloat_with_epsilon (data[0], 1.25, 1e-15);
    g_assert_cmpfloat_with_epsilon (data[1], 0.0, 1e-15);
  }
}

/* Spiking LIF in an ensemble fires at the LIFRate rate for a constant
 * current, to within one spike per second (§2). */
static void
test_lif_rate (void)
{
  const double J = 1.5, tau_rc = 0.02, tau_ref = 0.002;
  double rate = 1.0 / (tau_ref + tau_rc * log1p (1.0 / (J - 1.0)));
  g_autoptr (SpkNetwork) net = tu_network (0, SPK_DTYPE_FLOAT64);
  SpkEnsemble *ens = tu_ensemble (net, "lif", 1, 1, SPK_NEURON_LIF);
  g_autofree double *data = NULL;
  double count = 0;
  guint size;

  tu_set_gain_bias (ens, 1.0, J);
  tu_probe (net, "spikes", ens, TRUE, NULL, -1);
  data = tu_run_probe (net, "spikes", 1000, &size);
  for (int i = 0; i < 1000; i++)
    {
      g_assert_true (data[i] == 0.0 || data[i] == 1000.0);   /* amplitude/dt */
      count += data[i] * 0.001;
    }
  g_assert_cmpfloat (fabs (count - rate), <=, 1.0);
}

static double
channel_rmse (gint64      seed,
              SpkDtype    dtype,
              const char *function)
{
  g_autoptr (SpkNetwork) net = tu_network (seed, dtype);
  SpkNode *in = tu_node_expr (net, "in", "sin(2*pi*t)");
  SpkEnsemble *a = tu_ensemble (net, "a", 100, 1, SPK_NEURON_LIF);
  SpkNode *out = tu_node_pass (net, "out", 1);
  SpkNode *ref = tu_node_pass (net, "ref", 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  double got[1000], want[1000], sum = 0;
  SpkConnection *reference;
  int n = 0;

  tu_connect (net, in, FALSE, a, FALSE, 0.005);
  spk_connection_set_function (tu_connect (net, a, FALSE, out, FALSE, -1), function);
  /* The reference sees the same synapses and one step of delay per hop. */
  reference = tu_connect (net, in, FALSE, ref, FALSE, 0.005);
  spk_connection_set_function (reference, function);
  tu_probe (net, "got", out, FALSE, NULL, 0.01);
  tu_probe (net, "want", ref, FALSE, NULL, 0.01);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  sim = spk_simulator_new (plan, 1, &error);
  spk_simulator_run_steps (sim, 1000, &error);
  g_assert_no_error (error);
  spk_simulator_get_probe_data (sim, spk_plan_find_probe (plan, "got"), got);
  spk_simulator_get_probe_data (sim, spk_plan_find_probe (plan, "want"), want);
  for (int i = 99; i < 1000; i++, n++)
    sum += (got[i] - want[i]) * (got[i] - want[i]);
  return sqrt (sum / n);
}

/* NEF-FACTS §6: a 100-neuron LIF channel decodes sin(2πt) with a probe
 * RMSE of about 0.017 (mean over seeds).  We allow 0.025 for the mean of
 * five seeds (sampling spread), and check x² decodes about as well. */
static void
test_decode_accuracy (void)
{
  double identity = 0, square = 0;

  for (int seed = 0; seed < 5; seed++)
    {
      double e1 = channel_rmse (seed, SPK_DTYPE_FLOAT64, "x");
      double e2 = channel_rmse (seed, SPK_DTYPE_FLOAT64, "x**2");

      g_test_message ("seed %d: identity RMSE %.4f, x² RMSE %.4f", seed, e1, e2);
      identity += e1 / 5;
      square += e2 / 5;
    }
  g_test_message ("mean identity RMSE %.4f (Nengo ≈ 0.017), x² %.4f", identity, square);
  g_assert_cmpfloat (identity, <, 0.025);
  g_assert_cmpfloat (identity, >, 0.005);   /* spikes always leave some noise */
  /* x² is compared with a reference that squares before filtering, which
   * adds its own small difference; hence the looser bound. */
  g_assert_cmpfloat (square, <, 0.035);
}

/* float32 decodes as well as float64 (the precision only shifts spike
 * times by round-off). */
static void
test_float32_decode (void)
{
  double e32 = channel_rmse (1, SPK_DTYPE_FLOAT32, "x");
  double e64 = channel_rmse (1, SPK_DTYPE_FLOAT64, "x");

  g_assert_cmpfloat (fabs (e32 - e64), <, 0.01);
}

static SpkNetwork *
small_model (gint64 seed)
{
  SpkNetwork *net = tu_network (seed, SPK_DTYPE_FLOAT32);
  SpkNode *in = tu_node_expr (net, "in", "sin(2*pi*t)");
  SpkEnsemble *a = tu_ensemble (net, "a", 50, 1, SPK_NEURON_LIF);
  SpkEnsemble *b = tu_ensemble (net, "b", 30, 1, SPK_NEURON_LIF);

  tu_connect (net, in, FALSE, a, FALSE, 0.005);
  tu_connect (net, a, FALSE, b, FALSE, 0.005);
  tu_probe (net, "p", b, FALSE, NULL, 0.01);
  tu_probe (net, "spikes", a, TRUE, NULL, -1);
  return net;
}

/* The same model and seed give bit-identical output; another seed not. */
static void
test_determinism (void)
{
  g_autoptr (SpkNetwork) n1 = small_model (3), n2 = small_model (3), n3 = small_model (4);
  g_autofree double *d1 = NULL, *d2 = NULL, *d3 = NULL;
  guint size;

  d1 = tu_run_probe (n1, "p", 300, &size);
  d2 = tu_run_probe (n2, "p", 300, &size);
  d3 = tu_run_probe (n3, "p", 300, &size);
  g_assert_cmpmem (d1, 300 * sizeof (double), d2, 300 * sizeof (double));
  g_assert_false (memcmp (d1, d3, 300 * sizeof (double)) == 0);
}

/* Adding a probe never changes other objects' randomness (§8). */
static void
test_seed_independence (void)
{
  g_autoptr (SpkNetwork) n1 = small_model (3), n2 = small_model (3);
  g_autofree double *d1 = NULL, *d2 = NULL;
  guint size;

  tu_probe (n2, "extra", spk_network_lookup (n2, "a"), FALSE, NULL, 0.02);
  d1 = tu_run_probe (n1, "p", 200, &size);
  d2 = tu_run_probe (n2, "p", 200, &size);
  g_assert_cmpmem (d1, 200 * sizeof (double), d2, 200 * sizeof (double));
}

/* Batch row i of a predict equals a single run with input i. */
static void
test_batch_equivalence (void)
{
  const guint B = 3, T = 200;
  g_autoptr (SpkNetwork) net = tu_network (5, SPK_DTYPE_FLOAT64);
  SpkNode *in = tu_node_const (net, "in", (double[]) { 0.0, 0.0 }, 2);
  SpkEnsemble *a = tu_ensemble (net, "a", 40, 2, SPK_NEURON_LIF);
  SpkNode *out = tu_node_pass (net, "out", 2);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSimulator) batch = NULL;
  g_autofree double *inputs = g_new (double, B * T * 2);
  g_autofree double *all = g_new (double, B * T * 2);
  const char *labels[] = { "in", NULL };
  const double *data[] = { inputs };

  tu_connect (net, in, FALSE, a, FALSE, 0.005);
  tu_connect (net, a, FALSE, out, FALSE, 0.01);
  tu_probe (net, "p", out, FALSE, NULL, -1);
  for (guint b = 0; b < B; b++)
    for (guint t = 0; t < T; t++)
      {
        inputs[(b * T + t) * 2] = sin (0.01 * t * (b + 1));
        inputs[(b * T + t) * 2 + 1] = 0.3 * b - 0.4;
      }
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  batch = spk_simulator_new (plan, B, &error);
  spk_simulator_predict (batch, labels, data, T, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (spk_simulator_get_probe_n_samples (batch, 0), ==, T);
  spk_simulator_get_probe_data (batch, 0, all);
  for (guint b = 0; b < B; b++)
    {
      g_autoptr (SpkSimulator) single = spk_simulator_new (plan, 1, &error);
      const double *row[] = { inputs + b * T * 2 };
      double one[200 * 2];

      spk_simulator_predict (single, labels, row, T, &error);
      g_assert_no_error (error);
      spk_simulator_get_probe_data (single, 0, one);
      /* Row order of summation may differ between a batched product and a
       * single one: round-off in float64 only. */
      for (guint i = 0; i < T * 2; i++)
        g_assert_cmpfloat_with_epsilon (all[b * T * 2 + i], one[i], 1e-12);
    }
}

/* A state that blows up stops the run with an error naming the object. */
static void
test_blow_up (void)
{
  g_autoptr (SpkNetwork) net = tu_network (0, SPK_DTYPE_FLOAT32);
  SpkNode *one = tu_node_const (net, "one", (double[]) { 1.0 }, 1);
  SpkNode *acc = tu_node_pass (net, "acc", 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  g_autoptr (SpkDistribution) two = spk_distribution_new_scalar (2.0);

  tu_connect (net, one, FALSE, acc, FALSE, -1);
  spk_connection_set_transform (tu_connect (net, acc, FALSE, acc, FALSE, 0.0), two);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  sim = spk_simulator_new (plan, 1, &error);
  g_assert_false (spk_simulator_run_steps (sim, 1000, &error));
  g_assert_error (error, SPK_SIM_ERROR, SPK_SIM_ERROR_NOT_FINITE);
  g_assert_nonnull (strstr (error->message, "node 'acc'"));
  g_assert_nonnull (strstr (error->message, "became NaN or infinite"));
}

/* An expression that produces NaN is named. */
static void
test_expression_nan (void)
{
  g_autoptr (SpkNetwork) net = tu_network (0, SPK_DTYPE_FLOAT64);
  SpkNode *bad = tu_node_expr (net, "bad", "log(0.01 - t)");
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSimulator) sim = NULL;

  tu_probe (net, "p", bad, FALSE, NULL, -1);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  sim = spk_simulator_new (plan, 1, &error);
  g_assert_true (spk_simulator_run_steps (sim, 5, &error));
  g_assert_false (spk_simulator_run_steps (sim, 100, &error));
  g_assert_error (error, SPK_SIM_ERROR, SPK_SIM_ERROR_NOT_FINITE);
  g_assert_nonnull (strstr (error->message, "node 'bad' output"));
}

/* Slices: a[0] → b[1] moves one dimension; probes can slice too. */
static void
test_slices (void)
{
  g_autoptr (SpkNetwork) net = tu_network (0, SPK_DTYPE_FLOAT64);
  SpkNode *a = tu_node_const (net, "a", (double[]) { 0.25, 0.5, 0.75 }, 3);
  SpkNode *b = tu_node_pass (net, "b", 2);
  SpkConnection *conn = tu_connect (net, a, FALSE, b, FALSE, -1);
  g_autoptr (SpkSlice) pre = spk_slice_parse ("[2, 0]", NULL);
  g_autoptr (SpkSlice) post = spk_slice_parse ("1::-1", NULL);
  g_autoptr (SpkSlice) last = spk_slice_parse ("-1", NULL);
  g_autofree double *data = NULL, *sliced = NULL;
  SpkProbe *probe;
  guint size;

  spk_connection_set_pre_slice (conn, pre);
  spk_connection_set_post_slice (conn, post);
  tu_probe (net, "p", b, FALSE, NULL, -1);
  probe = tu_probe (net, "q", b, FALSE, NULL, -1);
  spk_probe_set_slice (probe, last);
  data = tu_run_probe (net, "p", 1, &size);
  g_assert_cmpuint (size, ==, 2);
  /* post[1] = a[2], post[0] = a[0] */
  g_assert_cmpfloat (data[0], ==, 0.25);
  g_assert_cmpfloat (data[1], ==, 0.75);
  sliced = tu_run_probe (net, "q", 1, &size);
  g_assert_cmpuint (size, ==, 1);
  g_assert_cmpfloat (sliced[0], ==, 0.75);
}

/* sample_every keeps step n iff n mod (s/dt) < 1 (§1). */
static void
test_sample_every (void)
{
  g_autoptr (SpkNetwork) net = tu_network (0, SPK_DTYPE_FLOAT64);
  SpkNode *clock = tu_node_expr (net, "clock", "t");
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  SpkProbe *probe = tu_probe (net, "p", clock, FALSE, NULL, -1);
  double times[20];

  spk_probe_set_sample_every (probe, 0.005);
  plan = spk_build (net, &error);
  sim = spk_simulator_new (plan, 1, &error);
  spk_simulator_run_steps (sim, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (spk_simulator_get_probe_n_samples (sim, 0), ==, 20);
  spk_simulator_get_probe_times (sim, 0, times);
  g_assert_cmpfloat_with_epsilon (times[0], 0.005, 1e-15);
  g_assert_cmpfloat_with_epsilon (times[19], 0.1, 1e-15);
  spk_simulator_reset (sim);
  g_assert_cmpuint (spk_simulator_get_probe_n_samples (sim, 0), ==, 0);
}

/* A step's essential work, as `bench` times its floor: every neuron of a
 * type (batch rows included) in one group, copied from the simulator's
 * own currents and states, and every product with its flops and bytes. */
static void
test_step_work (void)
{
  const guint B = 3;
  g_autoptr (SpkNetwork) net = tu_network (2, SPK_DTYPE_FLOAT32);
  SpkNode *in = tu_node_const (net, "in", (double[]) { 0.7 }, 1);
  SpkEnsemble *a = tu_ensemble (net, "a", 40, 1, SPK_NEURON_LIF);
  SpkEnsemble *b = tu_ensemble (net, "b", 30, 1, SPK_NEURON_LIF);
  SpkEnsemble *c = tu_ensemble (net, "c", 20, 1, SPK_NEURON_RECTIFIED_LINEAR);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  g_autoptr (SpkStepWork) work = NULL;
  guint64 flops = 0, bytes = 0, weight_bytes = 0;
  guint lif = 0, relu = 0, spikes = 0;

  tu_connect (net, in, FALSE, a, FALSE, 0.005);
  tu_connect (net, a, FALSE, b, FALSE, 0.005);
  tu_connect (net, b, FALSE, c, FALSE, 0.005);
  tu_probe (net, "p", c, TRUE, NULL, -1);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  sim = spk_simulator_new (plan, B, &error);
  g_assert_no_error (error);
  g_assert_true (spk_simulator_run_steps (sim, 50, &error));
  work = spk_simulator_dup_step_work (sim);
  g_assert_cmpint (work->dtype, ==, SPK_DTYPE_FLOAT32);
  g_assert_cmpuint (work->neurons->len, ==, 2);
  for (guint g = 0; g < work->neurons->len; g++)
    {
      SpkStepNeurons *group = g_ptr_array_index (work->neurons, g);

      if (group->type->kind == SPK_NEURON_LIF)
        {
          lif = g;
          /* a and b together, every batch row. */
          g_assert_cmpuint (group->count, ==, B * (40 + 30));
          g_assert_cmpuint (group->n_states, ==, 2);
        }
      else
        {
          relu = g;
          g_assert_cmpuint (group->count, ==, B * 20);
        }
    }
  g_assert_cmpuint (lif, !=, relu);
  /* The copies are the running network's: a's currents after 50 steps of a
   * constant input make some of its neurons spike within a few updates. */
  for (int step = 0; step < 20; step++)
    {
      SpkStepNeurons *group = g_ptr_array_index (work->neurons, lif);

      spk_step_work_update (work, lif, 0, group->count);
      for (gsize i = 0; i < group->count; i++)
        {
          g_assert_true (isfinite (((float *) group->out)[i]));
          spikes += ((float *) group->out)[i] > 0;
        }
    }
  g_assert_cmpuint (spikes, >, 0);
  /* Encoders of a, b, c (40, 30, 20 × 1) and decoders of a, b (1 × 40, 30). */
  g_assert_cmpuint (work->products->len, ==, 5);
  for (guint i = 0; i < work->products->len; i++)
    {
      const SpkStepProduct *p = &g_array_index (work->products, SpkStepProduct, i);

      flops += p->flops;
      bytes += p->bytes;
      weight_bytes += p->weight_bytes;
      g_assert_cmpuint (p->weight_bytes, <, p->bytes);
    }
  g_assert_cmpuint (flops, ==, 2 * B * (40 + 40 + 30 + 30 + 20));
  g_assert_cmpuint (weight_bytes, ==, sizeof (float) * 160);
  g_assert_cmpuint (spk_step_work_weight_bytes (work), ==, weight_bytes);
  /* Weights once, and each product's input and output per batch row. */
  g_assert_cmpuint (bytes, ==, sizeof (float) * (160 + B * (1 + 40 + 40 + 1 + 1 + 30 + 30 + 1 + 1 + 20)));
}

/* The network of carry-state: white noise into a and b (one group of LIF
 * ensembles, so they share their signals), b probed through a filter. */
static SpkNetwork *
noisy_model (void)
{
  SpkNetwork *net = tu_network (7, SPK_DTYPE_FLOAT32);
  g_autoptr (SpkNode) noise = spk_node_new ();
  g_autoptr (SpkProcess) process = spk_process_new (SPK_PROCESS_WHITE_NOISE);
  SpkEnsemble *a = tu_ensemble (net, "a", 40, 1, SPK_NEURON_LIF);
  SpkEnsemble *b = tu_ensemble (net, "b", 30, 1, SPK_NEURON_LIF);

  spk_object_set_label (SPK_OBJECT (noise), "noise");
  spk_node_set_output_process (noise, process);
  spk_node_set_size_out (noise, 1);
  spk_network_add (net, SPK_OBJECT (noise), NULL);
  tu_connect (net, noise, FALSE, a, FALSE, 0.005);
  tu_connect (net, a, FALSE, b, FALSE, 0.005);
  tu_probe (net, "p", b, FALSE, NULL, 0.01);
  tu_probe (net, "spikes", a, TRUE, NULL, -1);
  return net;
}

/* A run goes on in a plan rebuilt with more probes (one with a filter of
 * its own), a connection out of a and a third LIF ensemble in a's group:
 * from the carried step on, the old probes record exactly what the
 * unchanged run records (the noise's stream, neuron states, filters and
 * the group's shared signals all carried), and the new ones record. */
static void
test_carry_state (void)
{
  g_autoptr (SpkNetwork) net = noisy_model ();
  g_autoptr (SpkNetwork) more = noisy_model ();
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkPlan) plan_more = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  g_autoptr (SpkSimulator) sim_more = NULL;
  SpkEnsemble *c = tu_ensemble (more, "c", 20, 1, SPK_NEURON_LIF);
  SpkNode *tap = tu_node_pass (more, "tap", 1);
  g_autofree double *expect = g_new (double, 500 * 40);
  g_autofree double *got = g_new (double, 200 * 40);
  g_autofree double *extra = g_new (double, 200);
  double times[200];

  tu_connect (more, spk_network_lookup (more, "a"), FALSE, tap, FALSE, 0.02);
  tu_connect (more, spk_network_lookup (more, "b"), FALSE, c, FALSE, 0.005);
  tu_probe (more, "extra", tap, FALSE, NULL, 0.05);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  plan_more = spk_build (more, &error);
  g_assert_no_error (error);
  sim = spk_simulator_new (plan, 1, &error);
  sim_more = spk_simulator_new (plan_more, 1, &error);
  g_assert_no_error (error);

  g_assert_true (spk_simulator_run_steps (sim, 300, &error));
  g_assert_true (spk_simulator_carry_state (sim_more, sim));
  g_assert_cmpuint (spk_simulator_get_n_steps (sim_more), ==, 300);
  g_assert_true (spk_simulator_run_steps (sim, 200, &error));
  g_assert_true (spk_simulator_run_steps (sim_more, 200, &error));
  g_assert_no_error (error);

  for (guint p = 0; p < 2; p++)
    {
      const char *label = p == 0 ? "p" : "spikes";
      guint width = p == 0 ? 1 : 40;
      int q = spk_plan_find_probe (plan, label), q_more = spk_plan_find_probe (plan_more, label);

      g_assert_cmpuint (spk_simulator_get_probe_n_samples (sim_more, q_more), ==, 200);
      spk_simulator_get_probe_data (sim, q, expect);
      spk_simulator_get_probe_data (sim_more, q_more, got);
      g_assert_cmpmem (got, 200 * width * sizeof (double), expect + 300 * width, 200 * width * sizeof (double));
      spk_simulator_get_probe_times (sim_more, q_more, times);
      g_assert_cmpfloat_with_epsilon (times[0], 0.301, 1e-12);
    }
  /* The new probe records from the carried step on, through its own
   * filter started from zero. */
  spk_simulator_get_probe_data (sim_more, spk_plan_find_probe (plan_more, "extra"), extra);
  g_assert_cmpfloat (fabs (extra[199]), >, 0.0);

  /* Another dtype: nothing carried. */
  {
    g_autoptr (SpkNetwork) wide = noisy_model ();
    g_autoptr (SpkPlan) plan_wide = NULL;
    g_autoptr (SpkSimulator) sim_wide = NULL;

    spk_network_set_dtype (wide, SPK_DTYPE_FLOAT64);
    plan_wide = spk_build (wide, &error);
    sim_wide = spk_simulator_new (plan_wide, 1, &error);
    g_assert_no_error (error);
    g_assert_false (spk_simulator_carry_state (sim_wide, sim));
    g_assert_cmpuint (spk_simulator_get_n_steps (sim_wide), ==, 0);
  }
}

/* At batch 1 an operator of many tiny items (resets, copies, one-column
 * encoders, one-row decoders) runs from packed items; at batch 2 through
 * the general loops.  Both do the same arithmetic in the same order, so a
 * chain of small ensembles gives bit-identical results. */
static void
test_packed_items (void)
{
  const guint T = 300;
  g_autoptr (SpkNetwork) net = tu_network (3, SPK_DTYPE_FLOAT64);
  SpkNode *in = tu_node_const (net, "in", (double[]) { 0.0 }, 1);
  gpointer prev = in;
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSimulator) single = NULL, pair = NULL;
  g_autofree double *inputs = g_new (double, 2 * T);
  g_autofree double *one = g_new (double, T), *two = g_new (double, 2 * T);
  const char *labels[] = { "in", NULL };
  const double *data[] = { inputs };

  for (guint k = 0; k < 6; k++)
    {
      g_autofree char *label = g_strdup_printf ("e%u", k);
      SpkEnsemble *e = tu_ensemble (net, label, 30, 1, SPK_NEURON_LIF);

      tu_connect (net, prev, FALSE, e, FALSE, 0.005);
      prev = e;
    }
  tu_probe (net, "p", prev, FALSE, NULL, 0.01);
  for (guint t = 0; t < T; t++)
    inputs[t] = inputs[T + t] = sin (0.02 * t);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  single = spk_simulator_new (plan, 1, &error);
  pair = spk_simulator_new (plan, 2, &error);
  g_assert_no_error (error);
  g_assert_true (spk_simulator_predict (single, labels, data, T, &error));
  g_assert_true (spk_simulator_predict (pair, labels, data, T, &error));
  g_assert_no_error (error);
  spk_simulator_get_probe_data (single, 0, one);
  spk_simulator_get_probe_data (pair, 0, two);
  for (guint t = 0; t < T; t++)
    {
      g_assert_cmpfloat (one[t], ==, two[t]);
      g_assert_cmpfloat (one[t], ==, two[T + t]);
    }
  g_assert_cmpfloat (fabs (one[T - 1]), >, 0.0);
}

/* A chain of small ensembles whose connections share a synapse, with
 * the input and probe data of one run at batch b. */
static void
run_chain (SpkDtype   dtype,
           guint      batch,
           guint      T,
           SpkPlan  **plan_out,
           double    *out)
{
  g_autoptr (SpkNetwork) net = tu_network (5, dtype);
  SpkNode *in = tu_node_const (net, "in", (double[]) { 0.0 }, 1);
  gpointer prev = in;
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  g_autofree double *inputs = g_new (double, (gsize) batch * T);
  const char *labels[] = { "in", NULL };
  const double *data[] = { inputs };

  for (guint k = 0; k < 7; k++)
    {
      g_autofree char *label = g_strdup_printf ("e%u", k);
      SpkEnsemble *e = tu_ensemble (net, label, 20, 1, SPK_NEURON_LIF);

      tu_connect (net, prev, FALSE, e, FALSE, 0.005);
      prev = e;
    }
  tu_probe (net, "p", prev, FALSE, NULL, 0.01);
  for (guint b = 0; b < batch; b++)
    for (guint t = 0; t < T; t++)
      inputs[(gsize) b * T + t] = sin (0.02 * t + b);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  sim = spk_simulator_new (plan, batch, &error);
  g_assert_no_error (error);
  g_assert_true (spk_simulator_predict (sim, labels, data, T, &error));
  g_assert_no_error (error);
  spk_simulator_get_probe_data (sim, 0, out);
  if (plan_out)
    *plan_out = g_steal_pointer (&plan);
}

/* The builder lays the one-value signals of the chain's connections side
 * by side, so their six synapse filters (and the copies and resets around
 * them) run as one item, and at batch 1 the encoders set the input current
 * from the biases in the same pass; the results are bit for bit those of
 * the layout with one signal per connection, at batch 1 and 2, in both
 * precisions. */
static void
test_coalesced_signals (gconstpointer data)
{
  SpkDtype dtype = GPOINTER_TO_INT (data);
  const guint T = 250;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  g_autoptr (GError) error = NULL;
  gboolean fused = FALSE, folded = FALSE;
  g_autofree double *first = g_new (double, T);

  for (guint batch = 1; batch <= 2; batch++)
    {
      g_autofree double *laid = g_new (double, (gsize) batch * T);
      g_autofree double *apart = g_new (double, (gsize) batch * T);

      g_clear_pointer (&plan, spk_plan_unref);
      run_chain (dtype, batch, T, &plan, laid);
      _spk_builder_coalesce_enabled = FALSE;
      run_chain (dtype, batch, T, NULL, apart);
      _spk_builder_coalesce_enabled = TRUE;
      for (guint i = 0; i < batch * T; i++)
        g_assert_cmpfloat (laid[i], ==, apart[i]);
      g_assert_cmpfloat (fabs (laid[T - 1]), >, 0.0);
      /* Batch 1 folds the biases into the encoders; batch 2 does not. */
      if (batch == 1)
        memcpy (first, laid, T * sizeof (double));
      else
        for (guint t = 0; t < T; t++)
          g_assert_cmpfloat (first[t], ==, laid[t]);
    }
  for (guint i = 0; i < plan->ops->len; i++)
    {
      const SpkPlanOp *op = g_ptr_array_index (plan->ops, i);

      if (op->kind == SPK_OP_FILTER && op->items->len == 1 && spk_plan_op_item (op, 0)->dst.len == 6)
        fused = TRUE;
    }
  g_assert_true (fused);
  sim = spk_simulator_new (plan, 1, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < sim->n_ops; i++)
    folded |= sim->ops[i].folded;
  g_assert_true (folded);
}

/* A float32 chain of n_ens ensembles of 50 LIF neurons at batch 1, T
 * steps of a sine; the last ensemble's decoded output into out.  Whether
 * a neuron group ran fused with its encoders and decoders into *fused. */
static void
run_fusable_chain (guint     n_ens,
                   guint     T,
                   double   *out,
                   gboolean *fused)
{
  g_autoptr (SpkNetwork) net = tu_network (9, SPK_DTYPE_FLOAT32);
  SpkNode *in = tu_node_const (net, "in", (double[]) { 0.0 }, 1);
  gpointer prev = in;
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  g_autofree double *inputs = g_new (double, T);
  const char *labels[] = { "in", NULL };
  const double *data[] = { inputs };

  for (guint k = 0; k < n_ens; k++)
    {
      g_autofree char *label = g_strdup_printf ("e%u", k);
      SpkEnsemble *e = tu_ensemble (net, label, 50, 1, SPK_NEURON_LIF);

      tu_connect (net, prev, FALSE, e, FALSE, 0.005);
      prev = e;
    }
  tu_probe (net, "p", prev, FALSE, NULL, 0.01);
  for (guint t = 0; t < T; t++)
    inputs[t] = sin (0.05 * t);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  sim = spk_simulator_new (plan, 1, &error);
  g_assert_no_error (error);
  *fused = FALSE;
  for (guint i = 0; i < sim->n_ops; i++)
    *fused |= sim->ops[i].fused != NULL;
  g_assert_true (spk_simulator_predict (sim, labels, data, T, &error));
  g_assert_no_error (error);
  spk_simulator_get_probe_data (sim, 0, out);
}

/* A float32 neuron group's biases, small encoders and decoders run fused
 * with its update, part by part on the pool's threads (200 ensembles:
 * 10,000 neurons, enough to split): the results are bit for bit those of
 * the separate operators (SPK_FUSE=0). */
/* A small product's row in float32 sums term c into partial sum c mod 8
 * and adds the eight by a fixed tree (docs/performance.md, item 14), and a
 * one-column encoder sets bias + w·x; the step's vector code (whole
 * vectors, the last terms moved into their lanes, overlapping blocks)
 * must give exactly those values, for every length, with −0, ±∞ and
 * values of every size in the terms.  Float64 sums in order. */
static float
dot_row_by_lanes (const float *w,
                  const float *s,
                  gsize        n)
{
  float acc[8] = { 0 };

  for (gsize c = 0; c < n; c++)
    acc[c % 8] += w[c] * s[c];
  return ((acc[0] + acc[4]) + (acc[2] + acc[6])) + ((acc[1] + acc[5]) + (acc[3] + acc[7]));
}

static gboolean
same_bits (double a,
           double b)
{
  return (isnan (a) && isnan (b)) || memcmp (&a, &b, sizeof a) == 0;
}

static void
test_dot_row_order (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (19);
  const float specials[] = { -0.0f, 0.0f, 1e-30f, -1e30f, 3.0e38f, -INFINITY };

  for (guint trial = 0; trial < 400; trial++)
    {
      const gsize n = trial % 80;
      float w[80], s[80], bias[80], d[80];
      double wd[80], sd[80], sum = 0;
      const float x = (float) g_rand_double_range (rand, -2, 2);

      for (gsize c = 0; c < n; c++)
        {
          w[c] = (float) g_rand_double_range (rand, -1, 1) * exp2f ((float) g_rand_int_range (rand, -20, 20));
          s[c] = (float) g_rand_double_range (rand, -1, 1);
          bias[c] = (float) g_rand_double_range (rand, -1, 1);
          /* Now and then a signed zero or an extreme value. */
          if (g_rand_int_range (rand, 0, 8) == 0)
            s[c] = specials[g_rand_int_range (rand, 0, trial < 200 ? 2 : G_N_ELEMENTS (specials))];
          wd[c] = w[c], sd[c] = s[c];
          sum += wd[c] * sd[c];
        }
      g_assert_true (same_bits (_spk_simulator_dot_row_f32 (w, s, n), dot_row_by_lanes (w, s, n)));
      g_assert_true (same_bits (_spk_simulator_dot_row_f64 (wd, sd, n), sum));
      _spk_simulator_axpy_set_f32 (d, bias, w, x, n);
      for (gsize r = 0; r < n; r++)
        g_assert_true (same_bits (d[r], bias[r] + w[r] * x));
    }
  /* An all −0 row sums to +0 as the partial sums do. */
  {
    float w[13], s[13];

    for (guint c = 0; c < 13; c++)
      w[c] = 1, s[c] = -0.0f;
    g_assert_false (signbit (_spk_simulator_dot_row_f32 (w, s, 13)));
  }
}

static void
test_fused_groups (void)
{
  const guint T = 200;

  for (guint n_ens = 3; n_ens <= 200; n_ens += 197)
    {
      g_autofree double *fused_out = g_new (double, T), *apart = g_new (double, T);
      gboolean fused = FALSE, unfused = TRUE;

      run_fusable_chain (n_ens, T, fused_out, &fused);
      g_setenv ("SPK_FUSE", "0", TRUE);
      run_fusable_chain (n_ens, T, apart, &unfused);
      g_unsetenv ("SPK_FUSE");
      g_assert_true (fused);
      g_assert_false (unfused);
      for (guint t = 0; t < T; t++)
        g_assert_cmpfloat (fused_out[t], ==, apart[t]);
      g_assert_cmpfloat (fabs (fused_out[T - 1]), >, 0.0);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/sim/trange", test_trange);
  g_test_add_func ("/spk/sim/no-synapse-no-delay", test_no_synapse_no_delay);
  g_test_add_func ("/spk/sim/lowpass-delay", test_lowpass_delay);
  g_test_add_func ("/spk/sim/probe-synapse-lag", test_probe_synapse_lag);
  g_test_add_func ("/spk/sim/neuron-chain", test_neuron_chain);
  g_test_add_func ("/spk/sim/lif-rate", test_lif_rate);
  g_test_add_func ("/spk/sim/decode-accuracy", test_decode_accuracy);
  g_test_add_func ("/spk/sim/float32-decode", test_float32_decode);
  g_test_add_func ("/spk/sim/determinism", test_determinism);
  g_test_add_func ("/spk/sim/seed-independence", test_seed_independence);
  g_test_add_func ("/spk/sim/batch-equivalence", test_batch_equivalence);
  g_test_add_func ("/spk/sim/blow-up", test_blow_up);
  g_test_add_func ("/spk/sim/expression-nan", test_expression_nan);
  g_test_add_func ("/spk/sim/slices", test_slices);
  g_test_add_func ("/spk/sim/sample-every", test_sample_every);
  g_test_add_func ("/spk/sim/step-work", test_step_work);
  g_test_add_func ("/spk/sim/packed-items", test_packed_items);
  g_test_add_data_func ("/spk/sim/coalesced-signals/float64", GINT_TO_POINTER (SPK_DTYPE_FLOAT64),
                        test_coalesced_signals);
  g_test_add_data_func ("/spk/sim/coalesced-signals/float32", GINT_TO_POINTER (SPK_DTYPE_FLOAT32),
                        test_coalesced_signals);
  g_test_add_func ("/spk/sim/carry-state", test_carry_state);
  g_test_add_func ("/spk/sim/fused-groups", test_fused_groups);
  g_test_add_func ("/spk/sim/dot-row-order", test_dot_row_order);
  return g_test_run ();
}
