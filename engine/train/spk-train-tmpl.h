/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-train-tmpl.h — reverse mode through a plan, for one dtype.
 *
 * DESIGN.  A plan is a straight-line program repeated every step: each
 * operator reads and writes views of signals in place (set, then
 * increment, then read, then update; NEF-FACTS §1).  Training runs that
 * program itself over a minibatch (batch rows per signal, laid out as the
 * simulator does) with every neuron replaced by its rate curve, and keeps
 * on a tape only what the backward pass cannot recompute: the input of
 * each product (for weight gradients), each neuron's derivative, each
 * expression's input.  A one-step run skips the tape copy of a product's
 * input when no later operator of the step writes it (src_final): the
 * signal arena still holds it when backward runs.  The backward pass walks the steps from last to
 * first and, within a step, the operators in reverse order with one
 * `switch`, keeping an adjoint arena of the same layout as the signals:
 * the adjoint of a signal is d(loss)/d(its value at that point of the
 * program).  An operator that sets a view passes its adjoint on and zeroes
 * it; one that increments passes it on and leaves it; state carried
 * between steps (synapse states, filter outputs) simply keeps its adjoint
 * from one step to the step before, which is backpropagation through time.
 * The loss gradient of each probe enters at the end of its step.
 *
 * Parameter gradients accumulate in an array laid out like the parameter
 * arena, and the optimizers' moments share that layout, so an update is a
 * flat loop over the trainable ranges.
 *
 * Included by spk-train-f32.c and spk-train-f64.c with REAL and SFX(name)
 * defined.  No allocation on the per-step path: _spk_train_alloc() sized
 * everything for the run.
 */

#include <cblas.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/spk-pool.h"
#include "expr/spk-expr.h"
#include "ops/spk-ops-neurons-private.h"
#include "ops/spk-ops-layer.h"
#include "ops/spk-ops-sparse.h"
#include "train/spk-train-lif-rate.h"
#include "train/spk-train-private.h"

/* Row b of view v: signal memory holds batch rows of the signal's size. */
static inline REAL *
SFX (view_row) (const SpkTrainer *self,
                REAL             *arena,
                const SpkView    *v,
                guint             batch,
                guint             b)
{
  const SpkPlanSignal *sig = g_ptr_array_index (self->plan->signals, v->sig);

  return arena + self->sig_base[v->sig] * batch + (gsize) b * sig->size + v->off;
}

static inline gsize
SFX (view_stride) (const SpkTrainer *self,
                   const SpkView    *v)
{
  return ((const SpkPlanSignal *) g_ptr_array_index (self->plan->signals, v->sig))->size;
}

/* ---- Small vector kernels ---------------------------------------------- */

/* dst (n) += src (n). */
static inline void
SFX (add_to) (REAL *restrict       dst,
              const REAL *restrict src,
              gsize                n)
{
  for (gsize i = 0; i < n; i++)
    dst[i] += src[i];
}

/* dst (n) += w ⊙ src (n), w one value when scalar (then a plain sum for
 * a weight of 1: the same value, without the multiply). */
static inline void
SFX (elem_inc) (REAL *restrict       dst,
                const REAL          *w,
                gboolean             scalar,
                const REAL *restrict src,
                gsize                n)
{
  if (!scalar)
    for (gsize i = 0; i < n; i++)
      dst[i] += w[i] * src[i];
  else if (w[0] == 1)
    SFX (add_to) (dst, src, n);
  else
    {
      const REAL a = w[0];

      for (gsize i = 0; i < n; i++)
        dst[i] += a * src[i];
    }
}

/* out, deriv (count) = amp·max(J, 0), amp·[J > 0] for J (count); the
 * indicator is a conversion, not a select, so the loop vectorises. */
SPK_ISA_BODY void
SFX (relu_body) (REAL                 amp,
                 const REAL *restrict J,
                 REAL *restrict       out,
                 REAL *restrict       deriv,
                 gsize                count)
{
  for (gsize i = 0; i < count; i++)
    {
      const REAL pos = (REAL) (J[i] > 0);

      out[i] = amp * J[i] * pos;
      deriv[i] = amp * pos;
    }
}
SPK_ISA_DISPATCH_VOID (static, SFX (relu), SFX (relu_body),
                       (REAL amp, const REAL *restrict J, REAL *restrict out, REAL *restrict deriv, gsize count),
                       (amp, J, out, deriv, count))

/* g_src (n) += deriv (n) · g_dst (n); then g_dst = 0 (the neurons set it). */
SPK_ISA_BODY void
SFX (neurons_backward_body) (REAL *restrict       g_src,
                             REAL *restrict       g_dst,
                             const REAL *restrict deriv,
                             gsize                n)
{
  if (g_src)
    for (gsize j = 0; j < n; j++)
      g_src[j] += deriv[j] * g_dst[j];
  memset (g_dst, 0, n * sizeof (REAL));
}
SPK_ISA_DISPATCH_VOID (static, SFX (neurons_backward), SFX (neurons_backward_body),
                       (REAL *restrict g_src, REAL *restrict g_dst, const REAL *restrict deriv, gsize n),
                       (g_src, g_dst, deriv, n))

/* ---- Neurons: the rate curve and its derivative, side by side ---------- */

/* out, deriv (count) = f(J), f'(J) for J (count).  LIF types use LIFRate;
 * with sigma > 0 the derivative is SoftLIF's (NengoDL's lif_smoothing):
 * j = σ·softplus((J − 1)/σ) replaces J − 1, so neurons below threshold
 * still pass a gradient. */
static void
SFX (rate_forward) (const SpkNeuronType *type,
                    double               sigma,
                    const REAL *restrict J,
                    REAL *restrict       out,
                    REAL *restrict       deriv,
                    gsize                count)
{
  const SpkNeuronType *t = type->base && spk_neuron_kind_is_wrapper (type->kind) ? type->base : type;
  const double amp = t->amplitude;

  switch (t->kind)
    {
    case SPK_NEURON_RECTIFIED_LINEAR:
    case SPK_NEURON_SPIKING_RECTIFIED_LINEAR:
      SFX (relu) ((REAL) amp, J, out, deriv, count);
      break;

    case SPK_NEURON_LIF:
    case SPK_NEURON_LIF_RATE:
      for (gsize i = SFX (_spk_train_lif_rate) (amp, t->tau_rc, t->tau_ref, sigma, J, out, deriv, count);
           i < count; i++)
        {
          const double j = (double) J[i] - 1.0;
          double r = j > 0.0 ? amp / (t->tau_ref + t->tau_rc * log1p (1.0 / j)) : 0.0;

          out[i] = (REAL) r;
          if (sigma > 0.0)
            {
              const double x = j / sigma;
              const double js = sigma * (x > 30.0 ? x + log1p (exp (-x)) : log1p (exp (x)));
              const double rs = amp / (t->tau_ref + t->tau_rc * log1p (1.0 / js));

              /* Far below threshold j underflows to 0, and so does the slope. */
              deriv[i] = js > 0.0 ? (REAL) (rs * rs / amp * t->tau_rc / (js * (js + 1.0)) / (1.0 + exp (-x))) : 0;
            }
          else
            deriv[i] = (REAL) (j > 0.0 ? r * r / amp * t->tau_rc / (j * (j + 1.0)) : 0.0);
        }
      break;

    case SPK_NEURON_SIGMOID:
      for (gsize i = 0; i < count; i++)
        {
          const double s = 1.0 / (1.0 + exp (-(double) J[i]));

          out[i] = (REAL) (s / t->tau_ref);
          deriv[i] = (REAL) (s * (1.0 - s) / t->tau_ref);
        }
      break;

    case SPK_NEURON_TANH:
      for (gsize i = 0; i < count; i++)
        {
          const double h = tanh ((double) J[i]);

          out[i] = (REAL) (h / t->tau_ref);
          deriv[i] = (REAL) ((1.0 - h * h) / t->tau_ref);
        }
      break;

    case SPK_NEURON_REGULAR_SPIKING:
    case SPK_NEURON_POISSON_SPIKING:
    case SPK_NEURON_STOCHASTIC_SPIKING:
    case SPK_NEURON_ADAPTIVE_LIF:
    case SPK_NEURON_ADAPTIVE_LIF_RATE:
    case SPK_NEURON_IZHIKEVICH:
    case SPK_NEURON_DIRECT:
    case SPK_NEURON_N_KINDS:
    default:
      /* spk_trainer_new() refused these. */
      g_assert_not_reached ();
    }
}

/* rate_forward over [begin, end) of a whole signal, as a pool part. */
typedef struct
{
  const SpkNeuronType *type;
  double               sigma;
  const REAL          *J;
  REAL                *out, *deriv;
} SFX (RateJob);

static void
SFX (rate_part) (gpointer data,
                 gsize    begin,
                 gsize    end)
{
  const SFX (RateJob) *j = data;

  SFX (rate_forward) (j->type, j->sigma, j->J + begin, j->out + begin, j->deriv + begin, end - begin);
}

/* rate_forward on both cores when OpenBLAS keeps to one (its idle
 * threads would otherwise spin on the other) and the work is large
 * enough (a convolutional layer's neurons over a minibatch: 10⁵–10⁶). */
static void
SFX (rate_forward_split) (const SpkNeuronType *type,
                          double               sigma,
                          const REAL          *J,
                          REAL                *out,
                          REAL                *deriv,
                          gsize                count)
{
  SFX (RateJob) job = { type, sigma, J, out, deriv };

  if (openblas_get_num_threads () == 1)
    spk_pool_for (SFX (rate_part), &job, count, 64, 65536);
  else
    SFX (rate_part) (&job, 0, count);
}

/* ---- Products: dst += W·src and its backward --------------------------- */

/* dst (batch × rows, stride ld_dst) += src (batch × cols, stride ld_src) · Wᵀ,
 * W rows × cols (or cols × rows when transposed). */
static void
SFX (dot_forward) (REAL       *dst,
                   gsize       ld_dst,
                   const REAL *W,
                   gboolean    transposed,
                   const REAL *src,
                   gsize       ld_src,
                   guint       rows,
                   guint       cols,
                   guint       batch)
{
  SFX (cblas_gemm) (CblasRowMajor, CblasNoTrans, transposed ? CblasNoTrans : CblasTrans,
                    (int) batch, (int) rows, (int) cols, 1, src, (int) ld_src,
                    W, transposed ? (int) rows : (int) cols, 1, dst, (int) ld_dst);
}

/* gW (as W) += g_dstᵀ·src; g_src (batch × cols), when not NULL, += g_dst·W.
 * g_dst is batch × rows (stride ld_dst), src batch × cols (stride ld_src:
 * the tape's cols, or the signal's size when read in place). */
static void
SFX (dot_backward) (REAL       *gW,
                    REAL       *g_src,
                    gsize       ld_gsrc,
                    const REAL *g_dst,
                    gsize       ld_dst,
                    const REAL *W,
                    gboolean    transposed,
                    const REAL *src,
                    gsize       ld_src,
                    guint       rows,
                    guint       cols,
                    guint       batch)
{
  if (transposed)
    SFX (cblas_gemm) (CblasRowMajor, CblasTrans, CblasNoTrans, (int) cols, (int) rows, (int) batch,
                      1, src, (int) ld_src, g_dst, (int) ld_dst, 1, gW, (int) rows);
  else
    SFX (cblas_gemm) (CblasRowMajor, CblasTrans, CblasNoTrans, (int) rows, (int) cols, (int) batch,
                      1, g_dst, (int) ld_dst, src, (int) ld_src, 1, gW, (int) cols);
  if (g_src != NULL)
    SFX (cblas_gemm) (CblasRowMajor, CblasNoTrans, transposed ? CblasTrans : CblasNoTrans,
                      (int) batch, (int) cols, (int) rows, 1, g_dst, (int) ld_dst,
                      W, transposed ? (int) rows : (int) cols, 1, g_src, (int) ld_gsrc);
}

/* ---- Filters: y = C·x + D·u; x ← A·x + B·u, per channel ---------------- */

/* u, y (len); state[s] (len) for s < order. */
static void
SFX (filter_forward) (const SpkDiscreteFilter *f,
                      const REAL              *u,
                      REAL                    *y,
                      REAL *const             *state,
                      guint                    len)
{
  const guint k = f->order;

  for (guint c = 0; c < len; c++)
    {
      double x[SPK_FILTER_MAX_ORDER], out = f->D * u[c];

      for (guint s = 0; s < k; s++)
        {
          x[s] = state[s][c];
          out += f->C[s] * x[s];
        }
      for (guint r = 0; r < k; r++)
        {
          double v = f->B[r] * u[c];

          for (guint s = 0; s < k; s++)
            v += f->A[r * k + s] * x[s];
          state[r][c] = (REAL) v;
        }
      y[c] = (REAL) out;
    }
}

/* Given the adjoints of y and of the updated state, adds to g_u (len,
 * may be NULL) and replaces g_state by the adjoint of the state before the
 * update; g_y becomes 0 (y was set). */
static void
SFX (filter_backward) (const SpkDiscreteFilter *f,
                       REAL                    *g_u,
                       REAL                    *g_y,
                       REAL *const             *g_state,
                       guint                    len)
{
  const guint k = f->order;

  for (guint c = 0; c < len; c++)
    {
      double gn[SPK_FILTER_MAX_ORDER], gy = g_y[c], gu = f->D * gy;

      for (guint r = 0; r < k; r++)
        {
          gn[r] = g_state[r][c];
          gu += f->B[r] * gn[r];
        }
      for (guint s = 0; s < k; s++)
        {
          double v = f->C[s] * gy;

          for (guint r = 0; r < k; r++)
            v += f->A[r * k + s] * gn[r];
          g_state[s][c] = (REAL) v;
        }
      if (g_u)
        g_u[c] += (REAL) gu;
      g_y[c] = 0;
    }
}

/* ---- Expressions: not trainable; input gradient by central differences - */

static void
SFX (expr_eval) (const SpkExpr  *expr,
                 SpkExprScratch *scratch,
                 double          t,
                 const REAL     *x,
                 gsize           batch,
                 REAL           *out)
{
#if REAL_IS_FLOAT
  spk_expr_eval_f32 (expr, scratch, t, x, batch, out);
#else
  spk_expr_eval (expr, scratch, t, x, batch, out);
#endif
}

/* g_src (batch × n_in) += J(x)ᵀ·g_dst for x the taped input (batch × n_in),
 * J by central differences with a step scaled to each value; scratch
 * holds batch × (n_in + 2·n_out). */
static void
SFX (expr_backward) (const SpkExpr  *expr,
                     SpkExprScratch *es,
                     double          t,
                     const REAL     *x,
                     const REAL     *g_dst,
                     REAL           *g_src,
                     guint           batch,
                     REAL           *scratch)
{
  const guint n_in = spk_expr_get_size_in (expr), n_out = spk_expr_get_size_out (expr);
  REAL *xp = scratch, *fp = xp + (gsize) batch * n_in, *fm = fp + (gsize) batch * n_out;
  const double rel = REAL_IS_FLOAT ? 1e-3 : 1e-6;

  memcpy (xp, x, (gsize) batch * n_in * sizeof (REAL));
  for (guint c = 0; c < n_in; c++)
    {
      for (guint b = 0; b < batch; b++)
        xp[(gsize) b * n_in + c] = x[(gsize) b * n_in + c] + (REAL) (rel * MAX (1.0, fabs ((double) x[(gsize) b * n_in + c])));
      SFX (expr_eval) (expr, es, t, xp, batch, fp);
      for (guint b = 0; b < batch; b++)
        xp[(gsize) b * n_in + c] = x[(gsize) b * n_in + c] - (REAL) (rel * MAX (1.0, fabs ((double) x[(gsize) b * n_in + c])));
      SFX (expr_eval) (expr, es, t, xp, batch, fm);
      for (guint b = 0; b < batch; b++)
        {
          const double xv = x[(gsize) b * n_in + c];
          const double h2 = ((double) (REAL) (xv + rel * MAX (1.0, fabs (xv))))
                            - ((double) (REAL) (xv - rel * MAX (1.0, fabs (xv))));
          double sum = 0.0;

          for (guint o = 0; o < n_out; o++)
            sum += (double) g_dst[(gsize) b * n_out + o]
                   * ((double) fp[(gsize) b * n_out + o] - (double) fm[(gsize) b * n_out + o]);
          g_src[(gsize) b * n_in + c] += (REAL) (sum / h2);
          xp[(gsize) b * n_in + c] = x[(gsize) b * n_in + c];
        }
    }
}

/* ---- One step forward, one step backward ------------------------------- */

/* The mean squared error of one row y (size) against t (size), and when
 * grad (size) is not NULL its gradient times scale: as
 * _spk_train_loss_row()'s MSE, without copying y to float64 first. */
SPK_ISA_BODY double
SFX (mse_row_body) (const REAL *restrict  y,
                    const float *restrict t,
                    guint                 size,
                    double                scale,
                    double *restrict      grad)
{
  const double k = scale * 2.0 / size;
  double sum = 0.0;

  for (guint i = 0; i < size; i++)
    {
      const double e = (double) y[i] - (double) t[i];

      sum += e * e;
    }
  if (grad)
    for (guint i = 0; i < size; i++)
      grad[i] = k * ((double) y[i] - (double) t[i]);
  return sum / size;
}
SPK_ISA_DISPATCH (static, double, SFX (mse_row), SFX (mse_row_body),
                  (const REAL *restrict y, const float *restrict t, guint size, double scale, double *restrict grad),
                  (y, t, size, scale, grad))

/* ---- Layers: forward keeping what backward needs on the tape ---------- */

/* The tape of a layer, per batch row: Dense its input, Conv2D its
 * patches, BatchNormalization xhat (then inv_std once, after the batch's
 * rows), Dropout its mask (spk_train_layer_tape_len()). */
static void
SFX (layer_forward) (SpkTrainer         *self,
                     const SpkPlanLayer *L,
                     guint               op_index,
                     REAL               *dst,
                     const REAL         *src,
                     REAL               *taped,
                     guint               batch,
                     gboolean            training)
{
  REAL *P = self->params;
  const REAL *bias = L->bias != G_MAXSIZE ? P + L->bias : NULL;
  const gsize n = (gsize) batch * L->n_in;

  /* A connection's Sparse transform or ConvolutionTranspose keeps its
   * input on the tape (spk-builder-transform.c; a Convolution is a Conv2D). */
  if (L->transform == SPK_PLAN_TRANSFORM_SPARSE || L->transform == SPK_PLAN_TRANSFORM_CONV_TRANSPOSE)
    {
      memcpy (taped, src, n * sizeof (REAL));
      if (L->transform == SPK_PLAN_TRANSFORM_SPARSE)
        SFX (spk_sparse_forward) (dst, taped, P + L->weights, L->sparse_rows, L->sparse_cols, L->nnz, L->n_in,
                                  L->n_out, batch);
      else
        {
          memset (dst, 0, (gsize) batch * L->n_out * sizeof (REAL));
          SFX (spk_layer_conv2d_backward) (dst, NULL, NULL, (REAL *) self->scratch, taped, NULL, P + L->weights, &L->win,
                                           L->units, batch);
        }
      return;
    }
  switch (L->type)
    {
    case SPK_LAYER_DENSE:
      memcpy (taped, src, n * sizeof (REAL));
      SFX (spk_layer_dense_forward) (dst, taped, P + L->weights, bias, batch, L->n_in, L->units);
      break;
    case SPK_LAYER_CONV2D:
      SFX (spk_layer_conv2d_forward) (dst, taped, src, P + L->weights, bias, &L->win, L->units, batch);
      break;
    case SPK_LAYER_AVERAGE_POOLING2D:
      SFX (spk_layer_avgpool_forward) (dst, src, &L->win, batch);
      break;
    case SPK_LAYER_BATCH_NORMALIZATION:
      if (L->inner > 1)
        {
          SFX (spk_layer_batchnorm_axis_forward) (dst, training ? taped : NULL, training ? taped + n : NULL,
                                                  src, P + L->gamma, P + L->beta, P + L->moving_mean,
                                                  P + L->moving_var, L->momentum, L->epsilon, training,
                                                  n / ((gsize) L->channels * L->inner), L->channels, L->inner);
          break;
        }
      SFX (spk_layer_batchnorm_forward) (dst, training ? taped : NULL, training ? taped + n : NULL, src,
                                         P + L->gamma, P + L->beta, P + L->moving_mean, P + L->moving_var,
                                         L->momentum, L->epsilon, training, (guint) (n / L->channels),
                                         L->channels);
      break;
    case SPK_LAYER_DROPOUT:
      if (training)
        SFX (spk_layer_dropout_forward) (dst, taped, src, L->rate, &self->layer_rngs[op_index], n);
      else
        memcpy (dst, src, n * sizeof (REAL));
      break;
    case SPK_LAYER_EXPRESSION:
      g_assert_not_reached ();
    }
  /* Keras's activation=: its output goes on the tape after the layer's
   * own record, for backward. */
  if (L->activation != SPK_ACTIVATION_LINEAR)
    {
      SFX (spk_activation_forward) (L->activation, dst, (gsize) batch * L->n_out / L->units, L->units);
      if (taped)
        memcpy (taped + (gsize) batch * _spk_train_layer_tape_len (L, FALSE), dst,
                (gsize) batch * L->n_out * sizeof (REAL));
    }
}

/* Adds the gradients of the layer's parameters and (when g_src is not
 * NULL) of its input, from g_dst. */
static void
SFX (layer_backward) (SpkTrainer         *self,
                      const SpkPlanLayer *L,
                      REAL               *g_src,
                      const REAL         *g_dst,
                      const REAL         *taped,
                      guint               batch)
{
  const REAL *P = self->params;
  REAL *G = self->grads;
  REAL *g_bias = L->bias != G_MAXSIZE ? G + L->bias : NULL;
  const gsize n = (gsize) batch * L->n_in;

  if (L->transform == SPK_PLAN_TRANSFORM_SPARSE)
    {
      SFX (spk_sparse_backward) (g_src, G + L->weights, g_dst, taped, P + L->weights, L->sparse_rows,
                                 L->sparse_cols, L->nnz, L->n_in, L->n_out, batch);
      return;
    }
  if (L->transform == SPK_PLAN_TRANSFORM_CONV_TRANSPOSE)
    {
      /* dst = Cᵀ·src for C the window's convolution: g_src += C·g_dst (a
       * forward convolution of g_dst, whose patches it leaves in cols),
       * g_K += colsᵀ·src.  Scratch: cols, then the convolution's output. */
      REAL *cols = (REAL *) self->scratch;
      REAL *conv = cols + (gsize) batch * spk_plan_layer_patches_len (L);

      SFX (spk_layer_conv2d_forward) (conv, cols, g_dst, P + L->weights, NULL, &L->win, L->units, batch);
      if (g_src)
        for (gsize i = 0; i < n; i++)
          g_src[i] += conv[i];
      SFX (spk_layer_conv2d_backward) (NULL, G + L->weights, NULL, NULL, taped, cols, P + L->weights, &L->win,
                                       L->units, batch);
      return;
    }
  switch (L->type)
    {
    case SPK_LAYER_DENSE:
      SFX (spk_layer_dense_backward) (g_src, G + L->weights, g_bias, g_dst, taped, P + L->weights,
                                      batch, L->n_in, L->units);
      break;
    case SPK_LAYER_CONV2D:
      SFX (spk_layer_conv2d_backward) (g_src, G + L->weights, g_bias, self->scratch, g_dst, taped,
                                       P + L->weights, &L->win, L->units, batch);
      break;
    case SPK_LAYER_AVERAGE_POOLING2D:
      if (g_src)
        SFX (spk_layer_avgpool_backward) (g_src, g_dst, &L->win, batch);
      break;
    case SPK_LAYER_BATCH_NORMALIZATION:
      if (L->inner > 1)
        {
          SFX (spk_layer_batchnorm_axis_backward) (g_src, G + L->gamma, G + L->beta, g_dst, taped, taped + n,
                                                   P + L->gamma, n / ((gsize) L->channels * L->inner),
                                                   L->channels, L->inner);
          break;
        }
      SFX (spk_layer_batchnorm_backward) (g_src, G + L->gamma, G + L->beta, g_dst, taped, taped + n,
                                          P + L->gamma, (guint) (n / L->channels), L->channels);
      break;
    case SPK_LAYER_DROPOUT:
      if (g_src)
        SFX (spk_layer_dropout_backward) (g_src, g_dst, taped, n);
      break;
    case SPK_LAYER_EXPRESSION:
      g_assert_not_reached ();
    }
}

static void
SFX (write_input) (SpkTrainer     *self,
                   const TrainRun *run,
                   guint           op_index,
                   REAL           *arena,
                   const SpkView  *dst,
                   guint           step)
{
  const float *data = run->inputs[op_index];
  const guint steps = run->input_steps[op_index];
  const guint row = MIN (step, steps) - 1;

  for (guint b = 0; b < run->batch; b++)
    {
      REAL *d = SFX (view_row) (self, arena, dst, run->batch, b);
      const float *s = data + ((gsize) run->examples[b] * steps + row) * dst->len;

#if REAL_IS_FLOAT
      memcpy (d, s, dst->len * sizeof (float));
#else
      for (guint i = 0; i < dst->len; i++)
        d[i] = (REAL) s[i];
#endif
    }
}

static void
SFX (forward_step) (SpkTrainer     *self,
                    const TrainRun *run,
                    guint           step,
                    gboolean        training,  /* batch statistics and dropout */
                    REAL           *tape)      /* tape_row × batch for this step */
{
  const guint batch = run->batch;
  const REAL *params = self->params;
  REAL *arena = self->arena;
  const double t = step * self->plan->dt;

  for (guint i = 0; i < self->plan->ops->len; i++)
    {
      const SpkPlanOp *op = g_ptr_array_index (self->plan->ops, i);

      for (guint k = 0; k < op->items->len; k++)
        {
          const SpkOpItem *item = spk_plan_op_item (op, k);
          const SpkView *dv = &item->dst, *sv = &item->src;
          const guint len = dv->len;
          REAL *dst = dv->sig >= 0 ? SFX (view_row) (self, arena, dv, batch, 0) : NULL;
          const REAL *src = sv->sig >= 0 ? SFX (view_row) (self, arena, sv, batch, 0) : NULL;
          const gsize ld_dst = dv->sig >= 0 ? SFX (view_stride) (self, dv) : 0;
          const gsize ld_src = sv->sig >= 0 ? SFX (view_stride) (self, sv) : 0;
          REAL *taped = self->tape_off[i][k] != G_MAXSIZE ? tape + self->tape_off[i][k] * batch : NULL;

          switch (op->kind)
            {
            case SPK_OP_RESET:
              for (guint b = 0; b < batch; b++)
                memset (dst + b * ld_dst, 0, len * sizeof (REAL));
              break;

            case SPK_OP_CONST:
              if (run->inputs[i])
                {
                  SFX (write_input) (self, run, i, arena, dv, step);
                  break;
                }
              G_GNUC_FALLTHROUGH;
            case SPK_OP_SET_PARAM:
              for (guint b = 0; b < batch; b++)
                memcpy (dst + b * ld_dst, params + item->param, len * sizeof (REAL));
              break;

            case SPK_OP_COPY:
              if (!item->dst_index && !item->src_index)
                {
                  for (guint b = 0; b < batch; b++)
                    if (item->inc)
                      SFX (add_to) (dst + b * ld_dst, src + b * ld_src, item->n_index);
                    else
                      memcpy (dst + b * ld_dst, src + b * ld_src, item->n_index * sizeof (REAL));
                  break;
                }
              for (guint b = 0; b < batch; b++)
                {
                  REAL *d = dst + b * ld_dst;
                  const REAL *s = src + b * ld_src;

                  for (guint j = 0; j < item->n_index; j++)
                    {
                      const guint di = item->dst_index ? item->dst_index[j] : j;
                      const REAL v = s[item->src_index ? item->src_index[j] : j];

                      d[di] = item->inc ? d[di] + v : v;
                    }
                }
              break;

            case SPK_OP_DOT_INC:
              /* A one-step run whose input stays put reads it in place. */
              if (run->n_steps == 1 && self->src_final[i][k])
                {
                  SFX (dot_forward) (dst, ld_dst, params + item->param, item->transposed, src, ld_src,
                                     item->rows, item->cols, batch);
                  break;
                }
              for (guint b = 0; b < batch; b++)
                memcpy (taped + (gsize) b * item->cols, src + b * ld_src, item->cols * sizeof (REAL));
              SFX (dot_forward) (dst, ld_dst, params + item->param, item->transposed, taped, item->cols,
                                 item->rows, item->cols, batch);
              break;

            case SPK_OP_ELEM_INC:
              /* A fixed weight (a layer's output into its neurons) keeps no tape. */
              for (guint b = 0; b < batch; b++)
                {
                  if (taped)
                    memcpy (taped + (gsize) b * len, src + b * ld_src, len * sizeof (REAL));
                  SFX (elem_inc) (dst + b * ld_dst, params + item->param, item->scalar, src + b * ld_src, len);
                }
              break;

            case SPK_OP_NEURONS:
              /* Whole signals: the batch rows are contiguous. */
              SFX (rate_forward_split) (op->neuron_type, self->lif_sigma, src, dst, taped, (gsize) batch * len);
              break;

            case SPK_OP_FILTER:
              for (guint b = 0; b < batch; b++)
                {
                  REAL *states[SPK_OP_MAX_STATES];

                  for (guint s = 0; s < op->n_states; s++)
                    states[s] = SFX (view_row) (self, arena, &item->states[s], batch, b);
                  SFX (filter_forward) (&op->filter, src + b * ld_src, dst + b * ld_dst, states, len);
                }
              break;

            case SPK_OP_EXPR:
              if (run->inputs[i])
                {
                  SFX (write_input) (self, run, i, arena, dv, step);
                  break;
                }
              /* Expressions read and write whole signals. */
              if (taped && src)
                memcpy (taped, src, (gsize) batch * ld_src * sizeof (REAL));
              SFX (expr_eval) (op->expr, self->expr_scratch[i], t, src, batch, dst);
              break;

            case SPK_OP_PROCESS:
              if (run->inputs[i])
                {
                  SFX (write_input) (self, run, i, arena, dv, step);
                  break;
                }
              {
                double *row = (double *) self->scratch;

                spk_process_state_eval (self->processes[i], step, row);
                for (guint b = 0; b < batch; b++)
                  for (guint j = 0; j < len; j++)
                    dst[b * ld_dst + j] = (REAL) row[j];
              }
              break;

            case SPK_OP_LAYER:
              SFX (layer_forward) (self, op->layer, i, dst, src, taped, batch, training);
              break;

            case SPK_OP_DOT_INC_SIGNAL:   /* refused by spk_trainer_new */
            case SPK_OP_PES:
            case SPK_OP_BCM:
            case SPK_OP_OJA:
            case SPK_OP_VOJA:
            case SPK_OP_RLS:
            case SPK_OP_CALLBACK:
            case SPK_OP_N_KINDS:
              g_assert_not_reached ();
            }
        }
    }
}

static void
SFX (backward_step) (SpkTrainer     *self,
                     const TrainRun *run,
                     guint           step,
                     const REAL     *tape)
{
  const guint batch = run->batch;
  const REAL *params = self->params;
  REAL *grads = self->grads;
  REAL *adj = self->adjoint;
  const double t = step * self->plan->dt;

  for (guint i = self->plan->ops->len; i-- > 0;)
    {
      const SpkPlanOp *op = g_ptr_array_index (self->plan->ops, i);

      for (guint k = op->items->len; k-- > 0;)
        {
          const SpkOpItem *item = spk_plan_op_item (op, k);
          const SpkView *dv = &item->dst, *sv = &item->src;
          const guint len = dv->len;
          REAL *g_dst = dv->sig >= 0 ? SFX (view_row) (self, adj, dv, batch, 0) : NULL;
          REAL *g_src = sv->sig >= 0 && self->needs_grad[sv->sig] ? SFX (view_row) (self, adj, sv, batch, 0) : NULL;
          const gsize ld_dst = dv->sig >= 0 ? SFX (view_stride) (self, dv) : 0;
          const gsize ld_src = sv->sig >= 0 ? SFX (view_stride) (self, sv) : 0;
          const REAL *taped = self->tape_off[i][k] != G_MAXSIZE ? tape + self->tape_off[i][k] * batch : NULL;

          switch (op->kind)
            {
            case SPK_OP_SET_PARAM:
              for (guint b = 0; b < batch; b++)
                SFX (add_to) (grads + item->param, g_dst + b * ld_dst, len);
              G_GNUC_FALLTHROUGH;
            case SPK_OP_RESET:
            case SPK_OP_CONST:
            case SPK_OP_PROCESS:
              for (guint b = 0; b < batch; b++)
                memset (g_dst + b * ld_dst, 0, len * sizeof (REAL));
              break;

            case SPK_OP_COPY:
              if (!item->dst_index && !item->src_index)
                {
                  for (guint b = 0; b < batch; b++)
                    {
                      if (g_src)
                        SFX (add_to) (g_src + b * ld_src, g_dst + b * ld_dst, item->n_index);
                      if (!item->inc)
                        memset (g_dst + b * ld_dst, 0, item->n_index * sizeof (REAL));
                    }
                  break;
                }
              for (guint b = 0; b < batch; b++)
                {
                  REAL *gd = g_dst + b * ld_dst;
                  REAL *gs = g_src ? g_src + b * ld_src : NULL;

                  for (guint j = 0; j < item->n_index; j++)
                    {
                      const guint di = item->dst_index ? item->dst_index[j] : j;

                      if (gs)
                        gs[item->src_index ? item->src_index[j] : j] += gd[di];
                      if (!item->inc)
                        gd[di] = 0;
                    }
                }
              break;

            case SPK_OP_DOT_INC:
              if (run->n_steps == 1 && self->src_final[i][k])
                SFX (dot_backward) (grads + item->param, g_src, ld_src, g_dst, ld_dst, params + item->param,
                                    item->transposed, SFX (view_row) (self, self->arena, sv, batch, 0), ld_src,
                                    item->rows, item->cols, batch);
              else
                SFX (dot_backward) (grads + item->param, g_src, ld_src, g_dst, ld_dst, params + item->param,
                                    item->transposed, taped, item->cols, item->rows, item->cols, batch);
              break;

            case SPK_OP_ELEM_INC:
              for (guint b = 0; b < batch; b++)
                {
                  const REAL *gd = g_dst + b * ld_dst;
                  REAL *gw = grads + item->param;

                  /* Only a trainable weight has a tape and a gradient. */
                  if (taped && item->scalar)
                    {
                      const REAL *s = taped + (gsize) b * len;
                      double sum = 0.0;

                      for (guint j = 0; j < len; j++)
                        sum += (double) gd[j] * s[j];
                      gw[0] += (REAL) sum;
                    }
                  else if (taped)
                    for (guint j = 0; j < len; j++)
                      gw[j] += gd[j] * taped[(gsize) b * len + j];
                  if (g_src)
                    SFX (elem_inc) (g_src + b * ld_src, params + item->param, item->scalar, gd, len);
                }
              break;

            case SPK_OP_NEURONS:
              SFX (neurons_backward) (g_src, g_dst, taped, (gsize) batch * len);
              break;

            case SPK_OP_FILTER:
              for (guint b = 0; b < batch; b++)
                {
                  REAL *g_states[SPK_OP_MAX_STATES];

                  for (guint s = 0; s < op->n_states; s++)
                    g_states[s] = SFX (view_row) (self, adj, &item->states[s], batch, b);
                  SFX (filter_backward) (&op->filter, g_src ? g_src + b * ld_src : NULL,
                                         g_dst + b * ld_dst, g_states, len);
                }
              break;

            case SPK_OP_EXPR:
              if (!run->inputs[i] && g_src && taped)
                SFX (expr_backward) (op->expr, self->expr_scratch[i], t, taped, g_dst, g_src, batch,
                                     (REAL *) self->scratch);
              memset (g_dst, 0, (gsize) batch * len * sizeof (REAL));
              break;

            case SPK_OP_LAYER:
              /* Through the activation first: g_dst becomes the gradient of
               * the layer's own result (it is cleared after anyway). */
              if (op->layer->activation != SPK_ACTIVATION_LINEAR)
                SFX (spk_activation_backward) (op->layer->activation, g_dst,
                                               taped + (gsize) batch * _spk_train_layer_tape_len (op->layer, FALSE),
                                               (gsize) batch * op->layer->n_out / op->layer->units,
                                               op->layer->units);
              SFX (layer_backward) (self, op->layer, g_src, g_dst, taped, batch);
              memset (g_dst, 0, (gsize) batch * len * sizeof (REAL));
              break;

            case SPK_OP_DOT_INC_SIGNAL:   /* refused by spk_trainer_new */
            case SPK_OP_PES:
            case SPK_OP_BCM:
            case SPK_OP_OJA:
            case SPK_OP_VOJA:
            case SPK_OP_RLS:
            case SPK_OP_CALLBACK:
            case SPK_OP_N_KINDS:
              g_assert_not_reached ();
            }
        }
    }
}

/* ---- A run: reset, forward over the steps with the loss, backward ------ */

gboolean
SFX (_spk_train_run) (SpkTrainer        *self,
                      const TrainRun    *run,
                      const TrainTarget *targets,
                      guint              n_targets,
                      gboolean           backward,
                      double            *loss,
                      GError           **error)
{
  const guint batch = run->batch, n_steps = run->n_steps;
  REAL *arena, *tape;
  double *y = self->ybuf;
  gsize grad_row = 0;
  double total = 0.0;

  if (!_spk_train_alloc (self, batch, n_steps, error))
    return FALSE;
  arena = self->arena;
  tape = self->tape;
  for (guint j = 0; j < n_targets; j++)
    grad_row += targets[j].probe->size;

  /* Signals start from their initial values, processes from step 0;
   * a signal its first operator sets whole needs neither (a convolutional
   * network's arena is tens of megabytes a minibatch). */
  for (guint s = 0; s < self->n_signals; s++)
    {
      const SpkPlanSignal *sig = g_ptr_array_index (self->plan->signals, s);
      REAL *base = arena + self->sig_base[s] * batch;

      if (self->set_first[s])
        continue;
      if (!sig->init)
        memset (base, 0, (gsize) sig->size * batch * sizeof (REAL));
      else
        for (guint b = 0; b < batch; b++)
          for (guint j = 0; j < sig->size; j++)
            base[(gsize) b * sig->size + j] = (REAL) sig->init[j];
    }
  for (guint i = 0; i < self->plan->ops->len; i++)
    if (self->processes[i])
      spk_process_state_reset (self->processes[i]);

  for (guint step = 1; step <= n_steps; step++)
    {
      double *grad_step = self->grad_tape + (gsize) (step - 1) * batch * grad_row;
      gsize goff = 0;

      SFX (forward_step) (self, run, step, backward, tape + (gsize) (step - 1) * self->tape_row * batch);
      for (guint j = 0; j < n_targets; j++)
        {
          const TrainTarget *tg = &targets[j];
          const SpkPlanProbe *probe = tg->probe;
          const guint size = probe->size;
          const guint counted = tg->steps == n_steps ? n_steps : 1;
          const double scale = tg->weight / ((double) batch * counted);

          if (tg->steps != n_steps && step != n_steps)
            {
              memset (grad_step + goff * batch, 0, (gsize) batch * size * sizeof (double));
              goff += size;
              continue;
            }
          for (guint b = 0; b < batch; b++)
            {
              const REAL *row = SFX (view_row) (self, arena, &probe->view, batch, b);
              const float *t_row = tg->data + ((gsize) run->examples[b] * tg->steps
                                               + (tg->steps == 1 ? 0 : step - 1)) * tg->size;
              double l;

              if (tg->loss == SPK_LOSS_MSE && !probe->index)
                {
                  total += SFX (mse_row) (row, t_row, size, scale,
                                          backward ? grad_step + goff * batch + (gsize) b * size : NULL)
                           * scale;
                  continue;
                }
              for (guint v = 0; v < size; v++)
                y[v] = row[probe->index ? probe->index[v] : v];
              if (!_spk_train_loss_row (tg->loss, probe->label, y, t_row, size, scale,
                                        backward ? grad_step + goff * batch + (gsize) b * size : NULL,
                                        &l, error))
                return FALSE;
              total += l * scale;
              if (SPK_LOSS_IS_SPARSE (tg->loss))
                {
                  self->n_correct += (float) spk_loss_argmax (y, size) == t_row[0];
                  self->n_scored++;
                }
            }
          goff += size;
        }
    }
  if (!isfinite (total))
    {
      g_set_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_NOT_FINITE,
                   _("the loss is not finite (%g): lower the learning rate or scale the data"), total);
      return FALSE;
    }
  if (loss)
    *loss = total;
  if (!backward)
    return TRUE;

  /* The adjoints of set_first signals are zero since the last backward
   * pass in this layout. */
  if (self->adjoint_batch != batch)
    memset (self->adjoint, 0, self->row_len * batch * sizeof (REAL));
  else
    for (guint s = 0; s < self->n_signals; s++)
      if (!self->set_first[s])
        memset ((REAL *) self->adjoint + self->sig_base[s] * batch, 0,
                (gsize) ((const SpkPlanSignal *) g_ptr_array_index (self->plan->signals, s))->size * batch
                * sizeof (REAL));
  self->adjoint_batch = batch;
  for (guint step = n_steps; step >= 1; step--)
    {
      const double *grad_step = self->grad_tape + (gsize) (step - 1) * batch * grad_row;
      gsize goff = 0;

      for (guint j = 0; j < n_targets; j++)
        {
          const SpkPlanProbe *probe = targets[j].probe;

          for (guint b = 0; b < batch; b++)
            {
              REAL *row = SFX (view_row) (self, self->adjoint, &probe->view, batch, b);
              const double *g = grad_step + goff * batch + (gsize) b * probe->size;

              for (guint v = 0; v < probe->size; v++)
                row[probe->index ? probe->index[v] : v] += (REAL) g[v];
            }
          goff += probe->size;
        }
      SFX (backward_step) (self, run, step, tape + (gsize) (step - 1) * self->tape_row * batch);
    }
  return TRUE;
}

/* ---- Optimizers: one flat loop per trainable range (Keras's updates) --- */

/* p, g, s (n): s ← ρ·s + (1 − ρ)·g²; p −= lr·g/(√s + ε). */
SPK_ISA_BODY void
SFX (rmsprop_body) (REAL *restrict       p,
                    const REAL *restrict g,
                    REAL *restrict       s,
                    gsize                n,
                    REAL                 rho,
                    REAL                 eps,
                    REAL                 lr)
{
  for (gsize i = 0; i < n; i++)
    {
      s[i] = rho * s[i] + (1 - rho) * g[i] * g[i];
      p[i] -= lr * g[i] / (SFX (sqrt) (s[i]) + eps);
    }
}
SPK_ISA_DISPATCH_VOID (static, SFX (rmsprop), SFX (rmsprop_body),
                       (REAL *restrict p, const REAL *restrict g, REAL *restrict s, gsize n, REAL rho, REAL eps, REAL lr),
                       (p, g, s, n, rho, eps, lr))

/* p, g, m, v (n): m ← β₁·m + (1 − β₁)·g; v ← β₂·v + (1 − β₂)·g²;
 * p −= lr_t·m/(√v + ε), lr_t carrying the bias correction. */
SPK_ISA_BODY void
SFX (adam_body) (REAL *restrict       p,
                 const REAL *restrict g,
                 REAL *restrict       m,
                 REAL *restrict       v,
                 gsize                n,
                 REAL                 b1,
                 REAL                 b2,
                 REAL                 eps,
                 REAL                 lr_t)
{
  for (gsize i = 0; i < n; i++)
    {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      p[i] -= lr_t * m[i] / (SFX (sqrt) (v[i]) + eps);
    }
}
SPK_ISA_DISPATCH_VOID (static, SFX (adam), SFX (adam_body),
                       (REAL *restrict p, const REAL *restrict g, REAL *restrict m, REAL *restrict v, gsize n, REAL b1, REAL b2, REAL eps, REAL lr_t),
                       (p, g, m, v, n, b1, b2, eps, lr_t))

/* RMSprop with momentum or centred, as tf.keras's (OptimizerV2, which
 * NengoDL 3 trains with): s ← ρ·s + (1 − ρ)·g²; centred, also the mean
 * gradient a ← ρ·a + (1 − ρ)·g and d = s − a², else d = s.  Without
 * momentum p −= lr·g/(√d + ε); with momentum (TensorFlow's ApplyRMSProp
 * kernels, ε under the root) v ← μ·v + lr·g/√(d + ε), p −= v.
 * m1 holds v, m2 s, m3 a. */
static void
SFX (rmsprop_full) (const SpkOptimizer *o,
                    REAL *restrict      p,
                    const REAL *restrict g,
                    REAL *restrict      v,
                    REAL *restrict      s,
                    REAL *restrict      a,
                    gsize               n)
{
  const REAL rho = (REAL) o->rho, eps = (REAL) o->epsilon, lr = (REAL) o->learning_rate;
  const REAL mu = (REAL) o->momentum;

  for (gsize i = 0; i < n; i++)
    {
      REAL d;

      s[i] = rho * s[i] + (1 - rho) * g[i] * g[i];
      d = s[i];
      if (o->centered)
        {
          a[i] = rho * a[i] + (1 - rho) * g[i];
          d -= a[i] * a[i];
        }
      if (o->momentum == 0.0)
        p[i] -= lr * g[i] / (SFX (sqrt) (d) + eps);
      else
        {
          v[i] = mu * v[i] + lr * g[i] / SFX (sqrt) (d + eps);
          p[i] -= v[i];
        }
    }
}

void
SFX (_spk_train_update) (SpkTrainer *self)
{
  const SpkOptimizer *o = &self->opt;
  REAL *restrict p = self->params;
  const REAL *restrict g = self->grads;
  REAL *restrict m1 = self->m1, *restrict m2 = self->m2, *restrict m3 = self->m3;
  const double lr = o->learning_rate;
  double lr_t = lr;

  self->t++;
  if (o->kind == SPK_OPTIMIZER_ADAM)
    lr_t = lr * sqrt (1.0 - pow (o->beta2, (double) self->t)) / (1.0 - pow (o->beta1, (double) self->t));

  for (guint s = 0; s < self->slots->len; s++)
    {
      const TrainSlot *slot = &g_array_index (self->slots, TrainSlot, s);
      const gsize lo = slot->off, hi = slot->off + slot->len;

      switch (o->kind)
        {
        case SPK_OPTIMIZER_SGD:
          if (o->momentum == 0.0)
            for (gsize i = lo; i < hi; i++)
              p[i] -= (REAL) lr * g[i];
          else
            for (gsize i = lo; i < hi; i++)
              {
                m1[i] = (REAL) o->momentum * m1[i] - (REAL) lr * g[i];
                p[i] += o->nesterov ? (REAL) o->momentum * m1[i] - (REAL) lr * g[i] : m1[i];
              }
          break;

        case SPK_OPTIMIZER_RMSPROP:
          if (o->momentum == 0.0 && !o->centered)
            SFX (rmsprop) (p + lo, g + lo, m2 + lo, hi - lo, (REAL) o->rho, (REAL) o->epsilon, (REAL) lr);
          else
            SFX (rmsprop_full) (o, p + lo, g + lo, m1 + lo, m2 + lo, m3 + lo, hi - lo);
          break;

        case SPK_OPTIMIZER_ADAM:
          if (!o->amsgrad)
            SFX (adam) (p + lo, g + lo, m1 + lo, m2 + lo, hi - lo, (REAL) o->beta1, (REAL) o->beta2,
                        (REAL) o->epsilon, (REAL) lr_t);
          else
            for (gsize i = lo; i < hi; i++)
              {
                /* AMSGrad (TensorFlow's ApplyAdamWithAmsgrad): the largest v so far. */
                m1[i] = (REAL) o->beta1 * m1[i] + (REAL) (1 - o->beta1) * g[i];
                m2[i] = (REAL) o->beta2 * m2[i] + (REAL) (1 - o->beta2) * g[i] * g[i];
                m3[i] = MAX (m3[i], m2[i]);
                p[i] -= (REAL) lr_t * m1[i] / (SFX (sqrt) (m3[i]) + (REAL) o->epsilon);
              }
          break;
        }
    }
}
