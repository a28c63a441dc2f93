/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-examples.c — every built-in example builds, runs and does what its
 * description says. */
#include <math.h>
#include <string.h>

#include "examples/spk-examples.h"
#include "spk-test-util.h"

static double *
run_example (const char *name,
             const char *probe,
             guint64     steps,
             guint      *size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_example_new (name, &error);

  g_assert_no_error (error);
  return tu_run_probe (net, probe, steps, size);
}

static void
test_all_build_and_run (void)
{
  for (const SpkExampleInfo *info = spk_examples_list (); info->name; info++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (SpkNetwork) net = spk_example_new (info->name, &error);
      g_autoptr (SpkPlan) plan = NULL;
      g_autoptr (SpkSimulator) sim = NULL;

      g_test_message ("%s", info->name);
      g_assert_no_error (error);
      g_assert_nonnull (info->description);
      plan = spk_build (net, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (spk_plan_get_n_probes (plan), >, 0);
      sim = spk_simulator_new (plan, 1, &error);
      g_assert_true (spk_simulator_run_steps (sim, 100, &error));
      g_assert_no_error (error);
    }
}

static void
test_unknown (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_example_new ("nope", &error);

  g_assert_null (net);
  g_assert_nonnull (strstr (error->message, "there is no example 'nope'; the examples are rate-vs-spiking"));
}

/* The spiking rectified-linear neurons spike (values are k/dt), the rate
 * ones do not. */
static void
test_rate_vs_spiking (void)
{
  g_autofree double *rate = NULL, *spikes = NULL;
  guint size;
  gboolean any_spike = FALSE, any_fraction = FALSE;

  rate = run_example ("rate-vs-spiking", "rate_activity", 1000, &size);
  g_assert_cmpuint (size, ==, 10);
  spikes = run_example ("rate-vs-spiking", "spiking_activity", 1000, &size);
  for (guint i = 0; i < 1000 * 10; i++)
    {
      double k = spikes[i] * 0.001;

      g_assert_cmpfloat_with_epsilon (k, round (k), 1e-4);
      any_spike |= k >= 0.5;   /* float32: 1/dt is 999.9999 */
      any_fraction |= rate[i] > 0 && fabs (rate[i] * 0.001 - round (rate[i] * 0.001)) > 1e-3;
    }
  g_assert_true (any_spike);
  g_assert_true (any_fraction);
}

/* The integrator holds about 0.2·1 − 0.8·… : after the first pulse
 * (u = 1 from 0.2 s to 1 s) it sits near 0.8. */
static void
test_integrator (void)
{
  g_autofree double *x = NULL;
  guint size;

  x = run_example ("integrator", "integral_value", 1500, &size);
  g_assert_cmpfloat_with_epsilon (x[1400], 0.8, 0.15);
  g_assert_cmpfloat_with_epsilon (x[150], 0.0, 0.1);
}

/* The oscillator keeps turning: its first dimension changes sign several
 * times in 2 s at about 10 rad/s (≈ 1.6 Hz, 6 sign changes). */
static void
test_oscillator (void)
{
  g_autofree double *x = NULL;
  guint size, changes = 0;

  x = run_example ("oscillator", "oscillator_value", 2000, &size);
  g_assert_cmpuint (size, ==, 2);
  for (guint i = 501; i < 2000; i++)
    if ((x[2 * i] > 0) != (x[2 * (i - 1)] > 0))
      changes++;
  g_test_message ("%u sign changes", changes);
  g_assert_cmpuint (changes, >=, 3);
}

/* The product follows a·b. */
static void
test_product (void)
{
  g_autofree double *p = NULL;
  double sum = 0;
  guint size;

  p = run_example ("product", "product_value", 1000, &size);
  for (guint i = 100; i < 1000; i++)
    {
      double t = (i + 1) * 0.001;
      double want = 0.8 * sin (2 * G_PI * t) * 0.8 * cos (G_PI * t);

      sum += (p[i] - want) * (p[i] - want);
    }
  g_test_message ("product RMSE %.3f", sqrt (sum / 900));
  /* Two synapses of delay and 300 neurons of noise: within 0.1. */
  g_assert_cmpfloat (sqrt (sum / 900), <, 0.1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/examples/all-build-and-run", test_all_build_and_run);
  g_test_add_func ("/spk/examples/unknown", test_unknown);
  g_test_add_func ("/spk/examples/rate-vs-spiking", test_rate_vs_spiking);
  g_test_add_func ("/spk/examples/integrator", test_integrator);
  g_test_add_func ("/spk/examples/oscillator", test_oscillator);
  g_test_add_func ("/spk/examples/product", test_product);
  return g_test_run ();
}
