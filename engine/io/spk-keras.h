/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-keras.h — Keras models in and out, without TensorFlow: NengoDL's
 * Converter.  A Keras 2 HDF5 file (`model.save("m.h5")`: the attribute
 * model_config and the group model_weights) becomes an ordinary Spikeworks
 * session — Layers where a Keras layer has no neuron equivalent, Ensembles
 * of neurons for activations, the trained weights in place, an input Node
 * and a Probe on each output — and a layer model goes back out to Keras's
 * layout (spk_keras_export).  Keras 3's .keras archives are read too.  docs/converter.md describes both.
 *
 * Keras files come from outside: spk_keras_convert_file() reads them in a
 * checked child process first (spk-hdf5-check.h), as sessions are. */
#pragma once

#include <glib.h>

#include "builder/spk-plan.h"
#include "io/spk-session.h"
#include "model/spk-network.h"
#include "model/spk-neuron-type.h"

G_BEGIN_DECLS

/* The Converter's options, with NengoDL's names and defaults. */
typedef struct
{
  /* Keras activation name ("relu", "sigmoid", "tanh") or the neuron type
   * it converts to ("RectifiedLinear") → the neuron type used instead;
   * NULL for none. */
  GHashTable *swap_activations;
  double      scale_firing_rates;  /* 1: none; neurons' input × s, amplitude ÷ s */
  double      synapse;             /* Lowpass tau on connections out of neurons; < 0: None */
  gboolean    max_to_avg_pool;     /* MaxPooling2D → AveragePooling2D (else refused) */
  gboolean    inference_only;      /* fold BatchNormalization, drop Dropout */
  gboolean    allow_fallback;      /* other activations as expression layers */
} SpkKerasOptions;

/* NengoDL's defaults: no swaps, scale 1, synapse None, no max-to-avg,
 * not inference-only, fallback allowed. */
void        spk_keras_options_init   (SpkKerasOptions *options);
void        spk_keras_options_clear  (SpkKerasOptions *options);
/* Adds a swap written "FROM=TO" (relu=SpikingRectifiedLinear); FALSE with
 * a G_OPTION_ERROR_BAD_VALUE naming what is wrong. */
gboolean    spk_keras_options_add_swap (SpkKerasOptions *options,
                                        const char      *text,
                                        GError         **error);

/* Converts a Keras 2 HDF5 model file, or a Keras 3 .keras archive
 * (spk-keras-archive.c), into a session (its network and the plan built
 * with the file's weights).  The file is checked in a child
 * process first.  Fails with one SPK_IO_ERROR starting with the file's
 * name and naming the layer and what is wrong: not HDF5, damaged or
 * truncated, not a Keras model, malformed model_config, an unknown layer
 * or activation, a shape that does not chain, weights missing or of the
 * wrong shape, channels_first, max pooling without max_to_avg_pool. */
SpkSession *spk_keras_convert_file   (const char            *path,
                                      const SpkKerasOptions *options,
                                      GError               **error) G_GNUC_WARN_UNUSED_RESULT;

/* A weight array handed over in memory: row-major float64 values of the
 * given shape (rank ≤ 4). */
typedef struct
{
  const char   *layer;    /* the layer it belongs to; NULL: get_weights() order */
  guint         rank;
  gsize         dims[4];
  const double *values;
} SpkKerasArray;

/* Converts a Keras model handed over as its config — model.to_json()'s
 * JSON, {"class_name": "Sequential" or "Functional", "config": {…}} — and
 * its weights, as spk_keras_convert_file() converts a file.  Either every
 * array names its layer (in that layer's get_weights() order) or none
 * does: then they are the whole model's model.get_weights(), dealt out to
 * the layers in the config's order, each taking as many as it has
 * weights.  Nothing is kept of weights or json after the call.  Fails
 * with one SPK_IO_ERROR starting "Keras model config" and naming the
 * layer and what is wrong: not a Keras model config, weights missing, of
 * the wrong shape or too many, weights for a layer the model has not,
 * and everything the file converter refuses. */
SpkSession *spk_keras_convert_config (const char            *json,
                                      const SpkKerasArray   *weights,
                                      gsize                  n_weights,
                                      const SpkKerasOptions *options,
                                      GError               **error) G_GNUC_WARN_UNUSED_RESULT;

/* Writes network (with the parameters of plan, built from it) as a Keras
 * 2 HDF5 model file: a functional model whose layers are the network's
 * Layers and Ensembles, with Flatten or Reshape where shapes change.  The
 * network must be a layer model: one source Node, plain connections
 * (transform 1, no function or slice) between its objects, Ensembles
 * of RectifiedLinear, SpikingRectifiedLinear, Sigmoid or Tanh neurons
 * entered and left through their neurons with one gain for all, no bias,
 * and amplitude 1/gain.  Anything else fails naming the object.  The file
 * is written atomically. */
gboolean    spk_keras_export         (SpkNetwork            *network,
                                      SpkPlan               *plan,
                                      const char            *path,
                                      GError               **error);

G_END_DECLS
