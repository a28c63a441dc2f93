/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-lesson-panel.h — a lesson beside the canvas: its pages of text and
 * tasks, each task checked the moment the model, the run or the interface
 * satisfies it, with *Hint* and *Show me*; the next page unlocks when the
 * page's tasks are done.  Progress is kept per lesson in GSettings.
 *
 * Actions (prefix "lesson."): next, previous, hint "u" (a task of the
 * page shown), show-me "u", start-over, hide. */
#pragma once

#include <gtk/gtk.h>

#include "lessons/spk-lesson.h"
#include "ui/shell/spk-window.h"

G_BEGIN_DECLS

#define SPK_TYPE_LESSON_PANEL (spk_lesson_panel_get_type ())
G_DECLARE_FINAL_TYPE (SpkLessonPanel, spk_lesson_panel, SPK, LESSON_PANEL, GtkWidget)

GtkWidget       *spk_lesson_panel_new           (void) G_GNUC_WARN_UNUSED_RESULT;
/* The window whose model, run and plots the tasks are checked against
 * (not a reference: the window owns the panel). */
void             spk_lesson_panel_set_window    (SpkLessonPanel *self,
                                                 SpkWindow      *window);
/* Takes lesson (validated), loads its start model into the window with
 * the edits of the tasks already done re-applied, and shows the page
 * the student left (settings nullable: no progress kept). */
gboolean         spk_lesson_panel_open          (SpkLessonPanel *self,
                                                 SpkLesson      *lesson,
                                                 GSettings      *settings,
                                                 GError        **error);
/* (transfer none) (nullable) */
const SpkLesson *spk_lesson_panel_get_lesson    (SpkLessonPanel *self);
/* Whether network is the model the lesson loaded (its start model, then
 * edited by the student): not a file opened or an example chosen since. */
gboolean         spk_lesson_panel_owns_network  (SpkLessonPanel *self,
                                                 SpkNetwork     *network);
guint            spk_lesson_panel_get_page      (SpkLessonPanel *self);
/* FALSE when page is past the first one not finished. */
gboolean         spk_lesson_panel_set_page      (SpkLessonPanel *self,
                                                 guint           page);
gboolean         spk_lesson_panel_next_page     (SpkLessonPanel *self);
gboolean         spk_lesson_panel_previous_page (SpkLessonPanel *self);
/* Task index of page. */
gboolean         spk_lesson_panel_get_task_done (SpkLessonPanel *self,
                                                 guint           page,
                                                 guint           index);
/* The task's hint is showing. */
gboolean         spk_lesson_panel_get_hint_shown (SpkLessonPanel *self,
                                                  guint           index);
/* *Show me* of task index of the page shown. */
gboolean         spk_lesson_panel_show_me       (SpkLessonPanel *self,
                                                 guint           index,
                                                 GError        **error);
/* Forgets the progress and starts the lesson again from its start model. */
void             spk_lesson_panel_start_over    (SpkLessonPanel *self);
/* Reads the run and checks the tasks now (a timer does it on its own). */
void             spk_lesson_panel_check_now     (SpkLessonPanel *self);

G_END_DECLS
