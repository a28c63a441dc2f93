/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-model-json.c — the readable model file (docs/model-format.md).
 *
 * Loading walks the GObject properties of each model object: a JSON key
 * "n_neurons" is the property "n-neurons", and the value is converted by
 * the property's type, so new parameters need no code here.  Only the
 * keys whose JSON shape differs from their properties are special: a
 * node's "output" (three properties in one key) and the targets "pre",
 * "post" and "target" (an object, ".neurons" and a slice in one string).
 * The conversions between values and JSON nodes sit in files of their own
 * (spk-model-json-values.c: numbers, arrays and property values;
 * spk-model-json-types.c: the boxed types), so that other writers can
 * share them through spk-model-json-private.h.
 *
 * Writing builds a JsonNode tree and prints it with our own printer
 * (spk-model-json-print.c):
 * json-glib prints doubles with 17 digits ("0.10000000000000001") and
 * loses the sign of -0.0, and we want the shortest text that reads back
 * to the very same double.
 */
#define G_LOG_DOMAIN "spk-model-json"

#include "spk-model-json-private.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "io/spk-file.h"
#include "model/spk-subnetwork.h"
#include "io/spk-json-depth.h"

#define FORMAT_NAME    "spikeworks-model"
#define FORMAT_VERSION 7

/* {{{ Object types */

/* Properties whose JSON shape is not their own: a node's three outputs
 * are its one "output" key, and targets with their ".neurons" flag are
 * the strings "pre", "post" and "target". */
static const char *const node_special[] = { "output-value", "output-expr", "output-process", NULL };
static const char *const connection_special[] = {
  "pre", "pre-neurons", "post", "post-neurons", "function-points", NULL
};
static const char *const probe_special[] = { "target", "target-neurons", NULL };
/* A layer's column strides are the second of the pair in "strides". */
static const char *const layer_special[] = { "strides-w", NULL };
static const char *const no_special[] = { NULL };

static const char *const node_keys[] = { "output", NULL };
static const char *const connection_keys[] = { "pre", "post", NULL };
static const char *const probe_keys[] = { "target", NULL };
static const char *const network_keys[] = { "objects", "config", NULL };

static GType
object_type_from_name (const char *name)
{
  if (g_strcmp0 (name, "node") == 0)
    return SPK_TYPE_NODE;
  if (g_strcmp0 (name, "ensemble") == 0)
    return SPK_TYPE_ENSEMBLE;
  if (g_strcmp0 (name, "connection") == 0)
    return SPK_TYPE_CONNECTION;
  if (g_strcmp0 (name, "probe") == 0)
    return SPK_TYPE_PROBE;
  if (g_strcmp0 (name, "layer") == 0)
    return SPK_TYPE_LAYER;
  if (g_strcmp0 (name, "network") == 0)
    return SPK_TYPE_SUBNETWORK;
  return G_TYPE_INVALID;
}

static const char *const *
special_properties (GType type)
{
  if (type == SPK_TYPE_NODE)
    return node_special;
  if (type == SPK_TYPE_CONNECTION)
    return connection_special;
  if (type == SPK_TYPE_PROBE)
    return probe_special;
  if (type == SPK_TYPE_LAYER)
    return layer_special;
  return no_special;
}

static const char *const *
special_keys (GType type)
{
  if (type == SPK_TYPE_NODE)
    return node_keys;
  if (type == SPK_TYPE_CONNECTION)
    return connection_keys;
  if (type == SPK_TYPE_PROBE)
    return probe_keys;
  if (type == SPK_TYPE_SUBNETWORK)
    return network_keys;
  return no_special;
}

/* Every key an object of type may have, for suggestions. */
static GPtrArray *
known_keys (GType type)
{
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  GObjectClass *klass = g_type_class_peek (type);
  const char *const *special = special_properties (type);
  g_autofree GParamSpec **pspecs = NULL;
  guint n;

  if (g_type_is_a (type, SPK_TYPE_OBJECT))
    g_ptr_array_add (keys, g_strdup ("type"));
  for (const char *const *k = special_keys (type); *k; k++)
    g_ptr_array_add (keys, g_strdup (*k));
  pspecs = g_object_class_list_properties (klass, &n);
  for (guint i = 0; i < n; i++)
    if (!g_strv_contains (special, pspecs[i]->name))
      g_ptr_array_add (keys, _spk_model_json_key_from_property (pspecs[i]->name));
  return keys;
}

/* Sets the property that JSON key names; fails on keys that are not
 * properties of object, or whose JSON shape is special. */
static gboolean
property_from_json (GObject     *object,
                    const char  *key,
                    JsonNode    *node,
                    const char  *owner,
                    GError     **error)
{
  GType type = G_OBJECT_TYPE (object);
  g_autofree char *name = g_strdup (key);
  g_auto (GValue) value = G_VALUE_INIT;
  GParamSpec *pspec;

  g_strdelimit (name, "_", '-');
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), name);
  if (pspec == NULL || strchr (key, '-') != NULL
      || g_strv_contains (special_properties (type), name))
    {
      g_autoptr (GPtrArray) keys = known_keys (type);

      return _spk_model_json_fail_unknown_key (error, owner, NULL, key,
                               (const char *const *) keys->pdata, keys->len);
    }

  /* Nengo writes "every step" as sample_every=None. */
  if (SPK_IS_PROBE (object) && strcmp (name, "sample-every") == 0 && JSON_NODE_HOLDS_NULL (node))
    {
      spk_probe_set_sample_every (SPK_PROBE (object), 0.0);
      return TRUE;
    }

  if (SPK_IS_LAYER (object) && strcmp (name, "strides") == 0)
    return _spk_model_json_layer_strides_from_json (SPK_LAYER (object), node, owner, error);

  if (!_spk_model_json_value_from_json (pspec, node, owner, key, &value, error))
    return FALSE;
  g_object_set_property (object, name, &value);
  return TRUE;
}

/* A layer's "strides" is its two properties in one key. */
static gboolean
is_layer_strides (GObject    *object,
                  GParamSpec *pspec)
{
  return SPK_IS_LAYER (object) && strcmp (pspec->name, "strides") == 0;
}

static void
property_to_json (JsonObject *out,
                  GObject    *object,
                  GParamSpec *pspec)
{
  g_auto (GValue) value = G_VALUE_INIT;
  g_autofree char *key = _spk_model_json_key_from_property (pspec->name);

  if (is_layer_strides (object, pspec))
    {
      json_object_set_member (out, key, _spk_model_json_layer_strides_to_json (SPK_LAYER (object)));
      return;
    }
  g_value_init (&value, G_PARAM_SPEC_VALUE_TYPE (pspec));
  g_object_get_property (object, pspec->name, &value);
  json_object_set_member (out, key, _spk_model_json_value_to_json (pspec, &value));
}

static gboolean apply_defaults (SpkObject   *object,
                                SpkObject   *network,
                                const char  *owner,
                                GError     **error);

/* Writes every property of object that differs from its value in a new
 * object of the same type (with the defaults of the sub-networks it is
 * in), except those in skip; seed goes last. */
static void
properties_to_json (JsonObject        *out,
                    GObject           *object,
                    const char *const *skip)
{
  g_autoptr (GObject) defaults = g_object_new (G_OBJECT_TYPE (object), NULL);
  g_autofree GParamSpec **pspecs = NULL;
  GParamSpec *seed = NULL;
  guint n;

  /* Defaults a file's config gave were checked when it was read. */
  if (SPK_IS_OBJECT (object))
    apply_defaults (SPK_OBJECT (defaults), spk_object_get_network (SPK_OBJECT (object)), "", NULL);
  if (SPK_IS_SUBNETWORK (object) && spk_subnetwork_get_kind (SPK_SUBNETWORK (object)) != NULL)
    _spk_model_json_network_apply_defaults (SPK_SUBNETWORK (defaults),
                                            spk_subnetwork_get_kind (SPK_SUBNETWORK (object)));
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n);
  for (guint i = 0; i < n; i++)
    {
      g_auto (GValue) value = G_VALUE_INIT;
      g_auto (GValue) fresh = G_VALUE_INIT;

      if (g_strv_contains (skip, pspecs[i]->name))
        continue;
      if (is_layer_strides (object, pspecs[i]))
        {
          if (spk_layer_get_strides (SPK_LAYER (object)) != spk_layer_get_strides (SPK_LAYER (defaults))
              || spk_layer_get_strides_w (SPK_LAYER (object)) != spk_layer_get_strides_w (SPK_LAYER (defaults)))
            property_to_json (out, object, pspecs[i]);
          continue;
        }
      g_value_init (&value, G_PARAM_SPEC_VALUE_TYPE (pspecs[i]));
      g_value_init (&fresh, G_PARAM_SPEC_VALUE_TYPE (pspecs[i]));
      g_object_get_property (object, pspecs[i]->name, &value);
      g_object_get_property (defaults, pspecs[i]->name, &fresh);
      if (_spk_model_json_values_equal (pspecs[i], &value, &fresh))
        continue;
      if (strcmp (pspecs[i]->name, "seed") == 0)
        seed = pspecs[i];
      else
        property_to_json (out, object, pspecs[i]);
    }
  if (seed != NULL)
    property_to_json (out, object, seed);
}

/* }}} */
/* {{{ Targets: "b", "b.neurons", "b[1:3]", "b.neurons[0:10]", "#2" */

typedef struct
{
  char     *label;
  gboolean  neurons;
  gboolean  learning_rule;   /* "c.learning_rule": connection c's learning rule */
  SpkSlice *slice;
} Target;

static void
target_clear (Target *target)
{
  g_clear_pointer (&target->label, g_free);
  g_clear_pointer (&target->slice, spk_slice_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Target, target_clear)

/* Splits text into label, ".neurons" and a trailing "[slice]".  A text
 * that is an existing label as a whole is that label, so labels may hold
 * dots and brackets. */
static SpkObject *find_label (SpkNetwork *network,
                              const char *label);

static gboolean
target_parse (SpkNetwork  *network,
              const char  *text,
              const char  *owner,
              const char  *what,
              Target      *target,
              GError     **error)
{
  g_autofree char *rest = g_strdup (text);
  gsize len = strlen (rest);

  if (find_label (network, text) != NULL)
    {
      target->label = g_steal_pointer (&rest);
      return TRUE;
    }

  if (len > 0 && rest[len - 1] == ']')
    {
      int depth = 0;
      gsize open = len;
      g_autofree char *inside = NULL;
      GError *local = NULL;

      /* The matching bracket, so that "b[[0, 2]]" keeps its list. */
      for (gsize i = len; i-- > 0;)
        {
          depth += rest[i] == ']' ? 1 : rest[i] == '[' ? -1 : 0;
          if (depth == 0)
            {
              open = i;
              break;
            }
        }
      if (open == len || open == 0)
        return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                     _("%s '%s' has unbalanced brackets"), what, text);
      rest[len - 1] = '\0';
      inside = g_strdup (rest + open + 1);
      rest[open] = '\0';
      /* "b[0, 2]" as Python's b[[0, 2]]. */
      if (strchr (inside, ',') != NULL && inside[0] != '[')
        {
          char *list = g_strdup_printf ("[%s]", inside);

          g_free (inside);
          inside = list;
        }
      target->slice = spk_slice_parse (inside, &local);
      if (target->slice == NULL)
        return _spk_model_json_fail_with (error, local, owner, what);
    }

  if (g_str_has_suffix (rest, ".neurons") && find_label (network, rest) == NULL)
    {
      rest[strlen (rest) - strlen (".neurons")] = '\0';
      target->neurons = TRUE;
    }
  else if (g_str_has_suffix (rest, ".learning_rule") && find_label (network, rest) == NULL)
    {
      rest[strlen (rest) - strlen (".learning_rule")] = '\0';
      target->learning_rule = TRUE;
    }
  target->label = g_steal_pointer (&rest);
  return TRUE;
}

/* While a whole file's targets are read or written, the network holds an
 * index of its objects (below). */
static void       hold_index    (SpkNetwork *network);
static void       release_index (SpkNetwork *network);
static GPtrArray *file_order    (SpkNetwork *network);
/* Whether object is one of network's, and (index not NULL) its index in
 * the file order. */
static gboolean   file_place    (SpkNetwork *network,
                                 SpkObject  *object,
                                 guint      *index);

/* The object a target label names: a label, or "#<index>" for an
 * unlabelled object at that position in the file's order (objects inside
 * networks counted where the file has them: spk_network_dup_file_order(),
 * which is the list's order while a file is read). */
static SpkObject *
target_lookup (SpkNetwork *network,
               const char *label)
{
  SpkObject *object = find_label (network, label);
  g_autoptr (GPtrArray) objects = NULL;
  guint64 index;

  if (object == NULL)
    {
      g_autofree char *real = _spk_model_json_network_alias (network, label);

      if (real != NULL)
        object = spk_network_lookup (network, real);
    }
  if (object == NULL && label[0] == '#' && g_ascii_isdigit (label[1])
      && g_ascii_string_to_unsigned (label + 1, 10, 0, G_MAXUINT, &index, NULL)
      && index < (objects = file_order (network))->len)
    object = g_ptr_array_index (objects, index);
  return object;
}

static gboolean
target_from_json (SpkNetwork  *network,
                  JsonObject  *json,
                  const char  *key,
                  const char  *owner,
                  SpkObject  **object,
                  Target      *target,
                  GError     **error)
{
  JsonNode *node = json_object_get_member (json, key);
  const char *text;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("missing \"%s\""), key);
  text = _spk_model_json_string_from_json (node, owner, key, error);
  if (text == NULL || !target_parse (network, text, owner, key, target, error))
    return FALSE;
  *object = target_lookup (network, target->label);
  if (*object == NULL)
    return _spk_model_json_fail (error, SPK_IO_ERROR_UNKNOWN, owner, _("unknown label '%s'"), target->label);
  if (target->neurons && !SPK_IS_ENSEMBLE (*object))
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s '%s' has no neurons; only an ensemble has"),
                 spk_object_get_type_name (*object), target->label);
  if (target->learning_rule && !SPK_IS_CONNECTION (*object))
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                 _("%s '%s' has no learning rule; only a connection has"),
                 spk_object_get_type_name (*object), target->label);
  return TRUE;
}

static gboolean
target_set_slice (GObject     *object,
                  const char  *property,
                  const char  *key,
                  SpkSlice    *slice,
                  const char  *owner,
                  GError     **error)
{
  g_autoptr (SpkSlice) current = NULL;
  g_autofree char *slice_key = _spk_model_json_key_from_property (property);

  if (slice == NULL)
    return TRUE;
  g_object_get (object, property, &current, NULL);
  if (current != NULL)
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                 _("the slice is given twice: in \"%s\" and in \"%s\""), key, slice_key);
  g_object_set (object, property, slice, NULL);
  return TRUE;
}

static gboolean
connection_targets_from_json (SpkNetwork     *network,
                              SpkConnection  *connection,
                              JsonObject     *json,
                              const char     *owner,
                              GError        **error)
{
  g_auto (Target) pre = { NULL };
  g_auto (Target) post = { NULL };
  SpkObject *pre_object = NULL, *post_object = NULL;

  if (!target_from_json (network, json, "pre", owner, &pre_object, &pre, error)
      || !target_from_json (network, json, "post", owner, &post_object, &post, error))
    return FALSE;
  if (!SPK_IS_NODE (pre_object) && !SPK_IS_ENSEMBLE (pre_object) && !SPK_IS_LAYER (pre_object))
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("pre must be a node, an ensemble or a layer, not %s '%s'"),
                 spk_object_get_type_name (pre_object), pre.label);
  /* A connection is a post only as its learning rule's error input. */
  if (SPK_IS_CONNECTION (post_object) && !post.learning_rule)
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                 _("post must be a node, an ensemble, a layer or a connection's learning rule, not %s '%s' "
                   "(write '%s.learning_rule' to feed its learning rule)"),
                 spk_object_get_type_name (post_object), post.label, post.label);
  if (!SPK_IS_NODE (post_object) && !SPK_IS_ENSEMBLE (post_object) && !SPK_IS_LAYER (post_object)
      && !SPK_IS_CONNECTION (post_object))
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("post must be a node, an ensemble or a layer, not %s '%s'"),
                 spk_object_get_type_name (post_object), post.label);
  if (!target_set_slice (G_OBJECT (connection), "pre-slice", "pre", pre.slice, owner, error)
      || !target_set_slice (G_OBJECT (connection), "post-slice", "post", post.slice, owner, error))
    return FALSE;
  spk_connection_set_pre (connection, pre_object);
  spk_connection_set_pre_neurons (connection, pre.neurons);
  spk_connection_set_post (connection, post_object);
  spk_connection_set_post_neurons (connection, post.neurons);
  return TRUE;
}

static gboolean
probe_target_from_json (SpkNetwork  *network,
                        SpkProbe    *probe,
                        JsonObject  *json,
                        const char  *owner,
                        GError     **error)
{
  g_auto (Target) target = { NULL };
  SpkObject *object = NULL;

  if (!target_from_json (network, json, "target", owner, &object, &target, error))
    return FALSE;
  if (SPK_IS_PROBE (object))
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("a probe cannot record probe '%s'"),
                 target.label);
  if (!target_set_slice (G_OBJECT (probe), "slice", "target", target.slice, owner, error))
    return FALSE;
  spk_probe_set_target (probe, object);
  spk_probe_set_target_neurons (probe, target.neurons);
  return TRUE;
}

/* The label, or "#<index>" for an unlabelled object (its position in the
 * file's order, as target_lookup() reads it); then ".neurons" and the
 * slice, as target_parse() reads them.  NULL when the target is not in
 * the network. */
static char *
target_to_string_full (SpkNetwork     *network,
                       SpkObject      *object,
                       gboolean        neurons,
                       gboolean        learning_rule,
                       const SpkSlice *slice)
{
  GString *text;
  guint index = 0;

  /* The file order only for an unlabelled object: finding it is work. */
  if (object == NULL
      || !file_place (network, object, spk_object_get_label (object) == NULL ? &index : NULL))
    return NULL;
  text = g_string_new (spk_object_get_label (object));
  if (spk_object_get_label (object) == NULL)
    g_string_append_printf (text, "#%u", index);
  if (neurons)
    g_string_append (text, ".neurons");
  if (learning_rule)
    g_string_append (text, ".learning_rule");
  if (slice != NULL)
    {
      g_autofree char *inside = spk_slice_to_string (slice);

      g_string_append_printf (text, "[%s]", inside);
    }
  return g_string_free (text, FALSE);
}

static char *
target_to_string (SpkNetwork     *network,
                  SpkObject      *object,
                  gboolean        neurons,
                  const SpkSlice *slice)
{
  return target_to_string_full (network, object, neurons, FALSE, slice);
}

static void
set_target_member (JsonObject *out,
                   const char *key,
                   char       *text)
{
  if (text != NULL)
    json_object_set_string_member (out, key, text);
  else
    json_object_set_null_member (out, key);
  g_free (text);
}

/* }}} */
/* {{{ Nodes' output */

static gboolean
node_output_from_json (SpkNode     *node,
                       JsonNode    *json,
                       const char  *owner,
                       GError     **error)
{
  if (JSON_NODE_HOLDS_NULL (json))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (json) && json_node_get_value_type (json) == G_TYPE_STRING)
    {
      spk_node_set_output_expr (node, json_node_get_string (json));
      return TRUE;
    }
  if (_spk_model_json_is_number (json) || JSON_NODE_HOLDS_ARRAY (json))
    {
      g_autoptr (SpkArray) value = _spk_model_json_vector_from_json (json, owner, "output", error);

      if (value == NULL)
        return FALSE;
      spk_node_set_output_value (node, value);
      return TRUE;
    }
  if (JSON_NODE_HOLDS_OBJECT (json) && json_object_has_member (json_node_get_object (json), "process"))
    {
      g_autoptr (SpkProcess) process = _spk_model_json_process_from_json (json, owner, "output", error);

      if (process == NULL)
        return FALSE;
      spk_node_set_output_process (node, process);
      return TRUE;
    }
  return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
               _("output must be a number, a list of numbers, an expression or an object with a \"process\""));
}

/* A one-value vector is written as the bare number, which reads back as
 * that vector. */
static JsonNode *
node_output_to_json (SpkNode *node)
{
  SpkArray *value = spk_node_get_output_value (node);

  if (value != NULL)
    {
      if (value->ndim == 1 && value->size == 1)
        return _spk_model_json_number_to_json (value->data[0]);
      return _spk_model_json_array_to_json (value);
    }
  if (spk_node_get_output_expr (node) != NULL)
    return json_node_init_string (json_node_alloc (), spk_node_get_output_expr (node));
  if (spk_node_get_output_process (node) != NULL)
    return _spk_model_json_process_to_json (spk_node_get_output_process (node));
  return NULL;
}

/* }}} */
/* {{{ A connection's function given as points */

/* Nengo's function as an array: one row of targets per evaluation point. */
static gboolean
function_points_from_json (SpkConnection *connection,
                           JsonNode      *json,
                           const char    *owner,
                           GError       **error)
{
  g_autoptr (SpkArray) points = _spk_model_json_array_from_json (json, owner, "function", error);

  if (points == NULL)
    return FALSE;
  if (points->ndim != 2 || points->size == 0)
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                 _("function given as points must be a list of rows, one row of targets per "
                                   "evaluation point"));
  spk_connection_set_function_points (connection, points);
  return TRUE;
}

/* }}} */
/* {{{ Loading */

/* "ensemble 'b'", "connection a → b" or "object 3". */
static char *
object_name (JsonObject *json,
             const char *type_name,
             guint       index)
{
  JsonNode *label = json_object_get_member (json, "label");
  JsonNode *pre = json_object_get_member (json, "pre");
  JsonNode *post = json_object_get_member (json, "post");

  if (label && JSON_NODE_HOLDS_VALUE (label) && json_node_get_value_type (label) == G_TYPE_STRING)
    return g_strdup_printf ("%s '%s'", type_name, json_node_get_string (label));
  if (g_strcmp0 (type_name, "connection") == 0 && pre && post
      && JSON_NODE_HOLDS_VALUE (pre) && json_node_get_value_type (pre) == G_TYPE_STRING
      && JSON_NODE_HOLDS_VALUE (post) && json_node_get_value_type (post) == G_TYPE_STRING)
    return g_strdup_printf ("connection %s → %s", json_node_get_string (pre),
                            json_node_get_string (post));
  return g_strdup_printf (_("object %u"), index);
}

typedef struct
{
  SpkObject  *object;
  JsonObject *json;    /* a reference: a built-in network's objects are made here */
  char       *name;
} Pending;

static void
pending_clear (gpointer data)
{
  Pending *pending = data;

  g_object_unref (pending->object);
  json_object_unref (pending->json);
  g_free (pending->name);
}

/* Reads the targets of the pending connections and probes, in order. */
static gboolean
pending_targets_from_json (SpkNetwork  *network,
                           GArray      *pending,
                           GError     **error)
{
  gboolean ok = TRUE;

  hold_index (network);
  for (guint i = 0; ok && i < pending->len; i++)
    {
      Pending *item = &g_array_index (pending, Pending, i);

      if (SPK_IS_CONNECTION (item->object))
        ok = connection_targets_from_json (network, SPK_CONNECTION (item->object), item->json, item->name, error);
      else if (SPK_IS_PROBE (item->object))
        ok = probe_target_from_json (network, SPK_PROBE (item->object), item->json, item->name, error);
    }
  release_index (network);
  return ok;
}

/* Sets the defaults that the configs of network and the networks around
 * it give object's type, outer networks' first, so inner ones win. */
static gboolean
apply_defaults (SpkObject   *object,
                SpkObject   *network,
                const char  *owner,
                GError     **error)
{
  g_autoptr (GPtrArray) chain = g_ptr_array_new ();
  const char *type_name = spk_object_get_type_name (object);

  for (SpkObject *up = network; up != NULL; up = spk_object_get_network (up))
    g_ptr_array_insert (chain, 0, up);
  for (guint i = 0; i < chain->len; i++)
    {
      JsonObject *defaults = spk_subnetwork_get_defaults (g_ptr_array_index (chain, i), type_name);
      g_autoptr (GList) keys = defaults ? json_object_get_members (defaults) : NULL;

      for (GList *l = keys; l != NULL; l = l->next)
        if (!property_from_json (G_OBJECT (object), l->data, json_object_get_member (defaults, l->data),
                                 owner, error))
          return FALSE;
    }
  return TRUE;
}

/* A network's "config": for each object type, the defaults its objects
 * take, each key one the type has (its targets and a node's output
 * excepted: they name objects of one place in the file). */
static gboolean
config_from_json (SpkSubnetwork *net,
                  JsonNode      *node,
                  const char    *owner,
                  GError       **error)
{
  static const char *const types[] = { "node", "ensemble", "connection", "probe", NULL };
  g_autofree char *where = g_strdup_printf (_("%s, config"), owner);
  g_autoptr (GList) members = NULL;
  JsonObject *config;

  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                 _("\"config\" must be an object of defaults per object type"));
  config = json_node_get_object (node);
  if (!_spk_model_json_check_members (config, types, where, NULL, error))
    return FALSE;
  members = json_object_get_members (config);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *defaults = json_object_get_member (config, l->data);
      g_autofree char *type_owner = g_strdup_printf ("%s.%s", where, (const char *) l->data);
      g_autoptr (GObject) scratch = g_object_new (object_type_from_name (l->data), NULL);
      g_autoptr (GList) keys = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (defaults))
        return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, type_owner,
                                     _("expected an object of keys and values"));
      keys = json_object_get_members (json_node_get_object (defaults));
      for (GList *k = keys; k != NULL; k = k->next)
        {
          if (g_strv_contains (special_keys (G_OBJECT_TYPE (scratch)), k->data)
              || g_str_equal (k->data, "label") || g_str_equal (k->data, "seed"))
            return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, type_owner,
                                         _("\"%s\" cannot have a default: it is one object's own"),
                                         (const char *) k->data);
          if (!property_from_json (scratch, k->data, json_object_get_member (json_node_get_object (defaults), k->data),
                                   type_owner, error))
            return FALSE;
        }
    }
  spk_subnetwork_set_config (net, config);
  return TRUE;
}

/* {{{ Changes to a built-in network's own objects */

/* What a built-in network's object was made as: a copy of its values (its
 * targets aside), and for a connection its "pre" and "post" as made. */
#define MADE_COPY "spk-model-json-made"
#define MADE_PRE "spk-model-json-made-pre"
#define MADE_POST "spk-model-json-made-post"
#define MADE_IN "spk-model-json-made-in"     /* the built-in network's label then */

static gboolean
is_target_property (GObject    *object,
                    const char *name)
{
  static const char *const targets[] = { "pre", "pre-neurons", "pre-slice", "post", "post-neurons", "post-slice", NULL };

  return SPK_IS_CONNECTION (object) && g_strv_contains (targets, name);
}

static void
remember_made (SpkObject  *object,
               JsonObject *json)
{
  g_autoptr (GObject) copy = g_object_new (G_OBJECT_TYPE (object), NULL);
  g_autofree GParamSpec **pspecs = NULL;
  guint n;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n);
  for (guint i = 0; i < n; i++)
    {
      g_auto (GValue) value = G_VALUE_INIT;

      if ((pspecs[i]->flags & G_PARAM_READWRITE) != G_PARAM_READWRITE
          || is_target_property (G_OBJECT (object), pspecs[i]->name))
        continue;
      g_value_init (&value, G_PARAM_SPEC_VALUE_TYPE (pspecs[i]));
      g_object_get_property (G_OBJECT (object), pspecs[i]->name, &value);
      g_object_set_property (copy, pspecs[i]->name, &value);
    }
  g_object_set_data_full (G_OBJECT (object), MADE_COPY, g_steal_pointer (&copy), g_object_unref);
  g_object_set_data_full (G_OBJECT (object), MADE_IN,
                          g_strdup (spk_subnetwork_builtin_of (object)
                                    ? spk_object_get_label (SPK_OBJECT (spk_subnetwork_builtin_of (object))) : NULL),
                          g_free);
  if (SPK_IS_CONNECTION (object))
    {
      g_object_set_data_full (G_OBJECT (object), MADE_PRE, g_strdup (json_object_get_string_member (json, "pre")),
                              g_free);
      g_object_set_data_full (G_OBJECT (object), MADE_POST, g_strdup (json_object_get_string_member (json, "post")),
                              g_free);
    }
}

/* The label object was made with, as its network is named now (renaming
 * a built-in network renames what it made: "prod.sq1" of "prod"); NULL
 * for an unlabelled one.  (transfer full) */
static char *
made_label (SpkObject *object)
{
  GObject *made = g_object_get_data (G_OBJECT (object), MADE_COPY);
  const char *was_in = g_object_get_data (G_OBJECT (object), MADE_IN);
  SpkSubnetwork *net = spk_subnetwork_builtin_of (object);
  const char *label = made ? spk_object_get_label (SPK_OBJECT (made)) : NULL;
  gsize n = was_in ? strlen (was_in) : 0;

  if (label == NULL || net == NULL || was_in == NULL || strncmp (label, was_in, n) != 0 || label[n] != '.')
    return g_strdup (label);
  return g_strconcat (spk_object_get_label (SPK_OBJECT (net)), label + n, NULL);
}

/* While a whole file's targets are read or written, the network holds an
 * index of its objects: the file order and the labels, found once for all
 * targets rather than by a walk over every object per target (a file of
 * 8,000 probes of unlabelled objects took half a minute to read). */
#define HELD_INDEX "spk-model-json-index"

typedef struct
{
  GPtrArray  *order;    /* spk_network_dup_file_order () */
  GHashTable *places;   /* object → 1 + its index in order */
  GHashTable *labels;   /* label → the first object with it */
  GHashTable *made;     /* find_label ()'s second look: a made label → the first object made with it */
} HeldIndex;

static void
held_index_free (HeldIndex *held)
{
  g_ptr_array_unref (held->order);
  g_hash_table_unref (held->places);
  g_hash_table_unref (held->labels);
  g_hash_table_unref (held->made);
  g_free (held);
}

static void
hold_index (SpkNetwork *network)
{
  HeldIndex *held = g_new0 (HeldIndex, 1);
  GPtrArray *objects = spk_network_get_objects (network);

  held->order = spk_network_dup_file_order (network);
  held->places = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < held->order->len; i++)
    g_hash_table_insert (held->places, g_ptr_array_index (held->order, i), GUINT_TO_POINTER (i + 1));
  held->labels = g_hash_table_new (g_str_hash, g_str_equal);
  held->made = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      const char *label = spk_object_get_label (object);
      char *as_made;

      if (label != NULL && !g_hash_table_contains (held->labels, label))
        g_hash_table_insert (held->labels, (gpointer) label, object);
      if (!spk_object_get_generated (object) || g_object_get_data (G_OBJECT (object), MADE_COPY) == NULL
          || (as_made = made_label (object)) == NULL)
        continue;
      if (g_strcmp0 (as_made, label) != 0 && !g_hash_table_contains (held->made, as_made))
        g_hash_table_insert (held->made, as_made, object);
      else
        g_free (as_made);
    }
  g_object_set_data_full (G_OBJECT (network), HELD_INDEX, held, (GDestroyNotify) held_index_free);
}

static void
release_index (SpkNetwork *network)
{
  g_object_set_data (G_OBJECT (network), HELD_INDEX, NULL);
}

static GPtrArray *
file_order (SpkNetwork *network)
{
  HeldIndex *held = g_object_get_data (G_OBJECT (network), HELD_INDEX);

  return held != NULL ? g_ptr_array_ref (held->order) : spk_network_dup_file_order (network);
}

static gboolean
file_place (SpkNetwork *network,
            SpkObject  *object,
            guint      *index)
{
  HeldIndex *held = g_object_get_data (G_OBJECT (network), HELD_INDEX);
  g_autoptr (GPtrArray) order = NULL;
  guint place;

  if (held == NULL && index == NULL)
    return g_ptr_array_find (spk_network_get_objects (network), object, NULL);
  if (held == NULL)
    {
      order = spk_network_dup_file_order (network);
      return g_ptr_array_find (order, object, index);
    }
  place = GPOINTER_TO_UINT (g_hash_table_lookup (held->places, object));
  if (index != NULL)
    *index = place - 1;
  return place > 0;
}

gboolean
spk_model_dup_made (SpkObject  *object,
                    char      **label,
                    char      **pre,
                    char      **post)
{
  gboolean made;

  g_return_val_if_fail (SPK_IS_OBJECT (object), FALSE);

  made = g_object_get_data (G_OBJECT (object), MADE_COPY) != NULL;
  *label = made ? made_label (object) : NULL;
  *pre = made ? g_strdup (g_object_get_data (G_OBJECT (object), MADE_PRE)) : NULL;
  *post = made ? g_strdup (g_object_get_data (G_OBJECT (object), MADE_POST)) : NULL;
  return made;
}

/* An object by its label, or an object a built-in network made by the
 * label it was made with, renamed since (its network's own connections
 * name it so in the file). */
static SpkObject *
find_label (SpkNetwork *network,
            const char *label)
{
  HeldIndex *held = g_object_get_data (G_OBJECT (network), HELD_INDEX);
  SpkObject *object;
  GPtrArray *objects = spk_network_get_objects (network);

  if (held != NULL)
    {
      if (label == NULL)
        return NULL;
      object = g_hash_table_lookup (held->labels, label);
      return object != NULL ? object : g_hash_table_lookup (held->made, label);
    }
  object = spk_network_lookup (network, label);
  for (guint i = 0; object == NULL && i < objects->len; i++)
    {
      SpkObject *made = g_ptr_array_index (objects, i);
      g_autofree char *as_made = NULL;

      if (!spk_object_get_generated (made) || g_object_get_data (G_OBJECT (made), MADE_COPY) == NULL)
        continue;
      as_made = made_label (made);
      if (g_strcmp0 (as_made, label) == 0 && g_strcmp0 (spk_object_get_label (made), label) != 0)
        object = made;
    }
  return object;
}

static const char *
json_string_member (JsonObject *json,
                    const char *key)
{
  JsonNode *node = json_object_get_member (json, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The object of a built-in network (parent, or the one parent is in)
 * that an entry of parent's "objects" names: a node or an ensemble by
 * its label, a connection by the "pre" and "post" it was made with. */
static SpkObject *
find_made (SpkNetwork *network,
           SpkObject  *parent,
           JsonObject *json,
           GType       type)
{
  GPtrArray *objects = spk_network_get_objects (network);
  const char *label = json_string_member (json, "label");
  const char *pre = json_string_member (json, "pre");
  const char *post = json_string_member (json, "post");

  if (parent == NULL || type == SPK_TYPE_SUBNETWORK
      || (spk_subnetwork_get_kind (SPK_SUBNETWORK (parent)) == NULL && spk_subnetwork_builtin_of (parent) == NULL))
    return NULL;
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);

      if (!spk_object_get_generated (object) || G_OBJECT_TYPE (object) != type
          || !spk_subnetwork_contains (SPK_SUBNETWORK (parent), object)
          || g_object_get_data (G_OBJECT (object), MADE_COPY) == NULL)
        continue;
      if (label != NULL)
        {
          g_autofree char *as_made = made_label (object);

          if (g_strcmp0 (as_made, label) == 0)
            return object;
        }
      if (label == NULL && type == SPK_TYPE_CONNECTION && pre != NULL && post != NULL
          && g_strcmp0 (g_object_get_data (G_OBJECT (object), MADE_PRE), pre) == 0
          && g_strcmp0 (g_object_get_data (G_OBJECT (object), MADE_POST), post) == 0)
        return object;
    }
  return NULL;
}

/* Sets the keys of json (an entry naming made) on made; "renamed" is
 * the label the user gave it instead of the one it was made with. */
static gboolean
change_from_json (SpkNetwork  *network,
                  SpkObject   *made,
                  JsonObject  *json,
                  const char  *owner,
                  GError     **error)
{
  g_autoptr (GList) members = json_object_get_members (json);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *value = json_object_get_member (json, key);

      if (g_str_equal (key, "type") || g_str_equal (key, "label")
          || (SPK_IS_CONNECTION (made) && (g_str_equal (key, "pre") || g_str_equal (key, "post"))))
        continue;
      if (g_str_equal (key, "renamed"))
        {
          const char *label = _spk_model_json_string_from_json (value, owner, key, error);
          SpkObject *other;

          if (label == NULL)
            return FALSE;
          if (*label == '\0')
            return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("\"renamed\" must not be empty"));
          if ((other = spk_network_lookup (network, label)) != NULL && other != made)
            return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("the label '%s' is already used"), label);
          spk_object_set_label (made, label);
          continue;
        }
      if (SPK_IS_NODE (made) && g_str_equal (key, "output"))
        {
          if (!node_output_from_json (SPK_NODE (made), value, owner, error))
            return FALSE;
        }
      else if (SPK_IS_CONNECTION (made) && g_str_equal (key, "function") && JSON_NODE_HOLDS_ARRAY (value))
        {
          if (!function_points_from_json (SPK_CONNECTION (made), value, owner, error))
            return FALSE;
        }
      else if (g_str_equal (key, "slice") || g_str_equal (key, "pre_slice")
               || g_str_equal (key, "post_slice"))
        return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                     _("\"%s\" of an object a built-in network makes cannot be changed"), key);
      else if (!property_from_json (G_OBJECT (made), key, value, owner, error))
        return FALSE;
    }
  return TRUE;
}

/* }}} */

static gboolean object_from_json (SpkNetwork  *network,
                                  JsonNode    *node,
                                  guint        index,
                                  SpkObject   *parent,
                                  gboolean     generated,
                                  GArray      *pending,
                                  GError     **error);

/* A network's parameters, its config and the objects inside it: those its
 * kind makes, then those "objects" lists. */
static gboolean
network_from_json (SpkNetwork    *network,
                   SpkSubnetwork *net,
                   JsonObject    *json,
                   const char    *name,
                   gboolean       generated,
                   GArray        *pending,
                   GError       **error)
{
  const char *kind = spk_subnetwork_get_kind (net);
  JsonNode *member;

  if (kind != NULL && !_spk_model_json_network_check_kind (kind, name, error))
    return FALSE;
  {
    g_autoptr (GList) keys = json_object_get_members (json);

    for (GList *l = keys; l != NULL; l = l->next)
      if (_spk_model_json_network_is_any_param (l->data) && !_spk_model_json_network_is_param (kind, l->data))
        {
          if (kind == NULL)
            return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, name,
                                         _("\"%s\" is a parameter of a built-in network; this network has no \"kind\""),
                                         (const char *) l->data);
          return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, name, _("\"%s\" is not a parameter of %s"),
                                       (const char *) l->data, kind);
        }
  }
  if (kind != NULL && !_spk_model_json_network_check_params (net, json, name, error))
    return FALSE;
  member = json_object_get_member (json, "config");
  if (member != NULL && !config_from_json (net, member, name, error))
    return FALSE;
  if (kind != NULL)
    {
      g_autoptr (JsonArray) made = NULL;

      if (!_spk_model_json_network_objects (net, name, &made, error))
        return FALSE;
      for (guint i = 0; i < json_array_get_length (made); i++)
        if (!object_from_json (network, json_array_get_element (made, i), i, SPK_OBJECT (net), TRUE,
                               pending, error))
          return FALSE;
    }
  member = json_object_get_member (json, "objects");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      JsonArray *objects;

      if (!JSON_NODE_HOLDS_ARRAY (member))
        return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, name, _("\"objects\" must be a list"));
      objects = json_node_get_array (member);
      for (guint i = 0; i < json_array_get_length (objects); i++)
        if (!object_from_json (network, json_array_get_element (objects, i), i, SPK_OBJECT (net), generated,
                               pending, error))
          return FALSE;
    }
  return TRUE;
}

/* Creates the object with every key but its targets, which may name
 * objects further down the file, and adds it to network inside parent
 * (NULL: at the top level); a sub-network brings the objects inside it. */
static gboolean
object_from_json (SpkNetwork  *network,
                  JsonNode    *node,
                  guint        index,
                  SpkObject   *parent,
                  gboolean     generated,
                  GArray      *pending,
                  GError     **error)
{
  g_autofree char *index_name = g_strdup_printf (_("object %u"), index);
  g_autofree char *name = NULL;
  g_autoptr (SpkObject) object = NULL;
  g_autoptr (GList) members = NULL;
  JsonObject *json;
  JsonNode *type_node;
  const char *type_name;
  const char *label;
  GType type;
  Pending item;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, index_name, _("expected a JSON object"));
  json = json_node_get_object (node);
  type_node = json_object_get_member (json, "type");
  if (type_node == NULL)
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, index_name,
                 _("missing \"type\"; expected node, ensemble, connection or probe"));
  type_name = _spk_model_json_string_from_json (type_node, index_name, "type", error);
  if (type_name == NULL)
    return FALSE;
  type = object_type_from_name (type_name);
  if (type == G_TYPE_INVALID)
    return _spk_model_json_fail (error, SPK_IO_ERROR_UNKNOWN, index_name,
                 _("unknown type '%s'; expected node, ensemble, connection or probe"), type_name);

  name = object_name (json, type_name, index);
  /* An entry of a built-in network naming one of its own objects. */
  if (!generated)
    {
      SpkObject *made = find_made (network, parent, json, type);

      if (made != NULL)
        return change_from_json (network, made, json, name, error);
    }
  object = g_object_new (type, NULL);
  if (!apply_defaults (object, parent, name, error))
    return FALSE;
  /* A built-in network's parameters start at Nengo's defaults. */
  if (type == SPK_TYPE_SUBNETWORK && json_object_has_member (json, "kind")
      && JSON_NODE_HOLDS_VALUE (json_object_get_member (json, "kind"))
      && json_node_get_value_type (json_object_get_member (json, "kind")) == G_TYPE_STRING)
    _spk_model_json_network_apply_defaults (SPK_SUBNETWORK (object),
                                            json_object_get_string_member (json, "kind"));
  members = json_object_get_members (json);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *value = json_object_get_member (json, key);

      if (type == SPK_TYPE_CONNECTION && strcmp (key, "function") == 0 && JSON_NODE_HOLDS_ARRAY (value))
        {
          if (!function_points_from_json (SPK_CONNECTION (object), value, name, error))
            return FALSE;
          continue;
        }
      if (strcmp (key, "type") == 0 || g_strv_contains (special_keys (type), key))
        {
          if (strcmp (key, "output") == 0
              && !node_output_from_json (SPK_NODE (object), value, name, error))
            return FALSE;
          continue;
        }
      if (!property_from_json (G_OBJECT (object), key, value, name, error))
        return FALSE;
    }

  label = spk_object_get_label (object);
  if (label != NULL && spk_network_lookup (network, label) != NULL)
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, name, _("the label '%s' is already used"), label);
  /* A network from the file nests as the file does: never a cycle. */
  spk_object_set_network (object, parent, NULL);
  spk_object_set_generated (object, generated);
  if (generated && type != SPK_TYPE_SUBNETWORK)
    remember_made (object, json);
  if (!spk_network_add (network, object, error))
    return FALSE;

  item.object = g_object_ref (object);
  item.json = json_object_ref (json);
  item.name = g_strdup (name);
  g_array_append_val (pending, item);
  if (SPK_IS_SUBNETWORK (object))
    return network_from_json (network, SPK_SUBNETWORK (object), json, name, generated, pending, error);
  return TRUE;
}

static gboolean
check_format (JsonNode    *root,
              GError     **error)
{
  JsonObject *json;
  JsonNode *format, *version;
  gint64 number;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_FORMAT,
                   _("not a Spikeworks model file: the file is not a JSON object"));
      return FALSE;
    }
  json = json_node_get_object (root);
  format = json_object_get_member (json, "format");
  if (format == NULL || !JSON_NODE_HOLDS_VALUE (format)
      || json_node_get_value_type (format) != G_TYPE_STRING
      || strcmp (json_node_get_string (format), FORMAT_NAME) != 0)
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_FORMAT,
                   _("not a Spikeworks model file: \"format\" must be \"%s\""), FORMAT_NAME);
      return FALSE;
    }
  version = json_object_get_member (json, "version");
  if (version == NULL || !_spk_model_json_is_number (version) || json_node_get_value_type (version) != G_TYPE_INT64
      || (number = json_node_get_int (version)) < 1)
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_FORMAT,
                   _("not a Spikeworks model file: \"version\" must be a positive integer"));
      return FALSE;
    }
  if (number > FORMAT_VERSION)
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_FORMAT,
                   _("the model file was written by a newer Spikeworks (version %" PRId64
                     "); this one reads version %d"),
                   number, FORMAT_VERSION);
      return FALSE;
    }
  return TRUE;
}

/* json-glib says "<data>:3:14: Parse error: unexpected …"; keep the
 * position and the reason. */
static void
set_parse_error (GError     **error,
                 const GError *cause)
{
  g_autoptr (GString) message = g_string_new (cause->message);

  if (g_str_has_prefix (message->str, "<data>:"))
    g_string_erase (message, 0, strlen ("<data>:"));
  g_string_replace (message, "Parse error: ", "", 1);
  g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_PARSE, _("malformed JSON at %s"), message->str);
}

SpkNetwork *
spk_model_load_data (const char  *data,
                     gssize       length,
                     GError     **error)
{
  static const char *const top_keys[] = { "format", "version", "network", "objects", NULL };
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (SpkNetwork) network = NULL;
  g_autoptr (GArray) pending = NULL;
  g_autoptr (GError) local = NULL;
  JsonObject *root;
  JsonNode *member;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Bounded before json-glib, which recurses once per level. */
  if (!spk_json_check_depth (data, length, SPK_JSON_MAX_DEPTH, error))
    return NULL;
  if (!json_parser_load_from_data (parser, data, length, &local))
    {
      set_parse_error (error, local);
      return NULL;
    }
  if (!check_format (json_parser_get_root (parser), error))
    return NULL;
  root = json_node_get_object (json_parser_get_root (parser));
  if (!_spk_model_json_check_members (root, top_keys, _("model file"), NULL, error))
    return NULL;

  network = spk_network_new ();
  member = json_object_get_member (root, "network");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      g_autoptr (GList) keys = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (member))
        {
          _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, _("model file"), _("\"network\" must be an object"));
          return NULL;
        }
      keys = json_object_get_members (json_node_get_object (member));
      for (GList *l = keys; l != NULL; l = l->next)
        if (!property_from_json (G_OBJECT (network), l->data,
                                 json_object_get_member (json_node_get_object (member), l->data),
                                 _("network"), error))
          return NULL;
    }

  pending = g_array_new (FALSE, TRUE, sizeof (Pending));
  g_array_set_clear_func (pending, pending_clear);
  member = json_object_get_member (root, "objects");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      JsonArray *objects;

      if (!JSON_NODE_HOLDS_ARRAY (member))
        {
          _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, _("model file"), _("\"objects\" must be a list"));
          return NULL;
        }
      objects = json_node_get_array (member);
      for (guint i = 0; i < json_array_get_length (objects); i++)
        if (!object_from_json (network, json_array_get_element (objects, i), i, NULL, FALSE, pending, error))
          return NULL;
    }

  /* Targets last, so that a connection may come before its ends. */
  if (!pending_targets_from_json (network, pending, error))
    return NULL;
  return g_steal_pointer (&network);
}

SpkNetwork *
spk_model_load_file (const char  *path,
                     GError     **error)
{
  g_autofree char *data = NULL;
  gsize length;
  SpkNetwork *network;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;
  network = spk_model_load_data (data, length, error);
  if (network == NULL)
    g_prefix_error (error, "%s: ", path);
  return network;
}

/* }}} */
/* {{{ Writing */

static JsonObject *object_to_json (SpkNetwork *network,
                                   SpkObject  *object);

/* The objects of the file inside network (NULL: at the top level), in
 * model order; a built-in network's own objects are its parameters. */
static JsonArray *
objects_to_json (SpkNetwork *network,
                 SpkObject  *parent)
{
  JsonArray *objects = json_array_new ();
  GPtrArray *list = spk_network_get_objects (network);

  for (guint i = 0; i < list->len; i++)
    {
      SpkObject *object = g_ptr_array_index (list, i);

      if (spk_object_get_network (object) == parent && !spk_object_get_generated (object))
        json_array_add_object_element (objects, object_to_json (network, object));
    }
  return objects;
}

/* Appends to out an entry for each object net made that was changed
 * since: its label (a connection: its "pre" and "post" as made) and the
 * keys whose values differ from what was made. */
static void
changes_to_json (SpkNetwork    *network,
                 SpkSubnetwork *net,
                 JsonArray     *out)
{
  GPtrArray *objects = spk_network_get_objects (network);

  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      GObject *made = g_object_get_data (G_OBJECT (object), MADE_COPY);
      g_autoptr (JsonObject) entry = NULL;
      g_autofree GParamSpec **pspecs = NULL;
      g_autofree char *as_made = NULL;
      gboolean output_changed = FALSE, changed = FALSE;
      guint n;

      if (made == NULL || spk_subnetwork_builtin_of (object) != net)
        continue;
      as_made = made_label (object);
      entry = json_object_new ();
      json_object_set_string_member (entry, "type", spk_object_get_type_name (object));
      if (SPK_IS_CONNECTION (object))
        {
          json_object_set_string_member (entry, "pre", g_object_get_data (G_OBJECT (object), MADE_PRE));
          json_object_set_string_member (entry, "post", g_object_get_data (G_OBJECT (object), MADE_POST));
        }
      else   /* by its label as made: the name Nengo gives it */
        json_object_set_string_member (entry, "label", as_made);
      if (g_strcmp0 (as_made, spk_object_get_label (object)) != 0 && spk_object_get_label (object) != NULL)
        {
          json_object_set_string_member (entry, "renamed", spk_object_get_label (object));
          changed = TRUE;
        }
      pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n);
      for (guint k = 0; k < n; k++)
        {
          g_auto (GValue) value = G_VALUE_INIT;
          g_auto (GValue) was = G_VALUE_INIT;

          if ((pspecs[k]->flags & G_PARAM_READWRITE) != G_PARAM_READWRITE
              || is_target_property (G_OBJECT (object), pspecs[k]->name) || g_str_equal (pspecs[k]->name, "label"))
            continue;
          g_value_init (&value, G_PARAM_SPEC_VALUE_TYPE (pspecs[k]));
          g_value_init (&was, G_PARAM_SPEC_VALUE_TYPE (pspecs[k]));
          g_object_get_property (G_OBJECT (object), pspecs[k]->name, &value);
          g_object_get_property (made, pspecs[k]->name, &was);
          if (_spk_model_json_values_equal (pspecs[k], &value, &was))
            continue;
          changed = TRUE;
          if (SPK_IS_NODE (object) && g_strv_contains (node_special, pspecs[k]->name))
            output_changed = TRUE;
          else if (g_str_equal (pspecs[k]->name, "function-points"))
            json_object_set_member (entry, "function",
                                    spk_connection_get_function_points (SPK_CONNECTION (object))
                                    ? _spk_model_json_array_to_json (spk_connection_get_function_points (SPK_CONNECTION (object)))
                                    : json_node_init_null (json_node_alloc ()));
          else
            property_to_json (entry, G_OBJECT (object), pspecs[k]);
        }
      if (output_changed)
        {
          JsonNode *output = node_output_to_json (SPK_NODE (object));

          json_object_set_member (entry, "output", output ? output : json_node_init_null (json_node_alloc ()));
        }
      if (changed)
        json_array_add_object_element (out, g_steal_pointer (&entry));
    }
}

static JsonObject *
object_to_json (SpkNetwork *network,
                SpkObject  *object)
{
  JsonObject *out = json_object_new ();
  g_autoptr (GPtrArray) skip = g_ptr_array_new ();
  const char *label = spk_object_get_label (object);

  json_object_set_string_member (out, "type", spk_object_get_type_name (object));
  if (label != NULL)
    json_object_set_string_member (out, "label", label);

  g_ptr_array_add (skip, "label");
  for (const char *const *k = special_properties (G_OBJECT_TYPE (object)); *k; k++)
    g_ptr_array_add (skip, (gpointer) *k);

  if (SPK_IS_NODE (object))
    {
      JsonNode *output = node_output_to_json (SPK_NODE (object));

      if (output != NULL)
        json_object_set_member (out, "output", output);
    }
  else if (SPK_IS_ENSEMBLE (object))
    {
      GObjectClass *klass = G_OBJECT_GET_CLASS (object);

      /* Sizes always, even at their defaults: a reader needs them. */
      property_to_json (out, G_OBJECT (object), g_object_class_find_property (klass, "n-neurons"));
      property_to_json (out, G_OBJECT (object), g_object_class_find_property (klass, "dimensions"));
      g_ptr_array_add (skip, "n-neurons");
      g_ptr_array_add (skip, "dimensions");
    }
  else if (SPK_IS_CONNECTION (object))
    {
      SpkConnection *connection = SPK_CONNECTION (object);

      set_target_member (out, "pre",
                         target_to_string (network, spk_connection_get_pre (connection),
                                           spk_connection_get_pre_neurons (connection),
                                           spk_connection_get_pre_slice (connection)));
      set_target_member (out, "post",
                         target_to_string_full (network, spk_connection_get_post (connection),
                                                spk_connection_get_post_neurons (connection),
                                                SPK_IS_CONNECTION (spk_connection_get_post (connection)),
                                                spk_connection_get_post_slice (connection)));
      g_ptr_array_add (skip, "pre-slice");
      g_ptr_array_add (skip, "post-slice");
      if (spk_connection_get_function_points (connection) != NULL)
        json_object_set_member (out, "function",
                                _spk_model_json_array_to_json (spk_connection_get_function_points (connection)));
    }
  else if (SPK_IS_PROBE (object))
    {
      SpkProbe *probe = SPK_PROBE (object);

      set_target_member (out, "target",
                         target_to_string (network, spk_probe_get_target (probe),
                                           spk_probe_get_target_neurons (probe),
                                           spk_probe_get_slice (probe)));
      g_ptr_array_add (skip, "slice");
    }

  else if (SPK_IS_SUBNETWORK (object) && spk_subnetwork_get_kind (SPK_SUBNETWORK (object)) != NULL)
    {
      g_autoptr (GPtrArray) required = _spk_model_json_network_required (spk_subnetwork_get_kind (SPK_SUBNETWORK (object)));

      /* The kind first, then the parameters a reader needs, always. */
      property_to_json (out, G_OBJECT (object), g_object_class_find_property (G_OBJECT_GET_CLASS (object), "kind"));
      g_ptr_array_add (skip, "kind");
      for (guint i = 0; i < required->len; i++)
        {
          property_to_json (out, G_OBJECT (object),
                            g_object_class_find_property (G_OBJECT_GET_CLASS (object), required->pdata[i]));
          g_ptr_array_add (skip, required->pdata[i]);
        }
      g_ptr_array_add (skip, NULL);
      properties_to_json (out, G_OBJECT (object), (const char *const *) skip->pdata);
      g_ptr_array_set_size (skip, skip->len - 1);
    }
  if (!SPK_IS_SUBNETWORK (object) || spk_subnetwork_get_kind (SPK_SUBNETWORK (object)) == NULL)
    {
      g_ptr_array_add (skip, NULL);
      properties_to_json (out, G_OBJECT (object), (const char *const *) skip->pdata);
    }
  if (SPK_IS_SUBNETWORK (object))
    {
      JsonObject *config = spk_subnetwork_get_config (SPK_SUBNETWORK (object));
      JsonArray *inside = objects_to_json (network, object);

      if (config != NULL && json_object_get_size (config) > 0)
        json_object_set_object_member (out, "config", json_object_ref (config));
      if (spk_subnetwork_get_kind (SPK_SUBNETWORK (object)) != NULL && !spk_object_get_generated (object))
        changes_to_json (network, SPK_SUBNETWORK (object), inside);
      if (json_array_get_length (inside) > 0 || spk_subnetwork_get_kind (SPK_SUBNETWORK (object)) == NULL)
        json_object_set_array_member (out, "objects", inside);
      else
        json_array_unref (inside);
    }
  return out;
}

char *
spk_model_to_data (SpkNetwork *network,
                   gsize      *length)
{
  static const char *const network_always[] = { "dt", "dtype", NULL };
  g_autoptr (JsonNode) root = NULL;
  JsonObject *top = json_object_new ();
  JsonObject *header = json_object_new ();
  JsonArray *objects;
  GString *out;

  g_return_val_if_fail (SPK_IS_NETWORK (network), NULL);

  json_object_set_string_member (top, "format", FORMAT_NAME);
  json_object_set_int_member (top, "version", FORMAT_VERSION);

  /* dt and dtype always: they decide what a run gives. */
  properties_to_json (header, G_OBJECT (network), network_always);
  for (const char *const *k = network_always; *k; k++)
    property_to_json (header, G_OBJECT (network),
                      g_object_class_find_property (G_OBJECT_GET_CLASS (network), *k));
  json_object_set_object_member (top, "network", header);

  hold_index (network);
  objects = objects_to_json (network, NULL);
  release_index (network);
  json_object_set_array_member (top, "objects", objects);

  root = json_node_init_object (json_node_alloc (), top);
  json_object_unref (top);
  out = g_string_new (NULL);
  _spk_model_json_append_node (out, root, 0);
  g_string_append_c (out, '\n');
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

/* Appends to where the path ("gain[3]", "neuron_type.tau_rc") of the
 * first NaN or infinity under node; FALSE when there is none. */
static gboolean
find_non_finite (JsonNode *node,
                 GString  *where)
{
  gsize len = where->len;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *key;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &key, &member))
        {
          g_string_append_printf (where, "%s%s", where->len ? "." : "", key);
          if (find_non_finite (member, where))
            return TRUE;
          g_string_truncate (where, len);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_string_append_printf (where, "[%u]", i);
          if (find_non_finite (json_array_get_element (array, i), where))
            return TRUE;
          g_string_truncate (where, len);
        }
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return !isfinite (json_node_get_double (node));
  return FALSE;
}

gboolean
spk_model_check_finite (SpkNetwork  *network,
                        GError     **error)
{
  GPtrArray *list;

  g_return_val_if_fail (SPK_IS_NETWORK (network), FALSE);

  list = spk_network_get_objects (network);
  hold_index (network);
  for (guint i = 0; i < list->len; i++)
    {
      SpkObject *object = g_ptr_array_index (list, i);
      g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), object_to_json (network, object));
      g_autoptr (GString) where = g_string_new (NULL);

      json_object_unref (json_node_get_object (node));
      if (find_non_finite (node, where))
        {
          const char *label = spk_object_get_label (object);
          g_autofree char *owner = label ? g_strdup_printf ("%s '%s'", spk_object_get_type_name (object), label)
                                         : g_strdup_printf (_("object %u (%s)"), i, spk_object_get_type_name (object));

          g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE,
                       _("%s: %s is NaN or infinite, which a model file cannot hold (JSON has no such numbers)"),
                       owner, where->str);
          release_index (network);
          return FALSE;
        }
    }
  release_index (network);
  return TRUE;
}

gboolean
spk_model_save_file (SpkNetwork  *network,
                     const char  *path,
                     GError     **error)
{
  g_autofree char *data = NULL;
  g_autoptr (GError) local = NULL;
  gsize length;

  g_return_val_if_fail (SPK_IS_NETWORK (network), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!spk_model_check_finite (network, error))
    return FALSE;
  data = spk_model_to_data (network, &length);
  /* A temporary file renamed over the model, so a crash never leaves half
   * a model behind; a device (/dev/stdout) is written in place. */
  if (!spk_file_write_all (path, data, length, &local))
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_WRITE,
                   _("could not save the model to '%s': %s"), path, local->message);
      return FALSE;
    }
  return TRUE;
}

/* }}} */

/* {{{ One object at a time (lessons' scripted edits and checks) */

/* A network read half-way takes what it brought along with it. */
static void
remove_pending (SpkNetwork *network,
                GArray     *pending)
{
  for (guint i = pending->len; i-- > 0;)
    spk_network_remove (network, g_array_index (pending, Pending, i).object);
}

SpkObject *
spk_model_add_object_json (SpkNetwork  *network,
                           const char  *json,
                           GError     **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GArray) pending = NULL;
  g_autoptr (GError) local = NULL;

  g_return_val_if_fail (SPK_IS_NETWORK (network), NULL);
  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, &local))
    {
      set_parse_error (error, local);
      return NULL;
    }
  pending = g_array_new (FALSE, TRUE, sizeof (Pending));
  g_array_set_clear_func (pending, pending_clear);
  if (!object_from_json (network, json_parser_get_root (parser),
                         spk_network_get_objects (network)->len, NULL, FALSE, pending, error))
    {
      remove_pending (network, pending);
      return NULL;
    }
  /* A network brings the objects inside it, each with its targets. */
  if (!pending_targets_from_json (network, pending, error))
    {
      remove_pending (network, pending);
      return NULL;
    }
  return g_array_index (pending, Pending, 0).object;
}

gboolean
spk_model_set_json (SpkNetwork  *network,
                    SpkObject   *object,
                    const char  *key,
                    const char  *json,
                    GError     **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) local = NULL;
  const char *label = spk_object_get_label (object);
  g_autofree char *owner = g_strdup_printf ("%s '%s'", spk_object_get_type_name (object),
                                            label ? label : "?");
  JsonNode *root;

  g_return_val_if_fail (SPK_IS_NETWORK (network), FALSE);
  g_return_val_if_fail (SPK_IS_OBJECT (object), FALSE);

  if (!json_parser_load_from_data (parser, json, -1, &local))
    {
      set_parse_error (error, local);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (SPK_IS_NODE (object) && strcmp (key, "output") == 0)
    return node_output_from_json (SPK_NODE (object), root, owner, error);
  return property_from_json (G_OBJECT (object), key, root, owner, error);
}

JsonNode *
spk_model_get_json (SpkNetwork *network,
                    SpkObject  *object,
                    const char *key)
{
  g_autofree char *name = g_strdup (key);
  JsonObject *all;
  GParamSpec *pspec;
  JsonNode *node;

  g_return_val_if_fail (SPK_IS_NETWORK (network), NULL);
  g_return_val_if_fail (SPK_IS_OBJECT (object), NULL);

  g_strdelimit (name, "_", '-');
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), name);
  if (pspec != NULL && strchr (key, '-') == NULL
      && !g_strv_contains (special_properties (G_OBJECT_TYPE (object)), name))
    {
      g_auto (GValue) value = G_VALUE_INIT;

      if (is_layer_strides (G_OBJECT (object), pspec))
        return _spk_model_json_layer_strides_to_json (SPK_LAYER (object));
      g_value_init (&value, G_PARAM_SPEC_VALUE_TYPE (pspec));
      g_object_get_property (G_OBJECT (object), pspec->name, &value);
      return _spk_model_json_value_to_json (pspec, &value);
    }
  /* Special keys ("output", "pre", "post", "target") as the file writes them. */
  all = object_to_json (network, object);
  node = json_object_get_member (all, key);
  node = node ? json_node_copy (node) : NULL;
  json_object_unref (all);
  return node;
}

/* }}} */

/* {{{ Remaking a built-in network from new parameters */

/* A reference from outside a built-in network to an object it made, kept
 * by label across the remaking. */
typedef struct
{
  SpkObject *object;   /* a connection or a probe (a reference) */
  guint      end;      /* 0: pre (a probe: its target), 1: post */
  char      *label;
} Reference;

static void
reference_clear (gpointer data)
{
  Reference *ref = data;

  g_object_unref (ref->object);
  g_free (ref->label);
}

static SpkObject *
reference_get (Reference *ref)
{
  if (SPK_IS_PROBE (ref->object))
    return spk_probe_get_target (SPK_PROBE (ref->object));
  return ref->end == 0 ? spk_connection_get_pre (SPK_CONNECTION (ref->object))
                       : spk_connection_get_post (SPK_CONNECTION (ref->object));
}

static void
reference_set (Reference *ref,
               SpkObject *target)
{
  if (SPK_IS_PROBE (ref->object))
    spk_probe_set_target (SPK_PROBE (ref->object), target);
  else if (ref->end == 0)
    spk_connection_set_pre (SPK_CONNECTION (ref->object), target);
  else
    spk_connection_set_post (SPK_CONNECTION (ref->object), target);
}

gboolean
spk_model_set_network_param (SpkNetwork    *network,
                             SpkSubnetwork *net,
                             const char    *name,
                             const GValue  *value,
                             GError       **error)
{
  const char *label = spk_object_get_label (SPK_OBJECT (net));
  g_autofree char *owner = g_strdup_printf ("%s '%s'", _("network"), label ? label : "?");
  g_autofree char *key = NULL;
  g_autoptr (SpkSubnetwork) scratch = NULL;
  g_autoptr (JsonArray) changes = json_array_new ();
  g_autoptr (JsonArray) made = NULL;
  g_autoptr (GPtrArray) doomed = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GArray) refs = g_array_new (FALSE, TRUE, sizeof (Reference));
  g_autoptr (GArray) pending = g_array_new (FALSE, TRUE, sizeof (Pending));
  g_autofree GParamSpec **pspecs = NULL;
  GPtrArray *objects;
  guint n;

  g_return_val_if_fail (SPK_IS_NETWORK (network), FALSE);
  g_return_val_if_fail (SPK_IS_SUBNETWORK (net), FALSE);
  g_return_val_if_fail (name != NULL && value != NULL, FALSE);

  key = g_strdelimit (g_strdup (name), "-", '_');
  if (spk_subnetwork_get_kind (net) == NULL || !_spk_model_json_network_is_param (spk_subnetwork_get_kind (net), key))
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("\"%s\" is not a parameter of %s"), key,
                                 spk_subnetwork_get_kind (net) ? spk_subnetwork_get_kind (net) : _("a plain network"));
  if (spk_object_get_generated (SPK_OBJECT (net)))
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                 _("its parameters are those of the network that made it"));

  /* The new parameters checked on a copy first: a refusal changes nothing. */
  scratch = spk_subnetwork_new ();
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (net), &n);
  for (guint i = 0; i < n; i++)
    {
      g_auto (GValue) v = G_VALUE_INIT;

      if ((pspecs[i]->flags & G_PARAM_READWRITE) != G_PARAM_READWRITE)
        continue;
      g_value_init (&v, G_PARAM_SPEC_VALUE_TYPE (pspecs[i]));
      g_object_get_property (G_OBJECT (net), pspecs[i]->name, &v);
      g_object_set_property (G_OBJECT (scratch), pspecs[i]->name, &v);
    }
  g_object_set_property (G_OBJECT (scratch), name, value);
  if (!_spk_model_json_network_check_params (scratch, NULL, owner, error))
    return FALSE;

  /* What is saved of the old objects: the changes made to them, and what
   * outside refers to them by. */
  changes_to_json (network, net, changes);
  objects = spk_network_get_objects (network);
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);

      if (object != SPK_OBJECT (net) && spk_object_get_generated (object)
          && spk_subnetwork_contains (net, object))
        g_ptr_array_add (doomed, g_object_ref (object));
    }
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);

      if (g_ptr_array_find (doomed, object, NULL) || !(SPK_IS_CONNECTION (object) || SPK_IS_PROBE (object)))
        continue;
      for (guint end = 0; end < (SPK_IS_PROBE (object) ? 1u : 2u); end++)
        {
          Reference ref = { object, end, NULL };
          SpkObject *target = reference_get (&ref);

          if (target == NULL || !g_ptr_array_find (doomed, target, NULL))
            continue;
          ref.object = g_object_ref (object);
          ref.label = g_strdup (spk_object_get_label (target));
          g_array_append_val (refs, ref);
        }
    }
  g_array_set_clear_func (refs, reference_clear);
  g_array_set_clear_func (pending, pending_clear);

  /* Out with the old objects, last made first; what refers to them from
   * outside lets go first, or it would go with them. */
  for (guint i = 0; i < refs->len; i++)
    reference_set (&g_array_index (refs, Reference, i), NULL);
  for (guint i = doomed->len; i-- > 0;)
    if (g_ptr_array_find (objects, g_ptr_array_index (doomed, i), NULL))
      spk_network_remove (network, g_ptr_array_index (doomed, i));
  g_object_set_property (G_OBJECT (net), name, value);
  if (!_spk_model_json_network_objects (net, owner, &made, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (made); i++)
    if (!object_from_json (network, json_array_get_element (made, i), i, SPK_OBJECT (net), TRUE, pending, error))
      return FALSE;
  if (!pending_targets_from_json (network, pending, error))
    return FALSE;
  /* The changes apply again to the objects the new parameters still make. */
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *entry = json_array_get_object_element (changes, i);
      GType type = object_type_from_name (json_object_get_string_member (entry, "type"));
      SpkObject *again = find_made (network, SPK_OBJECT (net), entry, type);
      g_autoptr (GError) ignored = NULL;

      /* A rename that clashes now is dropped, not the whole edit. */
      if (again != NULL && !change_from_json (network, again, entry, owner, &ignored))
        g_debug ("%s: %s", owner, ignored->message);
    }
  /* Connections and probes from outside follow the objects of their
   * labels; those left without one go. */
  for (guint i = 0; i < refs->len; i++)
    {
      Reference *ref = &g_array_index (refs, Reference, i);
      SpkObject *target = ref->label ? spk_network_lookup (network, ref->label) : NULL;

      if (target != NULL && spk_subnetwork_contains (net, target))
        reference_set (ref, target);
      else if (g_ptr_array_find (objects, ref->object, NULL))
        spk_network_remove (network, ref->object);
    }
  return TRUE;
}

/* }}} */
