/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-window-private.h — what spk-window.c and spk-window-files.c share. */
#pragma once

#include "ui/shell/spk-window.h"
#include "io/spk-session.h"
#include "ui/plots/spk-plot-grid.h"
#include "ui/run/spk-run-bar.h"
#include "ui/run/spk-slider-panel.h"
#include "ui/train/spk-train-panel.h"
#include "ui/lessons/spk-lesson-panel.h"

G_BEGIN_DECLS

struct _SpkWindow
{
  AdwApplicationWindow parent_instance;

  /* Template children */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;
  GtkRevealer     *run_banner;
  GtkLabel        *run_banner_label;
  SpkGraphView    *graph_view;
  SpkInspector    *inspector;
  GMenu           *examples_section;
  GMenu           *recent_section;    /* filled by spk-window-state.c */
  GtkWidget       *canvas_box;
  SpkRunBar       *run_bar;
  SpkPlotGrid     *plot_grid;
  SpkSliderPanel  *slider_panel;
  GtkStack        *side_stack;        /* the inspector or the training panel */
  SpkTrainPanel   *train_panel;
  SpkLessonPanel  *lesson_panel;      /* spk-window-lessons.c */
  GtkWidget       *context_menu;
  GtkRevealer     *solve_revealer;
  GtkProgressBar  *solve_progress;
  GVariant        *pending_plots;     /* a saved plot set-up for the next network */

  GSettings       *settings;          /* NULL unless spk_window_state_bind () */
  SpkNetwork      *network;
  SpkLayout       *layout;
  SpkUndoStack    *undo_stack;
  GFile           *file;
  char            *run_blocker;
  char            *pending_example;   /* to open once the changes are saved */
  SpkObject       *error_object;
  guint            validate_id;
  gboolean         syncing_plots;   /* plots follow a model edit (no rebuild for them) */
  gboolean         presentation;
  gboolean         training;          /* the training panel is shown */
  gboolean         close_confirmed;

  /* Solving on demand (Ctrl+B): the solve in flight and its result. */
  GCancellable    *solve_cancellable;
  guint            solve_pulse_id;
  struct _SolveJob *solve_job;        /* the solve in flight's progress (spk-window-solve.c) */
  SpkPlan         *solved_plan;
  GHashTable      *decode_errors;     /* SpkObject* → SpkArray*: RMSE per output */

  /* Built parameters every build of the model takes (key → SpkArray, as
   * spk_plan_list_params () names them): a session's saved ones, then the
   * trained ones.  NULL: built afresh.  The history holds one loss (and
   * val_loss, NaN where none) per epoch trained. */
  GHashTable      *params;
  /* params as they were given and the model's keys then
   * (spk_network_dup_keys ()), and the table params was last made from
   * them: an edit that renumbers keys moves each parameter with its
   * object (_spk_window_follow_params ()). */
  GHashTable      *params_given;
  GHashTable      *params_keys;
  GHashTable      *params_followed;
  GArray          *history_loss;
  GArray          *history_val_loss;
  gboolean         training_unsaved;  /* trained since the last save */
  GHashTable      *pending_params;    /* for the next spk_window_set_network () */
  /* The model (as model-file text) of a reopened session's recorded run:
   * the run goes on from there, with the saved parameters, only while the
   * model is the same. */
  char            *run_model;
  /* The session of that run (its model probes' data, for a Save before
   * the run goes on), and whether its weights were learned in it. */
  SpkSession      *run_session;
  gboolean         run_learned;
  /* The model (as model-file text) as last validated: a change of the
   * layout alone (a card moved) leaves the run and the solve alone. */
  char            *validated_model;
  GArray          *pending_loss, *pending_val_loss;
};

/* spk-window-files.c: the file actions. */
void _spk_window_open_action        (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter);
void _spk_window_save_action        (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter);
void _spk_window_save_as_action     (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter);
void _spk_window_export_action      (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter);
/* Saves (asking for a file when there is none), then calls done with
 * whether it saved. */
void _spk_window_save_then          (SpkWindow  *self,
                                     void      (*done) (SpkWindow *self,
                                                        gboolean   saved));
/* Presents a dialog over the window now, or once the window is mapped
 * (a file opened from the command line asks before the window shows). */
void _spk_window_present_dialog     (SpkWindow  *self,
                                     GtkWidget  *dialog);
void _spk_window_show_error         (SpkWindow  *self,
                                     const char *heading,
                                     GError     *error);
/* The one Save Changes? dialog: Cancel, Discard or Save, answered through
 * response_cb (AdwMessageDialog::response, with self as user data).  body
 * says what would be lost; NULL: the window's own model, by its title. */
GtkWidget *_spk_window_ask_to_save  (SpkWindow  *self,
                                     const char *body,
                                     GCallback   response_cb);
/* spk-window-keras.c: whether file is named as a Keras model (.h5,
 * .hdf5, .keras), and the dialog of converter options that converts it on
 * "convert" (returned for tests). */
gboolean   _spk_window_is_keras_file (GFile     *file);
GtkWidget *_spk_window_ask_keras     (SpkWindow *self,
                                      GFile     *file);
/* spk-window-nir-export.c: Export as NIR Graph… (win.export-nir). */
void       _spk_window_export_nir_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter);
/* spk-window-nir.c: whether file is a NIR graph (named .nir, or an HDF5
 * file whose content is one), and the dialog asking for the time step and
 * the stepping that converts it on "open" (returned for tests). */
gboolean   _spk_window_is_nir_file   (GFile     *file);
GtkWidget *_spk_window_ask_nir       (SpkWindow *self,
                                      GFile     *file);
/* spk-window-files.c: file's local path, or NULL with an error (only
 * local files are opened); shows a model converted from another tool's
 * file (Keras, NIR), its weights the parameters every build takes. */
char      *_spk_window_local_path     (GFile      *file,
                                       GError    **error);
void       _spk_window_show_converted (SpkWindow  *self,
                                       SpkSession *session);
/* spk-window-state.c: remembers a session opened or saved. */
void _spk_window_note_recent        (SpkWindow  *self,
                                     GFile      *file);
/* spk-window.c */
void _spk_window_update_title       (SpkWindow  *self);
/* Unsaved model edits or training. */
gboolean _spk_window_is_modified    (SpkWindow  *self);
/* Parameters and history the next spk_window_set_network () takes (a
 * session's); both nullable, taken over. */
void _spk_window_set_pending_training (SpkWindow  *self,
                                       GHashTable *params,
                                       GArray     *loss,
                                       GArray     *val_loss);
/* The plot set-up spk_window_set_network () applies next (a session's
 * "plots" layout); NULL gives the default plots for the model. */
void _spk_window_set_pending_plots  (SpkWindow  *self,
                                     GVariant   *plots);

/* Between spk-window.c, -model.c, -solve.c and -training.c. */
void _spk_window_update_actions (SpkWindow *self);
void _spk_window_model_changed_cb (SpkUndoStack *stack,
                                   SpkWindow    *self);
void _spk_window_undo_state_cb (SpkUndoStack *stack,
                                GParamSpec   *pspec,
                                SpkWindow    *self);
void _spk_window_selection_changed_cb (SpkGraphView *view,
                                       SpkWindow    *self);
void _spk_window_forget_solve (SpkWindow *self);
void _spk_window_solve_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter);
void _spk_window_cancel_solve_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter);
void _spk_window_show_training (SpkWindow *self);
void _spk_window_follow_params (SpkWindow *self);
void _spk_window_training_started_cb (SpkTrainPanel *panel,
                                      SpkWindow     *self);
void _spk_window_trained_cb (SpkTrainPanel *panel,
                             GHashTable    *params,
                             GArray        *loss,
                             GArray        *val_loss,
                             gboolean       cancelled,
                             SpkWindow     *self);
void _spk_window_forget_training_action (GtkWidget  *widget,
                                         const char *action_name,
                                         GVariant   *parameter);
SpkPlotView *_spk_window_add_plot (SpkWindow   *self,
                                   SpkPlotKind  kind,
                                   SpkObject   *target);
SpkPlotView *_spk_window_find_plot (SpkWindow   *self,
                                    SpkPlotKind  kind,
                                    SpkObject   *target);
SpkObject *_spk_window_lookup_plot_target (SpkWindow  *self,
                                           const char *key);
char *_spk_window_connection_key (SpkNetwork    *network,
                                  SpkConnection *connection);
void _spk_window_release_model (SpkWindow *self);
/* After an edit: plots of deleted objects go, renamed ones follow. */
void _spk_window_sync_plot_targets (SpkWindow *self);
void _spk_window_fill_examples_menu (SpkWindow *self);

/* spk-window-lessons.c: the title of the lesson whose model the window
 * shows (translated), or NULL: no lesson, or a file or example opened
 * since; and what spk-window.c's class_init and init call. */
const char *_spk_window_lesson_title (SpkWindow *self);
void _spk_window_lessons_class_init (GtkWidgetClass *widget_class);
void _spk_window_lessons_init       (SpkWindow      *self);

G_END_DECLS
