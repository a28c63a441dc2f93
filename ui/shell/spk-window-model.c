/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-window-model.c — the model on show: setting
 * a network with its layout, its default plots (what its probes record,
 * the decoded function of its connections) and the examples. */
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

/* {{{ The model on show */

/* Each plot remembers the object it shows (a plain pointer, compared
 * with the network's objects before it is used): a plot names its object
 * by label or by an unlabelled connection's position, and both change. */
#define PLOT_TARGET_KEY "spk-plot-target"

/* A plot of target; a Node's value is its output, a connection is named
 * by its key. */
SpkPlotView *
_spk_window_add_plot (SpkWindow   *self,
                      SpkPlotKind  kind,
                      SpkObject   *target)
{
  g_autofree char *key = SPK_IS_CONNECTION (target) ? _spk_window_connection_key (self->network, SPK_CONNECTION (target)) : NULL;
  const char *label = key != NULL ? key : spk_object_get_label (target);
  SpkPlotView *view = spk_plot_grid_add (self->plot_grid, kind, label);

  g_object_set_data (G_OBJECT (view), PLOT_TARGET_KEY, target);
  /* Nodes and layers have an output, not a decoded value. */
  if ((SPK_IS_NODE (target) || SPK_IS_LAYER (target)) && kind == SPK_PLOT_VALUE)
    {
      g_autofree char *title = g_strdup_printf (_("%s — Output"), label);

      spk_plot_view_set_title (view, title);
    }
  else if (SPK_IS_CONNECTION (target))
    {
      /* An unlabelled connection is named by its ends. */
      SpkObject *pre = spk_connection_get_pre (SPK_CONNECTION (target));
      SpkObject *post = spk_connection_get_post (SPK_CONNECTION (target));
      g_autofree char *title = NULL;

      if (kind == SPK_PLOT_DECODED)
        spk_plot_view_set_connection (view, SPK_CONNECTION (target));
      if (spk_object_get_label (target) == NULL && post != NULL
          && spk_object_get_label (pre) != NULL && spk_object_get_label (post) != NULL)
        {
          /* Translators: a connection's plot title: pre → post, then the kind of plot */
          title = g_strdup_printf (_("%s → %s — %s"), spk_object_get_label (pre), spk_object_get_label (post),
                                   spk_plot_kind_display_name (kind));
          spk_plot_view_set_title (view, title);
        }
    }
  return view;
}

/* The open plot of kind on target, or NULL. */
SpkPlotView *
_spk_window_find_plot (SpkWindow   *self,
                       SpkPlotKind  kind,
                       SpkObject   *target)
{
  for (guint i = 0; i < spk_plot_grid_get_n_plots (self->plot_grid); i++)
    {
      SpkPlotView *view = spk_plot_grid_get_plot (self->plot_grid, i);

      if (spk_plot_view_get_kind (view) == kind
          && _spk_window_lookup_plot_target (self, spk_plot_view_get_target (view)) == target)
        return view;
    }
  return NULL;
}

/* The object a plot names: a label, or an unlabelled connection's key. */
SpkObject *
_spk_window_lookup_plot_target (SpkWindow  *self,
                                const char *key)
{
  GPtrArray *objects = spk_network_get_objects (self->network);
  SpkObject *object = spk_network_lookup (self->network, key);

  for (guint i = 0; i < objects->len && object == NULL; i++)
    {
      g_autofree char *other = NULL;

      if (SPK_IS_CONNECTION (g_ptr_array_index (objects, i))
          && g_strcmp0 (other = _spk_window_connection_key (self->network, g_ptr_array_index (objects, i)), key) == 0)
        object = g_ptr_array_index (objects, i);
    }
  return object;
}

void
_spk_window_set_pending_plots (SpkWindow *self,
                               GVariant  *plots)
{
  g_clear_pointer (&self->pending_plots, g_variant_unref);
  if (plots != NULL)
    self->pending_plots = g_variant_ref_sink (plots);
}

/* The key the plan knows connection by (spk_network_dup_key()). */
char *
_spk_window_connection_key (SpkNetwork    *network,
                            SpkConnection *connection)
{
  return spk_network_dup_key (network, SPK_OBJECT (connection));
}

/* A saved decoded-function plot knows its connection by key only: find
 * it again in the model just opened. */
static void
connect_decoded_plots (SpkWindow *self)
{
  GPtrArray *objects = spk_network_get_objects (self->network);

  for (guint p = 0; p < spk_plot_grid_get_n_plots (self->plot_grid); p++)
    {
      SpkPlotView *view = spk_plot_grid_get_plot (self->plot_grid, p);

      if (spk_plot_view_get_kind (view) != SPK_PLOT_DECODED)
        continue;
      for (guint i = 0; i < objects->len; i++)
        {
          SpkObject *object = g_ptr_array_index (objects, i);
          g_autofree char *key = NULL;

          if (SPK_IS_CONNECTION (object)
              && (key = _spk_window_connection_key (self->network, SPK_CONNECTION (object))) != NULL
              && g_strcmp0 (key, spk_plot_view_get_target (view)) == 0)
            {
              spk_plot_view_set_connection (view, SPK_CONNECTION (object));
              break;
            }
        }
    }
}

/* Brings the plots in line with the model after an edit: the plots of
 * deleted objects go (so they are neither saved nor left unremovable),
 * and a plot whose object was renamed, or whose unlabelled connection
 * moved in the model order, follows it.  A plot whose object is unknown
 * (a session's) is looked up by its name once and dropped if it names
 * nothing. */
void
_spk_window_sync_plot_targets (SpkWindow *self)
{
  GPtrArray *objects;
  gboolean changed = FALSE;

  if (self->network == NULL)
    return;
  objects = spk_network_get_objects (self->network);
  spk_plot_grid_freeze_changes (self->plot_grid);
  for (guint p = spk_plot_grid_get_n_plots (self->plot_grid); p-- > 0;)
    {
      SpkPlotView *view = spk_plot_grid_get_plot (self->plot_grid, p);
      SpkObject *target = g_object_get_data (G_OBJECT (view), PLOT_TARGET_KEY);
      g_autofree char *key = NULL;
      const char *name;

      if (target == NULL || !g_ptr_array_find (objects, target, NULL))
        target = target == NULL ? _spk_window_lookup_plot_target (self, spk_plot_view_get_target (view)) : NULL;
      if (target == NULL)
        {
          spk_plot_grid_remove (self->plot_grid, view);
          continue;
        }
      g_object_set_data (G_OBJECT (view), PLOT_TARGET_KEY, target);
      if (SPK_IS_CONNECTION (target))
        key = _spk_window_connection_key (self->network, SPK_CONNECTION (target));
      name = key != NULL ? key : spk_object_get_label (target);
      if (name != NULL && g_strcmp0 (name, spk_plot_view_get_target (view)) != 0)
        {
          const char *old = spk_plot_view_get_target (view);
          const char *title = spk_plot_view_get_title (view);

          /* A title that starts with the old name follows the new one. */
          if (title != NULL && g_str_has_prefix (title, old))
            {
              g_autofree char *renamed = g_strconcat (name, title + strlen (old), NULL);

              spk_plot_view_set_title (view, renamed);
            }
          spk_plot_view_set_target (view, name);
          changed = TRUE;
        }
    }
  /* Plots gone with their objects need no rebuild of the run: the edit
   * restarts it once checked, and the model may be half deleted now. */
  self->syncing_plots = TRUE;
  spk_plot_grid_thaw_changes (self->plot_grid);
  self->syncing_plots = FALSE;
  /* A renamed target needs its probe under the new name in the run. */
  if (changed && self->run_blocker == NULL)
    {
      g_autoptr (GError) error = NULL;

      if (!spk_run_bar_rebuild (self->run_bar, TRUE, &error))
        g_debug ("rebuild after renaming a plot's object: %s", error->message);
    }
}

/* The plots a model opens with: one for each probe the model itself has
 * (its author chose what is worth watching), then a raster of the first
 * spiking ensemble, at most six in all. */
static void
add_default_plots (SpkWindow *self)
{
  GPtrArray *objects = spk_network_get_objects (self->network);
  SpkObject *raster = NULL;
  guint n = 0;

  spk_plot_grid_remove_all (self->plot_grid);
  for (guint i = 0; i < objects->len && n < 6; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      SpkObject *target;
      const char *label;
      SpkPlotKind kind = SPK_PLOT_VALUE;
      SpkPlotView *view;

      if (!SPK_IS_PROBE (object) || (target = spk_probe_get_target (SPK_PROBE (object))) == NULL
          || (label = spk_object_get_label (target)) == NULL)
        continue;
      if (spk_probe_get_target_neurons (SPK_PROBE (object)))
        {
          SpkNeuronType *type = spk_ensemble_get_neuron_type (SPK_ENSEMBLE (target));
          const char *attr = spk_probe_get_attr (SPK_PROBE (object));

          /* What the probe records: a voltage or a current has its own plot. */
          if (g_strcmp0 (attr, "voltage") == 0)
            kind = SPK_PLOT_VOLTAGE;
          else if (g_strcmp0 (attr, "input") == 0)
            kind = SPK_PLOT_CURRENT;
          else if (spk_plot_kind_applies (SPK_PLOT_IMAGE, target) && spk_ensemble_get_n_neurons (SPK_ENSEMBLE (target)) > 100)
            kind = SPK_PLOT_IMAGE;
          else if (type != NULL && spk_neuron_type_is_spiking (type))
            kind = SPK_PLOT_SPIKES;
          else
            kind = SPK_PLOT_FILTERED;
        }
      else if (spk_plot_kind_applies (SPK_PLOT_IMAGE, target) && spk_plot_target_dimensions (target) > 100)
        kind = SPK_PLOT_IMAGE;   /* an image input: 784 lines would say nothing */
      /* Two values are a point moving in the plane; more are lines (a
       * classifier's ten scores). */
      else if (spk_plot_target_dimensions (target) == 2)
        kind = SPK_PLOT_XY;
      /* Two probes of the same thing (a probe's own synapse aside) make one plot. */
      if (!spk_plot_kind_applies (kind, target) || _spk_window_find_plot (self, kind, target) != NULL)
        continue;
      view = _spk_window_add_plot (self, kind, target);
      /* The image a network is shown goes first: image → reconstruction. */
      if (kind == SPK_PLOT_IMAGE && SPK_IS_NODE (target))
        spk_plot_grid_move_to (self->plot_grid, view, 0);
      n++;
      if (kind == SPK_PLOT_FILTERED)
        {
          g_autofree char *title = g_strdup_printf (_("%s — Rates"), label);

          /* Rate neurons: their output is already a rate, shown unfiltered. */
          spk_plot_view_set_tau (view, 0);
          spk_plot_view_set_title (view, title);
        }
      if (kind == SPK_PLOT_SPIKES)
        raster = target;
    }
  for (guint i = 0; i < objects->len && raster == NULL && n < 6; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      SpkNeuronType *type;

      if (SPK_IS_ENSEMBLE (object) && spk_object_get_label (object) != NULL
          && (type = spk_ensemble_get_neuron_type (SPK_ENSEMBLE (object))) != NULL
          && spk_neuron_type_is_spiking (type))
        {
          _spk_window_add_plot (self, SPK_PLOT_SPIKES, object);
          raster = object;
        }
    }
}

void
_spk_window_release_model (SpkWindow *self)
{
  spk_window_cancel_solve (self);
  _spk_window_forget_solve (self);
  if (self->undo_stack != NULL)
    g_signal_handlers_disconnect_by_data (self->undo_stack, self);
  g_clear_object (&self->undo_stack);
  if (self->inspector != NULL)
    spk_inspector_set_undo_stack (self->inspector, NULL);
  g_clear_object (&self->error_object);
  g_clear_object (&self->layout);
  g_clear_object (&self->network);
  g_clear_object (&self->file);
  g_clear_pointer (&self->params, g_hash_table_unref);
  _spk_window_follow_params (self);
  g_clear_pointer (&self->validated_model, g_free);
  g_clear_pointer (&self->history_loss, g_array_unref);
  g_clear_pointer (&self->history_val_loss, g_array_unref);
  g_clear_pointer (&self->run_model, g_free);
  g_clear_pointer (&self->run_session, spk_session_unref);
  self->run_learned = FALSE;
  self->training_unsaved = FALSE;
}

void
spk_window_set_network (SpkWindow  *self,
                        SpkNetwork *network,
                        GVariant   *layout,
                        GFile      *file)
{
  g_autoptr (SpkLayout) saved = NULL;

  g_return_if_fail (SPK_IS_WINDOW (self));
  g_return_if_fail (SPK_IS_NETWORK (network));

  {
    /* A session's parameters and history outlive the old model's release. */
    GHashTable *params = g_steal_pointer (&self->pending_params);
    GArray *loss = g_steal_pointer (&self->pending_loss);
    GArray *val_loss = g_steal_pointer (&self->pending_val_loss);

    _spk_window_release_model (self);
    self->params = params;
    self->history_loss = loss ? loss : g_array_new (FALSE, FALSE, sizeof (double));
    self->history_val_loss = val_loss ? val_loss : g_array_new (FALSE, FALSE, sizeof (double));
  }
  self->network = g_object_ref (network);
  self->file = file ? g_object_ref (file) : NULL;

  spk_inspector_set_objects (self->inspector, NULL);
  if (layout != NULL)
    {
      saved = spk_layout_new ();
      spk_layout_apply (saved, layout, spk_network_get_objects (network));
    }
  spk_graph_view_set_layout (self->graph_view, saved);
  spk_graph_view_set_network (self->graph_view, network);
  self->layout = g_object_ref (spk_graph_view_get_layout (self->graph_view));

  self->undo_stack = spk_undo_stack_new (network, self->layout);
  g_signal_connect (self->undo_stack, "notify::can-undo", G_CALLBACK (_spk_window_undo_state_cb), self);
  g_signal_connect (self->undo_stack, "notify::can-redo", G_CALLBACK (_spk_window_undo_state_cb), self);
  g_signal_connect (self->undo_stack, "notify::modified", G_CALLBACK (_spk_window_undo_state_cb), self);
  g_signal_connect (self->undo_stack, "changed", G_CALLBACK (_spk_window_model_changed_cb), self);
  spk_inspector_set_undo_stack (self->inspector, self->undo_stack);

  spk_run_bar_set_model (self->run_bar, network, self->plot_grid, self->slider_panel);
  spk_run_bar_set_params (self->run_bar, self->params);
  spk_slider_panel_set_network (self->slider_panel, network);
  spk_train_panel_set_model (self->train_panel, network, self->params);
  _spk_window_show_training (self);
  if (self->pending_plots != NULL)
    {
      spk_plot_grid_apply (self->plot_grid, self->pending_plots);
      connect_decoded_plots (self);
      _spk_window_sync_plot_targets (self);
    }
  else
    add_default_plots (self);
  g_clear_pointer (&self->pending_plots, g_variant_unref);

  _spk_window_selection_changed_cb (self->graph_view, self);
  _spk_window_update_actions (self);
  _spk_window_update_title (self);
  self->validated_model = spk_model_to_data (network, NULL);
  spk_window_validate_now (self);
  spk_graph_view_fit (self->graph_view);
}

/* A short, translatable menu title for each built-in example. */
static const char *
example_title (const char *name)
{
  static const struct { const char *name; const char *title; } titles[] = {
    { "rate-vs-spiking", N_("Rate and Spiking Neurons") },
    { "nef-sin-x-squared", N_("Computing sin(x²)") },
    { "communication-channel", N_("Communication Channel") },
    { "integrator", N_("Integrator") },
    { "oscillator", N_("Oscillator") },
    { "product", N_("Multiplication") },
    { "autoencoder", N_("Autoencoder") },
    { "spiking-fashion-mnist", N_("Spiking Fashion-MNIST Classifier") },
    { "spiking-classifier", N_("Small Spiking Classifier") },
    { "relu-fashion-mnist", N_("Fashion-MNIST CNN for Keras") },
    { "learn-communication-channel", N_("Learning a Communication Channel") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    if (g_str_equal (titles[i].name, name))
      return _(titles[i].title);
  return name;
}

void
spk_window_new_model (SpkWindow *self)
{
  g_autoptr (SpkNetwork) network = spk_network_new ();

  g_return_if_fail (SPK_IS_WINDOW (self));

  spk_window_set_network (self, network, NULL, NULL);
}

gboolean
spk_window_open_example (SpkWindow   *self,
                         const char  *name,
                         GError     **error)
{
  g_autoptr (SpkNetwork) network = NULL;

  g_return_val_if_fail (SPK_IS_WINDOW (self), FALSE);

  network = spk_example_new (name, error);
  if (network == NULL)
    return FALSE;
  if (spk_network_get_label (network) == NULL)
    spk_network_set_label (network, example_title (name));
  spk_window_set_network (self, network, NULL, NULL);
  return TRUE;
}

void
_spk_window_fill_examples_menu (SpkWindow *self)
{
  const SpkExampleInfo *examples = spk_examples_list ();

  for (guint i = 0; examples[i].name != NULL; i++)
    {
      g_autoptr (GMenuItem) item = g_menu_item_new (example_title (examples[i].name), NULL);

      g_menu_item_set_action_and_target (item, "win.open-example", "s", examples[i].name);
      g_menu_append_item (self->examples_section, item);
    }
}

/* }}} */
