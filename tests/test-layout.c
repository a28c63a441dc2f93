/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-layout.c — SpkLayout: positions, "changed" notifications, and the
 * a{sv} serialisation sessions store (positions and groups), applied
 * back by label, and the older a{s(dd)} still read. */
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
  g_assert_true (g_variant_is_of_type (saved, G_VARIANT_TYPE_VARDICT));
  /* Only labelled objects are saved (connections are unlabelled here). */
  {
    g_autoptr (GVariant) positions = g_variant_lookup_value (saved, "positions", G_VARIANT_TYPE ("a{s(dd)}"));

    g_assert_nonnull (positions);
    g_assert_cmpuint (g_variant_n_children (positions), ==, placed);
  }
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

static void
changed_null_cb (SpkLayout *layout,
                 SpkObject *object,
                 guint     *count)
{
  if (object == NULL)
    (*count)++;
}

/* Groups: membership, collapsing, and a round trip through the session
 * value; a layout saved before groups existed (a{s(dd)}) still applies. */
static void
test_groups (void)
{
  g_autoptr (SpkNetwork) net = spk_example_new ("communication-channel", NULL);
  g_autoptr (SpkNetwork) again = spk_example_new ("communication-channel", NULL);
  g_autoptr (SpkLayout) layout = spk_layout_new ();
  g_autoptr (SpkLayout) loaded = spk_layout_new ();
  g_autoptr (SpkLayout) old = spk_layout_new ();
  g_autoptr (GPtrArray) members = g_ptr_array_new ();
  g_autoptr (GPtrArray) snapshot = NULL;
  g_autoptr (GVariant) saved = NULL;
  g_autoptr (GVariant) resaved = NULL;
  GPtrArray *objects = spk_network_get_objects (net);
  SpkLayoutGroup *group, *other;
  GVariantBuilder builder;
  guint changed = 0;
  double x, y;

  g_signal_connect (layout, "changed", G_CALLBACK (changed_null_cb), &changed);
  for (guint i = 0; i < objects->len; i++)
    spk_layout_set_position (layout, g_ptr_array_index (objects, i), 10.0 * i, 5.0 * i);
  g_ptr_array_add (members, spk_network_lookup (net, "a"));
  g_ptr_array_add (members, spk_network_lookup (net, "b"));
  group = spk_layout_add_group (layout, "channel", members, TRUE);
  g_assert_nonnull (group);
  g_assert_cmpuint (changed, ==, 1);
  /* Labels are unique among groups. */
  g_assert_null (spk_layout_add_group (layout, "channel", members, FALSE));
  g_assert_true (spk_layout_get_group_of (layout, spk_network_lookup (net, "b")) == group);
  spk_layout_set_group_collapsed (layout, group, TRUE);
  g_assert_cmpuint (changed, ==, 1);
  snapshot = spk_layout_dup_groups (layout);

  /* An object joining another group leaves its old one. */
  g_ptr_array_set_size (members, 0);
  g_ptr_array_add (members, spk_network_lookup (net, "b"));
  other = spk_layout_add_group (layout, "just_b", members, FALSE);
  g_assert_cmpuint (changed, ==, 2);
  g_assert_true (spk_layout_get_group_of (layout, spk_network_lookup (net, "b")) == other);
  g_assert_cmpuint (spk_layout_group_get_members (group)->len, ==, 1);
  spk_layout_restore_groups (layout, snapshot);
  g_assert_cmpuint (changed, ==, 3);
  g_assert_cmpuint (spk_layout_get_groups (layout)->len, ==, 1);
  group = spk_layout_lookup_group (layout, "channel");
  g_assert_cmpuint (spk_layout_group_get_members (group)->len, ==, 2);

  /* Round trip, by label, exactly. */
  saved = g_variant_ref_sink (spk_layout_serialize (layout));
  spk_layout_apply (loaded, g_variant_ref (saved), spk_network_get_objects (again));
  group = spk_layout_lookup_group (loaded, "channel");
  g_assert_nonnull (group);
  g_assert_true (spk_layout_group_get_collapsed (group));
  g_assert_true (g_ptr_array_index (spk_layout_group_get_members (group), 0) == spk_network_lookup (again, "a"));
  g_assert_true (g_ptr_array_index (spk_layout_group_get_members (group), 1) == spk_network_lookup (again, "b"));
  resaved = g_variant_ref_sink (spk_layout_serialize (loaded));
  g_assert_true (g_variant_equal (saved, resaved));

  /* A removed member stays in the group, for undo, but is not saved. */
  spk_layout_remove (layout, spk_network_lookup (net, "a"));
  g_clear_pointer (&resaved, g_variant_unref);
  resaved = g_variant_ref_sink (spk_layout_serialize (layout));
  {
    g_autoptr (GVariant) groups = g_variant_lookup_value (resaved, "groups", G_VARIANT_TYPE ("a(sbas)"));
    g_autofree const char **labels = NULL;
    const char *label;
    gboolean collapsed;

    g_variant_get_child (groups, 0, "(&sb^a&s)", &label, &collapsed, &labels);
    g_assert_cmpuint (g_strv_length ((char **) labels), ==, 1);
    g_assert_cmpstr (labels[0], ==, "b");
  }

  /* The older value: positions alone. */
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{s(dd)}"));
  g_variant_builder_add (&builder, "{s(dd)}", "a", 1.5, -2.0);
  spk_layout_apply (old, g_variant_builder_end (&builder), spk_network_get_objects (again));
  g_assert_true (spk_layout_get_position (old, spk_network_lookup (again, "a"), &x, &y));
  g_assert_cmpfloat (x, ==, 1.5);
  g_assert_cmpfloat (y, ==, -2.0);
  g_assert_cmpuint (spk_layout_get_groups (old)->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spk/ui/graph/layout-positions", test_positions);
  g_test_add_func ("/spk/ui/graph/layout-round-trip", test_round_trip);
  g_test_add_func ("/spk/ui/graph/layout-groups", test_groups);
  return g_test_run ();
}
