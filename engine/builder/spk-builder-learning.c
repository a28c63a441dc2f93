/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-builder-learning.c — learning rules on connections, wired as
 * Nengo's builder wires them (nengo/builder/learning_rules.py).
 *
 * A connection with PES keeps its weights W (rows × cols) in a signal
 * rather than in the parameter arena, because they change while it runs;
 * each batch row learns on its own.  Per step, in the order the operator
 * sort gives (NEF-FACTS §1):
 *
 *   W += delta                      (Copy inc: delta is last step's)
 *   weighted += W·x                 (the connection's product reads the new W)
 *   error ← 0; error += …           (Reset, then the error connections)
 *   delta = outer(α·e, a)           (SimPES, an update: reads a and e)
 *
 * with a the pre activities through pre_synapse (set in this step, before
 * SimPES reads them: Nengo builds a rule's filters with mode="set"),
 * α = −κ·dt/n_pre, and e the error,
 * or for a connection into neurons the per-neuron error (scaled encoders
 * of the post)·error.  Into neurons the post's gain is applied after the
 * synapse, as Nengo does, so W holds exactly Nengo's weights.
 *
 * BCM and Oja take no error: between neurons, they compute delta from
 * the pre activities (through pre_synapse), the post neurons' output
 * (through post_synapse) and, for BCM, its average theta (through
 * theta_synapse); Oja also reads W after this step's increment.
 *
 * RLS is wired as PES, with Nengo's SimRLS in place of SimPES: it keeps
 * P, the inverse of the pre activities' regularised correlations
 * (starting at I·κ·dt/n_pre), and updates it with delta each step.
 *
 * Voja changes the post ensemble's encoders, not the connection: the
 * ensemble's scaled encoders E (gain/radius folded in) become a signal
 * (finish_groups asks _spk_builder_voja_changes), and per step
 *
 *   E += delta                      (Copy inc)
 *   J += E·x                        (the ensemble's encoding reads the new E)
 *   L ← 1; L += …                   (the learning signal and its connections)
 *   delta = κ·dt·L·(s·outer(ā_post, y) − ā_post·E)    (SimVoja, an update)
 *
 * with y the connection's output, ā_post the post's activities through
 * post_synapse and s = gain/radius per neuron.
 */
#define G_LOG_DOMAIN "spk-builder"

#include "spk-builder-private.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"

/* A learning rule's filter: Nengo builds these with mode="set", so the
 * rule reads this step's filtered value (a connection's synapse is an
 * update instead, read the step after). */
static SpkView
add_rule_synapse (Builder          *b,
                  const SpkSynapse *synapse,
                  SpkView           src,
                  const char       *who,
                  GError          **error)
{
  guint before = b->plan->ops->len;
  SpkView out = _spk_builder_add_synapse (b, synapse, src, who, error);

  for (guint i = before; i < b->plan->ops->len; i++)
    {
      SpkPlanOp *op = g_ptr_array_index (b->plan->ops, i);

      if (op->kind == SPK_OP_FILTER)
        ITEM (op)->set_mode = TRUE;
    }
  return out;
}

gboolean
_spk_builder_full_weights (SpkConnection *conn)
{
  SpkSolver *solver = spk_connection_get_solver (conn);
  SpkObject *pre = spk_connection_get_pre (conn), *post = spk_connection_get_post (conn);

  return solver != NULL && solver->weights
         && pre != NULL && SPK_IS_ENSEMBLE (pre) && !spk_connection_get_pre_neurons (conn)
         && post != NULL && SPK_IS_ENSEMBLE (post) && !spk_connection_get_post_neurons (conn)
         && !_spk_builder_is_direct (pre) && !_spk_builder_is_direct (post);
}

/* The rule's error input is the size of the post's represented state
 * (Nengo's size_in = "post_state"): an ensemble's dimensions, also for a
 * connection into its neurons, or a node's input. */
gboolean
_spk_builder_prepare_learning (Builder        *b,
                               SpkConnection  *conn,
                               GError        **error)
{
  SpkObject *object = SPK_OBJECT (conn);
  SpkLearningRuleType *rule = spk_connection_get_learning_rule_type (conn);
  SpkObject *pre = spk_connection_get_pre (conn), *post = spk_connection_get_post (conn);
  g_autofree char *who = _spk_builder_describe (object);
  const char *name;
  ObjInfo *post_info, *info;
  guint size;

  g_assert (rule != NULL);
  if (!spk_learning_rule_type_validate (rule, error))
    {
      g_prefix_error (error, _("%s: learning_rule_type: "), who);
      return FALSE;
    }
  name = spk_learning_kind_to_name (rule->kind);
  /* A Direct ensemble has no neurons: no activities for a rule to read
   * as pre, no encoders for Voja and no neurons for BCM or Oja as post. */
  if (_spk_builder_is_direct (pre)
      || (_spk_builder_is_direct (post)
          && (spk_learning_kind_modifies_encoders (rule->kind) || spk_learning_kind_modifies_weights (rule->kind))))
    {
      gboolean is_pre = _spk_builder_is_direct (pre);
      g_autofree char *ens_name = _spk_builder_describe (is_pre ? pre : post);

      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   is_pre ? _("%s: learning_rule_type: %s needs neuron activities in pre, but %s is a Direct "
                              "ensemble and has no neurons")
                          : _("%s: learning_rule_type: %s needs neurons in post, but %s is a Direct ensemble "
                              "and has no neurons"),
                   who, name, ens_name);
      return FALSE;
    }
  if (spk_learning_kind_modifies_encoders (rule->kind))
    {
      if (_spk_builder_full_weights (conn))
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                       _("%s: learning_rule_type: %s changes encoders, which a connection with "
                         "weights=True does not use"), who, name);
          return FALSE;
        }
      if (post == NULL || !SPK_IS_ENSEMBLE (post) || spk_connection_get_post_neurons (conn))
        {
          g_autofree char *post_name = post ? _spk_builder_describe (post) : g_strdup (_("nothing"));

          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                       _("%s: learning_rule_type: %s changes encoders, so it needs an ensemble as post "
                         "(not its neurons; got %s%s)"),
                       who, name, post_name, post && spk_connection_get_post_neurons (conn) ? ".neurons" : "");
          return FALSE;
        }
      if (spk_connection_get_post_slice (conn) != NULL)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                       _("%s: learning_rule_type: %s needs all dimensions of post (no post_slice)"), who, name);
          return FALSE;
        }
    }
  else if (pre == NULL || !SPK_IS_ENSEMBLE (pre))
    {
      g_autofree char *pre_name = pre ? _spk_builder_describe (pre) : g_strdup (_("nothing"));

      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s: learning_rule_type: %s needs an ensemble or its neurons as pre (got %s)"),
                   who, name, pre_name);
      return FALSE;
    }
  post_info = post ? g_hash_table_lookup (b->info, post) : NULL;
  if (post_info == NULL || !(SPK_IS_ENSEMBLE (post) || SPK_IS_NODE (post)))
    {
      g_autofree char *post_name = post ? _spk_builder_describe (post) : g_strdup (_("nothing"));

      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s: learning_rule_type: %s needs an ensemble, its neurons or a node as post (got %s)"),
                   who, name, post_name);
      return FALSE;
    }
  if (rule->kind == SPK_LEARNING_RLS && _spk_builder_full_weights (conn))
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s: learning_rule_type: %s learns decoders, so its solver cannot have weights=True"),
                   who, name);
      return FALSE;
    }
  if (rule->kind == SPK_LEARNING_RLS && spk_connection_get_post_neurons (conn))
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s: learning_rule_type: %s learns decoders, so its post must be an ensemble or a "
                     "node (not neurons)"),
                   who, name);
      return FALSE;
    }
  size = SPK_IS_ENSEMBLE (post) && !post_info->direct ? post_info->ens->d : post_info->size_in;
  if (spk_learning_kind_modifies_weights (rule->kind)
      && !(spk_connection_get_pre_neurons (conn) && spk_connection_get_post_neurons (conn))
      && !_spk_builder_full_weights (conn))
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s: learning_rule_type: %s changes neuron-to-neuron weights, so it needs a "
                     "connection from neurons to neurons (pre.neurons → post.neurons) or a solver "
                     "with weights=True between two ensembles"),
                   who, name);
      return FALSE;
    }
  if (spk_learning_kind_modifies_encoders (rule->kind))
    size = 1;
  else if (!spk_learning_kind_has_error (rule->kind))
    size = 0;
  else if (size == 0)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                   _("%s: learning_rule_type: %s needs a post that takes input"), who, name);
      return FALSE;
    }

  info = g_new0 (ObjInfo, 1);
  info->object = object;
  info->out = info->J = NO_VIEW;
  info->weights = info->delta = info->learn_acts = info->learn_post = info->learn_theta = NO_VIEW;
  info->learn_inv_gamma = info->encoders = NO_VIEW;
  info->size_in = size;
  info->in = NO_VIEW;
  if (spk_learning_kind_modifies_encoders (rule->kind))
    {
      /* Voja's learning signal: 1 unless connections add to it. */
      const double one = 1.0;
      SpkPlanOp *op;

      info->in = _spk_builder_whole (b, _spk_builder_add_signal (b, size, NULL, "%s %s learning", who, name));
      op = _spk_builder_add_op (b, SPK_OP_SET_PARAM, info->in, NO_VIEW, who);
      ITEM (op)->param = _spk_builder_add_params (b, &one, 1);
    }
  else if (size > 0)
    {
      info->in = _spk_builder_whole (b, _spk_builder_add_signal (b, size, NULL, "%s %s error", who, name));
      _spk_builder_add_op (b, SPK_OP_RESET, info->in, NO_VIEW, who);
    }
  g_hash_table_insert (b->info, object, info);
  return TRUE;
}

SpkView
_spk_builder_add_learned (Builder        *b,
                          SpkConnection  *conn,
                          ObjInfo        *post,
                          SpkView         src,
                          const double   *W,
                          guint           rows,
                          guint           cols,
                          const guint    *post_index,
                          SpkView         into,
                          const char     *key,
                          GError        **error)
{
  SpkObject *object = SPK_OBJECT (conn);
  SpkLearningRuleType *rule = spk_connection_get_learning_rule_type (conn);
  ObjInfo *info = g_hash_table_lookup (b->info, object);
  g_autofree char *who = _spk_builder_describe (object);
  gboolean to_neurons = spk_connection_get_post_neurons (conn) || _spk_builder_full_weights (conn);
  const char *name = spk_learning_kind_to_name (rule->kind);
  SpkView weighted = into, error_view, acts;
  SpkPlanOp *op;
  gsize size = (gsize) rows * cols;

  g_assert (info != NULL);
  if (size > G_MAXUINT)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_NO_MEMORY,
                   _("%s: %u × %u learned weights are too many"), who, rows, cols);
      return NO_VIEW;
    }
  if (spk_learning_kind_modifies_weights (rule->kind)
      && (rows != post->ens->n || cols != ((ObjInfo *) g_hash_table_lookup (b->info, spk_connection_get_pre (conn)))->ens->n))
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                   _("%s: learning_rule_type: %s needs all neurons of pre and post (no slices)"), who, name);
      return NO_VIEW;
    }
  if (spk_learning_kind_has_error (rule->kind) && !to_neurons && rows != info->size_in)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                   _("%s: learning_rule_type: %s on a decoded connection needs all %u dimensions "
                     "of post (post_slice selects %u)"),
                   who, name, info->size_in, rows);
      return NO_VIEW;
    }

  /* The weights as state, and the change each step brings. */
  info->weights = _spk_builder_whole (b, _spk_builder_add_signal (b, (guint) size, W, "%s weights", who));
  info->delta = _spk_builder_whole (b, _spk_builder_add_signal (b, (guint) size, NULL, "%s %s delta", who, name));
  op = _spk_builder_add_op (b, SPK_OP_COPY, info->weights, info->delta, who);
  ITEM (op)->inc = TRUE;
  ITEM (op)->n_index = (guint) size;
  /* Saved sessions take the weights as learned from here. */
  if (b->plan->learned == NULL)
    b->plan->learned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_replace (b->plan->learned, g_strdup (key), g_memdup2 (&info->weights, sizeof (SpkView)));

  if (weighted.sig < 0)
    {
      weighted = _spk_builder_whole (b, _spk_builder_add_signal (b, rows, NULL, "%s weighted", who));
      _spk_builder_add_op (b, SPK_OP_RESET, weighted, NO_VIEW, who);
    }
  op = _spk_builder_add_op (b, SPK_OP_DOT_INC_SIGNAL, weighted, src, who);
  op->n_states = 1;
  ITEM (op)->states[0] = info->weights;

  /* The pre activities the rule sees. */
  acts = add_rule_synapse (b, rule->pre_synapse, src, who, error);
  if (acts.sig < 0)
    {
      g_prefix_error (error, _("%s: learning_rule_type: %s.pre_synapse: "), who, name);
      return NO_VIEW;
    }
  info->learn_acts = acts;

  if (spk_learning_kind_modifies_weights (rule->kind))
    {
      SpkView post_acts = add_rule_synapse (b, rule->post_synapse, post->out, who, error);
      SpkView aux;

      if (post_acts.sig < 0)
        {
          g_prefix_error (error, _("%s: learning_rule_type: %s.post_synapse: "), who, name);
          return NO_VIEW;
        }
      info->learn_post = post_acts;
      if (rule->kind == SPK_LEARNING_BCM)
        {
          aux = add_rule_synapse (b, rule->theta_synapse, post->out, who, error);
          if (aux.sig < 0)
            {
              g_prefix_error (error, _("%s: learning_rule_type: %s.theta_synapse: "), who, name);
              return NO_VIEW;
            }
          info->learn_theta = aux;
        }
      else
        aux = info->weights;
      op = _spk_builder_add_op (b, rule->kind == SPK_LEARNING_BCM ? SPK_OP_BCM : SPK_OP_OJA, info->delta, acts, who);
      op->n_states = 2;
      ITEM (op)->states[0] = post_acts;
      ITEM (op)->states[1] = aux;
      ITEM (op)->scale = rule->learning_rate * b->dt;
      ITEM (op)->beta = rule->beta;
      return weighted;
    }

  if (rule->kind == SPK_LEARNING_RLS)
    {
      /* P starts as I·κ·dt/n_pre; P·r needs a row of scratch. */
      g_autofree double *P0 = g_try_new0 (double, (gsize) cols * cols);
      gsize p_size = (gsize) cols * cols;

      if (P0 == NULL || p_size > G_MAXUINT)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_NO_MEMORY,
                       _("%s: learning_rule_type: %s needs %u × %u inverse correlations, too many"),
                       who, name, cols, cols);
          return NO_VIEW;
        }
      for (guint i = 0; i < cols; i++)
        P0[(gsize) i * cols + i] = rule->learning_rate * b->dt / cols;
      info->learn_inv_gamma = _spk_builder_whole (b, _spk_builder_add_signal (b, (guint) p_size, P0,
                                                                                "%s %s inv_gamma", who, name));
      op = _spk_builder_add_op (b, SPK_OP_RLS, info->delta, acts, who);
      op->n_states = 3;
      ITEM (op)->states[0] = info->in;
      ITEM (op)->states[1] = info->learn_inv_gamma;
      ITEM (op)->states[2] = _spk_builder_whole (b, _spk_builder_add_signal (b, cols, NULL, "%s %s P·r", who, name));
      return weighted;
    }

  /* Into neurons, each neuron's error is its scaled encoder times the
   * error (Nengo's "PES:encode"). */
  error_view = info->in;
  if (to_neurons)
    {
      SpkPlanEnsemble *ens = post->ens;
      g_autofree double *E = g_new (double, (gsize) rows * ens->d);

      for (guint r = 0; r < rows; r++)
        for (guint j = 0; j < ens->d; j++)
          {
            guint i = post_index[r];

            E[(gsize) r * ens->d + j] = ens->encoders[(gsize) i * ens->d + j] * ens->gain[i] / ens->radius;
          }
      error_view = _spk_builder_whole (b, _spk_builder_add_signal (b, rows, NULL, "%s %s local error", who, name));
      _spk_builder_add_op (b, SPK_OP_RESET, error_view, NO_VIEW, who);
      op = _spk_builder_add_op (b, SPK_OP_DOT_INC, error_view, info->in, who);
      _spk_builder_set_matrix (b, ITEM (op), E, rows, ens->d);
      {
        g_autofree char *k_enc = _spk_builder_param_key (b, post->object, "encoders");

        _spk_builder_map_matrix (b, k_enc, ITEM (op), post_index, ens->radius);
      }
    }

  op = _spk_builder_add_op (b, SPK_OP_PES, info->delta, acts, who);
  op->n_states = 1;
  ITEM (op)->states[0] = error_view;
  ITEM (op)->scale = -rule->learning_rate * b->dt / cols;
  return weighted;
}

/* TRUE when a connection with Voja has this ensemble as its post: its
 * encoders are then built as a signal. */
gboolean
_spk_builder_voja_changes (Builder   *b,
                           SpkObject *ensemble)
{
  GPtrArray *objects = spk_network_get_objects (b->network);

  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      SpkLearningRuleType *rule;

      if (!SPK_IS_CONNECTION (object))
        continue;
      rule = spk_connection_get_learning_rule_type (SPK_CONNECTION (object));
      if (rule && spk_learning_kind_modifies_encoders (rule->kind)
          && spk_connection_get_post (SPK_CONNECTION (object)) == ensemble
          && !spk_connection_get_post_neurons (SPK_CONNECTION (object)))
        return TRUE;
    }
  return FALSE;
}

/* Voja on a connection into post, whose output (after its synapse) is
 * decoded: the delta of post's scaled encoders (see the top). */
gboolean
_spk_builder_add_voja (Builder       *b,
                       SpkConnection *conn,
                       ObjInfo       *post,
                       SpkView        decoded,
                       GError       **error)
{
  SpkObject *object = SPK_OBJECT (conn);
  SpkLearningRuleType *rule = spk_connection_get_learning_rule_type (conn);
  ObjInfo *info = g_hash_table_lookup (b->info, object);
  g_autofree char *who = _spk_builder_describe (object);
  const char *name = spk_learning_kind_to_name (rule->kind);
  SpkPlanEnsemble *ens = post->ens;
  g_autofree double *scale = g_new (double, ens->n);
  SpkView post_filtered;
  SpkPlanOp *op;

  g_assert (info != NULL && post->encoders.sig >= 0);
  info->encoders = post->encoders;
  info->delta = _spk_builder_whole (b, _spk_builder_add_signal (b, post->encoders.len, NULL, "%s %s delta", who, name));
  op = _spk_builder_add_op (b, SPK_OP_COPY, post->encoders, info->delta, who);
  ITEM (op)->inc = TRUE;
  ITEM (op)->n_index = post->encoders.len;

  post_filtered = add_rule_synapse (b, rule->post_synapse, post->out, who, error);
  if (post_filtered.sig < 0)
    {
      g_prefix_error (error, _("%s: learning_rule_type: %s.post_synapse: "), who, name);
      return FALSE;
    }
  info->learn_post = post_filtered;
  for (guint i = 0; i < ens->n; i++)
    scale[i] = ens->gain[i] / ens->radius;
  op = _spk_builder_add_op (b, SPK_OP_VOJA, info->delta, decoded, who);
  op->n_states = 3;
  ITEM (op)->states[0] = post_filtered;
  ITEM (op)->states[1] = post->encoders;
  ITEM (op)->states[2] = info->in;
  ITEM (op)->param = _spk_builder_add_params (b, scale, ens->n);
  ITEM (op)->scale = rule->learning_rate * b->dt;
  return TRUE;
}

/* What a probe on a learning connection can record: Nengo's
 * Probe(conn, "weights") and Probe(conn.learning_rule, "delta" | "error"
 * | "activities" | …), and for Voja "scaled_encoders" and
 * "post_filtered", for RLS "pre_filtered" and "inv_gamma".  NO_VIEW for
 * anything else. */
SpkView
_spk_builder_learning_probe_view (ObjInfo    *info,
                                  const char *attr)
{
  if (info != NULL && info->encoders.sig >= 0)
    {
      if (attr == NULL || *attr == '\0' || g_str_equal (attr, "scaled_encoders"))
        return info->encoders;
      if (g_str_equal (attr, "delta"))
        return info->delta;
      if (g_str_equal (attr, "post_filtered"))
        return info->learn_post;
      return NO_VIEW;
    }
  if (info == NULL || info->weights.sig < 0 || info->weights.len == 0)
    return NO_VIEW;
  if (attr != NULL && g_str_equal (attr, "inv_gamma"))
    return info->learn_inv_gamma;
  if (attr == NULL || *attr == '\0' || g_str_equal (attr, "weights"))
    return info->weights;
  if (g_str_equal (attr, "delta"))
    return info->delta;
  if (g_str_equal (attr, "error"))
    return info->in;
  if (g_str_equal (attr, "activities") || g_str_equal (attr, "pre_filtered"))
    return info->learn_acts;
  if (g_str_equal (attr, "post_filtered"))
    return info->learn_post;
  if (g_str_equal (attr, "theta"))
    return info->learn_theta;
  return NO_VIEW;
}
