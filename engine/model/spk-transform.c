/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-transform.c — the checks and weights of Nengo's Sparse, Convolution
 * and ConvolutionTranspose transforms.
 *
 * Shapes follow nengo/transforms.py: a convolution's output is
 * ceil((in − kernel + 1) / strides) per spatial dimension with "valid"
 * padding and ceil(in / strides) with "same", where "same" pads the input
 * with zeros, the smaller half before (Nengo's calc_pad).  A
 * ConvolutionTranspose is the transpose of the Convolution from its
 * output_shape to its input_shape with the same kernel, strides and
 * padding; its smallest output is 1 + (in − 1)·strides (+ kernel − 1 when
 * "valid").  One-dimensional convolutions are two-dimensional ones with
 * a width of 1, so one loop serves both.
 */
#define G_LOG_DOMAIN "spk-transform"

#include "spk-transform.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "core/spk-error.h"

/* A convolution's geometry with two spatial dimensions. */
typedef struct
{
  guint in_sp[2], in_ch;     /* input: spatial (height, width) and channels */
  guint out_sp[2], out_ch;   /* output */
  guint k[2], s[2];          /* kernel size, strides */
  gboolean last;             /* channels last */
} Geometry;

static guint
channels_of (const SpkDistribution *t,
             const guint           *shape)
{
  return t->channels_last ? shape[t->n_dims - 1] : shape[0];
}

static const guint *
spatial_of (const SpkDistribution *t,
            const guint           *shape)
{
  return t->channels_last ? shape : shape + 1;
}

static guint
forward_size (const SpkDistribution *t,
              guint                  in,
              guint                  i)
{
  guint span = t->padding_same ? in : (in >= t->kernel_size[i] ? in - t->kernel_size[i] + 1 : 0);

  return (span + t->strides[i] - 1) / t->strides[i];
}

void
spk_transform_output_shape (const SpkDistribution *t,
                            guint                 *shape)
{
  const guint *in_sp = spatial_of (t, t->input_shape);
  guint n_sp = t->n_dims - 1;
  guint *out_sp = t->channels_last ? shape : shape + 1;

  if (t->kind == SPK_DIST_CONVOLUTION_TRANSPOSE && t->output_shape[0] != 0)
    {
      memcpy (shape, t->output_shape, t->n_dims * sizeof (guint));
      return;
    }
  for (guint i = 0; i < n_sp; i++)
    if (t->kind == SPK_DIST_CONVOLUTION)
      out_sp[i] = forward_size (t, in_sp[i], i);
    else
      out_sp[i] = 1 + (in_sp[i] - 1) * t->strides[i] + (t->padding_same ? 0 : t->kernel_size[i] - 1);
  shape[t->channels_last ? n_sp : 0] = t->n_filters;
}

static guint
shape_size (const guint *shape,
            guint        n)
{
  guint64 size = 1;

  for (guint i = 0; i < n; i++)
    size *= shape[i];
  return size > G_MAXUINT ? 0 : (guint) size;
}

static char *
describe_shape (const guint *shape,
                guint        n)
{
  GString *text = g_string_new ("(");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s%u", i ? ", " : "", shape[i]);
  g_string_append_c (text, ')');
  return g_string_free (text, FALSE);
}

static gboolean
fail (GError    **error,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (GError    **error,
      const char *format,
      ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_SHAPE, message);
  return FALSE;
}

static gboolean
check_sparse (const SpkDistribution *t,
              GError               **error)
{
  const SpkDistribution *init = t->init;

  if (t->shape[0] == 0 || t->shape[1] == 0)
    return fail (error, _("Sparse: shape must be two positive sizes (size_out, size_in)"));
  if (init == NULL)
    return fail (error, _("Sparse: init is not set"));
  if (t->indices == NULL)
    {
      if (init->kind != SPK_DIST_ARRAY || init->array->ndim != 2
          || init->array->shape[0] != t->shape[0] || init->array->shape[1] != t->shape[1])
        return fail (error, _("Sparse: without indices, init must be the whole %u × %u matrix "
                              "(its non-zero entries are the transform's)"), t->shape[0], t->shape[1]);
      return TRUE;
    }
  if (!(t->indices->ndim == 2 && t->indices->shape[1] == 2) && t->indices->size != 0)
    return fail (error, _("Sparse: indices must be a list of [row, column] pairs"));
  for (gsize i = 0; i < t->indices->size / 2; i++)
    {
      double row = t->indices->data[2 * i], col = t->indices->data[2 * i + 1];

      if (row != (double) (gint64) row || col != (double) (gint64) col)
        return fail (error, _("Sparse: indices[%zu] must be two whole numbers"), i);
      if (row < 0 || col < 0 || row >= t->shape[0] || col >= t->shape[1])
        return fail (error, _("Sparse: indices[%zu] = [%g, %g] is out of range for shape (%u, %u)"),
                     i, row, col, t->shape[0], t->shape[1]);
    }
  if (init->kind == SPK_DIST_ARRAY && init->array->size != 1
      && !(init->array->ndim == 1 && init->array->size == t->indices->size / 2))
    return fail (error, _("Sparse: init must be one value, a distribution, or a list of %zu values "
                          "(one per index)"), t->indices->size / 2);
  if (SPK_DIST_KIND_IS_TRANSFORM (init->kind))
    return fail (error, _("Sparse: init must be numbers or a distribution"));
  return TRUE;
}

static gboolean
check_convolution (const SpkDistribution *t,
                   GError               **error)
{
  const char *name = spk_distribution_kind_to_name (t->kind);
  guint n_sp = t->n_dims - 1, in_ch, out_shape[SPK_CONV_MAX_DIMS];

  if (t->n_dims < 2 || t->n_dims > SPK_CONV_MAX_DIMS)
    return fail (error, _("%s: input_shape must have 2 or 3 entries (a 1-D or 2-D input with its "
                          "channels); got %u"), name, t->n_dims);
  for (guint i = 0; i < t->n_dims; i++)
    if (t->input_shape[i] == 0)
      return fail (error, _("%s: input_shape must be positive sizes"), name);
  if (t->n_filters == 0)
    return fail (error, _("%s: n_filters must be at least 1"), name);
  for (guint i = 0; i < n_sp; i++)
    {
      if (t->kernel_size[i] == 0)
        return fail (error, _("%s: kernel_size must have %u positive entries (one per spatial dimension)"),
                     name, n_sp);
      if (t->strides[i] == 0)
        return fail (error, _("%s: strides must have %u positive entries (one per spatial dimension)"),
                     name, n_sp);
    }
  in_ch = channels_of (t, t->input_shape);
  if (t->groups == 0 || t->groups > in_ch)
    return fail (error, _("%s: groups (%u) must be between 1 and the number of input channels (%u)"),
                 name, t->groups, in_ch);
  if (in_ch % t->groups != 0 || t->n_filters % t->groups != 0)
    return fail (error, _("%s: both the number of input channels (%u) and filters (%u) must be evenly "
                          "divisible by groups (%u)"), name, in_ch, t->n_filters, t->groups);
  if (t->kind == SPK_DIST_CONVOLUTION_TRANSPOSE && t->groups != 1)
    return fail (error, _("%s: groups must be 1"), name);
  if (t->kind == SPK_DIST_CONVOLUTION && !t->padding_same)
    for (guint i = 0; i < n_sp; i++)
      if (t->kernel_size[i] > spatial_of (t, t->input_shape)[i])
        return fail (error, _("%s: kernel size for spatial dimension %u (%u) exceeds the spatial size of "
                              "that dimension (%u); with \"valid\" padding the output would be empty"),
                     name, i, t->kernel_size[i], spatial_of (t, t->input_shape)[i]);
  if (t->kind == SPK_DIST_CONVOLUTION_TRANSPOSE && t->output_shape[0] != 0)
    {
      const guint *out_sp = spatial_of (t, t->output_shape);
      const guint *in_sp = spatial_of (t, t->input_shape);
      g_autofree char *out_text = describe_shape (t->output_shape, t->n_dims);
      g_autofree char *in_text = describe_shape (t->input_shape, t->n_dims);

      if (channels_of (t, t->output_shape) != t->n_filters)
        return fail (error, _("%s: output_shape %s has %u channels but n_filters is %u"),
                     name, out_text, channels_of (t, t->output_shape), t->n_filters);
      for (guint i = 0; i < n_sp; i++)
        if (out_sp[i] == 0 || forward_size (t, out_sp[i], i) != in_sp[i])
          return fail (error, _("%s: output_shape %s would not produce input_shape %s in a forward "
                                "Convolution, so it is not a valid output shape"), name, out_text, in_text);
    }
  spk_transform_output_shape (t, out_shape);
  if (shape_size (out_shape, t->n_dims) == 0 || shape_size (t->input_shape, t->n_dims) == 0)
    return fail (error, _("%s: the output would be empty or too large"), name);
  if (t->init == NULL || SPK_DIST_KIND_IS_TRANSFORM (t->init->kind))
    return fail (error, _("%s: init must be a kernel or a distribution"), name);
  if (t->init->kind == SPK_DIST_ARRAY && t->init->array->size != spk_transform_n_values (t))
    {
      guint kshape[4];
      g_autofree char *text = NULL;

      memcpy (kshape, t->kernel_size, n_sp * sizeof (guint));
      kshape[n_sp] = in_ch / t->groups;
      kshape[n_sp + 1] = t->n_filters;
      text = describe_shape (kshape, n_sp + 2);
      return fail (error, _("%s: the kernel (init) has %zu values but its shape is %s "
                            "(kernel_size + (input channels / groups, n_filters)): %zu values"),
                   name, t->init->array->size, text, spk_transform_n_values (t));
    }
  return TRUE;
}

gboolean
spk_transform_check (const SpkDistribution *t,
                     guint                 *size_out,
                     guint                 *size_in,
                     GError               **error)
{
  g_return_val_if_fail (t != NULL && SPK_DIST_KIND_IS_TRANSFORM (t->kind), FALSE);

  if (t->kind == SPK_DIST_SPARSE)
    {
      if (!check_sparse (t, error))
        return FALSE;
      *size_out = t->shape[0];
      *size_in = t->shape[1];
      return TRUE;
    }
  if (!check_convolution (t, error))
    return FALSE;
  {
    guint out_shape[SPK_CONV_MAX_DIMS];

    spk_transform_output_shape (t, out_shape);
    *size_out = shape_size (out_shape, t->n_dims);
    *size_in = shape_size (t->input_shape, t->n_dims);
  }
  return TRUE;
}

gsize
spk_transform_n_values (const SpkDistribution *t)
{
  gsize n = 1;

  if (t->kind == SPK_DIST_SPARSE)
    {
      if (t->indices != NULL)
        return t->indices->size / 2;
      n = 0;
      if (t->init != NULL && t->init->kind == SPK_DIST_ARRAY)
        for (gsize i = 0; i < t->init->array->size; i++)
          n += t->init->array->data[i] != 0.0;
      return n;
    }
  for (guint i = 0; i + 1 < t->n_dims; i++)
    n *= t->kernel_size[i];
  return n * (channels_of (t, t->input_shape) / MAX (t->groups, 1)) * t->n_filters;
}

static void
geometry (const SpkDistribution *t,
          Geometry              *g)
{
  guint out_shape[SPK_CONV_MAX_DIMS];
  const guint *in_sp = spatial_of (t, t->input_shape);
  const guint *out_sp;

  spk_transform_output_shape (t, out_shape);
  out_sp = spatial_of (t, out_shape);
  g->last = t->channels_last;
  g->in_ch = channels_of (t, t->input_shape);
  g->out_ch = t->n_filters;
  for (guint i = 0; i < 2; i++)
    {
      gboolean real = i + 1 < t->n_dims;

      g->in_sp[i] = real ? in_sp[i] : 1;
      g->out_sp[i] = real ? out_sp[i] : 1;
      g->k[i] = real ? t->kernel_size[i] : 1;
      g->s[i] = real ? t->strides[i] : 1;
    }
}

/* The flat index of (y, x, c) in a signal of spatial size sp and ch channels. */
static inline gsize
flat (const Geometry *g,
      const guint    *sp,
      guint           ch,
      guint           y,
      guint           x,
      guint           c)
{
  return g->last ? ((gsize) y * sp[1] + x) * ch + c : ((gsize) c * sp[0] + y) * sp[1] + x;
}

/* Adds the Convolution's weights into dense (size_out × size_in), or
 * its transpose's.  For a ConvolutionTranspose the forward convolution runs
 * from its output to its input, kernel[i, j, k, c] mapping the forward
 * input channel c (the transpose's output) to the forward output channel
 * k (the transpose's input). */
static void
expand_convolution (const SpkDistribution *t,
                    const double          *kernel,
                    double                *dense)
{
  Geometry g;
  gboolean transpose = t->kind == SPK_DIST_CONVOLUTION_TRANSPOSE;
  /* The forward convolution's input (fi) and output (fo) sides. */
  const guint *fi_sp, *fo_sp;
  guint fi_ch, fo_ch, cg, fg, pad[2];
  gsize size_in;

  geometry (t, &g);
  fi_sp = transpose ? g.out_sp : g.in_sp;
  fo_sp = transpose ? g.in_sp : g.out_sp;
  fi_ch = transpose ? g.out_ch : g.in_ch;
  fo_ch = transpose ? g.in_ch : g.out_ch;
  cg = fi_ch / t->groups;       /* forward input channels per group */
  fg = fo_ch / t->groups;       /* forward output channels per group */
  size_in = (gsize) g.in_sp[0] * g.in_sp[1] * g.in_ch;
  for (guint i = 0; i < 2; i++)
    {
      gint64 total = t->padding_same ? (gint64) (fo_sp[i] - 1) * g.s[i] + g.k[i] - fi_sp[i] : 0;

      pad[i] = (guint) MAX (total, 0) / 2;
    }

  for (guint oy = 0; oy < fo_sp[0]; oy++)
    for (guint ox = 0; ox < fo_sp[1]; ox++)
      for (guint ki = 0; ki < g.k[0]; ki++)
        {
          gint64 py = (gint64) oy * g.s[0] + ki - pad[0];

          if (py < 0 || py >= fi_sp[0])
            continue;
          for (guint kj = 0; kj < g.k[1]; kj++)
            {
              gint64 px = (gint64) ox * g.s[1] + kj - pad[1];

              if (px < 0 || px >= fi_sp[1])
                continue;
              for (guint f = 0; f < fo_ch; f++)
                {
                  guint group = f / fg;
                  gsize fo = flat (&g, fo_sp, fo_ch, oy, ox, f);

                  for (guint c = 0; c < cg; c++)
                    {
                      guint fc = group * cg + c;
                      gsize fi = flat (&g, fi_sp, fi_ch, (guint) py, (guint) px, fc);
                      double w;

                      if (!transpose)
                        {
                          w = kernel[(((gsize) ki * g.k[1] + kj) * cg + c) * fo_ch + f];
                          dense[fo * size_in + fi] += w;
                        }
                      else
                        {
                          /* kernel[ki, kj, k = f, c = fc] (transpose's in, out). */
                          w = kernel[(((gsize) ki * g.k[1] + kj) * fo_ch + f) * fi_ch + fc];
                          dense[fi * size_in + fo] += w;
                        }
                    }
                }
            }
        }
}

gboolean
spk_transform_weights (const SpkDistribution *t,
                       SpkRng                *rng,
                       double                *dense,
                       double                *values,
                       GError               **error)
{
  gsize n = spk_transform_n_values (t);

  if (t->kind == SPK_DIST_SPARSE)
    {
      const SpkDistribution *init = t->init;

      if (t->indices == NULL)
        {
          gsize k = 0;

          for (gsize i = 0; i < init->array->size; i++)
            if (init->array->data[i] != 0.0)
              {
                if (dense != NULL)
                  dense[i] = init->array->data[i];
                values[k++] = init->array->data[i];
              }
          return TRUE;
        }
      if (init->kind == SPK_DIST_ARRAY && init->array->size == 1)
        for (gsize i = 0; i < n; i++)
          values[i] = init->array->data[0];
      else if (!spk_distribution_sample (init, n, 1, rng, values, error))
        return FALSE;
      /* Repeated indices add up, as in Nengo's CSR matrix. */
      for (gsize i = 0; i < n && dense != NULL; i++)
        dense[(gsize) t->indices->data[2 * i] * t->shape[1] + (gsize) t->indices->data[2 * i + 1]] += values[i];
      return TRUE;
    }

  if (t->init->kind == SPK_DIST_ARRAY)
    memcpy (values, t->init->array->data, n * sizeof (double));
  else
    {
      /* Nengo samples kernel position by position, each a (channels /
       * groups) × filters draw, so that fan-in/fan-out distributions see
       * those sizes. */
      guint cg = channels_of (t, t->input_shape) / t->groups;
      gsize per = (gsize) cg * t->n_filters;

      for (gsize p = 0; p < n / MAX (per, 1); p++)
        if (!spk_distribution_sample (t->init, cg, t->n_filters, rng, values + p * per, error))
          return FALSE;
    }
  if (dense != NULL)
    expand_convolution (t, values, dense);
  return TRUE;
}

/* {{{ Editing the values */

gboolean
spk_transform_has_values (const SpkDistribution *t)
{
  g_return_val_if_fail (t != NULL && SPK_DIST_KIND_IS_TRANSFORM (t->kind), FALSE);

  return t->init != NULL && t->init->kind == SPK_DIST_ARRAY;
}

void
spk_transform_sparse_pairs (const SpkDistribution *t,
                            double                *pairs)
{
  g_return_if_fail (t != NULL && t->kind == SPK_DIST_SPARSE);

  if (t->indices != NULL)
    {
      memcpy (pairs, t->indices->data, t->indices->size * sizeof (double));
      return;
    }
  /* A dense init: its non-zero entries, row by row, as
   * spk_transform_weights gives their values. */
  for (gsize i = 0, k = 0; t->init != NULL && i < t->init->array->size; i++)
    if (t->init->array->data[i] != 0.0)
      {
        pairs[2 * k] = (double) (i / t->shape[1]);
        pairs[2 * k + 1] = (double) (i % t->shape[1]);
        k++;
      }
}

SpkDistribution *
spk_transform_with_entries (const SpkDistribution *t,
                            const double          *pairs,
                            const double          *values,
                            gsize                  n)
{
  SpkDistribution *copy;
  g_autoptr (SpkArray) indices = NULL;
  g_autoptr (SpkArray) init = NULL;

  g_return_val_if_fail (t != NULL && t->kind == SPK_DIST_SPARSE, NULL);
  g_return_val_if_fail (n == 0 || (pairs != NULL && values != NULL), NULL);

  copy = spk_distribution_copy (t);
  indices = spk_array_new_matrix (pairs, n, 2);
  init = spk_array_new_vector (values, n);
  g_clear_pointer (&copy->indices, spk_array_unref);
  copy->indices = g_steal_pointer (&indices);
  g_clear_pointer (&copy->init, spk_distribution_unref);
  copy->init = spk_distribution_new_array (init);
  return copy;
}

SpkDistribution *
spk_transform_with_values (const SpkDistribution *t,
                           const double          *values)
{
  gsize n;

  g_return_val_if_fail (t != NULL && SPK_DIST_KIND_IS_TRANSFORM (t->kind), NULL);
  g_return_val_if_fail (values != NULL, NULL);

  n = spk_transform_n_values (t);
  if (t->kind == SPK_DIST_SPARSE)
    {
      g_autofree double *pairs = g_new (double, 2 * MAX (n, 1));

      spk_transform_sparse_pairs (t, pairs);
      return spk_transform_with_entries (t, pairs, values, n);
    }
  {
    SpkDistribution *copy = spk_distribution_copy (t);
    g_autoptr (SpkArray) kernel = spk_array_new_vector (values, n);

    g_clear_pointer (&copy->init, spk_distribution_unref);
    copy->init = spk_distribution_new_array (kernel);
    return copy;
  }
}

/* }}} */
