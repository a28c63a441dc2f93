/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ensemble.c — an Ensemble: n_neurons neurons representing a vector of `dimensions`, with Nengo's parameters and defaults. */
#define G_LOG_DOMAIN "spk-ensemble"

#include "spk-ensemble.h"
#include "model/spk-object-private.h"

#include <glib/gi18n-lib.h>

struct _SpkEnsemble
{
  SpkObject parent_instance;

  int n_neurons;
  int dimensions;
  double radius;
  SpkNeuronType *neuron_type;
  SpkDistribution *max_rates;
  SpkDistribution *intercepts;
  SpkDistribution *encoders;
  gboolean normalize_encoders;
  SpkDistribution *eval_points;
  int n_eval_points;
  SpkArray *gain;
  SpkArray *bias;
  SpkProcess *noise;
};

G_DEFINE_FINAL_TYPE (SpkEnsemble, spk_ensemble, SPK_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_N_NEURONS,
  PROP_DIMENSIONS,
  PROP_RADIUS,
  PROP_NEURON_TYPE,
  PROP_MAX_RATES,
  PROP_INTERCEPTS,
  PROP_ENCODERS,
  PROP_NORMALIZE_ENCODERS,
  PROP_EVAL_POINTS,
  PROP_N_EVAL_POINTS,
  PROP_GAIN,
  PROP_BIAS,
  PROP_NOISE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

SpkEnsemble *
spk_ensemble_new (void)
{
  return g_object_new (SPK_TYPE_ENSEMBLE, NULL);
}

static void
spk_ensemble_finalize (GObject *object)
{
  SpkEnsemble *self = SPK_ENSEMBLE (object);

  g_clear_pointer (&self->neuron_type, spk_neuron_type_unref);
  g_clear_pointer (&self->max_rates, spk_distribution_unref);
  g_clear_pointer (&self->intercepts, spk_distribution_unref);
  g_clear_pointer (&self->encoders, spk_distribution_unref);
  g_clear_pointer (&self->eval_points, spk_distribution_unref);
  g_clear_pointer (&self->gain, spk_array_unref);
  g_clear_pointer (&self->bias, spk_array_unref);
  g_clear_pointer (&self->noise, spk_process_unref);
  G_OBJECT_CLASS (spk_ensemble_parent_class)->finalize (object);
}

static void
spk_ensemble_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SpkEnsemble *self = SPK_ENSEMBLE (object);

  switch (prop_id)
    {
    case PROP_N_NEURONS:
      g_value_set_int (value, self->n_neurons);
      break;
    case PROP_DIMENSIONS:
      g_value_set_int (value, self->dimensions);
      break;
    case PROP_RADIUS:
      g_value_set_double (value, self->radius);
      break;
    case PROP_NEURON_TYPE:
      g_value_set_boxed (value, self->neuron_type);
      break;
    case PROP_MAX_RATES:
      g_value_set_boxed (value, self->max_rates);
      break;
    case PROP_INTERCEPTS:
      g_value_set_boxed (value, self->intercepts);
      break;
    case PROP_ENCODERS:
      g_value_set_boxed (value, self->encoders);
      break;
    case PROP_NORMALIZE_ENCODERS:
      g_value_set_boolean (value, self->normalize_encoders);
      break;
    case PROP_EVAL_POINTS:
      g_value_set_boxed (value, self->eval_points);
      break;
    case PROP_N_EVAL_POINTS:
      g_value_set_int (value, self->n_eval_points);
      break;
    case PROP_GAIN:
      g_value_set_boxed (value, self->gain);
      break;
    case PROP_BIAS:
      g_value_set_boxed (value, self->bias);
      break;
    case PROP_NOISE:
      g_value_set_boxed (value, self->noise);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
spk_ensemble_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SpkEnsemble *self = SPK_ENSEMBLE (object);

  switch (prop_id)
    {
    case PROP_N_NEURONS:
      spk_ensemble_set_n_neurons (self, g_value_get_int (value));
      break;
    case PROP_DIMENSIONS:
      spk_ensemble_set_dimensions (self, g_value_get_int (value));
      break;
    case PROP_RADIUS:
      spk_ensemble_set_radius (self, g_value_get_double (value));
      break;
    case PROP_NEURON_TYPE:
      spk_ensemble_set_neuron_type (self, g_value_get_boxed (value));
      break;
    case PROP_MAX_RATES:
      spk_ensemble_set_max_rates (self, g_value_get_boxed (value));
      break;
    case PROP_INTERCEPTS:
      spk_ensemble_set_intercepts (self, g_value_get_boxed (value));
      break;
    case PROP_ENCODERS:
      spk_ensemble_set_encoders (self, g_value_get_boxed (value));
      break;
    case PROP_NORMALIZE_ENCODERS:
      spk_ensemble_set_normalize_encoders (self, g_value_get_boolean (value));
      break;
    case PROP_EVAL_POINTS:
      spk_ensemble_set_eval_points (self, g_value_get_boxed (value));
      break;
    case PROP_N_EVAL_POINTS:
      spk_ensemble_set_n_eval_points (self, g_value_get_int (value));
      break;
    case PROP_GAIN:
      spk_ensemble_set_gain (self, g_value_get_boxed (value));
      break;
    case PROP_BIAS:
      spk_ensemble_set_bias (self, g_value_get_boxed (value));
      break;
    case PROP_NOISE:
      spk_ensemble_set_noise (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
spk_ensemble_class_init (SpkEnsembleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = spk_ensemble_finalize;
  object_class->get_property = spk_ensemble_get_property;
  object_class->set_property = spk_ensemble_set_property;
  SPK_OBJECT_CLASS (klass)->type_name = "ensemble";

  properties[PROP_N_NEURONS] =
    g_param_spec_int ("n-neurons", N_("Neurons"), N_("Number of neurons"),
                         1, G_MAXINT, 50, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIMENSIONS] =
    g_param_spec_int ("dimensions", N_("Dimensions"), N_("Dimensions of the represented vector"),
                         1, G_MAXINT, 1, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RADIUS] =
    g_param_spec_double ("radius", N_("Radius"), N_("The magnitude of vectors the ensemble represents well"),
                         -G_MAXDOUBLE, G_MAXDOUBLE, 1.0, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEURON_TYPE] =
    g_param_spec_boxed ("neuron-type", N_("Neuron type"), N_("The neuron model and its parameters"),
                         SPK_TYPE_NEURON_TYPE, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_RATES] =
    g_param_spec_boxed ("max-rates", N_("Maximum rates"), N_("Firing rate of each neuron at the edge of its preferred direction (Hz)"),
                         SPK_TYPE_DISTRIBUTION, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INTERCEPTS] =
    g_param_spec_boxed ("intercepts", N_("Intercepts"), N_("Where along its preferred direction each neuron starts firing"),
                         SPK_TYPE_DISTRIBUTION, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENCODERS] =
    g_param_spec_boxed ("encoders", N_("Encoders"), N_("Preferred direction of each neuron"),
                         SPK_TYPE_DISTRIBUTION, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NORMALIZE_ENCODERS] =
    g_param_spec_boolean ("normalize-encoders", N_("Normalize encoders"), N_("Scale encoders to unit length"),
                         TRUE, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EVAL_POINTS] =
    g_param_spec_boxed ("eval-points", N_("Evaluation points"), N_("Points at which decoders are solved"),
                         SPK_TYPE_DISTRIBUTION, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_EVAL_POINTS] =
    g_param_spec_int ("n-eval-points", N_("Number of evaluation points"), N_("-1 chooses Nengo's default from dimensions and neurons"),
                         -1, G_MAXINT, -1, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GAIN] =
    g_param_spec_boxed ("gain", N_("Gain"), N_("Explicit gain per neuron; overrides max_rates and intercepts"),
                         SPK_TYPE_ARRAY, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BIAS] =
    g_param_spec_boxed ("bias", N_("Bias"), N_("Explicit bias current per neuron; overrides max_rates and intercepts"),
                         SPK_TYPE_ARRAY, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOISE] =
    g_param_spec_boxed ("noise", N_("Noise"), N_("A process added to the neurons' input current each step"),
                         SPK_TYPE_PROCESS, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
spk_ensemble_init (SpkEnsemble *self)
{
  self->n_neurons = 50;
  self->dimensions = 1;
  self->radius = 1.0;
  self->normalize_encoders = TRUE;
  self->n_eval_points = -1;
  self->neuron_type = spk_neuron_type_new (SPK_NEURON_LIF);
  self->max_rates = spk_distribution_new_uniform (200.0, 400.0);
  self->intercepts = spk_distribution_new_uniform (-1.0, 0.9);
  self->encoders = spk_distribution_new_hypersphere (TRUE, TRUE);
  self->eval_points = spk_distribution_new_hypersphere (TRUE, FALSE);
}

int 
spk_ensemble_get_n_neurons (SpkEnsemble *self)
{
  g_return_val_if_fail (SPK_IS_ENSEMBLE (self), 0);
  return self->n_neurons;
}

void
spk_ensemble_set_n_neurons (SpkEnsemble *self,
                           int n_neurons)
{
  g_return_if_fail (SPK_IS_ENSEMBLE (self));
  if (self->n_neurons == n_neurons)
    return;
  self->n_neurons = n_neurons;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_NEURONS]);
}

int 
spk_ensemble_get_dimensions (SpkEnsemble *self)
{
  g_return_val_if_fail (SPK_IS_ENSEMBLE (self), 0);
  return self->dimensions;
}

void
spk_ensemble_set_dimensions (SpkEnsemble *self,
                            int dimensions)
{
  g_return_if_fail (SPK_IS_ENSEMBLE (self));
  if (self->dimensions == dimensions)
    return;
  self->dimensions = dimensions;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIMENSIONS]);
}

double 
spk_ensemble_get_radius (SpkEnsemble *self)
{
  g_return_val_if_fail (SPK_IS_ENSEMBLE (self), 0);
  return self->radius;
}

void
spk_ensemble_set_radius (SpkEnsemble *self,
                        double radius)
{
  g_return_if_fail (SPK_IS_ENSEMBLE (self));
  if (self->radius == radius)
    return;
  self->radius = radius;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RADIUS]);
}

SpkNeuronType *
spk_ensemble_get_neuron_type (SpkEnsemble *self)
{
  g_return_val_if_fail (SPK_IS_ENSEMBLE (self), NULL);
  return self->neuron_type;
}

void
spk_ensemble_set_neuron_type (SpkEnsemble *self,
                             SpkNeuronType *neuron_type)
{
  g_return_if_fail (SPK_IS_ENSEMBLE (self));
  _spk_object_set_boxed (G_OBJECT (self), (gpointer *) &self->neuron_type, neuron_type, SPK_TYPE_NEURON_TYPE,
                         (GEqualFunc) spk_neuron_type_equal, properties[PROP_NEURON_TYPE]);
}

SpkDistribution *
spk_ensemble_get_max_rates (SpkEnsemble *self)
{
  g_return_val_if_fail (SPK_IS_ENSEMBLE (self), NULL);
  return self->max_rates;
}

void
spk_ensemble_set_max_rates (SpkEnsemble *self,
                           SpkDistribution *max_rates)
{
  g_return_if_fail (SPK_IS_ENSEMBLE (self));
  _spk_object_set_boxed (G_OBJECT (self), (gpointer *) &self->max_rates, max_rates, SPK_TYPE_DISTRIBUTION,
                         (GEqualFunc) spk_distribution_equal, properties[PROP_MAX_RATES]);
}

SpkDistribution *
spk_ensemble_get_intercepts (SpkEnsemble *self)
{
  g_return_val_if_fail (SPK_IS_ENSEMBLE (self), NULL);
  return self->intercepts;
}

void
spk_ensemble_set_intercepts (SpkEnsemble *self,
                            SpkDistribution *intercepts)
{
  g_return_if_fail (SPK_IS_ENSEMBLE (self));
  _spk_object_set_boxed (G_OBJECT (self), (gpointer *) &self->intercepts, intercepts, SPK_TYPE_DISTRIBUTION,
                         (GEqualFunc) spk_distribution_equal, properties[PROP_INTERCEPTS]);
}

SpkDistribution *
spk_ensemble_get_encoders (SpkEnsemble *self)
{
  g_return_val_if_fail (SPK_IS_ENSEMBLE (self), NULL);
  return self->encoders;
}

void
spk_ensemble_set_encoders (SpkEnsemble *self,
                          SpkDistribution *encoders)
{
  g_return_if_fail (SPK_IS_ENSEMBLE (self));
  _spk_object_set_boxed (G_OBJECT (self), (gpointer *) &self->encoders, encoders, SPK_TYPE_DISTRIBUTION,
                         (GEqualFunc) spk_distribution_equal, properties[PROP_ENCODERS]);
}

gboolean 
spk_ensemble_get_normalize_encoders (SpkEnsemble *self)
{
  g_return_val_if_fail (SPK_IS_ENSEMBLE (self), 0);
  return self->normalize_encoders;
}

void
spk_ensemble_set_normalize_encoders (SpkEnsemble *self,
                                    gboolean normalize_encoders)
{
  g_return_if_fail (SPK_IS_ENSEMBLE (self));
  if (self->normalize_encoders == normalize_encoders)
    return;
  self->normalize_encoders = normalize_encoders;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NORMALIZE_ENCODERS]);
}

SpkDistribution *
spk_ensemble_get_eval_points (SpkEnsemble *self)
{
  g_return_val_if_fail (SPK_IS_ENSEMBLE (self), NULL);
  return self->eval_points;
}

void
spk_ensemble_set_eval_points (SpkEnsemble *self,
                             SpkDistribution *eval_points)
{
  g_return_if_fail (SPK_IS_ENSEMBLE (self));
  _spk_object_set_boxed (G_OBJECT (self), (gpointer *) &self->eval_points, eval_points, SPK_TYPE_DISTRIBUTION,
                         (GEqualFunc) spk_distribution_equal, properties[PROP_EVAL_POINTS]);
}

int 
spk_ensemble_get_n_eval_points (SpkEnsemble *self)
{
  g_return_val_if_fail (SPK_IS_ENSEMBLE (self), 0);
  return self->n_eval_points;
}

void
spk_ensemble_set_n_eval_points (SpkEnsemble *self,
                               int n_eval_points)
{
  g_return_if_fail (SPK_IS_ENSEMBLE (self));
  if (self->n_eval_points == n_eval_points)
    return;
  self->n_eval_points = n_eval_points;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_EVAL_POINTS]);
}

SpkArray *
spk_ensemble_get_gain (SpkEnsemble *self)
{
  g_return_val_if_fail (SPK_IS_ENSEMBLE (self), NULL);
  return self->gain;
}

void
spk_ensemble_set_gain (SpkEnsemble *self,
                      SpkArray *gain)
{
  g_return_if_fail (SPK_IS_ENSEMBLE (self));
  _spk_object_set_boxed (G_OBJECT (self), (gpointer *) &self->gain, gain, SPK_TYPE_ARRAY,
                         (GEqualFunc) spk_array_equal, properties[PROP_GAIN]);
}

SpkArray *
spk_ensemble_get_bias (SpkEnsemble *self)
{
  g_return_val_if_fail (SPK_IS_ENSEMBLE (self), NULL);
  return self->bias;
}

void
spk_ensemble_set_bias (SpkEnsemble *self,
                      SpkArray *bias)
{
  g_return_if_fail (SPK_IS_ENSEMBLE (self));
  _spk_object_set_boxed (G_OBJECT (self), (gpointer *) &self->bias, bias, SPK_TYPE_ARRAY,
                         (GEqualFunc) spk_array_equal, properties[PROP_BIAS]);
}

SpkProcess *
spk_ensemble_get_noise (SpkEnsemble *self)
{
  g_return_val_if_fail (SPK_IS_ENSEMBLE (self), NULL);
  return self->noise;
}

void
spk_ensemble_set_noise (SpkEnsemble *self,
                        SpkProcess  *noise)
{
  g_return_if_fail (SPK_IS_ENSEMBLE (self));
  _spk_object_set_boxed (G_OBJECT (self), (gpointer *) &self->noise, noise, SPK_TYPE_PROCESS,
                         (GEqualFunc) spk_process_equal, properties[PROP_NOISE]);
}
