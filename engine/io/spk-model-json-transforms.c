/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-model-json-transforms.c — a connection's transform to JSON and
 * back: numbers or a distribution (Nengo's Dense), or one of the objects
 * Sparse, Convolution and ConvolutionTranspose with Nengo's parameter
 * names.  The transform's checks are Nengo's (model/spk-transform.c),
 * made here when the file is read. */
#define G_LOG_DOMAIN "spk-model-json"

#include "spk-model-json-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "model/spk-transform.h"

static const char *const sparse_keys[] = { "type", "shape", "indices", "init", NULL };
static const char *const conv_keys[] = {
  "type", "n_filters", "input_shape", "kernel_size", "strides", "padding", "channels_last", "init", "groups", NULL
};
static const char *const conv_transpose_keys[] = {
  "type", "n_filters", "input_shape", "output_shape", "kernel_size", "strides", "padding", "channels_last",
  "init", NULL
};

/* A list of 1..max positive integers (a bare integer is a list of one). */
static gboolean
read_sizes (JsonObject  *object,
            const char  *key,
            const char  *owner,
            const char  *what,
            guint        max,
            guint       *out,
            guint       *n_out,
            GError     **error)
{
  g_autofree char *item = g_strdup_printf ("%s.%s", what, key);
  JsonNode *node = json_object_get_member (object, key);
  JsonArray *list;
  guint n;

  if (node == NULL)
    return TRUE;
  if (_spk_model_json_is_number (node))
    {
      gint64 value;

      if (!_spk_model_json_integer_from_json (node, owner, item, &value, error))
        return FALSE;
      if (value < 1 || value > G_MAXINT)
        return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be positive sizes"), item);
      out[0] = (guint) value;
      if (n_out)
        *n_out = 1;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node) || (n = json_array_get_length (list = json_node_get_array (node))) == 0
      || n > max)
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                 _("%s must be a list of 1 to %u positive sizes"), item, max);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *entry = g_strdup_printf ("%s[%u]", item, i);
      gint64 value;

      if (!_spk_model_json_integer_from_json (json_array_get_element (list, i), owner, entry, &value, error))
        return FALSE;
      if (value < 1 || value > G_MAXINT)
        return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be positive"), entry);
      out[i] = (guint) value;
    }
  if (n_out)
    *n_out = n;
  return TRUE;
}

static gboolean
flatten_numbers (JsonNode    *node,
                 const char  *owner,
                 const char  *what,
                 guint        depth,
                 GArray      *out,
                 GError     **error)
{
  if (_spk_model_json_is_number (node))
    {
      double value;

      if (!_spk_model_json_number_from_json (node, owner, what, &value, error))
        return FALSE;
      g_array_append_val (out, value);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node) || depth > 8)
    return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                 _("%s must be numbers (nested lists of numbers) or a distribution"), what);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    if (!flatten_numbers (json_array_get_element (json_node_get_array (node), i), owner, what, depth + 1, out,
                          error))
      return FALSE;
  return TRUE;
}

/* A kernel: a distribution, or numbers nested as deep as Nengo's
 * kernel_size + (channels, filters) array (kept flat, in that order). */
static SpkDistribution *
read_kernel (JsonNode    *node,
             const char  *owner,
             const char  *what,
             GError     **error)
{
  g_autoptr (GArray) values = NULL;
  g_autoptr (SpkArray) array = NULL;

  if (JSON_NODE_HOLDS_OBJECT (node))
    return _spk_model_json_distribution_from_json (node, owner, what, error);
  values = g_array_new (FALSE, FALSE, sizeof (double));
  if (!flatten_numbers (node, owner, what, 0, values, error))
    return NULL;
  array = spk_array_new_vector ((double *) values->data, values->len);
  return spk_distribution_new_array (array);
}

static gboolean
is_transform_object (JsonNode    *node,
                     SpkDistKind *kind)
{
  JsonNode *type;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  type = json_object_get_member (json_node_get_object (node), "type");
  return type != NULL && JSON_NODE_HOLDS_VALUE (type) && json_node_get_value_type (type) == G_TYPE_STRING
         && spk_distribution_kind_from_name (json_node_get_string (type), kind)
         && SPK_DIST_KIND_IS_TRANSFORM (*kind);
}

SpkDistribution *
_spk_model_json_transform_from_json (JsonNode    *node,
                                     const char  *owner,
                                     const char  *what,
                                     GError     **error)
{
  g_autoptr (SpkDistribution) t = NULL;
  g_autoptr (GError) cause = NULL;
  JsonObject *object;
  SpkDistKind kind;
  guint size_out, size_in;

  if (!is_transform_object (node, &kind))
    return _spk_model_json_distribution_from_json (node, owner, what, error);
  object = json_node_get_object (node);
  t = spk_distribution_new (kind);
  if (kind == SPK_DIST_SPARSE)
    {
      guint n_shape = 0;
      JsonNode *init = json_object_get_member (object, "init");
      g_autofree char *item = g_strdup_printf ("%s.init", what);

      if (!_spk_model_json_check_members (object, sparse_keys, owner, what, error)
          || !read_sizes (object, "shape", owner, what, 2, t->shape, &n_shape, error)
          || !_spk_model_json_read_array (object, "indices", FALSE, owner, what, &t->indices, error))
        return NULL;
      if (n_shape != 2)
        {
          _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                _("%s: Sparse needs \"shape\": [size_out, size_in]"), what);
          return NULL;
        }
      t->init = init ? _spk_model_json_distribution_from_json (init, owner, item, error)
                     : spk_distribution_new_scalar (1.0);
      if (t->init == NULL)
        return NULL;
    }
  else
    {
      gint64 n_filters = 0, groups = 1;
      JsonNode *member;
      guint n_kernel = 0, n_strides = 0, n_output = 0;
      g_autofree char *item = NULL;

      if (!_spk_model_json_check_members (object, kind == SPK_DIST_CONVOLUTION ? conv_keys : conv_transpose_keys,
                                          owner, what, error)
          || !read_sizes (object, "input_shape", owner, what, SPK_CONV_MAX_DIMS, t->input_shape, &t->n_dims,
                          error))
        return NULL;
      if (t->n_dims < 2)
        {
          _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                _("%s: %s needs \"input_shape\": the input's spatial sizes and its channels "
                                  "([height, width, channels] or [length, channels])"),
                                what, spk_distribution_kind_to_name (kind));
          return NULL;
        }
      if ((member = json_object_get_member (object, "n_filters")) == NULL)
        {
          _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s: %s needs \"n_filters\""),
                                what, spk_distribution_kind_to_name (kind));
          return NULL;
        }
      g_free (item);
      item = g_strdup_printf ("%s.n_filters", what);
      if (!_spk_model_json_integer_from_json (member, owner, item, &n_filters, error))
        return NULL;
      if (n_filters < 1 || n_filters > G_MAXINT)
        {
          _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be at least 1"), item);
          return NULL;
        }
      t->n_filters = (guint) n_filters;
      for (guint i = 0; i + 1 < t->n_dims; i++)
        {
          t->kernel_size[i] = 3;
          t->strides[i] = 1;
        }
      t->channels_last = TRUE;
      if (!read_sizes (object, "kernel_size", owner, what, 2, t->kernel_size, &n_kernel, error)
          || !read_sizes (object, "strides", owner, what, 2, t->strides, &n_strides, error)
          || !read_sizes (object, "output_shape", owner, what, SPK_CONV_MAX_DIMS, t->output_shape, &n_output,
                          error)
          || !_spk_model_json_read_boolean (object, "channels_last", owner, what, &t->channels_last, error))
        return NULL;
      if ((n_kernel != 0 && n_kernel != t->n_dims - 1) || (n_strides != 0 && n_strides != t->n_dims - 1)
          || (n_output != 0 && n_output != t->n_dims))
        {
          _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                n_output != 0 && n_output != t->n_dims
                                ? _("%s: output_shape must have as many entries as input_shape (%u)")
                                : _("%s: kernel_size and strides need one entry per spatial dimension of "
                                    "input_shape (%u)"),
                                what, n_output != 0 && n_output != t->n_dims ? t->n_dims : t->n_dims - 1);
          return NULL;
        }
      if ((member = json_object_get_member (object, "padding")) != NULL)
        {
          const char *padding;

          g_free (item);
          item = g_strdup_printf ("%s.padding", what);
          if ((padding = _spk_model_json_string_from_json (member, owner, item, error)) == NULL)
            return NULL;
          if (strcmp (padding, "same") != 0 && strcmp (padding, "valid") != 0)
            {
              _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                    _("%s must be \"valid\" or \"same\" (got '%s')"), item, padding);
              return NULL;
            }
          t->padding_same = strcmp (padding, "same") == 0;
        }
      if ((member = json_object_get_member (object, "groups")) != NULL)
        {
          g_free (item);
          item = g_strdup_printf ("%s.groups", what);
          if (!_spk_model_json_integer_from_json (member, owner, item, &groups, error))
            return NULL;
          if (groups < 1 || groups > G_MAXINT)
            {
              _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, _("%s must be at least 1"), item);
              return NULL;
            }
        }
      t->groups = (guint) groups;
      g_free (item);
      item = g_strdup_printf ("%s.init", what);
      member = json_object_get_member (object, "init");
      t->init = member ? read_kernel (member, owner, item, error) : spk_distribution_new_uniform (-1.0, 1.0);
      if (t->init == NULL)
        return NULL;
    }
  if (!spk_transform_check (t, &size_out, &size_in, &cause))
    {
      _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner, "%s: %s", what, cause->message);
      return NULL;
    }
  return g_steal_pointer (&t);
}

static void
add_sizes (JsonBuilder *builder,
           const char  *key,
           const guint *sizes,
           guint        n)
{
  json_builder_set_member_name (builder, key);
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    json_builder_add_int_value (builder, sizes[i]);
  json_builder_end_array (builder);
}

JsonNode *
_spk_model_json_transform_to_json (const SpkDistribution *t)
{
  g_autoptr (JsonBuilder) builder = NULL;

  if (!SPK_DIST_KIND_IS_TRANSFORM (t->kind))
    return _spk_model_json_distribution_to_json (t);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, spk_distribution_kind_to_name (t->kind));
  if (t->kind == SPK_DIST_SPARSE)
    {
      add_sizes (builder, "shape", t->shape, 2);
      if (t->indices != NULL)
        {
          json_builder_set_member_name (builder, "indices");
          json_builder_begin_array (builder);
          for (gsize i = 0; i < t->indices->size / 2; i++)
            {
              json_builder_begin_array (builder);
              json_builder_add_int_value (builder, (gint64) t->indices->data[2 * i]);
              json_builder_add_int_value (builder, (gint64) t->indices->data[2 * i + 1]);
              json_builder_end_array (builder);
            }
          json_builder_end_array (builder);
        }
      json_builder_set_member_name (builder, "init");
      json_builder_add_value (builder, _spk_model_json_distribution_to_json (t->init));
    }
  else
    {
      guint n_sp = t->n_dims - 1;

      json_builder_set_member_name (builder, "n_filters");
      json_builder_add_int_value (builder, t->n_filters);
      add_sizes (builder, "input_shape", t->input_shape, t->n_dims);
      if (t->kind == SPK_DIST_CONVOLUTION_TRANSPOSE && t->output_shape[0] != 0)
        add_sizes (builder, "output_shape", t->output_shape, t->n_dims);
      add_sizes (builder, "kernel_size", t->kernel_size, n_sp);
      add_sizes (builder, "strides", t->strides, n_sp);
      json_builder_set_member_name (builder, "padding");
      json_builder_add_string_value (builder, t->padding_same ? "same" : "valid");
      json_builder_set_member_name (builder, "channels_last");
      json_builder_add_boolean_value (builder, t->channels_last);
      if (t->groups != 1)
        {
          json_builder_set_member_name (builder, "groups");
          json_builder_add_int_value (builder, t->groups);
        }
      json_builder_set_member_name (builder, "init");
      if (t->init->kind == SPK_DIST_ARRAY && t->init->array->size % t->n_filters == 0)
        {
          /* One row per kernel position and input channel, a column per
           * filter: the kernel's values in Nengo's order. */
          g_autoptr (SpkArray) rows = spk_array_new_matrix (t->init->array->data,
                                                            t->init->array->size / t->n_filters, t->n_filters);

          json_builder_add_value (builder, _spk_model_json_array_to_json (rows));
        }
      else
        json_builder_add_value (builder, _spk_model_json_distribution_to_json (t->init));
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
