/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-train-panel.h — the training panel: a data set, a loss, an optimizer
 * and its schedule; Start trains a copy of the model in a worker thread
 * with a progress bar, a live loss curve and Cancel. */
#pragma once

#include <gtk/gtk.h>

#include "model/spk-network.h"
#include "ui/train/spk-loss-curve.h"

G_BEGIN_DECLS

#define SPK_TYPE_TRAIN_PANEL (spk_train_panel_get_type ())
G_DECLARE_FINAL_TYPE (SpkTrainPanel, spk_train_panel, SPK, TRAIN_PANEL, GtkWidget)

/* Actions (prefix "train."): start, cancel.
 *
 * Signal "trained" (GHashTable *params, GArray *loss, GArray *val_loss,
 * gboolean cancelled): a run ended with parameters to keep — the trained
 * built parameters (key → SpkArray, spk_plan_list_params () keys) and
 * the epochs it completed (doubles; val_loss NaN where there was no
 * validation).  A cancelled run keeps the last completed minibatch's
 * parameters.  A run that failed emits nothing and shows its message.
 * Signal "started": a run began (the window pauses its simulation).
 * Property "running". */
GtkWidget    *spk_train_panel_new            (void) G_GNUC_WARN_UNUSED_RESULT;

/* The model to train (the panel trains a copy) and the built parameters
 * to start from (key → SpkArray, nullable: built afresh); both are taken
 * at Start.  The input and probe choices follow the model. */
void          spk_train_panel_set_model      (SpkTrainPanel *self,
                                              SpkNetwork    *network,
                                              GHashTable    *params);
gboolean      spk_train_panel_get_running    (SpkTrainPanel *self);

/* The settings, as the form shows them (for scripts and tests). */
void          spk_train_panel_set_data_set   (SpkTrainPanel *self,
                                              const char    *name);
void          spk_train_panel_set_input      (SpkTrainPanel *self,
                                              const char    *label);
void          spk_train_panel_set_probe      (SpkTrainPanel *self,
                                              const char    *label);
/* Loss "mse" or "sparse-ce". */
void          spk_train_panel_set_loss       (SpkTrainPanel *self,
                                              const char    *name);
/* Optimizer "sgd", "adam" or "rmsprop": sets its Keras learning rate. */
void          spk_train_panel_set_optimizer  (SpkTrainPanel *self,
                                              const char    *name);
void          spk_train_panel_set_learning_rate (SpkTrainPanel *self,
                                                 double         rate);
void          spk_train_panel_set_schedule   (SpkTrainPanel *self,
                                              guint          epochs,
                                              guint          batch_size,
                                              guint          steps,
                                              guint          n_examples,
                                              gboolean       validate);

/* The form's data set, loss ("mse", "sparse-ce") and steps per example. */
const char   *spk_train_panel_get_data_set   (SpkTrainPanel *self);
const char   *spk_train_panel_get_loss       (SpkTrainPanel *self);
guint         spk_train_panel_get_steps      (SpkTrainPanel *self);

/* What the panel shows: the status line (or the error), the progress
 * bar's fraction and the curve.  (transfer none) */
const char   *spk_train_panel_get_status     (SpkTrainPanel *self);
gboolean      spk_train_panel_has_error      (SpkTrainPanel *self);
double        spk_train_panel_get_fraction   (SpkTrainPanel *self);
SpkLossCurve *spk_train_panel_get_curve      (SpkTrainPanel *self);
/* The last run's loss on its training examples before the first update
 * and after the last, evaluated (NaN before any run). */
void          spk_train_panel_get_losses     (SpkTrainPanel *self,
                                              double        *before,
                                              double        *after);

G_END_DECLS
