/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-graph-view.h — the canvas: a network drawn as a node graph of cards
 * (Nodes, Ensembles, Probes) with typed ports and connection curves, edited
 * with the mouse and the keyboard.
 *
 * The view edits the model (SpkNetwork and its objects) and the layout
 * (SpkLayout) directly; it keeps no copy of either, so an undo stack that
 * watches their notifications sees every edit.
 */
#pragma once

#include <gtk/gtk.h>

#include "model/spk-network.h"
#include "ui/graph/spk-layout.h"

G_BEGIN_DECLS

#define SPK_GRAPH_VIEW_ERROR (spk_graph_view_error_quark ())

/* Why spk_graph_view_connect() refused. */
typedef enum
{
  SPK_GRAPH_VIEW_ERROR_SHAPE,     /* sizes differ and only a transform could bridge them */
  SPK_GRAPH_VIEW_ERROR_NO_PORT,   /* the object has no such port (a probe's output, a node's neurons…) */
} SpkGraphViewError;

GQuark      spk_graph_view_error_quark      (void);

#define SPK_TYPE_GRAPH_VIEW (spk_graph_view_get_type ())
G_DECLARE_FINAL_TYPE (SpkGraphView, spk_graph_view, SPK, GRAPH_VIEW, GtkWidget)

/* Actions (prefix "graph."): add (Shift+A: the Add popover at the
 * pointer), add-object "s" (a type or preset name: "node", "ensemble",
 * "probe", "node-constant", "node-noise", "node-passthrough",
 * "ensemble-2d", "ensemble-relu"; created at the pointer or the centre),
 * delete (Delete, BackSpace), select-all (Ctrl+A), fit (Ctrl+0), zoom-in
 * (Ctrl+plus), zoom-out (Ctrl+minus), auto-layout (Ctrl+L: the selection
 * if any, else everything), copy (Ctrl+C), paste (Ctrl+V), duplicate
 * (Shift+D), activate (Return), nudge "(iib)" (arrow keys, Shift for a grid
 * step), group (Ctrl+G), ungroup (Ctrl+Shift+G), open-group (Alt+Down: open
 * the collapsed network the active object is in), close-group (Alt+Up:
 * close the innermost open network it is in), toggle-group (whichever of
 * the two applies; a double click on a network's card or title opens or
 * closes it).  Escape cancels a drag, else clears the
 * selection.
 *
 * Signals: "selection-changed", "object-activated" (SpkObject: Return or a
 * double click on a card; the window opens the inspector).
 *
 * Drop target: a GType (G_TYPE_GTYPE) or a type name string ("node",
 * "ensemble", "probe", or a preset above) dropped on the canvas adds that
 * object at the drop point. */
GtkWidget  *spk_graph_view_new              (void);

/* Properties "network" and "layout"; setting a network without a layout
 * lays it out automatically. */
SpkNetwork *spk_graph_view_get_network      (SpkGraphView *self);
void        spk_graph_view_set_network      (SpkGraphView *self,
                                             SpkNetwork   *network);
SpkLayout  *spk_graph_view_get_layout       (SpkGraphView *self);
void        spk_graph_view_set_layout       (SpkGraphView *self,
                                             SpkLayout    *layout);

/* Selection: property "active-object" (the last selected, which drives the
 * inspector) and signal "selection-changed". (transfer none) */
SpkObject  *spk_graph_view_get_active_object (SpkGraphView *self);
GPtrArray  *spk_graph_view_get_selection    (SpkGraphView *self);
void        spk_graph_view_select           (SpkGraphView *self,
                                             SpkObject    *object,
                                             gboolean      add);
void        spk_graph_view_select_all       (SpkGraphView *self);
void        spk_graph_view_clear_selection  (SpkGraphView *self);

/* Editing, as the palette, the Add popover and the tests use it.
 * add_object creates an object of type (SPK_TYPE_NODE, SPK_TYPE_ENSEMBLE or
 * SPK_TYPE_PROBE) with working defaults and a fresh label at canvas
 * coordinates (x, y), adds it, selects it and returns it. (transfer none) */
SpkObject  *spk_graph_view_add_object       (SpkGraphView *self,
                                             GType         type,
                                             double        x,
                                             double        y);
/* Connects pre's decoded output (or its neurons) to post's input (or its
 * neurons), refusing with a message saying why when the shapes cannot fit.
 * Decoded sizes must agree; into or out of neurons, differing sizes get a
 * Glorot-distributed transform of the right shape.  Connecting to a probe
 * sets the probe's target and returns NULL without an error.
 * (transfer none) (nullable) */
SpkConnection *spk_graph_view_connect       (SpkGraphView *self,
                                             SpkObject    *pre,
                                             gboolean      pre_neurons,
                                             SpkObject    *post,
                                             gboolean      post_neurons,
                                             GError      **error);
void        spk_graph_view_delete_selection (SpkGraphView *self);
void        spk_graph_view_fit              (SpkGraphView *self);
void        spk_graph_view_auto_layout      (SpkGraphView *self,
                                             gboolean      selection_only);
double      spk_graph_view_get_zoom         (SpkGraphView *self);
/* The middle of the view in layout units: where the palette adds. */
void        spk_graph_view_get_visible_center (SpkGraphView *self,
                                             double       *x,
                                             double       *y);
void        spk_graph_view_set_zoom         (SpkGraphView *self,
                                             double        zoom);

/* Sub-networks: the model's top-level networks (SpkSubnetwork), shown as
 * groups of the layout (SpkLayout) of their cards at any depth, drawn
 * collapsed as one network card whose ports are the members' ports that
 * connect outside the group, or open in place inside a titled frame.
 * Clicking a group's card or title selects its members, so moving,
 * deleting and copying a group is doing so to its members (deleting them
 * all deletes the network).  Grouping makes a network of the selection,
 * ungrouping dissolves one (spk-graph-view-networks.c). */
/* (transfer none) (nullable): the new network's label */
const char *spk_graph_view_group_selection  (SpkGraphView *self);
void        spk_graph_view_ungroup_selection (SpkGraphView *self);
/* Adds one of Nengo's built-in networks of kind (spk_model_network_kinds())
 * at canvas (x, y), collapsed and selected.  (transfer none) (nullable):
 * the network, NULL for an unknown kind */
SpkObject  *spk_graph_view_add_network      (SpkGraphView *self,
                                             const char   *kind,
                                             double        x,
                                             double        y);
/* What a palette tile dropped at widget (x, y) makes (spk-graph-view-input.c). */
gboolean    spk_graph_view_drop_value        (SpkGraphView  *self,
                                              const GValue  *value,
                                              double         x,
                                              double         y);
/* Sets a built-in network's parameter and remakes its objects, one undo
 * step (spk-graph-view-networks.c). */
gboolean    spk_graph_view_set_network_param (SpkGraphView  *self,
                                              SpkObject     *net,
                                              const char    *name,
                                              const GValue  *value,
                                              GError       **error);
/* The network whose card is selected (its cards exactly).
 * (transfer none) (nullable) */
SpkObject  *spk_graph_view_get_selected_network (SpkGraphView *self);
/* (transfer none) (nullable) */
const char *spk_graph_view_get_group_at     (SpkGraphView    *self,
                                             double           x,
                                             double           y);
gboolean    spk_graph_view_get_group_bounds (SpkGraphView    *self,
                                             const char      *label,
                                             graphene_rect_t *bounds);

/* Marks an object invalid: a red badge on its card and the message on
 * hover; NULL clears it. */
void        spk_graph_view_set_object_error (SpkGraphView *self,
                                             SpkObject    *object,
                                             const char   *message);

/* The decode errors of the last solve (SpkObject* → SpkArray*, RMSE per
 * output dimension; NULL: none): hovering a connection shows its error. */
void        spk_graph_view_set_decode_errors (SpkGraphView *self,
                                              GHashTable   *errors);
/* What the tooltip at a widget point says: why a card is invalid, or a
 * solved connection's decode error.  (transfer full) (nullable) */
char       *spk_graph_view_dup_tooltip_at   (SpkGraphView *self,
                                             double        x,
                                             double        y);

/* Presentation mode: larger fonts, ports and lines for a projector.
 * Property "presentation". */
void        spk_graph_view_set_presentation (SpkGraphView *self,
                                             gboolean      presentation);
gboolean    spk_graph_view_get_presentation (SpkGraphView *self);

/* Clipboard within the application: copy keeps detached copies of the
 * selected Nodes, Ensembles and Probes and of the connections between
 * them; paste adds new copies with fresh labels, offset, and selects them.
 * The actions graph.copy, graph.paste and graph.duplicate call these. */
void        spk_graph_view_copy             (SpkGraphView *self);
void        spk_graph_view_paste            (SpkGraphView *self);
void        spk_graph_view_duplicate        (SpkGraphView *self);

/* Where an object's card (or a connection's label) is, in widget
 * coordinates (for a member of a collapsed group, its group's card);
 * FALSE when it is not drawn. */
gboolean    spk_graph_view_get_object_bounds (SpkGraphView    *self,
                                              SpkObject       *object,
                                              graphene_rect_t *bounds);
/* The object drawn at a widget point: a card, or a connection's curve.
 * (transfer none) (nullable) */
SpkObject  *spk_graph_view_get_object_at    (SpkGraphView *self,
                                             double        x,
                                             double        y);

G_END_DECLS
