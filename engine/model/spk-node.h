/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-node.h — a Node: a non-neural source or sink.  Its output is a constant vector (output-value), an expression of t or (t, x) (output-expr), a process (output-process), or nothing: a pass-through of its size_in inputs.  Setting one output clears the others. */
#pragma once

#include <glib-object.h>

#include "model/spk-object.h"
#include "core/spk-array.h"
#include "model/spk-process.h"

G_BEGIN_DECLS

#define SPK_TYPE_NODE (spk_node_get_type ())
G_DECLARE_FINAL_TYPE (SpkNode, spk_node, SPK, NODE, SpkObject)

SpkNode *spk_node_new (void) G_GNUC_WARN_UNUSED_RESULT;
guint spk_node_get_size_in (SpkNode *self);
void spk_node_set_size_in (SpkNode *self, guint size_in);
int spk_node_get_size_out (SpkNode *self);
void spk_node_set_size_out (SpkNode *self, int size_out);
SpkArray *spk_node_get_output_value (SpkNode *self);
void spk_node_set_output_value (SpkNode *self, SpkArray *output_value);
const char *spk_node_get_output_expr (SpkNode *self);
void spk_node_set_output_expr (SpkNode *self, const char *output_expr);
SpkProcess *spk_node_get_output_process (SpkNode *self);
void spk_node_set_output_process (SpkNode *self, SpkProcess *output_process);


G_END_DECLS
