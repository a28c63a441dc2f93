/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-simulator-fuse-big.c — a large neuron group's step fused with its
 * encoders and decoders.
 *
 * big-ens (one ensemble of 10,000 LIF neurons in 16 dimensions) steps
 * through two products around its update: the currents J = bias + E·x
 * (10,000 × 16) and the decoded values y += D·a (16 × 10,000, twice: the
 * recurrent connection and the probe).  As separate operators each is one
 * latency-bound single-row product on one core, and the update waits for
 * them.  Here the group is cut into SPK_FUSED_BIG_PARTS blocks of
 * contiguous neurons, and each block, on whichever of the pool's threads
 * takes it (each thread takes the same blocks every step, so their
 * weights stay in its core's cache), sets its currents from its biases
 * and the encoders (stored neuron-minor: the builder keeps tall encoders
 * transposed), updates its neurons while those currents are in L1, and
 * sums its decoders over its nonzero activities (a copy of the decoders
 * stored neuron-major, made here once, so a silent neuron costs nothing).
 * Afterwards each decoded row gets its blocks' sums in block order.  The
 * kernels are engine/ops/spk-ops-encode-decode.c.
 *
 * The order of the step allows it under the same rules as the small
 * groups' fusion (spk-simulator-fuse.c): nothing between the biases and
 * the update touches the current or writes the encoders' input, nothing
 * between the update and the decoders touches the output or a decoder's
 * target, and the decoders write no signal the group or its encoders read,
 * nor two the same values.  It takes one encoder product covering the
 * whole current and decoders that each read the whole output (one
 * ensemble; a merged group of several large ensembles stays unfused), up
 * to SPK_DECODE_MAX_ROWS decoded values in all.
 *
 * Float32 at batch 1 only, like the small groups' fusion: float64 models
 * keep the separate operators and so Nengo's round-off.  The sums are in
 * a different order from OpenBLAS's (fused multiply-adds, four partial
 * sums per block), so the values differ from the unfused step's by
 * float32 round-off (/spk/sim/fused-big compares them, and one thread
 * with two bit for bit).  SPK_FUSE_BIG=0 (or SPK_FUSE=0) turns it off.
 */
#define G_LOG_DOMAIN "spk-simulator"

#include "sim/spk-simulator-fuse-big.h"

#include <string.h>

#include "core/spk-env.h"
#include "core/spk-pool.h"
#include "ops/spk-ops-encode-decode.h"
#include "ops/spk-ops-neurons.h"

/* One decoder: its target and its rows' place in the packed copy. */
typedef struct
{
  float *dst;
  guint  rows;
  guint  row0;
} BigDecoder;

struct _FusedBig
{
  SpkIsa        isa;
  gsize         n;                               /* neurons */
  gsize         bounds[SPK_FUSED_BIG_PARTS + 1]; /* block p: [bounds[p], bounds[p + 1]) */
  const float  *bias;
  float        *zeros;       /* the biases when the current starts from zero */
  const float  *enc;         /* Eᵀ: dimension d's entries at enc + d·n; NULL: no encoders */
  const float  *x;           /* the encoders' input */
  guint         dims;
  float        *dec;         /* neuron i's decoder rows at dec + i·rows; NULL: no decoders */
  guint         rows;        /* packed rows, a multiple of SPK_DECODE_ROW_ALIGN */
  float        *sums;        /* SPK_FUSED_BIG_PARTS × rows: each block's sums */
  guint32      *idx;         /* each block's active neurons: block p's at idx + bounds[p] + p·slack */
  BigDecoder   *decoders;
  guint         n_decoders;
};

/* Groups smaller than this are not worth splitting between threads (a
 * hand-off costs about a microsecond; a neuron's current, update and
 * decoders here take a few nanoseconds). */
#define BIG_SPLIT_MIN_NEURONS 2048

void
_spk_fused_big_free (FusedBig *big)
{
  if (big == NULL)
    return;
  g_free (big->zeros);
  g_free (big->dec);
  g_free (big->sums);
  g_free (big->idx);
  g_free (big->decoders);
  g_free (big);
}

/* Whether signal sig is one of the neuron op's own (current, output, states). */
static gboolean
in_group (const SpkOpItem *nitem,
          guint            n_states,
          int              sig)
{
  if (sig == nitem->src.sig || sig == nitem->dst.sig)
    return TRUE;
  for (guint s = 0; s < n_states; s++)
    if (sig == nitem->states[s].sig)
      return TRUE;
  return FALSE;
}

/* The encoders e (or -1) and the op s setting the current before the
 * update n; FALSE when the order does not allow fusing them. */
static gboolean
find_current (SpkSimulator *self,
              guint         n,
              int          *e,
              int          *s)
{
  const SpkOpItem *nitem = self->ops[n].items[0].item;
  const int J = nitem->src.sig;
  int j = _spk_fuse_touching_before (self, (int) n, J);
  const BoundOp *bop;

  *e = *s = -1;
  if (j < 0 || self->ops[j].folded)
    return FALSE;
  bop = &self->ops[j];
  if (bop->op->kind == SPK_OP_DOT_INC)
    {
      const SpkOpItem *item = bop->items[0].item;

      /* One product into the whole current, its matrix stored transposed
       * (neuron-minor), from a signal the group does not own that nothing
       * up to the update writes. */
      if (bop->n_items != 1 || item->dst.sig != J || !bop->items[0].dst_whole || !item->transposed
          || item->rows != nitem->src.len || item->cols == 0 || item->src.len != item->cols
          || in_group (nitem, self->ops[n].op->n_states, item->src.sig))
        return FALSE;
      if (!_spk_fuse_unwritten_between (self, (guint) j, n, item->src.sig))
        return FALSE;
      *e = j;
      j = _spk_fuse_touching_before (self, j, J);
      if (j < 0 || self->ops[j].folded)
        return FALSE;
      bop = &self->ops[j];
    }
  if (!_spk_fuse_sets_current (bop, J))
    return FALSE;
  *s = j;
  return TRUE;
}

/* The decoders op after the update n (or -1): the first op to touch the
 * output, when each of its items is a product of the whole output into a
 * signal nothing in the group or its encoders uses, no two overlap, and
 * nothing up to it touches their targets. */
static int
find_decoders (SpkSimulator *self,
               guint         n,
               int           e)
{
  const SpkOpItem *nitem = self->ops[n].items[0].item;
  const int out = nitem->dst.sig;
  const int x = e >= 0 ? self->ops[e].items[0].item->src.sig : -1;
  const int d = _spk_fuse_next_product (self, n, out);
  guint rows = 0;
  const BoundOp *bop;

  if (d < 0)
    return -1;
  bop = &self->ops[d];
  for (guint k = 0; k < bop->n_items; k++)
    {
      const SpkOpItem *item = bop->items[k].item;

      if (item->src.sig != out || !bop->items[k].src_whole || item->cols != nitem->dst.len
          || in_group (nitem, self->ops[n].op->n_states, item->dst.sig) || item->dst.sig == x
          || item->rows == 0)
        return -1;
      rows += item->rows;
      if (_spk_fuse_item_overlaps (bop, k) || !_spk_fuse_untouched_between (self, n, (guint) d, item->dst.sig))
        return -1;
    }
  if ((rows + SPK_DECODE_ROW_ALIGN - 1) / SPK_DECODE_ROW_ALIGN * SPK_DECODE_ROW_ALIGN > SPK_DECODE_MAX_ROWS)
    return -1;
  return d;
}

static gboolean
large (const BoundOp *bop)
{
  for (guint k = 0; bop != NULL && k < bop->n_items; k++)
    if ((gsize) bop->items[k].item->rows * bop->items[k].item->cols > SPK_SIM_SMALL_PRODUCT)
      return TRUE;
  return FALSE;
}

/* The decoders of dec_op, neuron-major: neuron i's rows of every decoder
 * side by side (zero-padded). */
static void
pack_decoders (FusedBig      *big,
               const BoundOp *dec_op)
{
  guint row0 = 0;

  for (guint k = 0; k < dec_op->n_items; k++)
    row0 += dec_op->items[k].item->rows;
  big->rows = (row0 + SPK_DECODE_ROW_ALIGN - 1) / SPK_DECODE_ROW_ALIGN * SPK_DECODE_ROW_ALIGN;
  big->dec = g_new0 (float, big->n * big->rows);
  big->sums = g_new0 (float, (gsize) SPK_FUSED_BIG_PARTS * big->rows);
  big->idx = g_new (guint32, big->n + (gsize) SPK_FUSED_BIG_PARTS * SPK_DECODE_IDX_SLACK);
  big->n_decoders = dec_op->n_items;
  big->decoders = g_new0 (BigDecoder, dec_op->n_items);
  row0 = 0;
  for (guint k = 0; k < dec_op->n_items; k++)
    {
      const BoundItem *bi = &dec_op->items[k];
      const SpkOpItem *item = bi->item;
      const float *W = bi->param;

      /* W is rows × n, or n × rows when stored transposed. */
      for (gsize i = 0; i < big->n; i++)
        for (guint r = 0; r < item->rows; r++)
          big->dec[i * big->rows + row0 + r] = item->transposed ? W[i * item->rows + r] : W[(gsize) r * big->n + i];
      big->decoders[k] = (BigDecoder) { bi->dst, item->rows, row0 };
      row0 += item->rows;
    }
}

static void
fuse_big_group (SpkSimulator *self,
                guint         n)
{
  BoundOp *nop = &self->ops[n];
  const SpkOpItem *nitem;
  const BoundOp *enc_op, *dec_op;
  FusedBig *big;
  int e, s, d;

  if (nop->folded || nop->fused != NULL || nop->big != NULL || nop->n_items != 1
      || spk_neuron_kind_draws (nop->op->neuron_type->kind) || !nop->items[0].dst_whole
      || !nop->items[0].src_whole || nop->op->n_states > SPK_OP_MAX_STATES)
    return;
  nitem = nop->items[0].item;
  if (nitem->src.len != nitem->dst.len || nitem->dst.len == 0 || nitem->src.sig == nitem->dst.sig)
    return;
  for (guint st = 0; st < nop->op->n_states; st++)
    if (nitem->states[st].off != 0 || nitem->states[st].len != nitem->dst.len)
      return;
  if (!find_current (self, n, &e, &s))
    return;
  d = find_decoders (self, n, e);
  enc_op = e >= 0 ? &self->ops[e] : NULL;
  dec_op = d >= 0 ? &self->ops[d] : NULL;
  /* Small products are the small groups' fusion's (spk-simulator-fuse.c). */
  if (!large (enc_op) && !large (dec_op))
    return;

  big = g_new0 (FusedBig, 1);
  big->isa = spk_cpu_isa ();
  big->n = nitem->dst.len;
  for (guint p = 0; p <= SPK_FUSED_BIG_PARTS; p++)
    big->bounds[p] = MIN (big->n, (p * big->n / SPK_FUSED_BIG_PARTS + 15) / 16 * 16);
  big->bounds[SPK_FUSED_BIG_PARTS] = big->n;
  if (self->ops[s].op->kind == SPK_OP_SET_PARAM)
    big->bias = self->ops[s].items[0].param;
  else
    big->bias = big->zeros = g_new0 (float, big->n);
  if (enc_op != NULL)
    {
      big->enc = enc_op->items[0].param;
      big->x = enc_op->items[0].src;
      big->dims = enc_op->items[0].item->cols;
    }
  if (dec_op != NULL)
    pack_decoders (big, dec_op);

  g_debug ("%s: %zu neurons fused with %u-dimensional encoders and %u decoded values",
           nop->op->owner, big->n, big->dims, big->rows);
  nop->big = big;
  if (self->ops[s].op->kind == SPK_OP_SET_PARAM)
    self->ops[s].folded = TRUE;   /* a RESET stays: it may zero other signals too */
  if (e >= 0)
    self->ops[e].folded = TRUE;
  if (d >= 0)
    self->ops[d].folded = TRUE;
}

gboolean _spk_simulator_fuse_big_enabled = TRUE;

void
_spk_simulator_fuse_big (SpkSimulator *self)
{
  if (self->plan->dtype != SPK_DTYPE_FLOAT32 || self->batch != 1 || !_spk_simulator_fuse_big_enabled
      || spk_env_switched_off ("SPK_FUSE_BIG"))
    return;
#if defined(__x86_64__)
  /* Without FMA the kernels' fmaf() is a library routine: slower than
   * the separate operators. */
  if (spk_cpu_isa () == SPK_ISA_BASELINE)
    return;
#endif
  for (guint n = 0; n < self->n_ops; n++)
    if (self->ops[n].op->kind == SPK_OP_NEURONS)
      fuse_big_group (self, n);
}

typedef struct
{
  const FusedBig      *big;
  const SpkNeuronType *type;
  float                dt;
  float               *J;
  float               *out;
  float               *states[SPK_OP_MAX_STATES];
  guint                n_states;
} BigJob;

static void
big_part (gpointer data,
          gsize    begin,
          gsize    end)
{
  const BigJob *job = data;
  const FusedBig *big = job->big;

  for (gsize p = begin; p < end; p++)
    {
      const gsize a = big->bounds[p], b = big->bounds[p + 1];
      float *states[SPK_OP_MAX_STATES];

      if (a == b)
        {
          if (big->dec != NULL)
            memset (big->sums + p * big->rows, 0, big->rows * sizeof (float));
          continue;
        }
      if (big->enc != NULL)
        spk_encode_block_f32 (big->isa, job->J + a, big->bias + a, big->enc + a, big->n, big->x, big->dims,
                              b - a);
      else
        memcpy (job->J + a, big->bias + a, (b - a) * sizeof (float));
      for (guint s = 0; s < job->n_states; s++)
        states[s] = job->states[s] + a;
      spk_neuron_step_f32 (job->type, job->dt, job->J + a, job->out + a, states, b - a, NULL);
      if (big->dec != NULL)
        spk_decode_block_f32 (big->isa, big->sums + p * big->rows, big->dec + a * big->rows, big->rows,
                              job->out + a, b - a, big->idx + a + p * SPK_DECODE_IDX_SLACK);
    }
}

void
_spk_fused_big_step_f32 (SpkSimulator    *self,
                         const SpkPlanOp *op,
                         const BoundOp   *bop)
{
  const FusedBig *big = bop->big;
  const BoundItem *bi = &bop->items[0];
  BigJob job = { big, op->neuron_type, (float) self->plan->dt, (float *) bi->src, bi->dst, { NULL }, op->n_states };
  const gboolean split = self->pool_neurons && big->n >= BIG_SPLIT_MIN_NEURONS;

  for (guint s = 0; s < op->n_states; s++)
    job.states[s] = bi->states[s];
  spk_pool_for (big_part, &job, SPK_FUSED_BIG_PARTS, 1, split ? 0 : G_MAXSIZE);
  /* Each decoded value: its blocks' sums in block order, then into its
   * target as the separate product would add. */
  for (guint k = 0; k < big->n_decoders; k++)
    {
      const BigDecoder *dd = &big->decoders[k];

      for (guint r = 0; r < dd->rows; r++)
        {
          const float *col = big->sums + dd->row0 + r;
          float sum = col[0];

          for (guint p = 1; p < SPK_FUSED_BIG_PARTS; p++)
            sum += col[(gsize) p * big->rows];
          dd->dst[r] += sum;
        }
    }
}
