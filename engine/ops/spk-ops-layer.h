/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ops-layer.h — the numerical kernels of the deep-learning layers
 * (NengoDL's TensorNode layers, Keras semantics): Dense, Conv2D,
 * AveragePooling2D, BatchNormalization and Dropout, each forward beside
 * its backward, in float32 and float64.
 *
 * Images are channels-last (Keras's default): x is batch × H × W × C,
 * row-major.  Backward functions *add* into the gradients they receive
 * (g_x, g_W, …), as the trainer's adjoints do; a NULL gradient is
 * skipped.  All products go through cblas.  The builder calls the
 * forwards, the trainer both; SpkLayer (model/) describes a layer with
 * the window type below: docs/training.md, "Layers".
 *
 * Conv2D splits its work over the engine's thread pool (core/spk-pool.h)
 * when OpenBLAS runs single-threaded (openblas_get_num_threads () == 1):
 * the forward and the input gradient image by image, the kernel gradient
 * by rows of the kernel, each part one product on its own core; with
 * OpenBLAS threaded each product is one call and OpenBLAS splits it. */
#pragma once

#include <glib.h>

#include "core/spk-rng.h"

G_BEGIN_DECLS

/* A 2-D convolution or pooling window over channels-last images. */
typedef struct
{
  guint h, w, c;        /* input height, width, channels */
  guint kh, kw;         /* window */
  guint stride;         /* along the rows, and along the columns too unless stride_w is set */
  gboolean same;        /* "same" padding (zeros, output ⌈H/stride⌉), else "valid" */
  guint out_h, out_w;   /* filled by spk_layer_window_init() */
  guint pad_top, pad_left;
  guint stride_w;       /* along the columns; 0: stride (last, so that older
                         * positional initialisers keep their meaning) */
} SpkLayerWindow;

/* The step between windows along the columns. */
static inline guint
spk_layer_window_stride_w (const SpkLayerWindow *win)
{
  return win->stride_w ? win->stride_w : win->stride;
}

/* Fills out_h, out_w and the padding; fails with SPK_BUILD_ERROR naming
 * what (e.g. "layer 'conv1'") for an empty input, a zero stride or a
 * window larger than a "valid" input. */
gboolean spk_layer_window_init (SpkLayerWindow *win,
                                const char     *what,
                                GError        **error);

#define SPK_LAYER_DECLARE(REAL, sfx) \
  /* y (batch × n_out) = x (batch × n_in) · W (n_in × n_out) + b (n_out, may be NULL). */ \
  void spk_layer_dense_forward_##sfx (REAL *y, const REAL *x, const REAL *W, const REAL *b, \
                                      guint batch, guint n_in, guint n_out); \
  /* g_W (n_in × n_out) += xᵀ·g_y; g_b (n_out) += Σ_batch g_y; g_x (batch × n_in) += g_y·Wᵀ. */ \
  void spk_layer_dense_backward_##sfx (REAL *g_x, REAL *g_W, REAL *g_b, const REAL *g_y, \
                                       const REAL *x, const REAL *W, guint batch, guint n_in, guint n_out); \
  /* y (batch × out_h × out_w × F) = conv(x (batch × h × w × c), K (kh × kw × c × F)) + b (F, may \
   * be NULL); cols (batch·out_h·out_w × kh·kw·c) receives the patches, which backward reads. */ \
  void spk_layer_conv2d_forward_##sfx (REAL *y, REAL *cols, const REAL *x, const REAL *K, const REAL *b, \
                                       const SpkLayerWindow *win, guint filters, guint batch); \
  /* g_K += colsᵀ·g_y; g_b += Σ g_y; g_x += col2im(g_y·Kᵀ), using g_cols (as cols) as scratch. */ \
  void spk_layer_conv2d_backward_##sfx (REAL *g_x, REAL *g_K, REAL *g_b, REAL *g_cols, const REAL *g_y, \
                                        const REAL *cols, const REAL *K, const SpkLayerWindow *win, \
                                        guint filters, guint batch); \
  /* y (batch × out_h × out_w × c) = mean of each window of x (batch × h × w × c); padding cells \
   * are not counted (Keras). */ \
  void spk_layer_avgpool_forward_##sfx (REAL *y, const REAL *x, const SpkLayerWindow *win, guint batch); \
  /* g_x (as x) += each window's share of g_y (as y). */ \
  void spk_layer_avgpool_backward_##sfx (REAL *g_x, const REAL *g_y, const SpkLayerWindow *win, guint batch); \
  /* Over rows (n × c, c the channels): training normalises by the batch's mean and biased \
   * variance, keeps xhat (n × c) and inv_std (c) for backward and moves moving_mean, moving_var \
   * (c) by momentum (Keras: m ← momentum·m + (1 − momentum)·batch value); inference uses the \
   * moving statistics and may pass NULL for xhat and inv_std. \
   * y = gamma·(x − μ)/√(σ² + eps) + beta. */ \
  void spk_layer_batchnorm_forward_##sfx (REAL *y, REAL *xhat, REAL *inv_std, const REAL *x, \
                                          const REAL *gamma, const REAL *beta, REAL *moving_mean, \
                                          REAL *moving_var, double momentum, double eps, \
                                          gboolean training, guint n, guint c); \
  /* Training-mode backward: g_gamma += Σ g_y·xhat, g_beta += Σ g_y, g_x += gamma·inv_std/n · \
   * (n·g_y − Σ g_y − xhat·Σ g_y·xhat). */ \
  void spk_layer_batchnorm_backward_##sfx (REAL *g_x, REAL *g_gamma, REAL *g_beta, const REAL *g_y, \
                                           const REAL *xhat, const REAL *inv_std, const REAL *gamma, \
                                           guint n, guint c); \
  /* Training: mask (count) ← 0 with probability rate, else 1/(1 − rate); y = x·mask.  Inference is \
   * the identity and needs no call. */ \
  void spk_layer_dropout_forward_##sfx (REAL *y, REAL *mask, const REAL *x, double rate, SpkRng *rng, \
                                        gsize count); \
  /* g_x (count) += g_y·mask. */ \
  void spk_layer_dropout_backward_##sfx (REAL *g_x, const REAL *g_y, const REAL *mask, gsize count);

SPK_LAYER_DECLARE (float, f32)
SPK_LAYER_DECLARE (double, f64)

G_END_DECLS
