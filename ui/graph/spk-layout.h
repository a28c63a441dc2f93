/* spk-layout.h — where each model object sits on the canvas.
 *
 * A plain map from object to canvas position (and a collapsed flag for
 * sub-network cards), with a "changed" signal per object so the undo stack
 * and the session writer can follow it.  Serialises to a GVariant of type
 * a{s(dd)} keyed by object label, which sessions store under /layout.
 */
#pragma once

#include <glib-object.h>

#include "model/spk-object.h"

G_BEGIN_DECLS

#define SPK_TYPE_LAYOUT (spk_layout_get_type ())
G_DECLARE_FINAL_TYPE (SpkLayout, spk_layout, SPK, LAYOUT, GObject)

SpkLayout *spk_layout_new          (void);
gboolean   spk_layout_get_position (SpkLayout  *self,
                                    SpkObject  *object,
                                    double     *x,
                                    double     *y);
/* Emits "changed" (object) when the position changes. */
void       spk_layout_set_position (SpkLayout  *self,
                                    SpkObject  *object,
                                    double      x,
                                    double      y);
void       spk_layout_remove       (SpkLayout  *self,
                                    SpkObject  *object);
/* a{s(dd)}: label → (x, y) for every labelled object; floating ref. */
GVariant  *spk_layout_serialize    (SpkLayout  *self);
/* Applies a serialised layout to the labelled objects of network. */
void       spk_layout_apply        (SpkLayout  *self,
                                    GVariant   *layout,
                                    GPtrArray  *objects);

G_END_DECLS
