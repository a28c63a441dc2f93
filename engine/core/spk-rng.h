/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-rng.h — the one random number generator of the engine.
 *
 * Every random draw in Spikeworks flows from a 64-bit seed through this
 * generator (xoshiro256**, seeded by splitmix64), so the same model and seed
 * give bit-identical results on every machine.  A SpkRng is a plain value:
 * copy it to fork a stream, keep it on the stack, no allocation.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint64 s[4];
  /* Second Box-Muller normal, kept so normals come in pairs deterministically. */
  double  spare_normal;
  gboolean has_spare;
} SpkRng;

void     spk_rng_init         (SpkRng     *rng,
                               guint64     seed);
guint64  spk_rng_next_u64     (SpkRng     *rng);
double   spk_rng_uniform      (SpkRng     *rng);
double   spk_rng_uniform_range (SpkRng    *rng,
                                double     low,
                                double     high);
double   spk_rng_normal       (SpkRng     *rng);
guint64  spk_rng_poisson      (SpkRng     *rng,
                               double      lambda);
guint64  spk_rng_below        (SpkRng     *rng,
                               guint64     n);

guint64  spk_seed_derive      (guint64     seed,
                               const char *key);

G_END_DECLS
