/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-lesson-solve.h — a lesson's scripted solutions ("Show me"), and the
 * headless check that runs them all.
 *
 * A solution is data: model edits (add, connect, set, delete), runs, and
 * interface actions (open a plot, click an object).  The workbench applies
 * the model edits as one undoable step and performs the others itself;
 * `spikeworks-cli lesson check` applies them all here, running the model
 * with the real runner in float32.  Owner thread only.
 */
#pragma once

#include "lessons/spk-lesson-check.h"

G_BEGIN_DECLS

/* Applies a model edit (ADD, CONNECT, SET or DELETE) to network; fails
 * naming the lesson's file and the action's line. */
gboolean spk_lesson_apply_edit   (const SpkLesson       *lesson,
                                  const SpkLessonAction *action,
                                  SpkNetwork            *network,
                                  GError               **error);
/* Builds network, runs it from t = 0 for seconds with a runner on this
 * thread (iterating a private main context until it is done) and records
 * the time and every probe into state, which is cleared first. */
gboolean spk_lesson_run_headless (SpkNetwork            *network,
                                  double                 seconds,
                                  SpkLessonState        *state,
                                  GError               **error);

typedef void (*SpkLessonTaskFunc) (const SpkLessonTask *task,
                                   guint                page,
                                   gpointer             user_data);

/* Validates lesson, then from its start model (in float32) applies each
 * task's solution in order and checks the task is then done.  Fails with
 * SPK_LESSON_ERROR_TASK naming the first task that is not (and the
 * condition that does not hold).  done (nullable) hears of each task
 * completed. */
gboolean spk_lesson_check        (const SpkLesson       *lesson,
                                  SpkLessonTaskFunc      done,
                                  gpointer               user_data,
                                  GError               **error);

G_END_DECLS
