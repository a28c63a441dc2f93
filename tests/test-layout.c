/* test-layout.c — SpkLayout: positions, "changed" notifications, and the
 * a{s(dd)} serialisation sessions store, applied back by label. */
#include <gtk/gtk.h>

#include "examples/spk-examples.h"
#include "ui/graph/spk-layout.h"

static void
count_cb (SpkLayout *layout,
          SpkObject *object,
          guint     *count)
{
  (*count)++;
}

static void
test_positions (void)
{
  g_autoptr (SpkLayout) layout = spk_layout_new ();
  g_autoptr (SpkNode) node = spk_node_new ();
  guint changed = 0;
  double x = -1, y = -1;

  g_signal_connect (layout, "changed", G_CALLBACK (count_cb), &changed);
  g_assert_false (spk_layout_get_position (layout, SPK_OBJECT (node), &x, &y));
  spk_layout_set_position (layout, SPK_OBJECT (node), 12.5, -3);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_true (spk_layout_get_position (layout, SPK_OBJECT (node), &x, &y));
  g_assert_cmpfloat (x, ==, 12.5);
  g_assert_cmpfloat (y, ==, -3);
  /* An unchanged position is no change. */
  spk_layout_set_position (layout, SPK_OBJECT (node), 12.5, -3);
  g_assert_cmpuint (changed, ==, 1);
  spk_layout_set_position (layout, SPK_OBJECT (node), 13, -3);
  g_assert_cmpuint (changed, ==, 2);
  /* Removal is a change too, and only once. */
  spk_layout_remove (layout, SPK_OBJECT (node));
  g_assert_cmpuint (changed, ==, 3);
  spk_layout_remove (layout, SPK_OBJECT (node));
  g_assert_cmpuint (changed, ==, 3);
  g_assert_false (spk_layout_get_position (layout, SPK_OBJECT (node), NULL, NULL));
  g_assert_finalize_object (g_steal_pointer (&layout));
  g_assert_finalize_object (g_steal_pointer (&node));
}

static void
test_round_trip (void)
{
  g_autoptr (SpkNetwork) net = spk_example_new ("communication-channel", NULL);
  g_autoptr (SpkNetwork) again = spk_example_new ("communication-channel", NULL);
  g_autoptr (SpkLayout) layout = spk_layout_new ();
  g_autoptr (SpkLayout) loaded = spk_layout_new ();
  g_autoptr (GVariant) saved = NULL;
  g_autoptr (GVariant) resaved = NULL;
  GPtrArray *objects = spk_network_get_objects (net);
  guint placed = 0;

  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);

      spk_layout_set_position (layout, object, 100.25 * i, -7.0 / (i + 1));
      if (spk_object_get_label (object) != NULL)
        placed++;
    }
  saved = g_variant_ref_sink (spk_layout_serialize (layout));
  g_assert_true (g_variant_is_of_type (saved, G_VARIANT_TYPE ("a{s(dd)}")));
  /* Only labelled objects are saved (connections are unlabelled here). */
  g_assert_cmpuint (g_variant_n_children (saved), ==, placed);
  g_assert_cmpuint (placed, ==, 6);

  /* Applied to a fresh copy of the network, every label finds its place,
   * exactly. */
  spk_layout_apply (loaded, g_variant_ref (saved), spk_network_get_objects (again));
  for (guint i = 0; i < objects->len; i++)
    {
      SpkObject *object = g_ptr_array_index (objects, i);
      const char *label = spk_object_get_label (object);
      double x0, y0, x1, y1;

      if (label == NULL)
        continue;
      g_assert_true (spk_layout_get_position (layout, object, &x0, &y0));
      g_assert_true (spk_layout_get_position (loaded, spk_network_lookup (again, label), &x1, &y1));
      g_assert_cmpfloat (x0, ==, x1);
      g_assert_cmpfloat (y0, ==, y1);
    }
  resaved = g_variant_ref_sink (spk_layout_serialize (loaded));
  g_assert_true (g_variant_equal (saved, resaved));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/ui/graph/layout-positions", test_positions);
  g_test_add_func ("/spk/ui/graph/layout-round-trip", test_round_trip);
  return g_test_run ();
}
