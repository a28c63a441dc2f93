/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-learning-rule.c — the SpkLearningRuleType value: defaults, equality,
 * names and the domain checks.  The rule's maths is built by
 * builder/spk-builder-learning.c and run by ops/spk-ops-learning.c. */
#define G_LOG_DOMAIN "spk-learning-rule"

#include "spk-learning-rule.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"
#include "core/spk-names.h"

static void
clear (SpkLearningRuleType *self)
{
  g_clear_pointer (&self->pre_synapse, spk_synapse_unref);
  g_clear_pointer (&self->post_synapse, spk_synapse_unref);
  g_clear_pointer (&self->theta_synapse, spk_synapse_unref);
}

G_DEFINE_BOXED_TYPE (SpkLearningRuleType, spk_learning_rule_type,
                     spk_learning_rule_type_ref, spk_learning_rule_type_unref)

SpkLearningRuleType *
spk_learning_rule_type_new (SpkLearningKind kind)
{
  SpkLearningRuleType *self;

  g_return_val_if_fail (kind < SPK_LEARNING_N_KINDS, NULL);

  self = g_atomic_rc_box_new0 (SpkLearningRuleType);
  self->kind = kind;
  self->learning_rate = kind == SPK_LEARNING_BCM ? 1e-9
                        : kind == SPK_LEARNING_OJA ? 1e-6
                        : kind == SPK_LEARNING_VOJA ? 1e-2
                        : kind == SPK_LEARNING_RLS ? 1e-3
                        : 1e-4;
  if (kind != SPK_LEARNING_VOJA)
    self->pre_synapse = spk_synapse_new_lowpass (0.005);
  if (kind == SPK_LEARNING_BCM || kind == SPK_LEARNING_OJA || kind == SPK_LEARNING_VOJA)
    self->post_synapse = spk_synapse_new_lowpass (0.005);
  if (kind == SPK_LEARNING_BCM)
    self->theta_synapse = spk_synapse_new_lowpass (1.0);
  self->beta = kind == SPK_LEARNING_OJA ? 1.0 : 0.0;
  return self;
}

SpkLearningRuleType *
spk_learning_rule_type_copy (const SpkLearningRuleType *self)
{
  SpkLearningRuleType *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_atomic_rc_box_new0 (SpkLearningRuleType);
  *copy = *self;
  if (copy->pre_synapse)
    spk_synapse_ref (copy->pre_synapse);
  if (copy->post_synapse)
    spk_synapse_ref (copy->post_synapse);
  if (copy->theta_synapse)
    spk_synapse_ref (copy->theta_synapse);
  return copy;
}

SpkLearningRuleType *
spk_learning_rule_type_ref (SpkLearningRuleType *self)
{
  return g_atomic_rc_box_acquire (self);
}

void
spk_learning_rule_type_unref (SpkLearningRuleType *self)
{
  if (self != NULL)
    g_atomic_rc_box_release_full (self, (GDestroyNotify) clear);
}

gboolean
spk_learning_rule_type_equal (const SpkLearningRuleType *a,
                              const SpkLearningRuleType *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  return a->kind == b->kind
         && a->learning_rate == b->learning_rate
         && spk_synapse_equal (a->pre_synapse, b->pre_synapse)
         && spk_synapse_equal (a->post_synapse, b->post_synapse)
         && spk_synapse_equal (a->theta_synapse, b->theta_synapse)
         && a->beta == b->beta;
}

void
spk_learning_rule_type_set_pre_synapse (SpkLearningRuleType *self,
                                        SpkSynapse          *synapse)
{
  g_return_if_fail (self != NULL);

  if (synapse)
    spk_synapse_ref (synapse);
  g_clear_pointer (&self->pre_synapse, spk_synapse_unref);
  self->pre_synapse = synapse;
}

static void
set_synapse (SpkSynapse **slot,
             SpkSynapse  *synapse)
{
  if (synapse)
    spk_synapse_ref (synapse);
  g_clear_pointer (slot, spk_synapse_unref);
  *slot = synapse;
}

void
spk_learning_rule_type_set_post_synapse (SpkLearningRuleType *self,
                                         SpkSynapse          *synapse)
{
  g_return_if_fail (self != NULL);
  set_synapse (&self->post_synapse, synapse);
}

void
spk_learning_rule_type_set_theta_synapse (SpkLearningRuleType *self,
                                          SpkSynapse          *synapse)
{
  g_return_if_fail (self != NULL);
  set_synapse (&self->theta_synapse, synapse);
}

gboolean
spk_learning_kind_has_error (SpkLearningKind kind)
{
  return kind == SPK_LEARNING_PES || kind == SPK_LEARNING_RLS;
}

gboolean
spk_learning_kind_modifies_weights (SpkLearningKind kind)
{
  return kind == SPK_LEARNING_BCM || kind == SPK_LEARNING_OJA;
}

gboolean
spk_learning_kind_modifies_encoders (SpkLearningKind kind)
{
  return kind == SPK_LEARNING_VOJA;
}

static const char *const kind_names[] = {
  [SPK_LEARNING_PES] = "PES",
  [SPK_LEARNING_BCM] = "BCM",
  [SPK_LEARNING_OJA] = "Oja",
  [SPK_LEARNING_VOJA] = "Voja",
  [SPK_LEARNING_RLS] = "RLS",
};

SPK_DEFINE_KIND_NAMES (spk_learning_kind, SpkLearningKind, kind_names, SPK_LEARNING_N_KINDS)

gboolean
spk_learning_rule_type_validate (const SpkLearningRuleType *self,
                                 GError                   **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if ((guint) self->kind >= SPK_LEARNING_N_KINDS)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("unknown learning rule kind %d"), (int) self->kind);
      return FALSE;
    }
  if (!isfinite (self->learning_rate) || self->learning_rate < 0.0)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s.learning_rate must be a finite number >= 0 (got %g)"),
                   kind_names[self->kind], self->learning_rate);
      return FALSE;
    }
  if (self->kind == SPK_LEARNING_OJA && (!isfinite (self->beta) || self->beta < 0.0))
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s.beta must be a finite number >= 0 (got %g)"), kind_names[self->kind], self->beta);
      return FALSE;
    }
  {
    const struct { SpkSynapse *synapse; const char *name; } synapses[] = {
      { self->pre_synapse, "pre_synapse" },
      { self->post_synapse, "post_synapse" },
      { self->theta_synapse, "theta_synapse" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (synapses); i++)
      if (synapses[i].synapse && !spk_synapse_validate (synapses[i].synapse, error))
        {
          g_prefix_error (error, "%s.%s: ", kind_names[self->kind], synapses[i].name);
          return FALSE;
        }
  }
  return TRUE;
}
