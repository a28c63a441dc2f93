/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-runner-private.h — pieces of the runner shared between its files:
 * the per-probe sample rings and the clock's waiting hooks. */
#pragma once

#include <stdatomic.h>

#include "runner/spk-runner.h"
#include "runner/spk-runner-clock.h"
#include "sim/spk-simulator.h"

G_BEGIN_DECLS

/* GLib's GMutex and GCond sit on raw futexes, which ThreadSanitizer cannot
 * see; under it, every lock and unlock of the runner's mutexes also tells
 * it about the ordering they give. */
#ifdef __SANITIZE_THREAD__
void __tsan_acquire (void *addr);
void __tsan_release (void *addr);
#define SPK_TSAN_ACQUIRE(m) __tsan_acquire (m)
#define SPK_TSAN_RELEASE(m) __tsan_release (m)
#else
#define SPK_TSAN_ACQUIRE(m) ((void) (m))
#define SPK_TSAN_RELEASE(m) ((void) (m))
#endif

static inline void
spk_runner_lock (GMutex *mutex)
{
  g_mutex_lock (mutex);
  SPK_TSAN_ACQUIRE (mutex);
}

static inline void
spk_runner_unlock (GMutex *mutex)
{
  SPK_TSAN_RELEASE (mutex);
  g_mutex_unlock (mutex);
}

/* A bounded single-producer single-consumer ring of probe samples.
 *
 * head and tail count samples written and read since creation; the slot of
 * sample i is i & mask.  The producer (the worker) never waits: when the
 * ring is full it drops the sample.  Every offered sample gets a sequence
 * number, so the consumer can count what was dropped between the samples it
 * reads.  head and tail sit on their own cache lines, so producer and
 * consumer do not invalidate each other's line on every sample.
 *
 * A sparse ring (for spike probes: a step of 1,000 neurons has a few dozen
 * spikes) keeps, instead of width values per slot, the nonzero values of
 * each sample as (index, value) entries in a second ring: a slot holds its
 * first entry and how many.  The worker then writes, and the reader reads,
 * a few hundred bytes a step instead of width doubles.  A sample is dropped
 * when the slots are full or fewer than width entries are free. */
typedef struct
{
  guint    width;          /* batch × probe size */
  guint64  capacity;       /* a power of two */
  guint64  mask;
  double  *times;          /* capacity */
  guint64 *seqs;           /* capacity */
  guint64 *epochs;         /* capacity: resets before the sample */
  double  *data;           /* dense: capacity × width; sparse: NULL */

  /* Sparse rings only. */
  gboolean sparse;
  guint64  entry_capacity; /* a power of two, ≥ width */
  guint64  entry_mask;
  guint64 *starts;         /* capacity: the sample's first entry (a count) */
  guint32 *counts;         /* capacity: its entries */
  guint32 *entry_index;    /* entry_capacity: position within the sample */
  gboolean values_f32;     /* a float32 plan's values are kept as float: */
  float   *entry_value32;  /*   entry_capacity, exact, and half the bytes */
  double  *entry_value;    /* entry_capacity, float64 plans */

  /* Written by the producer only. */
  _Alignas (64) _Atomic guint64 head;
  _Atomic guint64 offered;   /* samples offered, written or dropped */
  _Atomic int     held;      /* samples wait in the simulator's record for
                              * room (a kept probe's: see below) */
  guint64 entry_head;        /* entries written (producer's own) */

  /* Written by the consumer only. */
  _Alignas (64) _Atomic guint64 tail;
  _Atomic guint64 entry_tail; /* entries read */
  guint64 expected;          /* the sequence number the consumer expects next */
} SpkRunnerRing;

SpkRunnerRing *_spk_runner_ring_new     (guint            width,
                                         guint64          capacity);
/* entry_capacity: a power of two ≥ width; values_f32 for a float32
 * plan's probe. */
SpkRunnerRing *_spk_runner_ring_new_sparse (guint         width,
                                            guint64       capacity,
                                            guint64       entry_capacity,
                                            gboolean      values_f32);
void           _spk_runner_ring_free    (SpkRunnerRing   *ring);
/* Producer: offers samples [from, to) of a probe of the simulator, made
 * after epoch resets, and returns where it stopped.  Without hold, what
 * does not fit is dropped (returns to).  With hold (a kept probe, whose
 * record stays in the simulator) it stops at the first sample that does
 * not fit and sets held, for the reader to ask for the rest once it has
 * made room; the caller offers them again from the index returned. */
guint64        _spk_runner_ring_push_from_simulator (SpkRunnerRing *ring,
                                                     SpkSimulator  *sim,
                                                     guint          probe,
                                                     guint64        from,
                                                     guint64        to,
                                                     guint64        epoch,
                                                     gboolean       hold);
/* Producer, sparse rings: offers the probe's value at the simulator's
 * current step, read straight from its signal (the simulator no longer
 * records the probe: see _spk_simulator_set_record_hook ()). */
void           _spk_runner_ring_push_sparse_now (SpkRunnerRing *ring,
                                                 SpkSimulator  *sim,
                                                 guint          probe,
                                                 guint64        epoch);
/* The same for a dense ring. */
void           _spk_runner_ring_push_dense_now  (SpkRunnerRing *ring,
                                                 SpkSimulator  *sim,
                                                 guint          probe,
                                                 guint64        epoch);
/* Consumer: see spk_runner_read_probe ().  Samples made after more than
 * max_epoch resets stay in the ring: the consumer has not yet been told of
 * the reset that came before them.  A sparse ring's samples come out
 * dense. */
guint          _spk_runner_ring_read    (SpkRunnerRing   *ring,
                                         double          *data,
                                         double          *times,
                                         guint            max_samples,
                                         guint64          max_epoch,
                                         guint64         *n_lost);
/* Consumer, sparse rings: see spk_runner_read_probe_sparse (). */
guint          _spk_runner_ring_read_sparse (SpkRunnerRing *ring,
                                             guint32       *counts,
                                             guint32       *index,
                                             double        *values,
                                             guint          max_entries,
                                             double        *times,
                                             guint          max_samples,
                                             guint64        max_epoch,
                                             guint64       *n_lost);

/* The clock's hooks for the worker.  A runner registers its mutex and
 * condition; a manual clock broadcasts on it (holding the mutex) when it
 * advances. */
void           _spk_runner_clock_add_waiter    (SpkRunnerClock *clock,
                                                GMutex         *mutex,
                                                GCond          *cond);
void           _spk_runner_clock_remove_waiter (SpkRunnerClock *clock,
                                                GCond          *cond);
/* One wait on cond (mutex held) that returns by deadline (clock time) at
 * the latest — or, for a manual clock, when it advances; spurious returns
 * are allowed, so callers loop. */
void           _spk_runner_clock_wait_until    (SpkRunnerClock *clock,
                                                GMutex         *mutex,
                                                GCond          *cond,
                                                gint64          deadline);

G_END_DECLS
