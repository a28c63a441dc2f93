/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-nef-kernels.c — the element-wise loops of the blocked decoder solve
 * for float32 models (see spk-nef-kernels.h).
 *
 * They sit among the engine's vectorised kernels (built with
 * -fno-trapping-math and the dynamic cost model, compiled per instruction
 * set by SPK_ISA_DISPATCH) because each runs over every activity of a big
 * ensemble — 2 × 10⁸ values for 10,000 neurons — and written plainly they
 * cost more than the float32 Gram products they feed.  The statistics are
 * kept as integers (the bits of a finite double, with the sign folded so
 * that integer order is the doubles' order), so their maxima vectorise
 * without -ffast-math.
 */
#define G_LOG_DOMAIN "spk-solver"

#include "nef/spk-nef-kernels.h"

#include <math.h>
#include <string.h>

#include "core/spk-cpu.h"

#define EXPONENT_BITS G_GUINT64_CONSTANT (0x7ff0000000000000)
#define MAGNITUDE_BITS G_GUINT64_CONSTANT (0x7fffffffffffffff)

/* The bits of a double as an integer that orders as the doubles do. */
static inline gint64
order_key (guint64 bits)
{
  return (gint64) (bits ^ ((guint64) ((gint64) bits >> 63) >> 1));
}

static inline double
from_order_key (gint64 key)
{
  guint64 bits = (guint64) key ^ ((guint64) (key >> 63) >> 1);
  double value;

  memcpy (&value, &bits, sizeof value);
  return value;
}

typedef struct
{
  gint64  max_key;
  guint64 max_abs_bits;
} RowStats;

/* One row to float32, its statistics gathered; non-zero when a value is
 * not finite.  count_active is a constant at each call, so the compiler
 * keeps two loops without a test inside. */
static inline __attribute__ ((always_inline)) guint64
row_to_f32_loop (const double *restrict a,
                 gsize                  n,
                 float *restrict        af,
                 guint64 *restrict      active,
                 RowStats              *stats,
                 gboolean               count_active)
{
  gint64 max_key = stats->max_key;
  guint64 max_abs = stats->max_abs_bits, bad = 0;

  for (gsize i = 0; i < n; i++)
    {
      guint64 bits;
      gint64 key;

      memcpy (&bits, a + i, sizeof bits);
      bad |= (bits & EXPONENT_BITS) == EXPONENT_BITS;
      key = order_key (bits);
      max_key = key > max_key ? key : max_key;
      max_abs = (bits & MAGNITUDE_BITS) > max_abs ? (bits & MAGNITUDE_BITS) : max_abs;
      if (count_active)
        active[i] += (bits & MAGNITUDE_BITS) != 0;
      af[i] = (float) a[i];
    }
  stats->max_key = max_key;
  stats->max_abs_bits = max_abs;
  return bad;
}

SPK_ISA_BODY guint64
row_to_f32_body (const double *restrict a,
                 gsize                  n,
                 float *restrict        af,
                 guint64 *restrict      active,
                 RowStats              *stats)
{
  if (active)
    return row_to_f32_loop (a, n, af, active, stats, TRUE);
  return row_to_f32_loop (a, n, af, NULL, stats, FALSE);
}

SPK_ISA_DISPATCH (static, guint64, row_to_f32, row_to_f32_body,
                  (const double *restrict a, gsize n, float *restrict af, guint64 *restrict active,
                   RowStats *stats),
                  (a, n, af, active, stats))

/* Af (rows × n) → At (n × ldt, from column col0), in tiles of 16 × 64 so
 * that both sides move whole cache lines. */
void
_spk_nef_transpose_f32 (const float *restrict Af,
                        gsize                 rows,
                        gsize                 n,
                        float *restrict       At,
                        gsize                 ldt,
                        gsize                 col0)
{
  for (gsize r0 = 0; r0 < rows; r0 += 16)
    for (gsize i0 = 0; i0 < n; i0 += 64)
      {
        gsize r1 = MIN (r0 + 16, rows), i1 = MIN (i0 + 64, n);

        for (gsize i = i0; i < i1; i++)
          for (gsize r = r0; r < r1; r++)
            At[i * ldt + col0 + r] = Af[r * n + i];
      }
}

gboolean
_spk_nef_block_to_f32 (const double *restrict A,
                       gsize                  rows,
                       gsize                  n,
                       float *restrict        Af,
                       float *restrict        At,
                       gsize                  ldt,
                       gsize                  col0,
                       double                *max_a,
                       double                *max_abs,
                       guint64 *restrict      active)
{
  RowStats stats = { order_key (0xfff0000000000000u), 0 };  /* −∞, +0 */
  guint64 bad = 0;
  double m;

  for (gsize r = 0; r < rows; r++)
    bad |= row_to_f32 (A + r * n, n, Af + r * n, active, &stats);
  if (bad)
    return FALSE;
  if (At != NULL)
    _spk_nef_transpose_f32 (Af, rows, n, At, ldt, col0);
  m = from_order_key (stats.max_key);
  *max_a = MAX (*max_a, m);
  memcpy (&m, &stats.max_abs_bits, sizeof m);
  *max_abs = MAX (*max_abs, m);
  return TRUE;
}

/* Row i of a symmetric matrix's upper triangle, g[j] = G[i][i + 1 + j]
 * for j < len, times X (rows of k): ri −= Σ g[j]·X[j] and X's rows'
 * twins R[j] −= g[j]·xi. */
SPK_ISA_BODY void
residual_row_body (const float *restrict  g,
                   gsize                  len,
                   gsize                  k,
                   const double *restrict xi,
                   double *restrict       ri,
                   const double *restrict X,
                   double *restrict       R)
{
  for (gsize j = 0; j < len; j++)
    {
      const double gj = g[j];

      for (gsize c = 0; c < k; c++)
        {
          ri[c] -= gj * X[j * k + c];
          R[j * k + c] -= gj * xi[c];
        }
    }
}

SPK_ISA_DISPATCH_VOID (, _spk_nef_residual_row, residual_row_body,
                       (const float *restrict g, gsize len, gsize k, const double *restrict xi,
                        double *restrict ri, const double *restrict X, double *restrict R),
                       (g, len, k, xi, ri, X, R))

#if defined(__x86_64__) && defined(__GLIBC__)
#include <immintrin.h>

/* libmvec's 8-lane log1p (glibc 2.35). */
__m512d _ZGVeN8v_log1p (__m512d x);

__attribute__ ((target ("avx512f"))) static void
lif_rates_avx512 (double        amplitude,
                  double        tau_rc,
                  double        tau_ref,
                  const double *gain,
                  const double *bias,
                  gsize         rows,
                  gsize         n,
                  double       *x)
{
  const __m512d amp = _mm512_set1_pd (amplitude), rc = _mm512_set1_pd (tau_rc);
  const __m512d ref = _mm512_set1_pd (tau_ref), one = _mm512_set1_pd (1.0);

  for (gsize r = 0; r < rows; r++)
    {
      double *row = x + r * n;
      gsize i = 0;

      for (; i + 8 <= n; i += 8)
        {
          /* Nengo's order: J = gain·x + bias, then J − 1 (no fused multiply-add). */
          __m512d J = _mm512_add_pd (_mm512_mul_pd (_mm512_loadu_pd (gain + i), _mm512_loadu_pd (row + i)),
                                     _mm512_loadu_pd (bias + i));
          __m512d j = _mm512_sub_pd (J, one);
          __mmask8 above = _mm512_cmp_pd_mask (j, _mm512_setzero_pd (), _CMP_GT_OQ);
          __m512d rate;

          if (above == 0)
            {
              _mm512_storeu_pd (row + i, _mm512_setzero_pd ());
              continue;
            }
          rate = _mm512_div_pd (amp, _mm512_add_pd (ref, _mm512_mul_pd (rc, _ZGVeN8v_log1p (_mm512_div_pd (one, j)))));
          _mm512_storeu_pd (row + i, _mm512_maskz_mov_pd (above, rate));
        }
      for (; i < n; i++)
        {
          double j = gain[i] * row[i] + bias[i] - 1.0;

          row[i] = j > 0.0 ? amplitude / (tau_ref + tau_rc * log1p (1.0 / j)) : 0.0;
        }
    }
}
#endif

gboolean
_spk_nef_lif_rates (double        amplitude,
                    double        tau_rc,
                    double        tau_ref,
                    const double *gain,
                    const double *bias,
                    gsize         rows,
                    gsize         n,
                    double       *x)
{
#if defined(__x86_64__) && defined(__GLIBC__)
  if (spk_cpu_isa () == SPK_ISA_AVX512)
    {
      lif_rates_avx512 (amplitude, tau_rc, tau_ref, gain, bias, rows, n, x);
      return TRUE;
    }
#endif
  return FALSE;
}
