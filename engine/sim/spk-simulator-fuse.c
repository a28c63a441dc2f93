/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-simulator-fuse.c — a neuron group's update fused with the products
 * around it.
 *
 * A step sets a neuron group's current to its biases, adds each
 * ensemble's encoders into it, updates the neurons, and later adds each
 * decoded connection's decoders of the output into a signal of its own.
 * Run as separate operators, each of those passes over the group's
 * values once more, and only the update is split between the pool's
 * threads: chain-1000's thousand one-column encoders and one-row decoders
 * ran on one core while the other waited.  When the step's order allows
 * it, this binds the four into one: the group is cut into
 * SPK_FUSED_PARTS parts and each part, on whichever thread takes it,
 * sets its current, adds its encoders, updates its neurons and adds its
 * decoders — one hand-off to the pool per step, and each part's values
 * stay in one core's cache between them.
 *
 * The order allows it when nothing between the biases and the update
 * touches the current or writes an encoder's input, and nothing between
 * the update and the decoders touches the output or a decoder's target;
 * the decoders must write signals no part reads (not the encoders'
 * inputs, not the group's own) and no two the same values.
 *
 * Each value gets the same arithmetic as unfused, in the same order: a
 * row of the current gets its bias and then its encoders' terms item
 * after item; a decoder lies wholly in one part (the parts' bounds are
 * moved to fall between decoders) and sums as dot_row does.  Only groups
 * whose encoders and decoders are all small products (plain loops
 * unfused) are fused: a large product keeps its kernel, which read
 * big-ens's 640 KB matrices faster than the parts' loops did, so no
 * decoder ever spans two parts.  The parts and their order do not depend
 * on the threads, so the results do not either:
 * bit for bit those of the separate operators (/spk/sim/fused-groups).
 * Float32 at batch 1 only.  SPK_FUSE=0 in the environment turns it off,
 * to compare.
 */
#define G_LOG_DOMAIN "spk-simulator"

#include "spk-simulator-private.h"
#include "sim/spk-simulator-fuse-big.h"

#include <string.h>

#include "ops/spk-ops-neurons.h"

void
_spk_fused_free (Fused *fused)
{
  if (fused == NULL)
    return;
  g_free (fused->enc);
  g_free (fused->dec);
  g_free (fused->zeros);
  g_free (fused);
}

gboolean
_spk_op_writes (const SpkPlanOp *op,
                int              sig)
{
  for (guint k = 0; k < op->items->len; k++)
    {
      const SpkOpItem *item = spk_plan_op_item (op, k);

      if (item->dst.sig == sig)
        return TRUE;
      for (guint s = 0; s < op->n_states; s++)
        if (item->states[s].sig == sig)
          return TRUE;
    }
  return FALSE;
}

static gboolean
sig_in (GArray *sigs,
        int     sig)
{
  for (guint i = 0; i < sigs->len; i++)
    if (g_array_index (sigs, int, i) == sig)
      return TRUE;
  return FALSE;
}

static void
sig_add (GArray *sigs,
         int     sig)
{
  if (sig >= 0 && !sig_in (sigs, sig))
    g_array_append_val (sigs, sig);
}

gboolean
_spk_fuse_sets_current (const BoundOp *bop,
                        int            J)
{
  if (bop->folded)
    return FALSE;
  if (bop->op->kind == SPK_OP_SET_PARAM)
    return bop->n_items == 1 && bop->items[0].dst_whole;
  if (bop->op->kind == SPK_OP_RESET)
    for (guint k = 0; k < bop->n_items; k++)
      if (bop->items[k].item->dst.sig == J && bop->items[k].dst_whole)
        return TRUE;
  return FALSE;
}

gboolean
_spk_fuse_item_overlaps (const BoundOp *bop,
                         guint          k)
{
  const SpkOpItem *item = bop->items[k].item;

  for (guint o = 0; o < k; o++)
    {
      const SpkOpItem *other = bop->items[o].item;

      if (other->dst.sig == item->dst.sig && other->dst.off < item->dst.off + item->dst.len
          && item->dst.off < other->dst.off + other->dst.len)
        return TRUE;
    }
  return FALSE;
}

int
_spk_fuse_touching_before (SpkSimulator *self,
                           int           i,
                           int           sig)
{
  for (int j = i - 1; j >= 0; j--)
    if (_spk_op_touches (self->ops[j].op, sig))
      return j;
  return -1;
}

int
_spk_fuse_next_product (SpkSimulator *self,
                        guint         n,
                        int           out)
{
  guint d = n + 1;

  while (d < self->n_ops && !_spk_op_touches (self->ops[d].op, out))
    d++;
  if (d >= self->n_ops || self->ops[d].op->kind != SPK_OP_DOT_INC || self->ops[d].folded)
    return -1;
  return (int) d;
}

gboolean
_spk_fuse_untouched_between (SpkSimulator *self,
                             guint         a,
                             guint         b,
                             int           sig)
{
  for (guint m = a + 1; m < b; m++)
    if (_spk_op_touches (self->ops[m].op, sig))
      return FALSE;
  return TRUE;
}

gboolean
_spk_fuse_unwritten_between (SpkSimulator *self,
                             guint         a,
                             guint         b,
                             int           sig)
{
  for (guint m = a + 1; m < b; m++)
    if (_spk_op_writes (self->ops[m].op, sig))
      return FALSE;
  return TRUE;
}

/* The encoders op e (or -1) before the group's update n, and the op s
 * that first sets the current (SET_PARAM of the biases, or a RESET).
 * group: the group's own signals. */
static gboolean
find_encoders (SpkSimulator *self,
               guint         n,
               int           J,
               GArray       *group,
               int          *e,
               int          *s,
               GArray       *enc_srcs)
{
  int j = _spk_fuse_touching_before (self, (int) n, J);

  *e = *s = -1;
  if (j < 0)
    return FALSE;
  if (self->ops[j].op->kind == SPK_OP_DOT_INC && !self->ops[j].folded)
    {
      const BoundOp *bop = &self->ops[j];

      for (guint k = 0; k < bop->n_items; k++)
        {
          const SpkOpItem *item = bop->items[k].item;

          if (item->dst.sig != J || sig_in (group, item->src.sig))
            return FALSE;
          sig_add (enc_srcs, item->src.sig);
        }
      /* Nothing between may write what they read. */
      for (guint i = 0; i < enc_srcs->len; i++)
        if (!_spk_fuse_unwritten_between (self, (guint) j, n, g_array_index (enc_srcs, int, i)))
          return FALSE;
      *e = j;
      j = _spk_fuse_touching_before (self, j, J);
      if (j < 0)
        return FALSE;
    }
  if (!_spk_fuse_sets_current (&self->ops[j], J))
    return FALSE;
  *s = j;
  return TRUE;
}

/* The decoders op (or -1) after the group's update n: the first op to
 * read the output, when it is a product of it alone into signals nothing
 * in the fused group reads and nothing in between touches. */
static int
find_decoders (SpkSimulator *self,
               guint         n,
               int           out,
               GArray       *group,
               GArray       *enc_srcs)
{
  g_autoptr (GArray) dsts = g_array_new (FALSE, FALSE, sizeof (int));
  int d = _spk_fuse_next_product (self, n, out);
  const BoundOp *bop;

  if (d < 0)
    return -1;
  bop = &self->ops[d];
  for (guint k = 0; k < bop->n_items; k++)
    {
      const SpkOpItem *item = bop->items[k].item;

      if (item->src.sig != out || sig_in (group, item->dst.sig) || sig_in (enc_srcs, item->dst.sig))
        return -1;
      sig_add (dsts, item->dst.sig);
      /* No two write the same values (parts run at once). */
      if (_spk_fuse_item_overlaps (bop, k))
        return -1;
    }
  for (guint i = 0; i < dsts->len; i++)
    if (!_spk_fuse_untouched_between (self, n, (guint) d, g_array_index (dsts, int, i)))
      return -1;
  return d;
}

/* Whether a product is small: summed by plain loops unfused, so that
 * fused, lying in one part, it sums the same way. */
static gboolean
is_small (const SpkOpItem *item)
{
  return (gsize) item->rows * item->cols <= SPK_SIM_SMALL_PRODUCT;
}

/* The parts' bounds: even, moved up to the end of any decoder they would
 * cut (every decoder is small, so each lies in one part). */
static void
cut_parts (Fused         *f,
           const BoundOp *dec_op)
{
  f->bounds[0] = 0;
  f->bounds[SPK_FUSED_PARTS] = f->n;
  for (guint p = 1; p < SPK_FUSED_PARTS; p++)
    {
      gsize t = MIN (f->n, (p * f->n / SPK_FUSED_PARTS + 15) / 16 * 16);
      gboolean moved = TRUE;

      t = MAX (t, f->bounds[p - 1]);
      while (moved && dec_op != NULL)
        {
          moved = FALSE;
          for (guint k = 0; k < dec_op->n_items; k++)
            {
              const SpkOpItem *item = dec_op->items[k].item;

              if (item->src.off < t && t < item->src.off + item->src.len)
                t = item->src.off + item->src.len, moved = TRUE;
            }
        }
      f->bounds[p] = t;
    }
}

#define AT(ptr, i) ((const char *) (ptr) + (gsize) (i) * self->elem_size)

/* Part p's encoders, clipped to it, in order; whether they set its
 * current end to end (each row written first by exactly one of them, in
 * order), so the first write of each row adds the bias. */
static void
part_encoders (SpkSimulator  *self,
               Fused         *f,
               const BoundOp *enc_op,
               guint          p,
               GArray        *out)
{
  g_autoptr (GArray) los = g_array_new (FALSE, FALSE, sizeof (gsize));
  const gsize a = f->bounds[p], b = f->bounds[p + 1];
  guint first = out->len;
  gsize next = a;

  for (guint k = 0; enc_op != NULL && k < enc_op->n_items; k++)
    {
      const BoundItem *bi = &enc_op->items[k];
      const SpkOpItem *item = bi->item;
      const gsize row0 = item->dst.off, lo = MAX (a, row0), hi = MIN (b, row0 + item->rows);
      FusedEnc e = { 0 };

      if (lo >= hi || item->cols == 0)
        continue;
      e.d = (char *) AT (self->arena, self->offsets[item->dst.sig] + lo);
      e.x = bi->src;
      e.n = hi - lo;
      e.cols = item->cols;
      if (item->cols == 1)
        e.shape = FUSED_AXPY, e.w = AT (bi->param, lo - row0);
      else if (item->transposed)
        e.shape = FUSED_COLS, e.w = AT (bi->param, lo - row0), e.stride = item->rows;
      else
        e.shape = FUSED_ROWS, e.w = AT (bi->param, (lo - row0) * item->cols), e.stride = item->cols;
      next = next == lo ? hi : G_MAXSIZE;
      g_array_append_val (out, e);
      g_array_append_val (los, lo);
    }
  f->tiled[p] = out->len > first && next == b;
  for (guint i = first; f->tiled[p] && i < out->len; i++)
    g_array_index (out, FusedEnc, i).bias = AT (f->bias, g_array_index (los, gsize, i - first));
}

static void
fuse_group (SpkSimulator *self,
            guint         n)
{
  BoundOp *nop = &self->ops[n];
  const SpkOpItem *item;
  g_autoptr (GArray) group = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (GArray) enc_srcs = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (GArray) encs = g_array_new (FALSE, FALSE, sizeof (FusedEnc));
  g_autoptr (GArray) decs = g_array_new (FALSE, FALSE, sizeof (FusedDec));
  const BoundOp *enc_op, *dec_op;
  int e, s, d;
  Fused *f;

  if (nop->n_items != 1 || spk_neuron_kind_draws (nop->op->neuron_type->kind)
      || !nop->items[0].dst_whole || !nop->items[0].src_whole || nop->op->n_states > SPK_OP_MAX_STATES)
    return;
  item = nop->items[0].item;
  sig_add (group, item->src.sig);
  sig_add (group, item->dst.sig);
  for (guint st = 0; st < nop->op->n_states; st++)
    {
      /* Each state a whole signal of the group's size. */
      if (item->states[st].off != 0 || item->states[st].len != item->dst.len)
        return;
      sig_add (group, item->states[st].sig);
    }
  if (item->src.len != item->dst.len || item->dst.len == 0)
    return;
  if (!find_encoders (self, n, item->src.sig, group, &e, &s, enc_srcs))
    return;
  d = find_decoders (self, n, item->dst.sig, group, enc_srcs);
  if (e < 0 && d < 0)
    return;
  enc_op = e >= 0 ? &self->ops[e] : NULL;
  dec_op = d >= 0 ? &self->ops[d] : NULL;
  /* Only small products (plain loops unfused: chain-1000's thousand
   * ensembles): a large one keeps its kernel, which reads its matrix
   * faster than the parts' loops did (big-ens ran slower fused). */
  for (guint k = 0; enc_op != NULL && k < enc_op->n_items; k++)
    if (!is_small (enc_op->items[k].item))
      return;
  for (guint k = 0; dec_op != NULL && k < dec_op->n_items; k++)
    if (!is_small (dec_op->items[k].item) || dec_op->items[k].item->src.len != dec_op->items[k].item->cols)
      return;

  f = g_new0 (Fused, 1);
  f->n = item->dst.len;
  if (self->ops[s].op->kind == SPK_OP_SET_PARAM)
    f->bias = self->ops[s].items[0].param;
  else
    f->bias = f->zeros = g_malloc0_n (f->n, self->elem_size);
  cut_parts (f, dec_op);

  for (guint p = 0; p < SPK_FUSED_PARTS; p++)
    {
      f->enc_off[p] = encs->len;
      part_encoders (self, f, enc_op, p, encs);
    }
  f->enc_off[SPK_FUSED_PARTS] = encs->len;

  for (guint p = 0; p < SPK_FUSED_PARTS; p++)
    {
      const gsize a = f->bounds[p], b = f->bounds[p + 1];

      f->dec_off[p] = decs->len;
      for (guint k = 0; dec_op != NULL && k < dec_op->n_items; k++)
        {
          const BoundItem *bi = &dec_op->items[k];
          const SpkOpItem *di = bi->item;
          const gsize col0 = di->src.off, lo = MAX (a, col0), hi = MIN (b, col0 + di->cols);
          FusedDec dd = { 0 };

          if (lo >= hi || di->rows == 0)
            continue;
          /* cut_parts keeps every decoder in one part. */
          g_assert (lo == col0 && hi == col0 + di->cols);
          dd.acc = bi->dst;
          dd.s = AT (bi->src, lo - col0);
          dd.n = hi - lo;
          dd.rows = di->rows;
          dd.transposed = di->transposed;
          dd.stride = di->transposed ? di->rows : di->cols;
          dd.w = AT (bi->param, di->transposed ? (lo - col0) * di->rows : lo - col0);
          g_array_append_val (decs, dd);
        }
    }
  f->dec_off[SPK_FUSED_PARTS] = decs->len;
  f->enc = (FusedEnc *) g_array_free (g_steal_pointer (&encs), FALSE);
  f->dec = (FusedDec *) g_array_free (g_steal_pointer (&decs), FALSE);

  nop->fused = f;
  if (self->ops[s].op->kind == SPK_OP_SET_PARAM)
    self->ops[s].folded = TRUE;   /* a RESET stays: it may zero other signals too */
  if (e >= 0)
    self->ops[e].folded = TRUE;
  if (d >= 0)
    self->ops[d].folded = TRUE;
}

void
_spk_simulator_fuse (SpkSimulator *self)
{
  /* SPK_FUSE=0 runs every op on its own, to compare (docs/performance.md). */
  if (self->plan->dtype != SPK_DTYPE_FLOAT32 || self->batch != 1 || g_strcmp0 (g_getenv ("SPK_FUSE"), "0") == 0)
    return;
  for (guint n = 0; n < self->n_ops; n++)
    if (self->ops[n].op->kind == SPK_OP_NEURONS && !self->ops[n].folded)
      fuse_group (self, n);
  _spk_simulator_fuse_big (self);
}
