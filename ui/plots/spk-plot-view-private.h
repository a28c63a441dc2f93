/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-plot-view-private.h — what the files of SpkPlotView share: the
 * instance struct, the prepared geometry, and the functions each plot
 * kind and the frame provide one another. */
#pragma once

#include <adwaita.h>

#include "ui/plots/spk-plot-view.h"
#include "ops/spk-ops-synapse.h"

G_BEGIN_DECLS

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
  SpkDiscreteFilter filter;   /* the Lowpass the record was filtered with */
  double       *filter_state; /* its state after the last filtered row:
                               * order × width (spk_analysis_filter_rows()) */
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

gboolean _spk_plot_view_is_neuron_kind (SpkPlotKind kind);
/* The legend's box as last drawn and how many drawn points it covers
 * (for the tests); FALSE when there is none. */
gboolean _spk_plot_view_get_legend_box (SpkPlotView     *self,
                                        graphene_rect_t *box,
                                        guint           *n_covered);
void _spk_plot_view_refresh_colors (SpkPlotView *self);
void _spk_plot_view_invalidate (SpkPlotView *self);
void _spk_plot_view_geometry_free (Geometry *g);
guint _spk_plot_view_sample_at (SpkPlotView *self,
                                double       t);
void _spk_plot_view_time_range (SpkPlotView *self,
                                double      *t0,
                                double      *t1);
PangoLayout *_spk_plot_view_make_layout (SpkPlotView *self,
                                         const char  *text);
void _spk_plot_view_add_y_ticks (SpkPlotView *self,
                                 Geometry    *g,
                                 double       lo,
                                 double       hi,
                                 const char  *unit);
void _spk_plot_view_add_x_ticks (SpkPlotView *self,
                                 Geometry    *g,
                                 double       lo,
                                 double       hi,
                                 gboolean     seconds);
guint *_spk_plot_view_shown_neurons (SpkPlotView *self,
                                     guint        n_total,
                                     guint        cap,
                                     guint       *n_shown);
guint32 _spk_plot_view_pack (const GdkRGBA *c,
                             double         alpha);
Geometry *_spk_plot_view_prepare (SpkPlotView *self,
                                  int          width,
                                  int          height);
void _spk_plot_view_set_color (cairo_t       *cr,
                               const GdkRGBA *c,
                               double         alpha);
const GdkRGBA *_spk_plot_view_series_color (SpkPlotView *self,
                                            guint        color);
void _spk_plot_view_draw (SpkPlotView *self,
                          cairo_t     *cr,
                          Geometry    *g);
void _spk_plot_view_prepare_line_kind (SpkPlotView *self,
                                       Geometry    *g);
void _spk_plot_view_draw_lines (SpkPlotView *self,
                                cairo_t     *cr,
                                Geometry    *g);
void _spk_plot_view_prepare_raster (SpkPlotView *self,
                                    Geometry    *g);
void _spk_plot_view_prepare_image (SpkPlotView *self,
                                   Geometry    *g);
void _spk_plot_view_prepare_xy (SpkPlotView *self,
                                Geometry    *g);
void _spk_plot_view_draw_xy (SpkPlotView *self,
                             cairo_t     *cr,
                             Geometry    *g);
void _spk_plot_view_compute_tuning (SpkPlotView *self,
                                    SpkPlan     *plan);
void _spk_plot_view_prepare_tuning (SpkPlotView *self,
                                    Geometry    *g);
void _spk_plot_view_forget_decoded (SpkPlotView *self);
void _spk_plot_view_compute_decoded (SpkPlotView *self,
                                     SpkPlan     *plan);
void _spk_plot_view_prepare_decoded (SpkPlotView *self,
                                     Geometry    *g);
gboolean _spk_plot_view_query_tooltip (GtkWidget  *widget,
                                       int         x,
                                       int         y,
                                       gboolean    keyboard,
                                       GtkTooltip *tooltip);

G_END_DECLS
