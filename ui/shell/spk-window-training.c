/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-window-training.c — what the training panel
 * gives back: the trained parameters every later build takes, and the
 * loss history. */
#define G_LOG_DOMAIN "spk-window"

#include "ui/shell/spk-window-private.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "builder/spk-plan.h"
#include "io/spk-model-json.h"
#include "examples/spk-examples.h"
#include "ui/plots/spk-plot-view.h"
#include "ui/shell/spk-palette.h"
#include "ui/shell/spk-shell.h"

/* {{{ Training
 *
 * The panel trains a copy of the model (spk-train-panel.c) and hands back
 * the trained built parameters and the epochs' losses.  The window keeps
 * them: every build of the model takes the parameters (validation, the
 * plots' plan, the run bar's copy), a save writes them and the history
 * into the session, and the inspector shows the history and marks what
 * was trained. */

/* What training changed in each object: SpkObject* → a description. */
static GHashTable *
collect_trained (SpkWindow *self)
{
  GHashTable *trained = g_hash_table_new (NULL, NULL);
  GPtrArray *objects;

  if (self->params == NULL || self->history_loss == NULL || self->history_loss->len == 0
      || !spk_network_get_trainable (self->network))
    return trained;
  objects = spk_network_get_objects (self->network);
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      g_autofree char *key = NULL, *encoders = NULL, *bias = NULL;

      if (!spk_object_get_trainable (object))
        continue;
      if (SPK_IS_ENSEMBLE (object) && spk_object_get_label (object) != NULL)
        {
          encoders = g_strconcat (spk_object_get_label (object), "/encoders", NULL);
          bias = g_strconcat (spk_object_get_label (object), "/bias", NULL);
          if (g_hash_table_contains (self->params, encoders) || g_hash_table_contains (self->params, bias))
            g_hash_table_insert (trained, object, (gpointer) _("Encoders and biases"));
        }
      else if (SPK_IS_CONNECTION (object)
               && (key = _spk_window_connection_key (self->network, SPK_CONNECTION (object))) != NULL)
        {
          g_autofree char *weights = g_strconcat (key, "/weights", NULL);

          if (g_hash_table_contains (self->params, weights))
            g_hash_table_insert (trained, object, (gpointer) _("Weights"));
        }
    }
  return trained;
}

void
_spk_window_show_training (SpkWindow *self)
{
  g_autoptr (GHashTable) trained = collect_trained (self);
  guint n = self->history_loss ? self->history_loss->len : 0;

  spk_inspector_set_training (self->inspector, trained, n,
                              n ? (const double *) self->history_loss->data : NULL,
                              n ? (const double *) self->history_val_loss->data : NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.forget-training", self->params != NULL || n > 0);
}

static gboolean
same_params (GHashTable *a,
             GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_hash_table_lookup (b, key) != value)
      return FALSE;
  return TRUE;
}

/* Parameters are named by keys, and an unlabelled object's key counts its
 * place in the model (spk_network_dup_keys ()): moving one into a
 * network, or removing one before it, renumbers others.  Each build's
 * parameters are therefore those given, moved from the keys the model had
 * when they were given to the keys their objects have now; an undone
 * removal gets its object's parameters back. */
void
_spk_window_follow_params (SpkWindow *self)
{
  g_autoptr (GHashTable) moved = NULL;

  if (self->params == NULL || self->network == NULL)
    {
      g_clear_pointer (&self->params_given, g_hash_table_unref);
      g_clear_pointer (&self->params_keys, g_hash_table_unref);
      g_clear_pointer (&self->params_followed, g_hash_table_unref);
      return;
    }
  if (self->params != self->params_followed)
    {
      /* New parameters: named by the model as it is now. */
      g_clear_pointer (&self->params_given, g_hash_table_unref);
      g_clear_pointer (&self->params_keys, g_hash_table_unref);
      g_clear_pointer (&self->params_followed, g_hash_table_unref);
      self->params_given = g_hash_table_ref (self->params);
      self->params_keys = spk_network_dup_keys (self->network);
      self->params_followed = g_hash_table_ref (self->params);
      return;
    }
  moved = spk_network_rekey_params (self->network, self->params_given, self->params_keys);
  if (same_params (moved, self->params))
    return;
  g_hash_table_unref (self->params);
  self->params = g_hash_table_ref (moved);
  g_clear_pointer (&self->params_followed, g_hash_table_unref);
  self->params_followed = g_steal_pointer (&moved);
  spk_run_bar_set_params (self->run_bar, self->params);
}

/* The parameters every build takes from now on: the plots' plan and the
 * run bar's copy follow. */
static void
use_params (SpkWindow  *self,
            GHashTable *params)
{
  g_autoptr (GError) error = NULL;

  if (params != self->params)
    {
      g_clear_pointer (&self->params, g_hash_table_unref);
      self->params = params ? g_hash_table_ref (params) : NULL;
    }
  spk_run_bar_set_params (self->run_bar, self->params);
  spk_train_panel_set_model (self->train_panel, self->network, self->params);
  spk_window_validate_now (self);
  if (self->run_blocker == NULL && !spk_run_bar_rebuild (self->run_bar, FALSE, &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
}

void
_spk_window_training_started_cb (SpkTrainPanel *panel,
                                 SpkWindow     *self)
{
  SpkRunner *runner = spk_run_bar_get_runner (self->run_bar);

  /* The simulation waits while the network trains. */
  if (runner != NULL)
    spk_runner_pause (runner);
}

void
_spk_window_trained_cb (SpkTrainPanel *panel,
                        GHashTable    *params,
                        GArray        *loss,
                        GArray        *val_loss,
                        gboolean       cancelled,
                        SpkWindow     *self)
{
  if (self->network == NULL)
    return;
  g_array_append_vals (self->history_loss, loss->data, loss->len);
  g_array_append_vals (self->history_val_loss, val_loss->data, val_loss->len);
  self->training_unsaved = TRUE;
  use_params (self, params);
  _spk_window_show_training (self);
  _spk_window_update_title (self);
}

void
_spk_window_set_pending_training (SpkWindow  *self,
                                  GHashTable *params,
                                  GArray     *loss,
                                  GArray     *val_loss)
{
  g_clear_pointer (&self->pending_params, g_hash_table_unref);
  g_clear_pointer (&self->pending_loss, g_array_unref);
  g_clear_pointer (&self->pending_val_loss, g_array_unref);
  self->pending_params = params;
  self->pending_loss = loss;
  self->pending_val_loss = val_loss;
}

void
spk_window_forget_training (SpkWindow *self)
{
  g_return_if_fail (SPK_IS_WINDOW (self));

  if (self->params == NULL && (self->history_loss == NULL || self->history_loss->len == 0))
    return;
  if (self->history_loss != NULL && self->history_loss->len > 0)
    self->training_unsaved = TRUE;
  g_array_set_size (self->history_loss, 0);
  g_array_set_size (self->history_val_loss, 0);
  g_clear_pointer (&self->params, g_hash_table_unref);
  spk_run_bar_set_params (self->run_bar, NULL);
  spk_train_panel_set_model (self->train_panel, self->network, NULL);
  _spk_window_show_training (self);
  _spk_window_update_title (self);
}

void
_spk_window_forget_training_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  SpkWindow *self = SPK_WINDOW (widget);
  g_autoptr (GError) error = NULL;

  spk_window_forget_training (self);
  spk_window_validate_now (self);
  if (self->run_blocker == NULL && !spk_run_bar_rebuild (self->run_bar, FALSE, &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
}

SpkTrainPanel *
spk_window_get_train_panel (SpkWindow *self)
{
  g_return_val_if_fail (SPK_IS_WINDOW (self), NULL);
  return self->train_panel;
}

gboolean
spk_window_get_training (SpkWindow *self)
{
  g_return_val_if_fail (SPK_IS_WINDOW (self), FALSE);
  return self->training;
}

GHashTable *
spk_window_get_params (SpkWindow *self)
{
  g_return_val_if_fail (SPK_IS_WINDOW (self), NULL);
  return self->params;
}

guint
spk_window_get_history (SpkWindow     *self,
                        const double **loss,
                        const double **val_loss)
{
  guint n;

  g_return_val_if_fail (SPK_IS_WINDOW (self), 0);
  n = self->history_loss ? self->history_loss->len : 0;
  if (loss != NULL)
    *loss = n ? (const double *) self->history_loss->data : NULL;
  if (val_loss != NULL)
    *val_loss = n ? (const double *) self->history_val_loss->data : NULL;
  return n;
}

/* }}} */
