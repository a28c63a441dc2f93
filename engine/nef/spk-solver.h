/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-solver.h — Nengo's L2-regularised least-squares decoder solvers as an
 * immutable, reference-counted value (a boxed type usable as a GObject
 * property), and the solve itself.
 *
 * A connection's solver is a SpkSolver; the builder hands it the activities
 * of the presynaptic ensemble at the evaluation points and the function
 * targets, and gets decoders back.  The semantics follow nengo.solvers
 * (LstsqL2, LstsqL2nz with nengo's default Cholesky subsolver; Lstsq;
 * Nnls, NnlsL2, NnlsL2nz by Lawson and Hanson's active-set method, as
 * scipy's nnls; LstsqNoise and LstsqMultNoise, which add noise to the
 * activities from the builder's random stream; LstsqDrop, which solves,
 * zeroes the smallest decoders and solves again; NoSolver, decoders
 * given).  With `weights` set, a connection between two ensembles gets
 * full neuron-to-neuron weights (the builder combines them with the
 * post's encoders).
 */
#pragma once

#include <glib-object.h>

#include "core/spk-array.h"
#include "core/spk-rng.h"

G_BEGIN_DECLS

#define SPK_TYPE_SOLVER (spk_solver_get_type ())

typedef enum
{
  SPK_SOLVER_LSTSQ_L2,     /* σ = reg · max(A) */
  SPK_SOLVER_LSTSQ_L2NZ,   /* σ_i = reg · max|A| · sqrt(fraction of nonzero A[:, i]) */
  SPK_SOLVER_LSTSQ,        /* unregularised: numpy's lstsq (SVD), singular values below rcond·max dropped */
  SPK_SOLVER_NNLS,         /* non-negative least squares on A */
  SPK_SOLVER_NNLS_L2,      /* non-negative, on the normal equations with σ = reg · max(A) */
  SPK_SOLVER_NNLS_L2NZ,    /* non-negative, σ_i = reg · max(A) · sqrt(fraction of positive A[:, i]) */
  SPK_SOLVER_LSTSQ_NOISE,  /* A + N(0, noise · max|A|), then unregularised Cholesky */
  SPK_SOLVER_LSTSQ_MULT_NOISE, /* A + N(0, noise) · A, then unregularised Cholesky */
  SPK_SOLVER_LSTSQ_DROP,   /* solver1, zero the `drop` fraction nearest 0, solver2 on the rest */
  SPK_SOLVER_NO_SOLVER,    /* the decoders in `values`, or zeros */
  SPK_SOLVER_N_KINDS
} SpkSolverKind;

typedef struct _SpkSolver SpkSolver;

struct _SpkSolver
{
  SpkSolverKind kind;
  double        reg;       /* LstsqL2, LstsqL2nz, NnlsL2, NnlsL2nz: regularisation as a
                            * fraction of the largest activity (0.1) */
  double        rcond;     /* Lstsq: relative cut-off of the singular values (0.01) */
  double        noise;     /* LstsqNoise, LstsqMultNoise: noise as a fraction of the
                            * activity (0.1) */
  double        drop;      /* LstsqDrop: fraction of decoders set to zero (0.25) */
  gboolean      weights;   /* full neuron-to-neuron weights rather than decoders */
  SpkSolver    *solver1;   /* LstsqDrop: the first solve (LstsqL2(reg=0.001)); owned */
  SpkSolver    *solver2;   /* LstsqDrop: the solve after dropping (LstsqL2(reg=0.1)); owned */
  SpkArray     *values;    /* NoSolver: n_neurons × size_out decoders, NULL for zeros; owned */
};

GType       spk_solver_get_type       (void) G_GNUC_CONST;

/* Nengo's default reg is 0.1; rcond 0.01, noise 0.1, drop 0.25 and
 * LstsqDrop's two sub-solvers are set here.  Values are not checked
 * here; spk_solver_validate() says what is wrong with them. */
SpkSolver  *spk_solver_new            (SpkSolverKind    kind,
                                       double           reg) G_GNUC_WARN_UNUSED_RESULT;
SpkSolver  *spk_solver_copy           (const SpkSolver *self) G_GNUC_WARN_UNUSED_RESULT;
SpkSolver  *spk_solver_ref            (SpkSolver       *self);
void        spk_solver_unref          (SpkSolver       *self);
gboolean    spk_solver_equal          (const SpkSolver *a,
                                       const SpkSolver *b);

/* Nengo's class name ("LstsqL2", "Nnls", …) and back. */
const char *spk_solver_kind_to_name   (SpkSolverKind    kind);
gboolean    spk_solver_kind_from_name (const char      *name,
                                       SpkSolverKind   *kind);

/* Fails with SPK_BUILD_ERROR_INVALID unless the kind is known, reg,
 * rcond and noise are finite and not negative, drop is in [0, 1), NoSolver's
 * values are a finite matrix and LstsqDrop's sub-solvers are valid. */
gboolean    spk_solver_validate       (const SpkSolver *self,
                                       GError         **error);

/* Nengo's `compositional`: FALSE for LstsqDrop, whose full weights must
 * be solved for the post neurons' currents directly. */
gboolean    spk_solver_is_compositional (const SpkSolver *self);

/* Solves for decoders D minimising |Y − A·D|² + m·Σ σ_i² |D_i|².
 *
 *   A:    m × n activities (m evaluation points, n neurons), row-major
 *   Y:    m × k targets, row-major
 *   D:    n × k decoders, row-major (written)
 *   rmse: k values, the RMS over the m points of each column of Y − A·D
 *         (written when not NULL)
 *
 * All in double precision; the regularised Gram matrix is factorised by
 * Cholesky.  LstsqL2 with m < n solves the smaller m × m dual system, as
 * nengo does; LstsqL2nz always solves the n × n primal one, because the
 * per-neuron σ has no m × m dual of the same form.  Fails (and leaves D
 * and rmse unspecified) on an invalid solver, an empty size, non-finite
 * input, an all-zero A, a matrix that is not positive definite, or when
 * the work arrays cannot be allocated. */
gboolean    spk_solver_solve          (const SpkSolver *self,
                                       const double    *A,
                                       gsize            m,
                                       gsize            n,
                                       const double    *Y,
                                       gsize            k,
                                       double          *D,
                                       double          *rmse,
                                       GError         **error);

/* The same with the random stream the noise solvers draw from (NULL: a
 * fixed stream).  NoSolver needs no activities: A may be NULL for it. */
gboolean    spk_solver_solve_with_rng (const SpkSolver *self,
                                       const double    *A,
                                       gsize            m,
                                       gsize            n,
                                       const double    *Y,
                                       gsize            k,
                                       SpkRng          *rng,
                                       double          *D,
                                       double          *rmse,
                                       GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkSolver, spk_solver_unref)

G_END_DECLS
