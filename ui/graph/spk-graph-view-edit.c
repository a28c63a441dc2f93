/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-graph-view-edit.c — the canvas's editing
 * commands: add objects and presets, connect, delete, group and ungroup
 * (copy, paste and duplicate are in spk-graph-view-clip.c).  Every edit goes to the SpkNetwork or the
 * SpkLayout; the view redraws from their signals. */
#define G_LOG_DOMAIN "spk-graph-view"

#include "spk-graph-view-private.h"

#include "model/spk-subnetwork.h"

#include <glib/gi18n.h>
#include <math.h>

/* Adding and connecting. */

/* wanted_<n> for the first free n from first on ("a_2" goes on as "a_3"). */
char *
_spk_graph_view_fresh_label (SpkNetwork *network,
                             const char *wanted,
                             guint       first)
{
  g_autofree char *base = g_strdup (wanted != NULL && *wanted != '\0' ? wanted : "object");
  char *end = base + strlen (base);

  /* "a_2" continues as "a_3", not "a_2_2". */
  while (end > base && g_ascii_isdigit (end[-1]))
    end--;
  if (end > base + 1 && end[-1] == '_' && *end != '\0')
    end[-1] = '\0';
  for (guint n = first;; n++)
    {
      g_autofree char *label = g_strdup_printf ("%s_%u", base, n);

      if (spk_network_lookup (network, label) == NULL)
        return g_steal_pointer (&label);
    }
}

static SpkObject *
new_preset (SpkGraphView *self,
            const char   *preset)
{
  if (g_str_equal (preset, "node") || g_str_equal (preset, "node-sine"))
    {
      SpkNode *node = spk_node_new ();

      spk_node_set_output_expr (node, "sin(2*pi*t)");
      return SPK_OBJECT (node);
    }
  if (g_str_equal (preset, "node-constant"))
    {
      SpkNode *node = spk_node_new ();
      g_autoptr (SpkArray) value = spk_array_new_scalar (0.5);

      spk_node_set_output_value (node, value);
      return SPK_OBJECT (node);
    }
  if (g_str_equal (preset, "node-noise"))
    {
      SpkNode *node = spk_node_new ();
      SpkProcess *process = spk_process_new (SPK_PROCESS_WHITE_SIGNAL);

      process->period = 1.0;
      spk_node_set_output_process (node, process);
      spk_process_unref (process);
      return SPK_OBJECT (node);
    }
  if (g_str_equal (preset, "node-passthrough"))
    {
      SpkNode *node = spk_node_new ();

      spk_node_set_size_in (node, 1);
      return SPK_OBJECT (node);
    }
  if (g_str_equal (preset, "layer-dense"))
    {
      SpkLayer *layer = spk_layer_new (SPK_LAYER_DENSE);

      spk_layer_set_shape (layer, 1, 0, 0);
      return SPK_OBJECT (layer);
    }
  if (g_str_equal (preset, "layer-conv2d"))
    {
      SpkLayer *layer = spk_layer_new (SPK_LAYER_CONV2D);

      spk_layer_set_shape (layer, 28, 28, 1);
      g_object_set (layer, "filters", 8, NULL);
      return SPK_OBJECT (layer);
    }
  if (g_str_equal (preset, "ensemble"))
    return SPK_OBJECT (spk_ensemble_new ());
  if (g_str_equal (preset, "ensemble-2d"))
    {
      SpkEnsemble *ens = spk_ensemble_new ();

      spk_ensemble_set_n_neurons (ens, 100);
      spk_ensemble_set_dimensions (ens, 2);
      return SPK_OBJECT (ens);
    }
  if (g_str_equal (preset, "ensemble-relu"))
    {
      SpkEnsemble *ens = spk_ensemble_new ();
      g_autoptr (SpkNeuronType) type = spk_neuron_type_new (SPK_NEURON_RECTIFIED_LINEAR);

      spk_ensemble_set_neuron_type (ens, type);
      return SPK_OBJECT (ens);
    }
  if (g_str_equal (preset, "probe"))
    {
      SpkProbe *probe = spk_probe_new ();
      SpkObject *active = spk_graph_view_get_active_object (self);

      /* Probing what is selected is what a user adding a probe means. */
      if (active != NULL && (SPK_IS_NODE (active) || SPK_IS_ENSEMBLE (active) || SPK_IS_LAYER (active)))
        spk_probe_set_target (probe, active);
      return SPK_OBJECT (probe);
    }
  return NULL;
}

/* Creates one of the presets the Add popover lists, at canvas (x, y). */
SpkObject *
_spk_graph_view_add_preset (SpkGraphView *self,
                            const char   *preset,
                            double        x,
                            double        y)
{
  g_autoptr (SpkObject) object = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *label = NULL;

  if (self->network == NULL)
    return NULL;
  object = new_preset (self, preset);
  if (object == NULL)
    {
      g_warning ("no such object to add: %s", preset);
      return NULL;
    }
  label = _spk_graph_view_fresh_label (self->network, spk_object_get_type_name (object), 1);
  spk_object_set_label (object, label);
  if (self->layout == NULL)
    {
      g_autoptr (SpkLayout) layout = spk_layout_new ();

      spk_graph_view_set_layout (self, layout);
    }
  spk_layout_set_position (self->layout, object,
                           round (x / (SPK_GRAPH_GRID / 2)) * (SPK_GRAPH_GRID / 2),
                           round (y / (SPK_GRAPH_GRID / 2)) * (SPK_GRAPH_GRID / 2));
  if (!spk_network_add (self->network, object, &error))
    {
      /* The label is fresh, so this is a programming error. */
      g_critical ("%s", error->message);
      spk_layout_remove (self->layout, object);
      return NULL;
    }
  spk_graph_view_select (self, object, FALSE);
  return object;
}

SpkObject *
spk_graph_view_add_object (SpkGraphView *self,
                           GType         type,
                           double        x,
                           double        y)
{
  const char *preset;

  g_return_val_if_fail (SPK_IS_GRAPH_VIEW (self), NULL);
  g_return_val_if_fail (self->network != NULL, NULL);

  if (g_type_is_a (type, SPK_TYPE_NODE))
    preset = "node";
  else if (g_type_is_a (type, SPK_TYPE_ENSEMBLE))
    preset = "ensemble";
  else if (g_type_is_a (type, SPK_TYPE_PROBE))
    preset = "probe";
  else if (g_type_is_a (type, SPK_TYPE_LAYER))
    preset = "layer-dense";
  else
    g_return_val_if_reached (NULL);
  return _spk_graph_view_add_preset (self, preset, x, y);
}

SpkConnection *
spk_graph_view_connect (SpkGraphView  *self,
                        SpkObject     *pre,
                        gboolean       pre_neurons,
                        SpkObject     *post,
                        gboolean       post_neurons,
                        GError       **error)
{
  g_autoptr (SpkConnection) conn = NULL;
  gboolean needs_transform;

  g_return_val_if_fail (SPK_IS_GRAPH_VIEW (self), NULL);
  g_return_val_if_fail (self->network != NULL, NULL);
  g_return_val_if_fail (SPK_IS_OBJECT (pre) && SPK_IS_OBJECT (post), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_spk_graph_check_connection (pre, pre_neurons, post, post_neurons, &needs_transform, error))
    return NULL;
  if (SPK_IS_PROBE (post))
    {
      g_object_freeze_notify (G_OBJECT (post));
      spk_probe_set_target (SPK_PROBE (post), pre);
      spk_probe_set_target_neurons (SPK_PROBE (post), pre_neurons);
      g_object_thaw_notify (G_OBJECT (post));
      return NULL;
    }
  conn = spk_connection_new ();
  spk_connection_set_pre (conn, pre);
  spk_connection_set_pre_neurons (conn, pre_neurons);
  spk_connection_set_post (conn, post);
  spk_connection_set_post_neurons (conn, post_neurons);
  if (needs_transform)
    {
      g_autoptr (SpkDistribution) glorot = spk_distribution_new_glorot (1.0, FALSE);

      spk_connection_set_transform (conn, glorot);
    }
  if (!spk_network_add (self->network, SPK_OBJECT (conn), error))
    return NULL;
  return conn;
}

/* Deleting. */

void
spk_graph_view_delete_selection (SpkGraphView *self)
{
  g_autoptr (GPtrArray) doomed = NULL;
  g_autoptr (GPtrArray) nets = NULL;

  g_return_if_fail (SPK_IS_GRAPH_VIEW (self));

  if (self->network == NULL || self->selection->len == 0)
    return;
  doomed = g_ptr_array_new_with_free_func (g_object_unref);
  nets = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->selection->len; i++)
    {
      SpkObject *object = g_ptr_array_index (self->selection, i);
      SpkSubnetwork *builtin = spk_subnetwork_builtin_of (object);

      /* A built-in network's objects go only all together, with it. */
      if (builtin != NULL && spk_object_get_generated (object))
        object = SPK_OBJECT (builtin);
      if (!g_ptr_array_find (doomed, object, NULL))
        g_ptr_array_add (doomed, g_object_ref (object));
    }
  for (guint i = 0; i < doomed->len; i++)
    _spk_graph_view_note_networks_of (g_ptr_array_index (doomed, i), nets);
  for (guint i = 0; i < doomed->len; i++)
    spk_network_remove (self->network, g_ptr_array_index (doomed, i));
  /* A network whose every card went goes with them. */
  _spk_graph_view_remove_emptied_networks (self, nets);
  spk_graph_view_clear_selection (self);
}

/* Groups (made and dissolved in spk-graph-view-networks.c). */

/* Selects a group's members: what clicking its card or title means. */
void
_spk_graph_view_select_group (SpkGraphView *self,
                              SpkGroupCard *group,
                              gboolean      add)
{
  g_autoptr (GPtrArray) next = g_ptr_array_new ();

  if (add)
    g_ptr_array_extend (next, self->selection, NULL, NULL);
  for (guint i = 0; i < group->members->len; i++)
    {
      SpkObject *object = ((SpkCard *) g_ptr_array_index (group->members, i))->object;

      if (!g_ptr_array_find (next, object, NULL))
        g_ptr_array_add (next, object);
    }
  _spk_graph_view_set_selection (self, next);
}

/* Opens a collapsed group in place, or collapses an open one.  The group
 * card is remade by the change: do not use it afterwards. */
void
_spk_graph_view_toggle_group (SpkGraphView *self,
                              SpkGroupCard *group)
{
  if (group->parent == NULL)
    spk_layout_set_group_collapsed (self->layout, group->group, !group->collapsed);
  else
    spk_layout_set_nested_collapsed (self->layout, group->label, !group->collapsed);
}

/**
 * spk_graph_view_get_group_at:
 *
 * Returns: (transfer none) (nullable): the label of the group whose card
 *   (collapsed) or title strip (open) is at widget point (x, y)
 */
const char *
spk_graph_view_get_group_at (SpkGraphView *self,
                             double        x,
                             double        y)
{
  SpkGroupCard *group;
  double cx, cy;

  g_return_val_if_fail (SPK_IS_GRAPH_VIEW (self), NULL);

  _spk_graph_view_to_canvas (self, x, y, &cx, &cy);
  if (_spk_graph_view_card_at (self, cx, cy) != NULL)
    return NULL;
  group = _spk_graph_view_group_at (self, cx, cy);
  return group != NULL ? group->label : NULL;
}

/* Where a group is drawn, in widget coordinates: its card when collapsed,
 * its frame (title included) when open; FALSE when it is not drawn. */
gboolean
spk_graph_view_get_group_bounds (SpkGraphView    *self,
                                 const char      *label,
                                 graphene_rect_t *bounds)
{
  SpkGroupCard *group;

  g_return_val_if_fail (SPK_IS_GRAPH_VIEW (self), FALSE);
  g_return_val_if_fail (bounds != NULL, FALSE);

  group = _spk_graph_view_lookup_group (self, label);
  if (group == NULL)
    return FALSE;
  graphene_rect_init (bounds, group->x * self->zoom + self->off_x, group->y * self->zoom + self->off_y,
                      group->w * self->zoom, group->h * self->zoom);
  return TRUE;
}

/* A move drag holds the layout in a batch, so the drag is one step to
 * undo however long it lasts. */
void
_spk_graph_view_end_drag (SpkGraphView *self)
{
  if (!self->batch_open)
    return;
  self->batch_open = FALSE;
  if (self->layout != NULL)
    spk_layout_end_batch (self->layout);
}
