/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-undo-stack.h — undo and redo for every edit of a model and its
 * layout, recorded from their notifications. */
#pragma once

#include <glib-object.h>

#include "model/spk-network.h"
#include "ui/graph/spk-layout.h"

G_BEGIN_DECLS

#define SPK_TYPE_UNDO_STACK (spk_undo_stack_get_type ())
G_DECLARE_FINAL_TYPE (SpkUndoStack, spk_undo_stack, SPK, UNDO_STACK, GObject)

/* Watches network (its "notify", "object-added", "object-removed" and
 * every object's "notify") and layout ("changed", nullable). */
SpkUndoStack *spk_undo_stack_new          (SpkNetwork   *network,
                                           SpkLayout    *layout) G_GNUC_WARN_UNUSED_RESULT;

/* Edits made between begin and end (which nest) form one undo step.
 * Outside of them, the edits of one main-loop iteration form a step, and
 * repeated edits of the same properties or positions within a second
 * (typing, dragging) merge into the step before. */
void          spk_undo_stack_begin_group  (SpkUndoStack *self);
void          spk_undo_stack_end_group    (SpkUndoStack *self);
/* Closes the step being recorded now, so the next edit starts a new one. */
void          spk_undo_stack_close_group  (SpkUndoStack *self);

/* Properties "can-undo", "can-redo" and "modified" (an edit since the
 * last spk_undo_stack_mark_saved()). */
gboolean      spk_undo_stack_get_can_undo (SpkUndoStack *self);
gboolean      spk_undo_stack_get_can_redo (SpkUndoStack *self);
gboolean      spk_undo_stack_get_modified (SpkUndoStack *self);
void          spk_undo_stack_mark_saved   (SpkUndoStack *self);

gboolean      spk_undo_stack_undo         (SpkUndoStack *self);
gboolean      spk_undo_stack_redo         (SpkUndoStack *self);

G_END_DECLS
