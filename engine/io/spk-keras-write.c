/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-keras-write.c — a Spikeworks layer model out as a Keras 2 HDF5 model
 * file, in the layout keras/saving/legacy/hdf5_format.py writes: root
 * attributes keras_version, backend and model_config (a functional
 * model's JSON), and model_weights/ with layer_names and, per layer, a
 * group with weight_names and the datasets <layer>/<weight>:0 (float32).
 * The network is walked from its one source Node along its connections;
 * every Layer and Ensemble becomes a Keras layer (an Ensemble an
 * Activation), with a Flatten or Reshape where one's output shape is not
 * the next one's input shape.  What Keras cannot say is refused, naming
 * the object. */
#define G_LOG_DOMAIN "spk-keras"

#include "spk-keras-private.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <hdf5.h>

#include "core/spk-error.h"
#include "io/spk-file.h"
#include "io/spk-hdf5-write.h"
#include "model/spk-connection.h"
#include "model/spk-ensemble.h"
#include "model/spk-layer.h"
#include "model/spk-node.h"
#include "model/spk-probe.h"

typedef struct
{
  char   *name;      /* "kernel:0" */
  guint   rank;
  hsize_t dims[4];
  float  *values;
} OutWeight;

typedef struct
{
  char      *name;
  GPtrArray *weights;  /* OutWeight */
} OutLayer;

typedef struct
{
  SpkNetwork  *net;
  SpkPlan     *plan;
  GHashTable  *keys;       /* object → key */
  GHashTable  *input;      /* object → its one input connection */
  GHashTable  *names;      /* Keras names in use */
  JsonBuilder *layers;     /* the "layers" list */
  GPtrArray   *out;        /* OutLayer, in order */
  GError     **error;
} Writer;

static void
out_weight_free (gpointer data)
{
  OutWeight *w = data;

  g_free (w->name);
  g_free (w->values);
  g_free (w);
}

static void
out_layer_free (gpointer data)
{
  OutLayer *l = data;

  g_free (l->name);
  g_ptr_array_unref (l->weights);
  g_free (l);
}

static gboolean
object_fail (Writer     *w,
             SpkObject  *object,
             const char *format,
             ...) G_GNUC_PRINTF (3, 4);

static gboolean
object_fail (Writer     *w,
             SpkObject  *object,
             const char *format,
             ...)
{
  g_autofree char *prefix = g_strdup_printf (_("%s '%s'"), spk_object_get_type_name (object),
                                             (const char *) g_hash_table_lookup (w->keys, object));
  va_list args;

  va_start (args, format);
  spk_error_set_at_valist (w->error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE, prefix, format, args);
  va_end (args);
  return FALSE;
}

/* The Keras name for a key: '/' is a path separator in HDF5. */
static char *
keras_name (Writer     *w,
            const char *base)
{
  g_autofree char *clean = g_strdelimit (g_strdup (base), "/", '_');
  char *name = g_strdup (clean);

  for (guint i = 2; g_hash_table_contains (w->names, name); i++)
    {
      g_free (name);
      name = g_strdup_printf ("%s_%u", clean, i);
    }
  g_hash_table_add (w->names, g_strdup (name));
  return name;
}

static gboolean
is_identity (SpkDistribution *transform)
{
  return transform == NULL
         || (transform->kind == SPK_DIST_ARRAY && transform->array && transform->array->ndim == 0
             && transform->array->data[0] == 1.0);
}

static void
add_int_list (JsonBuilder *b,
              const char  *member,
              gint64       a,
              gint64       c)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  json_builder_add_int_value (b, a);
  if (c >= 0)
    json_builder_add_int_value (b, c);
  json_builder_end_array (b);
}

static void
add_initializer (JsonBuilder *b,
                 const char  *member,
                 const char  *class_name)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "class_name");
  json_builder_add_string_value (b, class_name);
  json_builder_set_member_name (b, "config");
  json_builder_begin_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

/* Opens a layer entry: class_name, name, and "config" left open with its
 * name, trainable and dtype; close_layer() adds the inbound node. */
static void
open_layer (Writer     *w,
            const char *class_name,
            const char *name)
{
  JsonBuilder *b = w->layers;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "class_name");
  json_builder_add_string_value (b, class_name);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "config");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "trainable");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "dtype");
  json_builder_add_string_value (b, "float32");
}

static OutLayer *
close_layer (Writer     *w,
             const char *name,
             const char *inbound)
{
  JsonBuilder *b = w->layers;
  OutLayer *l = g_new0 (OutLayer, 1);

  json_builder_end_object (b);
  json_builder_set_member_name (b, "inbound_nodes");
  json_builder_begin_array (b);
  if (inbound)
    {
      json_builder_begin_array (b);
      json_builder_begin_array (b);
      json_builder_add_string_value (b, inbound);
      json_builder_add_int_value (b, 0);
      json_builder_add_int_value (b, 0);
      json_builder_begin_object (b);
      json_builder_end_object (b);
      json_builder_end_array (b);
      json_builder_end_array (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  l->name = g_strdup (name);
  l->weights = g_ptr_array_new_with_free_func (out_weight_free);
  g_ptr_array_add (w->out, l);
  return l;
}

/* A weight from the plan's parameter key/name, reshaped to dims. */
static gboolean
add_weight (Writer        *w,
            SpkObject     *object,
            OutLayer      *l,
            const char    *param,
            const char    *weight_name,
            guint          rank,
            const hsize_t *dims)
{
  g_autofree char *key = g_strdup_printf ("%s/%s", (const char *) g_hash_table_lookup (w->keys, object), param);
  g_autoptr (SpkArray) array = spk_plan_dup_param (w->plan, key);
  OutWeight *ow;
  gsize size = 1;

  for (guint i = 0; i < rank; i++)
    size *= dims[i];
  if (array == NULL || array->size != size)
    return object_fail (w, object, _("the plan has no parameter '%s' of %" PRIu64 " values"), key, (guint64) size);
  ow = g_new0 (OutWeight, 1);
  ow->name = g_strdup (weight_name);
  ow->rank = rank;
  memcpy (ow->dims, dims, rank * sizeof (hsize_t));
  ow->values = g_new (float, MAX (size, 1));
  for (gsize i = 0; i < size; i++)
    ow->values[i] = (float) array->data[i];
  g_ptr_array_add (l->weights, ow);
  return TRUE;
}

/* A Flatten or Reshape when the producer's shape (rank, dims) is not the
 * one the next object takes; *inbound becomes its name. */
static gboolean
reshape_between (Writer      *w,
                 SpkObject   *object,
                 guint       *rank,
                 gsize       *dims,
                 guint        want_rank,
                 const gsize *want,
                 char       **inbound)
{
  gsize have = 1, need = 1;
  g_autofree char *base = NULL;
  char *name;

  for (guint i = 0; i < *rank; i++)
    have *= dims[i];
  for (guint i = 0; i < want_rank; i++)
    need *= want[i];
  if (have != need)
    return object_fail (w, object, _("takes %" PRIu64 " values, but its input gives %" PRIu64),
                        (guint64) need, (guint64) have);
  if (*rank == want_rank && memcmp (dims, want, want_rank * sizeof (gsize)) == 0)
    return TRUE;
  base = g_strdup_printf ("%s_%s", (const char *) g_hash_table_lookup (w->keys, object),
                          want_rank == 1 ? "flatten" : "reshape");
  name = keras_name (w, base);
  if (want_rank == 1)
    {
      open_layer (w, "Flatten", name);
      json_builder_set_member_name (w->layers, "data_format");
      json_builder_add_string_value (w->layers, "channels_last");
    }
  else
    {
      open_layer (w, "Reshape", name);
      json_builder_set_member_name (w->layers, "target_shape");
      json_builder_begin_array (w->layers);
      for (guint i = 0; i < want_rank; i++)
        json_builder_add_int_value (w->layers, (gint64) want[i]);
      json_builder_end_array (w->layers);
    }
  close_layer (w, name, *inbound);
  g_free (*inbound);
  *inbound = name;
  *rank = want_rank;
  memcpy (dims, want, want_rank * sizeof (gsize));
  return TRUE;
}

static gboolean
write_layer (Writer     *w,
             SpkLayer   *layer,
             const char *name,
             const char *inbound,
             guint      *rank,
             gsize      *dims)
{
  JsonBuilder *b = w->layers;
  SpkObject *object = SPK_OBJECT (layer);
  guint shape_out[3], size_in, size_out;
  gboolean use_bias = spk_layer_get_use_bias (layer);
  guint k = spk_layer_get_kernel_size (layer), kw = spk_layer_get_kernel_width (layer);
  guint s = spk_layer_get_strides (layer), sw = spk_layer_get_strides_w (layer);
  /* The layer's own activation by Keras's name (the enum's nicks are
   * Keras's; the layer's "activation" property holds the enum class). */
  const char *activation = g_enum_get_value (g_type_class_peek (SPK_TYPE_ACTIVATION),
                                             spk_layer_get_activation (layer))->value_nick;
  const char *padding = spk_layer_get_padding (layer) == SPK_PADDING_SAME ? "same" : "valid";
  OutLayer *l;

  spk_layer_get_shape_out (layer, shape_out, &size_in, &size_out);
  switch (spk_layer_get_layer_type (layer))
    {
    case SPK_LAYER_DENSE:
      {
        hsize_t kd[2] = { size_in, spk_layer_get_units (layer) }, bd[1] = { spk_layer_get_units (layer) };

        open_layer (w, "Dense", name);
        json_builder_set_member_name (b, "units");
        json_builder_add_int_value (b, spk_layer_get_units (layer));
        json_builder_set_member_name (b, "activation");
        json_builder_add_string_value (b, activation);
        json_builder_set_member_name (b, "use_bias");
        json_builder_add_boolean_value (b, use_bias);
        add_initializer (b, "kernel_initializer", "GlorotUniform");
        add_initializer (b, "bias_initializer", "Zeros");
        l = close_layer (w, name, inbound);
        if (!add_weight (w, object, l, "weights", "kernel:0", 2, kd)
            || (use_bias && !add_weight (w, object, l, "bias", "bias:0", 1, bd)))
          return FALSE;
        *rank = 1;
        dims[0] = size_out;
        return TRUE;
      }
    case SPK_LAYER_CONV2D:
      {
        guint shape_in[3];
        hsize_t kd[4], bd[1] = { spk_layer_get_filters (layer) };

        spk_layer_get_shape_in_dims (layer, shape_in, NULL);
        kd[0] = k;
        kd[1] = kw;
        kd[2] = shape_in[2];
        kd[3] = spk_layer_get_filters (layer);
        open_layer (w, "Conv2D", name);
        json_builder_set_member_name (b, "filters");
        json_builder_add_int_value (b, spk_layer_get_filters (layer));
        add_int_list (b, "kernel_size", k, kw);
        add_int_list (b, "strides", s, sw);
        json_builder_set_member_name (b, "padding");
        json_builder_add_string_value (b, padding);
        json_builder_set_member_name (b, "data_format");
        json_builder_add_string_value (b, "channels_last");
        add_int_list (b, "dilation_rate", 1, 1);
        json_builder_set_member_name (b, "groups");
        json_builder_add_int_value (b, 1);
        json_builder_set_member_name (b, "activation");
        json_builder_add_string_value (b, activation);
        json_builder_set_member_name (b, "use_bias");
        json_builder_add_boolean_value (b, use_bias);
        add_initializer (b, "kernel_initializer", "GlorotUniform");
        add_initializer (b, "bias_initializer", "Zeros");
        l = close_layer (w, name, inbound);
        if (!add_weight (w, object, l, "weights", "kernel:0", 4, kd)
            || (use_bias && !add_weight (w, object, l, "bias", "bias:0", 1, bd)))
          return FALSE;
        break;
      }
    case SPK_LAYER_AVERAGE_POOLING2D:
      open_layer (w, "AveragePooling2D", name);
      add_int_list (b, "pool_size", k, k);
      add_int_list (b, "strides", s, sw);
      json_builder_set_member_name (b, "padding");
      json_builder_add_string_value (b, padding);
      json_builder_set_member_name (b, "data_format");
      json_builder_add_string_value (b, "channels_last");
      close_layer (w, name, inbound);
      break;
    case SPK_LAYER_BATCH_NORMALIZATION:
      {
        hsize_t cd[1] = { *rank == 3 ? dims[2] : size_in };

        open_layer (w, "BatchNormalization", name);
        json_builder_set_member_name (b, "axis");
        json_builder_begin_array (b);
        json_builder_add_int_value (b, *rank);
        json_builder_end_array (b);
        json_builder_set_member_name (b, "momentum");
        json_builder_add_double_value (b, spk_layer_get_momentum (layer));
        json_builder_set_member_name (b, "epsilon");
        json_builder_add_double_value (b, spk_layer_get_epsilon (layer));
        json_builder_set_member_name (b, "center");
        json_builder_add_boolean_value (b, TRUE);
        json_builder_set_member_name (b, "scale");
        json_builder_add_boolean_value (b, TRUE);
        l = close_layer (w, name, inbound);
        if (!add_weight (w, object, l, "gamma", "gamma:0", 1, cd)
            || !add_weight (w, object, l, "beta", "beta:0", 1, cd)
            || !add_weight (w, object, l, "moving_mean", "moving_mean:0", 1, cd)
            || !add_weight (w, object, l, "moving_var", "moving_variance:0", 1, cd))
          return FALSE;
        return TRUE;
      }
    case SPK_LAYER_DROPOUT:
      open_layer (w, "Dropout", name);
      json_builder_set_member_name (b, "rate");
      json_builder_add_double_value (b, spk_layer_get_rate (layer));
      close_layer (w, name, inbound);
      return TRUE;
    case SPK_LAYER_EXPRESSION:
    default:
      return object_fail (w, object, _("an expression layer has no Keras equivalent"));
    }
  *rank = 3;
  dims[0] = shape_out[0];
  dims[1] = shape_out[1];
  dims[2] = shape_out[2];
  return TRUE;
}

/* An Ensemble entered and left through its neurons, computing a Keras
 * activation exactly in rates. */
static gboolean
write_ensemble (Writer      *w,
                SpkEnsemble *ens,
                const char  *name,
                const char  *inbound)
{
  SpkObject *object = SPK_OBJECT (ens);
  const char *key = g_hash_table_lookup (w->keys, object);
  g_autofree char *gkey = g_strdup_printf ("%s/gain", key), *bkey = g_strdup_printf ("%s/bias", key);
  g_autoptr (SpkArray) gain = spk_plan_dup_param (w->plan, gkey);
  g_autoptr (SpkArray) bias = spk_plan_dup_param (w->plan, bkey);
  SpkNeuronType *type = spk_ensemble_get_neuron_type (ens);
  const char *activation;
  double g;

  switch (type->kind)
    {
    case SPK_NEURON_RECTIFIED_LINEAR:
    case SPK_NEURON_SPIKING_RECTIFIED_LINEAR:
    case SPK_NEURON_SIGMOID:
    case SPK_NEURON_TANH:
      break;
    default:
      return object_fail (w, object, _("%s neurons have no Keras activation (RectifiedLinear, "
                                       "SpikingRectifiedLinear, Sigmoid and Tanh have)"),
                          spk_neuron_kind_to_name (type->kind));
    }
  if (gain == NULL || bias == NULL || gain->size == 0)
    return object_fail (w, object, _("the plan has no gain and bias for it"));
  g = gain->data[0];
  for (gsize i = 0; i < gain->size; i++)
    if (gain->data[i] != g || bias->data[i] != 0.0)
      return object_fail (w, object, _("its neurons need one gain for all and no bias to be a Keras activation "
                                       "(an ensemble that trains learns biases: make it not trainable)"));
  switch (type->kind)
    {
    case SPK_NEURON_RECTIFIED_LINEAR:
    case SPK_NEURON_SPIKING_RECTIFIED_LINEAR:
      activation = "relu";
      if (fabs (type->amplitude * g - 1.0) > 1e-9)
        return object_fail (w, object, _("amplitude × gain must be 1 to be a Keras relu (it is %g)"),
                            type->amplitude * g);
      break;
    case SPK_NEURON_SIGMOID:
    case SPK_NEURON_TANH:
      activation = type->kind == SPK_NEURON_SIGMOID ? "sigmoid" : "tanh";
      if (g != 1.0 || type->tau_ref != 1.0)
        return object_fail (w, object, _("gain and tau_ref must be 1 to be a Keras %s"), activation);
      break;
    default:
      g_assert_not_reached ();
    }
  open_layer (w, "Activation", name);
  json_builder_set_member_name (w->layers, "activation");
  json_builder_add_string_value (w->layers, activation);
  close_layer (w, name, inbound);
  return TRUE;
}

/* ---- HDF5 ---------------------------------------------------------------- */

/* Writes attribute name of loc from data (nothing for NULL: an empty
 * one), and closes type and space, which it takes. */
static gboolean
write_attr (hid_t       loc,
            const char *name,
            hid_t       type,
            hid_t       space,
            const void *data)
{
  hid_t attr = H5Acreate2 (loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  gboolean ok = attr >= 0 && (data == NULL || H5Awrite (attr, type, data) >= 0);

  if (attr >= 0)
    H5Aclose (attr);
  H5Sclose (space);
  H5Tclose (type);
  return ok;
}

static gboolean
write_string_attr (hid_t       loc,
                   const char *name,
                   const char *value)
{
  hid_t type = H5Tcopy (H5T_C_S1);

  H5Tset_size (type, MAX (strlen (value), 1));
  H5Tset_strpad (type, H5T_STR_NULLPAD);
  return write_attr (loc, name, type, H5Screate (H5S_SCALAR), value);
}

/* A list of names as h5py writes numpy's fixed-length byte strings; an
 * empty list as the empty float64 array numpy makes of []. */
static gboolean
write_name_list (hid_t       loc,
                 const char *name,
                 GPtrArray  *names)
{
  hsize_t n = names->len;
  gsize width = 1;
  g_autofree char *block = NULL;
  hid_t type;

  for (guint i = 0; i < names->len; i++)
    width = MAX (width, strlen (g_ptr_array_index (names, i)));
  if (n == 0)
    type = H5Tcopy (H5T_IEEE_F64LE);
  else
    {
      type = H5Tcopy (H5T_C_S1);
      H5Tset_size (type, width);
      H5Tset_strpad (type, H5T_STR_NULLPAD);
    }
  block = g_malloc0 (MAX (n * width, 1));
  for (guint i = 0; i < names->len; i++)
    memcpy (block + i * width, g_ptr_array_index (names, i), strlen (g_ptr_array_index (names, i)));
  return write_attr (loc, name, type, H5Screate_simple (1, &n, NULL), n == 0 ? NULL : block);
}

static gboolean
write_file (hid_t        file,
            const char  *config,
            GPtrArray   *out)
{
  g_autoptr (GPtrArray) layer_names = g_ptr_array_new ();
  hid_t weights;
  gboolean ok;

  if (!write_string_attr (file, "keras_version", SPK_KERAS_VERSION)
      || !write_string_attr (file, "backend", SPK_KERAS_BACKEND)
      || !write_string_attr (file, "model_config", config))
    return FALSE;
  if ((weights = H5Gcreate2 (file, "model_weights", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) < 0)
    return FALSE;
  for (guint i = 0; i < out->len; i++)
    g_ptr_array_add (layer_names, ((OutLayer *) g_ptr_array_index (out, i))->name);
  ok = write_name_list (weights, "layer_names", layer_names)
       && write_string_attr (weights, "backend", SPK_KERAS_BACKEND)
       && write_string_attr (weights, "keras_version", SPK_KERAS_VERSION);
  for (guint i = 0; ok && i < out->len; i++)
    {
      OutLayer *l = g_ptr_array_index (out, i);
      g_autoptr (GPtrArray) weight_names = g_ptr_array_new_with_free_func (g_free);
      hid_t group = H5Gcreate2 (weights, l->name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), inner = H5I_INVALID_HID;

      ok = group >= 0;
      if (ok && l->weights->len > 0)
        ok = (inner = H5Gcreate2 (group, l->name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT)) >= 0;
      for (guint j = 0; ok && j < l->weights->len; j++)
        {
          OutWeight *ow = g_ptr_array_index (l->weights, j);
          hid_t space = H5Screate_simple ((int) ow->rank, ow->dims, NULL);
          hid_t dset = H5Dcreate2 (inner, ow->name, H5T_IEEE_F32LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);

          ok = dset >= 0 && H5Dwrite (dset, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, ow->values) >= 0;
          if (dset >= 0)
            H5Dclose (dset);
          H5Sclose (space);
          g_ptr_array_add (weight_names, g_strdup_printf ("%s/%s", l->name, ow->name));
        }
      ok = ok && write_name_list (group, "weight_names", weight_names);
      if (inner >= 0)
        H5Gclose (inner);
      if (group >= 0)
        H5Gclose (group);
    }
  H5Gclose (weights);
  return ok;
}

typedef struct
{
  const char *config;
  GPtrArray  *out;
} KerasFile;

static gboolean
write_file_cb (hid_t    file,
               gpointer data)
{
  KerasFile *keras = data;

  return write_file (file, keras->config, keras->out);
}

static gboolean
save (const char  *path,
      const char  *config,
      GPtrArray   *out,
      GError     **error)
{
  g_autofree char *display = g_filename_display_name (path);
  KerasFile keras = { config, out };
  int saved;

  if (!spk_file_check_replaceable (path, error))
    return FALSE;
  if (spk_hdf5_write_atomic (path, write_file_cb, &keras, &saved))
    return TRUE;
  if (saved != 0)
    g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_WRITE, _("could not save the Keras model to '%s': %s"),
                 display, g_strerror (saved));
  else
    g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_WRITE, _("could not save the Keras model to '%s'"), display);
  return FALSE;
}

static gboolean
check_connection (Writer        *w,
                  SpkConnection *conn)
{
  SpkObject *object = SPK_OBJECT (conn);
  SpkObject *pre = spk_connection_get_pre (conn), *post = spk_connection_get_post (conn);

  if (spk_connection_get_function (conn) || spk_connection_get_function_points (conn)
      || spk_connection_get_pre_slice (conn)
      || spk_connection_get_post_slice (conn) || spk_connection_get_learning_rule_type (conn)
      || !is_identity (spk_connection_get_transform (conn)))
    return object_fail (w, object, _("only plain connections (transform 1, no function, slice or learning rule) "
                                     "are exported; a Dense layer holds the weights"));
  if (!SPK_IS_NODE (pre) && !SPK_IS_LAYER (pre) && !SPK_IS_ENSEMBLE (pre))
    return object_fail (w, object, _("it does not start at a node, layer or ensemble"));
  if (!SPK_IS_LAYER (post) && !SPK_IS_ENSEMBLE (post))
    return object_fail (w, object, _("it must end at a layer or ensemble"));
  if (SPK_IS_ENSEMBLE (pre) != spk_connection_get_pre_neurons (conn)
      || SPK_IS_ENSEMBLE (post) != spk_connection_get_post_neurons (conn))
    return object_fail (w, object, _("an ensemble is exported as an activation: connect to and from its neurons"));
  if (g_hash_table_contains (w->input, post))
    return object_fail (w, post, _("it has two inputs; exported layers take one"));
  g_hash_table_insert (w->input, post, conn);
  return TRUE;
}

gboolean
spk_keras_export (SpkNetwork *network,
                  SpkPlan    *plan,
                  const char *path,
                  GError    **error)
{
  g_autoptr (GHashTable) keys = spk_network_dup_keys (network);
  g_autoptr (GHashTable) input = g_hash_table_new (NULL, NULL);
  g_autoptr (GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) keras_of = g_hash_table_new_full (NULL, NULL, NULL, g_free);  /* object → Keras name */
  g_autoptr (GHashTable) shape_of = g_hash_table_new_full (NULL, NULL, NULL, g_free);  /* object → gsize[4] */
  g_autoptr (JsonBuilder) layers = json_builder_new ();
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func (out_layer_free);
  g_autoptr (GPtrArray) order = g_ptr_array_new ();
  g_autoptr (GPtrArray) outputs = g_ptr_array_new ();
  GPtrArray *objects = spk_network_get_objects (network);
  Writer w = { network, plan, keys, input, names, layers, out, error };
  SpkNode *source = NULL;

  g_return_val_if_fail (SPK_IS_NETWORK (network) && plan != NULL && path != NULL, FALSE);

  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);

      if (SPK_IS_CONNECTION (object) && !check_connection (&w, SPK_CONNECTION (object)))
        return FALSE;
      if (!SPK_IS_CONNECTION (object) && !SPK_IS_PROBE (object) && !SPK_IS_NODE (object)
          && !SPK_IS_LAYER (object) && !SPK_IS_ENSEMBLE (object))
        return object_fail (&w, object, _("has no Keras equivalent"));
    }
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);

      if (!SPK_IS_NODE (object))
        continue;
      if (source != NULL)
        return object_fail (&w, object, _("a second node; an exported model has one input node"));
      source = SPK_NODE (object);
    }
  if (source == NULL)
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE, _("the network has no input node"));
      return FALSE;
    }

  /* Breadth first from the source: each object has one input, so this is
   * a topological order. */
  g_ptr_array_add (order, source);
  for (guint i = 0; i < order->len; i++)
    {
      gboolean sink = TRUE;

      for (guint j = 0; j < objects->len; j++)
        {
          SpkObject *object = g_ptr_array_index (objects, j);
          SpkConnection *conn = g_hash_table_lookup (input, object);

          if (conn && spk_connection_get_pre (conn) == g_ptr_array_index (order, i))
            {
              g_ptr_array_add (order, object);
              sink = FALSE;
            }
        }
      if (sink && i > 0)
        g_ptr_array_add (outputs, g_ptr_array_index (order, i));
    }
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);

      if ((SPK_IS_LAYER (object) || SPK_IS_ENSEMBLE (object)) && !g_ptr_array_find (order, object, NULL))
        return object_fail (&w, object, _("is not fed from the input node"));
    }
  if (outputs->len == 0)
    {
      g_set_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE, _("the network has no layers after its input node"));
      return FALSE;
    }

  json_builder_begin_array (layers);
  for (guint i = 0; i < order->len; i++)
    {
      SpkObject *object = g_ptr_array_index (order, i);
      char *name = keras_name (&w, g_hash_table_lookup (keys, object));
      gsize *shape = g_new0 (gsize, 4);   /* rank, dims */

      g_hash_table_insert (keras_of, object, name);
      g_hash_table_insert (shape_of, object, shape);
      if (i == 0)
        {
          /* The input's shape is what its first reader takes. */
          SpkConnection *first = NULL;
          guint in_shape[3] = { 0, 0, 0 };
          int size_out = spk_node_get_size_out (source);

          for (guint j = 1; j < order->len && first == NULL; j++)
            if (spk_connection_get_pre (g_hash_table_lookup (input, g_ptr_array_index (order, j))) == object)
              first = g_hash_table_lookup (input, g_ptr_array_index (order, j));
          if (first && SPK_IS_LAYER (spk_connection_get_post (first))
              && spk_layer_get_shape_in (SPK_LAYER (spk_connection_get_post (first)))
              && spk_layer_get_shape_in (SPK_LAYER (spk_connection_get_post (first)))->size == 3
              && spk_layer_get_shape_in_dims (SPK_LAYER (spk_connection_get_post (first)), in_shape, NULL))
            {
              shape[0] = 3;
              shape[1] = in_shape[0];
              shape[2] = in_shape[1];
              shape[3] = in_shape[2];
            }
          else
            {
              SpkObject *post = first ? spk_connection_get_post (first) : NULL;

              shape[0] = 1;
              if (post && SPK_IS_ENSEMBLE (post))
                shape[1] = (gsize) spk_ensemble_get_n_neurons (SPK_ENSEMBLE (post));
              else if (post && spk_layer_get_shape_in_dims (SPK_LAYER (post), in_shape, NULL))
                shape[1] = (gsize) in_shape[0] * in_shape[1] * in_shape[2];
            }
          if (size_out >= 0 && spk_node_get_output_value (source)
              && spk_node_get_output_value (source)->size != shape[1] * MAX (shape[2], 1) * MAX (shape[3], 1))
            return object_fail (&w, object, _("its output does not fit the layer it feeds"));
          open_layer (&w, "InputLayer", name);
          json_builder_set_member_name (layers, "batch_input_shape");
          json_builder_begin_array (layers);
          json_builder_add_null_value (layers);
          for (guint d = 0; d < shape[0]; d++)
            json_builder_add_int_value (layers, (gint64) shape[1 + d]);
          json_builder_end_array (layers);
          json_builder_set_member_name (layers, "sparse");
          json_builder_add_boolean_value (layers, FALSE);
          json_builder_set_member_name (layers, "ragged");
          json_builder_add_boolean_value (layers, FALSE);
          close_layer (&w, name, NULL);
          continue;
        }
      {
        SpkObject *pre = spk_connection_get_pre (g_hash_table_lookup (input, object));
        const gsize *pre_shape = g_hash_table_lookup (shape_of, pre);
        g_autofree char *inbound = g_strdup (g_hash_table_lookup (keras_of, pre));
        guint rank = (guint) pre_shape[0];
        gsize dims[3] = { pre_shape[1], pre_shape[2], pre_shape[3] };

        if (SPK_IS_LAYER (object))
          {
            guint want[3];
            gsize want_dims[3];
            SpkArray *shape_in = spk_layer_get_shape_in (SPK_LAYER (object));
            g_autoptr (GError) local = NULL;

            if (!spk_layer_get_shape_in_dims (SPK_LAYER (object), want, &local))
              return object_fail (&w, object, "%s", local->message);
            want_dims[0] = want[0];
            want_dims[1] = want[1];
            want_dims[2] = want[2];
            if (!reshape_between (&w, object, &rank, dims, shape_in->size == 3 ? 3 : 1, want_dims, &inbound)
                || !write_layer (&w, SPK_LAYER (object), name, inbound, &rank, dims))
              return FALSE;
          }
        else
          {
            /* An activation keeps the shape of what it reads. */
            gsize n = (gsize) spk_ensemble_get_n_neurons (SPK_ENSEMBLE (object));

            if (dims[0] * MAX (dims[1], 1) * MAX (dims[2], 1) != n)
              return object_fail (&w, object, _("%" PRIu64 " neurons, but its input gives a different size"), (guint64) n);
            if (!write_ensemble (&w, SPK_ENSEMBLE (object), name, inbound))
              return FALSE;
          }
        shape[0] = rank;
        shape[1] = dims[0];
        shape[2] = rank > 1 ? dims[1] : 0;
        shape[3] = rank > 2 ? dims[2] : 0;
      }
    }
  json_builder_end_array (layers);

  {
    g_autoptr (JsonBuilder) b = json_builder_new ();
    g_autoptr (JsonGenerator) gen = json_generator_new ();
    g_autoptr (JsonNode) root = NULL;
    g_autoptr (JsonNode) layer_list = json_builder_get_root (layers);
    g_autofree char *config = NULL;
    const char *label = spk_network_get_label (network);

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "class_name");
    json_builder_add_string_value (b, "Functional");
    json_builder_set_member_name (b, "config");
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "name");
    json_builder_add_string_value (b, label && *label ? label : "model");
    json_builder_set_member_name (b, "layers");
    json_builder_add_value (b, g_steal_pointer (&layer_list));
    json_builder_set_member_name (b, "input_layers");
    json_builder_begin_array (b);
    json_builder_begin_array (b);
    json_builder_add_string_value (b, g_hash_table_lookup (keras_of, source));
    json_builder_add_int_value (b, 0);
    json_builder_add_int_value (b, 0);
    json_builder_end_array (b);
    json_builder_end_array (b);
    json_builder_set_member_name (b, "output_layers");
    json_builder_begin_array (b);
    for (guint i = 0; i < outputs->len; i++)
      {
        json_builder_begin_array (b);
        json_builder_add_string_value (b, g_hash_table_lookup (keras_of, g_ptr_array_index (outputs, i)));
        json_builder_add_int_value (b, 0);
        json_builder_add_int_value (b, 0);
        json_builder_end_array (b);
      }
    json_builder_end_array (b);
    json_builder_end_object (b);
    json_builder_set_member_name (b, "keras_version");
    json_builder_add_string_value (b, SPK_KERAS_VERSION);
    json_builder_set_member_name (b, "backend");
    json_builder_add_string_value (b, SPK_KERAS_BACKEND);
    json_builder_end_object (b);
    root = json_builder_get_root (b);
    json_generator_set_root (gen, root);
    config = json_generator_to_data (gen, NULL);
    return save (path, config, out, error);
  }
}
