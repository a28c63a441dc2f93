/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-lesson-browser.h — the list of lessons to choose from: title,
 * level, duration, what it teaches and the student's progress; broken
 * lessons say why and lessons still to come say so, neither can be
 * chosen.
 *
 * Actions (prefix "browser."): open "s" (a lesson's name: emits
 * "lesson-chosen" with it), start-over "s" (forgets its progress). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SPK_TYPE_LESSON_BROWSER (spk_lesson_browser_get_type ())
G_DECLARE_FINAL_TYPE (SpkLessonBrowser, spk_lesson_browser, SPK, LESSON_BROWSER, AdwWindow)

/* settings (nullable) holds the progress shown. */
GtkWidget *spk_lesson_browser_new         (GSettings        *settings) G_GNUC_WARN_UNUSED_RESULT;
/* The rows listed, in order (for tests): lesson names. */
guint      spk_lesson_browser_get_n_rows  (SpkLessonBrowser *self);
/* (transfer none): what row index shows, as one line of text each:
 * name, title, details ("level · minutes"), teaches or why it cannot be
 * chosen, and progress; NULL past the end. */
const char *spk_lesson_browser_get_row_name     (SpkLessonBrowser *self,
                                                 guint             index);
char       *spk_lesson_browser_dup_row_text     (SpkLessonBrowser *self,
                                                 guint             index);

G_END_DECLS
