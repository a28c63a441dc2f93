/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-plot-view.h — one live plot of a probed signal: values as lines,
 * spikes as a raster, filtered spikes, an XY trail, a vector as an image,
 * an ensemble's tuning curves, or a decoded connection's function.
 *
 * A plot keeps its own growing copy of every sample it was given (that is
 * the whole run; scrolling back reads it) and draws the part that falls in
 * its time window.  Drawing reads geometry prepared on the frame clock when
 * the data, the window or the size changed, decimated to pixel columns.
 */
#pragma once

#include <gtk/gtk.h>

#include "builder/spk-plan.h"

G_BEGIN_DECLS

typedef enum
{
  SPK_PLOT_VALUE,        /* decoded value (ensemble) or output (node): a line per dimension */
  SPK_PLOT_SPIKES,       /* the neurons' spikes as a raster */
  SPK_PLOT_FILTERED,     /* spikes through a Lowpass(tau), a line per neuron */
  SPK_PLOT_VOLTAGE,      /* membrane voltage, a line per neuron */
  SPK_PLOT_CURRENT,      /* input current, a line per neuron */
  SPK_PLOT_XY,           /* two dimensions against each other, with a fading trail */
  SPK_PLOT_IMAGE,        /* the latest vector as an H×W grid */
  SPK_PLOT_TUNING,       /* firing rate against x for each neuron, from the plan */
  SPK_PLOT_DECODED,      /* a decoded connection's target and decoded function, from the plan */
  SPK_PLOT_N_KINDS
} SpkPlotKind;

typedef enum
{
  SPK_PLOT_ORDER_INDEX,    /* neurons in index order */
  SPK_PLOT_ORDER_ENCODER,  /* by their encoder's first component */
  SPK_PLOT_ORDER_RATE,     /* by their firing rate over the recorded run, highest first */
} SpkPlotOrder;

typedef enum
{
  SPK_PLOT_FORMAT_PNG,
  SPK_PLOT_FORMAT_SVG,
  SPK_PLOT_FORMAT_PDF,
  SPK_PLOT_FORMAT_CSV,
} SpkPlotFormat;

#define SPK_TYPE_PLOT_VIEW (spk_plot_view_get_type ())
G_DECLARE_FINAL_TYPE (SpkPlotView, spk_plot_view, SPK, PLOT_VIEW, GtkWidget)

/* A plot of kind for the object labelled target. */
GtkWidget   *spk_plot_view_new              (SpkPlotKind   kind,
                                             const char   *target) G_GNUC_WARN_UNUSED_RESULT;

/* Properties: "kind" (construct-only), "target" (construct-only),
 * "title", "window" (seconds shown), "autoscale", "y-min", "y-max",
 * "tau" (the Lowpass of filtered spikes, seconds), "first-neuron",
 * "max-neurons" (0: all), "order", "image-width" (0: square). */
SpkPlotKind  spk_plot_view_get_kind         (SpkPlotView  *self);
const char  *spk_plot_view_get_target       (SpkPlotView  *self);
/* A renamed object, or an unlabelled connection whose key moved: the
 * plot follows it (the probe is found again at the next plan). */
void         spk_plot_view_set_target       (SpkPlotView  *self,
                                             const char   *target);
const char  *spk_plot_view_get_title        (SpkPlotView  *self);
void         spk_plot_view_set_title        (SpkPlotView  *self,
                                             const char   *title);
double       spk_plot_view_get_window       (SpkPlotView  *self);
void         spk_plot_view_set_window       (SpkPlotView  *self,
                                             double        window);
gboolean     spk_plot_view_get_autoscale    (SpkPlotView  *self);
void         spk_plot_view_set_autoscale    (SpkPlotView  *self,
                                             gboolean      autoscale);
void         spk_plot_view_set_y_range      (SpkPlotView  *self,
                                             double        y_min,
                                             double        y_max);
double       spk_plot_view_get_tau          (SpkPlotView  *self);
void         spk_plot_view_set_tau          (SpkPlotView  *self,
                                             double        tau);
void         spk_plot_view_set_neurons      (SpkPlotView  *self,
                                             guint         first,
                                             guint         max_neurons,
                                             SpkPlotOrder  order);
guint        spk_plot_view_get_first_neuron (SpkPlotView  *self);
guint        spk_plot_view_get_max_neurons  (SpkPlotView  *self);
SpkPlotOrder spk_plot_view_get_order        (SpkPlotView  *self);

/* The probe this plot needs in the plan it runs with: the attribute to
 * record and whether of the neurons.  FALSE for a plot computed from the
 * plan alone (tuning curves). */
gboolean     spk_plot_view_get_probe_spec   (SpkPlotView  *self,
                                             const char  **attr,
                                             gboolean     *neurons);
/* Whether kind can show target (an object of the network). */
gboolean     spk_plot_kind_applies          (SpkPlotKind   kind,
                                             SpkObject    *target);
/* The dimensions of a plot's target when known without building (an
 * ensemble's, a node's size_out or the size of its constant or process);
 * 0 when not known. */
guint        spk_plot_target_dimensions     (SpkObject    *target);
const char  *spk_plot_kind_to_name          (SpkPlotKind   kind);
gboolean     spk_plot_kind_from_name        (const char   *name,
                                             SpkPlotKind  *kind);
/* Translated, for menus and titles. */
const char  *spk_plot_kind_display_name     (SpkPlotKind   kind);

/* The plan the data come from: the encoders for sorting neurons, the
 * tuning curves, and dt.  Clears nothing. */
void         spk_plot_view_set_plan         (SpkPlotView  *self,
                                             SpkPlan      *plan);
/* The connection a decoded-function plot shows (its target is the
 * connection's key in the plan: its label, or "connection<i>").  The
 * curves are computed again from its current function and transform on
 * every plan. */
void         spk_plot_view_set_connection   (SpkPlotView   *self,
                                             SpkConnection *connection);
/* A decoded-function plot's curves: n_points sweep points x along the
 * pre's first dimension, and per point n_dims values of the target
 * (transform·f(x); NULL when not shown, e.g. a sampled transform) and of
 * the decoded value (weights·rates), with the RMSE between them per
 * dimension (NaN without a target).  FALSE when nothing was computed.
 * (transfer none) for every array. */
gboolean     spk_plot_view_get_decoded      (SpkPlotView  *self,
                                             guint        *n_points,
                                             guint        *n_dims,
                                             const double **x,
                                             const double **target,
                                             const double **decoded,
                                             const double **rmse);
/* Appends n samples of width values each (n × width) with their times. */
void         spk_plot_view_append           (SpkPlotView  *self,
                                             const double *times,
                                             const double *values,
                                             guint         n,
                                             guint         width);
/* Appends n samples given by their nonzero values: sample i has counts[i]
 * of them, one sample after the other in index (0 … width − 1) and values.
 * The same as spk_plot_view_append () of the dense samples. */
void         spk_plot_view_append_sparse    (SpkPlotView   *self,
                                             const double  *times,
                                             const guint32 *counts,
                                             const guint32 *index,
                                             const double  *values,
                                             guint          n,
                                             guint          width);
/* Forgets every sample (a reset). */
void         spk_plot_view_clear            (SpkPlotView  *self);
guint        spk_plot_view_get_n_samples    (SpkPlotView  *self);
guint        spk_plot_view_get_width        (SpkPlotView  *self);
/* Value k of recorded sample i (as recorded: float precision). */
double       spk_plot_view_get_value        (SpkPlotView  *self,
                                             guint         sample,
                                             guint         k);
/* Presentation mode: lines, margins and the plot's height grow by scale
 * (1: normal); its text follows the window's font through CSS. */
void         spk_plot_view_set_scale        (SpkPlotView  *self,
                                             double        scale);
double       spk_plot_view_get_scale        (SpkPlotView  *self);
/* The time of recorded sample i. */
double       spk_plot_view_get_time         (SpkPlotView  *self,
                                             guint         sample);
/* The time the right edge shows (the shared time axis). */
void         spk_plot_view_set_end_time     (SpkPlotView  *self,
                                             double        end_time);
double       spk_plot_view_get_last_time    (SpkPlotView  *self);

/* Writes the plot as PNG, SVG or PDF at width × height, or its data as CSV
 * (a header row, then one row per sample: t and each value). */
gboolean     spk_plot_view_export           (SpkPlotView  *self,
                                             const char   *path,
                                             SpkPlotFormat format,
                                             int           width,
                                             int           height,
                                             GError      **error);

/* The plot's set-up as a{sv} (kind, target, window, range, neurons, tau,
 * title), and a new plot from one; NULL for an unusable value. */
GVariant    *spk_plot_view_serialize        (SpkPlotView  *self);
GtkWidget   *spk_plot_view_new_from_variant (GVariant     *value);

/* Draws the prepared geometry now (tests): forces preparation at the
 * current size. */
void         spk_plot_view_prepare_now      (SpkPlotView  *self);

G_END_DECLS
