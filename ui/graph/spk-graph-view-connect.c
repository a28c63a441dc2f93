/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-graph-view-connect.c — connecting ports without the mouse: with one
 * object selected, graph.connect (Shift+C, or "Connect To…" in its menu)
 * opens a popover at its card listing every port it can feed — "a → b",
 * "a.neurons → b.neurons", a probe — filtered as you type; Enter (or a
 * click) on a row makes the connection as a drag would, as one undo step. */
#include "spk-graph-view-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "model/spk-connection.h"
#include "model/spk-ensemble.h"
#include "model/spk-probe.h"

#define ROW_PRE_NEURONS  "spk-pre-neurons"
#define ROW_POST         "spk-post"
#define ROW_POST_NEURONS "spk-post-neurons"
#define ROW_TEXT         "spk-text"

static char *
port_name (SpkObject *object,
           gboolean   neurons)
{
  const char *label = spk_object_get_label (object);

  return g_strdup_printf (neurons ? "%s.neurons" : "%s", label ? label : "?");
}

static gboolean
row_matches (GtkListBoxRow *row,
             gpointer       user_data)
{
  SpkGraphView *self = user_data;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->connect_entry));
  const char *text = g_object_get_data (G_OBJECT (row), ROW_TEXT);
  g_autofree char *q = g_utf8_casefold (query, -1), *t = g_utf8_casefold (text, -1);

  return *q == '\0' || strstr (t, q) != NULL;
}

static GtkListBoxRow *
first_visible (SpkGraphView *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (self->connect_list); row; row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && gtk_widget_get_child_visible (row) && row_matches (GTK_LIST_BOX_ROW (row), self))
      return GTK_LIST_BOX_ROW (row);
  return NULL;
}

static void
connect_row (SpkGraphView  *self,
             GtkListBoxRow *row)
{
  g_autoptr (GError) error = NULL;
  SpkObject *pre = self->connect_pre;
  SpkObject *post = g_object_get_data (G_OBJECT (row), ROW_POST);
  gboolean pre_neurons = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), ROW_PRE_NEURONS));
  gboolean post_neurons = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), ROW_POST_NEURONS));

  if (pre == NULL || post == NULL)
    return;
  g_object_ref (pre);
  gtk_popover_popdown (GTK_POPOVER (self->connect_popover));
  if (!spk_graph_view_connect (self, pre, pre_neurons, post, post_neurons, &error) && error != NULL)
    _spk_graph_view_show_message (self, error->message, self->connect_x, self->connect_y);
  g_object_unref (pre);
}

static void
row_activated_cb (GtkListBox    *list,
                  GtkListBoxRow *row,
                  SpkGraphView  *self)
{
  connect_row (self, row);
}

static void
search_changed_cb (GtkSearchEntry *entry,
                   SpkGraphView   *self)
{
  gtk_list_box_invalidate_filter (GTK_LIST_BOX (self->connect_list));
  gtk_list_box_select_row (GTK_LIST_BOX (self->connect_list), first_visible (self));
}

/* Enter in the search field connects to the highlighted row. */
static void
entry_activate_cb (GtkSearchEntry *entry,
                   SpkGraphView   *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (GTK_LIST_BOX (self->connect_list));

  if (row == NULL || !row_matches (row, self))
    row = first_visible (self);
  if (row != NULL)
    connect_row (self, row);
}

/* Up and Down in the search field move the highlight. */
static gboolean
entry_key_cb (GtkEventControllerKey *controller,
              guint                  keyval,
              guint                  keycode,
              GdkModifierType        state,
              SpkGraphView          *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (GTK_LIST_BOX (self->connect_list));
  GtkWidget *w;

  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_Up)
    return FALSE;
  w = row ? GTK_WIDGET (row) : NULL;
  do
    w = w == NULL ? gtk_widget_get_first_child (self->connect_list)
        : keyval == GDK_KEY_Down ? gtk_widget_get_next_sibling (w) : gtk_widget_get_prev_sibling (w);
  while (w != NULL && !(GTK_IS_LIST_BOX_ROW (w) && row_matches (GTK_LIST_BOX_ROW (w), self)));
  if (w != NULL)
    gtk_list_box_select_row (GTK_LIST_BOX (self->connect_list), GTK_LIST_BOX_ROW (w));
  return TRUE;
}

static void
stop_search_cb (GtkSearchEntry *entry,
                SpkGraphView   *self)
{
  gtk_popover_popdown (GTK_POPOVER (self->connect_popover));
}

static void
closed_cb (GtkPopover   *popover,
           SpkGraphView *self)
{
  g_clear_object (&self->connect_pre);
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

void
_spk_graph_view_init_connect (SpkGraphView *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->connect_popover = gtk_popover_new ();
  gtk_widget_set_parent (self->connect_popover, GTK_WIDGET (self));
  gtk_popover_set_position (GTK_POPOVER (self->connect_popover), GTK_POS_RIGHT);
  g_signal_connect (self->connect_popover, "closed", G_CALLBACK (closed_cb), self);

  self->connect_title = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->connect_title, "heading");
  gtk_label_set_xalign (GTK_LABEL (self->connect_title), 0);

  self->connect_entry = gtk_search_entry_new ();
  g_object_set (self->connect_entry, "placeholder-text", _("Search targets"), NULL);
  g_signal_connect (self->connect_entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect (self->connect_entry, "activate", G_CALLBACK (entry_activate_cb), self);
  g_signal_connect (self->connect_entry, "stop-search", G_CALLBACK (stop_search_cb), self);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (entry_key_cb), self);
  gtk_widget_add_controller (self->connect_entry, keys);

  self->connect_list = gtk_list_box_new ();
  gtk_list_box_set_activate_on_single_click (GTK_LIST_BOX (self->connect_list), TRUE);
  gtk_list_box_set_filter_func (GTK_LIST_BOX (self->connect_list), row_matches, self, NULL);
  gtk_widget_add_css_class (self->connect_list, "navigation-sidebar");
  g_signal_connect (self->connect_list, "row-activated", G_CALLBACK (row_activated_cb), self);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 420);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->connect_list);
  gtk_box_append (GTK_BOX (box), self->connect_title);
  gtk_box_append (GTK_BOX (box), self->connect_entry);
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_widget_set_size_request (box, 280, -1);
  gtk_popover_set_child (GTK_POPOVER (self->connect_popover), box);
}

static void
add_row (SpkGraphView *self,
         gboolean      pre_neurons,
         SpkObject    *post,
         gboolean      post_neurons)
{
  g_autofree char *from = port_name (self->connect_pre, pre_neurons);
  g_autofree char *to = SPK_IS_PROBE (post) ? g_strdup_printf (_("probe %s"), spk_object_get_label (post))
                                            : port_name (post, post_neurons);
  g_autofree char *text = g_strdup_printf ("%s → %s", from, to);
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  g_object_set_data (G_OBJECT (row), ROW_POST, post);
  g_object_set_data (G_OBJECT (row), ROW_PRE_NEURONS, GINT_TO_POINTER (pre_neurons));
  g_object_set_data (G_OBJECT (row), ROW_POST_NEURONS, GINT_TO_POINTER (post_neurons));
  g_object_set_data_full (G_OBJECT (row), ROW_TEXT, g_steal_pointer (&text), g_free);
  gtk_list_box_append (GTK_LIST_BOX (self->connect_list), row);
}

/* Fills the list with what pre can feed, and returns how many. */
static guint
fill (SpkGraphView *self)
{
  GPtrArray *objects = spk_network_get_objects (self->network);
  SpkObject *pre = self->connect_pre;
  GtkWidget *child;
  guint n = 0;

  while ((child = gtk_widget_get_first_child (self->connect_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->connect_list), child);
  for (int pre_neurons = 0; pre_neurons <= (SPK_IS_ENSEMBLE (pre) ? 1 : 0); pre_neurons++)
    for (guint i = 0; i < objects->len; i++)
      {
        SpkObject *post = g_ptr_array_index (objects, i);

        if (post == pre || SPK_IS_CONNECTION (post) || spk_object_get_label (post) == NULL)
          continue;
        /* A probe already recording something is not offered again. */
        if (SPK_IS_PROBE (post) && spk_probe_get_target (SPK_PROBE (post)) != NULL)
          continue;
        for (int post_neurons = 0; post_neurons <= (SPK_IS_ENSEMBLE (post) ? 1 : 0); post_neurons++)
          {
            gboolean needs_transform;

            if (_spk_graph_check_connection (pre, pre_neurons, post, post_neurons, &needs_transform, NULL))
              {
                add_row (self, pre_neurons, post, post_neurons);
                n++;
              }
          }
      }
  return n;
}

/* graph.connect: from the active object of the selection. */
void
_spk_graph_view_popup_connect (SpkGraphView *self)
{
  SpkObject *pre;
  SpkCard *card;
  g_autofree char *title = NULL;
  double wx, wy;

  if (self->network == NULL || self->selection->len == 0)
    return;
  pre = g_ptr_array_index (self->selection, self->selection->len - 1);
  if (SPK_IS_CONNECTION (pre) || SPK_IS_PROBE (pre) || (card = _spk_graph_view_lookup_card (self, pre)) == NULL)
    return;
  g_set_object (&self->connect_pre, pre);
  /* The card's output side, in widget coordinates. */
  wx = (card->x + card->w) * self->zoom + self->off_x;
  wy = (card->y + card->h / 2) * self->zoom + self->off_y;
  self->connect_x = wx;
  self->connect_y = wy;
  if (fill (self) == 0)
    {
      g_autofree char *label = port_name (pre, FALSE);
      g_autofree char *message = g_strdup_printf (_("%s has nothing it could feed"), label);

      g_clear_object (&self->connect_pre);
      _spk_graph_view_show_message (self, message, wx, wy);
      return;
    }
  title = g_strdup_printf (_("Connect %s to"), spk_object_get_label (pre));
  gtk_label_set_text (GTK_LABEL (self->connect_title), title);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->connect_popover),
                               &(GdkRectangle) { (int) wx, (int) wy, 1, 1 });
  gtk_editable_set_text (GTK_EDITABLE (self->connect_entry), "");
  gtk_list_box_invalidate_filter (GTK_LIST_BOX (self->connect_list));
  gtk_list_box_select_row (GTK_LIST_BOX (self->connect_list), first_visible (self));
  gtk_popover_popup (GTK_POPOVER (self->connect_popover));
  gtk_widget_grab_focus (self->connect_entry);
}
