/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-model-json-private.h — what the files of the model format share:
 * the loader's errors and the conversions between JSON and values. */
#pragma once

#include <json-glib/json-glib.h>

#include "core/spk-error.h"
#include "io/spk-model-json.h"
#include "model/spk-layer.h"
#include "model/spk-learning-rule.h"
#include "model/spk-subnetwork.h"

G_BEGIN_DECLS

gboolean _spk_model_json_fail (GError     **error,
                               SpkIoError   code,
                               const char  *owner,
                               const char  *format,
                               ...) G_GNUC_PRINTF (4, 5);
gboolean _spk_model_json_fail_with (GError     **error,
                                    GError      *cause,
                                    const char  *owner,
                                    const char  *what);
gboolean _spk_model_json_fail_unknown_key (GError           **error,
                                           const char        *owner,
                                           const char        *what,
                                           const char        *key,
                                           const char *const *known,
                                           gsize              n_known);
gboolean _spk_model_json_fail_unknown_kind (GError           **error,
                                            const char        *owner,
                                            const char        *what,
                                            const char        *family,
                                            const char        *name,
                                            const char *const *known,
                                            gsize              n_known);
gboolean _spk_model_json_check_members (JsonObject        *object,
                                        const char *const *known,
                                        const char        *owner,
                                        const char        *what,
                                        GError           **error);
gboolean _spk_model_json_is_number (JsonNode *node);
gboolean _spk_model_json_number_from_json (JsonNode    *node,
                                           const char  *owner,
                                           const char  *what,
                                           double      *out,
                                           GError     **error);
gboolean _spk_model_json_integer_from_json (JsonNode    *node,
                                            const char  *owner,
                                            const char  *what,
                                            gint64      *out,
                                            GError     **error);
const char *_spk_model_json_string_from_json (JsonNode    *node,
                                              const char  *owner,
                                              const char  *what,
                                              GError     **error);
SpkArray *_spk_model_json_array_from_json (JsonNode    *node,
                                           const char  *owner,
                                           const char  *what,
                                           GError     **error);
SpkArray *_spk_model_json_vector_from_json (JsonNode    *node,
                                            const char  *owner,
                                            const char  *what,
                                            GError     **error);
JsonNode *_spk_model_json_number_to_json (double value);
JsonNode *_spk_model_json_array_to_json (const SpkArray *array);
gboolean _spk_model_json_same_double (double a,
                                      double b);
gboolean _spk_model_json_read_double (JsonObject  *object,
                                      const char  *key,
                                      const char  *owner,
                                      const char  *what,
                                      double      *out,
                                      GError     **error);
gboolean _spk_model_json_read_boolean (JsonObject  *object,
                                       const char  *key,
                                       const char  *owner,
                                       const char  *what,
                                       gboolean    *out,
                                       GError     **error);
gboolean _spk_model_json_read_array (JsonObject  *object,
                                     const char  *key,
                                     gboolean     vector,
                                     const char  *owner,
                                     const char  *what,
                                     SpkArray   **out,
                                     GError     **error);
const char *_spk_model_json_read_type_name (JsonObject  *object,
                                            const char  *key,
                                            const char  *owner,
                                            const char  *what,
                                            GError     **error);
gboolean _spk_model_json_read_named_kind (JsonNode           *node,
                                          const char         *owner,
                                          const char         *what,
                                          const char         *family,
                                          const char         *shape_format,
                                          const char *const  *known,
                                          gsize               n_known,
                                          guint              *kind,
                                          JsonObject        **object,
                                          GError            **error);
char *_spk_model_json_key_from_property (const char *name);
gboolean _spk_model_json_values_equal (GParamSpec   *pspec,
                                       const GValue *a,
                                       const GValue *b);
gboolean _spk_model_json_value_from_json (GParamSpec  *pspec,
                                          JsonNode    *node,
                                          const char  *owner,
                                          const char  *what,
                                          GValue      *value,
                                          GError     **error);
JsonNode *_spk_model_json_value_to_json (GParamSpec   *pspec,
                                         const GValue *value);
SpkDistribution *_spk_model_json_distribution_from_json (JsonNode    *node,
                                                         const char  *owner,
                                                         const char  *what,
                                                         GError     **error);
JsonNode *_spk_model_json_distribution_to_json (const SpkDistribution *dist);
/* A connection's transform: a distribution or numbers, or a Sparse,
 * Convolution or ConvolutionTranspose object. */
SpkDistribution *_spk_model_json_transform_from_json (JsonNode    *node,
                                                      const char  *owner,
                                                      const char  *what,
                                                      GError     **error);
JsonNode *_spk_model_json_transform_to_json (const SpkDistribution *t);
SpkNeuronType *_spk_model_json_neuron_type_from_json (JsonNode    *node,
                                                      const char  *owner,
                                                      const char  *what,
                                                      GError     **error);
JsonNode *_spk_model_json_neuron_type_to_json (const SpkNeuronType *type);
SpkSynapse *_spk_model_json_synapse_from_json (JsonNode    *node,
                                               const char  *owner,
                                               const char  *what,
                                               GError     **error);
JsonNode *_spk_model_json_synapse_to_json (const SpkSynapse *synapse);
SpkProcess *_spk_model_json_process_from_json (JsonNode    *node,
                                               const char  *owner,
                                               const char  *what,
                                               GError     **error);
JsonNode *_spk_model_json_process_to_json (const SpkProcess *process);
SpkSolver *_spk_model_json_solver_from_json (JsonNode    *node,
                                             const char  *owner,
                                             const char  *what,
                                             GError     **error);
JsonNode *_spk_model_json_solver_to_json (const SpkSolver *solver);
SpkLearningRuleType *_spk_model_json_learning_rule_from_json (JsonNode    *node,
                                                              const char  *owner,
                                                              const char  *what,
                                                              GError     **error);
JsonNode *_spk_model_json_learning_rule_to_json (const SpkLearningRuleType *rule);
SpkSlice *_spk_model_json_slice_from_json (JsonNode    *node,
                                           const char  *owner,
                                           const char  *what,
                                           GError     **error);
void _spk_model_json_append_node (GString  *out,
                                  JsonNode *node,
                                  guint     depth);

/* A layer's "strides" (spk-model-json-layers.c): a number, or the pair
 * [rows, columns] when they differ. */
gboolean  _spk_model_json_layer_strides_from_json (SpkLayer    *layer,
                                                   JsonNode    *node,
                                                   const char  *owner,
                                                   GError     **error);
JsonNode *_spk_model_json_layer_strides_to_json   (SpkLayer    *layer);

/* Built-in networks (spk-model-json-networks.c): the table of kinds. */
gboolean _spk_model_json_network_is_param (const char     *kind,
                                           const char     *key);
gboolean _spk_model_json_network_is_any_param (const char *key);
gboolean _spk_model_json_network_check_kind (const char *kind,
                                             const char *owner,
                                             GError    **error);
/* Sets net's parameters to Nengo's defaults for kind. */
void     _spk_model_json_network_apply_defaults (SpkSubnetwork *net,
                                                 const char    *kind);
/* The property names of kind's parameters that have no default.
 * (transfer full) (element-type utf8) */
GPtrArray *_spk_model_json_network_required (const char *kind);
/* Fails naming the network (owner) and the parameter that is missing
 * from json (when not NULL) or out of range. */
gboolean _spk_model_json_network_check_params (SpkSubnetwork  *net,
                                               JsonObject     *json,
                                               const char     *owner,
                                               GError        **error);
/* The label of the object a built-in network's attribute names
 * ("thal.input" → "thal.actions.input"), or NULL. (transfer full) */
char    *_spk_model_json_network_alias (SpkNetwork *network,
                                        const char *label);
/* The objects network's kind makes, as model-file JSON; fails naming the
 * network (owner) and the parameter that is missing or out of range. */
gboolean _spk_model_json_network_objects  (SpkSubnetwork  *net,
                                           const char     *owner,
                                           JsonArray     **out,
                                           GError        **error);

/* AssociativeMemory's add-ons (spk-model-json-assoc-mem.c), read and
 * checked: a mapping (scales NULL for an output one), a default vector. */
typedef struct
{
  char     *name;
  SpkArray *vectors;   /* one row per item */
  SpkArray *scales;    /* a number or one per item */
} SpkAmMapping;

typedef struct
{
  SpkArray *vector;
  char     *output_name;
  int       n_neurons;
  double    min_activation_value;
} SpkAmDefault;

typedef struct
{
  GPtrArray *inputs;     /* SpkAmMapping */
  GPtrArray *outputs;    /* SpkAmMapping */
  GPtrArray *defaults;   /* SpkAmDefault */
  gboolean   wta;
  double     wta_inhibit_scale;
  JsonNode  *wta_synapse;
  gboolean   threshold;
  int        threshold_n_neurons;
  double     threshold_inhibit_scale;
} SpkAmAddons;

void     _spk_am_mapping_free (SpkAmMapping *mapping);
void     _spk_am_default_free (SpkAmDefault *item);
/* Fails naming the network (owner), the add-on and what is wrong; output
 * dims: the size of the "output" node.  Clear with _spk_am_addons_clear. */
gboolean _spk_am_addons_read  (SpkSubnetwork  *net,
                               guint           n_items,
                               guint           output_dims,
                               SpkAmAddons    *addons,
                               const char     *owner,
                               GError        **error);
void     _spk_am_addons_clear (SpkAmAddons    *addons);

/* Each kind's objects (spk-model-json-network-make.c), labelled from
 * prefix, its parameters already checked. */
#define SPK_NETWORK_MAKE(name) \
  void _spk_network_make_##name (JsonArray *out, const char *prefix, SpkSubnetwork *net)
SPK_NETWORK_MAKE (ensemble_array);
SPK_NETWORK_MAKE (product);
SPK_NETWORK_MAKE (circular_convolution);
SPK_NETWORK_MAKE (integrator);
SPK_NETWORK_MAKE (oscillator);
SPK_NETWORK_MAKE (input_gated_memory);
SPK_NETWORK_MAKE (basal_ganglia);
SPK_NETWORK_MAKE (thalamus);
SPK_NETWORK_MAKE (associative_memory);

G_END_DECLS
