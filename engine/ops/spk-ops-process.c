/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ops-process.c — the running side of Node processes.
 *
 * Everything expensive happens in spk_process_state_new(): WhiteSignal's
 * whole period is synthesised into a table there (Nengo's frequency-domain
 * construction, inverted by a direct real DFT over the few non-zero
 * frequencies), Piecewise's keys are put in time order, and WhiteNoise's
 * distribution is tried once so a bad one fails at build time.  A step
 * then only reads a table row or draws from the stream: no allocation for
 * the table-driven kinds and for Uniform or Gaussian noise.
 *
 * One state belongs to one simulator thread; nothing here is shared.
 */
#define G_LOG_DOMAIN "spk-ops-process"

#include "spk-ops-process.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <lapacke.h>

#include "core/spk-error.h"
#include "core/spk-rng.h"
#include "ops/spk-ops-synapse.h"

struct _SpkProcessState
{
  SpkProcess *process;
  guint       size_out;
  double      dt;
  guint64     seed;
  SpkRng      rng;

  /* WhiteSignal: length × size_out samples, row i is step i (mod length).
   * PresentInput: the items, one row each.  Piecewise: the values in time
   * order, beside the sorted times. */
  double     *table;
  gsize       length;
  double     *times;
  double      noise_gain;

  /* Piecewise with a spline: the knots (n_knots) and, per dimension, the
   * B-spline coefficients (length × size_out, row j coefficient j). */
  double     *knots;
  gsize       n_knots;
  guint       degree;

  /* FilteredNoise, BrownNoise: the filter, its states and a sample. */
  SpkDiscreteFilter filter;
  double     *filter_states[SPK_FILTER_MAX_ORDER];
  double     *sample;
};

void
spk_process_state_free (SpkProcessState *self)
{
  if (self == NULL)
    return;
  spk_process_unref (self->process);
  g_free (self->table);
  g_free (self->times);
  g_free (self->knots);
  for (guint s = 0; s < G_N_ELEMENTS (self->filter_states); s++)
    g_free (self->filter_states[s]);
  g_free (self->sample);
  g_free (self);
}

/* Nengo's WhiteSignal.make_step: per dimension, complex Gaussian
 * coefficients of variance rms² for the frequencies k/(L·dt), k = 0 … N
 * (L = 2N samples), the DC and above-`high` ones zeroed, the Nyquist one
 * made real, the survivors scaled up so that the power lost by zeroing is
 * restored, then the inverse real DFT (numpy's irfft normalisation).
 * Each dimension draws from the stream in turn, so dimensions are
 * independent and a dimension's signal does not depend on size_out. */
static gboolean
white_signal_table (SpkProcessState  *self,
                    GError          **error)
{
  const SpkProcess *p = self->process;
  const double dt = self->dt;
  const gsize n_coef = (gsize) ceil (p->period / dt / 2.0);
  const gsize length = 2 * n_coef;
  const double sigma = p->rms * sqrt (0.5);
  g_autofree double *re = NULL, *im = NULL, *cos_tab = NULL, *sin_tab = NULL;
  gsize n_zeroed = 0, k_max = 0;
  double gain;

  if (p->high > 0.5 / dt)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   "WhiteSignal high (%g Hz) must not exceed the Nyquist frequency "
                   "for dt = %g (%g Hz)", p->high, dt, 0.5 / dt);
      return FALSE;
    }

  self->length = length;
  self->table = g_try_new0 (double, length * self->size_out);
  re = g_try_new (double, n_coef + 1);
  im = g_try_new (double, n_coef + 1);
  cos_tab = g_try_new (double, length);
  sin_tab = g_try_new (double, length);
  if (self->table == NULL || re == NULL || im == NULL || cos_tab == NULL || sin_tab == NULL)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_NO_MEMORY,
                   "WhiteSignal: not enough memory for %zu samples of %u dimensions "
                   "(period %g s)", length, self->size_out, p->period);
      return FALSE;
    }

  for (gsize k = 0; k <= n_coef; k++)
    {
      if ((double) k / ((double) length * dt) > p->high)
        n_zeroed++;
      else
        k_max = k;
    }
  gain = sqrt (2.0 * (double) n_coef);
  if (n_zeroed < n_coef)
    gain /= sqrt (1.0 - (double) n_zeroed / (double) n_coef);

  /* cos and sin of 2π·j/L, indexed by k·t mod L: exact arguments, and no
   * trigonometry in the O(L·k_max) sum. */
  for (gsize j = 0; j < length; j++)
    {
      cos_tab[j] = cos (2.0 * G_PI * (double) j / (double) length);
      sin_tab[j] = sin (2.0 * G_PI * (double) j / (double) length);
    }

  for (guint dim = 0; dim < self->size_out; dim++)
    {
      for (gsize k = 0; k <= n_coef; k++)
        im[k] = sigma * spk_rng_normal (&self->rng);
      for (gsize k = 0; k <= n_coef; k++)
        re[k] = sigma * spk_rng_normal (&self->rng);
      re[0] = im[0] = 0.0;
      im[n_coef] = 0.0;
      for (gsize k = k_max + 1; k <= n_coef; k++)
        re[k] = im[k] = 0.0;

      for (gsize t = 0; t < length; t++)
        {
          double acc = 0.0;
          gsize idx = 0;

          for (gsize k = 1; k <= k_max && k < n_coef; k++)
            {
              idx += t;
              if (idx >= length)
                idx %= length;
              acc += 2.0 * (re[k] * cos_tab[idx] - im[k] * sin_tab[idx]);
            }
          if (k_max == n_coef)
            acc += (t % 2 ? -1.0 : 1.0) * re[n_coef];
          self->table[t * self->size_out + dim] = gain * acc / (double) length;
        }

      /* Nengo's y0: roll the dimension so that step 1 (t = dt) shows the
       * sample closest to y0. */
      if (!isnan (p->y0))
        {
          g_autofree double *column = g_new (double, length);
          gsize best = 0;

          for (gsize t = 0; t < length; t++)
            {
              column[t] = self->table[t * self->size_out + dim];
              if (fabs (p->y0 - column[t]) < fabs (p->y0 - column[best]))
                best = t;
            }
          for (gsize t = 0; t < length; t++)
            self->table[t * self->size_out + dim] = column[(t + best + length - 1) % length];
        }
    }
  return TRUE;
}

static int
compare_index_by_time (const void *a,
                       const void *b,
                       void       *user_data)
{
  const double *times = user_data;
  double ta = times[*(const gsize *) a], tb = times[*(const gsize *) b];

  return (ta > tb) - (ta < tb);
}

static void
piecewise_table (SpkProcessState *self)
{
  const SpkProcess *p = self->process;
  const gsize n = p->times->size, d = self->size_out;
  g_autofree gsize *order = g_new (gsize, n);

  for (gsize i = 0; i < n; i++)
    order[i] = i;
  g_qsort_with_data (order, n, sizeof (gsize), compare_index_by_time, p->times->data);

  self->length = n;
  self->times = g_new (double, n);
  self->table = g_new (double, n * d);
  for (gsize i = 0; i < n; i++)
    {
      self->times[i] = p->times->data[order[i]];
      memcpy (self->table + i * d, p->values->data + order[i] * d, d * sizeof (double));
    }
}

/* The interval l of the knots with t[l] ≤ x < t[l + 1], among the
 * degree … n_coef − 1 ones (outside, the nearest: the spline extends its
 * end pieces, as scipy's BSpline does). */
static gsize
find_interval (const double *t,
               gsize         n_coef,
               guint         k,
               double        x)
{
  gsize l = k;

  while (l + 1 < n_coef && x >= t[l + 1])
    l++;
  return l;
}

/* The k + 1 B-splines of degree k that are non-zero on interval l, at x
 * (Cox–de Boor, as scipy's _deBoor_D): b[j] is B_{l−k+j}(x). */
static void
bspline_basis (const double *t,
               guint         k,
               gsize         l,
               double        x,
               double       *b)
{
  double h[8];

  b[0] = 1.0;
  for (guint j = 1; j <= k; j++)
    {
      memcpy (h, b, j * sizeof (double));
      b[0] = 0.0;
      for (guint n = 1; n <= j; n++)
        {
          double xb = t[l + n], xa = t[l + n - j];
          double w = xb == xa ? 0.0 : h[n - 1] / (xb - xa);

          b[n - 1] += w * (xb - x);
          b[n] = w * (x - xa);
        }
    }
}

/* scipy's interp1d for 'slinear', 'quadratic' and 'cubic': the
 * interpolating B-spline of degree k on make_interp_spline's knots (k = 1:
 * the points; k = 2: the midpoints but the first and last; k = 3:
 * not-a-knot), its coefficients from the collocation system. */
static gboolean
piecewise_spline (SpkProcessState  *self,
                  guint             k,
                  GError          **error)
{
  const gsize n = self->length, d = self->size_out;
  const double *x = self->times;
  g_autofree double *A = g_new0 (double, n * n);
  g_autofree lapack_int *ipiv = g_new (lapack_int, n);
  gsize m = 0;

  self->degree = k;
  self->n_knots = n + k + 1;
  self->knots = g_new (double, self->n_knots);
  for (guint i = 0; i <= k; i++)
    {
      self->knots[m + i] = x[0];
      self->knots[self->n_knots - 1 - i] = x[n - 1];
    }
  m = k + 1;
  if (k == 1)
    for (gsize i = 1; i + 1 < n; i++)
      self->knots[m++] = x[i];
  else if (k == 2)
    for (gsize i = 1; i + 2 < n; i++)
      self->knots[m++] = (x[i] + x[i + 1]) / 2.0;
  else
    for (gsize i = 2; i + 2 < n; i++)
      self->knots[m++] = x[i];
  g_assert (m + k + 1 == self->n_knots);

  for (gsize i = 0; i < n; i++)
    {
      gsize l = find_interval (self->knots, n, k, x[i]);
      double b[4];

      bspline_basis (self->knots, k, l, x[i], b);
      for (guint j = 0; j <= k; j++)
        A[i * n + (l - k + j)] = b[j];
    }
  /* The coefficients, in place of the values (n × d). */
  if (LAPACKE_dgesv (LAPACK_ROW_MAJOR, (lapack_int) n, (lapack_int) d, A, (lapack_int) n, ipiv,
                     self->table, (lapack_int) d) != 0)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   "Piecewise: the '%s' spline through these times cannot be solved",
                   spk_interpolation_to_name (self->process->interpolation));
      return FALSE;
    }
  return TRUE;
}

/* FilteredNoise's filter (BrownNoise: Nengo's integrator
 * LinearFilter([1], [1, 0]), whose Euler and zero-order-hold steps are
 * the same) and its zeroed states. */
static gboolean
noise_filter (SpkProcessState  *self,
              GError          **error)
{
  const SpkProcess *p = self->process;
  g_autoptr (SpkSynapse) integrator = NULL;
  const SpkSynapse *synapse = p->synapse;

  if (p->kind == SPK_PROCESS_BROWN_NOISE)
    {
      const double num[] = { 1.0 }, den[] = { 1.0, 0.0 };
      g_autoptr (SpkArray) n = spk_array_new_vector (num, 1);
      g_autoptr (SpkArray) dd = spk_array_new_vector (den, 2);

      integrator = spk_synapse_new_linear_filter (n, dd);
      synapse = integrator;
    }
  if (!spk_synapse_discretize (synapse, self->dt, &self->filter, error))
    {
      g_prefix_error (error, "%s synapse: ", spk_process_kind_to_name (p->kind));
      return FALSE;
    }
  for (guint s = 0; s < spk_filter_n_states (&self->filter); s++)
    {
      gsize width = (gsize) spk_filter_state_width (&self->filter, s) * self->size_out;

      self->filter_states[s] = g_try_new0 (double, MAX (width, 1));
      if (self->filter_states[s] == NULL)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_NO_MEMORY,
                       "%s: not enough memory for the synapse's state", spk_process_kind_to_name (p->kind));
          return FALSE;
        }
    }
  self->sample = g_new (double, self->size_out);
  self->noise_gain = p->scale ? 1.0 / sqrt (self->dt) : 1.0;
  return TRUE;
}

/**
 * spk_process_state_new:
 * @process: a process
 * @size_out: the Node's output size
 * @dt: the time step
 * @seed: the seed of this process's random stream (the builder resolves
 *   the process's own seed or derives one from the Node's)
 * @error: a #GError
 *
 * Returns: (transfer full) (nullable): the state, or %NULL with @error set
 * when the process is invalid for this size and dt.
 */
SpkProcessState *
spk_process_state_new (const SpkProcess  *process,
                       guint              size_out,
                       double             dt,
                       guint64            seed,
                       GError           **error)
{
  g_autoptr (SpkProcessState) self = NULL;

  g_return_val_if_fail (process != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!spk_process_validate (process, size_out, error))
    return NULL;
  if (!(dt > 0.0) || !isfinite (dt))
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   "%s: dt must be a positive number (got %g)",
                   spk_process_kind_to_name (process->kind), dt);
      return NULL;
    }

  self = g_new0 (SpkProcessState, 1);
  self->process = spk_process_ref ((SpkProcess *) process);
  self->size_out = size_out;
  self->dt = dt;
  self->seed = seed;
  spk_rng_init (&self->rng, seed);

  switch (process->kind)
    {
    case SPK_PROCESS_WHITE_SIGNAL:
      if (!white_signal_table (self, error))
        return NULL;
      break;

    case SPK_PROCESS_WHITE_NOISE:
      {
        g_autofree double *trial = g_new (double, size_out);
        SpkRng scratch = self->rng;

        /* Nengo scales by 1/sqrt(dt) so that integrated noise does not
         * depend on dt. */
        self->noise_gain = process->scale ? 1.0 / sqrt (dt) : 1.0;
        if (!spk_distribution_sample (process->dist, 1, size_out, &scratch, trial, error))
          {
            g_prefix_error (error, "WhiteNoise dist: ");
            return NULL;
          }
      }
      break;

    case SPK_PROCESS_PRESENT_INPUT:
      self->length = process->inputs->size / size_out;
      self->table = g_memdup2 (process->inputs->data, process->inputs->size * sizeof (double));
      break;

    case SPK_PROCESS_PIECEWISE:
      piecewise_table (self);
      if (process->interpolation == SPK_INTERPOLATION_SLINEAR
          || process->interpolation == SPK_INTERPOLATION_QUADRATIC
          || process->interpolation == SPK_INTERPOLATION_CUBIC)
        {
          guint k = process->interpolation == SPK_INTERPOLATION_SLINEAR ? 1
                    : process->interpolation == SPK_INTERPOLATION_QUADRATIC ? 2 : 3;

          if (!piecewise_spline (self, k, error))
            return NULL;
        }
      break;

    case SPK_PROCESS_FILTERED_NOISE:
    case SPK_PROCESS_BROWN_NOISE:
      {
        g_autofree double *trial = g_new (double, size_out);
        SpkRng scratch = self->rng;

        if (!spk_distribution_sample (process->dist, 1, size_out, &scratch, trial, error))
          {
            g_prefix_error (error, "%s dist: ", spk_process_kind_to_name (process->kind));
            return NULL;
          }
        if (!noise_filter (self, error))
          return NULL;
      }
      break;

    case SPK_PROCESS_N_KINDS:
    default:
      g_assert_not_reached ();
    }

  return g_steal_pointer (&self);
}

void
spk_process_state_reset (SpkProcessState *self)
{
  g_return_if_fail (self != NULL);
  spk_rng_init (&self->rng, self->seed);
  for (guint s = 0; s < spk_filter_n_states (&self->filter); s++)
    if (self->filter_states[s] != NULL)
      memset (self->filter_states[s], 0,
              (gsize) spk_filter_state_width (&self->filter, s) * self->size_out * sizeof (double));
}

/* A run going on in a rebuilt plan: the random stream and the noise
 * filter's state move over when both states run the same kind of process
 * over as many values (tables depend only on the step and the seed). */
gboolean
spk_process_state_carry (SpkProcessState       *self,
                         const SpkProcessState *from)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (from != NULL, FALSE);

  if (self->process->kind != from->process->kind || self->size_out != from->size_out
      || self->seed != from->seed
      || spk_filter_n_states (&self->filter) != spk_filter_n_states (&from->filter))
    return FALSE;
  for (guint s = 0; s < spk_filter_n_states (&self->filter); s++)
    if (spk_filter_state_width (&self->filter, s) != spk_filter_state_width (&from->filter, s))
      return FALSE;
  self->rng = from->rng;
  for (guint s = 0; s < spk_filter_n_states (&self->filter); s++)
    memcpy (self->filter_states[s], from->filter_states[s],
            (gsize) spk_filter_state_width (&self->filter, s) * self->size_out * sizeof (double));
  return TRUE;
}

/* Piecewise between its keys, at t: zero outside [first, last], as
 * Nengo's interp1d(…, bounds_error=False, fill_value=0). */
static void
piecewise_interpolate (SpkProcessState *self,
                       double           t,
                       double          *out)
{
  const gsize n = self->length, d = self->size_out;
  const double *x = self->times;

  if (t < x[0] || t > x[n - 1])
    {
      memset (out, 0, d * sizeof (double));
      return;
    }
  switch (self->process->interpolation)
    {
    case SPK_INTERPOLATION_LINEAR:
      {
        /* interp1d's _call_linear: the first key ≥ t, clipped to 1 … n − 1. */
        gsize hi = 0;

        while (hi < n && x[hi] < t)
          hi++;
        hi = CLAMP (hi, 1, n - 1);
        for (gsize j = 0; j < d; j++)
          {
            double y_lo = self->table[(hi - 1) * d + j], y_hi = self->table[hi * d + j];
            double slope = (y_hi - y_lo) / (x[hi] - x[hi - 1]);

            out[j] = slope * (t - x[hi - 1]) + y_lo;
          }
      }
      break;

    case SPK_INTERPOLATION_NEAREST:
      {
        /* interp1d's _call_nearest: bounds halfway between keys (computed
         * as x/2 + x/2), the first bound ≥ t. */
        gsize i = 0;

        while (i + 1 < n && x[i] / 2.0 + x[i + 1] / 2.0 < t)
          i++;
        memcpy (out, self->table + i * d, d * sizeof (double));
      }
      break;

    case SPK_INTERPOLATION_SLINEAR:
    case SPK_INTERPOLATION_QUADRATIC:
    case SPK_INTERPOLATION_CUBIC:
      {
        const guint k = self->degree;
        gsize l = find_interval (self->knots, n, k, t);
        double b[4];

        bspline_basis (self->knots, k, l, t, b);
        for (gsize j = 0; j < d; j++)
          {
            double acc = 0.0;

            for (guint i = 0; i <= k; i++)
              acc += self->table[(l - k + i) * d + j] * b[i];
            out[j] = acc;
          }
      }
      break;

    case SPK_INTERPOLATION_ZERO:
    case SPK_INTERPOLATION_N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

void
spk_process_state_eval (SpkProcessState *self,
                        guint64          step,
                        double          *out)
{
  const gsize d = self->size_out;
  const double t = (double) step * self->dt;

  switch (self->process->kind)
    {
    case SPK_PROCESS_WHITE_SIGNAL:
      memcpy (out, self->table + (step % self->length) * d, d * sizeof (double));
      break;

    case SPK_PROCESS_WHITE_NOISE:
      /* Validated at creation, with the same parameters and sizes. */
      if (!spk_distribution_sample (self->process->dist, 1, d, &self->rng, out, NULL))
        g_assert_not_reached ();
      for (gsize i = 0; i < d; i++)
        out[i] *= self->noise_gain;
      break;

    case SPK_PROCESS_PRESENT_INPUT:
      {
        /* The 1e-7 keeps t = k·presentation_time on the new item despite
         * rounding in (t − dt)/presentation_time. */
        double pos = (t - self->dt) / self->process->presentation_time + 1e-7;
        guint64 item = pos > 0.0 ? (guint64) pos : 0;

        memcpy (out, self->table + (item % self->length) * d, d * sizeof (double));
      }
      break;

    case SPK_PROCESS_FILTERED_NOISE:
    case SPK_PROCESS_BROWN_NOISE:
      /* Nengo's step_filterednoise: a white noise sample, scaled, filtered. */
      if (!spk_distribution_sample (self->process->dist, 1, d, &self->rng, self->sample, NULL))
        g_assert_not_reached ();
      for (gsize i = 0; i < d; i++)
        self->sample[i] *= self->noise_gain;
      spk_filter_step_f64 (&self->filter, self->sample, out, self->filter_states, d);
      break;

    case SPK_PROCESS_PIECEWISE:
      if (self->process->interpolation != SPK_INTERPOLATION_ZERO)
        {
          piecewise_interpolate (self, t, out);
          break;
        }
      {
        /* The last key strictly before t + dt/2, so a key that falls on a
         * step is shown from that step on despite rounding. */
        double limit = t + 0.5 * self->dt;
        gsize lo = 0, hi = self->length;

        while (lo < hi)
          {
            gsize mid = (lo + hi) / 2;

            if (self->times[mid] < limit)
              lo = mid + 1;
            else
              hi = mid;
          }
        if (lo == 0)
          memset (out, 0, d * sizeof (double));
        else
          memcpy (out, self->table + (lo - 1) * d, d * sizeof (double));
      }
      break;

    case SPK_PROCESS_N_KINDS:
    default:
      g_assert_not_reached ();
    }
}
