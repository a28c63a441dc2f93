/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-network.h — a Network: the container of a model's Nodes, Ensembles,
 * Connections and Probes, with the seed every unseeded object derives its
 * randomness from, the time step and the precision of the simulation.
 *
 * Objects keep the order they were added in; that order is the model
 * file's order and the builder's.  Labels, where set, are unique.
 */
#pragma once

#include <glib-object.h>

#include "model/spk-connection.h"
#include "model/spk-ensemble.h"
#include "model/spk-layer.h"
#include "model/spk-node.h"
#include "model/spk-object.h"
#include "model/spk-probe.h"

G_BEGIN_DECLS

typedef enum
{
  SPK_DTYPE_FLOAT32,
  SPK_DTYPE_FLOAT64,
} SpkDtype;

#define SPK_TYPE_DTYPE (spk_dtype_get_type ())
GType spk_dtype_get_type (void) G_GNUC_CONST;
const char *spk_dtype_to_name (SpkDtype dtype);
gboolean spk_dtype_from_name (const char *name,
                              SpkDtype   *dtype);

#define SPK_TYPE_NETWORK (spk_network_get_type ())
G_DECLARE_FINAL_TYPE (SpkNetwork, spk_network, SPK, NETWORK, GObject)

SpkNetwork *spk_network_new         (void) G_GNUC_WARN_UNUSED_RESULT;

const char *spk_network_get_label   (SpkNetwork  *self);
void        spk_network_set_label   (SpkNetwork  *self,
                                     const char  *label);
gint64      spk_network_get_seed    (SpkNetwork  *self);
void        spk_network_set_seed    (SpkNetwork  *self,
                                     gint64       seed);
double      spk_network_get_dt      (SpkNetwork  *self);
void        spk_network_set_dt      (SpkNetwork  *self,
                                     double       dt);
SpkDtype    spk_network_get_dtype   (SpkNetwork  *self);
void        spk_network_set_dtype   (SpkNetwork  *self,
                                     SpkDtype     dtype);
gboolean    spk_network_get_trainable (SpkNetwork *self);
void        spk_network_set_trainable (SpkNetwork *self,
                                       gboolean    trainable);

/* Adds object (a new reference is taken).  Fails when its label is
 * already used by another object of the network. */
gboolean    spk_network_add         (SpkNetwork  *self,
                                     SpkObject   *object,
                                     GError     **error);
/* Removes object, and every connection and probe that refers to it.  A
 * removed sub-network takes the objects its kind made with it; objects
 * put into it otherwise move out into the network around it. */
void        spk_network_remove      (SpkNetwork  *self,
                                     SpkObject   *object);
/* (transfer none) (element-type SpkObject) */
GPtrArray  *spk_network_get_objects (SpkNetwork  *self);
/* The objects in the order a model file writes them and a reader adds
 * them back: each network's objects in list order, every sub-network
 * followed at once by the objects inside it (depth first; a built-in
 * network's own objects before those put into it).  A model read from a
 * file has its objects in this order; one edited since may not (an object
 * added into a network written before others), so whatever names objects
 * by their position goes by this order, which a save and reload keeps.
 * (transfer container) */
GPtrArray  *spk_network_dup_file_order (SpkNetwork *self) G_GNUC_WARN_UNUSED_RESULT;
/* The name an object goes by in a plan's parameters, a session and the
 * plots: its label, or for an unlabelled object "<type><i>" ("connection2",
 * "probe0"), i counting every object of its type in file order
 * (spk_network_dup_file_order()), with "~" appended while that is another
 * object's label.  So keys are unique by construction, unchanged wherever
 * they were already unique, and the same after a save and reload.
 * spk_network_dup_keys() names every object at once: object → key,
 * (transfer full), the table holding a reference to each object.
 * spk_network_dup_key() names one ((transfer full), NULL if it is not in
 * the network); spk_network_lookup_key() is the inverse ((transfer none)
 * (nullable)). */
GHashTable *spk_network_dup_keys    (SpkNetwork  *self) G_GNUC_WARN_UNUSED_RESULT;
char       *spk_network_dup_key     (SpkNetwork  *self,
                                     SpkObject   *object) G_GNUC_WARN_UNUSED_RESULT;
SpkObject  *spk_network_lookup_key  (SpkNetwork  *self,
                                     const char  *key);
/* Named parameters (spk_plan_list_params(): "<key>/<name>" → SpkArray)
 * moved from the keys their objects had, then (an spk_network_dup_keys()
 * taken before an edit), to the keys those objects have now: an edit that
 * renumbers keys (an unlabelled object moved into a network, one removed
 * before others, a relabelled one) leaves every parameter with its
 * object.  Parameters of objects removed since are dropped; those of no
 * object in then are kept.  (transfer full): a new table sharing the
 * values. */
GHashTable *spk_network_rekey_params (SpkNetwork  *self,
                                      GHashTable  *params,
                                      GHashTable  *then) G_GNUC_WARN_UNUSED_RESULT;
SpkObject  *spk_network_lookup      (SpkNetwork  *self,
                                     const char  *label);
guint       spk_network_count_type  (SpkNetwork  *self,
                                     GType        type);

G_END_DECLS
