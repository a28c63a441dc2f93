/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-model-json-learning.c — a connection's learning_rule_type in the
 * model file: {"type": "PES", "learning_rate": 1e-4, "pre_synapse": 0.005},
 * {"type": "BCM", …, "post_synapse", "theta_synapse"}, {"type": "Oja", …,
 * "post_synapse", "beta"}, {"type": "Voja", "learning_rate",
 * "post_synapse"}, {"type": "RLS", "learning_rate", "pre_synapse"}, or a
 * bare name for Nengo's defaults.  A synapse
 * of null is Nengo's None; post_synapse left out is pre_synapse, as in
 * Nengo.
 */
#define G_LOG_DOMAIN "spk-model-json"

#include "spk-model-json-private.h"

#include <glib/gi18n-lib.h>

#include "model/spk-learning-rule.h"

static const char *const rule_names[] = { "PES", "BCM", "Oja", "Voja", "RLS" };

static const char *const *
rule_keys (SpkLearningKind kind)
{
  static const char *const pes_keys[] = { "type", "learning_rate", "pre_synapse", NULL };
  static const char *const bcm_keys[] = { "type", "learning_rate", "pre_synapse", "post_synapse",
                                          "theta_synapse", NULL };
  static const char *const oja_keys[] = { "type", "learning_rate", "pre_synapse", "post_synapse", "beta", NULL };
  static const char *const voja_keys[] = { "type", "learning_rate", "post_synapse", NULL };

  switch (kind)
    {
    case SPK_LEARNING_BCM:
      return bcm_keys;
    case SPK_LEARNING_OJA:
      return oja_keys;
    case SPK_LEARNING_VOJA:
      return voja_keys;
    case SPK_LEARNING_PES:
    case SPK_LEARNING_RLS:
    case SPK_LEARNING_N_KINDS:
    default:
      return pes_keys;
    }
}

/* A synapse member: absent leaves *out alone; null clears it. */
static gboolean
read_synapse (JsonObject  *object,
              const char  *key,
              const char  *owner,
              const char  *what,
              SpkSynapse **out,
              gboolean    *present,
              GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);
  g_autofree char *sub = g_strdup_printf ("%s.%s", what, key);
  SpkSynapse *synapse = NULL;

  *present = node != NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_NULL (node) && !(synapse = _spk_model_json_synapse_from_json (node, owner, sub, error)))
    return FALSE;
  g_clear_pointer (out, spk_synapse_unref);
  *out = synapse;
  return TRUE;
}

G_STATIC_ASSERT (G_N_ELEMENTS (rule_names) == SPK_LEARNING_N_KINDS);

SpkLearningRuleType *
_spk_model_json_learning_rule_from_json (JsonNode    *node,
                                         const char  *owner,
                                         const char  *what,
                                         GError     **error)
{
  g_autoptr (SpkLearningRuleType) rule = NULL;
  JsonObject *object;
  guint kind;
  GError *local = NULL;

  if (!_spk_model_json_read_named_kind (node, owner, what, _("learning rule"),
                                        _("%s must be a learning rule name or an object with a \"type\""),
                                        rule_names, G_N_ELEMENTS (rule_names), &kind, &object, error))
    return NULL;
  rule = spk_learning_rule_type_new (kind);
  if (object != NULL)
    {
      gboolean has_pre, has_post, has_theta;

      if (!_spk_model_json_check_members (object, (const char *const *) rule_keys (kind), owner, what, error)
          || !_spk_model_json_read_double (object, "learning_rate", owner, what, &rule->learning_rate, error)
          || !_spk_model_json_read_double (object, "beta", owner, what, &rule->beta, error)
          || !read_synapse (object, "pre_synapse", owner, what, &rule->pre_synapse, &has_pre, error)
          || !read_synapse (object, "post_synapse", owner, what, &rule->post_synapse, &has_post, error)
          || !read_synapse (object, "theta_synapse", owner, what, &rule->theta_synapse, &has_theta, error))
        return NULL;
      /* Nengo: post_synapse defaults to whatever pre_synapse is. */
      if ((kind == SPK_LEARNING_BCM || kind == SPK_LEARNING_OJA) && has_pre && !has_post)
        spk_learning_rule_type_set_post_synapse (rule, rule->pre_synapse);
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
  if (rule->kind != SPK_LEARNING_VOJA)
    {
      json_builder_set_member_name (builder, "pre_synapse");
      json_builder_add_value (builder, rule->pre_synapse
                                       ? _spk_model_json_synapse_to_json (rule->pre_synapse)
                                       : json_node_init_null (json_node_alloc ()));
    }
  if (rule->kind == SPK_LEARNING_BCM || rule->kind == SPK_LEARNING_OJA || rule->kind == SPK_LEARNING_VOJA)
    {
      json_builder_set_member_name (builder, "post_synapse");
      json_builder_add_value (builder, rule->post_synapse
                                       ? _spk_model_json_synapse_to_json (rule->post_synapse)
                                       : json_node_init_null (json_node_alloc ()));
    }
  if (rule->kind == SPK_LEARNING_BCM)
    {
      json_builder_set_member_name (builder, "theta_synapse");
      json_builder_add_value (builder, rule->theta_synapse
                                       ? _spk_model_json_synapse_to_json (rule->theta_synapse)
                                       : json_node_init_null (json_node_alloc ()));
    }
  if (rule->kind == SPK_LEARNING_OJA)
    {
      json_builder_set_member_name (builder, "beta");
      json_builder_add_value (builder, _spk_model_json_number_to_json (rule->beta));
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
