/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-graph-view-networks.c — the canvas's groups are the model's
 * sub-networks.
 *
 * Each top-level sub-network of the model (SpkSubnetwork) shows as the
 * layout's group of its label, whose members are the cards of the objects
 * inside it at any depth: the canvas draws one level of groups, the model
 * keeps the nesting (an inner network is marked by a frame of its own
 * while the outer one is open).  The commands here change the model first
 * and the groups after, in one step the undo stack records whole: grouping
 * (Ctrl+G) makes a network and moves the selection into it (a whole group
 * among the selection goes in as a nested network), ungrouping dissolves
 * the networks (a nested one comes out as a group of its own), deleting
 * every card of a network deletes the network, renaming a network renames
 * its group (and the objects a built-in network made, which carry its
 * label), and Add → Networks adds one of Nengo's built-in networks.  A
 * session saved before models had sub-networks kept its groups on the
 * canvas alone: on opening, each becomes the network of its label.
 */
#define G_LOG_DOMAIN "spk-graph-view"

#include "spk-graph-view-private.h"

#include "io/spk-model-json.h"
#include "model/spk-subnetwork.h"

#include <math.h>
#include <string.h>

/* The top-level network object is in, or NULL at the top level. */
SpkObject *
_spk_graph_view_outermost (SpkObject *object)
{
  SpkObject *top = NULL;

  for (SpkObject *up = spk_object_get_network (object); up != NULL; up = spk_object_get_network (up))
    top = up;
  return top;
}

static gboolean
is_top_network (SpkObject *object)
{
  return SPK_IS_SUBNETWORK (object) && spk_object_get_network (object) == NULL
         && spk_object_get_label (object) != NULL;
}

static gboolean
same_members (SpkLayoutGroup *group,
              GPtrArray      *members)
{
  GPtrArray *old = spk_layout_group_get_members (group);

  if (old->len != members->len)
    return FALSE;
  for (guint i = 0; i < members->len; i++)
    if (!g_ptr_array_find (old, g_ptr_array_index (members, i), NULL))
      return FALSE;
  return TRUE;
}

/* The cards on the canvas inside net, at any depth. */
static GPtrArray *
cards_inside (SpkGraphView *self,
              SpkObject    *net)
{
  GPtrArray *objects = spk_network_get_objects (self->network);
  GPtrArray *cards = g_ptr_array_new ();

  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);

      if (_spk_graph_view_is_card_object (object)
          && spk_subnetwork_contains (SPK_SUBNETWORK (net), object)
          && spk_layout_get_position (self->layout, object, NULL, NULL))
        g_ptr_array_add (cards, object);
    }
  return cards;
}

/* Model → canvas: a group for each top-level network that has cards, of
 * exactly those cards; a group that is already right is left alone (and
 * keeps whether it is open). */
void
_spk_graph_view_groups_from_networks (SpkGraphView *self)
{
  GPtrArray *objects;

  if (self->network == NULL || self->layout == NULL)
    return;
  spk_layout_begin_batch (self->layout);
  objects = spk_network_get_objects (self->network);
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *net = g_ptr_array_index (objects, i);
      g_autoptr (GPtrArray) members = NULL;
      SpkLayoutGroup *group;
      const char *label = spk_object_get_label (net);
      gboolean collapsed = TRUE;

      if (!is_top_network (net))
        continue;
      members = cards_inside (self, net);
      group = spk_layout_lookup_group (self->layout, label);
      if (group != NULL && same_members (group, members))
        continue;
      if (group != NULL)
        {
          collapsed = spk_layout_group_get_collapsed (group);
          spk_layout_remove_group (self->layout, group);
        }
      if (members->len > 0)
        spk_layout_add_group (self->layout, label, members, collapsed);
    }
  spk_layout_end_batch (self->layout);
}

/* A model opened without a layout: each top-level network's cards laid
 * out on their own, left to right along their connections (so that it
 * opens in place readably), then its group made, collapsed. */
void
_spk_graph_view_lay_out_networks (SpkGraphView *self)
{
  GPtrArray *objects;

  if (self->network == NULL || self->layout == NULL)
    return;
  objects = spk_network_get_objects (self->network);
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *net = g_ptr_array_index (objects, i);
      g_autoptr (GPtrArray) cards = NULL;

      if (!is_top_network (net))
        continue;
      cards = cards_inside (self, net);
      if (cards->len < 2)
        continue;
      _spk_graph_view_rebuild (self);
      _spk_graph_view_lay_out_network (self, net);
    }
  _spk_graph_view_groups_from_networks (self);
}

/* Moves object into net (NULL: the top level); a failure is a cycle the
 * callers rule out, so it is a programming error. */
void
_spk_graph_view_move_into (SpkObject *object,
                           SpkObject *net)
{
  g_autoptr (GError) error = NULL;

  if (spk_object_get_network (object) != net && !spk_object_set_network (object, net, &error))
    g_critical ("%s", error->message);
}

/* Connections whose two ends are inside net go into it, as Nengo keeps a
 * connection made inside a network's `with` block. */
static void
take_connections (SpkGraphView *self,
                  SpkObject    *net)
{
  GPtrArray *objects = spk_network_get_objects (self->network);

  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      SpkObject *pre, *post;

      if (!SPK_IS_CONNECTION (object) || spk_object_get_generated (object)
          || spk_object_get_network (object) == net)
        continue;
      pre = spk_connection_get_pre (SPK_CONNECTION (object));
      post = spk_connection_get_post (SPK_CONNECTION (object));
      if (SPK_IS_OBJECT (pre) && SPK_IS_OBJECT (post)
          && spk_subnetwork_contains (SPK_SUBNETWORK (net), pre)
          && spk_subnetwork_contains (SPK_SUBNETWORK (net), post)
          && (spk_object_get_network (object) == NULL
              || !spk_subnetwork_contains (SPK_SUBNETWORK (net), spk_object_get_network (object))))
        _spk_graph_view_move_into (object, net);
    }
}

/* Canvas → model, once, when a network opens: a group of the session's
 * layout without a network of its label (the canvas's alone, as sessions
 * saved before models had networks kept them) becomes that network, with
 * its members and the connections between them. */
void
_spk_graph_view_adopt_groups (SpkGraphView *self)
{
  GPtrArray *groups;

  if (self->network == NULL || self->layout == NULL)
    return;
  groups = spk_layout_get_groups (self->layout);
  for (guint i = 0; i < groups->len; i++)
    {
      SpkLayoutGroup *group = g_ptr_array_index (groups, i);
      const char *label = spk_layout_group_get_label (group);
      GPtrArray *members = spk_layout_group_get_members (group);
      g_autoptr (SpkSubnetwork) net = NULL;
      guint n_free = 0;

      if (spk_network_lookup (self->network, label) != NULL)
        continue;
      for (guint j = 0; j < members->len; j++)
        {
          SpkObject *object = g_ptr_array_index (members, j);

          if (g_ptr_array_find (spk_network_get_objects (self->network), object, NULL)
              && _spk_graph_view_outermost (object) == NULL)
            n_free++;
        }
      if (n_free == 0)
        continue;
      net = spk_subnetwork_new ();
      spk_object_set_label (SPK_OBJECT (net), label);
      if (!spk_network_add (self->network, SPK_OBJECT (net), NULL))
        continue;
      for (guint j = 0; j < members->len; j++)
        {
          SpkObject *object = g_ptr_array_index (members, j);

          if (g_ptr_array_find (spk_network_get_objects (self->network), object, NULL)
              && _spk_graph_view_outermost (object) == NULL)
            _spk_graph_view_move_into (object, SPK_OBJECT (net));
        }
      take_connections (self, SPK_OBJECT (net));
    }
}

/* The label each network had when last seen, so that renaming a built-in
 * network can rename the objects it made ("prod.sq1" of "prod"). */
static void
remember_label (SpkGraphView *self,
                SpkObject    *net)
{
  g_hash_table_insert (self->network_labels, net, g_strdup (spk_object_get_label (net)));
}

void
_spk_graph_view_remember_networks (SpkGraphView *self)
{
  GPtrArray *objects;

  g_hash_table_remove_all (self->network_labels);
  if (self->network == NULL)
    return;
  objects = spk_network_get_objects (self->network);
  for (guint i = 0; i < objects->len; i++)
    if (SPK_IS_SUBNETWORK (g_ptr_array_index (objects, i)))
      remember_label (self, g_ptr_array_index (objects, i));
}

/* A network's label changed (in the inspector, or undone): its group
 * follows, and so do the labels of what a built-in network made. */
void
_spk_graph_view_network_renamed (SpkGraphView *self,
                                 SpkObject    *net)
{
  const char *old = g_hash_table_lookup (self->network_labels, net);
  const char *label = spk_object_get_label (net);
  g_autofree char *old_prefix = NULL;
  GPtrArray *objects;

  if (old == NULL || label == NULL || g_str_equal (old, label))
    {
      remember_label (self, net);
      return;
    }
  old_prefix = g_strconcat (old, ".", NULL);
  objects = spk_network_get_objects (self->network);
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      const char *name = spk_object_get_label (object);

      if (object != net && spk_object_get_generated (object) && name != NULL
          && g_str_has_prefix (name, old_prefix)
          && spk_subnetwork_contains (SPK_SUBNETWORK (net), object))
        {
          g_autofree char *renamed = g_strconcat (label, ".", name + strlen (old_prefix), NULL);

          spk_object_set_label (object, renamed);
        }
    }
  /* A top-level network's group, or a nested one's open state. */
  if (self->layout != NULL)
    {
      SpkLayoutGroup *group = spk_layout_lookup_group (self->layout, old);

      if (group != NULL)
        spk_layout_rename_group (self->layout, group, label);
    }
  remember_label (self, net);
}

void
_spk_graph_view_network_removed (SpkGraphView *self,
                                 SpkObject    *net)
{
  g_hash_table_remove (self->network_labels, net);
}

/* Groups. */

static gboolean
group_label_taken (SpkGraphView *self,
                   const char   *label)
{
  return spk_layout_lookup_group (self->layout, label) != NULL
         || spk_network_lookup (self->network, label) != NULL;
}

/* Whether every card of net on the canvas is selected. */
gboolean
_spk_graph_view_wholly_selected (SpkGraphView *self,
                                 SpkObject    *net)
{
  g_autoptr (GPtrArray) cards = cards_inside (self, net);

  for (guint i = 0; i < cards->len; i++)
    if (!g_ptr_array_find (self->selection, g_ptr_array_index (cards, i), NULL))
      return FALSE;
  return cards->len > 0;
}

/**
 * spk_graph_view_group_selection:
 *
 * Makes a sub-network of the selected Nodes, Ensembles, Probes and Layers
 * (Ctrl+G), drawn collapsed as one network card: a network of the model,
 * with the connections between them.  A network whose every card is
 * selected goes in whole, nested; the objects of a built-in network go
 * only with it.
 *
 * Returns: (transfer none) (nullable): the new network's label, or NULL
 *   when nothing that can be grouped is selected
 */
const char *
spk_graph_view_group_selection (SpkGraphView *self)
{
  g_autoptr (GPtrArray) members = g_ptr_array_new ();
  g_autoptr (GPtrArray) movers = g_ptr_array_new ();
  g_autoptr (SpkSubnetwork) net = NULL;
  g_autofree char *label = NULL;
  SpkLayoutGroup *group;

  g_return_val_if_fail (SPK_IS_GRAPH_VIEW (self), NULL);

  if (self->network == NULL || self->layout == NULL)
    return NULL;
  for (guint i = 0; i < self->selection->len; i++)
    {
      SpkObject *object = g_ptr_array_index (self->selection, i);
      SpkObject *top;

      if (!_spk_graph_view_is_card_object (object) || !spk_layout_get_position (self->layout, object, NULL, NULL))
        continue;
      top = _spk_graph_view_outermost (object);
      if (top != NULL && _spk_graph_view_wholly_selected (self, top))
        {
          if (!g_ptr_array_find (movers, top, NULL))
            g_ptr_array_add (movers, top);
        }
      else if (spk_object_get_generated (object))
        continue;
      else
        g_ptr_array_add (movers, object);
      g_ptr_array_add (members, object);
    }
  if (members->len == 0)
    return NULL;
  for (guint n = 1; label == NULL || group_label_taken (self, label); n++)
    {
      g_free (label);
      label = g_strdup_printf ("network_%u", n);
    }
  net = spk_subnetwork_new ();
  spk_object_set_label (SPK_OBJECT (net), label);
  spk_layout_begin_batch (self->layout);
  if (!spk_network_add (self->network, SPK_OBJECT (net), NULL))
    {
      spk_layout_end_batch (self->layout);
      return NULL;
    }
  for (guint i = 0; i < movers->len; i++)
    _spk_graph_view_move_into (g_ptr_array_index (movers, i), SPK_OBJECT (net));
  take_connections (self, SPK_OBJECT (net));
  /* Groups that went in whole go away with their networks. */
  group = spk_layout_add_group (self->layout, label, members, TRUE);
  spk_layout_end_batch (self->layout);
  return group != NULL ? spk_layout_group_get_label (group) : NULL;
}

/**
 * spk_graph_view_ungroup_selection:
 *
 * Dissolves the network of every group with a selected member
 * (Ctrl+Shift+G): what it held moves into the network around it, and a
 * network nested inside shows as a group of its own.  A built-in
 * network's objects are made from its parameters: it stays.
 */
void
spk_graph_view_ungroup_selection (SpkGraphView *self)
{
  g_autoptr (GPtrArray) doomed = g_ptr_array_new ();
  GPtrArray *objects;

  g_return_if_fail (SPK_IS_GRAPH_VIEW (self));

  if (self->layout == NULL || self->network == NULL)
    return;
  for (guint i = 0; i < self->selection->len; i++)
    {
      SpkLayoutGroup *group = spk_layout_get_group_of (self->layout, g_ptr_array_index (self->selection, i));

      if (group != NULL && !g_ptr_array_find (doomed, group, NULL))
        g_ptr_array_add (doomed, group);
    }
  if (doomed->len == 0)
    return;
  spk_layout_begin_batch (self->layout);
  objects = spk_network_get_objects (self->network);
  for (guint i = 0; i < doomed->len; i++)
    {
      SpkLayoutGroup *group = g_ptr_array_index (doomed, i);
      SpkObject *net = spk_network_lookup (self->network, spk_layout_group_get_label (group));

      if (net != NULL && SPK_IS_SUBNETWORK (net) && spk_subnetwork_get_kind (SPK_SUBNETWORK (net)) != NULL)
        continue;
      if (net != NULL && SPK_IS_SUBNETWORK (net))
        {
          for (guint j = 0; j < objects->len; j++)
            if (spk_object_get_network (g_ptr_array_index (objects, j)) == net)
              _spk_graph_view_move_into (g_ptr_array_index (objects, j), spk_object_get_network (net));
          spk_network_remove (self->network, net);
        }
      spk_layout_remove_group (self->layout, group);
    }
  _spk_graph_view_groups_from_networks (self);
  spk_layout_end_batch (self->layout);
}

/* The networks object is in, innermost first, added to nets (which holds
 * a reference on each) once each: what a deletion may leave empty. */
void
_spk_graph_view_note_networks_of (SpkObject *object,
                                  GPtrArray *nets)
{
  for (SpkObject *up = spk_object_get_network (object); up != NULL; up = spk_object_get_network (up))
    if (!g_ptr_array_find (nets, up, NULL))
      g_ptr_array_add (nets, g_object_ref (up));
}

/* After a deletion: a network of nets (innermost first) with no card and
 * no network left inside it goes too.  Its group stays in the layout
 * without cards, so that undoing brings the cards back into it. */
void
_spk_graph_view_remove_emptied_networks (SpkGraphView *self,
                                         GPtrArray    *nets)
{
  GPtrArray *objects = spk_network_get_objects (self->network);

  for (guint i = 0; i < nets->len; i++)
    {
      SpkObject *net = g_ptr_array_index (nets, i);
      gboolean empty = TRUE;

      if (!g_ptr_array_find (objects, net, NULL) || spk_object_get_generated (net)
          || spk_subnetwork_get_kind (SPK_SUBNETWORK (net)) != NULL)
        continue;
      for (guint j = 0; j < objects->len && empty; j++)
        {
          SpkObject *object = g_ptr_array_index (objects, j);

          empty = !(object != net && spk_subnetwork_contains (SPK_SUBNETWORK (net), object)
                    && (_spk_graph_view_is_card_object (object) || SPK_IS_SUBNETWORK (object)));
        }
      if (empty)
        spk_network_remove (self->network, net);
    }
}

/* Built-in networks. */

/* "EnsembleArray" → "ensemble_array": the label's stem, as Nengo users
 * name them. */
static char *
snake_case (const char *kind)
{
  GString *out = g_string_new (NULL);

  for (const char *c = kind; *c; c++)
    {
      if (g_ascii_isupper (*c) && c != kind)
        g_string_append_c (out, '_');
      g_string_append_c (out, g_ascii_tolower (*c));
    }
  return g_string_free (out, FALSE);
}

/* Whether label, and every label its objects would get ("label.…"), is
 * free. */
gboolean
_spk_graph_view_network_label_free (SpkNetwork *network,
                                    const char *label)
{
  g_autofree char *prefix = g_strconcat (label, ".", NULL);
  GPtrArray *objects = spk_network_get_objects (network);

  for (guint i = 0; i < objects->len; i++)
    {
      const char *other = spk_object_get_label (g_ptr_array_index (objects, i));

      if (other != NULL && (g_str_equal (other, label) || g_str_has_prefix (other, prefix)))
        return FALSE;
    }
  return TRUE;
}

/* Moves cards so that the middle of their places is (x, y). */
static void
centre_on (SpkGraphView *self,
           GPtrArray    *cards,
           double        x,
           double        y)
{
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
  double ox, oy, dx, dy;

  for (guint i = 0; i < cards->len; i++)
    if (spk_layout_get_position (self->layout, g_ptr_array_index (cards, i), &ox, &oy))
      {
        x0 = MIN (x0, ox);
        x1 = MAX (x1, ox);
        y0 = MIN (y0, oy);
        y1 = MAX (y1, oy);
      }
  if (x0 > x1)
    return;
  dx = round ((x - (x0 + x1) / 2) / SPK_GRAPH_GRID) * SPK_GRAPH_GRID;
  dy = round ((y - (y0 + y1) / 2) / SPK_GRAPH_GRID) * SPK_GRAPH_GRID;
  for (guint i = 0; i < cards->len; i++)
    if (spk_layout_get_position (self->layout, g_ptr_array_index (cards, i), &ox, &oy))
      spk_layout_set_position (self->layout, g_ptr_array_index (cards, i), ox + dx, oy + dy);
}

/**
 * spk_graph_view_add_network:
 * @kind: the kind of built-in network (spk_model_network_kinds())
 *
 * Adds one of Nengo's built-in networks with the engine's starting
 * parameters and a fresh label ("product_1"), its objects laid out left
 * to right around canvas (x, y), and shown as one collapsed network card,
 * which it selects.  One undo step.
 *
 * Returns: (transfer none) (nullable): the network (an SpkSubnetwork), or
 *   NULL for an unknown kind
 */
SpkObject *
spk_graph_view_add_network (SpkGraphView *self,
                            const char   *kind,
                            double        x,
                            double        y)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) cards = NULL;
  g_autofree char *stem = NULL;
  g_autofree char *label = NULL;
  g_autofree char *json = NULL;
  const char *params;
  SpkObject *net;

  g_return_val_if_fail (SPK_IS_GRAPH_VIEW (self), NULL);
  g_return_val_if_fail (kind != NULL, NULL);

  params = spk_model_network_example_params (kind);
  if (self->network == NULL || params == NULL)
    return NULL;
  if (self->layout == NULL)
    {
      g_autoptr (SpkLayout) layout = spk_layout_new ();

      spk_graph_view_set_layout (self, layout);
    }
  stem = snake_case (kind);
  for (guint n = 1; label == NULL || !_spk_graph_view_network_label_free (self->network, label); n++)
    {
      g_free (label);
      label = g_strdup_printf ("%s_%u", stem, n);
    }
  json = g_strdup_printf ("{\"type\": \"network\", \"label\": \"%s\", \"kind\": \"%s\"%s%s}", label, kind,
                          *params ? ", " : "", params);
  spk_layout_begin_batch (self->layout);
  /* Placed by hand below, not each in the middle of the view. */
  self->placing_network = TRUE;
  net = spk_model_add_object_json (self->network, json, &error);
  self->placing_network = FALSE;
  if (net == NULL)
    {
      /* The label is free and the parameters the engine's own. */
      g_critical ("%s", error->message);
      spk_layout_end_batch (self->layout);
      return NULL;
    }
  /* Its cards left to right along their connections, each network
   * nested in it in a place of its own, around (x, y): the collapsed card
   * sits in the middle of its members, there. */
  cards = g_ptr_array_new ();
  for (guint i = 0; i < spk_network_get_objects (self->network)->len; i++)
    {
      SpkObject *object = g_ptr_array_index (spk_network_get_objects (self->network), i);

      if (_spk_graph_view_is_card_object (object) && spk_subnetwork_contains (SPK_SUBNETWORK (net), object))
        {
          g_ptr_array_add (cards, object);
          spk_layout_set_position (self->layout, object, x, y);
        }
    }
  _spk_graph_view_rebuild (self);
  _spk_graph_view_lay_out_network (self, net);
  centre_on (self, cards, x, y);
  g_clear_pointer (&cards, g_ptr_array_unref);
  _spk_graph_view_groups_from_networks (self);
  spk_layout_end_batch (self->layout);
  cards = cards_inside (self, net);
  _spk_graph_view_set_selection (self, cards);
  return net;
}

/**
 * spk_graph_view_get_selected_network:
 *
 * The network whose cards are exactly the selection (what clicking its
 * card or its frame's title, Ctrl+G or adding it leaves selected): a
 * top-level network with its group, or one nested in it, the outermost
 * such when several hold the same cards.
 *
 * Returns: (transfer none) (nullable): an SpkSubnetwork, or NULL
 */
SpkObject *
spk_graph_view_get_selected_network (SpkGraphView *self)
{
  SpkObject *top;
  SpkObject *found = NULL;

  g_return_val_if_fail (SPK_IS_GRAPH_VIEW (self), NULL);

  if (self->network == NULL || self->layout == NULL || self->selection->len == 0)
    return NULL;
  top = _spk_graph_view_outermost (g_ptr_array_index (self->selection, 0));
  if (top == NULL || spk_layout_lookup_group (self->layout, spk_object_get_label (top)) == NULL)
    return NULL;
  for (SpkObject *net = spk_object_get_network (g_ptr_array_index (self->selection, 0)); net != NULL;
       net = spk_object_get_network (net))
    {
      g_autoptr (GPtrArray) cards = cards_inside (self, net);

      if (cards->len == self->selection->len && _spk_graph_view_wholly_selected (self, net))
        found = net;
    }
  return found;
}

/**
 * spk_graph_view_set_network_param:
 * @net: a built-in network (an SpkSubnetwork with a kind) of the model
 * @name: the property of its parameter ("n-neurons")
 *
 * Sets a built-in network's parameter and remakes its objects
 * (spk_model_set_network_param()), in one undo step: a remade card keeps
 * the place of the card of its label, new ones are laid out beside them,
 * the network's group keeps whether it is open, and its cards stay
 * selected.
 *
 * Returns: FALSE, with nothing changed, when the value is refused
 */
gboolean
spk_graph_view_set_network_param (SpkGraphView  *self,
                                  SpkObject     *net,
                                  const char    *name,
                                  const GValue  *value,
                                  GError       **error)
{
  g_autoptr (GHashTable) places = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GPtrArray) cards = NULL;
  g_autoptr (GPtrArray) fresh = g_ptr_array_new ();
  gboolean was_selected, ok;
  double cx = 0, cy = 0;

  g_return_val_if_fail (SPK_IS_GRAPH_VIEW (self), FALSE);
  g_return_val_if_fail (SPK_IS_SUBNETWORK (net), FALSE);

  if (self->network == NULL)
    return FALSE;
  if (self->layout == NULL)
    {
      g_autoptr (SpkLayout) layout = spk_layout_new ();

      spk_graph_view_set_layout (self, layout);
    }
  was_selected = spk_graph_view_get_selected_network (self) == net;
  cards = cards_inside (self, net);
  for (guint i = 0; i < cards->len; i++)
    {
      double *xy = g_new (double, 2);

      spk_layout_get_position (self->layout, g_ptr_array_index (cards, i), &xy[0], &xy[1]);
      cx += xy[0] / cards->len;
      cy += xy[1] / cards->len;
      g_hash_table_insert (places, g_strdup (spk_object_get_label (g_ptr_array_index (cards, i))), xy);
    }
  spk_layout_begin_batch (self->layout);
  self->placing_network = TRUE;
  ok = spk_model_set_network_param (self->network, SPK_SUBNETWORK (net), name, value, error);
  self->placing_network = FALSE;
  g_clear_pointer (&cards, g_ptr_array_unref);
  {
    GPtrArray *objects = spk_network_get_objects (self->network);

    for (guint i = 0; i < objects->len; i++)
      {
        SpkObject *object = g_ptr_array_index (objects, i);
        const double *xy;

        if (!_spk_graph_view_is_card_object (object) || !spk_subnetwork_contains (SPK_SUBNETWORK (net), object)
            || spk_layout_get_position (self->layout, object, NULL, NULL))
          continue;
        if ((xy = g_hash_table_lookup (places, spk_object_get_label (object))) != NULL)
          spk_layout_set_position (self->layout, object, xy[0], xy[1]);
        else
          {
            spk_layout_set_position (self->layout, object, cx, cy);
            g_ptr_array_add (fresh, object);
          }
      }
  }
  /* New objects laid out among themselves, under the cards that kept
   * their places (or around the old middle when none did). */
  if (fresh->len > 0)
    {
      double below = -G_MAXDOUBLE, x, y;
      gboolean kept = FALSE;
      g_autoptr (GPtrArray) all = cards_inside (self, net);

      for (guint i = 0; i < all->len; i++)
        if (!g_ptr_array_find (fresh, g_ptr_array_index (all, i), NULL)
            && spk_layout_get_position (self->layout, g_ptr_array_index (all, i), &x, &y))
          {
            below = MAX (below, y);
            kept = TRUE;
          }
      _spk_graph_view_rebuild (self);
      _spk_graph_view_set_selection (self, fresh);
      spk_graph_view_auto_layout (self, TRUE);
      if (kept)
        {
          double top = G_MAXDOUBLE, bottom = -G_MAXDOUBLE;

          for (guint i = 0; i < fresh->len; i++)
            if (spk_layout_get_position (self->layout, g_ptr_array_index (fresh, i), &x, &y))
              {
                top = MIN (top, y);
                bottom = MAX (bottom, y);
              }
          centre_on (self, fresh, cx, below + 5 * SPK_GRAPH_GRID + (bottom - top) / 2);
        }
      else
        centre_on (self, fresh, cx, cy);
    }
  _spk_graph_view_groups_from_networks (self);
  spk_layout_end_batch (self->layout);
  _spk_graph_view_changed (self);
  if (was_selected || fresh->len > 0)
    {
      cards = cards_inside (self, net);
      _spk_graph_view_set_selection (self, cards);
    }
  return ok;
}
