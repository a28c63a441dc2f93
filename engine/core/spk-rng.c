/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-rng.c — xoshiro256** with splitmix64 seeding, and the few
 * distributions the engine samples directly (uniform, normal, Poisson).
 */
#define G_LOG_DOMAIN "spk-rng"

#include "spk-rng.h"

#include <math.h>

static guint64
splitmix64 (guint64 *x)
{
  guint64 z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static inline guint64
rotl (guint64 x, int k)
{
  return (x << k) | (x >> (64 - k));
}

void
spk_rng_init (SpkRng  *rng,
              guint64  seed)
{
  guint64 x = seed;

  for (int i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&x);
  rng->spare_normal = 0.0;
  rng->has_spare = FALSE;
}

guint64
spk_rng_next_u64 (SpkRng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

/* Uniform on [0, 1) with 53 random bits. */
double
spk_rng_uniform (SpkRng *rng)
{
  return (double) (spk_rng_next_u64 (rng) >> 11) * 0x1.0p-53;
}

double
spk_rng_uniform_range (SpkRng *rng,
                       double  low,
                       double  high)
{
  return low + (high - low) * spk_rng_uniform (rng);
}

/* Standard normal by the polar Box-Muller method. */
double
spk_rng_normal (SpkRng *rng)
{
  double u, v, s;

  if (rng->has_spare)
    {
      rng->has_spare = FALSE;
      return rng->spare_normal;
    }
  do
    {
      u = 2.0 * spk_rng_uniform (rng) - 1.0;
      v = 2.0 * spk_rng_uniform (rng) - 1.0;
      s = u * u + v * v;
    }
  while (s >= 1.0 || s == 0.0);
  s = sqrt (-2.0 * log (s) / s);
  rng->spare_normal = v * s;
  rng->has_spare = TRUE;
  return u * s;
}

/* Unbiased integer in [0, n) by rejection (Lemire's method would be faster;
 * this is not on a hot path). */
guint64
spk_rng_below (SpkRng  *rng,
               guint64  n)
{
  guint64 limit, x;

  g_return_val_if_fail (n > 0, 0);
  limit = G_MAXUINT64 - G_MAXUINT64 % n;
  do
    x = spk_rng_next_u64 (rng);
  while (x >= limit);
  return x % n;
}

/* Poisson by multiplication of uniforms for small means, and by the
 * transformed-rejection method (Hörmann's PTRS) for large ones. */
guint64
spk_rng_poisson (SpkRng *rng,
                 double  lambda)
{
  if (!(lambda > 0.0))
    return 0;

  if (lambda < 10.0)
    {
      double limit = exp (-lambda), prod = spk_rng_uniform (rng);
      guint64 k = 0;

      while (prod > limit)
        {
          prod *= spk_rng_uniform (rng);
          k++;
        }
      return k;
    }
  else
    {
      double slam = sqrt (lambda), loglam = log (lambda);
      double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
      double invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);

      for (;;)
        {
          double u = spk_rng_uniform (rng) - 0.5, v = spk_rng_uniform (rng);
          double us = 0.5 - fabs (u);
          double k = floor ((2 * a / us + b) * u + lambda + 0.43);

          if (us >= 0.07 && v <= vr)
            return (guint64) k;
          if (k < 0 || (us < 0.013 && v > us))
            continue;
          if (log (v) + log (invalpha) - log (a / (us * us) + b)
              <= -lambda + k * loglam - lgamma (k + 1))
            return (guint64) k;
        }
    }
}

/* A child seed from a parent seed and a stable key (an object's label and
 * role), so that adding an object never shifts another object's stream. */
guint64
spk_seed_derive (guint64     seed,
                 const char *key)
{
  guint64 h = 0xcbf29ce484222325ULL ^ seed;
  guint64 x;

  for (const unsigned char *p = (const unsigned char *) key; *p; p++)
    {
      h ^= *p;
      h *= 0x100000001b3ULL;
    }
  x = h;
  return splitmix64 (&x);
}
