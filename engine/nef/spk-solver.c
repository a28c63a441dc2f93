/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-solver.c — NEF decoder solvers: the SpkSolver value and the
 * regularised least-squares solve behind nengo's LstsqL2 and LstsqL2nz.
 *
 * The regularisation is written the way nengo writes it: a noise level σ
 * relative to the largest activity, entering the normal equations as
 * m·σ² on the diagonal, so that the same reg means the same smoothing
 * whatever the number of evaluation points.  The Gram matrix comes from
 * BLAS (dsyrk), the solve from LAPACKE's Cholesky (dposv).  The function
 * is reentrant; it allocates its own work arrays.
 */
#define G_LOG_DOMAIN "spk-solver"

#include "spk-solver.h"

#include <cblas.h>
#include <float.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

#include "core/spk-error.h"
#include "core/spk-names.h"
#include "nef/spk-nef-nnls.h"

G_DEFINE_BOXED_TYPE (SpkSolver, spk_solver, spk_solver_ref, spk_solver_unref)

SpkSolver *
spk_solver_new (SpkSolverKind kind,
                double        reg)
{
  SpkSolver *self = g_atomic_rc_box_new0 (SpkSolver);

  self->kind = kind;
  self->reg = reg;
  self->rcond = 0.01;
  self->noise = 0.1;
  self->drop = 0.25;
  if (kind == SPK_SOLVER_LSTSQ_DROP)
    {
      self->solver1 = spk_solver_new (SPK_SOLVER_LSTSQ_L2, 0.001);
      self->solver2 = spk_solver_new (SPK_SOLVER_LSTSQ_L2, 0.1);
    }
  return self;
}

SpkSolver *
spk_solver_copy (const SpkSolver *self)
{
  SpkSolver *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_atomic_rc_box_new0 (SpkSolver);
  *copy = *self;
  if (copy->solver1)
    spk_solver_ref (copy->solver1);
  if (copy->solver2)
    spk_solver_ref (copy->solver2);
  if (copy->values)
    spk_array_ref (copy->values);
  return copy;
}

SpkSolver *
spk_solver_ref (SpkSolver *self)
{
  return g_atomic_rc_box_acquire (self);
}

static void
solver_clear (gpointer data)
{
  SpkSolver *self = data;

  g_clear_pointer (&self->solver1, spk_solver_unref);
  g_clear_pointer (&self->solver2, spk_solver_unref);
  g_clear_pointer (&self->values, spk_array_unref);
}

void
spk_solver_unref (SpkSolver *self)
{
  if (self != NULL)
    g_atomic_rc_box_release_full (self, solver_clear);
}

gboolean
spk_solver_equal (const SpkSolver *a,
                  const SpkSolver *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  return a->kind == b->kind && a->reg == b->reg && a->rcond == b->rcond
         && a->noise == b->noise && a->drop == b->drop && !a->weights == !b->weights
         && spk_solver_equal (a->solver1, b->solver1) && spk_solver_equal (a->solver2, b->solver2)
         && (a->values == b->values || (a->values && b->values && spk_array_equal (a->values, b->values)));
}

gboolean
spk_solver_is_compositional (const SpkSolver *self)
{
  g_return_val_if_fail (self != NULL, TRUE);
  return self->kind != SPK_SOLVER_LSTSQ_DROP;
}

static const char *const kind_names[] = {
  [SPK_SOLVER_LSTSQ_L2] = "LstsqL2",
  [SPK_SOLVER_LSTSQ_L2NZ] = "LstsqL2nz",
  [SPK_SOLVER_LSTSQ] = "Lstsq",
  [SPK_SOLVER_NNLS] = "Nnls",
  [SPK_SOLVER_NNLS_L2] = "NnlsL2",
  [SPK_SOLVER_NNLS_L2NZ] = "NnlsL2nz",
  [SPK_SOLVER_LSTSQ_NOISE] = "LstsqNoise",
  [SPK_SOLVER_LSTSQ_MULT_NOISE] = "LstsqMultNoise",
  [SPK_SOLVER_LSTSQ_DROP] = "LstsqDrop",
  [SPK_SOLVER_NO_SOLVER] = "NoSolver",
};

SPK_DEFINE_KIND_NAMES (spk_solver_kind, SpkSolverKind, kind_names, SPK_SOLVER_N_KINDS)

gboolean
spk_solver_validate (const SpkSolver *self,
                     GError         **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((guint) self->kind >= SPK_SOLVER_N_KINDS)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   "unknown solver kind %d", (int) self->kind);
      return FALSE;
    }
  if (!isfinite (self->reg) || self->reg < 0.0)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   "%s reg must be a finite number >= 0 (got %g)",
                   kind_names[self->kind], self->reg);
      return FALSE;
    }
  if (!isfinite (self->rcond) || self->rcond < 0.0)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   "%s rcond must be a finite number >= 0 (got %g)",
                   kind_names[self->kind], self->rcond);
      return FALSE;
    }
  if (!isfinite (self->noise) || self->noise < 0.0)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   "%s noise must be a finite number >= 0 (got %g)",
                   kind_names[self->kind], self->noise);
      return FALSE;
    }
  /* Nengo takes drop = 1 but then indexes past its sorted decoders. */
  if (!(self->drop >= 0.0 && self->drop < 1.0))
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   "%s drop must be a fraction >= 0 and < 1 (got %g)",
                   kind_names[self->kind], self->drop);
      return FALSE;
    }
  if (self->kind == SPK_SOLVER_LSTSQ_DROP)
    {
      if (self->solver1 == NULL || self->solver2 == NULL)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                       "LstsqDrop needs both solver1 and solver2");
          return FALSE;
        }
      if (!spk_solver_validate (self->solver1, error))
        return g_prefix_error (error, "LstsqDrop solver1: "), FALSE;
      if (!spk_solver_validate (self->solver2, error))
        return g_prefix_error (error, "LstsqDrop solver2: "), FALSE;
    }
  if (self->values != NULL && (self->values->ndim != 2 || !spk_array_all_finite (self->values)))
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   "NoSolver values must be a finite n_neurons × size_out matrix");
      return FALSE;
    }
  return TRUE;
}

/* Work arrays scale with the user's model (n × n for a big ensemble), so
 * running out of memory is a build error, not an abort. */
static double *
try_new_doubles (gsize    rows,
                 gsize    cols,
                 GError **error)
{
  gsize count;
  double *data = NULL;

  if (g_size_checked_mul (&count, rows, cols))
    data = g_try_malloc_n (count, sizeof (double));
  if (data == NULL)
    g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_NO_MEMORY,
                 "not enough memory for a %" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT
                 " matrix in the decoder solve", rows, cols);
  return data;
}

static gboolean
check_finite (const double *x,
              gsize         rows,
              gsize         cols,
              const char   *what,
              const char   *col_name,
              GError      **error)
{
  for (gsize i = 0; i < rows; i++)
    for (gsize j = 0; j < cols; j++)
      if (!isfinite (x[i * cols + j]))
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                       "%s contain a non-finite value (%g) at evaluation point %"
                       G_GSIZE_FORMAT ", %s %" G_GSIZE_FORMAT,
                       what, x[i * cols + j], i, col_name, j);
          return FALSE;
        }
  return TRUE;
}

/* Fills lambda (n values) with m·σ_i², the diagonal term of the primal
 * normal equations, as nengo's LstsqL2 / LstsqL2nz compute σ. */
static void
compute_lambda (const SpkSolver *self,
                const double    *A,
                gsize            m,
                gsize            n,
                double          *lambda)
{
  double max_a = -INFINITY;
  double max_abs = 0.0;

  for (gsize p = 0; p < m * n; p++)
    {
      max_a = MAX (max_a, A[p]);
      max_abs = MAX (max_abs, fabs (A[p]));
    }

  if (self->kind == SPK_SOLVER_LSTSQ_L2)
    {
      double sigma = self->reg * max_a;

      for (gsize i = 0; i < n; i++)
        lambda[i] = (double) m * sigma * sigma;
      return;
    }

  /* LstsqL2nz: a neuron active at only a fraction of the points gets its
   * σ scaled by the square root of that fraction, as if noise were added
   * only where it fires (lambda holds σ_i until the last loop).  A neuron that never fires would get σ = 0; nengo gives it
   * the largest σ instead so that the system stays well conditioned,
   * and its decoder comes out zero either way. */
  double sigma_max = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      gsize active = 0;

      for (gsize p = 0; p < m; p++)
        if (A[p * n + i] != 0.0)
          active++;
      lambda[i] = self->reg * max_abs * sqrt ((double) active / (double) m);
      sigma_max = MAX (sigma_max, lambda[i]);
    }
  for (gsize i = 0; i < n; i++)
    {
      double sigma = lambda[i] == 0.0 ? sigma_max : lambda[i];

      lambda[i] = (double) m * sigma * sigma;
    }
}

/* Solves G X = B in place for symmetric positive definite G (size × size,
 * upper triangle set) and B (size × k), both row-major. */
static gboolean
cholesky_solve (double      *G,
                gsize        size,
                double      *B,
                gsize        k,
                const char  *system,
                GError     **error)
{
  lapack_int info = LAPACKE_dposv (LAPACK_ROW_MAJOR, 'U', (lapack_int) size, (lapack_int) k,
                                   G, (lapack_int) size, B, (lapack_int) k);

  if (info == 0)
    return TRUE;
  if (info > 0)
    g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SOLVER,
                 "Cholesky factorisation of the %s Gram matrix failed: it is not "
                 "positive definite (leading minor %d of %" G_GSIZE_FORMAT "); the "
                 "neurons' activities are linearly dependent, so use reg > 0",
                 system, (int) info, size);
  else if (info == LAPACK_WORK_MEMORY_ERROR || info == LAPACK_TRANSPOSE_MEMORY_ERROR)
    g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_NO_MEMORY,
                 "not enough memory for the Cholesky solve of a %" G_GSIZE_FORMAT
                 " × %" G_GSIZE_FORMAT " system", size, size);
  else
    g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SOLVER,
                 "LAPACKE_dposv rejected its argument %d", (int) -info);
  return FALSE;
}

/* numpy.linalg.lstsq: the minimum-norm least-squares solution by SVD
 * (LAPACK's dgelsd, as numpy calls it), singular values at or below
 * rcond · the largest treated as zero.  D: n × k. */
static gboolean
lstsq_solve (const double  *A,
             gsize          m,
             gsize          n,
             const double  *Y,
             gsize          k,
             double         rcond,
             double        *D,
             GError       **error)
{
  gsize rows = MAX (m, n);
  g_autofree double *Acopy = try_new_doubles (m, n, error);
  g_autofree double *B = Acopy ? try_new_doubles (rows, k, error) : NULL;
  g_autofree double *sv = B ? try_new_doubles (MIN (m, n), 1, error) : NULL;
  lapack_int rank, info;

  if (sv == NULL)
    return FALSE;
  memcpy (Acopy, A, m * n * sizeof (double));
  memset (B, 0, rows * k * sizeof (double));
  memcpy (B, Y, m * k * sizeof (double));
  info = LAPACKE_dgelsd (LAPACK_ROW_MAJOR, (lapack_int) m, (lapack_int) n, (lapack_int) k, Acopy,
                         (lapack_int) n, B, (lapack_int) k, sv, rcond, &rank);
  if (info != 0)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SOLVER,
                   "the least-squares solve (LAPACKE_dgelsd) failed (%d)", (int) info);
      return FALSE;
    }
  memcpy (D, B, n * k * sizeof (double));
  return TRUE;
}

/* Nengo's Nnls (on A) and NnlsL2/NnlsL2nz (on the normal equations
 * AᵀA + m·diag(σ²), Aᵀ·Y), one target column at a time.  D: n × k. */
static gboolean
nnls_solve_all (const SpkSolver *self,
                const double    *A,
                gsize            m,
                gsize            n,
                const double    *Y,
                gsize            k,
                double          *D,
                GError         **error)
{
  g_autofree double *G = NULL, *GY = NULL, *sigma = NULL;
  double max_a = -INFINITY;

  if (self->kind == SPK_SOLVER_NNLS)
    {
      for (gsize j = 0; j < k; j++)
        if (!spk_nef_nnls (A, m, n, Y + j, k, D + j, k, error))
          return FALSE;
      return TRUE;
    }
  G = try_new_doubles (n, n, error);
  GY = G ? try_new_doubles (n, k, error) : NULL;
  sigma = GY ? try_new_doubles (n, 1, error) : NULL;
  if (sigma == NULL)
    return FALSE;
  for (gsize p = 0; p < m * n; p++)
    max_a = MAX (max_a, A[p]);
  for (gsize i = 0; i < n; i++)
    {
      if (self->kind == SPK_SOLVER_NNLS_L2)
        sigma[i] = self->reg * max_a;
      else
        {
          gsize active = 0;

          for (gsize p = 0; p < m; p++)
            if (A[p * n + i] > 0)
              active++;
          sigma[i] = self->reg * max_a * sqrt ((double) active / (double) m);
          /* A neuron that never fires: nengo's NnlsL2nz takes σ = 1. */
          if (sigma[i] == 0)
            sigma[i] = 1;
        }
    }
  /* In one fixed order, not by BLAS: the solve's steps follow these bits
   * (spk-nef-nnls.c).  Nengo clips the targets at zero here (Aᵀ·max(Y,
   * 0)); so do we. */
  spk_nef_nnls_normal_equations (A, m, n, Y, k, G, GY);
  for (gsize i = 0; i < n; i++)
    G[i * n + i] += (double) m * sigma[i] * sigma[i];
  for (gsize j = 0; j < k; j++)
    if (!spk_nef_nnls (G, n, n, GY + j, k, D + j, k, error))
      return FALSE;
  return TRUE;
}

/* Cholesky on the normal equations with diagonal term lambda (n values,
 * or one when scalar): the m × m dual when the system is wide and lambda
 * one number, as nengo's Cholesky subsolver chooses, else the n × n
 * primal.  D: n × k. */
static gboolean
cholesky_lstsq (const double *A,
                gsize         m,
                gsize         n,
                const double *Y,
                gsize         k,
                const double *lambda,
                gboolean      scalar,
                double       *D,
                GError      **error)
{
  g_autofree double *G = NULL;
  g_autofree double *B = NULL;

  if (scalar && m < n)
    {
      /* (A·Aᵀ + m·σ²·I) B = Y, then D = Aᵀ·B.  G: m × m, B: m × k. */
      G = try_new_doubles (m, m, error);
      if (G == NULL)
        return FALSE;
      B = try_new_doubles (m, k, error);
      if (B == NULL)
        return FALSE;
      cblas_dsyrk (CblasRowMajor, CblasUpper, CblasNoTrans, (int) m, (int) n,
                   1.0, A, (int) n, 0.0, G, (int) m);
      for (gsize p = 0; p < m; p++)
        G[p * m + p] += lambda[0];
      memcpy (B, Y, m * k * sizeof (double));
      if (!cholesky_solve (G, m, B, k, "m × m (dual)", error))
        return FALSE;
      cblas_dgemm (CblasRowMajor, CblasTrans, CblasNoTrans, (int) n, (int) k, (int) m,
                   1.0, A, (int) n, B, (int) k, 0.0, D, (int) k);
      return TRUE;
    }
  /* (Aᵀ·A + diag(m·σ_i²)) D = Aᵀ·Y, solved in place in D.  G: n × n. */
  G = try_new_doubles (n, n, error);
  if (G == NULL)
    return FALSE;
  cblas_dsyrk (CblasRowMajor, CblasUpper, CblasTrans, (int) n, (int) m,
               1.0, A, (int) n, 0.0, G, (int) n);
  for (gsize i = 0; i < n; i++)
    G[i * n + i] += lambda[scalar ? 0 : i];
  cblas_dgemm (CblasRowMajor, CblasTrans, CblasNoTrans, (int) n, (int) k, (int) m,
               1.0, A, (int) n, Y, (int) k, 0.0, D, (int) k);
  return cholesky_solve (G, n, D, k, "n × n", error);
}

/* LstsqNoise and LstsqMultNoise: noise on a copy of A, then the
 * unregularised Cholesky solve (nengo calls its subsolver with σ = 0). */
static gboolean
noise_solve (const SpkSolver *self,
             const double    *A,
             gsize            m,
             gsize            n,
             const double    *Y,
             gsize            k,
             SpkRng          *rng,
             double          *D,
             GError         **error)
{
  g_autofree double *noisy = try_new_doubles (m, n, error);
  const double zero = 0.0;
  double max_abs = 0.0;

  if (noisy == NULL)
    return FALSE;
  for (gsize p = 0; p < m * n; p++)
    max_abs = MAX (max_abs, fabs (A[p]));
  for (gsize p = 0; p < m * n; p++)
    noisy[p] = self->kind == SPK_SOLVER_LSTSQ_NOISE
               ? A[p] + self->noise * max_abs * spk_rng_normal (rng)
               : A[p] + self->noise * spk_rng_normal (rng) * A[p];
  return cholesky_lstsq (noisy, m, n, Y, k, &zero, TRUE, D, error);
}

static gboolean solve_kind (const SpkSolver *self, const double *A, gsize m, gsize n,
                            const double *Y, gsize k, SpkRng *rng, double *D, GError **error);

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* LstsqDrop: solver1 on everything, then the decoders smaller in
 * magnitude than the one at rank round(drop · n·k) are zeroed, and each
 * column is solved again by solver2 on the neurons it kept. */
static gboolean
drop_solve (const SpkSolver *self,
            const double    *A,
            gsize            m,
            gsize            n,
            const double    *Y,
            gsize            k,
            SpkRng          *rng,
            double          *D,
            GError         **error)
{
  g_autofree double *sorted = try_new_doubles (n, k, error);
  g_autofree double *Asub = sorted ? try_new_doubles (m, n, error) : NULL;
  g_autofree double *ycol = Asub ? try_new_doubles (m, 1, error) : NULL;
  g_autofree double *dcol = ycol ? try_new_doubles (n, 1, error) : NULL;
  double threshold;
  gsize rank;

  if (dcol == NULL)
    return FALSE;
  if (!solve_kind (self->solver1, A, m, n, Y, k, rng, D, error))
    return g_prefix_error (error, "LstsqDrop solver1: "), FALSE;
  for (gsize p = 0; p < n * k; p++)
    sorted[p] = fabs (D[p]);
  qsort (sorted, n * k, sizeof (double), compare_doubles);
  /* numpy's round: halves to even, as nearbyint in the default mode. */
  rank = (gsize) nearbyint (self->drop * (double) (n * k));
  threshold = sorted[MIN (rank, n * k - 1)];
  for (gsize p = 0; p < n * k; p++)
    if (fabs (D[p]) < threshold)
      D[p] = 0.0;

  for (gsize j = 0; j < k; j++)
    {
      gsize kept = 0;

      for (gsize i = 0; i < n; i++)
        if (D[i * k + j] != 0.0)
          kept++;
      if (kept == 0)
        continue;
      for (gsize p = 0; p < m; p++)
        {
          gsize c = 0;

          for (gsize i = 0; i < n; i++)
            if (D[i * k + j] != 0.0)
              Asub[p * kept + c++] = A[p * n + i];
          ycol[p] = Y[p * k + j];
        }
      if (!solve_kind (self->solver2, Asub, m, kept, ycol, 1, rng, dcol, error))
        return g_prefix_error (error, "LstsqDrop solver2: "), FALSE;
      for (gsize i = 0, c = 0; i < n; i++)
        if (D[i * k + j] != 0.0)
          D[i * k + j] = dcol[c++];
    }
  return TRUE;
}

/* NoSolver: the given decoders, which must fit the connection. */
static gboolean
given_decoders (const SpkSolver *self,
                gsize            n,
                gsize            k,
                double          *D,
                GError         **error)
{
  SpkArray *values = self->values;

  if (values == NULL)
    {
      memset (D, 0, n * k * sizeof (double));
      return TRUE;
    }
  if (values->ndim != 2 || values->shape[0] != n || values->shape[1] != k)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                   "NoSolver values have shape (%" G_GSIZE_FORMAT ", %" G_GSIZE_FORMAT
                   ") but this connection needs (%" G_GSIZE_FORMAT ", %" G_GSIZE_FORMAT
                   ") (pre neurons × function size)",
                   values->ndim == 2 ? values->shape[0] : values->size,
                   values->ndim == 2 ? values->shape[1] : (gsize) 1, n, k);
      return FALSE;
    }
  memcpy (D, values->data, n * k * sizeof (double));
  return TRUE;
}

/* One solve of any kind but NoSolver, on checked input. */
static gboolean
solve_kind (const SpkSolver *self,
            const double    *A,
            gsize            m,
            gsize            n,
            const double    *Y,
            gsize            k,
            SpkRng          *rng,
            double          *D,
            GError         **error)
{
  g_autofree double *lambda = NULL;

  switch (self->kind)
    {
    case SPK_SOLVER_LSTSQ:
      return lstsq_solve (A, m, n, Y, k, self->rcond, D, error);
    case SPK_SOLVER_NNLS:
    case SPK_SOLVER_NNLS_L2:
    case SPK_SOLVER_NNLS_L2NZ:
      return nnls_solve_all (self, A, m, n, Y, k, D, error);
    case SPK_SOLVER_LSTSQ_NOISE:
    case SPK_SOLVER_LSTSQ_MULT_NOISE:
      return noise_solve (self, A, m, n, Y, k, rng, D, error);
    case SPK_SOLVER_LSTSQ_DROP:
      return drop_solve (self, A, m, n, Y, k, rng, D, error);
    case SPK_SOLVER_NO_SOLVER:
      return given_decoders (self, n, k, D, error);
    case SPK_SOLVER_LSTSQ_L2:
    case SPK_SOLVER_LSTSQ_L2NZ:
      if (!(lambda = try_new_doubles (n, 1, error)))
        return FALSE;
      compute_lambda (self, A, m, n, lambda);
      /* nengo's Cholesky subsolver takes the m × m dual only for a scalar
       * σ; the per-neuron σ of LstsqL2nz keeps the primal form. */
      return cholesky_lstsq (A, m, n, Y, k, lambda, self->kind == SPK_SOLVER_LSTSQ_L2, D, error);
    case SPK_SOLVER_N_KINDS:
    default:
      g_assert_not_reached ();
    }
}

gboolean
spk_solver_solve (const SpkSolver *self,
                  const double    *A,
                  gsize            m,
                  gsize            n,
                  const double    *Y,
                  gsize            k,
                  double          *D,
                  double          *rmse,
                  GError         **error)
{
  return spk_solver_solve_with_rng (self, A, m, n, Y, k, NULL, D, rmse, error);
}

gboolean
spk_solver_solve_with_rng (const SpkSolver *self,
                           const double    *A,
                           gsize            m,
                           gsize            n,
                           const double    *Y,
                           gsize            k,
                           SpkRng          *rng,
                           double          *D,
                           double          *rmse,
                           GError         **error)
{
  g_autofree double *R = NULL;
  gboolean silent = TRUE;
  SpkRng fixed;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (D != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!spk_solver_validate (self, error))
    return FALSE;
  if (m == 0 || n == 0 || k == 0)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                   "cannot solve for decoders with %" G_GSIZE_FORMAT " evaluation points, %"
                   G_GSIZE_FORMAT " neurons and %" G_GSIZE_FORMAT " dimensions; "
                   "each must be at least 1", m, n, k);
      return FALSE;
    }
  /* Given decoders need no activities (Nengo does not compute them). */
  if (self->kind == SPK_SOLVER_NO_SOLVER && A == NULL)
    return given_decoders (self, n, k, D, error);
  g_return_val_if_fail (A != NULL && Y != NULL, FALSE);
  /* BLAS and LAPACK index with int; a size past that would wrap. */
  if (m > G_MAXINT || n > G_MAXINT || k > G_MAXINT)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                   "a decoder solve of %" G_GSIZE_FORMAT " points × %" G_GSIZE_FORMAT
                   " neurons × %" G_GSIZE_FORMAT " dimensions is too large for BLAS",
                   m, n, k);
      return FALSE;
    }
  if (!check_finite (A, m, n, "the activities", "neuron", error)
      || !check_finite (Y, m, k, "the decoding targets", "dimension", error))
    return FALSE;

  for (gsize p = 0; p < m * n && silent; p++)
    silent = A[p] == 0.0;
  if (silent && self->kind != SPK_SOLVER_NO_SOLVER)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SOLVER,
                   "all neurons are silent at the evaluation points, so no decoders "
                   "can be found; check the ensemble's intercepts, max_rates and "
                   "eval_points");
      return FALSE;
    }
  if (rng == NULL)
    {
      spk_rng_init (&fixed, 0);
      rng = &fixed;
    }
  if (!solve_kind (self, A, m, n, Y, k, rng, D, error))
    return FALSE;

  if (rmse != NULL)
    {
      /* R = Y − A·D, m × k. */
      R = try_new_doubles (m, k, error);
      if (R == NULL)
        return FALSE;
      memcpy (R, Y, m * k * sizeof (double));
      cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) m, (int) k, (int) n,
                   -1.0, A, (int) n, D, (int) k, 1.0, R, (int) k);
      for (gsize j = 0; j < k; j++)
        rmse[j] = 0.0;
      for (gsize p = 0; p < m; p++)
        for (gsize j = 0; j < k; j++)
          rmse[j] += R[p * k + j] * R[p * k + j];
      for (gsize j = 0; j < k; j++)
        rmse[j] = sqrt (rmse[j] / (double) m);
    }
  return TRUE;
}
