/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-inspector-private.h — what the files of SpkInspector share: the
 * inspector's struct, the Editor of a shown property, and the editors'
 * and values' functions. */
#pragma once

#include <adwaita.h>

#include "model/spk-network.h"
#include "ui/shell/spk-inspector.h"
#include "ui/shell/spk-undo-stack.h"

G_BEGIN_DECLS

typedef struct _Editor Editor;
typedef void (*EditorRefresh) (Editor *editor);

struct _Editor
{
  SpkInspector  *inspector;
  GParamSpec    *pspec;
  GtkWidget     *row;        /* the row in the page */
  GtkWidget     *editor;     /* what spk_inspector_get_editor() returns */
  GtkWidget     *message;    /* expressions: the error under the entry */
  GtkWidget     *combo;      /* expanders: the kind drop-down */
  GPtrArray     *sub_rows;   /* expanders: the parameter rows of the kind */
  EditorRefresh  refresh;
};

struct _SpkInspector
{
  GtkWidget   parent_instance;

  GtkWidget  *icon;
  GtkWidget  *title;
  GtkWidget  *subtitle;
  GtkWidget  *page;

  GPtrArray  *objects;   /* GObject* */
  GPtrArray  *groups;    /* the AdwPreferencesGroups in page */
  GHashTable *editors;   /* property name → Editor* */
  guint       updating;
  const char *setting;   /* the property being set, while it is */
  GHashTable *decode_errors; /* SpkObject* → SpkArray* (RMSE per output), or NULL */
  char       *decode_error_text;
  GHashTable *trained;       /* SpkObject* → what training changed (const char*) */
  GArray     *history_loss;  /* doubles per epoch trained */
  GArray     *history_val_loss;
  char       *training_text;
  SpkUndoStack *undo;        /* of the inspected model, or NULL */
};

const char *_spk_inspector_unit_for (const char *name);
const char *_spk_inspector_nick_of (GParamSpec *pspec);
const char *_spk_inspector_blurb_of (GParamSpec *pspec);
gboolean _spk_inspector_is_expression (GParamSpec *pspec);
GObject *_spk_inspector_first_object (SpkInspector *self);
gboolean _spk_inspector_is_network_param (SpkInspector *self,
                                          GParamSpec   *pspec);
void _spk_inspector_edit_network (SpkInspector *self,
                                  GParamSpec   *pspec,
                                  const GValue *value);
void _spk_inspector_get_value (Editor *editor,
                               GValue *value);
gpointer _spk_inspector_dup_boxed (Editor *editor);
void _spk_inspector_set_value (Editor       *editor,
                               const GValue *value);
void _spk_inspector_set_boxed (Editor   *editor,
                               gpointer  boxed);
gboolean _spk_inspector_is_mixed (Editor *editor);
char *_spk_inspector_summarize_array (const SpkArray *array);
char *_spk_inspector_summarize_distribution (const SpkDistribution *dist);
char *_spk_inspector_summarize_neuron_type (const SpkNeuronType *type);
char *_spk_inspector_summarize_synapse (const SpkSynapse *synapse);
char *_spk_inspector_summarize_solver (const SpkSolver *solver);
char *_spk_inspector_summarize_process (const SpkProcess *process);
char *_spk_inspector_summarize_learning_rule (const SpkLearningRuleType *rule);
GtkWidget *_spk_inspector_number_spin (double lower,
                                       double upper,
                                       guint  digits);
GtkWidget *_spk_inspector_spin_row (const char  *title,
                                    const char  *subtitle,
                                    const char  *unit,
                                    GtkWidget   *spin);
GtkWidget *_spk_inspector_combo_row (const char         *title,
                                     const char * const *items);
void _spk_inspector_number_editor (Editor *editor);
void _spk_inspector_switch_editor (Editor *editor);
void _spk_inspector_enum_editor (Editor *editor);
gboolean _spk_inspector_validate_expression (Editor *editor);
void _spk_inspector_string_editor (Editor *editor);
void _spk_inspector_slice_editor (Editor *editor);
void _spk_inspector_json_editor (Editor *editor);
void _spk_inspector_reference_editor (Editor *editor);
GtkWidget *_spk_inspector_edit_button (Editor *editor);
void _spk_inspector_array_editor (Editor *editor);
void _spk_inspector_expander_editor (Editor *editor);

G_END_DECLS
