/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ops-lif-fast.c — Nengo's LIF step in float32, vectorised.
 *
 * The same update as the reference loop in spk-ops-neurons-step-tmpl.h
 * (NEF-FACTS §2, steps 1–7), written without branches so the compiler
 * vectorises it: expm1 and log1p are polynomials accurate to a few float
 * ulps, and the spike/no-spike cases are blended arithmetically.  Each
 * neuron's result differs from the libm-based reference by round-off only;
 * tests/test-neurons.c compares the two.  Compiled for AVX-512, AVX2 and
 * baseline x86-64; the loader picks the best the processor has.
 */
#define G_LOG_DOMAIN "spk-ops-neurons"

#include "spk-ops-neurons-private.h"

#include <stdint.h>
#include <string.h>

static inline float
bits_to_float (uint32_t bits)
{
  float f;

  memcpy (&f, &bits, sizeof f);
  return f;
}

static inline uint32_t
float_to_bits (float f)
{
  uint32_t bits;

  memcpy (&bits, &f, sizeof bits);
  return bits;
}

/* expm1 for x ≤ 0: x = k·ln2 + r with |r| ≤ ln2/2, e^r − 1 by its Taylor
 * series to r⁷ (error below 2e-8 relative), then 2^k·(e^r − 1) + (2^k − 1).
 * For |x| < ln2/2, k = 0 and the result is the polynomial itself, exact to
 * float precision even for tiny x. */
static inline float
expm1_neg (float x)
{
  const float round_magic = 0x1.8p23f;
  float k, r, p;
  int32_t ki;

  x = x < -87.0f ? -87.0f : x;
  k = (x * 1.44269504088896341f + round_magic) - round_magic;
  r = x - k * 0.693145751953125f;          /* ln2, high bits: exact product */
  r = r - k * 1.428606765330187e-06f;      /* ln2, low bits */
  p = r + r * r * (0.5f + r * (1.0f / 6 + r * (1.0f / 24 + r * (1.0f / 120
                                                                 + r * (1.0f / 720 + r * (1.0f / 5040))))));
  ki = (int32_t) k;
  {
    float two_k = bits_to_float ((uint32_t) (ki + 127) << 23);

    return two_k * p + (two_k - 1.0f);
  }
}

/* log(1 + a) for a in (−1, 0]: u = 1 + a = m·2^e with m in [√½, √2), and
 * log m = 2·atanh(s), s = (m − 1)/(m + 1), |s| ≤ 0.172, to s⁹.  Absolute
 * error about 1e-7, which moves an interpolated spike time by 2 ns. */
static inline float
log1p_neg (float a)
{
  float u = 1.0f + a, m, s, s2, e;
  uint32_t bits = float_to_bits (u);
  uint32_t mantissa = bits & 0x7fffff;
  /* Fold m into [√½, √2): when m > √2 (mantissa bits above those of
   * 1.41421356f), give it the exponent of [½, 1) — m/2 exactly — and bump
   * the exponent.  Carried out in integer arithmetic, no comparison: from
   * a select, the compiler computed s for both m and m/2, two divisions. */
  uint32_t big = (mantissa + (0x800000u - 0x3504f4u)) >> 23;

  m = bits_to_float (mantissa | (0x3f800000u - (big << 23)));
  e = (float) ((int32_t) ((bits >> 23) & 0xff) - 127 + (int32_t) big);
  s = (m - 1.0f) / (m + 1.0f);
  s2 = s * s;
  return e * 0.693147180559945309f
         + 2.0f * s * (1.0f + s2 * (1.0f / 3 + s2 * (1.0f / 5 + s2 * (1.0f / 7 + s2 * (1.0f / 9)))));
}

SPK_ISA_BODY void
_spk_lif_step_fast_f32_body (float                dt,
                             float                tau_rc,
                             float                tau_ref,
                             float                min_voltage,
                             float                amplitude,
                             const float *restrict J,
                             float *restrict       out,
                             float *restrict       voltage,
                             float *restrict       refractory,
                             gsize                 count)
{
  const float spike = amplitude / dt;
  const float inv_tau = 1.0f / tau_rc;

  for (gsize i = 0; i < count; i++)
    {
      float j = J[i];
      float r = refractory[i] - dt;
      float delta = dt - r;
      float v = voltage[i];
      float a, t_spike, fired;

      delta = delta < 0.0f ? 0.0f : delta;
      delta = delta > dt ? dt : delta;
      v -= (j - v) * expm1_neg (-delta * inv_tau);
      fired = (float) (v > 1.0f);
      /* For neurons that fired, a lies in (−1, 0); for the others the value
       * is discarded, so only keep it finite. */
      a = -(v - 1.0f) / (j - 1.0f);
      a = a > 0.0f ? 0.0f : a;
      a = a < -0.99999994f ? -0.99999994f : a;
      t_spike = dt + tau_rc * log1p_neg (a);
      v = v < min_voltage ? min_voltage : v;
      out[i] = fired * spike;
      voltage[i] = v * (1.0f - fired);
      refractory[i] = fired * (tau_ref + t_spike) + (1.0f - fired) * r;
    }
}
SPK_ISA_DISPATCH_VOID (, _spk_lif_step_fast_f32, _spk_lif_step_fast_f32_body,
                       (float dt, float tau_rc, float tau_ref, float min_voltage, float amplitude, const float *restrict J, float *restrict out, float *restrict voltage, float *restrict refractory, gsize count),
                       (dt, tau_rc, tau_ref, min_voltage, amplitude, J, out, voltage, refractory, count))
