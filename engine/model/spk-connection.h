/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-connection.h — a Connection from pre to post: a transform, a synapse and, from an ensemble, a function solved by the NEF. */
#pragma once

#include <glib-object.h>

#include "model/spk-object.h"
#include "core/spk-array.h"
#include "core/spk-slice.h"
#include "model/spk-distribution.h"
#include "model/spk-learning-rule.h"
#include "model/spk-synapse.h"
#include "nef/spk-solver.h"

G_BEGIN_DECLS

#define SPK_TYPE_CONNECTION (spk_connection_get_type ())
G_DECLARE_FINAL_TYPE (SpkConnection, spk_connection, SPK, CONNECTION, SpkObject)

SpkConnection *spk_connection_new (void) G_GNUC_WARN_UNUSED_RESULT;
SpkObject *spk_connection_get_pre (SpkConnection *self);
void spk_connection_set_pre (SpkConnection *self, SpkObject *pre);
gboolean spk_connection_get_pre_neurons (SpkConnection *self);
void spk_connection_set_pre_neurons (SpkConnection *self, gboolean pre_neurons);
SpkSlice *spk_connection_get_pre_slice (SpkConnection *self);
void spk_connection_set_pre_slice (SpkConnection *self, SpkSlice *pre_slice);
SpkObject *spk_connection_get_post (SpkConnection *self);
void spk_connection_set_post (SpkConnection *self, SpkObject *post);
gboolean spk_connection_get_post_neurons (SpkConnection *self);
void spk_connection_set_post_neurons (SpkConnection *self, gboolean post_neurons);
SpkSlice *spk_connection_get_post_slice (SpkConnection *self);
void spk_connection_set_post_slice (SpkConnection *self, SpkSlice *post_slice);
SpkDistribution *spk_connection_get_transform (SpkConnection *self);
void spk_connection_set_transform (SpkConnection *self, SpkDistribution *transform);
SpkSynapse *spk_connection_get_synapse (SpkConnection *self);
void spk_connection_set_synapse (SpkConnection *self, SpkSynapse *synapse);
const char *spk_connection_get_function (SpkConnection *self);
void spk_connection_set_function (SpkConnection *self, const char *function);
SpkSolver *spk_connection_get_solver (SpkConnection *self);
void spk_connection_set_solver (SpkConnection *self, SpkSolver *solver);
/* NULL: the weights stay as built.  A connection whose post is another
 * connection feeds that connection's learning rule its error. */
SpkLearningRuleType *spk_connection_get_learning_rule_type (SpkConnection *self);
void spk_connection_set_learning_rule_type (SpkConnection *self, SpkLearningRuleType *learning_rule_type);
/* Nengo's Connection.eval_points (NULL: the pre ensemble's own) and
 * scale_eval_points (TRUE: multiplied by the pre's radius). */
SpkDistribution *spk_connection_get_eval_points (SpkConnection *self);
void spk_connection_set_eval_points (SpkConnection *self, SpkDistribution *eval_points);
gboolean spk_connection_get_scale_eval_points (SpkConnection *self);
void spk_connection_set_scale_eval_points (SpkConnection *self, gboolean scale_eval_points);
/* Nengo's function given as an array: one row of targets per evaluation
 * point (the JSON key "function" holding a list).  NULL: none. */
SpkArray *spk_connection_get_function_points (SpkConnection *self);
void spk_connection_set_function_points (SpkConnection *self, SpkArray *function_points);

G_END_DECLS
