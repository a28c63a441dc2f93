/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-runner.c — one simulator in a worker thread: commands in, probe
 * samples out through lock-free rings, status and events back to the main
 * context.
 *
 * CONTRACT
 * - The owner thread is the one that called spk_runner_new (); its
 *   thread-default GMainContext at that moment receives every event.  All
 *   public functions are for the owner thread only (the clock given to the
 *   runner may be advanced from anywhere).
 * - Commands are queued under `lock` and flagged in `pending`; the worker
 *   checks the flag (one atomic load) between steps and takes the lock only
 *   to pop the queue, never while it steps.  A command therefore waits for
 *   at most the step in progress.  When paused, or ahead of the wall clock,
 *   the worker sleeps on `cond`, which every command signals.
 * - Only the worker touches the simulator.  After steps it copies the new
 *   probe samples, in batches, into one SpkRunnerRing per probe; the owner
 *   reads the rings without locking (spk-runner-ring.c).
 * - Events are queued under `events_lock` and a GSource on the owner's
 *   context is made ready; its dispatch drains the queue in order.  The
 *   rings belong to a refcounted RingSet: a new plan comes with new rings,
 *   the worker fills them from the swap on, and the owner switches to them
 *   when it dispatches PLAN_CHANGED, so a probe index always means the same
 *   probe to the reader.
 */
#define G_LOG_DOMAIN "spk-runner"

#include "spk-runner-private.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "core/spk-error.h"
/* For carrying signal state over to a rebuilt plan with the same layout. */
#include "sim/spk-simulator-private.h"

/* Steps between copies of probe samples into the rings while running: the
 * copy is cheap but not free, and a plot redraws at most every 16 ms. */
#define FLUSH_STEPS 16
/* Steps per call of the simulator while running: commands are looked at
 * between calls, so this bounds how long one waits (16 steps of chain-100
 * are about 0.2 ms), while the simulator's per-call costs are spread thin. */
#define CHUNK_STEPS 16
/* Clock time between periodic status reports while running. */
#define STATUS_INTERVAL_US (100 * 1000)
/* How far the simulation may fall behind the paced wall clock before it
 * stops trying to catch up, runs as fast as it can and says so. */
#define MAX_LAG_US (100 * 1000)
/* A status interval that ran fewer than this share of the steps its rate
 * asks for reports the run as behind. */
#define BEHIND_FRACTION 0.9
/* Default ring size: room for this many values per probe, bounded below
 * and above in samples. */
#define RING_BUDGET_VALUES (1u << 19)
#define RING_MIN_SAMPLES   256u
#define RING_MAX_SAMPLES   8192u
/* Spike probes at least this wide get a sparse ring (see
 * spk-runner-private.h); narrower ones cost little either way. */
#define SPARSE_MIN_WIDTH   64u

typedef struct
{
  SpkPlan        *plan;
  guint           n_rings;
  SpkRunnerRing **rings;
} RingSet;

typedef enum
{
  CMD_RUN,
  CMD_PAUSE,
  CMD_STEP,
  CMD_RESET,
  CMD_RATE,
  CMD_NODE_OUTPUT,
  CMD_PLAN,
  CMD_SNAPSHOT,
  CMD_FLUSH,
  CMD_QUIT,
} CommandKind;

/* A snapshot the owner waits for: done under lock once func has run. */
typedef struct
{
  SpkRunnerSnapshotFunc  func;
  gpointer               data;
  GMutex                 lock;
  GCond                  cond;
  gboolean               done;
} Snapshot;

typedef struct
{
  CommandKind  kind;
  guint64      n_steps;     /* RUN */
  double       rate;        /* RATE */
  char        *label;       /* NODE_OUTPUT */
  double      *values;      /* NODE_OUTPUT, NULL for the model's value */
  guint        n_values;
  RingSet     *rings;       /* PLAN: the new plan and its rings */
  SpkRunnerCarry carry;     /* PLAN */
  Snapshot    *snapshot;    /* SNAPSHOT: the owner's, on its stack */
} Command;

typedef struct
{
  SpkRunnerEvent  event;
  GError         *error;
  RingSet        *rings;    /* PLAN_CHANGED */
} QueuedEvent;

typedef struct
{
  GSource    source;
  SpkRunner *runner;
} EventSource;

typedef struct
{
  GArray *values;           /* double */
} Slider;

/* The worker's own state: touched by the worker thread only (and by
 * spk_runner_new () before the thread starts). */
typedef struct
{
  SpkSimulator   *sim;
  RingSet        *rings;
  guint64        *copied;        /* per probe: samples already offered */
  gboolean       *kept;          /* per probe: its record is kept while
                                  * streaming only (NULL: to be worked out) */
  guint           kept_serial;   /* of the labels kept was worked out from */
  gboolean        direct;        /* streaming only: the sparse rings are
                                  * fed by the simulator's record hook */
  GHashTable     *sliders;       /* node label → GArray of double */
  SpkRunnerState  state;
  guint64         steps_left;
  gint64          run_start;     /* clock time a run of N steps began */
  double          run_seconds;   /* the last such run, start to last step */
  guint64         total_steps;
  guint64         resets;        /* resets done, for the rings' epochs */
  guint           unflushed;
  double          rate;
  double          period_us;     /* wall time per step at rate */
  gint64          origin;        /* pacing: step i since origin is due at */
  guint64         paced_steps;   /*   origin + i × period_us */
  gboolean        behind;
  gint64          status_time;   /* last periodic status */
  guint64         status_steps;
  double          steps_per_second;
} Worker;

struct _SpkRunner
{
  /* Fixed at creation. */
  guint           batch;
  guint           buffer_samples;
  SpkRunnerClock *clock;
  GMainContext   *context;
  GSource        *source;
  GThread        *thread;

  /* Owner thread only. */
  RingSet            *rings;
  guint64             resets_seen;  /* RESET events dispatched */
  gboolean            hold_resets;
  SpkRunnerStatus     status;
  SpkRunnerEventFunc  func;
  gpointer            func_data;
  GDestroyNotify      func_destroy;
  gboolean            shut_down;

  /* Commands: the queue under lock, pending set while it is not empty. */
  GMutex          lock;
  GCond           cond;
  GQueue          commands;
  atomic_int      pending;
  /* Set by the owner, read by the worker at each copy to the rings. */
  atomic_int      stream_only;
  atomic_int      parallel;      /* -1: the simulator's own choice */
  atomic_int      flush_asked;   /* a CMD_FLUSH is on its way */
  /* The labels of the kept probes, under lock; kept_serial counts changes. */
  GStrv           kept_labels;
  atomic_uint     kept_serial;

  /* Events, worker → owner. */
  GMutex          events_lock;
  GQueue          events;

  Worker          w;
};

/* Ring sets */

/* Whether probe p records the output of spiking neurons unfiltered (a
 * raster's probe): its samples are mostly zeros, so its ring keeps only
 * the spikes. */
static gboolean
probe_is_spikes (SpkPlan *plan,
                 guint    p)
{
  const SpkPlanProbe *probe = g_ptr_array_index (plan->probes, p);

  for (guint o = 0; o < plan->ops->len; o++)
    {
      const SpkPlanOp *op = g_ptr_array_index (plan->ops, o);

      if (op->kind != SPK_OP_NEURONS || !spk_neuron_type_is_spiking (op->neuron_type))
        continue;
      for (guint i = 0; i < op->items->len; i++)
        {
          const SpkOpItem *item = spk_plan_op_item (op, i);

          if (item->dst.sig == probe->view.sig && probe->view.off >= item->dst.off
              && probe->view.off + probe->view.len <= item->dst.off + item->dst.len)
            return TRUE;
        }
    }
  return FALSE;
}

static RingSet *
ring_set_new (SpkPlan *plan,
              guint    batch,
              guint    buffer_samples)
{
  RingSet *set = g_atomic_rc_box_new0 (RingSet);

  set->plan = spk_plan_ref (plan);
  set->n_rings = spk_plan_get_n_probes (plan);
  set->rings = g_new0 (SpkRunnerRing *, MAX (set->n_rings, 1));
  for (guint p = 0; p < set->n_rings; p++)
    {
      guint width = batch * spk_plan_get_probe_size (plan, p);
      guint samples = buffer_samples;

      if (samples == 0)
        samples = CLAMP (RING_BUDGET_VALUES / MAX (width, 1), RING_MIN_SAMPLES, RING_MAX_SAMPLES);
      if (width >= SPARSE_MIN_WIDTH && probe_is_spikes (plan, p))
        {
          /* As many samples as a dense ring of this width: a reader that
           * keeps every sample (a plot of filtered spikes stores each
           * neuron's value) then has no more to take in a frame than
           * before.  Entries for a full ring of dense samples when the size
           * is asked for, so such a ring drops exactly what a dense one
           * would; by default the value budget, which holds thousands of
           * steps of typical firing. */
          guint64 capacity = (guint64) 1 << g_bit_storage (MAX (samples, 2) - 1);
          guint64 entries = buffer_samples > 0 ? capacity * width
                                               : MAX (RING_BUDGET_VALUES, 4 * (guint64) width);

          set->rings[p] = _spk_runner_ring_new_sparse (width, capacity,
                                                       (guint64) 1 << g_bit_storage (entries - 1),
                                                       plan->dtype == SPK_DTYPE_FLOAT32);
          continue;
        }
      /* Rounded up to a power of two, so a slot is an index & mask. */
      set->rings[p] = _spk_runner_ring_new (width, (guint64) 1 << g_bit_storage (MAX (samples, 2) - 1));
    }
  return set;
}

static void
ring_set_clear (gpointer data)
{
  RingSet *set = data;

  for (guint p = 0; p < set->n_rings; p++)
    _spk_runner_ring_free (set->rings[p]);
  g_free (set->rings);
  spk_plan_unref (set->plan);
}

static RingSet *
ring_set_ref (RingSet *set)
{
  return g_atomic_rc_box_acquire (set);
}

static void
ring_set_unref (RingSet *set)
{
  if (set != NULL)
    g_atomic_rc_box_release_full (set, ring_set_clear);
}

static void
command_free (Command *cmd)
{
  g_free (cmd->label);
  g_free (cmd->values);
  ring_set_unref (cmd->rings);
  g_free (cmd);
}

static void
queued_event_free (QueuedEvent *qe)
{
  g_clear_error (&qe->error);
  ring_set_unref (qe->rings);
  g_free (qe);
}

/* Worker → owner */

static void
fill_status (SpkRunner       *self,
             SpkRunnerStatus *status)
{
  Worker *w = &self->w;

  status->state = w->state;
  status->n_steps = spk_simulator_get_n_steps (w->sim);
  status->time = spk_simulator_get_time (w->sim);
  status->total_steps = w->total_steps;
  status->steps_left = w->steps_left;
  status->steps_per_second = w->steps_per_second;
  status->rate = w->rate;
  status->behind = w->behind;
  status->run_seconds = w->run_seconds;
}

/* Takes error and rings. */
static void
post_event (SpkRunner          *self,
            SpkRunnerEventKind  kind,
            GError             *error,
            RingSet            *rings,
            gboolean            state_kept)
{
  QueuedEvent *qe = g_new0 (QueuedEvent, 1);

  qe->event.kind = kind;
  fill_status (self, &qe->event.status);
  qe->event.state_kept = state_kept;
  qe->error = error;
  qe->rings = rings;
  spk_runner_lock (&self->events_lock);
  g_queue_push_tail (&self->events, qe);
  spk_runner_unlock (&self->events_lock);
  /* Thread-safe, and wakes the owner's context. */
  g_source_set_ready_time (self->source, 0);
}

static gboolean
event_source_dispatch (GSource     *source,
                       GSourceFunc  callback,
                       gpointer     user_data)
{
  g_autoptr (SpkRunner) self = spk_runner_ref (((EventSource *) source)->runner);

  /* Unready before draining: an event queued after the drain makes the
   * source ready again. */
  g_source_set_ready_time (source, -1);
  for (;;)
    {
      QueuedEvent *qe;

      spk_runner_lock (&self->events_lock);
      qe = g_queue_pop_head (&self->events);
      spk_runner_unlock (&self->events_lock);
      if (qe == NULL)
        break;
      self->status = qe->event.status;
      if (qe->rings)
        {
          ring_set_unref (self->rings);
          self->rings = g_steal_pointer (&qe->rings);
        }
      qe->event.error = qe->error;
      if (self->func)
        self->func (self, &qe->event, self->func_data);
      /* Held samples of the new run are released only once the handler
       * has seen the reset: a handler that drains the old run's samples
       * and then clears must not take (and clear away) the new run's. */
      if (qe->event.kind == SPK_RUNNER_EVENT_RESET)
        self->resets_seen++;
      queued_event_free (qe);
      if (g_source_is_destroyed (source))
        break;
    }
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs event_source_funcs = {
  .dispatch = event_source_dispatch,
};

/* The worker */

/* Copies the samples recorded since the last flush into the rings.
 * Streaming only, the simulator's records are emptied once copied, so they
 * stay a few samples long: no memory grows during a long run and the
 * copies stay in cache. */
/* The simulator's record hook while streaming only: each step's samples
 * go from the signals straight into the rings, with no record (and, for
 * spikes, no thousands of zeros) in between. */
static void
record_hook_cb (SpkSimulator *sim,
                gpointer      data)
{
  Worker *w = data;

  for (guint p = 0; p < w->rings->n_rings; p++)
    /* A kept probe's samples go through its record (flush_samples ()). */
    if (w->kept != NULL && w->kept[p])
      continue;
    else if (w->rings->rings[p]->sparse)
      _spk_runner_ring_push_sparse_now (w->rings->rings[p], sim, p, w->resets);
    else
      _spk_runner_ring_push_dense_now (w->rings->rings[p], sim, p, w->resets);
}

/* Turns the record hook on or off, once the records are flushed. */
static void
set_direct (Worker   *w,
            gboolean  direct)
{
  g_autofree gboolean *unrecorded = g_new0 (gboolean, MAX (w->rings->n_rings, 1));

  for (guint p = 0; p < w->rings->n_rings; p++)
    unrecorded[p] = !w->kept[p];
  if (direct && w->rings->n_rings > 0)
    _spk_simulator_set_record_hook (w->sim, record_hook_cb, w, unrecorded);
  else
    _spk_simulator_set_record_hook (w->sim, NULL, NULL, NULL);
  w->direct = direct;
}

/* Works out which probes of the plan keep their record (after a new plan
 * or a new set of labels). */
static void
update_kept (SpkRunner *self)
{
  Worker *w = &self->w;
  guint serial = atomic_load_explicit (&self->kept_serial, memory_order_acquire);
  SpkPlan *plan = spk_simulator_get_plan (w->sim);

  if (w->kept != NULL && w->kept_serial == serial)
    return;
  g_free (w->kept);
  w->kept = g_new0 (gboolean, MAX (w->rings->n_rings, 1));
  spk_runner_lock (&self->lock);
  for (guint p = 0; p < w->rings->n_rings && self->kept_labels != NULL; p++)
    w->kept[p] = g_strv_contains ((const char * const *) self->kept_labels, spk_plan_get_probe_label (plan, p));
  spk_runner_unlock (&self->lock);
  w->kept_serial = serial;
  /* The record hook must learn the new flags. */
  if (w->direct)
    set_direct (w, TRUE);
}

static void
flush_samples (SpkRunner *self)
{
  Worker *w = &self->w;
  gboolean stream_only = atomic_load_explicit (&self->stream_only, memory_order_relaxed);
  int parallel;

  update_kept (self);
  for (guint p = 0; p < w->rings->n_rings; p++)
    {
      guint64 n = spk_simulator_get_probe_n_samples (w->sim, p);

      /* A kept probe's samples are never dropped: what does not fit waits
       * in its record, which is kept anyway, until the reader makes room
       * and asks for it (CMD_FLUSH).  A lesson's check reads them all,
       * however fast the run (the others are offered as they come, by the
       * hook while streaming only, and dropped from a full buffer). */
      if (w->kept[p])
        {
          if (n > w->copied[p])
            w->copied[p] = _spk_runner_ring_push_from_simulator (w->rings->rings[p], w->sim, p, w->copied[p], n,
                                                                 w->resets, TRUE);
          continue;
        }
      if (n > w->copied[p])
        _spk_runner_ring_push_from_simulator (w->rings->rings[p], w->sim, p, w->copied[p], n, w->resets, FALSE);
      w->copied[p] = n;
      if (stream_only && n > 0 && !w->kept[p])
        {
          spk_simulator_clear_probe (w->sim, p);
          w->copied[p] = 0;
        }
    }
  w->unflushed = 0;
  if (stream_only != w->direct)
    set_direct (w, stream_only);
  parallel = atomic_load_explicit (&self->parallel, memory_order_relaxed);
  if (parallel >= 0)
    spk_simulator_set_parallel (w->sim, parallel);
}

static void
restart_pacing (Worker *w,
                gint64  now)
{
  w->origin = now;
  w->paced_steps = 0;
  w->period_us = w->rate > 0 ? spk_plan_get_dt (spk_simulator_get_plan (w->sim)) * 1e6 / w->rate : 0;
}

static void
post_status (SpkRunner *self)
{
  post_event (self, SPK_RUNNER_EVENT_STATUS, NULL, NULL, FALSE);
}

static void
periodic_status (SpkRunner *self,
                 gint64     now)
{
  Worker *w = &self->w;

  if (now - w->status_time < STATUS_INTERVAL_US)
    return;
  w->steps_per_second = (double) (w->total_steps - w->status_steps) * 1e6
                        / (double) (now - w->status_time);
  /* Behind when this interval ran clearly fewer steps than the rate asks
   * (a network a little too slow never builds up MAX_LAG_US of debt
   * within one interval, since the debt is forgiven each time). */
  if (w->rate > 0 && w->period_us > 0
      && (double) (w->total_steps - w->status_steps) < BEHIND_FRACTION * (double) (now - w->status_time) / w->period_us)
    w->behind = TRUE;
  post_status (self);
  w->status_time = now;
  w->status_steps = w->total_steps;
  /* Behind is about the interval just reported. */
  w->behind = FALSE;
}

static void
command_failed (SpkRunner  *self,
                GError     *error)
{
  post_event (self, SPK_RUNNER_EVENT_COMMAND_FAILED, error, NULL, FALSE);
}

static gboolean
refuse_in_error (SpkRunner *self)
{
  if (self->w.state != SPK_RUNNER_STATE_ERROR)
    return FALSE;
  command_failed (self, g_error_new_literal (SPK_SIM_ERROR, SPK_SIM_ERROR_INPUT,
                                             _("the simulation stopped on an error; reset it first")));
  return TRUE;
}

/* Runs n ≥ 1 steps in one call of the simulator; on failure the run stops
 * in the error state.  (One call per step would pay the simulator's
 * per-call NaN scan and record reservation on every step.) */
static gboolean
worker_steps (SpkRunner *self,
              guint64    n)
{
  Worker *w = &self->w;
  g_autoptr (GError) error = NULL;
  guint64 before = spk_simulator_get_n_steps (w->sim);
  gboolean ok = spk_simulator_run_steps (w->sim, n, &error);

  w->total_steps += spk_simulator_get_n_steps (w->sim) - before;
  w->unflushed += (guint) n;
  if (!ok)
    {
      flush_samples (self);
      w->state = SPK_RUNNER_STATE_ERROR;
      w->steps_left = 0;
      post_event (self, SPK_RUNNER_EVENT_ERROR, g_steal_pointer (&error), NULL, FALSE);
      return FALSE;
    }
  if (w->unflushed >= FLUSH_STEPS)
    flush_samples (self);
  return TRUE;
}

static void
apply_sliders (SpkRunner *self)
{
  Worker *w = &self->w;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, w->sliders);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GArray *values = value;

      /* A slider whose Node went away or changed size is dropped. */
      if (!spk_simulator_set_node_output (w->sim, key, (const double *) values->data, NULL))
        g_hash_table_iter_remove (&iter);
    }
}

static gboolean
same_layout (SpkSimulator *a,
             SpkSimulator *b)
{
  GPtrArray *sa = a->plan->signals, *sb = b->plan->signals;

  if (a->plan->dtype != b->plan->dtype || a->arena_len != b->arena_len || sa->len != sb->len)
    return FALSE;
  for (guint s = 0; s < sa->len; s++)
    if (((SpkPlanSignal *) g_ptr_array_index (sa, s))->size
        != ((SpkPlanSignal *) g_ptr_array_index (sb, s))->size)
      return FALSE;
  return TRUE;
}

/* A run that goes on in a new plan keeps the records of its kept probes:
 * each moves to the probe of the same label and size in the new plan
 * (whose records are still empty). */
static void
carry_kept_records (Worker       *w,
                    SpkSimulator *sim)
{
  SpkPlan *old_plan = spk_simulator_get_plan (w->sim), *new_plan = spk_simulator_get_plan (sim);

  for (guint p = 0; w->kept != NULL && p < w->rings->n_rings; p++)
    {
      const char *label = spk_plan_get_probe_label (old_plan, p);
      int q = spk_plan_find_probe (new_plan, label);

      if (!w->kept[p] || q < 0 || spk_plan_get_probe_size (new_plan, q) != spk_plan_get_probe_size (old_plan, p))
        continue;
      {
        ProbeRecord swap = sim->records[q];

        sim->records[q] = w->sim->records[p];
        w->sim->records[p] = swap;
      }
    }
}

static void
swap_plan (SpkRunner *self,
           Command   *cmd)
{
  Worker *w = &self->w;
  g_autoptr (GError) error = NULL;
  SpkSimulator *sim = spk_simulator_new (cmd->rings->plan, self->batch, &error);
  gboolean kept = FALSE;

  if (sim == NULL)
    {
      command_failed (self, g_steal_pointer (&error));
      return;
    }
  flush_samples (self);
  if (cmd->carry != SPK_RUNNER_CARRY_NONE && w->state != SPK_RUNNER_STATE_ERROR)
    {
      if (same_layout (w->sim, sim))
        {
          memcpy (sim->arena, w->sim->arena, sim->arena_len * sim->elem_size);
          sim->step = w->sim->step;
          kept = TRUE;
        }
      else if (cmd->carry == SPK_RUNNER_CARRY_BY_NAME)
        kept = spk_simulator_carry_state (sim, w->sim);
      if (kept)
        carry_kept_records (w, sim);
    }
  spk_simulator_free (w->sim);
  w->sim = sim;
  ring_set_unref (w->rings);
  w->rings = ring_set_ref (cmd->rings);
  g_free (w->copied);
  w->copied = g_new0 (guint64, MAX (w->rings->n_rings, 1));
  g_clear_pointer (&w->kept, g_free);
  /* A new simulator records everything until the next flush. */
  w->direct = FALSE;
  apply_sliders (self);
  if (cmd->carry == SPK_RUNNER_CARRY_NONE || w->state == SPK_RUNNER_STATE_ERROR)
    {
      w->state = SPK_RUNNER_STATE_PAUSED;
      w->steps_left = 0;
    }
  restart_pacing (w, spk_runner_clock_get_time (self->clock));
  post_event (self, SPK_RUNNER_EVENT_PLAN_CHANGED, NULL, ring_set_ref (cmd->rings), kept);
}

/* Applies one command; FALSE for quit. */
static gboolean
apply_command (SpkRunner *self,
               Command   *cmd)
{
  Worker *w = &self->w;
  g_autoptr (GError) error = NULL;

  switch (cmd->kind)
    {
    case CMD_RUN:
      if (refuse_in_error (self))
        break;
      w->state = SPK_RUNNER_STATE_RUNNING;
      w->steps_left = cmd->n_steps;
      w->run_start = spk_runner_clock_get_time (self->clock);
      restart_pacing (w, w->run_start);
      /* Speed and lag are measured over running time only. */
      w->status_time = w->run_start;
      w->status_steps = w->total_steps;
      w->behind = FALSE;
      post_status (self);
      break;

    case CMD_PAUSE:
      if (w->state == SPK_RUNNER_STATE_RUNNING)
        w->state = SPK_RUNNER_STATE_PAUSED;
      w->steps_left = 0;
      flush_samples (self);
      post_status (self);
      break;

    case CMD_STEP:
      if (refuse_in_error (self))
        break;
      w->state = SPK_RUNNER_STATE_PAUSED;
      w->steps_left = 0;
      if (worker_steps (self, 1))
        {
          flush_samples (self);
          post_status (self);
        }
      break;

    case CMD_RESET:
      flush_samples (self);
      spk_simulator_reset (w->sim);
      memset (w->copied, 0, MAX (w->rings->n_rings, 1) * sizeof (guint64));
      /* What a kept probe held back belonged to the run just ended. */
      for (guint p = 0; p < w->rings->n_rings; p++)
        atomic_store (&w->rings->rings[p]->held, FALSE);
      w->resets++;
      w->state = SPK_RUNNER_STATE_PAUSED;
      w->steps_left = 0;
      post_event (self, SPK_RUNNER_EVENT_RESET, NULL, NULL, FALSE);
      break;

    case CMD_RATE:
      w->rate = cmd->rate;
      w->behind = FALSE;
      restart_pacing (w, spk_runner_clock_get_time (self->clock));
      post_status (self);
      break;

    case CMD_NODE_OUTPUT:
      if (!spk_simulator_set_node_output (w->sim, cmd->label, cmd->values, &error))
        command_failed (self, g_steal_pointer (&error));
      else if (cmd->values)
        {
          GArray *values = g_array_sized_new (FALSE, FALSE, sizeof (double), cmd->n_values);

          g_array_append_vals (values, cmd->values, cmd->n_values);
          g_hash_table_replace (w->sliders, g_strdup (cmd->label), values);
        }
      else
        g_hash_table_remove (w->sliders, cmd->label);
      break;

    case CMD_PLAN:
      swap_plan (self, cmd);
      break;

    case CMD_SNAPSHOT:
      cmd->snapshot->func (w->sim, cmd->snapshot->data);
      /* The annotated lock: GMutex is a futex ThreadSanitizer cannot see. */
      spk_runner_lock (&cmd->snapshot->lock);
      cmd->snapshot->done = TRUE;
      g_cond_signal (&cmd->snapshot->cond);
      spk_runner_unlock (&cmd->snapshot->lock);
      break;

    case CMD_FLUSH:
      atomic_store (&self->flush_asked, FALSE);
      flush_samples (self);
      break;

    case CMD_QUIT:
      flush_samples (self);
      return FALSE;
    }
  return TRUE;
}

/* Pops and applies every queued command; FALSE once told to quit. */
static gboolean
apply_commands (SpkRunner *self)
{
  GQueue batch = G_QUEUE_INIT;
  gboolean go_on = TRUE;
  Command *cmd;

  spk_runner_lock (&self->lock);
  batch = self->commands;
  g_queue_init (&self->commands);
  atomic_store_explicit (&self->pending, 0, memory_order_relaxed);
  spk_runner_unlock (&self->lock);

  while ((cmd = g_queue_pop_head (&batch)))
    {
      if (go_on)
        go_on = apply_command (self, cmd);
      command_free (cmd);
    }
  return go_on;
}

/* Sleeps until a command arrives or, with deadline ≥ 0, the clock reaches
 * it.  Called with no samples pending, so the reader is never left waiting
 * on a sleeping worker. */
static void
worker_wait (SpkRunner *self,
             gint64     deadline)
{
  spk_runner_lock (&self->lock);
  while (g_queue_is_empty (&self->commands)
         && (deadline < 0 || spk_runner_clock_get_time (self->clock) < deadline))
    {
      if (deadline < 0)
        {
          SPK_TSAN_RELEASE (&self->lock);
          g_cond_wait (&self->cond, &self->lock);
          SPK_TSAN_ACQUIRE (&self->lock);
        }
      else
        _spk_runner_clock_wait_until (self->clock, &self->lock, &self->cond, deadline);
    }
  spk_runner_unlock (&self->lock);
}

static gpointer
worker_main (gpointer data)
{
  SpkRunner *self = data;
  Worker *w = &self->w;

  for (;;)
    {
      guint64 chunk;
      gint64 now;

      if (atomic_load_explicit (&self->pending, memory_order_acquire) && !apply_commands (self))
        break;
      if (w->state != SPK_RUNNER_STATE_RUNNING)
        {
          worker_wait (self, -1);
          continue;
        }

      now = spk_runner_clock_get_time (self->clock);
      chunk = CHUNK_STEPS;
      if (w->rate > 0)
        {
          gint64 due = w->origin + (gint64) ((double) (w->paced_steps + 1) * w->period_us);

          if (now < due)
            {
              flush_samples (self);
              periodic_status (self, now);
              worker_wait (self, due);
              continue;
            }
          if (now - due > MAX_LAG_US)
            {
              /* Too slow for this rate: forget the debt instead of
               * sprinting to repay it, and say so. */
              w->behind = TRUE;
              w->origin = now - (gint64) w->period_us;
              w->paced_steps = 0;
              chunk = 1;
            }
          else
            /* Only the steps already due. */
            chunk = MIN (chunk, (guint64) ((double) (now - w->origin) / w->period_us) - w->paced_steps);
          chunk = MAX (chunk, 1);
          w->paced_steps += chunk;
        }
      if (w->steps_left > 0)
        chunk = MIN (chunk, w->steps_left);
      periodic_status (self, now);

      if (!worker_steps (self, chunk))
        continue;
      if (w->steps_left > 0 && (w->steps_left -= chunk) == 0)
        {
          w->run_seconds = (spk_runner_clock_get_time (self->clock) - w->run_start) / 1e6;
          w->state = SPK_RUNNER_STATE_PAUSED;
          flush_samples (self);
          post_event (self, SPK_RUNNER_EVENT_FINISHED, NULL, NULL, FALSE);
        }
    }
  return NULL;
}

/* The owner's side */

/**
 * spk_runner_new:
 * @plan: the plan to run
 * @batch: rows of the simulator, ≥ 1
 * @clock: (nullable): the wall clock for pacing; NULL for the system clock
 * @buffer_samples: samples each probe's buffer holds, 0 for a default
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): a paused runner at t = 0
 */
SpkRunner *
spk_runner_new (SpkPlan         *plan,
                guint            batch,
                SpkRunnerClock  *clock,
                guint            buffer_samples,
                GError         **error)
{
  SpkRunner *self;
  SpkSimulator *sim;
  EventSource *source;

  g_return_val_if_fail (plan != NULL, NULL);
  g_return_val_if_fail (batch >= 1, NULL);

  sim = spk_simulator_new (plan, batch, error);
  if (sim == NULL)
    return NULL;

  self = g_atomic_rc_box_new0 (SpkRunner);
  self->batch = batch;
  self->buffer_samples = buffer_samples;
  self->clock = clock ? spk_runner_clock_ref (clock) : spk_runner_clock_new_system ();
  self->context = g_main_context_ref_thread_default ();
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->commands);
  atomic_init (&self->pending, 0);
  atomic_init (&self->stream_only, 0);
  atomic_init (&self->parallel, -1);
  atomic_init (&self->flush_asked, FALSE);
  g_mutex_init (&self->events_lock);
  g_queue_init (&self->events);

  self->rings = ring_set_new (plan, batch, buffer_samples);
  self->w.sim = sim;
  self->w.rings = ring_set_ref (self->rings);
  self->w.copied = g_new0 (guint64, MAX (self->rings->n_rings, 1));
  self->w.sliders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_array_unref);
  self->w.state = SPK_RUNNER_STATE_PAUSED;
  self->w.rate = SPK_RUNNER_RATE_UNLIMITED;
  self->w.status_time = spk_runner_clock_get_time (self->clock);
  fill_status (self, &self->status);

  source = (EventSource *) g_source_new (&event_source_funcs, sizeof (EventSource));
  source->runner = self;
  self->source = (GSource *) source;
  g_source_set_static_name (self->source, "SpkRunner events");
  g_source_set_ready_time (self->source, -1);
  g_source_attach (self->source, self->context);

  _spk_runner_clock_add_waiter (self->clock, &self->lock, &self->cond);
  self->thread = g_thread_new ("spk-runner", worker_main, self);
  return self;
}

SpkRunner *
spk_runner_ref (SpkRunner *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

static void
runner_clear (gpointer data)
{
  SpkRunner *self = data;
  Worker *w = &self->w;

  spk_runner_shutdown (self);
  g_source_destroy (self->source);
  g_source_unref (self->source);
  g_queue_clear_full (&self->events, (GDestroyNotify) queued_event_free);
  g_queue_clear_full (&self->commands, (GDestroyNotify) command_free);
  if (self->func_destroy)
    self->func_destroy (self->func_data);
  spk_simulator_free (w->sim);
  ring_set_unref (w->rings);
  g_free (w->copied);
  g_free (w->kept);
  g_strfreev (self->kept_labels);
  g_hash_table_unref (w->sliders);
  ring_set_unref (self->rings);
  g_main_context_unref (self->context);
  spk_runner_clock_unref (self->clock);
  g_mutex_clear (&self->events_lock);
  g_cond_clear (&self->cond);
  g_mutex_clear (&self->lock);
}

void
spk_runner_unref (SpkRunner *self)
{
  if (self != NULL)
    g_atomic_rc_box_release_full (self, runner_clear);
}

void
spk_runner_set_event_func (SpkRunner          *self,
                           SpkRunnerEventFunc  func,
                           gpointer            user_data,
                           GDestroyNotify      destroy)
{
  g_return_if_fail (self != NULL);

  if (self->func_destroy)
    self->func_destroy (self->func_data);
  self->func = func;
  self->func_data = user_data;
  self->func_destroy = destroy;
}

static Command *
command_new (CommandKind kind)
{
  Command *cmd = g_new0 (Command, 1);

  cmd->kind = kind;
  return cmd;
}

static void
send (SpkRunner *self,
      Command   *cmd)
{
  if (self->shut_down)
    {
      command_free (cmd);
      return;
    }
  spk_runner_lock (&self->lock);
  g_queue_push_tail (&self->commands, cmd);
  atomic_store_explicit (&self->pending, 1, memory_order_release);
  g_cond_signal (&self->cond);
  spk_runner_unlock (&self->lock);
}

void
spk_runner_run (SpkRunner *self,
                guint64    n_steps)
{
  Command *cmd;

  g_return_if_fail (self != NULL);
  cmd = command_new (CMD_RUN);
  cmd->n_steps = n_steps;
  send (self, cmd);
}

void
spk_runner_pause (SpkRunner *self)
{
  g_return_if_fail (self != NULL);
  send (self, command_new (CMD_PAUSE));
}

void
spk_runner_step (SpkRunner *self)
{
  g_return_if_fail (self != NULL);
  send (self, command_new (CMD_STEP));
}

void
spk_runner_reset (SpkRunner *self)
{
  g_return_if_fail (self != NULL);
  send (self, command_new (CMD_RESET));
}

void
spk_runner_set_rate (SpkRunner *self,
                     double     rate)
{
  Command *cmd;

  g_return_if_fail (self != NULL);
  g_return_if_fail (!isnan (rate));
  cmd = command_new (CMD_RATE);
  cmd->rate = rate <= 0 ? SPK_RUNNER_RATE_UNLIMITED : CLAMP (rate, SPK_RUNNER_RATE_MIN, SPK_RUNNER_RATE_MAX);
  send (self, cmd);
}

void
spk_runner_set_node_output (SpkRunner    *self,
                            const char   *node_label,
                            const double *values,
                            guint         n_values)
{
  Command *cmd;

  g_return_if_fail (self != NULL);
  g_return_if_fail (node_label != NULL);
  g_return_if_fail (values == NULL || n_values > 0);
  cmd = command_new (CMD_NODE_OUTPUT);
  cmd->label = g_strdup (node_label);
  cmd->values = values ? g_memdup2 (values, n_values * sizeof (double)) : NULL;
  cmd->n_values = n_values;
  send (self, cmd);
}

void
spk_runner_set_plan (SpkRunner      *self,
                     SpkPlan        *plan,
                     SpkRunnerCarry  carry)
{
  Command *cmd;

  g_return_if_fail (self != NULL);
  g_return_if_fail (plan != NULL);
  cmd = command_new (CMD_PLAN);
  cmd->rings = ring_set_new (plan, self->batch, self->buffer_samples);
  cmd->carry = carry;
  send (self, cmd);
}

void
spk_runner_shutdown (SpkRunner *self)
{
  g_return_if_fail (self != NULL);

  if (self->shut_down)
    return;
  send (self, command_new (CMD_QUIT));
  self->shut_down = TRUE;
  g_thread_join (self->thread);
  self->thread = NULL;
  _spk_runner_clock_remove_waiter (self->clock, &self->cond);
}

/**
 * spk_runner_get_plan:
 *
 * Returns: (transfer none): the plan the probe indices refer to
 */
void
spk_runner_set_kept_probes (SpkRunner          *self,
                            const char * const *labels)
{
  g_return_if_fail (self != NULL);

  spk_runner_lock (&self->lock);
  g_strfreev (self->kept_labels);
  self->kept_labels = g_strdupv ((char **) labels);
  atomic_fetch_add_explicit (&self->kept_serial, 1, memory_order_release);
  spk_runner_unlock (&self->lock);
}

gboolean
spk_runner_snapshot (SpkRunner             *self,
                     SpkRunnerSnapshotFunc  func,
                     gpointer               user_data)
{
  Snapshot snapshot = { .func = func, .data = user_data };
  Command *cmd;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (self->shut_down)
    return FALSE;
  g_mutex_init (&snapshot.lock);
  g_cond_init (&snapshot.cond);
  cmd = command_new (CMD_SNAPSHOT);
  cmd->snapshot = &snapshot;
  send (self, cmd);
  spk_runner_lock (&snapshot.lock);
  while (!snapshot.done)
    {
      SPK_TSAN_RELEASE (&snapshot.lock);
      g_cond_wait (&snapshot.cond, &snapshot.lock);
      SPK_TSAN_ACQUIRE (&snapshot.lock);
    }
  spk_runner_unlock (&snapshot.lock);
  g_mutex_clear (&snapshot.lock);
  g_cond_clear (&snapshot.cond);
  return TRUE;
}

void
spk_runner_set_stream_only (SpkRunner *self,
                            gboolean   stream_only)
{
  g_return_if_fail (self != NULL);

  atomic_store_explicit (&self->stream_only, stream_only ? 1 : 0, memory_order_relaxed);
}

void
spk_runner_set_parallel (SpkRunner *self,
                         gboolean   parallel)
{
  g_return_if_fail (self != NULL);

  atomic_store_explicit (&self->parallel, parallel ? 1 : 0, memory_order_relaxed);
}

void
spk_runner_set_hold_resets (SpkRunner *self,
                            gboolean   hold)
{
  g_return_if_fail (self != NULL);

  self->hold_resets = hold;
}

SpkPlan *
spk_runner_get_plan (SpkRunner *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->rings->plan;
}

void
spk_runner_get_status (SpkRunner       *self,
                       SpkRunnerStatus *status)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (status != NULL);
  *status = self->status;
}

guint
spk_runner_get_probe_width (SpkRunner *self,
                            guint      probe)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (probe < self->rings->n_rings, 0);
  return self->rings->rings[probe]->width;
}

guint
spk_runner_get_probe_capacity (SpkRunner *self,
                               guint      probe)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (probe < self->rings->n_rings, 0);
  return (guint) self->rings->rings[probe]->capacity;
}

/* After a read of n samples from ring: if the worker holds samples back
 * for want of room (a kept probe's), it is asked to offer them now that
 * there is some; while running it would at its next copy anyway, but a
 * paused worker sleeps until a command comes. */
static guint
ask_for_held (SpkRunner     *self,
              SpkRunnerRing *ring,
              guint          n)
{
  if (n > 0 && atomic_load (&ring->held) && !atomic_exchange (&self->flush_asked, TRUE))
    send (self, command_new (CMD_FLUSH));
  return n;
}

guint
spk_runner_read_probe (SpkRunner *self,
                       guint      probe,
                       double    *data,
                       double    *times,
                       guint      max_samples,
                       guint64   *n_lost)
{
  SpkRunnerRing *ring;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (probe < self->rings->n_rings, 0);
  ring = self->rings->rings[probe];
  return ask_for_held (self, ring,
                       _spk_runner_ring_read (ring, data, times, max_samples,
                                              self->hold_resets ? self->resets_seen : G_MAXUINT64, n_lost));
}

gboolean
spk_runner_probe_is_sparse (SpkRunner *self,
                            guint      probe)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (probe < self->rings->n_rings, FALSE);
  return self->rings->rings[probe]->sparse;
}

guint
spk_runner_read_probe_sparse (SpkRunner *self,
                              guint      probe,
                              guint32   *counts,
                              guint32   *index,
                              double    *values,
                              guint      max_entries,
                              double    *times,
                              guint      max_samples,
                              guint64   *n_lost)
{
  SpkRunnerRing *ring;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (probe < self->rings->n_rings, 0);
  ring = self->rings->rings[probe];
  g_return_val_if_fail (ring->sparse, 0);
  g_return_val_if_fail (counts != NULL && index != NULL && values != NULL, 0);
  g_return_val_if_fail (max_entries >= ring->width, 0);
  return ask_for_held (self, ring,
                       _spk_runner_ring_read_sparse (ring, counts, index, values, max_entries, times, max_samples,
                                                     self->hold_resets ? self->resets_seen : G_MAXUINT64, n_lost));
}
