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
  SPK_SYNAPSE_LINEAR_FILTER,  /* num, den: continuous-time coefficients, highest power first */
} SpkSynapseKind;

typedef struct
{
  SpkSynapseKind kind;
  double         tau;
  SpkArray      *num;
  SpkArray      *den;
} SpkSynapse;

GType       spk_synapse_get_type     (void) G_GNUC_CONST;

SpkSynapse *spk_synapse_new_lowpass  (double            tau) G_GNUC_WARN_UNUSED_RESULT;
SpkSynapse *spk_synapse_new_alpha    (double            tau) G_GNUC_WARN_UNUSED_RESULT;
SpkSynapse *spk_synapse_new_linear_filter (SpkArray    *num,
                                           SpkArray    *den) G_GNUC_WARN_UNUSED_RESULT;
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
