/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window-params.c — the workbench's saved or trained parameters stay
 * with their objects when an edit renumbers the keys of unlabelled ones
 * (docs/model-format.md, *Keys of unlabelled objects*): a session whose
 * a → b connection has saved weights is opened, the b → c connection is
 * moved into a network written before it (so the two connections swap
 * keys), and the parameters still give a → b the saved weights and
 * b → c its own.
 */
#include <string.h>

#include <glib/gstdio.h>

#include "builder/spk-plan.h"
#include "core/spk-array.h"
#include "io/spk-model-json.h"
#include "io/spk-session.h"
#include "spk-ui-test-util.h"
#include "ui/shell/spk-window.h"

static const char model_text[] =
  "{\"format\": \"spikeworks-model\", \"version\": 6, \"network\": {\"seed\": 5},"
  " \"objects\": ["
  "  {\"type\": \"network\", \"label\": \"grp\"},"
  "  {\"type\": \"ensemble\", \"label\": \"a\", \"n_neurons\": 4, \"dimensions\": 1},"
  "  {\"type\": \"ensemble\", \"label\": \"b\", \"n_neurons\": 4, \"dimensions\": 1},"
  "  {\"type\": \"ensemble\", \"label\": \"c\", \"n_neurons\": 4, \"dimensions\": 1},"
  "  {\"type\": \"connection\", \"pre\": \"a.neurons\", \"post\": \"b.neurons\", \"transform\": 0.5},"
  "  {\"type\": \"connection\", \"pre\": \"b.neurons\", \"post\": \"c.neurons\", \"transform\": 0.5}]}";

static SpkConnection *
connection_from (SpkNetwork *net,
                 const char *pre)
{
  GPtrArray *objects = spk_network_get_objects (net);

  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);

      if (SPK_IS_CONNECTION (object)
          && g_strcmp0 (spk_object_get_label (spk_connection_get_pre (SPK_CONNECTION (object))), pre) == 0)
        return SPK_CONNECTION (object);
    }
  g_error ("no connection from %s", pre);
  return NULL;
}

/* The window's parameter for the connection from pre's weights. */
static SpkArray *
weights_of (SpkWindow  *window,
            const char *pre)
{
  SpkNetwork *net = spk_window_get_network (window);
  g_autofree char *key = spk_network_dup_key (net, SPK_OBJECT (connection_from (net, pre)));
  g_autofree char *name = g_strconcat (key, "/weights", NULL);

  return g_hash_table_lookup (spk_window_get_params (window), name);
}

static void
test_params_follow_objects (void)
{
  g_autofree char *dir = g_dir_make_tmp ("spk-window-params-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "saved.spkw", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  static const double saved[] = { -1.5, 2.5, 0.25, 4 };
  g_autoptr (SpkArray) own = NULL;   /* b → c's saved weights */
  SpkWindow *window;
  SpkNetwork *net;
  SpkArray *weights;

  {
    g_autoptr (SpkNetwork) model = spk_model_load_data (model_text, -1, &error);
    g_autoptr (GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           (GDestroyNotify) spk_array_unref);
    g_autoptr (SpkPlan) plan = NULL;
    g_autoptr (SpkSession) session = NULL;
    SpkArray *array = spk_array_new (1, 4, 1);

    g_assert_no_error (error);
    memcpy (array->data, saved, sizeof saved);
    g_hash_table_insert (params, g_strdup ("connection0/weights"), array);
    plan = spk_build_with_params (model, params, &error);
    g_assert_no_error (error);
    own = spk_plan_dup_param (plan, "connection1/weights");
    g_assert_nonnull (own);
    session = spk_session_new (model);
    spk_session_set_plan (session, plan);
    g_assert_true (spk_session_save (session, path, &error));
    g_assert_no_error (error);
  }

  window = ut_window_new_drawn (NULL);
  g_assert_true (spk_window_open_file (window, file, &error));
  g_assert_no_error (error);
  ut_drain ();
  net = spk_window_get_network (window);
  weights = weights_of (window, "a");
  g_assert_nonnull (weights);
  g_assert_cmpmem (weights->data, sizeof saved, saved, sizeof saved);

  /* b → c into grp: it becomes connection0, a → b connection1. */
  g_assert_true (spk_object_set_network (SPK_OBJECT (connection_from (net, "b")),
                                         spk_network_lookup (net, "grp"), &error));
  g_assert_no_error (error);
  spk_window_validate_now (window);
  g_assert_null (spk_window_get_run_blocker (window));
  {
    g_autofree char *key = spk_network_dup_key (net, SPK_OBJECT (connection_from (net, "a")));

    g_assert_cmpstr (key, ==, "connection1");
  }
  weights = weights_of (window, "a");
  g_assert_nonnull (weights);
  g_assert_cmpmem (weights->data, sizeof saved, saved, sizeof saved);
  /* b → c keeps its own saved weights, not a → b's. */
  weights = weights_of (window, "b");
  g_assert_nonnull (weights);
  g_assert_cmpmem (weights->data, weights->size * sizeof (double), own->data, own->size * sizeof (double));

  ut_window_free (window);
  g_remove (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  ut_init (&argc, &argv);
  g_test_add_func ("/spk/window-params/follow-objects", test_params_follow_objects);
  return g_test_run ();
}
