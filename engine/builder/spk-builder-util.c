/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-builder-util.c — the builder's small tools: signals, the parameter
 * arena and named parameters, operators, seeds, sampling, and the names of
 * objects in messages. */
#define G_LOG_DOMAIN "spk-builder"

#include "spk-builder-private.h"

#include <cblas.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"
#include "core/spk-rng.h"
#include "core/spk-slice.h"
#include "nef/spk-solver.h"
#include "ops/spk-ops-neurons.h"

void
_spk_builder_obj_info_free (gpointer data)
{
  ObjInfo *info = data;

  g_free (info->eval_points);
  g_free (info->activities);
  g_free (info->state_init);
  g_free (info);
}

void
_spk_builder_plan_signal_free (gpointer data)
{
  SpkPlanSignal *signal = data;

  g_free (signal->name);
  g_free (signal->init);
  g_free (signal);
}

void
_spk_builder_plan_op_free (gpointer data)
{
  SpkPlanOp *op = data;

  for (guint i = 0; op->items && i < op->items->len; i++)
    {
      g_free (spk_plan_op_item (op, i)->src_index);
      g_free (spk_plan_op_item (op, i)->dst_index);
    }
  if (op->items)
    g_array_unref (op->items);
  if (op->neuron_type)
    spk_neuron_type_unref (op->neuron_type);
  if (op->expr)
    spk_expr_unref (op->expr);
  if (op->process)
    spk_process_unref (op->process);
  g_clear_object (&op->node);
  if (op->layer)
    {
      g_free (op->layer->sparse_rows);
      g_free (op->layer->sparse_cols);
    }
  g_free (op->layer);
  g_free (op->callback);
  g_free (op->owner);
  g_free (op);
}

void
_spk_builder_plan_probe_free (gpointer data)
{
  SpkPlanProbe *probe = data;

  g_free (probe->label);
  g_free (probe->index);
  g_free (probe);
}

void
_spk_builder_plan_ensemble_free (gpointer data)
{
  SpkPlanEnsemble *ens = data;

  g_free (ens->label);
  spk_neuron_type_unref (ens->neuron_type);
  g_free (ens->gain);
  g_free (ens->bias);
  g_free (ens->encoders);
  g_free (ens);
}

/* Names objects in messages the way users wrote them. */
char *
_spk_builder_describe (SpkObject *object)
{
  const char *label = spk_object_get_label (object);

  if (SPK_IS_CONNECTION (object))
    {
      SpkConnection *conn = SPK_CONNECTION (object);
      SpkObject *pre = spk_connection_get_pre (conn), *post = spk_connection_get_post (conn);
      const char *pre_label = pre ? spk_object_get_label (pre) : NULL;
      const char *post_label = post ? spk_object_get_label (post) : NULL;

      if (label)
        return g_strdup_printf ("connection '%s'", label);
      return g_strdup_printf ("connection %s%s → %s%s", pre_label ? pre_label : "?",
                              spk_connection_get_pre_neurons (conn) ? ".neurons" : "",
                              post_label ? post_label : "?",
                              spk_connection_get_post_neurons (conn) ? ".neurons" : "");
    }
  if (label)
    return g_strdup_printf ("%s '%s'", spk_object_get_type_name (object), label);
  return g_strdup_printf ("unlabelled %s", spk_object_get_type_name (object));
}

/* Prefixes an error with the object it concerns. */
void
_spk_builder_prefix_error (GError   **error,
              SpkObject *object)
{
  g_autofree char *who = _spk_builder_describe (object);

  g_prefix_error (error, "%s: ", who);
}

int
_spk_builder_add_signal (Builder      *b,
            guint         size,
            const double *init,
            const char   *format,
            ...)
{
  SpkPlanSignal *signal = g_new0 (SpkPlanSignal, 1);
  va_list args;

  va_start (args, format);
  signal->name = g_strdup_vprintf (format, args);
  va_end (args);
  signal->size = size;
  if (init)
    signal->init = g_memdup2 (init, size * sizeof (double));
  g_ptr_array_add (b->plan->signals, signal);
  return (int) b->plan->signals->len - 1;
}

gsize
_spk_builder_add_params (Builder      *b,
            const double *values,
            gsize         n)
{
  gsize offset = b->params->len;

  g_array_append_vals (b->params, values, n);
  return offset;
}

gboolean
_spk_builder_check_size (Builder     *b,
                         const char  *who,
                         const char  *what,
                         gsize        rows,
                         gsize        cols,
                         guint        copies,
                         GError     **error)
{
  gsize values, bytes;
  /* Never more than the machine's memory: asked of the system, not tried
   * (a trial allocation is written through by MALLOC_PERTURB_). */
  guint64 ram = (guint64) sysconf (_SC_PHYS_PAGES) * (guint64) sysconf (_SC_PAGESIZE);

  if (g_size_checked_mul (&values, rows, cols)
      && values <= G_MAXUINT / 2 - b->params->len
      && g_size_checked_mul (&bytes, values, (gsize) copies * sizeof (double))
      && bytes <= ram)
    return TRUE;
  g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_NO_MEMORY,
               _("%s: not enough memory for %s"), who, what);
  return FALSE;
}

/* All of signal sig. */
SpkView
_spk_builder_whole (Builder *b,
       int      sig)
{
  SpkPlanSignal *signal = g_ptr_array_index (b->plan->signals, sig);

  return (SpkView) { sig, 0, signal->size };
}

/* The name object goes by: its label, or "<type><i>" made unique
 * (spk_network_dup_keys()). */
const char *
_spk_builder_key (Builder   *b,
                  SpkObject *object)
{
  const char *key = g_hash_table_lookup (b->keys, object);

  g_assert (key != NULL);
  return key;
}

/* Named parameters, "<object key>/<name>": recorded for sessions, and
 * taken from overrides when a saved or trained session is rebuilt. */
char *
_spk_builder_param_key (Builder    *b,
                        SpkObject  *object,
                        const char *name)
{
  return g_strdup_printf ("%s/%s", _spk_builder_key (b, object), name);
}

void
_spk_builder_record_param (Builder      *b,
              SpkObject    *owner,
              const char   *key,
              guint         ndim,
              gsize         rows,
              gsize         cols,
              const double *values)
{
  SpkArray *array = spk_array_new (ndim, rows, cols);

  memcpy (array->data, values, array->size * sizeof (double));
  g_hash_table_replace (b->plan->named, g_strdup (key), array);
  g_hash_table_replace (b->plan->param_objects, g_strdup (key), g_object_ref (owner));
}

void
_spk_builder_map_param (Builder     *b,
                        const char  *key,
                        gsize        offset,
                        guint        rows,
                        guint        cols,
                        gboolean     transposed,
                        gboolean     broadcast,
                        const guint *row_index,
                        double       radius)
{
  GArray *slots = b->plan->param_slots;
  SpkPlanParamSlot slot;

  if ((gsize) rows * cols == 0)
    return;
  slot = (SpkPlanParamSlot) {
    .key = g_strdup (key),
    .offset = offset,
    .rows = rows,
    .cols = cols,
    .transposed = transposed,
    .broadcast = broadcast,
    .row_index = row_index ? g_memdup2 (row_index, rows * sizeof (guint)) : NULL,
    .scale = radius > 0.0 ? SPK_PARAM_SLOT_GAIN_OVER_RADIUS : SPK_PARAM_SLOT_AS_NAMED,
    .radius = radius > 0.0 ? radius : 1.0,
  };
  /* The arena only grows, so slots arrive in arena order. */
  g_assert (slots->len == 0 || g_array_index (slots, SpkPlanParamSlot, slots->len - 1).offset <= offset);
  g_array_append_val (slots, slot);
}

void
_spk_builder_map_matrix (Builder         *b,
                         const char      *key,
                         const SpkOpItem *item,
                         const guint     *row_index,
                         double           radius)
{
  _spk_builder_map_param (b, key, item->param, item->rows, item->cols, item->transposed, FALSE,
                          row_index, radius);
}

SpkArray *
_spk_builder_find_override (Builder    *b,
               const char *key)
{
  return b->overrides ? g_hash_table_lookup (b->overrides, key) : NULL;
}

/* Copies the override of key into out when there is one of rows × cols
 * values; fails naming the parameter when its size is wrong. */
gboolean
_spk_builder_take_override (Builder     *b,
               const char  *key,
               gsize        rows,
               gsize        cols,
               double      *out,
               gboolean    *taken,
               GError     **error)
{
  SpkArray *array = _spk_builder_find_override (b, key);

  *taken = FALSE;
  if (array == NULL)
    return TRUE;
  if (array->size != rows * cols || (cols > 1 && array->ndim == 2 && array->shape[1] != cols))
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                   _("parameter '%s' has %zu values but %zu × %zu are needed"),
                   key, array->size, rows, cols);
      return FALSE;
    }
  if (!spk_array_all_finite (array))
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("parameter '%s' contains NaN or infinite values"), key);
      return FALSE;
    }
  memcpy (out, array->data, rows * cols * sizeof (double));
  *taken = TRUE;
  return TRUE;
}

/* A matrix for DOT_INC: tall-skinny ones (more rows than columns, like an
 * ensemble's encoders) are stored transposed, so the step streams through
 * them column by column. */
void
_spk_builder_set_matrix (Builder      *b,
            SpkOpItem    *item,
            const double *values,
            guint         rows,
            guint         cols)
{
  item->rows = rows;
  item->cols = cols;
  item->transposed = rows > cols;
  if (!item->transposed)
    {
      item->param = _spk_builder_add_params (b, values, (gsize) rows * cols);
      return;
    }
  item->param = b->params->len;
  g_array_set_size (b->params, b->params->len + (gsize) rows * cols);
  for (guint r = 0; r < rows; r++)
    for (guint c = 0; c < cols; c++)
      g_array_index (b->params, double, item->param + (gsize) c * rows + r) = values[(gsize) r * cols + c];
}

/* A new operator with one item, dst ← src. */
SpkPlanOp *
_spk_builder_add_op (Builder    *b,
        SpkOpKind   kind,
        SpkView     dst,
        SpkView     src,
        const char *owner)
{
  SpkPlanOp *op = g_new0 (SpkPlanOp, 1);
  SpkOpItem item = { 0 };

  item.dst = dst;
  item.src = src;
  op->kind = kind;
  op->items = g_array_sized_new (FALSE, TRUE, sizeof (SpkOpItem), 1);
  g_array_append_val (op->items, item);
  op->owner = g_strdup (owner);
  g_ptr_array_add (b->plan->ops, op);
  return op;
}

guint64
_spk_builder_object_seed (Builder    *b,
             SpkObject  *object,
             const char *fallback_key)
{
  gint64 seed = spk_object_get_seed (object);
  const char *label = spk_object_get_label (object);
  guint64 base = b->seed;

  if (seed >= 0)
    return (guint64) seed;
  /* The nearest sub-network with a seed seeds the objects inside it, as in
   * Nengo; networks without one leave their objects' seeds as they were. */
  for (SpkObject *up = spk_object_get_network (object); up != NULL; up = spk_object_get_network (up))
    if (spk_object_get_seed (up) >= 0)
      {
        base = (guint64) spk_object_get_seed (up);
        break;
      }
  return spk_seed_derive (base, label ? label : fallback_key);
}

gboolean
_spk_builder_is_direct (SpkObject *object)
{
  SpkNeuronType *type;

  if (object == NULL || !SPK_IS_ENSEMBLE (object))
    return FALSE;
  type = spk_ensemble_get_neuron_type (SPK_ENSEMBLE (object));
  return type != NULL && spk_neuron_kind_is_direct (type->kind);
}

gboolean
_spk_builder_check_array_finite (SpkArray   *array,
                    const char *what,
                    GError    **error)
{
  if (array && !spk_array_all_finite (array))
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s contains NaN or infinite values"), what);
      return FALSE;
    }
  return TRUE;
}

gboolean
_spk_builder_sample (const SpkDistribution *dist,
        const char            *what,
        gsize                  n,
        gsize                  d,
        SpkRng                *rng,
        double                *out,
        GError               **error)
{
  if (dist == NULL)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID, _("%s is not set"), what);
      return FALSE;
    }
  if (dist->kind == SPK_DIST_ARRAY && !_spk_builder_check_array_finite (dist->array, what, error))
    return FALSE;
  if (!spk_distribution_sample (dist, n, d, rng, out, error))
    {
      g_prefix_error (error, "%s: ", what);
      return FALSE;
    }
  return TRUE;
}
