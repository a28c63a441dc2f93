/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-json.c — the JSON model file: loading the documented example,
 * exact round trips of every value kind and number, the target syntax,
 * and the message of every refused input. */
#include <float.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "core/spk-error.h"
#include "examples/spk-examples.h"
#include "builder/spk-plan.h"
#include "io/spk-model-json.h"
#include "model/spk-value-equal.h"

#define HEADER "{\"format\": \"spikeworks-model\", \"version\": 1, "

/* The example of docs/model-format.md, with real arrays. */
static const char example[] =
  "{\"format\": \"spikeworks-model\", \"version\": 1,\n"
  " \"network\": {\"label\": \"demo\", \"seed\": 0, \"dt\": 0.001, \"dtype\": \"float32\"},\n"
  " \"objects\": [\n"
  "  {\"type\": \"node\", \"label\": \"a\", \"output\": [0.5, -0.1]},\n"
  "  {\"type\": \"node\", \"label\": \"w\", \"output\": {\"process\": \"WhiteSignal\", \"period\": 1,"
  "   \"high\": 5, \"rms\": 0.3, \"seed\": 1}},\n"
  "  {\"type\": \"node\", \"label\": \"sum\", \"size_in\": 2},\n"
  "  {\"type\": \"ensemble\", \"label\": \"b\", \"n_neurons\": 3, \"dimensions\": 1,\n"
  "   \"neuron_type\": {\"type\": \"LIF\", \"tau_rc\": 0.02, \"tau_ref\": 0.002,\n"
  "                   \"initial_state\": {\"voltage\": 0, \"refractory_time\": 0}},\n"
  "   \"max_rates\": {\"type\": \"Uniform\", \"low\": 200, \"high\": 400},\n"
  "   \"intercepts\": {\"type\": \"Uniform\", \"low\": -1, \"high\": 0.9},\n"
  "   \"gain\": [1.0, 2.5, 3], \"bias\": [0.0, -0.5, 1e-3], \"encoders\": [[1.0], [-1], [1]],\n"
  "   \"radius\": 1, \"seed\": 3},\n"
  "  {\"type\": \"connection\", \"pre\": \"a\", \"post\": \"b.neurons\","
  "   \"transform\": [[1.0], [2.0], [3.0]],\n"
  "   \"synapse\": 0.005, \"function\": \"x**2\", \"solver\": {\"type\": \"LstsqL2\", \"reg\": 0.1},\n"
  "   \"pre_slice\": [0]},\n"
  "  {\"type\": \"probe\", \"label\": \"p\", \"target\": \"b\", \"attr\": \"decoded_output\",\n"
  "   \"synapse\": 0.01, \"sample_every\": 0.001}]}\n";

/* {{{ Helpers */

static SpkNetwork *
load_ok (const char *text)
{
  g_autoptr (GError) error = NULL;
  SpkNetwork *network = spk_model_load_data (text, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (network);
  return network;
}

static void
assert_load_fails (const char *text,
                   SpkIoError  code,
                   const char *message)
{
  g_autoptr (GError) error = NULL;
  SpkNetwork *network = spk_model_load_data (text, -1, &error);

  g_assert_null (network);
  g_assert_error (error, SPK_IO_ERROR, (int) code);
  if (strstr (error->message, message) == NULL)
    g_error ("expected a message with \"%s\", got \"%s\"", message, error->message);
}

static char *
with_objects (const char *objects)
{
  return g_strdup_printf (HEADER "\"objects\": [%s]}", objects);
}

static void
assert_objects_fail (const char *objects,
                     SpkIoError  code,
                     const char *message)
{
  g_autofree char *text = with_objects (objects);

  assert_load_fails (text, code, message);
}

static gboolean
doubles_identical (double a,
                   double b)
{
  return memcmp (&a, &b, sizeof a) == 0;
}

/* Every property of a and b equal: doubles bit for bit, boxed values by
 * their equal function, objects (targets) by their position in their
 * networks, the rest by g_param_values_cmp(). */
static void
assert_objects_equal (GObject    *a,
                      SpkNetwork *net_a,
                      GObject    *b,
                      SpkNetwork *net_b)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n;

  g_assert_true (G_OBJECT_TYPE (a) == G_OBJECT_TYPE (b));
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (a), &n);
  for (guint i = 0; i < n; i++)
    {
      GType type = G_PARAM_SPEC_VALUE_TYPE (pspecs[i]);
      g_auto (GValue) va = G_VALUE_INIT;
      g_auto (GValue) vb = G_VALUE_INIT;
      gboolean same;

      g_value_init (&va, type);
      g_value_init (&vb, type);
      g_object_get_property (a, pspecs[i]->name, &va);
      g_object_get_property (b, pspecs[i]->name, &vb);
      if (type == G_TYPE_DOUBLE)
        same = doubles_identical (g_value_get_double (&va), g_value_get_double (&vb));
      else if (G_TYPE_FUNDAMENTAL (type) == G_TYPE_BOXED)
        {
          GEqualFunc equal = spk_model_value_equal_func (type);

          g_assert_nonnull (equal);
          same = equal (g_value_get_boxed (&va), g_value_get_boxed (&vb));
        }
      else if (G_TYPE_FUNDAMENTAL (type) == G_TYPE_OBJECT)
        {
          guint ia = G_MAXUINT, ib = G_MAXUINT;

          if (g_value_get_object (&va))
            g_assert_true (g_ptr_array_find (spk_network_get_objects (net_a),
                                             g_value_get_object (&va), &ia));
          if (g_value_get_object (&vb))
            g_assert_true (g_ptr_array_find (spk_network_get_objects (net_b),
                                             g_value_get_object (&vb), &ib));
          same = ia == ib;
        }
      else
        same = g_param_values_cmp (pspecs[i], &va, &vb) == 0;
      if (!same)
        g_error ("%s '%s': property %s differs", G_OBJECT_TYPE_NAME (a),
                 spk_network_get_label (net_a), pspecs[i]->name);
    }
}

static void
assert_networks_equal (SpkNetwork *a,
                       SpkNetwork *b)
{
  GPtrArray *oa = spk_network_get_objects (a);
  GPtrArray *ob = spk_network_get_objects (b);

  assert_objects_equal (G_OBJECT (a), a, G_OBJECT (b), b);
  g_assert_cmpuint (oa->len, ==, ob->len);
  for (guint i = 0; i < oa->len; i++)
    assert_objects_equal (g_ptr_array_index (oa, i), a, g_ptr_array_index (ob, i), b);
}

/* write → read gives equal objects, and write → read → write the same
 * text.  Returns the text. */
static char *
assert_round_trip (SpkNetwork *network)
{
  g_autofree char *first = spk_model_to_data (network, NULL);
  g_autofree char *second = NULL;
  SpkNetwork *back = load_ok (first);

  assert_networks_equal (network, back);
  second = spk_model_to_data (back, NULL);
  g_assert_cmpstr (first, ==, second);
  g_assert_finalize_object (back);
  return g_steal_pointer (&first);
}

static SpkObject *
lookup (SpkNetwork *network,
        const char *label)
{
  SpkObject *object = spk_network_lookup (network, label);

  g_assert_nonnull (object);
  return object;
}

static void
add (SpkNetwork *network,
     gpointer    object)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (spk_network_add (network, object, &error));
  g_assert_no_error (error);
  g_object_unref (object);
}

static gpointer
labelled (gpointer    object,
          const char *label)
{
  spk_object_set_label (object, label);
  return object;
}

/* }}} */

static void
test_load_example (void)
{
  SpkNetwork *network = load_ok (example);
  SpkNode *a, *w, *sum;
  SpkEnsemble *b;
  SpkConnection *c;
  SpkProbe *p;
  SpkNeuronType *lif;
  SpkDistribution *dist;
  SpkArray *array;
  SpkProcess *process;
  SpkSlice *slice;

  g_assert_cmpstr (spk_network_get_label (network), ==, "demo");
  g_assert_cmpint (spk_network_get_seed (network), ==, 0);
  g_assert_cmpfloat (spk_network_get_dt (network), ==, 0.001);
  g_assert_cmpint (spk_network_get_dtype (network), ==, SPK_DTYPE_FLOAT32);
  g_assert_cmpuint (spk_network_get_objects (network)->len, ==, 6);

  a = SPK_NODE (lookup (network, "a"));
  array = spk_node_get_output_value (a);
  g_assert_nonnull (array);
  g_assert_cmpuint (array->ndim, ==, 1);
  g_assert_cmpuint (array->size, ==, 2);
  g_assert_cmpfloat (array->data[0], ==, 0.5);
  g_assert_cmpfloat (array->data[1], ==, -0.1);
  g_assert_null (spk_node_get_output_expr (a));
  g_assert_null (spk_node_get_output_process (a));

  w = SPK_NODE (lookup (network, "w"));
  process = spk_node_get_output_process (w);
  g_assert_nonnull (process);
  g_assert_cmpint (process->kind, ==, SPK_PROCESS_WHITE_SIGNAL);
  g_assert_cmpfloat (process->period, ==, 1.0);
  g_assert_cmpfloat (process->high, ==, 5.0);
  g_assert_cmpfloat (process->rms, ==, 0.3);
  g_assert_cmpint (process->seed, ==, 1);
  g_assert_true (isnan (process->y0));

  sum = SPK_NODE (lookup (network, "sum"));
  g_assert_cmpuint (spk_node_get_size_in (sum), ==, 2);
  g_assert_cmpint (spk_node_get_size_out (sum), ==, -1);
  g_assert_null (spk_node_get_output_value (sum));

  b = SPK_ENSEMBLE (lookup (network, "b"));
  g_assert_cmpint (spk_ensemble_get_n_neurons (b), ==, 3);
  g_assert_cmpint (spk_ensemble_get_dimensions (b), ==, 1);
  g_assert_cmpfloat (spk_ensemble_get_radius (b), ==, 1.0);
  g_assert_cmpint (spk_object_get_seed (SPK_OBJECT (b)), ==, 3);
  lif = spk_ensemble_get_neuron_type (b);
  g_assert_cmpint (lif->kind, ==, SPK_NEURON_LIF);
  g_assert_cmpfloat (lif->tau_rc, ==, 0.02);
  g_assert_cmpfloat (lif->tau_ref, ==, 0.002);
  for (guint i = 0; i < 2; i++)
    {
      dist = lif->initial_state[i];
      g_assert_nonnull (dist);
      g_assert_cmpint (dist->kind, ==, SPK_DIST_CHOICE);
      g_assert_cmpuint (dist->options->size, ==, 1);
      g_assert_cmpfloat (dist->options->data[0], ==, 0.0);
      g_assert_null (dist->weights);
    }
  dist = spk_ensemble_get_max_rates (b);
  g_assert_cmpint (dist->kind, ==, SPK_DIST_UNIFORM);
  g_assert_cmpfloat (dist->low, ==, 200.0);
  g_assert_cmpfloat (dist->high, ==, 400.0);
  dist = spk_ensemble_get_intercepts (b);
  g_assert_cmpint (dist->kind, ==, SPK_DIST_UNIFORM);
  g_assert_cmpfloat (dist->low, ==, -1.0);
  g_assert_cmpfloat (dist->high, ==, 0.9);
  array = spk_ensemble_get_gain (b);
  g_assert_cmpuint (array->ndim, ==, 1);
  g_assert_cmpuint (array->size, ==, 3);
  g_assert_cmpfloat (array->data[1], ==, 2.5);
  g_assert_cmpfloat (array->data[2], ==, 3.0);
  array = spk_ensemble_get_bias (b);
  g_assert_cmpfloat (array->data[1], ==, -0.5);
  g_assert_cmpfloat (array->data[2], ==, 1e-3);
  dist = spk_ensemble_get_encoders (b);
  g_assert_cmpint (dist->kind, ==, SPK_DIST_ARRAY);
  g_assert_cmpuint (dist->array->ndim, ==, 2);
  g_assert_cmpuint (dist->array->shape[0], ==, 3);
  g_assert_cmpuint (dist->array->shape[1], ==, 1);
  g_assert_cmpfloat (dist->array->data[1], ==, -1.0);
  /* Untouched parameters keep Nengo's defaults. */
  g_assert_true (spk_ensemble_get_normalize_encoders (b));
  g_assert_cmpint (spk_ensemble_get_eval_points (b)->kind, ==, SPK_DIST_SCATTERED_HYPERSPHERE);

  c = SPK_CONNECTION (g_ptr_array_index (spk_network_get_objects (network), 4));
  g_assert_null (spk_object_get_label (SPK_OBJECT (c)));
  g_assert_true (spk_connection_get_pre (c) == SPK_OBJECT (a));
  g_assert_false (spk_connection_get_pre_neurons (c));
  g_assert_true (spk_connection_get_post (c) == SPK_OBJECT (b));
  g_assert_true (spk_connection_get_post_neurons (c));
  dist = spk_connection_get_transform (c);
  g_assert_cmpint (dist->kind, ==, SPK_DIST_ARRAY);
  g_assert_cmpuint (dist->array->ndim, ==, 2);
  g_assert_cmpfloat (dist->array->data[2], ==, 3.0);
  g_assert_cmpint (spk_connection_get_synapse (c)->kind, ==, SPK_SYNAPSE_LOWPASS);
  g_assert_cmpfloat (spk_connection_get_synapse (c)->tau, ==, 0.005);
  g_assert_cmpstr (spk_connection_get_function (c), ==, "x**2");
  g_assert_cmpint (spk_connection_get_solver (c)->kind, ==, SPK_SOLVER_LSTSQ_L2);
  g_assert_cmpfloat (spk_connection_get_solver (c)->reg, ==, 0.1);
  slice = spk_connection_get_pre_slice (c);
  g_assert_nonnull (slice);
  g_assert_true (slice->is_list);
  g_assert_cmpuint (slice->n_indices, ==, 1);
  g_assert_cmpint (slice->indices[0], ==, 0);
  g_assert_null (spk_connection_get_post_slice (c));

  p = SPK_PROBE (lookup (network, "p"));
  g_assert_true (spk_probe_get_target (p) == SPK_OBJECT (b));
  g_assert_false (spk_probe_get_target_neurons (p));
  g_assert_null (spk_probe_get_slice (p));
  g_assert_cmpstr (spk_probe_get_attr (p), ==, "decoded_output");
  g_assert_cmpfloat (spk_probe_get_synapse (p)->tau, ==, 0.01);
  g_assert_cmpfloat (spk_probe_get_sample_every (p), ==, 0.001);

  g_assert_finalize_object (network);
}

static void
test_round_trip_example (void)
{
  SpkNetwork *network = load_ok (example);
  g_autofree char *text = assert_round_trip (network);

  /* The writer's layout: two-space indent, the targets as one string,
   * parameters at their defaults left out. */
  g_assert_true (g_str_has_prefix (text, "{\n  \"format\": \"spikeworks-model\",\n  \"version\": 7,\n"));
  g_assert_nonnull (strstr (text, "\n    {\n      \"type\": \"ensemble\",\n      \"label\": \"b\",\n"));
  g_assert_nonnull (strstr (text, "\"pre\": \"a[0]\""));
  g_assert_nonnull (strstr (text, "\"post\": \"b.neurons\""));
  g_assert_nonnull (strstr (text, "\"gain\": [1, 2.5, 3]"));
  g_assert_null (strstr (text, "\"max_rates\""));
  g_assert_nonnull (strstr (text, "\"initial_state\": {\"voltage\": 0, \"refractory_time\": 0}"));
  g_assert_null (strstr (text, "\"radius\""));
  g_assert_null (strstr (text, "\"solver\""));
  g_assert_null (strstr (text, "\"synapse\": 0.005"));
  g_assert_nonnull (strstr (text, "\"synapse\": 0.01"));
  g_assert_finalize_object (network);
}

static void
test_defaults_omitted (void)
{
  SpkNetwork *network = spk_network_new ();
  g_autofree char *text = NULL;

  add (network, labelled (spk_ensemble_new (), "e"));
  add (network, spk_node_new ());
  text = assert_round_trip (network);
  g_assert_cmpstr (text, ==,
                   "{\n"
                   "  \"format\": \"spikeworks-model\",\n"
                   "  \"version\": 7,\n"
                   "  \"network\": {\n"
                   "    \"dt\": 0.001,\n"
                   "    \"dtype\": \"float32\"\n"
                   "  },\n"
                   "  \"objects\": [\n"
                   "    {\n"
                   "      \"type\": \"ensemble\",\n"
                   "      \"label\": \"e\",\n"
                   "      \"n_neurons\": 50,\n"
                   "      \"dimensions\": 1\n"
                   "    },\n"
                   "    {\n"
                   "      \"type\": \"node\"\n"
                   "    }\n"
                   "  ]\n"
                   "}\n");
  g_assert_finalize_object (network);
}

/* A network with every neuron type, synapse kind, distribution kind and
 * process kind, each with parameters away from their defaults. */
static SpkNetwork *
every_kind_network (void)
{
  SpkNetwork *network = spk_network_new ();
  SpkEnsemble *previous = NULL;
  static const double options[] = { -0.5, 0.25, 1 };
  static const double weights[] = { 1, 2, 3 };
  static const double num[] = { 1 };
  static const double den[] = { 0.001, 0.03, 1 };
  static const double matrix[] = { 1, 2, 3, 4, 5, 6 };
  static const double times[] = { 0, 0.5 };
  static const double values[] = { 0, 1, 2, 3 };

  spk_network_set_label (network, "kinds");
  spk_network_set_seed (network, 42);
  spk_network_set_dt (network, 0.0005);
  spk_network_set_dtype (network, SPK_DTYPE_FLOAT64);

  for (SpkNeuronKind kind = 0; kind < SPK_NEURON_N_KINDS; kind++)
    {
      SpkEnsemble *ensemble = spk_ensemble_new ();
      g_autoptr (SpkNeuronType) type = spk_neuron_type_new (kind);
      g_autoptr (SpkNeuronType) plain = spk_neuron_type_new (kind);
      const SpkNeuronParam *first = spk_neuron_kind_params (kind);
      g_autofree char *label = g_strdup_printf ("e%d", kind);
      const char *states[SPK_NEURON_MAX_STATES + 1] = { NULL };

      /* Direct has no parameters. */
      if (first->name != NULL)
        spk_neuron_type_set_param (type, first, spk_neuron_type_get_param (type, first) * 1.5);
      if (spk_neuron_kind_is_wrapper (kind))
        {
          g_autoptr (SpkNeuronType) base = spk_neuron_type_new (SPK_NEURON_ADAPTIVE_LIF_RATE);

          base->tau_n = 0.5;
          spk_neuron_type_unref (type->base);
          type->base = g_steal_pointer (&base);
        }
      if (spk_neuron_type_state_names (type, states) > 0)
        {
          g_autoptr (SpkArray) one = spk_array_new_scalar (0.25);
          g_autoptr (SpkArray) opts = spk_array_new_vector (&options[1], 1);

          type->initial_state[0] = spk_distribution_new_uniform (-0.25, 0.75);
          if (states[1] != NULL)
            type->initial_state[1] = spk_distribution_new_choice (opts, NULL);
        }
      spk_ensemble_set_n_neurons (ensemble, 3);
      spk_ensemble_set_neuron_type (ensemble, kind % 2 || kind == SPK_NEURON_LIF || spk_neuron_kind_is_wrapper (kind)
                                              ? type : plain);
      spk_object_set_label (SPK_OBJECT (ensemble), label);
      add (network, ensemble);
      /* A Direct ensemble has no neurons to connect from. */
      if (!spk_neuron_kind_is_direct (kind))
        previous = ensemble;
    }

  {
    SpkEnsemble *ensemble = spk_ensemble_new ();
    g_autoptr (SpkArray) opts = spk_array_new_matrix (matrix, 3, 2);
    g_autoptr (SpkArray) w = spk_array_new_vector (weights, 3);
    g_autoptr (SpkDistribution) uniform = spk_distribution_new_uniform (-2, 2);
    g_autoptr (SpkDistribution) gaussian = spk_distribution_new_gaussian (0.5, 0.125);
    g_autoptr (SpkDistribution) choice = spk_distribution_new_choice (opts, w);
    g_autoptr (SpkDistribution) sphere = spk_distribution_new_hypersphere (FALSE, FALSE);
    g_autoptr (SpkDistribution) scattered = spk_distribution_new_hypersphere (TRUE, TRUE);
    g_autoptr (SpkArray) gain = spk_array_new_vector (options, 3);

    uniform->integer = TRUE;
    sphere->min_magnitude = 0.25;
    spk_ensemble_set_n_neurons (ensemble, 3);
    spk_ensemble_set_dimensions (ensemble, 2);
    spk_ensemble_set_radius (ensemble, 2.5);
    spk_ensemble_set_normalize_encoders (ensemble, FALSE);
    spk_ensemble_set_n_eval_points (ensemble, 100);
    spk_ensemble_set_max_rates (ensemble, uniform);
    spk_ensemble_set_intercepts (ensemble, gaussian);
    spk_ensemble_set_encoders (ensemble, choice);
    spk_ensemble_set_eval_points (ensemble, sphere);
    spk_ensemble_set_gain (ensemble, gain);
    spk_ensemble_set_bias (ensemble, gain);
    spk_object_set_label (SPK_OBJECT (ensemble), "dists");
    spk_object_set_seed (SPK_OBJECT (ensemble), 7);
    add (network, ensemble);

    ensemble = spk_ensemble_new ();
    spk_ensemble_set_eval_points (ensemble, scattered);
    spk_object_set_label (SPK_OBJECT (ensemble), "scattered");
    add (network, ensemble);
  }

  for (SpkProcessKind kind = 0; kind < SPK_PROCESS_N_KINDS; kind++)
    {
      SpkNode *node = spk_node_new ();
      g_autoptr (SpkProcess) process = spk_process_new (kind);
      g_autofree char *label = g_strdup_printf ("n%d", kind);

      switch (kind)
        {
        case SPK_PROCESS_WHITE_SIGNAL:
          process->period = 2;
          process->high = 7.5;
          process->y0 = 0.125;
          process->seed = 9;
          break;
        case SPK_PROCESS_WHITE_NOISE:
          spk_distribution_unref (process->dist);
          process->dist = spk_distribution_new_glorot (2, TRUE);
          process->scale = FALSE;
          break;
        case SPK_PROCESS_PRESENT_INPUT:
          process->inputs = spk_array_new_matrix (matrix, 2, 3);
          process->presentation_time = 0.25;
          break;
        case SPK_PROCESS_PIECEWISE:
          process->times = spk_array_new_vector (times, 2);
          process->values = spk_array_new_matrix (values, 2, 2);
          process->interpolation = SPK_INTERPOLATION_LINEAR;
          break;
        case SPK_PROCESS_FILTERED_NOISE:
          spk_synapse_unref (process->synapse);
          process->synapse = spk_synapse_new_triangle (0.004);
          process->scale = FALSE;
          break;
        case SPK_PROCESS_BROWN_NOISE:
          process->seed = 4;
          break;
        case SPK_PROCESS_N_KINDS:
        default:
          g_assert_not_reached ();
        }
      spk_node_set_output_process (node, process);
      spk_node_set_size_out (node, kind == SPK_PROCESS_PRESENT_INPUT ? 3 : -1);
      add (network, labelled (node, label));
    }

  {
    SpkNode *node = spk_node_new ();
    SpkNode *expr = spk_node_new ();
    g_autoptr (SpkDistribution) glorot = spk_distribution_new_glorot (1.5, FALSE);
    g_autoptr (SpkArray) n = spk_array_new_vector (num, 1);
    g_autoptr (SpkArray) d = spk_array_new_vector (den, 3);
    g_autoptr (SpkSynapse) filter = spk_synapse_new_linear_filter (n, d);
    g_autoptr (SpkSynapse) alpha = spk_synapse_new_alpha (0.02);
    g_autoptr (SpkSolver) solver = spk_solver_new (SPK_SOLVER_LSTSQ_L2NZ, 0.01);
    SpkConnection *c;
    SpkProbe *p;

    spk_node_set_size_in (node, 2);
    add (network, labelled (node, "pass"));
    spk_node_set_output_expr (expr, "sin(2*pi*t) + \"quoted\"\\n");
    add (network, labelled (expr, "expr"));

    c = spk_connection_new ();
    spk_connection_set_pre (c, lookup (network, "dists"));
    spk_connection_set_post (c, lookup (network, "pass"));
    spk_connection_set_synapse (c, NULL);
    spk_connection_set_transform (c, glorot);
    spk_connection_set_solver (c, solver);
    spk_connection_set_function (c, "x[0]*x[1]");
    add (network, c);

    c = spk_connection_new ();
    spk_connection_set_pre (c, SPK_OBJECT (previous));
    spk_connection_set_pre_neurons (c, TRUE);
    spk_connection_set_post (c, lookup (network, "dists"));
    spk_connection_set_post_neurons (c, TRUE);
    spk_connection_set_synapse (c, alpha);
    add (network, labelled (c, "alpha"));

    c = spk_connection_new ();
    spk_connection_set_pre (c, lookup (network, "n0"));
    spk_connection_set_post (c, lookup (network, "pass"));
    spk_connection_set_synapse (c, filter);
    spk_object_set_seed (SPK_OBJECT (c), 5);
    add (network, c);

    p = spk_probe_new ();
    spk_probe_set_target (p, lookup (network, "dists"));
    spk_probe_set_target_neurons (p, TRUE);
    spk_probe_set_attr (p, "voltage");
    spk_probe_set_sample_every (p, 0.01);
    spk_probe_set_solver (p, solver);
    add (network, p);
  }
  return network;
}

static void
test_every_kind (void)
{
  SpkNetwork *network = every_kind_network ();
  g_autofree char *text = assert_round_trip (network);

  for (SpkNeuronKind kind = 0; kind < SPK_NEURON_N_KINDS; kind++)
    {
      g_autofree char *name = g_strdup_printf ("\"%s\"", spk_neuron_kind_to_name (kind));

      if (strstr (text, name) == NULL)
        g_error ("%s missing from\n%s", name, text);
    }
  g_assert_nonnull (strstr (text, "\"neuron_type\": \"Sigmoid\""));
  g_assert_nonnull (strstr (text, "\"refractory_time\": 0.25"));
  g_assert_nonnull (strstr (text, "\"synapse\": null"));
  g_assert_nonnull (strstr (text, "\"synapse\": {\"type\": \"Alpha\", \"tau\": 0.02}"));
  g_assert_nonnull (strstr (text, "\"LinearFilter\""));
  g_assert_nonnull (strstr (text, "\"distribution\": \"normal\""));
  g_assert_nonnull (strstr (text, "\"integer\": true"));
  /* The last ensemble (of the last neuron kind, StochasticSpiking) feeds a connection from its neurons. */
  g_assert_nonnull (strstr (text, "\"pre\": \"e11.neurons\""));
  g_assert_nonnull (strstr (text, "\"y0\": 0.125"));
  g_assert_finalize_object (network);
}

static void
test_numbers (void)
{
  static const double values[] = {
    0.1, 1.0 / 3.0, 1e-300, -0.0, 5e-324, 1e300, DBL_MAX, -DBL_MIN,
    123456789.125, 9007199254740993.0, 1e15, 1e16, -2.5e-7, 0.0, 200,
  };
  SpkNetwork *network = spk_network_new ();
  SpkNetwork *back;
  SpkEnsemble *ensemble = spk_ensemble_new ();
  g_autoptr (SpkArray) gain = spk_array_new_vector (values, G_N_ELEMENTS (values));
  g_autofree char *text = NULL;
  SpkArray *loaded;

  spk_ensemble_set_n_neurons (ensemble, G_N_ELEMENTS (values));
  spk_ensemble_set_gain (ensemble, gain);
  spk_ensemble_set_radius (ensemble, -0.0);
  spk_network_set_dt (network, 1.0 / 3.0);
  add (network, labelled (ensemble, "e"));

  text = assert_round_trip (network);
  /* Shortest forms, integers without a fraction, the sign of zero kept. */
  g_assert_nonnull (strstr (text, "\"gain\": [0.1, 0.3333333333333333, 1e-300, -0.0, 5e-324, "));
  g_assert_nonnull (strstr (text, ", 123456789.125, "));
  g_assert_nonnull (strstr (text, ", 0, 200]"));
  g_assert_nonnull (strstr (text, "\"radius\": -0.0"));
  g_assert_nonnull (strstr (text, "\"n_neurons\": 15,"));

  back = load_ok (text);
  loaded = spk_ensemble_get_gain (SPK_ENSEMBLE (lookup (back, "e")));
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_true (doubles_identical (loaded->data[i], values[i]));
  g_assert_true (signbit (spk_ensemble_get_radius (SPK_ENSEMBLE (lookup (back, "e")))));
  g_assert_true (doubles_identical (spk_network_get_dt (back), 1.0 / 3.0));
  g_assert_finalize_object (back);
  g_assert_finalize_object (network);
}

static void
test_targets (void)
{
  g_autofree char *text = with_objects (
    "{\"type\": \"node\", \"label\": \"a\", \"output\": [1, 2, 3]},"
    "{\"type\": \"ensemble\", \"label\": \"b\", \"n_neurons\": 20, \"dimensions\": 3},"
    "{\"type\": \"ensemble\", \"label\": \"x.y\", \"dimensions\": 2},"
    "{\"type\": \"connection\", \"label\": \"c1\", \"pre\": \"a[0]\", \"post\": \"b[1:3]\"},"
    "{\"type\": \"connection\", \"label\": \"c2\", \"pre\": \"b.neurons[0:10]\", \"post\": \"x.y.neurons\"},"
    "{\"type\": \"connection\", \"label\": \"c3\", \"pre\": \"a\", \"post\": \"b\", \"pre_slice\": \"::2\","
    " \"post_slice\": [0, 2]},"
    "{\"type\": \"connection\", \"label\": \"c4\", \"pre\": \"a[0, 2]\", \"post\": \"b[[2, 0]]\"},"
    "{\"type\": \"connection\", \"label\": \"c5\", \"pre\": \"later\", \"post\": \"b\", \"post_slice\": -1},"
    "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"b.neurons[::3]\", \"sample_every\": null},"
    "{\"type\": \"probe\", \"target\": \"x.y\", \"slice\": \"1:\"},"
    "{\"type\": \"node\", \"label\": \"later\"},"
    "{\"type\": \"node\", \"output\": 0.5},"
    "{\"type\": \"probe\", \"label\": \"q\", \"target\": \"#11\"},"
    "{\"type\": \"ensemble\", \"label\": \"odd[1]\"},"
    "{\"type\": \"connection\", \"label\": \"c6\", \"pre\": \"odd[1]\", \"post\": \"odd[1].neurons[2]\"}");
  SpkNetwork *network = load_ok (text);
  SpkConnection *c;
  SpkProbe *p;
  SpkSlice *slice;
  g_autofree char *written = NULL;

  c = SPK_CONNECTION (lookup (network, "c1"));
  g_assert_true (spk_connection_get_pre (c) == lookup (network, "a"));
  slice = spk_connection_get_pre_slice (c);
  g_assert_true (slice->is_list && slice->n_indices == 1 && slice->indices[0] == 0);
  slice = spk_connection_get_post_slice (c);
  g_assert_false (slice->is_list);
  g_assert_true (slice->has_start && slice->start == 1 && slice->has_stop && slice->stop == 3);

  c = SPK_CONNECTION (lookup (network, "c2"));
  g_assert_true (spk_connection_get_pre_neurons (c));
  slice = spk_connection_get_pre_slice (c);
  g_assert_true (slice->has_stop && slice->stop == 10);
  g_assert_true (spk_connection_get_post (c) == lookup (network, "x.y"));
  g_assert_true (spk_connection_get_post_neurons (c));
  g_assert_null (spk_connection_get_post_slice (c));

  c = SPK_CONNECTION (lookup (network, "c3"));
  slice = spk_connection_get_pre_slice (c);
  g_assert_true (!slice->has_start && !slice->has_stop && slice->step == 2);
  slice = spk_connection_get_post_slice (c);
  g_assert_true (slice->is_list && slice->n_indices == 2 && slice->indices[1] == 2);

  c = SPK_CONNECTION (lookup (network, "c4"));
  slice = spk_connection_get_pre_slice (c);
  g_assert_true (slice->is_list && slice->n_indices == 2 && slice->indices[1] == 2);
  slice = spk_connection_get_post_slice (c);
  g_assert_true (slice->is_list && slice->n_indices == 2 && slice->indices[0] == 2);

  c = SPK_CONNECTION (lookup (network, "c5"));
  g_assert_true (spk_connection_get_pre (c) == lookup (network, "later"));
  g_assert_cmpint (spk_connection_get_post_slice (c)->indices[0], ==, -1);

  p = SPK_PROBE (lookup (network, "p"));
  g_assert_true (spk_probe_get_target_neurons (p));
  g_assert_cmpint (spk_probe_get_slice (p)->step, ==, 3);
  g_assert_cmpfloat (spk_probe_get_sample_every (p), ==, 0.0);
  p = SPK_PROBE (g_ptr_array_index (spk_network_get_objects (network), 9));
  g_assert_true (spk_probe_get_target (p) == lookup (network, "x.y"));
  g_assert_true (spk_probe_get_slice (p)->has_start);
  p = SPK_PROBE (lookup (network, "q"));
  g_assert_true (spk_probe_get_target (p) == g_ptr_array_index (spk_network_get_objects (network), 11));
  g_assert_cmpfloat (spk_node_get_output_value (SPK_NODE (spk_probe_get_target (p)))->data[0], ==, 0.5);

  /* A label that looks like a target with a slice is that label. */
  c = SPK_CONNECTION (lookup (network, "c6"));
  g_assert_true (spk_connection_get_pre (c) == lookup (network, "odd[1]"));
  g_assert_null (spk_connection_get_pre_slice (c));
  g_assert_true (spk_connection_get_post (c) == lookup (network, "odd[1]"));
  g_assert_true (spk_connection_get_post_neurons (c));
  g_assert_cmpint (spk_connection_get_post_slice (c)->indices[0], ==, 2);

  written = assert_round_trip (network);
  g_assert_nonnull (strstr (written, "\"pre\": \"a[0]\""));
  g_assert_nonnull (strstr (written, "\"post\": \"b[1:3]\""));
  g_assert_nonnull (strstr (written, "\"pre\": \"b.neurons[0:10]\""));
  g_assert_nonnull (strstr (written, "\"post\": \"x.y.neurons\""));
  g_assert_nonnull (strstr (written, "\"post\": \"b[[0, 2]]\""));
  g_assert_nonnull (strstr (written, "\"target\": \"#11\""));
  g_assert_nonnull (strstr (written, "\"output\": 0.5"));
  g_assert_finalize_object (network);
}

static void
test_errors_file (void)
{
  assert_load_fails ("{\"format\": \"spikeworks-model\",\n \"version\": 1,,}",
                     SPK_IO_ERROR_PARSE,
                     "malformed JSON at 2:14: unexpected character `,', expected string constant");
  assert_load_fails ("", SPK_IO_ERROR_FORMAT, "not a Spikeworks model file");
  assert_load_fails ("[1, 2]", SPK_IO_ERROR_FORMAT, "not a Spikeworks model file");
  assert_load_fails ("{\"version\": 1}", SPK_IO_ERROR_FORMAT, "not a Spikeworks model file");
  assert_load_fails ("{\"format\": \"nengo\", \"version\": 1}", SPK_IO_ERROR_FORMAT,
                     "not a Spikeworks model file");
  assert_load_fails ("{\"format\": \"spikeworks-model\"}", SPK_IO_ERROR_FORMAT,
                     "not a Spikeworks model file");
  assert_load_fails ("{\"format\": \"spikeworks-model\", \"version\": 8}", SPK_IO_ERROR_FORMAT,
                     "was written by a newer Spikeworks (version 8); this one reads version 7");
  assert_load_fails (HEADER "\"objcts\": []}", SPK_IO_ERROR_UNKNOWN,
                     "model file: unknown parameter 'objcts' — did you mean 'objects'?");
  assert_load_fails (HEADER "\"objects\": {}}", SPK_IO_ERROR_VALUE, "\"objects\" must be a list");
  assert_load_fails (HEADER "\"network\": {\"dtype\": \"float16\"}}", SPK_IO_ERROR_VALUE,
                     "network: dtype must be one of float32, float64 (got 'float16')");
  assert_load_fails (HEADER "\"network\": {\"dtyp\": \"float64\"}}", SPK_IO_ERROR_UNKNOWN,
                     "network: unknown parameter 'dtyp' — did you mean 'dtype'?");
  assert_load_fails (HEADER "\"network\": {\"dt\": -0.001}}", SPK_IO_ERROR_VALUE,
                     "network: dt must be at least 0 (got -0.001)");
  assert_load_fails (HEADER "\"network\": {\"seed\": \"1\"}}", SPK_IO_ERROR_VALUE,
                     "network: seed must be an integer");
}

static void
test_errors_values (void)
{
  /* NaN and infinity are not JSON; 1e999 is, and overflows to infinity. */
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", \"radius\": NaN}",
                       SPK_IO_ERROR_PARSE, "malformed JSON at 1:");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", \"radius\": -Infinity}",
                       SPK_IO_ERROR_PARSE, "malformed JSON");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", \"radius\": 1e999}",
                       SPK_IO_ERROR_VALUE, "ensemble 'b': radius must be a finite number");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", \"gain\": [1, -1e999]}",
                       SPK_IO_ERROR_VALUE, "ensemble 'b': gain[1] must be a finite number");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", \"encoders\": [[1], [1e999]]}",
                       SPK_IO_ERROR_VALUE, "ensemble 'b': encoders[1][0] must be a finite number");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", "
                       "\"max_rates\": {\"type\": \"Uniform\", \"low\": 1e999}}",
                       SPK_IO_ERROR_VALUE, "ensemble 'b': max_rates.low must be a finite number");

  assert_objects_fail ("{\"type\": \"node\", \"label\": \"a\"}, {\"type\": \"ensemble\"},"
                       "{\"type\": \"node\"}, {\"type\": \"neuron\"}",
                       SPK_IO_ERROR_UNKNOWN,
                       "object 3: unknown type 'neuron'; expected node, ensemble, connection or probe");
  assert_objects_fail ("{\"label\": \"a\"}", SPK_IO_ERROR_VALUE, "object 0: missing \"type\"");
  assert_objects_fail ("[1]", SPK_IO_ERROR_VALUE, "object 0: expected a JSON object");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", \"n_neuron\": 10}",
                       SPK_IO_ERROR_UNKNOWN,
                       "ensemble 'b': unknown parameter 'n_neuron' — did you mean 'n_neurons'?");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", \"n-neurons\": 10}",
                       SPK_IO_ERROR_UNKNOWN, "ensemble 'b': unknown parameter 'n-neurons'");
  assert_objects_fail ("{\"type\": \"node\", \"label\": \"a\", \"output_value\": [1]}",
                       SPK_IO_ERROR_UNKNOWN, "node 'a': unknown parameter 'output_value'");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", \"colour\": 10}",
                       SPK_IO_ERROR_UNKNOWN, "ensemble 'b': unknown parameter 'colour'");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", \"n_neurons\": \"50\"}",
                       SPK_IO_ERROR_VALUE, "ensemble 'b': n_neurons must be an integer");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", \"n_neurons\": 2.5}",
                       SPK_IO_ERROR_VALUE, "ensemble 'b': n_neurons must be an integer");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", \"n_neurons\": 0}",
                       SPK_IO_ERROR_VALUE, "ensemble 'b': n_neurons must be at least 1 (got 0)");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", \"n_neurons\": 3000000000}",
                       SPK_IO_ERROR_VALUE,
                       "ensemble 'b': n_neurons must be at most 2147483647 (got 3000000000)");
  assert_objects_fail ("{\"type\": \"node\", \"label\": \"a\", \"size_in\": -1}",
                       SPK_IO_ERROR_VALUE, "node 'a': size_in must be at least 0 (got -1)");
  assert_objects_fail ("{\"type\": \"node\", \"label\": \"a\", \"seed\": -2}",
                       SPK_IO_ERROR_VALUE, "node 'a': seed must be at least -1 (got -2)");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", \"normalize_encoders\": 1}",
                       SPK_IO_ERROR_VALUE, "ensemble 'b': normalize_encoders must be true or false");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": 3}",
                       SPK_IO_ERROR_VALUE, "object 0: label must be a string");
  assert_objects_fail ("{\"type\": \"probe\", \"label\": \"p\", \"target\": \"p\", \"sample_every\": -1}",
                       SPK_IO_ERROR_VALUE, "probe 'p': sample_every must be at least 0 (got -1)");
  assert_objects_fail ("{\"type\": \"node\", \"label\": \"a\", \"output\": true}",
                       SPK_IO_ERROR_VALUE, "node 'a': output must be a number, a list of numbers");
  assert_objects_fail ("{\"type\": \"node\", \"label\": \"a\", \"output\": [[1, 2]]}",
                       SPK_IO_ERROR_VALUE, "node 'a': output must be a number or a list of numbers");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", \"encoders\": [[1], [1, 2]]}",
                       SPK_IO_ERROR_VALUE, "ensemble 'b': encoders must be a matrix");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\"}, {\"type\": \"ensemble\", \"label\": \"b\"}",
                       SPK_IO_ERROR_VALUE, "ensemble 'b': the label 'b' is already used");
  assert_objects_fail ("{\"type\": \"node\", \"label\": \"b\"}, {\"type\": \"ensemble\", \"label\": \"b\"}",
                       SPK_IO_ERROR_VALUE, "ensemble 'b': the label 'b' is already used");
}

static void
test_errors_value_types (void)
{
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", \"neuron_type\": \"LIFF\"}",
                       SPK_IO_ERROR_UNKNOWN,
                       "ensemble 'b': neuron_type: unknown neuron type 'LIFF' — did you mean 'LIF'?");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", \"neuron_type\": \"Hodgkin\"}",
                       SPK_IO_ERROR_UNKNOWN,
                       "neuron_type: unknown neuron type 'Hodgkin'; expected one of RectifiedLinear, ");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", "
                       "\"neuron_type\": {\"type\": \"LIF\", \"tau_r\": 0.1}}",
                       SPK_IO_ERROR_UNKNOWN,
                       "ensemble 'b': neuron_type: unknown parameter 'tau_r' — did you mean 'tau_rc'?");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", "
                       "\"neuron_type\": {\"type\": \"LIF\", \"tau_rc\": -0.1}}",
                       SPK_IO_ERROR_VALUE, "ensemble 'b': neuron_type: LIF.tau_rc must be positive");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", "
                       "\"neuron_type\": {\"type\": \"RegularSpiking\", \"base\": \"LIF\"}}",
                       SPK_IO_ERROR_VALUE, "RegularSpiking needs a rate neuron type as its base");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", "
                       "\"neuron_type\": {\"type\": \"LIF\", \"initial_state\": {\"volt\": 0}}}",
                       SPK_IO_ERROR_UNKNOWN,
                       "neuron_type.initial_state: LIF has no state 'volt'; its states are voltage, refractory_time");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", "
                       "\"neuron_type\": {\"type\": \"LIF\", \"initial_state\": {\"voltage\": \"x\"}}}",
                       SPK_IO_ERROR_VALUE,
                       "neuron_type.initial_state.voltage must be a distribution");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", \"neuron_type\": {\"tau_rc\": 1}}",
                       SPK_IO_ERROR_VALUE, "ensemble 'b': neuron_type has no \"type\"");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", "
                       "\"max_rates\": {\"type\": \"Uniform\", \"hgh\": 1}}",
                       SPK_IO_ERROR_UNKNOWN,
                       "ensemble 'b': max_rates: unknown parameter 'hgh' — did you mean 'high'?");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", \"max_rates\": {\"type\": \"Poisson\"}}",
                       SPK_IO_ERROR_UNKNOWN, "max_rates: unknown distribution 'Poisson'; expected one of Uniform");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", \"encoders\": {\"type\": \"Choice\"}}",
                       SPK_IO_ERROR_VALUE, "ensemble 'b': encoders: Choice needs \"options\"");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", "
                       "\"encoders\": {\"type\": \"Glorot\", \"distribution\": \"cauchy\"}}",
                       SPK_IO_ERROR_VALUE, "encoders.distribution must be \"uniform\" or \"normal\"");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"b\", \"intercepts\": \"uniform\"}",
                       SPK_IO_ERROR_VALUE, "ensemble 'b': intercepts must be a distribution");
  assert_objects_fail ("{\"type\": \"node\", \"label\": \"a\", \"output\": {\"process\": \"WhiteSignl\"}}",
                       SPK_IO_ERROR_UNKNOWN, "node 'a': output: unknown process 'WhiteSignl' — did you mean 'WhiteSignal'?");
  assert_objects_fail ("{\"type\": \"node\", \"label\": \"a\", "
                       "\"output\": {\"process\": \"WhiteNoise\", \"period\": 1}}",
                       SPK_IO_ERROR_UNKNOWN, "node 'a': output: unknown parameter 'period'");
  assert_objects_fail ("{\"type\": \"node\", \"label\": \"a\", "
                       "\"output\": {\"process\": \"WhiteSignal\", \"seed\": -3}}",
                       SPK_IO_ERROR_VALUE, "node 'a': output.seed must be at least -1 (got -3)");
  assert_objects_fail ("{\"type\": \"node\", \"label\": \"a\", \"output\": {\"period\": 1}}",
                       SPK_IO_ERROR_VALUE, "node 'a': output must be a number, a list of numbers");
}

static void
test_errors_connections (void)
{
  static const char ab[] = "{\"type\": \"node\", \"label\": \"a\", \"output\": 1},"
                           "{\"type\": \"ensemble\", \"label\": \"b\"},";
  static const struct
  {
    const char *connection;
    SpkIoError  code;
    const char *message;
  } cases[] = {
    { "{\"type\": \"connection\", \"pre\": \"a\", \"post\": \"c\"}",
      SPK_IO_ERROR_UNKNOWN, "connection a → c: unknown label 'c'" },
    { "{\"type\": \"connection\", \"label\": \"x\", \"pre\": \"q.neurons\", \"post\": \"b\"}",
      SPK_IO_ERROR_UNKNOWN, "connection 'x': unknown label 'q'" },
    { "{\"type\": \"connection\", \"pre\": \"a\", \"post\": \"b\", \"synapse\": -0.1}",
      SPK_IO_ERROR_VALUE, "connection a → b: synapse tau must not be negative (got -0.1)" },
    { "{\"type\": \"connection\", \"pre\": \"a\", \"post\": \"b\", "
      "\"synapse\": {\"type\": \"Alpha\", \"tau\": -0.1}}",
      SPK_IO_ERROR_VALUE, "connection a → b: synapse tau must not be negative (got -0.1)" },
    { "{\"type\": \"connection\", \"pre\": \"a\", \"post\": \"b\", "
      "\"synapse\": {\"type\": \"Alpha\"}}",
      SPK_IO_ERROR_VALUE, "connection a → b: synapse: Alpha needs \"tau\"" },
    { "{\"type\": \"connection\", \"pre\": \"a\", \"post\": \"b\", "
      "\"synapse\": {\"type\": \"LinearFilter\", \"num\": [1], \"den\": [0, 1]}}",
      SPK_IO_ERROR_VALUE, "connection a → b: synapse: LinearFilter den must not start with 0" },
    { "{\"type\": \"connection\", \"pre\": \"a\", \"post\": \"b\", "
      "\"synapse\": {\"type\": \"Bessel\", \"tau\": 1}}",
      SPK_IO_ERROR_UNKNOWN, "connection a → b: synapse: unknown synapse 'Bessel'" },
    { "{\"type\": \"connection\", \"pre\": \"a.neurons\", \"post\": \"b\"}",
      SPK_IO_ERROR_VALUE, "connection a.neurons → b: node 'a' has no neurons" },
    { "{\"type\": \"connection\", \"pre\": \"a\"}",
      SPK_IO_ERROR_VALUE, "object 2: missing \"post\"" },
    { "{\"type\": \"connection\", \"pre\": 3, \"post\": \"b\"}",
      SPK_IO_ERROR_VALUE, "object 2: pre must be a string" },
    { "{\"type\": \"connection\", \"pre\": \"a[1:x]\", \"post\": \"b\"}",
      SPK_IO_ERROR_VALUE, "connection a[1:x] → b: pre: '1:x' is not a slice" },
    { "{\"type\": \"connection\", \"pre\": \"a[0]]\", \"post\": \"b\"}",
      SPK_IO_ERROR_VALUE, "pre 'a[0]]' has unbalanced brackets" },
    { "{\"type\": \"connection\", \"pre\": \"a[0]\", \"post\": \"b\", \"pre_slice\": 0}",
      SPK_IO_ERROR_VALUE, "the slice is given twice: in \"pre\" and in \"pre_slice\"" },
    { "{\"type\": \"connection\", \"pre\": \"a\", \"post\": \"b\", \"post_slice\": 0.5}",
      SPK_IO_ERROR_VALUE, "connection a → b: post_slice must be an integer" },
    { "{\"type\": \"connection\", \"pre\": \"a\", \"post\": \"b\", \"post_slice\": true}",
      SPK_IO_ERROR_VALUE, "connection a → b: post_slice must be an index, a list of indices" },
    { "{\"type\": \"connection\", \"pre\": \"a\", \"post\": \"b\", \"transform\": \"2\"}",
      SPK_IO_ERROR_VALUE, "connection a → b: transform must be a distribution" },
    { "{\"type\": \"connection\", \"pre\": \"a\", \"post\": \"b\", "
      "\"solver\": {\"type\": \"LstsqL2\", \"reg\": -1}}",
      SPK_IO_ERROR_VALUE, "connection a → b: solver: " },
    { "{\"type\": \"connection\", \"pre\": \"a\", \"post\": \"b\", \"solver\": {\"type\": \"Nnlz\"}}",
      SPK_IO_ERROR_UNKNOWN, "connection a → b: solver: unknown solver 'Nnlz' — did you mean 'Nnls'?" },
    { "{\"type\": \"connection\", \"pre\": \"a\", \"post\": \"b\", \"solver\": \"Cholesky\"}",
      SPK_IO_ERROR_UNKNOWN, "connection a → b: solver: unknown solver 'Cholesky'; expected one of LstsqL2, LstsqL2nz, "
      "Lstsq, Nnls, NnlsL2, NnlsL2nz" },
    { "{\"type\": \"connection\", \"pre\": \"a\", \"post\": \"b\", \"solver\": {\"type\": \"Lstsq\", \"rcond\": -1}}",
      SPK_IO_ERROR_VALUE, "connection a → b: solver: Lstsq rcond must be a finite number >= 0 (got -1)" },
    { "{\"type\": \"connection\", \"pre\": \"a\", \"post\": \"b\", \"solver\": {\"type\": \"Lstsq\", \"reg\": 0.1}}",
      SPK_IO_ERROR_UNKNOWN, "connection a → b: solver: unknown parameter 'reg'" },
    { "{\"type\": \"connection\", \"pre\": \"a\", \"post\": \"b\", \"solver\": {\"type\": \"Nnls\", \"reg\": 0.1}}",
      SPK_IO_ERROR_UNKNOWN, "connection a → b: solver: unknown parameter 'reg'" },
    { "{\"type\": \"connection\", \"pre\": \"a\", \"post\": \"b\", \"solver\": {\"type\": \"NnlsL2\", \"reg\": -0.5}}",
      SPK_IO_ERROR_VALUE, "connection a → b: solver: NnlsL2 reg must be a finite number >= 0 (got -0.5)" },
    { "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"zz\"}",
      SPK_IO_ERROR_UNKNOWN, "probe 'p': unknown label 'zz'" },
    { "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"a.neurons\"}",
      SPK_IO_ERROR_VALUE, "probe 'p': node 'a' has no neurons" },
    { "{\"type\": \"probe\", \"label\": \"p\"}",
      SPK_IO_ERROR_VALUE, "probe 'p': missing \"target\"" },
    { "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"p\"}",
      SPK_IO_ERROR_VALUE, "probe 'p': a probe cannot record probe 'p'" },
    { "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"b\", \"synapse\": -0.5}",
      SPK_IO_ERROR_VALUE, "probe 'p': synapse tau must not be negative (got -0.5)" },
    { "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"#7\"}",
      SPK_IO_ERROR_UNKNOWN, "probe 'p': unknown label '#7'" },
    { "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"#99999999999999999999\"}",
      SPK_IO_ERROR_UNKNOWN, "probe 'p': unknown label '#99999999999999999999'" },
    { "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"#\"}",
      SPK_IO_ERROR_UNKNOWN, "probe 'p': unknown label '#'" },
    { "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"#-1\"}",
      SPK_IO_ERROR_UNKNOWN, "probe 'p': unknown label '#-1'" },
    { "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"#1x\"}",
      SPK_IO_ERROR_UNKNOWN, "probe 'p': unknown label '#1x'" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *objects = g_strconcat (ab, cases[i].connection, NULL);

      assert_objects_fail (objects, cases[i].code, cases[i].message);
    }
}

/* Every prefix of a valid file is refused with an error, never a crash
 * or a half-built network. */
static void
test_truncated (void)
{
  gsize length = strlen (example);

  for (gsize n = 0; n < length - 1; n++)
    {
      g_autoptr (GError) error = NULL;
      SpkNetwork *network = spk_model_load_data (example, n, &error);

      g_assert_null (network);
      g_assert_nonnull (error);
      g_assert_true (error->domain == SPK_IO_ERROR);
      g_assert_true (error->code == SPK_IO_ERROR_PARSE || error->code == SPK_IO_ERROR_FORMAT);
    }
}

static void
test_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("spk-json-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *missing = NULL;
  SpkNetwork *network = every_kind_network ();
  SpkNetwork *back;

  g_assert_no_error (error);
  path = g_build_filename (dir, "model.json", NULL);
  g_assert_true (spk_model_save_file (network, path, &error));
  g_assert_no_error (error);
  back = spk_model_load_file (path, &error);
  g_assert_no_error (error);
  assert_networks_equal (network, back);
  g_assert_finalize_object (back);

  /* A failed save leaves the old file whole. */
  missing = g_build_filename (dir, "no", "such", "model.json", NULL);
  g_assert_false (spk_model_save_file (network, missing, &error));
  g_assert_error (error, SPK_IO_ERROR, SPK_IO_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, "could not save the model to"));
  g_clear_error (&error);

  bad = g_build_filename (dir, "bad.json", NULL);
  g_assert_true (g_file_set_contents (bad, "{\"format\": \"spikeworks-model\", \"version\": 8}", -1, &error));
  g_assert_null (spk_model_load_file (bad, &error));
  g_assert_error (error, SPK_IO_ERROR, SPK_IO_ERROR_FORMAT);
  g_assert_true (g_str_has_prefix (error->message, bad));
  g_clear_error (&error);

  g_assert_null (spk_model_load_file (missing, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_remove (bad), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  g_assert_finalize_object (network);
}

static void
test_examples (void)
{
  const SpkExampleInfo *examples = spk_examples_list ();

  g_assert_nonnull (examples[0].name);
  for (guint i = 0; examples[i].name != NULL; i++)
    {
      g_autoptr (GError) error = NULL;
      SpkNetwork *network = spk_example_new (examples[i].name, &error);
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      g_test_message ("example %s", examples[i].name);
      text = assert_round_trip (network);
      g_assert_finalize_object (network);
    }
}

/* Model files written by version 1 (tests/data/v1, exported when version 1
 * was current) load, and a version-1 writer gives back the same text
 * (docs/model-format.md, "Versions"). */
static void
test_version_1_files (void)
{
  static const struct { const char *file; guint n_objects; const char *label; } files[] = {
    { "nef-sin-x-squared.json", 9, "x_squared" },
    { "spiking-fashion-mnist.json", 0, "output" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "v1", files[i].file, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (SpkNetwork) network = spk_model_load_file (path, &error);
      g_autofree char *text = NULL, *again = NULL;
      gsize length;

      g_assert_no_error (error);
      g_assert_nonnull (network);
      if (files[i].n_objects > 0)
        g_assert_cmpuint (spk_network_get_objects (network)->len, ==, files[i].n_objects);
      g_assert_nonnull (spk_network_lookup (network, files[i].label));
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      again = spk_model_to_data (network, &length);
      /* Only while this Spikeworks writes version 1 itself. */
      if (strstr (again, "\"version\": 1,") != NULL)
        g_assert_cmpstr (again, ==, text);
    }
}

/* Every solver in the file: read, written back to the same text, and
 * built into decoders that carry the function (Lstsq, LstsqL2nz and the
 * non-negative solvers, whose decoders are ≥ 0 and so decode x² only). */
static void
test_solvers (void)
{
  static const char *const solvers[] = {
    "\"LstsqL2\"", "{\"type\": \"LstsqL2nz\", \"reg\": 0.05}", "{\"type\": \"Lstsq\", \"rcond\": 0.001}",
    "\"Nnls\"", "{\"type\": \"NnlsL2\", \"reg\": 0.2}", "\"NnlsL2nz\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (solvers); i++)
    {
      g_autofree char *text = g_strdup_printf (
        "{\"format\": \"spikeworks-model\", \"version\": 2, \"network\": {\"seed\": 1, \"dtype\": \"float64\"},\n"
        " \"objects\": [{\"type\": \"ensemble\", \"label\": \"a\", \"n_neurons\": 40, \"dimensions\": 1},\n"
        "  {\"type\": \"connection\", \"label\": \"c\", \"pre\": \"a\", \"post\": \"a\", \"function\": \"x**2\", "
        "\"solver\": %s}]}", solvers[i]);
      g_autoptr (GError) error = NULL;
      g_autoptr (SpkNetwork) net = spk_model_load_data (text, -1, &error);
      g_autoptr (SpkNetwork) again = NULL;
      g_autoptr (SpkPlan) plan = NULL;
      g_autoptr (SpkArray) D = NULL;
      g_autofree char *out = NULL, *out2 = NULL;
      const SpkSolver *solver;
      double sum = 0;

      g_assert_no_error (error);
      solver = spk_connection_get_solver (SPK_CONNECTION (spk_network_lookup (net, "c")));
      out = spk_model_to_data (net, NULL);
      again = spk_model_load_data (out, -1, &error);
      g_assert_no_error (error);
      g_assert_true (spk_solver_equal (solver, spk_connection_get_solver (SPK_CONNECTION (spk_network_lookup (again, "c")))));
      out2 = spk_model_to_data (again, NULL);
      g_assert_cmpstr (out, ==, out2);
      plan = spk_build (net, &error);
      g_assert_no_error (error);
      D = spk_plan_dup_param (plan, "c/weights");
      g_assert_nonnull (D);
      for (gsize k = 0; k < D->size; k++)
        {
          if (solver->kind >= SPK_SOLVER_NNLS)
            g_assert_cmpfloat (D->data[k], >=, 0.0);
          sum += fabs (D->data[k]);
        }
      g_assert_cmpfloat (sum, >, 0.0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/json/load-example", test_load_example);
  g_test_add_func ("/spk/json/version-1-files", test_version_1_files);
  g_test_add_func ("/spk/json/round-trip-example", test_round_trip_example);
  g_test_add_func ("/spk/json/defaults-omitted", test_defaults_omitted);
  g_test_add_func ("/spk/json/every-kind", test_every_kind);
  g_test_add_func ("/spk/json/solvers", test_solvers);
  g_test_add_func ("/spk/json/numbers", test_numbers);
  g_test_add_func ("/spk/json/targets", test_targets);
  g_test_add_func ("/spk/json/errors-file", test_errors_file);
  g_test_add_func ("/spk/json/errors-values", test_errors_values);
  g_test_add_func ("/spk/json/errors-value-types", test_errors_value_types);
  g_test_add_func ("/spk/json/errors-connections", test_errors_connections);
  g_test_add_func ("/spk/json/truncated", test_truncated);
  g_test_add_func ("/spk/json/file", test_file);
  g_test_add_func ("/spk/json/examples", test_examples);
  return g_test_run ();
}
