/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-synapse.h — Nengo's synapses as an immutable, reference-counted
 * value.  "No synapse" (Nengo's None) is a NULL SpkSynapse.
 * Discretisation and the per-step filter are in ops/spk-ops-synapse.h.
 */
#pragma once

#include <glib-object.h>

#include "core/spk-array.h"

G_BEGIN_DECLS

#define SPK_TYPE_SYNAPSE (spk_synapse_get_type ())

typedef enum
{
  SPK_SYNAPSE_LOWPASS,        /* tau */
  SPK_SYNAPSE_ALPHA,          /* tau */
  SPK_SYNAPSE_LINEAR_FILTER,  /* num, den: coefficients, highest power first; continuous-time
                               * unless `analog` is FALSE (then in z, stepped as they are) */
  SPK_SYNAPSE_TRIANGLE,       /* tau: Nengo's Triangle(t), a triangular FIR of t/dt + 1 taps */
  SPK_SYNAPSE_N_KINDS
} SpkSynapseKind;

typedef struct
{
  SpkSynapseKind kind;
  double         tau;         /* Lowpass, Alpha: τ; Triangle: its length t */
  SpkArray      *num;
  SpkArray      *den;
  gboolean       analog;      /* LinearFilter: TRUE (Nengo's default), FALSE for a digital filter */
} SpkSynapse;

GType       spk_synapse_get_type     (void) G_GNUC_CONST;

SpkSynapse *spk_synapse_new_lowpass  (double            tau) G_GNUC_WARN_UNUSED_RESULT;
SpkSynapse *spk_synapse_new_alpha    (double            tau) G_GNUC_WARN_UNUSED_RESULT;
SpkSynapse *spk_synapse_new_triangle (double            t) G_GNUC_WARN_UNUSED_RESULT;
/* An analog (continuous-time) filter, as Nengo's default. */
SpkSynapse *spk_synapse_new_linear_filter (SpkArray    *num,
                                           SpkArray    *den) G_GNUC_WARN_UNUSED_RESULT;
SpkSynapse *spk_synapse_new_linear_filter_full (SpkArray *num,
                                                SpkArray *den,
                                                gboolean  analog) G_GNUC_WARN_UNUSED_RESULT;
SpkSynapse *spk_synapse_ref          (SpkSynapse       *self);
void        spk_synapse_unref        (SpkSynapse       *self);
gboolean    spk_synapse_equal        (const SpkSynapse *a,
                                      const SpkSynapse *b);
const char *spk_synapse_kind_to_name (SpkSynapseKind    kind);
gboolean    spk_synapse_kind_from_name (const char     *name,
                                        SpkSynapseKind *kind);
/* Negative or non-finite tau, empty or non-finite num/den, a leading
 * zero in den… the message names the parameter. */
gboolean    spk_synapse_validate     (const SpkSynapse *self,
                                      GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkSynapse, spk_synapse_unref)

G_END_DECLS
