/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-bench-runner.c — what running through the runner costs, for
 * `spikeworks-cli bench runner`: the same steps timed on a bare simulator
 * and through a runner whose consumer drains every probe as a plot would.
 *
 * CONTRACT: call from any one thread; it pushes a private main context as
 * that thread's default for the runner's events, so it never dispatches
 * anything of its caller's.
 */
#define G_LOG_DOMAIN "spk-bench"

#include "bench/spk-bench.h"

#include "bench/spk-bench-nets.h"
#include "builder/spk-plan.h"
#include "examples/spk-examples.h"
#include "runner/spk-runner.h"
#include "sim/spk-simulator.h"

/* Repetitions of each measurement; the fastest counts, which filters out
 * the noise of a shared machine. */
#define BENCH_REPEATS 3

static double
time_bare (SpkPlan  *plan,
           guint64   n_steps,
           GError  **error)
{
  g_autoptr (SpkSimulator) sim = spk_simulator_new (plan, 1, error);
  gint64 start;

  if (sim == NULL)
    return -1;
  start = g_get_monotonic_time ();
  if (!spk_simulator_run_steps (sim, n_steps, error))
    return -1;
  return (double) (g_get_monotonic_time () - start);
}

typedef struct
{
  gboolean  done;
  GError   *error;
} BenchRun;

static void
bench_event_cb (SpkRunner            *runner,
                const SpkRunnerEvent *event,
                gpointer              user_data)
{
  BenchRun *run = user_data;

  if (event->kind == SPK_RUNNER_EVENT_FINISHED)
    run->done = TRUE;
  else if (event->kind == SPK_RUNNER_EVENT_ERROR && run->error == NULL)
    {
      run->error = g_error_copy (event->error);
      run->done = TRUE;
    }
}

/* Drains every probe, as the workbench does on each frame. */
static void
drain (SpkRunner *runner,
       double    *buffer,
       guint      max_samples)
{
  guint n_probes = spk_plan_get_n_probes (spk_runner_get_plan (runner));

  for (guint p = 0; p < n_probes; p++)
    while (spk_runner_read_probe (runner, p, buffer, NULL,
                                  max_samples / MAX (spk_runner_get_probe_width (runner, p), 1),
                                  NULL) > 0)
      ;
}

static double
time_runner (GMainContext  *context,
             SpkPlan       *plan,
             guint64        n_steps,
             GError       **error)
{
  const guint buffer_values = 1 << 16;
  g_autoptr (SpkRunner) runner = spk_runner_new (plan, 1, NULL, 0, error);
  g_autofree double *buffer = g_new (double, buffer_values);
  BenchRun run = { FALSE, NULL };
  gint64 start;
  double elapsed;

  if (runner == NULL)
    return -1;
  spk_runner_set_event_func (runner, bench_event_cb, &run, NULL);
  start = g_get_monotonic_time ();
  spk_runner_run (runner, n_steps);
  while (!run.done)
    {
      drain (runner, buffer, buffer_values);
      while (g_main_context_iteration (context, FALSE))
        ;
      if (!run.done)
        g_usleep (1000);
    }
  drain (runner, buffer, buffer_values);
  elapsed = (double) (g_get_monotonic_time () - start);
  spk_runner_shutdown (runner);
  while (g_main_context_iteration (context, FALSE))
    ;
  if (run.error)
    {
      g_propagate_error (error, run.error);
      return -1;
    }
  return elapsed;
}

/**
 * spk_bench_runner_overhead:
 * @example_or_null: (nullable): a built-in example, or NULL for chain-100
 * @n_steps: steps per measurement
 * @error: return location for an error
 *
 * Returns: runner wall time / bare simulator wall time, or −1 with error set
 */
double
spk_bench_runner_overhead (const char  *example_or_null,
                           guint64      n_steps,
                           GError     **error)
{
  g_autoptr (SpkNetwork) net = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (GMainContext) context = NULL;
  double bare = G_MAXDOUBLE, through = G_MAXDOUBLE;

  g_return_val_if_fail (n_steps > 0, -1);

  net = example_or_null ? spk_example_new (example_or_null, error)
                        : spk_bench_network_new ("chain-100", error);
  if (net == NULL)
    return -1;
  plan = spk_build (net, error);
  if (plan == NULL)
    return -1;

  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  /* Alternate the two so drift in the machine's load hits both alike. */
  for (guint r = 0; r < BENCH_REPEATS; r++)
    {
      double b = time_bare (plan, n_steps, error);
      double t = b < 0 ? -1 : time_runner (context, plan, n_steps, error);

      if (b < 0 || t < 0)
        {
          g_main_context_pop_thread_default (context);
          return -1;
        }
      bare = MIN (bare, b);
      through = MIN (through, t);
    }
  g_main_context_pop_thread_default (context);
  return through / MAX (bare, 1.0);
}
