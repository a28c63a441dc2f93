/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-synapse.c — discretised synapses reproduce the closed-form
 * responses of NEF-FACTS §7, in double and in float. */
#include <math.h>

#include "core/spk-error.h"
#include "ops/spk-ops-synapse.h"

#define DT 0.001
#define STEPS 400

/* Runs a discretised filter on one channel for STEPS steps of u. */
static void
run_f64 (const SpkDiscreteFilter *f,
         const double            *u,
         double                  *y)
{
  double storage[SPK_FILTER_MAX_ORDER] = { 0 };
  double *state[SPK_FILTER_MAX_ORDER];

  for (guint i = 0; i < SPK_FILTER_MAX_ORDER; i++)
    state[i] = &storage[i];
  for (int k = 0; k < STEPS; k++)
    spk_filter_step_f64 (f, &u[k], &y[k], state, 1);
}

static void
discretize_ok (SpkSynapse        *syn,
               SpkDiscreteFilter *f)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (spk_synapse_discretize (syn, DT, f, &error));
  g_assert_no_error (error);
  spk_synapse_unref (syn);
}

static void
step_input (double *u)
{
  for (int k = 0; k < STEPS; k++)
    u[k] = 1.0;
}

static void
impulse_input (double *u)
{
  for (int k = 0; k < STEPS; k++)
    u[k] = k == 0 ? 1.0 : 0.0;
}

/* The step response of Π 1/(τ_i s + 1) with distinct τ_i:
 * s(t) = 1 − Σ_i Π_{j≠i} τ_i/(τ_i − τ_j) · e^(−t/τ_i). */
static double
cascade_step (const double *taus,
              int           n,
              double        t)
{
  double s = 1.0;

  for (int i = 0; i < n; i++)
    {
      double w = 1.0;

      for (int j = 0; j < n; j++)
        if (j != i)
          w *= taus[i] / (taus[i] - taus[j]);
      s -= w * exp (-t / taus[i]);
    }
  return s;
}

/* Lowpass against its recurrence and closed form.  Both are exact, so the
 * only error is rounding in the expm and 400 recurrence steps: 1e-12. */
static void
test_lowpass (void)
{
  const double tau = 0.005, a = exp (-DT / tau);
  SpkDiscreteFilter f;
  double u[STEPS], y[STEPS], prev = 0.0;

  discretize_ok (spk_synapse_new_lowpass (tau), &f);
  g_assert_cmpuint (f.order, ==, 1);

  step_input (u);
  run_f64 (&f, u, y);
  for (int k = 0; k < STEPS; k++)
    g_assert_cmpfloat_with_epsilon (y[k], 1.0 - pow (a, k + 1), 1e-12);

  impulse_input (u);
  run_f64 (&f, u, y);
  for (int k = 0; k < STEPS; k++)
    {
      double expect = a * prev + (1.0 - a) * u[k];

      g_assert_cmpfloat_with_epsilon (y[k], expect, 1e-12);
      prev = expect;
    }
}

/* Alpha against the second-order recurrence of NEF-FACTS §7 (impulse) and
 * the continuous step response 1 − (1 + t/τ)e^(−t/τ) at (k + 1)·dt; both
 * exact, so 1e-12 bounds rounding. */
static void
test_alpha (void)
{
  const double tau = 0.01, x = DT / tau, a = exp (-x);
  const double b0 = 1.0 - a * (1.0 + x), b1 = a * (a - 1.0 + x);
  SpkDiscreteFilter f;
  double u[STEPS], y[STEPS], r[STEPS];

  discretize_ok (spk_synapse_new_alpha (tau), &f);
  g_assert_cmpuint (f.order, ==, 2);

  step_input (u);
  run_f64 (&f, u, y);
  for (int k = 0; k < STEPS; k++)
    {
      double t = (k + 1) * DT;

      g_assert_cmpfloat_with_epsilon (y[k], 1.0 - (1.0 + t / tau) * exp (-t / tau), 1e-12);
    }

  impulse_input (u);
  run_f64 (&f, u, y);
  for (int k = 0; k < STEPS; k++)
    {
      r[k] = b0 * u[k] + (k >= 1 ? 2 * a * r[k - 1] + b1 * u[k - 1] : 0.0)
             - (k >= 2 ? a * a * r[k - 2] : 0.0);
      g_assert_cmpfloat_with_epsilon (y[k], r[k], 1e-12);
    }
}

/* Second- and third-order cascades: step response y[k] = s((k+1)·dt). */
static void
test_linear_filter_cascade (void)
{
  const double t2[] = { 0.004, 0.011 };
  const double t3[] = { 0.003, 0.007, 0.02 };
  const double den2[] = { t2[0] * t2[1], t2[0] + t2[1], 1.0 };
  const double den3[] = {
    t3[0] * t3[1] * t3[2],
    t3[0] * t3[1] + t3[0] * t3[2] + t3[1] * t3[2],
    t3[0] + t3[1] + t3[2],
    1.0,
  };
  const double one = 1.0;
  g_autoptr (SpkArray) num = spk_array_new_vector (&one, 1);
  g_autoptr (SpkArray) d2 = spk_array_new_vector (den2, 3);
  g_autoptr (SpkArray) d3 = spk_array_new_vector (den3, 4);
  SpkDiscreteFilter f;
  double u[STEPS], y[STEPS];

  step_input (u);
  discretize_ok (spk_synapse_new_linear_filter (num, d2), &f);
  g_assert_cmpuint (f.order, ==, 2);
  run_f64 (&f, u, y);
  for (int k = 0; k < STEPS; k++)
    g_assert_cmpfloat_with_epsilon (y[k], cascade_step (t2, 2, (k + 1) * DT), 1e-12);

  discretize_ok (spk_synapse_new_linear_filter (num, d3), &f);
  g_assert_cmpuint (f.order, ==, 3);
  run_f64 (&f, u, y);
  for (int k = 0; k < STEPS; k++)
    g_assert_cmpfloat_with_epsilon (y[k], cascade_step (t3, 3, (k + 1) * DT), 1e-12);
}

/* A filter with a direct term, (2s + 1)/(s + 1) = 2 − 1/(s + 1): Nengo's
 * General step outputs y = C·x + D·u before updating, so its step response
 * is s(k·dt) = 1 + e^(−k·dt). */
static void
test_linear_filter_direct (void)
{
  const double nv[] = { 2.0, 1.0 }, dv[] = { 1.0, 1.0 };
  g_autoptr (SpkArray) num = spk_array_new_vector (nv, 2);
  g_autoptr (SpkArray) den = spk_array_new_vector (dv, 2);
  SpkDiscreteFilter f;
  double u[STEPS], y[STEPS];

  discretize_ok (spk_synapse_new_linear_filter (num, den), &f);
  g_assert_cmpfloat (f.D, ==, 2.0);
  step_input (u);
  run_f64 (&f, u, y);
  for (int k = 0; k < STEPS; k++)
    g_assert_cmpfloat_with_epsilon (y[k], 1.0 + exp (-k * DT), 1e-12);
}

/* LinearFilter([1], [τ, 1]) is Lowpass(τ): the same matrices to rounding
 * (1e-15), and Lowpass(0) / Alpha(0) are pass-throughs with no state. */
static void
test_linear_filter_is_lowpass (void)
{
  const double tau = 0.02, nv[] = { 1.0 }, dv[] = { tau, 1.0 };
  g_autoptr (SpkArray) num = spk_array_new_vector (nv, 1);
  g_autoptr (SpkArray) den = spk_array_new_vector (dv, 2);
  SpkDiscreteFilter lf, lp;

  discretize_ok (spk_synapse_new_linear_filter (num, den), &lf);
  discretize_ok (spk_synapse_new_lowpass (tau), &lp);
  g_assert_cmpuint (lf.order, ==, lp.order);
  g_assert_cmpfloat_with_epsilon (lf.A[0], lp.A[0], 1e-15);
  g_assert_cmpfloat_with_epsilon (lf.B[0], lp.B[0], 1e-15);
  g_assert_cmpfloat_with_epsilon (lf.C[0], lp.C[0], 1e-15);
  g_assert_cmpfloat_with_epsilon (lf.D, lp.D, 1e-15);
  g_assert_cmpfloat_with_epsilon (lp.A[0], exp (-DT / tau), 1e-15);

  discretize_ok (spk_synapse_new_lowpass (0.0), &lp);
  g_assert_cmpuint (lp.order, ==, 0);
  g_assert_cmpfloat (lp.D, ==, 1.0);
  discretize_ok (spk_synapse_new_alpha (0.0), &lp);
  g_assert_cmpuint (lp.order, ==, 0);
  g_assert_cmpfloat (lp.D, ==, 1.0);
}

/* Many channels in float32 against float64, for each code path (orders
 * 1, 2 and 3): the filters are stable averages, so the float error stays
 * near float epsilon times the signal; 1e-5 leaves room for accumulation
 * over 400 steps. */
static void
test_f32_vs_f64 (void)
{
  enum { COUNT = 37 };
  const double one = 1.0;
  const double t3[] = { 0.003, 0.007, 0.02 };
  const double den3[] = {
    t3[0] * t3[1] * t3[2],
    t3[0] * t3[1] + t3[0] * t3[2] + t3[1] * t3[2],
    t3[0] + t3[1] + t3[2],
    1.0,
  };
  g_autoptr (SpkArray) num = spk_array_new_vector (&one, 1);
  g_autoptr (SpkArray) den = spk_array_new_vector (den3, 4);
  SpkSynapse *synapses[] = {
    spk_synapse_new_lowpass (0.005),
    spk_synapse_new_alpha (0.005),
    spk_synapse_new_linear_filter (num, den),
  };

  for (guint s = 0; s < G_N_ELEMENTS (synapses); s++)
    {
      SpkDiscreteFilter f;
      float sf[3][COUNT] = { { 0 } }, uf[COUNT], yf[COUNT];
      double sd[3][COUNT] = { { 0 } }, ud[COUNT], yd[COUNT];
      float *statef[3] = { sf[0], sf[1], sf[2] };
      double *stated[3] = { sd[0], sd[1], sd[2] };
      double max_err = 0.0;

      discretize_ok (synapses[s], &f);
      for (int k = 0; k < STEPS; k++)
        {
          for (int i = 0; i < COUNT; i++)
            {
              ud[i] = sin (0.05 * k * (i + 1)) + 0.1 * i;
              uf[i] = (float) ud[i];
            }
          spk_filter_step_f64 (&f, ud, yd, stated, COUNT);
          spk_filter_step_f32 (&f, uf, yf, statef, COUNT);
          for (int i = 0; i < COUNT; i++)
            max_err = MAX (max_err, fabs (yd[i] - yf[i]));
        }
      g_assert_cmpfloat (max_err, <, 1e-5);
      g_assert_cmpfloat (max_err, >, 0.0);
    }
}

static void
expect_error (SpkSynapse *syn,
              double      dt,
              const char *message)
{
  g_autoptr (GError) error = NULL;
  SpkDiscreteFilter f;

  g_assert_false (spk_synapse_discretize (syn, dt, &f, &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, message);
  spk_synapse_unref (syn);
}

static void
test_errors (void)
{
  const double zero_first[] = { 0.0, 1.0 }, one = 1.0, nan_den[] = { 1.0, NAN };
  const double long_num[] = { 1.0, 1.0, 1.0 };
  double high[SPK_FILTER_MAX_ORDER + 2];
  g_autoptr (SpkArray) num = spk_array_new_vector (&one, 1);
  g_autoptr (SpkArray) bad0 = spk_array_new_vector (zero_first, 2);
  g_autoptr (SpkArray) badnan = spk_array_new_vector (nan_den, 2);
  g_autoptr (SpkArray) lnum = spk_array_new_vector (long_num, 3);
  g_autoptr (SpkArray) empty = spk_array_new_vector (NULL, 0);
  g_autoptr (SpkArray) highden = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (high); i++)
    high[i] = 1.0;
  highden = spk_array_new_vector (high, G_N_ELEMENTS (high));

  expect_error (spk_synapse_new_lowpass (-0.1), DT,
                "Lowpass synapse tau must be a non-negative number (got -0.1)");
  expect_error (spk_synapse_new_alpha (NAN), DT,
                "Alpha synapse tau must be a non-negative number (got nan)");
  expect_error (spk_synapse_new_linear_filter (num, bad0), DT,
                "LinearFilter den must not start with 0");
  expect_error (spk_synapse_new_linear_filter (num, badnan), DT,
                "LinearFilter num and den must be finite numbers");
  expect_error (spk_synapse_new_linear_filter (lnum, bad0), DT,
                "LinearFilter den must not start with 0");
  expect_error (spk_synapse_new_linear_filter (lnum, badnan), DT,
                "LinearFilter num and den must be finite numbers");
  expect_error (spk_synapse_new_linear_filter (empty, num), DT,
                "LinearFilter needs non-empty num and den");
  expect_error (spk_synapse_new_linear_filter (lnum, num), DT,
                "LinearFilter must be proper: num has more coefficients than den");
  expect_error (spk_synapse_new_linear_filter (num, highden), DT,
                "LinearFilter order 9 is too high (at most 8 is supported)");
  expect_error (spk_synapse_new_alpha (1e-320), DT,
                "Alpha synapse could not be discretised at dt = 0.001");
  expect_error (spk_synapse_new_lowpass (0.005), 0.0,
                "Lowpass synapse: dt must be a positive number (got 0)");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/synapse/lowpass", test_lowpass);
  g_test_add_func ("/spk/synapse/alpha", test_alpha);
  g_test_add_func ("/spk/synapse/linear-filter-cascade", test_linear_filter_cascade);
  g_test_add_func ("/spk/synapse/linear-filter-direct", test_linear_filter_direct);
  g_test_add_func ("/spk/synapse/linear-filter-is-lowpass", test_linear_filter_is_lowpass);
  g_test_add_func ("/spk/synapse/f32-vs-f64", test_f32_vs_f64);
  g_test_add_func ("/spk/synapse/errors", test_errors);
  return g_test_run ();
}
