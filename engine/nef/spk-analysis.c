/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-analysis.c — tuning curves, decoded functions against their targets,
 * their errors, and recordings through a synapse, from a built plan (see
 * spk-analysis.h).  Everything reuses what the simulator runs: the neuron
 * types' rate functions, the plan's built weights, the synapses'
 * discretisation and step. */
#define G_LOG_DOMAIN "spk-analysis"

#include "nef/spk-analysis.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "builder/spk-plan-private.h"
#include "core/spk-error.h"
#include "core/spk-slice.h"
#include "expr/spk-expr.h"
#include "ops/spk-ops-neurons.h"

gboolean
spk_analysis_tuning_curves (const SpkPlan  *plan,
                            const char     *ensemble,
                            const double   *x,
                            gsize           n_points,
                            double         *rates,
                            GError        **error)
{
  const SpkPlanEnsemble *ens = _spk_plan_find_ensemble (plan, ensemble);
  g_autofree double *proj = NULL;

  if (ens == NULL)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("there is no ensemble '%s' in this model"), ensemble);
      return FALSE;
    }
  proj = g_new (double, n_points * ens->n);
  for (gsize i = 0; i < n_points; i++)
    for (guint j = 0; j < ens->n; j++)
      {
        double dot = 0.0;

        for (guint c = 0; c < ens->d; c++)
          dot += x[i * ens->d + c] * ens->encoders[(gsize) j * ens->d + c];
        proj[i * ens->n + j] = dot / ens->radius;
      }
  spk_neuron_rates (ens->neuron_type, proj, ens->gain, ens->bias, n_points, ens->n, plan->dt, rates);
  return TRUE;
}

void
spk_analysis_sweep (double  radius,
                    guint   n_points,
                    guint   d,
                    double *sweep,
                    double *x)
{
  if (x)
    memset (x, 0, (gsize) n_points * d * sizeof (double));
  for (guint p = 0; p < n_points; p++)
    {
      sweep[p] = -radius + 2 * radius * p / (n_points - 1);
      if (x)
        x[(gsize) p * d] = sweep[p];
    }
}

void
spk_tuning_curves_free (SpkTuningCurves *self)
{
  if (self == NULL)
    return;
  g_free (self->x);
  g_free (self->rates);
  g_free (self);
}

SpkTuningCurves *
spk_analysis_tuning (const SpkPlan  *plan,
                     const char     *ensemble,
                     guint           n_points,
                     GError        **error)
{
  const SpkPlanEnsemble *ens = _spk_plan_find_ensemble (plan, ensemble);
  g_autoptr (SpkTuningCurves) self = NULL;
  g_autofree double *x = NULL;

  g_return_val_if_fail (n_points >= 2, NULL);

  if (ens == NULL)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("there is no ensemble '%s' in this model"), ensemble);
      return NULL;
    }
  self = g_new0 (SpkTuningCurves, 1);
  self->n_points = n_points;
  self->n_neurons = ens->n;
  self->x = g_new (double, n_points);
  self->rates = g_new (double, (gsize) n_points * ens->n);
  x = g_new (double, (gsize) n_points * ens->d);
  spk_analysis_sweep (ens->radius, n_points, ens->d, self->x, x);
  if (!spk_analysis_tuning_curves (plan, ensemble, x, n_points, self->rates, error))
    return NULL;
  return g_steal_pointer (&self);
}

gboolean
spk_analysis_connection_target (SpkConnection *connection,
                                const double  *xs,
                                guint          n_points,
                                guint          n_pre,
                                guint          n_out,
                                double        *target)
{
  const SpkDistribution *transform = spk_connection_get_transform (connection);
  const char *source = spk_connection_get_function (connection);
  g_autoptr (SpkExpr) function = NULL;
  g_autofree double *fx = NULL;
  guint n_mid = n_pre;
  SpkArray *t;

  /* A function given as points has targets only at its own points. */
  if (transform == NULL || transform->kind != SPK_DIST_ARRAY || spk_connection_get_post_neurons (connection)
      || spk_connection_get_function_points (connection) != NULL)
    return FALSE;
  if (source != NULL)
    {
      if ((function = spk_expr_compile (source, n_pre, NULL)) == NULL)
        return FALSE;
      n_mid = spk_expr_get_size_out (function);
      fx = g_new (double, (gsize) n_points * n_mid);
      spk_expr_eval (function, NULL, 0.0, xs, n_points, fx);
    }
  else
    fx = g_memdup2 (xs, (gsize) n_points * n_pre * sizeof (double));

  /* A scalar or a vector is a diagonal; a matrix is n_out × n_mid.  The
   * builder checked the shapes: a mismatch here means a stale plan. */
  t = transform->array;
  if ((t->ndim == 0 && n_mid != n_out) || (t->ndim == 1 && (t->size != n_out || n_mid != n_out))
      || (t->ndim == 2 && (t->shape[0] != n_out || t->shape[1] != n_mid)))
    return FALSE;
  for (guint p = 0; p < n_points; p++)
    for (guint r = 0; r < n_out; r++)
      {
        const double *f = fx + (gsize) p * n_mid;
        double sum = 0;

        if (t->ndim == 0)
          sum = t->data[0] * f[r];
        else if (t->ndim == 1)
          sum = t->data[r] * f[r];
        else
          for (guint c = 0; c < n_mid; c++)
            sum += t->data[(gsize) r * n_mid + c] * f[c];
        target[(gsize) p * n_out + r] = sum;
      }
  return TRUE;
}

void
spk_analysis_rmse (const double *a,
                   const double *b,
                   guint         n_points,
                   guint         n_cols,
                   double       *rmse)
{
  for (guint r = 0; r < n_cols; r++)
    {
      double sum = 0;

      for (guint p = 0; p < n_points; p++)
        {
          double e = a[(gsize) p * n_cols + r] - b[(gsize) p * n_cols + r];

          sum += e * e;
        }
      rmse[r] = sqrt (sum / n_points);
    }
}

void
spk_decoded_function_free (SpkDecodedFunction *self)
{
  if (self == NULL)
    return;
  g_free (self->x);
  g_free (self->decoded);
  g_free (self->target);
  g_free (self->rmse);
  g_free (self->solve_rmse);
  g_free (self);
}

static gboolean
not_decoded (const char  *key,
             GError     **error)
{
  g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
               _("connection '%s' is not decoded from an ensemble of this model"), key);
  return FALSE;
}

SpkDecodedFunction *
spk_analysis_decoded_function (const SpkPlan  *plan,
                               SpkConnection  *connection,
                               const char     *key,
                               guint           n_points,
                               GError        **error)
{
  SpkObject *pre = spk_connection_get_pre (connection);
  g_autofree char *wkey = g_strconcat (key, "/weights", NULL);
  g_autoptr (SpkArray) weights = NULL;
  g_autoptr (SpkDecodedFunction) self = NULL;
  g_autofree double *x = NULL, *rates = NULL, *xs = NULL;
  g_autofree guint *pre_index = NULL;
  const SpkPlanEnsemble *ens;
  const double *solve;
  guint n, d, n_pre, n_out, n_solve;

  g_return_val_if_fail (n_points >= 2, NULL);

  if (pre == NULL || spk_object_get_label (pre) == NULL || spk_connection_get_pre_neurons (connection)
      || !(ens = _spk_plan_find_ensemble (plan, spk_object_get_label (pre)))
      || (weights = spk_plan_dup_param (plan, wkey)) == NULL
      || weights->ndim != 2 || weights->shape[1] != ens->n
      || (pre_index = spk_slice_resolve (spk_connection_get_pre_slice (connection), ens->d, &n_pre, NULL)) == NULL)
    return not_decoded (key, error), NULL;
  n = ens->n;
  d = ens->d;
  n_out = weights->shape[0];

  self = g_new0 (SpkDecodedFunction, 1);
  self->n_points = n_points;
  self->n_dims = n_out;
  self->x = g_new (double, n_points);
  x = g_new (double, (gsize) n_points * d);
  spk_analysis_sweep (ens->radius, n_points, d, self->x, x);
  rates = g_new (double, (gsize) n_points * n);
  if (!spk_analysis_tuning_curves (plan, ens->label, x, n_points, rates, error))
    return NULL;
  /* What a step applies: the weights times the rates. */
  self->decoded = g_new (double, (gsize) n_points * n_out);
  for (guint p = 0; p < n_points; p++)
    for (guint r = 0; r < n_out; r++)
      {
        double sum = 0;

        for (guint j = 0; j < n; j++)
          sum += weights->data[(gsize) r * n + j] * rates[(gsize) p * n + j];
        self->decoded[(gsize) p * n_out + r] = sum;
      }

  /* The function sees the pre's value through the connection's slice. */
  xs = g_new (double, (gsize) n_points * n_pre);
  for (guint p = 0; p < n_points; p++)
    for (guint i = 0; i < n_pre; i++)
      xs[(gsize) p * n_pre + i] = x[(gsize) p * d + pre_index[i]];
  self->target = g_new (double, (gsize) n_points * n_out);
  self->rmse = g_new (double, n_out);
  if (!spk_analysis_connection_target (connection, xs, n_points, n_pre, n_out, self->target))
    {
      g_clear_pointer (&self->target, g_free);
      for (guint r = 0; r < n_out; r++)
        self->rmse[r] = NAN;
    }
  else
    spk_analysis_rmse (self->decoded, self->target, n_points, n_out, self->rmse);
  /* The solve's own error, at its evaluation points, when it is per output. */
  if ((solve = spk_plan_get_decode_rmse (plan, key, &n_solve)) != NULL && n_solve == n_out)
    self->solve_rmse = g_memdup2 (solve, n_solve * sizeof (double));
  return g_steal_pointer (&self);
}

gboolean
spk_analysis_lowpass (double              tau,
                      double              dt,
                      SpkDiscreteFilter  *filter,
                      GError            **error)
{
  g_autoptr (SpkSynapse) synapse = spk_synapse_new_lowpass (tau > 0 && dt > 0 ? tau : 0.0);

  return spk_synapse_discretize (synapse, dt > 0 ? dt : 1.0, filter, error);
}

void
spk_analysis_filter_rows (const SpkDiscreteFilter *filter,
                          const float             *in,
                          float                   *out,
                          gsize                    n_rows,
                          guint                    width,
                          double                  *state)
{
  g_autofree double *u = g_new (double, 2 * (gsize) MAX (width, 1));
  double *y = u + width;
  double *states[SPK_FILTER_MAX_ORDER];

  for (guint s = 0; s < filter->order; s++)
    states[s] = state + (gsize) s * width;
  for (gsize i = 0; i < n_rows; i++)
    {
      for (guint k = 0; k < width; k++)
        u[k] = in[i * width + k];
      spk_filter_step_f64 (filter, u, y, states, width);
      for (guint k = 0; k < width; k++)
        out[i * width + k] = (float) y[k];
    }
}
