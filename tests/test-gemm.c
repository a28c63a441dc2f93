/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-gemm.c — the small matrix product's kernels (every one this
 * processor runs) against their naive twin, on every edge of the tiles:
 * batch 1 and 50, rows and cols below, at and just past the vector widths
 * and tile sizes, rows of W longer than one block, strided rows, and
 * both storage orders of W; and the simulator's float32 autoencoder,
 * whose products go through the kernel, against its float64 twin. */
#include <float.h>
#include <math.h>

#include "builder/spk-plan.h"
#include "core/spk-cpu.h"
#include "core/spk-rng.h"
#include "examples/spk-examples.h"
#include "model/spk-network.h"
#include "ops/spk-gemm-small-private.h"
#include "sim/spk-simulator.h"

/* Values outside a row's first `rows` must stay as they were. */
#define GUARD 3
#define SENTINEL 12345.0f

static const guint batches[] = { 1, 2, 3, 5, 6, 7, 13, 50 };
static const guint sizes[] = { 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100 };

/* One product: the largest error allowed is the bound of a float sum of
 * cols + 1 terms in any order, γ(cols + 1)·Σ|term| (Higham), twice over
 * for the reference's own rounding. */
static void
check_product (SpkGemmKernel kernel,
               gboolean      transposed,
               guint         batch,
               guint         rows,
               guint         cols,
               SpkRng       *rng)
{
  gsize ld_dst = rows + GUARD, ld_src = cols + GUARD;
  g_autofree float *W = g_new (float, (gsize) rows * cols);
  g_autofree float *src = g_new (float, batch * ld_src);
  g_autofree float *dst = g_new (float, batch * ld_dst);
  g_autofree float *ref = g_new (float, batch * ld_dst);
  g_autofree double *magnitude = g_new (double, batch * ld_dst);

  for (gsize i = 0; i < (gsize) rows * cols; i++)
    W[i] = (float) (2.0 * spk_rng_uniform (rng) - 1.0);
  for (gsize i = 0; i < batch * ld_src; i++)
    src[i] = (float) (4.0 * spk_rng_uniform (rng) - 2.0);
  for (guint b = 0; b < batch; b++)
    for (guint r = 0; r < ld_dst; r++)
      {
        gsize at = b * ld_dst + r;

        dst[at] = ref[at] = r < rows ? (float) (spk_rng_uniform (rng) - 0.5) : SENTINEL;
        magnitude[at] = fabs (dst[at]);
        for (guint c = 0; r < rows && c < cols; c++)
          magnitude[at] += fabs (src[b * ld_src + c]
                                 * (transposed ? W[(gsize) c * rows + r] : W[(gsize) r * cols + c]));
      }

  g_assert_true (_spk_gemm_small_with_f32 (kernel, dst, ld_dst, W, transposed, src, ld_src,
                                           rows, cols, batch));
  _spk_gemm_small_reference_f32 (ref, ld_dst, W, transposed, src, ld_src, rows, cols, batch);

  for (guint b = 0; b < batch; b++)
    for (guint r = 0; r < ld_dst; r++)
      {
        gsize at = b * ld_dst + r;
        double gamma = (cols + 1) * (FLT_EPSILON / 2) / (1.0 - (cols + 1) * (FLT_EPSILON / 2));
        double tol = 2.0 * gamma * magnitude[at];

        if (r >= rows)
          g_assert_cmpfloat (dst[at], ==, SENTINEL);
        else if (!(fabs ((double) dst[at] - ref[at]) <= tol))
          g_error ("kernel %d, %s, batch %u, %u x %u: dst[%u][%u] = %.9g, reference %.9g "
                   "(tolerance %.3g)", kernel, transposed ? "transposed" : "row-major",
                   batch, rows, cols, b, r, dst[at], ref[at], tol);
      }
}

static void
check_kernel (SpkGemmKernel kernel)
{
  SpkRng rng;

  spk_rng_init (&rng, 7 + kernel);
  for (int t = 0; t < 2; t++)
    {
      for (guint bi = 0; bi < G_N_ELEMENTS (batches); bi++)
        for (guint ri = 0; ri < G_N_ELEMENTS (sizes); ri++)
          for (guint ci = 0; ci < G_N_ELEMENTS (sizes); ci++)
            check_product (kernel, t, batches[bi], sizes[ri], sizes[ci], &rng);
      /* The autoencoder's layers, and long rows. */
      check_product (kernel, t, 50, 64, 784, &rng);
      check_product (kernel, t, 50, 784, 64, &rng);
      check_product (kernel, t, 1, 784, 64, &rng);
      check_product (kernel, t, 7, 129, 1000, &rng);
      check_product (kernel, t, 5, 17, 2100, &rng);    /* rows longer than a block of k */
    }
}

static void
test_baseline (void)
{
  /* Every processor runs it. */
  check_kernel (SPK_GEMM_BASELINE);
}

static void
test_vector (gconstpointer data)
{
  SpkGemmKernel kernel = GPOINTER_TO_INT (data);

  if (_spk_gemm_small_best () < kernel)
    {
      g_test_skip ("this processor cannot run that kernel");
      return;
    }
  check_kernel (kernel);
}

/* The entry point runs the best kernel, and computes what the reference does. */
static void
test_dispatch (void)
{
  SpkRng rng;
  float W[5 * 19], src[3 * 19], dst[3 * 5] = { 0 }, ref[3 * 5] = { 0 };

  spk_rng_init (&rng, 1);
  for (guint i = 0; i < G_N_ELEMENTS (W); i++)
    W[i] = (float) spk_rng_uniform (&rng);
  for (guint i = 0; i < G_N_ELEMENTS (src); i++)
    src[i] = (float) spk_rng_uniform (&rng);
  _spk_gemm_small_f32 (dst, 5, W, FALSE, src, 19, 5, 19, 3);
  _spk_gemm_small_reference_f32 (ref, 5, W, FALSE, src, 19, 5, 19, 3);
  for (guint i = 0; i < G_N_ELEMENTS (dst); i++)
    g_assert_cmpfloat_with_epsilon (dst[i], ref[i], 1e-5);
  g_assert_true (_spk_gemm_small_fast () == (_spk_gemm_small_best () != SPK_GEMM_BASELINE));
  /* One dispatch: the kernel is the CPU's level (core/spk-cpu.h), which is
   * what the CPU says it supports. */
  g_assert_cmpint (_spk_gemm_small_best (), ==,
                   spk_cpu_isa () == SPK_ISA_AVX512 ? SPK_GEMM_AVX512
                   : spk_cpu_isa () == SPK_ISA_AVX2 ? SPK_GEMM_AVX2 : SPK_GEMM_BASELINE);
#if defined(__x86_64__)
  g_assert_true ((spk_cpu_isa () == SPK_ISA_AVX512)
                 == (__builtin_cpu_supports ("avx512f") && __builtin_cpu_supports ("fma")));
  g_test_message ("instruction-set level: %s", spk_isa_to_name (spk_cpu_isa ()));
#endif
}

/* The transposed product reading W in place with its own row stride (the
 * blocked decoder solve's Gram products): as the reference on a packed
 * copy, the columns beside W's untouched, over tile edges. */
static void
test_strided (void)
{
  const guint shapes[][3] = { { 384, 64, 256 }, { 13, 17, 5 }, { 7, 64, 300 }, { 6, 33, 1 } };
  SpkRng rng;

  spk_rng_init (&rng, 3);
  for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
    {
      guint batch = shapes[s][0], rows = shapes[s][1], cols = shapes[s][2];
      gsize ldw = rows + 29, ld_src = cols + 3;
      g_autofree float *W = g_new (float, cols * ldw);
      g_autofree float *packed = g_new (float, (gsize) cols * rows);
      g_autofree float *src = g_new (float, batch * ld_src);
      g_autofree float *dst = g_new0 (float, (gsize) batch * rows);
      g_autofree float *ref = g_new0 (float, (gsize) batch * rows);

      for (gsize i = 0; i < cols * ldw; i++)
        W[i] = (float) (2.0 * spk_rng_uniform (&rng) - 1.0);
      for (gsize i = 0; i < batch * ld_src; i++)
        src[i] = (float) (2.0 * spk_rng_uniform (&rng) - 1.0);
      for (guint c = 0; c < cols; c++)
        memcpy (packed + (gsize) c * rows, W + c * ldw, rows * sizeof (float));
      _spk_gemm_small_ldw_f32 (dst, rows, W, ldw, src, ld_src, rows, cols, batch);
      _spk_gemm_small_reference_f32 (ref, rows, packed, TRUE, src, ld_src, rows, cols, batch);
      for (gsize i = 0; i < (gsize) batch * rows; i++)
        {
          double tol = 2.0 * (cols + 1) * FLT_EPSILON * cols;

          if (!(fabs ((double) dst[i] - ref[i]) <= tol))
            g_error ("%u × %u × %u: dst[%zu] = %.9g, reference %.9g", batch, rows, cols, i, dst[i], ref[i]);
        }
    }
}

/* The simulator's products go through the kernel in float32 (the
 * autoencoder's layers, a minibatch of 7 and a single row) and through
 * OpenBLAS's dgemm in float64: the two predictions agree to float32's
 * precision. */
static SpkSimulator *
autoencoder_predict (SpkDtype      dtype,
                     guint         batch,
                     const double *images)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_example_new ("autoencoder", &error);
  g_autoptr (SpkPlan) plan = NULL;
  SpkSimulator *sim;
  const char *labels[] = { "input", NULL };
  const double *data[] = { images };

  g_assert_no_error (error);
  spk_network_set_dtype (net, dtype);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  sim = spk_simulator_new (plan, batch, &error);
  g_assert_no_error (error);
  g_assert_true (spk_simulator_predict (sim, labels, data, 1, &error));
  g_assert_no_error (error);
  return sim;
}

static void
test_simulator (void)
{
  static const guint sizes[] = { 7, 1 };
  SpkRng rng;

  spk_rng_init (&rng, 3);
  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      guint batch = sizes[k], n;
      g_autofree double *images = g_new (double, batch * 784);
      g_autoptr (SpkSimulator) f32 = NULL;
      g_autoptr (SpkSimulator) f64 = NULL;
      g_autofree double *got = NULL, *want = NULL;
      double largest = 0;

      for (guint i = 0; i < batch * 784; i++)
        images[i] = spk_rng_uniform (&rng);
      f32 = autoencoder_predict (SPK_DTYPE_FLOAT32, batch, images);
      f64 = autoencoder_predict (SPK_DTYPE_FLOAT64, batch, images);
      n = batch * spk_simulator_get_probe_n_samples (f32, 0) * 784;
      g_assert_cmpuint (n, ==, batch * 784);
      got = g_new (double, n);
      want = g_new (double, n);
      spk_simulator_get_probe_data (f32, 0, got);
      spk_simulator_get_probe_data (f64, 0, want);
      for (guint i = 0; i < n; i++)
        largest = MAX (largest, fabs (want[i]));
      /* Not all zeros after the ReLU, or the comparison would prove little. */
      g_assert_cmpfloat (largest, >, 0.1);
      for (guint i = 0; i < n; i++)
        g_assert_cmpfloat_with_epsilon (got[i], want[i], 1e-5 * (1.0 + largest));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/gemm/baseline", test_baseline);
  g_test_add_data_func ("/spk/gemm/avx2", GINT_TO_POINTER (SPK_GEMM_AVX2), test_vector);
  g_test_add_data_func ("/spk/gemm/avx512", GINT_TO_POINTER (SPK_GEMM_AVX512), test_vector);
  g_test_add_func ("/spk/gemm/dispatch", test_dispatch);
  g_test_add_func ("/spk/gemm/strided", test_strided);
  g_test_add_func ("/spk/gemm/simulator", test_simulator);
  return g_test_run ();
}
