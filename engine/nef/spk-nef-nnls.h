/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-nef-nnls.h — non-negative least squares for Nengo's Nnls, NnlsL2
 * and NnlsL2nz solvers (spk-nef-nnls.c), computed in one fixed order so
 * that a problem gives the same bits whatever the thread counts. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* min |A·x − b| over x ≥ 0, by Lawson and Hanson's active-set method.
 *   A: m × n (row-major), b: m (stride b_stride), x: n (stride x_stride)
 * Fails (SPK_BUILD_ERROR) when memory runs out or, which Lawson and
 * Hanson's safeguards make a sign of non-finite input, after 3·n + 10
 * least-squares steps. */
gboolean spk_nef_nnls                  (const double *A,
                                        gsize         m,
                                        gsize         n,
                                        const double *b,
                                        gsize         b_stride,
                                        double       *x,
                                        gsize         x_stride,
                                        GError      **error);

/* The normal equations of NnlsL2: G = AᵀA (n × n) and GY = Aᵀ·max(Y, 0)
 * (n × k), each sum over the m rows in row order.
 *   A: m × n, Y: m × k (row-major) */
void     spk_nef_nnls_normal_equations (const double *A,
                                        gsize         m,
                                        gsize         n,
                                        const double *Y,
                                        gsize         k,
                                        double       *G,
                                        double       *GY);

G_END_DECLS
