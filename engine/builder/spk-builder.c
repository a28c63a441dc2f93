/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-builder.c — turns a network into a plan.
 *
 * DESIGN
 * Every object becomes signals and operators, as in Nengo's builder:
 *  - a Node: an input signal (reset each step, connections add into it)
 *    and an output signal set by a CONST, EXPR or PROCESS op, or the input
 *    itself for a pass-through;
 *  - an Ensemble: an input vector, the neurons' current J (set to the bias,
 *    then J += (gain/radius)·E·x), the neuron output and its state;
 *  - a Connection: weighted = W·pre (reset each step), then the synapse
 *    (an *update*, hence one step of delay), then post += filtered;
 *  - a Probe: a view of a signal, optionally through its own synapse.
 * Each op declares what it sets, increments, reads and updates; ops are
 * ordered so that for every signal its setter runs before its incrementers,
 * those before its readers, and those before its updater (NEF-FACTS §1).
 * A loop with no synapse in it cannot be ordered and is reported.
 *
 * Randomness: each object draws from streams derived from its own seed,
 * which defaults to spk_seed_derive (network seed, object key), so adding
 * an object never changes another's draws.
 */
#define G_LOG_DOMAIN "spk-builder"

#include "spk-builder-private.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"
#include "core/spk-rng.h"
#include "core/spk-slice.h"
#include "io/spk-image-set.h"
#include "nef/spk-solver.h"
#include "ops/spk-ops-neurons.h"

/* Nodes */

/* A PresentInput over a data set, as one over its images: a copy of
 * process whose inputs are the images (count × 784). */
static SpkProcess *
load_dataset (const SpkProcess  *process,
              GError           **error)
{
  g_autofree float *images = NULL;
  g_autoptr (SpkProcess) copy = NULL;
  g_autoptr (SpkArray) inputs = NULL;
  guint n;

  if (!spk_image_set_load (process->dataset, NULL, process->dataset_train, process->dataset_first,
                           process->dataset_count, &images, NULL, &n, error))
    return NULL;
  inputs = spk_array_new (2, n, SPK_IMAGE_SET_SIZE);
  for (gsize i = 0; i < (gsize) n * SPK_IMAGE_SET_SIZE; i++)
    inputs->data[i] = images[i];
  copy = spk_process_copy (process);
  g_clear_pointer (&copy->inputs, spk_array_unref);
  copy->inputs = g_steal_pointer (&inputs);
  return g_steal_pointer (&copy);
}

/* A Node computed outside the engine (spk_build_external): a CALLBACK
 * between its input and its output, sized by its constant output.  A
 * Node of no output (a Python sink) still gets a one-value signal to
 * write, so the operator has an output like any other. */
static gboolean
build_external_node (Builder    *b,
                     SpkNode    *node,
                     ObjInfo    *info,
                     const char *who,
                     GError    **error)
{
  SpkArray *value = spk_node_get_output_value (node);
  SpkPlanOp *op;
  SpkView out;

  if (value == NULL)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s is computed outside the engine and needs a constant output of its size"),
                   who);
      return FALSE;
    }
  info->size_out = value->ndim == 0 ? 1 : (guint) value->size;
  out = _spk_builder_whole (b, _spk_builder_add_signal (b, MAX (info->size_out, 1), NULL, "%s output", who));
  info->out = info->size_out > 0 ? out : NO_VIEW;
  op = _spk_builder_add_op (b, SPK_OP_CALLBACK, out, info->in, who);
  op->callback = g_strdup (g_hash_table_lookup (b->keys, SPK_OBJECT (node)));
  return TRUE;
}

static gboolean
build_node (Builder  *b,
            SpkNode  *node,
            ObjInfo  *info,
            GError  **error)
{
  SpkObject *object = SPK_OBJECT (node);
  g_autofree char *who = _spk_builder_describe (object);
  SpkArray *value = spk_node_get_output_value (node);
  const char *expr_text = spk_node_get_output_expr (node);
  SpkProcess *process = spk_node_get_output_process (node);
  int size_out = spk_node_get_size_out (node);
  guint size_in = spk_node_get_size_in (node);
  SpkPlanOp *op;

  info->size_in = size_in;
  info->in = NO_VIEW;
  info->seed = _spk_builder_object_seed (b, object, "node");
  if (size_in > 0)
    {
      info->in = _spk_builder_whole (b, _spk_builder_add_signal (b, size_in, NULL, "%s input", who));
      _spk_builder_add_op (b, SPK_OP_RESET, info->in, NO_VIEW, who);
    }

  if (b->external != NULL && g_hash_table_contains (b->external, g_hash_table_lookup (b->keys, object)))
    return build_external_node (b, node, info, who, error);
  if (value)
    {
      guint n = value->ndim == 0 ? 1 : (guint) value->size;

      if (value->ndim == 2 && value->shape[1] != 1 && value->shape[0] != 1)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                       _("%s: output must be a vector, not a matrix"), who);
          return FALSE;
        }
      if (!_spk_builder_check_array_finite (value, "output", error))
        return _spk_builder_prefix_error (error, object), FALSE;
      if (size_out >= 0 && (guint) size_out != n)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                       _("%s: output has %u values but size_out is %d"), who, n, size_out);
          return FALSE;
        }
      info->size_out = n;
      info->out = _spk_builder_whole (b, _spk_builder_add_signal (b, n, value->data, "%s output", who));
      op = _spk_builder_add_op (b, SPK_OP_CONST, info->out, NO_VIEW, who);
      ITEM (op)->param = _spk_builder_add_params (b, value->data, n);
      op->node = g_object_ref (object);
    }
  else if (expr_text)
    {
      g_autoptr (SpkExpr) expr = spk_expr_compile (expr_text, size_in, error);

      if (expr == NULL)
        return _spk_builder_prefix_error (error, object), FALSE;
      if (size_out >= 0 && (guint) size_out != spk_expr_get_size_out (expr))
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                       _("%s: output expression gives %u values but size_out is %d"),
                       who, spk_expr_get_size_out (expr), size_out);
          return FALSE;
        }
      info->size_out = spk_expr_get_size_out (expr);
      info->out = _spk_builder_whole (b, _spk_builder_add_signal (b, info->size_out, NULL, "%s output", who));
      op = _spk_builder_add_op (b, SPK_OP_EXPR, info->out, info->in, who);
      op->expr = g_steal_pointer (&expr);
      if (size_in == 0)
        op->node = g_object_ref (object);
    }
  else if (process)
    {
      info->size_out = size_out >= 0 ? (guint) size_out : spk_process_default_size_out (process);
      if (!spk_process_validate (process, info->size_out, error))
        return _spk_builder_prefix_error (error, object), FALSE;
      info->out = _spk_builder_whole (b, _spk_builder_add_signal (b, info->size_out, NULL, "%s output", who));
      op = _spk_builder_add_op (b, SPK_OP_PROCESS, info->out, NO_VIEW, who);
      op->process = process->dataset ? load_dataset (process, error) : spk_process_ref (process);
      if (op->process == NULL)
        return _spk_builder_prefix_error (error, object), FALSE;
      op->seed = process->seed >= 0 ? (guint64) process->seed : spk_seed_derive (info->seed, "process");
      op->node = g_object_ref (object);
    }
  else
    {
      if (size_in == 0)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                       _("%s has neither an output nor an input (set output or size_in)"), who);
          return FALSE;
        }
      if (size_out >= 0 && (guint) size_out != size_in)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                       _("%s: a pass-through node has size_out equal to size_in (%u), not %d"),
                       who, size_in, size_out);
          return FALSE;
        }
      info->size_out = size_in;
      info->out = info->in;
    }
  return TRUE;
}

static void
neuron_group_free (gpointer data)
{
  NeuronGroup *group = data;

  g_ptr_array_unref (group->members);
  g_free (group->name);
  g_free (group);
}

/* The longest chain of synapse-free connections that reaches each object.
 * Two ensembles at the same depth are never joined by such a chain, so
 * they may share one neuron update without creating a loop. */
static guint
depth_of (Builder    *b,
          SpkObject  *object,
          GHashTable *visiting)
{
  GPtrArray *objects = spk_network_get_objects (b->network);
  gpointer known;
  guint depth = 0;

  if (g_hash_table_lookup_extended (b->depth, object, NULL, &known))
    return GPOINTER_TO_UINT (known);
  if (g_hash_table_contains (visiting, object))
    return 0;   /* a loop with no synapse: the sort reports it */
  g_hash_table_add (visiting, object);
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *other = g_ptr_array_index (objects, i);
      SpkConnection *conn;

      if (!SPK_IS_CONNECTION (other))
        continue;
      conn = SPK_CONNECTION (other);
      if (spk_connection_get_synapse (conn) == NULL && spk_connection_get_post (conn) == object
          && spk_connection_get_pre (conn) != NULL)
        depth = MAX (depth, depth_of (b, spk_connection_get_pre (conn), visiting) + 1);
    }
  g_hash_table_remove (visiting, object);
  g_hash_table_insert (b->depth, object, GUINT_TO_POINTER (depth));
  return depth;
}

static void
join_group (Builder       *b,
            ObjInfo       *info,
            SpkNeuronType *type)
{
  g_autoptr (GHashTable) visiting = g_hash_table_new (NULL, NULL);
  guint depth = depth_of (b, info->object, visiting);
  NeuronGroup *group = NULL;

  for (guint i = 0; i < b->groups->len && group == NULL; i++)
    {
      NeuronGroup *g = g_ptr_array_index (b->groups, i);

      if (g->depth == depth && spk_neuron_type_equal (g->type, type))
        group = g;
    }
  if (group == NULL)
    {
      group = g_new0 (NeuronGroup, 1);
      group->type = type;
      group->depth = depth;
      group->members = g_ptr_array_new ();
      g_ptr_array_add (b->groups, group);
    }
  info->group = group;
  info->group_off = group->n;
  group->n += info->ens->n;
  g_ptr_array_add (group->members, info);
}

/* Ensembles */

guint
_spk_builder_default_n_eval_points (guint n,
                                    guint d)
{
  return MAX (CLAMP (500 * d, 750u, 2500u), 2 * n);
}

/* Nengo's direct mode (builder/ensemble.py with a Direct neuron type): the
 * ensemble's input vector, reset each step and summed into by its
 * connections, is its value, with no delay; there are no neurons, so no
 * encoders, gains, biases, eval points or solves.  Nengo copies the input
 * through an identity "encoding" into the signal connections read; the
 * same value is read here from the input itself, or, with noise (Nengo
 * adds it to that copy), from a sum of the input and the noise. */
static gboolean
build_direct_ensemble (Builder      *b,
                       SpkEnsemble  *ensemble,
                       ObjInfo      *info,
                       const char   *who,
                       guint         d,
                       GError      **error)
{
  SpkObject *object = SPK_OBJECT (ensemble);
  SpkProcess *noise = spk_ensemble_get_noise (ensemble);
  SpkPlanOp *op;

  info->direct = TRUE;
  info->seed = _spk_builder_object_seed (b, object, "ensemble");
  info->size_in = info->size_out = d;
  info->in = _spk_builder_whole (b, _spk_builder_add_signal (b, d, NULL, "%s input", who));
  _spk_builder_add_op (b, SPK_OP_RESET, info->in, NO_VIEW, who);
  if (noise == NULL)
    {
      info->out = info->in;
      return TRUE;
    }
  if (noise->kind == SPK_PROCESS_PRESENT_INPUT && noise->dataset != NULL)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s: noise: a data set's images cannot be noise"), who);
      return FALSE;
    }
  if (!spk_process_validate (noise, d, error))
    {
      g_prefix_error (error, _("%s: noise: "), who);
      return FALSE;
    }
  {
    SpkView noise_out = _spk_builder_whole (b, _spk_builder_add_signal (b, d, NULL, "%s noise", who));

    info->out = _spk_builder_whole (b, _spk_builder_add_signal (b, d, NULL, "%s value", who));
    _spk_builder_add_op (b, SPK_OP_RESET, info->out, NO_VIEW, who);
    op = _spk_builder_add_op (b, SPK_OP_COPY, info->out, info->in, who);
    ITEM (op)->inc = TRUE;
    ITEM (op)->n_index = d;
    op = _spk_builder_add_op (b, SPK_OP_PROCESS, noise_out, NO_VIEW, who);
    op->process = spk_process_ref (noise);
    op->seed = noise->seed >= 0 ? (guint64) noise->seed : spk_seed_derive (info->seed, "noise");
    op = _spk_builder_add_op (b, SPK_OP_COPY, info->out, noise_out, who);
    ITEM (op)->inc = TRUE;
    ITEM (op)->n_index = d;
  }
  return TRUE;
}

static gboolean
build_ensemble (Builder      *b,
                SpkEnsemble  *ensemble,
                ObjInfo      *info,
                GError      **error)
{
  SpkObject *object = SPK_OBJECT (ensemble);
  g_autofree char *who = _spk_builder_describe (object);
  int n_neurons = spk_ensemble_get_n_neurons (ensemble);
  int dims = spk_ensemble_get_dimensions (ensemble);
  double radius = spk_ensemble_get_radius (ensemble);
  SpkNeuronType *type = spk_ensemble_get_neuron_type (ensemble);
  SpkArray *gain = spk_ensemble_get_gain (ensemble), *bias = spk_ensemble_get_bias (ensemble);
  SpkPlanEnsemble *ens;
  const char *state_names[SPK_NEURON_MAX_STATES];
  double *state_ptrs[SPK_NEURON_MAX_STATES];
  guint n, d, n_states, m;
  SpkRng rng, state_rng;
  g_autofree char *k_eval = _spk_builder_param_key (b, SPK_OBJECT (ensemble), "eval_points");
  g_autofree char *k_enc = _spk_builder_param_key (b, SPK_OBJECT (ensemble), "encoders");
  g_autofree char *k_gain = _spk_builder_param_key (b, SPK_OBJECT (ensemble), "gain");
  g_autofree char *k_bias = _spk_builder_param_key (b, SPK_OBJECT (ensemble), "bias");
  SpkArray *saved;
  gboolean taken, taken_bias;

  if (n_neurons <= 0)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s: n_neurons must be at least 1 (got %d)"), who, n_neurons);
      return FALSE;
    }
  if (dims <= 0)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s: dimensions must be at least 1 (got %d)"), who, dims);
      return FALSE;
    }
  if (!isfinite (radius) || radius <= 0.0)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s: radius must be a positive number (got %g)"), who, radius);
      return FALSE;
    }
  if (type == NULL)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s: neuron_type is not set"), who);
      return FALSE;
    }
  if (!spk_neuron_type_validate (type, error))
    return _spk_builder_prefix_error (error, object), FALSE;

  n = (guint) n_neurons;
  d = (guint) dims;
  if (spk_neuron_kind_is_direct (type->kind))
    return build_direct_ensemble (b, ensemble, info, who, d, error);
  /* Per neuron: gain, bias, rates, intercepts, states and signals;
   * encoders: the array, the recorded copy, the scaled copy, the plan's. */
  {
    g_autofree char *neurons = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u neuron", "%u neurons", n), n);
    g_autofree char *encoders = g_strdup_printf (_("%u × %u encoders"), n, d);

    if (!_spk_builder_check_size (b, who, neurons, n, 1, 16, error)
        || !_spk_builder_check_size (b, who, encoders, n, d, 4, error))
      return FALSE;
  }
  info->seed = _spk_builder_object_seed (b, object, "ensemble");
  spk_rng_init (&rng, info->seed);
  spk_rng_init (&state_rng, spk_seed_derive (info->seed, "neuron-state"));

  ens = g_new0 (SpkPlanEnsemble, 1);
  ens->label = g_strdup (spk_object_get_label (object));
  ens->neuron_type = spk_neuron_type_ref (type);
  ens->n = n;
  ens->d = d;
  ens->radius = radius;
  ens->gain = g_new0 (double, n);
  ens->bias = g_new0 (double, n);
  ens->encoders = g_try_new0 (double, (gsize) n * d);
  g_ptr_array_add (b->plan->ensembles, ens);
  info->ens = ens;
  if (ens->encoders == NULL)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_NO_MEMORY,
                   _("%s: not enough memory for %u × %u encoders"), who, n, d);
      return FALSE;
    }

  /* Evaluation points first, then encoders, then rates and intercepts:
   * each from the ensemble's stream, in a fixed order. */
  m = spk_ensemble_get_n_eval_points (ensemble) > 0
      ? (guint) spk_ensemble_get_n_eval_points (ensemble) : _spk_builder_default_n_eval_points (n, d);
  {
    SpkDistribution *ep = spk_ensemble_get_eval_points (ensemble);

    if (ep && ep->kind == SPK_DIST_ARRAY && ep->array->ndim == 2 && ep->array->shape[1] == d)
      m = (guint) ep->array->shape[0];
    if ((saved = _spk_builder_find_override (b, k_eval)) && saved->size % d == 0 && saved->size > 0)
      m = (guint) (saved->size / d);
  }
  info->m = m;
  info->eval_points = g_try_new (double, (gsize) m * d);
  if (info->eval_points == NULL)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_NO_MEMORY,
                   _("%s: not enough memory for %u evaluation points"), who, m);
      return FALSE;
    }
  if (!_spk_builder_take_override (b, k_eval, m, d, info->eval_points, &taken, error))
    return _spk_builder_prefix_error (error, object), FALSE;
  if (!taken)
    {
      if (!_spk_builder_sample (spk_ensemble_get_eval_points (ensemble), "eval_points", m, d, &rng,
                   info->eval_points, error))
        return _spk_builder_prefix_error (error, object), FALSE;
      /* Eval points are given for the unit ball, sampled or as an array
       * alike, and scaled by the radius (Nengo's gen_eval_points). */
      for (gsize i = 0; i < (gsize) m * d; i++)
        info->eval_points[i] *= radius;
    }

  if (!_spk_builder_take_override (b, k_enc, n, d, ens->encoders, &taken, error))
    return _spk_builder_prefix_error (error, object), FALSE;
  if (!taken && !_spk_builder_sample (spk_ensemble_get_encoders (ensemble), "encoders", n, d, &rng, ens->encoders, error))
    return _spk_builder_prefix_error (error, object), FALSE;
  if (!taken && spk_ensemble_get_normalize_encoders (ensemble))
    for (guint i = 0; i < n; i++)
      {
        double norm = 0.0;

        for (guint j = 0; j < d; j++)
          norm += ens->encoders[i * d + j] * ens->encoders[i * d + j];
        norm = sqrt (norm);
        if (norm > 0.0)
          for (guint j = 0; j < d; j++)
            ens->encoders[i * d + j] /= norm;
      }

  if (!_spk_builder_take_override (b, k_gain, n, 1, ens->gain, &taken, error)
      || !_spk_builder_take_override (b, k_bias, n, 1, ens->bias, &taken_bias, error))
    return _spk_builder_prefix_error (error, object), FALSE;
  if (taken != taken_bias)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s: saved gain and bias must be given together"), who);
      return FALSE;
    }
  if (taken)
    ;
  else if (gain != NULL || bias != NULL)
    {
      if (gain == NULL || bias == NULL)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                       _("%s: gain and bias must be given together"), who);
          return FALSE;
        }
      if (gain->size != n || bias->size != n)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                       _("%s: gain and bias need %u values each (got %zu and %zu)"),
                       who, n, gain->size, bias->size);
          return FALSE;
        }
      if (!_spk_builder_check_array_finite (gain, "gain", error) || !_spk_builder_check_array_finite (bias, "bias", error))
        return _spk_builder_prefix_error (error, object), FALSE;
      memcpy (ens->gain, gain->data, n * sizeof (double));
      memcpy (ens->bias, bias->data, n * sizeof (double));
    }
  else
    {
      g_autofree double *max_rates = g_new (double, n);
      g_autofree double *intercepts = g_new (double, n);

      if (!_spk_builder_sample (spk_ensemble_get_max_rates (ensemble), "max_rates", n, 1, &rng, max_rates, error)
          || !_spk_builder_sample (spk_ensemble_get_intercepts (ensemble), "intercepts", n, 1, &rng, intercepts, error)
          || !spk_neuron_gain_bias (type, max_rates, intercepts, n, ens->gain, ens->bias, error))
        return _spk_builder_prefix_error (error, object), FALSE;
    }

  _spk_builder_record_param (b, object, k_eval, 2, m, d, info->eval_points);
  _spk_builder_record_param (b, object, k_enc, 2, n, d, ens->encoders);
  _spk_builder_record_param (b, object, k_gain, 1, n, 1, ens->gain);
  _spk_builder_record_param (b, object, k_bias, 1, n, 1, ens->bias);

  /* The input vector is the ensemble's own; J, the output and the state
   * are parts of its group's signals, made once every ensemble is known
   * (finish_groups). */
  info->in = _spk_builder_whole (b, _spk_builder_add_signal (b, d, NULL, "%s input", who));
  _spk_builder_add_op (b, SPK_OP_RESET, info->in, NO_VIEW, who);
  info->size_out = n;
  /* A wrapper (RegularSpiking of an adaptive base) carries its base's
   * states after its own. */
  n_states = spk_neuron_step_n_states (type);
  {
    guint own = spk_neuron_type_state_names (type, state_names);

    if (own < n_states && type->base)
      spk_neuron_type_state_names (type->base, state_names + own);
  }
  info->n_states = n_states;
  info->state_init = g_new0 (double, (gsize) MAX (n_states, 1) * n);
  for (guint s = 0; s < n_states; s++)
    state_ptrs[s] = info->state_init + (gsize) s * n;
  if (!spk_neuron_init_state (type, n, &state_rng, state_ptrs, error))
    return _spk_builder_prefix_error (error, object), FALSE;
  /* Noise gives one value per neuron (Nengo's Ensemble.noise). */
  if (spk_ensemble_get_noise (ensemble) != NULL)
    {
      SpkProcess *noise = spk_ensemble_get_noise (ensemble);

      if (noise->kind == SPK_PROCESS_PRESENT_INPUT && noise->dataset != NULL)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                       _("%s: noise: a data set's images cannot be noise"), who);
          return FALSE;
        }
      if (!spk_process_validate (noise, n, error))
        {
          g_prefix_error (error, _("%s: noise: "), who);
          return FALSE;
        }
    }
  join_group (b, info, type);
  return TRUE;
}

static void
name_view (Builder    *b,
           SpkView     view,
           const char *who,
           const char *what)
{
  SpkNamedView named = { view, g_strdup_printf ("%s %s", who, what) };

  g_array_append_val (b->plan->named_views, named);
}

/* Makes each group's shared signals — J (set to the biases), the output and
 * the state — its one neuron update, and each member's encoders
 * J += (gain/radius)·E·x on its part of J. */
static void
finish_groups (Builder *b)
{
  for (guint g = 0; g < b->groups->len; g++)
    {
      NeuronGroup *group = g_ptr_array_index (b->groups, g);
      ObjInfo *first = g_ptr_array_index (group->members, 0);
      guint n_states = first->n_states, n = group->n;
      g_autofree double *bias = g_new (double, n);
      g_autofree double *init = g_new0 (double, (gsize) MAX (n_states, 1) * n);
      g_autofree char *name = NULL;
      const char *state_names[SPK_NEURON_MAX_STATES];
      SpkView J, out, states[SPK_NEURON_MAX_STATES];
      SpkPlanOp *op;

      if (group->members->len == 1)
        name = _spk_builder_describe (first->object);
      else
        name = g_strdup_printf ("%u %s ensembles", group->members->len,
                                spk_neuron_kind_to_name (group->type->kind));
      {
        guint own = spk_neuron_type_state_names (group->type, state_names);

        if (own < n_states && group->type->base)
          spk_neuron_type_state_names (group->type->base, state_names + own);
      }
      for (guint m = 0; m < group->members->len; m++)
        {
          ObjInfo *info = g_ptr_array_index (group->members, m);

          memcpy (bias + info->group_off, info->ens->bias, info->ens->n * sizeof (double));
          for (guint s = 0; s < n_states; s++)
            memcpy (init + (gsize) s * n + info->group_off, info->state_init + (gsize) s * info->ens->n,
                    info->ens->n * sizeof (double));
        }

      J = _spk_builder_whole (b, _spk_builder_add_signal (b, n, NULL, "%s neuron input current", name));
      op = _spk_builder_add_op (b, SPK_OP_SET_PARAM, J, NO_VIEW, name);
      ITEM (op)->param = _spk_builder_add_params (b, bias, n);
      for (guint m = 0; m < group->members->len; m++)
        {
          ObjInfo *info = g_ptr_array_index (group->members, m);
          g_autofree char *k_bias = _spk_builder_param_key (b, info->object, "bias");

          _spk_builder_map_param (b, k_bias, ITEM (op)->param + info->group_off, info->ens->n, 1,
                                  FALSE, FALSE, NULL, 0.0);
        }
      out = _spk_builder_whole (b, _spk_builder_add_signal (b, n, NULL, "%s neuron output", name));
      for (guint s = 0; s < n_states; s++)
        states[s] = _spk_builder_whole (b, _spk_builder_add_signal (b, n, init + (gsize) s * n, "%s neuron %s", name, state_names[s]));
      op = _spk_builder_add_op (b, SPK_OP_NEURONS, out, J, name);
      op->neuron_type = spk_neuron_type_ref (group->type);
      op->seed = spk_seed_derive (first->seed, "neuron-noise");
      op->n_states = n_states;
      for (guint s = 0; s < n_states; s++)
        ITEM (op)->states[s] = states[s];

      for (guint m = 0; m < group->members->len; m++)
        {
          ObjInfo *info = g_ptr_array_index (group->members, m);
          SpkPlanEnsemble *ens = info->ens;
          g_autofree char *who = _spk_builder_describe (info->object);
          g_autofree double *scaled = g_new (double, (gsize) ens->n * ens->d);

          info->J = (SpkView) { J.sig, info->group_off, ens->n };
          info->out = (SpkView) { out.sig, info->group_off, ens->n };
          for (guint s = 0; s < n_states; s++)
            info->states[s] = (SpkView) { states[s].sig, info->group_off, ens->n };
          name_view (b, info->J, who, "neuron input current");
          name_view (b, info->out, who, "neuron output");
          for (guint s = 0; s < n_states; s++)
            {
              g_autofree char *what = g_strdup_printf ("neuron %s", state_names[s]);

              name_view (b, info->states[s], who, what);
            }
          for (guint i = 0; i < ens->n; i++)
            for (guint j = 0; j < ens->d; j++)
              scaled[(gsize) i * ens->d + j] = ens->encoders[(gsize) i * ens->d + j] * ens->gain[i] / ens->radius;
          if (_spk_builder_voja_changes (b, info->object))
            {
              /* Voja changes these encoders while it runs: they are state,
               * and saved sessions take them as learned. */
              g_autofree char *key = _spk_builder_param_key (b, info->object, "encoders");
              double *scale = g_new (double, ens->n);

              info->encoders = _spk_builder_whole (b, _spk_builder_add_signal (b, ens->n * ens->d, scaled,
                                                                                 "%s scaled encoders", who));
              op = _spk_builder_add_op (b, SPK_OP_DOT_INC_SIGNAL, info->J, info->in, who);
              op->n_states = 1;
              ITEM (op)->states[0] = info->encoders;
              if (b->plan->learned == NULL)
                b->plan->learned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
              if (b->plan->learned_scale == NULL)
                b->plan->learned_scale = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
              for (guint i = 0; i < ens->n; i++)
                scale[i] = ens->gain[i] / ens->radius;
              g_hash_table_replace (b->plan->learned, g_strdup (key), g_memdup2 (&info->encoders, sizeof (SpkView)));
              g_hash_table_replace (b->plan->learned_scale, g_steal_pointer (&key), scale);
            }
          else
            {
              g_autofree char *k_enc = _spk_builder_param_key (b, info->object, "encoders");

              op = _spk_builder_add_op (b, SPK_OP_DOT_INC, info->J, info->in, who);
              _spk_builder_set_matrix (b, ITEM (op), scaled, ens->n, ens->d);
              _spk_builder_map_matrix (b, k_enc, ITEM (op), NULL, ens->radius);
            }
          /* Noise: the process's output added into the input current
           * (Nengo builds it with mode="inc"); checked in build_ensemble. */
          if (spk_ensemble_get_noise (SPK_ENSEMBLE (info->object)) != NULL)
            {
              SpkProcess *noise = spk_ensemble_get_noise (SPK_ENSEMBLE (info->object));
              SpkView noise_out = _spk_builder_whole (b, _spk_builder_add_signal (b, ens->n, NULL, "%s noise", who));

              op = _spk_builder_add_op (b, SPK_OP_PROCESS, noise_out, NO_VIEW, who);
              op->process = spk_process_ref (noise);
              op->seed = noise->seed >= 0 ? (guint64) noise->seed : spk_seed_derive (info->seed, "noise");
              op = _spk_builder_add_op (b, SPK_OP_COPY, info->J, noise_out, who);
              ITEM (op)->inc = TRUE;
              ITEM (op)->n_index = ens->n;
            }
          b->plan->n_neurons += ens->n;
        }
    }
}

/* How many solves each ensemble's activities serve: decoded connections
 * and decoded_output probes. */
static void
count_decoded_uses (Builder   *b,
                    GPtrArray *objects)
{
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      SpkObject *source = NULL;
      ObjInfo *info;

      if (SPK_IS_CONNECTION (object) && !spk_connection_get_pre_neurons (SPK_CONNECTION (object)))
        source = spk_connection_get_pre (SPK_CONNECTION (object));
      else if (SPK_IS_PROBE (object) && !spk_probe_get_target_neurons (SPK_PROBE (object)))
        {
          const char *attr = spk_probe_get_attr (SPK_PROBE (object));

          if (attr == NULL || *attr == '\0' || g_str_equal (attr, "decoded_output"))
            source = spk_probe_get_target (SPK_PROBE (object));
        }
      if (source && SPK_IS_ENSEMBLE (source) && (info = g_hash_table_lookup (b->info, source)) && !info->direct)
        {
          info->decoded_uses++;
          b->solves_total++;
        }
    }
}

static SpkPlan *
plan_new (void)
{
  SpkPlan *plan = g_new0 (SpkPlan, 1);

  g_atomic_ref_count_init (&plan->ref_count);
  plan->signals = g_ptr_array_new_with_free_func (_spk_builder_plan_signal_free);
  plan->ops = g_ptr_array_new_with_free_func (_spk_builder_plan_op_free);
  plan->probes = g_ptr_array_new_with_free_func (_spk_builder_plan_probe_free);
  plan->ensembles = g_ptr_array_new_with_free_func (_spk_builder_plan_ensemble_free);
  plan->named_views = g_array_new (FALSE, FALSE, sizeof (SpkNamedView));
  plan->named = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) spk_array_unref);
  plan->param_objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  plan->param_slots = g_array_new (FALSE, TRUE, sizeof (SpkPlanParamSlot));
  return plan;
}

SpkPlan *
spk_build (SpkNetwork  *network,
           GError     **error)
{
  return spk_build_with_params (network, NULL, error);
}

/* The largest ensemble of network, in neurons. */
static int
largest_ensemble (SpkNetwork *network)
{
  GPtrArray *objects = spk_network_get_objects (network);
  int n = 0;

  for (guint i = 0; i < objects->len; i++)
    if (SPK_IS_ENSEMBLE (g_ptr_array_index (objects, i)))
      n = MAX (n, spk_ensemble_get_n_neurons (g_ptr_array_index (objects, i)));
  return n;
}

static SpkPlan *build (SpkNetwork *network, GHashTable *saved, Builder *b, GError **error);
static SpkPlan *build_small_solves_alone (SpkNetwork *network, GHashTable *saved, Builder *b,
                                          GError **error);

/* Solves for ensembles of up to this many neurons are too small for
 * OpenBLAS's threads to pay: waking them costs more than they save, and
 * they then spin for about a tenth of a second, taking the core the
 * simulator's own threads (core/spk-pool.h) want.  Such builds run on one
 * BLAS thread. */
#define SMALL_SOLVE_NEURONS 2000

SpkPlan *
spk_build_with_params (SpkNetwork  *network,
                       GHashTable  *saved,
                       GError     **error)
{
  return spk_build_full (network, saved, NULL, NULL, NULL, error);
}

SpkPlan *
spk_build_external (SpkNetwork         *network,
                    GHashTable         *saved,
                    const char *const  *external,
                    GError            **error)
{
  g_autoptr (GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  Builder b = { 0 };

  g_return_val_if_fail (SPK_IS_NETWORK (network), NULL);

  for (guint i = 0; external != NULL && external[i] != NULL; i++)
    g_hash_table_add (keys, (gpointer) external[i]);
  b.external = keys;
  return build_small_solves_alone (network, saved, &b, error);
}

SpkPlan *
spk_build_full (SpkNetwork          *network,
                GHashTable          *saved,
                GCancellable        *cancellable,
                SpkBuildProgressFunc progress,
                gpointer             progress_data,
                GError             **error)
{
  Builder b = { 0 };

  g_return_val_if_fail (SPK_IS_NETWORK (network), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);

  b.cancellable = cancellable;
  b.progress = progress;
  b.progress_data = progress_data;
  return build_small_solves_alone (network, saved, &b, error);
}

/* build (), with OpenBLAS on one thread when every solve is small. */
static SpkPlan *
build_small_solves_alone (SpkNetwork  *network,
                          GHashTable  *saved,
                          Builder     *b,
                          GError     **error)
{
  int threads = openblas_get_num_threads ();
  SpkPlan *plan;

  if (threads > 1 && largest_ensemble (network) <= SMALL_SOLVE_NEURONS)
    openblas_set_num_threads (1);
  plan = build (network, saved, b, error);
  if (threads > 1)
    openblas_set_num_threads (threads);
  return plan;
}

static SpkPlan *
build (SpkNetwork  *network,
       GHashTable  *saved,
       Builder     *monitor,
       GError     **error)
{
  g_autoptr (SpkPlan) plan = plan_new ();
  g_autoptr (GHashTable) info = g_hash_table_new_full (NULL, NULL, NULL, _spk_builder_obj_info_free);
  g_autoptr (GArray) params = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GPtrArray) objects = NULL;
  g_autoptr (GHashTable) depth = g_hash_table_new (NULL, NULL);
  g_autoptr (GPtrArray) groups = g_ptr_array_new_with_free_func (neuron_group_free);
  g_autoptr (GHashTable) keys = NULL;
  g_autoptr (GHashTable) conn_probes = g_hash_table_new_full (NULL, NULL, NULL, _spk_builder_conn_probes_free);
  Builder b = *monitor;
  guint n_probes = 0;
  double dt;

  g_return_val_if_fail (SPK_IS_NETWORK (network), NULL);

  dt = spk_network_get_dt (network);
  if (!isfinite (dt) || dt <= 0.0)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("network: dt must be a positive number of seconds (got %g)"), dt);
      return NULL;
    }
  keys = spk_network_dup_keys (network);
  b.keys = keys;
  b.network = network;
  b.plan = plan;
  b.params = params;
  b.info = info;
  b.overrides = saved;
  b.depth = depth;
  b.groups = groups;
  b.conn_probes = conn_probes;
  b.dt = plan->dt = dt;
  plan->dtype = spk_network_get_dtype (network);
  plan->seed = spk_network_get_seed (network);
  if (plan->seed < 0)
    plan->seed = g_random_int_range (0, G_MAXINT32);
  b.seed = (guint64) plan->seed;

  /* Nodes and ensembles first, so connections and probes know their sizes.
   * Objects in the model file's order, which a saved and reloaded model
   * keeps: the same seeds ("connection<i>") and the same order of sums. */
  objects = spk_network_dup_file_order (network);
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      ObjInfo *oi;

      if (!SPK_IS_NODE (object) && !SPK_IS_ENSEMBLE (object) && !SPK_IS_LAYER (object))
        continue;
      oi = g_new0 (ObjInfo, 1);
      oi->in = oi->out = oi->J = oi->encoders = NO_VIEW;
      oi->object = object;
      g_hash_table_insert (info, object, oi);
      if (SPK_IS_NODE (object) ? !build_node (&b, SPK_NODE (object), oi, error)
          : SPK_IS_LAYER (object) ? !_spk_builder_build_layer (&b, SPK_LAYER (object), oi, error)
                                  : !build_ensemble (&b, SPK_ENSEMBLE (object), oi, error))
        return NULL;
    }
  finish_groups (&b);
  count_decoded_uses (&b, objects);
  /* Learning rules' error inputs exist before any connection writes into one. */
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);

      if (SPK_IS_CONNECTION (object) && spk_connection_get_learning_rule_type (SPK_CONNECTION (object))
          && !_spk_builder_prepare_learning (&b, SPK_CONNECTION (object), error))
        return NULL;
    }
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);

      if (SPK_IS_CONNECTION (object)
          && (g_cancellable_set_error_if_cancelled (b.cancellable, error)
              || !_spk_builder_build_connection (&b, SPK_CONNECTION (object), error)))
        return NULL;
    }
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);

      if (SPK_IS_PROBE (object)
          && (g_cancellable_set_error_if_cancelled (b.cancellable, error)
              || !_spk_builder_build_probe (&b, SPK_PROBE (object), n_probes++, error)))
        return NULL;
    }
  if (b.progress)
    b.progress (1.0, b.progress_data);
  if (!_spk_builder_sort_ops (&b, error))
    return NULL;

  /* A plan keeps its parameters in the precision it runs in only. */
  plan->n_params = params->len;
  if (plan->dtype == SPK_DTYPE_FLOAT32)
    {
      plan->params_f32 = g_try_new (float, MAX (plan->n_params, 1));
      if (plan->params_f32 == NULL)
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_NO_MEMORY,
                       _("not enough memory for %zu parameters"), plan->n_params);
          return NULL;
        }
      for (gsize i = 0; i < plan->n_params; i++)
        plan->params_f32[i] = (float) g_array_index (params, double, i);
    }
  else
    plan->params = (double *) g_array_free (g_steal_pointer (&params), FALSE);
  return g_steal_pointer (&plan);
}
