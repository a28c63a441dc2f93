/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-layer.c — a Layer: a Keras layer between objects (spk-layer.h). */
#define G_LOG_DOMAIN "spk-layer"

#include "spk-layer.h"
#include "model/spk-object-private.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"
#include "expr/spk-expr.h"
#include "model/spk-value-equal.h"

struct _SpkLayer
{
  SpkObject parent_instance;

  SpkLayerType layer_type;
  SpkArray    *shape_in;
  guint        units, filters, kernel_size, kernel_width, strides, strides_w;
  SpkPadding   padding;
  SpkActivation activation;
  int          axis;
  gboolean     use_bias;
  double       rate, momentum, epsilon;
  char        *expression;
};

G_DEFINE_FINAL_TYPE (SpkLayer, spk_layer, SPK_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_LAYER_TYPE,
  PROP_SHAPE_IN,
  PROP_UNITS,
  PROP_FILTERS,
  PROP_KERNEL_SIZE,
  PROP_STRIDES,
  PROP_PADDING,
  PROP_USE_BIAS,
  PROP_RATE,
  PROP_MOMENTUM,
  PROP_EPSILON,
  PROP_EXPRESSION,
  PROP_ACTIVATION,
  PROP_KERNEL_WIDTH,
  PROP_AXIS,
  PROP_STRIDES_W,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GType
spk_layer_type_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    {
      static const GEnumValue values[] = {
        { SPK_LAYER_DENSE, "SPK_LAYER_DENSE", "dense" },
        { SPK_LAYER_CONV2D, "SPK_LAYER_CONV2D", "conv2d" },
        { SPK_LAYER_AVERAGE_POOLING2D, "SPK_LAYER_AVERAGE_POOLING2D", "average-pooling2d" },
        { SPK_LAYER_BATCH_NORMALIZATION, "SPK_LAYER_BATCH_NORMALIZATION", "batch-normalization" },
        { SPK_LAYER_DROPOUT, "SPK_LAYER_DROPOUT", "dropout" },
        { SPK_LAYER_EXPRESSION, "SPK_LAYER_EXPRESSION", "expression" },
        { 0, NULL, NULL },
      };
      g_once_init_leave (&type, g_enum_register_static ("SpkLayerType", values));
    }
  return type;
}

GType
spk_padding_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    {
      static const GEnumValue values[] = {
        { SPK_PADDING_VALID, "SPK_PADDING_VALID", "valid" },
        { SPK_PADDING_SAME, "SPK_PADDING_SAME", "same" },
        { 0, NULL, NULL },
      };
      g_once_init_leave (&type, g_enum_register_static ("SpkPadding", values));
    }
  return type;
}

GType
spk_activation_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    {
      static const GEnumValue values[] = {
        { SPK_ACTIVATION_LINEAR, "SPK_ACTIVATION_LINEAR", "linear" },
        { SPK_ACTIVATION_RELU, "SPK_ACTIVATION_RELU", "relu" },
        { SPK_ACTIVATION_SIGMOID, "SPK_ACTIVATION_SIGMOID", "sigmoid" },
        { SPK_ACTIVATION_TANH, "SPK_ACTIVATION_TANH", "tanh" },
        { SPK_ACTIVATION_SOFTMAX, "SPK_ACTIVATION_SOFTMAX", "softmax" },
        { 0, NULL, NULL },
      };
      g_once_init_leave (&type, g_enum_register_static ("SpkActivation", values));
    }
  return type;
}

SpkLayer *
spk_layer_new (SpkLayerType type)
{
  return g_object_new (SPK_TYPE_LAYER, "layer-type", type, NULL);
}

static void
spk_layer_finalize (GObject *object)
{
  SpkLayer *self = SPK_LAYER (object);

  g_clear_pointer (&self->shape_in, spk_array_unref);
  g_free (self->expression);
  G_OBJECT_CLASS (spk_layer_parent_class)->finalize (object);
}

static void
spk_layer_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SpkLayer *self = SPK_LAYER (object);

  switch (prop_id)
    {
    case PROP_LAYER_TYPE: g_value_set_enum (value, self->layer_type); break;
    case PROP_SHAPE_IN: g_value_set_boxed (value, self->shape_in); break;
    case PROP_UNITS: g_value_set_uint (value, self->units); break;
    case PROP_FILTERS: g_value_set_uint (value, self->filters); break;
    case PROP_KERNEL_SIZE: g_value_set_uint (value, self->kernel_size); break;
    case PROP_STRIDES: g_value_set_uint (value, self->strides); break;
    case PROP_PADDING: g_value_set_enum (value, self->padding); break;
    case PROP_USE_BIAS: g_value_set_boolean (value, self->use_bias); break;
    case PROP_RATE: g_value_set_double (value, self->rate); break;
    case PROP_MOMENTUM: g_value_set_double (value, self->momentum); break;
    case PROP_EPSILON: g_value_set_double (value, self->epsilon); break;
    case PROP_EXPRESSION: g_value_set_string (value, self->expression); break;
    case PROP_ACTIVATION: g_value_set_enum (value, self->activation); break;
    case PROP_KERNEL_WIDTH: g_value_set_uint (value, self->kernel_width); break;
    case PROP_AXIS: g_value_set_int (value, self->axis); break;
    case PROP_STRIDES_W: g_value_set_uint (value, self->strides_w); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Stores a plain value and notifies only on change. */
#define SET_FIELD(field, v) \
  G_STMT_START { \
    if (self->field != (v)) \
      { \
        self->field = (v); \
        g_object_notify_by_pspec (object, pspec); \
      } \
  } G_STMT_END

static void
spk_layer_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  SpkLayer *self = SPK_LAYER (object);

  switch (prop_id)
    {
    case PROP_LAYER_TYPE: SET_FIELD (layer_type, (SpkLayerType) g_value_get_enum (value)); break;
    case PROP_UNITS: SET_FIELD (units, g_value_get_uint (value)); break;
    case PROP_FILTERS: SET_FIELD (filters, g_value_get_uint (value)); break;
    case PROP_KERNEL_SIZE: SET_FIELD (kernel_size, g_value_get_uint (value)); break;
    case PROP_STRIDES: SET_FIELD (strides, g_value_get_uint (value)); break;
    case PROP_PADDING: SET_FIELD (padding, (SpkPadding) g_value_get_enum (value)); break;
    case PROP_USE_BIAS: SET_FIELD (use_bias, g_value_get_boolean (value)); break;
    case PROP_RATE: SET_FIELD (rate, g_value_get_double (value)); break;
    case PROP_MOMENTUM: SET_FIELD (momentum, g_value_get_double (value)); break;
    case PROP_EPSILON: SET_FIELD (epsilon, g_value_get_double (value)); break;
    case PROP_ACTIVATION: SET_FIELD (activation, (SpkActivation) g_value_get_enum (value)); break;
    case PROP_KERNEL_WIDTH: SET_FIELD (kernel_width, g_value_get_uint (value)); break;
    case PROP_AXIS: SET_FIELD (axis, g_value_get_int (value)); break;
    case PROP_STRIDES_W: SET_FIELD (strides_w, g_value_get_uint (value)); break;
    case PROP_SHAPE_IN:
      _spk_object_set_boxed (object, (gpointer *) &self->shape_in, g_value_get_boxed (value),
                             SPK_TYPE_ARRAY, spk_model_value_equal_func (SPK_TYPE_ARRAY), pspec);
      break;
    case PROP_EXPRESSION:
      _spk_object_set_string (object, &self->expression, g_value_get_string (value), pspec);
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#undef SET_FIELD

static void
spk_layer_class_init (SpkLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = spk_layer_finalize;
  object_class->get_property = spk_layer_get_property;
  object_class->set_property = spk_layer_set_property;
  SPK_OBJECT_CLASS (klass)->type_name = "layer";

  properties[PROP_LAYER_TYPE] =
    g_param_spec_enum ("layer-type", N_("Layer type"), N_("What the layer computes"),
                       SPK_TYPE_LAYER_TYPE, SPK_LAYER_DENSE, flags);
  properties[PROP_SHAPE_IN] =
    g_param_spec_boxed ("shape-in", N_("Input shape"),
                        N_("Height, width and channels of the input image (channels last), or its size"),
                        SPK_TYPE_ARRAY, flags);
  properties[PROP_UNITS] =
    g_param_spec_uint ("units", N_("Units"), N_("Dense: outputs"), 1, G_MAXINT, 1, flags);
  properties[PROP_FILTERS] =
    g_param_spec_uint ("filters", N_("Filters"), N_("Conv2D: output channels"), 1, G_MAXINT, 1, flags);
  properties[PROP_KERNEL_SIZE] =
    g_param_spec_uint ("kernel-size", N_("Kernel size"),
                       N_("Conv2D and pooling: height and width of the window"), 1, 4096, 3, flags);
  properties[PROP_STRIDES] =
    g_param_spec_uint ("strides", N_("Strides"),
                       N_("Conv2D and pooling: step between windows, down the rows (and across the columns "
                          "unless the column strides differ)"),
                       1, 4096, 1, flags);
  properties[PROP_PADDING] =
    g_param_spec_enum ("padding", N_("Padding"),
                       N_("Conv2D and pooling: valid (no padding) or same (zeros, output size input/strides)"),
                       SPK_TYPE_PADDING, SPK_PADDING_VALID, flags);
  properties[PROP_USE_BIAS] =
    g_param_spec_boolean ("use-bias", N_("Bias"), N_("Dense and Conv2D: add a trainable bias"), TRUE, flags);
  properties[PROP_RATE] =
    g_param_spec_double ("rate", N_("Rate"), N_("Dropout: fraction of inputs dropped while training"),
                         0.0, 0.999, 0.5, flags);
  properties[PROP_MOMENTUM] =
    g_param_spec_double ("momentum", N_("Momentum"),
                         N_("BatchNormalization: weight of the old moving mean and variance"),
                         0.0, 1.0, 0.99, flags);
  properties[PROP_EPSILON] =
    g_param_spec_double ("epsilon", N_("Epsilon"), N_("BatchNormalization: added to the variance"),
                         0.0, G_MAXDOUBLE, 1e-3, flags);
  properties[PROP_EXPRESSION] =
    g_param_spec_string ("expression", N_("Expression"), N_("Expression: a function of t and x, such as max(x, 0)"),
                         "x", flags);
  properties[PROP_ACTIVATION] =
    g_param_spec_enum ("activation", N_("Activation"),
                       N_("Dense and Conv2D: Keras's activation of the output (linear, relu, sigmoid, tanh, softmax)"),
                       SPK_TYPE_ACTIVATION, SPK_ACTIVATION_LINEAR, flags);
  properties[PROP_KERNEL_WIDTH] =
    g_param_spec_uint ("kernel-width", N_("Kernel width"),
                       N_("Conv2D: width of the window when it differs from its height (0: kernel size)"),
                       0, 4096, 0, flags);
  properties[PROP_AXIS] =
    g_param_spec_int ("axis", N_("Axis"),
                      N_("BatchNormalization: the axis normalised, 1 to 3 counted after the batch axis, "
                         "or −1 for the last"),
                      -3, 3, -1, flags);
  properties[PROP_STRIDES_W] =
    g_param_spec_uint ("strides-w", N_("Column strides"),
                       N_("Conv2D and pooling: step between windows across the columns when it differs "
                          "from the strides (Keras's strides=(sh, sw)); 0: the strides"),
                       0, 4096, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
spk_layer_init (SpkLayer *self)
{
  self->units = self->filters = 1;
  self->kernel_size = 3;
  self->strides = 1;
  self->use_bias = TRUE;
  self->rate = 0.5;
  self->momentum = 0.99;
  self->epsilon = 1e-3;
  self->expression = g_strdup ("x");
  self->axis = -1;
}

void
spk_layer_set_shape (SpkLayer *self,
                     guint     h,
                     guint     w,
                     guint     c)
{
  g_autoptr (SpkArray) shape = spk_array_new (1, w && c ? 3 : 1, 1);

  g_return_if_fail (SPK_IS_LAYER (self));
  shape->data[0] = h;
  if (w && c)
    {
      shape->data[1] = w;
      shape->data[2] = c;
    }
  g_object_set (self, "shape-in", shape, NULL);
}

SpkLayerType spk_layer_get_layer_type (SpkLayer *self) { return self->layer_type; }
SpkArray *spk_layer_get_shape_in (SpkLayer *self) { return self->shape_in; }
guint spk_layer_get_units (SpkLayer *self) { return self->units; }
guint spk_layer_get_filters (SpkLayer *self) { return self->filters; }
guint spk_layer_get_kernel_size (SpkLayer *self) { return self->kernel_size; }
guint spk_layer_get_strides (SpkLayer *self) { return self->strides; }
SpkPadding spk_layer_get_padding (SpkLayer *self) { return self->padding; }
gboolean spk_layer_get_use_bias (SpkLayer *self) { return self->use_bias; }
double spk_layer_get_rate (SpkLayer *self) { return self->rate; }
double spk_layer_get_momentum (SpkLayer *self) { return self->momentum; }
double spk_layer_get_epsilon (SpkLayer *self) { return self->epsilon; }
const char *spk_layer_get_expression (SpkLayer *self) { return self->expression; }
SpkActivation spk_layer_get_activation (SpkLayer *self) { return self->activation; }
int spk_layer_get_axis (SpkLayer *self) { return self->axis; }

guint
spk_layer_get_kernel_width (SpkLayer *self)
{
  return self->kernel_width ? self->kernel_width : self->kernel_size;
}

guint
spk_layer_get_strides_w (SpkLayer *self)
{
  return self->strides_w ? self->strides_w : self->strides;
}

void
spk_layer_set_strides_hw (SpkLayer *self,
                          guint     strides_h,
                          guint     strides_w)
{
  g_return_if_fail (SPK_IS_LAYER (self));
  g_object_freeze_notify (G_OBJECT (self));
  g_object_set (self, "strides", strides_h, "strides-w", strides_w == strides_h ? 0 : strides_w, NULL);
  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
is_image_layer (SpkLayer *self)
{
  return self->layer_type == SPK_LAYER_CONV2D || self->layer_type == SPK_LAYER_AVERAGE_POOLING2D;
}

gboolean
spk_layer_get_shape_in_dims (SpkLayer *self,
                             guint     shape[3],
                             GError  **error)
{
  const SpkArray *s;
  gboolean image;

  g_return_val_if_fail (SPK_IS_LAYER (self), FALSE);
  s = self->shape_in;
  image = is_image_layer (self);
  if (s == NULL)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("set shape-in, the size of its input (H, W, C for an image, or N)"));
      return FALSE;
    }
  if ((s->size != 1 && s->size != 3) || (image && s->size != 3))
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                   image ? _("shape-in must be an image's height, width and channels (3 values), not %zu values")
                         : _("shape-in must be N or H, W, C (1 or 3 values), not %zu values"),
                   s->size);
      return FALSE;
    }
  shape[1] = shape[2] = 1;
  for (gsize i = 0; i < s->size; i++)
    {
      if (!(s->data[i] >= 1.0 && s->data[i] <= G_MAXINT && s->data[i] == floor (s->data[i])))
        {
          g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                       _("shape-in must hold whole numbers of at least 1, not %g"), s->data[i]);
          return FALSE;
        }
      shape[i] = (guint) s->data[i];
    }
  if ((guint64) shape[0] * shape[1] * shape[2] > G_MAXINT)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE, _("shape-in is too large"));
      return FALSE;
    }
  return TRUE;
}

SpkLayerWindow
spk_layer_window (SpkLayer    *self,
                  const guint  shape[3])
{
  return (SpkLayerWindow) {
    .h = shape[0], .w = shape[1], .c = shape[2],
    .kh = self->kernel_size,
    .kw = self->layer_type == SPK_LAYER_CONV2D ? spk_layer_get_kernel_width (self) : self->kernel_size,
    .stride = self->strides, .stride_w = spk_layer_get_strides_w (self),
    .same = self->padding == SPK_PADDING_SAME,
  };
}

gboolean
spk_layer_get_shape_out (SpkLayer *self,
                         guint     shape_out[3],
                         guint    *size_in,
                         guint    *size_out)
{
  guint in[3];

  g_return_val_if_fail (SPK_IS_LAYER (self), FALSE);
  shape_out[0] = shape_out[1] = shape_out[2] = 0;
  *size_in = *size_out = 0;
  if (!spk_layer_get_shape_in_dims (self, in, NULL))
    return FALSE;
  *size_in = in[0] * in[1] * in[2];
  memcpy (shape_out, in, sizeof in);
  switch (self->layer_type)
    {
    case SPK_LAYER_DENSE:
      shape_out[0] = self->units;
      shape_out[1] = shape_out[2] = 1;
      break;
    case SPK_LAYER_CONV2D:
    case SPK_LAYER_AVERAGE_POOLING2D:
      {
        SpkLayerWindow win = spk_layer_window (self, in);

        if (!spk_layer_window_init (&win, "", NULL))
          shape_out[0] = 0;
        else
          {
            shape_out[0] = win.out_h;
            shape_out[1] = win.out_w;
            if (self->layer_type == SPK_LAYER_CONV2D)
              shape_out[2] = self->filters;
          }
      }
      break;
    case SPK_LAYER_EXPRESSION:
      {
        g_autoptr (SpkExpr) expr = spk_expr_compile (self->expression, *size_in, NULL);

        shape_out[0] = expr ? spk_expr_get_size_out (expr) : 0;
        shape_out[1] = shape_out[2] = 1;
      }
      break;
    case SPK_LAYER_BATCH_NORMALIZATION:
    case SPK_LAYER_DROPOUT:
      break;
    }
  *size_out = shape_out[0] * shape_out[1] * shape_out[2];
  if (*size_out == 0)
    shape_out[0] = shape_out[1] = shape_out[2] = 0;
  return *size_out > 0;
}

static void
append_shape (GString     *s,
              const guint  shape[3],
              gboolean     image)
{
  if (image)
    g_string_append_printf (s, "%u×%u×%u", shape[0], shape[1], shape[2]);
  else
    g_string_append_printf (s, "%u", shape[0] * shape[1] * shape[2]);
}

char *
spk_layer_describe (SpkLayer *self)
{
  GString *s = g_string_new (NULL);
  const gboolean image_in = self->shape_in && self->shape_in->size == 3;
  guint in[3], out[3], size_in, size_out;
  g_autofree char *strides = spk_layer_get_strides_w (self) == self->strides
                             ? g_strdup_printf ("%u", self->strides)
                             : g_strdup_printf ("%u×%u", self->strides, spk_layer_get_strides_w (self));

  g_return_val_if_fail (SPK_IS_LAYER (self), NULL);
  switch (self->layer_type)
    {
    case SPK_LAYER_DENSE:
      g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "Dense, %u unit", "Dense, %u units", self->units),
                              self->units);
      break;
    case SPK_LAYER_CONV2D:
      /* TRANSLATORS: the last %s is the strides, "2" or "2×1" (rows × columns) */
      g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "Conv2D %u×%u, %u filter, strides %s",
                                              "Conv2D %u×%u, %u filters, strides %s", self->filters),
                              self->kernel_size, spk_layer_get_kernel_width (self), self->filters, strides);
      break;
    case SPK_LAYER_AVERAGE_POOLING2D:
      /* TRANSLATORS: the last %s is the strides, "2" or "2×1" (rows × columns) */
      g_string_append_printf (s, _("AveragePooling2D %u×%u, strides %s"), self->kernel_size,
                              self->kernel_size, strides);
      break;
    case SPK_LAYER_BATCH_NORMALIZATION:
      g_string_append (s, _("BatchNormalization"));
      break;
    case SPK_LAYER_DROPOUT:
      g_string_append_printf (s, _("Dropout, rate %g"), self->rate);
      break;
    case SPK_LAYER_EXPRESSION:
      g_string_append_printf (s, _("Expression %s"), self->expression ? self->expression : "");
      break;
    }
  if (!spk_layer_get_shape_out (self, out, &size_in, &size_out))
    {
      g_string_append (s, self->shape_in ? _(": does not fit its input shape") : _(": no input shape"));
      return g_string_free (s, FALSE);
    }
  spk_layer_get_shape_in_dims (self, in, NULL);
  g_string_append (s, ": ");
  append_shape (s, in, image_in);
  g_string_append (s, " → ");
  append_shape (s, out, image_in && (self->layer_type == SPK_LAYER_CONV2D
                                     || self->layer_type == SPK_LAYER_AVERAGE_POOLING2D
                                     || self->layer_type == SPK_LAYER_BATCH_NORMALIZATION
                                     || self->layer_type == SPK_LAYER_DROPOUT));
  return g_string_free (s, FALSE);
}
