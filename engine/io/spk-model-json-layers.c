/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-model-json-layers.c — a layer's "strides" in the model file: one
 * number for both axes, or Keras's pair [rows, columns] when the steps
 * differ (docs/model-format.md, "layer").  The layer keeps them as two
 * properties, "strides" and "strides-w" (0: the same as "strides"); the
 * file has no key of the second, so the two can never disagree there. */
#define G_LOG_DOMAIN "spk-model-json"

#include "spk-model-json-private.h"

#include <glib/gi18n-lib.h>

gboolean
_spk_model_json_layer_strides_from_json (SpkLayer    *layer,
                                         JsonNode    *node,
                                         const char  *owner,
                                         GError     **error)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (layer), "strides");
  guint steps[2];

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *pair = json_node_get_array (node);

      if (json_array_get_length (pair) != 2)
        return _spk_model_json_fail (error, SPK_IO_ERROR_VALUE, owner,
                                     _("strides must be a number or a pair [rows, columns], not a list of %u"),
                                     json_array_get_length (pair));
      for (guint i = 0; i < 2; i++)
        {
          g_auto (GValue) value = G_VALUE_INIT;
          g_autofree char *what = g_strdup_printf ("strides[%u]", i);

          if (!_spk_model_json_value_from_json (pspec, json_array_get_element (pair, i), owner, what,
                                                &value, error))
            return FALSE;
          steps[i] = g_value_get_uint (&value);
        }
    }
  else
    {
      g_auto (GValue) value = G_VALUE_INIT;

      if (!_spk_model_json_value_from_json (pspec, node, owner, "strides", &value, error))
        return FALSE;
      steps[0] = steps[1] = g_value_get_uint (&value);
    }
  spk_layer_set_strides_hw (layer, steps[0], steps[1]);
  return TRUE;
}

JsonNode *
_spk_model_json_layer_strides_to_json (SpkLayer *layer)
{
  const guint h = spk_layer_get_strides (layer), w = spk_layer_get_strides_w (layer);
  JsonArray *pair;

  if (h == w)
    return json_node_init_int (json_node_alloc (), h);
  pair = json_array_sized_new (2);
  json_array_add_int_element (pair, h);
  json_array_add_int_element (pair, w);
  return json_node_init_array (json_node_alloc (), pair);
}
