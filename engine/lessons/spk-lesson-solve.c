/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-lesson-solve.c — applying a lesson's scripted solutions, and the
 * headless check behind `spikeworks-cli lesson check`. */
#define G_LOG_DOMAIN "spk-lesson"

#include "lessons/spk-lesson-solve.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "builder/spk-plan.h"
#include "io/spk-model-json.h"
#include "runner/spk-runner.h"

static gboolean
fail_with (GError          **error,
           const SpkLesson  *lesson,
           guint             line,
           const GError     *cause)
{
  g_set_error (error, SPK_LESSON_ERROR, SPK_LESSON_ERROR_TASK, "%s:%u: %s", lesson->file, line,
               cause->message);
  return FALSE;
}

/* The action's JSON members with "type" and the given keys added. */
static char *
object_json (const SpkLessonAction *action,
             const char            *type,
             const char            *k1,
             const char            *v1,
             const char            *k2,
             const char            *v2,
             GError               **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  JsonObject *object;

  /* The parser checked it is an object of bounded depth. */
  if (!json_parser_load_from_data (parser, action->json, -1, error))
    return NULL;
  object = json_node_get_object (json_parser_get_root (parser));
  json_object_set_string_member (object, "type", type);
  json_object_set_string_member (object, k1, v1);
  if (k2 != NULL)
    json_object_set_string_member (object, k2, v2);
  json_generator_set_root (generator, json_parser_get_root (parser));
  return json_generator_to_data (generator, NULL);
}

gboolean
spk_lesson_apply_edit (const SpkLesson       *lesson,
                       const SpkLessonAction *action,
                       SpkNetwork            *network,
                       GError               **error)
{
  g_autoptr (GError) local = NULL;
  g_autofree char *json = NULL;
  SpkObject *object;

  g_return_val_if_fail (lesson && action && SPK_IS_NETWORK (network), FALSE);

  switch (action->kind)
    {
    case SPK_LESSON_DO_ADD:
      json = object_json (action, action->type, "label", action->object, NULL, NULL, &local);
      if (json == NULL || spk_model_add_object_json (network, json, &local) == NULL)
        return fail_with (error, lesson, action->line, local);
      return TRUE;

    case SPK_LESSON_DO_CONNECT:
      json = object_json (action, "connection", "pre", action->object, "post", action->post, &local);
      if (json == NULL || spk_model_add_object_json (network, json, &local) == NULL)
        return fail_with (error, lesson, action->line, local);
      return TRUE;

    case SPK_LESSON_DO_SET:
    case SPK_LESSON_DO_DELETE:
      object = spk_lesson_lookup (network, action->object);
      if (object == NULL)
        {
          g_set_error (error, SPK_LESSON_ERROR, SPK_LESSON_ERROR_NAME,
                       _("%s:%u: the model has no object '%s'"), lesson->file, action->line,
                       action->object);
          return FALSE;
        }
      if (action->kind == SPK_LESSON_DO_DELETE)
        {
          spk_network_remove (network, object);
          return TRUE;
        }
      if (!spk_model_set_json (network, object, action->key, action->json, &local))
        return fail_with (error, lesson, action->line, local);
      return TRUE;

    default:
      g_return_val_if_reached (FALSE);
    }
}

/* {{{ Running */

typedef struct
{
  gboolean      done;
  GError       *error;
} RunWait;

static void
event_cb (SpkRunner            *runner,
          const SpkRunnerEvent *event,
          gpointer              user_data)
{
  RunWait *wait = user_data;

  if (event->kind == SPK_RUNNER_EVENT_FINISHED)
    wait->done = TRUE;
  else if ((event->kind == SPK_RUNNER_EVENT_ERROR || event->kind == SPK_RUNNER_EVENT_COMMAND_FAILED)
           && wait->error == NULL)
    {
      wait->error = event->error ? g_error_copy (event->error)
                                 : g_error_new_literal (SPK_LESSON_ERROR, SPK_LESSON_ERROR_TASK, _("the run failed"));
      wait->done = TRUE;
    }
}

/* Returns how many samples were lost to full buffers. */
static guint64
drain (SpkRunner      *runner,
       SpkLessonState *state)
{
  guint64 lost_total = 0;

  SpkPlan *plan = spk_runner_get_plan (runner);

  for (guint p = 0; p < spk_plan_get_n_probes (plan); p++)
    {
      guint width = spk_runner_get_probe_width (runner, p);
      guint capacity = MAX (spk_runner_get_probe_capacity (runner, p), 1);
      g_autofree double *data = g_try_new (double, (gsize) capacity * width);
      g_autofree double *times = g_try_new (double, capacity);
      guint64 lost = 0;
      guint n;

      if (data == NULL || times == NULL)
        return G_MAXUINT64;
      while ((n = spk_runner_read_probe (runner, p, data, times, capacity, &lost)) > 0)
        {
          lost_total += lost;
          spk_lesson_state_append_probe (state, spk_plan_get_probe_label (plan, p), width,
                                         times, data, n);
        }
      lost_total += lost;
    }
  return lost_total;
}

gboolean
spk_lesson_run_headless (SpkNetwork      *network,
                         double           seconds,
                         SpkLessonState  *state,
                         GError         **error)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  g_autoptr (SpkPlan) plan = NULL;
  SpkRunner *runner;
  RunWait wait = { FALSE, NULL };
  SpkRunnerStatus status;
  guint64 n_steps, lost = 0;

  g_return_val_if_fail (SPK_IS_NETWORK (network), FALSE);
  g_return_val_if_fail (seconds > 0 && seconds <= SPK_LESSON_MAX_RUN_TIME, FALSE);

  spk_lesson_state_clear_run (state);
  if (!(plan = spk_build (network, error)))
    return FALSE;
  /* Nengo's run(T) runs round(T/dt) steps. */
  n_steps = (guint64) llround (seconds / spk_plan_get_dt (plan));

  g_main_context_push_thread_default (context);
  /* Buffers that hold the whole run, so nothing is dropped; bounded by
   * SPK_LESSON_MAX_RUN_TIME through n_steps. */
  runner = spk_runner_new (plan, 1, NULL, (guint) MIN (n_steps + 8, 200000), error);
  if (runner == NULL)
    {
      g_main_context_pop_thread_default (context);
      return FALSE;
    }
  spk_runner_set_event_func (runner, event_cb, &wait, NULL);
  spk_runner_set_rate (runner, SPK_RUNNER_RATE_UNLIMITED);
  spk_runner_run (runner, n_steps);
  while (!wait.done)
    {
      g_main_context_iteration (context, TRUE);
      lost += drain (runner, state);
    }
  lost += drain (runner, state);
  spk_runner_get_status (runner, &status);
  spk_lesson_state_set_time (state, status.time);
  spk_runner_unref (runner);
  /* Events the shutdown queued are dropped with the context. */
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  if (wait.error != NULL)
    {
      g_propagate_error (error, wait.error);
      return FALSE;
    }
  /* A measure over a run with holes in it would be wrong, not just noisy. */
  if (lost > 0)
    {
      g_set_error (error, SPK_LESSON_ERROR, SPK_LESSON_ERROR_TOO_LARGE,
                   _("the run recorded more than the checker can keep; record less (fewer or narrower probes, a shorter run)"));
      return FALSE;
    }
  return TRUE;
}

/* }}} */
/* {{{ The whole lesson */

gboolean
spk_lesson_check (const SpkLesson   *lesson,
                  SpkLessonTaskFunc  done,
                  gpointer           user_data,
                  GError           **error)
{
  g_autoptr (SpkNetwork) network = NULL;
  g_autoptr (SpkLessonState) state = spk_lesson_state_new ();

  g_return_val_if_fail (lesson != NULL, FALSE);

  if (!spk_lesson_validate (lesson, error) || !(network = spk_lesson_load_start (lesson, error)))
    return FALSE;
  spk_network_set_dtype (network, SPK_DTYPE_FLOAT32);

  for (guint p = 0; p < lesson->pages->len; p++)
    {
      SpkLessonPage *page = g_ptr_array_index (lesson->pages, p);

      for (guint t = 0; t < page->tasks->len; t++)
        {
          SpkLessonTask *task = g_ptr_array_index (page->tasks, t);

          for (guint i = 0; i < task->actions->len; i++)
            {
              SpkLessonAction *a = g_ptr_array_index (task->actions, i);
              g_autoptr (GError) local = NULL;

              switch (a->kind)
                {
                case SPK_LESSON_DO_RUN:
                  if (!spk_lesson_run_headless (network, a->time, state, &local))
                    return fail_with (error, lesson, a->line, local);
                  break;
                case SPK_LESSON_DO_PLOT:
                  spk_lesson_state_set_plot (state, a->type, a->object, TRUE);
                  break;
                case SPK_LESSON_DO_CLICK:
                  spk_lesson_state_add_click (state, a->object);
                  break;
                default:
                  /* An edit invalidates the run, as it does in the workbench. */
                  if (!spk_lesson_apply_edit (lesson, a, network, error))
                    return FALSE;
                  spk_lesson_state_clear_run (state);
                  break;
                }
            }
          for (guint i = 0; i < task->conditions->len; i++)
            {
              SpkLessonCondition *c = g_ptr_array_index (task->conditions, i);
              g_autoptr (GError) local = NULL;

              if (!spk_lesson_condition_holds (lesson, c, network, state, &local))
                {
                  if (local != NULL)
                    g_propagate_error (error, g_steal_pointer (&local));
                  else if (c->kind == SPK_LESSON_COND_PROBE
                           && !isnan (spk_lesson_state_get_measured (state)))
                    g_set_error (error, SPK_LESSON_ERROR, SPK_LESSON_ERROR_TASK,
                                 _("%s:%u: the task '%s' is not done after its solution: the check on line %u does not hold (measured %g)"),
                                 lesson->file, task->line, task->title, c->line,
                                 spk_lesson_state_get_measured (state));
                  else
                    g_set_error (error, SPK_LESSON_ERROR, SPK_LESSON_ERROR_TASK,
                                 _("%s:%u: the task '%s' is not done after its solution: the check on line %u does not hold"),
                                 lesson->file, task->line, task->title, c->line);
                  return FALSE;
                }
            }
          if (done != NULL)
            done (task, p, user_data);
        }
    }
  return TRUE;
}

/* }}} */
