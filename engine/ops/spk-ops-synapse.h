/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ops-synapse.h — synapses discretised exactly as Nengo does (zero-
 * order hold, output includes the current input), and their step.
 *
 * A discretised filter is a state-space system of order k, stepped as
 *   y ← C·x + D·u;  x ← A·x + B·u
 * (y from the state before the update).  For strictly proper filters
 * spk_synapse_discretize() folds Nengo's "x ← A·x + B·u; y = C·x" into
 * this shape, so the unit-step response is y[k] = s((k+1)·dt) — see
 * NEF-FACTS.md §7; with a direct term (num as long as den) it is Nengo's
 * General step, y[k] = s(k·dt).
 * It is applied independently to each of `count` channels; the state is
 * k arrays of `count`.  Lowpass and Alpha get fast paths.
 *
 * Triangle is a finite impulse response of n_taps taps, stepped as
 * Nengo steps it (a running sum, which drifts as Nengo's does):
 *   Y += n0·u − Σ X;  X[next] = ndiff·u
 * with three states: Y (count), the ring X (count × n_taps, channel by
 * channel) and the ring's position (count, the same in each channel).
 */
#pragma once

#include <glib.h>

#include "model/spk-synapse.h"

G_BEGIN_DECLS

#define SPK_FILTER_MAX_ORDER 8

typedef struct
{
  guint  order;                                 /* k; 0 = pure gain y = D·u */
  double A[SPK_FILTER_MAX_ORDER * SPK_FILTER_MAX_ORDER]; /* k × k row-major */
  double B[SPK_FILTER_MAX_ORDER];
  double C[SPK_FILTER_MAX_ORDER];
  double D;
  guint  n_taps;                                /* Triangle: > 0, and order 0 */
  double n0, ndiff;                             /* Triangle: first and last tap */
} SpkDiscreteFilter;

/* The states a filter keeps and the size of each, in values per channel. */
guint    spk_filter_n_states      (const SpkDiscreteFilter *filter);
guint    spk_filter_state_width   (const SpkDiscreteFilter *filter,
                                   guint                    state);

gboolean spk_synapse_discretize   (const SpkSynapse  *synapse,
                                   double             dt,
                                   SpkDiscreteFilter *out,
                                   GError           **error);

/* One step for `count` channels: reads u (count), updates state
 * (order arrays of count, zero at reset), writes y (count).  y may not
 * alias u. */
void     spk_filter_step_f32      (const SpkDiscreteFilter *filter,
                                   const float             *u,
                                   float                   *y,
                                   float *const            *state,
                                   gsize                    count);
void     spk_filter_step_f64      (const SpkDiscreteFilter *filter,
                                   const double            *u,
                                   double                  *y,
                                   double *const           *state,
                                   gsize                    count);

G_END_DECLS
