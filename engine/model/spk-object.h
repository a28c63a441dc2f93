/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-object.h — the base of every model object (Node, Ensemble,
 * Connection, Probe): a label, and a seed for the object's own random
 * streams.  Model objects know nothing of time steps or buffers; the
 * builder reads their properties.
 */
#pragma once

#include <glib-object.h>

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

G_END_DECLS
