/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-transform.h — Nengo's structured transforms (Sparse, Convolution,
 * ConvolutionTranspose): their checks, sizes and weights.
 *
 * A transform of these kinds lives in a connection's `transform` as a
 * SpkDistribution of a transform kind (see spk-distribution.h).  The
 * checks are Nengo 4's (nengo/transforms.py), with messages naming the
 * parameter; the weights are the dense size_out × size_in matrix the
 * transform applies, so that every part of the engine that works with a
 * connection's weights can apply them.  The builder runs them with
 * operators of their own (builder/spk-builder-transform.c) and uses the
 * dense matrix only where those cannot (a 2-D convolution with unequal
 * strides, a session saved with the matrix).
 */
#pragma once

#include "core/spk-rng.h"
#include "model/spk-distribution.h"

G_BEGIN_DECLS

/* Checks t as Nengo does when the transform is made, and gives the sizes
 * of the vectors it maps (size_in → size_out). */
gboolean spk_transform_check        (const SpkDistribution *t,
                                     guint                 *size_out,
                                     guint                 *size_in,
                                     GError               **error);

/* A convolution's output shape (n_dims entries, channels where
 * channels_last puts them): the given one of a ConvolutionTranspose, or
 * Nengo's smallest. */
void     spk_transform_output_shape (const SpkDistribution *t,
                                     guint                 *shape);

/* The number of values in a convolution's kernel, kernel_size × (input
 * channels / groups) × n_filters, or a Sparse transform's entries (nnz;
 * with a dense init, its non-zero entries). */
gsize    spk_transform_n_values     (const SpkDistribution *t);

/* The weights: dense (size_out × size_in, zeroed by the caller, or NULL
 * when only values are wanted) receives the matrix; values (spk_transform_n_values) the kernel in Nengo's order
 * (kernel_size, then input channels / groups, then filters) or the
 * Sparse entries, as Nengo's "weights" signal holds them.  A distribution
 * is sampled from rng as Nengo samples it (a convolution's kernel as
 * kernel positions of (channels / groups) × filters draws). */
gboolean spk_transform_weights      (const SpkDistribution *t,
                                     SpkRng                *rng,
                                     double                *dense,
                                     double                *values,
                                     GError               **error);

/* Editing a transform's values (the inspector's editors). */

/* Whether t's values are numbers in the model (a kernel array, a Sparse
 * transform's list, one value for all, or its dense matrix) rather than
 * drawn from a distribution when the model is built. */
gboolean         spk_transform_has_values   (const SpkDistribution *t);

/* A Sparse transform's entries' (row, column) pairs, 2 ×
 * spk_transform_n_values (t) numbers, in the order of its values. */
void             spk_transform_sparse_pairs (const SpkDistribution *t,
                                             double                *pairs);

/* A copy of t with its spk_transform_n_values (t) values given, in
 * spk_transform_weights' order: a convolution's kernel, or a Sparse
 * transform's entries' values.  A Sparse transform given as its dense
 * matrix gets the indices of that matrix's non-zero entries, so that an
 * entry set to 0 stays an entry. */
SpkDistribution *spk_transform_with_values  (const SpkDistribution *t,
                                             const double          *values) G_GNUC_WARN_UNUSED_RESULT;

/* A copy of the Sparse transform t with n entries instead of its own:
 * pairs (n × 2: row, column) and values (n). */
SpkDistribution *spk_transform_with_entries (const SpkDistribution *t,
                                             const double          *pairs,
                                             const double          *values,
                                             gsize                  n) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
