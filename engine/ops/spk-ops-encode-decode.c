/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ops-encode-decode.c — a large ensemble's encoders and decoders over
 * one block of its neurons (spk-ops-encode-decode.h): AVX-512 and AVX2
 * intrinsics and portable loops, the same arithmetic value by value. */
#define G_LOG_DOMAIN "spk-ops"

#include "ops/spk-ops-encode-decode.h"

#include <math.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

/* ---- portable ---- */

static void
encode_portable (float *restrict       J,
                 const float *restrict bias,
                 const float *restrict enc,
                 gsize                 enc_stride,
                 const float *restrict x,
                 guint                 dims,
                 gsize                 n)
{
  for (gsize i = 0; i < n; i++)
    {
      float v = bias[i];

      for (guint d = 0; d < dims; d++)
        v = fmaf (enc[(gsize) d * enc_stride + i], x[d], v);
      J[i] = v;
    }
}

/* The nonzero activities' indices, in order; their count. */
static gsize
active_portable (const float *restrict act,
                 gsize                 n,
                 guint32 *restrict     idx)
{
  gsize count = 0;

  for (gsize i = 0; i < n; i++)
    if (act[i] != 0.0f || isnan (act[i]))
      idx[count++] = (guint32) i;
  return count;
}

static void
decode_portable (float *restrict         sums,
                 const float *restrict   dec,
                 guint                   rows,
                 const float *restrict   act,
                 const guint32 *restrict idx,
                 gsize                   count)
{
  for (guint r = 0; r < rows; r++)
    {
      float s[4] = { 0.0f, 0.0f, 0.0f, 0.0f };

      for (gsize k = 0; k < count; k++)
        s[k % 4] = fmaf (act[idx[k]], dec[(gsize) idx[k] * rows + r], s[k % 4]);
      sums[r] = (s[0] + s[1]) + (s[2] + s[3]);
    }
}

#if defined(__x86_64__)

/* ---- AVX-512 ---- */

static inline __mmask16
tail16 (gsize left)
{
  return left >= 16 ? (__mmask16) 0xffff : (__mmask16) ((1u << left) - 1);
}

__attribute__ ((target ("avx512f"))) static void
encode_avx512 (float *restrict       J,
               const float *restrict bias,
               const float *restrict enc,
               gsize                 enc_stride,
               const float *restrict x,
               guint                 dims,
               gsize                 n)
{
  gsize i = 0;

  /* Four vectors at once: four independent chains of multiply-adds. */
  for (; i + 64 <= n; i += 64)
    {
      __m512 a0 = _mm512_loadu_ps (bias + i), a1 = _mm512_loadu_ps (bias + i + 16);
      __m512 a2 = _mm512_loadu_ps (bias + i + 32), a3 = _mm512_loadu_ps (bias + i + 48);
      const float *e = enc + i;

      for (guint d = 0; d < dims; d++, e += enc_stride)
        {
          const __m512 xd = _mm512_set1_ps (x[d]);

          a0 = _mm512_fmadd_ps (_mm512_loadu_ps (e), xd, a0);
          a1 = _mm512_fmadd_ps (_mm512_loadu_ps (e + 16), xd, a1);
          a2 = _mm512_fmadd_ps (_mm512_loadu_ps (e + 32), xd, a2);
          a3 = _mm512_fmadd_ps (_mm512_loadu_ps (e + 48), xd, a3);
        }
      _mm512_storeu_ps (J + i, a0);
      _mm512_storeu_ps (J + i + 16, a1);
      _mm512_storeu_ps (J + i + 32, a2);
      _mm512_storeu_ps (J + i + 48, a3);
    }
  for (; i < n; i += 16)
    {
      const __mmask16 m = tail16 (n - i);
      __m512 a = _mm512_maskz_loadu_ps (m, bias + i);
      const float *e = enc + i;

      for (guint d = 0; d < dims; d++, e += enc_stride)
        a = _mm512_fmadd_ps (_mm512_maskz_loadu_ps (m, e), _mm512_set1_ps (x[d]), a);
      _mm512_mask_storeu_ps (J + i, m, a);
    }
}

/* Sixteen neurons at a time, without a branch per active one: their
 * indices compressed in a register and stored whole (up to 15 past the
 * last one written, hence the scratch's slack). */
__attribute__ ((target ("avx512f,popcnt"))) static gsize
active_avx512 (const float *restrict act,
               gsize                 n,
               guint32 *restrict     idx)
{
  const __m512i lanes = _mm512_setr_epi32 (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  gsize count = 0;

  for (gsize i = 0; i < n; i += 16)
    {
      const __mmask16 m = tail16 (n - i);
      /* Unordered not-equal: a NaN activity counts as active. */
      const __mmask16 bits = _mm512_mask_cmp_ps_mask (m, _mm512_maskz_loadu_ps (m, act + i), _mm512_setzero_ps (),
                                                      _CMP_NEQ_UQ);

      _mm512_storeu_si512 (idx + count,
                           _mm512_maskz_compress_epi32 (bits, _mm512_add_epi32 (lanes, _mm512_set1_epi32 ((int) i))));
      count += (gsize) __builtin_popcount (bits);
    }
  return count;
}

__attribute__ ((target ("avx512f"))) static void
decode_avx512 (float *restrict         sums,
               const float *restrict   dec,
               guint                   rows,
               const float *restrict   act,
               const guint32 *restrict idx,
               gsize                   count)
{
  for (guint c = 0; c < rows; c += 16)
    {
      __m512 s0 = _mm512_setzero_ps (), s1 = s0, s2 = s0, s3 = s0;
      const float *d = dec + c;
      gsize k = 0;

      for (; k + 4 <= count; k += 4)
        {
          s0 = _mm512_fmadd_ps (_mm512_set1_ps (act[idx[k]]), _mm512_loadu_ps (d + (gsize) idx[k] * rows), s0);
          s1 = _mm512_fmadd_ps (_mm512_set1_ps (act[idx[k + 1]]), _mm512_loadu_ps (d + (gsize) idx[k + 1] * rows), s1);
          s2 = _mm512_fmadd_ps (_mm512_set1_ps (act[idx[k + 2]]), _mm512_loadu_ps (d + (gsize) idx[k + 2] * rows), s2);
          s3 = _mm512_fmadd_ps (_mm512_set1_ps (act[idx[k + 3]]), _mm512_loadu_ps (d + (gsize) idx[k + 3] * rows), s3);
        }
      if (k < count)
        s0 = _mm512_fmadd_ps (_mm512_set1_ps (act[idx[k]]), _mm512_loadu_ps (d + (gsize) idx[k] * rows), s0);
      if (k + 1 < count)
        s1 = _mm512_fmadd_ps (_mm512_set1_ps (act[idx[k + 1]]), _mm512_loadu_ps (d + (gsize) idx[k + 1] * rows), s1);
      if (k + 2 < count)
        s2 = _mm512_fmadd_ps (_mm512_set1_ps (act[idx[k + 2]]), _mm512_loadu_ps (d + (gsize) idx[k + 2] * rows), s2);
      _mm512_storeu_ps (sums + c, _mm512_add_ps (_mm512_add_ps (s0, s1), _mm512_add_ps (s2, s3)));
    }
}

/* ---- AVX2 with FMA ---- */

__attribute__ ((target ("avx2,fma"))) static inline __m256i
tail8 (gsize left)
{
  const __m256i lanes = _mm256_setr_epi32 (0, 1, 2, 3, 4, 5, 6, 7);

  return _mm256_cmpgt_epi32 (_mm256_set1_epi32 ((int) MIN (left, 8)), lanes);
}

__attribute__ ((target ("avx2,fma"))) static void
encode_avx2 (float *restrict       J,
             const float *restrict bias,
             const float *restrict enc,
             gsize                 enc_stride,
             const float *restrict x,
             guint                 dims,
             gsize                 n)
{
  gsize i = 0;

  for (; i + 32 <= n; i += 32)
    {
      __m256 a0 = _mm256_loadu_ps (bias + i), a1 = _mm256_loadu_ps (bias + i + 8);
      __m256 a2 = _mm256_loadu_ps (bias + i + 16), a3 = _mm256_loadu_ps (bias + i + 24);
      const float *e = enc + i;

      for (guint d = 0; d < dims; d++, e += enc_stride)
        {
          const __m256 xd = _mm256_set1_ps (x[d]);

          a0 = _mm256_fmadd_ps (_mm256_loadu_ps (e), xd, a0);
          a1 = _mm256_fmadd_ps (_mm256_loadu_ps (e + 8), xd, a1);
          a2 = _mm256_fmadd_ps (_mm256_loadu_ps (e + 16), xd, a2);
          a3 = _mm256_fmadd_ps (_mm256_loadu_ps (e + 24), xd, a3);
        }
      _mm256_storeu_ps (J + i, a0);
      _mm256_storeu_ps (J + i + 8, a1);
      _mm256_storeu_ps (J + i + 16, a2);
      _mm256_storeu_ps (J + i + 24, a3);
    }
  for (; i < n; i += 8)
    {
      const __m256i m = tail8 (n - i);
      __m256 a = _mm256_maskload_ps (bias + i, m);
      const float *e = enc + i;

      for (guint d = 0; d < dims; d++, e += enc_stride)
        a = _mm256_fmadd_ps (_mm256_maskload_ps (e, m), _mm256_set1_ps (x[d]), a);
      _mm256_maskstore_ps (J + i, m, a);
    }
}

__attribute__ ((target ("avx2,fma"))) static gsize
active_avx2 (const float *restrict act,
             gsize                 n,
             guint32 *restrict     idx)
{
  gsize count = 0, i = 0;

  for (; i + 8 <= n; i += 8)
    {
      unsigned bits = (unsigned) _mm256_movemask_ps (_mm256_cmp_ps (_mm256_loadu_ps (act + i),
                                                                    _mm256_setzero_ps (), _CMP_NEQ_UQ));

      while (bits != 0)
        {
          idx[count++] = (guint32) (i + (gsize) __builtin_ctz (bits));
          bits &= bits - 1;
        }
    }
  for (; i < n; i++)
    if (act[i] != 0.0f || isnan (act[i]))
      idx[count++] = (guint32) i;
  return count;
}

__attribute__ ((target ("avx2,fma"))) static void
decode_avx2 (float *restrict         sums,
             const float *restrict   dec,
             guint                   rows,
             const float *restrict   act,
             const guint32 *restrict idx,
             gsize                   count)
{
  /* Sixteen rows at a time: two vectors per partial sum. */
  for (guint c = 0; c < rows; c += 16)
    {
      __m256 s0 = _mm256_setzero_ps (), s1 = s0, s2 = s0, s3 = s0, t0 = s0, t1 = s0, t2 = s0, t3 = s0;
      const float *d = dec + c;
      gsize k = 0;

#define TERM(s, t, j) \
      { \
        const __m256 a = _mm256_set1_ps (act[idx[j]]); \
        const float *w = d + (gsize) idx[j] * rows; \
        s = _mm256_fmadd_ps (a, _mm256_loadu_ps (w), s); \
        t = _mm256_fmadd_ps (a, _mm256_loadu_ps (w + 8), t); \
      }
      for (; k + 4 <= count; k += 4)
        {
          TERM (s0, t0, k);
          TERM (s1, t1, k + 1);
          TERM (s2, t2, k + 2);
          TERM (s3, t3, k + 3);
        }
      if (k < count)
        TERM (s0, t0, k);
      if (k + 1 < count)
        TERM (s1, t1, k + 1);
      if (k + 2 < count)
        TERM (s2, t2, k + 2);
#undef TERM
      _mm256_storeu_ps (sums + c, _mm256_add_ps (_mm256_add_ps (s0, s1), _mm256_add_ps (s2, s3)));
      _mm256_storeu_ps (sums + c + 8, _mm256_add_ps (_mm256_add_ps (t0, t1), _mm256_add_ps (t2, t3)));
    }
}

#endif /* __x86_64__ */

void
spk_encode_block_f32 (SpkIsa                isa,
                      float *restrict       J,
                      const float *restrict bias,
                      const float *restrict enc,
                      gsize                 enc_stride,
                      const float *restrict x,
                      guint                 dims,
                      gsize                 n)
{
#if defined(__x86_64__)
  if (isa == SPK_ISA_AVX512)
    {
      encode_avx512 (J, bias, enc, enc_stride, x, dims, n);
      return;
    }
  if (isa == SPK_ISA_AVX2)
    {
      encode_avx2 (J, bias, enc, enc_stride, x, dims, n);
      return;
    }
#endif
  encode_portable (J, bias, enc, enc_stride, x, dims, n);
}

void
spk_decode_block_f32 (SpkIsa                isa,
                      float *restrict       sums,
                      const float *restrict dec,
                      guint                 rows,
                      const float *restrict act,
                      gsize                 n,
                      guint32 *restrict     idx)
{
  g_return_if_fail (rows % SPK_DECODE_ROW_ALIGN == 0 && rows <= SPK_DECODE_MAX_ROWS);
#if defined(__x86_64__)
  if (isa == SPK_ISA_AVX512)
    {
      decode_avx512 (sums, dec, rows, act, idx, active_avx512 (act, n, idx));
      return;
    }
  if (isa == SPK_ISA_AVX2)
    {
      decode_avx2 (sums, dec, rows, act, idx, active_avx2 (act, n, idx));
      return;
    }
#endif
  decode_portable (sums, dec, rows, act, idx, active_portable (act, n, idx));
}
