/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-undo-stack.c — undo and redo built on the model's notifications.
 *
 * The stack keeps, for every watched object (the network and each of its
 * objects), a copy of the value of each writable property, and for every
 * object its last canvas position.  A "notify" then tells the old value
 * (the copy) and the new one (read back), so an edit made anywhere — the
 * canvas, the inspector, a test — is recorded without the editor knowing
 * about undo.  "object-added" and "object-removed" record the object with
 * its index in the network; since the network only appends, undoing a
 * removal re-adds the tail of the network behind the restored object, so
 * the model's order (and therefore its file) comes back identical.
 *
 * The layout's groups (the canvas's sub-networks) are recorded as
 * snapshots: a "changed" without an object stores the groups before and
 * after.  Which sub-network each object is in has no notification of its
 * own (grouping sets it just before it changes the groups): the stack
 * compares every object's sub-network with the last one it saw when the
 * groups change and when a step closes, and records the two maps.  The layout's "begin-batch" and "end-batch" (a drag of cards)
 * bracket one step as begin_group and end_group do.
 *
 * Changes are recorded into an open group; a group closes when control
 * returns to the main loop (one user action), when end_group balances
 * begin_group, or on undo/redo.  Replaying a group sets the recorded values
 * with recording suspended; the notifications it causes only refresh the
 * copies.  Everything runs on the main thread.
 */
#define G_LOG_DOMAIN "spk-undo"

#include "ui/shell/spk-undo-stack.h"

/* Repeated edits of the same things closer together than this merge. */
#define MERGE_INTERVAL_US (G_USEC_PER_SEC)

typedef enum
{
  CHANGE_PROPERTY,
  CHANGE_POSITION,
  CHANGE_ADD,
  CHANGE_REMOVE,
  CHANGE_GROUPS,
  CHANGE_MEMBERSHIP,
} ChangeKind;

typedef struct
{
  gboolean set;
  double   x, y;
} Position;

typedef struct
{
  ChangeKind  kind;
  GObject    *object;
  GParamSpec *pspec;                 /* PROPERTY */
  GValue      old_value, new_value;  /* PROPERTY */
  Position    old_pos, new_pos;      /* POSITION; REMOVE/ADD: where it sat */
  guint       index;                 /* ADD, REMOVE: index in the network */
  GPtrArray  *old_groups, *new_groups; /* GROUPS: snapshots of the layout's */
  GHashTable *old_members, *new_members; /* MEMBERSHIP: object → its sub-network */
} Change;

typedef struct
{
  GPtrArray *changes;
  gint64     time;
  gboolean   sealed;   /* an explicit or replayed step: never merged */
} Group;

/* What the stack remembers of a watched object. */
typedef struct
{
  GHashTable *values;   /* pspec → GValue*, the current value of each property */
  gulong      notify_id;
} Watch;

struct _SpkUndoStack
{
  GObject     parent_instance;

  SpkNetwork *network;
  SpkLayout  *layout;
  GHashTable *watches;   /* GObject* → Watch* */
  GHashTable *positions; /* GObject* → Position*: kept after removal, since
                          * the canvas forgets a removed object's place after
                          * the network has let it go */
  GPtrArray  *groups;    /* the layout's groups as last seen (a snapshot) */
  GPtrArray  *order;     /* the network's objects, in order, one step behind it */
  GHashTable *members;   /* object → the sub-network it was in, as last seen */

  GPtrArray  *undo;      /* Group*, oldest first */
  GPtrArray  *redo;      /* Group*, the next redo last */
  Group      *open;
  guint       depth;
  guint       close_id;
  guint       replaying;
  int         saved_at;  /* undo->len at the last save; -1 when unreachable */
  gboolean    modified;
  gboolean    can_undo;
  gboolean    can_redo;
};

G_DEFINE_FINAL_TYPE (SpkUndoStack, spk_undo_stack, G_TYPE_OBJECT)

enum { PROP_0, PROP_CAN_UNDO, PROP_CAN_REDO, PROP_MODIFIED, N_PROPS };
enum { CHANGED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* {{{ Changes and groups */

static void
change_free (gpointer data)
{
  Change *change = data;

  g_clear_object (&change->object);
  if (G_IS_VALUE (&change->old_value))
    g_value_unset (&change->old_value);
  if (G_IS_VALUE (&change->new_value))
    g_value_unset (&change->new_value);
  g_clear_pointer (&change->old_groups, g_ptr_array_unref);
  g_clear_pointer (&change->new_groups, g_ptr_array_unref);
  g_clear_pointer (&change->old_members, g_hash_table_unref);
  g_clear_pointer (&change->new_members, g_hash_table_unref);
  g_free (change);
}

static Group *
group_new (void)
{
  Group *group = g_new0 (Group, 1);

  group->changes = g_ptr_array_new_with_free_func (change_free);
  group->time = g_get_monotonic_time ();
  return group;
}

static void
group_free (gpointer data)
{
  Group *group = data;

  if (group == NULL)
    return;
  g_ptr_array_unref (group->changes);
  g_free (group);
}

static void
watch_free (gpointer data)
{
  Watch *watch = data;

  g_hash_table_unref (watch->values);
  g_free (watch);
}

static void
value_free (gpointer data)
{
  GValue *value = data;

  g_value_unset (value);
  g_free (value);
}

/* }}} */
/* {{{ State */

static void
update_state (SpkUndoStack *self)
{
  gboolean can_undo = self->undo->len > 0 || (self->open && self->open->changes->len > 0);
  gboolean can_redo = self->redo->len > 0;
  gboolean modified = (self->open && self->open->changes->len > 0)
                      || self->saved_at != (int) self->undo->len;

  if (can_undo != self->can_undo)
    {
      self->can_undo = can_undo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
    }
  if (can_redo != self->can_redo)
    {
      self->can_redo = can_redo;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
    }
  if (modified != self->modified)
    {
      self->modified = modified;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
    }
}

/* Two groups touch the same things when each holds only property or
 * position changes and their (object, property) pairs are the same. */
static gboolean
same_targets (Group *a,
              Group *b)
{
  if (a->changes->len != b->changes->len)
    return FALSE;
  for (guint i = 0; i < a->changes->len; i++)
    {
      Change *ca = g_ptr_array_index (a->changes, i);
      Change *cb = g_ptr_array_index (b->changes, i);

      if (ca->kind != cb->kind || ca->object != cb->object || ca->pspec != cb->pspec)
        return FALSE;
      if (ca->kind != CHANGE_PROPERTY && ca->kind != CHANGE_POSITION)
        return FALSE;
    }
  return TRUE;
}

/* Folds the new values of group into top, which keeps its old values. */
static void
merge_into (Group *top,
            Group *group)
{
  for (guint i = 0; i < group->changes->len; i++)
    {
      Change *dst = g_ptr_array_index (top->changes, i);
      Change *src = g_ptr_array_index (group->changes, i);

      if (dst->kind == CHANGE_PROPERTY)
        {
          g_value_unset (&dst->new_value);
          g_value_init (&dst->new_value, G_VALUE_TYPE (&src->new_value));
          g_value_copy (&src->new_value, &dst->new_value);
        }
      else
        dst->new_pos = src->new_pos;
    }
  top->time = group->time;
}

/* {{{ Sub-network membership */

static void
unref_nullable (gpointer data)
{
  if (data != NULL)
    g_object_unref (data);
}

/* object → the sub-network it is in (NULL at the top level), for every
 * object of the model. */
static GHashTable *
members_snapshot (SpkUndoStack *self)
{
  GHashTable *members = g_hash_table_new_full (NULL, NULL, g_object_unref, unref_nullable);
  GPtrArray *objects = spk_network_get_objects (self->network);

  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      SpkObject *net = spk_object_get_network (object);

      g_hash_table_insert (members, g_object_ref (object), net ? g_object_ref (net) : NULL);
    }
  return members;
}

/* Whether an object of both maps is in another sub-network in b. */
static gboolean
members_differ (GHashTable *a,
                GHashTable *b)
{
  GHashTableIter iter;
  gpointer object, net;

  g_hash_table_iter_init (&iter, b);
  while (g_hash_table_iter_next (&iter, &object, &net))
    {
      gpointer old;

      if (g_hash_table_lookup_extended (a, object, NULL, &old) && old != net)
        return TRUE;
    }
  return FALSE;
}

/* Puts every object of members that is still in the model back into its
 * sub-network: first all out, so that no nesting is a cycle on the way. */
static void
apply_members (SpkUndoStack *self,
               GHashTable   *members)
{
  GPtrArray *objects = spk_network_get_objects (self->network);
  GHashTableIter iter;
  gpointer object, net;

  g_hash_table_iter_init (&iter, members);
  while (g_hash_table_iter_next (&iter, &object, &net))
    if (g_ptr_array_find (objects, object, NULL))
      spk_object_set_network (object, NULL, NULL);
  g_hash_table_iter_init (&iter, members);
  while (g_hash_table_iter_next (&iter, &object, &net))
    {
      g_autoptr (GError) error = NULL;

      if (net != NULL && g_ptr_array_find (objects, object, NULL)
          && !spk_object_set_network (object, net, &error))
        g_warning ("Cannot restore %s: %s", spk_object_get_type_name (object), error->message);
    }
}

static void record (SpkUndoStack *self,
                    Change       *change);

/* Records the objects that changed sub-network since last seen. */
static void
record_members (SpkUndoStack *self)
{
  GHashTable *now = members_snapshot (self);
  Change *change;

  if (!self->replaying && members_differ (self->members, now))
    {
      change = g_new0 (Change, 1);
      change->kind = CHANGE_MEMBERSHIP;
      change->old_members = g_hash_table_ref (self->members);
      change->new_members = g_hash_table_ref (now);
      record (self, change);
    }
  g_hash_table_unref (self->members);
  self->members = now;
}

/* }}} */

void
spk_undo_stack_close_group (SpkUndoStack *self)
{
  Group *group;

  g_return_if_fail (SPK_IS_UNDO_STACK (self));

  g_clear_handle_id (&self->close_id, g_source_remove);
  if (self->open != NULL)
    record_members (self);
  group = g_steal_pointer (&self->open);
  if (group == NULL)
    return;
  if (group->changes->len == 0)
    {
      group_free (group);
      return;
    }

  /* A drag or typing: merge with the step it continues, unless that step
   * is the saved state, which must stay reachable. */
  if (self->undo->len > 0 && self->saved_at != (int) self->undo->len)
    {
      Group *top = g_ptr_array_index (self->undo, self->undo->len - 1);

      if (!top->sealed && !group->sealed
          && group->time - top->time < MERGE_INTERVAL_US && same_targets (top, group))
        {
          merge_into (top, group);
          group_free (group);
          update_state (self);
          return;
        }
    }
  g_ptr_array_add (self->undo, group);
  update_state (self);
}

static gboolean
close_group_cb (gpointer data)
{
  SpkUndoStack *self = data;

  self->close_id = 0;
  if (self->depth == 0)
    spk_undo_stack_close_group (self);
  return G_SOURCE_REMOVE;
}

static void
record (SpkUndoStack *self,
        Change       *change)
{
  if (self->open == NULL)
    self->open = group_new ();
  self->open->time = g_get_monotonic_time ();
  g_ptr_array_add (self->open->changes, change);

  /* A new edit makes the redo steps unreachable, and with them the saved
   * state if it was among them. */
  if (self->redo->len > 0)
    {
      g_ptr_array_set_size (self->redo, 0);
      if (self->saved_at > (int) self->undo->len)
        self->saved_at = -1;
    }
  if (self->depth == 0 && self->close_id == 0)
    self->close_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, close_group_cb, self, NULL);
  update_state (self);
}

static void
emit_changed (SpkUndoStack *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

/* }}} */
/* {{{ Watching */

static Watch *
lookup_watch (SpkUndoStack *self,
              GObject      *object)
{
  return g_hash_table_lookup (self->watches, object);
}

static void
read_position (SpkUndoStack *self,
               GObject      *object,
               Position     *pos)
{
  pos->set = FALSE;
  if (self->layout != NULL && SPK_IS_OBJECT (object))
    pos->set = spk_layout_get_position (self->layout, SPK_OBJECT (object), &pos->x, &pos->y);
}

/* The last position seen of object (unset when never placed). */
static Position *
cached_position (SpkUndoStack *self,
                 GObject      *object)
{
  Position *pos = g_hash_table_lookup (self->positions, object);

  if (pos == NULL)
    {
      pos = g_new0 (Position, 1);
      read_position (self, object, pos);
      g_hash_table_insert (self->positions, g_object_ref (object), pos);
    }
  return pos;
}

static gboolean
is_recorded (GParamSpec *pspec)
{
  return (pspec->flags & G_PARAM_READWRITE) == G_PARAM_READWRITE
         && (pspec->flags & G_PARAM_CONSTRUCT_ONLY) == 0;
}

static void
notify_cb (GObject      *object,
           GParamSpec   *pspec,
           SpkUndoStack *self)
{
  Watch *watch = lookup_watch (self, object);
  GValue *cached;
  Change *change;

  if (watch == NULL || !is_recorded (pspec))
    return;
  cached = g_hash_table_lookup (watch->values, pspec);
  if (cached == NULL)
    return;

  change = g_new0 (Change, 1);
  change->kind = CHANGE_PROPERTY;
  change->object = g_object_ref (object);
  change->pspec = pspec;
  g_value_init (&change->old_value, pspec->value_type);
  g_value_copy (cached, &change->old_value);
  g_value_init (&change->new_value, pspec->value_type);
  g_object_get_property (object, pspec->name, &change->new_value);

  g_value_unset (cached);
  g_value_init (cached, pspec->value_type);
  g_value_copy (&change->new_value, cached);

  if (self->replaying)
    change_free (change);
  else
    record (self, change);
  emit_changed (self);
}

static void
watch_object (SpkUndoStack *self,
              GObject      *object)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;
  Watch *watch;

  if (lookup_watch (self, object) != NULL)
    return;
  watch = g_new0 (Watch, 1);
  watch->values = g_hash_table_new_full (NULL, NULL, NULL, value_free);
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      GValue *value;

      if (!is_recorded (pspecs[i]))
        continue;
      value = g_new0 (GValue, 1);
      g_value_init (value, pspecs[i]->value_type);
      g_object_get_property (object, pspecs[i]->name, value);
      g_hash_table_insert (watch->values, pspecs[i], value);
    }
  read_position (self, object, cached_position (self, object));
  watch->notify_id = g_signal_connect (object, "notify", G_CALLBACK (notify_cb), self);
  g_hash_table_insert (self->watches, g_object_ref (object), watch);
}

static void
unwatch_object (SpkUndoStack *self,
                GObject      *object)
{
  Watch *watch = lookup_watch (self, object);

  if (watch == NULL)
    return;
  g_clear_signal_handler (&watch->notify_id, object);
  g_hash_table_remove (self->watches, object);
}

static void
object_added_cb (SpkNetwork   *network,
                 SpkObject    *object,
                 SpkUndoStack *self)
{
  Change *change;

  watch_object (self, G_OBJECT (object));
  g_ptr_array_add (self->order, g_object_ref (object));
  if (self->replaying)
    {
      emit_changed (self);
      return;
    }
  change = g_new0 (Change, 1);
  change->kind = CHANGE_ADD;
  change->object = g_object_ref (G_OBJECT (object));
  change->index = self->order->len - 1;
  record (self, change);
  emit_changed (self);
}

static void
object_removed_cb (SpkNetwork   *network,
                   SpkObject    *object,
                   SpkUndoStack *self)
{
  Change *change;
  guint index;

  if (!g_ptr_array_find (self->order, object, &index))
    return;
  if (!self->replaying)
    {
      change = g_new0 (Change, 1);
      change->kind = CHANGE_REMOVE;
      change->object = g_object_ref (G_OBJECT (object));
      change->index = index;
      change->old_pos = *cached_position (self, G_OBJECT (object));
      record (self, change);
    }
  unwatch_object (self, G_OBJECT (object));
  g_ptr_array_remove_index (self->order, index);
  emit_changed (self);
}

/* The same groups, opened or closed differently. */
static gboolean
only_collapsed_differs (GPtrArray *a,
                        GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      SpkLayoutGroup *ga = g_ptr_array_index (a, i), *gb = g_ptr_array_index (b, i);
      GPtrArray *ma = spk_layout_group_get_members (ga), *mb = spk_layout_group_get_members (gb);

      if (g_strcmp0 (spk_layout_group_get_label (ga), spk_layout_group_get_label (gb)) != 0 || ma->len != mb->len)
        return FALSE;
      for (guint j = 0; j < ma->len; j++)
        if (g_ptr_array_index (ma, j) != g_ptr_array_index (mb, j))
          return FALSE;
    }
  return TRUE;
}

static void
groups_changed (SpkUndoStack *self)
{
  g_autoptr (GPtrArray) groups = spk_layout_dup_groups (self->layout);
  Change *change;

  /* Grouping moved objects into (or out of) sub-networks just before. */
  record_members (self);
  if (spk_layout_groups_equal (groups, self->groups))
    return;
  /* Opening or closing a sub-network is looking, not editing: no undo
   * step, and the model (and a run) stay as they are. */
  if (only_collapsed_differs (groups, self->groups))
    {
      g_ptr_array_unref (self->groups);
      self->groups = g_steal_pointer (&groups);
      return;
    }
  if (!self->replaying)
    {
      change = g_new0 (Change, 1);
      change->kind = CHANGE_GROUPS;
      change->old_groups = g_ptr_array_ref (self->groups);
      change->new_groups = g_ptr_array_ref (groups);
      record (self, change);
    }
  g_ptr_array_unref (self->groups);
  self->groups = g_steal_pointer (&groups);
  emit_changed (self);
}

static void
layout_changed_cb (SpkLayout    *layout,
                   SpkObject    *object,
                   SpkUndoStack *self)
{
  Position *cached;
  Position pos;
  Change *change;

  if (object == NULL)
    {
      groups_changed (self);
      return;
    }
  cached = cached_position (self, G_OBJECT (object));
  read_position (self, G_OBJECT (object), &pos);
  if (pos.set == cached->set && (!pos.set || (pos.x == cached->x && pos.y == cached->y)))
    return;
  if (!self->replaying)
    {
      change = g_new0 (Change, 1);
      change->kind = CHANGE_POSITION;
      change->object = g_object_ref (G_OBJECT (object));
      change->old_pos = *cached;
      change->new_pos = pos;
      record (self, change);
    }
  *cached = pos;
  emit_changed (self);
}

/* }}} */
/* {{{ Replay */

static void
apply_position (SpkUndoStack   *self,
                GObject        *object,
                const Position *pos)
{
  if (self->layout == NULL || !SPK_IS_OBJECT (object))
    return;
  if (pos->set)
    spk_layout_set_position (self->layout, SPK_OBJECT (object), pos->x, pos->y);
  else
    spk_layout_remove (self->layout, SPK_OBJECT (object));
}

/* Puts object back at index of the network: the objects behind that index
 * are taken out (last first, so no removal cascades into another) and
 * added again after it, each returned to where it sat on the canvas. */
static void
insert_at (SpkUndoStack *self,
           SpkObject    *object,
           guint         index,
           const Position *pos)
{
  GPtrArray *objects = spk_network_get_objects (self->network);
  g_autoptr (GPtrArray) tail = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GArray) positions = g_array_new (FALSE, FALSE, sizeof (Position));
  g_autoptr (GError) error = NULL;
  /* Taking a sub-network out moves what is inside it out: put it back. */
  g_autoptr (GHashTable) members = members_snapshot (self);

  for (guint i = MIN (index, objects->len); i < objects->len; i++)
    {
      GObject *other = g_ptr_array_index (objects, i);
      Position other_pos;

      read_position (self, other, &other_pos);
      g_ptr_array_add (tail, g_object_ref (other));
      g_array_append_val (positions, other_pos);
    }
  for (guint i = tail->len; i-- > 0;)
    spk_network_remove (self->network, g_ptr_array_index (tail, i));

  if (!spk_network_add (self->network, object, &error))
    g_warning ("Cannot restore %s: %s", spk_object_get_type_name (object), error->message);
  apply_position (self, G_OBJECT (object), pos);

  for (guint i = 0; i < tail->len; i++)
    {
      SpkObject *other = g_ptr_array_index (tail, i);

      if (!g_ptr_array_find (objects, other, NULL))
        spk_network_add (self->network, other, NULL);
      apply_position (self, G_OBJECT (other), &g_array_index (positions, Position, i));
    }
  if (tail->len > 0)
    apply_members (self, members);
}

static void
replay (SpkUndoStack *self,
        Change       *change,
        gboolean      forward)
{
  switch (change->kind)
    {
    case CHANGE_PROPERTY:
      g_object_set_property (change->object, change->pspec->name,
                             forward ? &change->new_value : &change->old_value);
      break;
    case CHANGE_POSITION:
      apply_position (self, change->object, forward ? &change->new_pos : &change->old_pos);
      break;
    case CHANGE_GROUPS:
      if (self->layout != NULL)
        spk_layout_restore_groups (self->layout, forward ? change->new_groups : change->old_groups);
      break;
    case CHANGE_MEMBERSHIP:
      apply_members (self, forward ? change->new_members : change->old_members);
      break;
    case CHANGE_ADD:
    case CHANGE_REMOVE:
      if ((change->kind == CHANGE_ADD) == forward)
        insert_at (self, SPK_OBJECT (change->object), change->index, &change->old_pos);
      else
        {
          /* Remember where it sat so that a redo of the add puts it back. */
          if (change->kind == CHANGE_ADD)
            change->old_pos = *cached_position (self, change->object);
          spk_network_remove (self->network, SPK_OBJECT (change->object));
        }
      break;
    default:
      g_assert_not_reached ();
    }
}

gboolean
spk_undo_stack_undo (SpkUndoStack *self)
{
  Group *group;

  g_return_val_if_fail (SPK_IS_UNDO_STACK (self), FALSE);

  spk_undo_stack_close_group (self);
  if (self->undo->len == 0)
    return FALSE;
  group = g_ptr_array_steal_index (self->undo, self->undo->len - 1);
  self->replaying++;
  for (guint i = group->changes->len; i-- > 0;)
    replay (self, g_ptr_array_index (group->changes, i), FALSE);
  self->replaying--;
  g_hash_table_unref (self->members);
  self->members = members_snapshot (self);
  group->sealed = TRUE;
  g_ptr_array_add (self->redo, group);
  update_state (self);
  return TRUE;
}

gboolean
spk_undo_stack_redo (SpkUndoStack *self)
{
  Group *group;

  g_return_val_if_fail (SPK_IS_UNDO_STACK (self), FALSE);

  spk_undo_stack_close_group (self);
  if (self->redo->len == 0)
    return FALSE;
  group = g_ptr_array_steal_index (self->redo, self->redo->len - 1);
  self->replaying++;
  for (guint i = 0; i < group->changes->len; i++)
    replay (self, g_ptr_array_index (group->changes, i), TRUE);
  self->replaying--;
  g_hash_table_unref (self->members);
  self->members = members_snapshot (self);
  group->sealed = TRUE;
  g_ptr_array_add (self->undo, group);
  update_state (self);
  return TRUE;
}

/* }}} */
/* {{{ GObject */

static void
spk_undo_stack_dispose (GObject *object)
{
  SpkUndoStack *self = SPK_UNDO_STACK (object);
  GHashTableIter iter;
  gpointer key, value;

  g_clear_handle_id (&self->close_id, g_source_remove);
  if (self->watches != NULL)
    {
      g_hash_table_iter_init (&iter, self->watches);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_clear_signal_handler (&((Watch *) value)->notify_id, key);
      g_clear_pointer (&self->watches, g_hash_table_unref);
    }
  if (self->network != NULL)
    g_signal_handlers_disconnect_by_data (self->network, self);
  if (self->layout != NULL)
    g_signal_handlers_disconnect_by_data (self->layout, self);
  g_clear_object (&self->network);
  g_clear_object (&self->layout);
  g_clear_pointer (&self->order, g_ptr_array_unref);
  g_clear_pointer (&self->positions, g_hash_table_unref);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->members, g_hash_table_unref);
  g_clear_pointer (&self->undo, g_ptr_array_unref);
  g_clear_pointer (&self->redo, g_ptr_array_unref);
  g_clear_pointer (&self->open, group_free);
  G_OBJECT_CLASS (spk_undo_stack_parent_class)->dispose (object);
}

static void
spk_undo_stack_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SpkUndoStack *self = SPK_UNDO_STACK (object);

  switch (prop_id)
    {
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, self->can_undo);
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, self->can_redo);
      break;
    case PROP_MODIFIED:
      g_value_set_boolean (value, self->modified);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
spk_undo_stack_class_init (SpkUndoStackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = spk_undo_stack_dispose;
  object_class->get_property = spk_undo_stack_get_property;

  properties[PROP_CAN_UNDO] = g_param_spec_boolean ("can-undo", NULL, NULL, FALSE, flags);
  properties[PROP_CAN_REDO] = g_param_spec_boolean ("can-redo", NULL, NULL, FALSE, flags);
  properties[PROP_MODIFIED] = g_param_spec_boolean ("modified", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted after every change of the model or the layout, recorded or
   * replayed: the window revalidates the model on it. */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
spk_undo_stack_init (SpkUndoStack *self)
{
  self->watches = g_hash_table_new_full (NULL, NULL, g_object_unref, watch_free);
  self->positions = g_hash_table_new_full (NULL, NULL, g_object_unref, g_free);
  self->order = g_ptr_array_new_with_free_func (g_object_unref);
  self->undo = g_ptr_array_new_with_free_func (group_free);
  self->redo = g_ptr_array_new_with_free_func (group_free);
}

/* A batch that ends after the stack was created inside it has nothing to
 * balance. */
static void
layout_end_batch_cb (SpkUndoStack *self)
{
  if (self->depth > 0)
    spk_undo_stack_end_group (self);
}

SpkUndoStack *
spk_undo_stack_new (SpkNetwork *network,
                    SpkLayout  *layout)
{
  SpkUndoStack *self;
  GPtrArray *objects;

  g_return_val_if_fail (SPK_IS_NETWORK (network), NULL);
  g_return_val_if_fail (layout == NULL || SPK_IS_LAYOUT (layout), NULL);

  self = g_object_new (SPK_TYPE_UNDO_STACK, NULL);
  self->network = g_object_ref (network);
  self->layout = layout ? g_object_ref (layout) : NULL;

  watch_object (self, G_OBJECT (network));
  objects = spk_network_get_objects (network);
  for (guint i = 0; i < objects->len; i++)
    {
      watch_object (self, g_ptr_array_index (objects, i));
      g_ptr_array_add (self->order, g_object_ref (g_ptr_array_index (objects, i)));
    }
  g_signal_connect (network, "object-added", G_CALLBACK (object_added_cb), self);
  g_signal_connect (network, "object-removed", G_CALLBACK (object_removed_cb), self);
  self->groups = layout != NULL ? spk_layout_dup_groups (layout) : g_ptr_array_new ();
  self->members = members_snapshot (self);
  if (layout != NULL)
    {
      g_signal_connect (layout, "changed", G_CALLBACK (layout_changed_cb), self);
      g_signal_connect_swapped (layout, "begin-batch", G_CALLBACK (spk_undo_stack_begin_group), self);
      g_signal_connect_swapped (layout, "end-batch", G_CALLBACK (layout_end_batch_cb), self);
    }
  return self;
}

/* }}} */
/* {{{ Public API */

void
spk_undo_stack_begin_group (SpkUndoStack *self)
{
  g_return_if_fail (SPK_IS_UNDO_STACK (self));

  if (self->depth++ == 0)
    spk_undo_stack_close_group (self);
}

void
spk_undo_stack_end_group (SpkUndoStack *self)
{
  g_return_if_fail (SPK_IS_UNDO_STACK (self));
  g_return_if_fail (self->depth > 0);

  if (--self->depth > 0)
    return;
  /* An explicit step is never merged with its neighbours. */
  if (self->open != NULL)
    self->open->sealed = TRUE;
  spk_undo_stack_close_group (self);
}

gboolean
spk_undo_stack_get_can_undo (SpkUndoStack *self)
{
  g_return_val_if_fail (SPK_IS_UNDO_STACK (self), FALSE);
  return self->can_undo;
}

gboolean
spk_undo_stack_get_can_redo (SpkUndoStack *self)
{
  g_return_val_if_fail (SPK_IS_UNDO_STACK (self), FALSE);
  return self->can_redo;
}

gboolean
spk_undo_stack_get_modified (SpkUndoStack *self)
{
  g_return_val_if_fail (SPK_IS_UNDO_STACK (self), FALSE);
  return self->modified;
}

void
spk_undo_stack_mark_saved (SpkUndoStack *self)
{
  g_return_if_fail (SPK_IS_UNDO_STACK (self));

  spk_undo_stack_close_group (self);
  self->saved_at = self->undo->len;
  update_state (self);
}

/* }}} */
