/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-learning.c — learning rules against Nengo's equations.
 *
 * Each network is fully specified (rectified-linear neurons with given
 * gain, bias and encoders, so nothing is sampled), and the test steps
 * Nengo's operators by hand in double precision, in Nengo's order:
 *
 *   W += delta;  x_post ← filtered W·a_pre;  error ← Σ error connections;
 *   ā_pre ← filter(a_pre);  delta = outer(−κ·dt/n · e, ā_pre)
 *
 * (a learning rule's own filters are set in the step, before the rule
 * reads them: Nengo builds them with mode="set").  The cases at the end
 * compare with numbers from Nengo itself.
 *
 * The engine must agree to round-off in float64 (1e-12 relative: the
 * only difference is the order of a few sums) and closely in float32. */
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "core/spk-error.h"
#include "examples/spk-examples.h"
#include "io/spk-model-json.h"
#include "io/spk-session.h"
#include "spk-test-util.h"

#define DT 0.001
#define N_STEPS 300

/* A test case's data: its own selector (a rule kind) and the dtype. */
#define CASE(which, dtype) (((which) << 4) | (guint) (dtype))
#define CASE_WHICH(data) (GPOINTER_TO_UINT (data) >> 4)
#define CASE_DTYPE(data) ((SpkDtype) (GPOINTER_TO_UINT (data) & 0xf))

static void
set_rectified (SpkEnsemble  *ens,
               const double *gain,
               const double *bias,
               const double *enc,
               guint         n)
{
  g_autoptr (SpkArray) g = spk_array_new_vector (gain, n);
  g_autoptr (SpkArray) b = spk_array_new_vector (bias, n);
  g_autoptr (SpkArray) e = spk_array_new_matrix (enc, n, 1);
  g_autoptr (SpkDistribution) ed = spk_distribution_new_array (e);

  spk_ensemble_set_gain (ens, g);
  spk_ensemble_set_bias (ens, b);
  spk_ensemble_set_encoders (ens, ed);
}

static SpkLearningRuleType *
pes (double learning_rate)
{
  SpkLearningRuleType *rule = spk_learning_rule_type_new (SPK_LEARNING_PES);

  rule->learning_rate = learning_rate;
  return rule;
}

static double
relu (double x)
{
  return x > 0.0 ? x : 0.0;
}

/* Nengo's PES defaults. */
static void
test_pes_defaults (void)
{
  g_autoptr (SpkLearningRuleType) rule = spk_learning_rule_type_new (SPK_LEARNING_PES);
  g_autoptr (SpkSynapse) lowpass = spk_synapse_new_lowpass (0.005);

  g_assert_cmpfloat (rule->learning_rate, ==, 1e-4);
  g_assert_true (spk_synapse_equal (rule->pre_synapse, lowpass));
  g_assert_cmpstr (spk_learning_kind_to_name (rule->kind), ==, "PES");
}

/* stim = sin(2πt) → pre (4 neurons, no synapse); pre → post decoded with
 * PES; error = post decoded (Lowpass 0.01) − stim.  Probed: the learned
 * weights every step, and the post's neuron output. */

/* Runs plan N_STEPS steps and returns the data of its probes "w" (n_w
 * values a step) and "a" (n_a values a step). */
static void
run_weights_and_output (SpkPlan  *plan,
                        guint     n_w,
                        guint     n_a,
                        double  **weights,
                        double  **out)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkSimulator) sim = spk_simulator_new (plan, 1, &error);

  g_assert_no_error (error);
  spk_simulator_run_steps (sim, N_STEPS, &error);
  g_assert_no_error (error);
  *weights = g_new (double, N_STEPS * n_w);
  *out = g_new (double, N_STEPS * n_a);
  spk_simulator_get_probe_data (sim, spk_plan_find_probe (plan, "w"), *weights);
  spk_simulator_get_probe_data (sim, spk_plan_find_probe (plan, "a"), *out);
}
static void
test_pes_decoded (gconstpointer data)
{
  SpkDtype dtype = CASE_DTYPE (data);
  g_autoptr (SpkNetwork) net = tu_network (5, dtype);
  SpkNode *stim = tu_node_expr (net, "stim", "sin(2*pi*t)");
  SpkEnsemble *pre = tu_ensemble (net, "pre", 4, 1, SPK_NEURON_RECTIFIED_LINEAR);
  SpkEnsemble *post = tu_ensemble (net, "post", 3, 1, SPK_NEURON_RECTIFIED_LINEAR);
  const double g_pre[4] = { 30, 50, 40, 20 }, b_pre[4] = { 5, -10, 20, 3 }, e_pre[4] = { 1, -1, 1, -1 };
  const double g_post[3] = { 25, 35, 45 }, b_post[3] = { 4, 8, -2 }, e_post[3] = { 1, -1, 1 };
  const double kappa = 1e-3, a5 = exp (-DT / 0.005), a10 = exp (-DT / 0.01);
  g_autoptr (SpkLearningRuleType) rule = pes (kappa);
  g_autoptr (SpkDistribution) minus = spk_distribution_new_scalar (-1.0);
  SpkConnection *c, *e_post_conn, *e_stim;
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkArray) W0 = NULL, Dp = NULL;
  g_autofree double *weights = NULL, *out = NULL;
  double W[4], delta[4] = { 0 }, acts[4] = { 0 }, yc = 0, ye = 0;
  const double tol = dtype == SPK_DTYPE_FLOAT64 ? 1e-12 : 2e-4;
  double max_change = 0;

  set_rectified (pre, g_pre, b_pre, e_pre, 4);
  set_rectified (post, g_post, b_post, e_post, 3);
  tu_connect (net, stim, FALSE, pre, FALSE, -1);
  c = tu_connect (net, pre, FALSE, post, FALSE, 0.005);
  spk_object_set_label (SPK_OBJECT (c), "c");
  spk_connection_set_learning_rule_type (c, rule);
  e_post_conn = tu_connect (net, post, FALSE, c, FALSE, 0.01);
  spk_object_set_label (SPK_OBJECT (e_post_conn), "e_post");
  e_stim = tu_connect (net, stim, FALSE, c, FALSE, -1);
  spk_connection_set_transform (e_stim, minus);
  tu_probe (net, "w", c, FALSE, "weights", -1);
  tu_probe (net, "a", post, TRUE, "output", -1);

  plan = spk_build (net, &error);
  g_assert_no_error (error);
  W0 = spk_plan_dup_param (plan, "c/weights");
  Dp = spk_plan_dup_param (plan, "e_post/weights");
  g_assert_nonnull (W0);
  g_assert_nonnull (Dp);
  g_assert_cmpuint (W0->size, ==, 4);
  g_assert_cmpuint (Dp->size, ==, 3);
  memcpy (W, W0->data, sizeof W);

  run_weights_and_output (plan, 4, 3, &weights, &out);

  for (guint n = 1; n <= N_STEPS; n++)
    {
      double u = sin (2 * G_PI * n * DT), a_pre[4], a_post[3], x_post = yc, wx = 0, dec = 0, err;

      for (guint i = 0; i < 4; i++)
        a_pre[i] = relu (g_pre[i] * e_pre[i] * u + b_pre[i]);
      for (guint i = 0; i < 4; i++)
        W[i] += delta[i];
      for (guint i = 0; i < 4; i++)
        wx += W[i] * a_pre[i];
      yc = a5 * yc + (1 - a5) * wx;
      for (guint i = 0; i < 3; i++)
        {
          a_post[i] = relu (g_post[i] * e_post[i] * x_post + b_post[i]);
          dec += Dp->data[i] * a_post[i];
        }
      err = ye - u;
      ye = a10 * ye + (1 - a10) * dec;
      /* The rule's filter is set this step, before SimPES reads it. */
      for (guint i = 0; i < 4; i++)
        {
          acts[i] = a5 * acts[i] + (1 - a5) * a_pre[i];
          delta[i] = (-kappa * DT / 4 * err) * acts[i];
        }

      for (guint i = 0; i < 4; i++)
        {
          g_assert_cmpfloat_with_epsilon (weights[(n - 1) * 4 + i], W[i], tol * MAX (1.0, fabs (W[i])));
          max_change = MAX (max_change, fabs (W[i] - W0->data[i]));
        }
      for (guint i = 0; i < 3; i++)
        g_assert_cmpfloat_with_epsilon (out[(n - 1) * 3 + i], a_post[i], tol * MAX (1.0, a_post[i]));
    }
  /* The rule did move the weights (so the comparison compares learning). */
  g_assert_cmpfloat (max_change, >, 1e-4);
}

/* The neuron-to-neuron network of the PES-neurons, BCM and Oja cases:
 * stim = sin(2πt) → pre (4 neurons, no synapse); pre.neurons →
 * post.neurons through a 3 × 4 transform with the rule (Lowpass 0.005);
 * probed: the weights ("w") and the post's neuron output ("a").  The
 * post's gain is applied after the synapse. */
typedef struct
{
  double g_post[3], b_post[3];
  double W[12];     /* the weights this step */
  double delta[12]; /* the rule's change, applied at the next step */
  double acts[4];   /* the pre activities through pre_synapse */
  double yc[3];     /* the connection's synapse */
  double a_pre[4], a_post[3];
} NeuronsNet;

static const double g_pre_n[4] = { 30, 50, 40, 20 }, b_pre_n[4] = { 5, -10, 20, 3 }, e_pre_n[4] = { 1, -1, 1, -1 };
static const double e_post_n[3] = { 1, -1, 1 };

/* Builds the network into net (with an error connection from stim when
 * the rule takes one) and returns its plan. */
static SpkPlan *
neurons_net_build (SpkNetwork          *net,
                   const NeuronsNet    *s,
                   SpkLearningRuleType *rule,
                   double               radius,
                   SpkArray           **T_out)
{
  SpkNode *stim = tu_node_expr (net, "stim", "sin(2*pi*t)");
  SpkEnsemble *pre = tu_ensemble (net, "pre", 4, 1, SPK_NEURON_RECTIFIED_LINEAR);
  SpkEnsemble *post = tu_ensemble (net, "post", 3, 1, SPK_NEURON_RECTIFIED_LINEAR);
  g_autoptr (SpkArray) T = spk_array_new_matrix (s->W, 3, 4);
  g_autoptr (SpkDistribution) Td = spk_distribution_new_array (T);
  g_autoptr (GError) error = NULL;
  SpkConnection *c;
  SpkPlan *plan;

  set_rectified (pre, g_pre_n, b_pre_n, e_pre_n, 4);
  set_rectified (post, s->g_post, s->b_post, e_post_n, 3);
  g_object_set (post, "radius", radius, NULL);
  tu_connect (net, stim, FALSE, pre, FALSE, -1);
  c = tu_connect (net, pre, TRUE, post, TRUE, 0.005);
  spk_object_set_label (SPK_OBJECT (c), "c");
  spk_connection_set_transform (c, Td);
  spk_connection_set_learning_rule_type (c, rule);
  if (spk_learning_kind_has_error (rule->kind))
    tu_connect (net, stim, FALSE, c, FALSE, -1);
  tu_probe (net, "w", c, FALSE, "weights", -1);
  tu_probe (net, "a", post, TRUE, "output", -1);

  plan = spk_build (net, &error);
  g_assert_no_error (error);
  if (T_out)
    *T_out = g_steal_pointer (&T);
  return plan;
}

/* Nengo's forward pass of step n (input u), up to the rule: last step's
 * change applied, post driven by the synapse state of the step before,
 * the pre activities through the rule's filter (set this step, before
 * the rule reads it). */
static void
neurons_net_forward (NeuronsNet *s,
                     double      u)
{
  const double a5 = exp (-DT / 0.005);

  for (guint i = 0; i < 4; i++)
    s->a_pre[i] = relu (g_pre_n[i] * e_pre_n[i] * u + b_pre_n[i]);
  for (guint k = 0; k < 12; k++)
    s->W[k] += s->delta[k];
  for (guint r = 0; r < 3; r++)
    {
      double wx = 0;

      for (guint i = 0; i < 4; i++)
        wx += s->W[r * 4 + i] * s->a_pre[i];
      s->a_post[r] = relu (s->g_post[r] * s->yc[r] + s->b_post[r]);
      s->yc[r] = a5 * s->yc[r] + (1 - a5) * wx;
    }
  for (guint i = 0; i < 4; i++)
    s->acts[i] = a5 * s->acts[i] + (1 - a5) * s->a_pre[i];
}

/* The engine's weights and post output at step n equal the hand-stepped ones. */
static void
neurons_net_assert_step (const NeuronsNet *s,
                         const double     *weights,
                         const double     *out,
                         guint             n,
                         double            tol)
{
  for (guint k = 0; k < 12; k++)
    g_assert_cmpfloat_with_epsilon (weights[(n - 1) * 12 + k], s->W[k], tol);
  for (guint r = 0; r < 3; r++)
    g_assert_cmpfloat_with_epsilon (out[(n - 1) * 3 + r], s->a_post[r], tol * MAX (1.0, s->a_post[r]));
}

/* PES into neurons; error = stim (no synapse).  Into neurons, the error
 * reaches each post neuron through its scaled encoder. */
static void
test_pes_neurons (gconstpointer data)
{
  SpkDtype dtype = CASE_DTYPE (data);
  g_autoptr (SpkNetwork) net = tu_network (5, dtype);
  NeuronsNet s = {
    .g_post = { 2.5, 3.5, 4.5 }, .b_post = { 4, 8, -2 },
    .W = { .01, -.02, .03, .005, -.01, .02, .015, -.03, .02, .01, -.005, .025 },
  };
  const double kappa = 1e-3, radius = 2.0;
  g_autoptr (SpkLearningRuleType) rule = pes (kappa);
  g_autofree double *weights = NULL, *out = NULL;
  g_autoptr (SpkPlan) plan = neurons_net_build (net, &s, rule, radius, NULL);
  const double tol = dtype == SPK_DTYPE_FLOAT64 ? 1e-12 : 2e-4;

  run_weights_and_output (plan, 12, 3, &weights, &out);

  for (guint n = 1; n <= N_STEPS; n++)
    {
      double u = sin (2 * G_PI * n * DT);

      neurons_net_forward (&s, u);
      for (guint r = 0; r < 3; r++)
        {
          /* Scaled encoder: encoder · gain / radius. */
          double local = e_post_n[r] * s.g_post[r] / radius * u;

          for (guint i = 0; i < 4; i++)
            s.delta[r * 4 + i] = (-kappa * DT / 4 * local) * s.acts[i];
        }
      neurons_net_assert_step (&s, weights, out, n, tol);
    }
  g_assert_cmpfloat (fabs (s.W[0] - 0.01), >, 1e-4);
}


static void
assert_build_error (SpkNetwork *net,
                    const char *fragment)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = spk_build (net, &error);

  g_assert_null (plan);
  g_assert_error (error, SPK_BUILD_ERROR, error->code);
  if (strstr (error->message, fragment) == NULL)
    g_error ("expected '%s' in '%s'", fragment, error->message);
}

/* A network for one misuse: pre "in" (a node), "a" or "a.neurons" (n LIF
 * neurons, 1-D) → post "b" or "b.neurons" (n neurons, post_dims-D), the
 * connection "c" (Lowpass 0.005) with the transform when not NULL (its
 * shape follows from pre and post) and learning by rule when not NULL. */
static SpkNetwork *
misuse_net (const char          *pre,
            const char          *post,
            guint                n,
            guint                post_dims,
            const double        *transform,
            SpkLearningRuleType *rule,
            SpkConnection      **c_out)
{
  SpkNetwork *net = tu_network (1, SPK_DTYPE_FLOAT64);
  gboolean pre_neurons = g_str_has_suffix (pre, ".neurons"), post_neurons = g_str_has_suffix (post, ".neurons");
  SpkObject *from = g_str_equal (pre, "in") ? SPK_OBJECT (tu_node_expr (net, "in", "sin(t)"))
                                            : SPK_OBJECT (tu_ensemble (net, "a", n, 1, SPK_NEURON_LIF));
  SpkEnsemble *b = tu_ensemble (net, "b", n, post_dims, SPK_NEURON_LIF);
  SpkConnection *c = tu_connect (net, from, pre_neurons, b, post_neurons, 0.005);

  spk_object_set_label (SPK_OBJECT (c), "c");
  if (transform)
    {
      g_autoptr (SpkArray) T = spk_array_new_matrix (transform, post_neurons ? n : post_dims, pre_neurons ? n : 1);
      g_autoptr (SpkDistribution) Td = spk_distribution_new_array (T);

      spk_connection_set_transform (c, Td);
    }
  if (rule)
    spk_connection_set_learning_rule_type (c, rule);
  if (c_out)
    *c_out = c;
  return net;
}

/* An error connection "e" from the object labelled pre into c's rule. */
static void
misuse_error_conn (SpkNetwork    *net,
                   const char    *pre,
                   SpkConnection *c)
{
  SpkConnection *e = tu_connect (net, spk_network_lookup (net, pre), FALSE, c, FALSE, 0.005);

  spk_object_set_label (SPK_OBJECT (e), "e");
}

/* Every misuse is refused at build time with the object, the parameter
 * and what is allowed. */
static void
test_pes_errors (void)
{
  {
    g_autoptr (SpkLearningRuleType) rule = pes (1e-4);
    g_autoptr (SpkNetwork) net = misuse_net ("in", "b", 5, 1, NULL, rule, NULL);

    assert_build_error (net, "connection 'c': learning_rule_type: PES needs an ensemble or its neurons as pre (got node 'in')");
  }
  {
    SpkConnection *c;
    g_autoptr (SpkNetwork) net = misuse_net ("a", "b", 5, 1, NULL, NULL, &c);

    misuse_error_conn (net, "b", c);
    assert_build_error (net, "connection 'e': post connection 'c' has no learning rule to take an error");
  }
  {
    g_autoptr (SpkLearningRuleType) rule = pes (1e-4);
    g_autoptr (SpkNetwork) net = misuse_net ("a.neurons", "b.neurons", 4, 1, NULL, rule, NULL);

    assert_build_error (net, "connection 'c': learning_rule_type: the transform must be a 4 × 4 matrix for learning");
  }
  {
    g_autoptr (SpkLearningRuleType) rule = pes (-1.0);
    g_autoptr (SpkNetwork) net = misuse_net ("a", "b", 5, 1, NULL, rule, NULL);

    assert_build_error (net, "connection 'c': learning_rule_type: PES.learning_rate must be a finite number >= 0 (got -1)");
  }
  {
    g_autoptr (SpkLearningRuleType) rule = pes (1e-4);
    g_autoptr (SpkSlice) slice = spk_slice_parse ("0", NULL);
    SpkConnection *c;
    g_autoptr (SpkNetwork) net = misuse_net ("a", "b", 5, 2, NULL, rule, &c);

    spk_connection_set_post_slice (c, slice);
    assert_build_error (net, "connection 'c': learning_rule_type: PES on a decoded connection needs all 2 dimensions of post (post_slice selects 1)");
  }
  {
    g_autoptr (SpkLearningRuleType) rule = pes (1e-4);
    SpkConnection *c;
    g_autoptr (SpkNetwork) net = misuse_net ("a", "b", 5, 1, NULL, rule, &c);

    tu_probe (net, "p", c, FALSE, "scaled_encoders", -1);
    assert_build_error (net, "probe 'p': connection 'c' has no 'scaled_encoders' to probe");
  }
}

/* The model file: learning_rule_type on the connection, the error
 * connection's post "c.learning_rule", probes on the connection; written
 * back to the same text, and built to a running network. */
static const char pes_model[] =
  "{\n"
  "  \"format\": \"spikeworks-model\",\n"
  "  \"version\": 1,\n"
  "  \"network\": {\"seed\": 3, \"dt\": 0.001, \"dtype\": \"float64\"},\n"
  "  \"objects\": [\n"
  "    {\"type\": \"node\", \"label\": \"stim\", \"output\": \"sin(2*pi*t)\"},\n"
  "    {\"type\": \"ensemble\", \"label\": \"pre\", \"n_neurons\": 20, \"dimensions\": 1},\n"
  "    {\"type\": \"ensemble\", \"label\": \"post\", \"n_neurons\": 20, \"dimensions\": 1},\n"
  "    {\"type\": \"connection\", \"pre\": \"stim\", \"post\": \"pre\"},\n"
  "    {\"type\": \"connection\", \"label\": \"c\", \"pre\": \"pre\", \"post\": \"post\", \"function\": \"x*0\",\n"
  "     \"learning_rule_type\": {\"type\": \"PES\", \"learning_rate\": 0.0001, \"pre_synapse\": 0.01}},\n"
  "    {\"type\": \"connection\", \"pre\": \"post\", \"post\": \"c.learning_rule\"},\n"
  "    {\"type\": \"connection\", \"pre\": \"stim\", \"post\": \"c.learning_rule\", \"transform\": -1},\n"
  "    {\"type\": \"probe\", \"label\": \"w\", \"target\": \"c\"},\n"
  "    {\"type\": \"probe\", \"label\": \"out\", \"target\": \"post\", \"synapse\": 0.01}\n"
  "  ]\n"
  "}\n";

/* The network's model text, checked to read back to the same text. */
static char *
print_round_trip (SpkNetwork *net)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = spk_model_to_data (net, NULL);
  g_autoptr (SpkNetwork) again = spk_model_load_data (text, -1, &error);
  g_autofree char *text2 = NULL;

  g_assert_no_error (error);
  text2 = spk_model_to_data (again, NULL);
  g_assert_cmpstr (text, ==, text2);
  return g_steal_pointer (&text);
}

static void
test_pes_model_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_model_load_data (pes_model, -1, &error);
  g_autofree char *text = NULL;
  SpkConnection *c, *e;
  SpkLearningRuleType *rule;
  g_autofree double *out = NULL;
  guint size;
  double sq = 0, sq_early = 0;

  g_assert_no_error (error);
  c = SPK_CONNECTION (spk_network_lookup (net, "c"));
  rule = spk_connection_get_learning_rule_type (c);
  g_assert_nonnull (rule);
  g_assert_cmpfloat (rule->learning_rate, ==, 0.0001);
  g_assert_cmpfloat (rule->pre_synapse->tau, ==, 0.01);
  e = SPK_CONNECTION (g_ptr_array_index (spk_network_get_objects (net), 5));
  g_assert_true (spk_connection_get_post (e) == SPK_OBJECT (c));

  text = print_round_trip (net);
  g_assert_nonnull (strstr (text, "\"post\": \"c.learning_rule\""));
  g_assert_nonnull (strstr (text, "\"learning_rule_type\": {\"type\": \"PES\", \"learning_rate\": 0.0001, \"pre_synapse\": 0.01}"));

  /* A probe on the connection records its weights by default (1 × 20). */
  {
    g_autofree double *w = tu_run_probe (net, "w", 10, &size);

    g_assert_cmpuint (size, ==, 20);
  }

  /* The decoded value starts at 0 (function x*0) and learns to follow
   * the stimulus: the error shrinks. */
  out = tu_run_probe (net, "out", 2000, &size);
  for (guint n = 0; n < 2000; n++)
    {
      double u = sin (2 * G_PI * (n + 1) * DT), d = out[n] - u;

      if (n < 400)
        sq_early += d * d;
      if (n >= 1600)
        sq += d * d;
    }
  g_test_message ("rms error early %g, late %g", sqrt (sq_early / 400), sqrt (sq / 400));
  g_assert_cmpfloat (sqrt (sq / 400), <, 0.5 * sqrt (sq_early / 400));
}

/* Sessions keep what was learned: the weights as they are after a run
 * are saved, and the reloaded plan starts from them. */
static void
test_pes_session (gconstpointer data)
{
  SpkDtype dtype = CASE_DTYPE (data);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_model_load_data (pes_model, -1, &error);
  g_autoptr (SpkPlan) plan = NULL, learned = NULL;
  g_autoptr (SpkSimulator) sim = NULL, sim2 = NULL;
  g_autoptr (GHashTable) now = NULL;
  g_autoptr (SpkSession) session = NULL, loaded = NULL;
  g_autoptr (SpkArray) built = NULL, saved = NULL;
  g_autofree char *dir = g_dir_make_tmp ("spk-learning-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "pes.spkw", NULL);
  SpkArray *after;
  double w[20], moved = 0;
  int probe;

  g_assert_no_error (error);
  spk_network_set_dtype (net, dtype);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  sim = spk_simulator_new (plan, 1, &error);
  g_assert_no_error (error);
  spk_simulator_run_steps (sim, 500, &error);
  g_assert_no_error (error);
  now = spk_simulator_dup_params (sim);
  built = spk_plan_dup_param (plan, "c/weights");
  after = g_hash_table_lookup (now, "c/weights");
  g_assert_nonnull (after);
  g_assert_cmpuint (after->size, ==, 20);
  for (guint k = 0; k < 20; k++)
    moved = MAX (moved, fabs (after->data[k] - built->data[k]));
  g_assert_cmpfloat (moved, >, 1e-4);

  learned = spk_build_with_params (net, now, &error);
  g_assert_no_error (error);
  session = spk_session_new (net);
  spk_session_set_plan (session, learned);
  g_assert_true (spk_session_save (session, path, &error));
  g_assert_no_error (error);
  loaded = spk_session_load (path, &error);
  g_assert_no_error (error);
  saved = spk_plan_dup_param (spk_session_get_plan (loaded), "c/weights");
  g_assert_nonnull (saved);
  for (guint k = 0; k < 20; k++)
    g_assert_cmpfloat (saved->data[k], ==, after->data[k]);

  /* The reloaded model's first step uses the learned weights (the first
   * change is zero: the filtered activities start at zero). */
  sim2 = spk_simulator_new (spk_session_get_plan (loaded), 1, &error);
  g_assert_no_error (error);
  spk_simulator_run_steps (sim2, 1, &error);
  g_assert_no_error (error);
  probe = spk_plan_find_probe (spk_session_get_plan (loaded), "w");
  spk_simulator_get_probe_data (sim2, probe, w);
  for (guint k = 0; k < 20; k++)
    g_assert_cmpfloat (w[k], ==, dtype == SPK_DTYPE_FLOAT32 ? (double) (float) after->data[k] : after->data[k]);
  g_unlink (path);
  g_rmdir (dir);
}

static double
rms_difference (const double *a,
                const double *b,
                guint         from,
                guint         to,
                guint         width)
{
  double sq = 0;

  for (guint n = from; n < to; n++)
    for (guint j = 0; j < width; j++)
      sq += (a[n * width + j] - b[n * width + j]) * (a[n * width + j] - b[n * width + j]);
  return sqrt (sq / ((to - from) * width));
}

/* The lesson's example: post learns to follow pre; with stop_learning on,
 * the error ensemble falls silent and the weights stay where they are. */
static void
test_learn_communication_channel (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_example_new ("learn-communication-channel", &error);
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSimulator) sim = NULL;
  g_autoptr (GHashTable) before = NULL, after = NULL;
  const guint steps = 10000;
  g_autofree double *pre = g_new (double, steps * 2), *post = g_new (double, steps * 2);
  const double stop[1] = { 1 };
  SpkArray *w0, *w1;
  double early, late, moved = 0;

  g_assert_no_error (error);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  sim = spk_simulator_new (plan, 1, &error);
  g_assert_no_error (error);
  g_assert_true (spk_simulator_run_steps (sim, steps, &error));
  spk_simulator_get_probe_data (sim, spk_plan_find_probe (plan, "pre_value"), pre);
  spk_simulator_get_probe_data (sim, spk_plan_find_probe (plan, "post_value"), post);
  for (guint w = 0; w < steps / 1000; w++)
    g_test_message ("second %u: post − pre rms %g", w, rms_difference (pre, post, w * 1000, (w + 1) * 1000, 2));
  early = rms_difference (pre, post, 0, 500, 2);
  late = rms_difference (pre, post, steps - 1000, steps, 2);
  g_test_message ("post − pre rms: first 0.5 s %g, last second %g", early, late);
  g_assert_cmpfloat (late, <, 0.5 * early);

  /* Learning off: the error ensemble is inhibited, so the weights hold. */
  g_assert_true (spk_simulator_set_node_output (sim, "stop_learning", stop, &error));
  g_assert_true (spk_simulator_run_steps (sim, 200, &error));
  before = spk_simulator_dup_params (sim);
  g_assert_true (spk_simulator_run_steps (sim, 1000, &error));
  g_assert_no_error (error);
  after = spk_simulator_dup_params (sim);
  w0 = g_hash_table_lookup (before, "learned/weights");
  w1 = g_hash_table_lookup (after, "learned/weights");
  for (gsize k = 0; k < w0->size; k++)
    moved = MAX (moved, fabs (w1->data[k] - w0->data[k]));
  g_test_message ("largest weight change with learning off: %g", moved);
  g_assert_cmpfloat (moved, <, 1e-6);
}

static void
assert_load_error (const char *objects,
                   const char *fragment)
{
  g_autofree char *text = g_strdup_printf ("{\"format\": \"spikeworks-model\", \"version\": 1, \"objects\": [\n"
                                           "{\"type\": \"ensemble\", \"label\": \"a\", \"n_neurons\": 5, \"dimensions\": 1},\n"
                                           "{\"type\": \"ensemble\", \"label\": \"b\", \"n_neurons\": 5, \"dimensions\": 1},\n"
                                           "%s]}", objects);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_model_load_data (text, -1, &error);

  g_assert_null (net);
  g_assert_nonnull (error);
  if (strstr (error->message, fragment) == NULL)
    g_error ("expected '%s' in '%s'", fragment, error->message);
}

/* Bad learning rules in the model file, each with the message it must
 * give: one row per case, whatever the rule. */
static const struct
{
  const char *objects;
  const char *message;
} load_errors[] = {
  { "{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"b\", \"learning_rule_type\": \"PSE\"}",
    "connection 'c': learning_rule_type: unknown learning rule 'PSE'" },
  { "{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"b\", \"learning_rule_type\": 3}",
    "connection 'c': learning_rule_type must be a learning rule name or an object with a \"type\"" },
  { "{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"b\", "
    "\"learning_rule_type\": {\"learning_rate\": 1}}",
    "connection 'c': learning_rule_type has no \"type\"" },
  { "{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"b\", "
    "\"learning_rule_type\": {\"type\": \"PES\", \"learning_rate\": -1}}",
    "connection 'c': learning_rule_type: PES.learning_rate must be a finite number >= 0 (got -1)" },
  { "{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"b\", "
    "\"learning_rule_type\": {\"type\": \"PES\", \"rate\": 1}}",
    "connection 'c': learning_rule_type: unknown parameter 'rate'" },
  { "{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"b\", "
    "\"learning_rule_type\": {\"type\": \"PES\", \"pre_synapse\": -0.1}}",
    "connection 'c': learning_rule_type.pre_synapse" },
  { "{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a.neurons\", \"post\": \"b.neurons\", "
    "\"learning_rule_type\": {\"type\": \"PES\", \"beta\": 1}}",
    "connection 'c': learning_rule_type: unknown parameter 'beta'" },
  { "{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a.neurons\", \"post\": \"b.neurons\", "
    "\"learning_rule_type\": {\"type\": \"Oja\", \"beta\": -2}}",
    "connection 'c': learning_rule_type: Oja.beta must be a finite number >= 0 (got -2)" },
  { "{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"b\", "
    "\"learning_rule_type\": {\"type\": \"Voja\", \"pre_synapse\": 0.01}}",
    "connection 'c': learning_rule_type: unknown parameter 'pre_synapse'" },
  { "{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"b\", "
    "\"learning_rule_type\": {\"type\": \"RLS\", \"learning_rate\": -3}}",
    "connection 'c': learning_rule_type: RLS.learning_rate must be a finite number >= 0 (got -3)" },
  { "{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"b\", "
    "\"learning_rule_type\": {\"type\": \"RLS\", \"post_synapse\": 0.01}}",
    "connection 'c': learning_rule_type: unknown parameter 'post_synapse'" },
  { "{\"type\": \"connection\", \"label\": \"e\", \"pre\": \"a\", \"post\": \"b.learning_rule\"}",
    "connection 'e': ensemble 'b' has no learning rule; only a connection has" },
  { "{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"b\"},\n"
    "{\"type\": \"connection\", \"label\": \"e\", \"pre\": \"a\", \"post\": \"c\"}",
    "connection 'e': post must be a node, an ensemble, a layer or a connection's learning rule, "
    "not connection 'c' (write 'c.learning_rule' to feed its learning rule)" },
};

static void
test_model_file_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (load_errors); i++)
    assert_load_error (load_errors[i].objects, load_errors[i].message);
}

/* BCM or Oja (no error input), against Nengo's SimBCM and SimOja stepped
 * by hand: the post activities through post_synapse (by default
 * pre_synapse's), BCM's theta through theta_synapse, and Oja reading the
 * weights after this step's change. */
static void
test_weights_rule (gconstpointer data)
{
  SpkLearningKind kind = CASE_WHICH (data);
  SpkDtype dtype = CASE_DTYPE (data);
  g_autoptr (SpkNetwork) net = tu_network (5, dtype);
  NeuronsNet s = {
    .g_post = { 2.5, 3.5, 4.5 }, .b_post = { 40, 80, 20 },
    .W = { .1, -.2, .3, .05, -.1, .2, .15, -.3, .2, .1, -.05, .25 },
  };
  const double a5 = exp (-DT / 0.005), a1 = exp (-DT / 1.0);
  g_autoptr (SpkLearningRuleType) rule = spk_learning_rule_type_new (kind);
  g_autoptr (SpkArray) T = NULL;
  g_autofree double *weights = NULL, *out = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  double pf[3] = { 0 }, th[3] = { 0 }, alpha;
  const double tol = dtype == SPK_DTYPE_FLOAT64 ? 1e-12 : 2e-4;
  double moved = 0;

  rule->learning_rate = kind == SPK_LEARNING_BCM ? 1e-7 : 1e-5;
  rule->beta = 0.5;
  alpha = rule->learning_rate * DT;
  plan = neurons_net_build (net, &s, rule, 1.0, &T);
  run_weights_and_output (plan, 12, 3, &weights, &out);

  for (guint n = 1; n <= N_STEPS; n++)
    {
      neurons_net_forward (&s, sin (2 * G_PI * n * DT));
      for (guint r = 0; r < 3; r++)
        {
          pf[r] = a5 * pf[r] + (1 - a5) * s.a_post[r];
          th[r] = a1 * th[r] + (1 - a1) * s.a_post[r];
        }
      for (guint r = 0; r < 3; r++)
        for (guint i = 0; i < 4; i++)
          if (kind == SPK_LEARNING_BCM)
            s.delta[r * 4 + i] = (alpha * pf[r] * (pf[r] - th[r])) * s.acts[i];
          else
            s.delta[r * 4 + i] = -rule->beta * s.W[r * 4 + i] * (alpha * pf[r] * pf[r]) + (alpha * pf[r]) * s.acts[i];
      neurons_net_assert_step (&s, weights, out, n, tol);
    }
  for (guint k = 0; k < 12; k++)
    moved = MAX (moved, fabs (s.W[k] - T->data[k]));
  g_test_message ("largest weight change %g", moved);
  g_assert_cmpfloat (moved, >, 1e-3);
}


static void
test_weights_rule_errors (void)
{
  static const double identity[4] = { 1, 0, 0, 1 };

  {
    g_autoptr (SpkLearningRuleType) rule = spk_learning_rule_type_new (SPK_LEARNING_BCM);
    g_autoptr (SpkNetwork) net = misuse_net ("a", "b", 4, 1, NULL, rule, NULL);

    assert_build_error (net, "connection 'c': learning_rule_type: BCM changes neuron-to-neuron weights, so it "
                             "needs a connection from neurons to neurons (pre.neurons → post.neurons)");
  }
  {
    g_autoptr (SpkLearningRuleType) rule = spk_learning_rule_type_new (SPK_LEARNING_OJA);
    SpkConnection *c;
    g_autoptr (SpkNetwork) net = misuse_net ("a.neurons", "b.neurons", 2, 1, identity, rule, &c);

    misuse_error_conn (net, "a", c);
    assert_build_error (net, "connection 'e': the learning rule of connection 'c' takes no input (only PES, RLS and Voja do)");
  }
  {
    g_autoptr (SpkLearningRuleType) rule = spk_learning_rule_type_new (SPK_LEARNING_OJA);
    g_autoptr (SpkNetwork) net = NULL;

    rule->beta = -1;
    net = misuse_net ("a.neurons", "b.neurons", 2, 1, identity, rule, NULL);
    assert_build_error (net, "connection 'c': learning_rule_type: Oja.beta must be a finite number >= 0 (got -1)");
  }
}

/* Defaults and the model file for BCM and Oja. */
static void
test_weights_rule_model_file (void)
{
  g_autoptr (SpkLearningRuleType) bcm = spk_learning_rule_type_new (SPK_LEARNING_BCM);
  g_autoptr (SpkLearningRuleType) oja = spk_learning_rule_type_new (SPK_LEARNING_OJA);
  g_autoptr (SpkSynapse) fast = spk_synapse_new_lowpass (0.005), slow = spk_synapse_new_lowpass (1.0);
  const char *text =
    "{\"format\": \"spikeworks-model\", \"version\": 1, \"objects\": [\n"
    "{\"type\": \"ensemble\", \"label\": \"a\", \"n_neurons\": 2, \"dimensions\": 1},\n"
    "{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a.neurons\", \"post\": \"a.neurons\", "
    "\"transform\": [[0, 1], [1, 0]], \"learning_rule_type\": {\"type\": \"BCM\", \"pre_synapse\": 0.01}},\n"
    "{\"type\": \"connection\", \"label\": \"d\", \"pre\": \"a.neurons\", \"post\": \"a.neurons\", "
    "\"transform\": [[0, 1], [1, 0]], \"learning_rule_type\": {\"type\": \"Oja\", \"beta\": 2, \"post_synapse\": null}}]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = NULL;
  g_autofree char *out = NULL;
  SpkLearningRuleType *rule;

  g_assert_cmpfloat (bcm->learning_rate, ==, 1e-9);
  g_assert_true (spk_synapse_equal (bcm->pre_synapse, fast));
  g_assert_true (spk_synapse_equal (bcm->post_synapse, fast));
  g_assert_true (spk_synapse_equal (bcm->theta_synapse, slow));
  g_assert_cmpfloat (oja->learning_rate, ==, 1e-6);
  g_assert_cmpfloat (oja->beta, ==, 1.0);

  net = spk_model_load_data (text, -1, &error);
  g_assert_no_error (error);
  rule = spk_connection_get_learning_rule_type (SPK_CONNECTION (spk_network_lookup (net, "c")));
  g_assert_cmpint (rule->kind, ==, SPK_LEARNING_BCM);
  g_assert_cmpfloat (rule->post_synapse->tau, ==, 0.01);   /* post_synapse follows pre_synapse */
  rule = spk_connection_get_learning_rule_type (SPK_CONNECTION (spk_network_lookup (net, "d")));
  g_assert_cmpint (rule->kind, ==, SPK_LEARNING_OJA);
  g_assert_cmpfloat (rule->beta, ==, 2.0);
  g_assert_null (rule->post_synapse);
  out = print_round_trip (net);
  g_assert_nonnull (strstr (out, "\"theta_synapse\": 1"));
  {
    g_autoptr (SpkPlan) plan = spk_build (net, &error);

    g_assert_no_error (error);
  }
}

/* Networks run by Nengo 4.1.0 in float64, from tests/data/learning/
 * (made by make-reference.py there): each file holds the model and
 * Nengo's probe data.  The engine must give Nengo's numbers to round-off
 * in float64 (1e-10 of each probe's largest value: the only differences
 * are the order of a few sums) and closely in float32. */
static const char *const nengo_cases[] = { "pes-decoded", "pes-neurons", "bcm", "oja", "voja", "rls" };

static void
test_against_nengo (gconstpointer data)
{
  tu_check_against_nengo ("learning", nengo_cases[CASE_WHICH (data)], CASE_DTYPE (data), 1e-10, FALSE);
}

/* Voja's learned encoders are saved: the session keeps them unscaled
 * (as an ensemble's encoders are written), and the rebuilt plan starts
 * from exactly the scaled encoders Nengo had after the run. */
static void
test_voja_session (gconstpointer data)
{
  SpkDtype dtype = CASE_DTYPE (data);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "learning", "voja.json", NULL);
  g_autofree char *dir = g_dir_make_tmp ("spk-learning-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (dir, "voja.spkw", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = NULL;
  g_autoptr (SpkPlan) plan = NULL, learned = NULL;
  g_autoptr (SpkSimulator) sim = NULL, sim2 = NULL;
  g_autoptr (GHashTable) now = NULL;
  g_autoptr (SpkSession) session = NULL, loaded = NULL;
  g_autofree char *model = NULL;
  JsonObject *root;
  JsonArray *last;
  guint steps;
  double E[10];
  const double tol = dtype == SPK_DTYPE_FLOAT64 ? 1e-12 : 1e-5;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  steps = (guint) json_object_get_int_member (root, "steps");
  last = json_array_get_array_element (json_object_get_array_member (json_object_get_object_member (root, "probes"),
                                                                     "scaled_encoders"), steps - 1);
  model = json_to_string (json_object_get_member (root, "model"), FALSE);
  net = spk_model_load_data (model, -1, &error);
  g_assert_no_error (error);
  spk_network_set_dtype (net, dtype);
  plan = spk_build (net, &error);
  g_assert_no_error (error);
  sim = spk_simulator_new (plan, 1, &error);
  g_assert_no_error (error);
  spk_simulator_run_steps (sim, steps, &error);
  g_assert_no_error (error);
  now = spk_simulator_dup_params (sim);
  {
    SpkArray *enc = g_hash_table_lookup (now, "post/encoders");
    const double gain[5] = { 30, 50, 40, 20, 60 }, radius = 2;

    g_assert_nonnull (enc);
    g_assert_cmpuint (enc->size, ==, 10);
    for (guint k = 0; k < 10; k++)
      g_assert_cmpfloat_with_epsilon (enc->data[k] * gain[k / 2] / radius,
                                      json_array_get_double_element (last, k), tol * 30);
  }

  learned = spk_build_with_params (net, now, &error);
  g_assert_no_error (error);
  session = spk_session_new (net);
  spk_session_set_plan (session, learned);
  g_assert_true (spk_session_save (session, file, &error));
  loaded = spk_session_load (file, &error);
  g_assert_no_error (error);
  sim2 = spk_simulator_new (spk_session_get_plan (loaded), 1, &error);
  g_assert_no_error (error);
  spk_simulator_run_steps (sim2, 1, &error);
  g_assert_no_error (error);
  spk_simulator_get_probe_data (sim2, spk_plan_find_probe (spk_session_get_plan (loaded), "ens_scaled_encoders"), E);
  for (guint k = 0; k < 10; k++)
    g_assert_cmpfloat_with_epsilon (E[k], json_array_get_double_element (last, k), tol * 30);
  g_unlink (file);
  g_rmdir (dir);
}

/* Voja and RLS refuse what they cannot learn on, at load and at build. */
static void
test_voja_rls_errors (void)
{
  {
    static const double ones[4] = { 1, 1, 1, 1 };
    g_autoptr (SpkLearningRuleType) rule = spk_learning_rule_type_new (SPK_LEARNING_VOJA);
    g_autoptr (SpkNetwork) net = misuse_net ("in", "b.neurons", 4, 1, ones, rule, NULL);

    assert_build_error (net, "connection 'c': learning_rule_type: Voja changes encoders, so it needs an ensemble "
                             "as post (not its neurons; got ensemble 'b'.neurons)");
  }
  {
    g_autoptr (SpkLearningRuleType) rule = spk_learning_rule_type_new (SPK_LEARNING_VOJA);
    g_autoptr (SpkSlice) slice = spk_slice_parse ("0", NULL);
    SpkConnection *c;
    g_autoptr (SpkNetwork) net = misuse_net ("in", "b", 4, 2, NULL, rule, &c);

    spk_connection_set_post_slice (c, slice);
    assert_build_error (net, "connection 'c': learning_rule_type: Voja needs all dimensions of post (no post_slice)");
  }
  {
    g_autoptr (SpkLearningRuleType) rule = spk_learning_rule_type_new (SPK_LEARNING_RLS);
    g_autoptr (SpkNetwork) net = misuse_net ("a.neurons", "b.neurons", 4, 1, NULL, rule, NULL);

    assert_build_error (net, "connection 'c': learning_rule_type: RLS learns decoders, so its post must be an "
                             "ensemble or a node (not neurons)");
  }
  {
    g_autoptr (SpkLearningRuleType) rule = spk_learning_rule_type_new (SPK_LEARNING_RLS);
    g_autoptr (SpkNetwork) net = misuse_net ("in", "b", 4, 1, NULL, rule, NULL);

    assert_build_error (net, "connection 'c': learning_rule_type: RLS needs an ensemble or its neurons as pre "
                             "(got node 'in')");
  }
  {
    g_autoptr (SpkLearningRuleType) rule = spk_learning_rule_type_new (SPK_LEARNING_VOJA);
    g_autoptr (SpkNetwork) net = NULL;

    rule->learning_rate = -0.5;
    net = misuse_net ("a", "b", 4, 1, NULL, rule, NULL);
    assert_build_error (net, "connection 'c': learning_rule_type: Voja.learning_rate must be a finite number >= 0 (got -0.5)");
  }
}

/* Nengo's defaults for Voja and RLS, and their keys in the model file. */
static void
test_voja_rls_defaults (void)
{
  g_autoptr (SpkLearningRuleType) voja = spk_learning_rule_type_new (SPK_LEARNING_VOJA);
  g_autoptr (SpkLearningRuleType) rls = spk_learning_rule_type_new (SPK_LEARNING_RLS);
  g_autoptr (SpkSynapse) fast = spk_synapse_new_lowpass (0.005);
  const char *text =
    "{\"format\": \"spikeworks-model\", \"version\": 1, \"objects\": [\n"
    "{\"type\": \"ensemble\", \"label\": \"a\", \"n_neurons\": 2, \"dimensions\": 1},\n"
    "{\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"a\", \"learning_rule_type\": \"Voja\"},\n"
    "{\"type\": \"connection\", \"label\": \"d\", \"pre\": \"a\", \"post\": \"a\", "
    "\"learning_rule_type\": {\"type\": \"RLS\", \"learning_rate\": 0.5, \"pre_synapse\": null}}]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = NULL;
  g_autofree char *out = NULL;

  g_assert_cmpfloat (voja->learning_rate, ==, 1e-2);
  g_assert_null (voja->pre_synapse);
  g_assert_true (spk_synapse_equal (voja->post_synapse, fast));
  g_assert_cmpfloat (rls->learning_rate, ==, 1e-3);
  g_assert_true (spk_synapse_equal (rls->pre_synapse, fast));
  g_assert_null (rls->post_synapse);
  g_assert_true (spk_learning_kind_modifies_encoders (SPK_LEARNING_VOJA));
  g_assert_true (spk_learning_kind_has_error (SPK_LEARNING_RLS));

  net = spk_model_load_data (text, -1, &error);
  g_assert_no_error (error);
  out = print_round_trip (net);
  g_assert_nonnull (strstr (out, "{\"type\": \"Voja\", \"learning_rate\": 0.01, \"post_synapse\": 0.005}"));
  g_assert_nonnull (strstr (out, "{\"type\": \"RLS\", \"learning_rate\": 0.5, \"pre_synapse\": null}"));
  {
    g_autoptr (SpkPlan) plan = spk_build (net, &error);

    g_assert_no_error (error);
  }
}

int
main (int    argc,
      char **argv)
{
  /* Every rule's case runs in both precisions. */
  static const struct
  {
    const char    *path;
    GTestDataFunc  func;
    guint          which;   /* the case's own selector; the dtype is added */
  } dtype_cases[] = {
    { "pes/decoded", test_pes_decoded, 0 },
    { "pes/neurons", test_pes_neurons, 0 },
    { "pes/session", test_pes_session, 0 },
    { "bcm", test_weights_rule, SPK_LEARNING_BCM },
    { "oja", test_weights_rule, SPK_LEARNING_OJA },
  };

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (dtype_cases); i++)
    for (guint d = 0; d < 2; d++)
      {
        g_autofree char *path = g_strdup_printf ("/spk/learning/%s/%s", dtype_cases[i].path, d ? "f32" : "f64");

        g_test_add_data_func (path, GUINT_TO_POINTER (CASE (dtype_cases[i].which, d ? SPK_DTYPE_FLOAT32 : SPK_DTYPE_FLOAT64)),
                              dtype_cases[i].func);
      }
  for (guint i = 0; i < G_N_ELEMENTS (nengo_cases); i++)
    for (guint d = 0; d < 2; d++)
      {
        g_autofree char *path = g_strdup_printf ("/spk/learning/%s/nengo/%s", nengo_cases[i], d ? "f32" : "f64");

        g_test_add_data_func (path, GUINT_TO_POINTER (CASE (i, d ? SPK_DTYPE_FLOAT32 : SPK_DTYPE_FLOAT64)),
                              test_against_nengo);
      }
  g_test_add_data_func ("/spk/learning/voja/session/f64", GUINT_TO_POINTER (CASE (0, SPK_DTYPE_FLOAT64)), test_voja_session);
  g_test_add_data_func ("/spk/learning/voja/session/f32", GUINT_TO_POINTER (CASE (0, SPK_DTYPE_FLOAT32)), test_voja_session);
  g_test_add_func ("/spk/learning/voja-rls/errors", test_voja_rls_errors);
  g_test_add_func ("/spk/learning/voja-rls/defaults", test_voja_rls_defaults);
  g_test_add_func ("/spk/learning/pes/defaults", test_pes_defaults);
  g_test_add_func ("/spk/learning/pes/errors", test_pes_errors);
  g_test_add_func ("/spk/learning/bcm-oja/errors", test_weights_rule_errors);
  g_test_add_func ("/spk/learning/bcm-oja/model-file", test_weights_rule_model_file);
  g_test_add_func ("/spk/learning/pes/model-file", test_pes_model_file);
  g_test_add_func ("/spk/learning/model-file-errors", test_model_file_errors);
  g_test_add_func ("/spk/learning/pes/learn-communication-channel", test_learn_communication_channel);
  return g_test_run ();
}
