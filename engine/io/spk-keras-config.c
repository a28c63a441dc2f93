/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-keras-config.c — a Keras model handed over in memory rather than as
 * a file: its config (model.to_json()) and its weights (model.get_weights()
 * in order, or layer by layer), as Python's spikeworks.Converter receives
 * them without TensorFlow.  The config is parsed and converted by the same
 * code as a file's model_config; only where the weights come from differs. */
#define G_LOG_DOMAIN "spk-keras"

#include "spk-keras-private.h"

#include <inttypes.h>
#include <math.h>

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"

static gboolean
weights_fail (SpkKerasModel *model,
              GError       **error,
              const char    *format,
              ...) G_GNUC_PRINTF (3, 4);

static gboolean
weights_fail (SpkKerasModel *model,
              GError       **error,
              const char    *format,
              ...)
{
  g_autofree char *prefix = g_strdup_printf ("%s: weights", model->display);
  va_list args;

  va_start (args, format);
  spk_error_set_at_valist (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE, prefix, format, args);
  va_end (args);
  return FALSE;
}

static gboolean
add_array (SpkKerasModel       *model,
           SpkKerasLayer       *layer,
           const SpkKerasArray *array,
           const char          *name,
           GError             **error)
{
  if (array->rank > 4)
    return weights_fail (model, error, _("%s has %u dimensions; a Keras weight has at most 4"), name, array->rank);
  return _spk_keras_layer_add_weight (model, layer, name, array->rank, array->dims, array->values, error);
}

/* Every array names its layer: each goes to that layer, in order. */
static gboolean
add_by_layer (SpkKerasModel       *model,
              const SpkKerasArray *weights,
              gsize                n_weights,
              GError             **error)
{
  for (gsize i = 0; i < n_weights; i++)
    {
      SpkKerasLayer *layer = _spk_keras_model_find (model, weights[i].layer);
      g_autofree char *name = NULL;

      if (layer == NULL)
        return weights_fail (model, error, _("weights are given for '%s', which is not a layer of the model"),
                             weights[i].layer);
      name = g_strdup_printf ("%s[%u]", weights[i].layer, layer->weights->len);
      if (!add_array (model, layer, &weights[i], name, error))
        return FALSE;
    }
  return TRUE;
}

/* model.get_weights(): dealt out to the layers in order. */
static gboolean
add_in_order (SpkKerasModel       *model,
              const SpkKerasArray *weights,
              gsize                n_weights,
              GError             **error)
{
  gsize next = 0, wanted = 0;

  for (guint i = 0; i < model->layers->len; i++)
    wanted += _spk_keras_layer_n_weights (g_ptr_array_index (model->layers, i));
  if (n_weights > wanted)
    return weights_fail (model, error,
                         _("%" PRIu64 " arrays are given; the model's layers take %" PRIu64
                           " (model.get_weights() lists them)"), (guint64) n_weights, (guint64) wanted);
  for (guint i = 0; i < model->layers->len; i++)
    {
      SpkKerasLayer *layer = g_ptr_array_index (model->layers, i);
      guint n = _spk_keras_layer_n_weights (layer);

      /* Too few: the converter names the first layer left short. */
      for (guint k = 0; k < n && next < n_weights; k++, next++)
        {
          g_autofree char *name = g_strdup_printf ("weights[%" G_GSIZE_FORMAT "]", next);

          if (!add_array (model, layer, &weights[next], name, error))
            return FALSE;
        }
    }
  return TRUE;
}

SpkSession *
spk_keras_convert_config (const char            *json,
                          const SpkKerasArray   *weights,
                          gsize                  n_weights,
                          const SpkKerasOptions *options,
                          GError               **error)
{
  g_autoptr (SpkKerasModel) model = NULL;
  SpkKerasOptions defaults;
  SpkSession *session;
  gboolean by_layer = n_weights > 0 && weights[0].layer != NULL;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (n_weights == 0 || weights != NULL, NULL);

  spk_keras_options_init (&defaults);
  if (options == NULL)
    options = &defaults;
  if (!(options->scale_firing_rates > 0 && isfinite (options->scale_firing_rates)))
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE, _("scale_firing_rates must be a positive number"));
      return NULL;
    }
  model = _spk_keras_model_new ("");
  g_free (model->display);
  model->display = g_strdup (_("Keras model config"));
  model->from_config = TRUE;
  for (gsize i = 0; i < n_weights; i++)
    g_return_val_if_fail ((weights[i].layer != NULL) == by_layer, NULL);
  if (!_spk_keras_parse_config (model, json, error)
      || !(by_layer ? add_by_layer (model, weights, n_weights, error)
                    : add_in_order (model, weights, n_weights, error)))
    return NULL;
  session = _spk_keras_convert (model, options, error);
  spk_keras_options_clear (&defaults);
  return session;
}
