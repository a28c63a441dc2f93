/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-plot-view.c — one live plot: SpkPlotView.
 *
 * The data path is: append () copies samples into the plot's own record
 * (times, values as float, and for filtered spikes the Lowpass output, kept
 * incrementally; a raster keeps only its spikes, sample by sample, since a
 * step of 1,000 neurons has a few dozen of them) and marks the geometry stale; a tick callback on the frame
 * clock then prepares the geometry for the widget's size — per series and
 * per pixel column the lowest and highest y, a raster or an image as a
 * small cairo image surface, an XY trail as points, axis labels as
 * PangoLayouts — and queues a draw.  snapshot () only replays that geometry
 * through one cairo node, so drawing costs the same whatever the amount of
 * data.  Export prepares the same geometry at another size and draws it on
 * a PNG, SVG or PDF surface.
 *
 * This file holds the widget, its record and its properties; the frame
 * (axes, legend, the drawing) is in spk-plot-view-frame.c, each plot kind
 * prepares its data in a file of its own (-lines, -raster, -image, -xy,
 * -tuning, -decoded), hover and export have theirs; spk-plot-view-private.h
 * holds what they share.
 *
 * Everything here runs on the GTK main thread.
 */
#define G_LOG_DOMAIN "spk-plot-view"

#include "spk-plot-view-private.h"

#include "nef/spk-analysis.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "ui/plots/spk-plots-resources.h"

G_DEFINE_FINAL_TYPE (SpkPlotView, spk_plot_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_KIND,
  PROP_TARGET,
  PROP_TITLE,
  PROP_WINDOW,
  PROP_AUTOSCALE,
  PROP_Y_MIN,
  PROP_Y_MAX,
  PROP_TAU,
  PROP_FIRST_NEURON,
  PROP_MAX_NEURONS,
  PROP_ORDER,
  PROP_IMAGE_WIDTH,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static const char *kind_names[SPK_PLOT_N_KINDS] = {
  "value", "spikes", "filtered-spikes", "voltage", "current", "xy", "image", "tuning-curves",
  "decoded-function",
};

/* {{{ Kinds */

const char *
spk_plot_kind_to_name (SpkPlotKind kind)
{
  g_return_val_if_fail (kind < SPK_PLOT_N_KINDS, NULL);
  return kind_names[kind];
}

gboolean
spk_plot_kind_from_name (const char  *name,
                         SpkPlotKind *kind)
{
  for (guint i = 0; i < SPK_PLOT_N_KINDS; i++)
    if (g_strcmp0 (kind_names[i], name) == 0)
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

const char *
spk_plot_kind_display_name (SpkPlotKind kind)
{
  switch (kind)
    {
    case SPK_PLOT_VALUE: return _("Decoded Value");
    case SPK_PLOT_SPIKES: return _("Spikes");
    case SPK_PLOT_FILTERED: return _("Filtered Spikes");
    case SPK_PLOT_VOLTAGE: return _("Voltage");
    case SPK_PLOT_CURRENT: return _("Input Current");
    case SPK_PLOT_XY: return _("XY");
    case SPK_PLOT_IMAGE: return _("Image");
    case SPK_PLOT_TUNING: return _("Tuning Curves");
    case SPK_PLOT_DECODED: return _("Decoded Function");
    case SPK_PLOT_N_KINDS:
    default:
      break;
    }
  g_return_val_if_reached (NULL);
}

gboolean
_spk_plot_view_is_neuron_kind (SpkPlotKind kind)
{
  return kind == SPK_PLOT_SPIKES || kind == SPK_PLOT_FILTERED
         || kind == SPK_PLOT_VOLTAGE || kind == SPK_PLOT_CURRENT;
}

static guint
object_dimensions (SpkObject *target)
{
  if (SPK_IS_ENSEMBLE (target))
    return MAX (spk_ensemble_get_dimensions (SPK_ENSEMBLE (target)), 0);
  if (SPK_IS_NODE (target))
    {
      SpkNode *node = SPK_NODE (target);
      SpkArray *value = spk_node_get_output_value (node);
      SpkProcess *process = spk_node_get_output_process (node);

      /* An inferred size: known from a constant or a process without
       * building (an expression's waits for the build). */
      if (spk_node_get_size_out (node) >= 0)
        return (guint) spk_node_get_size_out (node);
      if (value != NULL)
        return (guint) value->size;
      if (process != NULL)
        return spk_process_default_size_out (process);
      return 0;
    }
  if (SPK_IS_LAYER (target))
    {
      guint shape[3], size_in, size_out;

      /* 0 while the layer cannot be built (no input shape yet). */
      spk_layer_get_shape_out (SPK_LAYER (target), shape, &size_in, &size_out);
      return size_out;
    }
  return 0;
}

guint
spk_plot_target_dimensions (SpkObject *target)
{
  g_return_val_if_fail (SPK_IS_OBJECT (target), 0);
  return object_dimensions (target);
}

static gboolean
is_square (guint n)
{
  guint side = (guint) round (sqrt ((double) n));

  return n >= 4 && side * side == n;
}

gboolean
spk_plot_kind_applies (SpkPlotKind  kind,
                       SpkObject   *target)
{
  g_return_val_if_fail (SPK_IS_OBJECT (target), FALSE);

  if (SPK_IS_CONNECTION (target))
    {
      SpkConnection *connection = SPK_CONNECTION (target);
      const SpkDistribution *transform = spk_connection_get_transform (connection);

      if (kind == SPK_PLOT_DECODED)
        return SPK_IS_ENSEMBLE (spk_connection_get_pre (connection))
               && !spk_connection_get_pre_neurons (connection);
      /* Its output is recorded through a copy of it (see
       * spk_plot_grid_add_probes ()), which must compute the same: not
       * into neurons (their gains are folded in) nor through a transform
       * sampled afresh. */
      return kind == SPK_PLOT_VALUE && !spk_connection_get_post_neurons (connection)
             && (transform == NULL || transform->kind == SPK_DIST_ARRAY)
             && (SPK_IS_ENSEMBLE (spk_connection_get_post (connection))
                 || SPK_IS_NODE (spk_connection_get_post (connection)));
    }
  if (SPK_IS_PROBE (target) || kind == SPK_PLOT_DECODED)
    return FALSE;
  switch (kind)
    {
    case SPK_PLOT_VALUE:
      /* A Node's width may only be known once built (an expression). */
      return SPK_IS_NODE (target) || object_dimensions (target) > 0;
    case SPK_PLOT_XY:
      return object_dimensions (target) >= 2;
    case SPK_PLOT_IMAGE:
      return is_square (object_dimensions (target))
             || (SPK_IS_ENSEMBLE (target) && is_square (spk_ensemble_get_n_neurons (SPK_ENSEMBLE (target))));
    case SPK_PLOT_SPIKES:
    case SPK_PLOT_FILTERED:
    case SPK_PLOT_CURRENT:
    case SPK_PLOT_TUNING:
      return SPK_IS_ENSEMBLE (target);
    case SPK_PLOT_VOLTAGE:
      return SPK_IS_ENSEMBLE (target)
             && spk_ensemble_get_neuron_type (SPK_ENSEMBLE (target)) != NULL
             && spk_neuron_type_find_state (spk_ensemble_get_neuron_type (SPK_ENSEMBLE (target)), "voltage") >= 0;
    case SPK_PLOT_N_KINDS:
    default:
      return FALSE;
    }
}

gboolean
spk_plot_view_get_probe_spec (SpkPlotView  *self,
                              const char  **attr,
                              gboolean     *neurons)
{
  g_return_val_if_fail (SPK_IS_PLOT_VIEW (self), FALSE);

  switch (self->kind)
    {
    case SPK_PLOT_VALUE:
    case SPK_PLOT_XY:
      *attr = NULL;
      *neurons = FALSE;
      return TRUE;
    case SPK_PLOT_IMAGE:
      /* An image of neurons when they make a square, else of the value. */
      *attr = NULL;
      *neurons = FALSE;
      return TRUE;
    case SPK_PLOT_SPIKES:
    case SPK_PLOT_FILTERED:
      *attr = "output";
      *neurons = TRUE;
      return TRUE;
    case SPK_PLOT_VOLTAGE:
      *attr = "voltage";
      *neurons = TRUE;
      return TRUE;
    case SPK_PLOT_CURRENT:
      *attr = "input";
      *neurons = TRUE;
      return TRUE;
    case SPK_PLOT_TUNING:
    case SPK_PLOT_DECODED:
    case SPK_PLOT_N_KINDS:
    default:
      return FALSE;
    }
}

/* }}} */
/* {{{ Colours */

static void
ensure_style (void)
{
  static gboolean done = FALSE;
  g_autoptr (GtkCssProvider) provider = NULL;
  GdkDisplay *display = gdk_display_get_default ();

  if (done || display == NULL)
    return;
  done = TRUE;
  _spk_plots_register_resource ();
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/org/spikeworks/Spikeworks/plots/spk-plots.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
lookup (GtkStyleContext *context,
        const char      *name,
        GdkRGBA         *color,
        const char      *fallback)
{
  if (!gtk_style_context_lookup_color (context, name, color))
    gdk_rgba_parse (color, fallback);
}

void
_spk_plot_view_refresh_colors (SpkPlotView *self)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  for (guint i = 0; i < N_COLORS; i++)
    {
      char name[32];

      g_snprintf (name, sizeof name, "spk_plot_color_%u", i);
      lookup (context, name, &self->colors[i], "#3584e4");
    }
  lookup (context, "spk_plot_spike", &self->spike_color, "#3584e4");
  lookup (context, "spk_plot_image_low", &self->image_low, "#000000");
  lookup (context, "spk_plot_image_high", &self->image_high, "#ffffff");
  lookup (context, "spk_plot_background", &self->background, "#ffffff");
  gtk_style_context_get_color (context, &self->fg);
}

/* }}} */
/* {{{ Widget */

static void
spk_plot_view_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  SpkPlotView *self = SPK_PLOT_VIEW (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (self->geometry == NULL || width <= 0 || height <= 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  _spk_plot_view_draw (self, cr, self->geometry);
  cairo_destroy (cr);
}

void
spk_plot_view_prepare_now (SpkPlotView *self)
{
  g_return_if_fail (SPK_IS_PLOT_VIEW (self));

  _spk_plot_view_geometry_free (self->geometry);
  self->geometry = _spk_plot_view_prepare (self, MAX (gtk_widget_get_width (GTK_WIDGET (self)), 1),
                            MAX (gtk_widget_get_height (GTK_WIDGET (self)), 1));
  self->dirty = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
prepare_tick_cb (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       data)
{
  SpkPlotView *self = SPK_PLOT_VIEW (widget);

  self->tick_id = 0;
  if (self->dirty)
    spk_plot_view_prepare_now (self);
  return G_SOURCE_REMOVE;
}

/* Marks the geometry stale; it is prepared before the next frame. */
void
_spk_plot_view_invalidate (SpkPlotView *self)
{
  self->dirty = TRUE;
  if (self->tick_id == 0 && gtk_widget_get_realized (GTK_WIDGET (self)))
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), prepare_tick_cb, NULL, NULL);
}

static void
spk_plot_view_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  SpkPlotView *self = SPK_PLOT_VIEW (widget);

  if (self->geometry == NULL || self->geometry->width != width || self->geometry->height != height)
    _spk_plot_view_invalidate (self);
}

static void
spk_plot_view_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (spk_plot_view_parent_class)->realize (widget);
  _spk_plot_view_invalidate (SPK_PLOT_VIEW (widget));
}

static void
spk_plot_view_unrealize (GtkWidget *widget)
{
  SpkPlotView *self = SPK_PLOT_VIEW (widget);

  if (self->tick_id != 0)
    gtk_widget_remove_tick_callback (widget, self->tick_id);
  self->tick_id = 0;
  GTK_WIDGET_CLASS (spk_plot_view_parent_class)->unrealize (widget);
}

static void
spk_plot_view_css_changed_cb (SpkPlotView *self)
{
  _spk_plot_view_invalidate (self);
}

static void
spk_plot_view_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  double scale = SPK_PLOT_VIEW (widget)->scale;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* Narrow enough for three columns beside a side panel and the
       * sliders in presentation mode: a paned clips what is wider. */
      *minimum = (int) (170 * scale);
      *natural = (int) (480 * scale);
    }
  else
    {
      *minimum = (int) (160 * scale);
      *natural = (int) (220 * scale);
    }
}

/* }}} */
/* {{{ Data */

void
spk_plot_view_set_plan (SpkPlotView *self,
                        SpkPlan     *plan)
{
  guint n, d;
  double radius;
  const double *gain, *bias, *encoders;

  g_return_if_fail (SPK_IS_PLOT_VIEW (self));

  if (plan == self->plan)
    return;
  g_clear_pointer (&self->plan, spk_plan_unref);
  g_clear_pointer (&self->encoders, g_free);
  g_clear_pointer (&self->tuning, g_free);
  g_clear_pointer (&self->tuning_x, g_free);
  self->n_encoders = self->tuning_n = 0;
  _spk_plot_view_forget_decoded (self);
  if (plan == NULL)
    {
      _spk_plot_view_invalidate (self);
      return;
    }
  self->plan = spk_plan_ref (plan);
  self->dt = spk_plan_get_dt (plan);
  if (self->kind == SPK_PLOT_DECODED && self->connection != NULL)
    _spk_plot_view_compute_decoded (self, plan);
  if (spk_plan_get_ensemble (plan, self->target, &n, &d, &radius, &gain, &bias, &encoders))
    {
      self->n_encoders = n;
      self->encoders = g_new (double, MAX (n, 1));
      for (guint k = 0; k < n; k++)
        self->encoders[k] = encoders[(gsize) k * d];
      if (self->kind == SPK_PLOT_TUNING)
        _spk_plot_view_compute_tuning (self, plan);
    }
  _spk_plot_view_invalidate (self);
}

/* The Lowpass(tau) output of rows from..end, discretised as the
 * simulator's synapses are (spk_analysis_lowpass()), continuing from the
 * filter's state after row from − 1. */
static gboolean
same_filter (const SpkDiscreteFilter *a,
             const SpkDiscreteFilter *b)
{
  guint k = a->order;

  return a->order == b->order && a->D == b->D
         && memcmp (a->A, b->A, k * k * sizeof (double)) == 0
         && memcmp (a->B, b->B, k * sizeof (double)) == 0
         && memcmp (a->C, b->C, k * sizeof (double)) == 0;
}

static void
refilter (SpkPlotView *self,
          guint        from)
{
  SpkDiscreteFilter filter;
  const float *in = (const float *) (gpointer) self->values->data;
  float *out;

  if (!spk_analysis_lowpass (self->tau, self->dt, &filter, NULL))
    filter = (SpkDiscreteFilter) { .order = 0, .D = 1.0 };
  g_array_set_size (self->filtered, (gsize) self->times->len * self->width);
  out = (float *) (gpointer) self->filtered->data;
  /* A new tau or dt refilters the whole record. */
  if (from == 0 || self->filter_state == NULL || !same_filter (&filter, &self->filter))
    {
      self->filter = filter;
      g_free (self->filter_state);
      self->filter_state = g_new0 (double, (gsize) SPK_FILTER_MAX_ORDER * MAX (self->width, 1));
      from = 0;
    }
  spk_analysis_filter_rows (&filter, in + (gsize) from * self->width, out + (gsize) from * self->width,
                            self->times->len - from, self->width, self->filter_state);
}

void
spk_plot_view_append (SpkPlotView  *self,
                      const double *times,
                      const double *values,
                      guint         n,
                      guint         width)
{
  guint start;

  g_return_if_fail (SPK_IS_PLOT_VIEW (self));

  if (n == 0)
    return;
  if (width != self->width)
    {
      spk_plot_view_clear (self);
      self->width = width;
      g_free (self->spike_counts);
      self->spike_counts = g_new0 (double, MAX (width, 1));
    }
  start = self->times->len;
  g_array_append_vals (self->times, times, n);
  if (self->kind == SPK_PLOT_SPIKES)
    {
      for (guint i = 0; i < n; i++)
        {
          const double *sample = values + (gsize) i * width;

          for (guint k = 0; k < width; k++)
            if (sample[k] != 0)
              {
                guint32 neuron = k;
                float value = sample[k];

                g_array_append_val (self->spike_neuron, neuron);
                g_array_append_val (self->spike_value, value);
                self->spike_counts[k] += 1;
              }
          g_array_append_val (self->spike_start, self->spike_neuron->len);
        }
      self->end_time = times[n - 1];
      _spk_plot_view_invalidate (self);
      return;
    }
  g_array_set_size (self->values, (gsize) self->times->len * width);
  {
    float *out = (float *) (gpointer) self->values->data + (gsize) start * width;

    for (gsize k = 0; k < (gsize) n * width; k++)
      out[k] = values[k];
  }
  if (self->kind == SPK_PLOT_FILTERED)
    for (guint i = 0; i < n; i++)
      for (guint k = 0; k < width; k++)
        if (values[(gsize) i * width + k] != 0)
          self->spike_counts[k] += 1;
  if (self->kind == SPK_PLOT_FILTERED)
    refilter (self, start);
  self->end_time = times[n - 1];
  _spk_plot_view_invalidate (self);
}

void
spk_plot_view_append_sparse (SpkPlotView   *self,
                             const double  *times,
                             const guint32 *counts,
                             const guint32 *index,
                             const double  *values,
                             guint          n,
                             guint          width)
{
  gsize total = 0, first;

  g_return_if_fail (SPK_IS_PLOT_VIEW (self));

  if (n == 0)
    return;
  if (self->kind != SPK_PLOT_SPIKES)
    {
      /* Only a raster keeps its samples sparse. */
      g_autofree double *dense = g_new0 (double, (gsize) n * width);

      for (guint i = 0; i < n; i++)
        for (guint32 j = 0; j < counts[i]; j++, total++)
          dense[(gsize) i * width + index[total]] = values[total];
      spk_plot_view_append (self, times, dense, n, width);
      return;
    }
  if (width != self->width)
    {
      spk_plot_view_clear (self);
      self->width = width;
      g_free (self->spike_counts);
      self->spike_counts = g_new0 (double, MAX (width, 1));
    }
  g_array_append_vals (self->times, times, n);
  for (guint i = 0; i < n; i++)
    total += counts[i];
  first = self->spike_neuron->len;
  g_array_append_vals (self->spike_neuron, index, total);
  g_array_set_size (self->spike_value, first + total);
  {
    float *out = &g_array_index (self->spike_value, float, first);

    for (gsize k = 0; k < total; k++)
      {
        out[k] = values[k];
        self->spike_counts[index[k]] += 1;
      }
  }
  for (guint i = 0; i < n; i++)
    {
      guint32 end = (guint32) (first += counts[i]);

      g_array_append_val (self->spike_start, end);
    }
  self->end_time = times[n - 1];
  _spk_plot_view_invalidate (self);
}

void
spk_plot_view_clear (SpkPlotView *self)
{
  g_return_if_fail (SPK_IS_PLOT_VIEW (self));

  g_array_set_size (self->times, 0);
  g_array_set_size (self->values, 0);
  g_array_set_size (self->filtered, 0);
  g_array_set_size (self->spike_start, 1);
  g_array_set_size (self->spike_neuron, 0);
  g_array_set_size (self->spike_value, 0);
  if (self->spike_counts != NULL)
    memset (self->spike_counts, 0, self->width * sizeof (double));
  self->end_time = 0;
  _spk_plot_view_invalidate (self);
}

guint
spk_plot_view_get_n_samples (SpkPlotView *self)
{
  g_return_val_if_fail (SPK_IS_PLOT_VIEW (self), 0);
  return self->times->len;
}

guint
spk_plot_view_get_width (SpkPlotView *self)
{
  g_return_val_if_fail (SPK_IS_PLOT_VIEW (self), 0);
  return self->width;
}

double
spk_plot_view_get_value (SpkPlotView *self,
                         guint        sample,
                         guint        k)
{
  g_return_val_if_fail (SPK_IS_PLOT_VIEW (self), NAN);
  g_return_val_if_fail (sample < self->times->len && k < self->width, NAN);
  if (self->kind == SPK_PLOT_SPIKES)
    {
      for (guint32 s = g_array_index (self->spike_start, guint32, sample);
           s < g_array_index (self->spike_start, guint32, sample + 1); s++)
        if (g_array_index (self->spike_neuron, guint32, s) == k)
          return g_array_index (self->spike_value, float, s);
      return 0.0;
    }
  return g_array_index (self->values, float, (gsize) sample * self->width + k);
}

void
spk_plot_view_set_end_time (SpkPlotView *self,
                            double       end_time)
{
  g_return_if_fail (SPK_IS_PLOT_VIEW (self));

  if (self->end_time == end_time)
    return;
  self->end_time = end_time;
  _spk_plot_view_invalidate (self);
}

double
spk_plot_view_get_last_time (SpkPlotView *self)
{
  g_return_val_if_fail (SPK_IS_PLOT_VIEW (self), 0);
  return self->times->len > 0 ? g_array_index (self->times, double, self->times->len - 1) : 0;
}

/* }}} */
/* {{{ Set-up */

GVariant *
spk_plot_view_serialize (SpkPlotView *self)
{
  GVariantBuilder b;

  g_return_val_if_fail (SPK_IS_PLOT_VIEW (self), NULL);

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&b, "{sv}", "kind", g_variant_new_string (kind_names[self->kind]));
  g_variant_builder_add (&b, "{sv}", "target", g_variant_new_string (self->target));
  if (self->title != NULL)
    g_variant_builder_add (&b, "{sv}", "title", g_variant_new_string (self->title));
  g_variant_builder_add (&b, "{sv}", "window", g_variant_new_double (self->window));
  g_variant_builder_add (&b, "{sv}", "autoscale", g_variant_new_boolean (self->autoscale));
  g_variant_builder_add (&b, "{sv}", "y-min", g_variant_new_double (self->y_min));
  g_variant_builder_add (&b, "{sv}", "y-max", g_variant_new_double (self->y_max));
  g_variant_builder_add (&b, "{sv}", "tau", g_variant_new_double (self->tau));
  g_variant_builder_add (&b, "{sv}", "first-neuron", g_variant_new_uint32 (self->first_neuron));
  g_variant_builder_add (&b, "{sv}", "max-neurons", g_variant_new_uint32 (self->max_neurons));
  g_variant_builder_add (&b, "{sv}", "order", g_variant_new_uint32 (self->order));
  return g_variant_builder_end (&b);
}

GtkWidget *
spk_plot_view_new_from_variant (GVariant *value)
{
  g_auto (GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);
  const char *kind_name = NULL, *target = NULL, *title = NULL;
  SpkPlotKind kind;
  SpkPlotView *self;
  double d;
  gboolean b;
  guint32 u, first = 0, max = 0, order = 0;

  if (value == NULL || !g_variant_is_of_type (value, G_VARIANT_TYPE_VARDICT))
    return NULL;
  g_variant_dict_init (&dict, value);
  if (!g_variant_dict_lookup (&dict, "kind", "&s", &kind_name)
      || !g_variant_dict_lookup (&dict, "target", "&s", &target)
      || !spk_plot_kind_from_name (kind_name, &kind))
    return NULL;
  self = SPK_PLOT_VIEW (spk_plot_view_new (kind, target));
  if (g_variant_dict_lookup (&dict, "title", "&s", &title))
    spk_plot_view_set_title (self, title);
  if (g_variant_dict_lookup (&dict, "window", "d", &d))
    spk_plot_view_set_window (self, d);
  if (g_variant_dict_lookup (&dict, "autoscale", "b", &b))
    spk_plot_view_set_autoscale (self, b);
  {
    double lo = self->y_min, hi = self->y_max;

    g_variant_dict_lookup (&dict, "y-min", "d", &lo);
    g_variant_dict_lookup (&dict, "y-max", "d", &hi);
    spk_plot_view_set_y_range (self, lo, hi);
  }
  if (g_variant_dict_lookup (&dict, "tau", "d", &d))
    spk_plot_view_set_tau (self, d);
  g_variant_dict_lookup (&dict, "first-neuron", "u", &first);
  g_variant_dict_lookup (&dict, "max-neurons", "u", &max);
  if (g_variant_dict_lookup (&dict, "order", "u", &u))
    order = MIN (u, (guint32) SPK_PLOT_ORDER_RATE);
  spk_plot_view_set_neurons (self, first, max, order);
  return GTK_WIDGET (self);
}

/* }}} */
/* {{{ Properties */

SpkPlotKind
spk_plot_view_get_kind (SpkPlotView *self)
{
  g_return_val_if_fail (SPK_IS_PLOT_VIEW (self), SPK_PLOT_VALUE);
  return self->kind;
}

const char *
spk_plot_view_get_target (SpkPlotView *self)
{
  g_return_val_if_fail (SPK_IS_PLOT_VIEW (self), NULL);
  return self->target;
}

void
spk_plot_view_set_target (SpkPlotView *self,
                          const char  *target)
{
  g_return_if_fail (SPK_IS_PLOT_VIEW (self));
  g_return_if_fail (target != NULL);

  if (g_strcmp0 (self->target, target) == 0)
    return;
  g_free (self->target);
  self->target = g_strdup (target);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TARGET]);
}

void
spk_plot_view_set_scale (SpkPlotView *self,
                         double       scale)
{
  g_return_if_fail (SPK_IS_PLOT_VIEW (self));
  g_return_if_fail (scale > 0);

  if (self->scale == scale)
    return;
  self->scale = scale;
  /* Text follows the window's font size through CSS; the rest here. */
  gtk_widget_queue_resize (GTK_WIDGET (self));
  _spk_plot_view_invalidate (self);
}

double
spk_plot_view_get_scale (SpkPlotView *self)
{
  g_return_val_if_fail (SPK_IS_PLOT_VIEW (self), 1.0);
  return self->scale;
}

double
spk_plot_view_get_time (SpkPlotView *self,
                        guint        sample)
{
  g_return_val_if_fail (SPK_IS_PLOT_VIEW (self), NAN);
  g_return_val_if_fail (sample < self->times->len, NAN);
  return g_array_index (self->times, double, sample);
}

const char *
spk_plot_view_get_title (SpkPlotView *self)
{
  g_return_val_if_fail (SPK_IS_PLOT_VIEW (self), NULL);
  return self->title;
}

void
spk_plot_view_set_title (SpkPlotView *self,
                         const char  *title)
{
  g_return_if_fail (SPK_IS_PLOT_VIEW (self));

  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

double
spk_plot_view_get_window (SpkPlotView *self)
{
  g_return_val_if_fail (SPK_IS_PLOT_VIEW (self), 0);
  return self->window;
}

void
spk_plot_view_set_window (SpkPlotView *self,
                          double       window)
{
  g_return_if_fail (SPK_IS_PLOT_VIEW (self));

  window = CLAMP (window, 0.01, 3600);
  if (self->window == window)
    return;
  self->window = window;
  _spk_plot_view_invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW]);
}

gboolean
spk_plot_view_get_autoscale (SpkPlotView *self)
{
  g_return_val_if_fail (SPK_IS_PLOT_VIEW (self), FALSE);
  return self->autoscale;
}

void
spk_plot_view_set_autoscale (SpkPlotView *self,
                             gboolean     autoscale)
{
  g_return_if_fail (SPK_IS_PLOT_VIEW (self));

  autoscale = !!autoscale;
  if (self->autoscale == autoscale)
    return;
  self->autoscale = autoscale;
  _spk_plot_view_invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTOSCALE]);
}

void
spk_plot_view_set_y_range (SpkPlotView *self,
                           double       y_min,
                           double       y_max)
{
  g_return_if_fail (SPK_IS_PLOT_VIEW (self));

  if (!(y_max > y_min) || !isfinite (y_min) || !isfinite (y_max))
    return;
  if (self->y_min != y_min)
    {
      self->y_min = y_min;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_Y_MIN]);
    }
  if (self->y_max != y_max)
    {
      self->y_max = y_max;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_Y_MAX]);
    }
  _spk_plot_view_invalidate (self);
}

double
spk_plot_view_get_tau (SpkPlotView *self)
{
  g_return_val_if_fail (SPK_IS_PLOT_VIEW (self), 0);
  return self->tau;
}

void
spk_plot_view_set_tau (SpkPlotView *self,
                       double       tau)
{
  g_return_if_fail (SPK_IS_PLOT_VIEW (self));

  tau = CLAMP (tau, 0.0, 10.0);
  if (self->tau == tau)
    return;
  self->tau = tau;
  if (self->kind == SPK_PLOT_FILTERED)
    refilter (self, 0);
  _spk_plot_view_invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAU]);
}

void
spk_plot_view_set_neurons (SpkPlotView  *self,
                           guint         first,
                           guint         max_neurons,
                           SpkPlotOrder  order)
{
  g_return_if_fail (SPK_IS_PLOT_VIEW (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->first_neuron != first)
    {
      self->first_neuron = first;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_NEURON]);
    }
  if (self->max_neurons != max_neurons)
    {
      self->max_neurons = max_neurons;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_NEURONS]);
    }
  if (self->order != order)
    {
      self->order = order;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORDER]);
    }
  g_object_thaw_notify (G_OBJECT (self));
  _spk_plot_view_invalidate (self);
}

guint
spk_plot_view_get_first_neuron (SpkPlotView *self)
{
  g_return_val_if_fail (SPK_IS_PLOT_VIEW (self), 0);
  return self->first_neuron;
}

guint
spk_plot_view_get_max_neurons (SpkPlotView *self)
{
  g_return_val_if_fail (SPK_IS_PLOT_VIEW (self), 0);
  return self->max_neurons;
}

SpkPlotOrder
spk_plot_view_get_order (SpkPlotView *self)
{
  g_return_val_if_fail (SPK_IS_PLOT_VIEW (self), SPK_PLOT_ORDER_INDEX);
  return self->order;
}

static void
spk_plot_view_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SpkPlotView *self = SPK_PLOT_VIEW (object);

  switch (prop_id)
    {
    case PROP_KIND: g_value_set_int (value, self->kind); break;
    case PROP_TARGET: g_value_set_string (value, self->target); break;
    case PROP_TITLE: g_value_set_string (value, self->title); break;
    case PROP_WINDOW: g_value_set_double (value, self->window); break;
    case PROP_AUTOSCALE: g_value_set_boolean (value, self->autoscale); break;
    case PROP_Y_MIN: g_value_set_double (value, self->y_min); break;
    case PROP_Y_MAX: g_value_set_double (value, self->y_max); break;
    case PROP_TAU: g_value_set_double (value, self->tau); break;
    case PROP_FIRST_NEURON: g_value_set_uint (value, self->first_neuron); break;
    case PROP_MAX_NEURONS: g_value_set_uint (value, self->max_neurons); break;
    case PROP_ORDER: g_value_set_uint (value, self->order); break;
    case PROP_IMAGE_WIDTH: g_value_set_uint (value, self->image_width); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
spk_plot_view_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SpkPlotView *self = SPK_PLOT_VIEW (object);

  switch (prop_id)
    {
    case PROP_KIND: self->kind = g_value_get_int (value); break;
    case PROP_TARGET: self->target = g_value_dup_string (value); break;
    case PROP_TITLE: spk_plot_view_set_title (self, g_value_get_string (value)); break;
    case PROP_WINDOW: spk_plot_view_set_window (self, g_value_get_double (value)); break;
    case PROP_AUTOSCALE: spk_plot_view_set_autoscale (self, g_value_get_boolean (value)); break;
    case PROP_Y_MIN: spk_plot_view_set_y_range (self, g_value_get_double (value), self->y_max); break;
    case PROP_Y_MAX: spk_plot_view_set_y_range (self, self->y_min, g_value_get_double (value)); break;
    case PROP_TAU: spk_plot_view_set_tau (self, g_value_get_double (value)); break;
    case PROP_FIRST_NEURON:
      spk_plot_view_set_neurons (self, g_value_get_uint (value), self->max_neurons, self->order);
      break;
    case PROP_MAX_NEURONS:
      spk_plot_view_set_neurons (self, self->first_neuron, g_value_get_uint (value), self->order);
      break;
    case PROP_ORDER:
      spk_plot_view_set_neurons (self, self->first_neuron, self->max_neurons,
                                 MIN (g_value_get_uint (value), SPK_PLOT_ORDER_RATE));
      break;
    case PROP_IMAGE_WIDTH:
      if (self->image_width != g_value_get_uint (value))
        {
          self->image_width = g_value_get_uint (value);
          _spk_plot_view_invalidate (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
spk_plot_view_dispose (GObject *object)
{
  SpkPlotView *self = SPK_PLOT_VIEW (object);

  g_clear_pointer (&self->geometry, _spk_plot_view_geometry_free);
  g_clear_pointer (&self->plan, spk_plan_unref);
  g_clear_object (&self->connection);
  G_OBJECT_CLASS (spk_plot_view_parent_class)->dispose (object);
}

static void
spk_plot_view_finalize (GObject *object)
{
  SpkPlotView *self = SPK_PLOT_VIEW (object);

  g_free (self->target);
  g_free (self->title);
  g_array_unref (self->times);
  g_array_unref (self->values);
  g_array_unref (self->filtered);
  g_array_unref (self->spike_start);
  g_array_unref (self->spike_neuron);
  g_array_unref (self->spike_value);
  g_free (self->spike_counts);
  g_free (self->encoders);
  g_free (self->tuning);
  g_free (self->tuning_x);
  g_free (self->filter_state);
  _spk_plot_view_forget_decoded (self);
  G_OBJECT_CLASS (spk_plot_view_parent_class)->finalize (object);
}

static void
spk_plot_view_class_init (SpkPlotViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = spk_plot_view_get_property;
  object_class->set_property = spk_plot_view_set_property;
  object_class->dispose = spk_plot_view_dispose;
  object_class->finalize = spk_plot_view_finalize;
  widget_class->snapshot = spk_plot_view_snapshot;
  widget_class->size_allocate = spk_plot_view_size_allocate;
  widget_class->measure = spk_plot_view_measure;
  widget_class->realize = spk_plot_view_realize;
  widget_class->unrealize = spk_plot_view_unrealize;
  widget_class->query_tooltip = _spk_plot_view_query_tooltip;

  properties[PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL, 0, SPK_PLOT_N_KINDS - 1, 0,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TARGET] =
    g_param_spec_string ("target", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, rw);
  properties[PROP_WINDOW] = g_param_spec_double ("window", NULL, NULL, 0.01, 3600, 1.0, rw);
  properties[PROP_AUTOSCALE] = g_param_spec_boolean ("autoscale", NULL, NULL, TRUE, rw);
  properties[PROP_Y_MIN] = g_param_spec_double ("y-min", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, -1, rw);
  properties[PROP_Y_MAX] = g_param_spec_double ("y-max", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 1, rw);
  properties[PROP_TAU] = g_param_spec_double ("tau", NULL, NULL, 0, 10, 0.02, rw);
  properties[PROP_FIRST_NEURON] = g_param_spec_uint ("first-neuron", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[PROP_MAX_NEURONS] = g_param_spec_uint ("max-neurons", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[PROP_ORDER] = g_param_spec_uint ("order", NULL, NULL, 0, SPK_PLOT_ORDER_RATE, 0, rw);
  properties[PROP_IMAGE_WIDTH] = g_param_spec_uint ("image-width", NULL, NULL, 0, 4096, 0, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "plotview");
}

static void
spk_plot_view_init (SpkPlotView *self)
{
  ensure_style ();
  self->window = 1.0;
  self->scale = 1.0;
  self->autoscale = TRUE;
  self->y_min = -1;
  self->y_max = 1;
  self->tau = 0.02;
  self->times = g_array_new (FALSE, FALSE, sizeof (double));
  self->values = g_array_new (FALSE, FALSE, sizeof (float));
  self->filtered = g_array_new (FALSE, FALSE, sizeof (float));
  self->spike_start = g_array_new (FALSE, TRUE, sizeof (guint32));
  g_array_set_size (self->spike_start, 1);
  self->spike_neuron = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->spike_value = g_array_new (FALSE, FALSE, sizeof (float));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (spk_plot_view_css_changed_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
spk_plot_view_new (SpkPlotKind  kind,
                   const char  *target)
{
  g_return_val_if_fail (kind < SPK_PLOT_N_KINDS, NULL);
  g_return_val_if_fail (target != NULL, NULL);

  return g_object_new (SPK_TYPE_PLOT_VIEW, "kind", kind, "target", target, NULL);
}

/* }}} */
