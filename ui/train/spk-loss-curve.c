/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-loss-curve.c — SpkLossCurve: a small chart of a training run's loss.
 *
 * Points arrive a few at a time from the training panel (on the main
 * thread); the axis range is recomputed when they do, and snapshot only
 * draws.  The y axis turns logarithmic when the loss spans more than a
 * decade, as it does when a network starts far from its target.  Colours
 * come from the theme (the accent colour, and orange for validation), so
 * the chart reads in the light and the dark style.
 */
#define G_LOG_DOMAIN "spk-loss-curve"

#include "ui/train/spk-loss-curve.h"

#include <glib/gi18n.h>
#include <math.h>

#define N_SERIES 3

struct _SpkLossCurve
{
  GtkWidget parent_instance;

  GArray   *points[N_SERIES];  /* double x, y pairs */
  double    x_max, y_min, y_max;
  gboolean  log_y;
  double    y_step;             /* between grid lines, in axis units */
};

G_DEFINE_FINAL_TYPE (SpkLossCurve, spk_loss_curve, GTK_TYPE_WIDGET)

static void
update_range (SpkLossCurve *self)
{
  double lo = INFINITY, hi = -INFINITY;

  self->x_max = 1.0;
  for (guint s = 0; s < N_SERIES; s++)
    for (guint i = 0; i < self->points[s]->len / 2; i++)
      {
        double x = g_array_index (self->points[s], double, 2 * i);
        double y = g_array_index (self->points[s], double, 2 * i + 1);

        self->x_max = MAX (self->x_max, x);
        lo = MIN (lo, y);
        hi = MAX (hi, y);
      }
  if (!isfinite (lo))
    lo = 0.0, hi = 1.0;
  self->log_y = lo > 0.0 && hi / lo > 10.0;
  if (self->log_y)
    {
      self->y_min = floor (log10 (lo));
      self->y_max = ceil (log10 (hi));
    }
  else
    {
      /* A loss is ≥ 0: start at zero so that the fall reads true; grid
       * lines at 1, 2 or 5 × 10ⁿ, about four of them. */
      double range, magnitude, step;

      self->y_min = MIN (lo, 0.0);
      range = hi > self->y_min ? hi - self->y_min : 1.0;
      magnitude = pow (10.0, floor (log10 (range / 4.0)));
      step = magnitude;
      if (range / step > 8)
        step = 2 * magnitude;
      if (range / step > 8)
        step = 5 * magnitude;
      if (range / step > 8)
        step = 10 * magnitude;
      self->y_step = step;
      self->y_min = floor (self->y_min / step) * step;
      self->y_max = ceil (hi / step) * step;
      if (self->y_max <= self->y_min)
        self->y_max = self->y_min + step;
    }
  if (self->log_y)
    self->y_step = 1.0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
spk_loss_curve_clear (SpkLossCurve *self)
{
  g_return_if_fail (SPK_IS_LOSS_CURVE (self));

  for (guint s = 0; s < N_SERIES; s++)
    g_array_set_size (self->points[s], 0);
  update_range (self);
}

static void
add_point (SpkLossCurve       *self,
           SpkLossCurveSeries  series,
           double              epoch,
           double              loss)
{
  if (!isfinite (loss) || !isfinite (epoch))
    return;
  g_array_append_val (self->points[series], epoch);
  g_array_append_val (self->points[series], loss);
}

void
spk_loss_curve_add (SpkLossCurve       *self,
                    SpkLossCurveSeries  series,
                    double              epoch,
                    double              loss)
{
  g_return_if_fail (SPK_IS_LOSS_CURVE (self));
  g_return_if_fail (series < N_SERIES);

  add_point (self, series, epoch, loss);
  update_range (self);
}

void
spk_loss_curve_set_history (SpkLossCurve *self,
                            guint         n,
                            const double *loss,
                            const double *val_loss)
{
  g_return_if_fail (SPK_IS_LOSS_CURVE (self));

  for (guint s = 0; s < N_SERIES; s++)
    g_array_set_size (self->points[s], 0);
  for (guint e = 0; e < n; e++)
    {
      add_point (self, SPK_LOSS_CURVE_EPOCH, e + 1, loss[e]);
      if (val_loss != NULL)
        add_point (self, SPK_LOSS_CURVE_VAL, e + 1, val_loss[e]);
    }
  update_range (self);
}

guint
spk_loss_curve_get_n_points (SpkLossCurve       *self,
                             SpkLossCurveSeries  series)
{
  g_return_val_if_fail (SPK_IS_LOSS_CURVE (self), 0);
  g_return_val_if_fail (series < N_SERIES, 0);
  return self->points[series]->len / 2;
}

const double *
spk_loss_curve_get_points (SpkLossCurve       *self,
                           SpkLossCurveSeries  series,
                           guint              *n)
{
  g_return_val_if_fail (SPK_IS_LOSS_CURVE (self), NULL);
  g_return_val_if_fail (series < N_SERIES, NULL);
  if (n != NULL)
    *n = self->points[series]->len / 2;
  return (const double *) self->points[series]->data;
}

/* {{{ Drawing */

typedef struct
{
  double left, top, width, height;
} Frame;

static double
to_x (SpkLossCurve *self,
      const Frame  *f,
      double        x)
{
  return f->left + f->width * x / self->x_max;
}

static double
to_y (SpkLossCurve *self,
      const Frame  *f,
      double        y)
{
  double v = self->log_y ? log10 (MAX (y, 1e-300)) : y;

  return f->top + f->height * (1.0 - (v - self->y_min) / (self->y_max - self->y_min));
}

static void
lookup_color (SpkLossCurve *self,
              const char   *name,
              const char   *fallback,
              GdkRGBA      *color)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (self)), name, color))
    gdk_rgba_parse (color, fallback);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
draw_text (SpkLossCurve *self,
           cairo_t      *cr,
           const char   *text,
           double        x,
           double        y,
           double        xalign,
           double        yalign)
{
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x - w * xalign, y - h * yalign);
  pango_cairo_show_layout (cr, layout);
}

PangoLayout *
spk_loss_curve_layout_placeholder (SpkLossCurve *self,
                                   int           width)
{
  PangoLayout *layout;

  g_return_val_if_fail (SPK_IS_LOSS_CURVE (self), NULL);

  /* Wrapped within the chart: the German sentence is longer than a
   * narrow panel is wide. */
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), _("The loss appears here as the network trains"));
  pango_layout_set_width (layout, MAX (width, 40) * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  return layout;
}

static void
format_tick (char   *buf,
             gsize   size,
             double  value)
{
  /* Round the grid's float steps (0.006000000001) before printing. */
  if (fabs (value) < 1e-12)
    value = 0.0;
  g_ascii_formatd (buf, size, fabs (value) >= 1e4 || (value != 0 && fabs (value) < 1e-3) ? "%.0e" : "%.3g", value);
}

static void
draw_series (SpkLossCurve       *self,
             cairo_t            *cr,
             const Frame        *f,
             SpkLossCurveSeries  series,
             const GdkRGBA      *color,
             double              line_width,
             double              dot)
{
  GArray *p = self->points[series];
  guint n = p->len / 2;

  if (n == 0)
    return;
  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, line_width);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i < n; i++)
    {
      double x = to_x (self, f, g_array_index (p, double, 2 * i));
      double y = to_y (self, f, g_array_index (p, double, 2 * i + 1));

      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_stroke (cr);
  for (guint i = 0; dot > 0 && i < n; i++)
    {
      cairo_new_sub_path (cr);
      cairo_arc (cr, to_x (self, f, g_array_index (p, double, 2 * i)),
                 to_y (self, f, g_array_index (p, double, 2 * i + 1)), dot, 0, 2 * G_PI);
    }
  cairo_fill (cr);
}

static void
spk_loss_curve_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  SpkLossCurve *self = SPK_LOSS_CURVE (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autoptr (PangoLayout) probe = NULL;
  GdkRGBA fg, accent, val, faint;
  cairo_t *cr;
  Frame f;
  int text_w, text_h;
  guint n_ticks;
  char buf[32];

  if (width < 40 || height < 40)
    return;
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  lookup_color (self, "accent_color", "#3584e4", &accent);
  lookup_color (self, "orange_3", "#ff7800", &val);
  faint = accent;
  faint.alpha = 0.35f;
  /* Room on the left for the widest tick label. */
  n_ticks = (guint) round ((self->y_max - self->y_min) / self->y_step);
  text_w = 0;
  for (guint i = 0; i <= n_ticks; i++)
    {
      double v = self->y_min + self->y_step * i;
      int w;

      format_tick (buf, sizeof buf, self->log_y ? pow (10.0, v) : v);
      probe = gtk_widget_create_pango_layout (widget, buf);
      pango_layout_get_pixel_size (probe, &w, &text_h);
      text_w = MAX (text_w, w);
      g_clear_object (&probe);
    }
  f.left = text_w + 10;
  f.top = text_h / 2.0 + 4;
  f.width = width - f.left - 12;
  f.height = height - f.top - text_h - 10;
  if (f.width < 10 || f.height < 10)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  /* Grid lines and tick labels: decades on a log axis, round steps on a
   * linear one. */
  cairo_set_line_width (cr, 1.0);
  for (guint i = 0; i <= n_ticks; i++)
    {
      double v = self->y_min + self->y_step * i;
      double value = self->log_y ? pow (10.0, v) : v;
      double y = to_y (self, &f, value);

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.12);
      cairo_move_to (cr, f.left, round (y) + 0.5);
      cairo_line_to (cr, f.left + f.width, round (y) + 0.5);
      cairo_stroke (cr);
      format_tick (buf, sizeof buf, value);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.7);
      draw_text (self, cr, buf, f.left - 6, y, 1.0, 0.5);
    }
  /* Epochs along the bottom: every one while few, then about eight. */
  {
    guint step = MAX (1, (guint) ceil (self->x_max / 8.0));

    for (guint e = 0; e <= (guint) self->x_max; e += step)
      {
        g_snprintf (buf, sizeof buf, "%u", e);
        draw_text (self, cr, buf, to_x (self, &f, e), f.top + f.height + 4, 0.5, 0.0);
      }
  }
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.35);
  cairo_rectangle (cr, f.left + 0.5, f.top + 0.5, f.width - 1, f.height - 1);
  cairo_stroke (cr);

  cairo_save (cr);
  cairo_rectangle (cr, f.left, f.top - 4, f.width + 4, f.height + 8);
  cairo_clip (cr);
  draw_series (self, cr, &f, SPK_LOSS_CURVE_BATCH, &faint, 1.5, 0);
  draw_series (self, cr, &f, SPK_LOSS_CURVE_VAL, &val, 2.5, 4.0);
  draw_series (self, cr, &f, SPK_LOSS_CURVE_EPOCH, &accent, 3.0, 4.5);
  cairo_restore (cr);

  if (spk_loss_curve_get_n_points (self, SPK_LOSS_CURVE_BATCH) + spk_loss_curve_get_n_points (self, SPK_LOSS_CURVE_EPOCH) == 0)
    {
      g_autoptr (PangoLayout) layout = spk_loss_curve_layout_placeholder (self, (int) f.width - 16);
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.55);
      cairo_move_to (cr, f.left + 8, f.top + (f.height - h) / 2);
      pango_cairo_show_layout (cr, layout);
    }
  cairo_destroy (cr);
}

static void
spk_loss_curve_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 120 : 80;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 320 : 180;
}

/* }}} */

static void
spk_loss_curve_finalize (GObject *object)
{
  SpkLossCurve *self = SPK_LOSS_CURVE (object);

  for (guint s = 0; s < N_SERIES; s++)
    g_array_unref (self->points[s]);
  G_OBJECT_CLASS (spk_loss_curve_parent_class)->finalize (object);
}

static void
spk_loss_curve_class_init (SpkLossCurveClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = spk_loss_curve_finalize;
  widget_class->snapshot = spk_loss_curve_snapshot;
  widget_class->measure = spk_loss_curve_measure;
  gtk_widget_class_set_css_name (widget_class, "losscurve");
}

static void
spk_loss_curve_init (SpkLossCurve *self)
{
  for (guint s = 0; s < N_SERIES; s++)
    self->points[s] = g_array_new (FALSE, FALSE, sizeof (double));
  update_range (self);
}

GtkWidget *
spk_loss_curve_new (void)
{
  return g_object_new (SPK_TYPE_LOSS_CURVE, NULL);
}
