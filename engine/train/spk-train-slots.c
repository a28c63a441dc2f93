/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-train-slots.c — which arena values the trainer trains, and which
 * named parameters they are.  A plan's parameter arena holds values the
 * builder derived from named parameters (a connection's weights, an
 * ensemble's encoders scaled by gain/radius, its biases, possibly
 * transposed or merged with other ensembles'); the builder records where
 * each went (the plan's parameter map, SpkPlanParamSlot), and this file
 * picks the trainable ones out of it. */
#define G_LOG_DOMAIN "spk-train"

#include "train/spk-train-private.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "io/spk-model-json.h"
#include "model/spk-connection.h"

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
               const char *key,
               gboolean    own_op)   /* read by an operator of its own, not a product with a matrix */
{
  SpkObject *owner = g_hash_table_lookup (self->plan->param_objects, key);

  if (!spk_network_get_trainable (self->network))
    return FALSE;
  /* A Sparse or convolution transform trains its entries or its kernel
   * (spk-builder-transform.c), so its pattern stays; one built as the
   * dense matrix it makes (an older session's) would lose it, and stays
   * as built. */
  if (owner != NULL && SPK_IS_CONNECTION (owner) && spk_connection_get_transform (SPK_CONNECTION (owner)) != NULL
      && SPK_DIST_KIND_IS_TRANSFORM (spk_connection_get_transform (SPK_CONNECTION (owner))->kind)
      && !own_op)
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
                 : L->transform == SPK_PLAN_TRANSFORM_SPARSE ? L->nnz
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

/* Adds the trainable slots among arena values [off, off + len): the
 * builder's parameter map says which named parameter each run holds. */
static void
map_range (SpkTrainer *self,
           gsize       off,
           gsize       len,
           gboolean    own_op)
{
  const SpkPlan *plan = self->plan;

  for (guint i = spk_plan_find_param_slot (plan, off); i < spk_plan_get_n_param_slots (plan); i++)
    {
      const SpkPlanParamSlot *ps = spk_plan_get_param_slot (plan, i);
      const char *slash = strrchr (ps->key, '/');
      gboolean state = FALSE;
      SlotKind kind;
      TrainSlot slot = { 0 };

      if (ps->offset >= off + len)
        break;
      if (slash == NULL)
        continue;
      if ((g_str_equal (slash, "/weights") && !is_probe_label (plan, ps->key))
          || g_str_equal (slash, "/gamma") || g_str_equal (slash, "/beta"))
        kind = SLOT_WEIGHTS;
      else if (g_str_equal (slash, "/encoders"))
        kind = SLOT_ENCODERS;
      else if (g_str_equal (slash, "/bias"))
        kind = SLOT_BIAS;
      else if (g_str_equal (slash, "/moving_mean") || g_str_equal (slash, "/moving_var"))
        kind = SLOT_WEIGHTS, state = TRUE;
      else
        continue;
      if (!state && !key_trainable (self, ps->key, own_op))
        continue;
      slot.off = ps->offset;
      slot.len = spk_plan_param_slot_len (ps);
      slot.kind = kind;
      slot.key = g_strdup (ps->key);
      slot.index = g_new (gsize, slot.len);
      for (gsize j = 0; j < slot.len; j++)
        slot.index[j] = spk_plan_param_slot_element (ps, j);
      if (kind == SLOT_ENCODERS)
        {
          SpkArray *enc = g_hash_table_lookup (self->named, ps->key);

          slot.radius = ps->radius;
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

/* Fills self->slots from self->plan's parameter map, in the order the
 * plan's operators read the arena. */
void
_spk_train_map_slots (SpkTrainer *self)
{
  for (guint i = 0; i < self->plan->ops->len; i++)
    {
      const SpkPlanOp *op = g_ptr_array_index (self->plan->ops, i);
      gsize off = 0, len;

      if (op->kind == SPK_OP_LAYER)
        {
          if ((len = layer_params_len (op->layer, &off)))
            map_range (self, off, len, TRUE);
          continue;
        }
      if (op->kind != SPK_OP_DOT_INC && op->kind != SPK_OP_ELEM_INC && op->kind != SPK_OP_SET_PARAM)
        continue;
      for (guint k = 0; k < op->items->len; k++)
        {
          const SpkOpItem *item = spk_plan_op_item (op, k);

          len = op->kind == SPK_OP_DOT_INC ? (gsize) item->rows * item->cols
                : item->scalar ? 1 : item->dst.len;
          map_range (self, item->param, len, FALSE);
        }
    }
}
