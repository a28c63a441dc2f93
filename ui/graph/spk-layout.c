/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-layout.c — where each model object sits on the canvas, and the
 * groups the canvas draws as sub-networks.
 *
 * A hash table from object to the centre of its card in canvas units, and
 * an array of groups.  The layout holds a reference on every object it
 * places or groups, so a pointer never aliases a newer object.  Every
 * change, removal included, emits "changed" with the object (NULL for a
 * change of the groups), which is what the undo stack and the session
 * writer follow.  Groups keep members that lost their position (deleted
 * objects): undoing the deletion puts them back in place and in the group.
 */
#define G_LOG_DOMAIN "spk-layout"

#include "spk-layout.h"

#include <math.h>

typedef struct
{
  double x;
  double y;
} Position;

struct _SpkLayoutGroup
{
  char      *label;
  gboolean   collapsed;
  GPtrArray *members;      /* SpkObject*, referenced */
};

struct _SpkLayout
{
  GObject     parent_instance;
  GHashTable *positions;   /* SpkObject* (ref) → Position* */
  GPtrArray  *groups;      /* SpkLayoutGroup*, owned */
};

G_DEFINE_FINAL_TYPE (SpkLayout, spk_layout, G_TYPE_OBJECT)

enum { CHANGED, BEGIN_BATCH, END_BATCH, N_SIGNALS };

static guint signals[N_SIGNALS];

static void
group_free (gpointer data)
{
  SpkLayoutGroup *group = data;

  g_free (group->label);
  g_ptr_array_unref (group->members);
  g_free (group);
}

static SpkLayoutGroup *
group_new (const char *label,
           GPtrArray  *members,
           gboolean    collapsed)
{
  SpkLayoutGroup *group = g_new0 (SpkLayoutGroup, 1);

  group->label = g_strdup (label);
  group->collapsed = collapsed;
  group->members = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < members->len; i++)
    if (!g_ptr_array_find (group->members, g_ptr_array_index (members, i), NULL))
      g_ptr_array_add (group->members, g_object_ref (g_ptr_array_index (members, i)));
  return group;
}

const char *
spk_layout_group_get_label (SpkLayoutGroup *group)
{
  g_return_val_if_fail (group != NULL, NULL);
  return group->label;
}

gboolean
spk_layout_group_get_collapsed (SpkLayoutGroup *group)
{
  g_return_val_if_fail (group != NULL, FALSE);
  return group->collapsed;
}

GPtrArray *
spk_layout_group_get_members (SpkLayoutGroup *group)
{
  g_return_val_if_fail (group != NULL, NULL);
  return group->members;
}

static void
spk_layout_finalize (GObject *object)
{
  SpkLayout *self = SPK_LAYOUT (object);

  g_hash_table_unref (self->positions);
  g_ptr_array_unref (self->groups);
  G_OBJECT_CLASS (spk_layout_parent_class)->finalize (object);
}

static void
spk_layout_class_init (SpkLayoutClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = spk_layout_finalize;

  /**
   * SpkLayout::changed:
   * @object: (nullable): the object whose position changed or was removed;
   *   NULL when the groups changed
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, SPK_TYPE_OBJECT);
  /**
   * SpkLayout::begin-batch:
   *
   * The changes until the matching "end-batch" belong together.
   */
  signals[BEGIN_BATCH] =
    g_signal_new ("begin-batch", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[END_BATCH] =
    g_signal_new ("end-batch", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
spk_layout_init (SpkLayout *self)
{
  self->positions = g_hash_table_new_full (g_direct_hash, g_direct_equal,
                                           g_object_unref, g_free);
  self->groups = g_ptr_array_new_with_free_func (group_free);
}

/**
 * spk_layout_new:
 *
 * Returns: (transfer full): an empty layout
 */
SpkLayout *
spk_layout_new (void)
{
  return g_object_new (SPK_TYPE_LAYOUT, NULL);
}

/**
 * spk_layout_get_position:
 * @x: (out) (optional): the x coordinate of the card's centre
 * @y: (out) (optional): the y coordinate of the card's centre
 *
 * Returns: whether @object has a position
 */
gboolean
spk_layout_get_position (SpkLayout *self,
                         SpkObject *object,
                         double    *x,
                         double    *y)
{
  Position *pos;

  g_return_val_if_fail (SPK_IS_LAYOUT (self), FALSE);
  g_return_val_if_fail (SPK_IS_OBJECT (object), FALSE);

  pos = g_hash_table_lookup (self->positions, object);
  if (pos == NULL)
    return FALSE;
  if (x != NULL)
    *x = pos->x;
  if (y != NULL)
    *y = pos->y;
  return TRUE;
}

void
spk_layout_set_position (SpkLayout *self,
                         SpkObject *object,
                         double     x,
                         double     y)
{
  Position *pos;

  g_return_if_fail (SPK_IS_LAYOUT (self));
  g_return_if_fail (SPK_IS_OBJECT (object));
  g_return_if_fail (isfinite (x) && isfinite (y));

  pos = g_hash_table_lookup (self->positions, object);
  if (pos != NULL && pos->x == x && pos->y == y)
    return;
  if (pos == NULL)
    {
      pos = g_new (Position, 1);
      g_hash_table_insert (self->positions, g_object_ref (object), pos);
    }
  pos->x = x;
  pos->y = y;
  g_signal_emit (self, signals[CHANGED], 0, object);
}

/* Emits "changed" when object had a position, so a follower sees the
 * removal as it sees a move. */
void
spk_layout_remove (SpkLayout *self,
                   SpkObject *object)
{
  g_autoptr (SpkObject) keep = NULL;

  g_return_if_fail (SPK_IS_LAYOUT (self));
  g_return_if_fail (SPK_IS_OBJECT (object));

  if (!g_hash_table_contains (self->positions, object))
    return;
  keep = g_object_ref (object);
  g_hash_table_remove (self->positions, object);
  g_signal_emit (self, signals[CHANGED], 0, object);
}

void
spk_layout_begin_batch (SpkLayout *self)
{
  g_return_if_fail (SPK_IS_LAYOUT (self));
  g_signal_emit (self, signals[BEGIN_BATCH], 0);
}

void
spk_layout_end_batch (SpkLayout *self)
{
  g_return_if_fail (SPK_IS_LAYOUT (self));
  g_signal_emit (self, signals[END_BATCH], 0);
}

/* Groups. */

static void
groups_changed (SpkLayout *self)
{
  g_signal_emit (self, signals[CHANGED], 0, NULL);
}

GPtrArray *
spk_layout_get_groups (SpkLayout *self)
{
  g_return_val_if_fail (SPK_IS_LAYOUT (self), NULL);
  return self->groups;
}

SpkLayoutGroup *
spk_layout_get_group_of (SpkLayout *self,
                         SpkObject *object)
{
  g_return_val_if_fail (SPK_IS_LAYOUT (self), NULL);

  for (guint i = 0; i < self->groups->len; i++)
    {
      SpkLayoutGroup *group = g_ptr_array_index (self->groups, i);

      if (g_ptr_array_find (group->members, object, NULL))
        return group;
    }
  return NULL;
}

SpkLayoutGroup *
spk_layout_lookup_group (SpkLayout  *self,
                         const char *label)
{
  g_return_val_if_fail (SPK_IS_LAYOUT (self), NULL);

  for (guint i = 0; i < self->groups->len; i++)
    {
      SpkLayoutGroup *group = g_ptr_array_index (self->groups, i);

      if (g_strcmp0 (group->label, label) == 0)
        return group;
    }
  return NULL;
}

/* Takes members out of every group, dropping groups left empty (a
 * nested network's group, which never had members, stays). */
static void
leave_groups (SpkLayout *self,
              GPtrArray *members)
{
  for (guint i = self->groups->len; i-- > 0;)
    {
      SpkLayoutGroup *group = g_ptr_array_index (self->groups, i);
      gboolean had = group->members->len > 0;

      for (guint j = 0; j < members->len; j++)
        g_ptr_array_remove (group->members, g_ptr_array_index (members, j));
      if (had && group->members->len == 0)
        g_ptr_array_remove_index (self->groups, i);
    }
}

SpkLayoutGroup *
spk_layout_add_group (SpkLayout  *self,
                      const char *label,
                      GPtrArray  *members,
                      gboolean    collapsed)
{
  SpkLayoutGroup *group;

  g_return_val_if_fail (SPK_IS_LAYOUT (self), NULL);
  g_return_val_if_fail (label != NULL && *label != '\0', NULL);
  g_return_val_if_fail (members != NULL, NULL);

  if (members->len == 0 || spk_layout_lookup_group (self, label) != NULL)
    return NULL;
  leave_groups (self, members);
  group = group_new (label, members, collapsed);
  g_ptr_array_add (self->groups, group);
  groups_changed (self);
  return group;
}

void
spk_layout_remove_group (SpkLayout      *self,
                         SpkLayoutGroup *group)
{
  g_return_if_fail (SPK_IS_LAYOUT (self));
  g_return_if_fail (group != NULL);

  if (g_ptr_array_remove (self->groups, group))
    groups_changed (self);
}

/* Renames group, as renaming its sub-network does; FALSE when another
 * group has the label. */
gboolean
spk_layout_rename_group (SpkLayout      *self,
                         SpkLayoutGroup *group,
                         const char     *label)
{
  SpkLayoutGroup *other;

  g_return_val_if_fail (SPK_IS_LAYOUT (self), FALSE);
  g_return_val_if_fail (group != NULL && g_ptr_array_find (self->groups, group, NULL), FALSE);
  g_return_val_if_fail (label != NULL, FALSE);

  if (g_strcmp0 (group->label, label) == 0)
    return TRUE;
  other = spk_layout_lookup_group (self, label);
  if (other != NULL)
    return FALSE;
  g_free (group->label);
  group->label = g_strdup (label);
  groups_changed (self);
  return TRUE;
}

void
spk_layout_set_group_collapsed (SpkLayout      *self,
                                SpkLayoutGroup *group,
                                gboolean        collapsed)
{
  g_return_if_fail (SPK_IS_LAYOUT (self));
  g_return_if_fail (group != NULL && g_ptr_array_find (self->groups, group, NULL));

  if (group->collapsed == !!collapsed)
    return;
  group->collapsed = !!collapsed;
  groups_changed (self);
}

gboolean
spk_layout_get_nested_collapsed (SpkLayout  *self,
                                 const char *label)
{
  SpkLayoutGroup *group;

  g_return_val_if_fail (SPK_IS_LAYOUT (self), TRUE);

  group = spk_layout_lookup_group (self, label);
  return group == NULL || group->members->len > 0 || group->collapsed;
}

void
spk_layout_set_nested_collapsed (SpkLayout  *self,
                                 const char *label,
                                 gboolean    collapsed)
{
  SpkLayoutGroup *group;

  g_return_if_fail (SPK_IS_LAYOUT (self));
  g_return_if_fail (label != NULL && *label != '\0');

  group = spk_layout_lookup_group (self, label);
  if (group != NULL && group->members->len > 0)
    return;
  if (group != NULL)
    {
      spk_layout_set_group_collapsed (self, group, collapsed);
      return;
    }
  if (collapsed)
    return;
  {
    g_autoptr (GPtrArray) none = g_ptr_array_new ();

    g_ptr_array_add (self->groups, group_new (label, none, FALSE));
  }
  groups_changed (self);
}

static SpkLayoutGroup *
group_copy (SpkLayoutGroup *group)
{
  return group_new (group->label, group->members, group->collapsed);
}

/**
 * spk_layout_dup_groups:
 *
 * Returns: (transfer full) (element-type SpkLayoutGroup): copies of the
 *   groups, owned by the array
 */
GPtrArray *
spk_layout_dup_groups (SpkLayout *self)
{
  g_return_val_if_fail (SPK_IS_LAYOUT (self), NULL);
  GPtrArray *copy;

  g_return_val_if_fail (SPK_IS_LAYOUT (self), NULL);

  copy = g_ptr_array_new_full (self->groups->len, group_free);
  for (guint i = 0; i < self->groups->len; i++)
    g_ptr_array_add (copy, group_copy (g_ptr_array_index (self->groups, i)));
  return copy;
}

/* Replaces the groups by copies of groups (a snapshot from
 * spk_layout_dup_groups()), announcing it when they differ. */
void
spk_layout_restore_groups (SpkLayout *self,
                           GPtrArray *groups)
{
  g_return_if_fail (SPK_IS_LAYOUT (self));
  g_return_if_fail (groups != NULL);

  if (spk_layout_groups_equal (self->groups, groups))
    return;
  g_ptr_array_set_size (self->groups, 0);
  for (guint i = 0; i < groups->len; i++)
    g_ptr_array_add (self->groups, group_copy (g_ptr_array_index (groups, i)));
  groups_changed (self);
}

gboolean
spk_layout_groups_equal (GPtrArray *a,
                         GPtrArray *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      SpkLayoutGroup *ga = g_ptr_array_index (a, i);
      SpkLayoutGroup *gb = g_ptr_array_index (b, i);

      if (g_strcmp0 (ga->label, gb->label) != 0 || ga->collapsed != gb->collapsed
          || ga->members->len != gb->members->len)
        return FALSE;
      for (guint j = 0; j < ga->members->len; j++)
        if (g_ptr_array_index (ga->members, j) != g_ptr_array_index (gb->members, j))
          return FALSE;
    }
  return TRUE;
}
static int
compare_labels (gconstpointer a,
                gconstpointer b)
{
  SpkObject *oa = *(SpkObject **) a;
  SpkObject *ob = *(SpkObject **) b;

  return g_strcmp0 (spk_object_get_label (oa), spk_object_get_label (ob));
}

/**
 * spk_layout_serialize:
 *
 * Every labelled object's position, sorted by label so equal layouts give
 * equal bytes, and the groups with the labels of their placed members.
 *
 * Returns: (transfer floating): a GVariant of type a{sv}
 */
GVariant *
spk_layout_serialize (SpkLayout *self)
{
  g_autoptr (GPtrArray) objects = g_ptr_array_new ();
  GVariantBuilder builder, positions, groups;
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (SPK_IS_LAYOUT (self), NULL);

  g_hash_table_iter_init (&iter, self->positions);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (objects, key);
  g_ptr_array_sort (objects, compare_labels);
  g_variant_builder_init (&positions, G_VARIANT_TYPE ("a{s(dd)}"));
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      const char *label = spk_object_get_label (object);
      Position *pos = g_hash_table_lookup (self->positions, object);

      if (label == NULL || *label == '\0')
        continue;
      g_variant_builder_add (&positions, "{s(dd)}", label, pos->x, pos->y);
    }

  g_variant_builder_init (&groups, G_VARIANT_TYPE ("a(sbas)"));
  for (guint i = 0; i < self->groups->len; i++)
    {
      SpkLayoutGroup *group = g_ptr_array_index (self->groups, i);
      GVariantBuilder members;
      guint n = 0;

      g_variant_builder_init (&members, G_VARIANT_TYPE ("as"));
      for (guint j = 0; j < group->members->len; j++)
        {
          SpkObject *member = g_ptr_array_index (group->members, j);
          const char *label = spk_object_get_label (member);

          /* A deleted member has no position: it is not saved. */
          if (label == NULL || *label == '\0' || !g_hash_table_contains (self->positions, member))
            continue;
          g_variant_builder_add (&members, "s", label);
          n++;
        }
      /* A nested network's group has no members of its own. */
      if (n > 0 || group->members->len == 0)
        g_variant_builder_add (&groups, "(sbas)", group->label, group->collapsed, &members);
      else
        g_variant_builder_clear (&members);
    }

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{sv}"));
  g_variant_builder_add (&builder, "{sv}", "positions", g_variant_builder_end (&positions));
  g_variant_builder_add (&builder, "{sv}", "groups", g_variant_builder_end (&groups));
  return g_variant_builder_end (&builder);
}

static SpkObject *
find_labelled (GPtrArray  *objects,
               const char *label)
{
  for (guint i = 0; i < objects->len; i++)
    if (g_strcmp0 (spk_object_get_label (g_ptr_array_index (objects, i)), label) == 0)
      return g_ptr_array_index (objects, i);
  return NULL;
}

/**
 * spk_layout_apply:
 * @layout: a GVariant of type a{sv} (or a{s(dd)}, positions alone, as
 *   layouts were saved before groups); a floating reference is sunk
 * @objects: (element-type SpkObject): the objects to place, found by label
 *
 * Objects whose label the serialised layout does not name keep their
 * position; names of objects not in @objects are ignored, and so are
 * groups none of whose members are in @objects.
 */
void
spk_layout_apply (SpkLayout *self,
                  GVariant  *layout,
                  GPtrArray *objects)
{
  g_autoptr (GVariant) owned = NULL;
  g_autoptr (GVariant) positions = NULL;
  g_autoptr (GVariant) groups = NULL;

  g_return_if_fail (SPK_IS_LAYOUT (self));
  g_return_if_fail (layout != NULL);
  g_return_if_fail (g_variant_is_of_type (layout, G_VARIANT_TYPE ("a{s(dd)}"))
                    || g_variant_is_of_type (layout, G_VARIANT_TYPE_VARDICT));
  g_return_if_fail (objects != NULL);

  owned = g_variant_ref_sink (layout);
  if (g_variant_is_of_type (owned, G_VARIANT_TYPE_VARDICT))
    {
      positions = g_variant_lookup_value (owned, "positions", G_VARIANT_TYPE ("a{s(dd)}"));
      groups = g_variant_lookup_value (owned, "groups", G_VARIANT_TYPE ("a(sbas)"));
    }
  else
    positions = g_variant_ref (owned);

  for (guint i = 0; positions != NULL && i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      const char *label = spk_object_get_label (object);
      double x, y;

      if (label == NULL)
        continue;
      if (g_variant_lookup (positions, label, "(dd)", &x, &y) && isfinite (x) && isfinite (y))
        spk_layout_set_position (self, object, x, y);
    }

  for (gsize i = 0; groups != NULL && i < g_variant_n_children (groups); i++)
    {
      g_autoptr (GPtrArray) members = g_ptr_array_new ();
      g_autofree const char **labels = NULL;
      const char *label;
      gboolean collapsed;

      g_variant_get_child (groups, i, "(&sb^a&s)", &label, &collapsed, &labels);
      for (guint j = 0; labels[j] != NULL; j++)
        {
          SpkObject *member = find_labelled (objects, labels[j]);

          if (member != NULL)
            g_ptr_array_add (members, member);
        }
      if (*label != '\0' && members->len > 0)
        spk_layout_add_group (self, label, members, collapsed);
      else if (*label != '\0' && labels[0] == NULL)
        spk_layout_set_nested_collapsed (self, label, collapsed);
    }
}
