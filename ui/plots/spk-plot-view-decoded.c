/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-plot-view-decoded.c — the decoded function of a connection from an
 * ensemble: the value its weights decode along the pre's first dimension
 * against the target transform·f(x), with the RMSE of each output. */
#define G_LOG_DOMAIN "spk-plot-view"

#include "spk-plot-view-private.h"

#include <math.h>

#include <glib/gi18n.h>

#include "expr/spk-expr.h"

void
_spk_plot_view_forget_decoded (SpkPlotView *self)
{
  g_clear_pointer (&self->decoded_x, g_free);
  g_clear_pointer (&self->decoded_target, g_free);
  g_clear_pointer (&self->decoded, g_free);
  g_clear_pointer (&self->decoded_rmse, g_free);
  g_clear_pointer (&self->solve_rmse, g_free);
  self->decoded_dims = 0;
}

/* The target transform·f(x) (n_points × n_out) at the sweep points xs
 * (n_points × n_pre, the function's input), or FALSE when the transform
 * is sampled and so not known here. */
static gboolean
compute_target (SpkConnection *connection,
                const double  *xs,
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

  if (transform == NULL || transform->kind != SPK_DIST_ARRAY || spk_connection_get_post_neurons (connection))
    return FALSE;
  if (source != NULL)
    {
      if ((function = spk_expr_compile (source, n_pre, NULL)) == NULL)
        return FALSE;
      n_mid = spk_expr_get_size_out (function);
      fx = g_new (double, (gsize) DECODED_POINTS * n_mid);
      spk_expr_eval (function, NULL, 0.0, xs, DECODED_POINTS, fx);
    }
  else
    fx = g_memdup2 (xs, (gsize) DECODED_POINTS * n_pre * sizeof (double));

  /* A scalar or a vector is a diagonal; a matrix is n_out × n_mid.  The
   * builder checked the shapes: a mismatch here means a stale plan. */
  t = transform->array;
  if ((t->ndim == 0 && n_mid != n_out) || (t->ndim == 1 && (t->size != n_out || n_mid != n_out))
      || (t->ndim == 2 && (t->shape[0] != n_out || t->shape[1] != n_mid)))
    return FALSE;
  for (guint p = 0; p < DECODED_POINTS; p++)
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

/* The decoded-function curves from plan: rates of the pre's neurons along
 * its first dimension, through the weights a step applies. */
void
_spk_plot_view_compute_decoded (SpkPlotView *self,
                                SpkPlan     *plan)
{
  SpkObject *pre = spk_connection_get_pre (self->connection);
  g_autofree char *key = g_strconcat (self->target, "/weights", NULL);
  g_autoptr (SpkArray) weights = NULL;
  g_autofree double *x = NULL, *rates = NULL, *xs = NULL;
  g_autofree guint *pre_index = NULL;
  const double *gain, *bias, *encoders, *solve;
  guint n, d, n_pre, n_out, n_solve;
  double radius;

  if (pre == NULL || spk_object_get_label (pre) == NULL
      || !spk_plan_get_ensemble (plan, spk_object_get_label (pre), &n, &d, &radius, &gain, &bias, &encoders)
      || (weights = spk_plan_dup_param (plan, key)) == NULL
      || weights->ndim != 2 || weights->shape[1] != n
      || (pre_index = spk_slice_resolve (spk_connection_get_pre_slice (self->connection), d, &n_pre, NULL)) == NULL)
    return;
  n_out = weights->shape[0];

  x = g_new0 (double, (gsize) DECODED_POINTS * d);
  self->decoded_x = g_new (double, DECODED_POINTS);
  /* Along the first dimension, the others held at 0. */
  for (guint p = 0; p < DECODED_POINTS; p++)
    {
      self->decoded_x[p] = -radius + 2 * radius * p / (DECODED_POINTS - 1);
      x[(gsize) p * d] = self->decoded_x[p];
    }
  rates = g_new (double, (gsize) DECODED_POINTS * n);
  if (!spk_plan_tuning_curves (plan, spk_object_get_label (pre), x, DECODED_POINTS, rates, NULL))
    {
      _spk_plot_view_forget_decoded (self);
      return;
    }
  self->decoded_dims = n_out;
  self->decoded = g_new (double, (gsize) DECODED_POINTS * n_out);
  for (guint p = 0; p < DECODED_POINTS; p++)
    for (guint r = 0; r < n_out; r++)
      {
        double sum = 0;

        for (guint j = 0; j < n; j++)
          sum += weights->data[(gsize) r * n + j] * rates[(gsize) p * n + j];
        self->decoded[(gsize) p * n_out + r] = sum;
      }

  /* The function sees the pre's value through the connection's slice. */
  xs = g_new (double, (gsize) DECODED_POINTS * n_pre);
  for (guint p = 0; p < DECODED_POINTS; p++)
    for (guint i = 0; i < n_pre; i++)
      xs[(gsize) p * n_pre + i] = x[(gsize) p * d + pre_index[i]];
  self->decoded_target = g_new (double, (gsize) DECODED_POINTS * n_out);
  self->decoded_rmse = g_new (double, n_out);
  if (!compute_target (self->connection, xs, n_pre, n_out, self->decoded_target))
    {
      g_clear_pointer (&self->decoded_target, g_free);
      for (guint r = 0; r < n_out; r++)
        self->decoded_rmse[r] = NAN;
    }
  else
    for (guint r = 0; r < n_out; r++)
      {
        double sum = 0;

        for (guint p = 0; p < DECODED_POINTS; p++)
          {
            double e = self->decoded[(gsize) p * n_out + r] - self->decoded_target[(gsize) p * n_out + r];

            sum += e * e;
          }
        self->decoded_rmse[r] = sqrt (sum / DECODED_POINTS);
      }
  /* The solve's own error, at its evaluation points, when it is per output. */
  if ((solve = spk_plan_get_decode_rmse (plan, self->target, &n_solve)) != NULL && n_solve == n_out)
    self->solve_rmse = g_memdup2 (solve, n_solve * sizeof (double));
}

void
spk_plot_view_set_connection (SpkPlotView   *self,
                              SpkConnection *connection)
{
  g_return_if_fail (SPK_IS_PLOT_VIEW (self));
  g_return_if_fail (connection == NULL || SPK_IS_CONNECTION (connection));

  if (!g_set_object (&self->connection, connection))
    return;
  _spk_plot_view_forget_decoded (self);
  if (self->plan != NULL && self->connection != NULL && self->kind == SPK_PLOT_DECODED)
    _spk_plot_view_compute_decoded (self, self->plan);
  _spk_plot_view_invalidate (self);
}

gboolean
spk_plot_view_get_decoded (SpkPlotView   *self,
                           guint         *n_points,
                           guint         *n_dims,
                           const double **x,
                           const double **target,
                           const double **decoded,
                           const double **rmse)
{
  g_return_val_if_fail (SPK_IS_PLOT_VIEW (self), FALSE);

  if (self->decoded == NULL)
    return FALSE;
  *n_points = DECODED_POINTS;
  *n_dims = self->decoded_dims;
  *x = self->decoded_x;
  *target = self->decoded_target;
  *decoded = self->decoded;
  *rmse = self->decoded_rmse;
  return TRUE;
}

/* Target (dashed) and decoded value (solid) per output dimension against
 * x: two series per dimension at the sweep points. */
void
_spk_plot_view_prepare_decoded (SpkPlotView *self,
                                Geometry    *g)
{
  guint n_dims = self->decoded_dims;
  double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;
  double xlo, xhi;
  g_autoptr (GString) corner = g_string_new (NULL);

  if (self->decoded == NULL)
    {
      g->empty = TRUE;
      return;
    }
  for (gsize k = 0; k < (gsize) DECODED_POINTS * n_dims; k++)
    {
      lo = MIN (lo, self->decoded[k]);
      hi = MAX (hi, self->decoded[k]);
      if (self->decoded_target != NULL)
        {
          lo = MIN (lo, self->decoded_target[k]);
          hi = MAX (hi, self->decoded_target[k]);
        }
    }
  if (!self->autoscale)
    {
      lo = self->y_min;
      hi = self->y_max;
    }
  else if (!(lo <= hi))
    {
      lo = -1;
      hi = 1;
    }
  else
    {
      double pad = MAX ((hi - lo) * 0.08, 1e-3);

      lo -= pad;
      hi += pad;
    }
  if (hi - lo < 1e-9)
    hi = lo + 1;
  xlo = self->decoded_x[0];
  xhi = self->decoded_x[DECODED_POINTS - 1];

  g->n_series = 2 * n_dims;
  g->n_cols = DECODED_POINTS;
  g->xs = g_new (float, DECODED_POINTS);
  g->lo = g_new (float, (gsize) g->n_series * DECODED_POINTS);
  g->hi = g_new (float, (gsize) g->n_series * DECODED_POINTS);
  g->series_color = g_new (guint, g->n_series);
  g->series_dashed = g_new (gboolean, g->n_series);
  for (guint p = 0; p < DECODED_POINTS; p++)
    g->xs[p] = g->ax + (self->decoded_x[p] - xlo) / (xhi - xlo) * g->aw;
  /* The decoded value first, so that the dashed target shows on top. */
  for (guint r = 0; r < n_dims; r++)
    for (guint which = 0; which < 2; which++)
      {
        guint s = r * 2 + which;
        const double *src = which == 0 ? self->decoded : self->decoded_target;

        /* One dimension: the target in the foreground colour reads as
         * "the reference"; several: each dimension keeps its colour. */
        g->series_color[s] = which == 1 && n_dims == 1 ? COLOR_FG : r % N_COLORS;
        g->series_dashed[s] = which == 1;
        for (guint p = 0; p < DECODED_POINTS; p++)
          {
            float y = src == NULL ? NAN
                      : g->ay + g->ah - (src[(gsize) p * n_dims + r] - lo) / (hi - lo) * g->ah;

            g->lo[(gsize) s * DECODED_POINTS + p] = y;
            g->hi[(gsize) s * DECODED_POINTS + p] = y;
          }
      }
  for (guint r = 0; r < n_dims && g->n_legend + 2 <= MAX_LEGEND; r++)
    for (guint which = 0; which < 2; which++)
      {
        g_autofree char *text = NULL;

        if (which == 1 && self->decoded_target == NULL)
          continue;
        if (n_dims == 1)
          text = g_strdup (which == 0 ? _("decoded") : _("target"));
        else
          /* Translators: a legend entry of the decoded-function plot; %u is an output dimension */
          text = g_strdup_printf (which == 0 ? _("decoded [%u]") : _("target [%u]"), r);
        g->legend[g->n_legend].layout = _spk_plot_view_make_layout (self, text);
        g->legend_color[g->n_legend] = which == 1 && n_dims == 1 ? COLOR_FG : r % N_COLORS;
        g->legend_dashed[g->n_legend++] = which == 1;
      }
  if (self->decoded_target != NULL)
    {
      /* Translators: the decoded-function plot's title line, followed by
       * the RMSE of each output dimension */
      g_string_append (corner, _("RMSE"));
      for (guint r = 0; r < n_dims; r++)
        g_string_append_printf (corner, r > 0 ? ", %.3g" : " %.3g", self->decoded_rmse[r]);
      if (self->solve_rmse != NULL)
        {
          g_string_append_printf (corner, "   (%s", _("solve"));
          for (guint r = 0; r < n_dims; r++)
            g_string_append_printf (corner, r > 0 ? ", %.3g" : " %.3g", self->solve_rmse[r]);
          g_string_append_c (corner, ')');
        }
    }
  else
    g_string_append (corner, _("target not shown"));
  g->corner = _spk_plot_view_make_layout (self, corner->str);
  g->zero_y = lo < 0 && hi > 0 ? g->ay + g->ah - (0 - lo) / (hi - lo) * g->ah : NAN;
  _spk_plot_view_add_y_ticks (self, g, lo, hi, NULL);
  _spk_plot_view_add_x_ticks (self, g, xlo, xhi, FALSE);
}
