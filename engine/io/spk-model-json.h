/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-model-json.h — the readable model file (docs/model-format.md):
 * a network and its objects as JSON, loaded and written by the engine so
 * that models can be written by hand, diffed and shared. */
#pragma once

#include <json-glib/json-glib.h>

#include "model/spk-network.h"
#include "model/spk-subnetwork.h"

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
/* FALSE with an SPK_IO_ERROR_VALUE naming the object and the parameter
 * ("ensemble 'b': gain[3] is NaN or infinite…") when a number of the
 * model is not finite: JSON cannot hold it, and writing null would lose
 * it silently.  Saving a model or a session checks this first. */
gboolean    spk_model_check_finite (SpkNetwork  *network,
                                    GError     **error);
/* Writes atomically (temporary file, then rename); refuses NaN and
 * infinities (spk_model_check_finite). */
gboolean    spk_model_save_file  (SpkNetwork  *network,
                                  const char  *path,
                                  GError     **error);

/* One object at a time, as a lesson's scripted solution edits a model.
 * Adds the object that json (one entry of the file's "objects") describes,
 * returning it (transfer none), or sets one key of object from a JSON
 * value, as the file writes it.  Both fail naming the object. */
SpkObject  *spk_model_add_object_json (SpkNetwork  *network,
                                       const char  *json,
                                       GError     **error);
gboolean    spk_model_set_json        (SpkNetwork  *network,
                                       SpkObject   *object,
                                       const char  *key,
                                       const char  *json,
                                       GError     **error);
/* The value of object's key as the file would write it, defaults
 * included; NULL when object has no such key. (transfer full) */
JsonNode   *spk_model_get_json        (SpkNetwork  *network,
                                       SpkObject   *object,
                                       const char  *key);

/* Sets the parameter name (a property of net, "n-neurons") of a built-in
 * network and remakes the objects it made from its parameters, as a file
 * with the new value would load: the changes saved for its objects apply
 * again to those it still makes (by label, a connection by its "pre" and
 * "post"), and connections and probes from outside follow the objects of
 * their labels (those left without one are removed).  FALSE, with
 * nothing changed, when the value is refused (the message names the
 * network and the parameter) or net was made by another network. */
gboolean    spk_model_set_network_param (SpkNetwork    *network,
                                         SpkSubnetwork *net,
                                         const char    *name,
                                         const GValue  *value,
                                         GError       **error);

/* For an object a built-in network made: the label it was made with (as
 * its network is named now; the object may have been renamed since) and,
 * for a connection, the "pre" and "post" it was made with, each (transfer
 * full) or NULL.  FALSE, with all three NULL, for any other object. */
gboolean    spk_model_dup_made          (SpkObject     *object,
                                         char         **label,
                                         char         **pre,
                                         char         **post);

/* Nengo's built-in networks the model format knows (a network object's
 * "kind"), in the order a palette lists them. (transfer none) */
const char *const *spk_model_network_kinds (void);
/* For kind: JSON members a new network object of that kind loads with as
 * they are ("\"n_neurons\": 50, \"n_ensembles\": 2"); a one-line
 * translated description.  NULL for an unknown kind. (transfer none) */
const char *spk_model_network_example_params (const char *kind);
const char *spk_model_network_kind_description (const char *kind);
/* The parameters of kind as the file names them ("n_neurons"), in the
 * order of Nengo's signature; NULL for an unknown kind. (transfer full) */
char      **spk_model_network_kind_params (const char *kind);

G_END_DECLS
