/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-plot-grid.h — the dock of plots under the canvas: cards in a grid
 * sharing one time axis, fed from a runner on the frame clock. */
#pragma once

#include <gtk/gtk.h>

#include "model/spk-network.h"
#include "runner/spk-runner.h"
#include "ui/plots/spk-plot-view.h"

G_BEGIN_DECLS

#define SPK_TYPE_PLOT_GRID (spk_plot_grid_get_type ())
G_DECLARE_FINAL_TYPE (SpkPlotGrid, spk_plot_grid, SPK, PLOT_GRID, GtkWidget)

/* Signal "plots-changed": a plot was added or removed, so the probes a run
 * needs changed.  Property "window": the seconds every plot shows. */
GtkWidget   *spk_plot_grid_new            (void) G_GNUC_WARN_UNUSED_RESULT;

/* Adds a plot of kind for target (transfer none: the new plot). */
SpkPlotView *spk_plot_grid_add            (SpkPlotGrid  *self,
                                           SpkPlotKind   kind,
                                           const char   *target);
/* Takes a plot made elsewhere (from a saved set-up). */
void         spk_plot_grid_add_view       (SpkPlotGrid  *self,
                                           SpkPlotView  *view);
void         spk_plot_grid_remove         (SpkPlotGrid  *self,
                                           SpkPlotView  *view);
/* Moves a plot by delta places in the grid. */
void         spk_plot_grid_move           (SpkPlotGrid  *self,
                                           SpkPlotView  *view,
                                           int           delta);
/* Moves a plot to place index (its header dragged onto another plot). */
void         spk_plot_grid_move_to        (SpkPlotGrid  *self,
                                           SpkPlotView  *view,
                                           guint         index);
void         spk_plot_grid_remove_all     (SpkPlotGrid  *self);
/* Between freeze and thaw, "plots-changed" is held back and emitted once
 * at the thaw if anything changed: adding many plots rebuilds once. */
void         spk_plot_grid_freeze_changes (SpkPlotGrid  *self);
void         spk_plot_grid_thaw_changes   (SpkPlotGrid  *self);
guint        spk_plot_grid_get_n_plots    (SpkPlotGrid  *self);
/* (transfer none) */
SpkPlotView *spk_plot_grid_get_plot       (SpkPlotGrid  *self,
                                           guint         index);

double       spk_plot_grid_get_window     (SpkPlotGrid  *self);
void         spk_plot_grid_set_window     (SpkPlotGrid  *self,
                                           double        window);

/* Adds to network (a copy of the user's model, made for running) one
 * probe per plot that needs one, labelled "__plot<N>"; plots whose target
 * is not in network get none. */
void         spk_plot_grid_add_probes     (SpkPlotGrid  *self,
                                           SpkNetwork   *network);
/* The runner to drain (NULL: none); its plan's "__plot<N>" probes are
 * looked up again by label on every plan change. */
void         spk_plot_grid_set_runner     (SpkPlotGrid  *self,
                                           SpkRunner    *runner);
/* Call when the runner dispatched PLAN_CHANGED or RESET. */
void         spk_plot_grid_plan_changed   (SpkPlotGrid  *self);
/* The model's plan for plots computed without running (tuning curves). */
void         spk_plot_grid_set_plan       (SpkPlotGrid  *self,
                                           SpkPlan      *plan);
/* Forgets every plot's data and returns to t = 0. */
void         spk_plot_grid_clear          (SpkPlotGrid  *self);
/* Reads every probe buffer now (the frame clock does it on its own). */
void         spk_plot_grid_drain          (SpkPlotGrid  *self);
/* The time the right edge shows; while following the run, the newest. */
double       spk_plot_grid_get_end_time   (SpkPlotGrid  *self);
/* Presentation mode: every plot's lines, margins and height by scale. */
void         spk_plot_grid_set_scale      (SpkPlotGrid  *self,
                                           double        scale);
/* After plots were given recorded samples (a saved session's): the time
 * axis runs to time and shows its end. */
void         spk_plot_grid_set_recorded_time (SpkPlotGrid *self,
                                              double       time);
void         spk_plot_grid_scroll_to      (SpkPlotGrid  *self,
                                           double        end_time);
/* Frames prepared while a runner was set (for --benchmark). */
guint64      spk_plot_grid_get_n_frames   (SpkPlotGrid  *self);

/* The set-up: a{sv} with "window" and "plots" (aa{sv}). */
GVariant    *spk_plot_grid_serialize      (SpkPlotGrid  *self);
void         spk_plot_grid_apply          (SpkPlotGrid  *self,
                                           GVariant     *value);

G_END_DECLS
