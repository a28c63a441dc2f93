/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-nef-gram.h — the float32 Gram products of the blocked decoder solve
 * without the zero activities (spk-nef-gram.c).  Private to the engine.
 *
 * A neuron is silent wherever its current is below threshold: in a big
 * ensemble about half of all activities are zero, and a neuron with a high
 * intercept is active at a few per cent of the evaluation points.  The
 * solver orders the neurons from the most selective, so that six
 * neighbours ("a strip") are silent together at most points, lists per
 * strip the points where any of the six is active, and adds to the Gram
 * matrix over those points only.  Skipping a product whose broadcast
 * values are all zero adds exactly +0 less, so the sums are the dense
 * kernel's. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Rows of a strip: the kernel's broadcast side. */
#define SPK_NEF_STRIP 6
/* Columns of the Gram matrix one call adds to (four AVX-512 vectors). */
#define SPK_NEF_GRAM_COLS 64

/* Whether this processor runs the kernel (AVX-512). */
gboolean _spk_nef_gram_sparse_available (void);

/* Packs strips first_strip … first_strip + n_strips − 1 of the block A
 * (k points × n neurons, row-major): for each strip s, the points where
 * one of its SPK_NEF_STRIP neurons is active, in order and counted from
 * the start of their chunk, into idx + s · ld, and those neurons' values there, SPK_NEF_STRIP per point (zeros
 * past the last neuron), into vals + s · ld · SPK_NEF_STRIP; per chunk
 * of chunk points, where its part of the list starts:
 * start[s · (n_chunks + 1) + c], n_chunks = ⌈k / chunk⌉ (the last entry
 * is the list's length). */
void     _spk_nef_gram_pack          (const float *A,
                                      gsize        k,
                                      gsize        n,
                                      gsize        chunk,
                                      gsize        first_strip,
                                      gsize        n_strips,
                                      guint32     *idx,
                                      float       *vals,
                                      gsize        ld,
                                      guint32     *start);

/* C (rows × w, row stride ldc; rows ≤ SPK_NEF_STRIP, w ≤
 * SPK_NEF_GRAM_COLS) += Σ over the cnt listed points of
 * vals[t][r] · A[idx[t]][0 … w): the sums from zero, then added to C. */
void     _spk_nef_gram_strip         (float         *C,
                                      gsize          ldc,
                                      const float   *vals,
                                      const float   *A,
                                      gsize          lda,
                                      const guint32 *idx,
                                      gsize          cnt,
                                      guint          rows,
                                      guint          w);

G_END_DECLS
