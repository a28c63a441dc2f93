/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-plot-view-raster.c — the spike raster: one pixel row per shown
 * neuron (or several neurons per row), prepared as a small image. */
#define G_LOG_DOMAIN "spk-plot-view"

#include "spk-plot-view-private.h"

#include <string.h>

#include <glib/gi18n.h>

void
_spk_plot_view_prepare_raster (SpkPlotView *self,
                               Geometry    *g)
{
  double t0, t1;
  guint n_shown, cols = MAX ((guint) g->aw, 2), rows;
  g_autofree guint *shown = _spk_plot_view_shown_neurons (self, self->width, G_MAXUINT, &n_shown);
  g_autofree guint *row_of = NULL;
  const double *times = (const double *) (gpointer) self->times->data;
  const guint32 *start = (const guint32 *) (gpointer) self->spike_start->data;
  const guint32 *neuron = (const guint32 *) (gpointer) self->spike_neuron->data;
  guint32 *pixels, color = _spk_plot_view_pack (&self->spike_color, 1.0);
  int stride;
  guint i0, i1;

  _spk_plot_view_time_range (self, &t0, &t1);
  rows = CLAMP (n_shown, 1, MAX ((guint) g->ah, 1));
  g->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, cols, rows);
  cairo_surface_flush (g->surface);
  pixels = (guint32 *) (gpointer) cairo_image_surface_get_data (g->surface);
  stride = cairo_image_surface_get_stride (g->surface) / 4;
  memset (pixels, 0, (gsize) stride * 4 * rows);
  /* Many neurons share a pixel row when there are more than rows. */
  /* Per neuron its pixel row, or G_MAXUINT when it is not shown. */
  row_of = g_new (guint, MAX (self->width, 1));
  for (guint k = 0; k < self->width; k++)
    row_of[k] = G_MAXUINT;
  for (guint j = 0; j < n_shown; j++)
    row_of[shown[j]] = (guint) ((guint64) j * rows / MAX (n_shown, 1));
  i0 = _spk_plot_view_sample_at (self, t0);
  i1 = _spk_plot_view_sample_at (self, t1 + 1e-12);
  for (guint i = i0; i < i1; i++)
    {
      guint c = (guint) CLAMP ((times[i] - t0) / (t1 - t0) * cols, 0, cols - 1);

      for (guint32 s = start[i]; s < start[i + 1]; s++)
        if (row_of[neuron[s]] != G_MAXUINT)
          pixels[(gsize) row_of[neuron[s]] * stride + c] = color;
    }
  cairo_surface_mark_dirty (g->surface);
  _spk_plot_view_add_x_ticks (self, g, t0, t1, TRUE);
  /* Neuron numbers along the left: the first and the last shown. */
  if (n_shown > 0)
    {
      char text[32];

      g_snprintf (text, sizeof text, "%u", shown[0]);
      g->y_ticks[0].layout = _spk_plot_view_make_layout (self, text);
      g->y_ticks[0].x = g->ax;
      g->y_ticks[0].y = g->ay + g->ah / rows * 0.5;
      g_snprintf (text, sizeof text, "%u", shown[n_shown - 1]);
      g->y_ticks[1].layout = _spk_plot_view_make_layout (self, text);
      g->y_ticks[1].x = g->ax;
      g->y_ticks[1].y = g->ay + g->ah - g->ah / rows * 0.5;
      g->n_y_ticks = 2;
    }
  {
    /* Translators: the raster's corner label, e.g. "100 neurons" */
    g_autofree char *text = g_strdup_printf (g_dngettext (NULL, "%u neuron", "%u neurons", n_shown), n_shown);

    g->corner = _spk_plot_view_make_layout (self, text);
  }
}
