/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-object.c — label, seed and trainable, shared by all model objects. */
#define G_LOG_DOMAIN "spk-object"

#include "spk-object.h"
#include "model/spk-object-private.h"

#include <glib/gi18n-lib.h>

typedef struct
{
  char      *label;
  gint64     seed;
  gboolean   trainable;
  SpkObject *network;   /* the sub-network it is in (a strong reference), or NULL */
  gboolean   generated; /* made by its built-in network */
} SpkObjectPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (SpkObject, spk_object, G_TYPE_OBJECT)

enum { PROP_0, PROP_LABEL, PROP_SEED, PROP_TRAINABLE, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
spk_object_finalize (GObject *object)
{
  SpkObjectPrivate *priv = spk_object_get_instance_private (SPK_OBJECT (object));

  g_free (priv->label);
  g_clear_object (&priv->network);
  G_OBJECT_CLASS (spk_object_parent_class)->finalize (object);
}

static void
spk_object_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SpkObjectPrivate *priv = spk_object_get_instance_private (SPK_OBJECT (object));

  switch (prop_id)
    {
    case PROP_LABEL:
      g_value_set_string (value, priv->label);
      break;
    case PROP_SEED:
      g_value_set_int64 (value, priv->seed);
      break;
    case PROP_TRAINABLE:
      g_value_set_boolean (value, priv->trainable);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
spk_object_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_LABEL:
      spk_object_set_label (SPK_OBJECT (object), g_value_get_string (value));
      break;
    case PROP_SEED:
      spk_object_set_seed (SPK_OBJECT (object), g_value_get_int64 (value));
      break;
    case PROP_TRAINABLE:
      spk_object_set_trainable (SPK_OBJECT (object), g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
spk_object_class_init (SpkObjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = spk_object_finalize;
  object_class->get_property = spk_object_get_property;
  object_class->set_property = spk_object_set_property;

  properties[PROP_LABEL] =
    g_param_spec_string ("label", N_("Label"), N_("The name that identifies this object"),
                         NULL, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEED] =
    g_param_spec_int64 ("seed", N_("Seed"),
                        N_("Seed of this object's random streams; -1 derives it from the network's seed"),
                        -1, G_MAXINT64, -1,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TRAINABLE] =
    g_param_spec_boolean ("trainable", N_("Trainable"),
                          N_("Whether training may change this object's parameters (weights, encoders, biases)"),
                          TRUE, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
spk_object_init (SpkObject *self)
{
  SpkObjectPrivate *priv = spk_object_get_instance_private (self);

  priv->seed = -1;
  priv->trainable = TRUE;
}

const char *
spk_object_get_label (SpkObject *self)
{
  SpkObjectPrivate *priv = spk_object_get_instance_private (self);

  g_return_val_if_fail (SPK_IS_OBJECT (self), NULL);
  return priv->label;
}

void
spk_object_set_label (SpkObject  *self,
                      const char *label)
{
  SpkObjectPrivate *priv = spk_object_get_instance_private (self);

  g_return_if_fail (SPK_IS_OBJECT (self));
  _spk_object_set_string (G_OBJECT (self), &priv->label, label, properties[PROP_LABEL]);
}

gint64
spk_object_get_seed (SpkObject *self)
{
  SpkObjectPrivate *priv = spk_object_get_instance_private (self);

  g_return_val_if_fail (SPK_IS_OBJECT (self), -1);
  return priv->seed;
}

void
spk_object_set_seed (SpkObject *self,
                     gint64     seed)
{
  SpkObjectPrivate *priv = spk_object_get_instance_private (self);

  g_return_if_fail (SPK_IS_OBJECT (self));
  if (priv->seed == seed)
    return;
  priv->seed = seed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEED]);
}

gboolean
spk_object_get_trainable (SpkObject *self)
{
  SpkObjectPrivate *priv = spk_object_get_instance_private (self);

  g_return_val_if_fail (SPK_IS_OBJECT (self), TRUE);
  return priv->trainable;
}

/* Training honours it together with the network's own "trainable": an
 * object trains only when both are TRUE. */
void
spk_object_set_trainable (SpkObject *self,
                          gboolean   trainable)
{
  SpkObjectPrivate *priv = spk_object_get_instance_private (self);

  g_return_if_fail (SPK_IS_OBJECT (self));
  trainable = !!trainable;
  if (priv->trainable == trainable)
    return;
  priv->trainable = trainable;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRAINABLE]);
}

SpkObject *
spk_object_get_network (SpkObject *self)
{
  SpkObjectPrivate *priv = spk_object_get_instance_private (self);

  g_return_val_if_fail (SPK_IS_OBJECT (self), NULL);
  return priv->network;
}

gboolean
spk_object_set_network (SpkObject  *self,
                        SpkObject  *network,
                        GError    **error)
{
  SpkObjectPrivate *priv = spk_object_get_instance_private (self);

  g_return_val_if_fail (SPK_IS_OBJECT (self), FALSE);
  g_return_val_if_fail (network == NULL || g_strcmp0 (spk_object_get_type_name (network), "network") == 0, FALSE);

  /* Sub-networks form a tree: a network inside itself, directly or
   * through its sub-networks, would be a cycle. */
  for (SpkObject *up = network; up != NULL; up = spk_object_get_network (up))
    if (up == self)
      {
        const char *inner = spk_object_get_label (network);
        const char *outer = spk_object_get_label (self);

        g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_CYCLE,
                     _("network '%s' cannot go into network '%s': '%s' is inside '%s' already, "
                       "and a network cannot contain itself"),
                     outer ? outer : "?", inner ? inner : "?", inner ? inner : "?", outer ? outer : "?");
        return FALSE;
      }
  g_set_object (&priv->network, network);
  return TRUE;
}

gboolean
spk_object_get_generated (SpkObject *self)
{
  SpkObjectPrivate *priv = spk_object_get_instance_private (self);

  g_return_val_if_fail (SPK_IS_OBJECT (self), FALSE);
  return priv->generated;
}

void
spk_object_set_generated (SpkObject *self,
                          gboolean   generated)
{
  SpkObjectPrivate *priv = spk_object_get_instance_private (self);

  g_return_if_fail (SPK_IS_OBJECT (self));
  priv->generated = !!generated;
}

const char *
spk_object_get_type_name (SpkObject *self)
{
  return SPK_OBJECT_GET_CLASS (self)->type_name;
}

gboolean
_spk_object_set_boxed (GObject       *object,
                       gpointer      *field,
                       gconstpointer  value,
                       GType          boxed_type,
                       GEqualFunc     equal,
                       GParamSpec    *pspec)
{
  if (*field == value || (*field != NULL && value != NULL && equal (*field, value)))
    return FALSE;
  if (*field)
    g_boxed_free (boxed_type, *field);
  *field = value ? g_boxed_copy (boxed_type, value) : NULL;
  g_object_notify_by_pspec (object, pspec);
  return TRUE;
}

gboolean
_spk_object_set_string (GObject     *object,
                        char       **field,
                        const char  *value,
                        GParamSpec  *pspec)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (object, pspec);
  return TRUE;
}
