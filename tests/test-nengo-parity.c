/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-nengo-parity.c — places where the engine once differed from
 * Nengo 4's reference simulator, each pinned to Nengo's own numbers:
 * explicit eval points scaled by the radius, a filtered probe on a neuron
 * state reading the state after the step's neuron update, and the
 * numeric gain/bias search interpolating a non-monotonic rate curve the
 * way numpy.interp does. */
#include <math.h>
#include <string.h>

#include "spk-test-util.h"

/* Ensemble(4, 1, radius=2, eval_points=[[.5], [-.5], [.25]]): Nengo
 * scales given arrays by the radius like sampled ones (gen_eval_points),
 * so the built points are [1, -1, .5]. */
static void
test_eval_points_scaled_by_radius (void)
{
  g_autoptr (SpkNetwork) net = tu_network (3, SPK_DTYPE_FLOAT64);
  SpkEnsemble *ens = tu_ensemble (net, "e", 4, 1, SPK_NEURON_LIF);
  g_autoptr (SpkArray) points = spk_array_new_matrix ((double[]) { .5, -.5, .25 }, 3, 1);
  g_autoptr (SpkDistribution) dist = spk_distribution_new_array (points);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkArray) built = NULL;

  g_object_set (ens, "radius", 2.0, NULL);
  spk_ensemble_set_eval_points (ens, dist);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  built = spk_plan_dup_param (plan, "e/eval_points");
  g_assert_nonnull (built);
  g_assert_cmpuint (built->size, ==, 3);
  g_assert_cmpfloat (built->data[0], ==, 1.0);
  g_assert_cmpfloat (built->data[1], ==, -1.0);
  g_assert_cmpfloat (built->data[2], ==, 0.5);
}

/* LIF with initial voltages [0.2, 0.5] and currents [0.5, 0.8] (gain 1,
 * no input), voltage probed through Lowpass(0.005).  Nengo's neuron op
 * *sets* its state, so the probe's filter reads this step's voltage: the
 * first sample is 0 (the filter's own step of delay) and the second is
 * (1 − a)·v₁, v₁ one LIF step from v₀ (§2): [0.03891, 0.09329]. */
static void
test_filtered_state_probe_after_update (gconstpointer data)
{
  SpkDtype dtype = GPOINTER_TO_INT (data);
  g_autoptr (SpkNetwork) net = tu_network (0, dtype);
  SpkEnsemble *ens = tu_ensemble (net, "e", 2, 1, SPK_NEURON_LIF);
  g_autoptr (SpkNeuronType) lif = spk_neuron_type_new (SPK_NEURON_LIF);
  g_autoptr (SpkArray) v0 = spk_array_new_matrix ((double[]) { 0.2, 0.5 }, 2, 1);
  g_autoptr (SpkArray) gain = spk_array_new_vector ((double[]) { 1, 1 }, 2);
  g_autoptr (SpkArray) bias = spk_array_new_vector ((double[]) { 0.5, 0.8 }, 2);
  const double J[2] = { 0.5, 0.8 }, a = exp (-0.001 / 0.005);
  const double tol = dtype == SPK_DTYPE_FLOAT64 ? 1e-14 : 1e-7;
  g_autofree double *data_out = NULL;
  guint size;

  lif->initial_state[0] = spk_distribution_new_array (v0);
  spk_ensemble_set_neuron_type (ens, lif);
  g_object_set (ens, "gain", gain, "bias", bias, NULL);
  tu_probe (net, "v", ens, TRUE, "voltage", 0.005);
  data_out = tu_run_probe (net, "v", 3, &size);
  g_assert_cmpuint (size, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      double v1 = v0->data[i] - (J[i] - v0->data[i]) * expm1 (-0.001 / 0.02);

      g_assert_cmpfloat (data_out[i], ==, 0.0);
      g_assert_cmpfloat_with_epsilon (data_out[2 + i], (1.0 - a) * v1, tol);
    }
  /* Nengo's printed values, to their five digits. */
  g_assert_cmpfloat_with_epsilon (data_out[2], 0.03891, 5e-6);
  g_assert_cmpfloat_with_epsilon (data_out[3], 0.09329, 5e-6);
}

/* Izhikevich(tau_recovery=.03, coupling=.25, reset_voltage=-55,
 * reset_recovery=4): its sampled rate curve between threshold and top
 * current is not monotonic, and Nengo reads each neuron's top current off
 * it with numpy.interp, whose search starts from the previous neuron's
 * segment.  Reference values from Nengo's gain_bias() run with numpy. */
static void
test_izhikevich_gain_bias_numpy_interp (void)
{
  g_autoptr (SpkNetwork) net = tu_network (0, SPK_DTYPE_FLOAT64);
  SpkEnsemble *ens = tu_ensemble (net, "e", 3, 1, SPK_NEURON_IZHIKEVICH);
  g_autoptr (SpkNeuronType) izh = spk_neuron_type_new (SPK_NEURON_IZHIKEVICH);
  g_autoptr (SpkArray) rates = spk_array_new_vector ((double[]) { 78.039, 46.336, 85.614 }, 3);
  g_autoptr (SpkArray) icpts = spk_array_new_vector ((double[]) { .1, -.2, .3 }, 3);
  g_autoptr (SpkDistribution) r = spk_distribution_new_array (rates);
  g_autoptr (SpkDistribution) c = spk_distribution_new_array (icpts);
  const double nengo_gain[3] = { 14.548034814814816, 5.7725155555555565, 20.816888571428578 };
  const double nengo_bias[3] = { -0.8548034814814791, 1.754503111111112, -5.645066571428574 };
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  const double *gain, *bias;

  izh->tau_recovery = 0.03;
  izh->coupling = 0.25;
  izh->reset_voltage = -55.0;
  izh->reset_recovery = 4.0;
  spk_ensemble_set_neuron_type (ens, izh);
  spk_ensemble_set_max_rates (ens, r);
  spk_ensemble_set_intercepts (ens, c);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  g_assert_true (spk_plan_get_ensemble (plan, "e", NULL, NULL, NULL, &gain, &bias, NULL));
  /* The rate samples are spike counts, exact in both; what is left is
   * the order of a few double operations. */
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpfloat_with_epsilon (gain[i], nengo_gain[i], 1e-9);
      g_assert_cmpfloat_with_epsilon (bias[i], nengo_bias[i], 1e-9);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/nengo-parity/eval-points-scaled-by-radius", test_eval_points_scaled_by_radius);
  g_test_add_data_func ("/spk/nengo-parity/filtered-state-probe/f64", GINT_TO_POINTER (SPK_DTYPE_FLOAT64),
                        test_filtered_state_probe_after_update);
  g_test_add_data_func ("/spk/nengo-parity/filtered-state-probe/f32", GINT_TO_POINTER (SPK_DTYPE_FLOAT32),
                        test_filtered_state_probe_after_update);
  g_test_add_func ("/spk/nengo-parity/izhikevich-gain-bias", test_izhikevich_gain_bias_numpy_interp);
  return g_test_run ();
}
