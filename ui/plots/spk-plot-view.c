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
 * Everything here runs on the GTK main thread.
 */
#define G_LOG_DOMAIN "spk-plot-view"

#include "ui/plots/spk-plot-view.h"

#include <adwaita.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "expr/spk-expr.h"
#include "model/spk-network.h"
#include "ui/plots/spk-plots-resources.h"

#define N_COLORS 8
#define MAX_TICKS 12
#define MAX_LEGEND 8
#define TUNING_POINTS 121
#define DECODED_POINTS 201
/* A series drawn in the foreground colour rather than a palette colour. */
#define COLOR_FG G_MAXUINT
/* Points of an XY trail drawn at most; older ones fade out. */
#define XY_MAX_POINTS 1500
#define MARGIN_LEFT 56
#define MARGIN_RIGHT 12
#define MARGIN_TOP 10
#define MARGIN_BOTTOM 26

struct _SpkPlotView
{
  GtkWidget     parent_instance;

  SpkPlotKind   kind;
  char         *target;
  char         *title;
  double        window;
  gboolean      autoscale;
  double        y_min, y_max;
  double        tau;
  guint         first_neuron;
  guint         max_neurons;
  SpkPlotOrder  order;
  guint         image_width;
  double        scale;       /* presentation mode: lines, margins, height */

  /* The record: every sample appended since the last clear. */
  guint         width;
  GArray       *times;       /* double */
  GArray       *values;      /* float, n × width */
  GArray       *filtered;    /* float, n × width: FILTERED only */
  /* SPIKES keeps its record sparse: the spikes of sample i are entries
   * spike_start[i] … spike_start[i + 1] − 1 of spike_neuron and
   * spike_value; values stays empty. */
  GArray       *spike_start;  /* guint32, n + 1 */
  GArray       *spike_neuron; /* guint32 */
  GArray       *spike_value;  /* float */
  double       *spike_counts; /* width: for ordering by rate */
  double        end_time;

  /* From the plan. */
  SpkPlan      *plan;
  double        dt;
  double       *encoders;    /* n_neurons (first component) */
  guint         n_encoders;
  double       *tuning;      /* TUNING_POINTS × n, rates */
  double       *tuning_x;    /* TUNING_POINTS */
  guint         tuning_n;
  /* DECODED: the connection, and its curves (DECODED_POINTS × decoded_dims). */
  SpkConnection *connection;
  double       *decoded_x;
  double       *decoded_target; /* NULL: not shown */
  double       *decoded;
  double       *decoded_rmse;   /* decoded_dims */
  double       *solve_rmse;     /* decoded_dims or NULL: the solve's own */
  guint         decoded_dims;

  /* Colours looked up from CSS when preparing. */
  GdkRGBA       colors[N_COLORS];
  GdkRGBA       spike_color, image_low, image_high, fg, background;

  /* What snapshot draws. */
  struct Geometry *geometry;
  gboolean      dirty;
  guint         tick_id;
};

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

typedef struct
{
  PangoLayout *layout;
  double       x, y;
} Label;

typedef struct Geometry
{
  int              width, height;
  double           ax, ay, aw, ah;      /* the plot area */
  double           scale;               /* of lines and margins (presentation) */
  gboolean         empty;
  PangoLayout     *empty_text;
  /* Lines: n_series × n_cols, pixel y, NAN where a column has no sample. */
  guint            n_series, n_cols;
  float           *xs, *lo, *hi;
  guint           *series_color;       /* a palette index or COLOR_FG */
  gboolean        *series_dashed;      /* NULL: all solid */
  /* XY trail: pixel coordinates, oldest first. */
  guint            n_points;
  float           *px, *py;
  /* Raster or image, drawn scaled into the area. */
  cairo_surface_t *surface;
  /* Axes: tick positions in pixels and their labels. */
  guint            n_x_ticks, n_y_ticks;
  Label            x_ticks[MAX_TICKS], y_ticks[MAX_TICKS];
  double           zero_y;             /* pixel y of value 0, or NAN */
  guint            n_legend;
  Label            legend[MAX_LEGEND];
  guint            legend_color[MAX_LEGEND];
  gboolean         legend_dashed[MAX_LEGEND];
  PangoLayout     *corner;             /* e.g. the RMSE or "neurons 0–99" */
} Geometry;

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

static gboolean
is_neuron_kind (SpkPlotKind kind)
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
    return MAX (spk_node_get_size_out (SPK_NODE (target)), 0);
  return 0;
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

static void
refresh_colors (SpkPlotView *self)
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
/* {{{ Geometry */

static void
geometry_free (Geometry *g)
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
static guint
sample_at (SpkPlotView *self,
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

static void
time_range (SpkPlotView *self,
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

static PangoLayout *
make_layout (SpkPlotView *self,
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

static void
add_y_ticks (SpkPlotView *self,
             Geometry    *g,
             double       lo,
             double       hi,
             const char  *unit)
{
  double step = nice_step (hi - lo, MAX (2, (guint) (g->ah / 40)));

  for (double v = ceil (lo / step) * step; v <= hi + step * 1e-9 && g->n_y_ticks < MAX_TICKS; v += step)
    {
      char text[64];
      Label *label = &g->y_ticks[g->n_y_ticks++];

      format_number (text, sizeof text, v, step);
      if (unit != NULL && g->n_y_ticks == 1)
        g_strlcat (text, unit, sizeof text);
      label->layout = make_layout (self, text);
      label->x = g->ax;
      label->y = g->ay + g->ah - (v - lo) / (hi - lo) * g->ah;
    }
}

static void
add_x_ticks (SpkPlotView *self,
             Geometry    *g,
             double       lo,
             double       hi,
             gboolean     seconds)
{
  double step = nice_step (hi - lo, MAX (2, (guint) (g->aw / 90)));

  for (double v = ceil (lo / step) * step; v <= hi + step * 1e-9 && g->n_x_ticks < MAX_TICKS; v += step)
    {
      char text[64];
      Label *label = &g->x_ticks[g->n_x_ticks++];

      format_number (text, sizeof text, v, step);
      if (seconds)
        g_strlcat (text, " s", sizeof text);
      label->layout = make_layout (self, text);
      label->x = g->ax + (v - lo) / (hi - lo) * g->aw;
      label->y = g->ay + g->ah;
    }
}

/* The neurons shown, in display order: indices into a sample. */
static guint *
shown_neurons (SpkPlotView *self,
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

  time_range (self, &t0, &t1);
  /* One sample either side, so lines run to the edges. */
  i0 = sample_at (self, t0);
  i0 = i0 > 0 ? i0 - 1 : 0;
  i1 = MIN (sample_at (self, t1) + 1, self->times->len);
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
  add_y_ticks (self, g, lo, hi, NULL);
  add_x_ticks (self, g, t0, t1, TRUE);
}

static guint32
pack (const GdkRGBA *c,
      double         alpha)
{
  double a = c->alpha * alpha;

  /* Cairo's ARGB32 is premultiplied, native-endian. */
  return ((guint32) (a * 255 + 0.5) << 24)
         | ((guint32) (c->red * a * 255 + 0.5) << 16)
         | ((guint32) (c->green * a * 255 + 0.5) << 8)
         | (guint32) (c->blue * a * 255 + 0.5);
}

static void
prepare_raster (SpkPlotView *self,
                Geometry    *g)
{
  double t0, t1;
  guint n_shown, cols = MAX ((guint) g->aw, 2), rows;
  g_autofree guint *shown = shown_neurons (self, self->width, G_MAXUINT, &n_shown);
  g_autofree guint *row_of = NULL;
  const double *times = (const double *) (gpointer) self->times->data;
  const guint32 *start = (const guint32 *) (gpointer) self->spike_start->data;
  const guint32 *neuron = (const guint32 *) (gpointer) self->spike_neuron->data;
  guint32 *pixels, color = pack (&self->spike_color, 1.0);
  int stride;
  guint i0, i1;

  time_range (self, &t0, &t1);
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
  i0 = sample_at (self, t0);
  i1 = sample_at (self, t1 + 1e-12);
  for (guint i = i0; i < i1; i++)
    {
      guint c = (guint) CLAMP ((times[i] - t0) / (t1 - t0) * cols, 0, cols - 1);

      for (guint32 s = start[i]; s < start[i + 1]; s++)
        if (row_of[neuron[s]] != G_MAXUINT)
          pixels[(gsize) row_of[neuron[s]] * stride + c] = color;
    }
  cairo_surface_mark_dirty (g->surface);
  add_x_ticks (self, g, t0, t1, TRUE);
  /* Neuron numbers along the left: the first and the last shown. */
  if (n_shown > 0)
    {
      char text[32];

      g_snprintf (text, sizeof text, "%u", shown[0]);
      g->y_ticks[0].layout = make_layout (self, text);
      g->y_ticks[0].x = g->ax;
      g->y_ticks[0].y = g->ay + g->ah / rows * 0.5;
      g_snprintf (text, sizeof text, "%u", shown[n_shown - 1]);
      g->y_ticks[1].layout = make_layout (self, text);
      g->y_ticks[1].x = g->ax;
      g->y_ticks[1].y = g->ay + g->ah - g->ah / rows * 0.5;
      g->n_y_ticks = 2;
    }
  {
    /* Translators: the raster's corner label, e.g. "100 neurons" */
    g_autofree char *text = g_strdup_printf (g_dngettext (NULL, "%u neuron", "%u neurons", n_shown), n_shown);

    g->corner = make_layout (self, text);
  }
}

static void
prepare_image (SpkPlotView *self,
               Geometry    *g)
{
  guint n = self->width, w, h;
  guint i = sample_at (self, self->end_time + 1e-12);
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

      pixels[(k / w) * stride + k % w] = pack (&c, 1.0);
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
    g->corner = make_layout (self, text);
  }
}

static void
prepare_xy (SpkPlotView *self,
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
  time_range (self, &t0, &t1);
  i1 = sample_at (self, self->end_time + 1e-12);
  i0 = sample_at (self, self->end_time - self->window);
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
  add_y_ticks (self, g, lo, hi, NULL);
  add_x_ticks (self, g, lo, hi, FALSE);
}

static void
prepare_tuning (SpkPlotView *self,
                Geometry    *g)
{
  guint n_shown;
  g_autofree guint *shown = NULL;
  double top = 1;
  double xlo, xhi;

  if (self->tuning == NULL)
    {
      g->empty = TRUE;
      return;
    }
  shown = shown_neurons (self, self->tuning_n, 200, &n_shown);
  for (guint s = 0; s < n_shown; s++)
    for (guint p = 0; p < TUNING_POINTS; p++)
      top = MAX (top, self->tuning[(gsize) p * self->tuning_n + shown[s]]);
  top *= 1.05;
  xlo = self->tuning_x[0];
  xhi = self->tuning_x[TUNING_POINTS - 1];
  g->n_series = n_shown;
  g->n_cols = TUNING_POINTS;
  g->xs = g_new (float, TUNING_POINTS);
  g->lo = g_new (float, (gsize) n_shown * TUNING_POINTS);
  g->hi = g_new (float, (gsize) n_shown * TUNING_POINTS);
  g->series_color = g_new (guint, MAX (n_shown, 1));
  for (guint p = 0; p < TUNING_POINTS; p++)
    g->xs[p] = g->ax + (self->tuning_x[p] - xlo) / (xhi - xlo) * g->aw;
  for (guint s = 0; s < n_shown; s++)
    {
      g->series_color[s] = shown[s] % N_COLORS;
      for (guint p = 0; p < TUNING_POINTS; p++)
        {
          double r = self->tuning[(gsize) p * self->tuning_n + shown[s]];
          float y = g->ay + g->ah - r / top * g->ah;

          g->lo[(gsize) s * TUNING_POINTS + p] = y;
          g->hi[(gsize) s * TUNING_POINTS + p] = y;
        }
    }
  g->zero_y = NAN;
  add_y_ticks (self, g, 0, top, " Hz");
  add_x_ticks (self, g, xlo, xhi, FALSE);
}

/* Target (dashed) and decoded value (solid) per output dimension against
 * x: two series per dimension at the sweep points. */
static void
prepare_decoded (SpkPlotView *self,
                 Geometry    *g)
{
  guint n_dims = self->decoded_dims;
  double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;
  double xlo, xhi;
  g_autoptr (GString) corner = g_string_new (NULL);

  if (self->decoded == NULL)
    {
      g->empty = TRUE;
      return;
    }
  for (gsize k = 0; k < (gsize) DECODED_POINTS * n_dims; k++)
    {
      lo = MIN (lo, self->decoded[k]);
      hi = MAX (hi, self->decoded[k]);
      if (self->decoded_target != NULL)
        {
          lo = MIN (lo, self->decoded_target[k]);
          hi = MAX (hi, self->decoded_target[k]);
        }
    }
  if (!self->autoscale)
    {
      lo = self->y_min;
      hi = self->y_max;
    }
  else if (!(lo <= hi))
    {
      lo = -1;
      hi = 1;
    }
  else
    {
      double pad = MAX ((hi - lo) * 0.08, 1e-3);

      lo -= pad;
      hi += pad;
    }
  if (hi - lo < 1e-9)
    hi = lo + 1;
  xlo = self->decoded_x[0];
  xhi = self->decoded_x[DECODED_POINTS - 1];

  g->n_series = 2 * n_dims;
  g->n_cols = DECODED_POINTS;
  g->xs = g_new (float, DECODED_POINTS);
  g->lo = g_new (float, (gsize) g->n_series * DECODED_POINTS);
  g->hi = g_new (float, (gsize) g->n_series * DECODED_POINTS);
  g->series_color = g_new (guint, g->n_series);
  g->series_dashed = g_new (gboolean, g->n_series);
  for (guint p = 0; p < DECODED_POINTS; p++)
    g->xs[p] = g->ax + (self->decoded_x[p] - xlo) / (xhi - xlo) * g->aw;
  /* The decoded value first, so that the dashed target shows on top. */
  for (guint r = 0; r < n_dims; r++)
    for (guint which = 0; which < 2; which++)
      {
        guint s = r * 2 + which;
        const double *src = which == 0 ? self->decoded : self->decoded_target;

        /* One dimension: the target in the foreground colour reads as
         * "the reference"; several: each dimension keeps its colour. */
        g->series_color[s] = which == 1 && n_dims == 1 ? COLOR_FG : r % N_COLORS;
        g->series_dashed[s] = which == 1;
        for (guint p = 0; p < DECODED_POINTS; p++)
          {
            float y = src == NULL ? NAN
                      : g->ay + g->ah - (src[(gsize) p * n_dims + r] - lo) / (hi - lo) * g->ah;

            g->lo[(gsize) s * DECODED_POINTS + p] = y;
            g->hi[(gsize) s * DECODED_POINTS + p] = y;
          }
      }
  for (guint r = 0; r < n_dims && g->n_legend + 2 <= MAX_LEGEND; r++)
    for (guint which = 0; which < 2; which++)
      {
        g_autofree char *text = NULL;

        if (which == 1 && self->decoded_target == NULL)
          continue;
        if (n_dims == 1)
          text = g_strdup (which == 0 ? _("decoded") : _("target"));
        else
          /* Translators: a legend entry of the decoded-function plot; %u is an output dimension */
          text = g_strdup_printf (which == 0 ? _("decoded [%u]") : _("target [%u]"), r);
        g->legend[g->n_legend].layout = make_layout (self, text);
        g->legend_color[g->n_legend] = which == 1 && n_dims == 1 ? COLOR_FG : r % N_COLORS;
        g->legend_dashed[g->n_legend++] = which == 1;
      }
  if (self->decoded_target != NULL)
    {
      /* Translators: the decoded-function plot's title line, followed by
       * the RMSE of each output dimension */
      g_string_append (corner, _("RMSE"));
      for (guint r = 0; r < n_dims; r++)
        g_string_append_printf (corner, r > 0 ? ", %.3g" : " %.3g", self->decoded_rmse[r]);
      if (self->solve_rmse != NULL)
        {
          g_string_append_printf (corner, "   (%s", _("solve"));
          for (guint r = 0; r < n_dims; r++)
            g_string_append_printf (corner, r > 0 ? ", %.3g" : " %.3g", self->solve_rmse[r]);
          g_string_append_c (corner, ')');
        }
    }
  else
    g_string_append (corner, _("target not shown"));
  g->corner = make_layout (self, corner->str);
  g->zero_y = lo < 0 && hi > 0 ? g->ay + g->ah - (0 - lo) / (hi - lo) * g->ah : NAN;
  add_y_ticks (self, g, lo, hi, NULL);
  add_x_ticks (self, g, xlo, xhi, FALSE);
}

static Geometry *
prepare (SpkPlotView *self,
         int          width,
         int          height)
{
  Geometry *g = g_new0 (Geometry, 1);

  refresh_colors (self);
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
        {
          guint n_series;
          gboolean neurons = self->kind != SPK_PLOT_VALUE;
          g_autofree guint *series = NULL;

          if (neurons)
            series = shown_neurons (self, self->width, 10, &n_series);
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
                g->legend[g->n_legend].layout = make_layout (self, text);
                g->legend_color[g->n_legend++] = s % N_COLORS;
              }
          else if (neurons)
            {
              g_autofree char *text = NULL;

              if (self->kind == SPK_PLOT_FILTERED)
                /* Translators: the corner label of filtered spikes; %g is tau in ms */
                text = g_strdup_printf (_("%u neurons, τ = %g ms"), n_series, self->tau * 1000);
              else
                text = g_strdup_printf (g_dngettext (NULL, "%u neuron", "%u neurons", n_series), n_series);
              g->corner = make_layout (self, text);
            }
        }
        break;
      case SPK_PLOT_SPIKES:
        prepare_raster (self, g);
        break;
      case SPK_PLOT_IMAGE:
        prepare_image (self, g);
        break;
      case SPK_PLOT_XY:
        prepare_xy (self, g);
        break;
      case SPK_PLOT_TUNING:
        prepare_tuning (self, g);
        break;
      case SPK_PLOT_DECODED:
        prepare_decoded (self, g);
        break;
      case SPK_PLOT_N_KINDS:
      default:
        g_assert_not_reached ();
      }
  if (g->empty)
    g->empty_text = make_layout (self, self->kind == SPK_PLOT_TUNING
                                       ? _("Tuning curves appear once the model builds")
                                       : self->kind == SPK_PLOT_DECODED
                                       ? _("The decoded function appears once the model builds")
                                       : _("Press Play to see this signal"));
  /* Legend entries stack in the top right corner of the area, below the
   * corner note when the two would meet (a narrow plot, a long note). */
  {
    int top = 4;

    if (g->corner != NULL && g->n_legend > 0)
      {
        int cw, ch, widest = 0;

        pango_layout_get_pixel_size (g->corner, &cw, &ch);
        for (guint i = 0; i < g->n_legend; i++)
          {
            int lw, lh;

            pango_layout_get_pixel_size (g->legend[i].layout, &lw, &lh);
            widest = MAX (widest, lw);
          }
        /* The note's box spans 4 … cw + 12; a legend entry's, its swatch
         * included, 26 px more than its text. */
        if (cw + 12 + widest + 26 + 8 > g->aw)
          top = ch + 10;
      }
    for (guint i = 0; i < g->n_legend; i++)
      {
        int lw, lh;

        pango_layout_get_pixel_size (g->legend[i].layout, &lw, &lh);
        g->legend[i].x = g->ax + g->aw - lw - 8;
        g->legend[i].y = g->ay + top + i * (lh + 2);
      }
  }
  return g;
}

/* }}} */
/* {{{ Drawing */

static void
set_color (cairo_t       *cr,
           const GdkRGBA *c,
           double         alpha)
{
  cairo_set_source_rgba (cr, c->red, c->green, c->blue, c->alpha * alpha);
}

static const GdkRGBA *
series_color (SpkPlotView *self,
              guint        color)
{
  return color == COLOR_FG ? &self->fg : &self->colors[color];
}

static void
draw_lines (SpkPlotView *self,
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
      set_color (cr, series_color (self, g->series_color[s]), g->n_series > 4 ? 0.8 : 1.0);
      cairo_stroke (cr);
    }
  cairo_set_dash (cr, NULL, 0, 0);
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

static void
draw (SpkPlotView *self,
      cairo_t     *cr,
      Geometry    *g)
{
  int lw, lh;

  if (g->empty)
    {
      pango_layout_get_pixel_size (g->empty_text, &lw, &lh);
      set_color (cr, &self->fg, 0.55);
      draw_label (cr, g->empty_text, (g->width - lw) / 2.0, (g->height - lh) / 2.0);
      return;
    }

  /* Grid and tick labels. */
  cairo_set_line_width (cr, 1);
  set_color (cr, &self->fg, 0.10);
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
      set_color (cr, &self->fg, 0.35);
      cairo_move_to (cr, g->ax, round (g->zero_y) + 0.5);
      cairo_line_to (cr, g->ax + g->aw, round (g->zero_y) + 0.5);
      if (self->kind == SPK_PLOT_XY)
        {
          cairo_move_to (cr, round (g->ax + g->aw / 2) + 0.5, g->ay);
          cairo_line_to (cr, round (g->ax + g->aw / 2) + 0.5, g->ay + g->ah);
        }
      cairo_stroke (cr);
    }
  set_color (cr, &self->fg, 0.7);
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
      cairo_set_line_width (cr, 2.5 * g->scale);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      /* The trail fades from the oldest point to the newest. */
      for (guint i = 1; i < g->n_points; i++)
        {
          set_color (cr, &self->colors[0], 0.08 + 0.92 * i / g->n_points);
          cairo_move_to (cr, g->px[i - 1], g->py[i - 1]);
          cairo_line_to (cr, g->px[i], g->py[i]);
          cairo_stroke (cr);
        }
      if (g->n_points > 0)
        {
          set_color (cr, &self->colors[1], 1.0);
          cairo_arc (cr, g->px[g->n_points - 1], g->py[g->n_points - 1], 6 * g->scale, 0, 2 * G_PI);
          cairo_fill (cr);
        }
      break;
    case SPK_PLOT_VALUE:
    case SPK_PLOT_FILTERED:
    case SPK_PLOT_VOLTAGE:
    case SPK_PLOT_CURRENT:
    case SPK_PLOT_TUNING:
    case SPK_PLOT_DECODED:
      draw_lines (self, cr, g);
      break;
    case SPK_PLOT_N_KINDS:
    default:
      g_assert_not_reached ();
    }
  cairo_restore (cr);

  /* Frame, legend and corner note. */
  set_color (cr, &self->fg, 0.25);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, g->ax + 0.5, g->ay + 0.5, g->aw - 1, g->ah - 1);
  cairo_stroke (cr);
  for (guint i = 0; i < g->n_legend; i++)
    {
      pango_layout_get_pixel_size (g->legend[i].layout, &lw, &lh);
      set_color (cr, &self->background, 0.8);
      cairo_rectangle (cr, g->legend[i].x - 18, g->legend[i].y, lw + 22, lh);
      cairo_fill (cr);
      set_color (cr, series_color (self, g->legend_color[i]), 1.0);
      if (g->legend_dashed[i])
        {
          /* Two dashes: the swatch of a dashed line. */
          cairo_rectangle (cr, g->legend[i].x - 14, g->legend[i].y + lh / 2.0 - 1, 4, 2);
          cairo_rectangle (cr, g->legend[i].x - 8, g->legend[i].y + lh / 2.0 - 1, 4, 2);
        }
      else
        cairo_rectangle (cr, g->legend[i].x - 14, g->legend[i].y + lh / 2.0 - 2, 10, 4);
      cairo_fill (cr);
      set_color (cr, &self->fg, 0.9);
      draw_label (cr, g->legend[i].layout, g->legend[i].x, g->legend[i].y);
    }
  if (g->corner != NULL)
    {
      pango_layout_get_pixel_size (g->corner, &lw, &lh);
      set_color (cr, &self->background, 0.75);
      cairo_rectangle (cr, g->ax + 4, g->ay + 4, lw + 8, lh + 2);
      cairo_fill (cr);
      set_color (cr, &self->fg, 0.8);
      draw_label (cr, g->corner, g->ax + 8, g->ay + 5);
    }
}

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
  draw (self, cr, self->geometry);
  cairo_destroy (cr);
}

void
spk_plot_view_prepare_now (SpkPlotView *self)
{
  g_return_if_fail (SPK_IS_PLOT_VIEW (self));

  geometry_free (self->geometry);
  self->geometry = prepare (self, MAX (gtk_widget_get_width (GTK_WIDGET (self)), 1),
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
static void
invalidate (SpkPlotView *self)
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
    invalidate (self);
}

static void
spk_plot_view_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (spk_plot_view_parent_class)->realize (widget);
  invalidate (SPK_PLOT_VIEW (widget));
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
  invalidate (self);
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
      *minimum = (int) (240 * scale);
      *natural = (int) (480 * scale);
    }
  else
    {
      *minimum = (int) (160 * scale);
      *natural = (int) (220 * scale);
    }
}

/* }}} */
/* {{{ Hover */

static gboolean
spk_plot_view_query_tooltip (GtkWidget  *widget,
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
      time_range (self, &t0, &t1);
      t = self->kind == SPK_PLOT_XY || self->kind == SPK_PLOT_IMAGE ? self->end_time
          : t0 + (x - g->ax) / g->aw * (t1 - t0);
      i = sample_at (self, t);
      if (i >= self->times->len)
        i = self->times->len - 1;
      g_string_append_printf (text, "t = %.3f s", g_array_index (self->times, double, i));
      if (self->kind == SPK_PLOT_SPIKES)
        {
          guint n_shown;
          g_autofree guint *shown = shown_neurons (self, self->width, G_MAXUINT, &n_shown);
          guint row = (guint) CLAMP ((y - g->ay) / g->ah * n_shown, 0, MAX (n_shown, 1) - 1);

          if (n_shown > 0)
            /* Translators: hovering a raster; %u is the neuron's index, %.0f its spike count */
            g_string_append_printf (text, _("\nneuron %u: %.0f spikes so far"), shown[row],
                                    self->spike_counts ? self->spike_counts[shown[row]] : 0.0);
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

/* }}} */
/* {{{ Data */

static void
forget_decoded (SpkPlotView *self)
{
  g_clear_pointer (&self->decoded_x, g_free);
  g_clear_pointer (&self->decoded_target, g_free);
  g_clear_pointer (&self->decoded, g_free);
  g_clear_pointer (&self->decoded_rmse, g_free);
  g_clear_pointer (&self->solve_rmse, g_free);
  self->decoded_dims = 0;
}

/* The target transform·f(x) (n_points × n_out) at the sweep points xs
 * (n_points × n_pre, the function's input), or FALSE when the transform
 * is sampled and so not known here. */
static gboolean
compute_target (SpkConnection *connection,
                const double  *xs,
                guint          n_pre,
                guint          n_out,
                double        *target)
{
  const SpkDistribution *transform = spk_connection_get_transform (connection);
  const char *source = spk_connection_get_function (connection);
  g_autoptr (SpkExpr) function = NULL;
  g_autofree double *fx = NULL;
  guint n_mid = n_pre;
  SpkArray *t;

  if (transform == NULL || transform->kind != SPK_DIST_ARRAY || spk_connection_get_post_neurons (connection))
    return FALSE;
  if (source != NULL)
    {
      if ((function = spk_expr_compile (source, n_pre, NULL)) == NULL)
        return FALSE;
      n_mid = spk_expr_get_size_out (function);
      fx = g_new (double, (gsize) DECODED_POINTS * n_mid);
      spk_expr_eval (function, NULL, 0.0, xs, DECODED_POINTS, fx);
    }
  else
    fx = g_memdup2 (xs, (gsize) DECODED_POINTS * n_pre * sizeof (double));

  /* A scalar or a vector is a diagonal; a matrix is n_out × n_mid.  The
   * builder checked the shapes: a mismatch here means a stale plan. */
  t = transform->array;
  if ((t->ndim == 0 && n_mid != n_out) || (t->ndim == 1 && (t->size != n_out || n_mid != n_out))
      || (t->ndim == 2 && (t->shape[0] != n_out || t->shape[1] != n_mid)))
    return FALSE;
  for (guint p = 0; p < DECODED_POINTS; p++)
    for (guint r = 0; r < n_out; r++)
      {
        const double *f = fx + (gsize) p * n_mid;
        double sum = 0;

        if (t->ndim == 0)
          sum = t->data[0] * f[r];
        else if (t->ndim == 1)
          sum = t->data[r] * f[r];
        else
          for (guint c = 0; c < n_mid; c++)
            sum += t->data[(gsize) r * n_mid + c] * f[c];
        target[(gsize) p * n_out + r] = sum;
      }
  return TRUE;
}

/* The decoded-function curves from plan: rates of the pre's neurons along
 * its first dimension, through the weights a step applies. */
static void
compute_decoded (SpkPlotView *self,
                 SpkPlan     *plan)
{
  SpkObject *pre = spk_connection_get_pre (self->connection);
  g_autofree char *key = g_strconcat (self->target, "/weights", NULL);
  g_autoptr (SpkArray) weights = NULL;
  g_autofree double *x = NULL, *rates = NULL, *xs = NULL;
  g_autofree guint *pre_index = NULL;
  const double *gain, *bias, *encoders, *solve;
  guint n, d, n_pre, n_out, n_solve;
  double radius;

  if (pre == NULL || spk_object_get_label (pre) == NULL
      || !spk_plan_get_ensemble (plan, spk_object_get_label (pre), &n, &d, &radius, &gain, &bias, &encoders)
      || (weights = spk_plan_dup_param (plan, key)) == NULL
      || weights->ndim != 2 || weights->shape[1] != n
      || (pre_index = spk_slice_resolve (spk_connection_get_pre_slice (self->connection), d, &n_pre, NULL)) == NULL)
    return;
  n_out = weights->shape[0];

  x = g_new0 (double, (gsize) DECODED_POINTS * d);
  self->decoded_x = g_new (double, DECODED_POINTS);
  /* Along the first dimension, the others held at 0. */
  for (guint p = 0; p < DECODED_POINTS; p++)
    {
      self->decoded_x[p] = -radius + 2 * radius * p / (DECODED_POINTS - 1);
      x[(gsize) p * d] = self->decoded_x[p];
    }
  rates = g_new (double, (gsize) DECODED_POINTS * n);
  if (!spk_plan_tuning_curves (plan, spk_object_get_label (pre), x, DECODED_POINTS, rates, NULL))
    {
      forget_decoded (self);
      return;
    }
  self->decoded_dims = n_out;
  self->decoded = g_new (double, (gsize) DECODED_POINTS * n_out);
  for (guint p = 0; p < DECODED_POINTS; p++)
    for (guint r = 0; r < n_out; r++)
      {
        double sum = 0;

        for (guint j = 0; j < n; j++)
          sum += weights->data[(gsize) r * n + j] * rates[(gsize) p * n + j];
        self->decoded[(gsize) p * n_out + r] = sum;
      }

  /* The function sees the pre's value through the connection's slice. */
  xs = g_new (double, (gsize) DECODED_POINTS * n_pre);
  for (guint p = 0; p < DECODED_POINTS; p++)
    for (guint i = 0; i < n_pre; i++)
      xs[(gsize) p * n_pre + i] = x[(gsize) p * d + pre_index[i]];
  self->decoded_target = g_new (double, (gsize) DECODED_POINTS * n_out);
  self->decoded_rmse = g_new (double, n_out);
  if (!compute_target (self->connection, xs, n_pre, n_out, self->decoded_target))
    {
      g_clear_pointer (&self->decoded_target, g_free);
      for (guint r = 0; r < n_out; r++)
        self->decoded_rmse[r] = NAN;
    }
  else
    for (guint r = 0; r < n_out; r++)
      {
        double sum = 0;

        for (guint p = 0; p < DECODED_POINTS; p++)
          {
            double e = self->decoded[(gsize) p * n_out + r] - self->decoded_target[(gsize) p * n_out + r];

            sum += e * e;
          }
        self->decoded_rmse[r] = sqrt (sum / DECODED_POINTS);
      }
  /* The solve's own error, at its evaluation points, when it is per output. */
  if ((solve = spk_plan_get_decode_rmse (plan, self->target, &n_solve)) != NULL && n_solve == n_out)
    self->solve_rmse = g_memdup2 (solve, n_solve * sizeof (double));
}

void
spk_plot_view_set_connection (SpkPlotView   *self,
                              SpkConnection *connection)
{
  g_return_if_fail (SPK_IS_PLOT_VIEW (self));
  g_return_if_fail (connection == NULL || SPK_IS_CONNECTION (connection));

  if (!g_set_object (&self->connection, connection))
    return;
  forget_decoded (self);
  if (self->plan != NULL && self->connection != NULL && self->kind == SPK_PLOT_DECODED)
    compute_decoded (self, self->plan);
  invalidate (self);
}

gboolean
spk_plot_view_get_decoded (SpkPlotView   *self,
                           guint         *n_points,
                           guint         *n_dims,
                           const double **x,
                           const double **target,
                           const double **decoded,
                           const double **rmse)
{
  g_return_val_if_fail (SPK_IS_PLOT_VIEW (self), FALSE);

  if (self->decoded == NULL)
    return FALSE;
  *n_points = DECODED_POINTS;
  *n_dims = self->decoded_dims;
  *x = self->decoded_x;
  *target = self->decoded_target;
  *decoded = self->decoded;
  *rmse = self->decoded_rmse;
  return TRUE;
}

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
  forget_decoded (self);
  if (plan == NULL)
    {
      invalidate (self);
      return;
    }
  self->plan = spk_plan_ref (plan);
  self->dt = spk_plan_get_dt (plan);
  if (self->kind == SPK_PLOT_DECODED && self->connection != NULL)
    compute_decoded (self, plan);
  if (spk_plan_get_ensemble (plan, self->target, &n, &d, &radius, &gain, &bias, &encoders))
    {
      self->n_encoders = n;
      self->encoders = g_new (double, MAX (n, 1));
      for (guint k = 0; k < n; k++)
        self->encoders[k] = encoders[(gsize) k * d];
      if (self->kind == SPK_PLOT_TUNING)
        {
          g_autofree double *x = g_new0 (double, (gsize) TUNING_POINTS * d);

          self->tuning_x = g_new (double, TUNING_POINTS);
          /* Along the first dimension, the others held at 0. */
          for (guint p = 0; p < TUNING_POINTS; p++)
            {
              self->tuning_x[p] = -radius + 2 * radius * p / (TUNING_POINTS - 1);
              x[(gsize) p * d] = self->tuning_x[p];
            }
          self->tuning = g_new (double, (gsize) TUNING_POINTS * n);
          self->tuning_n = n;
          if (!spk_plan_tuning_curves (plan, self->target, x, TUNING_POINTS, self->tuning, NULL))
            {
              g_clear_pointer (&self->tuning, g_free);
              self->tuning_n = 0;
            }
        }
    }
  invalidate (self);
}

static void
refilter (SpkPlotView *self,
          guint        from)
{
  double decay = self->tau > 0 && self->dt > 0 ? exp (-self->dt / self->tau) : 0.0;
  float *out, *in = (float *) (gpointer) self->values->data;

  g_array_set_size (self->filtered, (gsize) self->times->len * self->width);
  out = (float *) (gpointer) self->filtered->data;
  for (guint i = from; i < self->times->len; i++)
    for (guint k = 0; k < self->width; k++)
      {
        gsize at = (gsize) i * self->width + k;
        double prev = i > 0 ? out[at - self->width] : 0.0;

        /* Lowpass(tau), discretised as the simulator does (zero-order hold). */
        out[at] = decay * prev + (1 - decay) * in[at];
      }
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
      invalidate (self);
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
  invalidate (self);
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
  invalidate (self);
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
  invalidate (self);
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
  invalidate (self);
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

void
spk_plot_view_set_end_time (SpkPlotView *self,
                            double       end_time)
{
  g_return_if_fail (SPK_IS_PLOT_VIEW (self));

  if (self->end_time == end_time)
    return;
  self->end_time = end_time;
  invalidate (self);
}

double
spk_plot_view_get_last_time (SpkPlotView *self)
{
  g_return_val_if_fail (SPK_IS_PLOT_VIEW (self), 0);
  return self->times->len > 0 ? g_array_index (self->times, double, self->times->len - 1) : 0;
}

/* }}} */
/* {{{ Export */

static gboolean
export_csv (SpkPlotView  *self,
            const char   *path,
            GError      **error)
{
  g_autoptr (GString) out = g_string_new ("t");

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
          g_string_append_printf (out, "%.17g", self->decoded_x[p]);
          for (guint r = 0; r < self->decoded_dims; r++)
            {
              gsize at = (gsize) p * self->decoded_dims + r;

              if (self->decoded_target != NULL)
                g_string_append_printf (out, ",%.17g", self->decoded_target[at]);
              g_string_append_printf (out, ",%.17g", self->decoded[at]);
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
          g_string_append_printf (out, "%.17g", self->tuning_x[p]);
          for (guint k = 0; k < self->tuning_n; k++)
            g_string_append_printf (out, ",%.17g", self->tuning[(gsize) p * self->tuning_n + k]);
          g_string_append_c (out, '\n');
        }
    }
  else
    {
      for (guint k = 0; k < self->width; k++)
        g_string_append_printf (out, is_neuron_kind (self->kind) ? ",neuron%u" : ",x%u", k);
      g_string_append_c (out, '\n');
      for (guint i = 0; i < self->times->len; i++)
        {
          g_string_append_printf (out, "%.17g", g_array_index (self->times, double, i));
          /* The record is float32: %.9g gives back the very value. */
          for (guint k = 0; k < self->width; k++)
            g_string_append_printf (out, ",%.9g", spk_plot_view_get_value (self, i, k));
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
  g = prepare (self, width, height);
  cr = cairo_create (surface);
  set_color (cr, &self->background, 1.0);
  cairo_paint (cr);
  draw (self, cr, g);
  cairo_destroy (cr);
  geometry_free (g);
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
  invalidate (self);
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
  invalidate (self);
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
  invalidate (self);
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
  invalidate (self);
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
  invalidate (self);
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
          invalidate (self);
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

  g_clear_pointer (&self->geometry, geometry_free);
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
  forget_decoded (self);
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
  widget_class->query_tooltip = spk_plot_view_query_tooltip;

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
