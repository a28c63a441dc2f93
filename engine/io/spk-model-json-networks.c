/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-model-json-networks.c — Nengo's built-in networks as the model
 * file's objects.
 *
 * A built-in network is a "network" object with a "kind" and Nengo's
 * parameters; the loader asks here for the objects it is made of, written
 * as the model file would write them, and reads them as it reads a file,
 * so a built-in network is exactly the objects a user could have written
 * out by hand.  Each kind follows its Nengo 4.1.0 source (Integrator and
 * Oscillator follow Nengo 3.0's, their last release): the same objects,
 * sizes, transforms, synapses and functions, in the same order.  Objects
 * are labelled by their Python attribute path ("ea.input",
 * "ea.ea_ensembles[0]", "prod.sq1.square"), which is how a user refers to
 * them, as in Nengo.
 */
#define G_LOG_DOMAIN "spk-model-json"

#include "io/spk-model-json-private.h"
#include "model/spk-subnetwork.h"

#include <glib/gi18n-lib.h>
#include <math.h>

typedef struct
{
  const char        *kind;
  const char *const *needs;   /* its parameters; the others must be left out */
} Kind;

static const char *const ensemble_array_params[] = { "n_neurons", "n_ensembles", "ens_dimensions", NULL };
static const char *const product_params[] = { "n_neurons", "dimensions", "input_magnitude", NULL };
static const char *const integrator_params[] = { "recurrent_tau", "n_neurons", "dimensions", NULL };
static const char *const oscillator_params[] = { "recurrent_tau", "frequency", "n_neurons", NULL };

static const Kind kinds[] = {
  { "EnsembleArray", ensemble_array_params },
  { "Product", product_params },
  { "Integrator", integrator_params },
  { "Oscillator", oscillator_params },
};

/* Every parameter of a kind, for the checks and the writer. */
const char *const _spk_model_json_network_params[] = {
  "n_neurons", "n_ensembles", "ens_dimensions", "dimensions", "input_magnitude", "recurrent_tau",
  "frequency", NULL
};

static const Kind *
find_kind (const char *kind)
{
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kinds[i].kind, kind) == 0)
      return &kinds[i];
  return NULL;
}

gboolean
_spk_model_json_network_is_param (const char *kind,
                                  const char *key)
{
  const Kind *k = find_kind (kind);

  return k != NULL && g_strv_contains (k->needs, key);
}

/* {{{ Writing objects as JSON */

static JsonObject *
new_object (JsonArray  *out,
            const char *type,
            const char *label)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "type", type);
  if (label)
    json_object_set_string_member (object, "label", label);
  json_array_add_object_element (out, object);
  return object;
}

static void
add_node (JsonArray  *out,
          const char *label,
          int         size_in)
{
  json_object_set_int_member (new_object (out, "node", label), "size_in", size_in);
}

static void
add_ensemble (JsonArray  *out,
              const char *label,
              int         n_neurons,
              int         dimensions)
{
  JsonObject *object = new_object (out, "ensemble", label);

  json_object_set_int_member (object, "n_neurons", n_neurons);
  json_object_set_int_member (object, "dimensions", dimensions);
}

/* A connection with synapse None unless tau > 0; transform may be NULL
 * (the identity); function may be NULL. */
static JsonObject *
add_connection (JsonArray  *out,
                const char *pre,
                const char *post,
                double      tau,
                JsonNode   *transform,
                const char *function)
{
  JsonObject *object = new_object (out, "connection", NULL);

  json_object_set_string_member (object, "pre", pre);
  json_object_set_string_member (object, "post", post);
  if (transform)
    json_object_set_member (object, "transform", transform);
  if (function)
    json_object_set_string_member (object, "function", function);
  if (tau > 0)
    json_object_set_double_member (object, "synapse", tau);
  else
    json_object_set_null_member (object, "synapse");
  return object;
}

static JsonNode *
scalar (double value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_double (node, value);
  return node;
}

static JsonNode *
matrix2 (double a,
         double b,
         double c,
         double d)
{
  JsonArray *rows = json_array_new ();
  JsonArray *r0 = json_array_new ();
  JsonArray *r1 = json_array_new ();

  json_array_add_double_element (r0, a);
  json_array_add_double_element (r0, b);
  json_array_add_double_element (r1, c);
  json_array_add_double_element (r1, d);
  json_array_add_array_element (rows, r0);
  json_array_add_array_element (rows, r1);
  return json_node_init_array (json_node_alloc (), rows);
}

/* }}} */
/* {{{ The kinds */

/* EnsembleArray.add_output(name, function): a node gathering each
 * ensemble's decoded function (elementwise here, so of the array's size). */
static void
ensemble_array_output (JsonArray  *out,
                       const char *prefix,
                       int         n_ensembles,
                       int         ens_dimensions,
                       const char *name,
                       const char *function)
{
  g_autofree char *node = g_strdup_printf ("%s.%s", prefix, name);

  add_node (out, node, n_ensembles * ens_dimensions);
  for (int i = 0; i < n_ensembles; i++)
    {
      g_autofree char *ens = g_strdup_printf ("%s.ea_ensembles[%d]", prefix, i);
      g_autofree char *post = g_strdup_printf ("%s[%d:%d]", node, i * ens_dimensions, (i + 1) * ens_dimensions);

      add_connection (out, ens, post, 0, NULL, function);
    }
}

/* EnsembleArray.__init__, which ends with add_output("output", None). */
static void
ensemble_array (JsonArray  *out,
                const char *prefix,
                int         n_neurons,
                int         n_ensembles,
                int         ens_dimensions)
{
  g_autofree char *input = g_strdup_printf ("%s.input", prefix);

  add_node (out, input, n_ensembles * ens_dimensions);
  for (int i = 0; i < n_ensembles; i++)
    {
      g_autofree char *ens = g_strdup_printf ("%s.ea_ensembles[%d]", prefix, i);
      g_autofree char *pre = g_strdup_printf ("%s[%d:%d]", input, i * ens_dimensions, (i + 1) * ens_dimensions);

      add_ensemble (out, ens, n_neurons, ens_dimensions);
      add_connection (out, pre, ens, 0, NULL, NULL);
    }
  ensemble_array_output (out, prefix, n_ensembles, ens_dimensions, "output", NULL);
}

/* A nested EnsembleArray(n_neurons, n_ensembles, radius=radius) network
 * object; its "objects" are what is added to it after it is made: the
 * output "square" of x**2, as Product's add_output("square", np.square). */
static void
nested_square_array (JsonArray  *out,
                     const char *label,
                     int         n_neurons,
                     int         n_ensembles,
                     double      radius)
{
  JsonObject *net = new_object (out, "network", label);
  JsonObject *config = json_object_new ();
  JsonObject *ens = json_object_new ();
  JsonArray *objects = json_array_new ();

  json_object_set_string_member (net, "kind", "EnsembleArray");
  json_object_set_int_member (net, "n_neurons", n_neurons);
  json_object_set_int_member (net, "n_ensembles", n_ensembles);
  /* Nengo's EnsembleArray(…, radius=r) puts r in its config. */
  json_object_set_double_member (ens, "radius", radius);
  json_object_set_object_member (config, "ensemble", ens);
  json_object_set_object_member (net, "config", config);
  ensemble_array_output (objects, label, n_ensembles, 1, "square", "x**2");
  json_object_set_array_member (net, "objects", objects);
}

static void
product (JsonArray  *out,
         const char *prefix,
         int         n_neurons,
         int         dimensions,
         double      input_magnitude)
{
  g_autofree char *a = g_strdup_printf ("%s.input_a", prefix);
  g_autofree char *b = g_strdup_printf ("%s.input_b", prefix);
  g_autofree char *output = g_strdup_printf ("%s.output", prefix);
  g_autofree char *sq1 = g_strdup_printf ("%s.sq1", prefix);
  g_autofree char *sq2 = g_strdup_printf ("%s.sq2", prefix);
  g_autofree char *sq1_in = g_strdup_printf ("%s.input", sq1);
  g_autofree char *sq2_in = g_strdup_printf ("%s.input", sq2);
  g_autofree char *sq1_out = g_strdup_printf ("%s.square", sq1);
  g_autofree char *sq2_out = g_strdup_printf ("%s.square", sq2);
  double radius = input_magnitude * sqrt (2.0);
  double tr = 1.0 / sqrt (2.0);
  int half = MAX (1, n_neurons / 2);

  add_node (out, a, dimensions);
  add_node (out, b, dimensions);
  add_node (out, output, dimensions);
  nested_square_array (out, sq1, half, dimensions, radius);
  nested_square_array (out, sq2, half, dimensions, radius);
  add_connection (out, a, sq1_in, 0, scalar (tr), NULL);
  add_connection (out, b, sq1_in, 0, scalar (tr), NULL);
  add_connection (out, a, sq2_in, 0, scalar (tr), NULL);
  add_connection (out, b, sq2_in, 0, scalar (-tr), NULL);
  add_connection (out, sq1_out, output, 0, scalar (0.5), NULL);
  add_connection (out, sq2_out, output, 0, scalar (-0.5), NULL);
}

static void
integrator (JsonArray  *out,
            const char *prefix,
            double      recurrent_tau,
            int         n_neurons,
            int         dimensions)
{
  g_autofree char *input = g_strdup_printf ("%s.input", prefix);
  g_autofree char *ens = g_strdup_printf ("%s.ensemble", prefix);

  add_node (out, input, dimensions);
  add_ensemble (out, ens, n_neurons, dimensions);
  add_connection (out, ens, ens, recurrent_tau, NULL, NULL);
  add_connection (out, input, ens, 0, scalar (recurrent_tau), NULL);
}

static void
oscillator (JsonArray  *out,
            const char *prefix,
            double      recurrent_tau,
            double      frequency,
            int         n_neurons)
{
  g_autofree char *input = g_strdup_printf ("%s.input", prefix);
  g_autofree char *ens = g_strdup_printf ("%s.ensemble", prefix);
  double ft = frequency * recurrent_tau;

  add_node (out, input, 2);
  add_ensemble (out, ens, n_neurons, 2);
  add_connection (out, ens, ens, recurrent_tau, matrix2 (1, -ft, ft, 1), NULL);
  add_connection (out, input, ens, 0, NULL, NULL);
}

/* }}} */

static gboolean
check_count (int          value,
             const char  *key,
             const char  *owner,
             GError     **error)
{
  if (value >= 1)
    return TRUE;
  if (value == 0)
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("missing \"%s\""), key);
  return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("\"%s\" must be at least 1"), key);
}

static gboolean
check_positive (double       value,
                const char  *key,
                const char  *owner,
                GError     **error)
{
  if (isfinite (value) && value > 0)
    return TRUE;
  if (value == 0)
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("missing \"%s\""), key);
  return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                               _("\"%s\" must be a positive number (got %g)"), key, value);
}

gboolean
_spk_model_json_network_check_kind (const char  *kind,
                                    const char  *owner,
                                    GError     **error)
{
  static const char *const names[] = { "EnsembleArray", "Product", "Integrator", "Oscillator" };

  if (find_kind (kind) != NULL)
    return TRUE;
  return _spk_model_json_fail_unknown_kind (error, owner, "kind", _("network"), kind, names,
                                            G_N_ELEMENTS (names));
}

gboolean
_spk_model_json_network_objects (SpkSubnetwork  *net,
                                 const char     *owner,
                                 JsonArray     **out,
                                 GError        **error)
{
  const char *kind = spk_subnetwork_get_kind (net);
  const char *label = spk_object_get_label (SPK_OBJECT (net));
  g_autoptr (JsonArray) objects = json_array_new ();
  int n_neurons, n_ensembles, ens_dimensions, dimensions;
  double input_magnitude, recurrent_tau, frequency;

  if (!_spk_model_json_network_check_kind (kind, owner, error))
    return FALSE;
  if (label == NULL || *label == '\0')
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                 _("a built-in network (%s) needs a label: its objects are named after it"),
                                 kind);
  g_object_get (net, "n-neurons", &n_neurons, "n-ensembles", &n_ensembles, "ens-dimensions", &ens_dimensions,
                "dimensions", &dimensions, "input-magnitude", &input_magnitude,
                "recurrent-tau", &recurrent_tau, "frequency", &frequency, NULL);

  if (g_str_equal (kind, "EnsembleArray"))
    {
      if (!check_count (n_neurons, "n_neurons", owner, error)
          || !check_count (n_ensembles, "n_ensembles", owner, error))
        return FALSE;
      ensemble_array (objects, label, n_neurons, n_ensembles, ens_dimensions);
    }
  else if (g_str_equal (kind, "Product"))
    {
      if (!check_count (n_neurons, "n_neurons", owner, error)
          || !check_count (dimensions, "dimensions", owner, error)
          || !check_positive (input_magnitude, "input_magnitude", owner, error))
        return FALSE;
      product (objects, label, n_neurons, dimensions, input_magnitude);
    }
  else if (g_str_equal (kind, "Integrator"))
    {
      if (!check_positive (recurrent_tau, "recurrent_tau", owner, error)
          || !check_count (n_neurons, "n_neurons", owner, error)
          || !check_count (dimensions, "dimensions", owner, error))
        return FALSE;
      integrator (objects, label, recurrent_tau, n_neurons, dimensions);
    }
  else
    {
      if (!check_positive (recurrent_tau, "recurrent_tau", owner, error)
          || !check_count (n_neurons, "n_neurons", owner, error))
        return FALSE;
      if (!isfinite (frequency))
        return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                     _("\"%s\" must be a finite number (got %g)"), "frequency", frequency);
      oscillator (objects, label, recurrent_tau, frequency, n_neurons);
    }
  *out = g_steal_pointer (&objects);
  return TRUE;
}
