/* spk-model-json-learning.c — a connection's learning_rule_type in the
 * model file: {"type": "PES", "learning_rate": 1e-4, "pre_synapse": 0.005},
 * or just "PES" for Nengo's defaults; "pre_synapse": null is Nengo's None.
 */
#define G_LOG_DOMAIN "spk-model-json"

#include "spk-model-json-private.h"

#include <glib/gi18n-lib.h>

#include "model/spk-learning-rule.h"

static const char *const rule_names[] = { "PES" };

G_STATIC_ASSERT (G_N_ELEMENTS (rule_names) == SPK_LEARNING_N_KINDS);

SpkLearningRuleType *
_spk_model_json_learning_rule_from_json (JsonNode    *node,
                                         const char  *owner,
                                         const char  *what,
                                         GError     **error)
{
  static const char *const pes_keys[] = { "type", "learning_rate", "pre_synapse", NULL };
  g_autoptr (SpkLearningRuleType) rule = NULL;
  JsonObject *object = NULL;
  SpkLearningKind kind;
  const char *name;
  GError *local = NULL;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    name = json_node_get_string (node);
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      object = json_node_get_object (node);
      name = _spk_model_json_read_type_name (object, "type", owner, what, error);
      if (name == NULL)
        return NULL;
    }
  else
    {
      _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                            _("%s must be a learning rule name or an object with a \"type\""), what);
      return NULL;
    }

  if (!spk_learning_kind_from_name (name, &kind))
    {
      _spk_model_json_fail_unknown_kind (error, owner, what, _("learning rule"), name,
                                         rule_names, G_N_ELEMENTS (rule_names));
      return NULL;
    }
  rule = spk_learning_rule_type_new (kind);
  if (object != NULL)
    {
      JsonNode *pre_synapse = json_object_get_member (object, "pre_synapse");

      if (!_spk_model_json_check_members (object, pes_keys, owner, what, error)
          || !_spk_model_json_read_double (object, "learning_rate", owner, what, &rule->learning_rate, error))
        return NULL;
      if (pre_synapse != NULL)
        {
          g_autofree char *sub = g_strdup_printf ("%s.pre_synapse", what);
          g_autoptr (SpkSynapse) synapse = NULL;

          if (!JSON_NODE_HOLDS_NULL (pre_synapse)
              && !(synapse = _spk_model_json_synapse_from_json (pre_synapse, owner, sub, error)))
            return NULL;
          spk_learning_rule_type_set_pre_synapse (rule, synapse);
        }
    }
  if (!spk_learning_rule_type_validate (rule, &local))
    {
      _spk_model_json_fail_with (error, local, owner, what);
      return NULL;
    }
  return g_steal_pointer (&rule);
}

JsonNode *
_spk_model_json_learning_rule_to_json (const SpkLearningRuleType *rule)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, spk_learning_kind_to_name (rule->kind));
  json_builder_set_member_name (builder, "learning_rate");
  json_builder_add_value (builder, _spk_model_json_number_to_json (rule->learning_rate));
  json_builder_set_member_name (builder, "pre_synapse");
  json_builder_add_value (builder, rule->pre_synapse
                                   ? _spk_model_json_synapse_to_json (rule->pre_synapse)
                                   : json_node_init_null (json_node_alloc ()));
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
