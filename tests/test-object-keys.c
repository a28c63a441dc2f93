/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-object-keys.c — the keys of unlabelled objects ("connection1",
 * "ensemble0") and "#N" targets name the same objects after a save and
 * reload.
 *
 * A model file writes each network's objects nested inside it, so a
 * reloaded model lists its objects in the file's order; a model edited in
 * memory (objects moved into networks after others were added) may list
 * them otherwise.  Keys and "#N" count in the file's order
 * (spk_network_dup_file_order()), so trained weights, the builder's seeds
 * and targets stay with their objects; spk_network_rekey_params() carries
 * parameters across an edit that renumbers keys.
 */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "builder/spk-plan.h"
#include "core/spk-array.h"
#include "io/spk-model-json.h"
#include "io/spk-session.h"
#include "model/spk-subnetwork.h"
#include "spk-test-util.h"

/* A flat model: networks outer ⊃ inner, ensembles a, b, c, d and one
 * unlabelled (4 neurons each), unlabelled neuron-to-neuron connections
 * with sampled transforms (their seeds come from their keys) and one
 * into the unlabelled ensemble by "#6". */
static const char model_text[] =
  "{\"format\": \"spikeworks-model\", \"version\": 6, \"network\": {\"seed\": 5, \"dtype\": \"float64\"},"
  " \"objects\": ["
  "  {\"type\": \"network\", \"label\": \"outer\", \"objects\": [{\"type\": \"network\", \"label\": \"inner\"}]},"
  "  {\"type\": \"ensemble\", \"label\": \"a\", \"n_neurons\": 4, \"dimensions\": 1},"
  "  {\"type\": \"ensemble\", \"label\": \"b\", \"n_neurons\": 4, \"dimensions\": 1},"
  "  {\"type\": \"ensemble\", \"label\": \"c\", \"n_neurons\": 4, \"dimensions\": 1},"
  "  {\"type\": \"ensemble\", \"label\": \"d\", \"n_neurons\": 4, \"dimensions\": 1},"
  "  {\"type\": \"ensemble\", \"n_neurons\": 4, \"dimensions\": 1},"
  "  {\"type\": \"connection\", \"pre\": \"a.neurons\", \"post\": \"b.neurons\","
  "   \"transform\": {\"type\": \"Uniform\", \"low\": -1, \"high\": 1}},"
  "  {\"type\": \"connection\", \"pre\": \"c.neurons\", \"post\": \"d.neurons\","
  "   \"transform\": {\"type\": \"Uniform\", \"low\": -1, \"high\": 1}},"
  "  {\"type\": \"connection\", \"pre\": \"b.neurons\", \"post\": \"c.neurons\","
  "   \"transform\": {\"type\": \"Uniform\", \"low\": -1, \"high\": 1}},"
  "  {\"type\": \"connection\", \"pre\": \"a.neurons\", \"post\": \"#6.neurons\","
  "   \"transform\": {\"type\": \"Uniform\", \"low\": -1, \"high\": 1}}]}";

static SpkObject *
nth (SpkNetwork *net,
     guint       i)
{
  return g_ptr_array_index (spk_network_get_objects (net), i);
}

static void
move_into (SpkObject  *object,
           SpkNetwork *net,
           const char *network)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (spk_object_set_network (object, spk_network_lookup (net, network), &error));
  g_assert_no_error (error);
}

/* The model above, then grouped as a user might: c, d into outer, the
 * unlabelled ensemble and the c → d connection into inner.  The list
 * keeps its order; the file's order is now another. */
static SpkNetwork *
grouped_model (void)
{
  g_autoptr (GError) error = NULL;
  SpkNetwork *net = spk_model_load_data (model_text, -1, &error);

  g_assert_no_error (error);
  move_into (nth (net, 4), net, "outer");   /* c */
  move_into (nth (net, 5), net, "outer");   /* d */
  move_into (nth (net, 6), net, "inner");   /* the unlabelled ensemble */
  move_into (nth (net, 8), net, "inner");   /* c → d */
  return net;
}

/* The connection from pre to post (by their keys). */
static SpkConnection *
find_connection (SpkNetwork *net,
                 const char *pre,
                 const char *post)
{
  g_autoptr (GHashTable) keys = spk_network_dup_keys (net);
  GPtrArray *objects = spk_network_get_objects (net);

  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);

      if (SPK_IS_CONNECTION (object)
          && g_strcmp0 (g_hash_table_lookup (keys, spk_connection_get_pre (SPK_CONNECTION (object))), pre) == 0
          && g_strcmp0 (g_hash_table_lookup (keys, spk_connection_get_post (SPK_CONNECTION (object))), post) == 0)
        return SPK_CONNECTION (object);
    }
  g_error ("no connection %s → %s", pre, post);
  return NULL;
}

static char *
weights_key (SpkNetwork *net,
             const char *pre,
             const char *post)
{
  g_autofree char *key = spk_network_dup_key (net, SPK_OBJECT (find_connection (net, pre, post)));

  return g_strconcat (key, "/weights", NULL);
}

static void
assert_same_params (SpkPlan *a,
                    SpkPlan *b)
{
  g_auto (GStrv) names = spk_plan_list_params (a);
  g_auto (GStrv) names_b = spk_plan_list_params (b);

  g_assert_cmpuint (g_strv_length (names), ==, g_strv_length (names_b));
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr (SpkArray) x = spk_plan_dup_param (a, names[i]);
      g_autoptr (SpkArray) y = spk_plan_dup_param (b, names[i]);

      g_assert_cmpstr (names[i], ==, names_b[i]);
      g_assert_nonnull (y);
      g_assert_cmpuint (x->size, ==, y->size);
      if (memcmp (x->data, y->data, x->size * sizeof (double)) != 0)
        g_error ("%s differs between the model and its reloaded copy", names[i]);
    }
}

/* Every object keeps its key through a save and reload, and the file's
 * order is what a reloaded model lists. */
static void
test_keys_survive_reload (void)
{
  g_autoptr (SpkNetwork) net = grouped_model ();
  g_autoptr (GPtrArray) order = spk_network_dup_file_order (net);
  g_autoptr (GHashTable) keys = spk_network_dup_keys (net);
  g_autofree char *text = spk_model_to_data (net, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) back = spk_model_load_data (text, -1, &error);
  g_autoptr (GHashTable) back_keys = NULL;
  GPtrArray *listed;

  g_assert_no_error (error);
  back_keys = spk_network_dup_keys (back);
  listed = spk_network_get_objects (back);
  g_assert_cmpuint (listed->len, ==, order->len);
  for (guint i = 0; i < order->len; i++)
    {
      SpkObject *was = g_ptr_array_index (order, i), *is = g_ptr_array_index (listed, i);

      g_assert_cmpstr (spk_object_get_type_name (was), ==, spk_object_get_type_name (is));
      g_assert_cmpstr (g_hash_table_lookup (keys, was), ==, g_hash_table_lookup (back_keys, is));
    }
  /* The list keeps the order of additions; the file's order differs. */
  g_assert_true (g_ptr_array_index (order, 2) == nth (net, 6));
  g_assert_cmpstr (g_hash_table_lookup (keys, nth (net, 6)), ==, "ensemble0");
  g_assert_cmpstr (g_hash_table_lookup (keys, nth (net, 8)), ==, "connection0");
  g_assert_cmpstr (g_hash_table_lookup (keys, nth (net, 7)), ==, "connection1");
  /* "#N" names the unlabelled ensemble by its place in the file. */
  g_assert_nonnull (strstr (text, "\"#2.neurons\""));
  {
    SpkConnection *into = find_connection (back, "a", "ensemble0");
    SpkObject *post = spk_connection_get_post (into);

    g_assert_true (SPK_IS_ENSEMBLE (post));
    g_assert_null (spk_object_get_label (post));
    g_assert_cmpstr (spk_object_get_label (spk_object_get_network (post)), ==, "inner");
  }
  /* The same plan: the same seeds for the sampled transforms and the
   * same order of sums. */
  {
    g_autoptr (SpkPlan) plan = spk_build (net, &error);
    g_autoptr (SpkPlan) plan_back = NULL;

    g_assert_no_error (error);
    plan_back = spk_build (back, &error);
    g_assert_no_error (error);
    assert_same_params (plan, plan_back);
  }
}

/* Weights saved in a session for one connection (here a → b, whose key
 * the grouping changed) come back on the connection with those ends. */
static void
test_saved_weights_stay (void)
{
  g_autoptr (SpkNetwork) net = grouped_model ();
  g_autofree char *key_ab = weights_key (net, "a", "b");
  g_autoptr (GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) spk_array_unref);
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkPlan) plan = NULL;
  g_autoptr (SpkSession) session = NULL, loaded = NULL;
  g_autofree char *dir = g_dir_make_tmp ("spk-object-keys-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "keys.spkw", NULL);
  SpkArray *weights = spk_array_new (2, 4, 4);
  SpkNetwork *back;
  SpkPlan *plan_back;

  for (guint i = 0; i < 16; i++)
    weights->data[i] = 0.125 * i - 1.0;
  g_hash_table_insert (params, g_strdup (key_ab), weights);
  plan = spk_build_with_params (net, params, &error);
  g_assert_no_error (error);

  session = spk_session_new (net);
  spk_session_set_plan (session, plan);
  g_assert_true (spk_session_save (session, path, &error));
  g_assert_no_error (error);
  loaded = spk_session_load (path, &error);
  g_assert_no_error (error);
  back = spk_session_get_network (loaded);
  plan_back = spk_session_get_plan (loaded);
  g_assert_nonnull (plan_back);
  {
    g_autofree char *key_back = weights_key (back, "a", "b");
    g_autofree char *key_cd = weights_key (back, "c", "d");
    g_autoptr (SpkArray) got = spk_plan_dup_param (plan_back, key_back);
    g_autoptr (SpkArray) other = spk_plan_dup_param (plan_back, key_cd);

    g_assert_nonnull (got);
    g_assert_cmpuint (got->size, ==, 16);
    g_assert_cmpmem (got->data, 16 * sizeof (double), weights->data, 16 * sizeof (double));
    g_assert_nonnull (other);
    g_assert_true (memcmp (other->data, weights->data, 16 * sizeof (double)) != 0);
  }
  assert_same_params (plan, plan_back);

  g_remove (path);
  g_rmdir (dir);
}

/* An edit that renumbers keys (objects moved into a network, one removed
 * before others): the parameters move with their objects, and those of
 * the removed one go. */
static void
test_rekey_params (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_model_load_data (model_text, -1, &error);
  g_autoptr (GHashTable) then = NULL;
  g_autoptr (GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) spk_array_unref);
  g_autoptr (GHashTable) moved = NULL;
  g_autofree char *key_cd = NULL, *key_ab = NULL, *key_cd_now = NULL, *gain = NULL, *gain_now = NULL;
  g_autofree char *key = NULL;
  SpkArray *weights = spk_array_new (2, 4, 4), *removed_weights = spk_array_new (2, 4, 4);
  SpkArray *gains = spk_array_new (1, 4, 1);
  SpkObject *unlabelled;

  g_assert_no_error (error);
  unlabelled = nth (net, 6);
  key_cd = weights_key (net, "c", "d");
  key_ab = weights_key (net, "a", "b");
  g_assert_cmpstr (key_cd, ==, "connection1/weights");
  key = spk_network_dup_key (net, unlabelled);
  gain = g_strconcat (key, "/gain", NULL);
  g_assert_cmpstr (gain, ==, "ensemble4/gain");
  g_hash_table_insert (params, g_strdup (key_cd), weights);
  g_hash_table_insert (params, g_strdup (key_ab), removed_weights);
  g_hash_table_insert (params, g_strdup (gain), gains);
  g_hash_table_insert (params, g_strdup ("nobody/weights"), spk_array_new (1, 1, 1));
  then = spk_network_dup_keys (net);

  move_into (nth (net, 8), net, "inner");
  move_into (unlabelled, net, "inner");
  spk_network_remove (net, SPK_OBJECT (find_connection (net, "a", "b")));
  moved = spk_network_rekey_params (net, params, then);

  key_cd_now = weights_key (net, "c", "d");
  g_free (key);
  key = spk_network_dup_key (net, unlabelled);
  gain_now = g_strconcat (key, "/gain", NULL);
  g_assert_cmpstr (key_cd_now, ==, "connection0/weights");
  g_assert_cmpstr (gain_now, ==, "ensemble0/gain");
  g_assert_true (g_hash_table_lookup (moved, key_cd_now) == weights);
  g_assert_true (g_hash_table_lookup (moved, gain_now) == gains);
  g_assert_nonnull (g_hash_table_lookup (moved, "nobody/weights"));
  g_assert_cmpuint (g_hash_table_size (moved), ==, 3);
}

/* Probe k of a model whose first objects are a network and the nodes
 * inside it, the node of output k at "#(k + 1)", targets its node. */
static void
assert_probes_on_their_nodes (SpkNetwork *net,
                              guint       n)
{
  GPtrArray *objects = spk_network_get_objects (net);

  g_assert_cmpuint (objects->len, ==, 2 * n + 1);
  for (guint k = 0; k < n; k++)
    {
      SpkProbe *probe = SPK_PROBE (g_ptr_array_index (objects, n + 1 + k));
      SpkObject *target = spk_probe_get_target (probe);

      g_assert_true (SPK_IS_NODE (target));
      g_assert_cmpfloat (spk_node_get_output_value (SPK_NODE (target))->data[0], ==, k);
    }
}

/* Thousands of "#N" targets read, write and go through a session in time
 * linear in the objects: each used to walk every object (the file order
 * found again per target, HDF5's links looked up by index), so a file of
 * this size took minutes (and meson's time limit ends a regression). */
static void
test_many_unlabelled_targets (void)
{
  const guint n = 20000;
  g_autoptr (GString) text = g_string_new ("{\"format\": \"spikeworks-model\", \"version\": 7, \"objects\": ["
                                           "{\"type\": \"network\", \"label\": \"net\", \"objects\": [");
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = NULL, back = NULL;
  g_autoptr (SpkSession) session = NULL, loaded = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *dir = g_dir_make_tmp ("spk-object-keys-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "many.spkw", NULL);

  for (guint k = 0; k < n; k++)
    g_string_append_printf (text, "%s{\"type\": \"node\", \"output\": [%u]}", k ? ", " : "", k);
  g_string_append (text, "]}");
  for (guint k = 0; k < n; k++)
    g_string_append_printf (text, ", {\"type\": \"probe\", \"target\": \"#%u\"}", k + 1);
  g_string_append (text, "]}");

  net = spk_model_load_data (text->str, -1, &error);
  g_assert_no_error (error);
  assert_probes_on_their_nodes (net, n);
  saved = spk_model_to_data (net, NULL);
  g_assert_nonnull (strstr (saved, "\"#20000\""));
  back = spk_model_load_data (saved, -1, &error);
  g_assert_no_error (error);
  assert_probes_on_their_nodes (back, n);

  session = spk_session_new (net);
  g_assert_true (spk_session_save (session, path, &error));
  g_assert_no_error (error);
  loaded = spk_session_load (path, &error);
  g_assert_no_error (error);
  assert_probes_on_their_nodes (spk_session_get_network (loaded), n);
  g_remove (path);
  g_rmdir (dir);
}

/* A label wins over a position: "#1" names the object labelled "#1",
 * not the unlabelled one at position 1, before and after a save. */
static void
test_label_before_position (void)
{
  static const char text[] =
    "{\"format\": \"spikeworks-model\", \"version\": 7, \"objects\": ["
    " {\"type\": \"node\", \"label\": \"#1\", \"output\": [7]},"
    " {\"type\": \"node\", \"output\": [9]},"
    " {\"type\": \"probe\", \"label\": \"p\", \"target\": \"#1\"}]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (SpkNetwork) net = spk_model_load_data (text, -1, &error);
  g_autoptr (SpkNetwork) back = NULL;
  g_autofree char *saved = NULL;
  GPtrArray *objects;

  g_assert_no_error (error);
  objects = spk_network_get_objects (net);
  g_assert_true (spk_probe_get_target (SPK_PROBE (g_ptr_array_index (objects, 2))) == g_ptr_array_index (objects, 0));
  saved = spk_model_to_data (net, NULL);
  back = spk_model_load_data (saved, -1, &error);
  g_assert_no_error (error);
  objects = spk_network_get_objects (back);
  g_assert_true (spk_probe_get_target (SPK_PROBE (g_ptr_array_index (objects, 2))) == g_ptr_array_index (objects, 0));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/object-keys/survive-reload", test_keys_survive_reload);
  g_test_add_func ("/spk/object-keys/saved-weights-stay", test_saved_weights_stay);
  g_test_add_func ("/spk/object-keys/rekey-params", test_rekey_params);
  g_test_add_func ("/spk/object-keys/many-unlabelled-targets", test_many_unlabelled_targets);
  g_test_add_func ("/spk/object-keys/label-before-position", test_label_before_position);
  return g_test_run ();
}
