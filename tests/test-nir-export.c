/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-nir-export.c — NIR export (engine/io/spk-nir-write*.c): the NIR
 * paper's task 1 and task 3 networks, imported, exported and imported
 * again, run spike for spike as the first import; a NEF network with
 * decoded connections, a function, a pass-through node and a delay does
 * the same through the round trip; the reference `nir` package
 * (vendor/nir, tests/nir/read_exported.py) reads every file written here;
 * convolution, pooling and dense layers (channels last here, first in
 * NIR) round trip value for value, the spiking-fashion-mnist example among
 * them; refusals name the object and write nothing; the CLI. */
#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "core/spk-rng.h"
#include "examples/spk-examples.h"
#include "io/spk-model-json.h"
#include "io/spk-nir.h"
#include "io/spk-nir-write.h"
#include "io/spk-session.h"
#include "model/spk-layer.h"
#include "model/spk-ensemble.h"
#include "model/spk-neuron-type.h"
#include "sim/spk-simulator.h"
#include "spk-cli-test-util.h"
#include "spk-test-util.h"

#define TASK1_STEPS 1000
#define TASK3_STEPS 400

static char *dir;           /* files written by the tests */
static GPtrArray *written;  /* every .nir written, for the reference reader */

static char *
out_file (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static char *
paper_file (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "nir", name, NULL);
}

static SpkSession *
import (const char *path,
        double      dt,
        gboolean    euler)
{
  g_autoptr (GError) error = NULL;
  SpkNirOptions options;
  SpkSession *session;

  spk_nir_options_init (&options);
  options.dt = dt;
  options.integration = euler ? SPK_NIR_EULER : SPK_NIR_EXACT;
  session = spk_nir_convert_file (path, &options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);
  return session;
}

/* The plan's parameters, to rebuild its network after adding probes. */
static GHashTable *
params_of (SpkPlan *plan)
{
  g_auto (GStrv) keys = spk_plan_list_params (plan);
  GHashTable *params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) spk_array_unref);

  for (guint i = 0; keys[i]; i++)
    g_hash_table_insert (params, g_strdup (keys[i]), spk_plan_dup_param (plan, keys[i]));
  return params;
}

static SpkPlan *
rebuild (SpkNetwork *net,
         SpkPlan    *old)
{
  g_autoptr (GHashTable) params = old ? params_of (old) : NULL;
  g_autoptr (GError) error = NULL;
  SpkPlan *plan = spk_build_with_params (net, params, &error);

  g_assert_no_error (error);
  return plan;
}

/* Exports, expecting success; the notes. */
static GPtrArray *
export (SpkNetwork *net,
        SpkPlan    *plan,
        const char *path,
        gboolean    approximate)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *notes = g_ptr_array_new_with_free_func (g_free);
  SpkNirExportOptions options;

  spk_nir_export_options_init (&options);
  options.approximate = approximate;
  g_assert_true (spk_nir_export_full (net, plan, path, &options, notes, &error));
  g_assert_no_error (error);
  g_ptr_array_add (written, g_strdup (path));
  return notes;
}

/* Runs plan for steps with input (steps × size of the Node "input") and
 * returns the data of the named probe. */
static double *
run (SpkPlan      *plan,
     const double *input,
     guint         steps,
     const char   *probe,
     guint        *size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkSimulator) sim = spk_simulator_new (plan, 1, &error);
  int index = spk_plan_find_probe (plan, probe);
  double *data;

  g_assert_no_error (error);
  g_assert_cmpint (index, >=, 0);
  if (input)
    g_assert_true (spk_simulator_set_input (sim, "input", input, steps, &error));
  g_assert_true (spk_simulator_run_steps (sim, steps, &error));
  g_assert_no_error (error);
  *size = spk_plan_get_probe_size (plan, (guint) index);
  data = g_new (double, (gsize) steps * *size);
  spk_simulator_get_probe_data (sim, (guint) index, data);
  return data;
}

/* The two plans' probe `probe` agree: spikes to the step, values within
 * tol, b's values times b_scale (an engine spike is amplitude/dt, a NIR
 * one 1). */
static guint
assert_same_run (SpkPlan      *a,
                 SpkPlan      *b,
                 double        b_scale,
                 const double *input,
                 guint         steps,
                 const char   *probe,
                 double        tol)
{
  guint size_a, size_b, nonzero = 0;
  g_autofree double *x = run (a, input, steps, probe, &size_a);
  g_autofree double *y = run (b, input, steps, probe, &size_b);
  double worst = 0;

  g_assert_cmpuint (size_a, ==, size_b);
  for (gsize i = 0; i < (gsize) steps * size_a; i++)
    {
      worst = MAX (worst, fabs (x[i] - b_scale * y[i]));
      nonzero += x[i] != 0;
    }
  g_test_message ("%s: %u × %u values, %u non-zero, largest difference %.3g", probe, steps, size_a, nonzero, worst);
  g_assert_cmpfloat (worst, <=, tol);
  return nonzero;
}

/* ---- the NIR paper's networks ---------------------------------------------- */

/* Task 1 (lif_norse.nir, the 34 input spikes of lif_exact.csv): the
 * exported graph imports as a network that spikes in the same steps and
 * integrates the same voltage (float32: the gain sits in a weight instead
 * of the ensemble, one more rounding). */
static void
test_task1 (void)
{
  g_autofree char *path = paper_file ("lif_norse.nir"), *csv = paper_file ("lif_exact.csv");
  g_autofree char *out = out_file ("task1.nir"), *text = NULL;
  g_autoptr (SpkSession) first = import (path, 1e-4, FALSE), again = NULL;
  g_autoptr (GPtrArray) notes = NULL;
  g_autoptr (SpkPlan) plan_a = NULL, plan_b = NULL;
  g_auto (GStrv) lines = NULL;
  double input[TASK1_STEPS];
  guint k = 0;

  notes = export (spk_session_get_network (first), spk_session_get_plan (first), out, FALSE);
  g_assert_cmpuint (notes->len, ==, 0);
  again = import (out, 1e-4, FALSE);
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] && k < TASK1_STEPS; i++)
    if (*g_strstrip (lines[i]))
      input[k++] = g_ascii_strtod (lines[i], NULL);
  g_assert_cmpuint (k, ==, TASK1_STEPS);
  tu_probe (spk_session_get_network (first), "voltage", spk_network_lookup (spk_session_get_network (first), "LIF 1"),
            TRUE, "voltage", -1);
  tu_probe (spk_session_get_network (again), "voltage", spk_network_lookup (spk_session_get_network (again), "LIF 1"),
            TRUE, "voltage", -1);
  plan_a = rebuild (spk_session_get_network (first), spk_session_get_plan (first));
  plan_b = rebuild (spk_session_get_network (again), spk_session_get_plan (again));
  g_assert_cmpuint (assert_same_run (plan_a, plan_b, 1, input, TASK1_STEPS, "output", 0), ==, 4);
  assert_same_run (plan_a, plan_b, 1, input, TASK1_STEPS, "voltage", 1e-6);
}

/* Task 3 (the braille RNNs: CubaLIF with a recurrent Affine), converted
 * with --euler, exported and imported again (exactly: the Euler time
 * constants are the network's own now), in float64: every neuron spikes
 * in the same steps on seeded random input. */
static void
test_task3 (void)
{
  const char *files[] = { "braille_noDelay_bias_zero.nir", "braille_noDelay_noBias_subtract.nir" };

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *path = paper_file (files[f]);
      g_autofree char *name = g_strdup_printf ("task3-%u.nir", f), *out = out_file (name);
      g_autoptr (SpkSession) first = import (path, 1e-4, TRUE), again = NULL;
      g_autoptr (GPtrArray) notes = NULL;
      g_autoptr (SpkPlan) plan_a = NULL, plan_b = NULL;
      g_autofree double *input = g_new (double, TASK3_STEPS * 12);
      SpkNetwork *a = spk_session_get_network (first), *b;
      SpkRng rng;

      spk_network_set_dtype (a, SPK_DTYPE_FLOAT64);
      notes = export (a, spk_session_get_plan (first), out, FALSE);
      g_assert_cmpuint (notes->len, ==, 0);
      again = import (out, 1e-4, FALSE);
      b = spk_session_get_network (again);
      spk_network_set_dtype (b, SPK_DTYPE_FLOAT64);
      tu_probe (a, "lif1 spikes", spk_network_lookup (a, "lif1.lif"), TRUE, "output", -1);
      tu_probe (b, "lif1 spikes", spk_network_lookup (b, "lif1.lif"), TRUE, "output", -1);
      plan_a = rebuild (a, spk_session_get_plan (first));
      plan_b = rebuild (b, spk_session_get_plan (again));
      spk_rng_init (&rng, 50 + f);
      for (guint i = 0; i < TASK3_STEPS * 12; i++)
        input[i] = spk_rng_uniform (&rng) < 0.2 ? 1 : 0;
      g_assert_cmpuint (assert_same_run (plan_a, plan_b, 1, input, TASK3_STEPS, "lif1 spikes", 0), >, 10);
      g_assert_cmpuint (assert_same_run (plan_a, plan_b, 1, input, TASK3_STEPS, "output", 0), >, 10);
    }
}

/* ---- a NEF network --------------------------------------------------------- */

/* LIF neurons NIR represents exactly (no refractory period, no floor, one
 * starting voltage), decoded connections (one computing x², into a slice),
 * a pass-through node, a neuron-to-neuron connection, and probes on
 * spikes: every connection into an ensemble has the same Lowpass, so the
 * ensembles are CubaLIF nodes. */
static const char nef_model[] =
  "{\"format\": \"spikeworks-model\", \"version\": 4,"
  " \"network\": {\"label\": \"nef\", \"seed\": 3, \"dt\": 0.001, \"dtype\": \"float64\"},"
  " \"objects\": ["
  "  {\"type\": \"node\", \"label\": \"input\", \"output\": \"sin(2*pi*t)\"},"
  "  {\"type\": \"ensemble\", \"label\": \"a\", \"n_neurons\": 40, \"dimensions\": 1,"
  "   \"neuron_type\": {\"type\": \"LIF\", \"tau_ref\": 0, \"min_voltage\": -1e30, \"initial_state\": {\"voltage\": 0.25}}},"
  "  {\"type\": \"ensemble\", \"label\": \"b\", \"n_neurons\": 30, \"dimensions\": 2,"
  "   \"neuron_type\": {\"type\": \"LIF\", \"tau_ref\": 0, \"min_voltage\": -1e30, \"initial_state\": {\"voltage\": 0}}},"
  "  {\"type\": \"node\", \"label\": \"relay\", \"size_in\": 1},"
  "  {\"type\": \"connection\", \"pre\": \"input\", \"post\": \"a\"},"
  "  {\"type\": \"connection\", \"pre\": \"a\", \"post\": \"b\", \"post_slice\": [0], \"function\": \"x**2\"},"
  "  {\"type\": \"connection\", \"pre\": \"a\", \"post\": \"relay\", \"synapse\": null},"
  "  {\"type\": \"connection\", \"pre\": \"relay\", \"post\": \"b\", \"post_slice\": [1], \"transform\": -0.5},"
  "  {\"type\": \"connection\", \"pre\": \"a.neurons\", \"post\": \"b.neurons\","
  "   \"transform\": {\"type\": \"Uniform\", \"low\": -0.002, \"high\": 0.002}},"
  "  {\"type\": \"probe\", \"label\": \"a spikes\", \"target\": \"a.neurons\"},"
  "  {\"type\": \"probe\", \"label\": \"b spikes\", \"target\": \"b.neurons\"}"
  " ]}";

static SpkNetwork *
load_model (const char *text)
{
  g_autoptr (GError) error = NULL;
  SpkNetwork *net = spk_model_load_data (text, -1, &error);

  g_assert_no_error (error);
  return net;
}

static void
test_nef_round_trip (void)
{
  g_autoptr (SpkNetwork) net = load_model (nef_model);
  g_autoptr (SpkPlan) plan = rebuild (net, NULL), plan_b = NULL;
  g_autofree char *out = out_file ("nef.nir");
  g_autoptr (GPtrArray) notes = export (net, plan, out, FALSE);
  g_autoptr (SpkSession) again = import (out, 0.001, FALSE);
  double input[1000];

  /* The expression is the one thing replaced, and the note says so. */
  g_assert_cmpuint (notes->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (notes, 0), ==,
                   "node 'input': its output sin(2*pi*t) is not exported: the NIR Input 'input' takes the values");
  spk_network_set_dtype (spk_session_get_network (again), SPK_DTYPE_FLOAT64);
  plan_b = rebuild (spk_session_get_network (again), spk_session_get_plan (again));
  for (guint k = 0; k < G_N_ELEMENTS (input); k++)
    input[k] = sin (2 * G_PI * (k + 1) * 0.001);
  g_assert_cmpuint (assert_same_run (plan, plan_b, 1000, input, 1000, "a spikes", 0), >, 1000);
  g_assert_cmpuint (assert_same_run (plan, plan_b, 1000, input, 1000, "b spikes", 0), >, 500);
}

/* A Lowpass(0) connection (a step of delay) off any cycle is a Delay of
 * dt, a probe's Lowpass an LI node after its decoders.  Round trip once
 * the importer converts LI and Delay nodes (skipped while it refuses
 * them). */
static const char delay_model[] =
  "{\"format\": \"spikeworks-model\", \"version\": 4,"
  " \"network\": {\"label\": \"delay\", \"seed\": 4, \"dt\": 0.001, \"dtype\": \"float64\"},"
  " \"objects\": ["
  "  {\"type\": \"node\", \"label\": \"input\", \"output\": [0]},"
  "  {\"type\": \"ensemble\", \"label\": \"e\", \"n_neurons\": 20, \"dimensions\": 1,"
  "   \"neuron_type\": {\"type\": \"LIF\", \"tau_ref\": 0, \"min_voltage\": -1e30, \"initial_state\": {\"voltage\": 0}}},"
  "  {\"type\": \"connection\", \"pre\": \"input\", \"post\": \"e\", \"synapse\": 0},"
  "  {\"type\": \"probe\", \"label\": \"e value\", \"target\": \"e\", \"synapse\": 0.01},"
  "  {\"type\": \"probe\", \"label\": \"e spikes\", \"target\": \"e.neurons\"}"
  " ]}";

static void
test_delay_and_li (void)
{
  g_autoptr (SpkNetwork) net = load_model (delay_model);
  g_autoptr (SpkPlan) plan = rebuild (net, NULL), plan_b = NULL;
  g_autofree char *out = out_file ("delay.nir");
  g_autoptr (GPtrArray) notes = export (net, plan, out, FALSE);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkSession) again = NULL;
  SpkNirOptions options;
  double input[500];

  g_assert_cmpuint (notes->len, ==, 0);
  spk_nir_options_init (&options);
  options.dt = 0.001;
  again = spk_nir_convert_file (out, &options, &error);
  g_assert_no_error (error);
  spk_network_set_dtype (spk_session_get_network (again), SPK_DTYPE_FLOAT64);
  plan_b = rebuild (spk_session_get_network (again), spk_session_get_plan (again));
  for (guint k = 0; k < G_N_ELEMENTS (input); k++)
    input[k] = sin (2 * G_PI * 3 * (k + 1) * 0.001);
  assert_same_run (plan, plan_b, 1000, input, 500, "e spikes", 0);
  assert_same_run (plan, plan_b, 1, input, 500, "e value", 1e-9);
}

/* The workbench's examples, approximated: the reference reads them, and
 * the notes name what was approximated. */
static void
test_examples (void)
{
  const char *examples[] = { "communication-channel", "integrator", "spiking-classifier", "spiking-fashion-mnist" };

  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    {
      g_autofree char *name = g_strconcat (examples[i], ".nir", NULL), *out = out_file (name);
      g_autofree char *err = NULL;

      g_assert_cmpint (cli (NULL, &err, "export-nir", "--example", examples[i], "--approximate", out, NULL), ==, 0);
      g_assert_nonnull (strstr (err, "note: ensemble '"));
      g_assert_nonnull (strstr (err, "written without its refractory period (tau_ref = 0.002 s)"));
      g_ptr_array_add (written, g_strdup (out));
    }
}

/* ---- layers ------------------------------------------------------------------ */

/* Conv2D (2 channels in, strides 2, "same" padding of one on each side) →
 * LIF → AveragePooling2D ("same": windows reaching into the padding,
 * SumPool2d and a Scale) → LIF → Conv2D (valid) through a Lowpass → LIF
 * → AveragePooling2D (valid: AvgPool2d) → Dense; probes on an image of
 * spikes, a slice of one, and the Dense output.  Per-neuron biases, so
 * that every value's place in NIR's channels-first order matters. */
static char *
layers_model (void)
{
  GString *s = g_string_new ("{\"format\": \"spikeworks-model\", \"version\": 5,"
                             " \"network\": {\"label\": \"layers\", \"seed\": 7, \"dt\": 0.001,"
                             " \"dtype\": \"float64\"}, \"objects\": [");

  g_string_append (s, "{\"type\": \"node\", \"label\": \"input\", \"output\": [0");
  for (guint i = 1; i < 50; i++)
    g_string_append (s, ", 0");
  g_string_append (s, "]},");
#define LIF_OBJ(label, n)                                                                              \
  "{\"type\": \"ensemble\", \"label\": \"" label "\", \"n_neurons\": " n ", \"dimensions\": 1,"         \
  " \"max_rates\": {\"type\": \"Uniform\", \"low\": 100, \"high\": 200},"                              \
  " \"intercepts\": {\"type\": \"Uniform\", \"low\": -0.5, \"high\": 0.2},"                            \
  " \"neuron_type\": {\"type\": \"LIF\", \"tau_ref\": 0, \"min_voltage\": -1e30,"                       \
  " \"initial_state\": {\"voltage\": 0}}},"
  g_string_append (s,
    "{\"type\": \"layer\", \"label\": \"c1\", \"layer_type\": \"conv2d\", \"shape_in\": [5, 5, 2],"
    " \"filters\": 3, \"kernel_size\": 3, \"strides\": 2, \"padding\": \"same\"},"
    LIF_OBJ ("e1", "27")
    "{\"type\": \"layer\", \"label\": \"p1\", \"layer_type\": \"average-pooling2d\", \"shape_in\": [3, 3, 3],"
    " \"kernel_size\": 3, \"strides\": 1, \"padding\": \"same\"},"
    LIF_OBJ ("e2", "27")
    "{\"type\": \"layer\", \"label\": \"c2\", \"layer_type\": \"conv2d\", \"shape_in\": [3, 3, 3],"
    " \"filters\": 2, \"kernel_size\": 2},"
    LIF_OBJ ("e3", "8")
    "{\"type\": \"layer\", \"label\": \"p2\", \"layer_type\": \"average-pooling2d\", \"shape_in\": [2, 2, 2],"
    " \"kernel_size\": 2, \"strides\": 2},"
    "{\"type\": \"layer\", \"label\": \"d\", \"layer_type\": \"dense\", \"shape_in\": [2], \"units\": 4},"
    "{\"type\": \"connection\", \"pre\": \"input\", \"post\": \"c1\", \"synapse\": null, \"transform\": 3},"
    "{\"type\": \"connection\", \"pre\": \"c1\", \"post\": \"e1.neurons\", \"synapse\": null},"
    "{\"type\": \"connection\", \"pre\": \"e1.neurons\", \"post\": \"p1\", \"synapse\": null},"
    "{\"type\": \"connection\", \"pre\": \"p1\", \"post\": \"e2.neurons\", \"synapse\": null, \"transform\": 0.01},"
    "{\"type\": \"connection\", \"pre\": \"e2.neurons\", \"post\": \"c2\", \"synapse\": 0.005},"
    "{\"type\": \"connection\", \"pre\": \"c2\", \"post\": \"e3.neurons\", \"synapse\": null, \"transform\": 0.01},"
    "{\"type\": \"connection\", \"pre\": \"e3.neurons\", \"post\": \"p2\", \"synapse\": null},"
    "{\"type\": \"connection\", \"pre\": \"p2\", \"post\": \"d\", \"synapse\": null},"
    "{\"type\": \"probe\", \"label\": \"e2 spikes\", \"target\": \"e2.neurons\"},"
    "{\"type\": \"probe\", \"label\": \"e1 some\", \"target\": \"e1.neurons\", \"slice\": [0, 5, 26]},"
    "{\"type\": \"probe\", \"label\": \"out\", \"target\": \"d\"}"
    "]}");
#undef LIF_OBJ
  return g_string_free (s, FALSE);
}

/* The engine's index (H × W × C) of the k-th value of a C × H × W image. */
static gsize
hwc_index (guint h,
           guint w,
           guint c,
           gsize k)
{
  return ((k / w) % h * w + k % w) * c + k / ((gsize) h * w);
}

static void
test_layers_round_trip (void)
{
  g_autofree char *text = layers_model ();
  g_autoptr (SpkNetwork) net = load_model (text);
  g_autoptr (SpkPlan) plan = rebuild (net, NULL), plan_b = NULL;
  g_autofree char *out = out_file ("layers.nir");
  g_autoptr (GPtrArray) notes = export (net, plan, out, FALSE);
  g_autoptr (SpkSession) again = import (out, 0.001, FALSE);
  g_autofree double *input = g_new (double, 300 * 50), *a = NULL, *b = NULL;
  guint size_a, size_b, spikes = 0;
  SpkRng rng;

  g_assert_cmpuint (notes->len, ==, 0);
  spk_network_set_dtype (spk_session_get_network (again), SPK_DTYPE_FLOAT64);
  plan_b = rebuild (spk_session_get_network (again), spk_session_get_plan (again));
  spk_rng_init (&rng, 11);
  for (gsize i = 0; i < 300 * 50; i++)
    input[i] = spk_rng_uniform (&rng);
  a = run (plan, input, 300, "e2 spikes", &size_a);
  {
    /* The frames arrive channels last here and channels first in NIR. */
    g_autofree double *nir_input = g_new (double, 300 * 50);

    for (guint t = 0; t < 300; t++)
      for (gsize k = 0; k < 50; k++)
        nir_input[t * 50 + k] = input[t * 50 + hwc_index (5, 5, 2, k)];
    b = run (plan_b, nir_input, 300, "e2 spikes", &size_b);
    g_assert_cmpuint (size_a, ==, 27);
    g_assert_cmpuint (size_b, ==, 27);
    /* Spike for spike, each neuron at its place in C × H × W. */
    for (guint t = 0; t < 300; t++)
      for (gsize k = 0; k < 27; k++)
        {
          g_assert_cmpfloat (fabs (a[t * 27 + hwc_index (3, 3, 3, k)] - 1000 * b[t * 27 + k]), <=, 1e-9);
          spikes += b[t * 27 + k] != 0;
        }
    g_test_message ("e2: %u spikes", spikes);
    g_assert_cmpuint (spikes, >, 100);
    {
      g_autofree double *x = run (plan, input, 300, "e1 some", &size_a);
      g_autofree double *y = run (plan_b, nir_input, 300, "e1 some", &size_b);

      g_assert_cmpuint (size_b, ==, 3);
      for (gsize i = 0; i < 300 * 3; i++)
        g_assert_cmpfloat (fabs (x[i] - 1000 * y[i]), <=, 1e-9);
    }
    {
      g_autofree double *x = run (plan, input, 300, "out", &size_a);
      g_autofree double *y = run (plan_b, nir_input, 300, "out", &size_b);
      double worst = 0, largest = 0;

      g_assert_cmpuint (size_b, ==, 4);
      for (gsize i = 0; i < 300 * 4; i++)
        {
          worst = MAX (worst, fabs (x[i] - y[i]));
          largest = MAX (largest, fabs (x[i]));
        }
      g_test_message ("out: largest %.3g, largest difference %.3g", largest, worst);
      g_assert_cmpfloat (largest, >, 0);
      g_assert_cmpfloat (worst, <=, 1e-9 * MAX (largest, 1));
    }
  }
}

/* Strides that differ by axis: Conv2D 3 × 3 with strides (2, 1)
 * ("valid"), Conv2D 3 × 3 with strides (1, 2) ("same": one zero on each
 * side of each axis), AveragePooling2D with strides (1, 2), Dense.
 * NIR holds them as its per-axis stride and weight shapes, and the
 * imported layers step as the exported ones did: the same outputs. */
static void
test_layers_strided_round_trip (void)
{
  g_autoptr (GString) s = g_string_new ("{\"format\": \"spikeworks-model\", \"version\": 7,"
                                        " \"network\": {\"label\": \"strided\", \"seed\": 3,"
                                        " \"dtype\": \"float64\"}, \"objects\": [");
  g_autoptr (SpkNetwork) net = NULL;
  g_autoptr (SpkPlan) plan = NULL, plan_b = NULL;
  g_autofree char *out = out_file ("layers-strided.nir");
  g_autoptr (GPtrArray) notes = NULL;
  g_autoptr (SpkSession) again = NULL;
  g_autofree double *input = g_new (double, 3 * 98), *nir_input = g_new (double, 3 * 98);
  g_autofree double *a = NULL, *b = NULL;
  GPtrArray *objects;
  guint size_a, size_b, n_layers = 0;
  double worst = 0, largest = 0;
  SpkRng rng;

  g_string_append (s, "{\"type\": \"node\", \"label\": \"input\", \"output\": [0");
  for (guint i = 1; i < 98; i++)
    g_string_append (s, ", 0");
  g_string_append (s,
    "]},"
    "{\"type\": \"layer\", \"label\": \"c1\", \"layer_type\": \"conv2d\", \"shape_in\": [7, 7, 2],"
    " \"filters\": 3, \"kernel_size\": 3, \"strides\": [2, 1]},"
    "{\"type\": \"layer\", \"label\": \"c2\", \"layer_type\": \"conv2d\", \"shape_in\": [3, 5, 3],"
    " \"filters\": 2, \"kernel_size\": 3, \"strides\": [1, 2], \"padding\": \"same\"},"
    "{\"type\": \"layer\", \"label\": \"p\", \"layer_type\": \"average-pooling2d\", \"shape_in\": [3, 3, 2],"
    " \"kernel_size\": 2, \"strides\": [1, 2]},"
    "{\"type\": \"layer\", \"label\": \"d\", \"layer_type\": \"dense\", \"shape_in\": [4], \"units\": 3},"
    "{\"type\": \"connection\", \"pre\": \"input\", \"post\": \"c1\", \"synapse\": null},"
    "{\"type\": \"connection\", \"pre\": \"c1\", \"post\": \"c2\", \"synapse\": null},"
    "{\"type\": \"connection\", \"pre\": \"c2\", \"post\": \"p\", \"synapse\": null},"
    "{\"type\": \"connection\", \"pre\": \"p\", \"post\": \"d\", \"synapse\": null},"
    "{\"type\": \"probe\", \"label\": \"out\", \"target\": \"d\"}"
    "]}");
  net = load_model (s->str);
  plan = rebuild (net, NULL);
  notes = export (net, plan, out, FALSE);
  g_assert_cmpuint (notes->len, ==, 0);
  again = import (out, 0.001, FALSE);
  /* Each imported window steps by NIR's strides, down and across. */
  objects = spk_network_get_objects (spk_session_get_network (again));
  for (guint i = 0; i < objects->len; i++)
    if (SPK_IS_LAYER (g_ptr_array_index (objects, i))
        && spk_layer_get_layer_type (g_ptr_array_index (objects, i)) == SPK_LAYER_CONV2D)
      {
        SpkLayer *layer = g_ptr_array_index (objects, i);
        g_autofree char *what = spk_layer_describe (layer);

        g_test_message ("imported: %s", what);
        g_assert_cmpuint (spk_layer_get_strides (layer), ==, n_layers == 0 ? 2 : 1);
        g_assert_cmpuint (spk_layer_get_strides_w (layer), ==, n_layers == 0 ? 1 : 2);
        n_layers++;
      }
  g_assert_cmpuint (n_layers, ==, 3);
  spk_network_set_dtype (spk_session_get_network (again), SPK_DTYPE_FLOAT64);
  plan_b = rebuild (spk_session_get_network (again), spk_session_get_plan (again));
  spk_rng_init (&rng, 13);
  for (gsize i = 0; i < 3 * 98; i++)
    input[i] = spk_rng_uniform_range (&rng, -1, 1);
  /* The frames arrive channels last here and channels first in NIR. */
  for (guint t = 0; t < 3; t++)
    for (gsize k = 0; k < 98; k++)
      nir_input[t * 98 + k] = input[t * 98 + hwc_index (7, 7, 2, k)];
  a = run (plan, input, 3, "out", &size_a);
  b = run (plan_b, nir_input, 3, "out", &size_b);
  g_assert_cmpuint (size_a, ==, 3);
  g_assert_cmpuint (size_b, ==, 3);
  for (gsize i = 0; i < 3 * 3; i++)
    {
      worst = MAX (worst, fabs (a[i] - b[i]));
      largest = MAX (largest, fabs (a[i]));
    }
  g_test_message ("out: largest %.3g, largest difference %.3g", largest, worst);
  g_assert_cmpfloat (largest, >, 0);
  g_assert_cmpfloat (worst, <=, 1e-12 * MAX (largest, 1));
}

/* The example's network with LIF neurons NIR holds exactly. */
static void
make_exact (SpkNetwork *net)
{
  GPtrArray *objects = spk_network_get_objects (net);

  for (guint i = 0; i < objects->len; i++)
    if (SPK_IS_ENSEMBLE (g_ptr_array_index (objects, i)))
      {
        SpkEnsemble *ens = g_ptr_array_index (objects, i);
        g_autoptr (SpkNeuronType) type = spk_neuron_type_copy (spk_ensemble_get_neuron_type (ens));

        type->tau_ref = 0;
        type->min_voltage = -1e30;
        g_clear_pointer (&type->initial_state[0], spk_distribution_unref);
        type->initial_state[0] = spk_distribution_new_uniform (0, 0);
        spk_ensemble_set_neuron_type (ens, type);
      }
}

/* spiking-fashion-mnist (three Conv2D layers into LIF neurons, Dense 10)
 * exports and imports again with the same class scores, step by step, on
 * random frames (one channel: the same order both ways). */
static void
test_fashion_mnist (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_example_new ("spiking-fashion-mnist", &error);
  g_autoptr (SpkPlan) plan = NULL, plan_b = NULL;
  g_autofree char *out = out_file ("spiking-fashion-mnist.nir");
  g_autoptr (GPtrArray) notes = NULL;
  g_autoptr (SpkSession) again = NULL;
  g_autofree double *frames = g_new (double, 40 * 784);
  SpkRng rng;

  g_assert_no_error (error);
  make_exact (net);
  spk_network_set_dtype (net, SPK_DTYPE_FLOAT64);
  plan = rebuild (net, NULL);
  notes = export (net, plan, out, FALSE);
  /* The images the Node presents are the one thing not exported. */
  g_assert_cmpuint (notes->len, ==, 1);
  again = import (out, 0.001, FALSE);
  spk_network_set_dtype (spk_session_get_network (again), SPK_DTYPE_FLOAT64);
  plan_b = rebuild (spk_session_get_network (again), spk_session_get_plan (again));
  spk_rng_init (&rng, 3);
  for (gsize i = 0; i < 40 * 784; i++)
    frames[i] = spk_rng_uniform (&rng);
  g_assert_cmpuint (assert_same_run (plan, plan_b, 1, frames, 40, "output", 1e-9), >, 0);
  assert_same_run (plan, plan_b, 1, frames, 40, "output_filtered", 1e-9);
  assert_same_run (plan, plan_b, 1, frames, 40, "input_image", 0);
}

/* ---- refusals --------------------------------------------------------------- */

static void
check_refused (const char *model,
               gboolean    approximate,
               const char *message)
{
  g_autoptr (SpkNetwork) net = load_model (model);
  g_autoptr (SpkPlan) plan = rebuild (net, NULL);
  g_autofree char *out = out_file ("refused.nir");
  g_autoptr (GError) error = NULL;
  SpkNirExportOptions options;

  spk_nir_export_options_init (&options);
  options.approximate = approximate;
  g_assert_false (spk_nir_export_full (net, plan, out, &options, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("refused: %s", error->message);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

#define MODEL(objects)                                                                        \
  "{\"format\": \"spikeworks-model\", \"version\": 4, \"network\": {\"label\": \"m\", \"seed\": 1}," \
  " \"objects\": [{\"type\": \"node\", \"label\": \"in\", \"output\": [0.5]}, " objects "]}"
#define EXACT_LIF "{\"type\": \"LIF\", \"tau_ref\": 0, \"min_voltage\": -1e30, \"initial_state\": {\"voltage\": 0}}"

static void
test_refusals (void)
{
  check_refused (MODEL ("{\"type\": \"ensemble\", \"label\": \"e\", \"n_neurons\": 5, \"dimensions\": 1}"), FALSE,
                 "ensemble 'e': its neurons have a refractory period (tau_ref = 0.002 s), which NIR's LIF does not; "
                 "set tau_ref to 0, or export approximately");
  check_refused (MODEL ("{\"type\": \"ensemble\", \"label\": \"e\", \"n_neurons\": 5, \"dimensions\": 1,"
                        " \"neuron_type\": {\"type\": \"LIF\", \"tau_ref\": 0}}"), FALSE,
                 "ensemble 'e': its neurons' voltage stops at min_voltage = 0, which NIR's LIF does not; "
                 "set min_voltage to -1e30, or export approximately");
  check_refused (MODEL ("{\"type\": \"ensemble\", \"label\": \"e\", \"n_neurons\": 5, \"dimensions\": 1,"
                        " \"neuron_type\": {\"type\": \"LIF\", \"tau_ref\": 0, \"min_voltage\": -1e30}}"), FALSE,
                 "ensemble 'e': its neurons start at random voltages, and NIR's all start at 0; give initial_state "
                 "a voltage of one value, or export approximately");
  check_refused (MODEL ("{\"type\": \"ensemble\", \"label\": \"e\", \"n_neurons\": 5, \"dimensions\": 1,"
                        " \"neuron_type\": \"RectifiedLinear\"}"), TRUE,
                 "ensemble 'e': RectifiedLinear neurons have no NIR counterpart (LIF neurons export as NIR's LIF "
                 "or CubaLIF)");
  check_refused (MODEL ("{\"type\": \"node\", \"label\": \"f\", \"size_in\": 1, \"output\": \"x**2\"},"
                        "{\"type\": \"connection\", \"pre\": \"in\", \"post\": \"f\"}"), FALSE,
                 "node 'f': it computes its output from its input (x**2), which NIR cannot represent");
  check_refused (MODEL ("{\"type\": \"node\", \"label\": \"f\", \"size_in\": 1},"
                        "{\"type\": \"connection\", \"pre\": \"in\", \"post\": \"f\", \"function\": \"x**2\"}"), FALSE,
                 "connection 'connection0': it computes x**2 of a node's or layer's output, which NIR cannot represent");
  check_refused (MODEL ("{\"type\": \"ensemble\", \"label\": \"e\", \"n_neurons\": 5, \"dimensions\": 1,"
                        " \"neuron_type\": " EXACT_LIF "},"
                        "{\"type\": \"connection\", \"pre\": \"in\", \"post\": \"e\", \"synapse\": {\"type\": \"Alpha\", \"tau\": 0.005}}"),
                 FALSE, "connection 'connection0': its synapse (Alpha) has no NIR counterpart (Lowpass synapses have)");
  check_refused (MODEL ("{\"type\": \"ensemble\", \"label\": \"e\", \"n_neurons\": 5, \"dimensions\": 1,"
                        " \"neuron_type\": " EXACT_LIF "},"
                        "{\"type\": \"ensemble\", \"label\": \"g\", \"n_neurons\": 5, \"dimensions\": 1,"
                        " \"neuron_type\": " EXACT_LIF "},"
                        "{\"type\": \"connection\", \"pre\": \"e\", \"post\": \"g\", \"learning_rule_type\": \"PES\"}"),
                 FALSE, "connection 'connection0': it learns, and NIR has no learning rules");
  check_refused (MODEL ("{\"type\": \"ensemble\", \"label\": \"e\", \"n_neurons\": 5, \"dimensions\": 1,"
                        " \"neuron_type\": " EXACT_LIF "},"
                        "{\"type\": \"probe\", \"label\": \"v\", \"target\": \"e.neurons\", \"attr\": \"voltage\"}"),
                 FALSE, "probe 'v': it records 'voltage', which a NIR Output cannot carry (outputs, spikes and "
                        "decoded outputs can)");
  check_refused (MODEL ("{\"type\": \"layer\", \"label\": \"conv\", \"layer_type\": \"conv2d\", \"shape_in\": [4, 4, 1],"
                        " \"filters\": 2, \"kernel_size\": 3, \"strides\": 2, \"padding\": \"same\"}"), FALSE,
                 "layer 'conv': its \"same\" padding puts more zeros after the image than before it, which NIR's "
                 "padding (the same on both sides) cannot hold with strides of 2");
  check_refused (MODEL ("{\"type\": \"layer\", \"label\": \"pool\", \"layer_type\": \"average-pooling2d\","
                        " \"shape_in\": [4, 4, 1], \"kernel_size\": 2, \"strides\": 1, \"padding\": \"same\"}"), FALSE,
                 "layer 'pool': its \"same\" padding puts more zeros after the image than before it, which NIR's "
                 "padding (the same on both sides) cannot hold with strides of 1");
  check_refused (MODEL ("{\"type\": \"layer\", \"label\": \"conv\", \"layer_type\": \"conv2d\", \"shape_in\": [4, 4, 1],"
                        " \"filters\": 2, \"kernel_size\": 3, \"strides\": [2, 1], \"padding\": \"same\"}"), FALSE,
                 "layer 'conv': its \"same\" padding puts more zeros after the image than before it, which NIR's "
                 "padding (the same on both sides) cannot hold with strides of 2 × 1");
  check_refused (MODEL ("{\"type\": \"layer\", \"label\": \"conv\", \"layer_type\": \"conv2d\", \"shape_in\": [4, 4, 1],"
                        " \"filters\": 2, \"kernel_size\": 3, \"kernel_width\": 2}"), FALSE,
                 "layer 'conv': its kernel is not square, which the NIR export does not write yet");
  check_refused (MODEL ("{\"type\": \"layer\", \"label\": \"drop\", \"layer_type\": \"dropout\", \"shape_in\": [4]}"),
                 FALSE, "layer 'drop': it is a Dropout, rate 0.5: 4 → 4, which NIR has no node for (Dense, Conv2D and "
                        "AveragePooling2D layers export)");
  check_refused (MODEL ("{\"type\": \"layer\", \"label\": \"conv\", \"layer_type\": \"conv2d\", \"shape_in\": [3, 3, 1],"
                        " \"filters\": 1, \"kernel_size\": 2},"
                        "{\"type\": \"connection\", \"pre\": \"in\", \"post\": \"conv\", \"transform\": [[1], [1], [1],"
                        " [1], [1], [1], [1], [1], [1]]}"), FALSE,
                 "connection 'connection0': it feeds the image input of 'conv' other than value by value from an "
                 "image of its shape, and NIR cannot shape values into an image");
}

/* ---- the reference reader and the CLI ---------------------------------------- */

/* Every file written above reads with the reference nir.read() (with its
 * type checks), which lists each node's type. */
static void
test_reference_reads (void)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "nir", "read_exported.py", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  int status = 0;

  g_assert_cmpuint (written->len, >=, 6);
  g_ptr_array_add (args, "/usr/bin/python3");
  g_ptr_array_add (args, script);
  for (guint i = 0; i < written->len; i++)
    g_ptr_array_add (args, g_ptr_array_index (written, i));
  g_ptr_array_add (args, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               &status, &error));
  g_assert_no_error (error);
  g_test_message ("%s%s", out, err);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
  /* Every kind of node the export writes. */
  {
    const char *types[] = { "Input", "Output", "LIF", "CubaLIF", "LI", "Linear", "Affine", "Scale", "Delay",
                            "Conv2d", "AvgPool2d", "SumPool2d", "Flatten" };

    for (guint i = 0; i < G_N_ELEMENTS (types); i++)
      {
        g_autofree char *needle = g_strdup_printf (":%s ", types[i]);

        g_assert_nonnull (strstr (out, needle));
      }
  }
}

static void
test_cli (void)
{
  g_autofree char *out = out_file ("cli.nir"), *err = NULL;

  g_assert_cmpint (cli (NULL, &err, "export-nir", "--example", "communication-channel", out, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "ensemble 'a': its neurons have a refractory period (tau_ref = 0.002 s)"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_assert_cmpint (cli (NULL, &err, "export-nir", "--example", "communication-channel", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "export-nir needs one output file"));
  g_assert_cmpint (cli (NULL, &err, "export-nir", "--example", "learn-communication-channel", "--approximate", out,
                        NULL), ==, 1);
  g_assert_nonnull (strstr (err, "it learns, and NIR has no learning rules"));
  g_assert_cmpint (cli (NULL, &err, "export-nir", "--example", "communication-channel", "--approximate", out, NULL), ==, 0);
  g_assert_nonnull (strstr (err, "spikeworks-cli: note: node 'input': its output sin(2*pi*t) is not exported"));
  /* A model file and a session export too, and what comes back converts. */
  {
    g_autofree char *model = out_file ("nef.json"), *session = out_file ("nef.spkw"), *back = out_file ("back.spkw");

    g_assert_true (g_file_set_contents (model, nef_model, -1, NULL));
    g_assert_cmpint (cli (NULL, &err, "export-nir", model, out, NULL), ==, 0);
    g_assert_cmpint (cli (NULL, &err, "save", model, session, NULL), ==, 0);
    g_assert_cmpint (cli (NULL, &err, "export-nir", session, out, NULL), ==, 0);
    g_assert_cmpint (cli (NULL, &err, "convert", out, back, "--dt", "0.001", NULL), ==, 0);
  }
}

int
main (int    argc,
      char **argv)
{
  int result;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("spk-nir-export-XXXXXX", NULL);
  written = g_ptr_array_new_with_free_func (g_free);

  g_test_add_func ("/spk/nir-export/paper-task1", test_task1);
  g_test_add_func ("/spk/nir-export/paper-task3", test_task3);
  g_test_add_func ("/spk/nir-export/nef-round-trip", test_nef_round_trip);
  g_test_add_func ("/spk/nir-export/delay-and-li", test_delay_and_li);
  g_test_add_func ("/spk/nir-export/examples", test_examples);
  g_test_add_func ("/spk/nir-export/layers", test_layers_round_trip);
  g_test_add_func ("/spk/nir-export/layers-strided", test_layers_strided_round_trip);
  g_test_add_func ("/spk/nir-export/spiking-fashion-mnist", test_fashion_mnist);
  g_test_add_func ("/spk/nir-export/refusals", test_refusals);
  g_test_add_func ("/spk/nir-export/cli", test_cli);
  /* Last: it reads what the others wrote. */
  g_test_add_func ("/spk/nir-export/reference-reads", test_reference_reads);
  result = g_test_run ();
  tu_remove_dir (dir);
  g_free (dir);
  g_ptr_array_unref (written);
  return result;
}
