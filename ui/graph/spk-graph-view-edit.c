/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-graph-view-edit.c — the canvas's editing
 * commands: add objects and presets, connect, delete, group and ungroup,
 * copy, paste and duplicate.  Every edit goes to the SpkNetwork or the
 * SpkLayout; the view redraws from their signals. */
#define G_LOG_DOMAIN "spk-graph-view"

#include "spk-graph-view-private.h"

#include "model/spk-subnetwork.h"

#include <glib/gi18n.h>
#include <math.h>

/* Adding and connecting. */

static char *
fresh_label (SpkNetwork *network,
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
  label = fresh_label (self->network, spk_object_get_type_name (object), 1);
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

/* Copy and paste. */

/* A detached copy with every writable property, references included. */
static SpkObject *
copy_object (SpkObject *object)
{
  g_autoptr (GObject) copy = g_object_new (G_OBJECT_TYPE (object), NULL);
  guint n_specs;
  g_autofree GParamSpec **specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_specs);

  g_object_freeze_notify (copy);
  for (guint i = 0; i < n_specs; i++)
    {
      g_auto (GValue) value = G_VALUE_INIT;

      if ((specs[i]->flags & G_PARAM_READWRITE) != G_PARAM_READWRITE
          || (specs[i]->flags & G_PARAM_CONSTRUCT_ONLY) != 0)
        continue;
      g_value_init (&value, specs[i]->value_type);
      g_object_get_property (G_OBJECT (object), specs[i]->name, &value);
      g_object_set_property (copy, specs[i]->name, &value);
    }
  g_object_thaw_notify (copy);
  return SPK_OBJECT (g_steal_pointer (&copy));
}

/* Copies the selected cards, the connections between them and their
 * probes, rewiring the copies to each other. */
static void
clip_fill (SpkGraphView *self,
           GPtrArray    *objects,
           GArray       *positions)
{
  g_autoptr (GHashTable) map = g_hash_table_new (g_direct_hash, g_direct_equal);
  GPtrArray *all;

  g_ptr_array_set_size (objects, 0);
  g_array_set_size (positions, 0);
  if (self->network == NULL)
    return;
  all = spk_network_get_objects (self->network);
  for (guint i = 0; i < all->len; i++)
    {
      SpkObject *object = g_ptr_array_index (all, i);
      double xy[2] = { 0, 0 };
      SpkObject *copy;

      if (!_spk_graph_view_is_card_object (object) || !g_ptr_array_find (self->selection, object, NULL))
        continue;
      if (self->layout != NULL)
        spk_layout_get_position (self->layout, object, &xy[0], &xy[1]);
      copy = copy_object (object);
      g_hash_table_insert (map, object, copy);
      g_ptr_array_add (objects, copy);
      g_array_append_vals (positions, xy, 2);
    }
  for (guint i = 0; i < all->len; i++)
    {
      SpkObject *object = g_ptr_array_index (all, i);
      SpkObject *pre, *post;
      SpkObject *copy;
      double xy[2] = { 0, 0 };

      if (!SPK_IS_CONNECTION (object))
        continue;
      pre = g_hash_table_lookup (map, spk_connection_get_pre (SPK_CONNECTION (object)));
      post = g_hash_table_lookup (map, spk_connection_get_post (SPK_CONNECTION (object)));
      if (pre == NULL || post == NULL)
        continue;
      copy = copy_object (object);
      spk_connection_set_pre (SPK_CONNECTION (copy), pre);
      spk_connection_set_post (SPK_CONNECTION (copy), post);
      g_ptr_array_add (objects, copy);
      g_array_append_vals (positions, xy, 2);
    }
  /* A copied probe records the copy of its target when there is one,
   * else the same target as the original. */
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *copy = g_ptr_array_index (objects, i);
      SpkObject *target;

      if (SPK_IS_PROBE (copy) && (target = g_hash_table_lookup (map, spk_probe_get_target (SPK_PROBE (copy)))))
        spk_probe_set_target (SPK_PROBE (copy), target);
    }
}

/* Adds fresh copies of a clip's objects, offset, and selects them. */
static void
clip_paste (SpkGraphView *self,
            GPtrArray    *objects,
            GArray       *positions,
            double        offset)
{
  g_autoptr (GHashTable) map = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr (GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *all;

  if (self->network == NULL || objects->len == 0)
    return;
  if (self->layout == NULL)
    {
      g_autoptr (SpkLayout) layout = spk_layout_new ();

      spk_graph_view_set_layout (self, layout);
    }
  all = spk_network_get_objects (self->network);
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *clip = g_ptr_array_index (objects, i);
      g_autoptr (SpkObject) copy = copy_object (clip);
      g_autoptr (GError) error = NULL;

      if (SPK_IS_CONNECTION (copy))
        {
          spk_connection_set_pre (SPK_CONNECTION (copy),
                                  g_hash_table_lookup (map, spk_connection_get_pre (SPK_CONNECTION (clip))));
          spk_connection_set_post (SPK_CONNECTION (copy),
                                   g_hash_table_lookup (map, spk_connection_get_post (SPK_CONNECTION (clip))));
          if (spk_connection_get_pre (SPK_CONNECTION (copy)) == NULL
              || spk_connection_get_post (SPK_CONNECTION (copy)) == NULL)
            continue;
        }
      else
        {
          g_autofree char *label = fresh_label (self->network, spk_object_get_label (clip), 2);

          spk_object_set_label (copy, label);
          spk_layout_set_position (self->layout, copy,
                                   g_array_index (positions, double, 2 * i) + offset,
                                   g_array_index (positions, double, 2 * i + 1) + offset);
        }
      if (SPK_IS_PROBE (copy))
        {
          SpkObject *target = spk_probe_get_target (SPK_PROBE (clip));
          SpkObject *new_target = g_hash_table_lookup (map, target);

          if (new_target != NULL)
            spk_probe_set_target (SPK_PROBE (copy), new_target);
          else if (target == NULL || !g_ptr_array_find (all, target, NULL))
            spk_probe_set_target (SPK_PROBE (copy), NULL);
        }
      if (!spk_network_add (self->network, copy, &error))
        {
          g_critical ("%s", error->message);
          spk_layout_remove (self->layout, copy);
          continue;
        }
      g_hash_table_insert (map, clip, copy);
      g_ptr_array_add (added, g_object_ref (copy));
    }
  _spk_graph_view_set_selection (self, added);
}

void
spk_graph_view_copy (SpkGraphView *self)
{
  g_return_if_fail (SPK_IS_GRAPH_VIEW (self));

  clip_fill (self, self->clipboard, self->clipboard_positions);
  self->paste_count = 0;
}

void
spk_graph_view_paste (SpkGraphView *self)
{
  g_return_if_fail (SPK_IS_GRAPH_VIEW (self));

  self->paste_count++;
  clip_paste (self, self->clipboard, self->clipboard_positions, self->paste_count * PASTE_OFFSET);
}

/* Copies and pastes in one go, leaving the clipboard alone. */
void
spk_graph_view_duplicate (SpkGraphView *self)
{
  g_autoptr (GPtrArray) objects = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GArray) positions = g_array_new (FALSE, FALSE, sizeof (double));

  g_return_if_fail (SPK_IS_GRAPH_VIEW (self));

  clip_fill (self, objects, positions);
  clip_paste (self, objects, positions, PASTE_OFFSET);
}
