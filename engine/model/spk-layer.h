/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-layer.h — a Layer: NengoDL's TensorNode with a Keras layer.  It sits
 * between objects like a Node with an input (pre → layer → post) and maps
 * its input, an image of shape-in (H × W × C, channels last, or a flat
 * vector of N), to its output: Dense, Conv2D, AveragePooling2D,
 * BatchNormalization, Dropout, or an expression of (t, x).  Its weights
 * are trainable (docs/training.md, "Layers"). */
#pragma once

#include <glib-object.h>

#include "core/spk-array.h"
#include "model/spk-object.h"
#include "ops/spk-ops-activation.h"
#include "ops/spk-ops-batchnorm-axis.h"
#include "ops/spk-ops-layer.h"

G_BEGIN_DECLS

typedef enum
{
  SPK_LAYER_DENSE,
  SPK_LAYER_CONV2D,
  SPK_LAYER_AVERAGE_POOLING2D,
  SPK_LAYER_BATCH_NORMALIZATION,
  SPK_LAYER_DROPOUT,
  SPK_LAYER_EXPRESSION,
} SpkLayerType;

typedef enum
{
  SPK_PADDING_VALID,
  SPK_PADDING_SAME,
} SpkPadding;

#define SPK_TYPE_LAYER_TYPE (spk_layer_type_get_type ())
#define SPK_TYPE_PADDING (spk_padding_get_type ())
#define SPK_TYPE_ACTIVATION (spk_activation_get_type ())
GType spk_layer_type_get_type (void) G_GNUC_CONST;
GType spk_activation_get_type (void) G_GNUC_CONST;
GType spk_padding_get_type (void) G_GNUC_CONST;

#define SPK_TYPE_LAYER (spk_layer_get_type ())
G_DECLARE_FINAL_TYPE (SpkLayer, spk_layer, SPK, LAYER, SpkObject)

SpkLayer     *spk_layer_new            (SpkLayerType type) G_GNUC_WARN_UNUSED_RESULT;
SpkLayerType  spk_layer_get_layer_type (SpkLayer *self);
/* (nullable): H, W, C or N; NULL until set. */
SpkArray     *spk_layer_get_shape_in   (SpkLayer *self);
guint         spk_layer_get_units      (SpkLayer *self);
guint         spk_layer_get_filters    (SpkLayer *self);
guint         spk_layer_get_kernel_size (SpkLayer *self);
guint         spk_layer_get_strides    (SpkLayer *self);
SpkPadding    spk_layer_get_padding    (SpkLayer *self);
gboolean      spk_layer_get_use_bias   (SpkLayer *self);
double        spk_layer_get_rate       (SpkLayer *self);
double        spk_layer_get_momentum   (SpkLayer *self);
double        spk_layer_get_epsilon    (SpkLayer *self);
const char   *spk_layer_get_expression (SpkLayer *self);
/* Dense and Conv2D: Keras's activation= (linear: none). */
SpkActivation spk_layer_get_activation (SpkLayer *self);
/* Conv2D: the window's width (kernel-width, or kernel-size when 0). */
guint         spk_layer_get_kernel_width (SpkLayer *self);
/* Conv2D and pooling: the step across the columns (strides-w, or strides
 * when 0); spk_layer_get_strides () is the step down the rows. */
guint         spk_layer_get_strides_w  (SpkLayer *self);
/* Sets both steps (Keras's strides=(sh, sw)); equal steps keep strides-w 0. */
void          spk_layer_set_strides_hw (SpkLayer *self,
                                        guint     strides_h,
                                        guint     strides_w);
/* BatchNormalization: the axis normalised, 1…3 after the batch axis or
 * −1…−3 from the last (Keras's axis). */
int           spk_layer_get_axis       (SpkLayer *self);

/* shape-in as H, W, C (a flat N is N, 1, 1); FALSE with a message
 * (SPK_BUILD_ERROR) when it is unset, not 1 or 3 values (3 for Conv2D and
 * pooling, which need an image), or not whole numbers of at least 1. */
gboolean      spk_layer_get_shape_in_dims (SpkLayer *self,
                                           guint     shape[3],
                                           GError  **error);
/* The output's shape (H, W, C; a flat N is N, 1, 1) and the sizes of
 * input and output, as the builder will make them; FALSE (with zeros)
 * when the layer cannot be built as it is (no shape-in, a window larger
 * than the image, an expression that does not compile). */
gboolean      spk_layer_get_shape_out  (SpkLayer *self,
                                        guint     shape_out[3],
                                        guint    *size_in,
                                        guint    *size_out);
/* The window of a Conv2D or pooling layer over an input of shape
 * (H, W, C), before spk_layer_window_init() fills its output size. */
SpkLayerWindow spk_layer_window        (SpkLayer    *self,
                                        const guint  shape[3]);
/* One line for lists and cards: "Conv2D 3×3, 32 filters, strides 2:
 * 26×26×32 → 12×12×64" ("strides 2×1" when they differ by axis).  (transfer full) */
char         *spk_layer_describe       (SpkLayer *self);

/* Sets shape-in to h × w × c (c = 0, w = 0: a flat vector of h). */
void          spk_layer_set_shape      (SpkLayer *self,
                                        guint     h,
                                        guint     w,
                                        guint     c);

G_END_DECLS
