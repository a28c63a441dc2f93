/* test-workbench.c — the workbench as a teacher uses it in class, in a real
 * window under Xvfb driven through its actions: a plot added after the
 * first Play fills after Reset and Play, every plot's menu works, deleting
 * objects takes their plots along, New gives an empty untitled network,
 * and a saved session keeps its run data. */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "model/spk-network.h"
#include "ui/plots/spk-plot-view.h"
#include "ui/shell/spk-window.h"
#include "spk-ui-test-util.h"

/* Runs the main loop until cond holds (or fails after 10 s). */
#define WAIT_FOR(cond)                                                   \
  G_STMT_START {                                                         \
    gint64 deadline_ = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;    \
    while (!(cond) && g_get_monotonic_time () < deadline_)               \
      g_main_context_iteration (NULL, FALSE);                            \
    g_assert_true (cond);                                                \
  } G_STMT_END

static SpkWindow *
window_new (const char *example)
{
  SpkWindow *window = spk_window_new (NULL);

  if (example != NULL)
    g_assert_true (spk_window_open_example (window, example, NULL));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  ut_wait_for_frames (GTK_WIDGET (window), 2);
  return window;
}

static void
window_free (SpkWindow *window)
{
  /* Leaving unsaved changes behind is what the tests do on purpose. */
  gtk_window_destroy (GTK_WINDOW (window));
  ut_drain ();
}

static guint64
steps_of (SpkWindow *window)
{
  SpkRunnerStatus status = { 0 };
  SpkRunner *runner = spk_run_bar_get_runner (spk_window_get_run_bar (window));

  if (runner == NULL)
    return 0;
  spk_runner_get_status (runner, &status);
  return status.n_steps;
}

static guint
samples_of (SpkWindow *window,
            guint      index)
{
  SpkPlotGrid *grid = spk_window_get_plot_grid (window);

  spk_plot_grid_drain (grid);
  return spk_plot_view_get_n_samples (spk_plot_grid_get_plot (grid, index));
}

static void
activate (SpkWindow  *window,
          GtkWidget  *widget,
          const char *action,
          GVariant   *parameter)
{
  g_assert_true (gtk_widget_activate_action_variant (widget ? widget : GTK_WIDGET (window), action, parameter));
  ut_drain ();
}

/* Defect 1: communication-channel, Play, Pause, Plot Spikes of a, Reset,
 * Play: the new plot fills like the others. */
static void
test_plot_added_after_play (void)
{
  SpkWindow *window = window_new ("communication-channel");
  GtkWidget *bar = GTK_WIDGET (spk_window_get_run_bar (window));
  SpkPlotGrid *grid = spk_window_get_plot_grid (window);
  guint n;

  activate (window, bar, "run.play-pause", NULL);
  WAIT_FOR (steps_of (window) > 50);
  activate (window, bar, "run.play-pause", NULL);
  WAIT_FOR (spk_run_bar_get_state (SPK_RUN_BAR (bar)) != SPK_RUNNER_STATE_RUNNING);

  n = spk_plot_grid_get_n_plots (grid);
  activate (window, NULL, "win.add-plot", g_variant_new ("(ss)", "spikes", "a"));
  g_assert_cmpuint (spk_plot_grid_get_n_plots (grid), ==, n + 1);

  activate (window, bar, "run.reset", NULL);
  WAIT_FOR (steps_of (window) == 0);
  activate (window, bar, "run.play-pause", NULL);
  WAIT_FOR (steps_of (window) > 100);
  WAIT_FOR (samples_of (window, n) > 50);
  g_assert_cmpuint (samples_of (window, 0), >, 50);

  /* Added while running, it fills from then on. */
  activate (window, NULL, "win.add-plot", g_variant_new ("(ss)", "filtered-spikes", "b"));
  g_assert_cmpuint (spk_plot_grid_get_n_plots (grid), ==, n + 2);
  WAIT_FOR (samples_of (window, n + 1) > 50);
  activate (window, bar, "run.play-pause", NULL);
  window_free (window);
}

/* The sensitivity of the items of a (popped up) menu as the user sees
 * them, by their text. */
static void
collect_menu_items (GtkWidget  *widget,
                    GHashTable *sensitive)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      if (g_object_class_find_property (G_OBJECT_GET_CLASS (child), "text") != NULL && GTK_IS_ACTIONABLE (child))
        {
          g_autofree char *text = NULL;

          g_object_get (child, "text", &text, NULL);
          if (text != NULL)
            g_hash_table_insert (sensitive, g_steal_pointer (&text),
                                 GINT_TO_POINTER (gtk_widget_get_sensitive (child)));
        }
      collect_menu_items (child, sensitive);
    }
}

static GtkWidget *
find_menu_button (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_MENU_BUTTON (child) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (child)) != NULL)
        return child;
      if ((found = find_menu_button (child)) != NULL)
        return found;
    }
  return NULL;
}

/* Defect 2: the ⋮ menu of every plot, not only the last, is enabled. */
static void
test_every_plot_menu_enabled (void)
{
  SpkWindow *window = window_new ("communication-channel");
  GtkWidget *bar = GTK_WIDGET (spk_window_get_run_bar (window));
  SpkPlotGrid *grid = spk_window_get_plot_grid (window);

  activate (window, bar, "run.play-pause", NULL);
  WAIT_FOR (steps_of (window) > 20);
  activate (window, bar, "run.play-pause", NULL);
  g_assert_cmpuint (spk_plot_grid_get_n_plots (grid), >=, 2);
  for (guint i = 0; i < spk_plot_grid_get_n_plots (grid); i++)
    {
      GtkWidget *card = gtk_widget_get_parent (GTK_WIDGET (spk_plot_grid_get_plot (grid, i)));
      GtkWidget *button = find_menu_button (card);
      g_autoptr (GHashTable) sensitive = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      GtkPopover *popover;

      g_assert_nonnull (button);
      gtk_menu_button_popup (GTK_MENU_BUTTON (button));
      ut_wait_for_frames (GTK_WIDGET (window), 2);
      popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
      g_assert_nonnull (popover);
      collect_menu_items (GTK_WIDGET (popover), sensitive);
      g_assert_cmpuint (g_hash_table_size (sensitive), >=, 5);
      g_assert_true (g_hash_table_lookup (sensitive, "Remove Plot"));
      g_assert_true (g_hash_table_lookup (sensitive, "Export as PNG…"));
      g_assert_true (g_hash_table_lookup (sensitive, "Export Data as CSV…"));
      g_assert_true (g_hash_table_lookup (sensitive, "Move Later") || i + 1 == spk_plot_grid_get_n_plots (grid));
      gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
      ut_drain ();
    }
  window_free (window);
}

/* Defect 3: deleting objects takes their plots along, so a saved session
 * holds none of them; a renamed object keeps its plot. */
static void
test_delete_removes_plots (void)
{
  SpkWindow *window = window_new ("communication-channel");
  SpkGraphView *graph = spk_window_get_graph_view (window);
  SpkPlotGrid *grid = spk_window_get_plot_grid (window);
  SpkNetwork *network = spk_window_get_network (window);
  g_autofree char *dir = g_dir_make_tmp ("spk-workbench-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "empty.spkw", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  SpkWindow *reopened;
  SpkObject *b = spk_network_lookup (network, "b");

  g_assert_cmpuint (spk_plot_grid_get_n_plots (grid), >=, 2);
  /* Renaming b: its plots follow it. */
  activate (window, NULL, "win.add-plot", g_variant_new ("(ss)", "spikes", "b"));
  spk_object_set_label (b, "b2");
  ut_drain ();
  g_assert_cmpstr (spk_plot_view_get_target (spk_plot_grid_get_plot (grid, spk_plot_grid_get_n_plots (grid) - 1)),
                   ==, "b2");

  activate (window, GTK_WIDGET (graph), "graph.select-all", NULL);
  activate (window, GTK_WIDGET (graph), "graph.delete", NULL);
  g_assert_cmpuint (spk_network_get_objects (network)->len, ==, 0);
  g_assert_cmpuint (spk_plot_grid_get_n_plots (grid), ==, 0);

  g_assert_true (spk_window_save_file (window, file, NULL));
  window_free (window);
  reopened = window_new (NULL);
  g_assert_true (spk_window_open_file (reopened, file, NULL));
  ut_drain ();
  g_assert_cmpuint (spk_plot_grid_get_n_plots (spk_window_get_plot_grid (reopened)), ==, 0);
  window_free (reopened);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/spk/ui/workbench/plot-added-after-play", test_plot_added_after_play);
  g_test_add_func ("/spk/ui/workbench/every-plot-menu-enabled", test_every_plot_menu_enabled);
  g_test_add_func ("/spk/ui/workbench/delete-removes-plots", test_delete_removes_plots);
  return g_test_run ();
}
