/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-nef-kernels.h — the element-wise loops of the blocked decoder solve
 * for float32 models (spk-nef-kernels.c): a block of activities to
 * float32, both ways round, with the statistics the regularisation
 * needs; and the LIF rates eight neurons at a time.  Private to the
 * engine. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A (rows × n doubles, row-major) → Af (rows × n floats) and its
 * transpose At (n rows of ldt floats, columns col0 …; none if NULL), and the largest
 * value, the largest magnitude and, if active is not NULL, per neuron the
 * count of non-zero values added to active.  FALSE (statistics then
 * incomplete) if a value is not finite: the caller finds and names it. */
gboolean _spk_nef_block_to_f32 (const double *restrict A,
                                gsize                  rows,
                                gsize                  n,
                                float *restrict        Af,
                                float *restrict        At,
                                gsize                  ldt,
                                gsize                  col0,
                                double                *max_a,
                                double                *max_abs,
                                guint64 *restrict      active);

/* Af (rows × n) → At (n rows of ldt floats, columns col0 …). */
void     _spk_nef_transpose_f32 (const float *restrict Af,
                                 gsize                 rows,
                                 gsize                 n,
                                 float *restrict       At,
                                 gsize                 ldt,
                                 gsize                 col0);

/* For the residual of a symmetric system from its upper triangle: with
 * g[j] = G[i][i + 1 + j] (j < len), X and R the rows after i (k values
 * each): ri −= Σ g[j]·X[j] and R[j] −= g[j]·xi, summed in float64. */
void     _spk_nef_residual_row  (const float *restrict  g,
                                 gsize                  len,
                                 gsize                  k,
                                 const double *restrict xi,
                                 double *restrict       ri,
                                 const double *restrict X,
                                 double *restrict       R);

/* x (rows × n) ← Nengo's LIFRate of gain[i]·x + bias[i] (i the column),
 * eight neurons at a time with glibc's vector log1p (a few ulps from
 * libm's).  FALSE (x untouched) without AVX-512. */
gboolean _spk_nef_lif_rates    (double                 amplitude,
                                double                 tau_rc,
                                double                 tau_ref,
                                const double          *gain,
                                const double          *bias,
                                gsize                  rows,
                                gsize                  n,
                                double                *x);

G_END_DECLS
