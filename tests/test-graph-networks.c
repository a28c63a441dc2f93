/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-graph-networks.c — the workbench's groups are the model's
 * sub-networks, in a real window under Xvfb driven through its actions:
 * Ctrl+G makes a network that Save writes (session and model file) and
 * that reopens as the same group; undo and redo; renaming in the
 * inspector; nesting a group inside another and ungrouping it again;
 * deleting a group's cards deletes its network; every built-in network of
 * the engine's table added from the palette's Networks menu, opened in
 * place; and a session saved by the previous version, whose groups were
 * the canvas's alone, opening with them as networks.  Set
 * SPK_TEST_SCREENSHOTS to a directory to keep the rendered PNGs. */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "io/spk-model-json.h"
#include "io/spk-session.h"
#include "model/spk-subnetwork.h"
#include "ui/graph/spk-graph-view.h"
#include "ui/graph/spk-layout.h"
#include "ui/shell/spk-inspector.h"
#include "ui/shell/spk-palette.h"
#include "ui/shell/spk-window.h"
#include "spk-ui-test-util.h"

static void
activate (GtkWidget  *widget,
          const char *action,
          GVariant   *parameter)
{
  g_assert_true (gtk_widget_activate_action_variant (widget, action, parameter));
  ut_drain ();
}

static SpkObject *
lookup (SpkWindow  *window,
        const char *label)
{
  return spk_network_lookup (spk_window_get_network (window), label);
}

static SpkLayout *
layout_of (SpkWindow *window)
{
  return spk_graph_view_get_layout (spk_window_get_graph_view (window));
}

static void
select_labels (SpkWindow         *window,
               const char *const *labels)
{
  SpkGraphView *view = spk_window_get_graph_view (window);

  spk_graph_view_clear_selection (view);
  for (guint i = 0; labels[i] != NULL; i++)
    spk_graph_view_select (view, lookup (window, labels[i]), TRUE);
  ut_drain ();
}

/* Selects a group's cards, as clicking its card does. */
static void
select_group (SpkWindow  *window,
              const char *label)
{
  SpkLayoutGroup *group = spk_layout_lookup_group (layout_of (window), label);
  GPtrArray *members;
  SpkGraphView *view = spk_window_get_graph_view (window);

  g_assert_nonnull (group);
  members = spk_layout_group_get_members (group);
  spk_graph_view_clear_selection (view);
  for (guint i = 0; i < members->len; i++)
    spk_graph_view_select (view, g_ptr_array_index (members, i), TRUE);
  ut_drain ();
}

static void
assert_in (SpkWindow  *window,
           const char *object,
           const char *net)
{
  SpkObject *o = lookup (window, object);

  g_assert_nonnull (o);
  if (net == NULL)
    g_assert_null (spk_object_get_network (o));
  else
    {
      g_assert_nonnull (spk_object_get_network (o));
      g_assert_cmpstr (spk_object_get_label (spk_object_get_network (o)), ==, net);
    }
}

static guint
n_members (SpkWindow  *window,
           const char *group)
{
  SpkLayoutGroup *g = spk_layout_lookup_group (layout_of (window), group);

  g_assert_nonnull (g);
  return spk_layout_group_get_members (g)->len;
}

static char *
temp_path (const char *name)
{
  return g_build_filename (g_get_tmp_dir (), name, NULL);
}

/* A window on a new, empty model, as New (Ctrl+N) gives. */
static SpkWindow *
new_empty (int width,
           int height)
{
  SpkWindow *window = ut_window_new (NULL, width, height);

  spk_window_new_model (window);
  ut_wait_for_frames (GTK_WIDGET (window), 2);
  return window;
}

static SpkWindow *
reopen (const char *path)
{
  SpkWindow *window = ut_window_new (NULL, 0, 0);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;

  g_assert_true (spk_window_open_file (window, file, &error));
  g_assert_no_error (error);
  ut_drain ();
  return window;
}

static void
save (SpkWindow  *window,
      const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;

  g_assert_true (spk_window_save_file (window, file, &error));
  g_assert_no_error (error);
}

/* The object entries of a model file's JSON text, as a parsed array. */
static JsonArray *
model_objects (const char *text,
               JsonParser *parser)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "objects");
}

/* The file's entry of label at any depth (a network lists its objects
 * under "objects"), or NULL; *net: the label of the network it is in. */
static JsonObject *
find_entry (JsonArray   *objects,
            const char  *label,
            const char  *outer,
            const char **net)
{
  for (guint i = 0; i < json_array_get_length (objects); i++)
    {
      JsonObject *o = json_array_get_object_element (objects, i);
      const char *name = json_object_get_string_member_with_default (o, "label", NULL);
      JsonObject *found;

      if (g_strcmp0 (name, label) == 0)
        {
          *net = outer;
          return o;
        }
      if (json_object_has_member (o, "objects")
          && (found = find_entry (json_object_get_array_member (o, "objects"), label, name, net)) != NULL)
        return found;
    }
  return NULL;
}

/* Asserts that the file has label inside net (NULL: at the top level),
 * and returns its entry. */
static JsonObject *
assert_entry (JsonArray  *objects,
              const char *label,
              const char *net)
{
  const char *in = NULL;
  JsonObject *entry = find_entry (objects, label, NULL, &in);

  g_assert_nonnull (entry);
  g_assert_cmpstr (in, ==, net);
  return entry;
}

static void
screenshot (SpkWindow  *window,
            const char *name)
{
  const char *dir = g_getenv ("SPK_TEST_SCREENSHOTS");
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;

  if (dir == NULL)
    return;
  ut_wait_for_frames (GTK_WIDGET (window), 2);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (spk_window_save_screenshot (window, path, &error));
}

/* Ctrl+G: a network of the model, which the session and the model file
 * hold; the session reopens with the same group, collapsed; undo and
 * redo take the network away and back. */
static void
test_group_saves_network (void)
{
  SpkWindow *window = ut_window_new_drawn ("nef-sin-x-squared");
  GtkWidget *view = GTK_WIDGET (spk_window_get_graph_view (window));
  g_autofree char *session = temp_path ("spk-test-networks-group.spkw");
  g_autofree char *model = temp_path ("spk-test-networks-group.json");
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  JsonArray *objects;
  JsonObject *entry;
  SpkWindow *reopened;

  select_labels (window, (const char *[]) { "x", "x_squared", NULL });
  activate (view, "graph.group", NULL);
  g_assert_true (SPK_IS_SUBNETWORK (lookup (window, "network_1")));
  assert_in (window, "x", "network_1");
  assert_in (window, "x_squared", "network_1");
  assert_in (window, "input", NULL);
  g_assert_cmpuint (n_members (window, "network_1"), ==, 2);
  /* The connection between them goes in; the ones from and to outside stay. */
  {
    GPtrArray *all = spk_network_get_objects (spk_window_get_network (window));
    guint inside = 0;

    for (guint i = 0; i < all->len; i++)
      if (SPK_IS_CONNECTION (g_ptr_array_index (all, i))
          && spk_object_get_network (g_ptr_array_index (all, i)) == lookup (window, "network_1"))
        inside++;
    g_assert_cmpuint (inside, ==, 1);
  }
  /* The inspector shows the network (to rename it). */
  g_assert_true (g_ptr_array_index (spk_inspector_get_objects (spk_window_get_inspector (window)), 0)
                 == (gpointer) lookup (window, "network_1"));
  g_assert_cmpstr (spk_inspector_get_title (spk_window_get_inspector (window)), ==, "network_1");

  /* Undo: no network, no group; redo: both back. */
  activate (GTK_WIDGET (window), "win.undo", NULL);
  g_assert_null (lookup (window, "network_1"));
  assert_in (window, "x", NULL);
  g_assert_null (spk_layout_lookup_group (layout_of (window), "network_1"));
  activate (GTK_WIDGET (window), "win.redo", NULL);
  g_assert_true (SPK_IS_SUBNETWORK (lookup (window, "network_1")));
  assert_in (window, "x", "network_1");
  assert_in (window, "x_squared", "network_1");
  g_assert_cmpuint (n_members (window, "network_1"), ==, 2);

  save (window, session);
  save (window, model);
  ut_window_free (window);

  /* The model file: a network object, and its objects naming it. */
  g_assert_true (g_file_get_contents (model, &text, NULL, &error));
  objects = model_objects (text, parser);
  entry = assert_entry (objects, "network_1", NULL);
  g_assert_cmpstr (json_object_get_string_member (entry, "type"), ==, "network");
  assert_entry (objects, "x", "network_1");
  assert_entry (objects, "x_squared", "network_1");
  assert_entry (objects, "input", NULL);

  /* The session: the same, and the group on the canvas. */
  reopened = reopen (session);
  g_assert_true (SPK_IS_SUBNETWORK (lookup (reopened, "network_1")));
  assert_in (reopened, "x", "network_1");
  assert_in (reopened, "x_squared", "network_1");
  g_assert_cmpuint (n_members (reopened, "network_1"), ==, 2);
  g_assert_true (spk_layout_group_get_collapsed (spk_layout_lookup_group (layout_of (reopened), "network_1")));
  g_assert_false (spk_undo_stack_get_modified (spk_window_get_undo_stack (reopened)));
  ut_window_free (reopened);

  /* The model file reopens with the network as a group too. */
  reopened = reopen (model);
  assert_in (reopened, "x", "network_1");
  g_assert_cmpuint (n_members (reopened, "network_1"), ==, 2);
  ut_window_free (reopened);
  g_unlink (session);
  g_unlink (model);
}

/* Renaming the network in the inspector renames its group; the file
 * keeps the new name; undo brings the old one back. */
static void
test_rename (void)
{
  SpkWindow *window = ut_window_new_drawn ("nef-sin-x-squared");
  SpkInspector *inspector = spk_window_get_inspector (window);
  g_autofree char *session = temp_path ("spk-test-networks-rename.spkw");
  GtkWidget *entry;
  SpkWindow *reopened;

  select_labels (window, (const char *[]) { "x", "x_squared", NULL });
  activate (GTK_WIDGET (spk_window_get_graph_view (window)), "graph.group", NULL);
  entry = spk_inspector_get_editor (inspector, "label");
  g_assert_true (ADW_IS_ENTRY_ROW (entry));
  /* Only the label and the seed: a network has no neurons of its own. */
  g_assert_null (spk_inspector_get_editor (inspector, "n-neurons"));
  g_assert_null (spk_inspector_get_editor (inspector, "kind"));
  gtk_editable_set_text (GTK_EDITABLE (entry), "encoder");
  g_signal_emit_by_name (entry, "apply");
  ut_drain ();
  g_assert_cmpstr (spk_object_get_label (spk_object_get_network (lookup (window, "x"))), ==, "encoder");
  g_assert_null (spk_layout_lookup_group (layout_of (window), "network_1"));
  g_assert_cmpuint (n_members (window, "encoder"), ==, 2);
  g_assert_cmpstr (spk_inspector_get_title (inspector), ==, "encoder");
  save (window, session);

  activate (GTK_WIDGET (window), "win.undo", NULL);
  assert_in (window, "x", "network_1");
  g_assert_cmpuint (n_members (window, "network_1"), ==, 2);
  g_assert_null (spk_layout_lookup_group (layout_of (window), "encoder"));
  ut_window_free (window);

  reopened = reopen (session);
  assert_in (reopened, "x", "encoder");
  assert_in (reopened, "x_squared", "encoder");
  g_assert_cmpuint (n_members (reopened, "encoder"), ==, 2);
  ut_window_free (reopened);
  g_unlink (session);
}

/* A group selected whole with other cards goes into the new group as a
 * nested network; saved and reopened, the nesting stays; ungrouping the
 * outer one brings the inner one back as a group of its own. */
static void
test_nest (void)
{
  SpkWindow *window = ut_window_new_drawn ("nef-sin-x-squared");
  GtkWidget *view = GTK_WIDGET (spk_window_get_graph_view (window));
  g_autofree char *session = temp_path ("spk-test-networks-nest.spkw");
  SpkWindow *reopened;

  select_labels (window, (const char *[]) { "x", "x_squared", NULL });
  activate (view, "graph.group", NULL);
  select_group (window, "network_1");
  spk_graph_view_select (SPK_GRAPH_VIEW (view), lookup (window, "output"), TRUE);
  activate (view, "graph.group", NULL);
  assert_in (window, "network_1", "network_2");
  assert_in (window, "output", "network_2");
  assert_in (window, "x", "network_1");
  g_assert_null (spk_layout_lookup_group (layout_of (window), "network_1"));
  g_assert_cmpuint (n_members (window, "network_2"), ==, 3);
  save (window, session);

  /* Undo: the inner group and its network as they were. */
  activate (GTK_WIDGET (window), "win.undo", NULL);
  assert_in (window, "network_1", NULL);
  assert_in (window, "output", NULL);
  g_assert_null (lookup (window, "network_2"));
  g_assert_cmpuint (n_members (window, "network_1"), ==, 2);
  ut_window_free (window);

  reopened = reopen (session);
  assert_in (reopened, "network_1", "network_2");
  assert_in (reopened, "x", "network_1");
  assert_in (reopened, "output", "network_2");
  g_assert_cmpuint (n_members (reopened, "network_2"), ==, 3);
  /* Opened in place (Alt+Down on one of its cards), the inner network is
   * marked by a frame of its own. */
  select_labels (reopened, (const char *[]) { "output", NULL });
  activate (GTK_WIDGET (spk_window_get_graph_view (reopened)), "graph.toggle-group", NULL);
  g_assert_false (spk_layout_group_get_collapsed (spk_layout_lookup_group (layout_of (reopened), "network_2")));
  screenshot (reopened, "networks-nested-open.png");

  /* Ctrl+Shift+G: network_2 goes, network_1 shows as a group again. */
  activate (GTK_WIDGET (spk_window_get_graph_view (reopened)), "graph.ungroup", NULL);
  g_assert_null (lookup (reopened, "network_2"));
  assert_in (reopened, "network_1", NULL);
  assert_in (reopened, "output", NULL);
  assert_in (reopened, "x", "network_1");
  g_assert_cmpuint (n_members (reopened, "network_1"), ==, 2);
  activate (GTK_WIDGET (reopened), "win.undo", NULL);
  assert_in (reopened, "network_1", "network_2");
  g_assert_cmpuint (n_members (reopened, "network_2"), ==, 3);
  ut_window_free (reopened);
  g_unlink (session);
}

static gboolean
rect_inside (const graphene_rect_t *inner,
             const graphene_rect_t *outer)
{
  return inner->origin.x >= outer->origin.x && inner->origin.y >= outer->origin.y
         && inner->origin.x + inner->size.width <= outer->origin.x + outer->size.width
         && inner->origin.y + inner->size.height <= outer->origin.y + outer->size.height;
}

/* A network nested in an open one shows as a collapsed card of its own
 * inside the outer frame; selected, it is what the inspector shows, it
 * opens in place (Return) and closes (Alt+Up), and it is renamed on its
 * own, its open state following the name into the saved session; undo
 * brings the old name back. */
static void
test_nested_open_rename (void)
{
  SpkWindow *window = ut_window_new_drawn ("nef-sin-x-squared");
  SpkGraphView *view = spk_window_get_graph_view (window);
  SpkInspector *inspector = spk_window_get_inspector (window);
  g_autofree char *session = temp_path ("spk-test-networks-nested-open.spkw");
  graphene_rect_t outer, inner, card;
  GtkWidget *entry;
  SpkWindow *reopened;

  select_labels (window, (const char *[]) { "x", "x_squared", NULL });
  activate (GTK_WIDGET (view), "graph.group", NULL);
  select_group (window, "network_1");
  spk_graph_view_select (view, lookup (window, "output"), TRUE);
  activate (GTK_WIDGET (view), "graph.group", NULL);
  assert_in (window, "network_1", "network_2");

  /* Open the outer one: the inner one is a card inside its frame. */
  select_labels (window, (const char *[]) { "output", NULL });
  activate (GTK_WIDGET (view), "graph.toggle-group", NULL);
  g_assert_false (spk_layout_group_get_collapsed (spk_layout_lookup_group (layout_of (window), "network_2")));
  g_assert_true (spk_layout_get_nested_collapsed (layout_of (window), "network_1"));
  g_assert_true (spk_graph_view_get_group_bounds (view, "network_2", &outer));
  g_assert_true (spk_graph_view_get_group_bounds (view, "network_1", &inner));
  g_assert_true (rect_inside (&inner, &outer));
  g_assert_true (spk_graph_view_get_object_bounds (view, lookup (window, "x"), &card));
  g_assert_true (graphene_rect_equal (&card, &inner));
  screenshot (window, "networks-nested-collapsed.png");

  /* Its card selects it: the inspector shows the nested network. */
  g_assert_cmpstr (spk_graph_view_get_group_at (view, inner.origin.x + inner.size.width / 2,
                                                inner.origin.y + 8), ==, "network_1");
  select_labels (window, (const char *[]) { "x", "x_squared", NULL });
  g_assert_true (spk_graph_view_get_selected_network (view) == lookup (window, "network_1"));
  g_assert_true (g_ptr_array_index (spk_inspector_get_objects (inspector), 0) == (gpointer) lookup (window, "network_1"));

  /* Return opens it in place: its cards show inside its frame, which is
   * inside the outer one; opening is not an edit of the model. */
  activate (GTK_WIDGET (view), "graph.activate", NULL);
  g_assert_false (spk_layout_get_nested_collapsed (layout_of (window), "network_1"));
  g_assert_true (spk_graph_view_get_group_bounds (view, "network_2", &outer));
  g_assert_true (spk_graph_view_get_group_bounds (view, "network_1", &inner));
  g_assert_true (rect_inside (&inner, &outer));
  g_assert_true (spk_graph_view_get_object_bounds (view, lookup (window, "x"), &card));
  g_assert_false (graphene_rect_equal (&card, &inner));
  g_assert_true (rect_inside (&card, &inner));
  spk_graph_view_fit (view);
  screenshot (window, "networks-nested-opened.png");

  /* Renamed on its own; its open state follows the name. */
  entry = spk_inspector_get_editor (inspector, "label");
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "squarer");
  g_signal_emit_by_name (entry, "apply");
  ut_drain ();
  assert_in (window, "x", "squarer");
  assert_in (window, "squarer", "network_2");
  g_assert_nonnull (lookup (window, "network_2"));
  g_assert_false (spk_layout_get_nested_collapsed (layout_of (window), "squarer"));
  g_assert_true (spk_graph_view_get_group_bounds (view, "squarer", &inner));
  save (window, session);

  /* Alt+Up on one of its cards closes it again. */
  select_labels (window, (const char *[]) { "x", NULL });
  activate (GTK_WIDGET (view), "graph.close-group", NULL);
  g_assert_true (spk_layout_get_nested_collapsed (layout_of (window), "squarer"));
  g_assert_true (spk_graph_view_get_object_bounds (view, lookup (window, "x"), &card));
  g_assert_true (spk_graph_view_get_group_bounds (view, "squarer", &inner));
  g_assert_true (graphene_rect_equal (&card, &inner));

  /* Opening and closing are not edits: undo brings the old name back. */
  activate (GTK_WIDGET (window), "win.undo", NULL);
  assert_in (window, "x", "network_1");
  assert_in (window, "network_1", "network_2");
  ut_window_free (window);

  reopened = reopen (session);
  assert_in (reopened, "squarer", "network_2");
  assert_in (reopened, "x", "squarer");
  g_assert_false (spk_layout_get_nested_collapsed (layout_of (reopened), "squarer"));
  g_assert_true (spk_graph_view_get_group_bounds (spk_window_get_graph_view (reopened), "squarer", &inner));
  g_assert_false (spk_undo_stack_get_modified (spk_window_get_undo_stack (reopened)));
  ut_window_free (reopened);
  g_unlink (session);
}

/* Deleting every card of a group deletes its network; undo brings both. */
static void
test_delete_group (void)
{
  SpkWindow *window = ut_window_new_drawn ("nef-sin-x-squared");
  GtkWidget *view = GTK_WIDGET (spk_window_get_graph_view (window));
  guint n = spk_network_get_objects (spk_window_get_network (window))->len;

  select_labels (window, (const char *[]) { "x", "x_squared", NULL });
  activate (view, "graph.group", NULL);
  select_group (window, "network_1");
  activate (view, "graph.delete", NULL);
  g_assert_null (lookup (window, "network_1"));
  g_assert_null (lookup (window, "x"));
  activate (GTK_WIDGET (window), "win.undo", NULL);
  g_assert_true (SPK_IS_SUBNETWORK (lookup (window, "network_1")));
  assert_in (window, "x", "network_1");
  assert_in (window, "x_squared", "network_1");
  g_assert_cmpuint (n_members (window, "network_1"), ==, 2);
  g_assert_cmpuint (spk_network_get_objects (spk_window_get_network (window))->len, ==, n + 1);
  ut_window_free (window);
}

static GtkWidget *
find_widget (GtkWidget *root,
             GType      type,
             const char *css_class)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && (css_class == NULL || gtk_widget_has_css_class (root, css_class)))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The palette's Networks menu lists every kind of the engine's table;
 * each item adds its network as one collapsed card, selected, shown in
 * the inspector, which opens in place (Return) and closes (Alt+Up); the
 * network is saved as its parameters; deleting one of its objects
 * deletes it whole. */
static void
test_add_networks_from_palette (void)
{
  SpkWindow *window = new_empty (1600, 1000);
  GtkWidget *palette = find_widget (GTK_WIDGET (window), SPK_TYPE_PALETTE, NULL);
  GtkWidget *button;
  GMenuModel *menu, *section;
  const char *const *kinds = spk_model_network_kinds ();
  SpkGraphView *view = spk_window_get_graph_view (window);
  g_autofree char *model = temp_path ("spk-test-networks-builtin.json");
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  JsonArray *objects;
  guint n_kinds = g_strv_length ((char **) kinds);

  g_assert_nonnull (palette);
  button = find_widget (palette, GTK_TYPE_MENU_BUTTON, "network");
  g_assert_nonnull (button);
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  g_assert_nonnull (menu);
  section = g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION);
  g_assert_cmpint (g_menu_model_get_n_items (section), ==, (int) n_kinds);
  g_assert_cmpuint (n_kinds, >=, 4);

  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  screenshot (window, "networks-palette-menu.png");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
  ut_drain ();

  for (int i = 0; i < g_menu_model_get_n_items (section); i++)
    {
      g_autofree char *action = NULL;
      g_autoptr (GVariant) target = g_menu_model_get_item_attribute_value (section, i, G_MENU_ATTRIBUTE_TARGET,
                                                                           G_VARIANT_TYPE_STRING);
      const char *kind;
      SpkObject *net;
      SpkLayoutGroup *group;
      graphene_rect_t closed, open;

      g_assert_true (g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_ACTION, "s", &action));
      g_assert_cmpstr (action, ==, "win.add-network");
      kind = g_variant_get_string (target, NULL);
      g_assert_cmpstr (kind, ==, kinds[i]);
      activate (button, action, target);
      net = spk_graph_view_get_selected_network (view);
      g_assert_true (SPK_IS_SUBNETWORK (net));
      g_assert_cmpstr (spk_subnetwork_get_kind (SPK_SUBNETWORK (net)), ==, kind);
      g_test_message ("%s: %s", kind, spk_object_get_label (net));
      g_assert_true (g_ptr_array_index (spk_inspector_get_objects (spk_window_get_inspector (window)), 0)
                     == (gpointer) net);
      group = spk_layout_lookup_group (layout_of (window), spk_object_get_label (net));
      g_assert_nonnull (group);
      g_assert_true (spk_layout_group_get_collapsed (group));
      g_assert_true (spk_graph_view_get_group_bounds (view, spk_object_get_label (net), &closed));

      /* Return (or a double click) opens it in place, Alt+Up closes it
       * again; opening is not an edit. */
      activate (GTK_WIDGET (view), "graph.activate", NULL);
      g_assert_false (spk_layout_group_get_collapsed (group));
      g_assert_true (spk_graph_view_get_group_bounds (view, spk_object_get_label (net), &open));
      g_assert_cmpfloat (open.size.width * open.size.height, >, closed.size.width * closed.size.height);
      if (g_str_equal (kind, "Product"))
        {
          spk_graph_view_fit (view);
          screenshot (window, "networks-product-open.png");
        }
      activate (GTK_WIDGET (view), "graph.close-group", NULL);
      g_assert_true (spk_layout_group_get_collapsed (group));
    }
  spk_graph_view_fit (view);
  screenshot (window, "networks-all-collapsed.png");
  g_assert_cmpstr (spk_window_get_run_blocker (window), ==, NULL);

  /* Saved as the parameters, the objects they make left out. */
  save (window, model);
  g_assert_true (g_file_get_contents (model, &text, NULL, NULL));
  objects = model_objects (text, parser);
  g_assert_cmpuint (json_array_get_length (objects), ==, n_kinds);
  g_assert_cmpstr (json_object_get_string_member (assert_entry (objects, "product_1", NULL), "kind"), ==,
                   "Product");

  /* The model file opens with each network as one collapsed card, none
   * over another. */
  {
    SpkWindow *reopened = reopen (model);
    SpkGraphView *view2 = spk_window_get_graph_view (reopened);
    g_autoptr (GArray) rects = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));

    ut_wait_for_frames (GTK_WIDGET (reopened), 2);
    for (guint i = 0; kinds[i] != NULL; i++)
      {
        g_autofree char *stem = NULL;
        GString *snake = g_string_new (NULL);
        graphene_rect_t r;

        for (const char *c = kinds[i]; *c; c++)
          {
            if (g_ascii_isupper (*c) && c != kinds[i])
              g_string_append_c (snake, '_');
            g_string_append_c (snake, g_ascii_tolower (*c));
          }
        g_string_append (snake, "_1");
        stem = g_string_free (snake, FALSE);
        g_assert_true (spk_layout_group_get_collapsed (spk_layout_lookup_group (layout_of (reopened), stem)));
        g_assert_true (spk_graph_view_get_group_bounds (view2, stem, &r));
        for (guint j = 0; j < rects->len; j++)
          g_assert_false (graphene_rect_intersection (&r, &g_array_index (rects, graphene_rect_t, j), NULL));
        g_array_append_val (rects, r);
      }
    ut_window_free (reopened);
  }

  /* Deleting one object of a built-in network deletes it whole; undo. */
  {
    SpkObject *net = lookup (window, "product_1");
    guint n = spk_network_get_objects (spk_window_get_network (window))->len;
    SpkObject *inside = NULL;
    GPtrArray *all = spk_network_get_objects (spk_window_get_network (window));

    for (guint i = 0; i < all->len && inside == NULL; i++)
      if (SPK_IS_ENSEMBLE (g_ptr_array_index (all, i))
          && spk_subnetwork_contains (SPK_SUBNETWORK (net), g_ptr_array_index (all, i)))
        inside = g_ptr_array_index (all, i);
    g_assert_nonnull (inside);
    spk_graph_view_clear_selection (view);
    spk_graph_view_select (view, inside, FALSE);
    activate (GTK_WIDGET (view), "graph.delete", NULL);
    g_assert_null (lookup (window, "product_1"));
    g_assert_cmpuint (spk_network_get_objects (spk_window_get_network (window))->len, <, n);
    activate (GTK_WIDGET (window), "win.undo", NULL);
    g_assert_true (lookup (window, "product_1") == net);
    g_assert_cmpuint (spk_network_get_objects (spk_window_get_network (window))->len, ==, n);
  }
  ut_window_free (window);
  g_unlink (model);
}

/* Sets a numeric editor of the inspector, as typing a value there does,
 * and lets the main loop pass on the edit. */
static void
set_spin (SpkInspector *inspector,
          const char   *property,
          double        value)
{
  GtkWidget *spin = spk_inspector_get_editor (inspector, property);

  g_assert_true (GTK_IS_SPIN_BUTTON (spin));
  g_assert_true (gtk_widget_is_sensitive (spin));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  ut_drain ();
}

static void
rename_in_inspector (SpkInspector *inspector,
                     const char   *label)
{
  GtkWidget *entry = spk_inspector_get_editor (inspector, "label");

  g_assert_nonnull (entry);
  g_assert_true (gtk_widget_get_sensitive (entry));
  gtk_editable_set_text (GTK_EDITABLE (entry), label);
  g_signal_emit_by_name (entry, "apply");
  ut_drain ();
}

static int
int_prop (SpkObject  *object,
          const char *name)
{
  int value = 0;

  g_object_get (object, name, &value, NULL);
  return value;
}

/* A built-in network's parameters in the inspector: an edit remakes its
 * objects in one undo step, keeping the changes saved for the objects it
 * still makes (a radius, a new name), its cards' places and the probe on
 * its output; a change whose object is no longer made goes; a refused
 * value changes nothing and says why; renaming one of its objects is
 * saved with the network and reopens. */
static void
test_builtin_params (void)
{
  SpkWindow *window = new_empty (1400, 900);
  SpkGraphView *view = spk_window_get_graph_view (window);
  SpkInspector *inspector = spk_window_get_inspector (window);
  g_autofree char *session = temp_path ("spk-test-networks-params.spkw");
  g_autofree char *model = temp_path ("spk-test-networks-params.json");
  g_autoptr (GError) error = NULL;
  g_auto (GValue) zero = G_VALUE_INIT;
  SpkObject *net, *probe, *ens0;
  double x0, y0, x1, y1;
  SpkWindow *reopened;

  activate (GTK_WIDGET (window), "win.add-network", g_variant_new_string ("EnsembleArray"));
  net = lookup (window, "ensemble_array_1");
  g_assert_true (SPK_IS_SUBNETWORK (net));
  activate (GTK_WIDGET (window), "win.add-object", g_variant_new_string ("SpkProbe"));
  probe = lookup (window, "probe_1");
  g_assert_nonnull (probe);
  spk_graph_view_connect (view, lookup (window, "ensemble_array_1.output"), FALSE, probe, FALSE, NULL);
  g_assert_true (spk_probe_get_target (SPK_PROBE (probe)) == lookup (window, "ensemble_array_1.output"));

  /* Changes to two of its objects: a radius, and a name (item of its own). */
  select_labels (window, (const char *[]) { "ensemble_array_1.ea_ensembles[0]", NULL });
  set_spin (inspector, "radius", 2.0);
  select_labels (window, (const char *[]) { "ensemble_array_1.ea_ensembles[1]", NULL });
  rename_in_inspector (inspector, "right");
  g_assert_nonnull (lookup (window, "right"));
  g_assert_true (spk_object_get_generated (lookup (window, "right")));
  spk_layout_get_position (layout_of (window), lookup (window, "ensemble_array_1.ea_ensembles[0]"), &x0, &y0);

  /* The network's own parameters, editable. */
  select_group (window, "ensemble_array_1");
  g_assert_true (g_ptr_array_index (spk_inspector_get_objects (inspector), 0) == (gpointer) net);
  g_assert_nonnull (spk_inspector_get_editor (inspector, "n-neurons"));
  g_assert_nonnull (spk_inspector_get_editor (inspector, "ens-dimensions"));
  g_assert_null (spk_inspector_get_editor (inspector, "dimensions"));
  g_assert_null (spk_inspector_get_editor (inspector, "kind"));
  set_spin (inspector, "n-ensembles", 3);
  g_assert_cmpint (int_prop (net, "n-ensembles"), ==, 3);
  g_assert_nonnull (lookup (window, "ensemble_array_1.ea_ensembles[2]"));
  ens0 = lookup (window, "ensemble_array_1.ea_ensembles[0]");
  g_assert_cmpfloat (spk_ensemble_get_radius (SPK_ENSEMBLE (ens0)), ==, 2.0);
  spk_layout_get_position (layout_of (window), ens0, &x1, &y1);
  g_assert_cmpfloat (x1, ==, x0);
  g_assert_cmpfloat (y1, ==, y0);
  g_assert_nonnull (lookup (window, "right"));
  g_assert_null (lookup (window, "ensemble_array_1.ea_ensembles[1]"));
  g_assert_true (spk_probe_get_target (SPK_PROBE (probe)) == lookup (window, "ensemble_array_1.output"));
  g_assert_cmpuint (spk_node_get_size_in (SPK_NODE (lookup (window, "ensemble_array_1.output"))), ==, 3);
  g_assert_cmpuint (n_members (window, "ensemble_array_1"), ==, 5);
  g_assert_true (spk_graph_view_get_selected_network (view) == net);
  spk_graph_view_fit (view);
  screenshot (window, "networks-params-remade.png");
  save (window, session);

  /* One undo step back to two ensembles, the same probe on the output. */
  activate (GTK_WIDGET (window), "win.undo", NULL);
  g_assert_cmpint (int_prop (net, "n-ensembles"), ==, 2);
  g_assert_null (lookup (window, "ensemble_array_1.ea_ensembles[2]"));
  g_assert_nonnull (lookup (window, "right"));
  g_assert_true (spk_probe_get_target (SPK_PROBE (probe)) == lookup (window, "ensemble_array_1.output"));
  activate (GTK_WIDGET (window), "win.redo", NULL);
  g_assert_cmpint (int_prop (net, "n-ensembles"), ==, 3);
  g_assert_nonnull (lookup (window, "ensemble_array_1.ea_ensembles[2]"));

  /* One ensemble: the renamed one is no longer made, its change goes. */
  select_group (window, "ensemble_array_1");
  set_spin (inspector, "n-ensembles", 1);
  g_assert_null (lookup (window, "right"));
  g_assert_cmpfloat (spk_ensemble_get_radius (SPK_ENSEMBLE (lookup (window, "ensemble_array_1.ea_ensembles[0]"))),
                     ==, 2.0);
  g_assert_true (spk_probe_get_target (SPK_PROBE (probe)) == lookup (window, "ensemble_array_1.output"));

  /* A refused value changes nothing and names the parameter. */
  g_value_init (&zero, G_TYPE_INT);
  g_value_set_int (&zero, 0);
  g_assert_false (spk_graph_view_set_network_param (view, net, "n-neurons", &zero, &error));
  g_assert_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE);
  g_assert_nonnull (strstr (error->message, "ensemble_array_1"));
  g_assert_nonnull (strstr (error->message, "\"n_neurons\" must be at least 1"));
  g_assert_cmpint (int_prop (net, "n-neurons"), ==, 50);
  g_assert_nonnull (lookup (window, "ensemble_array_1.ea_ensembles[0]"));
  select_group (window, "ensemble_array_1");
  set_spin (inspector, "n-neurons", 0);
  g_assert_cmpint (int_prop (net, "n-neurons"), ==, 50);
  save (window, model);
  ut_window_free (window);

  /* The session saved with three ensembles: the new name and the radius
   * come back with the network. */
  reopened = reopen (session);
  g_assert_cmpint (int_prop (lookup (reopened, "ensemble_array_1"), "n-ensembles"), ==, 3);
  g_assert_nonnull (lookup (reopened, "right"));
  g_assert_true (spk_object_get_generated (lookup (reopened, "right")));
  g_assert_null (lookup (reopened, "ensemble_array_1.ea_ensembles[1]"));
  g_assert_cmpfloat (spk_ensemble_get_radius (SPK_ENSEMBLE (lookup (reopened, "ensemble_array_1.ea_ensembles[0]"))),
                     ==, 2.0);
  g_assert_true (spk_probe_get_target (SPK_PROBE (lookup (reopened, "probe_1")))
                 == lookup (reopened, "ensemble_array_1.output"));
  ut_window_free (reopened);
  reopened = reopen (model);
  g_assert_cmpint (int_prop (lookup (reopened, "ensemble_array_1"), "n-ensembles"), ==, 1);
  ut_window_free (reopened);
  g_unlink (session);
  g_unlink (model);
}

/* A network a built-in network made inside it opens in place inside its
 * maker, and shows its parameters locked, saying why. */
static void
test_builtin_nested_locked (void)
{
  SpkWindow *window = new_empty (1400, 900);
  SpkGraphView *view = spk_window_get_graph_view (window);
  SpkInspector *inspector = spk_window_get_inspector (window);
  SpkObject *mem;
  GtkWidget *editor;
  g_autofree char *tip = NULL;
  g_autoptr (GPtrArray) cards = g_ptr_array_new ();
  GPtrArray *all;
  graphene_rect_t outer, inner;

  activate (GTK_WIDGET (window), "win.add-network", g_variant_new_string ("InputGatedMemory"));
  activate (GTK_WIDGET (view), "graph.activate", NULL);
  mem = lookup (window, "input_gated_memory_1.mem");
  g_assert_true (SPK_IS_SUBNETWORK (mem));
  g_assert_true (spk_object_get_generated (mem));
  g_assert_true (spk_graph_view_get_group_bounds (view, "input_gated_memory_1", &outer));
  g_assert_true (spk_graph_view_get_group_bounds (view, "input_gated_memory_1.mem", &inner));
  g_assert_true (rect_inside (&inner, &outer));
  spk_graph_view_fit (view);
  screenshot (window, "networks-builtin-nested.png");

  all = spk_network_get_objects (spk_window_get_network (window));
  spk_graph_view_clear_selection (view);
  for (guint i = 0; i < all->len; i++)
    if (spk_subnetwork_contains (SPK_SUBNETWORK (mem), g_ptr_array_index (all, i))
        && (SPK_IS_ENSEMBLE (g_ptr_array_index (all, i)) || SPK_IS_NODE (g_ptr_array_index (all, i))))
      spk_graph_view_select (view, g_ptr_array_index (all, i), TRUE);
  ut_drain ();
  g_assert_true (spk_graph_view_get_selected_network (view) == mem);
  g_assert_true (g_ptr_array_index (spk_inspector_get_objects (inspector), 0) == (gpointer) mem);
  editor = spk_inspector_get_editor (inspector, "n-neurons");
  g_assert_nonnull (editor);
  g_assert_false (gtk_widget_is_sensitive (editor));
  editor = spk_inspector_get_editor (inspector, "label");
  g_assert_false (gtk_widget_is_sensitive (editor));
  /* The row says why. */
  while (editor != NULL && gtk_widget_get_tooltip_text (editor) == NULL)
    editor = gtk_widget_get_parent (editor);
  g_assert_nonnull (editor);
  tip = g_strdup (gtk_widget_get_tooltip_text (editor));
  g_assert_nonnull (strstr (tip, "input_gated_memory_1"));
  g_assert_nonnull (strstr (tip, "change those"));
  /* Opening it in place shows its cards inside its frame. */
  activate (GTK_WIDGET (view), "graph.activate", NULL);
  g_assert_false (spk_layout_get_nested_collapsed (layout_of (window), "input_gated_memory_1.mem"));
  ut_window_free (window);
}

/* The visible rows of the canvas's Add list (filtered ones hidden). */
static GPtrArray *
add_rows (GtkWidget *view)
{
  GtkWidget *list = find_widget (view, GTK_TYPE_LIST_BOX, NULL);
  GPtrArray *rows = g_ptr_array_new ();

  g_assert_nonnull (list);
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && gtk_widget_get_child_visible (row))
      g_ptr_array_add (rows, row);
  return rows;
}

/* Shift+A's list offers every built-in network after the presets; the
 * palette's Network tile, dropped on the canvas, opens that list with the
 * networks alone where it fell, and a row adds its network there. */
static void
test_add_list_and_drop (void)
{
  SpkWindow *window = new_empty (1400, 900);
  SpkGraphView *view = spk_window_get_graph_view (window);
  GtkWidget *palette = find_widget (GTK_WIDGET (window), SPK_TYPE_PALETTE, NULL);
  GtkWidget *tile = find_widget (palette, GTK_TYPE_MENU_BUTTON, "network");
  guint n_kinds = g_strv_length ((char **) spk_model_network_kinds ());
  g_autoptr (GPtrArray) rows = NULL;
  GtkEventController *source = NULL;
  g_autoptr (GdkContentProvider) content = NULL;
  g_auto (GValue) value = G_VALUE_INIT;
  g_autoptr (GError) error = NULL;
  graphene_rect_t bounds;
  GtkWidget *list;
  SpkObject *net;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "graph.add", NULL));
  ut_drain ();
  rows = add_rows (GTK_WIDGET (view));
  g_assert_cmpuint (rows->len, >, n_kinds);
  screenshot (window, "networks-add-list.png");
  g_clear_pointer (&rows, g_ptr_array_unref);
  gtk_popover_popdown (GTK_POPOVER (gtk_widget_get_ancestor (find_widget (GTK_WIDGET (view), GTK_TYPE_LIST_BOX, NULL),
                                                             GTK_TYPE_POPOVER)));
  ut_drain ();

  /* What the tile's drag offers, dropped at (300, 250). */
  for (GtkWidget *w = tile; w != NULL && source == NULL; w = gtk_widget_get_first_child (w))
    {
      GListModel *controllers = gtk_widget_observe_controllers (w);

      for (guint i = 0; i < g_list_model_get_n_items (controllers) && source == NULL; i++)
        {
          g_autoptr (GtkEventController) c = g_list_model_get_item (controllers, i);

          if (GTK_IS_DRAG_SOURCE (c))
            source = c;
        }
      g_object_unref (controllers);
    }
  g_assert_nonnull (source);
  g_signal_emit_by_name (source, "prepare", 10.0, 10.0, &content);
  g_assert_nonnull (content);
  g_value_init (&value, G_TYPE_GTYPE);
  g_assert_true (gdk_content_provider_get_value (content, &value, &error));
  g_assert_no_error (error);
  g_assert_true (spk_graph_view_drop_value (view, &value, 300, 250));
  ut_drain ();
  rows = add_rows (GTK_WIDGET (view));
  g_assert_cmpuint (rows->len, ==, n_kinds);
  screenshot (window, "networks-dropped-tile.png");
  list = find_widget (GTK_WIDGET (view), GTK_TYPE_LIST_BOX, NULL);
  g_signal_emit_by_name (list, "row-activated", g_ptr_array_index (rows, 1));
  ut_drain ();
  net = spk_graph_view_get_selected_network (view);
  g_assert_true (SPK_IS_SUBNETWORK (net));
  g_assert_cmpstr (spk_subnetwork_get_kind (SPK_SUBNETWORK (net)), ==, spk_model_network_kinds ()[1]);
  g_assert_true (spk_graph_view_get_group_bounds (view, spk_object_get_label (net), &bounds));
  g_assert_cmpfloat (fabs (bounds.origin.x + bounds.size.width / 2 - 300), <, bounds.size.width);
  g_assert_cmpfloat (fabs (bounds.origin.y + bounds.size.height / 2 - 250), <, bounds.size.height);
  /* Shift+A again lists everything. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "graph.add", NULL));
  ut_drain ();
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = add_rows (GTK_WIDGET (view));
  g_assert_cmpuint (rows->len, >, n_kinds);
  ut_window_free (window);
}

/* Renaming a built-in network renames the objects it made, which carry
 * its label, so that connections to them still load. */
static void
test_rename_builtin (void)
{
  SpkWindow *window = new_empty (0, 0);
  SpkInspector *inspector = spk_window_get_inspector (window);
  g_autofree char *session = temp_path ("spk-test-networks-builtin.spkw");
  GtkWidget *entry;
  SpkObject *net;
  SpkWindow *reopened;

  activate (GTK_WIDGET (window), "win.add-network", g_variant_new_string ("Integrator"));
  net = lookup (window, "integrator_1");
  g_assert_true (SPK_IS_SUBNETWORK (net));
  g_assert_nonnull (lookup (window, "integrator_1.input"));
  activate (GTK_WIDGET (window), "win.add-object", g_variant_new_string ("SpkNode"));
  g_assert_nonnull (spk_graph_view_connect (spk_window_get_graph_view (window), lookup (window, "node_1"), FALSE,
                                            lookup (window, "integrator_1.input"), FALSE, NULL));
  select_group (window, "integrator_1");
  entry = spk_inspector_get_editor (inspector, "label");
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "memory");
  g_signal_emit_by_name (entry, "apply");
  ut_drain ();
  g_assert_null (lookup (window, "integrator_1.input"));
  g_assert_nonnull (lookup (window, "memory.input"));
  g_assert_nonnull (spk_layout_lookup_group (layout_of (window), "memory"));
  /* Its objects' names follow it, and can be changed one by one too
   * (saved as a change of that object: test_builtin_params). */
  spk_graph_view_select (spk_window_get_graph_view (window), lookup (window, "memory.input"), FALSE);
  ut_drain ();
  g_assert_true (gtk_widget_get_sensitive (spk_inspector_get_editor (inspector, "label")));
  g_assert_true (gtk_widget_get_sensitive (spk_inspector_get_editor (inspector, "seed")));
  save (window, session);
  ut_window_free (window);

  reopened = reopen (session);
  g_assert_true (SPK_IS_SUBNETWORK (lookup (reopened, "memory")));
  g_assert_nonnull (lookup (reopened, "memory.input"));
  g_assert_nonnull (spk_layout_lookup_group (layout_of (reopened), "memory"));
  ut_window_free (reopened);
  g_unlink (session);
}

/* tests/data/v4/grouped-session.spkw was saved by the workbench before
 * its groups were networks: two groups on the canvas (network_1 of x and
 * x_squared, collapsed; network_2 of output and its probe, open) and a
 * model without networks.  It opens with them as networks, unmodified,
 * and saves them as networks. */
static void
test_old_grouped_session (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "v4", "grouped-session.spkw", NULL);
  g_autofree char *model = temp_path ("spk-test-networks-old.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkSession) session = spk_session_load (path, &error);
  GPtrArray *objects;
  SpkWindow *window;
  g_autofree char *text = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();

  /* What the file holds: no networks in the model. */
  g_assert_no_error (error);
  objects = spk_network_get_objects (spk_session_get_network (session));
  for (guint i = 0; i < objects->len; i++)
    g_assert_false (SPK_IS_SUBNETWORK (g_ptr_array_index (objects, i)));

  window = reopen (path);
  g_assert_true (SPK_IS_SUBNETWORK (lookup (window, "network_1")));
  g_assert_true (SPK_IS_SUBNETWORK (lookup (window, "network_2")));
  assert_in (window, "x", "network_1");
  assert_in (window, "x_squared", "network_1");
  assert_in (window, "output", "network_2");
  assert_in (window, "output_value", "network_2");
  assert_in (window, "input", NULL);
  g_assert_true (spk_layout_group_get_collapsed (spk_layout_lookup_group (layout_of (window), "network_1")));
  g_assert_false (spk_layout_group_get_collapsed (spk_layout_lookup_group (layout_of (window), "network_2")));
  g_assert_false (spk_undo_stack_get_modified (spk_window_get_undo_stack (window)));
  g_assert_null (spk_window_get_run_blocker (window));
  screenshot (window, "networks-old-session.png");

  save (window, model);
  g_assert_true (g_file_get_contents (model, &text, NULL, NULL));
  {
    JsonArray *entries = model_objects (text, parser);

    g_assert_cmpstr (json_object_get_string_member (assert_entry (entries, "network_1", NULL), "type"), ==,
                     "network");
    assert_entry (entries, "x", "network_1");
    assert_entry (entries, "output_value", "network_2");
    assert_entry (entries, "input", NULL);
  }
  ut_window_free (window);
  g_unlink (model);
}

/* AssociativeMemory's add-ons and BasalGanglia's synapses are parameters
 * the inspector shows and edits: JSON text for an add-on (applied, it
 * remakes the network; a value the engine refuses changes nothing). */
static void
test_builtin_addon_params (void)
{
  SpkWindow *window = new_empty (1400, 900);
  SpkGraphView *view = spk_window_get_graph_view (window);
  SpkInspector *inspector = spk_window_get_inspector (window);
  g_autoptr (JsonNode) wta = NULL;
  g_autoptr (JsonNode) outputs = NULL;
  GtkWidget *row;
  guint n;

  activate (GTK_WIDGET (window), "win.add-network", g_variant_new_string ("BasalGanglia"));
  select_group (window, "basal_ganglia_1");
  g_assert_nonnull (spk_inspector_get_editor (inspector, "ampa-synapse"));
  g_assert_nonnull (spk_inspector_get_editor (inspector, "gaba-synapse"));

  activate (GTK_WIDGET (window), "win.add-network", g_variant_new_string ("AssociativeMemory"));
  select_group (window, "associative_memory_1");
  for (const char *const *name = (const char *const[]) { "input-mappings", "output-mappings", "default-output-vectors",
                                                         "wta-network", "threshold-outputs", NULL };
       *name; name++)
    g_assert_true (ADW_IS_ENTRY_ROW (spk_inspector_get_editor (inspector, *name)));
  n = spk_network_get_objects (spk_window_get_network (window))->len;
  row = spk_inspector_get_editor (inspector, "wta-network");
  gtk_editable_set_text (GTK_EDITABLE (row), "{\"inhibit_scale\": 2}");
  g_signal_emit_by_name (row, "apply");
  ut_drain ();
  g_object_get (lookup (window, "associative_memory_1"), "wta-network", &wta, NULL);
  g_assert_nonnull (wta);
  g_assert_cmpuint (spk_network_get_objects (spk_window_get_network (window))->len, ==, n + 1);

  /* Refused by the engine: nothing changes. */
  select_group (window, "associative_memory_1");
  row = spk_inspector_get_editor (inspector, "output-mappings");
  gtk_editable_set_text (GTK_EDITABLE (row), "[{\"name\": \"output\", \"output_vectors\": [[1], [0]]}]");
  g_signal_emit_by_name (row, "apply");
  ut_drain ();
  g_object_get (lookup (window, "associative_memory_1"), "output-mappings", &outputs, NULL);
  g_assert_null (outputs);
  g_assert_cmpuint (spk_network_get_objects (spk_window_get_network (window))->len, ==, n + 1);

  /* Not JSON: marked on the row, nothing set. */
  select_group (window, "associative_memory_1");
  row = spk_inspector_get_editor (inspector, "threshold-outputs");
  gtk_editable_set_text (GTK_EDITABLE (row), "{n_neurons: 3");
  g_signal_emit_by_name (row, "apply");
  ut_drain ();
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_cmpuint (spk_network_get_objects (spk_window_get_network (window))->len, ==, n + 1);
  spk_graph_view_fit (view);
  screenshot (window, "networks-am-addons.png");
  ut_window_free (window);
}

/* The index-th object of type inside net (at any depth), in the model's
 * order, or NULL. */
static SpkObject *
nth_inside (SpkWindow *window,
            SpkObject *net,
            GType      type,
            guint      index)
{
  GPtrArray *all = spk_network_get_objects (spk_window_get_network (window));

  for (guint i = 0; i < all->len; i++)
    {
      SpkObject *object = g_ptr_array_index (all, i);

      if (object != net && G_OBJECT_TYPE (object) == type && spk_subnetwork_contains (SPK_SUBNETWORK (net), object)
          && index-- == 0)
        return object;
    }
  return NULL;
}

static guint
count_inside (SpkWindow *window,
              SpkObject *net)
{
  GPtrArray *all = spk_network_get_objects (spk_window_get_network (window));
  guint n = 0;

  for (guint i = 0; i < all->len; i++)
    n += spk_subnetwork_contains (SPK_SUBNETWORK (net), g_ptr_array_index (all, i));
  return n;
}

/* The copy of network_2 (network_1 with its config and seed, and a
 * Product with a changed and a renamed object, nested inside it with a
 * connection between them) that a paste or duplicate left selected. */
static void
assert_network_copy (SpkWindow  *window,
                     SpkObject  *original,
                     const char *suffix)
{
  SpkObject *copy = spk_graph_view_get_selected_network (spk_window_get_graph_view (window));
  SpkObject *inner, *product, *ens, *ens_was;
  g_autofree char *x = g_strconcat ("x", suffix, NULL);
  g_autofree char *x_squared = g_strconcat ("x_squared", suffix, NULL);
  g_autofree char *a_in = g_strconcat ("a_in", suffix, NULL);
  JsonObject *config;

  g_assert_true (SPK_IS_SUBNETWORK (copy));
  g_assert_true (copy != original);
  g_assert_null (spk_object_get_network (copy));
  g_assert_null (spk_subnetwork_get_kind (SPK_SUBNETWORK (copy)));
  g_assert_nonnull (spk_layout_lookup_group (layout_of (window), spk_object_get_label (copy)));
  g_assert_cmpuint (count_inside (window, copy), ==, count_inside (window, original));

  /* The plain network inside: its seed, its config, its objects. */
  inner = nth_inside (window, copy, SPK_TYPE_SUBNETWORK, 0);
  g_assert_nonnull (inner);
  g_assert_true (spk_object_get_network (inner) == copy);
  g_assert_null (spk_subnetwork_get_kind (SPK_SUBNETWORK (inner)));
  g_assert_cmpint (spk_object_get_seed (inner), ==, 7);
  config = spk_subnetwork_get_defaults (SPK_SUBNETWORK (inner), "ensemble");
  g_assert_nonnull (config);
  g_assert_cmpfloat (json_object_get_double_member (config, "radius"), ==, 2.0);
  g_assert_true (spk_subnetwork_get_config (SPK_SUBNETWORK (inner))
                 != spk_subnetwork_get_config (SPK_SUBNETWORK (lookup (window, "network_1"))));
  assert_in (window, x, spk_object_get_label (inner));
  assert_in (window, x_squared, spk_object_get_label (inner));

  /* The built-in network: made again from its parameters, with the
   * changes to what it made. */
  product = lookup (window, "product_1");
  for (guint i = 0; (ens = nth_inside (window, copy, SPK_TYPE_SUBNETWORK, i)) != NULL; i++)
    if (spk_subnetwork_get_kind (SPK_SUBNETWORK (ens)) != NULL && !spk_object_get_generated (ens))
      break;
  g_assert_nonnull (ens);
  g_assert_cmpstr (spk_subnetwork_get_kind (SPK_SUBNETWORK (ens)), ==, "Product");
  g_assert_true (spk_object_get_network (ens) == copy);
  g_assert_cmpint (int_prop (ens, "n-neurons"), ==, int_prop (product, "n-neurons"));
  g_assert_cmpuint (count_inside (window, ens), ==, count_inside (window, product));
  product = ens;
  ens_was = nth_inside (window, lookup (window, "product_1"), SPK_TYPE_ENSEMBLE, 1);
  ens = nth_inside (window, product, SPK_TYPE_ENSEMBLE, 1);
  g_assert_true (spk_object_get_generated (ens));
  g_assert_cmpint (spk_ensemble_get_n_neurons (SPK_ENSEMBLE (ens)), ==, 33);
  g_assert_cmpint (spk_ensemble_get_n_neurons (SPK_ENSEMBLE (ens_was)), ==, 33);
  g_assert_true (spk_object_get_generated (lookup (window, a_in)));
  g_assert_true (spk_subnetwork_builtin_of (lookup (window, a_in)) == SPK_SUBNETWORK (product));

  /* The connection between the two inner networks, inside the copy. */
  {
    GPtrArray *all = spk_network_get_objects (spk_window_get_network (window));
    gboolean found = FALSE;

    for (guint i = 0; i < all->len; i++)
      if (SPK_IS_CONNECTION (g_ptr_array_index (all, i)))
        {
          SpkConnection *conn = g_ptr_array_index (all, i);

          if (spk_connection_get_pre (conn) == lookup (window, x_squared)
              && spk_connection_get_post (conn) == lookup (window, a_in))
            {
              g_assert_true (spk_object_get_network (SPK_OBJECT (conn)) == copy);
              found = TRUE;
            }
        }
    g_assert_true (found);
  }
}

/* Copy and paste, and duplicate, of a group: the copy is a network again,
 * with its nested networks (a plain one with its seed and config, a
 * built-in one made from its parameters with what was changed in it),
 * the connections inside, one undo step; saved and reopened, it is the
 * same. */
static void
test_copy_paste_network (void)
{
  SpkWindow *window = ut_window_new_drawn ("nef-sin-x-squared");
  SpkGraphView *view = spk_window_get_graph_view (window);
  SpkInspector *inspector = spk_window_get_inspector (window);
  g_autofree char *model = temp_path ("spk-test-networks-copy.json");
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  SpkObject *net1, *net2, *product;
  guint n0, m;
  SpkWindow *reopened;

  select_labels (window, (const char *[]) { "x", "x_squared", NULL });
  activate (GTK_WIDGET (view), "graph.group", NULL);
  net1 = lookup (window, "network_1");
  spk_object_set_seed (net1, 7);
  g_assert_true (json_parser_load_from_data (parser, "{\"ensemble\": {\"radius\": 2.0}}", -1, &error));
  spk_subnetwork_set_config (SPK_SUBNETWORK (net1), json_node_get_object (json_parser_get_root (parser)));

  product = spk_graph_view_add_network (view, "Product", 900, 600);
  g_assert_nonnull (product);
  spk_graph_view_clear_selection (view);
  spk_graph_view_select (view, nth_inside (window, product, SPK_TYPE_ENSEMBLE, 1), FALSE);
  ut_drain ();
  set_spin (inspector, "n-neurons", 33);
  select_labels (window, (const char *[]) { "product_1.input_a", NULL });
  rename_in_inspector (inspector, "a_in");
  g_assert_nonnull (spk_graph_view_connect (view, lookup (window, "x_squared"), FALSE, lookup (window, "a_in"),
                                            FALSE, &error));
  g_assert_no_error (error);

  select_group (window, "network_1");
  for (guint i = 0; i < spk_layout_group_get_members (spk_layout_lookup_group (layout_of (window), "product_1"))->len; i++)
    spk_graph_view_select (view, g_ptr_array_index (spk_layout_group_get_members (
                                   spk_layout_lookup_group (layout_of (window), "product_1")), i), TRUE);
  activate (GTK_WIDGET (view), "graph.group", NULL);
  net2 = lookup (window, "network_2");
  g_assert_true (SPK_IS_SUBNETWORK (net2));
  assert_in (window, "network_1", "network_2");
  assert_in (window, "product_1", "network_2");
  n0 = spk_network_get_objects (spk_window_get_network (window))->len;
  m = count_inside (window, net2);

  /* Copy and paste (the group's card clicked: all its cards selected). */
  select_group (window, "network_2");
  activate (GTK_WIDGET (view), "graph.copy", NULL);
  activate (GTK_WIDGET (view), "graph.paste", NULL);
  g_assert_cmpuint (spk_network_get_objects (spk_window_get_network (window))->len, ==, n0 + m);
  assert_network_copy (window, net2, "_2");
  spk_graph_view_fit (view);
  screenshot (window, "networks-pasted.png");

  /* One undo step takes it all away, redo brings it back. */
  activate (GTK_WIDGET (window), "win.undo", NULL);
  g_assert_cmpuint (spk_network_get_objects (spk_window_get_network (window))->len, ==, n0);
  g_assert_null (lookup (window, "x_2"));
  g_assert_null (lookup (window, "a_in_2"));
  activate (GTK_WIDGET (window), "win.redo", NULL);
  g_assert_cmpuint (spk_network_get_objects (spk_window_get_network (window))->len, ==, n0 + m);
  g_assert_nonnull (lookup (window, "a_in_2"));

  /* Duplicate (Shift+D) of the original: a third one. */
  select_group (window, "network_2");
  activate (GTK_WIDGET (view), "graph.duplicate", NULL);
  g_assert_cmpuint (spk_network_get_objects (spk_window_get_network (window))->len, ==, n0 + 2 * m);
  assert_network_copy (window, net2, "_3");
  g_assert_cmpstr (spk_window_get_run_blocker (window), ==, NULL);

  /* Saved and reopened: the copies are networks of the model file, the
   * built-in one with its changes. */
  save (window, model);
  ut_window_free (window);
  reopened = reopen (model);
  g_assert_cmpuint (spk_network_get_objects (spk_window_get_network (reopened))->len, ==, n0 + 2 * m);
  g_assert_true (spk_object_get_generated (lookup (reopened, "a_in_3")));
  g_assert_true (SPK_IS_SUBNETWORK (spk_object_get_network (lookup (reopened, "x_3"))));
  g_assert_cmpint (spk_object_get_seed (spk_object_get_network (lookup (reopened, "x_3"))), ==, 7);
  {
    SpkSubnetwork *made = spk_subnetwork_builtin_of (lookup (reopened, "a_in_3"));

    g_assert_cmpint (spk_ensemble_get_n_neurons (SPK_ENSEMBLE (nth_inside (reopened, SPK_OBJECT (made),
                                                                            SPK_TYPE_ENSEMBLE, 1))), ==, 33);
  }
  ut_window_free (reopened);
  g_unlink (model);
}

/* Every built-in network opened in place: none of what shows inside it
 * (its own cards, and each network nested in it as a collapsed card)
 * lies over another; InputGatedMemory's "mem" and "diff" did. */
static void
test_builtin_open_no_overlap (void)
{
  SpkWindow *window = new_empty (1600, 1000);
  SpkGraphView *view = spk_window_get_graph_view (window);
  const char *const *kinds = spk_model_network_kinds ();

  for (guint k = 0; kinds[k] != NULL; k++)
    {
      g_autoptr (GArray) rects = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
      g_autoptr (GPtrArray) names = g_ptr_array_new ();
      GPtrArray *all = spk_network_get_objects (spk_window_get_network (window));
      SpkObject *net;

      activate (GTK_WIDGET (window), "win.add-network", g_variant_new_string (kinds[k]));
      net = spk_graph_view_get_selected_network (view);
      g_assert_true (SPK_IS_SUBNETWORK (net));
      activate (GTK_WIDGET (view), "graph.activate", NULL);
      g_assert_false (spk_layout_group_get_collapsed (spk_layout_lookup_group (layout_of (window),
                                                                               spk_object_get_label (net))));
      ut_wait_for_frames (GTK_WIDGET (window), 1);
      for (guint i = 0; i < all->len; i++)
        {
          SpkObject *object = g_ptr_array_index (all, i);
          graphene_rect_t r;

          if (spk_object_get_network (object) != net)
            continue;
          if (SPK_IS_SUBNETWORK (object))
            {
              if (!spk_graph_view_get_group_bounds (view, spk_object_get_label (object), &r))
                continue;
            }
          else if (!SPK_IS_NODE (object) && !SPK_IS_ENSEMBLE (object) && !SPK_IS_PROBE (object))
            continue;
          else
            g_assert_true (spk_graph_view_get_object_bounds (view, object, &r));
          for (guint j = 0; j < rects->len; j++)
            if (graphene_rect_intersection (&r, &g_array_index (rects, graphene_rect_t, j), NULL))
              g_error ("%s: '%s' lies over '%s'", kinds[k], spk_object_get_label (object),
                       (const char *) g_ptr_array_index (names, j));
          g_array_append_val (rects, r);
          g_ptr_array_add (names, (gpointer) spk_object_get_label (object));
        }
      g_test_message ("%s: %u things shown inside, none over another", kinds[k], rects->len);
      g_assert_cmpuint (rects->len, >=, 1);
      if (g_str_equal (kinds[k], "InputGatedMemory"))
        {
          spk_graph_view_fit (view);
          ut_wait_for_frames (GTK_WIDGET (window), 2);
          spk_graph_view_fit (view);
          screenshot (window, "networks-igm-open.png");
        }
      /* Deleted, so that the next one has the canvas to itself. */
      activate (GTK_WIDGET (view), "graph.close-group", NULL);
      select_group (window, spk_object_get_label (net));
      activate (GTK_WIDGET (view), "graph.delete", NULL);
    }
  ut_window_free (window);
}

int
main (int    argc,
      char **argv)
{
  ut_init (&argc, &argv);

  g_test_add_func ("/spk/ui/networks/group-saves-network", test_group_saves_network);
  g_test_add_func ("/spk/ui/networks/rename", test_rename);
  g_test_add_func ("/spk/ui/networks/nest", test_nest);
  g_test_add_func ("/spk/ui/networks/nested-open-rename", test_nested_open_rename);
  g_test_add_func ("/spk/ui/networks/delete-group", test_delete_group);
  g_test_add_func ("/spk/ui/networks/add-from-palette", test_add_networks_from_palette);
  g_test_add_func ("/spk/ui/networks/rename-builtin", test_rename_builtin);
  g_test_add_func ("/spk/ui/networks/builtin-params", test_builtin_params);
  g_test_add_func ("/spk/ui/networks/builtin-addon-params", test_builtin_addon_params);
  g_test_add_func ("/spk/ui/networks/builtin-nested-locked", test_builtin_nested_locked);
  g_test_add_func ("/spk/ui/networks/add-list-and-drop", test_add_list_and_drop);
  g_test_add_func ("/spk/ui/networks/old-grouped-session", test_old_grouped_session);
  g_test_add_func ("/spk/ui/networks/copy-paste-network", test_copy_paste_network);
  g_test_add_func ("/spk/ui/networks/builtin-open-no-overlap", test_builtin_open_no_overlap);
  return g_test_run ();
}
