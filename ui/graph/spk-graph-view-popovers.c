/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-graph-view-popovers.c — the popovers the canvas opens at the
 * pointer: the searchable Add list (Shift+A, a double click or a right
 * click on empty canvas, or a connection released on empty canvas, which
 * then connects what it creates; the presets, then every built-in network
 * of the engine's table, or those alone when the palette's Network tile
 * is dropped), and the short message that says why a connection was
 * refused.
 */
#define G_LOG_DOMAIN "spk-graph-view"

#include "spk-graph-view-private.h"

#include "io/spk-model-json.h"
#include "ui/shell/spk-shell.h"

#include <glib/gi18n.h>

typedef struct
{
  const char *preset;
  const char *title;
  const char *subtitle;
  SpkCardKind kind;
} Preset;

static const Preset presets[] = {
  { "ensemble", N_("Ensemble"), N_("50 spiking LIF neurons representing one value"), SPK_CARD_ENSEMBLE },
  { "ensemble-2d", N_("2-D ensemble"), N_("100 LIF neurons representing a 2-D vector"), SPK_CARD_ENSEMBLE },
  { "ensemble-relu", N_("Rectified-linear ensemble"), N_("50 non-spiking neurons, for training"), SPK_CARD_ENSEMBLE },
  { "node", N_("Sine wave"), N_("A node whose output is sin(2πt)"), SPK_CARD_NODE },
  { "node-constant", N_("Constant"), N_("A node that holds the value 0.5"), SPK_CARD_NODE },
  { "node-noise", N_("Random signal"), N_("A node producing smooth noise up to 5 Hz"), SPK_CARD_NODE },
  { "node-passthrough", N_("Pass-through node"), N_("Gathers inputs and passes them on"), SPK_CARD_NODE },
  { "probe", N_("Probe"), N_("Records a signal so it can be plotted"), SPK_CARD_PROBE },
  { "layer-dense", N_("Dense layer"), N_("A trainable Keras Dense layer: weights · x + bias"), SPK_CARD_LAYER },
  { "layer-conv2d", N_("Conv2D layer"), N_("A trainable 3 × 3 convolution of a 28 × 28 image, 8 filters"), SPK_CARD_LAYER },
};

static const char *kind_classes[SPK_N_CARD_KINDS] = { "node", "ensemble", "probe", "layer" };

/* A built-in network's row: its preset is "network:" and its kind. */
#define NETWORK_PRESET "network:"

static gboolean
row_matches (GtkListBoxRow *row,
             gpointer       data)
{
  SpkGraphView *self = data;
  const char *preset = g_object_get_data (G_OBJECT (row), "preset");
  const char *words = g_object_get_data (G_OBJECT (row), "words");
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->add_entry));
  g_autofree char *needle = NULL;
  g_autofree char *haystack = NULL;

  if (self->add_networks_only && !g_str_has_prefix (preset, NETWORK_PRESET))
    return FALSE;
  if (text == NULL || *text == '\0')
    return TRUE;
  needle = g_utf8_casefold (text, -1);
  haystack = g_utf8_casefold (words, -1);
  return strstr (haystack, needle) != NULL;
}

static GtkListBoxRow *
first_visible_row (SpkGraphView *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (self->add_list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && gtk_widget_get_child_visible (row)
        && row_matches (GTK_LIST_BOX_ROW (row), self))
      return GTK_LIST_BOX_ROW (row);
  return NULL;
}

static void
search_changed_cb (GtkSearchEntry *entry,
                   SpkGraphView   *self)
{
  gtk_list_box_invalidate_filter (GTK_LIST_BOX (self->add_list));
  gtk_list_box_select_row (GTK_LIST_BOX (self->add_list), first_visible_row (self));
}

/* A network added from a connection drag takes the connection on its
 * "input" (Nengo's name for what most built-in networks take in). */
static SpkObject *
network_input (SpkGraphView *self,
               SpkObject    *net)
{
  g_autofree char *input = g_strconcat (spk_object_get_label (net), ".input", NULL);

  return spk_network_lookup (self->network, input);
}

static void
create_from_row (SpkGraphView  *self,
                 GtkListBoxRow *row)
{
  const char *preset = g_object_get_data (G_OBJECT (row), "preset");
  g_autoptr (SpkObject) pre = self->add_pre != NULL ? g_object_ref (self->add_pre) : NULL;
  gboolean pre_neurons = self->add_pre_neurons;
  double x = self->add_x, y = self->add_y;
  g_autoptr (GError) error = NULL;
  SpkObject *object;

  gtk_popover_popdown (GTK_POPOVER (self->add_popover));
  if (pre != NULL)
    {
      /* Arriving from a connection drag: the card goes to the right of
       * the pointer, and takes the size of what feeds it. */
      x += 100;
    }
  if (g_str_has_prefix (preset, NETWORK_PRESET))
    {
      object = spk_graph_view_add_network (self, preset + strlen (NETWORK_PRESET), x, y);
      object = object != NULL && pre != NULL ? network_input (self, object) : NULL;
      if (object != NULL && !spk_graph_view_connect (self, pre, pre_neurons, object, FALSE, &error) && error != NULL)
        _spk_graph_view_show_message (self, error->message, self->pointer_x, self->pointer_y);
      return;
    }
  object = _spk_graph_view_add_preset (self, preset, x, y);
  if (object == NULL || pre == NULL)
    return;
  if (!pre_neurons && _spk_graph_output_size (pre, FALSE) > 0)
    {
      guint size = _spk_graph_output_size (pre, FALSE);

      if (SPK_IS_ENSEMBLE (object))
        spk_ensemble_set_dimensions (SPK_ENSEMBLE (object), (int) size);
      else if (SPK_IS_NODE (object) && spk_node_get_size_in (SPK_NODE (object)) > 0)
        spk_node_set_size_in (SPK_NODE (object), size);
    }
  if (!spk_graph_view_connect (self, pre, pre_neurons, object, FALSE, &error) && error != NULL)
    _spk_graph_view_show_message (self, error->message, self->pointer_x, self->pointer_y);
}

static void
row_activated_cb (GtkListBox    *list,
                  GtkListBoxRow *row,
                  SpkGraphView  *self)
{
  create_from_row (self, row);
}

static void
entry_activate_cb (GtkSearchEntry *entry,
                   SpkGraphView   *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (GTK_LIST_BOX (self->add_list));

  if (row == NULL)
    row = first_visible_row (self);
  if (row != NULL)
    create_from_row (self, row);
}

static void
stop_search_cb (GtkSearchEntry *entry,
                SpkGraphView   *self)
{
  gtk_popover_popdown (GTK_POPOVER (self->add_popover));
}

static void
add_closed_cb (GtkPopover   *popover,
               SpkGraphView *self)
{
  g_clear_object (&self->add_pre);
  self->add_networks_only = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->add_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

/* A row of the list: preset is what activating it adds ("ensemble", or
 * "network:" and a kind); title and subtitle are shown translated. */
static GtkWidget *
make_row (const char *preset,
          const char *title_text,
          const char *subtitle_text,
          const char *css_class)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *swatch = gtk_label_new (NULL);
  GtkWidget *title = gtk_label_new (title_text);
  GtkWidget *subtitle = gtk_label_new (subtitle_text);

  /* A strip in the kind's colour, as on the card it makes. */
  gtk_widget_add_css_class (swatch, "spk-graph-swatch");
  gtk_widget_add_css_class (swatch, css_class);
  gtk_widget_set_size_request (swatch, 6, -1);
  gtk_widget_set_halign (title, GTK_ALIGN_START);
  gtk_widget_add_css_class (title, "heading");
  gtk_widget_set_halign (subtitle, GTK_ALIGN_START);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_max_width_chars (GTK_LABEL (subtitle), 36);
  gtk_box_append (GTK_BOX (text), title);
  gtk_box_append (GTK_BOX (text), subtitle);
  gtk_box_append (GTK_BOX (box), swatch);
  gtk_box_append (GTK_BOX (box), text);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "preset", g_strdup (preset), g_free);
  /* What a search matches: the words shown, and the untranslated name. */
  g_object_set_data_full (G_OBJECT (row), "words", g_strdup_printf ("%s %s %s", title_text, subtitle_text, preset),
                          g_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title_text,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle_text,
                                  -1);
  return row;
}

static void
message_closed_cb (GtkPopover   *popover,
                   SpkGraphView *self)
{
  g_clear_handle_id (&self->message_timeout, g_source_remove);
}

void
_spk_graph_view_init_popovers (SpkGraphView *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *scroller = gtk_scrolled_window_new ();

  self->add_popover = gtk_popover_new ();
  gtk_widget_set_parent (self->add_popover, GTK_WIDGET (self));
  gtk_popover_set_position (GTK_POPOVER (self->add_popover), GTK_POS_BOTTOM);
  g_signal_connect (self->add_popover, "closed", G_CALLBACK (add_closed_cb), self);

  self->add_entry = gtk_search_entry_new ();
  g_object_set (self->add_entry, "placeholder-text", _("Search objects to add"), NULL);
  g_signal_connect (self->add_entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect (self->add_entry, "activate", G_CALLBACK (entry_activate_cb), self);
  g_signal_connect (self->add_entry, "stop-search", G_CALLBACK (stop_search_cb), self);

  self->add_list = gtk_list_box_new ();
  gtk_list_box_set_activate_on_single_click (GTK_LIST_BOX (self->add_list), TRUE);
  gtk_list_box_set_filter_func (GTK_LIST_BOX (self->add_list), row_matches, self, NULL);
  gtk_widget_add_css_class (self->add_list, "navigation-sidebar");
  for (guint i = 0; i < G_N_ELEMENTS (presets); i++)
    gtk_list_box_append (GTK_LIST_BOX (self->add_list),
                         make_row (presets[i].preset, _(presets[i].title), _(presets[i].subtitle),
                                   kind_classes[presets[i].kind]));
  for (const char *const *kind = spk_model_network_kinds (); *kind != NULL; kind++)
    {
      g_autofree char *preset = g_strconcat (NETWORK_PRESET, *kind, NULL);

      gtk_list_box_append (GTK_LIST_BOX (self->add_list),
                           make_row (preset, spk_shell_network_kind_display_name (*kind),
                                     spk_model_network_kind_description (*kind), "network"));
    }
  g_signal_connect (self->add_list, "row-activated", G_CALLBACK (row_activated_cb), self);
  gtk_search_entry_set_key_capture_widget (GTK_SEARCH_ENTRY (self->add_entry), self->add_list);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 420);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->add_list);
  gtk_box_append (GTK_BOX (box), self->add_entry);
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_widget_set_size_request (box, 320, -1);
  gtk_popover_set_child (GTK_POPOVER (self->add_popover), box);

  self->message_popover = gtk_popover_new ();
  gtk_widget_set_parent (self->message_popover, GTK_WIDGET (self));
  gtk_popover_set_autohide (GTK_POPOVER (self->message_popover), FALSE);
  self->message_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->message_label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->message_label), 40);
  gtk_widget_set_margin_start (self->message_label, 6);
  gtk_widget_set_margin_end (self->message_label, 6);
  gtk_popover_set_child (GTK_POPOVER (self->message_popover), self->message_label);
  g_signal_connect (self->message_popover, "closed", G_CALLBACK (message_closed_cb), self);
}

/* Opens the Add popover at widget point (wx, wy).  With pre, what is
 * chosen gets connected from pre (or its neurons). */
void
_spk_graph_view_popup_add (SpkGraphView *self,
                           double        wx,
                           double        wy,
                           SpkObject    *pre,
                           gboolean      pre_neurons)
{
  if (self->network == NULL)
    return;
  self->add_networks_only = FALSE;
  _spk_graph_view_to_layout (self, wx, wy, &self->add_x, &self->add_y);
  g_set_object (&self->add_pre, pre);
  self->add_pre_neurons = pre_neurons;
  gtk_popover_set_pointing_to (GTK_POPOVER (self->add_popover),
                               &(GdkRectangle) { (int) wx, (int) wy, 1, 1 });
  gtk_editable_set_text (GTK_EDITABLE (self->add_entry), "");
  gtk_list_box_invalidate_filter (GTK_LIST_BOX (self->add_list));
  gtk_list_box_select_row (GTK_LIST_BOX (self->add_list), first_visible_row (self));
  gtk_popover_popup (GTK_POPOVER (self->add_popover));
  gtk_widget_grab_focus (self->add_entry);
}

static gboolean
message_timeout_cb (gpointer data)
{
  SpkGraphView *self = data;

  self->message_timeout = 0;
  gtk_popover_popdown (GTK_POPOVER (self->message_popover));
  return G_SOURCE_REMOVE;
}

/* Says why something was refused, at widget point (wx, wy), for a few
 * seconds. */
void
_spk_graph_view_show_message (SpkGraphView *self,
                              const char   *message,
                              double        wx,
                              double        wy)
{
  gtk_label_set_text (GTK_LABEL (self->message_label), message);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->message_popover),
                               &(GdkRectangle) { (int) wx, (int) wy, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->message_popover));
  g_clear_handle_id (&self->message_timeout, g_source_remove);
  self->message_timeout = g_timeout_add_seconds (5, message_timeout_cb, self);
}

/* The Add list with the built-in networks alone, at widget point (wx,
 * wy): where the palette's Network tile was dropped. */
void
_spk_graph_view_popup_add_network (SpkGraphView *self,
                                   double        wx,
                                   double        wy)
{
  _spk_graph_view_popup_add (self, wx, wy, NULL, FALSE);
  self->add_networks_only = TRUE;
  gtk_list_box_invalidate_filter (GTK_LIST_BOX (self->add_list));
  gtk_list_box_select_row (GTK_LIST_BOX (self->add_list), first_visible_row (self));
}
