/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-builder-transform.c — Nengo's structured transforms as operators of
 * their own instead of the dense matrices they make.
 *
 * A Convolution runs through the Conv2D layer's kernels (SPK_OP_LAYER,
 * a CONV2D without bias), a ConvolutionTranspose through the same
 * kernels transposed, a Sparse transform as a product with its entries:
 * memory stays that of the kernel and the patches, never size_out ×
 * size_in, and the trainer trains the kernel or the entries themselves
 * (their pattern stays).  The Conv2D kernels take channels-last images
 * and one group, so channels-first inputs and groups are gathered into
 * channels-last signals per group by COPY operators, and the results
 * scattered back.
 *
 * The arena holds each kernel in the layer's layout (kh × kw × c × F per
 * group); the plan's parameter map (SpkPlanParamSlot) says which element
 * of the connection's "weights" — Nengo's kernel order, kernel_size ×
 * (input channels / groups) × n_filters, or a ConvolutionTranspose's
 * kernel_size × input channels × n_filters — each arena value is, so
 * sessions and the trainer read and write Nengo's order.
 */
#define G_LOG_DOMAIN "spk-builder"

#include "spk-builder-private.h"

#include <string.h>

#include "model/spk-transform.h"

gboolean
_spk_builder_structured_native (const SpkDistribution *dist)
{
  return dist != NULL && SPK_DIST_KIND_IS_TRANSFORM (dist->kind);
}

/* A convolution's sizes with two spatial axes (a 1-D one has a width of
 * 1), channels counted apart. */
typedef struct
{
  guint in_h, in_w, in_ch;
  guint out_h, out_w, out_ch;
} Sides;

static void
sides (const SpkDistribution *t,
       Sides                 *s)
{
  guint out[SPK_CONV_MAX_DIMS];
  const guint n_sp = t->n_dims - 1;
  const guint *in_sp = t->channels_last ? t->input_shape : t->input_shape + 1;
  const guint *out_sp = t->channels_last ? out : out + 1;

  spk_transform_output_shape (t, out);
  s->in_h = in_sp[0];
  s->in_w = n_sp > 1 ? in_sp[1] : 1;
  s->in_ch = t->channels_last ? t->input_shape[n_sp] : t->input_shape[0];
  s->out_h = out_sp[0];
  s->out_w = n_sp > 1 ? out_sp[1] : 1;
  s->out_ch = t->n_filters;
}

/* The flat index of (y, x, c) in an image of h × w × ch values laid out
 * channels last or first. */
static inline guint
flat (gboolean last,
      guint    h,
      guint    w,
      guint    ch,
      guint    y,
      guint    x,
      guint    c)
{
  return last ? (y * w + x) * ch + c : (c * h + y) * w + x;
}

/* The index, in an image laid out as the transform says, of each value of
 * the channels-last image of channels [c0, c0 + n) (NULL: the same
 * image, nothing to move). */
static guint *
channel_index (gboolean last,
               guint    h,
               guint    w,
               guint    ch,
               guint    c0,
               guint    n)
{
  guint *index;

  if (last && c0 == 0 && n == ch)
    return NULL;
  index = g_new (guint, (gsize) h * w * n);
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      for (guint c = 0; c < n; c++)
        index[(y * w + x) * n + c] = flat (last, h, w, ch, y, x, c0 + c);
  return index;
}

/* One CONV2D layer op from `in` (win's input, channels last) into a new
 * signal of its output, or for transpose from win's output into its input. */
static SpkView
add_conv_op (Builder              *b,
             SpkView               in,
             const SpkLayerWindow *win,
             guint                 filters,
             gboolean              transpose,
             gsize                 weights,
             const char           *who)
{
  SpkPlanLayer *pl = g_new0 (SpkPlanLayer, 1);
  const guint win_out = win->out_h * win->out_w * filters, win_in = win->h * win->w * win->c;
  SpkView out;
  SpkPlanOp *op;

  pl->type = SPK_LAYER_CONV2D;
  pl->transform = transpose ? SPK_PLAN_TRANSFORM_CONV_TRANSPOSE : SPK_PLAN_TRANSFORM_CONV;
  pl->win = *win;
  pl->units = filters;
  pl->n_in = transpose ? win_out : win_in;
  pl->n_out = transpose ? win_in : win_out;
  pl->weights = weights;
  pl->bias = pl->gamma = pl->beta = pl->moving_mean = pl->moving_var = G_MAXSIZE;
  out = _spk_builder_whole (b, _spk_builder_add_signal (b, pl->n_out, NULL, "%s convolved", who));
  op = _spk_builder_add_op (b, SPK_OP_LAYER, out, in, who);
  op->layer = pl;
  return out;
}

/* dst (n values) = src[index] (index NULL: all of src).  The layer
 * kernels read whole signals, batch rows side by side, so a part of a
 * shared signal (an ensemble's neurons) is copied out too. */
static SpkView
gather (Builder    *b,
        SpkView     src,
        guint      *index,
        guint       n,
        const char *who)
{
  const SpkPlanSignal *sig = g_ptr_array_index (b->plan->signals, src.sig);
  SpkView dst;
  SpkPlanOp *op;

  if (index == NULL && src.off == 0 && src.len == sig->size)
    return src;
  dst = _spk_builder_whole (b, _spk_builder_add_signal (b, n, NULL, "%s gathered", who));
  op = _spk_builder_add_op (b, SPK_OP_COPY, dst, src, who);
  ITEM (op)->src_index = index;
  ITEM (op)->n_index = n;
  return dst;
}

/* dst[index] += src (n values). */
static void
scatter (Builder    *b,
         SpkView     dst,
         SpkView     src,
         guint      *index,
         guint       n,
         const char *who)
{
  SpkPlanOp *op = _spk_builder_add_op (b, SPK_OP_COPY, dst, src, who);

  ITEM (op)->inc = TRUE;
  ITEM (op)->dst_index = index;
  ITEM (op)->n_index = n;
}

static SpkView
add_convolution (Builder               *b,
                 const SpkDistribution *t,
                 SpkView                src,
                 const double          *values,
                 const char            *key,
                 const char            *who,
                 GError               **error)
{
  const gboolean transpose = t->kind == SPK_DIST_CONVOLUTION_TRANSPOSE;
  const guint kh = t->kernel_size[0], kw = t->n_dims > 2 ? t->kernel_size[1] : 1;
  const guint groups = transpose ? 1 : t->groups;
  Sides s;
  SpkLayerWindow win = { 0 };
  guint cg, fg;
  SpkView weighted = NO_VIEW;

  sides (t, &s);
  /* The window of the forward convolution: a ConvolutionTranspose's is
   * the one from its output to its input. */
  win.h = transpose ? s.out_h : s.in_h;
  win.w = transpose ? s.out_w : s.in_w;
  win.c = (transpose ? s.out_ch : s.in_ch) / groups;
  win.kh = kh;
  win.kw = kw;
  win.stride = t->strides[0];
  win.stride_w = t->n_dims > 2 ? t->strides[1] : 0;
  win.same = t->padding_same;
  if (!spk_layer_window_init (&win, who, error))
    return NO_VIEW;
  /* spk_transform_check() made the shapes Nengo's, which are the window's. */
  g_assert (win.out_h == (transpose ? s.in_h : s.out_h) && win.out_w == (transpose ? s.in_w : s.out_w));
  cg = win.c;
  fg = (transpose ? s.in_ch : s.out_ch) / groups;

  if (groups > 1 || !t->channels_last)
    {
      weighted = _spk_builder_whole (b, _spk_builder_add_signal (b, s.out_h * s.out_w * s.out_ch, NULL,
                                                                 "%s weighted", who));
      _spk_builder_add_op (b, SPK_OP_RESET, weighted, NO_VIEW, who);
    }
  for (guint g = 0; g < groups; g++)
    {
      const gsize patch = (gsize) kh * kw * cg;
      g_autofree double *K = g_new (double, patch * fg);
      guint in_n = transpose ? fg : cg;
      SpkView in, out;
      gsize off;

      /* K (patch × filters, the layer's layout) from Nengo's kernel. */
      for (gsize p = 0; p < (gsize) kh * kw; p++)
        for (guint c = 0; c < cg; c++)
          for (guint f = 0; f < fg; f++)
            K[(p * cg + c) * fg + f] = transpose ? values[(p * fg + f) * cg + c]
                                                 : values[(p * cg + c) * s.out_ch + (gsize) g * fg + f];
      off = _spk_builder_add_params (b, K, patch * fg);
      if (transpose)
        {
          /* Position p's block (c × F here) is Nengo's F × c block transposed. */
          g_autofree guint *rows = g_new (guint, fg);

          for (gsize p = 0; p < (gsize) kh * kw; p++)
            {
              for (guint f = 0; f < fg; f++)
                rows[f] = (guint) (p * fg + f);
              _spk_builder_map_param (b, key, off + p * cg * fg, fg, cg, TRUE, FALSE, rows, 0.0);
            }
        }
      else if (groups > 1)
        {
          /* Row r of this group's block is Nengo's row r, columns g·fg…. */
          g_autofree guint *rows = g_new (guint, patch);

          for (gsize r = 0; r < patch; r++)
            rows[r] = (guint) (r * groups + g);
          _spk_builder_map_param (b, key, off, (guint) patch, fg, FALSE, FALSE, rows, 0.0);
        }
      else
        _spk_builder_map_param (b, key, off, (guint) patch, fg, FALSE, FALSE, NULL, 0.0);

      in = gather (b, src, channel_index (t->channels_last, s.in_h, s.in_w, s.in_ch, g * in_n, in_n),
                   s.in_h * s.in_w * in_n, who);
      out = add_conv_op (b, in, &win, fg, transpose, off, who);
      if (weighted.sig < 0)
        return out;
      {
        /* The output's channels [g·n, (g + 1)·n), where the transform's
         * layout puts them. */
        const guint n = transpose ? s.out_ch : fg;

        scatter (b, weighted, out, channel_index (t->channels_last, s.out_h, s.out_w, s.out_ch, g * n, n),
                 s.out_h * s.out_w * n, who);
      }
    }
  return weighted;
}

static SpkView
add_sparse (Builder               *b,
            const SpkDistribution *t,
            SpkView                src,
            const double          *values,
            const char            *key,
            const char            *who)
{
  SpkPlanLayer *pl = g_new0 (SpkPlanLayer, 1);
  const gsize nnz = spk_transform_n_values (t);
  SpkView out;
  SpkPlanOp *op;

  pl->type = SPK_LAYER_DENSE;
  pl->transform = SPK_PLAN_TRANSFORM_SPARSE;
  pl->n_out = t->shape[0];
  pl->n_in = t->shape[1];
  pl->nnz = nnz;
  pl->sparse_rows = g_new (guint, MAX (nnz, 1));
  pl->sparse_cols = g_new (guint, MAX (nnz, 1));
  if (t->indices != NULL)
    for (gsize k = 0; k < nnz; k++)
      {
        pl->sparse_rows[k] = (guint) t->indices->data[2 * k];
        pl->sparse_cols[k] = (guint) t->indices->data[2 * k + 1];
      }
  else
    {
      /* A dense init: its non-zero entries, row by row (spk_transform_weights). */
      gsize k = 0;

      for (gsize i = 0; i < t->init->array->size; i++)
        if (t->init->array->data[i] != 0.0)
          {
            pl->sparse_rows[k] = (guint) (i / t->shape[1]);
            pl->sparse_cols[k++] = (guint) (i % t->shape[1]);
          }
    }
  pl->bias = pl->gamma = pl->beta = pl->moving_mean = pl->moving_var = G_MAXSIZE;
  src = gather (b, src, NULL, pl->n_in, who);
  pl->weights = _spk_builder_add_params (b, values, nnz);
  _spk_builder_map_param (b, key, pl->weights, (guint) nnz, 1, FALSE, FALSE, NULL, 0.0);
  out = _spk_builder_whole (b, _spk_builder_add_signal (b, pl->n_out, NULL, "%s weighted", who));
  op = _spk_builder_add_op (b, SPK_OP_LAYER, out, src, who);
  op->layer = pl;
  return out;
}

SpkView
_spk_builder_add_structured (Builder               *b,
                             const SpkDistribution *t,
                             SpkView                src,
                             const double          *values,
                             const char            *key,
                             const char            *who,
                             GError               **error)
{
  if (t->kind == SPK_DIST_SPARSE)
    return add_sparse (b, t, src, values, key, who);
  return add_convolution (b, t, src, values, key, who, error);
}
