/* test-kernels.c — the vectorised float32 kernels against naive products
 * in double, over shapes that cross every vector-width boundary. */
#include <math.h>

#include "core/spk-rng.h"
#include "ops/spk-ops-neurons-private.h"

/* float32 sums of up to 1000 terms of size ≤ 1: the error bound is about
 * cols · 2^-24 · Σ|w·x|; 1e-5 relative to Σ|w·x| holds with room. */
static void
check_gemv (guint    rows,
            guint    cols,
            gboolean transposed)
{
  g_autofree float *W = g_new (float, (gsize) rows * cols);
  g_autofree float *Wt = g_new (float, (gsize) rows * cols);
  g_autofree float *x = g_new (float, cols);
  g_autofree float *y = g_new (float, rows);
  SpkRng rng;

  spk_rng_init (&rng, rows * 1000 + cols);
  for (gsize i = 0; i < (gsize) rows * cols; i++)
    W[i] = (float) spk_rng_uniform_range (&rng, -1, 1);
  for (guint r = 0; r < rows; r++)
    for (guint c = 0; c < cols; c++)
      Wt[(gsize) c * rows + r] = W[(gsize) r * cols + c];
  for (guint c = 0; c < cols; c++)
    x[c] = (float) spk_rng_uniform_range (&rng, -1, 1);
  for (guint r = 0; r < rows; r++)
    y[r] = (float) r;
  if (transposed)
    _spk_gemv_cols_f32 (rows, cols, Wt, x, y);
  else
    _spk_gemv_rows_f32 (rows, cols, W, x, y);
  for (guint r = 0; r < rows; r++)
    {
      double want = r, scale = 1 + r;

      for (guint c = 0; c < cols; c++)
        {
          want += (double) W[(gsize) r * cols + c] * x[c];
          scale += fabs ((double) W[(gsize) r * cols + c] * x[c]);
        }
      if (fabs (y[r] - want) > 1e-5 * scale)
        g_error ("%s %u × %u: row %u is %.9g, want %.9g", transposed ? "cols" : "rows",
                 rows, cols, r, y[r], want);
    }
}

static void
test_gemv (void)
{
  static const guint sizes[] = { 1, 2, 15, 16, 17, 31, 33, 50, 64, 100, 1000 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    for (guint j = 0; j < G_N_ELEMENTS (sizes); j++)
      {
        check_gemv (sizes[i], sizes[j], FALSE);
        check_gemv (sizes[i], sizes[j], TRUE);
      }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/kernels/gemv", test_gemv);
  return g_test_run ();
}
