/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ops-synapse.c — turning a continuous synapse into the discrete
 * state-space filter the simulator steps, and the step itself.
 *
 * Discretisation follows Nengo's LinearFilter: the transfer function
 * num/den goes to controller canonical form (scipy's tf2ss), then to a
 * zero-order-hold discrete system by the matrix exponential of
 * [[A, B], [0, 0]]·dt.  Nengo then steps strictly proper filters as
 *   x ← A·x + B·u;  y = C·x        (the output sees this step's input)
 * and filters with a direct term as
 *   y = C·x + D·u;  x ← A·x + B·u.
 * Both are written here in the second shape, by folding the first into
 * C' = C·A and D' = C·B, so one step routine serves every filter.  For a
 * unit step this gives y[k] = s((k + 1)·dt) for strictly proper filters
 * (NEF-FACTS §7), and y[k] = s(k·dt) when there is a direct term, as
 * Nengo's General step does.  The step itself is in
 * spk-ops-synapse-step.c, compiled with the hot kernels' flags.
 */
#define G_LOG_DOMAIN "spk-ops-synapse"

#include "spk-ops-synapse.h"

#include <lapacke.h>
#include <math.h>
#include <string.h>

#include "core/spk-error.h"

/* The augmented matrix is at most one larger than the filter's order. */
#define EXPM_MAX (SPK_FILTER_MAX_ORDER + 1)

static void
matmul (const double *a,
        const double *b,
        double       *out,
        guint         n)
{
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++)
      {
        double acc = 0.0;

        for (guint k = 0; k < n; k++)
          acc += a[i * n + k] * b[k * n + j];
        out[i * n + j] = acc;
      }
}

/* exp(M) for a small n × n matrix by the [6/6] Padé approximant with
 * scaling and squaring: M is halved until its ∞-norm is at most 1/2, where
 * the approximant's error is below 1e-16, and the result squared back. */
static gboolean
expm (const double *m,
      guint         n,
      double       *out)
{
  double x[EXPM_MAX * EXPM_MAX], power[EXPM_MAX * EXPM_MAX], tmp[EXPM_MAX * EXPM_MAX];
  double num[EXPM_MAX * EXPM_MAX], den[EXPM_MAX * EXPM_MAX];
  lapack_int ipiv[EXPM_MAX];
  double bal[EXPM_MAX * EXPM_MAX], dscale[EXPM_MAX];
  double norm = 0.0, coef = 1.0, scale;
  lapack_int ilo, ihi;
  int squarings = 0;
  const int q = 6;

  /* A companion matrix mixes entries of order 1 and 1/τᵏ; balancing it
   * (M = D·M'·D⁻¹, D diagonal powers of two, so exact) shrinks the norm and
   * with it the number of squarings, which is where accuracy is lost. */
  memcpy (bal, m, n * n * sizeof (double));
  if (LAPACKE_dgebal (LAPACK_ROW_MAJOR, 'S', n, bal, n, &ilo, &ihi, dscale) != 0)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      double row = 0.0;

      for (guint j = 0; j < n; j++)
        row += fabs (bal[i * n + j]);
      norm = MAX (norm, row);
    }
  /* A time constant near zero (1e-320 s) makes entries infinite: no
   * squaring count can bring that back, and the cast would overflow. */
  if (!isfinite (norm))
    return FALSE;
  if (norm > 0.5)
    squarings = (int) ceil (log2 (norm / 0.5));
  scale = ldexp (1.0, -squarings);
  for (guint i = 0; i < n * n; i++)
    x[i] = bal[i] * scale;

  memset (num, 0, sizeof num);
  memset (den, 0, sizeof den);
  memset (power, 0, sizeof power);
  for (guint i = 0; i < n; i++)
    num[i * n + i] = den[i * n + i] = power[i * n + i] = 1.0;

  for (int j = 1; j <= q; j++)
    {
      coef *= (double) (q - j + 1) / (double) (j * (2 * q - j + 1));
      matmul (power, x, tmp, n);
      memcpy (power, tmp, n * n * sizeof (double));
      for (guint i = 0; i < n * n; i++)
        {
          num[i] += coef * power[i];
          den[i] += (j % 2 ? -coef : coef) * power[i];
        }
    }

  /* exp(X) ≈ den⁻¹·num: solve den·E = num. */
  if (LAPACKE_dgesv (LAPACK_ROW_MAJOR, n, n, den, n, ipiv, num, n) != 0)
    return FALSE;

  for (int s = 0; s < squarings; s++)
    {
      matmul (num, num, tmp, n);
      memcpy (num, tmp, n * n * sizeof (double));
    }
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++)
      out[i * n + j] = dscale[i] * num[i * n + j] / dscale[j];
  return TRUE;
}

/* The controller canonical form of a higher-order filter has states of
 * wildly different sizes (successive derivatives), so C·x sums large terms
 * that cancel and loses precision.  Balancing the whole system matrix
 * [[A, B], [C, D]] by a diagonal similarity with powers of two (LAPACK's
 * dgebal) evens out the state magnitudes without rounding anything, and
 * leaves the input-output behaviour exactly unchanged: a diagonal T gives
 * C·T·(T⁻¹·A·T)ⁿ·T⁻¹·B = C·Aⁿ·B, and the input/output entry only rescales
 * B by t_k and C by 1/t_k. */
static void
balance (SpkDiscreteFilter *f)
{
  const guint k = f->order, n = k + 1;
  double m[EXPM_MAX * EXPM_MAX], scale[EXPM_MAX];
  lapack_int ilo, ihi;

  for (guint i = 0; i < k; i++)
    {
      for (guint j = 0; j < k; j++)
        m[i * n + j] = f->A[i * k + j];
      m[i * n + k] = f->B[i];
      m[k * n + i] = f->C[i];
    }
  m[k * n + k] = f->D;
  if (LAPACKE_dgebal (LAPACK_ROW_MAJOR, 'S', n, m, n, &ilo, &ihi, scale) != 0)
    return;
  for (guint i = 0; i < k; i++)
    {
      for (guint j = 0; j < k; j++)
        f->A[i * k + j] = m[i * n + j];
      f->B[i] = m[i * n + k];
      f->C[i] = m[k * n + i];
    }
}

/* The transfer function of a synapse, highest power first.  A zero time
 * constant is a pass-through, as Nengo strips the leading zero of den. */
static void
synapse_tf (const SpkSynapse *synapse,
            double           *num,
            guint            *n_num,
            double           *den,
            guint            *n_den)
{
  double tau = synapse->tau;

  switch (synapse->kind)
    {
    case SPK_SYNAPSE_LOWPASS:
    case SPK_SYNAPSE_ALPHA:
      num[0] = 1.0;
      *n_num = 1;
      if (tau == 0.0)
        {
          den[0] = 1.0;
          *n_den = 1;
        }
      else if (synapse->kind == SPK_SYNAPSE_LOWPASS)
        {
          den[0] = tau;
          den[1] = 1.0;
          *n_den = 2;
        }
      else
        {
          den[0] = tau * tau;
          den[1] = 2.0 * tau;
          den[2] = 1.0;
          *n_den = 3;
        }
      break;

    case SPK_SYNAPSE_TRIANGLE:
    case SPK_SYNAPSE_N_KINDS:
      g_assert_not_reached ();
    case SPK_SYNAPSE_LINEAR_FILTER:
      memcpy (num, synapse->num->data, synapse->num->size * sizeof (double));
      memcpy (den, synapse->den->data, synapse->den->size * sizeof (double));
      *n_num = synapse->num->size;
      *n_den = synapse->den->size;
      break;

    default:
      g_assert_not_reached ();
    }
}

/**
 * spk_synapse_discretize:
 * @synapse: a valid synapse (not NULL: "no synapse" has no filter)
 * @dt: the time step, > 0
 * @out: (out caller-allocates): the discrete filter
 * @error: a #GError
 *
 * Returns: %FALSE with @error set when the synapse is invalid, its order
 * exceeds %SPK_FILTER_MAX_ORDER or the discretisation fails.
 */
gboolean
spk_synapse_discretize (const SpkSynapse   *synapse,
                        double              dt,
                        SpkDiscreteFilter  *out,
                        GError            **error)
{
  double num[SPK_FILTER_MAX_ORDER + 1] = { 0 }, den[SPK_FILTER_MAX_ORDER + 1] = { 0 };
  double padded[SPK_FILTER_MAX_ORDER + 1] = { 0 };
  double A[SPK_FILTER_MAX_ORDER * SPK_FILTER_MAX_ORDER] = { 0 };
  double C[SPK_FILTER_MAX_ORDER] = { 0 };
  double aug[EXPM_MAX * EXPM_MAX] = { 0 }, e[EXPM_MAX * EXPM_MAX];
  guint n_num = 0, n_den = 0, k, na;
  double D;

  g_return_val_if_fail (synapse != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!spk_synapse_validate (synapse, error))
    return FALSE;
  if (!(dt > 0.0) || !isfinite (dt))
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   "%s synapse: dt must be a positive number (got %g)",
                   spk_synapse_kind_to_name (synapse->kind), dt);
      return FALSE;
    }
  if (synapse->kind == SPK_SYNAPSE_LINEAR_FILTER
      && synapse->den->size > SPK_FILTER_MAX_ORDER + 1)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   "LinearFilter order %zu is too high (at most %d is supported)",
                   synapse->den->size - 1, SPK_FILTER_MAX_ORDER);
      return FALSE;
    }

  if (synapse->kind == SPK_SYNAPSE_TRIANGLE)
    {
      /* Nengo's taps (n, n − 1, …, 1)/Σ: only the first and last are used
       * by its running sum.  np.round rounds halves to even, as nearbyint. */
      double taps = nearbyint (synapse->tau / dt) + 1.0, sum;

      if (!(taps <= 1e6))
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                       "Triangle synapse of t = %g s has %.0f taps at dt = %g (at most 1000000)",
                       synapse->tau, taps, dt);
          return FALSE;
        }
      memset (out, 0, sizeof *out);
      out->n_taps = (guint) taps;
      sum = taps * (taps + 1.0) / 2.0;
      out->n0 = taps / sum;
      out->ndiff = 1.0 / sum;
      return TRUE;
    }
  synapse_tf (synapse, num, &n_num, den, &n_den);
  k = n_den - 1;

  /* tf2ss: normalise by den[0], pad num to the length of den, split off
   * the direct term, and write the companion matrix. */
  for (guint i = 0; i < n_num; i++)
    padded[n_den - n_num + i] = num[i] / den[0];
  for (guint i = 1; i < n_den; i++)
    den[i] /= den[0];
  den[0] = 1.0;
  D = padded[0];
  for (guint i = 0; i < k; i++)
    {
      A[i] = -den[i + 1];
      C[i] = padded[i + 1] - D * den[i + 1];
      if (i > 0)
        A[i * k + i - 1] = 1.0;
    }

  memset (out, 0, sizeof *out);
  out->order = k;
  out->D = D;
  if (k == 0)
    return TRUE;

  if (synapse->kind == SPK_SYNAPSE_LINEAR_FILTER && !synapse->analog)
    {
      /* Already discrete (Nengo's analog=False): tf2ss as it is, B the
       * first unit vector. */
      memcpy (out->A, A, k * k * sizeof (double));
      out->B[0] = 1.0;
    }
  else
    {
      /* Zero-order hold: exp([[A, B], [0, 0]]·dt) = [[Ad, Bd], [0, 1]],
       * with B the first unit vector. */
      na = k + 1;
      for (guint i = 0; i < k; i++)
        for (guint j = 0; j < k; j++)
          aug[i * na + j] = A[i * k + j] * dt;
      aug[0 * na + k] = dt;
      if (!expm (aug, na, e))
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                       "%s synapse could not be discretised at dt = %g",
                       spk_synapse_kind_to_name (synapse->kind), dt);
          return FALSE;
        }
      for (guint i = 0; i < k; i++)
        {
          for (guint j = 0; j < k; j++)
            out->A[i * k + j] = e[i * na + j];
          out->B[i] = e[i * na + k];
        }
    }

  if (D != 0.0)
    {
      memcpy (out->C, C, k * sizeof (double));
      balance (out);
      return TRUE;
    }

  /* Strictly proper: fold "x ← A·x + B·u; y = C·x" into the common shape. */
  for (guint j = 0; j < k; j++)
    {
      double acc = 0.0;

      for (guint i = 0; i < k; i++)
        acc += C[i] * out->A[i * k + j];
      out->C[j] = acc;
    }
  for (guint i = 0; i < k; i++)
    out->D += C[i] * out->B[i];

  /* For a first-order filter, rescale the state to hold the last output
   * (x̃ = C·x), so Lowpass reads y = a·y_prev + (1 − a)·u in float32 too. */
  if (k == 1 && C[0] != 0.0)
    {
      out->B[0] *= C[0];
      out->C[0] /= C[0];
      return TRUE;
    }
  balance (out);
  return TRUE;
}

guint
spk_filter_n_states (const SpkDiscreteFilter *filter)
{
  return filter->n_taps > 0 ? 3 : filter->order;
}

guint
spk_filter_state_width (const SpkDiscreteFilter *filter,
                        guint                    state)
{
  return filter->n_taps > 0 && state == 1 ? filter->n_taps : 1;
}
