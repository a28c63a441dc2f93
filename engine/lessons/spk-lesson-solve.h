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
/* Builds network (with state's trained parameters, if any), runs it from t = 0 for seconds with a runner on this
 * thread (iterating a private main context until it is done) and records
 * the time and every probe into state, which is cleared first. */
gboolean spk_lesson_run_headless (SpkNetwork            *network,
                                  double                 seconds,
                                  SpkLessonState        *state,
                                  GError               **error);

/* A `train` action's options (its JSON object), as the workbench's
 * training panel takes them; strings owned. */
typedef struct
{
  char    *data_set;
  guint    epochs;
  char    *input;          /* nullable: "input" */
  char    *probe;          /* nullable: the first */
  char    *loss;           /* "mse" or "sparse-ce" */
  char    *optimizer;      /* "sgd", "adam", "rmsprop" */
  double   learning_rate;  /* NaN: the optimizer's default */
  guint    steps;          /* 0: the data set's */
  guint    examples;       /* 0: all */
  guint    batch;
  gboolean validate;
} SpkLessonTrainOptions;

/* Fails naming the lesson's file and the action's line on an unknown
 * option, loss or optimizer. */
gboolean spk_lesson_train_options_read  (const SpkLesson        *lesson,
                                         const SpkLessonAction  *action,
                                         SpkLessonTrainOptions  *options,
                                         GError                **error);
void     spk_lesson_train_options_clear (SpkLessonTrainOptions  *options);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SpkLessonTrainOptions, spk_lesson_train_options_clear)

/* Trains a copy of network (its built parameters start from state's
 * trained ones) on the action's data set for its epochs, with the
 * action's options, and records the epochs, losses and trained parameters
 * in state; later headless runs build with them.  Fails naming the
 * lesson's file and the action's line. */
gboolean spk_lesson_train_headless (const SpkLesson       *lesson,
                                    const SpkLessonAction *action,
                                    SpkNetwork            *network,
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
