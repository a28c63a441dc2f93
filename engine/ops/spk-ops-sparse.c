/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ops-sparse.c — the Sparse transform's product (spk-ops-sparse.h)
 * in float32 and float64 from one body. */
#define G_LOG_DOMAIN "spk-ops-sparse"

#include "ops/spk-ops-sparse.h"

#include <string.h>

#define SPK_SPARSE_DEFINE(REAL, sfx) \
  void \
  spk_sparse_forward_##sfx (REAL        *y, \
                            const REAL  *x, \
                            const REAL  *values, \
                            const guint *rows, \
                            const guint *cols, \
                            gsize        nnz, \
                            guint        n_in, \
                            guint        n_out, \
                            guint        batch) \
  { \
    memset (y, 0, (gsize) batch * n_out * sizeof (REAL)); \
    for (guint b = 0; b < batch; b++) \
      { \
        REAL *yb = y + (gsize) b * n_out; \
        const REAL *xb = x + (gsize) b * n_in; \
 \
        for (gsize k = 0; k < nnz; k++) \
          yb[rows[k]] += values[k] * xb[cols[k]]; \
      } \
  } \
 \
  void \
  spk_sparse_backward_##sfx (REAL        *g_x, \
                             REAL        *g_values, \
                             const REAL  *g_y, \
                             const REAL  *x, \
                             const REAL  *values, \
                             const guint *rows, \
                             const guint *cols, \
                             gsize        nnz, \
                             guint        n_in, \
                             guint        n_out, \
                             guint        batch) \
  { \
    for (guint b = 0; b < batch; b++) \
      { \
        const REAL *gy = g_y + (gsize) b * n_out, *xb = x + (gsize) b * n_in; \
        REAL *gx = g_x ? g_x + (gsize) b * n_in : NULL; \
 \
        for (gsize k = 0; k < nnz; k++) \
          { \
            if (g_values) \
              g_values[k] += gy[rows[k]] * xb[cols[k]]; \
            if (gx) \
              gx[cols[k]] += values[k] * gy[rows[k]]; \
          } \
      } \
  }

SPK_SPARSE_DEFINE (float, f32)
SPK_SPARSE_DEFINE (double, f64)
