/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-run-bar.h — the run controls: play/pause, step, run N steps, reset,
 * the real-time factor, the simulation time and the achieved speed.  The
 * bar owns the SpkRunner that runs a copy of the model with the plots'
 * probes, and feeds the plot grid and the sliders from it. */
#pragma once

#include <gtk/gtk.h>

#include "model/spk-network.h"
#include "runner/spk-runner.h"
#include "ui/plots/spk-plot-grid.h"
#include "ui/run/spk-slider-panel.h"

G_BEGIN_DECLS

#define SPK_TYPE_RUN_BAR (spk_run_bar_get_type ())
G_DECLARE_FINAL_TYPE (SpkRunBar, spk_run_bar, SPK, RUN_BAR, GtkWidget)

/* Actions (prefix "run."): play-pause (Space, wherever the focus is but in
 * a text field), step (period), run-steps (Ctrl+Return: the number of
 * steps in the bar), reset (Ctrl+R), rate "d" (a factor, 0 for as fast as
 * possible).
 *
 * Signal "notice" (const char *): something the user should be told, such
 * as a restart after the model changed; the window shows it as a toast.
 * Property "state" (SpkRunnerState, as int): the runner's last state.
 * Property "rate" (double): the speed runs go at, as "run.rate" sets it. */
GtkWidget  *spk_run_bar_new          (void) G_GNUC_WARN_UNUSED_RESULT;

/* The model to run (the user's; the bar runs a copy), the plots to feed
 * and the sliders to honour.  Drops any runner: the next play builds. */
void        spk_run_bar_set_model    (SpkRunBar      *self,
                                      SpkNetwork     *network,
                                      SpkPlotGrid    *grid,
                                      SpkSliderPanel *sliders);
/* Built parameters (key → SpkArray, nullable) every build of the copy
 * takes: a saved or trained session's.  Takes effect at the next build
 * (spk_run_bar_rebuild () to apply it to a run). */
void        spk_run_bar_set_params   (SpkRunBar      *self,
                                      GHashTable     *params);
/* Why the model cannot run (NULL when it can): the commands are disabled. */
void        spk_run_bar_set_blocked  (SpkRunBar      *self,
                                      const char     *reason);
/* Rebuilds the running copy after the model or the plots changed and swaps
 * it in: keep_state FALSE restarts at t = 0 (a model edit), TRUE carries on
 * when it can (a plot added).  Without a runner yet, nothing happens. */
/* Whether the runner's plan was built from model (model-file text): an
 * edit made before Play needs no rebuild. */
gboolean    spk_run_bar_is_built_from (SpkRunBar     *self,
                                       const char    *model);
gboolean    spk_run_bar_rebuild      (SpkRunBar      *self,
                                      gboolean        keep_state,
                                      GError        **error);
/* A saved run of n_steps whose samples the plots show: the next play,
 * step or run-steps first replays them as fast as possible, so the run
 * goes on from there.  0 forgets it (the model changed). */
void        spk_run_bar_set_resume_steps (SpkRunBar  *self,
                                          guint64     n_steps);
/* The steps of the run the plots show: the runner's, or a saved run's
 * not replayed yet. */
guint64     spk_run_bar_get_recorded_steps (SpkRunBar *self);
/* (transfer none) (nullable): the runner, made on first use. */
SpkRunner  *spk_run_bar_get_runner   (SpkRunBar      *self);
/* Makes the runner now (building the model) when there is none. */
gboolean    spk_run_bar_ensure_runner (SpkRunBar     *self,
                                       GError       **error);
SpkRunnerState spk_run_bar_get_state (SpkRunBar      *self);
/* Whether "Can't keep up" shows: the run is slower than its speed asks. */
gboolean    spk_run_bar_get_behind   (SpkRunBar      *self);
/* The number of steps "run-steps" runs. */
void        spk_run_bar_set_n_steps  (SpkRunBar      *self,
                                      guint64         n_steps);
void        spk_run_bar_set_rate     (SpkRunBar      *self,
                                      double          rate);
double      spk_run_bar_get_rate     (SpkRunBar      *self);

G_END_DECLS
