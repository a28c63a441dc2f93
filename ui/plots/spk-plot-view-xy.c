/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-plot-view-xy.c — the first two dimensions against each other,
 * as a fading trail in a square with one scale on both axes. */
#define G_LOG_DOMAIN "spk-plot-view"

#include "spk-plot-view-private.h"

#include <math.h>

void
_spk_plot_view_prepare_xy (SpkPlotView *self,
                           Geometry    *g)
{
  double t0, t1, lo = -1, hi = 1;
  guint i0, i1, stride;
  const float *values = (const float *) (gpointer) self->values->data;

  if (self->width < 2)
    {
      g->empty = TRUE;
      return;
    }
  _spk_plot_view_time_range (self, &t0, &t1);
  i1 = _spk_plot_view_sample_at (self, self->end_time + 1e-12);
  i0 = _spk_plot_view_sample_at (self, self->end_time - self->window);
  if (self->autoscale)
    for (guint i = i0; i < i1; i++)
      for (guint d = 0; d < 2; d++)
        {
          double v = values[(gsize) i * self->width + d];

          if (isfinite (v))
            {
              lo = MIN (lo, v);
              hi = MAX (hi, v);
            }
        }
  else
    {
      lo = self->y_min;
      hi = self->y_max;
    }
  /* One scale on both axes, in a square centred in the area. */
  lo = -MAX (fabs (lo), fabs (hi)) * 1.05;
  hi = -lo;
  {
    double side = MIN (g->aw, g->ah);

    g->ax += (g->aw - side) / 2;
    g->aw = g->ah = side;
  }
  stride = MAX ((i1 - i0) / XY_MAX_POINTS, 1);
  g->n_points = 0;
  g->px = g_new (float, (i1 - i0) / stride + 1);
  g->py = g_new (float, (i1 - i0) / stride + 1);
  for (guint i = i0; i < i1; i += stride)
    {
      double x = values[(gsize) i * self->width], y = values[(gsize) i * self->width + 1];

      if (!isfinite (x) || !isfinite (y))
        continue;
      g->px[g->n_points] = g->ax + (x - lo) / (hi - lo) * g->aw;
      g->py[g->n_points] = g->ay + g->ah - (y - lo) / (hi - lo) * g->ah;
      g->n_points++;
    }
  g->zero_y = g->ay + g->ah / 2;
  _spk_plot_view_add_y_ticks (self, g, lo, hi, NULL);
  _spk_plot_view_add_x_ticks (self, g, lo, hi, FALSE);
}

/* The trail, fading from the oldest point to the newest, and a dot at the
 * newest. */
void
_spk_plot_view_draw_xy (SpkPlotView *self,
                        cairo_t     *cr,
                        Geometry    *g)
{
  cairo_set_line_width (cr, 2.5 * g->scale);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint i = 1; i < g->n_points; i++)
    {
      _spk_plot_view_set_color (cr, &self->colors[0], 0.08 + 0.92 * i / g->n_points);
      cairo_move_to (cr, g->px[i - 1], g->py[i - 1]);
      cairo_line_to (cr, g->px[i], g->py[i]);
      cairo_stroke (cr);
    }
  if (g->n_points > 0)
    {
      _spk_plot_view_set_color (cr, &self->colors[1], 1.0);
      cairo_arc (cr, g->px[g->n_points - 1], g->py[g->n_points - 1], 6 * g->scale, 0, 2 * G_PI);
      cairo_fill (cr);
    }
}
