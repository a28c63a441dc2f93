/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-graph-view.c — SpkGraphView: the canvas on which a network is drawn
 * and edited.  This file holds the type, its properties and signals, how it
 * follows the model and the layout, the selection, moving, hit tests and
 * the actions that invoke the editing commands.  The commands themselves
 * (add, connect, delete, group, copy and paste) are in
 * spk-graph-view-edit.c, fitting in view and laying out in
 * spk-graph-view-fit.c; drawing, input, popovers, shapes and the
 * automatic layout live in the other spk-graph-* files around
 * spk-graph-view-private.h.
 *
 * The view holds no copy of the model: every edit goes to the SpkNetwork or
 * the SpkLayout, and the view redraws from their signals, so edits made by
 * others (the inspector, undo) show the same way as its own.
 */
#define G_LOG_DOMAIN "spk-graph-view"

#include "spk-graph-view-private.h"

#include "model/spk-subnetwork.h"

#include <glib/gi18n.h>
#include <math.h>

G_DEFINE_FINAL_TYPE (SpkGraphView, spk_graph_view, GTK_TYPE_WIDGET)

G_DEFINE_QUARK (spk-graph-view-error-quark, spk_graph_view_error)

enum
{
  PROP_0,
  PROP_NETWORK,
  PROP_LAYOUT,
  PROP_ACTIVE_OBJECT,
  PROP_ZOOM,
  PROP_PRESENTATION,
  N_PROPS
};

enum
{
  SELECTION_CHANGED,
  OBJECT_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void connect_network (SpkGraphView *self);
static void disconnect_network (SpkGraphView *self);

/* Model tracking. */

static void
object_notify_cb (SpkObject    *object,
                  GParamSpec   *pspec,
                  SpkGraphView *self)
{
  if (SPK_IS_SUBNETWORK (object) && g_str_equal (pspec->name, "label"))
    _spk_graph_view_network_renamed (self, object);
  _spk_graph_view_changed (self);
}

static void
update_accessible (SpkGraphView *self)
{
  SpkCard *card = _spk_graph_view_lookup_card (self, self->focus_object);
  const char *error = self->focus_object != NULL
                      ? g_hash_table_lookup (self->errors, self->focus_object) : NULL;
  g_autofree char *description = NULL;

  if (card == NULL)
    description = g_strdup_printf (ngettext ("%u object", "%u objects", self->cards->len),
                                   self->cards->len);
  else if (error != NULL)
    description = g_strdup_printf ("%s; %s", card->description, error);
  else
    description = g_strdup (card->description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

/* The model changed: remake the geometry from it. */
void
_spk_graph_view_changed (SpkGraphView *self)
{
  _spk_graph_view_rebuild (self);
  update_accessible (self);
}

gboolean
_spk_graph_view_is_card_object (SpkObject *object)
{
  return SPK_IS_NODE (object) || SPK_IS_ENSEMBLE (object) || SPK_IS_PROBE (object) || SPK_IS_LAYER (object);
}

/* The room a new card takes, in layout units: the widest card, the height
 * of a card with a few lines, and a grid step of air around it. */
#define NEW_CARD_W 230.0
#define NEW_CARD_H 96.0

/* Would a new card centred at (x, y) (layout units) keep clear of every
 * card drawn? */
static gboolean
spot_is_clear (SpkGraphView *self,
               double        x,
               double        y)
{
  double s = self->scale;

  for (guint i = 0; i < self->cards->len; i++)
    {
      SpkCard *card = g_ptr_array_index (self->cards, i);

      if (card->hidden)
        continue;
      if (fabs (card->x + card->w / 2 - x * s) < card->w / 2 + (NEW_CARD_W / 2 + SPK_GRAPH_GRID) * s
          && fabs (card->y + card->h / 2 - y * s) < card->h / 2 + (NEW_CARD_H / 2 + SPK_GRAPH_GRID) * s)
        return FALSE;
    }
  return TRUE;
}

/* A free spot near the middle of the view for an object that arrived
 * without a position (added by the inspector, a lesson's Show me, a
 * script, or undo): the nearest place, ring by ring around the middle,
 * where its card overlaps no other card. */
static void
place_new (SpkGraphView *self,
           SpkObject    *object)
{
  double cx, cy;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  const double step_x = 10 * SPK_GRAPH_GRID, step_y = 5 * SPK_GRAPH_GRID;

  if (self->layout == NULL || !_spk_graph_view_is_card_object (object)
      || spk_layout_get_position (self->layout, object, NULL, NULL))
    return;
  _spk_graph_view_to_layout (self, width > 0 ? width / 2.0 : 0, height > 0 ? height / 2.0 : 0, &cx, &cy);
  cx = round (cx / SPK_GRAPH_GRID) * SPK_GRAPH_GRID;
  cy = round (cy / SPK_GRAPH_GRID) * SPK_GRAPH_GRID;
  for (int ring = 0; ring < 16; ring++)
    for (int j = -ring; j <= ring; j++)
      for (int i = -ring; i <= ring; i++)
        if (MAX (ABS (i), ABS (j)) == ring && spot_is_clear (self, cx + i * step_x, cy + j * step_y))
          {
            spk_layout_set_position (self->layout, object, cx + i * step_x, cy + j * step_y);
            return;
          }
  spk_layout_set_position (self->layout, object, cx, cy);
}

static void
object_added_cb (SpkNetwork   *network,
                 SpkObject    *object,
                 SpkGraphView *self)
{
  g_signal_connect_object (object, "notify", G_CALLBACK (object_notify_cb), self, 0);
  if (SPK_IS_SUBNETWORK (object))
    _spk_graph_view_network_renamed (self, object);
  if (self->placing_network)
    return;
  place_new (self, object);
  _spk_graph_view_changed (self);
}

static void
object_removed_cb (SpkNetwork   *network,
                   SpkObject    *object,
                   SpkGraphView *self)
{
  gboolean was_selected;

  g_signal_handlers_disconnect_by_func (object, object_notify_cb, self);
  _spk_graph_view_network_removed (self, object);
  if (self->focus_object == object)
    self->focus_object = NULL;
  g_hash_table_remove (self->errors, object);
  was_selected = g_ptr_array_remove (self->selection, object);
  if (self->layout != NULL)
    spk_layout_remove (self->layout, object);
  _spk_graph_view_changed (self);
  if (was_selected)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_OBJECT]);
      g_signal_emit (self, signals[SELECTION_CHANGED], 0);
    }
}

/* A move only moves geometry; a change of the groups changes which cards
 * and edges are drawn. */
static void
layout_changed_cb (SpkLayout    *layout,
                   SpkObject    *object,
                   SpkGraphView *self)
{
  if (object == NULL)
    {
      _spk_graph_view_changed (self);
      /* The same selection reads differently once it is (or is no
       * longer) a group: the inspector names the sub-network. */
      if (self->selection->len > 1)
        g_signal_emit (self, signals[SELECTION_CHANGED], 0);
    }
  else
    _spk_graph_view_update_geometry (self);
}

static void
connect_network (SpkGraphView *self)
{
  GPtrArray *objects = spk_network_get_objects (self->network);

  self->added_id = g_signal_connect (self->network, "object-added",
                                     G_CALLBACK (object_added_cb), self);
  self->removed_id = g_signal_connect (self->network, "object-removed",
                                       G_CALLBACK (object_removed_cb), self);
  for (guint i = 0; i < objects->len; i++)
    g_signal_connect_object (g_ptr_array_index (objects, i), "notify",
                             G_CALLBACK (object_notify_cb), self, 0);
}

static void
disconnect_network (SpkGraphView *self)
{
  GPtrArray *objects = spk_network_get_objects (self->network);

  g_clear_signal_handler (&self->added_id, self->network);
  g_clear_signal_handler (&self->removed_id, self->network);
  for (guint i = 0; i < objects->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (objects, i), object_notify_cb, self);
}

/* GObject and GtkWidget. */

static void
spk_graph_view_dispose (GObject *object)
{
  SpkGraphView *self = SPK_GRAPH_VIEW (object);

  _spk_graph_view_end_drag (self);
  g_clear_handle_id (&self->message_timeout, g_source_remove);
  g_clear_pointer (&self->add_popover, gtk_widget_unparent);
  g_clear_pointer (&self->message_popover, gtk_widget_unparent);
  g_clear_pointer (&self->connect_popover, gtk_widget_unparent);
  g_clear_object (&self->connect_pre);
  if (self->network != NULL)
    disconnect_network (self);
  g_clear_object (&self->network);
  if (self->layout != NULL)
    g_clear_signal_handler (&self->layout_changed_id, self->layout);
  g_clear_object (&self->layout);
  g_clear_object (&self->add_pre);
  if (self->selection != NULL)
    g_ptr_array_set_size (self->selection, 0);
  if (self->cards != NULL)
    _spk_graph_view_clear_geometry (self);
  G_OBJECT_CLASS (spk_graph_view_parent_class)->dispose (object);
}

static void
spk_graph_view_finalize (GObject *object)
{
  SpkGraphView *self = SPK_GRAPH_VIEW (object);

  g_ptr_array_unref (self->groups);
  g_ptr_array_unref (self->edges);
  g_ptr_array_unref (self->cards);
  g_hash_table_unref (self->card_map);
  g_hash_table_unref (self->errors);
  g_hash_table_unref (self->network_labels);
  g_clear_pointer (&self->decode_errors, g_hash_table_unref);
  g_ptr_array_unref (self->selection);
  g_clear_pointer (&self->rubber_base, g_ptr_array_unref);
  g_array_unref (self->move_origins);
  g_ptr_array_unref (self->clipboard);
  g_array_unref (self->clipboard_positions);
  g_free (self->drag_message);
  g_free (self->font);
  g_clear_object (&self->hover_layout);
  g_clear_object (&self->message_layout);
  g_clear_object (&self->empty_layout);
  G_OBJECT_CLASS (spk_graph_view_parent_class)->finalize (object);
}

static void
spk_graph_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SpkGraphView *self = SPK_GRAPH_VIEW (object);

  switch (prop_id)
    {
    case PROP_NETWORK:
      g_value_set_object (value, self->network);
      break;
    case PROP_LAYOUT:
      g_value_set_object (value, self->layout);
      break;
    case PROP_ACTIVE_OBJECT:
      g_value_set_object (value, spk_graph_view_get_active_object (self));
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    case PROP_PRESENTATION:
      g_value_set_boolean (value, self->presentation);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
spk_graph_view_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SpkGraphView *self = SPK_GRAPH_VIEW (object);

  switch (prop_id)
    {
    case PROP_NETWORK:
      spk_graph_view_set_network (self, g_value_get_object (value));
      break;
    case PROP_LAYOUT:
      spk_graph_view_set_layout (self, g_value_get_object (value));
      break;
    case PROP_ZOOM:
      spk_graph_view_set_zoom (self, g_value_get_double (value));
      break;
    case PROP_PRESENTATION:
      spk_graph_view_set_presentation (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
spk_graph_view_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  *minimum = 120;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 800 : 560;
}

static void
spk_graph_view_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  SpkGraphView *self = SPK_GRAPH_VIEW (widget);

  /* Until the user pans or zooms, the view follows its size (a window
   * maximised after it opened, the slider panel or a lesson arriving). */
  if ((self->fit_pending || (self->fitted && (width != self->fit_width || height != self->fit_height)))
      && width > 0 && height > 0)
    spk_graph_view_fit (self);
  if (self->add_popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->add_popover));
  if (self->message_popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->message_popover));
  if (self->connect_popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->connect_popover));
}

static void
spk_graph_view_css_changed (GtkWidget         *widget,
                            GtkCssStyleChange *change)
{
  SpkGraphView *self = SPK_GRAPH_VIEW (widget);

  g_autofree char *font = NULL;

  GTK_WIDGET_CLASS (spk_graph_view_parent_class)->css_changed (widget, change);
  _spk_graph_view_read_style (self);
  /* Colours only need a redraw; a new font needs new text layouts. */
  font = pango_font_description_to_string (pango_context_get_font_description (gtk_widget_get_pango_context (widget)));
  if (g_strcmp0 (font, self->font) != 0)
    {
      g_free (self->font);
      self->font = g_steal_pointer (&font);
      _spk_graph_view_changed (self);
    }
  gtk_widget_queue_draw (widget);
}

static void
spk_graph_view_state_flags_changed (GtkWidget     *widget,
                                    GtkStateFlags  previous)
{
  /* The focus ring follows keyboard focus. */
  if ((gtk_widget_get_state_flags (widget) ^ previous) & (GTK_STATE_FLAG_FOCUS_VISIBLE | GTK_STATE_FLAG_FOCUSED))
    gtk_widget_queue_draw (widget);
  GTK_WIDGET_CLASS (spk_graph_view_parent_class)->state_flags_changed (widget, previous);
}

/* Actions. */

static void
add_action_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SpkGraphView *self = SPK_GRAPH_VIEW (widget);
  double x = self->pointer_x, y = self->pointer_y;

  if (!self->pointer_inside)
    {
      x = gtk_widget_get_width (widget) / 2.0;
      y = gtk_widget_get_height (widget) / 3.0;
    }
  _spk_graph_view_popup_add (self, x, y, NULL, FALSE);
}

static void
add_object_action_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  SpkGraphView *self = SPK_GRAPH_VIEW (widget);
  const char *preset = g_variant_get_string (parameter, NULL);
  double x, y;

  if (self->pointer_inside)
    _spk_graph_view_to_layout (self, self->pointer_x, self->pointer_y, &x, &y);
  else
    _spk_graph_view_to_layout (self, gtk_widget_get_width (widget) / 2.0,
                               gtk_widget_get_height (widget) / 2.0, &x, &y);
  _spk_graph_view_add_preset (self, preset, x, y);
}

static void
delete_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  spk_graph_view_delete_selection (SPK_GRAPH_VIEW (widget));
}

static void
connect_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  _spk_graph_view_popup_connect (SPK_GRAPH_VIEW (widget));
}

static void
select_all_action_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  spk_graph_view_select_all (SPK_GRAPH_VIEW (widget));
}

static void
fit_action_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  spk_graph_view_fit (SPK_GRAPH_VIEW (widget));
}

static void
zoom_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SpkGraphView *self = SPK_GRAPH_VIEW (widget);
  double factor = g_str_equal (action_name, "graph.zoom-in") ? 1.25 : 1 / 1.25;

  _spk_graph_view_zoom_at (self, self->zoom * factor,
                           gtk_widget_get_width (widget) / 2.0,
                           gtk_widget_get_height (widget) / 2.0);
}

static void
auto_layout_action_cb (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SpkGraphView *self = SPK_GRAPH_VIEW (widget);
  guint n_cards = 0;

  for (guint i = 0; i < self->selection->len; i++)
    if (_spk_graph_view_is_card_object (g_ptr_array_index (self->selection, i)))
      n_cards++;
  spk_graph_view_auto_layout (self, n_cards > 1);
}

static void
copy_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  spk_graph_view_copy (SPK_GRAPH_VIEW (widget));
}

static void
paste_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  spk_graph_view_paste (SPK_GRAPH_VIEW (widget));
}

static void
duplicate_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  spk_graph_view_duplicate (SPK_GRAPH_VIEW (widget));
}

static void
group_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  spk_graph_view_group_selection (SPK_GRAPH_VIEW (widget));
}

static void
ungroup_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  spk_graph_view_ungroup_selection (SPK_GRAPH_VIEW (widget));
}

/* Opens the collapsed network the active object (or the focused one) is
 * hidden in (open-group, Alt+Down), closes the innermost open one it is
 * in (close-group, Alt+Up), or does whichever applies (toggle-group). */
static void
open_close_group_action_cb (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  SpkGraphView *self = SPK_GRAPH_VIEW (widget);
  SpkObject *object = spk_graph_view_get_active_object (self);
  gboolean open = g_str_equal (action_name, "graph.open-group");
  gboolean close = g_str_equal (action_name, "graph.close-group");
  SpkGroupCard *group;
  SpkCard *card;

  if (object == NULL)
    object = self->focus_object;
  card = _spk_graph_view_lookup_card (self, object);
  if (card == NULL || (group = card->group) == NULL)
    return;
  if (card->hidden && !close)
    _spk_graph_view_toggle_group (self, group);
  else if (!open)
    {
      /* The innermost open network around the card. */
      if (group->collapsed)
        group = group->parent;
      if (group != NULL)
        _spk_graph_view_toggle_group (self, group);
    }
}

static void
activate_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SpkGraphView *self = SPK_GRAPH_VIEW (widget);
  SpkObject *object = spk_graph_view_get_active_object (self);
  SpkObject *net = spk_graph_view_get_selected_network (self);
  SpkGroupCard *group;

  /* A selected sub-network card opens or closes, as a double click on
   * it does. */
  if (net != NULL && (group = _spk_graph_view_lookup_group (self, spk_object_get_label (net))) != NULL)
    {
      _spk_graph_view_toggle_group (self, group);
      return;
    }
  if (object == NULL)
    object = self->focus_object;
  if (object != NULL)
    g_signal_emit (self, signals[OBJECT_ACTIVATED], 0, object);
}

static void
nudge_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SpkGraphView *self = SPK_GRAPH_VIEW (widget);
  int dx, dy;
  gboolean snap;

  g_variant_get (parameter, "(iib)", &dx, &dy, &snap);
  if (self->selection->len == 0 && self->focus_object != NULL)
    spk_graph_view_select (self, self->focus_object, FALSE);
  _spk_graph_view_move_by (self, self->selection,
                           dx * (snap ? SPK_GRAPH_GRID : NUDGE_STEP),
                           dy * (snap ? SPK_GRAPH_GRID : NUDGE_STEP), snap);
}

static void
spk_graph_view_class_init (SpkGraphViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  static const struct { guint key; int dx, dy; } arrows[] = {
    { GDK_KEY_Left, -1, 0 }, { GDK_KEY_Right, 1, 0 }, { GDK_KEY_Up, 0, -1 }, { GDK_KEY_Down, 0, 1 },
  };

  object_class->dispose = spk_graph_view_dispose;
  object_class->finalize = spk_graph_view_finalize;
  object_class->get_property = spk_graph_view_get_property;
  object_class->set_property = spk_graph_view_set_property;

  widget_class->measure = spk_graph_view_measure;
  widget_class->size_allocate = spk_graph_view_size_allocate;
  widget_class->snapshot = _spk_graph_view_snapshot;
  widget_class->css_changed = spk_graph_view_css_changed;
  widget_class->state_flags_changed = spk_graph_view_state_flags_changed;
  widget_class->focus = _spk_graph_view_focus;
  widget_class->query_tooltip = _spk_graph_view_query_tooltip;

  properties[PROP_NETWORK] =
    g_param_spec_object ("network", NULL, NULL, SPK_TYPE_NETWORK, flags);
  properties[PROP_LAYOUT] =
    g_param_spec_object ("layout", NULL, NULL, SPK_TYPE_LAYOUT, flags);
  properties[PROP_ACTIVE_OBJECT] =
    g_param_spec_object ("active-object", NULL, NULL, SPK_TYPE_OBJECT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, SPK_GRAPH_ZOOM_MIN, SPK_GRAPH_ZOOM_MAX, 1.0, flags);
  properties[PROP_PRESENTATION] =
    g_param_spec_boolean ("presentation", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SpkGraphView::selection-changed:
   *
   * The set of selected objects, or which of them is active, changed.
   */
  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * SpkGraphView::object-activated:
   * @object: the object to inspect
   *
   * Return on the active object, or a double click on a card.
   */
  signals[OBJECT_ACTIVATED] =
    g_signal_new ("object-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, SPK_TYPE_OBJECT);

  gtk_widget_class_install_action (widget_class, "graph.add", NULL, add_action_cb);
  gtk_widget_class_install_action (widget_class, "graph.add-object", "s", add_object_action_cb);
  gtk_widget_class_install_action (widget_class, "graph.delete", NULL, delete_action_cb);
  gtk_widget_class_install_action (widget_class, "graph.connect", NULL, connect_action_cb);
  gtk_widget_class_install_action (widget_class, "graph.select-all", NULL, select_all_action_cb);
  gtk_widget_class_install_action (widget_class, "graph.fit", NULL, fit_action_cb);
  gtk_widget_class_install_action (widget_class, "graph.zoom-in", NULL, zoom_action_cb);
  gtk_widget_class_install_action (widget_class, "graph.zoom-out", NULL, zoom_action_cb);
  gtk_widget_class_install_action (widget_class, "graph.auto-layout", NULL, auto_layout_action_cb);
  gtk_widget_class_install_action (widget_class, "graph.copy", NULL, copy_action_cb);
  gtk_widget_class_install_action (widget_class, "graph.paste", NULL, paste_action_cb);
  gtk_widget_class_install_action (widget_class, "graph.duplicate", NULL, duplicate_action_cb);
  gtk_widget_class_install_action (widget_class, "graph.activate", NULL, activate_action_cb);
  gtk_widget_class_install_action (widget_class, "graph.group", NULL, group_action_cb);
  gtk_widget_class_install_action (widget_class, "graph.ungroup", NULL, ungroup_action_cb);
  gtk_widget_class_install_action (widget_class, "graph.toggle-group", NULL, open_close_group_action_cb);
  gtk_widget_class_install_action (widget_class, "graph.open-group", NULL, open_close_group_action_cb);
  gtk_widget_class_install_action (widget_class, "graph.close-group", NULL, open_close_group_action_cb);
  gtk_widget_class_install_action (widget_class, "graph.nudge", "(iib)", nudge_action_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_SHIFT_MASK, "graph.add", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_SHIFT_MASK, "graph.connect", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "graph.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "graph.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "graph.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK, "graph.select-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "graph.fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "graph.fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "graph.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "graph.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "graph.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "graph.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "graph.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "graph.auto-layout", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "graph.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK, "graph.paste", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_SHIFT_MASK, "graph.duplicate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK, "graph.group", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_G, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "graph.ungroup", NULL);
  /* Into and out of a sub-network as into a folder (Return on its
   * selected card, as a double click); Ctrl+Return is the run bar's Run
   * Steps. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK, "graph.open-group", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK, "graph.close-group", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "graph.activate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "graph.activate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_ISO_Enter, 0, "graph.activate", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (arrows); i++)
    {
      gtk_widget_class_add_binding_action (widget_class, arrows[i].key, 0, "graph.nudge",
                                           "(iib)", arrows[i].dx, arrows[i].dy, FALSE);
      gtk_widget_class_add_binding_action (widget_class, arrows[i].key, GDK_SHIFT_MASK, "graph.nudge",
                                           "(iib)", arrows[i].dx, arrows[i].dy, TRUE);
    }

  gtk_widget_class_set_css_name (widget_class, "spkgraphview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
spk_graph_view_init (SpkGraphView *self)
{
  self->cards = g_ptr_array_new_with_free_func (_spk_graph_card_free);
  self->edges = g_ptr_array_new_with_free_func (_spk_graph_edge_free);
  self->groups = g_ptr_array_new_with_free_func (_spk_graph_group_card_free);
  self->card_map = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->errors = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  self->network_labels = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  self->selection = g_ptr_array_new_with_free_func (g_object_unref);
  self->move_origins = g_array_new (FALSE, FALSE, sizeof (double));
  self->clipboard = g_ptr_array_new_with_free_func (g_object_unref);
  self->clipboard_positions = g_array_new (FALSE, FALSE, sizeof (double));
  self->zoom = 1.0;
  self->scale = 1.0;
  self->drag_port = SPK_PORT_NONE;
  self->hover_port = SPK_PORT_NONE;
  self->target_port = SPK_PORT_NONE;

  _spk_graph_view_load_css ();
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Network diagram"),
                                  -1);
  _spk_graph_view_read_style (self);
  _spk_graph_view_init_input (self);
  _spk_graph_view_init_popovers (self);
  _spk_graph_view_init_connect (self);
  _spk_graph_view_rebuild (self);
}

/**
 * spk_graph_view_new:
 *
 * Returns: (transfer full): a new, empty canvas
 */
GtkWidget *
spk_graph_view_new (void)
{
  return g_object_new (SPK_TYPE_GRAPH_VIEW, NULL);
}

/* Network and layout. */

SpkNetwork *
spk_graph_view_get_network (SpkGraphView *self)
{
  g_return_val_if_fail (SPK_IS_GRAPH_VIEW (self), NULL);
  return self->network;
}

static gboolean
layout_places_any (SpkLayout  *layout,
                   SpkNetwork *network)
{
  GPtrArray *objects = spk_network_get_objects (network);

  for (guint i = 0; i < objects->len; i++)
    if (spk_layout_get_position (layout, g_ptr_array_index (objects, i), NULL, NULL))
      return TRUE;
  return FALSE;
}

/* A network that the current layout knows nothing of gets a fresh layout,
 * laid out automatically and fitted into view. */
void
spk_graph_view_set_network (SpkGraphView *self,
                            SpkNetwork   *network)
{
  g_return_if_fail (SPK_IS_GRAPH_VIEW (self));
  g_return_if_fail (network == NULL || SPK_IS_NETWORK (network));

  if (self->network == network)
    return;
  if (self->network != NULL)
    disconnect_network (self);
  g_ptr_array_set_size (self->selection, 0);
  g_hash_table_remove_all (self->errors);
  self->focus_object = NULL;
  g_set_object (&self->network, network);
  if (network != NULL)
    connect_network (self);
  _spk_graph_view_remember_networks (self);

  if (network != NULL && (self->layout == NULL || !layout_places_any (self->layout, network)))
    {
      g_autoptr (SpkLayout) layout = spk_layout_new ();

      spk_graph_view_set_layout (self, layout);
      /* Networks arrive collapsed, and are laid out as one card each. */
      _spk_graph_view_lay_out_networks (self);
      _spk_graph_view_rebuild (self);
      spk_graph_view_auto_layout (self, FALSE);
    }
  else if (network != NULL)
    {
      /* A session's groups of the canvas alone (saved before models had
       * networks) become networks; the model's networks become groups. */
      _spk_graph_view_adopt_groups (self);
      _spk_graph_view_remember_networks (self);
      _spk_graph_view_groups_from_networks (self);
    }
  _spk_graph_view_changed (self);
  spk_graph_view_fit (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_OBJECT]);
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

SpkLayout *
spk_graph_view_get_layout (SpkGraphView *self)
{
  g_return_val_if_fail (SPK_IS_GRAPH_VIEW (self), NULL);
  return self->layout;
}

void
spk_graph_view_set_layout (SpkGraphView *self,
                           SpkLayout    *layout)
{
  g_return_if_fail (SPK_IS_GRAPH_VIEW (self));
  g_return_if_fail (layout == NULL || SPK_IS_LAYOUT (layout));

  if (self->layout == layout)
    return;
  _spk_graph_view_end_drag (self);
  if (self->layout != NULL)
    g_clear_signal_handler (&self->layout_changed_id, self->layout);
  g_set_object (&self->layout, layout);
  if (layout != NULL)
    self->layout_changed_id = g_signal_connect (layout, "changed",
                                                G_CALLBACK (layout_changed_cb), self);
  _spk_graph_view_rebuild (self);
  if (self->network != NULL && layout != NULL)
    {
      GPtrArray *objects = spk_network_get_objects (self->network);

      for (guint i = 0; i < objects->len; i++)
        place_new (self, g_ptr_array_index (objects, i));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYOUT]);
}

/* Selection. */

SpkObject *
spk_graph_view_get_active_object (SpkGraphView *self)
{
  g_return_val_if_fail (SPK_IS_GRAPH_VIEW (self), NULL);
  return self->selection->len > 0 ? g_ptr_array_index (self->selection, self->selection->len - 1) : NULL;
}

/**
 * spk_graph_view_get_selection:
 *
 * Returns: (transfer none) (element-type SpkObject): the selected objects,
 *   the active one last
 */
GPtrArray *
spk_graph_view_get_selection (SpkGraphView *self)
{
  g_return_val_if_fail (SPK_IS_GRAPH_VIEW (self), NULL);
  return self->selection;
}

static gboolean
same_objects (GPtrArray *a,
              GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (g_ptr_array_index (a, i) != g_ptr_array_index (b, i))
      return FALSE;
  return TRUE;
}

/* Replaces the selection (objects in order, the active one last),
 * announcing it only when it changed. */
void
_spk_graph_view_set_selection (SpkGraphView *self,
                               GPtrArray    *objects)
{
  SpkObject *active = spk_graph_view_get_active_object (self);

  if (same_objects (self->selection, objects))
    return;
  g_ptr_array_set_size (self->selection, 0);
  for (guint i = 0; i < objects->len; i++)
    g_ptr_array_add (self->selection, g_object_ref (g_ptr_array_index (objects, i)));
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (active != spk_graph_view_get_active_object (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_OBJECT]);
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

/* add: toggles object in the selection (Shift/Ctrl-click); otherwise the
 * object becomes the only selected one.  Re-selecting an object that is
 * already selected makes it the active one. */
void
spk_graph_view_select (SpkGraphView *self,
                       SpkObject    *object,
                       gboolean      add)
{
  g_autoptr (GPtrArray) next = g_ptr_array_new ();

  g_return_if_fail (SPK_IS_GRAPH_VIEW (self));
  g_return_if_fail (SPK_IS_OBJECT (object));

  if (add)
    {
      gboolean present = g_ptr_array_find (self->selection, object, NULL);

      for (guint i = 0; i < self->selection->len; i++)
        if (g_ptr_array_index (self->selection, i) != object)
          g_ptr_array_add (next, g_ptr_array_index (self->selection, i));
      if (!present)
        g_ptr_array_add (next, object);
    }
  else
    g_ptr_array_add (next, object);
  if (_spk_graph_view_is_card_object (object))
    self->focus_object = object;
  _spk_graph_view_set_selection (self, next);
  update_accessible (self);
}

void
spk_graph_view_select_all (SpkGraphView *self)
{
  g_autoptr (GPtrArray) next = g_ptr_array_new ();

  g_return_if_fail (SPK_IS_GRAPH_VIEW (self));

  for (guint i = 0; i < self->cards->len; i++)
    g_ptr_array_add (next, ((SpkCard *) g_ptr_array_index (self->cards, i))->object);
  for (guint i = 0; i < self->edges->len; i++)
    {
      SpkEdge *edge = g_ptr_array_index (self->edges, i);

      if (!edge->is_probe)
        g_ptr_array_add (next, edge->object);
    }
  _spk_graph_view_set_selection (self, next);
}

void
spk_graph_view_clear_selection (SpkGraphView *self)
{
  g_autoptr (GPtrArray) next = g_ptr_array_new ();

  g_return_if_fail (SPK_IS_GRAPH_VIEW (self));
  _spk_graph_view_set_selection (self, next);
}

void
_spk_graph_view_set_focus_object (SpkGraphView *self,
                                  SpkObject    *object)
{
  self->focus_object = object;
  if (object != NULL)
    spk_graph_view_select (self, object, FALSE);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Moving. */

/* Moves the cards of objects; with snap, each lands on the grid. */
void
_spk_graph_view_move_by (SpkGraphView *self,
                         GPtrArray    *objects,
                         double        dx,
                         double        dy,
                         gboolean      snap)
{
  if (self->layout == NULL)
    return;
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      double x, y;

      if (!_spk_graph_view_is_card_object (object) || !spk_layout_get_position (self->layout, object, &x, &y))
        continue;
      x += dx;
      y += dy;
      if (snap)
        {
          x = round (x / SPK_GRAPH_GRID) * SPK_GRAPH_GRID;
          y = round (y / SPK_GRAPH_GRID) * SPK_GRAPH_GRID;
        }
      spk_layout_set_position (self->layout, object, x, y);
    }
}

/* Zoom. */

double
spk_graph_view_get_zoom (SpkGraphView *self)
{
  g_return_val_if_fail (SPK_IS_GRAPH_VIEW (self), 1.0);
  return self->zoom;
}

/* Zooms about the middle of the view. */
void
spk_graph_view_set_zoom (SpkGraphView *self,
                         double        zoom)
{
  g_return_if_fail (SPK_IS_GRAPH_VIEW (self));
  _spk_graph_view_zoom_at (self, zoom,
                           gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                           gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

/* Zooms keeping the canvas point under widget point (wx, wy) in place. */
void
_spk_graph_view_zoom_at (SpkGraphView *self,
                         double        zoom,
                         double        wx,
                         double        wy)
{
  double cx, cy;

  zoom = CLAMP (zoom, SPK_GRAPH_ZOOM_MIN, SPK_GRAPH_ZOOM_MAX);
  if (zoom == self->zoom)
    return;
  _spk_graph_view_to_canvas (self, wx, wy, &cx, &cy);
  self->fitted = FALSE;
  self->zoom = zoom;
  self->off_x = wx - cx * zoom;
  self->off_y = wy - cy * zoom;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

/* Sets the zoom alone, for a caller that places the view itself. */
void
_spk_graph_view_store_zoom (SpkGraphView *self,
                            double        zoom)
{
  if (zoom == self->zoom)
    return;
  self->zoom = zoom;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}

/* Errors and presentation. */

void
spk_graph_view_set_object_error (SpkGraphView *self,
                                 SpkObject    *object,
                                 const char   *message)
{
  const char *old;

  g_return_if_fail (SPK_IS_GRAPH_VIEW (self));
  g_return_if_fail (SPK_IS_OBJECT (object));

  old = g_hash_table_lookup (self->errors, object);
  if (g_strcmp0 (old, message) == 0)
    return;
  if (message != NULL)
    g_hash_table_insert (self->errors, object, g_strdup (message));
  else
    g_hash_table_remove (self->errors, object);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
spk_graph_view_set_presentation (SpkGraphView *self,
                                 gboolean      presentation)
{
  g_return_if_fail (SPK_IS_GRAPH_VIEW (self));

  presentation = !!presentation;
  if (self->presentation == presentation)
    return;
  self->presentation = presentation;
  self->scale = presentation ? PRESENTATION : 1.0;
  if (presentation)
    gtk_widget_add_css_class (GTK_WIDGET (self), "presentation");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "presentation");
  /* The cards grow, and their places spread with them (see place_card()):
   * the layout, the user's placement, is left alone. */
  _spk_graph_view_changed (self);
  spk_graph_view_fit (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESENTATION]);
}

gboolean
spk_graph_view_get_presentation (SpkGraphView *self)
{
  g_return_val_if_fail (SPK_IS_GRAPH_VIEW (self), FALSE);
  return self->presentation;
}

/* Hit tests for the window and the tests. */

gboolean
spk_graph_view_get_object_bounds (SpkGraphView    *self,
                                  SpkObject       *object,
                                  graphene_rect_t *bounds)
{
  SpkCard *card;

  g_return_val_if_fail (SPK_IS_GRAPH_VIEW (self), FALSE);
  g_return_val_if_fail (bounds != NULL, FALSE);

  card = _spk_graph_view_lookup_card (self, object);
  if (card != NULL && card->hidden)
    return spk_graph_view_get_group_bounds (self, card->group->label, bounds);
  if (card != NULL)
    {
      graphene_rect_init (bounds, card->x * self->zoom + self->off_x, card->y * self->zoom + self->off_y,
                          card->w * self->zoom, card->h * self->zoom);
      return TRUE;
    }
  for (guint i = 0; i < self->edges->len; i++)
    {
      SpkEdge *edge = g_ptr_array_index (self->edges, i);

      if (edge->object == object && !edge->is_probe && edge->label != NULL)
        {
          graphene_rect_init (bounds,
                              (edge->label_x - edge->label_w / 2) * self->zoom + self->off_x,
                              (edge->label_y - edge->label_h / 2) * self->zoom + self->off_y,
                              edge->label_w * self->zoom, edge->label_h * self->zoom);
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * spk_graph_view_set_decode_errors:
 * @errors: (nullable): SpkObject* → SpkArray*, the RMSE per output of each
 *   solved connection, or NULL when there is no solve (or it is stale)
 *
 * What hovering a connection tells about its decoders; the table is
 * referenced, not copied.
 */
void
spk_graph_view_set_decode_errors (SpkGraphView *self,
                                  GHashTable   *errors)
{
  g_return_if_fail (SPK_IS_GRAPH_VIEW (self));

  if (errors == self->decode_errors)
    return;
  g_clear_pointer (&self->decode_errors, g_hash_table_unref);
  if (errors != NULL)
    self->decode_errors = g_hash_table_ref (errors);
}

/* "Decode error (RMSE): 0.0058", one value per output dimension. */
static char *
decode_error_text (SpkGraphView *self,
                   SpkObject    *object)
{
  SpkArray *rmse;
  g_autoptr (GString) text = NULL;

  if (self->decode_errors == NULL || object == NULL
      || (rmse = g_hash_table_lookup (self->decode_errors, object)) == NULL)
    return NULL;
  text = g_string_new (NULL);
  for (gsize i = 0; i < rmse->size; i++)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append_printf (text, i > 0 ? ", %s" : "%s", g_ascii_formatd (buf, sizeof buf, "%.3g", rmse->data[i]));
    }
  /* Translators: a decoded connection's tooltip; %s is one error per output dimension, e.g. "0.0058, 0.012" */
  return g_strdup_printf (_("Decode error (RMSE): %s"), text->str);
}

/**
 * spk_graph_view_dup_tooltip_at:
 *
 * The tooltip a widget point shows: why a card is invalid, or a solved
 * connection's decode error.
 *
 * Returns: (transfer full) (nullable): the text, or NULL for none
 */
char *
spk_graph_view_dup_tooltip_at (SpkGraphView *self,
                               double        x,
                               double        y)
{
  SpkCard *card;
  SpkEdge *edge;
  const char *message;
  double cx, cy;

  g_return_val_if_fail (SPK_IS_GRAPH_VIEW (self), NULL);

  _spk_graph_view_to_canvas (self, x, y, &cx, &cy);
  card = _spk_graph_view_card_at (self, cx, cy);
  if (card == NULL)
    {
      /* The badge sits on the corner, half outside the card. */
      for (guint i = 0; i < self->cards->len && card == NULL; i++)
        if (_spk_graph_view_error_badge_at (self, g_ptr_array_index (self->cards, i), cx, cy))
          card = g_ptr_array_index (self->cards, i);
    }
  if (card != NULL)
    return (message = g_hash_table_lookup (self->errors, card->object)) != NULL ? g_strdup (message) : NULL;
  edge = _spk_graph_view_edge_at (self, cx, cy);
  if (edge == NULL || edge->is_probe)
    return NULL;
  if ((message = g_hash_table_lookup (self->errors, edge->object)) != NULL)
    return g_strdup (message);
  return decode_error_text (self, edge->object);
}

/* The keyboard's tooltip: of the focused object. */
char *
_spk_graph_view_dup_focus_tooltip (SpkGraphView *self)
{
  const char *message;

  if (self->focus_object == NULL)
    return NULL;
  if ((message = g_hash_table_lookup (self->errors, self->focus_object)) != NULL)
    return g_strdup (message);
  return decode_error_text (self, self->focus_object);
}

SpkObject *
spk_graph_view_get_object_at (SpkGraphView *self,
                              double        x,
                              double        y)
{
  SpkCard *card;
  SpkEdge *edge;
  double cx, cy;

  g_return_val_if_fail (SPK_IS_GRAPH_VIEW (self), NULL);

  _spk_graph_view_to_canvas (self, x, y, &cx, &cy);
  card = _spk_graph_view_card_at (self, cx, cy);
  if (card != NULL)
    return card->object;
  edge = _spk_graph_view_edge_at (self, cx, cy);
  return edge != NULL ? edge->object : NULL;
}
