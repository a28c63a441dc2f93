/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-graph-view-private.h — the state SpkGraphView's files share.
 *
 * The view keeps prepared geometry: one SpkCard per Node, Ensemble and
 * Probe (its size, text layouts and ports) and one SpkEdge per connection
 * and per probe target (its Bézier curve, arrowhead, label and a polyline
 * for hit tests).  _spk_graph_view_rebuild() remakes them when the model or
 * the style changes; _spk_graph_view_update_geometry() only moves them when
 * the layout or the view changes.  snapshot() only draws what they hold.
 *
 * Groups (SpkLayout's sub-networks) get an SpkGroupCard: open, a titled
 * frame around its members; collapsed, one "network" card drawn instead of
 * them.  A collapsed group's member cards stay in the arrays, hidden; the
 * ports of theirs that connect outside the group are "exposed" and placed
 * on the group card's edges, so the edges that meet them, connection drags
 * and hit tests work unchanged.
 *
 * Coordinates: the layout holds each card's centre in layout units;
 * canvas = layout × scale (presentation mode spreads the cards as it grows
 * them); widget = canvas × zoom + offset.
 */
#pragma once

#include "spk-graph-view.h"

G_BEGIN_DECLS

#define SPK_GRAPH_GRID          24.0
#define SPK_GRAPH_EDGE_SAMPLES  24
#define SPK_GRAPH_ZOOM_MIN      0.1
#define SPK_GRAPH_ZOOM_MAX      4.0

typedef enum
{
  SPK_PORT_NONE = -1,
  SPK_PORT_INPUT,         /* decoded input: circle, left */
  SPK_PORT_NEURONS_IN,    /* neurons as a target: square, left */
  SPK_PORT_OUTPUT,        /* decoded output: circle, right */
  SPK_PORT_NEURONS_OUT,   /* neurons as a source: square, right */
  SPK_PORT_PROBE,         /* what a probe records: diamond, left */
  SPK_N_PORTS
} SpkPortKind;

typedef enum
{
  SPK_CARD_NODE,
  SPK_CARD_ENSEMBLE,
  SPK_CARD_PROBE,
  SPK_CARD_LAYER,
  SPK_N_CARD_KINDS
} SpkCardKind;

typedef struct
{
  gboolean present;
  gboolean exposed;       /* on the card of the collapsed group around it */
  double   x, y;          /* centre, canvas units */
  char    *tip;           /* hover text: name and size */
} SpkPort;

typedef struct _SpkGroupCard SpkGroupCard;

typedef struct
{
  SpkObject   *object;        /* borrowed: the network holds it */
  SpkGroupCard *group;        /* the group it is in; nullable */
  gboolean     hidden;        /* inside a collapsed group */
  SpkCardKind  kind;
  double       x, y, w, h;    /* canvas units; x, y the top-left corner */
  PangoLayout *kind_layout;   /* "Ensemble" in the header strip */
  PangoLayout *title_layout;  /* the label */
  PangoLayout *body_layout;   /* details, one per line */
  PangoLayout *neurons_layout; /* "neurons", on an ensemble's neuron row */
  SpkPort      ports[SPK_N_PORTS];
  char        *description;   /* for assistive technologies */
} SpkCard;

/* A port of a collapsed group's card: an exposed port of a member. */
typedef struct
{
  SpkCard     *member;
  SpkPortKind  kind;
  PangoLayout *name;          /* the member's label, beside the port */
} SpkGroupPort;

/* A group card shows a network: a top-level one (the layout's group of
 * its label) or, inside an open one, each network nested in it, collapsed
 * (a card of its own among the open group's cards) or open (a frame
 * inside the outer frame).  self->groups lists each before those nested
 * in it. */
struct _SpkGroupCard
{
  SpkLayoutGroup *group;      /* borrowed: the layout holds it; NULL for a
                               * nested network not opened yet */
  SpkObject   *net;           /* borrowed; nullable (a group without its
                               * network, as a session may hold) */
  SpkGroupCard *parent;       /* the open group it is nested in, or NULL */
  char        *label;
  gboolean     collapsed;
  GPtrArray   *members;       /* SpkCard*, the cards inside it at any depth */
  double       x, y, w, h;    /* collapsed: the card; open: the frame, header included */
  double       header_h;
  PangoLayout *kind_layout;   /* "Network" */
  PangoLayout *title_layout;
  PangoLayout *body_layout;   /* what is inside, counted */
  GArray      *inputs;        /* SpkGroupPort, down the left edge */
  GArray      *outputs;       /* SpkGroupPort, down the right edge */
  char        *description;
};

typedef struct
{
  SpkObject   *object;        /* a connection, or the probe of a target edge */
  SpkCard     *pre;
  SpkCard     *post;
  SpkPortKind  pre_port;
  SpkPortKind  post_port;
  gboolean     is_probe;
  gboolean     is_loop;
  gboolean     hidden;        /* inside a collapsed group */
  gboolean     drops;         /* a probe's edge coming down into it */
  /* An error connection ends on the learning connection it feeds (its
   * label), not on a port; post is then that connection's post card. */
  gpointer     post_edge;     /* SpkEdge, or NULL */
  guint        fan_index;     /* among edges joining the same two ports */
  guint        fan_count;
  PangoLayout *label;         /* function and synapse; nullable */
  double       label_w, label_h;
  double       label_x, label_y;            /* label centre */
  double       p[4][2];                     /* the cubic Bézier */
  double       arrow[3][2];                 /* tip, then the two wings */
  double       poly[SPK_GRAPH_EDGE_SAMPLES + 1][2];
} SpkEdge;

typedef enum
{
  SPK_DRAG_NONE,
  SPK_DRAG_PAN,
  SPK_DRAG_MOVE,
  SPK_DRAG_CONNECT,
  SPK_DRAG_RUBBER,
} SpkDragMode;

typedef enum
{
  SPK_COLOR_BG,
  SPK_COLOR_FG,
  SPK_COLOR_DIM_FG,
  SPK_COLOR_GRID,
  SPK_COLOR_CARD,
  SPK_COLOR_CARD_BORDER,
  SPK_COLOR_SHADOW,
  SPK_COLOR_NODE,
  SPK_COLOR_ENSEMBLE,
  SPK_COLOR_PROBE,
  SPK_COLOR_LAYER,
  SPK_COLOR_HEADER_FG,
  SPK_COLOR_EDGE,
  SPK_COLOR_LABEL_BG,
  SPK_COLOR_ACCENT,
  SPK_COLOR_ERROR,
  SPK_COLOR_OK,
  SPK_COLOR_VALUE_PORT,
  SPK_COLOR_NEURON_PORT,
  SPK_COLOR_NETWORK,
  SPK_N_COLORS
} SpkColor;

struct _SpkGraphView
{
  GtkWidget   parent_instance;

  SpkNetwork *network;
  SpkLayout  *layout;
  gulong      added_id, removed_id, layout_changed_id;
  GHashTable *network_labels;    /* SpkSubnetwork* → its label as last seen */
  gboolean    placing_network;   /* a built-in network's objects arrive */

  /* Prepared geometry. */
  GPtrArray  *cards;          /* SpkCard*, in network order */
  GHashTable *card_map;       /* SpkObject* → SpkCard* */
  GPtrArray  *edges;          /* SpkEdge* */
  GPtrArray  *groups;         /* SpkGroupCard*, in the layout's order */
  GHashTable *errors;         /* SpkObject* → message */
  GHashTable *decode_errors;  /* SpkObject* → SpkArray* (RMSE per output), or NULL */

  /* Style, read from CSS when it changes. */
  GdkRGBA     colors[SPK_N_COLORS];
  double      scale;          /* 1, or larger in presentation mode */
  char       *font;           /* the font the text layouts were made with */
  gboolean    presentation;

  /* The view. */
  double      zoom;
  double      off_x, off_y;
  gboolean    fit_pending;
  gboolean    fitted;         /* as the last fit left it (no pan or zoom
                               * since): a new size fits again */
  int         fit_width, fit_height;  /* the size of that fit */

  /* Selection: the last element is the active object. */
  GPtrArray  *selection;      /* SpkObject*, referenced */
  SpkObject  *focus_object;   /* keyboard focus among cards; borrowed */

  /* Pointer and drags, in widget coordinates. */
  double      pointer_x, pointer_y;
  gboolean    pointer_inside;
  gboolean    space_down;
  SpkDragMode drag_mode;
  double      drag_x0, drag_y0;       /* where the drag started */
  double      drag_x, drag_y;         /* where it is now */
  double      pan_off_x0, pan_off_y0;
  GArray     *move_origins;           /* double pairs, one per selected object */
  GtkGesture *drag_gesture;           /* owned by the widget */
  gboolean    batch_open;             /* a move drag holds a layout batch */
  SpkGroupCard *drag_group;           /* a move drag started on a group */
  SpkCard    *drag_card;
  SpkPortKind drag_port;
  SpkCard    *target_card;            /* a connection drag's candidate */
  SpkPortKind target_port;
  char       *drag_message;           /* why the candidate is refused */
  GPtrArray  *rubber_base;            /* selection before a Shift rubber band */
  SpkCard    *hover_card;
  SpkPortKind hover_port;
  PangoLayout *hover_layout;          /* the hovered port's name and size */
  PangoLayout *message_layout;        /* drag_message, drawn by the pointer */
  PangoLayout *empty_layout;          /* what to do on an empty canvas */
  double      zoom_gesture_start;

  /* Popovers. */
  GtkWidget  *add_popover;
  GtkWidget  *add_entry;
  GtkWidget  *add_list;
  double      add_x, add_y;           /* canvas: where the new object goes */
  SpkObject  *add_pre;                /* a connection drag released on empty canvas */
  gboolean    add_pre_neurons;
  gboolean    add_networks_only;      /* the Network tile was dropped */
  GtkWidget  *message_popover;
  GtkWidget  *message_label;
  guint       message_timeout;
  GtkWidget  *connect_popover;        /* spk-graph-view-connect.c */
  GtkWidget  *connect_title;
  GtkWidget  *connect_entry;
  GtkWidget  *connect_list;
  SpkObject  *connect_pre;            /* what the rows connect from */
  double      connect_x, connect_y;   /* widget: where the popover points */

  /* Copy and paste: detached copies and their positions. */
  GPtrArray  *clipboard;              /* SpkObject* */
  GArray     *clipboard_positions;    /* double pairs */
  guint       paste_count;
};

/* spk-graph-view.c */
void         _spk_graph_view_changed            (SpkGraphView *self);
void         _spk_graph_view_set_selection      (SpkGraphView *self,
                                                 GPtrArray    *objects);
void         _spk_graph_view_move_by            (SpkGraphView *self,
                                                 GPtrArray    *objects,
                                                 double        dx,
                                                 double        dy,
                                                 gboolean      snap);
void         _spk_graph_view_set_focus_object   (SpkGraphView *self,
                                                 SpkObject    *object);
void         _spk_graph_view_select_group       (SpkGraphView *self,
                                                 SpkGroupCard *group,
                                                 gboolean      add);
void         _spk_graph_view_toggle_group       (SpkGraphView *self,
                                                 SpkGroupCard *group);
void         _spk_graph_view_end_drag           (SpkGraphView *self);
void         _spk_graph_view_zoom_at            (SpkGraphView *self,
                                                 double        zoom,
                                                 double        wx,
                                                 double        wy);
SpkObject   *_spk_graph_view_add_preset         (SpkGraphView *self,
                                                 const char   *preset,
                                                 double        x,
                                                 double        y);
void         _spk_graph_view_show_message       (SpkGraphView *self,
                                                 const char   *message,
                                                 double        wx,
                                                 double        wy);

/* spk-graph-view-geometry.c */
void         _spk_graph_card_free               (gpointer      card);
void         _spk_graph_group_card_free         (gpointer      group);
void         _spk_graph_edge_free               (gpointer      edge);
void         _spk_graph_view_rebuild            (SpkGraphView *self);
void         _spk_graph_view_update_geometry    (SpkGraphView *self);
void         _spk_graph_view_clear_geometry     (SpkGraphView *self);
double       _spk_graph_view_port_radius        (SpkGraphView *self);
PangoLayout *_spk_graph_view_make_text          (SpkGraphView *self,
                                                 const char   *text,
                                                 gboolean      bold);

/* spk-graph-view-hit.c */
SpkCard     *_spk_graph_view_lookup_card        (SpkGraphView *self,
                                                 SpkObject    *object);
SpkCard     *_spk_graph_view_card_at            (SpkGraphView *self,
                                                 double        cx,
                                                 double        cy);
SpkCard     *_spk_graph_view_port_at            (SpkGraphView *self,
                                                 double        cx,
                                                 double        cy,
                                                 SpkPortKind  *port);
SpkEdge     *_spk_graph_view_edge_at            (SpkGraphView *self,
                                                 double        cx,
                                                 double        cy);
SpkGroupCard *_spk_graph_view_group_at          (SpkGraphView *self,
                                                 double        cx,
                                                 double        cy);
SpkGroupCard *_spk_graph_view_lookup_group      (SpkGraphView *self,
                                                 const char   *label);
gboolean     _spk_graph_view_error_badge_at     (SpkGraphView *self,
                                                 SpkCard      *card,
                                                 double        cx,
                                                 double        cy);
void         _spk_graph_view_cards_bounds       (SpkGraphView *self,
                                                 GPtrArray    *objects,
                                                 graphene_rect_t *bounds);
void         _spk_graph_view_to_canvas          (SpkGraphView *self,
                                                 double        wx,
                                                 double        wy,
                                                 double       *cx,
                                                 double       *cy);
void         _spk_graph_view_to_layout          (SpkGraphView *self,
                                                 double        wx,
                                                 double        wy,
                                                 double       *lx,
                                                 double       *ly);

/* spk-graph-view-connect.c */
void         _spk_graph_view_init_connect       (SpkGraphView *self);
void         _spk_graph_view_popup_connect      (SpkGraphView *self);

/* spk-graph-view-draw.c */
void         _spk_graph_view_load_css           (void);
void         _spk_graph_view_read_style         (SpkGraphView *self);
void         _spk_graph_view_snapshot           (GtkWidget    *widget,
                                                 GtkSnapshot  *snapshot);

/* spk-graph-view-input.c */
/* What a right click at (x, y) in widget coordinates does. */
void         _spk_graph_view_context_click      (SpkGraphView *self,
                                                 double        x,
                                                 double        y);
void         _spk_graph_view_init_input         (SpkGraphView *self);
gboolean     _spk_graph_view_focus              (GtkWidget    *widget,
                                                 GtkDirectionType direction);
char        *_spk_graph_view_dup_focus_tooltip  (SpkGraphView *self);
gboolean     _spk_graph_view_query_tooltip      (GtkWidget    *widget,
                                                 int           x,
                                                 int           y,
                                                 gboolean      keyboard,
                                                 GtkTooltip   *tooltip);

/* spk-graph-view-popovers.c */
void         _spk_graph_view_init_popovers      (SpkGraphView *self);
void         _spk_graph_view_popup_add          (SpkGraphView *self,
                                                 double        wx,
                                                 double        wy,
                                                 SpkObject    *pre,
                                                 gboolean      pre_neurons);
void         _spk_graph_view_popup_add_network  (SpkGraphView *self,
                                                 double        wx,
                                                 double        wy);

/* spk-graph-shapes.c: what a port carries, and whether two ports fit. */
guint        _spk_graph_output_size             (SpkObject    *object,
                                                 gboolean      neurons);
guint        _spk_graph_input_size              (SpkObject    *object,
                                                 gboolean      neurons);
gboolean     _spk_graph_check_connection        (SpkObject    *pre,
                                                 gboolean      pre_neurons,
                                                 SpkObject    *post,
                                                 gboolean      post_neurons,
                                                 gboolean     *needs_transform,
                                                 GError      **error);

/* spk-graph-auto-layout.c: a left-to-right layered layout.  boxes holds
 * SpkGraphBox; links SpkGraphLink. */
typedef struct
{
  double w, h;      /* in: the card's size */
  int    below;     /* in: the box this one hangs under (a probe under its
                     * target), or -1 for a box of its own */
  double x, y;      /* out: the card's centre */
} SpkGraphBox;

typedef struct
{
  guint  pre, post; /* indices into boxes */
  double gap;       /* the room its label needs between two columns */
} SpkGraphLink;

void         _spk_graph_auto_layout             (GArray       *boxes,
                                                 GArray       *links,
                                                 double        column_gap,
                                                 double        row_gap,
                                                 double        hang_gap);

/* Constants of the view's files. */
#define PASTE_OFFSET     (2 * SPK_GRAPH_GRID)
#define NUDGE_STEP       8
#define PRESENTATION     1.45
#define CARD_COLUMN_REACH 120.0   /* cards this close to the left edge start the graph */

/* spk-graph-view.c, spk-graph-view-edit.c and spk-graph-view-fit.c. */
gboolean _spk_graph_view_is_card_object (SpkObject *object);

/* spk-graph-view-networks.c: the groups are the model's sub-networks. */
SpkObject *_spk_graph_view_outermost               (SpkObject    *object);
void       _spk_graph_view_groups_from_networks    (SpkGraphView *self);
void       _spk_graph_view_adopt_groups            (SpkGraphView *self);
void       _spk_graph_view_lay_out_networks        (SpkGraphView *self);
void       _spk_graph_view_remember_networks       (SpkGraphView *self);
void       _spk_graph_view_network_renamed         (SpkGraphView *self,
                                                    SpkObject    *net);
void       _spk_graph_view_network_removed         (SpkGraphView *self,
                                                    SpkObject    *net);
void       _spk_graph_view_move_into               (SpkObject    *object,
                                                    SpkObject    *net);
gboolean   _spk_graph_view_wholly_selected         (SpkGraphView *self,
                                                    SpkObject    *net);
gboolean   _spk_graph_view_network_label_free      (SpkNetwork   *network,
                                                    const char   *label);
void       _spk_graph_view_note_networks_of        (SpkObject    *object,
                                                    GPtrArray    *nets);
void       _spk_graph_view_remove_emptied_networks (SpkGraphView *self,
                                                    GPtrArray    *nets);

/* spk-graph-view-fit.c */
void       _spk_graph_view_lay_out_network         (SpkGraphView *self,
                                                    SpkObject    *net);

/* spk-graph-view-edit.c */
char      *_spk_graph_view_fresh_label             (SpkNetwork   *network,
                                                    const char   *wanted,
                                                    guint         first);
void _spk_graph_view_store_zoom (SpkGraphView *self,
                                 double        zoom);

G_END_DECLS
