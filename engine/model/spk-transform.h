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

G_END_DECLS
