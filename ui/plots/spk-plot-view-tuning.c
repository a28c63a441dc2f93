/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-plot-view-tuning.c — tuning curves: the firing rate of each
 * neuron along the ensemble's first dimension, computed from the plan by
 * the engine (nef/spk-analysis.h) and drawn here. */
#define G_LOG_DOMAIN "spk-plot-view"

#include "spk-plot-view-private.h"

#include "nef/spk-analysis.h"

/* The rates of the target's neurons along its first dimension
 * (spk_analysis_tuning()). */
void
_spk_plot_view_compute_tuning (SpkPlotView *self,
                               SpkPlan     *plan)
{
  g_autoptr (SpkTuningCurves) curves = spk_analysis_tuning (plan, self->target, TUNING_POINTS, NULL);

  if (curves == NULL)
    return;
  self->tuning_x = g_steal_pointer (&curves->x);
  self->tuning = g_steal_pointer (&curves->rates);
  self->tuning_n = curves->n_neurons;
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
