/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ops-activation.c — the layer activations (spk-ops-activation.h) in
 * float32 and float64.  Each is Keras's: sigmoid 1/(1 + e^−x), softmax
 * with the row's largest value subtracted first.  Backward uses the
 * output only: relu' = [y > 0], sigmoid' = y(1 − y), tanh' = 1 − y²,
 * softmax: g ← y ⊙ (g − Σ g·y). */
#define G_LOG_DOMAIN "spk-ops-activation"

#include "ops/spk-ops-activation.h"

#include <math.h>

#define DEFINE_ACTIVATION(REAL, sfx, EXP, TANH) \
void \
spk_activation_forward_##sfx (SpkActivation act, \
                              REAL         *y, \
                              gsize         rows, \
                              guint         width) \
{ \
  const gsize n = rows * width; \
 \
  switch (act) \
    { \
    case SPK_ACTIVATION_LINEAR: \
      break; \
    case SPK_ACTIVATION_RELU: \
      for (gsize i = 0; i < n; i++) \
        y[i] = y[i] > 0 ? y[i] : 0; \
      break; \
    case SPK_ACTIVATION_SIGMOID: \
      for (gsize i = 0; i < n; i++) \
        y[i] = 1 / (1 + EXP (-y[i])); \
      break; \
    case SPK_ACTIVATION_TANH: \
      for (gsize i = 0; i < n; i++) \
        y[i] = TANH (y[i]); \
      break; \
    case SPK_ACTIVATION_SOFTMAX: \
      for (gsize r = 0; r < rows; r++) \
        { \
          REAL *row = y + r * width, top = row[0], sum = 0; \
 \
          for (guint j = 1; j < width; j++) \
            top = row[j] > top ? row[j] : top; \
          for (guint j = 0; j < width; j++) \
            sum += row[j] = EXP (row[j] - top); \
          for (guint j = 0; j < width; j++) \
            row[j] /= sum; \
        } \
      break; \
    } \
} \
 \
void \
spk_activation_backward_##sfx (SpkActivation  act, \
                               REAL          *g, \
                               const REAL    *y, \
                               gsize          rows, \
                               guint          width) \
{ \
  const gsize n = rows * width; \
 \
  switch (act) \
    { \
    case SPK_ACTIVATION_LINEAR: \
      break; \
    case SPK_ACTIVATION_RELU: \
      for (gsize i = 0; i < n; i++) \
        g[i] = y[i] > 0 ? g[i] : 0; \
      break; \
    case SPK_ACTIVATION_SIGMOID: \
      for (gsize i = 0; i < n; i++) \
        g[i] *= y[i] * (1 - y[i]); \
      break; \
    case SPK_ACTIVATION_TANH: \
      for (gsize i = 0; i < n; i++) \
        g[i] *= 1 - y[i] * y[i]; \
      break; \
    case SPK_ACTIVATION_SOFTMAX: \
      for (gsize r = 0; r < rows; r++) \
        { \
          REAL *gr = g + r * width; \
          const REAL *yr = y + r * width; \
          double dot = 0; \
 \
          for (guint j = 0; j < width; j++) \
            dot += (double) gr[j] * yr[j]; \
          for (guint j = 0; j < width; j++) \
            gr[j] = yr[j] * (gr[j] - (REAL) dot); \
        } \
      break; \
    } \
}

DEFINE_ACTIVATION (float, f32, expf, tanhf)
DEFINE_ACTIVATION (double, f64, exp, tanh)
