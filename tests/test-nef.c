/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-nef.c — the decoder solvers: the SpkSolver value, agreement with a
 * naive long-double reference of the normal equations, exact recovery
 * without regularisation, a realistic NEF decoding problem, LstsqL2nz's
 * per-neuron σ, and the error messages for bad input. */
#include <math.h>

#include <json-glib/json-glib.h>

#include "core/spk-error.h"
#include "core/spk-rng.h"
#include "nef/spk-solver.h"

/* The diagonal term m·σ_i² as nengo defines it, written out directly:
 * LstsqL2 takes σ = reg·max(A) (signed max), LstsqL2nz takes
 * σ_i = reg·max|A|·sqrt(fraction of nonzero A[:, i]), with a zero σ_i
 * replaced by the largest one. */
static void
reference_lambda (SpkSolverKind kind,
                  double        reg,
                  const double *A,
                  gsize         m,
                  gsize         n,
                  long double  *lambda)
{
  double max_a = A[0], max_abs = 0.0, sigma_max = 0.0;

  for (gsize p = 0; p < m * n; p++)
    {
      max_a = MAX (max_a, A[p]);
      max_abs = MAX (max_abs, fabs (A[p]));
    }
  for (gsize i = 0; i < n; i++)
    {
      long double sigma = (long double) reg * max_a;

      if (kind == SPK_SOLVER_LSTSQ_L2NZ)
        {
          gsize nonzero = 0;

          for (gsize p = 0; p < m; p++)
            nonzero += A[p * n + i] != 0.0;
          sigma = (long double) reg * max_abs * sqrtl ((long double) nonzero / m);
          sigma_max = MAX (sigma_max, (double) sigma);
        }
      lambda[i] = sigma;
    }
  for (gsize i = 0; i < n; i++)
    {
      long double sigma = lambda[i] == 0.0L ? sigma_max : lambda[i];

      lambda[i] = (long double) m * sigma * sigma;
    }
}

/* Always the n × n primal system (AᵀA + diag λ) D = AᵀY, by Gaussian
 * elimination with partial pivoting in long double, so that for m < n it
 * also checks the solver's dual form against the primal one. */
static void
reference_solve (SpkSolverKind kind,
                 double        reg,
                 const double *A,
                 gsize         m,
                 gsize         n,
                 const double *Y,
                 gsize         k,
                 double       *D,
                 double       *rmse)
{
  gsize w = n + k;
  g_autofree long double *lambda = g_new (long double, n);
  g_autofree long double *M = g_new0 (long double, n * w);

  reference_lambda (kind, reg, A, m, n, lambda);
  for (gsize i = 0; i < n; i++)
    {
      for (gsize j = 0; j < n; j++)
        for (gsize p = 0; p < m; p++)
          M[i * w + j] += (long double) A[p * n + i] * A[p * n + j];
      M[i * w + i] += lambda[i];
      for (gsize c = 0; c < k; c++)
        for (gsize p = 0; p < m; p++)
          M[i * w + n + c] += (long double) A[p * n + i] * Y[p * k + c];
    }

  for (gsize col = 0; col < n; col++)
    {
      gsize pivot = col;

      for (gsize r = col + 1; r < n; r++)
        if (fabsl (M[r * w + col]) > fabsl (M[pivot * w + col]))
          pivot = r;
      for (gsize c = 0; c < w; c++)
        {
          long double t = M[col * w + c];

          M[col * w + c] = M[pivot * w + c];
          M[pivot * w + c] = t;
        }
      for (gsize r = col + 1; r < n; r++)
        {
          long double f = M[r * w + col] / M[col * w + col];

          for (gsize c = col; c < w; c++)
            M[r * w + c] -= f * M[col * w + c];
        }
    }
  for (gsize c = 0; c < k; c++)
    for (gsize r = n; r-- > 0;)
      {
        long double s = M[r * w + n + c];

        for (gsize j = r + 1; j < n; j++)
          s -= M[r * w + j] * D[j * k + c];
        D[r * k + c] = (double) (s / M[r * w + r]);
      }

  for (gsize c = 0; c < k; c++)
    {
      long double sum = 0.0L;

      for (gsize p = 0; p < m; p++)
        {
          long double e = Y[p * k + c];

          for (gsize i = 0; i < n; i++)
            e -= (long double) A[p * n + i] * D[i * k + c];
          sum += e * e;
        }
      rmse[c] = (double) sqrtl (sum / m);
    }
}

/* max |x − ref| / max |ref|. */
static double
relative_error (const double *x,
                const double *ref,
                gsize         count)
{
  double diff = 0.0, scale = 0.0;

  for (gsize i = 0; i < count; i++)
    {
      diff = MAX (diff, fabs (x[i] - ref[i]));
      scale = MAX (scale, fabs (ref[i]));
    }
  return diff / scale;
}

static void
fill_uniform (SpkRng *rng,
              double *x,
              gsize   count,
              double  low,
              double  high)
{
  for (gsize i = 0; i < count; i++)
    x[i] = low + (high - low) * spk_rng_uniform (rng);
}

/* Solves with the library and the reference and compares both decoders
 * and reported RMSE. */
static void
check_against_reference (SpkSolverKind kind,
                         double        reg,
                         const double *A,
                         gsize         m,
                         gsize         n,
                         const double *Y,
                         gsize         k,
                         double        tolerance)
{
  g_autoptr (SpkSolver) solver = spk_solver_new (kind, reg);
  g_autoptr (GError) error = NULL;
  g_autofree double *D = g_new (double, n * k);
  g_autofree double *D_ref = g_new (double, n * k);
  g_autofree double *rmse = g_new (double, k);
  g_autofree double *rmse_ref = g_new (double, k);

  g_assert_true (spk_solver_solve (solver, A, m, n, Y, k, D, rmse, &error));
  g_assert_no_error (error);
  reference_solve (kind, reg, A, m, n, Y, k, D_ref, rmse_ref);
  g_test_message ("%s m=%zu n=%zu: decoder error %.3g, rmse error %.3g",
                  spk_solver_kind_to_name (kind), m, n,
                  relative_error (D, D_ref, n * k), relative_error (rmse, rmse_ref, k));
  g_assert_cmpfloat (relative_error (D, D_ref, n * k), <=, tolerance);
  g_assert_cmpfloat (relative_error (rmse, rmse_ref, k), <=, tolerance);
}

static void
test_value (void)
{
  g_autoptr (SpkSolver) a = spk_solver_new (SPK_SOLVER_LSTSQ_L2, 0.1);
  g_autoptr (SpkSolver) b = spk_solver_new (SPK_SOLVER_LSTSQ_L2, 0.1);
  g_autoptr (SpkSolver) c = spk_solver_new (SPK_SOLVER_LSTSQ_L2NZ, 0.1);
  g_autoptr (SpkSolver) d = spk_solver_new (SPK_SOLVER_LSTSQ_L2, 0.2);
  g_autoptr (SpkSolver) copy = NULL;
  g_auto (GValue) value = G_VALUE_INIT;
  SpkSolverKind kind;

  g_assert_true (spk_solver_equal (a, b));
  g_assert_false (spk_solver_equal (a, c));
  g_assert_false (spk_solver_equal (a, d));
  g_assert_false (spk_solver_equal (a, NULL));
  g_assert_true (spk_solver_equal (NULL, NULL));

  g_assert_true (G_TYPE_IS_BOXED (SPK_TYPE_SOLVER));
  copy = g_boxed_copy (SPK_TYPE_SOLVER, a);
  g_assert_true (copy == a);
  g_value_init (&value, SPK_TYPE_SOLVER);
  g_value_set_boxed (&value, c);
  g_assert_true (spk_solver_equal (g_value_get_boxed (&value), c));

  g_assert_cmpstr (spk_solver_kind_to_name (SPK_SOLVER_LSTSQ_L2), ==, "LstsqL2");
  g_assert_cmpstr (spk_solver_kind_to_name (SPK_SOLVER_LSTSQ_L2NZ), ==, "LstsqL2nz");
  for (int i = 0; i < SPK_SOLVER_N_KINDS; i++)
    {
      g_assert_true (spk_solver_kind_from_name (spk_solver_kind_to_name (i), &kind));
      g_assert_cmpint (kind, ==, i);
    }
  g_assert_false (spk_solver_kind_from_name ("LstsqL1", &kind));
  g_assert_false (spk_solver_kind_from_name (NULL, &kind));

  g_assert_true (spk_solver_validate (a, NULL));
  g_assert_true (spk_solver_validate (c, NULL));
}

/* Random A and Y, both shapes, both kinds.  The regularised Gram
 * matrices here have condition numbers below about 1e3, so double
 * precision Cholesky agrees with the long-double reference to ~1e-13;
 * 1e-9 leaves room for any BLAS summation order, while a wrong σ, a
 * missing factor m or a wrong dual form changes D by far more than 1e-3.
 * A has negative entries larger in magnitude than its positive ones, so
 * LstsqL2's signed max(A) differs from max|A|. */
static void
test_reference (void)
{
  static const gsize shapes[][3] = {
    { 40, 25, 2 },   /* m ≥ n: primal */
    { 25, 25, 1 },   /* m = n: primal */
    { 15, 40, 3 },   /* m < n: dual for LstsqL2 */
  };
  SpkRng rng;

  spk_rng_init (&rng, 1234);
  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      gsize m = shapes[s][0], n = shapes[s][1], k = shapes[s][2];
      g_autofree double *A = g_new (double, m * n);
      g_autofree double *Y = g_new (double, m * k);

      fill_uniform (&rng, A, m * n, -1.0, 0.6);
      fill_uniform (&rng, Y, m * k, -1.0, 1.0);
      check_against_reference (SPK_SOLVER_LSTSQ_L2, 0.1, A, m, n, Y, k, 1e-9);
      check_against_reference (SPK_SOLVER_LSTSQ_L2, 0.5, A, m, n, Y, k, 1e-9);
      check_against_reference (SPK_SOLVER_LSTSQ_L2NZ, 0.1, A, m, n, Y, k, 1e-9);
    }
}

/* With reg = 0 and small integer data, Y = A·D_true is exact in double,
 * so the solve must return D_true up to Cholesky round-off.  AᵀA (and
 * AAᵀ) here have condition numbers below 100, so 1e-12 is generous.
 * For m < n the least-squares solution is not unique; the dual form
 * returns the minimum-norm one, which is D_true when D_true = Aᵀc lies in
 * the row space of A. */
static void
test_exact (void)
{
  static const double A_tall[5 * 3] = {
    2, 0, 1,
    1, 3, 0,
    0, 1, 4,
    1, 1, 1,
    3, -1, 2,
  };
  static const double D_tall[3 * 2] = {
    1, -2,
    3, 0.5,
    -1, 4,
  };
  static const double A_wide[2 * 4] = {
    1, 2, 0, -1,
    0, 1, 3, 1,
  };
  static const double c_wide[2] = { 2, -1 };
  double Y[5 * 2], D[4 * 2], D_true[4], rmse[2];
  g_autoptr (SpkSolver) l2 = spk_solver_new (SPK_SOLVER_LSTSQ_L2, 0.0);
  g_autoptr (SpkSolver) l2nz = spk_solver_new (SPK_SOLVER_LSTSQ_L2NZ, 0.0);
  SpkSolver *solvers[] = { l2, l2nz };

  for (gsize p = 0; p < 5; p++)
    for (gsize c = 0; c < 2; c++)
      {
        Y[p * 2 + c] = 0;
        for (gsize i = 0; i < 3; i++)
          Y[p * 2 + c] += A_tall[p * 3 + i] * D_tall[i * 2 + c];
      }
  for (guint s = 0; s < G_N_ELEMENTS (solvers); s++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_true (spk_solver_solve (solvers[s], A_tall, 5, 3, Y, 2, D, rmse, &error));
      g_assert_no_error (error);
      for (gsize i = 0; i < 3 * 2; i++)
        g_assert_cmpfloat_with_epsilon (D[i], D_tall[i], 1e-12);
      g_assert_cmpfloat (rmse[0], <, 1e-12);
      g_assert_cmpfloat (rmse[1], <, 1e-12);
    }

  {
    g_autoptr (GError) error = NULL;

    for (gsize i = 0; i < 4; i++)
      D_true[i] = A_wide[0 * 4 + i] * c_wide[0] + A_wide[1 * 4 + i] * c_wide[1];
    for (gsize p = 0; p < 2; p++)
      {
        Y[p] = 0;
        for (gsize i = 0; i < 4; i++)
          Y[p] += A_wide[p * 4 + i] * D_true[i];
      }
    g_assert_true (spk_solver_solve (l2, A_wide, 2, 4, Y, 1, D, rmse, &error));
    g_assert_no_error (error);
    for (gsize i = 0; i < 4; i++)
      g_assert_cmpfloat_with_epsilon (D[i], D_true[i], 1e-12);
    g_assert_cmpfloat (rmse[0], <, 1e-12);
  }
}

#define NEF_N 100
#define NEF_M 750

/* 100 rectified-linear neurons in 1-D, as nengo would build them:
 * encoders ±1, intercepts uniform in [-0.95, 0.95], max rates uniform in
 * [200, 400] Hz, so gain = max_rate / (1 − intercept) and
 * bias = −gain·intercept.  750 evaluation points evenly in [-1, 1]. */
static void
make_relu_population (double *A,
                      double *Y)
{
  SpkRng rng;
  double gain[NEF_N], bias[NEF_N], enc[NEF_N];

  spk_rng_init (&rng, 2024);
  for (gsize i = 0; i < NEF_N; i++)
    {
      double intercept = -0.95 + 1.9 * spk_rng_uniform (&rng);
      double max_rate = 200.0 + 200.0 * spk_rng_uniform (&rng);

      enc[i] = spk_rng_uniform (&rng) < 0.5 ? -1.0 : 1.0;
      gain[i] = max_rate / (1.0 - intercept);
      bias[i] = -gain[i] * intercept;
    }
  for (gsize p = 0; p < NEF_M; p++)
    {
      double x = -1.0 + 2.0 * (double) p / (NEF_M - 1);

      for (gsize i = 0; i < NEF_N; i++)
        A[p * NEF_N + i] = MAX (0.0, gain[i] * enc[i] * x + bias[i]);
      Y[p * 2 + 0] = x;
      Y[p * 2 + 1] = x * x;
    }
}

static double
decoder_norm (const double *D,
              gsize         count)
{
  double s = 0.0;

  for (gsize i = 0; i < count; i++)
    s += D[i] * D[i];
  return sqrt (s);
}

/* The mean squared error of column c of Y − A·D when every activity gets
 * independent N(0, σ²) noise: rmse² + σ²·|D[:, c]|².  LstsqL2's system is
 * exactly the minimiser of this with σ = reg·max(A). */
static double
noisy_objective (const double *A,
                 const double *Y,
                 const double *D,
                 gsize         c,
                 double        sigma)
{
  double sum = 0.0, norm2 = 0.0;

  for (gsize p = 0; p < NEF_M; p++)
    {
      double e = Y[p * 2 + c];

      for (gsize i = 0; i < NEF_N; i++)
        e -= A[p * NEF_N + i] * D[i * 2 + c];
      sum += e * e;
    }
  for (gsize i = 0; i < NEF_N; i++)
    norm2 += D[i * 2 + c] * D[i * 2 + c];
  return sum / NEF_M + sigma * sigma * norm2;
}

/* A realistic decoding problem.  What is checked, and why:
 * - the reported RMSE equals an RMS of Y − A·D computed here (1e-12
 *   relative: both are sums of the same m terms in double);
 * - with nengo's default reg = 0.1, f(x) = x decodes with RMSE < 0.01 and
 *   x² with RMSE < 0.02, well below the 0.05 a poor solve (wrong σ scale,
 *   a transposed decoder) gives; this population reaches about 0.003 and
 *   0.01, so the bounds leave a factor of two or more;
 * - the decoders are the best ones under the noise they were regularised
 *   for: the noisy error rmse² + σ²|d|² with σ = 0.1·max(A) is below
 *   0.05² for f(x) = x, smaller than that of the reg = 1e-4 and reg = 0.3
 *   solutions, and grows under small random perturbations of D (it is a
 *   quadratic with curvature at least σ², so a perturbation of relative
 *   size 1e-3 raises it by ~1e-6 relative, far above round-off);
 * - ridge regression's training error rises and its decoder norm falls
 *   as reg grows; a sign or scale error in the diagonal term breaks this. */
static void
test_realistic (void)
{
  g_autofree double *A = g_new (double, NEF_M * NEF_N);
  g_autofree double *Y = g_new (double, NEF_M * 2);
  double D[NEF_N * 2], D_small[NEF_N * 2], D_big[NEF_N * 2], rmse[2], rmse_small[2], rmse_big[2];
  g_autoptr (SpkSolver) solver = spk_solver_new (SPK_SOLVER_LSTSQ_L2, 0.1);
  g_autoptr (SpkSolver) small = spk_solver_new (SPK_SOLVER_LSTSQ_L2, 1e-4);
  g_autoptr (SpkSolver) big = spk_solver_new (SPK_SOLVER_LSTSQ_L2, 0.3);
  g_autoptr (GError) error = NULL;
  double max_a = 0.0, sigma;
  SpkRng rng;

  spk_rng_init (&rng, 5);
  make_relu_population (A, Y);
  for (gsize p = 0; p < NEF_M * NEF_N; p++)
    max_a = MAX (max_a, A[p]);
  sigma = 0.1 * max_a;

  g_assert_true (spk_solver_solve (solver, A, NEF_M, NEF_N, Y, 2, D, rmse, &error));
  g_assert_no_error (error);
  g_assert_true (spk_solver_solve (small, A, NEF_M, NEF_N, Y, 2, D_small, rmse_small, &error));
  g_assert_no_error (error);
  g_assert_true (spk_solver_solve (big, A, NEF_M, NEF_N, Y, 2, D_big, rmse_big, &error));
  g_assert_no_error (error);

  for (gsize c = 0; c < 2; c++)
    {
      double sum = 0.0;

      for (gsize p = 0; p < NEF_M; p++)
        {
          double e = Y[p * 2 + c];

          for (gsize i = 0; i < NEF_N; i++)
            e -= A[p * NEF_N + i] * D[i * 2 + c];
          sum += e * e;
        }
      g_assert_cmpfloat_with_epsilon (rmse[c], sqrt (sum / NEF_M), 1e-12 * rmse[c]);
    }

  g_test_message ("rmse x %.4g, x^2 %.4g (reg 1e-4: %.4g, %.4g; reg 0.3: %.4g, %.4g)",
                  rmse[0], rmse[1], rmse_small[0], rmse_small[1], rmse_big[0], rmse_big[1]);
  g_assert_cmpfloat (rmse[0], <, 0.01);
  g_assert_cmpfloat (rmse[1], <, 0.02);

  for (gsize c = 0; c < 2; c++)
    {
      double best = noisy_objective (A, Y, D, c, sigma);
      double scale = decoder_norm (D, NEF_N * 2) / sqrt (NEF_N);

      g_test_message ("noisy rmse %zu: reg 0.1 %.4g, reg 1e-4 %.4g, reg 0.3 %.4g", c,
                      sqrt (best), sqrt (noisy_objective (A, Y, D_small, c, sigma)),
                      sqrt (noisy_objective (A, Y, D_big, c, sigma)));
      g_assert_cmpfloat (best, <, noisy_objective (A, Y, D_small, c, sigma));
      g_assert_cmpfloat (best, <, noisy_objective (A, Y, D_big, c, sigma));
      for (int trial = 0; trial < 5; trial++)
        {
          double P[NEF_N * 2];

          for (gsize i = 0; i < NEF_N * 2; i++)
            P[i] = D[i] + 1e-3 * scale * (2.0 * spk_rng_uniform (&rng) - 1.0);
          g_assert_cmpfloat (best, <, noisy_objective (A, Y, P, c, sigma));
        }
    }
  g_assert_cmpfloat (noisy_objective (A, Y, D, 0, sigma), <, 0.05 * 0.05);

  for (gsize c = 0; c < 2; c++)
    {
      g_assert_cmpfloat (rmse_small[c], <, rmse[c]);
      g_assert_cmpfloat (rmse[c], <, rmse_big[c]);
    }
  g_assert_cmpfloat (decoder_norm (D_small, NEF_N * 2), >, decoder_norm (D, NEF_N * 2));
  g_assert_cmpfloat (decoder_norm (D, NEF_N * 2), >, decoder_norm (D_big, NEF_N * 2));
}

/* LstsqL2nz on activities where neurons are active all the time, half,
 * a quarter of the time, never, and one with negative values that sets
 * max|A|.  Checked against the reference (1e-9, as for test_reference)
 * and against plain LstsqL2, which must differ by far more than the
 * tolerance, so that a solver ignoring the per-neuron σ cannot pass.
 * The silent neuron's decoder must be zero: its Gram row and right-hand
 * side are zero, only its diagonal is not. */
static void
test_nonzero (void)
{
  const gsize n = 8, k = 2;
  static const gsize shapes[] = { 60, 6 };   /* m ≥ n, and m < n (still primal) */
  SpkRng rng;

  spk_rng_init (&rng, 99);
  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      gsize m = shapes[s];
      g_autofree double *A = g_new (double, m * n);
      g_autofree double *Y = g_new (double, m * k);
      g_autofree double *D = g_new (double, n * k);
      g_autofree double *D_l2 = g_new (double, n * k);
      double rmse[2];
      g_autoptr (SpkSolver) nz = spk_solver_new (SPK_SOLVER_LSTSQ_L2NZ, 0.1);
      g_autoptr (SpkSolver) l2 = spk_solver_new (SPK_SOLVER_LSTSQ_L2, 0.1);
      g_autoptr (GError) error = NULL;

      fill_uniform (&rng, Y, m * k, -1.0, 1.0);
      for (gsize p = 0; p < m; p++)
        for (gsize i = 0; i < n; i++)
          {
            double a = 10.0 + 90.0 * spk_rng_uniform (&rng);

            if (i == 4 || i == 5)
              a = p % 2 == 0 ? a : 0.0;
            else if (i == 6)
              a = p % 4 == 1 ? a : 0.0;
            else if (i == 7)
              a = 0.0;
            else if (i == 3 && p % 3 == 0)
              a = -150.0 * spk_rng_uniform (&rng) - 50.0;
            A[p * n + i] = a;
          }

      check_against_reference (SPK_SOLVER_LSTSQ_L2NZ, 0.1, A, m, n, Y, k, 1e-9);
      check_against_reference (SPK_SOLVER_LSTSQ_L2NZ, 1.0, A, m, n, Y, k, 1e-9);

      g_assert_true (spk_solver_solve (nz, A, m, n, Y, k, D, rmse, &error));
      g_assert_no_error (error);
      g_assert_true (spk_solver_solve (l2, A, m, n, Y, k, D_l2, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpfloat (relative_error (D_l2, D, n * k), >, 1e-3);
      g_assert_cmpfloat (fabs (D[7 * k + 0]), <, 1e-15);
      g_assert_cmpfloat (fabs (D[7 * k + 1]), <, 1e-15);
    }
}

static void
assert_solve_fails (const SpkSolver *solver,
                    const double    *A,
                    gsize            m,
                    gsize            n,
                    const double    *Y,
                    gsize            k,
                    int              code,
                    const char      *message)
{
  double D[64], rmse[8];
  g_autoptr (GError) error = NULL;

  g_assert_false (spk_solver_solve (solver, A, m, n, Y, k, D, rmse, &error));
  g_assert_error (error, SPK_BUILD_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_errors (void)
{
  double A[4 * 3] = { 0 };
  double Y[4 * 2] = { 1, 2, 3, 4, 5, 6, 7, 8 };
  static const double A_dup[3 * 2] = { 1, 1, 2, 2, 3, 3 };          /* equal columns */
  static const double A_dup_rows[2 * 3] = { 1, 2, 3, 1, 2, 3 };     /* equal rows */
  g_autoptr (SpkSolver) l2 = spk_solver_new (SPK_SOLVER_LSTSQ_L2, 0.1);
  g_autoptr (SpkSolver) l2nz = spk_solver_new (SPK_SOLVER_LSTSQ_L2NZ, 0.1);
  g_autoptr (SpkSolver) l2_noreg = spk_solver_new (SPK_SOLVER_LSTSQ_L2, 0.0);
  g_autoptr (SpkSolver) negative = spk_solver_new (SPK_SOLVER_LSTSQ_L2, -0.1);
  g_autoptr (SpkSolver) nan_reg = spk_solver_new (SPK_SOLVER_LSTSQ_L2NZ, NAN);
  g_autoptr (SpkSolver) inf_reg = spk_solver_new (SPK_SOLVER_LSTSQ_L2, INFINITY);
  g_autoptr (SpkSolver) unknown = spk_solver_new (SPK_SOLVER_N_KINDS, 0.1);
  g_autoptr (GError) error = NULL;

  /* All silent: both kinds, whose σ would be zero everywhere. */
  assert_solve_fails (l2, A, 4, 3, Y, 2, SPK_BUILD_ERROR_SOLVER,
                      "all neurons are silent at the evaluation points, so no decoders "
                      "can be found; check the ensemble's intercepts, max_rates and "
                      "eval_points");
  assert_solve_fails (l2nz, A, 4, 3, Y, 2, SPK_BUILD_ERROR_SOLVER,
                      "all neurons are silent at the evaluation points, so no decoders "
                      "can be found; check the ensemble's intercepts, max_rates and "
                      "eval_points");

  for (gsize i = 0; i < G_N_ELEMENTS (A); i++)
    A[i] = (double) (i % 5) + 1.0;
  A[2 * 3 + 1] = NAN;
  assert_solve_fails (l2, A, 4, 3, Y, 2, SPK_BUILD_ERROR_INVALID,
                      "the activities contain a non-finite value (nan) at evaluation point 2, "
                      "neuron 1");
  A[2 * 3 + 1] = 1.0;
  Y[3 * 2 + 1] = -INFINITY;
  assert_solve_fails (l2, A, 4, 3, Y, 2, SPK_BUILD_ERROR_INVALID,
                      "the decoding targets contain a non-finite value (-inf) at evaluation "
                      "point 3, dimension 1");
  Y[3 * 2 + 1] = 8.0;

  assert_solve_fails (negative, A, 4, 3, Y, 2, SPK_BUILD_ERROR_INVALID,
                      "LstsqL2 reg must be a finite number >= 0 (got -0.1)");
  assert_solve_fails (nan_reg, A, 4, 3, Y, 2, SPK_BUILD_ERROR_INVALID,
                      "LstsqL2nz reg must be a finite number >= 0 (got nan)");
  assert_solve_fails (inf_reg, A, 4, 3, Y, 2, SPK_BUILD_ERROR_INVALID,
                      "LstsqL2 reg must be a finite number >= 0 (got inf)");
  assert_solve_fails (unknown, A, 4, 3, Y, 2, SPK_BUILD_ERROR_INVALID,
                      "unknown solver kind 10");
  g_assert_false (spk_solver_validate (negative, &error));
  g_assert_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "LstsqL2 reg must be a finite number >= 0 (got -0.1)");

  assert_solve_fails (l2, A, 0, 3, Y, 2, SPK_BUILD_ERROR_SHAPE,
                      "cannot solve for decoders with 0 evaluation points, 3 neurons and "
                      "2 dimensions; each must be at least 1");
  assert_solve_fails (l2, A, 4, 3, Y, 0, SPK_BUILD_ERROR_SHAPE,
                      "cannot solve for decoders with 4 evaluation points, 3 neurons and "
                      "0 dimensions; each must be at least 1");

  /* Without regularisation, linearly dependent activities leave the Gram
   * matrix singular; the small integers make it exactly singular. */
  assert_solve_fails (l2_noreg, A_dup, 3, 2, Y, 1, SPK_BUILD_ERROR_SOLVER,
                      "Cholesky factorisation of the n × n Gram matrix failed: it is not "
                      "positive definite (leading minor 2 of 2); the neurons' activities "
                      "are linearly dependent, so use reg > 0");
  assert_solve_fails (l2_noreg, A_dup_rows, 2, 3, Y, 1, SPK_BUILD_ERROR_SOLVER,
                      "Cholesky factorisation of the m × m (dual) Gram matrix failed: it is "
                      "not positive definite (leading minor 2 of 2); the neurons' activities "
                      "are linearly dependent, so use reg > 0");
}

/* Lstsq and the Nnls family against Nengo 4.1.0's own solvers (numpy's
 * lstsq, scipy's nnls) on the system in tests/data/solvers/reference.json
 * (made by make-reference.py there), a tall one (40 points, 7 neurons)
 * and a wide one (5 points, 9 neurons).  Lstsq, and every non-negative
 * solve whose solution is unique, must agree to 1e-9 of the largest
 * decoder; Nnls on the wide system has many optimal solutions, so there
 * the residual must be as small as Nengo's and every decoder ≥ 0. */
static void
test_against_nengo (void)
{
  static const struct { const char *name; SpkSolverKind kind; double rcond; } cases[] = {
    { "Lstsq", SPK_SOLVER_LSTSQ, 0.01 },
    { "Lstsq-rcond-0.2", SPK_SOLVER_LSTSQ, 0.2 },
    { "Nnls", SPK_SOLVER_NNLS, 0 },
    { "NnlsL2", SPK_SOLVER_NNLS_L2, 0 },
    { "NnlsL2nz", SPK_SOLVER_NNLS_L2NZ, 0 },
    { "LstsqDrop", SPK_SOLVER_LSTSQ_DROP, 0 },
    { "LstsqDrop-nnls", SPK_SOLVER_LSTSQ_DROP, 0 },
    { "LstsqNoise-0", SPK_SOLVER_LSTSQ_NOISE, 0 },
    { "LstsqMultNoise-0", SPK_SOLVER_LSTSQ_MULT_NOISE, 0 },
  };
  static const char *const systems[] = { "tall", "wide" };
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "solvers", "reference.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *root;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  for (guint s = 0; s < G_N_ELEMENTS (systems); s++)
    {
      JsonObject *sys = json_object_get_object_member (root, systems[s]);
      gsize m = (gsize) json_object_get_int_member (sys, "m"), n = (gsize) json_object_get_int_member (sys, "n");
      g_autofree double *A = g_new (double, m * n), *Y = g_new (double, m * 2), *D = g_new (double, n * 2);

      for (gsize p = 0; p < m; p++)
        for (gsize i = 0; i < n; i++)
          A[p * n + i] = json_array_get_double_element (json_array_get_array_element (json_object_get_array_member (sys, "A"), p), i);
      for (gsize p = 0; p < m; p++)
        for (gsize j = 0; j < 2; j++)
          Y[p * 2 + j] = json_array_get_double_element (json_array_get_array_element (json_object_get_array_member (sys, "Y"), p), j);
      for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
        {
          g_autoptr (SpkSolver) solver = spk_solver_new (cases[c].kind, 0.1);
          JsonArray *want;
          double largest = 0, worst = 0, res_got = 0, res_want = 0;
          gboolean unique = !(cases[c].kind == SPK_SOLVER_NNLS && m < n);
          gboolean positive = cases[c].kind >= SPK_SOLVER_NNLS && cases[c].kind <= SPK_SOLVER_NNLS_L2NZ;

          /* Nengo cannot run the noise solvers on a wide system. */
          if (!json_object_has_member (sys, cases[c].name))
            continue;
          want = json_object_get_array_member (sys, cases[c].name);
          if (cases[c].kind == SPK_SOLVER_LSTSQ)
            solver->rcond = cases[c].rcond;
          if (cases[c].kind == SPK_SOLVER_LSTSQ_NOISE || cases[c].kind == SPK_SOLVER_LSTSQ_MULT_NOISE)
            solver->noise = 0;
          if (g_str_equal (cases[c].name, "LstsqDrop-nnls"))
            {
              solver->drop = 0.5;
              spk_solver_unref (solver->solver1);
              solver->solver1 = spk_solver_new (SPK_SOLVER_NNLS, 0.1);
              solver->solver2->kind = SPK_SOLVER_LSTSQ_L2NZ;
              solver->solver2->reg = 0.05;
              unique = m >= n;
            }
          g_assert_true (spk_solver_solve (solver, A, m, n, Y, 2, D, NULL, &error));
          g_assert_no_error (error);
          for (gsize i = 0; i < n; i++)
            for (gsize j = 0; j < 2; j++)
              {
                double w = json_array_get_double_element (json_array_get_array_element (want, i), j);

                largest = MAX (largest, fabs (w));
                worst = MAX (worst, fabs (D[i * 2 + j] - w));
                if (positive)
                  g_assert_cmpfloat (D[i * 2 + j], >=, 0.0);
              }
          for (gsize p = 0; p < m; p++)
            for (gsize j = 0; j < 2; j++)
              {
                double got = Y[p * 2 + j], ref = Y[p * 2 + j];

                for (gsize i = 0; i < n; i++)
                  {
                    got -= A[p * n + i] * D[i * 2 + j];
                    ref -= A[p * n + i] * json_array_get_double_element (json_array_get_array_element (want, i), j);
                  }
                res_got += got * got;
                res_want += ref * ref;
              }
          g_test_message ("%s %s: largest |difference| from Nengo %.3g (decoders up to %.3g); residual %.9g, "
                          "Nengo's %.9g", systems[s], cases[c].name, worst, largest, sqrt (res_got), sqrt (res_want));
          if (unique)
            g_assert_cmpfloat (worst, <=, 1e-9 * largest);
          else
            g_assert_cmpfloat (sqrt (res_got), <=, sqrt (res_want) * (1 + 1e-9) + 1e-12);
        }
    }
}

/* LstsqNoise and LstsqMultNoise draw their noise from the builder's
 * random stream, not numpy's, so they are compared in distribution: over
 * 400 seeds each, the mean of every decoder must agree with Nengo's
 * (tests/data/solvers/reference.json, 400 of numpy's seeds) within five
 * standard errors of the difference of two means, and the spread within
 * 20 % (the standard deviation of 400 samples is itself known to ~4 %). */
static void
test_noise_against_nengo (void)
{
  static const struct { const char *name; SpkSolverKind kind; double noise; } cases[] = {
    { "LstsqNoise", SPK_SOLVER_LSTSQ_NOISE, 0.1 },
    { "LstsqMultNoise", SPK_SOLVER_LSTSQ_MULT_NOISE, 0.2 },
  };
  const guint seeds = 400;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "solvers", "reference.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *sys;
  gsize m, n;
  g_autofree double *A = NULL, *Y = NULL, *D = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  sys = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "tall");
  m = (gsize) json_object_get_int_member (sys, "m");
  n = (gsize) json_object_get_int_member (sys, "n");
  A = g_new (double, m * n);
  Y = g_new (double, m * 2);
  D = g_new (double, n * 2);
  for (gsize p = 0; p < m; p++)
    for (gsize i = 0; i < n; i++)
      A[p * n + i] = json_array_get_double_element (json_array_get_array_element (json_object_get_array_member (sys, "A"), p), i);
  for (gsize p = 0; p < m; p++)
    for (gsize j = 0; j < 2; j++)
      Y[p * 2 + j] = json_array_get_double_element (json_array_get_array_element (json_object_get_array_member (sys, "Y"), p), j);

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr (SpkSolver) solver = spk_solver_new (cases[c].kind, 0.1);
      g_autofree char *mean_key = g_strdup_printf ("%s-mean", cases[c].name);
      g_autofree char *std_key = g_strdup_printf ("%s-std", cases[c].name);
      JsonArray *want_mean = json_object_get_array_member (sys, mean_key);
      JsonArray *want_std = json_object_get_array_member (sys, std_key);
      g_autofree double *sum = g_new0 (double, n * 2), *sum2 = g_new0 (double, n * 2);

      solver->noise = cases[c].noise;
      for (guint s = 0; s < seeds; s++)
        {
          SpkRng rng;

          spk_rng_init (&rng, s + 1);
          g_assert_true (spk_solver_solve_with_rng (solver, A, m, n, Y, 2, &rng, D, NULL, &error));
          g_assert_no_error (error);
          for (gsize p = 0; p < n * 2; p++)
            {
              sum[p] += D[p];
              sum2[p] += D[p] * D[p];
            }
        }
      for (gsize i = 0; i < n; i++)
        for (gsize j = 0; j < 2; j++)
          {
            gsize p = i * 2 + j;
            double mean = sum[p] / seeds, std = sqrt (MAX (sum2[p] / seeds - mean * mean, 0));
            double nengo_mean = json_array_get_double_element (json_array_get_array_element (want_mean, i), j);
            double nengo_std = json_array_get_double_element (json_array_get_array_element (want_std, i), j);
            double se = sqrt ((std * std + nengo_std * nengo_std) / seeds);

            g_test_message ("%s decoder %zu,%zu: mean %.4g (Nengo %.4g, %.1f standard errors), std %.4g (Nengo %.4g)",
                            cases[c].name, i, j, mean, nengo_mean, fabs (mean - nengo_mean) / se, std, nengo_std);
            g_assert_cmpfloat (fabs (mean - nengo_mean), <=, 5 * se);
            g_assert_cmpfloat (fabs (std - nengo_std), <=, 0.2 * nengo_std);
          }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/nef/value", test_value);
  g_test_add_func ("/spk/nef/reference", test_reference);
  g_test_add_func ("/spk/nef/exact", test_exact);
  g_test_add_func ("/spk/nef/realistic", test_realistic);
  g_test_add_func ("/spk/nef/nonzero", test_nonzero);
  g_test_add_func ("/spk/nef/errors", test_errors);
  g_test_add_func ("/spk/nef/nengo-solvers", test_against_nengo);
  g_test_add_func ("/spk/nef/nengo-noise-solvers", test_noise_against_nengo);
  return g_test_run ();
}
