/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-graph-view-clip.c — copy, paste and duplicate on the canvas.
 *
 * Copy takes detached copies of the selected cards, of the connections
 * between them and, for every network whose cards are all selected (a
 * group clicked on), of the network itself and everything inside it:
 * nested networks, connections and probes, each copy pointing at the
 * copies of what the original pointed at (its pre, post, target, and the
 * network it is in).  The clip is a snapshot: editing or deleting the
 * originals afterwards changes nothing in it.
 *
 * Paste adds fresh copies of a clip under fresh labels, offset, and
 * selects their cards (and the connections between loose ones), all in
 * one undo step.  A plain network comes back
 * as a network with its seed and config defaults; a built-in network
 * (a kind with parameters) is made again from its parameters, as a model
 * file with it loads, and what had been changed in the objects it made
 * (values, labels) is set on the objects the copy made, so that a saved
 * copy writes the same changes.  Cards inside a network whose cards were
 * not all selected are pasted loose, at the top level.
 */
#define G_LOG_DOMAIN "spk-graph-view"

#include "spk-graph-view-private.h"

#include "io/spk-model-json.h"
#include "model/spk-subnetwork.h"

#include <string.h>

static gboolean
is_target_property (SpkObject  *object,
                    const char *name)
{
  static const char *const connection[] = { "pre", "pre-neurons", "pre-slice", "post", "post-neurons",
                                            "post-slice", NULL };
  static const char *const probe[] = { "target", "target-neurons", "slice", NULL };

  return (SPK_IS_CONNECTION (object) && g_strv_contains (connection, name))
         || (SPK_IS_PROBE (object) && g_strv_contains (probe, name));
}

/* Sets on to each writable property of from whose value differs, but its
 * label and (only_values) its targets. */
static void
copy_properties (SpkObject *from,
                 SpkObject *to,
                 gboolean   only_values)
{
  guint n_specs;
  g_autofree GParamSpec **specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (from), &n_specs);

  g_object_freeze_notify (G_OBJECT (to));
  for (guint i = 0; i < n_specs; i++)
    {
      g_auto (GValue) value = G_VALUE_INIT;
      g_auto (GValue) was = G_VALUE_INIT;

      if ((specs[i]->flags & G_PARAM_READWRITE) != G_PARAM_READWRITE
          || (specs[i]->flags & G_PARAM_CONSTRUCT_ONLY) != 0
          || (only_values && (g_str_equal (specs[i]->name, "label") || is_target_property (from, specs[i]->name))))
        continue;
      g_value_init (&value, specs[i]->value_type);
      g_value_init (&was, specs[i]->value_type);
      g_object_get_property (G_OBJECT (from), specs[i]->name, &value);
      g_object_get_property (G_OBJECT (to), specs[i]->name, &was);
      if (g_param_values_cmp (specs[i], &value, &was) != 0)
        g_object_set_property (G_OBJECT (to), specs[i]->name, &value);
    }
  g_object_thaw_notify (G_OBJECT (to));
}

/* to's config becomes a copy of from's (a network's defaults). */
static void
copy_config (SpkObject *from,
             SpkObject *to)
{
  JsonObject *config = spk_subnetwork_get_config (SPK_SUBNETWORK (from));
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (JsonNode) deep = NULL;
  g_autofree char *text = NULL;

  if (config == NULL)
    {
      spk_subnetwork_set_config (SPK_SUBNETWORK (to), NULL);
      return;
    }
  /* Through text: json_node_copy () shares what the node holds. */
  node = json_node_init_object (json_node_alloc (), config);
  text = json_to_string (node, FALSE);
  deep = json_from_string (text, NULL);
  spk_subnetwork_set_config (SPK_SUBNETWORK (to), json_node_get_object (deep));
}

/* A detached copy with every writable property (references included) and
 * a network's config. */
static SpkObject *
copy_object (SpkObject *object)
{
  g_autoptr (SpkObject) copy = g_object_new (G_OBJECT_TYPE (object), NULL);

  copy_properties (object, copy, FALSE);
  if (SPK_IS_SUBNETWORK (object))
    copy_config (object, copy);
  return g_steal_pointer (&copy);
}

static gboolean
is_builtin (SpkObject *object)
{
  return SPK_IS_SUBNETWORK (object) && spk_subnetwork_get_kind (SPK_SUBNETWORK (object)) != NULL;
}

/* The networks the selection copies whole: for each selected card the
 * outermost network around it (that no built-in network made) whose every
 * card is selected. */
static GPtrArray *
whole_networks (SpkGraphView *self)
{
  GPtrArray *whole = g_ptr_array_new ();

  for (guint i = 0; i < self->selection->len; i++)
    {
      SpkObject *object = g_ptr_array_index (self->selection, i);
      SpkObject *found = NULL;

      for (SpkObject *net = spk_object_get_network (object); net != NULL; net = spk_object_get_network (net))
        if (!spk_object_get_generated (net) && _spk_graph_view_wholly_selected (self, net))
          found = net;
      if (found != NULL && !g_ptr_array_find (whole, found, NULL))
        g_ptr_array_add (whole, found);
    }
  return whole;
}

static gboolean
inside_any (GPtrArray *nets,
            SpkObject *object)
{
  if (object == NULL)
    return FALSE;
  for (guint i = 0; i < nets->len; i++)
    if (spk_subnetwork_contains (g_ptr_array_index (nets, i), object))
      return TRUE;
  return FALSE;
}

/* Fills a clip: detached copies of what the selection copies, in the
 * model's order, with the positions of the cards (0, 0 for the rest). */
static void
clip_fill (SpkGraphView *self,
           GPtrArray    *objects,
           GArray       *positions)
{
  g_autoptr (GHashTable) map = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr (GHashTable) chosen = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr (GPtrArray) whole = NULL;
  GPtrArray *all;
  gboolean more;

  g_ptr_array_set_size (objects, 0);
  g_array_set_size (positions, 0);
  if (self->network == NULL)
    return;
  all = spk_network_get_objects (self->network);
  whole = whole_networks (self);
  for (guint i = 0; i < all->len; i++)
    {
      SpkObject *object = g_ptr_array_index (all, i);

      if (inside_any (whole, object)
          || (_spk_graph_view_is_card_object (object) && g_ptr_array_find (self->selection, object, NULL)))
        g_hash_table_add (chosen, object);
    }
  /* The connections between what is chosen (a connection into another's
   * learning rule too, so until nothing more comes). */
  do
    {
      more = FALSE;
      for (guint i = 0; i < all->len; i++)
        {
          SpkObject *object = g_ptr_array_index (all, i);

          if (SPK_IS_CONNECTION (object) && !g_hash_table_contains (chosen, object)
              && g_hash_table_contains (chosen, spk_connection_get_pre (SPK_CONNECTION (object)))
              && g_hash_table_contains (chosen, spk_connection_get_post (SPK_CONNECTION (object))))
            {
              g_hash_table_add (chosen, object);
              more = TRUE;
            }
        }
    }
  while (more);

  for (guint i = 0; i < all->len; i++)
    {
      SpkObject *object = g_ptr_array_index (all, i);
      double xy[2] = { 0, 0 };
      SpkObject *copy;

      if (!g_hash_table_contains (chosen, object))
        continue;
      if (self->layout != NULL && _spk_graph_view_is_card_object (object))
        spk_layout_get_position (self->layout, object, &xy[0], &xy[1]);
      copy = copy_object (object);
      /* What a copied built-in network made is made again by its copy;
       * anything else comes back as an object of its own. */
      spk_object_set_generated (copy, spk_object_get_generated (object)
                                      && inside_any (whole, SPK_OBJECT (spk_subnetwork_builtin_of (object))));
      g_hash_table_insert (map, object, copy);
      g_ptr_array_add (objects, copy);
      g_array_append_vals (positions, xy, 2);
    }
  /* Copies point at copies; a probe of something not copied keeps its
   * target. */
  for (guint i = 0; i < all->len; i++)
    {
      SpkObject *object = g_ptr_array_index (all, i);
      SpkObject *copy = g_hash_table_lookup (map, object);
      SpkObject *net, *target;

      if (copy == NULL)
        continue;
      if ((net = g_hash_table_lookup (map, spk_object_get_network (object))) != NULL)
        spk_object_set_network (copy, net, NULL);
      if (SPK_IS_CONNECTION (object))
        {
          spk_connection_set_pre (SPK_CONNECTION (copy),
                                  g_hash_table_lookup (map, spk_connection_get_pre (SPK_CONNECTION (object))));
          spk_connection_set_post (SPK_CONNECTION (copy),
                                   g_hash_table_lookup (map, spk_connection_get_post (SPK_CONNECTION (object))));
        }
      if (SPK_IS_PROBE (object) && (target = g_hash_table_lookup (map, spk_probe_get_target (SPK_PROBE (object)))))
        spk_probe_set_target (SPK_PROBE (copy), target);
    }
}

/* A label for the copy of a network: free, with every label its objects
 * would get ("label.…"), and no group of the canvas's by that name. */
static char *
fresh_network_label (SpkGraphView *self,
                     const char   *wanted)
{
  for (guint n = 2;; n++)
    {
      g_autofree char *label = _spk_graph_view_fresh_label (self->network, wanted, n);

      if (_spk_graph_view_network_label_free (self->network, label)
          && spk_layout_lookup_group (self->layout, label) == NULL)
        return g_steal_pointer (&label);
    }
}

/* Adds a built-in network of clip's kind and parameters under label, as a
 * model file with it loads (its objects made from the parameters). */
static SpkObject *
add_builtin (SpkGraphView  *self,
             SpkObject     *clip,
             const char    *label,
             GError       **error)
{
  const char *kind = spk_subnetwork_get_kind (SPK_SUBNETWORK (clip));
  g_auto (GStrv) params = spk_model_network_kind_params (kind);
  g_autoptr (JsonObject) entry = json_object_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *json = NULL;
  SpkObject *net;

  json_object_set_string_member (entry, "type", "network");
  json_object_set_string_member (entry, "label", label);
  json_object_set_string_member (entry, "kind", kind);
  for (guint i = 0; params != NULL && params[i] != NULL; i++)
    {
      JsonNode *value = spk_model_get_json (self->network, clip, params[i]);

      if (value != NULL)
        json_object_set_member (entry, params[i], value);
    }
  root = json_node_init_object (json_node_alloc (), entry);
  json = json_to_string (root, FALSE);
  net = spk_model_add_object_json (self->network, json, error);
  if (net == NULL)
    return NULL;
  /* Seed, trainable and config as the copied one had them. */
  copy_properties (clip, net, TRUE);
  copy_config (clip, net);
  return net;
}

/* The objects of objects (in order) that the built-in network net made,
 * itself aside. */
static GPtrArray *
made_by (GPtrArray *objects,
         SpkObject *net)
{
  GPtrArray *made = g_ptr_array_new ();

  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);

      if (object != net && spk_object_get_generated (object)
          && spk_subnetwork_contains (SPK_SUBNETWORK (net), object))
        g_ptr_array_add (made, object);
    }
  return made;
}

/* The objects a pasted built-in network made are those its clip made, in
 * the same order: each takes the values its clip had (what had been
 * changed in it), and a label other than the one it was made with
 * (renamed: "prod_1.a" → "a") becomes a fresh one of that name. */
static void
match_made (SpkGraphView *self,
            GPtrArray    *clip,
            SpkObject    *clip_net,
            SpkObject    *net,
            GHashTable   *map)
{
  g_autoptr (GPtrArray) old = made_by (clip, clip_net);
  g_autoptr (GPtrArray) fresh = made_by (spk_network_get_objects (self->network), net);
  const char *old_label = spk_object_get_label (clip_net);
  const char *new_label = spk_object_get_label (net);
  gsize n_new = strlen (new_label);

  if (old->len != fresh->len)
    {
      g_warning ("network '%s' made %u objects, its copy %u", new_label, old->len, fresh->len);
      return;
    }
  for (guint i = 0; i < old->len; i++)
    {
      SpkObject *was = g_ptr_array_index (old, i);
      SpkObject *now = g_ptr_array_index (fresh, i);
      const char *label = spk_object_get_label (now);
      g_autofree char *as_made = NULL;

      if (G_OBJECT_TYPE (was) != G_OBJECT_TYPE (now))
        {
          g_warning ("network '%s' made a %s where its copy made a %s", new_label,
                     spk_object_get_type_name (was), spk_object_get_type_name (now));
          return;
        }
      g_hash_table_insert (map, was, now);
      copy_properties (was, now, TRUE);
      if (label != NULL && strncmp (label, new_label, n_new) == 0 && label[n_new] == '.')
        as_made = g_strconcat (old_label, label + n_new, NULL);
      if (spk_object_get_label (was) != NULL && g_strcmp0 (as_made, spk_object_get_label (was)) != 0)
        {
          g_autofree char *renamed = _spk_graph_view_fresh_label (self->network, spk_object_get_label (was), 2);

          spk_object_set_label (now, renamed);
        }
    }
}

/* Adds fresh copies of a clip's objects, offset, and selects them; one
 * undo step. */
static void
clip_paste (SpkGraphView *self,
            GPtrArray    *objects,
            GArray       *positions,
            double        offset)
{
  g_autoptr (GHashTable) map = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr (GPtrArray) added = g_ptr_array_new ();
  GPtrArray *all;
  gboolean more;

  if (self->network == NULL || objects->len == 0)
    return;
  if (self->layout == NULL)
    {
      g_autoptr (SpkLayout) layout = spk_layout_new ();

      spk_graph_view_set_layout (self, layout);
    }
  all = spk_network_get_objects (self->network);
  spk_layout_begin_batch (self->layout);
  /* Placed by hand, each where its clip was. */
  self->placing_network = TRUE;

  /* Networks first, so that what goes into them has them; then the cards,
   * then the connections (into another's learning rule: after it). */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < objects->len; i++)
      {
        SpkObject *clip = g_ptr_array_index (objects, i);
        g_autoptr (SpkObject) copy = NULL;
        g_autoptr (GError) error = NULL;
        g_autofree char *label = NULL;

        if (spk_object_get_generated (clip) || SPK_IS_CONNECTION (clip)
            || (pass == 0) != SPK_IS_SUBNETWORK (clip))
          continue;
        if (SPK_IS_SUBNETWORK (clip))
          label = fresh_network_label (self, spk_object_get_label (clip) ? spk_object_get_label (clip) : "network");
        else if (spk_object_get_label (clip) != NULL)
          label = _spk_graph_view_fresh_label (self->network, spk_object_get_label (clip), 2);
        if (is_builtin (clip))
          {
            SpkObject *net = add_builtin (self, clip, label, &error);

            if (net == NULL)
              {
                g_critical ("%s", error->message);
                continue;
              }
            g_hash_table_insert (map, clip, net);
            match_made (self, objects, clip, net, map);
            continue;
          }
        copy = copy_object (clip);
        spk_object_set_label (copy, label);
        if (SPK_IS_PROBE (copy))
          {
            SpkObject *target = spk_probe_get_target (SPK_PROBE (clip));

            /* The copy of its target (one pasted later, a connection, is
             * set below), or the original when it is still there. */
            if (g_hash_table_lookup (map, target) != NULL)
              spk_probe_set_target (SPK_PROBE (copy), g_hash_table_lookup (map, target));
            else if (target == NULL || !g_ptr_array_find (all, target, NULL))
              spk_probe_set_target (SPK_PROBE (copy), NULL);
          }
        if (!spk_network_add (self->network, copy, &error))
          {
            g_critical ("%s", error->message);
            continue;
          }
        g_hash_table_insert (map, clip, copy);
      }
  do
    {
      more = FALSE;
      for (guint i = 0; i < objects->len; i++)
        {
          SpkObject *clip = g_ptr_array_index (objects, i);
          g_autoptr (SpkObject) copy = NULL;
          g_autoptr (GError) error = NULL;
          SpkObject *pre, *post;

          if (!SPK_IS_CONNECTION (clip) || spk_object_get_generated (clip) || g_hash_table_contains (map, clip))
            continue;
          pre = g_hash_table_lookup (map, spk_connection_get_pre (SPK_CONNECTION (clip)));
          post = g_hash_table_lookup (map, spk_connection_get_post (SPK_CONNECTION (clip)));
          if (pre == NULL || post == NULL)
            continue;
          copy = copy_object (clip);
          spk_connection_set_pre (SPK_CONNECTION (copy), pre);
          spk_connection_set_post (SPK_CONNECTION (copy), post);
          if (!spk_network_add (self->network, copy, &error))
            {
              g_critical ("%s", error->message);
              continue;
            }
          g_hash_table_insert (map, clip, copy);
          more = TRUE;
        }
    }
  while (more);

  /* Each copy into the copy of its network, probes onto the copies of
   * their targets, cards where their clips were. */
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *clip = g_ptr_array_index (objects, i);
      SpkObject *copy = g_hash_table_lookup (map, clip);
      SpkObject *net, *target;

      if (copy == NULL)
        continue;
      if (!spk_object_get_generated (clip) && (net = g_hash_table_lookup (map, spk_object_get_network (clip))) != NULL)
        _spk_graph_view_move_into (copy, net);
      if (!spk_object_get_generated (clip) && SPK_IS_PROBE (clip)
          && (target = g_hash_table_lookup (map, spk_probe_get_target (SPK_PROBE (clip)))) != NULL)
        spk_probe_set_target (SPK_PROBE (copy), target);
      if (_spk_graph_view_is_card_object (copy))
        spk_layout_set_position (self->layout, copy,
                                 g_array_index (positions, double, 2 * i) + offset,
                                 g_array_index (positions, double, 2 * i + 1) + offset);
      /* A pasted network selected as clicking its card selects it. */
      if (_spk_graph_view_is_card_object (copy)
          || (SPK_IS_CONNECTION (copy) && spk_object_get_network (copy) == NULL))
        g_ptr_array_add (added, copy);
    }
  self->placing_network = FALSE;
  _spk_graph_view_groups_from_networks (self);
  spk_layout_end_batch (self->layout);
  _spk_graph_view_changed (self);
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
