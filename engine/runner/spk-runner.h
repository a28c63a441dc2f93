/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-runner.h — a simulator in a worker thread, streaming probe samples
 * live to the thread that owns it.
 *
 * The owner thread (the one that calls spk_runner_new (); in the workbench,
 * the GTK main thread) sends commands, which return at once and take effect
 * in the worker at the next step boundary, and drains probe samples with
 * spk_runner_read_probe () on its own clock.  Status and events come back to
 * the owner's thread-default GMainContext, in the order they happened.  See
 * docs/runner.md for the whole contract.
 */
#pragma once

#include <glib.h>

#include "builder/spk-plan.h"
#include "runner/spk-runner-clock.h"
#include "sim/spk-simulator.h"

G_BEGIN_DECLS

typedef struct _SpkRunner SpkRunner;

/* Real-time factors: 0.1× … 10×, or unlimited (as fast as it can). */
#define SPK_RUNNER_RATE_UNLIMITED 0.0
#define SPK_RUNNER_RATE_MIN       0.1
#define SPK_RUNNER_RATE_MAX       10.0

typedef enum
{
  SPK_RUNNER_STATE_PAUSED,
  SPK_RUNNER_STATE_RUNNING,
  SPK_RUNNER_STATE_ERROR,      /* a step failed; commands other than reset,
                                * a new plan and slider values are refused */
} SpkRunnerState;

typedef struct
{
  SpkRunnerState state;
  guint64        n_steps;          /* simulator steps since the last reset */
  double         time;             /* simulation time in seconds */
  guint64        total_steps;      /* every step run since creation, across
                                    * resets and plans */
  guint64        steps_left;       /* in a run of N steps; 0 when continuous */
  double         steps_per_second; /* over the last status interval */
  double         rate;             /* requested factor or SPK_RUNNER_RATE_UNLIMITED */
  gboolean       behind;           /* too slow for rate in the last interval:
                                    * running as fast as it can */
  double         run_seconds;      /* the last completed run of N steps, its
                                    * first step to its last, as the worker
                                    * timed it (0 before one); a benchmark's
                                    * measure, free of the owner's delay in
                                    * noticing the end */
} SpkRunnerStatus;

/* How a run goes on in a rebuilt plan (spk_runner_set_plan ()). */
typedef enum
{
  SPK_RUNNER_CARRY_NONE,        /* start again at t = 0, paused */
  SPK_RUNNER_CARRY_SAME_LAYOUT, /* go on when the two plans lay out their
                                 * signals alike (the same model, renamed) */
  SPK_RUNNER_CARRY_BY_NAME,     /* go on with every signal, random stream and
                                 * process of an object in both (the same
                                 * model with other probes: a plot added) */
} SpkRunnerCarry;

typedef enum
{
  SPK_RUNNER_EVENT_STATUS,         /* a state change, a command done, or a
                                    * periodic report while running */
  SPK_RUNNER_EVENT_FINISHED,       /* a run of N steps is done; now paused */
  SPK_RUNNER_EVENT_ERROR,          /* a step failed: the run stopped and the
                                    * state is ERROR until a reset */
  SPK_RUNNER_EVENT_COMMAND_FAILED, /* a command was refused; nothing changed */
  SPK_RUNNER_EVENT_RESET,          /* back to t = 0, paused */
  SPK_RUNNER_EVENT_PLAN_CHANGED,   /* the new plan is in use; probe indices
                                    * and spk_runner_get_plan () follow it */
} SpkRunnerEventKind;

typedef struct
{
  SpkRunnerEventKind  kind;
  SpkRunnerStatus     status;      /* right after the event */
  const GError       *error;       /* ERROR and COMMAND_FAILED, else NULL */
  gboolean            state_kept;  /* PLAN_CHANGED: the state carried over */
} SpkRunnerEvent;

typedef void (*SpkRunnerEventFunc) (SpkRunner            *runner,
                                    const SpkRunnerEvent *event,
                                    gpointer              user_data);

/* A paused runner at t = 0 of a new simulator of plan with batch rows.
 * clock NULL means the system clock; buffer_samples (0 for a default that
 * fits the probe's width) is how many samples each probe's buffer holds. */
SpkRunner   *spk_runner_new             (SpkPlan          *plan,
                                         guint             batch,
                                         SpkRunnerClock   *clock,
                                         guint             buffer_samples,
                                         GError          **error) G_GNUC_WARN_UNUSED_RESULT;
SpkRunner   *spk_runner_ref             (SpkRunner        *self);
/* The last reference must be dropped on the owner thread; it shuts down. */
void         spk_runner_unref           (SpkRunner        *self);

void         spk_runner_set_event_func  (SpkRunner          *self,
                                         SpkRunnerEventFunc  func,
                                         gpointer            user_data,
                                         GDestroyNotify      destroy);

/* Commands: owner thread; each returns at once. */
/* Runs n_steps steps (0: until paused), paced at the current rate. */
void         spk_runner_run             (SpkRunner        *self,
                                         guint64           n_steps);
void         spk_runner_pause           (SpkRunner        *self);
/* Pauses, then runs exactly one step. */
void         spk_runner_step            (SpkRunner        *self);
/* Back to t = 0, paused; clears an error.  Slider values stay. */
void         spk_runner_reset           (SpkRunner        *self);
/* A factor in [SPK_RUNNER_RATE_MIN, SPK_RUNNER_RATE_MAX] (clamped), or
 * SPK_RUNNER_RATE_UNLIMITED. */
void         spk_runner_set_rate        (SpkRunner        *self,
                                         double            rate);
/* Holds a constant source Node's output at values (n_values of them, its
 * size_out) from the next step on; NULL returns it to the model's value.
 * Slider values survive resets and plan changes. */
void         spk_runner_set_node_output (SpkRunner        *self,
                                         const char       *node_label,
                                         const double     *values,
                                         guint             n_values);
/* Swaps in a rebuilt plan at the next step boundary.  With carry other
 * than NONE, keeps running if it was, and goes on from the current time
 * and state when carry allows it (PLAN_CHANGED says whether it could;
 * spk_simulator_carry_state () says what BY_NAME takes), else from t = 0;
 * with NONE, starts at t = 0, paused.  A plan the simulator cannot take is reported as
 * COMMAND_FAILED and the old one stays. */
void         spk_runner_set_plan        (SpkRunner        *self,
                                         SpkPlan          *plan,
                                         SpkRunnerCarry    carry);
/* Stops the worker and waits for it (at most one step); later commands are
 * ignored.  Events already queued are still delivered. */
void         spk_runner_shutdown        (SpkRunner        *self);

/* Streaming only (off by default): the simulator keeps no record of the
 * probes beyond what it has not yet copied to the buffers, so a sample
 * dropped from a full buffer is lost for good.  For a consumer that keeps
 * its own copy (the workbench's plots); it halves the memory of a run and
 * keeps it from growing.  Takes effect at the next copy. */
void         spk_runner_set_stream_only (SpkRunner        *self,
                                         gboolean          stream_only);

/* Kept probes: while streaming only, the probes labelled in labels
 * (NULL: none) still keep their whole record in the worker's simulator,
 * also across a new plan that carries the state on (to the probe of the
 * same label), for spk_runner_snapshot () to read.  Their buffers drop
 * nothing: samples that do not fit wait in the record until a read makes
 * room (even while paused).  Takes effect at the next copy. */
void         spk_runner_set_kept_probes (SpkRunner          *self,
                                         const char * const *labels);

/* Called in the worker thread with its simulator, between two steps. */
typedef void (*SpkRunnerSnapshotFunc) (SpkSimulator *sim,
                                       gpointer      user_data);
/* Owner thread: has the worker call func with its simulator at the next
 * step boundary (after the commands sent before), and waits until it has
 * (at most a step).  func may read the simulator (its records, its
 * learned weights: spk_simulator_dup_params ()) but not change it, and
 * must not wait for the owner.  FALSE, without calling func, after
 * spk_runner_shutdown (). */
gboolean     spk_runner_snapshot        (SpkRunner             *self,
                                         SpkRunnerSnapshotFunc  func,
                                         gpointer               user_data);

/* Whether the worker's simulator splits large neuron updates between the
 * pool's threads (spk_simulator_set_parallel()); until this is called the
 * simulator decides.  An owner that needs the other core itself, such as
 * a window drawing live plots, turns it off.  Takes effect at the next
 * copy. */
void         spk_runner_set_parallel    (SpkRunner        *self,
                                         gboolean          parallel);

/* Held resets (off by default): spk_runner_read_probe () keeps back the
 * samples made after a reset until the RESET event's handler has returned,
 * so a consumer that drains and clears its view on RESET never clears away
 * the first samples of the new run.  Such a consumer must dispatch events
 * to read. */
void         spk_runner_set_hold_resets (SpkRunner        *self,
                                         gboolean          hold);

/* Owner thread: the plan the probe indices refer to (it changes when
 * PLAN_CHANGED is dispatched) and the status of the last event dispatched. */
SpkPlan     *spk_runner_get_plan        (SpkRunner        *self);
void         spk_runner_get_status      (SpkRunner        *self,
                                         SpkRunnerStatus  *status);
/* Values per sample of a probe (batch × probe size), and its buffer size. */
guint        spk_runner_get_probe_width    (SpkRunner     *self,
                                            guint          probe);
guint        spk_runner_get_probe_capacity (SpkRunner     *self,
                                            guint          probe);
/* Owner thread, never blocks: moves up to max_samples samples the worker
 * produced since the last read into data (max_samples × width, may be NULL)
 * and their times into times (may be NULL), oldest first, and returns how
 * many.  *n_lost (may be NULL) is how many samples were dropped since the
 * last read because the buffer was full; the simulator still has them
 * unless the runner streams only.  With held resets (below), samples made
 * after a reset wait until its RESET event has been dispatched. */
guint        spk_runner_read_probe      (SpkRunner        *self,
                                         guint             probe,
                                         double           *data,
                                         double           *times,
                                         guint             max_samples,
                                         guint64          *n_lost);

/* Whether a probe's buffer is sparse: the unfiltered output of spiking
 * neurons (a raster's probe), at least 64 wide, keeps only the nonzero
 * values of each sample.  spk_runner_read_probe () reads it as any other;
 * spk_runner_read_probe_sparse () reads it without expanding the zeros. */
gboolean     spk_runner_probe_is_sparse (SpkRunner        *self,
                                         guint             probe);
/* As spk_runner_read_probe (), for a sparse probe: sample i has counts[i]
 * nonzero values, stored one sample after the other in index (position
 * within the sample's width) and values.  Stops before a sample whose
 * values would not fit in max_entries (which must be at least the probe's
 * width, so one sample always fits). */
guint        spk_runner_read_probe_sparse (SpkRunner      *self,
                                           guint           probe,
                                           guint32        *counts,
                                           guint32        *index,
                                           double         *values,
                                           guint           max_entries,
                                           double         *times,
                                           guint           max_samples,
                                           guint64        *n_lost);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpkRunner, spk_runner_unref)

G_END_DECLS
