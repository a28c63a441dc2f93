/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-plot-grid-card.c — a plot's card: its header
 * with the title, a settings popover (range, neurons, tau), a menu (move,
 * export, remove) and drag and drop to rearrange the cards. */
#define G_LOG_DOMAIN "spk-plot-grid"

#include "spk-plot-grid-private.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "model/spk-network.h"

/* {{{ A card's menu and settings */

static void
export_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    SpkPlotView     *view)
{
  SpkPlotFormat format = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (chooser), "spk-format"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      g_autoptr (GError) error = NULL;
      /* Twice the size on screen: sharp on slides and in print. */
      int width = MAX (gtk_widget_get_width (GTK_WIDGET (view)), 480) * (format == SPK_PLOT_FORMAT_PNG ? 2 : 1);
      int height = MAX (gtk_widget_get_height (GTK_WIDGET (view)), 240) * (format == SPK_PLOT_FORMAT_PNG ? 2 : 1);

      if (path != NULL && !spk_plot_view_export (view, path, format, width, height, &error))
        {
          GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (view));
          GtkWidget *dialog = gtk_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                      GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                                      GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE,
                                                      _("Could not export the plot"));

          gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", error->message);
          g_signal_connect (dialog, "response", G_CALLBACK (gtk_window_destroy), NULL);
          gtk_window_present (GTK_WINDOW (dialog));
        }
    }
  g_object_unref (chooser);
}

static void
plot_export_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       data)
{
  SpkPlotView *view = data;
  static const char *extensions[] = { "png", "svg", "pdf", "csv" };
  const char *name = g_variant_get_string (parameter, NULL);
  SpkPlotFormat format = SPK_PLOT_FORMAT_PNG;
  GtkFileChooserNative *chooser;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (view));
  g_autofree char *suggested = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    if (g_str_equal (name, extensions[i]))
      format = i;
  chooser = gtk_file_chooser_native_new (format == SPK_PLOT_FORMAT_CSV ? _("Export Plot Data") : _("Export Plot"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  suggested = g_strdup_printf ("%s-%s.%s", spk_plot_view_get_target (view),
                               spk_plot_kind_to_name (spk_plot_view_get_kind (view)), extensions[format]);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested);
  g_object_set_data (G_OBJECT (chooser), "spk-format", GUINT_TO_POINTER (format));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_response_cb), view, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
plot_move_cb (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       data)
{
  SpkPlotView *view = data;
  SpkPlotGrid *self = SPK_PLOT_GRID (gtk_widget_get_ancestor (GTK_WIDGET (view), SPK_TYPE_PLOT_GRID));

  if (self != NULL)
    spk_plot_grid_move (self, view, g_variant_get_int32 (parameter));
}

static void
plot_remove_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       data)
{
  SpkPlotView *view = data;
  SpkPlotGrid *self = SPK_PLOT_GRID (gtk_widget_get_ancestor (GTK_WIDGET (view), SPK_TYPE_PLOT_GRID));

  if (self != NULL)
    spk_plot_grid_remove (self, view);
}

static GMenuModel *
card_menu (void)
{
  GMenu *menu = g_menu_new ();
  g_autoptr (GMenu) move = g_menu_new ();
  g_autoptr (GMenu) export = g_menu_new ();
  g_autoptr (GMenu) remove = g_menu_new ();

  g_menu_append (move, _("Move _Earlier"), "plot.move(-1)");
  g_menu_append (move, _("Move _Later"), "plot.move(1)");
  g_menu_append (export, _("Export as _PNG…"), "plot.export('png')");
  g_menu_append (export, _("Export as _SVG…"), "plot.export('svg')");
  g_menu_append (export, _("Export as P_DF…"), "plot.export('pdf')");
  g_menu_append (export, _("Export Data as _CSV…"), "plot.export('csv')");
  g_menu_append (remove, _("_Remove Plot"), "plot.remove");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (move));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (export));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (remove));
  return G_MENU_MODEL (menu);
}

static GtkWidget *
labelled (const char *text,
          GtkWidget  *control)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), control);
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (row), control);
  return row;
}

static void
order_selected_cb (GtkDropDown *drop,
                   GParamSpec  *pspec,
                   SpkPlotView *view)
{
  g_object_set (view, "order", gtk_drop_down_get_selected (drop), NULL);
}

static GtkWidget *
settings_popover (SpkPlotView *view)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  SpkPlotKind kind = spk_plot_view_get_kind (view);

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  if (kind == SPK_PLOT_VALUE || kind == SPK_PLOT_VOLTAGE || kind == SPK_PLOT_CURRENT
      || kind == SPK_PLOT_FILTERED || kind == SPK_PLOT_XY || kind == SPK_PLOT_DECODED)
    {
      GtkWidget *autoscale = gtk_switch_new ();
      GtkWidget *lo = gtk_spin_button_new_with_range (-1e6, 1e6, 0.1);
      GtkWidget *hi = gtk_spin_button_new_with_range (-1e6, 1e6, 0.1);

      g_object_bind_property (view, "autoscale", autoscale, "active", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
      g_object_bind_property (view, "y-min", lo, "value", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
      g_object_bind_property (view, "y-max", hi, "value", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
      g_object_bind_property (autoscale, "active", lo, "sensitive", G_BINDING_INVERT_BOOLEAN | G_BINDING_SYNC_CREATE);
      g_object_bind_property (autoscale, "active", hi, "sensitive", G_BINDING_INVERT_BOOLEAN | G_BINDING_SYNC_CREATE);
      gtk_box_append (GTK_BOX (box), labelled (_("_Autoscale"), autoscale));
      gtk_box_append (GTK_BOX (box), labelled (_("_Lowest value"), lo));
      gtk_box_append (GTK_BOX (box), labelled (_("_Highest value"), hi));
    }
  if (kind == SPK_PLOT_FILTERED)
    {
      GtkWidget *tau = gtk_spin_button_new_with_range (0, 1, 0.005);

      gtk_spin_button_set_digits (GTK_SPIN_BUTTON (tau), 3);
      g_object_bind_property (view, "tau", tau, "value", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
      gtk_box_append (GTK_BOX (box), labelled (_("Lowpass _tau (s)"), tau));
    }
  if (kind == SPK_PLOT_SPIKES || kind == SPK_PLOT_FILTERED || kind == SPK_PLOT_VOLTAGE
      || kind == SPK_PLOT_CURRENT || kind == SPK_PLOT_TUNING)
    {
      GtkWidget *first = gtk_spin_button_new_with_range (0, 1e6, 1);
      GtkWidget *count = gtk_spin_button_new_with_range (0, 1e6, 1);
      const char *orders[] = { _("By index"), _("By encoder"), _("By firing rate"), NULL };
      GtkWidget *order = gtk_drop_down_new_from_strings (orders);

      gtk_widget_set_tooltip_text (count, _("0 shows every neuron"));
      g_object_bind_property (view, "first-neuron", first, "value", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
      g_object_bind_property (view, "max-neurons", count, "value", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
      gtk_drop_down_set_selected (GTK_DROP_DOWN (order), spk_plot_view_get_order (view));
      g_signal_connect_object (order, "notify::selected", G_CALLBACK (order_selected_cb), view, 0);
      gtk_box_append (GTK_BOX (box), labelled (_("_First neuron"), first));
      gtk_box_append (GTK_BOX (box), labelled (_("_Number of neurons"), count));
      gtk_box_append (GTK_BOX (box), labelled (_("_Order"), order));
    }
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  return popover;
}

/* Rearranging by drag and drop: a card's header is the handle, and
 * dropping it on another card puts the dragged plot in that card's place. */

static GdkContentProvider *
header_drag_prepare_cb (GtkDragSource *source,
                        double         x,
                        double         y,
                        SpkPlotView   *view)
{
  return gdk_content_provider_new_typed (SPK_TYPE_PLOT_VIEW, view);
}

static void
header_drag_begin_cb (GtkDragSource *source,
                      GdkDrag       *drag,
                      SpkPlotView   *view)
{
  GtkWidget *card = gtk_widget_get_parent (GTK_WIDGET (view));
  g_autoptr (GdkPaintable) icon = gtk_widget_paintable_new (card);

  gtk_drag_source_set_icon (source, icon, 0, 0);
}

static gboolean
card_drop_cb (GtkDropTarget *target,
              const GValue  *value,
              double         x,
              double         y,
              SpkPlotView   *onto)
{
  SpkPlotView *dragged = g_value_get_object (value);
  SpkPlotGrid *self = SPK_PLOT_GRID (gtk_widget_get_ancestor (GTK_WIDGET (onto), SPK_TYPE_PLOT_GRID));
  guint index;

  if (self == NULL || dragged == NULL || dragged == onto || _spk_plot_grid_find_slot (self, dragged, NULL) == NULL
      || _spk_plot_grid_find_slot (self, onto, &index) == NULL)
    return FALSE;
  spk_plot_grid_move_to (self, dragged, index);
  return TRUE;
}

GtkWidget *
_spk_plot_grid_make_card (SpkPlotGrid *self,
                          Slot        *slot)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *settings = gtk_menu_button_new ();
  GtkWidget *menu = gtk_menu_button_new ();
  g_autoptr (GMenuModel) model = card_menu ();
  g_autoptr (GSimpleActionGroup) group = g_simple_action_group_new ();
  const GActionEntry entries[] = {
    { .name = "move", .activate = plot_move_cb, .parameter_type = "i" },
    { .name = "export", .activate = plot_export_cb, .parameter_type = "s" },
    { .name = "remove", .activate = plot_remove_cb },
  };
  g_autofree char *title = _spk_plot_grid_default_title (slot->view);

  gtk_widget_add_css_class (card, "spk-plot-card");
  slot->title = gtk_label_new (NULL);
  gtk_widget_add_css_class (slot->title, "spk-plot-title");
  gtk_label_set_xalign (GTK_LABEL (slot->title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (slot->title), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (slot->title, TRUE);
  if (spk_plot_view_get_title (slot->view) == NULL)
    spk_plot_view_set_title (slot->view, title);
  g_object_bind_property (slot->view, "title", slot->title, "label", G_BINDING_SYNC_CREATE);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (settings), "emblem-system-symbolic");
  gtk_widget_set_tooltip_text (settings, _("Plot settings"));
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (settings), settings_popover (slot->view));
  gtk_widget_add_css_class (settings, "flat");
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu), "view-more-symbolic");
  gtk_widget_set_tooltip_text (menu, _("Move, export or remove this plot"));
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu), model);
  gtk_widget_add_css_class (menu, "flat");

  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries), slot->view);
  gtk_widget_insert_action_group (card, "plot", G_ACTION_GROUP (group));

  gtk_box_append (GTK_BOX (header), slot->title);
  gtk_box_append (GTK_BOX (header), settings);
  gtk_box_append (GTK_BOX (header), menu);
  gtk_box_append (GTK_BOX (card), header);
  gtk_box_append (GTK_BOX (card), GTK_WIDGET (slot->view));

  {
    GtkDragSource *source = gtk_drag_source_new ();
    GtkDropTarget *target = gtk_drop_target_new (SPK_TYPE_PLOT_VIEW, GDK_ACTION_MOVE);

    gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
    g_signal_connect (source, "prepare", G_CALLBACK (header_drag_prepare_cb), slot->view);
    g_signal_connect (source, "drag-begin", G_CALLBACK (header_drag_begin_cb), slot->view);
    gtk_widget_add_controller (header, GTK_EVENT_CONTROLLER (source));
    gtk_widget_set_cursor_from_name (header, "grab");
    gtk_widget_set_tooltip_text (slot->title, _("Drag the title onto another plot to move this one there"));
    g_signal_connect (target, "drop", G_CALLBACK (card_drop_cb), slot->view);
    gtk_widget_add_controller (card, GTK_EVENT_CONTROLLER (target));
  }
  return card;
}

/* }}} */
