/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-neurons.c — every neuron type's rate curve, gain/bias, initial state
 * and step against Nengo's equations (NEF-FACTS §2), re-derived here in
 * plain double so that the engine's loops are checked against an
 * independent transcription. */
#include <math.h>
#include <string.h>

#include "core/spk-error.h"
#include "ops/spk-ops-neurons.h"
#include "ops/spk-ops-neurons-private.h"

#define DT 0.001

static SpkNeuronType *
wrapping (SpkNeuronKind kind,
          SpkNeuronKind base_kind)
{
  g_autoptr (SpkNeuronType) base = spk_neuron_type_new (base_kind);

  return spk_neuron_type_new_wrapping (kind, base);
}

/* ---- closed forms, written differently from the engine on purpose ---- */

static double
ref_lif_rate (const SpkNeuronType *t,
              double               J)
{
  /* log(J/(J−1)) is the textbook form of log1p(1/(J−1)). */
  return J > 1.0 ? t->amplitude / (t->tau_ref + t->tau_rc * log (J / (J - 1.0))) : 0.0;
}

static double
ref_rate (const SpkNeuronType *type,
          double               J)
{
  const SpkNeuronType *t = spk_neuron_kind_is_wrapper (type->kind) ? type->base : type;

  switch (t->kind)
    {
    case SPK_NEURON_RECTIFIED_LINEAR:
    case SPK_NEURON_SPIKING_RECTIFIED_LINEAR:
      return J > 0.0 ? t->amplitude * J : 0.0;
    case SPK_NEURON_LIF:
    case SPK_NEURON_LIF_RATE:
    case SPK_NEURON_ADAPTIVE_LIF:
    case SPK_NEURON_ADAPTIVE_LIF_RATE:
      return ref_lif_rate (t, J);
    case SPK_NEURON_SIGMOID:
      return 1.0 / (t->tau_ref * (1.0 + exp (-J)));
    case SPK_NEURON_TANH:
      return tanh (J) / t->tau_ref;
    default:
      g_assert_not_reached ();
    }
}

/* The closed-form types, with non-default amplitudes where they apply
 * (a wrapper's own amplitude must not show up in its rate curve). */
static GPtrArray *
closed_form_types (void)
{
  GPtrArray *types = g_ptr_array_new_with_free_func ((GDestroyNotify) spk_neuron_type_unref);
  SpkNeuronKind plain[] = {
    SPK_NEURON_RECTIFIED_LINEAR, SPK_NEURON_SPIKING_RECTIFIED_LINEAR,
    SPK_NEURON_LIF, SPK_NEURON_LIF_RATE, SPK_NEURON_SIGMOID, SPK_NEURON_TANH,
    SPK_NEURON_ADAPTIVE_LIF, SPK_NEURON_ADAPTIVE_LIF_RATE,
  };
  SpkNeuronType *t;

  for (guint k = 0; k < G_N_ELEMENTS (plain); k++)
    g_ptr_array_add (types, spk_neuron_type_new (plain[k]));

  t = spk_neuron_type_new (SPK_NEURON_LIF_RATE);
  t->amplitude = 2.5;
  t->tau_rc = 0.05;
  t->tau_ref = 0.001;
  g_ptr_array_add (types, t);
  t = spk_neuron_type_new (SPK_NEURON_RECTIFIED_LINEAR);
  t->amplitude = 0.5;
  g_ptr_array_add (types, t);
  t = wrapping (SPK_NEURON_REGULAR_SPIKING, SPK_NEURON_LIF_RATE);
  t->amplitude = 5.0;
  g_ptr_array_add (types, t);
  g_ptr_array_add (types, wrapping (SPK_NEURON_POISSON_SPIKING, SPK_NEURON_TANH));
  g_ptr_array_add (types, wrapping (SPK_NEURON_REGULAR_SPIKING, SPK_NEURON_RECTIFIED_LINEAR));
  return types;
}

/* The same formula evaluated in two orders agrees to a few ulps; 1e-12
 * relative leaves room for the conditioning of log near J = 1. */
static void
test_rates_closed_form (void)
{
  g_autoptr (GPtrArray) types = closed_form_types ();
  const double gain[3] = { 1.5, 20.0, 60.0 }, bias[3] = { 0.5, 2.0, -10.0 };
  enum { M = 61, N = 3 };
  double x[M * N], rates[M * N];

  for (gsize k = 0; k < M; k++)
    for (gsize i = 0; i < N; i++)
      x[k * N + i] = -1.5 + 3.0 * (double) k / (M - 1) + 0.001 * (double) i;

  for (guint t = 0; t < types->len; t++)
    {
      const SpkNeuronType *type = types->pdata[t];

      spk_neuron_rates (type, x, gain, bias, M, N, DT, rates);
      for (gsize k = 0; k < M * N; k++)
        {
          double J = gain[k % N] * x[k] + bias[k % N];
          double expect = ref_rate (type, J);

          if (fabs (rates[k] - expect) > 1e-12 * MAX (1.0, fabs (expect)))
            g_error ("%s: rate at J = %g is %.17g, expected %.17g",
                     spk_neuron_kind_to_name (type->kind), J, rates[k], expect);
        }
    }
}

static void
uniform_fill (SpkRng *rng,
              double  low,
              double  high,
              double *out,
              gsize   n)
{
  for (gsize i = 0; i < n; i++)
    out[i] = spk_rng_uniform_range (rng, low, high);
}

/* gain/bias put rate max_rate at x = 1 and the threshold at x = c.  The
 * formulas are exact inverses, so 1e-9 relative covers their rounding
 * (exp/log of numbers near 1 lose a few digits). */
static void
test_gain_bias_roundtrip (void)
{
  g_autoptr (GPtrArray) types = closed_form_types ();
  enum { N = 50 };
  double max_rates[N], intercepts[N], gain[N], bias[N], r2[N], c2[N];
  double x[N], rates[N];
  SpkRng rng;

  spk_rng_init (&rng, 11);
  for (guint t = 0; t < types->len; t++)
    {
      const SpkNeuronType *type = types->pdata[t];
      const SpkNeuronType *rt = spk_neuron_kind_is_wrapper (type->kind) ? type->base : type;
      const char *name = spk_neuron_kind_to_name (type->kind);
      g_autoptr (GError) error = NULL;

      /* A Sigmoid's gain is positive only above half its ceiling. */
      uniform_fill (&rng, rt->kind == SPK_NEURON_SIGMOID ? 210 : 20, 390, max_rates, N);
      uniform_fill (&rng, -0.95, 0.95, intercepts, N);
      g_assert_true (spk_neuron_gain_bias (type, max_rates, intercepts, N, gain, bias, &error));
      g_assert_no_error (error);

      for (gsize i = 0; i < N; i++)
        x[i] = 1.0;
      spk_neuron_rates (type, x, gain, bias, 1, N, DT, rates);
      for (gsize i = 0; i < N; i++)
        if (fabs (rates[i] - rt->amplitude * max_rates[i]) > 1e-9 * max_rates[i])
          g_error ("%s: rate at x = 1 is %.12g, expected %.12g", name,
                   rates[i], rt->amplitude * max_rates[i]);

      if (rt->kind == SPK_NEURON_SIGMOID)
        {
          /* The intercept is the inflection point: half the ceiling. */
          spk_neuron_rates (type, intercepts, gain, bias, 1, N, DT, rates);
          for (gsize i = 0; i < N; i++)
            g_assert_cmpfloat_with_epsilon (rates[i], 0.5 / rt->tau_ref, 1e-9 / rt->tau_ref);
        }
      else
        {
          /* 1e-6 in x is far above rounding and far below any curve. */
          for (gsize i = 0; i < N; i++)
            x[i] = intercepts[i] - 1e-6;
          spk_neuron_rates (type, x, gain, bias, 1, N, DT, rates);
          for (gsize i = 0; i < N; i++)
            if (rates[i] > 0.0)
              g_error ("%s: neuron %zu fires below its intercept", name, i);
          for (gsize i = 0; i < N; i++)
            x[i] = intercepts[i] + 1e-6;
          spk_neuron_rates (type, x, gain, bias, 1, N, DT, rates);
          for (gsize i = 0; i < N; i++)
            if (!(rates[i] > 0.0))
              g_error ("%s: neuron %zu is silent above its intercept", name, i);
        }

      spk_neuron_max_rates_intercepts (type, gain, bias, N, r2, c2);
      for (gsize i = 0; i < N; i++)
        {
          g_assert_cmpfloat_with_epsilon (r2[i], max_rates[i], 1e-9 * max_rates[i]);
          g_assert_cmpfloat_with_epsilon (c2[i], intercepts[i], 1e-9);
        }
    }
}

/* Nengo's adaptive types take LIF's gain and bias unchanged. */
static void
test_gain_bias_adaptive (void)
{
  g_autoptr (SpkNeuronType) lif = spk_neuron_type_new (SPK_NEURON_LIF);
  g_autoptr (SpkNeuronType) alif = spk_neuron_type_new (SPK_NEURON_ADAPTIVE_LIF);
  g_autoptr (SpkNeuronType) alifr = spk_neuron_type_new (SPK_NEURON_ADAPTIVE_LIF_RATE);
  const double max_rates[3] = { 100, 250, 400 }, intercepts[3] = { -0.5, 0.0, 0.8 };
  double g0[3], b0[3], g1[3], b1[3], g2[3], b2[3];

  g_assert_true (spk_neuron_gain_bias (lif, max_rates, intercepts, 3, g0, b0, NULL));
  g_assert_true (spk_neuron_gain_bias (alif, max_rates, intercepts, 3, g1, b1, NULL));
  g_assert_true (spk_neuron_gain_bias (alifr, max_rates, intercepts, 3, g2, b2, NULL));
  for (int i = 0; i < 3; i++)
    {
      g_assert_cmpfloat (g0[i], ==, g1[i]);
      g_assert_cmpfloat (b0[i], ==, b1[i]);
      g_assert_cmpfloat (g0[i], ==, g2[i]);
      g_assert_cmpfloat (b0[i], ==, b2[i]);
    }
}

/* ---- Izhikevich, transcribed from NEF-FACTS §2 / Nengo ---- */

static double
ref_izhikevich_step (const SpkNeuronType *t,
                     double               dt,
                     double               J,
                     double              *v,
                     double              *u)
{
  double out;

  J = fmax (J, -30.0);
  *v += (0.04 * (*v * *v) + 5.0 * *v + 140.0 - *u + J) * 1000.0 * dt;
  out = *v >= 30.0 ? 1.0 / dt : 0.0;
  if (out > 0)
    *v = t->reset_voltage;
  *u += t->tau_recovery * (t->coupling * *v - *u) * 1000.0 * dt;
  if (out > 0)
    *u += t->reset_recovery;
  return out;
}

/* Nengo's Izhikevich rate: from v = u = 0, one settling step, then the
 * mean output of 1000 steps of 1 ms — i.e. the spike count in Hz. */
static double
ref_izhikevich_rate (const SpkNeuronType *t,
                     double               J)
{
  double v = 0, u = 0, sum = 0;

  ref_izhikevich_step (t, DT, J, &v, &u);
  for (int k = 0; k < 1000; k++)
    sum += ref_izhikevich_step (t, DT, J, &v, &u);
  return sum / 1000.0;
}

/* The step is the same arithmetic in the same order: exact agreement
 * (up to 1e-9 mV to tolerate a different but valid evaluation order). */
static void
test_izhikevich_step (void)
{
  g_autoptr (SpkNeuronType) t = spk_neuron_type_new (SPK_NEURON_IZHIKEVICH);
  const double J[4] = { -50.0, 3.0, 10.0, 40.0 };
  double v[4] = { 0.5, 0.1, 0.9, 0.3 }, u[4] = { 0, 0, 0, 0 };
  double rv[4], ru[4], out[4], rates[4];
  double *states[2] = { v, u };
  const double one = 1.0, zero = 0.0;

  memcpy (rv, v, sizeof v);
  memcpy (ru, u, sizeof u);
  for (int step = 0; step < 1000; step++)
    {
      spk_neuron_step_f64 (t, DT, J, out, states, 4, NULL);
      for (int i = 0; i < 4; i++)
        {
          double o = ref_izhikevich_step (t, DT, J[i], &rv[i], &ru[i]);

          g_assert_cmpfloat (out[i], ==, o);
          g_assert_cmpfloat_with_epsilon (v[i], rv[i], 1e-9);
          g_assert_cmpfloat_with_epsilon (u[i], ru[i], 1e-9);
        }
    }

  /* Rates are spike counts, so they agree exactly. */
  for (int i = 0; i < 4; i++)
    {
      spk_neuron_rates (t, &J[i], &one, &zero, 1, 1, DT, &rates[i]);
      g_assert_cmpfloat_with_epsilon (rates[i], ref_izhikevich_rate (t, J[i]), 1e-9);
    }
  g_assert_cmpfloat (rates[0], ==, 0.0);
  g_assert_cmpfloat (rates[3], >, rates[2]);
}

/* Numerical inversion, as Nengo's generic gain_bias: the rate curve is
 * sampled at 101 currents and counts whole spikes, so a target is met to
 * 2% + 1 Hz (the interpolation between samples is what gets the low rates
 * there: without it 20 Hz comes out as 14), and the threshold to within a
 * sample spacing of the current grid (a few hundredths in x here). */
static void
test_gain_bias_izhikevich (void)
{
  g_autoptr (SpkNeuronType) t = spk_neuron_type_new (SPK_NEURON_IZHIKEVICH);
  enum { N = 6 };
  const double max_rates[N] = { 20, 45.5, 80.3, 150.7, 300.2, 600.9 };
  const double intercepts[N] = { -0.5, 0.0, 0.3, 0.5, -0.8, 0.1 };
  double gain[N], bias[N], r2[N], c2[N];
  double x[N], rates[N];

  g_assert_true (spk_neuron_gain_bias (t, max_rates, intercepts, N, gain, bias, NULL));

  for (gsize i = 0; i < N; i++)
    x[i] = 1.0;
  spk_neuron_rates (t, x, gain, bias, 1, N, DT, rates);
  for (gsize i = 0; i < N; i++)
    g_assert_cmpfloat_with_epsilon (rates[i], max_rates[i], 0.02 * max_rates[i] + 1.0);

  for (gsize i = 0; i < N; i++)
    x[i] = intercepts[i] - 0.05;
  spk_neuron_rates (t, x, gain, bias, 1, N, DT, rates);
  for (gsize i = 0; i < N; i++)
    g_assert_cmpfloat (rates[i], ==, 0.0);
  for (gsize i = 0; i < N; i++)
    x[i] = intercepts[i] + 0.05;
  spk_neuron_rates (t, x, gain, bias, 1, N, DT, rates);
  for (gsize i = 0; i < N; i++)
    g_assert_cmpfloat (rates[i], >, 0.0);

  /* The inverse reads the intercept off a grid of step 0.02 in x. */
  spk_neuron_max_rates_intercepts (t, gain, bias, N, r2, c2);
  for (gsize i = 0; i < N; i++)
    {
      g_assert_cmpfloat_with_epsilon (r2[i], max_rates[i], 0.02 * max_rates[i] + 1.0);
      g_assert_cmpfloat_with_epsilon (c2[i], intercepts[i], 0.05);
    }
}

/* ---- LIF, transcribed from NEF-FACTS §2 steps 1–7 ---- */

static double
ref_lif_step (const SpkNeuronType *t,
              double               dt,
              double               J,
              double              *v,
              double              *r)
{
  double delta, t_spike = 0.0;
  gboolean spiked;

  *r = *r - dt;
  delta = fmin (fmax (dt - *r, 0.0), dt);
  *v = *v - (J - *v) * expm1 (-delta / t->tau_rc);
  spiked = *v > 1.0;
  if (spiked)
    t_spike = dt + t->tau_rc * log1p (-(*v - 1.0) / (J - 1.0));
  *v = fmax (*v, t->min_voltage);
  if (spiked)
    {
      *v = 0.0;
      *r = t->tau_ref + t_spike;
    }
  return spiked ? t->amplitude / dt : 0.0;
}

/* Spike steps must match the transcription exactly, and the spacing of
 * the spikes must match the analytic period 1/rate: spike steps are the
 * continuous spike times rounded up to the grid, so the first-to-last
 * span is (count − 1)·period within one dt either way. */
static void
test_lif_spike_times (void)
{
  g_autoptr (SpkNeuronType) t = spk_neuron_type_new (SPK_NEURON_LIF);
  enum { N = 6, STEPS = 2000 };
  const double J[N] = { 1.05, 1.5, 2.0, 5.0, 20.0, 100.0 };
  double v[N] = { 0.0, 0.3, 0.9, 0.5, 0.99, 0.1 }, r[N] = { 0 };
  double rv[N], rr[N], out[N];
  double *states[2] = { v, r };
  int first[N], last[N], count[N] = { 0 };

  t->amplitude = 1.5;
  memcpy (rv, v, sizeof v);
  memcpy (rr, r, sizeof r);
  for (int step = 1; step <= STEPS; step++)
    {
      spk_neuron_step_f64 (t, DT, J, out, states, N, NULL);
      for (int i = 0; i < N; i++)
        {
          double o = ref_lif_step (t, DT, J[i], &rv[i], &rr[i]);

          if (out[i] != o)
            g_error ("J = %g: step %d output %g, reference %g", J[i], step, out[i], o);
          g_assert_cmpfloat_with_epsilon (v[i], rv[i], 1e-12);
          g_assert_cmpfloat_with_epsilon (r[i], rr[i], 1e-12);
          if (out[i] > 0)
            {
              g_assert_cmpfloat (out[i], ==, 1.5 / DT);
              if (count[i]++ == 0)
                first[i] = step;
              last[i] = step;
            }
        }
    }

  for (int i = 0; i < N; i++)
    {
      double period = t->tau_ref + t->tau_rc * log (J[i] / (J[i] - 1.0));
      double span = (last[i] - first[i]) * DT;

      g_assert_cmpint (count[i], >=, 2);
      g_assert_cmpfloat_with_epsilon (span, (count[i] - 1) * period, DT);
    }
}

/* Counting spikes for 1 s after 0.1 s of settling: with an exact period
 * the count is rate·1 s rounded one way or the other, so within 1. */
static void
test_lif_vs_rate (void)
{
  enum { N = 7 };
  const double J[N] = { 0.5, 1.01, 1.2, 1.7, 3.0, 8.0, 30.0 };

    {
      g_autoptr (SpkNeuronType) t = spk_neuron_type_new (SPK_NEURON_LIF);
      double v[N] = { 0 }, r[N] = { 0 }, out[N], count[N] = { 0 };
      double *states[2] = { v, r };
      double rates[N];
      const double one = 1.0, zero = 0.0;

      for (int step = 0; step < 1100; step++)
        {
          spk_neuron_step_f64 (t, DT, J, out, states, N, NULL);
          if (step >= 100)
            for (int i = 0; i < N; i++)
              count[i] += out[i] * DT;
        }
      for (int i = 0; i < N; i++)
        {
          spk_neuron_rates (t, &J[i], &one, &zero, 1, 1, DT, &rates[i]);
          g_assert_cmpfloat_with_epsilon (count[i], rates[i], 1.0);
        }
    }
}

/* AdaptiveLIF: the LIF transcription driven by J − n, plus n's update;
 * AdaptiveLIFRate: its adaptation settles on the fixed point
 * n = inc_n · rate(J − n), found here by bisection.  20 s at τ_n = 1 s
 * shrinks the start-up error by e^−20, so 1e-7 is loose. */
static void
test_adaptive (void)
{
  g_autoptr (SpkNeuronType) t = spk_neuron_type_new (SPK_NEURON_ADAPTIVE_LIF);
  g_autoptr (SpkNeuronType) rate_t = spk_neuron_type_new (SPK_NEURON_ADAPTIVE_LIF_RATE);
  enum { N = 3 };
  const double J[N] = { 1.5, 3.0, 10.0 };
  double v[N] = { 0.2, 0.5, 0.7 }, r[N] = { 0 }, n[N] = { 0 };
  double rv[N], rr[N], rn[N] = { 0 }, out[N], spikes[N] = { 0 };
  double *states[3] = { v, r, n };
  double an[N] = { 0 }, *rate_states[1] = { an };

  t->tau_n = 0.2;
  t->inc_n = 0.05;
  memcpy (rv, v, sizeof v);
  memcpy (rr, r, sizeof r);
  for (int step = 0; step < 2000; step++)
    {
      spk_neuron_step_f64 (t, DT, J, out, states, N, NULL);
      for (int i = 0; i < N; i++)
        {
          double o = ref_lif_step (t, DT, J[i] - rn[i], &rv[i], &rr[i]);

          rn[i] += (DT / t->tau_n) * (t->inc_n * o - rn[i]);
          g_assert_cmpfloat (out[i], ==, o);
          g_assert_cmpfloat_with_epsilon (n[i], rn[i], 1e-12);
          if (step >= 1000)
            spikes[i] += out[i] * DT;
        }
    }
  /* Adaptation must have slowed every neuron below its LIF rate. */
  for (int i = 0; i < N; i++)
    g_assert_cmpfloat (spikes[i], <, ref_lif_rate (t, J[i]) - 1.0);

  for (int step = 0; step < 20000; step++)
    spk_neuron_step_f64 (rate_t, DT, J, out, rate_states, N, NULL);
  for (int i = 0; i < N; i++)
    {
      double lo = 0.0, hi = J[i];

      for (int it = 0; it < 200; it++)
        {
          double mid = 0.5 * (lo + hi);

          if (rate_t->inc_n * ref_lif_rate (rate_t, J[i] - mid) > mid)
            lo = mid;
          else
            hi = mid;
        }
      g_assert_cmpfloat_with_epsilon (an[i], lo, 1e-7);
      g_assert_cmpfloat_with_epsilon (out[i], ref_lif_rate (rate_t, J[i] - an[i]), 1e-9);
    }
}

/* From v = 0.5 the count after 1 s is floor(0.5 + J), exactly: the
 * margin of 0.5 dwarfs the rounding of 1000 additions. */
static void
test_spiking_rectified_linear (void)
{
  g_autoptr (SpkNeuronType) t = spk_neuron_type_new (SPK_NEURON_SPIKING_RECTIFIED_LINEAR);
  enum { N = 5 };
  const double J[N] = { -5.0, 0.0, 3.0, 37.0, 2500.0 };
  const double expect[N] = { 0, 0, 3, 37, 2500 };
  double v[N] = { 0.5, 0.5, 0.5, 0.5, 0.5 }, out[N], count[N] = { 0 };
  double *states[1] = { v };

  t->amplitude = 2.0;
  for (int step = 0; step < 1000; step++)
    {
      spk_neuron_step_f64 (t, DT, J, out, states, N, NULL);
      for (int i = 0; i < N; i++)
        {
          /* Whole spikes only: k·amplitude/dt. */
          double k = out[i] * DT / 2.0;

          g_assert_cmpfloat_with_epsilon (k, round (k), 1e-9);
          count[i] += round (k);
        }
    }
  for (int i = 0; i < N; i++)
    g_assert_cmpfloat (count[i], ==, expect[i]);
}

/* RegularSpiking integrates the base rate: after 1 s from v = 0.5 the
 * count is within one of the rate, and each spike is amplitude/dt. */
static void
test_regular_spiking (void)
{
  g_autoptr (SpkNeuronType) t = wrapping (SPK_NEURON_REGULAR_SPIKING, SPK_NEURON_LIF_RATE);
  enum { N = 4 };
  const double J[N] = { 0.9, 1.3, 2.0, 12.0 };
  double v[N] = { 0.5, 0.5, 0.5, 0.5 }, out[N], count[N] = { 0 };
  double *states[1] = { v };
  const double one = 1.0, zero = 0.0;

  t->amplitude = 2.0;
  g_assert_cmpuint (spk_neuron_step_n_states (t), ==, 1);
  for (int step = 0; step < 1000; step++)
    {
      spk_neuron_step_f64 (t, DT, J, out, states, N, NULL);
      for (int i = 0; i < N; i++)
        {
          g_assert_true (out[i] == 0.0 || out[i] == 2.0 / DT);
          count[i] += out[i] * DT / 2.0;
        }
    }
  for (int i = 0; i < N; i++)
    {
      double rate;

      spk_neuron_rates (t, &J[i], &one, &zero, 1, 1, DT, &rate);
      g_assert_cmpfloat (fabs (count[i] - rate), <, 1.0);
    }
}

/* A wrapper around a stateful base carries the base's state after its
 * own: RegularSpiking(AdaptiveLIFRate) adapts like AdaptiveLIFRate. */
static void
test_regular_spiking_adaptive_base (void)
{
  g_autoptr (SpkNeuronType) t = wrapping (SPK_NEURON_REGULAR_SPIKING,
                                          SPK_NEURON_ADAPTIVE_LIF_RATE);
  g_autoptr (SpkNeuronType) base = spk_neuron_type_new (SPK_NEURON_ADAPTIVE_LIF_RATE);
  double J = 4.0, v = 0.0, n = 0.0, bn = 0.0, out, bout;
  double *states[2] = { &v, &n }, *bstates[1] = { &bn };
  double count = 0.0, expect = 0.0;
  SpkRng rng;

  g_assert_cmpuint (spk_neuron_step_n_states (t), ==, 2);
  spk_rng_init (&rng, 1);
  g_assert_true (spk_neuron_init_state (t, 1, &rng, states, NULL));
  g_assert_cmpfloat (n, ==, 0.0);
  for (int step = 0; step < 3000; step++)
    {
      spk_neuron_step_f64 (t, DT, &J, &out, states, 1, NULL);
      spk_neuron_step_f64 (base, DT, &J, &bout, bstates, 1, NULL);
      g_assert_cmpfloat (n, ==, bn);
      if (step >= 2000)
        {
          count += out * DT;
          expect += bout * DT;
        }
    }
  /* Regular spiking emits the integral of its rate, give or take the
   * fraction of a spike held in its voltage at either end. */
  g_assert_cmpfloat (fabs (count - expect), <, 1.0);
}

/* Poisson counts over 1 s for 2000 neurons: the mean within 5 standard
 * errors of the rate and the Fano factor within 5·sqrt(2/n) of 1. */
static void
test_poisson (void)
{
  g_autoptr (SpkNeuronType) t = wrapping (SPK_NEURON_POISSON_SPIKING, SPK_NEURON_LIF_RATE);
  g_autoptr (SpkNeuronType) tn = wrapping (SPK_NEURON_POISSON_SPIKING, SPK_NEURON_TANH);
  enum { N = 2000 };
  g_autofree double *J = g_new (double, N);
  g_autofree double *out = g_new (double, N);
  g_autofree double *count = g_new0 (double, N);
  double rate, mean = 0, var = 0, neg = 0, neg_rate;
  const double one = 1.0, zero = 0.0, Jn = -0.5;
  SpkRng rng;

  g_assert_cmpuint (spk_neuron_step_n_states (t), ==, 0);
  spk_rng_init (&rng, 99);
  for (gsize i = 0; i < N; i++)
    J[i] = 3.0;
  spk_neuron_rates (t, J, &one, &zero, 1, 1, DT, &rate);
  for (int step = 0; step < 1000; step++)
    {
      spk_neuron_step_f64 (t, DT, J, out, NULL, N, &rng);
      for (gsize i = 0; i < N; i++)
        count[i] += out[i] * DT;
    }
  for (gsize i = 0; i < N; i++)
    mean += count[i] / N;
  for (gsize i = 0; i < N; i++)
    var += (count[i] - mean) * (count[i] - mean) / (N - 1);
  g_assert_cmpfloat_with_epsilon (mean, rate, 5 * sqrt (rate / N));
  g_assert_cmpfloat_with_epsilon (var / mean, 1.0, 5 * sqrt (2.0 / N));

  /* A negative Tanh rate spikes negatively. */
  spk_neuron_rates (tn, &Jn, &one, &zero, 1, 1, DT, &neg_rate);
  for (int step = 0; step < 1000; step++)
    {
      spk_neuron_step_f64 (tn, DT, &Jn, out, NULL, 1, &rng);
      g_assert_cmpfloat (out[0], <=, 0.0);
      neg += out[0] * DT;
    }
  g_assert_cmpfloat_with_epsilon (neg, neg_rate, 5 * sqrt (-neg_rate));
}

/* StochasticSpiking (Nengo's stochastic rounding): each step emits
 * floor(e) or floor(e) + 1 spikes, e = rate·dt, the latter with
 * probability frac(e); over 1000 steps and 2000 neurons the mean count is
 * the rate within 5 standard errors (the per-step variance is f(1 − f)),
 * and a negative Tanh rate spikes negatively. */
static void
test_stochastic (void)
{
  g_autoptr (SpkNeuronType) lif = wrapping (SPK_NEURON_STOCHASTIC_SPIKING, SPK_NEURON_LIF_RATE);
  g_autoptr (SpkNeuronType) relu = wrapping (SPK_NEURON_STOCHASTIC_SPIKING, SPK_NEURON_RECTIFIED_LINEAR);
  g_autoptr (SpkNeuronType) tn = wrapping (SPK_NEURON_STOCHASTIC_SPIKING, SPK_NEURON_TANH);
  enum { N = 2000, STEPS = 1000 };
  /* About 99 Hz, and 1650 Hz: more than one spike per step. */
  SpkNeuronType *types[] = { lif, relu };
  const double currents[] = { 3.0, 1650.0 };
  g_autofree double *J = g_new (double, N);
  g_autofree double *out = g_new (double, N);
  const double one = 1.0, zero = 0.0, Jn = -0.5;
  double neg = 0, neg_rate;
  SpkRng rng;

  g_assert_cmpuint (spk_neuron_step_n_states (lif), ==, 0);
  g_assert_true (spk_neuron_type_is_spiking (lif));
  spk_rng_init (&rng, 7);
  for (guint c = 0; c < G_N_ELEMENTS (currents); c++)
    {
      double rate, e, f, total = 0;

      for (gsize i = 0; i < N; i++)
        J[i] = currents[c];
      spk_neuron_rates (types[c], J, &one, &zero, 1, 1, DT, &rate);
      e = rate * DT;
      f = e - floor (e);
      for (int step = 0; step < STEPS; step++)
        {
          spk_neuron_step_f64 (types[c], DT, J, out, NULL, N, &rng);
          for (gsize i = 0; i < N; i++)
            {
              double k = out[i] * DT;

              g_assert_true (fabs (k - floor (e)) < 1e-9 || fabs (k - floor (e) - 1) < 1e-9);
              total += k;
            }
        }
      g_test_message ("rate %.4g Hz: %.6g spikes per neuron-step, expected %.6g", rate, total / N / STEPS, e);
      g_assert_cmpfloat (e, >, c == 0 ? 0.01 : 1.0);
      g_assert_cmpfloat_with_epsilon (total / N / STEPS, e, 5 * sqrt (f * (1 - f) / N / STEPS) + 1e-12);
    }

  spk_neuron_rates (tn, &Jn, &one, &zero, 1, 1, DT, &neg_rate);
  for (int step = 0; step < STEPS; step++)
    {
      spk_neuron_step_f64 (tn, DT, &Jn, out, NULL, 1, &rng);
      g_assert_cmpfloat (out[0], <=, 0.0);
      neg += out[0] * DT;
    }
  g_assert_cmpfloat_with_epsilon (neg, neg_rate, 5 * sqrt (-neg_rate));
}

/* float32 against float64 from the same start.  Rate outputs: 1e-4
 * relative (float32's 6e-8 grows through exp/log1p and the adaptation's
 * accumulation).  Spiking outputs: a float rounding can move a spike by
 * a step when the voltage crosses 1 by less than float precision, so
 * totals agree within one spike and nearly all trains are identical. */
static void
test_f32_vs_f64 (void)
{
  enum { N = 64, STEPS = 1000 };

  /* Direct has no neurons to step. */
  for (int kind = 0; kind < SPK_NEURON_N_KINDS; kind++)
    {
      g_autoptr (SpkNeuronType) t = spk_neuron_type_new (kind);
      guint n_states = spk_neuron_step_n_states (t);

      if (spk_neuron_kind_is_direct (kind))
        continue;
      double Jd[N], outd[N], sd[SPK_NEURON_MAX_STATES][N], countd[N] = { 0 };
      float Jf[N], outf[N], sf[SPK_NEURON_MAX_STATES][N], countf[N] = { 0 };
      double *pd[SPK_NEURON_MAX_STATES];
      float *pf[SPK_NEURON_MAX_STATES];
      gboolean differs[N] = { FALSE };
      int n_differ = 0;
      SpkRng rng, rng_d, rng_f;

      spk_rng_init (&rng, 3 + kind);
      for (guint s = 0; s < SPK_NEURON_MAX_STATES; s++)
        {
          pd[s] = sd[s];
          pf[s] = sf[s];
        }
      g_assert_true (spk_neuron_init_state (t, N, &rng, pd, NULL));
      for (gsize i = 0; i < N; i++)
        {
          Jf[i] = (float) (kind == SPK_NEURON_IZHIKEVICH ? -5.0 + 0.5 * i : -1.0 + 0.1 * i);
          Jd[i] = Jf[i];
          for (guint s = 0; s < n_states; s++)
            {
              sf[s][i] = (float) sd[s][i];
              sd[s][i] = sf[s][i];
            }
        }
      rng_d = rng;
      rng_f = rng;

      for (int step = 0; step < STEPS; step++)
        {
          spk_neuron_step_f64 (t, DT, Jd, outd, pd, N, &rng_d);
          spk_neuron_step_f32 (t, (float) DT, Jf, outf, pf, N, &rng_f);
          for (gsize i = 0; i < N; i++)
            {
              if (!spk_neuron_type_is_spiking (t))
                {
                  if (fabs (outf[i] - outd[i]) > 1e-4 * MAX (1.0, fabs (outd[i])))
                    g_error ("%s: step %d neuron %zu: f32 %.9g vs f64 %.9g",
                             spk_neuron_kind_to_name (kind), step, i, outf[i], outd[i]);
                }
              else
                {
                  countd[i] += outd[i] * DT;
                  countf[i] += outf[i] * DT;
                  if (fabs (outf[i] - outd[i]) > 1e-3 * MAX (1.0, fabs (outd[i])))
                    differs[i] = TRUE;
                }
            }
        }
      for (gsize i = 0; i < N; i++)
        {
          g_assert_cmpfloat_with_epsilon (countf[i], countd[i], 1.0 + 1e-3);
          n_differ += differs[i];
        }
      if (n_differ > N / 16)
        g_error ("%s: %d of %d spike trains differ between f32 and f64",
                 spk_neuron_kind_to_name (kind), n_differ, N);
    }
}

/* Defaults: voltage U(0, 1) (mean within 5 standard errors), everything
 * else 0; a set initial_state wins. */
static void
test_init_state (void)
{
  enum { N = 10000 };
  SpkNeuronKind kinds[] = {
    SPK_NEURON_LIF, SPK_NEURON_ADAPTIVE_LIF, SPK_NEURON_IZHIKEVICH,
    SPK_NEURON_SPIKING_RECTIFIED_LINEAR, SPK_NEURON_ADAPTIVE_LIF_RATE,
  };
  g_autofree double *store = g_new (double, SPK_NEURON_MAX_STATES * N);
  double *states[SPK_NEURON_MAX_STATES];
  SpkRng rng;

  for (guint s = 0; s < SPK_NEURON_MAX_STATES; s++)
    states[s] = store + s * N;
  spk_rng_init (&rng, 21);

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr (SpkNeuronType) t = spk_neuron_type_new (kinds[k]);
      const char *names[SPK_NEURON_MAX_STATES];
      guint n_states = spk_neuron_type_state_names (t, names);

      g_assert_true (spk_neuron_init_state (t, N, &rng, states, NULL));
      for (guint s = 0; s < n_states; s++)
        {
          double mean = 0.0;

          for (gsize i = 0; i < N; i++)
            {
              if (g_str_equal (names[s], "voltage"))
                g_assert_true (states[s][i] >= 0.0 && states[s][i] < 1.0);
              else
                g_assert_cmpfloat (states[s][i], ==, 0.0);
              mean += states[s][i] / N;
            }
          if (g_str_equal (names[s], "voltage"))
            g_assert_cmpfloat_with_epsilon (mean, 0.5, 5 * sqrt (1.0 / 12 / N));
        }
    }

  {
    g_autoptr (SpkNeuronType) t = spk_neuron_type_new (SPK_NEURON_LIF);
    g_autoptr (GError) error = NULL;
    const double values[3] = { 0.25, 0.5, 0.75 }, refractory[1] = { 0.004 };
    g_autoptr (SpkArray) array = spk_array_new_vector (values, 3);
    g_autoptr (SpkArray) options = spk_array_new_vector (refractory, 1);

    t->initial_state[0] = spk_distribution_new_uniform (-1.0, -0.5);
    t->initial_state[1] = spk_distribution_new_choice (options, NULL);
    g_assert_true (spk_neuron_init_state (t, N, &rng, states, &error));
    g_assert_no_error (error);
    for (gsize i = 0; i < N; i++)
      {
        g_assert_true (states[0][i] >= -1.0 && states[0][i] < -0.5);
        g_assert_cmpfloat (states[1][i], ==, 0.004);
      }

    spk_distribution_unref (t->initial_state[0]);
    t->initial_state[0] = spk_distribution_new_array (array);
    g_assert_true (spk_neuron_init_state (t, 3, &rng, states, NULL));
    g_assert_cmpfloat (states[0][1], ==, 0.5);
    g_assert_false (spk_neuron_init_state (t, 4, &rng, states, &error));
    g_assert_nonnull (error);
    g_assert_true (g_str_has_prefix (error->message, "LIF.initial_state[voltage]: "));
  }
}

static void
expect_gain_bias_error (SpkNeuronType *type,
                        const double  *max_rates,
                        const double  *intercepts,
                        gsize          n,
                        GQuark         domain,
                        const char    *message)
{
  g_autoptr (GError) error = NULL;
  double gain[8], bias[8];

  g_assert_false (spk_neuron_gain_bias (type, max_rates, intercepts, n, gain, bias, &error));
  g_assert_error (error, domain, 0);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_errors (void)
{
  g_autoptr (SpkNeuronType) lif = spk_neuron_type_new (SPK_NEURON_LIF);
  g_autoptr (SpkNeuronType) sig = spk_neuron_type_new (SPK_NEURON_SIGMOID);
  g_autoptr (SpkNeuronType) tanh_t = spk_neuron_type_new (SPK_NEURON_TANH);
  g_autoptr (SpkNeuronType) relu = spk_neuron_type_new (SPK_NEURON_RECTIFIED_LINEAR);
  g_autoptr (SpkNeuronType) izh = spk_neuron_type_new (SPK_NEURON_IZHIKEVICH);
  g_autoptr (SpkNeuronType) bad = spk_neuron_type_new (SPK_NEURON_LIF);
  g_autoptr (SpkNeuronType) base = spk_neuron_type_new (SPK_NEURON_LIF);
  g_autoptr (SpkNeuronType) wrapper = spk_neuron_type_new_wrapping (SPK_NEURON_REGULAR_SPIKING, base);
  const double rates_ok[4] = { 200, 300, 250, 220 };
  const double icpt_ok[4] = { 0.0, 0.5, -0.5, 0.1 };
  const double icpt_bad[4] = { 0.0, 0.5, -0.5, 1.2 };
  const double rates_high[1] = { 600 }, icpt0[1] = { 0.0 };
  const double rates_neg[2] = { 100, -5 }, rates_nan[1] = { NAN }, icpt_inf[1] = { INFINITY };
  const double rates_low[1] = { 150 }, rates_izh[3] = { 20, 30, 5000 };
  const double icpt_izh[3] = { 0.0, 0.1, 0.2 };
  g_autoptr (GError) error = NULL;
  double v[2], r[2];
  double *states[2] = { v, r };
  SpkRng rng;

  expect_gain_bias_error (lif, rates_ok, icpt_bad, 4, SPK_BUILD_ERROR,
                          "neuron 3: intercept 1.2 gives a non-positive gain; intercepts must be below 1");
  expect_gain_bias_error (relu, rates_ok, icpt_bad, 4, SPK_BUILD_ERROR,
                          "neuron 3: intercept 1.2 gives a non-positive gain; intercepts must be below 1");
  expect_gain_bias_error (lif, rates_high, icpt0, 1, SPK_BUILD_ERROR,
                          "neuron 0: max rate 600 Hz is not below 1/tau_ref = 500 Hz");
  expect_gain_bias_error (sig, rates_high, icpt0, 1, SPK_BUILD_ERROR,
                          "neuron 0: max rate 600 Hz is not below 1/tau_ref = 400 Hz");
  expect_gain_bias_error (tanh_t, rates_high, icpt0, 1, SPK_BUILD_ERROR,
                          "neuron 0: max rate 600 Hz is not below 1/tau_ref = 400 Hz");
  expect_gain_bias_error (lif, rates_neg, icpt_ok, 2, SPK_BUILD_ERROR,
                          "neuron 1: max rate -5 Hz must be positive");
  expect_gain_bias_error (lif, rates_nan, icpt0, 1, SPK_BUILD_ERROR,
                          "neuron 0: max rate nan Hz is not a finite number");
  expect_gain_bias_error (lif, rates_ok, icpt_inf, 1, SPK_BUILD_ERROR,
                          "neuron 0: intercept inf is not a finite number");
  expect_gain_bias_error (sig, rates_low, icpt0, 1, SPK_BUILD_ERROR,
                          "neuron 0: max rate 150 Hz and intercept 0 give gain -0.510826 and "
                          "bias 0 for Sigmoid; the gain must be positive and finite");
  expect_gain_bias_error (izh, rates_izh, icpt_izh, 3, SPK_BUILD_ERROR,
                          "neuron 2: max rate 5000 Hz is not reached by Izhikevich at any "
                          "current up to 5120");
  expect_gain_bias_error (izh, rates_ok, icpt_bad, 4, SPK_BUILD_ERROR,
                          "neuron 3: intercept 1.2 gives a non-positive gain; intercepts must be below 1");

  /* Nonsense parameters are caught before any arithmetic. */
  bad->tau_rc = -1.0;
  expect_gain_bias_error (bad, rates_ok, icpt_ok, 4, SPK_MODEL_ERROR,
                          "LIF.tau_rc must be positive (got -1)");
  expect_gain_bias_error (wrapper, rates_ok, icpt_ok, 4, SPK_MODEL_ERROR,
                          "RegularSpiking needs a rate neuron type as its base");
  spk_rng_init (&rng, 1);
  g_assert_false (spk_neuron_init_state (bad, 2, &rng, states, &error));
  g_assert_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "LIF.tau_rc must be positive (got -1)");
}

/* The vectorised float32 LIF kernel against its libm twin: 2000 neurons
 * over a range of currents (below, near and far above threshold) for 1 s.
 * Each step's state differs by round-off only, which can move a spike by
 * at most one step now and then; so spike counts agree to ±1 per neuron
 * and the total to 0.1 %, and one step from equal states agrees to 1e-5. */
static void
test_lif_fast_vs_reference (void)
{
  const gsize n = 2000;
  const float dt = 0.001f;
  g_autofree float *J = g_new (float, n);
  g_autofree float *v1 = g_new (float, n), *v2 = g_new (float, n);
  g_autofree float *r1 = g_new0 (float, n), *r2 = g_new0 (float, n);
  g_autofree float *o1 = g_new (float, n), *o2 = g_new (float, n);
  g_autofree double *c1 = g_new0 (double, n), *c2 = g_new0 (double, n);
  double total1 = 0, total2 = 0;

  for (gsize i = 0; i < n; i++)
    {
      J[i] = -1.0f + 30.0f * (float) i / (float) n;
      v1[i] = v2[i] = (float) ((i * 7919) % 1000) / 1000.0f;
    }
  /* One step from identical states. */
  _spk_lif_step_fast_f32 (dt, 0.02f, 0.002f, 0.0f, 1.0f, J, o1, v1, r1, n);
  _spk_lif_step_reference_f32 (dt, 0.02f, 0.002f, 0.0f, 1.0f, J, o2, v2, r2, n);
  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpfloat (o1[i], ==, o2[i]);
      g_assert_cmpfloat_with_epsilon (v1[i], v2[i], 1e-5);
      g_assert_cmpfloat_with_epsilon (r1[i], r2[i], 1e-8);
    }
  for (int step = 1; step < 1000; step++)
    {
      _spk_lif_step_fast_f32 (dt, 0.02f, 0.002f, 0.0f, 1.0f, J, o1, v1, r1, n);
      _spk_lif_step_reference_f32 (dt, 0.02f, 0.002f, 0.0f, 1.0f, J, o2, v2, r2, n);
      for (gsize i = 0; i < n; i++)
        {
          c1[i] += o1[i] * dt;
          c2[i] += o2[i] * dt;
        }
    }
  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpfloat (fabs (c1[i] - c2[i]), <=, 1.0 + 1e-3);
      total1 += c1[i];
      total2 += c2[i];
    }
  g_assert_cmpfloat (total1, >, 1000.0);
  g_assert_cmpfloat (fabs (total1 - total2), <=, 1e-3 * total2);
  /* The min_voltage clamp and a large dt/tau_rc (exp far from 0). */
  for (gsize i = 0; i < n; i++)
    v1[i] = v2[i] = 0.5f, r1[i] = r2[i] = 0.0f;
  _spk_lif_step_fast_f32 (0.05f, 0.01f, 0.002f, -0.5f, 2.0f, J, o1, v1, r1, n);
  _spk_lif_step_reference_f32 (0.05f, 0.01f, 0.002f, -0.5f, 2.0f, J, o2, v2, r2, n);
  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpfloat (o1[i], ==, o2[i]);
      g_assert_cmpfloat_with_epsilon (v1[i], v2[i], 1e-5 * MAX (1.0f, fabsf (v2[i])));
      g_assert_cmpfloat_with_epsilon (r1[i], r2[i], 1e-6);
    }
}

/* The float64 LIF step as the engine runs it (eight neurons at a time
 * with AVX-512 and libmvec, the scalar loop for the rest) against the
 * scalar libm loop alone: 2003 neurons (so the last three take the scalar
 * path) over a range of currents for 1 s.  One step from equal states
 * agrees to a few ulps (1e-14), and the whole second spike for spike, with
 * voltages to 1e-10 — float64 round-off, far below any spike time. */
static void
test_lif_f64_vector_vs_reference (void)
{
  const gsize n = 2003;
  const double dt = 0.001;
  g_autoptr (SpkNeuronType) lif = spk_neuron_type_new (SPK_NEURON_LIF);
  g_autofree double *J = g_new (double, n);
  g_autofree double *v1 = g_new (double, n), *v2 = g_new (double, n);
  g_autofree double *r1 = g_new0 (double, n), *r2 = g_new0 (double, n);
  g_autofree double *o1 = g_new (double, n), *o2 = g_new (double, n);
  double *states[] = { v1, r1 };
  guint64 spikes = 0;

  for (gsize i = 0; i < n; i++)
    {
      J[i] = -1.0 + 30.0 * (double) i / (double) n;
      v1[i] = v2[i] = (double) ((i * 7919) % 1000) / 1000.0;
    }
  g_assert_cmpuint (_spk_lif_step_avx512_f64 (dt, 0.02, 0.002, 0, 1, J, o1, v1, r1, 0), ==, 0);
  for (int step = 0; step < 1000; step++)
    {
      spk_neuron_step_f64 (lif, dt, J, o1, states, n, NULL);
      _spk_lif_step_reference_f64 (dt, 0.02, 0.002, 0, 1, J, o2, v2, r2, n);
      for (gsize i = 0; i < n; i++)
        {
          double tol = step == 0 ? 1e-14 : 1e-10;

          g_assert_cmpfloat (o1[i], ==, o2[i]);
          g_assert_cmpfloat_with_epsilon (v1[i], v2[i], tol);
          g_assert_cmpfloat_with_epsilon (r1[i], r2[i], tol);
          spikes += o1[i] != 0;
        }
    }
  g_assert_cmpuint (spikes, >, 100000);
  /* Where the processor has AVX-512 the vector kernel did all but the
   * last n mod 8 neurons. */
  g_assert_cmpuint (_spk_lif_step_avx512_f64 (dt, 0.02, 0.002, 0, 1, J, o1, v1, r1, n), ==,
                    spk_cpu_isa () == SPK_ISA_AVX512 ? n - n % 8 : 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/neurons/rates-closed-form", test_rates_closed_form);
  g_test_add_func ("/spk/neurons/gain-bias-roundtrip", test_gain_bias_roundtrip);
  g_test_add_func ("/spk/neurons/gain-bias-adaptive", test_gain_bias_adaptive);
  g_test_add_func ("/spk/neurons/izhikevich-step", test_izhikevich_step);
  g_test_add_func ("/spk/neurons/gain-bias-izhikevich", test_gain_bias_izhikevich);
  g_test_add_func ("/spk/neurons/lif-spike-times", test_lif_spike_times);
  g_test_add_func ("/spk/neurons/lif-vs-rate", test_lif_vs_rate);
  g_test_add_func ("/spk/neurons/adaptive", test_adaptive);
  g_test_add_func ("/spk/neurons/spiking-rectified-linear", test_spiking_rectified_linear);
  g_test_add_func ("/spk/neurons/regular-spiking", test_regular_spiking);
  g_test_add_func ("/spk/neurons/regular-spiking-adaptive-base", test_regular_spiking_adaptive_base);
  g_test_add_func ("/spk/neurons/poisson", test_poisson);
  g_test_add_func ("/spk/neurons/stochastic", test_stochastic);
  g_test_add_func ("/spk/neurons/f32-vs-f64", test_f32_vs_f64);
  g_test_add_func ("/spk/neurons/init-state", test_init_state);
  g_test_add_func ("/spk/neurons/errors", test_errors);
  g_test_add_func ("/spk/neurons/lif-fast-vs-reference", test_lif_fast_vs_reference);
  g_test_add_func ("/spk/neurons/lif-f64-vector-vs-reference", test_lif_f64_vector_vs_reference);
  return g_test_run ();
}
