/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-lesson-progress.h — how far a student got in each lesson, kept in
 * GSettings ("lesson-progress": lesson name → the page last shown and the
 * tasks done, numbered through the whole lesson from 0).  A NULL settings
 * keeps nothing (a window without settings, a screenshot run). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Fills done[0 … n_tasks-1] and *page from what was kept; FALSE (all
 * undone, page 0) when nothing was. */
gboolean spk_lesson_progress_load  (GSettings  *settings,
                                    const char *name,
                                    guint      *page,
                                    gboolean   *done,
                                    guint       n_tasks);
void     spk_lesson_progress_save  (GSettings      *settings,
                                    const char     *name,
                                    guint           page,
                                    const gboolean *done,
                                    guint           n_tasks);
/* How many tasks are kept as done. */
guint    spk_lesson_progress_count (GSettings  *settings,
                                    const char *name);
/* Forgets the lesson's progress. */
void     spk_lesson_progress_reset (GSettings  *settings,
                                    const char *name);

G_END_DECLS
