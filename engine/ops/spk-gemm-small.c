/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-gemm-small.c — the small float32 matrix product of the simulator's
 * batched DOT_INC, one kernel per instruction set (spk-gemm-small-tmpl.h),
 * chosen at each call from the processor's features: a test of a global
 * that the runtime fills before main, so no resolver or lock is involved. */
#include <string.h>

#include "ops/spk-gemm-small-private.h"
#include "core/spk-cpu.h"

#if defined(__x86_64__) && defined(__GNUC__)
#define SPK_GEMM_X86 1
/* GCC 12's AVX-512 intrinsics start from deliberately undefined vectors
 * (`__m512 __Y = __Y;`), which -Wmaybe-uninitialized reports once inlined. */
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#define V_KEEP(v) __asm__ ("" : "+v" (v))
#endif

#ifdef SPK_GEMM_X86

/* ---- helpers: AVX2 masks and sums, AVX-512 sums ---- */

static inline __attribute__ ((always_inline, target ("avx2,fma"))) __m256i
avx2_mask (guint n)
{
  return _mm256_cmpgt_epi32 (_mm256_set1_epi32 ((int) n), _mm256_setr_epi32 (0, 1, 2, 3, 4, 5, 6, 7));
}

static inline __attribute__ ((always_inline, target ("avx2,fma"))) float
avx2_hsum (__m256 v)
{
  __m128 x = _mm_add_ps (_mm256_castps256_ps128 (v), _mm256_extractf128_ps (v, 1));

  x = _mm_add_ps (x, _mm_movehl_ps (x, x));
  x = _mm_add_ss (x, _mm_movehdup_ps (x));
  return _mm_cvtss_f32 (x);
}

/* The sum of the two 256-bit halves. */
static inline __attribute__ ((always_inline, target ("avx512f,fma"))) __m256
avx512_fold (__m512 v)
{
  return _mm256_add_ps (_mm512_castps512_ps256 (v),
                        _mm512_castps512_ps256 (_mm512_shuffle_f32x4 (v, v, 0xee)));
}

/* d[0..7] += the sums of a0..a7: halves folded, then the sums of four at
 * a time as in a 4 × 4 transpose, without a scalar step.  (By value: an
 * array would keep the accumulators in memory.) */
static inline __attribute__ ((always_inline, target ("avx512f,fma"))) void
avx512_hsum8_add (float  *d,
                  __m512  a0,
                  __m512  a1,
                  __m512  a2,
                  __m512  a3,
                  __m512  a4,
                  __m512  a5,
                  __m512  a6,
                  __m512  a7)
{
  __m256 q0 = _mm256_hadd_ps (avx512_fold (a0), avx512_fold (a1));
  __m256 q1 = _mm256_hadd_ps (avx512_fold (a2), avx512_fold (a3));
  __m256 q2 = _mm256_hadd_ps (avx512_fold (a4), avx512_fold (a5));
  __m256 q3 = _mm256_hadd_ps (avx512_fold (a6), avx512_fold (a7));
  __m256 r0 = _mm256_hadd_ps (q0, q1);
  __m256 r1 = _mm256_hadd_ps (q2, q3);

  /* r0 holds a0..a3 in each 128-bit half, r1 a4..a7: add the halves. */
  _mm256_storeu_ps (d, _mm256_add_ps (_mm256_loadu_ps (d),
                                      _mm256_add_ps (_mm256_permute2f128_ps (r0, r1, 0x20),
                                                     _mm256_permute2f128_ps (r0, r1, 0x31))));
}

/* ---- AVX-512: 32 registers, a 6 × 64 broadcast tile, a 3 × 8 dot tile ---- */

#define ISA(name) name##_avx512
#define ISA_ATTR __attribute__ ((target ("avx512f,fma")))
#define V __m512
#define VW 16
#define V_ZERO() _mm512_setzero_ps ()
#define V_LOAD(p) _mm512_loadu_ps (p)
#define V_STORE(p, v) _mm512_storeu_ps (p, v)
#define V_SET1(x) _mm512_set1_ps (x)
#define V_FMA(a, b, c) _mm512_fmadd_ps (a, b, c)
#define V_LOADN(p, n) _mm512_maskz_loadu_ps ((__mmask16) ((1u << (n)) - 1), p)
#define V_STOREN(p, v, n) _mm512_mask_storeu_ps (p, (__mmask16) ((1u << (n)) - 1), v)
#define V_HSUM(v) avx2_hsum (avx512_fold (v))
#define V_HSUM_ROW(d, a) avx512_hsum8_add (d, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7])
#define MB_T 6
#define NV_T 4
#define MB_D 3
#define NR_D 8
#define KC_D 1024
#include "spk-gemm-small-tmpl.h"
#undef ISA
#undef ISA_ATTR
#undef V
#undef VW
#undef V_ZERO
#undef V_LOAD
#undef V_STORE
#undef V_SET1
#undef V_FMA
#undef V_LOADN
#undef V_STOREN
#undef V_HSUM
#undef V_HSUM_ROW
#undef MB_T
#undef NV_T
#undef MB_D
#undef NR_D
#undef KC_D

/* ---- AVX2 with FMA: 16 registers, a 6 × 16 broadcast tile, a 3 × 4 dot tile ---- */

#define ISA(name) name##_avx2
#define ISA_ATTR __attribute__ ((target ("avx2,fma")))
#define V __m256
#define VW 8
#define V_ZERO() _mm256_setzero_ps ()
#define V_LOAD(p) _mm256_loadu_ps (p)
#define V_STORE(p, v) _mm256_storeu_ps (p, v)
#define V_SET1(x) _mm256_set1_ps (x)
#define V_FMA(a, b, c) _mm256_fmadd_ps (a, b, c)
#define V_LOADN(p, n) _mm256_maskload_ps (p, avx2_mask (n))
#define V_STOREN(p, v, n) _mm256_maskstore_ps (p, avx2_mask (n), v)
#define V_HSUM(v) avx2_hsum (v)
#define MB_T 6
#define NV_T 2
#define MB_D 3
#define NR_D 4
#define KC_D 1024
#include "spk-gemm-small-tmpl.h"
#undef ISA
#undef ISA_ATTR
#undef V
#undef VW
#undef V_ZERO
#undef V_LOAD
#undef V_STORE
#undef V_SET1
#undef V_FMA
#undef V_LOADN
#undef V_STOREN
#undef V_HSUM
#undef MB_T
#undef NV_T
#undef MB_D
#undef NR_D
#undef KC_D

/* ---- baseline x86-64 (SSE2, no FMA): a 4 × 8 broadcast tile, a 2 × 4 dot tile ---- */

static inline __m128
sse_loadn (const float *p,
           guint        n)
{
  float t[4] = { 0 };

  memcpy (t, p, n * sizeof (float));
  return _mm_loadu_ps (t);
}

static inline void
sse_storen (float  *p,
            __m128  v,
            guint   n)
{
  float t[4];

  _mm_storeu_ps (t, v);
  memcpy (p, t, n * sizeof (float));
}

static inline float
sse_hsum (__m128 v)
{
  v = _mm_add_ps (v, _mm_movehl_ps (v, v));
  v = _mm_add_ss (v, _mm_shuffle_ps (v, v, 1));
  return _mm_cvtss_f32 (v);
}

#define ISA(name) name##_baseline
#define ISA_ATTR
#define V __m128
#define VW 4
#define V_ZERO() _mm_setzero_ps ()
#define V_LOAD(p) _mm_loadu_ps (p)
#define V_STORE(p, v) _mm_storeu_ps (p, v)
#define V_SET1(x) _mm_set1_ps (x)
#define V_FMA(a, b, c) _mm_add_ps (_mm_mul_ps (a, b), c)
#define V_LOADN(p, n) sse_loadn (p, n)
#define V_STOREN(p, v, n) sse_storen (p, v, n)
#define V_HSUM(v) sse_hsum (v)
#define MB_T 4
#define NV_T 2
#define MB_D 2
#define NR_D 4
#define KC_D 1024
#include "spk-gemm-small-tmpl.h"

#else /* not x86-64: the same tiles on scalars */

#define ISA(name) name##_baseline
#define ISA_ATTR
#define V float
#define VW 1
#define V_ZERO() 0.0f
#define V_LOAD(p) (*(p))
#define V_STORE(p, v) (*(p) = (v))
#define V_SET1(x) (x)
#define V_FMA(a, b, c) ((a) * (b) + (c))
#define V_LOADN(p, n) ((n) ? *(p) : 0.0f)
#define V_STOREN(p, v, n) ((n) ? (void) (*(p) = (v)) : (void) 0)
#define V_HSUM(v) (v)
#define V_KEEP(v) ((void) 0)
#define MB_T 4
#define NV_T 4
#define MB_D 2
#define NR_D 4
#define KC_D 1024
#include "spk-gemm-small-tmpl.h"

#endif

SpkGemmKernel
_spk_gemm_small_best (void)
{
  /* The kernels were written for these very levels (core/spk-cpu.h). */
  switch (spk_cpu_isa ())
    {
    case SPK_ISA_AVX512: return SPK_GEMM_AVX512;
    case SPK_ISA_AVX2: return SPK_GEMM_AVX2;
    case SPK_ISA_BASELINE: default: return SPK_GEMM_BASELINE;
    }
}

gboolean
_spk_gemm_small_fast (void)
{
  return _spk_gemm_small_best () != SPK_GEMM_BASELINE;
}

gboolean
_spk_gemm_small_with_f32 (SpkGemmKernel         kernel,
                          float *restrict       dst,
                          gsize                 ld_dst,
                          const float *restrict W,
                          gboolean              transposed,
                          const float *restrict src,
                          gsize                 ld_src,
                          guint                 rows,
                          guint                 cols,
                          guint                 batch)
{
  if (kernel > _spk_gemm_small_best ())
    return FALSE;
  switch (kernel)
    {
#ifdef SPK_GEMM_X86
    case SPK_GEMM_AVX512:
      gemm_avx512 (dst, ld_dst, W, transposed ? rows : cols, transposed, src, ld_src, rows, cols, batch);
      return TRUE;
    case SPK_GEMM_AVX2:
      gemm_avx2 (dst, ld_dst, W, transposed ? rows : cols, transposed, src, ld_src, rows, cols, batch);
      return TRUE;
#endif
    case SPK_GEMM_BASELINE:
      gemm_baseline (dst, ld_dst, W, transposed ? rows : cols, transposed, src, ld_src, rows, cols, batch);
      return TRUE;
    default:
      return FALSE;
    }
}

void
_spk_gemm_small_f32 (float *restrict       dst,
                     gsize                 ld_dst,
                     const float *restrict W,
                     gboolean              transposed,
                     const float *restrict src,
                     gsize                 ld_src,
                     guint                 rows,
                     guint                 cols,
                     guint                 batch)
{
  _spk_gemm_small_with_f32 (_spk_gemm_small_best (), dst, ld_dst, W, transposed, src, ld_src,
                            rows, cols, batch);
}

void
_spk_gemm_small_ldw_f32 (float *restrict       dst,
                         gsize                 ld_dst,
                         const float *restrict W,
                         gsize                 ldw,
                         const float *restrict src,
                         gsize                 ld_src,
                         guint                 rows,
                         guint                 cols,
                         guint                 batch)
{
  switch (_spk_gemm_small_best ())
    {
#ifdef SPK_GEMM_X86
    case SPK_GEMM_AVX512:
      gemm_avx512 (dst, ld_dst, W, ldw, TRUE, src, ld_src, rows, cols, batch);
      break;
    case SPK_GEMM_AVX2:
      gemm_avx2 (dst, ld_dst, W, ldw, TRUE, src, ld_src, rows, cols, batch);
      break;
#endif
    default:
      gemm_baseline (dst, ld_dst, W, ldw, TRUE, src, ld_src, rows, cols, batch);
      break;
    }
}

void
_spk_gemm_small_reference_f32 (float       *dst,
                               gsize        ld_dst,
                               const float *W,
                               gboolean     transposed,
                               const float *src,
                               gsize        ld_src,
                               guint        rows,
                               guint        cols,
                               guint        batch)
{
  for (guint b = 0; b < batch; b++)
    for (guint r = 0; r < rows; r++)
      {
        double sum = dst[b * ld_dst + r];

        for (guint c = 0; c < cols; c++)
          sum += (double) src[b * ld_src + c]
                 * (transposed ? W[(gsize) c * rows + r] : W[(gsize) r * cols + c]);
        dst[b * ld_dst + r] = (float) sum;
      }
}
