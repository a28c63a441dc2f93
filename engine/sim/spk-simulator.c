/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-simulator.c — the dtype-independent half of the simulator: memory,
 * binding ops to it, reset, the run loop with its NaN check, probe
 * records and inputs.  The per-step work is in spk-simulator-tmpl.h.
 *
 * Contract: a simulator is used from one thread at a time; its plan may be
 * shared with other simulators in other threads.
 */
#define G_LOG_DOMAIN "spk-simulator"

#include <inttypes.h>
#include "spk-simulator-private.h"
#include "sim/spk-simulator-fuse-big.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"

static void
sim_input_free (gpointer data)
{
  SimInput *input = data;

  if (!input->borrowed)
    g_free ((double *) input->data);
  g_free (input);
}

/* Row 0 of a view; row b is b·(signal size) values further. */
static gpointer
view_ptr (SpkSimulator  *self,
          const SpkView *view)
{
  if (view->sig < 0)
    return NULL;
  return (char *) self->arena + (self->offsets[view->sig] + view->off) * self->elem_size;
}

static guint
signal_size (SpkSimulator *self,
             int           signal)
{
  if (signal < 0)
    return 0;
  return ((SpkPlanSignal *) g_ptr_array_index (self->plan->signals, signal))->size;
}

static void
bind_item (SpkSimulator    *self,
           const SpkOpItem *item,
           guint            n_states,
           BoundItem       *bi)
{
  const SpkPlan *plan = self->plan;

  bi->item = item;
  bi->dst = view_ptr (self, &item->dst);
  bi->src = view_ptr (self, &item->src);
  bi->dst_stride = signal_size (self, item->dst.sig);
  bi->src_stride = signal_size (self, item->src.sig);
  bi->dst_whole = item->dst.off == 0 && item->dst.len == bi->dst_stride;
  bi->src_whole = item->src.off == 0 && item->src.len == bi->src_stride;
  bi->param = plan->dtype == SPK_DTYPE_FLOAT32
              ? (const void *) (plan->params_f32 + item->param)
              : (const void *) (plan->params + item->param);
  for (guint s = 0; s < n_states; s++)
    bi->states[s] = view_ptr (self, &item->states[s]);
}

/* The packed items of an operator whose every item is one tiny kind of
 * work (spk-simulator-private.h), at batch 1. */
static FastKind
fast_kind_of (const SpkPlanOp *op,
              const SpkOpItem *item)
{
  switch (op->kind)
    {
    case SPK_OP_RESET:
      return FAST_RESET;
    case SPK_OP_COPY:
      if (item->src_index || item->dst_index)
        return FAST_NONE;
      return item->inc ? FAST_COPY_INC : FAST_COPY;
    case SPK_OP_DOT_INC:
      if ((gsize) item->rows * item->cols > SPK_SIM_SMALL_PRODUCT)
        return FAST_NONE;
      if (item->cols == 1)
        return FAST_AXPY;
      if (item->rows == 1)
        return item->transposed ? FAST_DOT_INTO : FAST_DOT;
      return FAST_NONE;
    default:
      return FAST_NONE;
    }
}

static void
bind_fast (SpkSimulator *self,
           BoundOp      *bop)
{
  FastKind kind = FAST_NONE;

  if (self->batch != 1 || bop->n_items < 2)
    return;
  for (guint k = 0; k < bop->n_items; k++)
    {
      FastKind item_kind = fast_kind_of (bop->op, bop->items[k].item);

      if (item_kind == FAST_NONE || (k > 0 && item_kind != kind))
        return;
      kind = item_kind;
    }
  bop->fast = g_new0 (FastItem, bop->n_items);
  for (guint k = 0; k < bop->n_items; k++)
    {
      const BoundItem *bi = &bop->items[k];
      const SpkOpItem *item = bi->item;

      bop->fast[k].dst = bi->dst;
      bop->fast[k].src = bi->src;
      bop->fast[k].param = bi->param;
      bop->fast[k].len = kind == FAST_RESET ? item->dst.len
                         : kind == FAST_COPY || kind == FAST_COPY_INC ? item->n_index
                         : kind == FAST_AXPY ? item->rows
                         : item->cols;
    }
  bop->fast_kind = kind;
}

/* Whether op touches signal sig anywhere. */
gboolean
_spk_op_touches (const SpkPlanOp *op,
            int              sig)
{
  for (guint k = 0; k < op->items->len; k++)
    {
      const SpkOpItem *item = spk_plan_op_item (op, k);

      if (item->dst.sig == sig || item->src.sig == sig)
        return TRUE;
      for (guint s = 0; s < op->n_states; s++)
        if (item->states[s].sig == sig)
          return TRUE;
    }
  return FALSE;
}

/* A neuron group's input current is set to the biases (SET_PARAM) and
 * then each ensemble's encoders add into its part; when the first op to
 * touch the current after that is one of packed one-column encoders
 * covering it part after part, that op sets and adds in one pass
 * (FAST_AXPY_SET) and the copy of the biases is skipped: chain-1000 no
 * longer copies 50,000 values a step.  At batch 1, like the packed items. */
static void
fold_biases (SpkSimulator *self)
{
  for (guint i = 0; i < self->n_ops; i++)
    {
      BoundOp *set = &self->ops[i];
      const SpkOpItem *item;
      const char *bias;
      BoundOp *use = NULL;
      char *next;

      if (set->op->kind != SPK_OP_SET_PARAM || set->n_items != 1 || !set->items[0].dst_whole
          || self->batch != 1 || set->folded)
        continue;
      item = set->items[0].item;
      for (guint j = i + 1; j < self->n_ops && use == NULL; j++)
        if (_spk_op_touches (self->ops[j].op, item->dst.sig))
          use = &self->ops[j];
      if (use == NULL || use->fast_kind != FAST_AXPY || use->folded)
        continue;
      /* Its items must write the current once each, in order, end to end. */
      next = set->items[0].dst;
      for (guint k = 0; k < use->n_items && next != NULL; k++)
        next = use->items[k].item->dst.sig == item->dst.sig && use->items[k].item->src.sig != item->dst.sig
               && use->fast[k].dst == next
               ? next + use->fast[k].len * self->elem_size : NULL;
      if (next != (char *) set->items[0].dst + (gsize) item->dst.len * self->elem_size)
        continue;
      bias = set->items[0].param;
      for (guint k = 0; k < use->n_items; k++)
        use->fast[k].bias = bias + ((char *) use->fast[k].dst - (char *) set->items[0].dst);
      use->fast_kind = FAST_AXPY_SET;
      set->folded = TRUE;
    }
}

static void
bind_inputs (SpkSimulator *self)
{
  for (guint i = 0; i < self->n_ops; i++)
    {
      BoundOp *bop = &self->ops[i];
      SpkObject *node = bop->op->node;

      bop->input = node && spk_object_get_label (node)
                   ? g_hash_table_lookup (self->inputs, spk_object_get_label (node)) : NULL;
    }
}

SpkSimulator *
spk_simulator_new (SpkPlan  *plan,
                   guint     batch,
                   GError  **error)
{
  g_autoptr (SpkSimulator) self = g_new0 (SpkSimulator, 1);
  GPtrArray *signals = plan->signals;
  gsize len = 0;

  g_return_val_if_fail (plan != NULL, NULL);
  g_return_val_if_fail (batch >= 1, NULL);

  self->plan = spk_plan_ref (plan);
  self->batch = batch;
  self->elem_size = plan->dtype == SPK_DTYPE_FLOAT32 ? sizeof (float) : sizeof (double);
  self->offsets = g_new (gsize, MAX (signals->len, 1));
  for (guint s = 0; s < signals->len; s++)
    {
      self->offsets[s] = len;
      len += (gsize) batch * ((SpkPlanSignal *) g_ptr_array_index (signals, s))->size;
    }
  self->arena_len = len;
  self->arena = g_try_malloc0_n (MAX (len, 1), self->elem_size);
  if (self->arena == NULL)
    {
      g_set_error (error, SPK_SIM_ERROR, SPK_SIM_ERROR_NO_MEMORY,
                   _("not enough memory for %zu signal values"), len);
      return NULL;
    }

  self->n_ops = plan->ops->len;
  self->ops = g_new0 (BoundOp, MAX (self->n_ops, 1));
  for (guint i = 0; i < self->n_ops; i++)
    {
      const SpkPlanOp *op = g_ptr_array_index (plan->ops, i);
      BoundOp *bop = &self->ops[i];

      bop->op = op;
      bop->n_items = op->items->len;
      bop->items = g_new0 (BoundItem, MAX (bop->n_items, 1));
      for (guint k = 0; k < bop->n_items; k++)
        bind_item (self, spk_plan_op_item (op, k), op->n_states, &bop->items[k]);
      bind_fast (self, bop);
      if (op->expr)
        bop->scratch = spk_expr_scratch_new (op->expr, batch);
      if (op->layer && op->layer->type == SPK_LAYER_CONV2D)
        {
          gsize n = (gsize) batch * spk_plan_layer_patches_len (op->layer);

          if (!(bop->cols = g_try_malloc_n (n, self->elem_size)))
            {
              g_set_error (error, SPK_SIM_ERROR, SPK_SIM_ERROR_NO_MEMORY,
                           _("%s: not enough memory for %zu patch values"), op->owner, n);
              return NULL;
            }
        }
      if (op->process)
        {
          guint size = spk_plan_op_item (op, 0)->dst.len;

          bop->process = spk_process_state_new (op->process, size, plan->dt, op->seed, error);
          if (bop->process == NULL)
            {
              g_prefix_error (error, "%s: ", op->owner);
              return NULL;
            }
          bop->tmp = g_new0 (double, size);
        }
      if (op->kind == SPK_OP_CALLBACK)
        {
          const SpkOpItem *item = spk_plan_op_item (op, 0);

          bop->callback_x = g_new0 (double, (gsize) batch * MAX (item->src.sig >= 0 ? item->src.len : 0, 1));
          bop->callback_y = g_new0 (double, (gsize) batch * MAX (item->dst.len, 1));
        }
    }

  _spk_simulator_fuse (self);
  fold_biases (self);

  /* OpenBLAS's threads and the pool's would take turns on the same cores
   * every step: a plan whose steps call OpenBLAS leaves it the cores. */
  self->pool_neurons = !(plan->dtype == SPK_DTYPE_FLOAT32 ? _spk_simulator_steps_use_blas_f32 (self)
                                                          : _spk_simulator_steps_use_blas_f64 (self));
  self->records = g_new0 (ProbeRecord, MAX (plan->probes->len, 1));
  for (guint p = 0; p < plan->probes->len; p++)
    {
      self->records[p].data = g_array_new (FALSE, FALSE, sizeof (double));
      self->records[p].times = g_array_new (FALSE, FALSE, sizeof (double));
    }
  self->inputs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, sim_input_free);
  spk_simulator_reset (self);
  return g_steal_pointer (&self);
}

void
spk_simulator_free (SpkSimulator *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < self->n_ops; i++)
    {
      g_clear_pointer (&self->ops[i].scratch, spk_expr_scratch_free);
      g_clear_pointer (&self->ops[i].process, spk_process_state_free);
      g_free (self->ops[i].tmp);
      g_free (self->ops[i].callback_x);
      g_free (self->ops[i].callback_y);
      g_free (self->ops[i].cols);
      g_free (self->ops[i].items);
      g_free (self->ops[i].fast);
      _spk_fused_free (self->ops[i].fused);
      _spk_fused_big_free (self->ops[i].big);
    }
  if (self->records)
    for (guint p = 0; p < self->plan->probes->len; p++)
      {
        g_array_unref (self->records[p].data);
        g_array_unref (self->records[p].times);
      }
  g_free (self->records);
  g_free (self->unrecorded);
  g_clear_pointer (&self->inputs, g_hash_table_unref);
  g_clear_error (&self->callback_error);
  g_free (self->ops);
  g_free (self->offsets);
  g_free (self->arena);
  spk_plan_unref (self->plan);
  g_free (self);
}

SpkPlan *
spk_simulator_get_plan (SpkSimulator *self)
{
  return self->plan;
}

guint
spk_simulator_get_batch (SpkSimulator *self)
{
  return self->batch;
}

void
spk_simulator_reset (SpkSimulator *self)
{
  GPtrArray *signals;
  gsize zero_from = 0;

  g_return_if_fail (self != NULL);

  g_clear_error (&self->callback_error);
  signals = self->plan->signals;
  /* Signals lie in order in the arena: zeros up to each signal with an
   * initial value, whose first row is converted and copied to the others. */
  for (guint s = 0; s < signals->len; s++)
    {
      const SpkPlanSignal *signal = g_ptr_array_index (signals, s);
      gsize row_bytes = signal->size * self->elem_size;
      char *first = (char *) self->arena + self->offsets[s] * self->elem_size;

      if (signal->init == NULL)
        continue;
      memset ((char *) self->arena + zero_from * self->elem_size, 0,
              (self->offsets[s] - zero_from) * self->elem_size);
      zero_from = self->offsets[s] + (gsize) self->batch * signal->size;
      for (guint i = 0; i < signal->size; i++)
        if (self->plan->dtype == SPK_DTYPE_FLOAT32)
          ((float *) first)[i] = (float) signal->init[i];
        else
          ((double *) first)[i] = signal->init[i];
      for (guint b = 1; b < self->batch; b++)
        memcpy (first + b * row_bytes, first, row_bytes);
    }
  memset ((char *) self->arena + zero_from * self->elem_size, 0,
          (self->arena_len - zero_from) * self->elem_size);
  for (guint i = 0; i < self->n_ops; i++)
    {
      BoundOp *bop = &self->ops[i];

      spk_rng_init (&bop->rng, bop->op->seed);
      if (bop->process)
        spk_process_state_reset (bop->process);
    }
  for (guint p = 0; p < self->plan->probes->len; p++)
    {
      g_array_set_size (self->records[p].data, 0);
      g_array_set_size (self->records[p].times, 0);
    }
  self->step = 0;
}

/* What to call value `offset` of signal: the part of a shared signal that
 * an ensemble owns, or the signal itself. */
static const char *
name_value (SpkSimulator *self,
            int           signal,
            guint         offset)
{
  GArray *named = self->plan->named_views;

  for (guint i = 0; i < named->len; i++)
    {
      const SpkNamedView *nv = &g_array_index (named, SpkNamedView, i);

      if (nv->view.sig == signal && offset >= nv->view.off && offset < nv->view.off + nv->view.len)
        return nv->name;
    }
  return ((SpkPlanSignal *) g_ptr_array_index (self->plan->signals, signal))->name;
}

static gboolean
check_finite (SpkSimulator  *self,
              GError       **error)
{
  int signal = -1, op;
  guint offset = 0;

  op = self->plan->dtype == SPK_DTYPE_FLOAT32
       ? _spk_simulator_find_nonfinite_f32 (self, &signal, &offset)
       : _spk_simulator_find_nonfinite_f64 (self, &signal, &offset);
  if (op < 0)
    return TRUE;
  g_set_error (error, SPK_SIM_ERROR, SPK_SIM_ERROR_NOT_FINITE,
               _("%s became NaN or infinite by t = %.6g s; the model's state blew up "
                 "(check its transforms, functions and inputs)"),
               name_value (self, signal, offset), (double) self->step * self->plan->dt);
  return FALSE;
}

/* The machine's memory in bytes, read once: a call per run would cost a
 * system call on every step of a caller stepping one at a time. */
static guint64
physical_memory (void)
{
  static gsize bytes;

  if (g_once_init_enter (&bytes))
    g_once_init_leave (&bytes, (gsize) sysconf (_SC_PHYS_PAGES) * (gsize) sysconf (_SC_PAGESIZE));
  return bytes;
}

/* Grows every probe record once for the whole run, so steps never
 * allocate.  (A GArray keeps its capacity when it shrinks.)  A run too
 * long for memory, or for a GArray's 32-bit length, is refused before it
 * starts rather than aborting when an allocation fails on the way. */
static gboolean
reserve_records (SpkSimulator  *self,
                 guint64        n_steps,
                 GError       **error)
{
  for (guint p = 0; p < self->plan->probes->len; p++)
    {
      const SpkPlanProbe *probe = g_ptr_array_index (self->plan->probes, p);
      ProbeRecord *record = &self->records[p];
      guint64 samples = probe->period > 1.0 ? (guint64) (n_steps / probe->period) + 1 : n_steps;
      guint data_len = record->data->len, times_len = record->times->len;
      guint64 values, total;

      if ((self->unrecorded != NULL && self->unrecorded[p]) || samples == 0)
        continue;
      if (!g_uint64_checked_mul (&values, samples, (guint64) self->batch * probe->size)
          || !g_uint64_checked_add (&total, values, data_len)
          || total > G_MAXUINT / 2 || (guint64) times_len + samples > G_MAXUINT / 2
          || (values + samples) * sizeof (double) > physical_memory ())
        {
          g_set_error (error, SPK_SIM_ERROR, SPK_SIM_ERROR_NO_MEMORY,
                       _("not enough memory to record %" PRIu64 " steps of probe '%s'"),
                       n_steps, probe->label ? probe->label : "");
          return FALSE;
        }
      g_array_set_size (record->data, data_len + (guint) values);
      g_array_set_size (record->data, data_len);
      g_array_set_size (record->times, times_len + (guint) samples);
      g_array_set_size (record->times, times_len);
    }
  return TRUE;
}

gboolean
spk_simulator_step (SpkSimulator  *self,
                    GError       **error)
{
  return spk_simulator_run_steps (self, 1, error);
}

gboolean
spk_simulator_run_steps (SpkSimulator  *self,
                         guint64        n_steps,
                         GError       **error)
{
  gboolean f32 = self->plan->dtype == SPK_DTYPE_FLOAT32;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!reserve_records (self, n_steps, error))
    return FALSE;
  for (guint64 k = 0; k < n_steps; k++)
    {
      double t;

      self->step++;
      /* From the step counter, never by accumulating dt (NEF-FACTS §1). */
      t = (double) self->step * self->plan->dt;
      if (f32)
        _spk_simulator_step_ops_f32 (self, t);
      else
        _spk_simulator_step_ops_f64 (self, t);
      if (self->callback_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&self->callback_error));
          return FALSE;
        }
      if ((self->step % SPK_SIMULATOR_CHECK_STEPS == 0 || k + 1 == n_steps) && !check_finite (self, error))
        return FALSE;
      if (f32)
        _spk_simulator_record_f32 (self);
      else
        _spk_simulator_record_f64 (self);
      if (self->record_hook != NULL)
        self->record_hook (self, self->record_hook_data);
    }
  return TRUE;
}

void
_spk_simulator_set_record_hook (SpkSimulator           *self,
                                SpkSimulatorRecordHook  hook,
                                gpointer                data,
                                const gboolean         *unrecorded)
{
  self->record_hook = hook;
  self->record_hook_data = data;
  g_clear_pointer (&self->unrecorded, g_free);
  if (unrecorded != NULL)
    self->unrecorded = g_memdup2 (unrecorded, MAX (self->plan->probes->len, 1) * sizeof (gboolean));
}

guint64
spk_simulator_get_n_steps (SpkSimulator *self)
{
  return self->step;
}

double
spk_simulator_get_time (SpkSimulator *self)
{
  return (double) self->step * self->plan->dt;
}

/* Feeds node_label from data; borrowed data is not copied, and must
 * outlive its use (predict removes it before returning). */
static gboolean
set_input (SpkSimulator  *self,
           const char    *node_label,
           const double  *data,
           guint64        n_steps,
           gboolean       borrow,
           GError       **error)
{
  SimInput *input;
  guint size = 0;
  gboolean found = FALSE;
  gsize count;

  for (guint i = 0; i < self->n_ops; i++)
    {
      SpkObject *node = self->ops[i].op->node;

      if (node && g_strcmp0 (spk_object_get_label (node), node_label) == 0)
        {
          found = TRUE;
          size = self->ops[i].items[0].item->dst.len;
        }
    }
  if (!found)
    {
      g_set_error (error, SPK_SIM_ERROR, SPK_SIM_ERROR_INPUT,
                   _("'%s' is not a node without input, so it cannot be fed data"), node_label);
      return FALSE;
    }
  if (data == NULL)
    {
      g_hash_table_remove (self->inputs, node_label);
      bind_inputs (self);
      return TRUE;
    }
  if (n_steps == 0)
    {
      g_set_error (error, SPK_SIM_ERROR, SPK_SIM_ERROR_INPUT,
                   _("input for node '%s' has no steps"), node_label);
      return FALSE;
    }
  count = (gsize) self->batch * n_steps * size;
  if (!_spk_simulator_all_finite_f64 (data, count))
    {
      g_set_error (error, SPK_SIM_ERROR, SPK_SIM_ERROR_INPUT,
                   _("input for node '%s' contains NaN or infinite values"), node_label);
      return FALSE;
    }
  input = g_new0 (SimInput, 1);
  input->borrowed = borrow;
  input->data = borrow ? data : g_memdup2 (data, count * sizeof (double));
  input->n_steps = n_steps;
  input->size = size;
  g_hash_table_replace (self->inputs, g_strdup (node_label), input);
  bind_inputs (self);
  return TRUE;
}

gboolean
spk_simulator_set_input (SpkSimulator  *self,
                         const char    *node_label,
                         const double  *data,
                         guint64        n_steps,
                         GError       **error)
{
  return set_input (self, node_label, data, n_steps, FALSE, error);
}

/* A Node computed outside the engine: its function gets the whole batch's
 * input and gives the whole batch's output, in double.  The first failure
 * of a step is kept for run_steps; the step's later callbacks are skipped. */
void
_spk_simulator_run_callback (SpkSimulator    *self,
                             BoundOp         *bop,
                             const BoundItem *bi,
                             double           t)
{
  const SpkOpItem *item = bi->item;
  const guint batch = self->batch;
  const guint n_in = item->src.sig >= 0 ? item->src.len : 0;
  const guint n_out = item->dst.len;
  const gboolean f32 = self->plan->dtype == SPK_DTYPE_FLOAT32;
  double *x = bop->callback_x, *y = bop->callback_y;

  if (self->callback_error != NULL)
    return;
  if (bop->callback == NULL)
    {
      g_set_error (&self->callback_error, SPK_SIM_ERROR, SPK_SIM_ERROR_CALLBACK,
                   _("%s is computed outside the engine, but no function was given for it"),
                   bop->op->owner);
      return;
    }
  for (guint b = 0; b < batch; b++)
    for (guint i = 0; i < n_in; i++)
      {
        gsize at = (gsize) b * bi->src_stride + i;

        x[(gsize) b * n_in + i] = f32 ? ((const float *) bi->src)[at] : ((const double *) bi->src)[at];
      }
  if (!bop->callback (bop->callback_data, t, n_in > 0 ? x : NULL, n_in, y, n_out, batch,
                      &self->callback_error))
    {
      if (self->callback_error == NULL)
        g_set_error (&self->callback_error, SPK_SIM_ERROR, SPK_SIM_ERROR_CALLBACK,
                     _("%s: its function failed"), bop->op->owner);
      return;
    }
  for (guint b = 0; b < batch; b++)
    for (guint i = 0; i < n_out; i++)
      {
        gsize at = (gsize) b * bi->dst_stride + i;

        if (f32)
          ((float *) bi->dst)[at] = (float) y[(gsize) b * n_out + i];
        else
          ((double *) bi->dst)[at] = y[(gsize) b * n_out + i];
      }
}

gboolean
spk_simulator_set_callback (SpkSimulator          *self,
                            const char            *node_key,
                            SpkSimulatorCallback   func,
                            gpointer               user_data,
                            GError               **error)
{
  gboolean found = FALSE;

  g_return_val_if_fail (self != NULL && node_key != NULL, FALSE);

  for (guint i = 0; i < self->n_ops; i++)
    {
      BoundOp *bop = &self->ops[i];

      if (bop->op->kind == SPK_OP_CALLBACK && g_strcmp0 (bop->op->callback, node_key) == 0)
        {
          bop->callback = func;
          bop->callback_data = user_data;
          found = TRUE;
        }
    }
  if (!found)
    g_set_error (error, SPK_SIM_ERROR, SPK_SIM_ERROR_CALLBACK,
                 _("'%s' is not a node computed outside the engine"), node_key);
  return found;
}

gboolean
spk_simulator_set_node_output (SpkSimulator  *self,
                               const char    *node_label,
                               const double  *values,
                               GError       **error)
{
  guint size = 0;
  g_autofree double *rows = NULL;

  for (guint i = 0; i < self->n_ops; i++)
    if (self->ops[i].op->node && g_strcmp0 (spk_object_get_label (self->ops[i].op->node), node_label) == 0)
      size = self->ops[i].items[0].item->dst.len;
  if (values == NULL || size == 0)
    return spk_simulator_set_input (self, node_label, NULL, 1, error);
  /* One step of input, held: steps past the data repeat its last row. */
  rows = g_new (double, (gsize) self->batch * size);
  for (guint b = 0; b < self->batch; b++)
    memcpy (rows + (gsize) b * size, values, size * sizeof (double));
  return spk_simulator_set_input (self, node_label, rows, 1, error);
}

guint64
spk_simulator_get_probe_n_samples (SpkSimulator *self,
                                   guint         probe)
{
  g_return_val_if_fail (probe < self->plan->probes->len, 0);
  return self->records[probe].times->len;
}

/* Records are stored sample-major (as they arrive); callers get them
 * batch-major, Nengo's (batch, steps, size). */
void
spk_simulator_get_probe_data (SpkSimulator *self,
                              guint         probe,
                              double       *out)
{
  const SpkPlanProbe *plan_probe;
  const ProbeRecord *record;
  gsize n_samples, size;

  g_return_if_fail (probe < self->plan->probes->len);
  plan_probe = g_ptr_array_index (self->plan->probes, probe);
  record = &self->records[probe];
  n_samples = record->times->len;
  size = plan_probe->size;
  for (gsize k = 0; k < n_samples; k++)
    for (guint b = 0; b < self->batch; b++)
      memcpy (out + ((gsize) b * n_samples + k) * size,
              &g_array_index (record->data, double, (k * self->batch + b) * size),
              size * sizeof (double));
}

void
spk_simulator_get_probe_sample (SpkSimulator *self,
                                guint         probe,
                                guint64       k,
                                double       *out,
                                double       *t)
{
  const SpkPlanProbe *plan_probe;
  const ProbeRecord *record;
  gsize width;

  g_return_if_fail (probe < self->plan->probes->len);
  plan_probe = g_ptr_array_index (self->plan->probes, probe);
  record = &self->records[probe];
  g_return_if_fail (k < record->times->len);
  width = (gsize) self->batch * plan_probe->size;
  memcpy (out, &g_array_index (record->data, double, k * width), width * sizeof (double));
  if (t)
    *t = g_array_index (record->times, double, k);
}

void
spk_simulator_clear_probe (SpkSimulator *self,
                           guint         probe)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (probe < self->plan->probes->len);

  g_array_set_size (self->records[probe].data, 0);
  g_array_set_size (self->records[probe].times, 0);
}

void
spk_simulator_get_probe_times (SpkSimulator *self,
                               guint         probe,
                               double       *out)
{
  const ProbeRecord *record;

  g_return_if_fail (probe < self->plan->probes->len);
  record = &self->records[probe];
  /* An empty GArray's data is NULL, which memcpy must not be given. */
  if (record->times->len > 0)
    memcpy (out, record->times->data, record->times->len * sizeof (double));
}

/* spk_simulator_predict () and spk_simulator_predict_on (): from the
 * initial state (reset) or from the current one. */
static gboolean
predict (SpkSimulator        *self,
         const char *const   *input_labels,
         const double *const *inputs,
         guint64              n_steps,
         gboolean             reset,
         GError             **error)
{
  gboolean ok = TRUE;
  guint n_set = 0;

  if (reset)
    spk_simulator_reset (self);
  else
    for (guint p = 0; p < self->plan->probes->len; p++)
      spk_simulator_clear_probe (self, p);
  /* The inputs are read in place, not copied: they hold only for this run. */
  for (; ok && input_labels && input_labels[n_set]; n_set++)
    {
      ok = set_input (self, input_labels[n_set], inputs[n_set], n_steps, TRUE, error);
      if (ok)
        ((SimInput *) g_hash_table_lookup (self->inputs, input_labels[n_set]))->first_step = self->step;
    }
  if (ok)
    ok = spk_simulator_run_steps (self, n_steps, error);
  for (guint i = 0; i < n_set; i++)
    {
      SimInput *input = g_hash_table_lookup (self->inputs, input_labels[i]);

      if (input && input->borrowed)
        g_hash_table_remove (self->inputs, input_labels[i]);
    }
  bind_inputs (self);
  return ok;
}

gboolean
spk_simulator_predict (SpkSimulator        *self,
                       const char *const   *input_labels,
                       const double *const *inputs,
                       guint64              n_steps,
                       GError             **error)
{
  return predict (self, input_labels, inputs, n_steps, TRUE, error);
}

gboolean
spk_simulator_predict_on (SpkSimulator        *self,
                          const char *const   *input_labels,
                          const double *const *inputs,
                          guint64              n_steps,
                          GError             **error)
{
  return predict (self, input_labels, inputs, n_steps, FALSE, error);
}

void
spk_simulator_set_parallel (SpkSimulator *self,
                            gboolean      parallel)
{
  g_return_if_fail (self != NULL);
  self->pool_neurons = parallel;
}

GHashTable *
spk_simulator_dup_params (SpkSimulator *self)
{
  GHashTable *params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) spk_array_unref);
  g_auto (GStrv) keys = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  keys = spk_plan_list_params (self->plan);
  for (guint i = 0; keys[i]; i++)
    {
      SpkArray *built = g_hash_table_lookup (self->plan->named, keys[i]);
      const SpkView *view = self->plan->learned ? g_hash_table_lookup (self->plan->learned, keys[i]) : NULL;
      SpkArray *now;

      if (view == NULL || view->len != built->size)
        {
          g_hash_table_insert (params, g_strdup (keys[i]), spk_array_ref (built));
          continue;
        }
      now = spk_array_new (built->ndim, built->shape[0], built->ndim > 1 ? built->shape[1] : 1);
      for (guint k = 0; k < view->len; k++)
        now->data[k] = self->plan->dtype == SPK_DTYPE_FLOAT32
                       ? ((const float *) view_ptr (self, view))[k]
                       : ((const double *) view_ptr (self, view))[k];
      /* Learned encoders run scaled by gain/radius; saved, they are not. */
      {
        const double *scale = self->plan->learned_scale
                              ? g_hash_table_lookup (self->plan->learned_scale, keys[i]) : NULL;
        gsize cols = built->ndim > 1 ? built->shape[1] : 1;

        for (gsize k = 0; scale != NULL && k < view->len; k++)
          now->data[k] /= scale[k / cols];
      }
      g_hash_table_insert (params, g_strdup (keys[i]), now);
    }
  return params;
}
