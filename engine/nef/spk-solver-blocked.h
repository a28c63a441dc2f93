/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-solver-blocked.h — LstsqL2 and LstsqL2nz for big ensembles without
 * the whole activity matrix: the activities come in blocks of evaluation
 * points, and only the Gram matrix's upper triangle is ever held.
 *
 * spk_solver_solve() needs A (m × n doubles) at once: 1.6 GB for 10,000
 * neurons at Nengo's 20,000 evaluation points, and a second n × n copy in
 * LAPACKE.  Here the caller produces A a block of rows at a time; each
 * block adds to the Gram matrix Aᵀ·A by a symmetric rank-k update
 * (?syrk on the diagonal tiles, ?gemm beside them), to Aᵀ·Y and to the
 * statistics the regularisation needs, and is dropped.  The Gram matrix
 * lives as tile rows of its upper triangle (n²/2 doubles) and is
 * factorised in place by a tiled Cholesky, which reports progress and
 * stops when asked between tiles.  With `single` the Gram products run
 * in float32 (twice the speed, half the memory while accumulating); the
 * factorisation and the solve are float64 either way.
 */
#pragma once

#include <glib.h>

#include "nef/spk-solver.h"

G_BEGIN_DECLS

/* Writes the activities of evaluation points first_row … first_row +
 * n_rows − 1 into A (n_rows × n, row-major). */
typedef void (*SpkActivitiesFunc) (gsize    first_row,
                                   gsize    n_rows,
                                   double  *A,
                                   gpointer user_data);

/* Called now and then with the fraction of this solve's work done (0–1);
 * returning FALSE stops the solve, which then fails with
 * G_IO_ERROR_CANCELLED. */
typedef gboolean (*SpkSolveProgressFunc) (double   fraction,
                                          gpointer user_data);

/* Whether solver can be solved in blocks for m points and n neurons:
 * LstsqL2 on its primal system (m ≥ n) and LstsqL2nz. */
gboolean spk_solver_can_solve_blocked (const SpkSolver *solver,
                                       gsize            m,
                                       gsize            n);

/* As spk_solver_solve() for such a solver, with A produced by
 * activities in blocks of at most block_rows rows (0: a block of about
 * 32 MB).  rmse comes from the normal equations (|Y|² − Dᵀ·Aᵀ·Y −
 * Dᵀ·Λ·D), not from a second pass over A. */
gboolean spk_solver_solve_blocked    (const SpkSolver     *solver,
                                       SpkActivitiesFunc    activities,
                                       gpointer             activities_data,
                                       gsize                m,
                                       gsize                n,
                                       const double        *Y,
                                       gsize                k,
                                       gboolean             single,
                                       gsize                block_rows,
                                       SpkSolveProgressFunc progress,
                                       gpointer             progress_data,
                                       double              *D,
                                       double              *rmse,
                                       GError             **error);

/* For the tests: TRUE makes float32 solves use the dense Gram products
 * even on a processor that skips the silent points (nef/spk-nef-gram.h). */
void     _spk_solver_blocked_set_dense (gboolean dense);

G_END_DECLS
