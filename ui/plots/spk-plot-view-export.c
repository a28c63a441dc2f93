/* spk-plot-view-export.c — a plot to CSV (its record, exactly) or to a
 * PNG, SVG or PDF picture of the geometry prepared at another size. */
#define G_LOG_DOMAIN "spk-plot-view"

#include "spk-plot-view-private.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include <glib/gi18n.h>

#include "core/spk-format.h"

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
          g_string_append (out, spk_format_double (buf, self->decoded_x[p]));
          for (guint r = 0; r < self->decoded_dims; r++)
            {
              gsize at = (gsize) p * self->decoded_dims + r;

              if (self->decoded_target != NULL)
                g_string_append_printf (out, ",%s", spk_format_double (buf, self->decoded_target[at]));
              g_string_append_printf (out, ",%s", spk_format_double (buf, self->decoded[at]));
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
          g_string_append (out, spk_format_double (buf, self->tuning_x[p]));
          for (guint k = 0; k < self->tuning_n; k++)
            g_string_append_printf (out, ",%s", spk_format_double (buf, self->tuning[(gsize) p * self->tuning_n + k]));
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
          g_string_append (out, spk_format_double (buf, g_array_index (self->times, double, i)));
          for (guint k = 0; k < self->width; k++)
            g_string_append_printf (out, ",%s", spk_format_float (buf, (float) spk_plot_view_get_value (self, i, k)));
          g_string_append_c (out, '\n');
        }
    }
  return g_file_set_contents (path, out->str, out->len, error);
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
  Geometry *g;
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
  g = _spk_plot_view_prepare (self, width, height);
  cr = cairo_create (surface);
  _spk_plot_view_set_color (cr, &self->background, 1.0);
  cairo_paint (cr);
  _spk_plot_view_draw (self, cr, g);
  cairo_destroy (cr);
  _spk_plot_view_geometry_free (g);
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
