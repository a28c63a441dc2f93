/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-transform-editor.h — a window that shows and edits the values of a
 * connection's structured transform: a Sparse transform's entries, a
 * Convolution's or ConvolutionTranspose's kernel, one channel pair at a
 * time. */
#pragma once

#include <adwaita.h>

#include "model/spk-connection.h"
#include "ui/shell/spk-undo-stack.h"

G_BEGIN_DECLS

#define SPK_TYPE_TRANSFORM_EDITOR (spk_transform_editor_get_type ())
G_DECLARE_FINAL_TYPE (SpkTransformEditor, spk_transform_editor, SPK, TRANSFORM_EDITOR, AdwWindow)

/* Edits connection's transform (a Sparse, Convolution or
 * ConvolutionTranspose one); each change is one step of undo (nullable).
 *
 * Its actions, for the keyboard and for tests:
 *   values.set "(us)"        value index (spk_transform_weights' order), text
 *   values.pair "(uu)"       shows the kernel of (input channel, filter)
 *   values.next-pair, values.previous-pair
 *   values.add "(uus)"       a Sparse entry: row, column, value text
 *   values.remove "u"        the Sparse entry at that index
 *   values.draw              values drawn from the init distribution, to edit
 *   values.undo, values.redo the undo stack's steps (Ctrl+Z, Shift+Ctrl+Z) */
GtkWidget  *spk_transform_editor_new         (SpkConnection *connection,
                                              SpkUndoStack  *undo) G_GNUC_WARN_UNUSED_RESULT;

/* The message shown about the last refused input, or NULL. */
const char *spk_transform_editor_get_message (SpkTransformEditor *self);
/* The rows the table shows: a kernel's rows of the current channel pair,
 * or a Sparse transform's entries (0 while the values are drawn). */
guint       spk_transform_editor_get_n_rows  (SpkTransformEditor *self);
/* The channel pair shown (input channel, filter), from 0. */
void        spk_transform_editor_get_pair    (SpkTransformEditor *self,
                                              guint              *channel,
                                              guint              *filter);

G_END_DECLS
