/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ops-activation.h — Keras's `activation=` of a Dense or Conv2D
 * layer, applied to the layer's output in place, and its backward from
 * that output: linear, relu, sigmoid, tanh, softmax (over the last axis:
 * a Dense layer's units, a Conv2D's filters at each pixel), in float32
 * and float64.  The trainer keeps the activated output on its tape;
 * backward turns the gradient of the output into the gradient of the
 * layer's own (pre-activation) result, in place. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SPK_ACTIVATION_LINEAR,
  SPK_ACTIVATION_RELU,
  SPK_ACTIVATION_SIGMOID,
  SPK_ACTIVATION_TANH,
  SPK_ACTIVATION_SOFTMAX,
} SpkActivation;

#define SPK_ACTIVATION_DECLARE(REAL, sfx) \
  /* y (rows × width) ← act(y), row by row (softmax: over each row). */ \
  void spk_activation_forward_##sfx (SpkActivation act, REAL *y, gsize rows, guint width); \
  /* g (rows × width), the gradient of act's output y, ← the gradient of its input. */ \
  void spk_activation_backward_##sfx (SpkActivation act, REAL *g, const REAL *y, gsize rows, \
                                      guint width);

SPK_ACTIVATION_DECLARE (float, f32)
SPK_ACTIVATION_DECLARE (double, f64)

G_END_DECLS
