/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-window.h — the workbench window: palette, canvas, inspector and the
 * file it edits. */
#pragma once

#include <adwaita.h>

#include "io/spk-keras.h"
#include "io/spk-nir.h"

#include "model/spk-network.h"
#include "ui/graph/spk-graph-view.h"
#include "ui/shell/spk-inspector.h"
#include "ui/shell/spk-undo-stack.h"
#include "ui/plots/spk-plot-grid.h"
#include "ui/run/spk-run-bar.h"
#include "ui/run/spk-slider-panel.h"
#include "ui/train/spk-train-panel.h"

G_BEGIN_DECLS

#define SPK_TYPE_WINDOW (spk_window_get_type ())
G_DECLARE_FINAL_TYPE (SpkWindow, spk_window, SPK, WINDOW, AdwApplicationWindow)

/* application may be NULL (the tests build windows without one). */
SpkWindow    *spk_window_new              (GtkApplication *application) G_GNUC_WARN_UNUSED_RESULT;

/* Shows network (with a saved canvas layout, or laid out automatically),
 * as the contents of file (NULL: an untitled model), unmodified. */
void          spk_window_set_network      (SpkWindow      *self,
                                           SpkNetwork     *network,
                                           GVariant       *layout,
                                           GFile          *file);
/* Solving on demand: builds the model in a worker thread, solving every
 * decoded connection without running, then shows their decode errors.
 * is_solving is TRUE until the result is in (or cancelled); the plan of
 * the last solve (transfer none, nullable) serves the decoded-function
 * plots. */
void          spk_window_solve            (SpkWindow      *self);
void          spk_window_cancel_solve     (SpkWindow      *self);
gboolean      spk_window_is_solving       (SpkWindow      *self);
/* The Solve bar's fraction (0 until the first decoder solve reports). */
double        spk_window_get_solve_progress (SpkWindow    *self);
/* Builds of Solve still running in their threads, and how many of them
 * stopped because they were cancelled (for the tests: Cancel stops the
 * builder, it does not only drop its result). */
guint         spk_window_get_solve_threads  (guint        *n_cancelled);
SpkPlan      *spk_window_get_solved_plan  (SpkWindow      *self);
/* (transfer none) (nullable) SpkObject* → SpkArray* */
GHashTable   *spk_window_get_decode_errors (SpkWindow     *self);
/* New (win.new, Ctrl+N): an empty, untitled network. */
void          spk_window_new_model        (SpkWindow      *self);
gboolean      spk_window_open_example     (SpkWindow      *self,
                                           const char     *name,
                                           GError        **error);
/* A session (.spkw) or a model file (.json).  On failure the window is
 * left as it was, unsaved changes included.  A Keras model (.h5, .keras)
 * opens a dialog of converter options and is converted from there; a NIR
 * graph (.nir) opens a dialog asking for its time step and stepping, and
 * is converted from there as spk_window_open_nir() does. */
gboolean      spk_window_open_file        (SpkWindow      *self,
                                           GFile          *file,
                                           GError        **error);
/* Converts a Keras model with options (NULL: NengoDL's defaults) and shows
 * it as a new, unsaved network with the model's weights. */
gboolean      spk_window_open_keras       (SpkWindow             *self,
                                           GFile                 *file,
                                           const SpkKerasOptions *options,
                                           GError               **error);
/* Converts a NIR graph with options (NULL: dt 0.1 ms, exact) and shows it
 * as a new, unsaved network with the graph's weights. */
gboolean      spk_window_open_nir         (SpkWindow             *self,
                                           GFile                 *file,
                                           const SpkNirOptions   *options,
                                           GError               **error);
/* Writes the model, built with the parameters every build takes, as a NIR
 * graph (Export as NIR Graph…); approximate as SpkNirExportOptions says.
 * n_notes (nullable): how many objects were replaced or approximated. */
gboolean      spk_window_export_nir       (SpkWindow             *self,
                                           GFile                 *file,
                                           gboolean               approximate,
                                           guint                 *n_notes,
                                           GError               **error);
/* A dialog over the window: heading, then the error's message. */
void          spk_window_show_error       (SpkWindow      *self,
                                           const char     *heading,
                                           const GError   *error);
/* Saves to file: a model file when its name ends in .json, else a session;
 * a session becomes the window's file. */
gboolean      spk_window_save_file        (SpkWindow      *self,
                                           GFile          *file,
                                           GError        **error);
/* Renders the window as it is on screen into a PNG. */
gboolean      spk_window_save_screenshot  (SpkWindow      *self,
                                           const char     *path,
                                           GError        **error);

/* (transfer none) */
SpkNetwork   *spk_window_get_network      (SpkWindow      *self);
SpkGraphView *spk_window_get_graph_view   (SpkWindow      *self);
SpkInspector *spk_window_get_inspector    (SpkWindow      *self);
SpkUndoStack *spk_window_get_undo_stack   (SpkWindow      *self);
/* The run controls, the plots and the sliders below the canvas. */
SpkRunBar    *spk_window_get_run_bar      (SpkWindow      *self);
SpkPlotGrid  *spk_window_get_plot_grid    (SpkWindow      *self);
SpkSliderPanel *spk_window_get_slider_panel (SpkWindow    *self);
/* (nullable) */
GFile        *spk_window_get_file         (SpkWindow      *self);
/* Why the model cannot run now (the builder's message naming the object),
 * or NULL when it can: property "run-blocker".  Validation runs shortly
 * after each edit; this runs it now. */
const char   *spk_window_get_run_blocker  (SpkWindow      *self);
void          spk_window_validate_now     (SpkWindow      *self);
/* The training panel in the inspector's place (action win.train, Ctrl+T:
 * property "training"), and what training left: the built parameters
 * every build takes (key → SpkArray; (transfer none) (nullable)) and the
 * history, one loss and val_loss (NaN where none) per epoch trained.
 * Forgetting (win.forget-training) drops both. */
SpkTrainPanel *spk_window_get_train_panel (SpkWindow      *self);
gboolean      spk_window_get_training     (SpkWindow      *self);
void          spk_window_set_training     (SpkWindow      *self,
                                           gboolean        training);
GHashTable   *spk_window_get_params       (SpkWindow      *self);
guint         spk_window_get_history      (SpkWindow      *self,
                                           const double  **loss,
                                           const double  **val_loss);
void          spk_window_forget_training  (SpkWindow      *self);
/* Property "presentation": larger fonts, ports and lines. */
/* The canvas's menu of an object (right click, or win.object-menu:
 * Shift+F10 / Menu for the selected one) is showing. */
gboolean      spk_window_get_object_menu_shown (SpkWindow  *self);
gboolean      spk_window_get_presentation (SpkWindow      *self);
/* The inspector (or training panel) at the side (win.show-inspector, F9);
 * presentation mode hides it and leaving it shows it again. */
gboolean      spk_window_get_show_inspector (SpkWindow    *self);
void          spk_window_set_show_inspector (SpkWindow    *self,
                                             gboolean      show);
void          spk_window_set_presentation (SpkWindow      *self,
                                           gboolean        presentation);

G_END_DECLS
