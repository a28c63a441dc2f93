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
#include "io/spk-image-set.h"
#include "train/spk-train-data.h"

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

/* `set OBJECT KEY.FIELD… VALUE`: the key's value as the model file
 * writes it, with the member at the path replaced by value (JSON). */
static char *
with_field_set (SpkNetwork       *network,
                SpkObject        *object,
                const char       *key,
                const char       *value,
                GError          **error)
{
  g_auto (GStrv) path = g_strsplit (key, ".", 8);
  g_autoptr (JsonNode) root = spk_model_get_json (network, object, path[0]);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  JsonNode *node = root;
  guint n = g_strv_length (path);

  if (root == NULL)
    {
      g_set_error (error, SPK_LESSON_ERROR, SPK_LESSON_ERROR_NAME, _("%s has no parameter '%s'"),
                   spk_object_get_type_name (object), path[0]);
      return NULL;
    }
  /* The lesson's parser checked value is JSON of bounded depth. */
  if (!json_parser_load_from_data (parser, value, -1, error))
    return NULL;
  for (guint i = 1; i + 1 < n && node != NULL; i++)
    node = JSON_NODE_HOLDS_OBJECT (node) ? json_object_get_member (json_node_get_object (node), path[i]) : NULL;
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node)
      || !json_object_has_member (json_node_get_object (node), path[n - 1]))
    {
      g_set_error (error, SPK_LESSON_ERROR, SPK_LESSON_ERROR_NAME, _("%s '%s' has no parameter '%s'"),
                   spk_object_get_type_name (object), spk_object_get_label (object), key);
      return NULL;
    }
  json_object_set_member (json_node_get_object (node), path[n - 1], json_node_copy (json_parser_get_root (parser)));
  json_generator_set_root (generator, root);
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
      if (strchr (action->key, '.') != NULL)
        {
          g_autofree char *top = g_strndup (action->key, strcspn (action->key, "."));

          json = with_field_set (network, object, action->key, action->json, &local);
          if (json == NULL || !spk_model_set_json (network, object, top, json, &local))
            return fail_with (error, lesson, action->line, local);
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
  plan = spk_lesson_state_get_params (state) ? spk_build_with_params (network, spk_lesson_state_get_params (state), error)
                                             : spk_build (network, error);
  if (plan == NULL)
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
/* {{{ Training */

gboolean
spk_lesson_train_options_read (const SpkLesson        *lesson,
                               const SpkLessonAction  *action,
                               SpkLessonTrainOptions  *o,
                               GError                **error)
{
  static const char *const known[] = {
    "input", "probe", "loss", "steps", "examples", "batch", "optimizer", "learning_rate", "validate", NULL,
  };
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) local = NULL;
  g_autoptr (GList) members = NULL;
  SpkLossKind loss;
  SpkOptimizerKind kind;
  JsonObject *object;

  g_return_val_if_fail (action->kind == SPK_LESSON_DO_TRAIN, FALSE);

  memset (o, 0, sizeof *o);
  if (!json_parser_load_from_data (parser, action->json, -1, &local))
    return fail_with (error, lesson, action->line, local);
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, SPK_LESSON_ERROR, SPK_LESSON_ERROR_PARSE, _("%s:%u: expected a JSON object {…}, not '%s'"),
                   lesson->file, action->line, action->json);
      return FALSE;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (known, l->data))
      {
        g_set_error (error, SPK_LESSON_ERROR, SPK_LESSON_ERROR_PARSE,
                     _("%s:%u: unknown training option '%s'; expected input, probe, loss, steps, examples, batch, "
                       "optimizer, learning_rate or validate"),
                     lesson->file, action->line, (const char *) l->data);
        return FALSE;
      }
  /* "images": what the examples present, Fashion-MNIST when installed. */
  o->data_set = g_strdup (g_str_equal (action->type, "images") ? spk_image_set_default_name () : action->type);
  o->epochs = action->epochs;
  o->input = g_strdup (json_object_get_string_member_with_default (object, "input", NULL));
  o->probe = g_strdup (json_object_get_string_member_with_default (object, "probe", NULL));
  o->loss = g_strdup (json_object_get_string_member_with_default (object, "loss", "mse"));
  o->optimizer = g_strdup (json_object_get_string_member_with_default (object, "optimizer", "rmsprop"));
  o->steps = (guint) CLAMP (json_object_get_int_member_with_default (object, "steps", 0), 0, 10000);
  o->examples = (guint) CLAMP (json_object_get_int_member_with_default (object, "examples", 0), 0, 100000);
  o->batch = (guint) CLAMP (json_object_get_int_member_with_default (object, "batch", 50), 1, 10000);
  o->validate = json_object_get_boolean_member_with_default (object, "validate", FALSE);
  o->learning_rate = json_object_get_double_member_with_default (object, "learning_rate", NAN);
  if (!spk_loss_kind_from_name (o->loss, &loss) || !spk_optimizer_kind_from_name (o->optimizer, &kind)
      || (!isnan (o->learning_rate) && !(o->learning_rate > 0)))
    {
      spk_lesson_train_options_clear (o);
      g_set_error (error, SPK_LESSON_ERROR, SPK_LESSON_ERROR_PARSE,
                   _("%s:%u: the loss must be mse or sparse-ce, the optimizer sgd, adam or rmsprop, "
                     "the learning rate above 0"),
                   lesson->file, action->line);
      return FALSE;
    }
  return TRUE;
}

void
spk_lesson_train_options_clear (SpkLessonTrainOptions *o)
{
  g_clear_pointer (&o->data_set, g_free);
  g_clear_pointer (&o->input, g_free);
  g_clear_pointer (&o->probe, g_free);
  g_clear_pointer (&o->loss, g_free);
  g_clear_pointer (&o->optimizer, g_free);
}

gboolean
spk_lesson_train_headless (const SpkLesson       *lesson,
                           const SpkLessonAction *action,
                           SpkNetwork            *network,
                           SpkLessonState        *state,
                           GError               **error)
{
  g_auto (SpkLessonTrainOptions) o = { 0 };
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkTrainer) trainer = NULL;
  g_autoptr (SpkDataset) x = NULL, y = NULL, tx = NULL, ty = NULL;
  g_autoptr (GHashTable) params = NULL;
  g_autoptr (GError) local = NULL;
  g_auto (GStrv) names = NULL;
  const double *loss = NULL, *val_loss = NULL;
  GHashTable *start = spk_lesson_state_get_params (state);
  SpkTrainDataOptions data;
  SpkOptimizerKind kind = SPK_OPTIMIZER_RMSPROP;
  SpkOptimizer optimizer;
  SpkFitOptions fit;
  guint n;

  if (!spk_lesson_train_options_read (lesson, action, &o, error))
    return FALSE;
  spk_train_data_options_init (&data);
  data.name = o.data_set;
  data.input = o.input;
  data.probe = o.probe;
  data.steps = o.steps;
  data.n_max = o.examples;
  spk_loss_kind_from_name (o.loss, &data.loss);
  spk_optimizer_kind_from_name (o.optimizer, &kind);
  spk_optimizer_init (&optimizer, kind);
  if (!isnan (o.learning_rate))
    optimizer.learning_rate = o.learning_rate;

  plan = start ? spk_build_with_params (network, start, &local) : spk_build (network, &local);
  if (plan == NULL
      || !spk_train_data_load (&data, plan, SPK_TRAIN_SPLIT_TRAIN, &x, &y, &local)
      || (o.validate && !spk_train_data_load (&data, plan, SPK_TRAIN_SPLIT_TEST, &tx, &ty, &local))
      || !(trainer = spk_trainer_new (network, plan, spk_network_get_dtype (network), &local)))
    return fail_with (error, lesson, action->line, local);
  spk_trainer_set_optimizer (trainer, &optimizer);
  names = spk_dataset_list (y);
  if (!spk_trainer_set_loss (trainer, names[0], data.loss, &local))
    return fail_with (error, lesson, action->line, local);
  spk_fit_options_init (&fit);
  fit.epochs = o.epochs;
  fit.batch_size = o.batch;
  fit.val_inputs = tx;
  fit.val_targets = ty;
  if (!spk_trainer_fit (trainer, x, y, &fit, &local))
    return fail_with (error, lesson, action->line, local);
  n = spk_trainer_get_history (trainer, &loss, &val_loss);
  params = spk_trainer_dup_params (trainer);
  spk_lesson_state_clear_run (state);
  /* Epochs count on from earlier training, as the workbench's history does. */
  spk_lesson_state_set_training (state, spk_lesson_state_get_epochs (state) + n, n ? loss[n - 1] : NAN, n && val_loss ? val_loss[n - 1] : NAN, params);
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
                case SPK_LESSON_DO_TRAIN:
                  if (!spk_lesson_train_headless (lesson, a, network, state, error))
                    return FALSE;
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
                  else if ((c->kind == SPK_LESSON_COND_PROBE || c->kind == SPK_LESSON_COND_TRAINED)
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
