/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-nef-nnls.c — non-negative least squares, min |A·x − b| with x ≥ 0,
 * for Nengo's Nnls, NnlsL2 and NnlsL2nz solvers, by Lawson and Hanson's
 * active-set method (Solving Least Squares Problems, 1974, ch. 23: the
 * algorithm scipy.optimize.nnls runs for Nengo).
 *
 * The method moves the variable with the largest dual (gradient) into the
 * passive set, solves the unconstrained problem on the passive set, and
 * steps back toward the boundary while a passive variable would turn
 * negative.  In exact arithmetic it ends; in floating point it can cycle,
 * adding a variable whose own value in the new solution is not positive
 * and dropping it again at once.  Lawson and Hanson guard against that,
 * and so does this file: a candidate whose column is nearly a combination
 * of the passive ones, or whose value in the new least-squares solution
 * is not positive, is rejected for this round (its dual taken as 0).
 *
 * Every sum here runs in one fixed order, without BLAS or LAPACK, whose
 * sums may be split differently with another number of threads: the same
 * problem takes the same steps and gives the same bits whatever the
 * pool's or OpenBLAS's thread count and the machine's load.  Reentrant;
 * each call allocates its own work arrays.
 */
#define G_LOG_DOMAIN "spk-nef"

#include "nef/spk-nef-nnls.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "core/spk-error.h"

/* Lawson and Hanson's test of a new column's independence: its part
 * orthogonal to the passive columns must still count next to the part
 * in their span, scaled by this factor (their FACTOR). */
#define DEPENDENCE_FACTOR 0.01

typedef struct
{
  gsize   m, n;
  double *Q;       /* m × n_passive, column-major: the passive columns, then their QR */
  double *c;       /* m: b, then Qᵀ·b */
  double *diag;    /* n: R's diagonal */
} LeastSquares;

/* Solves min |A[:, order]·z − b| by Householder QR of the np passive
 * columns in the order they entered; z (np values, in that order).
 * Returns FALSE when the last column is nearly dependent on the others
 * (Lawson and Hanson's test), leaving z unset. */
static gboolean
passive_solve (LeastSquares *ls,
               const double *A,
               const double *b,
               gsize         b_stride,
               const gsize  *order,
               gsize         np,
               double       *z)
{
  gsize m = ls->m, n = ls->n;
  double *Q = ls->Q, *c = ls->c;

  if (np > m)
    return FALSE;
  for (gsize col = 0; col < np; col++)
    for (gsize p = 0; p < m; p++)
      Q[col * m + p] = A[p * n + order[col]];
  for (gsize p = 0; p < m; p++)
    c[p] = b[p * b_stride];

  for (gsize col = 0; col < np; col++)
    {
      double *v = Q + col * m;
      double norm2 = 0, alpha, vtv, head;

      for (gsize p = col; p < m; p++)
        norm2 += v[p] * v[p];
      if (norm2 == 0)
        {
          ls->diag[col] = 0;
          continue;
        }
      /* The reflection that maps v[col:] onto alpha·e_col, with the sign
       * that avoids cancellation. */
      head = v[col];
      alpha = head > 0 ? -sqrt (norm2) : sqrt (norm2);
      v[col] = head - alpha;
      vtv = norm2 - head * head + v[col] * v[col];
      ls->diag[col] = alpha;
      for (gsize other = col + 1; other <= np; other++)
        {
          double *u = other < np ? Q + other * m : c;
          double s = 0;

          for (gsize p = col; p < m; p++)
            s += v[p] * u[p];
          s = 2 * s / vtv;
          for (gsize p = col; p < m; p++)
            u[p] -= s * v[p];
        }
    }

  /* The last column's part outside the others' span: its diagonal; in
   * their span: the entries above it. */
  {
    gsize last = np - 1;
    double above = 0;

    for (gsize r = 0; r < last; r++)
      above += Q[last * m + r] * Q[last * m + r];
    above = sqrt (above);
    if (ls->diag[last] == 0 || above + DEPENDENCE_FACTOR * fabs (ls->diag[last]) == above)
      return FALSE;
  }

  /* R·z = (Qᵀ·b)[0:np]; R's strict upper part is in Q above the diagonal. */
  for (gsize r = np; r-- > 0;)
    {
      double sum = c[r];

      for (gsize col = r + 1; col < np; col++)
        sum -= Q[col * m + r] * z[col];
      z[r] = ls->diag[r] != 0 ? sum / ls->diag[r] : 0;
    }
  return TRUE;
}

gboolean
spk_nef_nnls (const double *A,
              gsize         m,
              gsize         n,
              const double *b,
              gsize         b_stride,
              double       *x,
              gsize         x_stride,
              GError      **error)
{
  g_autofree double *w = g_try_new (double, MAX (n, 1));
  g_autofree double *xs = g_try_new0 (double, MAX (n, 1));
  g_autofree double *z = g_try_new (double, MAX (n, 1));
  g_autofree double *r = g_try_new (double, MAX (m, 1));
  g_autofree gsize *order = g_try_new (gsize, MAX (n, 1));
  g_autofree gboolean *passive = g_try_new0 (gboolean, MAX (n, 1));
  g_autofree gboolean *rejected = g_try_new0 (gboolean, MAX (n, 1));
  g_autofree double *Q = NULL, *c = NULL, *diag = NULL;
  LeastSquares ls = { m, n, NULL, NULL, NULL };
  double norm = 0, tol;
  gsize np = 0, mn;
  guint steps = 0, max_steps = 3 * (guint) n + 10;

  if (g_size_checked_mul (&mn, m, n))
    Q = g_try_malloc_n (MAX (mn, 1), sizeof (double));
  c = g_try_new (double, MAX (m, 1));
  diag = g_try_new (double, MAX (n, 1));
  if (w == NULL || xs == NULL || z == NULL || r == NULL || order == NULL || passive == NULL
      || rejected == NULL || Q == NULL || c == NULL || diag == NULL)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_NO_MEMORY,
                   "not enough memory for the NNLS solve (%" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT ")", m, n);
      return FALSE;
    }
  ls.Q = Q;
  ls.c = c;
  ls.diag = diag;
  for (gsize p = 0; p < m * n; p++)
    norm = MAX (norm, fabs (A[p]));
  tol = 10 * DBL_EPSILON * norm * (double) MAX (m, n);

  for (;;)
    {
      gsize best;

      /* w = Aᵀ(b − A·x): the descent direction of each variable. */
      for (gsize p = 0; p < m; p++)
        {
          double sum = b[p * b_stride];

          for (gsize j = 0; j < n; j++)
            sum -= A[p * n + j] * xs[j];
          r[p] = sum;
        }
      for (gsize j = 0; j < n; j++)
        {
          double sum = 0;

          for (gsize p = 0; p < m; p++)
            sum += A[p * n + j] * r[p];
          w[j] = sum;
          rejected[j] = FALSE;
        }

      /* The candidate with the largest dual that passes Lawson and
       * Hanson's tests; none left: x is optimal (Kuhn–Tucker). */
      for (;;)
        {
          double best_w = tol;

          best = n;
          for (gsize j = 0; j < n; j++)
            if (!passive[j] && !rejected[j] && w[j] > best_w)
              {
                best_w = w[j];
                best = j;
              }
          if (best == n)
            break;
          order[np] = best;
          if (passive_solve (&ls, A, b, b_stride, order, np + 1, z) && z[np] > 0)
            break;
          rejected[best] = TRUE;
        }
      if (best == n)
        break;
      passive[best] = TRUE;
      np++;

      /* z solves the passive set; step back while it is infeasible. */
      for (;;)
        {
          double alpha = INFINITY;
          gsize hit = n;
          gboolean feasible = TRUE;

          if (++steps > max_steps)
            {
              g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SOLVER,
                           "the NNLS solve did not converge in %u steps", max_steps);
              return FALSE;
            }
          for (gsize i = 0; i < np; i++)
            if (z[i] <= 0)
              {
                double gap = xs[order[i]] - z[i];
                double a = gap > 0 ? xs[order[i]] / gap : 0;

                feasible = FALSE;
                if (a < alpha)
                  {
                    alpha = a;
                    hit = order[i];
                  }
              }
          if (feasible)
            {
              for (gsize i = 0; i < np; i++)
                xs[order[i]] = z[i];
              break;
            }
          /* Step from x toward z only as far as x stays non-negative, and
           * drop the variables that reach zero (the one that set the step
           * exactly), keeping the others in the order they entered. */
          {
            gsize kept = 0;

            for (gsize i = 0; i < np; i++)
              {
                gsize j = order[i];

                xs[j] += alpha * (z[i] - xs[j]);
                if (j == hit || xs[j] <= tol)
                  {
                    xs[j] = 0;
                    passive[j] = FALSE;
                  }
                else
                  order[kept++] = j;
              }
            np = kept;
          }
          if (np == 0)
            break;
          /* Removing columns keeps the rest independent. */
          if (!passive_solve (&ls, A, b, b_stride, order, np, z))
            for (gsize i = 0; i < np; i++)
              z[i] = xs[order[i]];
        }
    }
  for (gsize j = 0; j < n; j++)
    x[j * x_stride] = xs[j];
  return TRUE;
}

void
spk_nef_nnls_normal_equations (const double *A,
                               gsize         m,
                               gsize         n,
                               const double *Y,
                               gsize         k,
                               double       *G,
                               double       *GY)
{
  memset (G, 0, n * n * sizeof (double));
  memset (GY, 0, n * k * sizeof (double));
  /* Row by row, so each entry sums over the rows in their order (the
   * upper triangle, mirrored after). */
  for (gsize p = 0; p < m; p++)
    {
      const double *a = A + p * n;

      for (gsize i = 0; i < n; i++)
        {
          double ai = a[i];

          if (ai == 0)
            continue;
          for (gsize j = i; j < n; j++)
            G[i * n + j] += ai * a[j];
          for (gsize q = 0; q < k; q++)
            GY[i * k + q] += ai * MAX (Y[p * k + q], 0.0);
        }
    }
  for (gsize i = 0; i < n; i++)
    for (gsize j = 0; j < i; j++)
      G[i * n + j] = G[j * n + i];
}
