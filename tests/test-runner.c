/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-runner.c — the runner: run/pause/step/reset, sliders landing on the
 * next step, plan swaps at a step boundary, real-time pacing against a
 * manual clock, errors, lost samples, and a stress test of random commands.
 *
 * Nothing here is timed: pacing is driven by a manual clock, and waits are
 * for events or samples, which the suite's timeout bounds.
 */
#include <math.h>
#include <string.h>

#include "core/spk-error.h"
#include "runner/spk-runner.h"
#include "spk-test-util.h"

#define DT 0.001

typedef struct
{
  SpkRunnerEventKind kind;
  SpkRunnerStatus    status;
  GError            *error;
  gboolean           state_kept;
} Logged;

typedef struct
{
  SpkRunner      *runner;
  SpkRunnerClock *clock;
  GArray         *events;      /* Logged */
  guint           seen;        /* events already waited for */
} Fixture;

static void
logged_clear (gpointer data)
{
  g_clear_error (&((Logged *) data)->error);
}

static void
record_event_cb (SpkRunner            *runner,
                 const SpkRunnerEvent *event,
                 gpointer              user_data)
{
  Fixture *f = user_data;
  Logged logged = { event->kind, event->status, NULL, event->state_kept };

  if (event->error)
    logged.error = g_error_copy (event->error);
  g_array_append_val (f->events, logged);
}

/* A constant Node "input" of value, probed directly with no synapse, so
 * sample k is the Node's output at step k.  The plan borrows the Node (its
 * label names it for sliders), so the network goes to *keep to outlive it. */
static SpkPlan *
constant_plan (double       value,
               SpkNetwork **keep)
{
  SpkNetwork *net = *keep = tu_network (0, SPK_DTYPE_FLOAT64);
  SpkNode *input = tu_node_const (net, "input", &value, 1);
  g_autoptr (GError) error = NULL;
  SpkPlan *plan;

  tu_probe (net, "value", input, FALSE, NULL, -1);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  return plan;
}

static void
fixture_start (Fixture *f,
               SpkPlan *plan,
               gboolean manual_clock,
               guint    buffer_samples)
{
  g_autoptr (GError) error = NULL;

  f->events = g_array_new (FALSE, TRUE, sizeof (Logged));
  g_array_set_clear_func (f->events, logged_clear);
  f->clock = manual_clock ? spk_runner_clock_new_manual () : NULL;
  f->runner = spk_runner_new (plan, 1, f->clock, buffer_samples, &error);
  g_assert_no_error (error);
  spk_runner_set_event_func (f->runner, record_event_cb, f, NULL);
}

static void
fixture_stop (Fixture *f)
{
  spk_runner_shutdown (f->runner);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_pointer (&f->runner, spk_runner_unref);
  g_clear_pointer (&f->clock, spk_runner_clock_unref);
  g_array_unref (f->events);
}

/* Dispatches events until one of kind (after those already waited for)
 * arrives, and returns it. */
static const Logged *
wait_event (Fixture            *f,
            SpkRunnerEventKind  kind)
{
  for (;;)
    {
      while (f->seen < f->events->len)
        {
          const Logged *logged = &g_array_index (f->events, Logged, f->seen++);

          if (logged->kind == kind)
            return logged;
        }
      g_main_context_iteration (NULL, TRUE);
    }
}

/* Waits until the worker has applied every command sent so far, and
 * returns the last STATUS it posted for them (or NULL).  Events come in
 * order, so a command refused after them marks where they end. */
static const Logged *
sync_commands (Fixture *f,
               guint    from)
{
  const double value = 0;
  const Logged *status = NULL;

  spk_runner_set_node_output (f->runner, "sync-marker", &value, 1);
  wait_event (f, SPK_RUNNER_EVENT_COMMAND_FAILED);
  for (guint i = from; i + 1 < f->seen; i++)
    if (g_array_index (f->events, Logged, i).kind == SPK_RUNNER_EVENT_STATUS)
      status = &g_array_index (f->events, Logged, i);
  return status;
}

/* Runs continuously, once the worker is sure to be running. */
static void
run_and_sync (Fixture *f)
{
  guint from = f->events->len;
  const Logged *status;

  spk_runner_run (f->runner, 0);
  status = sync_commands (f, from);
  g_assert_nonnull (status);
  g_assert_cmpint (status->status.state, ==, SPK_RUNNER_STATE_RUNNING);
}

/* The STATUS that acknowledges a pause. */
static const Logged *
pause_and_wait (Fixture *f)
{
  guint from = f->events->len;
  const Logged *status;

  spk_runner_pause (f->runner);
  status = sync_commands (f, from);
  g_assert_nonnull (status);
  g_assert_cmpint (status->status.state, ==, SPK_RUNNER_STATE_PAUSED);
  return status;
}

/* Reads from probe 0 until n samples have come, polling: the worker posts
 * no event per sample. */
static void
read_n (Fixture *f,
        guint    n,
        double  *values,
        double  *times)
{
  guint got = 0;

  while (got < n)
    {
      guint64 lost = 0;
      guint k = spk_runner_read_probe (f->runner, 0, values + got, times + got, n - got, &lost);

      g_assert_cmpuint (lost, ==, 0);
      got += k;
      if (k == 0)
        g_usleep (100);
    }
}

static void
assert_nothing_more (Fixture *f)
{
  g_assert_cmpuint (spk_runner_read_probe (f->runner, 0, NULL, NULL, 1, NULL), ==, 0);
}

static void
test_run_pause_step_reset (void)
{
  g_autoptr (SpkNetwork) net_plan = NULL;
  g_autoptr (SpkPlan) plan = constant_plan (0.25, &net_plan);
  Fixture f = { 0 };
  double values[64], times[64];
  SpkRunnerStatus status;
  const Logged *logged;

  fixture_start (&f, plan, FALSE, 0);
  spk_runner_get_status (f.runner, &status);
  g_assert_cmpint (status.state, ==, SPK_RUNNER_STATE_PAUSED);
  g_assert_cmpuint (status.n_steps, ==, 0);

  /* One step: one sample at t = dt. */
  spk_runner_step (f.runner);
  logged = wait_event (&f, SPK_RUNNER_EVENT_STATUS);
  g_assert_cmpuint (logged->status.n_steps, ==, 1);
  g_assert_cmpint (logged->status.state, ==, SPK_RUNNER_STATE_PAUSED);
  read_n (&f, 1, values, times);
  g_assert_cmpfloat (values[0], ==, 0.25);
  g_assert_cmpfloat_with_epsilon (times[0], DT, 1e-12);

  /* run (10): exactly ten more, then FINISHED and paused. */
  spk_runner_run (f.runner, 10);
  logged = wait_event (&f, SPK_RUNNER_EVENT_FINISHED);
  g_assert_cmpuint (logged->status.n_steps, ==, 11);
  g_assert_cmpint (logged->status.state, ==, SPK_RUNNER_STATE_PAUSED);
  spk_runner_get_status (f.runner, &status);
  g_assert_cmpuint (status.n_steps, ==, 11);
  read_n (&f, 10, values, times);
  for (guint k = 0; k < 10; k++)
    g_assert_cmpfloat_with_epsilon (times[k], (k + 2) * DT, 1e-12);
  assert_nothing_more (&f);

  /* A continuous run stops at a pause; every step's sample arrives. */
  run_and_sync (&f);
  logged = pause_and_wait (&f);
  {
    guint64 n = logged->status.n_steps, got = 0, lost = 0, lost_total = 0;
    guint k;

    g_assert_cmpuint (n, >=, 11);
    /* Unread while running, the buffer may have overflowed: what was
     * dropped is counted. */
    while ((k = spk_runner_read_probe (f.runner, 0, values, times, G_N_ELEMENTS (values), &lost)) > 0
           || lost > 0)
      {
        got += k;
        lost_total += lost;
      }
    g_assert_cmpuint (got + lost_total, ==, n - 11);
  }

  /* Reset: back to t = 0, paused; the next step is at dt again. */
  spk_runner_reset (f.runner);
  logged = wait_event (&f, SPK_RUNNER_EVENT_RESET);
  g_assert_cmpuint (logged->status.n_steps, ==, 0);
  g_assert_cmpfloat (logged->status.time, ==, 0);
  g_assert_cmpint (logged->status.state, ==, SPK_RUNNER_STATE_PAUSED);
  spk_runner_step (f.runner);
  wait_event (&f, SPK_RUNNER_EVENT_STATUS);
  read_n (&f, 1, values, times);
  g_assert_cmpfloat_with_epsilon (times[0], DT, 1e-12);
  /* total_steps counts across the reset. */
  spk_runner_get_status (f.runner, &status);
  g_assert_cmpuint (status.n_steps, ==, 1);
  g_assert_cmpuint (status.total_steps, >=, 12);

  fixture_stop (&f);
}

/* A slider value lands on the step after the command, paused or running,
 * and survives a reset. */
static void
test_slider (void)
{
  g_autoptr (SpkNetwork) net_plan = NULL;
  g_autoptr (SpkPlan) plan = constant_plan (0.25, &net_plan);
  Fixture f = { 0 };
  const double high = 0.75;
  double values[16], times[16];
  const Logged *logged;

  fixture_start (&f, plan, TRUE, 0);
  spk_runner_step (f.runner);
  read_n (&f, 1, values, times);
  g_assert_cmpfloat (values[0], ==, 0.25);
  spk_runner_set_node_output (f.runner, "input", &high, 1);
  spk_runner_step (f.runner);
  read_n (&f, 1, values, times);
  g_assert_cmpfloat (values[0], ==, 0.75);

  /* While running at 1×: five steps of the old value, then the slider
   * moves between two clock ticks, and the next five steps have it. */
  spk_runner_set_node_output (f.runner, "input", NULL, 0);
  spk_runner_set_rate (f.runner, 1.0);
  run_and_sync (&f);
  spk_runner_clock_advance (f.clock, 5000);
  read_n (&f, 5, values, times);
  for (guint k = 0; k < 5; k++)
    g_assert_cmpfloat (values[k], ==, 0.25);
  spk_runner_set_node_output (f.runner, "input", &high, 1);
  sync_commands (&f, f.events->len);
  spk_runner_clock_advance (f.clock, 5000);
  read_n (&f, 5, values, times);
  for (guint k = 0; k < 5; k++)
    g_assert_cmpfloat (values[k], ==, 0.75);
  logged = pause_and_wait (&f);
  g_assert_cmpuint (logged->status.n_steps, ==, 12);
  assert_nothing_more (&f);

  /* Sliders survive a reset; an unknown Node is refused. */
  spk_runner_reset (f.runner);
  spk_runner_step (f.runner);
  read_n (&f, 1, values, times);
  g_assert_cmpfloat (values[0], ==, 0.75);
  spk_runner_set_node_output (f.runner, "no-such-node", &high, 1);
  logged = wait_event (&f, SPK_RUNNER_EVENT_COMMAND_FAILED);
  g_assert_error (logged->error, SPK_SIM_ERROR, SPK_SIM_ERROR_INPUT);

  fixture_stop (&f);
}

/* A plan swap lands between two steps: every sample before it is from the
 * old plan and every one after from the new, with time carried on. */
static void
test_plan_swap (void)
{
  g_autoptr (SpkNetwork) net_low = NULL;
  g_autoptr (SpkPlan) low = constant_plan (0.25, &net_low);
  g_autoptr (SpkNetwork) net_high = NULL;
  g_autoptr (SpkPlan) high = constant_plan (0.5, &net_high);
  Fixture f = { 0 };
  double values[16], times[16];
  const Logged *logged;

  fixture_start (&f, low, TRUE, 0);
  spk_runner_set_rate (f.runner, 1.0);
  run_and_sync (&f);
  spk_runner_clock_advance (f.clock, 5000);
  read_n (&f, 5, values, times);
  spk_runner_set_plan (f.runner, high, SPK_RUNNER_CARRY_SAME_LAYOUT);
  logged = wait_event (&f, SPK_RUNNER_EVENT_PLAN_CHANGED);
  g_assert_true (logged->state_kept);
  g_assert_cmpuint (logged->status.n_steps, ==, 5);
  g_assert_cmpint (logged->status.state, ==, SPK_RUNNER_STATE_RUNNING);
  g_assert_true (spk_runner_get_plan (f.runner) == high);
  assert_nothing_more (&f);

  spk_runner_clock_advance (f.clock, 5000);
  read_n (&f, 5, values, times);
  for (guint k = 0; k < 5; k++)
    {
      g_assert_cmpfloat (values[k], ==, 0.5);
      g_assert_cmpfloat_with_epsilon (times[k], (k + 6) * DT, 1e-12);
    }
  logged = pause_and_wait (&f);
  g_assert_cmpuint (logged->status.n_steps, ==, 10);

  /* Without keeping state: t = 0, paused. */
  spk_runner_set_plan (f.runner, low, SPK_RUNNER_CARRY_NONE);
  logged = wait_event (&f, SPK_RUNNER_EVENT_PLAN_CHANGED);
  g_assert_false (logged->state_kept);
  g_assert_cmpuint (logged->status.n_steps, ==, 0);
  g_assert_cmpint (logged->status.state, ==, SPK_RUNNER_STATE_PAUSED);
  spk_runner_step (f.runner);
  read_n (&f, 1, values, times);
  g_assert_cmpfloat (values[0], ==, 0.25);
  g_assert_cmpfloat_with_epsilon (times[0], DT, 1e-12);

  fixture_stop (&f);
}

/* Pacing follows the manual clock exactly: at rate r, advancing the clock
 * by d runs d·r/dt steps and no more. */
static void
test_pacing (void)
{
  g_autoptr (SpkNetwork) net_plan = NULL;
  g_autoptr (SpkPlan) plan = constant_plan (0.25, &net_plan);
  Fixture f = { 0 };
  g_autofree double *values = g_new (double, 2000);
  g_autofree double *times = g_new (double, 2000);
  const struct { double rate; gint64 advance_us; guint64 steps; } cases[] = {
    { 1.0, 100000, 100 },
    { 2.0, 50000, 100 },
    { 0.5, 100000, 50 },
    { 10.0, 10000, 100 },
  };
  guint64 total = 0;
  const Logged *logged;
  SpkRunnerStatus status;
  gboolean saw_behind = FALSE;

  fixture_start (&f, plan, TRUE, 0);
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      spk_runner_set_rate (f.runner, cases[c].rate);
      run_and_sync (&f);
      spk_runner_get_status (f.runner, &status);
      g_assert_cmpfloat (status.rate, ==, cases[c].rate);
      spk_runner_clock_advance (f.clock, cases[c].advance_us);
      read_n (&f, cases[c].steps, values, times);
      total += cases[c].steps;
      logged = pause_and_wait (&f);
      g_assert_cmpuint (logged->status.n_steps, ==, total);
      assert_nothing_more (&f);
    }

  /* Unlimited ignores the clock, which does not move here. */
  spk_runner_set_rate (f.runner, SPK_RUNNER_RATE_UNLIMITED);
  spk_runner_run (f.runner, 500);
  logged = wait_event (&f, SPK_RUNNER_EVENT_FINISHED);
  total += 500;
  g_assert_cmpuint (logged->status.n_steps, ==, total);
  read_n (&f, 500, values, times);

  /* A run of N steps reports its own duration, timed by the worker on its
   * clock: 100 steps at 1× over 0.1 s of the manual clock. */
  spk_runner_set_rate (f.runner, 1.0);
  {
    guint from = f.events->len;

    spk_runner_run (f.runner, 100);
    g_assert_nonnull (sync_commands (&f, from));
  }
  spk_runner_clock_advance (f.clock, 100000);
  logged = wait_event (&f, SPK_RUNNER_EVENT_FINISHED);
  g_assert_cmpfloat (logged->status.run_seconds, ==, 0.1);
  total += 100;
  read_n (&f, 100, values, times);

  /* Far behind (a whole second at once, as a too slow network would be):
   * it stops trying to catch up, runs the one step now due, and says so. */
  spk_runner_set_rate (f.runner, 1.0);
  run_and_sync (&f);
  spk_runner_clock_advance (f.clock, 1000000);
  read_n (&f, 1, values, times);
  logged = pause_and_wait (&f);
  g_assert_cmpuint (logged->status.n_steps, ==, total + 1);
  for (guint i = 0; i < f.events->len; i++)
    saw_behind |= g_array_index (f.events, Logged, i).status.behind;
  g_assert_true (saw_behind);

  fixture_stop (&f);
}

/* A blow-up stops the run with the simulator's error; the runner refuses
 * to run until a reset, then runs again. */
static void
test_error (void)
{
  g_autoptr (SpkNetwork) net = tu_network (0, SPK_DTYPE_FLOAT64);
  /* NaN from t = 11 ms on. */
  SpkNode *node = tu_node_expr (net, "input", "log(0.0105 - t)");
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  Fixture f = { 0 };
  const Logged *logged;

  tu_probe (net, "value", node, FALSE, NULL, -1);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  fixture_start (&f, plan, FALSE, 0);

  spk_runner_run (f.runner, 0);
  logged = wait_event (&f, SPK_RUNNER_EVENT_ERROR);
  g_assert_error (logged->error, SPK_SIM_ERROR, SPK_SIM_ERROR_NOT_FINITE);
  g_assert_cmpint (logged->status.state, ==, SPK_RUNNER_STATE_ERROR);
  /* The simulator notices at the end of its call, a few steps on. */
  g_assert_cmpuint (logged->status.n_steps, >=, 11);

  spk_runner_run (f.runner, 5);
  logged = wait_event (&f, SPK_RUNNER_EVENT_COMMAND_FAILED);
  g_assert_nonnull (logged->error);
  g_assert_cmpint (logged->status.state, ==, SPK_RUNNER_STATE_ERROR);

  spk_runner_reset (f.runner);
  logged = wait_event (&f, SPK_RUNNER_EVENT_RESET);
  g_assert_cmpint (logged->status.state, ==, SPK_RUNNER_STATE_PAUSED);
  spk_runner_run (f.runner, 5);
  logged = wait_event (&f, SPK_RUNNER_EVENT_FINISHED);
  g_assert_cmpuint (logged->status.n_steps, ==, 5);

  fixture_stop (&f);
}

/* A consumer that falls behind by more than the buffer holds reads the
 * oldest samples and is told exactly how many it lost. */
static void
test_lost_samples (void)
{
  g_autoptr (SpkNetwork) net_plan = NULL;
  g_autoptr (SpkPlan) plan = constant_plan (0.25, &net_plan);
  Fixture f = { 0 };
  double values[64], times[64];
  guint64 lost = 0;
  guint n;

  fixture_start (&f, plan, FALSE, 8);
  g_assert_cmpuint (spk_runner_get_probe_capacity (f.runner, 0), ==, 8);
  spk_runner_run (f.runner, 100);
  wait_event (&f, SPK_RUNNER_EVENT_FINISHED);
  n = spk_runner_read_probe (f.runner, 0, values, times, 5, &lost);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpuint (lost, ==, 0);
  n = spk_runner_read_probe (f.runner, 0, values, times, G_N_ELEMENTS (values), &lost);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (lost, ==, 92);
  for (guint k = 0; k < 3; k++)
    g_assert_cmpfloat_with_epsilon (times[k], (k + 6) * DT, 1e-12);

  /* Reading on time again loses nothing. */
  spk_runner_step (f.runner);
  wait_event (&f, SPK_RUNNER_EVENT_STATUS);
  n = spk_runner_read_probe (f.runner, 0, values, times, G_N_ELEMENTS (values), &lost);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (lost, ==, 0);
  g_assert_cmpfloat_with_epsilon (times[0], 101 * DT, 1e-12);

  fixture_stop (&f);
}

/* Streaming only, the simulator's record is emptied after each copy: the
 * samples still arrive in order, none twice and none missing, across a
 * reset; and a simulator's cleared probe records from index 0 again. */
static void
test_stream_only (void)
{
  g_autoptr (SpkNetwork) net_plan = NULL;
  g_autoptr (SpkPlan) plan = constant_plan (0.5, &net_plan);
  g_autoptr (SpkSimulator) sim = NULL;
  g_autoptr (GError) error = NULL;
  Fixture f = { 0 };
  double values[300], times[300], t;

  fixture_start (&f, plan, FALSE, 1024);
  spk_runner_set_stream_only (f.runner, TRUE);
  spk_runner_run (f.runner, 300);
  wait_event (&f, SPK_RUNNER_EVENT_FINISHED);
  read_n (&f, 300, values, times);
  for (guint k = 0; k < 300; k++)
    {
      g_assert_cmpfloat_with_epsilon (times[k], (k + 1) * DT, 1e-12);
      g_assert_cmpfloat (values[k], ==, 0.5);
    }
  assert_nothing_more (&f);
  spk_runner_reset (f.runner);
  wait_event (&f, SPK_RUNNER_EVENT_RESET);
  spk_runner_run (f.runner, 40);
  wait_event (&f, SPK_RUNNER_EVENT_FINISHED);
  read_n (&f, 40, values, times);
  for (guint k = 0; k < 40; k++)
    g_assert_cmpfloat_with_epsilon (times[k], (k + 1) * DT, 1e-12);
  assert_nothing_more (&f);
  fixture_stop (&f);

  sim = spk_simulator_new (plan, 1, &error);
  g_assert_no_error (error);
  g_assert_true (spk_simulator_run_steps (sim, 5, &error));
  spk_simulator_clear_probe (sim, 0);
  g_assert_cmpuint (spk_simulator_get_probe_n_samples (sim, 0), ==, 0);
  g_assert_true (spk_simulator_run_steps (sim, 2, &error));
  g_assert_cmpuint (spk_simulator_get_probe_n_samples (sim, 0), ==, 2);
  spk_simulator_get_probe_sample (sim, 0, 0, values, &t);
  g_assert_cmpfloat_with_epsilon (t, 6 * DT, 1e-12);
}

typedef struct
{
  guint64 n_spikes;
  guint64 n_voltage;
  guint64 steps;
  double  first_t;
} Seen;

static void
count_records_cb (SpkSimulator *sim,
                  gpointer      data)
{
  Seen *seen = data;
  SpkPlan *plan = spk_simulator_get_plan (sim);

  seen->n_spikes = spk_simulator_get_probe_n_samples (sim, spk_plan_find_probe (plan, "spikes"));
  seen->n_voltage = spk_simulator_get_probe_n_samples (sim, spk_plan_find_probe (plan, "voltage"));
  seen->steps = spk_simulator_get_n_steps (sim);
  seen->first_t = NAN;
  if (seen->n_spikes > 0)
    {
      double sample[203];

      spk_simulator_get_probe_sample (sim, spk_plan_find_probe (plan, "spikes"), 0, sample, &seen->first_t);
    }
}

static SpkPlan *spiking_plan (SpkDtype     dtype,
                              SpkNetwork **keep);

/* Streaming only, a kept probe still has its whole record (across a new
 * plan that carries the state on), while the others keep none; the
 * samples of both still reach the buffers once each; a snapshot sees the
 * records between two steps.  After a shutdown there is no snapshot. */
static void
test_kept_probes (void)
{
  g_autoptr (SpkNetwork) net = NULL;
  g_autoptr (SpkPlan) plan = spiking_plan (SPK_DTYPE_FLOAT32, &net);
  g_autoptr (SpkPlan) again = NULL;
  const char *kept[] = { "spikes", NULL };
  g_autoptr (GError) error = NULL;
  Fixture f = { 0 };
  Seen seen = { 0 };
  guint64 lost = 0;
  guint n = 0, got;
  double *values = g_new (double, 8192 * 203), *times = g_new (double, 8192);

  fixture_start (&f, plan, FALSE, 8192);
  spk_runner_set_stream_only (f.runner, TRUE);
  spk_runner_set_kept_probes (f.runner, kept);
  spk_runner_run (f.runner, 300);
  wait_event (&f, SPK_RUNNER_EVENT_FINISHED);
  g_assert_true (spk_runner_snapshot (f.runner, count_records_cb, &seen));
  g_assert_cmpuint (seen.steps, ==, 300);
  g_assert_cmpuint (seen.n_spikes, ==, 300);
  g_assert_cmpuint (seen.n_voltage, ==, 0);
  g_assert_cmpfloat_with_epsilon (seen.first_t, DT, 1e-12);
  /* Each sample of the kept probe reached its buffer once. */
  while ((got = spk_runner_read_probe (f.runner, 0, values, times, 8192, &lost)) > 0)
    n += got;
  g_assert_cmpuint (n, ==, 300);
  g_assert_cmpuint (lost, ==, 0);

  /* A rebuilt plan that carries the state on carries the record on. */
  again = spk_build (net, &error);
  g_assert_no_error (error);
  spk_runner_set_plan (f.runner, again, SPK_RUNNER_CARRY_SAME_LAYOUT);
  wait_event (&f, SPK_RUNNER_EVENT_PLAN_CHANGED);
  spk_runner_run (f.runner, 100);
  wait_event (&f, SPK_RUNNER_EVENT_FINISHED);
  g_assert_true (spk_runner_snapshot (f.runner, count_records_cb, &seen));
  g_assert_cmpuint (seen.steps, ==, 400);
  g_assert_cmpuint (seen.n_spikes, ==, 400);
  g_assert_cmpuint (seen.n_voltage, ==, 0);

  /* No longer kept: streamed away like the rest. */
  spk_runner_set_kept_probes (f.runner, NULL);
  spk_runner_run (f.runner, 10);
  wait_event (&f, SPK_RUNNER_EVENT_FINISHED);
  g_assert_true (spk_runner_snapshot (f.runner, count_records_cb, &seen));
  g_assert_cmpuint (seen.n_spikes, ==, 0);
  spk_runner_shutdown (f.runner);
  g_assert_false (spk_runner_snapshot (f.runner, count_records_cb, &seen));
  fixture_stop (&f);
  g_free (values);
  g_free (times);
}

static void
nothing_cb (SpkSimulator *sim,
            gpointer      data)
{
}

/* Reads probe p until its buffer stays empty; the times of the samples
 * read go to times (at most max), the count is returned. */
static guint
read_all (SpkRunner *runner,
          guint      p,
          double    *times,
          guint      max,
          guint64   *lost)
{
  g_autofree double *values = g_new (double, 64 * 203);
  guint64 dropped = 0;
  guint n = 0, got;

  *lost = 0;
  for (;;)
    {
      got = spk_runner_read_probe (runner, p, values, times + MIN (n, max - 64), 64, &dropped);
      *lost += dropped;
      if (got == 0)
        {
          /* Whatever the reads asked the worker for, it has offered once
           * a snapshot (queued after them) is done. */
          g_assert_true (spk_runner_snapshot (runner, nothing_cb, NULL));
          got = spk_runner_read_probe (runner, p, values, times + MIN (n, max - 64), 64, &dropped);
          *lost += dropped;
          if (got == 0)
            return n;
        }
      n += got;
    }
}

/* A kept probe's buffer drops nothing, dense or sparse: a run of 300 steps
 * into buffers of 64 samples, read only once it has finished (the worker
 * paused), still yields every sample once, in order; the rest waited in
 * the record.  A reset forgets what was held back. */
static void
test_kept_probes_lossless (void)
{
  g_autoptr (SpkNetwork) net = NULL;
  g_autoptr (SpkPlan) plan = spiking_plan (SPK_DTYPE_FLOAT32, &net);
  const char *kept[] = { "spikes", "voltage", NULL };
  Fixture f = { 0 };
  double times[400];
  guint64 lost;

  fixture_start (&f, plan, FALSE, 64);
  spk_runner_set_stream_only (f.runner, TRUE);
  spk_runner_set_kept_probes (f.runner, kept);
  g_assert_true (spk_runner_probe_is_sparse (f.runner, spk_plan_find_probe (plan, "spikes")));
  spk_runner_run (f.runner, 300);
  wait_event (&f, SPK_RUNNER_EVENT_FINISHED);
  for (guint p = 0; p < 2; p++)
    {
      g_assert_cmpuint (read_all (f.runner, p, times, G_N_ELEMENTS (times), &lost), ==, 300);
      g_assert_cmpuint (lost, ==, 0);
      for (guint k = 0; k < 300; k++)
        g_assert_cmpfloat_with_epsilon (times[k], (k + 1) * DT, 1e-9);
    }

  /* Held back at the reset: gone with the run. */
  spk_runner_run (f.runner, 300);
  wait_event (&f, SPK_RUNNER_EVENT_FINISHED);
  spk_runner_reset (f.runner);
  wait_event (&f, SPK_RUNNER_EVENT_RESET);
  spk_runner_run (f.runner, 10);
  wait_event (&f, SPK_RUNNER_EVENT_FINISHED);
  for (guint p = 0; p < 2; p++)
    {
      guint n = read_all (f.runner, p, times, G_N_ELEMENTS (times), &lost);

      g_assert_cmpuint (n, ==, 64 + 10);
      g_assert_cmpuint (lost, ==, 0);
      g_assert_cmpfloat_with_epsilon (times[63], 364 * DT, 1e-9);
      g_assert_cmpfloat_with_epsilon (times[64], DT, 1e-9);
      g_assert_cmpfloat_with_epsilon (times[73], 10 * DT, 1e-9);
    }
  fixture_stop (&f);
}

/* A sine into 203 LIF neurons (not a multiple of 16, so vector code has a
 * tail), with a probe on their spikes and one on their voltages. */
static SpkPlan *
spiking_plan (SpkDtype     dtype,
              SpkNetwork **keep)
{
  SpkNetwork *net = *keep = tu_network (3, dtype);
  SpkNode *input = tu_node_expr (net, "input", "sin(2*pi*t)");
  SpkEnsemble *ens = tu_ensemble (net, "ens", 203, 1, SPK_NEURON_LIF);
  g_autoptr (GError) error = NULL;
  SpkPlan *plan;

  tu_connect (net, input, FALSE, ens, FALSE, 0.005);
  tu_probe (net, "spikes", ens, TRUE, "output", -1);
  tu_probe (net, "voltage", ens, TRUE, "voltage", -1);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  return plan;
}

typedef struct
{
  SpkDtype dtype;
  guint    buffer_samples;   /* 0: the default */
  guint    chunk;            /* steps run between reads */
} SparseCase;

/* A spike probe's buffer keeps only the spikes, read back dense (the first
 * half of the run) or sparse (the second): either way the very values the
 * bare simulator records, whether the samples come from the simulator's
 * record or, streaming only, straight from the signal (and so do the
 * voltages, dense, beside them); float32 and
 * float64; and with a small buffer read often, so its spikes wrap around
 * the end of their ring many times. */
static void
test_sparse_spikes (gconstpointer data)
{
  const SparseCase *c = data;
  g_autoptr (SpkNetwork) net_plan = NULL;
  g_autoptr (SpkPlan) plan = spiking_plan (c->dtype, &net_plan);
  g_autoptr (SpkSimulator) sim = spk_simulator_new (plan, 1, NULL);
  g_autoptr (GError) error = NULL;
  const guint n_steps = 400, width = 203;
  g_autofree double *expected = g_new (double, n_steps * width);
  g_autofree double *dense = g_new (double, n_steps * width);
  g_autofree double *values = g_new (double, n_steps * width);
  g_autofree guint32 *index = g_new (guint32, n_steps * width);
  g_autofree double *expected_v = g_new (double, n_steps * width);
  g_autofree double *voltage = g_new (double, n_steps * width);
  guint32 counts[400];
  double times[400];
  guint64 spikes = 0;

  g_assert_true (spk_simulator_run_steps (sim, n_steps, &error));
  g_assert_no_error (error);
  spk_simulator_get_probe_data (sim, 0, expected);
  spk_simulator_get_probe_data (sim, 1, expected_v);
  for (guint k = 0; k < n_steps * width; k++)
    spikes += expected[k] != 0;
  /* Spikes, and far fewer than values. */
  g_assert_cmpuint (spikes, >, n_steps);
  g_assert_cmpuint (spikes, <, n_steps * width / 4);

  for (int stream_only = 0; stream_only <= 1; stream_only++)
    {
      Fixture f = { 0 };
      guint got = 0, used = 0, got_v = 0;

      fixture_start (&f, plan, FALSE, c->buffer_samples);
      g_assert_true (spk_runner_probe_is_sparse (f.runner, 0));
      g_assert_false (spk_runner_probe_is_sparse (f.runner, 1));
      spk_runner_set_stream_only (f.runner, stream_only);
      while (got < n_steps)
        {
          guint end = got + c->chunk;

          spk_runner_run (f.runner, c->chunk);
          wait_event (&f, SPK_RUNNER_EVENT_FINISHED);
          while (got < end)
            {
              guint64 lost = 0;
              guint n;

              if (got < n_steps / 2)
                n = spk_runner_read_probe (f.runner, 0, dense + (gsize) got * width, times + got,
                                           MIN (end, n_steps / 2) - got, &lost);
              else
                {
                  n = spk_runner_read_probe_sparse (f.runner, 0, counts + got - n_steps / 2,
                                                    index + used, values + used, n_steps * width - used,
                                                    times + got, end - got, &lost);
                  for (guint i = 0; i < n; i++)
                    used += counts[got - n_steps / 2 + i];
                }
              g_assert_cmpuint (lost, ==, 0);
              g_assert_cmpuint (n, >, 0);
              got += n;
            }
          /* The voltages, dense, alongside. */
          while (got_v < end)
            {
              guint64 lost = 0;
              guint n = spk_runner_read_probe (f.runner, 1, voltage + (gsize) got_v * width, NULL,
                                               end - got_v, &lost);

              g_assert_cmpuint (lost, ==, 0);
              g_assert_cmpuint (n, >, 0);
              got_v += n;
            }
        }
      for (guint k = 0; k < n_steps * width; k++)
        g_assert_cmpfloat (voltage[k], ==, expected_v[k]);
      for (guint k = 0; k < n_steps / 2 * width; k++)
        g_assert_cmpfloat (dense[k], ==, expected[k]);
      used = 0;
      for (guint i = 0; i < n_steps; i++)
        g_assert_cmpfloat_with_epsilon (times[i], (i + 1) * DT, 1e-12);
      for (guint i = 0; i < n_steps / 2; i++)
        {
          const double *row = expected + (gsize) (n_steps / 2 + i) * width;
          guint32 nonzero = 0;

          for (guint k = 0; k < width; k++)
            nonzero += row[k] != 0;
          g_assert_cmpuint (counts[i], ==, nonzero);
          for (guint32 j = 0; j < counts[i]; j++, used++)
            {
              g_assert_cmpuint (index[used], <, width);
              g_assert_cmpfloat (values[used], ==, row[index[used]]);
            }
        }
      assert_nothing_more (&f);
      fixture_stop (&f);
    }
}

/* A full sparse buffer drops samples as a dense one does, and says so. */
static void
test_sparse_lost (void)
{
  g_autoptr (SpkNetwork) net_plan = NULL;
  g_autoptr (SpkPlan) plan = spiking_plan (SPK_DTYPE_FLOAT32, &net_plan);
  g_autoptr (SpkSimulator) sim = spk_simulator_new (plan, 1, NULL);
  g_autoptr (GError) error = NULL;
  double expected[8 * 203], values[8 * 203], times[8];
  guint64 lost = 0;
  Fixture f = { 0 };

  g_assert_true (spk_simulator_run_steps (sim, 8, &error));
  spk_simulator_get_probe_data (sim, 0, expected);
  fixture_start (&f, plan, FALSE, 8);
  spk_runner_set_stream_only (f.runner, TRUE);
  spk_runner_run (f.runner, 100);
  wait_event (&f, SPK_RUNNER_EVENT_FINISHED);
  /* The first 8 samples stay; the 92 that found the buffer full are lost. */
  g_assert_cmpuint (spk_runner_read_probe (f.runner, 0, values, times, 8, &lost), ==, 8);
  g_assert_cmpuint (lost, ==, 92);
  for (guint k = 0; k < G_N_ELEMENTS (values); k++)
    g_assert_cmpfloat (values[k], ==, expected[k]);
  g_assert_cmpuint (spk_runner_read_probe (f.runner, 0, values, times, 8, &lost), ==, 0);
  g_assert_cmpuint (lost, ==, 0);
  fixture_stop (&f);
}

/* Thousands of random commands while running: no deadlock, no crash, and
 * for every probe the samples delivered plus those reported lost equal the
 * steps run. */
static void
test_stress (void)
{
  g_autoptr (SpkNetwork) net = tu_network (0, SPK_DTYPE_FLOAT32);
  const double zero = 0;
  SpkNode *input = tu_node_const (net, "input", &zero, 1);
  SpkEnsemble *ens = tu_ensemble (net, "ens", 20, 1, SPK_NEURON_LIF);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  Fixture f = { 0 };
  guint64 delivered[2] = { 0, 0 }, lost_total[2] = { 0, 0 };
  g_autofree double *buffer = g_new (double, 4096);
  SpkRunnerStatus status;
  guint n_commands = g_test_thorough () ? 20000 : 4000;

  tu_connect (net, input, FALSE, ens, FALSE, 0.005);
  tu_probe (net, "input_value", input, FALSE, NULL, -1);
  tu_probe (net, "decoded", ens, FALSE, NULL, 0.01);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  /* A small buffer, so that falling behind happens. */
  fixture_start (&f, plan, FALSE, 64);

  for (guint i = 0; i < n_commands; i++)
    {
      double value = g_test_rand_double_range (-1, 1);

      switch (g_test_rand_int_range (0, 10))
        {
        case 0: spk_runner_run (f.runner, 0); break;
        case 1: spk_runner_run (f.runner, g_test_rand_int_range (1, 200)); break;
        case 2: spk_runner_pause (f.runner); break;
        case 3: spk_runner_step (f.runner); break;
        case 4: spk_runner_reset (f.runner); break;
        case 5:
          spk_runner_set_rate (f.runner, g_test_rand_bit () ? SPK_RUNNER_RATE_UNLIMITED
                                                            : g_test_rand_double_range (0.1, 10));
          break;
        case 6: spk_runner_set_node_output (f.runner, "input", g_test_rand_bit () ? &value : NULL, 1); break;
        case 7:
          while (g_main_context_iteration (NULL, FALSE))
            ;
          /* Give the worker time to run between bursts of commands. */
          g_usleep (50);
          break;
        default:
          for (guint p = 0; p < 2; p++)
            {
              guint64 lost = 0;

              delivered[p] += spk_runner_read_probe (f.runner, p, buffer, NULL, 4096, &lost);
              lost_total[p] += lost;
            }
          break;
        }
    }
  spk_runner_pause (f.runner);
  /* Shutting down waits for the worker, which flushes every sample. */
  spk_runner_shutdown (f.runner);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  spk_runner_get_status (f.runner, &status);
  g_assert_cmpint (status.state, ==, SPK_RUNNER_STATE_PAUSED);
  g_assert_cmpuint (status.total_steps, >, 0);
  for (guint p = 0; p < 2; p++)
    {
      guint64 lost = 0;
      guint n;

      while ((n = spk_runner_read_probe (f.runner, p, buffer, NULL, 4096, &lost)) > 0 || lost > 0)
        {
          delivered[p] += n;
          lost_total[p] += lost;
        }
      g_test_message ("probe %u: %" G_GUINT64_FORMAT " delivered, %" G_GUINT64_FORMAT
                      " lost, %" G_GUINT64_FORMAT " steps",
                      p, delivered[p], lost_total[p], status.total_steps);
      g_assert_cmpuint (delivered[p] + lost_total[p], ==, status.total_steps);
    }
  fixture_stop (&f);
}

/* Dropping the last reference while running joins the worker. */
static void
test_unref_while_running (void)
{
  g_autoptr (SpkNetwork) net_plan = NULL;
  g_autoptr (SpkPlan) plan = constant_plan (0.25, &net_plan);
  g_autoptr (GError) error = NULL;
  SpkRunner *runner = spk_runner_new (plan, 1, NULL, 0, &error);

  g_assert_no_error (error);
  spk_runner_run (runner, 0);
  spk_runner_unref (runner);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/runner/run-pause-step-reset", test_run_pause_step_reset);
  g_test_add_func ("/spk/runner/slider", test_slider);
  g_test_add_func ("/spk/runner/plan-swap", test_plan_swap);
  g_test_add_func ("/spk/runner/pacing", test_pacing);
  g_test_add_func ("/spk/runner/error", test_error);
  g_test_add_func ("/spk/runner/lost-samples", test_lost_samples);
  g_test_add_func ("/spk/runner/stream-only", test_stream_only);
  g_test_add_func ("/spk/runner/kept-probes", test_kept_probes);
  g_test_add_func ("/spk/runner/kept-probes-lossless", test_kept_probes_lossless);
  {
    static const SparseCase f32 = { SPK_DTYPE_FLOAT32, 0, 200 };
    static const SparseCase f64 = { SPK_DTYPE_FLOAT64, 0, 200 };
    static const SparseCase small = { SPK_DTYPE_FLOAT32, 16, 8 };

    g_test_add_data_func ("/spk/runner/sparse-spikes/f32", &f32, test_sparse_spikes);
    g_test_add_data_func ("/spk/runner/sparse-spikes/f64", &f64, test_sparse_spikes);
    g_test_add_data_func ("/spk/runner/sparse-spikes/small-buffer", &small, test_sparse_spikes);
  }
  g_test_add_func ("/spk/runner/sparse-lost", test_sparse_lost);
  g_test_add_func ("/spk/runner/stress", test_stress);
  g_test_add_func ("/spk/runner/unref-while-running", test_unref_while_running);
  return g_test_run ();
}
