/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-subnetwork.c — a sub-network: label, seed, config and, for Nengo's
 * built-in networks, the kind and its parameters (see the header). */
#define G_LOG_DOMAIN "spk-subnetwork"

#include "spk-subnetwork.h"
#include "core/spk-array.h"
#include "model/spk-object-private.h"
#include "model/spk-synapse.h"

#include <glib/gi18n-lib.h>

struct _SpkSubnetwork
{
  SpkObject parent_instance;

  char       *kind;
  JsonObject *config;
  int         n_neurons;
  int         n_ensembles;
  int         ens_dimensions;
  int         dimensions;
  double      input_magnitude;
  double      recurrent_tau;
  double      frequency;
  int         n_neurons_per_ensemble;
  double      output_weight;
  double      input_bias;
  double      mutual_inhib;
  double      feedback;
  double      difference_gain;
  gboolean    invert_a;
  gboolean    invert_b;
  gboolean    inhibitable;
  SpkSynapse *recurrent_synapse;
  SpkSynapse *difference_synapse;
  SpkSynapse *ampa_synapse;
  SpkSynapse *gaba_synapse;
  SpkArray   *threshold;
  SpkArray   *input_vectors;
  SpkArray   *output_vectors;
  SpkArray   *input_scales;
  JsonNode   *input_mappings;
  JsonNode   *output_mappings;
  JsonNode   *default_output_vectors;
  JsonNode   *wta_network;
  JsonNode   *threshold_outputs;
};

G_DEFINE_FINAL_TYPE (SpkSubnetwork, spk_subnetwork, SPK_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_KIND,
  PROP_N_NEURONS,
  PROP_N_ENSEMBLES,
  PROP_ENS_DIMENSIONS,
  PROP_DIMENSIONS,
  PROP_INPUT_MAGNITUDE,
  PROP_RECURRENT_TAU,
  PROP_FREQUENCY,
  PROP_N_NEURONS_PER_ENSEMBLE,
  PROP_OUTPUT_WEIGHT,
  PROP_INPUT_BIAS,
  PROP_MUTUAL_INHIB,
  PROP_FEEDBACK,
  PROP_DIFFERENCE_GAIN,
  PROP_INVERT_A,
  PROP_INVERT_B,
  PROP_INHIBITABLE,
  PROP_RECURRENT_SYNAPSE,
  PROP_DIFFERENCE_SYNAPSE,
  PROP_AMPA_SYNAPSE,
  PROP_GABA_SYNAPSE,
  PROP_THRESHOLD,
  PROP_INPUT_VECTORS,
  PROP_OUTPUT_VECTORS,
  PROP_INPUT_SCALES,
  PROP_INPUT_MAPPINGS,
  PROP_OUTPUT_MAPPINGS,
  PROP_DEFAULT_OUTPUT_VECTORS,
  PROP_WTA_NETWORK,
  PROP_THRESHOLD_OUTPUTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

SpkSubnetwork *
spk_subnetwork_new (void)
{
  return g_object_new (SPK_TYPE_SUBNETWORK, NULL);
}

static SpkSynapse **synapse_field (SpkSubnetwork *self,
                                   guint          prop_id);
static SpkArray **array_field (SpkSubnetwork *self,
                               guint          prop_id);
static JsonNode **json_field (SpkSubnetwork *self,
                              guint          prop_id);

static void
spk_subnetwork_finalize (GObject *object)
{
  SpkSubnetwork *self = SPK_SUBNETWORK (object);

  g_free (self->kind);
  g_clear_pointer (&self->config, json_object_unref);
  for (guint prop_id = 1; prop_id < N_PROPS; prop_id++)
    {
      if (synapse_field (self, prop_id))
        g_clear_pointer (synapse_field (self, prop_id), spk_synapse_unref);
      if (array_field (self, prop_id))
        g_clear_pointer (array_field (self, prop_id), spk_array_unref);
      if (json_field (self, prop_id))
        g_clear_pointer (json_field (self, prop_id), json_node_unref);
    }
  G_OBJECT_CLASS (spk_subnetwork_parent_class)->finalize (object);
}

static int *
int_field (SpkSubnetwork *self,
           guint          prop_id)
{
  switch (prop_id)
    {
    case PROP_N_NEURONS: return &self->n_neurons;
    case PROP_N_ENSEMBLES: return &self->n_ensembles;
    case PROP_ENS_DIMENSIONS: return &self->ens_dimensions;
    case PROP_DIMENSIONS: return &self->dimensions;
    case PROP_N_NEURONS_PER_ENSEMBLE: return &self->n_neurons_per_ensemble;
    default: return NULL;
    }
}

static double *
double_field (SpkSubnetwork *self,
              guint          prop_id)
{
  switch (prop_id)
    {
    case PROP_INPUT_MAGNITUDE: return &self->input_magnitude;
    case PROP_RECURRENT_TAU: return &self->recurrent_tau;
    case PROP_FREQUENCY: return &self->frequency;
    case PROP_OUTPUT_WEIGHT: return &self->output_weight;
    case PROP_INPUT_BIAS: return &self->input_bias;
    case PROP_MUTUAL_INHIB: return &self->mutual_inhib;
    case PROP_FEEDBACK: return &self->feedback;
    case PROP_DIFFERENCE_GAIN: return &self->difference_gain;
    default: return NULL;
    }
}

static gboolean *
bool_field (SpkSubnetwork *self,
            guint          prop_id)
{
  switch (prop_id)
    {
    case PROP_INVERT_A: return &self->invert_a;
    case PROP_INVERT_B: return &self->invert_b;
    case PROP_INHIBITABLE: return &self->inhibitable;
    default: return NULL;
    }
}

static SpkSynapse **
synapse_field (SpkSubnetwork *self,
               guint          prop_id)
{
  switch (prop_id)
    {
    case PROP_RECURRENT_SYNAPSE: return &self->recurrent_synapse;
    case PROP_DIFFERENCE_SYNAPSE: return &self->difference_synapse;
    case PROP_AMPA_SYNAPSE: return &self->ampa_synapse;
    case PROP_GABA_SYNAPSE: return &self->gaba_synapse;
    default: return NULL;
    }
}

static SpkArray **
array_field (SpkSubnetwork *self,
             guint          prop_id)
{
  switch (prop_id)
    {
    case PROP_THRESHOLD: return &self->threshold;
    case PROP_INPUT_VECTORS: return &self->input_vectors;
    case PROP_OUTPUT_VECTORS: return &self->output_vectors;
    case PROP_INPUT_SCALES: return &self->input_scales;
    default: return NULL;
    }
}

/* AssociativeMemory's add-ons: lists and objects of the model file's JSON,
 * as Nengo's methods take them (checked and used by the model reader). */
static JsonNode **
json_field (SpkSubnetwork *self,
            guint          prop_id)
{
  switch (prop_id)
    {
    case PROP_INPUT_MAPPINGS: return &self->input_mappings;
    case PROP_OUTPUT_MAPPINGS: return &self->output_mappings;
    case PROP_DEFAULT_OUTPUT_VECTORS: return &self->default_output_vectors;
    case PROP_WTA_NETWORK: return &self->wta_network;
    case PROP_THRESHOLD_OUTPUTS: return &self->threshold_outputs;
    default: return NULL;
    }
}

static void
spk_subnetwork_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SpkSubnetwork *self = SPK_SUBNETWORK (object);

  if (prop_id == PROP_KIND)
    g_value_set_string (value, self->kind);
  else if (int_field (self, prop_id))
    g_value_set_int (value, *int_field (self, prop_id));
  else if (double_field (self, prop_id))
    g_value_set_double (value, *double_field (self, prop_id));
  else if (bool_field (self, prop_id))
    g_value_set_boolean (value, *bool_field (self, prop_id));
  else if (synapse_field (self, prop_id))
    g_value_set_boxed (value, *synapse_field (self, prop_id));
  else if (array_field (self, prop_id))
    g_value_set_boxed (value, *array_field (self, prop_id));
  else if (json_field (self, prop_id))
    g_value_set_boxed (value, *json_field (self, prop_id));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
spk_subnetwork_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SpkSubnetwork *self = SPK_SUBNETWORK (object);

  if (prop_id == PROP_KIND)
    spk_subnetwork_set_kind (self, g_value_get_string (value));
  else if (int_field (self, prop_id))
    {
      if (*int_field (self, prop_id) != g_value_get_int (value))
        {
          *int_field (self, prop_id) = g_value_get_int (value);
          g_object_notify_by_pspec (object, pspec);
        }
    }
  else if (double_field (self, prop_id))
    {
      if (*double_field (self, prop_id) != g_value_get_double (value))
        {
          *double_field (self, prop_id) = g_value_get_double (value);
          g_object_notify_by_pspec (object, pspec);
        }
    }
  else if (bool_field (self, prop_id))
    {
      if (*bool_field (self, prop_id) != g_value_get_boolean (value))
        {
          *bool_field (self, prop_id) = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
    }
  else if (synapse_field (self, prop_id))
    {
      SpkSynapse **field = synapse_field (self, prop_id);

      g_clear_pointer (field, spk_synapse_unref);
      *field = g_value_dup_boxed (value);
      g_object_notify_by_pspec (object, pspec);
    }
  else if (array_field (self, prop_id))
    {
      SpkArray **field = array_field (self, prop_id);

      g_clear_pointer (field, spk_array_unref);
      *field = g_value_dup_boxed (value);
      g_object_notify_by_pspec (object, pspec);
    }
  else if (json_field (self, prop_id))
    {
      JsonNode **field = json_field (self, prop_id);

      g_clear_pointer (field, json_node_unref);
      *field = g_value_dup_boxed (value);
      g_object_notify_by_pspec (object, pspec);
    }
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
spk_subnetwork_class_init (SpkSubnetworkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = spk_subnetwork_finalize;
  object_class->get_property = spk_subnetwork_get_property;
  object_class->set_property = spk_subnetwork_set_property;
  SPK_OBJECT_CLASS (klass)->type_name = "network";

  /* The model reader sets a kind's parameters to Nengo's defaults before
   * the file's values; each kind names the ones it has. */
  properties[PROP_KIND] =
    g_param_spec_string ("kind", N_("Kind"),
                         N_("The built-in network it is (one of Nengo's networks, such as EnsembleArray or BasalGanglia), "
                            "or none for a plain network"),
                         NULL, flags);
  properties[PROP_N_NEURONS] =
    g_param_spec_int ("n-neurons", N_("Neurons"), N_("Neurons per ensemble (for Product: per dimension, half in each of its two squares)"),
                      0, G_MAXINT, 0, flags);
  properties[PROP_N_ENSEMBLES] =
    g_param_spec_int ("n-ensembles", N_("Ensembles"), N_("How many ensembles an EnsembleArray has"),
                      0, G_MAXINT, 0, flags);
  properties[PROP_ENS_DIMENSIONS] =
    g_param_spec_int ("ens-dimensions", N_("Dimensions per ensemble"),
                      N_("The dimensions of each ensemble of an EnsembleArray"), 1, G_MAXINT, 1, flags);
  properties[PROP_DIMENSIONS] =
    g_param_spec_int ("dimensions", N_("Dimensions"), N_("The dimensions of the values the network works on"),
                      0, G_MAXINT, 0, flags);
  properties[PROP_INPUT_MAGNITUDE] =
    g_param_spec_double ("input-magnitude", N_("Input magnitude"),
                         N_("The expected magnitude of the inputs (sets the ensembles' radius)"),
                         -G_MAXDOUBLE, G_MAXDOUBLE, 1.0, flags);
  properties[PROP_RECURRENT_TAU] =
    g_param_spec_double ("recurrent-tau", N_("Recurrent tau"),
                         N_("Time constant of the recurrent connection, in seconds"),
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, flags);
  properties[PROP_FREQUENCY] =
    g_param_spec_double ("frequency", N_("Frequency"), N_("The oscillation's angular frequency, in radians per second"),
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, flags);
  properties[PROP_N_NEURONS_PER_ENSEMBLE] =
    g_param_spec_int ("n-neurons-per-ensemble", N_("Neurons per ensemble"),
                      N_("Neurons in each ensemble of BasalGanglia's and Thalamus's arrays"), 0, G_MAXINT, 0, flags);
  properties[PROP_OUTPUT_WEIGHT] =
    g_param_spec_double ("output-weight", N_("Output weight"),
                         N_("BasalGanglia: the weight of the connection from GPi to the output"),
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, flags);
  properties[PROP_INPUT_BIAS] =
    g_param_spec_double ("input-bias", N_("Input bias"), N_("BasalGanglia: a constant added to every input"),
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, flags);
  properties[PROP_MUTUAL_INHIB] =
    g_param_spec_double ("mutual-inhib", N_("Mutual inhibition"),
                         N_("Thalamus: how strongly each action inhibits the others"),
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, flags);
  properties[PROP_FEEDBACK] =
    g_param_spec_double ("feedback", N_("Feedback"),
                         N_("InputGatedMemory: the strength of the memory's recurrent connection"),
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, flags);
  properties[PROP_DIFFERENCE_GAIN] =
    g_param_spec_double ("difference-gain", N_("Difference gain"),
                         N_("InputGatedMemory: the strength of the connection from the difference to the memory"),
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, flags);
  properties[PROP_INVERT_A] =
    g_param_spec_boolean ("invert-a", N_("Invert A"),
                          N_("CircularConvolution: reverse the first input's elements (its approximate inverse)"),
                          FALSE, flags);
  properties[PROP_INVERT_B] =
    g_param_spec_boolean ("invert-b", N_("Invert B"),
                          N_("CircularConvolution: reverse the second input's elements (its approximate inverse)"),
                          FALSE, flags);
  properties[PROP_INHIBITABLE] =
    g_param_spec_boolean ("inhibitable", N_("Inhibitable"),
                          N_("AssociativeMemory: add an input that inhibits every item"), FALSE, flags);
  properties[PROP_RECURRENT_SYNAPSE] =
    g_param_spec_boxed ("recurrent-synapse", N_("Recurrent synapse"),
                        N_("InputGatedMemory: the synapse of the memory's recurrent connection"),
                        SPK_TYPE_SYNAPSE, flags);
  properties[PROP_DIFFERENCE_SYNAPSE] =
    g_param_spec_boxed ("difference-synapse", N_("Difference synapse"),
                        N_("InputGatedMemory: the synapse from the difference to the memory; none takes the recurrent synapse"),
                        SPK_TYPE_SYNAPSE, flags);
  properties[PROP_AMPA_SYNAPSE] =
    g_param_spec_boxed ("ampa-synapse", N_("AMPA synapse"),
                        N_("BasalGanglia: the synapse of the excitatory connections from STN to GPi and GPe (Nengo's ampa_config)"),
                        SPK_TYPE_SYNAPSE, flags);
  properties[PROP_GABA_SYNAPSE] =
    g_param_spec_boxed ("gaba-synapse", N_("GABA synapse"),
                        N_("BasalGanglia: the synapse of the inhibitory connections from the striatum and GPe (Nengo's gaba_config)"),
                        SPK_TYPE_SYNAPSE, flags);
  properties[PROP_THRESHOLD] =
    g_param_spec_boxed ("threshold", N_("Threshold"),
                        N_("Thalamus: the lowest intercept of its actions; AssociativeMemory: the activation each item needs, one for all or one per item"),
                        SPK_TYPE_ARRAY, flags);
  properties[PROP_INPUT_VECTORS] =
    g_param_spec_boxed ("input-vectors", N_("Input vectors"),
                        N_("AssociativeMemory: the vectors the input is compared with, one row each"),
                        SPK_TYPE_ARRAY, flags);
  properties[PROP_OUTPUT_VECTORS] =
    g_param_spec_boxed ("output-vectors", N_("Output vectors"),
                        N_("AssociativeMemory: the vector each item gives out, one row each; none gives the input vectors"),
                        SPK_TYPE_ARRAY, flags);
  properties[PROP_INPUT_SCALES] =
    g_param_spec_boxed ("input-scales", N_("Input scales"),
                        N_("AssociativeMemory: a scale for the input vectors, one for all or one per vector"),
                        SPK_TYPE_ARRAY, flags);
  properties[PROP_INPUT_MAPPINGS] =
    g_param_spec_boxed ("input-mappings", N_("Input mappings"),
                        N_("AssociativeMemory: more inputs (add_input_mapping), a list of "
                           "{\"name\", \"input_vectors\", \"input_scales\"}"),
                        JSON_TYPE_NODE, flags);
  properties[PROP_OUTPUT_MAPPINGS] =
    g_param_spec_boxed ("output-mappings", N_("Output mappings"),
                        N_("AssociativeMemory: more outputs (add_output_mapping), a list of {\"name\", \"output_vectors\"}"),
                        JSON_TYPE_NODE, flags);
  properties[PROP_DEFAULT_OUTPUT_VECTORS] =
    g_param_spec_boxed ("default-output-vectors", N_("Default output vectors"),
                        N_("AssociativeMemory: what an output gives when no item is active (add_default_output_vector), "
                           "a list of {\"output_vector\", \"output_name\", \"n_neurons\", \"min_activation_value\"}"),
                        JSON_TYPE_NODE, flags);
  properties[PROP_WTA_NETWORK] =
    g_param_spec_boxed ("wta-network", N_("Winner-take-all"),
                        N_("AssociativeMemory: mutual inhibition between the items (add_wta_network), "
                           "{\"inhibit_scale\", \"inhibit_synapse\"}; none for no inhibition"),
                        JSON_TYPE_NODE, flags);
  properties[PROP_THRESHOLD_OUTPUTS] =
    g_param_spec_boxed ("threshold-outputs", N_("Thresholded outputs"),
                        N_("AssociativeMemory: outputs through thresholding ensembles (add_threshold_to_outputs), "
                           "{\"n_neurons\", \"inhibit_scale\"}; none for the plain outputs"),
                        JSON_TYPE_NODE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
spk_subnetwork_init (SpkSubnetwork *self)
{
  self->ens_dimensions = 1;
  self->input_magnitude = 1.0;
}

const char *
spk_subnetwork_get_kind (SpkSubnetwork *self)
{
  g_return_val_if_fail (SPK_IS_SUBNETWORK (self), NULL);
  return self->kind;
}

void
spk_subnetwork_set_kind (SpkSubnetwork *self,
                         const char    *kind)
{
  g_return_if_fail (SPK_IS_SUBNETWORK (self));
  _spk_object_set_string (G_OBJECT (self), &self->kind, kind, properties[PROP_KIND]);
}

JsonObject *
spk_subnetwork_get_config (SpkSubnetwork *self)
{
  g_return_val_if_fail (SPK_IS_SUBNETWORK (self), NULL);
  return self->config;
}

void
spk_subnetwork_set_config (SpkSubnetwork *self,
                           JsonObject    *config)
{
  g_return_if_fail (SPK_IS_SUBNETWORK (self));
  if (config)
    json_object_ref (config);
  g_clear_pointer (&self->config, json_object_unref);
  self->config = config;
}

JsonObject *
spk_subnetwork_get_defaults (SpkSubnetwork *self,
                             const char    *type_name)
{
  JsonNode *node;

  g_return_val_if_fail (SPK_IS_SUBNETWORK (self), NULL);
  if (self->config == NULL || (node = json_object_get_member (self->config, type_name)) == NULL
      || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

gboolean
spk_subnetwork_contains (SpkSubnetwork *self,
                         SpkObject     *object)
{
  g_return_val_if_fail (SPK_IS_SUBNETWORK (self), FALSE);
  for (SpkObject *up = object; up != NULL; up = spk_object_get_network (up))
    if (up == SPK_OBJECT (self))
      return TRUE;
  return FALSE;
}

SpkSubnetwork *
spk_subnetwork_builtin_of (SpkObject *object)
{
  SpkSubnetwork *outermost = NULL;

  for (SpkObject *up = spk_object_get_network (object); up != NULL; up = spk_object_get_network (up))
    if (spk_subnetwork_get_kind (SPK_SUBNETWORK (up)) != NULL)
      outermost = SPK_SUBNETWORK (up);
  return outermost;
}
