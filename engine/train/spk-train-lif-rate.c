/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-train-lif-rate.c — LIFRate and its (SoftLIF) derivative for
 * training, eight neurons at a time with AVX-512.
 *
 * The same formulas, in float64 and in the same order of operations, as
 * the scalar loop of rate_forward (spk-train-tmpl.h), which stays the path
 * on processors without AVX-512 and does the last count mod 8 neurons.
 * log1p and exp come from glibc's vector math library (libmvec), a few
 * ulps from libm's: the rates and slopes agree with the scalar loop's to
 * float64 round-off, so float32 training gets the very same values.
 *
 * Why: a convolutional network has tens of thousands of neurons per image
 * (spiking-fashion-mnist: 34,048), and the scalar loop's five libm calls
 * per neuron were most of a training step.
 */
#pragma GCC optimize ("fp-contract=off")

#define G_LOG_DOMAIN "spk-train"

#include "train/spk-train-lif-rate.h"

#include "core/spk-cpu.h"

#if defined(__x86_64__) && defined(__GLIBC__)
#include <immintrin.h>

/* libmvec's 8-lane double versions (glibc 2.35). */
__m512d _ZGVeN8v_log1p (__m512d x);
__m512d _ZGVeN8v_exp (__m512d x);

/* J (8 values) → rate and slope. */
__attribute__ ((target ("avx512f"))) static inline void
lif_rate8 (__m512d  J,
           __m512d  amp,
           __m512d  tau_rc,
           __m512d  tau_ref,
           double   sigma,
           __m512d *out,
           __m512d *deriv)
{
  const __m512d one = _mm512_set1_pd (1.0), zero = _mm512_setzero_pd ();
  __m512d j = _mm512_sub_pd (J, one);
  __mmask8 above = _mm512_cmp_pd_mask (j, zero, _CMP_GT_OQ);
  /* Lanes at or below threshold compute something discarded (0 there). */
  __m512d r = _mm512_div_pd (amp, _mm512_add_pd (tau_ref, _mm512_mul_pd (tau_rc,
                                                   _ZGVeN8v_log1p (_mm512_div_pd (one, j)))));

  r = _mm512_maskz_mov_pd (above, r);
  *out = r;
  if (sigma > 0.0)
    {
      const __m512d vsigma = _mm512_set1_pd (sigma);
      __m512d x = _mm512_div_pd (j, vsigma);
      __m512d e_neg = _ZGVeN8v_exp (_mm512_sub_pd (zero, x));
      __mmask8 big = _mm512_cmp_pd_mask (x, _mm512_set1_pd (30.0), _CMP_GT_OQ);
      __m512d soft = _ZGVeN8v_log1p (_ZGVeN8v_exp (x));
      __m512d js, rs, d;
      __mmask8 positive;

      if (big)
        soft = _mm512_mask_blend_pd (big, soft, _mm512_add_pd (x, _ZGVeN8v_log1p (e_neg)));
      js = _mm512_mul_pd (vsigma, soft);
      rs = _mm512_div_pd (amp, _mm512_add_pd (tau_ref, _mm512_mul_pd (tau_rc,
                                                _ZGVeN8v_log1p (_mm512_div_pd (one, js)))));
      /* rs * rs / amp * tau_rc / (js * (js + 1)) / (1 + exp (-x)) */
      d = _mm512_div_pd (_mm512_mul_pd (_mm512_div_pd (_mm512_mul_pd (rs, rs), amp), tau_rc),
                         _mm512_mul_pd (js, _mm512_add_pd (js, one)));
      d = _mm512_div_pd (d, _mm512_add_pd (one, e_neg));
      positive = _mm512_cmp_pd_mask (js, zero, _CMP_GT_OQ);
      *deriv = _mm512_maskz_mov_pd (positive, d);
    }
  else
    {
      /* r * r / amp * tau_rc / (j * (j + 1)) */
      __m512d d = _mm512_div_pd (_mm512_mul_pd (_mm512_div_pd (_mm512_mul_pd (r, r), amp), tau_rc),
                                 _mm512_mul_pd (j, _mm512_add_pd (j, one)));

      *deriv = _mm512_maskz_mov_pd (above, d);
    }
}

__attribute__ ((target ("avx512f"))) static gsize
lif_rate_f32_avx512 (double               amp,
                     double               tau_rc,
                     double               tau_ref,
                     double               sigma,
                     const float *restrict J,
                     float *restrict       out,
                     float *restrict       deriv,
                     gsize                 count)
{
  const __m512d vamp = _mm512_set1_pd (amp), vrc = _mm512_set1_pd (tau_rc), vref = _mm512_set1_pd (tau_ref);
  gsize i = 0;

  for (; i + 8 <= count; i += 8)
    {
      __m512d r, d;

      lif_rate8 (_mm512_maskz_cvtps_pd (0xff, _mm256_loadu_ps (J + i)), vamp, vrc, vref, sigma, &r, &d);
      _mm256_storeu_ps (out + i, _mm512_maskz_cvtpd_ps (0xff, r));
      _mm256_storeu_ps (deriv + i, _mm512_maskz_cvtpd_ps (0xff, d));
    }
  return i;
}

__attribute__ ((target ("avx512f"))) static gsize
lif_rate_f64_avx512 (double                amp,
                     double                tau_rc,
                     double                tau_ref,
                     double                sigma,
                     const double *restrict J,
                     double *restrict       out,
                     double *restrict       deriv,
                     gsize                  count)
{
  const __m512d vamp = _mm512_set1_pd (amp), vrc = _mm512_set1_pd (tau_rc), vref = _mm512_set1_pd (tau_ref);
  gsize i = 0;

  for (; i + 8 <= count; i += 8)
    {
      __m512d r, d;

      lif_rate8 (_mm512_loadu_pd (J + i), vamp, vrc, vref, sigma, &r, &d);
      _mm512_storeu_pd (out + i, r);
      _mm512_storeu_pd (deriv + i, d);
    }
  return i;
}
#endif

gsize
_spk_train_lif_rate_f32 (double               amp,
                         double               tau_rc,
                         double               tau_ref,
                         double               sigma,
                         const float *restrict J,
                         float *restrict       out,
                         float *restrict       deriv,
                         gsize                 count)
{
#if defined(__x86_64__) && defined(__GLIBC__)
  if (spk_cpu_isa () == SPK_ISA_AVX512)
    return lif_rate_f32_avx512 (amp, tau_rc, tau_ref, sigma, J, out, deriv, count);
#endif
  return 0;
}

gsize
_spk_train_lif_rate_f64 (double                amp,
                         double                tau_rc,
                         double                tau_ref,
                         double                sigma,
                         const double *restrict J,
                         double *restrict       out,
                         double *restrict       deriv,
                         gsize                  count)
{
#if defined(__x86_64__) && defined(__GLIBC__)
  if (spk_cpu_isa () == SPK_ISA_AVX512)
    return lif_rate_f64_avx512 (amp, tau_rc, tau_ref, sigma, J, out, deriv, count);
#endif
  return 0;
}
