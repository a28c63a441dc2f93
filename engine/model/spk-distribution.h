/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-distribution.h — Nengo's distributions, as an immutable,
 * reference-counted value (a boxed type usable as a GObject property).
 *
 * A parameter that Nengo accepts as "a distribution or an array" (max_rates,
 * intercepts, encoders, eval_points, a connection's transform) holds a
 * SpkDistribution; an explicit array is the kind SPK_DIST_ARRAY.
 * Sampling is deterministic given the SpkRng state.
 */
#pragma once

#include <glib-object.h>

#include "core/spk-array.h"
#include "core/spk-rng.h"

G_BEGIN_DECLS

#define SPK_TYPE_DISTRIBUTION (spk_distribution_get_type ())

typedef enum
{
  SPK_DIST_UNIFORM,                /* low, high, integer */
  SPK_DIST_GAUSSIAN,               /* mean, std */
  SPK_DIST_CHOICE,                 /* options (rows = choices), weights (NULL = equal) */
  SPK_DIST_UNIFORM_HYPERSPHERE,    /* surface, min_magnitude */
  SPK_DIST_SCATTERED_HYPERSPHERE,  /* surface, min_magnitude */
  SPK_DIST_GLOROT,                 /* scale, normal */
  SPK_DIST_ARRAY,                  /* array: explicit values, no sampling */
  SPK_DIST_EXPONENTIAL,            /* scale, shift, high (default infinite) */
} SpkDistKind;

typedef struct
{
  SpkDistKind kind;
  double      low, high;      /* Uniform; defaults 0, 1 */
  gboolean    integer;        /* Uniform: integers in [low, high) */
  double      mean, std;      /* Gaussian; defaults 0, 1 */
  SpkArray   *options;        /* Choice: rank 1 (scalars) or 2 (rows are vectors) */
  SpkArray   *weights;        /* Choice: rank 1, or NULL for equal weights */
  gboolean    surface;        /* hyperspheres: on the surface, not in the ball */
  double      min_magnitude;  /* hyperspheres, ball only; default 0 */
  double      scale;          /* Glorot, Exponential; default 1 */
  double      shift;          /* Exponential: the smallest value; default 0 */
  gboolean    normal;         /* Glorot: truncated normal instead of uniform */
  SpkArray   *array;          /* Array */
} SpkDistribution;

GType            spk_distribution_get_type      (void) G_GNUC_CONST;

/* Constructors fill every parameter with Nengo's default. */
SpkDistribution *spk_distribution_new           (SpkDistKind            kind) G_GNUC_WARN_UNUSED_RESULT;
SpkDistribution *spk_distribution_new_uniform   (double                 low,
                                                 double                 high) G_GNUC_WARN_UNUSED_RESULT;
SpkDistribution *spk_distribution_new_gaussian  (double                 mean,
                                                 double                 std) G_GNUC_WARN_UNUSED_RESULT;
SpkDistribution *spk_distribution_new_choice    (SpkArray              *options,
                                                 SpkArray              *weights) G_GNUC_WARN_UNUSED_RESULT;
SpkDistribution *spk_distribution_new_hypersphere (gboolean             scattered,
                                                   gboolean             surface) G_GNUC_WARN_UNUSED_RESULT;
SpkDistribution *spk_distribution_new_glorot    (double                 scale,
                                                 gboolean               normal) G_GNUC_WARN_UNUSED_RESULT;
SpkDistribution *spk_distribution_new_array     (SpkArray              *array) G_GNUC_WARN_UNUSED_RESULT;
SpkDistribution *spk_distribution_new_scalar    (double                 value) G_GNUC_WARN_UNUSED_RESULT;
/* A writable copy, to change a parameter before sharing it. */
SpkDistribution *spk_distribution_copy          (const SpkDistribution *self) G_GNUC_WARN_UNUSED_RESULT;
SpkDistribution *spk_distribution_ref           (SpkDistribution       *self);
void             spk_distribution_unref         (SpkDistribution       *self);
gboolean         spk_distribution_equal         (const SpkDistribution *a,
                                                 const SpkDistribution *b);

/* Nengo's class name ("Uniform", "ScatteredHypersphere", …) and back. */
const char      *spk_distribution_kind_to_name  (SpkDistKind            kind);
gboolean         spk_distribution_kind_from_name (const char           *name,
                                                  SpkDistKind          *kind);

/* Fills out (n × d, row-major) with n samples of dimension d, as Nengo's
 * Distribution.sample(n, d, rng).  For d == 1 and scalar distributions
 * this is n independent draws.  Glorot takes fan_in = d, fan_out = n.
 * SPK_DIST_ARRAY copies its values when its size is n × d and fails
 * with a message otherwise; every other kind always succeeds. */
gboolean         spk_distribution_sample        (const SpkDistribution *self,
                                                 gsize                  n,
                                                 gsize                  d,
                                                 SpkRng                *rng,
                                                 double                *out,
                                                 GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkDistribution, spk_distribution_unref)

G_END_DECLS
