/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-keras-convert.c — NengoDL's Converter: a Keras model, as read by
 * spk-keras-read.c, into a Spikeworks network and its parameters.
 *
 * Each Keras layer becomes what NengoDL makes of it: an InputLayer a Node
 * (zeros until fed), Dense, Conv2D, AveragePooling2D, BatchNormalization
 * and Dropout the Layer of that type with the file's weights, Flatten and
 * Reshape nothing (values are flat and channels-last either way), and
 * every activation an Ensemble of one neuron per value, fed into its
 * neurons with gain s and no bias, of amplitude 1/s (s is
 * scale_firing_rates: the same rates, s times the spikes).  Connections
 * pass values on unchanged and do not train; those out of neurons get the
 * `synapse` option.  Layers are visited in the config's order, which
 * Keras keeps topological. */
#define G_LOG_DOMAIN "spk-keras"

#include "spk-keras-private.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"
#include "io/spk-hdf5-array.h"
#include "io/spk-hdf5-check.h"
#include "model/spk-connection.h"
#include "model/spk-ensemble.h"
#include "model/spk-layer.h"
#include "model/spk-node.h"
#include "model/spk-probe.h"
#include "model/spk-synapse.h"

/* What a converted layer outputs: an object's output (or its neurons'),
 * of a Keras shape without the batch axis. */
typedef struct
{
  SpkObject *object;
  gboolean   neurons;
  guint      rank;
  gsize      dims[3];
  gsize      size;
  /* The Dense or Conv2D layer whose raw output this is, which a following
   * BatchNormalization may be folded into; NULL otherwise. */
  SpkLayer  *transform;
  const char *transform_name;
} Value;

typedef struct
{
  SpkKerasModel         *model;
  const SpkKerasOptions *options;
  SpkNetwork            *net;
  GHashTable            *values;     /* Keras layer name → Value */
  GHashTable            *params;     /* parameter key → SpkArray */
  GHashTable            *labels;     /* labels in use */
  GHashTable            *consumers;  /* Keras layer name → GUINT_TO_POINTER (readers + outputs) */
  SpkKerasLayer         *layer;      /* the layer being converted */
  GError               **error;
} Converter;

void
spk_keras_options_init (SpkKerasOptions *options)
{
  memset (options, 0, sizeof *options);
  options->scale_firing_rates = 1.0;
  options->synapse = -1.0;
  options->allow_fallback = TRUE;
}

void
spk_keras_options_clear (SpkKerasOptions *options)
{
  g_clear_pointer (&options->swap_activations, g_hash_table_unref);
}

gboolean
spk_keras_options_add_swap (SpkKerasOptions *options,
                            const char      *text,
                            GError         **error)
{
  const char *eq = strchr (text, '=');
  g_autofree char *from = NULL;
  SpkNeuronKind kind;

  if (eq == NULL || eq == text || eq[1] == '\0')
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("a swap is written FROM=TO, e.g. relu=SpikingRectifiedLinear, not '%s'"), text);
      return FALSE;
    }
  if (!spk_neuron_kind_from_name (eq + 1, &kind) || spk_neuron_kind_is_wrapper (kind))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("swap '%s': '%s' is not a neuron type (e.g. SpikingRectifiedLinear, LIF, LIFRate)"),
                   text, eq + 1);
      return FALSE;
    }
  if (options->swap_activations == NULL)
    options->swap_activations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) spk_neuron_type_unref);
  from = g_strndup (text, (gsize) (eq - text));
  g_hash_table_replace (options->swap_activations, g_steal_pointer (&from), spk_neuron_type_new (kind));
  return TRUE;
}

static gboolean
layer_fail (Converter  *c,
            SpkIoError  code,
            const char *format,
            ...) G_GNUC_PRINTF (3, 4);

/* "<file>: layer '<name>' (<Class>): <problem>". */
static gboolean
layer_fail (Converter  *c,
            SpkIoError  code,
            const char *format,
            ...)
{
  g_autofree char *prefix = g_strdup_printf (_("%s: layer '%s' (%s)"), c->model->display,
                                             c->layer->name, c->layer->class_name);
  va_list args;

  va_start (args, format);
  spk_error_set_at_valist (c->error, SPK_IO_ERROR, code, prefix, format, args);
  va_end (args);
  return FALSE;
}

/* ---- config values ------------------------------------------------------ */

static JsonNode *
config_member (Converter  *c,
               const char *name)
{
  JsonNode *node = json_object_get_member (c->layer->config, name);

  return node && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

static gboolean
config_int (Converter  *c,
            JsonNode   *node,
            const char *name,
            gint64      min,
            gint64     *out)
{
  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE
      || (json_node_get_value_type (node) != G_TYPE_INT64
          && !(json_node_get_value_type (node) == G_TYPE_DOUBLE
               && json_node_get_double (node) == floor (json_node_get_double (node))
               && fabs (json_node_get_double (node)) < 1e15)))
    return layer_fail (c, SPK_IO_ERROR_VALUE, _("%s must be a whole number"), name);
  *out = json_node_get_value_type (node) == G_TYPE_INT64 ? json_node_get_int (node)
                                                         : (gint64) json_node_get_double (node);
  if (*out < min || *out > G_MAXINT32)
    return layer_fail (c, SPK_IO_ERROR_VALUE, _("%s must be from %" PRId64 " to %d (got %" PRId64 ")"),
                       name, min, G_MAXINT32, *out);
  return TRUE;
}

static gboolean
get_int (Converter  *c,
         const char *name,
         gint64      fallback,
         gint64      min,
         gint64     *out)
{
  JsonNode *node = config_member (c, name);

  if (node == NULL)
    {
      if (fallback < min)
        return layer_fail (c, SPK_IO_ERROR_VALUE, _("%s is missing"), name);
      *out = fallback;
      return TRUE;
    }
  return config_int (c, node, name, min, out);
}

/* The largest window or stride a layer takes (its properties' range). */
#define MAX_WINDOW 4096

/* An int or a pair of ints (kernel_size, strides, pool_size …): out[0]
 * along the rows, out[1] along the columns; both fallback when missing. */
static gboolean
get_pair (Converter  *c,
          const char *name,
          gint64      fallback,
          gint64      out[2])
{
  JsonNode *node = config_member (c, name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      if (!get_int (c, name, fallback, 1, &out[0]))
        return FALSE;
      out[1] = out[0];
    }
  else if (json_array_get_length (json_node_get_array (node)) != 2)
    return layer_fail (c, SPK_IO_ERROR_VALUE, _("%s must be two whole numbers"), name);
  else if (!config_int (c, json_array_get_element (json_node_get_array (node), 0), name, 1, &out[0])
           || !config_int (c, json_array_get_element (json_node_get_array (node), 1), name, 1, &out[1]))
    return FALSE;
  if (out[0] > MAX_WINDOW || out[1] > MAX_WINDOW)
    return layer_fail (c, SPK_IO_ERROR_VALUE, _("%s must be from 1 to %d (got %" PRId64 ")"),
                       name, MAX_WINDOW, MAX (out[0], out[1]));
  return TRUE;
}

/* A pair that must be square (a pooling window, a dilation), as one int. */
static gboolean
get_square (Converter  *c,
            const char *name,
            gint64      fallback,
            gint64     *out)
{
  gint64 pair[2];

  if (!get_pair (c, name, fallback, pair))
    return FALSE;
  if (pair[0] != pair[1])
    return layer_fail (c, SPK_IO_ERROR_VALUE, _("%s %" PRId64 " × %" PRId64
                                                " is not square; only equal heights and widths convert"),
                       name, pair[0], pair[1]);
  *out = pair[0];
  return TRUE;
}

static gboolean
get_double (Converter  *c,
            const char *name,
            double      fallback,
            double     *out)
{
  JsonNode *node = config_member (c, name);

  if (node == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE
      || (json_node_get_value_type (node) != G_TYPE_DOUBLE && json_node_get_value_type (node) != G_TYPE_INT64)
      || !isfinite (json_node_get_double (node)))
    return layer_fail (c, SPK_IO_ERROR_VALUE, _("%s must be a finite number"), name);
  *out = json_node_get_double (node);
  return TRUE;
}

static gboolean
get_bool (Converter  *c,
          const char *name,
          gboolean    fallback,
          gboolean   *out)
{
  JsonNode *node = config_member (c, name);

  if (node == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return layer_fail (c, SPK_IO_ERROR_VALUE, _("%s must be true or false"), name);
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
get_string (Converter   *c,
            const char  *name,
            const char  *fallback,
            const char **out)
{
  JsonNode *node = config_member (c, name);

  if (node == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_STRING)
    return layer_fail (c, SPK_IO_ERROR_VALUE, _("%s must be a string"), name);
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
check_channels_last (Converter *c)
{
  const char *format;

  if (!get_string (c, "data_format", "channels_last", &format))
    return FALSE;
  if (!g_str_equal (format, "channels_last"))
    return layer_fail (c, SPK_IO_ERROR_VALUE,
                       _("data_format '%s' is not supported: Spikeworks images are channels_last"), format);
  return TRUE;
}

static gboolean
get_padding (Converter  *c,
             SpkPadding *out)
{
  const char *padding;

  if (!get_string (c, "padding", "valid", &padding))
    return FALSE;
  if (g_ascii_strcasecmp (padding, "valid") == 0)
    *out = SPK_PADDING_VALID;
  else if (g_ascii_strcasecmp (padding, "same") == 0)
    *out = SPK_PADDING_SAME;
  else
    return layer_fail (c, SPK_IO_ERROR_VALUE, _("padding '%s' is not supported (valid or same)"), padding);
  return TRUE;
}

/* ---- building blocks ----------------------------------------------------- */

/* A label not yet used: base, else base_2, base_3… */
static char *
unique_label (Converter  *c,
              const char *base)
{
  char *label = g_strdup (base);

  for (guint i = 2; g_hash_table_contains (c->labels, label); i++)
    {
      g_free (label);
      label = g_strdup_printf ("%s_%u", base, i);
    }
  g_hash_table_add (c->labels, g_strdup (label));
  return label;
}

static gboolean
add_object (Converter *c,
            gpointer   object,
            const char *label)
{
  g_autoptr (GError) local = NULL;

  spk_object_set_label (SPK_OBJECT (object), label);
  if (!spk_network_add (c->net, SPK_OBJECT (object), &local))
    return layer_fail (c, SPK_IO_ERROR_VALUE, "%s", local->message);
  return TRUE;
}

static gboolean
connect_value (Converter   *c,
               const Value *pre,
               SpkObject   *post,
               gboolean     post_neurons)
{
  g_autoptr (SpkConnection) conn = spk_connection_new ();
  g_autoptr (SpkSynapse) synapse = NULL;
  g_autoptr (GError) local = NULL;

  if (pre->neurons && c->options->synapse >= 0)
    synapse = spk_synapse_new_lowpass (c->options->synapse);
  spk_connection_set_pre (conn, pre->object);
  spk_connection_set_pre_neurons (conn, pre->neurons);
  spk_connection_set_post (conn, post);
  spk_connection_set_post_neurons (conn, post_neurons);
  spk_connection_set_synapse (conn, synapse);
  spk_object_set_trainable (SPK_OBJECT (conn), FALSE);
  if (!spk_network_add (c->net, SPK_OBJECT (conn), &local))
    return layer_fail (c, SPK_IO_ERROR_VALUE, "%s", local->message);
  return TRUE;
}

static void
set_param (Converter  *c,
           const char *label,
           const char *name,
           SpkArray   *array)
{
  g_hash_table_replace (c->params, g_strdup_printf ("%s/%s", label, name), array);
}

/* The n-th weight, checked to have the expected shape. */
static gboolean
weight (Converter       *c,
        guint            index,
        const char      *what,
        guint            rank,
        const gsize     *dims,
        SpkKerasWeight **out)
{
  SpkKerasWeight *w;

  if (index >= c->layer->weights->len)
    {
      g_autofree char *want = spk_describe_dims (rank, dims);

      if (c->model->from_config)
        return layer_fail (c, SPK_IO_ERROR_FORMAT, _("the weight '%s' (%s) is not among the weights given"),
                           what, want);
      return layer_fail (c, SPK_IO_ERROR_FORMAT, _("the weight '%s' (%s) is missing from the file"), what, want);
    }
  w = g_ptr_array_index (c->layer->weights, index);
  if (w->rank != rank || memcmp (w->dims, dims, rank * sizeof (gsize)) != 0)
    {
      g_autofree char *want = spk_describe_dims (rank, dims);
      g_autofree char *got = spk_describe_dims (w->rank, w->dims);

      return layer_fail (c, SPK_IO_ERROR_VALUE, _("the weight '%s' (%s) has the shape %s; %s needs %s"),
                         w->name, what, got, what, want);
    }
  *out = w;
  return TRUE;
}

static gboolean
check_weight_count (Converter *c,
                    guint      expected)
{
  if (c->layer->weights->len > expected && c->model->from_config)
    return layer_fail (c, SPK_IO_ERROR_VALUE, _("%u weights are given for it; it takes %u"),
                       c->layer->weights->len, expected);
  if (c->layer->weights->len > expected)
    return layer_fail (c, SPK_IO_ERROR_VALUE, _("the file has %u weights for it; it takes %u"),
                       c->layer->weights->len, expected);
  return TRUE;
}

/* A boolean member of a layer's config, fallback when absent or not a
 * boolean (the converter names that when it reaches the layer). */
static gboolean
config_flag (const SpkKerasLayer *layer,
             const char          *name,
             gboolean             fallback)
{
  JsonNode *node = json_object_get_member (layer->config, name);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

guint
_spk_keras_layer_n_weights (const SpkKerasLayer *layer)
{
  const char *cls = layer->class_name;

  if (g_str_equal (cls, "Dense") || g_str_equal (cls, "Conv2D") || g_str_equal (cls, "Convolution2D"))
    return config_flag (layer, "use_bias", TRUE) ? 2 : 1;
  if (g_str_equal (cls, "BatchNormalization"))
    return 2 + (config_flag (layer, "scale", TRUE) ? 1 : 0) + (config_flag (layer, "center", TRUE) ? 1 : 0);
  return 0;
}

static Value *
new_value (Converter   *c,
           const Value *like,
           SpkObject   *object,
           gboolean     neurons)
{
  Value *v = g_new0 (Value, 1);

  if (like)
    *v = *like;
  v->object = object;
  v->neurons = neurons;
  v->transform = NULL;
  v->transform_name = NULL;
  g_hash_table_replace (c->values, g_strdup (c->layer->name), v);
  return v;
}

static void
pass_value (Converter   *c,
            const Value *in)
{
  Value *v = g_new (Value, 1);

  *v = *in;
  g_hash_table_replace (c->values, g_strdup (c->layer->name), v);
}

/* ---- activations -------------------------------------------------------- */

/* Keras activations the Layer's expression computes, for allow_fallback. */
static const char *
fallback_expression (const char *activation)
{
  static const struct { const char *name, *expr; } table[] = {
    { "softmax", "exp(x - max(x)) / sum(exp(x - max(x)))" },
    { "elu", "where(x > 0, x, exp(min(x, 0)) - 1)" },
    { "selu", "1.0507009873554805 * where(x > 0, x, 1.6732632423543772 * (exp(min(x, 0)) - 1))" },
    { "softplus", "max(x, 0) + log(1 + exp(-abs(x)))" },
    { "softsign", "x / (1 + abs(x))" },
    { "swish", "x / (1 + exp(-x))" },
    { "silu", "x / (1 + exp(-x))" },
    { "hard_sigmoid", "clip(0.2 * x + 0.5, 0, 1)" },
    { "exponential", "exp(x)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (g_str_equal (activation, table[i].name))
      return table[i].expr;
  return NULL;
}

/* An expression layer computing expr on in: the non-spiking fallback. */
static gboolean
add_expression (Converter   *c,
                const Value *in,
                const char  *base,
                const char  *expr)
{
  g_autoptr (SpkLayer) layer = spk_layer_new (SPK_LAYER_EXPRESSION);
  g_autofree char *label = unique_label (c, base);

  spk_layer_set_shape (layer, (guint) in->size, 0, 0);
  g_object_set (layer, "expression", expr, NULL);
  if (!add_object (c, layer, label) || !connect_value (c, in, SPK_OBJECT (layer), FALSE))
    return FALSE;
  new_value (c, in, SPK_OBJECT (layer), FALSE);
  return TRUE;
}

static SpkNeuronType *
neuron_type_for (Converter  *c,
                 const char *activation)
{
  SpkNeuronKind kind;
  SpkNeuronType *type;
  GHashTable *swaps = c->options->swap_activations;

  if (g_str_equal (activation, "relu"))
    kind = SPK_NEURON_RECTIFIED_LINEAR;
  else if (g_str_equal (activation, "sigmoid"))
    kind = SPK_NEURON_SIGMOID;
  else if (g_str_equal (activation, "tanh"))
    kind = SPK_NEURON_TANH;
  else
    return NULL;
  if (swaps && (type = g_hash_table_lookup (swaps, activation)))
    type = spk_neuron_type_copy (type);
  else if (swaps && (type = g_hash_table_lookup (swaps, spk_neuron_kind_to_name (kind))))
    type = spk_neuron_type_copy (type);
  else
    type = spk_neuron_type_new (kind);
  /* Nengo's Sigmoid and Tanh peak at 1/tau_ref: Keras's at 1. */
  if (type->kind == kind && (kind == SPK_NEURON_SIGMOID || kind == SPK_NEURON_TANH))
    type->tau_ref = 1.0;
  return type;
}

/* An activation after the value in: linear passes it on, relu, sigmoid
 * and tanh become neurons, others an expression with allow_fallback. */
static gboolean
add_activation (Converter   *c,
                const Value *in,
                const char  *activation,
                gboolean     own_layer)
{
  g_autoptr (SpkNeuronType) type = NULL;
  g_autofree char *base = own_layer ? g_strdup (c->layer->name)
                                    : g_strdup_printf ("%s_%s", c->layer->name, activation);
  const char *expr;

  if (g_str_equal (activation, "linear"))
    {
      pass_value (c, in);
      return TRUE;
    }
  if ((type = neuron_type_for (c, activation)))
    {
      g_autoptr (SpkEnsemble) ens = spk_ensemble_new ();
      g_autoptr (SpkArray) gain = spk_array_new (1, in->size, 1);
      g_autoptr (SpkArray) bias = spk_array_new (1, in->size, 1);
      g_autofree char *label = unique_label (c, base);
      double s = c->options->scale_firing_rates;

      if (in->size > G_MAXINT)
        return layer_fail (c, SPK_IO_ERROR_VALUE, _("too many values for one ensemble"));
      /* The same rates at s times the input: NengoDL's scale_firing_rates. */
      type->amplitude /= s;
      if (type->kind == SPK_NEURON_SIGMOID || type->kind == SPK_NEURON_TANH)
        type->tau_ref *= s;
      for (gsize i = 0; i < in->size; i++)
        {
          gain->data[i] = s;
          bias->data[i] = 0.0;
        }
      spk_ensemble_set_n_neurons (ens, (int) in->size);
      spk_ensemble_set_dimensions (ens, 1);
      spk_ensemble_set_neuron_type (ens, type);
      spk_ensemble_set_gain (ens, gain);
      spk_ensemble_set_bias (ens, bias);
      /* Keras has no per-neuron bias to learn: the layers train. */
      spk_object_set_trainable (SPK_OBJECT (ens), FALSE);
      if (!add_object (c, ens, label) || !connect_value (c, in, SPK_OBJECT (ens), TRUE))
        return FALSE;
      new_value (c, in, SPK_OBJECT (ens), TRUE);
      return TRUE;
    }
  expr = fallback_expression (activation);
  if (expr == NULL)
    return layer_fail (c, SPK_IO_ERROR_UNKNOWN, _("the activation '%s' is not supported"), activation);
  if (!c->options->allow_fallback)
    return layer_fail (c, SPK_IO_ERROR_VALUE,
                       _("the activation '%s' has no neuron equivalent; allow_fallback keeps it as a non-spiking layer"),
                       activation);
  return add_expression (c, in, base, expr);
}

static gboolean
get_activation (Converter   *c,
                const char **out)
{
  return get_string (c, "activation", "linear", out);
}

/* ---- layers -------------------------------------------------------------- */

static gboolean
convert_input (Converter *c)
{
  JsonNode *node = config_member (c, "batch_input_shape");
  g_autoptr (SpkNode) input = spk_node_new ();
  g_autoptr (SpkArray) zeros = NULL;
  g_autofree char *label = NULL;
  JsonArray *shape;
  Value v = { 0 };

  if (node == NULL)
    node = config_member (c, "batch_shape");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return layer_fail (c, SPK_IO_ERROR_FORMAT, _("the input shape (batch_input_shape) is missing"));
  shape = json_node_get_array (node);
  if (json_array_get_length (shape) < 2 || json_array_get_length (shape) > 4)
    return layer_fail (c, SPK_IO_ERROR_VALUE,
                       _("an input of %u dimensions is not supported (a vector or an image: 1 to 3, besides the batch)"),
                       MAX (json_array_get_length (shape), 1) - 1);
  v.rank = json_array_get_length (shape) - 1;
  v.size = 1;
  for (guint i = 0; i < v.rank; i++)
    {
      JsonNode *dim = json_array_get_element (shape, i + 1);
      gint64 n;

      if (JSON_NODE_HOLDS_NULL (dim))
        return layer_fail (c, SPK_IO_ERROR_VALUE, _("the input's size along axis %u is not given (None)"), i + 1);
      if (!config_int (c, dim, "batch_input_shape", 1, &n))
        return FALSE;
      v.dims[i] = (gsize) n;
      if (v.size > (gsize) G_MAXINT / (gsize) n)
        return layer_fail (c, SPK_IO_ERROR_VALUE, _("the input is too large"));
      v.size *= (gsize) n;
    }
  zeros = spk_array_new (1, v.size, 1);
  memset (zeros->data, 0, v.size * sizeof (double));
  spk_node_set_output_value (input, zeros);
  label = unique_label (c, c->layer->name);
  if (!add_object (c, input, label))
    return FALSE;
  new_value (c, &v, SPK_OBJECT (input), FALSE);
  return TRUE;
}

/* The end of a Dense or Conv2D layer: its bias (n values), then its
 * activation on raw, the layer's output; after a linear one the layer
 * stays the value's transform. */
static gboolean
finish_weighted (Converter      *c,
                 const char     *label,
                 SpkLayer       *layer,
                 SpkKerasWeight *bias,
                 gsize           n,
                 Value          *raw,
                 const char     *activation)
{
  Value *out;

  if (bias)
    set_param (c, label, "bias", spk_array_new_vector (bias->values, n));
  raw->object = SPK_OBJECT (layer);
  raw->neurons = FALSE;
  if (!add_activation (c, raw, activation, FALSE))
    return FALSE;
  out = g_hash_table_lookup (c->values, c->layer->name);
  if (g_str_equal (activation, "linear"))
    {
      out->transform = layer;
      out->transform_name = c->layer->name;
    }
  return TRUE;
}

static gboolean
convert_dense (Converter   *c,
               const Value *in)
{
  g_autoptr (SpkLayer) layer = spk_layer_new (SPK_LAYER_DENSE);
  g_autofree char *label = NULL;
  const char *activation;
  SpkKerasWeight *kernel, *bias = NULL;
  gboolean use_bias;
  gint64 units;

  if (!get_int (c, "units", -1, 1, &units) || !get_bool (c, "use_bias", TRUE, &use_bias)
      || !get_activation (c, &activation))
    return FALSE;
  if (in->rank != 1)
    {
      g_autofree char *shape = spk_describe_dims (in->rank, in->dims);

      return layer_fail (c, SPK_IO_ERROR_VALUE,
                         _("its input is %s, not a vector: Keras's Dense acts on the last axis only; "
                           "add a Flatten before it"), shape);
    }
  {
    gsize kdims[2] = { in->size, (gsize) units }, bdims[1] = { (gsize) units };

    if (!weight (c, 0, "kernel", 2, kdims, &kernel)
        || (use_bias && !weight (c, 1, "bias", 1, bdims, &bias))
        || !check_weight_count (c, use_bias ? 2 : 1))
      return FALSE;
  }
  label = unique_label (c, c->layer->name);
  spk_layer_set_shape (layer, (guint) in->size, 0, 0);
  g_object_set (layer, "units", (guint) units, "use-bias", use_bias, NULL);
  if (!add_object (c, layer, label) || !connect_value (c, in, SPK_OBJECT (layer), FALSE))
    return FALSE;
  set_param (c, label, "weights", spk_array_new_matrix (kernel->values, in->size, (gsize) units));
  {
    Value raw = *in;

    raw.rank = 1;
    raw.dims[0] = raw.size = (gsize) units;
    return finish_weighted (c, label, layer, bias, (gsize) units, &raw, activation);
  }
}

/* A Conv2D or pooling layer's output shape, with the builder's message
 * when the window does not fit. */
static gboolean
window_out (Converter *c,
            SpkLayer  *layer,
            Value     *raw)
{
  guint shape[3] = { (guint) raw->dims[0], (guint) raw->dims[1], (guint) raw->dims[2] };
  SpkLayerWindow win = spk_layer_window (layer, shape);
  g_autoptr (GError) local = NULL;

  if (!spk_layer_window_init (&win, "window", &local))
    return layer_fail (c, SPK_IO_ERROR_VALUE, "%s", local->message);
  raw->dims[0] = win.out_h;
  raw->dims[1] = win.out_w;
  return TRUE;
}

static gboolean
require_image (Converter   *c,
               const Value *in)
{
  if (in->rank != 3)
    {
      g_autofree char *shape = spk_describe_dims (in->rank, in->dims);

      return layer_fail (c, SPK_IO_ERROR_VALUE, _("its input is %s, not an image (height × width × channels)"),
                         shape);
    }
  if (in->dims[0] > G_MAXUINT || in->dims[1] > G_MAXUINT || in->dims[2] > G_MAXUINT)
    return layer_fail (c, SPK_IO_ERROR_VALUE, _("the input is too large"));
  return TRUE;
}

static gboolean
convert_conv2d (Converter   *c,
                const Value *in)
{
  g_autoptr (SpkLayer) layer = spk_layer_new (SPK_LAYER_CONV2D);
  g_autofree char *label = NULL;
  const char *activation;
  SpkKerasWeight *kernel, *bias = NULL;
  gint64 filters, ksize[2], strides[2], dilation, groups;
  gboolean use_bias;
  SpkPadding padding;
  Value raw = *in;

  if (!require_image (c, in) || !check_channels_last (c)
      || !get_int (c, "filters", -1, 1, &filters) || !get_pair (c, "kernel_size", -1, ksize)
      || !get_pair (c, "strides", 1, strides) || !get_square (c, "dilation_rate", 1, &dilation)
      || !get_int (c, "groups", 1, 1, &groups) || !get_padding (c, &padding)
      || !get_bool (c, "use_bias", TRUE, &use_bias) || !get_activation (c, &activation))
    return FALSE;
  if (dilation != 1)
    return layer_fail (c, SPK_IO_ERROR_VALUE, _("dilation_rate %" PRId64 " is not supported (only 1)"),
                       dilation);
  if (groups != 1)
    return layer_fail (c, SPK_IO_ERROR_VALUE, _("groups %" PRId64 " is not supported (only 1)"), groups);
  {
    gsize kdims[4] = { (gsize) ksize[0], (gsize) ksize[1], in->dims[2], (gsize) filters };
    gsize bdims[1] = { (gsize) filters };

    if (!weight (c, 0, "kernel", 4, kdims, &kernel)
        || (use_bias && !weight (c, 1, "bias", 1, bdims, &bias))
        || !check_weight_count (c, use_bias ? 2 : 1))
      return FALSE;
  }
  spk_layer_set_shape (layer, (guint) in->dims[0], (guint) in->dims[1], (guint) in->dims[2]);
  g_object_set (layer, "filters", (guint) filters, "kernel-size", (guint) ksize[0],
                "kernel-width", ksize[1] == ksize[0] ? 0u : (guint) ksize[1], "padding", padding,
                "use-bias", use_bias, NULL);
  spk_layer_set_strides_hw (layer, (guint) strides[0], (guint) strides[1]);
  if (!window_out (c, layer, &raw))
    return FALSE;
  raw.dims[2] = (gsize) filters;
  raw.size = raw.dims[0] * raw.dims[1] * raw.dims[2];
  label = unique_label (c, c->layer->name);
  if (!add_object (c, layer, label) || !connect_value (c, in, SPK_OBJECT (layer), FALSE))
    return FALSE;
  set_param (c, label, "weights",
             spk_array_new_matrix (kernel->values, (gsize) (ksize[0] * ksize[1]) * in->dims[2], (gsize) filters));
  return finish_weighted (c, label, layer, bias, (gsize) filters, &raw, activation);
}

static gboolean
convert_pooling (Converter   *c,
                 const Value *in)
{
  g_autoptr (SpkLayer) layer = spk_layer_new (SPK_LAYER_AVERAGE_POOLING2D);
  g_autofree char *label = NULL;
  gint64 pool, strides[2];
  SpkPadding padding;
  Value raw = *in;

  if (g_str_equal (c->layer->class_name, "MaxPooling2D") && !c->options->max_to_avg_pool)
    return layer_fail (c, SPK_IO_ERROR_VALUE,
                       _("max pooling has no spiking equivalent; convert with max_to_avg_pool "
                         "(--max-to-avg-pool) to use average pooling instead"));
  if (!require_image (c, in) || !check_channels_last (c) || !get_square (c, "pool_size", 2, &pool)
      || !get_pair (c, "strides", pool, strides) || !get_padding (c, &padding)
      || !check_weight_count (c, 0))
    return FALSE;
  spk_layer_set_shape (layer, (guint) in->dims[0], (guint) in->dims[1], (guint) in->dims[2]);
  g_object_set (layer, "kernel-size", (guint) pool, "padding", padding, NULL);
  spk_layer_set_strides_hw (layer, (guint) strides[0], (guint) strides[1]);
  if (!window_out (c, layer, &raw))
    return FALSE;
  raw.size = raw.dims[0] * raw.dims[1] * raw.dims[2];
  label = unique_label (c, c->layer->name);
  if (!add_object (c, layer, label) || !connect_value (c, in, SPK_OBJECT (layer), FALSE))
    return FALSE;
  new_value (c, &raw, SPK_OBJECT (layer), FALSE);
  return TRUE;
}

static gboolean
convert_flatten (Converter   *c,
                 const Value *in)
{
  Value v = *in;

  if (!check_channels_last (c) || !check_weight_count (c, 0))
    return FALSE;
  v.rank = 1;
  v.dims[0] = v.size;
  v.dims[1] = v.dims[2] = 0;
  pass_value (c, &v);
  return TRUE;
}

static gboolean
convert_reshape (Converter   *c,
                 const Value *in)
{
  JsonNode *node = config_member (c, "target_shape");
  JsonArray *shape;
  Value v = *in;
  gsize known = 1;
  int unknown = -1;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return layer_fail (c, SPK_IO_ERROR_FORMAT, _("target_shape is missing"));
  shape = json_node_get_array (node);
  if (json_array_get_length (shape) < 1 || json_array_get_length (shape) > 3)
    return layer_fail (c, SPK_IO_ERROR_VALUE, _("a target_shape of %u dimensions is not supported (1 to 3)"),
                       json_array_get_length (shape));
  v.rank = json_array_get_length (shape);
  for (guint i = 0; i < v.rank; i++)
    {
      gint64 n;

      if (!config_int (c, json_array_get_element (shape, i), "target_shape", -1, &n))
        return FALSE;
      if (n == 0 || (n == -1 && unknown >= 0))
        return layer_fail (c, SPK_IO_ERROR_VALUE, _("target_shape has a 0 or more than one -1"));
      if (n == -1)
        unknown = (int) i;
      else
        {
          v.dims[i] = (gsize) n;
          known = known > G_MAXSIZE / (gsize) n ? G_MAXSIZE : known * (gsize) n;
        }
    }
  if (unknown >= 0)
    v.dims[unknown] = known > 0 && in->size % known == 0 ? in->size / known : 0;
  if ((unknown >= 0 ? v.dims[unknown] * known : known) != in->size || v.dims[MAX (unknown, 0)] == 0)
    {
      g_autofree char *from = spk_describe_dims (in->rank, in->dims);
      g_autofree char *to = spk_describe_dims (v.rank, v.dims);

      return layer_fail (c, SPK_IO_ERROR_VALUE, _("cannot reshape %s (%" PRIu64 " values) into %s"),
                         from, (guint64) in->size, unknown >= 0 ? _("the target_shape") : to);
    }
  pass_value (c, &v);
  return TRUE;
}

/* BatchNormalization folded into the Dense or Conv2D before it (with
 * inference_only): W·f and (b − mean)·f + beta, f = gamma/√(var + eps),
 * per output channel. */
static void
fold_batch_norm (Converter   *c,
                 const Value *in,
                 const double *gamma,
                 const double *beta,
                 const double *mean,
                 const double *var,
                 double        eps)
{
  g_autofree char *wkey = g_strdup_printf ("%s/weights", spk_object_get_label (SPK_OBJECT (in->transform)));
  g_autofree char *bkey = g_strdup_printf ("%s/bias", spk_object_get_label (SPK_OBJECT (in->transform)));
  SpkArray *w = g_hash_table_lookup (c->params, wkey);
  SpkArray *old_bias = g_hash_table_lookup (c->params, bkey);
  gsize units = spk_array_cols (w), rows = spk_array_rows (w);
  SpkArray *bias = spk_array_new (1, units, 1);

  for (gsize j = 0; j < units; j++)
    {
      double f = (gamma ? gamma[j] : 1.0) / sqrt (var[j] + eps);
      double b = old_bias ? old_bias->data[j] : 0.0;

      for (gsize i = 0; i < rows; i++)
        w->data[i * units + j] *= f;
      bias->data[j] = (b - mean[j]) * f + (beta ? beta[j] : 0.0);
    }
  g_object_set (in->transform, "use-bias", TRUE, NULL);
  g_hash_table_replace (c->params, g_steal_pointer (&bkey), bias);
}

static gboolean
convert_batch_norm (Converter   *c,
                    const Value *in)
{
  g_autoptr (SpkLayer) layer = NULL;
  g_autofree char *label = NULL;
  JsonNode *axis_node = config_member (c, "axis");
  gboolean center, scale;
  double eps, momentum;
  gint64 axis = -1;
  gsize channels = in->dims[in->rank - 1], cdims[1] = { channels };
  SpkKerasWeight *gamma = NULL, *beta = NULL, *mean, *var;
  guint i = 0;

  if (axis_node && JSON_NODE_HOLDS_ARRAY (axis_node))
    {
      if (json_array_get_length (json_node_get_array (axis_node)) != 1)
        return layer_fail (c, SPK_IO_ERROR_VALUE, _("normalising over several axes is not supported"));
      axis_node = json_array_get_element (json_node_get_array (axis_node), 0);
    }
  if (axis_node && !config_int (c, axis_node, "axis", -4, &axis))
    return FALSE;
  if (axis != -1 && axis != (gint64) in->rank)
    return layer_fail (c, SPK_IO_ERROR_VALUE, _("axis %" PRId64 " is not the channels (the last axis)"), axis);
  if (!get_bool (c, "center", TRUE, &center) || !get_bool (c, "scale", TRUE, &scale)
      || !get_double (c, "epsilon", 0.001, &eps) || !get_double (c, "momentum", 0.99, &momentum))
    return FALSE;
  if (eps <= 0 || momentum < 0 || momentum > 1)
    return layer_fail (c, SPK_IO_ERROR_VALUE, _("epsilon must be positive and momentum from 0 to 1"));
  if ((scale && !weight (c, i++, "gamma", 1, cdims, &gamma))
      || (center && !weight (c, i++, "beta", 1, cdims, &beta))
      || !weight (c, i++, "moving_mean", 1, cdims, &mean)
      || !weight (c, i++, "moving_variance", 1, cdims, &var)
      || !check_weight_count (c, i))
    return FALSE;
  for (gsize j = 0; j < channels; j++)
    if (var->values[j] < 0)
      return layer_fail (c, SPK_IO_ERROR_VALUE, _("moving_variance[%" PRIu64 "] is negative"), (guint64) j);

  if (c->options->inference_only && in->transform != NULL
      && GPOINTER_TO_UINT (g_hash_table_lookup (c->consumers, in->transform_name)) == 1)
    {
      fold_batch_norm (c, in, gamma ? gamma->values : NULL, beta ? beta->values : NULL,
                       mean->values, var->values, eps);
      pass_value (c, in);
      return TRUE;
    }
  layer = spk_layer_new (SPK_LAYER_BATCH_NORMALIZATION);
  if (in->rank == 3)
    spk_layer_set_shape (layer, (guint) in->dims[0], (guint) in->dims[1], (guint) in->dims[2]);
  else
    spk_layer_set_shape (layer, (guint) in->size, 0, 0);
  if (in->rank == 2)
    return layer_fail (c, SPK_IO_ERROR_VALUE, _("a two-dimensional input is not supported"));
  g_object_set (layer, "epsilon", eps, "momentum", momentum, NULL);
  label = unique_label (c, c->layer->name);
  if (!add_object (c, layer, label) || !connect_value (c, in, SPK_OBJECT (layer), FALSE))
    return FALSE;
  {
    g_autofree double *ones = g_new (double, channels);
    g_autofree double *zeros = g_new0 (double, channels);

    for (gsize j = 0; j < channels; j++)
      ones[j] = 1.0;
    set_param (c, label, "gamma", spk_array_new_vector (gamma ? gamma->values : ones, channels));
    set_param (c, label, "beta", spk_array_new_vector (beta ? beta->values : zeros, channels));
    set_param (c, label, "moving_mean", spk_array_new_vector (mean->values, channels));
    set_param (c, label, "moving_var", spk_array_new_vector (var->values, channels));
  }
  new_value (c, in, SPK_OBJECT (layer), FALSE);
  return TRUE;
}

static gboolean
convert_dropout (Converter   *c,
                 const Value *in)
{
  g_autoptr (SpkLayer) layer = NULL;
  g_autofree char *label = NULL;
  double rate;

  if (!get_double (c, "rate", 0.5, &rate) || !check_weight_count (c, 0))
    return FALSE;
  if (rate < 0 || rate >= 1)
    return layer_fail (c, SPK_IO_ERROR_VALUE, _("rate must be from 0 to below 1"));
  /* At inference Dropout is the identity. */
  if (c->options->inference_only)
    {
      pass_value (c, in);
      return TRUE;
    }
  layer = spk_layer_new (SPK_LAYER_DROPOUT);
  spk_layer_set_shape (layer, (guint) in->size, 0, 0);
  g_object_set (layer, "rate", rate, NULL);
  label = unique_label (c, c->layer->name);
  if (!add_object (c, layer, label) || !connect_value (c, in, SPK_OBJECT (layer), FALSE))
    return FALSE;
  new_value (c, in, SPK_OBJECT (layer), FALSE);
  return TRUE;
}

static gboolean
convert_relu (Converter   *c,
              const Value *in)
{
  double slope, threshold, max_value;
  g_autofree char *expr = NULL;
  char a[G_ASCII_DTOSTR_BUF_SIZE], t[G_ASCII_DTOSTR_BUF_SIZE], m[G_ASCII_DTOSTR_BUF_SIZE];

  if (!check_weight_count (c, 0))
    return FALSE;
  if (g_str_equal (c->layer->class_name, "LeakyReLU"))
    {
      if (!get_double (c, "alpha", 0.3, &slope) || !get_double (c, "negative_slope", slope, &slope))
        return FALSE;
      threshold = 0;
      max_value = INFINITY;
    }
  else if (!get_double (c, "negative_slope", 0, &slope) || !get_double (c, "threshold", 0, &threshold)
           || !get_double (c, "max_value", INFINITY, &max_value))
    return FALSE;
  if (slope == 0 && threshold == 0 && isinf (max_value))
    return add_activation (c, in, "relu", TRUE);
  if (!c->options->allow_fallback)
    return layer_fail (c, SPK_IO_ERROR_VALUE,
                       _("a ReLU with a negative slope, threshold or max_value has no neuron equivalent; "
                         "allow_fallback keeps it as a non-spiking layer"));
  g_ascii_dtostr (a, sizeof a, slope);
  g_ascii_dtostr (t, sizeof t, threshold);
  g_ascii_dtostr (m, sizeof m, isinf (max_value) ? 1e300 : max_value);
  expr = g_strdup_printf ("min(where(x >= %s, x, %s * (x - %s)), %s)", t, a, t, m);
  return add_expression (c, in, c->layer->name, expr);
}

static gboolean
convert_layer (Converter *c)
{
  SpkKerasLayer *layer = c->layer;
  const char *cls = layer->class_name;
  const Value *in = layer->inbound ? g_hash_table_lookup (c->values, layer->inbound) : NULL;

  if (g_str_equal (cls, "InputLayer"))
    return convert_input (c);
  g_assert (in != NULL);
  if (g_str_equal (cls, "Dense"))
    return convert_dense (c, in);
  if (g_str_equal (cls, "Conv2D") || g_str_equal (cls, "Convolution2D"))
    return convert_conv2d (c, in);
  if (g_str_equal (cls, "AveragePooling2D") || g_str_equal (cls, "MaxPooling2D")
      || g_str_equal (cls, "AvgPool2D") || g_str_equal (cls, "MaxPool2D"))
    return convert_pooling (c, in);
  if (g_str_equal (cls, "Flatten"))
    return convert_flatten (c, in);
  if (g_str_equal (cls, "Reshape"))
    return convert_reshape (c, in);
  if (g_str_equal (cls, "BatchNormalization"))
    return convert_batch_norm (c, in);
  if (g_str_equal (cls, "Dropout"))
    return convert_dropout (c, in);
  if (g_str_equal (cls, "ReLU") || g_str_equal (cls, "LeakyReLU"))
    return convert_relu (c, in);
  if (g_str_equal (cls, "Activation"))
    {
      const char *activation;

      return check_weight_count (c, 0) && get_activation (c, &activation)
             && add_activation (c, in, activation, TRUE);
    }
  return layer_fail (c, SPK_IO_ERROR_UNKNOWN,
                     _("this kind of layer is not converted; Spikeworks converts InputLayer, Dense, Conv2D, "
                       "AveragePooling2D, MaxPooling2D, Flatten, Reshape, BatchNormalization, Dropout, "
                       "Activation and ReLU"));
}

SpkSession *
_spk_keras_convert (SpkKerasModel         *model,
                    const SpkKerasOptions *options,
                    GError               **error)
{
  g_autoptr (SpkNetwork) net = spk_network_new ();
  g_autoptr (GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) spk_array_unref);
  g_autoptr (GHashTable) labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) consumers = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (GError) local = NULL;
  SpkSession *session;
  Converter c = { model, options, net, values, params, labels, consumers, NULL, error };

  g_return_val_if_fail (options->scale_firing_rates > 0 && isfinite (options->scale_firing_rates), NULL);

  spk_network_set_label (net, model->name);
  spk_network_set_seed (net, 0);
  for (guint i = 0; i < model->layers->len; i++)
    {
      SpkKerasLayer *layer = g_ptr_array_index (model->layers, i);

      /* Keras's names come first; the objects added beside them give way. */
      g_hash_table_add (labels, g_strdup (layer->name));
      if (layer->inbound)
        g_hash_table_insert (consumers, layer->inbound,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (consumers, layer->inbound)) + 1));
    }
  for (guint i = 0; i < model->outputs->len; i++)
    {
      const char *name = g_ptr_array_index (model->outputs, i);

      g_hash_table_insert (consumers, (gpointer) name,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (consumers, name)) + 1));
    }
  for (guint i = 0; i < model->layers->len; i++)
    {
      c.layer = g_ptr_array_index (model->layers, i);
      /* Its own label is taken again by the object made for it. */
      g_hash_table_remove (labels, c.layer->name);
      if (!convert_layer (&c))
        return NULL;
    }
  for (guint i = 0; i < model->outputs->len; i++)
    {
      const char *name = g_ptr_array_index (model->outputs, i);
      const Value *v = g_hash_table_lookup (values, name);
      g_autoptr (SpkProbe) probe = spk_probe_new ();
      g_autofree char *base = model->outputs->len == 1 ? g_strdup ("output") : g_strdup_printf ("%s_output", name);
      g_autofree char *label = unique_label (&c, base);

      spk_probe_set_target (probe, v->object);
      spk_probe_set_target_neurons (probe, v->neurons);
      spk_object_set_label (SPK_OBJECT (probe), label);
      if (!spk_network_add (net, SPK_OBJECT (probe), &local))
        {
          g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE, "%s: %s", model->display, local->message);
          return NULL;
        }
    }
  if (!(plan = spk_build_with_params (net, params, &local)))
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE, "%s: %s", model->display, local->message);
      return NULL;
    }
  session = spk_session_new (net);
  spk_session_set_plan (session, plan);
  return session;
}

SpkSession *
spk_keras_convert_file (const char            *path,
                        const SpkKerasOptions *options,
                        GError               **error)
{
  g_autoptr (SpkKerasModel) model = NULL;
  SpkKerasOptions defaults;
  SpkSession *session;

  g_return_val_if_fail (path != NULL, NULL);

  spk_keras_options_init (&defaults);
  if (options == NULL)
    options = &defaults;
  if (!(options->scale_firing_rates > 0 && isfinite (options->scale_firing_rates)))
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE, _("scale_firing_rates must be a positive number"));
      return NULL;
    }
  if (!spk_hdf5_check_file (path, error) || !(model = _spk_keras_read (path, error)))
    return NULL;
  session = _spk_keras_convert (model, options, error);
  spk_keras_options_clear (&defaults);
  return session;
}
