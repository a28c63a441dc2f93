/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-nir-layers.c — NIR's convolutions and poolings (Conv1d, Conv2d,
 * SumPool2d, AvgPool2d) as the engine's Conv2D layer (docs/nir.md).
 *
 * NIR's images are channels-first (C × H × W) with PyTorch's padding,
 * strides, dilation and groups; the engine's Conv2D is channels-last with
 * a kernel, strides per axis and "valid" padding.  The mapping is exact
 * and needs no new kernel:
 *   - the edge in connects through a list slice that puts each C × H × W
 *     value at its place in a zero-padded H' × W' × C input (the cells it
 *     leaves are the padding: the layer's input is zeroed every step);
 *   - the kernel spans the dilated extents, NIR's weights at their
 *     dilated places and zeros elsewhere (also across groups);
 *   - the layer steps as NIR's strides do, down and across;
 *   - a pass-through Node takes the NIR outputs, in C × H × W order,
 *     through a list slice of the layer's output (which leaves out the
 *     positions the padded input adds beyond NIR's output).
 * Conv1d is the 2-D case with width 1; a pooling is a grouped convolution
 * (one group per channel) with weights 1 (SumPool2d) or 1/(kh·kw)
 * (AvgPool2d, padding counted as PyTorch's default does). */
#define G_LOG_DOMAIN "spk-nir"

#include "spk-nir-convert-private.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"
#include "io/spk-hdf5-array.h"
#include "model/spk-layer.h"
#include "model/spk-node.h"

#define node_fail _spk_nir_node_fail

/* No image side or kernel larger than this. */
#define MAX_SIDE 65536

typedef struct
{
  guint c, h, w;          /* NIR input, channels first */
  guint f;                /* output channels */
  guint kh, kw, sh, sw, ph, pw, dh, dw, groups;
  guint oh, ow;           /* NIR output */
  guint ekh, ekw, hp, wp, ohe, owe;  /* the engine's kernel, padded input and output */
} Geometry;

/* A parameter of 1 or `n` whole numbers (NIR writes an int or a tuple), each
 * at least `min`; fallback when missing. */
static gboolean
whole_numbers (SpkNirConverter *c,
               const char      *name,
               guint            n,
               guint            min,
               guint            fallback,
               guint           *out)
{
  SpkNirArray *a = _spk_nir_node_param (c->node, name);

  for (guint i = 0; i < n; i++)
    out[i] = fallback;
  if (a == NULL)
    return TRUE;
  if (a->size != 1 && a->size != n)
    return node_fail (c, SPK_IO_ERROR_VALUE, _("'%s' must hold 1 or %u whole numbers"), name, n);
  for (guint i = 0; i < n; i++)
    {
      double v = a->values[a->size == 1 ? 0 : i];

      if (!(v >= min) || v != floor (v) || v > MAX_SIDE)
        return node_fail (c, SPK_IO_ERROR_VALUE, _("'%s' must hold whole numbers from %u to %d (got %g)"),
                          name, min, MAX_SIDE, v);
      out[i] = (guint) v;
    }
  return TRUE;
}

/* The value feeding the node (its first source), for its shape. */
static const SpkNirValue *
source (SpkNirConverter *c)
{
  GPtrArray *in = c->in_edges[c->index];

  for (guint k = 0; in && k < in->len; k++)
    {
      const SpkNirValue *v = &c->values[GPOINTER_TO_UINT (g_ptr_array_index (in, k))];

      if (v->done)
        return v;
    }
  return NULL;
}

/* The output size and the engine's window; FALSE when the kernel does not
 * fit the padded input or the sizes are out of range. */
static gboolean
geometry_init (SpkNirConverter *c,
               Geometry        *g,
               gboolean         same)
{
  const guint64 ekh = (guint64) g->dh * (g->kh - 1) + 1, ekw = (guint64) g->dw * (g->kw - 1) + 1;

  if (same)
    {
      /* PyTorch's 'same' (stride 1): the output as large as the input. */
      g->oh = g->h;
      g->ow = g->w;
    }
  else if (g->h + 2 * (guint64) g->ph < ekh || g->w + 2 * (guint64) g->pw < ekw)
    return node_fail (c, SPK_IO_ERROR_VALUE,
                      _("the kernel (%" PRIu64 " × %" PRIu64 " with dilation) is larger than the padded input "
                        "(%" PRIu64 " × %" PRIu64 ")"),
                      ekh, ekw, g->h + 2 * (guint64) g->ph, g->w + 2 * (guint64) g->pw);
  else
    {
      g->oh = (guint) ((g->h + 2 * (guint64) g->ph - ekh) / g->sh + 1);
      g->ow = (guint) ((g->w + 2 * (guint64) g->pw - ekw) / g->sw + 1);
    }
  if (ekh > 4096 || ekw > 4096 || g->sh > 4096 || g->sw > 4096)
    return node_fail (c, SPK_IO_ERROR_VALUE, _("the convolution is too large"));
  g->ekh = (guint) ekh;
  g->ekw = (guint) ekw;
  g->hp = (guint) MAX ((guint64) g->h + g->ph, (guint64) (g->oh - 1) * g->sh + g->ekh);
  g->wp = (guint) MAX ((guint64) g->w + g->pw, (guint64) (g->ow - 1) * g->sw + g->ekw);
  g->ohe = (g->hp - g->ekh) / g->sh + 1;
  g->owe = (g->wp - g->ekw) / g->sw + 1;
  if ((guint64) g->hp * g->wp * g->c > G_MAXINT || (guint64) g->ekh * g->ekw * g->c * g->f > G_MAXINT
      || (guint64) g->ohe * g->owe * g->f > G_MAXINT)
    return node_fail (c, SPK_IO_ERROR_VALUE, _("the convolution is too large"));
  return TRUE;
}

/* The layer, its entry, and the Node of its output in NIR's order.
 * weight(fo, ci_local, i, j) gives the NIR kernel. */
static gboolean
build (SpkNirConverter *c,
       SpkNirValue     *v,
       const Geometry  *g,
       double         (*weight) (gconstpointer data, guint fo, guint ci, guint i, guint j),
       gconstpointer    data,
       const SpkNirArray *bias,
       gboolean         trainable)
{
  g_autoptr (SpkLayer) layer = spk_layer_new (SPK_LAYER_CONV2D);
  g_autoptr (SpkNode) out = spk_node_new ();
  g_autofree char *label = _spk_nir_label (c, NULL);
  /* TRANSLATORS: the engine layer under a NIR convolution or pooling, e.g. "Conv2d 0 layer" */
  g_autofree char *layer_label = _spk_nir_label (c, _("layer"));
  const guint cg = g->c / g->groups, fg = g->f / g->groups;
  const gsize n_in = (gsize) g->c * g->h * g->w, n_out = (gsize) g->f * g->oh * g->ow;
  g_autofree gint64 *into = g_new (gint64, n_in);
  g_autofree gint64 *from = g_new (gint64, n_out);
  SpkArray *kernel = spk_array_new (2, (gsize) g->ekh * g->ekw * g->c, g->f);

  memset (kernel->data, 0, kernel->size * sizeof (double));
  for (guint fo = 0; fo < g->f; fo++)
    for (guint cl = 0; cl < cg; cl++)
      for (guint i = 0; i < g->kh; i++)
        for (guint j = 0; j < g->kw; j++)
          {
            const guint ci = (fo / fg) * cg + cl;
            const gsize row = ((gsize) (i * g->dh) * g->ekw + j * g->dw) * g->c + ci;

            kernel->data[row * g->f + fo] = weight (data, fo, cl, i, j);
          }
  spk_layer_set_shape (layer, g->hp, g->wp, g->c);
  g_object_set (layer, "filters", g->f, "kernel-size", g->ekh, "kernel-width", g->ekw == g->ekh ? 0 : g->ekw,
                "padding", SPK_PADDING_VALID, "use-bias", bias != NULL, NULL);
  spk_layer_set_strides_hw (layer, g->sh, g->sw);
  spk_object_set_trainable (SPK_OBJECT (layer), trainable);
  if (!_spk_nir_add_object (c, layer, layer_label))
    {
      spk_array_unref (kernel);
      return FALSE;
    }
  _spk_nir_set_param (c, SPK_OBJECT (layer), "weights", kernel);
  if (bias)
    _spk_nir_set_param (c, SPK_OBJECT (layer), "bias", spk_array_new_vector (bias->values, g->f));
  /* C × H × W into the padded H' × W' × C … */
  for (guint ch = 0; ch < g->c; ch++)
    for (guint y = 0; y < g->h; y++)
      for (guint x = 0; x < g->w; x++)
        into[((gsize) ch * g->h + y) * g->w + x] = ((gint64) (y + g->ph) * g->wp + (x + g->pw)) * g->c + ch;
  _spk_nir_add_entry (v, SPK_OBJECT (layer), FALSE, NULL, spk_slice_new_list (into, n_in), NULL, NULL);
  /* … and the outputs NIR keeps back to F × OH × OW. */
  for (guint fo = 0; fo < g->f; fo++)
    for (guint r = 0; r < g->oh; r++)
      for (guint q = 0; q < g->ow; q++)
        from[((gsize) fo * g->oh + r) * g->ow + q]
          = ((gint64) r * g->owe + q) * g->f + fo;
  spk_node_set_size_in (out, (guint) n_out);
  if (!_spk_nir_add_object (c, out, label))
    return FALSE;
  {
    g_autoptr (SpkSlice) pick = spk_slice_new_list (from, n_out);

    if (!_spk_nir_connect (c, SPK_OBJECT (layer), FALSE, SPK_OBJECT (out), FALSE, pick, NULL, NULL, NULL))
      return FALSE;
  }
  v->object = SPK_OBJECT (out);
  v->rank = 3;
  v->dims[0] = g->f;
  v->dims[1] = g->oh;
  v->dims[2] = g->ow;
  v->size = n_out;
  v->in_size = n_in;
  return TRUE;
}

typedef struct
{
  const SpkNirArray *w;
  guint              cg, kh, kw;
} ConvWeights;

static double
conv_weight (gconstpointer data,
             guint         fo,
             guint         ci,
             guint         i,
             guint         j)
{
  const ConvWeights *cw = data;

  return cw->w->values[(((gsize) fo * cw->cg + ci) * cw->kh + i) * cw->kw + j];
}

static double
pool_weight (gconstpointer data,
             guint         fo,
             guint         ci,
             guint         i,
             guint         j)
{
  return *(const double *) data;
}

gboolean
_spk_nir_convert_conv (SpkNirConverter *c,
                       SpkNirValue     *v,
                       guint            dims)
{
  SpkNirArray *w = _spk_nir_param_shaped (c, "weight", dims + 2);
  SpkNirArray *bias = _spk_nir_node_param (c->node, "bias");
  SpkNirArray *shape = _spk_nir_node_param (c->node, "input_shape");
  const char *padding = g_hash_table_lookup (c->node->texts, "padding");
  const SpkNirValue *in = source (c);
  guint stride[2], pad[2] = { 0, 0 }, dilation[2], groups, side[2] = { 1, 1 };
  Geometry g = { 0 };
  ConvWeights cw;

  if (w == NULL || !whole_numbers (c, "stride", dims, 1, 1, stride)
      || !whole_numbers (c, "dilation", dims, 1, 1, dilation) || !whole_numbers (c, "groups", 1, 1, 1, &groups))
    return FALSE;
  /* The spatial input: input_shape, or the shape of what feeds it. */
  if (shape != NULL && shape->size == dims)
    {
      if (!whole_numbers (c, "input_shape", dims, 1, 1, side))
        return FALSE;
    }
  else if (in != NULL && in->rank == dims + 1)
    for (guint d = 0; d < dims; d++)
      side[d] = (guint) MIN (in->dims[d + 1], MAX_SIDE);
  else
    return node_fail (c, SPK_IO_ERROR_VALUE, _("'input_shape' is missing, and the input is not an image of "
                                               "%u dimensions with channels"), dims);
  g.f = (guint) w->dims[0];
  g.c = (guint) MIN ((guint64) w->dims[1] * groups, G_MAXUINT);
  g.kh = (guint) w->dims[2];
  g.kw = dims == 2 ? (guint) w->dims[3] : 1;
  if (g.kh > MAX_SIDE || g.kw > MAX_SIDE)
    return node_fail (c, SPK_IO_ERROR_VALUE, _("the kernel is larger than %d"), MAX_SIDE);
  if (g.f % groups != 0)
    return node_fail (c, SPK_IO_ERROR_VALUE, _("%u output channels do not split into %u groups"), g.f, groups);
  if (bias != NULL && bias->size != g.f)
    return node_fail (c, SPK_IO_ERROR_VALUE, _("'bias' has %" PRIu64 " values for %u output channels"),
                      (guint64) bias->size, g.f);
  if (padding != NULL && g_str_equal (padding, "same"))
    {
      if (stride[0] != 1 || stride[1 % dims] != 1)
        return node_fail (c, SPK_IO_ERROR_VALUE, _("padding 'same' needs a stride of 1"));
      /* PyTorch: the total d·(k − 1), the smaller half first; the rest
       * on the far side is what the padded input has beyond anyway. */
      pad[0] = dilation[0] * (g.kh - 1) / 2;
      pad[1] = dims == 2 ? dilation[1] * (g.kw - 1) / 2 : 0;
    }
  else if (padding != NULL && !g_str_equal (padding, "valid"))
    return node_fail (c, SPK_IO_ERROR_VALUE, _("padding must be a number, 'same' or 'valid' (got '%s')"), padding);
  else if (padding == NULL && !whole_numbers (c, "padding", dims, 0, 0, pad))
    return FALSE;
  g.h = side[0];
  g.w = dims == 2 ? side[1] : 1;
  g.sh = stride[0];
  g.sw = dims == 2 ? stride[1] : 1;
  g.ph = pad[0];
  g.pw = dims == 2 ? pad[1] : 0;
  g.dh = dilation[0];
  g.dw = dims == 2 ? dilation[1] : 1;
  g.groups = groups;
  if (!geometry_init (c, &g, padding != NULL && g_str_equal (padding, "same")))
    return FALSE;
  cw = (ConvWeights) { w, g.c / groups, g.kh, g.kw };
  if (!build (c, v, &g, conv_weight, &cw, bias, TRUE))
    return FALSE;
  if (dims == 1)
    {
      v->rank = 2;
      v->dims[2] = 0;
    }
  return TRUE;
}

/* SumPool2d (sum) and AvgPool2d. */
gboolean
_spk_nir_convert_pool (SpkNirConverter *c,
                       SpkNirValue     *v,
                       gboolean         sum)
{
  const SpkNirValue *in = source (c);
  guint kernel[2], stride[2], pad[2];
  Geometry g = { 0 };
  double factor;

  if (_spk_nir_param (c, "kernel_size") == NULL || !whole_numbers (c, "kernel_size", 2, 1, 1, kernel)
      || !whole_numbers (c, "stride", 2, 1, 0, stride) || !whole_numbers (c, "padding", 2, 0, 0, pad))
    return FALSE;
  if (in == NULL || in->rank != 3)
    {
      g_autofree char *got = in ? spk_describe_dims (in->rank, in->dims) : g_strdup ("?");

      return node_fail (c, SPK_IO_ERROR_VALUE, _("it pools images of channels × height × width; it is fed %s"),
                        got);
    }
  /* PyTorch: the stride defaults to the kernel's size. */
  if (_spk_nir_node_param (c->node, "stride") == NULL)
    memcpy (stride, kernel, sizeof stride);
  g.c = g.f = g.groups = (guint) in->dims[0];
  g.h = (guint) MIN (in->dims[1], MAX_SIDE);
  g.w = (guint) MIN (in->dims[2], MAX_SIDE);
  g.kh = kernel[0];
  g.kw = kernel[1];
  g.sh = stride[0];
  g.sw = stride[1];
  g.ph = pad[0];
  g.pw = pad[1];
  g.dh = g.dw = 1;
  if (!geometry_init (c, &g, FALSE))
    return FALSE;
  /* The padding counts as zeros in the average (PyTorch's default). */
  factor = sum ? 1 : 1.0 / ((double) g.kh * g.kw);
  return build (c, v, &g, pool_weight, &factor, NULL, FALSE);
}
