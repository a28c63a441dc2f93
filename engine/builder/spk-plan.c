/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-plan.c — reference counting and read-only queries of a built plan. */
#define G_LOG_DOMAIN "spk-plan"

#include "spk-plan-private.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"

SpkPlan *
spk_plan_ref (SpkPlan *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
spk_plan_unref (SpkPlan *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_ptr_array_unref (self->ops);
  g_ptr_array_unref (self->signals);
  for (guint i = 0; i < self->named_views->len; i++)
    g_free (g_array_index (self->named_views, SpkNamedView, i).name);
  g_array_unref (self->named_views);
  g_ptr_array_unref (self->probes);
  g_ptr_array_unref (self->ensembles);
  g_free (self->params);
  g_free (self->params_f32);
  g_clear_pointer (&self->named, g_hash_table_unref);
  g_clear_pointer (&self->param_objects, g_hash_table_unref);
  g_clear_pointer (&self->decode_rmse, g_hash_table_unref);
  g_clear_pointer (&self->learned, g_hash_table_unref);
  g_clear_pointer (&self->learned_scale, g_hash_table_unref);
  if (self->param_slots)
    {
      for (guint i = 0; i < self->param_slots->len; i++)
        {
          SpkPlanParamSlot *slot = &g_array_index (self->param_slots, SpkPlanParamSlot, i);

          g_free ((char *) slot->key);
          g_free ((guint *) slot->row_index);
        }
      g_array_unref (self->param_slots);
    }
  g_free (self);
}

double
spk_plan_get_dt (const SpkPlan *self)
{
  return self->dt;
}

SpkDtype
spk_plan_get_dtype (const SpkPlan *self)
{
  return self->dtype;
}

gint64
spk_plan_get_seed (const SpkPlan *self)
{
  return self->seed;
}

guint
spk_plan_get_n_neurons (const SpkPlan *self)
{
  return self->n_neurons;
}

guint
spk_plan_get_n_ops (const SpkPlan *self)
{
  return self->ops->len;
}

guint
spk_plan_get_n_probes (const SpkPlan *self)
{
  return self->probes->len;
}

const char *
spk_plan_get_probe_label (const SpkPlan *self,
                          guint          probe)
{
  g_return_val_if_fail (probe < self->probes->len, NULL);
  return ((SpkPlanProbe *) g_ptr_array_index (self->probes, probe))->label;
}

guint
spk_plan_get_probe_size (const SpkPlan *self,
                         guint          probe)
{
  g_return_val_if_fail (probe < self->probes->len, 0);
  return ((SpkPlanProbe *) g_ptr_array_index (self->probes, probe))->size;
}

int
spk_plan_find_probe (const SpkPlan *self,
                     const char    *label)
{
  for (guint p = 0; p < self->probes->len; p++)
    if (g_strcmp0 (spk_plan_get_probe_label (self, p), label) == 0)
      return (int) p;
  return -1;
}

const SpkPlanEnsemble *
_spk_plan_find_ensemble (const SpkPlan *self,
                         const char    *label)
{
  for (guint i = 0; i < self->ensembles->len; i++)
    {
      const SpkPlanEnsemble *ens = g_ptr_array_index (self->ensembles, i);

      if (g_strcmp0 (ens->label, label) == 0)
        return ens;
    }
  return NULL;
}

gboolean
spk_plan_get_ensemble (const SpkPlan  *self,
                       const char     *label,
                       guint          *n_neurons,
                       guint          *dimensions,
                       double         *radius,
                       const double  **gain,
                       const double  **bias,
                       const double  **encoders)
{
  const SpkPlanEnsemble *ens = _spk_plan_find_ensemble (self, label);

  if (ens == NULL)
    return FALSE;
  if (n_neurons)
    *n_neurons = ens->n;
  if (dimensions)
    *dimensions = ens->d;
  if (radius)
    *radius = ens->radius;
  if (gain)
    *gain = ens->gain;
  if (bias)
    *bias = ens->bias;
  if (encoders)
    *encoders = ens->encoders;
  return TRUE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

GStrv
spk_plan_list_params (const SpkPlan *self)
{
  g_autoptr (GPtrArray) keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->named);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, g_strdup (key));
  g_ptr_array_sort (keys, compare_strings);
  g_ptr_array_add (keys, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&keys), FALSE);
}

SpkArray *
spk_plan_dup_param (const SpkPlan *self,
                    const char    *key)
{
  SpkArray *array = g_hash_table_lookup (self->named, key);

  return array ? spk_array_ref (array) : NULL;
}

/**
 * spk_plan_get_decode_rmse:
 * @key: a connection's label, or "connection<i>" as in spk_plan_list_params()
 * @n_dims: (out) (optional): how many values
 *
 * The decode error of a decoded connection as its decoders were solved:
 * the RMS over the evaluation points of f(x) − A·D, per output of the
 * function, in its units.  NULL when key names no connection whose
 * decoders this plan solved (not decoded, or built from saved parameters).
 *
 * Returns: (transfer none) (nullable) (array length=n_dims)
 */
const double *
spk_plan_get_decode_rmse (const SpkPlan *self,
                          const char    *key,
                          guint         *n_dims)
{
  SpkArray *array;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  array = self->decode_rmse ? g_hash_table_lookup (self->decode_rmse, key) : NULL;
  if (n_dims)
    *n_dims = array ? (guint) array->size : 0;
  return array ? array->data : NULL;
}

guint
spk_plan_get_n_param_slots (const SpkPlan *self)
{
  return self->param_slots ? self->param_slots->len : 0;
}

const SpkPlanParamSlot *
spk_plan_get_param_slot (const SpkPlan *self,
                         guint          i)
{
  g_return_val_if_fail (i < spk_plan_get_n_param_slots (self), NULL);

  return &g_array_index (self->param_slots, SpkPlanParamSlot, i);
}

guint
spk_plan_find_param_slot (const SpkPlan *self,
                          gsize          offset)
{
  guint lo = 0, hi = spk_plan_get_n_param_slots (self);

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->param_slots, SpkPlanParamSlot, mid).offset < offset)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

gsize
spk_plan_param_slot_len (const SpkPlanParamSlot *slot)
{
  return slot->broadcast ? 1 : (gsize) slot->rows * slot->cols;
}

gsize
spk_plan_param_slot_element (const SpkPlanParamSlot *slot,
                             gsize                   j)
{
  gsize r, c;

  if (slot->broadcast)
    return 0;
  if (slot->transposed)
    r = j % slot->rows, c = j / slot->rows;
  else
    r = j / slot->cols, c = j % slot->cols;
  if (slot->row_index)
    r = slot->row_index[r];
  return r * slot->cols + c;
}
