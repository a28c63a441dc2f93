/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-keras-private.h — what the Keras reader, converter and writer share:
 * a Keras model as read from its file (layers with their JSON config,
 * inputs and weights), before anything is converted. */
#pragma once

#include <json-glib/json-glib.h>

#include "io/spk-keras.h"

G_BEGIN_DECLS

/* The Keras version whose HDF5 layout the writer follows (the last of
 * Keras 2) and the backend it names. */
#define SPK_KERAS_VERSION "2.15.0"
#define SPK_KERAS_BACKEND "tensorflow"

/* A weight array: a dataset of model_weights/<layer>/, read as doubles. */
typedef struct
{
  char   *name;       /* its weight name, "dense/kernel:0" */
  guint   rank;
  gsize   dims[4];
  gsize   size;
  double *values;     /* row-major */
} SpkKerasWeight;

typedef struct
{
  char       *name;
  char       *class_name;
  JsonObject *config;     /* (owned) the layer's "config" */
  char       *inbound;    /* the layer it reads from; NULL for an input */
  GPtrArray  *weights;    /* SpkKerasWeight, in weight_names order */
} SpkKerasLayer;

typedef struct
{
  char      *display;   /* the file's name, starting every message */
  gboolean   from_config; /* handed over in memory (spk_keras_convert_config) */
  char      *name;      /* the model's name */
  GPtrArray *layers;    /* SpkKerasLayer, in the config's (topological) order */
  GPtrArray *outputs;   /* char *: the names of the output layers */
} SpkKerasModel;

void           _spk_keras_model_free (SpkKerasModel *model);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkKerasModel, _spk_keras_model_free)

SpkKerasModel *_spk_keras_model_new (const char *path);
/* Reads a Keras 3 .keras archive (spk-keras-archive.c); its weights file
 * is checked in a child process here. */
SpkKerasModel *_spk_keras_read_archive (const char  *path,
                                        GError     **error);
/* Reads the datasets 0, 1, … of groups[i] of the HDF5 file h5_path as the
 * weights of model's layer i (Keras 3's layout). */
gboolean       _spk_keras_read_vars (SpkKerasModel     *model,
                                     const char        *h5_path,
                                     const char *const *groups,
                                     GError           **error);
/* Reads a Keras 2 HDF5 file (not checked in a child: the caller does). */
SpkKerasModel *_spk_keras_read       (const char     *path,
                                      GError        **error);
/* Parses model_config into model's layers, inputs and outputs. */
gboolean       _spk_keras_parse_config (SpkKerasModel *model,
                                        const char    *json,
                                        GError       **error);
SpkKerasLayer *_spk_keras_model_find (SpkKerasModel *model,
                                      const char    *name);
/* How many weight arrays the converter takes for layer (Dense and Conv2D:
 * kernel and, with use_bias, bias; BatchNormalization: gamma, beta,
 * moving_mean, moving_variance as its config has them; others none), in
 * the order Keras's get_weights() lists them. */
guint          _spk_keras_layer_n_weights (const SpkKerasLayer *layer);
/* Adds a weight array of rank ≤ 4 (values copied) to layer; name is
 * what messages call it.  Fails naming it if a value is not finite. */
gboolean       _spk_keras_layer_add_weight (SpkKerasModel *model,
                                            SpkKerasLayer *layer,
                                            const char    *name,
                                            guint          rank,
                                            const gsize   *dims,
                                            const double  *values,
                                            GError       **error);
/* Converts a read model. */
SpkSession    *_spk_keras_convert    (SpkKerasModel         *model,
                                      const SpkKerasOptions *options,
                                      GError               **error);

G_END_DECLS
