/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-pool.c — helper threads for elementwise work (spk-pool.h).
 *
 * A job is cut into a fixed number of chunks.  Each thread, the caller
 * included, first takes the chunks at its own place in the job (the same
 * ones every call, so a neuron's state stays in one core's cache from
 * step to step), then any chunk still untaken.  Taking is an atomic
 * compare-and-swap of the chunk's claim from an older job number to this
 * one, so a helper whose core the machine takes away for a while (a
 * shared or virtual machine does) costs the caller at most the chunk it
 * holds: the caller takes the rest.  A job ends only when every chunk
 * carries its number, and numbers only grow, so a helper that arrives
 * late finds nothing to take and reads none of the job's fields.
 *
 * Idle helpers poll a generation counter for a while with the CPU's pause
 * hint (not sched_yield(): a system call can cost tens of microseconds in
 * a virtual machine), then sleep on a condition variable.  The atomics
 * are sequentially consistent, so "the helper says it sleeps" and "the
 * caller bumps the generation" cannot both miss each other.
 */
#define G_LOG_DOMAIN "spk-pool"

#include "core/spk-pool.h"

#include <stdatomic.h>
#include <stdlib.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define cpu_relax() _mm_pause ()
#else
#define cpu_relax() ((void) 0)
#endif

#define MAX_THREADS 4
#define N_CHUNKS 16
/* How long an idle helper keeps polling before it sleeps: longer than the
 * gap between two neuron updates of a running simulation, so a run pays
 * no wake-up per step. */
#define SPIN_US 300
/* The caller waited on the helpers this many calls in a row: run the
 * next ALONE_CALLS calls without them. */
#define STARVED_CALLS 8
#define ALONE_CALLS 200

typedef struct
{
  gint         busy;         /* atomic: 1 while a caller has the pool (a flag, not
                              * a GMutex, so that sanitizers see the ordering) */
  GMutex       lock;         /* for sleeping and waking */
  GCond        wake;
  gint         generation;   /* atomic: bumped per job */
  gint         n_sleeping;   /* atomic */
  _Atomic gint64 current;    /* the job being handed out */
  /* The job that took each chunk, one cache line each: a thread that keeps
   * taking the same chunks keeps their lines in its own cache. */
  struct { _Atomic gint64 job; char pad[64 - sizeof (gint64)]; } claim[N_CHUNKS];
  gint         done;         /* atomic: chunks finished in this job */
  gint64       job;
  SpkPoolFunc  func;         /* the job's fields: written before it is current */
  gpointer     data;
  gsize        n, chunk;
  guint        n_helpers;
  /* Back-off: when the helpers keep getting too little of the CPU to
   * take their share (another process's threads spin on their cores, as
   * OpenBLAS's do for a while after its last call), calls run alone for
   * a while instead of waiting on them. */
  guint        starved;      /* calls in a row the caller did nearly alone */
  guint        alone;        /* calls still to run alone */
} Pool;

static Pool *pool;

/* Takes and runs the chunks of job it can get, its own place's first
 * (thread of n_threads); returns how many it ran. */
static gint
run_chunks (Pool   *p,
            gint64  job,
            guint   thread)
{
  const guint n_threads = p->n_helpers + 1;
  const guint first = thread * N_CHUNKS / n_threads;

  gint taken = 0;

  for (guint k = 0; k < N_CHUNKS; k++)
    {
      guint c = (first + k) % N_CHUNKS;
      gint64 old = atomic_load (&p->claim[c].job);
      gsize begin, end;

      if (old >= job || !atomic_compare_exchange_strong (&p->claim[c].job, &old, job))
        continue;
      begin = MIN (p->n, c * p->chunk);
      end = MIN (p->n, begin + p->chunk);
      if (begin < end)
        p->func (p->data, begin, end);
      taken++;
    }
  /* Once per thread and job: the count's line moves once, not per chunk. */
  if (taken > 0)
    g_atomic_int_add (&p->done, taken);
  return taken;
}

typedef struct
{
  Pool  *pool;
  guint  thread;
} Helper;

static gpointer
helper_main (gpointer data)
{
  Helper *h = data;
  Pool *p = h->pool;
  gint seen = 0;

  for (;;)
    {
      gint64 until = g_get_monotonic_time () + SPIN_US;
      guint spins = 0;

      /* Poll for a while; then sleep until woken. */
      while (g_atomic_int_get (&p->generation) == seen)
        {
          if ((++spins & 63) == 0 && g_get_monotonic_time () > until)
            {
              g_mutex_lock (&p->lock);
              g_atomic_int_inc (&p->n_sleeping);
              while (g_atomic_int_get (&p->generation) == seen)
                g_cond_wait (&p->wake, &p->lock);
              g_atomic_int_add (&p->n_sleeping, -1);
              g_mutex_unlock (&p->lock);
              break;
            }
          cpu_relax ();
        }
      seen = g_atomic_int_get (&p->generation);
      run_chunks (p, atomic_load (&p->current), h->thread);
    }
  return NULL;
}

static Pool *
pool_get (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      const char *env = g_getenv ("SPK_THREADS");
      guint n = env ? (guint) CLAMP (atoi (env), 1, MAX_THREADS)
                    : CLAMP (g_get_num_processors (), 1, MAX_THREADS);
      Pool *p = g_aligned_alloc0 (1, sizeof (Pool), 64);

      g_mutex_init (&p->lock);
      g_cond_init (&p->wake);
      /* Job 0 took every chunk: none is open until job 1. */
      atomic_init (&p->current, 0);
      for (guint c = 0; c < N_CHUNKS; c++)
        atomic_init (&p->claim[c].job, 0);
      p->n_helpers = n - 1;
      pool = p;
      /* Helpers live as long as the process, like OpenBLAS's. */
      for (guint i = 0; i < p->n_helpers; i++)
        {
          Helper *h = g_new (Helper, 1);

          h->pool = p;
          h->thread = i + 1;
          g_thread_unref (g_thread_new ("spk-pool", helper_main, h));
        }
      g_once_init_leave (&once, 1);
    }
  return pool;
}

guint
spk_pool_get_n_threads (void)
{
  return pool_get ()->n_helpers + 1;
}

void
spk_pool_for (SpkPoolFunc func,
              gpointer    data,
              gsize       n,
              gsize       grain,
              gsize       min_n)
{
  Pool *p;
  gint64 t0, t1;

  grain = MAX (grain, 1);
  /* Small work never starts the helpers: a process that only runs small
   * networks has none. */
  if (n < MAX (min_n, 2 * grain))
    {
      func (data, 0, n);
      return;
    }
  p = pool_get ();
  if (p->n_helpers == 0 || !g_atomic_int_compare_and_exchange (&p->busy, 0, 1))
    {
      func (data, 0, n);
      return;
    }
  if (p->alone > 0)
    {
      p->alone--;
      g_atomic_int_set (&p->busy, 0);
      func (data, 0, n);
      return;
    }
  p->func = func;
  p->data = data;
  p->n = n;
  p->chunk = ((n + N_CHUNKS - 1) / N_CHUNKS + grain - 1) / grain * grain;
  p->job++;
  g_atomic_int_set (&p->done, 0);
  /* Makes the job current: everything above is visible to a claimer. */
  atomic_store (&p->current, p->job);
  g_atomic_int_inc (&p->generation);
  if (g_atomic_int_get (&p->n_sleeping) > 0)
    {
      g_mutex_lock (&p->lock);
      g_cond_broadcast (&p->wake);
      g_mutex_unlock (&p->lock);
    }

  t0 = g_get_monotonic_time ();
  run_chunks (p, p->job, 0);
  t1 = g_get_monotonic_time ();
  while (g_atomic_int_get (&p->done) < N_CHUNKS)
    cpu_relax ();
  /* Waiting on the helpers for more than a third of the time it worked
   * means they are not getting their cores. */
  if ((g_get_monotonic_time () - t1) * 3 > t1 - t0 + 1)
    {
      if (++p->starved >= STARVED_CALLS)
        p->starved = 0, p->alone = ALONE_CALLS;
    }
  else
    p->starved = 0;
  g_atomic_int_set (&p->busy, 0);
}
