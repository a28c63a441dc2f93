/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-plot-view-export.c — a plot to CSV (its record, exactly) or to a
 * PNG, SVG or PDF picture of the geometry prepared at another size. */
#define G_LOG_DOMAIN "spk-plot-view"

#include "spk-plot-view-private.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include <glib/gi18n.h>
#include <math.h>

#include "core/spk-format.h"

/* The shortest exact form, but whole numbers in full (1000, not 1e+03):
 * a spike raster is made of them. */
static const char *
csv_double (char   buf[SPK_FORMAT_BUF_SIZE],
            double value)
{
  if (value == floor (value) && fabs (value) < 1e15)
    {
      g_snprintf (buf, SPK_FORMAT_BUF_SIZE, "%.0f", value);
      return buf;
    }
  return spk_format_double (buf, value);
}

static const char *
csv_float (char  buf[SPK_FORMAT_BUF_SIZE],
           float value)
{
  if (value == floorf (value) && fabsf (value) < 1e7f)
    {
      g_snprintf (buf, SPK_FORMAT_BUF_SIZE, "%.0f", (double) value);
      return buf;
    }
  return spk_format_float (buf, value);
}

static gboolean
export_csv (SpkPlotView  *self,
            const char   *path,
            GError      **error)
{
  g_autoptr (GString) out = g_string_new ("t");
  char buf[SPK_FORMAT_BUF_SIZE];

  if (self->kind == SPK_PLOT_DECODED)
    {
      g_string_assign (out, "x");
      for (guint r = 0; r < self->decoded_dims; r++)
        {
          if (self->decoded_target != NULL)
            g_string_append_printf (out, ",target%u", r);
          g_string_append_printf (out, ",decoded%u", r);
        }
      g_string_append_c (out, '\n');
      for (guint p = 0; self->decoded != NULL && p < DECODED_POINTS; p++)
        {
          g_string_append (out, csv_double (buf, self->decoded_x[p]));
          for (guint r = 0; r < self->decoded_dims; r++)
            {
              gsize at = (gsize) p * self->decoded_dims + r;

              if (self->decoded_target != NULL)
                g_string_append_printf (out, ",%s", csv_double (buf, self->decoded_target[at]));
              g_string_append_printf (out, ",%s", csv_double (buf, self->decoded[at]));
            }
          g_string_append_c (out, '\n');
        }
    }
  else if (self->kind == SPK_PLOT_TUNING)
    {
      g_string_assign (out, "x");
      for (guint k = 0; k < self->tuning_n; k++)
        g_string_append_printf (out, ",neuron%u", k);
      g_string_append_c (out, '\n');
      for (guint p = 0; self->tuning != NULL && p < TUNING_POINTS; p++)
        {
          g_string_append (out, csv_double (buf, self->tuning_x[p]));
          for (guint k = 0; k < self->tuning_n; k++)
            g_string_append_printf (out, ",%s", csv_double (buf, self->tuning[(gsize) p * self->tuning_n + k]));
          g_string_append_c (out, '\n');
        }
    }
  else
    {
      for (guint k = 0; k < self->width; k++)
        g_string_append_printf (out, _spk_plot_view_is_neuron_kind (self->kind) ? ",neuron%u" : ",x%u", k);
      g_string_append_c (out, '\n');
      for (guint i = 0; i < self->times->len; i++)
        {
          /* Shortest exact forms: -0.99, not -0.98999999999999999; the
           * record is float32, written as the float it is. */
          g_string_append (out, csv_double (buf, g_array_index (self->times, double, i)));
          for (guint k = 0; k < self->width; k++)
            g_string_append_printf (out, ",%s", csv_float (buf, (float) spk_plot_view_get_value (self, i, k)));
          g_string_append_c (out, '\n');
        }
    }
  return g_file_set_contents (path, out->str, out->len, error);
}

/* The axes' names in an exported picture, which stands alone (on a slide,
 * in a report) without the card around it. */
static void
axis_labels (SpkPlotView  *self,
             const char  **x,
             const char  **y)
{
  *x = _("Time (s)");
  switch (self->kind)
    {
    case SPK_PLOT_VALUE: *y = _("Value"); break;
    case SPK_PLOT_SPIKES: *y = _("Neuron"); break;
    case SPK_PLOT_FILTERED: *y = _("Filtered spikes"); break;
    case SPK_PLOT_VOLTAGE: *y = _("Voltage"); break;
    case SPK_PLOT_CURRENT: *y = _("Input current"); break;
    case SPK_PLOT_XY: *x = "x[0]"; *y = "x[1]"; break;
    case SPK_PLOT_IMAGE: *x = NULL; *y = NULL; break;
    case SPK_PLOT_TUNING: *x = "x"; *y = _("Firing rate (Hz)"); break;
    case SPK_PLOT_DECODED: *x = "x"; *y = _("Value"); break;
    case SPK_PLOT_N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

/* Draws the plot at width × height with its title above and its axes'
 * names beside them. */
static void
draw_annotated (SpkPlotView *self,
                cairo_t     *cr,
                int          width,
                int          height)
{
  const char *x_name, *y_name;
  g_autoptr (PangoLayout) title = _spk_plot_view_make_layout (self, self->title ? self->title : self->target);
  g_autoptr (PangoLayout) x_label = NULL, y_label = NULL;
  PangoAttrList *bold = pango_attr_list_new ();
  int pad = 8, tw, th, xw = 0, xh = 0, yw = 0, yh = 0;
  Geometry *g;

  axis_labels (self, &x_name, &y_name);
  pango_attr_list_insert (bold, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_attr_list_insert (bold, pango_attr_scale_new (1.2));
  pango_layout_set_attributes (title, bold);
  pango_attr_list_unref (bold);
  pango_layout_set_width (title, MAX (width - 2 * pad, 1) * PANGO_SCALE);
  pango_layout_set_ellipsize (title, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (title, &tw, &th);
  if (x_name != NULL)
    {
      x_label = _spk_plot_view_make_layout (self, x_name);
      y_label = _spk_plot_view_make_layout (self, y_name);
      pango_layout_get_pixel_size (x_label, &xw, &xh);
      pango_layout_get_pixel_size (y_label, &yw, &yh);
    }

  g = _spk_plot_view_prepare (self, MAX (width - yh - pad, 16), MAX (height - th - xh - 2 * pad, 16));
  _spk_plot_view_set_color (cr, &self->fg, 1.0);
  cairo_move_to (cr, pad, pad / 2.0);
  pango_cairo_show_layout (cr, title);
  cairo_save (cr);
  cairo_translate (cr, yh + pad, th + pad);
  _spk_plot_view_draw (self, cr, g);
  cairo_restore (cr);
  if (x_label != NULL)
    {
      _spk_plot_view_set_color (cr, &self->fg, 0.8);
      /* Under the plot area, centred; the y name turned along its axis. */
      cairo_move_to (cr, yh + pad + g->ax + (g->aw - xw) / 2, height - xh - pad / 2.0);
      pango_cairo_show_layout (cr, x_label);
      cairo_save (cr);
      cairo_move_to (cr, pad / 2.0, th + pad + g->ay + (g->ah + yw) / 2);
      cairo_rotate (cr, -G_PI / 2);
      pango_cairo_show_layout (cr, y_label);
      cairo_restore (cr);
    }
  _spk_plot_view_geometry_free (g);
}

gboolean
spk_plot_view_export (SpkPlotView   *self,
                      const char    *path,
                      SpkPlotFormat  format,
                      int            width,
                      int            height,
                      GError       **error)
{
  cairo_surface_t *surface = NULL;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (SPK_IS_PLOT_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (format == SPK_PLOT_FORMAT_CSV)
    return export_csv (self, path, error);
  if (width <= 0 || height <= 0 || width > 20000 || height > 20000)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("A picture must be between 1 and 20000 pixels on each side"));
      return FALSE;
    }
  switch (format)
    {
    case SPK_PLOT_FORMAT_PNG:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
      break;
    case SPK_PLOT_FORMAT_SVG:
      surface = cairo_svg_surface_create (path, width, height);
      break;
    case SPK_PLOT_FORMAT_PDF:
      surface = cairo_pdf_surface_create (path, width, height);
      break;
    case SPK_PLOT_FORMAT_CSV:
    default:
      g_assert_not_reached ();
    }
  cr = cairo_create (surface);
  _spk_plot_view_set_color (cr, &self->background, 1.0);
  cairo_paint (cr);
  draw_annotated (self, cr, width, height);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  if (format == SPK_PLOT_FORMAT_PNG)
    status = cairo_surface_write_to_png (surface, path);
  else
    {
      cairo_surface_finish (surface);
      status = cairo_surface_status (surface);
    }
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write “%s”: %s"),
                   path, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
