/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-palette.c — the palette: one tile per object type a student can add
 * (Node, Ensemble, Probe, Layer).  Clicking a tile activates
 * "win.add-object" with the type's name, which adds the object at the
 * canvas centre; dragging a tile offers the GType (a G_TYPE_GTYPE value)
 * that the canvas accepts as a drop, placing the object where it falls.
 * The Network tile opens the Networks menu: every built-in network the
 * engine knows (spk_model_network_kinds()), each activating
 * "win.add-network" with its kind; dragged, it offers SpkSubnetwork's
 * GType, and the canvas lists the networks where it is dropped. */
#define G_LOG_DOMAIN "spk-palette"

#include "ui/shell/spk-palette.h"

#include "io/spk-model-json.h"
#include "model/spk-network.h"
#include "model/spk-subnetwork.h"
#include "ui/shell/spk-shell.h"

#include <glib/gi18n.h>

struct _SpkPalette
{
  GtkWidget  parent_instance;

  GtkWidget *node_button;
  GtkWidget *ensemble_button;
  GtkWidget *probe_button;
  GtkWidget *layer_button;
  GtkWidget *network_button;
};

G_DEFINE_FINAL_TYPE (SpkPalette, spk_palette, GTK_TYPE_WIDGET)

static GdkContentProvider *
drag_prepare_cb (GtkDragSource *source,
                 double         x,
                 double         y,
                 gpointer       data)
{
  GValue value = G_VALUE_INIT;
  GdkContentProvider *provider;

  g_value_init (&value, G_TYPE_GTYPE);
  g_value_set_gtype (&value, GPOINTER_TO_SIZE (data));
  provider = gdk_content_provider_new_for_value (&value);
  g_value_unset (&value);
  return provider;
}

static void
drag_begin_cb (GtkDragSource *source,
               GdkDrag       *drag,
               gpointer       data)
{
  GtkIconTheme *theme;
  g_autoptr (GtkIconPaintable) icon = NULL;
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));

  theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (widget));
  icon = gtk_icon_theme_lookup_icon (theme, spk_shell_type_icon_name (GPOINTER_TO_SIZE (data)),
                                     NULL, 48, gtk_widget_get_scale_factor (widget),
                                     GTK_TEXT_DIR_NONE, 0);
  gtk_drag_source_set_icon (source, GDK_PAINTABLE (icon), 24, 24);
}

static void
add_drag_source (GtkWidget *button,
                 GType      type)
{
  GtkDragSource *source = gtk_drag_source_new ();

  gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
  g_signal_connect (source, "prepare", G_CALLBACK (drag_prepare_cb), GSIZE_TO_POINTER (type));
  g_signal_connect (source, "drag-begin", G_CALLBACK (drag_begin_cb), GSIZE_TO_POINTER (type));
  gtk_widget_add_controller (button, GTK_EVENT_CONTROLLER (source));
}

static void
spk_palette_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), SPK_TYPE_PALETTE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (spk_palette_parent_class)->dispose (object);
}

static void
spk_palette_class_init (SpkPaletteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = spk_palette_dispose;

  spk_shell_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/org/spikeworks/Spikeworks/spk-palette.ui");
  gtk_widget_class_bind_template_child (widget_class, SpkPalette, node_button);
  gtk_widget_class_bind_template_child (widget_class, SpkPalette, ensemble_button);
  gtk_widget_class_bind_template_child (widget_class, SpkPalette, probe_button);
  gtk_widget_class_bind_template_child (widget_class, SpkPalette, layer_button);
  gtk_widget_class_bind_template_child (widget_class, SpkPalette, network_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "palette");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_TOOLBAR);
}

static void
spk_palette_init (SpkPalette *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  add_drag_source (self->node_button, SPK_TYPE_NODE);
  add_drag_source (self->ensemble_button, SPK_TYPE_ENSEMBLE);
  add_drag_source (self->probe_button, SPK_TYPE_PROBE);
  add_drag_source (self->layer_button, SPK_TYPE_LAYER);
  /* Dropped, it asks which network, where it fell.  The menu button's
   * own button takes the press, as the other tiles do. */
  add_drag_source (gtk_widget_get_first_child (self->network_button), SPK_TYPE_SUBNETWORK);
  {
    g_autoptr (GMenuModel) menu = spk_palette_networks_menu ();

    gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->network_button), menu);
  }
}

/**
 * spk_palette_networks_menu:
 *
 * The Networks menu: one item per built-in network of the engine's table,
 * in its order, activating "win.add-network" with the kind.
 *
 * Returns: (transfer full): the menu
 */
GMenuModel *
spk_palette_networks_menu (void)
{
  GMenu *menu = g_menu_new ();
  g_autoptr (GMenu) section = g_menu_new ();
  const char *const *kinds = spk_model_network_kinds ();

  for (guint i = 0; kinds[i] != NULL; i++)
    {
      g_autoptr (GMenuItem) item = g_menu_item_new (spk_shell_network_kind_display_name (kinds[i]), NULL);

      g_menu_item_set_action_and_target_value (item, "win.add-network", g_variant_new_string (kinds[i]));
      g_menu_append_item (section, item);
    }
  g_menu_append_section (menu, _("Networks"), G_MENU_MODEL (section));
  return G_MENU_MODEL (menu);
}

GtkWidget *
spk_palette_new (void)
{
  return g_object_new (SPK_TYPE_PALETTE, NULL);
}
