/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-plot-view-frame.c — the frame every plot kind shares: the
 * geometry (plot area, ticks, legend, corner note) prepared for a size,
 * and its drawing; the kinds fill in their data (the -lines, -raster,
 * -image, -xy, -tuning and -decoded files). */
#define G_LOG_DOMAIN "spk-plot-view"

#include "spk-plot-view-private.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

void
_spk_plot_view_geometry_free (Geometry *g)
{
  if (g == NULL)
    return;
  g_free (g->xs);
  g_free (g->lo);
  g_free (g->hi);
  g_free (g->series_color);
  g_free (g->series_dashed);
  g_free (g->px);
  g_free (g->py);
  g_clear_pointer (&g->surface, cairo_surface_destroy);
  for (guint i = 0; i < g->n_x_ticks; i++)
    g_clear_object (&g->x_ticks[i].layout);
  for (guint i = 0; i < g->n_y_ticks; i++)
    g_clear_object (&g->y_ticks[i].layout);
  for (guint i = 0; i < g->n_legend; i++)
    g_clear_object (&g->legend[i].layout);
  g_clear_object (&g->corner);
  g_clear_object (&g->empty_text);
  g_free (g);
}

/* The first sample at or after t (binary search on the sorted times). */
guint
_spk_plot_view_sample_at (SpkPlotView *self,
                          double       t)
{
  const double *times = (const double *) (gpointer) self->times->data;
  guint lo = 0, hi = self->times->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (times[mid] < t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

void
_spk_plot_view_time_range (SpkPlotView *self,
                           double      *t0,
                           double      *t1)
{
  *t0 = MAX (0.0, self->end_time - self->window);
  *t1 = *t0 + self->window;
}

/* Ticks at 1, 2 or 5 × 10^k, about n of them across [lo, hi]. */
static double
nice_step (double span,
           guint  n)
{
  double raw = span / MAX (n, 1);
  double mag = pow (10, floor (log10 (raw)));
  double f = raw / mag;

  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

/* A step for ticks `spacing` pixels or more apart along `pixels` that
 * puts at most MAX_TICKS of them in [lo, hi]: a tall plot (presentation
 * mode) once got more, and the ones above the twelfth went missing. */
static double
tick_step (double lo,
           double hi,
           double pixels,
           double spacing)
{
  guint n = MAX (2, (guint) (pixels / spacing));
  double step = nice_step (hi - lo, n);

  while (n > 2 && floor (hi / step + 1e-9) - ceil (lo / step - 1e-9) + 1 > MAX_TICKS)
    step = nice_step (hi - lo, --n);
  return step;
}

PangoLayout *
_spk_plot_view_make_layout (SpkPlotView *self,
                            const char  *text)
{
  return gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
}

static void
format_number (char   *buf,
               gsize   size,
               double  value,
               double  step)
{
  int decimals = step >= 1 ? 0 : (int) ceil (-log10 (step) - 1e-9);

  if (fabs (value) < step * 1e-6)
    value = 0;
  g_snprintf (buf, size, "%.*f", CLAMP (decimals, 0, 6), value);
}

void
_spk_plot_view_add_y_ticks (SpkPlotView *self,
                            Geometry    *g,
                            double       lo,
                            double       hi,
                            const char  *unit)
{
  double step = tick_step (lo, hi, g->ah, 40 * g->scale);

  for (double v = ceil (lo / step) * step; v <= hi + step * 1e-9 && g->n_y_ticks < MAX_TICKS; v += step)
    {
      char text[64];
      Label *label = &g->y_ticks[g->n_y_ticks++];

      format_number (text, sizeof text, v, step);
      if (unit != NULL && g->n_y_ticks == 1)
        g_strlcat (text, unit, sizeof text);
      label->layout = _spk_plot_view_make_layout (self, text);
      label->x = g->ax;
      label->y = g->ay + g->ah - (v - lo) / (hi - lo) * g->ah;
    }
}

void
_spk_plot_view_add_x_ticks (SpkPlotView *self,
                            Geometry    *g,
                            double       lo,
                            double       hi,
                            gboolean     seconds)
{
  double step = tick_step (lo, hi, g->aw, 90 * g->scale);

  for (double v = ceil (lo / step) * step; v <= hi + step * 1e-9 && g->n_x_ticks < MAX_TICKS; v += step)
    {
      char text[64];
      Label *label = &g->x_ticks[g->n_x_ticks++];

      format_number (text, sizeof text, v, step);
      if (seconds)
        g_strlcat (text, " s", sizeof text);
      label->layout = _spk_plot_view_make_layout (self, text);
      label->x = g->ax + (v - lo) / (hi - lo) * g->aw;
      label->y = g->ay + g->ah;
    }
}

/* The neurons shown, in display order: indices into a sample. */
guint *
_spk_plot_view_shown_neurons (SpkPlotView *self,
                              guint        n_total,
                              guint        cap,
                              guint       *n_shown)
{
  g_autofree guint *all = g_new (guint, MAX (n_total, 1));
  guint first = MIN (self->first_neuron, n_total);
  guint limit = self->max_neurons ? self->max_neurons : cap;
  guint n = MIN (n_total - first, limit);
  guint *shown = g_new (guint, MAX (n, 1));

  for (guint i = 0; i < n_total; i++)
    all[i] = i;
  if (self->order == SPK_PLOT_ORDER_ENCODER && self->encoders != NULL && self->n_encoders == n_total)
    {
      /* Insertion sort keeps it stable; n is at most a few thousand. */
      for (guint i = 1; i < n_total; i++)
        for (guint j = i; j > 0 && self->encoders[all[j - 1]] > self->encoders[all[j]]; j--)
          {
            guint tmp = all[j];
            all[j] = all[j - 1];
            all[j - 1] = tmp;
          }
    }
  else if (self->order == SPK_PLOT_ORDER_RATE && self->spike_counts != NULL)
    {
      for (guint i = 1; i < n_total; i++)
        for (guint j = i; j > 0 && self->spike_counts[all[j - 1]] < self->spike_counts[all[j]]; j--)
          {
            guint tmp = all[j];
            all[j] = all[j - 1];
            all[j - 1] = tmp;
          }
    }
  memcpy (shown, all + first, n * sizeof (guint));
  *n_shown = n;
  return shown;
}

guint32
_spk_plot_view_pack (const GdkRGBA *c,
                     double         alpha)
{
  double a = c->alpha * alpha;

  /* Cairo's ARGB32 is premultiplied, native-endian. */
  return ((guint32) (a * 255 + 0.5) << 24)
         | ((guint32) (c->red * a * 255 + 0.5) << 16)
         | ((guint32) (c->green * a * 255 + 0.5) << 8)
         | (guint32) (c->blue * a * 255 + 0.5);
}

/* How many of the drawn points (line columns, XY trail) fall inside the
 * rectangle x, y, w, h. */
static guint
points_inside (const Geometry *g,
               double          x,
               double          y,
               double          w,
               double          h)
{
  guint n = 0;

  for (guint s = 0; s < g->n_series; s++)
    for (guint c = 0; c < g->n_cols; c++)
      {
        float lo = g->lo[(gsize) s * g->n_cols + c], hi = g->hi[(gsize) s * g->n_cols + c];

        if (g->xs[c] >= x && g->xs[c] <= x + w && !isnan (lo) && hi >= y && lo <= y + h)
          n++;
      }
  for (guint i = 0; i < g->n_points; i++)
    if (g->px[i] >= x && g->px[i] <= x + w && g->py[i] >= y && g->py[i] <= y + h)
      n++;
  return n;
}

/* Legend entries stack in a corner of the area: the one whose box covers
 * the fewest drawn points (a decoded function rising to the top right
 * keeps its end in view), the top right when they tie.  The top corners
 * start below the corner note when the two would meet (a narrow plot, a
 * long note). */
static void
place_legend (Geometry *g)
{
  int widest = 0, height = 0, note_w = 0, note_h = 0;
  double box_w, best_x = 0, best_y = 0;
  guint best = G_MAXUINT;

  if (g->n_legend == 0)
    return;
  for (guint i = 0; i < g->n_legend; i++)
    {
      int lw, lh;

      pango_layout_get_pixel_size (g->legend[i].layout, &lw, &lh);
      widest = MAX (widest, lw);
      height += lh + 2;
    }
  if (g->corner != NULL)
    pango_layout_get_pixel_size (g->corner, &note_w, &note_h);
  /* An entry's box is its swatch (18 px) and text, 8 px from the edge. */
  box_w = widest + 26;
  for (guint corner = 0; corner < 4; corner++)
    {
      gboolean right = corner == 0 || corner == 2, top = corner < 2;
      double x = right ? g->ax + g->aw - box_w : g->ax + 4;
      double y = top ? g->ay + 4 : g->ay + g->ah - height - 4;
      guint n;

      /* The note spans 4 … note_w + 12 along the top. */
      if (top && g->corner != NULL && (!right || note_w + 12 + box_w + 8 > g->aw))
        y = g->ay + note_h + 10;
      if (y + height > g->ay + g->ah && top)
        continue;
      n = points_inside (g, x, y, box_w, height);
      if (n < best)
        {
          best = n;
          best_x = x;
          best_y = y;
        }
    }
  if (best == G_MAXUINT)
    {
      best_x = g->ax + g->aw - box_w;
      best_y = g->ay + 4;
    }
  for (guint i = 0, y = 0; i < g->n_legend; i++)
    {
      int lw, lh;

      pango_layout_get_pixel_size (g->legend[i].layout, &lw, &lh);
      /* Entries align at their right edge, as a column of text does. */
      g->legend[i].x = best_x + box_w - 8 - lw;
      g->legend[i].y = best_y + y;
      y += lh + 2;
    }
}

gboolean
_spk_plot_view_get_legend_box (SpkPlotView     *self,
                               graphene_rect_t *box,
                               guint           *n_covered)
{
  const Geometry *g = self->geometry;
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;

  if (g == NULL || g->n_legend == 0)
    return FALSE;
  for (guint i = 0; i < g->n_legend; i++)
    {
      int lw, lh;

      pango_layout_get_pixel_size (g->legend[i].layout, &lw, &lh);
      x0 = MIN (x0, g->legend[i].x - 18);
      y0 = MIN (y0, g->legend[i].y);
      x1 = MAX (x1, g->legend[i].x + lw);
      y1 = MAX (y1, g->legend[i].y + lh);
    }
  graphene_rect_init (box, x0, y0, x1 - x0, y1 - y0);
  *n_covered = points_inside (g, x0, y0, x1 - x0, y1 - y0);
  return TRUE;
}

Geometry *
_spk_plot_view_prepare (SpkPlotView *self,
                        int          width,
                        int          height)
{
  Geometry *g = g_new0 (Geometry, 1);

  _spk_plot_view_refresh_colors (self);
  g->width = width;
  g->height = height;
  g->scale = self->scale;
  g->ax = MARGIN_LEFT * g->scale;
  g->ay = MARGIN_TOP * g->scale;
  g->aw = MAX (width - (MARGIN_LEFT + MARGIN_RIGHT) * g->scale, 4);
  g->ah = MAX (height - (MARGIN_TOP + MARGIN_BOTTOM) * g->scale, 4);
  g->zero_y = NAN;

  if (self->kind != SPK_PLOT_TUNING && self->kind != SPK_PLOT_DECODED && self->times->len == 0)
    g->empty = TRUE;
  else
    switch (self->kind)
      {
      case SPK_PLOT_VALUE:
      case SPK_PLOT_VOLTAGE:
      case SPK_PLOT_CURRENT:
      case SPK_PLOT_FILTERED:
        _spk_plot_view_prepare_line_kind (self, g);
        break;
      case SPK_PLOT_SPIKES:
        _spk_plot_view_prepare_raster (self, g);
        break;
      case SPK_PLOT_IMAGE:
        _spk_plot_view_prepare_image (self, g);
        break;
      case SPK_PLOT_XY:
        _spk_plot_view_prepare_xy (self, g);
        break;
      case SPK_PLOT_TUNING:
        _spk_plot_view_prepare_tuning (self, g);
        break;
      case SPK_PLOT_DECODED:
        _spk_plot_view_prepare_decoded (self, g);
        break;
      case SPK_PLOT_N_KINDS:
      default:
        g_assert_not_reached ();
      }
  if (g->empty)
    {
      g->empty_text = _spk_plot_view_make_layout (self, self->kind == SPK_PLOT_TUNING
                                       ? _("Tuning curves appear once the model builds")
                                       : self->kind == SPK_PLOT_DECODED
                                       ? _("The decoded function appears once the model builds")
                                       : _("Press Play to see this signal"));
      /* Wrapped and centred within the plot: a long translation in a
       * narrow plot must not run off both sides. */
      pango_layout_set_width (g->empty_text, MAX (g->width - 24, 40) * PANGO_SCALE);
      pango_layout_set_wrap (g->empty_text, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_alignment (g->empty_text, PANGO_ALIGN_CENTER);
    }
  place_legend (g);
  return g;
}

void
_spk_plot_view_set_color (cairo_t       *cr,
                          const GdkRGBA *c,
                          double         alpha)
{
  cairo_set_source_rgba (cr, c->red, c->green, c->blue, c->alpha * alpha);
}

const GdkRGBA *
_spk_plot_view_series_color (SpkPlotView *self,
                             guint        color)
{
  return color == COLOR_FG ? &self->fg : &self->colors[color];
}

static void
draw_label (cairo_t     *cr,
            PangoLayout *layout,
            double       x,
            double       y)
{
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

void
_spk_plot_view_draw (SpkPlotView *self,
                     cairo_t     *cr,
                     Geometry    *g)
{
  int lw, lh;

  if (g->empty)
    {
      pango_layout_get_pixel_size (g->empty_text, &lw, &lh);
      _spk_plot_view_set_color (cr, &self->fg, 0.55);
      /* The layout is as wide as its set width: centred by alignment. */
      draw_label (cr, g->empty_text, 12, (g->height - lh) / 2.0);
      return;
    }

  /* Grid and tick labels. */
  cairo_set_line_width (cr, 1);
  _spk_plot_view_set_color (cr, &self->fg, 0.10);
  for (guint i = 0; i < g->n_y_ticks && self->kind != SPK_PLOT_SPIKES; i++)
    {
      cairo_move_to (cr, g->ax, round (g->y_ticks[i].y) + 0.5);
      cairo_line_to (cr, g->ax + g->aw, round (g->y_ticks[i].y) + 0.5);
    }
  for (guint i = 0; i < g->n_x_ticks && self->kind != SPK_PLOT_IMAGE; i++)
    {
      cairo_move_to (cr, round (g->x_ticks[i].x) + 0.5, g->ay);
      cairo_line_to (cr, round (g->x_ticks[i].x) + 0.5, g->ay + g->ah);
    }
  cairo_stroke (cr);
  if (!isnan (g->zero_y))
    {
      _spk_plot_view_set_color (cr, &self->fg, 0.35);
      cairo_move_to (cr, g->ax, round (g->zero_y) + 0.5);
      cairo_line_to (cr, g->ax + g->aw, round (g->zero_y) + 0.5);
      if (self->kind == SPK_PLOT_XY)
        {
          cairo_move_to (cr, round (g->ax + g->aw / 2) + 0.5, g->ay);
          cairo_line_to (cr, round (g->ax + g->aw / 2) + 0.5, g->ay + g->ah);
        }
      cairo_stroke (cr);
    }
  _spk_plot_view_set_color (cr, &self->fg, 0.7);
  for (guint i = 0; i < g->n_y_ticks; i++)
    {
      pango_layout_get_pixel_size (g->y_ticks[i].layout, &lw, &lh);
      draw_label (cr, g->y_ticks[i].layout, g->y_ticks[i].x - lw - 6, g->y_ticks[i].y - lh / 2.0);
    }
  for (guint i = 0; i < g->n_x_ticks; i++)
    {
      pango_layout_get_pixel_size (g->x_ticks[i].layout, &lw, &lh);
      draw_label (cr, g->x_ticks[i].layout,
                  CLAMP (g->x_ticks[i].x - lw / 2.0, 0, g->width - lw), g->ay + g->ah + 4);
    }

  /* The data. */
  cairo_save (cr);
  cairo_rectangle (cr, g->ax, g->ay - 2, g->aw, g->ah + 4);
  cairo_clip (cr);
  switch (self->kind)
    {
    case SPK_PLOT_SPIKES:
    case SPK_PLOT_IMAGE:
      if (g->surface != NULL)
        {
          double sx = g->aw / cairo_image_surface_get_width (g->surface);
          double sy = g->ah / cairo_image_surface_get_height (g->surface);

          cairo_translate (cr, g->ax, g->ay);
          cairo_scale (cr, sx, sy);
          cairo_set_source_surface (cr, g->surface, 0, 0);
          cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_NEAREST);
          cairo_paint (cr);
        }
      break;
    case SPK_PLOT_XY:
      _spk_plot_view_draw_xy (self, cr, g);
      break;
    case SPK_PLOT_VALUE:
    case SPK_PLOT_FILTERED:
    case SPK_PLOT_VOLTAGE:
    case SPK_PLOT_CURRENT:
    case SPK_PLOT_TUNING:
    case SPK_PLOT_DECODED:
      _spk_plot_view_draw_lines (self, cr, g);
      break;
    case SPK_PLOT_N_KINDS:
    default:
      g_assert_not_reached ();
    }
  cairo_restore (cr);

  /* Frame, legend and corner note. */
  _spk_plot_view_set_color (cr, &self->fg, 0.25);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, g->ax + 0.5, g->ay + 0.5, g->aw - 1, g->ah - 1);
  cairo_stroke (cr);
  for (guint i = 0; i < g->n_legend; i++)
    {
      pango_layout_get_pixel_size (g->legend[i].layout, &lw, &lh);
      _spk_plot_view_set_color (cr, &self->background, 0.8);
      cairo_rectangle (cr, g->legend[i].x - 18, g->legend[i].y, lw + 22, lh);
      cairo_fill (cr);
      _spk_plot_view_set_color (cr, _spk_plot_view_series_color (self, g->legend_color[i]), 1.0);
      if (g->legend_dashed[i])
        {
          /* Two dashes: the swatch of a dashed line. */
          cairo_rectangle (cr, g->legend[i].x - 14, g->legend[i].y + lh / 2.0 - 1, 4, 2);
          cairo_rectangle (cr, g->legend[i].x - 8, g->legend[i].y + lh / 2.0 - 1, 4, 2);
        }
      else
        cairo_rectangle (cr, g->legend[i].x - 14, g->legend[i].y + lh / 2.0 - 2, 10, 4);
      cairo_fill (cr);
      _spk_plot_view_set_color (cr, &self->fg, 0.9);
      draw_label (cr, g->legend[i].layout, g->legend[i].x, g->legend[i].y);
    }
  if (g->corner != NULL)
    {
      pango_layout_get_pixel_size (g->corner, &lw, &lh);
      _spk_plot_view_set_color (cr, &self->background, 0.75);
      cairo_rectangle (cr, g->ax + 4, g->ay + 4, lw + 8, lh + 2);
      cairo_fill (cr);
      _spk_plot_view_set_color (cr, &self->fg, 0.8);
      draw_label (cr, g->corner, g->ax + 8, g->ay + 5);
    }
}
