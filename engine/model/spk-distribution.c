/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-distribution.c — construction, copying and naming of distributions.
 * Sampling lives in spk-distribution-sample.c. */
#define G_LOG_DOMAIN "spk-distribution"

#include "spk-distribution.h"

#include <string.h>

#include "core/spk-names.h"

G_DEFINE_BOXED_TYPE (SpkDistribution, spk_distribution,
                     spk_distribution_ref, spk_distribution_unref)

static void
distribution_clear (gpointer data)
{
  SpkDistribution *self = data;

  spk_array_unref (self->options);
  spk_array_unref (self->weights);
  spk_array_unref (self->array);
  spk_array_unref (self->indices);
  spk_distribution_unref (self->init);
}

SpkDistribution *
spk_distribution_new (SpkDistKind kind)
{
  SpkDistribution *self = g_atomic_rc_box_new0 (SpkDistribution);

  self->kind = kind;
  self->low = 0.0;
  self->high = 1.0;
  self->mean = 0.0;
  self->std = 1.0;
  self->scale = 1.0;
  return self;
}

SpkDistribution *
spk_distribution_new_uniform (double low,
                              double high)
{
  SpkDistribution *self = spk_distribution_new (SPK_DIST_UNIFORM);

  self->low = low;
  self->high = high;
  return self;
}

SpkDistribution *
spk_distribution_new_gaussian (double mean,
                               double std)
{
  SpkDistribution *self = spk_distribution_new (SPK_DIST_GAUSSIAN);

  self->mean = mean;
  self->std = std;
  return self;
}

SpkDistribution *
spk_distribution_new_choice (SpkArray *options,
                             SpkArray *weights)
{
  SpkDistribution *self = spk_distribution_new (SPK_DIST_CHOICE);

  self->options = spk_array_ref (options);
  self->weights = weights ? spk_array_ref (weights) : NULL;
  return self;
}

SpkDistribution *
spk_distribution_new_hypersphere (gboolean scattered,
                                  gboolean surface)
{
  SpkDistribution *self = spk_distribution_new (scattered ? SPK_DIST_SCATTERED_HYPERSPHERE
                                                          : SPK_DIST_UNIFORM_HYPERSPHERE);

  self->surface = surface;
  return self;
}

SpkDistribution *
spk_distribution_new_glorot (double   scale,
                             gboolean normal)
{
  SpkDistribution *self = spk_distribution_new (SPK_DIST_GLOROT);

  self->scale = scale;
  self->normal = normal;
  return self;
}

SpkDistribution *
spk_distribution_new_array (SpkArray *array)
{
  SpkDistribution *self = spk_distribution_new (SPK_DIST_ARRAY);

  self->array = spk_array_ref (array);
  return self;
}

SpkDistribution *
spk_distribution_new_scalar (double value)
{
  g_autoptr (SpkArray) array = spk_array_new_scalar (value);

  return spk_distribution_new_array (array);
}

SpkDistribution *
spk_distribution_new_sparse (guint            size_out,
                             guint            size_in,
                             SpkArray        *indices,
                             SpkDistribution *init)
{
  SpkDistribution *self = spk_distribution_new (SPK_DIST_SPARSE);

  self->shape[0] = size_out;
  self->shape[1] = size_in;
  self->indices = indices ? spk_array_ref (indices) : NULL;
  self->init = spk_distribution_ref (init);
  return self;
}

SpkDistribution *
spk_distribution_new_convolution (gboolean     transpose,
                                  guint        n_filters,
                                  guint        n_dims,
                                  const guint *input_shape)
{
  SpkDistribution *self = spk_distribution_new (transpose ? SPK_DIST_CONVOLUTION_TRANSPOSE
                                                          : SPK_DIST_CONVOLUTION);

  g_return_val_if_fail (n_dims >= 2 && n_dims <= SPK_CONV_MAX_DIMS, self);
  self->n_filters = n_filters;
  self->n_dims = n_dims;
  memcpy (self->input_shape, input_shape, n_dims * sizeof (guint));
  for (guint i = 0; i + 1 < n_dims; i++)
    {
      self->kernel_size[i] = 3;
      self->strides[i] = 1;
    }
  self->channels_last = TRUE;
  self->groups = 1;
  self->init = spk_distribution_new_uniform (-1.0, 1.0);
  return self;
}

SpkDistribution *
spk_distribution_copy (const SpkDistribution *self)
{
  SpkDistribution *copy = g_atomic_rc_box_dup (sizeof (SpkDistribution), (gpointer) self);

  if (copy->options)
    spk_array_ref (copy->options);
  if (copy->weights)
    spk_array_ref (copy->weights);
  if (copy->array)
    spk_array_ref (copy->array);
  if (copy->indices)
    spk_array_ref (copy->indices);
  if (copy->init)
    spk_distribution_ref (copy->init);
  return copy;
}

SpkDistribution *
spk_distribution_ref (SpkDistribution *self)
{
  return g_atomic_rc_box_acquire (self);
}

void
spk_distribution_unref (SpkDistribution *self)
{
  if (self != NULL)
    g_atomic_rc_box_release_full (self, distribution_clear);
}

gboolean
spk_distribution_equal (const SpkDistribution *a,
                        const SpkDistribution *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL || a->kind != b->kind)
    return FALSE;
  return a->low == b->low && a->high == b->high && a->integer == b->integer && a->shift == b->shift
         && a->mean == b->mean && a->std == b->std
         && spk_array_equal (a->options, b->options)
         && spk_array_equal (a->weights, b->weights)
         && a->surface == b->surface && a->min_magnitude == b->min_magnitude
         && a->scale == b->scale && a->normal == b->normal
         && spk_array_equal (a->array, b->array)
         && memcmp (a->shape, b->shape, sizeof a->shape) == 0
         && spk_array_equal (a->indices, b->indices)
         && spk_distribution_equal (a->init, b->init)
         && a->n_filters == b->n_filters && a->n_dims == b->n_dims
         && memcmp (a->input_shape, b->input_shape, sizeof a->input_shape) == 0
         && memcmp (a->output_shape, b->output_shape, sizeof a->output_shape) == 0
         && memcmp (a->kernel_size, b->kernel_size, sizeof a->kernel_size) == 0
         && memcmp (a->strides, b->strides, sizeof a->strides) == 0
         && a->padding_same == b->padding_same && a->channels_last == b->channels_last
         && a->groups == b->groups;
}

static const char *const kind_names[] = {
  [SPK_DIST_UNIFORM] = "Uniform",
  [SPK_DIST_GAUSSIAN] = "Gaussian",
  [SPK_DIST_CHOICE] = "Choice",
  [SPK_DIST_UNIFORM_HYPERSPHERE] = "UniformHypersphere",
  [SPK_DIST_SCATTERED_HYPERSPHERE] = "ScatteredHypersphere",
  [SPK_DIST_GLOROT] = "Glorot",
  [SPK_DIST_ARRAY] = "Array",
  [SPK_DIST_EXPONENTIAL] = "Exponential",
  [SPK_DIST_SPARSE] = "Sparse",
  [SPK_DIST_CONVOLUTION] = "Convolution",
  [SPK_DIST_CONVOLUTION_TRANSPOSE] = "ConvolutionTranspose",
};

SPK_DEFINE_KIND_NAMES (spk_distribution_kind, SpkDistKind, kind_names, G_N_ELEMENTS (kind_names))
