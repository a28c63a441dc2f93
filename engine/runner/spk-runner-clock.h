/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-runner-clock.h — the wall clock a runner paces itself against.
 *
 * The system clock is g_get_monotonic_time ().  A manual clock only moves
 * when spk_runner_clock_advance () is called, so tests can drive real-time
 * pacing step by step without timing anything.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SpkRunnerClock SpkRunnerClock;

SpkRunnerClock *spk_runner_clock_new_system (void) G_GNUC_WARN_UNUSED_RESULT;
/* A manual clock that reads 0 µs until it is advanced. */
SpkRunnerClock *spk_runner_clock_new_manual (void) G_GNUC_WARN_UNUSED_RESULT;
SpkRunnerClock *spk_runner_clock_ref        (SpkRunnerClock *self);
void            spk_runner_clock_unref      (SpkRunnerClock *self);

gboolean        spk_runner_clock_is_manual  (SpkRunnerClock *self);
/* Microseconds; any thread. */
gint64          spk_runner_clock_get_time   (SpkRunnerClock *self);
/* Moves a manual clock forward by usec ≥ 0 and wakes every runner waiting
 * on it; any thread. */
void            spk_runner_clock_advance    (SpkRunnerClock *self,
                                             gint64          usec);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkRunnerClock, spk_runner_clock_unref)

G_END_DECLS
