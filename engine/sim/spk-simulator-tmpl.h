/* spk-simulator-tmpl.h — one step of a plan, for one dtype.
 *
 * Included by spk-simulator-f32.c and spk-simulator-f64.c with REAL (float
 * or double) and SFX(name) defined, so both precisions come from this one
 * source.  No allocation, locks or GLib calls on this path.
 */

#include <cblas.h>
#include <math.h>
#include <string.h>

#include "ops/spk-ops-neurons.h"
#include "ops/spk-ops-synapse.h"
#include "sim/spk-simulator-private.h"

/* Small products are faster as plain loops than through a BLAS call. */
#define SMALL_PRODUCT 512

static void
SFX (dot_inc) (REAL *restrict       dst,     /* batch × rows */
               const REAL *restrict W,       /* rows × cols */
               const REAL *restrict src,     /* batch × cols */
               guint                rows,
               guint                cols,
               guint                batch)
{
  if ((gsize) rows * cols * batch <= SMALL_PRODUCT)
    {
      for (guint b = 0; b < batch; b++)
        for (guint r = 0; r < rows; r++)
          {
            REAL sum = 0;

            for (guint c = 0; c < cols; c++)
              sum += W[(gsize) r * cols + c] * src[(gsize) b * cols + c];
            dst[(gsize) b * rows + r] += sum;
          }
    }
  else if (batch == 1)
    SFX (cblas_gemv) (CblasRowMajor, CblasNoTrans, (int) rows, (int) cols, 1, W, (int) cols,
                      src, 1, 1, dst, 1);
  else
    SFX (cblas_gemm) (CblasRowMajor, CblasNoTrans, CblasTrans, (int) batch, (int) rows,
                      (int) cols, 1, src, (int) cols, W, (int) cols, 1, dst, (int) rows);
}

static void
SFX (run_op) (SpkSimulator *self,
              BoundOp      *bop,
              double        t)
{
  const SpkPlanOp *op = bop->op;
  const guint batch = self->batch;
  REAL *restrict dst = bop->dst;
  const REAL *restrict src = bop->src;
  const REAL *restrict w = bop->param;
  const gsize n_dst = (gsize) batch * bop->dst_size;

  switch (op->kind)
    {
    case SPK_OP_RESET:
      memset (dst, 0, n_dst * sizeof (REAL));
      break;

    case SPK_OP_CONST:
      if (bop->input != NULL)
        goto input;
      G_GNUC_FALLTHROUGH;
    case SPK_OP_SET_PARAM:
      for (guint b = 0; b < batch; b++)
        memcpy (dst + (gsize) b * bop->dst_size, w, bop->dst_size * sizeof (REAL));
      break;

    case SPK_OP_COPY:
      if (op->src_index == NULL && op->dst_index == NULL)
        {
          if (op->inc)
            for (gsize i = 0; i < n_dst; i++)
              dst[i] += src[i];
          else
            memcpy (dst, src, n_dst * sizeof (REAL));
        }
      else
        for (guint b = 0; b < batch; b++)
          {
            REAL *restrict d = dst + (gsize) b * bop->dst_size;
            const REAL *restrict s = src + (gsize) b * bop->src_size;

            for (guint i = 0; i < op->n_index; i++)
              {
                guint di = op->dst_index ? op->dst_index[i] : i;
                REAL v = s[op->src_index ? op->src_index[i] : i];

                d[di] = op->inc ? d[di] + v : v;
              }
          }
      break;

    case SPK_OP_DOT_INC:
      SFX (dot_inc) (dst, w, src, op->rows, op->cols, batch);
      break;

    case SPK_OP_ELEM_INC:
      if (op->scalar)
        {
          const REAL k = w[0];

          for (gsize i = 0; i < n_dst; i++)
            dst[i] += k * src[i];
        }
      else
        for (guint b = 0; b < batch; b++)
          {
            REAL *restrict d = dst + (gsize) b * bop->dst_size;
            const REAL *restrict s = src + (gsize) b * bop->dst_size;

            for (guint i = 0; i < bop->dst_size; i++)
              d[i] += w[i] * s[i];
          }
      break;

    case SPK_OP_NEURONS:
      SFX (spk_neuron_step) (op->neuron_type, (REAL) self->plan->dt, src, dst,
                             (REAL *const *) bop->states, n_dst, &bop->rng);
      break;

    case SPK_OP_FILTER:
      SFX (spk_filter_step) (&op->filter, src, dst, (REAL *const *) bop->states, n_dst);
      break;

    case SPK_OP_EXPR:
      if (bop->input != NULL)
        goto input;
      SFX (expr_eval) (op->expr, bop->scratch, t, src, batch, dst);
      break;

    case SPK_OP_PROCESS:
      if (bop->input != NULL)
        goto input;
      spk_process_state_eval (bop->process, self->step, bop->tmp);
      for (guint b = 0; b < batch; b++)
        for (guint i = 0; i < bop->dst_size; i++)
          dst[(gsize) b * bop->dst_size + i] = (REAL) bop->tmp[i];
      break;
    }
  return;

input:
  {
    const SimInput *in = bop->input;
    guint64 row = MIN (self->step, in->n_steps) - 1;

    for (guint b = 0; b < batch; b++)
      for (guint i = 0; i < in->size; i++)
        dst[(gsize) b * in->size + i]
          = (REAL) in->data[((gsize) b * in->n_steps + row) * in->size + i];
  }
}

void
SFX (_spk_simulator_step_ops) (SpkSimulator *self,
                               double        t)
{
  for (guint i = 0; i < self->n_ops; i++)
    SFX (run_op) (self, &self->ops[i], t);
}

void
SFX (_spk_simulator_record) (SpkSimulator *self)
{
  GPtrArray *probes = self->plan->probes;

  for (guint p = 0; p < probes->len; p++)
    {
      const SpkPlanProbe *probe = g_ptr_array_index (probes, p);
      const SpkPlanSignal *signal = g_ptr_array_index (self->plan->signals, probe->signal);
      const REAL *src = (const REAL *) self->arena + self->offsets[probe->signal];
      ProbeRecord *record = &self->records[p];
      double t = (double) self->step * self->plan->dt;
      gsize start;

      if (probe->period > 1.0 && fmod ((double) self->step, probe->period) >= 1.0)
        continue;
      start = record->data->len;
      g_array_set_size (record->data, start + (gsize) self->batch * probe->size);
      for (guint b = 0; b < self->batch; b++)
        {
          double *out = &g_array_index (record->data, double, start + (gsize) b * probe->size);
          const REAL *row = src + (gsize) b * signal->size;

          for (guint i = 0; i < probe->size; i++)
            out[i] = row[probe->index ? probe->index[i] : i];
        }
      g_array_append_val (record->times, t);
    }
}

static gboolean
SFX (all_finite) (const REAL *x,
                  gsize       n)
{
  REAL acc = 0;

  /* x − x is 0 for finite x and NaN otherwise: one vectorisable pass. */
  for (gsize i = 0; i < n; i++)
    acc += x[i] - x[i];
  return acc == 0;
}

int
SFX (_spk_simulator_find_nonfinite) (SpkSimulator *self,
                                     int          *signal)
{
  for (guint i = 0; i < self->n_ops; i++)
    {
      const SpkPlanOp *op = self->ops[i].op;
      int sig = op->dst;
      const SpkPlanSignal *s;

      if (sig < 0)
        continue;
      s = g_ptr_array_index (self->plan->signals, sig);
      if (!SFX (all_finite) ((const REAL *) self->arena + self->offsets[sig],
                             (gsize) self->batch * s->size))
        {
          *signal = sig;
          return (int) i;
        }
    }
  return -1;
}
