/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-window-lessons.h — the window's side of the lessons: the lesson
 * browser (win.lessons, *Lessons* in the header bar), the lesson panel in
 * the inspector's place (win.show-lesson, property "show-lesson"), the
 * panel's page keys (win.lesson-next on Page Down, win.lesson-previous on
 * Page Up, as a presenter's remote sends them), and what the panel needs
 * of the window. */
#pragma once

#include "lessons/spk-lesson-check.h"
#include "ui/shell/spk-window.h"

G_BEGIN_DECLS

typedef struct _SpkLessonPanel SpkLessonPanel;

/* Opens the lesson named name (built-in or the user's; or a path to a
 * .lesson file): its start model becomes the window's, and the lesson
 * panel shows where the student left off.  On failure (no such lesson,
 * a broken one) the window is left as it was. */
gboolean        spk_window_open_lesson        (SpkWindow   *self,
                                               const char  *name,
                                               GError     **error);
/* The lesson browser, made and shown (transfer none). */
GtkWindow      *spk_window_show_lesson_browser (SpkWindow  *self);
/* (transfer none) */
SpkLessonPanel *spk_window_get_lesson_panel   (SpkWindow   *self);
gboolean        spk_window_get_show_lesson    (SpkWindow   *self);
void            spk_window_set_show_lesson    (SpkWindow   *self,
                                               gboolean     show);
/* (transfer none) (nullable): the window's settings, for the progress. */
GSettings      *spk_window_get_settings       (SpkWindow   *self);

/* For the panel: applies pending edits to the run now, then runs the model
 * from t = 0 for seconds (at the run bar's speed). */
gboolean        spk_window_run_for            (SpkWindow   *self,
                                               double       seconds,
                                               GError     **error);
/* Opens a plot of kind (a spk_plot_kind_to_name ()) on the object a lesson
 * names (a label or PRE->POST); FALSE when it cannot. */
gboolean        spk_window_lesson_open_plot   (SpkWindow   *self,
                                               const char  *kind,
                                               const char  *name);
/* Tells state which plots are open, naming their targets as a lesson does. */
void            spk_window_lesson_note_plots  (SpkWindow      *self,
                                               SpkLessonState *state);

G_END_DECLS
