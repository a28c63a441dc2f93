/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-connection.c — a Connection from pre to post: a transform, a synapse and, from an ensemble, a function solved by the NEF. */
#define G_LOG_DOMAIN "spk-connection"

#include "spk-connection.h"
#include "model/spk-object-private.h"

#include <glib/gi18n-lib.h>

struct _SpkConnection
{
  SpkObject parent_instance;

  SpkObject *pre;
  gboolean pre_neurons;
  SpkSlice *pre_slice;
  SpkObject *post;
  gboolean post_neurons;
  SpkSlice *post_slice;
  SpkDistribution *transform;
  SpkSynapse *synapse;
  char *function;
  SpkSolver *solver;
  SpkLearningRuleType *learning_rule_type;
  SpkDistribution *eval_points;
  gboolean scale_eval_points;
  SpkArray *function_points;
};

G_DEFINE_FINAL_TYPE (SpkConnection, spk_connection, SPK_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_PRE,
  PROP_PRE_NEURONS,
  PROP_PRE_SLICE,
  PROP_POST,
  PROP_POST_NEURONS,
  PROP_POST_SLICE,
  PROP_TRANSFORM,
  PROP_SYNAPSE,
  PROP_FUNCTION,
  PROP_SOLVER,
  PROP_LEARNING_RULE_TYPE,
  PROP_EVAL_POINTS,
  PROP_SCALE_EVAL_POINTS,
  PROP_FUNCTION_POINTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

SpkConnection *
spk_connection_new (void)
{
  return g_object_new (SPK_TYPE_CONNECTION, NULL);
}

static void
spk_connection_finalize (GObject *object)
{
  SpkConnection *self = SPK_CONNECTION (object);

  g_clear_object (&self->pre);
  g_clear_pointer (&self->pre_slice, spk_slice_unref);
  g_clear_object (&self->post);
  g_clear_pointer (&self->post_slice, spk_slice_unref);
  g_clear_pointer (&self->transform, spk_distribution_unref);
  g_clear_pointer (&self->synapse, spk_synapse_unref);
  g_free (self->function);
  g_clear_pointer (&self->solver, spk_solver_unref);
  g_clear_pointer (&self->learning_rule_type, spk_learning_rule_type_unref);
  g_clear_pointer (&self->eval_points, spk_distribution_unref);
  g_clear_pointer (&self->function_points, spk_array_unref);
  G_OBJECT_CLASS (spk_connection_parent_class)->finalize (object);
}

static void
spk_connection_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SpkConnection *self = SPK_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_PRE:
      g_value_set_object (value, self->pre);
      break;
    case PROP_PRE_NEURONS:
      g_value_set_boolean (value, self->pre_neurons);
      break;
    case PROP_PRE_SLICE:
      g_value_set_boxed (value, self->pre_slice);
      break;
    case PROP_POST:
      g_value_set_object (value, self->post);
      break;
    case PROP_POST_NEURONS:
      g_value_set_boolean (value, self->post_neurons);
      break;
    case PROP_POST_SLICE:
      g_value_set_boxed (value, self->post_slice);
      break;
    case PROP_TRANSFORM:
      g_value_set_boxed (value, self->transform);
      break;
    case PROP_SYNAPSE:
      g_value_set_boxed (value, self->synapse);
      break;
    case PROP_FUNCTION:
      g_value_set_string (value, self->function);
      break;
    case PROP_SOLVER:
      g_value_set_boxed (value, self->solver);
      break;
    case PROP_LEARNING_RULE_TYPE:
      g_value_set_boxed (value, self->learning_rule_type);
      break;
    case PROP_EVAL_POINTS:
      g_value_set_boxed (value, self->eval_points);
      break;
    case PROP_SCALE_EVAL_POINTS:
      g_value_set_boolean (value, self->scale_eval_points);
      break;
    case PROP_FUNCTION_POINTS:
      g_value_set_boxed (value, self->function_points);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
spk_connection_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SpkConnection *self = SPK_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_PRE:
      spk_connection_set_pre (self, g_value_get_object (value));
      break;
    case PROP_PRE_NEURONS:
      spk_connection_set_pre_neurons (self, g_value_get_boolean (value));
      break;
    case PROP_PRE_SLICE:
      spk_connection_set_pre_slice (self, g_value_get_boxed (value));
      break;
    case PROP_POST:
      spk_connection_set_post (self, g_value_get_object (value));
      break;
    case PROP_POST_NEURONS:
      spk_connection_set_post_neurons (self, g_value_get_boolean (value));
      break;
    case PROP_POST_SLICE:
      spk_connection_set_post_slice (self, g_value_get_boxed (value));
      break;
    case PROP_TRANSFORM:
      spk_connection_set_transform (self, g_value_get_boxed (value));
      break;
    case PROP_SYNAPSE:
      spk_connection_set_synapse (self, g_value_get_boxed (value));
      break;
    case PROP_FUNCTION:
      spk_connection_set_function (self, g_value_get_string (value));
      break;
    case PROP_SOLVER:
      spk_connection_set_solver (self, g_value_get_boxed (value));
      break;
    case PROP_LEARNING_RULE_TYPE:
      spk_connection_set_learning_rule_type (self, g_value_get_boxed (value));
      break;
    case PROP_EVAL_POINTS:
      spk_connection_set_eval_points (self, g_value_get_boxed (value));
      break;
    case PROP_SCALE_EVAL_POINTS:
      spk_connection_set_scale_eval_points (self, g_value_get_boolean (value));
      break;
    case PROP_FUNCTION_POINTS:
      spk_connection_set_function_points (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
spk_connection_class_init (SpkConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = spk_connection_finalize;
  object_class->get_property = spk_connection_get_property;
  object_class->set_property = spk_connection_set_property;
  SPK_OBJECT_CLASS (klass)->type_name = "connection";

  properties[PROP_PRE] =
    g_param_spec_object ("pre", N_("Pre"), N_("The object the connection reads from"),
                         SPK_TYPE_OBJECT, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRE_NEURONS] =
    g_param_spec_boolean ("pre-neurons", N_("From neurons"), N_("Read the pre ensemble's neurons instead of its decoded value"),
                         FALSE, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRE_SLICE] =
    g_param_spec_boxed ("pre-slice", N_("Pre slice"), N_("Which dimensions of pre to read; empty reads all"),
                         SPK_TYPE_SLICE, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POST] =
    g_param_spec_object ("post", N_("Post"), N_("The object the connection writes into"),
                         SPK_TYPE_OBJECT, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POST_NEURONS] =
    g_param_spec_boolean ("post-neurons", N_("To neurons"), N_("Write into the post ensemble's neurons instead of its input"),
                         FALSE, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POST_SLICE] =
    g_param_spec_boxed ("post-slice", N_("Post slice"), N_("Which dimensions of post to write; empty writes all"),
                         SPK_TYPE_SLICE, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TRANSFORM] =
    g_param_spec_boxed ("transform", N_("Transform"), N_("A scalar, a vector (diagonal), a matrix (size_out × size_mid) or a distribution"),
                         SPK_TYPE_DISTRIBUTION, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNAPSE] =
    g_param_spec_boxed ("synapse", N_("Synapse"), N_("The filter on the connection; none passes the value on in the same step"),
                         SPK_TYPE_SYNAPSE, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FUNCTION] =
    g_param_spec_string ("function", N_("Function"), N_("An expression of x computed by the connection, such as x**2"),
                         NULL, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOLVER] =
    g_param_spec_boxed ("solver", N_("Solver"), N_("How decoders are solved for a connection from an ensemble"),
                         SPK_TYPE_SOLVER, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LEARNING_RULE_TYPE] =
    g_param_spec_boxed ("learning-rule-type", N_("Learning rule"),
                        N_("A rule that changes the weights while the network runs (PES); its error comes from a connection into this one"),
                        SPK_TYPE_LEARNING_RULE_TYPE, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EVAL_POINTS] =
    g_param_spec_boxed ("eval-points", N_("Evaluation points"),
                        N_("Points at which this connection's decoders are solved (rows of the pre's dimensions); "
                           "none uses the pre ensemble's"),
                        SPK_TYPE_DISTRIBUTION, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCALE_EVAL_POINTS] =
    g_param_spec_boolean ("scale-eval-points", N_("Scale evaluation points"),
                          N_("Multiply this connection's evaluation points by the pre ensemble's radius"),
                          TRUE, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FUNCTION_POINTS] =
    g_param_spec_boxed ("function-points", N_("Function points"),
                        N_("The function given as its values: one row of targets per evaluation point"),
                        SPK_TYPE_ARRAY, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
spk_connection_init (SpkConnection *self)
{
  self->pre_neurons = FALSE;
  self->post_neurons = FALSE;
  self->transform = spk_distribution_new_scalar (1.0);
  self->synapse = spk_synapse_new_lowpass (0.005);
  self->solver = spk_solver_new (SPK_SOLVER_LSTSQ_L2, 0.1);
  self->scale_eval_points = TRUE;
}

SpkObject *
spk_connection_get_pre (SpkConnection *self)
{
  g_return_val_if_fail (SPK_IS_CONNECTION (self), NULL);
  return self->pre;
}

void
spk_connection_set_pre (SpkConnection *self,
                       SpkObject *pre)
{
  g_return_if_fail (SPK_IS_CONNECTION (self));
  if (g_set_object (&self->pre, pre))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRE]);
}

gboolean 
spk_connection_get_pre_neurons (SpkConnection *self)
{
  g_return_val_if_fail (SPK_IS_CONNECTION (self), 0);
  return self->pre_neurons;
}

void
spk_connection_set_pre_neurons (SpkConnection *self,
                               gboolean pre_neurons)
{
  g_return_if_fail (SPK_IS_CONNECTION (self));
  if (self->pre_neurons == pre_neurons)
    return;
  self->pre_neurons = pre_neurons;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRE_NEURONS]);
}

SpkSlice *
spk_connection_get_pre_slice (SpkConnection *self)
{
  g_return_val_if_fail (SPK_IS_CONNECTION (self), NULL);
  return self->pre_slice;
}

void
spk_connection_set_pre_slice (SpkConnection *self,
                             SpkSlice *pre_slice)
{
  g_return_if_fail (SPK_IS_CONNECTION (self));
  _spk_object_set_boxed (G_OBJECT (self), (gpointer *) &self->pre_slice, pre_slice, SPK_TYPE_SLICE,
                         (GEqualFunc) spk_slice_equal, properties[PROP_PRE_SLICE]);
}

SpkObject *
spk_connection_get_post (SpkConnection *self)
{
  g_return_val_if_fail (SPK_IS_CONNECTION (self), NULL);
  return self->post;
}

void
spk_connection_set_post (SpkConnection *self,
                        SpkObject *post)
{
  g_return_if_fail (SPK_IS_CONNECTION (self));
  if (g_set_object (&self->post, post))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POST]);
}

gboolean 
spk_connection_get_post_neurons (SpkConnection *self)
{
  g_return_val_if_fail (SPK_IS_CONNECTION (self), 0);
  return self->post_neurons;
}

void
spk_connection_set_post_neurons (SpkConnection *self,
                                gboolean post_neurons)
{
  g_return_if_fail (SPK_IS_CONNECTION (self));
  if (self->post_neurons == post_neurons)
    return;
  self->post_neurons = post_neurons;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POST_NEURONS]);
}

SpkSlice *
spk_connection_get_post_slice (SpkConnection *self)
{
  g_return_val_if_fail (SPK_IS_CONNECTION (self), NULL);
  return self->post_slice;
}

void
spk_connection_set_post_slice (SpkConnection *self,
                              SpkSlice *post_slice)
{
  g_return_if_fail (SPK_IS_CONNECTION (self));
  _spk_object_set_boxed (G_OBJECT (self), (gpointer *) &self->post_slice, post_slice, SPK_TYPE_SLICE,
                         (GEqualFunc) spk_slice_equal, properties[PROP_POST_SLICE]);
}

SpkDistribution *
spk_connection_get_transform (SpkConnection *self)
{
  g_return_val_if_fail (SPK_IS_CONNECTION (self), NULL);
  return self->transform;
}

void
spk_connection_set_transform (SpkConnection *self,
                             SpkDistribution *transform)
{
  g_return_if_fail (SPK_IS_CONNECTION (self));
  _spk_object_set_boxed (G_OBJECT (self), (gpointer *) &self->transform, transform, SPK_TYPE_DISTRIBUTION,
                         (GEqualFunc) spk_distribution_equal, properties[PROP_TRANSFORM]);
}

SpkSynapse *
spk_connection_get_synapse (SpkConnection *self)
{
  g_return_val_if_fail (SPK_IS_CONNECTION (self), NULL);
  return self->synapse;
}

void
spk_connection_set_synapse (SpkConnection *self,
                           SpkSynapse *synapse)
{
  g_return_if_fail (SPK_IS_CONNECTION (self));
  _spk_object_set_boxed (G_OBJECT (self), (gpointer *) &self->synapse, synapse, SPK_TYPE_SYNAPSE,
                         (GEqualFunc) spk_synapse_equal, properties[PROP_SYNAPSE]);
}

const char *
spk_connection_get_function (SpkConnection *self)
{
  g_return_val_if_fail (SPK_IS_CONNECTION (self), NULL);
  return self->function;
}

void
spk_connection_set_function (SpkConnection *self,
                            const char *function)
{
  g_return_if_fail (SPK_IS_CONNECTION (self));
  _spk_object_set_string (G_OBJECT (self), &self->function, function, properties[PROP_FUNCTION]);
}

SpkSolver *
spk_connection_get_solver (SpkConnection *self)
{
  g_return_val_if_fail (SPK_IS_CONNECTION (self), NULL);
  return self->solver;
}

void
spk_connection_set_solver (SpkConnection *self,
                          SpkSolver *solver)
{
  g_return_if_fail (SPK_IS_CONNECTION (self));
  _spk_object_set_boxed (G_OBJECT (self), (gpointer *) &self->solver, solver, SPK_TYPE_SOLVER,
                         (GEqualFunc) spk_solver_equal, properties[PROP_SOLVER]);
}


SpkLearningRuleType *
spk_connection_get_learning_rule_type (SpkConnection *self)
{
  g_return_val_if_fail (SPK_IS_CONNECTION (self), NULL);
  return self->learning_rule_type;
}

void
spk_connection_set_learning_rule_type (SpkConnection       *self,
                                       SpkLearningRuleType *learning_rule_type)
{
  g_return_if_fail (SPK_IS_CONNECTION (self));
  _spk_object_set_boxed (G_OBJECT (self), (gpointer *) &self->learning_rule_type, learning_rule_type,
                         SPK_TYPE_LEARNING_RULE_TYPE, (GEqualFunc) spk_learning_rule_type_equal,
                         properties[PROP_LEARNING_RULE_TYPE]);
}

SpkDistribution *
spk_connection_get_eval_points (SpkConnection *self)
{
  g_return_val_if_fail (SPK_IS_CONNECTION (self), NULL);
  return self->eval_points;
}

void
spk_connection_set_eval_points (SpkConnection   *self,
                                SpkDistribution *eval_points)
{
  g_return_if_fail (SPK_IS_CONNECTION (self));
  _spk_object_set_boxed (G_OBJECT (self), (gpointer *) &self->eval_points, eval_points, SPK_TYPE_DISTRIBUTION,
                         (GEqualFunc) spk_distribution_equal, properties[PROP_EVAL_POINTS]);
}

gboolean
spk_connection_get_scale_eval_points (SpkConnection *self)
{
  g_return_val_if_fail (SPK_IS_CONNECTION (self), TRUE);
  return self->scale_eval_points;
}

void
spk_connection_set_scale_eval_points (SpkConnection *self,
                                      gboolean       scale_eval_points)
{
  g_return_if_fail (SPK_IS_CONNECTION (self));
  scale_eval_points = !!scale_eval_points;
  if (self->scale_eval_points == scale_eval_points)
    return;
  self->scale_eval_points = scale_eval_points;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE_EVAL_POINTS]);
}

SpkArray *
spk_connection_get_function_points (SpkConnection *self)
{
  g_return_val_if_fail (SPK_IS_CONNECTION (self), NULL);
  return self->function_points;
}

void
spk_connection_set_function_points (SpkConnection *self,
                                    SpkArray      *function_points)
{
  g_return_if_fail (SPK_IS_CONNECTION (self));
  _spk_object_set_boxed (G_OBJECT (self), (gpointer *) &self->function_points, function_points, SPK_TYPE_ARRAY,
                         (GEqualFunc) spk_array_equal, properties[PROP_FUNCTION_POINTS]);
}
