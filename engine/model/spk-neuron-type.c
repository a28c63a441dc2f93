/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-neuron-type.c — neuron types as values: defaults, parameter and
 * state tables, validation.  The numerics are in ops/spk-ops-neurons.c. */
#define G_LOG_DOMAIN "spk-neuron-type"

#include "spk-neuron-type.h"

#include <math.h>
#include <stddef.h>

#include "core/spk-error.h"

G_DEFINE_BOXED_TYPE (SpkNeuronType, spk_neuron_type,
                     spk_neuron_type_ref, spk_neuron_type_unref)

#define P(field, def) { #field, offsetof (SpkNeuronType, field), def }
#define END { NULL, 0, 0 }

static const SpkNeuronParam rectified_params[] = { P (amplitude, 1), END };
static const SpkNeuronParam lif_params[] = {
  P (tau_rc, 0.02), P (tau_ref, 0.002), P (min_voltage, 0), P (amplitude, 1), END
};
static const SpkNeuronParam lif_rate_params[] = {
  P (tau_rc, 0.02), P (tau_ref, 0.002), P (amplitude, 1), END
};
static const SpkNeuronParam sigmoid_params[] = { P (tau_ref, 0.0025), END };
static const SpkNeuronParam tanh_params[] = { P (tau_ref, 0.0025), END };
static const SpkNeuronParam wrapper_params[] = { P (amplitude, 1), END };
static const SpkNeuronParam adaptive_lif_params[] = {
  P (tau_n, 1), P (inc_n, 0.01), P (tau_rc, 0.02), P (tau_ref, 0.002),
  P (min_voltage, 0), P (amplitude, 1), END
};
static const SpkNeuronParam adaptive_lif_rate_params[] = {
  P (tau_n, 1), P (inc_n, 0.01), P (tau_rc, 0.02), P (tau_ref, 0.002),
  P (amplitude, 1), END
};
static const SpkNeuronParam direct_params[] = { END };
static const SpkNeuronParam izhikevich_params[] = {
  P (tau_recovery, 0.02), P (coupling, 0.2), P (reset_voltage, -65),
  P (reset_recovery, 8), END
};

#undef P
#undef END

typedef struct
{
  const char           *name;
  const SpkNeuronParam *params;
  const char           *states[SPK_NEURON_MAX_STATES + 1];
  gboolean              spiking;
} KindInfo;

static const KindInfo kinds[SPK_NEURON_N_KINDS] = {
  [SPK_NEURON_RECTIFIED_LINEAR] = { "RectifiedLinear", rectified_params, { NULL }, FALSE },
  [SPK_NEURON_SPIKING_RECTIFIED_LINEAR] = { "SpikingRectifiedLinear", rectified_params,
                                            { "voltage", NULL }, TRUE },
  [SPK_NEURON_LIF] = { "LIF", lif_params, { "voltage", "refractory_time", NULL }, TRUE },
  [SPK_NEURON_LIF_RATE] = { "LIFRate", lif_rate_params, { NULL }, FALSE },
  [SPK_NEURON_SIGMOID] = { "Sigmoid", sigmoid_params, { NULL }, FALSE },
  [SPK_NEURON_TANH] = { "Tanh", tanh_params, { NULL }, FALSE },
  [SPK_NEURON_REGULAR_SPIKING] = { "RegularSpiking", wrapper_params, { "voltage", NULL }, TRUE },
  [SPK_NEURON_ADAPTIVE_LIF] = { "AdaptiveLIF", adaptive_lif_params,
                                { "voltage", "refractory_time", "adaptation", NULL }, TRUE },
  [SPK_NEURON_ADAPTIVE_LIF_RATE] = { "AdaptiveLIFRate", adaptive_lif_rate_params,
                                     { "adaptation", NULL }, FALSE },
  [SPK_NEURON_IZHIKEVICH] = { "Izhikevich", izhikevich_params,
                              { "voltage", "recovery", NULL }, TRUE },
  [SPK_NEURON_POISSON_SPIKING] = { "PoissonSpiking", wrapper_params, { NULL }, TRUE },
  [SPK_NEURON_STOCHASTIC_SPIKING] = { "StochasticSpiking", wrapper_params, { NULL }, TRUE },
  [SPK_NEURON_DIRECT] = { "Direct", direct_params, { NULL }, FALSE },
};

static void
neuron_type_clear (gpointer data)
{
  SpkNeuronType *self = data;

  spk_neuron_type_unref (self->base);
  for (guint i = 0; i < SPK_NEURON_MAX_STATES; i++)
    spk_distribution_unref (self->initial_state[i]);
}

SpkNeuronType *
spk_neuron_type_new (SpkNeuronKind kind)
{
  SpkNeuronType *self;

  g_return_val_if_fail (kind < SPK_NEURON_N_KINDS, NULL);
  self = g_atomic_rc_box_new0 (SpkNeuronType);
  self->kind = kind;
  /* Every field gets the default of any kind that has it, so a type
   * switched in the inspector starts from sensible values. */
  self->amplitude = 1.0;
  self->tau_rc = 0.02;
  self->tau_ref = (kind == SPK_NEURON_SIGMOID || kind == SPK_NEURON_TANH) ? 0.0025 : 0.002;
  self->min_voltage = 0.0;
  self->tau_n = 1.0;
  self->inc_n = 0.01;
  self->tau_recovery = 0.02;
  self->coupling = 0.2;
  self->reset_voltage = -65.0;
  self->reset_recovery = 8.0;
  if (spk_neuron_kind_is_wrapper (kind))
    self->base = spk_neuron_type_new (SPK_NEURON_LIF_RATE);
  return self;
}

SpkNeuronType *
spk_neuron_type_new_wrapping (SpkNeuronKind  kind,
                              SpkNeuronType *base)
{
  SpkNeuronType *self = spk_neuron_type_new (kind);

  g_return_val_if_fail (spk_neuron_kind_is_wrapper (kind), self);
  spk_neuron_type_unref (self->base);
  self->base = spk_neuron_type_ref (base);
  return self;
}

SpkNeuronType *
spk_neuron_type_copy (const SpkNeuronType *self)
{
  SpkNeuronType *copy = g_atomic_rc_box_dup (sizeof (SpkNeuronType), (gpointer) self);

  if (copy->base)
    spk_neuron_type_ref (copy->base);
  for (guint i = 0; i < SPK_NEURON_MAX_STATES; i++)
    if (copy->initial_state[i])
      spk_distribution_ref (copy->initial_state[i]);
  return copy;
}

SpkNeuronType *
spk_neuron_type_ref (SpkNeuronType *self)
{
  return g_atomic_rc_box_acquire (self);
}

void
spk_neuron_type_unref (SpkNeuronType *self)
{
  if (self != NULL)
    g_atomic_rc_box_release_full (self, neuron_type_clear);
}

gboolean
spk_neuron_type_equal (const SpkNeuronType *a,
                       const SpkNeuronType *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL || a->kind != b->kind)
    return FALSE;
  for (const SpkNeuronParam *p = spk_neuron_kind_params (a->kind); p->name; p++)
    if (spk_neuron_type_get_param (a, p) != spk_neuron_type_get_param (b, p))
      return FALSE;
  for (guint i = 0; i < SPK_NEURON_MAX_STATES; i++)
    if (!spk_distribution_equal (a->initial_state[i], b->initial_state[i]))
      return FALSE;
  return spk_neuron_type_equal (a->base, b->base);
}

const char *
spk_neuron_kind_to_name (SpkNeuronKind kind)
{
  g_return_val_if_fail (kind < SPK_NEURON_N_KINDS, NULL);
  return kinds[kind].name;
}

gboolean
spk_neuron_kind_from_name (const char    *name,
                           SpkNeuronKind *kind)
{
  for (guint i = 0; i < SPK_NEURON_N_KINDS; i++)
    if (g_strcmp0 (name, kinds[i].name) == 0)
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
spk_neuron_kind_is_wrapper (SpkNeuronKind kind)
{
  return kind == SPK_NEURON_REGULAR_SPIKING || kind == SPK_NEURON_POISSON_SPIKING
         || kind == SPK_NEURON_STOCHASTIC_SPIKING;
}

gboolean
spk_neuron_kind_draws (SpkNeuronKind kind)
{
  return kind == SPK_NEURON_POISSON_SPIKING || kind == SPK_NEURON_STOCHASTIC_SPIKING;
}

gboolean
spk_neuron_kind_is_direct (SpkNeuronKind kind)
{
  return kind == SPK_NEURON_DIRECT;
}

gboolean
spk_neuron_type_is_spiking (const SpkNeuronType *self)
{
  return kinds[self->kind].spiking;
}

const SpkNeuronParam *
spk_neuron_kind_params (SpkNeuronKind kind)
{
  g_return_val_if_fail (kind < SPK_NEURON_N_KINDS, NULL);
  return kinds[kind].params;
}

const SpkNeuronParam *
spk_neuron_kind_find_param (SpkNeuronKind  kind,
                            const char    *name)
{
  for (const SpkNeuronParam *p = spk_neuron_kind_params (kind); p->name; p++)
    if (g_strcmp0 (p->name, name) == 0)
      return p;
  return NULL;
}

double
spk_neuron_type_get_param (const SpkNeuronType  *self,
                           const SpkNeuronParam *param)
{
  return *(const double *) ((const char *) self + param->offset);
}

void
spk_neuron_type_set_param (SpkNeuronType        *self,
                           const SpkNeuronParam *param,
                           double                value)
{
  *(double *) ((char *) self + param->offset) = value;
}

guint
spk_neuron_type_state_names (const SpkNeuronType  *self,
                             const char          **names)
{
  guint n = 0;

  while (kinds[self->kind].states[n] != NULL)
    {
      if (names)
        names[n] = kinds[self->kind].states[n];
      n++;
    }
  return n;
}

int
spk_neuron_type_find_state (const SpkNeuronType *self,
                            const char          *name)
{
  for (int i = 0; kinds[self->kind].states[i] != NULL; i++)
    if (g_strcmp0 (kinds[self->kind].states[i], name) == 0)
      return i;
  return -1;
}

gboolean
spk_neuron_type_validate (const SpkNeuronType  *self,
                          GError              **error)
{
  const char *name = kinds[self->kind].name;

  for (const SpkNeuronParam *p = spk_neuron_kind_params (self->kind); p->name; p++)
    {
      double v = spk_neuron_type_get_param (self, p);

      if (!isfinite (v))
        {
          g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                       "%s.%s must be a finite number", name, p->name);
          return FALSE;
        }
      if (g_str_has_prefix (p->name, "tau") && !(v > 0.0) && g_strcmp0 (p->name, "tau_ref") != 0)
        {
          g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                       "%s.%s must be positive (got %g)", name, p->name, v);
          return FALSE;
        }
      if (g_strcmp0 (p->name, "tau_ref") == 0 && v < 0.0)
        {
          g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                       "%s.tau_ref must not be negative (got %g)", name, v);
          return FALSE;
        }
    }
  if (spk_neuron_kind_is_wrapper (self->kind))
    {
      if (self->base == NULL || spk_neuron_type_is_spiking (self->base)
          || spk_neuron_kind_is_wrapper (self->base->kind) || spk_neuron_kind_is_direct (self->base->kind))
        {
          g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                       "%s needs a rate neuron type as its base", name);
          return FALSE;
        }
      return spk_neuron_type_validate (self->base, error);
    }
  return TRUE;
}
