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

#define SPK_TYPE_GRAPH_VIEW (spk_graph_view_get_type ())
G_DECLARE_FINAL_TYPE (SpkGraphView, spk_graph_view, SPK, GRAPH_VIEW, GtkWidget)

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
 * (transfer none) */
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
void        spk_graph_view_set_zoom         (SpkGraphView *self,
                                             double        zoom);

/* Marks an object invalid: a red badge on its card and the message on
 * hover; NULL clears it. */
void        spk_graph_view_set_object_error (SpkGraphView *self,
                                             SpkObject    *object,
                                             const char   *message);

/* Presentation mode: larger fonts, ports and lines for a projector. */
void        spk_graph_view_set_presentation (SpkGraphView *self,
                                             gboolean      presentation);

G_END_DECLS
