/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-probe.c — a Probe: records a signal of its target (decoded value, output, input, voltage) with its own synapse and sampling interval. */
#define G_LOG_DOMAIN "spk-probe"

#include "spk-probe.h"
#include "model/spk-object-private.h"

#include <glib/gi18n-lib.h>

struct _SpkProbe
{
  SpkObject parent_instance;

  SpkObject *target;
  gboolean target_neurons;
  SpkSlice *slice;
  char *attr;
  SpkSynapse *synapse;
  double sample_every;
  SpkSolver *solver;
};

G_DEFINE_FINAL_TYPE (SpkProbe, spk_probe, SPK_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_TARGET,
  PROP_TARGET_NEURONS,
  PROP_SLICE,
  PROP_ATTR,
  PROP_SYNAPSE,
  PROP_SAMPLE_EVERY,
  PROP_SOLVER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

SpkProbe *
spk_probe_new (void)
{
  return g_object_new (SPK_TYPE_PROBE, NULL);
}

static void
spk_probe_finalize (GObject *object)
{
  SpkProbe *self = SPK_PROBE (object);

  g_clear_object (&self->target);
  g_clear_pointer (&self->slice, spk_slice_unref);
  g_free (self->attr);
  g_clear_pointer (&self->synapse, spk_synapse_unref);
  g_clear_pointer (&self->solver, spk_solver_unref);
  G_OBJECT_CLASS (spk_probe_parent_class)->finalize (object);
}

static void
spk_probe_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  SpkProbe *self = SPK_PROBE (object);

  switch (prop_id)
    {
    case PROP_TARGET:
      g_value_set_object (value, self->target);
      break;
    case PROP_TARGET_NEURONS:
      g_value_set_boolean (value, self->target_neurons);
      break;
    case PROP_SLICE:
      g_value_set_boxed (value, self->slice);
      break;
    case PROP_ATTR:
      g_value_set_string (value, self->attr);
      break;
    case PROP_SYNAPSE:
      g_value_set_boxed (value, self->synapse);
      break;
    case PROP_SAMPLE_EVERY:
      g_value_set_double (value, self->sample_every);
      break;
    case PROP_SOLVER:
      g_value_set_boxed (value, self->solver);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
spk_probe_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  SpkProbe *self = SPK_PROBE (object);

  switch (prop_id)
    {
    case PROP_TARGET:
      spk_probe_set_target (self, g_value_get_object (value));
      break;
    case PROP_TARGET_NEURONS:
      spk_probe_set_target_neurons (self, g_value_get_boolean (value));
      break;
    case PROP_SLICE:
      spk_probe_set_slice (self, g_value_get_boxed (value));
      break;
    case PROP_ATTR:
      spk_probe_set_attr (self, g_value_get_string (value));
      break;
    case PROP_SYNAPSE:
      spk_probe_set_synapse (self, g_value_get_boxed (value));
      break;
    case PROP_SAMPLE_EVERY:
      spk_probe_set_sample_every (self, g_value_get_double (value));
      break;
    case PROP_SOLVER:
      spk_probe_set_solver (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
spk_probe_class_init (SpkProbeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = spk_probe_finalize;
  object_class->get_property = spk_probe_get_property;
  object_class->set_property = spk_probe_set_property;
  SPK_OBJECT_CLASS (klass)->type_name = "probe";

  properties[PROP_TARGET] =
    g_param_spec_object ("target", N_("Target"), N_("The object whose signal is recorded"),
                         SPK_TYPE_OBJECT, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TARGET_NEURONS] =
    g_param_spec_boolean ("target-neurons", N_("Of neurons"), N_("Record the target ensemble's neurons"),
                         FALSE, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SLICE] =
    g_param_spec_boxed ("slice", N_("Slice"), N_("Which dimensions to record; empty records all"),
                         SPK_TYPE_SLICE, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ATTR] =
    g_param_spec_string ("attr", N_("Attribute"), N_("What to record: decoded_output, output, input or voltage; empty for the target's default"),
                         NULL, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNAPSE] =
    g_param_spec_boxed ("synapse", N_("Synapse"), N_("A filter applied before recording; none records the raw signal"),
                         SPK_TYPE_SYNAPSE, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SAMPLE_EVERY] =
    g_param_spec_double ("sample-every", N_("Sample every"), N_("Seconds between samples; 0 records every step"),
                         0, G_MAXDOUBLE, 0, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOLVER] =
    g_param_spec_boxed ("solver", N_("Solver"), N_("How decoders are solved for a decoded_output probe"),
                         SPK_TYPE_SOLVER, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
spk_probe_init (SpkProbe *self)
{
  self->target_neurons = FALSE;
  self->sample_every = 0;
  self->solver = spk_solver_new (SPK_SOLVER_LSTSQ_L2, 0.1);
}

SpkObject *
spk_probe_get_target (SpkProbe *self)
{
  g_return_val_if_fail (SPK_IS_PROBE (self), NULL);
  return self->target;
}

void
spk_probe_set_target (SpkProbe *self,
                     SpkObject *target)
{
  g_return_if_fail (SPK_IS_PROBE (self));
  if (g_set_object (&self->target, target))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TARGET]);
}

gboolean 
spk_probe_get_target_neurons (SpkProbe *self)
{
  g_return_val_if_fail (SPK_IS_PROBE (self), 0);
  return self->target_neurons;
}

void
spk_probe_set_target_neurons (SpkProbe *self,
                             gboolean target_neurons)
{
  g_return_if_fail (SPK_IS_PROBE (self));
  if (self->target_neurons == target_neurons)
    return;
  self->target_neurons = target_neurons;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TARGET_NEURONS]);
}

SpkSlice *
spk_probe_get_slice (SpkProbe *self)
{
  g_return_val_if_fail (SPK_IS_PROBE (self), NULL);
  return self->slice;
}

void
spk_probe_set_slice (SpkProbe *self,
                    SpkSlice *slice)
{
  g_return_if_fail (SPK_IS_PROBE (self));
  _spk_object_set_boxed (G_OBJECT (self), (gpointer *) &self->slice, slice, SPK_TYPE_SLICE,
                         (GEqualFunc) spk_slice_equal, properties[PROP_SLICE]);
}

const char *
spk_probe_get_attr (SpkProbe *self)
{
  g_return_val_if_fail (SPK_IS_PROBE (self), NULL);
  return self->attr;
}

void
spk_probe_set_attr (SpkProbe *self,
                   const char *attr)
{
  g_return_if_fail (SPK_IS_PROBE (self));
  _spk_object_set_string (G_OBJECT (self), &self->attr, attr, properties[PROP_ATTR]);
}

SpkSynapse *
spk_probe_get_synapse (SpkProbe *self)
{
  g_return_val_if_fail (SPK_IS_PROBE (self), NULL);
  return self->synapse;
}

void
spk_probe_set_synapse (SpkProbe *self,
                      SpkSynapse *synapse)
{
  g_return_if_fail (SPK_IS_PROBE (self));
  _spk_object_set_boxed (G_OBJECT (self), (gpointer *) &self->synapse, synapse, SPK_TYPE_SYNAPSE,
                         (GEqualFunc) spk_synapse_equal, properties[PROP_SYNAPSE]);
}

double 
spk_probe_get_sample_every (SpkProbe *self)
{
  g_return_val_if_fail (SPK_IS_PROBE (self), 0);
  return self->sample_every;
}

void
spk_probe_set_sample_every (SpkProbe *self,
                           double sample_every)
{
  g_return_if_fail (SPK_IS_PROBE (self));
  if (self->sample_every == sample_every)
    return;
  self->sample_every = sample_every;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAMPLE_EVERY]);
}

SpkSolver *
spk_probe_get_solver (SpkProbe *self)
{
  g_return_val_if_fail (SPK_IS_PROBE (self), NULL);
  return self->solver;
}

void
spk_probe_set_solver (SpkProbe *self,
                     SpkSolver *solver)
{
  g_return_if_fail (SPK_IS_PROBE (self));
  _spk_object_set_boxed (G_OBJECT (self), (gpointer *) &self->solver, solver, SPK_TYPE_SOLVER,
                         (GEqualFunc) spk_solver_equal, properties[PROP_SOLVER]);
}

