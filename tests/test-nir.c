/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-nir.c — the NIR converter (engine/io/spk-nir-*.c): the NIR paper's
 * task 1 (tests/data/nir, one LIF neuron driven by 34 input spikes at
 * dt = 0.1 ms) against the paper's exact solution and its platforms'
 * traces; the braille networks of task 3 import; small graphs written by
 * tests/nir/make_nir_files.py (recurrent, nested, and each bad input with
 * its message); the CLI; seeded fuzzing of the reader. */
#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "core/spk-error.h"
#include "core/spk-rng.h"
#include "io/spk-model-json.h"
#include "io/spk-nir.h"
#include "model/spk-connection.h"
#include "model/spk-subnetwork.h"
#include "model/spk-ensemble.h"
#include "model/spk-probe.h"
#include "model/spk-synapse.h"
#include "sim/spk-simulator.h"
#include "spk-cli-test-util.h"
#include "spk-test-util.h"

#define TASK1_STEPS 1000

static char *dir;   /* the generated files */

static char *
generated (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static char *
paper_file (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "nir", name, NULL);
}

static SpkSession *
convert (const char          *path,
         const SpkNirOptions *options)
{
  g_autoptr (GError) error = NULL;
  SpkSession *session = spk_nir_convert_file (path, options, &error);

  g_assert_no_error (error);
  g_assert_nonnull (session);
  return session;
}

/* The session's network, rebuilt (after adding a probe) with the file's
 * weights. */
static SpkPlan *
rebuild (SpkSession *session)
{
  SpkPlan *old = spk_session_get_plan (session);
  g_auto (GStrv) keys = spk_plan_list_params (old);
  g_autoptr (GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) spk_array_unref);
  g_autoptr (GError) error = NULL;
  SpkPlan *plan;

  for (guint i = 0; keys[i]; i++)
    g_hash_table_insert (params, g_strdup (keys[i]), spk_plan_dup_param (old, keys[i]));
  plan = spk_build_with_params (spk_session_get_network (session), params, &error);
  g_assert_no_error (error);
  return plan;
}

/* A paper CSV: rows of (input, voltage, spike). */
static double *
read_csv (const char *name,
          gsize      *rows)
{
  g_autofree char *path = paper_file (name);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  GArray *values = g_array_new (FALSE, FALSE, sizeof (double));

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  *rows = 0;
  for (guint i = 0; lines[i]; i++)
    {
      g_auto (GStrv) fields = NULL;

      if (*g_strstrip (lines[i]) == '\0')
        continue;
      fields = g_strsplit (lines[i], ",", -1);
      g_assert_cmpuint (g_strv_length (fields), ==, 3);
      for (guint k = 0; k < 3; k++)
        {
          double v = g_ascii_strtod (fields[k], NULL);

          g_array_append_val (values, v);
        }
      (*rows)++;
    }
  return (double *) g_array_free (values, FALSE);
}

/* Task 1: the neuron spikes at the steps the exact solution and the
 * platforms that integrate exactly report, and its voltage is as close to
 * the exact solution as the best platform's (Nengo's and Norse's: the
 * exact solution goes on integrating after its reset inside a spike's
 * step, a stepped simulator resets at the step's end, and the difference
 * decays after each spike). */
static void
test_task1_lif (void)
{
  g_autofree char *path = paper_file ("lif_norse.nir");
  g_autoptr (SpkSession) session = convert (path, NULL);
  SpkNetwork *net = spk_session_get_network (session);
  SpkObject *lif = spk_network_lookup (net, "LIF 1");
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree double *exact = NULL, *input = NULL, *spikes = NULL, *voltage = NULL;
  const char *platforms[] = { "lif_nengo.csv", "lif_norse.csv", "lif_snntorch.csv", "lif_spinnaker2.csv" };
  /* Nengo records the voltage over the threshold (0.1); Norse as is. */
  const struct { const char *name; double scale; } closest[] = { { "lif_nengo.csv", 0.1 }, { "lif_norse.csv", 1 } };
  double best = INFINITY, worst = 0, worst_before = 0;
  guint n_spikes = 0;
  gsize rows;

  g_assert_cmpfloat (spk_network_get_dt (net), ==, 1e-4);
  g_assert_true (SPK_IS_ENSEMBLE (lif));
  g_assert_cmpint (spk_ensemble_get_neuron_type (SPK_ENSEMBLE (lif))->kind, ==, SPK_NEURON_LIF);
  tu_probe (net, "voltage", lif, TRUE, "voltage", -1);
  plan = rebuild (session);
  g_assert_no_error (error);
  exact = read_csv ("lif_exact.csv", &rows);
  g_assert_cmpuint (rows, ==, TASK1_STEPS);
  input = g_new (double, TASK1_STEPS);
  for (guint k = 0; k < TASK1_STEPS; k++)
    input[k] = exact[3 * k];

  sim = spk_simulator_new (plan, 1, &error);
  g_assert_no_error (error);
  g_assert_true (spk_simulator_set_input (sim, "input", input, TASK1_STEPS, &error));
  g_assert_true (spk_simulator_run_steps (sim, TASK1_STEPS, &error));
  g_assert_no_error (error);
  spikes = g_new (double, TASK1_STEPS);
  voltage = g_new (double, TASK1_STEPS);
  spk_simulator_get_probe_data (sim, (guint) spk_plan_find_probe (plan, "output"), spikes);
  spk_simulator_get_probe_data (sim, (guint) spk_plan_find_probe (plan, "voltage"), voltage);

  /* A spike is 1 in its step, in the steps of the exact solution… */
  for (guint k = 0; k < TASK1_STEPS; k++)
    {
      g_assert_cmpfloat (spikes[k], ==, exact[3 * k + 2]);
      n_spikes += spikes[k] != 0;
    }
  g_assert_cmpuint (n_spikes, ==, 4);
  /* …and of every platform that integrates exactly or by Euler at 0.1 ms. */
  for (guint p = 0; p < G_N_ELEMENTS (platforms); p++)
    {
      g_autofree double *trace = read_csv (platforms[p], &rows);

      for (guint k = 0; k < TASK1_STEPS; k++)
        g_assert_cmpfloat (spikes[k], ==, trace[3 * k + 2]);
    }
  for (guint p = 0; p < G_N_ELEMENTS (closest); p++)
    {
      g_autofree double *trace = read_csv (closest[p].name, &rows);
      double err = 0;

      for (guint k = 0; k < TASK1_STEPS; k++)
        err = MAX (err, fabs (trace[3 * k + 1] * closest[p].scale - exact[3 * k + 1]));
      best = MIN (best, err);
    }
  /* The voltage: u = v/v_threshold (v_reset 0). */
  for (guint k = 0; k < TASK1_STEPS; k++)
    {
      double err = fabs (0.1 * voltage[k] - exact[3 * k + 1]);

      worst = MAX (worst, err);
      if (k < 460)
        worst_before = MAX (worst_before, err);
    }
  g_test_message ("task 1: max voltage error %.3g (best platform %.3g), %.3g before the first spike",
                  worst, best, worst_before);
  /* The trace for tools/plot-nir-task1.py (docs/nir.md's plot). */
  if (g_getenv ("SPK_NIR_TASK1_OUT"))
    {
      g_autoptr (GString) csv = g_string_new (NULL);

      for (guint k = 0; k < TASK1_STEPS; k++)
        g_string_append_printf (csv, "%.9g,%g\n", 0.1 * voltage[k], spikes[k]);
      g_assert_true (g_file_set_contents (g_getenv ("SPK_NIR_TASK1_OUT"), csv->str, (gssize) csv->len, NULL));
    }
  g_assert_cmpfloat (worst, <=, best + 1e-7);
  /* Until the first reset the integration is exact: float32 round-off on
   * a voltage of at most 0.1. */
  g_assert_cmpfloat (worst_before, <, 1e-7);
}

/* Task 3's networks import: CubaLIF through a Lowpass synapse, the
 * recurrent Affine as a Dense layer, every node a labelled object. */
static void
test_task3_import (void)
{
  const char *files[] = { "braille_noDelay_bias_zero.nir", "braille_noDelay_noBias_subtract.nir" };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = paper_file (files[i]);
      g_autoptr (SpkSession) session = convert (path, NULL);
      SpkNetwork *net = spk_session_get_network (session);

      g_assert_true (SPK_IS_ENSEMBLE (spk_network_lookup (net, "lif1.lif")));
      g_assert_true (SPK_IS_ENSEMBLE (spk_network_lookup (net, "lif2")));
      g_assert_nonnull (spk_network_lookup (net, "lif1.w_rec"));
      g_assert_true (SPK_IS_PROBE (spk_network_lookup (net, "output")));
      g_assert_nonnull (spk_session_get_plan (session));
    }
}

static SpkConnection *
find_connection (SpkNetwork *net,
                 const char *pre,
                 const char *post)
{
  GPtrArray *objects = spk_network_get_objects (net);

  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *o = g_ptr_array_index (objects, i);

      if (SPK_IS_CONNECTION (o)
          && g_str_equal (spk_object_get_label (spk_connection_get_pre (SPK_CONNECTION (o))), pre)
          && g_str_equal (spk_object_get_label (spk_connection_get_post (SPK_CONNECTION (o))), post))
        return SPK_CONNECTION (o);
    }
  return NULL;
}

/* On a cycle through a neuron, the edge out of the neuron waits one step
 * (a synapse of 0); the others have none. */
static void
test_recurrent (void)
{
  g_autofree char *path = generated ("recurrent.nir");
  g_autoptr (SpkSession) session = convert (path, NULL);
  SpkNetwork *net = spk_session_get_network (session);
  SpkConnection *out = find_connection (net, "lif", "rec");
  SpkConnection *back = find_connection (net, "rec", "lif");
  SpkConnection *forward = find_connection (net, "fc", "lif");

  g_assert_nonnull (out);
  g_assert_nonnull (back);
  g_assert_nonnull (forward);
  g_assert_nonnull (spk_connection_get_synapse (out));
  g_assert_null (spk_connection_get_synapse (back));
  g_assert_null (spk_connection_get_synapse (forward));
}

#define TASK3_STEPS 400

static void
write_f64 (const char   *path,
           const double *values,
           gsize         n)
{
  g_assert_true (g_file_set_contents (path, (const char *) values, (gssize) (n * sizeof (double)), NULL));
}

/* Task 3: the braille networks, converted with --euler (snnTorch's
 * stepping) in float64, spike as the paper's reference CubaLIF equations
 * do (tests/nir/reference_braille.py runs them) on seeded random input
 * spikes: every neuron, every step. */
static void
test_task3_dynamics (void)
{
  const char *files[] = { "braille_noDelay_bias_zero.nir", "braille_noDelay_noBias_subtract.nir" };
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "nir", "reference_braille.py", NULL);

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *path = paper_file (files[f]);
      g_autofree char *in_path = generated ("braille-in.f64"), *l1_path = generated ("braille-lif1.f64");
      g_autofree char *l2_path = generated ("braille-lif2.f64");
      g_autofree char *steps_text = g_strdup_printf ("%d", TASK3_STEPS);
      g_autofree double *input = g_new (double, TASK3_STEPS * 12);
      g_autofree double *lif1 = NULL, *lif2 = NULL;
      g_autofree char *out = NULL;
      SpkNirOptions options;
      g_autoptr (SpkSession) session = NULL;
      g_autoptr (SpkPlan) plan = NULL;
      g_autoptr (SpkSimulator) sim = NULL;
      g_autoptr (GError) error = NULL;
      SpkNetwork *net;
      guint n1, n2;
      int status = 0;
      SpkRng rng;

      spk_nir_options_init (&options);
      options.integration = SPK_NIR_EULER;
      session = convert (path, &options);
      net = spk_session_get_network (session);
      spk_network_set_dtype (net, SPK_DTYPE_FLOAT64);
      tu_probe (net, "lif1 spikes", spk_network_lookup (net, "lif1.lif"), TRUE, "output", -1);
      plan = rebuild (session);
      spk_rng_init (&rng, 40 + f);
      for (guint i = 0; i < TASK3_STEPS * 12; i++)
        input[i] = spk_rng_uniform (&rng) < 0.2 ? 1 : 0;
      sim = spk_simulator_new (plan, 1, &error);
      g_assert_no_error (error);
      g_assert_true (spk_simulator_set_input (sim, "input", input, TASK3_STEPS, &error));
      g_assert_true (spk_simulator_run_steps (sim, TASK3_STEPS, &error));
      g_assert_no_error (error);
      n1 = spk_plan_get_probe_size (plan, (guint) spk_plan_find_probe (plan, "lif1 spikes"));
      n2 = spk_plan_get_probe_size (plan, (guint) spk_plan_find_probe (plan, "output"));
      lif1 = g_new (double, TASK3_STEPS * n1);
      lif2 = g_new (double, TASK3_STEPS * n2);
      spk_simulator_get_probe_data (sim, (guint) spk_plan_find_probe (plan, "lif1 spikes"), lif1);
      spk_simulator_get_probe_data (sim, (guint) spk_plan_find_probe (plan, "output"), lif2);
      write_f64 (in_path, input, TASK3_STEPS * 12);
      write_f64 (l1_path, lif1, TASK3_STEPS * n1);
      write_f64 (l2_path, lif2, TASK3_STEPS * n2);
      {
        const char *args[] = { "/usr/bin/python3", script, path, steps_text, in_path, l1_path, l2_path, NULL };

        g_assert_true (g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                                     &status, &error));
      }
      g_assert_no_error (error);
      g_test_message ("%s", g_strstrip (out));
      g_assert_true (g_spawn_check_wait_status (status, &error));
      g_assert_no_error (error);
    }
}

#define TASK2_STEPS 12

/* Task 2: the Sinabs CNN (Conv2d, IF, SumPool2d, Flatten, Affine),
 * converted at dt = 1 (Sinabs's IAF adds its input once per step) and run
 * in float64 on seeded random event frames: every layer equals a numpy
 * implementation of the NIR equations (tests/nir/reference_cnn.py), the
 * spikes exactly, the convolutions and dense layers to 1e-9. */
static void
test_task2_cnn (void)
{
  /* NIR node → the object holding its output (Flatten passes its input's). */
  static const struct { const char *node, *label; gboolean neurons; } layers[] = {
    { "0", "Conv2d 0", FALSE }, { "1", "IF 1", TRUE }, { "2", "Conv2d 2", FALSE }, { "3", "IF 3", TRUE },
    { "4", "SumPool2d 4", FALSE }, { "5", "Conv2d 5", FALSE }, { "6", "IF 6", TRUE },
    { "7", "SumPool2d 7", FALSE }, { "8", "SumPool2d 7", FALSE }, { "9", "Affine 9", FALSE },
    { "10", "IF 10", TRUE }, { "11", "Affine 11", FALSE }, { "12", "IF 12", TRUE },
  };
  g_autofree char *path = paper_file ("cnn_sinabs.nir");
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "nir", "reference_cnn.py", NULL);
  g_autofree char *folder = g_build_filename (dir, "task2", NULL);
  g_autofree char *in_path = g_build_filename (folder, "input.f64", NULL);
  g_autofree char *steps_text = g_strdup_printf ("%d", TASK2_STEPS);
  g_autofree double *input = g_new (double, TASK2_STEPS * 2 * 34 * 34);
  g_autofree char *out = NULL;
  SpkNirOptions options;
  g_autoptr (SpkSession) session = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  g_autoptr (GError) error = NULL;
  SpkNetwork *net;
  int status = 0;
  SpkRng rng;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  spk_nir_options_init (&options);
  options.dt = 1;
  session = convert (path, &options);
  net = spk_session_get_network (session);
  spk_network_set_dtype (net, SPK_DTYPE_FLOAT64);
  for (guint i = 0; i < G_N_ELEMENTS (layers); i++)
    {
      SpkObject *target = spk_network_lookup (net, layers[i].label);

      g_assert_nonnull (target);
      if (spk_network_lookup (net, layers[i].node) == NULL)
        tu_probe (net, layers[i].node, target, layers[i].neurons, "output", -1);
    }
  plan = rebuild (session);
  /* Event frames: each pixel and polarity has an event in a step with
   * probability 0.15. */
  spk_rng_init (&rng, 22);
  for (guint i = 0; i < TASK2_STEPS * 2 * 34 * 34; i++)
    input[i] = spk_rng_uniform (&rng) < 0.15 ? 1 : 0;
  sim = spk_simulator_new (plan, 1, &error);
  g_assert_no_error (error);
  g_assert_true (spk_simulator_set_input (sim, "input", input, TASK2_STEPS, &error));
  g_assert_true (spk_simulator_run_steps (sim, TASK2_STEPS, &error));
  g_assert_no_error (error);
  write_f64 (in_path, input, TASK2_STEPS * 2 * 34 * 34);
  for (guint i = 0; i < G_N_ELEMENTS (layers); i++)
    {
      guint probe = (guint) spk_plan_find_probe (plan, layers[i].node);
      guint n = spk_plan_get_probe_size (plan, probe);
      g_autofree double *data = g_new (double, TASK2_STEPS * n);
      g_autofree char *name = g_strdup_printf ("%s.f64", layers[i].node);
      g_autofree char *file = g_build_filename (folder, name, NULL);

      spk_simulator_get_probe_data (sim, probe, data);
      write_f64 (file, data, TASK2_STEPS * n);
    }
  {
    const char *args[] = { "/usr/bin/python3", script, path, steps_text, folder, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status,
                                 &error));
  }
  g_assert_no_error (error);
  g_test_message ("%s", g_strstrip (out));
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
}

/* A nested graph is a sub-network labelled with its name, its nodes
 * inside it labelled <graph>.<node>, the edges through its ports plain
 * connections. */
static void
test_nested (void)
{
  g_autofree char *path = generated ("nested.nir");
  g_autoptr (SpkSession) session = convert (path, NULL);
  SpkNetwork *net = spk_session_get_network (session);
  SpkObject *sub = spk_network_lookup (net, "lif");
  SpkConnection *in = find_connection (net, "fc", "lif.lif");

  g_assert_true (SPK_IS_SUBNETWORK (sub));
  g_assert_null (spk_object_get_network (sub));
  g_assert_true (SPK_IS_ENSEMBLE (spk_network_lookup (net, "lif.lif")));
  g_assert_true (spk_object_get_network (spk_network_lookup (net, "lif.lif")) == sub);
  g_assert_nonnull (in);
  /* An edge into the graph is made where both ends are: outside it. */
  g_assert_null (spk_object_get_network (SPK_OBJECT (in)));
  g_assert_null (spk_network_lookup (net, "lif.in"));
  g_assert_null (spk_network_lookup (net, "lif.out"));
}

/* Runs plan at 1 ms on seeded input to its Node "input" (size 3) and
 * returns the data of probe. */
static double *
run_probe (SpkPlan    *plan,
           guint       steps,
           const char *probe,
           guint      *size)
{
  g_autoptr (SpkSimulator) sim = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree double *input = g_new (double, steps * 3);
  int index = spk_plan_find_probe (plan, probe);
  double *data;
  SpkRng rng;

  g_assert_cmpint (index, >=, 0);
  spk_rng_init (&rng, 12);
  for (guint i = 0; i < steps * 3; i++)
    input[i] = spk_rng_uniform_range (&rng, -0.5, 1.5);
  sim = spk_simulator_new (plan, 1, &error);
  g_assert_no_error (error);
  g_assert_true (spk_simulator_set_input (sim, "input", input, steps, &error));
  g_assert_true (spk_simulator_run_steps (sim, steps, &error));
  g_assert_no_error (error);
  *size = spk_plan_get_probe_size (plan, (guint) index);
  data = g_new (double, (gsize) steps * *size);
  spk_simulator_get_probe_data (sim, (guint) index, data);
  return data;
}

#define NESTED_STEPS 400

/* The two sessions' probes spike alike, every step; the number of
 * spikes. */
static guint
assert_same_spikes (SpkPlan    *a,
                    const char *probe_a,
                    SpkPlan    *b,
                    const char *probe_b)
{
  guint size_a, size_b, spikes = 0;
  g_autofree double *x = run_probe (a, NESTED_STEPS, probe_a, &size_a);
  g_autofree double *y = run_probe (b, NESTED_STEPS, probe_b, &size_b);

  g_assert_cmpuint (size_a, ==, size_b);
  for (gsize i = 0; i < (gsize) NESTED_STEPS * size_a; i++)
    {
      if (x[i] != y[i])
        g_error ("%s / %s: step %" G_GSIZE_FORMAT ", neuron %" G_GSIZE_FORMAT ": %g, expected %g", probe_a, probe_b,
                 i / size_a, i % size_a, x[i], y[i]);
      spikes += x[i] != 0;
    }
  g_test_message ("%s: %u spikes", probe_a, spikes);
  return spikes;
}

static SpkSession *
convert_f64 (const char *name)
{
  g_autofree char *path = generated (name);
  SpkNirOptions options;
  SpkSession *session;

  spk_nir_options_init (&options);
  options.dt = 0.001;
  session = convert (path, &options);
  spk_network_set_dtype (spk_session_get_network (session), SPK_DTYPE_FLOAT64);
  return session;
}

/* Two levels of nesting, written by the reference package: sub-networks
 * inside sub-networks (and the groups of a node with two time constants
 * a network inside those), a recurrent edge inside one; the network
 * spikes exactly as the same graph written flat, and keeps its structure
 * through a saved session. */
static void
test_nested_two_levels (void)
{
  g_autoptr (SpkSession) nested = convert_f64 ("nested2.nir"), flat = convert_f64 ("flat2.nir");
  SpkNetwork *net = spk_session_get_network (nested), *net_flat = spk_session_get_network (flat);
  SpkObject *layer1 = spk_network_lookup (net, "layer1"), *inner = spk_network_lookup (net, "layer1.inner");
  SpkObject *lif2 = spk_network_lookup (net, "layer1.inner.lif2");
  g_autoptr (SpkPlan) plan = NULL, plan_flat = NULL;
  g_autofree char *saved = generated ("nested2.spkw");
  g_autoptr (SpkSession) loaded = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (SPK_IS_SUBNETWORK (layer1));
  g_assert_true (SPK_IS_SUBNETWORK (inner));
  g_assert_true (spk_object_get_network (inner) == layer1);
  g_assert_true (spk_object_get_network (spk_network_lookup (net, "layer1.lif")) == layer1);
  g_assert_true (spk_object_get_network (spk_network_lookup (net, "layer1.rec")) == layer1);
  g_assert_true (spk_object_get_network (spk_network_lookup (net, "layer1.inner.w")) == inner);
  /* Two time constants: two ensembles in a network of the node's name. */
  g_assert_true (SPK_IS_SUBNETWORK (lif2));
  g_assert_true (spk_object_get_network (lif2) == inner);
  g_assert_true (spk_object_get_network (spk_network_lookup (net, "layer1.inner.lif2 (2 of 2)")) == lif2);
  g_assert_true (spk_object_get_network (spk_network_lookup (net, "layer1.inner.lif2.output")) == lif2);
  /* The recurrent edge is made inside layer1; the edge into it outside. */
  g_assert_true (spk_object_get_network (SPK_OBJECT (find_connection (net, "layer1.rec", "layer1.lif"))) == layer1);
  g_assert_null (spk_object_get_network (SPK_OBJECT (find_connection (net, "fc", "layer1.lif"))));

  tu_probe (net, "lif spikes", spk_network_lookup (net, "layer1.lif"), TRUE, "output", -1);
  tu_probe (net_flat, "lif spikes", spk_network_lookup (net_flat, "lif"), TRUE, "output", -1);
  plan = rebuild (nested);
  plan_flat = rebuild (flat);
  g_assert_cmpuint (assert_same_spikes (plan, "lif spikes", plan_flat, "lif spikes"), >, 100);
  g_assert_cmpuint (assert_same_spikes (plan, "output", plan_flat, "output"), >, 20);

  /* A saved session keeps the networks. */
  g_assert_true (spk_session_save (nested, saved, &error));
  g_assert_no_error (error);
  loaded = spk_session_load_checked (saved, &error);
  g_assert_no_error (error);
  net = spk_session_get_network (loaded);
  g_assert_true (SPK_IS_SUBNETWORK (spk_network_lookup (net, "layer1.inner")));
  g_assert_true (spk_object_get_network (spk_network_lookup (net, "layer1.inner"))
                 == spk_network_lookup (net, "layer1"));
  g_assert_cmpuint (assert_same_spikes (spk_session_get_plan (loaded), "output", plan_flat, "output"), >, 20);
}

/* Nested graphs go out as NIR again (flat: the names keep the path) and
 * come back spike for spike; no label is taken twice on the way. */
static void
test_nested_export (void)
{
  g_autoptr (SpkSession) nested = convert_f64 ("nested2.nir"), again = NULL;
  g_autofree char *out = generated ("nested2-out.nir");
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  SpkNirOptions options;

  g_assert_true (spk_nir_export (spk_session_get_network (nested), spk_session_get_plan (nested), out, &error));
  g_assert_no_error (error);
  spk_nir_options_init (&options);
  options.dt = 0.001;
  again = spk_nir_convert_file (out, &options, &error);
  g_assert_no_error (error);
  spk_network_set_dtype (spk_session_get_network (again), SPK_DTYPE_FLOAT64);
  plan = rebuild (again);
  g_assert_cmpuint (assert_same_spikes (spk_session_get_plan (nested), "output", plan, "output"), >, 20);
}

/* 200 neurons with 200 time constants: 200 ensembles in a network of the
 * node's name, fed through its Node x.input and gathered in x.output,
 * every neuron spiking as NIR's LIF equation says. */
static void
test_many_groups (void)
{
  g_autofree char *path = generated ("taus200.nir");
  g_autoptr (SpkSession) session = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree double *x = g_new (double, 200 * 200), *got = g_new (double, 200 * 200);
  double v[200] = { 0 };
  SpkNirOptions options;
  SpkObject *group;
  guint spikes = 0;
  SpkRng rng;

  spk_nir_options_init (&options);
  options.dt = 0.001;
  session = convert (path, &options);
  spk_network_set_dtype (spk_session_get_network (session), SPK_DTYPE_FLOAT64);
  group = spk_network_lookup (spk_session_get_network (session), "x");
  g_assert_true (SPK_IS_SUBNETWORK (group));
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *label = g_strdup_printf ("x (%u of 200)", i + 1);
      SpkObject *ens = spk_network_lookup (spk_session_get_network (session), label);

      g_assert_true (SPK_IS_ENSEMBLE (ens));
      g_assert_true (spk_object_get_network (ens) == group);
    }
  g_assert_null (spk_network_lookup (spk_session_get_network (session), "x (201 of 200)"));
  /* One way in and one way out, so that the network's card has one port
   * each side. */
  g_assert_true (spk_object_get_network (spk_network_lookup (spk_session_get_network (session), "x.input")) == group);
  g_assert_true (spk_object_get_network (spk_network_lookup (spk_session_get_network (session), "x.output")) == group);
  g_assert_nonnull (find_connection (spk_session_get_network (session), "input", "x.input"));
  g_assert_null (find_connection (spk_session_get_network (session), "input", "x (1 of 200)"));
  spk_rng_init (&rng, 200);
  for (guint i = 0; i < 200 * 200; i++)
    x[i] = spk_rng_uniform_range (&rng, 0, 3);
  {
    g_autoptr (SpkPlan) plan = rebuild (session);

    sim = spk_simulator_new (plan, 1, &error);
    g_assert_no_error (error);
    g_assert_true (spk_simulator_set_input (sim, "input", x, 200, &error));
    g_assert_true (spk_simulator_run_steps (sim, 200, &error));
    g_assert_no_error (error);
    spk_simulator_get_probe_data (sim, (guint) spk_plan_find_probe (plan, "output"), got);
  }
  for (guint k = 0; k < 200; k++)
    for (guint i = 0; i < 200; i++)
      {
        double tau = 0.005 + (0.05 - 0.005) * i / 199.0, a = exp (-0.001 / tau);
        double want;

        v[i] = a * v[i] + (1 - a) * x[200 * k + i];
        want = v[i] > 1;
        if (v[i] > 1)
          v[i] = 0;
        spikes += want != 0;
        if (got[200 * k + i] != want)
          g_error ("step %u, neuron %u (tau %g): %g, expected %g", k, i, tau, got[200 * k + i], want);
      }
  g_test_message ("200 time constants: %u spikes", spikes);
  g_assert_cmpuint (spikes, >, 1000);
}

/* A recurrent connection with a Lowpass synapse, exported and imported
 * again, runs as the original with one more step around its loop (a
 * pass-through Node behind a synapse of 0 on the loop, spike for spike):
 * NIR's LI outputs its state a step later, as the engine's synapse does,
 * and NIR's platforms feed a loop back one step later on top of that
 * (docs/nir.md, "Cycles"). */
static char *
loop_model (gboolean extra_step)
{
  g_autoptr (GString) w = g_string_new (NULL);
  g_autofree char *loop = NULL;

  for (guint i = 0; i < 10; i++)
    {
      g_string_append_printf (w, "%s[", i ? "," : "");
      for (guint j = 0; j < 10; j++)
        g_string_append_printf (w, "%s%.17g", j ? "," : "", 0.004 * sin (7.0 * i + 3.0 * j));
      g_string_append (w, "]");
    }
  loop = extra_step
    ? g_strdup_printf ("{\"type\": \"connection\", \"pre\": \"a.neurons\", \"post\": \"step\", \"synapse\": 0},"
                       " {\"type\": \"connection\", \"pre\": \"step\", \"post\": \"a.neurons\", \"synapse\": 0.02,"
                       " \"transform\": [%s]},", w->str)
    : g_strdup_printf ("{\"type\": \"connection\", \"pre\": \"a.neurons\", \"post\": \"a.neurons\", \"synapse\": 0.02,"
                       " \"transform\": [%s]},", w->str);
  return g_strdup_printf (
    "{\"format\": \"spikeworks-model\", \"version\": 5,"
    " \"network\": {\"label\": \"loop\", \"seed\": 3, \"dt\": 0.001, \"dtype\": \"float64\"},"
    " \"objects\": ["
    "  {\"type\": \"node\", \"label\": \"input\", \"output\": [0]},"
    "  {\"type\": \"ensemble\", \"label\": \"a\", \"n_neurons\": 10, \"dimensions\": 1,"
    "   \"neuron_type\": {\"type\": \"LIF\", \"tau_ref\": 0, \"min_voltage\": -1e30,"
    "                     \"initial_state\": {\"voltage\": 0}}},"
    "  {\"type\": \"node\", \"label\": \"step\", \"size_in\": 10},"
    "  {\"type\": \"connection\", \"pre\": \"input\", \"post\": \"a.neurons\", \"synapse\": null,"
    "   \"transform\": [[1.5],[2],[2.5],[1],[3],[1.2],[1.8],[2.2],[2.8],[1.1]]},"
    "  %s"
    "  {\"type\": \"probe\", \"label\": \"a spikes\", \"target\": \"a.neurons\"}"
    " ]}", loop);
}

static double *
run_loop (SpkNetwork *net,
          SpkPlan    *params_from)
{
  g_autoptr (GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) spk_array_unref);
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  g_autoptr (GError) error = NULL;
  double input[600], *out = g_new (double, 600 * 10);

  if (params_from)
    {
      g_auto (GStrv) keys = spk_plan_list_params (params_from);

      for (guint i = 0; keys[i]; i++)
        g_hash_table_insert (params, g_strdup (keys[i]), spk_plan_dup_param (params_from, keys[i]));
    }
  spk_network_set_dtype (net, SPK_DTYPE_FLOAT64);
  plan = spk_build_with_params (net, params, &error);
  g_assert_no_error (error);
  for (guint k = 0; k < 600; k++)
    input[k] = 1 + sin (2 * G_PI * 4 * k * 0.001);
  sim = spk_simulator_new (plan, 1, &error);
  g_assert_no_error (error);
  g_assert_true (spk_simulator_set_input (sim, "input", input, 600, &error));
  g_assert_true (spk_simulator_run_steps (sim, 600, &error));
  g_assert_no_error (error);
  spk_simulator_get_probe_data (sim, (guint) spk_plan_find_probe (plan, "a spikes"), out);
  return out;
}

static void
test_recurrent_lowpass (void)
{
  g_autofree char *text = loop_model (FALSE), *text_step = loop_model (TRUE);
  g_autofree char *out = generated ("loop.nir");
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_model_load_data (text, -1, &error);
  g_autoptr (SpkNetwork) net_step = spk_model_load_data (text_step, -1, &error);
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSession) again = NULL;
  g_autofree double *original = NULL, *stepped = NULL, *round_trip = NULL;
  SpkNirOptions options;
  guint spikes = 0, differ = 0;

  g_assert_no_error (error);
  spk_network_set_dtype (net, SPK_DTYPE_FLOAT64);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  g_assert_true (spk_nir_export (net, plan, out, &error));
  g_assert_no_error (error);
  spk_nir_options_init (&options);
  options.dt = 0.001;
  again = spk_nir_convert_file (out, &options, &error);
  g_assert_no_error (error);
  original = run_loop (net, NULL);
  stepped = run_loop (net_step, NULL);
  /* The probe came back as the NIR Output "a spikes". */
  round_trip = run_loop (spk_session_get_network (again), spk_session_get_plan (again));
  for (guint i = 0; i < 600 * 10; i++)
    {
      /* NIR's spikes are 1, the engine's 1/dt. */
      if (round_trip[i] * 1000 != stepped[i])
        g_error ("step %u, neuron %u: %g, expected %g", i / 10, i % 10, round_trip[i] * 1000, stepped[i]);
      spikes += stepped[i] != 0;
      differ += stepped[i] != original[i];
    }
  g_test_message ("recurrent Lowpass: %u spikes; %u differ from the loop without the extra step", spikes, differ);
  g_assert_cmpuint (spikes, >, 300);
  g_assert_cmpuint (differ, >, 0);
}

/* NIR's numbered nodes ("0", "1") are labelled with their type. */
static void
test_numbered (void)
{
  g_autofree char *path = generated ("numbered.nir");
  g_autoptr (SpkSession) session = convert (path, NULL);
  SpkNetwork *net = spk_session_get_network (session);

  g_assert_true (SPK_IS_ENSEMBLE (spk_network_lookup (net, "LIF 1")));
  g_assert_nonnull (find_connection (net, "Affine 0", "LIF 1"));
  g_assert_null (spk_network_lookup (net, "1"));
}

/* Euler's update is the exact one with τ' = −dt/log(1 − dt/τ). */
static void
test_euler (void)
{
  g_autofree char *path = generated ("good.nir");
  SpkNirOptions options;
  g_autoptr (SpkSession) session = NULL;
  const SpkNeuronType *type;

  spk_nir_options_init (&options);
  options.integration = SPK_NIR_EULER;
  options.dt = 0.001;
  session = convert (path, &options);
  type = spk_ensemble_get_neuron_type (SPK_ENSEMBLE (spk_network_lookup (spk_session_get_network (session), "lif")));
  g_assert_cmpfloat_with_epsilon (exp (-0.001 / type->tau_rc), 1 - 0.001 / 0.01, 1e-15);
  g_assert_cmpfloat (type->amplitude, ==, 0.001);
}

/* ---- the other node types against their equations ------------------------------ */

#define NODE_STEPS 80

/* Runs node-<name>.nir (Input(3) → node → Output) in float64 at dt on
 * input (NODE_STEPS × 3); the output's data. */
static double *
run_node (const char   *name,
          double        dt,
          const double *input)
{
  g_autofree char *file = g_strdup_printf ("node-%s.nir", name);
  g_autofree char *path = generated (file);
  SpkNirOptions options;
  g_autoptr (SpkSession) session = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  g_autoptr (GError) error = NULL;
  double *out = g_new (double, NODE_STEPS * 3);

  spk_nir_options_init (&options);
  options.dt = dt;
  session = convert (path, &options);
  spk_network_set_dtype (spk_session_get_network (session), SPK_DTYPE_FLOAT64);
  plan = rebuild (session);
  sim = spk_simulator_new (plan, 1, &error);
  g_assert_no_error (error);
  g_assert_true (spk_simulator_set_input (sim, "input", input, NODE_STEPS, &error));
  g_assert_true (spk_simulator_run_steps (sim, NODE_STEPS, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (spk_plan_get_probe_size (plan, (guint) spk_plan_find_probe (plan, "output")), ==, 3);
  spk_simulator_get_probe_data (sim, (guint) spk_plan_find_probe (plan, "output"), out);
  return out;
}

static void
assert_trace (const char   *name,
              const double *got,
              const double *want,
              double        tolerance)
{
  for (guint k = 0; k < NODE_STEPS * 3; k++)
    if (!(fabs (got[k] - want[k]) <= tolerance))
      g_error ("%s: step %u, element %u: %.17g, expected %.17g", name, k / 3, k % 3, got[k], want[k]);
}

/* Seeded input: spikes (0 or 1) in element 0, values in [−1, 2] in the others. */
static void
node_input (double *x,
            guint   seed)
{
  SpkRng rng;

  spk_rng_init (&rng, seed);
  for (guint k = 0; k < NODE_STEPS; k++)
    {
      x[3 * k] = spk_rng_uniform (&rng) < 0.3 ? 1 : 0;
      x[3 * k + 1] = spk_rng_uniform_range (&rng, -1, 2);
      x[3 * k + 2] = spk_rng_uniform_range (&rng, -1, 2);
    }
}

/* The three-element input x delayed by steps[i] steps per element, zero
 * before its first value arrives. */
static void
delayed_trace (const double *x,
               const guint   steps[3],
               double       *want)
{
  for (guint k = 0; k < NODE_STEPS; k++)
    for (guint i = 0; i < 3; i++)
      want[3 * k + i] = k >= steps[i] ? x[3 * (k - steps[i]) + i] : 0;
}

/* The leaky integrators, integrator, threshold and delay: each element
 * with its own parameters, against the exact discrete solution of NIR's
 * equation with the input held over each step.  A value passes a synapse
 * in the next step, so LI and I output v at the start of the step
 * (v[n] from the inputs before n), CubaLI one step later. */
static void
test_node_types (void)
{
  const double dt = 0.001;
  const double tau[3] = { 0.01, 0.02, 0.01 }, tau_syn[3] = { 0.005, 0.005, 0.002 };
  const double r[3] = { 1, 2, 0.5 }, leak[3] = { 0, 0.1, -0.2 }, w_in[3] = { 1, 0.5, 2 };
  double x[NODE_STEPS * 3], want[NODE_STEPS * 3];

  node_input (x, 7);
  {
    g_autofree double *got = run_node ("li", dt, x);
    double v[3] = { 0 };

    for (guint k = 0; k < NODE_STEPS; k++)
      for (guint i = 0; i < 3; i++)
        {
          double a = exp (-dt / tau[i]);

          want[3 * k + i] = v[i];
          v[i] = a * v[i] + (1 - a) * (r[i] * x[3 * k + i] + leak[i]);
        }
    assert_trace ("LI", got, want, 1e-12);
  }
  {
    g_autofree double *got = run_node ("cubali", dt, x);
    double v[3] = { 0 }, cur[3] = { 0 };

    for (guint k = 0; k < NODE_STEPS; k++)
      for (guint i = 0; i < 3; i++)
        {
          double a = exp (-dt / tau[i]), as = exp (-dt / tau_syn[i]);

          want[3 * k + i] = v[i];
          v[i] = a * v[i] + (1 - a) * (r[i] * cur[i] + leak[i]);
          cur[i] = as * cur[i] + (1 - as) * w_in[i] * x[3 * k + i];
        }
    assert_trace ("CubaLI", got, want, 1e-12);
  }
  {
    g_autofree double *got = run_node ("i", dt, x);
    double v[3] = { 0 };

    for (guint k = 0; k < NODE_STEPS; k++)
      for (guint i = 0; i < 3; i++)
        {
          want[3 * k + i] = v[i];
          v[i] += dt * r[i] * x[3 * k + i];
        }
    assert_trace ("I", got, want, 1e-12);
  }
  {
    const double threshold[3] = { 0.5, -0.25, 1 };
    g_autofree double *got = run_node ("threshold", dt, x);

    for (guint k = 0; k < NODE_STEPS * 3; k++)
      want[k] = x[k] > threshold[k % 3];
    assert_trace ("Threshold", got, want, 0);
  }
  {
    const guint steps[3] = { 0, 1, 3 };
    g_autofree double *got = run_node ("delay", dt, x);

    delayed_trace (x, steps, want);
    assert_trace ("Delay", got, want, 0);
  }
  {
    /* Longer than one synapse holds (8 steps): a chain of Nodes. */
    const guint steps[3] = { 20, 1, 17 };
    g_autofree double *got = run_node ("delay-long", dt, x);

    delayed_trace (x, steps, want);
    assert_trace ("Delay (long)", got, want, 0);
  }
}

/* Convolutions and poolings against numpy's (tests/nir/make_nir_files.py
 * computes the outputs of its seeded inputs): strides, padding, dilation,
 * groups, 'same', Conv1d, SumPool2d and AvgPool2d. */
static void
test_layers (void)
{
  const char *cases[] = { "conv2d", "conv2d-same", "conv1d", "sumpool", "avgpool" };

  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autofree char *file = g_strdup_printf ("%s.nir", cases[k]);
      g_autofree char *in_file = g_strdup_printf ("%s.in.f64", cases[k]);
      g_autofree char *out_file = g_strdup_printf ("%s.out.f64", cases[k]);
      g_autofree char *path = generated (file), *in_path = generated (in_file), *out_path = generated (out_file);
      g_autofree double *x = NULL, *want = NULL, *got = NULL;
      g_autoptr (SpkSession) session = convert (path, NULL);
      g_autoptr (SpkPlan) plan = NULL;
      g_autoptr (SpkSimulator) sim = NULL;
      g_autoptr (GError) error = NULL;
      gsize in_bytes, out_bytes;
      guint n_out, probe;
      double worst = 0;

      g_assert_true (g_file_get_contents (in_path, (char **) &x, &in_bytes, NULL));
      g_assert_true (g_file_get_contents (out_path, (char **) &want, &out_bytes, NULL));
      spk_network_set_dtype (spk_session_get_network (session), SPK_DTYPE_FLOAT64);
      plan = rebuild (session);
      sim = spk_simulator_new (plan, 1, &error);
      g_assert_no_error (error);
      g_assert_true (spk_simulator_set_input (sim, "input", x, 3, &error));
      g_assert_true (spk_simulator_run_steps (sim, 3, &error));
      g_assert_no_error (error);
      probe = (guint) spk_plan_find_probe (plan, "output");
      n_out = spk_plan_get_probe_size (plan, probe);
      g_assert_cmpuint (out_bytes, ==, 3 * n_out * sizeof (double));
      got = g_new (double, 3 * n_out);
      spk_simulator_get_probe_data (sim, probe, got);
      for (guint i = 0; i < 3 * n_out; i++)
        {
          worst = MAX (worst, fabs (got[i] - want[i]));
          if (!(fabs (got[i] - want[i]) <= 1e-12 * MAX (1, fabs (want[i]))))
            g_error ("%s: step %u, output %u: %.17g, expected %.17g", cases[k], i / n_out, i % n_out, got[i],
                     want[i]);
        }
      g_test_message ("%s: %u outputs, largest difference %.2g", cases[k], n_out, worst);
    }
}

/* The spiking ones, stepped exactly: IF adds dt·R·I, LIF decays by
 * e^(−dt/τ) toward v_leak + R·I, CubaLIF's current one step before; a
 * spike when v exceeds v_threshold, then v = v_reset. */
static void
test_node_spiking (void)
{
  const double dt = 0.001;
  double x[NODE_STEPS * 3], want[NODE_STEPS * 3];
  guint spikes = 0;

  node_input (x, 8);
  for (guint k = 0; k < NODE_STEPS * 3; k++)
    x[k] *= 300;
  {
    const double r[3] = { 1, 2, 0.5 }, thr[3] = { 1, 1.5, 0.4 }, reset[3] = { 0, -0.5, 0 };
    g_autofree double *got = run_node ("if", dt, x);
    double v[3] = { 0 };

    for (guint k = 0; k < NODE_STEPS; k++)
      for (guint i = 0; i < 3; i++)
        {
          v[i] += dt * r[i] * x[3 * k + i];
          want[3 * k + i] = v[i] > thr[i];
          if (v[i] > thr[i])
            v[i] = reset[i];
          spikes += want[3 * k + i] != 0;
        }
    assert_trace ("IF", got, want, 0);
  }
  {
    const double tau[3] = { 0.01, 0.02, 0.01 }, reset[3] = { 0, -0.5, 0 };
    g_autofree double *got = NULL;

    for (guint k = 0; k < NODE_STEPS * 3; k++)
      x[k] /= 20;
    got = run_node ("lifs", dt, x);
    for (guint k = 0; k < NODE_STEPS * 3; k++)
      x[k] *= 20;
    double v[3] = { 0 };

    for (guint k = 0; k < NODE_STEPS; k++)
      for (guint i = 0; i < 3; i++)
        {
          double a = exp (-dt / tau[i]);

          v[i] = a * v[i] + (1 - a) * x[3 * k + i] / 20;
          want[3 * k + i] = v[i] > 1;
          if (v[i] > 1)
            v[i] = reset[i];
          spikes += want[3 * k + i] != 0;
        }
    assert_trace ("LIF", got, want, 0);
  }
  {
    const double tau[3] = { 0.01, 0.02, 0.01 }, tau_syn[3] = { 0.005, 0.005, 0.002 };
    const double r[3] = { 1, 2, 0.5 }, leak[3] = { 0, 0.1, -0.2 }, w_in[3] = { 1, 0.5, 2 };
    const double thr[3] = { 1, 1, 0.5 };
    g_autofree double *got = NULL;

    for (guint k = 0; k < NODE_STEPS * 3; k++)
      x[k] /= 20;
    got = run_node ("cubalifs", dt, x);
    for (guint k = 0; k < NODE_STEPS * 3; k++)
      x[k] *= 20;
    double v[3] = { 0 }, cur[3] = { 0 };

    for (guint k = 0; k < NODE_STEPS; k++)
      for (guint i = 0; i < 3; i++)
        {
          double a = exp (-dt / tau[i]), as = exp (-dt / tau_syn[i]);

          v[i] = a * v[i] + (1 - a) * (r[i] * cur[i] + leak[i]);
          want[3 * k + i] = v[i] > thr[i];
          if (v[i] > thr[i])
            v[i] = 0;
          cur[i] = as * cur[i] + (1 - as) * w_in[i] * x[3 * k + i] / 20;
          spikes += want[3 * k + i] != 0;
        }
    assert_trace ("CubaLIF", got, want, 0);
  }
  g_test_message ("%u spikes", spikes);
  g_assert_cmpuint (spikes, >, 30);
}

static void
check_refused (const char *name,
               const char *message)
{
  g_autofree char *path = generated (name);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkSession) session = spk_nir_convert_file (path, NULL, &error);

  g_assert_null (session);
  g_assert_error (error, SPK_IO_ERROR, error->code);
  g_test_message ("%s: %s", name, error->message);
  if (strstr (error->message, message) == NULL)
    g_error ("%s: expected '%s' in '%s'", name, message, error->message);
  g_assert_true (g_str_has_prefix (error->message, path));
}

static void
test_bad_input (void)
{
  check_refused ("unknown-node.nir", "node 'fc' (Convolution3d): this type of node is not converted");
  check_refused ("missing-param.nir", "node 'lif' (LIF): the parameter 'tau' is missing");
  check_refused ("shapes.nir", "node 'lif' (LIF): it takes 5 values, but 'fc' gives it 2");
  check_refused ("cycle.nir", "the cycle fc → scale → fc has no neuron or delay in it");
  check_refused ("bad-edge.nir", "an edge names the node 'nowhere', which the graph does not have");
  check_refused ("not-hdf5.nir", "not an HDF5 file, so not a NIR graph");
  check_refused ("not-nir.nir", "not a NIR graph: the group 'node' is missing");
  check_refused ("bad-delay.nir", "node 'x' (Delay): element 0: the delay 0.00015 s is not a whole number of steps "
                 "of 0.0001 s");
  check_refused ("long-delay.nir", "node 'x' (Delay): element 0: the delay of 513 steps is longer than the 512 "
                 "Spikeworks converts");
  check_refused ("deep.nir", "graphs are nested more than 8 deep");
  check_refused ("bad-if.nir", "node 'x' (IF): neuron 0: v_threshold (0) must be above v_reset (0)");
  check_refused ("bad-li.nir", "node 'x' (LI): 'tau' must be positive (got -1)");
  check_refused ("conv-large.nir", "node 'x' (Conv2d): the kernel (5 × 5 with dilation) is larger than the padded "
                 "input (3 × 3)");
  check_refused ("conv-padding.nir", "node 'x' (Conv2d): padding must be a number, 'same' or 'valid' (got 'full')");
  check_refused ("pool-flat.nir", "node 'x' (SumPool2d): it pools images of channels × height × width; it is fed 12");
  check_refused ("bad-threshold.nir", "node 'x' (Threshold): the parameter 'threshold' is missing");
}

/* ---- the command line ---------------------------------------------------------- */

static void
test_cli (void)
{
  g_autofree char *nir = paper_file ("lif_norse.nir"), *out = generated ("lif.spkw");
  g_autofree char *bad = generated ("missing-param.nir"), *damaged = generated ("damaged-group.nir");
  g_autofree char *err = NULL;

  /* The same verb as Keras's: the content says NIR. */
  g_assert_cmpint (cli (NULL, &err, "convert", nir, out, "--dt", "0.001", "--euler", NULL), ==, 0);
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (SpkSession) session = spk_session_load_checked (out, &error);

    g_assert_no_error (error);
    g_assert_cmpfloat (spk_network_get_dt (spk_session_get_network (session)), ==, 0.001);
  }
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (NULL, &err, "convert", bad, out, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "the parameter 'tau' is missing"));
  g_clear_pointer (&err, g_free);
  /* A damaged NIR file is read as NIR (its name says so): NIR's message. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (NULL, &err, "convert", damaged, out, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "damaged-group.nir: /: cannot be read (the file is damaged or truncated)"));
  g_assert_null (strstr (err, "Keras"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (NULL, &err, "convert", nir, out, "--dt", "0", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--dt must be a finite number greater than 0"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (NULL, &err, "convert", nir, out, "--swap", "relu=LIF", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "apply to Keras models, not to NIR graphs"));
}

/* Seeded byte damage to good files: refused or converted, never a crash
 * (a crash inside libhdf5 is caught by the checked child). */
static gboolean
read_nir (const char *path,
          GError    **error)
{
  g_autoptr (SpkSession) session = spk_nir_convert_file (path, NULL, error);

  return session != NULL;
}

static void
test_fuzz (void)
{
  g_autofree char *lif = paper_file ("lif_norse.nir"), *braille = paper_file ("braille_noDelay_bias_zero.nir");
  g_autofree char *nested = generated ("nested.nir"), *damaged = generated ("fuzz.nir");
  g_autofree char *nested2 = generated ("nested2.nir");
  const char *others[] = { "node-cubali.nir", "node-delay-long.nir", "node-cubalifs.nir", "conv2d-same.nir",
                           "sumpool.nir" };

  /* A file that hangs libhdf5 is refused when the child's time is up:
   * a short limit keeps the run short, also under ASan (whose run sets a
   * long one for good files), as the other fuzz tests do. */
  g_setenv ("SPK_HDF5_CHECK_SECONDS", "3", TRUE);
  tu_fuzz_file (lif, damaged, 16, 30, read_nir);
  tu_fuzz_file (braille, damaged, 16, 31, read_nir);
  tu_fuzz_file (nested, damaged, 16, 32, read_nir);
  /* Two levels of nesting, written by the reference package. */
  tu_fuzz_file (nested2, damaged, 16, 39, read_nir);
  /* The other node types, convolutions and poolings. */
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_autofree char *path = generated (others[i]);

      tu_fuzz_file (path, damaged, 8, 33 + i, read_nir);
    }
  g_unsetenv ("SPK_HDF5_CHECK_SECONDS");
}

int
main (int    argc,
      char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  dir = tu_make_test_files ("spk-nir-XXXXXX", "nir", "make_nir_files.py");

  g_test_add_func ("/spk/nir/paper/task1-lif", test_task1_lif);
  g_test_add_func ("/spk/nir/paper/task2-cnn", test_task2_cnn);
  g_test_add_func ("/spk/nir/paper/task3-import", test_task3_import);
  g_test_add_func ("/spk/nir/paper/task3-dynamics", test_task3_dynamics);
  g_test_add_func ("/spk/nir/recurrent", test_recurrent);
  g_test_add_func ("/spk/nir/recurrent-lowpass", test_recurrent_lowpass);
  g_test_add_func ("/spk/nir/nested", test_nested);
  g_test_add_func ("/spk/nir/nested-two-levels", test_nested_two_levels);
  g_test_add_func ("/spk/nir/nested-export", test_nested_export);
  g_test_add_func ("/spk/nir/many-groups", test_many_groups);
  g_test_add_func ("/spk/nir/euler", test_euler);
  g_test_add_func ("/spk/nir/numbered", test_numbered);
  g_test_add_func ("/spk/nir/node-types", test_node_types);
  g_test_add_func ("/spk/nir/node-spiking", test_node_spiking);
  g_test_add_func ("/spk/nir/layers", test_layers);
  g_test_add_func ("/spk/nir/bad-input", test_bad_input);
  g_test_add_func ("/spk/nir/cli", test_cli);
  g_test_add_func ("/spk/nir/fuzz", test_fuzz);
  result = g_test_run ();
  tu_remove_dir (dir);
  g_free (dir);
  return result;
}
