/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-nef-gram.c — the float32 Gram products over the active points only
 * (see spk-nef-gram.h): each strip's active points packed with its
 * neurons' values there (read in order by the kernel, six broadcasts a
 * point), and an AVX-512 kernel of SPK_NEF_STRIP rows × four vectors, the
 * same register tile as the engine's dense kernel
 * (ops/spk-gemm-small-tmpl.h), reading the points' rows of the block
 * through the list.  Each sum runs over the listed points in order, so it
 * equals the dense kernel's sum over all points: the skipped terms are
 * products with a zero. */
#define G_LOG_DOMAIN "spk-solver"

#include "nef/spk-nef-gram.h"

#include <string.h>

#include "core/spk-cpu.h"

gboolean
_spk_nef_gram_sparse_available (void)
{
#if defined(__x86_64__)
  return spk_cpu_isa () == SPK_ISA_AVX512;
#else
  return FALSE;
#endif
}

/* Strips a few at a time, so that each point's row of A is read as a
 * few whole cache lines. */
#define PACK_GROUP 8

void
_spk_nef_gram_pack (const float *A,
                    gsize        k,
                    gsize        n,
                    gsize        chunk,
                    gsize        first_strip,
                    gsize        n_strips,
                    guint32     *idx,
                    float       *vals,
                    gsize        ld,
                    guint32     *start)
{
  gsize n_chunks = (k + chunk - 1) / chunk;

  for (gsize g0 = first_strip; g0 < first_strip + n_strips; g0 += PACK_GROUP)
    {
      gsize g1 = MIN (g0 + PACK_GROUP, first_strip + n_strips);
      gsize cnt[PACK_GROUP] = { 0 };

      for (gsize c = 0; c < n_chunks; c++)
        {
          gsize p1 = MIN ((c + 1) * chunk, k);

          for (gsize s = g0; s < g1; s++)
            start[s * (n_chunks + 1) + c] = (guint32) cnt[s - g0];
          for (gsize p = c * chunk; p < p1; p++)
            for (gsize s = g0; s < g1; s++)
              {
                gsize r0 = s * SPK_NEF_STRIP, rows = MIN (SPK_NEF_STRIP, n - r0);
                const float *a = A + p * n + r0;
                float *v = vals + (s * ld + cnt[s - g0]) * SPK_NEF_STRIP;
                gboolean any = FALSE;

                /* Written at the next free place, kept only if not all zero. */
                for (gsize r = 0; r < SPK_NEF_STRIP; r++)
                  {
                    v[r] = r < rows ? a[r] : 0.0f;
                    any |= v[r] != 0.0f;
                  }
                idx[s * ld + cnt[s - g0]] = (guint32) (p - c * chunk);
                cnt[s - g0] += any;
              }
        }
      for (gsize s = g0; s < g1; s++)
        start[s * (n_chunks + 1) + n_chunks] = (guint32) cnt[s - g0];
    }
}

/* Plain C, for processors without AVX-512 (the solver does not call it
 * there, the tests do). */
static void
gram_strip_c (float         *C,
              gsize          ldc,
              const float   *vals,
              const float   *A,
              gsize          lda,
              const guint32 *idx,
              gsize          cnt,
              guint          rows,
              guint          w)
{
  float acc[SPK_NEF_STRIP][SPK_NEF_GRAM_COLS] = { { 0 } };

  for (gsize t = 0; t < cnt; t++)
    {
      const float *a = A + (gsize) idx[t] * lda;

      for (guint r = 0; r < rows; r++)
        for (guint c = 0; c < w; c++)
          acc[r][c] = __builtin_fmaf (vals[t * SPK_NEF_STRIP + r], a[c], acc[r][c]);
    }
  for (guint r = 0; r < rows; r++)
    for (guint c = 0; c < w; c++)
      C[r * ldc + c] += acc[r][c];
}

#if defined(__x86_64__)
#include <immintrin.h>

#define NV (SPK_NEF_GRAM_COLS / 16)
#define UNROLL _Pragma ("GCC unroll 16")

/* rows is a constant at each call below, so the accumulators stay in
 * registers: rows × 4 of them, and 4 for the point's row of A. */
static inline __attribute__ ((always_inline, target ("avx512f"))) void
gram_strip_tile (float         *C,
                 gsize          ldc,
                 const float   *vals,
                 const float   *A,
                 gsize          lda,
                 const guint32 *idx,
                 gsize          cnt,
                 int            rows,
                 const __mmask16 *mask)
{
  __m512 acc[SPK_NEF_STRIP][NV];

  UNROLL for (int r = 0; r < rows; r++)
    UNROLL for (int j = 0; j < NV; j++)
      acc[r][j] = _mm512_setzero_ps ();
  for (gsize t = 0; t < cnt; t++)
    {
      const gsize p = idx[t];
      const float *a = A + p * lda;
      __m512 av[NV];

      UNROLL for (int j = 0; j < NV; j++)
        av[j] = _mm512_maskz_loadu_ps (mask[j], a + 16 * j);
      UNROLL for (int r = 0; r < rows; r++)
        {
          const __m512 x = _mm512_set1_ps (vals[t * SPK_NEF_STRIP + r]);

          UNROLL for (int j = 0; j < NV; j++)
            acc[r][j] = _mm512_fmadd_ps (x, av[j], acc[r][j]);
        }
    }
  UNROLL for (int r = 0; r < rows; r++)
    UNROLL for (int j = 0; j < NV; j++)
      {
        float *c = C + r * ldc + 16 * j;

        _mm512_mask_storeu_ps (c, mask[j], _mm512_add_ps (_mm512_maskz_loadu_ps (mask[j], c), acc[r][j]));
      }
}

__attribute__ ((target ("avx512f"))) static void
gram_strip_avx512 (float         *C,
                   gsize          ldc,
                   const float   *vals,
                   const float   *A,
                   gsize          lda,
                   const guint32 *idx,
                   gsize          cnt,
                   guint          rows,
                   guint          w)
{
  __mmask16 mask[NV];

  for (int j = 0; j < NV; j++)
    {
      int lanes = CLAMP ((int) w - 16 * j, 0, 16);

      mask[j] = (__mmask16) ((1u << lanes) - 1u);
    }
  switch (rows)
    {
    case 6: gram_strip_tile (C, ldc, vals, A, lda, idx, cnt, 6, mask); break;
    case 5: gram_strip_tile (C, ldc, vals, A, lda, idx, cnt, 5, mask); break;
    case 4: gram_strip_tile (C, ldc, vals, A, lda, idx, cnt, 4, mask); break;
    case 3: gram_strip_tile (C, ldc, vals, A, lda, idx, cnt, 3, mask); break;
    case 2: gram_strip_tile (C, ldc, vals, A, lda, idx, cnt, 2, mask); break;
    case 1: gram_strip_tile (C, ldc, vals, A, lda, idx, cnt, 1, mask); break;
    default: break;
    }
}
#endif

void
_spk_nef_gram_strip (float         *C,
                     gsize          ldc,
                     const float   *vals,
                     const float   *A,
                     gsize          lda,
                     const guint32 *idx,
                     gsize          cnt,
                     guint          rows,
                     guint          w)
{
  g_return_if_fail (rows <= SPK_NEF_STRIP && w <= SPK_NEF_GRAM_COLS);

#if defined(__x86_64__)
  if (_spk_nef_gram_sparse_available ())
    {
      gram_strip_avx512 (C, ldc, vals, A, lda, idx, cnt, rows, w);
      return;
    }
#endif
  gram_strip_c (C, ldc, vals, A, lda, idx, cnt, rows, w);
}
