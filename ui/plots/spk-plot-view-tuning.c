/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-plot-view-tuning.c — tuning curves: the firing rate of each
 * neuron along the ensemble's first dimension, computed from the plan. */
#define G_LOG_DOMAIN "spk-plot-view"

#include "spk-plot-view-private.h"

/* The rates of the target's n neurons (d dimensions, radius) along its
 * first dimension, the others held at 0. */
void
_spk_plot_view_compute_tuning (SpkPlotView *self,
                               SpkPlan     *plan,
                               guint        n,
                               guint        d,
                               double       radius)
{
  g_autofree double *x = g_new0 (double, (gsize) TUNING_POINTS * d);

  self->tuning_x = g_new (double, TUNING_POINTS);
  for (guint p = 0; p < TUNING_POINTS; p++)
    {
      self->tuning_x[p] = -radius + 2 * radius * p / (TUNING_POINTS - 1);
      x[(gsize) p * d] = self->tuning_x[p];
    }
  self->tuning = g_new (double, (gsize) TUNING_POINTS * n);
  self->tuning_n = n;
  if (!spk_plan_tuning_curves (plan, self->target, x, TUNING_POINTS, self->tuning, NULL))
    {
      g_clear_pointer (&self->tuning, g_free);
      self->tuning_n = 0;
    }
}

void
_spk_plot_view_prepare_tuning (SpkPlotView *self,
                               Geometry    *g)
{
  guint n_shown;
  g_autofree guint *shown = NULL;
  double top = 1;
  double xlo, xhi;

  if (self->tuning == NULL)
    {
      g->empty = TRUE;
      return;
    }
  shown = _spk_plot_view_shown_neurons (self, self->tuning_n, 200, &n_shown);
  for (guint s = 0; s < n_shown; s++)
    for (guint p = 0; p < TUNING_POINTS; p++)
      top = MAX (top, self->tuning[(gsize) p * self->tuning_n + shown[s]]);
  top *= 1.05;
  xlo = self->tuning_x[0];
  xhi = self->tuning_x[TUNING_POINTS - 1];
  g->n_series = n_shown;
  g->n_cols = TUNING_POINTS;
  g->xs = g_new (float, TUNING_POINTS);
  g->lo = g_new (float, (gsize) n_shown * TUNING_POINTS);
  g->hi = g_new (float, (gsize) n_shown * TUNING_POINTS);
  g->series_color = g_new (guint, MAX (n_shown, 1));
  for (guint p = 0; p < TUNING_POINTS; p++)
    g->xs[p] = g->ax + (self->tuning_x[p] - xlo) / (xhi - xlo) * g->aw;
  for (guint s = 0; s < n_shown; s++)
    {
      g->series_color[s] = shown[s] % N_COLORS;
      for (guint p = 0; p < TUNING_POINTS; p++)
        {
          double r = self->tuning[(gsize) p * self->tuning_n + shown[s]];
          float y = g->ay + g->ah - r / top * g->ah;

          g->lo[(gsize) s * TUNING_POINTS + p] = y;
          g->hi[(gsize) s * TUNING_POINTS + p] = y;
        }
    }
  g->zero_y = NAN;
  _spk_plot_view_add_y_ticks (self, g, 0, top, " Hz");
  _spk_plot_view_add_x_ticks (self, g, xlo, xhi, FALSE);
}
