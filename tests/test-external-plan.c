/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-external-plan.c — the plan that runs an operator list made outside
 * the engine (Nengo's, through the Python backend): each native operator
 * against the numpy expression it replaces, written out by hand here, and
 * callbacks in order with their errors passed on. */
#include <math.h>
#include <string.h>

#include "core/spk-error.h"
#include "sim/spk-external-plan.h"

#define DT 0.001

static SpkView
vec (double *data,
     gsize   n)
{
  return (SpkView) { data, n, 1, 1, 0 };
}

static void
test_time_reset_copy (void)
{
  g_autoptr (SpkExternalPlan) plan = spk_external_plan_new (DT);
  g_autoptr (GError) error = NULL;
  gint64 step = 0;
  double time = 0;
  double dst[4] = { 9, 9, 9, 9 }, src[3] = { 1, 2, 3 }, acc[2] = { 0, 0 };
  const gint64 src_rows[] = { 2, 0, 1 }, dst_rows[] = { 1, 1, 0 };
  SpkView dst_v = vec (dst, 4), src_v = vec (src, 3), acc_v = vec (acc, 2);

  spk_external_plan_add_time_update (plan, &step, &time);
  spk_external_plan_add_reset (plan, &dst_v, 0.5);
  /* acc[[1, 1, 0]] += src[[2, 0, 1]]: numpy's add.at sums the repeats. */
  g_assert_true (spk_external_plan_add_copy (plan, &src_v, src_rows, 3, &acc_v, dst_rows, 3,
                                             TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (spk_external_plan_get_n_native (plan), ==, 3);

  g_assert_true (spk_external_plan_step (plan, &error));
  g_assert_true (spk_external_plan_step (plan, &error));
  g_assert_no_error (error);
  g_assert_cmpint (step, ==, 2);
  g_assert_cmpfloat (time, ==, 2 * DT);
  for (int i = 0; i < 4; i++)
    g_assert_cmpfloat (dst[i], ==, 0.5);
  g_assert_cmpfloat (acc[0], ==, 2 * 2);
  g_assert_cmpfloat (acc[1], ==, 2 * (3 + 1));
}

static void
test_copy_bad (void)
{
  g_autoptr (SpkExternalPlan) plan = spk_external_plan_new (DT);
  g_autoptr (GError) error = NULL;
  double a[3] = { 0 }, b[2] = { 0 };
  const gint64 rows[] = { 1, 1 }, far[] = { 0, 3 };
  SpkView av = vec (a, 3), bv = vec (b, 2);

  g_assert_false (spk_external_plan_add_copy (plan, &av, NULL, 0, &bv, NULL, 0, FALSE, &error));
  g_assert_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE);
  g_assert_nonnull (strstr (error->message, "3×1 and 2×1 do not fit"));
  g_clear_error (&error);

  g_assert_false (spk_external_plan_add_copy (plan, &bv, NULL, 0, &av, rows, 2, FALSE, &error));
  g_assert_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "repeated destination"));
  g_clear_error (&error);

  g_assert_false (spk_external_plan_add_copy (plan, &av, far, 2, &bv, NULL, 0, FALSE, &error));
  g_assert_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE);
  g_assert_nonnull (strstr (error->message, "source index 3"));
  g_assert_cmpuint (spk_external_plan_get_n_ops (plan), ==, 0);
}

static void
test_elementwise_dot (void)
{
  g_autoptr (SpkExternalPlan) plan = spk_external_plan_new (DT);
  g_autoptr (GError) error = NULL;
  /* y (2×3) += a (scalar) ⊙ x (1×3, broadcast over rows) */
  double y[6] = { 0 }, a = 2, x[3] = { 1, 2, 3 };
  SpkView yv = { y, 2, 3, 3, 1 }, av = { &a, 1, 1, 0, 0 }, xv = { x, 1, 3, 3, 1 };
  /* z (2) += M (2×3, row-major and transposed) · x */
  double m[6] = { 1, 2, 3, 4, 5, 6 }, mt[6] = { 1, 4, 2, 5, 3, 6 }, z[2] = { 1, 1 };
  double w[2] = { 0, 0 };
  SpkView mv = { m, 2, 3, 3, 1 }, mtv = { mt, 2, 3, 1, 2 }, zv = vec (z, 2), wv = vec (w, 2);
  SpkView x1 = vec (x, 3);
  /* strided rows (every other element) take the loop */
  double big[12] = { 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0 }, s[2] = { 0, 0 };
  SpkView bigv = { big, 2, 3, 6, 2 }, sv = vec (s, 2);

  g_assert_true (spk_external_plan_add_elementwise_inc (plan, &av, &xv, &yv, &error));
  g_assert_true (spk_external_plan_add_dot_inc (plan, &mv, &x1, &zv, &error));
  g_assert_true (spk_external_plan_add_dot_inc (plan, &mtv, &x1, &wv, &error));
  g_assert_true (spk_external_plan_add_dot_inc (plan, &bigv, &x1, &sv, &error));
  g_assert_no_error (error);
  g_assert_true (spk_external_plan_step (plan, &error));
  for (int r = 0; r < 2; r++)
    for (int c = 0; c < 3; c++)
      g_assert_cmpfloat (y[r * 3 + c], ==, 2 * x[c]);
  g_assert_cmpfloat (z[0], ==, 1 + 14);
  g_assert_cmpfloat (z[1], ==, 1 + 32);
  g_assert_cmpfloat (w[0], ==, 14);
  g_assert_cmpfloat (w[1], ==, 32);
  g_assert_cmpfloat (s[0], ==, 14);
  g_assert_cmpfloat (s[1], ==, 32);

  g_assert_false (spk_external_plan_add_dot_inc (plan, &mv, &zv, &x1, &error));
  g_assert_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE);
  g_clear_error (&error);
  g_assert_false (spk_external_plan_add_elementwise_inc (plan, &zv, &x1, &x1, &error));
  g_assert_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE);
}

static void
test_sparse (void)
{
  g_autoptr (SpkExternalPlan) plan = spk_external_plan_new (DT);
  g_autoptr (GError) error = NULL;
  /* [[0, 2, 0], [1, 0, 3]] */
  const double data[] = { 2, 1, 3 };
  const gint64 indices[] = { 1, 0, 2 }, indptr[] = { 0, 1, 3 }, bad[] = { 1, 0, 5 };
  double x[3] = { 1, 2, 3 }, y[2] = { 0, 0 };
  SpkView xv = vec (x, 3), yv = vec (y, 2);

  g_assert_true (spk_external_plan_add_sparse_dot_inc (plan, data, indices, indptr, 2, 3,
                                                       &xv, &yv, &error));
  g_assert_true (spk_external_plan_step (plan, &error));
  g_assert_cmpfloat (y[0], ==, 4);
  g_assert_cmpfloat (y[1], ==, 10);
  g_assert_false (spk_external_plan_add_sparse_dot_inc (plan, data, bad, indptr, 2, 3,
                                                        &xv, &yv, &error));
  g_assert_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE);
}

static void
test_bsr (void)
{
  g_autoptr (SpkExternalPlan) plan = spk_external_plan_new (DT);
  g_autoptr (GError) error = NULL;
  /* 2 block rows × 2 block columns of 2×1 blocks: [[B0, 0], [B1, B2]] */
  const double blocks[] = { 1, 2, 3, 4, 5, 6 };
  const gint64 indices[] = { 0, 0, 1 }, indptr[] = { 0, 1, 3 }, bad[] = { 0, 2, 1 };
  double x[2] = { 10, 100 }, y[4] = { 1, 1, 1, 1 };

  g_assert_true (spk_external_plan_add_bsr_dot_inc (plan, blocks, 2, 1, indices, indptr, 2, 2,
                                                    x, y, &error));
  g_assert_true (spk_external_plan_step (plan, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (y[0], ==, 1 + 10);
  g_assert_cmpfloat (y[1], ==, 1 + 20);
  g_assert_cmpfloat (y[2], ==, 1 + 30 + 500);
  g_assert_cmpfloat (y[3], ==, 1 + 40 + 600);
  g_assert_false (spk_external_plan_add_bsr_dot_inc (plan, blocks, 2, 1, bad, indptr, 2, 2,
                                                     x, y, &error));
  g_assert_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE);
  g_assert_nonnull (strstr (error->message, "block column 2"));
}

/* Nengo's LIF step for one neuron, written out (NEF-FACTS §2). */
static void
test_neurons (void)
{
  g_autoptr (SpkExternalPlan) plan = spk_external_plan_new (DT);
  g_autoptr (SpkNeuronType) lif = spk_neuron_type_new (SPK_NEURON_LIF);
  g_autoptr (GError) error = NULL;
  double J[2] = { 3, 0.5 }, out[2], v[2] = { 0, 0 }, ref[2] = { 0, 0 };
  gpointer states[] = { v, ref };
  double ev = 0;
  int spikes = 0;

  g_assert_true (spk_external_plan_add_neurons (plan, lif, J, out, states, 2, &error));
  g_assert_no_error (error);
  g_assert_true (spk_external_plan_step (plan, &error));
  ev = -(3 - 0) * expm1 (-DT / 0.02);
  g_assert_cmpfloat_with_epsilon (v[0], ev, 1e-15);
  for (int k = 0; k < 200; k++)
    {
      g_assert_true (spk_external_plan_step (plan, &error));
      spikes += out[0] > 0;
      g_assert_cmpfloat (out[1], ==, 0);  /* below threshold: never spikes */
      g_assert_true (out[0] == 0 || out[0] == 1 / DT);
    }
  /* LIF rate at J = 3: 1 / (tau_ref + tau_rc·log1p(1/(J−1))) ≈ 100.8 Hz */
  g_assert_cmpint (spikes, >=, 19);
  g_assert_cmpint (spikes, <=, 21);
}

static void
test_linear_filter (void)
{
  g_autoptr (SpkExternalPlan) plan = spk_external_plan_new (DT);
  g_autoptr (GError) error = NULL;
  const double tau = 0.005, a = exp (-DT / tau);
  /* Lowpass in Nengo's discrete form: A = a, B = 1, C = 1 − a, D = 0 */
  const double A = a, B = 1, C = 1 - a;
  /* General (D ≠ 0): y = C·x + D·u; x ← A·x + B·u, order 1 */
  const double gA = 0.5, gB = 1, gC = 2, gD = 3;
  double u[2] = { 1, 1 }, X[2] = { 0, 0 }, y[2] = { 0, 0 }, gX[1] = { 0 }, gy[1] = { 0 };
  double nod_X[2] = { 0, 0 }, nod_y = 0;
  const double nA[4] = { 0, 1, -0.25, 1 }, nB[2] = { 0, 1 }, nC[2] = { 1, 0 };

  g_assert_true (spk_external_plan_add_linear_filter (plan, &A, &B, &C, 0, 1, X, u, y, 2,
                                                      FALSE, &error));
  g_assert_true (spk_external_plan_add_linear_filter (plan, &gA, &gB, &gC, gD, 1, gX, u, gy, 1,
                                                      FALSE, &error));
  g_assert_true (spk_external_plan_add_linear_filter (plan, nA, nB, nC, 0, 2, nod_X, u, &nod_y,
                                                      1, TRUE, &error));
  g_assert_no_error (error);
  for (int k = 1; k <= 10; k++)
    {
      g_assert_true (spk_external_plan_step (plan, &error));
      /* Nengo's Lowpass step response includes the current input. */
      g_assert_cmpfloat_with_epsilon (y[0], 1 - pow (a, k), 1e-14);
      g_assert_cmpfloat (y[1], ==, y[0]);
    }
  /* General: y_k = 2·x_k + 3 with x_0 = 0, x_{k+1} = x_k/2 + 1: y_10 = 2·(2 − 2^-8) + 3 */
  g_assert_cmpfloat_with_epsilon (gy[0], 2 * (2 - pow (0.5, 8)) + 3, 1e-14);
  /* NoD, order 2, incremented: x1 after 10 steps of x ← A·x + B, y += x0 */
  {
    double x0 = 0, x1 = 0, acc = 0;

    for (int k = 0; k < 10; k++)
      {
        double n0 = x1, n1 = -0.25 * x0 + x1 + 1;

        x0 = n0;
        x1 = n1;
        acc += x0;
      }
    g_assert_cmpfloat_with_epsilon (nod_y, acc, 1e-12);
  }
}

typedef struct
{
  GString *log;
  int fail_at;
  int calls;
} CallbackLog;

static gboolean
log_cb (gpointer  user_data,
        GError  **error)
{
  CallbackLog *log = user_data;

  log->calls++;
  g_string_append_printf (log->log, "%d,", log->calls);
  if (log->calls == log->fail_at)
    {
      g_set_error (error, SPK_SIM_ERROR, SPK_SIM_ERROR_INPUT, "callback %d failed", log->calls);
      return FALSE;
    }
  return TRUE;
}

static void
count_destroy (gpointer data)
{
  (*(int *) data)++;
}

static gboolean
bump_cb (gpointer  user_data,
         GError  **error)
{
  return TRUE;
}

static void
test_callbacks (void)
{
  g_autoptr (GError) error = NULL;
  CallbackLog log = { g_string_new (NULL), 3, 0 };
  gint64 step = 0;
  double time = 0;
  int destroyed = 0;
  SpkExternalPlan *plan = spk_external_plan_new (DT);

  spk_external_plan_add_callback (plan, log_cb, &log, NULL);
  spk_external_plan_add_time_update (plan, &step, &time);
  spk_external_plan_add_callback (plan, log_cb, &log, NULL);
  spk_external_plan_add_callback (plan, bump_cb, &destroyed, count_destroy);
  g_assert_cmpuint (spk_external_plan_get_n_ops (plan), ==, 4);
  g_assert_cmpuint (spk_external_plan_get_n_native (plan), ==, 1);

  g_assert_true (spk_external_plan_step (plan, &error));
  /* The third call fails: the step stops there, after the time update. */
  g_assert_false (spk_external_plan_step (plan, &error));
  g_assert_error (error, SPK_SIM_ERROR, SPK_SIM_ERROR_INPUT);
  g_assert_cmpstr (error->message, ==, "callback 3 failed");
  g_assert_cmpstr (log.log->str, ==, "1,2,3,");
  g_assert_cmpint (step, ==, 1);
  spk_external_plan_unref (plan);
  g_assert_cmpint (destroyed, ==, 1);
  g_string_free (log.log, TRUE);
}

/* A float32 plan (Nengo's rc precision 32): the same operators over
 * float buffers with an int32 step counter, each against its expression
 * evaluated in float, as numpy evaluates it on float32 arrays. */
static void
test_float32 (void)
{
  g_autoptr (SpkExternalPlan) plan = spk_external_plan_new_full (DT, TRUE);
  g_autoptr (SpkNeuronType) lif = spk_neuron_type_new (SPK_NEURON_LIF);
  g_autoptr (GError) error = NULL;
  gint32 step = 0;
  float time = 0;
  float A[6] = { 1, 2, 3, 4, 5, 6 }, x[3] = { 0.5f, -1, 2 }, y[2] = { 0, 0 };
  float blocks[4] = { 1, 2, 3, 4 }, bx[2] = { 10, 100 }, by[1] = { 0 };
  const gint64 indices[2] = { 0, 0 }, indptr[2] = { 0, 2 };
  float J[1] = { 3 }, out[1], v[1] = { 0 }, ref[1] = { 0 };
  gpointer states[] = { v, ref };
  const double a = exp (-DT / 0.005), B = 1, C = 1 - a;
  float u[1] = { 1 }, X[1] = { 0 }, fy[1] = { 0 };
  SpkView av = { A, 2, 3, 3, 1 }, xv = { x, 3, 1, 1, 0 }, yv = { y, 2, 1, 1, 0 };
  float expect_x = 0;

  g_assert_true (spk_external_plan_is_single (plan));
  spk_external_plan_add_time_update (plan, &step, &time);
  spk_external_plan_add_reset (plan, &yv, 0.25);
  g_assert_true (spk_external_plan_add_dot_inc (plan, &av, &xv, &yv, &error));
  /* One block row of two 1×2 blocks, both in block column 0:
   * by[0] += (1·10 + 2·100) + (3·10 + 4·100) each step. */
  g_assert_true (spk_external_plan_add_bsr_dot_inc (plan, blocks, 1, 2, indices, indptr, 1, 1,
                                                    bx, by, &error));
  g_assert_true (spk_external_plan_add_neurons (plan, lif, J, out, states, 1, &error));
  g_assert_true (spk_external_plan_add_linear_filter (plan, &a, &B, &C, 0, 1, X, u, fy, 1,
                                                      FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (spk_external_plan_get_n_native (plan), ==, 6);

  for (int k = 1; k <= 3; k++)
    {
      g_assert_true (spk_external_plan_step (plan, &error));
      g_assert_no_error (error);
      g_assert_cmpint (step, ==, k);
      g_assert_cmpfloat (time, ==, (float) (k * DT));
      expect_x = (float) a * expect_x + (float) (C * B) * 1.0f;
      g_assert_cmpfloat (X[0], ==, expect_x);
      g_assert_cmpfloat (fy[0], ==, expect_x);
    }
  g_assert_cmpfloat (y[0], ==, 0.25f + (1 * 0.5f - 2 + 3 * 2));
  g_assert_cmpfloat (y[1], ==, 0.25f + (4 * 0.5f - 5 + 6 * 2));
  g_assert_cmpfloat (by[0], ==, 3 * (210 + 430));
  /* Three LIF steps from rest at J = 3 in float32, within float round-off
   * of the float64 expression (the float32 kernel's expm1 is a polynomial). */
  g_assert_cmpfloat (fabs (v[0] - 3 * (1 - exp (-3 * DT / 0.02))), <, 2e-6);
  g_assert_cmpfloat (out[0], ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/external-plan/time-reset-copy", test_time_reset_copy);
  g_test_add_func ("/spk/external-plan/copy-bad", test_copy_bad);
  g_test_add_func ("/spk/external-plan/elementwise-dot", test_elementwise_dot);
  g_test_add_func ("/spk/external-plan/sparse", test_sparse);
  g_test_add_func ("/spk/external-plan/bsr", test_bsr);
  g_test_add_func ("/spk/external-plan/neurons", test_neurons);
  g_test_add_func ("/spk/external-plan/linear-filter", test_linear_filter);
  g_test_add_func ("/spk/external-plan/callbacks", test_callbacks);
  g_test_add_func ("/spk/external-plan/float32", test_float32);
  return g_test_run ();
}
