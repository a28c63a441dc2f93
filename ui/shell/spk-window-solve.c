/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-window-solve.c — solving on demand (Ctrl+B):
 * the decoded connections solved in a worker thread, their decode errors
 * shown on the canvas and in the inspector. */
#define G_LOG_DOMAIN "spk-window"

#include "ui/shell/spk-window-private.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "builder/spk-plan.h"
#include "io/spk-model-json.h"
#include "examples/spk-examples.h"
#include "ui/plots/spk-plot-view.h"
#include "ui/shell/spk-palette.h"
#include "ui/shell/spk-shell.h"

/* {{{ Solving on demand
 *
 * Ctrl+B copies the model (through the model-file format, as a run does)
 * on the main thread and builds the copy in a GTask's worker thread: the
 * builder solves every decoded connection and records its decode error in
 * the plan.  The builder reports the fraction of its solves done, which
 * the Solve bar shows (it pulses until the first report), and Cancel (or
 * an edit) cancels the task's GCancellable: the task returns at once, and
 * the builder stops at its next check (between solves, and between the
 * blocks and panels of a big one), freeing what it had. */

typedef struct _SolveJob
{
  gatomicrefcount ref_count;
  SpkNetwork     *network;    /* the copy being built */
  gint            permille;   /* progress, written by the worker (atomic) */
} SolveJob;

/* Threads still building, and builds that ended cancelled (atomic). */
static gint solve_threads;
static gint solve_cancelled;

static SolveJob *
solve_job_ref (SolveJob *job)
{
  g_atomic_ref_count_inc (&job->ref_count);
  return job;
}

static void
solve_job_unref (SolveJob *job)
{
  if (job != NULL && g_atomic_ref_count_dec (&job->ref_count))
    {
      g_object_unref (job->network);
      g_free (job);
    }
}

static void
solve_progress_cb (double   fraction,
                   gpointer data)
{
  SolveJob *job = data;

  g_atomic_int_set (&job->permille, (gint) (fraction * 1000.0));
}

static void
stop_solve_feedback (SpkWindow *self)
{
  g_clear_handle_id (&self->solve_pulse_id, g_source_remove);
  g_clear_pointer (&self->solve_job, solve_job_unref);
  gtk_revealer_set_reveal_child (self->solve_revealer, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.solve", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-solve", FALSE);
}

void
_spk_window_forget_solve (SpkWindow *self)
{
  g_clear_pointer (&self->solved_plan, spk_plan_unref);
  g_clear_pointer (&self->decode_errors, g_hash_table_unref);
  if (self->inspector != NULL)
    spk_inspector_set_decode_errors (self->inspector, NULL);
  if (self->graph_view != NULL)
    spk_graph_view_set_decode_errors (self->graph_view, NULL);
}

static void
solve_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SolveJob *job = task_data;
  GError *error = NULL;
  SpkPlan *plan;

  g_atomic_int_inc (&solve_threads);
  plan = spk_build_full (job->network, NULL, cancellable, solve_progress_cb, job, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_atomic_int_inc (&solve_cancelled);
  g_atomic_int_add (&solve_threads, -1);
  if (plan == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, plan, (GDestroyNotify) spk_plan_unref);
}

/* The decode errors of the user's connections, by the key the plan names
 * each by (spk_network_dup_keys()). */
static GHashTable *
collect_decode_errors (SpkWindow *self,
                       SpkPlan   *plan,
                       guint     *n_solved)
{
  GHashTable *errors = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) spk_array_unref);
  GPtrArray *objects = spk_network_get_objects (self->network);
  g_autoptr (GHashTable) keys = spk_network_dup_keys (self->network);

  *n_solved = 0;
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      const char *key = g_hash_table_lookup (keys, object);
      const double *rmse;
      guint n;

      if (!SPK_IS_CONNECTION (object))
        continue;
      if ((rmse = spk_plan_get_decode_rmse (plan, key, &n)) != NULL)
        {
          g_hash_table_insert (errors, object, spk_array_new_vector (rmse, n));
          (*n_solved)++;
        }
    }
  return errors;
}

static void
solve_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  SpkWindow *self = SPK_WINDOW (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *message = NULL;
  guint n_solved;

  /* A newer solve owns the feedback; a cancelled one leaves no trace. */
  if (g_task_get_cancellable (G_TASK (result)) != self->solve_cancellable)
    return;
  g_clear_object (&self->solve_cancellable);
  stop_solve_feedback (self);
  if (plan == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  _spk_window_forget_solve (self);
  self->solved_plan = g_steal_pointer (&plan);
  self->decode_errors = collect_decode_errors (self, self->solved_plan, &n_solved);
  spk_inspector_set_decode_errors (self->inspector, self->decode_errors);
  spk_graph_view_set_decode_errors (self->graph_view, self->decode_errors);
  message = g_strdup_printf (g_dngettext (NULL, "Solved %u decoded connection: select it to see its error",
                                          "Solved %u decoded connections: select one to see its error", n_solved),
                             n_solved);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static gboolean
solve_pulse_cb (gpointer data)
{
  SpkWindow *self = data;
  gint permille = self->solve_job ? g_atomic_int_get (&self->solve_job->permille) : 0;

  if (permille > 0)
    gtk_progress_bar_set_fraction (self->solve_progress, permille / 1000.0);
  else
    gtk_progress_bar_pulse (self->solve_progress);
  return G_SOURCE_CONTINUE;
}

void
spk_window_solve (SpkWindow *self)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (SpkNetwork) copy = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *data = NULL;
  gsize length;

  g_return_if_fail (SPK_IS_WINDOW (self));

  if (self->network == NULL || self->solve_cancellable != NULL)
    return;
  data = spk_model_to_data (self->network, &length);
  if ((copy = spk_model_load_data (data, length, &error)) == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  self->solve_cancellable = g_cancellable_new ();
  self->solve_job = g_new0 (SolveJob, 1);
  g_atomic_ref_count_init (&self->solve_job->ref_count);
  self->solve_job->network = g_steal_pointer (&copy);
  task = g_task_new (self, self->solve_cancellable, solve_done_cb, NULL);
  g_task_set_source_tag (task, spk_window_solve);
  g_task_set_task_data (task, solve_job_ref (self->solve_job), (GDestroyNotify) solve_job_unref);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, solve_thread);
  gtk_progress_bar_set_fraction (self->solve_progress, 0);
  gtk_revealer_set_reveal_child (self->solve_revealer, TRUE);
  self->solve_pulse_id = g_timeout_add (100, solve_pulse_cb, self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.solve", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-solve", TRUE);
}

void
spk_window_cancel_solve (SpkWindow *self)
{
  g_return_if_fail (SPK_IS_WINDOW (self));

  if (self->solve_cancellable == NULL)
    return;
  g_cancellable_cancel (self->solve_cancellable);
  g_clear_object (&self->solve_cancellable);
  stop_solve_feedback (self);
}

gboolean
spk_window_is_solving (SpkWindow *self)
{
  g_return_val_if_fail (SPK_IS_WINDOW (self), FALSE);
  return self->solve_cancellable != NULL;
}

double
spk_window_get_solve_progress (SpkWindow *self)
{
  g_return_val_if_fail (SPK_IS_WINDOW (self), 0.0);
  return self->solve_job ? g_atomic_int_get (&self->solve_job->permille) / 1000.0 : 0.0;
}

guint
spk_window_get_solve_threads (guint *n_cancelled)
{
  if (n_cancelled)
    *n_cancelled = (guint) g_atomic_int_get (&solve_cancelled);
  return (guint) g_atomic_int_get (&solve_threads);
}

SpkPlan *
spk_window_get_solved_plan (SpkWindow *self)
{
  g_return_val_if_fail (SPK_IS_WINDOW (self), NULL);
  return self->solved_plan;
}

GHashTable *
spk_window_get_decode_errors (SpkWindow *self)
{
  g_return_val_if_fail (SPK_IS_WINDOW (self), NULL);
  return self->decode_errors;
}

void
_spk_window_solve_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  spk_window_solve (SPK_WINDOW (widget));
}

void
_spk_window_cancel_solve_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  spk_window_cancel_solve (SPK_WINDOW (widget));
}

/* }}} */
