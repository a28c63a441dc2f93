/* spk-layout.c — where each model object sits on the canvas.
 *
 * A hash table from object to the centre of its card in canvas units.  The
 * layout holds a reference on every object it places, so a pointer never
 * aliases a newer object.  Every change, removal included, emits "changed"
 * with the object, which is what the undo stack and the session writer
 * follow.
 */
#define G_LOG_DOMAIN "spk-layout"

#include "spk-layout.h"

#include <math.h>

typedef struct
{
  double x;
  double y;
} Position;

struct _SpkLayout
{
  GObject     parent_instance;
  GHashTable *positions;   /* SpkObject* (ref) → Position* */
};

G_DEFINE_FINAL_TYPE (SpkLayout, spk_layout, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };

static guint signals[N_SIGNALS];

static void
spk_layout_finalize (GObject *object)
{
  SpkLayout *self = SPK_LAYOUT (object);

  g_hash_table_unref (self->positions);
  G_OBJECT_CLASS (spk_layout_parent_class)->finalize (object);
}

static void
spk_layout_class_init (SpkLayoutClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = spk_layout_finalize;

  /**
   * SpkLayout::changed:
   * @object: the object whose position changed or was removed
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, SPK_TYPE_OBJECT);
}

static void
spk_layout_init (SpkLayout *self)
{
  self->positions = g_hash_table_new_full (g_direct_hash, g_direct_equal,
                                           g_object_unref, g_free);
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
 * equal bytes.
 *
 * Returns: (transfer floating): a GVariant of type a{s(dd)}
 */
GVariant *
spk_layout_serialize (SpkLayout *self)
{
  g_autoptr (GPtrArray) objects = g_ptr_array_new ();
  GVariantBuilder builder;
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (SPK_IS_LAYOUT (self), NULL);

  g_hash_table_iter_init (&iter, self->positions);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (objects, key);
  g_ptr_array_sort (objects, compare_labels);
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{s(dd)}"));
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      const char *label = spk_object_get_label (object);
      Position *pos = g_hash_table_lookup (self->positions, object);

      if (label == NULL || *label == '\0')
        continue;
      g_variant_builder_add (&builder, "{s(dd)}", label, pos->x, pos->y);
    }
  return g_variant_builder_end (&builder);
}

/**
 * spk_layout_apply:
 * @layout: a GVariant of type a{s(dd)}; a floating reference is sunk
 * @objects: (element-type SpkObject): the objects to place, found by label
 *
 * Objects whose label the serialised layout does not name keep their
 * position; names of objects not in @objects are ignored.
 */
void
spk_layout_apply (SpkLayout *self,
                  GVariant  *layout,
                  GPtrArray *objects)
{
  g_autoptr (GVariant) owned = NULL;

  g_return_if_fail (SPK_IS_LAYOUT (self));
  g_return_if_fail (layout != NULL);
  g_return_if_fail (g_variant_is_of_type (layout, G_VARIANT_TYPE ("a{s(dd)}")));
  g_return_if_fail (objects != NULL);

  owned = g_variant_ref_sink (layout);
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      const char *label = spk_object_get_label (object);
      double x, y;

      if (label == NULL)
        continue;
      if (g_variant_lookup (owned, label, "(dd)", &x, &y) && isfinite (x) && isfinite (y))
        spk_layout_set_position (self, object, x, y);
    }
}
