/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ops-sparse.h — Nengo's Sparse transform as a product with its
 * entries (coordinate form: entry k adds values[k]·x[cols[k]] to
 * y[rows[k]]), forward beside backward, in float32 and float64.
 *
 * x is batch × n_in and y batch × n_out, row-major.  Entries are summed
 * in their order, a repeated index adding up as in Nengo's CSR matrix.
 * The backward adds into the gradients it receives (NULL: skipped), as
 * the layer kernels do: g_values (nnz) += Σ_batch g_y[rows[k]]·x[cols[k]],
 * g_x += Sᵀ·g_y. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SPK_SPARSE_DECLARE(REAL, sfx) \
  /* y (batch × n_out) = S·x (batch × n_in). */ \
  void spk_sparse_forward_##sfx (REAL *y, const REAL *x, const REAL *values, const guint *rows, \
                                 const guint *cols, gsize nnz, guint n_in, guint n_out, guint batch); \
  void spk_sparse_backward_##sfx (REAL *g_x, REAL *g_values, const REAL *g_y, const REAL *x, \
                                  const REAL *values, const guint *rows, const guint *cols, gsize nnz, \
                                  guint n_in, guint n_out, guint batch);

SPK_SPARSE_DECLARE (float, f32)
SPK_SPARSE_DECLARE (double, f64)

G_END_DECLS
