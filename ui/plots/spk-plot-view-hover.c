/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-plot-view-hover.c — the tooltip over a plot: the time and values
 * under the pointer, the neuron of a raster row, a sweep point. */
#define G_LOG_DOMAIN "spk-plot-view"

#include "spk-plot-view-private.h"

#include <math.h>

#include <glib/gi18n.h>

gboolean
_spk_plot_view_query_tooltip (GtkWidget  *widget,
                              int         x,
                              int         y,
                              gboolean    keyboard,
                              GtkTooltip *tooltip)
{
  SpkPlotView *self = SPK_PLOT_VIEW (widget);
  Geometry *g = self->geometry;
  GString *text;
  double t0, t1, t;
  guint i;

  if (g == NULL || g->empty || x < g->ax || x > g->ax + g->aw || y < g->ay || y > g->ay + g->ah)
    return FALSE;
  text = g_string_new (NULL);
  if (self->kind == SPK_PLOT_TUNING)
    {
      double xv = self->tuning_x[0] + (x - g->ax) / g->aw * (self->tuning_x[TUNING_POINTS - 1] - self->tuning_x[0]);
      guint p = (guint) CLAMP (round ((x - g->ax) / g->aw * (TUNING_POINTS - 1)), 0, TUNING_POINTS - 1);
      double mean = 0;

      for (guint k = 0; k < self->tuning_n; k++)
        mean += self->tuning[(gsize) p * self->tuning_n + k];
      g_string_append_printf (text, _("x = %.3f\nmean rate %.1f Hz"), xv, mean / MAX (self->tuning_n, 1));
    }
  else if (self->kind == SPK_PLOT_DECODED)
    {
      guint p = (guint) CLAMP (round ((x - g->ax) / g->aw * (DECODED_POINTS - 1)), 0, DECODED_POINTS - 1);

      g_string_append_printf (text, "x = %.3f", self->decoded_x[p]);
      for (guint r = 0; r < MIN (self->decoded_dims, 8u); r++)
        {
          if (self->decoded_target != NULL)
            /* Translators: hovering the decoded-function plot; %u is the output dimension */
            g_string_append_printf (text, _("\ntarget[%u] = %.4g"), r,
                                    self->decoded_target[(gsize) p * self->decoded_dims + r]);
          g_string_append_printf (text, _("\ndecoded[%u] = %.4g"), r,
                                  self->decoded[(gsize) p * self->decoded_dims + r]);
        }
    }
  else
    {
      _spk_plot_view_time_range (self, &t0, &t1);
      t = self->kind == SPK_PLOT_XY || self->kind == SPK_PLOT_IMAGE ? self->end_time
          : t0 + (x - g->ax) / g->aw * (t1 - t0);
      i = _spk_plot_view_sample_at (self, t);
      if (i >= self->times->len)
        i = self->times->len - 1;
      g_string_append_printf (text, "t = %.3f s", g_array_index (self->times, double, i));
      if (self->kind == SPK_PLOT_SPIKES)
        {
          guint n_shown;
          g_autofree guint *shown = _spk_plot_view_shown_neurons (self, self->width, G_MAXUINT, &n_shown);
          guint row = (guint) CLAMP ((y - g->ay) / g->ah * n_shown, 0, MAX (n_shown, 1) - 1);

          if (n_shown > 0)
            {
              double count = self->spike_counts ? self->spike_counts[shown[row]] : 0.0;

              /* Translators: hovering a raster; %u is the neuron's index, %.0f its spike count */
              g_string_append_printf (text, ngettext ("\nneuron %u: %.0f spike so far",
                                                      "\nneuron %u: %.0f spikes so far",
                                                      (unsigned long) MIN (count, (double) G_MAXULONG)),
                                      shown[row], count);
            }
        }
      else
        {
          const float *values = (const float *) (gpointer) (self->kind == SPK_PLOT_FILTERED ? self->filtered
                                                                                              : self->values)->data
                                + (gsize) i * self->width;

          for (guint d = 0; d < MIN (self->width, 8u); d++)
            g_string_append_printf (text, "\nx[%u] = %.4g", d, values[d]);
        }
    }
  gtk_tooltip_set_text (tooltip, text->str);
  g_string_free (text, TRUE);
  return TRUE;
}
