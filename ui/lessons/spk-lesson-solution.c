/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-lesson-solution.c — performing a task's solution on a window.
 *
 * The order is the one a student follows: edit the model, open the plots,
 * click, press Play.  Edits come first as one undo group (Ctrl+Z takes the
 * whole *Show me* back); a run restarts from t = 0 anyway, so only the
 * last `run` of a solution matters and it goes last.  A `train` step
 * starts the training panel instead (a solution trains or runs). */
#define G_LOG_DOMAIN "spk-lessons"

#include "ui/lessons/spk-lesson-solution.h"

#include <math.h>

#include <glib/gi18n.h>

#include "lessons/spk-lesson-solve.h"
#include "train/spk-train-data.h"
#include "ui/train/spk-train-panel.h"
#include "ui/shell/spk-window-lessons.h"

/* A `train` step: the training panel, filled in as the student would,
 * in the lesson's place; it trains in its worker thread and the window
 * keeps the result (the lesson panel comes back when it is done). */
static gboolean
start_training (SpkWindow             *window,
                const SpkLesson       *lesson,
                const SpkLessonAction *action,
                GError               **error)
{
  g_auto (SpkLessonTrainOptions) o = { 0 };
  SpkTrainPanel *panel = spk_window_get_train_panel (window);

  if (!spk_lesson_train_options_read (lesson, action, &o, error))
    return FALSE;
  if (spk_train_panel_get_running (panel))
    {
      g_set_error (error, SPK_LESSON_ERROR, SPK_LESSON_ERROR_TASK, _("Training is already running"));
      return FALSE;
    }
  spk_window_set_training (window, TRUE);
  spk_train_panel_set_data_set (panel, o.data_set);
  spk_train_panel_set_input (panel, o.input ? o.input : "input");
  if (o.probe != NULL)
    spk_train_panel_set_probe (panel, o.probe);
  spk_train_panel_set_loss (panel, o.loss);
  spk_train_panel_set_optimizer (panel, o.optimizer);
  if (!isnan (o.learning_rate))
    spk_train_panel_set_learning_rate (panel, o.learning_rate);
  {
    /* Unset, the data set's own numbers, as spk_train_data_load () takes
     * them headless: images one step, all of Fashion-MNIST or 2000
     * generated; signals 200 steps, 128 examples.  (The panel's spin
     * buttons start at 1, so 0 may not reach them.) */
    const SpkTrainDataInfo *info = spk_train_data_lookup (o.data_set);
    guint steps = o.steps > 0 ? o.steps : info && info->classes ? 1 : 200;
    guint examples = o.examples > 0 ? o.examples
                     : info && !info->generated ? 60000 : info && info->classes ? 2000 : 128;

    spk_train_panel_set_schedule (panel, o.epochs, o.batch, steps, examples, o.validate);
  }
  gtk_widget_activate_action (GTK_WIDGET (panel), "train.start", NULL);
  return TRUE;
}

gboolean
spk_lesson_solution_perform (SpkWindow           *window,
                             const SpkLesson     *lesson,
                             const SpkLessonTask *task,
                             GError             **error)
{
  SpkNetwork *network = spk_window_get_network (window);
  SpkUndoStack *undo = spk_window_get_undo_stack (window);
  const SpkLessonAction *run = NULL, *train = NULL;
  gboolean edited = FALSE;

  g_return_val_if_fail (SPK_IS_WINDOW (window), FALSE);
  g_return_val_if_fail (lesson != NULL && task != NULL, FALSE);

  if (network == NULL || undo == NULL)
    {
      g_set_error (error, SPK_LESSON_ERROR, SPK_LESSON_ERROR_MODEL, _("There is no model to work on"));
      return FALSE;
    }
  /* The edits, as one step. */
  spk_undo_stack_close_group (undo);
  spk_undo_stack_begin_group (undo);
  for (guint i = 0; i < task->actions->len; i++)
    {
      const SpkLessonAction *a = g_ptr_array_index (task->actions, i);

      switch (a->kind)
        {
        case SPK_LESSON_DO_ADD:
        case SPK_LESSON_DO_CONNECT:
        case SPK_LESSON_DO_SET:
        case SPK_LESSON_DO_DELETE:
          if (!spk_lesson_apply_edit (lesson, a, network, error))
            {
              spk_undo_stack_end_group (undo);
              spk_undo_stack_close_group (undo);
              if (edited)
                spk_undo_stack_undo (undo);
              return FALSE;
            }
          edited = TRUE;
          break;
        case SPK_LESSON_DO_RUN:
          run = a;
          break;
        case SPK_LESSON_DO_TRAIN:
          train = a;
          break;
        case SPK_LESSON_DO_PLOT:
        case SPK_LESSON_DO_CLICK:
        default:
          break;
        }
    }
  spk_undo_stack_end_group (undo);
  spk_undo_stack_close_group (undo);

  /* What the student does with the interface. */
  for (guint i = 0; i < task->actions->len; i++)
    {
      const SpkLessonAction *a = g_ptr_array_index (task->actions, i);

      if (a->kind == SPK_LESSON_DO_PLOT)
        spk_window_lesson_open_plot (window, a->type, a->object);
      else if (a->kind == SPK_LESSON_DO_CLICK)
        {
          SpkObject *object = spk_lesson_lookup (network, a->object);

          if (object != NULL)
            spk_graph_view_select (spk_window_get_graph_view (window), object, FALSE);
        }
    }
  if (train != NULL)
    return start_training (window, lesson, train, error);
  if (run != NULL)
    return spk_window_run_for (window, run->time, error);
  return TRUE;
}
