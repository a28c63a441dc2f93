/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-sample-memo.h — samples of the scattered hypersphere are drawn once
 * per process.
 *
 * Sampling Nengo's default encoders and evaluation points (the
 * ScatteredHypersphere) inverts the incomplete beta function for every
 * coordinate: for a 10,000-neuron ensemble in 16-D that is most of a
 * rebuild whose solves the decoder cache already answers.  A sample is a
 * pure function of the distribution's parameters, its shape and the
 * random stream's state, so it is kept under exactly those (compared
 * field by field, no digest) together with the stream's state after it;
 * a repeat gives the same values bit for bit and leaves the stream where
 * drawing would have.  In memory only, a byte-capped LRU, thread-safe.
 * It is on while spk_build_reuse_get_enabled() is, as the decoder cache
 * is. */
#pragma once

#include "core/spk-rng.h"

G_BEGIN_DECLS

typedef struct
{
  guint64 hits;
  guint64 misses;  /* samples drawn while the memo was on */
} SpkSampleMemoStats;

/* Forgets every sample (a benchmark's cold build starts from none). */
void      spk_sample_memo_clear       (void);
/* The cap, in bytes, on the samples kept (default 64 MiB). */
void      spk_sample_memo_set_limit   (guint64             bytes);
void      spk_sample_memo_get_stats   (SpkSampleMemoStats *stats);
void      spk_sample_memo_reset_stats (void);

/* For spk-distribution-sample.c: the n × d sample of a scattered
 * hypersphere (surface, min_magnitude) drawn from *rng, into out, and
 * *rng moved on as drawing it would; FALSE when none is kept. */
gboolean  _spk_sample_memo_lookup     (gboolean            surface,
                                       double              min_magnitude,
                                       gsize               n,
                                       gsize               d,
                                       SpkRng             *rng,
                                       double             *out);
/* Keeps out, drawn from rng_before, which left the stream at rng_after. */
void      _spk_sample_memo_store      (gboolean            surface,
                                       double              min_magnitude,
                                       gsize               n,
                                       gsize               d,
                                       const SpkRng       *rng_before,
                                       const SpkRng       *rng_after,
                                       const double       *out);

G_END_DECLS
