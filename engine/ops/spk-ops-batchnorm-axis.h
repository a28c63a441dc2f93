/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ops-batchnorm-axis.h — BatchNormalization over an axis that is not
 * the last (Keras's axis=1 on an H × W × C image normalises each row of
 * pixels): the values are rows × c × inner, channel ch of row r at
 * (r·c + ch)·inner + k.  The same equations as spk-ops-layer.h's
 * batchnorm kernels (which are this with inner = 1), in float32 and
 * float64; xhat is kept in the values' own layout. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SPK_BATCHNORM_AXIS_DECLARE(REAL, sfx) \
  void spk_layer_batchnorm_axis_forward_##sfx (REAL *y, REAL *xhat, REAL *inv_std, const REAL *x, \
                                               const REAL *gamma, const REAL *beta, REAL *moving_mean, \
                                               REAL *moving_var, double momentum, double eps, \
                                               gboolean training, gsize rows, guint c, guint inner); \
  void spk_layer_batchnorm_axis_backward_##sfx (REAL *g_x, REAL *g_gamma, REAL *g_beta, const REAL *g_y, \
                                                const REAL *xhat, const REAL *inv_std, const REAL *gamma, \
                                                gsize rows, guint c, guint inner);

SPK_BATCHNORM_AXIS_DECLARE (float, f32)
SPK_BATCHNORM_AXIS_DECLARE (double, f64)

G_END_DECLS
