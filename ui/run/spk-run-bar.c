/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-run-bar.c — SpkRunBar: the run controls and the owner of the runner.
 *
 * Running never touches the user's model: the bar copies it (through the
 * model file format, so the copy is exact), lets the plot grid add its
 * hidden "__plot<N>" probes to the copy, builds that and hands the plan to
 * a SpkRunner.  The runner's events arrive on the main context, where the
 * bar updates its labels and tells the grid and the sliders about resets
 * and plan changes; probe samples are drained by the grid on the frame
 * clock.  Every call here is on the GTK main thread, the runner's owner.
 *
 * A run saved in a session goes on where it stopped: the plots show the
 * saved samples, and the first command replays the saved number of steps
 * as fast as possible (the same parameters give the same run, so the
 * plots fill with the same samples) before it does what was asked.
 */
#define G_LOG_DOMAIN "spk-run-bar"

#include "ui/run/spk-run-bar.h"
#include "ui/run/spk-wrap-layout.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <math.h>

#include "io/spk-model-json.h"
#include "model/spk-probe.h"

static const double rates[] = { 0.1, 0.25, 0.5, 1, 2, 5, 10, SPK_RUNNER_RATE_UNLIMITED };
#define DEFAULT_RATE_INDEX 3

struct _SpkRunBar
{
  GtkWidget       parent_instance;

  GtkWidget      *play_button;
  GtkWidget      *steps_spin;
  GtkWidget      *rate_drop;
  GtkWidget      *time_label;
  GtkWidget      *speed_label;
  GtkWidget      *behind_badge;
  GtkWidget      *error_label;

  SpkNetwork     *network;
  GHashTable     *params;   /* (nullable) built parameters the copy takes */
  SpkPlotGrid    *grid;
  SpkSliderPanel *sliders;
  SpkRunner      *runner;
  char           *blocked;
  char           *built_model;   /* the model text the runner's plan was built from */
  GStrv           model_probes;  /* the labels of the model's own probes,
                                  * whose records the runner keeps (Save) */
  SpkRunnerState  state;
  double          rate;
  guint64         resume_steps;  /* a saved run's length, replayed first */
  int             resuming;      /* what to do after the replay, or NONE */
};

enum { RESUME_NONE, RESUME_PLAY, RESUME_STEP, RESUME_RUN_STEPS };

G_DEFINE_FINAL_TYPE (SpkRunBar, spk_run_bar, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_STATE, PROP_RATE, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { NOTICE, N_SIGNALS };
static guint signals[N_SIGNALS];

/* {{{ Status */

static void
update_actions (SpkRunBar *self)
{
  gboolean can_run = self->network != NULL && self->blocked == NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "run.play-pause", can_run);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "run.step", can_run);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "run.run-steps", can_run);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "run.reset", self->runner != NULL);
}

static void
show_status (SpkRunBar             *self,
             const SpkRunnerStatus *status)
{
  g_autofree char *time = NULL;
  g_autofree char *speed = NULL;
  gboolean running = status->state == SPK_RUNNER_STATE_RUNNING;

  /* Translators: the simulation time in the run bar */
  time = g_strdup_printf (_("t = %.3f s"), status->time);
  gtk_label_set_text (GTK_LABEL (self->time_label), time);
  if (running && status->steps_per_second > 0)
    /* Translators: the simulator's achieved speed */
    speed = g_strdup_printf (_("%.0f steps/s"), status->steps_per_second);
  else
    speed = g_strdup_printf (g_dngettext (NULL, "%" PRIu64 " step", "%" PRIu64 " steps", status->n_steps),
                             (uint64_t) status->n_steps);
  gtk_label_set_text (GTK_LABEL (self->speed_label), speed);
  gtk_widget_set_visible (self->behind_badge,
                          running && status->behind && status->rate != SPK_RUNNER_RATE_UNLIMITED);
  gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                            running ? "media-playback-pause-symbolic" : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (self->play_button, running ? _("Pause (Space)") : _("Play (Space)"));
  if (self->state != status->state)
    {
      self->state = status->state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

static void
event_cb (SpkRunner            *runner,
          const SpkRunnerEvent *event,
          gpointer              data)
{
  SpkRunBar *self = data;

  switch (event->kind)
    {
    case SPK_RUNNER_EVENT_RESET:
      spk_plot_grid_drain (self->grid);
      spk_plot_grid_clear (self->grid);
      gtk_widget_set_visible (self->error_label, FALSE);
      break;
    case SPK_RUNNER_EVENT_PLAN_CHANGED:
      spk_plot_grid_plan_changed (self->grid);
      if (!event->state_kept)
        spk_plot_grid_clear (self->grid);
      break;
    case SPK_RUNNER_EVENT_ERROR:
    case SPK_RUNNER_EVENT_COMMAND_FAILED:
      if (event->error != NULL)
        {
          /* Translators: the run bar says why the run stopped */
          g_autofree char *text = g_strdup_printf (_("Stopped: %s"), event->error->message);

          gtk_label_set_text (GTK_LABEL (self->error_label), text);
          gtk_widget_set_tooltip_text (self->error_label, event->error->message);
          gtk_widget_set_visible (self->error_label, TRUE);
        }
      break;
    case SPK_RUNNER_EVENT_FINISHED:
      if (self->resuming != RESUME_NONE)
        {
          int then = self->resuming;

          /* The saved run is back: now what was asked, at its speed. */
          self->resuming = RESUME_NONE;
          spk_runner_set_rate (self->runner, self->rate);
          if (then == RESUME_PLAY)
            spk_runner_run (self->runner, 0);
          else if (then == RESUME_STEP)
            spk_runner_step (self->runner);
          else
            spk_runner_run (self->runner, (guint64) gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->steps_spin)));
        }
      break;
    case SPK_RUNNER_EVENT_STATUS:
    default:
      break;
    }
  show_status (self, &event->status);
  update_actions (self);
}

/* }}} */
/* {{{ Building */

/* The copy of the model that runs: the user's network with the plots'
 * probes added. */
static SpkPlan *
build_run_plan (SpkRunBar  *self,
                GError    **error)
{
  g_autofree char *data = NULL;
  g_autoptr (SpkNetwork) copy = NULL;
  gsize length;

  data = spk_model_to_data (self->network, &length);
  g_free (self->built_model);
  self->built_model = g_strdup (data);
  copy = spk_model_load_data (data, length, error);
  if (copy == NULL)
    return NULL;
  {
    GPtrArray *objects = spk_network_get_objects (copy);
    g_autoptr (GStrvBuilder) labels = g_strv_builder_new ();

    for (guint i = 0; i < objects->len; i++)
      if (SPK_IS_PROBE (g_ptr_array_index (objects, i))
          && spk_object_get_label (g_ptr_array_index (objects, i)) != NULL)
        g_strv_builder_add (labels, spk_object_get_label (g_ptr_array_index (objects, i)));
    g_strfreev (self->model_probes);
    self->model_probes = g_strv_builder_end (labels);
  }
  if (self->grid != NULL)
    spk_plot_grid_add_probes (self->grid, copy);
  /* Saved or trained parameters; the plots' probes are solved afresh. */
  return self->params ? spk_build_with_params (copy, self->params, error) : spk_build (copy, error);
}

gboolean
spk_run_bar_ensure_runner (SpkRunBar  *self,
                           GError    **error)
{
  g_autoptr (SpkPlan) plan = NULL;

  g_return_val_if_fail (SPK_IS_RUN_BAR (self), FALSE);

  if (self->runner != NULL)
    return TRUE;
  if (self->network == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("There is no model to run"));
      return FALSE;
    }
  if ((plan = build_run_plan (self, error)) == NULL)
    return FALSE;
  self->runner = spk_runner_new (plan, 1, NULL, 0, error);
  if (self->runner == NULL)
    return FALSE;
  spk_runner_set_event_func (self->runner, event_cb, self, NULL);
  /* The plots keep their own copy of the run: a second one in the
   * simulator would only cost memory and time. */
  spk_runner_set_stream_only (self->runner, TRUE);
  /* Save keeps what the model's own probes recorded, as the command
   * line's save --run-steps does. */
  spk_runner_set_kept_probes (self->runner, (const char * const *) self->model_probes);
  /* The grid clears on RESET: the new run's samples must come after it. */
  spk_runner_set_hold_resets (self->runner, TRUE);
  /* The window draws on the other core: a pool helper polling there would
   * take turns with it, and slowed the plots' benchmark by a third. */
  spk_runner_set_parallel (self->runner, FALSE);
  spk_runner_set_rate (self->runner, self->rate);
  /* The grid empties for the new run (a replay refills saved samples). */
  if (self->grid != NULL)
    spk_plot_grid_set_runner (self->grid, self->runner);
  if (self->sliders != NULL)
    spk_slider_panel_set_runner (self->sliders, self->runner);
  update_actions (self);
  return TRUE;
}

gboolean
spk_run_bar_is_built_from (SpkRunBar  *self,
                           const char *model)
{
  g_return_val_if_fail (SPK_IS_RUN_BAR (self), FALSE);
  return self->runner != NULL && model != NULL && g_strcmp0 (self->built_model, model) == 0;
}

gboolean
spk_run_bar_rebuild (SpkRunBar  *self,
                     gboolean    keep_state,
                     GError    **error)
{
  g_autoptr (SpkPlan) plan = NULL;
  g_autofree char *before = NULL;
  SpkRunnerCarry carry = SPK_RUNNER_CARRY_NONE;

  g_return_val_if_fail (SPK_IS_RUN_BAR (self), FALSE);

  if (self->runner == NULL)
    return TRUE;
  before = g_steal_pointer (&self->built_model);
  if ((plan = build_run_plan (self, error)) == NULL)
    {
      spk_runner_pause (self->runner);
      return FALSE;
    }
  /* The same model with other plots goes on signal by signal (a plot's
   * new filter or tap starts empty); a changed one (a renamed object) only
   * when nothing moved in the signals' layout. */
  if (keep_state)
    carry = g_strcmp0 (before, self->built_model) == 0 ? SPK_RUNNER_CARRY_BY_NAME
                                                        : SPK_RUNNER_CARRY_SAME_LAYOUT;
  spk_runner_set_kept_probes (self->runner, (const char * const *) self->model_probes);
  spk_runner_set_plan (self->runner, plan, carry);
  return TRUE;
}

static void
drop_runner (SpkRunBar *self)
{
  SpkRunnerStatus idle = { .state = SPK_RUNNER_STATE_PAUSED, .rate = self->rate };

  if (self->grid != NULL)
    spk_plot_grid_set_runner (self->grid, NULL);
  if (self->sliders != NULL)
    spk_slider_panel_set_runner (self->sliders, NULL);
  if (self->runner != NULL)
    {
      spk_runner_set_event_func (self->runner, NULL, NULL, NULL);
      spk_runner_shutdown (self->runner);
    }
  g_clear_pointer (&self->runner, spk_runner_unref);
  self->resume_steps = 0;
  self->resuming = RESUME_NONE;
  show_status (self, &idle);
  gtk_widget_set_visible (self->error_label, FALSE);
}

static gboolean
runner_or_report (SpkRunBar *self)
{
  g_autoptr (GError) error = NULL;

  if (spk_run_bar_ensure_runner (self, &error))
    return TRUE;
  g_signal_emit (self, signals[NOTICE], 0, error->message);
  return FALSE;
}

/* Replays a saved run before the command `then`; FALSE when there is
 * none to replay. */
static gboolean
start_resume (SpkRunBar *self,
              int        then)
{
  guint64 n = self->resume_steps;

  if (n == 0 || self->runner == NULL)
    return FALSE;
  self->resume_steps = 0;
  self->resuming = then;
  spk_runner_set_rate (self->runner, SPK_RUNNER_RATE_UNLIMITED);
  spk_runner_run (self->runner, n);
  return TRUE;
}

/* A replay given up (a pause, a reset): the bar's speed again. */
static void
stop_resume (SpkRunBar *self)
{
  if (self->resuming == RESUME_NONE)
    return;
  self->resuming = RESUME_NONE;
  if (self->runner != NULL)
    spk_runner_set_rate (self->runner, self->rate);
}

/* }}} */
/* {{{ Actions */

static void
play_pause_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SpkRunBar *self = SPK_RUN_BAR (widget);

  if (!runner_or_report (self))
    return;
  if (self->state == SPK_RUNNER_STATE_RUNNING)
    {
      stop_resume (self);
      spk_runner_pause (self->runner);
    }
  else if (!start_resume (self, RESUME_PLAY))
    spk_runner_run (self->runner, 0);
}

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SpkRunBar *self = SPK_RUN_BAR (widget);

  if (runner_or_report (self) && !start_resume (self, RESUME_STEP))
    spk_runner_step (self->runner);
}

static void
run_steps_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SpkRunBar *self = SPK_RUN_BAR (widget);
  guint64 n = (guint64) gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->steps_spin));

  if (runner_or_report (self) && n > 0 && !start_resume (self, RESUME_RUN_STEPS))
    spk_runner_run (self->runner, n);
}

static void
reset_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SpkRunBar *self = SPK_RUN_BAR (widget);

  if (self->runner == NULL)
    return;
  /* Sliders reset with the run: back to the model's values. */
  if (self->sliders != NULL)
    spk_slider_panel_reset (self->sliders);
  stop_resume (self);
  self->resume_steps = 0;
  spk_runner_reset (self->runner);
}

static void
rate_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  spk_run_bar_set_rate (SPK_RUN_BAR (widget), g_variant_get_double (parameter));
}

static void
rate_selected_cb (GtkDropDown *drop,
                  GParamSpec  *pspec,
                  SpkRunBar   *self)
{
  guint i = gtk_drop_down_get_selected (drop);

  if (i < G_N_ELEMENTS (rates))
    gtk_widget_activate_action (GTK_WIDGET (self), "run.rate", "d", rates[i]);
}

/* Space plays and pauses wherever the focus is, except where it types. */
static gboolean
space_cb (GtkWidget *widget,
          GVariant  *args,
          gpointer   data)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  if (focus != NULL && (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT_VIEW (focus)))
    return FALSE;
  if (!gtk_widget_is_sensitive (widget) || SPK_RUN_BAR (widget)->blocked != NULL)
    return FALSE;
  return gtk_widget_activate_action (widget, "run.play-pause", NULL);
}

/* }}} */
/* {{{ Public */

void
spk_run_bar_set_model (SpkRunBar      *self,
                       SpkNetwork     *network,
                       SpkPlotGrid    *grid,
                       SpkSliderPanel *sliders)
{
  g_return_if_fail (SPK_IS_RUN_BAR (self));

  drop_runner (self);
  g_set_object (&self->network, network);
  g_set_object (&self->grid, grid);
  g_set_object (&self->sliders, sliders);
  update_actions (self);
}

void
spk_run_bar_set_params (SpkRunBar  *self,
                        GHashTable *params)
{
  g_return_if_fail (SPK_IS_RUN_BAR (self));

  if (params == self->params)
    return;
  g_clear_pointer (&self->params, g_hash_table_unref);
  if (params != NULL)
    self->params = g_hash_table_ref (params);
}

void
spk_run_bar_set_blocked (SpkRunBar  *self,
                         const char *reason)
{
  g_return_if_fail (SPK_IS_RUN_BAR (self));

  if (g_strcmp0 (self->blocked, reason) == 0)
    return;
  g_free (self->blocked);
  self->blocked = g_strdup (reason);
  if (self->blocked != NULL && self->runner != NULL)
    spk_runner_pause (self->runner);
  update_actions (self);
}

void
spk_run_bar_set_resume_steps (SpkRunBar *self,
                              guint64    n_steps)
{
  g_return_if_fail (SPK_IS_RUN_BAR (self));

  if (n_steps == 0)
    stop_resume (self);
  self->resume_steps = n_steps;
}

guint64
spk_run_bar_get_recorded_steps (SpkRunBar *self)
{
  SpkRunnerStatus status = { 0 };

  g_return_val_if_fail (SPK_IS_RUN_BAR (self), 0);

  if (self->runner == NULL || (self->resume_steps > 0 && self->resuming == RESUME_NONE))
    return self->resume_steps;
  spk_runner_get_status (self->runner, &status);
  return status.n_steps;
}

SpkRunner *
spk_run_bar_get_runner (SpkRunBar *self)
{
  g_return_val_if_fail (SPK_IS_RUN_BAR (self), NULL);
  return self->runner;
}

gboolean
spk_run_bar_get_behind (SpkRunBar *self)
{
  g_return_val_if_fail (SPK_IS_RUN_BAR (self), FALSE);
  return gtk_widget_get_visible (self->behind_badge);
}

SpkRunnerState
spk_run_bar_get_state (SpkRunBar *self)
{
  g_return_val_if_fail (SPK_IS_RUN_BAR (self), SPK_RUNNER_STATE_PAUSED);
  return self->state;
}

void
spk_run_bar_set_n_steps (SpkRunBar *self,
                         guint64    n_steps)
{
  g_return_if_fail (SPK_IS_RUN_BAR (self));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->steps_spin), (double) n_steps);
}

/* }}} */
/* {{{ GObject */

static void
spk_run_bar_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  SpkRunBar *self = SPK_RUN_BAR (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_RATE:
      g_value_set_double (value, self->rate);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
spk_run_bar_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  SpkRunBar *self = SPK_RUN_BAR (object);

  switch (prop_id)
    {
    case PROP_RATE:
      spk_run_bar_set_rate (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
spk_run_bar_dispose (GObject *object)
{
  SpkRunBar *self = SPK_RUN_BAR (object);

  if (self->runner != NULL)
    {
      spk_runner_set_event_func (self->runner, NULL, NULL, NULL);
      spk_runner_shutdown (self->runner);
    }
  g_clear_pointer (&self->runner, spk_runner_unref);
  g_clear_object (&self->network);
  g_clear_pointer (&self->params, g_hash_table_unref);
  g_clear_object (&self->grid);
  g_clear_object (&self->sliders);
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }
  G_OBJECT_CLASS (spk_run_bar_parent_class)->dispose (object);
}

static void
spk_run_bar_finalize (GObject *object)
{
  SpkRunBar *self = SPK_RUN_BAR (object);

  g_free (self->blocked);
  g_strfreev (self->model_probes);
  g_free (self->built_model);
  G_OBJECT_CLASS (spk_run_bar_parent_class)->finalize (object);
}

static void
spk_run_bar_class_init (SpkRunBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = spk_run_bar_get_property;
  object_class->set_property = spk_run_bar_set_property;
  object_class->dispose = spk_run_bar_dispose;
  object_class->finalize = spk_run_bar_finalize;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, SPK_RUNNER_STATE_PAUSED, SPK_RUNNER_STATE_ERROR,
                      SPK_RUNNER_STATE_PAUSED,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RATE] =
    g_param_spec_double ("rate", NULL, NULL, SPK_RUNNER_RATE_UNLIMITED, SPK_RUNNER_RATE_MAX, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[NOTICE] =
    g_signal_new ("notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "run.play-pause", NULL, play_pause_action);
  gtk_widget_class_install_action (widget_class, "run.step", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "run.run-steps", NULL, run_steps_action);
  gtk_widget_class_install_action (widget_class, "run.reset", NULL, reset_action);
  gtk_widget_class_install_action (widget_class, "run.rate", "d", rate_action);

  gtk_widget_class_set_css_name (widget_class, "runbar");
}

static GtkWidget *
icon_button (const char *icon,
             const char *tooltip,
             const char *action)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  return button;
}

static void
add_shortcut (GtkEventController *controller,
              const char         *trigger,
              const char         *action)
{
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string (trigger),
                                                          gtk_named_action_new (action)));
}

static void
spk_run_bar_init (SpkRunBar *self)
{
  GtkWidget *transport, *steps_box, *speed_box, *status, *run_n, *rate_label;
  const char *rate_names[G_N_ELEMENTS (rates) + 1] = {
    "0.1×", "0.25×", "0.5×", "1×", "2×", "5×", "10×", _("As fast as possible"), NULL,
  };
  GtkEventController *keys, *space;
  SpkRunnerStatus idle = { .state = SPK_RUNNER_STATE_PAUSED, .rate = 1 };

  self->rate = rates[DEFAULT_RATE_INDEX];
  /* Four groups that wrap onto a second (or third) row on a narrow
   * screen, a 1024-pixel projector in presentation mode: the transport
   * buttons, Run Steps, the speed, and the status at the right end. */
  gtk_widget_set_layout_manager (GTK_WIDGET (self), spk_wrap_layout_new (20, 6));
  gtk_widget_add_css_class (GTK_WIDGET (self), "spk-run-bar");

  transport = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  self->play_button = icon_button ("media-playback-start-symbolic", _("Play (Space)"), "run.play-pause");
  gtk_widget_add_css_class (self->play_button, "suggested-action");
  gtk_widget_add_css_class (self->play_button, "circular");
  gtk_box_append (GTK_BOX (transport), self->play_button);
  gtk_box_append (GTK_BOX (transport), icon_button ("media-skip-forward-symbolic", _("Step one time step (.)"), "run.step"));
  gtk_box_append (GTK_BOX (transport), icon_button ("view-refresh-symbolic", _("Reset to t = 0: plots and sliders too (Ctrl+R)"), "run.reset"));
  gtk_widget_set_valign (transport, GTK_ALIGN_CENTER);
  gtk_widget_set_parent (transport, GTK_WIDGET (self));

  steps_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (steps_box, "linked");
  self->steps_spin = gtk_spin_button_new_with_range (1, 1e8, 100);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->steps_spin), 1000);
  gtk_widget_set_tooltip_text (self->steps_spin, _("How many steps “Run” runs"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->steps_spin), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Steps to run"), -1);
  run_n = gtk_button_new_with_mnemonic (_("_Run Steps"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (run_n), "run.run-steps");
  gtk_widget_set_tooltip_text (run_n, _("Run this many steps, then pause (Ctrl+Return)"));
  gtk_box_append (GTK_BOX (steps_box), self->steps_spin);
  gtk_box_append (GTK_BOX (steps_box), run_n);
  gtk_widget_set_valign (steps_box, GTK_ALIGN_CENTER);
  gtk_widget_set_parent (steps_box, GTK_WIDGET (self));

  speed_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  rate_label = gtk_label_new_with_mnemonic (_("_Speed"));
  self->rate_drop = gtk_drop_down_new_from_strings (rate_names);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->rate_drop), DEFAULT_RATE_INDEX);
  gtk_widget_set_tooltip_text (self->rate_drop, _("Simulated time per second of real time"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (rate_label), self->rate_drop);
  g_signal_connect (self->rate_drop, "notify::selected", G_CALLBACK (rate_selected_cb), self);
  gtk_box_append (GTK_BOX (speed_box), rate_label);
  gtk_box_append (GTK_BOX (speed_box), self->rate_drop);
  gtk_widget_set_valign (speed_box, GTK_ALIGN_CENTER);
  gtk_widget_set_parent (speed_box, GTK_WIDGET (self));

  status = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  self->behind_badge = gtk_label_new (_("Can’t keep up"));
  gtk_widget_add_css_class (self->behind_badge, "spk-run-behind");
  gtk_widget_set_tooltip_text (self->behind_badge,
                               _("The network is too big to run at this speed; it runs as fast as it can"));
  gtk_box_append (GTK_BOX (status), self->behind_badge);

  self->error_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->error_label, "error");
  gtk_label_set_ellipsize (GTK_LABEL (self->error_label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (self->error_label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->error_label), 0);
  gtk_box_append (GTK_BOX (status), self->error_label);

  self->speed_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->speed_label, "spk-run-speed");
  gtk_widget_set_hexpand (self->speed_label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->speed_label), 1);
  gtk_box_append (GTK_BOX (status), self->speed_label);
  self->time_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->time_label, "spk-run-time");
  gtk_label_set_xalign (GTK_LABEL (self->time_label), 1);
  gtk_box_append (GTK_BOX (status), self->time_label);
  gtk_widget_set_hexpand (status, TRUE);
  gtk_widget_set_valign (status, GTK_ALIGN_CENTER);
  gtk_widget_set_parent (status, GTK_WIDGET (self));

  /* The keys work wherever the focus is in the window. */
  keys = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (keys), GTK_SHORTCUT_SCOPE_MANAGED);
  add_shortcut (keys, "period", "run.step");
  add_shortcut (keys, "<Control>Return", "run.run-steps");
  add_shortcut (keys, "<Control>r", "run.reset");
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  /* Space before the canvas (which would start a pan with it), but not in
   * a text field. */
  space = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (space), GTK_SHORTCUT_SCOPE_MANAGED);
  gtk_event_controller_set_propagation_phase (space, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (space),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_space, 0),
                                                          gtk_callback_action_new (space_cb, NULL, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), space);

  show_status (self, &idle);
  gtk_widget_set_visible (self->error_label, FALSE);
  update_actions (self);
}

GtkWidget *
spk_run_bar_new (void)
{
  return g_object_new (SPK_TYPE_RUN_BAR, NULL);
}

/* }}} */

/**
 * spk_run_bar_set_rate:
 * @self: the run bar
 * @rate: a factor of real time, or %SPK_RUNNER_RATE_UNLIMITED (0)
 *
 * What the "run.rate" action does: sets how fast runs go (clamped to
 * [%SPK_RUNNER_RATE_MIN, %SPK_RUNNER_RATE_MAX]) and shows it in the bar.
 */
void
spk_run_bar_set_rate (SpkRunBar *self,
                      double     rate)
{
  g_return_if_fail (SPK_IS_RUN_BAR (self));

  rate = rate <= 0 ? SPK_RUNNER_RATE_UNLIMITED : CLAMP (rate, SPK_RUNNER_RATE_MIN, SPK_RUNNER_RATE_MAX);
  if (self->rate != rate)
    {
      self->rate = rate;
      /* A replay runs as fast as it can and takes the new speed after. */
      if (self->runner != NULL && self->resuming == RESUME_NONE)
        spk_runner_set_rate (self->runner, self->rate);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
    }
  /* Selecting in the drop-down activates "run.rate", which finds the rate set. */
  for (guint i = 0; i < G_N_ELEMENTS (rates); i++)
    if (fabs (rates[i] - rate) < 1e-9 && gtk_drop_down_get_selected (GTK_DROP_DOWN (self->rate_drop)) != i)
      gtk_drop_down_set_selected (GTK_DROP_DOWN (self->rate_drop), i);
}

double
spk_run_bar_get_rate (SpkRunBar *self)
{
  g_return_val_if_fail (SPK_IS_RUN_BAR (self), 1.0);
  return self->rate;
}
