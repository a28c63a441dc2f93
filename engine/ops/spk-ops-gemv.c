/* spk-ops-gemv.c — y += W·x in float32 for the shapes a network step has,
 * vectorised (Debian's OpenBLAS runs its oldest kernels on this machine's
 * processors, and a tiny product is all call overhead there).
 *
 * Two layouts: a short-wide W (decoders: few rows of many columns) is read
 * row by row with 16 independent partial sums, so the compiler vectorises
 * the dot products without reassociating anything; a tall-skinny W
 * (encoders: many rows of few columns) is kept transposed, cols × rows, so
 * each column is one vectorised y += w·x[c] pass.  Sums are taken in a
 * fixed order, so results are deterministic.  tests/test-sim.c compares
 * both against a naive double-precision product.
 */
#define G_LOG_DOMAIN "spk-ops-gemv"

#include "spk-ops-neurons-private.h"

#define LANES 16

SPK_TARGET_CLONES
void
_spk_gemv_rows_f32 (guint                 rows,
                    guint                 cols,
                    const float *restrict W,     /* rows × cols */
                    const float *restrict x,     /* cols */
                    float *restrict       y)     /* rows */
{
  for (guint r = 0; r < rows; r++)
    {
      const float *restrict w = W + (gsize) r * cols;
      float acc[LANES] = { 0 };
      float sum = 0.0f;
      guint c = 0;

      for (; c + LANES <= cols; c += LANES)
        for (guint k = 0; k < LANES; k++)
          acc[k] += w[c + k] * x[c + k];
      for (; c < cols; c++)
        sum += w[c] * x[c];
      for (guint k = 0; k < LANES; k++)
        sum += acc[k];
      y[r] += sum;
    }
}

SPK_TARGET_CLONES
void
_spk_gemv_cols_f32 (guint                 rows,
                    guint                 cols,
                    const float *restrict Wt,    /* cols × rows: W transposed */
                    const float *restrict x,     /* cols */
                    float *restrict       y)     /* rows */
{
  for (guint c = 0; c < cols; c++)
    {
      const float *restrict w = Wt + (gsize) c * rows;
      const float xc = x[c];

      for (guint r = 0; r < rows; r++)
        y[r] += w[r] * xc;
    }
}
