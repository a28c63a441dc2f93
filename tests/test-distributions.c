/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-distributions.c — sampling every distribution kind: moments,
 * supports, the geometry of the hyperspheres, determinism and errors. */
#include <math.h>
#include <string.h>

#include "core/spk-error.h"
#include "model/spk-distribution.h"

static double *
sample_ok (SpkDistribution *dist,
           gsize            n,
           gsize            d,
           guint64          seed)
{
  g_autoptr (GError) error = NULL;
  double *out = g_new (double, n * d);
  SpkRng rng;

  spk_rng_init (&rng, seed);
  g_assert_true (spk_distribution_sample (dist, n, d, &rng, out, &error));
  g_assert_no_error (error);
  return out;
}

static void
moments (const double *x,
         gsize         n,
         double       *mean,
         double       *var)
{
  double s = 0.0, s2 = 0.0;

  for (gsize i = 0; i < n; i++)
    s += x[i];
  *mean = s / n;
  for (gsize i = 0; i < n; i++)
    s2 += (x[i] - *mean) * (x[i] - *mean);
  *var = s2 / n;
}

/* 100 000 draws; tolerances are 5 standard errors of mean and variance. */
static void
test_uniform (void)
{
  const gsize n = 100000;
  g_autoptr (SpkDistribution) u = spk_distribution_new_uniform (-2.0, 4.0);
  g_autoptr (SpkDistribution) ui = spk_distribution_new_uniform (3.0, 7.0);
  g_autofree double *x = sample_ok (u, n / 4, 4, 1);
  g_autofree double *k = NULL;
  double mean, var;
  gsize counts[4] = { 0 };

  moments (x, n, &mean, &var);
  for (gsize i = 0; i < n; i++)
    g_assert_true (x[i] >= -2.0 && x[i] < 4.0);
  g_assert_cmpfloat_with_epsilon (mean, 1.0, 5 * sqrt (3.0 / n));
  g_assert_cmpfloat_with_epsilon (var, 3.0, 5 * sqrt (0.8 * 9.0 / n));

  ui->integer = TRUE;
  k = sample_ok (ui, n, 1, 2);
  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpfloat (k[i], ==, floor (k[i]));
      g_assert_true (k[i] >= 3.0 && k[i] < 7.0);
      counts[(int) k[i] - 3]++;
    }
  /* Each of 4 values with p = 1/4: 5 sigma is 5·sqrt(n·p·(1 − p)) ≈ 685. */
  for (int v = 0; v < 4; v++)
    g_assert_cmpfloat (fabs ((double) counts[v] - n / 4.0), <, 5 * sqrt (n * 0.1875));
}

static void
test_gaussian (void)
{
  const gsize n = 100000;
  g_autoptr (SpkDistribution) g = spk_distribution_new_gaussian (1.5, 0.5);
  g_autofree double *x = sample_ok (g, n, 1, 3);
  double mean, var;

  moments (x, n, &mean, &var);
  g_assert_cmpfloat_with_epsilon (mean, 1.5, 5 * sqrt (0.25 / n));
  g_assert_cmpfloat_with_epsilon (var, 0.25, 5 * 0.25 * sqrt (2.0 / n));
}

/* Nengo's Exponential(scale, shift, high): shift + an exponential draw,
 * clipped below high.  Unclipped: mean shift + scale, variance scale²;
 * AssociativeMemory's Exponential(0.15, 0, 1): every value in [0, 1). */
static void
test_exponential (void)
{
  const gsize n = 100000;
  g_autoptr (SpkDistribution) e = spk_distribution_new (SPK_DIST_EXPONENTIAL);
  g_autofree double *x = NULL;
  g_autofree double *clipped = NULL;
  double mean, var;

  e->scale = 0.5;
  e->shift = 0.25;
  e->high = INFINITY;
  x = sample_ok (e, n, 1, 5);
  moments (x, n, &mean, &var);
  g_assert_cmpfloat_with_epsilon (mean, 0.75, 5 * sqrt (0.25 / n));
  g_assert_cmpfloat_with_epsilon (var, 0.25, 0.01);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpfloat (x[i], >=, 0.25);

  e->scale = 0.15;
  e->shift = 0.0;
  e->high = 1.0;
  clipped = sample_ok (e, n, 1, 6);
  moments (clipped, n, &mean, &var);
  g_assert_cmpfloat_with_epsilon (mean, 0.15 * (1 - exp (-1 / 0.15)), 5 * sqrt (0.0225 / n));
  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpfloat (clipped[i], >=, 0.0);
      g_assert_cmpfloat (clipped[i], <, 1.0);
    }
}

/* Weighted choice of vector options: frequencies within 5 sigma of the
 * normalised weights, and a zero-weight option never chosen. */
static void
test_choice (void)
{
  const gsize n = 60000;
  const double opts[] = { 1, 10, 2, 20, 3, 30, 4, 40 };
  const double w[] = { 1, 2, 0, 5 };
  const double p[] = { 1.0 / 8, 2.0 / 8, 0, 5.0 / 8 };
  g_autoptr (SpkArray) options = spk_array_new_matrix (opts, 4, 2);
  g_autoptr (SpkArray) weights = spk_array_new_vector (w, 4);
  g_autoptr (SpkDistribution) c = spk_distribution_new_choice (options, weights);
  g_autofree double *x = sample_ok (c, n, 2, 4);
  gsize counts[4] = { 0 };

  for (gsize i = 0; i < n; i++)
    {
      int which = (int) x[2 * i] - 1;

      g_assert_cmpfloat (x[2 * i + 1], ==, 10 * x[2 * i]);
      counts[which]++;
    }
  g_assert_cmpuint (counts[2], ==, 0);
  for (int v = 0; v < 4; v++)
    g_assert_cmpfloat (fabs (counts[v] - n * p[v]), <=, 5 * sqrt (n * p[v] * (1 - p[v])));
}

static double
norm (const double *x,
      gsize         d)
{
  double s = 0.0;

  for (gsize j = 0; j < d; j++)
    s += x[j] * x[j];
  return sqrt (s);
}

/* Surface samples have norm 1 (to rounding, 1e-12); ball samples lie in
 * [min_magnitude, 1], and their radius^d is uniform, so half fall below
 * 0.5^(1/d) when min_magnitude = 0 (5 sigma = 5·sqrt(0.25/n)). */
static void
check_hypersphere (gboolean scattered)
{
  const gsize n = 4000;
  const gsize dims[] = { 1, 2, 3, 5, 16 };

  for (guint t = 0; t < G_N_ELEMENTS (dims); t++)
    {
      gsize d = dims[t], below = 0;
      g_autoptr (SpkDistribution) surf = spk_distribution_new_hypersphere (scattered, TRUE);
      g_autoptr (SpkDistribution) ball = spk_distribution_new_hypersphere (scattered, FALSE);
      g_autoptr (SpkDistribution) shell = spk_distribution_new_hypersphere (scattered, FALSE);
      g_autofree double *xs = sample_ok (surf, n, d, 10 + t);
      g_autofree double *xb = sample_ok (ball, n, d, 20 + t);
      g_autofree double *xr = NULL;

      shell->min_magnitude = 0.6;
      xr = sample_ok (shell, n, d, 30 + t);
      for (gsize i = 0; i < n; i++)
        {
          double rb = norm (xb + i * d, d), rr = norm (xr + i * d, d);

          g_assert_cmpfloat_with_epsilon (norm (xs + i * d, d), 1.0, 1e-12);
          g_assert_cmpfloat (rb, <=, 1.0 + 1e-12);
          g_assert_cmpfloat (rr, <=, 1.0 + 1e-12);
          g_assert_cmpfloat (rr, >=, 0.6 - 1e-12);
          below += rb < pow (0.5, 1.0 / d);
        }
      g_assert_cmpfloat (fabs ((double) below / n - 0.5), <, 5 * sqrt (0.25 / n));
    }
}

static void
test_uniform_hypersphere (void)
{
  check_hypersphere (FALSE);
}

static void
test_scattered_hypersphere (void)
{
  check_hypersphere (TRUE);
}

/* The worst error, over 400 random caps {x : x·v > h} of the unit sphere
 * in 3-D, between the fraction of samples in the cap and its area
 * fraction (1 − h)/2.  Quasi-random points have a discrepancy of order
 * 1/n, random ones of order 1/sqrt(n). */
static double
cap_discrepancy (const double *x,
                 gsize         n,
                 guint64       seed)
{
  SpkRng rng;
  double worst = 0.0;

  spk_rng_init (&rng, seed);
  for (int c = 0; c < 400; c++)
    {
      double v[3], h = spk_rng_uniform_range (&rng, -0.9, 0.9), r;
      gsize inside = 0;

      for (int j = 0; j < 3; j++)
        v[j] = spk_rng_normal (&rng);
      r = norm (v, 3);
      for (gsize i = 0; i < n; i++)
        inside += (x[3 * i] * v[0] + x[3 * i + 1] * v[1] + x[3 * i + 2] * v[2]) / r > h;
      worst = MAX (worst, fabs ((double) inside / n - (1.0 - h) / 2.0));
    }
  return worst;
}

/* Over 5 seeds at n = 1000, the scattered design's worst cap error is at
 * most half the uniform one's (measured: about a fifth); both are
 * averaged so one lucky draw cannot decide. */
static void
test_scattered_even (void)
{
  const gsize n = 1000;
  g_autoptr (SpkDistribution) sc = spk_distribution_new_hypersphere (TRUE, TRUE);
  g_autoptr (SpkDistribution) un = spk_distribution_new_hypersphere (FALSE, TRUE);
  double d_sc = 0.0, d_un = 0.0;

  for (guint64 seed = 0; seed < 5; seed++)
    {
      g_autofree double *xs = sample_ok (sc, n, 3, 100 + seed);
      g_autofree double *xu = sample_ok (un, n, 3, 100 + seed);

      d_sc += cap_discrepancy (xs, n, seed);
      d_un += cap_discrepancy (xu, n, seed);
    }
  g_test_message ("cap discrepancy: scattered %g, uniform %g", d_sc / 5, d_un / 5);
  g_assert_cmpfloat (d_sc, <, 0.5 * d_un);
}

/* In many dimensions each coordinate of a point on the sphere has mean 0
 * and mean square 1/d; the scattered design gets both nearly exactly
 * (tolerance 0.1/d on the mean square, 0.02 on the mean, over 2000 points
 * in 32 dimensions; random sampling would miss by about sqrt(2/n)/d). */
static void
test_scattered_moments (void)
{
  const gsize n = 2000, d = 32;
  g_autoptr (SpkDistribution) sc = spk_distribution_new_hypersphere (TRUE, TRUE);
  g_autofree double *x = sample_ok (sc, n, d, 5);

  for (gsize j = 0; j < d; j++)
    {
      double s = 0.0, s2 = 0.0;

      for (gsize i = 0; i < n; i++)
        {
          s += x[i * d + j];
          s2 += x[i * d + j] * x[i * d + j];
        }
      g_assert_cmpfloat_with_epsilon (s / n, 0.0, 0.02);
      g_assert_cmpfloat_with_epsilon (s2 / n, 1.0 / d, 0.1 / d);
    }
}

/* The 1-D cases: the surface is ±1, half each (to one point); the ball
 * tiles (−1, −m] ∪ [m, 1) evenly, so sorted gaps are all (1 − m)/(n/2)
 * apart within each half. */
static void
test_scattered_1d (void)
{
  const gsize n = 1000;
  g_autoptr (SpkDistribution) surf = spk_distribution_new_hypersphere (TRUE, TRUE);
  g_autoptr (SpkDistribution) ball = spk_distribution_new_hypersphere (TRUE, FALSE);
  g_autofree double *xs = sample_ok (surf, n, 1, 1);
  g_autofree double *xb = NULL;
  g_autofree double *pos = g_new (double, n);
  gsize n_pos = 0, plus = 0;

  for (gsize i = 0; i < n; i++)
    {
      g_assert_true (xs[i] == 1.0 || xs[i] == -1.0);
      plus += xs[i] > 0;
    }
  g_assert_cmpint (labs ((long) plus - (long) n / 2), <=, 1);

  ball->min_magnitude = 0.2;
  xb = sample_ok (ball, n, 1, 2);
  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpfloat (fabs (xb[i]), >=, 0.2);
      g_assert_cmpfloat (fabs (xb[i]), <, 1.0);
      if (xb[i] > 0)
        pos[n_pos++] = xb[i];
    }
  g_assert_cmpuint (n_pos, ==, n / 2);
  for (gsize i = 0; i < n_pos; i++)
    for (gsize j = i + 1; j < n_pos; j++)
      if (pos[j] < pos[i])
        {
          double t = pos[i];

          pos[i] = pos[j];
          pos[j] = t;
        }
  for (gsize i = 1; i < n_pos; i++)
    g_assert_cmpfloat_with_epsilon (pos[i] - pos[i - 1], 0.8 / n_pos, 1e-12);
}

/* Glorot: uniform on ±sqrt(6·scale/(fan_in + fan_out)), fan_in = d and
 * fan_out = n, so variance limit²/3; the normal variant is truncated at
 * 2 std of sqrt(2·scale/(fan_in + fan_out)), whose variance is 0.77374·std².
 * 5 standard errors on each variance. */
static void
test_glorot (void)
{
  const gsize n = 300, d = 200, m = n * d;
  const double limit = sqrt (6.0 * 2.0 / (n + d)), std = sqrt (2.0 * 2.0 / (n + d));
  g_autoptr (SpkDistribution) gu = spk_distribution_new_glorot (2.0, FALSE);
  g_autoptr (SpkDistribution) gn = spk_distribution_new_glorot (2.0, TRUE);
  g_autofree double *xu = sample_ok (gu, n, d, 6);
  g_autofree double *xn = sample_ok (gn, n, d, 7);
  double mean, var, big = 0.0;

  for (gsize i = 0; i < m; i++)
    {
      g_assert_cmpfloat (fabs (xu[i]), <=, limit);
      g_assert_cmpfloat (fabs (xn[i]), <=, 2.0 * std);
      big = MAX (big, fabs (xu[i]));
    }
  g_assert_cmpfloat (big, >, 0.999 * limit);
  moments (xu, m, &mean, &var);
  g_assert_cmpfloat_with_epsilon (var, limit * limit / 3, 5 * limit * limit * sqrt (0.8 / 9 / m));
  moments (xn, m, &mean, &var);
  g_assert_cmpfloat_with_epsilon (var, 0.773741 * std * std, 5 * std * std * sqrt (1.0 / m));
}

static void
test_array (void)
{
  const double v[] = { 1, 2, 3, 4, 5, 6 };
  g_autoptr (SpkArray) a = spk_array_new_matrix (v, 3, 2);
  g_autoptr (SpkDistribution) dist = spk_distribution_new_array (a);
  g_autofree double *x = sample_ok (dist, 3, 2, 0);
  g_autoptr (GError) error = NULL;
  double out[6];
  SpkRng rng;

  g_assert_cmpmem (x, sizeof v, v, sizeof v);
  spk_rng_init (&rng, 0);
  g_assert_false (spk_distribution_sample (dist, 2, 2, &rng, out, &error));
  g_assert_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_SHAPE);
  g_assert_cmpstr (error->message, ==, "array has shape (3, 2) but (2, 2) is needed");
}

/* Every kind: equal seeds give equal samples, other seeds other ones. */
static void
test_deterministic (void)
{
  const double opts[] = { 1, 2, 3 };
  g_autoptr (SpkArray) options = spk_array_new_vector (opts, 3);
  SpkDistribution *dists[] = {
    spk_distribution_new_uniform (0, 1),
    spk_distribution_new_gaussian (0, 1),
    spk_distribution_new_choice (options, NULL),
    spk_distribution_new_hypersphere (FALSE, TRUE),
    spk_distribution_new_hypersphere (TRUE, FALSE),
    spk_distribution_new_glorot (1.0, TRUE),
  };

  for (guint k = 0; k < G_N_ELEMENTS (dists); k++)
    {
      gsize d = dists[k]->kind == SPK_DIST_CHOICE ? 1 : 4;
      g_autofree double *a = sample_ok (dists[k], 50, d, 99);
      g_autofree double *b = sample_ok (dists[k], 50, d, 99);
      g_autofree double *c = sample_ok (dists[k], 50, d, 100);

      g_assert_cmpmem (a, 50 * d * sizeof (double), b, 50 * d * sizeof (double));
      g_assert_true (memcmp (a, c, 50 * d * sizeof (double)) != 0);
      spk_distribution_unref (dists[k]);
    }
}

static void
expect_error (SpkDistribution *dist,
              gsize            n,
              gsize            d,
              const char      *message)
{
  g_autoptr (GError) error = NULL;
  g_autofree double *out = g_new (double, MAX (n * d, 1));
  SpkRng rng;

  spk_rng_init (&rng, 0);
  g_assert_false (spk_distribution_sample (dist, n, d, &rng, out, &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, message);
  spk_distribution_unref (dist);
}

static void
test_errors (void)
{
  const double opts[] = { 1, 2, 3, 4 }, w2[] = { 1, 1 }, wneg[] = { 1, -1 }, wzero[] = { 0, 0 };
  g_autoptr (SpkArray) options = spk_array_new_matrix (opts, 2, 2);
  g_autoptr (SpkArray) weights2 = spk_array_new_vector (w2, 2);
  g_autoptr (SpkArray) weights1 = spk_array_new_vector (w2, 1);
  g_autoptr (SpkArray) wn = spk_array_new_vector (wneg, 2);
  g_autoptr (SpkArray) wz = spk_array_new_vector (wzero, 2);
  g_autoptr (SpkArray) vec = spk_array_new_vector (opts, 4);
  SpkDistribution *dist;

  expect_error (spk_distribution_new_gaussian (0, 0), 3, 1,
                "Gaussian needs a finite mean and a positive std (got mean 0, std 0)");
  expect_error (spk_distribution_new_choice (options, weights2), 3, 3,
                "Choice options must be of dimensionality 3 (got 2)");
  expect_error (spk_distribution_new_choice (options, weights1), 3, 2,
                "Choice: number of weights (1) must match number of options (2)");
  expect_error (spk_distribution_new_choice (options, wn), 3, 2,
                "Choice weights must be finite and non-negative (weight 1 is -1)");
  expect_error (spk_distribution_new_choice (options, wz), 3, 2,
                "Choice: sum of weights must be positive (got 0)");
  expect_error (spk_distribution_new_hypersphere (TRUE, TRUE), 3, 0,
                "ScatteredHypersphere needs at least one dimension");
  dist = spk_distribution_new_hypersphere (FALSE, FALSE);
  dist->min_magnitude = 1.0;
  expect_error (dist, 3, 2, "UniformHypersphere min_magnitude must be in [0, 1) (got 1)");
  dist = spk_distribution_new_uniform (2, 2);
  dist->integer = TRUE;
  expect_error (dist, 3, 1, "Uniform integer needs low < high (got low 2, high 2)");
  expect_error (spk_distribution_new_uniform (0, INFINITY), 3, 1,
                "Uniform low and high must be finite (got 0, inf)");
  expect_error (spk_distribution_new_glorot (-1.0, FALSE), 3, 1,
                "Glorot scale must be a non-negative number (got -1)");
  expect_error (spk_distribution_new_array (vec), 2, 3,
                "array has shape (4,) but (2, 3) is needed");
  expect_error (spk_distribution_new_scalar (1.0), 2, 1,
                "array has shape () but (2, 1) is needed");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/distributions/uniform", test_uniform);
  g_test_add_func ("/spk/distributions/gaussian", test_gaussian);
  g_test_add_func ("/spk/distributions/exponential", test_exponential);
  g_test_add_func ("/spk/distributions/choice", test_choice);
  g_test_add_func ("/spk/distributions/uniform-hypersphere", test_uniform_hypersphere);
  g_test_add_func ("/spk/distributions/scattered-hypersphere", test_scattered_hypersphere);
  g_test_add_func ("/spk/distributions/scattered-even", test_scattered_even);
  g_test_add_func ("/spk/distributions/scattered-moments", test_scattered_moments);
  g_test_add_func ("/spk/distributions/scattered-1d", test_scattered_1d);
  g_test_add_func ("/spk/distributions/glorot", test_glorot);
  g_test_add_func ("/spk/distributions/array", test_array);
  g_test_add_func ("/spk/distributions/deterministic", test_deterministic);
  g_test_add_func ("/spk/distributions/errors", test_errors);
  return g_test_run ();
}
