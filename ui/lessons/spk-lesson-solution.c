/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-lesson-solution.c — performing a task's solution on a window.
 *
 * The order is the one a student follows: edit the model, open the plots,
 * click, press Play.  Edits come first as one undo group (Ctrl+Z takes the
 * whole *Show me* back); a run restarts from t = 0 anyway, so only the
 * last `run` of a solution matters and it goes last. */
#define G_LOG_DOMAIN "spk-lessons"

#include "ui/lessons/spk-lesson-solution.h"

#include <glib/gi18n.h>

#include "lessons/spk-lesson-solve.h"
#include "ui/shell/spk-window-lessons.h"

gboolean
spk_lesson_solution_perform (SpkWindow           *window,
                             const SpkLesson     *lesson,
                             const SpkLessonTask *task,
                             GError             **error)
{
  SpkNetwork *network = spk_window_get_network (window);
  SpkUndoStack *undo = spk_window_get_undo_stack (window);
  const SpkLessonAction *run = NULL;
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
  if (run != NULL)
    return spk_window_run_for (window, run->time, error);
  return TRUE;
}
