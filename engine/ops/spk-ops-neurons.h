/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ops-neurons.h — the numerics of every neuron type: rate curves,
 * gain/bias from max_rates/intercepts, initial state, and the per-step
 * update in float32 and float64 (one templated source).
 *
 * Shapes: a step works on `count` neurons laid out contiguously
 * (batch × n flattened); J, out and every state array have `count`
 * elements.  State arrays are in spk_neuron_type_state_names() order.
 * No allocation, locks or GLib calls inside the step functions.
 */
#pragma once

#include <glib.h>

#include "core/spk-rng.h"
#include "model/spk-neuron-type.h"

G_BEGIN_DECLS

/* rates[i] = rate of neuron (i mod n) for J = gain[i mod n]·x[i] + bias[i mod n],
 * for x of m × n (row-major): Nengo's NeuronType.rates(x, gain, bias).
 * Spiking types use their rate equivalent (LIF → LIFRate, wrappers → base);
 * types without a closed form (Izhikevich) are settled by simulation as
 * Nengo does, at step dt (Nengo always settles at 0.001 s; pass that to
 * reproduce it).  As in Nengo, the adaptive types use LIFRate's curve and
 * a wrapper's rate is its base's (the wrapper's amplitude is not applied).
 * rates may be x itself: each value is read before its result is written. */
void     spk_neuron_rates        (const SpkNeuronType *type,
                                  const double        *x,
                                  const double        *gain,
                                  const double        *bias,
                                  gsize                m,
                                  gsize                n,
                                  double               dt,
                                  double              *rates);

/* gain/bias (n) from max_rates/intercepts (n), as Nengo's gain_bias().
 * Fails with a message naming the first offending neuron when a gain
 * would be ≤ 0 or non-finite (e.g. intercept ≥ 1, max rate ≥ 1/tau_ref). */
gboolean spk_neuron_gain_bias    (const SpkNeuronType *type,
                                  const double        *max_rates,
                                  const double        *intercepts,
                                  gsize                n,
                                  double              *gain,
                                  double              *bias,
                                  GError             **error);

/* Inverse of gain_bias (for the inspector and tuning curves). */
void     spk_neuron_max_rates_intercepts (const SpkNeuronType *type,
                                          const double        *gain,
                                          const double        *bias,
                                          gsize                n,
                                          double              *max_rates,
                                          double              *intercepts);

/* Fills states (spk_neuron_step_n_states() arrays of n) with initial
 * values: the type's initial_state distributions, or Nengo 4's defaults
 * (every voltage U(0, 1), Izhikevich's included; everything else 0). */
gboolean spk_neuron_init_state   (const SpkNeuronType *type,
                                  gsize                n,
                                  SpkRng              *rng,
                                  double *const       *states,
                                  GError             **error);

/* The number of state arrays the step and init_state use: the kind's own
 * states (spk_neuron_type_state_names() order) followed, for a wrapper,
 * by its base's (e.g. RegularSpiking(AdaptiveLIFRate): voltage, adaptation). */
guint    spk_neuron_step_n_states (const SpkNeuronType *type);

/* One step of dt.  rng is used by PoissonSpiking only.  J and out must
 * not overlap; states holds spk_neuron_step_n_states() arrays. */
void     spk_neuron_step_f32     (const SpkNeuronType *type,
                                  float                dt,
                                  const float         *J,
                                  float               *out,
                                  float *const        *states,
                                  gsize                count,
                                  SpkRng              *rng);
void     spk_neuron_step_f64     (const SpkNeuronType *type,
                                  double               dt,
                                  const double        *J,
                                  double              *out,
                                  double *const       *states,
                                  gsize                count,
                                  SpkRng              *rng);

G_END_DECLS
