/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-networks.c — sub-networks in the model: nesting, labels, seeds and
 * per-network defaults (Nengo's config), the model file's round trip, the
 * built-in networks against Nengo 4.1.0's own numbers, and the refusals
 * of their bad input.
 *
 * The reference networks live in tests/data/networks/, made by
 * make-reference.py there: a built-in network inside a network whose
 * config fixes every ensemble's gains, biases, encoders and evaluation
 * points, so that only the built-in network's structure decides Nengo's
 * numbers.  The engine must give them to round-off in float64 (1e-9 of
 * each probe's largest value) and closely in float32.
 */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "builder/spk-plan.h"
#include "core/spk-error.h"
#include "io/spk-model-json.h"
#include "model/spk-subnetwork.h"
#include "model/spk-synapse.h"
#include "sim/spk-simulator.h"
#include "spk-test-util.h"

static const char *const nengo_cases[] = {
  "ensemble-array", "ensemble-array-2d", "product", "integrator", "oscillator", "circular-convolution",
  "circular-convolution-even", "input-gated-memory", "basal-ganglia", "basal-ganglia-synapses", "thalamus",
  "associative-memory", "associative-memory-addons", "associative-memory-threshold",
};

static char *
model_text (const char *objects)
{
  return g_strdup_printf ("{\"format\": \"spikeworks-model\", \"version\": 4, "
                          "\"network\": {\"seed\": 3, \"dtype\": \"float64\"}, \"objects\": [%s]}",
                          objects);
}

static SpkNetwork *
load_ok (const char *objects)
{
  g_autofree char *text = model_text (objects);
  g_autoptr (GError) error = NULL;
  SpkNetwork *network = spk_model_load_data (text, -1, &error);

  g_assert_no_error (error);
  return network;
}

static void
assert_objects_fail (const char *objects,
                     const char *message)
{
  g_autofree char *text = model_text (objects);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) network = spk_model_load_data (text, -1, &error);

  g_assert_null (network);
  g_assert_nonnull (error);
  if (strstr (error->message, message) == NULL)
    g_error ("expected a message with \"%s\", got \"%s\"", message, error->message);
}

static SpkObject *
lookup (SpkNetwork *network,
        const char *label)
{
  SpkObject *object = spk_network_lookup (network, label);

  g_assert_nonnull (object);
  return object;
}

static const char nested[] =
  "{\"type\": \"node\", \"label\": \"stim\", \"output\": \"sin(2*pi*t)\"},"
  "{\"type\": \"network\", \"label\": \"outer\", \"seed\": 5,"
  " \"config\": {\"connection\": {\"synapse\": 0.01}, \"ensemble\": {\"radius\": 2}},"
  " \"objects\": ["
  "  {\"type\": \"ensemble\", \"label\": \"a\", \"n_neurons\": 20, \"dimensions\": 1},"
  "  {\"type\": \"network\", \"label\": \"inner\", \"config\": {\"ensemble\": {\"radius\": 3}},"
  "   \"objects\": [{\"type\": \"ensemble\", \"label\": \"b\", \"n_neurons\": 10, \"dimensions\": 1},"
  "                {\"type\": \"ensemble\", \"label\": \"c\", \"n_neurons\": 10, \"dimensions\": 1, \"radius\": 1}]},"
  "  {\"type\": \"connection\", \"label\": \"ab\", \"pre\": \"a\", \"post\": \"b\"},"
  "  {\"type\": \"connection\", \"label\": \"ac\", \"pre\": \"a\", \"post\": \"c\", \"synapse\": 0.005}"
  " ]},"
  "{\"type\": \"network\", \"label\": \"ea\", \"kind\": \"EnsembleArray\", \"n_neurons\": 8, \"n_ensembles\": 2},"
  "{\"type\": \"connection\", \"pre\": \"stim\", \"post\": \"ea.input[1]\"},"
  "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"ea.output\", \"synapse\": 0.01}";

/* Nesting, labels and the config's defaults, inner networks' over outer
 * ones', an object's own keys over both. */
static void
test_nesting_and_config (void)
{
  g_autoptr (SpkNetwork) network = load_ok (nested);
  SpkObject *outer = lookup (network, "outer");
  SpkObject *inner = lookup (network, "inner");
  SpkObject *ea = lookup (network, "ea");

  g_assert_true (SPK_IS_SUBNETWORK (outer));
  g_assert_null (spk_object_get_network (outer));
  g_assert_true (spk_object_get_network (inner) == outer);
  g_assert_true (spk_object_get_network (lookup (network, "a")) == outer);
  g_assert_true (spk_object_get_network (lookup (network, "b")) == inner);
  g_assert_true (spk_subnetwork_contains (SPK_SUBNETWORK (outer), lookup (network, "b")));
  g_assert_false (spk_subnetwork_contains (SPK_SUBNETWORK (inner), lookup (network, "a")));
  g_assert_cmpfloat (spk_ensemble_get_radius (SPK_ENSEMBLE (lookup (network, "a"))), ==, 2);
  g_assert_cmpfloat (spk_ensemble_get_radius (SPK_ENSEMBLE (lookup (network, "b"))), ==, 3);
  g_assert_cmpfloat (spk_ensemble_get_radius (SPK_ENSEMBLE (lookup (network, "c"))), ==, 1);
  g_assert_cmpfloat (spk_connection_get_synapse (SPK_CONNECTION (lookup (network, "ab")))->tau, ==, 0.01);
  g_assert_cmpfloat (spk_connection_get_synapse (SPK_CONNECTION (lookup (network, "ac")))->tau, ==, 0.005);

  /* The built-in network's objects, named by their Python paths. */
  g_assert_cmpstr (spk_subnetwork_get_kind (SPK_SUBNETWORK (ea)), ==, "EnsembleArray");
  g_assert_true (spk_object_get_generated (lookup (network, "ea.input")));
  g_assert_true (spk_object_get_network (lookup (network, "ea.ea_ensembles[1]")) == ea);
  g_assert_cmpint (spk_ensemble_get_n_neurons (SPK_ENSEMBLE (lookup (network, "ea.ea_ensembles[1]"))), ==, 8);
  g_assert_cmpuint (spk_node_get_size_in (SPK_NODE (lookup (network, "ea.output"))), ==, 2);
  g_assert_true (spk_subnetwork_builtin_of (lookup (network, "ea.output")) == SPK_SUBNETWORK (ea));
  g_assert_null (spk_subnetwork_builtin_of (lookup (network, "b")));
}

/* Written back as it was read: nested, each default once (in its config),
 * a built-in network as its parameters; and read again to the same file. */
static void
test_round_trip (void)
{
  g_autoptr (SpkNetwork) network = load_ok (nested);
  g_autoptr (SpkNetwork) again = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = spk_model_to_data (network, NULL);
  g_autofree char *text2 = NULL;

  g_assert_null (strstr (text, "ea.input\""));        /* made, not written */
  g_assert_nonnull (strstr (text, "\"ea.input[1]\"")); /* but referred to */
  g_assert_nonnull (strstr (text, "\"kind\": \"EnsembleArray\""));
  g_assert_nonnull (strstr (text, "\"n_ensembles\": 2"));
  g_assert_nonnull (strstr (text, "\"version\": 7"));
  /* c's radius 1 differs from its network's default 3: written, though it
   * is the global default; b's is the default and is not. */
  g_assert_nonnull (strstr (text, "\"label\": \"c\",\n              \"n_neurons\": 10,\n              \"dimensions\": 1,\n"
                                 "              \"radius\": 1\n"));
  g_assert_nonnull (strstr (text, "\"synapse\": 0.005"));
  g_assert_nonnull (strstr (text, "\"label\": \"b\", \"n_neurons\": 10, \"dimensions\": 1}"));
  again = spk_model_load_data (text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (spk_network_get_objects (again)->len, ==, spk_network_get_objects (network)->len);
  g_assert_true (spk_object_get_network (lookup (again, "b")) == lookup (again, "inner"));
  text2 = spk_model_to_data (again, NULL);
  g_assert_cmpstr (text, ==, text2);
}

/* A kind's parameters start at Nengo's defaults: the writer writes the
 * kind, the parameters without a default and those that differ, and the
 * attributes Nengo points at inner objects name them ("thal.input"). */
static void
test_kind_defaults (void)
{
  g_autoptr (SpkNetwork) network = load_ok (
    "{\"type\": \"network\", \"label\": \"bg\", \"kind\": \"BasalGanglia\", \"dimensions\": 3, \"input_bias\": 0.1},"
    "{\"type\": \"network\", \"label\": \"thal\", \"kind\": \"Thalamus\", \"dimensions\": 3},"
    "{\"type\": \"network\", \"label\": \"igm\", \"kind\": \"InputGatedMemory\", \"n_neurons\": 5, \"dimensions\": 2,"
    " \"difference_synapse\": 0.02},"
    "{\"type\": \"connection\", \"pre\": \"bg.output\", \"post\": \"thal.input\"},"
    "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"igm.output[1]\"}");
  g_autoptr (SpkNetwork) again = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = spk_model_to_data (network, NULL);
  g_autofree char *text2 = NULL;
  SpkObject *bg = lookup (network, "bg");
  SpkConnection *connection = NULL;
  int n_neurons;
  double output_weight;

  g_object_get (bg, "n-neurons-per-ensemble", &n_neurons, "output-weight", &output_weight, NULL);
  g_assert_cmpint (n_neurons, ==, 100);
  g_assert_cmpfloat (output_weight, ==, -3.0);
  g_assert_nonnull (lookup (network, "bg.strD1.ea_ensembles[2]"));
  g_assert_nonnull (lookup (network, "bg.bias_input"));
  g_assert_nonnull (lookup (network, "igm.diff.neuron_input"));
  for (guint i = 0; i < spk_network_get_objects (network)->len; i++)
    if (SPK_IS_CONNECTION (g_ptr_array_index (spk_network_get_objects (network), i))
        && !spk_object_get_generated (g_ptr_array_index (spk_network_get_objects (network), i)))
      connection = g_ptr_array_index (spk_network_get_objects (network), i);
  g_assert_true (spk_connection_get_post (connection) == lookup (network, "thal.actions.input"));
  g_assert_true (spk_probe_get_target (SPK_PROBE (lookup (network, "p"))) == lookup (network, "igm.mem.output"));

  g_assert_nonnull (strstr (text, "\"kind\": \"BasalGanglia\",\n      \"dimensions\": 3,\n      \"input_bias\": 0.1"));
  g_assert_null (strstr (text, "n_neurons_per_ensemble"));
  g_assert_null (strstr (text, "output_weight"));
  g_assert_nonnull (strstr (text, "\"difference_synapse\": 0.02"));
  g_assert_null (strstr (text, "recurrent_synapse"));
  again = spk_model_load_data (text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (spk_network_get_objects (again)->len, ==, spk_network_get_objects (network)->len);
  text2 = spk_model_to_data (again, NULL);
  g_assert_cmpstr (text, ==, text2);
}

/* An object a built-in network made, changed as the inspector changes it,
 * is written as a change in the network's "objects" (a connection named
 * by its "pre" and "post" as made) and read back changed. */
static void
test_changes_inside (void)
{
  g_autoptr (SpkNetwork) network = load_ok (
    "{\"type\": \"network\", \"label\": \"prod\", \"kind\": \"Product\", \"n_neurons\": 4, \"dimensions\": 2}");
  g_autoptr (SpkNetwork) again = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *plain = spk_model_to_data (network, NULL);
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  g_autoptr (SpkSynapse) synapse = spk_synapse_new_lowpass (0.02);
  SpkConnection *into_sq2 = NULL;
  GPtrArray *objects = spk_network_get_objects (network);
  double radius;

  g_assert_null (strstr (plain, "prod."));   /* nothing changed: nothing inside written */
  g_object_set (lookup (network, "prod.sq1.ea_ensembles[1]"), "radius", 2.5, NULL);
  for (guint i = 0; i < objects->len; i++)
    if (SPK_IS_CONNECTION (g_ptr_array_index (objects, i))
        && spk_connection_get_post (g_ptr_array_index (objects, i)) == lookup (network, "prod.sq2.input")
        && spk_connection_get_pre (g_ptr_array_index (objects, i)) == lookup (network, "prod.input_b"))
      into_sq2 = g_ptr_array_index (objects, i);
  g_object_set (into_sq2, "synapse", synapse, NULL);
  text = spk_model_to_data (network, NULL);
  g_assert_nonnull (strstr (text, "\"label\": \"prod.sq1.ea_ensembles[1]\", \"radius\": 2.5"));
  g_assert_nonnull (strstr (text, "\"pre\": \"prod.input_b\",\n          \"post\": \"prod.sq2.input\",\n"
                                 "          \"synapse\": 0.02\n"));
  g_assert_null (strstr (text, "\"prod.input_b\", \"size_in\""));   /* unchanged: not written */
  again = spk_model_load_data (text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (spk_network_get_objects (again)->len, ==, objects->len);
  g_object_get (lookup (again, "prod.sq1.ea_ensembles[1]"), "radius", &radius, NULL);
  g_assert_cmpfloat (radius, ==, 2.5);
  text2 = spk_model_to_data (again, NULL);
  g_assert_cmpstr (text, ==, text2);
}

/* An object a built-in network made, renamed: the network's "objects"
 * keeps the new name as "renamed" on the entry of its made label; it
 * loads back, generated, under its new name, and a connection from
 * outside names it by that; renaming the network leaves it alone. */
static void
test_renamed_inside (void)
{
  g_autoptr (SpkNetwork) network = load_ok (
    "{\"type\": \"network\", \"label\": \"ea\", \"kind\": \"EnsembleArray\", \"n_neurons\": 4, \"n_ensembles\": 2},"
    "{\"type\": \"node\", \"label\": \"in\", \"output\": [0.5]}");
  g_autoptr (SpkNetwork) again = NULL;
  g_autoptr (SpkConnection) conn = spk_connection_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  SpkObject *left;

  spk_object_set_label (lookup (network, "ea.ea_ensembles[0]"), "left");
  spk_connection_set_pre (conn, lookup (network, "in"));
  spk_connection_set_post (conn, lookup (network, "left"));
  g_assert_true (spk_network_add (network, SPK_OBJECT (conn), NULL));
  /* Renaming the network renames what it made (the workbench does it). */
  spk_object_set_label (lookup (network, "ea"), "array");
  for (guint i = 0; i < spk_network_get_objects (network)->len; i++)
    {
      SpkObject *object = g_ptr_array_index (spk_network_get_objects (network), i);
      const char *label = spk_object_get_label (object);

      if (label != NULL && g_str_has_prefix (label, "ea."))
        {
          g_autofree char *renamed = g_strconcat ("array.", label + 3, NULL);

          spk_object_set_label (object, renamed);
        }
    }
  text = spk_model_to_data (network, NULL);
  g_assert_nonnull (strstr (text, "\"label\": \"array.ea_ensembles[0]\", \"renamed\": \"left\""));
  g_assert_null (strstr (text, "\"renamed\": \"array.ea_ensembles[1]\""));
  again = spk_model_load_data (text, -1, &error);
  g_assert_no_error (error);
  left = lookup (again, "left");
  g_assert_true (spk_object_get_generated (left));
  g_assert_null (spk_network_lookup (again, "array.ea_ensembles[0]"));
  text2 = spk_model_to_data (again, NULL);
  g_assert_cmpstr (text, ==, text2);

  /* Bad "renamed": empty, or a label another object has. */
  assert_objects_fail ("{\"type\": \"node\", \"label\": \"left\", \"output\": [0]},"
                       "{\"type\": \"network\", \"label\": \"ea\", \"kind\": \"EnsembleArray\", \"n_neurons\": 4, "
                       "\"n_ensembles\": 2, \"objects\": [{\"type\": \"ensemble\", \"label\": \"ea.ea_ensembles[0]\", "
                       "\"renamed\": \"left\"}]}",
                       "ensemble 'ea.ea_ensembles[0]': the label 'left' is already used");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"ea\", \"kind\": \"EnsembleArray\", \"n_neurons\": 4, "
                       "\"n_ensembles\": 2, \"objects\": [{\"type\": \"ensemble\", \"label\": \"ea.ea_ensembles[0]\", "
                       "\"renamed\": \"\"}]}",
                       "ensemble 'ea.ea_ensembles[0]': \"renamed\" must not be empty");
}

static void
set_int_param (SpkNetwork *network,
               const char *net,
               const char *name,
               int         value,
               GError    **error)
{
  g_auto (GValue) v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_INT);
  g_value_set_int (&v, value);
  spk_model_set_network_param (network, SPK_SUBNETWORK (lookup (network, net)), name, &v, error);
}

/* A parameter set anew remakes the network's objects as a file with the
 * new value loads them: changes kept on the objects still made, dropped
 * for the others; references from outside follow the labels, or go. */
static void
test_set_param (void)
{
  g_autoptr (SpkNetwork) network = load_ok (
    "{\"type\": \"network\", \"label\": \"ea\", \"kind\": \"EnsembleArray\", \"n_neurons\": 4, \"n_ensembles\": 2,"
    " \"objects\": [{\"type\": \"ensemble\", \"label\": \"ea.ea_ensembles[0]\", \"radius\": 2},"
    "                {\"type\": \"ensemble\", \"label\": \"ea.ea_ensembles[1]\", \"renamed\": \"right\"}]},"
    "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"ea.output\"},"
    "{\"type\": \"probe\", \"label\": \"q\", \"target\": \"right\"}");
  g_autoptr (SpkNetwork) reference = load_ok (
    "{\"type\": \"network\", \"label\": \"ea\", \"kind\": \"EnsembleArray\", \"n_neurons\": 4, \"n_ensembles\": 3,"
    " \"objects\": [{\"type\": \"ensemble\", \"label\": \"ea.ea_ensembles[0]\", \"radius\": 2},"
    "                {\"type\": \"ensemble\", \"label\": \"ea.ea_ensembles[1]\", \"renamed\": \"right\"}]},"
    "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"ea.output\"},"
    "{\"type\": \"probe\", \"label\": \"q\", \"target\": \"right\"}");
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = spk_model_to_data (reference, NULL);
  guint n;

  set_int_param (network, "ea", "n-ensembles", 3, &error);
  g_assert_no_error (error);
  text = spk_model_to_data (network, NULL);
  g_assert_cmpstr (text, ==, expected);
  g_assert_cmpuint (spk_network_get_objects (network)->len, ==, spk_network_get_objects (reference)->len);
  g_assert_true (spk_probe_get_target (SPK_PROBE (lookup (network, "p"))) == lookup (network, "ea.output"));
  g_assert_true (spk_probe_get_target (SPK_PROBE (lookup (network, "q"))) == lookup (network, "right"));
  g_assert_cmpfloat (spk_ensemble_get_radius (SPK_ENSEMBLE (lookup (network, "ea.ea_ensembles[0]"))), ==, 2);

  /* One ensemble: "right" is no longer made; its probe goes with it. */
  set_int_param (network, "ea", "n-ensembles", 1, &error);
  g_assert_no_error (error);
  g_assert_null (spk_network_lookup (network, "right"));
  g_assert_null (spk_network_lookup (network, "q"));
  g_assert_nonnull (spk_network_lookup (network, "p"));

  /* Refused values change nothing and say why. */
  n = spk_network_get_objects (network)->len;
  set_int_param (network, "ea", "n-neurons", 0, &error);
  g_assert_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE);
  g_assert_cmpstr (error->message, ==, "network 'ea': \"n_neurons\" must be at least 1");
  g_clear_error (&error);
  g_assert_cmpuint (spk_network_get_objects (network)->len, ==, n);
  set_int_param (network, "ea", "dimensions", 2, &error);
  g_assert_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE);
  g_assert_cmpstr (error->message, ==, "network 'ea': \"dimensions\" is not a parameter of EnsembleArray");
  g_clear_error (&error);
}

/* The palette's table: every kind loads from its example as it is. */
static void
test_kinds_table (void)
{
  const char *const *kinds = spk_model_network_kinds ();

  g_assert_cmpuint (g_strv_length ((char **) kinds), ==, 9);
  for (const char *const *k = kinds; *k; k++)
    {
      g_autofree char *object = g_strdup_printf ("{\"type\": \"network\", \"label\": \"n\", \"kind\": \"%s\", %s}",
                                                 *k, spk_model_network_example_params (*k));
      g_autoptr (SpkNetwork) network = load_ok (object);

      g_assert_cmpuint (spk_network_get_objects (network)->len, >, 3);
      g_assert_nonnull (spk_model_network_kind_description (*k));
    }
  g_assert_null (spk_model_network_example_params ("Thing"));
}

static double *
run_probe (SpkNetwork *network,
           const char *probe,
           guint      *size)
{
  return tu_run_probe (network, probe, 50, size);
}

/* A network without a seed leaves its objects' randomness as it was
 * (grouping never changes a run); a seed on it reseeds what is inside. */
static void
test_seeds (void)
{
  static const char flat[] =
    "{\"type\": \"node\", \"label\": \"stim\", \"output\": 0.5},"
    "{\"type\": \"ensemble\", \"label\": \"a\", \"n_neurons\": 30, \"dimensions\": 1},"
    "{\"type\": \"connection\", \"pre\": \"stim\", \"post\": \"a\"},"
    "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"a\", \"synapse\": 0.01}";
  static const char grouped[] =
    "{\"type\": \"node\", \"label\": \"stim\", \"output\": 0.5},"
    "{\"type\": \"network\", \"label\": \"g\", \"objects\": ["
    " {\"type\": \"ensemble\", \"label\": \"a\", \"n_neurons\": 30, \"dimensions\": 1}]},"
    "{\"type\": \"connection\", \"pre\": \"stim\", \"post\": \"a\"},"
    "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"a\", \"synapse\": 0.01}";
  static const char seeded[] =
    "{\"type\": \"node\", \"label\": \"stim\", \"output\": 0.5},"
    "{\"type\": \"network\", \"label\": \"g\", \"seed\": 11, \"objects\": ["
    " {\"type\": \"ensemble\", \"label\": \"a\", \"n_neurons\": 30, \"dimensions\": 1}]},"
    "{\"type\": \"connection\", \"pre\": \"stim\", \"post\": \"a\"},"
    "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"a\", \"synapse\": 0.01}";
  g_autoptr (SpkNetwork) a = load_ok (flat);
  g_autoptr (SpkNetwork) b = load_ok (grouped);
  g_autoptr (SpkNetwork) c = load_ok (seeded);
  g_autoptr (SpkNetwork) d = load_ok (seeded);
  guint size;
  g_autofree double *pa = run_probe (a, "p", &size);
  g_autofree double *pb = run_probe (b, "p", &size);
  g_autofree double *pc = run_probe (c, "p", &size);
  g_autofree double *pd = NULL;

  g_assert_cmpmem (pa, 50 * sizeof (double), pb, 50 * sizeof (double));
  g_assert_true (memcmp (pa, pc, 50 * sizeof (double)) != 0);
  /* The network's seed decides, not the model's. */
  spk_network_set_seed (d, 99);
  pd = run_probe (d, "p", &size);
  g_assert_cmpmem (pc, 50 * sizeof (double), pd, 50 * sizeof (double));
}

/* Adding a network as one JSON object brings its objects; a failure takes
 * them all away again. */
static void
test_add_object_json (void)
{
  g_autoptr (SpkNetwork) network = load_ok ("{\"type\": \"node\", \"label\": \"stim\", \"output\": 0.5}");
  g_autoptr (GError) error = NULL;
  SpkObject *object;

  object = spk_model_add_object_json (network, "{\"type\": \"network\", \"label\": \"osc\", "
                                      "\"kind\": \"Oscillator\", \"recurrent_tau\": 0.1, "
                                      "\"frequency\": 6, \"n_neurons\": 40}", &error);
  g_assert_no_error (error);
  g_assert_true (SPK_IS_SUBNETWORK (object));
  g_assert_cmpuint (spk_network_get_objects (network)->len, ==, 6);
  g_assert_cmpint (spk_ensemble_get_dimensions (SPK_ENSEMBLE (lookup (network, "osc.ensemble"))), ==, 2);
  /* Removing a built-in network removes what it made. */
  spk_network_remove (network, object);
  g_assert_cmpuint (spk_network_get_objects (network)->len, ==, 1);

  object = spk_model_add_object_json (network, "{\"type\": \"network\", \"label\": \"n\", \"objects\": ["
                                      "{\"type\": \"ensemble\", \"label\": \"e\", \"n_neurons\": 5, \"dimensions\": 1},"
                                      "{\"type\": \"connection\", \"pre\": \"e\", \"post\": \"nowhere\"}]}", &error);
  g_assert_null (object);
  g_assert_error (error, SPK_IO_ERROR, SPK_IO_ERROR_UNKNOWN);
  g_assert_cmpuint (spk_network_get_objects (network)->len, ==, 1);
}

/* A network cannot go inside itself, directly or through its own
 * sub-networks. */
static void
test_network_cycle (void)
{
  g_autoptr (SpkNetwork) network = load_ok (nested);
  g_autoptr (GError) error = NULL;
  SpkObject *outer = lookup (network, "outer");
  SpkObject *inner = lookup (network, "inner");

  g_assert_false (spk_object_set_network (outer, inner, &error));
  g_assert_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_CYCLE);
  g_assert_cmpstr (error->message, ==, "network 'outer' cannot go into network 'inner': 'inner' is inside "
                                       "'outer' already, and a network cannot contain itself");
  g_clear_error (&error);
  g_assert_false (spk_object_set_network (outer, outer, &error));
  g_assert_error (error, SPK_MODEL_ERROR, SPK_MODEL_ERROR_CYCLE);
  g_clear_error (&error);
  g_assert_null (spk_object_get_network (outer));
  /* Out of a network and into another is fine. */
  g_assert_true (spk_object_set_network (inner, NULL, &error));
  g_assert_true (spk_object_set_network (outer, inner, &error));
  g_assert_no_error (error);
}

/* Removing a plain network is ungrouping: what is inside moves out into
 * the network around it, and nothing is lost. */
static void
test_remove_plain (void)
{
  g_autoptr (SpkNetwork) network = load_ok (nested);
  guint n = spk_network_get_objects (network)->len;

  spk_network_remove (network, lookup (network, "inner"));
  g_assert_cmpuint (spk_network_get_objects (network)->len, ==, n - 1);
  g_assert_true (spk_object_get_network (lookup (network, "b")) == lookup (network, "outer"));
  spk_network_remove (network, lookup (network, "outer"));
  g_assert_cmpuint (spk_network_get_objects (network)->len, ==, n - 2);
  g_assert_null (spk_object_get_network (lookup (network, "b")));
  g_assert_null (spk_object_get_network (lookup (network, "a")));
}

/* A loop with no synapse through a built-in network's objects names the
 * connection and the networks it is in. */
static void
test_loop_through_networks (void)
{
  g_autoptr (SpkNetwork) network = load_ok (
    "{\"type\": \"network\", \"label\": \"prod\", \"kind\": \"Product\", \"n_neurons\": 10, \"dimensions\": 1},"
    "{\"type\": \"connection\", \"pre\": \"prod.output\", \"post\": \"prod.input_a\", \"synapse\": null}");
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = spk_build (network, &error);

  g_assert_null (plan);
  g_assert_error (error, SPK_BUILD_ERROR, SPK_BUILD_ERROR_CYCLE);
  if (strstr (error->message, "loop with no synapse in it (through connection ") == NULL
      || strstr (error->message, ", and inside the sub-networks 'prod'); give one") == NULL)
    g_error ("unexpected message: %s", error->message);
}

/* Every bad input names the object, the key and what is allowed. */
static void
test_errors (void)
{
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"kind\": \"EnsembleAray\"}",
                       "network 'n': kind: unknown network 'EnsembleAray' — did you mean 'EnsembleArray'?");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"kind\": \"Thing\", \"n_neurons\": 3}",
                       "kind: unknown network 'Thing'; expected one of EnsembleArray, Product, CircularConvolution, "
                       "Integrator, Oscillator, InputGatedMemory, BasalGanglia, Thalamus, AssociativeMemory");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"kind\": \"EnsembleArray\", \"n_ensembles\": 2}",
                       "network 'n': missing \"n_neurons\"");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"kind\": \"Integrator\", \"n_neurons\": 5, "
                       "\"dimensions\": 1, \"recurrent_tau\": -0.1}",
                       "network 'n': \"recurrent_tau\" must be a positive number (got -0.1)");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"kind\": \"Product\", \"n_neurons\": 5, "
                       "\"dimensions\": 1, \"frequency\": 2}",
                       "network 'n': \"frequency\" is not a parameter of Product");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"n_neurons\": 5}",
                       "network 'n': \"n_neurons\" is a parameter of a built-in network; this network has no \"kind\"");
  assert_objects_fail ("{\"type\": \"network\", \"kind\": \"Oscillator\", \"n_neurons\": 5, \"recurrent_tau\": 0.1, \"frequency\": 1}",
                       "a built-in network (Oscillator) needs a label: its objects are named after it");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"kind\": \"EnsembleArray\", \"n_neurons\": -5, "
                       "\"n_ensembles\": 2}",
                       "network 'n'");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"config\": [1]}",
                       "network 'n': \"config\" must be an object of defaults per object type");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"config\": {\"ensembel\": {}}}",
                       "network 'n', config: unknown parameter 'ensembel' — did you mean 'ensemble'?");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"config\": {\"ensemble\": {\"radus\": 2}}}",
                       "network 'n', config.ensemble: unknown parameter 'radus' — did you mean 'radius'?");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"config\": {\"ensemble\": {\"radius\": \"big\"}}}",
                       "network 'n', config.ensemble");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"config\": {\"connection\": {\"pre\": \"x\"}}}",
                       "network 'n', config.connection: \"pre\" cannot have a default: it is one object's own");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"config\": {\"node\": {\"label\": \"x\"}}}",
                       "\"label\" cannot have a default");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"objects\": {\"type\": \"node\"}}",
                       "network 'n': \"objects\" must be a list");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"objects\": [{\"type\": \"node\", \"label\": \"n\"}]}",
                       "node 'n': the label 'n' is already used");
  assert_objects_fail ("{\"type\": \"node\", \"label\": \"ea.input\"},"
                       "{\"type\": \"network\", \"label\": \"ea\", \"kind\": \"EnsembleArray\", \"n_neurons\": 5, "
                       "\"n_ensembles\": 1}",
                       "node 'ea.input': the label 'ea.input' is already used");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"kind\": \"BasalGanglia\"}",
                       "network 'n': missing \"dimensions\"");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"kind\": \"Thalamus\", \"dimensions\": 2, "
                       "\"threshold\": [0.1, 0.2]}",
                       "network 'n': \"threshold\" must be one number");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"kind\": \"Thalamus\", \"dimensions\": 2, "
                       "\"n_neurons_per_ensemble\": 0}",
                       "network 'n': \"n_neurons_per_ensemble\" must be at least 1");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"kind\": \"CircularConvolution\", \"n_neurons\": 5, "
                       "\"dimensions\": 2, \"input_magnitude\": -1}",
                       "network 'n': \"input_magnitude\" must be a positive number (got -1)");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"kind\": \"CircularConvolution\", \"n_neurons\": 5, "
                       "\"dimensions\": 2, \"invert_a\": 1}",
                       "network 'n': invert_a");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"kind\": \"InputGatedMemory\", \"n_neurons\": 5, "
                       "\"dimensions\": 2, \"recurrent_synapse\": \"slow\"}",
                       "network 'n': recurrent_synapse");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"kind\": \"BasalGanglia\", \"dimensions\": 2, "
                       "\"output_weight\": 1e999}",
                       "network 'n'");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"kind\": \"Product\", \"n_neurons\": 5, "
                       "\"dimensions\": 2, \"mutual_inhib\": 2}",
                       "network 'n': \"mutual_inhib\" is not a parameter of Product");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"kind\": \"AssociativeMemory\"}",
                       "network 'n': missing \"input_vectors\"");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"kind\": \"AssociativeMemory\", \"input_vectors\": [1, 2]}",
                       "network 'n': \"input_vectors\" must be a list of vectors (rows of numbers)");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"kind\": \"AssociativeMemory\", "
                       "\"input_vectors\": [[1, 0], [0, 1]], \"output_vectors\": [[1, 0, 0]]}",
                       "network 'n': \"output_vectors\" has 1 vectors; \"input_vectors\" has 2");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"kind\": \"AssociativeMemory\", "
                       "\"input_vectors\": [[1, 0], [0, 1]], \"threshold\": [0.1, 0.2, 0.3]}",
                       "network 'n': \"threshold\" must be one number or one per input vector (2)");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"e\", \"n_neurons\": 5, \"dimensions\": 1, "
                       "\"intercepts\": {\"type\": \"Exponential\", \"shift\": 0.1}}",
                       "ensemble 'e': intercepts: Exponential needs \"scale\"");
  assert_objects_fail ("{\"type\": \"ensemble\", \"label\": \"e\", \"n_neurons\": 5, \"dimensions\": 1, "
                       "\"intercepts\": {\"type\": \"Exponential\", \"scale\": -0.1}}",
                       "ensemble 'e': intercepts: Exponential's \"scale\" must be positive (got -0.1)");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"ea\", \"kind\": \"EnsembleArray\", \"n_neurons\": 5, "
                       "\"n_ensembles\": 2, \"objects\": [{\"type\": \"connection\", \"pre\": \"ea.input[0:1]\", "
                       "\"post\": \"ea.ea_ensembles[0]\", \"pre_slice\": 0}]}",
                       "\"pre_slice\" of an object a built-in network makes cannot be changed");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"ea\", \"kind\": \"EnsembleArray\", \"n_neurons\": 5, "
                       "\"n_ensembles\": 2, \"objects\": [{\"type\": \"ensemble\", \"label\": \"ea.ea_ensembles[0]\", "
                       "\"radius\": \"wide\"}]}",
                       "ensemble 'ea.ea_ensembles[0]'");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"objekts\": []}",
                       "unknown parameter 'objekts' — did you mean 'objects'?");
}

/* The connection from pre to post (labels), which must be the only one. */
static SpkConnection *
connection_between (SpkNetwork *network,
                    const char *pre,
                    const char *post)
{
  GPtrArray *objects = spk_network_get_objects (network);
  SpkConnection *found = NULL;

  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);

      if (SPK_IS_CONNECTION (object)
          && g_strcmp0 (spk_object_get_label (spk_connection_get_pre (SPK_CONNECTION (object))), pre) == 0
          && g_strcmp0 (spk_object_get_label (spk_connection_get_post (SPK_CONNECTION (object))), post) == 0)
        {
          g_assert_null (found);
          found = SPK_CONNECTION (object);
        }
    }
  if (found == NULL)
    g_error ("no connection %s → %s", pre, post);
  return found;
}

static const double *
transform_values (SpkConnection *connection)
{
  SpkDistribution *transform = spk_connection_get_transform (connection);

  g_assert_nonnull (transform);
  g_assert_nonnull (transform->array);
  return transform->array->data;
}

/* BasalGanglia's ampa_synapse/gaba_synapse: Nengo's 2 and 8 ms unless
 * given, null for none; written when not the default. */
static void
test_basal_ganglia_synapses (void)
{
  g_autoptr (SpkNetwork) network = load_ok (
    "{\"type\": \"network\", \"label\": \"bg\", \"kind\": \"BasalGanglia\", \"dimensions\": 2, "
    "\"n_neurons_per_ensemble\": 5, \"ampa_synapse\": null},"
    "{\"type\": \"network\", \"label\": \"bg2\", \"kind\": \"BasalGanglia\", \"dimensions\": 2, "
    "\"n_neurons_per_ensemble\": 5}");
  g_autofree char *text = spk_model_to_data (network, NULL);

  g_assert_null (spk_connection_get_synapse (connection_between (network, "bg.stn.func_stn", "bg.gpi.input")));
  g_assert_null (spk_connection_get_synapse (connection_between (network, "bg.stn.func_stn", "bg.gpe.input")));
  g_assert_cmpfloat (spk_connection_get_synapse (connection_between (network, "bg.gpe.func_gpe", "bg.stn.input"))->tau,
                     ==, 0.008);
  g_assert_cmpfloat (spk_connection_get_synapse (connection_between (network, "bg2.stn.func_stn", "bg2.gpi.input"))->tau,
                     ==, 0.002);
  g_assert_cmpfloat (spk_connection_get_synapse (connection_between (network, "bg2.strD1.func_str", "bg2.gpi.input"))->tau,
                     ==, 0.008);
  g_assert_nonnull (strstr (text, "\"ampa_synapse\": null"));
  g_assert_null (strstr (text, "gaba_synapse"));
  g_free (tu_model_written_twice (network));
}

static const char am_addons[] =
  "{\"type\": \"network\", \"label\": \"am\", \"kind\": \"AssociativeMemory\", "
  "\"input_vectors\": [[1, 0], [0, 1]], \"n_neurons\": 4, \"inhibitable\": true, "
  "\"input_mappings\": [{\"name\": \"alt\", \"input_vectors\": [[0, 1, 0], [1, 0, 0]], \"input_scales\": [1, 0.5]}], "
  "\"output_mappings\": [{\"name\": \"names\", \"output_vectors\": [[1], [2]]}], "
  "\"default_output_vectors\": [{\"output_vector\": [0.5, 0], \"n_neurons\": 3, \"min_activation_value\": 0.4}, "
  "                             {\"output_vector\": [1], \"output_name\": \"names\"}], "
  "\"wta_network\": {\"inhibit_scale\": 2}, "
  "\"threshold_outputs\": {\"n_neurons\": 6, \"inhibit_scale\": 8}},"
  "{\"type\": \"probe\", \"label\": \"p\", \"target\": \"am.thresholded_utilities\"}";

/* AssociativeMemory's add-ons make Nengo's objects under Nengo's names
 * (the numbers against Nengo: the associative-memory-addons and
 * -threshold cases). */
static void
test_associative_memory_addons (void)
{
  g_autoptr (SpkNetwork) network = load_ok (am_addons);
  g_autofree char *text = spk_model_to_data (network, NULL);

  g_assert_cmpuint (spk_node_get_size_in (SPK_NODE (lookup (network, "am.alt"))), ==, 3);
  g_assert_cmpuint (spk_node_get_size_in (SPK_NODE (lookup (network, "am.names"))), ==, 1);
  g_assert_cmpint (spk_ensemble_get_n_neurons (SPK_ENSEMBLE (lookup (network, "am.default_output_vector"))), ==, 3);
  g_assert_cmpint (spk_ensemble_get_n_neurons (SPK_ENSEMBLE (lookup (network, "am.default_names_vector"))), ==, 50);
  g_assert_cmpint (spk_ensemble_get_n_neurons (SPK_ENSEMBLE (lookup (network, "am.thresh_ens.ea_ensembles[1]"))), ==, 6);
  g_assert_true (SPK_IS_SUBNETWORK (lookup (network, "am.thresh_bias")));
  g_assert_true (spk_probe_get_target (SPK_PROBE (lookup (network, "p"))) == lookup (network, "am.thresh_ens.output"));
  /* The scaled vectors in, −1/min_activation_value from the thresholded
   * utilities, the WTA's (I − 1)·2 and the threshold's inhibition. */
  g_assert_cmpfloat (transform_values (connection_between (network, "am.alt", "am.elem_input"))[3], ==, 0.5);
  g_assert_cmpfloat (transform_values (connection_between (network, "am.thresh_ens.output",
                                                           "am.default_output_vector"))[1], ==, -2.5);
  g_assert_cmpfloat (spk_connection_get_synapse (connection_between (network, "am.thresh_ens.output",
                                                                      "am.default_output_vector"))->tau, ==, 0.005);
  g_assert_null (spk_connection_get_synapse (connection_between (network, "am.thresh_ens.output", "am.names")));
  g_assert_cmpfloat (transform_values (connection_between (network, "am.elem_output", "am.elem_input"))[0], ==, 0);
  g_assert_cmpfloat (transform_values (connection_between (network, "am.elem_output", "am.elem_input"))[1], ==, -2);
  g_assert_cmpfloat (spk_connection_get_synapse (connection_between (network, "am.elem_output", "am.elem_input"))->tau,
                     ==, 0.005);
  connection_between (network, "am.inhibit", "am.thresh_ens.ea_ensembles[0]");
  connection_between (network, "am.inhibit", "am.default_names_vector");
  g_assert_nonnull (strstr (text, "\"wta_network\": {\"inhibit_scale\": 2}"));
  g_free (tu_model_written_twice (network));
}

/* An add-on set from the inspector remakes the network; a bad one is
 * refused with the loader's message and changes nothing. */
static void
test_associative_memory_set_addon (void)
{
  g_autoptr (SpkNetwork) network = load_ok (
    "{\"type\": \"network\", \"label\": \"am\", \"kind\": \"AssociativeMemory\", \"input_vectors\": [[1, 0], [0, 1]], "
    "\"n_neurons\": 4}");
  g_autoptr (GError) error = NULL;
  g_auto (GValue) v = G_VALUE_INIT;
  guint n = spk_network_get_objects (network)->len;

  g_value_init (&v, JSON_TYPE_NODE);
  g_value_take_boxed (&v, json_from_string ("{\"inhibit_scale\": 3}", NULL));
  g_assert_true (spk_model_set_network_param (network, SPK_SUBNETWORK (lookup (network, "am")), "wta-network", &v,
                                              &error));
  g_assert_no_error (error);
  g_assert_cmpuint (spk_network_get_objects (network)->len, ==, n + 1);
  g_assert_cmpfloat (transform_values (connection_between (network, "am.elem_output", "am.elem_input"))[1], ==, -3);
  g_value_take_boxed (&v, json_from_string ("[{\"name\": \"output\", \"output_vectors\": [[1], [0]]}]", NULL));
  g_assert_false (spk_model_set_network_param (network, SPK_SUBNETWORK (lookup (network, "am")), "output-mappings",
                                               &v, &error));
  g_assert_error (error, SPK_IO_ERROR, SPK_IO_ERROR_VALUE);
  g_assert_cmpstr (error->message, ==,
                   "network 'am': output_mappings[0]: the name 'output' is already used in the associative memory");
  g_assert_cmpuint (spk_network_get_objects (network)->len, ==, n + 1);
}

static void
test_associative_memory_addon_errors (void)
{
  static const struct { const char *addons; const char *message; } cases[] = {
    { "\"input_mappings\": {\"name\": \"x\"}", "network 'n': \"input_mappings\" must be a list of objects" },
    { "\"input_mappings\": [3]", "network 'n': input_mappings[0] must be an object" },
    { "\"input_mappings\": [{\"name\": \"x\"}]", "network 'n': input_mappings[0]: missing \"input_vectors\"" },
    { "\"input_mappings\": [{\"name\": \"x\", \"input_vectors\": [[1], [2]], \"scales\": 2}]",
      "network 'n': input_mappings[0]: unknown parameter 'scales'" },
    { "\"input_mappings\": [{\"name\": \"2x\", \"input_vectors\": [[1], [2]]}]",
      "network 'n': input_mappings[0]: the name '2x' is not a Python name (letters, digits and _, not starting with a "
      "digit)" },
    { "\"input_mappings\": [{\"name\": \"inhibit\", \"input_vectors\": [[1], [2]]}]",
      "network 'n': input_mappings[0]: the name 'inhibit' is already used in the associative memory" },
    { "\"input_mappings\": [{\"name\": \"x\", \"input_vectors\": [[1], [2], [3]]}]",
      "network 'n': input_mappings[0].input_vectors has 3 vectors; \"input_vectors\" has 2" },
    { "\"input_mappings\": [{\"name\": \"x\", \"input_vectors\": [1, 2]}]",
      "network 'n': input_mappings[0].input_vectors must be a list of vectors (rows of numbers)" },
    { "\"input_mappings\": [{\"name\": \"x\", \"input_vectors\": [[1], [2]], \"input_scales\": [1, 2, 3]}]",
      "network 'n': input_mappings[0].input_scales must be one number or one per input vector (2)" },
    { "\"input_mappings\": [{\"name\": \"x\", \"input_vectors\": [[1], [2]]}], "
      "\"output_mappings\": [{\"name\": \"x\", \"output_vectors\": [[1], [2]]}]",
      "network 'n': output_mappings[0]: the name 'x' is already used in the associative memory" },
    { "\"output_mappings\": [{\"name\": \"y\"}]", "network 'n': output_mappings[0]: missing \"output_vectors\"" },
    { "\"output_mappings\": [{\"name\": 5, \"output_vectors\": [[1], [2]]}]", "network 'n': output_mappings[0].name" },
    { "\"default_output_vectors\": [{\"output_vector\": [1, 0], \"output_name\": \"nowhere\"}]",
      "network 'n': default_output_vectors[0]: \"output_name\" 'nowhere' is not an output; expected output or the "
      "name of one of \"output_mappings\"" },
    { "\"default_output_vectors\": [{\"output_vector\": [1, 0, 0]}]",
      "network 'n': default_output_vectors[0].output_vector has 3 numbers; the output 'output' has 2 dimensions" },
    { "\"default_output_vectors\": [{\"output_vector\": [1, 0]}, {\"output_vector\": [0, 1]}]",
      "network 'n': default_output_vectors[1]: the output 'output' already has a default vector" },
    { "\"default_output_vectors\": [{\"output_vector\": [1, 0], \"n_neurons\": -3}]",
      "network 'n': default_output_vectors[0].n_neurons must be at least 1 (got -3)" },
    { "\"default_output_vectors\": [{\"output_vector\": [1, 0], \"min_activation_value\": 0}]",
      "network 'n': default_output_vectors[0].min_activation_value must not be 0 (the inhibition is 1 / it)" },
    { "\"output_mappings\": [{\"name\": \"default_output_vector\", \"output_vectors\": [[1], [2]]}], "
      "\"default_output_vectors\": [{\"output_vector\": [1, 0]}]",
      "network 'n': default_output_vectors[0]: the name of its ensemble, 'default_output_vector', is already used in "
      "the associative memory" },
    { "\"wta_network\": true", "network 'n': \"wta_network\" must be an object ({} for Nengo's defaults) or null" },
    { "\"wta_network\": {\"inhibit_scale\": \"big\"}", "network 'n': wta_network.inhibit_scale must be a number" },
    { "\"wta_network\": {\"inhibit_synapse\": -1}", "network 'n': wta_network.inhibit_synapse" },
    { "\"wta_network\": {\"scale\": 1}", "network 'n': wta_network: unknown parameter 'scale'" },
    { "\"threshold_outputs\": {\"n_neurons\": 0}", "network 'n': threshold_outputs.n_neurons must be at least 1 (got 0)" },
    { "\"threshold_outputs\": [1]",
      "network 'n': \"threshold_outputs\" must be an object ({} for Nengo's defaults) or null" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *objects = g_strdup_printf ("{\"type\": \"network\", \"label\": \"n\", \"kind\": "
                                                  "\"AssociativeMemory\", \"input_vectors\": [[1, 0], [0, 1]], %s}",
                                                  cases[i].addons);

      assert_objects_fail (objects, cases[i].message);
    }
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"kind\": \"Thalamus\", \"dimensions\": 2, "
                       "\"ampa_synapse\": 0.1}",
                       "network 'n': \"ampa_synapse\" is not a parameter of Thalamus");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"kind\": \"BasalGanglia\", \"dimensions\": 2, "
                       "\"gaba_synapse\": {\"type\": \"Lowpass\"}}",
                       "network 'n': gaba_synapse");
  assert_objects_fail ("{\"type\": \"network\", \"label\": \"n\", \"kind\": \"AssociativeMemory\", "
                       "\"input_vectors\": null}",
                       "network 'n': \"input_vectors\" must be a list of vectors (rows of numbers)");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  tu_add_nengo_cases ("networks", nengo_cases, G_N_ELEMENTS (nengo_cases), 1e-9, TRUE);
  g_test_add_func ("/spk/networks/nesting-and-config", test_nesting_and_config);
  g_test_add_func ("/spk/networks/round-trip", test_round_trip);
  g_test_add_func ("/spk/networks/kind-defaults", test_kind_defaults);
  g_test_add_func ("/spk/networks/kinds-table", test_kinds_table);
  g_test_add_func ("/spk/networks/changes-inside", test_changes_inside);
  g_test_add_func ("/spk/networks/renamed-inside", test_renamed_inside);
  g_test_add_func ("/spk/networks/set-param", test_set_param);
  g_test_add_func ("/spk/networks/seeds", test_seeds);
  g_test_add_func ("/spk/networks/add-object-json", test_add_object_json);
  g_test_add_func ("/spk/networks/cycle", test_network_cycle);
  g_test_add_func ("/spk/networks/remove-plain", test_remove_plain);
  g_test_add_func ("/spk/networks/loop-through-networks", test_loop_through_networks);
  g_test_add_func ("/spk/networks/errors", test_errors);
  g_test_add_func ("/spk/networks/basal-ganglia-synapses", test_basal_ganglia_synapses);
  g_test_add_func ("/spk/networks/associative-memory-addons", test_associative_memory_addons);
  g_test_add_func ("/spk/networks/associative-memory-set-addon", test_associative_memory_set_addon);
  g_test_add_func ("/spk/networks/associative-memory-addon-errors", test_associative_memory_addon_errors);
  return g_test_run ();
}
