/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-simulator-tmpl.h — one step of a plan, for one dtype.
 *
 * Included by spk-simulator-f32.c and spk-simulator-f64.c with REAL (float
 * or double) and SFX(name) defined, so both precisions come from this one
 * source.  No allocation, locks or GLib calls on this path.
 */

#include <cblas.h>
#include <math.h>
#include <string.h>

#include "ops/spk-gemm-small-private.h"
#include "ops/spk-ops-neurons.h"
#include "ops/spk-ops-neurons-private.h"
#include "ops/spk-ops-synapse.h"
#include "ops/spk-ops-learning.h"
#include "ops/spk-ops-sparse.h"
#include "core/spk-pool.h"
#include "sim/spk-simulator-private.h"
#include "sim/spk-simulator-fuse-big.h"

/* Small products are faster as plain loops than through a BLAS call (a
 * call costs 20–60 ns); in float32, products through matrices that fit in
 * L2 go to our own kernel, and larger ones to OpenBLAS
 * (docs/performance.md). */
#define SMALL_PRODUCT SPK_SIM_SMALL_PRODUCT

/* Which code a product of batch rows through a rows × cols matrix takes. */
typedef enum { DOT_LOOPS, DOT_SMALL_GEMM, DOT_BLAS } DotPath;

static inline DotPath
SFX (dot_path) (guint rows,
                guint cols,
                guint batch)
{
  if ((gsize) rows * cols * batch <= SMALL_PRODUCT)
    return DOT_LOOPS;
#ifdef SMALL_GEMM
  /* Our register-blocked kernel needs no packing and wakes no BLAS
   * thread: it wins for a minibatch through a matrix that fits in L2, and
   * for one row through a smaller one (docs/performance.md). */
  if ((gsize) rows * cols <= (batch > 1 ? SMALL_GEMM_MAX_W : SMALL_GEMV_MAX_W) && _spk_gemm_small_fast ())
    return DOT_SMALL_GEMM;
#endif
  return DOT_BLAS;
}

#ifdef DOT_LANES
typedef REAL SFX (Lanes) __attribute__ ((vector_size (DOT_LANES * sizeof (REAL))));
typedef UINT SFX (LaneBits) __attribute__ ((vector_size (DOT_LANES * sizeof (REAL))));

/* For the last t terms of a row of n ≥ DOT_LANES (t = n mod DOT_LANES):
 * the lanes that take them from a product of the row's last DOT_LANES
 * values, and the lanes that keep them. */
static const SFX (LaneBits) SFX (tail_lanes)[DOT_LANES] = {
  { 0 }, { 7, 0, 1, 2, 3, 4, 5, 6 }, { 6, 7, 0, 1, 2, 3, 4, 5 }, { 5, 6, 7, 0, 1, 2, 3, 4 },
  { 4, 5, 6, 7, 0, 1, 2, 3 }, { 3, 4, 5, 6, 7, 0, 1, 2 }, { 2, 3, 4, 5, 6, 7, 0, 1 }, { 1, 2, 3, 4, 5, 6, 7, 0 },
};
static const SFX (LaneBits) SFX (tail_keep)[DOT_LANES] = {
  { 0 }, { ~0u }, { ~0u, ~0u }, { ~0u, ~0u, ~0u }, { ~0u, ~0u, ~0u, ~0u }, { ~0u, ~0u, ~0u, ~0u, ~0u },
  { ~0u, ~0u, ~0u, ~0u, ~0u, ~0u }, { ~0u, ~0u, ~0u, ~0u, ~0u, ~0u, ~0u },
};
#endif

/* Σ w[c]·s[c] for one row of a small product.  In float32 the terms go
 * into DOT_LANES partial sums (term c into sum c mod DOT_LANES) that a
 * fixed tree adds at the end: the compiler keeps them in one vector, and
 * the chain of dependent additions (chain-1000's thousand one-row
 * decoders of 50 terms each) is an eighth as long.  Every path that
 * computes such a row uses this one order, so batch 1 and a minibatch
 * give the same values.  Float64 sums in order. */
static inline REAL
SFX (dot_row) (const REAL *restrict w,
               const REAL *restrict s,
               gsize                n)
{
#ifdef DOT_LANES
  /* The partial sums are one vector (GCC's vector extension: one AVX
   * register, or two SSE ones).  The last terms, fewer than DOT_LANES,
   * come in one more vector whose other lanes are +0: a partial sum
   * starts at +0 and never becomes −0 (a sum is −0 only when both terms
   * are), so adding +0 leaves it as it was, and each lane gets the same
   * terms in the same order as one by one, without a scalar loop over
   * the last few (chain-1000's 50 = 6 · 8 + 2).  When the row is long
   * enough they are taken from the product of its last DOT_LANES values,
   * moved to their lanes (term c to lane c mod DOT_LANES) and the rest
   * cleared to +0 whatever they hold. */
  SFX (Lanes) acc = { 0 }, half;
  gsize c = 0;

  G_STATIC_ASSERT (DOT_LANES == 8);
  for (; c + DOT_LANES <= n; c += DOT_LANES)
    {
      SFX (Lanes) a, b;

      memcpy (&a, w + c, sizeof a);
      memcpy (&b, s + c, sizeof b);
      acc += a * b;
    }
  if (c < n && n >= DOT_LANES)
    {
      const gsize t = n - c;
      SFX (Lanes) a, b, p;

      memcpy (&a, w + n - DOT_LANES, sizeof a);
      memcpy (&b, s + n - DOT_LANES, sizeof b);
      p = __builtin_shuffle (a * b, SFX (tail_lanes)[t]);
      acc += (SFX (Lanes)) ((SFX (LaneBits)) p & SFX (tail_keep)[t]);
    }
  else if (c < n)
    {
      SFX (Lanes) p = { 0 };

      for (guint l = 0; c + l < n; l++)
        p[l] = w[c + l] * s[c + l];
      acc += p;
    }
  /* ((a0 + a4) + (a2 + a6)) + ((a1 + a5) + (a3 + a7)), by halves. */
  half = __builtin_shuffle (acc, (SFX (LaneBits)) { 4, 5, 6, 7, 0, 1, 2, 3 });
  acc += half;
  half = __builtin_shuffle (acc, (SFX (LaneBits)) { 2, 3, 0, 1, 4, 5, 6, 7 });
  acc += half;
  return acc[0] + acc[1];
#else
  REAL sum = 0;

  for (gsize c = 0; c < n; c++)
    sum += w[c] * s[c];
  return sum;
#endif
}

/* d[r] = bias[r] + w[r]·x for r < n (a one-column encoder setting its
 * rows, the biases folded in) in blocks of AXPY_BLOCK values; when n is
 * not a multiple, the last block overlaps the one before it, whose values
 * it computes again from the same inputs, so they come out the same —
 * and there is no scalar loop over the last few (chain-1000's 50 rows). */
#define AXPY_BLOCK 8

static inline void
SFX (axpy_set) (REAL *restrict       d,
                const REAL *restrict bias,
                const REAL *restrict w,
                REAL                 x,
                gsize                n)
{
  gsize r = 0;

  if (n < AXPY_BLOCK)
    {
      for (; r < n; r++)
        d[r] = bias[r] + w[r] * x;
      return;
    }
  for (; r + AXPY_BLOCK <= n; r += AXPY_BLOCK)
    for (guint l = 0; l < AXPY_BLOCK; l++)
      d[r + l] = bias[r + l] + w[r + l] * x;
  /* The last block overlapping the one before it. */
  for (r = n - AXPY_BLOCK; n % AXPY_BLOCK != 0 && r < n; r++)
    d[r] = bias[r] + w[r] * x;
}

static void
SFX (dot_inc) (REAL *restrict       dst,     /* batch × rows, row stride dst_stride */
               gsize                dst_stride,
               const REAL *restrict W,       /* rows × cols, or cols × rows if transposed */
               gboolean             transposed,
               const REAL *restrict src,     /* batch × cols, row stride src_stride */
               gsize                src_stride,
               guint                rows,
               guint                cols,
               guint                batch)
{
  const DotPath path = SFX (dot_path) (rows, cols, batch);

  if (path == DOT_LOOPS)
    {
      for (guint b = 0; b < batch; b++)
        {
          REAL *restrict d = dst + (gsize) b * dst_stride;
          const REAL *restrict s = src + (gsize) b * src_stride;

          if (transposed)
            for (guint c = 0; c < cols; c++)
              {
                const REAL *restrict w = W + (gsize) c * rows;
                const REAL x = s[c];

                for (guint r = 0; r < rows; r++)
                  d[r] += w[r] * x;
              }
          else
            for (guint r = 0; r < rows; r++)
              d[r] += SFX (dot_row) (W + (gsize) r * cols, s, cols);
        }
    }
#ifdef SMALL_GEMM
  else if (path == DOT_SMALL_GEMM)
    SMALL_GEMM (dst, dst_stride, W, transposed, src, src_stride, rows, cols, batch);
#endif
  else if (batch == 1)
    {
      /* W·x, or (Wᵀ)ᵀ·x for a matrix stored transposed. */
      if (transposed)
        SFX (cblas_gemv) (CblasRowMajor, CblasTrans, (int) cols, (int) rows, 1, W, (int) rows,
                          src, 1, 1, dst, 1);
      else
        SFX (cblas_gemv) (CblasRowMajor, CblasNoTrans, (int) rows, (int) cols, 1, W, (int) cols,
                          src, 1, 1, dst, 1);
    }
  else
    SFX (cblas_gemm) (CblasRowMajor, CblasNoTrans, transposed ? CblasNoTrans : CblasTrans,
                      (int) batch, (int) rows, (int) cols, 1, src, (int) src_stride,
                      W, transposed ? (int) rows : (int) cols, 1, dst, (int) dst_stride);
}

/* Whether some product of a step goes to OpenBLAS (whose threads then
 * hold the other cores between calls). */
gboolean
SFX (_spk_simulator_steps_use_blas) (SpkSimulator *self)
{
  for (guint i = 0; i < self->n_ops; i++)
    {
      const SpkPlanOp *op = self->ops[i].op;

      if (op->kind != SPK_OP_DOT_INC || self->ops[i].folded)
        continue;
      for (guint k = 0; k < op->items->len; k++)
        {
          const SpkOpItem *item = spk_plan_op_item (op, k);

          if (SFX (dot_path) (item->rows, item->cols, self->batch) == DOT_BLAS)
            return TRUE;
        }
    }
  return FALSE;
}

/* A layer in inference: batch statistics and dropout are training's only.
 * P is the parameter arena; cols the patch scratch of a Conv2D. */
static void
SFX (layer_forward) (const SpkPlanLayer *L,
                     const REAL         *P,
                     REAL               *cols,
                     REAL               *dst,
                     const REAL         *src,
                     guint               batch)
{
  const REAL *bias = L->bias != G_MAXSIZE ? P + L->bias : NULL;

  /* A connection's Sparse transform, or a ConvolutionTranspose: the
   * transpose of its window's convolution (spk-builder-transform.c). */
  if (L->transform == SPK_PLAN_TRANSFORM_SPARSE)
    {
      SFX (spk_sparse_forward) (dst, src, P + L->weights, L->sparse_rows, L->sparse_cols, L->nnz, L->n_in,
                                L->n_out, batch);
      return;
    }
  if (L->transform == SPK_PLAN_TRANSFORM_CONV_TRANSPOSE)
    {
      memset (dst, 0, (gsize) batch * L->n_out * sizeof (REAL));
      SFX (spk_layer_conv2d_backward) (dst, NULL, NULL, cols, src, NULL, P + L->weights, &L->win, L->units, batch);
      return;
    }
  switch (L->type)
    {
    case SPK_LAYER_DENSE:
      SFX (spk_layer_dense_forward) (dst, src, P + L->weights, bias, batch, L->n_in, L->units);
      break;
    case SPK_LAYER_CONV2D:
      SFX (spk_layer_conv2d_forward) (dst, cols, src, P + L->weights, bias, &L->win, L->units, batch);
      break;
    case SPK_LAYER_AVERAGE_POOLING2D:
      SFX (spk_layer_avgpool_forward) (dst, src, &L->win, batch);
      break;
    case SPK_LAYER_BATCH_NORMALIZATION:
      /* Inference reads the moving statistics and never writes them. */
      if (L->inner > 1)
        {
          SFX (spk_layer_batchnorm_axis_forward) (dst, NULL, NULL, src, P + L->gamma, P + L->beta,
                                                  (REAL *) P + L->moving_mean, (REAL *) P + L->moving_var,
                                                  L->momentum, L->epsilon, FALSE,
                                                  (gsize) batch * L->n_in / ((gsize) L->channels * L->inner),
                                                  L->channels, L->inner);
          break;
        }
      SFX (spk_layer_batchnorm_forward) (dst, NULL, NULL, src, P + L->gamma, P + L->beta,
                                         (REAL *) P + L->moving_mean, (REAL *) P + L->moving_var,
                                         L->momentum, L->epsilon, FALSE,
                                         (guint) ((gsize) batch * L->n_in / L->channels), L->channels);
      break;
    case SPK_LAYER_DROPOUT:
      memcpy (dst, src, (gsize) batch * L->n_in * sizeof (REAL));
      break;
    case SPK_LAYER_EXPRESSION:
      g_assert_not_reached ();
    }
  /* Keras's activation= (Dense, Conv2D): over the units or filters. */
  if (L->activation != SPK_ACTIVATION_LINEAR)
    SFX (spk_activation_forward) (L->activation, dst, (gsize) batch * L->n_out / L->units, L->units);
}

/* A neuron update split between the pool's threads: every neuron's step
 * depends on its own values only, so the parts give the same result as
 * one call.  PoissonSpiking and StochasticSpiking draw from one random stream in order, so it
 * stays in one call. */
typedef struct
{
  const SpkNeuronType *type;
  REAL                 dt;
  const REAL          *J;
  REAL                *out;
  void *const         *states;
  guint                n_states;
} SFX (NeuronJob);

static void
SFX (neuron_part) (gpointer data,
                   gsize    begin,
                   gsize    end)
{
  const SFX (NeuronJob) *job = data;
  REAL *states[SPK_OP_MAX_STATES];

  for (guint s = 0; s < job->n_states; s++)
    states[s] = (REAL *) job->states[s] + begin;
  SFX (spk_neuron_step) (job->type, job->dt, job->J + begin, job->out + begin, states, end - begin, NULL);
}

/* Neurons per update below which a second thread costs more than it
 * saves (a hand-off is about a microsecond; a LIF neuron-step 1–2 ns).
 * Rectified-linear neurons cost a tenth of a nanosecond: moving their
 * values between cores costs more than computing them, so they stay in
 * one thread (dense-relu ran at half speed split). */
#define POOL_MIN_NEURONS 8192
#define POOL_GRAIN 64

static gsize
SFX (pool_min_neurons) (const SpkNeuronType *type)
{
  switch (type->kind)
    {
    case SPK_NEURON_RECTIFIED_LINEAR:
    case SPK_NEURON_SPIKING_RECTIFIED_LINEAR:
      return G_MAXSIZE;
    default:
      return POOL_MIN_NEURONS;
    }
}

/* One part of a fused neuron group (spk-simulator-fuse.c): its current
 * from the biases and encoders, its update, its decoders — each value by
 * the same arithmetic as the unfused operators. */
typedef struct
{
  const Fused         *f;
  const SpkNeuronType *type;
  REAL                 dt;
  REAL                *J;
  REAL                *out;
  REAL                *states[SPK_OP_MAX_STATES];
  guint                n_states;
} SFX (FusedJob);

SPK_ISA_BODY void
SFX (fused_run_part_body) (const SFX (FusedJob) *job,
                           guint                 p)
{
  const Fused *f = job->f;
  const gsize a = f->bounds[p], b = f->bounds[p + 1];
  REAL *states[SPK_OP_MAX_STATES];

  if (a == b)
    return;
  if (!f->tiled[p])
    memcpy (job->J + a, (const REAL *) f->bias + a, (b - a) * sizeof (REAL));
  for (const FusedEnc *e = f->enc + f->enc_off[p], *end = f->enc + f->enc_off[p + 1]; e < end; e++)
    {
      REAL *restrict d = e->d;
      const REAL *restrict w = e->w;
      const REAL *restrict x = e->x;
      const REAL *restrict bias = e->bias;
      const gsize n = e->n;
      guint c = 0;

      if (e->shape == FUSED_AXPY && bias != NULL)
        {
          SFX (axpy_set) (d, bias, w, x[0], n);
          continue;
        }
      if (e->shape == FUSED_ROWS)
        {
          for (gsize r = 0; r < n; r++)
            d[r] = (bias ? bias[r] : d[r]) + SFX (dot_row) (w + r * e->stride, x, e->cols);
          continue;
        }
      /* One column at a time (one in all, or W stored transposed). */
      if (bias != NULL)
        {
          const REAL x0 = x[0];

          for (gsize r = 0; r < n; r++)
            d[r] = bias[r] + w[r] * x0;
          c = 1;
        }
      for (; c < e->cols; c++)
        {
          const REAL *restrict wc = w + (gsize) c * e->stride;
          const REAL xc = x[c];

          for (gsize r = 0; r < n; r++)
            d[r] += wc[r] * xc;
        }
    }
  for (guint s = 0; s < job->n_states; s++)
    states[s] = job->states[s] + a;
  SFX (spk_neuron_step) (job->type, job->dt, job->J + a, job->out + a, states, b - a, NULL);
  for (const FusedDec *dd = f->dec + f->dec_off[p], *end = f->dec + f->dec_off[p + 1]; dd < end; dd++)
    {
      REAL *restrict acc = dd->acc;
      const REAL *restrict W = dd->w;
      const REAL *restrict s = dd->s;

      if (dd->rows == 1 && !dd->transposed)
        acc[0] += SFX (dot_row) (W, s, dd->n);
      else if (dd->transposed)
        {
          for (gsize c = 0; c < dd->n; c++)
            {
              const REAL *restrict w = W + c * dd->stride;
              const REAL v = s[c];

              for (guint r = 0; r < dd->rows; r++)
                acc[r] += w[r] * v;
            }
        }
      else
        for (guint r = 0; r < dd->rows; r++)
          acc[r] += SFX (dot_row) (W + (gsize) r * dd->stride, s, dd->n);
    }
}

/* Compiled for AVX-512 and AVX2 too: the encoders' and decoders' loops
 * are short (50 values in chain-1000) and the wider vectors take them in
 * fewer steps; each value's arithmetic is the same at any width. */
SPK_ISA_DISPATCH_VOID (static, SFX (fused_run_part), SFX (fused_run_part_body),
                       (const SFX (FusedJob) *job, guint p),
                       (job, p))

static void
SFX (fused_part) (gpointer data,
                  gsize    begin,
                  gsize    end)
{
  for (gsize p = begin; p < end; p++)
    SFX (fused_run_part) (data, (guint) p);
}

static void
SFX (fused_step) (SpkSimulator    *self,
                  const SpkPlanOp *op,
                  const BoundOp   *bop)
{
  const Fused *f = bop->fused;
  const BoundItem *bi = &bop->items[0];
  SFX (FusedJob) job = { f, op->neuron_type, (REAL) self->plan->dt, bi->src ? (REAL *) bi->src : NULL,
                         bi->dst, { NULL }, op->n_states };
  const gboolean split = self->pool_neurons && f->n >= SFX (pool_min_neurons) (op->neuron_type);

  for (guint s = 0; s < op->n_states; s++)
    job.states[s] = bi->states[s];
  spk_pool_for (SFX (fused_part), &job, SPK_FUSED_PARTS, 1, split ? 0 : G_MAXSIZE);
}

/* Values per batch row of a signal. */
static inline gsize
SFX (signal_stride) (SpkSimulator *self,
                     int           sig)
{
  return ((const SpkPlanSignal *) g_ptr_array_index (self->plan->signals, sig))->size;
}

/* Row b of a view. */
#define ROW(ptr, stride, b) ((ptr) + (gsize) (b) * (stride))

static void
SFX (run_item) (SpkSimulator    *self,
                const SpkPlanOp *op,
                BoundOp         *bop,
                const BoundItem *bi,
                double           t)
{
  const SpkOpItem *item = bi->item;
  const guint batch = self->batch;
  REAL *restrict dst = bi->dst;
  const REAL *restrict src = bi->src;
  const REAL *restrict w = bi->param;
  const guint len = item->dst.len;

  switch (op->kind)
    {
    case SPK_OP_RESET:
      if (bi->dst_whole)
        memset (dst, 0, (gsize) batch * len * sizeof (REAL));
      else
        for (guint b = 0; b < batch; b++)
          memset (ROW (dst, bi->dst_stride, b), 0, len * sizeof (REAL));
      break;

    case SPK_OP_CONST:
      if (bop->input != NULL)
        goto input;
      G_GNUC_FALLTHROUGH;
    case SPK_OP_SET_PARAM:
      for (guint b = 0; b < batch; b++)
        memcpy (ROW (dst, bi->dst_stride, b), w, len * sizeof (REAL));
      break;

    case SPK_OP_COPY:
      for (guint b = 0; b < batch; b++)
        {
          REAL *restrict d = ROW (dst, bi->dst_stride, b);
          const REAL *restrict s = ROW (src, bi->src_stride, b);

          if (item->src_index == NULL && item->dst_index == NULL)
            {
              if (item->inc)
                for (guint i = 0; i < item->n_index; i++)
                  d[i] += s[i];
              else
                memcpy (d, s, item->n_index * sizeof (REAL));
            }
          else
            for (guint i = 0; i < item->n_index; i++)
              {
                guint di = item->dst_index ? item->dst_index[i] : i;
                REAL v = s[item->src_index ? item->src_index[i] : i];

                d[di] = item->inc ? d[di] + v : v;
              }
        }
      break;

    case SPK_OP_DOT_INC:
      SFX (dot_inc) (dst, bi->dst_stride, w, item->transposed, src, bi->src_stride,
                     item->rows, item->cols, batch);
      break;

    case SPK_OP_ELEM_INC:
      for (guint b = 0; b < batch; b++)
        {
          REAL *restrict d = ROW (dst, bi->dst_stride, b);
          const REAL *restrict s = ROW (src, bi->src_stride, b);

          if (item->scalar)
            {
              const REAL k = w[0];

              for (guint i = 0; i < len; i++)
                d[i] += k * s[i];
            }
          else
            for (guint i = 0; i < len; i++)
              d[i] += w[i] * s[i];
        }
      break;

    case SPK_OP_NEURONS:
      /* A group's update covers its whole signals: one call for the batch,
       * split between threads when it is large. */
      if (bop->fused != NULL)
        SFX (fused_step) (self, op, bop);
      else if (bop->big != NULL)
        _spk_fused_big_step_f32 (self, op, bop);
      else if (spk_neuron_kind_draws (op->neuron_type->kind))
        SFX (spk_neuron_step) (op->neuron_type, (REAL) self->plan->dt, src, dst,
                               (REAL *const *) bi->states, (gsize) batch * len, &bop->rng);
      else
        {
          SFX (NeuronJob) job = { op->neuron_type, (REAL) self->plan->dt, src, dst, bi->states, op->n_states };

          spk_pool_for (SFX (neuron_part), &job, (gsize) batch * len, POOL_GRAIN,
                        self->pool_neurons ? SFX (pool_min_neurons) (op->neuron_type) : G_MAXSIZE);
        }
      break;

    case SPK_OP_FILTER:
      if (bi->dst_whole && bi->src_whole)
        SFX (spk_filter_step) (&op->filter, src, dst, (REAL *const *) bi->states, (gsize) batch * len);
      else
        for (guint b = 0; b < batch; b++)
          {
            REAL *states[SPK_OP_MAX_STATES];

            /* Each state has its own width (a Triangle's ring is n_taps wide). */
            for (guint s = 0; s < op->n_states; s++)
              states[s] = ROW ((REAL *) bi->states[s], SFX (signal_stride) (self, item->states[s].sig), b);
            SFX (spk_filter_step) (&op->filter, ROW (src, bi->src_stride, b),
                                   ROW (dst, bi->dst_stride, b), states, len);
          }
      break;

    case SPK_OP_EXPR:
      if (bop->input != NULL)
        goto input;
      /* Expressions read and write whole signals (the builder makes them so). */
      SFX (expr_eval) (op->expr, bop->scratch, t, src, batch, dst);
      break;

    case SPK_OP_PROCESS:
      if (bop->input != NULL)
        goto input;
      spk_process_state_eval (bop->process, self->step, bop->tmp);
      for (guint b = 0; b < batch; b++)
        for (guint i = 0; i < len; i++)
          ROW (dst, bi->dst_stride, b)[i] = (REAL) bop->tmp[i];
      break;

    case SPK_OP_LAYER:
      /* Layers read and write whole signals; the item's parameter is the arena's start. */
      SFX (layer_forward) (op->layer, w, bop->cols, dst, src, batch);
      break;

    case SPK_OP_DOT_INC_SIGNAL:
      /* Learned weights are state: each batch row has its own. */
      {
        const gsize w_stride = SFX (signal_stride) (self, item->states[0].sig);

        for (guint b = 0; b < batch; b++)
          SFX (spk_dot_signal_inc) (ROW (dst, bi->dst_stride, b), ROW ((const REAL *) bi->states[0], w_stride, b),
                                    ROW (src, bi->src_stride, b), item->states[0].len / item->src.len,
                                    item->src.len);
      }
      break;

    case SPK_OP_PES:
      {
        const gsize e_stride = SFX (signal_stride) (self, item->states[0].sig);

        for (guint b = 0; b < batch; b++)
          SFX (spk_pes_step) (ROW (dst, bi->dst_stride, b), ROW ((const REAL *) bi->states[0], e_stride, b),
                              ROW (src, bi->src_stride, b), (REAL) item->scale,
                              item->states[0].len, item->src.len);
      }
      break;

    case SPK_OP_BCM:
    case SPK_OP_OJA:
      {
        const gsize post_stride = SFX (signal_stride) (self, item->states[0].sig);
        const gsize aux_stride = SFX (signal_stride) (self, item->states[1].sig);
        const guint rows = item->states[0].len, cols = item->src.len;

        for (guint b = 0; b < batch; b++)
          {
            const REAL *post = ROW ((const REAL *) bi->states[0], post_stride, b);
            const REAL *aux = ROW ((const REAL *) bi->states[1], aux_stride, b);

            if (op->kind == SPK_OP_BCM)
              SFX (spk_bcm_step) (ROW (dst, bi->dst_stride, b), ROW (src, bi->src_stride, b), post, aux,
                                  (REAL) item->scale, rows, cols);
            else
              SFX (spk_oja_step) (ROW (dst, bi->dst_stride, b), ROW (src, bi->src_stride, b), post, aux,
                                  (REAL) item->scale, (REAL) item->beta, rows, cols);
          }
      }
      break;

    case SPK_OP_VOJA:
      {
        const gsize post_stride = SFX (signal_stride) (self, item->states[0].sig);
        const gsize e_stride = SFX (signal_stride) (self, item->states[1].sig);
        const gsize l_stride = SFX (signal_stride) (self, item->states[2].sig);

        for (guint b = 0; b < batch; b++)
          SFX (spk_voja_step) (ROW (dst, bi->dst_stride, b), ROW (src, bi->src_stride, b),
                               ROW ((const REAL *) bi->states[0], post_stride, b),
                               ROW ((const REAL *) bi->states[1], e_stride, b), w,
                               ROW ((const REAL *) bi->states[2], l_stride, b),
                               (REAL) item->scale, item->states[0].len, item->src.len);
      }
      break;

    case SPK_OP_RLS:
      {
        const gsize e_stride = SFX (signal_stride) (self, item->states[0].sig);
        const gsize p_stride = SFX (signal_stride) (self, item->states[1].sig);
        const gsize r_stride = SFX (signal_stride) (self, item->states[2].sig);

        for (guint b = 0; b < batch; b++)
          SFX (spk_rls_step) (ROW (dst, bi->dst_stride, b), ROW ((REAL *) bi->states[1], p_stride, b),
                              ROW ((REAL *) bi->states[2], r_stride, b),
                              ROW ((const REAL *) bi->states[0], e_stride, b), ROW (src, bi->src_stride, b),
                              item->states[0].len, item->src.len);
      }
      break;

    case SPK_OP_CALLBACK:
      _spk_simulator_run_callback (self, bop, bi, t);
      break;

    case SPK_OP_N_KINDS:
      g_assert_not_reached ();
    }
  return;

input:
  {
    const SimInput *in = bop->input;
    guint64 row = MIN (self->step - in->first_step, in->n_steps) - 1;

    for (guint b = 0; b < batch; b++)
      for (guint i = 0; i < in->size; i++)
        ROW (dst, bi->dst_stride, b)[i]
          = (REAL) in->data[((gsize) b * in->n_steps + row) * in->size + i];
  }
}

/* An operator's packed tiny items: run_item's loops for them, without
 * its dispatch per item. */
static void
SFX (run_fast) (const BoundOp *bop)
{
  const FastItem *f = bop->fast, *end = bop->fast + bop->n_items;

  switch (bop->fast_kind)
    {
    case FAST_RESET:
      for (; f < end; f++)
        if (f->len == 1)
          *(REAL *) f->dst = 0;
        else
          memset (f->dst, 0, f->len * sizeof (REAL));
      break;
    case FAST_COPY:
      for (; f < end; f++)
        if (f->len == 1)
          *(REAL *) f->dst = *(const REAL *) f->src;
        else
          memcpy (f->dst, f->src, f->len * sizeof (REAL));
      break;
    case FAST_COPY_INC:
      for (; f < end; f++)
        {
          REAL *restrict d = f->dst;
          const REAL *restrict s = f->src;

          for (gsize i = 0; i < f->len; i++)
            d[i] += s[i];
        }
      break;
    case FAST_AXPY:
      for (; f < end; f++)
        {
          REAL *restrict d = f->dst;
          const REAL *restrict w = f->param;
          const REAL x = *(const REAL *) f->src;

          for (gsize r = 0; r < f->len; r++)
            d[r] += w[r] * x;
        }
      break;
    case FAST_AXPY_SET:
      for (; f < end; f++)
        {
          REAL *restrict d = f->dst;
          const REAL *restrict w = f->param;
          const REAL *restrict bias = f->bias;

          /* d = bias, then d += w·x, in one pass: the same two roundings. */
          SFX (axpy_set) (d, bias, w, *(const REAL *) f->src, f->len);
        }
      break;
    case FAST_DOT:
      for (; f < end; f++)
        {
          *(REAL *) f->dst += SFX (dot_row) (f->param, f->src, f->len);
        }
      break;
    case FAST_DOT_INTO:
      for (; f < end; f++)
        {
          REAL *restrict d = f->dst;
          const REAL *restrict w = f->param;
          const REAL *restrict s = f->src;

          for (gsize c = 0; c < f->len; c++)
            d[0] += w[c] * s[c];
        }
      break;
    case FAST_NONE:
      g_assert_not_reached ();
    }
}

static void
SFX (run_op) (SpkSimulator *self,
              BoundOp      *bop,
              double        t)
{
  if (bop->folded)
    return;
  if (bop->fast_kind != FAST_NONE)
    {
      SFX (run_fast) (bop);
      return;
    }
  for (guint i = 0; i < bop->n_items; i++)
    SFX (run_item) (self, bop->op, bop, &bop->items[i], t);
}

void
SFX (_spk_simulator_step_ops) (SpkSimulator *self,
                               double        t)
{
  for (guint i = 0; i < self->n_ops; i++)
    SFX (run_op) (self, &self->ops[i], t);
}

/* A probe's row into its double record: a loop of its own so that it
 * vectorises. */
SPK_ISA_BODY void
SFX (widen_body) (double *restrict     out,
                  const REAL *restrict in,
                  guint                n)
{
  for (guint i = 0; i < n; i++)
    out[i] = in[i];
}
SPK_ISA_DISPATCH_VOID (static, SFX (widen), SFX (widen_body),
                       (double *restrict out, const REAL *restrict in, guint n),
                       (out, in, n))

void
SFX (_spk_simulator_record) (SpkSimulator *self)
{
  GPtrArray *probes = self->plan->probes;

  for (guint p = 0; p < probes->len; p++)
    {
      const SpkPlanProbe *probe = g_ptr_array_index (probes, p);
      const SpkPlanSignal *signal = g_ptr_array_index (self->plan->signals, probe->view.sig);
      const REAL *src = (const REAL *) self->arena + self->offsets[probe->view.sig] + probe->view.off;
      ProbeRecord *record = &self->records[p];
      double t = (double) self->step * self->plan->dt;
      gsize start;

      if (probe->period > 1.0 && fmod ((double) self->step, probe->period) >= 1.0)
        continue;
      if (self->unrecorded != NULL && self->unrecorded[p])
        continue;
      start = record->data->len;
      g_array_set_size (record->data, start + (gsize) self->batch * probe->size);
      for (guint b = 0; b < self->batch; b++)
        {
          double *out = &g_array_index (record->data, double, start + (gsize) b * probe->size);
          const REAL *row = src + (gsize) b * signal->size;

          if (probe->index)
            for (guint i = 0; i < probe->size; i++)
              out[i] = row[probe->index[i]];
          else
            SFX (widen) (out, row, probe->size);
        }
      g_array_append_val (record->times, t);
    }
}

/* NaN and infinity have every exponent bit set: an integer test whose OR
 * reduction vectorises (a float sum would need reassociation); compiled
 * for AVX-512 and AVX2 too, since baseline SSE2 has no 64-bit compare. */
SPK_ISA_BODY gboolean
SFX (all_finite_body) (const REAL *x,
                       gsize       n)
{
  const UINT *restrict bits = (const UINT *) x;
  UINT bad = 0;

  for (gsize i = 0; i < n; i++)
    bad |= (UINT) ((bits[i] & EXP_MASK) == EXP_MASK);
  return bad == 0;
}
SPK_ISA_DISPATCH (static, gboolean, SFX (all_finite), SFX (all_finite_body),
                  (const REAL *x, gsize n),
                  (x, n))

gboolean
SFX (_spk_simulator_all_finite) (const REAL *data,
                                 gsize       n)
{
  return SFX (all_finite) (data, n);
}

/* dot_row and axpy_set as the step runs them on this machine, for the
 * tests of their order of operations. */
SPK_ISA_BODY REAL
SFX (dot_row_body) (const REAL *w,
                    const REAL *s,
                    gsize       n)
{
  return SFX (dot_row) (w, s, n);
}
SPK_ISA_DISPATCH (static, REAL, SFX (dot_row_isa), SFX (dot_row_body),
                  (const REAL *w, const REAL *s, gsize n),
                  (w, s, n))

REAL
SFX (_spk_simulator_dot_row) (const REAL *w,
                              const REAL *s,
                              gsize       n)
{
  return SFX (dot_row_isa) (w, s, n);
}

SPK_ISA_BODY void
SFX (axpy_set_body) (REAL       *d,
                     const REAL *bias,
                     const REAL *w,
                     REAL        x,
                     gsize       n)
{
  SFX (axpy_set) (d, bias, w, x, n);
}
SPK_ISA_DISPATCH_VOID (static, SFX (axpy_set_isa), SFX (axpy_set_body),
                       (REAL *d, const REAL *bias, const REAL *w, REAL x, gsize n),
                       (d, bias, w, x, n))

void
SFX (_spk_simulator_axpy_set) (REAL       *d,
                               const REAL *bias,
                               const REAL *w,
                               REAL        x,
                               gsize       n)
{
  SFX (axpy_set_isa) (d, bias, w, x, n);
}

/* The first item output, in execution order, that is not finite: its
 * signal and the offset (within a row) of a bad value. */
int
SFX (_spk_simulator_find_nonfinite) (SpkSimulator *self,
                                     int          *signal,
                                     guint        *offset)
{
  /* Item outputs are signals of the arena: when all of it is finite,
   * which is every step but a failing one, one pass over it answers. */
  if (SFX (all_finite) ((const REAL *) self->arena, self->arena_len))
    return -1;
  for (guint i = 0; i < self->n_ops; i++)
    for (guint k = 0; k < self->ops[i].n_items; k++)
      {
        const BoundItem *bi = &self->ops[i].items[k];
        const SpkView *view = &bi->item->dst;

        if (view->sig < 0)
          continue;
        for (guint b = 0; b < self->batch; b++)
          {
            const REAL *row = ROW ((const REAL *) bi->dst, bi->dst_stride, b);

            if (!SFX (all_finite) (row, view->len))
              {
                guint e = 0;

                while (e < view->len && isfinite (row[e]))
                  e++;
                *signal = view->sig;
                *offset = view->off + e;
                return (int) i;
              }
          }
      }
  return -1;
}
