/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-distribution.h — Nengo's distributions, as an immutable,
 * reference-counted value (a boxed type usable as a GObject property).
 *
 * A parameter that Nengo accepts as "a distribution or an array" (max_rates,
 * intercepts, encoders, eval_points, a connection's transform) holds a
 * SpkDistribution; an explicit array is the kind SPK_DIST_ARRAY.
 * Sampling is deterministic given the SpkRng state.
 *
 * A connection's transform may also be one of Nengo's structured
 * transforms (SPK_DIST_SPARSE, SPK_DIST_CONVOLUTION,
 * SPK_DIST_CONVOLUTION_TRANSPOSE): they are not distributions but share
 * this value so that a transform stays one parameter.  They cannot be
 * sampled (spk_distribution_sample refuses them); the builder turns them
 * into weights (engine/builder/spk-builder-transform.c).
 */
#pragma once

#include <glib-object.h>

#include "core/spk-array.h"
#include "core/spk-rng.h"

G_BEGIN_DECLS

#define SPK_TYPE_DISTRIBUTION (spk_distribution_get_type ())

typedef enum
{
  SPK_DIST_UNIFORM,                /* low, high, integer */
  SPK_DIST_GAUSSIAN,               /* mean, std */
  SPK_DIST_CHOICE,                 /* options (rows = choices), weights (NULL = equal) */
  SPK_DIST_UNIFORM_HYPERSPHERE,    /* surface, min_magnitude */
  SPK_DIST_SCATTERED_HYPERSPHERE,  /* surface, min_magnitude */
  SPK_DIST_GLOROT,                 /* scale, normal */
  SPK_DIST_ARRAY,                  /* array: explicit values, no sampling */
  SPK_DIST_EXPONENTIAL,            /* scale, shift, high (default infinite) */
  /* Transforms only (a connection's transform): */
  SPK_DIST_SPARSE,                 /* shape, indices, init */
  SPK_DIST_CONVOLUTION,            /* n_filters, input_shape, kernel_size, strides, padding, channels_last, init, groups */
  SPK_DIST_CONVOLUTION_TRANSPOSE,  /* as Convolution plus output_shape; groups 1 */
} SpkDistKind;

/* At most two spatial dimensions (Nengo's reference simulator runs 1-D and
 * 2-D convolutions), plus the channels. */
#define SPK_CONV_MAX_DIMS 3

/* Whether kind is one of the structured transforms above. */
#define SPK_DIST_KIND_IS_TRANSFORM(kind) ((kind) >= SPK_DIST_SPARSE)

typedef struct _SpkDistribution
{
  SpkDistKind kind;
  double      low, high;      /* Uniform; defaults 0, 1 */
  gboolean    integer;        /* Uniform: integers in [low, high) */
  double      mean, std;      /* Gaussian; defaults 0, 1 */
  SpkArray   *options;        /* Choice: rank 1 (scalars) or 2 (rows are vectors) */
  SpkArray   *weights;        /* Choice: rank 1, or NULL for equal weights */
  gboolean    surface;        /* hyperspheres: on the surface, not in the ball */
  double      min_magnitude;  /* hyperspheres, ball only; default 0 */
  double      scale;          /* Glorot, Exponential; default 1 */
  double      shift;          /* Exponential: the smallest value; default 0 */
  gboolean    normal;         /* Glorot: truncated normal instead of uniform */
  SpkArray   *array;          /* Array */

  /* Structured transforms.  A Sparse transform's indices (nnz × 2, rows
   * then columns) select the entries of a shape[0] × shape[1] matrix
   * whose values init gives (nnz values, one value for all, or a
   * distribution); with indices NULL, init is the dense matrix and its
   * non-zero entries are the transform's (Nengo's scipy matrix init). */
  guint            shape[2];                         /* Sparse: size_out, size_in */
  SpkArray        *indices;                          /* Sparse */
  struct _SpkDistribution *init;                     /* Sparse: values; convolutions: the kernel */
  guint            n_filters;                        /* convolutions */
  guint            n_dims;                           /* convolutions: entries in input_shape (2 or 3) */
  guint            input_shape[SPK_CONV_MAX_DIMS];
  guint            output_shape[SPK_CONV_MAX_DIMS];  /* ConvolutionTranspose; all 0: Nengo's smallest */
  guint            kernel_size[SPK_CONV_MAX_DIMS - 1];
  guint            strides[SPK_CONV_MAX_DIMS - 1];
  gboolean         padding_same;                     /* "same" rather than "valid" */
  gboolean         channels_last;
  guint            groups;
} SpkDistribution;

GType            spk_distribution_get_type      (void) G_GNUC_CONST;

/* Constructors fill every parameter with Nengo's default. */
SpkDistribution *spk_distribution_new           (SpkDistKind            kind) G_GNUC_WARN_UNUSED_RESULT;
SpkDistribution *spk_distribution_new_uniform   (double                 low,
                                                 double                 high) G_GNUC_WARN_UNUSED_RESULT;
SpkDistribution *spk_distribution_new_gaussian  (double                 mean,
                                                 double                 std) G_GNUC_WARN_UNUSED_RESULT;
SpkDistribution *spk_distribution_new_choice    (SpkArray              *options,
                                                 SpkArray              *weights) G_GNUC_WARN_UNUSED_RESULT;
SpkDistribution *spk_distribution_new_hypersphere (gboolean             scattered,
                                                   gboolean             surface) G_GNUC_WARN_UNUSED_RESULT;
SpkDistribution *spk_distribution_new_glorot    (double                 scale,
                                                 gboolean               normal) G_GNUC_WARN_UNUSED_RESULT;
SpkDistribution *spk_distribution_new_array     (SpkArray              *array) G_GNUC_WARN_UNUSED_RESULT;
SpkDistribution *spk_distribution_new_scalar    (double                 value) G_GNUC_WARN_UNUSED_RESULT;
/* Nengo's Sparse(shape, indices, init): init (taken as a reference) is
 * nnz values, one value or a distribution; indices NULL makes init the
 * dense matrix. */
SpkDistribution *spk_distribution_new_sparse    (guint                  size_out,
                                                 guint                  size_in,
                                                 SpkArray              *indices,
                                                 SpkDistribution       *init) G_GNUC_WARN_UNUSED_RESULT;
/* Nengo's Convolution(n_filters, input_shape) (transpose: its
 * ConvolutionTranspose) with Nengo's defaults: kernel 3 (× 3), strides 1,
 * "valid", channels last, init Uniform(-1, 1), groups 1.  n_dims is the
 * length of input_shape: 2 for a 1-D convolution, 3 for 2-D. */
SpkDistribution *spk_distribution_new_convolution (gboolean             transpose,
                                                   guint                n_filters,
                                                   guint                n_dims,
                                                   const guint         *input_shape) G_GNUC_WARN_UNUSED_RESULT;
/* A writable copy, to change a parameter before sharing it. */
SpkDistribution *spk_distribution_copy          (const SpkDistribution *self) G_GNUC_WARN_UNUSED_RESULT;
SpkDistribution *spk_distribution_ref           (SpkDistribution       *self);
void             spk_distribution_unref         (SpkDistribution       *self);
gboolean         spk_distribution_equal         (const SpkDistribution *a,
                                                 const SpkDistribution *b);

/* Nengo's class name ("Uniform", "ScatteredHypersphere", …) and back. */
const char      *spk_distribution_kind_to_name  (SpkDistKind            kind);
gboolean         spk_distribution_kind_from_name (const char           *name,
                                                  SpkDistKind          *kind);

/* Fills out (n × d, row-major) with n samples of dimension d, as Nengo's
 * Distribution.sample(n, d, rng).  For d == 1 and scalar distributions
 * this is n independent draws.  Glorot takes fan_in = d, fan_out = n.
 * SPK_DIST_ARRAY copies its values when its size is n × d and fails
 * with a message otherwise; every other kind always succeeds. */
gboolean         spk_distribution_sample        (const SpkDistribution *self,
                                                 gsize                  n,
                                                 gsize                  d,
                                                 SpkRng                *rng,
                                                 double                *out,
                                                 GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkDistribution, spk_distribution_unref)

G_END_DECLS
