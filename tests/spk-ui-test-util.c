/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-ui-test-util.c — main-loop helpers and the workbench window set-up
 * shared by the widget tests. */
#include "spk-ui-test-util.h"

#include <adwaita.h>

#include "runner/spk-runner.h"
#include "ui/run/spk-run-bar.h"
#include "ui/shell/spk-shell.h"

void
ut_init (int    *argc,
         char ***argv)
{
  g_setenv ("GTK_A11Y", "none", FALSE);
  gtk_test_init (argc, argv, NULL);
  adw_init ();
}

void
ut_drain (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

void
ut_wait_for_frames (GtkWidget *widget,
                    guint      frames)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  GdkFrameClock *clock;
  gint64 start;

  while (!gtk_widget_get_mapped (widget) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (widget);
  g_assert_nonnull (clock);
  start = gdk_frame_clock_get_frame_counter (clock);
  while (gdk_frame_clock_get_frame_counter (clock) < start + frames && g_get_monotonic_time () < deadline)
    {
      gtk_widget_queue_draw (widget);
      g_main_context_iteration (NULL, TRUE);
    }
}

void
ut_save_png (const char *env_var,
             GtkWidget  *widget,
             const char *name)
{
  const char *dir = g_getenv (env_var);
  g_autofree char *path = NULL;
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GtkSnapshot) snapshot = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  int width, height;

  if (dir == NULL)
    return;
  ut_wait_for_frames (widget, 5);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  path = g_build_filename (dir, name, NULL);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

SpkWindow *
ut_window_new (const char *example,
               int         width,
               int         height)
{
  SpkWindow *window = spk_window_new (NULL);

  if (example != NULL)
    g_assert_true (spk_window_open_example (window, example, NULL));
  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  ut_drain ();
  return window;
}

void
ut_window_free (SpkWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  ut_drain ();
}

SpkWindow *
ut_window_new_drawn (const char *example)
{
  SpkWindow *window = ut_window_new (example, 1280, 800);

  ut_wait_for_frames (GTK_WIDGET (window), 2);
  return window;
}

guint64
ut_steps_of (SpkWindow *window)
{
  SpkRunnerStatus status = { 0 };
  SpkRunner *runner = spk_run_bar_get_runner (spk_window_get_run_bar (window));

  if (runner == NULL)
    return 0;
  spk_runner_get_status (runner, &status);
  return status.n_steps;
}

gboolean
ut_keep_waking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

GtkCssProvider *
ut_load_app_style (void)
{
  GtkCssProvider *css = gtk_css_provider_new ();
  GdkDisplay *display = gdk_display_get_default ();

  spk_shell_ensure_resources ();
  gtk_css_provider_load_from_resource (css, "/org/spikeworks/Spikeworks/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display),
                                    "/org/spikeworks/Spikeworks/icons");
  return css;
}

void
ut_unload_app_style (GtkCssProvider *css)
{
  gtk_style_context_remove_provider_for_display (gdk_display_get_default (),
                                                 GTK_STYLE_PROVIDER (css));
  g_object_unref (css);
}
