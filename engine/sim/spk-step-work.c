/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-step-work.c — a step's neuron updates and products, copied out of a
 * simulator so that a benchmark can time them in the best layout
 * (spk-step-work.h). */
#define G_LOG_DOMAIN "spk-sim"

#include "sim/spk-step-work.h"

#include <string.h>

#include "ops/spk-ops-neurons.h"
#include "sim/spk-simulator-private.h"

static void
neurons_free (gpointer data)
{
  SpkStepNeurons *g = data;

  spk_neuron_type_unref (g->type);
  g_free (g->J);
  g_free (g->out);
  for (guint s = 0; s < g->n_states; s++)
    g_free (g->states[s]);
  g_free (g);
}

/* The group of this type, made if there is none yet. */
static SpkStepNeurons *
group_for (SpkStepWork   *work,
           SpkNeuronType *type,
           guint          n_states)
{
  SpkStepNeurons *g;

  for (guint i = 0; i < work->neurons->len; i++)
    {
      g = g_ptr_array_index (work->neurons, i);
      if (spk_neuron_type_equal (g->type, type))
        return g;
    }
  g = g_new0 (SpkStepNeurons, 1);
  g->type = spk_neuron_type_ref (type);
  g->n_states = MIN (n_states, SPK_STEP_WORK_MAX_STATES);
  g_ptr_array_add (work->neurons, g);
  return g;
}

/* Appends batch rows of len values (row b at src + b·stride) to *dst,
 * which holds *count values. */
static void
append_rows (void       **dst,
             gsize        count,
             const void  *src,
             gsize        stride,
             guint        len,
             guint        batch,
             gsize        elem)
{
  char *out;

  *dst = g_realloc_n (*dst, count + (gsize) batch * len, elem);
  out = (char *) *dst + count * elem;
  for (guint b = 0; b < batch; b++)
    memcpy (out + (gsize) b * len * elem, (const char *) src + (gsize) b * stride * elem, len * elem);
}

static void
add_product (SpkStepWork *work,
             guint64      weights,
             guint64      inputs,
             guint64      outputs,
             guint64      multiply_adds,
             gsize        elem)
{
  SpkStepProduct p = { (weights + inputs + outputs) * elem, weights * elem, 2 * multiply_adds };

  g_array_append_val (work->products, p);
}

static void
add_item_work (SpkSimulator    *sim,
               SpkStepWork     *work,
               const SpkPlanOp *op,
               const BoundItem *bi)
{
  const SpkOpItem *item = bi->item;
  const guint64 batch = sim->batch;
  const gsize elem = sim->elem_size;

  switch (op->kind)
    {
    case SPK_OP_NEURONS:
      {
        SpkStepNeurons *g = group_for (work, op->neuron_type, op->n_states);
        guint len = item->dst.len;
        gsize count = g->count;

        append_rows (&g->J, count, bi->src, bi->src_stride, len, sim->batch, elem);
        append_rows (&g->out, count, bi->dst, bi->dst_stride, len, sim->batch, elem);
        for (guint s = 0; s < g->n_states; s++)
          {
            gsize stride = ((const SpkPlanSignal *) g_ptr_array_index (sim->plan->signals,
                                                                       item->states[s].sig))->size;

            append_rows (&g->states[s], count, bi->states[s], stride, len, sim->batch, elem);
          }
        g->count += (gsize) sim->batch * len;
      }
      break;
    case SPK_OP_DOT_INC:
      add_product (work, (guint64) item->rows * item->cols, batch * item->cols, batch * item->rows,
                   batch * item->rows * item->cols, elem);
      break;
    case SPK_OP_DOT_INC_SIGNAL:
      /* Learned weights: each batch row has its own. */
      add_product (work, batch * item->states[0].len, batch * item->src.len, batch * item->dst.len,
                   batch * item->states[0].len, elem);
      break;
    case SPK_OP_PES:
    case SPK_OP_BCM:
    case SPK_OP_OJA:
    case SPK_OP_VOJA:
    case SPK_OP_RLS:
      /* A delta the size of the weights, an outer product. */
      add_product (work, 0, batch * item->src.len, batch * item->dst.len, batch * item->dst.len, elem);
      break;
    case SPK_OP_LAYER:
      {
        const SpkPlanLayer *L = op->layer;

        if (L->type == SPK_LAYER_DENSE)
          add_product (work, (guint64) L->n_in * L->units, batch * L->n_in, batch * L->n_out,
                       batch * L->n_in * L->units, elem);
        else if (L->type == SPK_LAYER_CONV2D)
          {
            guint64 kernel = (guint64) L->win.kh * L->win.kw * L->win.c;

            add_product (work, kernel * L->units, batch * L->n_in, batch * L->n_out,
                         batch * L->win.out_h * L->win.out_w * kernel * L->units, elem);
          }
      }
      break;
    default:
      break;
    }
}

SpkStepWork *
spk_simulator_dup_step_work (SpkSimulator *sim)
{
  SpkStepWork *work = g_new0 (SpkStepWork, 1);

  work->dtype = spk_plan_get_dtype (sim->plan);
  work->dt = sim->plan->dt;
  work->neurons = g_ptr_array_new_with_free_func (neurons_free);
  work->products = g_array_new (FALSE, FALSE, sizeof (SpkStepProduct));
  for (guint i = 0; i < sim->n_ops; i++)
    for (guint k = 0; k < sim->ops[i].n_items; k++)
      add_item_work (sim, work, sim->ops[i].op, &sim->ops[i].items[k]);
  return work;
}

void
spk_step_work_free (SpkStepWork *work)
{
  if (work == NULL)
    return;
  g_ptr_array_unref (work->neurons);
  g_array_unref (work->products);
  g_free (work);
}

guint64
spk_step_work_weight_bytes (const SpkStepWork *work)
{
  guint64 bytes = 0;

  for (guint i = 0; i < work->products->len; i++)
    bytes += g_array_index (work->products, SpkStepProduct, i).weight_bytes;
  return bytes;
}

void
spk_step_work_update (SpkStepWork *work,
                      guint        group,
                      gsize        begin,
                      gsize        end)
{
  SpkStepNeurons *g = g_ptr_array_index (work->neurons, group);
  SpkRng rng;

  spk_rng_init (&rng, 0);
  if (work->dtype == SPK_DTYPE_FLOAT32)
    {
      float *states[SPK_STEP_WORK_MAX_STATES];

      for (guint s = 0; s < g->n_states; s++)
        states[s] = (float *) g->states[s] + begin;
      spk_neuron_step_f32 (g->type, (float) work->dt, (const float *) g->J + begin,
                           (float *) g->out + begin, states, end - begin, &rng);
    }
  else
    {
      double *states[SPK_STEP_WORK_MAX_STATES];

      for (guint s = 0; s < g->n_states; s++)
        states[s] = (double *) g->states[s] + begin;
      spk_neuron_step_f64 (g->type, work->dt, (const double *) g->J + begin,
                           (double *) g->out + begin, states, end - begin, &rng);
    }
}
