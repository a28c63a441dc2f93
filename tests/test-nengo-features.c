/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-nengo-features.c — Nengo features beyond the basics (solvers'
 * full weights, LstsqDrop, NoSolver, …) against Nengo 4.1.0's own numbers,
 * and the refusals of their bad input.
 *
 * The reference networks live in tests/data/nengo-features/, made by
 * make-reference.py there: each file holds a model and Nengo's probe data
 * from its reference simulator in float64.  The engine must give Nengo's
 * numbers to round-off in float64 (1e-9 of each probe's largest value:
 * sums in another order, a Cholesky solve by LAPACK instead of scipy) and
 * closely in float32.
 */
#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "builder/spk-plan.h"
#include "core/spk-error.h"
#include "io/spk-model-json.h"
#include "io/spk-session.h"
#include "nef/spk-solver.h"
#include "sim/spk-simulator.h"
#include "train/spk-train.h"
#include "spk-test-util.h"

static const char *const nengo_cases[] = {
  "weights-lstsql2", "weights-function", "weights-drop", "decoders-drop", "weights-nosolver",
  "decoders-nosolver", "weights-pes", "weights-bcm", "synapses", "piecewise", "connection-points",
  "connection-probes", "direct-square", "direct-chain", "direct-integrator",
};

/* The random processes in distribution (tests/data/nengo-features/
 * noise-stats.json): over 1000 independent dimensions (or neurons), the
 * mean and variance at a few steps must agree with Nengo's within five
 * standard errors of the difference (the variance of a variance estimate
 * of N Gaussian samples is 2σ⁴/(N − 1); Uniform noise has less). */
static void
test_noise_against_nengo (void)
{
  g_auto (TuReferenceRun) run = { 0 };
  g_autoptr (GList) labels = NULL;
  JsonObject *stats;
  JsonArray *stat_steps;

  tu_reference_run (&run, "nengo-features", "noise-stats", NULL);
  stat_steps = json_object_get_array_member (run.root, "stat_steps");
  stats = json_object_get_object_member (run.root, "stats");
  labels = json_object_get_members (stats);
  for (GList *l = labels; l != NULL; l = l->next)
    {
      JsonObject *want = json_object_get_object_member (stats, l->data);
      int index = spk_plan_find_probe (run.plan, l->data);
      guint size;
      g_autofree double *got = NULL;

      g_assert_cmpint (index, >=, 0);
      size = spk_plan_get_probe_size (run.plan, index);
      got = g_new (double, (gsize) run.steps * size);
      spk_simulator_get_probe_data (run.sim, index, got);
      for (guint s = 0; s < json_array_get_length (stat_steps); s++)
        {
          guint n = (guint) json_array_get_int_element (stat_steps, s);
          double mean = 0, var = 0;
          double nengo_mean = json_array_get_double_element (json_object_get_array_member (want, "mean"), s);
          double nengo_var = json_array_get_double_element (json_object_get_array_member (want, "var"), s);
          double se_mean, se_var;

          for (guint k = 0; k < size; k++)
            mean += got[(gsize) (n - 1) * size + k];
          mean /= size;
          for (guint k = 0; k < size; k++)
            var += (got[(gsize) (n - 1) * size + k] - mean) * (got[(gsize) (n - 1) * size + k] - mean);
          var /= size;
          se_mean = sqrt ((var + nengo_var) / size);
          se_var = sqrt (2.0 / (size - 1)) * sqrt (var * var + nengo_var * nengo_var);
          g_test_message ("%s step %u: mean %.4g (Nengo %.4g), variance %.4g (Nengo %.4g)",
                          (const char *) l->data, n, mean, nengo_mean, var, nengo_var);
          g_assert_cmpfloat (fabs (mean - nengo_mean), <=, 5 * se_mean + 1e-12);
          g_assert_cmpfloat (fabs (var - nengo_var), <=, 5 * se_var + 1e-12);
        }
    }
}

/* A small model around one connection, for the refusals. */
static char *
model_with (const char *connection)
{
  return g_strdup_printf ("{\"format\": \"spikeworks-model\", \"version\": 2, \"network\": {\"seed\": 1},"
                          " \"objects\": ["
                          "  {\"type\": \"node\", \"label\": \"in\", \"output\": 0.5},"
                          "  {\"type\": \"node\", \"label\": \"out\", \"size_in\": 1},"
                          "  {\"type\": \"ensemble\", \"label\": \"a\", \"n_neurons\": 10, \"dimensions\": 1},"
                          "  {\"type\": \"ensemble\", \"label\": \"b\", \"n_neurons\": 8, \"dimensions\": 2},"
                          "  %s]}", connection);
}

static void
assert_load_error (const char *connection,
                   const char *fragment)
{
  g_autofree char *model = model_with (connection);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_model_load_data (model, -1, &error);

  g_assert_null (net);
  g_assert_nonnull (error);
  if (strstr (error->message, fragment) == NULL)
    g_error ("expected '%s' in '%s'", fragment, error->message);
}

static void
assert_build_error (const char *connection,
                    const char *fragment)
{
  g_autofree char *model = model_with (connection);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_model_load_data (model, -1, &error);
  g_autoptr (SpkPlan) plan = NULL;

  g_assert_no_error (error);
  plan = spk_build (net, &error);
  if (plan != NULL)
    g_error ("expected a build error with '%s'", fragment);
  g_assert_error (error, SPK_BUILD_ERROR, error->code);
  if (strstr (error->message, fragment) == NULL)
    g_error ("expected '%s' in '%s'", fragment, error->message);
}

static void
test_solver_errors (void)
{
  assert_load_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"out\","
                     " \"solver\": {\"type\": \"LstsqNoise\", \"noise\": -1}}",
                     "LstsqNoise noise must be a finite number >= 0 (got -1)");
  assert_load_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"out\","
                     " \"solver\": {\"type\": \"LstsqDrop\", \"drop\": 1}}",
                     "LstsqDrop drop must be a fraction >= 0 and < 1 (got 1)");
  assert_load_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"out\","
                     " \"solver\": {\"type\": \"LstsqDrop\", \"solver1\": {\"type\": \"LstsqL2\", \"reg\": -2}}}",
                     "connection 'c': solver.solver1: LstsqL2 reg must be a finite number >= 0 (got -2)");
  assert_load_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"out\","
                     " \"solver\": {\"type\": \"LstsqDrop\", \"solver2\": \"Bogus\"}}",
                     "solver2");
  assert_load_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"out\","
                     " \"solver\": {\"type\": \"NoSolver\", \"values\": [1, 2]}}",
                     "NoSolver values must be a finite n_neurons × size_out matrix");
  assert_load_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"out\","
                     " \"solver\": {\"type\": \"LstsqL2\", \"noise\": 0.1}}",
                     "noise");
  assert_load_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"out\","
                     " \"solver\": {\"type\": \"LstsqL2\", \"weights\": 1}}",
                     "weights");
  assert_build_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"out\","
                      " \"solver\": {\"type\": \"NoSolver\", \"values\": [[1], [2]]}}",
                      "connection 'c': NoSolver values have shape (2, 1) but this connection needs (10, 1) "
                      "(pre neurons × function size)");
  assert_build_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"out\","
                      " \"solver\": {\"type\": \"LstsqDrop\", \"weights\": true}}",
                      "connection 'c': solver: LstsqDrop with weights=True solves for the post neurons' "
                      "currents, so it needs an ensemble as pre and an ensemble (not its neurons) as post");
  assert_build_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"b\","
                      " \"post_slice\": [1],"
                      " \"solver\": {\"type\": \"LstsqL2\", \"weights\": true},"
                      " \"learning_rule_type\": \"PES\"}",
                      "connection 'c': learning_rule_type: a connection with weights=True learns on all "
                      "dimensions of post (no post_slice)");
  assert_build_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"b\","
                      " \"transform\": [[1], [1]],"
                      " \"solver\": {\"type\": \"LstsqL2\", \"weights\": true},"
                      " \"learning_rule_type\": \"RLS\"}",
                      "connection 'c': learning_rule_type: RLS learns decoders, so its solver cannot have "
                      "weights=True");
  assert_build_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"b\","
                      " \"transform\": [[1], [1]],"
                      " \"solver\": {\"type\": \"LstsqL2\", \"weights\": true},"
                      " \"learning_rule_type\": \"Voja\"}",
                      "connection 'c': learning_rule_type: Voja changes encoders, which a connection with "
                      "weights=True does not use");
}

static void
test_synapse_errors (void)
{
  assert_load_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"in\", \"post\": \"out\","
                     " \"synapse\": {\"type\": \"Triangle\", \"t\": -0.01}}",
                     "Triangle synapse t must be a non-negative number of seconds (got -0.01)");
  assert_load_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"in\", \"post\": \"out\","
                     " \"synapse\": {\"type\": \"Triangle\"}}",
                     "Triangle needs \"t\"");
  assert_load_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"in\", \"post\": \"out\","
                     " \"synapse\": {\"type\": \"Triangle\", \"tau\": 0.01}}",
                     "tau");
  assert_load_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"in\", \"post\": \"out\","
                     " \"synapse\": {\"type\": \"LinearFilter\", \"num\": [1], \"den\": [1, -0.5],"
                     " \"analog\": \"no\"}}",
                     "analog");
  assert_build_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"in\", \"post\": \"out\","
                      " \"synapse\": {\"type\": \"Triangle\", \"t\": 2000}}",
                      "Triangle synapse of t = 2000 s has 2000001 taps at dt = 0.001 (at most 1000000)");
  /* Training has no backward pass through a Triangle. */
  {
    g_autofree char *model = model_with ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\","
                                         " \"post\": \"out\", \"synapse\": {\"type\": \"Triangle\", \"t\": 0.01}}");
    g_autoptr (GError) error = NULL;
    g_autoptr (SpkNetwork) net = spk_model_load_data (model, -1, &error);
    g_autoptr (SpkTrainer) trainer = NULL;

    g_assert_no_error (error);
    trainer = spk_trainer_new (net, NULL, SPK_DTYPE_FLOAT64, &error);
    g_assert_null (trainer);
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "connection 'c': a Triangle synapse cannot be trained through"));
  }
}

/* A model with one node or ensemble given as JSON, for the processes. */
static char *
model_with_object (const char *object)
{
  return g_strdup_printf ("{\"format\": \"spikeworks-model\", \"version\": 3, \"objects\": [%s]}", object);
}

static void
assert_object_fails (const char *object,
                     gboolean    at_build,
                     const char *fragment)
{
  g_autofree char *model = model_with_object (object);

  tu_assert_model_fails (model, at_build, fragment);
}

static void
test_process_errors (void)
{
  assert_object_fails ("{\"type\": \"node\", \"label\": \"n\", \"output\": {\"process\": \"FilteredNoise\","
                       " \"synapse\": null}}", TRUE,
                       "node 'n': FilteredNoise needs a synapse (not null)");
  assert_object_fails ("{\"type\": \"node\", \"label\": \"n\", \"output\": {\"process\": \"FilteredNoise\","
                       " \"synapse\": -1}}", FALSE, "synapse tau must not be negative");
  assert_object_fails ("{\"type\": \"node\", \"label\": \"n\", \"output\": {\"process\": \"BrownNoise\","
                       " \"synapse\": 0.1}}", FALSE, "synapse");
  assert_object_fails ("{\"type\": \"node\", \"label\": \"n\", \"output\": {\"process\": \"Piecewise\","
                       " \"times\": [0, 1], \"values\": [0, 1], \"interpolation\": \"cubik\"}}", FALSE,
                       "cubic");
  assert_object_fails ("{\"type\": \"node\", \"label\": \"n\", \"output\": {\"process\": \"Piecewise\","
                       " \"times\": [0, 0.5, 1], \"values\": [0, 1, 0], \"interpolation\": \"cubic\"}}", TRUE,
                       "node 'n': Piecewise with 'cubic' interpolation needs at least 4 times (got 3)");
  assert_object_fails ("{\"type\": \"ensemble\", \"label\": \"e\", \"n_neurons\": 10,"
                       " \"noise\": {\"process\": \"Piecewise\", \"times\": [0], \"values\": [[1, 2]]}}", TRUE,
                       "ensemble 'e': noise: Piecewise values have 2 dimensions but the output has 10");
  assert_object_fails ("{\"type\": \"ensemble\", \"label\": \"e\", \"n_neurons\": 10,"
                       " \"noise\": 0.5}", FALSE, "noise");
}

/* The model written, read back and written again: the same text, which is
 * returned. */
static char *
written_and_read_back (const char *model)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_model_load_data (model, -1, &error);

  g_assert_no_error (error);
  return tu_model_written_twice (net);
}

/* Every new solver survives the model file: written, read back equal. */
static void
test_solver_round_trip (void)
{
  static const char *const solvers[] = {
    "{\"type\": \"LstsqNoise\", \"noise\": 0.25, \"weights\": true}",
    "{\"type\": \"LstsqMultNoise\", \"noise\": 0.05}",
    "{\"type\": \"LstsqDrop\", \"drop\": 0.4, \"solver1\": {\"type\": \"Nnls\"}, "
    "\"solver2\": {\"type\": \"LstsqL2nz\", \"reg\": 0.2}, \"weights\": true}",
    "{\"type\": \"NoSolver\", \"values\": [[1, 2], [3, 4]]}",
    "\"NoSolver\"",
    "{\"type\": \"Lstsq\", \"rcond\": 0.02, \"weights\": true}",
  };
  static const char *const processes[] = {
    "{\"type\": \"node\", \"label\": \"n\", \"output\": {\"process\": \"FilteredNoise\", \"synapse\": "
    "{\"type\": \"Alpha\", \"tau\": 0.01}, \"scale\": false}}",
    "{\"type\": \"node\", \"label\": \"n\", \"output\": {\"process\": \"BrownNoise\", \"dist\": "
    "{\"type\": \"Uniform\", \"low\": -1, \"high\": 1}}}",
    "{\"type\": \"node\", \"label\": \"n\", \"output\": {\"process\": \"Piecewise\", \"times\": [0, 1],"
    " \"values\": [0, 1], \"interpolation\": \"linear\"}}",
    "{\"type\": \"ensemble\", \"label\": \"e\", \"noise\": {\"process\": \"WhiteNoise\"}}",
  };
  static const char *const process_keys[] = { "\"synapse\"", "\"BrownNoise\"", "\"interpolation\": \"linear\"",
                                              "\"noise\"" };
  static const char *const synapses[] = {
    "{\"type\": \"Triangle\", \"t\": 0.02}",
    "{\"type\": \"LinearFilter\", \"num\": [0.3], \"den\": [1, -0.5], \"analog\": false}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (processes); i++)
    {
      g_autofree char *model = model_with_object (processes[i]);
      g_autofree char *written = written_and_read_back (model);

      g_assert_nonnull (strstr (written, process_keys[i]));
    }

  for (guint i = 0; i < G_N_ELEMENTS (synapses); i++)
    {
      g_autofree char *conn = g_strdup_printf ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"in\","
                                               " \"post\": \"out\", \"synapse\": %s}", synapses[i]);
      g_autofree char *model = model_with (conn);
      g_autofree char *written = written_and_read_back (model);

      g_assert_nonnull (strstr (written, i == 0 ? "\"t\": 0.02" : "\"analog\": false"));
    }

  for (guint i = 0; i < G_N_ELEMENTS (solvers); i++)
    {
      g_autofree char *conn = g_strdup_printf ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\","
                                               " \"post\": \"out\", \"solver\": %s}", solvers[i]);
      g_autofree char *model = model_with (conn);
      g_autofree char *written = written_and_read_back (model);

      if (i != 4)
        g_assert_nonnull (strstr (written, strchr (solvers[i], 'L') ? "Lstsq" : "NoSolver"));
    }
}

/* A version-3 file (tests/data/v3/solvers.json) with every new solver
 * loads as written and runs: a communication channel through full
 * weights and LstsqDrop's full weights decodes the input. */
static void
test_version_3_file (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "v3", "solvers.json", NULL);
  static const struct { const char *label; SpkSolverKind kind; gboolean weights; } want[] = {
    { "noise", SPK_SOLVER_LSTSQ_NOISE, FALSE },
    { "mult", SPK_SOLVER_LSTSQ_MULT_NOISE, FALSE },
    { "drop", SPK_SOLVER_LSTSQ_DROP, TRUE },
    { "given", SPK_SOLVER_NO_SOLVER, FALSE },
    { "full", SPK_SOLVER_LSTSQ_L2, TRUE },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_model_load_file (path, &error);
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  g_autofree double *b = NULL;
  double err = 0;
  int index;

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      SpkObject *object = spk_network_lookup (net, want[i].label);
      SpkSolver *solver;

      g_assert_true (SPK_IS_CONNECTION (object));
      solver = spk_connection_get_solver (SPK_CONNECTION (object));
      g_assert_cmpint (solver->kind, ==, want[i].kind);
      g_assert_cmpint (solver->weights, ==, want[i].weights);
    }
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  sim = spk_simulator_new (plan, 1, &error);
  g_assert_no_error (error);
  spk_simulator_run_steps (sim, 1000, &error);
  g_assert_no_error (error);
  index = spk_plan_find_probe (plan, "b_probe");
  g_assert_cmpint (index, >=, 0);
  b = g_new (double, 1000);
  spk_simulator_get_probe_data (sim, index, b);
  /* Two half channels into b: b ≈ sin, delayed and filtered a little. */
  for (guint n = 100; n < 1000; n++)
    err = MAX (err, fabs (b[n] - sin (2 * G_PI * (n + 1) * 0.001 - 0.15)));
  g_test_message ("largest |b - sin| after 0.1 s: %.3g", err);
  g_assert_cmpfloat (err, <, 0.35);
}

/* A connection's eval_points and a function given as points: refused
 * where Nengo refuses them, with the connection and the parameter named. */
static void
test_connection_points_errors (void)
{
  assert_load_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"out\","
                     " \"eval_points\": [[0.5]], \"function\": [1, 2]}",
                     "connection 'c': function given as points must be a list of rows, one row of targets per "
                     "evaluation point");
  assert_load_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"out\","
                     " \"scale_eval_points\": 1}",
                     "scale_eval_points");
  assert_build_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"out\","
                      " \"function\": [[1], [2]]}",
                      "connection 'c': a function given as points needs eval_points given as points too "
                      "(one per row of the function)");
  assert_build_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"out\","
                      " \"eval_points\": [[0.1], [0.2]], \"function\": [[1], [2], [3]]}",
                      "connection 'c': the function has 3 points but eval_points has 2; give one row of targets "
                      "per evaluation point");
  assert_build_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"in\", \"post\": \"out\","
                      " \"eval_points\": [[0.1], [0.2]]}",
                      "connection 'c': eval_points are only valid on a connection from an ensemble's decoded "
                      "value (not from a node or neurons)");
  assert_build_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a.neurons\", \"post\": \"out\","
                      " \"transform\": {\"type\": \"Uniform\"}, \"eval_points\": [[0.1]], \"function\": [[1]]}",
                      "connection 'c': eval_points are only valid on a connection from an ensemble's decoded value");
  assert_build_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"b\", \"post\": \"out\","
                      " \"transform\": [[1, 1]], \"eval_points\": [[0.1, 0.2, 0.3]]}",
                      "connection 'c': eval_points must have one row of 2 values (the pre's dimensions) per point");
  assert_build_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"b\", \"post\": \"out\","
                      " \"eval_points\": [[0.1, 0.2]], \"function\": [[1, 2]]}",
                      "a scalar transform needs equal input and output sizes, but the input has 2 dimensions");
  {
    g_autofree char *model = model_with ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\","
                                         " \"post\": \"out\", \"function\": \"x\"}");
    g_autoptr (GError) error = NULL;
    g_autoptr (SpkNetwork) net = spk_model_load_data (model, -1, &error);
    g_autoptr (SpkArray) points = spk_array_new (2, 1, 1);
    g_autoptr (SpkDistribution) eval_points = NULL;
    g_autoptr (SpkPlan) plan = NULL;

    g_assert_no_error (error);
    points->data[0] = 0.5;
    eval_points = spk_distribution_new_array (points);
    spk_connection_set_eval_points (SPK_CONNECTION (spk_network_lookup (net, "c")), eval_points);
    spk_connection_set_function_points (SPK_CONNECTION (spk_network_lookup (net, "c")), points);
    plan = spk_build (net, &error);
    g_assert_null (plan);
    g_assert_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_INVALID);
    g_assert_cmpstr (error->message, ==, "connection 'c': function is given both as an expression and as points");
  }
}

/* eval_points, scale_eval_points and function points survive the file;
 * eval points drawn from a distribution come from the connection's seed. */
static void
test_connection_points_round_trip (void)
{
  static const char *const conns[] = {
    "{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"out\","
    " \"eval_points\": [[0.1], [0.2], [-0.5]], \"scale_eval_points\": false, \"function\": [[1], [0.5], [-2]]}",
    "{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"out\","
    " \"eval_points\": {\"type\": \"Uniform\", \"low\": -0.5, \"high\": 0.5}, \"function\": \"x**2\", \"seed\": 4}",
  };
  static const char *const wanted[] = { "\"function\": [[1], [0.5], [-2]]", "\"low\": -0.5" };

  for (guint i = 0; i < G_N_ELEMENTS (conns); i++)
    {
      g_autofree char *model = model_with (conns[i]);
      g_autofree char *written = written_and_read_back (model);
      g_autoptr (GError) error = NULL;
      g_autoptr (SpkNetwork) net = NULL, again = NULL;
      g_autoptr (SpkPlan) plan = NULL, plan2 = NULL;

      g_assert_nonnull (strstr (written, wanted[i]));
      g_assert_nonnull (strstr (written, i == 0 ? "\"scale_eval_points\": false" : "\"eval_points\""));
      /* Built twice, the same decoders (the same sampled points). */
      net = spk_model_load_data (model, -1, &error);
      g_assert_no_error (error);
      again = spk_model_load_data (written, -1, &error);
      g_assert_no_error (error);
      plan = spk_build (net, &error);
      g_assert_no_error (error);
      plan2 = spk_build (again, &error);
      g_assert_no_error (error);
      {
        g_autoptr (SpkArray) w1 = spk_plan_dup_param (plan, "c/weights");
        g_autoptr (SpkArray) w2 = spk_plan_dup_param (plan2, "c/weights");

        g_assert_nonnull (w1);
        g_assert_true (spk_array_equal (w1, w2));
      }
    }
}

/* Probes on connections: an attribute a connection does not have is
 * refused naming the probe, the connection and the attribute. */
static void
test_connection_probe_errors (void)
{
  assert_build_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"out\"},"
                      "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"c\", \"attr\": \"voltage\"}",
                      "probe 'p': connection 'c' has no 'voltage' to probe");
  assert_build_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"out\"},"
                      "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"c\", \"attr\": \"delta\"}",
                      "probe 'p': connection 'c' has no 'delta' to probe");
  assert_load_error ("{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"out\"},"
                     "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"c\", \"attr\": 3}",
                     "probe 'p': attr must be a string");
}

/* StochasticSpiking in a whole network: read and written back, and a
 * communication channel through it decodes its input (the spikes are
 * random; the filtered decode of 0.5 stays within 0.1 of it). */
static void
test_stochastic_spiking_network (void)
{
  static const char *model =
    "{\"format\": \"spikeworks-model\", \"version\": 4, \"network\": {\"seed\": 3, \"dtype\": \"float64\"},"
    " \"objects\": ["
    "  {\"type\": \"node\", \"label\": \"in\", \"output\": 0.5},"
    "  {\"type\": \"ensemble\", \"label\": \"a\", \"n_neurons\": 200, \"dimensions\": 1,"
    "   \"neuron_type\": {\"type\": \"StochasticSpiking\", \"base\": {\"type\": \"LIFRate\", \"tau_rc\": 0.03}}},"
    "  {\"type\": \"connection\", \"pre\": \"in\", \"post\": \"a\"},"
    "  {\"type\": \"probe\", \"label\": \"p\", \"target\": \"a\", \"synapse\": 0.05}]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_model_load_data (model, -1, &error);
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  g_autofree char *written = NULL;
  g_autofree double *p = g_new (double, 500);
  SpkNeuronType *type;
  double mean = 0;

  g_assert_no_error (error);
  type = spk_ensemble_get_neuron_type (SPK_ENSEMBLE (spk_network_lookup (net, "a")));
  g_assert_cmpint (type->kind, ==, SPK_NEURON_STOCHASTIC_SPIKING);
  g_assert_cmpint (type->base->kind, ==, SPK_NEURON_LIF_RATE);
  written = tu_model_written_twice (net);
  g_assert_nonnull (strstr (written, "\"StochasticSpiking\""));

  plan = spk_build (net, &error);
  g_assert_no_error (error);
  sim = spk_simulator_new (plan, 1, &error);
  g_assert_no_error (error);
  spk_simulator_run_steps (sim, 500, &error);
  g_assert_no_error (error);
  spk_simulator_get_probe_data (sim, spk_plan_find_probe (plan, "p"), p);
  for (guint n = 200; n < 500; n++)
    mean += p[n] / 300;
  g_test_message ("StochasticSpiking channel: mean decode %.4f of 0.5", mean);
  g_assert_cmpfloat (fabs (mean - 0.5), <, 0.1);
}

/* Direct mode: a Direct ensemble "d" (2-D) beside the model_with()
 * objects.  What needs neurons is refused naming the ensemble. */
#define DIRECT_D "{\"type\": \"ensemble\", \"label\": \"d\", \"n_neurons\": 4, \"dimensions\": 2," \
                 " \"neuron_type\": \"Direct\"},"

static void
test_direct_errors (void)
{
  static const char *const neuron_probes[] = { "output", "spikes", "voltage", "input", "refractory_time" };

  for (guint i = 0; i < G_N_ELEMENTS (neuron_probes); i++)
    {
      g_autofree char *probe = g_strdup_printf (DIRECT_D "{\"type\": \"probe\", \"label\": \"p\", "
                                                "\"target\": \"d.neurons\", \"attr\": \"%s\"}",
                                                neuron_probes[i]);
      g_autofree char *want = g_strdup_printf ("probe 'p': ensemble 'd' is a Direct ensemble: it has no neurons, "
                                               "so no '%s' to probe", neuron_probes[i]);

      assert_build_error (probe, want);
    }
  assert_build_error (DIRECT_D "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"d\", "
                      "\"attr\": \"voltage\"}",
                      "probe 'p': ensemble 'd' is a Direct ensemble: it has no neurons, so no 'voltage' to probe");
  assert_build_error (DIRECT_D "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"d.neurons\"}",
                      "ensemble 'd' is a Direct ensemble: it has no neurons, so no 'output' to probe");
  assert_build_error (DIRECT_D "{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"d.neurons\", "
                      "\"post\": \"a.neurons\", \"transform\": 0}",
                      "connection 'c': ensemble 'd' is a Direct ensemble: it has no neurons to connect from");
  assert_build_error (DIRECT_D "{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"in\", "
                      "\"post\": \"d.neurons\", \"transform\": [[1], [1], [1], [1]]}",
                      "connection 'c': ensemble 'd' is a Direct ensemble: it has no neurons to connect to");
  assert_build_error (DIRECT_D "{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"d\", "
                      "\"post\": \"b\", \"learning_rule_type\": \"PES\"}",
                      "connection 'c': learning_rule_type: PES needs neuron activities in pre, but ensemble 'd' "
                      "is a Direct ensemble and has no neurons");
  assert_build_error (DIRECT_D "{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"d.neurons\", "
                      "\"post\": \"b.neurons\", \"transform\": 0, \"learning_rule_type\": \"BCM\"}",
                      "connection 'c': learning_rule_type: BCM needs neuron activities in pre, but ensemble 'd'");
  assert_build_error (DIRECT_D "{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"b\", "
                      "\"post\": \"d\", \"learning_rule_type\": \"Voja\"}",
                      "connection 'c': learning_rule_type: Voja needs neurons in post, but ensemble 'd' is a "
                      "Direct ensemble and has no neurons");
  assert_build_error (DIRECT_D "{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"b\", "
                      "\"post\": \"d\", \"solver\": {\"type\": \"LstsqL2\", \"weights\": true}}",
                      "connection 'c': solver: weights=True solves for the post neurons' currents, but ensemble "
                      "'d' is a Direct ensemble and has no neurons");
  assert_build_error (DIRECT_D "{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"d\", "
                      "\"post\": \"out\", \"eval_points\": [[0, 0], [1, 1]], \"function\": [[0], [1]]}",
                      "connection 'c': ensemble 'd' is a Direct ensemble, whose connections compute their function "
                      "exactly: give the function as an expression, not as points");
  assert_load_error ("{\"type\": \"ensemble\", \"label\": \"r\", \"n_neurons\": 4, \"dimensions\": 1,"
                     " \"neuron_type\": {\"type\": \"RegularSpiking\", \"base\": \"Direct\"}}",
                     "ensemble 'r': neuron_type: RegularSpiking needs a rate neuron type as its base");
}

/* What Nengo accepts from a Direct ensemble and ignores: a solver (also
 * with weights=True), eval_points, gains and biases.  And its
 * scaled_encoders are the identity. */
static void
test_direct_ignores (void)
{
  static const char *model =
    "{\"format\": \"spikeworks-model\", \"version\": 6, \"network\": {\"seed\": 1, \"dtype\": \"float64\"},"
    " \"objects\": ["
    "  {\"type\": \"node\", \"label\": \"in\", \"output\": [0.5, -2]},"
    "  {\"type\": \"node\", \"label\": \"out\", \"size_in\": 2},"
    "  {\"type\": \"ensemble\", \"label\": \"d\", \"n_neurons\": 3, \"dimensions\": 2, \"radius\": 0.1,"
    "   \"neuron_type\": \"Direct\", \"gain\": [1, 2, 3], \"bias\": [0, 0, 0]},"
    "  {\"type\": \"connection\", \"pre\": \"in\", \"post\": \"d\", \"synapse\": null},"
    "  {\"type\": \"connection\", \"pre\": \"d\", \"post\": \"out\", \"synapse\": null,"
    "   \"function\": \"[x[0]*x[1], x[1]^2]\", \"eval_points\": [[0, 0]],"
    "   \"solver\": {\"type\": \"LstsqDrop\", \"weights\": true}},"
    "  {\"type\": \"probe\", \"label\": \"p\", \"target\": \"out\"},"
    "  {\"type\": \"probe\", \"label\": \"e\", \"target\": \"d\", \"attr\": \"scaled_encoders\"}]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_model_load_data (model, -1, &error);
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  double p[2], e[4];

  g_assert_no_error (error);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (spk_plan_get_n_neurons (plan), ==, 0);
  sim = spk_simulator_new (plan, 1, &error);
  g_assert_no_error (error);
  spk_simulator_run_steps (sim, 1, &error);
  g_assert_no_error (error);
  spk_simulator_get_probe_data (sim, spk_plan_find_probe (plan, "p"), p);
  spk_simulator_get_probe_data (sim, spk_plan_find_probe (plan, "e"), e);
  /* Exactly: the function of the input, whatever the radius says. */
  g_assert_cmpfloat (p[0], ==, -1.0);
  g_assert_cmpfloat (p[1], ==, 4.0);
  g_assert_cmpfloat (e[0], ==, 1.0);
  g_assert_cmpfloat (e[1], ==, 0.0);
  g_assert_cmpfloat (e[2], ==, 0.0);
  g_assert_cmpfloat (e[3], ==, 1.0);
}

/* Direct is written back as it was read, and a session saved with a
 * Direct ensemble loads and runs the same numbers. */
static void
test_direct_round_trip (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "nengo-features", "direct-integrator.json",
                                                 NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (SpkNetwork) net = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSimulator) sim = NULL, sim2 = NULL;
  g_autoptr (SpkSession) session = NULL, back = NULL;
  g_autofree char *written = NULL, *model = NULL, *dir = NULL, *file = NULL;
  g_autofree double *got = g_new (double, 100), *got2 = g_new (double, 100);
  SpkNeuronType *type;
  int index;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  json_generator_set_root (generator, json_object_get_member (json_node_get_object (json_parser_get_root (parser)),
                                                              "model"));
  model = json_generator_to_data (generator, NULL);
  net = spk_model_load_data (model, -1, &error);
  g_assert_no_error (error);
  type = spk_ensemble_get_neuron_type (SPK_ENSEMBLE (spk_network_lookup (net, "integ")));
  g_assert_cmpint (type->kind, ==, SPK_NEURON_DIRECT);
  g_assert_cmpstr (spk_neuron_kind_to_name (type->kind), ==, "Direct");
  written = tu_model_written_twice (net);
  g_assert_nonnull (strstr (written, "\"Direct\""));

  plan = spk_build (net, &error);
  g_assert_no_error (error);
  sim = spk_simulator_new (plan, 1, &error);
  g_assert_no_error (error);
  spk_simulator_run_steps (sim, 100, &error);
  g_assert_no_error (error);
  index = spk_plan_find_probe (plan, "integ-p");
  spk_simulator_get_probe_data (sim, index, got);

  dir = g_dir_make_tmp ("spk-direct-XXXXXX", &error);
  g_assert_no_error (error);
  file = g_build_filename (dir, "direct.spkw", NULL);
  session = spk_session_new (net);
  spk_session_set_plan (session, plan);
  g_assert_true (spk_session_save (session, file, &error));
  g_assert_no_error (error);
  back = spk_session_load (file, &error);
  g_assert_no_error (error);
  type = spk_ensemble_get_neuron_type (SPK_ENSEMBLE (spk_network_lookup (spk_session_get_network (back), "integ")));
  g_assert_cmpint (type->kind, ==, SPK_NEURON_DIRECT);
  g_assert_nonnull (spk_session_get_plan (back));
  sim2 = spk_simulator_new (spk_session_get_plan (back), 1, &error);
  g_assert_no_error (error);
  spk_simulator_run_steps (sim2, 100, &error);
  g_assert_no_error (error);
  spk_simulator_get_probe_data (sim2, spk_plan_find_probe (spk_session_get_plan (back), "integ-p"), got2);
  for (guint n = 0; n < 100; n++)
    g_assert_cmpfloat (got[n], ==, got2[n]);
  g_assert_cmpfloat (fabs (got[99]), >, 0.0);
  g_remove (file);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  tu_add_nengo_cases ("nengo-features", nengo_cases, G_N_ELEMENTS (nengo_cases), 1e-9, TRUE);
  g_test_add_func ("/spk/nengo-features/solver-errors", test_solver_errors);
  g_test_add_func ("/spk/nengo-features/solver-round-trip", test_solver_round_trip);
  g_test_add_func ("/spk/nengo-features/synapse-errors", test_synapse_errors);
  g_test_add_func ("/spk/nengo-features/process-errors", test_process_errors);
  g_test_add_func ("/spk/nengo-features/version-3-file", test_version_3_file);
  g_test_add_func ("/spk/nengo-features/nengo-noise", test_noise_against_nengo);
  g_test_add_func ("/spk/nengo-features/connection-points-errors", test_connection_points_errors);
  g_test_add_func ("/spk/nengo-features/connection-points-round-trip", test_connection_points_round_trip);
  g_test_add_func ("/spk/nengo-features/connection-probe-errors", test_connection_probe_errors);
  g_test_add_func ("/spk/nengo-features/stochastic-spiking-network", test_stochastic_spiking_network);
  g_test_add_func ("/spk/nengo-features/direct-errors", test_direct_errors);
  g_test_add_func ("/spk/nengo-features/direct-ignores", test_direct_ignores);
  g_test_add_func ("/spk/nengo-features/direct-round-trip", test_direct_round_trip);
  return g_test_run ();
}
