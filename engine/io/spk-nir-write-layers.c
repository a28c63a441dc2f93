/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-nir-write-layers.c — a network's Dense, Conv2D and
 * AveragePooling2D layers as NIR nodes (docs/nir.md, "Export"): Affine or
 * Linear (a Flatten first when fed an image), Conv2d, AvgPool2d or
 * SumPool2d with a Scale.  spk-nir-write-graph.c makes the rest of the
 * graph and calls _spk_nir_export_layer () for each layer. */
#define G_LOG_DOMAIN "spk-nir"

#include "spk-nir-export-private.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "model/spk-layer.h"

/* A Flatten of an image (H × W × C in the engine) into its C·H·W values
 * in NIR's order. */
SpkNirOutNode *
add_flatten (Exporter    *x,
             const char  *base,
             const guint  img[3])
{
  g_autofree char *name = g_strdup_printf ("%s.flatten", base);
  SpkNirOutNode *node = _spk_nir_out_add_node (x->graph, name, "Flatten");
  const double type[3] = { img[2], img[0], img[1] };
  const gsize rank = 3;

  _spk_nir_out_add_tensor (node, "input_type", TRUE, 1, &rank, type);
  _spk_nir_out_add_int (node, "start_dim", 0);
  _spk_nir_out_add_int (node, "end_dim", -1);
  return node;
}

/* Two whole numbers (H, W) as NIR's int64 pairs. */
static void
add_pair (SpkNirOutNode *node,
          const char    *name,
          guint          h,
          guint          w)
{
  const double values[2] = { h, w };
  const gsize two = 2;

  _spk_nir_out_add_tensor (node, name, TRUE, 1, &two, values);
}

/* A Dense layer: Affine (bias) or Linear, weight = kernelᵀ; fed an image,
 * a Flatten first and the kernel's rows in NIR's order. */
static gboolean
export_dense (Exporter *x,
              SpkLayer *layer,
              Port     *port)
{
  SpkObject *object = SPK_OBJECT (layer);
  Layout *layout = layout_of (x, layer);
  guint shape_out[3], size_in, size_out;
  gboolean use_bias = spk_layer_get_use_bias (layer);
  g_autoptr (SpkArray) kernel = NULL, bias = NULL;
  g_autofree double *weight = NULL;
  SpkNirOutNode *node, *flatten = NULL;

  if (!spk_layer_get_shape_out (layer, shape_out, &size_in, &size_out))
    return object_fail (x, object, _("its input shape is not known"));
  if (!(kernel = param (x, object, "weights", (gsize) size_in * size_out))
      || (use_bias && !(bias = param (x, object, "bias", size_out))))
    return FALSE;
  if (layout && is_image (layout->in))
    {
      memcpy (port->in_img, layout->in, sizeof port->in_img);
      flatten = add_flatten (x, key_of (x, layer), layout->in);
    }
  /* The layer's kernel is in × out (Keras's); NIR's weight out × in. */
  weight = g_new (double, (gsize) size_in * size_out);
  for (gsize i = 0; i < size_out; i++)
    for (gsize j = 0; j < size_in; j++)
      {
        gsize from = flatten ? engine_index (port->in_img, j) : j;

        weight[i * size_in + j] = kernel->data[from * size_out + i];
      }
  node = _spk_nir_out_add_node (x->graph, key_of (x, layer), use_bias ? "Affine" : "Linear");
  _spk_nir_out_add_param (node, "weight", size_out, size_in, weight);
  if (use_bias)
    _spk_nir_out_add_param (node, "bias", size_out, 0, bias->data);
  port->out = node->name;
  port->in = node->name;
  if (flatten)
    {
      _spk_nir_out_add_edge (x->graph, flatten->name, node->name);
      port->in = flatten->name;
    }
  port->out_size = size_out;
  port->in_size = size_in;
  return TRUE;
}

/* The window's padding as NIR's (PyTorch's) symmetric one: FALSE when the
 * "same" padding is larger on the far side (a stride of 1 can still say
 * "same", in same_ok). */
static gboolean
window_padding (Exporter             *x,
                SpkLayer             *layer,
                const SpkLayerWindow *win,
                gboolean              same_ok,
                gboolean             *same)
{
  const guint sh = win->stride, sw = spk_layer_window_stride_w (win);
  guint total_h = 0, total_w = 0;

  *same = FALSE;
  if (win->same)
    {
      total_h = (win->out_h - 1) * sh + win->kh > win->h ? (win->out_h - 1) * sh + win->kh - win->h : 0;
      total_w = (win->out_w - 1) * sw + win->kw > win->w ? (win->out_w - 1) * sw + win->kw - win->w : 0;
    }
  if (total_h == 2 * win->pad_top && total_w == 2 * win->pad_left)
    return TRUE;
  if (same_ok && sh == 1 && sw == 1)
    {
      *same = TRUE;
      return TRUE;
    }
  if (sh == sw)
    return object_fail (x, SPK_OBJECT (layer),
                        _("its \"same\" padding puts more zeros after the image than before it, which NIR's "
                          "padding (the same on both sides) cannot hold with strides of %u"), sh);
  return object_fail (x, SPK_OBJECT (layer),
                      _("its \"same\" padding puts more zeros after the image than before it, which NIR's "
                        "padding (the same on both sides) cannot hold with strides of %u × %u"), sh, sw);
}

/* Conv2D → Conv2d: weight F × C × kh × kw (the engine's kernel is
 * kh × kw × C × F), bias (zeros without one), strides, padding. */
static gboolean
export_conv (Exporter       *x,
             SpkLayer       *layer,
             SpkLayerWindow *win,
             Port           *port)
{
  SpkObject *object = SPK_OBJECT (layer);
  const guint f = spk_layer_get_filters (layer), kh = win->kh, kw = win->kw, c = win->c;
  g_autoptr (SpkArray) kernel = param (x, object, "weights", (gsize) kh * kw * c * f);
  g_autoptr (SpkArray) bias = NULL;
  g_autofree double *weight = NULL, *b = g_new0 (double, f);
  const gsize dims[4] = { f, c, kh, kw };
  gboolean same;
  SpkNirOutNode *node;

  if (kernel == NULL || (spk_layer_get_use_bias (layer) && !(bias = param (x, object, "bias", f)))
      || !window_padding (x, layer, win, TRUE, &same))
    return FALSE;
  weight = g_new (double, (gsize) f * c * kh * kw);
  for (guint fo = 0; fo < f; fo++)
    for (guint ci = 0; ci < c; ci++)
      for (guint i = 0; i < kh; i++)
        for (guint j = 0; j < kw; j++)
          weight[(((gsize) fo * c + ci) * kh + i) * kw + j] = kernel->data[(((gsize) i * kw + j) * c + ci) * f + fo];
  if (bias)
    memcpy (b, bias->data, f * sizeof (double));
  node = _spk_nir_out_add_node (x->graph, key_of (x, layer), "Conv2d");
  _spk_nir_out_add_tensor (node, "weight", FALSE, 4, dims, weight);
  _spk_nir_out_add_param (node, "bias", f, 0, b);
  add_pair (node, "stride", win->stride, spk_layer_window_stride_w (win));
  if (same)
    _spk_nir_out_add_text (node, "padding", "same");
  else
    add_pair (node, "padding", win->pad_top, win->pad_left);
  add_pair (node, "dilation", 1, 1);
  _spk_nir_out_add_int (node, "groups", 1);
  add_pair (node, "input_shape", win->h, win->w);
  port->in = port->out = node->name;
  return TRUE;
}

/* AveragePooling2D → AvgPool2d when no window reaches into the padding;
 * otherwise SumPool2d and a Scale by one over the cells each window
 * covers (Keras leaves the padding out of the average, PyTorch's
 * AvgPool2d would count it). */
static gboolean
export_pool (Exporter       *x,
             SpkLayer       *layer,
             SpkLayerWindow *win,
             Port           *port)
{
  const guint oh = win->out_h, ow = win->out_w, k = win->kh, s = win->stride, sw = spk_layer_window_stride_w (win);
  const SpkNirShape shape = { 3, { win->c, oh, ow } };
  g_autofree double *scale = g_new (double, _spk_nir_shape_size (&shape));
  gboolean same, full = TRUE;
  SpkNirOutNode *node;

  if (!window_padding (x, layer, win, FALSE, &same))
    return FALSE;
  for (guint r = 0; r < oh; r++)
    for (guint q = 0; q < ow; q++)
      {
        const int top = (int) (r * s) - (int) win->pad_top, left = (int) (q * sw) - (int) win->pad_left;
        const int rows = MIN (top + (int) k, (int) win->h) - MAX (top, 0);
        const int cols = MIN (left + (int) k, (int) win->w) - MAX (left, 0);

        full = full && rows * cols == (int) (k * k);
        for (guint ch = 0; ch < win->c; ch++)
          scale[((gsize) ch * oh + r) * ow + q] = 1.0 / (rows * cols);
      }
  node = _spk_nir_out_add_node (x->graph, key_of (x, layer), full ? "AvgPool2d" : "SumPool2d");
  add_pair (node, "kernel_size", k, k);
  add_pair (node, "stride", s, sw);
  add_pair (node, "padding", full ? 0 : win->pad_top, full ? 0 : win->pad_left);
  port->in = port->out = node->name;
  if (!full)
    {
      g_autofree char *base = g_strdup_printf ("%s.average", key_of (x, layer));
      SpkNirOutNode *average = _spk_nir_out_add_node (x->graph, base, "Scale");

      _spk_nir_out_add_tensor (average, "scale", FALSE, shape.rank, shape.dims, scale);
      _spk_nir_out_add_edge (x->graph, node->name, average->name);
      port->out = average->name;
    }
  return TRUE;
}

gboolean
export_layer (Exporter *x,
              SpkLayer *layer)
{
  SpkObject *object = SPK_OBJECT (layer);
  SpkLayerType type = spk_layer_get_layer_type (layer);
  Layout *layout = layout_of (x, layer);
  SpkLayerWindow win;
  guint out[3], size_in, size_out;
  Port *port;

  if (type != SPK_LAYER_DENSE && type != SPK_LAYER_CONV2D && type != SPK_LAYER_AVERAGE_POOLING2D)
    {
      g_autofree char *what = spk_layer_describe (layer);

      return object_fail (x, object, _("it is a %s, which NIR has no node for (Dense, Conv2D and "
                                       "AveragePooling2D layers export)"), what);
    }
  /* NIR's Affine and Conv2d compute no activation; NIR's own reader
   * (nir 1.0's Conv2d) infers both output sides from the kernel's height,
   * so a kernel that is not square would not read back there. */
  if (spk_layer_get_activation (layer) != SPK_ACTIVATION_LINEAR)
    return object_fail (x, object, _("its activation has no NIR node: follow a linear layer with "
                                     "neurons instead"));
  if (type == SPK_LAYER_CONV2D && spk_layer_get_kernel_width (layer) != spk_layer_get_kernel_size (layer))
    return object_fail (x, object, _("its kernel is not square, which the NIR export does not write yet"));
  port = add_port (x, layer);
  if (type == SPK_LAYER_DENSE)
    return export_dense (x, layer, port);
  if (layout == NULL || !spk_layer_get_shape_out (layer, out, &size_in, &size_out))
    return object_fail (x, object, _("its input shape is not known"));
  win = spk_layer_window (layer, layout->in);
  if (!spk_layer_window_init (&win, "", NULL))
    return object_fail (x, object, _("its input shape is not known"));
  memcpy (port->in_img, layout->in, sizeof port->in_img);
  memcpy (port->out_img, layout->out, sizeof port->out_img);
  port->in_size = size_in;
  port->out_size = size_out;
  return type == SPK_LAYER_CONV2D ? export_conv (x, layer, &win, port) : export_pool (x, layer, &win, port);
}
