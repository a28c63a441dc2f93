/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-analysis.c — the engine's analysis of a built plan (tuning curves,
 * decoded functions, their targets and errors, a recording through a
 * Lowpass) against the equations, headless. */
#include <math.h>
#include <string.h>

#include "core/spk-error.h"
#include "nef/spk-analysis.h"
#include "spk-test-util.h"

/* Tuning curves through the plan equal the rate curve of the built gain
 * and bias. */
static void
test_tuning_curves (void)
{
  g_autoptr (SpkNetwork) net = tu_network (1, SPK_DTYPE_FLOAT32);
  g_autoptr (SpkPlan) plan = NULL;
  double x[3] = { -1, 0, 1 }, rates[3 * 10];
  const double *gain, *bias, *enc;

  tu_ensemble (net, "e", 10, 1, SPK_NEURON_RECTIFIED_LINEAR);
  plan = spk_build (net, NULL);
  g_assert_true (spk_analysis_tuning_curves (plan, "e", x, 3, rates, NULL));
  spk_plan_get_ensemble (plan, "e", NULL, NULL, NULL, &gain, &bias, &enc);
  for (guint p = 0; p < 3; p++)
    for (guint j = 0; j < 10; j++)
      g_assert_cmpfloat_with_epsilon (rates[p * 10 + j], MAX (0.0, gain[j] * enc[j] * x[p] + bias[j]), 1e-9);
  /* Every neuron reaches its max rate (200–400 Hz) at its preferred end. */
  for (guint j = 0; j < 10; j++)
    {
      double r = rates[(enc[j] > 0 ? 2 : 0) * 10 + j];

      g_assert_cmpfloat (r, >=, 200.0 - 1e-9);
      g_assert_cmpfloat (r, <=, 400.0 + 1e-9);
    }
}

/* The sweep runs −radius … +radius along the first dimension. */
static void
test_tuning_sweep (void)
{
  g_autoptr (SpkNetwork) net = tu_network (2, SPK_DTYPE_FLOAT64);
  SpkEnsemble *e = tu_ensemble (net, "e", 7, 2, SPK_NEURON_LIF);
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkTuningCurves) curves = NULL;
  g_autoptr (GError) error = NULL;
  const double *gain, *bias, *enc;

  spk_ensemble_set_radius (e, 1.5);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  curves = spk_analysis_tuning (plan, "e", 31, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (curves->n_points, ==, 31);
  g_assert_cmpuint (curves->n_neurons, ==, 7);
  g_assert_cmpfloat (curves->x[0], ==, -1.5);
  g_assert_cmpfloat_with_epsilon (curves->x[15], 0.0, 1e-15);
  g_assert_cmpfloat (curves->x[30], ==, 1.5);
  /* LIF rate (NEF-FACTS): 1 / (tau_ref − tau_rc·ln(1 − 1/J)) for J > 1,
   * J = gain·e₀·x/radius + bias, tau_rc 0.02, tau_ref 0.002. */
  spk_plan_get_ensemble (plan, "e", NULL, NULL, NULL, &gain, &bias, &enc);
  for (guint p = 0; p < 31; p++)
    for (guint j = 0; j < 7; j++)
      {
        double J = gain[j] * enc[j * 2] * curves->x[p] / 1.5 + bias[j];
        double want = J > 1 ? 1.0 / (0.002 - 0.02 * log1p (-1.0 / J)) : 0.0;

        g_assert_cmpfloat_with_epsilon (curves->rates[p * 7 + j], want, 1e-9 * MAX (1.0, want));
      }

  g_assert_null (spk_analysis_tuning (plan, "nope", 31, &error));
  g_assert_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "there is no ensemble 'nope' in this model");
}

/* Two rectified-linear neurons with encoders ±1, gain 1 and bias 0 rate
 * max(0, x) and max(0, −x), so weights [w, −w] decode w·x exactly. */
typedef struct
{
  SpkNetwork    *net;
  SpkConnection *c;
  SpkPlan       *plan;
} Pair;

static void
pair_build (Pair            *f,
            const char      *function,
            SpkDistribution *transform,
            guint            n_out,
            const double    *weights)
{
  SpkEnsemble *a;
  SpkNode *out;
  g_autoptr (GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) spk_array_unref);
  g_autoptr (GError) error = NULL;

  f->net = tu_network (3, SPK_DTYPE_FLOAT64);
  a = tu_ensemble (f->net, "a", 2, 1, SPK_NEURON_RECTIFIED_LINEAR);
  out = tu_node_pass (f->net, "out", n_out);
  f->c = tu_connect (f->net, a, FALSE, out, FALSE, 0.005);
  if (function)
    spk_connection_set_function (f->c, function);
  if (transform)
    spk_connection_set_transform (f->c, transform);
  g_hash_table_insert (params, g_strdup ("a/encoders"), spk_array_new_matrix ((double[]) { 1, -1 }, 2, 1));
  g_hash_table_insert (params, g_strdup ("a/gain"), spk_array_new_vector ((double[]) { 1, 1 }, 2));
  g_hash_table_insert (params, g_strdup ("a/bias"), spk_array_new_vector ((double[]) { 0, 0 }, 2));
  g_hash_table_insert (params, g_strdup ("connection0/weights"), spk_array_new_matrix (weights, n_out, 2));
  f->plan = spk_build_with_params (f->net, params, &error);
  g_assert_no_error (error);
}

static void
pair_clear (Pair *f)
{
  g_clear_pointer (&f->plan, spk_plan_unref);
  g_clear_object (&f->net);
}

/* x decoded as x: target x, RMSE 0; saved weights, so no solve error. */
static void
test_decoded_identity (void)
{
  Pair f = { 0 };
  g_autoptr (SpkDecodedFunction) d = NULL;
  g_autoptr (GError) error = NULL;

  pair_build (&f, NULL, NULL, 1, (double[]) { 1, -1 });
  d = spk_analysis_decoded_function (f.plan, f.c, "connection0", 21, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (d->n_points, ==, 21);
  g_assert_cmpuint (d->n_dims, ==, 1);
  g_assert_nonnull (d->target);
  g_assert_null (d->solve_rmse);
  for (guint p = 0; p < 21; p++)
    {
      g_assert_cmpfloat_with_epsilon (d->x[p], -1.0 + 0.1 * p, 1e-12);
      g_assert_cmpfloat_with_epsilon (d->decoded[p], d->x[p], 1e-12);
      g_assert_cmpfloat_with_epsilon (d->target[p], d->x[p], 1e-12);
    }
  g_assert_cmpfloat_with_epsilon (d->rmse[0], 0.0, 1e-12);
  pair_clear (&f);
}

/* The same decoder against f(x) = x²: RMSE = √(mean (x − x²)²). */
static void
test_decoded_function_rmse (void)
{
  Pair f = { 0 };
  g_autoptr (SpkDecodedFunction) d = NULL;
  double sum = 0;

  pair_build (&f, "x**2", NULL, 1, (double[]) { 1, -1 });
  d = spk_analysis_decoded_function (f.plan, f.c, "connection0", 41, NULL);
  g_assert_nonnull (d);
  for (guint p = 0; p < 41; p++)
    {
      double x = -1.0 + 0.05 * p;

      g_assert_cmpfloat_with_epsilon (d->target[p], x * x, 1e-12);
      sum += (x - x * x) * (x - x * x);
    }
  g_assert_cmpfloat_with_epsilon (d->rmse[0], sqrt (sum / 41), 1e-12);
  pair_clear (&f);
}

/* A 2 × 1 matrix transform: target T·x per output; weights T·[1, −1]
 * decode it exactly.  A sampled transform has no known target. */
static void
test_decoded_transform (void)
{
  Pair f = { 0 };
  g_autoptr (SpkArray) t = spk_array_new_matrix ((double[]) { 2, -0.5 }, 2, 1);
  g_autoptr (SpkDistribution) matrix = spk_distribution_new_array (t);
  g_autoptr (SpkDistribution) sampled = spk_distribution_new_uniform (-1, 1);
  g_autoptr (SpkDecodedFunction) d = NULL, s = NULL;

  pair_build (&f, NULL, matrix, 2, (double[]) { 2, -2, -0.5, 0.5 });
  d = spk_analysis_decoded_function (f.plan, f.c, "connection0", 11, NULL);
  g_assert_cmpuint (d->n_dims, ==, 2);
  for (guint p = 0; p < 11; p++)
    {
      g_assert_cmpfloat_with_epsilon (d->target[p * 2], 2 * d->x[p], 1e-12);
      g_assert_cmpfloat_with_epsilon (d->target[p * 2 + 1], -0.5 * d->x[p], 1e-12);
      g_assert_cmpfloat_with_epsilon (d->decoded[p * 2], 2 * d->x[p], 1e-12);
      g_assert_cmpfloat_with_epsilon (d->decoded[p * 2 + 1], -0.5 * d->x[p], 1e-12);
    }
  g_assert_cmpfloat_with_epsilon (d->rmse[0], 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (d->rmse[1], 0.0, 1e-12);
  pair_clear (&f);

  pair_build (&f, NULL, sampled, 1, (double[]) { 1, -1 });
  s = spk_analysis_decoded_function (f.plan, f.c, "connection0", 11, NULL);
  g_assert_nonnull (s);
  g_assert_null (s->target);
  g_assert_true (isnan (s->rmse[0]));
  pair_clear (&f);
}

/* A solved x² from 100 LIF neurons: the sweep's RMSE is small and close
 * to the solve's own (NEF: error ~ 1/N for the static distortion). */
static void
test_decoded_solved (void)
{
  g_autoptr (SpkNetwork) net = tu_network (7, SPK_DTYPE_FLOAT64);
  SpkEnsemble *a = tu_ensemble (net, "a", 100, 1, SPK_NEURON_LIF);
  SpkEnsemble *b = tu_ensemble (net, "b", 50, 1, SPK_NEURON_LIF);
  SpkConnection *c = tu_connect (net, a, FALSE, b, FALSE, 0.005);
  SpkNode *sink = tu_node_pass (net, "sink", 100);
  SpkConnection *n = tu_connect (net, a, TRUE, sink, FALSE, 0.005);
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkDecodedFunction) d = NULL, none = NULL;
  g_autoptr (GError) error = NULL;

  spk_connection_set_function (c, "x**2");
  spk_object_set_label (SPK_OBJECT (n), "from-neurons");
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  d = spk_analysis_decoded_function (plan, c, "connection0", 201, &error);
  g_assert_no_error (error);
  g_assert_nonnull (d->solve_rmse);
  g_test_message ("x² from 100 LIF: sweep RMSE %g, solve RMSE %g", d->rmse[0], d->solve_rmse[0]);
  g_assert_cmpfloat (d->rmse[0], <, 0.05);
  g_assert_cmpfloat (d->rmse[0], <, 3 * d->solve_rmse[0]);
  g_assert_cmpfloat (d->rmse[0], >, d->solve_rmse[0] / 3);

  none = spk_analysis_decoded_function (plan, n, "from-neurons", 201, &error);
  g_assert_null (none);
  g_assert_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "connection 'from-neurons' is not decoded from an ensemble of this model");
}

/* A unit step through Lowpass(τ) at dt: y[k] = 1 − exp(−(k + 1)·dt/τ)
 * (NEF-FACTS §7), in float within 1e-6; filtering in two parts carries
 * the state exactly; τ = 0 passes the input through. */
static void
test_lowpass_rows (void)
{
  const double tau = 0.01, dt = 0.001;
  SpkDiscreteFilter lp, none;
  float in[60 * 2], once[60 * 2], parts[60 * 2];
  g_autofree double *state = g_new0 (double, SPK_FILTER_MAX_ORDER * 2);
  g_autofree double *state2 = g_new0 (double, SPK_FILTER_MAX_ORDER * 2);

  for (guint i = 0; i < 60 * 2; i++)
    in[i] = i % 2 == 0 ? 1.0f : 3.0f;
  g_assert_true (spk_analysis_lowpass (tau, dt, &lp, NULL));
  g_assert_cmpuint (lp.order, ==, 1);
  spk_analysis_filter_rows (&lp, in, once, 60, 2, state);
  for (guint k = 0; k < 60; k++)
    {
      double want = 1.0 - exp (-(double) (k + 1) * dt / tau);

      g_assert_cmpfloat_with_epsilon (once[k * 2], want, 1e-6);
      g_assert_cmpfloat_with_epsilon (once[k * 2 + 1], 3 * want, 3e-6);
    }
  spk_analysis_filter_rows (&lp, in, parts, 25, 2, state2);
  spk_analysis_filter_rows (&lp, in + 50, parts + 50, 35, 2, state2);
  g_assert_cmpmem (once, sizeof once, parts, sizeof parts);

  g_assert_true (spk_analysis_lowpass (0.0, dt, &none, NULL));
  g_assert_cmpuint (none.order, ==, 0);
  memset (state, 0, SPK_FILTER_MAX_ORDER * 2 * sizeof (double));
  spk_analysis_filter_rows (&none, in, once, 60, 2, state);
  g_assert_cmpmem (once, sizeof once, in, sizeof in);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/analysis/tuning-curves", test_tuning_curves);
  g_test_add_func ("/spk/analysis/tuning-sweep", test_tuning_sweep);
  g_test_add_func ("/spk/analysis/decoded-identity", test_decoded_identity);
  g_test_add_func ("/spk/analysis/decoded-function-rmse", test_decoded_function_rmse);
  g_test_add_func ("/spk/analysis/decoded-transform", test_decoded_transform);
  g_test_add_func ("/spk/analysis/decoded-solved", test_decoded_solved);
  g_test_add_func ("/spk/analysis/lowpass-rows", test_lowpass_rows);
  return g_test_run ();
}
