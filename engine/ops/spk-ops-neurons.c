/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ops-neurons.c — the numerics of every neuron type, as Nengo 4's
 * reference simulator computes them: rate curves, gain/bias from
 * max_rates/intercepts and back, initial state, and the per-step update.
 *
 * The step functions come from spk-ops-neurons-step-tmpl.h, included
 * once per precision.  Everything else works in double, like Nengo's
 * build, and is called at build time only, so clarity wins over speed
 * there (the settled-rate simulation still runs on fixed-size chunks).
 *
 * Which curve a type uses follows Nengo, not intuition: the spiking LIF
 * and both adaptive types use LIFRate's closed form (Nengo ignores the
 * adaptation when it computes rates and gains), the wrappers use their
 * base's, and only Izhikevich is settled by simulation and inverted
 * numerically.
 */
#define G_LOG_DOMAIN "spk-ops-neurons"

#include "spk-ops-neurons.h"

#include <math.h>
#include <string.h>

#include "core/spk-error.h"
#include "spk-ops-neurons-private.h"

/* float32 LIF runs the vectorised kernel; the template's loop stays as its
 * reference twin. */
#define LIF_FAST(type, dt, J, out, voltage, refractory, count)                    \
  _spk_lif_step_fast_f32 ((dt), (float) (type)->tau_rc, (float) (type)->tau_ref,  \
                          (float) (type)->min_voltage, (float) (type)->amplitude, \
                          (J), (out), (voltage), (refractory), (count))
#define REAL float
#define SUFFIX f32
#define M(fn) fn##f
#include "spk-ops-neurons-step-tmpl.h"
#undef REAL
#undef SUFFIX
#undef M
#undef LIF_FAST

void
_spk_lif_step_reference_f32 (float        dt,
                             float        tau_rc,
                             float        tau_ref,
                             float        min_voltage,
                             float        amplitude,
                             const float *J,
                             float       *out,
                             float       *voltage,
                             float       *refractory,
                             gsize        count)
{
  SpkNeuronType type = { .kind = SPK_NEURON_LIF, .tau_rc = tau_rc, .tau_ref = tau_ref,
                         .min_voltage = min_voltage, .amplitude = amplitude, .tau_n = 1 };

  lif_loop_f32 (&type, dt, J, out, voltage, refractory, NULL, count);
}

/* float64 LIF runs eight neurons at a time where the processor has
 * AVX-512, and the template's loop does the rest. */
#define LIF_FAST(type, dt, J, out, voltage, refractory, count)                           \
  do                                                                                     \
    {                                                                                    \
      gsize done_ = _spk_lif_step_avx512_f64 ((dt), (type)->tau_rc, (type)->tau_ref,     \
                                              (type)->min_voltage, (type)->amplitude,    \
                                              (J), (out), (voltage), (refractory),       \
                                              (count));                                  \
      lif_loop_f64 ((type), (dt), (J) + done_, (out) + done_, (voltage) + done_,          \
                    (refractory) + done_, NULL, (count) - done_);                         \
    }                                                                                    \
  while (0)
#define REAL double
#define SUFFIX f64
#define M(fn) fn
#include "spk-ops-neurons-step-tmpl.h"
#undef REAL
#undef SUFFIX
#undef M
#undef LIF_FAST

void
_spk_lif_step_reference_f64 (double        dt,
                             double        tau_rc,
                             double        tau_ref,
                             double        min_voltage,
                             double        amplitude,
                             const double *J,
                             double       *out,
                             double       *voltage,
                             double       *refractory,
                             gsize         count)
{
  SpkNeuronType type = { .kind = SPK_NEURON_LIF, .tau_rc = tau_rc, .tau_ref = tau_ref,
                         .min_voltage = min_voltage, .amplitude = amplitude, .tau_n = 1 };

  lif_loop_f64 (&type, dt, J, out, voltage, refractory, NULL, count);
}

/* Nengo's settled_firingrate() always runs at this step, whatever the
 * simulator's dt, and Izhikevich settles for one step before counting. */
#define SETTLE_DT          0.001
#define IZHIKEVICH_SETTLE  0.001
#define IZHIKEVICH_SIM     1.0
#define SETTLE_CHUNK       256

/* Nengo's generic gain_bias() search: an odd number of samples so that
 * J = 0 is one of them, and ten doublings of the range from ±10. */
#define SEARCH_STEPS       101
#define SEARCH_START       10.0
#define SEARCH_DOUBLINGS   10

static const SpkNeuronType *
rate_type (const SpkNeuronType *type)
{
  return spk_neuron_kind_is_wrapper (type->kind) ? type->base : type;
}

guint
spk_neuron_step_n_states (const SpkNeuronType *type)
{
  guint n;

  g_return_val_if_fail (type != NULL, 0);

  n = spk_neuron_type_state_names (type, NULL);
  if (spk_neuron_kind_is_wrapper (type->kind) && type->base != NULL)
    n += spk_neuron_type_state_names (type->base, NULL);
  return n;
}

/* Runs the step on constant currents from zero state and counts output,
 * as Nengo's settled_firingrate(): `settle_time` of transient is
 * dropped, then the output is averaged over `sim_time`. */
static void
settled_rates (const SpkNeuronType *type,
               const double        *x,
               const double        *gain,
               const double        *bias,
               gsize                total,
               gsize                n,
               double               dt,
               double               settle_time,
               double               sim_time,
               double              *rates)
{
  /* Python's int() truncates, and so does this cast. */
  const gsize settle_steps = (gsize) (settle_time / dt);
  const gsize sim_steps = (gsize) (sim_time / dt);
  const guint n_states = spk_neuron_step_n_states (type);
  double J[SETTLE_CHUNK], out[SETTLE_CHUNK], sum[SETTLE_CHUNK];
  double state_store[SPK_NEURON_MAX_STATES][SETTLE_CHUNK];
  double *states[SPK_NEURON_MAX_STATES];

  g_assert (n_states <= SPK_NEURON_MAX_STATES);
  for (guint s = 0; s < SPK_NEURON_MAX_STATES; s++)
    states[s] = state_store[s];

  for (gsize start = 0; start < total; start += SETTLE_CHUNK)
    {
      gsize len = MIN (SETTLE_CHUNK, total - start);

      for (gsize i = 0; i < len; i++)
        {
          gsize k = (start + i) % n;

          J[i] = gain[k] * x[start + i] + bias[k];
          sum[i] = 0.0;
        }
      for (guint s = 0; s < n_states; s++)
        memset (state_store[s], 0, len * sizeof (double));

      for (gsize step = 0; step < settle_steps; step++)
        spk_neuron_step_f64 (type, dt, J, out, states, len, NULL);
      for (gsize step = 0; step < sim_steps; step++)
        {
          spk_neuron_step_f64 (type, dt, J, out, states, len, NULL);
          for (gsize i = 0; i < len; i++)
            sum[i] += out[i];
        }
      for (gsize i = 0; i < len; i++)
        rates[start + i] = sum[i] / (double) sim_steps;
    }
}

void
spk_neuron_rates (const SpkNeuronType *type,
                  const double        *x,
                  const double        *gain,
                  const double        *bias,
                  gsize                m,
                  gsize                n,
                  double               dt,
                  double              *rates)
{
  const SpkNeuronType *t;
  const gsize total = m * n;

  g_return_if_fail (type != NULL);
  g_return_if_fail (total == 0 || (x != NULL && gain != NULL && bias != NULL && rates != NULL));

  t = rate_type (type);
  g_return_if_fail (t != NULL);

  switch (t->kind)
    {
    case SPK_NEURON_RECTIFIED_LINEAR:
    case SPK_NEURON_SPIKING_RECTIFIED_LINEAR:
      for (gsize i = 0; i < total; i++)
        {
          double J = gain[i % n] * x[i] + bias[i % n];

          rates[i] = t->amplitude * (J > 0.0 ? J : 0.0);
        }
      break;

    case SPK_NEURON_LIF:
    case SPK_NEURON_LIF_RATE:
    case SPK_NEURON_ADAPTIVE_LIF:
    case SPK_NEURON_ADAPTIVE_LIF_RATE:
      for (gsize i = 0; i < total; i++)
        {
          double j = gain[i % n] * x[i] + bias[i % n] - 1.0;

          rates[i] = j > 0.0 ? t->amplitude / (t->tau_ref + t->tau_rc * log1p (1.0 / j)) : 0.0;
        }
      break;

    case SPK_NEURON_SIGMOID:
      for (gsize i = 0; i < total; i++)
        rates[i] = (1.0 / t->tau_ref) / (1.0 + exp (-(gain[i % n] * x[i] + bias[i % n])));
      break;

    case SPK_NEURON_TANH:
      for (gsize i = 0; i < total; i++)
        rates[i] = (1.0 / t->tau_ref) * tanh (gain[i % n] * x[i] + bias[i % n]);
      break;

    case SPK_NEURON_IZHIKEVICH:
      g_return_if_fail (dt > 0.0);
      settled_rates (t, x, gain, bias, total, n, dt,
                     IZHIKEVICH_SETTLE, IZHIKEVICH_SIM, rates);
      break;

    case SPK_NEURON_DIRECT:
      /* Nengo's Direct.rates returns x itself: no gain, no bias. */
      memmove (rates, x, total * sizeof (double));
      break;

    case SPK_NEURON_REGULAR_SPIKING:
    case SPK_NEURON_POISSON_SPIKING:
    case SPK_NEURON_STOCHASTIC_SPIKING:
    case SPK_NEURON_N_KINDS:
    default:
      g_return_if_reached ();
    }
}

/* numpy.linspace: the last sample is `stop` exactly. */
static void
linspace (double  start,
          double  stop,
          gsize   num,
          double *out)
{
  double step = (stop - start) / (double) (num - 1);

  for (gsize k = 0; k < num; k++)
    out[k] = start + (double) k * step;
  out[num - 1] = stop;
}

/* numpy.interp, search included.  On an increasing xp any search gives
 * the same answer, but a sampled spiking rate curve need not increase,
 * and then the answer depends on where the search looks: numpy checks the
 * segments around the previous query's first (*guess), then bisects a
 * window of LIKELY_WINDOW samples near it, then the rest.  Reproducing
 * that keeps gain and bias equal to Nengo's on such curves. */
#define LIKELY_WINDOW 8

/* The j with xp[j] <= x < xp[j + 1] numpy's search settles on; −1 below
 * the first sample, len above the last. */
static gssize
interp_search (double        x,
               const double *xp,
               gssize        len,
               gssize        guess)
{
  gssize lo = 0, hi = len;

  if (x > xp[len - 1])
    return len;
  if (x < xp[0])
    return -1;
  if (len <= 4)
    {
      gssize j = 1;

      while (j < len && x >= xp[j])
        j++;
      return j - 1;
    }

  guess = CLAMP (guess, 1, len - 3);
  if (x < xp[guess])
    {
      if (x >= xp[guess - 1])
        return guess - 1;
      hi = guess - 1;
      if (guess > LIKELY_WINDOW && x >= xp[guess - LIKELY_WINDOW])
        lo = guess - LIKELY_WINDOW;
    }
  else
    {
      if (x < xp[guess + 1])
        return guess;
      if (x < xp[guess + 2])
        return guess + 1;
      lo = guess + 2;
      if (guess < len - LIKELY_WINDOW - 1 && x < xp[guess + LIKELY_WINDOW])
        hi = guess + LIKELY_WINDOW;
    }

  /* The first index in [lo, hi) whose sample exceeds x, minus one. */
  while (lo < hi)
    {
      gssize mid = lo + (hi - lo) / 2;

      if (x >= xp[mid])
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo - 1;
}

/* One value of numpy.interp(x, xp, fp) for len ≥ 2, with *guess carried
 * from query to query as numpy carries it along its x array. */
static double
interp (double        x,
        const double *xp,
        const double *fp,
        gssize        len,
        gssize       *guess)
{
  gssize j;
  double slope, y;

  if (isnan (x))
    return x;
  j = *guess = interp_search (x, xp, len, *guess);
  if (j < 0)
    return fp[0];
  if (j >= len - 1)
    return fp[len - 1];
  if (xp[j] == x)
    return fp[j];
  slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
  y = slope * (x - xp[j]) + fp[j];
  if (isnan (y))
    {
      /* numpy's fallback for a plateau of xp (an infinite slope). */
      y = slope * (x - xp[j + 1]) + fp[j + 1];
      if (isnan (y) && fp[j] == fp[j + 1])
        y = fp[j];
    }
  return y;
}

/* Nengo's NeuronType.gain_bias(): find a current range that spans the
 * threshold and the largest max rate, sample the rate curve over it, and
 * read each neuron's top current off the curve by interpolation. */
static gboolean
numeric_gain_bias (const SpkNeuronType *type,
                   const double        *max_rates,
                   const double        *intercepts,
                   gsize                n,
                   double              *gain,
                   double              *bias,
                   GError             **error)
{
  const double one = 1.0, zero = 0.0;
  double J[SEARCH_STEPS], rate[SEARCH_STEPS];
  double max_rate = -INFINITY, Jr = SEARCH_START;
  double J_threshold = 0.0, J_max = 0.0;
  gboolean have_threshold = FALSE, have_max = FALSE;
  gsize max_index = 0;
  gssize guess = 0;

  for (gsize i = 0; i < n; i++)
    if (max_rates[i] > max_rate)
      {
        max_rate = max_rates[i];
        max_index = i;
      }

  for (int it = 0; it < SEARCH_DOUBLINGS; it++)
    {
      linspace (-Jr, Jr, SEARCH_STEPS, J);
      spk_neuron_rates (type, J, &one, &zero, SEARCH_STEPS, 1, SETTLE_DT, rate);
      if (!have_threshold)
        for (gsize k = SEARCH_STEPS; k-- > 0;)
          if (rate[k] <= 0.0)
            {
              J_threshold = J[k];
              have_threshold = TRUE;
              break;
            }
      if (!have_max)
        for (gsize k = 0; k < SEARCH_STEPS; k++)
          if (rate[k] >= max_rate)
            {
              J_max = J[k];
              have_max = TRUE;
              break;
            }
      if (have_threshold && have_max)
        break;
      Jr *= 2.0;
    }

  if (!have_threshold)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   "%s: no current within ±%g leaves the neuron silent, so its "
                   "firing threshold cannot be found",
                   spk_neuron_kind_to_name (type->kind), Jr / 2.0);
      return FALSE;
    }
  if (!have_max)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   "neuron %" G_GSIZE_FORMAT ": max rate %g Hz is not reached by %s "
                   "at any current up to %g",
                   max_index, max_rate, spk_neuron_kind_to_name (type->kind), Jr / 2.0);
      return FALSE;
    }

  linspace (J_threshold, J_max, SEARCH_STEPS, J);
  spk_neuron_rates (type, J, &one, &zero, SEARCH_STEPS, 1, SETTLE_DT, rate);
  for (gsize i = 0; i < n; i++)
    {
      double J_top = interp (max_rates[i], rate, J, SEARCH_STEPS, &guess);

      gain[i] = (J_threshold - J_top) / (intercepts[i] - 1.0);
      bias[i] = J_top - gain[i];
    }
  return TRUE;
}

/* The checks every family shares, so that the message names the cause
 * rather than the non-positive gain it would lead to. */
static gboolean
check_neuron (gsize    i,
              double   max_rate,
              double   intercept,
              double   rate_limit,
              GError **error)
{
  if (!isfinite (max_rate))
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   "neuron %" G_GSIZE_FORMAT ": max rate %g Hz is not a finite number",
                   i, max_rate);
      return FALSE;
    }
  if (!isfinite (intercept))
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   "neuron %" G_GSIZE_FORMAT ": intercept %g is not a finite number",
                   i, intercept);
      return FALSE;
    }
  if (!(max_rate > 0.0))
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   "neuron %" G_GSIZE_FORMAT ": max rate %g Hz must be positive",
                   i, max_rate);
      return FALSE;
    }
  if (!(max_rate < rate_limit))
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   "neuron %" G_GSIZE_FORMAT ": max rate %g Hz is not below "
                   "1/tau_ref = %g Hz", i, max_rate, rate_limit);
      return FALSE;
    }
  if (!(intercept < 1.0))
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   "neuron %" G_GSIZE_FORMAT ": intercept %g gives a non-positive "
                   "gain; intercepts must be below 1", i, intercept);
      return FALSE;
    }
  return TRUE;
}

gboolean
spk_neuron_gain_bias (const SpkNeuronType *type,
                      const double        *max_rates,
                      const double        *intercepts,
                      gsize                n,
                      double              *gain,
                      double              *bias,
                      GError             **error)
{
  const SpkNeuronType *t;
  double rate_limit = INFINITY;

  g_return_val_if_fail (type != NULL, FALSE);
  g_return_val_if_fail (n == 0 || (max_rates != NULL && intercepts != NULL), FALSE);
  g_return_val_if_fail (n == 0 || (gain != NULL && bias != NULL), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!spk_neuron_type_validate (type, error))
    return FALSE;
  t = rate_type (type);

  switch (t->kind)
    {
    case SPK_NEURON_LIF:
    case SPK_NEURON_LIF_RATE:
    case SPK_NEURON_ADAPTIVE_LIF:
    case SPK_NEURON_ADAPTIVE_LIF_RATE:
    case SPK_NEURON_SIGMOID:
    case SPK_NEURON_TANH:
      /* With no refractory period a LIF neuron can fire arbitrarily fast. */
      rate_limit = t->tau_ref > 0.0 ? 1.0 / t->tau_ref : INFINITY;
      break;
    default:
      break;
    }

  for (gsize i = 0; i < n; i++)
    if (!check_neuron (i, max_rates[i], intercepts[i], rate_limit, error))
      return FALSE;

  switch (t->kind)
    {
    case SPK_NEURON_RECTIFIED_LINEAR:
    case SPK_NEURON_SPIKING_RECTIFIED_LINEAR:
      for (gsize i = 0; i < n; i++)
        {
          gain[i] = max_rates[i] / (1.0 - intercepts[i]);
          bias[i] = -intercepts[i] * gain[i];
        }
      break;

    case SPK_NEURON_LIF:
    case SPK_NEURON_LIF_RATE:
    case SPK_NEURON_ADAPTIVE_LIF:
    case SPK_NEURON_ADAPTIVE_LIF_RATE:
      for (gsize i = 0; i < n; i++)
        {
          double z = 1.0 / (1.0 - exp ((t->tau_ref - 1.0 / max_rates[i]) / t->tau_rc));

          gain[i] = (1.0 - z) / (intercepts[i] - 1.0);
          bias[i] = 1.0 - gain[i] * intercepts[i];
        }
      break;

    case SPK_NEURON_SIGMOID:
      for (gsize i = 0; i < n; i++)
        {
          double inverse = -log ((1.0 / t->tau_ref) / max_rates[i] - 1.0);

          gain[i] = inverse / (1.0 - intercepts[i]);
          bias[i] = inverse - gain[i];
        }
      break;

    case SPK_NEURON_TANH:
      for (gsize i = 0; i < n; i++)
        {
          double inverse = atanh (max_rates[i] * t->tau_ref);

          gain[i] = inverse / (1.0 - intercepts[i]);
          bias[i] = -gain[i] * intercepts[i];
        }
      break;

    case SPK_NEURON_IZHIKEVICH:
      if (!numeric_gain_bias (t, max_rates, intercepts, n, gain, bias, error))
        return FALSE;
      break;

    case SPK_NEURON_DIRECT:
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   "Direct has no neurons, so no gain or bias");
      return FALSE;

    case SPK_NEURON_REGULAR_SPIKING:
    case SPK_NEURON_POISSON_SPIKING:
    case SPK_NEURON_STOCHASTIC_SPIKING:
    case SPK_NEURON_N_KINDS:
    default:
      g_return_val_if_reached (FALSE);
    }

  /* What is left: combinations the per-input checks cannot see, such as
   * a Sigmoid max rate below half of 1/tau_ref (its inflection point). */
  for (gsize i = 0; i < n; i++)
    if (!(gain[i] > 0.0) || !isfinite (gain[i]) || !isfinite (bias[i]))
      {
        g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                     "neuron %" G_GSIZE_FORMAT ": max rate %g Hz and intercept %g "
                     "give gain %g and bias %g for %s; the gain must be positive "
                     "and finite", i, max_rates[i], intercepts[i], gain[i], bias[i],
                     spk_neuron_kind_to_name (t->kind));
        return FALSE;
      }
  return TRUE;
}

/* Nengo's NeuronType.max_rates_intercepts(): the rate at x = 1, and the
 * last x of a 101-point grid on [−1, 1] before the rate turns positive. */
static void
numeric_max_rates_intercepts (const SpkNeuronType *type,
                              const double        *gain,
                              const double        *bias,
                              gsize                n,
                              double              *max_rates,
                              double              *intercepts)
{
  g_autofree double *x = g_new (double, SEARCH_STEPS * n);
  g_autofree double *rates = g_new (double, SEARCH_STEPS * n);
  double grid[SEARCH_STEPS];
  g_autofree double *ones = g_new (double, n);

  for (gsize i = 0; i < n; i++)
    ones[i] = 1.0;
  spk_neuron_rates (type, ones, gain, bias, 1, n, SETTLE_DT, max_rates);

  linspace (-1.0, 1.0, SEARCH_STEPS, grid);
  for (gsize k = 0; k < SEARCH_STEPS; k++)
    for (gsize i = 0; i < n; i++)
      x[k * n + i] = grid[k];
  spk_neuron_rates (type, x, gain, bias, SEARCH_STEPS, n, SETTLE_DT, rates);

  for (gsize i = 0; i < n; i++)
    {
      /* argmax of an all-false column is 0, which Nengo then clips to 0. */
      gsize first = 0;

      for (gsize k = 0; k < SEARCH_STEPS; k++)
        if (rates[k * n + i] > 0.0)
          {
            first = k;
            break;
          }
      intercepts[i] = grid[first > 0 ? first - 1 : 0];
    }
}

void
spk_neuron_max_rates_intercepts (const SpkNeuronType *type,
                                 const double        *gain,
                                 const double        *bias,
                                 gsize                n,
                                 double              *max_rates,
                                 double              *intercepts)
{
  const SpkNeuronType *t;

  g_return_if_fail (type != NULL);
  g_return_if_fail (n == 0 || (gain != NULL && bias != NULL));
  g_return_if_fail (n == 0 || (max_rates != NULL && intercepts != NULL));

  t = rate_type (type);
  g_return_if_fail (t != NULL);

  switch (t->kind)
    {
    case SPK_NEURON_RECTIFIED_LINEAR:
    case SPK_NEURON_SPIKING_RECTIFIED_LINEAR:
      for (gsize i = 0; i < n; i++)
        {
          intercepts[i] = -bias[i] / gain[i];
          max_rates[i] = gain[i] * (1.0 - intercepts[i]);
        }
      break;

    case SPK_NEURON_LIF:
    case SPK_NEURON_LIF_RATE:
    case SPK_NEURON_ADAPTIVE_LIF:
    case SPK_NEURON_ADAPTIVE_LIF_RATE:
      for (gsize i = 0; i < n; i++)
        {
          intercepts[i] = (1.0 - bias[i]) / gain[i];
          max_rates[i] = 1.0 / (t->tau_ref - t->tau_rc
                                * log1p (1.0 / (gain[i] * (intercepts[i] - 1.0) - 1.0)));
        }
      break;

    case SPK_NEURON_SIGMOID:
      for (gsize i = 0; i < n; i++)
        {
          double inverse = gain[i] + bias[i];

          intercepts[i] = 1.0 - inverse / gain[i];
          max_rates[i] = (1.0 / t->tau_ref) / (1.0 + exp (-inverse));
        }
      break;

    case SPK_NEURON_TANH:
      for (gsize i = 0; i < n; i++)
        {
          intercepts[i] = -bias[i] / gain[i];
          max_rates[i] = (1.0 / t->tau_ref) * tanh (gain[i] + bias[i]);
        }
      break;

    case SPK_NEURON_IZHIKEVICH:
      numeric_max_rates_intercepts (t, gain, bias, n, max_rates, intercepts);
      break;

    case SPK_NEURON_DIRECT:
      for (gsize i = 0; i < n; i++)
        max_rates[i] = intercepts[i] = NAN;
      break;

    case SPK_NEURON_REGULAR_SPIKING:
    case SPK_NEURON_POISSON_SPIKING:
    case SPK_NEURON_STOCHASTIC_SPIKING:
    case SPK_NEURON_N_KINDS:
    default:
      g_return_if_reached ();
    }
}

/* One state variable of `t` (index `index`, named `name`): its
 * initial_state distribution when set, else Nengo 4's default, which is
 * U(0, 1) for every voltage (Izhikevich included) and 0 for the rest. */
static gboolean
init_one_state (const SpkNeuronType *t,
                guint                index,
                const char          *name,
                gsize                n,
                SpkRng              *rng,
                double              *out,
                GError             **error)
{
  const SpkDistribution *dist = t->initial_state[index];

  if (dist != NULL)
    {
      if (!spk_distribution_sample (dist, n, 1, rng, out, error))
        {
          g_prefix_error (error, "%s.initial_state[%s]: ",
                          spk_neuron_kind_to_name (t->kind), name);
          return FALSE;
        }
      return TRUE;
    }

  if (g_strcmp0 (name, "voltage") == 0)
    for (gsize i = 0; i < n; i++)
      out[i] = spk_rng_uniform (rng);
  else
    for (gsize i = 0; i < n; i++)
      out[i] = 0.0;
  return TRUE;
}

gboolean
spk_neuron_init_state (const SpkNeuronType *type,
                       gsize                n,
                       SpkRng              *rng,
                       double *const       *states,
                       GError             **error)
{
  const char *names[SPK_NEURON_MAX_STATES];
  guint n_own;

  g_return_val_if_fail (type != NULL, FALSE);
  g_return_val_if_fail (rng != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!spk_neuron_type_validate (type, error))
    return FALSE;

  n_own = spk_neuron_type_state_names (type, names);
  g_return_val_if_fail (n_own == 0 || states != NULL, FALSE);
  for (guint s = 0; s < n_own; s++)
    if (!init_one_state (type, s, names[s], n, rng, states[s], error))
      return FALSE;

  if (spk_neuron_kind_is_wrapper (type->kind))
    {
      guint n_base = spk_neuron_type_state_names (type->base, names);

      g_return_val_if_fail (n_base == 0 || states != NULL, FALSE);
      for (guint s = 0; s < n_base; s++)
        if (!init_one_state (type->base, s, names[s], n, rng, states[n_own + s], error))
          return FALSE;
    }
  return TRUE;
}
