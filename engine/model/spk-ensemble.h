/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ensemble.h — an Ensemble: n_neurons neurons representing a vector of `dimensions`, with Nengo's parameters and defaults. */
#pragma once

#include <glib-object.h>

#include "model/spk-object.h"
#include "core/spk-array.h"
#include "model/spk-distribution.h"
#include "model/spk-neuron-type.h"
#include "model/spk-process.h"

G_BEGIN_DECLS

#define SPK_TYPE_ENSEMBLE (spk_ensemble_get_type ())
G_DECLARE_FINAL_TYPE (SpkEnsemble, spk_ensemble, SPK, ENSEMBLE, SpkObject)

SpkEnsemble *spk_ensemble_new (void) G_GNUC_WARN_UNUSED_RESULT;
int spk_ensemble_get_n_neurons (SpkEnsemble *self);
void spk_ensemble_set_n_neurons (SpkEnsemble *self, int n_neurons);
int spk_ensemble_get_dimensions (SpkEnsemble *self);
void spk_ensemble_set_dimensions (SpkEnsemble *self, int dimensions);
double spk_ensemble_get_radius (SpkEnsemble *self);
void spk_ensemble_set_radius (SpkEnsemble *self, double radius);
SpkNeuronType *spk_ensemble_get_neuron_type (SpkEnsemble *self);
void spk_ensemble_set_neuron_type (SpkEnsemble *self, SpkNeuronType *neuron_type);
SpkDistribution *spk_ensemble_get_max_rates (SpkEnsemble *self);
void spk_ensemble_set_max_rates (SpkEnsemble *self, SpkDistribution *max_rates);
SpkDistribution *spk_ensemble_get_intercepts (SpkEnsemble *self);
void spk_ensemble_set_intercepts (SpkEnsemble *self, SpkDistribution *intercepts);
SpkDistribution *spk_ensemble_get_encoders (SpkEnsemble *self);
void spk_ensemble_set_encoders (SpkEnsemble *self, SpkDistribution *encoders);
gboolean spk_ensemble_get_normalize_encoders (SpkEnsemble *self);
void spk_ensemble_set_normalize_encoders (SpkEnsemble *self, gboolean normalize_encoders);
SpkDistribution *spk_ensemble_get_eval_points (SpkEnsemble *self);
void spk_ensemble_set_eval_points (SpkEnsemble *self, SpkDistribution *eval_points);
int spk_ensemble_get_n_eval_points (SpkEnsemble *self);
void spk_ensemble_set_n_eval_points (SpkEnsemble *self, int n_eval_points);
SpkArray *spk_ensemble_get_gain (SpkEnsemble *self);
void spk_ensemble_set_gain (SpkEnsemble *self, SpkArray *gain);
SpkArray *spk_ensemble_get_bias (SpkEnsemble *self);
void spk_ensemble_set_bias (SpkEnsemble *self, SpkArray *bias);
/* Nengo's Ensemble.noise: a process whose output (one value per neuron)
 * is added to the neurons' input current each step; NULL for none. */
SpkProcess *spk_ensemble_get_noise (SpkEnsemble *self);
void spk_ensemble_set_noise (SpkEnsemble *self, SpkProcess *noise);


G_END_DECLS
