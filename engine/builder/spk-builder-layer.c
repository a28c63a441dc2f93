/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-builder-layer.c — a Layer into the plan: an input signal that
 * connections add into, an output signal, one SPK_OP_LAYER between them,
 * and its parameters, initialised as Keras does (Glorot-uniform kernels,
 * zero biases, unit gamma and moving variance) unless a saved or trained
 * session supplies them. */
#define G_LOG_DOMAIN "spk-builder"

#include "spk-builder-private.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"
#include "core/spk-rng.h"

typedef enum { INIT_ZEROS, INIT_ONES, INIT_GLOROT } Init;

/* One named parameter of the layer (rows × cols), into the arena. */
static gboolean
add_layer_param (Builder    *b,
                 SpkObject  *object,
                 const char *name,
                 gsize       rows,
                 gsize       cols,
                 Init        init,
                 double      fan,      /* GLOROT: fan_in + fan_out */
                 SpkRng     *rng,
                 gsize      *offset,
                 GError    **error)
{
  g_autofree char *key = _spk_builder_param_key (b, object, name);
  g_autofree char *who = _spk_builder_describe (object);
  g_autofree char *what = g_strdup_printf ("%" G_GSIZE_FORMAT " × %" G_GSIZE_FORMAT " %s", rows, cols, name);
  g_autofree double *values = NULL;
  gboolean taken;

  /* The working array, the plan's parameters and the recorded copy. */
  if (!_spk_builder_check_size (b, who, what, rows, cols, 3, error))
    return FALSE;
  values = g_new (double, rows * cols);
  if (!_spk_builder_take_override (b, key, rows, cols, values, &taken, error))
    return FALSE;
  if (!taken)
    {
      const double limit = sqrt (6.0 / fan);

      for (gsize i = 0; i < rows * cols; i++)
        values[i] = init == INIT_GLOROT ? spk_rng_uniform_range (rng, -limit, limit)
                    : init == INIT_ONES ? 1.0 : 0.0;
    }
  *offset = _spk_builder_add_params (b, values, rows * cols);
  _spk_builder_map_param (b, key, *offset, (guint) rows, (guint) cols, FALSE, FALSE, NULL, 0.0);
  _spk_builder_record_param (b, object, key, cols > 1 ? 2 : 1, rows, cols, values);
  return TRUE;
}

/* An expression layer is a Node's expression of (t, x). */
static gboolean
build_expression (Builder   *b,
                  SpkLayer  *layer,
                  ObjInfo   *info,
                  const char *who,
                  GError   **error)
{
  g_autoptr (SpkExpr) expr = spk_expr_compile (spk_layer_get_expression (layer), info->size_in, error);
  SpkPlanOp *op;

  if (expr == NULL)
    return _spk_builder_prefix_error (error, SPK_OBJECT (layer)), FALSE;
  info->size_out = spk_expr_get_size_out (expr);
  info->out = _spk_builder_whole (b, _spk_builder_add_signal (b, info->size_out, NULL, "%s output", who));
  op = _spk_builder_add_op (b, SPK_OP_EXPR, info->out, info->in, who);
  op->expr = g_steal_pointer (&expr);
  return TRUE;
}

gboolean
_spk_builder_build_layer (Builder   *b,
                          SpkLayer  *layer,
                          ObjInfo   *info,
                          GError   **error)
{
  SpkObject *object = SPK_OBJECT (layer);
  g_autofree char *who = _spk_builder_describe (object);
  g_autofree SpkPlanLayer *pl = g_new0 (SpkPlanLayer, 1);
  const SpkLayerType type = spk_layer_get_layer_type (layer);
  const gboolean image = type == SPK_LAYER_CONV2D || type == SPK_LAYER_AVERAGE_POOLING2D;
  const gboolean bias = spk_layer_get_use_bias (layer);
  guint shape[3];
  SpkPlanOp *op;
  SpkRng rng;

  if (!spk_layer_get_shape_in_dims (layer, shape, error))
    return _spk_builder_prefix_error (error, object), FALSE;
  info->seed = _spk_builder_object_seed (b, object, "layer");
  spk_rng_init (&rng, spk_seed_derive (info->seed, "weights"));
  pl->type = type;
  pl->n_in = info->size_in = shape[0] * shape[1] * shape[2];
  pl->weights = pl->bias = pl->gamma = pl->beta = pl->moving_mean = pl->moving_var = G_MAXSIZE;
  info->in = _spk_builder_whole (b, _spk_builder_add_signal (b, pl->n_in, NULL, "%s input", who));
  _spk_builder_add_op (b, SPK_OP_RESET, info->in, NO_VIEW, who);

  if (type == SPK_LAYER_EXPRESSION)
    return build_expression (b, layer, info, who, error);

  if (image)
    {
      pl->win = spk_layer_window (layer, shape);
      if (!spk_layer_window_init (&pl->win, who, error))
        return FALSE;
    }

  switch (type)
    {
    case SPK_LAYER_DENSE:
      pl->units = spk_layer_get_units (layer);
      pl->n_out = pl->units;
      if (!add_layer_param (b, object, "weights", pl->n_in, pl->units, INIT_GLOROT,
                            (double) pl->n_in + pl->units, &rng, &pl->weights, error)
          || (bias && !add_layer_param (b, object, "bias", pl->units, 1, INIT_ZEROS, 1, &rng, &pl->bias, error)))
        return FALSE;
      break;

    case SPK_LAYER_CONV2D:
      {
        const guint patch = pl->win.kh * pl->win.kw * pl->win.c;

        pl->units = spk_layer_get_filters (layer);
        pl->n_out = pl->win.out_h * pl->win.out_w * pl->units;
        if (!add_layer_param (b, object, "weights", patch, pl->units, INIT_GLOROT,
                              (double) patch + (double) pl->win.kh * pl->win.kw * pl->units, &rng,
                              &pl->weights, error)
            || (bias && !add_layer_param (b, object, "bias", pl->units, 1, INIT_ZEROS, 1, &rng, &pl->bias, error)))
          return FALSE;
      }
      break;

    case SPK_LAYER_AVERAGE_POOLING2D:
      pl->n_out = pl->win.out_h * pl->win.out_w * pl->win.c;
      break;

    case SPK_LAYER_BATCH_NORMALIZATION:
      {
        /* Keras's axis, counted with the batch axis 0: by default the
         * last, the channels of an image. */
        const int ndim = (int) spk_layer_get_shape_in (layer)->size, axis = spk_layer_get_axis (layer);
        const int a = axis < 0 ? ndim + 1 + axis : axis;

        if (a < 1 || a > ndim)
          {
            g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_SHAPE,
                         _("%s: axis %d is not one of its input's axes (1 to %d after the batch axis 0, "
                           "or −1 to −%d from the last)"),
                         who, axis, ndim, ndim);
            return FALSE;
          }
        pl->channels = shape[a - 1];
        pl->inner = 1;
        for (int d = a; d < ndim; d++)
          pl->inner *= shape[d];
      }
      pl->n_out = pl->n_in;
      pl->momentum = spk_layer_get_momentum (layer);
      pl->epsilon = spk_layer_get_epsilon (layer);
      if (!add_layer_param (b, object, "gamma", pl->channels, 1, INIT_ONES, 1, &rng, &pl->gamma, error)
          || !add_layer_param (b, object, "beta", pl->channels, 1, INIT_ZEROS, 1, &rng, &pl->beta, error)
          || !add_layer_param (b, object, "moving_mean", pl->channels, 1, INIT_ZEROS, 1, &rng,
                               &pl->moving_mean, error)
          || !add_layer_param (b, object, "moving_var", pl->channels, 1, INIT_ONES, 1, &rng,
                               &pl->moving_var, error))
        return FALSE;
      break;

    case SPK_LAYER_DROPOUT:
      pl->n_out = pl->n_in;
      pl->rate = spk_layer_get_rate (layer);
      pl->seed = spk_seed_derive (info->seed, "dropout");
      break;

    case SPK_LAYER_EXPRESSION:
      g_assert_not_reached ();
    }

  pl->activation = spk_layer_get_activation (layer);
  if (pl->activation != SPK_ACTIVATION_LINEAR && type != SPK_LAYER_DENSE && type != SPK_LAYER_CONV2D)
    {
      g_set_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID,
                   _("%s: only Dense and Conv2D layers have an activation (Keras's); follow it with an "
                     "expression layer instead"), who);
      return FALSE;
    }
  info->size_out = pl->n_out;
  info->out = _spk_builder_whole (b, _spk_builder_add_signal (b, pl->n_out, NULL, "%s output", who));
  op = _spk_builder_add_op (b, SPK_OP_LAYER, info->out, info->in, who);
  op->layer = g_steal_pointer (&pl);
  return TRUE;
}
