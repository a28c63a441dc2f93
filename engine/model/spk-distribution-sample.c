/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-distribution-sample.c — drawing samples from a SpkDistribution the
 * way Nengo's Distribution.sample(n, d, rng) does.
 *
 * The scalar kinds are direct draws.  The scattered hypersphere, Nengo's
 * default for encoders and evaluation points, is the quasi-random R_d
 * sequence (randomly offset and shuffled) mapped onto the sphere by the
 * spherical coordinate transform and then turned by a random rotation.
 * Nengo's "sct-approx" reads the inverse of the regularised incomplete beta
 * function from an interpolation table; here it is solved to full precision
 * instead, which is the "sct" method that table approximates.
 *
 * Every random number comes from the SpkRng the caller passes, so equal
 * seeds give equal samples.
 */
#define G_LOG_DOMAIN "spk-distribution"

#include "spk-distribution.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

#include "core/spk-error.h"
#include "core/spk-pool.h"
#include "model/spk-sample-memo.h"

/* Fisher-Yates over the rows of an n × d row-major matrix. */
static void
shuffle_rows (double *data,
              gsize   n,
              gsize   d,
              SpkRng *rng)
{
  g_autofree double *tmp = g_new (double, MAX (d, 1));

  for (gsize i = n; i > 1; i--)
    {
      gsize j = spk_rng_below (rng, i);

      if (j == i - 1)
        continue;
      memcpy (tmp, data + (i - 1) * d, d * sizeof (double));
      memcpy (data + (i - 1) * d, data + j * d, d * sizeof (double));
      memcpy (data + j * d, tmp, d * sizeof (double));
    }
}

/* The generalised golden ratio: the positive root of x^(d+1) = x + 1. */
static double
rd_phi (gsize d)
{
  double x = 1.0;

  for (int i = 0; i < 100; i++)
    {
      double dx = (pow (x, d + 1) - x - 1.0) / ((d + 1) * pow (x, d) - 1.0);

      x -= dx;
      if (fabs (dx) < 1e-14)
        break;
    }
  return x;
}

/* Nengo's QuasirandomSequence: points of the R_d sequence in [0, 1)^d with
 * a random offset, rows shuffled so that no parameter drawn from it
 * correlates with a row index.  For d == 1 the points tile [0, 1) evenly. */
static void
quasirandom_sample (gsize   n,
                    gsize   d,
                    SpkRng *rng,
                    double *out)
{
  /* On the heap: d comes from the model, and a stack array of it
   * overflowed the stack at a few hundred thousand dimensions.  The
   * caller's n × d output is allocated already, so d doubles fit. */
  g_autofree double *offset = g_new (double, d);

  for (gsize j = 0; j < d; j++)
    offset[j] = spk_rng_uniform (rng);

  if (d == 1)
    {
      for (gsize i = 0; i < n; i++)
        out[i] = fmod (offset[0] + (double) i / (double) n, 1.0);
    }
  else
    {
      double phi_inv = 1.0 / rd_phi (d);
      g_autofree double *alpha = g_new (double, d);

      alpha[0] = phi_inv;
      for (gsize j = 1; j < d; j++)
        alpha[j] = alpha[j - 1] * phi_inv;
      for (gsize i = 0; i < n; i++)
        for (gsize j = 0; j < d; j++)
          {
            /* Reducing the multiple first keeps precision for large i. */
            double step = fmod ((double) (i + 1) * alpha[j], 1.0);

            out[i * d + j] = fmod (offset[j] + step, 1.0);
          }
    }
  shuffle_rows (out, n, d, rng);
}

/* The continued fraction of the incomplete beta function, by the modified
 * Lentz method; it converges quickly for x < (a + 1)/(a + b + 2). */
static double
betacf (double a,
        double b,
        double x)
{
  const double tiny = 1e-300;
  double qab = a + b, qap = a + 1.0, qam = a - 1.0;
  double c = 1.0, dd = 1.0 - qab * x / qap, h;

  if (fabs (dd) < tiny)
    dd = tiny;
  dd = 1.0 / dd;
  h = dd;
  for (int m = 1; m <= 10000; m++)
    {
      double m2 = 2.0 * m, aa, del;

      aa = m * (b - m) * x / ((qam + m2) * (a + m2));
      dd = 1.0 + aa * dd;
      if (fabs (dd) < tiny)
        dd = tiny;
      c = 1.0 + aa / c;
      if (fabs (c) < tiny)
        c = tiny;
      dd = 1.0 / dd;
      h *= dd * c;
      aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
      dd = 1.0 + aa * dd;
      if (fabs (dd) < tiny)
        dd = tiny;
      c = 1.0 + aa / c;
      if (fabs (c) < tiny)
        c = tiny;
      dd = 1.0 / dd;
      del = dd * c;
      h *= del;
      if (fabs (del - 1.0) < 1e-15)
        break;
    }
  return h;
}

/* The regularised incomplete beta I_x(a, b), given x and 1 − x separately
 * so that callers near x = 1 do not lose the small complement. */
static double
betainc (double a,
         double b,
         double x,
         double xc,
         double lbeta)
{
  double front;

  if (x <= 0.0)
    return 0.0;
  if (xc <= 0.0)
    return 1.0;
  front = exp (a * log (x) + b * log (xc) - lbeta);
  if (x < (a + 1.0) / (a + b + 2.0))
    return front * betacf (a, b, x) / a;
  return 1.0 - front * betacf (b, a, xc) / b;
}

/* The polar angle θ in [0, π/2] at which the density ∝ sin^(k−1)θ on
 * [0, π] has accumulated probability p ≤ 1/2.  This is Nengo's
 * spherical_coords_ppf: sin²θ = betaincinv(k/2, 1/2, 2p).  Newton steps in
 * θ, where the derivative is bounded, kept inside a shrinking bracket. */
static double
sphere_angle_ppf (double k,
                  double p,
                  double lbeta)
{
  double a = 0.5 * k, norm = exp (lbeta);
  double lo = 0.0, hi = G_PI_2, theta = G_PI_4;

  if (p <= 0.0)
    return 0.0;
  if (p >= 0.5)
    return G_PI_2;
  /* cos θ is close to a normal of variance 1/k, which gives a good first
   * guess for large k; the normal quantile is Abramowitz & Stegun 26.2.23
   * (error below 5e-4, and Newton polishes the rest). */
  if (k > 4.0)
    {
      double t = sqrt (-2.0 * log (p));
      double z = t - (2.515517 + t * (0.802853 + t * 0.010328))
                     / (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308)));
      double guess = G_PI_2 - z / sqrt (k);

      if (guess > 0.0)
        theta = guess;
    }
  for (int iter = 0; iter < 200; iter++)
    {
      double s = sin (theta), c = cos (theta);
      double f = 0.5 * betainc (a, 0.5, s * s, c * c, lbeta) - p;
      double deriv = pow (s, k - 1.0) / norm;
      double next;

      if (f > 0.0)
        hi = theta;
      else
        lo = theta;
      next = deriv > 0.0 ? theta - f / deriv : 0.5 * (lo + hi);
      if (!(next > lo && next < hi))
        next = 0.5 * (lo + hi);
      if (fabs (next - theta) < 1e-12 || hi - lo < 1e-12)
        return next;
      theta = next;
    }
  return theta;
}

typedef struct
{
  const double *cube;
  gsize         m;
  double       *mapped;
  const double *lbeta;
} Spherical;

static void
spherical_rows (gpointer data,
                gsize    begin,
                gsize    end)
{
  const Spherical *job = data;
  gsize m = job->m;

  for (gsize i = begin; i < end; i++)
    {
      const double *y = job->cube + i * m;
      double *row = job->mapped + i * (m + 1);
      double sin_prod = 1.0;

      for (gsize j = 0; j < m; j++)
        {
          double angle;

          if (j + 1 == m)
            angle = 2.0 * G_PI * y[j];
          else
            {
              double yr = y[j] < 0.5 ? y[j] : 1.0 - y[j];
              double theta = sphere_angle_ppf ((double) (m - j), yr, job->lbeta[j]);

              angle = y[j] < 0.5 ? theta : G_PI - theta;
            }
          row[j] = sin_prod * cos (angle);
          sin_prod *= sin (angle);
        }
      row[m] = sin_prod;
    }
}

/* Maps n points of [0, 1)^m (row-major, stride m) onto the unit sphere in
 * m + 1 dimensions by the spherical coordinate transform (Fang & Wang 1994,
 * §1.5.2–1.5.3): column j is the polar angle of a sphere of m − j
 * dimensions, the last one the azimuth over [0, 2π).  Each row on its
 * own, so the rows are split over the pool's threads (the inverse of the
 * incomplete beta function is most of a big ensemble's sampling). */
static void
spherical_transform (const double *cube,
                     gsize         n,
                     gsize         m,
                     double       *mapped)
{
  g_autofree double *lbeta = g_new (double, MAX (m, 1));
  Spherical job = { cube, m, mapped, lbeta };

  for (gsize j = 0; j < m; j++)
    {
      double a = 0.5 * (double) (m - j);

      lbeta[j] = lgamma (a) + lgamma (0.5) - lgamma (a + 0.5);
    }
  spk_pool_for (spherical_rows, &job, n, 1, 64);
}

/* A random orthogonal d × d matrix: U·Vᵀ from the SVD of a Gaussian
 * matrix, as Nengo's ScatteredHypersphere.random_orthogonal. */
static gboolean
random_orthogonal (gsize    d,
                   SpkRng  *rng,
                   double  *rot,
                   GError **error)
{
  g_autofree double *m = g_new (double, d * d);
  g_autofree double *u = g_new (double, d * d);
  g_autofree double *vt = g_new (double, d * d);
  g_autofree double *s = g_new (double, d);
  g_autofree double *superb = g_new (double, d > 1 ? d - 1 : 1);
  lapack_int info;

  for (gsize i = 0; i < d * d; i++)
    m[i] = spk_rng_normal (rng);
  info = LAPACKE_dgesvd (LAPACK_ROW_MAJOR, 'A', 'A', d, d, m, d, s, u, d, vt, d, superb);
  if (info != 0)
    {
      g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                   "ScatteredHypersphere: the SVD for a random rotation failed (info %d)",
                   (int) info);
      return FALSE;
    }
  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, d, d, d,
               1.0, u, d, vt, d, 0.0, rot, d);
  return TRUE;
}

static gboolean
check_min_magnitude (const SpkDistribution  *self,
                     GError                **error)
{
  if (!(self->min_magnitude >= 0.0 && self->min_magnitude < 1.0))
    {
      g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                   "%s min_magnitude must be in [0, 1) (got %g)",
                   spk_distribution_kind_to_name (self->kind), self->min_magnitude);
      return FALSE;
    }
  return TRUE;
}

static gboolean
sample_scattered (const SpkDistribution  *self,
                  gsize                   n,
                  gsize                   d,
                  SpkRng                 *rng,
                  double                 *out,
                  GError                **error)
{
  gsize m = self->surface ? d - 1 : d;
  g_autofree double *cube = NULL;
  g_autofree double *mapped = NULL;
  g_autofree double *rot = NULL;

  if (d == 1 && self->surface)
    {
      quasirandom_sample (n, 1, rng, out);
      for (gsize i = 0; i < n; i++)
        out[i] = out[i] < 0.5 ? -1.0 : 1.0;
      return TRUE;
    }

  if (d == 1)
    {
      gsize n_pos = n / 2;

      /* Half the points on each side of zero, each half evenly tiled. */
      quasirandom_sample (n_pos, 1, rng, out);
      quasirandom_sample (n - n_pos, 1, rng, out + n_pos);
      for (gsize i = 0; i < n; i++)
        {
          double r = out[i] * (1.0 - self->min_magnitude) + self->min_magnitude;

          out[i] = i < n_pos ? r : -r;
        }
      shuffle_rows (out, n, 1, rng);
      return TRUE;
    }

  cube = g_try_new (double, n * m);
  mapped = g_try_new (double, n * d);
  rot = g_try_new (double, d * d);
  if (cube == NULL || mapped == NULL || rot == NULL)
    {
      g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_SHAPE,
                   "ScatteredHypersphere: not enough memory for %zu samples of %zu dimensions",
                   n, d);
      return FALSE;
    }
  quasirandom_sample (n, m, rng, cube);

  if (self->surface)
    spherical_transform (cube, n, m, mapped);
  else
    {
      g_autofree double *angles = g_new (double, n * (d - 1));
      double min_d = pow (self->min_magnitude, (double) d);

      /* The last quasi-random column sets the radius, so that the volume,
       * not the radius, is evenly covered. */
      for (gsize i = 0; i < n; i++)
        memcpy (angles + i * (d - 1), cube + i * d, (d - 1) * sizeof (double));
      spherical_transform (angles, n, d - 1, mapped);
      for (gsize i = 0; i < n; i++)
        {
          double radius = pow (cube[i * d + d - 1] * (1.0 - min_d) + min_d, 1.0 / d);

          for (gsize j = 0; j < d; j++)
            mapped[i * d + j] *= radius;
        }
    }

  if (!random_orthogonal (d, rng, rot, error))
    return FALSE;
  cblas_dgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, n, d, d,
               1.0, mapped, d, rot, d, 0.0, out, d);
  return TRUE;
}

/* Samples of at least this many values are kept by the memo: below it
 * drawing costs about as much as keeping. */
#define MEMO_MIN_VALUES 256

static gboolean
sample_scattered_memo (const SpkDistribution  *self,
                       gsize                   n,
                       gsize                   d,
                       SpkRng                 *rng,
                       double                 *out,
                       GError                **error)
{
  SpkRng before = *rng;

  if (d < 2 || n * d < MEMO_MIN_VALUES)
    return sample_scattered (self, n, d, rng, out, error);
  if (_spk_sample_memo_lookup (self->surface, self->min_magnitude, n, d, rng, out))
    return TRUE;
  if (!sample_scattered (self, n, d, rng, out, error))
    return FALSE;
  _spk_sample_memo_store (self->surface, self->min_magnitude, n, d, &before, rng, out);
  return TRUE;
}

static void
sample_uniform_hypersphere (const SpkDistribution *self,
                            gsize                  n,
                            gsize                  d,
                            SpkRng                *rng,
                            double                *out)
{
  double min_d = pow (self->min_magnitude, (double) d);

  for (gsize i = 0; i < n; i++)
    {
      double *row = out + i * d;
      double norm2 = 0.0, scale;

      /* A zero vector has no direction; it is astronomically rare. */
      do
        {
          norm2 = 0.0;
          for (gsize j = 0; j < d; j++)
            {
              row[j] = spk_rng_normal (rng);
              norm2 += row[j] * row[j];
            }
        }
      while (norm2 == 0.0);
      scale = 1.0 / sqrt (norm2);
      if (!self->surface)
        scale *= pow (spk_rng_uniform_range (rng, min_d, 1.0), 1.0 / d);
      for (gsize j = 0; j < d; j++)
        row[j] *= scale;
    }
}

static gboolean
sample_choice (const SpkDistribution  *self,
               gsize                   n,
               gsize                   d,
               SpkRng                 *rng,
               double                 *out,
               GError                **error)
{
  const SpkArray *options = self->options;
  gsize n_options, option_dims;
  g_autofree double *cumulative = NULL;
  double total = 0.0;

  if (options == NULL || options->size == 0)
    {
      g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                   "Choice needs at least one option");
      return FALSE;
    }
  n_options = options->ndim == 0 ? 1 : options->shape[0];
  option_dims = options->ndim == 2 ? options->shape[1] : 1;
  if (option_dims != d)
    {
      g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_SHAPE,
                   "Choice options must be of dimensionality %zu (got %zu)", d, option_dims);
      return FALSE;
    }
  if (self->weights != NULL && self->weights->size != n_options)
    {
      g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_SHAPE,
                   "Choice: number of weights (%zu) must match number of options (%zu)",
                   self->weights->size, n_options);
      return FALSE;
    }

  cumulative = g_new (double, n_options);
  for (gsize k = 0; k < n_options; k++)
    {
      double w = self->weights ? self->weights->data[k] : 1.0;

      if (!(w >= 0.0) || !isfinite (w))
        {
          g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                       "Choice weights must be finite and non-negative (weight %zu is %g)",
                       k, w);
          return FALSE;
        }
      total += w;
      cumulative[k] = total;
    }
  if (!(total > 0.0))
    {
      g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                   "Choice: sum of weights must be positive (got %g)", total);
      return FALSE;
    }

  for (gsize i = 0; i < n; i++)
    {
      double r = spk_rng_uniform (rng) * total;
      gsize lo = 0, hi = n_options - 1;

      /* The first option whose cumulative weight exceeds r; zero-weight
       * options are never chosen. */
      while (lo < hi)
        {
          gsize mid = (lo + hi) / 2;

          if (cumulative[mid] > r)
            hi = mid;
          else
            lo = mid + 1;
        }
      memcpy (out + i * d, options->data + lo * d, d * sizeof (double));
    }
  return TRUE;
}

static void
format_shape (const SpkArray *array,
              char           *buf,
              gsize           len)
{
  if (array->ndim == 0)
    g_snprintf (buf, len, "()");
  else if (array->ndim == 1)
    g_snprintf (buf, len, "(%zu,)", array->shape[0]);
  else
    g_snprintf (buf, len, "(%zu, %zu)", array->shape[0], array->shape[1]);
}

gboolean
spk_distribution_sample (const SpkDistribution  *self,
                         gsize                   n,
                         gsize                   d,
                         SpkRng                 *rng,
                         double                 *out,
                         GError                **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (rng != NULL, FALSE);
  g_return_val_if_fail (out != NULL || n * d == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  switch (self->kind)
    {
    case SPK_DIST_ARRAY:
      if (self->array == NULL || self->array->size != n * d)
        {
          char shape[64] = "()";

          if (self->array != NULL)
            format_shape (self->array, shape, sizeof shape);
          g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_SHAPE,
                       "array has shape %s but (%zu, %zu) is needed", shape, n, d);
          return FALSE;
        }
      if (n * d > 0)
        memcpy (out, self->array->data, n * d * sizeof (double));
      return TRUE;

    case SPK_DIST_UNIFORM:
      if (self->integer)
        {
          double low = ceil (self->low), high = ceil (self->high);

          if (!(high > low) || !isfinite (low) || !isfinite (high))
            {
              g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                           "Uniform integer needs low < high (got low %g, high %g)",
                           self->low, self->high);
              return FALSE;
            }
          for (gsize i = 0; i < n * d; i++)
            out[i] = low + (double) spk_rng_below (rng, (guint64) (high - low));
        }
      else
        {
          if (!isfinite (self->low) || !isfinite (self->high))
            {
              g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                           "Uniform low and high must be finite (got %g, %g)",
                           self->low, self->high);
              return FALSE;
            }
          for (gsize i = 0; i < n * d; i++)
            out[i] = spk_rng_uniform_range (rng, self->low, self->high);
        }
      return TRUE;

    case SPK_DIST_GAUSSIAN:
      if (!isfinite (self->mean) || !(self->std > 0.0) || !isfinite (self->std))
        {
          g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                       "Gaussian needs a finite mean and a positive std (got mean %g, std %g)",
                       self->mean, self->std);
          return FALSE;
        }
      for (gsize i = 0; i < n * d; i++)
        out[i] = self->mean + self->std * spk_rng_normal (rng);
      return TRUE;

    case SPK_DIST_CHOICE:
      return sample_choice (self, n, d, rng, out, error);

    case SPK_DIST_UNIFORM_HYPERSPHERE:
    case SPK_DIST_SCATTERED_HYPERSPHERE:
      if (d == 0)
        {
          g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_SHAPE,
                       "%s needs at least one dimension",
                       spk_distribution_kind_to_name (self->kind));
          return FALSE;
        }
      if (!check_min_magnitude (self, error))
        return FALSE;
      if (n == 0)
        return TRUE;
      if (self->kind == SPK_DIST_SCATTERED_HYPERSPHERE)
        return sample_scattered_memo (self, n, d, rng, out, error);
      sample_uniform_hypersphere (self, n, d, rng, out);
      return TRUE;

    case SPK_DIST_EXPONENTIAL:
      /* Nengo's: shift + an exponential draw of mean scale, clipped to
       * [shift, the double below high). */
      if (!(self->scale > 0.0) || !isfinite (self->scale) || !isfinite (self->shift) || isnan (self->high))
        {
          g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                       "Exponential needs a positive scale and a finite shift (got scale %g, shift %g, high %g)",
                       self->scale, self->shift, self->high);
          return FALSE;
        }
      for (gsize i = 0; i < n * d; i++)
        {
          double x = self->shift - self->scale * log1p (-spk_rng_uniform (rng));

          out[i] = CLAMP (x, self->shift, nextafter (self->high, -INFINITY));
        }
      return TRUE;

    case SPK_DIST_GLOROT:
      if (!(self->scale >= 0.0) || !isfinite (self->scale))
        {
          g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                       "Glorot scale must be a non-negative number (got %g)", self->scale);
          return FALSE;
        }
      if (n * d == 0)
        return TRUE;
      if (!self->normal)
        {
          double limit = sqrt (6.0 * self->scale / (double) (n + d));

          for (gsize i = 0; i < n * d; i++)
            out[i] = spk_rng_uniform_range (rng, -limit, limit);
        }
      else
        {
          /* NengoDL's TruncatedNormal: redraw anything beyond 2 std. */
          double stddev = sqrt (2.0 * self->scale / (double) (n + d));

          for (gsize i = 0; i < n * d; i++)
            {
              double z;

              do
                z = spk_rng_normal (rng);
              while (fabs (z) > 2.0);
              out[i] = stddev * z;
            }
        }
      return TRUE;

    case SPK_DIST_SPARSE:
    case SPK_DIST_CONVOLUTION:
    case SPK_DIST_CONVOLUTION_TRANSPOSE:
      g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                   "%s is a connection's transform, not a distribution",
                   spk_distribution_kind_to_name (self->kind));
      return FALSE;
    }

  g_return_val_if_reached (FALSE);
}
