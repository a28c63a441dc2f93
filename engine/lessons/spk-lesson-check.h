/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-lesson-check.h — whether a lesson's tasks are done.
 *
 * An SpkLessonState holds what a condition may look at besides the model:
 * the run (its time and what each probe recorded since the last reset or
 * model edit) and the interface (the plots open, the objects clicked).
 * The workbench's lesson panel fills it from the runner and its widgets;
 * `spikeworks-cli lesson check` fills it from a headless run and the
 * solution's interface actions.  Both evaluate through the functions here.
 * Owner thread only; nothing here is thread-safe.
 */
#pragma once

#include "lessons/spk-lesson.h"
#include "model/spk-network.h"

G_BEGIN_DECLS

typedef struct _SpkLessonState SpkLessonState;

SpkLessonState *spk_lesson_state_new          (void) G_GNUC_WARN_UNUSED_RESULT;
void            spk_lesson_state_free         (SpkLessonState *state);
/* Forgets the run (after a reset or a model edit): time 0, no samples. */
void            spk_lesson_state_clear_run    (SpkLessonState *state);
void            spk_lesson_state_set_time     (SpkLessonState *state,
                                               double          time);
double          spk_lesson_state_get_time     (SpkLessonState *state);
/* What the last probe or trained condition evaluated measured (NaN if
 * nothing). */
double          spk_lesson_state_get_measured (SpkLessonState *state);
/* Appends n samples of the probe labelled label, each size values wide. */
void            spk_lesson_state_append_probe (SpkLessonState *state,
                                               const char     *label,
                                               guint           size,
                                               const double   *times,
                                               const double   *data,
                                               guint           n);
/* Interface facts: a plot of kind on target (nullable) is open or closed;
 * the user clicked the object labelled label. */
void            spk_lesson_state_set_plot     (SpkLessonState *state,
                                               const char     *kind,
                                               const char     *target,
                                               gboolean        open);
void            spk_lesson_state_add_click    (SpkLessonState *state,
                                               const char     *label);
/* What training did so far: epochs trained in all (0: none), the last epoch's
 * loss and val_loss (NaN without validation), and the trained built
 * parameters later runs take (key → SpkArray, nullable; a reference is
 * taken). */
void            spk_lesson_state_set_training (SpkLessonState *state,
                                               guint           epochs,
                                               double          loss,
                                               double          val_loss,
                                               GHashTable     *params);
/* (transfer none) (nullable) */
GHashTable     *spk_lesson_state_get_params   (SpkLessonState *state);
guint           spk_lesson_state_get_epochs   (SpkLessonState *state);
/* Forgets every plot (before the interface tells again which are open). */
void            spk_lesson_state_clear_plots  (SpkLessonState *state);

/* Whether condition holds for network and state.  FALSE with an error
 * (naming file and line) when it names an object the network does not
 * have; FALSE without one when it is simply not met yet. */
gboolean        spk_lesson_condition_holds    (const SpkLesson          *lesson,
                                               const SpkLessonCondition *condition,
                                               SpkNetwork               *network,
                                               SpkLessonState           *state,
                                               GError                  **error);
/* Every condition of task holds. */
gboolean        spk_lesson_task_done          (const SpkLesson          *lesson,
                                               const SpkLessonTask      *task,
                                               SpkNetwork               *network,
                                               SpkLessonState           *state,
                                               GError                  **error);

/* The lesson's start model: a new network. Fails naming the lesson file
 * and the "start:" line. */
SpkNetwork     *spk_lesson_load_start         (const SpkLesson *lesson,
                                               GError         **error) G_GNUC_WARN_UNUSED_RESULT;
/* Finds an object by label or "pre->post" (the first such connection). */
SpkObject      *spk_lesson_lookup             (SpkNetwork      *network,
                                               const char      *name);
/* Without running anything: the start model loads, and every object a
 * task or action names exists in the start model or is added by an
 * earlier action. */
gboolean        spk_lesson_validate           (const SpkLesson *lesson,
                                               GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkLessonState, spk_lesson_state_free)

G_END_DECLS
