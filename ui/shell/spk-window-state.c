/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-window-state.c — what a window remembers between runs, through the
 * org.spikeworks.Spikeworks GSettings schema (data/…gschema.xml).
 *
 * spk_window_state_bind() first gives a new window the stored state (size,
 * maximised, presentation mode, run speed, plot window), then writes each of
 * them back whenever the window changes it.  The bindings only write
 * (G_SETTINGS_BIND_SET): a new window starts as the last one was left, but
 * pressing F5 in one window does not enlarge the others.  Screenshot and
 * benchmark runs are not bound (spk-application.c), so they stay
 * reproducible.
 *
 * "recent-lessons" holds the sessions opened or saved last, newest first;
 * the window lists them in its Open Recent menu (app.open-recent).
 */
#define G_LOG_DOMAIN "spk-window-state"

#include "ui/shell/spk-window-state.h"

#include <glib/gi18n.h>

#include "ui/shell/spk-window-private.h"

/* {{{ Recent lessons */

static void
fill_recent_menu (SpkWindow *self)
{
  g_auto (GStrv) uris = g_settings_get_strv (self->settings, "recent-lessons");
  g_autoptr (GMenu) files = g_menu_new ();

  g_menu_remove_all (self->recent_section);
  for (guint i = 0; uris[i] != NULL; i++)
    {
      g_autoptr (GFile) file = g_file_new_for_uri (uris[i]);
      g_autofree char *name = g_file_get_basename (file);
      g_autoptr (GMenuItem) item = NULL;

      if (name == NULL)
        continue;
      item = g_menu_item_new (name, NULL);
      g_menu_item_set_action_and_target (item, "app.open-recent", "s", uris[i]);
      g_menu_append_item (files, item);
    }
  if (g_menu_model_get_n_items (G_MENU_MODEL (files)) > 0)
    g_menu_append_submenu (self->recent_section, _("Open _Recent"), G_MENU_MODEL (files));
}

static void
recent_changed_cb (GSettings  *settings,
                   const char *key,
                   SpkWindow  *self)
{
  fill_recent_menu (self);
}

static void
set_recent (GSettings *settings,
            GFile     *file,
            gboolean   add)
{
  g_auto (GStrv) old = g_settings_get_strv (settings, "recent-lessons");
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *uri = g_file_get_uri (file);
  g_auto (GStrv) uris = NULL;
  guint n = 0;

  if (add)
    {
      g_strv_builder_add (builder, uri);
      n++;
    }
  for (guint i = 0; old[i] != NULL && n < SPK_RECENT_LESSONS_MAX; i++)
    if (!g_str_equal (old[i], uri))
      {
        g_strv_builder_add (builder, old[i]);
        n++;
      }
  uris = g_strv_builder_end (builder);
  if (!g_strv_equal ((const char * const *) old, (const char * const *) uris))
    g_settings_set_strv (settings, "recent-lessons", (const char * const *) uris);
}

/**
 * spk_window_state_note_recent:
 * @settings: the application's settings
 * @file: a session just opened or saved
 *
 * Puts @file first in "recent-lessons", keeping at most
 * %SPK_RECENT_LESSONS_MAX sessions.
 */
void
spk_window_state_note_recent (GSettings *settings,
                              GFile     *file)
{
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (G_IS_FILE (file));
  set_recent (settings, file, TRUE);
}

/**
 * spk_window_state_forget_recent:
 * @settings: the application's settings
 * @file: a session that could not be opened
 *
 * Takes @file out of "recent-lessons".
 */
void
spk_window_state_forget_recent (GSettings *settings,
                                GFile     *file)
{
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (G_IS_FILE (file));
  set_recent (settings, file, FALSE);
}

/* Called by spk-window-files.c after a session was opened or saved. */
void
_spk_window_note_recent (SpkWindow *self,
                         GFile     *file)
{
  if (self->settings != NULL)
    spk_window_state_note_recent (self->settings, file);
}

/* }}} */
/* {{{ Binding */

/**
 * spk_window_state_bind:
 * @window: a window not shown yet
 * @settings: settings of the org.spikeworks.Spikeworks schema
 *
 * Restores @window's size, maximised state, presentation mode, run speed
 * and plot window from @settings, then keeps @settings up to date as they
 * change, and fills the window's Open Recent menu.
 */
void
spk_window_state_bind (SpkWindow *window,
                       GSettings *settings)
{
  SpkWindow *self = window;

  g_return_if_fail (SPK_IS_WINDOW (window));
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (window->settings == NULL);

  self->settings = g_object_ref (settings);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (g_settings_get_boolean (settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  spk_window_set_presentation (self, g_settings_get_boolean (settings, "presentation-mode"));
  spk_run_bar_set_rate (self->run_bar, g_settings_get_double (settings, "run-speed"));
  spk_plot_grid_set_window (self->plot_grid, g_settings_get_double (settings, "plot-window"));

  /* GTK 4 keeps default-width/-height at the unmaximised size. */
  g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_SET);
  g_settings_bind (settings, "window-height", self, "default-height", G_SETTINGS_BIND_SET);
  g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_SET);
  g_settings_bind (settings, "presentation-mode", self, "presentation", G_SETTINGS_BIND_SET);
  g_settings_bind (settings, "run-speed", self->run_bar, "rate", G_SETTINGS_BIND_SET);
  g_settings_bind (settings, "plot-window", self->plot_grid, "window", G_SETTINGS_BIND_SET);

  g_signal_connect_object (settings, "changed::recent-lessons", G_CALLBACK (recent_changed_cb), self, 0);
  fill_recent_menu (self);
}

/* }}} */
