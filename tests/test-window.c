/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window.c — the workbench window driven through its actions: each
 * object type added from the palette's action, undo and redo actions,
 * the unsaved-changes marker, save → reopen giving the identical model
 * and layout (session and model file), invalid models reported with the
 * object's name, the German UI, and a screenshot that is not blank —
 * rendered in process and by the `spikeworks --screenshot` command. */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <locale.h>

#include "io/spk-model-json.h"
#include "ui/shell/spk-window.h"
#include "spk-ui-test-util.h"

static char *
state_of (SpkWindow *window)
{
  g_autofree char *model = spk_model_to_data (spk_window_get_network (window), NULL);
  SpkLayout *layout = spk_graph_view_get_layout (spk_window_get_graph_view (window));
  g_autoptr (GVariant) positions = g_variant_ref_sink (spk_layout_serialize (layout));
  g_autofree char *printed = g_variant_print (positions, FALSE);

  return g_strconcat (model, "\n", printed, NULL);
}

static void
test_default_example (void)
{
  SpkWindow *window = ut_window_new ("rate-vs-spiking", 0, 0);
  SpkNetwork *network = spk_window_get_network (window);

  g_assert_cmpuint (spk_network_count_type (network, SPK_TYPE_ENSEMBLE), >=, 1);
  g_assert_cmpuint (spk_network_count_type (network, SPK_TYPE_PROBE), >=, 1);
  g_assert_null (spk_window_get_run_blocker (window));
  g_assert_false (spk_undo_stack_get_modified (spk_window_get_undo_stack (window)));
  /* With nothing selected the inspector shows the network. */
  g_assert_true (g_ptr_array_index (spk_inspector_get_objects (spk_window_get_inspector (window)), 0)
                 == (gpointer) network);
  ut_window_free (window);
}

/* Each palette item's action adds its type, selects it and shows it in
 * the inspector; undo takes it away again. */
static void
test_add_objects (void)
{
  SpkWindow *window = ut_window_new ("rate-vs-spiking", 0, 0);
  SpkNetwork *network = spk_window_get_network (window);
  const struct { const char *name; GType type; } types[] = {
    { "SpkNode", SPK_TYPE_NODE }, { "SpkEnsemble", SPK_TYPE_ENSEMBLE }, { "SpkProbe", SPK_TYPE_PROBE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      guint before = spk_network_count_type (network, types[i].type);
      SpkObject *added;

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-object", "s", types[i].name));
      g_assert_cmpuint (spk_network_count_type (network, types[i].type), ==, before + 1);
      added = spk_graph_view_get_active_object (spk_window_get_graph_view (window));
      g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (added, types[i].type));
      ut_drain ();
      g_assert_true (g_ptr_array_index (spk_inspector_get_objects (spk_window_get_inspector (window)), 0)
                     == (gpointer) added);
      g_assert_true (spk_undo_stack_get_modified (spk_window_get_undo_stack (window)));

      gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
      g_assert_cmpuint (spk_network_count_type (network, types[i].type), ==, before);
      gtk_widget_activate_action (GTK_WIDGET (window), "win.redo", NULL);
      g_assert_cmpuint (spk_network_count_type (network, types[i].type), ==, before + 1);
    }
  ut_window_free (window);
}

static void
test_title_marker (void)
{
  SpkWindow *window = ut_window_new ("integrator", 0, 0);
  SpkObject *object = g_ptr_array_index (spk_network_get_objects (spk_window_get_network (window)), 0);
  const char *title;

  title = gtk_window_get_title (GTK_WINDOW (window));
  g_assert_false (g_str_has_prefix (title, "•"));
  spk_object_set_seed (object, 99);
  title = gtk_window_get_title (GTK_WINDOW (window));
  g_assert_true (g_str_has_prefix (title, "•"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  title = gtk_window_get_title (GTK_WINDOW (window));
  g_assert_false (g_str_has_prefix (title, "•"));
  ut_window_free (window);
}

static void
check_round_trip (const char *example,
                  const char *file_name,
                  gboolean    with_layout)
{
  SpkWindow *window = ut_window_new (example, 0, 0);
  SpkWindow *reopened;
  g_autofree char *dir = g_dir_make_tmp ("spk-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, file_name, NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *loaded = NULL;
  SpkObject *first = g_ptr_array_index (spk_network_get_objects (spk_window_get_network (window)), 0);

  /* An edit and a move, so the file holds more than the example. */
  spk_object_set_seed (first, 1234);
  spk_layout_set_position (spk_graph_view_get_layout (spk_window_get_graph_view (window)), first, -77.5, 31.25);
  g_assert_true (spk_window_save_file (window, file, &error));
  g_assert_no_error (error);
  saved = state_of (window);

  reopened = spk_window_new (NULL);
  g_assert_true (spk_window_open_file (reopened, file, &error));
  g_assert_no_error (error);
  loaded = state_of (reopened);
  if (with_layout)
    {
      g_assert_cmpstr (loaded, ==, saved);
      g_assert_true (g_file_equal (spk_window_get_file (reopened), file));
      g_assert_false (spk_undo_stack_get_modified (spk_window_get_undo_stack (window)));
    }
  else
    {
      g_autofree char *saved_model = spk_model_to_data (spk_window_get_network (window), NULL);
      g_autofree char *loaded_model = spk_model_to_data (spk_window_get_network (reopened), NULL);

      g_assert_cmpstr (loaded_model, ==, saved_model);
    }
  g_assert_false (spk_undo_stack_get_modified (spk_window_get_undo_stack (reopened)));

  ut_window_free (reopened);
  ut_window_free (window);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_save_reopen_session (void)
{
  check_round_trip ("product", "product.spkw", TRUE);
}

static void
test_save_reopen_model (void)
{
  check_round_trip ("oscillator", "oscillator.json", FALSE);
}

static void
test_open_errors (void)
{
  SpkWindow *window = ut_window_new ("rate-vs-spiking", 0, 0);
  g_autofree char *dir = g_dir_make_tmp ("spk-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "broken.json", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  g_autofree char *before = state_of (window);
  g_autofree char *after = NULL;

  g_assert_true (g_file_set_contents (path, "{\"format\": \"spikeworks-model\", ", -1, NULL));
  g_assert_false (spk_window_open_file (window, file, &error));
  g_assert_nonnull (error);
  /* A failed open leaves the window as it was. */
  after = state_of (window);
  g_assert_cmpstr (after, ==, before);
  ut_window_free (window);
  g_unlink (path);
  g_rmdir (dir);
}

/* An invalid model names the object in the run blocker and marks it; the
 * fix (here: undo) clears both. */
static void
test_invalid_model (void)
{
  SpkWindow *window = ut_window_new ("communication-channel", 0, 0);
  SpkNetwork *network = spk_window_get_network (window);
  SpkEnsemble *ensemble = NULL;
  GPtrArray *objects = spk_network_get_objects (network);
  const char *blocker;

  for (guint i = 0; i < objects->len && ensemble == NULL; i++)
    if (SPK_IS_ENSEMBLE (g_ptr_array_index (objects, i)))
      ensemble = g_ptr_array_index (objects, i);
  g_assert_nonnull (ensemble);
  g_assert_null (spk_window_get_run_blocker (window));

  spk_ensemble_set_radius (ensemble, 0.0);
  spk_window_validate_now (window);
  blocker = spk_window_get_run_blocker (window);
  g_assert_nonnull (blocker);
  g_assert_true (strstr (blocker, spk_object_get_label (SPK_OBJECT (ensemble))) != NULL);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL);
  spk_window_validate_now (window);
  g_assert_null (spk_window_get_run_blocker (window));
  ut_window_free (window);
}

static void
test_presentation (void)
{
  SpkWindow *window = ut_window_new ("rate-vs-spiking", 0, 0);

  g_assert_false (spk_window_get_presentation (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.presentation", NULL);
  g_assert_true (spk_window_get_presentation (window));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (window), "presentation"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.presentation", NULL);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (window), "presentation"));
  ut_window_free (window);
}

static gboolean
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (find_label (child, text))
      return TRUE;
  return FALSE;
}

/* The German catalogue that meson compiled into the build's po/. */
static void
test_german (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *locale_dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "po", NULL);
      SpkWindow *window;

      g_setenv ("LANGUAGE", "de", TRUE);
      setlocale (LC_ALL, "C.UTF-8");
      bindtextdomain (GETTEXT_PACKAGE, locale_dir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
      g_assert_cmpstr (_("Ensemble"), !=, "");
      window = ut_window_new ("rate-vs-spiking", 0, 0);
      g_assert_true (find_label (GTK_WIDGET (window), "Knoten"));
      g_assert_true (find_label (GTK_WIDGET (window), "_Öffnen"));
      g_assert_true (find_label (GTK_WIDGET (window), "Beispiele"));
      g_assert_false (find_label (GTK_WIDGET (window), "Examples"));
      ut_window_free (window);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* Not blank: the picture has many distinct colours, as a drawn window has. */
static void
assert_not_blank (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture = gdk_texture_new_from_filename (path, &error);
  g_autofree guchar *pixels = NULL;
  g_autoptr (GHashTable) colours = g_hash_table_new (NULL, NULL);
  int width, height;

  g_assert_no_error (error);
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  g_assert_cmpint (width, >=, 600);
  g_assert_cmpint (height, >=, 400);
  pixels = g_malloc ((gsize) width * height * 4);
  gdk_texture_download (texture, pixels, width * 4);
  for (int i = 0; i < width * height; i += 7)
    g_hash_table_add (colours, GUINT_TO_POINTER (((guint32 *) pixels)[i]));
  g_assert_cmpuint (g_hash_table_size (colours), >, 50);
}

static void
test_screenshot (void)
{
  SpkWindow *window = ut_window_new ("rate-vs-spiking", 0, 0);
  g_autofree char *dir = g_dir_make_tmp ("spk-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "shot.png", NULL);
  g_autoptr (GError) error = NULL;

  ut_wait_for_frames (GTK_WIDGET (window), 3);
  g_assert_true (spk_window_save_screenshot (window, path, &error));
  g_assert_no_error (error);
  assert_not_blank (path);
  ut_window_free (window);
  g_unlink (path);
  g_rmdir (dir);
}

/* The command as a user runs it. */
static void
test_screenshot_command (void)
{
  g_autofree char *program = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "app", "spikeworks", NULL);
  g_autofree char *dir = g_dir_make_tmp ("spk-window-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "shot.png", NULL);
  const char *argv[] = { program, "--example", "integrator", "--screenshot", path, NULL };
  g_autoptr (GError) error = NULL;
  int status;

  if (!g_file_test (program, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("spikeworks is not built");
      return;
    }
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
  assert_not_blank (path);
  g_unlink (path);
  g_rmdir (dir);
}

/* The open Save Changes? dialog, or NULL. */
static AdwMessageDialog *
find_save_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* (transfer none) */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w))
          && g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (w)), _("Save Changes?")) == 0)
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

/* With unsaved changes, Open and Close ask the one Save Changes? dialog
 * (Cancel, Discard, Save; Save suggested), each saying what would be
 * lost: Cancel keeps everything, Discard on Close closes the window. */
static void
test_save_changes_dialog (void)
{
  SpkWindow *window = ut_window_new ("integrator", 0, 0);
  g_autoptr (SpkWindow) kept = g_object_ref (window);
  AdwMessageDialog *dialog;

  g_assert_null (find_save_dialog ());
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-object", "s", "SpkNode"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.open", NULL));
  ut_drain ();
  dialog = find_save_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   _("Opening another file replaces this model, and its unsaved changes would be lost."));
  g_assert_true (adw_message_dialog_has_response (dialog, "cancel"));
  g_assert_true (adw_message_dialog_has_response (dialog, "discard"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "save");
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "cancel");
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  ut_drain ();
  g_assert_null (find_save_dialog ());
  g_assert_true (spk_undo_stack_get_modified (spk_window_get_undo_stack (window)));

  gtk_window_close (GTK_WINDOW (window));
  ut_drain ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  dialog = find_save_dialog ();
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "has changes that were never saved"));
  g_assert_true (adw_message_dialog_has_response (dialog, "save"));
  adw_message_dialog_response (dialog, "discard");
  gtk_window_destroy (GTK_WINDOW (dialog));
  ut_drain ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (kept)));
}

int
main (int   argc,
      char *argv[])
{
  /* Xvfb has no session bus for the accessibility bus to live on. */
  ut_init (&argc, &argv);

  g_test_add_func ("/spk/ui/window/default-example", test_default_example);
  g_test_add_func ("/spk/ui/window/add-objects", test_add_objects);
  g_test_add_func ("/spk/ui/window/title-marker", test_title_marker);
  g_test_add_func ("/spk/ui/window/save-changes-dialog", test_save_changes_dialog);
  g_test_add_func ("/spk/ui/window/save-reopen-session", test_save_reopen_session);
  g_test_add_func ("/spk/ui/window/save-reopen-model", test_save_reopen_model);
  g_test_add_func ("/spk/ui/window/open-errors", test_open_errors);
  g_test_add_func ("/spk/ui/window/invalid-model", test_invalid_model);
  g_test_add_func ("/spk/ui/window/presentation", test_presentation);
  g_test_add_func ("/spk/ui/window/german", test_german);
  g_test_add_func ("/spk/ui/window/screenshot", test_screenshot);
  g_test_add_func ("/spk/ui/window/screenshot-command", test_screenshot_command);
  return g_test_run ();
}
