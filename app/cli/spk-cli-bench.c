/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spk-cli-bench.c — `spikeworks-cli bench`: the benchmark networks built
 * and run, with build time, steps/s, neuron-steps/s and peak memory.
 * Speed is compared as ratios measured in one run, never as timed test
 * assertions; docs/performance.md records the figures. */
#define G_LOG_DOMAIN "spk-cli"

#include "spk-cli-private.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "core/spk-rng.h"
#include "builder/spk-decoder-cache.h"
#include "bench/spk-bench.h"
#include "bench/spk-bench-floor.h"
#include "bench/spk-bench-nets.h"
#include "expr/spk-expr.h"
#include "runner/spk-runner.h"
#include "train/spk-train.h"
#include "sim/spk-simulator.h"

typedef struct
{
  const char *name;
  guint       neurons;
  double      build_s;
  double      build_cached_s; /* the same network built again after an unrelated edit */
  double      steps_per_s;
  double      peak_rss_mb;
  double      images_per_s;   /* dense-relu only; NAN otherwise */
  guint       batch;
  SpkBenchFloor floor;        /* the step's essential work in the best layout, measured here */
} Result;

/* Peak resident memory since the last reset, in MB (Linux). */
static void
reset_peak_rss (void)
{
  /* Not g_file_set_contents: /proc files take a write, not a rename. */
  FILE *f = fopen ("/proc/self/clear_refs", "w");

  if (f != NULL)
    {
      fputs ("5", f);
      fclose (f);
    }
}

static double
peak_rss_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || !(line = strstr (status, "VmHWM:")))
    return NAN;
  return g_ascii_strtod (line + 6, NULL) / 1024.0;
}

typedef struct
{
  SpkSimulator *sim;
  const char   *input;    /* predict's input Node, or NULL: plain steps */
  const double *images;
  GError       *error;    /* the first failure; later calls do nothing */
} StepJob;

static void
step_call (gpointer data)
{
  StepJob *job = data;
  const char *labels[] = { job->input, NULL };
  const double *inputs[] = { job->images };

  if (job->error != NULL)
    return;
  if (job->input != NULL)
    spk_simulator_predict (job->sim, labels, inputs, 1, &job->error);
  else
    spk_simulator_run_steps (job->sim, SPK_SIMULATOR_CHECK_STEPS, &job->error);
}

/* dense-relu: random images in [0, 1), one step per image, as the
 * reference script does; images/s through predict at this batch. */
static gboolean
run_images (SpkSimulator *sim,
            const char   *input,
            guint         batch,
            guint64       n_images,
            Result       *result,
            GError      **error)
{
  const char *labels[] = { input, NULL };
  guint64 n_calls = MAX (n_images / batch, 1);
  g_autofree double *images = g_new (double, (gsize) batch * 784);
  const double *data[] = { images };
  g_autoptr (GTimer) timer = g_timer_new ();
  SpkRng rng;

  spk_rng_init (&rng, 0);
  for (gsize i = 0; i < (gsize) batch * 784; i++)
    images[i] = spk_rng_uniform (&rng);
  g_timer_start (timer);
  for (guint64 c = 0; c < n_calls; c++)
    if (!spk_simulator_predict (sim, labels, data, 1, error))
      return FALSE;
  result->images_per_s = (double) (n_calls * batch) / g_timer_elapsed (timer, NULL);
  result->steps_per_s = (double) n_calls / g_timer_elapsed (timer, NULL);
  {
    StepJob job = { sim, input, images, NULL };

    spk_bench_floor_measure (sim, step_call, &job, 1, &result->floor);
    if (job.error != NULL)
      {
        g_propagate_error (error, job.error);
        return FALSE;
      }
  }
  return TRUE;
}

static gboolean
run_bench (const SpkBenchInfo *info,
           guint               batch,
           Result             *result,
           GError            **error)
{
  g_autoptr (SpkNetwork) network = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  g_autoptr (GTimer) timer = g_timer_new ();

  reset_peak_rss ();
  result->name = info->name;
  result->batch = batch;
  result->images_per_s = NAN;
  if (!(network = spk_bench_network_new (info->name, error)))
    return FALSE;
  /* The first build solves everything: nothing kept from before. */
  spk_decoder_cache_set_disk_enabled (FALSE);
  spk_decoder_cache_clear_memory ();
  g_timer_start (timer);
  if (!(plan = spk_build (network, error)))
    return FALSE;
  result->build_s = g_timer_elapsed (timer, NULL);
  /* As the workbench rebuilds after an edit that changes no solve: a new
   * node beside the network. */
  {
    g_autoptr (SpkNode) node = spk_node_new ();
    g_autoptr (SpkPlan) again = NULL;

    spk_object_set_label (SPK_OBJECT (node), "bench_unrelated_edit");
    spk_node_set_output_expr (node, "sin(t)");
    if (!spk_network_add (network, SPK_OBJECT (node), error))
      return FALSE;
    g_timer_start (timer);
    if (!(again = spk_build (network, error)))
      return FALSE;
    result->build_cached_s = g_timer_elapsed (timer, NULL);
  }
  result->neurons = spk_plan_get_n_neurons (plan);
  if (!(sim = spk_simulator_new (plan, batch, error)))
    return FALSE;
  if (info->input != NULL)
    {
      if (!run_images (sim, info->input, batch, 20000, result, error))
        return FALSE;
    }
  else
    {
      g_timer_start (timer);
      if (!spk_simulator_run_steps (sim, info->n_steps, error))
        return FALSE;
      result->steps_per_s = (double) info->n_steps / g_timer_elapsed (timer, NULL);
      {
        StepJob job = { sim, NULL, NULL, NULL };

        /* Steps as a run takes them: the state's finite check, a scan of
         * every signal, runs once per SPK_SIMULATOR_CHECK_STEPS steps
         * (one step a call would pay it on every step). */
        spk_bench_floor_measure (sim, step_call, &job, SPK_SIMULATOR_CHECK_STEPS, &result->floor);
        if (job.error != NULL)
          {
            g_propagate_error (error, job.error);
            return FALSE;
          }
      }
    }
  result->peak_rss_mb = peak_rss_mb ();
  return TRUE;
}

static void
print_result (const Result *r,
              gboolean      json,
              gboolean      first)
{
  double neuron_steps = r->steps_per_s * r->neurons * r->batch;
  double step_s = r->floor.step_s;
  const SpkBenchFloor *f = &r->floor;

  if (json)
    {
      printf ("%s{\"name\": \"%s\", \"batch\": %u, \"neurons\": %u, \"build_s\": %.6g, "
              "\"build_cached_s\": %.6g, \"steps_per_s\": %.6g, \"neuron_steps_per_s\": %.6g, "
              "\"peak_rss_mb\": %.1f",
              first ? "" : ",\n ", r->name, r->batch, r->neurons, r->build_s, r->build_cached_s,
              r->steps_per_s, neuron_steps, r->peak_rss_mb);
      if (!isnan (r->images_per_s))
        printf (", \"images_per_s\": %.6g", r->images_per_s);
      printf (", \"step_s\": %.6g, \"floor_s\": %.6g, \"floor_neurons_s\": %.6g, \"floor_products_s\": %.6g, "
              "\"floor_threads\": %u, \"bandwidth_gb_s\": %.4g, \"peak_gflop_s\": %.4g, \"floor_ratio\": %.4g}",
              step_s, f->floor_s, f->neurons_s, f->products_s, f->n_threads, f->bandwidth / 1e9,
              f->peak_flops / 1e9, step_s / f->floor_s);
      return;
    }
  printf ("%-18s batch %-3u %6u neurons  build %8.3f s (again %7.4f s)  %10.1f steps/s  %8.3g neuron-steps/s  "
          "peak %7.1f MB",
          r->name, r->batch, r->neurons, r->build_s, r->build_cached_s, r->steps_per_s, neuron_steps,
          r->peak_rss_mb);
  if (!isnan (r->images_per_s))
    printf ("  %.0f images/s", r->images_per_s);
  printf ("\n%18s floor %.2f µs (neurons %.2f µs on %u thread(s), products %.2f µs at %.1f GB/s, %.0f GFLOP/s); "
          "a step takes %.2f µs: floor_ratio %.2f\n",
          "", f->floor_s * 1e6, f->neurons_s * 1e6, f->n_threads, f->products_s * 1e6, f->bandwidth / 1e9,
          f->peak_flops / 1e9, step_s * 1e6, step_s / f->floor_s);
  fflush (stdout);
}

/* `bench expr`: the expression evaluator against the same loop written by
 * hand in C, over a million elements. */
static int
bench_expr (gboolean json,
            gboolean first)
{
  const gsize n = 1000000;
  double expr_s = 0, c_s = 0;
  double ratio = spk_bench_expr (n, &expr_s, &c_s);

  if (isnan (ratio))
    {
      fprintf (stderr, "spikeworks-cli: %s\n", _("the expression and the C loop disagree"));
      return 1;
    }
  if (json)
    printf ("%s{\"name\": \"expr\", \"elements\": %zu, \"expr_s\": %.6g, \"c_s\": %.6g, \"ratio\": %.3f}",
            first ? "" : ",\n ", n, expr_s, c_s, ratio);
  else
    printf ("%-18s sin(2*pi*t) * x[0] + x[1]^2 over %zu elements: %.3f ms, hand-written C %.3f ms, ratio %.2f×\n",
            "expr", n, expr_s * 1e3, c_s * 1e3, ratio);
  return 0;
}

/* `bench runner`: chain-100 through the runner, a consumer draining every
 * probe, against the bare simulator (the best of three runs each). */
static int
bench_runner (gboolean json,
              gboolean first)
{
  g_autoptr (GError) error = NULL;
  double ratio = spk_bench_runner_overhead (NULL, 10000, &error);

  if (ratio < 0)
    return _spk_cli_fail (error);
  if (json)
    printf ("%s{\"name\": \"runner\", \"network\": \"chain-100\", \"steps\": 10000, \"ratio\": %.3f}",
            first ? "" : ",\n ", ratio);
  else
    printf ("%-18s chain-100 through the runner, every probe drained: %.3f× the bare simulator's time\n",
            "runner", ratio);
  return 0;
}

/* `bench fit-autoencoder`: one epoch of the autoencoder's training
 * (784-64-784, MSE, RMSprop, batch 50) on random images of Fashion-MNIST's
 * size; compare with ../bench/torch_autoencoder.py's train images/s. */
static int
bench_fit (gboolean json,
           gboolean first)
{
  g_autoptr (GError) error = NULL;
  double rate = spk_bench_train_autoencoder (60000, &error);

  if (rate < 0)
    return _spk_cli_fail (error);
  if (json)
    printf ("%s{\"name\": \"fit-autoencoder\", \"images\": 60000, \"train_images_per_s\": %.6g}",
            first ? "" : ",\n ", rate);
  else
    printf ("%-18s one epoch of 60000 images, batch 50, RMSprop: %.0f images/s\n", "fit-autoencoder", rate);
  return 0;
}

/* `bench fit-conv`: a fixed number of minibatches of the
 * spiking-fashion-mnist example's training through rates (three Conv2D
 * layers, batch 50, Adam); compare with ../bench/torch_conv.py's images/s. */
#define FIT_CONV_BATCHES 40

static int
bench_fit_conv (gboolean json,
                gboolean first)
{
  g_autoptr (GError) error = NULL;
  const char *data = NULL;
  double cpu_s = -1.0;
  double rate = spk_bench_train_conv (FIT_CONV_BATCHES, &data, &cpu_s, &error);

  if (rate < 0)
    return _spk_cli_fail (error);
  /* The CPU time says how busy both cores were (threads spinning count). */
  if (json)
    printf ("%s{\"name\": \"fit-conv\", \"images\": %u, \"data\": \"%s\", \"images_per_s\": %.6g, "
            "\"cpu_s\": %.4g}",
            first ? "" : ",\n ", FIT_CONV_BATCHES * 50, data, rate, cpu_s);
  else
    printf ("%-18s %u minibatches of 50 %s images, Adam: %.0f images/s (CPU %.2f s for %.2f s)\n", "fit-conv",
            FIT_CONV_BATCHES, data, rate, cpu_s, FIT_CONV_BATCHES * 50 / rate);
  return 0;
}

int
_spk_cli_bench (int    argc,
                char **argv)
{
  gboolean json = FALSE;
  int batch = 0;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON array"), NULL },
    { "batch", 'b', 0, G_OPTION_ARG_INT, &batch, N_("Minibatch size (default 1; dense-relu runs 1 and 50)"), N_("B") },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new (N_("[NAME…]"));
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  g_autoptr (GString) summary = g_string_new (_("Benchmarks (all but big-ens and full-weights by default):"));
  gboolean first = TRUE;

  for (const SpkBenchInfo *b = spk_bench_list (); b->name; b++)
    g_string_append_printf (summary, "\n  %-18s %s", b->name, _(b->description));
  g_string_append_printf (summary, "\n  %-18s %s", "expr", _("the expression evaluator against hand-written C"));
  g_string_append_printf (summary, "\n  %-18s %s", "runner", _("chain-100 through the worker-thread runner against the bare simulator"));
  g_string_append_printf (summary, "\n  %-18s %s", "fit-autoencoder", _("one epoch of training the autoencoder"));
  g_string_append_printf (summary, "\n  %-18s %s", "fit-conv", _("training the convolutional Fashion-MNIST classifier for 40 minibatches"));
  g_option_context_set_summary (context, summary->str);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!_spk_cli_parse (context, &argc, &argv, -1, "bench [--json] [--batch B] [NAME…]"))
    return 2;
  if (batch < 0)
    return _spk_cli_usage (_("--batch must be at least 1"), "bench [--json] [--batch B] [NAME…]");
  for (int i = 1; i < argc; i++)
    {
      if (!g_str_equal (argv[i], "expr") && !g_str_equal (argv[i], "runner")
          && !g_str_equal (argv[i], "fit-autoencoder") && !g_str_equal (argv[i], "fit-conv")
          && spk_bench_find (argv[i]) == NULL)
        return _spk_cli_usage (_("unknown benchmark (see bench --help)"), "bench [--json] [--batch B] [NAME…]");
      g_ptr_array_add (names, argv[i]);
    }
  if (names->len == 0)
    {
      /* The two large ones take minutes to build; name them to run them. */
      for (const SpkBenchInfo *b = spk_bench_list (); b->name; b++)
        if (!g_str_equal (b->name, "big-ens") && !g_str_equal (b->name, "full-weights"))
          g_ptr_array_add (names, (gpointer) b->name);
      g_ptr_array_add (names, "expr");
      g_ptr_array_add (names, "runner");
      g_ptr_array_add (names, "fit-autoencoder");
      g_ptr_array_add (names, "fit-conv");
    }

  if (json)
    printf ("[");
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      const SpkBenchInfo *info = spk_bench_find (name);
      guint batches[2] = { batch > 0 ? (guint) batch : 1, 50 };
      guint n_batches = info && info->input && batch == 0 ? 2 : 1;

      if (info == NULL)
        {
          int status = g_str_equal (name, "expr") ? bench_expr (json, first)
                       : g_str_equal (name, "runner") ? bench_runner (json, first)
                       : g_str_equal (name, "fit-conv") ? bench_fit_conv (json, first)
                       : bench_fit (json, first);

          if (status != 0)
            return 1;
          first = FALSE;
          continue;
        }
      for (guint k = 0; k < n_batches; k++)
        {
          g_autoptr (GError) error = NULL;
          Result result = { 0 };

          if (!run_bench (info, batches[k], &result, &error))
            return _spk_cli_fail (error);
          print_result (&result, json, first);
          first = FALSE;
        }
    }
  if (json)
    printf ("]\n");
  return 0;
}
