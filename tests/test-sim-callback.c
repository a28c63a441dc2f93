/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sim-callback.c — Nodes computed outside the engine
 * (spk_build_external, spk_simulator_set_callback): the function is
 * called once per step with the whole batch, between the Node's summed
 * input and the readers of its output in the same step; float32 plans
 * convert; a missing or failing function stops the run naming the Node;
 * training refuses such a plan. */
#include <math.h>
#include <string.h>

#include "builder/spk-plan.h"
#include "core/spk-error.h"
#include "io/spk-model-json.h"
#include "sim/spk-simulator.h"
#include "train/spk-train.h"

#define DT 0.001

/* a (fed) → f (outside: y = 2·x + t) → out (pass-through) → probe, all
 * without synapses, so f's output reaches the probe in the same step. */
static const char *const MODEL =
  "{\"format\": \"spikeworks-model\", \"version\": 6,"
  " \"network\": {\"dt\": 0.001, \"dtype\": \"%s\", \"seed\": 1},"
  " \"objects\": ["
  "  {\"type\": \"node\", \"label\": \"a\", \"output\": [0.0, 0.0]},"
  "  {\"type\": \"node\", \"label\": \"f\", \"size_in\": 2, \"output\": [0.0, 0.0]},"
  "  {\"type\": \"node\", \"label\": \"out\", \"size_in\": 2},"
  "  {\"type\": \"connection\", \"label\": \"af\", \"pre\": \"a\", \"post\": \"f\", \"synapse\": null},"
  "  {\"type\": \"connection\", \"label\": \"fo\", \"pre\": \"f\", \"post\": \"out\", \"synapse\": null},"
  "  {\"type\": \"probe\", \"label\": \"p\", \"target\": \"out\", \"synapse\": null}]}";

typedef struct
{
  guint  calls;
  guint  batch;
  double last_t;
  int    fail_at;   /* the call that fails (1-based), 0: none */
} Calls;

static gboolean
twice_plus_t (gpointer      data,
              double        t,
              const double *x,
              guint         size_in,
              double       *y,
              guint         size_out,
              guint         batch,
              GError      **error)
{
  Calls *c = data;

  c->calls++;
  c->batch = batch;
  c->last_t = t;
  g_assert_cmpuint (size_in, ==, 2);
  g_assert_cmpuint (size_out, ==, 2);
  if (c->fail_at != 0 && (int) c->calls == c->fail_at)
    {
      g_set_error (error, SPK_SIM_ERROR, SPK_SIM_ERROR_CALLBACK, "f broke at call %u", c->calls);
      return FALSE;
    }
  for (guint i = 0; i < batch * 2; i++)
    y[i] = 2 * x[i] + t;
  return TRUE;
}

static SpkPlan *
build (const char *dtype,
       gboolean    outside)
{
  g_autofree char *text = g_strdup_printf (MODEL, dtype);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_model_load_data (text, strlen (text), &error);
  const char *const keys[] = { "f", NULL };
  SpkPlan *plan;

  g_assert_no_error (error);
  plan = spk_build_external (net, NULL, outside ? keys : NULL, &error);
  g_assert_no_error (error);
  return plan;
}

/* batch × steps × 2 inputs: row b, step k → (b + k/10, −b). */
static double *
inputs (guint batch,
        guint steps)
{
  double *data = g_new (double, (gsize) batch * steps * 2);

  for (guint b = 0; b < batch; b++)
    for (guint k = 0; k < steps; k++)
      {
        data[((gsize) b * steps + k) * 2] = b + k / 10.0;
        data[((gsize) b * steps + k) * 2 + 1] = -(double) b;
      }
  return data;
}

static void
check_batched_run (const char *dtype,
                   double      tolerance)
{
  g_autoptr (SpkPlan) plan = build (dtype, TRUE);
  g_autoptr (SpkSimulator) sim = spk_simulator_new (plan, 3, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree double *data = inputs (3, 5);
  g_autofree double *out = g_new (double, 3 * 5 * 2);
  const char *labels[] = { "a", NULL };
  const double *feeds[] = { data, NULL };
  Calls calls = { 0 };

  g_assert_true (spk_simulator_set_callback (sim, "f", twice_plus_t, &calls, &error));
  g_assert_no_error (error);
  g_assert_true (spk_simulator_predict (sim, labels, feeds, 5, &error));
  g_assert_no_error (error);
  /* Once per step, with the whole batch: 5 calls, not 15. */
  g_assert_cmpuint (calls.calls, ==, 5);
  g_assert_cmpuint (calls.batch, ==, 3);
  g_assert_cmpfloat_with_epsilon (calls.last_t, 5 * DT, 1e-15);
  g_assert_cmpuint (spk_simulator_get_probe_n_samples (sim, 0), ==, 5);
  spk_simulator_get_probe_data (sim, 0, out);
  for (guint b = 0; b < 3; b++)
    for (guint k = 0; k < 5; k++)
      for (guint i = 0; i < 2; i++)
        {
          double x = data[((gsize) b * 5 + k) * 2 + i];

          g_assert_cmpfloat_with_epsilon (out[((gsize) b * 5 + k) * 2 + i], 2 * x + (k + 1) * DT,
                                          tolerance);
        }
}

static void
test_batched_f64 (void)
{
  check_batched_run ("float64", 1e-15);
}

static void
test_batched_f32 (void)
{
  check_batched_run ("float32", 1e-6);
}

static void
test_without_outside_nodes_nothing_changes (void)
{
  g_autoptr (SpkPlan) plan = build ("float64", FALSE);
  g_autoptr (SpkSimulator) sim = spk_simulator_new (plan, 1, NULL);
  g_autoptr (GError) error = NULL;
  Calls calls = { 0 };

  /* f is an ordinary constant Node: no callback to set, and it runs. */
  g_assert_false (spk_simulator_set_callback (sim, "f", twice_plus_t, &calls, &error));
  g_assert_error (error, SPK_SIM_ERROR, SPK_SIM_ERROR_CALLBACK);
  g_assert_nonnull (strstr (error->message, "'f' is not a node computed outside the engine"));
  g_clear_error (&error);
  g_assert_true (spk_simulator_run_steps (sim, 3, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (calls.calls, ==, 0);
}

static void
test_missing_function_fails_naming_the_node (void)
{
  g_autoptr (SpkPlan) plan = build ("float64", TRUE);
  g_autoptr (SpkSimulator) sim = spk_simulator_new (plan, 2, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_false (spk_simulator_run_steps (sim, 3, &error));
  g_assert_error (error, SPK_SIM_ERROR, SPK_SIM_ERROR_CALLBACK);
  g_assert_nonnull (strstr (error->message, "node 'f'"));
  g_assert_nonnull (strstr (error->message, "no function was given"));
  g_assert_cmpuint (spk_simulator_get_n_steps (sim), ==, 1);
}

static void
test_failing_function_stops_the_run (void)
{
  g_autoptr (SpkPlan) plan = build ("float64", TRUE);
  g_autoptr (SpkSimulator) sim = spk_simulator_new (plan, 2, NULL);
  g_autoptr (GError) error = NULL;
  Calls calls = { .fail_at = 3 };

  g_assert_true (spk_simulator_set_callback (sim, "f", twice_plus_t, &calls, NULL));
  g_assert_false (spk_simulator_run_steps (sim, 10, &error));
  g_assert_error (error, SPK_SIM_ERROR, SPK_SIM_ERROR_CALLBACK);
  g_assert_cmpstr (error->message, ==, "f broke at call 3");
  g_assert_cmpuint (calls.calls, ==, 3);
  g_assert_cmpuint (spk_simulator_get_n_steps (sim), ==, 3);
  /* After a reset the run goes on normally. */
  g_clear_error (&error);
  calls.fail_at = 0;
  spk_simulator_reset (sim);
  g_assert_true (spk_simulator_run_steps (sim, 4, &error));
  g_assert_no_error (error);
}

static void
test_training_refuses_outside_nodes (void)
{
  g_autofree char *text = g_strdup_printf (MODEL, "float32");
  g_autoptr (SpkNetwork) net = spk_model_load_data (text, strlen (text), NULL);
  g_autoptr (SpkPlan) plan = build ("float32", TRUE);
  g_autoptr (GError) error = NULL;
  SpkTrainer *trainer = spk_trainer_new (net, plan, SPK_DTYPE_FLOAT32, &error);

  g_assert_null (trainer);
  g_assert_error (error, SPK_TRAIN_ERROR, SPK_TRAIN_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "node 'f' is computed outside the engine"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sim-callback/batched-f64", test_batched_f64);
  g_test_add_func ("/sim-callback/batched-f32", test_batched_f32);
  g_test_add_func ("/sim-callback/without-outside-nodes", test_without_outside_nodes_nothing_changes);
  g_test_add_func ("/sim-callback/missing-function", test_missing_function_fails_naming_the_node);
  g_test_add_func ("/sim-callback/failing-function", test_failing_function_stops_the_run);
  g_test_add_func ("/sim-callback/training-refuses", test_training_refuses_outside_nodes);
  return g_test_run ();
}
