/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-object.h — the base of every model object (Node, Ensemble,
 * Connection, Probe, sub-network): a label, a seed for the object's own
 * random streams, and the sub-network it belongs to.  Model objects know nothing of time steps or buffers; the
 * builder reads their properties.
 */
#pragma once

#include <glib-object.h>

#include "core/spk-error.h"

G_BEGIN_DECLS

#define SPK_TYPE_OBJECT (spk_object_get_type ())
G_DECLARE_DERIVABLE_TYPE (SpkObject, spk_object, SPK, OBJECT, GObject)

struct _SpkObjectClass
{
  GObjectClass parent_class;

  /* Nengo's class name, as the model file writes it ("node", …). */
  const char  *type_name;
};

const char *spk_object_get_label     (SpkObject  *self);
void        spk_object_set_label     (SpkObject  *self,
                                      const char *label);
gint64      spk_object_get_seed      (SpkObject  *self);
void        spk_object_set_seed      (SpkObject  *self,
                                      gint64      seed);
gboolean    spk_object_get_trainable (SpkObject  *self);
void        spk_object_set_trainable (SpkObject  *self,
                                      gboolean    trainable);
const char *spk_object_get_type_name (SpkObject  *self);

/* The sub-network (an SpkSubnetwork, type "network") the object is in, or
 * NULL at the top level of its network.  Setting it fails with
 * SPK_MODEL_ERROR_CYCLE when object is a network and network is itself or
 * inside it. */
SpkObject  *spk_object_get_network   (SpkObject  *self);
gboolean    spk_object_set_network   (SpkObject  *self,
                                      SpkObject  *network,
                                      GError    **error);
/* Whether a built-in network made the object from its parameters (such
 * objects are not written to a model file: its network's parameters are). */
gboolean    spk_object_get_generated (SpkObject  *self);
void        spk_object_set_generated (SpkObject  *self,
                                      gboolean    generated);

G_END_DECLS
