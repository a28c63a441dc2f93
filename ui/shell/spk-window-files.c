/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-window-files.c — opening and saving: sessions (.spkw, HDF5: the
 * network and its canvas layout) and model files (.json: the network
 * alone), through GtkFileChooserNative, remembered in the recent files.
 *
 * A session is the window's own file: saving one marks the undo stack
 * saved.  It carries the window's built parameters (saved or trained) and
 * training history, so a trained network reopens trained.  Exporting writes a model file and leaves the window's file as it
 * was.
 *
 * A session also keeps the run on show: what each plot recorded (under
 * /plot_data, keyed by the plot's place in the grid), the run's length
 * (layout key "run") and the parameters it was built with, so a lesson
 * prepared with results reopens with the plots showing them, and Play
 * goes on from there (spk_run_bar_set_resume_steps ()).
 */
#define G_LOG_DOMAIN "spk-window"

#include "ui/shell/spk-window-private.h"

#include <glib/gi18n.h>
#include <math.h>

#include "io/spk-model-json.h"
#include "io/spk-session.h"

/* The key of the canvas layout inside a session. */
#define LAYOUT_KEY "canvas"
/* The plots' set-up (SpkPlotGrid's a{sv}) inside a session. */
#define PLOTS_KEY "plots"
/* The recorded run the plots show: a{sv} with "steps" (t) and "time" (d). */
#define RUN_KEY "run"

typedef void (*SavedFunc) (SpkWindow *self,
                           gboolean   saved);

/* {{{ Helpers */

void
_spk_window_show_error (SpkWindow  *self,
                        const char *heading,
                        GError     *error)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, error ? error->message : NULL);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

void
spk_window_show_error (SpkWindow    *self,
                       const char   *heading,
                       const GError *error)
{
  g_return_if_fail (SPK_IS_WINDOW (self));

  _spk_window_show_error (self, heading, (GError *) error);
}

static gboolean
is_model_file (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *lower = name ? g_ascii_strdown (name, -1) : NULL;

  return lower != NULL && g_str_has_suffix (lower, ".json");
}

static void
remember (SpkWindow *self,
          GFile     *file)
{
  g_autofree char *uri = g_file_get_uri (file);

  gtk_recent_manager_add_item (gtk_recent_manager_get_default (), uri);
  /* Sessions are lessons: they carry the layout, plots and results. */
  if (!is_model_file (file))
    _spk_window_note_recent (self, file);
}

static void
add_filter (GtkFileChooser *chooser,
            const char     *name,
            const char     *pattern,
            const char     *mime_type)
{
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_pattern (filter, pattern);
  if (mime_type != NULL)
    gtk_file_filter_add_mime_type (filter, mime_type);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
add_filters (GtkFileChooser *chooser,
             gboolean        sessions,
             gboolean        models)
{
  if (sessions && models)
    {
      g_autoptr (GtkFileFilter) all = gtk_file_filter_new ();

      gtk_file_filter_set_name (all, _("Sessions and Models"));
      gtk_file_filter_add_pattern (all, "*.spkw");
      gtk_file_filter_add_pattern (all, "*.json");
      gtk_file_filter_add_pattern (all, "*.h5");
      gtk_file_filter_add_pattern (all, "*.keras");
      gtk_file_filter_add_pattern (all, "*.nir");
      gtk_file_chooser_add_filter (chooser, all);
    }
  if (sessions)
    add_filter (chooser, _("Spikeworks Sessions (.spkw)"), "*.spkw", "application/x-spikeworks-session");
  if (models)
    add_filter (chooser, _("Model Files (.json)"), "*.json", "application/json");
  if (sessions && models)
    {
      g_autoptr (GtkFileFilter) keras = gtk_file_filter_new ();

      /* Converted on opening (spk-window-keras.c); never saved to. */
      gtk_file_filter_set_name (keras, _("Keras Models (.h5, .keras)"));
      gtk_file_filter_add_pattern (keras, "*.h5");
      gtk_file_filter_add_pattern (keras, "*.keras");
      gtk_file_filter_add_mime_type (keras, "application/x-keras");
      gtk_file_chooser_add_filter (chooser, keras);
      add_filter (chooser, _("NIR Graphs (.nir)"), "*.nir", "application/x-nir");
    }
}

/* }}} */
/* {{{ Parameters and training history */

/* A session's saved parameters and history, for the window to keep: the
 * model then runs exactly as it was saved, trained or not. */
static void
take_training (SpkWindow  *self,
               SpkSession *session)
{
  SpkPlan *plan = spk_session_get_plan (session);
  GHashTable *params = NULL;
  g_autofree guint *epochs = NULL;
  GArray *loss = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *val_loss = g_array_new (FALSE, FALSE, sizeof (double));
  guint n = 0;

  if (plan != NULL)
    {
      g_auto (GStrv) keys = spk_plan_list_params (plan);

      params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) spk_array_unref);
      for (guint i = 0; keys[i] != NULL; i++)
        {
          SpkArray *value = spk_plan_dup_param (plan, keys[i]);

          if (value != NULL)
            g_hash_table_insert (params, g_strdup (keys[i]), value);
        }
    }
  epochs = spk_session_dup_history_epochs (session, &n);
  for (guint i = 0; i < n; i++)
    {
      double l = NAN, v = NAN;

      spk_session_get_history (session, epochs[i], "loss", &l);
      spk_session_get_history (session, epochs[i], "val_loss", &v);
      g_array_append_val (loss, l);
      g_array_append_val (val_loss, v);
    }
  _spk_window_set_pending_training (self, params, loss, val_loss);
}

/* Puts the window's parameters (built into a plan of the model as it is
 * now) and its history into session.  A model that does not build saves
 * without parameters, as it would untrained. */
static void
put_training (SpkWindow  *self,
              SpkSession *session)
{
  const double *loss, *val_loss;
  guint n = spk_window_get_history (self, &loss, &val_loss);

  if (self->params != NULL)
    {
      g_autoptr (SpkPlan) plan = spk_build_with_params (self->network, self->params, NULL);

      if (plan != NULL)
        spk_session_set_plan (session, plan);
    }
  for (guint e = 0; e < n; e++)
    {
      if (!isnan (loss[e]))
        spk_session_add_history (session, e + 1, "loss", loss[e]);
      if (!isnan (val_loss[e]))
        spk_session_add_history (session, e + 1, "val_loss", val_loss[e]);
    }
}

/* {{{ The recorded run */

/* What Save takes from the running simulator, in the runner's thread
 * while the window waits (spk_runner_snapshot ()). */
typedef struct
{
  SpkSession         *session;
  const char * const *labels;   /* the model's own probes */
  GHashTable         *params;   /* out: the weights as they are now */
  GError             *error;
} RunSnapshot;

static void
snapshot_cb (SpkSimulator *sim,
             gpointer      data)
{
  RunSnapshot *snap = data;

  snap->params = spk_simulator_dup_params (sim);
  if (snap->labels[0] != NULL)
    spk_session_record_probes (snap->session, sim, snap->labels, &snap->error);
}

/* The labels of the model's own probes. */
static GStrv
model_probe_labels (SpkNetwork *network)
{
  GPtrArray *objects = spk_network_get_objects (network);
  g_autoptr (GStrvBuilder) labels = g_strv_builder_new ();

  for (guint i = 0; i < objects->len; i++)
    if (SPK_IS_PROBE (g_ptr_array_index (objects, i)) && spk_object_get_label (g_ptr_array_index (objects, i)))
      g_strv_builder_add (labels, spk_object_get_label (g_ptr_array_index (objects, i)));
  return g_strv_builder_end (labels);
}

/* Whether a learning rule changed any of plan's parameters in now. */
static gboolean
params_learned (SpkPlan    *plan,
                GHashTable *now)
{
  g_auto (GStrv) keys = spk_plan_list_params (plan);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr (SpkArray) built = spk_plan_dup_param (plan, keys[i]);
      SpkArray *current = g_hash_table_lookup (now, keys[i]);

      if (built != NULL && current != NULL && !spk_array_equal (built, current))
        return TRUE;
    }
  return FALSE;
}

/* Puts what the model's own probes recorded into session (from the
 * running simulator, or from the session the run was reopened from while
 * it has not gone on yet) and, when a learning rule changed weights, the
 * weights as they are now: *learned says so. */
static gboolean
put_model_probes (SpkWindow   *self,
                  SpkSession  *session,
                  gboolean    *learned,
                  GError     **error)
{
  SpkRunner *runner = spk_run_bar_get_runner (self->run_bar);
  g_auto (GStrv) labels = model_probe_labels (self->network);
  g_autoptr (GHashTable) params = NULL;
  RunSnapshot snap = { session, (const char * const *) labels, NULL, NULL };

  SpkRunnerStatus status = { 0 };

  *learned = FALSE;
  if (runner != NULL)
    spk_runner_get_status (runner, &status);
  if (runner == NULL || status.n_steps == 0 || !spk_runner_snapshot (runner, snapshot_cb, &snap))
    {
      /* A reopened run not yet gone on: what it was saved with. */
      for (guint i = 0; self->run_session != NULL && labels[i] != NULL; i++)
        {
          const float *data;
          const double *t;
          guint batch, size;
          guint64 n;
          g_autofree double *values = NULL;

          if ((data = spk_session_get_probe_data (self->run_session, labels[i], &batch, &n, &size, &t)) == NULL
              || (values = g_try_new (double, (gsize) batch * n * size)) == NULL)
            continue;
          for (gsize k = 0; k < (gsize) batch * n * size; k++)
            values[k] = data[k];
          if (!spk_session_set_probe_data (session, labels[i], t, values, batch, n, size, error))
            return FALSE;
        }
      *learned = self->run_learned;
      return TRUE;
    }
  params = g_steal_pointer (&snap.params);
  if (snap.error != NULL)
    {
      g_propagate_error (error, snap.error);
      return FALSE;
    }
  if (params != NULL && params_learned (spk_runner_get_plan (runner), params))
    {
      /* Saved as they ended up, as the command line's save does: the
       * session reopens with what was learned. */
      g_autoptr (SpkPlan) plan = spk_build_with_params (self->network, params, error);

      if (plan == NULL)
        return FALSE;
      spk_session_set_plan (session, plan);
      *learned = TRUE;
    }
  return TRUE;
}

/* Puts what the plots recorded into session, with the run's length and,
 * unless trained ones are saved anyway, the parameters it was built with. */
static gboolean
put_run (SpkWindow   *self,
         SpkSession  *session,
         GError     **error)
{
  guint64 steps;
  guint n_plots = spk_plot_grid_get_n_plots (self->plot_grid);
  double last_time = 0;
  gboolean any = FALSE, learned = FALSE;
  GVariantDict run;

  /* Everything the runner recorded so far, into the plots. */
  spk_plot_grid_drain (self->plot_grid);
  steps = spk_run_bar_get_recorded_steps (self->run_bar);
  for (guint p = 0; p < n_plots; p++)
    {
      SpkPlotView *view = spk_plot_grid_get_plot (self->plot_grid, p);
      guint n = spk_plot_view_get_n_samples (view);
      guint width = spk_plot_view_get_width (view);
      g_autofree double *t = NULL;
      g_autofree float *data = NULL;
      g_autofree char *key = NULL;

      if (n == 0 || width == 0)
        continue;
      t = g_try_new (double, n);
      data = g_try_new (float, (gsize) n * width);
      if (t == NULL || data == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                       _("Not enough memory to save the data of plot “%s”"), spk_plot_view_get_title (view));
          return FALSE;
        }
      for (guint i = 0; i < n; i++)
        {
          t[i] = spk_plot_view_get_time (view, i);
          for (guint k = 0; k < width; k++)
            data[(gsize) i * width + k] = (float) spk_plot_view_get_value (view, i, k);
        }
      last_time = MAX (last_time, t[n - 1]);
      key = g_strdup_printf ("%u", p);
      if (!spk_session_set_plot_data (session, key, t, data, n, width, error))
        return FALSE;
      any = TRUE;
    }
  if (!any)
    return TRUE;
  if (self->params == NULL)
    {
      /* What the run was built with (the plots' own probes aside): the
       * session then reruns exactly, whatever the seeds. */
      g_autoptr (SpkPlan) plan = spk_build (self->network, NULL);

      if (plan != NULL)
        spk_session_set_plan (session, plan);
    }
  if (!put_model_probes (self, session, &learned, error))
    return FALSE;
  g_variant_dict_init (&run, NULL);
  g_variant_dict_insert (&run, "steps", "t", (guint64) steps);
  g_variant_dict_insert (&run, "time", "d", last_time);
  /* Learned weights cannot replay the run that learned them: the run is
   * shown, and Play starts a new one from what was learned. */
  if (learned)
    g_variant_dict_insert (&run, "learned", "b", TRUE);
  spk_session_set_layout (session, RUN_KEY, g_variant_dict_end (&run));
  return TRUE;
}

/* Gives the plots (the session's, already applied) their saved samples
 * and the run bar the saved run to go on from. */
static void
take_run (SpkWindow  *self,
          SpkSession *session)
{
  GVariant *run = spk_session_get_layout (session, RUN_KEY);
  guint64 steps = 0;
  double time = 0;
  gboolean learned = FALSE;

  if (run == NULL || !g_variant_is_of_type (run, G_VARIANT_TYPE_VARDICT))
    return;
  g_variant_lookup (run, "steps", "t", &steps);
  g_variant_lookup (run, "time", "d", &time);
  g_variant_lookup (run, "learned", "b", &learned);
  for (guint p = 0; p < spk_plot_grid_get_n_plots (self->plot_grid); p++)
    {
      SpkPlotView *view = spk_plot_grid_get_plot (self->plot_grid, p);
      g_autofree char *key = g_strdup_printf ("%u", p);
      g_autofree double *values = NULL;
      const double *t;
      const float *data;
      guint64 n;
      guint width;

      if ((data = spk_session_get_plot_data (session, key, &n, &width, &t)) == NULL || n == 0
          || n > G_MAXUINT || (values = g_try_new (double, n * width)) == NULL)
        continue;
      for (gsize i = 0; i < n * width; i++)
        values[i] = data[i];
      spk_plot_view_append (view, t, values, (guint) n, width);
    }
  spk_plot_grid_set_recorded_time (self->plot_grid, time);
  spk_run_bar_set_resume_steps (self->run_bar, learned ? 0 : steps);
  g_free (self->run_model);
  self->run_model = spk_model_to_data (self->network, NULL);
  g_clear_pointer (&self->run_session, spk_session_unref);
  self->run_session = spk_session_ref (session);
  self->run_learned = learned;
}

/* The attribute a probe records, as the builder reads it. */
static const char *
probe_attr (SpkProbe *probe)
{
  const char *attr = spk_probe_get_attr (probe);
  SpkObject *target = spk_probe_get_target (probe);

  if (attr != NULL && *attr != '\0')
    return attr;
  return SPK_IS_ENSEMBLE (target) && !spk_probe_get_target_neurons (probe) ? "decoded_output" : "output";
}

/* Whether a plot of kind shows what probe records. */
static gboolean
plot_shows_probe (SpkPlotKind  kind,
                  SpkProbe    *probe)
{
  const char *attr = probe_attr (probe);
  gboolean neurons = spk_probe_get_target_neurons (probe);

  switch (kind)
    {
    case SPK_PLOT_VALUE:
    case SPK_PLOT_XY:
    case SPK_PLOT_IMAGE:
      return !neurons && (g_str_equal (attr, "decoded_output") || g_str_equal (attr, "output"));
    case SPK_PLOT_SPIKES:
    case SPK_PLOT_FILTERED:
      return neurons && g_str_equal (attr, "output");
    case SPK_PLOT_VOLTAGE:
      return neurons && g_str_equal (attr, "voltage");
    case SPK_PLOT_CURRENT:
      return neurons && g_str_equal (attr, "input");
    case SPK_PLOT_TUNING:
    case SPK_PLOT_DECODED:
    case SPK_PLOT_N_KINDS:
    default:
      return FALSE;
    }
}

/* A session that recorded the model's own probes but no plots (as
 * `spikeworks-cli save --run-steps` writes it) opens with each plot of a
 * probed object showing what that probe recorded (the first of a batch).
 * Only plots left empty by take_run () are filled; the run itself is not
 * resumed (Play starts from t = 0). */
static void
take_probe_data (SpkWindow  *self,
                 SpkSession *session)
{
  g_auto (GStrv) labels = spk_session_list_probes (session);
  double last = 0;
  gboolean any = FALSE;

  for (guint p = 0; p < spk_plot_grid_get_n_plots (self->plot_grid); p++)
    {
      SpkPlotView *view = spk_plot_grid_get_plot (self->plot_grid, p);
      SpkObject *target = _spk_window_lookup_plot_target (self, spk_plot_view_get_target (view));

      if (target == NULL || spk_plot_view_get_n_samples (view) > 0)
        continue;
      for (guint i = 0; labels != NULL && labels[i] != NULL; i++)
        {
          SpkObject *object = spk_network_lookup (self->network, labels[i]);
          g_autofree double *values = NULL;
          const double *t;
          const float *data;
          guint64 n;
          guint batch, size;

          if (!SPK_IS_PROBE (object) || spk_probe_get_target (SPK_PROBE (object)) != target
              || !plot_shows_probe (spk_plot_view_get_kind (view), SPK_PROBE (object))
              || (data = spk_session_get_probe_data (session, labels[i], &batch, &n, &size, &t)) == NULL
              || n == 0 || n > G_MAXUINT || size == 0
              || (values = g_try_new (double, n * size)) == NULL)
            continue;
          /* Batch row 0: batch × n × size. */
          for (gsize k = 0; k < n * size; k++)
            values[k] = data[k];
          spk_plot_view_append (view, t, values, (guint) n, size);
          last = MAX (last, t[n - 1]);
          any = TRUE;
          break;
        }
    }
  if (any && spk_run_bar_get_recorded_steps (self->run_bar) == 0)
    spk_plot_grid_set_recorded_time (self->plot_grid, last);
}

/* }}} */
/* {{{ Opening */

char *
_spk_window_local_path (GFile   *file,
                        GError **error)
{
  char *path = g_file_get_path (file);

  if (path == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Only local files can be opened"));
  return path;
}

void
_spk_window_show_converted (SpkWindow  *self,
                            SpkSession *session)
{
  SpkPlan *plan = spk_session_get_plan (session);
  g_auto (GStrv) keys = spk_plan_list_params (plan);
  GHashTable *params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) spk_array_unref);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      SpkArray *value = spk_plan_dup_param (plan, keys[i]);

      if (value != NULL)
        g_hash_table_insert (params, g_strdup (keys[i]), value);
    }
  _spk_window_set_pending_training (self, params, NULL, NULL);
  _spk_window_set_pending_plots (self, NULL);
  spk_window_set_network (self, spk_session_get_network (session), NULL, NULL);
}

gboolean
spk_window_open_file (SpkWindow  *self,
                      GFile      *file,
                      GError    **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (SPK_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!(path = _spk_window_local_path (file, error)))
    return FALSE;
  if (_spk_window_is_nir_file (file))
    {
      /* Converted once the time step is chosen. */
      _spk_window_ask_nir (self, file);
      return TRUE;
    }
  if (_spk_window_is_keras_file (file))
    {
      /* Converted once the options are chosen. */
      _spk_window_ask_keras (self, file);
      return TRUE;
    }
  if (is_model_file (file))
    {
      g_autoptr (SpkNetwork) network = spk_model_load_file (path, error);

      if (network == NULL)
        return FALSE;
      /* A model file is imported: saving makes a session beside it. */
      spk_window_set_network (self, network, NULL, NULL);
      if (spk_network_get_label (network) == NULL)
        {
          g_autofree char *name = g_file_get_basename (file);

          adw_window_title_set_title (self->window_title, name);
        }
    }
  else
    {
      g_autoptr (SpkSession) session = spk_session_load_checked (path, error);

      if (session == NULL)
        return FALSE;
      _spk_window_set_pending_plots (self, spk_session_get_layout (session, PLOTS_KEY));
      take_training (self, session);
      spk_window_set_network (self, spk_session_get_network (session),
                              spk_session_get_layout (session, LAYOUT_KEY), file);
      take_run (self, session);
      take_probe_data (self, session);
    }
  remember (self, file);
  return TRUE;
}

static void
open_response_cb (GtkNativeDialog *chooser,
                  int              response,
                  SpkWindow       *self)
{
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      if (file != NULL && !spk_window_open_file (self, file, &error))
        _spk_window_show_error (self, _("Could not open the file"), error);
    }
  g_object_unref (chooser);
}

static void
choose_file_to_open (SpkWindow *self)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Open a Session or Model"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  add_filters (GTK_FILE_CHOOSER (chooser), TRUE, TRUE);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (open_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
open_after_save (SpkWindow *self,
                 gboolean   saved)
{
  if (saved)
    choose_file_to_open (self);
}

static void
discard_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     SpkWindow        *self)
{
  if (g_str_equal (response, "discard"))
    choose_file_to_open (self);
  else if (g_str_equal (response, "save"))
    _spk_window_save_then (self, open_after_save);
}

void
_spk_window_open_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  SpkWindow *self = SPK_WINDOW (widget);

  if (!_spk_window_is_modified (self))
    {
      choose_file_to_open (self);
      return;
    }
  _spk_window_ask_to_save (self, _("Opening another file replaces this model, and its unsaved changes would be lost."),
                           G_CALLBACK (discard_response_cb));
}

GtkWidget *
_spk_window_ask_to_save (SpkWindow  *self,
                         const char *body,
                         GCallback   response_cb)
{
  g_autofree char *own = NULL;
  GtkWidget *dialog;

  if (body == NULL)
    {
      const char *title = adw_window_title_get_title (self->window_title);

      if (g_str_has_prefix (title, "• "))
        title += strlen ("• ");
      body = own = g_strdup_printf (_("“%s” has changes that were never saved. They are lost if you close it now."), title);
    }
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save Changes?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", response_cb, self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

/* }}} */
/* {{{ Saving */

gboolean
spk_window_save_file (SpkWindow  *self,
                      GFile      *file,
                      GError    **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (SPK_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (self->network != NULL, FALSE);

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Only local files can be saved"));
      return FALSE;
    }
  if (is_model_file (file))
    {
      if (!spk_model_save_file (self->network, path, error))
        return FALSE;
    }
  else
    {
      g_autoptr (SpkSession) session = spk_session_new (self->network);

      spk_session_set_layout (session, LAYOUT_KEY, spk_layout_serialize (self->layout));
      spk_session_set_layout (session, PLOTS_KEY, spk_plot_grid_serialize (self->plot_grid));
      put_training (self, session);
      if (!put_run (self, session, error) || !spk_session_save (session, path, error))
        return FALSE;
      g_set_object (&self->file, file);
      self->training_unsaved = FALSE;
      spk_undo_stack_mark_saved (self->undo_stack);
      _spk_window_update_title (self);
    }
  remember (self, file);
  return TRUE;
}

typedef struct
{
  SpkWindow *self;
  SavedFunc  done;
  gboolean   model;
} SaveRequest;

static void
save_response_cb (GtkNativeDialog *chooser,
                  int              response,
                  SaveRequest     *request)
{
  SpkWindow *self = request->self;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GError) error = NULL;
  gboolean saved = FALSE;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      if (file != NULL)
        {
          g_autofree char *name = g_file_get_basename (file);
          const char *extension = request->model ? ".json" : ".spkw";

          /* Give the file its extension, so it opens as what it is. */
          if (!g_str_has_suffix (name, extension) && !(!request->model && is_model_file (file)))
            {
              g_autofree char *with = g_strconcat (name, extension, NULL);
              g_autoptr (GFile) parent = g_file_get_parent (file);

              g_set_object (&file, g_file_get_child (parent, with));
            }
          saved = spk_window_save_file (self, file, &error);
          if (!saved)
            _spk_window_show_error (self, _("Could not save the file"), error);
          else if (request->model)
            {
              g_autofree char *message = g_strdup_printf (_("Exported to “%s”"), g_file_peek_path (file));

              adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
            }
        }
    }
  if (request->done != NULL)
    request->done (self, saved);
  g_object_unref (self);
  g_free (request);
  g_object_unref (chooser);
}

static void
choose_file_to_save (SpkWindow *self,
                     gboolean   model,
                     SavedFunc  done)
{
  GtkFileChooserNative *chooser;
  SaveRequest *request = g_new0 (SaveRequest, 1);
  g_autofree char *name = NULL;
  const char *label = spk_network_get_label (self->network);

  chooser = gtk_file_chooser_native_new (model ? _("Export the Model") : _("Save the Session"),
                                         GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                         model ? _("_Export") : _("_Save"), _("_Cancel"));
  add_filters (GTK_FILE_CHOOSER (chooser), !model, model);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (self->file != NULL && !model)
    gtk_file_chooser_set_file (GTK_FILE_CHOOSER (chooser), self->file, NULL);
  else
    {
      /* Translators: the file name offered for a model without a label */
      /* .spikeworks.json: still JSON, and the desktop knows it is a model
       * (application/x-spikeworks-model). */
      name = g_strconcat (label ? label : _("model"), model ? ".spikeworks.json" : ".spkw", NULL);
      gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
    }
  request->self = g_object_ref (self);
  request->done = done;
  request->model = model;
  g_signal_connect (chooser, "response", G_CALLBACK (save_response_cb), request);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

void
_spk_window_save_then (SpkWindow *self,
                       SavedFunc  done)
{
  g_autoptr (GError) error = NULL;

  if (self->file == NULL)
    {
      choose_file_to_save (self, FALSE, done);
      return;
    }
  if (!spk_window_save_file (self, self->file, &error))
    {
      _spk_window_show_error (self, _("Could not save the file"), error);
      if (done != NULL)
        done (self, FALSE);
      return;
    }
  if (done != NULL)
    done (self, TRUE);
}

void
_spk_window_save_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  _spk_window_save_then (SPK_WINDOW (widget), NULL);
}

void
_spk_window_save_as_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  choose_file_to_save (SPK_WINDOW (widget), FALSE, NULL);
}

void
_spk_window_export_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  choose_file_to_save (SPK_WINDOW (widget), TRUE, NULL);
}

/* }}} */

/* Opened from the command line, the window is presented after the file
 * is opened: the dialog waits for it, or it would be hidden behind it. */
static void
window_mapped_cb (GtkWidget *window,
                  GtkWindow *dialog)
{
  g_signal_handlers_disconnect_by_func (window, window_mapped_cb, dialog);
  gtk_window_present (dialog);
}

void
_spk_window_present_dialog (SpkWindow *self,
                            GtkWidget *dialog)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_window_present (GTK_WINDOW (dialog));
  else
    g_signal_connect_object (self, "map", G_CALLBACK (window_mapped_cb), dialog, G_CONNECT_AFTER);
}
