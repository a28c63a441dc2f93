/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-synapse.c — synapses as values: construction, naming, validation. */
#define G_LOG_DOMAIN "spk-synapse"

#include "spk-synapse.h"

#include <math.h>

#include "core/spk-error.h"
#include "core/spk-names.h"

G_DEFINE_BOXED_TYPE (SpkSynapse, spk_synapse, spk_synapse_ref, spk_synapse_unref)

static void
synapse_clear (gpointer data)
{
  SpkSynapse *self = data;

  spk_array_unref (self->num);
  spk_array_unref (self->den);
}

static SpkSynapse *
synapse_new (SpkSynapseKind kind,
             double         tau)
{
  SpkSynapse *self = g_atomic_rc_box_new0 (SpkSynapse);

  self->kind = kind;
  self->tau = tau;
  return self;
}

SpkSynapse *
spk_synapse_new_lowpass (double tau)
{
  return synapse_new (SPK_SYNAPSE_LOWPASS, tau);
}

SpkSynapse *
spk_synapse_new_alpha (double tau)
{
  return synapse_new (SPK_SYNAPSE_ALPHA, tau);
}

SpkSynapse *
spk_synapse_new_triangle (double t)
{
  return synapse_new (SPK_SYNAPSE_TRIANGLE, t);
}

SpkSynapse *
spk_synapse_new_linear_filter (SpkArray *num,
                               SpkArray *den)
{
  return spk_synapse_new_linear_filter_full (num, den, TRUE);
}

SpkSynapse *
spk_synapse_new_linear_filter_full (SpkArray *num,
                                    SpkArray *den,
                                    gboolean  analog)
{
  SpkSynapse *self = synapse_new (SPK_SYNAPSE_LINEAR_FILTER, 0.0);

  self->num = spk_array_ref (num);
  self->den = spk_array_ref (den);
  self->analog = analog;
  return self;
}

SpkSynapse *
spk_synapse_ref (SpkSynapse *self)
{
  return g_atomic_rc_box_acquire (self);
}

void
spk_synapse_unref (SpkSynapse *self)
{
  if (self != NULL)
    g_atomic_rc_box_release_full (self, synapse_clear);
}

gboolean
spk_synapse_equal (const SpkSynapse *a,
                   const SpkSynapse *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  return a->kind == b->kind && a->tau == b->tau && !a->analog == !b->analog
         && spk_array_equal (a->num, b->num) && spk_array_equal (a->den, b->den);
}

static const char *const kind_names[] = {
  [SPK_SYNAPSE_LOWPASS] = "Lowpass",
  [SPK_SYNAPSE_ALPHA] = "Alpha",
  [SPK_SYNAPSE_LINEAR_FILTER] = "LinearFilter",
  [SPK_SYNAPSE_TRIANGLE] = "Triangle",
};

G_STATIC_ASSERT (G_N_ELEMENTS (kind_names) == SPK_SYNAPSE_N_KINDS);

SPK_DEFINE_KIND_NAMES (spk_synapse_kind, SpkSynapseKind, kind_names, G_N_ELEMENTS (kind_names))

gboolean
spk_synapse_validate (const SpkSynapse  *self,
                      GError           **error)
{
  const char *name;

  if ((guint) self->kind >= SPK_SYNAPSE_N_KINDS)
    {
      g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID, "unknown synapse kind %d", (int) self->kind);
      return FALSE;
    }
  name = kind_names[self->kind];
  if (self->kind == SPK_SYNAPSE_TRIANGLE)
    {
      if (!isfinite (self->tau) || self->tau < 0.0)
        {
          g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                       "Triangle synapse t must be a non-negative number of seconds (got %g)", self->tau);
          return FALSE;
        }
      return TRUE;
    }
  if (self->kind != SPK_SYNAPSE_LINEAR_FILTER)
    {
      if (!isfinite (self->tau) || self->tau < 0.0)
        {
          g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                       "%s synapse tau must be a non-negative number (got %g)", name, self->tau);
          return FALSE;
        }
      return TRUE;
    }
  if (self->num == NULL || self->den == NULL || self->num->size == 0 || self->den->size == 0)
    {
      g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                   "LinearFilter needs non-empty num and den");
      return FALSE;
    }
  if (!spk_array_all_finite (self->num) || !spk_array_all_finite (self->den))
    {
      g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                   "LinearFilter num and den must be finite numbers");
      return FALSE;
    }
  if (self->den->data[0] == 0.0)
    {
      g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                   "LinearFilter den must not start with 0");
      return FALSE;
    }
  if (self->num->size > self->den->size)
    {
      g_set_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_INVALID,
                   "LinearFilter must be proper: num has more coefficients than den");
      return FALSE;
    }
  return TRUE;
}
