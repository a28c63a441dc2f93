/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-train-panel.c — SpkTrainPanel: the form, the worker and the live
 * feedback of training in the workbench.
 *
 * Start copies the model (through the model file format, as a run does)
 * on the main thread and trains the copy in a GTask's worker thread: the
 * runner's worker owns a simulator and steps it, and has no way to run
 * another job, so training gets a thread of its own and the window pauses
 * the simulation when a run starts.  The worker builds the copy (from the
 * window's parameters, so training continues where it stopped), assembles
 * the data set (spk-train-data.c, as the command line does) and fits.
 *
 * Progress crosses threads through a small queue under a mutex: the
 * worker appends a record per minibatch and schedules one drain on the
 * main context when none is pending, so a fast run never floods the main
 * loop; the drain updates the bar and the curve.  Cancel sets an atomic
 * flag that the progress callback returns, so fit stops after the current
 * minibatch and keeps its parameters.  The result reaches the window
 * through the "trained" signal on the main thread.
 */
#define G_LOG_DOMAIN "spk-train-panel"

#include "ui/train/spk-train-panel.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "io/spk-image-set.h"
#include "io/spk-model-json.h"
#include "train/spk-train.h"
#include "train/spk-train-data.h"

/* {{{ The job: what the worker shares with the main thread */

typedef struct
{
  /* Set on the main thread before the worker starts, then read-only. */
  SpkNetwork          *network;     /* the copy */
  GHashTable          *params;      /* (nullable) to start from */
  SpkTrainDataOptions  data;        /* strings owned below */
  char                *name, *input, *probe;
  SpkOptimizer         optimizer;
  guint                epochs, batch_size;
  gboolean             validate;
  GMainContext        *context;
  GWeakRef             panel;       /* read on the main thread only */

  /* Shared with the worker. */
  GMutex               lock;
  GArray              *pending;     /* SpkFitProgress, under lock */
  gboolean             scheduled;   /* a drain is on its way, under lock */
  gint                 cancel;      /* atomic */

  /* The worker's result, read after the task returns. */
  GHashTable          *out_params;
  GArray              *loss, *val_loss;
  gboolean             cancelled;
  double               first_loss;  /* the training set's loss before the first update */
  double               last_loss;   /* and after the last (NaN: not evaluated) */
} Job;

static Job *
job_ref (Job *job)
{
  return g_atomic_rc_box_acquire (job);
}

static void
job_clear (Job *job)
{
  g_clear_object (&job->network);
  g_clear_pointer (&job->params, g_hash_table_unref);
  g_free (job->name);
  g_free (job->input);
  g_free (job->probe);
  g_main_context_unref (job->context);
  g_weak_ref_clear (&job->panel);
  g_mutex_clear (&job->lock);
  g_array_unref (job->pending);
  g_clear_pointer (&job->out_params, g_hash_table_unref);
  g_clear_pointer (&job->loss, g_array_unref);
  g_clear_pointer (&job->val_loss, g_array_unref);
}

static void
job_unref (Job *job)
{
  g_atomic_rc_box_release_full (job, (GDestroyNotify) job_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_unref)

/* }}} */

struct _SpkTrainPanel
{
  GtkWidget     parent_instance;

  GtkWidget    *scroller;
  AdwComboRow  *data_row, *input_row, *probe_row, *loss_row, *optimizer_row;
  GtkStringList *inputs, *probes;
  GtkSpinButton *steps_spin, *n_spin, *lr_spin, *epochs_spin, *batch_spin;
  GtkSwitch    *validate_switch;
  GtkProgressBar *progress;
  GtkLabel     *progress_label;
  GtkLabel     *status;
  AdwPreferencesGroup *data_group;
  SpkLossCurve *curve;

  SpkNetwork   *network;
  GHashTable   *params;
  Job          *job;             /* the run in flight */
  gboolean      error_shown;
  /* The curve's per-batch points come from the running means fit reports. */
  double        last_mean;
  guint         last_epoch, last_batch;
  double        first_loss, last_loss;   /* of the last run, evaluated */
};

G_DEFINE_FINAL_TYPE (SpkTrainPanel, spk_train_panel, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_RUNNING, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { SIGNAL_TRAINED, SIGNAL_STARTED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char *optimizer_names[] = { "sgd", "adam", "rmsprop" };
static const SpkOptimizerKind optimizer_kinds[] = { SPK_OPTIMIZER_SGD, SPK_OPTIMIZER_ADAM, SPK_OPTIMIZER_RMSPROP };
/* The loss row's entries, in order (sparse-ce-probs: Keras's from_logits=False). */
static const SpkLossKind loss_kinds[] = { SPK_LOSS_MSE, SPK_LOSS_SPARSE_CE, SPK_LOSS_SPARSE_CE_PROBS };

/* {{{ Feedback */

static void
show_status (SpkTrainPanel *self,
             const char    *text,
             gboolean       error)
{
  gtk_label_set_text (self->status, text);
  self->error_shown = error;
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status), "error");
}

static void
update_actions (SpkTrainPanel *self)
{
  gboolean running = self->job != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "train.start", !running && self->network != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "train.cancel", running);
}

static char *
format_loss (double loss)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.4g", loss));
}

static void
show_progress (SpkTrainPanel        *self,
               const SpkFitProgress *p)
{
  g_autofree char *text = NULL, *loss = format_loss (p->loss);
  double x = (p->epoch - 1) + (double) p->batch / MAX (p->n_batches, 1);

  /* fit reports the epoch's running mean: the minibatch's own loss is
   * the difference of two running sums.  The last minibatch of an epoch
   * comes with the epoch's end. */
  if (p->epoch != self->last_epoch || p->batch != self->last_batch)
    {
      guint before = p->epoch == self->last_epoch && self->last_batch + 1 == p->batch ? self->last_batch : 0;
      double batch_loss = p->batch * p->loss - before * self->last_mean;

      if (before == 0 && p->batch > 1)
        batch_loss = p->loss;   /* a record was missed: show the mean */
      spk_loss_curve_add (self->curve, SPK_LOSS_CURVE_BATCH, x, batch_loss);
      self->last_mean = p->loss;
      self->last_batch = p->batch;
      self->last_epoch = p->epoch;
    }
  if (p->epoch_done)
    {
      spk_loss_curve_add (self->curve, SPK_LOSS_CURVE_EPOCH, p->epoch, p->loss);
      if (!isnan (p->val_loss))
        spk_loss_curve_add (self->curve, SPK_LOSS_CURVE_VAL, p->epoch, p->val_loss);
    }
  gtk_progress_bar_set_fraction (self->progress, x / MAX (p->n_epochs, 1));
  /* Translators: the training progress: epoch 2 of 10, minibatch 3 of 4 */
  text = g_strdup_printf (_("Epoch %u of %u · batch %u of %u"), p->epoch, p->n_epochs, p->batch, p->n_batches);
  gtk_label_set_text (self->progress_label, text);
  if (p->epoch_done && !isnan (p->val_loss))
    {
      g_autofree char *val = format_loss (p->val_loss);
      g_autofree char *status = g_strdup_printf (_("Epoch %u: loss %s, validation loss %s"), p->epoch, loss, val);

      show_status (self, status, FALSE);
    }
  else if (p->epoch_done)
    {
      g_autofree char *status = g_strdup_printf (_("Epoch %u: loss %s"), p->epoch, loss);

      show_status (self, status, FALSE);
    }
}

/* Shows the records the worker queued for job. */
static void
flush (SpkTrainPanel *self,
       Job           *job)
{
  g_autoptr (GArray) records = NULL;

  g_mutex_lock (&job->lock);
  records = job->pending;
  job->pending = g_array_new (FALSE, FALSE, sizeof (SpkFitProgress));
  job->scheduled = FALSE;
  g_mutex_unlock (&job->lock);
  for (guint i = 0; i < records->len; i++)
    show_progress (self, &g_array_index (records, SpkFitProgress, i));
}

static gboolean
drain_cb (gpointer data)
{
  Job *job = data;
  g_autoptr (SpkTrainPanel) self = g_weak_ref_get (&job->panel);

  /* A run the panel no longer follows draws nothing. */
  if (self != NULL && self->job == job)
    flush (self, job);
  return G_SOURCE_REMOVE;
}

/* }}} */
/* {{{ The worker */

static gboolean
progress_cb (const SpkFitProgress *progress,
             gpointer              user_data)
{
  Job *job = user_data;
  gboolean schedule;

  g_mutex_lock (&job->lock);
  g_array_append_val (job->pending, *progress);
  schedule = !job->scheduled;
  job->scheduled = TRUE;
  g_mutex_unlock (&job->lock);
  if (schedule)
    g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, drain_cb, job_ref (job),
                                (GDestroyNotify) job_unref);
  return !g_atomic_int_get (&job->cancel);
}

static GArray *
history_array (guint         n,
               const double *values)
{
  GArray *array = g_array_sized_new (FALSE, FALSE, sizeof (double), n);

  for (guint e = 0; e < n; e++)
    {
      double v = values ? values[e] : NAN;

      g_array_append_val (array, v);
    }
  return array;
}

static void
train_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkDataset) x = NULL, y = NULL, vx = NULL, vy = NULL;
  g_autoptr (SpkTrainer) trainer = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) targets = NULL;
  SpkFitOptions options;
  const double *loss, *val_loss;
  guint n;
  gboolean ok;

  plan = job->params ? spk_build_with_params (job->network, job->params, &error)
                     : spk_build (job->network, &error);
  if (plan == NULL
      || !spk_train_data_load (&job->data, plan, SPK_TRAIN_SPLIT_TRAIN, &x, &y, &error)
      || (job->validate && !spk_train_data_load (&job->data, plan, SPK_TRAIN_SPLIT_TEST, &vx, &vy, &error))
      || !(trainer = spk_trainer_new (job->network, plan, SPK_DTYPE_FLOAT32, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  targets = spk_dataset_list (y);
  spk_trainer_set_optimizer (trainer, &job->optimizer);
  if (!spk_trainer_set_loss (trainer, targets[0], job->data.loss, &error)
      || !spk_trainer_evaluate (trainer, x, y, MAX (job->batch_size, 1), &job->first_loss, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  spk_fit_options_init (&options);
  options.epochs = job->epochs;
  options.batch_size = job->batch_size;
  options.val_inputs = vx;
  options.val_targets = vy;
  options.progress = progress_cb;
  options.user_data = job;
  /* One OpenBLAS thread: the other core keeps the window responsive. */
  options.blas_threads = 1;
  ok = spk_trainer_fit (trainer, x, y, &options, &error);
  job->cancelled = !ok && g_error_matches (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_CANCELLED);
  if (!ok && !job->cancelled)
    {
      /* A blow-up (non-finite loss) keeps nothing: the parameters are suspect. */
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The epochs' means mix the minibatches before and after each update:
   * the loss of the parameters kept is evaluated afresh. */
  job->last_loss = NAN;
  if (!spk_trainer_evaluate (trainer, x, y, MAX (job->batch_size, 1), &job->last_loss, NULL))
    job->last_loss = NAN;
  n = spk_trainer_get_history (trainer, &loss, &val_loss);
  job->loss = history_array (n, loss);
  job->val_loss = history_array (n, val_loss);
  job->out_params = spk_trainer_dup_params (trainer);
  g_task_return_boolean (task, TRUE);
}

static void
train_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  SpkTrainPanel *self = SPK_TRAIN_PANEL (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autoptr (Job) owned = NULL;

  if (job != self->job)
    return;
  /* Progress still queued comes first: the curve ends with the last epoch. */
  flush (self, job);
  owned = g_steal_pointer (&self->job);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* Translators: %s is the message of what went wrong */
      g_autofree char *text = g_strdup_printf (_("Training failed: %s"), error->message);

      show_status (self, text, TRUE);
      gtk_label_set_text (self->progress_label, _("Stopped"));
    }
  else
    {
      g_autofree char *text = NULL;
      guint n = job->loss->len;

      self->first_loss = job->first_loss;
      self->last_loss = job->last_loss;
      if (n > 0)
        {
          g_autofree char *from = format_loss (job->first_loss);
          g_autofree char *to = format_loss (job->last_loss);

          text = job->cancelled
                 ? g_strdup_printf (g_dngettext (NULL, "Cancelled after %u epoch: the loss went from %s to %s. Run uses the trained parameters.",
                                                 "Cancelled after %u epochs: the loss went from %s to %s. Run uses the trained parameters.", n),
                                    n, from, to)
                 : g_strdup_printf (g_dngettext (NULL, "Trained %u epoch: the loss went from %s to %s. Run uses the trained parameters.",
                                                 "Trained %u epochs: the loss went from %s to %s. Run uses the trained parameters.", n),
                                    n, from, to);
        }
      else
        text = g_strdup (_("Cancelled in the first epoch: Run uses the parameters of the last minibatch."));
      show_status (self, text, FALSE);
      if (!job->cancelled)
        gtk_progress_bar_set_fraction (self->progress, 1.0);
      gtk_label_set_text (self->progress_label, job->cancelled ? _("Cancelled") : _("Done"));
      g_signal_emit (self, signals[SIGNAL_TRAINED], 0, job->out_params, job->loss, job->val_loss, job->cancelled);
    }
  update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/* }}} */
/* {{{ The form */

static const char *
selected_string (AdwComboRow *row)
{
  GtkStringObject *item = adw_combo_row_get_selected_item (row);

  return item ? gtk_string_object_get_string (item) : NULL;
}

static void
select_string (AdwComboRow *row,
               const char  *value)
{
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; value != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), value))
        {
          adw_combo_row_set_selected (row, i);
          return;
        }
    }
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SpkTrainPanel *self = SPK_TRAIN_PANEL (widget);
  const SpkTrainDataInfo *info = spk_train_data_list () + adw_combo_row_get_selected (self->data_row);
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *data = NULL;
  Job *job;
  gsize length;
  guint opt = adw_combo_row_get_selected (self->optimizer_row);

  if (self->job != NULL || self->network == NULL)
    return;
  if (selected_string (self->input_row) == NULL)
    {
      show_status (self, _("The model has no node without inputs to feed the data set to: add a Node"), TRUE);
      return;
    }
  if (selected_string (self->probe_row) == NULL)
    {
      show_status (self, _("The model has no probe to compare with the targets: add a Probe on the output"), TRUE);
      return;
    }
  job = g_atomic_rc_box_new0 (Job);
  g_mutex_init (&job->lock);
  job->pending = g_array_new (FALSE, FALSE, sizeof (SpkFitProgress));
  job->context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&job->panel, self);
  data = spk_model_to_data (self->network, &length);
  if ((job->network = spk_model_load_data (data, length, &error)) == NULL)
    {
      show_status (self, error->message, TRUE);
      job_unref (job);
      return;
    }
  job->params = self->params ? g_hash_table_ref (self->params) : NULL;
  spk_train_data_options_init (&job->data);
  job->data.name = job->name = g_strdup (info->name);
  job->data.input = job->input = g_strdup (selected_string (self->input_row));
  job->data.probe = job->probe = g_strdup (selected_string (self->probe_row));
  job->data.loss = loss_kinds[MIN (adw_combo_row_get_selected (self->loss_row), G_N_ELEMENTS (loss_kinds) - 1)];
  job->data.steps = (guint) gtk_spin_button_get_value_as_int (self->steps_spin);
  job->data.n_max = (guint) gtk_spin_button_get_value_as_int (self->n_spin);
  spk_optimizer_init (&job->optimizer, optimizer_kinds[MIN (opt, G_N_ELEMENTS (optimizer_kinds) - 1)]);
  job->optimizer.learning_rate = gtk_spin_button_get_value (self->lr_spin);
  job->epochs = (guint) gtk_spin_button_get_value_as_int (self->epochs_spin);
  job->batch_size = (guint) gtk_spin_button_get_value_as_int (self->batch_spin);
  job->validate = gtk_switch_get_active (self->validate_switch);

  self->job = job;
  self->last_epoch = self->last_batch = 0;
  self->last_mean = 0.0;
  spk_loss_curve_clear (self->curve);
  gtk_progress_bar_set_fraction (self->progress, 0.0);
  gtk_label_set_text (self->progress_label, _("Preparing the data…"));
  show_status (self, _("Training a copy of the model through rates…"), FALSE);
  task = g_task_new (self, NULL, train_done_cb, NULL);
  g_task_set_source_tag (task, start_action);
  g_task_set_task_data (task, job_ref (job), (GDestroyNotify) job_unref);
  g_task_run_in_thread (task, train_thread);
  update_actions (self);
  g_signal_emit (self, signals[SIGNAL_STARTED], 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SpkTrainPanel *self = SPK_TRAIN_PANEL (widget);

  if (self->job == NULL)
    return;
  g_atomic_int_set (&self->job->cancel, TRUE);
  gtk_label_set_text (self->progress_label, _("Cancelling after this minibatch…"));
}

/* The defaults that suit a data set: images are held for one step, a
 * signal needs time; Fashion-MNIST's labels need sparse CE unless the
 * probe is image-sized. */
static void
data_set_changed_cb (AdwComboRow   *row,
                     GParamSpec    *pspec,
                     SpkTrainPanel *self)
{
  const SpkTrainDataInfo *info = spk_train_data_list () + adw_combo_row_get_selected (row);

  adw_preferences_group_set_description (self->data_group, _(info->description));
  /* The image sets (those with classes) hold each image for one step. */
  gtk_spin_button_set_value (self->steps_spin, info->classes ? 1 : 200);
  gtk_spin_button_set_value (self->n_spin, !info->generated ? 60000 : info->classes ? 2000 : 128);
  if (!info->classes)
    adw_combo_row_set_selected (self->loss_row, 0);
}

static void
optimizer_changed_cb (AdwComboRow   *row,
                      GParamSpec    *pspec,
                      SpkTrainPanel *self)
{
  SpkOptimizer opt;
  guint i = MIN (adw_combo_row_get_selected (row), G_N_ELEMENTS (optimizer_kinds) - 1);

  spk_optimizer_init (&opt, optimizer_kinds[i]);
  gtk_spin_button_set_value (self->lr_spin, opt.learning_rate);
}

/* The learning rate reads as 0.001 or 3e-05, not 0.000030. */
static gboolean
lr_output_cb (GtkSpinButton *spin,
              gpointer       user_data)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  gtk_editable_set_text (GTK_EDITABLE (spin),
                         g_ascii_formatd (buf, sizeof buf, "%g", gtk_spin_button_get_value (spin)));
  return TRUE;
}

static int
lr_input_cb (GtkSpinButton *spin,
             double        *value,
             gpointer       user_data)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  char *end = NULL;

  *value = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && *value > 0 ? TRUE : GTK_INPUT_ERROR;
}

static GtkSpinButton *
add_spin_row (AdwPreferencesGroup *group,
              const char          *title,
              const char          *subtitle,
              double               lower,
              double               upper,
              double               step,
              double               value,
              guint                digits)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (lower, upper, step);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  adw_preferences_group_add (group, row);
  return GTK_SPIN_BUTTON (spin);
}

static AdwComboRow *
add_combo_row (AdwPreferencesGroup *group,
               const char          *title,
               GListModel          *model)
{
  GtkWidget *row = adw_combo_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), model);
  adw_preferences_group_add (group, row);
  return ADW_COMBO_ROW (row);
}

static void
build_form (SpkTrainPanel *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *title, *subtitle, *buttons, *button, *row, *frame;
  AdwPreferencesGroup *data_group, *opt_group;
  g_autoptr (GtkStringList) data_sets = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) losses = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) optimizers = gtk_string_list_new (NULL);
  const SpkTrainDataInfo *info = spk_train_data_list ();

  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 18);

  title = gtk_label_new (_("Training"));
  gtk_widget_add_css_class (title, "title-2");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  subtitle = gtk_label_new (_("Trains a copy of the model through its rate neurons, as NengoDL does; "
                              "Run then uses the trained parameters."));
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  {
    GtkWidget *head = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);

    gtk_box_append (GTK_BOX (head), title);
    gtk_box_append (GTK_BOX (head), subtitle);
    gtk_box_append (GTK_BOX (box), head);
  }

  /* Start and Cancel first, with the progress and the curve under them:
   * what a class watches stays at the top. */
  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_set_homogeneous (GTK_BOX (buttons), TRUE);
  button = gtk_button_new_with_mnemonic (_("_Start"));
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_widget_add_css_class (button, "pill");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "train.start");
  gtk_widget_set_tooltip_text (button, _("Train with these settings"));
  gtk_box_append (GTK_BOX (buttons), button);
  button = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_widget_add_css_class (button, "pill");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "train.cancel");
  gtk_widget_set_tooltip_text (button, _("Stop after the current minibatch, keeping what was learnt (Escape)"));
  gtk_box_append (GTK_BOX (buttons), button);
  gtk_box_append (GTK_BOX (box), buttons);

  {
    GtkWidget *progress_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

    self->progress_label = GTK_LABEL (gtk_label_new (_("Not started")));
    gtk_label_set_xalign (self->progress_label, 0);
    gtk_widget_add_css_class (GTK_WIDGET (self->progress_label), "heading");
    gtk_widget_add_css_class (GTK_WIDGET (self->progress_label), "numeric");
    self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Training progress"), -1);
    gtk_box_append (GTK_BOX (progress_box), GTK_WIDGET (self->progress_label));
    gtk_box_append (GTK_BOX (progress_box), GTK_WIDGET (self->progress));
    gtk_box_append (GTK_BOX (box), progress_box);
  }

  frame = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (frame, "card");
  gtk_widget_add_css_class (frame, "spk-loss-card");
  {
    GtkWidget *legend = gtk_label_new (NULL);

    /* Translators: the loss chart's legend; keep the markup */
    gtk_label_set_markup (GTK_LABEL (legend), _("<b>Loss</b> per epoch (bold), per minibatch (faint), validation (orange)"));
    gtk_label_set_wrap (GTK_LABEL (legend), TRUE);
    gtk_label_set_xalign (GTK_LABEL (legend), 0);
    gtk_widget_set_margin_start (legend, 12);
    gtk_widget_set_margin_end (legend, 12);
    gtk_widget_set_margin_top (legend, 8);
    gtk_box_append (GTK_BOX (frame), legend);
  }
  self->curve = SPK_LOSS_CURVE (spk_loss_curve_new ());
  gtk_widget_set_size_request (GTK_WIDGET (self->curve), -1, 220);
  gtk_widget_set_margin_start (GTK_WIDGET (self->curve), 8);
  gtk_widget_set_margin_end (GTK_WIDGET (self->curve), 8);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->curve), 8);
  gtk_box_append (GTK_BOX (frame), GTK_WIDGET (self->curve));
  gtk_box_append (GTK_BOX (box), frame);

  self->status = GTK_LABEL (gtk_label_new (_("Choose the data and the optimizer, then Start.")));
  gtk_label_set_wrap (self->status, TRUE);
  gtk_label_set_xalign (self->status, 0);
  gtk_label_set_selectable (self->status, TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->status));

  self->data_group = data_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (data_group, _("Data"));
  for (guint i = 0; info[i].name != NULL; i++)
    gtk_string_list_append (data_sets, _(info[i].title));
  self->data_row = add_combo_row (data_group, _("Data set"), G_LIST_MODEL (data_sets));
  self->inputs = gtk_string_list_new (NULL);
  self->input_row = add_combo_row (data_group, _("Input node"), G_LIST_MODEL (self->inputs));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->input_row), _("Fed with the examples"));
  self->probes = gtk_string_list_new (NULL);
  self->probe_row = add_combo_row (data_group, _("Target probe"), G_LIST_MODEL (self->probes));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->probe_row), _("Compared with the targets"));
  gtk_string_list_append (losses, _("Mean squared error"));
  gtk_string_list_append (losses, _("Sparse categorical cross-entropy"));
  gtk_string_list_append (losses, _("Sparse categorical cross-entropy of probabilities"));
  self->loss_row = add_combo_row (data_group, _("Loss"), G_LIST_MODEL (losses));
  self->steps_spin = add_spin_row (data_group, _("Steps per example"), _("The loss scores every step of a signal, "
                                                                          "the last step of a held image"),
                                   1, 100000, 1, 200, 0);
  self->n_spin = add_spin_row (data_group, _("Number of examples"), _("Trained on in every epoch"), 1, 60000, 1, 128, 0);
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Validate"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Score held-out examples after every epoch"));
  self->validate_switch = GTK_SWITCH (gtk_switch_new ());
  gtk_switch_set_active (self->validate_switch, TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->validate_switch), GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), GTK_WIDGET (self->validate_switch));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), GTK_WIDGET (self->validate_switch));
  adw_preferences_group_add (data_group, row);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (data_group));

  opt_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (opt_group, _("Optimizer"));
  adw_preferences_group_set_description (opt_group, _("Keras's formulas and defaults"));
  gtk_string_list_append (optimizers, _("SGD"));
  gtk_string_list_append (optimizers, _("Adam"));
  gtk_string_list_append (optimizers, _("RMSprop"));
  self->optimizer_row = add_combo_row (opt_group, _("Optimizer"), G_LIST_MODEL (optimizers));
  self->lr_spin = add_spin_row (opt_group, _("Learning rate"), NULL, 1e-8, 10, 1e-5, 0.001, 8);
  g_signal_connect (self->lr_spin, "output", G_CALLBACK (lr_output_cb), NULL);
  g_signal_connect (self->lr_spin, "input", G_CALLBACK (lr_input_cb), NULL);
  self->epochs_spin = add_spin_row (opt_group, _("Epochs"), _("Passes over the examples"), 1, 100000, 1, 10, 0);
  self->batch_spin = add_spin_row (opt_group, _("Batch size"), _("Examples per update"), 1, 60000, 1, 32, 0);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (opt_group));

  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), box);
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));

  g_signal_connect (self->data_row, "notify::selected", G_CALLBACK (data_set_changed_cb), self);
  g_signal_connect (self->optimizer_row, "notify::selected", G_CALLBACK (optimizer_changed_cb), self);
  /* Adam at Keras's rate; the generated data set, which every machine has. */
  adw_combo_row_set_selected (self->optimizer_row, 1);
  spk_train_panel_set_data_set (self, "noise-lowpass");
  data_set_changed_cb (self->data_row, NULL, self);
}

/* }}} */
/* {{{ The model */

/* The string list's items as they should be, keeping the selection when
 * it survives and otherwise choosing preferred. */
static void
refill (AdwComboRow   *row,
        GtkStringList *list,
        GPtrArray     *labels,
        const char    *preferred)
{
  g_autofree char *current = g_strdup (selected_string (row));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

  g_ptr_array_add (labels, NULL);
  gtk_string_list_splice (list, 0, n, (const char * const *) labels->pdata);
  g_ptr_array_set_size (labels, labels->len - 1);
  if (current != NULL && g_ptr_array_find_with_equal_func (labels, current, g_str_equal, NULL))
    select_string (row, current);
  else if (preferred != NULL)
    select_string (row, preferred);
}

/* The values a probe compares: its target's output (or its neurons). */
static guint
probe_size (SpkProbe *probe)
{
  SpkObject *target = probe ? spk_probe_get_target (probe) : NULL;
  guint shape[3], in, out;

  if (SPK_IS_LAYER (target))
    {
      spk_layer_get_shape_out (SPK_LAYER (target), shape, &in, &out);
      return out;
    }
  if (SPK_IS_ENSEMBLE (target))
    return (guint) MAX (0, spk_probe_get_target_neurons (probe) ? spk_ensemble_get_n_neurons (SPK_ENSEMBLE (target))
                                                               : spk_ensemble_get_dimensions (SPK_ENSEMBLE (target)));
  return 0;
}

/* The data set that fits the model: the one its input presents, or
 * images for a 784-wide input (Fashion-MNIST where installed); the loss
 * that fits the probe (mse for an image, sparse-ce for classes). */
static void
pick_data_set (SpkTrainPanel *self,
               SpkNode       *input,
               SpkProbe      *probe)
{
  SpkProcess *process = spk_node_get_output_process (input);
  SpkArray *value = spk_node_get_output_value (input);
  guint width = spk_node_get_size_out (input) >= 0 ? (guint) spk_node_get_size_out (input)
                : process ? spk_process_default_size_out (process)
                : value ? (guint) value->size : 0;
  const char *name = NULL;

  if (process && process->kind == SPK_PROCESS_PRESENT_INPUT && process->dataset)
    name = process->dataset;
  else if (width == SPK_IMAGE_SET_SIZE)
    name = spk_image_set_default_name ();
  if (name == NULL)
    {
      /* Images do not fit a signal's input: back to a signal. */
      if (spk_train_data_list ()[adw_combo_row_get_selected (self->data_row)].classes)
        spk_train_panel_set_data_set (self, "noise-lowpass");
      return;
    }
  spk_train_panel_set_data_set (self, name);
  spk_train_panel_set_loss (self, probe_size (probe) == SPK_IMAGE_SET_SIZE ? "mse" : "sparse-ce");
}

void
spk_train_panel_set_model (SpkTrainPanel *self,
                           SpkNetwork    *network,
                           GHashTable    *params)
{
  g_autoptr (GPtrArray) inputs = g_ptr_array_new ();
  g_autoptr (GPtrArray) probes = g_ptr_array_new ();
  const char *input = NULL, *probe = NULL;
  SpkObject *input_object = NULL;
  GPtrArray *objects;

  g_return_if_fail (SPK_IS_TRAIN_PANEL (self));
  g_return_if_fail (network == NULL || SPK_IS_NETWORK (network));

  /* A run of another model has nothing to give this one. */
  if (network != self->network && self->job != NULL)
    {
      g_atomic_int_set (&self->job->cancel, TRUE);
      g_clear_pointer (&self->job, job_unref);
      gtk_label_set_text (self->progress_label, _("Stopped"));
      show_status (self, _("Training stopped: another model was opened"), FALSE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
    }
  g_set_object (&self->network, network);
  if (params != self->params)
    {
      g_clear_pointer (&self->params, g_hash_table_unref);
      self->params = params ? g_hash_table_ref (params) : NULL;
    }
  objects = network ? spk_network_get_objects (network) : NULL;
  for (guint i = 0; objects != NULL && i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      const char *label = spk_object_get_label (object);

      if (label == NULL)
        continue;
      if (SPK_IS_NODE (object) && spk_node_get_size_in (SPK_NODE (object)) == 0)
        {
          g_ptr_array_add (inputs, (gpointer) label);
          if (input == NULL || g_str_equal (label, "input"))
            input = label, input_object = object;
        }
    }
  /* The probe to train: the first one that does not just watch the input. */
  for (guint i = 0; objects != NULL && i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      const char *label = spk_object_get_label (object);

      if (label == NULL || !SPK_IS_PROBE (object))
        continue;
      g_ptr_array_add (probes, (gpointer) label);
      if (probe == NULL && spk_probe_get_target (SPK_PROBE (object)) != input_object)
        probe = label;
    }
  if (probe == NULL && probes->len > 0)
    probe = g_ptr_array_index (probes, 0);
  refill (self->input_row, self->inputs, inputs, input);
  refill (self->probe_row, self->probes, probes, probe);
  if (network != NULL && input_object != NULL)
    pick_data_set (self, SPK_NODE (input_object),
                   probe ? SPK_PROBE (spk_network_lookup (network, probe)) : NULL);
  update_actions (self);
}

gboolean
spk_train_panel_get_running (SpkTrainPanel *self)
{
  g_return_val_if_fail (SPK_IS_TRAIN_PANEL (self), FALSE);
  return self->job != NULL;
}

void
spk_train_panel_set_data_set (SpkTrainPanel *self,
                              const char    *name)
{
  const SpkTrainDataInfo *info = spk_train_data_list ();

  g_return_if_fail (SPK_IS_TRAIN_PANEL (self));
  for (guint i = 0; info[i].name != NULL; i++)
    if (g_str_equal (info[i].name, name))
      adw_combo_row_set_selected (self->data_row, i);
}

const char *
spk_train_panel_get_data_set (SpkTrainPanel *self)
{
  g_return_val_if_fail (SPK_IS_TRAIN_PANEL (self), NULL);
  return spk_train_data_list ()[adw_combo_row_get_selected (self->data_row)].name;
}

const char *
spk_train_panel_get_loss (SpkTrainPanel *self)
{
  g_return_val_if_fail (SPK_IS_TRAIN_PANEL (self), NULL);
  return spk_loss_kind_to_name (loss_kinds[MIN (adw_combo_row_get_selected (self->loss_row),
                                                G_N_ELEMENTS (loss_kinds) - 1)]);
}

guint
spk_train_panel_get_steps (SpkTrainPanel *self)
{
  g_return_val_if_fail (SPK_IS_TRAIN_PANEL (self), 0);
  return (guint) gtk_spin_button_get_value_as_int (self->steps_spin);
}

void
spk_train_panel_set_input (SpkTrainPanel *self,
                           const char    *label)
{
  g_return_if_fail (SPK_IS_TRAIN_PANEL (self));
  select_string (self->input_row, label);
}

void
spk_train_panel_set_probe (SpkTrainPanel *self,
                           const char    *label)
{
  g_return_if_fail (SPK_IS_TRAIN_PANEL (self));
  select_string (self->probe_row, label);
}

void
spk_train_panel_set_loss (SpkTrainPanel *self,
                          const char    *name)
{
  SpkLossKind kind;

  g_return_if_fail (SPK_IS_TRAIN_PANEL (self));
  if (spk_loss_kind_from_name (name, &kind))
    for (guint i = 0; i < G_N_ELEMENTS (loss_kinds); i++)
      if (loss_kinds[i] == kind)
        adw_combo_row_set_selected (self->loss_row, i);
}

void
spk_train_panel_set_optimizer (SpkTrainPanel *self,
                               const char    *name)
{
  g_return_if_fail (SPK_IS_TRAIN_PANEL (self));
  for (guint i = 0; i < G_N_ELEMENTS (optimizer_names); i++)
    if (g_str_equal (optimizer_names[i], name))
      adw_combo_row_set_selected (self->optimizer_row, i);
}

void
spk_train_panel_set_learning_rate (SpkTrainPanel *self,
                                   double         rate)
{
  g_return_if_fail (SPK_IS_TRAIN_PANEL (self));
  gtk_spin_button_set_value (self->lr_spin, rate);
}

void
spk_train_panel_set_schedule (SpkTrainPanel *self,
                              guint          epochs,
                              guint          batch_size,
                              guint          steps,
                              guint          n_examples,
                              gboolean       validate)
{
  g_return_if_fail (SPK_IS_TRAIN_PANEL (self));
  gtk_spin_button_set_value (self->epochs_spin, epochs);
  gtk_spin_button_set_value (self->batch_spin, batch_size);
  gtk_spin_button_set_value (self->steps_spin, steps);
  gtk_spin_button_set_value (self->n_spin, n_examples);
  gtk_switch_set_active (self->validate_switch, validate);
}

const char *
spk_train_panel_get_status (SpkTrainPanel *self)
{
  g_return_val_if_fail (SPK_IS_TRAIN_PANEL (self), NULL);
  return gtk_label_get_text (self->status);
}

gboolean
spk_train_panel_has_error (SpkTrainPanel *self)
{
  g_return_val_if_fail (SPK_IS_TRAIN_PANEL (self), FALSE);
  return self->error_shown;
}

double
spk_train_panel_get_fraction (SpkTrainPanel *self)
{
  g_return_val_if_fail (SPK_IS_TRAIN_PANEL (self), 0.0);
  return gtk_progress_bar_get_fraction (self->progress);
}

void
spk_train_panel_get_losses (SpkTrainPanel *self,
                            double        *before,
                            double        *after)
{
  g_return_if_fail (SPK_IS_TRAIN_PANEL (self));
  if (before != NULL)
    *before = self->first_loss;
  if (after != NULL)
    *after = self->last_loss;
}

SpkLossCurve *
spk_train_panel_get_curve (SpkTrainPanel *self)
{
  g_return_val_if_fail (SPK_IS_TRAIN_PANEL (self), NULL);
  return self->curve;
}

/* }}} */
/* {{{ GObject */

static void
spk_train_panel_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SpkTrainPanel *self = SPK_TRAIN_PANEL (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->job != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
spk_train_panel_dispose (GObject *object)
{
  SpkTrainPanel *self = SPK_TRAIN_PANEL (object);

  /* A run still going stops at its next minibatch; its task holds the
   * panel until it returns, so this only happens once it has. */
  if (self->job != NULL)
    {
      g_atomic_int_set (&self->job->cancel, TRUE);
      g_clear_pointer (&self->job, job_unref);
    }
  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  g_clear_object (&self->inputs);
  g_clear_object (&self->probes);
  g_clear_object (&self->network);
  g_clear_pointer (&self->params, g_hash_table_unref);
  G_OBJECT_CLASS (spk_train_panel_parent_class)->dispose (object);
}

static void
spk_train_panel_class_init (SpkTrainPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = spk_train_panel_dispose;
  object_class->get_property = spk_train_panel_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_TRAINED] =
    g_signal_new ("trained", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_HASH_TABLE, G_TYPE_ARRAY, G_TYPE_ARRAY, G_TYPE_BOOLEAN);
  signals[SIGNAL_STARTED] =
    g_signal_new ("started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "train.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "train.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "train.cancel", NULL);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "trainpanel");
}

static void
spk_train_panel_init (SpkTrainPanel *self)
{
  self->first_loss = self->last_loss = NAN;
  build_form (self);
  update_actions (self);
}

GtkWidget *
spk_train_panel_new (void)
{
  return g_object_new (SPK_TYPE_TRAIN_PANEL, NULL);
}

/* }}} */
