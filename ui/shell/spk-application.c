/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-application.c — the workbench application: its command line
 * (`spikeworks [--example NAME | --lesson NAME] [--presentation] [--screenshot FILE.png] [FILE…]`), its
 * app-wide actions (new window, open recent, about, quit), its settings
 * and the windows.
 *
 * The command line is handled by the primary instance
 * (G_APPLICATION_HANDLES_COMMAND_LINE): `spikeworks --example NAME` or
 * `spikeworks FILE` while the workbench is open opens a window there and
 * exits, with status 1 when the file or example could not be opened.
 * --version is answered locally.  --screenshot and --benchmark runs are
 * instances of their own (non-unique) that neither read nor write the
 * settings.
 *
 * With no file and no example, a window opens on the rate-vs-spiking
 * example, so a newcomer sees a working network at once.  --screenshot
 * renders the first window to a PNG once it has drawn, then quits; with
 * --run-steps N it first runs N steps as fast as it can and waits until
 * the plots have drawn them.  --plots N --benchmark S measures the frame
 * rate and the simulation speed with N plots, through the benchmark the
 * program installs (spk_application_set_benchmark()).
 */
#define G_LOG_DOMAIN "spk-application"

#include "ui/shell/spk-application.h"

#include <string.h>

#include <glib/gi18n.h>

#include "builder/spk-decoder-cache.h"
#include "ui/shell/spk-shell.h"
#include "ui/shell/spk-window.h"
#include "ui/shell/spk-window-state.h"
#include "ui/shell/spk-window-lessons.h"

#define DEFAULT_EXAMPLE "rate-vs-spiking"
/* Frames to let pass before a screenshot, so layout and fitting settle. */
#define SCREENSHOT_FRAMES 10

struct _SpkApplication
{
  AdwApplication parent_instance;

  GSettings     *settings;          /* NULL for screenshot and benchmark runs */
  char          *screenshot;
  gint64         run_steps;
  int            n_plots;
  double         benchmark;
  int            status;
  gboolean       presentation;      /* --presentation: windows open in it */
  SpkApplicationBenchmark bench;
};

G_DEFINE_FINAL_TYPE (SpkApplication, spk_application, ADW_TYPE_APPLICATION)

static SpkWindow *
new_window (SpkApplication *self)
{
  SpkWindow *window = spk_window_new (GTK_APPLICATION (self));

  if (self->settings != NULL)
    spk_window_state_bind (window, self->settings);
  if (self->presentation)
    {
      GListModel *monitors = gdk_display_get_monitors (gdk_display_get_default ());
      g_autoptr (GdkMonitor) monitor = g_list_model_get_n_items (monitors) ? g_list_model_get_item (monitors, 0) : NULL;

      /* A projector's whole screen; its size too, where no window manager
       * makes a window full screen (a screenshot under Xvfb). */
      spk_window_set_presentation (window, TRUE);
      if (monitor != NULL)
        {
          GdkRectangle area;

          gdk_monitor_get_geometry (monitor, &area);
          gtk_window_set_default_size (GTK_WINDOW (window), area.width, area.height);
        }
      gtk_window_fullscreen (GTK_WINDOW (window));
    }
  return window;
}

/* {{{ Screenshot */

static void
screenshot_after_paint_cb (GdkFrameClock  *clock,
                           SpkApplication *self)
{
  GtkWidget *widget = g_object_get_data (G_OBJECT (clock), "spk-window");
  g_autoptr (GError) error = NULL;

  g_signal_handlers_disconnect_by_func (clock, screenshot_after_paint_cb, self);
  if (!spk_window_save_screenshot (SPK_WINDOW (widget), self->screenshot, &error))
    {
      g_printerr ("spikeworks: %s\n", error->message);
      self->status = 1;
    }
  g_application_quit (G_APPLICATION (self));
}

static gboolean
screenshot_tick_cb (GtkWidget     *widget,
                    GdkFrameClock *clock,
                    gpointer       data)
{
  SpkApplication *self = data;
  g_autoptr (GError) error = NULL;
  guint frames = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), "spk-frames")) + 1;

  g_object_set_data (G_OBJECT (widget), "spk-frames", GUINT_TO_POINTER (frames));
  if (frames < SCREENSHOT_FRAMES)
    {
      gtk_widget_queue_draw (widget);
      return G_SOURCE_CONTINUE;
    }
  gtk_widget_queue_draw (widget);
  if (self->run_steps > 0)
    {
      SpkRunBar *bar = spk_window_get_run_bar (SPK_WINDOW (widget));
      SpkRunner *runner = spk_run_bar_get_runner (bar);
      SpkRunnerStatus status;

      if (runner == NULL)
        {
          /* Run first, as fast as it can; the screenshot waits for it. */
          gtk_widget_activate_action (GTK_WIDGET (bar), "run.rate", "d", SPK_RUNNER_RATE_UNLIMITED);
          spk_run_bar_set_n_steps (bar, self->run_steps);
          gtk_widget_activate_action (GTK_WIDGET (bar), "run.run-steps", NULL);
          if (spk_run_bar_get_runner (bar) == NULL)
            {
              g_printerr ("spikeworks: %s\n", _("The model cannot run"));
              self->status = 1;
              g_application_quit (G_APPLICATION (self));
              return G_SOURCE_REMOVE;
            }
          return G_SOURCE_CONTINUE;
        }
      spk_runner_get_status (runner, &status);
      if (status.state == SPK_RUNNER_STATE_RUNNING || status.n_steps < (guint64) self->run_steps)
        {
          if (status.state != SPK_RUNNER_STATE_ERROR)
            {
              /* Frames keep counting from here, so the plots settle after the run. */
              g_object_set_data (G_OBJECT (widget), "spk-frames", GUINT_TO_POINTER (SCREENSHOT_FRAMES / 2));
              return G_SOURCE_CONTINUE;
            }
        }
      else if (frames < SCREENSHOT_FRAMES)
        return G_SOURCE_CONTINUE;
    }
  /* Labels that changed since the last frame (the run's time) leave the
   * window waiting for a new size: it is drawn after this frame's layout. */
  g_object_set_data (G_OBJECT (clock), "spk-window", widget);
  g_signal_connect (clock, "after-paint", G_CALLBACK (screenshot_after_paint_cb), self);
  return G_SOURCE_REMOVE;
}

static void
present (SpkApplication *self,
         SpkWindow      *window)
{
  if (self->screenshot != NULL)
    gtk_widget_add_tick_callback (GTK_WIDGET (window), screenshot_tick_cb, self, NULL);
  else if (self->benchmark > 0)
    self->bench.start (window, MAX (self->n_plots, 0), self->benchmark, &self->status);
  gtk_window_present (GTK_WINDOW (window));
}

/* }}} */
/* {{{ Actions */

static void
new_window_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       data)
{
  SpkApplication *self = data;
  SpkWindow *window = new_window (self);

  spk_window_new_model (window);
  gtk_window_present (GTK_WINDOW (window));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       data)
{
  GtkApplication *app = data;
  static const char *developers[] = { "The Spikeworks developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", "Spikeworks",
                        "application-icon", "org.spikeworks.Spikeworks",
                        "developer-name", _("The Spikeworks developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Build, run and teach spiking neural networks, in the style of Nengo."),
                        "website", "https://spikeworks.org",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       data)
{
  GtkApplication *app = data;
  GList *windows = g_list_copy (gtk_application_get_windows (app));

  /* Each window asks about its own unsaved changes. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));
  g_list_free (windows);
}

/* A session from the Open Recent menu, in a window of its own. */
static void
open_recent_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       data)
{
  SpkApplication *self = data;
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr (GFile) file = g_file_new_for_uri (g_variant_get_string (parameter, NULL));
  g_autoptr (GError) error = NULL;
  SpkWindow *window = new_window (self);

  if (spk_window_open_file (window, file, &error))
    {
      gtk_window_present (GTK_WINDOW (window));
      return;
    }
  gtk_window_destroy (GTK_WINDOW (window));
  if (self->settings != NULL)
    spk_window_state_forget_recent (self->settings, file);
  if (active != NULL)
    {
      GtkWidget *dialog = adw_message_dialog_new (active, _("Could not open the session"), error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

static const GActionEntry app_actions[] = {
  { .name = "new-window", .activate = new_window_action },
  { .name = "open-recent", .activate = open_recent_action, .parameter_type = "s" },
  { .name = "about", .activate = about_action },
  { .name = "quit", .activate = quit_action },
};

/* }}} */
/* {{{ GApplication */

static int
spk_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  SpkApplication *self = SPK_APPLICATION (app);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }
  /* Screenshots and benchmarks are instances of their own, never a call
   * to a workbench already open; the rest of the command line goes to the
   * primary instance (command_line below). */
  g_variant_dict_lookup (options, "run-steps", "x", &self->run_steps);
  g_variant_dict_lookup (options, "plots", "i", &self->n_plots);
  if (g_variant_dict_lookup (options, "benchmark", "d", &self->benchmark))
    {
      if (self->bench.start == NULL)
        {
          g_printerr ("spikeworks: %s\n", _("This program has no benchmark"));
          return 1;
        }
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }
  if (g_variant_dict_lookup (options, "screenshot", "^ay", &self->screenshot))
    g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
  return -1;
}

static void
decoder_cache_changed (GSettings  *settings,
                       const char *key,
                       gpointer    user_data)
{
  spk_decoder_cache_set_enabled (g_settings_get_boolean (settings, key));
}

static void
spk_application_startup (GApplication *app)
{
  SpkApplication *self = SPK_APPLICATION (app);
  static const char *undo_accels[] = { "<Control>z", NULL };
  static const char *redo_accels[] = { "<Control><Shift>z", "<Control>y", NULL };
  static const char *new_window_accels[] = { "<Control><Shift>n", NULL };
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (spk_application_parent_class)->startup (app);

  if (self->screenshot == NULL && self->benchmark <= 0)
    {
      GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
      g_autoptr (GSettingsSchema) schema = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;

      /* g_settings_new () would abort: run without remembering instead. */
      if (schema != NULL)
        self->settings = g_settings_new_full (schema, NULL, NULL);
      else
        g_printerr ("spikeworks: %s\n",
                    _("The settings schema is not installed, so windows will not remember their state "
                      "(install Spikeworks, or run it from the build tree with “meson devenv”)"));
    }

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  if (self->settings != NULL)
    {
      /* The decoder cache follows its preference (app.decoder-cache, a
       * check item in the main menu), also when it changes. */
      g_autoptr (GAction) cache = g_settings_create_action (self->settings, "decoder-cache");

      g_action_map_add_action (G_ACTION_MAP (app), cache);
      g_signal_connect (self->settings, "changed::decoder-cache", G_CALLBACK (decoder_cache_changed), NULL);
      decoder_cache_changed (self->settings, "decoder-cache", NULL);
    }
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.undo", undo_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.redo", redo_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.new-window", new_window_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
}

/* Reports an error to the terminal that asked: cmdline's, or ours. */
static void
report (GApplicationCommandLine *cmdline,
        const char              *name,
        const char              *message)
{
  if (cmdline != NULL && name != NULL)
    g_application_command_line_printerr (cmdline, "spikeworks: %s: %s\n", name, message);
  else if (cmdline != NULL)
    g_application_command_line_printerr (cmdline, "spikeworks: %s\n", message);
  else if (name != NULL)
    g_printerr ("spikeworks: %s: %s\n", name, message);
  else
    g_printerr ("spikeworks: %s\n", message);
}

/* Opens a window on the example (the default one when NULL); 1 when it
 * could not be opened (the window then shows the default one). */
static int
open_example (SpkApplication          *self,
              const char              *example,
              GApplicationCommandLine *cmdline)
{
  SpkWindow *window = new_window (self);
  g_autoptr (GError) error = NULL;
  int status = 0;

  /* A benchmark runs its default network unless told otherwise, and may
   * run any of the networks of `spikeworks-cli bench` or any example. */
  if (self->benchmark > 0)
    {
      g_autoptr (SpkNetwork) network = self->bench.network_new (example, &error);

      if (network != NULL)
        {
          spk_window_set_network (window, network, NULL, NULL);
          present (self, window);
          return 0;
        }
      if (error != NULL)
        {
          report (cmdline, NULL, error->message);
          status = 1;
          g_clear_error (&error);
        }
    }
  /* No example asked for: an empty network to build on (./run.sh asks
   * for one, so a first start has something alive). */
  if (example == NULL)
    spk_window_new_model (window);
  else if (!spk_window_open_example (window, example, &error))
    {
      report (cmdline, NULL, error->message);
      status = 1;
      g_clear_error (&error);
      spk_window_open_example (window, DEFAULT_EXAMPLE, NULL);
    }
  present (self, window);
  return status;
}

/* Opens a window on the lesson; 1 when it could not be opened (the
 * window then shows the default example and a dialog that says why). */
static int
open_lesson (SpkApplication          *self,
             const char              *name,
             GApplicationCommandLine *cmdline)
{
  SpkWindow *window = new_window (self);
  g_autoptr (GError) error = NULL;

  if (spk_window_open_lesson (window, name, &error))
    {
      present (self, window);
      return 0;
    }
  report (cmdline, NULL, error->message);
  spk_window_open_example (window, DEFAULT_EXAMPLE, NULL);
  present (self, window);
  spk_window_show_error (window, _("Could not open the lesson"), error);
  return 1;
}

/* Opens a window on each file; 1 when any could not be opened. */
static int
open_files (SpkApplication          *self,
            GFile                  **files,
            int                      n_files,
            GApplicationCommandLine *cmdline)
{
  int status = 0;

  for (int i = 0; i < n_files; i++)
    {
      SpkWindow *window = new_window (self);
      g_autoptr (GError) error = NULL;

      if (!spk_window_open_file (window, files[i], &error))
        {
          g_autofree char *name = g_file_get_parse_name (files[i]);
          g_autofree char *base = g_file_get_basename (files[i]);

          /* The messages of the loaders name the file already. */
          report (cmdline, base != NULL && strstr (error->message, base) != NULL ? NULL : name,
                  error->message);
          status = 1;
          /* A file someone sent that cannot be read still opens the
           * workbench, with the default example, and says why. */
          spk_window_open_example (window, DEFAULT_EXAMPLE, NULL);
          present (self, window);
          spk_window_show_error (window, _("Could not open the file"), error);
          if (self->screenshot != NULL)
            break;
          continue;
        }
      present (self, window);
      if (self->screenshot != NULL)
        break;
    }
  return status;
}

static void
spk_application_activate (GApplication *app)
{
  SpkApplication *self = SPK_APPLICATION (app);

  if (open_example (self, NULL, NULL) != 0)
    self->status = 1;
}

static void
spk_application_open (GApplication  *app,
                      GFile        **files,
                      int            n_files,
                      const char    *hint)
{
  SpkApplication *self = SPK_APPLICATION (app);

  if (open_files (self, files, n_files, NULL) != 0)
    self->status = 1;
}

/* Runs in the primary instance, for its own command line or for one
 * forwarded from a later `spikeworks …`; what it returns is that
 * command's exit status. */
static int
spk_application_command_line (GApplication            *app,
                              GApplicationCommandLine *cmdline)
{
  SpkApplication *self = SPK_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  g_autofree char *example = NULL;
  g_autofree char *lesson = NULL;
  g_autofree const char **args = NULL;
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  int status;

  g_variant_dict_lookup (options, "example", "s", &example);
  g_variant_dict_lookup (options, "lesson", "s", &lesson);
  self->presentation = g_variant_dict_contains (options, "presentation");
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &args);
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (files, g_application_command_line_create_file_for_arg (cmdline, args[i]));

  if (files->len > 0 && example != NULL)
    {
      report (cmdline, NULL, _("Give either files or --example, not both"));
      status = 2;
    }
  else if (lesson != NULL && (files->len > 0 || example != NULL))
    {
      report (cmdline, NULL, _("Give --lesson alone, without files or --example"));
      status = 2;
    }
  else if (lesson != NULL)
    status = open_lesson (self, lesson, cmdline);
  else if (files->len > 0)
    status = open_files (self, (GFile **) files->pdata, (int) files->len, cmdline);
  else
    status = open_example (self, example, cmdline);
  /* Our own command line: main () also reports later failures. */
  if (!g_application_command_line_get_is_remote (cmdline) && status != 0)
    self->status = status;
  return status;
}

static void
spk_application_finalize (GObject *object)
{
  SpkApplication *self = SPK_APPLICATION (object);

  g_clear_object (&self->settings);
  g_free (self->screenshot);
  G_OBJECT_CLASS (spk_application_parent_class)->finalize (object);
}

static void
spk_application_class_init (SpkApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = spk_application_finalize;
  /* AdwApplication loads style.css from the resource base path at
   * startup, before any window class registers the resource. */
  spk_shell_ensure_resources ();
  app_class->handle_local_options = spk_application_handle_local_options;
  app_class->startup = spk_application_startup;
  app_class->activate = spk_application_activate;
  app_class->open = spk_application_open;
  app_class->command_line = spk_application_command_line;
}

static void
spk_application_init (SpkApplication *self)
{
  static const GOptionEntry options[] = {
    { "example", 'e', 0, G_OPTION_ARG_STRING, NULL,
      N_("Open the built-in example NAME (see “spikeworks-cli examples”)"), N_("NAME") },
    { "lesson", 'l', 0, G_OPTION_ARG_STRING, NULL,
      N_("Open the lesson NAME (see “spikeworks-cli lessons”), or a lesson file"), N_("NAME") },
    { "presentation", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Open full screen in presentation mode (F5), for a projector"), NULL },
    { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Save a picture of the window to FILE.png once it has started, then quit"), N_("FILE.png") },
    { "run-steps", 0, 0, G_OPTION_ARG_INT64, NULL,
      N_("With --screenshot: run N steps first, so the plots show them"), N_("N") },
    { "plots", 0, 0, G_OPTION_ARG_INT, NULL,
      N_("With --benchmark: how many plots to draw"), N_("N") },
    { "benchmark", 0, 0, G_OPTION_ARG_DOUBLE, NULL,
      N_("Run SECONDS of simulated time with and without plots, print frames/s and steps/s, then quit"),
      N_("SECONDS") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and quit"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, N_("[FILE.spkw|MODEL.json…]") },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("The Spikeworks workbench for spiking neural networks."));
}

SpkApplication *
spk_application_new (void)
{
  return g_object_new (SPK_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/org/spikeworks/Spikeworks",
                       NULL);
}

int
spk_application_get_status (SpkApplication *self)
{
  g_return_val_if_fail (SPK_IS_APPLICATION (self), 1);
  return self->status;
}

void
spk_application_set_benchmark (SpkApplication                *self,
                               const SpkApplicationBenchmark *benchmark)
{
  g_return_if_fail (SPK_IS_APPLICATION (self));
  g_return_if_fail (benchmark != NULL && benchmark->network_new != NULL && benchmark->start != NULL);
  self->bench = *benchmark;
}

/* }}} */
