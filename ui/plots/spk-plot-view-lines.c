/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-plot-view-lines.c — line plots (decoded values, filtered spikes,
 * voltages, input currents): per series and pixel column the lowest and
 * highest value, so a line costs the same whatever the samples. */
#define G_LOG_DOMAIN "spk-plot-view"

#include "spk-plot-view-private.h"

#include <math.h>

#include <glib/gi18n.h>

/* Lines: per series and pixel column, the lowest and highest value. */
static void
prepare_lines (SpkPlotView *self,
               Geometry    *g,
               const float *data,
               const guint *series,
               guint        n_series)
{
  double t0, t1, lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;
  guint i0, i1, cols = MAX ((guint) g->aw, 2);
  const double *times = (const double *) (gpointer) self->times->data;
  g_autofree double *vmin = g_new (double, (gsize) n_series * cols);
  g_autofree double *vmax = g_new (double, (gsize) n_series * cols);

  _spk_plot_view_time_range (self, &t0, &t1);
  /* One sample either side, so lines run to the edges. */
  i0 = _spk_plot_view_sample_at (self, t0);
  i0 = i0 > 0 ? i0 - 1 : 0;
  i1 = MIN (_spk_plot_view_sample_at (self, t1) + 1, self->times->len);
  for (gsize k = 0; k < (gsize) n_series * cols; k++)
    {
      vmin[k] = NAN;
      vmax[k] = NAN;
    }
  for (guint i = i0; i < i1; i++)
    {
      double fx = (times[i] - t0) / (t1 - t0) * cols;
      guint c;

      if (fx < -1 || fx > cols)
        continue;
      c = (guint) CLAMP (fx, 0, cols - 1);
      for (guint s = 0; s < n_series; s++)
        {
          double v = data[(gsize) i * self->width + series[s]];
          double *mn = &vmin[(gsize) s * cols + c], *mx = &vmax[(gsize) s * cols + c];

          if (!isfinite (v))
            continue;
          if (isnan (*mn) || v < *mn)
            *mn = v;
          if (isnan (*mx) || v > *mx)
            *mx = v;
          lo = MIN (lo, v);
          hi = MAX (hi, v);
        }
    }
  if (!self->autoscale)
    {
      lo = self->y_min;
      hi = self->y_max;
    }
  else if (lo > hi)
    {
      lo = -1;
      hi = 1;
    }
  else
    {
      double pad = MAX ((hi - lo) * 0.08, 1e-3);

      /* Values plots keep ±1 in view: a newcomer compares with the input. */
      if (self->kind == SPK_PLOT_VALUE)
        {
          lo = MIN (lo, -1.0);
          hi = MAX (hi, 1.0);
        }
      lo -= pad;
      hi += pad;
    }
  if (hi - lo < 1e-9)
    hi = lo + 1;

  g->n_series = n_series;
  g->n_cols = cols;
  g->xs = g_new (float, cols);
  g->lo = g_new (float, (gsize) n_series * cols);
  g->hi = g_new (float, (gsize) n_series * cols);
  g->series_color = g_new (guint, MAX (n_series, 1));
  for (guint c = 0; c < cols; c++)
    g->xs[c] = g->ax + c + 0.5;
  for (gsize k = 0; k < (gsize) n_series * cols; k++)
    {
      /* Screen y grows downwards: the highest value is the lowest y. */
      g->lo[k] = isnan (vmax[k]) ? NAN : g->ay + g->ah - (vmax[k] - lo) / (hi - lo) * g->ah;
      g->hi[k] = isnan (vmin[k]) ? NAN : g->ay + g->ah - (vmin[k] - lo) / (hi - lo) * g->ah;
    }
  for (guint s = 0; s < n_series; s++)
    g->series_color[s] = series[s] % N_COLORS;
  g->zero_y = lo < 0 && hi > 0 ? g->ay + g->ah - (0 - lo) / (hi - lo) * g->ah : NAN;
  _spk_plot_view_add_y_ticks (self, g, lo, hi, NULL);
  _spk_plot_view_add_x_ticks (self, g, t0, t1, TRUE);
}

/* The line kinds: a decoded value (a legend names its dimensions) or up
 * to ten neurons' filtered spikes, voltages or input currents (a corner
 * note counts them). */
void
_spk_plot_view_prepare_line_kind (SpkPlotView *self,
                                  Geometry    *g)
{
  guint n_series;
  gboolean neurons = self->kind != SPK_PLOT_VALUE;
  g_autofree guint *series = NULL;

  if (neurons)
    series = _spk_plot_view_shown_neurons (self, self->width, 10, &n_series);
  else
    {
      n_series = self->width;
      series = g_new (guint, MAX (n_series, 1));
      for (guint s = 0; s < n_series; s++)
        series[s] = s;
    }
  prepare_lines (self, g,
                 (const float *) (gpointer) (self->kind == SPK_PLOT_FILTERED ? self->filtered : self->values)->data,
                 series, n_series);
  if (!neurons && n_series <= MAX_LEGEND && n_series > 1)
    for (guint s = 0; s < n_series; s++)
      {
        char text[32];

        g_snprintf (text, sizeof text, "x[%u]", s);
        g->legend[g->n_legend].layout = _spk_plot_view_make_layout (self, text);
        g->legend_color[g->n_legend++] = s % N_COLORS;
      }
  else if (neurons)
    {
      g_autofree char *text = NULL;

      if (self->kind == SPK_PLOT_FILTERED)
        /* Translators: the corner label of filtered spikes; %g is tau in ms */
        text = g_strdup_printf (ngettext ("%u neuron, τ = %g ms", "%u neurons, τ = %g ms", n_series),
                                n_series, self->tau * 1000);
      else
        text = g_strdup_printf (ngettext ("%u neuron", "%u neurons", n_series), n_series);
      g->corner = _spk_plot_view_make_layout (self, text);
    }
}

void
_spk_plot_view_draw_lines (SpkPlotView *self,
                           cairo_t     *cr,
                           Geometry    *g)
{
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_width (cr, (g->n_series > 4 ? 1.5 : 2.5) * g->scale);
  for (guint s = 0; s < g->n_series; s++)
    {
      const float *lo = g->lo + (gsize) s * g->n_cols, *hi = g->hi + (gsize) s * g->n_cols;
      gboolean pen = FALSE;

      for (guint c = 0; c < g->n_cols; c++)
        {
          if (isnan (lo[c]))
            continue;
          if (!pen)
            cairo_move_to (cr, g->xs[c], lo[c]);
          else
            cairo_line_to (cr, g->xs[c], lo[c]);
          if (hi[c] != lo[c])
            cairo_line_to (cr, g->xs[c], hi[c]);
          pen = TRUE;
        }
      if (g->series_dashed != NULL && g->series_dashed[s])
        {
          static const double dashes[] = { 6, 4 };

          cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
        }
      else
        cairo_set_dash (cr, NULL, 0, 0);
      _spk_plot_view_set_color (cr, _spk_plot_view_series_color (self, g->series_color[s]), g->n_series > 4 ? 0.8 : 1.0);
      cairo_stroke (cr);
    }
  cairo_set_dash (cr, NULL, 0, 0);
}
