/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-nef-blocked.c — the blocked decoder solve (nef/spk-solver-blocked.h)
 * against the one-array solve of spk-solver.c on the same activities:
 * float64 to round-off, float32 products within a stated bound, and the
 * same with or without skipping the silent neurons' points (the packed
 * strips and their kernel checked against a plain sum); progress,
 * cancellation that stops the work, and bad activities. */
#include <gio/gio.h>
#include <math.h>
#include <string.h>

#include "builder/spk-decoder-cache.h"
#include "builder/spk-plan.h"
#include "core/spk-error.h"
#include "core/spk-rng.h"
#include "model/spk-connection.h"
#include "model/spk-ensemble.h"
#include "model/spk-node.h"
#include "nef/spk-nef-gram.h"
#include "nef/spk-solver-blocked.h"

/* 1000 LIF-like (rectified, saturating) neurons in 3-D at 2,100 points:
 * three panels of the Gram matrix, the last one short, and blocks of 333
 * rows, the last one short. */
#define N 1000
#define M 2100
#define DIMS 3
#define K 2

typedef struct
{
  double  enc[N * DIMS], gain[N], bias[N];
  double  X[M * DIMS];
  guint   calls;
  gsize   rows_done;
  gsize   poison_row;  /* a NaN activity at this point (G_MAXSIZE: none) */
} Population;

static double
rate (double J)
{
  /* The LIF rate curve: 0 below threshold, 1/(τ_ref + τ_rc·log1p(1/(J−1))). */
  return J > 1.0 ? 1.0 / (0.002 + 0.02 * log1p (1.0 / (J - 1.0))) : 0.0;
}

static void
population_init (Population *pop,
                 double     *Y)
{
  SpkRng rng;

  spk_rng_init (&rng, 7);
  for (gsize i = 0; i < N; i++)
    {
      double norm = 0.0, intercept = -0.9 + 1.8 * spk_rng_uniform (&rng);
      double max_rate = 200.0 + 200.0 * spk_rng_uniform (&rng);
      double j_max = 1.0 / (1.0 - exp ((0.002 - 1.0 / max_rate) / 0.02));

      for (gsize c = 0; c < DIMS; c++)
        {
          pop->enc[i * DIMS + c] = spk_rng_normal (&rng);
          norm += pop->enc[i * DIMS + c] * pop->enc[i * DIMS + c];
        }
      for (gsize c = 0; c < DIMS; c++)
        pop->enc[i * DIMS + c] /= sqrt (norm);
      pop->gain[i] = (j_max - 1.0) / (1.0 - intercept);
      pop->bias[i] = 1.0 - pop->gain[i] * intercept;
    }
  for (gsize p = 0; p < M; p++)
    {
      for (gsize c = 0; c < DIMS; c++)
        pop->X[p * DIMS + c] = 2.0 * spk_rng_uniform (&rng) - 1.0;
      Y[p * K + 0] = pop->X[p * DIMS + 0];
      Y[p * K + 1] = pop->X[p * DIMS + 1] * pop->X[p * DIMS + 2];
    }
  pop->poison_row = G_MAXSIZE;
}

static void
activities_cb (gsize    first,
               gsize    rows,
               double  *A,
               gpointer data)
{
  Population *pop = data;

  pop->calls++;
  pop->rows_done += rows;
  for (gsize p = 0; p < rows; p++)
    for (gsize i = 0; i < N; i++)
      {
        double x = 0.0;

        for (gsize c = 0; c < DIMS; c++)
          x += pop->X[(first + p) * DIMS + c] * pop->enc[i * DIMS + c];
        A[p * N + i] = first + p == pop->poison_row && i == 5 ? NAN : rate (pop->gain[i] * x + pop->bias[i]);
      }
}

static double
relative_difference (const double *a,
                     const double *b,
                     gsize         count)
{
  double diff = 0.0, norm = 0.0;

  for (gsize i = 0; i < count; i++)
    {
      diff += (a[i] - b[i]) * (a[i] - b[i]);
      norm += b[i] * b[i];
    }
  return sqrt (diff / norm);
}

/* The blocked solve gives the one-array solve's decoders: to round-off
 * (1e-9 relative; the two differ only in the order of the Gram matrix's
 * sums and the factorisation's blocking) in float64, and within 1e-3 with
 * float32 products (measured: a few 1e-5; float32 has 24 bits, and the
 * regularised system's condition number here is about 1e3).  The RMSE
 * from the normal equations matches the RMS of Y − A·D to 1e-6 relative
 * (float64) and 1e-3 (float32). */
static void
test_matches_full (gconstpointer data)
{
  SpkSolverKind kind = GPOINTER_TO_INT (data);
  g_autoptr (SpkSolver) solver = spk_solver_new (kind, 0.1);
  g_autofree Population *pop = g_new0 (Population, 1);
  g_autofree double *A = g_new (double, (gsize) M * N);
  g_autofree double *Y = g_new (double, M * K);
  double D[N * K], Db[N * K], rmse[K], rmse_b[K];
  g_autoptr (GError) error = NULL;

  population_init (pop, Y);
  activities_cb (0, M, A, pop);
  g_assert_true (spk_solver_solve (solver, A, M, N, Y, K, D, rmse, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (rmse[0], <, 0.05);

  for (int single = 0; single <= 1; single++)
    {
      double d_tol = single ? 1e-3 : 1e-9, r_tol = single ? 1e-3 : 1e-6, diff;

      pop->calls = 0;
      g_assert_true (spk_solver_solve_blocked (solver, activities_cb, pop, M, N, Y, K, single, 333,
                                               NULL, NULL, Db, rmse_b, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (pop->calls, ==, 7);
      diff = relative_difference (Db, D, N * K);
      g_test_message ("%s, %s products: decoders differ by %.3g relative (norm), RMSE %.6g vs %.6g, %.6g vs %.6g",
                      spk_solver_kind_to_name (kind), single ? "float32" : "float64", diff,
                      rmse_b[0], rmse[0], rmse_b[1], rmse[1]);
      g_assert_cmpfloat (diff, <=, d_tol);
      for (gsize j = 0; j < K; j++)
        g_assert_cmpfloat (fabs (rmse_b[j] - rmse[j]), <=, r_tol * rmse[j]);
      if (single)
        {
          /* The dense float32 products: the same sums, so the same system
           * (the factorisation's order differs; the refinement removes it). */
          double Dd[N * K];

          _spk_solver_blocked_set_dense (TRUE);
          g_assert_true (spk_solver_solve_blocked (solver, activities_cb, pop, M, N, Y, K, TRUE, 333,
                                                   NULL, NULL, Dd, NULL, &error));
          _spk_solver_blocked_set_dense (FALSE);
          g_assert_no_error (error);
          diff = relative_difference (Db, Dd, N * K);
          g_test_message ("float32 products skipping silent points against all points: %.3g relative", diff);
          g_assert_cmpfloat (diff, <=, 1e-9);
        }
    }
}

/* The packed strips list exactly the points where a strip's neuron is
 * active, and the kernel's sums over them are the Gram matrix's: 100
 * neurons (the last strip of four), 300 points (two chunks, the second
 * short), a column tile of 64 and one of 36. */
static void
test_sparse_gram (void)
{
  enum { n = 100, k = 300, chunk = 256 };
  gsize n_strips = (n + SPK_NEF_STRIP - 1) / SPK_NEF_STRIP, n_chunks = (k + chunk - 1) / chunk;
  g_autofree float *A = g_new (float, k * n);
  g_autofree guint32 *idx = g_new (guint32, n_strips * k);
  g_autofree float *vals = g_new (float, n_strips * k * SPK_NEF_STRIP);
  g_autofree guint32 *start = g_new (guint32, n_strips * (n_chunks + 1));
  g_autofree float *tile = g_new0 (float, chunk * SPK_NEF_GRAM_COLS);
  SpkRng rng;

  spk_rng_init (&rng, 11);
  /* Neuron i active at about i % 10 tenths of the points; strip 3 never. */
  for (gsize p = 0; p < k; p++)
    for (gsize i = 0; i < n; i++)
      A[p * n + i] = i / SPK_NEF_STRIP != 3 && spk_rng_uniform (&rng) * 10.0 < (double) (i % 10)
                     ? (float) (0.5 + spk_rng_uniform (&rng)) : 0.0f;
  _spk_nef_gram_pack (A, k, n, chunk, 0, n_strips, idx, vals, k, start);

  for (gsize s = 0; s < n_strips; s++)
    {
      gsize r0 = s * SPK_NEF_STRIP, rows = MIN (SPK_NEF_STRIP, n - r0);
      const guint32 *st = start + s * (n_chunks + 1);
      gsize listed = 0;

      for (gsize c = 0; c < n_chunks; c++)
        for (gsize p = c * chunk; p < MIN ((c + 1) * chunk, k); p++)
          {
            gboolean any = FALSE;

            for (gsize r = 0; r < rows; r++)
              any |= A[p * n + r0 + r] != 0.0f;
            if (!any)
              continue;
            g_assert_cmpuint (listed, <, st[c + 1]);
            g_assert_cmpuint (idx[s * k + listed] + c * chunk, ==, p);
            for (gsize r = 0; r < SPK_NEF_STRIP; r++)
              g_assert_cmpfloat (vals[(s * k + listed) * SPK_NEF_STRIP + r], ==, r < rows ? A[p * n + r0 + r] : 0.0f);
            listed++;
          }
      g_assert_cmpuint (st[n_chunks], ==, listed);
      if (s == 3)
        g_assert_cmpuint (listed, ==, 0);

      for (gsize c0 = 0; c0 < n; c0 += SPK_NEF_GRAM_COLS)
        {
          gsize w = MIN (SPK_NEF_GRAM_COLS, n - c0);
          float C[SPK_NEF_STRIP * SPK_NEF_GRAM_COLS] = { 0 };

          for (gsize c = 0; c < n_chunks; c++)
            {
              memset (tile, 0, chunk * SPK_NEF_GRAM_COLS * sizeof (float));
              for (gsize p = c * chunk; p < MIN ((c + 1) * chunk, k); p++)
                memcpy (tile + (p - c * chunk) * SPK_NEF_GRAM_COLS, A + p * n + c0, w * sizeof (float));
              _spk_nef_gram_strip (C, SPK_NEF_GRAM_COLS, vals + (s * k + st[c]) * SPK_NEF_STRIP, tile,
                                   SPK_NEF_GRAM_COLS, idx + s * k + st[c], st[c + 1] - st[c], (guint) rows, (guint) w);
            }
          for (gsize r = 0; r < rows; r++)
            for (gsize j = 0; j < w; j++)
              {
                double want = 0.0;

                for (gsize p = 0; p < k; p++)
                  want += (double) A[p * n + r0 + r] * A[p * n + c0 + j];
                g_assert_cmpfloat (fabs (C[r * SPK_NEF_GRAM_COLS + j] - want), <=, 1e-5 * MAX (want, 1.0));
              }
        }
    }
}

typedef struct
{
  double last;
  guint  calls;
  guint  stop_at;  /* return FALSE on this call (0: never) */
} Watch;

static gboolean
progress_cb (double   fraction,
             gpointer data)
{
  Watch *watch = data;

  g_assert_cmpfloat (fraction, >=, watch->last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  watch->last = fraction;
  watch->calls++;
  return watch->calls != watch->stop_at;
}

/* Progress rises to 1; a FALSE from it stops the solve at once: no
 * further block of activities is computed and the error says cancelled.
 * Stopping in the factorisation (after all seven blocks) works too. */
static void
test_progress_and_cancel (void)
{
  g_autoptr (SpkSolver) solver = spk_solver_new (SPK_SOLVER_LSTSQ_L2, 0.1);
  g_autofree Population *pop = g_new0 (Population, 1);
  g_autofree double *Y = g_new (double, M * K);
  double D[N * K];
  Watch watch = { 0 };
  g_autoptr (GError) error = NULL;

  population_init (pop, Y);
  g_assert_true (spk_solver_solve_blocked (solver, activities_cb, pop, M, N, Y, K, TRUE, 333,
                                           progress_cb, &watch, D, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (watch.last, ==, 1.0);
  /* A call per block and per panel of the factorisation. */
  g_assert_cmpuint (watch.calls, ==, 7 + 3);

  for (guint stop_at = 1; stop_at <= 9; stop_at += 8)
    {
      watch = (Watch) { 0, 0, stop_at };
      pop->calls = 0;
      g_assert_false (spk_solver_solve_blocked (solver, activities_cb, pop, M, N, Y, K, TRUE, 333,
                                                progress_cb, &watch, D, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpstr (error->message, ==, "the decoder solve was cancelled");
      g_clear_error (&error);
      g_assert_cmpuint (watch.calls, ==, stop_at);
      g_assert_cmpuint (pop->calls, ==, MIN (stop_at, 7));
    }
}

/* A non-finite activity names its point and neuron; all-silent neurons
 * and targets with a NaN are refused as by spk_solver_solve(); only
 * LstsqL2 (primal) and LstsqL2nz go blocked. */
static void
test_bad_input (void)
{
  g_autoptr (SpkSolver) solver = spk_solver_new (SPK_SOLVER_LSTSQ_L2, 0.1);
  g_autoptr (SpkSolver) nnls = spk_solver_new (SPK_SOLVER_NNLS, 0.1);
  g_autoptr (SpkSolver) l2nz = spk_solver_new (SPK_SOLVER_LSTSQ_L2NZ, 0.1);
  g_autofree Population *pop = g_new0 (Population, 1);
  g_autofree double *Y = g_new (double, M * K);
  double D[N * K];
  g_autoptr (GError) error = NULL;

  population_init (pop, Y);
  pop->poison_row = 1000;
  g_assert_false (spk_solver_solve_blocked (solver, activities_cb, pop, M, N, Y, K, FALSE, 333,
                                            NULL, NULL, D, NULL, &error));
  g_assert_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "the activities contain a non-finite value (nan) at evaluation point 1000, neuron 5");
  g_clear_error (&error);

  pop->poison_row = G_MAXSIZE;
  Y[17 * K + 1] = INFINITY;
  g_assert_false (spk_solver_solve_blocked (solver, activities_cb, pop, M, N, Y, K, FALSE, 333,
                                            NULL, NULL, D, NULL, &error));
  g_assert_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "the decoding targets contain a non-finite value (inf) at evaluation point 17, dimension 1");
  g_clear_error (&error);
  Y[17 * K + 1] = 0.0;

  for (gsize i = 0; i < N; i++)
    pop->bias[i] = pop->gain[i] = 0.0;
  g_assert_false (spk_solver_solve_blocked (solver, activities_cb, pop, M, N, Y, K, TRUE, 333,
                                            NULL, NULL, D, NULL, &error));
  g_assert_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SOLVER);
  g_assert_true (g_str_has_prefix (error->message, "all neurons are silent at the evaluation points"));

  g_assert_true (spk_solver_can_solve_blocked (solver, M, N));
  g_assert_false (spk_solver_can_solve_blocked (solver, N, M));
  g_assert_true (spk_solver_can_solve_blocked (l2nz, N, M));
  g_assert_false (spk_solver_can_solve_blocked (nnls, M, N));
}

typedef struct
{
  GCancellable *cancellable;
  double        last;
  guint         calls;
  gboolean      cancel;   /* cancel at the first report */
} BuildWatch;

static void
build_progress_cb (double   fraction,
                   gpointer data)
{
  BuildWatch *watch = data;

  g_assert_cmpfloat (fraction, >=, watch->last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  watch->last = fraction;
  watch->calls++;
  if (watch->cancel)
    g_cancellable_cancel (watch->cancellable);
}

/* spk_build_full(): progress through a network of a big ensemble (3,000
 * neurons: a blocked solve) and a small one rises to 1; cancelled at its
 * first report, the build stops inside the big solve and fails with
 * G_IO_ERROR_CANCELLED.  The decoder cache is off so that both solve. */
static void
test_build_progress_and_cancel (void)
{
  g_autoptr (SpkNetwork) net = spk_network_new ();
  const char *labels[] = { "big", "small" };
  const int sizes[] = { 3000, 50 };
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  BuildWatch watch = { cancellable, 0, 0, FALSE };
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (GError) error = NULL;

  spk_decoder_cache_set_enabled (FALSE);
  spk_network_set_seed (net, 1);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (SpkEnsemble) ens = spk_ensemble_new ();
      g_autoptr (SpkNode) out = spk_node_new ();
      g_autoptr (SpkConnection) conn = spk_connection_new ();
      g_autofree char *out_label = g_strdup_printf ("%s_out", labels[i]);

      spk_ensemble_set_n_neurons (ens, sizes[i]);
      spk_object_set_label (SPK_OBJECT (ens), labels[i]);
      spk_node_set_size_in (out, 1);
      spk_object_set_label (SPK_OBJECT (out), out_label);
      spk_connection_set_pre (conn, SPK_OBJECT (ens));
      spk_connection_set_post (conn, SPK_OBJECT (out));
      g_assert_true (spk_network_add (net, SPK_OBJECT (ens), NULL));
      g_assert_true (spk_network_add (net, SPK_OBJECT (out), NULL));
      g_assert_true (spk_network_add (net, SPK_OBJECT (conn), NULL));
    }
  plan = spk_build_full (net, NULL, cancellable, build_progress_cb, &watch, &error);
  g_assert_no_error (error);
  g_assert_nonnull (plan);
  g_assert_cmpfloat (watch.last, ==, 1.0);
  /* The big solve's blocks and panels, and one report per solve. */
  g_assert_cmpuint (watch.calls, >, 10);

  watch = (BuildWatch) { cancellable, 0, 0, TRUE };
  g_assert_null (spk_build_full (net, NULL, cancellable, build_progress_cb, &watch, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (watch.calls, ==, 1);
  g_assert_cmpfloat (watch.last, <, 0.5);
  spk_decoder_cache_set_enabled (TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/spk/nef-blocked/lstsq-l2", GINT_TO_POINTER (SPK_SOLVER_LSTSQ_L2), test_matches_full);
  g_test_add_data_func ("/spk/nef-blocked/lstsq-l2nz", GINT_TO_POINTER (SPK_SOLVER_LSTSQ_L2NZ), test_matches_full);
  g_test_add_func ("/spk/nef-blocked/sparse-gram", test_sparse_gram);
  g_test_add_func ("/spk/nef-blocked/progress-and-cancel", test_progress_and_cancel);
  g_test_add_func ("/spk/nef-blocked/bad-input", test_bad_input);
  g_test_add_func ("/spk/nef-blocked/build-progress-and-cancel", test_build_progress_and_cancel);
  return g_test_run ();
}
