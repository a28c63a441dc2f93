/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-inspector.h — the properties of the selected model objects, as
 * editable rows generated from their GParamSpecs. */
#pragma once

#include <gtk/gtk.h>

#include "ui/shell/spk-undo-stack.h"

G_BEGIN_DECLS

#define SPK_TYPE_INSPECTOR (spk_inspector_get_type ())
G_DECLARE_FINAL_TYPE (SpkInspector, spk_inspector, SPK, INSPECTOR, GtkWidget)

GtkWidget  *spk_inspector_new         (void);

/* The objects to inspect (element-type GObject: a network or model
 * objects, or one sub-network; NULL or empty shows nothing).  With several objects only the
 * properties they share are shown, and an edit sets all of them. */
void        spk_inspector_set_objects (SpkInspector *self,
                                       GPtrArray    *objects);
/* (transfer none) (element-type GObject) */
GPtrArray  *spk_inspector_get_objects (SpkInspector *self);
/* What the header's title says ("a", "3 Objects", "network_1"). */
const char *spk_inspector_get_title   (SpkInspector *self);

/* The widget that edits property (a GtkSpinButton, GtkSwitch,
 * AdwComboRow, AdwEntryRow or AdwExpanderRow), or NULL when it is not
 * shown.  (transfer none) */
GtkWidget  *spk_inspector_get_editor  (SpkInspector *self,
                                       const char   *property);
/* Decode errors from a solve (SpkObject* → SpkArray* of RMSE per output;
 * NULL: none): a selected connection in it shows its error. */
void        spk_inspector_set_decode_errors (SpkInspector *self,
                                             GHashTable   *errors);
/* The decode error shown ("0.0123, 0.004"), or NULL. */
const char *spk_inspector_get_decode_error  (SpkInspector *self);
/* What training left (trained: SpkObject* → what it changed, a
 * const char*, nullable; the history: n_epochs losses and val_losses,
 * val_loss nullable, NaN where none): the network shows the history, a
 * trained object a mark. */
void        spk_inspector_set_training (SpkInspector *self,
                                        GHashTable   *trained,
                                        guint         n_epochs,
                                        const double *loss,
                                        const double *val_loss);
/* The training text shown for the inspected object, or NULL. */
const char *spk_inspector_get_training (SpkInspector *self);
/* The undo stack of the inspected model (nullable): edits made in the
 * windows the inspector opens (a transform's values) are one step each. */
void        spk_inspector_set_undo_stack (SpkInspector *self,
                                          SpkUndoStack *undo);
/* The message shown under an expression, or NULL when it is valid. */
const char *spk_inspector_get_message (SpkInspector *self,
                                       const char   *property);

G_END_DECLS
