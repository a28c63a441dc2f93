/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-learning-rule.h — Nengo's learning rule types as an immutable,
 * reference-counted value (a boxed type: a connection's
 * learning_rule_type).
 *
 * A connection with a learning rule changes its weights while it runs.
 * PES (Prescribed Error Sensitivity) moves decoded or neuron-to-neuron
 * weights against an error that another connection feeds in: that error
 * connection has the learning connection itself as its post (Nengo's
 * `conn.learning_rule`).  BCM and Oja change neuron-to-neuron weights from
 * the pre and post activities alone.  RLS (recursive least squares)
 * takes an error as PES does, but projects it through a running inverse
 * of the pre activities' correlations.  Voja changes the post ensemble's
 * encoders towards the decoded input, scaled by a learning signal that
 * connections into `conn.learning_rule` add to (1 when nothing does).
 * Parameters and defaults are Nengo's.
 */
#pragma once

#include <glib-object.h>

#include "model/spk-synapse.h"

G_BEGIN_DECLS

#define SPK_TYPE_LEARNING_RULE_TYPE (spk_learning_rule_type_get_type ())

typedef enum
{
  SPK_LEARNING_PES,
  SPK_LEARNING_BCM,
  SPK_LEARNING_OJA,
  SPK_LEARNING_VOJA,
  SPK_LEARNING_RLS,
  SPK_LEARNING_N_KINDS
} SpkLearningKind;

typedef struct
{
  SpkLearningKind  kind;
  double           learning_rate;  /* PES 1e-4, BCM 1e-9, Oja 1e-6, Voja 1e-2, RLS 1e-3 */
  SpkSynapse      *pre_synapse;    /* Lowpass(0.005); NULL is Nengo's None; Voja has none */
  SpkSynapse      *post_synapse;   /* BCM, Oja: as pre_synapse unless given; Voja: Lowpass(0.005) */
  SpkSynapse      *theta_synapse;  /* BCM: Lowpass(1) */
  double           beta;           /* Oja: 1 */
} SpkLearningRuleType;

GType                spk_learning_rule_type_get_type (void) G_GNUC_CONST;

/* A rule of `kind` with Nengo's defaults. */
SpkLearningRuleType *spk_learning_rule_type_new      (SpkLearningKind            kind) G_GNUC_WARN_UNUSED_RESULT;
/* A copy to change before sharing (the value is immutable once shared). */
SpkLearningRuleType *spk_learning_rule_type_copy     (const SpkLearningRuleType *self) G_GNUC_WARN_UNUSED_RESULT;
SpkLearningRuleType *spk_learning_rule_type_ref      (SpkLearningRuleType       *self);
void                 spk_learning_rule_type_unref    (SpkLearningRuleType       *self);
gboolean             spk_learning_rule_type_equal    (const SpkLearningRuleType *a,
                                                      const SpkLearningRuleType *b);
/* Sets pre_synapse (a reference is taken; NULL for None). */
void                 spk_learning_rule_type_set_pre_synapse (SpkLearningRuleType *self,
                                                             SpkSynapse          *synapse);
void                 spk_learning_rule_type_set_post_synapse (SpkLearningRuleType *self,
                                                              SpkSynapse          *synapse);
void                 spk_learning_rule_type_set_theta_synapse (SpkLearningRuleType *self,
                                                               SpkSynapse          *synapse);
/* TRUE for the rules that take an error (PES, RLS), of the size of the
 * post's state; Voja takes a one-value learning signal instead, and BCM
 * and Oja learn from activities alone. */
gboolean             spk_learning_kind_has_error     (SpkLearningKind            kind);
/* TRUE for the rules that change full neuron-to-neuron weights (BCM,
 * Oja), which need a connection from neurons to neurons. */
gboolean             spk_learning_kind_modifies_weights (SpkLearningKind         kind);
/* TRUE for the rules that change the post ensemble's encoders (Voja)
 * rather than the connection's weights or decoders. */
gboolean             spk_learning_kind_modifies_encoders (SpkLearningKind        kind);

/* Nengo's class name ("PES") and back. */
const char          *spk_learning_kind_to_name       (SpkLearningKind            kind);
gboolean             spk_learning_kind_from_name     (const char                *name,
                                                      SpkLearningKind           *kind);

/* Fails with SPK_BUILD_ERROR_INVALID naming the parameter: a learning
 * rate must be finite and not negative, a synapse valid. */
gboolean             spk_learning_rule_type_validate (const SpkLearningRuleType *self,
                                                      GError                   **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkLearningRuleType, spk_learning_rule_type_unref)

G_END_DECLS
