/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-graph-view-input.c — the canvas under the mouse, touchpad and
 * keyboard: event controllers, drag and drop from the palette, tooltips and
 * keyboard focus.
 *
 * One drag gesture does every drag; what it does is decided where it
 * starts: on a port it draws a connection (from an output forwards, from
 * an input backwards to the output that should feed it), on a card or a
 * group's card or title it moves the selection, on empty canvas it selects
 * with a rubber band, and with the middle button or Space held it pans.
 * Escape cancels any of them.  A move holds the layout in a batch from
 * begin to end, so undo sees one step per drag.  Commands (delete, nudge, zoom…)
 * are actions with key bindings, installed in spk-graph-view.c; this file
 * only turns pointer and focus events into calls on the view.
 */
#define G_LOG_DOMAIN "spk-graph-view"

#include "spk-graph-view-private.h"

#include "model/spk-subnetwork.h"

#include <glib/gi18n.h>
#include <math.h>

#define CLICK_SLOP 3.0

static gboolean
is_output_port (SpkPortKind port)
{
  return port == SPK_PORT_OUTPUT || port == SPK_PORT_NEURONS_OUT;
}

/* A connection drag that started on an input runs backwards. */
static gboolean
drag_is_backwards (SpkGraphView *self)
{
  return !is_output_port (self->drag_port);
}

static GdkModifierType
current_modifiers (GtkGesture *gesture)
{
  return gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
}

static void
update_cursor (SpkGraphView *self)
{
  const char *name = "default";
  SpkPortKind port = SPK_PORT_NONE;
  double cx, cy;

  _spk_graph_view_to_canvas (self, self->pointer_x, self->pointer_y, &cx, &cy);
  if (self->drag_mode == SPK_DRAG_PAN)
    name = "grabbing";
  else if (self->space_down)
    name = "grab";
  else if (self->drag_mode == SPK_DRAG_CONNECT)
    name = self->drag_message != NULL ? "not-allowed" : "crosshair";
  else if (self->drag_mode == SPK_DRAG_MOVE)
    name = "move";
  else if (_spk_graph_view_port_at (self, cx, cy, &port) != NULL)
    name = "crosshair";
  else if (_spk_graph_view_card_at (self, cx, cy) != NULL)
    name = "pointer";
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), name);
}

/* Hovering a port names it next to the port. */
static void
update_hover (SpkGraphView *self)
{
  SpkPortKind port = SPK_PORT_NONE;
  SpkCard *card = NULL;
  double cx, cy;

  if (self->pointer_inside)
    {
      _spk_graph_view_to_canvas (self, self->pointer_x, self->pointer_y, &cx, &cy);
      card = _spk_graph_view_port_at (self, cx, cy, &port);
    }
  if (card != self->hover_card || port != self->hover_port)
    {
      self->hover_card = card;
      self->hover_port = card != NULL ? port : SPK_PORT_NONE;
      g_clear_object (&self->hover_layout);
      if (card != NULL)
        self->hover_layout = _spk_graph_view_make_text (self, card->ports[port].tip, FALSE);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  update_cursor (self);
}

/* Where a connection dragged from drag_card would land, and whether it may. */
static void
update_connect_target (SpkGraphView *self)
{
  SpkPortKind port = SPK_PORT_NONE;
  SpkCard *card;
  g_autoptr (GError) error = NULL;
  double cx, cy;

  gboolean backwards = drag_is_backwards (self);
  gboolean ok;

  _spk_graph_view_to_canvas (self, self->drag_x, self->drag_y, &cx, &cy);
  card = _spk_graph_view_port_at (self, cx, cy, &port);
  if (card != NULL && is_output_port (port) != backwards)
    card = NULL;
  if (card == NULL)
    {
      card = _spk_graph_view_card_at (self, cx, cy);
      if (card != NULL && backwards)
        port = SPK_PORT_OUTPUT;
      else if (card != NULL)
        port = card->kind == SPK_CARD_PROBE ? SPK_PORT_PROBE : SPK_PORT_INPUT;
    }
  if (card == self->target_card && port == self->target_port)
    return;
  self->target_card = card;
  self->target_port = card != NULL ? port : SPK_PORT_NONE;
  g_clear_pointer (&self->drag_message, g_free);
  g_clear_object (&self->message_layout);
  if (card == NULL)
    ok = TRUE;
  else if (backwards)
    ok = _spk_graph_check_connection (card->object, port == SPK_PORT_NEURONS_OUT,
                                      self->drag_card->object, self->drag_port == SPK_PORT_NEURONS_IN,
                                      NULL, &error);
  else
    ok = _spk_graph_check_connection (self->drag_card->object, self->drag_port == SPK_PORT_NEURONS_OUT,
                                      card->object, port == SPK_PORT_NEURONS_IN, NULL, &error);
  if (!ok)
    {
      self->drag_message = g_strdup (error->message);
      self->message_layout = _spk_graph_view_make_text (self, error->message, FALSE);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
rubber_select (SpkGraphView *self)
{
  g_autoptr (GPtrArray) next = g_ptr_array_new ();
  double x0, y0, x1, y1;

  _spk_graph_view_to_canvas (self, MIN (self->drag_x0, self->drag_x), MIN (self->drag_y0, self->drag_y), &x0, &y0);
  _spk_graph_view_to_canvas (self, MAX (self->drag_x0, self->drag_x), MAX (self->drag_y0, self->drag_y), &x1, &y1);
  if (self->rubber_base != NULL)
    g_ptr_array_extend (next, self->rubber_base, NULL, NULL);
  for (guint i = 0; i < self->cards->len; i++)
    {
      SpkCard *card = g_ptr_array_index (self->cards, i);
      double x = card->x, y = card->y, w = card->w, h = card->h;

      /* A collapsed group's members go with its card. */
      if (card->hidden)
        x = card->group->x, y = card->group->y, w = card->group->w, h = card->group->h;
      if (x < x1 && x + w > x0 && y < y1 && y + h > y0 && !g_ptr_array_find (next, card->object, NULL))
        g_ptr_array_add (next, card->object);
    }
  _spk_graph_view_set_selection (self, next);
}

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          x,
               double          y,
               SpkGraphView   *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  GdkModifierType mods = current_modifiers (GTK_GESTURE (gesture));
  gboolean extend = (mods & (GDK_SHIFT_MASK | GDK_CONTROL_MASK)) != 0;
  SpkPortKind port = SPK_PORT_NONE;
  SpkCard *card;
  SpkGroupCard *group;
  SpkEdge *edge;
  double cx, cy;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->drag_group = NULL;
  self->drag_x0 = self->drag_x = x;
  self->drag_y0 = self->drag_y = y;
  self->drag_mode = SPK_DRAG_NONE;
  _spk_graph_view_to_canvas (self, x, y, &cx, &cy);

  if (button == GDK_BUTTON_MIDDLE || (button == GDK_BUTTON_PRIMARY && self->space_down))
    {
      self->drag_mode = SPK_DRAG_PAN;
      self->pan_off_x0 = self->off_x;
      self->pan_off_y0 = self->off_y;
      update_cursor (self);
      return;
    }
  if (button != GDK_BUTTON_PRIMARY)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  card = _spk_graph_view_port_at (self, cx, cy, &port);
  if (card != NULL)
    {
      self->drag_mode = SPK_DRAG_CONNECT;
      self->drag_card = card;
      self->drag_port = port;
      self->target_card = NULL;
      self->target_port = SPK_PORT_NONE;
      update_cursor (self);
      return;
    }

  card = _spk_graph_view_card_at (self, cx, cy);
  group = card == NULL ? _spk_graph_view_group_at (self, cx, cy) : NULL;
  if (card != NULL || group != NULL)
    {
      if (card != NULL && extend)
        spk_graph_view_select (self, card->object, TRUE);
      else if (card != NULL && !g_ptr_array_find (self->selection, card->object, NULL))
        spk_graph_view_select (self, card->object, FALSE);
      else if (group != NULL)
        {
          SpkCard *first = g_ptr_array_index (group->members, 0);

          if (extend || !g_ptr_array_find (self->selection, first->object, NULL))
            _spk_graph_view_select_group (self, group, extend);
        }
      self->drag_mode = SPK_DRAG_MOVE;
      g_array_set_size (self->move_origins, 0);
      for (guint i = 0; i < self->selection->len; i++)
        {
          double xy[2] = { 0, 0 };

          if (self->layout != NULL)
            spk_layout_get_position (self->layout, g_ptr_array_index (self->selection, i), &xy[0], &xy[1]);
          g_array_append_vals (self->move_origins, xy, 2);
        }
      if (self->layout != NULL && !self->batch_open)
        {
          self->batch_open = TRUE;
          spk_layout_begin_batch (self->layout);
        }
      self->drag_card = card;
      self->drag_group = group;
      return;
    }

  edge = _spk_graph_view_edge_at (self, cx, cy);
  if (edge != NULL)
    {
      spk_graph_view_select (self, edge->object, extend);
      return;
    }

  self->drag_mode = SPK_DRAG_RUBBER;
  g_clear_pointer (&self->rubber_base, g_ptr_array_unref);
  if (extend)
    {
      self->rubber_base = g_ptr_array_new ();
      g_ptr_array_extend (self->rubber_base, self->selection, NULL, NULL);
    }
  else
    spk_graph_view_clear_selection (self);
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                SpkGraphView   *self)
{
  self->drag_x = self->drag_x0 + dx;
  self->drag_y = self->drag_y0 + dy;
  self->pointer_x = self->drag_x;
  self->pointer_y = self->drag_y;

  switch (self->drag_mode)
    {
    case SPK_DRAG_PAN:
      self->off_x = self->pan_off_x0 + dx;
      self->off_y = self->pan_off_y0 + dy;
      self->fitted = FALSE;
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;
    case SPK_DRAG_MOVE:
      {
        gboolean snap = (current_modifiers (GTK_GESTURE (gesture)) & GDK_SHIFT_MASK) != 0;

        if (self->layout == NULL || self->move_origins->len != 2 * self->selection->len)
          break;
        for (guint i = 0; i < self->selection->len; i++)
          {
            SpkObject *object = g_ptr_array_index (self->selection, i);
            double x = g_array_index (self->move_origins, double, 2 * i) + dx / self->zoom / self->scale;
            double y = g_array_index (self->move_origins, double, 2 * i + 1) + dy / self->zoom / self->scale;

            if (SPK_IS_CONNECTION (object))
              continue;
            if (snap)
              {
                x = round (x / SPK_GRAPH_GRID) * SPK_GRAPH_GRID;
                y = round (y / SPK_GRAPH_GRID) * SPK_GRAPH_GRID;
              }
            spk_layout_set_position (self->layout, object, x, y);
          }
      }
      break;
    case SPK_DRAG_CONNECT:
      update_connect_target (self);
      update_cursor (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;
    case SPK_DRAG_RUBBER:
      rubber_select (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;
    case SPK_DRAG_NONE:
    default:
      break;
    }
}

static void
finish_connect (SpkGraphView *self)
{
  SpkCard *from = self->drag_card;
  gboolean pre_neurons = self->drag_port == SPK_PORT_NEURONS_OUT;
  g_autoptr (GError) error = NULL;

  if (drag_is_backwards (self))
    {
      if (self->target_card != NULL
          && !spk_graph_view_connect (self, self->target_card->object, self->target_port == SPK_PORT_NEURONS_OUT,
                                      from->object, self->drag_port == SPK_PORT_NEURONS_IN, &error)
          && error != NULL)
        _spk_graph_view_show_message (self, error->message, self->drag_x, self->drag_y);
      return;
    }
  if (self->target_card == NULL)
    {
      /* Released on empty canvas: offer to create what it should feed. */
      if (hypot (self->drag_x - self->drag_x0, self->drag_y - self->drag_y0) > 4 * CLICK_SLOP)
        _spk_graph_view_popup_add (self, self->drag_x, self->drag_y, from->object, pre_neurons);
      return;
    }
  if (!spk_graph_view_connect (self, from->object, pre_neurons, self->target_card->object,
                               self->target_port == SPK_PORT_NEURONS_IN, &error)
      && error != NULL)
    _spk_graph_view_show_message (self, error->message, self->drag_x, self->drag_y);
}

/* What a drag kept about where it started and what it points at. */
static void
forget_drag (SpkGraphView *self)
{
  self->drag_card = NULL;
  self->drag_group = NULL;
  self->drag_port = SPK_PORT_NONE;
  self->target_card = NULL;
  self->target_port = SPK_PORT_NONE;
  g_clear_pointer (&self->drag_message, g_free);
  g_clear_object (&self->message_layout);
  g_clear_pointer (&self->rubber_base, g_ptr_array_unref);
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             SpkGraphView   *self)
{
  GdkModifierType mods = current_modifiers (GTK_GESTURE (gesture));
  gboolean click = hypot (dx, dy) < CLICK_SLOP;
  SpkDragMode mode = self->drag_mode;

  self->drag_x = self->drag_x0 + dx;
  self->drag_y = self->drag_y0 + dy;
  self->drag_mode = SPK_DRAG_NONE;
  if (mode == SPK_DRAG_MOVE && click && (mods & (GDK_SHIFT_MASK | GDK_CONTROL_MASK)) == 0
      && self->drag_card != NULL)
    spk_graph_view_select (self, self->drag_card->object, FALSE);
  else if (mode == SPK_DRAG_MOVE && click && (mods & (GDK_SHIFT_MASK | GDK_CONTROL_MASK)) == 0
           && self->drag_group != NULL)
    _spk_graph_view_select_group (self, self->drag_group, FALSE);
  else if (mode == SPK_DRAG_CONNECT && self->drag_card != NULL)
    finish_connect (self);
  _spk_graph_view_end_drag (self);

  forget_drag (self);
  update_hover (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Abandons the drag in progress: a connection is not made, moved cards go
 * back, a rubber band gives the selection back, a pan returns. */
static void
cancel_drag (SpkGraphView *self)
{
  switch (self->drag_mode)
    {
    case SPK_DRAG_MOVE:
      for (guint i = 0; self->layout != NULL && i < self->selection->len
           && 2 * i + 1 < self->move_origins->len; i++)
        {
          SpkObject *object = g_ptr_array_index (self->selection, i);

          if (spk_layout_get_position (self->layout, object, NULL, NULL))
            spk_layout_set_position (self->layout, object,
                                     g_array_index (self->move_origins, double, 2 * i),
                                     g_array_index (self->move_origins, double, 2 * i + 1));
        }
      break;
    case SPK_DRAG_RUBBER:
      {
        g_autoptr (GPtrArray) base = g_ptr_array_new ();

        if (self->rubber_base != NULL)
          g_ptr_array_extend (base, self->rubber_base, NULL, NULL);
        _spk_graph_view_set_selection (self, base);
      }
      break;
    case SPK_DRAG_PAN:
      self->off_x = self->pan_off_x0;
      self->off_y = self->pan_off_y0;
      break;
    case SPK_DRAG_CONNECT:
    case SPK_DRAG_NONE:
    default:
      break;
    }
  _spk_graph_view_end_drag (self);
  self->drag_mode = SPK_DRAG_NONE;
  forget_drag (self);
  update_cursor (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_cancel_cb (GtkGesture       *gesture,
                GdkEventSequence *sequence,
                SpkGraphView     *self)
{
  cancel_drag (self);
}

/* A right click selects what is under the pointer (the window shows its
 * menu of plots); only on empty canvas does it offer to add an object. */
void
_spk_graph_view_context_click (SpkGraphView *self,
                               double        x,
                               double        y)
{
  double cx, cy;
  SpkCard *card;
  SpkGroupCard *group;
  SpkEdge *edge;

  _spk_graph_view_to_canvas (self, x, y, &cx, &cy);
  if ((card = _spk_graph_view_card_at (self, cx, cy)) != NULL)
    spk_graph_view_select (self, card->object, FALSE);
  else if ((group = _spk_graph_view_group_at (self, cx, cy)) != NULL)
    _spk_graph_view_select_group (self, group, FALSE);
  else if ((edge = _spk_graph_view_edge_at (self, cx, cy)) != NULL)
    spk_graph_view_select (self, edge->object, FALSE);
  else
    _spk_graph_view_popup_add (self, x, y, NULL, FALSE);
}

static void
click_pressed_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  SpkGraphView    *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  double cx, cy;
  SpkCard *card;

  SpkGroupCard *group;

  _spk_graph_view_to_canvas (self, x, y, &cx, &cy);
  card = _spk_graph_view_card_at (self, cx, cy);
  group = card == NULL ? _spk_graph_view_group_at (self, cx, cy) : NULL;
  if (button == GDK_BUTTON_SECONDARY)
    {
      _spk_graph_view_context_click (self, x, y);
      return;
    }
  if (n_press != 2)
    return;
  if (card != NULL)
    g_signal_emit_by_name (self, "object-activated", card->object);
  else if (group != NULL)
    _spk_graph_view_toggle_group (self, group);
  else if (_spk_graph_view_edge_at (self, cx, cy) == NULL)
    _spk_graph_view_popup_add (self, x, y, NULL, FALSE);
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           SpkGraphView             *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
  self->pointer_inside = TRUE;
  if (self->drag_mode == SPK_DRAG_NONE)
    update_hover (self);
}

static void
leave_cb (GtkEventControllerMotion *controller,
          SpkGraphView             *self)
{
  self->pointer_inside = FALSE;
  update_hover (self);
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           SpkGraphView             *self)
{
  GdkModifierType mods = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  double unit = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL ? 48 : 1;

  if (mods & GDK_CONTROL_MASK)
    {
      _spk_graph_view_zoom_at (self, self->zoom * pow (1.15, -dy * (unit > 1 ? 1 : 0.1)),
                               self->pointer_x, self->pointer_y);
      return TRUE;
    }
  if (mods & GDK_SHIFT_MASK)
    {
      double t = dx;

      dx = dy;
      dy = t;
    }
  self->off_x -= dx * unit;
  self->off_y -= dy * unit;
  self->fitted = FALSE;
  update_hover (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

static void
zoom_begin_cb (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               SpkGraphView     *self)
{
  self->zoom_gesture_start = self->zoom;
}

static void
zoom_scale_changed_cb (GtkGestureZoom *gesture,
                       double          scale,
                       SpkGraphView   *self)
{
  double x, y;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y))
    {
      x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
    }
  _spk_graph_view_zoom_at (self, self->zoom_gesture_start * scale, x, y);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                SpkGraphView          *self)
{
  if (keyval == GDK_KEY_space && (state & GDK_MODIFIER_MASK & ~GDK_LOCK_MASK) == 0)
    {
      self->space_down = TRUE;
      update_cursor (self);
      return TRUE;
    }
  if (keyval == GDK_KEY_Escape && self->drag_mode != SPK_DRAG_NONE)
    {
      /* The gesture forgets the pointer too, so the release that follows
       * does nothing. */
      cancel_drag (self);
      if (self->drag_gesture != NULL)
        gtk_event_controller_reset (GTK_EVENT_CONTROLLER (self->drag_gesture));
      return TRUE;
    }
  if (keyval == GDK_KEY_Escape && self->selection->len > 0)
    {
      spk_graph_view_clear_selection (self);
      return TRUE;
    }
  return FALSE;
}

static void
key_released_cb (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 SpkGraphView          *self)
{
  if (keyval == GDK_KEY_space)
    {
      self->space_down = FALSE;
      update_cursor (self);
    }
}

static void
focus_leave_cb (GtkEventControllerFocus *controller,
                SpkGraphView            *self)
{
  self->space_down = FALSE;
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         SpkGraphView  *self)
{
  return spk_graph_view_drop_value (self, value, x, y);
}

/**
 * spk_graph_view_drop_value:
 * @value: what was dropped: a GType from the palette's tiles, or a preset
 *   name
 *
 * Adds what a palette tile dropped at widget point (x, y) makes there;
 * the Network tile opens the list of built-in networks there instead, to
 * choose which.
 *
 * Returns: whether the drop was taken
 */
gboolean
spk_graph_view_drop_value (SpkGraphView *self,
                           const GValue *value,
                           double        x,
                           double        y)
{
  const char *preset = NULL;
  double cx, cy;

  g_return_val_if_fail (SPK_IS_GRAPH_VIEW (self), FALSE);

  if (G_VALUE_HOLDS (value, G_TYPE_GTYPE) && self->network != NULL
      && g_type_is_a (g_value_get_gtype (value), SPK_TYPE_SUBNETWORK))
    {
      _spk_graph_view_popup_add_network (self, x, y);
      return TRUE;
    }
  if (G_VALUE_HOLDS (value, G_TYPE_GTYPE))
    {
      GType type = g_value_get_gtype (value);

      if (g_type_is_a (type, SPK_TYPE_NODE))
        preset = "node";
      else if (g_type_is_a (type, SPK_TYPE_ENSEMBLE))
        preset = "ensemble";
      else if (g_type_is_a (type, SPK_TYPE_PROBE))
        preset = "probe";
      else if (g_type_is_a (type, SPK_TYPE_LAYER))
        preset = "layer-dense";
    }
  else if (G_VALUE_HOLDS_STRING (value))
    preset = g_value_get_string (value);
  if (preset == NULL || self->network == NULL)
    return FALSE;
  _spk_graph_view_to_layout (self, x, y, &cx, &cy);
  return _spk_graph_view_add_preset (self, preset, cx, cy) != NULL;
}

void
_spk_graph_view_init_input (SpkGraphView *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *zoom = gtk_gesture_zoom_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  GType drop_types[] = { G_TYPE_GTYPE, G_TYPE_STRING };

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), 0);
  self->drag_gesture = drag;
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  g_signal_connect (drag, "cancel", G_CALLBACK (drag_cancel_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect (click, "pressed", G_CALLBACK (click_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  g_signal_connect (zoom, "begin", G_CALLBACK (zoom_begin_cb), self);
  g_signal_connect (zoom, "scale-changed", G_CALLBACK (zoom_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (zoom));

  g_signal_connect (motion, "enter", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  g_signal_connect (scroll, "scroll", G_CALLBACK (scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  g_signal_connect (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  g_signal_connect (key, "key-released", G_CALLBACK (key_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);

  g_signal_connect (focus, "leave", G_CALLBACK (focus_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);

  gtk_drop_target_set_gtypes (drop, drop_types, G_N_ELEMENTS (drop_types));
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}

/* Cards in reading order: by column (left to right), then top to bottom. */
static int
compare_cards (gconstpointer a,
               gconstpointer b)
{
  const SpkCard *ca = *(SpkCard **) a;
  const SpkCard *cb = *(SpkCard **) b;
  double col_a = floor ((ca->x + ca->w / 2) / (4 * SPK_GRAPH_GRID));
  double col_b = floor ((cb->x + cb->w / 2) / (4 * SPK_GRAPH_GRID));

  if (col_a != col_b)
    return col_a < col_b ? -1 : 1;
  if (ca->y != cb->y)
    return ca->y < cb->y ? -1 : 1;
  return 0;
}

/* Tab walks the cards, in reading order, before focus leaves the canvas;
 * the focused card is selected so the inspector follows it. */
gboolean
_spk_graph_view_focus (GtkWidget        *widget,
                       GtkDirectionType  direction)
{
  SpkGraphView *self = SPK_GRAPH_VIEW (widget);
  g_autoptr (GPtrArray) order = NULL;
  guint index;
  gboolean forward = direction == GTK_DIR_TAB_FORWARD;

  if (gtk_widget_get_focus_child (widget) != NULL)
    return FALSE;
  if (direction != GTK_DIR_TAB_FORWARD && direction != GTK_DIR_TAB_BACKWARD)
    return !gtk_widget_has_focus (widget) && gtk_widget_grab_focus (widget);

  /* Objects, not cards: grabbing focus restyles, which may rebuild cards. */
  order = g_ptr_array_new ();
  for (guint i = 0; i < self->cards->len; i++)
    if (!((SpkCard *) g_ptr_array_index (self->cards, i))->hidden)
      g_ptr_array_add (order, g_ptr_array_index (self->cards, i));
  g_ptr_array_sort (order, compare_cards);
  for (guint i = 0; i < order->len; i++)
    g_ptr_array_index (order, i) = ((SpkCard *) g_ptr_array_index (order, i))->object;
  if (!gtk_widget_has_focus (widget))
    {
      gtk_widget_grab_focus (widget);
      if (order->len > 0)
        _spk_graph_view_set_focus_object (self, g_ptr_array_index (order, forward ? 0 : order->len - 1));
      return TRUE;
    }
  if (order->len == 0)
    return FALSE;
  if (!g_ptr_array_find (order, self->focus_object, &index))
    index = forward ? 0 : order->len - 1;
  else if (forward && index + 1 < order->len)
    index++;
  else if (!forward && index > 0)
    index--;
  else
    {
      /* Past the last card: let focus move on to the next widget. */
      self->focus_object = NULL;
      gtk_widget_queue_draw (widget);
      return FALSE;
    }
  _spk_graph_view_set_focus_object (self, g_ptr_array_index (order, index));
  return TRUE;
}

/* An invalid card tells why on hover, and a solved connection its decode
 * error; ports name themselves in a bubble the canvas draws, so they need
 * no tooltip. */
gboolean
_spk_graph_view_query_tooltip (GtkWidget  *widget,
                               int         x,
                               int         y,
                               gboolean    keyboard,
                               GtkTooltip *tooltip)
{
  SpkGraphView *self = SPK_GRAPH_VIEW (widget);
  g_autofree char *text = keyboard ? _spk_graph_view_dup_focus_tooltip (self)
                                   : spk_graph_view_dup_tooltip_at (self, x, y);

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}
