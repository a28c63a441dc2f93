/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-subnetwork.h — a sub-network: Nengo's nengo.Network inside a model.
 *
 * A model keeps one flat list of objects (SpkNetwork); a sub-network is an
 * object of that list, and every object names the sub-network it is in
 * (spk_object_get_network()), so networks nest as a tree.  A sub-network
 * has a label, a seed (when set, it seeds every object inside it that has
 * none; when not, its objects derive their seeds as if it were not there,
 * so grouping objects never changes a run) and a config: defaults per
 * object type ("ensemble", "node", "connection", "probe" → key → value in
 * the model format's JSON), as Nengo's net.config, which apply to every
 * object inside it, inner networks' over outer ones'.
 *
 * A sub-network with a kind is one of Nengo's built-in networks
 * (EnsembleArray, Product, BasalGanglia…; the table of kinds is in
 * spk-model-json-networks.c): its objects are made from its parameters
 * and are not written to a model file, which keeps the parameters (and
 * what was changed in those objects) instead.
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "model/spk-object.h"

G_BEGIN_DECLS

#define SPK_TYPE_SUBNETWORK (spk_subnetwork_get_type ())
G_DECLARE_FINAL_TYPE (SpkSubnetwork, spk_subnetwork, SPK, SUBNETWORK, SpkObject)

SpkSubnetwork *spk_subnetwork_new            (void) G_GNUC_WARN_UNUSED_RESULT;

/* (nullable): NULL for a plain network */
const char    *spk_subnetwork_get_kind       (SpkSubnetwork *self);
void           spk_subnetwork_set_kind       (SpkSubnetwork *self,
                                              const char    *kind);
/* (transfer none) (nullable): the config, type name → key → JSON value */
JsonObject    *spk_subnetwork_get_config     (SpkSubnetwork *self);
/* Takes a new reference to config (or clears it with NULL). */
void           spk_subnetwork_set_config     (SpkSubnetwork *self,
                                              JsonObject    *config);
/* (transfer none) (nullable): the config's defaults for one object type
 * ("ensemble"…) */
JsonObject    *spk_subnetwork_get_defaults   (SpkSubnetwork *self,
                                              const char    *type_name);

/* Whether object is network or inside it, at any depth. */
gboolean       spk_subnetwork_contains       (SpkSubnetwork *self,
                                              SpkObject     *object);
/* The outermost built-in network object is inside (NULL if none): its
 * objects are made from its parameters, not edited one by one.
 * (transfer none) (nullable) */
SpkSubnetwork *spk_subnetwork_builtin_of     (SpkObject     *object);

G_END_DECLS
