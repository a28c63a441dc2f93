/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-plot-view-image.c — the latest sample as a grey-scale image (a
 * square of values or of neurons), kept at its aspect ratio. */
#define G_LOG_DOMAIN "spk-plot-view"

#include "spk-plot-view-private.h"

#include <math.h>

void
_spk_plot_view_prepare_image (SpkPlotView *self,
                              Geometry    *g)
{
  guint n = self->width, w, h;
  guint i = _spk_plot_view_sample_at (self, self->end_time + 1e-12);
  const float *sample;
  guint32 *pixels;
  int stride;
  float lo = G_MAXFLOAT, hi = -G_MAXFLOAT;

  if (self->times->len == 0 || n == 0)
    {
      g->empty = TRUE;
      return;
    }
  w = self->image_width ? self->image_width : (guint) round (sqrt ((double) n));
  h = MAX ((n + w - 1) / MAX (w, 1), 1);
  sample = (const float *) (gpointer) self->values->data + (gsize) (i > 0 ? i - 1 : 0) * n;
  for (guint k = 0; k < n; k++)
    if (isfinite (sample[k]))
      {
        lo = MIN (lo, sample[k]);
        hi = MAX (hi, sample[k]);
      }
  if (!(hi > lo))
    hi = lo + 1;
  g->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_surface_flush (g->surface);
  pixels = (guint32 *) (gpointer) cairo_image_surface_get_data (g->surface);
  stride = cairo_image_surface_get_stride (g->surface) / 4;
  for (guint k = 0; k < (gsize) w * h; k++)
    {
      double f = k < n && isfinite (sample[k]) ? (sample[k] - lo) / (hi - lo) : 0;
      GdkRGBA c = {
        self->image_low.red + f * (self->image_high.red - self->image_low.red),
        self->image_low.green + f * (self->image_high.green - self->image_low.green),
        self->image_low.blue + f * (self->image_high.blue - self->image_low.blue),
        1.0,
      };

      pixels[(k / w) * stride + k % w] = _spk_plot_view_pack (&c, 1.0);
    }
  cairo_surface_mark_dirty (g->surface);
  /* The image keeps its aspect ratio, centred in the area. */
  {
    double scale = MIN (g->aw / w, g->ah / h);

    g->ax += (g->aw - w * scale) / 2;
    g->ay += (g->ah - h * scale) / 2;
    g->aw = w * scale;
    g->ah = h * scale;
  }
  {
    char text[96];

    g_snprintf (text, sizeof text, "%u×%u   %.3g … %.3g", h, w, lo, hi);
    g->corner = _spk_plot_view_make_layout (self, text);
  }
}
