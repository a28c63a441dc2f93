/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-nnls.c — the NNLS solve behind Nengo's Nnls, NnlsL2 and NnlsL2nz
 * gives the same bits whatever the thread counts, and is optimal.
 *
 * A build of a BasalGanglia (whose connections solve with NnlsL2nz) once
 * failed under load: "the NNLS solve did not converge in 310 iterations".
 * Its Gram matrix came from OpenBLAS's dgemm, whose sums are split
 * differently with another number of threads (857 of the 10,000 entries
 * of a 750 × 100 LIF problem differ between 1 and 2 threads), and that
 * count is one switch for the whole process, which concurrent builds
 * flip; the active-set method had no guard against cycling on such bits.
 * Now every sum of the solve is in one fixed order (spk-nef-nnls.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "builder/spk-plan.h"
#include "core/spk-array.h"
#include "core/spk-pool.h"
#include "core/spk-rng.h"
#include "io/spk-model-json.h"
#include "nef/spk-solver.h"
#include "spk-test-util.h"

/* What the palette adds: a BasalGanglia of three actions (Nengo's
 * NnlsL2nz on its connections), with inputs and probes. */
static const char basal_ganglia[] =
  "{\"format\": \"spikeworks-model\", \"version\": 6, \"network\": {\"seed\": 1, \"dtype\": \"float64\"},"
  " \"objects\": ["
  "  {\"type\": \"node\", \"label\": \"actions\", \"output\": [0.3, 0.8, 0.5]},"
  "  {\"type\": \"network\", \"label\": \"basal_ganglia_1\", \"kind\": \"BasalGanglia\", \"dimensions\": 3},"
  "  {\"type\": \"connection\", \"label\": \"in\", \"pre\": \"actions\", \"post\": \"basal_ganglia_1.input\"},"
  "  {\"type\": \"probe\", \"label\": \"out\", \"target\": \"basal_ganglia_1.output\", \"synapse\": 0.01}]}";

/* LIF rates (Nengo's defaults: tau_rc 0.02, tau_ref 0.002) of the
 * ensemble key of plan at its evaluation points: m × n into *A. */
static double *
plan_activities (SpkPlan    *plan,
                 const char *key,
                 gsize      *m,
                 gsize      *n)
{
  g_autofree char *points_key = g_strconcat (key, "/eval_points", NULL);
  g_autoptr (SpkArray) points = spk_plan_dup_param (plan, points_key);
  const double *gain, *bias, *encoders;
  guint neurons, d;
  double radius, *A;

  g_assert_true (spk_plan_get_ensemble (plan, key, &neurons, &d, &radius, &gain, &bias, &encoders));
  g_assert_nonnull (points);
  *n = neurons;
  *m = points->size / d;
  A = g_new (double, *m * *n);
  for (gsize p = 0; p < *m; p++)
    for (gsize i = 0; i < *n; i++)
      {
        double x = 0, J;

        for (guint j = 0; j < d; j++)
          x += points->data[p * d + j] * encoders[i * d + j];
        J = gain[i] * x / radius + bias[i];
        A[p * *n + i] = J > 1 ? 1 / (0.002 - 0.02 * log1p (-1 / J)) : 0;
      }
  return A;
}

/* The child: builds the model, then solves each of its ensembles'
 * NnlsL2nz problems (their first dimension, clipped at 0, as BasalGanglia's
 * connections decode) through the solver with OpenBLAS on the thread
 * count the parent gave (a build itself runs small solves on one BLAS
 * thread).  Writes the pool's thread count, every parameter of the plan
 * and the decoders, in order, to the file SPK_TEST_NNLS_OUT names. */
static void
build_and_dump (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_model_load_data (basal_ganglia, -1, &error);
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_auto (GStrv) names = NULL;
  guint threads = spk_pool_get_n_threads ();

  g_assert_no_error (error);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  g_string_append_len (out, (const char *) &threads, sizeof threads);
  names = spk_plan_list_params (plan);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr (SpkArray) values = spk_plan_dup_param (plan, names[i]);

      g_string_append (out, names[i]);
      g_string_append_len (out, (const char *) values->data, values->size * sizeof (double));
    }
  openblas_set_num_threads (atoi (g_getenv ("OPENBLAS_NUM_THREADS")));
  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_has_suffix (names[i], "/gain"))
      {
        g_autofree char *key = g_strndup (names[i], strlen (names[i]) - strlen ("/gain"));
        g_autoptr (SpkSolver) solver = spk_solver_new (SPK_SOLVER_NNLS_L2NZ, 0.1);
        g_autofree double *A = NULL, *Y = NULL, *D = NULL;
        g_autofree char *points_key = g_strconcat (key, "/eval_points", NULL);
        g_autoptr (SpkArray) points = spk_plan_dup_param (plan, points_key);
        gsize m, n;

        A = plan_activities (plan, key, &m, &n);
        Y = g_new (double, m);
        D = g_new (double, n);
        for (gsize p = 0; p < m; p++)
          Y[p] = points->data[p * (points->size / m)];
        g_assert_true (spk_solver_solve (solver, A, m, n, Y, 1, D, NULL, &error));
        g_assert_no_error (error);
        g_string_append_len (out, (const char *) D, n * sizeof (double));
      }
  g_assert_true (g_file_set_contents (g_getenv ("SPK_TEST_NNLS_OUT"), out->str, out->len, &error));
  g_assert_no_error (error);
}

/* The child's dump with the pool (SPK_THREADS) and OpenBLAS on threads. */
static GBytes *
dump_with_threads (const char *dir,
                   const char *threads)
{
  g_autofree char *path = g_build_filename (dir, threads, NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  gsize length;

  g_setenv ("SPK_TEST_NNLS_OUT", path, TRUE);
  g_setenv ("SPK_THREADS", threads, TRUE);
  g_setenv ("OPENBLAS_NUM_THREADS", threads, TRUE);
  /* A fresh decoder cache each time: each child solves itself. */
  g_setenv ("SPK_DECODER_CACHE", "no", TRUE);
  g_test_trap_subprocess (NULL, 600 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  g_remove (path);
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

static void
test_basal_ganglia_threads (void)
{
  g_autofree char *dir = NULL;
  g_autoptr (GBytes) one = NULL, two = NULL;
  guint threads;

  if (g_test_subprocess ())
    {
      build_and_dump ();
      return;
    }
  dir = g_dir_make_tmp ("spk-nnls-XXXXXX", NULL);
  one = dump_with_threads (dir, "1");
  two = dump_with_threads (dir, "2");
  g_unsetenv ("SPK_TEST_NNLS_OUT");
  g_rmdir (dir);

  memcpy (&threads, g_bytes_get_data (one, NULL), sizeof threads);
  g_assert_cmpuint (threads, ==, 1);
  memcpy (&threads, g_bytes_get_data (two, NULL), sizeof threads);
  g_assert_cmpuint (threads, ==, 2);
  g_assert_cmpuint (g_bytes_get_size (one), ==, g_bytes_get_size (two));
  g_assert_true (memcmp ((const char *) g_bytes_get_data (one, NULL) + sizeof threads,
                         (const char *) g_bytes_get_data (two, NULL) + sizeof threads,
                         g_bytes_get_size (one) - sizeof threads) == 0);
}

/* LIF-like rates of n neurons at m points of [-1, 1] (seeded). */
static double *
lif_activities (gsize    m,
                gsize    n,
                guint64  seed)
{
  double *A = g_new (double, m * n);
  SpkRng rng;

  spk_rng_init (&rng, seed);
  for (gsize i = 0; i < n; i++)
    {
      double gain = 1 + 10 * spk_rng_uniform (&rng), bias = 2 * spk_rng_uniform (&rng) - 1;
      double encoder = spk_rng_uniform (&rng) < 0.5 ? -1 : 1;

      for (gsize p = 0; p < m; p++)
        {
          double x = -1 + 2.0 * p / (m - 1), J = gain * encoder * x + bias;

          A[p * n + i] = J > 1 ? 1 / (0.002 - 0.02 * log1p (-1 / J)) : 0;
        }
    }
  return A;
}

/* The same bits with OpenBLAS on one thread and on two, in one process
 * (the switch concurrent builds flip). */
static void
test_blas_threads (void)
{
  const gsize m = 750, n = 100;
  g_autofree double *A = lif_activities (m, n, 11);
  g_autofree double *Y = g_new (double, m);
  g_autofree double *D1 = g_new (double, n), *D2 = g_new (double, n);
  int threads = openblas_get_num_threads ();
  static const SpkSolverKind kinds[] = { SPK_SOLVER_NNLS, SPK_SOLVER_NNLS_L2, SPK_SOLVER_NNLS_L2NZ };

  for (gsize p = 0; p < m; p++)
    Y[p] = 1 - fabs (-1 + 2.0 * p / (m - 1));
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr (SpkSolver) solver = spk_solver_new (kinds[k], 0.1);
      g_autoptr (GError) error = NULL;

      openblas_set_num_threads (1);
      g_assert_true (spk_solver_solve (solver, A, m, n, Y, 1, D1, NULL, &error));
      g_assert_no_error (error);
      openblas_set_num_threads (2);
      g_assert_true (spk_solver_solve (solver, A, m, n, Y, 1, D2, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (D1, n * sizeof (double), D2, n * sizeof (double));
    }
  openblas_set_num_threads (threads);
}

/* Optimality (Kuhn–Tucker) of x for min |A·x − b|, x ≥ 0: x ≥ 0, the
 * gradient w = Aᵀ(b − A·x) at most tol where x = 0 and about 0 where x > 0. */
static void
assert_kkt (const double *A,
            gsize         m,
            gsize         n,
            const double *b,
            const double *x)
{
  g_autofree double *r = g_new (double, m);
  double scale = 0;

  for (gsize p = 0; p < m; p++)
    {
      long double sum = b[p];

      for (gsize j = 0; j < n; j++)
        sum -= (long double) A[p * n + j] * x[j];
      r[p] = (double) sum;
    }
  for (gsize p = 0; p < m * n; p++)
    scale = MAX (scale, fabs (A[p]));
  for (gsize j = 0; j < n; j++)
    {
      long double w = 0;
      double bound;

      for (gsize p = 0; p < m; p++)
        w += (long double) A[p * n + j] * r[p];
      /* Round-off of the residual: about ε·|A|·|b| per row, m rows. */
      bound = 1e-9 * scale * (1 + scale) * m;
      g_assert_cmpfloat (x[j], >=, 0);
      if (x[j] > 0)
        g_assert_cmpfloat (fabs ((double) w), <=, bound);
      else
        g_assert_cmpfloat ((double) w, <=, bound);
    }
}

/* Random problems, tall and square, with a repeated and an all-zero
 * column (where a naive active set can cycle): each solve is optimal. */
static void
test_optimal (void)
{
  SpkRng rng;

  spk_rng_init (&rng, 7);
  for (guint trial = 0; trial < 40; trial++)
    {
      gsize m = 5 + (gsize) (40 * spk_rng_uniform (&rng)), n = 2 + (gsize) (30 * spk_rng_uniform (&rng));
      g_autofree double *A = g_new (double, m * n), *b = g_new (double, m), *x = g_new (double, n);
      g_autoptr (SpkSolver) solver = spk_solver_new (SPK_SOLVER_NNLS, 0);
      g_autoptr (GError) error = NULL;

      for (gsize p = 0; p < m * n; p++)
        A[p] = spk_rng_uniform (&rng) < 0.3 ? 0 : 2 * spk_rng_uniform (&rng) - 0.5;
      for (gsize p = 0; p < m; p++)
        {
          b[p] = 2 * spk_rng_uniform (&rng) - 1;
          if (n > 3)
            {
              A[p * n + 1] = A[p * n];   /* a repeated column */
              A[p * n + 2] = 0;          /* a column of zeros */
            }
        }
      g_assert_true (spk_solver_solve (solver, A, m, n, b, 1, x, NULL, &error));
      g_assert_no_error (error);
      assert_kkt (A, m, n, b, x);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/nnls/basal-ganglia-threads", test_basal_ganglia_threads);
  g_test_add_func ("/spk/nnls/blas-threads", test_blas_threads);
  g_test_add_func ("/spk/nnls/optimal", test_optimal);
  return g_test_run ();
}
