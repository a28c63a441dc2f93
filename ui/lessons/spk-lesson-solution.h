/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-lesson-solution.h — *Show me* in the workbench: a task's scripted
 * solution performed on a window, as a student would do it. */
#pragma once

#include "lessons/spk-lesson.h"
#include "ui/shell/spk-window.h"

G_BEGIN_DECLS

/* Applies the task's model edits to the window's network as ONE step of
 * its undo stack, then opens its plots, clicks its objects (selects
 * them), and finally runs the model from t = 0 for the last `run`'s time.
 * Fails (after undoing the edits made) naming the lesson file and line. */
gboolean spk_lesson_solution_perform (SpkWindow           *window,
                                      const SpkLesson     *lesson,
                                      const SpkLessonTask *task,
                                      GError             **error);

G_END_DECLS
