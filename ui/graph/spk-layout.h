/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-layout.h — where each model object sits on the canvas, and which
 * objects the canvas shows together as a sub-network.
 *
 * A map from object to canvas position, plus groups: named sets of objects
 * that the canvas draws as one "network" card when collapsed, or inside a
 * titled frame when open.  Each group shows one of the model's top-level
 * sub-networks (of the same label; the canvas keeps the two in step, see
 * spk-graph-view-networks.c); the layout itself only keeps which objects
 * are drawn together and whether the card is open (for a network nested
 * in a group's, only whether it is open).  A "changed" signal per object
 * (and one without an object for the groups) lets the undo stack and the
 * session writer follow it.  Serialises to a GVariant of type a{sv}:
 * "positions" a{s(dd)} keyed by object label and "groups" a(sbas) (label,
 * collapsed, member labels), which sessions store under /layout.
 */
#pragma once

#include <glib-object.h>

#include "model/spk-object.h"

G_BEGIN_DECLS

/* A group as the layout holds it; read it through the accessors below.
 * Valid until the layout's groups change ("changed" with no object). */
typedef struct _SpkLayoutGroup SpkLayoutGroup;

const char *spk_layout_group_get_label     (SpkLayoutGroup *group);
gboolean    spk_layout_group_get_collapsed (SpkLayoutGroup *group);
/* (transfer none) (element-type SpkObject): in the order they were given */
GPtrArray  *spk_layout_group_get_members   (SpkLayoutGroup *group);

#define SPK_TYPE_LAYOUT (spk_layout_get_type ())
G_DECLARE_FINAL_TYPE (SpkLayout, spk_layout, SPK, LAYOUT, GObject)

SpkLayout *spk_layout_new          (void) G_GNUC_WARN_UNUSED_RESULT;
gboolean   spk_layout_get_position (SpkLayout  *self,
                                    SpkObject  *object,
                                    double     *x,
                                    double     *y);
/* Emits "changed" (object) when the position changes. */
void       spk_layout_set_position (SpkLayout  *self,
                                    SpkObject  *object,
                                    double      x,
                                    double      y);
/* Forgets object's position.  Group membership stays, so that undoing a
 * deletion brings the object back into its group; groups only ever show
 * members that have a position. */
void       spk_layout_remove       (SpkLayout  *self,
                                    SpkObject  *object);

/* Changes made between begin_batch and end_batch (which nest) belong
 * together, as the changes of one drag do: the signals "begin-batch" and
 * "end-batch" tell the followers (the undo stack makes them one step). */
void       spk_layout_begin_batch  (SpkLayout  *self);
void       spk_layout_end_batch    (SpkLayout  *self);

/* Groups.  Each object is in at most one group; labels are unique among
 * groups.  Every change emits "changed" with a NULL object. */
/* (transfer none) (element-type SpkLayoutGroup): in creation order */
GPtrArray      *spk_layout_get_groups          (SpkLayout      *self);
/* (transfer none) (nullable) */
SpkLayoutGroup *spk_layout_get_group_of        (SpkLayout      *self,
                                                SpkObject      *object);
/* (transfer none) (nullable) */
SpkLayoutGroup *spk_layout_lookup_group        (SpkLayout      *self,
                                                const char     *label);
/* Makes a group of members (each leaves the group it was in; groups left
 * empty go away).  Returns NULL when label is taken or members is empty.
 * (transfer none) (nullable) */
SpkLayoutGroup *spk_layout_add_group           (SpkLayout      *self,
                                                const char     *label,
                                                GPtrArray      *members,
                                                gboolean        collapsed);
void            spk_layout_remove_group        (SpkLayout      *self,
                                                SpkLayoutGroup *group);
gboolean        spk_layout_rename_group        (SpkLayout      *self,
                                                SpkLayoutGroup *group,
                                                const char     *label);
void            spk_layout_set_group_collapsed (SpkLayout      *self,
                                                SpkLayoutGroup *group,
                                                gboolean        collapsed);
/* A network nested inside a group's network has no group of members (its
 * cards are the outer group's); the layout keeps whether it is collapsed
 * as a group of its label without members, which undo, renaming and
 * saving treat as any other.  Collapsed unless set open. */
gboolean        spk_layout_get_nested_collapsed (SpkLayout     *self,
                                                 const char    *label);
void            spk_layout_set_nested_collapsed (SpkLayout     *self,
                                                 const char    *label,
                                                 gboolean       collapsed);
/* A snapshot of every group, for the undo stack: restore it with
 * spk_layout_restore_groups(), compare two with spk_layout_groups_equal().
 * (transfer full) */
GPtrArray      *spk_layout_dup_groups          (SpkLayout      *self);
void            spk_layout_restore_groups      (SpkLayout      *self,
                                                GPtrArray      *groups);
gboolean        spk_layout_groups_equal        (GPtrArray      *a,
                                                GPtrArray      *b);

/* a{sv} as above, for every labelled object; floating ref. */
GVariant  *spk_layout_serialize    (SpkLayout  *self);
/* Applies a serialised layout (a{sv}, or the older a{s(dd)} of positions
 * alone) to the labelled objects of network. */
void       spk_layout_apply        (SpkLayout  *self,
                                    GVariant   *layout,
                                    GPtrArray  *objects);

G_END_DECLS
