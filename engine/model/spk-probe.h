/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-probe.h — a Probe: records a signal of its target (decoded value, output, input, voltage) with its own synapse and sampling interval. */
#pragma once

#include <glib-object.h>

#include "model/spk-object.h"
#include "core/spk-slice.h"
#include "model/spk-synapse.h"
#include "nef/spk-solver.h"

G_BEGIN_DECLS

#define SPK_TYPE_PROBE (spk_probe_get_type ())
G_DECLARE_FINAL_TYPE (SpkProbe, spk_probe, SPK, PROBE, SpkObject)

SpkProbe *spk_probe_new (void) G_GNUC_WARN_UNUSED_RESULT;
SpkObject *spk_probe_get_target (SpkProbe *self);
void spk_probe_set_target (SpkProbe *self, SpkObject *target);
gboolean spk_probe_get_target_neurons (SpkProbe *self);
void spk_probe_set_target_neurons (SpkProbe *self, gboolean target_neurons);
SpkSlice *spk_probe_get_slice (SpkProbe *self);
void spk_probe_set_slice (SpkProbe *self, SpkSlice *slice);
const char *spk_probe_get_attr (SpkProbe *self);
void spk_probe_set_attr (SpkProbe *self, const char *attr);
SpkSynapse *spk_probe_get_synapse (SpkProbe *self);
void spk_probe_set_synapse (SpkProbe *self, SpkSynapse *synapse);
double spk_probe_get_sample_every (SpkProbe *self);
void spk_probe_set_sample_every (SpkProbe *self, double sample_every);
SpkSolver *spk_probe_get_solver (SpkProbe *self);
void spk_probe_set_solver (SpkProbe *self, SpkSolver *solver);


G_END_DECLS
