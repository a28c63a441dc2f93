/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-train-slots.c — which arena values are which
 * named parameters.  A plan's parameter arena holds values the builder
 * derived from named parameters (a connection's weights, an ensemble's
 * encoders scaled by gain/radius, its biases, possibly transposed or
 * merged with other ensembles').  To learn which is which, the trainer
 * builds the network a second time from "tagged" parameters — every value
 * replaced by a distinct integer, gains by the radius so encoder tags pass
 * through unchanged — and reads the tags back out of the arena. */
#define G_LOG_DOMAIN "spk-train"

#include "train/spk-train-private.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "io/spk-model-json.h"

#define TAG_SHIFT 32

SpkNetwork *
_spk_train_copy_network_f64 (SpkNetwork  *network,
                             GError     **error)
{
  gsize len;
  g_autofree char *json = spk_model_to_data (network, &len);
  SpkNetwork *copy = spk_model_load_data (json, (gssize) len, error);

  if (copy)
    spk_network_set_dtype (copy, SPK_DTYPE_FLOAT64);
  return copy;
}

GHashTable *
_spk_train_new_param_table (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) spk_array_unref);
}

static gboolean
is_probe_label (const SpkPlan *plan,
                const char    *key)
{
  for (guint p = 0; p < plan->probes->len; p++)
    {
      const SpkPlanProbe *probe = g_ptr_array_index (plan->probes, p);
      gsize n = strlen (probe->label);

      if (strncmp (key, probe->label, n) == 0 && key[n] == '/')
        return TRUE;
    }
  return FALSE;
}

/* Whether the object a named parameter came from may train: its own
 * "trainable" and the network's (which every object inherits). */
static gboolean
key_trainable (SpkTrainer *self,
               const char *key)
{
  SpkObject *owner = g_hash_table_lookup (self->plan->param_objects, key);

  if (!spk_network_get_trainable (self->network))
    return FALSE;
  return owner == NULL || spk_object_get_trainable (owner);
}

void
_spk_train_slot_clear (gpointer data)
{
  TrainSlot *slot = data;

  g_free (slot->key);
  g_free (slot->index);
}

/* Where a layer's parameters sit: one run of the arena from *off. */
static gsize
layer_params_len (const SpkPlanLayer *L,
                  gsize              *off)
{
  gsize kernel = L->type == SPK_LAYER_CONV2D ? (gsize) L->win.kh * L->win.kw * L->win.c * L->units
                                              : (gsize) L->n_in * L->units;

  if (L->weights != G_MAXSIZE)
    {
      *off = L->weights;
      return kernel + (L->bias != G_MAXSIZE ? L->units : 0);
    }
  if (L->gamma != G_MAXSIZE)
    {
      *off = L->gamma;
      return 4 * (gsize) L->channels;   /* gamma, beta, moving mean and variance */
    }
  return 0;
}

/* Adds the slots of arena values [off, off + len) of a plan built from
 * tags: each run of values from one trainable parameter becomes a slot. */
static void
map_range (SpkTrainer    *self,
           const SpkPlan *tag_plan,
           GStrv          keys,
           gsize          off,
           gsize          len)
{
  const guint n_keys = g_strv_length (keys);
  gsize e = 0;

  while (e < len)
    {
      double v = round (tag_plan->params[off + e]);
      guint64 tag = v >= 1.0 && v < 0x1p53 ? (guint64) v - 1 : G_MAXUINT64;
      guint ki = tag == G_MAXUINT64 ? G_MAXUINT : (guint) (tag >> TAG_SHIFT);
      const char *key = ki < n_keys ? keys[ki] : NULL;
      const char *slash = key ? strrchr (key, '/') : NULL;
      gboolean state = FALSE;
      SlotKind kind;
      TrainSlot slot = { 0 };
      gsize start = e;

      if (slash == NULL)
        {
          e++;
          continue;
        }
      if ((g_str_equal (slash, "/weights") && !is_probe_label (self->plan, key))
          || g_str_equal (slash, "/gamma") || g_str_equal (slash, "/beta"))
        kind = SLOT_WEIGHTS;
      else if (g_str_equal (slash, "/encoders"))
        kind = SLOT_ENCODERS;
      else if (g_str_equal (slash, "/bias"))
        kind = SLOT_BIAS;
      else if (g_str_equal (slash, "/moving_mean") || g_str_equal (slash, "/moving_var"))
        kind = SLOT_WEIGHTS, state = TRUE;
      else
        {
          e++;
          continue;
        }
      if (!state && !key_trainable (self, key))
        {
          e++;
          continue;
        }
      /* The run of values from this same parameter. */
      while (e < len)
        {
          double w = round (tag_plan->params[off + e]);

          if (!(w >= 1.0 && w < 0x1p53) || (((guint64) w - 1) >> TAG_SHIFT) != ki)
            break;
          e++;
        }
      slot.off = off + start;
      slot.len = e - start;
      slot.kind = kind;
      slot.key = g_strdup (key);
      slot.index = g_new (gsize, slot.len);
      for (gsize j = 0; j < slot.len; j++)
        slot.index[j] = (((guint64) round (tag_plan->params[slot.off + j])) - 1) & ((G_GUINT64_CONSTANT (1) << TAG_SHIFT) - 1);
      if (kind == SLOT_ENCODERS)
        {
          g_autofree char *label = g_strndup (key, (gsize) (slash - key));
          SpkArray *enc = g_hash_table_lookup (self->named, key);
          guint n, d;
          const double *gain, *bias, *encoders;

          if (!spk_plan_get_ensemble (self->plan, label, &n, &d, &slot.radius, &gain, &bias, &encoders))
            slot.radius = 1.0;
          slot.d = enc && enc->ndim == 2 ? (guint) enc->shape[1] : 1;
        }
      if (state)
        g_array_append_val (self->state_slots, slot);
      else
        {
          self->n_trainable += slot.len;
          g_array_append_val (self->slots, slot);
        }
    }
}

/* Fills self->slots from a plan built from tags (same structure as
 * self->plan).  keys are the named parameters in tag order. */
gboolean
_spk_train_map_slots (SpkTrainer   *self,
                      const SpkPlan *tag_plan,
                      GStrv         keys,
                      GError      **error)
{
  if (tag_plan->ops->len != self->plan->ops->len || tag_plan->n_params != self->plan->n_params)
    {
      g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_UNSUPPORTED,
                   _("network '%s': its plan changes shape with its parameters, so its "
                     "parameters cannot be told apart"), spk_network_get_label (self->network));
      return FALSE;
    }
  for (guint i = 0; i < tag_plan->ops->len; i++)
    {
      const SpkPlanOp *op = g_ptr_array_index (tag_plan->ops, i);
      gsize off = 0, len;

      if (op->kind == SPK_OP_LAYER)
        {
          if ((len = layer_params_len (op->layer, &off)))
            map_range (self, tag_plan, keys, off, len);
          continue;
        }
      if (op->kind != SPK_OP_DOT_INC && op->kind != SPK_OP_ELEM_INC && op->kind != SPK_OP_SET_PARAM)
        continue;
      for (guint k = 0; k < op->items->len; k++)
        {
          const SpkOpItem *item = spk_plan_op_item (op, k);

          len = op->kind == SPK_OP_DOT_INC ? (gsize) item->rows * item->cols
                : item->scalar ? 1 : item->dst.len;
          map_range (self, tag_plan, keys, item->param, len);
        }
    }
  return TRUE;
}

/* Tags: value j of the ki-th parameter becomes ki·2³² + j + 1; gains
 * become the radius, so scaled encoders carry their tags unchanged. */
GHashTable *
_spk_train_tagged_params (SpkTrainer *self,
                          GStrv       keys)
{
  GHashTable *tagged = _spk_train_new_param_table ();

  for (guint ki = 0; keys[ki]; ki++)
    {
      SpkArray *orig = g_hash_table_lookup (self->named, keys[ki]);
      SpkArray *a = spk_array_new (orig->ndim, orig->shape[0], orig->ndim == 2 ? orig->shape[1] : 1);
      const char *slash = strrchr (keys[ki], '/');

      if (slash && g_str_equal (slash, "/gain"))
        {
          g_autofree char *label = g_strndup (keys[ki], (gsize) (slash - keys[ki]));
          double radius = 1.0;
          guint n, d;
          const double *gain, *bias, *encoders;

          spk_plan_get_ensemble (self->plan, label, &n, &d, &radius, &gain, &bias, &encoders);
          for (gsize j = 0; j < a->size; j++)
            a->data[j] = radius;
        }
      else
        for (gsize j = 0; j < a->size; j++)
          a->data[j] = (double) (((guint64) ki << TAG_SHIFT) + j + 1);
      g_hash_table_insert (tagged, g_strdup (keys[ki]), a);
    }
  return tagged;
}
