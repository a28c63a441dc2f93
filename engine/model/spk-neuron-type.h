/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-neuron-type.h — Nengo's neuron types as an immutable,
 * reference-counted value (a boxed type, the Ensemble's neuron_type).
 *
 * Every parameter Nengo names exists here with its name and default; the
 * table behind spk_neuron_type_params() lets the JSON/HDF5 writers and the
 * inspector walk them without knowing each type.  The numerics (rates,
 * gain/bias, the per-step update) live in ops/spk-ops-neurons.h.
 */
#pragma once

#include <glib-object.h>

#include "model/spk-distribution.h"

G_BEGIN_DECLS

#define SPK_TYPE_NEURON_TYPE (spk_neuron_type_get_type ())
#define SPK_NEURON_MAX_STATES 4

typedef enum
{
  SPK_NEURON_RECTIFIED_LINEAR,
  SPK_NEURON_SPIKING_RECTIFIED_LINEAR,
  SPK_NEURON_LIF,
  SPK_NEURON_LIF_RATE,
  SPK_NEURON_SIGMOID,
  SPK_NEURON_TANH,
  SPK_NEURON_REGULAR_SPIKING,   /* wraps a rate type: base */
  SPK_NEURON_ADAPTIVE_LIF,
  SPK_NEURON_ADAPTIVE_LIF_RATE,
  SPK_NEURON_IZHIKEVICH,
  SPK_NEURON_POISSON_SPIKING,   /* wraps a rate type: base */
  SPK_NEURON_STOCHASTIC_SPIKING, /* wraps a rate type: base */
  SPK_NEURON_DIRECT,             /* no neurons: the ensemble's value is its input */
  SPK_NEURON_N_KINDS
} SpkNeuronKind;

typedef struct _SpkNeuronType SpkNeuronType;

struct _SpkNeuronType
{
  SpkNeuronKind  kind;
  double         amplitude;        /* every type; default 1 */
  double         tau_rc;           /* LIF family; 0.02 */
  double         tau_ref;          /* LIF family 0.002; Sigmoid and Tanh 0.0025 */
  double         min_voltage;      /* LIF, AdaptiveLIF; 0 */
  double         tau_n;            /* adaptive; 1 */
  double         inc_n;            /* adaptive; 0.01 */
  double         tau_recovery;     /* Izhikevich; 0.02 */
  double         coupling;         /* Izhikevich; 0.2 */
  double         reset_voltage;    /* Izhikevich; -65 */
  double         reset_recovery;   /* Izhikevich; 8 */
  SpkNeuronType *base;             /* RegularSpiking, PoissonSpiking: a rate type */
  /* Per state variable (in spk_neuron_type_state_names() order), the
   * distribution of its initial value, or NULL for Nengo's default. */
  SpkDistribution *initial_state[SPK_NEURON_MAX_STATES];
};

/* One numeric parameter of a kind: its Nengo name and where it lives. */
typedef struct
{
  const char *name;
  gsize       offset;     /* of the double inside SpkNeuronType */
  double      default_value;
} SpkNeuronParam;

GType          spk_neuron_type_get_type     (void) G_GNUC_CONST;

/* A new type with Nengo's defaults.  The wrappers (RegularSpiking,
 * PoissonSpiking) get base = LIFRate(); spk_neuron_type_new_wrapping()
 * chooses another rate type. */
SpkNeuronType *spk_neuron_type_new          (SpkNeuronKind        kind) G_GNUC_WARN_UNUSED_RESULT;
SpkNeuronType *spk_neuron_type_new_wrapping (SpkNeuronKind        kind,
                                             SpkNeuronType       *base) G_GNUC_WARN_UNUSED_RESULT;
SpkNeuronType *spk_neuron_type_copy         (const SpkNeuronType *self) G_GNUC_WARN_UNUSED_RESULT;
SpkNeuronType *spk_neuron_type_ref          (SpkNeuronType       *self);
void           spk_neuron_type_unref        (SpkNeuronType       *self);
gboolean       spk_neuron_type_equal        (const SpkNeuronType *a,
                                             const SpkNeuronType *b);

const char    *spk_neuron_kind_to_name      (SpkNeuronKind        kind);
gboolean       spk_neuron_kind_from_name    (const char          *name,
                                             SpkNeuronKind       *kind);
gboolean       spk_neuron_kind_is_wrapper   (SpkNeuronKind        kind);
/* TRUE for the kinds that draw random numbers each step (PoissonSpiking,
 * StochasticSpiking): one stream, in order. */
gboolean       spk_neuron_kind_draws        (SpkNeuronKind        kind);
/* TRUE for Nengo's Direct mode: an ensemble of this type has no neurons,
 * its decoded value is its input and its connections compute their
 * functions exactly (no encoders, gains, biases or solve). */
gboolean       spk_neuron_kind_is_direct    (SpkNeuronKind        kind);
/* TRUE for types whose output is spikes (amplitude/dt per spike). */
gboolean       spk_neuron_type_is_spiking   (const SpkNeuronType *self);

/* The numeric parameters of a kind, NULL-name terminated. */
const SpkNeuronParam *spk_neuron_kind_params (SpkNeuronKind       kind);
double         spk_neuron_type_get_param    (const SpkNeuronType *self,
                                             const SpkNeuronParam *param);
void           spk_neuron_type_set_param    (SpkNeuronType       *self,
                                             const SpkNeuronParam *param,
                                             double               value);
const SpkNeuronParam *spk_neuron_kind_find_param (SpkNeuronKind   kind,
                                                  const char     *name);

/* The state variables the kind carries between steps, as Nengo names them
 * ("voltage", "refractory_time", "adaptation", "recovery"), in storage order.
 * Returns the count; names may be NULL. */
guint          spk_neuron_type_state_names  (const SpkNeuronType *self,
                                             const char         **names);
/* Index of a state by name, or -1. */
int            spk_neuron_type_find_state   (const SpkNeuronType *self,
                                             const char          *name);

/* Checks parameter domains (positive time constants, a rate base for the
 * wrappers…); the message names the parameter. */
gboolean       spk_neuron_type_validate     (const SpkNeuronType *self,
                                             GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkNeuronType, spk_neuron_type_unref)

G_END_DECLS
