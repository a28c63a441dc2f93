/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-train.c — the trainer: which parts of a plan are trainable, the
 * layout of parameters, gradients and optimizer moments, and writing the
 * trained values back as named parameters.  Data sets are in
 * spk-dataset.c, losses in spk-train-loss.c, which arena values are which
 * named parameters in spk-train-slots.c, minibatches, epochs, fit and
 * evaluate in spk-train-fit.c.
 *
 * A plan's parameter arena holds values the builder derived from named
 * parameters; the plan's parameter map (SpkPlanParamSlot) says which arena
 * value is which named value.  The forward and backward passes live in
 * spk-train-tmpl.h.
 */
#define G_LOG_DOMAIN "spk-train"

#include "train/spk-train-private.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"
#include "io/spk-model-json.h"

G_DEFINE_QUARK (spk-train-error-quark, spk_train_error)

/* ---- The trainer -------------------------------------------------------- */

static gboolean
check_ops (SpkTrainer  *self,
           GError     **error)
{
  for (guint i = 0; i < self->plan->ops->len; i++)
    {
      const SpkPlanOp *op = g_ptr_array_index (self->plan->ops, i);
      const SpkNeuronType *t;

      if (op->kind == SPK_OP_PES || op->kind == SPK_OP_BCM || op->kind == SPK_OP_OJA
          || op->kind == SPK_OP_VOJA || op->kind == SPK_OP_RLS || op->kind == SPK_OP_DOT_INC_SIGNAL)
        {
          g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_UNSUPPORTED,
                       _("%s: a connection with a learning rule changes its own weights and "
                         "cannot also be trained by gradient descent; remove its learning_rule_type"),
                       op->owner);
          return FALSE;
        }
      if (op->kind == SPK_OP_FILTER && op->filter.n_taps > 0)
        {
          g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_UNSUPPORTED,
                       _("%s: a Triangle synapse cannot be trained through; use Lowpass, Alpha or "
                         "LinearFilter"), op->owner);
          return FALSE;
        }
      if (op->kind != SPK_OP_NEURONS)
        continue;
      t = op->neuron_type;
      if (spk_neuron_kind_is_wrapper (t->kind) && t->base)
        t = t->base;
      switch (t->kind)
        {
        case SPK_NEURON_RECTIFIED_LINEAR:
        case SPK_NEURON_SPIKING_RECTIFIED_LINEAR:
        case SPK_NEURON_LIF:
        case SPK_NEURON_LIF_RATE:
        case SPK_NEURON_SIGMOID:
        case SPK_NEURON_TANH:
          break;
        default:
          g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_UNSUPPORTED,
                       _("%s: %s neurons have no rate curve to train through; training supports "
                         "LIF, LIFRate, RectifiedLinear, SpikingRectifiedLinear, Sigmoid and Tanh "
                         "(and RegularSpiking, PoissonSpiking or StochasticSpiking of those)"),
                       op->owner, spk_neuron_kind_to_name (t->kind));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
slot_contains (SpkTrainer *self,
               gsize       off)
{
  if (off == G_MAXSIZE)
    return FALSE;
  for (guint s = 0; s < self->slots->len; s++)
    {
      const TrainSlot *slot = &g_array_index (self->slots, TrainSlot, s);

      if (off >= slot->off && off < slot->off + slot->len)
        return TRUE;
    }
  return FALSE;
}

/* A signal needs an adjoint when its value depends on a trainable value;
 * iterated to a fixed point because state flows from step to step. */
static void
find_needs_grad (SpkTrainer *self)
{
  gboolean changed = TRUE;

  self->needs_grad = g_new0 (gboolean, self->n_signals);
  while (changed)
    {
      changed = FALSE;
      for (guint i = 0; i < self->plan->ops->len; i++)
        {
          const SpkPlanOp *op = g_ptr_array_index (self->plan->ops, i);

          for (guint k = 0; k < op->items->len; k++)
            {
              const SpkOpItem *item = spk_plan_op_item (op, k);
              gboolean src = item->src.sig >= 0 && self->needs_grad[item->src.sig];
              gboolean mark = FALSE;

              switch (op->kind)
                {
                case SPK_OP_DOT_INC:
                case SPK_OP_ELEM_INC:
                case SPK_OP_SET_PARAM:
                  mark = src || slot_contains (self, item->param);
                  break;
                case SPK_OP_FILTER:
                  mark = src;
                  for (guint s = 0; s < op->n_states; s++)
                    mark |= self->needs_grad[item->states[s].sig];
                  for (guint s = 0; s < op->n_states && mark; s++)
                    if (!self->needs_grad[item->states[s].sig])
                      self->needs_grad[item->states[s].sig] = changed = TRUE;
                  break;
                case SPK_OP_COPY:
                case SPK_OP_NEURONS:
                case SPK_OP_EXPR:
                  mark = src;
                  break;
                case SPK_OP_LAYER:
                  mark = src || slot_contains (self, op->layer->weights) || slot_contains (self, op->layer->gamma)
                         || slot_contains (self, op->layer->bias);
                  break;
                default:
                  break;
                }
              if (mark && item->dst.sig >= 0 && !self->needs_grad[item->dst.sig])
                self->needs_grad[item->dst.sig] = changed = TRUE;
            }
        }
    }
}

/* Whether item of op sets its dst signal whole without reading it. */
static gboolean
sets_whole (const SpkTrainer *self,
            const SpkPlanOp  *op,
            const SpkOpItem  *item)
{
  const SpkPlanSignal *sig;

  if (item->dst.sig < 0)
    return FALSE;
  sig = g_ptr_array_index (self->plan->signals, item->dst.sig);
  if (item->dst.off != 0 || item->dst.len != sig->size)
    return FALSE;
  switch (op->kind)
    {
    case SPK_OP_RESET:
    case SPK_OP_SET_PARAM:
    case SPK_OP_CONST:
    case SPK_OP_PROCESS:
    case SPK_OP_NEURONS:
    case SPK_OP_EXPR:
    case SPK_OP_LAYER:
      return TRUE;
    case SPK_OP_COPY:
      return !item->inc && !item->dst_index && item->n_index == sig->size;
    default:
      return FALSE;
    }
}

/* set_first (spk-train-private.h): the first operator to touch each
 * signal, and whether it only writes it whole.  Training's neuron
 * operators compute rates and leave the neurons' states alone; a probe
 * reads its signal after the step. */
static void
find_set_first (SpkTrainer *self)
{
  g_autofree gboolean *touched = g_new0 (gboolean, self->n_signals);
  g_autofree gint *read_by = g_new (gint, self->n_signals);

  self->set_first = g_new0 (gboolean, self->n_signals);
  for (guint s = 0; s < self->n_signals; s++)
    read_by[s] = -1;
  for (guint i = 0; i < self->plan->ops->len; i++)
    {
      const SpkPlanOp *op = g_ptr_array_index (self->plan->ops, i);
      const gboolean states = op->kind != SPK_OP_NEURONS;

      /* First the signals this operator reads (or only adds to), ... */
      for (guint k = 0; k < op->items->len; k++)
        {
          const SpkOpItem *item = spk_plan_op_item (op, k);

          if (item->src.sig >= 0)
            read_by[item->src.sig] = (gint) i;
          if (item->dst.sig >= 0 && !sets_whole (self, op, item))
            read_by[item->dst.sig] = (gint) i;
          for (guint st = 0; states && st < op->n_states; st++)
            read_by[item->states[st].sig] = (gint) i;
        }
      /* ... then every signal it touches for the first time. */
      for (guint k = 0; k < op->items->len; k++)
        {
          const SpkOpItem *item = spk_plan_op_item (op, k);
          gint sigs[2 + SPK_OP_MAX_STATES], n = 0;

          sigs[n++] = item->src.sig;
          sigs[n++] = item->dst.sig;
          for (guint st = 0; states && st < op->n_states; st++)
            sigs[n++] = item->states[st].sig;
          for (gint j = 0; j < n; j++)
            if (sigs[j] >= 0 && !touched[sigs[j]])
              {
                touched[sigs[j]] = TRUE;
                self->set_first[sigs[j]] = read_by[sigs[j]] != (gint) i;
              }
        }
    }
  /* A probed signal no operator touches keeps its initial value; other
   * untouched signals (the neurons' states) are not read at all. */
  for (guint p = 0; p < self->plan->probes->len; p++)
    {
      const SpkPlanProbe *probe = g_ptr_array_index (self->plan->probes, p);

      if (probe->view.sig >= 0)
        touched[probe->view.sig] = TRUE;
    }
  for (guint s = 0; s < self->n_signals; s++)
    if (!touched[s])
      self->set_first[s] = TRUE;
}

/* What a layer keeps on the tape per batch row (spk-train-tmpl.h). */
gsize
_spk_train_layer_tape_len (const SpkPlanLayer *L,
                           gboolean            with_activation)
{
  gsize act = with_activation && L->activation != SPK_ACTIVATION_LINEAR ? L->n_out : 0;

  switch (L->type)
    {
    case SPK_LAYER_DENSE:
    case SPK_LAYER_DROPOUT:
      return L->n_in + act;
    case SPK_LAYER_CONV2D:
      /* A ConvolutionTranspose keeps its input, a Convolution its patches. */
      return (L->transform == SPK_PLAN_TRANSFORM_CONV_TRANSPOSE ? L->n_in : spk_plan_layer_patches_len (L)) + act;
    case SPK_LAYER_BATCH_NORMALIZATION:
      return L->n_in + L->channels + act;
    default:
      return act;
    }
}

static gsize
layer_tape_len (const SpkPlanLayer *L)
{
  return _spk_train_layer_tape_len (L, TRUE);
}

static void
layout (SpkTrainer *self)
{
  GPtrArray *ops = self->plan->ops;
  g_autofree gint *last = NULL;
  gsize base = 0, tape = 0;

  self->n_signals = self->plan->signals->len;
  self->sig_base = g_new (gsize, self->n_signals);
  for (guint s = 0; s < self->n_signals; s++)
    {
      self->sig_base[s] = base;
      base += ((SpkPlanSignal *) g_ptr_array_index (self->plan->signals, s))->size;
    }
  self->row_len = base;
  self->tape_off = g_new0 (gsize *, ops->len);
  for (guint i = 0; i < ops->len; i++)
    {
      const SpkPlanOp *op = g_ptr_array_index (ops, i);

      self->tape_off[i] = g_new (gsize, op->items->len);
      for (guint k = 0; k < op->items->len; k++)
        {
          const SpkOpItem *item = spk_plan_op_item (op, k);
          gsize need = 0;

          if (op->kind == SPK_OP_DOT_INC)
            need = item->cols;
          else if (op->kind == SPK_OP_ELEM_INC)
            need = slot_contains (self, item->param) ? item->dst.len : 0;
          else if (op->kind == SPK_OP_NEURONS)
            need = item->dst.len;
          else if (op->kind == SPK_OP_EXPR && item->src.sig >= 0)
            need = ((SpkPlanSignal *) g_ptr_array_index (self->plan->signals, item->src.sig))->size;
          else if (op->kind == SPK_OP_LAYER)
            need = layer_tape_len (op->layer);
          self->tape_off[i][k] = need ? tape : G_MAXSIZE;
          tape += need;
        }
    }
  self->tape_row = tape;

  /* The last operator writing each signal within a step (-1: none). */
  last = g_new (gint, self->n_signals);
  for (guint s = 0; s < self->n_signals; s++)
    last[s] = -1;
  for (guint i = 0; i < ops->len; i++)
    {
      const SpkPlanOp *op = g_ptr_array_index (ops, i);

      for (guint k = 0; k < op->items->len; k++)
        {
          const SpkOpItem *item = spk_plan_op_item (op, k);

          if (item->dst.sig >= 0)
            last[item->dst.sig] = (gint) i;
          for (guint s = 0; s < op->n_states; s++)
            last[item->states[s].sig] = (gint) i;
        }
    }
  self->src_final = g_new0 (gboolean *, ops->len);
  for (guint i = 0; i < ops->len; i++)
    {
      const SpkPlanOp *op = g_ptr_array_index (ops, i);

      self->src_final[i] = g_new0 (gboolean, op->items->len);
      for (guint k = 0; k < op->items->len; k++)
        {
          const SpkOpItem *item = spk_plan_op_item (op, k);

          self->src_final[i][k] = op->kind == SPK_OP_DOT_INC && item->src.sig >= 0
                                  && last[item->src.sig] < (gint) i;
        }
    }
}

SpkTrainer *
spk_trainer_new (SpkNetwork  *network,
                 SpkPlan     *plan,
                 SpkDtype     dtype,
                 GError     **error)
{
  g_autoptr (SpkTrainer) self = NULL;
  g_autoptr (SpkPlan) built = NULL;
  g_autoptr (SpkNetwork) copy = NULL;
  g_auto (GStrv) keys = NULL;
  gsize scratch = 0;

  g_return_val_if_fail (SPK_IS_NETWORK (network), NULL);

  if (plan == NULL && !(plan = built = spk_build (network, error)))
    return NULL;
  /* The trainer builds its own plan of the network, in which such a Node
   * would be a constant: refused before that. */
  for (guint i = 0; i < plan->ops->len; i++)
    {
      const SpkPlanOp *op = g_ptr_array_index (plan->ops, i);

      if (op->kind == SPK_OP_CALLBACK)
        {
          g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_UNSUPPORTED,
                       _("%s is computed outside the engine (Python code) and cannot be trained "
                         "through"), op->owner);
          return NULL;
        }
    }

  self = g_new0 (SpkTrainer, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->network = g_object_ref (network);
  self->dtype = dtype;
  self->elem = dtype == SPK_DTYPE_FLOAT32 ? sizeof (float) : sizeof (double);
  self->lif_sigma = 1.0;
  spk_optimizer_init (&self->opt, SPK_OPTIMIZER_RMSPROP);
  self->losses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->loss_weights = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->slots = g_array_new (FALSE, TRUE, sizeof (TrainSlot));
  g_array_set_clear_func (self->slots, _spk_train_slot_clear);
  self->state_slots = g_array_new (FALSE, TRUE, sizeof (TrainSlot));
  g_array_set_clear_func (self->state_slots, _spk_train_slot_clear);
  self->hist_loss = g_array_new (FALSE, FALSE, sizeof (double));
  self->hist_val = g_array_new (FALSE, FALSE, sizeof (double));

  /* The parameters to start from, and a float64 plan built from them. */
  self->named = _spk_train_new_param_table ();
  keys = spk_plan_list_params (plan);
  for (guint i = 0; keys[i]; i++)
    g_hash_table_insert (self->named, g_strdup (keys[i]), spk_plan_dup_param (plan, keys[i]));
  if (!(copy = _spk_train_copy_network_f64 (network, error))
      || !(self->plan = spk_build_with_params (copy, self->named, error)))
    return NULL;
  if (!check_ops (self, error))
    return NULL;
  _spk_train_map_slots (self);

  layout (self);
  find_needs_grad (self);
  find_set_first (self);

  self->n_params = self->plan->n_params;
  self->params = g_malloc0 (MAX (self->n_params, 1) * self->elem);
  self->grads = g_malloc0 (MAX (self->n_params, 1) * self->elem);
  self->m1 = g_malloc0 (MAX (self->n_params, 1) * self->elem);
  self->m2 = g_malloc0 (MAX (self->n_params, 1) * self->elem);
  self->m3 = g_malloc0 (MAX (self->n_params, 1) * self->elem);
  for (gsize i = 0; i < self->n_params; i++)
    if (dtype == SPK_DTYPE_FLOAT32)
      ((float *) self->params)[i] = (float) self->plan->params[i];
    else
      ((double *) self->params)[i] = self->plan->params[i];

  self->processes = g_new0 (SpkProcessState *, self->plan->ops->len);
  self->layer_rngs = g_new0 (SpkRng, self->plan->ops->len);
  for (guint i = 0; i < self->plan->ops->len; i++)
    {
      const SpkPlanOp *op = g_ptr_array_index (self->plan->ops, i);

      if (op->layer && op->layer->type == SPK_LAYER_DROPOUT)
        spk_rng_init (&self->layer_rngs[i], op->layer->seed);
    }
  self->expr_scratch = g_new0 (SpkExprScratch *, self->plan->ops->len);
  for (guint i = 0; i < self->plan->ops->len; i++)
    {
      const SpkPlanOp *op = g_ptr_array_index (self->plan->ops, i);
      const SpkOpItem *item = spk_plan_op_item (op, 0);

      if (op->kind == SPK_OP_PROCESS)
        {
          if (!(self->processes[i] = spk_process_state_new (op->process, item->dst.len, self->plan->dt,
                                                            op->seed, error)))
            return NULL;
          scratch = MAX (scratch, item->dst.len * sizeof (double));
        }
    }
  self->scratch_len = scratch;
  {
    guint widest = 1;

    for (guint p = 0; p < self->plan->probes->len; p++)
      widest = MAX (widest, ((SpkPlanProbe *) g_ptr_array_index (self->plan->probes, p))->size);
    self->ybuf = g_new (double, widest);
  }
  return g_steal_pointer (&self);
}

SpkTrainer *
spk_trainer_ref (SpkTrainer *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
spk_trainer_unref (SpkTrainer *self)
{
  if (self == NULL || !g_atomic_ref_count_dec (&self->ref_count))
    return;
  if (self->plan)
    {
      for (guint i = 0; i < self->plan->ops->len; i++)
        {
          if (self->processes && self->processes[i])
            spk_process_state_free (self->processes[i]);
          if (self->expr_scratch && self->expr_scratch[i])
            spk_expr_scratch_free (self->expr_scratch[i]);
          if (self->tape_off)
            g_free (self->tape_off[i]);
          if (self->src_final)
            g_free (self->src_final[i]);
        }
      spk_plan_unref (self->plan);
    }
  g_free (self->processes);
  g_free (self->expr_scratch);
  g_free (self->tape_off);
  g_free (self->src_final);
  g_free (self->sig_base);
  g_free (self->needs_grad);
  g_free (self->set_first);
  g_free (self->params);
  g_free (self->grads);
  g_free (self->m1);
  g_free (self->m2);
  g_free (self->m3);
  g_free (self->arena);
  g_free (self->adjoint);
  g_free (self->tape);
  g_free (self->scratch);
  g_free (self->grad_tape);
  g_free (self->ybuf);
  g_clear_pointer (&self->named, g_hash_table_unref);
  g_clear_pointer (&self->losses, g_hash_table_unref);
  g_clear_pointer (&self->loss_weights, g_hash_table_unref);
  g_clear_pointer (&self->slots, g_array_unref);
  g_clear_pointer (&self->state_slots, g_array_unref);
  g_free (self->layer_rngs);
  g_clear_pointer (&self->hist_loss, g_array_unref);
  g_clear_pointer (&self->hist_val, g_array_unref);
  g_clear_object (&self->network);
  g_free (self);
}

void
spk_trainer_set_optimizer (SpkTrainer         *self,
                           const SpkOptimizer *optimizer)
{
  self->opt = *optimizer;
  self->t = 0;
  memset (self->m1, 0, MAX (self->n_params, 1) * self->elem);
  memset (self->m2, 0, MAX (self->n_params, 1) * self->elem);
  memset (self->m3, 0, MAX (self->n_params, 1) * self->elem);
}

gboolean
spk_trainer_set_loss (SpkTrainer  *self,
                      const char  *probe_label,
                      SpkLossKind  kind,
                      GError     **error)
{
  if (spk_plan_find_probe (self->plan, probe_label) < 0)
    {
      g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_DATA,
                   _("there is no probe '%s' to set a loss for"), probe_label);
      return FALSE;
    }
  g_hash_table_replace (self->losses, g_strdup (probe_label), GINT_TO_POINTER (kind + 1));
  return TRUE;
}

gboolean
spk_trainer_set_loss_weight (SpkTrainer  *self,
                             const char  *probe_label,
                             double       weight,
                             GError     **error)
{
  if (spk_plan_find_probe (self->plan, probe_label) < 0)
    {
      g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_DATA,
                   _("there is no probe '%s' to set a loss for"), probe_label);
      return FALSE;
    }
  if (!isfinite (weight) || weight < 0.0)
    {
      g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_OPTIONS,
                   _("the loss weight of probe '%s' must be a finite number of at least 0 (got %g)"),
                   probe_label, weight);
      return FALSE;
    }
  g_hash_table_replace (self->loss_weights, g_strdup (probe_label), g_memdup2 (&weight, sizeof weight));
  return TRUE;
}

void
spk_trainer_set_lif_smoothing (SpkTrainer *self,
                               double      sigma)
{
  self->lif_sigma = MAX (sigma, 0.0);
}

gsize
spk_trainer_get_n_trainable (SpkTrainer *self)
{
  return self->n_trainable;
}

void
spk_trainer_get_trainable (SpkTrainer *self,
                           double     *values)
{
  gsize n = 0;

  for (guint s = 0; s < self->slots->len; s++)
    {
      const TrainSlot *slot = &g_array_index (self->slots, TrainSlot, s);

      for (gsize i = slot->off; i < slot->off + slot->len; i++)
        values[n++] = self->dtype == SPK_DTYPE_FLOAT32 ? ((float *) self->params)[i] : ((double *) self->params)[i];
    }
}

void
spk_trainer_set_trainable (SpkTrainer   *self,
                           const double *values)
{
  gsize n = 0;

  for (guint s = 0; s < self->slots->len; s++)
    {
      const TrainSlot *slot = &g_array_index (self->slots, TrainSlot, s);

      for (gsize i = slot->off; i < slot->off + slot->len; i++)
        if (self->dtype == SPK_DTYPE_FLOAT32)
          ((float *) self->params)[i] = (float) values[n++];
        else
          ((double *) self->params)[i] = values[n++];
    }
}

gboolean
_spk_train_alloc (SpkTrainer  *self,
                  guint        batch,
                  guint        n_steps,
                  GError     **error)
{
  gsize expr_need = self->scratch_len;

  if (batch <= self->alloc_batch && n_steps <= self->alloc_steps)
    return TRUE;
  batch = MAX (batch, self->alloc_batch);
  n_steps = MAX (n_steps, self->alloc_steps);
  g_free (self->arena);
  g_free (self->adjoint);
  g_free (self->tape);
  self->arena = g_try_malloc0 (MAX (self->row_len * batch, 1) * self->elem);
  self->adjoint = g_try_malloc0 (MAX (self->row_len * batch, 1) * self->elem);
  self->tape = g_try_malloc0 (MAX (self->tape_row * batch * n_steps, 1) * self->elem);
  self->adjoint_batch = 0;
  for (guint i = 0; i < self->plan->ops->len; i++)
    {
      const SpkPlanOp *op = g_ptr_array_index (self->plan->ops, i);

      /* A Conv2D's backward needs its patches' gradient. */
      if (op->kind == SPK_OP_LAYER && op->layer->type == SPK_LAYER_CONV2D)
        expr_need = MAX (expr_need, (gsize) batch * spk_plan_layer_patches_len (op->layer) * self->elem);
      /* A ConvolutionTranspose's backward: the patches and a convolution's output. */
      if (op->kind == SPK_OP_LAYER && op->layer->transform == SPK_PLAN_TRANSFORM_CONV_TRANSPOSE)
        expr_need = MAX (expr_need, (gsize) batch * (spk_plan_layer_patches_len (op->layer) + op->layer->n_in)
                                    * self->elem);
      if (op->kind != SPK_OP_EXPR)
        continue;
      if (self->expr_scratch[i])
        spk_expr_scratch_free (self->expr_scratch[i]);
      self->expr_scratch[i] = spk_expr_scratch_new (op->expr, batch);
      expr_need = MAX (expr_need, (gsize) batch * (spk_expr_get_size_in (op->expr)
                                                  + 2 * spk_expr_get_size_out (op->expr)) * self->elem);
    }
  g_free (self->scratch);
  self->scratch = g_try_malloc0 (MAX (expr_need, 1));
  if (!self->arena || !self->adjoint || !self->tape || !self->scratch)
    {
      g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_NO_MEMORY,
                   _("not enough memory to train with %u examples × %u steps per minibatch"),
                   batch, n_steps);
      self->alloc_batch = self->alloc_steps = 0;
      return FALSE;
    }
  self->alloc_batch = batch;
  self->alloc_steps = n_steps;
  return TRUE;
}

/* ---- Back into named parameters ----------------------------------------- */

GHashTable *
spk_trainer_dup_params (SpkTrainer *self)
{
  GHashTable *out = _spk_train_new_param_table ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->named);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      SpkArray *src = value;
      SpkArray *a = spk_array_new (src->ndim, src->shape[0], src->ndim == 2 ? src->shape[1] : 1);

      memcpy (a->data, src->data, src->size * sizeof (double));
      g_hash_table_insert (out, g_strdup (key), a);
    }
  for (guint s = 0; s < self->slots->len + self->state_slots->len; s++)
    {
      const TrainSlot *slot = s < self->slots->len ? &g_array_index (self->slots, TrainSlot, s)
                              : &g_array_index (self->state_slots, TrainSlot, s - self->slots->len);
      SpkArray *a = g_hash_table_lookup (out, slot->key);
      const SpkArray *gain = NULL;

      if (slot->kind == SLOT_ENCODERS)
        {
          g_autofree char *label = g_strndup (slot->key, (gsize) (strrchr (slot->key, '/') - slot->key));
          g_autofree char *gkey = g_strconcat (label, "/gain", NULL);

          gain = g_hash_table_lookup (out, gkey);
        }
      for (gsize j = 0; j < slot->len; j++)
        {
          double v = self->dtype == SPK_DTYPE_FLOAT32 ? ((float *) self->params)[slot->off + j]
                                                      : ((double *) self->params)[slot->off + j];

          if (slot->kind == SLOT_ENCODERS && gain)
            v = v * slot->radius / gain->data[slot->index[j] / slot->d];
          a->data[slot->index[j]] = v;
        }
    }
  return out;
}

SpkPlan *
spk_trainer_build_plan (SpkTrainer  *self,
                        GError     **error)
{
  g_autoptr (GHashTable) params = spk_trainer_dup_params (self);

  return spk_build_with_params (self->network, params, error);
}

gboolean
spk_trainer_save_to_session (SpkTrainer  *self,
                             SpkSession  *session,
                             GError     **error)
{
  g_autoptr (SpkPlan) plan = spk_trainer_build_plan (self, error);
  guint base = 0;
  g_autofree guint *epochs = NULL;

  if (plan == NULL)
    return FALSE;
  spk_session_set_plan (session, plan);
  /* The epochs continue any history the session already has. */
  epochs = spk_session_dup_history_epochs (session, &base);
  if (base > 0)
    base = epochs[base - 1];
  for (guint e = 0; e < self->hist_loss->len; e++)
    {
      double v = g_array_index (self->hist_val, double, e);

      spk_session_add_history (session, base + e + 1, "loss", g_array_index (self->hist_loss, double, e));
      if (!isnan (v))
        spk_session_add_history (session, base + e + 1, "val_loss", v);
    }
  return TRUE;
}
