/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ops-batchnorm-axis.c — BatchNormalization over any axis
 * (spk-ops-batchnorm-axis.h): training normalises by the batch's mean and
 * biased variance over every value of a channel and moves the moving
 * statistics by momentum; backward is the batch-statistics gradient. */
#define G_LOG_DOMAIN "spk-ops-layer"

#include "ops/spk-ops-batchnorm-axis.h"

#include <math.h>

/* Value k of channel ch in row r. */
#define AT(r, ch, k) (((gsize) (r) * c + (ch)) * inner + (k))

#define DEFINE_BATCHNORM_AXIS(REAL, sfx) \
void \
spk_layer_batchnorm_axis_forward_##sfx (REAL       *y, \
                                        REAL       *xhat, \
                                        REAL       *inv_std, \
                                        const REAL *x, \
                                        const REAL *gamma, \
                                        const REAL *beta, \
                                        REAL       *moving_mean, \
                                        REAL       *moving_var, \
                                        double      momentum, \
                                        double      eps, \
                                        gboolean    training, \
                                        gsize       rows, \
                                        guint       c, \
                                        guint       inner) \
{ \
  const double n = (double) rows * inner; \
 \
  for (guint ch = 0; ch < c; ch++) \
    { \
      double mean, var, is; \
 \
      if (training) \
        { \
          double s = 0.0, ss = 0.0; \
 \
          for (gsize r = 0; r < rows; r++) \
            for (guint k = 0; k < inner; k++) \
              s += x[AT (r, ch, k)]; \
          mean = s / n; \
          for (gsize r = 0; r < rows; r++) \
            for (guint k = 0; k < inner; k++) \
              { \
                const double d = x[AT (r, ch, k)] - mean; \
 \
                ss += d * d; \
              } \
          var = ss / n; \
          moving_mean[ch] = (REAL) (momentum * moving_mean[ch] + (1.0 - momentum) * mean); \
          moving_var[ch] = (REAL) (momentum * moving_var[ch] + (1.0 - momentum) * var); \
        } \
      else \
        { \
          mean = moving_mean[ch]; \
          var = moving_var[ch]; \
        } \
      is = 1.0 / sqrt (var + eps); \
      if (training) \
        inv_std[ch] = (REAL) is; \
      for (gsize r = 0; r < rows; r++) \
        for (guint k = 0; k < inner; k++) \
          { \
            const double h = (x[AT (r, ch, k)] - mean) * is; \
 \
            if (training) \
              xhat[AT (r, ch, k)] = (REAL) h; \
            y[AT (r, ch, k)] = (REAL) (gamma[ch] * h + beta[ch]); \
          } \
    } \
} \
 \
void \
spk_layer_batchnorm_axis_backward_##sfx (REAL       *g_x, \
                                         REAL       *g_gamma, \
                                         REAL       *g_beta, \
                                         const REAL *g_y, \
                                         const REAL *xhat, \
                                         const REAL *inv_std, \
                                         const REAL *gamma, \
                                         gsize       rows, \
                                         guint       c, \
                                         guint       inner) \
{ \
  const double n = (double) rows * inner; \
 \
  for (guint ch = 0; ch < c; ch++) \
    { \
      double sg = 0.0, sgh = 0.0; \
 \
      for (gsize r = 0; r < rows; r++) \
        for (guint k = 0; k < inner; k++) \
          { \
            sg += g_y[AT (r, ch, k)]; \
            sgh += (double) g_y[AT (r, ch, k)] * xhat[AT (r, ch, k)]; \
          } \
      if (g_gamma) \
        g_gamma[ch] += (REAL) sgh; \
      if (g_beta) \
        g_beta[ch] += (REAL) sg; \
      if (g_x) \
        { \
          const double f = gamma[ch] * inv_std[ch] / n; \
 \
          for (gsize r = 0; r < rows; r++) \
            for (guint k = 0; k < inner; k++) \
              g_x[AT (r, ch, k)] += (REAL) (f * (n * (double) g_y[AT (r, ch, k)] - sg \
                                                 - xhat[AT (r, ch, k)] * sgh)); \
        } \
    } \
}

DEFINE_BATCHNORM_AXIS (float, f32)
DEFINE_BATCHNORM_AXIS (double, f64)
