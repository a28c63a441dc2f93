/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-network.c — the container of model objects, with seed, dt, dtype
 * and whether training may change any of them. */
#define G_LOG_DOMAIN "spk-network"

#include "spk-network.h"
#include "model/spk-object-private.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/spk-array.h"
#include "core/spk-error.h"

struct _SpkNetwork
{
  GObject    parent_instance;
  char      *label;
  gint64     seed;
  double     dt;
  SpkDtype   dtype;
  gboolean   trainable;
  GPtrArray *objects;
};

G_DEFINE_FINAL_TYPE (SpkNetwork, spk_network, G_TYPE_OBJECT)

enum { PROP_0, PROP_LABEL, PROP_SEED, PROP_DT, PROP_DTYPE, PROP_TRAINABLE, N_PROPS };
enum { OBJECT_ADDED, OBJECT_REMOVED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

GType
spk_dtype_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    {
      static const GEnumValue values[] = {
        { SPK_DTYPE_FLOAT32, "SPK_DTYPE_FLOAT32", "float32" },
        { SPK_DTYPE_FLOAT64, "SPK_DTYPE_FLOAT64", "float64" },
        { 0, NULL, NULL },
      };
      g_once_init_leave (&type, g_enum_register_static ("SpkDtype", values));
    }
  return type;
}

const char *
spk_dtype_to_name (SpkDtype dtype)
{
  return dtype == SPK_DTYPE_FLOAT64 ? "float64" : "float32";
}

gboolean
spk_dtype_from_name (const char *name,
                     SpkDtype   *dtype)
{
  if (g_strcmp0 (name, "float32") == 0)
    *dtype = SPK_DTYPE_FLOAT32;
  else if (g_strcmp0 (name, "float64") == 0)
    *dtype = SPK_DTYPE_FLOAT64;
  else
    return FALSE;
  return TRUE;
}

SpkNetwork *
spk_network_new (void)
{
  return g_object_new (SPK_TYPE_NETWORK, NULL);
}

static void
spk_network_finalize (GObject *object)
{
  SpkNetwork *self = SPK_NETWORK (object);

  g_free (self->label);
  g_ptr_array_unref (self->objects);
  G_OBJECT_CLASS (spk_network_parent_class)->finalize (object);
}

static void
spk_network_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SpkNetwork *self = SPK_NETWORK (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_SEED:
      g_value_set_int64 (value, self->seed);
      break;
    case PROP_DT:
      g_value_set_double (value, self->dt);
      break;
    case PROP_DTYPE:
      g_value_set_enum (value, self->dtype);
      break;
    case PROP_TRAINABLE:
      g_value_set_boolean (value, self->trainable);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
spk_network_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  SpkNetwork *self = SPK_NETWORK (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      spk_network_set_label (self, g_value_get_string (value));
      break;
    case PROP_SEED:
      spk_network_set_seed (self, g_value_get_int64 (value));
      break;
    case PROP_DT:
      spk_network_set_dt (self, g_value_get_double (value));
      break;
    case PROP_DTYPE:
      spk_network_set_dtype (self, g_value_get_enum (value));
      break;
    case PROP_TRAINABLE:
      spk_network_set_trainable (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
spk_network_class_init (SpkNetworkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = spk_network_finalize;
  object_class->get_property = spk_network_get_property;
  object_class->set_property = spk_network_set_property;

  properties[PROP_LABEL] =
    g_param_spec_string ("label", N_("Label"), N_("The network's name"), NULL, flags);
  properties[PROP_SEED] =
    g_param_spec_int64 ("seed", N_("Seed"),
                        N_("Seed every unseeded object derives its randomness from; -1 draws one at build"),
                        -1, G_MAXINT64, -1, flags);
  properties[PROP_DT] =
    g_param_spec_double ("dt", N_("Time step"), N_("Simulation time step in seconds"),
                         0.0, G_MAXDOUBLE, 0.001, flags);
  properties[PROP_DTYPE] =
    g_param_spec_enum ("dtype", N_("Precision"),
                       N_("float32 for speed, float64 to match Nengo to round-off"),
                       SPK_TYPE_DTYPE, SPK_DTYPE_FLOAT32, flags);
  properties[PROP_TRAINABLE] =
    g_param_spec_boolean ("trainable", N_("Trainable"),
                          N_("Whether training may change the parameters of the network's objects"),
                          TRUE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[OBJECT_ADDED] =
    g_signal_new ("object-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, SPK_TYPE_OBJECT);
  signals[OBJECT_REMOVED] =
    g_signal_new ("object-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, SPK_TYPE_OBJECT);
}

static void
spk_network_init (SpkNetwork *self)
{
  self->seed = -1;
  self->dt = 0.001;
  self->dtype = SPK_DTYPE_FLOAT32;
  self->trainable = TRUE;
  self->objects = g_ptr_array_new_with_free_func (g_object_unref);
}

const char *
spk_network_get_label (SpkNetwork *self)
{
  g_return_val_if_fail (SPK_IS_NETWORK (self), NULL);
  return self->label;
}

void
spk_network_set_label (SpkNetwork *self,
                       const char *label)
{
  g_return_if_fail (SPK_IS_NETWORK (self));
  _spk_object_set_string (G_OBJECT (self), &self->label, label, properties[PROP_LABEL]);
}

gint64
spk_network_get_seed (SpkNetwork *self)
{
  g_return_val_if_fail (SPK_IS_NETWORK (self), -1);
  return self->seed;
}

void
spk_network_set_seed (SpkNetwork *self,
                      gint64      seed)
{
  g_return_if_fail (SPK_IS_NETWORK (self));
  if (self->seed == seed)
    return;
  self->seed = seed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEED]);
}

double
spk_network_get_dt (SpkNetwork *self)
{
  g_return_val_if_fail (SPK_IS_NETWORK (self), 0.0);
  return self->dt;
}

void
spk_network_set_dt (SpkNetwork *self,
                    double      dt)
{
  g_return_if_fail (SPK_IS_NETWORK (self));
  if (self->dt == dt)
    return;
  self->dt = dt;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DT]);
}

SpkDtype
spk_network_get_dtype (SpkNetwork *self)
{
  g_return_val_if_fail (SPK_IS_NETWORK (self), SPK_DTYPE_FLOAT32);
  return self->dtype;
}

void
spk_network_set_dtype (SpkNetwork *self,
                       SpkDtype    dtype)
{
  g_return_if_fail (SPK_IS_NETWORK (self));
  if (self->dtype == dtype)
    return;
  self->dtype = dtype;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DTYPE]);
}

gboolean
spk_network_get_trainable (SpkNetwork *self)
{
  g_return_val_if_fail (SPK_IS_NETWORK (self), TRUE);
  return self->trainable;
}

/* Objects inherit it: with FALSE nothing in the network trains, whatever
 * the objects' own "trainable" says. */
void
spk_network_set_trainable (SpkNetwork *self,
                           gboolean    trainable)
{
  g_return_if_fail (SPK_IS_NETWORK (self));
  trainable = !!trainable;
  if (self->trainable == trainable)
    return;
  self->trainable = trainable;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRAINABLE]);
}

gboolean
spk_network_add (SpkNetwork  *self,
                 SpkObject   *object,
                 GError     **error)
{
  const char *label;

  g_return_val_if_fail (SPK_IS_NETWORK (self), FALSE);
  g_return_val_if_fail (SPK_IS_OBJECT (object), FALSE);

  label = spk_object_get_label (object);
  if (label != NULL && spk_network_lookup (self, label) != NULL)
    {
      g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_LABEL,
                   _("%s '%s': the label is already used by another object"),
                   spk_object_get_type_name (object), label);
      return FALSE;
    }
  g_ptr_array_add (self->objects, g_object_ref (object));
  g_signal_emit (self, signals[OBJECT_ADDED], 0, object);
  return TRUE;
}

static gboolean
refers_to (SpkObject *object,
           SpkObject *target)
{
  /* What a removed built-in network made goes with it. */
  if (spk_object_get_network (object) == target && spk_object_get_generated (object))
    return TRUE;
  if (SPK_IS_CONNECTION (object))
    return spk_connection_get_pre (SPK_CONNECTION (object)) == target
           || spk_connection_get_post (SPK_CONNECTION (object)) == target;
  if (SPK_IS_PROBE (object))
    return spk_probe_get_target (SPK_PROBE (object)) == target;
  return FALSE;
}

void
spk_network_remove (SpkNetwork *self,
                    SpkObject  *object)
{
  g_autoptr (SpkObject) keep = NULL;
  guint index;

  g_return_if_fail (SPK_IS_NETWORK (self));
  if (!g_ptr_array_find (self->objects, object, &index))
    return;
  keep = g_object_ref (object);
  g_ptr_array_remove_index (self->objects, index);
  /* What was put into a removed sub-network by hand moves out into the
   * network around it, as ungrouping does. */
  for (guint i = 0; i < self->objects->len; i++)
    {
      SpkObject *other = g_ptr_array_index (self->objects, i);

      if (spk_object_get_network (other) == object && !spk_object_get_generated (other))
        spk_object_set_network (other, spk_object_get_network (object), NULL);
    }
  /* Connections and probes of a removed object go with it. */
  for (guint i = self->objects->len; i-- > 0;)
    {
      SpkObject *other = g_ptr_array_index (self->objects, i);

      if (i < self->objects->len && refers_to (other, object))
        spk_network_remove (self, other);
    }
  g_signal_emit (self, signals[OBJECT_REMOVED], 0, object);
}

GPtrArray *
spk_network_get_objects (SpkNetwork *self)
{
  g_return_val_if_fail (SPK_IS_NETWORK (self), NULL);
  return self->objects;
}

/* Appends the objects inside parent (NULL: the top level) to order, each
 * sub-network followed by what is inside it.  A built-in network's own
 * objects come first, as a reader makes them from its parameters before
 * it reads the objects put into it. */
static void
append_file_order (GHashTable *children,
                   SpkObject  *parent,
                   GPtrArray  *order,
                   GHashTable *placed)
{
  GPtrArray *inside = g_hash_table_lookup (children, parent);

  if (inside == NULL)
    return;
  for (int made = 1; made >= 0; made--)
    for (guint i = 0; i < inside->len; i++)
      {
        SpkObject *object = g_ptr_array_index (inside, i);

        if (spk_object_get_generated (object) != made || !g_hash_table_add (placed, object))
          continue;
        g_ptr_array_add (order, object);
        append_file_order (children, object, order, placed);
      }
}

GPtrArray *
spk_network_dup_file_order (SpkNetwork *self)
{
  g_autoptr (GHashTable) children = NULL;
  g_autoptr (GHashTable) placed = NULL;
  g_autoptr (GHashTable) members = NULL;
  GPtrArray *order;

  g_return_val_if_fail (SPK_IS_NETWORK (self), NULL);

  order = g_ptr_array_sized_new (self->objects->len);
  children = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  placed = g_hash_table_new (NULL, NULL);
  members = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < self->objects->len; i++)
    g_hash_table_add (members, g_ptr_array_index (self->objects, i));
  for (guint i = 0; i < self->objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (self->objects, i);
      SpkObject *parent = spk_object_get_network (object);
      GPtrArray *inside;

      /* An object whose network is not in this one counts as top level. */
      if (parent != NULL && !g_hash_table_contains (members, parent))
        parent = NULL;
      inside = g_hash_table_lookup (children, parent);
      if (inside == NULL)
        g_hash_table_insert (children, parent, inside = g_ptr_array_new ());
      g_ptr_array_add (inside, object);
    }
  append_file_order (children, NULL, order, placed);
  /* Objects in a cycle of networks (which no reader makes) last. */
  for (guint i = 0; i < self->objects->len; i++)
    if (g_hash_table_add (placed, g_ptr_array_index (self->objects, i)))
      g_ptr_array_add (order, g_ptr_array_index (self->objects, i));
  return order;
}

GHashTable *
spk_network_dup_keys (SpkNetwork *self)
{
  /* Holding its objects, so that a table kept across edits
   * (spk_network_rekey_params()) never meets a reused address. */
  GHashTable *keys = g_hash_table_new_full (NULL, NULL, g_object_unref, g_free);
  g_autoptr (GHashTable) labels = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) order = NULL;

  g_return_val_if_fail (SPK_IS_NETWORK (self), keys);

  for (guint i = 0; i < self->objects->len; i++)
    {
      const char *label = spk_object_get_label (g_ptr_array_index (self->objects, i));

      if (label != NULL)
        g_hash_table_add (labels, (gpointer) label);
    }
  /* Counted in the file's order, which a saved and reloaded model keeps
   * (the list's own order it may not: see spk_network_dup_file_order()). */
  order = spk_network_dup_file_order (self);
  for (guint i = 0; i < order->len; i++)
    {
      SpkObject *object = g_ptr_array_index (order, i);
      const char *type = spk_object_get_type_name (object);
      guint index = GPOINTER_TO_UINT (g_hash_table_lookup (counts, type));
      GString *key;

      g_hash_table_insert (counts, (gpointer) type, GUINT_TO_POINTER (index + 1));
      if (spk_object_get_label (object) != NULL)
        {
          g_hash_table_insert (keys, g_object_ref (object), g_strdup (spk_object_get_label (object)));
          continue;
        }
      key = g_string_new (NULL);
      g_string_printf (key, "%s%u", type, index);
      while (g_hash_table_contains (labels, key->str))
        g_string_append_c (key, '~');
      g_hash_table_insert (keys, g_object_ref (object), g_string_free (key, FALSE));
    }
  return keys;
}

char *
spk_network_dup_key (SpkNetwork *self,
                     SpkObject  *object)
{
  g_autoptr (GHashTable) keys = NULL;

  g_return_val_if_fail (SPK_IS_NETWORK (self), NULL);
  g_return_val_if_fail (SPK_IS_OBJECT (object), NULL);

  if (spk_object_get_label (object) != NULL)
    return spk_network_lookup (self, spk_object_get_label (object)) == object
           ? g_strdup (spk_object_get_label (object)) : NULL;
  keys = spk_network_dup_keys (self);
  return g_strdup (g_hash_table_lookup (keys, object));
}

SpkObject *
spk_network_lookup_key (SpkNetwork *self,
                        const char *key)
{
  SpkObject *object;
  g_autoptr (GHashTable) keys = NULL;
  GHashTableIter iter;
  gpointer k, v;

  g_return_val_if_fail (SPK_IS_NETWORK (self), NULL);

  if (key == NULL)
    return NULL;
  if ((object = spk_network_lookup (self, key)) != NULL)
    return object;
  keys = spk_network_dup_keys (self);
  g_hash_table_iter_init (&iter, keys);
  while (g_hash_table_iter_next (&iter, &k, &v))
    if (g_str_equal (v, key))
      return k;
  return NULL;
}

GHashTable *
spk_network_rekey_params (SpkNetwork *self,
                          GHashTable *params,
                          GHashTable *then)
{
  GHashTable *out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) spk_array_unref);
  g_autoptr (GHashTable) now = NULL;
  g_autoptr (GHashTable) owners = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer k, v;

  g_return_val_if_fail (SPK_IS_NETWORK (self), out);
  g_return_val_if_fail (params != NULL && then != NULL, out);

  now = spk_network_dup_keys (self);
  g_hash_table_iter_init (&iter, then);
  while (g_hash_table_iter_next (&iter, &k, &v))
    g_hash_table_insert (owners, v, k);
  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, &k, &v))
    {
      const char *name = k;
      SpkObject *owner = NULL;
      const char *slash = NULL;

      /* The longest "<key>/" the name starts with: labels may hold '/'. */
      for (const char *p = name + strlen (name); p-- > name;)
        if (*p == '/')
          {
            g_autofree char *prefix = g_strndup (name, p - name);

            if ((owner = g_hash_table_lookup (owners, prefix)) != NULL)
              {
                slash = p;
                break;
              }
          }
      if (owner == NULL)
        g_hash_table_insert (out, g_strdup (name), spk_array_ref (v));
      else if (g_hash_table_contains (now, owner))
        g_hash_table_insert (out, g_strconcat (g_hash_table_lookup (now, owner), slash, NULL), spk_array_ref (v));
    }
  return out;
}

SpkObject *
spk_network_lookup (SpkNetwork *self,
                    const char *label)
{
  g_return_val_if_fail (SPK_IS_NETWORK (self), NULL);
  for (guint i = 0; i < self->objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (self->objects, i);

      if (g_strcmp0 (spk_object_get_label (object), label) == 0)
        return object;
    }
  return NULL;
}

guint
spk_network_count_type (SpkNetwork *self,
                        GType       type)
{
  guint n = 0;

  for (guint i = 0; i < self->objects->len; i++)
    if (G_TYPE_CHECK_INSTANCE_TYPE (g_ptr_array_index (self->objects, i), type))
      n++;
  return n;
}
