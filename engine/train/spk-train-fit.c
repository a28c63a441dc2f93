/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-train-fit.c — runs over data sets: minibatches and
 * epochs, the loss and its gradient, fit, evaluate and the history. */
#define G_LOG_DOMAIN "spk-train"

#include "train/spk-train-private.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"
#include "core/spk-pool.h"
#include "core/spk-rng.h"

typedef struct
{
  const float **inputs;       /* per op */
  guint        *input_steps;  /* per op */
  TrainTarget  *targets;
  guint         n_targets;
  guint         n_examples, n_steps;
} Prepared;

static void
prepared_clear (Prepared *p)
{
  g_free (p->inputs);
  g_free (p->input_steps);
  g_free (p->targets);
}

static gboolean
prepare (SpkTrainer *self,
         SpkDataset *inputs,
         SpkDataset *targets,
         Prepared   *p,
         GError    **error)
{
  g_auto (GStrv) in_names = spk_dataset_list (inputs);
  guint n_ops = self->plan->ops->len;

  memset (p, 0, sizeof *p);
  p->inputs = g_new0 (const float *, n_ops);
  p->input_steps = g_new0 (guint, n_ops);
  p->n_examples = spk_dataset_get_n_examples (inputs);
  p->n_steps = spk_dataset_get_n_steps (inputs);

  for (guint n = 0; in_names[n]; n++)
    {
      gboolean found = FALSE;
      guint steps, size;
      const float *data = spk_dataset_get (inputs, in_names[n], &steps, &size);

      for (guint i = 0; i < n_ops; i++)
        {
          const SpkPlanOp *op = g_ptr_array_index (self->plan->ops, i);
          const SpkOpItem *item = spk_plan_op_item (op, 0);

          if (op->node == NULL || g_strcmp0 (spk_object_get_label (op->node), in_names[n]) != 0)
            continue;
          if (size != item->dst.len)
            {
              g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_DATA,
                           _("input '%s' has %u values per step but node '%s' outputs %u"),
                           in_names[n], size, in_names[n], item->dst.len);
              return FALSE;
            }
          p->inputs[i] = data;
          p->input_steps[i] = steps;
          found = TRUE;
        }
      if (!found)
        {
          g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_DATA,
                       _("input '%s' names no source node (a node without input) of the network"),
                       in_names[n]);
          return FALSE;
        }
    }
  if (targets == NULL)
    return TRUE;
  if (spk_dataset_get_n_examples (targets) != p->n_examples
      || spk_dataset_get_n_steps (targets) != p->n_steps)
    {
      g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_DATA,
                   _("the targets have %u examples of %u steps but the inputs %u of %u"),
                   spk_dataset_get_n_examples (targets), spk_dataset_get_n_steps (targets),
                   p->n_examples, p->n_steps);
      return FALSE;
    }
  {
    g_auto (GStrv) names = spk_dataset_list (targets);

    p->n_targets = g_strv_length (names);
    if (p->n_targets == 0)
      {
        g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_DATA,
                     _("there are no targets: name at least one probe"));
        return FALSE;
      }
    p->targets = g_new0 (TrainTarget, p->n_targets);
    for (guint j = 0; j < p->n_targets; j++)
      {
        int probe = spk_plan_find_probe (self->plan, names[j]);
        TrainTarget *t = &p->targets[j];
        gpointer kind;
        guint want;

        if (probe < 0)
          {
            g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_DATA,
                         _("target '%s' names no probe of the network"), names[j]);
            return FALSE;
          }
        t->probe = g_ptr_array_index (self->plan->probes, probe);
        if (t->probe->period > 1.0)
          {
            g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_UNSUPPORTED,
                         _("probe '%s' samples every %g steps; training needs a probe that "
                           "samples every step"), names[j], t->probe->period);
            return FALSE;
          }
        kind = g_hash_table_lookup (self->losses, names[j]);
        t->loss = kind ? (SpkLossKind) (GPOINTER_TO_INT (kind) - 1) : SPK_LOSS_MSE;
        t->data = spk_dataset_get (targets, names[j], &t->steps, &t->size);
        want = SPK_LOSS_IS_SPARSE (t->loss) ? 1 : t->probe->size;
        {
          const double *w = g_hash_table_lookup (self->loss_weights, names[j]);

          t->weight = w ? *w : 1.0;
        }
        if (t->size != want)
          {
            g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_DATA,
                         _("target '%s' has %u values per step but its %s loss needs %u"),
                         names[j], t->size, spk_loss_kind_to_name (t->loss), want);
            return FALSE;
          }
      }
  }
  return TRUE;
}

static gboolean
run_batch (SpkTrainer     *self,
           const Prepared *p,
           const guint    *examples,
           guint           batch,
           gboolean        backward,
           double         *loss,
           GError        **error)
{
  TrainRun run = { batch, p->n_steps, examples, p->inputs, p->input_steps };
  gsize grad_len = 0;

  for (guint j = 0; j < p->n_targets; j++)
    grad_len += p->targets[j].probe->size;
  grad_len *= (gsize) batch * p->n_steps;
  if (grad_len > self->grad_tape_len)
    {
      g_free (self->grad_tape);
      self->grad_tape = g_try_new (double, grad_len);
      self->grad_tape_len = self->grad_tape ? grad_len : 0;
      if (!self->grad_tape)
        {
          g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_NO_MEMORY,
                       _("not enough memory for the loss gradients of %u examples × %u steps"),
                       batch, p->n_steps);
          return FALSE;
        }
    }
  if (backward)
    memset (self->grads, 0, MAX (self->n_params, 1) * self->elem);
  if (self->dtype == SPK_DTYPE_FLOAT32)
    return _spk_train_run_f32 (self, &run, p->targets, p->n_targets, backward, loss, error);
  return _spk_train_run_f64 (self, &run, p->targets, p->n_targets, backward, loss, error);
}

gboolean
spk_trainer_loss_and_grad (SpkTrainer *self,
                           SpkDataset *inputs,
                           SpkDataset *targets,
                           double     *loss,
                           double     *grad,
                           GError    **error)
{
  Prepared p;
  g_autofree guint *examples = NULL;
  double l = 0.0;
  gboolean ok;

  if (!prepare (self, inputs, targets, &p, error))
    return prepared_clear (&p), FALSE;
  examples = g_new (guint, MAX (p.n_examples, 1));
  for (guint i = 0; i < p.n_examples; i++)
    examples[i] = i;
  ok = run_batch (self, &p, examples, p.n_examples, TRUE, &l, error);
  prepared_clear (&p);
  if (!ok)
    return FALSE;
  if (loss)
    *loss = l;
  if (grad)
    {
      gsize n = 0;

      for (guint s = 0; s < self->slots->len; s++)
        {
          const TrainSlot *slot = &g_array_index (self->slots, TrainSlot, s);

          for (gsize i = slot->off; i < slot->off + slot->len; i++)
            grad[n++] = self->dtype == SPK_DTYPE_FLOAT32 ? ((float *) self->grads)[i] : ((double *) self->grads)[i];
        }
    }
  return TRUE;
}

static gboolean
evaluate_prepared (SpkTrainer     *self,
                   const Prepared *p,
                   guint           batch_size,
                   double         *loss,
                   GError        **error)
{
  g_autofree guint *examples = g_new (guint, MAX (batch_size, 1));
  double total = 0.0;

  self->n_correct = self->n_scored = 0;
  for (guint start = 0; start < p->n_examples; start += batch_size)
    {
      guint batch = MIN (batch_size, p->n_examples - start);
      double l;

      for (guint b = 0; b < batch; b++)
        examples[b] = start + b;
      if (!run_batch (self, p, examples, batch, FALSE, &l, error))
        return FALSE;
      total += l * batch;
    }
  *loss = p->n_examples ? total / p->n_examples : 0.0;
  return TRUE;
}

double
spk_trainer_get_accuracy (SpkTrainer *self)
{
  return self->n_scored ? (double) self->n_correct / self->n_scored : NAN;
}

gboolean
spk_trainer_evaluate (SpkTrainer  *self,
                      SpkDataset  *inputs,
                      SpkDataset  *targets,
                      guint        batch_size,
                      double      *loss,
                      GError     **error)
{
  Prepared p;
  gboolean ok;

  if (batch_size == 0)
    {
      g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_OPTIONS, _("the batch size must be at least 1"));
      return FALSE;
    }
  ok = prepare (self, inputs, targets, &p, error) && evaluate_prepared (self, &p, batch_size, loss, error);
  prepared_clear (&p);
  return ok;
}

static gboolean
check_options (const SpkFitOptions *o,
               const SpkOptimizer  *opt,
               GError             **error)
{
  const char *bad = NULL;

  if (o->batch_size == 0)
    bad = _("the batch size must be at least 1");
  else if (o->epochs == 0)
    bad = _("the number of epochs must be at least 1");
  else if (!(opt->learning_rate > 0.0) || !isfinite (opt->learning_rate))
    bad = _("the learning rate must be a positive number");
  else if (!(opt->momentum >= 0.0 && opt->momentum < 1.0))
    bad = _("the momentum must be in [0, 1)");
  else if (!(opt->rho >= 0.0 && opt->rho < 1.0) || !(opt->beta1 >= 0.0 && opt->beta1 < 1.0)
           || !(opt->beta2 >= 0.0 && opt->beta2 < 1.0))
    bad = _("rho, beta1 and beta2 must be in [0, 1)");
  else if (!(opt->epsilon > 0.0))
    bad = _("epsilon must be positive");
  else if ((o->val_inputs == NULL) != (o->val_targets == NULL))
    bad = _("validation needs both inputs and targets");
  if (bad)
    {
      g_set_error_literal (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_OPTIONS, bad);
      return FALSE;
    }
  return TRUE;
}

/* Whether the plan holds a Conv2D layer: its kernels then split their
 * products over the engine's pool, which wants OpenBLAS on one thread
 * (spk-ops-layer.h). */
static gboolean
plan_has_conv (const SpkTrainer *self)
{
  for (guint i = 0; i < self->plan->ops->len; i++)
    {
      const SpkPlanOp *op = g_ptr_array_index (self->plan->ops, i);

      if (op->kind == SPK_OP_LAYER && op->layer->type == SPK_LAYER_CONV2D)
        return TRUE;
    }
  return FALSE;
}

gboolean
spk_trainer_fit (SpkTrainer          *self,
                 SpkDataset          *inputs,
                 SpkDataset          *targets,
                 const SpkFitOptions *options,
                 GError             **error)
{
  Prepared p, pv = { 0 };
  g_autofree guint *order = NULL;
  g_autoptr (GTimer) timer = g_timer_new ();
  gboolean ok = FALSE, have_val = FALSE;
  SpkRng rng;
  guint n_batches;
  int blas_threads = 0;

  g_return_val_if_fail (self != NULL && inputs != NULL && targets != NULL && options != NULL, FALSE);
  if (!check_options (options, &self->opt, error))
    return FALSE;
  if (options->blas_threads > 0)
    {
      blas_threads = openblas_get_num_threads ();
      openblas_set_num_threads ((int) options->blas_threads);
    }
  else if (openblas_get_num_threads () > 1 && spk_pool_get_n_threads () > 1 && plan_has_conv (self))
    {
      /* One split per layer on the pool beats OpenBLAS's split of each
       * product and its threads spinning between them (docs/performance.md). */
      blas_threads = openblas_get_num_threads ();
      openblas_set_num_threads (1);
    }
  if (!prepare (self, inputs, targets, &p, error))
    goto out;
  if (options->val_inputs)
    {
      if (!prepare (self, options->val_inputs, options->val_targets, &pv, error))
        goto out;
      have_val = TRUE;
    }
  if (p.n_examples == 0)
    {
      g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_DATA, _("there are no training examples"));
      goto out;
    }
  if (self->n_trainable == 0)
    {
      const char *label = spk_network_get_label (self->network);

      if (label)
        g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_UNSUPPORTED,
                     _("network '%s' has nothing to train: no connection weights, encoders or biases "
                       "are trainable (see the \"trainable\" property of the network and its objects)"),
                     label);
      else
        g_set_error_literal (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_UNSUPPORTED,
                             _("the network has nothing to train: no connection weights, encoders or "
                               "biases are trainable (see the \"trainable\" property of the network "
                               "and its objects)"));
      goto out;
    }
  n_batches = (p.n_examples + options->batch_size - 1) / options->batch_size;
  order = g_new (guint, p.n_examples);
  for (guint i = 0; i < p.n_examples; i++)
    order[i] = i;
  spk_rng_init (&rng, options->seed);

  for (guint epoch = 1; epoch <= options->epochs; epoch++)
    {
      SpkFitProgress prog = { epoch, options->epochs, 0, n_batches, 0.0, NAN, 0.0, FALSE, NAN, NAN };
      double sum = 0.0;

      self->n_correct = self->n_scored = 0;
      if (options->shuffle)
        for (guint i = p.n_examples; i > 1; i--)
          {
            guint j = (guint) spk_rng_below (&rng, i);
            guint tmp = order[i - 1];

            order[i - 1] = order[j];
            order[j] = tmp;
          }
      g_timer_start (timer);
      for (guint bi = 0; bi < n_batches; bi++)
        {
          guint start = bi * options->batch_size;
          guint batch = MIN (options->batch_size, p.n_examples - start);
          double l;

          if (!run_batch (self, &p, order + start, batch, TRUE, &l, error))
            goto out;
          if (self->dtype == SPK_DTYPE_FLOAT32)
            _spk_train_update_f32 (self);
          else
            _spk_train_update_f64 (self);
          sum += l;
          prog.batch = bi + 1;
          prog.loss = sum / (bi + 1);
          prog.accuracy = self->n_scored ? (double) self->n_correct / self->n_scored : NAN;
          prog.seconds = g_timer_elapsed (timer, NULL);
          if (options->progress && bi + 1 < n_batches && !options->progress (&prog, options->user_data))
            {
              g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_CANCELLED, _("training was cancelled"));
              goto out;
            }
        }
      prog.seconds = g_timer_elapsed (timer, NULL);
      if (have_val)
        {
          if (!evaluate_prepared (self, &pv, options->batch_size, &prog.val_loss, error))
            goto out;
          prog.val_accuracy = self->n_scored ? (double) self->n_correct / self->n_scored : NAN;
        }
      prog.epoch_done = TRUE;
      g_array_append_val (self->hist_loss, prog.loss);
      g_array_append_val (self->hist_val, prog.val_loss);
      if (options->progress && !options->progress (&prog, options->user_data))
        {
          g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_CANCELLED, _("training was cancelled"));
          goto out;
        }
    }
  ok = TRUE;

out:
  if (blas_threads > 0)
    openblas_set_num_threads (blas_threads);
  prepared_clear (&p);
  prepared_clear (&pv);
  return ok;
}

guint
spk_trainer_get_history (SpkTrainer    *self,
                         const double **loss,
                         const double **val_loss)
{
  if (loss)
    *loss = (const double *) self->hist_loss->data;
  if (val_loss)
    *val_loss = (const double *) self->hist_val->data;
  return self->hist_loss->len;
}
