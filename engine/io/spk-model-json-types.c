/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-model-json-types.c — the boxed value types of the model
 * (distributions, neuron types, synapses, processes, solvers, slices)
 * to JSON and back.  The readers take the name of the object (owner) and
 * the path of the value inside it (what, "neuron_type.base") for their
 * messages, and never see null: their callers decide what null means. */
#define G_LOG_DOMAIN "spk-model-json"

#include "spk-model-json-private.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

static const char *const distribution_names[] = {
  "Uniform", "Gaussian", "Choice", "UniformHypersphere", "ScatteredHypersphere", "Glorot", "Exponential",
};

SpkDistribution *
_spk_model_json_distribution_from_json (JsonNode    *node,
                                        const char  *owner,
                                        const char  *what,
                                        GError     **error)
{
  static const char *const uniform_keys[] = { "type", "low", "high", "integer", NULL };
  static const char *const gaussian_keys[] = { "type", "mean", "std", NULL };
  static const char *const choice_keys[] = { "type", "options", "weights", NULL };
  static const char *const sphere_keys[] = { "type", "surface", "min_magnitude", NULL };
  static const char *const glorot_keys[] = { "type", "scale", "distribution", NULL };
  static const char *const exponential_keys[] = { "type", "scale", "shift", "high", NULL };
  g_autoptr (SpkDistribution) dist = NULL;
  JsonObject *object;
  const char *name;
  SpkDistKind kind;
  gboolean ok = FALSE;

  if (_spk_model_json_is_number (node) || JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autoptr (SpkArray) array = _spk_model_json_array_from_json (node, owner, what, error);

      return array ? spk_distribution_new_array (array) : NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
            _("%s must be a distribution (an object with a \"type\") or numbers"), what);
      return NULL;
    }

  object = json_node_get_object (node);
  name = _spk_model_json_read_type_name (object, "type", owner, what, error);
  if (name == NULL)
    return NULL;
  if (!spk_distribution_kind_from_name (name, &kind) || kind == SPK_DIST_ARRAY
      || SPK_DIST_KIND_IS_TRANSFORM (kind))
    {
      _spk_model_json_fail_unknown_kind (error, owner, what, _("distribution"), name,
                         distribution_names, G_N_ELEMENTS (distribution_names));
      return NULL;
    }

  dist = spk_distribution_new (kind);
  switch (kind)
    {
    case SPK_DIST_UNIFORM:
      ok = _spk_model_json_check_members (object, uniform_keys, owner, what, error)
           && _spk_model_json_read_double (object, "low", owner, what, &dist->low, error)
           && _spk_model_json_read_double (object, "high", owner, what, &dist->high, error)
           && _spk_model_json_read_boolean (object, "integer", owner, what, &dist->integer, error);
      break;
    case SPK_DIST_GAUSSIAN:
      ok = _spk_model_json_check_members (object, gaussian_keys, owner, what, error)
           && _spk_model_json_read_double (object, "mean", owner, what, &dist->mean, error)
           && _spk_model_json_read_double (object, "std", owner, what, &dist->std, error);
      break;
    case SPK_DIST_CHOICE:
      ok = _spk_model_json_check_members (object, choice_keys, owner, what, error)
           && _spk_model_json_read_array (object, "options", FALSE, owner, what, &dist->options, error)
           && _spk_model_json_read_array (object, "weights", TRUE, owner, what, &dist->weights, error);
      if (ok && dist->options == NULL)
        ok = _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s: Choice needs \"options\""), what);
      break;
    case SPK_DIST_UNIFORM_HYPERSPHERE:
    case SPK_DIST_SCATTERED_HYPERSPHERE:
      ok = _spk_model_json_check_members (object, sphere_keys, owner, what, error)
           && _spk_model_json_read_boolean (object, "surface", owner, what, &dist->surface, error)
           && _spk_model_json_read_double (object, "min_magnitude", owner, what, &dist->min_magnitude, error);
      break;
    case SPK_DIST_GLOROT:
      ok = _spk_model_json_check_members (object, glorot_keys, owner, what, error)
           && _spk_model_json_read_double (object, "scale", owner, what, &dist->scale, error);
      if (ok && json_object_has_member (object, "distribution"))
        {
          g_autofree char *item = g_strdup_printf ("%s.distribution", what);
          const char *shape = _spk_model_json_string_from_json (json_object_get_member (object, "distribution"),
                                                owner, item, error);

          if (shape == NULL)
            ok = FALSE;
          else if (strcmp (shape, "uniform") == 0 || strcmp (shape, "normal") == 0)
            dist->normal = strcmp (shape, "normal") == 0;
          else
            ok = _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                       _("%s must be \"uniform\" or \"normal\""), item);
        }
      break;
    case SPK_DIST_EXPONENTIAL:
      dist->high = INFINITY;   /* Nengo's default: no upper bound */
      ok = _spk_model_json_check_members (object, exponential_keys, owner, what, error)
           && _spk_model_json_read_double (object, "scale", owner, what, &dist->scale, error)
           && _spk_model_json_read_double (object, "shift", owner, what, &dist->shift, error)
           && _spk_model_json_read_double (object, "high", owner, what, &dist->high, error);
      if (ok && !json_object_has_member (object, "scale"))
        ok = _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s: Exponential needs \"scale\""), what);
      else if (ok && !(dist->scale > 0))
        ok = _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                   _("%s: Exponential's \"scale\" must be positive (got %g)"), what, dist->scale);
      break;
    case SPK_DIST_ARRAY:
    case SPK_DIST_SPARSE:
    case SPK_DIST_CONVOLUTION:
    case SPK_DIST_CONVOLUTION_TRANSPOSE:
    default:
      g_assert_not_reached ();
    }
  return ok ? g_steal_pointer (&dist) : NULL;
}

/* An explicit array is written as the bare numbers; every other kind as
 * an object with its parameters, always all of them, because a
 * distribution reads best complete ("low" and "high" together). */
JsonNode *
_spk_model_json_distribution_to_json (const SpkDistribution *dist)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  if (dist->kind == SPK_DIST_ARRAY)
    return _spk_model_json_array_to_json (dist->array);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, spk_distribution_kind_to_name (dist->kind));
  switch (dist->kind)
    {
    case SPK_DIST_UNIFORM:
      json_builder_set_member_name (builder, "low");
      json_builder_add_double_value (builder, dist->low);
      json_builder_set_member_name (builder, "high");
      json_builder_add_double_value (builder, dist->high);
      if (dist->integer)
        {
          json_builder_set_member_name (builder, "integer");
          json_builder_add_boolean_value (builder, TRUE);
        }
      break;
    case SPK_DIST_GAUSSIAN:
      json_builder_set_member_name (builder, "mean");
      json_builder_add_double_value (builder, dist->mean);
      json_builder_set_member_name (builder, "std");
      json_builder_add_double_value (builder, dist->std);
      break;
    case SPK_DIST_CHOICE:
      json_builder_set_member_name (builder, "options");
      json_builder_add_value (builder, _spk_model_json_array_to_json (dist->options));
      if (dist->weights)
        {
          json_builder_set_member_name (builder, "weights");
          json_builder_add_value (builder, _spk_model_json_array_to_json (dist->weights));
        }
      break;
    case SPK_DIST_UNIFORM_HYPERSPHERE:
    case SPK_DIST_SCATTERED_HYPERSPHERE:
      json_builder_set_member_name (builder, "surface");
      json_builder_add_boolean_value (builder, dist->surface);
      if (!_spk_model_json_same_double (dist->min_magnitude, 0.0))
        {
          json_builder_set_member_name (builder, "min_magnitude");
          json_builder_add_double_value (builder, dist->min_magnitude);
        }
      break;
    case SPK_DIST_GLOROT:
      json_builder_set_member_name (builder, "scale");
      json_builder_add_double_value (builder, dist->scale);
      json_builder_set_member_name (builder, "distribution");
      json_builder_add_string_value (builder, dist->normal ? "normal" : "uniform");
      break;
    case SPK_DIST_EXPONENTIAL:
      json_builder_set_member_name (builder, "scale");
      json_builder_add_double_value (builder, dist->scale);
      json_builder_set_member_name (builder, "shift");
      json_builder_add_double_value (builder, dist->shift);
      if (isfinite (dist->high))
        {
          json_builder_set_member_name (builder, "high");
          json_builder_add_double_value (builder, dist->high);
        }
      break;
    case SPK_DIST_ARRAY:
    case SPK_DIST_SPARSE:
    case SPK_DIST_CONVOLUTION:
    case SPK_DIST_CONVOLUTION_TRANSPOSE:
    default:
      g_assert_not_reached ();
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static GPtrArray *
neuron_kind_names (void)
{
  GPtrArray *names = g_ptr_array_new ();

  for (guint k = 0; k < SPK_NEURON_N_KINDS; k++)
    g_ptr_array_add (names, (gpointer) spk_neuron_kind_to_name (k));
  return names;
}

static gboolean
neuron_kind_from_json (const char     *name,
                       const char     *owner,
                       const char     *what,
                       SpkNeuronKind  *kind,
                       GError        **error)
{
  g_autoptr (GPtrArray) names = NULL;

  if (spk_neuron_kind_from_name (name, kind))
    return TRUE;
  names = neuron_kind_names ();
  return _spk_model_json_fail_unknown_kind (error, owner, what, _("neuron type"), name,
                            (const char *const *) names->pdata, names->len);
}

/* A number is the constant every neuron starts at: a Choice of that one
 * value, which samples to the same number for any ensemble size. */
static SpkDistribution *
initial_state_from_json (JsonNode    *node,
                         const char  *owner,
                         const char  *what,
                         GError     **error)
{
  double value;
  g_autoptr (SpkArray) options = NULL;

  if (!_spk_model_json_is_number (node))
    return _spk_model_json_distribution_from_json (node, owner, what, error);
  if (!_spk_model_json_number_from_json (node, owner, what, &value, error))
    return NULL;
  options = spk_array_new_vector (&value, 1);
  return spk_distribution_new_choice (options, NULL);
}

static JsonNode *
initial_state_to_json (const SpkDistribution *dist)
{
  if (dist->kind == SPK_DIST_CHOICE && dist->weights == NULL && dist->options != NULL
      && dist->options->ndim == 1 && dist->options->size == 1)
    return _spk_model_json_number_to_json (dist->options->data[0]);
  return _spk_model_json_distribution_to_json (dist);
}

static gboolean
neuron_initial_state_from_json (SpkNeuronType  *type,
                                JsonNode       *node,
                                const char     *owner,
                                const char     *what,
                                GError        **error)
{
  g_autofree char *where = g_strdup_printf ("%s.initial_state", what);
  g_autoptr (GList) members = NULL;
  const char *states[SPK_NEURON_MAX_STATES + 1] = { NULL };

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                 _("%s must be an object that maps state names to values"), where);

  spk_neuron_type_state_names (type, states);
  members = json_object_get_members (json_node_get_object (node));
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *state = l->data;
      JsonNode *value = json_object_get_member (json_node_get_object (node), state);
      int index = spk_neuron_type_find_state (type, state);
      g_autofree char *item = g_strdup_printf ("%s.%s", where, state);

      if (index < 0)
        {
          g_autofree char *list = g_strjoinv (", ", (GStrv) states);

          if (states[0] == NULL)
            return _spk_model_json_fail (error, SPK_IO_ERROR_UNKNOWN, owner, _("%s: %s has no state variables"),
                         where, spk_neuron_kind_to_name (type->kind));
          return _spk_model_json_fail (error, SPK_IO_ERROR_UNKNOWN, owner,
                       _("%s: %s has no state '%s'; its states are %s"),
                       where, spk_neuron_kind_to_name (type->kind), state, list);
        }
      spk_distribution_unref (type->initial_state[index]);
      type->initial_state[index] = NULL;
      if (!JSON_NODE_HOLDS_NULL (value))
        {
          type->initial_state[index] = initial_state_from_json (value, owner, item, error);
          if (type->initial_state[index] == NULL)
            return FALSE;
        }
    }
  return TRUE;
}

SpkNeuronType *
_spk_model_json_neuron_type_from_json (JsonNode    *node,
                                       const char  *owner,
                                       const char  *what,
                                       GError     **error)
{
  g_autoptr (SpkNeuronType) type = NULL;
  g_autoptr (GList) members = NULL;
  g_autoptr (GPtrArray) known = NULL;
  JsonObject *object;
  SpkNeuronKind kind;
  const char *name;
  GError *local = NULL;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      if (!neuron_kind_from_json (json_node_get_string (node), owner, what, &kind, error))
        return NULL;
      return spk_neuron_type_new (kind);
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
            _("%s must be a neuron type name or an object with a \"type\""), what);
      return NULL;
    }

  object = json_node_get_object (node);
  name = _spk_model_json_read_type_name (object, "type", owner, what, error);
  if (name == NULL || !neuron_kind_from_json (name, owner, what, &kind, error))
    return NULL;
  type = spk_neuron_type_new (kind);

  known = g_ptr_array_new ();
  g_ptr_array_add (known, "type");
  for (const SpkNeuronParam *p = spk_neuron_kind_params (kind); p->name; p++)
    g_ptr_array_add (known, (gpointer) p->name);
  if (spk_neuron_kind_is_wrapper (kind))
    g_ptr_array_add (known, "base");
  g_ptr_array_add (known, "initial_state");
  g_ptr_array_add (known, NULL);
  if (!_spk_model_json_check_members (object, (const char *const *) known->pdata, owner, what, error))
    return NULL;

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *value = json_object_get_member (object, key);
      const SpkNeuronParam *param = spk_neuron_kind_find_param (kind, key);
      g_autofree char *item = g_strdup_printf ("%s.%s", what, key);

      if (param != NULL)
        {
          double number;

          if (!_spk_model_json_number_from_json (value, owner, item, &number, error))
            return NULL;
          spk_neuron_type_set_param (type, param, number);
        }
      else if (strcmp (key, "base") == 0)
        {
          SpkNeuronType *base = _spk_model_json_neuron_type_from_json (value, owner, item, error);

          if (base == NULL)
            return NULL;
          spk_neuron_type_unref (type->base);
          type->base = base;
        }
      else if (strcmp (key, "initial_state") == 0)
        {
          if (!neuron_initial_state_from_json (type, value, owner, what, error))
            return NULL;
        }
    }

  if (!spk_neuron_type_validate (type, &local))
    {
      _spk_model_json_fail_with (error, local, owner, what);
      return NULL;
    }
  return g_steal_pointer (&type);
}

/* The bare name when nothing differs from the kind's defaults; else an
 * object with the parameters that differ, a wrapper's base and the
 * initial states that are set. */
JsonNode *
_spk_model_json_neuron_type_to_json (const SpkNeuronType *type)
{
  g_autoptr (SpkNeuronType) defaults = spk_neuron_type_new (type->kind);
  g_autoptr (JsonBuilder) builder = NULL;
  const char *states[SPK_NEURON_MAX_STATES + 1] = { NULL };
  guint n_states;
  gboolean any_state = FALSE;

  if (spk_neuron_type_equal (type, defaults))
    return json_node_init_string (json_node_alloc (), spk_neuron_kind_to_name (type->kind));

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, spk_neuron_kind_to_name (type->kind));
  for (const SpkNeuronParam *p = spk_neuron_kind_params (type->kind); p->name; p++)
    {
      double value = spk_neuron_type_get_param (type, p);

      if (_spk_model_json_same_double (value, spk_neuron_type_get_param (defaults, p)))
        continue;
      json_builder_set_member_name (builder, p->name);
      json_builder_add_double_value (builder, value);
    }
  if (spk_neuron_kind_is_wrapper (type->kind) && type->base != NULL)
    {
      json_builder_set_member_name (builder, "base");
      json_builder_add_value (builder, _spk_model_json_neuron_type_to_json (type->base));
    }

  n_states = spk_neuron_type_state_names (type, states);
  for (guint i = 0; i < n_states; i++)
    any_state |= type->initial_state[i] != NULL;
  if (any_state)
    {
      json_builder_set_member_name (builder, "initial_state");
      json_builder_begin_object (builder);
      for (guint i = 0; i < n_states; i++)
        {
          if (type->initial_state[i] == NULL)
            continue;
          json_builder_set_member_name (builder, states[i]);
          json_builder_add_value (builder, initial_state_to_json (type->initial_state[i]));
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static const char *const synapse_names[] = { "Lowpass", "Alpha", "LinearFilter", "Triangle" };

G_STATIC_ASSERT (G_N_ELEMENTS (synapse_names) == SPK_SYNAPSE_N_KINDS);

static gboolean
check_tau (double       tau,
           const char  *owner,
           const char  *what,
           GError     **error)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  if (tau >= 0.0)
    return TRUE;
  g_ascii_formatd (text, sizeof text, "%g", tau);
  return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
               _("%s tau must not be negative (got %s)"), what, text);
}

/* A number is a Lowpass time constant, as in Nengo. */
SpkSynapse *
_spk_model_json_synapse_from_json (JsonNode    *node,
                                   const char  *owner,
                                   const char  *what,
                                   GError     **error)
{
  static const char *const tau_keys[] = { "type", "tau", NULL };
  static const char *const triangle_keys[] = { "type", "t", NULL };
  static const char *const filter_keys[] = { "type", "num", "den", "analog", NULL };
  g_autoptr (SpkSynapse) synapse = NULL;
  JsonObject *object;
  SpkSynapseKind kind;
  const char *name;
  GError *local = NULL;
  double tau;

  if (_spk_model_json_is_number (node))
    {
      if (!_spk_model_json_number_from_json (node, owner, what, &tau, error)
          || !check_tau (tau, owner, what, error))
        return NULL;
      return spk_synapse_new_lowpass (tau);
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
            _("%s must be null, a time constant or an object with a \"type\""), what);
      return NULL;
    }

  object = json_node_get_object (node);
  name = _spk_model_json_read_type_name (object, "type", owner, what, error);
  if (name == NULL)
    return NULL;
  if (!spk_synapse_kind_from_name (name, &kind))
    {
      _spk_model_json_fail_unknown_kind (error, owner, what, _("synapse"), name,
                         synapse_names, G_N_ELEMENTS (synapse_names));
      return NULL;
    }

  if (kind == SPK_SYNAPSE_LINEAR_FILTER)
    {
      g_autoptr (SpkArray) num = NULL;
      g_autoptr (SpkArray) den = NULL;
      gboolean analog = TRUE;

      if (!_spk_model_json_check_members (object, filter_keys, owner, what, error)
          || !_spk_model_json_read_array (object, "num", TRUE, owner, what, &num, error)
          || !_spk_model_json_read_array (object, "den", TRUE, owner, what, &den, error)
          || !_spk_model_json_read_boolean (object, "analog", owner, what, &analog, error))
        return NULL;
      if (num == NULL || den == NULL)
        {
          _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s: LinearFilter needs \"num\" and \"den\""),
                what);
          return NULL;
        }
      synapse = spk_synapse_new_linear_filter_full (num, den, analog);
    }
  else if (kind == SPK_SYNAPSE_TRIANGLE)
    {
      if (!_spk_model_json_check_members (object, triangle_keys, owner, what, error))
        return NULL;
      if (!json_object_has_member (object, "t"))
        {
          _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s: %s needs \"t\""), what, name);
          return NULL;
        }
      if (!_spk_model_json_read_double (object, "t", owner, what, &tau, error))
        return NULL;
      synapse = spk_synapse_new_triangle (tau);
    }
  else
    {
      if (!_spk_model_json_check_members (object, tau_keys, owner, what, error))
        return NULL;
      if (!json_object_has_member (object, "tau"))
        {
          _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s: %s needs \"tau\""), what, name);
          return NULL;
        }
      if (!_spk_model_json_read_double (object, "tau", owner, what, &tau, error)
          || !check_tau (tau, owner, what, error))
        return NULL;
      synapse = kind == SPK_SYNAPSE_ALPHA ? spk_synapse_new_alpha (tau)
                                          : spk_synapse_new_lowpass (tau);
    }

  if (!spk_synapse_validate (synapse, &local))
    {
      _spk_model_json_fail_with (error, local, owner, what);
      return NULL;
    }
  return g_steal_pointer (&synapse);
}

JsonNode *
_spk_model_json_synapse_to_json (const SpkSynapse *synapse)
{
  g_autoptr (JsonBuilder) builder = NULL;

  if (synapse->kind == SPK_SYNAPSE_LOWPASS)
    return _spk_model_json_number_to_json (synapse->tau);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, spk_synapse_kind_to_name (synapse->kind));
  if (synapse->kind == SPK_SYNAPSE_LINEAR_FILTER)
    {
      json_builder_set_member_name (builder, "num");
      json_builder_add_value (builder, _spk_model_json_array_to_json (synapse->num));
      json_builder_set_member_name (builder, "den");
      json_builder_add_value (builder, _spk_model_json_array_to_json (synapse->den));
      if (!synapse->analog)
        {
          json_builder_set_member_name (builder, "analog");
          json_builder_add_boolean_value (builder, FALSE);
        }
    }
  else if (synapse->kind == SPK_SYNAPSE_TRIANGLE)
    {
      json_builder_set_member_name (builder, "t");
      json_builder_add_double_value (builder, synapse->tau);
    }
  else
    {
      json_builder_set_member_name (builder, "tau");
      json_builder_add_double_value (builder, synapse->tau);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static const char *const process_names[] = {
  "WhiteSignal", "WhiteNoise", "PresentInput", "Piecewise", "FilteredNoise", "BrownNoise",
};

G_STATIC_ASSERT (G_N_ELEMENTS (process_names) == SPK_PROCESS_N_KINDS);

/* PresentInput's "inputs": a list of items, or (since version 2) the
 * images of a data set, {"dataset": name, "split": "test" | "train",
 * "first": 0, "count": 100}. */
static gboolean
read_inputs (JsonObject  *object,
             const char  *owner,
             const char  *what,
             SpkProcess  *process,
             GError     **error)
{
  static const char *const dataset_keys[] = { "dataset", "split", "first", "count", NULL };
  JsonNode *node = json_object_get_member (object, "inputs");
  g_autofree char *item = g_strdup_printf ("%s.inputs", what);
  JsonObject *set;
  const char *name, *split = "test";
  gint64 first = 0, count = 100;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return _spk_model_json_read_array (object, "inputs", FALSE, owner, what, &process->inputs, error);
  set = json_node_get_object (node);
  if (!_spk_model_json_check_members (set, dataset_keys, owner, item, error)
      || !(name = _spk_model_json_read_type_name (set, "dataset", owner, item, error)))
    return FALSE;
  if (!g_strv_contains (spk_process_dataset_names (), name))
    {
      g_autofree char *dataset = g_strdup_printf ("%s.dataset", item);

      _spk_model_json_fail_unknown_kind (error, owner, dataset, _("data set"), name,
                                         (const char *const *) spk_process_dataset_names (),
                                         g_strv_length ((GStrv) spk_process_dataset_names ()));
      return FALSE;
    }
  if (json_object_has_member (set, "split"))
    {
      g_autofree char *key = g_strdup_printf ("%s.split", item);

      if (!(split = _spk_model_json_string_from_json (json_object_get_member (set, "split"), owner, key, error)))
        return FALSE;
      if (!g_str_equal (split, "test") && !g_str_equal (split, "train"))
        return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                     _("%s must be \"test\" or \"train\" (got \"%s\")"), key, split);
    }
  for (guint i = 0; i < 2; i++)
    {
      const char *key = i == 0 ? "first" : "count";
      gint64 *value = i == 0 ? &first : &count;
      g_autofree char *full = g_strdup_printf ("%s.%s", item, key);
      gint64 low = i == 0 ? 0 : 1, high = i == 0 ? 59999 : SPK_PROCESS_DATASET_MAX_COUNT;

      if (!json_object_has_member (set, key))
        continue;
      if (!_spk_model_json_integer_from_json (json_object_get_member (set, key), owner, full, value, error))
        return FALSE;
      if (*value < low || *value > high)
        return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                     _("%s must be from %" PRId64 " to %" PRId64 " (got %" PRId64 ")"),
                                     full, low, high, *value);
    }
  g_clear_pointer (&process->inputs, spk_array_unref);
  g_free (process->dataset);
  process->dataset = g_strdup (name);
  process->dataset_train = g_str_equal (split, "train");
  process->dataset_first = (guint) first;
  process->dataset_count = (guint) count;
  return TRUE;
}

/* An object keyed by "process", as a node's output. */
SpkProcess *
_spk_model_json_process_from_json (JsonNode    *node,
                                   const char  *owner,
                                   const char  *what,
                                   GError     **error)
{
  static const char *const signal_keys[] = { "process", "period", "high", "rms", "y0", "seed", NULL };
  static const char *const noise_keys[] = { "process", "dist", "scale", "seed", NULL };
  static const char *const present_keys[] = { "process", "inputs", "presentation_time", "seed", NULL };
  static const char *const piecewise_keys[] = { "process", "times", "values", "interpolation", "seed", NULL };
  static const char *const filtered_keys[] = { "process", "synapse", "dist", "scale", "seed", NULL };
  static const char *const *const keys[] = { signal_keys, noise_keys, present_keys, piecewise_keys,
                                             filtered_keys, noise_keys };
  g_autoptr (SpkProcess) process = NULL;
  JsonObject *object;
  JsonNode *member;
  SpkProcessKind kind;
  const char *name;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be an object with a \"process\""), what);
      return NULL;
    }
  object = json_node_get_object (node);
  name = _spk_model_json_read_type_name (object, "process", owner, what, error);
  if (name == NULL)
    return NULL;
  if (!spk_process_kind_from_name (name, &kind))
    {
      _spk_model_json_fail_unknown_kind (error, owner, what, _("process"), name,
                         process_names, G_N_ELEMENTS (process_names));
      return NULL;
    }
  if (!_spk_model_json_check_members (object, keys[kind], owner, what, error))
    return NULL;

  process = spk_process_new (kind);
  if (!_spk_model_json_read_double (object, "period", owner, what, &process->period, error)
      || !_spk_model_json_read_double (object, "high", owner, what, &process->high, error)
      || !_spk_model_json_read_double (object, "rms", owner, what, &process->rms, error)
      || !_spk_model_json_read_double (object, "y0", owner, what, &process->y0, error)
      || !_spk_model_json_read_boolean (object, "scale", owner, what, &process->scale, error)
      || !read_inputs (object, owner, what, process, error)
      || !_spk_model_json_read_double (object, "presentation_time", owner, what, &process->presentation_time, error)
      || !_spk_model_json_read_array (object, "times", TRUE, owner, what, &process->times, error)
      || !_spk_model_json_read_array (object, "values", FALSE, owner, what, &process->values, error))
    return NULL;

  member = json_object_get_member (object, "interpolation");
  if (member != NULL)
    {
      g_autofree char *item = g_strdup_printf ("%s.interpolation", what);
      const char *text = _spk_model_json_string_from_json (member, owner, item, error);
      static const char *const interpolations[] = { "zero", "linear", "nearest", "slinear", "quadratic", "cubic" };

      G_STATIC_ASSERT (G_N_ELEMENTS (interpolations) == SPK_INTERPOLATION_N_KINDS);
      if (text == NULL)
        return NULL;
      if (!spk_interpolation_from_name (text, &process->interpolation))
        {
          _spk_model_json_fail_unknown_kind (error, owner, item, _("interpolation"), text,
                                             interpolations, G_N_ELEMENTS (interpolations));
          return NULL;
        }
    }

  member = json_object_get_member (object, "synapse");
  if (member != NULL)
    {
      g_autofree char *item = g_strdup_printf ("%s.synapse", what);

      g_clear_pointer (&process->synapse, spk_synapse_unref);
      if (!JSON_NODE_HOLDS_NULL (member))
        {
          process->synapse = _spk_model_json_synapse_from_json (member, owner, item, error);
          if (process->synapse == NULL)
            return NULL;
        }
    }

  member = json_object_get_member (object, "dist");
  if (member != NULL)
    {
      g_autofree char *item = g_strdup_printf ("%s.dist", what);

      g_clear_pointer (&process->dist, spk_distribution_unref);
      if (!JSON_NODE_HOLDS_NULL (member))
        {
          process->dist = _spk_model_json_distribution_from_json (member, owner, item, error);
          if (process->dist == NULL)
            return NULL;
        }
    }

  member = json_object_get_member (object, "seed");
  if (member != NULL)
    {
      g_autofree char *item = g_strdup_printf ("%s.seed", what);

      if (!_spk_model_json_integer_from_json (member, owner, item, &process->seed, error))
        return NULL;
      if (process->seed < -1)
        {
          _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                _("%s must be at least -1 (got %" PRId64 ")"), item, process->seed);
          return NULL;
        }
    }
  return g_steal_pointer (&process);
}

/* The parameters that define each kind are always written; the
 * optional ones (y0, a WhiteNoise's dist and scale, the seed) only when
 * set. */
JsonNode *
_spk_model_json_process_to_json (const SpkProcess *process)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (SpkProcess) defaults = spk_process_new (process->kind);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "process");
  json_builder_add_string_value (builder, spk_process_kind_to_name (process->kind));
  switch (process->kind)
    {
    case SPK_PROCESS_WHITE_SIGNAL:
      json_builder_set_member_name (builder, "period");
      json_builder_add_double_value (builder, process->period);
      json_builder_set_member_name (builder, "high");
      json_builder_add_double_value (builder, process->high);
      json_builder_set_member_name (builder, "rms");
      json_builder_add_double_value (builder, process->rms);
      if (!isnan (process->y0))
        {
          json_builder_set_member_name (builder, "y0");
          json_builder_add_double_value (builder, process->y0);
        }
      break;
    case SPK_PROCESS_WHITE_NOISE:
    case SPK_PROCESS_FILTERED_NOISE:
    case SPK_PROCESS_BROWN_NOISE:
      if (process->kind == SPK_PROCESS_FILTERED_NOISE && !spk_synapse_equal (process->synapse, defaults->synapse))
        {
          json_builder_set_member_name (builder, "synapse");
          if (process->synapse)
            json_builder_add_value (builder, _spk_model_json_synapse_to_json (process->synapse));
          else
            json_builder_add_null_value (builder);
        }
      if (!spk_distribution_equal (process->dist, defaults->dist))
        {
          json_builder_set_member_name (builder, "dist");
          if (process->dist)
            json_builder_add_value (builder, _spk_model_json_distribution_to_json (process->dist));
          else
            json_builder_add_null_value (builder);
        }
      if (!process->scale)
        {
          json_builder_set_member_name (builder, "scale");
          json_builder_add_boolean_value (builder, FALSE);
        }
      break;
    case SPK_PROCESS_PRESENT_INPUT:
      json_builder_set_member_name (builder, "inputs");
      if (process->dataset)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "dataset");
          json_builder_add_string_value (builder, process->dataset);
          json_builder_set_member_name (builder, "split");
          json_builder_add_string_value (builder, process->dataset_train ? "train" : "test");
          json_builder_set_member_name (builder, "first");
          json_builder_add_int_value (builder, process->dataset_first);
          json_builder_set_member_name (builder, "count");
          json_builder_add_int_value (builder, process->dataset_count);
          json_builder_end_object (builder);
        }
      else
        json_builder_add_value (builder, _spk_model_json_array_to_json (process->inputs));
      json_builder_set_member_name (builder, "presentation_time");
      json_builder_add_double_value (builder, process->presentation_time);
      break;
    case SPK_PROCESS_PIECEWISE:
      json_builder_set_member_name (builder, "times");
      json_builder_add_value (builder, _spk_model_json_array_to_json (process->times));
      json_builder_set_member_name (builder, "values");
      json_builder_add_value (builder, _spk_model_json_array_to_json (process->values));
      if (process->interpolation != SPK_INTERPOLATION_ZERO)
        {
          json_builder_set_member_name (builder, "interpolation");
          json_builder_add_string_value (builder, spk_interpolation_to_name (process->interpolation));
        }
      break;
    case SPK_PROCESS_N_KINDS:
    default:
      g_assert_not_reached ();
    }
  if (process->seed != -1)
    {
      json_builder_set_member_name (builder, "seed");
      json_builder_add_int_value (builder, process->seed);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static const char *const solver_names[] = { "LstsqL2", "LstsqL2nz", "Lstsq", "Nnls", "NnlsL2", "NnlsL2nz",
                                            "LstsqNoise", "LstsqMultNoise", "LstsqDrop", "NoSolver" };

G_STATIC_ASSERT (G_N_ELEMENTS (solver_names) == SPK_SOLVER_N_KINDS);

/* The keys each solver kind takes besides "type" and "weights". */
static const char *const *
solver_keys (SpkSolverKind kind)
{
  static const char *const reg_keys[] = { "type", "weights", "reg", NULL };
  static const char *const lstsq_keys[] = { "type", "weights", "rcond", NULL };
  static const char *const plain_keys[] = { "type", "weights", NULL };
  static const char *const noise_keys[] = { "type", "weights", "noise", NULL };
  static const char *const drop_keys[] = { "type", "weights", "drop", "solver1", "solver2", NULL };
  static const char *const given_keys[] = { "type", "weights", "values", NULL };

  switch (kind)
    {
    case SPK_SOLVER_LSTSQ:
      return lstsq_keys;
    case SPK_SOLVER_NNLS:
      return plain_keys;
    case SPK_SOLVER_LSTSQ_NOISE:
    case SPK_SOLVER_LSTSQ_MULT_NOISE:
      return noise_keys;
    case SPK_SOLVER_LSTSQ_DROP:
      return drop_keys;
    case SPK_SOLVER_NO_SOLVER:
      return given_keys;
    case SPK_SOLVER_LSTSQ_L2:
    case SPK_SOLVER_LSTSQ_L2NZ:
    case SPK_SOLVER_NNLS_L2:
    case SPK_SOLVER_NNLS_L2NZ:
    case SPK_SOLVER_N_KINDS:
    default:
      return reg_keys;
    }
}

/* LstsqDrop's sub-solver under `key`, when given. */
static gboolean
read_sub_solver (JsonObject  *object,
                 const char  *key,
                 const char  *owner,
                 const char  *what,
                 SpkSolver  **out,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);
  g_autofree char *item = NULL;
  SpkSolver *solver;

  if (node == NULL)
    return TRUE;
  item = g_strdup_printf ("%s.%s", what, key);
  solver = _spk_model_json_solver_from_json (node, owner, item, error);
  if (solver == NULL)
    return FALSE;
  g_clear_pointer (out, spk_solver_unref);
  *out = solver;
  return TRUE;
}

/* {"type": "LstsqL2", "reg": 0.1} (also LstsqL2nz, NnlsL2, NnlsL2nz),
 * {"type": "Lstsq", "rcond": 0.01}, {"type": "LstsqNoise", "noise": 0.1}
 * (also LstsqMultNoise), {"type": "LstsqDrop", "drop": 0.25, "solver1":
 * …, "solver2": …}, {"type": "NoSolver", "values": [[…], …]},
 * {"type": "Nnls"}, each with an optional "weights": true, or just the
 * name for the defaults. */
SpkSolver *
_spk_model_json_solver_from_json (JsonNode    *node,
                                  const char  *owner,
                                  const char  *what,
                                  GError     **error)
{
  g_autoptr (SpkSolver) solver = NULL;
  JsonObject *object;
  guint kind;
  GError *local = NULL;

  if (!_spk_model_json_read_named_kind (node, owner, what, _("solver"),
                                        _("%s must be a solver name or an object with a \"type\""),
                                        solver_names, G_N_ELEMENTS (solver_names), &kind, &object, error))
    return NULL;
  solver = spk_solver_new (kind, 0.1);
  if (object != NULL
      && (!_spk_model_json_check_members (object, solver_keys (kind), owner, what, error)
          || !_spk_model_json_read_double (object, "reg", owner, what, &solver->reg, error)
          || !_spk_model_json_read_double (object, "rcond", owner, what, &solver->rcond, error)
          || !_spk_model_json_read_double (object, "noise", owner, what, &solver->noise, error)
          || !_spk_model_json_read_double (object, "drop", owner, what, &solver->drop, error)
          || !_spk_model_json_read_boolean (object, "weights", owner, what, &solver->weights, error)
          || !read_sub_solver (object, "solver1", owner, what, &solver->solver1, error)
          || !read_sub_solver (object, "solver2", owner, what, &solver->solver2, error)
          || !_spk_model_json_read_array (object, "values", FALSE, owner, what, &solver->values, error)))
    return NULL;
  if (!spk_solver_validate (solver, &local))
    {
      _spk_model_json_fail_with (error, local, owner, what);
      return NULL;
    }
  return g_steal_pointer (&solver);
}

JsonNode *
_spk_model_json_solver_to_json (const SpkSolver *solver)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, spk_solver_kind_to_name (solver->kind));
  switch (solver->kind)
    {
    case SPK_SOLVER_LSTSQ:
      json_builder_set_member_name (builder, "rcond");
      json_builder_add_double_value (builder, solver->rcond);
      break;
    case SPK_SOLVER_NNLS:
      break;
    case SPK_SOLVER_LSTSQ_NOISE:
    case SPK_SOLVER_LSTSQ_MULT_NOISE:
      json_builder_set_member_name (builder, "noise");
      json_builder_add_double_value (builder, solver->noise);
      break;
    case SPK_SOLVER_LSTSQ_DROP:
      json_builder_set_member_name (builder, "drop");
      json_builder_add_double_value (builder, solver->drop);
      json_builder_set_member_name (builder, "solver1");
      json_builder_add_value (builder, _spk_model_json_solver_to_json (solver->solver1));
      json_builder_set_member_name (builder, "solver2");
      json_builder_add_value (builder, _spk_model_json_solver_to_json (solver->solver2));
      break;
    case SPK_SOLVER_NO_SOLVER:
      if (solver->values != NULL)
        {
          json_builder_set_member_name (builder, "values");
          json_builder_add_value (builder, _spk_model_json_array_to_json (solver->values));
        }
      break;
    case SPK_SOLVER_LSTSQ_L2:
    case SPK_SOLVER_LSTSQ_L2NZ:
    case SPK_SOLVER_NNLS_L2:
    case SPK_SOLVER_NNLS_L2NZ:
    case SPK_SOLVER_N_KINDS:
    default:
      json_builder_set_member_name (builder, "reg");
      json_builder_add_double_value (builder, solver->reg);
      break;
    }
  if (solver->weights)
    {
      json_builder_set_member_name (builder, "weights");
      json_builder_add_boolean_value (builder, TRUE);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* An index (0), a list of indices ([0, 2]) or a slice string ("1:3"). */
SpkSlice *
_spk_model_json_slice_from_json (JsonNode    *node,
                                 const char  *owner,
                                 const char  *what,
                                 GError     **error)
{
  GError *local = NULL;
  SpkSlice *slice;

  if (_spk_model_json_is_number (node))
    {
      gint64 index;

      if (!_spk_model_json_integer_from_json (node, owner, what, &index, error))
        return NULL;
      return spk_slice_new_list (&index, 1);
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *list = json_node_get_array (node);
      guint n = json_array_get_length (list);
      g_autofree gint64 *indices = g_new (gint64, MAX (n, 1));

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *item = g_strdup_printf ("%s[%u]", what, i);

          if (!_spk_model_json_integer_from_json (json_array_get_element (list, i), owner, item, &indices[i], error))
            return NULL;
        }
      return spk_slice_new_list (indices, n);
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      slice = spk_slice_parse (json_node_get_string (node), &local);
      if (slice == NULL)
        _spk_model_json_fail_with (error, local, owner, what);
      return slice;
    }
  _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
        _("%s must be an index, a list of indices or a slice such as \"1:3\""), what);
  return NULL;
}
