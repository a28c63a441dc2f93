/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-model-json.h — the readable model file (docs/model-format.md):
 * a network and its objects as JSON, loaded and written by the engine so
 * that models can be written by hand, diffed and shared. */
#pragma once

#include "model/spk-network.h"

G_BEGIN_DECLS

/* Parses a model; every error names the object and the problem (malformed
 * JSON with its line and column, unknown type or parameter, duplicate or
 * unknown label, a value of the wrong type, NaN or infinity). */
SpkNetwork *spk_model_load_data  (const char  *data,
                                  gssize       length,
                                  GError     **error) G_GNUC_WARN_UNUSED_RESULT;
SpkNetwork *spk_model_load_file  (const char  *path,
                                  GError     **error) G_GNUC_WARN_UNUSED_RESULT;
/* The model as pretty-printed JSON; numbers round-trip exactly. */
char       *spk_model_to_data    (SpkNetwork  *network,
                                  gsize       *length) G_GNUC_WARN_UNUSED_RESULT;
/* Writes atomically (temporary file, then rename). */
gboolean    spk_model_save_file  (SpkNetwork  *network,
                                  const char  *path,
                                  GError     **error);

G_END_DECLS
