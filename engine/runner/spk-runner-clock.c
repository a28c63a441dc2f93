/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-runner-clock.c — the system clock and the manual clock of tests.
 *
 * CONTRACT: every function may be called from any thread.  The time of a
 * manual clock is one atomic value; advancing it then takes the clock's
 * lock and, under each registered runner's mutex, broadcasts that runner's
 * condition.  A runner reads the time while holding its own mutex but never
 * takes the clock's lock then, so the lock order is always clock → runner.
 */
#define G_LOG_DOMAIN "spk-runner"

#include "spk-runner-private.h"

struct _SpkRunnerClock
{
  gboolean        manual;
  _Atomic gint64  now;       /* manual clocks only */
  GMutex          lock;      /* guards waiters */
  GPtrArray      *waiters;   /* Waiter */
};

typedef struct
{
  GMutex *mutex;
  GCond  *cond;
} Waiter;

static SpkRunnerClock *
clock_new (gboolean manual)
{
  SpkRunnerClock *self = g_atomic_rc_box_new0 (SpkRunnerClock);

  self->manual = manual;
  atomic_init (&self->now, 0);
  g_mutex_init (&self->lock);
  self->waiters = g_ptr_array_new_with_free_func (g_free);
  return self;
}

/**
 * spk_runner_clock_new_system:
 *
 * Returns: (transfer full): a clock that reads g_get_monotonic_time ()
 */
SpkRunnerClock *
spk_runner_clock_new_system (void)
{
  return clock_new (FALSE);
}

/**
 * spk_runner_clock_new_manual:
 *
 * Returns: (transfer full): a clock at 0 µs that moves only when advanced
 */
SpkRunnerClock *
spk_runner_clock_new_manual (void)
{
  return clock_new (TRUE);
}

SpkRunnerClock *
spk_runner_clock_ref (SpkRunnerClock *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

static void
clock_clear (gpointer data)
{
  SpkRunnerClock *self = data;

  g_ptr_array_unref (self->waiters);
  g_mutex_clear (&self->lock);
}

void
spk_runner_clock_unref (SpkRunnerClock *self)
{
  if (self != NULL)
    g_atomic_rc_box_release_full (self, clock_clear);
}

gboolean
spk_runner_clock_is_manual (SpkRunnerClock *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->manual;
}

gint64
spk_runner_clock_get_time (SpkRunnerClock *self)
{
  g_return_val_if_fail (self != NULL, 0);
  if (!self->manual)
    return g_get_monotonic_time ();
  return atomic_load_explicit (&self->now, memory_order_acquire);
}

void
spk_runner_clock_advance (SpkRunnerClock *self,
                          gint64          usec)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->manual);
  g_return_if_fail (usec >= 0);

  atomic_fetch_add_explicit (&self->now, usec, memory_order_acq_rel);
  /* Broadcasting under each runner's mutex closes the window between a
   * worker reading the old time and starting to wait. */
  spk_runner_lock (&self->lock);
  for (guint i = 0; i < self->waiters->len; i++)
    {
      Waiter *waiter = g_ptr_array_index (self->waiters, i);

      spk_runner_lock (waiter->mutex);
      g_cond_broadcast (waiter->cond);
      spk_runner_unlock (waiter->mutex);
    }
  spk_runner_unlock (&self->lock);
}

void
_spk_runner_clock_add_waiter (SpkRunnerClock *self,
                              GMutex         *mutex,
                              GCond          *cond)
{
  Waiter *waiter = g_new (Waiter, 1);

  waiter->mutex = mutex;
  waiter->cond = cond;
  spk_runner_lock (&self->lock);
  g_ptr_array_add (self->waiters, waiter);
  spk_runner_unlock (&self->lock);
}

void
_spk_runner_clock_remove_waiter (SpkRunnerClock *self,
                                 GCond          *cond)
{
  spk_runner_lock (&self->lock);
  for (guint i = 0; i < self->waiters->len; i++)
    if (((Waiter *) g_ptr_array_index (self->waiters, i))->cond == cond)
      {
        g_ptr_array_remove_index_fast (self->waiters, i);
        break;
      }
  spk_runner_unlock (&self->lock);
}

void
_spk_runner_clock_wait_until (SpkRunnerClock *self,
                              GMutex         *mutex,
                              GCond          *cond,
                              gint64          deadline)
{
  SPK_TSAN_RELEASE (mutex);
  if (self->manual)
    g_cond_wait (cond, mutex);
  else
    g_cond_wait_until (cond, mutex, deadline);
  SPK_TSAN_ACQUIRE (mutex);
}
