/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-keras-read.c — reading a Keras 2 HDF5 model file as Keras writes it
 * (keras/saving/legacy/hdf5_format.py): the root attribute model_config
 * (the model's JSON), and under model_weights/ the attribute layer_names
 * and, per layer, a group with the attribute weight_names whose entries
 * are dataset paths inside it ("dense/kernel:0").  Nothing is trusted:
 * every string, shape and size is checked, and every failure is one
 * SPK_IO_ERROR naming the file and the place in it.  The caller holds no
 * lock; this file takes spk_hdf5 around every call into libhdf5. */
#define G_LOG_DOMAIN "spk-keras"

#include "spk-keras-private.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <hdf5.h>

#include "core/spk-error.h"
#include "io/spk-hdf5-array.h"
#include "io/spk-hdf5-check.h"
#include "io/spk-json-depth.h"


typedef struct
{
  SpkKerasModel *model;
  GError       **error;
  guint64        file_size;
} Reader;

static void
weight_free (gpointer data)
{
  SpkKerasWeight *w = data;

  g_free (w->name);
  g_free (w->values);
  g_free (w);
}

static void
layer_free (gpointer data)
{
  SpkKerasLayer *layer = data;

  g_free (layer->name);
  g_free (layer->class_name);
  g_clear_pointer (&layer->config, json_object_unref);
  g_free (layer->inbound);
  g_ptr_array_unref (layer->weights);
  g_free (layer);
}

void
_spk_keras_model_free (SpkKerasModel *model)
{
  if (model == NULL)
    return;
  g_free (model->display);
  g_free (model->name);
  g_ptr_array_unref (model->layers);
  g_ptr_array_unref (model->outputs);
  g_free (model);
}

SpkKerasModel *
_spk_keras_model_new (const char *path)
{
  SpkKerasModel *model = g_new0 (SpkKerasModel, 1);

  model->display = g_filename_display_name (path);
  model->layers = g_ptr_array_new_with_free_func (layer_free);
  model->outputs = g_ptr_array_new_with_free_func (g_free);
  return model;
}

SpkKerasLayer *
_spk_keras_model_find (SpkKerasModel *model,
                       const char    *name)
{
  for (guint i = 0; i < model->layers->len; i++)
    {
      SpkKerasLayer *layer = g_ptr_array_index (model->layers, i);

      if (g_str_equal (layer->name, name))
        return layer;
    }
  return NULL;
}

static gboolean
fail (Reader     *r,
      SpkIoError  code,
      const char *where,
      const char *format,
      ...) G_GNUC_PRINTF (4, 5);

/* Every message reads "<file>: <place>: <problem>". */
static gboolean
fail (Reader     *r,
      SpkIoError  code,
      const char *where,
      const char *format,
      ...)
{
  g_autofree char *prefix = g_strdup_printf ("%s: %s", r->model->display, where);
  va_list args;

  va_start (args, format);
  spk_error_set_at_valist (r->error, SPK_IO_ERROR, code, prefix, format, args);
  va_end (args);
  return FALSE;
}

static gboolean
damaged (Reader     *r,
         const char *where)
{
  return fail (r, SPK_IO_ERROR_PARSE, where, _("cannot be read (the file is damaged or truncated)"));
}

/* ---- JSON: model_config ------------------------------------------------ */

static gboolean
config_fail (GError    **error,
             SpkKerasModel *model,
             const char *format,
             ...) G_GNUC_PRINTF (3, 4);

static gboolean
config_fail (GError       **error,
             SpkKerasModel *model,
             const char    *format,
             ...)
{
  g_autofree char *prefix = model->from_config ? g_strdup (model->display)
                                               : g_strdup_printf ("%s: model_config", model->display);
  va_list args;

  va_start (args, format);
  spk_error_set_at_valist (error, SPK_IO_ERROR, SPK_IO_ERROR_FORMAT, prefix, format, args);
  va_end (args);
  return FALSE;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* The layer name a Keras 2 inbound entry (["name", 0, 0, {}]) or a Keras 3
 * tensor ({"class_name": "__keras_tensor__", "config": {"keras_history":
 * ["name", 0, 0]}}) refers to. */
static const char *
tensor_layer (JsonNode *node)
{
  JsonArray *history = NULL;

  if (node == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_ARRAY (node))
    history = json_node_get_array (node);
  else if (JSON_NODE_HOLDS_OBJECT (node))
    history = member_array (member_object (json_node_get_object (node), "config"), "keras_history");
  if (history == NULL || json_array_get_length (history) < 1)
    return NULL;
  node = json_array_get_element (history, 0);
  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The one layer a functional model's layer reads from. */
static gboolean
parse_inbound (SpkKerasModel *model,
               SpkKerasLayer *layer,
               JsonObject    *entry,
               GError       **error)
{
  JsonArray *nodes = member_array (entry, "inbound_nodes");
  JsonNode *first;
  JsonArray *inputs = NULL;
  guint n_inputs;

  if (nodes == NULL || json_array_get_length (nodes) == 0)
    {
      if (g_str_equal (layer->class_name, "InputLayer"))
        return TRUE;
      return config_fail (error, model, _("layer '%s' (%s) has no input"), layer->name, layer->class_name);
    }
  if (json_array_get_length (nodes) > 1)
    return config_fail (error, model, _("layer '%s' (%s) is called %u times; shared layers are not converted"),
                        layer->name, layer->class_name, json_array_get_length (nodes));
  first = json_array_get_element (nodes, 0);
  if (JSON_NODE_HOLDS_ARRAY (first))
    inputs = json_node_get_array (first);                                       /* Keras 2 */
  else if (JSON_NODE_HOLDS_OBJECT (first))
    {
      JsonArray *args = member_array (json_node_get_object (first), "args");   /* Keras 3 */
      JsonNode *arg = args && json_array_get_length (args) > 0 ? json_array_get_element (args, 0) : NULL;

      if (arg && JSON_NODE_HOLDS_ARRAY (arg) && tensor_layer (arg) == NULL)
        inputs = json_node_get_array (arg);
      else
        inputs = args;
    }
  n_inputs = inputs ? json_array_get_length (inputs) : 0;
  if (n_inputs != 1)
    return config_fail (error, model, _("layer '%s' (%s) has %u inputs; only layers with one input are converted"),
                        layer->name, layer->class_name, n_inputs);
  {
    const char *name = tensor_layer (json_array_get_element (inputs, 0));

    if (name == NULL)
      return config_fail (error, model, _("layer '%s' (%s): its input is not a layer name"),
                          layer->name, layer->class_name);
    if (_spk_keras_model_find (model, name) == NULL)
      return config_fail (error, model, _("layer '%s' (%s) reads from '%s', which is not an earlier layer"),
                          layer->name, layer->class_name, name);
    layer->inbound = g_strdup (name);
  }
  return TRUE;
}

static SpkKerasLayer *
add_layer (SpkKerasModel *model,
           const char    *name,
           const char    *class_name,
           JsonObject    *config)
{
  SpkKerasLayer *layer = g_new0 (SpkKerasLayer, 1);

  layer->name = g_strdup (name);
  layer->class_name = g_strdup (class_name);
  layer->config = json_object_ref (config);
  layer->weights = g_ptr_array_new_with_free_func (weight_free);
  g_ptr_array_add (model->layers, layer);
  return layer;
}

/* A Sequential model whose first layer carries the input shape gets the
 * InputLayer Keras makes for it. */
static void
add_implicit_input (SpkKerasModel *model,
                    JsonObject    *first_config)
{
  JsonNode *shape = json_object_get_member (first_config, "batch_input_shape");
  g_autoptr (JsonObject) config = json_object_new ();
  g_autofree char *name = g_strdup ("input");

  if (shape == NULL)
    shape = json_object_get_member (first_config, "batch_shape");
  if (shape != NULL)
    json_object_set_member (config, "batch_input_shape", json_node_copy (shape));
  json_object_set_string_member (config, "name", name);
  add_layer (model, name, "InputLayer", config);
}

gboolean
_spk_keras_parse_config (SpkKerasModel *model,
                         const char    *json,
                         GError       **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  JsonNode *root;
  JsonObject *top, *config = NULL;
  JsonArray *layers = NULL, *outputs;
  const char *class_name;
  gboolean sequential;

  if (!spk_json_check_depth (json, -1, SPK_JSON_MAX_DEPTH, &local)
      || !json_parser_load_from_data (parser, json, -1, &local))
    {
      if (model->from_config)
        g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_PARSE, _("%s: not valid JSON: %s"),
                     model->display, local->message);
      else
        g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_PARSE, _("%s: model_config is not valid JSON: %s"),
                     model->display, local->message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return config_fail (error, model, _("expected a JSON object"));
  top = json_node_get_object (root);
  class_name = member_string (top, "class_name");
  if (class_name == NULL)
    return config_fail (error, model, _("no \"class_name\""));
  sequential = g_str_equal (class_name, "Sequential");
  if (!sequential && !g_str_equal (class_name, "Functional") && !g_str_equal (class_name, "Model"))
    return config_fail (error, model, _("the model is a '%s'; Sequential and functional models (Model, Functional) are converted"),
                        class_name);
  /* Keras 2.0–2.2 wrote a Sequential model's config as the list of layers. */
  if (sequential && member_array (top, "config"))
    layers = member_array (top, "config");
  else if ((config = member_object (top, "config")))
    layers = member_array (config, "layers");
  if (layers == NULL)
    return config_fail (error, model, _("no list of layers"));
  model->name = g_strdup (member_string (config, "name") ? member_string (config, "name") : "keras-model");

  for (guint i = 0; i < json_array_get_length (layers); i++)
    {
      JsonNode *node = json_array_get_element (layers, i);
      JsonObject *entry = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonObject *layer_config = member_object (entry, "config");
      const char *layer_class = member_string (entry, "class_name");
      const char *name = member_string (layer_config, "name");
      SpkKerasLayer *layer;

      if (name == NULL)
        name = member_string (entry, "name");
      if (entry == NULL || layer_class == NULL || layer_config == NULL || name == NULL || *name == '\0')
        return config_fail (error, model, _("layer %u has no class_name, config or name"), i);
      if (_spk_keras_model_find (model, name) != NULL)
        return config_fail (error, model, _("two layers are named '%s'"), name);
      if (sequential && i == 0 && !g_str_equal (layer_class, "InputLayer"))
        add_implicit_input (model, layer_config);
      if (sequential && _spk_keras_model_find (model, name) != NULL)
        return config_fail (error, model, _("two layers are named '%s'"), name);
      layer = add_layer (model, name, layer_class, layer_config);
      if (sequential)
        {
          if (model->layers->len > 1)
            layer->inbound = g_strdup (((SpkKerasLayer *) g_ptr_array_index (model->layers,
                                                                             model->layers->len - 2))->name);
          else if (!g_str_equal (layer_class, "InputLayer"))
            return config_fail (error, model, _("layer '%s' has no input"), name);
        }
      else if (!parse_inbound (model, layer, entry, error))
        return FALSE;
    }
  if (model->layers->len == 0)
    return config_fail (error, model, _("the model has no layers"));

  if (sequential)
    {
      SpkKerasLayer *last = g_ptr_array_index (model->layers, model->layers->len - 1);

      g_ptr_array_add (model->outputs, g_strdup (last->name));
      return TRUE;
    }
  outputs = member_array (config, "output_layers");
  if (outputs != NULL && json_array_get_length (outputs) > 0
      && JSON_NODE_TYPE (json_array_get_element (outputs, 0)) == JSON_NODE_VALUE)
    {
      /* Keras 3 writes a single output as one ["name", 0, 0]. */
      const char *name = tensor_layer (json_object_get_member (config, "output_layers"));

      if (name)
        g_ptr_array_add (model->outputs, g_strdup (name));
    }
  else
    for (guint i = 0; outputs && i < json_array_get_length (outputs); i++)
      {
        const char *name = tensor_layer (json_array_get_element (outputs, i));

        if (name == NULL || _spk_keras_model_find (model, name) == NULL)
          return config_fail (error, model, _("output %u names no layer of the model"), i);
        g_ptr_array_add (model->outputs, g_strdup (name));
      }
  if (model->outputs->len == 0)
    return config_fail (error, model, _("no \"output_layers\""));
  for (guint i = 0; i < model->outputs->len; i++)
    if (_spk_keras_model_find (model, g_ptr_array_index (model->outputs, i)) == NULL)
      return config_fail (error, model, _("output %u names no layer of the model"), i);
  return TRUE;
}

/* ---- HDF5 -------------------------------------------------------------- */

/* A scalar string attribute (fixed or variable length), as UTF-8. */
static gboolean
read_string_attr (Reader     *r,
                  hid_t       loc,
                  const char *name,
                  const char *where,
                  char      **out)
{
  hid_t attr = H5Aopen (loc, name, H5P_DEFAULT);
  hid_t type = attr >= 0 ? H5Aget_type (attr) : H5I_INVALID_HID;
  hid_t space = attr >= 0 ? H5Aget_space (attr) : H5I_INVALID_HID;
  gboolean ok = FALSE;

  if (attr < 0 || type < 0 || space < 0)
    damaged (r, where);
  else if (H5Tget_class (type) != H5T_STRING || H5Sget_simple_extent_npoints (space) != 1)
    fail (r, SPK_IO_ERROR_FORMAT, where, _("expected one string"));
  else if (H5Tis_variable_str (type) > 0)
    {
      char *value = NULL;

      if (H5Aread (attr, type, &value) < 0 || value == NULL)
        damaged (r, where);
      else
        {
          *out = g_strdup (value);
          H5free_memory (value);
          ok = TRUE;
        }
    }
  else
    {
      gsize size = H5Tget_size (type);
      char *value = size > 0 && size <= r->file_size ? g_try_malloc0 (size + 1) : NULL;

      if (value == NULL)
        fail (r, SPK_IO_ERROR_VALUE, where, _("string too long"));
      else if (H5Aread (attr, type, value) < 0)
        {
          g_free (value);
          damaged (r, where);
        }
      else
        {
          *out = value;
          ok = TRUE;
        }
    }
  if (space >= 0)
    H5Sclose (space);
  if (type >= 0)
    H5Tclose (type);
  if (attr >= 0)
    H5Aclose (attr);
  if (ok && !g_utf8_validate (*out, -1, NULL))
    {
      g_clear_pointer (out, g_free);
      return fail (r, SPK_IO_ERROR_VALUE, where, _("the string is not valid UTF-8"));
    }
  return ok;
}

/* A one-dimensional string attribute (h5py writes Keras's name lists as
 * fixed-length byte strings; an empty list as an empty array of any
 * type). */
static gboolean
read_string_list_attr (Reader     *r,
                       hid_t       loc,
                       const char *name,
                       const char *where,
                       GPtrArray **out)
{
  hid_t attr = H5Aopen (loc, name, H5P_DEFAULT);
  hid_t type = attr >= 0 ? H5Aget_type (attr) : H5I_INVALID_HID;
  hid_t space = attr >= 0 ? H5Aget_space (attr) : H5I_INVALID_HID;
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  hssize_t n = space >= 0 ? H5Sget_simple_extent_npoints (space) : -1;
  gboolean ok = FALSE;

  if (attr < 0 || type < 0 || space < 0 || n < 0)
    damaged (r, where);
  else if (n == 0)
    ok = TRUE;
  else if (H5Tget_class (type) != H5T_STRING || H5Sget_simple_extent_ndims (space) > 1)
    fail (r, SPK_IO_ERROR_FORMAT, where, _("expected a list of strings"));
  else if ((guint64) n > r->file_size)
    fail (r, SPK_IO_ERROR_VALUE, where, _("the list is longer than the file"));
  else if (H5Tis_variable_str (type) > 0)
    {
      char **values = g_try_new0 (char *, (gsize) n);

      if (values == NULL || H5Aread (attr, type, values) < 0)
        damaged (r, where);
      else
        {
          ok = TRUE;
          for (hssize_t i = 0; i < n; i++)
            {
              g_ptr_array_add (list, g_strdup (values[i] ? values[i] : ""));
              H5free_memory (values[i]);
            }
        }
      g_free (values);
    }
  else
    {
      gsize size = H5Tget_size (type);
      char *block = size > 0 && size <= r->file_size && (guint64) n * size <= r->file_size * 16 + 4096
                    ? g_try_malloc0 ((gsize) n * size) : NULL;

      if (block == NULL)
        fail (r, SPK_IO_ERROR_VALUE, where, _("the list is longer than the file"));
      else if (H5Aread (attr, type, block) < 0)
        damaged (r, where);
      else
        {
          ok = TRUE;
          for (hssize_t i = 0; i < n; i++)
            g_ptr_array_add (list, g_strndup (block + i * size, size));
        }
      g_free (block);
    }
  if (space >= 0)
    H5Sclose (space);
  if (type >= 0)
    H5Tclose (type);
  if (attr >= 0)
    H5Aclose (attr);
  for (guint i = 0; ok && i < list->len; i++)
    if (!g_utf8_validate (g_ptr_array_index (list, i), -1, NULL))
      return fail (r, SPK_IO_ERROR_VALUE, where, _("the string is not valid UTF-8"));
  if (ok)
    *out = g_steal_pointer (&list);
  return ok;
}

/* Whether every link along path (relative to loc, '/'-separated) exists,
 * so that opening it will not fail half way. */
static int
path_exists (hid_t       loc,
             const char *path)
{
  g_auto (GStrv) parts = g_strsplit (path, "/", -1);
  g_autoptr (GString) prefix = g_string_new (NULL);

  for (guint i = 0; parts[i]; i++)
    {
      htri_t exists;

      if (*parts[i] == '\0')
        return 0;
      if (i > 0)
        g_string_append_c (prefix, '/');
      g_string_append (prefix, parts[i]);
      exists = H5Lexists (loc, prefix->str, H5P_DEFAULT);
      if (exists <= 0)
        return exists < 0 ? -1 : 0;
    }
  return 1;
}

static gboolean
read_weight (Reader        *r,
             hid_t          group,
             const char    *group_path,
             const char    *name,
             SpkKerasLayer *layer)
{
  g_autofree char *where = g_strdup_printf ("%s/%s", group_path, name);
  int exists = path_exists (group, name);
  g_autofree char *prefix = NULL;
  g_autoptr (GError) local = NULL;
  hid_t dset;
  SpkKerasWeight *w;
  gboolean ok;

  if (exists < 0)
    return damaged (r, where);
  if (exists == 0)
    return fail (r, SPK_IO_ERROR_FORMAT, where,
                 _("the weight of layer '%s' listed in weight_names is missing"), layer->name);
  if ((dset = H5Oopen (group, name, H5P_DEFAULT)) < 0)
    return damaged (r, where);
  if (H5Iget_type (dset) != H5I_DATASET)
    {
      H5Oclose (dset);
      return fail (r, SPK_IO_ERROR_FORMAT, where, _("expected a dataset"));
    }
  w = g_new0 (SpkKerasWeight, 1);
  w->name = g_strdup (name);
  prefix = g_strdup_printf ("%s: %s", r->model->display, where);
  ok = spk_hdf5_read_doubles (dset, r->file_size, FALSE, prefix, &w->rank, w->dims, &w->size, &w->values,
                              &local);
  H5Oclose (dset);
  if (!ok)
    {
      weight_free (w);
      g_propagate_error (r->error, g_steal_pointer (&local));
      return FALSE;
    }
  g_ptr_array_add (layer->weights, w);
  return TRUE;
}

gboolean
_spk_keras_layer_add_weight (SpkKerasModel *model,
                             SpkKerasLayer *layer,
                             const char    *name,
                             guint          rank,
                             const gsize   *dims,
                             const double  *values,
                             GError       **error)
{
  SpkKerasWeight *w;
  gsize size = 1;

  g_return_val_if_fail (rank <= 4, FALSE);
  for (guint i = 0; i < rank; i++)
    size *= dims[i];
  for (gsize i = 0; i < size; i++)
    if (!isfinite (values[i]))
      {
        g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE, _("%s: %s: holds a value that is NaN or infinite"),
                     model->display, name);
        return FALSE;
      }
  w = g_new0 (SpkKerasWeight, 1);
  w->name = g_strdup (name);
  w->rank = rank;
  memcpy (w->dims, dims, rank * sizeof (gsize));
  w->size = size;
  w->values = size > 0 ? g_memdup2 (values, size * sizeof (double)) : g_new0 (double, 1);
  g_ptr_array_add (layer->weights, w);
  return TRUE;
}

static gboolean
read_weights (Reader *r,
              hid_t   file)
{
  g_autoptr (GPtrArray) layer_names = NULL;
  hid_t weights;
  gboolean ok = TRUE;
  int exists = path_exists (file, "model_weights");

  if (exists < 0)
    return damaged (r, "/model_weights");
  /* A model saved without weights: the converter names what is missing. */
  if (exists == 0)
    return TRUE;
  if ((weights = H5Oopen (file, "model_weights", H5P_DEFAULT)) < 0)
    return damaged (r, "/model_weights");
  if (H5Iget_type (weights) != H5I_GROUP)
    {
      H5Oclose (weights);
      return fail (r, SPK_IO_ERROR_FORMAT, "/model_weights", _("expected a group"));
    }
  if (H5Aexists (weights, "layer_names") <= 0)
    ok = fail (r, SPK_IO_ERROR_FORMAT, "/model_weights", _("the required attribute '%s' is missing"), "layer_names");
  else
    ok = read_string_list_attr (r, weights, "layer_names", "/model_weights@layer_names", &layer_names);
  for (guint i = 0; ok && i < layer_names->len; i++)
    {
      const char *name = g_ptr_array_index (layer_names, i);
      SpkKerasLayer *layer = _spk_keras_model_find (r->model, name);
      g_autofree char *group_path = g_strdup_printf ("/model_weights/%s", name);
      g_autofree char *attr_path = g_strdup_printf ("%s@weight_names", group_path);
      g_autoptr (GPtrArray) weight_names = NULL;
      hid_t group;

      /* Keras matches weights to layers by name; a saved layer the model
       * does not have is no concern of the model's. */
      if (layer == NULL)
        continue;
      exists = strchr (name, '/') == NULL && *name ? path_exists (weights, name) : 0;
      if (exists < 0)
        ok = damaged (r, group_path);
      else if (exists == 0)
        ok = fail (r, SPK_IO_ERROR_FORMAT, group_path, _("layer_names lists '%s', but its group is missing"), name);
      else if ((group = H5Oopen (weights, name, H5P_DEFAULT)) < 0)
        ok = damaged (r, group_path);
      else
        {
          if (H5Iget_type (group) != H5I_GROUP)
            ok = fail (r, SPK_IO_ERROR_FORMAT, group_path, _("expected a group"));
          else if (H5Aexists (group, "weight_names") <= 0)
            ok = fail (r, SPK_IO_ERROR_FORMAT, group_path, _("the required attribute '%s' is missing"), "weight_names");
          else if (read_string_list_attr (r, group, "weight_names", attr_path, &weight_names))
            for (guint j = 0; ok && j < weight_names->len; j++)
              ok = read_weight (r, group, group_path, g_ptr_array_index (weight_names, j), layer);
          else
            ok = FALSE;
          H5Oclose (group);
        }
    }
  H5Oclose (weights);
  return ok;
}

gboolean
_spk_keras_read_vars (SpkKerasModel     *model,
                      const char        *h5_path,
                      const char *const *groups,
                      GError           **error)
{
  Reader r = { model, error, 0 };
  struct stat st;
  gboolean ok = TRUE;
  hid_t file;

  r.file_size = g_stat (h5_path, &st) == 0 ? (guint64) st.st_size : 0;
  G_LOCK (spk_hdf5);
  spk_hdf5_init ();
  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
  file = H5Fopen (h5_path, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0)
    ok = damaged (&r, "model.weights.h5");
  for (guint i = 0; ok && i < model->layers->len; i++)
    {
      SpkKerasLayer *layer = g_ptr_array_index (model->layers, i);
      g_autofree char *where = g_strdup_printf ("model.weights.h5/%s", groups[i]);
      int exists = path_exists (file, groups[i]);
      hid_t group;

      /* A layer without variables may have no group. */
      if (exists <= 0)
        {
          ok = exists == 0 || damaged (&r, where);
          continue;
        }
      if ((group = H5Oopen (file, groups[i], H5P_DEFAULT)) < 0)
        {
          ok = damaged (&r, where);
          continue;
        }
      for (guint k = 0; ok && k < 64; k++)
        {
          char name[16];
          htri_t has;

          g_snprintf (name, sizeof name, "%u", k);
          has = H5Iget_type (group) == H5I_GROUP ? H5Lexists (group, name, H5P_DEFAULT) : 0;
          if (has < 0)
            ok = damaged (&r, where);
          else if (has == 0)
            break;
          else
            ok = read_weight (&r, group, where, name, layer);
        }
      H5Oclose (group);
    }
  if (file >= 0)
    H5Fclose (file);
  G_UNLOCK (spk_hdf5);
  return ok;
}

static const char zip_signature[4] = { 'P', 'K', '\003', '\004' };

SpkKerasModel *
_spk_keras_read (const char  *path,
                 GError     **error)
{
  g_autoptr (SpkKerasModel) model = _spk_keras_model_new (path);
  Reader r = { model, error, 0 };
  g_autofree char *config = NULL;
  char head[4] = { 0 };
  struct stat st;
  gboolean ok = FALSE;
  htri_t is_hdf5;
  int fd;

  if ((fd = g_open (path, O_RDONLY, 0)) < 0)
    {
      int saved = errno;

      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_PARSE, _("could not open the Keras model '%s': %s"),
                   model->display, g_strerror (saved));
      return NULL;
    }
  r.file_size = fstat (fd, &st) == 0 ? (guint64) st.st_size : 0;
  /* Keras 3's .keras: a zip of the config and the weights. */
  if (read (fd, head, sizeof head) == (ssize_t) sizeof head && memcmp (head, zip_signature, sizeof head) == 0)
    {
      close (fd);
      return _spk_keras_read_archive (path, error);
    }
  close (fd);

  G_LOCK (spk_hdf5);
  spk_hdf5_init ();
  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);
  is_hdf5 = H5Fis_hdf5 (path);
  if (is_hdf5 <= 0)
    fail (&r, SPK_IO_ERROR_FORMAT, "/", _("not an HDF5 file, so not a Keras model"));
  else
    {
      hid_t file = H5Fopen (path, H5F_ACC_RDONLY, H5P_DEFAULT);

      if (file < 0)
        damaged (&r, "/");
      else
        {
          htri_t has_config = H5Aexists (file, "model_config");

          if (has_config < 0)
            damaged (&r, "/");
          else if (has_config == 0)
            fail (&r, SPK_IO_ERROR_FORMAT, "/",
                  _("not a Keras model: the attribute 'model_config' is missing "
                    "(model.save(\"model.h5\") writes it; save_weights() does not)"));
          else if (read_string_attr (&r, file, "model_config", "/@model_config", &config))
            ok = TRUE;
          H5Fclose (file);
        }
    }
  G_UNLOCK (spk_hdf5);
  if (!ok || !_spk_keras_parse_config (model, config, error))
    return NULL;

  G_LOCK (spk_hdf5);
  {
    hid_t file = H5Fopen (path, H5F_ACC_RDONLY, H5P_DEFAULT);

    ok = file >= 0 ? read_weights (&r, file) : damaged (&r, "/");
    if (file >= 0)
      H5Fclose (file);
  }
  G_UNLOCK (spk_hdf5);
  if (!ok)
    return NULL;
  return g_steal_pointer (&model);
}
