/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-rng.c — the generator is deterministic and its draws have the
 * right moments. */
#include <math.h>

#include "core/spk-rng.h"

static void
test_deterministic (void)
{
  SpkRng a, b;

  spk_rng_init (&a, 42);
  spk_rng_init (&b, 42);
  for (int i = 0; i < 1000; i++)
    g_assert_cmpuint (spk_rng_next_u64 (&a), ==, spk_rng_next_u64 (&b));
  spk_rng_init (&b, 43);
  g_assert_cmpuint (spk_rng_next_u64 (&a), !=, spk_rng_next_u64 (&b));
}

/* Moments of 200 000 draws; tolerances are about 5 standard errors. */
static void
test_moments (void)
{
  const int n = 200000;
  SpkRng rng;
  double su = 0, sn = 0, sn2 = 0, sp = 0, sp_big = 0;

  spk_rng_init (&rng, 7);
  for (int i = 0; i < n; i++)
    {
      double u = spk_rng_uniform (&rng), z = spk_rng_normal (&rng);

      g_assert_true (u >= 0.0 && u < 1.0);
      su += u;
      sn += z;
      sn2 += z * z;
      sp += (double) spk_rng_poisson (&rng, 2.5);
      sp_big += (double) spk_rng_poisson (&rng, 40.0);
    }
  g_assert_cmpfloat_with_epsilon (su / n, 0.5, 5 * sqrt (1.0 / 12 / n));
  g_assert_cmpfloat_with_epsilon (sn / n, 0.0, 5 * sqrt (1.0 / n));
  g_assert_cmpfloat_with_epsilon (sn2 / n, 1.0, 5 * sqrt (2.0 / n));
  g_assert_cmpfloat_with_epsilon (sp / n, 2.5, 5 * sqrt (2.5 / n));
  g_assert_cmpfloat_with_epsilon (sp_big / n, 40.0, 5 * sqrt (40.0 / n));
}

static void
test_seed_derive (void)
{
  g_assert_cmpuint (spk_seed_derive (1, "ens"), ==, spk_seed_derive (1, "ens"));
  g_assert_cmpuint (spk_seed_derive (1, "ens"), !=, spk_seed_derive (2, "ens"));
  g_assert_cmpuint (spk_seed_derive (1, "ens"), !=, spk_seed_derive (1, "ens2"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/rng/deterministic", test_deterministic);
  g_test_add_func ("/spk/rng/moments", test_moments);
  g_test_add_func ("/spk/rng/seed-derive", test_seed_derive);
  return g_test_run ();
}
