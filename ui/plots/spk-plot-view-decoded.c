/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-plot-view-decoded.c — the decoded function of a connection from an
 * ensemble: the value its weights decode along the pre's first dimension
 * against the target transform·f(x), with the RMSE of each output.  The
 * curves come from the engine (nef/spk-analysis.h); this file draws them. */
#define G_LOG_DOMAIN "spk-plot-view"

#include "spk-plot-view-private.h"

#include <glib/gi18n.h>

#include "nef/spk-analysis.h"

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

/* The decoded-function curves from plan (spk_analysis_decoded_function()). */
void
_spk_plot_view_compute_decoded (SpkPlotView *self,
                                SpkPlan     *plan)
{
  g_autoptr (SpkDecodedFunction) f = spk_analysis_decoded_function (plan, self->connection, self->target,
                                                                    DECODED_POINTS, NULL);

  if (f == NULL)
    return;
  self->decoded_dims = f->n_dims;
  self->decoded_x = g_steal_pointer (&f->x);
  self->decoded = g_steal_pointer (&f->decoded);
  self->decoded_target = g_steal_pointer (&f->target);
  self->decoded_rmse = g_steal_pointer (&f->rmse);
  self->solve_rmse = g_steal_pointer (&f->solve_rmse);
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
