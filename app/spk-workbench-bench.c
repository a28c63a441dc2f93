/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-workbench-bench.c — the workbench's drawing benchmark.
 *
 * Two runs of the same model and the same number of steps, as fast as the
 * simulator can go: the first with no plots, the second with n plots that
 * drain their probes and draw on every frame.  The simulation's steps/s
 * of the two runs give the slowdown the plots cause; the frames the plot
 * grid prepared during the second run, over its wall time, give frames/s.
 * A state machine polled every 5 ms on the main loop drives it, so the
 * window keeps drawing as it would for a user.  The pair runs ROUNDS
 * times, alternating, and the fastest run of each kind counts: on a
 * shared machine the load of the moment moves single runs far more than
 * the plots do (the runner's own benchmark does the same).
 */
#define G_LOG_DOMAIN "spk-workbench-bench"

#include "spk-workbench-bench.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <time.h>

#include "bench/spk-bench-nets.h"

/* What --benchmark runs without --example. */
#define BENCH_NETWORK "chain-100"
#define BENCH_NEURONS 1000
#define ROUNDS        3

typedef enum { SETTLE, RUN_BARE, ADD_PLOTS, RUN_PLOTS, REMOVE_PLOTS } Phase;

typedef struct
{
  SpkWindow *window;
  guint      n_plots;
  guint      n_rasters;
  guint64    n_steps;
  int       *status;
  Phase      phase;
  gint64     phase_start;
  gint64     run_start;
  guint      round;
  double     bare_rate[ROUNDS];
  double     plots_rate[ROUNDS];
  double     fps[ROUNDS];
  guint64    frames_start;
  /* CPU time at the start of a run: the process's and the main thread's;
   * the difference is the worker's (nothing else runs during a run). */
  double     cpu_start[2];
  double     worker_us[2][ROUNDS];   /* worker CPU µs per step, bare / plots */
  double     main_share[2][ROUNDS];  /* main thread CPU s per wall s */
} Bench;

static double
cpu_seconds (clockid_t clock)
{
  struct timespec ts;

  clock_gettime (clock, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void
start_run (Bench *bench)
{
  SpkRunBar *bar = spk_window_get_run_bar (bench->window);

  gtk_widget_activate_action (GTK_WIDGET (bar), "run.rate", "d", SPK_RUNNER_RATE_UNLIMITED);
  spk_run_bar_set_n_steps (bar, bench->n_steps);
  gtk_widget_activate_action (GTK_WIDGET (bar), "run.run-steps", NULL);
  bench->run_start = g_get_monotonic_time ();
  bench->cpu_start[0] = cpu_seconds (CLOCK_PROCESS_CPUTIME_ID);
  bench->cpu_start[1] = cpu_seconds (CLOCK_THREAD_CPUTIME_ID);
  bench->frames_start = spk_plot_grid_get_n_frames (spk_window_get_plot_grid (bench->window));
}

static gboolean
run_done (Bench *bench)
{
  SpkRunner *runner = spk_run_bar_get_runner (spk_window_get_run_bar (bench->window));
  SpkRunnerStatus status;

  if (runner == NULL)
    return TRUE;
  spk_runner_get_status (runner, &status);
  return status.state == SPK_RUNNER_STATE_ERROR
         || (status.state == SPK_RUNNER_STATE_PAUSED && status.n_steps >= bench->n_steps);
}

/* The plots, in order: a raster, a decoded value, filtered spikes, … on
 * the ensembles in turn. */
static SpkPlotKind
plot_kind (guint      i,
           SpkObject *target)
{
  static const SpkPlotKind kinds[] = {
    SPK_PLOT_SPIKES, SPK_PLOT_VALUE, SPK_PLOT_FILTERED, SPK_PLOT_VALUE, SPK_PLOT_VOLTAGE, SPK_PLOT_CURRENT,
  };
  SpkPlotKind kind = kinds[i % G_N_ELEMENTS (kinds)];

  return spk_plot_kind_applies (kind, target) ? kind : SPK_PLOT_VALUE;
}

static GPtrArray *
list_ensembles (Bench *bench)
{
  GPtrArray *objects = spk_network_get_objects (spk_window_get_network (bench->window));
  GPtrArray *ensembles = g_ptr_array_new ();

  for (guint i = 0; i < objects->len; i++)
    if (SPK_IS_ENSEMBLE (g_ptr_array_index (objects, i)))
      g_ptr_array_add (ensembles, g_ptr_array_index (objects, i));
  return ensembles;
}

static void
add_plots (Bench *bench)
{
  SpkPlotGrid *grid = spk_window_get_plot_grid (bench->window);
  g_autoptr (GPtrArray) ensembles = list_ensembles (bench);

  /* One rebuild for all of them. */
  bench->n_rasters = 0;
  spk_plot_grid_freeze_changes (grid);
  for (guint i = 0; i < bench->n_plots && ensembles->len > 0; i++)
    {
      SpkObject *target = g_ptr_array_index (ensembles, i % ensembles->len);
      SpkPlotKind kind = plot_kind (i, target);

      spk_plot_grid_add (grid, kind, spk_object_get_label (target));
      if (kind == SPK_PLOT_SPIKES)
        bench->n_rasters++;
    }
  spk_plot_grid_thaw_changes (grid);
}

static double
best (const double *values)
{
  double m = values[0];

  for (guint i = 1; i < ROUNDS; i++)
    m = MAX (m, values[i]);
  return m;
}

static void
finish (Bench *bench)
{
  double bare = best (bench->bare_rate), plots = best (bench->plots_rate);

  printf ("plots: %u (%u rasters of %u neurons), %" G_GUINT64_FORMAT " steps per run\n",
          bench->n_plots, bench->n_rasters, BENCH_NEURONS, bench->n_steps);
  for (guint i = 0; i < ROUNDS; i++)
    printf ("round %u: %.0f steps/s without plots, %.0f with (%.1f%% slower), %.1f frames/s; "
            "worker CPU %.1f / %.1f µs a step, main thread %.0f%% / %.0f%% of a core\n",
            i + 1, bench->bare_rate[i], bench->plots_rate[i],
            100.0 * (1.0 - bench->plots_rate[i] / bench->bare_rate[i]), bench->fps[i],
            bench->worker_us[0][i], bench->worker_us[1][i],
            100 * bench->main_share[0][i], 100 * bench->main_share[1][i]);
  printf ("simulation without plots: %.0f steps/s (best of %u)\n", bare, ROUNDS);
  printf ("simulation with plots:    %.0f steps/s (best of %u, %.1f%% slower)\n", plots, ROUNDS,
          bare > 0 ? 100.0 * (1.0 - plots / bare) : 0.0);
  printf ("frames/s with plots:      %.1f (best of %u)\n", best (bench->fps), ROUNDS);
  fflush (stdout);
  g_application_quit (g_application_get_default ());
}

static double
elapsed (Bench  *bench,
         gint64  now)
{
  return (now - bench->run_start) / (double) G_USEC_PER_SEC;
}

/* Steps per second of the run just finished, as the worker timed it: the
 * main thread notices the end up to a frame late, and a busy one (drawing
 * plots) later than an idle one, which biased short runs against plots. */
static double
run_rate (Bench *bench,
          gint64 now)
{
  SpkRunner *runner = spk_run_bar_get_runner (spk_window_get_run_bar (bench->window));
  SpkRunnerStatus status;

  if (runner != NULL)
    {
      spk_runner_get_status (runner, &status);
      if (status.run_seconds > 0)
        return bench->n_steps / status.run_seconds;
    }
  return bench->n_steps / elapsed (bench, now);
}

static void
measure_cpu (Bench  *bench,
             int     plots,
             gint64  now)
{
  double main = cpu_seconds (CLOCK_THREAD_CPUTIME_ID) - bench->cpu_start[1];
  double worker = cpu_seconds (CLOCK_PROCESS_CPUTIME_ID) - bench->cpu_start[0] - main;

  bench->worker_us[plots][bench->round] = worker * 1e6 / bench->n_steps;
  bench->main_share[plots][bench->round] = main / elapsed (bench, now);
}

static gboolean
bench_tick_cb (gpointer data)
{
  Bench *bench = data;
  gint64 now = g_get_monotonic_time ();
  GtkWidget *bar = GTK_WIDGET (spk_window_get_run_bar (bench->window));

  switch (bench->phase)
    {
    case SETTLE:
      /* Past the window's validation delay, so the bigger ensembles do
       * not restart a run. */
      if (now - bench->phase_start < G_USEC_PER_SEC)
        return G_SOURCE_CONTINUE;
      start_run (bench);
      bench->phase = RUN_BARE;
      return G_SOURCE_CONTINUE;
    case RUN_BARE:
      if (!run_done (bench))
        return G_SOURCE_CONTINUE;
      bench->bare_rate[bench->round] = run_rate (bench, now);
      measure_cpu (bench, 0, now);
      add_plots (bench);
      gtk_widget_activate_action (bar, "run.reset", NULL);
      bench->phase = ADD_PLOTS;
      bench->phase_start = g_get_monotonic_time ();
      return G_SOURCE_CONTINUE;
    case ADD_PLOTS:
    case REMOVE_PLOTS:
      /* Until the plan with (or without) the plots' probes is in use and
       * shown, and the window has validated the model again. */
      if (now - bench->phase_start < G_USEC_PER_SEC)
        return G_SOURCE_CONTINUE;
      start_run (bench);
      bench->phase = bench->phase == ADD_PLOTS ? RUN_PLOTS : RUN_BARE;
      return G_SOURCE_CONTINUE;
    case RUN_PLOTS:
    default:
      if (!run_done (bench))
        return G_SOURCE_CONTINUE;
      {
        guint64 frames = spk_plot_grid_get_n_frames (spk_window_get_plot_grid (bench->window)) - bench->frames_start;

        bench->plots_rate[bench->round] = run_rate (bench, now);
        bench->fps[bench->round] = frames / elapsed (bench, now);
        measure_cpu (bench, 1, now);
      }
      if (++bench->round == ROUNDS)
        {
          finish (bench);
          return G_SOURCE_REMOVE;
        }
      spk_plot_grid_remove_all (spk_window_get_plot_grid (bench->window));
      gtk_widget_activate_action (bar, "run.reset", NULL);
      bench->phase = REMOVE_PLOTS;
      bench->phase_start = g_get_monotonic_time ();
      return G_SOURCE_CONTINUE;
    }
}

static void
bench_start (SpkWindow *window,
             guint      n_plots,
             double     seconds,
             int       *status)
{
  SpkNetwork *network = spk_window_get_network (window);
  Bench *bench = g_new0 (Bench, 1);

  g_return_if_fail (SPK_IS_WINDOW (window));

  bench->window = window;
  bench->n_plots = n_plots;
  bench->status = status;
  bench->n_steps = (guint64) (seconds / spk_network_get_dt (network) + 0.5);
  bench->phase = SETTLE;
  bench->phase_start = g_get_monotonic_time ();
  spk_plot_grid_remove_all (spk_window_get_plot_grid (window));
  /* The ensembles that will show a raster get at least BENCH_NEURONS
   * neurons; the others keep theirs. */
  {
    g_autoptr (GPtrArray) ensembles = list_ensembles (bench);

    for (guint i = 0; i < bench->n_plots && ensembles->len > 0; i++)
      {
        SpkObject *target = g_ptr_array_index (ensembles, i % ensembles->len);

        if (plot_kind (i, target) == SPK_PLOT_SPIKES
            && spk_ensemble_get_n_neurons (SPK_ENSEMBLE (target)) < BENCH_NEURONS)
          spk_ensemble_set_n_neurons (SPK_ENSEMBLE (target), BENCH_NEURONS);
      }
  }
  g_timeout_add_full (G_PRIORITY_DEFAULT, 5, bench_tick_cb, bench, g_free);
}

static SpkNetwork *
bench_network_new (const char  *name_or_null,
                   GError     **error)
{
  if (name_or_null != NULL && spk_bench_find (name_or_null) == NULL)
    return NULL;
  return spk_bench_network_new (name_or_null ? name_or_null : BENCH_NETWORK, error);
}

void
spk_workbench_bench_install (SpkApplication *app)
{
  static const SpkApplicationBenchmark benchmark = {
    .network_new = bench_network_new,
    .start = bench_start,
  };

  spk_application_set_benchmark (app, &benchmark);
}
