/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-lesson-feed.h — the workbench's run, as a lesson's checks see it.
 *
 * The run bar's runner records the model's own probes beside the plots'
 * hidden ones; nobody else reads them, so the feed drains them into an
 * SpkLessonState with the run's time.  A new runner, a new plan or a run
 * that starts again from an earlier time forgets what was recorded, as a
 * reset does.  Owner (main) thread only. */
#pragma once

#include "lessons/spk-lesson-check.h"
#include "runner/spk-runner.h"

G_BEGIN_DECLS

typedef struct _SpkLessonFeed SpkLessonFeed;

SpkLessonFeed *spk_lesson_feed_new    (void) G_GNUC_WARN_UNUSED_RESULT;
void           spk_lesson_feed_free   (SpkLessonFeed  *self);
/* Reads what runner (nullable) recorded since the last poll into state.
 * TRUE when state changed. */
gboolean       spk_lesson_feed_poll   (SpkLessonFeed  *self,
                                       SpkRunner      *runner,
                                       SpkLessonState *state);
/* The next poll starts from a cleared run (after a model edit). */
void           spk_lesson_feed_forget (SpkLessonFeed  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkLessonFeed, spk_lesson_feed_free)

G_END_DECLS
