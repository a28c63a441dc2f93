/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-model-json-assoc-mem.c — AssociativeMemory's add-ons: Nengo's
 * methods that add to it after it is made, as parameters of the model
 * file, read and checked.
 *
 * Each parameter holds what one Nengo method takes, with its keyword
 * names: "input_mappings" (add_input_mapping, a list), "output_mappings"
 * (add_output_mapping, a list), "default_output_vectors"
 * (add_default_output_vector, a list), "wta_network" (add_wta_network,
 * one object or null) and "threshold_outputs" (add_threshold_to_outputs,
 * one object or null).  Nengo ignores a second call of the last two with
 * a warning, so one object each says all.  The reader checks what Nengo
 * checks (names already taken, vector counts) and what Nengo would only
 * fail on while building (vector sizes against the nodes they meet), and
 * gives them to the maker (spk-model-json-network-make.c), which adds
 * their objects in that order: mappings in, mappings out, default
 * vectors, WTA, threshold.
 */
#define G_LOG_DOMAIN "spk-model-json"

#include "io/spk-model-json-private.h"
#include "core/spk-array.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

/* What hasattr(am, name) finds in Nengo: the network's attributes and
 * methods and the associative memory's own. */
static const char *const taken_names[] = {
  "label", "seed", "config", "objects", "ensembles", "nodes", "connections", "networks", "probes",
  "all_objects", "all_ensembles", "all_nodes", "all_connections", "all_networks", "all_probes",
  "n_neurons", "add", "copy", "default_config", "context",
  "exp_scale", "n_eval_points", "n_items", "out_conns", "default_vector_inhibit_conns", "thresh_ens",
  "thresh_bias", "thresholded_utilities", "is_wta", "bias_node", "elem_input", "elem_output", "utilities",
  "am_ensembles", "inhibit", "input", "output", "am_ens_config", "default_ens_config", "thresh_ens_config",
  "add_input_mapping", "add_output_mapping", "add_default_output_vector", "add_wta_network",
  "add_threshold_to_outputs", NULL
};

void
_spk_am_mapping_free (SpkAmMapping *mapping)
{
  g_free (mapping->name);
  g_clear_pointer (&mapping->vectors, spk_array_unref);
  g_clear_pointer (&mapping->scales, spk_array_unref);
  g_free (mapping);
}

void
_spk_am_default_free (SpkAmDefault *item)
{
  g_free (item->output_name);
  g_clear_pointer (&item->vector, spk_array_unref);
  g_free (item);
}

void
_spk_am_addons_clear (SpkAmAddons *addons)
{
  g_clear_pointer (&addons->inputs, g_ptr_array_unref);
  g_clear_pointer (&addons->outputs, g_ptr_array_unref);
  g_clear_pointer (&addons->defaults, g_ptr_array_unref);
  g_clear_pointer (&addons->wta_synapse, json_node_unref);
}

static JsonNode *
json_property (SpkSubnetwork *net,
               const char    *name)
{
  JsonNode *node = NULL;

  g_object_get (net, name, &node, NULL);
  return node;
}

/* A Python attribute name: letters, digits and _, not starting with a
 * digit (the node's label is then "<network>.<name>"). */
static gboolean
is_attribute_name (const char *name)
{
  if (name[0] == '\0' || g_ascii_isdigit (name[0]))
    return FALSE;
  for (const char *c = name; *c; c++)
    if (!g_ascii_isalnum (*c) && *c != '_')
      return FALSE;
  return TRUE;
}

static gboolean
list_member (SpkSubnetwork  *net,
             const char     *property,
             const char     *key,
             JsonArray     **out,
             const char     *owner,
             GError        **error)
{
  g_autoptr (JsonNode) node = json_property (net, property);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("\"%s\" must be a list of objects"), key);
  *out = json_node_get_array (node);
  return TRUE;
}

/* Entry i of key: an object with only known keys and the required ones. */
static JsonObject *
entry_object (JsonArray         *list,
              guint              i,
              const char        *what,
              const char *const *known,
              const char *const *required,
              const char        *owner,
              GError           **error)
{
  JsonNode *node = json_array_get_element (list, i);
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be an object"), what);
      return NULL;
    }
  object = json_node_get_object (node);
  if (!_spk_model_json_check_members (object, known, owner, what, error))
    return NULL;
  for (const char *const *r = required; *r; r++)
    if (!json_object_has_member (object, *r))
      {
        _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s: missing \"%s\""), what, *r);
        return NULL;
      }
  return object;
}

/* A new name for the network: not one of its attributes nor of an
 * earlier mapping's node or default vector's ensemble. */
static const char *
new_name (JsonObject  *object,
          const char  *what,
          GHashTable  *used,
          const char  *owner,
          GError     **error)
{
  g_autofree char *key = g_strdup_printf ("%s.name", what);
  const char *name = _spk_model_json_string_from_json (json_object_get_member (object, "name"), owner, key, error);

  if (name == NULL)
    return NULL;
  if (!is_attribute_name (name))
    {
      _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                            _("%s: the name '%s' is not a Python name (letters, digits and _, not starting with a digit)"),
                            what, name);
      return NULL;
    }
  if (g_strv_contains (taken_names, name) || g_hash_table_contains (used, name))
    {
      _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                            _("%s: the name '%s' is already used in the associative memory"), what, name);
      return NULL;
    }
  g_hash_table_add (used, g_strdup (name));
  return name;
}

/* A matrix with one row per item. */
static SpkArray *
item_vectors (JsonObject  *object,
              const char  *key,
              const char  *what,
              guint        n_items,
              const char  *owner,
              GError     **error)
{
  g_autofree char *where = g_strdup_printf ("%s.%s", what, key);
  g_autoptr (SpkArray) array = _spk_model_json_array_from_json (json_object_get_member (object, key), owner,
                                                                where, error);

  if (array == NULL)
    return NULL;
  if (array->ndim != 2 || array->size == 0)
    {
      _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be a list of vectors (rows of numbers)"),
                            where);
      return NULL;
    }
  if (spk_array_rows (array) != n_items)
    {
      _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s has %u vectors; \"input_vectors\" has %u"),
                            where, (guint) spk_array_rows (array), n_items);
      return NULL;
    }
  return g_steal_pointer (&array);
}

static gboolean
optional_count (JsonObject  *object,
                const char  *key,
                const char  *what,
                int         *out,
                const char  *owner,
                GError     **error)
{
  g_autofree char *where = g_strdup_printf ("%s.%s", what, key);
  gint64 value;

  if (!json_object_has_member (object, key))
    return TRUE;
  if (!_spk_model_json_integer_from_json (json_object_get_member (object, key), owner, where, &value, error))
    return FALSE;
  if (value < 1 || value > G_MAXINT)
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be at least 1 (got %" PRId64 ")"),
                                 where, value);
  *out = (int) value;
  return TRUE;
}

static gboolean
optional_number (JsonObject  *object,
                 const char  *key,
                 const char  *what,
                 double      *out,
                 const char  *owner,
                 GError     **error)
{
  g_autofree char *where = g_strdup_printf ("%s.%s", what, key);

  if (!json_object_has_member (object, key))
    return TRUE;
  return _spk_model_json_number_from_json (json_object_get_member (object, key), owner, where, out, error);
}

static gboolean
read_input_mappings (SpkSubnetwork  *net,
                     SpkAmAddons    *addons,
                     guint           n_items,
                     GHashTable     *used,
                     const char     *owner,
                     GError        **error)
{
  static const char *const known[] = { "name", "input_vectors", "input_scales", NULL };
  static const char *const required[] = { "name", "input_vectors", NULL };
  JsonArray *list;

  if (!list_member (net, "input-mappings", "input_mappings", &list, owner, error))
    return FALSE;
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      g_autofree char *what = g_strdup_printf ("input_mappings[%u]", i);
      JsonObject *object = entry_object (list, i, what, known, required, owner, error);
      SpkAmMapping *mapping;
      const char *name;

      if (object == NULL || (name = new_name (object, what, used, owner, error)) == NULL)
        return FALSE;
      mapping = g_new0 (SpkAmMapping, 1);
      g_ptr_array_add (addons->inputs, mapping);
      mapping->name = g_strdup (name);
      if ((mapping->vectors = item_vectors (object, "input_vectors", what, n_items, owner, error)) == NULL)
        return FALSE;
      if (!json_object_has_member (object, "input_scales"))
        mapping->scales = spk_array_new_scalar (1.0);
      else
        {
          g_autofree char *where = g_strdup_printf ("%s.input_scales", what);

          mapping->scales = _spk_model_json_array_from_json (json_object_get_member (object, "input_scales"), owner,
                                                             where, error);
          if (mapping->scales == NULL)
            return FALSE;
          if (mapping->scales->ndim == 2 || (mapping->scales->ndim == 1 && mapping->scales->size != n_items))
            return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                         _("%s must be one number or one per input vector (%u)"), where, n_items);
        }
    }
  return TRUE;
}

static gboolean
read_output_mappings (SpkSubnetwork  *net,
                      SpkAmAddons    *addons,
                      guint           n_items,
                      GHashTable     *used,
                      const char     *owner,
                      GError        **error)
{
  static const char *const known[] = { "name", "output_vectors", NULL };
  JsonArray *list;

  if (!list_member (net, "output-mappings", "output_mappings", &list, owner, error))
    return FALSE;
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      g_autofree char *what = g_strdup_printf ("output_mappings[%u]", i);
      JsonObject *object = entry_object (list, i, what, known, known, owner, error);
      SpkAmMapping *mapping;
      const char *name;

      if (object == NULL || (name = new_name (object, what, used, owner, error)) == NULL)
        return FALSE;
      mapping = g_new0 (SpkAmMapping, 1);
      g_ptr_array_add (addons->outputs, mapping);
      mapping->name = g_strdup (name);
      if ((mapping->vectors = item_vectors (object, "output_vectors", what, n_items, owner, error)) == NULL)
        return FALSE;
    }
  return TRUE;
}

/* The size of the output named name (0: there is none). */
static guint
output_size (SpkAmAddons *addons,
             const char  *name,
             guint        output_dims)
{
  if (strcmp (name, "output") == 0)
    return output_dims;
  for (guint i = 0; i < addons->outputs->len; i++)
    {
      SpkAmMapping *mapping = g_ptr_array_index (addons->outputs, i);

      if (strcmp (mapping->name, name) == 0)
        return mapping->vectors->shape[1];
    }
  return 0;
}

static gboolean
read_default_vectors (SpkSubnetwork  *net,
                      SpkAmAddons    *addons,
                      guint           output_dims,
                      GHashTable     *used,
                      const char     *owner,
                      GError        **error)
{
  static const char *const known[] = { "output_vector", "output_name", "n_neurons", "min_activation_value", NULL };
  static const char *const required[] = { "output_vector", NULL };
  JsonArray *list;

  if (!list_member (net, "default-output-vectors", "default_output_vectors", &list, owner, error))
    return FALSE;
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      g_autofree char *what = g_strdup_printf ("default_output_vectors[%u]", i);
      g_autofree char *where = g_strdup_printf ("%s.output_vector", what);
      g_autofree char *ensemble = NULL;
      JsonObject *object = entry_object (list, i, what, known, required, owner, error);
      SpkAmDefault *item;
      guint size;

      if (object == NULL)
        return FALSE;
      item = g_new0 (SpkAmDefault, 1);
      g_ptr_array_add (addons->defaults, item);
      item->n_neurons = 50;
      item->min_activation_value = 0.5;
      item->output_name = g_strdup ("output");
      if (json_object_has_member (object, "output_name"))
        {
          g_autofree char *key = g_strdup_printf ("%s.output_name", what);
          const char *name = _spk_model_json_string_from_json (json_object_get_member (object, "output_name"), owner,
                                                               key, error);

          if (name == NULL)
            return FALSE;
          g_free (item->output_name);
          item->output_name = g_strdup (name);
        }
      if ((size = output_size (addons, item->output_name, output_dims)) == 0)
        return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                     _("%s: \"output_name\" '%s' is not an output; expected output or the name of one "
                                       "of \"output_mappings\""),
                                     what, item->output_name);
      for (guint j = 0; j + 1 < addons->defaults->len; j++)
        if (strcmp (((SpkAmDefault *) g_ptr_array_index (addons->defaults, j))->output_name, item->output_name) == 0)
          return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                       _("%s: the output '%s' already has a default vector"), what, item->output_name);
      /* Its ensemble is labelled after the output, as Nengo's label is. */
      ensemble = g_strdup_printf ("default_%s_vector", item->output_name);
      if (g_strv_contains (taken_names, ensemble) || g_hash_table_contains (used, ensemble))
        return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                     _("%s: the name of its ensemble, '%s', is already used in the associative memory"),
                                     what, ensemble);
      g_hash_table_add (used, g_steal_pointer (&ensemble));
      item->vector = _spk_model_json_vector_from_json (json_object_get_member (object, "output_vector"), owner, where,
                                                       error);
      if (item->vector == NULL)
        return FALSE;
      if (item->vector->size != size)
        return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                     _("%s has %u numbers; the output '%s' has %u dimensions"),
                                     where, (guint) item->vector->size, item->output_name, size);
      if (!optional_count (object, "n_neurons", what, &item->n_neurons, owner, error)
          || !optional_number (object, "min_activation_value", what, &item->min_activation_value, owner, error))
        return FALSE;
      if (item->min_activation_value == 0)
        return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                     _("%s.min_activation_value must not be 0 (the inhibition is 1 / it)"), what);
    }
  return TRUE;
}

static gboolean
read_wta (SpkSubnetwork  *net,
          SpkAmAddons    *addons,
          const char     *owner,
          GError        **error)
{
  static const char *const known[] = { "inhibit_scale", "inhibit_synapse", NULL };
  g_autoptr (JsonNode) node = json_property (net, "wta-network");
  JsonObject *object;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                 _("\"wta_network\" must be an object ({} for Nengo's defaults) or null"));
  object = json_node_get_object (node);
  if (!_spk_model_json_check_members (object, known, owner, "wta_network", error))
    return FALSE;
  addons->wta = TRUE;
  addons->wta_inhibit_scale = 1.5;
  if (!optional_number (object, "inhibit_scale", "wta_network", &addons->wta_inhibit_scale, owner, error))
    return FALSE;
  if (json_object_has_member (object, "inhibit_synapse"))
    {
      JsonNode *synapse = json_object_get_member (object, "inhibit_synapse");

      if (!JSON_NODE_HOLDS_NULL (synapse))
        {
          g_autoptr (SpkSynapse) checked = _spk_model_json_synapse_from_json (synapse, owner,
                                                                             "wta_network.inhibit_synapse", error);
          if (checked == NULL)
            return FALSE;
        }
      addons->wta_synapse = json_node_copy (synapse);
    }
  else
    addons->wta_synapse = _spk_model_json_number_to_json (0.005);
  return TRUE;
}

static gboolean
read_threshold (SpkSubnetwork  *net,
                SpkAmAddons    *addons,
                const char     *owner,
                GError        **error)
{
  static const char *const known[] = { "n_neurons", "inhibit_scale", NULL };
  g_autoptr (JsonNode) node = json_property (net, "threshold-outputs");
  JsonObject *object;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                 _("\"threshold_outputs\" must be an object ({} for Nengo's defaults) or null"));
  object = json_node_get_object (node);
  if (!_spk_model_json_check_members (object, known, owner, "threshold_outputs", error))
    return FALSE;
  addons->threshold = TRUE;
  addons->threshold_n_neurons = 50;
  addons->threshold_inhibit_scale = 10;
  return optional_count (object, "n_neurons", "threshold_outputs", &addons->threshold_n_neurons, owner, error)
         && optional_number (object, "inhibit_scale", "threshold_outputs", &addons->threshold_inhibit_scale,
                             owner, error);
}

gboolean
_spk_am_addons_read (SpkSubnetwork  *net,
                     guint           n_items,
                     guint           output_dims,
                     SpkAmAddons    *addons,
                     const char     *owner,
                     GError        **error)
{
  g_autoptr (GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  memset (addons, 0, sizeof *addons);
  addons->inputs = g_ptr_array_new_with_free_func ((GDestroyNotify) _spk_am_mapping_free);
  addons->outputs = g_ptr_array_new_with_free_func ((GDestroyNotify) _spk_am_mapping_free);
  addons->defaults = g_ptr_array_new_with_free_func ((GDestroyNotify) _spk_am_default_free);
  if (read_input_mappings (net, addons, n_items, used, owner, error)
      && read_output_mappings (net, addons, n_items, used, owner, error)
      && read_default_vectors (net, addons, output_dims, used, owner, error)
      && read_wta (net, addons, owner, error)
      && read_threshold (net, addons, owner, error))
    return TRUE;
  _spk_am_addons_clear (addons);
  return FALSE;
}
